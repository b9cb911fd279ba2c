// SPDX-License-Identifier: MIT
/*
 * Exhaustive depth-first search with a visited set, sleep sets and a
 * preemption bound; the frontier that splits it among workers and shards.
 *
 * Reduction: sleep sets (Godefroid, "Partial-Order Methods for the
 * Verification of Concurrent Systems", LNCS 1032, ch. 5) combined with
 * state caching as in section 5.4 there: a state stores the sleep set it
 * was explored with; a later visit with sleep set Z re-explores only the
 * transitions that were asleep then and are awake now, and the stored set
 * shrinks to the intersection. Independence is decided per state by
 * execution: t and u are independent at s when each stays enabled after
 * the other and s.t.u and s.u.t have the same fingerprint. That is the
 * diamond property itself, so no footprint annotations are needed in the
 * model and no independence is assumed that the model does not have.
 *
 * Or the transaction reduction (opts->transactions, in the instrumented
 * twin), in place of sleep sets: Lipton's ("Reduction: A Method of
 * Proving Properties of Parallel Programs", CACM 1975). While an actor
 * holds a lock, its critical section runs as one step where that is
 * sound: a lock's acquisition moves right past other actors' steps, its
 * release left, an access to bytes that every actor touches only under a
 * common lock both ways, and a section of right movers, at most one step
 * that is neither, then left movers, runs as one (tx_force()). A state
 * inside such a section has one successor and is not stored. Which bytes
 * are protected is learned, not declared: every step the search runs is
 * watched by the compiler's instrumentation and its locksets kept per
 * byte (sched/footprint.h). What the search assumed of a byte it then
 * learned otherwise is checked at the end, and the search runs again if
 * it assumed too much (irqsim_dfs()), as in Stoller and Cohen's
 * optimistic reduction, so a broken lock discipline costs a second
 * search, never a missed race.
 */
#include "sched/internal.h"
#include "sched/checkpoint.h"
#include "sched/footprint.h"
#include "sched/visited.h"

#include <ck_pr.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

/* ------------------------------------------------------------------ */
/* Exhaustive search                                                   */

/* Transition codes to sleep-set bits, assigned on first sight. */
struct bitmap_ids {
	uint8_t bit[65536];
	int n;
};

static int bit_of(struct bitmap_ids *ids, uint16_t t)
{
	if (ids->bit[t] == 0) {
		if (ids->n >= 64)
			return -1;
		ids->bit[t] = (uint8_t)(++ids->n);
	}
	return ids->bit[t] - 1;
}

/* ------------------------------------------------------------------ */
/* A visited set shared by the workers of one process                  */

/*
 * Striped: a fingerprint's top byte picks one of 256 open-addressing
 * tables, each behind its own mutex (two workers meet on one about once
 * in 256 inserts), each growing on its own. Not a spinlock: on a loaded
 * machine a worker preempted while holding one made the other spin for
 * its time slice (half of the search's time in one measurement). A state is owned by the
 * worker that inserts it, which explores it; a worker that meets it
 * later does what a revisit does (nothing, or the transitions asleep
 * then and awake now), so every state is explored once whoever gets
 * there first, as in Stern and Dill's parallel Murphi and TLC's shared
 * fingerprint set. The set is the set of states reached, whatever the
 * order: its size is the distinct-state count one worker finds.
 *
 * Without sleep sets: their proof (a transition asleep at a state was
 * explored from an earlier sibling, whose subtree is done) follows one
 * depth-first order, and workers that prune on each other's unfinished
 * subtrees break it. Tried: seed001-x86-lazy lost 20 of its 3,736
 * states in some runs of --jobs 2.
 */
#define SHARED_STRIPES 256

struct shared_stripe {
	pthread_mutex_t lock;
	struct visited v;
} __attribute__((aligned(64)));

struct irqsim_dfs_shared {
	struct shared_stripe stripe[SHARED_STRIPES];
	uint64_t n;		/* distinct states: ck_pr */
	uint64_t bytes;		/* the stripes' tables: ck_pr */
	uint64_t stacks;	/* the workers' stacks (dfs_reserve()): ck_pr */
	size_t max_bytes;
	uint8_t budget;		/* a stripe is full at the budget: ck_pr */
};

struct dfs_node {
	uint16_t en[IRQSIM_MAX_ENABLED];
	int n, next;
	uint64_t sleep;		/* asleep on arrival */
	uint64_t done;		/* explored from here so far */
	uint64_t todo;		/* on a revisit: only these */
	uint16_t taken;
	uint16_t last;		/* transition that led here */
	int preemptions;
	/* the transaction reduction (tx_candidate()) */
	int8_t tx_actor;	/* en[0]'s actor holds a lock: -1 none */
	bool forced;		/* only en[0] is explored from here */
	uint16_t post;		/* actors past their transaction's commit */
	struct irqsim_fp fp;	/* this state's, for the cycle proviso */
	struct irqsim_fp fp0;	/* irqsim_fingerprint()'s, for the children */
	bool canon_ok;		/* fp0 and the level's canonical image set */
};

struct irqsim_dfs {
	const struct irqsim_model *model;
	const struct irqsim_rt *rt;
	struct irqsim_dfs_opts opts;
	const struct irqsim_schedule *prefix;
	struct irqsim_dfs_stats *st;
	struct visited visited;
	struct irqsim_dfs_shared *shared;	/* in place of @visited */
	struct bitmap_ids *ids;
	unsigned char *worlds;		/* one world per depth */
	unsigned char *canons;		/* its canonical image (irqsim_canon()) */
	struct dfs_node *node;
	size_t cap;			/* depths allocated */
	void *scratch, *scratch2, *tmp1, *tmp2;
	bool sleep_ok;
	bool fresh;			/* the last dfs_enter() saw a new state */
	bool tx;			/* the transaction reduction is on */
	bool check_fp;			/* IRQSIM_CHECK_FINGERPRINTS is set */
	uint16_t en_tmp[IRQSIM_MAX_ENABLED];
	int nprocs;
	/* bitstate: a bit array in place of the visited set (bitstate_in()) */
	uint64_t *bits;
	uint64_t nbits;			/* a multiple of 64 */
	uint64_t bit_states;		/* states found new in it */
	struct irqsim_fp_space sp;	/* ignored and visible bytes */
	struct irqsim_fp_locksets ls;
	/* checkpoints: the top of the stack; loaded by irqsim_dfs_load() */
	size_t depth;
	bool loaded;
};

static void *world_at(struct irqsim_dfs *d, size_t depth)
{
	return d->worlds + depth * d->model->world_size;
}

static int dfs_reserve(struct irqsim_dfs *d, size_t depth)
{
	size_t cap;
	void *nw, *nn;

	if (depth < d->cap)
		return 0;
	cap = d->cap ? d->cap * 2 : 64;
	while (cap <= depth)
		cap *= 2;
	nw = irqsim_realloc(d->worlds, cap * d->model->world_size);
	if (!nw)
		return ENOMEM_RET;
	d->worlds = nw;
	nw = irqsim_realloc(d->canons, cap * d->model->world_size);
	if (!nw)
		return ENOMEM_RET;
	d->canons = nw;
	nn = irqsim_realloc(d->node, cap * sizeof(*d->node));
	if (!nn)
		return ENOMEM_RET;
	d->node = nn;
	if (d->shared)
		ck_pr_add_64(&d->shared->stacks,
			     (cap - d->cap) * (2 * d->model->world_size +
					       sizeof(struct dfs_node)));
	d->cap = cap;
	return 0;
}

static void fire(struct irqsim_dfs *d, void *w, uint16_t t)
{
	irqsim_fire(d->model, d->rt, w, t);
}

/*
 * Do @t and @u commute at @s? @st is s.t, already computed. Both must stay
 * enabled after the other, and both orders must reach one state.
 */
