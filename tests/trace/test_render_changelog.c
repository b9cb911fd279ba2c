// SPDX-License-Identifier: MIT
/*
 * The changelog form: the violation's causal slice only, a column per
 * CPU, calls indented under their callers. Checked against what the run
 * logged, whatever the golden files hold:
 *  - a device whose interrupts have nothing to do with the loss (the
 *    second device of two-devices-one-loses) has steps in the timeline
 *    and none in the changelog;
 *  - the changelog's numbered rows are timeline rows (same number, same
 *    text), the lost event and the violating step among them, none after
 *    the violating step (nothing after it can have caused it);
 *  - the write the violating CPU read (vector_irq = SHUTDOWN) is there,
 *    under the call that made it, and free_irq()'s mask under free_irq();
 *    of the two free_irq()s of the shrunk seed-000 run, only the one whose
 *    SHUTDOWN the CPU read;
 *  - columns are the CPUs the actors run on, not the actors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render_util.h"

#define MAX_ROWS 256

/* The "#N" of a row, 0 if none; *mark gets its '>' or '!' or ' '. */
static int row_num(const char *row, char *mark)
{
	int n = 0, x = 1;

	*mark = ' ';
	if (row[0] != '#')
		return 0;
	while (row[x] >= '0' && row[x] <= '9')
		n = n * 10 + (row[x++] - '0');
	while (row[x] == ' ')
		x++;
	if (row[x] == '>' || row[x] == '!')
		*mark = row[x];
	return n;
}

/* The text of a row after its gutter and indentation. */
static const char *row_text(const char *row)
{
	while (*row == '#' || (*row >= '0' && *row <= '9'))
		row++;
	while (*row == ' ' || *row == '>' || *row == '!')
		row++;
	return row;
}

struct rows {
	char *buf;
	char *line[4 * MAX_ROWS];
	int n;
	int num_line[MAX_ROWS];	/* row #N's line, -1 */
	int lost, violation;	/* their numbers */
};

/* Split a rendering into lines; index the numbered rows before the
 * footer (the first blank line after the header). */
static void split(char *out, struct rows *r)
{
	int blank = 0;

	memset(r, 0, sizeof(*r));
	r->buf = out;
	for (int i = 0; i < MAX_ROWS; i++)
		r->num_line[i] = -1;
	for (char *p = out; p && *p && r->n < 4 * MAX_ROWS;) {
		char *nl = strchr(p, '\n');
		char mark;
		int num;

		if (nl)
			*nl = 0;
		if (!*p)
			blank++;
		r->line[r->n] = p;
		num = row_num(p, &mark);
		if (blank == 1 && num > 0 && num < MAX_ROWS) {
			r->num_line[num] = r->n;
			if (mark == '>')
				r->violation = num;
			if (mark == '!')
				r->lost = num;
		}
		r->n++;
		p = nl ? nl + 1 : NULL;
	}
}

static void render_both(struct rendered_run *r, struct rows *tl,
			struct rows *cl)
{
	char *t = render_util_render(r, TRACE_TIMELINE, NULL);
	char *c = render_util_render(r, TRACE_CHANGELOG, NULL);

	assert_non_null(t);
	assert_non_null(c);
	split(t, tl);
	split(c, cl);
}

static void changelog_leaves_out_an_unrelated_device_test(void **state)
{
	struct rendered_run r;
	struct rows tl, cl;
	int ntl = 0, ncl = 0;
	char head[16];

	(void)state;
	/* seed 3 loses nic0's interrupt; nic1 raises its own meanwhile */
	assert_int_equal(render_util_run(&r,
					  "traces/two-devices-one-loses.trace",
					  NULL, 3), 0);
	assert_int_equal(r.res.verdict.kind, CHECK_LOST_INTERRUPT);
	assert_string_equal(r.s.machine.actor[r.res.verdict.origin_actor].name,
			    "nic0");
	render_both(&r, &tl, &cl);
	/*
	 * nic1 (device 1) did something the timeline shows, and the
	 * changelog not, by either name
	 */
	{
		bool in_timeline = false;

		for (int i = 0; i < tl.n; i++)
			in_timeline |= strstr(tl.line[i], "nic1 raises") ||
				       strstr(tl.line[i], "dev1 raises");
		assert_true(in_timeline);
	}
	for (int i = 0; i < cl.n; i++)
		if (strstr(cl.line[i], "nic1") || strstr(cl.line[i], "dev1"))
			fail_msg("the changelog names device 1: '%s'",
				 cl.line[i]);
	/* the marks are the timeline's */
	assert_true(cl.lost > 0);
	assert_true(cl.violation > 0);
	assert_int_equal(cl.lost, tl.lost);
	assert_int_equal(cl.violation, tl.violation);
	for (int num = 1; num < MAX_ROWS; num++) {
		const char *c, *t;

		ntl += tl.num_line[num] >= 0;
		if (cl.num_line[num] < 0)
			continue;
		ncl++;
		/* a timeline row, and not after the violation */
		assert_true(tl.num_line[num] >= 0);
		assert_true(num <= cl.violation);
		c = row_text(cl.line[cl.num_line[num]]);
		t = row_text(tl.line[tl.num_line[num]]);
		/*
		 * The same event, wrapped at other places: the changelog
		 * may drop "fn: " under fn(), so its first words are in
		 * the timeline's first line.
		 */
		snprintf(head, sizeof(head), "%.10s", c);
		if (!strstr(t, head))
			fail_msg("#%d: changelog '%s', timeline '%s'", num, c, t);
	}
	assert_true(ncl > 0);
	assert_true(ncl < ntl);
	free(tl.buf);
	free(cl.buf);
	render_util_free(&r);
}

