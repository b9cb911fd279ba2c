/* SPDX-License-Identifier: MIT */
/*
 * Private to src/trace: the analysis every renderer shares. The event log
 * is cut into step nodes (the events one actor logged in one transition);
 * the accesses events record give happens-before edges between nodes of
 * different actors.
 */
#ifndef IRQSIM_TRACE_INTERNAL_H
#define IRQSIM_TRACE_INTERNAL_H

#include "trace/trace.h"

/* One transition: the events one actor logged in one step. */
struct trace_node {
	uint32_t step;
	int actor;
	size_t first, last;	/* events [first, last) */
	int num;		/* #1, #2, ...: a step that matters; 0: not */
	int prev, next;		/* same actor's nodes before/after, -1 */
	bool important;		/* has an important event */
	bool racy;		/* races with another actor, or an edge end */
	bool violation;		/* the violation became inevitable */
	bool lost;		/* the lost event */
	bool on_path;		/* on the lost event's way to it */
	int path_next;		/* the next node on that path, -1 */
	bool causal;		/* in the violation's causal slice */
};

enum trace_edge_kind {
	TRACE_EDGE_LOCK,	/* lock release -> acquire */
	TRACE_EDGE_DATA,	/* a write -> the read that saw it */
	TRACE_EDGE_IRQ,		/* a message: IRR, eventfd, vIRR */
};

struct trace_edge {
	int from, to;		/* nodes, of different actors */
	int kind;
	uint32_t obj;		/* the object (first one if several) */
	int nobj;
	size_t from_event, to_event;
	bool on_path;
};

struct trace_graph {
	const struct trace_run *run;
	struct trace_node *node;
	int nnodes;
	struct trace_edge *edge;
	int nedges;
	int *node_of;		/* event index -> node */
	int violation;		/* node, -1 */
	int lost;		/* node, -1 */
	int last_num;
};

/* Return: 0 or -ENOMEM. */
int trace_analyze(struct trace_graph *g, const struct trace_run *run);
void trace_graph_free(struct trace_graph *g);

/*
 * A step that matters: numbered (#N), or the lost event or the violating
 * step. The timeline shows these, the changelog and the diagram the ones
 * in the violation's causal slice.
 */
static inline bool trace_node_shown(const struct trace_node *n)
{
	return n->important || n->lost || n->violation;
}

static inline bool trace_has_verdict(const struct trace_run *run)
{
	return run->verdict && run->verdict->kind;
}

/* The shared object's name: "vector_irq[cpu1][32]", "vector_lock", ... */
const char *trace_obj_name(uint32_t obj, char *buf, size_t len);
/* The event's tracepoint name: its own, or its function's. */
const char *trace_event_tp(const struct irqsim_event *e);
/*
 * Its key=value fields: its own; lock events name the lock; an event
 * without fields gets msg="its text".
 */
void trace_event_fields(const struct irqsim_event *e, char *buf, size_t len);
/* The actor's role in words: "vCPU thread", "hard irq", "device", ... */
const char *trace_role_name(int role);
/*
 * "fn: text" of a trace event, as the timeline prints it, with the
 * devices by the names @run's trace gives them (trace_rename()).
 */
void trace_event_line(const struct trace_run *run,
		      const struct irqsim_event *e, char *buf, size_t len);
/*
 * @in with each device the model's prose numbers ("dev0", "guest dev1")
 * named as the trace names it ("nic0"), into @buf.
 */
void trace_rename(const struct vmm_machine *m, const char *in, char *buf,
		  size_t len);
/* Word-wrap @text at @width: the length of the first line, and *rest. */
int trace_wrap(const char *text, int width, const char **rest);

/* The renderers. Return: 0 or -errno. */
int trace_render_text(FILE *out, const struct trace_graph *g);
int trace_render_timeline(FILE *out, const struct trace_graph *g);
int trace_render_changelog(FILE *out, const struct trace_graph *g);
int trace_render_graphviz(FILE *out, int format, const struct trace_graph *g);
int trace_render_json(FILE *out, const struct trace_graph *g);

#endif
