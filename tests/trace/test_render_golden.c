// SPDX-License-Identifier: MIT
/*
 * The text and timeline renderings of tglx's third seeds/000 timeline
 * (traces/seed000-tglx-timeline.trace, a fixed schedule) against golden
 * files made from a saved run of it (tests/trace/golden/update). A change
 * in either output fails here until someone regenerates the files on
 * purpose and reviews the diff; the tests never accept output on their
 * own. Beside the byte comparison, the tests check what the renderings
 * must say whatever the golden files hold: the violation is marked on the
 * interrupt entry of the CPU the MSI was sent to (tglx's #2: the
 * interrupt observes VECTOR_SHUTDOWN and is EOI'd), the lost event on the
 * device, lines within 75 columns, ftrace-like key=value lines. The
 * changelog form of the same run against its golden file too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render_util.h"

#define TGLX_TRACE	"traces/seed000-tglx-timeline.trace"
#define GOLDEN		"tests/trace/golden/seed000-tglx-timeline"

struct msi_target {
	int cpu, vector;
	int dev_actor;		/* the device that sent it */
	int irq_actor;		/* that CPU's hard-irq context */
};

/* Where the device's message went, from the msi_send event it logged. */
static void msi_target(const struct rendered_run *r, struct msi_target *t)
{
	const struct vmm_machine *m = &r->s.machine;

	t->cpu = t->vector = t->dev_actor = t->irq_actor = -1;
	for (size_t i = 0; i < r->log.n && t->cpu < 0; i++) {
		const struct irqsim_event *e = &r->log.ev[i];

		if (e->tp && !strcmp(e->tp, "msi_send") &&
		    render_util_field(e, "cpu") >= 0) {
			t->cpu = (int)render_util_field(e, "cpu");
			t->vector = (int)render_util_field(e, "vector");
			t->dev_actor = e->actor;
		}
	}
	for (int a = 0; a < m->nactors; a++)
		if (m->actor[a].role == ROLE_HARDIRQ && m->actor[a].cpu == t->cpu)
			t->irq_actor = a;
	assert_true(t->cpu >= 0);
	assert_true(t->irq_actor >= 0);
	assert_int_equal(m->actor[t->dev_actor].role, ROLE_DEVICE);
}

/* Compare with the golden file; on a difference keep what we got. */
static void check_golden(const char *got, const char *golden_path)
{
	char *want = render_util_slurp(golden_path);

	assert_non_null(want);
	if (strcmp(got, want)) {
		char out[256];
		const char *base = strrchr(golden_path, '/') + 1;
		FILE *f;

		snprintf(out, sizeof(out), "%s.actual", base);
		f = fopen(out, "w");
		if (f) {
			fputs(got, f);
			fclose(f);
		}
		fail_msg("%s differs from this build's rendering (kept in %s in the test's directory); if the change is intended, run tests/trace/golden/update and review the diff",
			 golden_path, out);
	}
	free(want);
}

static void timeline_matches_golden_test(void **state)
{
	struct rendered_run r;
	char *got;

	(void)state;
	assert_int_equal(render_util_run(&r, TGLX_TRACE, NULL, -1), 0);
	/* the mail's outcome: the interrupt is lost */
	assert_int_equal(r.res.verdict.kind, CHECK_LOST_INTERRUPT);
	got = render_util_render(&r, TRACE_TIMELINE, NULL);
	assert_non_null(got);
	check_golden(got, GOLDEN ".timeline");
	free(got);
	render_util_free(&r);
}

static void changelog_matches_golden_test(void **state)
{
	struct rendered_run r;
	char *got;

	(void)state;
	assert_int_equal(render_util_run(&r, TGLX_TRACE, NULL, -1), 0);
	got = render_util_render(&r, TRACE_CHANGELOG, NULL);
	assert_non_null(got);
	check_golden(got, GOLDEN ".changelog");
	free(got);
	render_util_free(&r);
}

static void text_matches_golden_test(void **state)
{
	struct rendered_run r;
	char *got;

	(void)state;
	assert_int_equal(render_util_run(&r, TGLX_TRACE, NULL, -1), 0);
	got = render_util_render(&r, TRACE_TEXT, NULL);
	assert_non_null(got);
	check_golden(got, GOLDEN ".text");
	free(got);
	render_util_free(&r);
}

/* The mark in a row's gutter ("#12 > ..."): '>', '!' or ' '. */
static char gutter_mark(const char *row)
{
	const char *p = row + 1;

	while (*p >= '0' && *p <= '9')
		p++;
	while (*p == ' ' && p - row < 8)
		p++;
	return *p == '>' || *p == '!' ? *p : ' ';
}