static bool independent(struct irqsim_dfs *d, const void *s, const void *st,
			uint16_t t, uint16_t u)
{
	uint16_t en[IRQSIM_MAX_ENABLED];
	int n;

	n = d->model->enabled(st, d->rt, en);
	if (!is_enabled(en, n, u))
		return false;
	irqsim_world_copy(d->model, d->tmp1, st);
	fire(d, d->tmp1, u);
	irqsim_world_copy(d->model, d->tmp2, s);
	fire(d, d->tmp2, u);
	d->st->commute_tests += 2;
	n = d->model->enabled(d->tmp2, d->rt, en);
	if (!is_enabled(en, n, t))
		return false;
	fire(d, d->tmp2, t);
	d->st->commute_tests++;
	return irqsim_same_state(d->model, d->tmp1, d->tmp2, d->scratch,
				 d->scratch2);
}

/* The violating path into @sc: 0, or ENOMEM_RET (a partial path is none). */
static int record_path(struct irqsim_dfs *d, size_t depth, int last,
		       struct irqsim_schedule *sc)
{
	sc->n = 0;
	for (size_t i = 0; d->prefix && i < d->prefix->n; i++)
		if (irqsim_schedule_push(sc, d->prefix->t[i]))
			return ENOMEM_RET;
	for (size_t i = 0; i < depth; i++)
		if (irqsim_schedule_push(sc, d->node[i].taken))
			return ENOMEM_RET;
	if (last >= 0 && irqsim_schedule_push(sc, (uint16_t)last))
		return ENOMEM_RET;
	return 0;
}

static int frontier_push(struct irqsim_frontier *fr,
			 const struct irqsim_schedule *path)
{
	if (fr->n == fr->cap) {
		size_t cap = fr->cap ? fr->cap * 2 : 64;
		struct irqsim_schedule *ne = irqsim_realloc(fr->entry,
						     cap * sizeof(*ne));

		if (!ne)
			return ENOMEM_RET;
		fr->entry = ne;
		fr->cap = cap;
	}
	irqsim_schedule_init(&fr->entry[fr->n]);
	if (irqsim_schedule_copy(&fr->entry[fr->n], path))
		return ENOMEM_RET;
	fr->n++;
	return 0;
}

void irqsim_frontier_free(struct irqsim_frontier *fr)
{
	for (size_t i = 0; i < fr->n; i++)
		irqsim_schedule_free(&fr->entry[i]);
	free(fr->entry);
	memset(fr, 0, sizeof(*fr));
}

/* Mix the transition taken last into a fingerprint (bounded searches). */
static void fp_add_last(struct irqsim_fp *fp, uint16_t last)
{
	fp->a ^= mum(0x9e3779b97f4a7c15ULL, (uint64_t)last + 0xd1b54a32d192ed03ULL);
	fp->b ^= last;
}

/* The locks each actor holds in @w (bit per lock). */
static void held_locks(const void *w, uint64_t *held)
{
	const struct sched_world *sw = w;

	memset(held, 0, sizeof(uint64_t) * IRQSIM_MAX_ACTORS);
	for (int k = 0; k < IRQSIM_MAX_LOCKS; k++)
		if (sw->lock_owner[k] >= 0)
			held[sw->lock_owner[k]] |= 1ULL << k;
}

/*
 * The transaction reduction's candidate at a node: the first enabled
 * transition whose actor holds a lock, moved to the front of the list.
 * Whether it is taken alone is decided when it has run (tx_force()).
 */
static void tx_candidate(struct irqsim_dfs *d, struct dfs_node *nd,
			 const void *w)
{
	uint64_t held[IRQSIM_MAX_ACTORS];

	nd->tx_actor = -1;
	nd->forced = false;
	held_locks(w, held);
	for (int i = 0; i < nd->n; i++) {
		int a = d->model->transition_actor(w, d->rt, nd->en[i]);
		uint16_t t = nd->en[i];
		bool alone = true;

		if (a < 0 || !held[a])
			continue;
		/*
		 * An actor with two ways on (its next step, or an interrupt
		 * taken on its CPU first) chooses: that choice is the
		 * actor's own, not an interleaving, and stays.
		 */
		for (int j = 0; j < nd->n && alone; j++)
			alone = j == i || d->model->transition_actor(
						  w, d->rt, nd->en[j]) != a;
		if (!alone)
			continue;
		memmove(&nd->en[1], &nd->en[0], i * sizeof(nd->en[0]));
		nd->en[0] = t;
		nd->tx_actor = (int8_t)a;
		return;
	}
}

/*
 * Take the candidate alone from node @depth (world @w, @cw after it)?
 * Before its actor's commit point any step may be (Lipton: right movers
 * and then the one step that is not); past it only a left mover: a step
 * that takes no lock and touches no byte shared without a lock. Never a
 * step that leaves its actor blocked, that writes what the model's
 * invariant reads in a state the invariant judges (the visibility
 * proviso: the states skipped would be judged too), that disables
 * another actor's transition, or that closes a cycle of steps taken
 * alone (the cycle proviso: the others would never move).
 */
static bool tx_force(struct irqsim_dfs *d, size_t depth, const void *w,
		     const void *cw, bool acquired)
{
	struct dfs_node *nd = &d->node[depth];
	const struct sched_world *sw = cw;
	int a = nd->tx_actor, n;
	struct irqsim_fp fp;

	if (sw->actor[a].blocked)
		return false;
	/* past the commit point only left movers: no lock taken, no race */
	if (nd->post >> a & 1 && (acquired || d->ls.unprotected))
		return false;
	/* a write the invariant reads, in a state it judges */
	if (d->ls.visible && !(d->model->invariant_vacuous &&
			       d->model->invariant_vacuous(w) &&
			       d->model->invariant_vacuous(cw)))
		return false;
	n = d->model->enabled(cw, d->rt, d->en_tmp);
	for (int j = 1; j < nd->n; j++)
		if (d->model->transition_actor(w, d->rt, nd->en[j]) != a &&
		    !is_enabled(d->en_tmp, n, nd->en[j]))
			return false;
	irqsim_fingerprint(d->model, cw, d->scratch, &fp);
	for (size_t k = depth + 1; k-- > 0;) {
		if (d->node[k].fp.a == fp.a && d->node[k].fp.b == fp.b)
			return false;
		if (k < depth && !d->node[k].forced)
			break;
	}
	return true;
}

static uint64_t locks_of(const void *w, int a)
{
	const struct sched_world *sw = w;
	uint64_t held = 0;

	for (int k = 0; k < IRQSIM_MAX_LOCKS; k++)
		if (sw->lock_owner[k] == a)
			held |= 1ULL << k;
	return held;
}

/*
 * After transition @t (the @i-th of node @depth, world @w, @cw after it):
 * decide whether the node takes it alone, and return the phases of the
 * child. Lipton's transactions: right movers (steps that release
 * nothing), at most one step that is not, then left movers (steps that
 * acquire nothing). A step taken at a node that lets every transition run
 * starts a new transaction.
 */
static int tx_step(struct irqsim_dfs *d, size_t depth, int i, const void *w,
		   const void *cw, uint16_t t, uint16_t *postp)
{
	struct dfs_node *nd = &d->node[depth];
	int a = d->model->transition_actor(w, d->rt, t);
	uint64_t before, after;
	uint16_t post = nd->post, bit;
	bool pre_phase = true;

	*postp = post;
	if (a < 0)
		return 1;
	before = locks_of(w, a);
	after = locks_of(cw, a);
	bit = (uint16_t)(1u << a);
	if (i == 0 && nd->tx_actor >= 0) {
		if (tx_force(d, depth, w, cw, after & ~before)) {
			nd->forced = true;
			nd->n = 1;
			d->st->tx_forced++;
			pre_phase = !(post & bit);
		} else {
			/* a state like any other: stored, or met again */
			struct visited_entry *e;
			bool fresh;

			e = visited_get(&d->visited, &nd->fp, 0, &fresh);
			if (!e)
				return ENOMEM_RET;
			if (!fresh) {
				d->st->pruned_visited++;
				nd->n = 0;
				return 0;
			}
		}
	}
	if (pre_phase && !(before & ~after) && !d->ls.unprotected)
		post &= (uint16_t)~bit;
	else
		post |= bit;
	if (!after)
		post &= (uint16_t)~bit;
	/*
	 * What the search assumed of this step's bytes (protected), for
	 * the check at the end: a phase it kept, a step it took alone.
	 */
	if (!d->ls.unprotected && (after || nd->forced))
		irqsim_fp_track_forced(&d->ls);
	*postp = post;
	return 1;
}

