// SPDX-License-Identifier: MIT
/*
 * Shrinking a failing schedule: the fewest preemptions, then the fewest
 * steps.
 */
#include "sched/internal.h"

/*
 * Replay @sc leniently, then without preemptions: the violation kind, or
 * ENOMEM_RET when @taken could not grow.
 */
static int replay_kind(const struct irqsim_model *model,
		       const struct irqsim_rt *rt, const void *init,
		       uint32_t bound, const struct irqsim_schedule *sc,
		       void *w, struct irqsim_schedule *taken)
{
	struct irqsim_chooser ch = {
		.kind = IRQSIM_CHOOSE_REPLAY,
		.replay = sc,
		.replay_lenient = true,
		.replay_then_continue = true,
	};
	struct irqsim_run_result res;

	memcpy(w, init, model->world_size);
	taken->n = 0;
	irqsim_run(model, rt, w, &ch, bound, taken, &res);
	if (res.status == IRQSIM_RUN_NOMEM)
		return ENOMEM_RET;
	return res.status == IRQSIM_RUN_VIOLATION ? res.verdict.kind : 0;
}

int irqsim_shrink(const struct irqsim_model *model, const struct irqsim_rt *rt,
		  const void *init, uint32_t bound, int kind,
		  struct irqsim_schedule *sc, uint64_t budget,
		  const volatile sig_atomic_t *stop)
{
	struct irqsim_schedule cand, taken;
	void *w = irqsim_malloc(model->world_size);
	int pre = irqsim_count_preemptions(model, rt, init, sc);
	int ret = ENOMEM_RET, got, p;
	bool better = true;

	irqsim_schedule_init(&cand);
	irqsim_schedule_init(&taken);
	if (!w || pre < 0)
		goto out;

	/* 1. the fewest preemptions: bounded searches, 0, 1, ... */
	for (p = 0; p < pre; p++) {
		struct irqsim_dfs_opts o = {
			.bound = bound,
			.preemption_bound = p,
			.sleep_sets = false,
			.max_states = budget,
			.want_kind = kind,
			.stop = stop,
		};
		struct irqsim_dfs_stats st;
		struct irqsim_verdict v;

		if (irqsim_dfs(model, rt, init, &o, &st, &v, &cand))
			goto out;
		if (stop && *stop)
			goto stopped;
		if (v.kind == kind) {
			if (irqsim_schedule_copy(sc, &cand))
				goto out;
			pre = p;
			break;
		}
	}

	/* 2. the fewest steps: drop transitions while the violation stays */
	got = replay_kind(model, rt, init, bound, sc, w, &taken);
	if (got < 0 || (got == kind && irqsim_schedule_copy(sc, &taken)))
		goto out;
	while (better) {
		better = false;
		for (size_t i = sc->n; i-- > 0;) {
			if (stop && *stop)
				goto stopped;
			cand.n = 0;
			for (size_t j = 0; j < sc->n; j++)
				if (j != i && irqsim_schedule_push(&cand, sc->t[j]))
					goto out;
			got = replay_kind(model, rt, init, bound, &cand, w,
					  &taken);
			if (got < 0)
				goto out;
			if (got != kind || taken.n >= sc->n)
				continue;
			p = irqsim_count_preemptions(model, rt, init, &taken);
			if (p < 0)
				goto out;
			if (p > pre)
				continue;
			if (irqsim_schedule_copy(sc, &taken))
				goto out;
			better = true;
			if (i > sc->n)
				i = sc->n;
		}
	}
	ret = 0;
out:
	free(w);
	irqsim_schedule_free(&cand);
	irqsim_schedule_free(&taken);
	return ret;
stopped:
	/* @sc still shows the violation: shrunk as far as it got */
	ret = 1;
	goto out;
}
