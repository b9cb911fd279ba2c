// SPDX-License-Identifier: MIT
/* Renderers of the event log. */
#include "trace/trace.h"

#include <string.h>

static const char *const format_names[TRACE_NR_FORMATS] = {
	[TRACE_TEXT] = "text",
	[TRACE_TIMELINE] = "timeline",
};

int trace_format_parse(const char *name)
{
	for (int f = 0; f < TRACE_NR_FORMATS; f++)
		if (!strcmp(format_names[f], name))
			return f;
	return -1;
}

const char *trace_format_name(int format)
{
	return format >= 0 && format < TRACE_NR_FORMATS ? format_names[format] :
							  "?";
}

/* One line per event: step, actor, function: action. */
static void render_text(FILE *out, const struct irqsim_log *log,
			const struct vmm_machine *m,
			const struct irqsim_verdict *v)
{
	for (size_t i = 0; i < log->n; i++) {
		const struct irqsim_event *e = &log->ev[i];

		fprintf(out, "%5u %-8s %s: %s%s\n", e->step,
			m->actor[e->actor].name, e->fn, e->text,
			v && v->kind && e->step == v->step && e->important ?
				"   <== " :
				"");
	}
}

/*
 * The side-by-side timeline: one column per actor that did something that
 * matters, steps in order, numbered #1, #2, ...; the step where the
 * violation became inevitable is marked.
 */
static void render_timeline(FILE *out, const struct irqsim_log *log,
			    const struct vmm_machine *m,
			    const struct irqsim_verdict *v)
{
	int col_of[IRQSIM_MAX_ACTORS];
	int ncols = 0, width, num = 0;

	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		col_of[a] = -1;
	for (size_t i = 0; i < log->n; i++) {
		const struct irqsim_event *e = &log->ev[i];

		if (e->important && col_of[e->actor] < 0)
			col_of[e->actor] = ncols++;
	}
	if (!ncols)
		return;
	width = ncols <= 2 ? 38 : ncols == 3 ? 30 : 26;

	fprintf(out, "%-6s", "");
	for (int c = 0; c < ncols; c++)
		for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
			if (col_of[a] == c)
				fprintf(out, "%-*s", width, m->actor[a].name);
	fputc('\n', out);
	for (size_t i = 0; i < log->n; i++) {
		const struct irqsim_event *e = &log->ev[i];
		char cell[2 * IRQSIM_EVENT_TEXT + 48];
		const char *text = cell;
		int col = col_of[e->actor];
		bool mark = v && v->kind && e->step == v->step;
		bool first = true;

		if (!e->important)
			continue;
		num++;
		snprintf(cell, sizeof(cell), "%s: %s", e->fn, e->text);
		fprintf(out, "#%-4d%c", num, mark ? '>' : ' ');
		/* word-wrap the cell inside its column */
		while (*text || first) {
			int len = (int)strlen(text);
			int take = len;

			if (len > width - 2) {
				take = width - 2;
				while (take > width / 2 && text[take] != ' ')
					take--;
				if (text[take] != ' ')
					take = width - 2;
			}
			if (!first)
				fprintf(out, "%-6s", "");
			fprintf(out, "%*s%.*s\n", col * width, "", take, text);
			text += take;
			while (*text == ' ')
				text++;
			first = false;
		}
	}
	if (v && v->kind)
		fprintf(out, "\n> step %u: %s: %s\n", v->step,
			check_kind_name(v->kind), v->what);
}

void trace_render(FILE *out, int format, const struct irqsim_log *log,
		  const struct vmm_machine *m,
		  const struct irqsim_verdict *verdict)
{
	if (format == TRACE_TIMELINE)
		render_timeline(out, log, m, verdict);
	else
		render_text(out, log, m, verdict);
}
