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
 * Two forms share one layout of columns ("lanes") within a width, 75
 * columns unless --width says otherwise (checkpatch warns above 75 in a
 * commit message):
 *
 *  - timeline: one column per actor (CPU-bound actors by CPU, devices
 *    last), every step that matters in order, numbered #1, #2, ... in a
 *    gutter that also marks the lost event '!' and the step where the
 *    violation became inevitable '>'. When the columns do not fit, the
 *    actors on the violation's causal slice keep theirs and the others
 *    share the last one, each row naming its actor; a note says so.
 *
 *  - changelog: what a commit message holds. A column per host CPU (and
 *    one per device), only the steps of the violation's causal slice
 *    (analyze.c's mark_causal()), each under the calls it was made in,
 *    indented as tglx indents free_irq() -> mask(); a call is printed
 *    when something in it is, so frames that only pass a call on are
 *    left out. The numbers are the timeline's, to cross-reference.
 *
 * Every row holds one cell, which may run on over the columns right of
 * it to the margin, as in tglx's mails; its wrapped lines stay in its
 * column. Header labels wrap inside their column and never touch the
 * next one.
 */
#include "trace/internal.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TL_MIN_STEP	11	/* columns start at least this far apart */
#define TL_LAST_MIN	24	/* the last column's room */
#define TL_LAST_MAX	30
#define TL_INDENT	2	/* changelog: per call level */
#define TL_TEXT_MIN	20	/* changelog: room left after the indent */
#define TL_MAX_LANES	(IRQSIM_MAX_ACTORS + 1)
#define TL_MAX_DEPTH	32	/* changelog: call levels followed */
#define TL_LINE		(2 * IRQSIM_EVENT_TEXT + 64)
#define TL_LABEL	(IRQSIM_MAX_ACTORS * (IRQSIM_NAME_LEN + 2) + 16)

struct lane {
	char name[TL_LABEL];	/* header line(s): "vcpu0", "CPU0" */
	char role[TL_LABEL];	/* "vCPU thread, CPU0", "vcpu0, main" */
	int actor;		/* its one actor, or -1 */
	int key;		/* column order */
	int rank;		/* which lanes keep a column: lowest first */
	int rows;		/* steps drawn in it */
	int desired;		/* its longest line */
	bool folded;		/* the others' lane: rows name their actor */
	int nactors;
	int x, width;
};

struct layout {
	int width;		/* the widest line */
	int nlanes;
	struct lane lane[TL_MAX_LANES];
	int lane_of[IRQSIM_MAX_ACTORS];	/* -1: nothing drawn */
	int gutter, numw;
	int folded;		/* lanes folded into the last one */
	bool folded_causal;	/* one of them is in the causal slice */
	int need;		/* the width every lane would need */
	char folded_names[TL_LABEL];
};

static bool shown(const struct trace_node *n)
{
	return trace_node_shown(n);
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

/* A role in a narrow column: "vCPU" for "vCPU thread", ... */
static const char *short_role(int role)
{
	switch (role) {
	case ROLE_VCPU:
		return "vCPU";
	case ROLE_QEMU_MAIN:
		return "QEMU main";
	default:
		return trace_role_name(role);
	}
}

/*
 * An actor's lane's role lines within @width: "vCPU thread, CPU0" where
 * it fits, else "CPU0" over a short role.
 */
static void lane_roles(const struct vmm_machine *m, int a, int width,
		       char *role, char *role2, size_t len)
{
	role2[0] = 0;
	header_role(m, a, role, len);
	if ((int)strlen(role) <= width || m->actor[a].cpu < 0)
		return;
	snprintf(role, len, "CPU%d", m->actor[a].cpu);
	snprintf(role2, len, "%s", short_role(m->actor[a].role));
}

/* The actor @i-th in column order. */
static int by_key(const struct vmm_machine *m, int i)
{
	for (int a = 0; a < m->nactors; a++) {
		int before = 0;

		for (int b = 0; b < m->nactors; b++)
			before += sort_key(m, b) < sort_key(m, a);
		if (before == i)
			return a;
	}
	return i;
}

static void append_name(char *buf, size_t len, const char *name)
{
	size_t at = strlen(buf);

	snprintf(buf + at, len - at, "%s%s", at ? ", " : "", name);
}

/*
 * How far lane @c's labels may reach: up to one space before the next
 * column, or to the margin.
 */
static int label_width(const struct layout *l, int c)
{
	return c + 1 < l->nlanes ? l->lane[c + 1].x - l->lane[c].x - 1 :
				   l->width - l->lane[c].x;
}

/* The lines @text wraps to in @width. */
static int wrapped_lines(const char *text, int width)
{
	int n = 0;

	while (*text) {
		const char *rest;

		trace_wrap(text, width, &rest);
		text = rest;
		n++;
	}
	return n;
}

/* Line @k of @text wrapped in @width, into @buf ("" past the end). */
static void wrapped_line(const char *text, int width, int k, char *buf,
			 size_t len)
{
	buf[0] = 0;
	while (*text) {
		const char *rest;
		int take = trace_wrap(text, width, &rest);

		if (!k--) {
			snprintf(buf, len, "%.*s", take, text);
			return;
		}
		text = rest;
	}
}

/* Which of two lanes keeps its column first: by rank, then rows drawn. */
static bool ranks_before(const struct lane *a, const struct lane *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank;
	if (a->rows != b->rows)
		return a->rows > b->rows;
	return a->key < b->key;
}

/* Sort @idx[0..@n) (lanes of @cand) by rank, or by column order. */
static void sort_lanes(int *idx, int n, const struct lane *cand,
		       bool by_rank)
{
	/* a few lanes: insertion sort */
	for (int i = 1; i < n; i++) {
		int t = idx[i], j = i;

		for (; j > 0; j--) {
			const struct lane *a = &cand[t], *b = &cand[idx[j - 1]];

			if (by_rank ? !ranks_before(a, b) : a->key >= b->key)
				break;
			idx[j] = idx[j - 1];
		}
		idx[j] = t;
	}
}

/*
 * Lay out the candidate lanes @cand (lane_of[] naming them) within
 * l->width: as many as fit, the best ranked, in column order; the rest
 * folded into a last lane. Then the columns' positions.
 */
static void fit(struct layout *l, const struct vmm_machine *m,
		struct lane *cand, int ncand)
{
	int keep[TL_MAX_LANES], map[TL_MAX_LANES];
	int max, nkeep, last, step;

	/* as many columns as leave the last its room */
	max = 1 + (l->width - l->gutter - TL_LAST_MIN) / TL_MIN_STEP;
	if (max < 2)
		max = 2;
	l->need = l->gutter + (ncand - 1) * TL_MIN_STEP + TL_LAST_MIN;
	for (int i = 0; i < ncand; i++) {
		keep[i] = i;
		map[i] = -1;
	}
	/* the best ranked keep their columns, in column order */
	sort_lanes(keep, ncand, cand, true);
	nkeep = ncand <= max ? ncand : max - 1;
	sort_lanes(keep, nkeep, cand, false);
	l->nlanes = 0;
	for (int i = 0; i < nkeep; i++) {
		map[keep[i]] = l->nlanes;
		l->lane[l->nlanes++] = cand[keep[i]];
	}
	l->folded = ncand - nkeep;
	if (l->folded) {
		struct lane *o = &l->lane[l->nlanes];

		*o = (struct lane){ .folded = true, .actor = -1 };
		snprintf(o->name, sizeof(o->name), "(others)");
		for (int i = 0; i < ncand; i++) {
			if (map[i] >= 0)
				continue;
			map[i] = l->nlanes;
			l->folded_causal |= cand[i].rank <= 2;
			o->rows += cand[i].rows;
			o->nactors += cand[i].nactors;
			if (o->desired < cand[i].desired + IRQSIM_NAME_LEN)
				o->desired = cand[i].desired + IRQSIM_NAME_LEN;
		}
		/* the folded actors in column order */
		for (int i = 0; i < m->nactors; i++) {
			int a = by_key(m, i), c = l->lane_of[a];

			if (c >= 0 && map[c] == l->nlanes)
				append_name(l->folded_names,
					    sizeof(l->folded_names),
					    m->actor[a].name);
		}
		snprintf(o->role, sizeof(o->role), "%s", l->folded_names);
		l->nlanes++;
	}
	for (int a = 0; a < m->nactors; a++)
		if (l->lane_of[a] >= 0)
			l->lane_of[a] = map[l->lane_of[a]];

	/*
	 * Columns start evenly, leaving the last one room for its longest
	 * line (within limits).
	 */
	last = l->lane[l->nlanes - 1].desired;
	last = last < TL_LAST_MIN ? TL_LAST_MIN :
	       last > TL_LAST_MAX ? TL_LAST_MAX : last;
	step = l->nlanes > 1 ?
		       (l->width - l->gutter - last) / (l->nlanes - 1) : 0;
	if (l->nlanes > 1 && step < TL_MIN_STEP)
		step = TL_MIN_STEP;
	for (int c = 0; c < l->nlanes; c++) {
		l->lane[c].x = l->gutter + c * step;
		l->lane[c].width = l->width - l->lane[c].x;
	}
}

static void gutter_width(struct layout *l, int last_num)
{
	char buf[16];

	l->numw = snprintf(buf, sizeof(buf), "#%d", last_num);
	l->gutter = l->numw + 3;
}

static void layout_init(struct layout *l, const struct trace_graph *g)
{
	memset(l, 0, sizeof(*l));
	l->width = g->run->width ? g->run->width : TRACE_WIDTH_DEFAULT;
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		l->lane_of[a] = -1;
}

/* The length of @n's longest printed line (as its actor's lane shows it). */
static int longest_line(const struct trace_graph *g, const struct trace_node *n)
{
	const struct irqsim_log *log = g->run->log;
	char buf[TL_LINE];
	bool first = true;
	int longest = 0;

	for (size_t ev = n->first; ev < n->last; ev++) {
		const struct irqsim_event *e = &log->ev[ev];

		if (!printed(n, e, &first))
			continue;
		trace_event_line(g->run, e, buf, sizeof(buf));
		if ((int)strlen(buf) > longest)
			longest = (int)strlen(buf);
	}
	return longest;
}

/*
 * The timeline's lanes: one per actor with a step to draw. Those that
 * matter to the violation rank first: its own actor, the lost event's,
 * then the other actors of its causal slice; then by steps drawn.
 */
static void plan_timeline(const struct trace_graph *g, struct layout *l)
{
	const struct vmm_machine *m = g->run->m;
	struct lane cand[TL_MAX_LANES];
	int ncand = 0;

	layout_init(l, g);
	gutter_width(l, g->last_num);
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];
		struct lane *c;
		int a = n->actor, len;

		if (!shown(n) || a >= m->nactors)
			continue;
		if (l->lane_of[a] < 0) {
			c = &cand[ncand];
			*c = (struct lane){ .key = sort_key(m, a), .rank = 3,
					    .nactors = 1, .actor = a };
			snprintf(c->name, sizeof(c->name), "%s",
				 m->actor[a].name);
			header_role(m, a, c->role, sizeof(c->role));
			c->desired = (int)strlen(c->role);
			l->lane_of[a] = ncand++;
		}
		c = &cand[l->lane_of[a]];
		c->rows++;
		if (n->violation)
			c->rank = 0;
		else if (n->lost && c->rank > 1)
			c->rank = 1;
		else if (n->causal && c->rank > 2)
			c->rank = 2;
		len = longest_line(g, n);
		if (len > c->desired)
			c->desired = len;
	}
	if (ncand)
		fit(l, m, cand, ncand);
}

