// SPDX-License-Identifier: MIT
/*
 * The limits of the trace parser (src/cli/parser.c) and the saved-run
 * reader (src/cli/saved.c). Each limit is probed at its value, which must
 * parse, and one past it, which must be refused with "file:line: " and a
 * message that names the limit: a user who hits one learns which and
 * where, and the tool never reads past a fixed-size table.
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

#define FILE_NAME "limits.trace"

static struct scenario sc;
static char err[SCENARIO_ERR];

/* A growing text, built with printf. */
struct text {
	FILE *f;
	char *buf;
	size_t len;
};

static void text_open(struct text *t)
{
	t->buf = NULL;
	t->f = open_memstream(&t->buf, &t->len);
	assert_non_null(t->f);
}

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(t->f, fmt, ap);
	va_end(ap);
}

static const char *text_done(struct text *t)
{
	assert_int_equal(fclose(t->f), 0);
	t->f = NULL;
	return t->buf;
}

static int setup(void **state)
{
	(void)state;
	scenario_init();
	memset(&sc, 0, sizeof(sc));
	return 0;
}

static void parses(const char *text)
{
	err[0] = 0;
	if (scenario_parse(&sc, FILE_NAME, text, err, sizeof(err))) {
		print_error("at the limit, refused: %s\n", err);
		fail();
	}
	scenario_free(&sc);
}

/* Refused at @line; the message says @what (the limit, with its value). */
static void refused(const char *text, int line, const char *what)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), FILE_NAME ":%d: ", line);
	assert_int_equal(scenario_parse(&sc, FILE_NAME, text, err,
					sizeof(err)), -EINVAL);
	scenario_free(&sc);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, what)) {
		print_error("message '%s' is not '%s...%s'\n", err, prefix,
			    what);
		fail();
	}
}

/* "cpus N" then @body, at N = @n. */
static char *with_cpus(int n, const char *body)
{
	struct text t;

	text_open(&t);
	add(&t, "cpus %d\n%s", n, body);
	text_done(&t);
	return t.buf;
}

static void limit_cpus_test(void **state)
{
	char what[64], *t;

	(void)state;
	t = with_cpus(IRQSIM_MAX_CPUS, "actor t0 cpu=0\nexpect none\n");
	parses(t);
	free(t);
	t = with_cpus(IRQSIM_MAX_CPUS + 1, "actor t0\nexpect none\n");
	snprintf(what, sizeof(what), "cpus must be 1..%d", IRQSIM_MAX_CPUS);
	refused(t, 1, what);
	free(t);
	/* a CPU number past the declared ones, on any directive */
	t = with_cpus(2, "device nic0 affinity=cpu2\n");
	refused(t, 2, "cpu must be 0..1");
	free(t);
}

static void limit_vcpus_test(void **state)
{
	struct text t;
	char what[64];

	(void)state;
	text_open(&t);
	add(&t, "cpus 1\nvcpus %d\n", IRQSIM_MAX_VCPUS);
	for (int v = 0; v < IRQSIM_MAX_VCPUS; v++)
		add(&t, "actor v%d vcpu=%d\n", v, v);
	parses(text_done(&t));
	free(t.buf);
	text_open(&t);
	add(&t, "cpus 1\nvcpus %d\n", IRQSIM_MAX_VCPUS + 1);
	snprintf(what, sizeof(what), "vcpus must be 0..%d", IRQSIM_MAX_VCPUS);
	refused(text_done(&t), 2, what);
	free(t.buf);
}

/* One implicit actor per CPU (cpus 1: cpu0), then tasks up to the table. */
static void limit_actors_test(void **state)
{
	struct text t;
	char what[64];

	(void)state;
	text_open(&t);
	add(&t, "cpus 1\n");
	for (int a = 1; a < IRQSIM_MAX_ACTORS; a++)
		add(&t, "actor t%d\n", a);
	parses(text_done(&t));
	free(t.buf);
	text_open(&t);
	add(&t, "cpus 1\n");
	for (int a = 1; a <= IRQSIM_MAX_ACTORS; a++)
		add(&t, "actor t%d\n", a);
	snprintf(what, sizeof(what), "too many actors (at most %d",
		 IRQSIM_MAX_ACTORS);
	refused(text_done(&t), IRQSIM_MAX_ACTORS + 1, what);
	free(t.buf);
}

