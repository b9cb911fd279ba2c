// SPDX-License-Identifier: MIT
/*
 * The INTx oracles (src/check/check.c): interrupt-storm (host interrupts
 * per device event above storm_bound), device-stall (a level line
 * asserted that nothing will service) and state-leak (an error path left
 * IRQ_DISABLE_UNLAZY or a VFIO context behind), driven by running the
 * model into each situation rather than by poking counters.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../intx_harness.h"

static const char machine[] =
	"cpus 2\n"
	"vcpus 1\n"
	"device nic0 intx=nopci23 affinity=cpu1\n"
	"actor vcpu0 vcpu=0 cpu=0\n"
	"actor t0 cpu=0\n"
	"main-loop cpu=0\n"
	"expect none\n";

static struct harness h;

static int teardown(void **state)
{
	(void)state;
	harness_close(&h);
	return 0;
}

static int irq0(void)
{
	return h.w->vfio.msi.dev[0].intx.irq;
}

/*
 * A host action that never services the device, on the x86 IOAPIC: every
 * EOI re-sends the asserted line, one device event becomes an unbounded
 * number of host interrupts. The oracle fires on the first interrupt
 * beyond storm_bound per event.
 */
static void storm_on_unserviced_level_line_test(void **state)
{
	struct irqsim_verdict v;
	int taken = 0;

	(void)state;
	harness_open(&h, machine, "intc=x86-ioapic storm_bound=3");
	assert_int_equal(harness_call(&h, "t0", fn_request_irq, irq0(),
				      harness_nop_handler_fn, 5, 0),
			 0);
	harness_raise_intx(&h, "nic0", 0);
	while (harness_take_irq(&h, 1)) {
		taken++;
		if (harness_check_step(&h, &v))
			break;
		assert_true(taken < 100);
	}
	/* 3 per event allowed; the 4th is a storm */
	assert_int_equal(taken, 4);
	assert_int_equal(v.kind, CHECK_STORM);
	assert_non_null(strstr(v.what, "4 host interrupts for 1 device events"));
}

static void storm_bound_zero_is_off_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_open(&h, machine, "intc=x86-ioapic storm_bound=0");
	harness_call(&h, "t0", fn_request_irq, irq0(), harness_nop_handler_fn,
		     5, 0);
	harness_raise_intx(&h, "nic0", 0);
	for (int i = 0; i < 20; i++) {
		assert_true(harness_take_irq(&h, 1));
		assert_int_equal(harness_check_step(&h, &v), CHECK_NONE);
	}
	/* the ppc64-style controller would not have sent a second one */
	assert_int_equal(h.w->vfio.msi.irq.apic.intc[0].resignals, 20);
}

/* Lazily disabled, re-asserted, enabled: ppc64 stalls, x86 does not. */
static int lazy_reassert(const char *settings, struct irqsim_verdict *v)
{
	struct irqsim_ctx c;

	harness_open(&h, machine, settings);
	harness_call(&h, "t0", fn_request_irq, irq0(), harness_nop_handler_fn,
		     5, 0);
	harness_call(&h, "t0", fn_disable_irq_nosync, irq0(), 0, 0, 0);
	harness_raise_intx(&h, "nic0", 0);
	assert_true(harness_take_irq(&h, 1));
	harness_call(&h, "t0", fn_enable_irq, irq0(), 0, 0, 0);
	while (harness_take_irq(&h, 1)) {
		/* the driver services whatever reaches it */
		c = (struct irqsim_ctx){ .world = h.w, .rt = &h.rt };
		pci_intx_read_status(&c, 0);
	}
	return harness_check_end(&h, v);
}

static void stall_when_controller_does_not_resignal_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	assert_int_equal(lazy_reassert("intc=ppc64", &v), CHECK_DEVICE_STALL);
	assert_non_null(strstr(v.what, "while it was disabled"));
	/* inevitable when the disabled irq swallowed the assertion */
	assert_int_equal(v.step,
			 h.w->vfio.msi.irq.desc[irq0()].disabled_hit_step);
	harness_close(&h);
	assert_int_equal(lazy_reassert("intc=x86-ioapic", &v), CHECK_NONE);
}