/* The CPU a lane of the changelog is: the actor's host CPU, or none. */
static int changelog_cpu(const struct vmm_machine *m, int a)
{
	int cpu = m->actor[a].cpu;

	return cpu >= 0 && cpu < IRQSIM_MAX_CPUS ? cpu : -1;
}

/*
 * The changelog's lanes: one per host CPU with a step of the slice to
 * draw (its actors named under it: a vCPU thread, the QEMU main loop
 * and the guest's interrupts share their CPU as they do on the host),
 * then one per device.
 */
static void plan_changelog(const struct trace_graph *g, struct layout *l)
{
	const struct vmm_machine *m = g->run->m;
	struct lane cand[TL_MAX_LANES];
	int lane_of_cpu[IRQSIM_MAX_CPUS], ncand = 0, last_num = 0;

	layout_init(l, g);
	for (int c = 0; c < IRQSIM_MAX_CPUS; c++)
		lane_of_cpu[c] = -1;
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];

		if (n->causal && shown(n) && n->num > last_num)
			last_num = n->num;
	}
	gutter_width(l, last_num);
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];
		int a = n->actor, cpu, lane, len;
		struct lane *c;

		if (!n->causal || !shown(n) || a >= m->nactors)
			continue;
		cpu = changelog_cpu(m, a);
		lane = l->lane_of[a];
		if (lane < 0 && cpu >= 0)
			lane = lane_of_cpu[cpu];
		if (lane < 0) {
			lane = ncand++;
			c = &cand[lane];
			*c = (struct lane){ .key = sort_key(m, a), .rank = 2,
					    .actor = -1 };
			if (cpu >= 0) {
				snprintf(c->name, sizeof(c->name), "CPU%d", cpu);
				lane_of_cpu[cpu] = lane;
			} else {
				snprintf(c->name, sizeof(c->name), "%s",
					 m->actor[a].name);
				snprintf(c->role, sizeof(c->role), "%s",
					 trace_role_name(m->actor[a].role));
			}
		}
		c = &cand[lane];
		if (l->lane_of[a] < 0) {
			l->lane_of[a] = lane;
			c->nactors++;
			if (cpu >= 0)
				append_name(c->role, sizeof(c->role),
					    m->actor[a].name);
		}
		c->rows++;
		if (n->violation)
			c->rank = 0;
		else if (n->lost && c->rank > 1)
			c->rank = 1;
		len = longest_line(g, n) + 2 * TL_INDENT;
		if (len > c->desired)
			c->desired = len;
	}
	if (ncand)
		fit(l, m, cand, ncand);
}

