// SPDX-License-Identifier: MIT
/*
 * The interleaving as a Graphviz graph, built with libcgraph and laid out
 * and rendered in process with libgvc.
 *
 * A swimlane (cluster) per actor; within it the actor's steps in program
 * order; across lanes the happens-before edges the event log gives: lock
 * release -> acquire, a write -> the read that saw it, an interrupt
 * message (MSI write -> IRR -> the CPU taking it, eventfd, vIRR). Steps
 * that touch nothing another actor touches fold into one dashed box per
 * run, so a run of a hundred steps stays a page. The lost event, the
 * violating step and the path between them are drawn in warm colours.
 * Time flows down: invisible edges keep every box at or below the one
 * logged before it. A run with a violation is drawn as the violation's
 * causal slice (analyze.c's mark_causal(), what the changelog form
 * prints) unless the run asks for all of it (full_run). A legend above
 * the lanes draws each kind of box and line the picture uses.
 *
 * The dot format is the graph before layout (agwrite); its irqsim_*
 * attributes (lane, step, mark, hb kind) say what each part is, for tools
 * and the tests that read it back.
 */
#include "trace/internal.h"
#include "trace/hash.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define GV_WRAP		46	/* characters per label line */
#define GV_EVENT_LINES	4	/* lines per event in a box */
#define GV_TITLE_WRAP	96

/*
 * Fonts that exist: DejaVu (Debian's fonts-dejavu-core, which ./dev
 * installs), so that a viewer draws the font Graphviz measured. Box text
 * is DejaVu Sans Mono, whose glyphs are all 1233/2048 em wide. Graphviz
 * 2.42's pango layout measures with metrics hinted to whole pixels at 96
 * dpi (7 px a glyph at 9 pt where the font draws 7.22), 3% short, so a
 * long line ran over its box's border: each box asks for the width its
 * widest line needs at the font's own advance (box_width()), and Graphviz
 * takes the larger of that and its own. A wrapped line's indent is a
 * word joiner and two no-break spaces: SVG viewers drop a line's leading
 * spaces (librsvg any leading Unicode space, U+00A0 too, but not U+2060,
 * which draws nothing), and Graphviz writes each second space of a run
 * as &#160; and leaves the first, which a viewer drops.
 */
#define GV_MONO		"DejaVu Sans Mono"
#define GV_SANS		"DejaVu Sans"
#define GV_MONO_ADVANCE	1233	/* its glyphs' advance, in ... */
#define GV_MONO_EM	2048	/* ... its units per em */
#define GV_BOX_PT	9	/* box text size, points */
#define GV_BOX_MARGIN	"0.08,0.04"	/* inches: either side, above, below */
#define GV_BOX_MARGIN_X	8		/* the same, in hundredths */
/* U+2060, two U+00A0 */
#define GV_INDENT	"\xe2\x81\xa0\xc2\xa0\xc2\xa0"
#define GV_STR_(x)	#x
#define GV_STR(x)	GV_STR_(x)

/* The project's colours. */
#define C_INK		"#2b3340"
#define C_PO		"#8a94a6"
#define C_LOCK		"#2e7d32"
#define C_DATA		"#1f5fbf"
#define C_IRQ		"#8e24aa"
#define C_PATH		"#d32f2f"
#define C_LOST_FILL	"#fff0c2"
#define C_LOST		"#e65100"
#define C_BAD_FILL	"#ffd6d6"
#define C_BAD		"#c62828"
#define C_FOLD_FILL	"#eceff1"
#define C_QUIET		"#b0b7c3"

/* A box in a lane: one step, or a folded run of quiet steps. */
struct unit {
	int actor;
	int first, last;	/* nodes (program order of one actor) */
	int count;
	bool fold;
	Agnode_t *gv;
};

/* The kinds of box and line a picture draws: the legend shows those. */
enum drawn {
	DRAWN_STEP,
	DRAWN_QUIET,
	DRAWN_FOLD,
	DRAWN_LOST,
	DRAWN_VIOLATION,
	DRAWN_PO,
	DRAWN_LOCK,		/* + TRACE_EDGE_*: a kind of edge */
	DRAWN_DATA,
	DRAWN_IRQ,
	DRAWN_PATH,
	DRAWN_NR,
};

struct gv {
	const struct trace_graph *g;
	Agraph_t *root;
	Agraph_t *lane[IRQSIM_MAX_ACTORS];
	struct unit *unit;
	int nunits;
	int *unit_of;		/* node -> unit */
	bool slice;		/* the violation's causal slice only */
	bool drawn[DRAWN_NR];
};

static void set(void *obj, const char *key, const char *value)
{
	agsafeset(obj, (char *)key, (char *)value, (char *)"");
}

