// SPDX-License-Identifier: MIT
/*
 * Parallel workers: a shared run counter and a shared "lowest failing
 * index" (ck_pr atomics), one ck_ring per worker that carries what it
 * found back to the calling thread.
 *
 * Why the answer does not depend on the number of workers: runs are
 * handed out in increasing order, a worker stops only at indices above
 * the lowest failure known so far, so every index below the lowest
 * failure is run, and the lowest failing index is the same one a single
 * worker would stop at.
 */
#include "sched/parallel.h"
#include "sched/alloc.h"

#include <ck_pr.h>
#include <ck_ring.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENOMEM_RET (-12)
#define MAX_JOBS 64
#define RING_SIZE 8

struct found {
	uint64_t index;
	struct irqsim_verdict verdict;
	struct irqsim_schedule schedule;
};

struct worker {
	pthread_t thread;
	int id;
	struct shared *sh;
	ck_ring_t ring;
	ck_ring_buffer_t buf[RING_SIZE];
	uint64_t done, steps;		/* read by the caller: ck_pr */
	uint32_t windows;		/* read by the caller after the join */
	struct irqsim_dfs_stats st;
	bool stopped;
	int err;
};

struct shared {
	const struct irqsim_model *model;
	const struct irqsim_rt *rt;
	const void *init;
	const struct irqsim_sweep *sw;
	const struct irqsim_pdfs *pd;
	const struct irqsim_frontier *fr;
	struct irqsim_dfs_shared *visited;	/* the workers' one set */
	uint64_t next;			/* next local run index */
	uint64_t best;			/* lowest failing index, or ~0 */
	unsigned int finished;
	int jobs;
};

static void lower_best(uint64_t *best, uint64_t index)
{
	uint64_t cur = ck_pr_load_64(best);

	while (index < cur && !ck_pr_cas_64_value(best, cur, index, &cur))
		;
}

static void send_found(struct worker *wk, uint64_t index,
		       const struct irqsim_verdict *v,
		       const struct irqsim_schedule *sc)
{
	struct found *f = irqsim_calloc(1, sizeof(*f));

	if (!f || irqsim_schedule_copy(&f->schedule, sc)) {
		if (f)
			irqsim_schedule_free(&f->schedule);
		free(f);
		wk->err = ENOMEM_RET;
		return;
	}
	f->index = index;
	f->verdict = *v;
	lower_best(&wk->sh->best, index);
	/* at most one finding per worker: the ring never fills */
	ck_ring_enqueue_spsc(&wk->ring, wk->buf, f);
}

/* ------------------------------------------------------------------ */
/* Seed sweeps                                                         */

void irqsim_sweep_chooser(const struct irqsim_sweep *sw, uint64_t g,
			  struct irqsim_chooser *ch)
{
	if (sw->kind == IRQSIM_SWEEP_PCT) {
		irqsim_pct_chooser(ch, sw->base + g, sw->pct_depth, sw->pct_k);
		return;
	}
	memset(ch, 0, sizeof(*ch));
	ch->kind = IRQSIM_CHOOSE_RANDOM;
	irqsim_prng_seed(&ch->prng, sw->base + g);
}

uint32_t irqsim_estimate_steps(const struct irqsim_model *model,
			       const struct irqsim_rt *rt, const void *init,
			       uint32_t bound)
{
	void *w = irqsim_malloc(model->world_size);
	uint32_t k = 1;

	if (!w)
		return 0;
	for (uint64_t s = 0; s < 8; s++) {
		struct irqsim_chooser ch = { .kind = IRQSIM_CHOOSE_RANDOM };
		struct irqsim_run_result res;

		irqsim_prng_seed(&ch.prng, (1ULL << 63) + s);
		memcpy(w, init, model->world_size);
		irqsim_run(model, rt, w, &ch, bound, NULL, &res);
		if (res.steps > k)
			k = res.steps;
	}
	free(w);
	return k;
}

