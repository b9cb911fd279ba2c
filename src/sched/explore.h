/* SPDX-License-Identifier: MIT */
/*
 * Search strategies over any irqsim model: state fingerprints, the
 * exhaustive depth-first search with a visited-state set, sleep sets and
 * a preemption bound, probabilistic concurrency testing (PCT), and the
 * shrinking of a failing schedule.
 *
 * Like the rest of src/sched, nothing here knows about interrupts: a
 * state is the model's world (plain bytes), a transition a 16-bit code.
 */
#ifndef IRQSIM_EXPLORE_H
#define IRQSIM_EXPLORE_H

#include "sched/sched.h"

#include <signal.h>

/*
 * A state's fingerprint: 128 bits over the canonical world (the engine
 * clears the step counter and unused frames, the model clears what only
 * records history). Two worlds with equal fingerprints are treated as the
 * same state: the visited set is hash compaction, with a collision chance
 * of about n^2 / 2^129 for n states.
 */
struct irqsim_fp {
	uint64_t a, b;
};

void irqsim_hash128(const void *data, size_t len, struct irqsim_fp *fp);

/**
 * irqsim_fingerprint - fingerprint of @world
 * @scratch: model->world_size bytes the function may overwrite
 */
void irqsim_fingerprint(const struct irqsim_model *model, const void *world,
			void *scratch, struct irqsim_fp *fp);

/*
 * Preemptions of a schedule: switches away from a still-enabled
 * transition; -1 when out of memory.
 */
int irqsim_count_preemptions(const struct irqsim_model *model,
			     const struct irqsim_rt *rt, const void *init,
			     const struct irqsim_schedule *sc);

/**
 * struct irqsim_dfs_stats - what the search did
 * @states:      states entered (including revisits that were pruned)
 * @distinct:    distinct states stored in the visited set
 * @transitions: transitions fired by the search itself
 * @commute_tests: transitions fired to test independence (sleep sets)
 * @max_depth:   deepest schedule
 * @complete:    every schedule of the scenario up to @bound was covered
 * @pb_complete: every schedule with at most @preemption_bound preemptions
 *               was covered: @complete, or cut by the preemption bound
 *               and nothing else
 * @pruned_bound: schedules cut by the step bound or preemption bound
 * @seconds:     wall time
 * @peak_bytes:  memory held by the search (visited set + stack)
 * @end_states:  distinct states where nothing is enabled (one worker)
 * @stopped:     cut short because *@stop was set (irqsim_dfs_opts)
 * @budget:      cut short because the visited set would have grown past
 *               @max_bytes (irqsim_dfs_opts)
 * @budget_distinct: when @progress is called: about the distinct states
 *               at which @max_bytes will stop the search (0: no budget)
 */
struct irqsim_dfs_stats {
	uint64_t states, distinct, transitions, commute_tests, end_states;
	uint64_t budget_distinct;
	uint64_t pruned_bound, pruned_visited, pruned_sleep;
	/* the transaction reduction: states whose one transition was taken
	 * alone; searches started again because a step taken alone touched
	 * a byte later found shared without a lock (the count of those bytes
	 * in the last one, 0 once it holds); bytes found unprotected */
	uint64_t tx_forced;
	uint32_t tx_restarts;
	size_t tx_broken, tx_unprotected;
	uint64_t bitstate_bits;	/* the bit array's, 0: a visited set */
	uint32_t max_depth;
	bool complete, pb_complete;
	bool stopped, budget;
	double seconds;
	size_t peak_bytes;
	uint32_t windows;	/* the model's windows some state opened */
};

/**
 * struct irqsim_dfs_opts - exhaustive search settings
 * @bound:            maximum depth (transitions) of one schedule
 * @preemption_bound: -1 for none
 * @sleep_sets:       partial-order reduction (off: every transition).
 *                    Ignored under a preemption bound: a sleep set can
 *                    skip a schedule within the bound, because the
 *                    schedule that represents it (same transitions,
 *                    independent ones reordered) may have more
 *                    preemptions and be cut. Musuvathi and Qadeer,
 *                    "Partial-Order Reduction for Context-Bounded State
 *                    Exploration" (MSR-TR-2007-12).
 * @max_states:       stop (bounded result) after this many distinct states
 * @max_bytes:        stop (bounded result) before the search's memory
 *                    (irqsim_dfs_bytes()) would pass this (0: no limit)
 * @stop:             when set, checked once per state entered: nonzero
 *                    stops the search there (bounded result, @stopped)
 * @want_kind:        report only violations of this kind (0: any)
 * @progress:         called every 65536 states entered when set, with
 *                    @distinct, @seconds, @peak_bytes and
 *                    @budget_distinct of the stats current
 * @visit:            optional (NULL: a search that costs one untaken
 *                    branch for it): called once per transition fired
 *                    and once per new distinct state, with @visit_arg
 *                    (the state-space profile, sched/profile.h)
 * @checkpoint:       optional: called with @checkpoint_arg where the
 *                    progress is (every 65536 states entered), and with
 *                    @last where *@stop or @max_states stops the search,
 *                    each time at a state the search can go on from:
 *                    irqsim_dfs_save(@d) writes it (sched/checkpoint.h).
 *                    Only for one search from the scenario's start
 *                    (irqsim_dfs(), irqsim_dfs_resume()), never with
 *                    @shared or the transaction reduction.
 */