/* Fire @t in @cw (a copy of @w) with the locksets watching. */
static void tx_fire(struct irqsim_dfs *d, const void *w, void *cw, uint16_t t)
{
	int a = d->model->transition_actor(w, d->rt, t);

	if (a < 0)
		a = IRQSIM_MAX_ACTORS;	/* nobody's: shares with everyone */
	irqsim_fp_track_begin(&d->ls, cw, a, locks_of(w, a));
	fire(d, cw, t);
	irqsim_fp_track_end(w);
}

/*
 * What each source's enabledness test reads in @w is an access of the
 * actor it runs as, made holding no lock: a step that writes it enables
 * or disables that source, a dependency like any other.
 */
static void tx_probe(struct irqsim_dfs *d, const void *w)
{
	for (int p = 0; p < d->nprocs; p++) {
		uint16_t code;
		int a;

		(void)d->model->proc_next(w, d->rt, p, &code);
		a = d->model->transition_actor(w, d->rt, code);
		irqsim_fp_track_begin(&d->ls, w, a < 0 ? IRQSIM_MAX_ACTORS : a,
				      0);
		(void)d->model->proc_next(w, d->rt, p, &code);
		irqsim_fp_track_end(NULL);
	}
}

/*
 * Bitstate hashing (Holzmann's supertrace, "An Analysis of Bitstate
 * Hashing", FMSD 1998): a state is marked by IRQSIM_BITSTATE_K bits of
 * one array, at positions drawn from its 128-bit fingerprint by double
 * hashing (Kirsch and Mitzenmacher); it is taken for visited when all of
 * them are set. A new state whose bits another state happens to have set
 * is not explored: the search is no proof, and irqsim_bitstate_missed()
 * says how much it likely missed. Returns whether @fp was new, and marks
 * it.
 */
static bool bitstate_in(struct irqsim_dfs *d, const struct irqsim_fp *fp)
{
	uint64_t h = fp->a, step = fp->b | 1;
	bool fresh = false;

	for (int i = 0; i < IRQSIM_BITSTATE_K; i++, h += step) {
		/* h scaled to [0, nbits) (Lemire's multiply-shift) */
		uint64_t bit = (uint64_t)(((unsigned __int128)h * d->nbits) >> 64);
		uint64_t *word = &d->bits[bit / 64];

		if (!(*word >> (bit % 64) & 1)) {
			fresh = true;
			*word |= 1ULL << (bit % 64);
		}
	}
	d->bit_states += fresh;
	return fresh;
}

double irqsim_bitstate_missed(uint64_t n, uint64_t nbits)
{
	/*
	 * The i-th new state is lost when its k bits are all set already:
	 * about (1 - exp(-k i / m))^k with m bits. The sum over the n
	 * states found, as an integral (k = 3), in closed form: with
	 * U = k n / m, (m / k) (U - 3 (1 - e^-U) + 3/2 (1 - e^-2U)
	 * - 1/3 (1 - e^-3U)).
	 */
	double m = (double)nbits, k = IRQSIM_BITSTATE_K;
	double u = k * (double)n / m;

	_Static_assert(IRQSIM_BITSTATE_K == 3, "the closed form is for k = 3");
	if (!nbits)
		return 0;
	return m / k * (u - 3 * -expm1(-u) + 1.5 * -expm1(-2 * u) -
			-expm1(-3 * u) / 3);
}

/*
 * The fingerprint of the world at @depth, from its parent's where the
 * parent's is known (irqsim_fingerprint_step(): only the words a
 * transition changed are hashed), and the level's canonical image for its
 * own children. The transaction reduction walks through states it does
 * not enter, so it hashes each whole.
 */
static void dfs_fingerprint(struct irqsim_dfs *d, size_t depth,
			    struct irqsim_fp *fp)
{
	const struct irqsim_model *m = d->model;
	const size_t ws = m->world_size;
	struct dfs_node *nd = &d->node[depth];
	const void *w = world_at(d, depth);
	const unsigned char *canon;

	canon = irqsim_canon(m, w, d->canons + depth * ws);
	if (depth && !d->tx && d->node[depth - 1].canon_ok) {
		const void *pw = world_at(d, depth - 1);

		irqsim_fingerprint_step(m, pw,
					irqsim_canon_at(m, pw,
							d->canons +
								(depth - 1) * ws),
					&d->node[depth - 1].fp0, w, canon, fp);
		if (d->check_fp) {
			struct irqsim_fp full;

			irqsim_fingerprint(m, w, d->scratch, &full);
			if (full.a != fp->a || full.b != fp->b) {
				fprintf(stderr,
					"irqsim: internal error: incremental fingerprint %016llx%016llx, whole %016llx%016llx at depth %zu\n",
					(unsigned long long)fp->a,
					(unsigned long long)fp->b,
					(unsigned long long)full.a,
					(unsigned long long)full.b, depth);
				abort();
			}
		}
	} else {
		irqsim_fingerprint(m, w, d->scratch, fp);
	}
	nd->fp0 = *fp;
	nd->canon_ok = !d->tx;
}

#define BUDGET_RET (-1000)

/*
 * dfs_enter()'s visited-set part on a shared set: the same decisions
 * under the stripe's lock. BUDGET_RET when the stripe is full at the
 * memory budget.
 */
static int shared_enter(struct irqsim_dfs *d, struct dfs_node *nd,
			struct irqsim_fp *fp, uint64_t sleep, uint16_t last,
			int pre)
{
	struct irqsim_dfs_shared *sh = d->shared;
	struct shared_stripe *s = &sh->stripe[fp->b >> 56];
	struct visited *v = &s->v;
	struct visited_entry *e;
	bool fresh;
	int ret = 1;

	if (d->opts.preemption_bound >= 0) {
		fp_add_last(fp, last);
		sleep = (uint64_t)pre;
	}
	pthread_mutex_lock(&s->lock);
	if (!v->capped && (v->n + 1) * 2 > v->mask + 1) {
		size_t grow = (v->mask + 1) * sizeof(*v->e);

		/* the new table beside the old one while it is rehashed */
		if (sh->max_bytes &&
		    ck_pr_load_64(&sh->bytes) + ck_pr_load_64(&sh->stacks) +
				    2 * grow >
			    sh->max_bytes) {
			v->capped = true;
		} else if (visited_grow(v)) {
			pthread_mutex_unlock(&s->lock);
			return ENOMEM_RET;
		} else {
			ck_pr_add_64(&sh->bytes, grow);
		}
	}
	if (v->capped && (v->n + 1) * 20 > (v->mask + 1) * 17) {
		pthread_mutex_unlock(&s->lock);
		ck_pr_store_8(&sh->budget, 1);
		return BUDGET_RET;
	}
	e = visited_slot(v->e, v->mask, fp);
	fresh = !e->a && !e->b;
	if (fresh) {
		e->a = fp->a;
		e->b = fp->b;
		e->sleep = sleep;
		v->n++;
	} else if (d->opts.preemption_bound >= 0) {
		if (e->sleep <= sleep)
			ret = 0;
		else
			e->sleep = sleep;
	} else if ((e->sleep & ~sleep) == 0) {
		ret = 0;
	} else {
		nd->todo = e->sleep & ~sleep;
		e->sleep &= sleep;
	}
	pthread_mutex_unlock(&s->lock);
	if (fresh)
		ck_pr_inc_64(&sh->n);
	if (!ret)
		d->st->pruned_visited++;
	d->fresh = fresh;
	return ret;
}

