// SPDX-License-Identifier: MIT
/*
 * One line per event, as ftrace prints a trace buffer: the actor where
 * ftrace has the task, its host CPU, the step where ftrace has the time,
 * then "tracepoint: key=value ...". Tracepoints are the kernel's where the
 * kernel has one (vector_update, vector_clear, irq_handler_entry, lockdep's
 * lock_acquire), else the modeled function's name. The violating step and
 * the lost event get a '#' comment line, which trace parsers skip.
 */
#include "trace/internal.h"

static void mark(FILE *out, const struct trace_graph *g,
		 const struct trace_node *n)
{
	const struct irqsim_verdict *v = g->run->verdict;

	if (n->lost)
		fprintf(out, "#        ^ step %u: the lost event (%s)\n",
			n->step, check_kind_name(v->kind));
	if (n->violation)
		fprintf(out, "#        ^ step %u: %s became inevitable here\n",
			n->step, check_kind_name(v->kind));
}

int trace_render_text(FILE *out, const struct trace_graph *g)
{
	const struct trace_run *run = g->run;
	const struct irqsim_log *log = run->log;
	const struct vmm_machine *m = run->m;
	const struct irqsim_verdict *v = run->verdict;
	char fields[2 * IRQSIM_EVENT_TEXT];

	fprintf(out, "# tracer: irqsim\n# trace: %s\n", run->name);
	if (trace_has_verdict(run)) {
		fprintf(out, "# verdict: %s at step %u", check_kind_name(v->kind),
			v->step);
		if (g->lost >= 0)
			fprintf(out, " (the lost event: step %u, %s)",
				v->origin_step, m->actor[v->origin_actor].name);
		fputc('\n', out);
	} else {
		fprintf(out, "# verdict: none\n");
	}
	fprintf(out, "#\n#        ACTOR   CPU    STEP  TRACEPOINT: FIELDS\n"
		     "#          |      |       |     |\n");
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];
		const char *name = n->actor < m->nactors ?
					   m->actor[n->actor].name : "?";
		int cpu = n->actor < m->nactors ? m->actor[n->actor].cpu : -1;

		for (size_t ev = n->first; ev < n->last; ev++) {
			const struct irqsim_event *e = &log->ev[ev];

			if (e->kind != IRQSIM_EV_TRACE)
				continue;
			trace_event_fields(e, fields, sizeof(fields));
			if (cpu >= 0)
				fprintf(out, "%15s [%03d] %7u: %s: %s\n", name,
					cpu, e->step, trace_event_tp(e),
					fields);
			else
				fprintf(out, "%15s [---] %7u: %s: %s\n", name,
					e->step, trace_event_tp(e), fields);
		}
		mark(out, g, n);
	}
	if (trace_has_verdict(run))
		fprintf(out, "# %s: %s\n", check_kind_name(v->kind), v->what);
	return 0;
}
