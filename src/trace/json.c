// SPDX-License-Identifier: MIT
/*
 * Chrome trace event JSON, for ui.perfetto.dev and chrome://tracing.
 *
 * A process per host CPU and per device; in a CPU's process a thread per
 * actor bound to it (a task, a vCPU thread, the hard-irq context), so
 * preemption on one CPU never breaks the nesting of slices. Modeled
 * functions are slices (B/E, from the engine's entry and exit records),
 * every trace event an instant with its key=value fields as args, the
 * interrupt messages (MSI write -> IRR -> the CPU taking it, eventfd,
 * vIRR) flow arrows, the violation a global instant. One step is one
 * microsecond; the events of a step are spread inside it in log order.
 */
#include "trace/internal.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PID_DEVICE_BASE	100

static void jstr(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static bool is_integer(const char *s, size_t len)
{
	size_t i = s[0] == '-';

	if (i == len || len > 18 || (s[i] == '0' && len > i + 1))
		return false;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "k=v k2="quoted \"v\"" -> "k":v,"k2":"quoted \"v\"" (after a comma). */
static void jfields(FILE *out, const char *f)
{
	while (*f) {
		const char *eq = strchr(f, '='), *v, *end;
		char val[256];
		size_t n = 0;

		if (!eq)
			break;
		fputc(',', out);
		fputc('"', out);
		fwrite(f, 1, (size_t)(eq - f), out);
		fputs("\":", out);
		v = eq + 1;
		if (*v == '"') {
			for (end = v + 1; *end && *end != '"'; end++) {
				if (*end == '\\' && end[1])
					end++;
				if (n + 1 < sizeof(val))
					val[n++] = *end;
			}
			val[n] = 0;
			jstr(out, val);
			f = *end ? end + 1 : end;
		} else {
			end = strchr(v, ' ');
			if (!end)
				end = v + strlen(v);
			n = (size_t)(end - v);
			if (n >= sizeof(val))
				n = sizeof(val) - 1;
			memcpy(val, v, n);
			val[n] = 0;
			if (is_integer(val, n))
				fputs(val, out);
			else
				jstr(out, val);
			f = end;
		}
		while (*f == ' ')
			f++;
	}
}

struct jctx {
	const struct trace_graph *g;
	FILE *out;
	uint64_t *ts;		/* per event, in nanoseconds */
	int *depth;		/* per event: its actor's open slices */
	/*
	 * The interrupt edges' ends at each event, in edge order: flow[ev]
	 * the first, flow_next[x] the next; an end is 2 * edge for the
	 * edge's start, 2 * edge + 1 for its end; -1 ends a list.
	 */
	int *flow;
	int *flow_next;
	bool first;
};

static int pid_of(const struct vmm_machine *m, int a)
{
	return m->actor[a].cpu >= 0 ? m->actor[a].cpu + 1 :
				      PID_DEVICE_BASE + a;
}

static void begin(struct jctx *j, const char *name, const char *cat,
		  const char *ph, int actor, uint64_t ts)
{
	const struct vmm_machine *m = j->g->run->m;

	fputs(j->first ? "\n" : ",\n", j->out);
	j->first = false;
	fputs("{\"name\":", j->out);
	jstr(j->out, name);
	fprintf(j->out,
		",\"cat\":\"%s\",\"ph\":\"%s\",\"pid\":%d,\"tid\":%d,\"ts\":%llu.%03llu",
		cat, ph, pid_of(m, actor), actor + 1,
		(unsigned long long)(ts / 1000),
		(unsigned long long)(ts % 1000));
}

static void metadata(struct jctx *j)
{
	const struct vmm_machine *m = j->g->run->m;
	bool cpu_done[IRQSIM_MAX_CPUS] = { false };
	char name[96];

	for (int a = 0; a < m->nactors; a++) {
		int cpu = m->actor[a].cpu, pid = pid_of(m, a);

		if (cpu < 0 || cpu >= IRQSIM_MAX_CPUS || !cpu_done[cpu]) {
			if (cpu >= 0 && cpu < IRQSIM_MAX_CPUS)
				cpu_done[cpu] = true;
			if (cpu >= 0)
				snprintf(name, sizeof(name), "CPU%d", cpu);
			else
				snprintf(name, sizeof(name), "%s (device)",
					 m->actor[a].name);
			fprintf(j->out,
				"%s\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"args\":{\"name\":",
				j->first ? "" : ",", pid);
			j->first = false;
			jstr(j->out, name);
			fprintf(j->out,
				"}},\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"args\":{\"sort_index\":%d}}",
				pid, pid);
		}
		snprintf(name, sizeof(name), "%s (%s)", m->actor[a].name,
			 trace_role_name(m->actor[a].role));
		fprintf(j->out,
			",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":",
			pid, a + 1);
		jstr(j->out, name);
		fprintf(j->out,
			"}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"args\":{\"sort_index\":%d}}",
			pid, a + 1, a);
	}
}

/* Timestamps (ns): step s is [s, s+1) us; its n events at s + 0.9 k/n. */
static void timestamps(struct jctx *j)
{
	const struct irqsim_log *log = j->g->run->log;
	int open[IRQSIM_MAX_ACTORS] = { 0 };

	for (size_t i = 0; i < log->n;) {
		size_t k = i;

		while (k < log->n && log->ev[k].step == log->ev[i].step)
			k++;
		for (size_t e = i; e < k; e++)
			j->ts[e] = (uint64_t)log->ev[i].step * 1000 +
				   900 * (e - i) / (k - i);
		i = k;
	}
	for (size_t e = 0; e < log->n; e++) {
		int a = log->ev[e].actor;

		if (a >= IRQSIM_MAX_ACTORS)
			continue;
		if (log->ev[e].kind == IRQSIM_EV_EXIT && open[a] > 0)
			open[a]--;
		j->depth[e] = open[a];
		if (log->ev[e].kind == IRQSIM_EV_ENTRY)
			open[a]++;
	}
}

static const char *category(const struct trace_graph *g,
			    const struct irqsim_event *e)
{
	if (e->tp && e->tp == e->fn && !strncmp(e->tp, "lock_", 5))
		return "lock";
	for (int k = 0; k < e->naccess; k++) {
		unsigned int kind = IRQSIM_OBJ_KIND(e->obj[k]);

		if (kind == APIC_OBJ_IRR || kind == VFIO_OBJ_EVENTFD ||
		    kind == VMM_OBJ_VIRR)
			return "interrupt";
	}
	(void)g;
	return "event";
}

static const char *flow_name(uint32_t obj)
{
	switch (IRQSIM_OBJ_KIND(obj)) {
	case APIC_OBJ_IRR:
		return "MSI delivery";
	case VFIO_OBJ_EVENTFD:
		return "eventfd signal";
	default:
		return "guest interrupt";
	}
}

/* Thread each interrupt edge's two ends onto their events' lists. */
static void flow_lists(struct jctx *j)
{
	const struct trace_graph *g = j->g;

	for (size_t ev = 0; ev < g->run->log->n; ev++)
		j->flow[ev] = -1;
	/* each pushed in front, the last first: the lists are in edge order */
	for (int x = 2 * g->nedges; x-- > 0;) {
		const struct trace_edge *te = &g->edge[x / 2];
		size_t ev = x % 2 ? te->to_event : te->from_event;

		if (te->kind != TRACE_EDGE_IRQ)
			continue;
		j->flow_next[x] = j->flow[ev];
		j->flow[ev] = x;
	}
}

/* Flow arrows of the interrupt edges that start or end at event @ev. */
static void flows(struct jctx *j, size_t ev)
{
	const struct trace_graph *g = j->g;
	const struct irqsim_event *e = &g->run->log->ev[ev];

	for (int x = j->flow[ev]; x >= 0; x = j->flow_next[x]) {
		int i = x / 2;
		const struct trace_edge *te = &g->edge[i];

		if (x % 2 == 0) {
			/* "s" binds to the enclosing slice: make one if none */
			if (!j->depth[ev]) {
				begin(j, trace_event_tp(e), "interrupt", "X",
				      e->actor, j->ts[ev]);
				fputs(",\"dur\":0.001}", j->out);
			}
			begin(j, flow_name(te->obj), "flow", "s", e->actor,
			      j->ts[ev]);
			fprintf(j->out, ",\"id\":%d}", i + 1);
		} else {
			/* "f" binds to the enclosing slice, or the next one */
			begin(j, flow_name(te->obj), "flow", "f", e->actor,
			      j->ts[ev]);
			fprintf(j->out, ",\"id\":%d%s}", i + 1,
				j->depth[ev] ? ",\"bp\":\"e\"" : "");
		}
	}
}

static void events(struct jctx *j)
{
	const struct trace_graph *g = j->g;
	const struct irqsim_log *log = g->run->log;
	const struct irqsim_verdict *v = g->run->verdict;
	char fields[2 * IRQSIM_EVENT_TEXT];
	int open[IRQSIM_MAX_ACTORS] = { 0 };
	uint64_t end = 0;

	for (size_t i = 0; i < log->n; i++) {
		const struct irqsim_event *e = &log->ev[i];
		const struct trace_node *n = &g->node[g->node_of[i]];

		if (e->actor >= IRQSIM_MAX_ACTORS)
			continue;
		switch (e->kind) {
		case IRQSIM_EV_ENTRY:
			begin(j, e->fn, "function", "B", e->actor, j->ts[i]);
			fputs(",\"args\":{\"step\":", j->out);
			fprintf(j->out, "%u", e->step);
			jfields(j->out, e->fields);
			fputs("}}", j->out);
			open[e->actor]++;
			break;
		case IRQSIM_EV_EXIT:
			if (!open[e->actor])
				break;
			begin(j, e->fn, "function", "E", e->actor, j->ts[i]);
			fputs(",\"args\":{\"step\":", j->out);
			fprintf(j->out, "%u", e->step);
			jfields(j->out, e->fields);
			fputs("}}", j->out);
			open[e->actor]--;
			break;
		default:
			begin(j, trace_event_tp(e), category(g, e), "i",
			      e->actor, j->ts[i]);
			fprintf(j->out, ",\"s\":\"t\",\"args\":{\"step\":%u",
				e->step);
			trace_event_fields(e, fields, sizeof(fields));
			jfields(j->out, fields);
			if (e->text[0]) {
				fputs(",\"text\":", j->out);
				jstr(j->out, e->text);
			}
			if (n->num)
				fprintf(j->out, ",\"num\":%d", n->num);
			if (n->lost)
				fputs(",\"lost_event\":true", j->out);
			if (n->violation)
				fputs(",\"violation\":true", j->out);
			fputs("}}", j->out);
			flows(j, i);
		}
		if (j->ts[i] >= end)
			end = (uint64_t)e->step * 1000 + 1000;
	}
	/* slices still open when the run stopped end with it */
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		while (open[a]-- > 0) {
			begin(j, "(run ends)", "function", "E", a, end);
			fputc('}', j->out);
		}
	if (trace_has_verdict(g->run)) {
		char name[96];
		int actor = g->violation >= 0 ? g->node[g->violation].actor : 0;
		uint64_t ts = g->violation >= 0 ?
				      j->ts[g->node[g->violation].first] :
				      end;

		snprintf(name, sizeof(name), "VIOLATION: %s",
			 check_kind_name(v->kind));
		begin(j, name, "violation", "i", actor, ts);
		fputs(",\"s\":\"g\",\"args\":{\"what\":", j->out);
		jstr(j->out, v->what);
		fprintf(j->out, ",\"step\":%u}}", v->step);
	}
}

int trace_render_json(FILE *out, const struct trace_graph *g)
{
	const struct trace_run *run = g->run;
	size_t n = run->log->n ? run->log->n : 1;
	struct jctx j = { .g = g, .out = out, .first = true };

	j.ts = irqsim_malloc(n * sizeof(*j.ts));
	j.depth = irqsim_calloc(n, sizeof(*j.depth));
	j.flow = irqsim_malloc((n + 2 * (size_t)g->nedges) * sizeof(*j.flow));
	if (!j.ts || !j.depth || !j.flow) {
		free(j.ts);
		free(j.depth);
		free(j.flow);
		return -ENOMEM;
	}
	j.flow_next = j.flow + n;
	timestamps(&j);
	flow_lists(&j);
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"irqsim\",\"trace\":",
	      out);
	jstr(out, run->name);
	if (trace_has_verdict(run)) {
		fputs(",\"verdict\":", out);
		jstr(out, check_kind_name(run->verdict->kind));
		fprintf(out, ",\"verdict_step\":%u,\"what\":", run->verdict->step);
		jstr(out, run->verdict->what);
	} else {
		fputs(",\"verdict\":\"none\"", out);
	}
	fputs("},\"traceEvents\":[", out);
	metadata(&j);
	events(&j);
	fputs("\n]}\n", out);
	free(j.ts);
	free(j.depth);
	free(j.flow);
	return 0;
}
