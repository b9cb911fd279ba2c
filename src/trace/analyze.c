// SPDX-License-Identifier: MIT
/*
 * What every renderer needs from an event log: step nodes, the steps that
 * matter numbered, happens-before edges between actors, the shared
 * objects more than one actor touched, the violating step, the lost event
 * and the path from the one to the other.
 */
#include "trace/internal.h"
#include "trace/hash.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[] = {
	[ROLE_TASK] = "task",
	[ROLE_VCPU] = "vCPU thread",
	[ROLE_DEVICE] = "device",
	[ROLE_HARDIRQ] = "hard irq",
	[ROLE_QEMU_MAIN] = "QEMU main loop",
	[ROLE_GUEST_IRQ] = "guest irq",
};

const char *trace_role_name(int role)
{
	if (role < 0 ||
	    role >= (int)(sizeof(role_names) / sizeof(*role_names)) ||
	    !role_names[role])
		return "actor";
	return role_names[role];
}

static const char *lock_name(int lock, char *buf, size_t len)
{
	if (lock == APIC_LOCK_VECTOR)
		snprintf(buf, len, "vector_lock");
	else if (lock >= IRQ_LOCK_DESC(0) && lock < IRQ_LOCK_REQUEST(0))
		snprintf(buf, len, "irq%d desc->lock", lock - IRQ_LOCK_DESC(0));
	else if (lock >= IRQ_LOCK_REQUEST(0) && lock < IRQ_NR_LOCKS)
		snprintf(buf, len, "irq%d request_mutex",
			 lock - IRQ_LOCK_REQUEST(0));
	else if (lock >= VFIO_LOCK_IGATE(0) && lock < VFIO_LOCK_IRQLOCK(0))
		snprintf(buf, len, "dev%d igate", lock - VFIO_LOCK_IGATE(0));
	else if (lock >= VFIO_LOCK_IRQLOCK(0) && lock < VFIO_NR_LOCKS)
		snprintf(buf, len, "dev%d irqlock", lock - VFIO_LOCK_IRQLOCK(0));
	else if (lock == VMM_LOCK_BQL)
		snprintf(buf, len, "QEMU BQL");
	else if (lock == VMM_LOCK_GUEST_IOAPIC)
		snprintf(buf, len, "guest ioapic_lock");
	else if (lock >= VMM_LOCK_GUEST_DESC(0) && lock < VMM_NR_LOCKS)
		snprintf(buf, len, "guest irq%d desc->lock",
			 lock - VMM_LOCK_GUEST_DESC(0));
	else if (lock == IRQ_LOCK_CPU_HOTPLUG)
		snprintf(buf, len, "cpu_hotplug_lock");
	else
		snprintf(buf, len, "lock%d", lock);
	return buf;
}

