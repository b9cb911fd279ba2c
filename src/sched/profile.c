// SPDX-License-Identifier: MIT
/*
 * The state-space profile (sched/profile.h): tables keyed by transition
 * code and by program point, fed by the exhaustive search's visit hook.
 * Outside the world: plain heap tables of the tool's own, never hashed
 * into a state.
 */
#include "sched/profile.h"
#include "sched/internal.h"

#include <stdio.h>

/* A program point's key: source, actor, what the actor is doing, where. */
enum point_kind {
	POINT_RUNNING,		/* at a resume point of its top frame */
	POINT_BLOCKED,		/* waiting there */
	POINT_IDLE,		/* no frame: between its operations */
	POINT_NONE,		/* the transition ran no actor */
};

#define KEY_USED	(1ULL << 63)

static uint64_t point_key(int source, int actor, enum point_kind kind,
			  unsigned int fn, unsigned int pc)
{
	return KEY_USED | (uint64_t)source << 40 |
	       (uint64_t)(actor + 1) << 34 | (uint64_t)kind << 32 |
	       (uint64_t)fn << 16 | pc;
}

/* Open addressing over nonzero keys; a cell counts two things. */
struct cell {
	uint64_t key;
	uint64_t n, below;
};

struct table {
	struct cell *c;
	size_t mask, used;
};

static uint64_t key_hash(uint64_t key)
{
	return mum(key, 0x9e3779b97f4a7c15ULL);
}

static struct cell *table_slot(struct cell *c, size_t mask, uint64_t key)
{
	size_t i = key_hash(key) & mask;

	while (c[i].key && c[i].key != key)
		i = (i + 1) & mask;
	return &c[i];
}

/* The cell of @key, inserted when new; NULL when out of memory. */
static struct cell *table_get(struct table *t, uint64_t key)
{
	struct cell *e;

	if ((t->used + 1) * 2 > t->mask + 1) {
		size_t cap = t->c ? (t->mask + 1) * 2 : 256;
		struct cell *nc = irqsim_calloc(cap, sizeof(*nc));

		if (!nc)
			return NULL;
		for (size_t i = 0; t->c && i <= t->mask; i++)
			if (t->c[i].key)
				*table_slot(nc, cap - 1, t->c[i].key) = t->c[i];
		free(t->c);
		t->c = nc;
		t->mask = cap - 1;
	}
	e = table_slot(t->c, t->mask, key);
	if (!e->key) {
		e->key = key;
		t->used++;
	}
	return e;
}

/* A new state whose DFS subtree is still being searched. */
struct open_state {
	size_t depth;
	uint64_t key;		/* its point; 0: a start state */
	uint64_t at;		/* distinct states counted, itself included */
};

struct irqsim_sprof {
	const struct irqsim_model *model;
	const struct irqsim_rt *rt;
	size_t ws;

	uint16_t *code_ix;		/* code -> source index + 1 */
	struct irqsim_sprof_source *src;
	uint16_t *src_code;
	size_t nsrc, srccap;

	struct table points, pairs;
	struct open_state *open;
	size_t nopen, opencap;

	uint64_t distinct, starts, transitions;
	uint64_t by_enabled[IRQSIM_MAX_ENABLED + 1];
	uint64_t hashed;
	size_t max_depth;
	struct irqsim_dfs_memory mem;

	void *fire_scratch;		/* where a transition runs again */
	/* canonical views, padded to words: the start's, the last one's */
	uint64_t *canon, *start_canon;
	uint64_t *varies;		/* bits that ever differed */
	size_t words;
	bool have_start;
	bool oom;

	/* the report, built once */
	struct irqsim_sprof_report report;
	struct irqsim_sprof_source *rsrc;
	struct irqsim_sprof_point *rpoint;
	const struct irqsim_sprof_point **rbelow;
	struct irqsim_sprof_pair *rpair;
	bool reported;
};

