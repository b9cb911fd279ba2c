// SPDX-License-Identifier: MIT
/*
 * Logs from outside irqsim (src/trace/import.c): QEMU's -trace output as
 * David Woodhouse pasted it in seeds/003 (tests/trace/data/seed003-mail.log,
 * the mail's lines byte for byte), a host ftrace of race B written from the
 * kernel's TP_printk formats (tests/trace/data/seed000-race-b.ftrace), and
 * the malformed logs a user may give: each line is read as its event's
 * format prints it, every line that maps to nothing is listed with its
 * number, and a bad line is refused with file:line.
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

#include "trace/trace.h"

static char err[1024];

static char *read_file(const char *path)
{
	char full[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(full, sizeof(full), "%s/%s", IRQSIM_SOURCE_DIR, path);
	f = fopen(full, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void parse_file(struct trace_log *log, const char *path, int format)
{
	char *text = read_file(path);
	int rc = trace_log_parse(log, path, text, format, err, sizeof(err));

	free(text);
	if (rc)
		fail_msg("%s", err);
}

static long long field(const struct trace_log_event *e, const char *key)
{
	const struct trace_log_field *f = trace_log_get(e, key);

	if (!f)
		fail_msg("line %d: no field %s", e->line, key);
	return f->v;
}

static const struct trace_log_event *at_line(const struct trace_log *log,
					     int line)
{
	for (size_t i = 0; i < log->n; i++)
		if (log->ev[i].line == line)
			return &log->ev[i];
	fail_msg("no event at line %d", line);
	return NULL;
}

/*
 * The mail's log: 36 lines. 22 are QEMU's ioapic_* trace events or the
 * two debug prints the mail's QEMU had (ioapic_service:,
 * ioapic_update_kvm_routes:); the others, read off the mail: three
 * xenstore_* events of QEMU's Xen emulation, and the guest's console
 * lines (printk), one of them cut in two by QEMU's stderr (33 and 36).
 */
static void qemu_mail_every_line_test(void **state)
{
	static const int xenstore[] = { 1, 9, 34 };
	static const int console[] = { 5, 12, 17, 18, 19, 20, 25, 26, 32, 33,
				       36 };
	struct trace_log log;
	size_t nx = 0, nc = 0;

	(void)state;
	parse_file(&log, "tests/trace/data/seed003-mail.log", TRACE_LOG_AUTO);
	assert_int_equal(log.format, TRACE_LOG_QEMU);
	assert_int_equal(log.lines, 36);
	assert_int_equal(log.n, 22);
	assert_int_equal(log.nun, 14);
	for (size_t i = 0; i < log.nun; i++) {
		const struct trace_log_unmapped *u = &log.un[i];

		if (strstr(u->why, "console")) {
			assert_true(nc < 11);
			assert_int_equal(u->line, console[nc++]);
		} else {
			assert_true(strstr(u->why, "QEMU trace event"));
			assert_true(nx < 3);
			assert_int_equal(u->line, xenstore[nx++]);
			assert_true(!strncmp(u->text, "xenstore_", 9));
		}
	}
	/* every other line is an event, in the file's order */
	for (size_t i = 0, line = 1; i < log.n; i++) {
		assert_true((size_t)log.ev[i].line >= line);
		line = (size_t)log.ev[i].line + 1;
	}
	trace_log_free(&log);
}

/* Fields as the format prints them: "0x%" PRIx8, "%x", "%d". */
static void qemu_fields_as_printed_test(void **state)
{
	const struct trace_log_event *e;
	struct trace_log log;

	(void)state;
	parse_file(&log, "tests/trace/data/seed003-mail.log", TRACE_LOG_QEMU);
	/* ioapic_mem_write ioapic mem write addr 0x0 regsel: 0x27 size 0x4
	 * val 0x26 */
	e = at_line(&log, 6);
	assert_string_equal(trace_log_event_tp(e), "ioapic_mem_write");
	assert_int_equal(field(e, "addr"), 0);
	assert_int_equal(field(e, "regsel"), 0x27);
	assert_int_equal(field(e, "size"), 4);
	assert_int_equal(field(e, "val"), 0x26);
	/* a write to IOREGSEL: the register selected before, not compared */
	assert_true(trace_log_get(e, "regsel")->soft);
	assert_false(trace_log_get(at_line(&log, 8), "regsel")->soft);
	/* ioapic_update_kvm_routes: update KVM route for IRQ 11: fee02000
	 * 8021 */
	e = at_line(&log, 7);
	assert_int_equal(field(e, "irq"), 11);
	assert_int_equal(field(e, "address"), 0xfee02000);
	assert_int_equal(field(e, "data"), 0x8021);
	/* ioapic_mem_read ... retval 0x1c021 */
	assert_int_equal(field(at_line(&log, 11), "retval"), 0x1c021);
	/* ioapic_clear_remote_irr clear remote irr for pin 11 vector 33 */
	e = at_line(&log, 14);
	assert_int_equal(field(e, "pin"), 11);
	assert_int_equal(field(e, "vector"), 33);
	assert_string_equal(trace_log_event_source(e),
			    "QEMU hw/intc/trace-events (ioapic.c)");
	trace_log_free(&log);
}