const char *trace_obj_name(uint32_t obj, char *buf, size_t len)
{
	int a = IRQSIM_OBJ_A(obj), b = IRQSIM_OBJ_B(obj);

	switch (IRQSIM_OBJ_KIND(obj)) {
	case IRQSIM_OBJ_LOCK:
		return lock_name(a, buf, len);
	case APIC_OBJ_VECTOR_IRQ:
		snprintf(buf, len, "vector_irq[cpu%d][%d]", a, b);
		break;
	case APIC_OBJ_IRR:
		snprintf(buf, len, "IRR[cpu%d][%d]", a, b);
		break;
	case IRQ_OBJ_ACTION:
		snprintf(buf, len, "irq%d action", a);
		break;
	case IRQ_OBJ_STATE:
		snprintf(buf, len, "irq%d state", a);
		break;
	case APIC_OBJ_INTC_PIN:
		snprintf(buf, len, "intc pin%d", a);
		break;
	case MSI_OBJ_INTX:
		snprintf(buf, len, "dev%d INTx", a);
		break;
	case VFIO_OBJ_INTX_MASKED:
		snprintf(buf, len, "dev%d INTx masked", a);
		break;
	case VMM_OBJ_GUEST_INTX:
		snprintf(buf, len, "guest dev%d INTx", a);
		break;
	case MSI_OBJ_MSIX_ENTRY:
		snprintf(buf, len, "dev%d msix[%d]", a, b);
		break;
	case MSI_OBJ_DEV_STATUS:
		snprintf(buf, len, "dev%d status[%d]", a, b);
		break;
	case MSI_OBJ_IRTE:
		snprintf(buf, len, "irq%d IRTE", a);
		break;
	case VFIO_OBJ_EVENTFD:
		snprintf(buf, len, "efd%d", a);
		break;
	case VMM_OBJ_VIRR:
		snprintf(buf, len, "vcpu%d vIRR[%#x]", a, GUEST_VECTOR_BASE + b);
		break;
	case VMM_OBJ_GUEST_MSIX:
		snprintf(buf, len, "guest dev%d msix[%d]", a, b);
		break;
	case VMM_OBJ_IOAPIC_RTE:
		snprintf(buf, len, "ioredtbl[%d]", a);
		break;
	case VMM_OBJ_IOAPIC_IRR:
		snprintf(buf, len, "ioapic irr[%d]", a);
		break;
	case VMM_OBJ_KVM_ROUTE:
		snprintf(buf, len, "KVM route gsi %d", a);
		break;
	case VMM_OBJ_GUEST_LAPIC:
		snprintf(buf, len, "vcpu%d LAPIC[%#x]", a, b);
		break;
	case VMM_OBJ_EOI_EXIT:
		snprintf(buf, len, "vcpu%d ioapic_handled_vectors", a);
		break;
	case VMM_OBJ_IOAPIC_REGSEL:
		snprintf(buf, len, "ioapic IOREGSEL");
		break;
	case VMM_OBJ_GUEST_IRQ:
		snprintf(buf, len, "guest IRQ %d", a);
		break;
	case VMM_OBJ_LEVEL_DEV:
		snprintf(buf, len, "level dev%d", a);
		break;
	case VMM_OBJ_GUEST_CPU:
		snprintf(buf, len, "guest vcpu%d online", a);
		break;
	case VMM_OBJ_GUEST_MSIX_CTRL:
		snprintf(buf, len, "guest dev%d MSI-X control", a);
		break;
	default:
		snprintf(buf, len, "obj%#x", obj);
	}
	return buf;
}

static bool is_lock_event(const struct irqsim_event *e)
{
	return e->tp && e->tp == e->fn && !strncmp(e->tp, "lock_", 5) &&
	       e->naccess && IRQSIM_OBJ_KIND(e->obj[0]) == IRQSIM_OBJ_LOCK;
}

const char *trace_event_tp(const struct irqsim_event *e)
{
	return e->tp ? e->tp : e->fn;
}

/* "irq=1 vector=32": every word a key=value with a plain key. */
static bool looks_like_fields(const char *s)
{
	bool key = true, any = false;
	bool seen_eq = false;

	for (; *s; s++) {
		if (*s == ' ') {
			if (!seen_eq)
				return false;
			key = true;
			seen_eq = false;
			continue;
		}
		if (key && *s == '=') {
			if (!any)
				return false;
			key = false;
			seen_eq = true;
			continue;
		}
		if (key && !(*s == '_' || (*s >= 'a' && *s <= 'z') ||
			     (*s >= '0' && *s <= '9')))
			return false;
		any = true;
	}
	return seen_eq;
}

void trace_event_fields(const struct irqsim_event *e, char *buf, size_t len)
{
	char name[48];
	size_t o;

	if (is_lock_event(e)) {
		snprintf(buf, len, "lock=%s",
			 trace_obj_name(e->obj[0], name, sizeof(name)));
		/* lock names have spaces ("irq1 desc->lock"): no spaces */
		for (char *p = buf; *p; p++)
			if (*p == ' ')
				*p = '_';
		return;
	}
	if (e->fields[0]) {
		snprintf(buf, len, "%s", e->fields);
		return;
	}
	if (looks_like_fields(e->text)) {
		snprintf(buf, len, "%s", e->text);
		return;
	}
	/* prose only: msg="..." with quotes and backslashes escaped */
	o = (size_t)snprintf(buf, len, "msg=\"");
	for (const char *p = e->text; *p && o + 3 < len; p++) {
		if (*p == '"' || *p == '\\')
			buf[o++] = '\\';
		buf[o++] = *p;
	}
	if (o + 1 < len)
		buf[o++] = '"';
	buf[o < len ? o : len - 1] = 0;
}