/*
 * Print @text wrapped in lane @c, @indent columns in; the first line
 * after @gutter, the wrapped ones @hang further in.
 */
static void cell(FILE *out, const struct layout *l, int c, int indent,
		 int hang, const char *text, const char *gutter)
{
	const struct lane *lane = &l->lane[c];
	bool first = true;

	if (indent > lane->width - TL_TEXT_MIN)
		indent = lane->width - TL_TEXT_MIN;
	if (indent < 0)
		indent = 0;
	if (hang > lane->width - indent - TL_TEXT_MIN)
		hang = 0;
	while (*text || first) {
		const char *rest;
		int in = first ? indent : indent + hang;
		int take = trace_wrap(text, lane->width - in, &rest);

		fprintf(out, "%-*s%*s%.*s\n", l->gutter, first ? gutter : "",
			lane->x - l->gutter + in, "", take, text);
		text = rest;
		first = false;
	}
}

/* One block of header rows: each lane's @text[c], wrapped in it. */
static void header_block(FILE *out, const struct layout *l,
			 char (*text)[TL_LABEL])
{
	char piece[TL_LABEL];
	int rows = 0;

	for (int c = 0; c < l->nlanes; c++) {
		int n = wrapped_lines(text[c], label_width(l, c));

		if (n > rows)
			rows = n;
	}
	for (int k = 0; k < rows; k++) {
		char line[TRACE_WIDTH_MAX + 1];
		int end = 0;

		memset(line, ' ', sizeof(line));
		for (int c = 0; c < l->nlanes; c++) {
			int n;

			wrapped_line(text[c], label_width(l, c), k, piece,
				     sizeof(piece));
			n = (int)strlen(piece);
			if (!n)
				continue;
			memcpy(line + l->lane[c].x, piece, (size_t)n);
			end = l->lane[c].x + n;
		}
		line[end] = 0;
		fprintf(out, "%s\n", line);
	}
}