struct irqsim_dfs_visit;
struct irqsim_dfs;

struct irqsim_dfs_shared;

/*
 * irqsim_dfs_shared_new - a visited set several searches (threads) share
 * (--jobs): each state is explored by the search that inserts it first.
 * @max_bytes: its budget (0: none); a search stops at it (stats.budget).
 * Not with a bitstate or transaction search.
 */
struct irqsim_dfs_shared *irqsim_dfs_shared_new(size_t max_bytes);
void irqsim_dfs_shared_free(struct irqsim_dfs_shared *sh);
uint64_t irqsim_dfs_shared_distinct(const struct irqsim_dfs_shared *sh);
size_t irqsim_dfs_shared_bytes(const struct irqsim_dfs_shared *sh);

struct irqsim_dfs_opts {
	uint32_t bound;
	int preemption_bound;
	bool sleep_sets;
	bool transactions;
	size_t bitstate_bytes;
	uint64_t max_states;
	size_t max_bytes;
	const volatile sig_atomic_t *stop;
	int want_kind;
	void (*progress)(const struct irqsim_dfs_stats *st, void *arg);
	void *progress_arg;
	void (*visit)(const struct irqsim_dfs_visit *v, void *arg);
	void *visit_arg;
	void (*checkpoint)(const struct irqsim_dfs *d, bool last, void *arg);
	void *checkpoint_arg;
	struct irqsim_dfs_shared *shared;
};

/**
 * struct irqsim_dfs_visit - what the search just did, for @visit
 * @dfs:   the search (irqsim_dfs_memory())
 * @fresh: false: @t was fired in @from and gave @to (every transition
 *         the search fires, counted as irqsim_dfs_stats.transitions);
 *         true: @to is a new distinct state, reached from @from by @t,
 *         or the search's start state (@from NULL, @t 0)
 * @depth: @to's depth in this search
 * @en:    new states: the @n transitions enabled at @to
 */
struct irqsim_dfs_visit {
	const struct irqsim_dfs *dfs;
	const void *from, *to;
	const uint16_t *en;
	int n;
	uint16_t t;
	bool fresh;
	size_t depth;
};

/**
 * irqsim_dfs - exhaustive search from @init
 * @violation: filled with the first violation found (kind 0: none)
 * @sc:        receives the schedule that leads to it
 *
 * Return: 0, or -ENOMEM.
 */
/*
 * Bitstate hashing (@bitstate_bytes of struct irqsim_dfs_opts: the bit
 * array's size; 0: a visited set): each
 * state sets IRQSIM_BITSTATE_K bits. irqsim_bitstate_missed(): the number
 * of new states a search that found @n in @nbits bits is expected to
 * have taken for visited (and so not explored).
 */
#define IRQSIM_BITSTATE_K	3
double irqsim_bitstate_missed(uint64_t n, uint64_t nbits);

int irqsim_dfs(const struct irqsim_model *model, const struct irqsim_rt *rt,
	       const void *init, const struct irqsim_dfs_opts *opts,
	       struct irqsim_dfs_stats *st, struct irqsim_verdict *violation,
	       struct irqsim_schedule *sc);

/*
 * The same search in pieces: one search object (its visited set) used for
 * several start states, e.g. the frontier entries a worker owns. @prefix is
 * the schedule that led from the scenario's start to @start; it is
 * prepended to a reported schedule and counts against the bound.
 */
struct irqsim_dfs;

struct irqsim_dfs *irqsim_dfs_new(const struct irqsim_model *model,
				  const struct irqsim_rt *rt,
				  const struct irqsim_dfs_opts *opts);
int irqsim_dfs_search(struct irqsim_dfs *d, const void *start,
		      const struct irqsim_schedule *prefix,
		      struct irqsim_dfs_stats *st,
		      struct irqsim_verdict *violation,
		      struct irqsim_schedule *sc);
uint64_t irqsim_dfs_distinct(const struct irqsim_dfs *d);
size_t irqsim_dfs_bytes(const struct irqsim_dfs *d);

/**
 * struct irqsim_dfs_memory - what a search holds, by part
 * @entry_bytes: one slot of the visited set
 * @slots:       slots allocated (a power of two)
 * @used:        states stored in them
 * @level_bytes: one level of the search stack: a world and its node
 * @levels:      levels allocated
 * @total:       irqsim_dfs_bytes()
 */