/*
 * A guest adds guestN per vCPU and QEMU's main loop after the file is
 * read: when they do not fit, the message points at the 'vcpus' line.
 */
static void limit_actors_implicit_guest_test(void **state)
{
	struct text t;
	char what[64];
	int room;

	(void)state;
	/* cpu0, v0, guest0, main: the tasks get the rest */
	room = IRQSIM_MAX_ACTORS - 4;
	text_open(&t);
	add(&t, "cpus 1\nvcpus 1\nactor v0 vcpu=0\n");
	for (int a = 0; a < room; a++)
		add(&t, "actor t%d\n", a);
	parses(text_done(&t));
	free(t.buf);
	text_open(&t);
	add(&t, "cpus 1\nvcpus 1\nactor v0 vcpu=0\n");
	for (int a = 0; a <= room; a++)
		add(&t, "actor t%d\n", a);
	add(&t, "expect none\n");
	snprintf(what, sizeof(what), "at most %d actors", IRQSIM_MAX_ACTORS);
	refused(text_done(&t), 2, what);
	assert_non_null(strstr(err, "'vcpus 1' adds 2 implicit actors"));
	free(t.buf);
}

static void limit_devices_test(void **state)
{
	struct text t;
	char what[64];

	(void)state;
	text_open(&t);
	for (int d = 0; d < IRQSIM_MAX_DEVS; d++)
		add(&t, "device nic%d\n", d);
	parses(text_done(&t));
	free(t.buf);
	text_open(&t);
	for (int d = 0; d <= IRQSIM_MAX_DEVS; d++)
		add(&t, "device nic%d\n", d);
	snprintf(what, sizeof(what), "too many devices (at most %d)",
		 IRQSIM_MAX_DEVS);
	refused(text_done(&t), IRQSIM_MAX_DEVS + 1, what);
	free(t.buf);
}

static void limit_vectors_test(void **state)
{
	char text[128], what[64];

	(void)state;
	snprintf(text, sizeof(text), "device nic0 msix=%d\nnic0: raise %d\n",
		 IRQSIM_MAX_VECS, IRQSIM_MAX_VECS - 1);
	parses(text);
	snprintf(text, sizeof(text), "device nic0 msix=%d\n",
		 IRQSIM_MAX_VECS + 1);
	snprintf(what, sizeof(what), "msix= must be 1..%d vectors",
		 IRQSIM_MAX_VECS);
	refused(text, 1, what);
	/* a vector the device does not have */
	snprintf(text, sizeof(text), "device nic0 msix=2\nnic0: raise 2\n");
	refused(text, 2, "vector '2' out of range: nic0 has vectors 0..1");
	/* a raw vector number (the kernel validates it) is still a u8 */
	snprintf(text, sizeof(text),
		 "device nic0\nactor t0\nt0: vfio_set_irqs nic0 256 qemu\n");
	refused(text, 3, "vector '256' must be a number 0..255");
}

static void limit_steps_per_run_test(void **state)
{
	char text[64], what[64];

	(void)state;
	snprintf(text, sizeof(text), "bound %d\n", SCENARIO_MAX_STEPS);
	parses(text);
	snprintf(text, sizeof(text), "\nbound %d\n", SCENARIO_MAX_STEPS + 1);
	snprintf(what, sizeof(what), "bound must be 1..%d steps",
		 SCENARIO_MAX_STEPS);
	refused(text, 2, what);
}

