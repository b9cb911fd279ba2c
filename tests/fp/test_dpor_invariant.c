// SPDX-License-Identifier: MIT
/*
 * The reduction and a model's state invariant (sched/dpor.c): compiled
 * like the instrumented twin, so the toy model below has footprints.
 *
 * Two sources each set one flag once. Their steps touch different bytes,
 * so they commute, and one schedule covers both orders, unless an
 * invariant reads both flags: "b is set while a is not" holds only
 * after b runs first. The search must then run both orders (the
 * visibility proviso), and it must refuse an invariant that reads a byte
 * it did not declare.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sched/explore.h"

struct toy {
	struct sched_world sched;
	uint8_t a, b, c;
};

enum { DECLARE_A_B, DECLARE_A_ONLY, NO_SPLIT };

static int declared;

static bool toy_next(const void *world, const struct irqsim_rt *rt, int p,
		     uint16_t *code)
{
	const struct toy *w = world;

	(void)rt;
	*code = (uint16_t)p;
	return p == 0 ? !w->a : !w->b;
}

static int toy_nprocs(const struct irqsim_rt *rt)
{
	(void)rt;
	return 2;
}

static int toy_enabled(const void *world, const struct irqsim_rt *rt,
		       uint16_t *out)
{
	int n = 0;

	for (int p = 0; p < 2; p++)
		if (toy_next(world, rt, p, &out[n]))
			n++;
	return n;
}

static void toy_fire(struct irqsim_ctx *ctx, uint16_t t)
{
	struct toy *w = ctx->world;

	if (t == 0)
		w->a = 1;
	else
		w->b = 1;
}

static int toy_invariant(const void *world, const struct irqsim_rt *rt,
			 struct irqsim_verdict *v)
{
	const struct toy *w = world;

	(void)rt;
	/* reads c too when b is set: declared or not, per the test */
	if (w->b && !w->a && !w->c) {
		v->kind = 7;
		return 7;
	}
	return 0;
}

static int toy_local(const void *world, const struct irqsim_rt *rt,
		     struct irqsim_verdict *v)
{
	(void)world;
	(void)rt;
	(void)v;
	return 0;
}

static int toy_check_step(const void *world, const struct irqsim_rt *rt,
			  struct irqsim_verdict *v)
{
	return toy_invariant(world, rt, v) ? v->kind : toy_local(world, rt, v);
}

static int toy_check_end(const void *world, const struct irqsim_rt *rt,
			 bool bound_hit, struct irqsim_verdict *v)
{
	(void)world;
	(void)rt;
	(void)bound_hit;
	(void)v;
	return 0;
}

static void toy_bytes(const struct irqsim_rt *rt,
		      void (*add)(void *arg, size_t off, size_t len), void *arg)
{
	(void)rt;
	add(arg, offsetof(struct toy, a), 1);
	add(arg, offsetof(struct toy, b), 1);
	/* and the padding after c: GCC may read a, b and c in one load */
	if (declared == DECLARE_A_B)
		add(arg, offsetof(struct toy, c),
		    sizeof(struct toy) - offsetof(struct toy, c));
}

static int search(int how, struct irqsim_dpor_stats *st,
		  struct irqsim_verdict *v)
{
	struct irqsim_model m = {
		.world_size = sizeof(struct toy),
		.enabled = toy_enabled,
		.fire = toy_fire,
		.check_step = toy_check_step,
		.check_end = toy_check_end,
		.nprocs = toy_nprocs,
		.proc_next = toy_next,
	};
	struct irqsim_dpor_opts opts = { .bound = 10 };
	struct irqsim_schedule sc = { 0 };
	struct irqsim_rt rt = { 0 };
	struct toy init = { 0 };
	int ret;

	declared = how;
	if (how != NO_SPLIT) {
		m.check_invariant = toy_invariant;
		m.check_local = toy_local;
		m.invariant_bytes = toy_bytes;
	} else {
		/* the invariant's reads only in the step that made b visible */
		m.check_step = toy_local;
	}
	ret = irqsim_dpor(&m, &rt, &init, &opts, st, v, &sc);
	free(sc.t);
	return ret;
}

/* Declared invariant: both orders run, the violating one is found. */
static void visible_steps_are_dependent_test(void **state)
{
	struct irqsim_dpor_stats st;
	struct irqsim_verdict v;

	(void)state;
	assert_int_equal(search(DECLARE_A_B, &st, &v), 0);
	assert_int_equal(v.kind, 7);
	assert_true(st.visible >= 2);
}

/* Without an invariant the two steps commute: one schedule is enough. */
static void independent_steps_commute_test(void **state)
{
	struct irqsim_dpor_stats st;
	struct irqsim_verdict v;

	(void)state;
	assert_int_equal(search(NO_SPLIT, &st, &v), 0);
	assert_int_equal(v.kind, 0);
	assert_true(st.complete);
	assert_int_equal(st.executions, 1);
	assert_int_equal(st.end_states, 1);
	assert_int_equal(st.visible, 0);
}

/* An invariant that reads an undeclared byte stops the search. */
static void undeclared_read_is_refused_test(void **state)
{
	struct irqsim_dpor_stats st;
	struct irqsim_verdict v;

	(void)state;
	assert_int_equal(search(DECLARE_A_ONLY, &st, &v), -71);
	assert_int_equal(st.stray_read, offsetof(struct toy, c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(visible_steps_are_dependent_test),
		cmocka_unit_test(independent_steps_commute_test),
		cmocka_unit_test(undeclared_read_is_refused_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
