// SPDX-License-Identifier: MIT
/*
 * The budgets of a dfs or dpor progress line (src/cli/explore.c): the
 * share of each budget in force, and a time only where a budget's share
 * gives one (the time to the first budget at the rate so far), else
 * "no ETA": never a time made up without a budget.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli/internal.h"

static char buf[256];

static const char *line(double seconds, const struct progress_budget *b,
			int n)
{
	progress_budgets(buf, sizeof(buf), seconds, b, n);
	return buf;
}

/* No budget, or none that gives a time: the share alone, no ETA. */
static void progress_no_budget_no_eta_test(void **state)
{
	struct progress_budget none[2] = { { 0 }, { 0 } };
	struct progress_budget share_only = { "--max-memory", 0.25, 0, 0 };
	struct progress_budget at_start = { "--max-states", 0, 0, 1000 };

	(void)state;
	assert_string_equal(line(10, none, 2), "no ETA");
	assert_string_equal(line(10, &share_only, 1),
			    "25% of --max-memory, no ETA");
	/* nothing done yet, or no time passed: no rate, no time */
	assert_string_equal(line(10, &at_start, 1),
			    "0% of --max-states, no ETA");
	at_start.done = 10;
	assert_string_equal(line(0, &at_start, 1),
			    "0% of --max-states, no ETA");
}

/* 400 of 1000 in 10 s: 600 more at 40/s is 15 s. */
static void progress_eta_from_share_test(void **state)
{
	struct progress_budget b = { "--max-states", 0.4, 400, 1000 };

	(void)state;
	assert_string_equal(line(10, &b, 1),
			    "40% of --max-states, ETA 15 s (--max-states)");
	/* reached: no time left */
	b.done = 1000;
	b.share = 1;
	assert_string_equal(line(10, &b, 1),
			    "100% of --max-states, ETA 0 s (--max-states)");
}

/* Both budgets: both shares, the time of the one reached first. */
static void progress_first_budget_wins_test(void **state)
{
	struct progress_budget b[2] = {
		{ "--max-states", 0.4, 400, 1000 },		/* 15 s */
		{ "the memory budget", 0.12, 400, 800 },	/* 10 s */
	};

	(void)state;
	assert_string_equal(line(10, b, 2),
			    "40% of --max-states, 12% of the memory budget, ETA 10 s (the memory budget)");
	b[1].limit = 2000;					/* 40 s */
	assert_string_equal(line(10, b, 2),
			    "40% of --max-states, 12% of the memory budget, ETA 15 s (--max-states)");
}

/* Long times in minutes and hours; a short buffer is cut, not overrun. */
static void progress_durations_test(void **state)
{
	struct progress_budget b = { "--max-states", 0.1, 100, 1100 };
	char small[24];

	(void)state;
	/* 30 s for 100: 1000 more is 300 s */
	assert_string_equal(line(30, &b, 1),
			    "10% of --max-states, ETA 5 min (--max-states)");
	/* 900 s for 100: 9000 s */
	assert_string_equal(line(900, &b, 1),
			    "10% of --max-states, ETA 2.5 h (--max-states)");
	progress_budgets(small, sizeof(small), 30, &b, 1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(progress_no_budget_no_eta_test),
		cmocka_unit_test(progress_eta_from_share_test),
		cmocka_unit_test(progress_first_budget_wins_test),
		cmocka_unit_test(progress_durations_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
