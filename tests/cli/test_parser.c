// SPDX-License-Identifier: MIT
/*
 * The trace language (src/cli/parser.c) and configurations
 * (src/cli/profiles.c): what parses, what is refused with which
 * "file:line: " message, and which knob values a profile stands for.
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

#include "cli/scenario.h"

#define FILE_NAME "inline.trace"

static struct scenario sc;
static char err[SCENARIO_ERR];

static int setup(void **state)
{
	(void)state;
	scenario_init();
	memset(&sc, 0, sizeof(sc));
	err[0] = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	scenario_free(&sc);
	return 0;
}

static int parse(const char *text)
{
	err[0] = 0;
	return scenario_parse(&sc, FILE_NAME, text, err, sizeof(err));
}

/* The parse fails; the message is "inline.trace:LINE: " + @what ... */
static void expect_error(const char *text, int line, const char *what)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), FILE_NAME ":%d: ", line);
	assert_int_equal(parse(text), -EINVAL);
	if (strncmp(err, prefix, strlen(prefix))) {
		print_error("message '%s' does not start with '%s'\n", err,
			    prefix);
		fail();
	}
	if (!strstr(err, what)) {
		print_error("message '%s' does not say '%s'\n", err, what);
		fail();
	}
	scenario_free(&sc);
}

static const char minimal[] =
	"# a comment\n"
	"trace minimal\n"
	"cpus 2\n"
	"device nic0 msix=2 behaviour=ack affinity=cpu1\n"
	"actor t0 cpu=0\n"
	"\n"
	"setup t0: pci_msix_enable nic0 2\n"
	"t0: host_request_irq nic0 1   # trailing comment\n"
	"nic0: raise 1\n"
	"expect none\n";

static void parser_minimal_trace_parses_test(void **state)
{
	int t0, nic0;

	(void)state;
	assert_int_equal(parse(minimal), 0);
	assert_string_equal(err, "");
	assert_string_equal(sc.name, "minimal");
	assert_int_equal(sc.machine.nr_cpus, 2);
	assert_int_equal(sc.ndev, 1);
	assert_string_equal(sc.dev[0].name, "nic0");
	assert_int_equal(sc.dev[0].nvec, 2);
	assert_int_equal(sc.dev[0].affinity, 0x2);
	assert_int_equal(sc.nsetup, 1);
	assert_int_equal(sc.setup[0].op.fn, fn_pci_msix_enable);
	assert_int_equal(sc.setup[0].op.line, 7);
	t0 = sc.setup[0].actor;
	assert_string_equal(sc.machine.actor[t0].name, "t0");
	assert_int_equal(sc.prog[t0].nops, 1);
	assert_int_equal(sc.prog[t0].op[0].fn, fn_host_request_irq);
	assert_int_equal(sc.prog[t0].op[0].arg[0], 0);	/* nic0 */
	assert_int_equal(sc.prog[t0].op[0].arg[1], 1);	/* vector 1 */
	assert_int_equal(sc.prog[t0].op[0].line, 8);
	nic0 = sc.machine.dev_actor[0];
	assert_int_equal(sc.prog[nic0].nops, 1);
	assert_int_equal(sc.prog[nic0].op[0].fn, fn_pci_dev_raise);
	assert_int_equal(sc.nexpect, 1);
	assert_int_equal(sc.expect[0].kind, CHECK_NONE);
	assert_int_equal(sc.expect[0].line, 10);
}

static void parser_default_affinity_all_cpus_test(void **state)
{
	(void)state;
	assert_int_equal(parse("cpus 3\ndevice nic0\nexpect none\n"), 0);
	assert_int_equal(sc.dev[0].nvec, 1);
	assert_int_equal(sc.dev[0].affinity, 0x7);
	/* The implicit name is the file's, without ".trace". */
	assert_string_equal(sc.name, "inline");
}

static void parser_unknown_directive_error_test(void **state)
{
	(void)state;
	expect_error("cpus 2\ndevice nic0\n\nfrobnicate 3\nexpect none\n", 4,
		     "unknown directive 'frobnicate'");
}

static void parser_unknown_actor_error_test(void **state)
{
	(void)state;
	expect_error("cpus 2\ndevice nic0\nghost: raise 0\n", 3,
		     "unknown actor 'ghost'");
}

static void parser_unknown_operation_error_test(void **state)
{
	(void)state;
	expect_error("cpus 2\ndevice nic0\nactor t0\n# x\nt0: explode nic0 0\n",
		     5, "unknown operation 'explode'; see 'irqsim list ops'");
	/* not the list of every operation: a hint, and a typo's name */
	assert_null(strstr(err, "host_request_irq"));
	expect_error("cpus 2\ndevice nic0\nactor t0\nt0: host_reqest_irq nic0 0\n",
		     4, "unknown operation 'host_reqest_irq' (did you mean 'host_request_irq'?); see 'irqsim list ops'");
}

