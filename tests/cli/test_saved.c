// SPDX-License-Identifier: MIT
/*
 * Saved runs (src/cli/saved.c): what `--save` writes reads back to the same
 * knobs and schedule and replays to the same verdict; the format version is
 * checked before anything else is read, and a file of another version, or
 * one that is not a saved run, is refused with "file:line: what".
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
#include "cli/version.h"

#define LOSS_TRACE	IRQSIM_SOURCE_DIR "/traces/seed000-vfio-loss.trace"
#define GOLDEN_SAVED	IRQSIM_SOURCE_DIR \
	"/tests/trace/golden/seed000-tglx-timeline.irqsim"

static char err[SCENARIO_ERR];

/* One run of the loss trace with vmm_reinject=on, as `irqsim run` does. */
struct recorded {
	struct scenario s;
	int knobs[IRQSIM_MAX_KNOBS];
	struct irqsim_schedule sc;
	struct irqsim_run_result res;
	char *text;		/* the saved file */
	size_t len;
	struct scenario_ignore ignore;	/* what the run ignored */
};

static void run_world(const struct scenario *s, const int *knobs,
		      struct irqsim_chooser *ch, struct irqsim_schedule *record,
		      struct irqsim_run_result *res)
{
	struct vmm_world *w = malloc(sizeof(*w));
	struct irqsim_rt rt;

	assert_non_null(w);
	assert_int_equal(scenario_world(s, knobs, w, err, sizeof(err)), 0);
	scenario_rt(s, knobs, NULL, &rt);
	irqsim_run(&scenario_model, &rt, w, ch, s->bound, record, res);
	free(w);
}

static void record_run(struct recorded *r, uint64_t seed)
{
	struct scenario_config cli = { 0 };
	struct irqsim_chooser ch = { .kind = IRQSIM_CHOOSE_RANDOM };
	FILE *f;

	memset(r, 0, sizeof(*r));
	assert_int_equal(scenario_load(&r->s, LOSS_TRACE, err, sizeof(err)),
			 0);
	assert_int_equal(config_add_setting(&cli, "vmm_reinject=on", err,
					    sizeof(err)), 0);
	config_apply(r->knobs, &r->s.config, &cli);
	irqsim_prng_seed(&ch.prng, seed);
	irqsim_schedule_init(&r->sc);
	run_world(&r->s, r->knobs, &ch, &r->sc, &r->res);
	assert_true(r->sc.n > 0);
	f = open_memstream(&r->text, &r->len);
	assert_non_null(f);
	assert_int_equal(saved_write(f, &r->s, r->knobs, seed, true, &r->sc,
				     &r->ignore, &r->res.verdict), 0);
	assert_int_equal(fclose(f), 0);
}

static void recorded_free(struct recorded *r)
{
	irqsim_schedule_free(&r->sc);
	scenario_free(&r->s);
	free(r->text);
}

static int setup(void **state)
{
	(void)state;
	scenario_init();
	err[0] = 0;
	return 0;
}

/* Written, read back: every knob, the schedule, and the same verdict. */
static void saved_roundtrip_replays_same_run_test(void **state)
{
	struct recorded r;
	struct saved_run sr;
	int knobs[IRQSIM_MAX_KNOBS];
	struct irqsim_chooser ch = { .kind = IRQSIM_CHOOSE_REPLAY };
	struct irqsim_run_result res;

	(void)state;
	for (uint64_t seed = 0; seed < 4; seed++) {
		record_run(&r, seed);
		assert_int_equal(saved_parse(&sr, "mem.irqsim", r.text, r.len,
					     err, sizeof(err)), 0);
		/* no only line: the oldest version that has the rest */
		assert_int_equal(sr.version, 2);
		/* the file's settings alone give the run's knobs */
		config_apply(knobs, &sr.s.config, &sr.config);
		assert_memory_equal(knobs, r.knobs,
				    sizeof(int) * irqsim_knob_count());
		assert_int_equal(sr.schedule.n, r.sc.n);
		assert_memory_equal(sr.schedule.t, r.sc.t,
				    r.sc.n * sizeof(r.sc.t[0]));
		assert_int_equal(sr.verdict_kind, r.res.verdict.kind);
		assert_int_equal(sr.verdict_step, r.res.verdict.step);
		assert_string_equal(sr.s.text, r.s.text);
		ch.replay = &sr.schedule;
		ch.pos = 0;
		run_world(&sr.s, knobs, &ch, NULL, &res);
		assert_int_equal(res.status, r.res.status);
		assert_int_equal(res.verdict.kind, r.res.verdict.kind);
		assert_int_equal(res.steps, r.res.steps);
		saved_free(&sr);
		recorded_free(&r);
	}
}

