// SPDX-License-Identifier: MIT
/*
 * The side-by-side timeline, as tglx draws races in his mails (seeds/000):
 *
 *   CPU0                                  CPU1
 *   free_irq()
 *     ...
 *     per_cpu(vector_irq, cpu)[vector] = VECTOR_SHUTDOWN;
 *                                #2       interrupt is handled and
 *                                         observes VECTOR_SHUTDOWN
 *
 * One column per actor (CPU-bound actors by CPU, devices last), the steps
 * that matter in order, numbered #1, #2, ... in a gutter that also marks
 * the lost event '!' and the step where the violation became inevitable
 * '>'. Lines stay within 80 characters up to four or five columns.
 */
#include "trace/internal.h"

#include <string.h>

#define TL_WIDTH	80
#define TL_SEP		2
#define TL_MIN_STEP	16	/* columns start at least this far apart */
#define TL_LAST_MIN	24	/* the last column's room */
#define TL_LAST_MAX	30

struct layout {
	int ncols;
	int col_of[IRQSIM_MAX_ACTORS];
	int actor_of[IRQSIM_MAX_ACTORS];
	int width[IRQSIM_MAX_ACTORS];
	int x[IRQSIM_MAX_ACTORS];
	int gutter, numw;
};

static bool shown(const struct trace_node *n)
{
	return n->important || n->lost || n->violation;
}

/* The events of @n the timeline prints: the important ones, or the first. */
static bool printed(const struct trace_node *n, const struct irqsim_event *e,
		    bool *first_trace)
{
	if (e->kind != IRQSIM_EV_TRACE)
		return false;
	if (n->important)
		return e->important;
	if (*first_trace) {
		*first_trace = false;
		return true;
	}
	return false;
}

static int sort_key(const struct vmm_machine *m, int a)
{
	int cpu = m->actor[a].cpu;

	return (cpu < 0 ? 1000 : cpu * 16) * 16 + a;
}

static void header_role(const struct vmm_machine *m, int a, char *buf,
			size_t len)
{
	if (m->actor[a].cpu >= 0)
		snprintf(buf, len, "%s, CPU%d", trace_role_name(m->actor[a].role),
			 m->actor[a].cpu);
	else
		snprintf(buf, len, "%s", trace_role_name(m->actor[a].role));
}

static void plan(const struct trace_graph *g, struct layout *l)
{
	const struct irqsim_log *log = g->run->log;
	const struct vmm_machine *m = g->run->m;
	int desired[IRQSIM_MAX_ACTORS] = { 0 };
	bool used[IRQSIM_MAX_ACTORS] = { false };
	int last, step;
	char buf[2 * IRQSIM_EVENT_TEXT + 64];

	memset(l, 0, sizeof(*l));
	for (int i = 0; i < g->nnodes; i++)
		if (shown(&g->node[i]) && g->node[i].actor < m->nactors)
			used[g->node[i].actor] = true;
	/* columns: CPU-bound actors by CPU, then devices */
	for (int a = 0; a < m->nactors; a++) {
		int c;

		l->col_of[a] = -1;
		if (!used[a])
			continue;
		c = l->ncols++;
		while (c > 0 &&
		       sort_key(m, l->actor_of[c - 1]) > sort_key(m, a)) {
			l->actor_of[c] = l->actor_of[c - 1];
			c--;
		}
		l->actor_of[c] = a;
	}
	for (int c = 0; c < l->ncols; c++) {
		int a = l->actor_of[c];

		l->col_of[a] = c;
		header_role(m, a, buf, sizeof(buf));
		desired[c] = (int)strlen(buf);
		if ((int)strlen(m->actor[a].name) > desired[c])
			desired[c] = (int)strlen(m->actor[a].name);
	}
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];
		bool first = true;

		if (!shown(n))
			continue;
		for (size_t ev = n->first; ev < n->last; ev++) {
			const struct irqsim_event *e = &log->ev[ev];
			int c = l->col_of[n->actor], len;

			if (!printed(n, e, &first))
				continue;
			trace_event_line(e, buf, sizeof(buf));
			len = (int)strlen(buf);
			if (len > desired[c])
				desired[c] = len;
		}
	}

	l->numw = snprintf(buf, sizeof(buf), "#%d", g->last_num);
	l->gutter = l->numw + 3;
	if (!l->ncols)
		return;
	/*
	 * Every row has one cell, so a cell may run on to the right margin
	 * over the columns right of it, as in tglx's mails; its wrapped lines
	 * stay in its column. Columns start evenly, leaving the last one
	 * room for its longest line (within limits).
	 */
	last = desired[l->ncols - 1];
	last = last < TL_LAST_MIN ? TL_LAST_MIN :
	       last > TL_LAST_MAX ? TL_LAST_MAX : last;
	step = l->ncols > 1 ? (TL_WIDTH - l->gutter - last) / (l->ncols - 1) :
			      0;
	for (int c = 0; c < l->ncols - 1; c++)
		if (step < desired[c] + TL_SEP && step < TL_MIN_STEP)
			step = desired[c] + TL_SEP < TL_MIN_STEP ?
				       desired[c] + TL_SEP :
				       TL_MIN_STEP;
	for (int c = 0; c < l->ncols; c++) {
		l->x[c] = l->gutter + c * step;
		l->width[c] = TL_WIDTH - l->x[c];
		if (l->width[c] < TL_LAST_MIN)
			l->width[c] = TL_LAST_MIN;
	}
}

