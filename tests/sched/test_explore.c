// SPDX-License-Identifier: MIT
/*
 * The search strategies on a model small enough to count by hand: actors
 * that increment a shared counter, either atomically or as a load and a
 * store (the lost-update race), and actors that only touch their own
 * counter (independent transitions, what sleep sets exploit). The
 * expected numbers are derived in the comments, not taken from a run.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sched/internal.h"
#include "sched/parallel.h"

#define TOY_ACTORS 3
#define TOY_LOST_UPDATE 1
#define TOY_SEEN 2

struct toy_world {
	struct sched_world sched;
	int32_t x;			/* shared counter */
	int32_t own[TOY_ACTORS];	/* private counters */
	uint32_t history;		/* cleared by canonical(): never steers */
	int32_t seen;			/* what consume() read of x */
};

struct toy {
	int nactors;
	int incs;			/* increments per actor */
};

static int fn_inc_racy, fn_inc_atomic, fn_inc_own, fn_publish, fn_consume;

/* x = x + 1 as a load (one transition) and a store (the next). */
static enum irqsim_step inc_racy(struct irqsim_ctx *ctx, struct irqsim_frame *f)
{
	struct toy_world *w = ctx->world;

	if (f->pc == 0) {
		f->local[0] = w->x;
		f->pc = 1;
		return IRQSIM_YIELD;
	}
	w->x = f->local[0] + 1;
	w->history += irqsim_sched(w)->step;
	return irqsim_return_yield(ctx, 0);
}

static enum irqsim_step inc_atomic(struct irqsim_ctx *ctx,
				   struct irqsim_frame *f)
{
	struct toy_world *w = ctx->world;

	(void)f;
	w->x++;
	w->history += irqsim_sched(w)->step;
	return irqsim_return_yield(ctx, 0);
}

static enum irqsim_step inc_own(struct irqsim_ctx *ctx, struct irqsim_frame *f)
{
	struct toy_world *w = ctx->world;

	(void)f;
	w->own[ctx->actor]++;
	return irqsim_return_yield(ctx, 0);
}

/* x = 1, and seen = x: the end check flags a consume after a publish */
static enum irqsim_step publish(struct irqsim_ctx *ctx, struct irqsim_frame *f)
{
	(void)f;
	((struct toy_world *)ctx->world)->x = 1;
	return irqsim_return_yield(ctx, 0);
}

static enum irqsim_step consume(struct irqsim_ctx *ctx, struct irqsim_frame *f)
{
	struct toy_world *w = ctx->world;

	(void)f;
	w->seen = w->x;
	return irqsim_return_yield(ctx, 0);
}

static int toy_enabled(const void *world, const struct irqsim_rt *rt,
		       uint16_t *out)
{
	const struct toy *t = rt->model_data;
	int n = 0;

	for (int a = 0; a < t->nactors; a++)
		if (irqsim_actor_runnable(world, rt, a))
			out[n++] = (uint16_t)a;
	return n;
}

static void toy_fire(struct irqsim_ctx *ctx, uint16_t t)
{
	ctx->actor = t;
	irqsim_actor_step(ctx);
}

static int toy_check_step(const void *world, const struct irqsim_rt *rt,
			  struct irqsim_verdict *v)
{
	(void)world;
	(void)rt;
	(void)v;
	return 0;
}

/* Every increment of x must count (only the shared-counter programs). */
static int toy_check_end(const void *world, const struct irqsim_rt *rt,
			 bool bound_hit, struct irqsim_verdict *v)
{
	const struct toy_world *w = world;
	const struct toy *t = rt->model_data;
	int want = 0;

	(void)bound_hit;
	if (w->seen) {
		v->kind = TOY_SEEN;
		return v->kind;
	}
	for (int a = 0; a < t->nactors; a++)
		for (int i = 0; i < rt->prog[a].nops; i++) {
			int fn = rt->prog[a].op[i].fn;

			if (fn == fn_publish)
				return 0;	/* x is a flag there */
			want += fn == fn_inc_racy || fn == fn_inc_atomic;
		}
	if (w->x == want)
		return 0;
	v->kind = TOY_LOST_UPDATE;
	v->step = irqsim_sched((void *)world)->step;
	return v->kind;
}

static void toy_canonical(void *scratch)
{
	((struct toy_world *)scratch)->history = 0;
}

