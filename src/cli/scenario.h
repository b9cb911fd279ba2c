/* SPDX-License-Identifier: MIT */
/*
 * Scenarios: the trace language (the .trace files in traces/), profiles, and the saved
 * run files that replay byte for byte. The scenario itself, and the
 * model built from it, are the machine's (machine/machine.h).
 */
#ifndef IRQSIM_SCENARIO_H
#define IRQSIM_SCENARIO_H

#include "machine/machine.h"
#include "trace/trace.h"

#define SCENARIO_MAX_LINE	512
#define SCENARIO_MAX_FILE	(1 << 20)
/* steps of one run (a trace's bound) and transitions of a fixed schedule */
#define SCENARIO_MAX_STEPS	1000000
#define SCENARIO_MAX_SCHEDULE	SCENARIO_MAX_STEPS
#define SCENARIO_ERR		1024

/* The trace language's words, for irqsim list and the reference doc. */
struct scenario_directive {
	const char *name;
	const char *args;
	const char *doc;
};

int scenario_directive_count(void);
const struct scenario_directive *scenario_directive_get(int i);
int scenario_op_count(void);
const char *scenario_op_name(int i);
/* "ARGS: what it does" */
const char *scenario_op_doc(int i);

/**
 * scenario_parse - parse trace text
 * @s:    out; scenario_free() it (on failure it holds nothing, and
 *        scenario_free() is harmless)
 * @file: name used in messages
 * @text: the trace
 * @err:  "file:line: what is wrong" on failure
 * Return: 0, -EINVAL, or -ENOMEM.
 */
int scenario_parse(struct scenario *s, const char *file, const char *text,
		   char *err, size_t errlen);
int scenario_load(struct scenario *s, const char *path, char *err,
		  size_t errlen);
void scenario_free(struct scenario *s);

/* Profiles. */
struct profile {
	const char *name;
	const char *doc;
	const char *settings;	/* "knob=value knob=value" */
};

int profile_count(void);
const struct profile *profile_get(int i);
int profile_lookup(const char *name);

/* Parse "knob=value"; err names the valid knobs on failure. */
int config_add_setting(struct scenario_config *c, const char *text, char *err,
		       size_t errlen);
int config_add_profile(struct scenario_config *c, const char *name, char *err,
		       size_t errlen);
/* Defaults, then linux-6.18 + qemu-current, then @a, then @b. */
void config_apply(int *knobs, const struct scenario_config *a,
		  const struct scenario_config *b);

/*
 * OBJECT of a verdict: a device by its name or as devN, with .VECTOR
 * for one of its vectors (nic0.1, dev0.1), or a host irq (irq2). Names
 * go first. Return 0, or -1 with @err (no file or line in it).
 */
int scenario_parse_object(const struct scenario *s, const char *text,
			  struct irqsim_object *obj, char *err, size_t len);
/* KIND or KIND:OBJECT (none:OBJECT: no verdict about OBJECT). */
int scenario_parse_verdict(const struct scenario *s, const char *text,
			   int *kind, struct irqsim_object *obj, char *err,
			   size_t len);
/* KIND[:OBJECT][,...] added to @ig (none is not a kind to ignore). */
int scenario_parse_ignore(const struct scenario *s, const char *list,
			  struct scenario_ignore *ig, char *err, size_t len);
/* @obj as scenario_parse_object() reads it (device names first). */
void scenario_object_name(const struct scenario *s,
			  const struct irqsim_object *obj, char *buf,
			  size_t len);
/*
 * The items of @ig joined by @sep (whole kinds, then scoped ones, as
 * scenario_parse_ignore() reads them); "" for none.
 */
void scenario_ignore_format(const struct scenario *s,
			    const struct scenario_ignore *ig, const char *sep,
			    char *buf, size_t len);
/*
 * Schedules as text: "qemu*3 cpu1:irq ...". schedule_parse() appends one
 * word to @sc: 0, -EINVAL (not a transition; @bad says which), -E2BIG
 * (more than SCENARIO_MAX_SCHEDULE transitions) or -ENOMEM.
 */
int schedule_format(const struct scenario *s, const struct irqsim_schedule *sc,
		    FILE *out);
int schedule_parse(const struct scenario *s, const char *text,
		   struct irqsim_schedule *sc, char *bad, size_t badlen);

/*
 * The line of @text (a trace, or a saved run's header up to its
 * trace-text line) whose schedule word holds entry @index of the schedule
 * its schedule lines make; @name receives that entry's transition name.
 * 0 when there is no such entry.
 */
int schedule_line(const struct scenario *s, const char *text, size_t index,
		  char *name, size_t namelen);

/*
 * The same words on one line, without the "schedule" keyword: what
 * irqsim run --schedule takes (schedule_parse() of each word).
 */
void schedule_print_words(const struct scenario *s,
			  const struct irqsim_schedule *sc, FILE *out);

#endif