struct irqsim_sprof *irqsim_sprof_new(const struct irqsim_model *model,
				      const struct irqsim_rt *rt)
{
	struct irqsim_sprof *p = irqsim_calloc(1, sizeof(*p));
	size_t ws = model->world_size;

	if (!p)
		return NULL;
	p->model = model;
	p->rt = rt;
	p->ws = ws;
	p->code_ix = irqsim_calloc(65536, sizeof(*p->code_ix));
	p->fire_scratch = irqsim_malloc(ws);
	p->words = (ws + 7) / 8;
	p->canon = irqsim_calloc(p->words, 8);
	p->start_canon = irqsim_calloc(p->words, 8);
	p->varies = irqsim_calloc(p->words, 8);
	if (!p->code_ix || !p->fire_scratch || !p->canon || !p->start_canon ||
	    !p->varies) {
		irqsim_sprof_free(p);
		return NULL;
	}
	return p;
}

void irqsim_sprof_free(struct irqsim_sprof *p)
{
	if (!p)
		return;
	free(p->code_ix);
	free(p->src);
	free(p->src_code);
	free(p->points.c);
	free(p->pairs.c);
	free(p->open);
	free(p->fire_scratch);
	free(p->canon);
	free(p->start_canon);
	free(p->varies);
	free(p->rsrc);
	free(p->rpoint);
	free(p->rbelow);
	free(p->rpair);
	free(p);
}

/* The source of transition @t, named from @world when new; -1: no memory. */
static int source_of(struct irqsim_sprof *p, uint16_t t, const void *world)
{
	struct irqsim_sprof_source *s;

	if (p->code_ix[t])
		return p->code_ix[t] - 1;
	if (p->nsrc == p->srccap) {
		size_t cap = p->srccap ? p->srccap * 2 : 16;
		void *ns = irqsim_realloc(p->src, cap * sizeof(*p->src));

		if (!ns)
			goto oom;
		p->src = ns;
		ns = irqsim_realloc(p->src_code, cap * sizeof(*p->src_code));
		if (!ns)
			goto oom;
		p->src_code = ns;
		p->srccap = cap;
	}
	s = &p->src[p->nsrc];
	memset(s, 0, sizeof(*s));
	p->model->transition_name(world, p->rt, t, s->name, sizeof(s->name));
	p->src_code[p->nsrc] = t;
	p->code_ix[t] = (uint16_t)++p->nsrc;
	return (int)p->nsrc - 1;
oom:
	p->oom = true;
	return -1;
}

/*
 * The world as its fingerprint sees it, in @out: no step counter, no
 * waiter masks (derived), no dead frames, the model's history cleared.
 */
static void canonical_view(const struct irqsim_sprof *p, const void *world,
			   void *out)
{
	struct sched_world *sw = out;

	memcpy(out, world, p->ws);
	sw->step = 0;
	memset(sw->waiters, 0, sizeof(sw->waiters));
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++) {
		struct irqsim_actor *ac = &sw->actor[a];
		int live = a < sw->nactors ? ac->nframes : 0;

		if (live > IRQSIM_MAX_FRAMES)
			live = IRQSIM_MAX_FRAMES;
		if (a >= sw->nactors)
			memset(ac, 0, offsetof(struct irqsim_actor, frame));
		memset(&ac->frame[live], 0,
		       (size_t)(IRQSIM_MAX_FRAMES - live) *
			       sizeof(ac->frame[0]));
	}
	if (p->model->canonical)
		p->model->canonical(out);
}

/* The bytes irqsim_fingerprint() covers in @world. */
static size_t hashed_bytes(const struct irqsim_sprof *p, const void *world)
{
	const struct sched_world *sw = world;
	size_t n = sizeof(sw->warnings) + sizeof(sw->lock_owner) +
		   (p->ws - sizeof(struct sched_world));

	for (int a = 0; a < sw->nactors; a++)
		n += offsetof(struct irqsim_actor, frame) +
		     sw->actor[a].nframes * sizeof(sw->actor[a].frame[0]);
	return n;
}