/* Parse @text; it must fail at @line with a message saying @what. */
static void expect_refused(const char *text, size_t len, int line,
			   const char *what)
{
	struct saved_run sr;
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "mem.irqsim:%d: ", line);
	assert_int_equal(saved_parse(&sr, "mem.irqsim", text, len, err,
				     sizeof(err)), -EINVAL);
	saved_free(&sr);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, what)) {
		print_error("message '%s' is not '%s...%s'\n", err, prefix,
			    what);
		fail();
	}
}

/* @r's file with its first line replaced by @first. */
static char *with_first_line(const struct recorded *r, const char *first,
			     size_t *len)
{
	const char *rest = strchr(r->text, '\n');
	char *t = malloc(strlen(first) + strlen(rest) + 1);

	assert_non_null(t);
	strcpy(t, first);
	strcat(t, rest);
	*len = strlen(t);
	return t;
}

/*
 * The version is the first line, exactly "irqsim-run N". A newer (or
 * older) N is refused whatever follows: its lines may mean something else.
 */
static void saved_unknown_version_refused_test(void **state)
{
	static const struct {
		const char *first, *what;
	} cases[] = {
		{ "irqsim-run 4", "format version 4 is not supported (this irqsim reads versions 1 to 3)" },
		{ "irqsim-run 0", "format version 0 is not supported" },
		{ "irqsim-run 100", "format version 100 is not supported" },
		{ "irqsim-run", "not an irqsim saved run" },
		{ "irqsim-run ", "bad format version ''" },
		{ "irqsim-run 1x", "bad format version '1x'" },
		{ "irqsim-run 1 2", "bad format version '1 2'" },
		{ "irqsim-run -1", "bad format version '-1'" },
		{ "irqsim-run 99999999999", "bad format version" },
		{ "trace foo", "not an irqsim saved run (the first line must be 'irqsim-run 3')" },
	};
	struct recorded r;

	(void)state;
	record_run(&r, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *t = with_first_line(&r, cases[i].first, &len);

		expect_refused(t, len, 1, cases[i].what);
		free(t);
	}
	recorded_free(&r);
}

/* A string literal, NUL bytes included. */
#define REFUSED(lit, line, what) expect_refused(lit, sizeof(lit) - 1, line, what)

/* Damaged files: each refused at the line that is wrong. */
static void saved_bad_lines_refused_test(void **state)
{
	(void)state;
	REFUSED("", 0, "empty file");
	REFUSED("irqsim-run 1\nset vmm_reinject=on\n", 2,
		"no trace-text line");
	REFUSED("irqsim-run 1\nbogus line\ntrace-text\n", 2,
		"unknown line 'bogus line'");
	REFUSED("irqsim-run 1\nset nosuch=1\ntrace-text\n", 2,
		"unknown knob 'nosuch'");
	REFUSED("irqsim-run 1\nverdict lost-interrupt\ntrace-text\n", 2,
		"bad verdict line");
	REFUSED("irqsim-run 1\nverdict nosuch 3\ntrace-text\n", 2,
		"bad verdict line");
	REFUSED("irqsim-run 1\nverdict none -3\ntrace-text\n", 2,
		"verdict step '-3'");
	REFUSED("irqsim-run 1\n\nschedule nosuch\ntrace-text\ncpus 1\n", 3,
		"bad schedule entry 'nosuch'");
	REFUSED("irqsim-run 1\nseed 3\0\ntrace-text\n", 2, "NUL byte");
	/* the ignore line came with version 2 */
	REFUSED("irqsim-run 1\nignore misrouted\ntrace-text\n", 2,
		"an ignore line needs format version 2");
	REFUSED("irqsim-run 2\nignore\ntrace-text\n", 2, "bad ignore line");
	REFUSED("irqsim-run 2\nignore misrouted,nosuch\ntrace-text\n", 2,
		"unknown verdict 'nosuch' in the ignore line");
	REFUSED("irqsim-run 2\nignore none\ntrace-text\n", 2,
		"unknown verdict 'none' in the ignore line");
	/* the only line came with version 3, once */
	REFUSED("irqsim-run 2\nonly nic0\ntrace-text\n", 2,
		"an only line needs format version 3");
	REFUSED("irqsim-run 3\nonly\ntrace-text\n", 2, "bad only line");
	REFUSED("irqsim-run 3\nonly nic0\nonly nic1\ntrace-text\n", 3,
		"a second only line (the first is line 2)");
}