static const struct irqsim_model toy_model = {
	.world_size = sizeof(struct toy_world),
	.enabled = toy_enabled,
	.fire = toy_fire,
	.check_step = toy_check_step,
	.check_end = toy_check_end,
	.canonical = toy_canonical,
};

struct toy_setup {
	struct toy toy;
	struct irqsim_program prog[IRQSIM_MAX_ACTORS];
	struct irqsim_rt rt;
	struct toy_world init;
};

/* @fn per actor: n actors, @incs operations each. */
static void toy_build(struct toy_setup *s, const int *fn, int n, int incs)
{
	memset(s, 0, sizeof(*s));
	s->toy.nactors = n;
	s->toy.incs = incs;
	for (int a = 0; a < n; a++) {
		s->prog[a].nops = incs;
		for (int i = 0; i < incs; i++)
			s->prog[a].op[i].fn = (uint16_t)fn[a];
	}
	s->rt.prog = s->prog;
	s->rt.model_data = &s->toy;
	memset(s->init.sched.lock_owner, -1, sizeof(s->init.sched.lock_owner));
	s->init.sched.nactors = (uint8_t)n;
}

static int setup_fns(void **state)
{
	(void)state;
	fn_inc_racy = irqsim_fn_register("toy_inc_racy", inc_racy);
	fn_inc_atomic = irqsim_fn_register("toy_inc_atomic", inc_atomic);
	fn_inc_own = irqsim_fn_register("toy_inc_own", inc_own);
	fn_publish = irqsim_fn_register("toy_publish", publish);
	fn_consume = irqsim_fn_register("toy_consume", consume);
	return fn_inc_racy < 0 || fn_inc_atomic < 0 || fn_inc_own < 0 ||
	       fn_publish < 0 || fn_consume < 0;
}

static struct irqsim_run_result replay(const struct toy_setup *s,
				       const struct irqsim_schedule *sc)
{
	struct irqsim_chooser ch = {
		.kind = IRQSIM_CHOOSE_REPLAY,
		.replay = sc,
	};
	struct irqsim_run_result res;
	struct toy_world w = s->init;

	irqsim_run(&toy_model, &s->rt, &w, &ch, 100, NULL, &res);
	return res;
}

/*
 * Two racy increments: the loss needs A load, B load, then both stores.
 * Depth-first order tries A A B B (fine), then A B A B: the first loss
 * it meets, with two preemptions (A->B and B->A, each away from an actor
 * that could go on). A B B A would do it with one; shrinking finds that.
 */
static void dfs_finds_lost_update_test(void **state)
{
	const int fns[] = { fn_inc_racy, fn_inc_racy };
	struct irqsim_dfs_opts o = { .bound = 100, .preemption_bound = -1,
				     .sleep_sets = true };
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct toy_setup s;

	(void)state;
	toy_build(&s, fns, 2, 1);
	irqsim_schedule_init(&sc);
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	assert_int_equal(v.kind, TOY_LOST_UPDATE);
	assert_false(st.complete);
	assert_int_equal(sc.n, 4);
	assert_int_equal(sc.t[0], 0);
	assert_int_equal(sc.t[1], 1);
	assert_int_equal(sc.t[2], 0);
	assert_int_equal(sc.t[3], 1);
	assert_int_equal(replay(&s, &sc).verdict.kind, TOY_LOST_UPDATE);
	assert_int_equal(irqsim_count_preemptions(&toy_model, &s.rt, &s.init,
						  &sc), 2);
	/* a stop already set: the schedule is left showing the violation */
	{
		volatile sig_atomic_t stop = 1;
		struct irqsim_schedule copy;

		irqsim_schedule_init(&copy);
		assert_int_equal(irqsim_schedule_copy(&copy, &sc), 0);
		assert_int_equal(irqsim_shrink(&toy_model, &s.rt, &s.init,
					       100, TOY_LOST_UPDATE, &copy,
					       1000, &stop),
				 1);
		assert_int_equal(replay(&s, &copy).verdict.kind,
				 TOY_LOST_UPDATE);
		assert_int_equal(irqsim_count_preemptions(&toy_model, &s.rt,
							  &s.init, &copy),
				 2);
		irqsim_schedule_free(&copy);
	}
	assert_int_equal(irqsim_shrink(&toy_model, &s.rt, &s.init, 100,
				       TOY_LOST_UPDATE, &sc, 1000, NULL), 0);
	assert_int_equal(irqsim_count_preemptions(&toy_model, &s.rt, &s.init,
						  &sc), 1);
	assert_int_equal(replay(&s, &sc).verdict.kind, TOY_LOST_UPDATE);

	/* preemption bound 0: only A;A;B;B and B;B;A;A, both correct */
	o.preemption_bound = 0;
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	assert_int_equal(v.kind, 0);
	assert_false(st.complete);
	assert_true(st.pruned_bound > 0);
	assert_true(st.pb_complete);
	/* a step bound that cuts: no proof of anything */
	o.bound = 3;
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	assert_false(st.complete);
	assert_false(st.pb_complete);
	irqsim_schedule_free(&sc);
}

