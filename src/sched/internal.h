/* SPDX-License-Identifier: MIT */
/*
 * Private to the search strategies of src/sched (explore.c, fingerprint.c,
 * dfs.c, pct.c, shrink.c): do not include from other layers. Their public
 * interface is sched/explore.h.
 */
#ifndef IRQSIM_SCHED_INTERNAL_H
#define IRQSIM_SCHED_INTERNAL_H

#include "sched/explore.h"
#include "sched/alloc.h"

#include <stdlib.h>
#include <string.h>

#define ENOMEM_RET (-12)

/* The wyhash mixing step: fingerprints, and the DFS's bounded keys. */
static inline uint64_t mum(uint64_t x, uint64_t y)
{
	__uint128_t r = (__uint128_t)x * y;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* Is @t among the @n enabled transitions @en? */
static inline bool is_enabled(const uint16_t *en, int n, uint16_t t)
{
	for (int i = 0; i < n; i++)
		if (en[i] == t)
			return true;
	return false;
}

#endif
