// SPDX-License-Identifier: MIT
/*
 * Name indexes (sched/names.h): a lookup answers what a scan of the
 * table from its start would, whether the index holds the names or, out
 * of memory, gave up and scans.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sched/names.h"

/* "irq" twice: a scan finds index 1, the first. */
static const char *const table[] = { "vector", "irq", "desc", "irq", "ctx" };
#define NR_NAMES ((int)(sizeof(table) / sizeof(table[0])))

static const char *table_name(int i)
{
	return table[i];
}

static int scan(const char *name)
{
	for (int i = 0; i < NR_NAMES; i++)
		if (!strcmp(table[i], name))
			return i;
	return -1;
}

static void check_like_scan(struct irqsim_names *ix)
{
	static const char *const asked[] = { "vector", "irq", "desc", "ctx",
					     "", "ir", "irqs", "IRQ" };

	for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++)
		assert_int_equal(irqsim_names_lookup(ix, asked[i], NR_NAMES,
						     table_name),
				 scan(asked[i]));
}

static void names_lookup_like_scan_test(void **state)
{
	struct irqsim_names ix = { 0 };

	(void)state;
	check_like_scan(&ix);
	assert_true(ix.built);
	assert_false(ix.broken);
	/* the second lookup reads the index the first built */
	check_like_scan(&ix);
	irqsim_names_free(&ix);
	assert_false(ix.built);
}

static void names_broken_index_scans_test(void **state)
{
	/* what an allocation failure leaves: no entries, a scan */
	struct irqsim_names ix = { .built = true, .broken = true };

	(void)state;
	check_like_scan(&ix);
}

/* A registry that grows: names added as they register are found. */
static void names_add_after_build_test(void **state)
{
	struct irqsim_names ix = { 0 };

	(void)state;
	assert_int_equal(irqsim_names_lookup(&ix, "vector", 0, table_name), -1);
	for (int i = 0; i < NR_NAMES; i++)
		irqsim_names_add(&ix, table[i], i);
	check_like_scan(&ix);
	irqsim_names_free(&ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_lookup_like_scan_test),
		cmocka_unit_test(names_broken_index_scans_test),
		cmocka_unit_test(names_add_after_build_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
