// SPDX-License-Identifier: MIT
/*
 * The distributed exhaustive search (sched/dist.h): states partitioned
 * over ranks by fingerprint, supersteps of expansion and exchange, and
 * termination by a reduction after the exchange.
 *
 * Each rank searches depth first from the states it owns: a child it
 * owns and has not met is entered at once, on a stack of whole worlds
 * (as one dfs does, so the states that stay on their rank cost no more
 * than one search's); a child another rank owns goes into that rank's
 * batch, as its world encoded against a base world every rank builds
 * the same way (irqsim_world_encode(): a few hundred bytes where the
 * world is 13 KiB), with its fingerprint and depth. What a rank receives
 * waits, encoded, on its pending stack, and starts a depth-first search
 * when the last one is done.
 */
#include "sched/dist.h"
#include "sched/checkpoint.h"
#include "sched/internal.h"
#include "sched/visited.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

const struct irqsim_dist_backend *irqsim_dist_backend;

/* A growable byte buffer. */
struct bytes {
	unsigned char *p;
	size_t len, cap;
};

static int bytes_reserve(struct bytes *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;
	unsigned char *np;

	if (b->len + more <= b->cap)
		return 0;
	while (cap < b->len + more)
		cap *= 2;
	np = irqsim_realloc(b->p, cap);
	if (!np)
		return ENOMEM_RET;
	b->p = np;
	b->cap = cap;
	return 0;
}

/*
 * What comes with an encoded state: in a batch before its bytes, on the
 * stack after them (the stack is popped from its end).
 */
struct tag {
	struct irqsim_fp fp;
	uint64_t key;		/* what its owner is chosen by (part_key()) */
	uint32_t depth;
	uint32_t len;
};

/* A batch is sent once it holds this much, or a superstep took this long. */
#define BATCH_BYTES	(8u << 20)
#define SUPERSTEP_S	0.004
/* Each rank's cache of the states it sent: slots of one fingerprint. */
#define SENT_CACHE	(1u << 20)

/* Totals every rank adds up after each superstep. */
enum { R_PENDING, R_DISTINCT, R_FOUND, R_STOP, R_BUDGET, R_ERR, R_CKPT, R_NR };

struct level {
	struct tag tg;		/* the state's fingerprint and depth */
	int n, next;
	uint16_t en[IRQSIM_MAX_ENABLED];
};

struct dist {
	const struct irqsim_model *model;
	const struct irqsim_rt *rt;
	const struct irqsim_dist_opts *opts;
	struct irqsim_dist_comm *c;
	struct irqsim_dist_stats *ds;
	size_t ws, encmax;
	unsigned char *base;		/* the start world, dead frames zero */
	void *w;			/* the base between two states */
	void *cw;			/* scratch: a world, or its image */
	void *child;			/* the child step() made */
	unsigned char *enc;		/* a child, encoded */
	struct visited v;
	/* the depth-first search: level L's world, its canonical image, its
	 * enabled transitions; @top the deepest level (-1: none) */
	unsigned char *lw, *lc;
	struct level *lv;
	int top, cap;
	bool flushing;	/* new children wait encoded: for a checkpoint */
	struct bytes stack;
	uint64_t pending;
	struct bytes *out;		/* a batch per rank */
	unsigned char **sendp;
	size_t *slen, *rlen;
	unsigned char *recv;
	size_t recv_cap;
	struct irqsim_fp *sent;		/* SENT_CACHE slots */
	uint32_t want;
	int pactor;		/* the actor states are partitioned by, or -1 */
	bool found, budget, err;
	int errc;		/* this rank's error: -ENOMEM, -EPROTO */
	double t0, ckpt_last;	/* this sitting's start, the last checkpoint's */
	uint64_t ckpt_distinct;	/* the states the next one holds */
	uint64_t gen;		/* the last generation committed */
	uint64_t loaded;	/* the states a resumed search started with */
	double seconds0;	/* the sittings before this one */
};

static int owner(const struct dist *d, uint64_t key)
{
	return (int)(((key >> 32) * (uint64_t)d->c->size) >> 32);
}

