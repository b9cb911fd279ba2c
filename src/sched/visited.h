/* SPDX-License-Identifier: MIT */
/*
 * The visited set of the exhaustive searches (dfs.c, and each rank's part
 * of the distributed search, dist.c): open addressing with linear
 * probing over 128-bit fingerprints, an all-zero fingerprint marking an
 * empty slot, and one 64-bit value per state (dfs: the sleep set it was
 * explored with, or the fewest preemptions). Private to src/sched.
 */
#ifndef IRQSIM_SCHED_VISITED_H
#define IRQSIM_SCHED_VISITED_H

#include "sched/internal.h"


struct visited_entry {
	uint64_t a, b;
	uint64_t sleep;		/* under a preemption bound: the fewest preemptions */
};

struct visited {
	struct visited_entry *e;
	size_t mask, n;
	bool capped;	/* the memory budget has no room to double it */
};

static inline int visited_init(struct visited *v, size_t cap)
{
	v->e = irqsim_calloc(cap, sizeof(*v->e));
	v->mask = cap - 1;
	v->n = 0;
	v->capped = false;
	return v->e ? 0 : ENOMEM_RET;
}

static inline struct visited_entry *visited_slot(struct visited_entry *e, size_t mask,
					  const struct irqsim_fp *fp)
{
	size_t i = fp->a & mask;

	while ((e[i].a || e[i].b) && (e[i].a != fp->a || e[i].b != fp->b))
		i = (i + 1) & mask;
	return &e[i];
}

static inline int visited_grow(struct visited *v)
{
	size_t cap = (v->mask + 1) * 2;
	struct visited_entry *ne = irqsim_calloc(cap, sizeof(*ne));

	if (!ne)
		return ENOMEM_RET;
	for (size_t i = 0; i <= v->mask; i++) {
		struct irqsim_fp fp = { v->e[i].a, v->e[i].b };

		if (fp.a || fp.b)
			*visited_slot(ne, cap - 1, &fp) = v->e[i];
	}
	free(v->e);
	v->e = ne;
	v->mask = cap - 1;
	return 0;
}

/*
 * Look @fp up; a new state is inserted with @sleep. Returns the entry, or
 * NULL on allocation failure; *fresh says whether it was new.
 */
static inline struct visited_entry *visited_get(struct visited *v,
					 const struct irqsim_fp *fp,
					 uint64_t sleep, bool *fresh)
{
	struct visited_entry *e;

	if (!v->capped && (v->n + 1) * 2 > v->mask + 1 && visited_grow(v))
		return NULL;
	e = visited_slot(v->e, v->mask, fp);
	*fresh = !e->a && !e->b;
	if (*fresh) {
		e->a = fp->a;
		e->b = fp->b;
		e->sleep = sleep;
		v->n++;
	}
	return e;
}

#endif