/*
 * Sleep sets under a preemption bound would skip schedules within the
 * bound (Musuvathi and Qadeer, MSR-TR-2007-12), so the search ignores
 * them there. A: own, consume; B: own, publish. With 0 preemptions there
 * are two schedules: A A B B (consume reads 0) and B B A A (it reads 1:
 * the violation). With sleep sets the search would explore A's "own"
 * first, then take B's "own" with A's asleep (the two commute); A's
 * "own" would stay asleep until B is done, leaving B B A A to its
 * equivalent A B B A, which has a preemption and is cut.
 */
static void preemption_bound_needs_every_transition_test(void **state)
{
	struct irqsim_dfs_opts o = { .bound = 100, .preemption_bound = 0,
				     .sleep_sets = true };
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct toy_setup s;
	const int fns[] = { fn_inc_own, fn_inc_own };

	(void)state;
	toy_build(&s, fns, 2, 2);
	s.prog[0].op[1].fn = (uint16_t)fn_consume;
	s.prog[1].op[1].fn = (uint16_t)fn_publish;
	irqsim_schedule_init(&sc);

	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	assert_int_equal(v.kind, TOY_SEEN);
	assert_int_equal(st.pruned_sleep, 0);
	assert_int_equal(irqsim_count_preemptions(&toy_model, &s.rt, &s.init,
						  &sc), 0);
	assert_int_equal(replay(&s, &sc).verdict.kind, TOY_SEEN);

	/* without the bound, sleep sets do cut (and the loss is found) */
	o.preemption_bound = -1;
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	assert_int_equal(v.kind, TOY_SEEN);

	/* with the publish gone, the bounded search proves the bound */
	s.prog[1].op[1].fn = (uint16_t)fn_inc_own;
	o.preemption_bound = 0;
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	assert_int_equal(v.kind, 0);
	assert_false(st.complete);
	assert_true(st.pb_complete);
	irqsim_schedule_free(&sc);
}

/*
 * Atomic increments, 2 actors x 2: a state is (ops done by A, ops done
 * by B), 3 x 3 = 9 states, x = their sum, never a loss; complete.
 */
static void dfs_proves_atomic_counter_test(void **state)
{
	const int fns[] = { fn_inc_atomic, fn_inc_atomic };
	struct irqsim_dfs_opts o = { .bound = 100, .preemption_bound = -1 };
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct toy_setup s;

	(void)state;
	toy_build(&s, fns, 2, 2);
	irqsim_schedule_init(&sc);
	for (int por = 0; por < 2; por++) {
		o.sleep_sets = por;
		assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o,
					    &st, &v, &sc), 0);
		assert_int_equal(v.kind, 0);
		assert_true(st.complete);
		/* history differs by path; canonical() makes them one */
		assert_int_equal(st.distinct, 9);
		assert_int_equal(st.max_depth, 4);
	}
	irqsim_schedule_free(&sc);
}

/*
 * Three actors on private counters, 2 ops each: 3^3 = 27 states either
 * way. Without reduction every enabled transition of every state is
 * fired: 3 * (27 - ...) edges; with sleep sets the diamonds are cut and
 * strictly fewer transitions are fired by the search itself.
 */