/*
 * What a state's owner is chosen by. With @d->pactor, that actor's own
 * part of the state (its header and live frames), so that the other
 * actors' transitions keep a state on its rank and only that actor's,
 * and the wakes that change its header, send it away: a partition by
 * one process's local state (Lerda and Sisto, "Distributed-memory model
 * checking with SPIN", SPIN 1999). Else the fingerprint. Either is a
 * function of the state, so each state has one owner.
 */
static uint64_t part_key(const struct dist *d, const void *w,
			 const struct irqsim_fp *fp)
{
	const struct irqsim_actor *a;
	struct irqsim_fp h;

	if (d->pactor < 0)
		return fp->b;
	a = &((const struct sched_world *)w)->actor[d->pactor];
	irqsim_hash128(a, offsetof(struct irqsim_actor, frame) +
				  a->nframes * sizeof(a->frame[0]), &h);
	return h.b;
}

static size_t dist_bytes(const struct dist *d)
{
	size_t n = (d->v.mask + 1) * sizeof(*d->v.e) + d->stack.cap +
		   d->recv_cap + SENT_CACHE * sizeof(*d->sent) +
		   (size_t)d->cap * (2 * d->ws + sizeof(*d->lv));

	for (int r = 0; r < d->c->size; r++)
		n += d->out[r].cap;
	return n;
}

static void note_peak(struct dist *d)
{
	size_t n = dist_bytes(d);

	if (n > d->ds->st.peak_bytes)
		d->ds->st.peak_bytes = n;
}

static int push(struct dist *d, const unsigned char *enc,
		const struct tag *tg)
{
	if (bytes_reserve(&d->stack, tg->len + sizeof(*tg)))
		return ENOMEM_RET;
	memcpy(d->stack.p + d->stack.len, enc, tg->len);
	memcpy(d->stack.p + d->stack.len + tg->len, tg, sizeof(*tg));
	d->stack.len += tg->len + sizeof(*tg);
	if (++d->pending > d->ds->max_pending)
		d->ds->max_pending = d->pending;
	return 0;
}

static bool wanted(const struct dist *d, const struct irqsim_verdict *v)
{
	return !d->opts->want_kind || v->kind == d->opts->want_kind;
}

static void found(struct dist *d, const struct irqsim_verdict *v)
{
	d->found = true;
	d->ds->found_kind = v->kind;
}

static int level_enter(struct dist *d, const void *w, const struct tag *tg);

/*
 * A state this rank owns, met (as the bytes @enc, or as the world @w when
 * @enc is NULL): stored and pushed if new. The visited set grows within
 * the budget, then fills to 85% and stops the job (as the dfs's does).
 */
static int meet(struct dist *d, const unsigned char *enc, const void *w,
		struct tag *tg)
{
	struct visited *v = &d->v;
	struct visited_entry *e;
	bool fresh;

	if (!v->capped && (v->n + 1) * 2 > v->mask + 1 && d->opts->max_bytes &&
	    dist_bytes(d) + (v->mask + 1) * 2 * sizeof(*v->e) >
		    d->opts->max_bytes)
		v->capped = true;
	if (v->capped && (v->n + 1) * 20 > (v->mask + 1) * 17) {
		d->budget = true;
		return 0;
	}
	e = visited_get(v, &tg->fp, 0, &fresh);
	if (!e)
		return ENOMEM_RET;
	if (!fresh) {
		d->ds->st.pruned_visited++;
		return 0;
	}
	if (!enc && !d->flushing)
		return level_enter(d, w, tg);
	if (!enc) {
		tg->len = (uint32_t)irqsim_world_encode(d->model, d->base, w,
							d->enc);
		enc = d->enc;
	}
	return push(d, enc, tg);
}

/*
 * The successor @d->child (fingerprint @fp) for its owner: met here, or put in
 * the owner's batch unless this rank sent it lately. Encoded only if it
 * goes somewhere.
 */
static int send_child(struct dist *d, const struct irqsim_fp *fp,
		      uint32_t depth)
{
	struct tag tg = { *fp, part_key(d, d->child, fp), depth, 0 };
	int r = owner(d, tg.key);
	struct irqsim_fp *slot;

	if (r == d->c->rank)
		return meet(d, NULL, d->child, &tg);
	slot = &d->sent[fp->a & (SENT_CACHE - 1)];
	if (slot->a == fp->a && slot->b == fp->b) {
		d->ds->cached++;
		return 0;
	}
	*slot = *fp;
	if (bytes_reserve(&d->out[r], sizeof(tg) + d->encmax))
		return ENOMEM_RET;
	tg.len = (uint32_t)irqsim_world_encode(
		d->model, d->base, d->child,
		d->out[r].p + d->out[r].len + sizeof(tg));
	memcpy(d->out[r].p + d->out[r].len, &tg, sizeof(tg));
	d->out[r].len += sizeof(tg) + tg.len;
	d->ds->sent++;
	d->ds->sent_bytes += sizeof(tg) + tg.len;
	return 0;
}