/*
 * The other QEMU layouts: the log backend with -msg timestamp=on
 * ("pid@sec.usec:"), and simpletrace.py's "name delta pid=N arg=value".
 */
static void qemu_other_layouts_test(void **state)
{
	static const char text[] =
		"4242@1677923877.500001:ioapic_set_irq vector: 11 level: 1\n"
		"ioapic_set_remote_irr 0.010 pid=4242 n=0xb\n"
		"ioapic_mem_read 0.003 tid=4242 addr=0x10 regsel=0x26 size=0x4 val=0x1c021\n";
	struct trace_log log;

	(void)state;
	assert_int_equal(trace_log_parse(&log, "x.log", text, TRACE_LOG_QEMU,
					 err, sizeof(err)), 0);
	assert_int_equal(log.n, 3);
	assert_int_equal(field(&log.ev[0], "vector"), 11);
	assert_true(log.ev[0].ts > 1677923877.5);
	assert_int_equal(field(&log.ev[1], "pin"), 11);
	assert_int_equal(field(&log.ev[2], "retval"), 0x1c021);
	trace_log_free(&log);
}

/*
 * Race B from the host: 26 event lines after the header. The irq_vectors
 * events of free_irq() and request_irq() the model steps through, the
 * guest's MSI-X vector-control writes (kvm_mmio), and the events the model
 * has no step for (kvm_exit, kvm_userspace_exit, kvm_entry; vector_reserve,
 * vector_alloc, vector_config), listed.
 */
static void ftrace_race_b_test(void **state)
{
	const struct trace_log_event *e;
	struct trace_log log;

	(void)state;
	parse_file(&log, "tests/trace/data/seed000-race-b.ftrace",
		   TRACE_LOG_AUTO);
	assert_int_equal(log.format, TRACE_LOG_FTRACE);
	assert_int_equal(log.ncpus, 2);
	assert_int_equal(log.n + log.nun, 24);
	assert_int_equal(log.n, 10);
	for (size_t i = 0; i < log.nun; i++)
		assert_true(strstr(log.un[i].text, ": kvm_") ||
			    strstr(log.un[i].text, ": vector_reserve:") ||
			    strstr(log.un[i].text, ": vector_alloc:") ||
			    strstr(log.un[i].text, ": vector_config:"));
	/* kvm_mmio: mmio write len 4 gpa 0xfebf100c val 0x1 */
	e = &log.ev[0];
	assert_string_equal(trace_log_event_name(e), "kvm_mmio");
	assert_string_equal(trace_log_event_tp(e), "msix_table_mmio_write");
	assert_int_equal(field(e, "dev"), 0xfebf1);
	assert_int_equal(field(e, "entry"), 0);
	assert_int_equal(field(e, "dword"), 3);
	assert_int_equal(field(e, "value"), 1);
	assert_int_equal(e->cpu, 0);
	assert_int_equal(e->vcpu, 0);
	/* vector_update: irq=35 vector=34 cpu=1 prev_vector=0 prev_cpu=1 */
	e = &log.ev[4];
	assert_string_equal(trace_log_event_name(e), "vector_update");
	assert_int_equal(field(e, "irq"), 35);
	assert_int_equal(field(e, "vector"), 34);
	assert_int_equal(trace_log_get(e, "vector")->cpu, 1);
	assert_int_equal(field(e, "prev_cpu"), 1);
	trace_log_free(&log);
}

/* trace-cmd report: no flags column, the event name padded. */
static void ftrace_trace_cmd_layout_test(void **state)
{
	static const char text[] =
		"cpus=2\n"
		"       CPU 0/KVM-4123  [000]  2106.315012: vector_deactivate:    irq=35 is_managed=0 can_reserve=1 reserve=0\n"
		"          <idle>-0     [001]  2106.315013: irq_handler_entry:    irq=35 name=vfio-msix[0](0000:01:00.0)\n";
	struct trace_log log;

	(void)state;
	assert_int_equal(trace_log_parse(&log, "r.txt", text, TRACE_LOG_AUTO,
					 err, sizeof(err)), 0);
	assert_int_equal(log.format, TRACE_LOG_FTRACE);
	assert_int_equal(log.ncpus, 2);
	assert_int_equal(log.n, 2);
	assert_int_equal(field(&log.ev[0], "can_reserve"), 1);
	assert_int_equal(log.ev[1].cpu, 1);
	assert_int_equal(log.ev[1].vcpu, -1);
	assert_int_equal(field(&log.ev[1], "irq"), 35);
	trace_log_free(&log);
}