/*
 * Enter a new node at @depth whose world is already in place. Returns 1 to
 * explore it, 0 to prune it, <0 on error.
 */
static int dfs_enter(struct irqsim_dfs *d, size_t depth, uint64_t sleep, uint16_t last,
		     int pre, uint16_t post)
{
	struct dfs_node *nd = &d->node[depth];
	const void *w = world_at(d, depth);
	struct visited_entry *e;
	struct irqsim_fp fp;
	bool fresh;

	d->st->states++;
	dfs_fingerprint(d, depth, &fp);
	/* the slot's cache line is fetched while the model works */
	if (d->visited.e)
		__builtin_prefetch(&d->visited.e[fp.a & d->visited.mask]);
	nd->n = d->model->enabled(w, d->rt, nd->en);
	nd->next = 0;
	nd->sleep = sleep;
	nd->done = 0;
	nd->todo = ~0ULL;
	nd->last = last;
	nd->preemptions = pre;
	nd->post = post;
	if (post) {
		/* the phase of a transaction is part of the state */
		fp.a ^= mum(0xa0761d6478bd642fULL, post);
		fp.b ^= (uint64_t)post << 48;
	}
	nd->fp = fp;
	nd->tx_actor = -1;
	nd->forced = false;
	if (d->tx) {
		tx_candidate(d, nd, w);
		if (nd->tx_actor >= 0) {
			/*
			 * Stored only if its candidate is not taken alone
			 * (tx_step()): a state inside a transaction has one
			 * successor, and is walked through again rather than
			 * kept.
			 */
			d->fresh = true;
			tx_probe(d, w);
			return 1;
		}
	}
	if (d->shared)
		return shared_enter(d, nd, &fp, sleep, last, pre);
	if (d->opts.preemption_bound >= 0) {
		/*
		 * Under a preemption bound the key is the state and the
		 * transition taken last (whether the next switch is a
		 * preemption), the value the fewest preemptions it was
		 * entered with: a visit with as many or more has no more
		 * budget left, so it can reach nothing the first did not.
		 * One with fewer explores it again.
		 */
		fp_add_last(&fp, last);
		e = visited_get(&d->visited, &fp, (uint64_t)pre, &fresh);
		if (!e)
			return ENOMEM_RET;
		d->fresh = fresh;
		if (fresh)
			return 1;
		if (e->sleep <= (uint64_t)pre) {
			d->st->pruned_visited++;
			return 0;
		}
		e->sleep = (uint64_t)pre;
		return 1;
	}
	if (d->bits) {
		d->fresh = bitstate_in(d, &fp);
		if (!d->fresh)
			d->st->pruned_visited++;
		return d->fresh;
	}
	e = visited_get(&d->visited, &fp, sleep, &fresh);
	if (!e)
		return ENOMEM_RET;
	d->fresh = fresh;
	if (fresh && d->tx)
		tx_probe(d, w);
	if (fresh)
		return 1;
	if ((e->sleep & ~sleep) == 0) {
		d->st->pruned_visited++;
		return 0;
	}
	nd->todo = e->sleep & ~sleep;
	e->sleep &= sleep;
	return 1;
}

struct irqsim_dfs *irqsim_dfs_new(const struct irqsim_model *model,
				  const struct irqsim_rt *rt,
				  const struct irqsim_dfs_opts *opts)
{
	struct irqsim_dfs *d = irqsim_calloc(1, sizeof(*d));
	size_t ws = model->world_size;

	if (!d)
		return NULL;
	d->model = model;
	d->rt = rt;
	d->opts = *opts;
	/* the caller shares no set with a bitstate or transaction search */
	d->shared = opts->shared;
	d->ids = irqsim_calloc(1, sizeof(*d->ids));
	d->scratch = irqsim_malloc(ws);
	d->scratch2 = irqsim_malloc(ws);
	/* a test's switch: every incremental fingerprint checked whole */
	d->check_fp = getenv("IRQSIM_CHECK_FINGERPRINTS") != NULL;
	d->tmp1 = irqsim_malloc(ws);
	d->tmp2 = irqsim_malloc(ws);
	/* not under a preemption bound: see irqsim_dfs_opts */
	d->sleep_ok = opts->sleep_sets && opts->preemption_bound < 0 &&
		      !d->shared;
	d->tx = opts->transactions && opts->preemption_bound < 0 &&
		model->transition_actor;
	if (opts->bitstate_bytes) {
		d->nbits = opts->bitstate_bytes / 8 * 64;
		if (!d->nbits)
			d->nbits = 64;
		d->bits = irqsim_calloc(d->nbits / 64, sizeof(uint64_t));
		d->sleep_ok = d->tx = false;
		if (!d->bits) {
			irqsim_dfs_free(d);
			return NULL;
		}
	}
	if (d->tx)
		d->sleep_ok = false;
	if (!d->ids || !d->scratch || !d->scratch2 || !d->tmp1 || !d->tmp2 ||
	    (!d->shared && visited_init(&d->visited, 1 << 16)) ||
	    dfs_reserve(d, 0)) {
		irqsim_dfs_free(d);
		return NULL;
	}
	return d;
}

static void add_visible(void *arg, size_t off, size_t len)
{
	irqsim_fp_mark_visible(arg, off, len);
}

/*
 * The transaction reduction's bytes (d->sp): the step counter, what the
 * model's canonical() clears (history) and the engine's lock and wait
 * bookkeeping are no accesses (a lock's acquisition and release are
 * judged as such: tx_step()); what the model's invariant reads is
 * visible.
 */
static int tx_setup(struct irqsim_dfs *d, const void *init)
{
	const struct irqsim_model *model = d->model;
	struct irqsim_fpset fs;

	if (!irqsim_fp_available() || !model->transition_actor ||
	    !model->nprocs || !model->proc_next)
		return -95;	/* -EOPNOTSUPP */
	d->nprocs = model->nprocs(d->rt);
	if (irqsim_fp_space_init(&d->sp, model->world_size))
		return ENOMEM_RET;
	if (model->invariant_bytes)
		model->invariant_bytes(d->rt, add_visible, &d->sp);
	irqsim_fp_ignore_range(&d->sp, offsetof(struct sched_world, step),
			       sizeof(((struct sched_world *)0)->step));
	irqsim_fp_ignore_range(&d->sp, offsetof(struct sched_world, warnings),
			       sizeof(((struct sched_world *)0)->warnings));
	irqsim_fp_ignore_range(&d->sp, offsetof(struct sched_world, waiters),
			       sizeof(((struct sched_world *)0)->waiters));
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++) {
		size_t act = offsetof(struct sched_world, actor) +
			     (size_t)a * sizeof(struct irqsim_actor);

		irqsim_fp_ignore_range(&d->sp,
				       act + offsetof(struct irqsim_actor, blocked),
				       sizeof(((struct irqsim_actor *)0)->blocked));
		irqsim_fp_ignore_range(&d->sp,
				       act + offsetof(struct irqsim_actor, wait_token),
				       sizeof(((struct irqsim_actor *)0)->wait_token));
	}
	if (model->canonical) {
		if (irqsim_fpset_init(&d->sp, &fs))
			return ENOMEM_RET;
		memcpy(d->scratch, init, model->world_size);
		irqsim_fp_begin(&d->sp, &fs, d->scratch);
		model->canonical(d->scratch);
		irqsim_fp_end();
		irqsim_fp_ignore_writes(&d->sp, &fs);
		irqsim_fpset_free(&fs);
	}
	return irqsim_fp_locksets_init(&d->ls, &d->sp) ? ENOMEM_RET : 0;
}