/* Print @text wrapped in column @c; the first line after @gutter. */
static void cell(FILE *out, const struct layout *l, int c, const char *text,
		 const char *gutter)
{
	bool first = true;

	while (*text || first) {
		const char *rest;
		int take = trace_wrap(text, l->width[c], &rest);

		fprintf(out, "%-*s%*s%.*s\n", l->gutter, first ? gutter : "",
			l->x[c] - l->gutter, "", take, text);
		text = rest;
		first = false;
	}
}

static void header(FILE *out, const struct trace_graph *g,
		   const struct layout *l)
{
	const struct vmm_machine *m = g->run->m;
	char role[64];
	int x = 0;

	for (int c = 0; c < l->ncols; c++) {
		const char *name = m->actor[l->actor_of[c]].name;

		fprintf(out, "%*s%s", l->x[c] - x, "", name);
		x = l->x[c] + (int)strlen(name);
	}
	fputc('\n', out);
	x = 0;
	for (int c = 0; c < l->ncols; c++) {
		header_role(m, l->actor_of[c], role, sizeof(role));
		fprintf(out, "%*s%s", l->x[c] - x, "", role);
		x = l->x[c] + (int)strlen(role);
	}
	fputs("\n\n", out);
}

/* A footer paragraph: @lead, then @text wrapped under it. */
static void footer(FILE *out, const struct layout *l, const char *lead,
		   const char *text)
{
	int indent = l->gutter + 1;

	fprintf(out, "%s\n", lead);
	while (*text) {
		const char *rest;
		int take = trace_wrap(text, TL_WIDTH - indent, &rest);

		fprintf(out, "%*s%.*s\n", indent, "", take, text);
		text = rest;
	}
}

int trace_render_timeline(FILE *out, const struct trace_graph *g)
{
	const struct irqsim_log *log = g->run->log;
	const struct vmm_machine *m = g->run->m;
	const struct irqsim_verdict *v = g->run->verdict;
	char text[2 * IRQSIM_EVENT_TEXT + 64], gutter[32], lead[160];
	struct layout l;

	plan(g, &l);
	if (!l.ncols) {
		fprintf(out, "(%s: no step that matters was logged)\n",
			g->run->name);
		return 0;
	}
	header(out, g, &l);
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];
		bool first = true, numbered = false;

		if (!shown(n))
			continue;
		for (size_t ev = n->first; ev < n->last; ev++) {
			const struct irqsim_event *e = &log->ev[ev];
			char num[16] = "";

			if (!printed(n, e, &first))
				continue;
			if (!numbered && n->num)
				snprintf(num, sizeof(num), "#%d", n->num);
			snprintf(gutter, sizeof(gutter), "%-*s %c", l.numw, num,
				 numbered ? ' ' :
				 n->violation ? '>' :
				 n->lost ? '!' : ' ');
			numbered = true;
			trace_event_line(e, text, sizeof(text));
			cell(out, &l, l.col_of[n->actor], text, gutter);
		}
	}
	if (!trace_has_verdict(g->run))
		return 0;
	fputc('\n', out);
	if (g->lost >= 0) {
		const struct trace_node *n = &g->node[g->lost];
		const struct irqsim_event *e = NULL;

		for (size_t ev = n->first; ev < n->last && !e; ev++)
			if (log->ev[ev].kind == IRQSIM_EV_TRACE &&
			    (log->ev[ev].important || !n->important))
				e = &log->ev[ev];
		snprintf(gutter, sizeof(gutter), "#%d", n->num);
		snprintf(lead, sizeof(lead), "%-*s !  the lost event (step %u, %s):",
			 l.numw, n->num ? gutter : "", n->step,
			 m->actor[n->actor].name);
		if (e)
			trace_event_line(e, text, sizeof(text));
		footer(out, &l, lead, e ? text : "");
	}
	if (g->violation >= 0) {
		const struct trace_node *n = &g->node[g->violation];

		snprintf(gutter, sizeof(gutter), "#%d", n->num);
		snprintf(lead, sizeof(lead),
			 "%-*s >  %s became inevitable (step %u, %s):", l.numw,
			 n->num ? gutter : "", check_kind_name(v->kind),
			 n->step, m->actor[n->actor].name);
	} else {
		snprintf(lead, sizeof(lead), "%-*s >  %s (step %u):", l.numw,
			 "", check_kind_name(v->kind), v->step);
	}
	footer(out, &l, lead, v->what);
	return 0;
}
