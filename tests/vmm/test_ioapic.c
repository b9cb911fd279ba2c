// SPDX-License-Identifier: MIT
/*
 * QEMU's split-irqchip IOAPIC (src/vmm/ioapic.c, hw/intc/ioapic.c): RTEs
 * written as dwords through IOREGSEL/IOWIN, read-only Remote IRR, level
 * pins coalesced while Remote IRR is set, the EOI broadcast that
 * re-delivers a still-asserted line and its storm throttle, and the order
 * of the KVM route update on an RTE write (before 54ad31fb0a0a: after the
 * re-delivery). Driven through the model's MMIO functions on a QEMU
 * thread, as a guest's trapped accesses reach them.
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
#define LOW(masked)	(VEC | 0x8000u | ((masked) ? 0x10000u : 0))

static const char machine[] =
	"cpus 1\n"
	"vcpus 3\n"
	"actor vcpu0 vcpu=0 cpu=0\n"
	"actor vcpu1 vcpu=1 cpu=0\n"
	"actor vcpu2 vcpu=2 cpu=0\n"
	"actor qemu cpu=0\n"
	"main-loop cpu=0\n"
	"ioapic-device xenpf pin=11\n";

static struct harness h;
static int unmask_mark;	/* log index before the unmask of move_and_unmask */

static void mem_write(uint32_t addr, uint32_t val)
{
	harness_call_now(&h, "qemu", fn_ioapic_mem_write, (int32_t)addr,
			 (int32_t)val, 0, 0);
}

static uint32_t mem_read(uint32_t addr)
{
	return (uint32_t)harness_call_now(&h, "qemu", fn_ioapic_mem_read,
					  (int32_t)addr, 0, 0, 0);
}

/* io_apic_write(): select the register, write the window. */
static void reg_write(int reg, uint32_t val)
{
	mem_write(IOAPIC_IOREGSEL, (uint32_t)reg);
	mem_write(IOAPIC_IOWIN, val);
}

static void line(int level)
{
	harness_call_now(&h, "xenpf", fn_qemu_level_dev_set, 0, level, 0, 0);
}

static uint64_t rte(void)
{
	return h.w->ioapic.ioredtbl[PIN];
}

/* Pending (PIR or IRR) vector 0x21 on @vcpu. */
static bool pending_on(int vcpu)
{
	return (h.w->vcpu[vcpu].pir | h.w->vcpu[vcpu].irr) & VBIT;
}

static void clear_guest_lapics(void)
{
	for (int v = 0; v < 3; v++)
		h.w->vcpu[v].pir = h.w->vcpu[v].irr = 0;
}

/* Pin 11 level, vector 0x21, to @dest; @masked. */
static void program(int dest, bool masked)
{
	reg_write(IOAPIC_REG_REDTBL_BASE + 1 + 2 * PIN, (uint32_t)dest << 24);
	reg_write(IOAPIC_REG_REDTBL_BASE + 2 * PIN, LOW(masked));
}

static int teardown(void **state)
{
	(void)state;
	harness_done(&h);
	return 0;
}

static void ioapic_rte_dwords_test(void **state)
{
	(void)state;
	harness_load(&h, machine);
	/* ioapic_reset_common(): every entry masked */
	assert_true(rte() & IOAPIC_LVT_MASKED);
	program(2, true);
	assert_int_equal(rte(), (2ull << 56) | LOW(true));
	/* IOWIN reads the selected dword back */
	mem_write(IOAPIC_IOREGSEL, IOAPIC_REG_REDTBL_BASE + 1 + 2 * PIN);
	assert_int_equal(mem_read(IOAPIC_IOWIN), 2u << 24);
	mem_write(IOAPIC_IOREGSEL, IOAPIC_REG_REDTBL_BASE + 2 * PIN);
	assert_int_equal(mem_read(IOAPIC_IOWIN), LOW(true));
	/* a guest write cannot set the read-only Remote IRR bit */
	mem_write(IOAPIC_IOWIN, LOW(true) | 0x4000u);
	assert_false(rte() & IOAPIC_LVT_REMOTE_IRR);
}