/* A fixed schedule holds at most as many transitions as a run takes. */
static void limit_schedule_length_test(void **state)
{
	struct text t;
	char what[64];
	int lines = SCENARIO_MAX_SCHEDULE / 100000;

	(void)state;
	assert_int_equal(SCENARIO_MAX_SCHEDULE % 100000, 0);
	text_open(&t);
	add(&t, "cpus 1\n");
	for (int i = 0; i < lines; i++)
		add(&t, "schedule cpu0*100000\n");
	parses(text_done(&t));
	free(t.buf);
	text_open(&t);
	add(&t, "cpus 1\n");
	for (int i = 0; i < lines; i++)
		add(&t, "schedule cpu0*100000\n");
	add(&t, "schedule cpu0\n");
	snprintf(what, sizeof(what), "schedule longer than %d transitions",
		 SCENARIO_MAX_SCHEDULE);
	refused(text_done(&t), lines + 2, what);
	free(t.buf);
}

static void limit_file_size_test(void **state)
{
	char *text = malloc(SCENARIO_MAX_FILE + 2), what[64];

	(void)state;
	assert_non_null(text);
	/* comment lines of 64 bytes, up to exactly the limit */
	for (size_t i = 0; i < SCENARIO_MAX_FILE; i++)
		text[i] = i % 64 == 63 ? '\n' : i % 64 ? 'x' : '#';
	text[SCENARIO_MAX_FILE] = 0;
	parses(text);
	text[SCENARIO_MAX_FILE] = '\n';
	text[SCENARIO_MAX_FILE + 1] = 0;
	snprintf(what, sizeof(what), "file larger than %d bytes",
		 SCENARIO_MAX_FILE);
	refused(text, 0, what);
	free(text);
}

static void limit_line_length_test(void **state)
{
	char text[SCENARIO_MAX_LINE + 16], what[64];

	(void)state;
	memset(text, 'x', sizeof(text));
	text[0] = '#';
	text[SCENARIO_MAX_LINE] = '\n';
	text[SCENARIO_MAX_LINE + 1] = 0;
	parses(text);
	text[SCENARIO_MAX_LINE] = 'x';
	text[SCENARIO_MAX_LINE + 1] = '\n';
	text[SCENARIO_MAX_LINE + 2] = 0;
	snprintf(what, sizeof(what), "line longer than %d characters",
		 SCENARIO_MAX_LINE);
	refused(text, 1, what);
}

/* Words per line, operations per actor, setup lines, expect lines. */
static void limit_tables_test(void **state)
{
	struct text t;
	char what[96];

	(void)state;
	text_open(&t);
	add(&t, "device nic0\nnic0:");
	for (int i = 0; i < 31; i++)
		add(&t, " raise 0");
	refused(text_done(&t), 2, "more than 32 words");
	free(t.buf);

	for (int extra = 0; extra < 2; extra++) {
		text_open(&t);
		add(&t, "device nic0\n");
		for (int i = 0; i < IRQSIM_MAX_OPS + extra; i++)
			add(&t, "nic0: raise 0\n");
		if (!extra) {
			parses(text_done(&t));
		} else {
			snprintf(what, sizeof(what),
				 "actor 'nic0' has too many operations (at most %d)",
				 IRQSIM_MAX_OPS);
			refused(text_done(&t), IRQSIM_MAX_OPS + 2, what);
		}
		free(t.buf);
	}
	for (int extra = 0; extra < 2; extra++) {
		text_open(&t);
		add(&t, "device nic0 msix=4\nactor t0\n");
		for (int i = 0; i < SCENARIO_MAX_SETUP + extra; i++)
			add(&t, "setup t0: disable_irq_in_device nic0 0\n");
		if (!extra) {
			parses(text_done(&t));
		} else {
			snprintf(what, sizeof(what),
				 "too many setup operations (at most %d)",
				 SCENARIO_MAX_SETUP);
			refused(text_done(&t), SCENARIO_MAX_SETUP + 3, what);
		}
		free(t.buf);
	}
	for (int extra = 0; extra < 2; extra++) {
		text_open(&t);
		for (int i = 0; i < SCENARIO_MAX_EXPECT + extra; i++)
			add(&t, "expect none\n");
		if (!extra) {
			parses(text_done(&t));
		} else {
			snprintf(what, sizeof(what),
				 "too many expect lines (at most %d)",
				 SCENARIO_MAX_EXPECT);
			refused(text_done(&t), SCENARIO_MAX_EXPECT + 1, what);
		}
		free(t.buf);
	}
}

