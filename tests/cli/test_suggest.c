// SPDX-License-Identifier: MIT
/*
 * "Did you mean" (src/cli/suggest.c): a typo names the one name it is
 * an edit or two away from (a character inserted, deleted or replaced,
 * two neighbours swapped), and nothing when no name is that close for
 * the typo's length, so a message never guesses at random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli/suggest.h"

static const char *const knobs[] = {
	"vector_reevaluate", "repair_irq", "intx_unlazy", "vmm_reinject",
	"fail_request_irq", NULL,
};

static const char *const commands[] = {
	"run", "explore", "merge", "replay", "render", "check", "list",
	"help", "version", NULL,
};

/* One edit of each kind names the word. */
static void suggest_one_edit_test(void **state)
{
	(void)state;
	/* two neighbours swapped: one edit, as in the example */
	assert_string_equal(suggest_in("repair_iqr", knobs), "repair_irq");
	/* one deleted, one inserted, one replaced */
	assert_string_equal(suggest_in("rn", commands), "run");
	assert_string_equal(suggest_in("explorre", commands), "explore");
	assert_string_equal(suggest_in("chack", commands), "check");
	assert_string_equal(suggest_in("vmm_reinjet", knobs), "vmm_reinject");
}

/*
 * Only close names: at most 1 edit up to 4 characters, 2 up to 10, 3
 * beyond, and fewer edits than the typo has characters.
 */
static void suggest_far_is_nothing_test(void **state)
{
	(void)state;
	assert_null(suggest_in("x", commands));
	assert_null(suggest_in("bogus", commands));
	assert_null(suggest_in("frobnicate", knobs));
	/* "lst" is one edit from "list" (3 characters: 1 allowed) */
	assert_string_equal(suggest_in("lst", commands), "list");
	/* "rpl" is three edits from "replay" and from "help": none */
	assert_null(suggest_in("rpl", commands));
	/* 4 characters, two edits from "list": too far */
	assert_null(suggest_in("lxsx", commands));
	/* 5 characters may be two edits away: "mrege" swaps, "mrg" no */
	assert_string_equal(suggest_in("mrege", commands), "merge");
	/* 9 characters, three edits from repair_irq: too far */
	assert_null(suggest_in("repar_rqi", knobs));
	/* 14 characters may be three edits away, 13 not four */
	assert_string_equal(suggest_in("vctor_reevalte", knobs),
			    "vector_reevaluate");
	assert_null(suggest_in("vctr_reevalte", knobs));
	/* an exact name is no typo of another: itself at distance 0 */
	assert_string_equal(suggest_in("render", commands), "render");
}

/* The closest wins; among equals the first in order, every time. */
static void suggest_closest_first_test(void **state)
{
	static const char *const strategies[] = { "random", "pct", "dfs",
						  "dpor", NULL };
	static const char *const tie[] = { "aa", "ab", NULL };
	char longer[200];

	(void)state;
	assert_string_equal(suggest_in("dps", strategies), "dfs");
	assert_string_equal(suggest_in("replya", commands), "replay");
	assert_string_equal(suggest_in("ac", tie), "aa");
	/* no name is that long: nothing, and no overflow */
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	assert_null(suggest_in(longer, tie));
}

/* The message: the part in parentheses and the hint only when given. */
static void suggest_unknown_message_test(void **state)
{
	char buf[128], small[16];

	(void)state;
	assert_string_equal(suggest_unknown(buf, sizeof(buf), "knob",
					    "repair_iqr", "repair_irq",
					    "list knobs"),
			    "unknown knob 'repair_iqr' (did you mean 'repair_irq'?); see 'irqsim list knobs'");
	assert_string_equal(suggest_unknown(buf, sizeof(buf), "knob", "zz",
					    NULL, "list knobs"),
			    "unknown knob 'zz'; see 'irqsim list knobs'");
	assert_string_equal(suggest_unknown(buf, sizeof(buf), "command",
					    "rn", "run", NULL),
			    "unknown command 'rn' (did you mean 'run'?)");
	/* cut, terminated */
	suggest_unknown(small, sizeof(small), "knob", "repair_iqr",
			"repair_irq", "list knobs");
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suggest_one_edit_test),
		cmocka_unit_test(suggest_far_is_nothing_test),
		cmocka_unit_test(suggest_closest_first_test),
		cmocka_unit_test(suggest_unknown_message_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