static void parser_vector_out_of_range_error_test(void **state)
{
	(void)state;
	/*
	 * A device with msix=2 has MSI-X table entries 0 and 1 only
	 * (pci_msix_vec_count(): table size from the capability);
	 * vfio_msi_set_block() rejects start + count > num_ctx likewise.
	 */
	expect_error("cpus 2\ndevice nic0 msix=2\nnic0: raise 2\n", 3,
		     "vector '2' out of range");
	expect_error("cpus 2\ndevice nic0 msix=2\nactor t0\nt0: host_free_irq nic0 -1\n",
		     4, "vector '-1' out of range");
	assert_non_null(strstr(err, "nic0 has vectors 0..1"));
}

static void parser_unknown_knob_error_test(void **state)
{
	(void)state;
	expect_error("cpus 2\nset vector_reevaluate=off no_such_knob=1\n", 2,
		     "unknown knob 'no_such_knob'; see 'irqsim list knobs'");
	assert_null(strstr(err, "vector_reevaluate"));
	/* a typo names the knob (two neighbours swapped: one edit) */
	expect_error("cpus 2\nset repair_iqr=on\n", 2,
		     "unknown knob 'repair_iqr' (did you mean 'repair_irq'?); see 'irqsim list knobs'");
	/* A known knob with a bad value is refused too. */
	expect_error("cpus 2\n\nset vector_reevaluate=2\n", 3,
		     "bad value '2' for vector_reevaluate");
}

static void parser_unknown_profile_error_test(void **state)
{
	(void)state;
	expect_error("cpus 2\nprofile linux-6.16 linux-9.99\n", 2,
		     "unknown profile 'linux-9.99'; see 'irqsim list profiles'");
	expect_error("cpus 2\nprofile tglx-reinjet\n", 2,
		     "unknown profile 'tglx-reinjet' (did you mean 'tglx-reinject'?)");
	expect_error("cpus 2\ndevice nic0\nexpect none profile=nope\n", 3,
		     "unknown profile 'nope'");
}

static void parser_unknown_verdict_error_test(void **state)
{
	(void)state;
	expect_error("cpus 2\ndevice nic0\nexpect lost-interrupt\nexpect exploded\n",
		     4, "unknown verdict 'exploded'; see 'irqsim list verdicts'");
	expect_error("cpus 2\ndevice nic0\nexpect deadlok\n",
		     3, "unknown verdict 'deadlok' (did you mean 'deadlock'?)");
}

static void parser_cpus_out_of_range_error_test(void **state)
{
	char msg[32];

	(void)state;
	snprintf(msg, sizeof(msg), "cpus must be 1..%d", IRQSIM_MAX_CPUS);
	expect_error("trace t\ncpus 0\n", 2, msg);
	expect_error("trace t\n\ncpus 5\n", 3, msg);
	expect_error("cpus two\n", 1, msg);
	/* An actor pinned to a CPU the machine lacks. */
	expect_error("cpus 2\nactor t0 cpu=2\n", 2, "cpu must be 0..1");
}

static void parser_long_line_error_test(void **state)
{
	char *text = malloc(2 * SCENARIO_MAX_LINE + 64);
	char *p;

	(void)state;
	assert_non_null(text);
	/* Exactly SCENARIO_MAX_LINE characters is still a line. */
	p = text + sprintf(text, "cpus 2\n#");
	memset(p, 'x', SCENARIO_MAX_LINE - 1);
	strcpy(p + SCENARIO_MAX_LINE - 1, "\nexpect none\n");
	assert_int_equal(parse(text), 0);
	scenario_free(&sc);

	/* One more is refused, with the line it is on. */
	p = text + sprintf(text, "cpus 2\ndevice nic0\n#");
	memset(p, 'x', SCENARIO_MAX_LINE);
	strcpy(p + SCENARIO_MAX_LINE, "\nexpect none\n");
	expect_error(text, 3, "line longer than 512 characters");

	/* Also on a last line with no newline. */
	p = text + sprintf(text, "cpus 2\n#");
	memset(p, 'y', SCENARIO_MAX_LINE + 10);
	p[SCENARIO_MAX_LINE + 10] = 0;
	expect_error(text, 2, "line longer than");
	free(text);
}

static void parser_actor_defined_twice_error_test(void **state)
{
	(void)state;
	expect_error("cpus 2\nactor t0 cpu=0\nactor t1 cpu=1\nactor t0 cpu=1\n",
		     4, "actor 't0' is defined twice");
	/* A device shares the actor namespace. */
	expect_error("cpus 2\ndevice nic0\nactor nic0\n", 3,
		     "actor 'nic0' is defined twice");
	/* The implicit hard-irq actors are names too. */
	expect_error("cpus 2\nactor cpu1\n", 2, "actor 'cpu1' is defined twice");
}

