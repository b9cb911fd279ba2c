/* SPDX-License-Identifier: MIT */
/*
 * The event log and its renderers: ftrace-like text, and the side-by-side
 * timeline in the style of tglx's mails.
 */
#ifndef IRQSIM_TRACE_H
#define IRQSIM_TRACE_H

#include <stdio.h>

#include "check/check.h"

enum trace_format {
	TRACE_TEXT,
	TRACE_TIMELINE,
	TRACE_NR_FORMATS,
};

/* "text", "timeline"; -1 if unknown. */
int trace_format_parse(const char *name);
const char *trace_format_name(int format);

/**
 * trace_render - write the events of a run
 * @out:     where
 * @format:  enum trace_format
 * @log:     the events
 * @m:       the machine (actor names and roles)
 * @verdict: the violation to mark, or NULL
 */
void trace_render(FILE *out, int format, const struct irqsim_log *log,
		  const struct vmm_machine *m,
		  const struct irqsim_verdict *verdict);

#endif
