// SPDX-License-Identifier: MIT
/*
 * History is write-only: no transition decides anything on the bytes
 * the model's canonical() clears.
 *
 * The exhaustive searches merge two states whose canonical forms are
 * equal (dfs's visited set), and the footprint reduction drops those
 * bytes from every dependency (dpor's build_ignore()). Both are sound
 * only if the bytes are history: stamps and counters that the oracles'
 * messages read but no transition, and no enabledness test, acts on. A
 * transition that branched on one would make a search prove "none" for
 * a state it never explored. This test walks random schedules of every
 * trace, under the configuration of each of its expect lines, with the
 * footprint recorder on, and fails on any enabledness test or transition
 * that reads a history byte it does not also write (a counter's
 * increment reads what it writes; a branch on a stamp does not).
 *
 * The step counter is exempt: it is the clock the stamps are taken
 * from. The oracles are not recorded: they may read history for their
 * messages, and what they decide is what the expect lines check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"
#include "sched/footprint.h"
#include "vmm/vmm.h"

#define TRACE_DIR IRQSIM_SOURCE_DIR "/traces"
#define RUNS 12

struct walk {
	const char *trace;
	const struct scenario *s;
	struct irqsim_fp_space sp;
	struct irqsim_fpset hist, fs;
	struct irqsim_rt rt;
	struct vmm_world *w;
	size_t step_off;
	int bad;
};

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

/* History bytes @fs reads without writing, other than the step counter. */
static void reads_history(struct walk *wk, const char *what, const char *who)
{
	const struct irqsim_fpset *h = &wk->hist;
	uint32_t i = 0, j = 0;

	while (i < wk->fs.n && j < h->n) {
		const struct irqsim_fp_word *x = &wk->fs.e[i], *y = &h->e[j];

		if (x->idx < y->idx) {
			i++;
		} else if (x->idx > y->idx) {
			j++;
		} else {
			uint64_t m = x->r & ~x->w & y->w;

			for (int b = 0; m && b < 64; b++) {
				size_t off = (size_t)x->idx * 64 + (size_t)b;

				if (!(m >> b & 1) ||
				    (off >= wk->step_off &&
				     off < wk->step_off + sizeof(uint32_t)))
					continue;
				if (wk->bad++ < 10)
					print_error("%s: %s %s reads history byte %zu (cleared by canonical()) without writing it\n",
						    wk->trace, what, who, off);
			}
			i++;
			j++;
		}
	}
}

/* One random schedule from @init: every source's test, the move taken. */
static void walk_one(struct walk *wk, const struct vmm_world *init,
		     uint64_t seed)
{
	const struct irqsim_model *m = &scenario_model;
	int nprocs = m->nprocs(&wk->rt);
	struct irqsim_prng prng;
	char who[64];

	assert_true(nprocs <= 64);
	irqsim_prng_seed(&prng, seed);
	memcpy(wk->w, init, sizeof(*wk->w));
	for (uint32_t n = 0; n < wk->s->bound; n++) {
		uint16_t code[64], c;
		int nen = 0;

		for (int p = 0; p < nprocs; p++) {
			bool en;

			irqsim_fpset_clear(&wk->sp, &wk->fs);
			irqsim_fp_begin(&wk->sp, &wk->fs, wk->w);
			en = m->proc_next(wk->w, &wk->rt, p, &c);
			irqsim_fp_end();
			snprintf(who, sizeof(who), "of source %d", p);
			reads_history(wk, "the enabledness test", who);
			if (en)
				code[nen++] = c;
		}
		if (!nen)
			return;
		c = code[irqsim_prng_below(&prng, (uint32_t)nen)];
		irqsim_fpset_clear(&wk->sp, &wk->fs);
		irqsim_fp_begin(&wk->sp, &wk->fs, wk->w);
		irqsim_fire(m, &wk->rt, wk->w, c);
		irqsim_fp_end();
		reads_history(wk, "transition",
			      m->transition_name(wk->w, &wk->rt, c, who,
						 sizeof(who)));
	}
}