static unsigned char *level_world(struct dist *d, int l)
{
	return d->lw + (size_t)l * d->ws;
}

/* Room for level @l of the depth-first search. */
static int reserve_level(struct dist *d, int l)
{
	int cap = d->cap ? d->cap * 2 : 64;
	unsigned char *nw, *nc;
	struct level *nl;

	if (l < d->cap)
		return 0;
	nw = irqsim_realloc(d->lw, (size_t)cap * d->ws);
	if (!nw)
		return ENOMEM_RET;
	d->lw = nw;
	nc = irqsim_realloc(d->lc, (size_t)cap * d->ws);
	if (!nc)
		return ENOMEM_RET;
	d->lc = nc;
	nl = irqsim_realloc(d->lv, (size_t)cap * sizeof(*nl));
	if (!nl)
		return ENOMEM_RET;
	d->lv = nl;
	d->cap = cap;
	return 0;
}

/*
 * Enter the state @w (@tg) as the next level of the depth-first search:
 * an end state is judged and left at once. A child step() made is in
 * that level's place already, its canonical image too.
 */
static int level_enter(struct dist *d, const void *w, const struct tag *tg)
{
	const struct irqsim_model *m = d->model;
	struct level *lv;
	void *lw;
	int rc = reserve_level(d, d->top + 1);

	if (rc)
		return rc;
	lw = level_world(d, d->top + 1);
	lv = &d->lv[++d->top];
	if (w != lw) {
		irqsim_world_copy(m, lw, w);
		irqsim_canon(m, lw, d->lc + (size_t)d->top * d->ws);
	}
	lv->tg = *tg;
	lv->next = 0;
	lv->n = m->enabled(lw, d->rt, lv->en);
	if (!lv->n) {
		struct irqsim_verdict v;

		/* quiescent: judge the end state */
		d->ds->st.end_states++;
		memset(&v, 0, sizeof(v));
		if (m->check_end(lw, d->rt, false, &v) && wanted(d, &v))
			found(d, &v);
		d->top--;
	}
	return 0;
}

/*
 * Take the next transition of the deepest level, or leave it. The child
 * is made in the next level's place, so that a child entered costs no
 * copy (as in the dfs).
 */
static int step(struct dist *d)
{
	const struct irqsim_model *m = d->model;
	struct irqsim_dfs_stats *st = &d->ds->st;
	const unsigned char *pcanon, *canon;
	struct irqsim_verdict v;
	struct irqsim_fp fp;
	struct level *lv;
	uint32_t depth;
	void *w;
	int rc = reserve_level(d, d->top + 1);

	if (rc)
		return rc;
	lv = &d->lv[d->top];
	w = level_world(d, d->top);
	depth = lv->tg.depth + 1;
	if (lv->next == lv->n) {
		d->top--;
		return 0;
	}
	d->child = level_world(d, d->top + 1);
	irqsim_world_copy(m, d->child, w);
	irqsim_fire(m, d->rt, d->child, lv->en[lv->next++]);
	st->transitions++;
	pcanon = irqsim_canon_at(m, w, d->lc + (size_t)d->top * d->ws);
	canon = irqsim_canon(m, d->child,
			     d->lc + (size_t)(d->top + 1) * d->ws);
	irqsim_fingerprint_step(m, w, pcanon, &lv->tg.fp, d->child, canon, &fp);
	/* the slot's cache line is fetched while the oracles run */
	__builtin_prefetch(&d->v.e[fp.a & d->v.mask]);
	st->windows |= irqsim_windows(m, d->rt, d->child, &d->want);
	memset(&v, 0, sizeof(v));
	if (m->check_step(d->child, d->rt, &v) && wanted(d, &v)) {
		found(d, &v);
		return 0;
	}
	if (depth > st->max_depth)
		st->max_depth = depth;
	if (depth >= d->opts->bound) {
		uint16_t cen[IRQSIM_MAX_ENABLED];

		if (m->enabled(d->child, d->rt, cen)) {
			st->pruned_bound++;
			st->complete = st->pb_complete = false;
			return 0;
		}
	}
	st->states++;
	return send_child(d, &fp, depth);
}

