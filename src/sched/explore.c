// SPDX-License-Identifier: MIT
/*
 * What the search strategies share and no one of them owns: the count of
 * preemptions in a schedule (the shrinking and the command line's report).
 *
 * The strategies each have a file: fingerprint.c (state fingerprints),
 * dfs.c (exhaustive search, frontiers), dpor.c (partial-order reduction),
 * pct.c, shrink.c; parallel.c runs random sweeps and the DFS on workers.
 */
#include "sched/internal.h"

int irqsim_count_preemptions(const struct irqsim_model *model,
			     const struct irqsim_rt *rt, const void *init,
			     const struct irqsim_schedule *sc)
{
	void *w = irqsim_malloc(model->world_size);
	uint16_t en[IRQSIM_MAX_ENABLED];
	int pre = 0;

	if (!w)
		return -1;
	memcpy(w, init, model->world_size);
	for (size_t i = 0; i < sc->n; i++) {
		int n = model->enabled(w, rt, en);

		if (!is_enabled(en, n, sc->t[i]))
			break;
		if (i && sc->t[i] != sc->t[i - 1] &&
		    is_enabled(en, n, sc->t[i - 1]))
			pre++;
		irqsim_fire(model, rt, w, sc->t[i]);
	}
	free(w);
	return pre;
}