struct irqsim_dfs_memory {
	size_t entry_bytes, slots, used;
	size_t level_bytes, levels;
	size_t total;
};

void irqsim_dfs_memory(const struct irqsim_dfs *d, struct irqsim_dfs_memory *m);
void irqsim_dfs_free(struct irqsim_dfs *d);

/* Schedules to the distinct states at a fixed depth, in search order. */
struct irqsim_frontier {
	struct irqsim_schedule *entry;
	size_t n, cap;
	uint32_t windows;	/* the model's windows its states opened */
};

/*
 * @sh: when set, the states the frontier's own search goes through (not
 * its entries) are added to it, explored: the workers that search the
 * entries with it then count every state once.
 */
int irqsim_frontier(const struct irqsim_model *model,
		    const struct irqsim_rt *rt, const void *init,
		    uint32_t depth, struct irqsim_frontier *fr,
		    struct irqsim_dfs_shared *sh);
void irqsim_frontier_free(struct irqsim_frontier *fr);

/**
 * irqsim_pct_chooser - a PCT chooser (Burckhardt et al., ASPLOS 2010)
 * @depth: bug depth d: d-1 priority change points
 * @k:     estimated number of steps of one run
 */
void irqsim_pct_chooser(struct irqsim_chooser *ch, uint64_t seed, int depth,
			uint32_t k);

/**
 * irqsim_shrink - reduce a failing schedule: first the fewest preemptions
 * (bounded exhaustive searches for 0, 1, ... preemptions), then the fewest
 * steps (greedy removal of transitions while the same violation remains)
 * @kind:   the violation to keep
 * @sc:     in: a schedule showing it; out: the shrunk schedule
 * @budget: maximum states per bounded search
 * @stop:   optional; once it is set, stop where the shrinking is
 *
 * Return: 0 (sc is replaced only by schedules showing @kind), 1 when
 * @stop cut it short (@sc shows @kind, shrunk as far as it got), or
 * -ENOMEM (then @sc is undefined: the caller gives up).
 */
int irqsim_shrink(const struct irqsim_model *model, const struct irqsim_rt *rt,
		  const void *init, uint32_t bound, int kind,
		  struct irqsim_schedule *sc, uint64_t budget,
		  const volatile sig_atomic_t *stop);

/**
 * struct irqsim_dpor_stats - what the reduced search did
 * @states:      states entered and probed (a state is entered again only
 *               when it was cut short before or explored with fewer
 *               moves asleep)
 * @distinct:    distinct states met (the visited set)
 * @revisits:    moves into a state already explored, not explored again
 * @cycles:      moves back into a state on the search stack
 * @summaries:   distinct footprint summaries kept for the visited set
 * @executions:  complete schedules run to their end
 * @transitions: transitions taken by the search
 * @probes:      transitions run on a scratch copy to record a footprint
 * @races:       races found (each may add a backtrack point)
 * @end_states:  distinct end states reached (by fingerprint): a reduction
 *               that is sound reaches every one the full search reaches
 * @visible:     steps that wrote a byte the model's invariant reads
 * @stray_read:  on -EPROTO: the world offset check_invariant() read
 *               outside the bytes invariant_bytes() names
 */
struct irqsim_dpor_stats {
	uint64_t states, executions, transitions, probes, races, end_states;
	uint64_t visible, distinct, revisits, cycles, summaries;
	size_t stray_read;
	uint32_t max_depth;
	bool complete, pb_complete;
	bool stopped, budget;
	double seconds;
	size_t peak_bytes;
	uint32_t windows;	/* the model's windows some state opened */
};

/*
 * @max_bytes: stop once the search holds more than this (0: no limit);
 * @stop: as irqsim_dfs_opts
 */
struct irqsim_dpor_opts {
	uint32_t bound;
	uint64_t max_states;
	size_t max_bytes;
	const volatile sig_atomic_t *stop;
	int want_kind;
	void (*progress)(const struct irqsim_dpor_stats *st, void *arg);
	void *progress_arg;
};

/**
 * irqsim_dpor - exhaustive search up to @opts->bound steps with dynamic
 * partial-order reduction over recorded footprints (sched/dpor.c)
 *
 * Return: 0; -EOPNOTSUPP (-95) in a build without footprints or for a
 * model without proc_next; -E2BIG for more than 64 sources; -ENOMEM;
 * -EPROTO (-71) when the model's check_invariant() read a byte its
 * invariant_bytes() does not name (a model bug: the reduction would not
 * be sound).
 */
int irqsim_dpor(const struct irqsim_model *model, const struct irqsim_rt *rt,
		const void *init, const struct irqsim_dpor_opts *opts,
		struct irqsim_dpor_stats *st, struct irqsim_verdict *violation,
		struct irqsim_schedule *sc);

#endif
