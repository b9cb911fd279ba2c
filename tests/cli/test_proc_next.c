// SPDX-License-Identifier: MIT
/*
 * The partial-order reduction sees the machine through proc_next(), one
 * transition source at a time; every other search through enabled(). The
 * two must list the same transitions in the same order, in every state:
 * checked along random schedules of every trace in traces/.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/scenario.h"

static void check_state(const struct vmm_world *w, const struct irqsim_rt *rt,
			const char *file, int seed, uint32_t step)
{
	uint16_t en[IRQSIM_MAX_ENABLED], code;
	int n = scenario_model.enabled(w, rt, en), k = 0;
	int procs = scenario_model.nprocs(rt);

	for (int p = 0; p < procs; p++) {
		if (!scenario_model.proc_next(w, rt, p, &code))
			continue;
		if (k >= n || en[k] != code)
			fail_msg("%s seed %d step %u: source %d gives %#x, enabled() has %#x",
				 file, seed, step, p, code,
				 k < n ? en[k] : 0xffff);
		k++;
	}
	if (k != n)
		fail_msg("%s seed %d step %u: %d sources enabled, enabled() lists %d",
			 file, seed, step, k, n);
}

static void proc_next_matches_enabled_test(void **state)
{
	char dir[512], path[1024], err[256];
	struct dirent *de;
	int files = 0;
	DIR *d;

	(void)state;
	scenario_init();
	snprintf(dir, sizeof(dir), "%s/traces", IRQSIM_SOURCE_DIR);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		struct scenario s;
		struct vmm_world *w = malloc(sizeof(*w));
		int knobs[IRQSIM_MAX_KNOBS];
		struct irqsim_rt rt;
		size_t len = strlen(de->d_name);

		assert_non_null(w);
		if (len < 7 || strcmp(de->d_name + len - 6, ".trace")) {
			free(w);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (scenario_load(&s, path, err, sizeof(err)))
			fail_msg("%s", err);
		config_apply(knobs, &s.config, NULL);
		scenario_rt(&s, knobs, NULL, &rt);
		for (int seed = 0; seed < 20; seed++) {
			struct irqsim_prng prng;
			struct irqsim_ctx ctx = { .world = w, .rt = &rt };

			if (scenario_world(&s, knobs, w, err, sizeof(err)))
				fail_msg("%s: %s", path, err);
			irqsim_prng_seed(&prng, (uint64_t)seed);
			for (uint32_t step = 0; step < s.bound; step++) {
				uint16_t en[IRQSIM_MAX_ENABLED];
				int n;

				check_state(w, &rt, de->d_name, seed, step);
				n = scenario_model.enabled(w, &rt, en);
				if (!n)
					break;
				scenario_model.fire(&ctx,
					en[irqsim_prng_below(&prng, (uint32_t)n)]);
				irqsim_sched(w)->step++;
			}
		}
		scenario_free(&s);
		free(w);
		files++;
	}
	closedir(d);
	assert_true(files >= 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proc_next_matches_enabled_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