static void note_bytes(struct irqsim_sprof *p, const void *world)
{
	p->hashed += hashed_bytes(p, world);
	if (!p->have_start) {
		canonical_view(p, world, p->start_canon);
		p->have_start = true;
		return;
	}
	canonical_view(p, world, p->canon);
	{
		const uint64_t *restrict c = p->canon, *restrict s0 = p->start_canon;
		uint64_t *restrict v = p->varies;

		for (size_t i = 0; i < p->words; i++)
			v[i] |= c[i] ^ s0[i];
	}
}

/*
 * The program point @t leaves its actor at in @to: which actor it ran is
 * the model's business (fire() says, in the context), so run it again
 * from @from on a copy.
 */
static uint64_t point_of(struct irqsim_sprof *p, int source, const void *from,
			 uint16_t t, const void *to)
{
	const struct sched_world *sw = to;
	struct irqsim_ctx ctx = { .world = p->fire_scratch, .rt = p->rt,
				  .actor = -1 };
	const struct irqsim_actor *a;

	memcpy(p->fire_scratch, from, p->ws);
	p->model->fire(&ctx, t);
	if (ctx.actor < 0 || ctx.actor >= sw->nactors)
		return point_key(source, -1, POINT_NONE, 0, 0);
	a = &sw->actor[ctx.actor];
	if (!a->nframes)
		return point_key(source, ctx.actor, POINT_IDLE,
				 (unsigned int)p->rt->prog[ctx.actor].nops, a->op);
	return point_key(source, ctx.actor,
			 a->blocked ? POINT_BLOCKED : POINT_RUNNING,
			 a->frame[a->nframes - 1].fn,
			 a->frame[a->nframes - 1].pc);
}

/*
 * States on the open list at @depth or deeper are searched to the end:
 * what was found since they were entered was found below them.
 */
static void close_open(struct irqsim_sprof *p, size_t depth)
{
	while (p->nopen && p->open[p->nopen - 1].depth >= depth) {
		struct open_state *o = &p->open[--p->nopen];
		struct cell *c;

		if (!o->key)
			continue;
		c = table_get(&p->points, o->key);
		if (c)
			c->below += p->distinct - o->at;
		else
			p->oom = true;
	}
}

static void push_open(struct irqsim_sprof *p, size_t depth, uint64_t key)
{
	if (p->nopen == p->opencap) {
		size_t cap = p->opencap ? p->opencap * 2 : 256;
		struct open_state *no = irqsim_realloc(p->open,
						       cap * sizeof(*no));

		if (!no) {
			p->oom = true;
			return;
		}
		p->open = no;
		p->opencap = cap;
	}
	p->open[p->nopen++] = (struct open_state){ depth, key, p->distinct };
}

static void note_branching(struct irqsim_sprof *p, const uint16_t *en, int n,
			   const void *world)
{
	int ix[IRQSIM_MAX_ENABLED];

	p->by_enabled[n < 0 ? 0 : n > IRQSIM_MAX_ENABLED ? IRQSIM_MAX_ENABLED : n]++;
	for (int i = 0; i < n && i < IRQSIM_MAX_ENABLED; i++) {
		ix[i] = source_of(p, en[i], world);
		if (ix[i] < 0)
			continue;
		p->src[ix[i]].enabled++;
		if (n > 1)
			p->src[ix[i]].alongside++;
	}
	for (int i = 0; i < n && i < IRQSIM_MAX_ENABLED; i++) {
		for (int j = i + 1; j < n && j < IRQSIM_MAX_ENABLED; j++) {
			int a = ix[i] < ix[j] ? ix[i] : ix[j];
			int b = ix[i] < ix[j] ? ix[j] : ix[i];
			struct cell *c;

			if (a < 0)
				continue;
			c = table_get(&p->pairs,
				      KEY_USED | (uint64_t)a << 16 | (uint64_t)b);
			if (c)
				c->n++;
			else
				p->oom = true;
		}
	}
}

