/* SPDX-License-Identifier: MIT */
/*
 * Scenarios: the trace language (the .trace files in traces/), profiles, and the saved
 * run files that replay byte for byte.
 */
#ifndef IRQSIM_SCENARIO_H
#define IRQSIM_SCENARIO_H

#include "machine/machine.h"
#include "trace/trace.h"

#define SCENARIO_MAX_SETUP	16
#define SCENARIO_MAX_EXPECT	12
/* profiles and settings; a saved run sets every knob */
#define SCENARIO_MAX_CONFIG	(IRQSIM_MAX_KNOBS + 16)
#define SCENARIO_MAX_LINE	512
#define SCENARIO_MAX_FILE	(1 << 20)
/* steps of one run (a trace's bound) and transitions of a fixed schedule */
#define SCENARIO_MAX_STEPS	1000000
#define SCENARIO_MAX_SCHEDULE	SCENARIO_MAX_STEPS
#define SCENARIO_ERR		1024

/* device ... msi=: MSI-X (default), or an MSI capability with or without
 * per-vector masking. */
enum scenario_msi {
	SCENARIO_MSIX,
	SCENARIO_MSI_MASKABLE,
	SCENARIO_MSI_NOMASK,
};

/* device ... intx=: no INTx pin, a PCI 2.3 device, an older one. */
enum scenario_intx {
	SCENARIO_INTX_NONE,
	SCENARIO_INTX_PCI23,
	SCENARIO_INTX_NOPCI23,
};

/* A configuration: profiles then --set overrides, applied in order. */
struct scenario_config {
	int n;
	struct {
		int profile;	/* profile index, or -1 for a knob setting */
		int knob, value;
	} item[SCENARIO_MAX_CONFIG];
};

/*
 * Verdicts not reported: whole kinds, and kinds about one object each
 * (KIND:OBJECT, e.g. lost-interrupt:nic0).
 */
struct scenario_ignore {
	uint32_t kinds;			/* 1 << kind */
	int n;
	struct irqsim_scope scoped[IRQSIM_MAX_SCOPED];
};

struct scenario_expect {
	int kind;			/* enum check_kind */
	struct irqsim_object obj;	/* KIND:OBJECT; type 0: any */
	struct scenario_config config;
	int runs;			/* 0: the scenario's */
	struct scenario_ignore ignore;	/* verdicts not judged */
	bool exhaustive;		/* strategy=dfs: judge every schedule */
	int preemption_bound;		/* with strategy=dfs; -1: none */
	uint32_t reaches;		/* race windows a none must open */
	int line;
};

struct scenario {
	char name[64];
	char file[256];
	struct vmm_machine machine;
	struct irqsim_program prog[IRQSIM_MAX_ACTORS];
	int nsetup;
	struct {
		int actor;
		struct irqsim_op op;
	} setup[SCENARIO_MAX_SETUP];
	int ndev;
	struct {
		char name[IRQSIM_NAME_LEN];
		int nvec;
		int behaviour;
		uint8_t affinity;
		int intx;	/* enum scenario_intx */
		int msi;	/* enum scenario_msi */
	} dev[IRQSIM_MAX_DEVS];
	/* matrix-used: vectors per CPU held by devices not modeled */
	int matrix_used[IRQSIM_MAX_CPUS];
	struct scenario_config config;
	int nexpect;
	struct scenario_expect expect[SCENARIO_MAX_EXPECT];
	struct irqsim_schedule schedule;	/* fixed schedule, if any */
	bool has_schedule;
	uint32_t bound;
	int runs;
	char *text;				/* the source, for saved files */
};

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

/* Register every layer's functions and knobs once. */
void scenario_init(void);

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

/**
 * scenario_world - the world after the scenario's setup ran sequentially
 * Return: 0, or -EINVAL with a message (a setup operation failed).
 */
int scenario_world(const struct scenario *s, const int *knobs,
		   struct vmm_world *w, char *err, size_t errlen);

/* The engine model: the machine's transitions and the oracles. */
extern const struct irqsim_model scenario_model;

/*
 * OBJECT of a verdict: a device by its name or as devN, with .VECTOR
 * for one of its vectors (nic0.1, dev0.1), or a host irq (irq2). Names
 * go first. Return 0, or -1 with @err (no file or line in it).
 */
int scenario_parse_object(const struct scenario *s, const char *text,
			  struct irqsim_object *obj, char *err, size_t len);
/* KIND or KIND:OBJECT; CHECK_NONE takes no object. */
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
/* Point @rt at @ig (which must outlive the runs). */
void scenario_ignore_rt(const struct scenario_ignore *ig,
			struct irqsim_rt *rt);

void scenario_rt(const struct scenario *s, const int *knobs,
		 struct irqsim_log *log, struct irqsim_rt *rt);

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