static void stall_when_masked_for_good_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_open(&h, machine, "intc=ppc64");
	harness_call(&h, "t0", fn_request_irq, irq0(), harness_nop_handler_fn,
		     5, 0);
	h.w->vfio.msi.irq.desc[irq0()].settings |= IRQ_DISABLE_UNLAZY;
	harness_call(&h, "t0", fn_disable_irq_nosync, irq0(), 0, 0, 0);
	harness_raise_intx(&h, "nic0", 0);
	assert_false(harness_take_irq(&h, 1));
	/* nobody enables it again */
	assert_int_equal(harness_check_end(&h, &v), CHECK_DEVICE_STALL);
	assert_non_null(strstr(v.what, "keeps it masked"));
	/* the driver servicing it ends the stall */
	pci_intx_read_status(&(struct irqsim_ctx){ .world = h.w, .rt = &h.rt },
			     0);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
}

/*
 * A second event while the first is unserviced changes nothing on the
 * line: the stall dates from the first assertion, and that is the event
 * the verdict names (not the later, coalesced one).
 */
static void stall_names_first_unserviced_assertion_test(void **state)
{
	const struct pci_intx *x;
	struct irqsim_verdict v;
	uint32_t first, second;

	(void)state;
	harness_open(&h, machine, "intc=ppc64");
	x = &h.w->vfio.msi.dev[0].intx;
	harness_call(&h, "t0", fn_request_irq, irq0(), harness_nop_handler_fn,
		     5, 0);
	h.w->vfio.msi.irq.desc[irq0()].settings |= IRQ_DISABLE_UNLAZY;
	harness_call(&h, "t0", fn_disable_irq_nosync, irq0(), 0, 0, 0);
	harness_raise_intx(&h, "nic0", 0);
	first = x->pending_step;
	harness_raise_intx(&h, "nic0", 0);
	second = x->last_raise_step;
	assert_true(first > 0);
	assert_true(second > first);
	assert_int_equal(x->pending_step, first);
	assert_int_equal(harness_check_end(&h, &v), CHECK_DEVICE_STALL);
	assert_true(v.has_origin);
	assert_int_equal(v.origin_step, first);
	{
		char since[48];

		snprintf(since, sizeof(since), "asserted since step %u,",
			 first);
		assert_non_null(strstr(v.what, since));
	}
	/* the driver's read services it: nothing pending any more */
	pci_intx_read_status(&(struct irqsim_ctx){ .world = h.w, .rt = &h.rt },
			     0);
	assert_int_equal(x->pending_step, 0);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
}

static void state_leak_vfio_context_left_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_open(&h, machine, NULL);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	/* a ctx with a trigger on a device whose irq_type is none */
	h.w->vfio.vdev[0].ctx[0].trigger = (int8_t)qemu_intx_efd(0);
	h.w->vfio.efd[qemu_intx_efd(0)].refs++;
	assert_int_equal(harness_check_end(&h, &v), CHECK_STATE_LEAK);
	assert_non_null(strstr(v.what, "dev0"));
}

static void state_leak_flag_only_without_action_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_open(&h, machine, NULL);
	h.w->vfio.msi.irq.desc[irq0()].settings |= IRQ_DISABLE_UNLAZY;
	assert_int_equal(harness_check_end(&h, &v), CHECK_STATE_LEAK);
	/* the same flag on an irq with an action is its owner's business */
	harness_call(&h, "t0", fn_request_irq, irq0(), harness_nop_handler_fn,
		     5, 0);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	/* and __free_irq() clears it with the last action */
	harness_call(&h, "t0", fn_free_irq, irq0(), 5, 0, 0);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
}

static void summary_counts_intx_test(void **state)
{
	char buf[512];

	(void)state;
	harness_open(&h, machine, "intc=x86-ioapic");
	harness_call(&h, "t0", fn_request_irq, irq0(), harness_nop_handler_fn,
		     5, 0);
	harness_raise_intx(&h, "nic0", 0);
	assert_true(harness_take_irq(&h, 1));
	assert_true(harness_take_irq(&h, 1));
	check_summary(h.w, buf, sizeof(buf));
	assert_non_null(strstr(buf, "intx dev0: events=1 host-irqs=2 (handled=2"));
	assert_non_null(strstr(buf, "re-signals=2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(storm_on_unserviced_level_line_test,
					  teardown),
		cmocka_unit_test_teardown(storm_bound_zero_is_off_test,
					  teardown),
		cmocka_unit_test_teardown(
			stall_when_controller_does_not_resignal_test, teardown),
		cmocka_unit_test_teardown(stall_names_first_unserviced_assertion_test,
					  teardown),
		cmocka_unit_test_teardown(stall_when_masked_for_good_test,
					  teardown),
		cmocka_unit_test_teardown(state_leak_vfio_context_left_test,
					  teardown),
		cmocka_unit_test_teardown(
			state_leak_flag_only_without_action_test, teardown),
		cmocka_unit_test_teardown(summary_counts_intx_test, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