static void sleep_sets_fire_fewer_transitions_test(void **state)
{
	const int fns[] = { fn_inc_own, fn_inc_own, fn_inc_own };
	struct irqsim_dfs_opts o = { .bound = 100, .preemption_bound = -1 };
	struct irqsim_dfs_stats plain, reduced;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct toy_setup s;

	(void)state;
	toy_build(&s, fns, 3, 2);
	irqsim_schedule_init(&sc);
	o.sleep_sets = false;
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &plain,
				    &v, &sc), 0);
	o.sleep_sets = true;
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &reduced,
				    &v, &sc), 0);
	assert_int_equal(plain.distinct, 27);
	assert_int_equal(reduced.distinct, 27);
	/* edges of the 3x3x3 grid: 3 * 2 * 9 = 54 */
	assert_int_equal(plain.transitions, 54);
	assert_true(reduced.transitions < plain.transitions);
	assert_true(reduced.pruned_sleep > 0);
	assert_true(plain.complete && reduced.complete);
	irqsim_schedule_free(&sc);
}

/*
 * Bitstate: with room to spare (a hash factor in the thousands) it
 * reaches the 27 states the visited set does, and says it likely missed
 * none; in 64 bits, three per state, states collide: it reaches fewer,
 * and its estimate says so.
 */
static void bitstate_reaches_and_estimates_test(void **state)
{
	const int fns[] = { fn_inc_own, fn_inc_own, fn_inc_own };
	struct irqsim_dfs_opts o = { .bound = 100, .preemption_bound = -1 };
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct toy_setup s;

	(void)state;
	toy_build(&s, fns, 3, 2);
	irqsim_schedule_init(&sc);
	o.bitstate_bytes = 1 << 16;
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	assert_int_equal(st.distinct, 27);
	assert_int_equal(st.bitstate_bits, 1 << 19);
	assert_true(st.complete);
	assert_true(irqsim_bitstate_missed(st.distinct, st.bitstate_bits) <
		    0.001);
	o.bitstate_bytes = 8;
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	assert_int_equal(st.bitstate_bits, 64);
	assert_true(st.distinct < 27);
	assert_true(irqsim_bitstate_missed(st.distinct, st.bitstate_bits) >
		    0.5);
	irqsim_schedule_free(&sc);
}

/*
 * The estimate: nothing when the array is empty, about k^3 n^4 / (4 m^3)
 * for a few states in a large array (the first term of the integral),
 * and n - (m/k) (11/6) once the array is saturated (the integral's
 * constant terms: 3 - 3/2 + 1/3).
 */
static void bitstate_estimate_test(void **state)
{
	double m = 1 << 20;

	(void)state;
	assert_true(irqsim_bitstate_missed(0, 1 << 20) == 0);
	/* n = 1000: 27 n^4 / (4 m^3) = 5.86e-6 */
	assert_true(irqsim_bitstate_missed(1000, 1 << 20) < 6e-6);
	assert_true(irqsim_bitstate_missed(1000, 1 << 20) > 5.7e-6);
	/* ten times what the array can hold: all but about 11m/18 lost */
	assert_true(fabs(irqsim_bitstate_missed(10 * (1 << 20), 1 << 20) -
			 (10 * m - m * 11 / 18)) < 1);
	for (uint64_t n = 1; n < (1 << 22); n *= 2)
		assert_true(irqsim_bitstate_missed(n, 1 << 20) <=
			    irqsim_bitstate_missed(2 * n, 1 << 20));
}

/* A many-preemption failing schedule shrinks to one preemption. */
static void shrink_reaches_fewest_preemptions_test(void **state)
{
	const int fns[] = { fn_inc_racy, fn_inc_racy, fn_inc_racy };
	struct irqsim_schedule sc;
	struct toy_setup s;
	int pre = 0;

	(void)state;
	toy_build(&s, fns, 3, 2);
	irqsim_schedule_init(&sc);
	for (uint64_t seed = 0; seed < 1000 && pre < 3; seed++) {
		struct irqsim_chooser ch = { .kind = IRQSIM_CHOOSE_RANDOM };
		struct irqsim_run_result res;
		struct toy_world w = s.init;

		irqsim_prng_seed(&ch.prng, seed);
		sc.n = 0;
		irqsim_run(&toy_model, &s.rt, &w, &ch, 100, &sc, &res);
		if (res.status == IRQSIM_RUN_VIOLATION)
			pre = irqsim_count_preemptions(&toy_model, &s.rt,
						       &s.init, &sc);
	}
	assert_true(pre >= 3);
	assert_int_equal(irqsim_shrink(&toy_model, &s.rt, &s.init, 100,
				       TOY_LOST_UPDATE, &sc, 100000, NULL), 0);
	assert_int_equal(replay(&s, &sc).verdict.kind, TOY_LOST_UPDATE);
	assert_int_equal(irqsim_count_preemptions(&toy_model, &s.rt, &s.init,
						  &sc), 1);
	/* all 6 ops of 3 actors, 2 transitions each: 12 steps */
	assert_int_equal(sc.n, 12);
	irqsim_schedule_free(&sc);
}