static void setf(void *obj, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void setf(void *obj, const char *key, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	set(obj, key, buf);
}

/*
 * An HTML-like label (<B>, <BR/>): cgraph keeps a string once per
 * graph, so the one agstrdup_html() made is the one agsafeset() finds.
 * Return: 0 or -ENOMEM.
 */
static int set_html(void *obj, const char *key, const char *html)
{
	Agraph_t *root = agroot(obj);
	char *s = agstrdup_html(root, (char *)html);

	if (!s)
		return -ENOMEM;
	set(obj, key, s);
	agstrfree(root, s);
	return 0;
}

/* A growing string for labels. */
struct sbuf {
	char *s;
	size_t n, cap;
	bool oom;
	int widest;		/* characters in its widest line */
};

static void sb_put(struct sbuf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		char *ns;

		while (cap < b->n + len + 1)
			cap *= 2;
		ns = irqsim_realloc(b->s, cap);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = 0;
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

/*
 * @text as left-justified label lines ("\l"), wrapped, the lines after
 * the first indented; a backslash in @text is doubled so Graphviz does
 * not read an escape. At most @max_lines lines; more become "...".
 */
static void sb_lines(struct sbuf *b, const char *text, int width,
		     int max_lines)
{
	for (int line = 0; *text; line++) {
		const char *rest;
		int take = trace_wrap(text, width - (line ? 2 : 0), &rest);
		int chars = line ? 2 : 0;

		if (line == max_lines) {
			sb_str(b, GV_INDENT "...\\l");
			if (b->widest < 5)
				b->widest = 5;
			return;
		}
		if (line)
			sb_str(b, GV_INDENT);
		for (int i = 0; i < take; i++) {
			sb_put(b, text[i] == '\\' ? "\\\\" : &text[i],
			       text[i] == '\\' ? 2 : 1);
			/* a character: each byte but UTF-8's continuations */
			chars += ((unsigned char)text[i] & 0xc0) != 0x80;
		}
		sb_str(b, "\\l");
		if (chars > b->widest)
			b->widest = chars;
		text = rest;
	}
}

/*
 * The width, in hundredths of an inch, a box needs for lines of @chars
 * characters of GV_MONO at the font's own advance, with its margins and
 * a point to spare for Graphviz's rounding. In units of 1/(100 * em)
 * point, so that it is exact.
 */
static long box_width(int chars)
{
	const long pt = 100L * GV_MONO_EM, hundredth = 72L * GV_MONO_EM;
	long need = (long)chars * GV_MONO_ADVANCE * GV_BOX_PT * 100 +
		    2 * GV_BOX_MARGIN_X * hundredth + pt;

	return (need + hundredth - 1) / hundredth;
}

/* A box with text of @widest characters (its label's sbuf). */
static void set_box_width(void *node, int widest)
{
	long w = box_width(widest);

	setf(node, "width", "%ld.%02ld", w / 100, w % 100);
}

/* Events a box names: the important ones, else prose, else locks. */
static int label_events(const struct trace_graph *g,
			const struct trace_node *n,
			const struct irqsim_event **out, int max)
{
	const struct irqsim_log *log = g->run->log;
	int k = 0;

	for (int pass = 0; pass < 3 && !k; pass++) {
		for (size_t ev = n->first; ev < n->last && k < max; ev++) {
			const struct irqsim_event *e = &log->ev[ev];
			bool lock = e->tp && e->tp == e->fn &&
				    !strncmp(e->tp, "lock_", 5);

			if (e->kind != IRQSIM_EV_TRACE)
				continue;
			if ((pass == 0 && e->important) ||
			    (pass == 1 && !lock && e->text[0]) ||
			    (pass == 2 && lock))
				out[k++] = e;
		}
	}
	return k;
}

/* What the lost event's box is called. */
static const char *lost_word(const struct irqsim_verdict *verdict)
{
	return verdict->kind == CHECK_DEVICE_STALL ? "STALLED EVENT" :
						     "LOST EVENT";
}

static void node_label(const struct gv *v, const struct trace_node *n,
		       struct sbuf *b, struct sbuf *tip)
{
	const struct trace_graph *g = v->g;
	const struct irqsim_verdict *verdict = g->run->verdict;
	const struct irqsim_event *ev[16];
	char line[2 * IRQSIM_EVENT_TEXT + 64];
	int k = label_events(g, n, ev, 16);

	if (n->violation) {
		snprintf(line, sizeof(line), "VIOLATION: %s inevitable here",
			 check_kind_name(verdict->kind));
		sb_lines(b, line, GV_WRAP, 2);
	}
	if (n->lost)
		sb_lines(b, lost_word(verdict), GV_WRAP, 1);
	if (n->num)
		snprintf(line, sizeof(line), "#%d  step %u", n->num, n->step);
	else
		snprintf(line, sizeof(line), "step %u", n->step);
	sb_lines(b, line, GV_WRAP, 1);
	for (int i = 0; i < k; i++) {
		if (ev[i]->text[0]) {
			trace_event_line(g->run, ev[i], line, sizeof(line));
		} else {
			char fields[128];

			trace_event_fields(ev[i], fields, sizeof(fields));
			snprintf(line, sizeof(line), "%s: %s",
				 trace_event_tp(ev[i]), fields);
		}
		sb_lines(b, line, GV_WRAP, GV_EVENT_LINES);
		if (i)
			sb_str(tip, "\n");
		sb_str(tip, line);
	}
	if (!k)
		sb_lines(b, "(no event)", GV_WRAP, 1);
}

/* "fn x3, fn2, ..." for a folded run: what its important steps did. */
static void fold_label(const struct gv *v, const struct unit *u,
		       struct sbuf *b)
{
	const struct trace_graph *g = v->g;
	const struct irqsim_log *log = g->run->log;
	const char *name[24];
	int count[24], nnames = 0, numa = 0, numb = 0;
	char line[160];
	struct sbuf list = { 0 };

	for (int i = u->first; i >= 0; i = g->node[i].next) {
		const struct trace_node *n = &g->node[i];

		if (n->num && !numa)
			numa = n->num;
		if (n->num)
			numb = n->num;
		for (size_t ev = n->first; ev < n->last; ev++) {
			const struct irqsim_event *e = &log->ev[ev];
			int j;

			if (e->kind != IRQSIM_EV_TRACE || !e->important)
				continue;
			for (j = 0; j < nnames && strcmp(name[j], e->fn); j++)
				;
			if (j == nnames && nnames < 24) {
				name[nnames] = e->fn;
				count[nnames++] = 0;
			}
			if (j < nnames)
				count[j]++;
		}
		if (i == u->last)
			break;
	}
	if (numa && numa != numb)
		snprintf(line, sizeof(line), "#%d-#%d  %d steps (steps %u-%u)",
			 numa, numb, u->count, g->node[u->first].step,
			 g->node[u->last].step);
	else if (numa)
		snprintf(line, sizeof(line), "#%d  %d steps (steps %u-%u)",
			 numa, u->count, g->node[u->first].step,
			 g->node[u->last].step);
	else
		snprintf(line, sizeof(line), "%d quiet steps (steps %u-%u)",
			 u->count, g->node[u->first].step,
			 g->node[u->last].step);
	sb_lines(b, line, GV_WRAP, 1);
	sb_lines(b, "touch nothing another actor uses:", GV_WRAP, 1);
	for (int j = 0; j < nnames; j++) {
		if (j)
			sb_str(&list, ", ");
		sb_str(&list, name[j]);
		if (count[j] > 1) {
			snprintf(line, sizeof(line), " x%d", count[j]);
			sb_str(&list, line);
		}
	}
	if (!nnames)
		sb_str(&list, "(locks and calls only)");
	if (list.oom)
		b->oom = true;	/* a label without its list would mislead */
	else if (list.s)
		sb_lines(b, list.s, GV_WRAP, 4);
	free(list.s);
}

static bool has_trace_event(const struct trace_graph *g,
			    const struct trace_node *n)
{
	for (size_t ev = n->first; ev < n->last; ev++)
		if (g->run->log->ev[ev].kind == IRQSIM_EV_TRACE)
			return true;
	return false;
}

/*
 * Units: walk each actor's nodes in program order; a racy, lost or
 * violating node is its own box, a run of two or more quiet ones one
 * folded box.
 */
static int build_units(struct gv *v)
{
	const struct trace_graph *g = v->g;
	int cap = g->nnodes ? g->nnodes : 1;

	v->unit = irqsim_calloc((size_t)cap, sizeof(*v->unit));
	v->unit_of = irqsim_malloc((size_t)cap * sizeof(*v->unit_of));
	if (!v->unit || !v->unit_of)
		return -ENOMEM;
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];
		bool keep = n->racy || n->lost || n->violation;
		int prev = n->prev;
		struct unit *u;

		/*
		 * A step that logged only calls and returns is not drawn, nor
		 * one outside the slice (an actor's steps in the slice are one
		 * run, so its boxes stay in program order).
		 */
		v->unit_of[i] = -1;
		if ((!keep && !has_trace_event(g, n)) ||
		    (v->slice && !n->causal))
			continue;
		while (prev >= 0 && v->unit_of[prev] < 0)
			prev = g->node[prev].prev;
		if (prev >= 0) {
			u = &v->unit[v->unit_of[prev]];
			if (!keep && u->fold) {
				u->last = i;
				u->count++;
				v->unit_of[i] = (int)(u - v->unit);
				continue;
			}
		}
		u = &v->unit[v->nunits];
		*u = (struct unit){ .actor = n->actor, .first = i, .last = i,
				    .count = 1, .fold = !keep };
		v->unit_of[i] = v->nunits++;
	}
	/* a "run" of one quiet step is drawn as the step itself */
	for (int i = 0; i < v->nunits; i++)
		if (v->unit[i].count == 1)
			v->unit[i].fold = false;
	return 0;
}

