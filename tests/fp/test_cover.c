// SPDX-License-Identifier: MIT
/*
 * explore --unreached (issue 23): the program points of each modeled
 * function, from the records its resume macros leave, and which of them
 * a search reached.
 *
 * A toy function with two branches gives the exact answer by hand: a
 * search that only takes one branch reaches every point of it and none
 * of the other, the points passed without stopping (a lock not
 * contended, a wait already satisfied, a call that returns in the same
 * step) included. On the real model, every point sits on a source line
 * that holds its macro, every step function with points is a registered
 * modeled function, and a trace that never frees an irq twice reaches
 * all of free_irq() but its "already free" path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"
#include "sched/cover.h"
#include "sched/explore.h"
#include "vmm/vmm.h"

/* ------------------------------------------------------------------ */
/* A toy model: actors running toy_branchy(arg)                         */

#define TOY_LOCK	0
#define TOY_TOKEN	IRQSIM_TOKEN_MODEL

struct toy_world {
	struct sched_world sched;
	int32_t flag;		/* what toy_branchy()'s wait waits for */
	int32_t leaf_runs;
};

struct branchy_frame {
	int arg;
};

static enum irqsim_step toy_leaf(struct irqsim_ctx *ctx,
				 struct irqsim_frame *f)
{
	IRQSIM_BEGIN(f);
	((struct toy_world *)ctx->world)->leaf_runs++;
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(toy_leaf);

static enum irqsim_step call_toy_leaf(struct irqsim_ctx *ctx)
{
	return irqsim_call(ctx, fn_toy_leaf, 0, 0, 0, 0);
}

/*
 * Points, in line order: entry, lock, yield, then arg != 0: yield,
 * call; arg == 0: yield, wait.
 */
static enum irqsim_step toy_branchy(struct irqsim_ctx *ctx,
				    struct irqsim_frame *f)
{
	struct branchy_frame *v = IRQSIM_FRAME_VARS(f, struct branchy_frame);
	struct toy_world *w = ctx->world;

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, TOY_LOCK);
	IRQSIM_YIELD_POINT();
	if (v->arg) {
		IRQSIM_YIELD_POINT();
		IRQSIM_CALL(call_toy_leaf(ctx));
	} else {
		IRQSIM_YIELD_POINT();
		IRQSIM_WAIT_UNTIL(ctx, w->flag, TOY_TOKEN);
	}
	irqsim_unlock(ctx, TOY_LOCK);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(toy_branchy);

/* Never called: its points are all unreached. */
static enum irqsim_step toy_never(struct irqsim_ctx *ctx,
				  struct irqsim_frame *f)
{
	IRQSIM_BEGIN(f);
	IRQSIM_YIELD_POINT();
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(toy_never);

static int toy_enabled(const void *world, const struct irqsim_rt *rt,
		       uint16_t *out)
{
	int n = 0;

	for (int a = 0; a < ((const struct sched_world *)world)->nactors; a++)
		if (irqsim_actor_runnable(world, rt, a))
			out[n++] = (uint16_t)a;
	return n;
}

static void toy_fire(struct irqsim_ctx *ctx, uint16_t t)
{
	ctx->actor = t;
	irqsim_actor_step(ctx);
}

static int toy_check(const void *world, const struct irqsim_rt *rt,
		     struct irqsim_verdict *v)
{
	(void)world;
	(void)rt;
	(void)v;
	return 0;
}

static int toy_check_end(const void *world, const struct irqsim_rt *rt,
			 bool bound_hit, struct irqsim_verdict *v)
{
	(void)bound_hit;
	return toy_check(world, rt, v);
}

static const struct irqsim_model toy_model = {
	.world_size = sizeof(struct toy_world),
	.enabled = toy_enabled,
	.fire = toy_fire,
	.check_step = toy_check,
	.check_end = toy_check_end,
};

/* Two actors calling toy_branchy(@arg), searched exhaustively. */
static void toy_search(int arg)
{
	struct irqsim_program prog[IRQSIM_MAX_ACTORS];
	struct irqsim_dfs_opts opts = { .bound = 100, .preemption_bound = -1,
					.sleep_sets = true };
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct irqsim_rt rt = { .prog = prog };
	struct toy_world init;

	memset(prog, 0, sizeof(prog));
	memset(&init, 0, sizeof(init));
	memset(init.sched.lock_owner, -1, sizeof(init.sched.lock_owner));
	init.sched.nactors = 2;
	init.flag = 1;		/* the wait is passed, never blocked on */
	for (int a = 0; a < 2; a++) {
		prog[a].nops = 1;
		prog[a].op[0].fn = (uint16_t)fn_toy_branchy;
		prog[a].op[0].arg[0] = arg;
	}
	irqsim_schedule_init(&sc);
	assert_int_equal(irqsim_cover_start(), 0);
	assert_int_equal(irqsim_dfs(&toy_model, &rt, &init, &opts, &st, &v,
				    &sc),
			 0);
	irqsim_cover_stop();
	assert_true(st.complete);
	assert_int_equal(v.kind, 0);
	irqsim_schedule_free(&sc);
}

static const struct irqsim_cover_fn *find(const struct irqsim_cover_report *r,
					  const char *name)
{
	for (size_t i = 0; i < r->nfn; i++)
		if (!strcmp(r->fn[i].name, name))
			return &r->fn[i];
	fail_msg("no modeled function %s in the report", name);
	return NULL;
}

/* @fn's points are of kinds @what, and reached as @reached says. */
static void expect_points(const struct irqsim_cover_fn *fn,
			  const char *const *what, const bool *reached,
			  size_t n)
{
	size_t got = 0;

	assert_int_equal(fn->n, n);
	for (size_t i = 0; i < n; i++) {
		const struct irqsim_point *p = fn->point[i].p;

		assert_string_equal(p->what, what[i]);
		/* a resume point is its source line; the entry is 0 */
		assert_int_equal(p->pc, i ? p->at : 0);
		if (fn->point[i].reached != reached[i])
			fail_msg("%s, point %zu (line %d, %s): reached %d, expected %d",
				 fn->name, i, p->at, p->what,
				 fn->point[i].reached, reached[i]);
		got += reached[i];
	}
	assert_int_equal(fn->reached, got);
}

static const char *const branchy_kinds[] = {
	"entry", "lock", "yield", "yield", "call", "yield", "wait",
};

static void toy_one_branch_test(void **state)
{
	static const bool taken[] = { 1, 1, 1, 1, 1, 0, 0 };
	static const bool leaf[] = { 1 };
	static const bool never[] = { 0, 0 };
	static const char *const leaf_kinds[] = { "entry" };
	static const char *const never_kinds[] = { "entry", "yield" };
	struct irqsim_cover_report r;

	(void)state;
	toy_search(1);
	assert_int_equal(irqsim_cover_report(&r), 0);
	expect_points(find(&r, "toy_branchy"), branchy_kinds, taken, 7);
	/* entered by a call that returned in the caller's step */
	expect_points(find(&r, "toy_leaf"), leaf_kinds, leaf, 1);
	expect_points(find(&r, "toy_never"), never_kinds, never, 2);
	irqsim_cover_report_free(&r);
}

/* The other branch: its wait passed at once, the call not made. */
static void toy_other_branch_test(void **state)
{
	static const bool taken[] = { 1, 1, 1, 0, 0, 1, 1 };
	static const bool leaf[] = { 0 };
	static const char *const leaf_kinds[] = { "entry" };
	struct irqsim_cover_report r;

	(void)state;
	toy_search(0);
	assert_int_equal(irqsim_cover_report(&r), 0);
	expect_points(find(&r, "toy_branchy"), branchy_kinds, taken, 7);
	expect_points(find(&r, "toy_leaf"), leaf_kinds, leaf, 1);
	irqsim_cover_report_free(&r);
}

/* Marks only between start and stop; a new start forgets the last. */
static void toy_marks_while_on_test(void **state)
{
	static const bool none[] = { 0, 0, 0, 0, 0, 0, 0 };
	struct irqsim_cover_report r;

	(void)state;
	toy_search(1);
	assert_int_equal(irqsim_cover_start(), 0);
	irqsim_cover_stop();
	assert_int_equal(irqsim_cover_report(&r), 0);
	expect_points(find(&r, "toy_branchy"), branchy_kinds, none, 7);
	irqsim_cover_report_free(&r);
}

/* ------------------------------------------------------------------ */
/* The real model                                                      */

/* The macro that makes a point of kind @what. */
static bool line_has_macro(const char *line, const char *what)
{
	static const struct {
		const char *what, *macro;
	} kinds[] = {
		{ "entry", "IRQSIM_BEGIN(" },
		{ "yield", "IRQSIM_YIELD_POINT(" },
		{ "lock", "IRQSIM_LOCK(" },
		{ "lock", "raw_spin_lock_irqsave(" },
		{ "wait", "IRQSIM_WAIT_UNTIL(" },
		{ "yield/lock", "IRQSIM_YIELD_LOCK(" },
		{ "yield/wait", "IRQSIM_YIELD_WAIT_UNTIL(" },
		{ "call", "IRQSIM_CALL(" },
		{ "call", "IRQSIM_CALL_YIELD_IF(" },
		{ "yield/call", "IRQSIM_YIELD_OR_CALL(" },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].what, what) &&
		    strstr(line, kinds[i].macro))
			return true;
	return false;
}