/* An error in the embedded trace names the trace's own line. */
static void saved_trace_text_error_test(void **state)
{
	static const char text[] = "irqsim-run 1\ntrace-text\ncpus 2\nbogus\n";
	struct saved_run sr;

	(void)state;
	assert_int_equal(saved_parse(&sr, "mem.irqsim", text, strlen(text),
				     err, sizeof(err)), -EINVAL);
	saved_free(&sr);
	assert_non_null(strstr(err, "mem.irqsim(trace):2: unknown directive 'bogus'"));
}

/*
 * The verdict kinds a run ignored are saved (format 2) and read back, so
 * a replay judges the run as the run did; a file without the line
 * ignores nothing.
 */
static void saved_scoped_ignore_roundtrip_test(void **state);

static void saved_ignore_roundtrip_test(void **state)
{
	uint32_t masks[] = { 0, 1u << CHECK_LOST_INTERRUPT,
			     1u << CHECK_MISROUTED | 1u << CHECK_LOST_EOI |
				     1u << CHECK_VECTOR_LEAK };
	struct recorded r;

	(void)state;
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		struct saved_run sr;

		record_run(&r, 0);
		free(r.text);
		memset(&r.ignore, 0, sizeof(r.ignore));
		r.ignore.kinds = masks[i];
		{
			FILE *f = open_memstream(&r.text, &r.len);

			assert_non_null(f);
			assert_int_equal(saved_write(f, &r.s, r.knobs, 0, true,
						     &r.sc, &r.ignore,
						     &r.res.verdict), 0);
			assert_int_equal(fclose(f), 0);
		}
		assert_int_equal((strstr(r.text, "\nignore ") != NULL),
				 masks[i] != 0);
		assert_int_equal(saved_parse(&sr, "mem.irqsim", r.text, r.len,
					     err, sizeof(err)), 0);
		assert_int_equal(sr.version, 2);
		assert_int_equal(sr.ignore.kinds, masks[i]);
		assert_int_equal(sr.ignore.n, 0);
		saved_free(&sr);
		recorded_free(&r);
	}
}

/*
 * The committed golden run (tests/trace/golden/update writes it) is
 * version 1 and its schedule still gives the verdict it recorded.
 */
static void saved_golden_file_replays_test(void **state)
{
	struct saved_run sr;
	int knobs[IRQSIM_MAX_KNOBS];
	struct irqsim_chooser ch = { .kind = IRQSIM_CHOOSE_REPLAY };
	struct irqsim_run_result res;

	(void)state;
	assert_int_equal(saved_load(&sr, GOLDEN_SAVED, err, sizeof(err)), 0);
	assert_in_range(sr.version, SAVED_FORMAT_OLDEST, SAVED_FORMAT_VERSION);
	assert_true(sr.verdict_kind > 0);
	config_apply(knobs, &sr.s.config, &sr.config);
	ch.replay = &sr.schedule;
	run_world(&sr.s, knobs, &ch, NULL, &res);
	assert_int_equal(res.status, IRQSIM_RUN_VIOLATION);
	assert_int_equal(res.verdict.kind, sr.verdict_kind);
	assert_int_equal(res.verdict.step, sr.verdict_step);
	saved_free(&sr);
}

/*
 * A scoped ignore (KIND:OBJECT) is saved with the device's name and read
 * back against the saved trace; an unknown device in it is refused.
 */
static void saved_scoped_ignore_roundtrip_test(void **state)
{
	struct recorded r;
	struct saved_run sr;
	FILE *f;

	(void)state;
	record_run(&r, 0);
	free(r.text);
	r.ignore.kinds = 1u << CHECK_MISROUTED;
	r.ignore.n = 2;
	r.ignore.scoped[0] = (struct irqsim_scope){
		CHECK_LOST_INTERRUPT, CHECK_OBJECT(CHECK_OBJ_DEV, 0, 0) };
	r.ignore.scoped[1] = (struct irqsim_scope){
		CHECK_BINDING_LOST, CHECK_OBJECT(CHECK_OBJ_IRQ, 2, -1) };
	f = open_memstream(&r.text, &r.len);
	assert_non_null(f);
	assert_int_equal(saved_write(f, &r.s, r.knobs, 0, true, &r.sc,
				     &r.ignore, &r.res.verdict), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(r.text,
			       "\nignore misrouted,lost-interrupt:nic0.0,vector-binding-lost:irq2\n"));
	assert_int_equal(saved_parse(&sr, "mem.irqsim", r.text, r.len, err,
				     sizeof(err)), 0);
	assert_int_equal(sr.ignore.kinds, 1u << CHECK_MISROUTED);
	assert_int_equal(sr.ignore.n, 2);
	assert_memory_equal(sr.ignore.scoped, r.ignore.scoped,
			    2 * sizeof(r.ignore.scoped[0]));
	saved_free(&sr);
	/* the same file naming a device the trace does not have */
	{
		char *at = strstr(r.text, "nic0.0,");

		assert_non_null(at);
		memcpy(at, "nic9.0,", 7);
	}
	assert_int_equal(saved_parse(&sr, "mem.irqsim", r.text, r.len, err,
				     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "in the ignore line: 'nic9.0': unknown device"));
	saved_free(&sr);
	recorded_free(&r);
}