static const char *lane_fill(int role)
{
	switch (role) {
	case ROLE_HARDIRQ:
		return "#fdf1e7";
	case ROLE_DEVICE:
		return "#edf7ee";
	case ROLE_QEMU_MAIN:
		return "#f3eefa";
	case ROLE_GUEST_IRQ:
		return "#fbeef3";
	default:
		return "#eef3fb";
	}
}

static int lane_key(const struct vmm_machine *m, int a)
{
	return (m->actor[a].cpu < 0 ? 1000 : m->actor[a].cpu * 16) * 16 + a;
}

static int make_lanes(struct gv *v)
{
	const struct vmm_machine *m = v->g->run->m;
	bool used[IRQSIM_MAX_ACTORS] = { false };

	int order[IRQSIM_MAX_ACTORS], n = 0;

	for (int i = 0; i < v->nunits; i++)
		if (v->unit[i].actor < m->nactors)
			used[v->unit[i].actor] = true;
	/* lanes as the timeline's columns: by CPU, devices last */
	for (int a = 0; a < m->nactors; a++) {
		int k = n++;

		while (k > 0 && lane_key(m, order[k - 1]) > lane_key(m, a)) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = a;
	}
	for (int i = 0; i < n; i++) {
		int a = order[i];
		char name[64], label[128];
		Agraph_t *c;

		if (!used[a])
			continue;
		snprintf(name, sizeof(name), "cluster_%s", m->actor[a].name);
		c = agsubg(v->root, name, 1);
		if (!c)
			return -ENOMEM;
		v->lane[a] = c;
		/* the actor's name in bold, its role under it */
		if (m->actor[a].cpu >= 0)
			snprintf(label, sizeof(label),
				 "<B>%s</B><BR/>%s, CPU%d", m->actor[a].name,
				 trace_role_name(m->actor[a].role),
				 m->actor[a].cpu);
		else
			snprintf(label, sizeof(label), "<B>%s</B><BR/>%s",
				 m->actor[a].name,
				 trace_role_name(m->actor[a].role));
		if (set_html(c, "label", label))
			return -ENOMEM;
		set(c, "irqsim_lane", m->actor[a].name);
		set(c, "class", "lane");
		set(c, "style", "rounded,filled");
		set(c, "fillcolor", lane_fill(m->actor[a].role));
		set(c, "color", "#c5cdd8");
		set(c, "fontname", GV_SANS);
		set(c, "fontsize", "12");
		set(c, "fontcolor", C_INK);
		set(c, "labeljust", "c");
		set(c, "margin", "10");
	}
	return 0;
}