void irqsim_dfs_free(struct irqsim_dfs *d)
{
	if (!d)
		return;
	free(d->visited.e);
	free(d->worlds);
	free(d->canons);
	free(d->node);
	free(d->ids);
	free(d->scratch);
	free(d->scratch2);
	free(d->tmp1);
	free(d->tmp2);
	free(d->bits);
	irqsim_fp_locksets_free(&d->ls);
	if (d->sp.ignore)
		irqsim_fp_space_free(&d->sp);
	free(d);
}

size_t irqsim_dfs_bytes(const struct irqsim_dfs *d)
{
	size_t stack = d->cap * (2 * d->model->world_size +
				 sizeof(struct dfs_node));

	if (d->shared)	/* the worker's own part */
		return stack;
	return (d->visited.mask + 1) * sizeof(struct visited_entry) + stack +
	       sizeof(*d->ids) + d->nbits / 8;
}

/*
 * The distinct states at which opts.max_bytes stops the search, for a
 * progress line's estimate: the visited set doubles on the insert that
 * would fill half of it, while the doubled set fits beside the rest (the
 * stack as it is now, so this is an estimate: a deeper stack needs
 * more); once a doubling does not fit, the table fills to 85% and the
 * search stops there. 0 without a budget.
 */
static uint64_t budget_distinct(const struct irqsim_dfs *d)
{
	size_t e = sizeof(struct visited_entry), slots = d->visited.mask + 1;
	size_t rest = irqsim_dfs_bytes(d) - slots * e;
	size_t max = d->opts.max_bytes;

	if (!max || d->bits)	/* a bit array is full from the start */
		return 0;
	while (rest + slots * e + slots * 2 * e <= max)
		slots *= 2;
	return slots / 20 * 17;
}

void irqsim_dfs_memory(const struct irqsim_dfs *d, struct irqsim_dfs_memory *m)
{
	m->entry_bytes = sizeof(struct visited_entry);
	m->slots = d->visited.mask + 1;
	m->used = d->visited.n;
	m->level_bytes = d->model->world_size + sizeof(struct dfs_node);
	m->levels = d->cap;
	m->total = irqsim_dfs_bytes(d);
}

/* Tell opts.visit: out of line, so the search pays only the test. */
static void __attribute__((noinline, cold))
dfs_visit(struct irqsim_dfs *d, const void *from, const void *to, uint16_t t,
	  size_t depth, bool fresh)
{
	struct irqsim_dfs_visit v = {
		.dfs = d, .from = from, .to = to, .t = t, .fresh = fresh,
		.depth = depth,
	};

	if (fresh) {
		v.en = d->node[depth].en;
		v.n = d->node[depth].n;
	}
	d->opts.visit(&v, d->opts.visit_arg);
}

/*
 * Tell opts.checkpoint, with the stack's top at @depth (a node just
 * entered, none of its transitions taken) and the stats current: out of
 * line, so the search pays only the test.
 */
static void __attribute__((noinline, cold))
dfs_checkpoint(struct irqsim_dfs *d, size_t depth, double before, double t0,
	       bool last)
{
	struct irqsim_dfs_stats *st = d->st;

	d->depth = depth;
	st->distinct = irqsim_dfs_distinct(d);
	st->seconds = before + irqsim_now_seconds() - t0;
	if (irqsim_dfs_bytes(d) > st->peak_bytes)
		st->peak_bytes = irqsim_dfs_bytes(d);
	d->opts.checkpoint(d, last, d->opts.checkpoint_arg);
}

static bool wanted(const struct irqsim_dfs *d, const struct irqsim_verdict *v)
{
	return !d->opts.want_kind || v->kind == d->opts.want_kind;
}

/* Count of states stored so far. */
uint64_t irqsim_dfs_distinct(const struct irqsim_dfs *d)
{
	if (d->bits)
		return d->bit_states;
	if (d->shared)
		return ck_pr_load_64(&d->shared->n);
	return d->visited.n;
}

int irqsim_dfs_search(struct irqsim_dfs *d, const void *start,
		      const struct irqsim_schedule *prefix,
		      struct irqsim_dfs_stats *st,
		      struct irqsim_verdict *violation,
		      struct irqsim_schedule *sc)
{
	const struct irqsim_model *model = d->model;
	const struct irqsim_rt *rt = d->rt;
	const struct irqsim_dfs_opts *opts = &d->opts;
	size_t ws = model->world_size, depth = 0;
	size_t base = prefix ? prefix->n : 0;
	/* the searches before this one (a worker's earlier entries) */
	double before = st->seconds;
	double t0 = irqsim_now_seconds();
	/* every 65536 states entered (revisits count, so not at exact multiples) */
	uint64_t progress_at = (st->states | 0xffff) + 1;
	/* checkpoints: of one search from the start, with a visited set
	 * of its own, without transactions (sched/checkpoint.h) */
	bool ckpt = opts->checkpoint && !prefix && !d->shared && !d->tx;
	bool periodic = opts->progress || ckpt;
	int ret = 0, rc;

	uint32_t want = model->windows ? rt->windows & ~st->windows : 0;

