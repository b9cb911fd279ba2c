// SPDX-License-Identifier: MIT
/*
 * Checkpoints of the depth-first search (sched/checkpoint.h), on traces
 * of the model: a search stopped anywhere and resumed from its
 * checkpoint, once or twice, reaches what the search reaches without a
 * stop (every count, the verdict, the schedule), with and without sleep
 * sets, under a preemption bound and in a bit array; and a checkpoint
 * cut short, changed, or of other settings is refused with a reason,
 * never believed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/scenario.h"
#include "sched/checkpoint.h"

struct fixture {
	struct scenario s;
	int knobs[IRQSIM_MAX_KNOBS];
	struct vmm_world *init;
	struct irqsim_rt rt;
};

static void fixture_load(struct fixture *fx, const char *name)
{
	char path[512], err[SCENARIO_ERR];

	snprintf(path, sizeof(path), "%s/traces/%s", IRQSIM_SOURCE_DIR, name);
	assert_int_equal(scenario_load(&fx->s, path, err, sizeof(err)), 0);
	config_apply(fx->knobs, &fx->s.config, NULL);
	fx->init = malloc(sizeof(*fx->init));
	assert_non_null(fx->init);
	assert_int_equal(scenario_world(&fx->s, fx->knobs, fx->init, err,
					sizeof(err)), 0);
	scenario_rt(&fx->s, fx->knobs, NULL, &fx->rt);
}

static void fixture_free(struct fixture *fx)
{
	free(fx->init);
	scenario_free(&fx->s);
}

static const struct irqsim_ckpt_id test_id = {
	.hash = { 0x1234, 0x5678 }, .text = "test=1\n", .len = 7,
};

/* Where max_states stops the search: its last checkpoint, in a file. */
struct capture {
	FILE *f;
	int periodic;
};

static void capture_last(const struct irqsim_dfs *d, bool last, void *arg)
{
	struct capture *c = arg;

	if (!last) {
		c->periodic++;
		return;
	}
	assert_null(c->f);
	c->f = tmpfile();
	assert_non_null(c->f);
	assert_int_equal(irqsim_dfs_save(d, c->f, &test_id), 0);
	assert_int_equal(fflush(c->f), 0);
	rewind(c->f);
}

static void assert_same_search(const struct irqsim_dfs_stats *a,
			       const struct irqsim_dfs_stats *b)
{
	assert_int_equal(a->states, b->states);
	assert_int_equal(a->distinct, b->distinct);
	assert_int_equal(a->transitions, b->transitions);
	assert_int_equal(a->commute_tests, b->commute_tests);
	assert_int_equal(a->end_states, b->end_states);
	assert_int_equal(a->pruned_bound, b->pruned_bound);
	assert_int_equal(a->pruned_visited, b->pruned_visited);
	assert_int_equal(a->pruned_sleep, b->pruned_sleep);
	assert_int_equal(a->max_depth, b->max_depth);
	assert_int_equal(a->complete, b->complete);
	assert_int_equal(a->pb_complete, b->pb_complete);
	assert_int_equal(a->windows, b->windows);
	assert_int_equal(a->bitstate_bits, b->bitstate_bits);
	assert_false(b->stopped);
}

/*
 * Stop the search at @stop distinct states (its checkpoint), resume it
 * up to @stop2 (0: to its end; else another checkpoint, resumed in turn),
 * and compare with @whole.
 */