static bool ident_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* The name the trace gives device @dev, or NULL. */
static const char *dev_name(const struct vmm_machine *m, long dev)
{
	int a;

	if (!m || dev < 0 || dev >= IRQSIM_MAX_DEVS)
		return NULL;
	a = m->dev_actor[dev];
	if (a < 0 || a >= m->nactors || m->actor[a].role != ROLE_DEVICE ||
	    m->actor[a].dev != dev)
		return NULL;
	return m->actor[a].name;
}

/*
 * The model's prose numbers devices as its logs do ("dev0 raises vector
 * 0"), which tests/determinism/compare holds byte for byte; a reader
 * sees the trace's names in the columns, so the renderings of prose use
 * them too. A word "devN" (not "pci_dev0", not "dev0x") is renamed.
 */
void trace_rename(const struct vmm_machine *m, const char *in, char *buf,
		  size_t len)
{
	size_t o = 0;

	if (!len)
		return;
	for (const char *p = in; *p && o + 1 < len;) {
		const char *name = NULL, *end = p + 3;

		if (!strncmp(p, "dev", 3) && (p == in || !ident_char(p[-1])) &&
		    *end >= '0' && *end <= '9') {
			long dev = 0;

			while (*end >= '0' && *end <= '9' && dev < 1000)
				dev = dev * 10 + (*end++ - '0');
			if (!ident_char(*end))
				name = dev_name(m, dev);
		}
		if (!name) {
			buf[o++] = *p++;
			continue;
		}
		for (; *name && o + 1 < len; name++)
			buf[o++] = *name;
		p = end;
	}
	buf[o] = 0;
}

void trace_event_line(const struct trace_run *run,
		      const struct irqsim_event *e, char *buf, size_t len)
{
	char raw[2 * IRQSIM_EVENT_TEXT + 64];

	if (e->text[0])
		snprintf(raw, sizeof(raw), "%s: %s", e->fn, e->text);
	else
		snprintf(raw, sizeof(raw), "%s: %s", trace_event_tp(e),
			 e->fields);
	trace_rename(run->m, raw, buf, len);
}

int trace_wrap(const char *text, int width, const char **rest)
{
	int len = (int)strlen(text), take;

	if (width < 1)
		width = 1;
	if (len <= width) {
		*rest = text + len;
		return len;
	}
	take = width;
	while (take > width / 3 && text[take] != ' ')
		take--;
	if (text[take] != ' ')
		take = width;
	*rest = text + take;
	while (**rest == ' ')
		(*rest)++;
	while (take > 0 && text[take - 1] == ' ')
		take--;
	return take;
}

/* ------------------------------------------------------------------ */

/* Per shared object: the last write and release, who touched it. */
struct obj_state {
	uint32_t obj;		/* the key */
	long last_write;	/* event, -1 */
	long last_release;
	uint16_t actors;	/* bitmap */
	bool written;
	UT_hash_handle hh;
};

/* An edge's identity: another access between the same nodes joins it. */
struct edge_key {
	int from, to, kind;
};

struct edge_slot {
	struct edge_key key;
	UT_hash_handle hh;	/* slot[i] is g->edge[i]'s */
};

/*
 * What build_edges() looks up: the objects by their id, the edges by
 * their key. An access adds at most one object and one edge, so the
 * arrays are sized by the log's accesses, once: nothing moves under the
 * tables.
 */
struct hb_tables {
	struct obj_state *obj;
	size_t nobjs;
	struct obj_state *by_obj;	/* uthash on .obj */
	struct edge_slot *slot;
	struct edge_slot *by_key;	/* uthash on .key */
	int edge_cap;			/* of g->edge */
};

static struct obj_state *obj_get(struct hb_tables *t, uint32_t obj)
{
	struct obj_state *o;

	HASH_FIND(hh, t->by_obj, &obj, sizeof(obj), o);
	if (o)
		return o;
	o = &t->obj[t->nobjs];
	*o = (struct obj_state){ .obj = obj, .last_write = -1,
				 .last_release = -1 };
	HASH_ADD(hh, t->by_obj, obj, sizeof(o->obj), o);
	if (!trace_hash_added(o))
		return NULL;
	t->nobjs++;
	return o;
}

