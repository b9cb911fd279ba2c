/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): what `irqsim run` and
 * `irqsim replay --render` do with an input once it parsed: build the
 * world (setup operations run), run one schedule with the event log, render
 * it, and save it and read it back. Properties that do not hold abort(),
 * which libFuzzer reports as a crash with the input:
 *  - a run of a trace that parsed saves, and the saved file reads back to
 *    the same schedule (a saved run is what --save promises);
 *  - replaying that schedule gives the same verdict and step count.
 * The step bound is cut to FUZZ_MAX_STEPS: an input is one run, not a
 * search, and must stay fast.
 */
#ifndef IRQSIM_FUZZ_COMMON_H
#define IRQSIM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/saved.h"

#define FUZZ_MAX_STEPS	2000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static FILE *fuzz_null;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	scenario_init();
	fuzz_null = fopen("/dev/null", "w");
	return 0;
}

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: property broken: %s: %s\n", what, detail);
	abort();
}

static void fuzz_replay(const struct scenario *s, const int *knobs,
			struct vmm_world *w, const struct vmm_world *init,
			const struct irqsim_schedule *sc,
			const struct irqsim_run_result *want)
{
	struct irqsim_chooser ch = { .kind = IRQSIM_CHOOSE_REPLAY,
				     .replay = sc };
	struct irqsim_run_result res;
	struct irqsim_rt rt;

	scenario_rt(s, knobs, NULL, &rt);
	memcpy(w, init, sizeof(*w));
	irqsim_run(&scenario_model, &rt, w, &ch, FUZZ_MAX_STEPS, NULL, &res);
	if (res.status != want->status || res.verdict.kind != want->verdict.kind ||
	    res.steps != want->steps)
		fuzz_fail("replay", "the saved schedule does not give the run");
}

/* Save the run, read it back, replay it. */
static void fuzz_save_roundtrip(const struct scenario *s, const int *knobs,
				struct vmm_world *w,
				const struct vmm_world *init,
				const struct irqsim_schedule *sc,
				const struct irqsim_run_result *res)
{
	struct saved_run *sr = malloc(sizeof(*sr));
	char err[SCENARIO_ERR], *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!sr)
		return;
	f = open_memstream(&buf, &len);
	if (!f) {
		free(sr);
		return;
	}
	saved_write(f, s, knobs, 0, true, sc, NULL, &res->verdict);
	if (fclose(f)) {
		free(buf);
		free(sr);
		return;
	}
	if (saved_parse(sr, "fuzz.irqsim", buf, len, err, sizeof(err)))
		fuzz_fail("a saved run does not read back", err);
	if (sr->schedule.n != sc->n ||
	    (sc->n && memcmp(sr->schedule.t, sc->t, sc->n * sizeof(*sc->t))))
		fuzz_fail("a saved run does not read back", "another schedule");
	fuzz_replay(s, knobs, w, init, &sr->schedule, res);
	saved_free(sr);
	free(sr);
	free(buf);
}

/*
 * Run @s once: its fixed schedule @sc (then the lowest enabled), or the
 * random seed @seed. @roundtrip: save, read back, replay.
 */
static void fuzz_run(const struct scenario *s, const struct scenario_config *a,
		     const struct scenario_config *b,
		     const struct irqsim_schedule *sc, uint64_t seed,
		     bool roundtrip)
{
	struct vmm_world *init = malloc(sizeof(*init));
	struct vmm_world *w = malloc(sizeof(*w));
	struct irqsim_chooser ch = { 0 };
	struct irqsim_run_result res;
	struct irqsim_schedule record;
	struct irqsim_log log;
	struct irqsim_rt rt;
	int knobs[IRQSIM_MAX_KNOBS];
	char err[SCENARIO_ERR];
	uint32_t bound = s->bound < FUZZ_MAX_STEPS ? s->bound : FUZZ_MAX_STEPS;

	irqsim_schedule_init(&record);
	irqsim_log_init(&log);
	if (!init || !w)
		goto out;
	config_apply(knobs, a, b);
	if (scenario_world(s, knobs, init, err, sizeof(err)))
		goto out;
	memcpy(w, init, sizeof(*w));
	if (sc && sc->n) {
		ch.kind = IRQSIM_CHOOSE_REPLAY;
		ch.replay = sc;
		ch.replay_then_first = true;
	} else {
		ch.kind = IRQSIM_CHOOSE_RANDOM;
		irqsim_prng_seed(&ch.prng, seed);
	}
	scenario_rt(s, knobs, &log, &rt);
	irqsim_run(&scenario_model, &rt, w, &ch, bound, &record, &res);
	if (!log.oom && res.status != IRQSIM_RUN_DIVERGED) {
		struct trace_run run = { .name = s->name, .log = &log,
					 .m = &s->machine,
					 .verdict = &res.verdict };
		char summary[512];

		trace_render(fuzz_null, TRACE_TEXT, &run);
		trace_render(fuzz_null, TRACE_TIMELINE, &run);
		trace_render(fuzz_null, TRACE_JSON, &run);
		check_summary(w, summary, sizeof(summary));
		if (roundtrip && res.steps < bound)
			fuzz_save_roundtrip(s, knobs, w, init, &record, &res);
	}
out:
	irqsim_log_free(&log);
	irqsim_schedule_free(&record);
	free(init);
	free(w);
}

#endif