/* The first line at or after @from holding @text; -1 if none. */
static int find(const struct rows *r, int from, const char *text)
{
	for (int i = from; i < r->n; i++)
		if (strstr(r->line[i], text))
			return i;
	return -1;
}

/* Where a line's text starts (after gutter and indentation). */
static int indent_of(const char *line)
{
	return (int)(row_text(line) - line);
}

static void changelog_nests_calls_and_the_write_read_test(void **state)
{
	struct rendered_run r;
	struct rows tl, cl;
	int free_irq, mask, deact, shutdown, read;

	(void)state;
	assert_int_equal(render_util_run(&r,
					  "traces/seed000-tglx-timeline.trace",
					  NULL, -1), 0);
	render_both(&r, &tl, &cl);
	/* columns per CPU: the header names CPUs, the actors under them */
	assert_non_null(strstr(cl.line[0], "CPU0"));
	assert_non_null(strstr(cl.line[0], "CPU1"));
	assert_null(strstr(tl.line[0], "CPU0"));
	/* free_irq() -> irq_shutdown() -> mask_irq, indented under it */
	free_irq = find(&cl, 0, "free_irq()");
	mask = find(&cl, free_irq, "mask_irq:");
	assert_true(free_irq >= 0 && mask > free_irq);
	assert_true(indent_of(cl.line[mask]) > indent_of(cl.line[free_irq]));
	/* the SHUTDOWN CPU1 read, under x86_vector_deactivate() */
	deact = find(&cl, free_irq, "x86_vector_deactivate()");
	shutdown = find(&cl, deact, "vector_irq[cpu1][32] = SHUTDOWN");
	read = find(&cl, shutdown, "read vector_irq[cpu1][32] = SHUTDOWN");
	assert_true(deact > free_irq);
	assert_true(shutdown == deact + 1);
	assert_true(indent_of(cl.line[shutdown]) > indent_of(cl.line[deact]));
	assert_true(read > shutdown);
	/* request_irq() comes after the discard: not a cause, not shown */
	assert_true(find(&tl, 0, "request_irq:") >= 0);
	assert_int_equal(find(&cl, 0, "request_irq"), -1);
	free(tl.buf);
	free(cl.buf);
	render_util_free(&r);
}

/* The numbers of the rows from x86_vector_deactivate writing SHUTDOWN. */
static int shutdown_rows(const struct rows *r, int *num, int max)
{
	int n = 0;

	for (int k = 1; k < MAX_ROWS; k++) {
		int i = r->num_line[k];

		if (i < 0 ||
		    !strstr(r->line[i], "vector_irq[cpu1][32] = SHUTDOWN") ||
		    strstr(r->line[i], "read "))
			continue;
		if (n < max)
			num[n] = k;
		n++;
	}
	return n;
}

static void changelog_keeps_the_shutdown_it_read_test(void **state)
{
	struct rendered_run r;
	struct rows tl, cl;
	int t[4], c[4];

	(void)state;
	/* explore's shrunk run: two SET_IRQS, the loss in the second */
	assert_int_equal(render_util_run_full(&r,
					      "traces/seed000-vfio-loss.trace",
					      NULL, -1, 0,
					      "nic0 vcpu0*35 cpu1:irq cpu1*3 vcpu0*11"),
			 0);
	assert_int_equal(r.res.verdict.kind, CHECK_LOST_INTERRUPT);
	render_both(&r, &tl, &cl);
	assert_int_equal(shutdown_rows(&tl, t, 4), 2);
	assert_int_equal(shutdown_rows(&cl, c, 4), 1);
	assert_int_equal(c[0], t[1]);
	free(tl.buf);
	free(cl.buf);
	render_util_free(&r);
}

/* A run without a violation has no slice: the changelog says so. */
static void changelog_without_violation_says_so_test(void **state)
{
	struct rendered_run r;
	char *out;

	(void)state;
	assert_int_equal(render_util_run(&r, "traces/seed000-vfio-loss.trace",
					  NULL, -1), 0);
	assert_int_equal(r.res.verdict.kind, 0);
	out = render_util_render(&r, TRACE_CHANGELOG, NULL);
	assert_non_null(out);
	assert_non_null(strstr(out, "no violation"));
	free(out);
	render_util_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(changelog_leaves_out_an_unrelated_device_test),
		cmocka_unit_test(changelog_nests_calls_and_the_write_read_test),
		cmocka_unit_test(changelog_keeps_the_shutdown_it_read_test),
		cmocka_unit_test(changelog_without_violation_says_so_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