/*
 * Start a depth-first search from the newest pending state. Between two
 * states @d->w is the base; a state's records XORed in give it, XORed in
 * again the base.
 */
static int pop_pending(struct dist *d)
{
	const unsigned char *rec;
	struct tag tg;
	int rc;

	memcpy(&tg, d->stack.p + d->stack.len - sizeof(tg), sizeof(tg));
	d->stack.len -= sizeof(tg) + tg.len;
	d->pending--;
	/* its records stay where they are: level_enter() pushes nothing */
	rec = d->stack.p + d->stack.len;
	if (irqsim_world_xor(d->model, rec, tg.len, d->w))
		return -EPROTO;
	rc = level_enter(d, d->w, &tg);
	irqsim_world_xor(d->model, rec, tg.len, d->w);
	return rc;
}

/* One move of the search: a transition, or a pending state started. */
static int work(struct dist *d)
{
	return d->top >= 0 ? step(d) : pop_pending(d);
}

/* The batches others sent: each state met by this rank, its owner. */
static int take_batches(struct dist *d)
{
	size_t at = 0, total = 0;

	for (int r = 0; r < d->c->size; r++)
		total += d->rlen[r];
	while (at < total) {
		struct tag tg;
		int rc;

		if (total - at < sizeof(tg))
			return -EPROTO;
		memcpy(&tg, d->recv + at, sizeof(tg));
		at += sizeof(tg);
		if (tg.len > total - at || tg.len > d->encmax ||
		    owner(d, tg.key) != d->c->rank)
			return -EPROTO;
		rc = meet(d, d->recv + at, NULL, &tg);
		if (rc)
			return rc;
		at += tg.len;
	}
	return 0;
}

static void fail(struct dist *d, int rc)
{
	d->err = true;
	if (!d->errc)
		d->errc = rc;
}

/*
 * A superstep: work for a while (@flush: only turn the depth-first stack
 * into pending states, for a checkpoint), exchange the batches, add up.
 */
static int superstep(struct dist *d, uint64_t *sum, bool flush)
{
	double t0 = irqsim_now_seconds();
	size_t batched = 0;
	int rc = 0;

	d->flushing = flush;
	while (flush && d->top >= 0 && !d->found && !d->budget && !rc)
		rc = step(d);
	d->flushing = false;
	for (unsigned int k = 1; !flush && !d->err &&
	     (d->top >= 0 || d->pending) && !d->found && !d->budget; k++) {
		rc = work(d);
		if (rc)
			break;
		if (k % 128 == 0) {
			batched = 0;
			for (int r = 0; r < d->c->size; r++)
				batched += d->out[r].len;
			if (batched >= BATCH_BYTES ||
			    irqsim_now_seconds() - t0 >= SUPERSTEP_S)
				break;
			if (d->opts->stop && *d->opts->stop)
				break;
		}
	}
	if (rc)
		fail(d, rc);
	for (int r = 0; r < d->c->size; r++) {
		d->sendp[r] = d->out[r].p;
		d->slen[r] = d->out[r].len;
	}
	note_peak(d);
	if (d->c->exchange(d->c, d->sendp, d->slen, &d->recv, &d->recv_cap,
			   d->rlen))
		fail(d, ENOMEM_RET);
	for (int r = 0; r < d->c->size; r++)
		d->out[r].len = 0;
	d->ds->supersteps++;
	if (!d->err && (rc = take_batches(d)))
		fail(d, rc);
	note_peak(d);
	sum[R_PENDING] = d->pending + (d->top >= 0);
	sum[R_DISTINCT] = d->v.n;
	sum[R_FOUND] = d->found;
	sum[R_STOP] = d->opts->stop && *d->opts->stop;
	sum[R_BUDGET] = d->budget;
	sum[R_ERR] = d->err;
	/* rank 0's clock says when a checkpoint is due, for all */
	sum[R_CKPT] = d->opts->ckpt_begin && d->c->rank == 0 &&
		      irqsim_now_seconds() - d->ckpt_last >= d->opts->ckpt_every;
	return d->c->reduce(d->c, sum, R_NR, NULL, 0, NULL, 0);
}