/* The lanes' names, then their roles: each label inside its column. */
static void header(FILE *out, const struct trace_graph *g,
		   const struct layout *l)
{
	char text[3][TL_MAX_LANES][TL_LABEL];

	for (int c = 0; c < l->nlanes; c++) {
		const struct lane *lane = &l->lane[c];

		snprintf(text[0][c], TL_LABEL, "%s", lane->name);
		snprintf(text[1][c], TL_LABEL, "%s", lane->role);
		text[2][c][0] = 0;
		if (lane->actor >= 0)
			lane_roles(g->run->m, lane->actor, label_width(l, c),
				   text[1][c], text[2][c], TL_LABEL);
	}
	for (int k = 0; k < 3; k++)
		header_block(out, l, text[k]);
	fputc('\n', out);
}

/* A footer paragraph: @lead, then @text wrapped under it. */
static void footer(FILE *out, const struct layout *l, const char *lead,
		   const char *text)
{
	int indent = l->gutter + 1;
	const char *rest;

	while (*lead) {
		int take = trace_wrap(lead, l->width, &rest);

		fprintf(out, "%.*s\n", take, lead);
		lead = rest;
	}
	while (*text) {
		int take = trace_wrap(text, l->width - indent, &rest);

		fprintf(out, "%*s%.*s\n", indent, "", take, text);
		text = rest;
	}
}