/* PCT is a pure function of its seed; depth 2 finds the loss. */
static void pct_is_deterministic_and_finds_test(void **state)
{
	const int fns[] = { fn_inc_racy, fn_inc_racy };
	struct toy_setup s;
	int found = 0;

	(void)state;
	toy_build(&s, fns, 2, 1);
	for (uint64_t seed = 0; seed < 50; seed++) {
		struct irqsim_schedule a, b;
		struct irqsim_run_result ra, rb;

		irqsim_schedule_init(&a);
		irqsim_schedule_init(&b);
		for (int k = 0; k < 2; k++) {
			struct irqsim_chooser ch;
			struct toy_world w = s.init;

			irqsim_pct_chooser(&ch, seed, 2, 4);
			irqsim_run(&toy_model, &s.rt, &w, &ch, 100,
				   k ? &b : &a, k ? &rb : &ra);
		}
		assert_int_equal(a.n, b.n);
		assert_memory_equal(a.t, b.t, a.n * sizeof(a.t[0]));
		found += ra.status == IRQSIM_RUN_VIOLATION;
		irqsim_schedule_free(&a);
		irqsim_schedule_free(&b);
	}
	/*
	 * d = 2: one change point in [1, 4]; at step 1 it demotes the first
	 * loader before its store: a quarter of the seeds or so.
	 */
	assert_true(found > 0);
	assert_true(found < 50);
}

/* The lowest failing seed does not depend on workers or shards. */
static void sweep_lowest_seed_any_jobs_test(void **state)
{
	const int fns[] = { fn_inc_racy, fn_inc_racy, fn_inc_racy };
	struct irqsim_sweep sw = { .kind = IRQSIM_SWEEP_RANDOM, .base = 7,
				   .runs = 5000, .jobs = 1, .shard_count = 1,
				   .bound = 100 };
	struct irqsim_sweep_result one, two;
	struct toy_setup s;
	uint64_t shard_min = ~0ULL;

	(void)state;
	toy_build(&s, fns, 3, 1);
	assert_int_equal(irqsim_sweep_run(&toy_model, &s.rt, &s.init, &sw,
					  &one), 0);
	sw.jobs = 2;
	assert_int_equal(irqsim_sweep_run(&toy_model, &s.rt, &s.init, &sw,
					  &two), 0);
	assert_true(one.found && two.found);
	assert_int_equal(one.run, two.run);
	/* every run before the failing one was run */
	assert_true(two.runs_done >= two.run + 1);
	sw.jobs = 1;
	sw.shard_count = 3;
	for (uint32_t i = 0; i < 3; i++) {
		struct irqsim_sweep_result r;

		sw.shard_index = i;
		assert_int_equal(irqsim_sweep_run(&toy_model, &s.rt, &s.init,
						  &sw, &r), 0);
		if (r.found && r.run < shard_min)
			shard_min = r.run;
		irqsim_schedule_free(&r.schedule);
	}
	assert_int_equal(shard_min, one.run);
	irqsim_schedule_free(&one.schedule);
	irqsim_schedule_free(&two.schedule);
}

