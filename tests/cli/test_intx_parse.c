// SPDX-License-Identifier: MIT
/*
 * The INTx part of the trace language and the profiles of seeds/001:
 * device ... intx=pci23|nopci23, the raise_intx / qemu_vfio_intx_enable /
 * vfio_set_irqs_intx operations and their checks, schedules naming the
 * implicit actors, and which knob values the profiles stand for (Linux
 * v6.18 contains 8b9f128947dd, v6.17 does not; ppc64 uses no resample
 * irqfd).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/scenario.h"

#define FILE_NAME "intx.trace"

static struct scenario sc;
static char err[SCENARIO_ERR];

static int setup(void **state)
{
	(void)state;
	scenario_init();
	memset(&sc, 0, sizeof(sc));
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

static void expect_error(const char *text, int line, const char *what)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), FILE_NAME ":%d: ", line);
	assert_int_equal(parse(text), -EINVAL);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, what)) {
		print_error("message '%s' is not '%s...%s'\n", err, prefix,
			    what);
		fail();
	}
	scenario_free(&sc);
}

#define HEAD                                                               \
	"cpus 2\nvcpus 1\n"                                                \
	"device old0 intx=nopci23 affinity=cpu1\n"                          \
	"device new1 intx=pci23\n"                                          \
	"actor vcpu0 vcpu=0 cpu=0\n"

static void intx_device_and_ops_parse_test(void **state)
{
	int old0, vcpu0;

	(void)state;
	assert_int_equal(parse(HEAD "setup vcpu0: qemu_vfio_intx_enable old0\n"
				    "vcpu0: vfio_set_irqs_intx new1 disable\n"
				    "old0: raise_intx\n"
				    "schedule old0 cpu1:irq guest0*2 main:efd16\n"
				    "expect device-stall\n"),
			 0);
	assert_int_equal(sc.dev[0].intx, SCENARIO_INTX_NOPCI23);
	assert_int_equal(sc.dev[1].intx, SCENARIO_INTX_PCI23);
	/* QEMU's vfio_intx_enable() under the BQL */
	assert_int_equal(sc.setup[0].op.fn, fn_qemu_intx_op);
	assert_int_equal(sc.setup[0].op.arg[0], 0);
	assert_int_equal(sc.setup[0].op.arg[1], QEMU_INTX_OP_ENABLE);
	vcpu0 = sc.setup[0].actor;
	assert_int_equal(sc.prog[vcpu0].op[0].fn, fn_qemu_vfio_set_irqs_intx);
	assert_int_equal(sc.prog[vcpu0].op[0].arg[0], 1);
	assert_int_equal(sc.prog[vcpu0].op[0].arg[1], QEMU_INTX_DISABLE);
	old0 = sc.machine.dev_actor[0];
	assert_int_equal(sc.prog[old0].op[0].fn, fn_pci_dev_raise_intx);
	assert_int_equal(sc.prog[old0].op[0].arg[0], 0);
	/* the schedule names guest0 and main, which exist only at the end */
	assert_true(sc.has_schedule);
	assert_int_equal(sc.schedule.n, 5);
	assert_int_equal(sc.expect[0].kind, CHECK_DEVICE_STALL);
}

static void intx_errors_test(void **state)
{
	(void)state;
	expect_error("cpus 2\ndevice d intx=maybe\n", 2,
		     "intx= must be pci23");
	expect_error("cpus 2\ndevice d\nd: raise_intx\n", 3,
		     "device 'd' has no INTx pin");
	expect_error("cpus 2\ndevice d intx=pci23\nactor t\n"
		     "t: qemu_vfio_intx_enable d\n",
		     4, "needs a vCPU");
	expect_error(HEAD "vcpu0: vfio_set_irqs_intx old0 squash\n", 6,
		     "action must be mask, unmask, trigger or disable");
	expect_error(HEAD "old0: raise_intx\nschedule old0 guest7\n", 7,
		     "unknown transition 'guest7'");
	expect_error(HEAD "expect stalled\n", 6, "unknown verdict 'stalled'");
}

static void verdict_names_round_trip_test(void **state)
{
	(void)state;
	assert_int_equal(check_kind_parse("device-stall"), CHECK_DEVICE_STALL);
	assert_int_equal(check_kind_parse("interrupt-storm"), CHECK_STORM);
	assert_int_equal(check_kind_parse("state-leak"), CHECK_STATE_LEAK);
	for (int k = 0; k < CHECK_NR_KINDS; k++)
		assert_int_equal(check_kind_parse(check_kind_name(k)), k);
}

static int knob_after(const char *profile, const char *knob)
{
	struct scenario_config c = { 0 };
	int knobs[IRQSIM_MAX_KNOBS];

	if (profile)
		assert_int_equal(config_add_profile(&c, profile, err,
						    sizeof(err)),
				 0);
	config_apply(knobs, &c, NULL);
	return knobs[irqsim_knob_lookup(knob)];
}

static void profiles_seed001_test(void **state)
{
	(void)state;
	/* the default is Linux v6.18 with 8b9f128947dd on an x86 host */
	assert_int_equal(knob_after(NULL, "intx_unlazy"), INTX_UNLAZY_ON);
	assert_int_equal(knob_after(NULL, "intc"), INTC_X86_IOAPIC);
	assert_int_equal(knob_after(NULL, "x_no_kvm_intx"), 0);
	assert_int_equal(knob_after("linux-6.17", "intx_unlazy"),
			 INTX_UNLAZY_OFF);
	assert_int_equal(knob_after("linux-6.16", "intx_unlazy"),
			 INTX_UNLAZY_OFF);
	assert_int_equal(knob_after("intx-unlazy-v2", "intx_unlazy"),
			 INTX_UNLAZY_V2);
	assert_int_equal(knob_after("ppc64", "intc"), INTC_PPC64);
	assert_int_equal(knob_after("ppc64", "x_no_kvm_intx"), 1);
	/* a platform profile leaves the kernel version alone */
	assert_int_equal(knob_after("ppc64", "intx_unlazy"), INTX_UNLAZY_ON);
	/* the fault injection knobs are off by default */
	assert_int_equal(knob_after(NULL, "fail_vector_alloc"), 0);
	assert_int_equal(knob_after(NULL, "fail_errno"), 0);
}

static void seed001_traces_expectations_test(void **state)
{
	static const struct {
		const char *file;
		int first;
	} traces[] = {
		{ "seed001-ppc64-stall.trace", CHECK_DEVICE_STALL },
		{ "seed001-x86-lazy.trace", CHECK_NONE },
		{ "seed001-pci23.trace", CHECK_NONE },
		{ "seed001-error-path.trace", CHECK_STATE_LEAK },
		{ "seed001-sequence.trace", CHECK_DEVICE_STALL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(traces) / sizeof(traces[0]); i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/traces/%s", IRQSIM_SOURCE_DIR,
			 traces[i].file);
		if (scenario_load(&sc, path, err, sizeof(err))) {
			print_error("%s\n", err);
			fail();
		}
		assert_true(sc.nexpect >= 2);
		assert_int_equal(sc.expect[0].kind, traces[i].first);
		scenario_free(&sc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(intx_device_and_ops_parse_test,
						setup, teardown),
		cmocka_unit_test_setup_teardown(intx_errors_test, setup,
						teardown),
		cmocka_unit_test_setup_teardown(verdict_names_round_trip_test,
						setup, teardown),
		cmocka_unit_test_setup_teardown(profiles_seed001_test, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			seed001_traces_expectations_test, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
