// SPDX-License-Identifier: MIT
/*
 * The allocation hook (src/sched/alloc.h) in process: parse a trace, run
 * it with its schedule recorded and the event log on, render it, save it
 * and read the saved run back, failing allocation N = 1, 2, ... until the
 * whole job makes fewer than N. Each failure must surface as -ENOMEM (or
 * IRQSIM_RUN_NOMEM, or the log's oom flag) with "out of memory" where
 * there is a message, and the job must then stop; when nothing failed the
 * results must equal the reference job's. Under AddressSanitizer, a path
 * that leaks fails the test. (tests/cli/alloc-fail.cmake does the same
 * through the irqsim command.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/saved.h"
#include "sched/alloc.h"

#define LOSS_TRACE	IRQSIM_SOURCE_DIR "/traces/seed000-vfio-loss.trace"

struct job {
	int failed_at;			/* 0: nothing failed */
	char err[SCENARIO_ERR];
	char *rendered;			/* text rendering */
	size_t rendered_len;
	struct irqsim_schedule sc;
	struct irqsim_run_result res;
};

static void job_free(struct job *j)
{
	free(j->rendered);
	irqsim_schedule_free(&j->sc);
}

/* Parse, run (seed 5), render text, save, read back. */
static void job(struct job *j)
{
	struct scenario *s = malloc(sizeof(*s));
	struct saved_run *sr = malloc(sizeof(*sr));
	struct vmm_world *w = malloc(sizeof(*w));
	struct irqsim_chooser ch = { .kind = IRQSIM_CHOOSE_RANDOM };
	int knobs[IRQSIM_MAX_KNOBS];
	struct irqsim_log log;
	struct irqsim_rt rt;
	struct trace_run run;
	char *saved = NULL;
	size_t saved_len = 0;
	FILE *f;
	int ret;

	assert_true(s && sr && w);
	memset(j, 0, sizeof(*j));
	irqsim_schedule_init(&j->sc);
	irqsim_log_init(&log);
	memset(sr, 0, sizeof(*sr));
	ret = scenario_load(s, LOSS_TRACE, j->err, sizeof(j->err));
	if (ret) {
		assert_int_equal(ret, -ENOMEM);
		assert_non_null(strstr(j->err, "out of memory"));
		j->failed_at = 1;
		goto out_free;
	}
	config_apply(knobs, &s->config, NULL);
	assert_int_equal(scenario_world(s, knobs, w, j->err, sizeof(j->err)),
			 0);
	irqsim_prng_seed(&ch.prng, 5);
	scenario_rt(s, knobs, &log, &rt);
	irqsim_run(&scenario_model, &rt, w, &ch, s->bound, &j->sc, &j->res);
	if (j->res.status == IRQSIM_RUN_NOMEM || log.oom) {
		j->failed_at = 2;
		goto out;
	}
	run = (struct trace_run){ .name = s->name, .log = &log,
				  .m = &s->machine, .verdict = &j->res.verdict };
	f = open_memstream(&j->rendered, &j->rendered_len);
	assert_non_null(f);
	ret = trace_render(f, TRACE_TEXT, &run);
	assert_int_equal(fclose(f), 0);
	if (ret) {
		assert_int_equal(ret, -ENOMEM);
		j->failed_at = 3;
		goto out;
	}
	f = open_memstream(&saved, &saved_len);
	assert_non_null(f);
	assert_int_equal(saved_write(f, s, knobs, 5, true, &j->sc, NULL,
				     &j->res.verdict), 0);
	assert_int_equal(fclose(f), 0);
	ret = saved_parse(sr, "mem.irqsim", saved, saved_len, j->err,
			  sizeof(j->err));
	if (ret) {
		assert_int_equal(ret, -ENOMEM);
		assert_non_null(strstr(j->err, "out of memory"));
		j->failed_at = 4;
		goto out;
	}
	/* what was read back is the run */
	assert_int_equal(sr->schedule.n, j->sc.n);
	assert_memory_equal(sr->schedule.t, j->sc.t,
			    j->sc.n * sizeof(j->sc.t[0]));
out:
	scenario_free(s);
out_free:
	saved_free(sr);
	irqsim_log_free(&log);
	free(saved);
	free(s);
	free(sr);
	free(w);
}

static void alloc_fail_every_allocation_unwinds_test(void **state)
{
	struct job ref, j;
	unsigned long total, n;

	(void)state;
	scenario_init();
	irqsim_alloc_fail_nth(0);
	job(&ref);
	assert_int_equal(ref.failed_at, 0);
	total = irqsim_alloc_count();
	assert_true(total > 4);		/* parse, schedule, log, text, read */
	for (n = 1;; n++) {
		irqsim_alloc_fail_nth(n);
		job(&j);
		if (!irqsim_alloc_failed()) {
			/* past the last allocation: the reference job */
			assert_int_equal(j.failed_at, 0);
			assert_int_equal(j.res.verdict.kind,
					 ref.res.verdict.kind);
			assert_int_equal(j.sc.n, ref.sc.n);
			assert_int_equal(j.rendered_len, ref.rendered_len);
			assert_memory_equal(j.rendered, ref.rendered,
					    ref.rendered_len);
			job_free(&j);
			break;
		}
		/* the failure was seen, not computed around */
		if (!j.failed_at) {
			print_error("allocation %lu failed and the job went on\n",
				    n);
			fail();
		}
		job_free(&j);
	}
	irqsim_alloc_fail_nth(0);
	assert_int_equal(n, total + 1);
	job_free(&ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_fail_every_allocation_unwinds_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
