// SPDX-License-Identifier: MIT
/*
 * The timeline and the changelog within their width, for every trace in
 * traces/: its run as `irqsim run` gives it (the trace's schedule) and
 * seeds 0 and 1, at 75 columns (the default: checkpatch's limit for a
 * commit message), 60 and 120. No line is wider; the header's labels
 * never run into each other (every word of the header is a name or a
 * role word of the trace's actors); when the columns do not fit, a note
 * says which actors share the last one, and the violating step and the
 * lost event keep columns of their own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>

#include <cmocka.h>

#include "render_util.h"

static const int widths[] = { TRACE_WIDTH_DEFAULT, 60, 120 };

/* Is @w (up to @n chars) a word a header of @m may hold? */
static bool header_word(const struct vmm_machine *m, const char *w, size_t n)
{
	static const char *const words[] = {
		"(others)", "vCPU", "thread", "QEMU", "main", "loop", "guest",
		"irq", "hard", "device", "task", "actor",
	};
	char cpu[8];

	if (n && w[n - 1] == ',')
		n--;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !strncmp(words[i], w, n))
			return true;
	for (int a = 0; a < m->nactors; a++) {
		snprintf(cpu, sizeof(cpu), "CPU%d", m->actor[a].cpu);
		if ((strlen(m->actor[a].name) == n &&
		     !strncmp(m->actor[a].name, w, n)) ||
		    (strlen(cpu) == n && !strncmp(cpu, w, n)))
			return true;
	}
	return false;
}

/* The actor whose column starts at @x in header line @name_line. */
static int actor_at(const struct vmm_machine *m, const char *name_line, int x)
{
	for (int a = 0; a < m->nactors; a++) {
		size_t n = strlen(m->actor[a].name);

		if ((int)strlen(name_line) >= x + (int)n &&
		    !strncmp(name_line + x, m->actor[a].name, n) &&
		    (name_line[x + n] == ' ' || !name_line[x + n]))
			return a;
	}
	return -1;
}

/* Where a row's cell starts: after the gutter "#12 > ". */
static int cell_x(const char *row)
{
	int x = 0;

	while (row[x] == '#' || (row[x] >= '0' && row[x] <= '9'))
		x++;
	while (row[x] == ' ' || row[x] == '>' || row[x] == '!')
		x++;
	return x;
}

/* The mark of a row's gutter: '>', '!' or ' '. */
static char row_mark(const char *row)
{
	int x = 0;

	if (row[0] != '#')
		return ' ';
	while (row[x] == '#' || (row[x] >= '0' && row[x] <= '9'))
		x++;
	while (row[x] == ' ')
		x++;
	return row[x] == '>' || row[x] == '!' ? row[x] : ' ';
}

struct checked {
	int renders, folded, marked;
};

static void check_one(const struct rendered_run *r, int format, int width,
		      const char *what, struct checked *ck)
{
	const struct vmm_machine *m = &r->s.machine;
	char *out, *line, *save = NULL, *name_line = NULL;
	bool in_header = true, in_rows = false, folded = false, noted = false;
	size_t len;
	int lineno = 0;

	out = render_util_render(r, format, &len);
	assert_non_null(out);
	ck->renders++;
	/* the note, read across its wrapped lines */
	{
		char *flat = strdup(out);

		assert_non_null(flat);
		for (char *c = flat; *c; c++)
			if (*c == '\n')
				*c = ' ';
		noted = strstr(flat, "share the last one") != NULL;
		free(flat);
	}
	/* "(trace: no violation: ...)": a message, no columns */
	if (out[0] == '(')
		in_header = false;
	/* strtok_r skips empty lines: find the header's end first */
	{
		char *blank = strstr(out, "\n\n");

		if (blank) {
			blank[1] = 0x01;	/* the header ends */
			blank = strstr(blank, "\n\n");
		}
		if (blank)
			blank[1] = 0x02;	/* the rows end */
	}
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lineno++) {
		const char *p = line;

		if (line[0] == 0x01 || line[0] == 0x02) {
			in_header = false;
			in_rows = line[0] == 0x01;
			line++;
			if (!*line)
				continue;
		}
		if ((int)strlen(line) > width)
			fail_msg("%s, %s --width %d: line %d has %zu characters: '%s'",
				 what, trace_format_name(format), width,
				 lineno + 1, strlen(line), line);
		if (in_header) {
			if (!name_line)
				name_line = line;
			if (strstr(line, "(others)"))
				folded = true;
			while (*p) {
				size_t n;

				while (*p == ' ')
					p++;
				n = strcspn(p, " ");
				if (n && !header_word(m, p, n))
					fail_msg("%s, %s --width %d: header word '%.*s' (labels run together?) in '%s'",
						 what,
						 trace_format_name(format),
						 width, (int)n, p, line);
				p += n;
			}
			continue;
		}
		/* folded: the marked rows stay in columns of their own */
		if (folded && in_rows && format == TRACE_TIMELINE &&
		    row_mark(line) != ' ') {
			int a = actor_at(m, name_line, cell_x(line));

			assert_non_null(name_line);
			if (a < 0)
				fail_msg("%s, --width %d: the marked row '%s' is not in an actor's own column",
					 what, width, line);
			ck->marked++;
		}
	}
	/* a folded column is explained */
	if (folded != noted)
		fail_msg("%s, %s --width %d: %s", what,
			 trace_format_name(format), width,
			 folded ? "folded without a note" :
				  "a note without a folded column");
	ck->folded += folded;
	free(out);
}