static int edge_kind(uint32_t obj)
{
	switch (IRQSIM_OBJ_KIND(obj)) {
	case IRQSIM_OBJ_LOCK:
		return TRACE_EDGE_LOCK;
	case APIC_OBJ_IRR:
	case VFIO_OBJ_EVENTFD:
	case VMM_OBJ_VIRR:
		return TRACE_EDGE_IRQ;
	default:
		return TRACE_EDGE_DATA;
	}
}

static int add_edge(struct trace_graph *g, struct hb_tables *t, long from_ev,
		    size_t to_ev, uint32_t obj)
{
	struct edge_key key = { .from = g->node_of[from_ev],
				.to = g->node_of[to_ev],
				.kind = edge_kind(obj) };
	struct edge_slot *s;

	if (key.from == key.to ||
	    g->node[key.from].actor == g->node[key.to].actor)
		return 0;
	HASH_FIND(hh, t->by_key, &key, sizeof(key), s);
	if (s) {
		struct trace_edge *e = &g->edge[s - t->slot];

		if (e->obj != obj)
			e->nobj++;
		return 0;
	}
	if (g->nedges == t->edge_cap) {
		int ncap = t->edge_cap ? t->edge_cap * 2 : 32;
		struct trace_edge *ne =
			irqsim_realloc(g->edge, (size_t)ncap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		g->edge = ne;
		t->edge_cap = ncap;
	}
	s = &t->slot[g->nedges];
	s->key = key;
	HASH_ADD(hh, t->by_key, key, sizeof(s->key), s);
	if (!trace_hash_added(s))
		return -ENOMEM;
	g->edge[g->nedges++] = (struct trace_edge){
		.from = key.from, .to = key.to, .kind = key.kind, .obj = obj,
		.nobj = 1, .from_event = (size_t)from_ev, .to_event = to_ev,
	};
	return 0;
}

/* Cut the log into nodes: one per (step, actor) run of events. */
static int build_nodes(struct trace_graph *g)
{
	const struct irqsim_log *log = g->run->log;
	int last_of[IRQSIM_MAX_ACTORS];
	int cap = 0;

	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		last_of[a] = -1;
	for (size_t i = 0; i < log->n; i++) {
		const struct irqsim_event *e = &log->ev[i];
		struct trace_node *n;

		if (g->nnodes && g->node[g->nnodes - 1].step == e->step &&
		    g->node[g->nnodes - 1].actor == e->actor) {
			n = &g->node[g->nnodes - 1];
		} else {
			if (g->nnodes == cap) {
				int ncap = cap ? cap * 2 : 64;
				struct trace_node *nn = irqsim_realloc(
					g->node, (size_t)ncap * sizeof(*nn));

				if (!nn)
					return -ENOMEM;
				g->node = nn;
				cap = ncap;
			}
			n = &g->node[g->nnodes];
			*n = (struct trace_node){ .step = e->step,
						  .actor = e->actor,
						  .first = i, .prev = -1,
						  .next = -1 };
			if (e->actor < IRQSIM_MAX_ACTORS) {
				n->prev = last_of[e->actor];
				if (n->prev >= 0)
					g->node[n->prev].next = g->nnodes;
				last_of[e->actor] = g->nnodes;
			}
			g->nnodes++;
		}
		n->last = i + 1;
		if (e->kind == IRQSIM_EV_TRACE && e->important)
			n->important = true;
		g->node_of[i] = g->nnodes - 1;
	}
	return 0;
}

static int build_edges(struct trace_graph *g, struct hb_tables *t)
{
	const struct irqsim_log *log = g->run->log;

	for (size_t i = 0; i < log->n; i++) {
		const struct irqsim_event *e = &log->ev[i];

		if (e->kind != IRQSIM_EV_TRACE)
			continue;
		for (int k = 0; k < e->naccess; k++) {
			struct obj_state *o = obj_get(t, e->obj[k]);
			int acc = e->access[k];

			if (!o)
				return -ENOMEM;
			if (acc == IRQSIM_ACC_NONE)
				continue;
			if (e->actor < 16)
				o->actors |= (uint16_t)(1u << e->actor);
			if ((acc == IRQSIM_ACC_READ || acc == IRQSIM_ACC_RMW) &&
			    o->last_write >= 0 &&
			    add_edge(g, t, o->last_write, i, o->obj))
				return -ENOMEM;
			if (acc == IRQSIM_ACC_WRITE || acc == IRQSIM_ACC_RMW) {
				o->last_write = (long)i;
				o->written = true;
			}
			if (acc == IRQSIM_ACC_ACQUIRE && o->last_release >= 0 &&
			    add_edge(g, t, o->last_release, i, o->obj))
				return -ENOMEM;
			if (acc == IRQSIM_ACC_RELEASE)
				o->last_release = (long)i;
		}
	}
	return 0;
}

/* The tables sized for @g's log. Return: 0 or -ENOMEM. */
static int hb_tables_alloc(struct hb_tables *t, const struct trace_graph *g)
{
	const struct irqsim_log *log = g->run->log;
	size_t nacc = 0;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < log->n; i++)
		if (log->ev[i].kind == IRQSIM_EV_TRACE)
			nacc += log->ev[i].naccess;
	if (!nacc)
		return 0;
	t->obj = irqsim_malloc(nacc * sizeof(*t->obj));
	t->slot = irqsim_malloc(nacc * sizeof(*t->slot));
	return t->obj && t->slot ? 0 : -ENOMEM;
}