/* Column of a timeline row: where its text starts, against the header. */
static int column_of(const char *row, const int *x, int ncols)
{
	int start = 0, col = -1;

	while (row[start] == '#' || (row[start] >= '0' && row[start] <= '9'))
		start++;
	while (row[start] == ' ' || row[start] == '>' || row[start] == '!')
		start++;
	for (int c = 0; c < ncols; c++)
		if (x[c] == start)
			col = c;
	return col;
}

static void timeline_marks_discard_and_lost_event_test(void **state)
{
	struct rendered_run r;
	struct msi_target t;
	const struct vmm_machine *m;
	char *got, *line, *save = NULL;
	int x[IRQSIM_MAX_ACTORS], who[IRQSIM_MAX_ACTORS], ncols = 0;
	int violation_rows = 0, lost_rows = 0, lineno = 0;

	(void)state;
	assert_int_equal(render_util_run(&r, TGLX_TRACE, NULL, -1), 0);
	m = &r.s.machine;
	msi_target(&r, &t);
	got = render_util_render(&r, TRACE_TIMELINE, NULL);
	assert_non_null(got);

	for (line = strtok_r(got, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lineno++) {
		/* a changelog's width (checkpatch): three actors fit */
		assert_true(strlen(line) <= TRACE_WIDTH_DEFAULT);
		if (lineno == 0) {
			/* the header: actor names at their columns */
			for (int a = 0; a < m->nactors; a++) {
				const char *p = strstr(line, m->actor[a].name);

				while (p && p > line && p[-1] != ' ')
					p = strstr(p + 1, m->actor[a].name);
				if (!p)
					continue;
				x[ncols] = (int)(p - line);
				who[ncols++] = a;
			}
			assert_int_equal(ncols, 3);
			continue;
		}
		if (line[0] != '#' || strstr(line, "the lost event") ||
		    strstr(line, "became inevitable"))
			continue;
		if (gutter_mark(line) == '>') {
			int c = column_of(line, x, ncols);

			violation_rows++;
			assert_true(c >= 0);
			/* the interrupt entry of the CPU the MSI targeted */
			assert_int_equal(who[c], t.irq_actor);
			assert_non_null(strstr(line, "common_interrupt"));
			assert_non_null(strstr(line, "discarded"));
		}
		if (gutter_mark(line) == '!') {
			int c = column_of(line, x, ncols);

			lost_rows++;
			assert_true(c >= 0);
			assert_int_equal(who[c], t.dev_actor);
		}
	}
	assert_int_equal(violation_rows, 1);
	assert_int_equal(lost_rows, 1);
	free(got);
	render_util_free(&r);
}

/* "  cpu1 [001]   12: tracepoint: key=value key=value" */
static bool ftrace_line(const char *l)
{
	const char *p = l;

	while (*p == ' ')
		p++;
	if (!*p || *p == ' ')
		return false;
	while (*p && *p != ' ')
		p++;
	if (strncmp(p, " [", 2))
		return false;
	p += 2;
	if (strncmp(p, "---", 3) &&
	    !(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' &&
	      p[2] >= '0' && p[2] <= '9'))
		return false;
	p += 3;
	if (*p++ != ']')
		return false;
	while (*p == ' ')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (strncmp(p, ": ", 2))
		return false;
	p += 2;
	while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	if (strncmp(p, ": ", 2))
		return false;
	p += 2;
	/* key=value, space-separated; a quoted value may hold spaces */
	while (*p) {
		const char *k = p;

		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		       *p == '_')
			p++;
		if (p == k || *p++ != '=')
			return false;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p++ != '"')
				return false;
		} else {
			if (!*p || *p == ' ')
				return false;
			while (*p && *p != ' ')
				p++;
		}
		if (*p == ' ')
			p++;
	}
	return true;
}

static void text_is_ftrace_like_and_marks_the_discard_test(void **state)
{
	struct rendered_run r;
	struct msi_target t;
	char *got, *line, *save = NULL, want[128], prev[512] = "";
	int events = 0, marks = 0;

	(void)state;
	assert_int_equal(render_util_run(&r, TGLX_TRACE, NULL, -1), 0);
	msi_target(&r, &t);
	got = render_util_render(&r, TRACE_TEXT, NULL);
	assert_non_null(got);
	snprintf(want, sizeof(want),
		 "common_interrupt: cpu=%d vector=%d action=eoi_discard", t.cpu,
		 t.vector);
	for (line = strtok_r(got, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#') {
			if (strstr(line, "became inevitable here")) {
				/* after the line where the entry code EOI'd it */
				marks++;
				assert_non_null(strstr(prev, want));
			}
			continue;
		}
		if (!ftrace_line(line))
			fail_msg("not an ftrace-like line: '%s'", line);
		snprintf(prev, sizeof(prev), "%s", line);
		events++;
	}
	/* one line per trace event of the log */
	{
		int logged = 0;

		for (size_t i = 0; i < r.log.n; i++)
			logged += r.log.ev[i].kind == IRQSIM_EV_TRACE;
		assert_int_equal(events, logged);
	}
	assert_int_equal(marks, 1);
	free(got);
	render_util_free(&r);
}

