// SPDX-License-Identifier: MIT
/*
 * Probabilistic concurrency testing: the chooser's random priority change
 * points (the run loop's choose_pct() in sched.c applies them).
 */
#include "sched/internal.h"

void irqsim_pct_chooser(struct irqsim_chooser *ch, uint64_t seed, int depth,
			uint32_t k)
{
	memset(ch, 0, sizeof(*ch));
	ch->kind = IRQSIM_CHOOSE_PCT;
	irqsim_prng_seed(&ch->prng, seed);
	if (depth < 1)
		depth = 1;
	if (depth > IRQSIM_PCT_MAX_DEPTH)
		depth = IRQSIM_PCT_MAX_DEPTH;
	if (k < 1)
		k = 1;
	ch->pct.depth = depth;
	for (int j = 0; j + 1 < depth; j++)
		ch->pct.change[j] = 1 + irqsim_prng_below(&ch->prng, k);
}