static void hb_tables_free(struct hb_tables *t)
{
	HASH_CLEAR(hh, t->by_obj);
	HASH_CLEAR(hh, t->by_key);
	free(t->obj);
	free(t->slot);
}

/*
 * Each node's edges in edge order, as lists through the edge indices:
 * in[n] is the first edge into node n, in_next[k] the one after edge k;
 * out and out_next the same for the edges from it. -1 ends a list.
 */
struct edge_lists {
	int *in, *in_next;
	int *out, *out_next;
};

static int edge_lists_build(struct edge_lists *l, const struct trace_graph *g)
{
	size_t n = 2 * (size_t)g->nnodes + 2 * (size_t)g->nedges;
	int *mem = irqsim_malloc((n ? n : 1) * sizeof(*mem));

	if (!mem)
		return -ENOMEM;
	l->in = mem;
	l->out = l->in + g->nnodes;
	l->in_next = l->out + g->nnodes;
	l->out_next = l->in_next + g->nedges;
	for (int i = 0; i < g->nnodes; i++)
		l->in[i] = l->out[i] = -1;
	/* each pushed in front, the last first: the lists are in edge order */
	for (int k = g->nedges; k-- > 0;) {
		const struct trace_edge *e = &g->edge[k];

		l->in_next[k] = l->in[e->to];
		l->in[e->to] = k;
		l->out_next[k] = l->out[e->from];
		l->out[e->from] = k;
	}
	return 0;
}

static void edge_lists_free(struct edge_lists *l)
{
	free(l->in);
}

/*
 * Vector clocks over program order and the synchronising edges (lock
 * release -> acquire, interrupt messages): clock[n][a] is how many of
 * actor a's nodes happen before or at node n. A write -> read edge on
 * plain data does not order anything: it is the race itself.
 */
static uint32_t *vector_clocks(const struct trace_graph *g,
			       const struct edge_lists *l)
{
	int na = IRQSIM_MAX_ACTORS;
	uint32_t *clock =
		irqsim_calloc((size_t)g->nnodes * (size_t)na, sizeof(*clock));
	uint32_t seq[IRQSIM_MAX_ACTORS] = { 0 };

	if (!clock)
		return NULL;
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];
		uint32_t *c = &clock[(size_t)i * na];

		if (n->actor >= na)
			continue;
		if (n->prev >= 0)
			memcpy(c, &clock[(size_t)n->prev * na],
			       na * sizeof(*c));
		/* edges come from earlier nodes: their clocks are final */
		for (int k = l->in[i]; k >= 0; k = l->in_next[k]) {
			const uint32_t *f;

			if (g->edge[k].kind == TRACE_EDGE_DATA)
				continue;
			f = &clock[(size_t)g->edge[k].from * na];
			for (int a = 0; a < na; a++)
				if (f[a] > c[a])
					c[a] = f[a];
		}
		c[n->actor] = ++seq[n->actor];
	}
	return clock;
}

static bool happens_before(const struct trace_graph *g, const uint32_t *clock,
			   int x, int y)
{
	int ax = g->node[x].actor;

	return clock[(size_t)x * IRQSIM_MAX_ACTORS + ax] <=
	       clock[(size_t)y * IRQSIM_MAX_ACTORS + ax];
}

