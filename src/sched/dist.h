/* SPDX-License-Identifier: MIT */
/*
 * The distributed exhaustive search: the states of a model partitioned
 * over the ranks of a job by their fingerprints (Stern and Dill,
 * "Parallelizing the Murphi Verifier", CAV 1997; PReach, Bingham et al.,
 * FMCAD 2010). Each rank keeps the part of the visited set it owns and
 * expands the states it owns; a successor another rank owns is sent to
 * it in a batch. The search runs in supersteps (Valiant, "A bridging
 * model for parallel computation", CACM 1990): expand for a while, then
 * every rank exchanges its batches with every other in one collective,
 * then a reduction over all ranks of their pending states. No message is
 * in flight after the exchange, so a reduction that counts no pending
 * state anywhere is termination (the same reduction carries a violation,
 * a signal or a full memory budget to every rank).
 *
 * Like the rest of src/sched it knows nothing of interrupts, nor of MPI:
 * the job's ranks are reached through struct irqsim_dist_comm, which the
 * MPI build of the command (irqsim-mpi, sched/mpi/comm.c) provides.
 */
#ifndef IRQSIM_DIST_H
#define IRQSIM_DIST_H

#include "sched/explore.h"

#include <stdio.h>

/**
 * struct irqsim_dist_comm - the job: this rank, how many, and the two
 * collectives the search needs (every rank calls each, in the same order)
 * @exchange: @len[r] bytes at @send[r] go to rank r (@len[rank] is 0);
 *            what the others sent this rank lands in *@recv, in rank
 *            order, @rlen[r] bytes from rank r; *@recv grows as needed,
 *            *@cap its size. 0, or -ENOMEM.
 * @reduce:   element-wise over all ranks: the sum of @sum[0..@nsum), the
 *            largest of @max[0..@nmax), the bitwise or of @bor[0..@nor);
 *            every rank gets the results in place. 0, or -ENOMEM.
 */
struct irqsim_dist_comm {
	int rank, size;
	int (*exchange)(struct irqsim_dist_comm *c, unsigned char *const *send,
			const size_t *len, unsigned char **recv, size_t *cap,
			size_t *rlen);
	int (*reduce)(struct irqsim_dist_comm *c, uint64_t *sum, int nsum,
		      uint64_t *max, int nmax, uint64_t *bor, int nor);
	void *priv;
};

struct irqsim_ckpt_id;
struct irqsim_ckpt_reader;

/**
 * struct irqsim_dist_opts - as struct irqsim_dfs_opts's
 * @max_bytes: this rank's budget: its part of the visited set, its
 *             pending states and its buffers
 *
 * Checkpoints (when @ckpt_begin is set): every @ckpt_every seconds of
 * rank 0's clock, and where a signal or @max_states stops the search,
 * every rank writes its part of generation G (a superstep boundary, its
 * depth-first stack first turned into pending states, so that no state
 * is in flight or half expanded) to the file @ckpt_begin gives, which
 * @ckpt_end puts in place (@ok false: the write failed: discard it);
 * once every rank's part is in place, rank 0's @ckpt_commit names G as
 * the generation to resume from. A part that cannot be written leaves
 * the last committed generation as it was. @ckpt_id names the run in
 * each part (sched/checkpoint.h).
 * @resume: this rank's part to go on from (irqsim_ckpt_open() read its
 *          header and checked its identity), or NULL
 */
struct irqsim_dist_opts {
	uint32_t bound;
	uint64_t max_states;
	size_t max_bytes;
	const volatile sig_atomic_t *stop;
	int want_kind;
	double ckpt_every;
	FILE *(*ckpt_begin)(void *arg, uint64_t gen);
	int (*ckpt_end)(void *arg, FILE *f, bool ok);
	int (*ckpt_commit)(void *arg, uint64_t gen);
	void *ckpt_arg;
	const struct irqsim_ckpt_id *ckpt_id;
	struct irqsim_ckpt_reader *resume;
};

/**
 * struct irqsim_dist_stats - what the job did
 * @st:         summed over the ranks; @st.max_depth, @st.peak_bytes the
 *              largest of one rank, @st.windows any rank's
 * @found:      some rank met a violation (of @found_kind): the job stops
 *              there, and the caller searches again in one process for
 *              the violation and schedule one search reports first
 * @peak_bytes_sum: the ranks' peaks added
 * @rank_distinct_min, @rank_distinct_max: the states one rank owns
 * @sent:       successors sent to the rank that owns them (@sent_bytes),
 *              after @cached were not sent again (a rank's cache of the
 *              states it sent last)
 * @supersteps: exchanges
 * @ckpt_gen:   the last generation of checkpoints committed (0: none),
 *              and @ckpt_distinct the states it holds; @ckpt_last: where
 *              a signal or @max_states stopped the search, 1 its last
 *              checkpoint was written there, -1 it could not be (0: none)
 * @resumed_gen, @resumed_distinct, @resumed_seconds: where --resume
 *              went on from (0: a search from the start)
 * @max_pending: the most states one rank held to expand at once, in
 *              @pending_bytes at most (the largest rank's)
 */
struct irqsim_dist_stats {
	struct irqsim_dfs_stats st;
	bool found;
	int found_kind;
	size_t peak_bytes_sum;
	uint64_t rank_distinct_min, rank_distinct_max;
	uint64_t sent, sent_bytes, cached;
	uint64_t supersteps;
	uint64_t max_pending;
	size_t pending_bytes;
	int partition_actor;	/* the actor states go by, -1: fingerprint */
	uint64_t ckpt_gen, ckpt_distinct;
	int ckpt_last;
	uint64_t resumed_gen, resumed_distinct;
	double resumed_seconds;
	int ranks;
};

/*
 * irqsim_dist_search - every state reachable from @init within @opts'
 * bounds, over the ranks of @c; every rank calls it and every rank gets
 * the same @ds. Without a violation the distinct and end-state counts
 * are those of irqsim_dfs() (which state is kept of two with one
 * fingerprint does not change what is reachable).
 *
 * Return: 0, or -ENOMEM (on every rank, when any rank ran out); -EINVAL
 * when @opts->resume does not hold together (its reader says why).
 */
int irqsim_dist_search(const struct irqsim_model *model,
		       const struct irqsim_rt *rt, const void *init,
		       struct irqsim_dist_comm *c,
		       const struct irqsim_dist_opts *opts,
		       struct irqsim_dist_stats *ds);

/*
 * The job's ranks, set by the MPI build's main() (irqsim-mpi) before it
 * runs a command; NULL in the plain tool. @open joins the job (MPI_Init);
 * @finish makes every rank return rank 0's @code and leaves the job.
 */
struct irqsim_dist_backend {
	int (*open)(struct irqsim_dist_comm *c);
	int (*finish)(struct irqsim_dist_comm *c, int code);
};

extern const struct irqsim_dist_backend *irqsim_dist_backend;

#endif
