/* SPDX-License-Identifier: MIT */
/*
 * Parallel and sharded exploration on Concurrency Kit: seed sweeps (random
 * or PCT) that report the lowest failing seed whatever the number of
 * workers, and an exhaustive search split over the frontier at a fixed
 * depth. A shard I of N takes every N-th seed, or every N-th frontier
 * entry, starting at I, so N machines cover the space exactly once.
 */
#ifndef IRQSIM_PARALLEL_H
#define IRQSIM_PARALLEL_H

#include "sched/explore.h"

enum irqsim_sweep_kind {
	IRQSIM_SWEEP_RANDOM,
	IRQSIM_SWEEP_PCT,
};

/**
 * struct irqsim_sweep - a sweep over seeds base + g, g = shard_index,
 * shard_index + shard_count, ... below @runs
 * @pct_depth, @pct_k: PCT parameters (k: steps of one run)
 * @progress: called on the calling thread about every 0.25 s when set
 * @stop: when set, checked before each run: nonzero stops the sweep
 */
struct irqsim_sweep {
	enum irqsim_sweep_kind kind;
	uint64_t base;
	uint64_t runs;
	int jobs;
	uint32_t shard_index, shard_count;
	uint32_t bound;
	int pct_depth;
	uint32_t pct_k;
	void (*progress)(uint64_t done, uint64_t total, uint64_t steps,
			 double seconds, void *arg);
	void *progress_arg;
	const volatile sig_atomic_t *stop;
};

/**
 * struct irqsim_sweep_result
 * @found:    a violation was found
 * @run:      its global run index g (seed = base + g), the lowest failing
 * @runs_done: schedules run (all of them below @run at least)
 * @steps:    transitions taken by all runs
 * @stopped:  cut short by @stop
 */
struct irqsim_sweep_result {
	bool found, stopped;
	uint64_t run;
	uint64_t runs_done;
	uint64_t steps;
	double seconds;
	uint32_t windows;	/* the model's windows some run opened */
	struct irqsim_verdict verdict;
	struct irqsim_schedule schedule;
};

int irqsim_sweep_run(const struct irqsim_model *model,
		     const struct irqsim_rt *rt, const void *init,
		     const struct irqsim_sweep *sw,
		     struct irqsim_sweep_result *res);

/* The chooser for global run @g of a sweep (for replaying a seed). */
void irqsim_sweep_chooser(const struct irqsim_sweep *sw, uint64_t g,
			  struct irqsim_chooser *ch);

/* PCT's k: the longest of a few random runs (seeds 2^63 + 0..7); 0: no memory. */
uint32_t irqsim_estimate_steps(const struct irqsim_model *model,
			       const struct irqsim_rt *rt, const void *init,
			       uint32_t bound);

/**
 * struct irqsim_pdfs - exhaustive search over frontier entries
 * @frontier_depth: where the space is split (the same on every shard)
 * @jobs: worker threads; more than one share one visited set (not for a
 *        bitstate or transaction search)
 */
struct irqsim_pdfs {
	struct irqsim_dfs_opts opts;
	uint32_t frontier_depth;
	int jobs;
	uint32_t shard_index, shard_count;
};

/**
 * struct irqsim_pdfs_result
 * @entry: frontier entry of the violation (the lowest with one)
 * @entries: frontier size; @entries_done: entries this shard searched
 * @again: workers sharing a visited set met a violation of the whole
 *         space (one shard), and which one depends on their timing: the
 *         caller searches again with irqsim_dfs() for the one to report
 *         (nothing else in the result is set but @st.seconds)
 */
struct irqsim_pdfs_result {
	struct irqsim_dfs_stats st;
	size_t entries, entries_done;
	bool found, again;
	size_t entry;
	struct irqsim_verdict verdict;
	struct irqsim_schedule schedule;
};

int irqsim_pdfs_run(const struct irqsim_model *model,
		    const struct irqsim_rt *rt, const void *init,
		    const struct irqsim_pdfs *p, struct irqsim_pdfs_result *res);

#endif
