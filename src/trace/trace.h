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

#endif
