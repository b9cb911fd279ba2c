/* SPDX-License-Identifier: MIT */
/*
 * The state-space profile of an exhaustive search: where its distinct
 * states come from and what each one costs. It attributes every new
 * distinct state to the transition that first reached it and to the
 * program point its actor is at afterwards (the actor's top frame: the
 * modeled function and its resume point, the source line), counts how
 * many transitions each distinct state enables and which are enabled
 * together, and measures what the visited set and the search stack hold
 * per state.
 *
 * It is fed by the search's visit hook (irqsim_dfs_opts.visit) and knows
 * what the engine knows: actors, frames, registered functions and
 * transition codes; the model names the codes (transition_name). One
 * search on one thread: the hook is not thread-safe.
 */
#ifndef IRQSIM_SCHED_PROFILE_H
#define IRQSIM_SCHED_PROFILE_H

#include "sched/explore.h"

struct irqsim_sprof;

/*
 * irqsim_sprof_new - a profile for searches of @model under @rt (both
 * must outlive the searches; the report needs neither); NULL when out of
 * memory.
 */
struct irqsim_sprof *irqsim_sprof_new(const struct irqsim_model *model,
				      const struct irqsim_rt *rt);
void irqsim_sprof_free(struct irqsim_sprof *p);

/**
 * irqsim_sprof_visit - the search's visit hook: opts.visit, with the
 * profile as opts.visit_arg
 *
 * Out of memory, the profile stops counting what it could not store and
 * says so (irqsim_sprof_report.oom); the search goes on.
 */
void irqsim_sprof_visit(const struct irqsim_dfs_visit *v, void *arg);

/* One transition source: a transition code, by its model name. */
struct irqsim_sprof_source {
	char name[32];		/* transition_name(): "qemu", "cpu1:irq" */
	uint64_t fired;		/* transitions fired */
	uint64_t states;	/* distinct states it reached first */
	uint64_t enabled;	/* distinct states where it is enabled */
	uint64_t alongside;	/* ... together with at least one other */
};

/*
 * A program point: where the actor a transition ran is after it. @where
 * is "function:line" (the line of its resume point; "function:entry"
 * for a frame pushed and not run yet, as an interrupt entry is), with
 * " (blocked)" when the actor waits there (on a lock or a wait token);
 * "(returned: N of M operations done)" when it has no frame left, or
 * "(returned: idle)" for an actor without a program (an interrupt
 * context); "(no actor)" when the transition ran none.
 */
struct irqsim_sprof_point {
	const struct irqsim_sprof_source *source;
	int actor;		/* the engine's actor index, -1: none */
	char where[96];
	uint64_t states;	/* distinct states first reached at it */
	/*
	 * Distinct states first found, in the depth-first search, below
	 * those states (their DFS subtrees), summed over them.
	 */
	uint64_t below;
};

/* Two sources enabled in one distinct state. */
struct irqsim_sprof_pair {
	const struct irqsim_sprof_source *a, *b;	/* a's name first */
	uint64_t states;
};

/**
 * struct irqsim_sprof_report - the profile, sorted (counts descending,
 * ties by name), for printing; it lives as long as the profile
 * @distinct:    distinct states counted: @starts plus each source's
 * @starts:      start states (a search's first state)
 * @transitions: transitions fired, the sources' @fired summed
 * @by_enabled:  distinct states by their number of enabled transitions
 * @point_below: the points again, by @below descending
 * @world_bytes: the model's world, which the stack holds per level
 * @engine_bytes: of it, the engine's part (actors, frames, locks)
 * @hashed_bytes: bytes the fingerprint covers, summed over the distinct
 *               states (live frames only; history the model clears
 *               still counts): divide by @distinct for the mean
 * @varying_bytes: world bytes (dead frames, the step counter and what
 *               canonical() clears taken out) that differ from the
 *               start state's in at least one distinct state
 * @mem:         the search's memory at its last new state
 * @max_depth:   deepest new state
 * @oom:         a table could not grow: its counts are partial
 */
struct irqsim_sprof_report {
	uint64_t distinct, starts, transitions;
	uint64_t by_enabled[IRQSIM_MAX_ENABLED + 1];
	const struct irqsim_sprof_source *source;
	size_t nsources;
	const struct irqsim_sprof_point *point;
	const struct irqsim_sprof_point *const *point_below;
	size_t npoints;
	const struct irqsim_sprof_pair *pair;
	size_t npairs;
	size_t world_bytes, engine_bytes, varying_bytes;
	uint64_t hashed_bytes;
	struct irqsim_dfs_memory mem;
	size_t max_depth;
	bool oom;
};

/**
 * irqsim_sprof_report - close the profile after the search and sort it
 *
 * Return: the report (valid until irqsim_sprof_free()), or NULL when
 * out of memory.
 */
const struct irqsim_sprof_report *irqsim_sprof_report(struct irqsim_sprof *p);

#endif