/* The lost event and the violation, under the rows. */
static void verdict_footer(FILE *out, const struct trace_graph *g,
			   const struct layout *l)
{
	const struct irqsim_log *log = g->run->log;
	const struct vmm_machine *m = g->run->m;
	const struct irqsim_verdict *v = g->run->verdict;
	char text[TL_LINE], num[16], lead[160];

	if (g->lost >= 0) {
		const struct trace_node *n = &g->node[g->lost];
		const struct irqsim_event *e = NULL;

		for (size_t ev = n->first; ev < n->last && !e; ev++)
			if (log->ev[ev].kind == IRQSIM_EV_TRACE &&
			    (log->ev[ev].important || !n->important))
				e = &log->ev[ev];
		snprintf(num, sizeof(num), "#%d", n->num);
		snprintf(lead, sizeof(lead), "%-*s !  the lost event (step %u, %s):",
			 l->numw, n->num ? num : "", n->step,
			 m->actor[n->actor].name);
		if (e)
			trace_event_line(g->run, e, text, sizeof(text));
		footer(out, l, lead, e ? text : "");
	}
	if (g->violation >= 0) {
		const struct trace_node *n = &g->node[g->violation];

		snprintf(num, sizeof(num), "#%d", n->num);
		snprintf(lead, sizeof(lead),
			 "%-*s >  %s became inevitable (step %u, %s):", l->numw,
			 n->num ? num : "", check_kind_name(v->kind), v->step,
			 m->actor[n->actor].name);
	} else {
		snprintf(lead, sizeof(lead), "%-*s >  %s (step %u):", l->numw,
			 "", check_kind_name(v->kind), v->step);
	}
	trace_rename(m, v->what, text, sizeof(text));
	footer(out, l, lead, text);
}

/* @text wrapped at the width. */
static void paragraph(FILE *out, const struct layout *l, const char *text)
{
	const char *rest;

	while (*text) {
		int take = trace_wrap(text, l->width, &rest);

		fprintf(out, "%.*s\n", take, text);
		text = rest;
	}
}

/* A note under everything. */
static void note(FILE *out, const struct layout *l, const char *text)
{
	fputc('\n', out);
	paragraph(out, l, text);
}

/* Which actors share the last column, and why. */
static void fold_note(FILE *out, const struct trace_graph *g,
		      const struct layout *l)
{
	char text[2 * TL_LABEL];

	if (!l->folded)
		return;
	snprintf(text, sizeof(text),
		 "note: %d columns do not fit in %d characters: %s share the last one (%s; --width %d fits them all)",
		 l->nlanes - 1 + l->folded, l->width, l->folded_names,
		 g->violation < 0 ? "the columns kept have the most steps" :
		 l->folded_causal ?
			 "the columns kept matter most to the violation" :
			 "they are not in the violation's causal slice",
		 l->need > TRACE_WIDTH_MAX ? TRACE_WIDTH_MAX : l->need);
	note(out, l, text);
}

