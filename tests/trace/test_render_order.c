// SPDX-License-Identifier: MIT
/*
 * The Graphviz outputs do not depend on the allocator. libcgraph's default
 * ID discipline makes a named object's ID the address of its interned
 * name, and keeps subgraphs ordered by ID: the lanes came out (dot) and
 * were laid out (svg, png) in the order malloc happened to return their
 * names, so builds with another allocator (ASan) drew other diagrams.
 *
 * Here the heap is prepared so that small allocations come back at
 * falling addresses (chunks freed lowest first, handed out last freed
 * first), the run is rendered, and the output must be what it is on a
 * fresh heap, with the lanes in the timeline's order (by CPU, devices
 * last).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render_util.h"

#define SIZES	16
#define CHUNKS	2000

static void *held[SIZES][CHUNKS];

/* Small chunks, freed lowest address first: malloc returns the highest. */
static void falling_heap(void)
{
	for (int s = 0; s < SIZES; s++)
		for (int i = 0; i < CHUNKS; i++)
			held[s][i] = malloc((size_t)(s + 1) * 8);
	for (int s = 0; s < SIZES; s++)
		for (int i = 0; i < CHUNKS; i++)
			free(held[s][i]);
}

/* The names of the clusters, in the order the document gives them. */
static void lane_order(const char *doc, const char *prefix, char *out,
		       size_t len)
{
	size_t n = 0;

	out[0] = 0;
	for (const char *p = strstr(doc, prefix); p;
	     p = strstr(p + 1, prefix)) {
		size_t k = strcspn(p + strlen(prefix), " {\"<&");

		if (n + k + 2 > len)
			break;
		memcpy(out + n, p + strlen(prefix), k);
		n += k;
		out[n++] = ' ';
		out[n] = 0;
	}
}

static void check_format(const char *trace, long long seed, int format,
			 const char *prefix, const char *want_lanes)
{
	struct rendered_run r;
	char *fresh, *fallen, lanes[512];

	assert_int_equal(render_util_run(&r, trace, NULL, seed), 0);
	fresh = render_util_render(&r, format, NULL);
	assert_non_null(fresh);
	falling_heap();
	fallen = render_util_render(&r, format, NULL);
	assert_non_null(fallen);
	lane_order(fresh, prefix, lanes, sizeof(lanes));
	assert_string_equal(lanes, want_lanes);
	lane_order(fallen, prefix, lanes, sizeof(lanes));
	assert_string_equal(lanes, want_lanes);
	assert_string_equal(fresh, fallen);
	free(fresh);
	free(fallen);
	render_util_free(&r);
}

static void dot_lanes_in_model_order_test(void **state)
{
	(void)state;
	check_format("traces/seed000-vfio-loss.trace", 64, TRACE_DOT,
		     "subgraph cluster_", "vcpu0 cpu1 nic0 ");
}

static void svg_lanes_in_model_order_test(void **state)
{
	(void)state;
	check_format("traces/seed000-vfio-loss.trace", 64, TRACE_SVG,
		     "<title>cluster_", "vcpu0 cpu1 nic0 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dot_lanes_in_model_order_test),
		cmocka_unit_test(svg_lanes_in_model_order_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