/* Profiles and settings of a trace; a saved run sets every knob. */
static void limit_settings_test(void **state)
{
	struct text t;
	char what[64];
	int n = 0;

	(void)state;
	assert_true(SCENARIO_MAX_CONFIG >= IRQSIM_MAX_KNOBS);
	text_open(&t);
	while (n < SCENARIO_MAX_CONFIG) {
		add(&t, "set");
		for (int i = 0; i < 16 && n < SCENARIO_MAX_CONFIG; i++, n++)
			add(&t, " vmm_reinject=on");
		add(&t, "\n");
	}
	parses(text_done(&t));
	free(t.buf);
	text_open(&t);
	for (int i = 0; i <= SCENARIO_MAX_CONFIG / 16; i++) {
		add(&t, "set");
		for (int j = 0; j < 16; j++)
			add(&t, " vmm_reinject=on");
		add(&t, "\n");
	}
	snprintf(what, sizeof(what), "too many settings (at most %d)",
		 SCENARIO_MAX_CONFIG);
	refused(text_done(&t), SCENARIO_MAX_CONFIG / 16 + 1, what);
	free(t.buf);
}

static void limit_names_test(void **state)
{
	char name[IRQSIM_NAME_LEN + 1], text[128], what[64];

	(void)state;
	memset(name, 'a', sizeof(name));
	name[IRQSIM_NAME_LEN - 1] = 0;
	snprintf(text, sizeof(text), "actor %s\n", name);
	parses(text);
	name[IRQSIM_NAME_LEN - 1] = 'a';
	name[IRQSIM_NAME_LEN] = 0;
	snprintf(text, sizeof(text), "actor %s\n", name);
	snprintf(what, sizeof(what), "must be 1 to %d characters",
		 IRQSIM_NAME_LEN - 1);
	refused(text, 1, what);
}

/* ---- the saved-run reader ---- */

static const char saved_head[] = "irqsim-run 1\n";
static const char saved_tail[] = "trace-text\ncpus 1\n";

static void saved_refused(const char *text, size_t len, int line,
			  const char *what)
{
	struct saved_run *sr = malloc(sizeof(*sr));
	char prefix[64];

	assert_non_null(sr);
	snprintf(prefix, sizeof(prefix), "limits.irqsim:%d: ", line);
	assert_int_equal(saved_parse(sr, "limits.irqsim", text, len, err,
				     sizeof(err)), -EINVAL);
	saved_free(sr);
	free(sr);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, what)) {
		print_error("message '%s' is not '%s...%s'\n", err, prefix,
			    what);
		fail();
	}
}

static void saved_parses(const char *text, size_t len)
{
	struct saved_run *sr = malloc(sizeof(*sr));
	int ret;

	assert_non_null(sr);
	ret = saved_parse(sr, "limits.irqsim", text, len, err, sizeof(err));
	saved_free(sr);
	free(sr);
	if (ret) {
		print_error("at the limit, refused: %s\n", err);
		fail();
	}
}

static void limit_saved_line_length_test(void **state)
{
	struct text t;
	char what[64];

	(void)state;
	for (int extra = 0; extra < 2; extra++) {
		text_open(&t);
		/* "source " + the rest: a path is not read back */
		add(&t, "%ssource %0*d\n%s", saved_head,
		    SAVED_MAX_LINE - 7 + extra, 0, saved_tail);
		text_done(&t);
		if (!extra) {
			saved_parses(t.buf, t.len);
		} else {
			snprintf(what, sizeof(what),
				 "line longer than %d characters",
				 SAVED_MAX_LINE);
			saved_refused(t.buf, t.len, 2, what);
		}
		free(t.buf);
	}
}