/* A malformed log: refused, with the file and line of what is wrong. */
static void refuse(const char *text, int format, const char *want)
{
	struct trace_log log;
	int rc = trace_log_parse(&log, "bad.log", text, format, err,
				 sizeof(err));

	trace_log_free(&log);
	if (rc != -EINVAL || !strstr(err, want))
		fail_msg("want '%s', got %d '%s'", want, rc, err);
}

static void malformed_logs_test(void **state)
{
	(void)state;
	/* truncated lines */
	refuse("ioapic_set_irq vector: 11 level: 1\nioapic_set_irq vector: 11 lev\n",
	       TRACE_LOG_QEMU, "bad.log:2: ioapic_set_irq: the line ends early (truncated?)");
	refuse("  CPU 0/KVM-1 [000] d..1.  1.000001: vector_update: irq=35 vector=\n",
	       TRACE_LOG_FTRACE, "bad.log:1: vector_update: the line ends early");
	refuse("  CPU 0/KVM-1 [000] d..1.  1.0000\n", TRACE_LOG_FTRACE,
	       "bad.log:1: ftrace: the line ends before its event");
	refuse("ioapic_mem_read ioapic mem read addr 0x10 regsel: 0x26 size 0x4 retval 0xzz\n",
	       TRACE_LOG_QEMU, "bad.log:1: ioapic_mem_read: does not read as its format");
	/* unknown events of a family irqsim reads */
	refuse("ioapic_set_irqq vector: 11 level: 1\n", TRACE_LOG_QEMU,
	       "bad.log:1: unknown event 'ioapic_set_irqq'");
	refuse("  x-1 [000] ....  1.000001: vector_frobnicate: irq=1\n",
	       TRACE_LOG_FTRACE, "bad.log:1: unknown event 'vector_frobnicate'");
	/* out-of-order timestamps */
	refuse("  x-1 [000] ....  2.000000: vector_deactivate: irq=35 is_managed=0 can_reserve=1 reserve=0\n"
	       "  x-1 [001] ....  1.500000: vector_activate: irq=35 is_managed=0 can_reserve=1 reserve=0\n",
	       TRACE_LOG_FTRACE,
	       "bad.log:2: timestamp 1.500000 is earlier than line 1's 2.000000");
	refuse("1@10.000002:ioapic_set_irq vector: 11 level: 1\n"
	       "1@10.000001:ioapic_set_irq vector: 11 level: 1\n",
	       TRACE_LOG_QEMU, "bad.log:2: timestamp 10.000001 is earlier");
	/* two irqs holding one vector of one CPU */
	refuse("  x-1 [000] ....  1.000001: vector_update: irq=35 vector=34 cpu=1 prev_vector=0 prev_cpu=1\n"
	       "  x-1 [000] ....  1.000002: vector_update: irq=36 vector=34 cpu=1 prev_vector=0 prev_cpu=1\n",
	       TRACE_LOG_FTRACE,
	       "bad.log:2: irq 36 takes vector 34 of CPU 1, which irq 35 holds since line 1");
	/* a format no line of which says what it is */
	refuse("hello world\n", TRACE_LOG_AUTO, "bad.log: no line reads as");
}

/* The same vector on another CPU, after a clear, is no clash. */
static void vectors_are_per_cpu_test(void **state)
{
	static const char text[] =
		"  x-1 [000] ....  1.000001: vector_update: irq=35 vector=34 cpu=1 prev_vector=0 prev_cpu=1\n"
		"  x-1 [000] ....  1.000002: vector_update: irq=36 vector=34 cpu=0 prev_vector=0 prev_cpu=0\n"
		"  x-1 [000] ....  1.000003: vector_clear: irq=35 vector=34 cpu=1 prev_vector=0 prev_cpu=0\n"
		"  x-1 [000] ....  1.000004: vector_update: irq=37 vector=34 cpu=1 prev_vector=0 prev_cpu=1\n";
	struct trace_log log;

	(void)state;
	assert_int_equal(trace_log_parse(&log, "ok.log", text, TRACE_LOG_AUTO,
					 err, sizeof(err)), 0);
	assert_int_equal(log.n, 4);
	trace_log_free(&log);
}

/* A model event as the model logs it: tracepoint and key=value fields. */
static struct irqsim_event model_event(const char *tp, const char *fields)
{
	struct irqsim_event e = { .kind = IRQSIM_EV_TRACE, .fn = tp, .tp = tp };

	snprintf(e.fields, sizeof(e.fields), "%s", fields);
	return e;
}

/*
 * The log's irq and vector numbers are its machine's: they pair with the
 * model's one to one, the first sight fixing the pair; vector 0 is none
 * on both sides.
 */
