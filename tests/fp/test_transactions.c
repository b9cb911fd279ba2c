// SPDX-License-Identifier: MIT
/*
 * The transaction reduction (sched/dfs.c, --transactions) and the lock
 * discipline it rests on: compiled like the instrumented twin, so the toy
 * model below has footprints and locksets.
 *
 * Actor A takes lock L and sets x to 1, then sets it to 2, then back to 0
 * and drops L: three steps.
 * Actor C counts to two on its own byte. Actor B reads x once and
 * complains if it sees a value A is in the middle of: it reads under L
 * (the discipline holds: no schedule can show B a half-done x) or
 * without it (the discipline is broken: one can). With the discipline,
 * A's steps under L run as one transaction and C's steps no longer
 * interleave with them; without it, the reduction must not hide B's read
 * of x = 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sched/explore.h"

enum { LOCK_L = 0, SAW_HALF_DONE = 9 };

struct toy {
	struct sched_world sched;
	uint8_t pc[3];		/* A, B, C */
	uint8_t x, y, seen;
};

static bool b_locks;
/* A and B start only once C has run (C runs once): see gated_test */
static bool gated;

static bool toy_next(const void *world, const struct irqsim_rt *rt, int p,
		     uint16_t *code)
{
	const struct toy *w = world;
	/* read only by the sources that take L: what each test reads counts */
	const int8_t *owner = &w->sched.lock_owner[LOCK_L];

	(void)rt;
	*code = (uint16_t)p;
	if (gated && p < 2 && !w->pc[2])
		return false;
	switch (p) {
	case 0:
		return w->pc[0] < 3 && (w->pc[0] > 0 || *owner < 0);
	case 1:
		if (!b_locks)
			return w->pc[1] < 1;
		return w->pc[1] < 2 && (w->pc[1] > 0 || *owner < 0);
	default:
		return w->pc[2] < (gated ? 1 : 2);
	}
}

static int toy_nprocs(const struct irqsim_rt *rt)
{
	(void)rt;
	return 3;
}

static int toy_enabled(const void *world, const struct irqsim_rt *rt,
		       uint16_t *out)
{
	int n = 0;

	for (int p = 0; p < 3; p++)
		if (toy_next(world, rt, p, &out[n]))
			n++;
	return n;
}

static void toy_fire(struct irqsim_ctx *ctx, uint16_t t)
{
	struct toy *w = ctx->world;

	ctx->actor = t;
	switch (t) {
	case 0:
		if (w->pc[0] == 0) {
			irqsim_trylock(ctx, LOCK_L);
			w->x = 1;
		} else if (w->pc[0] == 1) {
			w->x = 2;
		} else {
			w->x = 0;
			irqsim_unlock(ctx, LOCK_L);
		}
		w->pc[0]++;
		break;
	case 1:
		if (w->pc[1] == 0) {
			if (b_locks)
				irqsim_trylock(ctx, LOCK_L);
			if (w->x)
				w->seen = 1;
		} else {
			irqsim_unlock(ctx, LOCK_L);
		}
		w->pc[1]++;
		break;
	default:
		w->y++;
		w->pc[2]++;
		break;
	}
}

static int toy_check_step(const void *world, const struct irqsim_rt *rt,
			  struct irqsim_verdict *v)
{
	const struct toy *w = world;

	(void)rt;
	if (w->seen)
		v->kind = SAW_HALF_DONE;
	return w->seen ? v->kind : 0;
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

static int toy_actor(const void *world, const struct irqsim_rt *rt,
		     uint16_t t)
{
	(void)world;
	(void)rt;
	return t;
}

static int search(bool locked, bool transactions, struct irqsim_dfs_stats *st,
		  struct irqsim_verdict *v)
{
	const struct irqsim_model m = {
		.world_size = sizeof(struct toy),
		.enabled = toy_enabled,
		.fire = toy_fire,
		.check_step = toy_check_step,
		.check_end = toy_check_end,
		.nprocs = toy_nprocs,
		.proc_next = toy_next,
		.transition_actor = toy_actor,
	};
	struct irqsim_dfs_opts opts = {
		.bound = 20,
		.preemption_bound = -1,
		.transactions = transactions,
	};
	struct irqsim_schedule sc = { 0 };
	struct irqsim_rt rt = { 0 };
	struct toy init = { 0 };
	int ret;

	b_locks = locked;
	init.sched.nactors = 3;
	memset(init.sched.lock_owner, -1, sizeof(init.sched.lock_owner));
	ret = irqsim_dfs(&m, &rt, &init, &opts, st, v, &sc);
	free(sc.t);
	return ret;
}

/*
 * The discipline holds: the same verdict (none), the same end states,
 * fewer states, and A's middle step taken alone.
 */
static void locked_section_runs_as_one_step_test(void **state)
{
	struct irqsim_dfs_stats plain, tx;
	struct irqsim_verdict v;

	(void)state;
	gated = false;
	assert_int_equal(search(true, false, &plain, &v), 0);
	assert_int_equal(v.kind, 0);
	assert_int_equal(search(true, true, &tx, &v), 0);
	assert_int_equal(v.kind, 0);
	assert_true(tx.complete);
	assert_int_equal(tx.end_states, plain.end_states);
	assert_true(tx.distinct < plain.distinct);
	assert_true(tx.tx_forced > 0);
	assert_int_equal(tx.tx_restarts, 0);
	/*
	 * The one byte shared without a lock is L's own word, which A and
	 * B both take: its acquisition and release are no movers.
	 */
	assert_int_equal(tx.tx_unprotected, 1);
}

/*
 * B reads x without L: x is shared without a lock, A's steps that touch
 * it are not taken alone once that is known, and the race is found, as
 * without the reduction. Here the search learns it (B's read of x = 0 in
 * another branch) before it needs it.
 */
static void broken_discipline_still_finds_the_race_test(void **state)
{
	struct irqsim_dfs_stats plain, tx;
	struct irqsim_verdict v;

	(void)state;
	gated = false;
	assert_int_equal(search(false, false, &plain, &v), 0);
	assert_int_equal(v.kind, SAW_HALF_DONE);
	assert_int_equal(search(false, true, &tx, &v), 0);
	assert_int_equal(v.kind, SAW_HALF_DONE);
	assert_true(tx.tx_unprotected > 0);
}

/*
 * The same race where the search learns too late: every way into A's
 * section is explored (A's steps taken alone, x private to A as far as
 * anyone knew) before B's read of x = 0 shows x shared. The first
 * search ends with "none" on a broken assumption; it is not believed:
 * the search runs again, knowing, and finds the race.
 */
static void learned_too_late_searches_again_test(void **state)
{
	struct irqsim_dfs_stats plain, tx;
	struct irqsim_verdict v;

	(void)state;
	gated = true;
	assert_int_equal(search(false, false, &plain, &v), 0);
	assert_int_equal(v.kind, SAW_HALF_DONE);
	assert_int_equal(search(false, true, &tx, &v), 0);
	assert_int_equal(v.kind, SAW_HALF_DONE);
	assert_int_equal(tx.tx_restarts, 1);
	/* and with the discipline kept, no restart and no race */
	assert_int_equal(search(true, true, &tx, &v), 0);
	assert_int_equal(v.kind, 0);
	assert_int_equal(tx.tx_restarts, 0);
	gated = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locked_section_runs_as_one_step_test),
		cmocka_unit_test(broken_discipline_still_finds_the_race_test),
		cmocka_unit_test(learned_too_late_searches_again_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
