/* SPDX-License-Identifier: MIT */
/*
 * Shared by the renderer tests: run a trace as `irqsim run` does (its
 * fixed schedule, or a seed) with the event log attached, and render the
 * run into memory.
 */
#ifndef IRQSIM_TESTS_RENDER_UTIL_H
#define IRQSIM_TESTS_RENDER_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"

struct rendered_run {
	struct scenario s;
	int knobs[IRQSIM_MAX_KNOBS];
	struct vmm_world *w;
	struct irqsim_log log;
	struct irqsim_run_result res;
	struct trace_run run;
};

/*
 * Run @path from the source tree: its fixed schedule when @seed < 0 (and
 * then the lowest enabled transition, as `irqsim run` does), else random
 * seed @seed. @profile: NULL or a profile name applied on top. @ignore:
 * verdict kinds not reported (1u << CHECK_*). @schedule: NULL, or the
 * words of `irqsim run --schedule` to run instead of the trace's own.
 */
static inline int render_util_run_full(struct rendered_run *r,
				       const char *path, const char *profile,
				       long long seed, uint32_t ignore,
				       const char *schedule)
{
	struct scenario_config extra = { 0 };
	struct irqsim_schedule record;
	struct irqsim_chooser ch;
	struct irqsim_rt rt;
	char err[SCENARIO_ERR], full[1024];

	memset(r, 0, sizeof(*r));
	scenario_init();
	snprintf(full, sizeof(full), "%s/%s", IRQSIM_SOURCE_DIR, path);
	if (scenario_load(&r->s, full, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (profile && config_add_profile(&extra, profile, err, sizeof(err)))
		return -1;
	config_apply(r->knobs, &r->s.config, &extra);
	r->w = malloc(sizeof(*r->w));
	if (!r->w || scenario_world(&r->s, r->knobs, r->w, err, sizeof(err)))
		return -1;
	if (schedule) {
		char words[1024], *save = NULL;

		snprintf(words, sizeof(words), "%s", schedule);
		r->s.schedule.n = 0;
		for (char *w = strtok_r(words, " ", &save); w;
		     w = strtok_r(NULL, " ", &save))
			if (schedule_parse(&r->s, w, &r->s.schedule, err,
					   sizeof(err)))
				return -1;
	}
	memset(&ch, 0, sizeof(ch));
	if (seed < 0) {
		ch.kind = IRQSIM_CHOOSE_REPLAY;
		ch.replay = &r->s.schedule;
		ch.replay_then_first = true;
	} else {
		ch.kind = IRQSIM_CHOOSE_RANDOM;
		irqsim_prng_seed(&ch.prng, (uint64_t)seed);
	}
	irqsim_log_init(&r->log);
	irqsim_schedule_init(&record);
	scenario_rt(&r->s, r->knobs, &r->log, &rt);
	rt.ignore = ignore;	/* as `irqsim run --ignore` */
	irqsim_run(&scenario_model, &rt, r->w, &ch, r->s.bound, &record,
		   &r->res);
	irqsim_schedule_free(&record);
	r->run = (struct trace_run){ .name = r->s.name, .log = &r->log,
				     .m = &r->s.machine,
				     .verdict = &r->res.verdict };
	return r->log.oom ? -1 : 0;
}

static inline int render_util_run_ignoring(struct rendered_run *r,
					   const char *path,
					   const char *profile, long long seed,
					   uint32_t ignore)
{
	return render_util_run_full(r, path, profile, seed, ignore, NULL);
}

static inline int render_util_run(struct rendered_run *r, const char *path,
				  const char *profile, long long seed)
{
	return render_util_run_full(r, path, profile, seed, 0, NULL);
}

static inline void render_util_free(struct rendered_run *r)
{
	irqsim_log_free(&r->log);
	free(r->w);
	scenario_free(&r->s);
}

/* The run rendered in @format, NUL-terminated; free() it. */
static inline char *render_util_render(const struct rendered_run *r,
				       int format, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		return NULL;
	if (trace_render(f, format, &r->run)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

/* A whole file from the source tree, NUL-terminated; free() it. */
static inline char *render_util_slurp(const char *path)
{
	char full[512], *buf = NULL;
	size_t n = 0, cap = 0;
	FILE *f;
	int c;

	snprintf(full, sizeof(full), "%s/%s", IRQSIM_SOURCE_DIR, path);
	f = fopen(full, "r");
	if (!f)
		return NULL;
	while ((c = fgetc(f)) != EOF) {
		if (n + 2 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		buf[n++] = (char)c;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	else
		buf[n] = 0;
	return buf;
}

/* A field "key=value" of an event, as an int; -1 if absent. */
static inline long render_util_field(const struct irqsim_event *e,
				     const char *key)
{
	char pat[48];
	const char *p;

	snprintf(pat, sizeof(pat), "%s=", key);
	for (p = e->fields; (p = strstr(p, pat)); p++)
		if (p == e->fields || p[-1] == ' ')
			return strtol(p + strlen(pat), NULL, 0);
	return -1;
}

#endif
