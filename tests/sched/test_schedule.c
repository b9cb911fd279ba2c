// SPDX-License-Identifier: MIT
/*
 * Engine bookkeeping: schedules (the transitions of a run, saved and
 * replayed), the function registry and the knob registry. The expected
 * values come from the contracts in sched.h/sched.c and, for the real
 * knobs, from the kernel behaviour each knob's default stands for.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli/scenario.h"

static enum irqsim_step dummy_step(struct irqsim_ctx *ctx,
				   struct irqsim_frame *f)
{
	(void)ctx;
	(void)f;
	return IRQSIM_YIELD;
}

static enum irqsim_step other_step(struct irqsim_ctx *ctx,
				   struct irqsim_frame *f)
{
	(void)ctx;
	(void)f;
	return IRQSIM_CONTINUE;
}

static const char *const test_off_on[] = { "off", "on", NULL };

static const struct irqsim_knob test_bool_knob = {
	.name = "test_bool_knob",
	.doc = "a test switch",
	.def = 0,
	.max = 1,
	.values = test_off_on,
};

static const struct irqsim_knob test_num_knob = {
	.name = "test_num_knob",
	.doc = "a test count",
	.def = 3,
	.max = 1000,
};

static void schedule_push_grows_in_order_test(void **state)
{
	struct irqsim_schedule s;

	(void)state;
	irqsim_schedule_init(&s);
	assert_int_equal(s.n, 0);
	/* Past any initial capacity: a run of thousands of steps is normal. */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(irqsim_schedule_push(&s, (uint16_t)(i * 3)), 0);
	assert_int_equal(s.n, 1000);
	assert_true(s.cap >= s.n);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(s.t[i], (uint16_t)(i * 3));
	irqsim_schedule_free(&s);
	assert_null(s.t);
	assert_int_equal(s.n, 0);
}

static void schedule_copy_replaces_destination_test(void **state)
{
	struct irqsim_schedule src, dst;

	(void)state;
	irqsim_schedule_init(&src);
	irqsim_schedule_init(&dst);
	for (int i = 0; i < 300; i++)
		assert_int_equal(irqsim_schedule_push(&dst, 0xffff), 0);
	for (int i = 0; i < 200; i++)
		assert_int_equal(irqsim_schedule_push(&src, (uint16_t)i), 0);

	/* A copy is the source, not the source appended to old contents. */
	assert_int_equal(irqsim_schedule_copy(&dst, &src), 0);
	assert_int_equal(dst.n, src.n);
	assert_memory_equal(dst.t, src.t, src.n * sizeof(src.t[0]));
	assert_ptr_not_equal(dst.t, src.t);

	/* Independent storage: changing the copy leaves the source alone. */
	dst.t[0] = 77;
	assert_int_equal(src.t[0], 0);

	/* Copying an empty schedule empties the destination. */
	irqsim_schedule_free(&src);
	assert_int_equal(irqsim_schedule_copy(&dst, &src), 0);
	assert_int_equal(dst.n, 0);
	irqsim_schedule_free(&dst);
}

static void fn_register_same_name_same_id_test(void **state)
{
	int a, again, b;

	(void)state;
	a = irqsim_fn_register("test_fn_a", dummy_step);
	assert_true(a >= 0);
	/* "layers may be initialised more than once": the first id wins. */
	again = irqsim_fn_register("test_fn_a", other_step);
	assert_int_equal(again, a);
	b = irqsim_fn_register("test_fn_b", other_step);
	assert_true(b >= 0);
	assert_int_not_equal(a, b);
	assert_int_equal(irqsim_fn_lookup("test_fn_a"), a);
	assert_int_equal(irqsim_fn_lookup("test_fn_b"), b);
	assert_string_equal(irqsim_fn_name(a), "test_fn_a");
	assert_int_equal(irqsim_fn_lookup("test_fn_never_registered"), -1);
	assert_string_equal(irqsim_fn_name(-1), "?");
}

static void fn_register_layers_twice_stable_ids_test(void **state)
{
	int act;

	(void)state;
	scenario_init();
	act = fn_x86_vector_activate;
	assert_true(act >= 0);
	/* The kernel function's name is the key. */
	assert_string_equal(irqsim_fn_name(act), "x86_vector_activate");
	assert_int_equal(irqsim_fn_lookup("x86_vector_activate"), act);
	irq_init();	/* registers the apic layer again */
	assert_int_equal(fn_x86_vector_activate, act);
	assert_int_equal(irqsim_fn_lookup("x86_vector_activate"), act);
}