static void numbers_pair_one_to_one_test(void **state)
{
	static const char text[] =
		"  x-1 [000] ....  1.000001: vector_update: irq=35 vector=34 cpu=1 prev_vector=0 prev_cpu=1\n"
		"  x-1 [000] ....  1.000002: vector_clear: irq=35 vector=34 cpu=1 prev_vector=0 prev_cpu=0\n"
		"  x-1 [000] ....  1.000003: vector_update: irq=36 vector=35 cpu=1 prev_vector=0 prev_cpu=1\n";
	struct irqsim_event e;
	struct trace_log_ids ids = { 0 }, keep;
	struct trace_log log;
	char why[320];

	(void)state;
	assert_int_equal(trace_log_parse(&log, "ok.log", text, TRACE_LOG_AUTO,
					 err, sizeof(err)), 0);
	e = model_event("vector_update",
			"irq=1 vector=32 cpu=1 prev_vector=0 prev_cpu=1");
	assert_int_equal(trace_log_match(&log.ev[0], &e, &ids, why,
					 sizeof(why)), 0);
	assert_int_equal(ids.n, 2);
	/* the same irq, another model vector: refused, pairs untouched */
	keep = ids;
	e = model_event("vector_clear",
			"irq=1 vector=33 cpu=1 prev_vector=0 prev_cpu=0");
	assert_int_equal(trace_log_match(&log.ev[1], &e, &ids, why,
					 sizeof(why)), -1);
	assert_non_null(strstr(why, "the log's vector 34 was the model's 32"));
	assert_memory_equal(&ids, &keep, sizeof(ids));
	e = model_event("vector_clear",
			"irq=1 vector=32 cpu=1 prev_vector=0 prev_cpu=0");
	assert_int_equal(trace_log_match(&log.ev[1], &e, &ids, why,
					 sizeof(why)), 0);
	/* another log irq on the model's irq 1: refused */
	e = model_event("vector_update",
			"irq=1 vector=33 cpu=1 prev_vector=0 prev_cpu=1");
	assert_int_equal(trace_log_match(&log.ev[2], &e, &ids, why,
					 sizeof(why)), -1);
	assert_non_null(strstr(why, "the model's irq 1 was the log's 35"));
	/* another tracepoint: refused */
	e = model_event("vector_activate",
			"irq=2 is_managed=0 can_reserve=1 reserve=0");
	assert_int_equal(trace_log_match(&log.ev[2], &e, &ids, why,
					 sizeof(why)), -1);
	trace_log_free(&log);
}

/*
 * Which model events a log would show: those of the families it has
 * lines of, as the real event prints them (QEMU does not trace a
 * coalesced set_remote_irr; a host log shows no guest handler).
 */
static void shows_its_families_only_test(void **state)
{
	struct irqsim_event e;
	struct trace_log log;

	(void)state;
	parse_file(&log, "tests/trace/data/seed003-mail.log", TRACE_LOG_QEMU);
	e = model_event("ioapic_eoi_broadcast", "vector=33");
	assert_true(trace_log_shows(&log, &e));
	e = model_event("ioapic_set_remote_irr", "pin=11");
	assert_true(trace_log_shows(&log, &e));
	snprintf(e.text, sizeof(e.text), "set remote irr for pin 11 (already set: coalesced)");
	assert_false(trace_log_shows(&log, &e));
	e = model_event("kvm_set_irq", "gsi=11 address=0xfee02000 data=0x8021 vcpu=2 vector=0x21 pir=1");
	assert_false(trace_log_shows(&log, &e));
	trace_log_free(&log);
	parse_file(&log, "tests/trace/data/seed000-race-b.ftrace",
		   TRACE_LOG_FTRACE);
	e = model_event("vector_clear", "irq=1 vector=32 cpu=1 prev_vector=0 prev_cpu=0");
	assert_true(trace_log_shows(&log, &e));
	e = model_event("kvm_set_msi", "via=irqfd vcpu=0 vector=0x22");
	assert_true(trace_log_shows(&log, &e));
	/* no line of the irq system: its events are not the log's */
	e = model_event("irq_handler_entry", "irq=1 dev_id=1");
	assert_false(trace_log_shows(&log, &e));
	e = model_event("ioapic_set_irq", "vector=11 level=1");
	assert_false(trace_log_shows(&log, &e));
	trace_log_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_mail_every_line_test),
		cmocka_unit_test(qemu_fields_as_printed_test),
		cmocka_unit_test(qemu_other_layouts_test),
		cmocka_unit_test(ftrace_race_b_test),
		cmocka_unit_test(ftrace_trace_cmd_layout_test),
		cmocka_unit_test(malformed_logs_test),
		cmocka_unit_test(vectors_are_per_cpu_test),
		cmocka_unit_test(numbers_pair_one_to_one_test),
		cmocka_unit_test(shows_its_families_only_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