static void ioapic_level_remote_irr_test(void **state)
{
	struct ioapic_stats *st;

	(void)state;
	harness_load(&h, machine);
	st = &h.w->iostats;
	program(2, true);
	/* a masked level pin remembers the assertion, sends nothing */
	line(1);
	assert_true(h.w->ioapic.irr & (1u << PIN));
	assert_int_equal(st->kvm_set_irq, 0);
	assert_false(rte() & IOAPIC_LVT_REMOTE_IRR);
	/* the unmask services it: Remote IRR set, one delivery to vCPU2 */
	reg_write(IOAPIC_REG_REDTBL_BASE + 2 * PIN, LOW(false));
	assert_true(rte() & IOAPIC_LVT_REMOTE_IRR);
	assert_int_equal(st->kvm_set_irq, 1);
	assert_true(pending_on(2));
	/* asserted again while Remote IRR is set: coalesced */
	line(1);
	assert_int_equal(st->kvm_set_irq, 1);
	/* rewriting the low dword keeps Remote IRR (read-only) */
	reg_write(IOAPIC_REG_REDTBL_BASE + 2 * PIN, LOW(false));
	assert_true(rte() & IOAPIC_LVT_REMOTE_IRR);
	assert_int_equal(st->kvm_set_irq, 1);
	/* EOI with the line still asserted: cleared and delivered again */
	mem_write(IOAPIC_EOI, VEC);
	assert_int_equal(st->eoi_broadcasts, 1);
	assert_int_equal(st->kvm_set_irq, 2);
	assert_true(rte() & IOAPIC_LVT_REMOTE_IRR);
	assert_int_equal(h.w->ioapic.irq_eoi[PIN], 1);
	/* line low: the EOI only clears Remote IRR and the storm count */
	line(0);
	mem_write(IOAPIC_EOI, VEC);
	assert_false(rte() & IOAPIC_LVT_REMOTE_IRR);
	assert_int_equal(st->kvm_set_irq, 2);
	assert_int_equal(h.w->ioapic.irq_eoi[PIN], 0);
	/* an EOI for another vector touches nothing */
	line(1);
	mem_write(IOAPIC_EOI, VEC + 1);
	assert_true(rte() & IOAPIC_LVT_REMOTE_IRR);
	assert_int_equal(st->kvm_set_irq, 3);
}

/*
 * ioapic_eoi_broadcast(): the 10,000th re-delivery in a row is left to
 * delayed_ioapic_service_timer; the main loop's timer delivers it.
 */
static void ioapic_storm_throttle_test(void **state)
{
	(void)state;
	harness_load(&h, machine);
	program(2, false);
	line(1);
	assert_int_equal(h.w->iostats.kvm_set_irq, 1);
	h.w->ioapic.irq_eoi[PIN] = SUCCESSIVE_IRQ_MAX_COUNT - 2;
	mem_write(IOAPIC_EOI, VEC);
	assert_int_equal(h.w->iostats.kvm_set_irq, 2);
	assert_int_equal(h.w->ioapic.irq_eoi[PIN], SUCCESSIVE_IRQ_MAX_COUNT - 1);
	assert_false(harness_enabled(&h, "ioapic:timer"));
	mem_write(IOAPIC_EOI, VEC);
	/* not delivered now: Remote IRR clear, the timer armed */
	assert_int_equal(h.w->iostats.kvm_set_irq, 2);
	assert_false(rte() & IOAPIC_LVT_REMOTE_IRR);
	assert_int_equal(h.w->ioapic.irq_eoi[PIN], 0);
	assert_int_equal(h.w->iostats.storm_delays, 1);
	assert_true(harness_enabled(&h, "ioapic:timer"));
	harness_fire(&h, "ioapic:timer");
	assert_int_equal(h.w->iostats.kvm_set_irq, 3);
	assert_true(rte() & IOAPIC_LVT_REMOTE_IRR);
	assert_false(harness_enabled(&h, "ioapic:timer"));
	/* an RTE write restarts the count */
	h.w->ioapic.irq_eoi[PIN] = 5;
	reg_write(IOAPIC_REG_REDTBL_BASE + 2 * PIN, LOW(false));
	assert_int_equal(h.w->ioapic.irq_eoi[PIN], 0);
}

/*
 * The guest's move of seeds/003 at the register level: mask, EOI, new
 * destination while masked (the route of a masked pin is not updated),
 * unmask with the line asserted. Before 54ad31fb0a0a the re-delivery goes
 * through the old route (vCPU2), after it through the new one (vCPU0).
 */
