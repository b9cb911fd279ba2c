// SPDX-License-Identifier: MIT
/*
 * Dynamic partial-order reduction with sleep sets and a visited set, over
 * footprints the compiler recorded (sched/footprint.h): Flanagan and
 * Godefroid's search ("Dynamic Partial-Order Reduction for Model Checking
 * Software", POPL 2005), with the source sets of Source-DPOR (Abdulla et
 * al., POPL 2014) as backtrack points, made stateful by footprint
 * summaries (Yang et al., SPIN 2008).
 *
 * It explores at least one schedule of every Mazurkiewicz trace (every
 * class of schedules that differ only in the order of independent
 * transitions) up to the step bound, and each state once. Two
 * transitions are dependent when they come from one source (an actor, a
 * CPU's interrupt entry, ...) or when one writes a byte of the world the
 * other reads or writes. A transition's footprint is everything the model
 * code touched to decide that it may run (model->proc_next), to run it
 * (model->fire) and to judge the state after it (model->check_step):
 * the last makes every oracle's input visible, so a violation the
 * oracles see in one order of independent transitions they see in every
 * order. A model may split off a state invariant whose input is a fixed
 * set of bytes (model->check_invariant, model->invariant_bytes): its
 * reads then stay out of every footprint, and the transitions that write
 * those bytes are made dependent on each other instead (the visibility
 * proviso: every order passes through the same sequence of values of the
 * invariant's input). Without the split, one invariant that reads all
 * vector_irq tables made every step depend on every vector_lock
 * acquisition: ten times the schedules on seed000-host-driver. Each time
 * the invariant runs, its reads are checked against the bytes named.
 * Fields the model's canonical() clears (history: counters and step
 * stamps nothing branches on) and the step counter are not
 * dependencies, as in the state fingerprints.
 *
 * Why this finds what the unreduced search finds: independent transitions
 * commute (same bytes read, so same decisions, disjoint bytes written, so
 * the same world after both orders), so every schedule is equivalent to
 * one this search runs, which reaches the same end state and passes the
 * same oracle checks. Each race (an event and a later move dependent
 * with it, with nothing ordered between them) is reversed at the state
 * before the event, by a source that can start the reordered schedule;
 * a source whose next transition is disabled contributes the footprint
 * of its enabledness test, so a transition that disables or enables it
 * races with it too. A state met again is not explored again: the moves
 * recorded below it, as a summary per source, are checked for races with
 * the new path instead (revisit()).
 *
 * Checked: explore/dpor-end-states runs this search and the unreduced
 * one on seven scenarios and compares the distinct end states they
 * reach; bench/dpor-check does the same for every trace (all 66 trace and
 * profile pairs whose unreduced search completes agree). Two bugs that
 * comparison found are explained where they were fixed
 * (add_backtracks()); removing the summary check in revisit() fails it
 * too.
 */
#include "sched/explore.h"
#include "sched/footprint.h"
#include "sched/alloc.h"

#include <stdlib.h>
#include <string.h>

#define ENOMEM_RET (-12)
#define DPOR_MAX_PROCS 64

struct level {
	void *world;
	struct irqsim_fpset *next;	/* [nprocs]: footprint of each next move */
	struct irqsim_fpset *sum;	/* [nprocs]: ... of each state below */
	uint16_t *code;			/* [nprocs] */
	uint32_t *vc;			/* [nprocs]: clock of the event taken */
	uint64_t enabled, backtrack, done, sleep;
	uint32_t rec;			/* its record in the visited set */
	int proc;			/* source of the event taken here */
	bool partial;			/* what lies below was cut short */
};

/*
 * The visited set. A state is open while it is on the search stack, done
 * once everything below it was explored (with a summary of the footprints
 * met there), partial when that exploration was cut (a cycle back into
 * the stack, the step bound): a partial state is explored again when met.
 */
enum { V_OPEN = 1, V_DONE, V_PARTIAL };

struct vrec {
	uint64_t a, b;
	uint64_t sleep;		/* asleep when it was explored */
	uint32_t sum;		/* summary id (done) */
	uint32_t depth;		/* its level (open) */
	uint8_t status;
};

