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

/*
 * Past its first 128 names the renderer's name array grows and the name
 * table is built anew over it (the sanitizer build checks that path's
 * memory): the allocator still must not matter, and the IDs stay in
 * creation order, so each lane lists its boxes in step order.
 */
static void dot_past_128_names_test(void **state)
{
	const char *trace = "tests/trace/data/many-boxes.trace";
	struct rendered_run r;
	bool in_lane = false;
	long last = -1;
	int boxes = 0;
	char *dot;

	(void)state;
	check_format(trace, 0, TRACE_DOT, "subgraph cluster_",
		     "vcpu0 main guest0 cpu1 vcpu1 cpu2 cpu3 nic0 q1 q2 ");
	assert_int_equal(render_util_run(&r, trace, NULL, 0), 0);
	dot = render_util_render(&r, TRACE_DOT, NULL);
	assert_non_null(dot);
	for (char *l = strtok(dot, "\n"); l; l = strtok(NULL, "\n")) {
		l += strspn(l, "\t");
		if (!strncmp(l, "subgraph cluster_", 17)) {
			in_lane = true;
			last = -1;
		} else if (!strncmp(l, "irqsim_step=", 12)) {
			long step = strtol(l + 12, NULL, 10);

			assert_true(in_lane);
			assert_true(step > last);
			last = step;
			boxes++;
		}
	}
	assert_true(boxes > 128);
	free(dot);
	render_util_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dot_lanes_in_model_order_test),
		cmocka_unit_test(svg_lanes_in_model_order_test),
		cmocka_unit_test(dot_past_128_names_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