	d->st = st;
	d->prefix = prefix;
	st->bitstate_bits = d->nbits;
	memset(violation, 0, sizeof(*violation));
	if (d->loaded) {
		/* irqsim_dfs_load() rebuilt the stack: on from its top */
		d->loaded = false;
		depth = d->depth;
	} else {
		memcpy(world_at(d, 0), start, ws);
		st->windows |= irqsim_windows(model, rt, start, &want);
		rc = dfs_enter(d, 0, 0,
			       prefix && prefix->n ? prefix->t[prefix->n - 1] : 0,
			       0, 0);
		if (rc == BUDGET_RET) {
			st->complete = st->pb_complete = false;
			st->budget = true;
			goto out;
		}
		if (rc <= 0) {
			ret = rc < 0 ? rc : 0;
			goto out;
		}
		if (opts->visit && d->fresh)
			dfs_visit(d, NULL, start, 0, 0, true);
		if (d->node[0].n == 0) {
			st->end_states++;
			if (model->check_end(start, rt, false, violation) &&
			    wanted(d, violation)) {
				ret = record_path(d, 0, -1, sc);
				goto out;
			}
			memset(violation, 0, sizeof(*violation));
		}
	}
	for (;;) {
		struct dfs_node *nd = &d->node[depth];
		void *w = world_at(d, depth);
		uint64_t child_sleep = 0;
		int i, b = -1, pre;
		uint16_t post;
		uint16_t t;
		void *cw;

		/* the next transition of this node worth taking */
		for (i = nd->next; i < nd->n; i++) {
			b = d->sleep_ok ? bit_of(d->ids, nd->en[i]) : -1;
			if (d->sleep_ok && b < 0) {
				/* more than 64 transition codes: no POR */
				d->sleep_ok = false;
				for (size_t k = 0; k <= depth; k++)
					d->node[k].sleep = 0;
			}
			if (b >= 0 && (nd->sleep >> b & 1)) {
				st->pruned_sleep++;
				continue;
			}
			if (b >= 0 && !(nd->todo >> b & 1))
				continue;
			break;
		}
		if (i >= nd->n) {
			if (depth == 0)
				break;
			depth--;
			continue;
		}
		nd->next = i + 1;
		t = nd->en[i];
		pre = nd->preemptions;
		if ((depth || base) && t != nd->last &&
		    is_enabled(nd->en, nd->n, nd->last))
			pre++;
		if (opts->preemption_bound >= 0 && pre > opts->preemption_bound) {
			st->pruned_bound++;
			st->complete = false;
			continue;
		}
		if (dfs_reserve(d, depth + 1)) {
			ret = ENOMEM_RET;
			goto out;
		}
		nd = &d->node[depth];
		w = world_at(d, depth);
		cw = world_at(d, depth + 1);
		irqsim_world_copy(model, cw, w);
		if (d->tx)
			tx_fire(d, w, cw, t);
		else
			fire(d, cw, t);
		st->transitions++;
		nd->taken = t;
		post = 0;
		if (d->tx) {
			rc = tx_step(d, depth, i, w, cw, t, &post);
			if (rc < 0) {
				ret = rc;
				goto out;
			}
			if (!rc)
				continue;	/* met again: the node is done */
		}
		if (opts->visit)
			dfs_visit(d, w, cw, t, depth + 1, false);
		st->windows |= irqsim_windows(model, rt, cw, &want);
		if (model->check_step(cw, rt, violation) && wanted(d, violation)) {
			ret = record_path(d, depth, t, sc);
			break;
		}
		memset(violation, 0, sizeof(*violation));
		/* sleep set of the child: earlier siblings and inherited
		 * sleepers that commute with t here */
		if (d->sleep_ok) {
			uint64_t cand = nd->sleep | nd->done;

			for (int j = 0; j < nd->n && cand; j++) {
				int bj = d->ids->bit[nd->en[j]] - 1;

				if (bj < 0 || !(cand >> bj & 1) || nd->en[j] == t)
					continue;
				if (independent(d, w, cw, t, nd->en[j]))
					child_sleep |= 1ULL << bj;
			}
			nd->done |= 1ULL << b;
		}
		if (base + depth + 1 > st->max_depth)
			st->max_depth = (uint32_t)(base + depth + 1);
		if (base + depth + 1 >= opts->bound) {
			uint16_t en[IRQSIM_MAX_ENABLED];

			if (model->enabled(cw, rt, en)) {
				st->pruned_bound++;
				st->complete = st->pb_complete = false;
				continue;
			}
		}
		/*
		 * The visited set doubles on this insert: within the budget?
		 * If not, it fills up to 85% (linear probing then takes about
		 * 22 probes to insert, instead of 2.5 at half full) and the
		 * search stops there: 1.7 times the states a stop at the
		 * doubling would leave.
		 */
		if (opts->max_bytes && !d->bits && !d->shared &&
		    (d->visited.n + 1) * 2 > d->visited.mask + 1) {
			if (!d->visited.capped &&
			    irqsim_dfs_bytes(d) + (d->visited.mask + 1) * 2 *
					sizeof(struct visited_entry) >
				    opts->max_bytes)
				d->visited.capped = true;
			if (d->visited.capped &&
			    (d->visited.n + 1) * 20 > (d->visited.mask + 1) * 17) {
				st->complete = st->pb_complete = false;
				st->budget = true;
				break;
			}
		}
		rc = dfs_enter(d, depth + 1, child_sleep, t, pre, post);
		if (rc == BUDGET_RET) {
			st->complete = st->pb_complete = false;
			st->budget = true;
			break;
		}
		if (rc < 0) {
			ret = rc;
			goto out;
		}
		if (!rc)
			continue;
		if (opts->visit && d->fresh)
			dfs_visit(d, w, cw, t, depth + 1, true);
		if (d->node[depth + 1].n == 0) {
			/* quiescent: judge the end state */
			st->end_states += d->fresh;
			if (model->check_end(cw, rt, false, violation) &&
			    wanted(d, violation)) {
				ret = record_path(d, depth, t, sc);
				break;
			}
			memset(violation, 0, sizeof(*violation));
			continue;
		}
		depth++;
		/* a last checkpoint, from the stats as they are before the stop */
		if (opts->max_states &&
		    irqsim_dfs_distinct(d) >= opts->max_states) {
			if (ckpt)
				dfs_checkpoint(d, depth, before, t0, true);
			st->complete = st->pb_complete = false;
			break;
		}
		if (opts->stop && *opts->stop) {
			if (ckpt)
				dfs_checkpoint(d, depth, before, t0, true);
			st->complete = st->pb_complete = false;
			st->stopped = true;
			break;
		}
		/* another worker filled its part of the shared set */
		if (d->shared && ck_pr_load_8(&d->shared->budget)) {
			st->complete = st->pb_complete = false;
			st->budget = true;
			break;
		}
		if (periodic && st->states >= progress_at) {
			progress_at = (st->states | 0xffff) + 1;
			if (opts->progress) {
				st->distinct = irqsim_dfs_distinct(d);
				st->seconds = before + irqsim_now_seconds() - t0;
				if (irqsim_dfs_bytes(d) > st->peak_bytes)
					st->peak_bytes = irqsim_dfs_bytes(d);
				st->budget_distinct = budget_distinct(d);
				opts->progress(st, opts->progress_arg);
			}
			if (ckpt)
				dfs_checkpoint(d, depth, before, t0, false);
		}
	}
out:
	if (violation->kind)
		st->complete = st->pb_complete = false;
	st->distinct = irqsim_dfs_distinct(d);
	st->seconds = before + irqsim_now_seconds() - t0;
	if (irqsim_dfs_bytes(d) > st->peak_bytes)
		st->peak_bytes = irqsim_dfs_bytes(d);
	return ret;
}

int irqsim_dfs(const struct irqsim_model *model, const struct irqsim_rt *rt,
	       const void *init, const struct irqsim_dfs_opts *opts,
	       struct irqsim_dfs_stats *st, struct irqsim_verdict *violation,
	       struct irqsim_schedule *sc)
{
	struct irqsim_dfs *d = irqsim_dfs_new(model, rt, opts);
	int ret;

	memset(st, 0, sizeof(*st));
	st->complete = st->pb_complete = true;
	memset(violation, 0, sizeof(*violation));
	if (!d)
		return ENOMEM_RET;
	if (d->tx && (ret = tx_setup(d, init))) {
		irqsim_dfs_free(d);
		return ret;
	}
	for (;;) {
		uint32_t restarts = st->tx_restarts;
		double seconds = st->seconds;

		ret = irqsim_dfs_search(d, init, NULL, st, violation, sc);
		/*
		 * A step taken alone touched bytes that turned out to be
		 * shared without a lock: the reduction assumed too much.
		 * Search again, knowing better (the bytes stay unprotected,
		 * so the steps that touch them are no longer taken alone).
		 */
		if (ret || !d->tx || violation->kind || !st->complete)
			break;
		st->tx_broken = irqsim_fp_locksets_broken(&d->ls);
		if (!st->tx_broken)
			break;
		irqsim_fp_locksets_restart(&d->ls);
		d->visited.n = 0;
		memset(d->visited.e, 0,
		       (d->visited.mask + 1) * sizeof(*d->visited.e));
		memset(st, 0, sizeof(*st));
		st->complete = st->pb_complete = true;
		st->tx_restarts = restarts + 1;
		st->seconds = seconds;
	}
	if (d->tx)
		st->tx_unprotected = irqsim_fp_locksets_unprotected(&d->ls);