static void knob_register_lookup_test(void **state)
{
	int b, n, count;

	(void)state;
	b = irqsim_knob_register(&test_bool_knob);
	assert_true(b >= 0);
	count = irqsim_knob_count();
	assert_int_equal(irqsim_knob_register(&test_bool_knob), b);
	assert_int_equal(irqsim_knob_count(), count);
	n = irqsim_knob_register(&test_num_knob);
	assert_true(n >= 0);
	assert_int_not_equal(n, b);
	assert_int_equal(irqsim_knob_lookup("test_bool_knob"), b);
	assert_int_equal(irqsim_knob_lookup("test_num_knob"), n);
	assert_ptr_equal(irqsim_knob_get(b), &test_bool_knob);
	assert_int_equal(irqsim_knob_lookup("no_such_knob"), -1);
	assert_null(irqsim_knob_get(-1));
	assert_null(irqsim_knob_get(irqsim_knob_count()));
}

static void knob_parse_value_names_and_numbers_test(void **state)
{
	int b, n, v;
	char buf[16];

	(void)state;
	b = irqsim_knob_register(&test_bool_knob);
	n = irqsim_knob_register(&test_num_knob);

	v = -1;
	assert_int_equal(irqsim_knob_parse_value(b, "off", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(irqsim_knob_parse_value(b, "on", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(irqsim_knob_parse_value(b, "0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(irqsim_knob_parse_value(b, "1", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(irqsim_knob_parse_value(n, "1000", &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(irqsim_knob_parse_value(n, "0", &v), 0);
	assert_int_equal(v, 0);

	assert_string_equal(irqsim_knob_value_name(b, 1, buf, sizeof(buf)),
			    "on");
	assert_string_equal(irqsim_knob_value_name(n, 17, buf, sizeof(buf)),
			    "17");
}

static void knob_parse_value_out_of_range_error_test(void **state)
{
	int b, n, v = 99;

	(void)state;
	b = irqsim_knob_register(&test_bool_knob);
	n = irqsim_knob_register(&test_num_knob);

	assert_int_equal(irqsim_knob_parse_value(b, "2", &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(b, "-1", &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(n, "1001", &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(n, "-1", &v), -EINVAL);
	/* Names belong to the knob that has them. */
	assert_int_equal(irqsim_knob_parse_value(n, "on", &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(b, "yes", &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(b, "1x", &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(b, "", &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(b, NULL, &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(-1, "0", &v), -EINVAL);
	assert_int_equal(irqsim_knob_parse_value(irqsim_knob_count(), "0", &v),
			 -EINVAL);
	/* A failed parse leaves the output alone. */
	assert_int_equal(v, 99);
}

static void knob_real_defaults_linux_6_18_test(void **state)
{
	const struct irqsim_knob *k;

	(void)state;
	scenario_init();
	/*
	 * arch/x86/kernel/irq.c call_irq_handler() re-reads a marker slot
	 * under vector_lock since ce0b5eedcb75 (v6.17); v6.18 has it.
	 */
	assert_int_equal(irqsim_knob_lookup("vector_reevaluate"),
			 apic_knob_vector_reevaluate);
	k = irqsim_knob_get(apic_knob_vector_reevaluate);
	assert_non_null(k);
	assert_int_equal(k->def, 1);
	/* The repair_irq() hack of seeds/000 was never merged. */
	k = irqsim_knob_get(apic_knob_repair_irq);
	assert_non_null(k);
	assert_string_equal(k->name, "repair_irq");
	assert_int_equal(k->def, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schedule_push_grows_in_order_test),
		cmocka_unit_test(schedule_copy_replaces_destination_test),
		cmocka_unit_test(fn_register_same_name_same_id_test),
		cmocka_unit_test(fn_register_layers_twice_stable_ids_test),
		cmocka_unit_test(knob_register_lookup_test),
		cmocka_unit_test(knob_parse_value_names_and_numbers_test),
		cmocka_unit_test(knob_parse_value_out_of_range_error_test),
		cmocka_unit_test(knob_real_defaults_linux_6_18_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
