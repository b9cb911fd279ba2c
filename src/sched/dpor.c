// SPDX-License-Identifier: MIT
/*
 * Dynamic partial-order reduction (Flanagan and Godefroid, "Dynamic
 * Partial-Order Reduction for Model Checking Software", POPL 2005), with
 * sleep sets, over footprints the compiler recorded (sched/footprint.h).
 *
 * The search is stateless: it explores at least one schedule of every
 * Mazurkiewicz trace (every class of schedules that differ only in the
 * order of independent transitions) up to the step bound. Two
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
 * same oracle checks. Reversing each race (the last dependent transition
 * before one that does not happen after it) at the state before it is
 * what FG-DPOR does to cover every class; a source whose next transition
 * is disabled contributes the footprint of its enabledness test, so a
 * transition that disables or enables it races with it too.
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
	uint16_t *code;			/* [nprocs] */
	uint32_t *vc;			/* [nprocs]: clock of the event taken */
	uint64_t enabled, backtrack, done, sleep;
	int proc;			/* source of the event taken here */
};

/* Fingerprints of the end states reached (open addressing, 0 = empty). */
struct fpset {
	struct irqsim_fp *e;
	size_t mask, n;
};

static int fpset_add(struct fpset *s, const struct irqsim_fp *fp)
{
	size_t i;

	if ((s->n + 1) * 2 > s->mask + 1) {
		size_t cap = s->mask ? (s->mask + 1) * 2 : 1024;
		struct irqsim_fp *ne = irqsim_calloc(cap, sizeof(*ne));

		if (!ne)
			return ENOMEM_RET;
		for (size_t j = 0; s->mask && j <= s->mask; j++) {
			if (!s->e[j].a && !s->e[j].b)
				continue;
			for (i = s->e[j].a & (cap - 1); ne[i].a || ne[i].b;
			     i = (i + 1) & (cap - 1))
				;
			ne[i] = s->e[j];
		}
		free(s->e);
		s->e = ne;
		s->mask = cap - 1;
	}
	for (i = fp->a & s->mask; s->e[i].a || s->e[i].b; i = (i + 1) & s->mask)
		if (s->e[i].a == fp->a && s->e[i].b == fp->b)
			return 0;
	s->e[i] = *fp;
	s->n++;
	return 0;
}

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
	struct fpset ends;
	struct irqsim_fpset inv;	/* the invariant's reads, checked */
	bool stray;
};

/* Count a distinct end state. */
static int note_end(struct dpor *d, const void *w)
{
	struct irqsim_fp fp;

	irqsim_fingerprint(d->model, w, d->fpscratch, &fp);
	if (!fp.a && !fp.b)
		fp.a = 1;
	if (fpset_add(&d->ends, &fp))
		return ENOMEM_RET;
	d->st->end_states = d->ends.n;
	return 0;
}

static void level_free(const struct dpor *d, struct level *l)
{
	if (!l)
		return;
	for (int p = 0; l->next && p < d->nprocs; p++)
		irqsim_fpset_free(&l->next[p]);
	free(l->next);
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

		if (!nl)
			return NULL;
		d->lv = nl;
		d->cap = cap;
	}
	l = irqsim_calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->world = irqsim_malloc(d->model->world_size);
	l->next = irqsim_calloc((size_t)d->nprocs, sizeof(*l->next));
	l->code = irqsim_calloc((size_t)d->nprocs, sizeof(*l->code));
	l->vc = irqsim_calloc((size_t)d->nprocs, sizeof(*l->vc));
	if (!l->world || !l->next || !l->code || !l->vc)
		goto fail;
	for (int p = 0; p < d->nprocs; p++)
		if (irqsim_fpset_init(&d->sp, &l->next[p]))
			goto fail;
	d->lv[d->nlv++] = l;
	d->st->peak_bytes += sizeof(*l) + d->model->world_size +
			     (size_t)d->nprocs * (16 * sizeof(struct irqsim_fp_word) + 8);
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

/* Does event @i happen before a move of source @p (FG's i ->_S p)? */
static bool hb_proc(struct dpor *d, size_t i, size_t n, int p)
{
	int pi = d->lv[i]->proc;

	if (pi == p)
		return true;
	for (size_t k = n; k-- > i + 1;)
		if (d->lv[k]->proc == p)
			return d->lv[k]->vc[pi] > i;
	return false;
}

/*
 * FG-DPOR's race check at the state @n levels deep: for each source p,
 * the last event dependent with p's next move that does not happen before
 * p gets a backtrack point that lets p (or what leads to it) go first.
 */