static void stop_and_resume(struct fixture *fx,
			    const struct irqsim_dfs_opts *opts,
			    const struct irqsim_dfs_stats *whole,
			    const struct irqsim_verdict *wv,
			    const struct irqsim_schedule *wsc, uint64_t stop,
			    uint64_t stop2)
{
	struct irqsim_dfs_opts o = *opts;
	struct irqsim_ckpt_reader r;
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct capture c = { 0 };
	double seconds;

	irqsim_schedule_init(&sc);
	o.max_states = stop;
	o.checkpoint = capture_last;
	o.checkpoint_arg = &c;
	assert_int_equal(irqsim_dfs(&scenario_model, &fx->rt, fx->init, &o,
				    &st, &v, &sc), 0);
	/* a search cut where it says, at fewer states than the whole */
	assert_non_null(c.f);
	assert_int_equal(st.distinct, stop);
	assert_true(st.distinct < whole->distinct);
	assert_int_equal(v.kind, 0);
	seconds = st.seconds;
	for (int sitting = 0; sitting < 2; sitting++) {
		FILE *f = c.f;

		c.f = NULL;
		o.max_states = sitting == 0 ? stop2 : 0;
		assert_int_equal(irqsim_ckpt_open(&r, f), 0);
		assert_int_equal(r.kind, IRQSIM_CKPT_DFS);
		assert_true(r.id_hash.a == test_id.hash.a &&
			    r.id_hash.b == test_id.hash.b);
		assert_string_equal(r.id_text, test_id.text);
		sc.n = 0;
		if (sitting == 0) {
			assert_int_equal(irqsim_dfs_resume(&scenario_model,
							   &fx->rt, fx->init,
							   &o, &r, &st, &v,
							   &sc), 0);
		} else {
			/* in pieces: the time the checkpoint holds */
			struct irqsim_dfs *d = irqsim_dfs_new(&scenario_model,
							      &fx->rt, &o);

			assert_non_null(d);
			assert_int_equal(irqsim_dfs_load(d, fx->init, &r, &st),
					 0);
			assert_true(st.seconds > 0 && st.seconds <= seconds);
			seconds = st.seconds;
			assert_int_equal(irqsim_dfs_search(d, fx->init, NULL,
							   &st, &v, &sc), 0);
			irqsim_dfs_free(d);
			/* the time is the sittings' sum */
			assert_true(st.seconds >= seconds);
		}
		assert_null(r.why);
		irqsim_ckpt_close(&r);
		fclose(f);
		seconds = st.seconds;
		if (!o.max_states || !c.f)
			break;
		assert_int_equal(st.distinct, stop2);
	}
	assert_null(c.f);
	assert_same_search(whole, &st);
	assert_int_equal(v.kind, wv->kind);
	assert_int_equal(sc.n, wsc->n);
	if (sc.n)
		assert_memory_equal(sc.t, wsc->t, sc.n * sizeof(sc.t[0]));
	irqsim_schedule_free(&sc);
}

static void resume_in(const char *trace, const struct irqsim_dfs_opts *opts,
		      bool violation)
{
	struct fixture fx;
	struct irqsim_dfs_stats whole;
	struct irqsim_verdict wv;
	struct irqsim_schedule wsc;
	struct irqsim_dfs_opts o = *opts;
	uint64_t n;

	fixture_load(&fx, trace);
	o.bound = fx.s.bound;
	irqsim_schedule_init(&wsc);
	assert_int_equal(irqsim_dfs(&scenario_model, &fx.rt, fx.init, &o,
				    &whole, &wv, &wsc), 0);
	assert_int_equal(wv.kind != 0, violation);
	n = whole.distinct;
	assert_true(n > 20);
	/* the second state, a third, two thirds, the last but one */
	stop_and_resume(&fx, &o, &whole, &wv, &wsc, 2, 0);
	stop_and_resume(&fx, &o, &whole, &wv, &wsc, n / 3, 0);
	stop_and_resume(&fx, &o, &whole, &wv, &wsc, n / 3, 2 * n / 3);
	stop_and_resume(&fx, &o, &whole, &wv, &wsc, n - 1, 0);
	irqsim_schedule_free(&wsc);
	fixture_free(&fx);
}

/* A search proved none, and one that ends at a violation. */
static const struct {
	const char *trace;
	bool violation;
} traces[] = {
	{ "seed000-host-driver.trace", false },
	{ "two-devices-one-loses.trace", true },
};

