/* SPDX-License-Identifier: MIT */
/*
 * The event log and its renderers:
 *   text      one line per event, ftrace-like: tracepoint: key=value ...
 *   timeline  the side-by-side timeline of tglx's mails, one column per
 *             actor, the steps that matter numbered, the lost event and
 *             the violating step marked, within a width (75 columns)
 *   changelog the violation's causal slice for a commit message: a
 *             column per CPU, calls indented under their callers
 *   dot       a Graphviz graph: a swimlane per actor, program order,
 *             happens-before edges (lock release -> acquire, a write -> the
 *             read that saw it, MSI write -> IRR -> delivery), quiet runs
 *             folded, a legend; the violation's causal slice, or with
 *             full_run every step; svg and png are it laid out in
 *             process by libgvc
 *   json      Chrome trace event JSON (ui.perfetto.dev, chrome://tracing)
 */
#ifndef IRQSIM_TRACE_H
#define IRQSIM_TRACE_H

#include <stdio.h>

#include "check/check.h"

enum trace_format {
	TRACE_TEXT,
	TRACE_TIMELINE,
	TRACE_DOT,
	TRACE_SVG,
	TRACE_PNG,
	TRACE_JSON,
	TRACE_CHANGELOG,
	TRACE_NR_FORMATS,
};

/* timeline, changelog: the widest line, as checkpatch wants a changelog */
#define TRACE_WIDTH_DEFAULT	75
#define TRACE_WIDTH_MIN		50
#define TRACE_WIDTH_MAX		1000

/* "text", "timeline", "changelog", ...; -1 if unknown. */
int trace_format_parse(const char *name);
const char *trace_format_name(int format);
/* "text, timeline, changelog, dot, svg, png, json": for messages. */
const char *trace_format_list(void);
/* A whole document (dot, svg, png, json), not text to mix with a summary. */
bool trace_format_is_document(int format);
/* Laid out within a width (timeline, changelog): --width applies. */
bool trace_format_has_width(int format);
/* Binary output (png). */
bool trace_format_is_binary(int format);
/* The Graphviz diagram (dot, svg, png): --full-run applies. */
bool trace_format_is_diagram(int format);

/**
 * struct trace_run - what a renderer draws
 * @name:    the trace's name
 * @log:     the events of the run
 * @m:       the machine (actor names, roles, CPUs)
 * @verdict: the violation to mark, or NULL (or kind 0) for none
 * @width:   timeline and changelog: the widest line, TRACE_WIDTH_MIN to
 *           TRACE_WIDTH_MAX; 0: TRACE_WIDTH_DEFAULT
 * @full_run: dot, svg, png: draw every step of a run with a violation,
 *           not only the violation's causal slice (the default)
 */
struct trace_run {
	const char *name;
	const struct irqsim_log *log;
	const struct vmm_machine *m;
	const struct irqsim_verdict *verdict;
	int width;
	bool full_run;
};

/**
 * trace_render - write the events of a run in @format
 * Return: 0, or -ENOMEM, -EIO (write failed), -EINVAL (Graphviz could not
 * lay out or render; it says why on stderr).
 */
int trace_render(FILE *out, int format, const struct trace_run *run);

/*
 * Logs from outside irqsim (import.c): QEMU's -trace output and kernel
 * ftrace text, read event by event as each event's format string prints
 * it, with the fields named as the model's tracepoint names them, so a
 * run's events can be compared with the log's one by one.
 */
enum trace_log_format {
	TRACE_LOG_AUTO,		/* from the first line that says */
	TRACE_LOG_QEMU,		/* QEMU's trace: log backend, simpletrace.py */
	TRACE_LOG_FTRACE,	/* /sys/kernel/tracing/trace, trace-cmd report */
};

/* "qemu-log", "ftrace" (and "auto"); -1 if unknown. */
int trace_log_format_parse(const char *name);
const char *trace_log_format_name(int format);

/*
 * How a field is compared with the model's. A log's irq and vector
 * numbers are its machine's, the model's are its own: they must
 * correspond one to one through the whole log (the first sight fixes
 * the pair), not be equal.
 */
enum trace_log_kind {
	TRACE_LOG_NUM,		/* equal */
	TRACE_LOG_IRQ,		/* a host irq */
	TRACE_LOG_VECTOR,	/* a host vector, on the CPU of @cpu */
	TRACE_LOG_GVECTOR,	/* a guest vector */
	TRACE_LOG_DEV,		/* a device (an MSI-X table's page) */
	TRACE_LOG_STR,		/* a word, equal */
};