/*
 * A node is racy when it is an end of a happens-before edge, or when it
 * accesses shared data that another actor accesses concurrently (neither
 * happens before the other), one of the two writing. Everything else can
 * fold away in the diagram.
 */
struct access {
	uint32_t obj;
	size_t seq;		/* log order */
	int node, actor;
	bool write;
};

static int access_cmp(const void *a, const void *b)
{
	const struct access *x = a, *y = b;

	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int mark_racy(struct trace_graph *g, const struct edge_lists *l)
{
	const struct irqsim_log *log = g->run->log;
	uint32_t *clock = vector_clocks(g, l);
	struct access *acc = NULL;
	size_t nacc = 0, cap = 0;

	if (!clock)
		return -ENOMEM;
	for (int i = 0; i < g->nedges; i++) {
		g->node[g->edge[i].from].racy = true;
		g->node[g->edge[i].to].racy = true;
	}
	/* the data accesses, grouped by object, in log order within one */
	for (size_t i = 0; i < log->n; i++) {
		const struct irqsim_event *e = &log->ev[i];

		for (int k = 0; e->kind == IRQSIM_EV_TRACE && k < e->naccess;
		     k++) {
			if (IRQSIM_OBJ_KIND(e->obj[k]) == IRQSIM_OBJ_LOCK ||
			    e->access[k] == IRQSIM_ACC_NONE)
				continue;
			if (nacc == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct access *na =
					irqsim_realloc(acc, ncap * sizeof(*na));

				if (!na) {
					free(acc);
					free(clock);
					return -ENOMEM;
				}
				acc = na;
				cap = ncap;
			}
			/* .seq = nacc in the same expression as nacc++ would
			 * be unsequenced (C11 6.5p2): undefined */
			acc[nacc] = (struct access){
				.obj = e->obj[k], .seq = nacc,
				.node = g->node_of[i], .actor = e->actor,
				.write = e->access[k] == IRQSIM_ACC_WRITE ||
					 e->access[k] == IRQSIM_ACC_RMW,
			};
			nacc++;
		}
	}
	if (nacc)
		qsort(acc, nacc, sizeof(*acc), access_cmp);
	for (size_t y = 0; y < nacc; y++) {
		for (size_t x = y; x-- > 0 && acc[x].obj == acc[y].obj;) {
			if (acc[x].actor == acc[y].actor ||
			    !(acc[x].write || acc[y].write) ||
			    happens_before(g, clock, acc[x].node, acc[y].node))
				continue;
			g->node[acc[x].node].racy = true;
			g->node[acc[y].node].racy = true;
		}
	}
	free(acc);
	free(clock);
	return 0;
}

/* The node of @step (of @actor if >= 0), preferring one that matters. */
static int find_node(const struct trace_graph *g, uint32_t step, int actor)
{
	int found = -1;

	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];

		if (n->step != step || (actor >= 0 && n->actor != actor))
			continue;
		if (n->important)
			return i;
		if (found < 0)
			found = i;
	}
	return found;
}

/*
 * A device that waits for the driver's ack coalesces later events into the
 * pending one, whose message is the interrupt that was lost. Walk back
 * over the device's status writes to the first one since a driver read
 * the status: the same rule as the msi layer's pending_step, which the
 * lost-interrupt oracle names (so for it this walk stays on its node);
 * kept for origins that name a later status write.
 */
static int pending_since(const struct trace_graph *g, int node)
{
	const struct irqsim_log *log = g->run->log;
	uint32_t status = 0;
	int found = node;

	if (node < 0)
		return node;
	for (size_t ev = g->node[node].first; ev < g->node[node].last; ev++)
		for (int k = 0; k < log->ev[ev].naccess; k++)
			if (IRQSIM_OBJ_KIND(log->ev[ev].obj[k]) ==
				    MSI_OBJ_DEV_STATUS &&
			    log->ev[ev].access[k] == IRQSIM_ACC_WRITE)
				status = log->ev[ev].obj[k];
	if (!status)
		return node;
	for (size_t ev = g->node[node].first; ev-- > 0;) {
		const struct irqsim_event *e = &log->ev[ev];

		for (int k = 0; k < e->naccess; k++) {
			if (e->obj[k] != status)
				continue;
			if (e->access[k] != IRQSIM_ACC_WRITE)
				return found; /* the driver read it */
			found = g->node_of[ev];
		}
	}
	return found;
}

