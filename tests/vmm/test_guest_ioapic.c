// SPDX-License-Identifier: MIT
/*
 * The guest's IOAPIC irq (src/vmm/guest_ioapic.c, Linux io_apic.c) on
 * QEMU's split irqchip: an affinity set before request_irq() is used by
 * the startup, one set after it waits for the next interrupt, where
 * ioapic_ack_level() masks, EOIs, rewrites the RTE (high dword, then low)
 * and unmasks - unless the IOAPIC still shows Remote IRR; David's test
 * driver returns IRQ_NONE off its CPU. Then the oracles misrouted,
 * lost-eoi and device-stall on the level device, and the trace syntax.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define PIN	11
#define VEC	0x21
#define VBIT	(1u << (VEC - GUEST_IOAPIC_VECTOR_BASE))

#define MACHINE							\
	"cpus 1\n"						\
	"vcpus 3\n"						\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"actor vcpu1 vcpu=1 cpu=0\n"				\
	"actor vcpu2 vcpu=2 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"ioapic-device xenpf pin=11\n"

static struct harness h;

static int teardown(void **state)
{
	(void)state;
	harness_done(&h);
	return 0;
}

static const struct guest_ioapic_irq *gio(void)
{
	int slot = guest_ioapic_slot(h.w, PIN);

	assert_true(slot >= 0);
	return &h.w->gio[slot];
}

static int rte_dest(void)
{
	return (int)(h.w->ioapic.ioredtbl[PIN] >> IOAPIC_LVT_DEST_SHIFT);
}

static bool idle(const char *actor)
{
	return !harness_sched(&h)->actor[harness_actor(&h, actor)].nframes;
}

/* tglx: "If you do the setting before request_irq() then the startup
 * will assign it to the target mask right away." */
static void guest_affinity_before_request_test(void **state)
{
	(void)state;
	harness_load(&h, MACHINE
		     "setup vcpu0: guest_irq_set_affinity 11 0\n"
		     "setup vcpu0: guest_ioapic_request_irq 11 2 any\n");
	assert_int_equal(gio()->effective, 0);
	assert_int_equal(gio()->pending_mask, 0);
	assert_true(gio()->started);
	assert_int_equal(rte_dest(), 0);
	assert_false(h.w->ioapic.ioredtbl[PIN] & IOAPIC_LVT_MASKED);
	assert_int_equal(h.w->ioapic_route[PIN].address, 0xfee00000u);
	assert_int_equal(h.w->ioapic_route[PIN].data, 0x8000u | VEC);
}

/*
 * "once the interrupt is requested, the affinity setting is deferred to
 * the first interrupt": pending until vCPU2 takes one; its ack moves it.
 */
static void guest_affinity_deferred_to_interrupt_test(void **state)
{
	int mask_write, eoi, high, low, unmask;

	(void)state;
	harness_load(&h, MACHINE
		     "setup vcpu0: guest_ioapic_request_irq 11 2 any\n"
		     "setup vcpu0: guest_irq_set_affinity 11 0\n"
		     "xenpf: assert\n");
	assert_int_equal(gio()->effective, 2);
	assert_int_equal(gio()->pending_mask, 1u << 0);
	assert_int_equal(rte_dest(), 2);
	harness_fire(&h, "xenpf");
	assert_true(h.w->vcpu[2].pir & VBIT);
	harness_fire(&h, "vcpu2:virq");
	HARNESS_FIRE_UNTIL(&h, "guest2", idle("guest2"));
	/* moved: the RTE says vCPU0, unmasked, the move no longer pending */
	assert_int_equal(gio()->effective, 0);
	assert_int_equal(gio()->pending_mask, 0);
	assert_int_equal(gio()->affinity, 1u << 0);
	assert_int_equal(rte_dest(), 0);
	assert_false(h.w->ioapic.ioredtbl[PIN] & IOAPIC_LVT_MASKED);
	assert_int_equal(gio()->handled, 1);
	assert_false(h.w->ldev[0].pending);
	/* ioapic_ack_level's order: mask, EOI, high dword, low, unmask */
	mask_write = harness_expect_event(&h, 0, "ioapic_mem_write",
					  "val 0x18021");
	eoi = harness_expect_event(&h, mask_write, "ioapic_eoi_broadcast",
				   NULL);
	high = harness_expect_event(&h, eoi, "ioapic_mem_write",
				    "regsel: 0x27 size 0x4 val 0");
	low = harness_expect_event(&h, high, "ioapic_mem_write",
				   "val 0x18021");
	unmask = harness_expect_event(&h, low, "ioapic_mem_write",
				      "val 0x8021");
	assert_true(unmask > low);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
}

/*
 * ioapic_finish_move(): io_apic_level_ack_pending() finds Remote IRR
 * still set (the EOI did not reach the IOAPIC): no move now, the entry is
 * unmasked on the old target and the move stays pending.
 */
