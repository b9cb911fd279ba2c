// SPDX-License-Identifier: MIT
/*
 * Every scenario in traces/ parses, and states at least one expected
 * verdict (STYLE.md: "each file states its expected verdict").
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/scenario.h"

#define TRACE_DIR IRQSIM_SOURCE_DIR "/traces"

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && !strcmp(name + n - s, suffix);
}

static void traces_all_parse_with_expect_test(void **state)
{
	static struct scenario sc;
	char err[SCENARIO_ERR], path[1024];
	struct dirent *de;
	DIR *dir;
	int files = 0, bad = 0;

	(void)state;
	scenario_init();
	dir = opendir(TRACE_DIR);
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		if (!has_suffix(de->d_name, ".trace"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", TRACE_DIR, de->d_name);
		files++;
		err[0] = 0;
		if (scenario_load(&sc, path, err, sizeof(err))) {
			print_error("%s\n", err);
			bad++;
		} else if (sc.nexpect < 1) {
			print_error("%s: no expect line\n", path);
			bad++;
		}
		scenario_free(&sc);
	}
	closedir(dir);
	/* traces/ holds at least the seed-000 race. */
	assert_true(files >= 1);
	assert_int_equal(bad, 0);
}

static void traces_seed000_expectations_test(void **state)
{
	static struct scenario sc;
	char err[SCENARIO_ERR];

	(void)state;
	scenario_init();
	if (scenario_load(&sc, TRACE_DIR "/seed000-vfio-loss.trace", err,
			  sizeof(err))) {
		print_error("%s\n", err);
		fail();
	}
	assert_string_equal(sc.name, "seed000-vfio-loss");
	assert_int_equal(sc.machine.nr_cpus, 2);
	/* affinity=cpu1: the device's vector lives on cpu1 only. */
	assert_int_equal(sc.dev[0].affinity, 0x2);
	assert_int_equal(sc.nexpect, 3);
	/* No kernel fix exists for race B: lost on v6.18 and v6.16 alike. */
	assert_int_equal(sc.expect[0].kind, CHECK_LOST_INTERRUPT);
	assert_int_equal(sc.expect[1].kind, CHECK_LOST_INTERRUPT);
	assert_int_equal(sc.expect[2].kind, CHECK_NONE);
	scenario_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(traces_all_parse_with_expect_test),
		cmocka_unit_test(traces_seed000_expectations_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
