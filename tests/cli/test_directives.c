// SPDX-License-Identifier: MIT
/*
 * The directive table `irqsim list directives` prints (and
 * docs/trace-format.md documents) is the parser's: each listed directive
 * is one parse_line() knows, and a word that is not listed is refused with
 * the list of known ones.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/scenario.h"

static struct scenario sc;
static char err[SCENARIO_ERR];

/* A listed directive, alone on a line, is never "unknown directive". */
static void directives_listed_are_parsed_test(void **state)
{
	(void)state;
	scenario_init();
	for (int i = 0; i < scenario_directive_count(); i++) {
		const char *name = scenario_directive_get(i)->name;
		char text[64];

		snprintf(text, sizeof(text), "%s\n", name);
		if (!scenario_parse(&sc, "d.trace", text, err, sizeof(err))) {
			scenario_free(&sc);
			continue;
		}
		if (strstr(err, "unknown directive")) {
			print_error("'%s' is listed but the parser says: %s\n",
				    name, err);
			fail();
		}
	}
	assert_null(scenario_directive_get(scenario_directive_count()));
}

/*
 * An unknown directive is refused at its line with the hint that lists
 * them all, not the list; a typo of one names it.
 */
static void directives_unlisted_refused_with_hint_test(void **state)
{
	(void)state;
	scenario_init();
	assert_int_equal(scenario_parse(&sc, "d.trace", "cpus 1\nfrobnicate 3\n",
					err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "d.trace:2: unknown directive 'frobnicate'; see 'irqsim list directives'");
	assert_int_equal(scenario_parse(&sc, "d.trace", "cpus 1\ndevcie nic0\n",
					err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "d.trace:2: unknown directive 'devcie' (did you mean 'device'?); see 'irqsim list directives'");
}

/* Every listed operation is one the parser knows. */
static void ops_listed_are_parsed_test(void **state)
{
	(void)state;
	scenario_init();
	for (int i = 0; i < scenario_op_count(); i++) {
		char text[128];

		snprintf(text, sizeof(text), "device nic0\nnic0: %s\n",
			 scenario_op_name(i));
		if (!scenario_parse(&sc, "o.trace", text, err, sizeof(err))) {
			scenario_free(&sc);
			continue;
		}
		if (strstr(err, "unknown operation")) {
			print_error("'%s' is listed but the parser says: %s\n",
				    scenario_op_name(i), err);
			fail();
		}
	}
	assert_null(scenario_op_name(scenario_op_count()));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(directives_listed_are_parsed_test),
		cmocka_unit_test(directives_unlisted_refused_with_hint_test),
		cmocka_unit_test(ops_listed_are_parsed_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