static void resume_sleep_sets_test(void **state)
{
	struct irqsim_dfs_opts o = { .preemption_bound = -1,
				     .sleep_sets = true };

	(void)state;
	for (size_t i = 0; i < sizeof(traces) / sizeof(traces[0]); i++)
		resume_in(traces[i].trace, &o, traces[i].violation);
}

static void resume_no_reduction_test(void **state)
{
	struct irqsim_dfs_opts o = { .preemption_bound = -1 };

	(void)state;
	for (size_t i = 0; i < sizeof(traces) / sizeof(traces[0]); i++)
		resume_in(traces[i].trace, &o, traces[i].violation);
}

static void resume_preemption_bound_test(void **state)
{
	struct irqsim_dfs_opts o = { .preemption_bound = 1,
				     .sleep_sets = true };

	(void)state;
	resume_in("seed000-host-driver.trace", &o, false);
}

static void resume_bitstate_test(void **state)
{
	struct irqsim_dfs_opts o = { .preemption_bound = -1,
				     .bitstate_bytes = 4096 };

	(void)state;
	resume_in("seed000-host-driver.trace", &o, false);
}

/* A checkpoint of seed000-host-driver at @stop states, in memory. */
static unsigned char *checkpoint_bytes(struct fixture *fx,
				       const struct irqsim_dfs_opts *opts,
				       uint64_t stop, size_t *size)
{
	struct irqsim_dfs_opts o = *opts;
	struct capture c = { 0 };
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	unsigned char *buf;
	long n;

	irqsim_schedule_init(&sc);
	o.max_states = stop;
	o.checkpoint = capture_last;
	o.checkpoint_arg = &c;
	assert_int_equal(irqsim_dfs(&scenario_model, &fx->rt, fx->init, &o,
				    &st, &v, &sc), 0);
	assert_non_null(c.f);
	assert_int_equal(fseek(c.f, 0, SEEK_END), 0);
	n = ftell(c.f);
	assert_true(n > 0);
	rewind(c.f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, c.f), (size_t)n);
	fclose(c.f);
	irqsim_schedule_free(&sc);
	*size = (size_t)n;
	return buf;
}

/* Open @buf as a checkpoint and load it into a new search: 0 or -errno. */
static int load_bytes(struct fixture *fx, const struct irqsim_dfs_opts *opts,
		      unsigned char *buf, size_t size, char *why, size_t len)
{
	FILE *f = fmemopen(buf, size, "rb");
	struct irqsim_ckpt_reader r;
	struct irqsim_dfs_stats st;
	struct irqsim_dfs *d;
	int ret;

	assert_non_null(f);
	why[0] = 0;
	ret = irqsim_ckpt_open(&r, f);
	if (!ret) {
		d = irqsim_dfs_new(&scenario_model, &fx->rt, opts);
		assert_non_null(d);
		ret = irqsim_dfs_load(d, fx->init, &r, &st);
		irqsim_dfs_free(d);
	}
	if (ret) {
		/* every refusal says why */
		assert_int_equal(ret, -22);
		assert_non_null(r.why);
		snprintf(why, len, "%s", r.why);
	}
	irqsim_ckpt_close(&r);
	fclose(f);
	return ret;
}

/* The checksum over @buf's bytes before its last 16, written there. */
static void fix_sum(unsigned char *buf, size_t size)
{
	struct irqsim_ckpt_sum sum;

	irqsim_ckpt_sum_init(&sum);
	for (size_t at = 0; at < size - 16; at += IRQSIM_CKPT_BLOCK)
		irqsim_ckpt_sum_block(&sum, buf + at,
				      size - 16 - at < IRQSIM_CKPT_BLOCK ?
					      size - 16 - at :
					      IRQSIM_CKPT_BLOCK);
	for (int i = 0; i < 8; i++) {
		buf[size - 16 + i] = (unsigned char)(sum.h.a >> (8 * i));
		buf[size - 8 + i] = (unsigned char)(sum.h.b >> (8 * i));
	}
}