static void add_backtracks(struct dpor *d, size_t n)
{
	struct level *cur = d->lv[n];

	for (int p = 0; p < d->nprocs; p++) {
		const struct irqsim_fpset *fs = &cur->next[p];
		struct level *pre;
		uint64_t e = 0;
		size_t i;

		if (!fs->n && !fs->all && !fs->vis)
			continue;
		for (i = n; i-- > 0;) {
			const struct level *li = d->lv[i];

			if (li->proc == p)
				continue;
			if (!irqsim_fp_conflict(&d->sp,
						&li->next[li->proc], fs))
				continue;
			if (!hb_proc(d, i, n, p))
				break;
		}
		if (i == (size_t)-1)
			continue;
		pre = d->lv[i];
		if (pre->enabled >> p & 1)
			e |= 1ULL << p;
		for (size_t j = i + 1; j < n; j++) {
			int q = d->lv[j]->proc;

			if ((pre->enabled >> q & 1) && hb_proc(d, j, n, p))
				e |= 1ULL << q;
		}
		d->st->races++;
		if (e) {
			if (!(e & (pre->backtrack | pre->done)))
				pre->backtrack |= e & -e;
		} else {
			pre->backtrack |= pre->enabled;
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
	for (int p = 0; p < d->nprocs; p++)
		probe(d, l, p);
	d->st->states++;
	if (n > d->st->max_depth)
		d->st->max_depth = (uint32_t)n;
}

int irqsim_dpor(const struct irqsim_model *model, const struct irqsim_rt *rt,
		const void *init, const struct irqsim_dpor_opts *opts,
		struct irqsim_dpor_stats *st, struct irqsim_verdict *violation,
		struct irqsim_schedule *sc)
{
	struct dpor d = { .model = model, .rt = rt, .opts = opts, .st = st };
	double t0 = irqsim_now_seconds();
	size_t n = 0;
	int ret = 0;

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
	d.scratch = irqsim_malloc(model->world_size);
	d.fpscratch = irqsim_malloc(model->world_size);
	if (!d.scratch || !d.fpscratch || irqsim_fpset_init(&d.sp, &d.inv) ||
	    !level_at(&d, 0)) {
		ret = ENOMEM_RET;
		goto out;
	}
	if ((ret = build_ignore(&d, init)))
		goto out;
	memcpy(d.lv[0]->world, init, model->world_size);
	enter(&d, 0, 0);
	if (d.stray) {
		ret = -71;	/* -EPROTO */
		goto out;
	}
	add_backtracks(&d, 0);
	if (d.lv[0]->enabled)
		d.lv[0]->backtrack |= d.lv[0]->enabled & -d.lv[0]->enabled;
	else if (note_end(&d, init))
		ret = ENOMEM_RET;
	else if (model->check_end(init, rt, false, violation) &&
		 wanted(&d, violation))
		goto out;
	else
		memset(violation, 0, sizeof(*violation));
	for (;;) {
		struct level *l = d.lv[n], *c;
		uint64_t todo = l->backtrack & ~l->done & ~l->sleep;
		uint64_t child_sleep = 0, cand;
		int p;

		if (!todo) {
			if (n == 0)
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
		if (model->check_step(c->world, rt, violation) &&
		    wanted(&d, violation)) {
			ret = record_path(&d, n + 1, sc);
			break;
		}
		memset(violation, 0, sizeof(*violation));
		if (n + 1 >= opts->bound) {
			uint16_t en[IRQSIM_MAX_ENABLED];

			if (model->enabled(c->world, rt, en)) {
				st->complete = false;
				continue;
			}
		}
		enter(&d, n + 1, child_sleep);
		if (d.stray) {
			ret = -71;	/* -EPROTO */
			break;
		}
		add_backtracks(&d, n + 1);
		if (!c->enabled) {
			st->executions++;
			if (note_end(&d, c->world)) {
				ret = ENOMEM_RET;
				break;
			}
			if (model->check_end(c->world, rt, false, violation) &&
			    wanted(&d, violation)) {
				ret = record_path(&d, n + 1, sc);
				break;
			}
			memset(violation, 0, sizeof(*violation));
			continue;
		}
		/* FG: start with one enabled source not asleep */
		if (c->enabled & ~c->sleep)
			c->backtrack |= (c->enabled & ~c->sleep) &
					-(c->enabled & ~c->sleep);
		n++;
		if (opts->max_states && st->states >= opts->max_states) {
			st->complete = false;
			break;
		}
		if (opts->progress && (st->states & 0xfff) == 0) {
			st->seconds = irqsim_now_seconds() - t0;
			opts->progress(st, opts->progress_arg);
		}
	}
out:
	if (violation->kind)
		st->complete = false;
	st->seconds = irqsim_now_seconds() - t0;
	for (size_t i = 0; i < d.nlv; i++)
		level_free(&d, d.lv[i]);
	free(d.lv);
	free(d.scratch);
	free(d.fpscratch);
	free(d.ends.e);
	irqsim_fpset_free(&d.inv);
	irqsim_fp_space_free(&d.sp);
	return ret;
}