static void dist_free(struct dist *d)
{
	free(d->base);
	free(d->w);
	free(d->cw);
	free(d->enc);
	free(d->lw);
	free(d->lc);
	free(d->lv);
	free(d->v.e);
	free(d->stack.p);
	for (int r = 0; d->out && r < d->c->size; r++)
		free(d->out[r].p);
	free(d->out);
	free(d->sendp);
	free(d->slen);
	free(d->rlen);
	free(d->recv);
	free(d->sent);
}

static int dist_init(struct dist *d)
{
	size_t ws = d->ws, n = (size_t)d->c->size;

	d->base = irqsim_calloc(1, ws);
	d->w = irqsim_calloc(1, ws);
	d->cw = irqsim_calloc(1, ws);
	d->enc = irqsim_malloc(d->encmax);
	d->out = irqsim_calloc(n, sizeof(*d->out));
	d->sendp = irqsim_calloc(n, sizeof(*d->sendp));
	d->slen = irqsim_calloc(n, sizeof(*d->slen));
	d->rlen = irqsim_calloc(n, sizeof(*d->rlen));
	d->sent = irqsim_calloc(SENT_CACHE, sizeof(*d->sent));
	if (!d->base || !d->w || !d->cw || !d->enc || !d->out || !d->sendp ||
	    !d->slen || !d->rlen || !d->sent)
		return ENOMEM_RET;
	return visited_init(&d->v, 1 << 16);
}

/* The totals of every rank, in @ds on every rank. */
static int gather_stats(struct dist *d)
{
	struct irqsim_dfs_stats *st = &d->ds->st;
	uint64_t sum[] = { st->states, d->v.n, st->transitions,
			   st->end_states, st->pruned_bound, st->pruned_visited,
			   d->ds->sent, d->ds->sent_bytes, d->ds->cached,
			   st->peak_bytes, d->loaded };
	uint64_t max[] = { st->max_depth, st->peak_bytes, d->v.n,
			   UINT64_MAX - d->v.n, (uint64_t)d->ds->found_kind,
			   d->ds->max_pending, d->stack.cap };
	uint64_t bor[] = { st->windows, !st->complete };
	int rc = d->c->reduce(d->c, sum, 11, max, 7, bor, 2);

	if (rc)
		return rc;
	st->states = sum[0];
	st->distinct = sum[1];
	st->transitions = sum[2];
	st->end_states = sum[3];
	st->pruned_bound = sum[4];
	st->pruned_visited = sum[5];
	d->ds->sent = sum[6];
	d->ds->sent_bytes = sum[7];
	d->ds->cached = sum[8];
	d->ds->peak_bytes_sum = (size_t)sum[9];
	d->ds->resumed_distinct = sum[10];
	st->max_depth = (uint32_t)max[0];
	st->peak_bytes = (size_t)max[1];
	d->ds->rank_distinct_max = max[2];
	d->ds->rank_distinct_min = UINT64_MAX - max[3];
	d->ds->found_kind = (int)max[4];
	d->ds->max_pending = max[5];
	d->ds->pending_bytes = (size_t)max[6];
	st->windows = (uint32_t)bor[0];
	if (bor[1])
		st->complete = st->pb_complete = false;
	return 0;
}

/*
 * The actor to partition by: the one that moves most in a few random
 * schedules (the program with the most points to spread over the
 * ranks), when the model says which actor a transition runs as; -1
 * (the fingerprint) otherwise, or with one rank. Every rank computes it
 * alike (a fixed seed), and a checkpoint records it.
 */
static int pick_actor(const struct dist *d, const void *init)
{
	const struct irqsim_model *m = d->model;
	uint64_t count[IRQSIM_MAX_ACTORS] = { 0 };
	struct irqsim_prng p;
	void *w = d->cw;
	int best = -1;

	if (!m->transition_actor || d->c->size == 1)
		return -1;
	irqsim_prng_seed(&p, 0x9e3779b97f4a7c15ULL);
	for (int run = 0; run < 16; run++) {
		memcpy(w, init, d->ws);
		for (uint32_t k = 0; k < d->opts->bound; k++) {
			uint16_t en[IRQSIM_MAX_ENABLED];
			int n = m->enabled(w, d->rt, en), a;
			uint16_t t;

			if (!n)
				break;
			t = en[irqsim_prng_below(&p, (uint32_t)n)];
			a = m->transition_actor(w, d->rt, t);
			if (a >= 0 && a < IRQSIM_MAX_ACTORS)
				count[a]++;
			irqsim_fire(m, d->rt, w, t);
		}
	}
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		if (count[a] && (best < 0 || count[a] > count[best]))
			best = a;
	return best;
}