static void limit_saved_sizes_test(void **state)
{
	size_t big = SAVED_MAX_FILE + 1;
	char *text = malloc(big), what[80];
	size_t at, lines;

	(void)state;
	assert_non_null(text);
	/* the header: "seed 1" lines past SAVED_MAX_HEADER */
	memcpy(text, saved_head, strlen(saved_head));
	at = strlen(saved_head);
	for (lines = 1; at <= SAVED_MAX_HEADER; lines++, at += 7)
		memcpy(text + at, "seed 1\n", 7);
	memcpy(text + at, saved_tail, strlen(saved_tail));
	snprintf(what, sizeof(what), "more than %d bytes before trace-text",
		 SAVED_MAX_HEADER);
	saved_refused(text, at + strlen(saved_tail), (int)lines, what);

	/* the trace text: at most what a .trace file may hold */
	at = strlen(saved_head) + strlen("trace-text\n");
	memcpy(text, saved_head, strlen(saved_head));
	memcpy(text + strlen(saved_head), "trace-text\n", 11);
	for (size_t i = 0; i < SCENARIO_MAX_FILE + 1; i++)
		text[at + i] = i % 64 == 63 ? '\n' : i % 64 ? 'x' : '#';
	snprintf(what, sizeof(what), "trace text larger than %d bytes",
		 SCENARIO_MAX_FILE);
	saved_refused(text, at + SCENARIO_MAX_FILE + 1, 3, what);
	saved_parses(text, at + SCENARIO_MAX_FILE);

	/* the whole file */
	memset(text, '#', big);
	snprintf(what, sizeof(what), "file larger than %d bytes",
		 SAVED_MAX_FILE);
	saved_refused(text, big, 0, what);
	free(text);
}

static void limit_saved_schedule_length_test(void **state)
{
	struct text t;
	char what[64];
	int lines = SCENARIO_MAX_SCHEDULE / 100000;

	(void)state;
	for (int extra = 0; extra < 2; extra++) {
		text_open(&t);
		add(&t, "%s", saved_head);
		for (int i = 0; i < lines; i++)
			add(&t, "schedule cpu0*100000\n");
		if (extra)
			add(&t, "schedule cpu0\n");
		add(&t, "%s", saved_tail);
		text_done(&t);
		if (!extra) {
			saved_parses(t.buf, t.len);
		} else {
			snprintf(what, sizeof(what),
				 "schedule longer than %d transitions",
				 SCENARIO_MAX_SCHEDULE);
			saved_refused(t.buf, t.len, lines + 2, what);
		}
		free(t.buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(limit_cpus_test, setup),
		cmocka_unit_test_setup(limit_vcpus_test, setup),
		cmocka_unit_test_setup(limit_actors_test, setup),
		cmocka_unit_test_setup(limit_actors_implicit_guest_test, setup),
		cmocka_unit_test_setup(limit_devices_test, setup),
		cmocka_unit_test_setup(limit_vectors_test, setup),
		cmocka_unit_test_setup(limit_steps_per_run_test, setup),
		cmocka_unit_test_setup(limit_schedule_length_test, setup),
		cmocka_unit_test_setup(limit_file_size_test, setup),
		cmocka_unit_test_setup(limit_line_length_test, setup),
		cmocka_unit_test_setup(limit_tables_test, setup),
		cmocka_unit_test_setup(limit_settings_test, setup),
		cmocka_unit_test_setup(limit_names_test, setup),
		cmocka_unit_test_setup(limit_saved_line_length_test, setup),
		cmocka_unit_test_setup(limit_saved_sizes_test, setup),
		cmocka_unit_test_setup(limit_saved_schedule_length_test,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