/* The styles of boxes, shared by the lanes and the legend. */
static void style_fold(void *gn)
{
	set(gn, "class", "fold");
	set(gn, "style", "filled,dashed");
	set(gn, "fillcolor", C_FOLD_FILL);
	set(gn, "color", C_QUIET);
	set(gn, "fontcolor", "#55606e");
}

static void style_quiet(void *gn)
{
	set(gn, "color", C_QUIET);
	set(gn, "fontcolor", "#55606e");
}

static void style_lost(void *gn)
{
	set(gn, "fillcolor", C_LOST_FILL);
	set(gn, "color", C_LOST);
	set(gn, "penwidth", "2.5");
}

static void style_violation(void *gn)
{
	set(gn, "fillcolor", C_BAD_FILL);
	set(gn, "color", C_BAD);
	set(gn, "penwidth", "2.5");
}

static int make_nodes(struct gv *v)
{
	const struct trace_graph *g = v->g;
	const struct vmm_machine *m = g->run->m;

	for (int i = 0; i < v->nunits; i++) {
		struct unit *u = &v->unit[i];
		const struct trace_node *n = &g->node[u->first];
		struct sbuf label = { 0 }, tip = { 0 };
		char name[64];
		Agnode_t *gn;

		if (u->fold)
			snprintf(name, sizeof(name), "fold_s%u_%s", n->step,
				 m->actor[u->actor].name);
		else
			snprintf(name, sizeof(name), "s%u_%s", n->step,
				 m->actor[u->actor].name);
		gn = agnode(v->lane[u->actor], name, 1);
		if (!gn)
			return -ENOMEM;
		u->gv = gn;
		set(gn, "irqsim_actor", m->actor[u->actor].name);
		setf(gn, "irqsim_step", "%u", n->step);
		setf(gn, "irqsim_steps", "%d", u->count);
		setf(gn, "group", "%s", m->actor[u->actor].name);
		if (u->fold) {
			fold_label(v, u, &label);
			set(gn, "irqsim_kind", "fold");
			style_fold(gn);
			v->drawn[DRAWN_FOLD] = true;
		} else {
			node_label(v, n, &label, &tip);
			set(gn, "irqsim_kind", "step");
			if (n->racy)
				set(gn, "irqsim_racy", "1");
			if (n->num)
				setf(gn, "irqsim_num", "%d", n->num);
			if (tip.s)
				set(gn, "tooltip", tip.s);
			if (n->important) {
				v->drawn[DRAWN_STEP] = true;
			} else {
				style_quiet(gn);
				v->drawn[DRAWN_QUIET] = true;
			}
		}
		if (n->lost && !u->fold) {
			set(gn, "irqsim_mark", "lost");
			set(gn, "class", "lost");
			style_lost(gn);
			v->drawn[DRAWN_LOST] = true;
		}
		if (n->violation && !u->fold) {
			set(gn, "irqsim_mark", "violation");
			set(gn, "class", "violation");
			style_violation(gn);
			v->drawn[DRAWN_VIOLATION] = true;
		}
		if (label.oom || tip.oom) {
			free(label.s);
			free(tip.s);
			return -ENOMEM;
		}
		set(gn, "label", label.s ? label.s : "");
		set_box_width(gn, label.widest);
		free(label.s);
		free(tip.s);
	}
	return 0;
}

static Agedge_t *edge(struct gv *v, Agnode_t *from, Agnode_t *to,
		      const char *kind)
{
	char name[32];
	Agedge_t *e;

	/* a name per kind: a lock and a data edge may join the same boxes */
	snprintf(name, sizeof(name), "%s", kind);
	e = agedge(v->root, from, to, name, 1);
	if (e)
		set(e, "irqsim_hb", kind);
	return e;
}

/* Does the lost event's path go from @a to @b (over steps not drawn)? */
static bool path_reaches(const struct gv *v, int a, int b)
{
	const struct trace_graph *g = v->g;
	int n = g->node[a].path_next;

	while (n >= 0 && n != b && v->unit_of[n] < 0)
		n = g->node[n].path_next;
	return n == b;
}

static const char *const edge_kind_name[] = {
	[TRACE_EDGE_LOCK] = "lock",
	[TRACE_EDGE_DATA] = "data",
	[TRACE_EDGE_IRQ] = "irq",
};

/* The styles of lines, shared by the lanes and the legend. */
static void style_edge(Agedge_t *e, int kind)
{
	static const char *const colour[] = {
		[TRACE_EDGE_LOCK] = C_LOCK,
		[TRACE_EDGE_DATA] = C_DATA,
		[TRACE_EDGE_IRQ] = C_IRQ,
	};

	set(e, "color", colour[kind]);
	set(e, "fontcolor", colour[kind]);
	if (kind == TRACE_EDGE_LOCK)
		set(e, "style", "dashed");
	if (kind == TRACE_EDGE_IRQ)
		set(e, "penwidth", "1.8");
}

static void style_path(Agedge_t *e, bool labelled)
{
	set(e, "color", C_PATH);
	if (labelled)
		set(e, "fontcolor", C_PATH);
	set(e, "penwidth", "2.5");
}