/*
 * The lost event's way to the violation: breadth-first over program order
 * and happens-before edges, so the fewest hops (for a lost interrupt: the
 * MSI into IRR, the CPU taking it, the entry code discarding it).
 */
static int mark_path(struct trace_graph *g, const struct edge_lists *l)
{
	int *prev, *queue, head = 0, tail = 0;

	for (int i = 0; i < g->nnodes; i++) {
		g->node[i].on_path = false;
		g->node[i].path_next = -1;
	}
	if (g->lost < 0 || g->violation < 0)
		return 0;
	prev = irqsim_malloc((size_t)g->nnodes * sizeof(*prev));
	queue = irqsim_malloc((size_t)g->nnodes * sizeof(*queue));
	if (!prev || !queue) {
		free(prev);
		free(queue);
		return -ENOMEM;
	}
	for (int i = 0; i < g->nnodes; i++)
		prev[i] = -2;
	prev[g->lost] = -1;
	queue[tail++] = g->lost;
	while (head < tail && prev[g->violation] == -2) {
		int n = queue[head++], next = g->node[n].next;

		if (next >= 0 && prev[next] == -2) {
			prev[next] = n;
			queue[tail++] = next;
		}
		for (int k = l->out[n]; k >= 0; k = l->out_next[k]) {
			int to = g->edge[k].to;

			if (prev[to] == -2) {
				prev[to] = n;
				queue[tail++] = to;
			}
		}
	}
	if (prev[g->violation] != -2) {
		for (int n = g->violation; n >= 0; n = prev[n]) {
			g->node[n].on_path = true;
			if (prev[n] >= 0)
				g->node[prev[n]].path_next = n;
			for (int k = prev[n] >= 0 ? l->out[prev[n]] : -1;
			     k >= 0; k = l->out_next[k])
				if (g->edge[k].to == n)
					g->edge[k].on_path = true;
		}
	}
	free(prev);
	free(queue);
	return 0;
}

/*
 * The node where each event's operation began: the actor's outermost
 * call (a modeled function entered with no frame open, one op of its
 * program), or the event's own node for an event outside any call.
 */
static int *operation_starts(const struct trace_graph *g)
{
	const struct irqsim_log *log = g->run->log;
	int depth[IRQSIM_MAX_ACTORS] = { 0 }, cur[IRQSIM_MAX_ACTORS];
	int *op = irqsim_malloc((log->n ? log->n : 1) * sizeof(*op));

	if (!op)
		return NULL;
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		cur[a] = -1;
	for (size_t i = 0; i < log->n; i++) {
		const struct irqsim_event *e = &log->ev[i];
		int a = e->actor;

		op[i] = g->node_of[i];
		if (a >= IRQSIM_MAX_ACTORS)
			continue;
		if (e->kind == IRQSIM_EV_ENTRY && !depth[a]++)
			cur[a] = g->node_of[i];
		if (depth[a] && cur[a] >= 0)
			op[i] = cur[a];
		if (e->kind == IRQSIM_EV_EXIT && depth[a])
			depth[a]--;
	}
	return op;
}

/*
 * Widen the actors' runs [lo, hi] of the slice to the writers and senders
 * of what node @i read or took. Return: whether a run grew.
 */
static bool pull_writers(const struct trace_graph *g,
			 const struct edge_lists *l, const int *op, int i,
			 int *lo, int *hi)
{
	bool grew = false;

	for (int k = l->in[i]; k >= 0; k = l->in_next[k]) {
		const struct trace_edge *e = &g->edge[k];
		int from = e->from, b = g->node[from].actor;

		if (e->kind == TRACE_EDGE_LOCK || b >= IRQSIM_MAX_ACTORS ||
		    (from >= lo[b] && from <= hi[b]))
			continue;
		if (op[e->from_event] < lo[b])
			lo[b] = op[e->from_event];
		if (from > hi[b])
			hi[b] = from;
		grew = true;
	}
	return grew;
}