static void ftrace_line_checker_rejects_prose_test(void **state)
{
	(void)state;
	/* the checker must have teeth */
	assert_true(ftrace_line("   cpu1 [001]     12: common_interrupt: cpu=1 vector=32"));
	assert_true(ftrace_line("   nic0 [---]      1: x: msg=\"a b \\\"c\\\"\""));
	assert_false(ftrace_line("   cpu1 [001]     12: common_interrupt: read vector_irq"));
	assert_false(ftrace_line("   cpu1 [1]     12: common_interrupt: cpu=1"));
	assert_false(ftrace_line("   cpu1 [001]     12: common_interrupt: cpu="));
}

/*
 * seeds/003: the QEMU trace of David Woodhouse's mail as a fixed schedule
 * (traces/seed003-trace-order.trace), run past the misrouted delivery to
 * the lost EOI. The timeline against its golden file, and, whatever the
 * golden file holds, QEMU's ioapic_* tracepoints of the run in the mail's
 * order, one for one.
 */
#define ORDER_TRACE	"traces/seed003-trace-order.trace"

static int run_trace_order(struct rendered_run *r)
{
	return render_util_run_ignoring(r, ORDER_TRACE, NULL, -1,
					1u << CHECK_MISROUTED);
}

static void trace_order_timeline_matches_golden_test(void **state)
{
	struct rendered_run r;
	char *got;

	(void)state;
	assert_int_equal(run_trace_order(&r), 0);
	assert_int_equal(r.res.verdict.kind, CHECK_LOST_EOI);
	got = render_util_render(&r, TRACE_TIMELINE, NULL);
	assert_non_null(got);
	check_golden(got, "tests/trace/golden/seed003-trace-order.timeline");
	free(got);
	render_util_free(&r);
}

/*
 * The mail's QEMU trace, byte for byte (tests/trace/data/seed003-mail.log),
 * read as QEMU's formats print it (src/trace/import.c), against the
 * run's tracepoints that such a log shows, one for one and in order. One
 * field differs, and is not compared: the mail's first write shows regsel
 * 0x27, the model's 0x26; at a write to IOREGSEL QEMU prints the register
 * selected before it, which the guest selected before this schedule.
 */
static void trace_order_follows_the_mail_test(void **state)
{
	struct trace_log_ids ids = { 0 };
	struct trace_log mail;
	struct rendered_run r;
	char path[4096], why[320], *text;
	size_t k = 0, len;
	int notes = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/trace/data/seed003-mail.log",
		 IRQSIM_SOURCE_DIR);
	f = fopen(path, "rb");
	assert_non_null(f);
	text = calloc(1, 1 << 16);
	assert_non_null(text);
	len = fread(text, 1, (1 << 16) - 1, f);
	fclose(f);
	assert_true(len > 0);
	assert_int_equal(trace_log_parse(&mail, path, text, TRACE_LOG_QEMU,
					 why, sizeof(why)), 0);
	free(text);
	assert_int_equal(mail.n, 22);
	assert_int_equal(run_trace_order(&r), 0);
	for (size_t i = 0; i < r.log.n; i++) {
		const struct irqsim_event *e = &r.log.ev[i];
		int rc;

		if (!trace_log_shows(&mail, e))
			continue;
		if (k >= mail.n)
			fail_msg("after the mail's last line: %s %s", e->fn,
				 e->text);
		rc = trace_log_match(&mail.ev[k], e, &ids, why, sizeof(why));
		if (rc < 0)
			fail_msg("line %d of the mail: '%s', got '%s': %s",
				 mail.ev[k].line, mail.ev[k].text, e->text,
				 why);
		if (rc > 0) {
			assert_int_equal(mail.ev[k].line, 6);
			assert_non_null(strstr(why, "regsel: 0x27 in the log, 0x26 in the model"));
			notes++;
		}
		k++;
	}
	/* the trace ends as the mail does: no EOI broadcast after it */
	assert_int_equal(k, mail.n);
	assert_int_equal(notes, 1);
	trace_log_free(&mail);
	render_util_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timeline_matches_golden_test),
		cmocka_unit_test(changelog_matches_golden_test),
		cmocka_unit_test(text_matches_golden_test),
		cmocka_unit_test(timeline_marks_discard_and_lost_event_test),
		cmocka_unit_test(text_is_ftrace_like_and_marks_the_discard_test),
		cmocka_unit_test(ftrace_line_checker_rejects_prose_test),
		cmocka_unit_test(trace_order_timeline_matches_golden_test),
		cmocka_unit_test(trace_order_follows_the_mail_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