/* A double as its bits, for a checkpoint. */
static uint64_t double_bits(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return u;
}

static double bits_double(uint64_t u)
{
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/*
 * This rank's part of checkpoint generation @gen: its place in the job,
 * its counts, the windows it still looks for, the states it owns (its
 * part of the visited set) and its pending states (encoded, as on its
 * stack). The depth-first stack is empty: superstep(..., true) turned it
 * into pending states.
 */
static int dist_save(struct dist *d, uint64_t gen)
{
	const struct irqsim_dist_opts *o = d->opts;
	struct irqsim_dfs_stats *st = &d->ds->st;
	struct irqsim_ckpt_writer *w = irqsim_malloc(sizeof(*w));
	FILE *f;
	int rc;

	if (!w)
		return -1;
	f = o->ckpt_begin(o->ckpt_arg, gen);
	if (!f) {
		free(w);
		return -1;
	}
	irqsim_ckpt_begin(w, f, IRQSIM_CKPT_DIST_RANK, o->ckpt_id);
	irqsim_ckpt_put_u32(w, (uint32_t)d->c->size);
	irqsim_ckpt_put_u32(w, (uint32_t)d->c->rank);
	irqsim_ckpt_put_u64(w, gen);
	irqsim_ckpt_put_u32(w, (uint32_t)(d->pactor + 1));
	irqsim_ckpt_put_u64(w, st->states);
	irqsim_ckpt_put_u64(w, st->transitions);
	irqsim_ckpt_put_u64(w, st->end_states);
	irqsim_ckpt_put_u64(w, st->pruned_bound);
	irqsim_ckpt_put_u64(w, st->pruned_visited);
	irqsim_ckpt_put_u64(w, d->ds->sent);
	irqsim_ckpt_put_u64(w, d->ds->sent_bytes);
	irqsim_ckpt_put_u64(w, d->ds->cached);
	irqsim_ckpt_put_u64(w, d->ds->supersteps);
	irqsim_ckpt_put_u64(w, double_bits(d->seconds0 + irqsim_now_seconds() -
					   d->t0));
	irqsim_ckpt_put_u32(w, st->max_depth);
	irqsim_ckpt_put_u32(w, st->windows);
	irqsim_ckpt_put_u32(w, d->want);
	irqsim_ckpt_put_u64(w, d->v.n);
	for (size_t i = 0; i <= d->v.mask; i++) {
		struct irqsim_fp fp = { d->v.e[i].a, d->v.e[i].b };

		if (fp.a || fp.b)
			irqsim_ckpt_put_fp(w, &fp);
	}
	irqsim_ckpt_put_u64(w, d->pending);
	irqsim_ckpt_put_u64(w, d->stack.len);
	irqsim_ckpt_put(w, d->stack.p, d->stack.len);
	rc = irqsim_ckpt_end(w);
	free(w);
	return o->ckpt_end(o->ckpt_arg, f, rc == 0) || rc ? -1 : 0;
}

/* The part dist_save() wrote, read back into a new search. */
static int dist_load(struct dist *d, struct irqsim_ckpt_reader *r)
{
	struct irqsim_dfs_stats *st = &d->ds->st;
	uint64_t n, pending, len, count = 0;
	size_t at;

	if (r->kind != IRQSIM_CKPT_DIST_RANK)
		return irqsim_ckpt_bad(r, "not one rank's part of a distributed search");
	if (irqsim_ckpt_get_u32(r) != (uint32_t)d->c->size ||
	    irqsim_ckpt_get_u32(r) != (uint32_t)d->c->rank)
		return irqsim_ckpt_bad(r, "the part of another rank, or of a job of another size (rank %d of %d here)",
				       d->c->rank, d->c->size);
	d->gen = irqsim_ckpt_get_u64(r);
	if (irqsim_ckpt_get_u32(r) != (uint32_t)(d->pactor + 1))
		return irqsim_ckpt_bad(r, "its states were partitioned otherwise");
	st->states = irqsim_ckpt_get_u64(r);
	st->transitions = irqsim_ckpt_get_u64(r);
	st->end_states = irqsim_ckpt_get_u64(r);
	st->pruned_bound = irqsim_ckpt_get_u64(r);
	st->pruned_visited = irqsim_ckpt_get_u64(r);
	d->ds->sent = irqsim_ckpt_get_u64(r);
	d->ds->sent_bytes = irqsim_ckpt_get_u64(r);
	d->ds->cached = irqsim_ckpt_get_u64(r);
	d->ds->supersteps = irqsim_ckpt_get_u64(r);
	d->seconds0 = bits_double(irqsim_ckpt_get_u64(r));
	st->max_depth = irqsim_ckpt_get_u32(r);
	st->windows = irqsim_ckpt_get_u32(r);
	d->want = irqsim_ckpt_get_u32(r);
	/* cut by the step bound, as the whole search will be; a stop is not */
	st->complete = st->pb_complete = st->pruned_bound == 0;
	n = irqsim_ckpt_get_u64(r);
	if (r->why)
		return -EINVAL;
	if (n > r->left / 16 || !(d->seconds0 >= 0))
		return irqsim_ckpt_bad(r, "its counts do not fit the file");
	for (uint64_t i = 0; i < n; i++) {
		struct irqsim_fp fp;
		bool fresh;

		irqsim_ckpt_get_fp(r, &fp);
		if (r->why)
			return -EINVAL;
		/* the owner by the fingerprint alone: partitioned by it */
		if ((!fp.a && !fp.b) ||
		    (d->pactor < 0 && owner(d, fp.b) != d->c->rank))
			return irqsim_ckpt_bad(r, "a state this rank does not own");
		if (!visited_get(&d->v, &fp, 0, &fresh))
			return ENOMEM_RET;
		if (!fresh)
			return irqsim_ckpt_bad(r, "a state stored twice");
	}
	pending = irqsim_ckpt_get_u64(r);
	len = irqsim_ckpt_get_u64(r);
	if (r->why)
		return -EINVAL;
	if (len > r->left)
		return irqsim_ckpt_bad(r, "its pending states do not fit the file");
	if (bytes_reserve(&d->stack, len))
		return ENOMEM_RET;
	if (!irqsim_ckpt_get(r, d->stack.p, len))
		return -EINVAL;
	d->stack.len = len;
	/* each pending state: its records, then its tag */
	for (at = len; at > 0; count++) {
		struct tag tg;

		if (at < sizeof(tg))
			return irqsim_ckpt_bad(r, "a pending state cut short");
		memcpy(&tg, d->stack.p + at - sizeof(tg), sizeof(tg));
		if (tg.len > at - sizeof(tg) || tg.len > d->encmax ||
		    tg.len % 10 || owner(d, tg.key) != d->c->rank)
			return irqsim_ckpt_bad(r, "a pending state that does not hold together");
		at -= sizeof(tg) + tg.len;
	}
	if (count != pending)
		return irqsim_ckpt_bad(r, "%" PRIu64 " pending states said, %" PRIu64 " there",
				       pending, count);
	d->pending = pending;
	d->loaded = d->v.n;
	d->ds->resumed_gen = d->gen;
	d->ds->resumed_seconds = d->seconds0;
	return 0;
}

/*
 * Every rank writes its part of the next generation; once all are in
 * place rank 0 commits it. A failure anywhere leaves the last committed
 * generation the one to resume from.
 */
static int dist_checkpoint(struct dist *d)
{
	uint64_t bad = dist_save(d, d->gen + 1) != 0;
	int rc = d->c->reduce(d->c, &bad, 1, NULL, 0, NULL, 0);

	if (rc)
		return rc;
	d->ckpt_last = irqsim_now_seconds();
	if (bad)
		return 1;
	d->gen++;
	bad = d->c->rank == 0 && d->opts->ckpt_commit(d->opts->ckpt_arg, d->gen);
	rc = d->c->reduce(d->c, &bad, 1, NULL, 0, NULL, 0);
	if (rc)
		return rc;
	if (bad) {
		d->gen--;
		return 1;
	}
	d->ds->ckpt_gen = d->gen;
	d->ds->ckpt_distinct = d->ckpt_distinct;
	return 0;
}

/*
 * A superstep and what every rank learns from it: 1 when the search
 * ends there (a violation; an error, in *@ret), 0 to go on, -1 when a
 * collective failed (*@ret).
 */
static int run_superstep(struct dist *d, uint64_t *sum, bool flush, int *ret)
{
	if (superstep(d, sum, flush)) {
		*ret = ENOMEM_RET;
		return -1;
	}
	if (sum[R_ERR]) {
		*ret = d->errc ? d->errc : -ECANCELED;
		return 1;
	}
	if (sum[R_FOUND]) {
		d->ds->found = true;
		return 1;
	}
	return 0;
}

int irqsim_dist_search(const struct irqsim_model *model,
		       const struct irqsim_rt *rt, const void *init,
		       struct irqsim_dist_comm *c,
		       const struct irqsim_dist_opts *opts,
		       struct irqsim_dist_stats *ds)
{
	struct dist d = {
		.model = model, .rt = rt, .opts = opts, .c = c, .ds = ds,
		.top = -1, .pactor = -1,
		.ws = model->world_size,
		.encmax = irqsim_world_encode_max(model),
	};
	struct irqsim_dfs_stats *st = &ds->st;
	uint64_t sum[R_NR];
	bool last = false;
	int ret = 0, rc;

	d.t0 = d.ckpt_last = irqsim_now_seconds();
	memset(ds, 0, sizeof(*ds));
	ds->ranks = c->size;
	ds->partition_actor = -1;
	st->complete = st->pb_complete = true;
	if (model->world_size > 65536 * 8) {
		ret = -EINVAL;	/* a word's index is 16 bits */
		goto out;
	}
	d.want = model->windows ? rt->windows : 0;
	if (dist_init(&d)) {
		fail(&d, ENOMEM_RET);
	} else {
		struct tag tg = { { 0, 0 }, 0, 0, 0 };

		/* the base: the start world without its dead frames */
		irqsim_world_copy(model, d.base, init);
		memcpy(d.w, d.base, d.ws);
		d.pactor = pick_actor(&d, init);
		if (opts->resume) {
			rc = dist_load(&d, opts->resume);
			if (rc)
				fail(&d, rc);
		} else {
			st->windows |= irqsim_windows(model, rt, init, &d.want);
			irqsim_fingerprint(model, init, d.cw, &tg.fp);
			tg.key = part_key(&d, init, &tg.fp);
			if (owner(&d, tg.key) == c->rank) {
				st->states++;
				if (meet(&d, NULL, init, &tg))
					fail(&d, ENOMEM_RET);
			}
		}
	}
	/* every rank takes part in every superstep, even after an error */
	for (;;) {
		rc = run_superstep(&d, sum, false, &ret);
		if (rc < 0)
			goto out;
		if (rc)
			break;
		if (sum[R_BUDGET]) {
			/* a state was dropped: no checkpoint here */
			st->budget = true;
			st->complete = st->pb_complete = false;
			break;
		}
		if (!sum[R_PENDING])
			break;
		if (sum[R_STOP] ||
		    (opts->max_states && sum[R_DISTINCT] >= opts->max_states)) {
			st->stopped = sum[R_STOP] != 0;
			st->complete = st->pb_complete = false;
			last = true;
		}
		if (opts->ckpt_begin && (last || sum[R_CKPT])) {
			/* no state half expanded, none in flight: then write */
			rc = run_superstep(&d, sum, true, &ret);
			if (rc < 0)
				goto out;
			if (rc)
				break;
			d.ckpt_distinct = sum[R_DISTINCT];
			rc = dist_checkpoint(&d);
			if (rc < 0) {
				ret = rc;
				goto out;
			}
			if (last)
				ds->ckpt_last = rc ? -1 : 1;
		}
		if (last)
			break;
	}
	ds->partition_actor = d.pactor;
	if (!ret && gather_stats(&d))
		ret = ENOMEM_RET;
	if (ds->found)
		st->complete = st->pb_complete = false;
out:
	st->seconds = d.seconds0 + irqsim_now_seconds() - d.t0;
	dist_free(&d);
	return ret;
}