/* Frontier entries split the space; searching them all finds the loss. */
static void frontier_search_covers_space_test(void **state)
{
	const int fns[] = { fn_inc_racy, fn_inc_racy };
	struct irqsim_pdfs p = {
		.opts = { .bound = 100, .preemption_bound = -1,
			  .sleep_sets = true },
		.frontier_depth = 2, .jobs = 2, .shard_count = 1,
	};
	struct irqsim_pdfs_result r;
	struct toy_setup s;

	(void)state;
	toy_build(&s, fns, 2, 1);
	assert_int_equal(irqsim_pdfs_run(&toy_model, &s.rt, &s.init, &p, &r),
			 0);
	/* depth 2: AA, AB, BA, BB minus AB = BA (both loaded 0): 3 states */
	assert_int_equal(r.entries, 3);
	/* two workers share one set: the caller searches again */
	assert_true(r.found && r.again);
	irqsim_schedule_free(&r.schedule);
	p.jobs = 1;
	assert_int_equal(irqsim_pdfs_run(&toy_model, &s.rt, &s.init, &p, &r),
			 0);
	assert_int_equal(r.entries, 3);
	assert_true(r.found && !r.again);
	assert_int_equal(replay(&s, &r.schedule).verdict.kind, TOY_LOST_UPDATE);
	irqsim_schedule_free(&r.schedule);
	p.jobs = 2;

	/* atomic increments: no loss in any of the entries */
	{
		const int afns[] = { fn_inc_atomic, fn_inc_atomic };

		toy_build(&s, afns, 2, 2);
		p.frontier_depth = 1;
		assert_int_equal(irqsim_pdfs_run(&toy_model, &s.rt, &s.init,
						 &p, &r), 0);
		assert_false(r.found);
		assert_true(r.st.complete);
		assert_int_equal(r.entries, 2);
		assert_int_equal(r.entries_done, 2);
		irqsim_schedule_free(&r.schedule);
		/* the shared set holds what one search holds: every state */
		{
			struct irqsim_dfs_stats st;
			struct irqsim_verdict v;
			struct irqsim_schedule sc;

			irqsim_schedule_init(&sc);
			assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init,
						    &p.opts, &st, &v, &sc), 0);
			assert_int_equal(st.distinct, r.st.distinct);
			assert_int_equal(st.end_states, r.st.end_states);
			irqsim_schedule_free(&sc);
		}

		/*
		 * Under a preemption bound a split search is no proof of
		 * it: the frontier kept one path per state whatever its
		 * preemptions (irqsim_pdfs_run()).
		 */
		p.opts.preemption_bound = 0;
		assert_int_equal(irqsim_pdfs_run(&toy_model, &s.rt, &s.init,
						 &p, &r), 0);
		assert_false(r.found);
		assert_false(r.st.complete);
		assert_false(r.st.pb_complete);
		irqsim_schedule_free(&r.schedule);
	}
}

/* Fingerprints ignore the step counter, dead frames and history. */
static void fingerprint_is_canonical_test(void **state)
{
	struct toy_world a, b, scratch;
	struct irqsim_fp fa, fb;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.sched.nactors = 2;
	a.x = 5;
	b = a;
	b.sched.step = 42;
	b.history = 99;
	b.sched.actor[1].frame[3].local[2] = 7; /* above nframes: dead */
	irqsim_fingerprint(&toy_model, &a, &scratch, &fa);
	irqsim_fingerprint(&toy_model, &b, &scratch, &fb);
	assert_true(fa.a == fb.a && fa.b == fb.b);
	b.sched.actor[1].nframes = 4; /* now live */
	irqsim_fingerprint(&toy_model, &b, &scratch, &fb);
	assert_false(fa.a == fb.a && fa.b == fb.b);
	b = a;
	b.own[2] = 1;
	irqsim_fingerprint(&toy_model, &b, &scratch, &fb);
	assert_false(fa.a == fb.a && fa.b == fb.b);
}

/*
 * A successor's fingerprint from its parent's (the words that changed)
 * equals the one computed whole: frames pushed and popped, a dead frame
 * left dirty, the engine's and the model's words, a history field the
 * canonical form clears, a value set back to zero.
 */