static void *sweep_worker(void *arg)
{
	struct worker *wk = arg;
	struct shared *sh = wk->sh;
	const struct irqsim_sweep *sw = sh->sw;
	void *w = irqsim_malloc(sh->model->world_size);
	struct irqsim_schedule sc;
	/* each run looks only for the windows no run has opened yet */
	struct irqsim_rt rt = *sh->rt;

	irqsim_schedule_init(&sc);
	if (!w) {
		wk->err = ENOMEM_RET;
		goto out;
	}
	for (;;) {
		uint64_t i = ck_pr_faa_64(&sh->next, 1);
		uint64_t g = i * sw->shard_count + sw->shard_index;
		struct irqsim_chooser ch;
		struct irqsim_run_result res;

		if (g >= sw->runs || i > ck_pr_load_64(&sh->best))
			break;
		if (sw->stop && *sw->stop) {
			wk->stopped = true;
			break;
		}
		irqsim_sweep_chooser(sw, g, &ch);
		memcpy(w, sh->init, sh->model->world_size);
		sc.n = 0;
		irqsim_run(sh->model, &rt, w, &ch, sw->bound, &sc, &res);
		if (res.status == IRQSIM_RUN_NOMEM) {
			wk->err = ENOMEM_RET;
			break;
		}
		wk->windows |= res.windows;
		rt.windows &= ~res.windows;
		ck_pr_store_64(&wk->steps, wk->steps + res.steps);
		ck_pr_store_64(&wk->done, wk->done + 1);
		if (res.status == IRQSIM_RUN_VIOLATION) {
			send_found(wk, i, &res.verdict, &sc);
			break;
		}
	}
out:
	free(w);
	irqsim_schedule_free(&sc);
	ck_pr_inc_uint(&sh->finished);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Frontier search                                                     */

static void stats_add(struct irqsim_dfs_stats *t, const struct irqsim_dfs_stats *s)
{
	t->states += s->states;
	t->distinct += s->distinct;
	t->transitions += s->transitions;
	t->end_states += s->end_states;
	t->commute_tests += s->commute_tests;
	t->tx_forced += s->tx_forced;
	t->pruned_bound += s->pruned_bound;
	t->pruned_visited += s->pruned_visited;
	t->pruned_sleep += s->pruned_sleep;
	if (s->max_depth > t->max_depth)
		t->max_depth = s->max_depth;
	t->complete = t->complete && s->complete;
	t->pb_complete = t->pb_complete && s->pb_complete;
	t->stopped |= s->stopped;
	t->budget |= s->budget;
	t->peak_bytes += s->peak_bytes;
	t->windows |= s->windows;
}

/*
 * The next frontier entry for worker @wk, or fr->n when none is left.
 * With one set, the next entry nobody has taken: the set, not the entry
 * count, evens the work out. Else every jobs-th of the shard's entries,
 * @local counting them.
 */
static size_t next_entry(struct worker *wk, uint64_t *local)
{
	struct shared *sh = wk->sh;
	const struct irqsim_pdfs *pd = sh->pd;
	const size_t n = sh->fr->n;

	for (;;) {
		uint64_t k = sh->visited ? ck_pr_faa_64(&sh->next, 1) :
					   (*local)++;

		if (k >= n || pd->shard_index + k * pd->shard_count >= n)
			return n;
		if (sh->visited || k % (uint64_t)sh->jobs == (uint64_t)wk->id)
			return pd->shard_index + (size_t)k * pd->shard_count;
	}
}

static void *pdfs_worker(void *arg)
{
	struct worker *wk = arg;
	struct shared *sh = wk->sh;
	const struct irqsim_pdfs *pd = sh->pd;
	const struct irqsim_frontier *fr = sh->fr;
	struct irqsim_dfs_opts opts = pd->opts;
	struct irqsim_dfs *d;
	void *w = irqsim_malloc(sh->model->world_size);
	struct irqsim_schedule sc;
	uint64_t local = 0;
	size_t j;

	opts.shared = sh->visited;
	d = irqsim_dfs_new(sh->model, sh->rt, &opts);
	irqsim_schedule_init(&sc);
	wk->st.complete = wk->st.pb_complete = true;
	if (!d || !w) {
		wk->err = ENOMEM_RET;
		goto out;
	}
	while ((j = next_entry(wk, &local)) < fr->n) {
		const struct irqsim_schedule *pre = &fr->entry[j];
		struct irqsim_dfs_stats st = { .complete = true, .pb_complete = true };
		struct irqsim_verdict v;

		/*
		 * A violation anywhere stops workers that share a set
		 * (irqsim_pdfs_run() searches again for the one to report);
		 * others stop above the lowest failing entry.
		 */
		if (sh->visited ? ck_pr_load_64(&sh->best) != ~0ULL :
				  j > ck_pr_load_64(&sh->best))
			break;
		if (pd->opts.stop && *pd->opts.stop) {
			wk->st.stopped = true;
			wk->st.complete = wk->st.pb_complete = false;
			break;
		}
		memcpy(w, sh->init, sh->model->world_size);
		for (size_t k = 0; k < pre->n; k++)
			irqsim_fire(sh->model, sh->rt, w, pre->t[k]);
		st.peak_bytes = 0;
		if (irqsim_dfs_search(d, w, pre, &st, &v, &sc)) {
			wk->err = ENOMEM_RET;
			break;
		}
		st.peak_bytes = 0;
		stats_add(&wk->st, &st);
		if (st.stopped || st.budget)
			break;	/* the entry is not done */
		ck_pr_store_64(&wk->done, wk->done + 1);
		if (v.kind) {
			send_found(wk, j, &v, &sc);
			break;
		}
	}
	/* a shared set is counted once, by irqsim_pdfs_run() */
	wk->st.distinct = sh->visited ? 0 : irqsim_dfs_distinct(d);
	wk->st.peak_bytes = irqsim_dfs_bytes(d);
out:
	irqsim_dfs_free(d);
	free(w);
	irqsim_schedule_free(&sc);
	ck_pr_inc_uint(&sh->finished);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Running workers                                                     */

/*
 * Start @jobs workers on @fn, wait for them, and return the finding with
 * the lowest index (caller frees it), or NULL.
 */
static int run_workers(struct shared *sh, struct worker *wk, void *(*fn)(void *),
		       const struct irqsim_sweep *sw, double t0,
		       struct found **best)
{
	int jobs = sh->jobs, started = 0, err = 0;

	*best = NULL;
	for (int i = 0; i < jobs; i++) {
		wk[i].id = i;
		wk[i].sh = sh;
		ck_ring_init(&wk[i].ring, RING_SIZE);
	}
	for (int i = 0; i < jobs; i++) {
		if (pthread_create(&wk[i].thread, NULL, fn, &wk[i])) {
			err = ENOMEM_RET;
			/* stop the others at once */
			ck_pr_store_64(&sh->best, 0);
			break;
		}
		started++;
	}
	while (ck_pr_load_uint(&sh->finished) < (unsigned int)started) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		static const int ticks = 5;

		for (int t = 0; t < ticks &&
				ck_pr_load_uint(&sh->finished) < (unsigned int)started;
		     t++)
			nanosleep(&ts, NULL);
		if (sw && sw->progress) {
			uint64_t done = 0, steps = 0;

			for (int i = 0; i < started; i++) {
				done += ck_pr_load_64(&wk[i].done);
				steps += ck_pr_load_64(&wk[i].steps);
			}
			sw->progress(done, sw->runs, steps, irqsim_now_seconds() - t0,
				     sw->progress_arg);
		}
	}
	for (int i = 0; i < started; i++) {
		void *p;

		pthread_join(wk[i].thread, NULL);
		while (ck_ring_dequeue_spsc(&wk[i].ring, wk[i].buf, &p)) {
			struct found *f = p;

			if (!*best || f->index < (*best)->index) {
				if (*best) {
					irqsim_schedule_free(&(*best)->schedule);
					free(*best);
				}
				*best = f;
			} else {
				irqsim_schedule_free(&f->schedule);
				free(f);
			}
		}
		if (wk[i].err)
			err = wk[i].err;
	}
	return err;
}

static int clamp_jobs(int jobs)
{
	return jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : jobs;
}

int irqsim_sweep_run(const struct irqsim_model *model,
		     const struct irqsim_rt *rt, const void *init,
		     const struct irqsim_sweep *sw,
		     struct irqsim_sweep_result *res)
{
	struct shared sh = {
		.model = model, .rt = rt, .init = init, .sw = sw,
		.best = ~0ULL, .jobs = clamp_jobs(sw->jobs),
	};
	struct worker *wk = irqsim_calloc((size_t)sh.jobs, sizeof(*wk));
	double t0 = irqsim_now_seconds();
	struct found *f;
	int err;

	memset(res, 0, sizeof(*res));
	irqsim_schedule_init(&res->schedule);
	if (!wk)
		return ENOMEM_RET;
	err = run_workers(&sh, wk, sweep_worker, sw, t0, &f);
	for (int i = 0; i < sh.jobs; i++) {
		res->runs_done += wk[i].done;
		res->steps += wk[i].steps;
		res->stopped |= wk[i].stopped;
		res->windows |= wk[i].windows;
	}
	res->seconds = irqsim_now_seconds() - t0;
	if (f) {
		res->found = true;
		res->run = f->index * sw->shard_count + sw->shard_index;
		res->verdict = f->verdict;
		res->schedule = f->schedule;
		free(f);
	}
	free(wk);
	return err;
}

int irqsim_pdfs_run(const struct irqsim_model *model,
		    const struct irqsim_rt *rt, const void *init,
		    const struct irqsim_pdfs *p, struct irqsim_pdfs_result *res)
{
	struct irqsim_frontier fr;
	struct shared sh = {
		.model = model, .rt = rt, .init = init, .pd = p, .fr = &fr,
		.best = ~0ULL, .jobs = clamp_jobs(p->jobs),
	};
	struct worker *wk;
	double t0 = irqsim_now_seconds();
	struct found *f = NULL;
	int err;

	memset(res, 0, sizeof(*res));
	irqsim_schedule_init(&res->schedule);
	res->st.complete = res->st.pb_complete = true;
	/*
	 * Several workers share one visited set, so that no state is
	 * searched twice (not for a bitstate or a transaction search, which
	 * keep their own). Its budget is --max-memory less the workers'
	 * stacks as they grow.
	 */
	if (sh.jobs > 1 && !p->opts.transactions && !p->opts.bitstate_bytes) {
		sh.visited = irqsim_dfs_shared_new(p->opts.max_bytes);
		if (!sh.visited)
			return ENOMEM_RET;
	}
	/*
	 * The frontier's own states join the set only when the workers
	 * search every entry: then the set counts what one search does. A
	 * shard counts the states its entries reach, as with one worker.
	 */
	err = irqsim_frontier(model, rt, init, p->frontier_depth, &fr,
			      p->opts.preemption_bound < 0 &&
					      p->shard_count <= 1 ?
				      sh.visited :
				      NULL);
	if (err) {
		irqsim_dfs_shared_free(sh.visited);
		return err;
	}
	res->entries = fr.n;
	res->st.windows = fr.windows;
	wk = irqsim_calloc((size_t)sh.jobs, sizeof(*wk));
	if (!wk) {
		irqsim_frontier_free(&fr);
		irqsim_dfs_shared_free(sh.visited);
		return ENOMEM_RET;
	}
	err = run_workers(&sh, wk, pdfs_worker, NULL, t0, &f);
	for (int i = 0; i < sh.jobs; i++) {
		stats_add(&res->st, &wk[i].st);
		res->entries_done += wk[i].done;
	}
	if (sh.visited && f && !err) {
		/*
		 * Which worker got where first decides which violation a
		 * shared search meets. The one to report is the one a single
		 * worker finds: search again with one, up to it (a violation
		 * is usually near; this costs at most that search).
		 */
		struct irqsim_pdfs one = *p;
		double seconds = irqsim_now_seconds() - t0;

		size_t entries = fr.n;

		irqsim_schedule_free(&f->schedule);
		free(f);
		free(wk);
		irqsim_frontier_free(&fr);
		irqsim_dfs_shared_free(sh.visited);
		irqsim_schedule_free(&res->schedule);
		if (p->shard_count <= 1) {
			/* the whole space: the caller's one search (irqsim_dfs) */
			memset(res, 0, sizeof(*res));
			irqsim_schedule_init(&res->schedule);
			res->found = res->again = true;
			res->entries = entries;
			res->st.seconds = seconds;
			return 0;
		}
		one.jobs = 1;
		err = irqsim_pdfs_run(model, rt, init, &one, res);
		res->st.seconds += seconds;
		return err;
	}
	if (sh.visited) {
		res->st.distinct = irqsim_dfs_shared_distinct(sh.visited);
		res->st.peak_bytes += irqsim_dfs_shared_bytes(sh.visited);
		irqsim_dfs_shared_free(sh.visited);
	}
	if (f) {
		res->found = true;
		res->entry = f->index;
		res->verdict = f->verdict;
		res->schedule = f->schedule;
		res->st.complete = res->st.pb_complete = false;
		free(f);
	}
	/*
	 * The frontier keeps one path to each state, whatever its
	 * preemptions, and each entry's search counts only its own: a
	 * schedule within the bound through a path not kept can be cut.
	 * So a preemption-bounded split search proves nothing about the
	 * bound (a violation it finds is still real).
	 */
	if (!res->st.complete)
		res->st.pb_complete = false;
	res->st.seconds = irqsim_now_seconds() - t0;
	free(wk);
	irqsim_frontier_free(&fr);
	return err;
}