	irqsim_dfs_free(d);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Checkpoints (sched/checkpoint.h)                                    */

int irqsim_dfs_save(const struct irqsim_dfs *d, FILE *f,
		    const struct irqsim_ckpt_id *id)
{
	struct irqsim_ckpt_writer w;
	uint16_t code[64];

	if (d->prefix || d->shared || d->tx || !d->st || d->depth >= d->cap)
		return -EINVAL;
	irqsim_ckpt_begin(&w, f, IRQSIM_CKPT_DFS, id);
	/* the settings, which the reader checks against its own */
	irqsim_ckpt_put_u32(&w, (uint32_t)d->model->world_size);
	irqsim_ckpt_put_u32(&w, d->opts.bound);
	irqsim_ckpt_put_u32(&w, (uint32_t)d->opts.preemption_bound);
	irqsim_ckpt_put_u8(&w, d->opts.sleep_sets);
	irqsim_ckpt_put_u64(&w, d->nbits);
	irqsim_ckpt_put_dfs_stats(&w, d->st);
	/* the transition codes of the sleep sets' bits, in bit order */
	for (int t = 0; t < 65536; t++)
		if (d->ids->bit[t])
			code[d->ids->bit[t] - 1] = (uint16_t)t;
	irqsim_ckpt_put_u8(&w, d->sleep_ok);
	irqsim_ckpt_put_u32(&w, (uint32_t)d->ids->n);
	for (int i = 0; i < d->ids->n; i++)
		irqsim_ckpt_put_u16(&w, code[i]);
	/* the stack: the top is a node just entered, nothing taken yet */
	irqsim_ckpt_put_u64(&w, d->cap);
	irqsim_ckpt_put_u64(&w, d->depth);
	for (size_t k = 0; k <= d->depth; k++) {
		const struct dfs_node *nd = &d->node[k];

		irqsim_ckpt_put_u16(&w, k < d->depth ? nd->taken : 0);
		irqsim_ckpt_put_u32(&w, (uint32_t)nd->next);
		irqsim_ckpt_put_u64(&w, nd->sleep);
		irqsim_ckpt_put_u64(&w, nd->done);
		irqsim_ckpt_put_u64(&w, nd->todo);
		irqsim_ckpt_put_fp(&w, &nd->fp);
	}
	if (d->bits) {
		irqsim_ckpt_put_u64(&w, d->bit_states);
		for (uint64_t i = 0; i < d->nbits / 64; i++)
			irqsim_ckpt_put_u64(&w, d->bits[i]);
	} else {
		irqsim_ckpt_put_visited(&w, &d->visited);
	}
	return irqsim_ckpt_end(&w);
}

/* The settings a checkpoint was written with, against @d's. */
static int load_settings(struct irqsim_dfs *d, struct irqsim_ckpt_reader *r)
{
	uint32_t ws = irqsim_ckpt_get_u32(r);
	uint32_t bound = irqsim_ckpt_get_u32(r);
	int32_t pb = (int32_t)irqsim_ckpt_get_u32(r);
	uint8_t sleep_sets = irqsim_ckpt_get_u8(r);
	uint64_t nbits = irqsim_ckpt_get_u64(r);

	if (r->why)
		return -EINVAL;
	if (ws != d->model->world_size)
		return irqsim_ckpt_bad(r, "written for a model whose state has %u bytes, not %zu",
				       ws, d->model->world_size);
	if (bound != d->opts.bound)
		return irqsim_ckpt_bad(r, "a search up to %u steps, not %u",
				       bound, d->opts.bound);
	if (pb != d->opts.preemption_bound)
		return irqsim_ckpt_bad(r, "a search with preemption bound %d, not %d",
				       pb, d->opts.preemption_bound);
	if (sleep_sets != d->opts.sleep_sets)
		return irqsim_ckpt_bad(r, "a search %s sleep sets",
				       sleep_sets ? "with" : "without");
	if (nbits != d->nbits)
		return irqsim_ckpt_bad(r, "a search with %llu bits of bitstate, not %llu",
				       (unsigned long long)nbits,
				       (unsigned long long)d->nbits);
	return 0;
}

/*
 * The stack of @depth + 1 levels: each world replayed from @init by the
 * transitions taken (the model is deterministic), its transitions listed
 * again, its fingerprint computed again and compared with the one
 * written; the transition taken must be the one before the next to try,
 * the last transition and the preemptions follow from the levels below.
 */
static int load_stack(struct irqsim_dfs *d, const void *init,
		      struct irqsim_ckpt_reader *r, size_t depth)
{
	const struct irqsim_model *m = d->model;

	for (size_t k = 0; k <= depth; k++) {
		struct dfs_node *nd = &d->node[k];
		void *w = world_at(d, k);
		uint16_t taken = irqsim_ckpt_get_u16(r);
		uint32_t next = irqsim_ckpt_get_u32(r);
		struct irqsim_fp fp, want;

		nd->sleep = irqsim_ckpt_get_u64(r);
		nd->done = irqsim_ckpt_get_u64(r);
		nd->todo = irqsim_ckpt_get_u64(r);
		irqsim_ckpt_get_fp(r, &want);
		if (r->why)
			return -EINVAL;
		if (!k) {
			memcpy(w, init, m->world_size);
			nd->last = 0;
			nd->preemptions = 0;
		} else {
			struct dfs_node *up = &d->node[k - 1];
			int pre = up->preemptions;

			irqsim_world_copy(m, w, world_at(d, k - 1));
			fire(d, w, up->taken);
			if (k > 1 && up->taken != up->last &&
			    is_enabled(up->en, up->n, up->last))
				pre++;
			if (d->opts.preemption_bound >= 0 &&
			    pre > d->opts.preemption_bound)
				return irqsim_ckpt_bad(r, "level %zu of its stack is past the preemption bound",
						       k);
			nd->last = up->taken;
			nd->preemptions = pre;
		}
		nd->n = m->enabled(w, d->rt, nd->en);
		/* dfs_fingerprint()'s result, hashed whole (it stays inline
		 * in dfs_enter(), the hot path): the level's canonical image
		 * for its children */
		irqsim_canon(m, w, d->canons + k * m->world_size);
		irqsim_fingerprint(m, w, d->scratch, &fp);
		nd->fp0 = fp;
		nd->canon_ok = true;
		if (fp.a != want.a || fp.b != want.b)
			return irqsim_ckpt_bad(r, "level %zu of its stack does not replay to the state written (another model or trace)",
					       k);
		if (next > (uint32_t)nd->n || (k < depth && !next) ||
		    (k < depth && nd->en[next - 1] != taken))
			return irqsim_ckpt_bad(r, "level %zu of its stack took a transition its state does not have",
					       k);
		nd->fp = fp;
		nd->next = (int)next;
		nd->taken = taken;
		nd->post = 0;
		nd->tx_actor = -1;
		nd->forced = false;
	}
	return 0;
}

int irqsim_dfs_load(struct irqsim_dfs *d, const void *init,
		    struct irqsim_ckpt_reader *r, struct irqsim_dfs_stats *st)
{
	uint64_t cap, depth, most;
	uint32_t nids;
	uint8_t sleep_ok;
	int ret;