static int make_edges(struct gv *v)
{
	const struct trace_graph *g = v->g;
	int prev_unit[IRQSIM_MAX_ACTORS];

	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		prev_unit[a] = -1;
	/* program order, units are in first-step order */
	for (int i = 0; i < v->nunits; i++) {
		struct unit *u = &v->unit[i];
		int p = prev_unit[u->actor];
		Agedge_t *e;

		prev_unit[u->actor] = i;
		if (p < 0)
			continue;
		e = edge(v, v->unit[p].gv, u->gv, "po");
		if (!e)
			return -ENOMEM;
		set(e, "weight", "8");
		v->drawn[DRAWN_PO] = true;
		if (!v->unit[p].fold && !u->fold &&
		    path_reaches(v, v->unit[p].last, u->first)) {
			set(e, "irqsim_path", "1");
			style_path(e, false);
			v->drawn[DRAWN_PATH] = true;
		}
	}
	for (int i = 0; i < g->nedges; i++) {
		const struct trace_edge *te = &g->edge[i];
		int from = v->unit_of[te->from], to = v->unit_of[te->to];
		char obj[48], named[64], label[96];
		Agedge_t *e;

		if (from < 0 || to < 0)
			continue;	/* an end outside the slice */
		e = edge(v, v->unit[from].gv, v->unit[to].gv,
			 edge_kind_name[te->kind]);
		if (!e)
			return -ENOMEM;
		trace_obj_name(te->obj, obj, sizeof(obj));
		set(e, "irqsim_obj", obj);
		trace_rename(v->g->run->m, obj, named, sizeof(named));
		if (te->kind == TRACE_EDGE_IRQ &&
		    IRQSIM_OBJ_KIND(te->obj) == APIC_OBJ_IRR)
			snprintf(label, sizeof(label), "MSI -> %s%s", named,
				 te->nobj > 1 ? " ..." : "");
		else
			snprintf(label, sizeof(label), "%s%s", named,
				 te->nobj > 1 ? " ..." : "");
		set(e, "label", label);
		set(e, "weight", "0");
		style_edge(e, te->kind);
		v->drawn[DRAWN_LOCK + te->kind] = true;
		if (te->on_path) {
			set(e, "irqsim_path", "1");
			style_path(e, true);
			v->drawn[DRAWN_PATH] = true;
		}
	}
	/*
	 * Time flows down: each box at or below the box logged before it.
	 * Units are already in first-step order.
	 */
	for (int i = 1; i < v->nunits; i++) {
		Agedge_t *e;

		if (v->unit[i].actor == v->unit[i - 1].actor)
			continue;
		e = edge(v, v->unit[i - 1].gv, v->unit[i].gv, "order");
		if (!e)
			return -ENOMEM;
		set(e, "style", "invis");
		set(e, "minlen", "0");
		set(e, "weight", "0");
	}
	return 0;
}

static int make_title(struct gv *v)
{
	const struct trace_run *run = v->g->run;
	const struct irqsim_verdict *verdict = run->verdict;
	struct sbuf b = { 0 };
	char line[512], what[IRQSIM_VERDICT_TEXT + 64];

	snprintf(line, sizeof(line), "irqsim: %s", run->name);
	sb_lines(&b, line, GV_TITLE_WRAP, 1);
	if (trace_has_verdict(run)) {
		trace_rename(run->m, verdict->what, what, sizeof(what));
		snprintf(line, sizeof(line), "%s at step %u: %s",
			 check_kind_name(verdict->kind), verdict->step, what);
		sb_lines(&b, line, GV_TITLE_WRAP, 6);
	} else {
		sb_lines(&b, "no violation", GV_TITLE_WRAP, 1);
	}
	if (v->slice) {
		const struct trace_graph *g = v->g;
		int drawn = 0, all = 0;

		for (int i = 0; i < g->nnodes; i++) {
			if (!trace_node_shown(&g->node[i]))
				continue;
			all++;
			drawn += g->node[i].causal;
		}
		snprintf(line, sizeof(line),
			 "the violation's causal slice: %d of the %d steps that matter, as the changelog form draws it (--full-run: the whole run)",
			 drawn, all);
		sb_lines(&b, line, GV_TITLE_WRAP, 2);
	}
	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	set(v->root, "label", b.s ? b.s : "");
	free(b.s);
	return 0;
}

/*
 * The legend: each kind of box and line the picture draws, drawn the
 * same way, with what it means. A row holds a box (left) and a line
 * (right), each only if the picture has one.
 */
struct legend_item {
	int drawn;		/* DRAWN_* */
	const char *head;	/* a box's first line, as the lanes' read */
	const char *text[3];	/* what it means, a line each */
};

static const struct legend_item legend_boxes[] = {
	{ DRAWN_STEP, "#N  step S",
	  { "#N: its number in the timeline and changelog",
	    "S: its step in the run, as in \"at step S\"" } },
	{ DRAWN_QUIET, "step S",
	  { "a step the timeline leaves out, drawn",
	    "because it races with another actor" } },
	{ DRAWN_FOLD, "#A-#B  N steps",
	  { "an actor's steps in a row that touch",
	    "nothing another actor uses, as one box" } },
	{ DRAWN_LOST, NULL,	/* legend_box(): lost_word() */
	  { "the event the violation is about" } },
	{ DRAWN_VIOLATION, "VIOLATION",
	  { "the step that made it inevitable" } },
};