/* Every expect line's configuration of one trace. */
static int walk_trace(const char *path, const char *name, uint64_t *moves)
{
	static struct scenario s;
	char err[SCENARIO_ERR];
	struct walk wk = { .trace = name, .s = &s };
	struct vmm_world *init = malloc(sizeof(*init));
	int knobs[IRQSIM_MAX_KNOBS];

	assert_non_null(init);
	wk.w = malloc(sizeof(*wk.w));
	assert_non_null(wk.w);
	assert_int_equal(scenario_load(&s, path, err, sizeof(err)), 0);
	assert_int_equal(irqsim_fp_space_init(&wk.sp, sizeof(*init)), 0);
	assert_int_equal(irqsim_fpset_init(&wk.sp, &wk.hist), 0);
	assert_int_equal(irqsim_fpset_init(&wk.sp, &wk.fs), 0);
	wk.step_off = offsetof(struct vmm_world, vfio.msi.irq.apic.sched) +
		      offsetof(struct sched_world, step);
	for (int e = 0; e < s.nexpect; e++) {
		config_apply(knobs, &s.config, &s.expect[e].config);
		if (scenario_world(&s, knobs, init, err, sizeof(err))) {
			print_error("%s\n", err);
			fail();
		}
		scenario_rt(&s, knobs, NULL, &wk.rt);
		/* what canonical() clears, in this configuration's world */
		memcpy(wk.w, init, sizeof(*wk.w));
		irqsim_fpset_clear(&wk.sp, &wk.hist);
		irqsim_fp_begin(&wk.sp, &wk.hist, wk.w);
		scenario_model.canonical(wk.w);
		irqsim_fp_end();
		assert_true(wk.hist.n > 0);
		for (uint64_t r = 0; r < RUNS; r++) {
			walk_one(&wk, init, r * 7919 + (uint64_t)e);
			*moves += wk.w->vfio.msi.irq.apic.sched.step;
		}
	}
	irqsim_fpset_free(&wk.fs);
	irqsim_fpset_free(&wk.hist);
	irqsim_fp_space_free(&wk.sp);
	scenario_free(&s);
	free(wk.w);
	free(init);
	return wk.bad;
}

static void history_is_write_only_test(void **state)
{
	char path[1024];
	struct dirent *de;
	uint64_t moves = 0;
	int traces = 0, bad = 0;
	DIR *dir;

	(void)state;
	assert_true(irqsim_fp_available());
	scenario_init();
	dir = opendir(TRACE_DIR);
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		if (!has_suffix(de->d_name, ".trace"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", TRACE_DIR, de->d_name);
		bad += walk_trace(path, de->d_name, &moves);
		traces++;
	}
	closedir(dir);
	print_message("%d traces, %" PRIu64 " moves recorded\n", traces, moves);
	assert_true(traces >= 30);
	assert_int_equal(bad, 0);
}

/*
 * The check can fail: a transition that reads a history byte is caught.
 * The device's raise counter is history (canonical() clears it); a
 * transition that branches on it must be reported.
 */
static void a_branch_on_history_is_caught_test(void **state)
{
	static struct scenario s;
	char err[SCENARIO_ERR];
	struct walk wk = { .trace = "(probe)", .s = &s };
	int knobs[IRQSIM_MAX_KNOBS];
	struct vmm_world *w = malloc(sizeof(*w));
	volatile uint16_t sink;

	(void)state;
	assert_non_null(w);
	scenario_init();
	assert_int_equal(scenario_load(&s, TRACE_DIR "/seed000-vfio-loss.trace",
				       err, sizeof(err)), 0);
	config_apply(knobs, &s.config, NULL);
	assert_int_equal(scenario_world(&s, knobs, w, err, sizeof(err)), 0);
	assert_int_equal(irqsim_fp_space_init(&wk.sp, sizeof(*w)), 0);
	assert_int_equal(irqsim_fpset_init(&wk.sp, &wk.hist), 0);
	assert_int_equal(irqsim_fpset_init(&wk.sp, &wk.fs), 0);
	wk.step_off = offsetof(struct vmm_world, vfio.msi.irq.apic.sched) +
		      offsetof(struct sched_world, step);
	wk.w = w;
	irqsim_fp_begin(&wk.sp, &wk.hist, w);
	scenario_model.canonical(w);
	irqsim_fp_end();

	/* reading the step counter is allowed: stamps are taken from it */
	irqsim_fp_begin(&wk.sp, &wk.fs, w);
	sink = (uint16_t)w->vfio.msi.irq.apic.sched.step;
	irqsim_fp_end();
	reads_history(&wk, "a stamp", "");
	assert_int_equal(wk.bad, 0);

	/* an increment reads what it writes */
	irqsim_fpset_clear(&wk.sp, &wk.fs);
	irqsim_fp_begin(&wk.sp, &wk.fs, w);
	w->vfio.msi.dev[0].raised[0]++;
	irqsim_fp_end();
	reads_history(&wk, "an increment", "");
	assert_int_equal(wk.bad, 0);

	/* a branch on it does not */
	irqsim_fpset_clear(&wk.sp, &wk.fs);
	irqsim_fp_begin(&wk.sp, &wk.fs, w);
	sink = w->vfio.msi.dev[0].raised[0];
	irqsim_fp_end();
	(void)sink;
	reads_history(&wk, "a branch", "");
	assert_int_equal(wk.bad, 2);	/* both bytes of the counter */

	irqsim_fpset_free(&wk.fs);
	irqsim_fpset_free(&wk.hist);
	irqsim_fp_space_free(&wk.sp);
	scenario_free(&s);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_branch_on_history_is_caught_test),
		cmocka_unit_test(history_is_write_only_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