static void fingerprint_step_is_whole_test(void **state)
{
	struct toy_world p, c, cp, cc, scratch;
	struct irqsim_fp fp, whole, step;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.sched.nactors = 3;
	p.x = 5;
	p.own[1] = 3;
	p.sched.actor[0].nframes = 2;
	p.sched.actor[0].frame[1].local[0] = 9;
	p.sched.actor[2].nframes = 1;
	p.sched.actor[2].frame[0].pc = 4;
	irqsim_fingerprint(&toy_model, &p, &scratch, &fp);
	for (int k = 0; k < 6; k++) {
		c = p;
		switch (k) {
		case 0:	/* pop: the frame stays behind, dead */
			c.sched.actor[0].nframes = 1;
			break;
		case 1:	/* push a fresh frame over a dirty dead one */
			c.sched.actor[2].nframes = 2;
			c.sched.actor[2].frame[1].fn = 7;
			break;
		case 2:	/* a model word back to zero, another set */
			c.own[1] = 0;
			c.own[2] = -1;
			break;
		case 3:	/* only history and the step: the same state */
			c.history = 77;
			c.sched.step = 12;
			break;
		case 4:	/* a lock and a warning */
			c.sched.lock_owner[5] = 2;
			c.sched.warnings = 1;
			break;
		default: /* a frame's local and x together */
			c.sched.actor[0].frame[1].local[0] = 10;
			c.x = 6;
			break;
		}
		irqsim_fingerprint(&toy_model, &c, &scratch, &whole);
		memcpy(&cp, &p, sizeof(p));
		toy_canonical(&cp);
		memcpy(&cc, &c, sizeof(c));
		toy_canonical(&cc);
		irqsim_fingerprint_step(&toy_model, &p,
					(const unsigned char *)(&cp.sched + 1),
					&fp, &c,
					(const unsigned char *)(&cc.sched + 1),
					&step);
		assert_true(whole.a == step.a && whole.b == step.b);
		/* and every case but the history one is a new state */
		assert_int_equal(k == 3, whole.a == fp.a && whole.b == fp.b);
	}
}

/*
 * Wall time is counted once: the progress path reports the time so far,
 * and the end adds only what came after the start, not the reported time
 * again. Four actors of 16 atomic increments, no reduction: 17^4 = 83521
 * distinct states entered about four times each, so the progress callback
 * (every 65536 states) runs a few times; it sleeps, so counting the time
 * up to a progress call twice would show by tens of milliseconds.
 */
struct progress_seen {
	int calls;
	double last;
};

static void slow_progress(const struct irqsim_dfs_stats *st, void *arg)
{
	struct progress_seen *p = arg;
	struct timespec ts = { .tv_nsec = 20 * 1000 * 1000 };

	p->calls++;
	p->last = st->seconds;
	nanosleep(&ts, NULL);
}

static void dfs_counts_wall_time_once_test(void **state)
{
	const int fns[] = { fn_inc_atomic, fn_inc_atomic, fn_inc_atomic,
			    fn_inc_atomic };
	struct progress_seen seen = { 0 };
	struct irqsim_dfs_opts o = { .bound = 100, .preemption_bound = -1,
				     .progress = slow_progress,
				     .progress_arg = &seen };
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct toy_setup s;
	double t0, wall;

	(void)state;
	toy_build(&s, fns, 4, 16);
	irqsim_schedule_init(&sc);
	t0 = irqsim_now_seconds();
	assert_int_equal(irqsim_dfs(&toy_model, &s.rt, &s.init, &o, &st, &v,
				    &sc), 0);
	wall = irqsim_now_seconds() - t0;
	assert_int_equal(v.kind, 0);
	assert_true(st.complete);
	assert_int_equal(st.distinct, 83521);
	assert_true(seen.calls >= 2);
	/* each call slept 20 ms, and all of it is in the total, once */
	assert_true(st.seconds >= seen.last);
	assert_true(st.seconds >= 0.02 * seen.calls);
	assert_true(st.seconds <= wall);
	irqsim_schedule_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dfs_finds_lost_update_test),
		cmocka_unit_test(preemption_bound_needs_every_transition_test),
		cmocka_unit_test(dfs_proves_atomic_counter_test),
		cmocka_unit_test(sleep_sets_fire_fewer_transitions_test),
		cmocka_unit_test(shrink_reaches_fewest_preemptions_test),
		cmocka_unit_test(pct_is_deterministic_and_finds_test),
		cmocka_unit_test(sweep_lowest_seed_any_jobs_test),
		cmocka_unit_test(frontier_search_covers_space_test),
		cmocka_unit_test(fingerprint_is_canonical_test),
		cmocka_unit_test(fingerprint_step_is_whole_test),
		cmocka_unit_test(dfs_counts_wall_time_once_test),
		cmocka_unit_test(bitstate_reaches_and_estimates_test),
		cmocka_unit_test(bitstate_estimate_test),
	};

	return cmocka_run_group_tests(tests, setup_fns, NULL);
}