struct visited {
	struct vrec *r;
	uint32_t n, cap;
	uint32_t *slot;		/* hash index: record + 1, 0 = empty */
	size_t mask;
};

/*
 * Interned summaries: for every source, the union of the footprints of
 * its next moves over all states explored below a state. Many states
 * share one (everything below a late state looks alike).
 */
struct sumstore {
	struct irqsim_fpset **s;	/* [n]: nprocs sets each */
	uint64_t *h;
	uint32_t n, cap;
	uint32_t *slot;
	size_t mask;
};

struct dpor {
	const struct irqsim_model *model;
	const struct irqsim_rt *rt;
	const struct irqsim_dpor_opts *opts;
	struct irqsim_dpor_stats *st;
	struct irqsim_fp_space sp;
	int nprocs;
	struct level **lv;
	size_t nlv, cap;
	void *scratch, *fpscratch;
	struct irqsim_fpset inv;	/* the invariant's reads, checked */
	bool stray;
	struct visited vis;
	struct sumstore sums;
	uint32_t *vcn;		/* [nprocs]: scratch clock */
	size_t *vbuf;		/* [cap]: scratch sequence */
	bool *dep;		/* [cap]: see clock_move() */
	uint32_t *firstv;	/* [nprocs]: see initials() */
};

static uint64_t mix64(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

/* Find or add the record of fingerprint @fp; *@added says which. */
static int visit(struct dpor *d, const struct irqsim_fp *fp, uint32_t *idx,
		 bool *added)
{
	struct visited *v = &d->vis;
	size_t i;

	if ((size_t)(v->n + 1) * 2 > v->mask + 1) {
		size_t cap = v->mask ? (v->mask + 1) * 2 : 4096;
		uint32_t *ns = irqsim_calloc(cap, sizeof(*ns));

		if (!ns)
			return ENOMEM_RET;
		for (uint32_t k = 0; k < v->n; k++) {
			for (i = v->r[k].a & (cap - 1); ns[i];
			     i = (i + 1) & (cap - 1))
				;
			ns[i] = k + 1;
		}
		free(v->slot);
		d->st->peak_bytes += (cap - (v->mask ? v->mask + 1 : 0)) *
				     sizeof(*ns);
		v->slot = ns;
		v->mask = cap - 1;
	}
	for (i = fp->a & v->mask; v->slot[i]; i = (i + 1) & v->mask) {
		const struct vrec *r = &v->r[v->slot[i] - 1];

		if (r->a == fp->a && r->b == fp->b) {
			*idx = v->slot[i] - 1;
			*added = false;
			return 0;
		}
	}
	if (v->n == v->cap) {
		uint32_t cap = v->cap ? v->cap * 2 : 4096;
		struct vrec *nr = irqsim_realloc(v->r, cap * sizeof(*nr));

		if (!nr)
			return ENOMEM_RET;
		d->st->peak_bytes += (cap - v->cap) * sizeof(*nr);
		v->r = nr;
		v->cap = cap;
	}
	memset(&v->r[v->n], 0, sizeof(v->r[v->n]));
	v->r[v->n].a = fp->a;
	v->r[v->n].b = fp->b;
	v->slot[i] = v->n + 1;
	*idx = v->n++;
	*added = true;
	return 0;
}

static uint64_t sum_hash(const struct dpor *d, const struct irqsim_fpset *s)
{
	uint64_t h = 0;

	for (int p = 0; p < d->nprocs; p++) {
		h = mix64(h, (uint64_t)s[p].n << 2 | (uint64_t)s[p].all << 1 |
				     s[p].vis);
		for (uint32_t i = 0; i < s[p].n; i++)
			h = mix64(mix64(mix64(h, s[p].e[i].idx), s[p].e[i].r),
				  s[p].e[i].w);
	}
	return h;
}

/* The id of the summary equal to @s (nprocs sets), added if new. */
static int intern(struct dpor *d, const struct irqsim_fpset *s, uint32_t *id)
{
	struct sumstore *ss = &d->sums;
	uint64_t h = sum_hash(d, s);
	struct irqsim_fpset *copy;
	struct irqsim_fp_word *words;
	size_t i, nw = 0;

	if ((size_t)(ss->n + 1) * 2 > ss->mask + 1) {
		size_t cap = ss->mask ? (ss->mask + 1) * 2 : 1024;
		uint32_t *ns = irqsim_calloc(cap, sizeof(*ns));

		if (!ns)
			return ENOMEM_RET;
		for (uint32_t k = 0; k < ss->n; k++) {
			for (i = ss->h[k] & (cap - 1); ns[i];
			     i = (i + 1) & (cap - 1))
				;
			ns[i] = k + 1;
		}
		free(ss->slot);
		ss->slot = ns;
		ss->mask = cap - 1;
	}
	for (i = h & ss->mask; ss->slot[i]; i = (i + 1) & ss->mask) {
		uint32_t k = ss->slot[i] - 1;
		int p;

		if (ss->h[k] != h)
			continue;
		for (p = 0; p < d->nprocs; p++)
			if (!irqsim_fpset_equal(&ss->s[k][p], &s[p]))
				break;
		if (p == d->nprocs) {
			*id = k;
			return 0;
		}
	}
	if (ss->n == ss->cap) {
		uint32_t cap = ss->cap ? ss->cap * 2 : 1024;
		struct irqsim_fpset **n2 = irqsim_realloc(ss->s, cap * sizeof(*n2));
		uint64_t *h2;

		if (!n2)
			return ENOMEM_RET;
		ss->s = n2;
		h2 = irqsim_realloc(ss->h, cap * sizeof(*h2));
		if (!h2)
			return ENOMEM_RET;
		ss->h = h2;
		ss->cap = cap;
	}
	for (int p = 0; p < d->nprocs; p++)
		nw += s[p].n;
	copy = irqsim_malloc((size_t)d->nprocs * sizeof(*copy) +
			     nw * sizeof(*words));
	if (!copy)
		return ENOMEM_RET;
	d->st->peak_bytes += (size_t)d->nprocs * sizeof(*copy) +
			     nw * sizeof(*words);
	words = (struct irqsim_fp_word *)(copy + d->nprocs);
	for (int p = 0; p < d->nprocs; p++) {
		copy[p] = s[p];
		copy[p].e = words;
		copy[p].cap = s[p].n;
		memcpy(words, s[p].e, s[p].n * sizeof(*words));
		words += s[p].n;
	}
	ss->s[ss->n] = copy;
	ss->h[ss->n] = h;
	ss->slot[i] = ss->n + 1;
	*id = ss->n++;
	d->st->summaries = ss->n;
	return 0;
}

static void level_free(const struct dpor *d, struct level *l)
{
	if (!l)
		return;
	for (int p = 0; l->next && p < d->nprocs; p++)
		irqsim_fpset_free(&l->next[p]);
	for (int p = 0; l->sum && p < d->nprocs; p++)
		irqsim_fpset_free(&l->sum[p]);
	free(l->next);
	free(l->sum);
	free(l->code);
	free(l->vc);
	free(l->world);
	free(l);
}

static struct level *level_at(struct dpor *d, size_t depth)
{
	struct level *l;

	if (depth < d->nlv)
		return d->lv[depth];
	if (depth >= d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct level **nl = irqsim_realloc(d->lv, cap * sizeof(*nl));
		size_t *nv;
		bool *nd;

		if (!nl)
			return NULL;
		d->lv = nl;
		nv = irqsim_realloc(d->vbuf, cap * sizeof(*nv));
		if (!nv)
			return NULL;
		d->vbuf = nv;
		nd = irqsim_realloc(d->dep, cap * sizeof(*nd));
		if (!nd)
			return NULL;
		d->dep = nd;
		d->cap = cap;
	}
	l = irqsim_calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->world = irqsim_malloc(d->model->world_size);
	l->next = irqsim_calloc((size_t)d->nprocs, sizeof(*l->next));
	l->sum = irqsim_calloc((size_t)d->nprocs, sizeof(*l->sum));
	l->code = irqsim_calloc((size_t)d->nprocs, sizeof(*l->code));
	l->vc = irqsim_calloc((size_t)d->nprocs, sizeof(*l->vc));
	if (!l->world || !l->next || !l->sum || !l->code || !l->vc)
		goto fail;
	for (int p = 0; p < d->nprocs; p++)
		if (irqsim_fpset_init(&d->sp, &l->next[p]) ||
		    irqsim_fpset_init(&d->sp, &l->sum[p]))
			goto fail;
	d->lv[d->nlv++] = l;
	d->st->peak_bytes += sizeof(*l) + d->model->world_size +
			     (size_t)d->nprocs * (32 * sizeof(struct irqsim_fp_word) + 8);
	return l;
fail:
	level_free(d, l);
	return NULL;
}

/*
 * Everything source @p's next move touches at @l's state: its enabledness
 * test and, when enabled, the transition and the oracles' look after it
 * (run on a scratch copy).
 */
static void probe(struct dpor *d, struct level *l, int p)
{
	struct irqsim_fpset *fs = &l->next[p];
	struct irqsim_verdict v;
	bool en;

	irqsim_fpset_clear(&d->sp, fs);
	irqsim_fp_begin(&d->sp, fs, l->world);
	en = d->model->proc_next(l->world, d->rt, p, &l->code[p]);
	irqsim_fp_end();
	if (!en)
		return;
	l->enabled |= 1ULL << p;
	memcpy(d->scratch, l->world, d->model->world_size);
	irqsim_fp_begin(&d->sp, fs, d->scratch);
	irqsim_fire(d->model, d->rt, d->scratch, l->code[p]);
	if (d->model->check_local) {
		d->model->check_local(d->scratch, d->rt, &v);
		irqsim_fp_end();
		irqsim_fpset_clear(&d->sp, &d->inv);
		irqsim_fp_begin(&d->sp, &d->inv, d->scratch);
		d->model->check_invariant(d->scratch, d->rt, &v);
		irqsim_fp_end();
		if (!irqsim_fp_reads_visible_only(&d->sp, &d->inv,
						  &d->st->stray_read))
			d->stray = true;
	} else {
		d->model->check_step(d->scratch, d->rt, &v);
		irqsim_fp_end();
	}
	d->st->probes++;
	d->st->visible += fs->vis;
}

/*
 * The vector clock the move of source @p with footprint @fs would have
 * if it were taken at level @n: the events it depends on (same source,
 * or conflicting footprints: a move depends on what enabled it, since
 * its footprint holds its enabledness test) and what happened before
 * them. d->dep[i]: event i is of source @p or conflicts with the move,
 * and was not already ordered before it by a later one.
 */
static void clock_move(struct dpor *d, size_t n, int p,
		       const struct irqsim_fpset *fs, uint32_t *vc)
{
	memset(vc, 0, (size_t)d->nprocs * sizeof(*vc));
	for (size_t i = n; i-- > 0;) {
		const struct level *li = d->lv[i];

		d->dep[i] = false;
		if (vc[li->proc] > i)
			continue;	/* already ordered before */
		if ((d->dep[i] = li->proc == p ||
				 irqsim_fp_conflict(&d->sp,
						    &li->next[li->proc], fs)))
			for (int q = 0; q < d->nprocs; q++)
				if (li->vc[q] > vc[q])
					vc[q] = li->vc[q];
	}
}

/*
 * The sources that can start v at level @i: v is the sequence of events
 * after @i that do not happen after it, then the move with clock @vc of
 * source @p; a source is an initial when its first event in v has no
 * earlier event of v before it (Abdulla, Aronis, Jonsson and Sagonas,
 * "Optimal Dynamic Partial Order Reduction", POPL 2014: I(v)). An event
 * of v follows some earlier one of source r exactly when it follows r's
 * first one in v, so only first events are compared.
 */
static uint64_t initials(struct dpor *d, size_t i, size_t n, int p,
			 const uint32_t *vc)
{
	uint32_t *first = d->firstv;	/* [source]: its first event in v + 1 */
	uint64_t seen = 0, init = 0;
	int pi = d->lv[i]->proc;

	for (size_t j = i + 1; j < n; j++) {
		const struct level *lj = d->lv[j];
		uint64_t r;
		bool head = true;

		if (lj->vc[pi] > i || (seen >> lj->proc & 1))
			continue;	/* after i, or not its source's first */
		for (r = seen; r && head; r &= r - 1) {
			int q = __builtin_ctzll(r);

			head = lj->vc[q] < first[q];
		}
		if (head)
			init |= 1ULL << lj->proc;
		seen |= 1ULL << lj->proc;
		first[lj->proc] = (uint32_t)j + 1;
	}
	if (!(seen >> p & 1)) {
		bool head = true;

		for (uint64_t r = seen; r && head; r &= r - 1) {
			int q = __builtin_ctzll(r);

			head = vc[q] < first[q];
		}
		if (head)
			init |= 1ULL << p;
	}
	return init;
}

/*
 * The race check at the state @n levels deep, for each source p whose
 * next move has the footprint @next[p] (or, at a revisited state, the
 * union of p's moves below it): every event i dependent with that move,
 * of another source, with no event between them ordered after i and
 * before the move, is a race. The state before i must then start some
 * schedule that runs the move before i: one of the initials of what
 * follows i without depending on it, then the move (source sets, as in
 * Source-DPOR). FG-DPOR's rule, p itself whenever it is enabled before
 * i, loses schedules together with sleep sets: when p's first move after
 * i depends on other events after i (a guest's mask write after its
 * interrupt handler), p asleep there stands for schedules that are not
 * the ones needed, and nothing else is added (seed000-vfio-loss with
 * tglx-reinject reached 27 of its 29 end states).
 */
static void add_backtracks(struct dpor *d, size_t n,
			   const struct irqsim_fpset *next)
{
	uint32_t *vc = d->vcn;
	size_t *front = d->vbuf, nf;	/* direct predecessors of the move */

	for (int p = 0; p < d->nprocs; p++) {
		const struct irqsim_fpset *fs = &next[p];

		if (!fs->n && !fs->all && !fs->vis)
			continue;
		clock_move(d, n, p, fs, vc);
		nf = 0;
		for (size_t i = n; i-- > 0;) {
			struct level *pre = d->lv[i];
			int pi = pre->proc;
			uint64_t init, awake;
			bool direct = true;

			if (!d->dep[i])
				continue;
			/* ordered before the move through a later direct one? */
			for (size_t f = 0; f < nf && direct; f++)
				direct = d->lv[front[f]]->vc[pi] <= i;
			if (!direct)
				continue;
			front[nf++] = i;
			if (pi == p)
				continue;
			d->st->races++;
			init = initials(d, i, n, p, vc) & pre->enabled;
			if (!init) {
				pre->backtrack |= pre->enabled;
				continue;
			}
			if (init & (pre->backtrack | pre->done))
				continue;
			awake = init & ~pre->sleep;
			pre->backtrack |= awake ? awake & -awake : init & -init;
		}
	}
}

/* The vector clock of the event taken at level @n. */
static void clock_event(struct dpor *d, size_t n)
{
	struct level *l = d->lv[n];
	const struct irqsim_fpset *fs = &l->next[l->proc];

	memset(l->vc, 0, (size_t)d->nprocs * sizeof(*l->vc));
	for (size_t i = n; i-- > 0;) {
		const struct level *li = d->lv[i];

		if (l->vc[li->proc] > i)
			continue;	/* already ordered before */
		if (li->proc == l->proc ||
		    irqsim_fp_conflict(&d->sp, &li->next[li->proc], fs))
			for (int q = 0; q < d->nprocs; q++)
				if (li->vc[q] > l->vc[q])
					l->vc[q] = li->vc[q];
	}
	l->vc[l->proc] = (uint32_t)n + 1;
}

static int record_path(struct dpor *d, size_t n, struct irqsim_schedule *sc)
{
	sc->n = 0;
	for (size_t i = 0; i < n; i++)
		if (irqsim_schedule_push(sc, d->lv[i]->code[d->lv[i]->proc]))
			return ENOMEM_RET;
	return 0;
}

static bool wanted(const struct dpor *d, const struct irqsim_verdict *v)
{
	return !d->opts->want_kind || v->kind == d->opts->want_kind;
}

static void add_visible(void *arg, size_t off, size_t len)
{
	irqsim_fp_mark_visible(arg, off, len);
}

/*
 * The bytes canonical() clears, and the step counter: never dependencies.
 * The bytes the model's invariant reads: visible.
 */
static int build_ignore(struct dpor *d, const void *init)
{
	struct irqsim_fpset fs;

	if (d->model->check_local && d->model->check_invariant &&
	    d->model->invariant_bytes)
		d->model->invariant_bytes(d->rt, add_visible, &d->sp);
	else if (d->model->check_local || d->model->check_invariant)
		return -22;	/* -EINVAL: half a split */

	irqsim_fp_ignore_range(&d->sp, offsetof(struct sched_world, step),
			       sizeof(((struct sched_world *)0)->step));
	if (!d->model->canonical)
		return 0;
	if (irqsim_fpset_init(&d->sp, &fs))
		return ENOMEM_RET;
	memcpy(d->scratch, init, d->model->world_size);
	irqsim_fp_begin(&d->sp, &fs, d->scratch);
	d->model->canonical(d->scratch);
	irqsim_fp_end();
	irqsim_fp_ignore_writes(&d->sp, &fs);
	irqsim_fpset_free(&fs);
	return 0;
}

/* Enter the state at level @n (its world in place): probe every source. */
static void enter(struct dpor *d, size_t n, uint64_t sleep)
{
	struct level *l = d->lv[n];

	l->enabled = l->backtrack = l->done = 0;
	l->sleep = sleep;
	l->proc = -1;
	l->partial = false;
	for (int p = 0; p < d->nprocs; p++)
		probe(d, l, p);
	d->st->states++;
	if (n > d->st->max_depth)
		d->st->max_depth = (uint32_t)n;
}

/*
 * Start the summary of the state at level @n: its own next moves, and
 * what an earlier exploration of it found (@old, or NULL).
 */
static void start_summary(struct dpor *d, size_t n,
			  const struct irqsim_fpset *old)
{
	struct level *l = d->lv[n];

	for (int p = 0; p < d->nprocs; p++) {
		irqsim_fpset_copy(&d->sp, &l->sum[p], &l->next[p]);
		if (old)
			irqsim_fpset_add(&d->sp, &l->sum[p], &old[p]);
	}
}

/*
 * Everything below the state at level @n is explored: record its summary
 * (or that it was cut short) and add it to its parent's.
 */
static int finish(struct dpor *d, size_t n)
{
	struct level *l = d->lv[n];
	struct vrec *r = &d->vis.r[l->rec];

	if (l->partial) {
		r->status = V_PARTIAL;
	} else {
		uint32_t id;

		if (intern(d, l->sum, &id))
			return ENOMEM_RET;
		r->status = V_DONE;
		r->sum = id;
	}
	if (n > 0)
		for (int p = 0; p < d->nprocs; p++)
			irqsim_fpset_add(&d->sp, &d->lv[n - 1]->sum[p],
					 &l->sum[p]);
	return 0;
}

/*
 * The state after the move at level @n was seen before. Done, and
 * explored with no more asleep than now: its subtree is not explored
 * again, but the races between the stack and every move its summary
 * holds are (Yang, Chen, Gopalakrishnan and Kirby, "Efficient Stateful
 * Dynamic Partial Order Reduction", SPIN 2008), as if each were the next
 * move of its source. Open: a cycle back into the stack; every state on
 * it is expanded in full and left without a summary. Returns true when
 * the state must be explored (again).
 */
static bool revisit(struct dpor *d, size_t n, uint32_t rec, uint64_t sleep)
{
	struct vrec *r = &d->vis.r[rec];

	if (r->status == V_OPEN) {
		for (size_t j = r->depth; j <= n; j++) {
			d->lv[j]->backtrack |= d->lv[j]->enabled;
			if (j > r->depth)
				d->lv[j]->partial = true;
		}
		d->st->cycles++;
		return false;
	}
	if (r->status == V_DONE && !(r->sleep & ~sleep)) {
		const struct irqsim_fpset *s = d->sums.s[r->sum];

		add_backtracks(d, n + 1, s);
		for (int p = 0; p < d->nprocs; p++)
			irqsim_fpset_add(&d->sp, &d->lv[n]->sum[p], &s[p]);
		d->st->revisits++;
		return false;
	}
	return true;
}

/* Cut at the step bound: nothing above has a complete subtree. */
static void cut(struct dpor *d, size_t n)
{
	for (size_t j = 0; j <= n; j++)
		d->lv[j]->partial = true;
	d->st->complete = false;
}

/*
 * The state at level @n, entered and probed (@fresh: for the first time):
 * count it if it is an end state, judge it, and pick its first move.
 * Returns 1 on a violation.
 */
static int arrive(struct dpor *d, size_t n, bool fresh,
		  struct irqsim_verdict *violation, struct irqsim_schedule *sc)
{
	struct level *c = d->lv[n];
	uint64_t awake = c->enabled & ~c->sleep;

	add_backtracks(d, n, c->next);
	if (!c->enabled) {
		d->st->executions++;
		d->st->end_states += fresh;
		if (d->model->check_end(c->world, d->rt, false, violation) &&
		    wanted(d, violation))
			return record_path(d, n, sc) ? ENOMEM_RET : 1;
		memset(violation, 0, sizeof(*violation));
	}
	/* FG: start with one enabled source not asleep */
	if (awake)
		c->backtrack |= awake & -awake;
	return 0;
}

/* Enter the state in level @n's world as a new visit of record @rec. */
static int explore_state(struct dpor *d, size_t n, uint32_t rec,
			 uint64_t sleep, struct irqsim_verdict *violation,
			 struct irqsim_schedule *sc)
{
	struct vrec *r = &d->vis.r[rec];
	const struct irqsim_fpset *old =
		r->status == V_DONE ? d->sums.s[r->sum] : NULL;
	bool fresh = !r->status;

	r->sleep = r->status == V_DONE ? r->sleep & sleep : sleep;
	r->status = V_OPEN;
	r->depth = (uint32_t)n;
	d->lv[n]->rec = rec;
	enter(d, n, sleep);
	if (d->stray)
		return -71;	/* -EPROTO */
	start_summary(d, n, old);
	return arrive(d, n, fresh, violation, sc);
}

int irqsim_dpor(const struct irqsim_model *model, const struct irqsim_rt *rt,
		const void *init, const struct irqsim_dpor_opts *opts,
		struct irqsim_dpor_stats *st, struct irqsim_verdict *violation,
		struct irqsim_schedule *sc)
{
	struct dpor d = { .model = model, .rt = rt, .opts = opts, .st = st };
	double t0 = irqsim_now_seconds();
	struct irqsim_fp fp;
	uint32_t rec;
	bool added;
	size_t n = 0;
	int ret = 0;
	uint32_t want = model->windows ? rt->windows : 0;

	memset(st, 0, sizeof(*st));
	memset(violation, 0, sizeof(*violation));
	st->complete = true;
	if (!irqsim_fp_available() || !model->nprocs || !model->proc_next)
		return -95;	/* -EOPNOTSUPP */
	d.nprocs = model->nprocs(rt);
	if (d.nprocs > DPOR_MAX_PROCS)
		return -7;	/* -E2BIG */
	if (irqsim_fp_space_init(&d.sp, model->world_size))
		return ENOMEM_RET;
	(void)irqsim_fp_out_of_memory();	/* from an earlier search */
	d.scratch = irqsim_malloc(model->world_size);
	d.fpscratch = irqsim_malloc(model->world_size);
	d.vcn = irqsim_calloc((size_t)d.nprocs, sizeof(*d.vcn));
	d.firstv = irqsim_calloc((size_t)d.nprocs, sizeof(*d.firstv));
	if (!d.scratch || !d.fpscratch || !d.vcn || !d.firstv || irqsim_fpset_init(&d.sp, &d.inv) ||
	    !level_at(&d, 0)) {
		ret = ENOMEM_RET;
		goto out;
	}
	if ((ret = build_ignore(&d, init)))
		goto out;
	memcpy(d.lv[0]->world, init, model->world_size);
	st->windows = irqsim_windows(model, rt, init, &want);
	irqsim_fingerprint(model, init, d.fpscratch, &fp);
	if ((ret = visit(&d, &fp, &rec, &added)) ||
	    (ret = explore_state(&d, 0, rec, 0, violation, sc)))
		goto out;
	for (;;) {
		struct level *l = d.lv[n], *c;
		uint64_t todo = l->backtrack & ~l->done & ~l->sleep;
		uint64_t child_sleep = 0, cand;
		int p;

		if (irqsim_fp_out_of_memory()) {
			ret = ENOMEM_RET;
			break;
		}

		if (!todo) {
			if ((ret = finish(&d, n)) || n == 0)
				break;
			n--;
			continue;
		}
		p = __builtin_ctzll(todo);
		/* asleep after p: earlier siblings and sleepers p commutes with */
		cand = (l->sleep | l->done) & l->enabled & ~(1ULL << p);
		while (cand) {
			int q = __builtin_ctzll(cand);

			cand &= cand - 1;
			if (!irqsim_fp_conflict(&d.sp, &l->next[q], &l->next[p]))
				child_sleep |= 1ULL << q;
		}
		l->done |= 1ULL << p;
		l->proc = p;
		clock_event(&d, n);
		if (!(c = level_at(&d, n + 1))) {
			ret = ENOMEM_RET;
			goto out;
		}
		l = d.lv[n];
		memcpy(c->world, l->world, model->world_size);
		irqsim_fire(model, rt, c->world, l->code[p]);
		st->transitions++;
		st->windows |= irqsim_windows(model, rt, c->world, &want);
		if (model->check_step(c->world, rt, violation) &&
		    wanted(&d, violation)) {
			ret = record_path(&d, n + 1, sc);
			break;
		}
		memset(violation, 0, sizeof(*violation));
		if (n + 1 >= opts->bound) {
			uint16_t en[IRQSIM_MAX_ENABLED];

			if (model->enabled(c->world, rt, en)) {
				cut(&d, n);
				continue;
			}
		}
		irqsim_fingerprint(model, c->world, d.fpscratch, &fp);
		if ((ret = visit(&d, &fp, &rec, &added)))
			break;
		if (!added && !revisit(&d, n, rec, child_sleep))
			continue;
		ret = explore_state(&d, n + 1, rec, child_sleep, violation, sc);
		if (ret == 1) {
			ret = 0;
			break;
		}
		if (ret)
			break;
		n++;
		if (opts->max_states && st->states >= opts->max_states) {
			st->complete = false;
			break;
		}
		if (opts->max_bytes && st->peak_bytes > opts->max_bytes) {
			st->complete = false;
			st->budget = true;
			break;
		}
		if (opts->stop && *opts->stop) {
			st->complete = false;
			st->stopped = true;
			break;
		}
		if (opts->progress && (st->states & 0xfff) == 0) {
			st->seconds = irqsim_now_seconds() - t0;
			opts->progress(st, opts->progress_arg);
		}
	}
	if (!ret && irqsim_fp_out_of_memory())
		ret = ENOMEM_RET;
out:
	if (ret == 1)
		ret = 0;
	if (violation->kind)
		st->complete = false;
	st->seconds = irqsim_now_seconds() - t0;
	st->distinct = d.vis.n;
	for (size_t i = 0; i < d.nlv; i++)
		level_free(&d, d.lv[i]);
	free(d.lv);
	free(d.vbuf);
	free(d.dep);
	free(d.vcn);
	free(d.firstv);
	free(d.scratch);
	free(d.fpscratch);
	free(d.vis.r);
	free(d.vis.slot);
	for (uint32_t k = 0; k < d.sums.n; k++)
		free(d.sums.s[k]);
	free(d.sums.s);
	free(d.sums.h);
	free(d.sums.slot);
	irqsim_fpset_free(&d.inv);
	irqsim_fp_space_free(&d.sp);
	return ret;
}