/*
 * The one object a run judged (--only, expect KIND:OBJECT) is saved as an
 * only line, which makes the file version 3, and read back against the
 * saved trace; a file without one stays version 2.
 */
static void saved_only_roundtrip_test(void **state)
{
	struct recorded r;
	struct saved_run sr;
	FILE *f;

	(void)state;
	record_run(&r, 0);
	assert_non_null(strstr(r.text, "irqsim-run 2\n"));
	assert_null(strstr(r.text, "\nonly "));
	free(r.text);
	r.ignore.only = CHECK_OBJECT(CHECK_OBJ_DEV, 0, 0);
	f = open_memstream(&r.text, &r.len);
	assert_non_null(f);
	assert_int_equal(saved_write(f, &r.s, r.knobs, 0, true, &r.sc,
				     &r.ignore, &r.res.verdict), 0);
	assert_int_equal(fclose(f), 0);
	assert_memory_equal(r.text, "irqsim-run 3\n", 13);
	assert_non_null(strstr(r.text, "\nonly nic0.0\n"));
	assert_int_equal(saved_parse(&sr, "mem.irqsim", r.text, r.len, err,
				     sizeof(err)), 0);
	assert_int_equal(sr.version, 3);
	assert_memory_equal(&sr.ignore.only, &r.ignore.only,
			    sizeof(r.ignore.only));
	saved_free(&sr);
	/* naming a device the trace does not have */
	{
		char *at = strstr(r.text, "\nonly nic0.0\n");

		assert_non_null(at);
		memcpy(at, "\nonly nic9.0\n", 13);
	}
	assert_int_equal(saved_parse(&sr, "mem.irqsim", r.text, r.len, err,
				     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "in the only line: 'nic9.0': unknown device"));
	saved_free(&sr);
	recorded_free(&r);
}

/*
 * The second line names the irqsim that wrote the file; the reader keeps
 * it (replay notes another one) and reads a file without it, as every
 * file before 0.1.0 is, to the same run.
 */
static void saved_made_by_test(void **state)
{
	char line[200], *without;
	struct recorded r;
	struct saved_run a, b;
	const char *second;
	size_t n;

	(void)state;
	record_run(&r, 1);
	second = strchr(r.text, '\n') + 1;
	snprintf(line, sizeof(line), "made-by %s\n", irqsim_version());
	assert_int_equal(strncmp(second, line, strlen(line)), 0);
	assert_int_equal(strncmp(irqsim_version(), "irqsim ", 7), 0);
	assert_int_equal(saved_parse(&a, "mem.irqsim", r.text, r.len, err,
				     sizeof(err)), 0);
	assert_string_equal(a.made_by, irqsim_version());
	/* the same file without the line */
	n = r.len - strlen(line);
	without = malloc(r.len);
	assert_non_null(without);
	memcpy(without, r.text, (size_t)(second - r.text));
	memcpy(without + (second - r.text), second + strlen(line),
	       r.len - (size_t)(second - r.text) - strlen(line));
	assert_int_equal(saved_parse(&b, "mem.irqsim", without, n, err,
				     sizeof(err)), 0);
	assert_string_equal(b.made_by, "");
	assert_int_equal(b.version, a.version);
	assert_int_equal(b.schedule.n, a.schedule.n);
	assert_memory_equal(b.schedule.t, a.schedule.t,
			    a.schedule.n * sizeof(a.schedule.t[0]));
	assert_int_equal(b.verdict_kind, a.verdict_kind);
	assert_string_equal(b.s.text, a.s.text);
	saved_free(&a);
	saved_free(&b);
	free(without);
	recorded_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(saved_roundtrip_replays_same_run_test,
				       setup),
		cmocka_unit_test_setup(saved_unknown_version_refused_test,
				       setup),
		cmocka_unit_test_setup(saved_bad_lines_refused_test, setup),
		cmocka_unit_test_setup(saved_trace_text_error_test, setup),
		cmocka_unit_test_setup(saved_golden_file_replays_test, setup),
		cmocka_unit_test_setup(saved_ignore_roundtrip_test, setup),
		cmocka_unit_test_setup(saved_scoped_ignore_roundtrip_test, setup),
		cmocka_unit_test_setup(saved_only_roundtrip_test, setup),
		cmocka_unit_test_setup(saved_made_by_test, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