static const struct legend_item legend_lines[] = {
	{ DRAWN_PO, NULL, { "program order: the actor's next box" } },
	{ DRAWN_LOCK, NULL, { "a lock release -> its next acquire" } },
	{ DRAWN_DATA, NULL, { "a write -> the read that saw it" } },
	{ DRAWN_IRQ, NULL,
	  { "an interrupt: MSI -> IRR -> the CPU that",
	    "takes it, an eventfd signal, a vIRR bit" } },
	{ DRAWN_PATH, NULL, { NULL } },	/* legend_box() words it */
};

#define C_LEGEND_FILL	"#fafbfc"

/* A legend box: @it's head and text, in @c. Return: it, or NULL. */
static Agnode_t *legend_box(struct gv *v, Agraph_t *c, const char *name,
			    const struct legend_item *it)
{
	struct sbuf label = { 0 };
	Agnode_t *gn = agnode(c, (char *)name, 1);

	if (!gn)
		return NULL;
	if (it->drawn == DRAWN_LOST)
		sb_lines(&label, lost_word(v->g->run->verdict), GV_WRAP, 1);
	else if (it->drawn == DRAWN_PATH)
		sb_lines(&label,
			 v->g->run->verdict->kind == CHECK_DEVICE_STALL ?
				 "the stalled event's way to the violation" :
				 "the lost event's way to the violation",
			 GV_WRAP, 1);
	else if (it->head)
		sb_lines(&label, it->head, GV_WRAP, 1);
	for (size_t k = 0; k < ARRAY_SIZE(it->text) && it->text[k]; k++)
		sb_lines(&label, it->text[k], GV_WRAP, 1);
	if (label.oom) {
		free(label.s);
		return NULL;
	}
	set(gn, "irqsim_kind", "legend");
	set(gn, "class", "legend");
	set(gn, "label", label.s);
	set_box_width(gn, label.widest);
	free(label.s);
	return gn;
}

/* An invisible edge that places the legend's boxes: @from before @to. */
static Agedge_t *legend_order(struct gv *v, Agnode_t *from, Agnode_t *to)
{
	Agedge_t *e = edge(v, from, to, "legend");

	if (e)
		set(e, "style", "invis");
	return e;
}

/* A legend box in @row, styled as the lanes draw @it. */
static Agnode_t *legend_sample(struct gv *v, Agraph_t *row, size_t r,
			       const struct legend_item *it)
{
	char name[48];
	Agnode_t *gn;

	snprintf(name, sizeof(name), "legend %zu box", r);
	gn = legend_box(v, row, name, it);
	if (!gn)
		return NULL;
	if (it->drawn == DRAWN_QUIET)
		style_quiet(gn);
	else if (it->drawn == DRAWN_FOLD)
		style_fold(gn);
	else if (it->drawn == DRAWN_LOST)
		style_lost(gn);
	else if (it->drawn == DRAWN_VIOLATION)
		style_violation(gn);
	set(gn, "class", "legend");
	return gn;
}

/*
 * A legend line in @row: a dot, the line as the lanes draw @it, and its
 * text in a box of the legend's colour. Return: the text's box, or NULL.
 */
static Agnode_t *legend_line(struct gv *v, Agraph_t *row, size_t r,
			     const struct legend_item *it, Agnode_t **from)
{
	char name[48];
	Agnode_t *to;
	Agedge_t *e;

	snprintf(name, sizeof(name), "legend %zu from", r);
	*from = agnode(row, name, 1);
	snprintf(name, sizeof(name), "legend %zu line", r);
	to = legend_box(v, row, name, it);
	if (!*from || !to)
		return NULL;
	set(*from, "irqsim_kind", "legend");
	set(*from, "class", "legend");
	set(*from, "shape", "point");
	set(*from, "width", "0.06");
	set(*from, "color", C_PO);
	set(to, "style", "filled");
	set(to, "fillcolor", C_LEGEND_FILL);
	set(to, "color", C_LEGEND_FILL);
	e = edge(v, *from, to, "legend");
	if (!e)
		return NULL;
	set(e, "minlen", "2");	/* flat: two node separations long */
	if (it->drawn == DRAWN_PATH)
		style_path(e, false);
	else if (it->drawn != DRAWN_PO)
		style_edge(e, it->drawn - DRAWN_LOCK);
	return to;
}

/*
 * The legend's cluster, above the lanes, its boxes left and its lines
 * right, each column ending on the last row. Under that row an
 * invisible point with an invisible edge to the first box of each lane
 * puts the legend above them all, centred over them.
 * Return: 0 or -ENOMEM.
 */