/* Line @n of @path, or "" past its end. */
static void source_line(const char *path, int n, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		fail_msg("cannot read %s", path);
	for (int i = 1; i <= n && fgets(buf, (int)len, f); i++)
		if (i < n)
			buf[0] = 0;
	fclose(f);
}

/*
 * Every point of the model is on a line holding its macro (GCC's
 * __LINE__ of a macro is the line of its name: the twin is GCC's);
 * every registered function has its points in the report, under its
 * name; a body no IRQSIM_DEFINE_FN() registers starts with an entry of
 * its own.
 */
static void model_points_are_its_macros_test(void **state)
{
	struct irqsim_cover_report r;
	size_t model = 0, registered = 0;
	const char *name;
	char line[512];

	(void)state;
	assert_int_equal(irqsim_cover_report(&r), 0);
	for (int id = 0; strcmp(name = irqsim_fn_name(id), "?"); id++) {
		if (!find(&r, name)->registered)
			fail_msg("%s: not reported as registered", name);
		registered++;
	}
	assert_int_equal(registered + r.unregistered, r.nfn);
	for (size_t i = 0; i < r.nfn; i++)
		assert_int_equal(r.fn[i].point[0].p->pc, 0);
	for (size_t i = 0; i < r.npoints; i++) {
		const struct irqsim_point *p = r.point[i].p;

		if (!strstr(p->file, "/src/"))
			continue;
		model++;
		source_line(p->file, p->at, line, sizeof(line));
		if (!line_has_macro(line, p->what))
			fail_msg("%s:%d: a %s point of %s, but the line is: %s",
				 p->file, p->at, p->what, p->func, line);
	}
	/* free_irq() and its callees, at least, are linked in */
	assert_true(model > 50);
	irqsim_cover_report_free(&r);
}