/* The "#12 >" gutter of @n's first row, or blanks. */
static void gutter_of(const struct layout *l, const struct trace_node *n,
		      bool first_row, char *buf, size_t len)
{
	char num[16] = "";

	if (first_row && n->num)
		snprintf(num, sizeof(num), "#%d", n->num);
	snprintf(buf, len, "%-*s %c", l->numw, num,
		 !first_row ? ' ' : n->violation ? '>' : n->lost ? '!' : ' ');
}

int trace_render_timeline(FILE *out, const struct trace_graph *g)
{
	const struct irqsim_log *log = g->run->log;
	const struct vmm_machine *m = g->run->m;
	char text[TL_LINE], row[TL_LINE + IRQSIM_NAME_LEN + 2], gutter[32];
	struct layout l;

	plan_timeline(g, &l);
	if (!l.nlanes) {
		fprintf(out, "(%s: no step that matters was logged)\n",
			g->run->name);
		return 0;
	}
	header(out, g, &l);
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];
		bool first = true, first_row = true;
		int c;

		if (!shown(n) || n->actor >= m->nactors)
			continue;
		c = l.lane_of[n->actor];
		for (size_t ev = n->first; ev < n->last; ev++) {
			const struct irqsim_event *e = &log->ev[ev];

			if (!printed(n, e, &first))
				continue;
			gutter_of(&l, n, first_row, gutter, sizeof(gutter));
			first_row = false;
			trace_event_line(g->run, e, text, sizeof(text));
			if (l.lane[c].folded)
				snprintf(row, sizeof(row), "%s: %s",
					 m->actor[n->actor].name, text);
			else
				snprintf(row, sizeof(row), "%s", text);
			cell(out, &l, c, 0, 0, row, gutter);
		}
	}
	if (trace_has_verdict(g->run)) {
		fputc('\n', out);
		verdict_footer(out, g, &l);
	}
	fold_note(out, g, &l);
	return 0;
}

/* ------------------------------------------------------------------ */

/* One actor's open calls, as the changelog walks the log. */
struct call_stack {
	int depth;
	size_t entry[TL_MAX_DEPTH];	/* the entry events */
	bool printed[TL_MAX_DEPTH];	/* its "fn()" line is out */
};

/* Follow event @ev if it enters or leaves a call. Return: it does. */
static bool call_stack_step(struct call_stack *s, const struct irqsim_log *log,
			    size_t ev)
{
	switch (log->ev[ev].kind) {
	case IRQSIM_EV_ENTRY:
		if (s->depth < TL_MAX_DEPTH) {
			s->entry[s->depth] = ev;
			s->printed[s->depth] = false;
		}
		s->depth++;
		return true;
	case IRQSIM_EV_EXIT:
		if (s->depth)
			s->depth--;
		return true;
	default:
		return false;
	}
}

/*
 * The calls (their entry events) the changelog prints: each that an
 * event it prints was logged in directly, and each operation (the
 * outermost call) that holds one.
 */
static bool *printed_calls(const struct trace_graph *g)
{
	const struct irqsim_log *log = g->run->log;
	struct call_stack st[IRQSIM_MAX_ACTORS] = { 0 };
	bool *mark = irqsim_calloc(log->n ? log->n : 1, sizeof(*mark));
	bool first = true;
	int node = -1, top;

	if (!mark)
		return NULL;
	for (size_t ev = 0; ev < log->n; ev++) {
		const struct irqsim_event *e = &log->ev[ev];
		const struct trace_node *n = &g->node[g->node_of[ev]];
		struct call_stack *s;

		if (e->actor >= IRQSIM_MAX_ACTORS)
			continue;
		s = &st[e->actor];
		if (g->node_of[ev] != node) {
			node = g->node_of[ev];
			first = true;
		}
		if (call_stack_step(s, log, ev) || !n->causal || !shown(n) ||
		    !printed(n, e, &first) || !s->depth)
			continue;
		top = s->depth < TL_MAX_DEPTH ? s->depth - 1 : TL_MAX_DEPTH - 1;
		mark[s->entry[0]] = true;
		mark[s->entry[top]] = true;
	}
	return mark;
}