static int make_legend(struct gv *v)
{
	size_t nbox = 0, nline = 0, rows;
	const struct legend_item *box[ARRAY_SIZE(legend_boxes)];
	const struct legend_item *line[ARRAY_SIZE(legend_lines)];
	bool placed[IRQSIM_MAX_ACTORS] = { false };
	Agnode_t *above = NULL, *anchor;
	Agraph_t *c;

	for (size_t i = 0; i < ARRAY_SIZE(legend_boxes); i++)
		if (v->drawn[legend_boxes[i].drawn])
			box[nbox++] = &legend_boxes[i];
	for (size_t i = 0; i < ARRAY_SIZE(legend_lines); i++)
		if (v->drawn[legend_lines[i].drawn])
			line[nline++] = &legend_lines[i];
	rows = nbox > nline ? nbox : nline;
	if (!rows || !v->nunits)
		return 0;
	/* a space in its name: no actor's lane can be called that */
	c = agsubg(v->root, "cluster legend", 1);
	if (!c)
		return -ENOMEM;
	set(c, "class", "legend");
	set(c, "label", "legend");
	set(c, "style", "rounded,filled");
	set(c, "fillcolor", C_LEGEND_FILL);
	set(c, "color", "#c5cdd8");
	set(c, "fontname", GV_SANS);
	set(c, "fontsize", "11");
	set(c, "fontcolor", C_INK);
	set(c, "labeljust", "l");
	set(c, "margin", "10");
	anchor = agnode(c, "legend end", 1);
	if (!anchor)
		return -ENOMEM;
	set(anchor, "irqsim_kind", "legend");
	set(anchor, "shape", "point");
	set(anchor, "style", "invis");
	set(anchor, "width", "0.01");
	for (size_t r = 0; r < rows; r++) {
		Agnode_t *left = NULL, *from = NULL, *text = NULL;
		char name[48];
		Agraph_t *row;

		snprintf(name, sizeof(name), "legend row %zu", r);
		row = agsubg(c, name, 1);
		if (!row)
			return -ENOMEM;
		set(row, "rank", "same");
		if (r + nbox >= rows) {
			left = legend_sample(v, row, r, box[r + nbox - rows]);
			if (!left)
				return -ENOMEM;
		}
		if (r + nline >= rows) {
			text = legend_line(v, row, r, line[r + nline - rows],
					   &from);
			if (!text)
				return -ENOMEM;
		}
		/* the box left of the line; the rows one under another */
		if ((left && from && !legend_order(v, left, from)) ||
		    (above && !legend_order(v, above, left ? left : from)))
			return -ENOMEM;
		above = left ? left : from;
		if (r == rows - 1 &&
		    ((left && !legend_order(v, left, anchor)) ||
		     (text && !legend_order(v, text, anchor))))
			return -ENOMEM;
	}
	for (int i = 0; i < v->nunits; i++) {
		if (placed[v->unit[i].actor])
			continue;
		placed[v->unit[i].actor] = true;
		if (!legend_order(v, anchor, v->unit[i].gv))
			return -ENOMEM;
	}
	return 0;
}

/*
 * Object IDs in creation order. cgraph's default ID discipline makes a
 * named object's ID the address of its interned name, and keeps
 * subgraphs (the lanes) in ID order: the dot file listed them, and the
 * layout placed them, in the order malloc returned their names, which
 * differs between builds (ASan) and runs. Here a name's ID is 2, 4, 6,
 * ... in the order names are first seen (anonymous objects get the odd
 * numbers, as in cgraph), so the lanes come out in the order make_lanes()
 * creates them, the timeline's. The names (cgraph strings: the writer
 * reads their flags) are held here, in ID order and in a uthash on their
 * text, until the graph is closed; cgraph's own internal name map is not
 * used, as 2.42 leaks its entries.
 */
struct seq_name {
	char *str;		/* a cgraph string (agstrdup) */
	UT_hash_handle hh;
};

struct seq_ids {
	Agraph_t *root;		/* the names are its strings (agstrdup) */
	IDTYPE next_anon;
	bool oom;		/* a name could not be kept: no diagram */
	struct seq_name *name;	/* ID 2(k+1): name[k] */
	size_t n, cap;
	struct seq_name *by_str;	/* uthash on .str, over @name */
};

/* Put @e, one of @name, in the table. Return: 0 or -ENOMEM. */
static int seq_index(struct seq_ids *ids, struct seq_name *e)
{
	HASH_ADD_KEYPTR(hh, ids->by_str, e->str, strlen(e->str), e);
	return trace_hash_added(e) ? 0 : -ENOMEM;
}

/*
 * Room for more names. They move when the array grows, so the table is
 * built anew over them. Return: 0 or -ENOMEM.
 */
static int seq_grow(struct seq_ids *ids)
{
	size_t cap = ids->cap ? ids->cap * 2 : 128;
	struct seq_name *name;

	HASH_CLEAR(hh, ids->by_str);
	name = irqsim_realloc(ids->name, cap * sizeof(*name));
	if (!name)
		return -ENOMEM;
	ids->name = name;
	ids->cap = cap;
	for (size_t k = 0; k < ids->n; k++)
		if (seq_index(ids, &ids->name[k]))
			return -ENOMEM;
	return 0;
}

/* Keep @str as the name of ID 2(n+1). Return: 0 or -ENOMEM. */
static int seq_add(struct seq_ids *ids, char *str)
{
	struct seq_name *e;

	if (ids->n == ids->cap && seq_grow(ids))
		return -ENOMEM;
	e = &ids->name[ids->n];
	e->str = agstrdup(ids->root, str);
	if (!e->str)
		return -ENOMEM;
	ids->n++;	/* seq_close() frees it */
	return seq_index(ids, e);
}

static void *seq_open(Agraph_t *g, Agdisc_t *disc)
{
	struct seq_ids *ids = irqsim_calloc(1, sizeof(*ids));

	(void)disc;
	if (ids) {
		ids->root = g;
		ids->next_anon = 1;
	}
	return ids;
}

static long seq_map(void *state, int objtype, char *str, IDTYPE *id,
		    int createflag)
{
	struct seq_ids *ids = state;
	struct seq_name *e;

	(void)objtype;
	if (!ids || ids->oom)
		return 0;
	if (!str) {
		*id = ids->next_anon;
		ids->next_anon += 2;
		return 1;
	}
	HASH_FIND_STR(ids->by_str, str, e);
	if (e) {
		*id = (IDTYPE)(e - ids->name + 1) * 2;
		return 1;
	}
	if (!createflag)
		return 0;
	/* (cgraph would fall back to its internal map: not here) */
	if (seq_add(ids, str)) {
		ids->oom = true;
		return 0;
	}
	*id = (IDTYPE)ids->n * 2;
	return 1;
}