static void move_and_unmask(int routes_first)
{
	harness_load(&h, machine);
	h.knobs[vmm_knob_ioapic_routes_first] = routes_first;
	program(2, false);
	assert_int_equal(h.w->ioapic_route[PIN].address, 0xfee02000u);
	assert_int_equal(h.w->ioapic_route[PIN].data, 0x8021u);
	line(1);
	reg_write(IOAPIC_REG_REDTBL_BASE + 2 * PIN, LOW(true));
	mem_write(IOAPIC_EOI, VEC);
	assert_false(rte() & IOAPIC_LVT_REMOTE_IRR);
	reg_write(IOAPIC_REG_REDTBL_BASE + 1 + 2 * PIN, 0);
	reg_write(IOAPIC_REG_REDTBL_BASE + 2 * PIN, LOW(true));
	/* masked: ioapic_update_kvm_routes() left the route stale */
	assert_int_equal(h.w->ioapic_route[PIN].address, 0xfee02000u);
	clear_guest_lapics();
	unmask_mark = (int)h.log.n;
	reg_write(IOAPIC_REG_REDTBL_BASE + 2 * PIN, LOW(false));
	assert_int_equal(h.w->ioapic_route[PIN].address, 0xfee00000u);
}

static void ioapic_route_update_after_redelivery_test(void **state)
{
	(void)state;
	move_and_unmask(0);
	assert_true(pending_on(2));
	assert_false(pending_on(0));
	/* the route update is logged after the delivery that used the old */
	harness_expect_event(&h,
			     harness_expect_event(&h, unmask_mark, "kvm_set_irq",
						  "fee02000"),
			     "ioapic_update_kvm_routes", "fee00000");
}

static void ioapic_route_update_before_redelivery_test(void **state)
{
	(void)state;
	move_and_unmask(1);
	assert_true(pending_on(0));
	assert_false(pending_on(2));
}

/*
 * KVM: an interrupt for a vCPU outside guest mode waits in the PIR; the
 * route rescan at the next entry runs before the PIR is synced. Which
 * vCPU keeps the vector's EOI exit after the route moved away from it.
 */
static uint32_t stale_eoi_exit(int scan, int apicv)
{
	harness_load(&h, machine);
	h.knobs[vmm_knob_kvm_eoi_scan] = scan;
	h.knobs[vmm_knob_kvm_apicv] = apicv;
	program(2, false);
	line(1);
	/* vCPU2 is halted (nothing to run): posted, or IRR without APICv */
	assert_int_equal(h.w->vcpu[2].pir, apicv ? VBIT : 0);
	assert_int_equal(h.w->vcpu[2].irr, apicv ? 0 : VBIT);
	/* the route moves to vCPU0 (as QEMU's unmask commit does) */
	program(0, false);
	assert_true(h.w->vcpu[2].scan_pending);
	harness_fire(&h, "vcpu2:virq");
	assert_false(h.w->vcpu[2].scan_pending);
	assert_int_equal(h.w->vcpu[2].isr, VBIT);
	return h.w->vcpu[2].eoi_exit & VBIT;
}

static void kvm_eoi_scan_dest_drops_test(void **state)
{
	(void)state;
	assert_false(stale_eoi_exit(KVM_EOI_SCAN_DEST, 1));
}

static void kvm_eoi_scan_irr_isr_misses_pir_test(void **state)
{
	(void)state;
	assert_false(stale_eoi_exit(KVM_EOI_SCAN_IRR_ISR, 1));
}

static void kvm_eoi_scan_irr_isr_without_apicv_test(void **state)
{
	(void)state;
	assert_true(stale_eoi_exit(KVM_EOI_SCAN_IRR_ISR, 0));
}

static void kvm_eoi_scan_sync_pir_keeps_test(void **state)
{
	(void)state;
	assert_true(stale_eoi_exit(KVM_EOI_SCAN_SYNC_PIR, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(ioapic_rte_dwords_test, teardown),
		cmocka_unit_test_teardown(ioapic_level_remote_irr_test, teardown),
		cmocka_unit_test_teardown(ioapic_storm_throttle_test, teardown),
		cmocka_unit_test_teardown(ioapic_route_update_after_redelivery_test,
					  teardown),
		cmocka_unit_test_teardown(ioapic_route_update_before_redelivery_test,
					  teardown),
		cmocka_unit_test_teardown(kvm_eoi_scan_dest_drops_test, teardown),
		cmocka_unit_test_teardown(kvm_eoi_scan_irr_isr_misses_pir_test,
					  teardown),
		cmocka_unit_test_teardown(kvm_eoi_scan_irr_isr_without_apicv_test,
					  teardown),
		cmocka_unit_test_teardown(kvm_eoi_scan_sync_pir_keeps_test,
					  teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