static void every_trace_fits_its_width_test(void **state)
{
	struct checked ck = { 0 };
	struct dirent *d;
	DIR *dir;
	int traces = 0;

	(void)state;
	dir = opendir(IRQSIM_SOURCE_DIR "/traces");
	assert_non_null(dir);
	while ((d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		char path[512];

		if (n < 7 || strcmp(d->d_name + n - 6, ".trace"))
			continue;
		snprintf(path, sizeof(path), "traces/%s", d->d_name);
		traces++;
		for (long long seed = -1; seed <= 1; seed++) {
			struct rendered_run r;
			char what[600];

			assert_int_equal(render_util_run(&r, path, NULL, seed),
					 0);
			snprintf(what, sizeof(what), "%s seed %lld", path, seed);
			for (size_t w = 0; w < sizeof(widths) / sizeof(*widths);
			     w++) {
				r.run.width = widths[w];
				check_one(&r, TRACE_TIMELINE, widths[w], what,
					  &ck);
				check_one(&r, TRACE_CHANGELOG, widths[w], what,
					  &ck);
			}
			render_util_free(&r);
		}
	}
	closedir(dir);
	assert_true(traces >= 40);
	/* the checks above had work to do: some runs fold, some are marked */
	assert_true(ck.folded > 0);
	assert_true(ck.marked > 0);
}

/* The checker has teeth: a header whose labels touch is refused. */
static void header_check_refuses_run_together_labels_test(void **state)
{
	struct rendered_run r;

	(void)state;
	assert_int_equal(render_util_run(&r, "traces/seed000-vfio-loss.trace",
					  NULL, -1), 0);
	assert_true(header_word(&r.s.machine, "vcpu0", 5));
	assert_true(header_word(&r.s.machine, "CPU0,", 5));
	assert_false(header_word(&r.s.machine, "CPU0QEMU", 8));
	assert_false(header_word(&r.s.machine, "vcpu0main", 9));
	render_util_free(&r);
}

/*
 * Two devices, one of which loses an interrupt, at 60 columns: five
 * actors, three columns. The violating step's actor (the CPU that
 * discards the interrupt) and the lost event's device keep theirs; the
 * other device, which has nothing to do with the loss, shares the last
 * one, and the note says so.
 */
static void narrow_timeline_keeps_the_causal_actors_test(void **state)
{
	struct rendered_run r;
	const struct vmm_machine *m;
	char *out, *first_nl;
	int vactor, lactor;

	(void)state;
	/* seed 3 of two-devices-one-loses loses nic0's interrupt */
	assert_int_equal(render_util_run(&r,
					  "traces/two-devices-one-loses.trace",
					  NULL, 3), 0);
	assert_int_equal(r.res.verdict.kind, CHECK_LOST_INTERRUPT);
	m = &r.s.machine;
	vactor = -1;
	for (size_t i = 0; i < r.log.n && vactor < 0; i++)
		if (r.log.ev[i].step == r.res.verdict.step &&
		    r.log.ev[i].important)
			vactor = r.log.ev[i].actor;
	lactor = r.res.verdict.origin_actor;
	assert_true(vactor >= 0);
	assert_int_equal(m->actor[vactor].role, ROLE_HARDIRQ);
	assert_string_equal(m->actor[lactor].name, "nic0");
	r.run.width = 60;
	out = render_util_render(&r, TRACE_TIMELINE, NULL);
	assert_non_null(out);
	first_nl = strchr(out, '\n');
	assert_non_null(first_nl);
	*first_nl = 0;
	/* the header's first line names them, each in a column of its own */
	assert_non_null(strstr(out, m->actor[vactor].name));
	assert_non_null(strstr(out, "nic0"));
	assert_non_null(strstr(out, "(others)"));
	assert_null(strstr(out, "nic1"));
	/* nic1 is folded, and said to be */
	assert_non_null(strstr(first_nl + 1, "nic1"));
	assert_non_null(strstr(first_nl + 1, "share the last one"));
	free(out);
	render_util_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_trace_fits_its_width_test),
		cmocka_unit_test(header_check_refuses_run_together_labels_test),
		cmocka_unit_test(narrow_timeline_keeps_the_causal_actors_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