void irqsim_sprof_visit(const struct irqsim_dfs_visit *v, void *arg)
{
	struct irqsim_sprof *p = arg;
	uint64_t key = 0;
	int s;

	if (!v->fresh) {
		s = source_of(p, v->t, v->from);
		if (s >= 0)
			p->src[s].fired++;
		p->transitions++;
		return;
	}
	close_open(p, v->depth);
	p->distinct++;
	if (!v->from) {
		p->starts++;
	} else {
		s = source_of(p, v->t, v->from);
		if (s >= 0) {
			struct cell *c;

			p->src[s].states++;
			key = point_of(p, s, v->from, v->t, v->to);
			c = table_get(&p->points, key);
			if (c)
				c->n++;
			else
				p->oom = true;
		}
	}
	push_open(p, v->depth, key);
	note_branching(p, v->en, v->n, v->to);
	note_bytes(p, v->to);
	if (v->depth > p->max_depth)
		p->max_depth = v->depth;
	irqsim_dfs_memory(v->dfs, &p->mem);
}

/* ------------------------------------------------------------------ */
/* The report: sorted, counts descending, ties by name                 */

#define CMP_DESC(x, y) ((x) < (y) ? 1 : (x) > (y) ? -1 : 0)

/* A source and its index in the profile's table, for the ranks. */
struct ranked_source {
	struct irqsim_sprof_source s;
	size_t ix;
};

static int source_cmp(const void *l, const void *r)
{
	const struct irqsim_sprof_source *a = &((const struct ranked_source *)l)->s;
	const struct irqsim_sprof_source *b = &((const struct ranked_source *)r)->s;
	int c = CMP_DESC(a->states, b->states);

	if (!c)
		c = CMP_DESC(a->fired, b->fired);
	return c ? c : strcmp(a->name, b->name);
}

static int point_names_cmp(const struct irqsim_sprof_point *a,
			   const struct irqsim_sprof_point *b)
{
	int c = strcmp(a->source->name, b->source->name);

	if (!c)
		c = strcmp(a->where, b->where);
	return c ? c : a->actor - b->actor;
}

static int point_cmp(const void *l, const void *r)
{
	const struct irqsim_sprof_point *a = l, *b = r;
	int c = CMP_DESC(a->states, b->states);

	return c ? c : point_names_cmp(a, b);
}

static int point_below_cmp(const void *l, const void *r)
{
	const struct irqsim_sprof_point *a = *(const struct irqsim_sprof_point *const *)l;
	const struct irqsim_sprof_point *b = *(const struct irqsim_sprof_point *const *)r;
	int c = CMP_DESC(a->below, b->below);

	return c ? c : point_names_cmp(a, b);
}

static int pair_cmp(const void *l, const void *r)
{
	const struct irqsim_sprof_pair *a = l, *b = r;
	int c = CMP_DESC(a->states, b->states);

	if (!c)
		c = strcmp(a->a->name, b->a->name);
	return c ? c : strcmp(a->b->name, b->b->name);
}

static void point_where(const struct cell *c, char *buf, size_t len)
{
	unsigned int fn = (unsigned int)(c->key >> 16 & 0xffff);
	unsigned int pc = (unsigned int)(c->key & 0xffff);

	switch ((enum point_kind)(c->key >> 32 & 3)) {
	case POINT_RUNNING:
	case POINT_BLOCKED:
		/* resume point 0: pushed, not run yet (an interrupt entry) */
		if (pc)
			snprintf(buf, len, "%s:%u", irqsim_fn_name((int)fn), pc);
		else
			snprintf(buf, len, "%s:entry", irqsim_fn_name((int)fn));
		if ((c->key >> 32 & 3) == POINT_BLOCKED)
			snprintf(buf + strlen(buf), len - strlen(buf),
				 " (blocked)");
		break;
	case POINT_IDLE:
		/* fn: the operations of its program, pc: those done */
		if (fn)
			snprintf(buf, len, "(returned: %u of %u operations done)",
				 pc, fn);
		else
			snprintf(buf, len, "(returned: idle)");
		break;
	case POINT_NONE:
		snprintf(buf, len, "(no actor)");
		break;
	}
}