/*
 * The "fn()" lines of the calls open around an event of @s's actor that
 * are printed and not yet out, each under its caller. Return: the
 * event's indentation (printed calls around it); *inner: the innermost
 * printed call's name, or NULL.
 */
static int open_calls(FILE *out, const struct layout *l, int c,
		      const struct irqsim_log *log, struct call_stack *s,
		      const bool *mark, const char **inner)
{
	int depth = s->depth < TL_MAX_DEPTH ? s->depth : TL_MAX_DEPTH;
	char row[TL_LINE];
	int indent = 0;

	*inner = NULL;
	for (int k = 0; k < depth; k++) {
		if (!mark[s->entry[k]])
			continue;
		if (!s->printed[k]) {
			snprintf(row, sizeof(row), "%s()",
				 log->ev[s->entry[k]].fn);
			cell(out, l, c, indent * TL_INDENT, TL_INDENT, row, "");
			s->printed[k] = true;
		}
		*inner = log->ev[s->entry[k]].fn;
		indent++;
	}
	return indent;
}

int trace_render_changelog(FILE *out, const struct trace_graph *g)
{
	const struct irqsim_log *log = g->run->log;
	const struct vmm_machine *m = g->run->m;
	struct call_stack st[IRQSIM_MAX_ACTORS] = { 0 };
	int lane_actor[TL_MAX_LANES], drawn = 0, all = 0, node = -1;
	char text[TL_LINE], row[TL_LINE + IRQSIM_NAME_LEN + 2], gutter[32];
	bool first = true, first_row = true;
	struct layout l;
	bool *mark;

	if (g->violation < 0) {
		layout_init(&l, g);
		snprintf(text, sizeof(text),
			 "(%s: no violation: the changelog form draws a violation's causal slice; --format timeline draws the run)",
			 g->run->name);
		paragraph(out, &l, text);
		return 0;
	}
	plan_changelog(g, &l);
	mark = printed_calls(g);
	if (!mark)
		return -ENOMEM;
	for (int c = 0; c < TL_MAX_LANES; c++)
		lane_actor[c] = -1;
	header(out, g, &l);
	for (size_t ev = 0; ev < log->n; ev++) {
		const struct irqsim_event *e = &log->ev[ev];
		const struct trace_node *n = &g->node[g->node_of[ev]];
		struct call_stack *s;
		const char *inner;
		int c, indent;

		if (e->actor >= IRQSIM_MAX_ACTORS || e->actor >= m->nactors)
			continue;
		s = &st[e->actor];
		if (g->node_of[ev] != node) {
			node = g->node_of[ev];
			first = first_row = true;
			if (shown(n))
				all++;
		}
		if (call_stack_step(s, log, ev) || !n->causal || !shown(n) ||
		    !printed(n, e, &first))
			continue;
		c = l.lane_of[e->actor];
		if (l.lane[c].nactors > 1 && lane_actor[c] != e->actor) {
			/* another actor on this CPU takes over */
			snprintf(row, sizeof(row), "[%s]", m->actor[e->actor].name);
			cell(out, &l, c, 0, 0, row, "");
			lane_actor[c] = e->actor;
		}
		indent = open_calls(out, &l, c, log, s, mark, &inner);
		gutter_of(&l, n, first_row, gutter, sizeof(gutter));
		if (first_row)
			drawn++;
		first_row = false;
		/* under fn(), a step of fn says what it did */
		if (inner && e->text[0] && !strcmp(inner, e->fn))
			trace_rename(m, e->text, text, sizeof(text));
		else
			trace_event_line(g->run, e, text, sizeof(text));
		if (l.lane[c].folded)
			snprintf(row, sizeof(row), "%s: %s",
				 m->actor[e->actor].name, text);
		else
			snprintf(row, sizeof(row), "%s", text);
		cell(out, &l, c, indent * TL_INDENT, TL_INDENT, row, gutter);
	}
	free(mark);
	fputc('\n', out);
	verdict_footer(out, g, &l);
	snprintf(text, sizeof(text),
		 "(the violation's causal slice: %d of the %d steps that matter; --format timeline shows them all)",
		 drawn, all);
	note(out, &l, text);
	fold_note(out, g, &l);
	return 0;
}