/*
 * The violation's causal slice: what a changelog shows, and the actors a
 * narrow timeline keeps in columns of their own. It holds, for each actor
 * in it, one run of its nodes: the violating actor's from the start of
 * the operation the violation is in; the lost event's, likewise; and
 * for every node in the slice, each write it read (a data edge) and each
 * interrupt message it took (IRR, eventfd, vIRR), with that writer's or
 * sender's operation up to it, transitively. A lock hand-over orders two
 * steps but says nothing of the race: it pulls no actor in. An edge is
 * the last write before the read, so old state that still matters (an
 * irq disabled long before the interrupt came) is in; what the model
 * reads without logging the access is not.
 */
static int mark_causal(struct trace_graph *g, const struct edge_lists *l)
{
	int lo[IRQSIM_MAX_ACTORS], hi[IRQSIM_MAX_ACTORS];
	const struct trace_node *v;
	bool changed = true;
	int *op;

	if (g->violation < 0)
		return 0;
	op = operation_starts(g);
	if (!op)
		return -ENOMEM;
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++) {
		lo[a] = g->nnodes;
		hi[a] = -1;
	}
	v = &g->node[g->violation];
	if (v->actor < IRQSIM_MAX_ACTORS) {
		lo[v->actor] = op[v->last - 1];
		hi[v->actor] = g->violation;
	}
	for (int i = 0; i < g->nnodes; i++) {
		const struct trace_node *n = &g->node[i];

		if (!(n->lost || n->on_path) || n->actor >= IRQSIM_MAX_ACTORS)
			continue;
		if (op[n->first] < lo[n->actor])
			lo[n->actor] = op[n->first];
		if (i > hi[n->actor])
			hi[n->actor] = i;
	}
	while (changed) {
		changed = false;
		for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
			for (int i = hi[a]; i >= 0 && i >= lo[a];
			     i = g->node[i].prev)
				changed |= pull_writers(g, l, op, i, lo, hi);
	}
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		for (int i = hi[a]; i >= 0 && i >= lo[a]; i = g->node[i].prev)
			g->node[i].causal = true;
	free(op);
	return 0;
}

int trace_analyze(struct trace_graph *g, const struct trace_run *run)
{
	const struct irqsim_verdict *v = run->verdict;
	struct hb_tables t = { 0 };
	struct edge_lists l;
	int ret;

	memset(g, 0, sizeof(*g));
	g->run = run;
	g->violation = g->lost = -1;
	g->node_of = irqsim_malloc((run->log->n ? run->log->n : 1) * sizeof(int));
	if (!g->node_of)
		return -ENOMEM;
	ret = build_nodes(g);
	if (!ret)
		ret = hb_tables_alloc(&t, g);
	if (!ret)
		ret = build_edges(g, &t);
	hb_tables_free(&t);
	if (!ret)
		ret = edge_lists_build(&l, g);
	if (ret) {
		trace_graph_free(g);
		return ret;
	}
	ret = mark_racy(g, &l);
	if (ret) {
		edge_lists_free(&l);
		trace_graph_free(g);
		return ret;
	}

	for (int i = 0; i < g->nnodes; i++)
		if (g->node[i].important)
			g->node[i].num = ++g->last_num;
	if (trace_has_verdict(run)) {
		g->violation = find_node(g, v->step, -1);
		/*
		 * A verdict judged on the end state (after the last step,
		 * "after N steps" of an N-step run) has no step of its own:
		 * the slice is drawn from the run's last step.
		 */
		for (uint32_t s = v->step; g->violation < 0 && s-- > 0;)
			g->violation = find_node(g, s, -1);
		if (v->has_origin)
			g->lost = pending_since(g, find_node(g, v->origin_step,
							     v->origin_actor));
	}
	if (g->violation >= 0)
		g->node[g->violation].violation = true;
	if (g->lost >= 0)
		g->node[g->lost].lost = true;
	ret = mark_path(g, &l);
	if (!ret)
		ret = mark_causal(g, &l);
	edge_lists_free(&l);
	if (ret)
		trace_graph_free(g);
	return ret;
}

void trace_graph_free(struct trace_graph *g)
{
	free(g->node);
	free(g->edge);
	free(g->node_of);
	memset(g, 0, sizeof(*g));
	g->violation = g->lost = -1;
}