#define TRACE_LOG_MAX_FIELDS	8

struct trace_log_field {
	const char *key;	/* the model's field name */
	uint8_t kind;		/* enum trace_log_kind */
	bool soft;		/* a difference is a note, not a disagreement */
	long long cpu;		/* TRACE_LOG_VECTOR: the log's CPU */
	long long v;
	char s[24];		/* TRACE_LOG_STR */
};

struct trace_log_map;

/**
 * struct trace_log_event - one line of a log that names a model step
 * @line:  its line in the file, from 1
 * @map:   what it is (trace_log_event_name(), _tp(), _source())
 * @cpu:   ftrace's CPU column; -1
 * @vcpu:  the vCPU of a QEMU vCPU thread ("CPU 0/KVM"); -1
 * @ts:    its timestamp in seconds; negative: none
 * @f:     the fields the model's tracepoint has, as the model names them
 * @soft_why: why the soft field is not compared
 * @text:  the line (cut), for messages
 */
struct trace_log_event {
	int line;
	const struct trace_log_map *map;
	int cpu, vcpu;
	double ts;
	int nf;
	struct trace_log_field f[TRACE_LOG_MAX_FIELDS];
	const char *soft_why;
	char text[128];
};

/* A line that maps to no step of the model, and why. */
struct trace_log_unmapped {
	int line;
	const char *why;
	char text[96];
};

/**
 * struct trace_log - a parsed log
 * @families: bit per family of events (a QEMU trace-events file, a
 *            kernel trace system) the log has a line of: the model's
 *            events of those families are the ones it would show
 * @ncpus:    ftrace's "#P:N" or trace-cmd's "cpus=N"; 0: not said
 */
struct trace_log {
	int format;
	char file[256];
	struct trace_log_event *ev;
	size_t n, cap;
	struct trace_log_unmapped *un;
	size_t nun, capun;
	uint32_t families;
	int ncpus;
	int lines;
};

/**
 * trace_log_parse - read a log
 * @format: enum trace_log_format
 * @err:    "file:line: what is wrong" on failure: a line cut short, an
 *          event of a family irqsim reads that the family does not
 *          have, fields that do not read as the event's format prints
 *          them, a timestamp earlier than the line before, two irqs
 *          holding one vector of a CPU
 * Return: 0, -EINVAL, or -ENOMEM. trace_log_free() it either way.
 */
int trace_log_parse(struct trace_log *log, const char *file,
		    const char *text, int format, char *err, size_t errlen);
void trace_log_free(struct trace_log *log);

/* The event's name in the log, its format's source file, the model's
 * tracepoint (NULL: irqsim has no step for it). */
const char *trace_log_event_name(const struct trace_log_event *e);
const char *trace_log_event_source(const struct trace_log_event *e);
const char *trace_log_event_tp(const struct trace_log_event *e);
/* The field @key of @e, or NULL. */
const struct trace_log_field *trace_log_get(const struct trace_log_event *e,
					    const char *key);

/*
 * The log's numbers paired with the model's (enum trace_log_kind): plain
 * data, so a search copies it with its state.
 */
#define TRACE_LOG_MAX_IDS	64

struct trace_log_ids {
	int n;
	struct {
		uint8_t kind;
		long long cpu, log, model;
		int line;
	} pair[TRACE_LOG_MAX_IDS];
};

/* Would the log show model event @e: one of its families, mapped? */
bool trace_log_shows(const struct trace_log *log,
		     const struct irqsim_event *e);

/**
 * trace_log_match - is model event @e what log event @le says?
 * @ids: the pairs so far; a match adds the new ones
 * @why: on a disagreement, what differs; on a match with a soft field
 *       that differs, the note
 * Return: 0 a match, 1 a match with a note, -1 a disagreement.
 */
int trace_log_match(const struct trace_log_event *le,
		    const struct irqsim_event *e, struct trace_log_ids *ids,
		    char *why, size_t len);

/* Model event @e as the text renderer prints it: "guest2 step 6:
 * ioapic_mem_write: addr=0 regsel=0x26 size=4 val=0x26". */
void trace_log_describe(const struct vmm_machine *m,
			const struct irqsim_event *e, char *buf, size_t len);

#endif