/* The line of the first @macro at or after the line holding @text. */
static int line_after(const char *path, const char *text, const char *macro)
{
	FILE *f = fopen(path, "r");
	char buf[512];
	bool seen = false;
	int n = 0;

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		n++;
		seen = seen || strstr(buf, text);
		if (seen && strstr(buf, macro)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	fail_msg("%s: no %s after '%s'", path, macro, text);
	return 0;
}

/*
 * two-devices-one-loses frees nic0's irq once, always with its action
 * there: a dfs reaches every point of free_irq() but the yield of its
 * "Trying to free already-free IRQ" path.
 */
static void trace_reaches_free_irq_but_its_warning_test(void **state)
{
	const char *path = IRQSIM_SOURCE_DIR "/traces/two-devices-one-loses.trace";
	struct irqsim_dfs_opts opts = { .preemption_bound = -1,
					.sleep_sets = true };
	struct irqsim_cover_report r;
	const struct irqsim_cover_fn *fn;
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct irqsim_scope scope = {
		CHECK_LOST_INTERRUPT, CHECK_OBJECT(CHECK_OBJ_DEV, 0, -1)
	};
	struct vmm_world *init = malloc(sizeof(*init));
	int knobs[IRQSIM_MAX_KNOBS];
	char err[SCENARIO_ERR];
	struct scenario s;
	struct irqsim_rt rt;
	int warn;

	(void)state;
	assert_non_null(init);
	assert_int_equal(scenario_load(&s, path, err, sizeof(err)), 0);
	config_apply(knobs, &s.config, NULL);
	assert_int_equal(irqsim_cover_start(), 0);
	assert_int_equal(scenario_world(&s, knobs, init, err, sizeof(err)), 0);
	scenario_rt(&s, knobs, NULL, &rt);
	/* nic0 loses; nic1 is judged, and the search runs to its end */
	rt.ignore_scoped = &scope;
	rt.nignore_scoped = 1;
	opts.bound = s.bound;
	irqsim_schedule_init(&sc);
	assert_int_equal(irqsim_dfs(&scenario_model, &rt, init, &opts, &st,
				    &v, &sc),
			 0);
	irqsim_cover_stop();
	assert_true(st.complete);
	assert_int_equal(v.kind, 0);
	assert_int_equal(irqsim_cover_report(&r), 0);
	fn = find(&r, "free_irq");
	warn = line_after(fn->file, "free_already_free++",
			  "IRQSIM_YIELD_POINT(");
	assert_true(fn->n > 2);
	for (size_t i = 0; i < fn->n; i++) {
		const struct irqsim_point *p = fn->point[i].p;

		if (fn->point[i].reached != (p->at != warn))
			fail_msg("free_irq, line %d (%s): reached %d; only line %d should be unreached",
				 p->at, p->what, fn->point[i].reached, warn);
	}
	irqsim_cover_report_free(&r);
	irqsim_schedule_free(&sc);
	scenario_free(&s);
	free(init);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(toy_one_branch_test),
		cmocka_unit_test(toy_other_branch_test),
		cmocka_unit_test(toy_marks_while_on_test),
		cmocka_unit_test(model_points_are_its_macros_test),
		cmocka_unit_test(trace_reaches_free_irq_but_its_warning_test),
	};

	scenario_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