static void config_apply_default_is_linux_6_18_test(void **state)
{
	int knobs[IRQSIM_MAX_KNOBS];

	(void)state;
	assert_int_equal(parse("cpus 2\ndevice nic0\nexpect none\n"), 0);
	config_apply(knobs, &sc.config, NULL);
	/*
	 * arch/x86/kernel/irq.c call_irq_handler() in v6.18 re-evaluates a
	 * marker slot under vector_lock (ce0b5eedcb75, v6.17).
	 */
	assert_int_equal(knobs[apic_knob_vector_reevaluate], 1);
	/* repair_irq() was never merged. */
	assert_int_equal(knobs[apic_knob_repair_irq], 0);
	/* Current QEMU does not re-inject after VFIO_DEVICE_SET_IRQS. */
	assert_int_equal(knobs[irqsim_knob_lookup("vmm_reinject")], 0);
}

static void config_apply_linux_6_16_unlocked_test(void **state)
{
	int knobs[IRQSIM_MAX_KNOBS];

	(void)state;
	assert_int_equal(parse("cpus 2\nprofile linux-6.16\ndevice nic0\nexpect none\n"),
			 0);
	config_apply(knobs, &sc.config, NULL);
	/* v6.16 call_irq_handler() wrote VECTOR_UNUSED without vector_lock. */
	assert_int_equal(knobs[apic_knob_vector_reevaluate], 0);

	/* The same through the config API, as --profile does. */
	{
		struct scenario_config c = { 0 };

		assert_int_equal(config_add_profile(&c, "linux-6.16", err,
						    sizeof(err)),
				 0);
		config_apply(knobs, &c, NULL);
		assert_int_equal(knobs[apic_knob_vector_reevaluate], 0);
		assert_int_equal(config_add_profile(&c, "linux-6.17", err,
						    sizeof(err)),
				 0);
		config_apply(knobs, &c, NULL);
		/* v6.17 has ce0b5eedcb75; the later profile wins. */
		assert_int_equal(knobs[apic_knob_vector_reevaluate], 1);
	}
}

static void config_apply_later_set_overrides_profile_test(void **state)
{
	struct scenario_config a = { 0 }, b = { 0 };
	int knobs[IRQSIM_MAX_KNOBS];

	(void)state;
	/* The trace's profile, then a command-line --set. */
	assert_int_equal(config_add_profile(&a, "linux-6.16", err, sizeof(err)),
			 0);
	assert_int_equal(config_add_setting(&b, "vector_reevaluate=on", err,
					    sizeof(err)),
			 0);
	config_apply(knobs, &a, &b);
	assert_int_equal(knobs[apic_knob_vector_reevaluate], 1);

	/* Within one config, order decides as well. */
	memset(&a, 0, sizeof(a));
	assert_int_equal(config_add_profile(&a, "linux-6.16", err, sizeof(err)),
			 0);
	assert_int_equal(config_add_setting(&a, "vector_reevaluate=1", err,
					    sizeof(err)),
			 0);
	config_apply(knobs, &a, NULL);
	assert_int_equal(knobs[apic_knob_vector_reevaluate], 1);
	assert_int_equal(config_add_profile(&a, "repair-irq", err, sizeof(err)),
			 0);
	config_apply(knobs, &a, NULL);
	/* repair-irq patched the pre-v6.17 entry: both knobs move. */
	assert_int_equal(knobs[apic_knob_vector_reevaluate], 0);
	assert_int_equal(knobs[apic_knob_repair_irq], 1);

	/* A trace's own set after its profile line. */
	assert_int_equal(parse("cpus 2\nprofile linux-6.16\nset vector_reevaluate=on\n"),
			 0);
	config_apply(knobs, &sc.config, NULL);
	assert_int_equal(knobs[apic_knob_vector_reevaluate], 1);
}

static void config_add_setting_errors_test(void **state)
{
	struct scenario_config c = { 0 };

	(void)state;
	assert_int_not_equal(config_add_setting(&c, "vector_reevaluate", err,
						sizeof(err)),
			     0);
	assert_non_null(strstr(err, "expected KNOB=VALUE"));
	assert_int_not_equal(config_add_setting(&c, "bogus=on", err,
						sizeof(err)),
			     0);
	assert_string_equal(err, "unknown knob 'bogus'; see 'irqsim list knobs'");
	assert_int_equal(c.n, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(parser_minimal_trace_parses_test),
		T(parser_default_affinity_all_cpus_test),
		T(parser_unknown_directive_error_test),
		T(parser_unknown_actor_error_test),
		T(parser_unknown_operation_error_test),
		T(parser_vector_out_of_range_error_test),
		T(parser_unknown_knob_error_test),
		T(parser_unknown_profile_error_test),
		T(parser_unknown_verdict_error_test),
		T(parser_cpus_out_of_range_error_test),
		T(parser_long_line_error_test),
		T(parser_actor_defined_twice_error_test),
		T(config_apply_default_is_linux_6_18_test),
		T(config_apply_linux_6_16_unlocked_test),
		T(config_apply_later_set_overrides_profile_test),
		T(config_add_setting_errors_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
