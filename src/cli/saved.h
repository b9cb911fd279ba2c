/* SPDX-License-Identifier: MIT */
/*
 * Saved runs: the file `irqsim run|explore --save` writes and `irqsim
 * replay|render` reads. A saved run is self-contained: its format version,
 * every knob's value, the recorded verdict, the schedule, then the whole
 * trace text.
 *
 *   irqsim-run 3                   format version (first line, exactly;
 *                                  2 when nothing needs 3)
 *   made-by irqsim X.Y.Z (git D)   the irqsim that wrote it (optional:
 *                                  files before 0.1.0 have none);
 *                                  replay notes a different one
 *   trace NAME                     for people; not read back
 *   source PATH                    for people; not read back
 *   seed N                         for people; not read back
 *   set KNOB=VALUE ...             one or more lines
 *   ignore KIND[:OBJECT],...       verdicts the run ignored (v2+;
 *                                  absent: none), whole kinds or for
 *                                  one device, vector or irq of the
 *                                  trace (lost-interrupt:nic0)
 *   only OBJECT                    the one object the run judged
 *                                  (--only, an expect KIND:OBJECT line;
 *                                  v3+; absent: every object)
 *   verdict KIND STEP
 *   schedule T T*N ...             zero or more lines
 *   trace-text                     the rest of the file is the trace
 */
#ifndef IRQSIM_SAVED_H
#define IRQSIM_SAVED_H

#include "cli/scenario.h"

/*
 * The format version this irqsim writes; it reads SAVED_FORMAT_OLDEST up
 * to this one. Bump it when a line changes meaning or a new line must be
 * understood; a file of another version is refused, never half-read.
 * Version 2 added the ignore line (a replay must ignore what the run did),
 * version 3 the only line. A file is written with the oldest version
 * that has its lines (2 without an only line), so that an irqsim that
 * reads version 2 reads every run that does not need more.
 * The made-by line needs no version: nothing about the run depends on it,
 * and a file without it reads as before.
 */
#define SAVED_FORMAT_VERSION	3
#define SAVED_FORMAT_OLDEST	1
/* A line before trace-text: settings and schedules are wrapped at 80. */
#define SAVED_MAX_LINE		1024
/* The header before the trace text (every knob, a long schedule). */
#define SAVED_MAX_HEADER	(1 << 20)
#define SAVED_MAX_FILE		(SAVED_MAX_HEADER + SCENARIO_MAX_FILE)

struct saved_run {
	int version;
	struct scenario s;			/* the trace text, parsed */
	struct scenario_config config;		/* every knob as saved */
	struct irqsim_schedule schedule;
	int verdict_kind;			/* -1: no verdict line */
	uint32_t verdict_step;
	struct scenario_ignore ignore;		/* not reported */
	char made_by[128];			/* "": no made-by line */
};

/**
 * saved_write - write a saved run
 * @f:     the file
 * @s:     the scenario (its text is saved whole)
 * @knobs: every knob's value in the run
 * @seed:  the seed, if @seeded
 * @sc:    the schedule the run took
 * @ignore: the verdicts the run ignored (NULL: none)
 * @v:     its verdict
 * Return: 0, or -EIO if the stream failed.
 */
int saved_write(FILE *f, const struct scenario *s, const int *knobs,
		uint64_t seed, bool seeded, const struct irqsim_schedule *sc,
		const struct scenario_ignore *ignore,
		const struct irqsim_verdict *v);

/**
 * saved_parse - read a saved run from memory
 * @sr:    out; saved_free() it whatever the result
 * @file:  name used in messages
 * @text:  the file's bytes (need not be NUL-terminated)
 * @len:   their number
 * @err:   "file:line: what is wrong" on failure
 * Return: 0, -EINVAL (bad or unsupported input, a limit) or -ENOMEM.
 */
int saved_parse(struct saved_run *sr, const char *file, const char *text,
		size_t len, char *err, size_t errlen);

/* saved_parse() of a file, at most SAVED_MAX_FILE bytes; -ENOENT too. */
int saved_load(struct saved_run *sr, const char *path, char *err,
	       size_t errlen);

void saved_free(struct saved_run *sr);

#endif
