// SPDX-License-Identifier: MIT
/*
 * The job's ranks over MPI, for the distributed search (sched/dist.h):
 * built only into irqsim-mpi, the command linked with Open MPI, which
 * the plain irqsim runs in its place for --distributed.
 *
 * The exchange is MPI_Alltoall of the batch sizes, then MPI_Alltoallv of
 * the batches (a batch stays under 2 GiB, the int counts' limit: the
 * search sends at 8 MiB). A rank that waits for rank 0 at the end polls
 * a non-blocking broadcast and sleeps, so that it leaves its core to
 * rank 0's work (the search again in one process, the shrinking) on a
 * machine with no core to spare.
 */
#include "sched/dist.h"
#include "sched/alloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct mpi_priv {
	int *scount, *sdispl, *rcount, *rdispl;
};

/*
 * The others are already in the collective: a rank that cannot take
 * part ends the job, saying so.
 */
static void __attribute__((noreturn)) oom(struct irqsim_dist_comm *c,
					  size_t bytes)
{
	fprintf(stderr, "irqsim: rank %d of %d: no room for batches of %zu bytes (out of memory, or past MPI's 2 GiB counts): ending the job\n",
		c->rank, c->size, bytes);
	MPI_Abort(MPI_COMM_WORLD, 2);
	exit(2);
}

static int mpi_exchange(struct irqsim_dist_comm *c, unsigned char *const *send,
			const size_t *len, unsigned char **recv, size_t *cap,
			size_t *rlen)
{
	struct mpi_priv *p = c->priv;
	unsigned char *sbuf;
	size_t stotal = 0, rtotal = 0;
	for (int r = 0; r < c->size; r++) {
		if (len[r] > INT_MAX / 2)
			oom(c, len[r]);
		p->scount[r] = (int)len[r];
		p->sdispl[r] = (int)stotal;
		stotal += len[r];
	}
	if (stotal > INT_MAX)
		oom(c, stotal);
	MPI_Alltoall(p->scount, 1, MPI_INT, p->rcount, 1, MPI_INT,
		     MPI_COMM_WORLD);
	for (int r = 0; r < c->size; r++) {
		p->rdispl[r] = (int)rtotal;
		rtotal += (size_t)p->rcount[r];
		rlen[r] = (size_t)p->rcount[r];
	}
	if (rtotal > *cap) {
		unsigned char *n = irqsim_realloc(*recv, rtotal);

		if (!n)
			oom(c, rtotal);
		*recv = n;
		*cap = rtotal;
	}
	/* one contiguous send buffer: the batches in rank order */
	sbuf = irqsim_malloc(stotal ? stotal : 1);
	if (!sbuf)
		oom(c, stotal);
	for (int r = 0; r < c->size; r++)
		if (len[r])
			memcpy(sbuf + p->sdispl[r], send[r], len[r]);
	MPI_Alltoallv(sbuf, p->scount, p->sdispl, MPI_BYTE,
		      *recv ? *recv : sbuf, p->rcount, p->rdispl, MPI_BYTE,
		      MPI_COMM_WORLD);
	free(sbuf);
	return 0;
}

static int mpi_reduce(struct irqsim_dist_comm *c, uint64_t *sum, int nsum,
		      uint64_t *max, int nmax, uint64_t *bor, int nor)
{
	(void)c;
	if (nsum)
		MPI_Allreduce(MPI_IN_PLACE, sum, nsum, MPI_UINT64_T, MPI_SUM,
			      MPI_COMM_WORLD);
	if (nmax)
		MPI_Allreduce(MPI_IN_PLACE, max, nmax, MPI_UINT64_T, MPI_MAX,
			      MPI_COMM_WORLD);
	if (nor)
		MPI_Allreduce(MPI_IN_PLACE, bor, nor, MPI_UINT64_T, MPI_BOR,
			      MPI_COMM_WORLD);
	return 0;
}

static int mpi_open(struct irqsim_dist_comm *c)
{
	struct mpi_priv *p;
	int provided;

	/* the search's collectives are called from the main thread only */
	if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) !=
	    MPI_SUCCESS)
		return -EIO;
	MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &c->size);
	p = irqsim_calloc(1, sizeof(*p));
	if (p) {
		p->scount = irqsim_calloc((size_t)c->size, sizeof(int));
		p->sdispl = irqsim_calloc((size_t)c->size, sizeof(int));
		p->rcount = irqsim_calloc((size_t)c->size, sizeof(int));
		p->rdispl = irqsim_calloc((size_t)c->size, sizeof(int));
	}
	if (!p || !p->scount || !p->sdispl || !p->rcount || !p->rdispl) {
		/* every rank fails alike only by chance: end the job */
		MPI_Abort(MPI_COMM_WORLD, 2);
		return -ENOMEM;
	}
	c->priv = p;
	c->exchange = mpi_exchange;
	c->reduce = mpi_reduce;
	return 0;
}

static int mpi_finish(struct irqsim_dist_comm *c, int code)
{
	struct mpi_priv *p = c->priv;
	MPI_Request req;
	int done = 0;

	MPI_Ibcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD, &req);
	for (;;) {
		struct timespec ts = { 0, 5 * 1000 * 1000 };

		MPI_Test(&req, &done, MPI_STATUS_IGNORE);
		if (done)
			break;
		nanosleep(&ts, NULL);
	}
	MPI_Finalize();
	if (p) {
		free(p->scount);
		free(p->sdispl);
		free(p->rcount);
		free(p->rdispl);
		free(p);
	}
	c->priv = NULL;
	return code;
}

const struct irqsim_dist_backend irqsim_dist_mpi = {
	.open = mpi_open,
	.finish = mpi_finish,
};