const struct irqsim_sprof_report *irqsim_sprof_report(struct irqsim_sprof *p)
{
	struct irqsim_sprof_report *r = &p->report;
	struct ranked_source *ranked;
	size_t *rank, n = 0;

	if (p->reported)
		return r;
	close_open(p, 0);
	rank = irqsim_calloc(p->nsrc ? p->nsrc : 1, sizeof(*rank));
	ranked = irqsim_calloc(p->nsrc ? p->nsrc : 1, sizeof(*ranked));
	p->rsrc = irqsim_calloc(p->nsrc ? p->nsrc : 1, sizeof(*p->rsrc));
	p->rpoint = irqsim_calloc(p->points.used ? p->points.used : 1,
				  sizeof(*p->rpoint));
	p->rbelow = irqsim_calloc(p->points.used ? p->points.used : 1,
				  sizeof(*p->rbelow));
	p->rpair = irqsim_calloc(p->pairs.used ? p->pairs.used : 1,
				 sizeof(*p->rpair));
	if (!rank || !ranked || !p->rsrc || !p->rpoint || !p->rbelow ||
	    !p->rpair) {
		free(rank);
		free(ranked);
		return NULL;
	}
	/* sources sorted; rank[i]: where source i went */
	for (size_t i = 0; i < p->nsrc; i++)
		ranked[i] = (struct ranked_source){ p->src[i], i };
	qsort(ranked, p->nsrc, sizeof(*ranked), source_cmp);
	for (size_t j = 0; j < p->nsrc; j++) {
		p->rsrc[j] = ranked[j].s;
		rank[ranked[j].ix] = j;
	}
	free(ranked);
	for (size_t i = 0; p->points.c && i <= p->points.mask; i++) {
		const struct cell *c = &p->points.c[i];
		struct irqsim_sprof_point *pt;
		int actor = (int)(c->key >> 34 & 0x1f) - 1;

		if (!c->key)
			continue;
		pt = &p->rpoint[n++];
		pt->source = &p->rsrc[rank[c->key >> 40 & 0xffff]];
		pt->actor = actor;
		point_where(c, pt->where, sizeof(pt->where));
		pt->states = c->n;
		pt->below = c->below;
	}
	qsort(p->rpoint, n, sizeof(*p->rpoint), point_cmp);
	for (size_t i = 0; i < n; i++)
		p->rbelow[i] = &p->rpoint[i];
	qsort(p->rbelow, n, sizeof(*p->rbelow), point_below_cmp);
	r->npoints = n;
	n = 0;
	for (size_t i = 0; p->pairs.c && i <= p->pairs.mask; i++) {
		const struct cell *c = &p->pairs.c[i];
		const struct irqsim_sprof_source *a, *b, *x;

		if (!c->key)
			continue;
		a = &p->rsrc[rank[c->key >> 16 & 0xffff]];
		b = &p->rsrc[rank[c->key & 0xffff]];
		if (strcmp(a->name, b->name) > 0) {
			x = a;
			a = b;
			b = x;
		}
		p->rpair[n++] = (struct irqsim_sprof_pair){ a, b, c->n };
	}
	qsort(p->rpair, n, sizeof(*p->rpair), pair_cmp);
	r->npairs = n;
	free(rank);

	r->distinct = p->distinct;
	r->starts = p->starts;
	r->transitions = p->transitions;
	memcpy(r->by_enabled, p->by_enabled, sizeof(r->by_enabled));
	r->source = p->rsrc;
	r->nsources = p->nsrc;
	r->point = p->rpoint;
	r->point_below = p->rbelow;
	r->pair = p->rpair;
	r->world_bytes = p->ws;
	r->engine_bytes = sizeof(struct sched_world);
	r->hashed_bytes = p->hashed;
	r->varying_bytes = 0;
	for (size_t i = 0; i < p->ws; i++)
		r->varying_bytes += ((const unsigned char *)p->varies)[i] != 0;
	r->mem = p->mem;
	r->max_depth = p->max_depth;
	r->oom = p->oom;
	p->reported = true;
	return r;
}