	if (r->why)
		return -EINVAL;
	if (r->kind != IRQSIM_CKPT_DFS)
		return irqsim_ckpt_bad(r, "a checkpoint of another kind of search (%u), not of one dfs",
				       r->kind);
	if (d->shared || d->tx)
		return irqsim_ckpt_bad(r, "a search that shares its visited set or reduces by transactions takes no checkpoint");
	if ((ret = load_settings(d, r)))
		return ret;
	irqsim_ckpt_get_dfs_stats(r, st);
	sleep_ok = irqsim_ckpt_get_u8(r);
	nids = irqsim_ckpt_get_u32(r);
	if (r->why)
		return -EINVAL;
	/* sleep sets go off for good past 64 codes, never on */
	if (sleep_ok > d->sleep_ok || nids > 64 ||
	    st->max_depth > d->opts.bound)
		return irqsim_ckpt_bad(r, "sleep sets or depths no search of these settings has");
	for (uint32_t i = 0; i < nids; i++) {
		uint16_t t = irqsim_ckpt_get_u16(r);

		if (r->why)
			return -EINVAL;
		if (d->ids->bit[t])
			return irqsim_ckpt_bad(r, "a transition numbered twice in its sleep sets");
		d->ids->bit[t] = (uint8_t)(i + 1);
	}
	d->ids->n = (int)nids;
	d->sleep_ok = sleep_ok;
	cap = irqsim_ckpt_get_u64(r);
	depth = irqsim_ckpt_get_u64(r);
	/*
	 * The stack it allocated (so the memory it counts is the same): a
	 * power of two from 64, above every depth reserved, and every depth
	 * reserved is one a schedule reached (st->max_depth). A node on it
	 * has a transition left within the bound.
	 */
	most = 2 * (uint64_t)st->max_depth;
	if (most < 64)
		most = 64;
	if (r->why)
		return -EINVAL;
	if (cap < 64 || cap > most || (cap & (cap - 1)) || depth >= cap ||
	    depth > st->max_depth || depth >= d->opts.bound)
		return irqsim_ckpt_bad(r, "a stack of %llu levels in %llu: not one a search of these settings has",
				       (unsigned long long)depth + 1,
				       (unsigned long long)cap);
	if (dfs_reserve(d, (size_t)cap - 1))
		return ENOMEM_RET;
	if ((ret = load_stack(d, init, r, (size_t)depth)))
		return ret;
	if (d->bits) {
		uint64_t set = 0;

		d->bit_states = irqsim_ckpt_get_u64(r);
		for (uint64_t i = 0; i < d->nbits / 64; i++) {
			d->bits[i] = irqsim_ckpt_get_u64(r);
			set += (uint64_t)__builtin_popcountll(d->bits[i]);
		}
		/* each new state set one bit at least */
		if (!r->why && d->bit_states > set)
			return irqsim_ckpt_bad(r, "%llu states in %llu bits set",
					       (unsigned long long)d->bit_states,
					       (unsigned long long)set);
	} else if ((ret = irqsim_ckpt_get_visited(r, &d->visited,
						  d->visited.mask + 1))) {
		return ret;
	}
	if (r->why)
		return -EINVAL;
	if (r->left)
		return irqsim_ckpt_bad(r, "%llu bytes after the search's state",
				       (unsigned long long)r->left);
	st->distinct = irqsim_dfs_distinct(d);
	d->depth = (size_t)depth;
	d->loaded = true;
	return 0;
}

int irqsim_dfs_resume(const struct irqsim_model *model,
		      const struct irqsim_rt *rt, const void *init,
		      const struct irqsim_dfs_opts *opts,
		      struct irqsim_ckpt_reader *r,
		      struct irqsim_dfs_stats *st,
		      struct irqsim_verdict *violation,
		      struct irqsim_schedule *sc)
{
	struct irqsim_dfs *d = irqsim_dfs_new(model, rt, opts);
	int ret;

	memset(st, 0, sizeof(*st));
	memset(violation, 0, sizeof(*violation));
	if (!d)
		return ENOMEM_RET;
	ret = irqsim_dfs_load(d, init, r, st);
	if (!ret)
		ret = irqsim_dfs_search(d, init, NULL, st, violation, sc);
	irqsim_dfs_free(d);
	return ret;
}

struct irqsim_dfs_shared *irqsim_dfs_shared_new(size_t max_bytes)
{
	struct irqsim_dfs_shared *sh = irqsim_calloc(1, sizeof(*sh));

	if (!sh)
		return NULL;
	sh->max_bytes = max_bytes;
	for (int i = 0; i < SHARED_STRIPES; i++) {
		pthread_mutex_init(&sh->stripe[i].lock, NULL);
		if (visited_init(&sh->stripe[i].v, 1 << 10)) {
			irqsim_dfs_shared_free(sh);
			return NULL;
		}
		sh->bytes += (1 << 10) * sizeof(struct visited_entry);
	}
	return sh;
}

void irqsim_dfs_shared_free(struct irqsim_dfs_shared *sh)
{
	if (!sh)
		return;
	for (int i = 0; i < SHARED_STRIPES; i++) {
		pthread_mutex_destroy(&sh->stripe[i].lock);
		free(sh->stripe[i].v.e);
	}
	free(sh);
}

uint64_t irqsim_dfs_shared_distinct(const struct irqsim_dfs_shared *sh)
{
	return ck_pr_load_64((uint64_t *)&sh->n);
}

size_t irqsim_dfs_shared_bytes(const struct irqsim_dfs_shared *sh)
{
	return (size_t)ck_pr_load_64((uint64_t *)&sh->bytes) + sizeof(*sh);
}

/* Before the workers start: @fp explored whole (an empty sleep set). */
static int shared_add(struct irqsim_dfs_shared *sh, const struct irqsim_fp *fp)
{
	struct visited *v = &sh->stripe[fp->b >> 56].v;
	size_t slots = v->mask + 1;
	struct visited_entry *e;
	bool fresh;

	e = visited_get(v, fp, 0, &fresh);
	if (!e)
		return ENOMEM_RET;
	sh->bytes += (v->mask + 1 - slots) * sizeof(*e);
	sh->n += fresh;
	return 0;
}

/*
 * The frontier: the distinct states at @depth (or earlier ends), each with
 * the schedule that reaches it, in depth-first order. Every schedule of the
 * scenario passes through exactly one of them, so searching each from its
 * state covers the whole space; workers and shards split this list.
 */
int irqsim_frontier(const struct irqsim_model *model,
		    const struct irqsim_rt *rt, const void *init,
		    uint32_t depth, struct irqsim_frontier *fr,
		    struct irqsim_dfs_shared *sh)
{
	size_t ws = model->world_size;
	struct visited seen;
	struct irqsim_schedule path;
	uint16_t (*en)[IRQSIM_MAX_ENABLED] = NULL;
	int *n = NULL, *next = NULL;
	unsigned char *worlds = NULL;
	void *scratch = irqsim_malloc(ws);
	size_t lvl = 0;
	int ret = ENOMEM_RET;
	uint32_t want = model->windows ? rt->windows : 0;

	memset(fr, 0, sizeof(*fr));
	irqsim_schedule_init(&path);
	en = irqsim_calloc(depth + 1, sizeof(*en));
	n = irqsim_calloc(depth + 1, sizeof(*n));
	next = irqsim_calloc(depth + 1, sizeof(*next));
	worlds = irqsim_malloc((depth + 1) * ws);
	if (!scratch || !en || !n || !next || !worlds ||
	    visited_init(&seen, 1 << 12))
		goto out;
	memcpy(worlds, init, ws);
	fr->windows = irqsim_windows(model, rt, init, &want);
	n[0] = depth ? model->enabled(init, rt, en[0]) : 0;
	if (!n[0]) {
		if (frontier_push(fr, &path))
			goto out_seen;
	} else if (sh) {
		struct irqsim_fp fp;

		irqsim_fingerprint(model, init, scratch, &fp);
		if (shared_add(sh, &fp))
			goto out_seen;
	}
	while (n[0]) {
		struct irqsim_verdict v;
		struct irqsim_fp fp;
		bool fresh;
		void *cw;

		if (next[lvl] >= n[lvl]) {
			if (lvl == 0)
				break;
			lvl--;
			path.n--;
			continue;
		}
		cw = worlds + (lvl + 1) * ws;
		memcpy(cw, worlds + lvl * ws, ws);
		irqsim_fire(model, rt, cw, en[lvl][next[lvl]]);
		if (irqsim_schedule_push(&path, en[lvl][next[lvl]]))
			goto out_seen;
		next[lvl]++;
		irqsim_fingerprint(model, cw, scratch, &fp);
		if (!visited_get(&seen, &fp, 0, &fresh))
			goto out_seen;
		if (!fresh) {
			path.n--;
			continue;
		}
		fr->windows |= irqsim_windows(model, rt, cw, &want);
		n[lvl + 1] = model->check_step(cw, rt, &v) || lvl + 1 == depth ?
				     0 :
				     model->enabled(cw, rt, en[lvl + 1]);
		if (!n[lvl + 1]) {
			if (frontier_push(fr, &path))
				goto out_seen;
			path.n--;
			continue;
		}
		/* searched here, not by a worker: the workers' set has it */
		if (sh && shared_add(sh, &fp))
			goto out_seen;
		next[++lvl] = 0;
	}
	ret = 0;
out_seen:
	free(seen.e);
out:
	if (ret)
		irqsim_frontier_free(fr);
	irqsim_schedule_free(&path);
	free(en);
	free(n);
	free(next);
	free(worlds);
	free(scratch);
	return ret;
}