static void damage_is_refused_test(void **state)
{
	struct irqsim_dfs_opts o = { .preemption_bound = -1,
				     .sleep_sets = true };
	struct fixture fx;
	unsigned char *buf, *copy;
	size_t size, loaded = 0, refused = 0;
	char why[160];

	(void)state;
	fixture_load(&fx, "seed000-host-driver.trace");
	o.bound = fx.s.bound;
	buf = checkpoint_bytes(&fx, &o, 200, &size);
	copy = malloc(size);
	assert_non_null(copy);
	assert_int_equal(load_bytes(&fx, &o, buf, size, why, sizeof(why)), 0);

	/* cut short anywhere: the checksum is not there, or not of this */
	for (size_t n = 1; n < size; n += n < 512 ? 1 : 97) {
		memcpy(copy, buf, n);
		assert_int_equal(load_bytes(&fx, &o, copy, n, why, sizeof(why)),
				 -22);
	}
	/* a bit changed anywhere, the checksum left as it was */
	for (size_t i = 0; i < size; i += i < 512 ? 1 : 31) {
		memcpy(copy, buf, size);
		copy[i] ^= (unsigned char)(1u << (i % 8));
		assert_int_equal(load_bytes(&fx, &o, copy, size, why,
					    sizeof(why)), -22);
		assert_true(strstr(why, "checksum") ||
			    strstr(why, "not an irqsim checkpoint"));
	}
	/*
	 * and with the checksum made to match (what a fuzzer does): read
	 * whole or refused with a reason, never believed in part
	 */
	for (size_t i = 0; i < size - 16; i += i < 640 ? 1 : 41) {
		memcpy(copy, buf, size);
		copy[i] ^= (unsigned char)(1u << (i % 8));
		fix_sum(copy, size);
		if (load_bytes(&fx, &o, copy, size, why, sizeof(why)))
			refused++;
		else
			loaded++;
	}
	/* the header, the settings, the stack's fingerprints are checked */
	assert_true(refused > 0);
	assert_true(loaded > 0);

	/* other settings */
	o.sleep_sets = false;
	assert_int_equal(load_bytes(&fx, &o, buf, size, why, sizeof(why)), -22);
	assert_non_null(strstr(why, "without sleep sets") ?
				strstr(why, "without sleep sets") :
				strstr(why, "with sleep sets"));
	o.sleep_sets = true;
	o.bound = fx.s.bound + 1;
	assert_int_equal(load_bytes(&fx, &o, buf, size, why, sizeof(why)), -22);
	assert_non_null(strstr(why, "steps"));
	free(copy);
	free(buf);
	fixture_free(&fx);
}

/* A checkpoint replayed in another trace's model does not replay. */
static void other_trace_does_not_replay_test(void **state)
{
	struct irqsim_dfs_opts o = { .preemption_bound = -1,
				     .sleep_sets = true };
	struct fixture fx, other;
	unsigned char *buf;
	size_t size;
	char why[160];

	(void)state;
	fixture_load(&fx, "seed000-host-driver.trace");
	fixture_load(&other, "seed002-late-request.trace");
	o.bound = fx.s.bound;
	assert_int_equal(fx.s.bound, other.s.bound);
	buf = checkpoint_bytes(&fx, &o, 100, &size);
	assert_int_equal(load_bytes(&other, &o, buf, size, why, sizeof(why)),
			 -22);
	assert_non_null(strstr(why, "does not replay"));
	free(buf);
	fixture_free(&other);
	fixture_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resume_sleep_sets_test),
		cmocka_unit_test(resume_no_reduction_test),
		cmocka_unit_test(resume_preemption_bound_test),
		cmocka_unit_test(resume_bitstate_test),
		cmocka_unit_test(damage_is_refused_test),
		cmocka_unit_test(other_trace_does_not_replay_test),
	};

	scenario_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