static void guest_move_waits_for_remote_irr_test(void **state)
{
	(void)state;
	harness_load(&h, MACHINE
		     "setup vcpu0: guest_ioapic_request_irq 11 2 vcpu0\n"
		     "setup vcpu0: guest_irq_set_affinity 11 0\n"
		     "xenpf: assert\n");
	harness_fire(&h, "xenpf");
	harness_fire(&h, "vcpu2:virq");
	/* KVM forwards no EOI of vCPU2 (its bitmap kept empty) */
	for (int n = 0; !idle("guest2"); n++) {
		assert_true(n < HARNESS_UNTIL_BOUND);
		h.w->vcpu[2].eoi_exit = 0;
		h.w->vcpu[2].scan_pending = 0;
		harness_fire(&h, "guest2");
	}
	harness_expect_event(&h, 0, "ioapic_finish_move",
			     "Remote IRR still set");
	assert_int_equal(gio()->effective, 2);
	assert_int_equal(gio()->pending_mask, 1u << 0);
	assert_int_equal(rte_dest(), 2);
	assert_false(h.w->ioapic.ioredtbl[PIN] & IOAPIC_LVT_MASKED);
	assert_true(h.w->ioapic.ioredtbl[PIN] & IOAPIC_LVT_REMOTE_IRR);
	/* the test driver ignored it on vCPU2: the device still asserts */
	assert_int_equal(gio()->irq_none, 1);
	assert_true(h.w->ldev[0].pending);
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_EOI);
	assert_int_equal(h.res.verdict.kind, CHECK_LOST_EOI);
	assert_non_null(strstr(h.res.verdict.what, "still asserted"));
}

/* The oracles on the seeds/003 move, as the model runs it. */
static const char stale[] = MACHINE
	"setup vcpu0: guest_ioapic_request_irq 11 2 vcpu0\n"
	"setup vcpu0: guest_irq_set_affinity 11 0\n"
	"xenpf: assert\n";

static void oracle_misrouted_qemu72_test(void **state)
{
	(void)state;
	harness_load(&h, stale);
	h.knobs[vmm_knob_ioapic_routes_first] = 0;
	assert_int_equal(harness_run(&h, NULL), CHECK_MISROUTED);
	/* vCPU2 got it although the guest's RTE already said vCPU0 */
	assert_int_equal(h.w->iostats.misrouted_pin, PIN);
	assert_int_equal(h.w->iostats.misrouted_vcpu, 2);
	assert_int_equal(h.w->iostats.misrouted_effective, 0);
	assert_int_equal(gio()->effective, 0);
	assert_int_equal(h.res.verdict.step, h.w->iostats.misrouted_step);
}

static void oracle_none_qemu80_test(void **state)
{
	(void)state;
	harness_load(&h, stale);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	/* the third interrupt: handled on vCPU0, the line low */
	assert_int_equal(gio()->handled, 1);
	assert_int_equal(h.w->iostats.misrouted, 0);
	assert_false(h.w->ldev[0].pending);
}

/* The same move on a v6.2 host: the stale interrupt's EOI is lost. */
static void oracle_lost_eoi_old_kvm_test(void **state)
{
	(void)state;
	harness_load(&h, stale);
	h.knobs[vmm_knob_ioapic_routes_first] = 0;
	h.knobs[vmm_knob_kvm_eoi_scan] = KVM_EOI_SCAN_DEST;
	h.rt.ignore = 1u << CHECK_MISROUTED;
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_EOI);
	assert_int_equal(h.w->iostats.eoi_not_exited_vcpu, 2);
	assert_int_equal(h.w->iostats.eoi_not_exited_vector, VEC);
	assert_int_equal(h.res.verdict.step,
			 h.w->iostats.eoi_not_exited_step);
	assert_true(h.w->ldev[0].pending);
}

/* A level device asserted on a pin the guest never unmasks. */
static void oracle_level_device_stall_test(void **state)
{
	(void)state;
	harness_load(&h, MACHINE "xenpf: assert\n");
	assert_int_equal(harness_run(&h, NULL), CHECK_DEVICE_STALL);
	assert_non_null(strstr(h.res.verdict.what, "masked"));
}

static void expect_parse_error(const char *text, const char *msg)
{
	struct scenario s;
	char err[SCENARIO_ERR] = "";

	scenario_init();
	assert_int_equal(scenario_parse(&s, "bad.trace", text, err,
					sizeof(err)),
			 -EINVAL);
	if (!strstr(err, msg)) {
		print_error("error '%s' lacks '%s'\n", err, msg);
		fail();
	}
	scenario_free(&s);
}

static void parse_ioapic_errors_test(void **state)
{
	(void)state;
	expect_parse_error("ioapic-device x pin=24\n", "pin= must be 0..23");
	expect_parse_error("ioapic-device x\n", "pin= must be");
	expect_parse_error("ioapic-device x pin=3\nioapic-device y pin=3\n",
			   "already has an ioapic-device");
	expect_parse_error(MACHINE "vcpu0: guest_ioapic_request_irq 11 2 cpu0\n",
			   "handler must be any or vcpu0..vcpu2");
	expect_parse_error(MACHINE "vcpu0: guest_ioapic_request_irq 24 0 any\n",
			   "pin '24' must be 0..23");
	expect_parse_error(MACHINE "xenpf: raise 0\n",
			   "'xenpf' is not a PCI device");
	expect_parse_error(MACHINE "device nic0\nnic0: assert\n",
			   "'nic0' is not an ioapic-device");
	expect_parse_error(MACHINE "main: guest_irq_set_affinity 11 0\n",
			   "cannot run guest_irq_set_affinity");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(guest_affinity_before_request_test,
					  teardown),
		cmocka_unit_test_teardown(guest_affinity_deferred_to_interrupt_test,
					  teardown),
		cmocka_unit_test_teardown(guest_move_waits_for_remote_irr_test,
					  teardown),
		cmocka_unit_test_teardown(oracle_misrouted_qemu72_test, teardown),
		cmocka_unit_test_teardown(oracle_none_qemu80_test, teardown),
		cmocka_unit_test_teardown(oracle_lost_eoi_old_kvm_test, teardown),
		cmocka_unit_test_teardown(oracle_level_device_stall_test,
					  teardown),
		cmocka_unit_test(parse_ioapic_errors_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