static long seq_alloc(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id;
	return 0;	/* no IDs chosen by the caller */
}

static void seq_free(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id;	/* the names go with the graph */
}

static char *seq_print(void *state, int objtype, IDTYPE id)
{
	struct seq_ids *ids = state;

	(void)objtype;
	if (!ids || id % 2 || id == 0 || id / 2 > ids->n)
		return NULL;
	return ids->name[id / 2 - 1].str;
}

static void seq_close(void *state)
{
	struct seq_ids *ids = state;

	if (!ids)
		return;
	HASH_CLEAR(hh, ids->by_str);
	for (size_t i = 0; i < ids->n; i++)
		agstrfree(ids->root, ids->name[i].str);
	free(ids->name);
	free(ids);
}

static void seq_register(void *state, int objtype, void *obj)
{
	(void)state;
	(void)objtype;
	(void)obj;
}

static Agiddisc_t seq_id_disc = {
	seq_open, seq_map, seq_alloc, seq_free, seq_print, seq_close,
	seq_register,
};

static Agdisc_t seq_disc = { &AgMemDisc, &seq_id_disc, &AgIoDisc };

static Agraph_t *build(struct gv *v)
{
	const struct trace_run *run = v->g->run;
	Agraph_t *root = agopen((char *)run->name, Agdirected, &seq_disc);
	struct seq_ids *ids;

	if (!root)
		return NULL;
	v->root = root;
	set(root, "rankdir", "TB");
	set(root, "newrank", "true");
	set(root, "nodesep", "0.3");
	set(root, "ranksep", "0.25");
	set(root, "fontname", GV_SANS);
	set(root, "fontsize", "11");
	set(root, "fontcolor", C_INK);
	set(root, "labelloc", "t");
	set(root, "labeljust", "l");
	set(root, "bgcolor", "white");
	set(root, "pad", "0.3");
	set(root, "class", "irqsim");
	agattr(root, AGNODE, "shape", "box");
	agattr(root, AGNODE, "style", "rounded,filled");
	agattr(root, AGNODE, "fillcolor", "white");
	agattr(root, AGNODE, "color", "#5f6b7a");
	agattr(root, AGNODE, "fontname", GV_MONO);
	agattr(root, AGNODE, "fontsize", GV_STR(GV_BOX_PT));
	agattr(root, AGNODE, "fontcolor", C_INK);
	agattr(root, AGNODE, "margin", GV_BOX_MARGIN);
	agattr(root, AGEDGE, "color", C_PO);
	agattr(root, AGEDGE, "arrowsize", "0.6");
	agattr(root, AGEDGE, "fontname", GV_SANS);
	agattr(root, AGEDGE, "fontsize", "8");
	if (make_title(v))
		goto out_close;
	if (make_lanes(v) || make_nodes(v) || make_edges(v) ||
	    make_legend(v))
		goto out_close;
	/* every name got its ID from seq_map() */
	ids = root->clos->state.id;
	if (!ids || ids->oom)
		goto out_close;
	return root;
out_close:
	agclose(root);
	v->root = NULL;
	return NULL;
}

/*
 * One libgvc context for the whole process. Graphviz 2.42's pango text
 * layout keeps, in a static, a pointer to a font name that the context
 * owns: a second context after gvFreeContext() makes it read freed memory
 * (AddressSanitizer finds it). So the context lives until exit.
 */
static GVC_t *process_gvc;

static void free_process_gvc(void)
{
	gvFreeContext(process_gvc);
	process_gvc = NULL;
}

static GVC_t *gvc_get(void)
{
	if (!process_gvc) {
		process_gvc = gvContext();
		if (process_gvc)
			atexit(free_process_gvc);
	}
	return process_gvc;
}

static int layout_and_render(Agraph_t *root, int format, FILE *out)
{
	const char *fmt = format == TRACE_PNG ? "png" : "svg";
	GVC_t *gvc = gvc_get();
	int ret = 0;

	if (!gvc)
		return -ENOMEM;
	if (gvLayout(gvc, root, "dot")) {
		fprintf(stderr, "irqsim: Graphviz could not lay out the graph (is the dot layout plugin installed?)\n");
		ret = -EINVAL;
	} else {
		char *data = NULL;
		unsigned int len = 0;

		/*
		 * In memory, then written here: Graphviz's own writer exits
		 * the process (status 1) when a write fails.
		 */
		if (gvRenderData(gvc, root, fmt, &data, &len)) {
			fprintf(stderr, "irqsim: Graphviz could not render %s\n",
				fmt);
			ret = -EINVAL;
		} else {
			errno = 0;
			if (len && fwrite(data, 1, len, out) != len)
				ret = errno ? -errno : -EIO;
		}
		gvFreeRenderData(data);
		gvFreeLayout(gvc, root);
	}
	return ret;
}

int trace_render_graphviz(FILE *out, int format, const struct trace_graph *g)
{
	struct gv v = { .g = g, .slice = !g->run->full_run &&
					   g->violation >= 0 };
	int ret = build_units(&v);

	if (!ret && !build(&v))
		ret = -ENOMEM;
	if (!ret) {
		errno = 0;
		if (format == TRACE_DOT)
			ret = agwrite(v.root, out) == EOF ?
				      (errno ? -errno : -EIO) : 0;
		else
			ret = layout_and_render(v.root, format, out);
	}
	if (v.root)
		agclose(v.root);
	free(v.unit);
	free(v.unit_of);
	return ret;
}
