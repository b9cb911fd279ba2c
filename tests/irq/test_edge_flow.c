// SPDX-License-Identifier: MIT
/*
 * The edge flow of x86 PCI MSI-X (src/irq/chip.c) against
 * kernel/irq/chip.c handle_edge_irq(), irq_shutdown(), irq_startup() and
 * kernel/irq/resend.c check_irq_resend() of Linux v6.18
 * (kernel-reference.md sections 4.4, 4.6, 4.7, 2.6).
 *
 * The interesting window is inside free_irq(): after irq_shutdown() and
 * the unlock of desc->lock, before deactivation. vector_irq still points
 * at the descriptor, so an interrupt latched before the mask reaches
 * handle_edge_irq(), finds no action and is remembered as IRQS_PENDING;
 * the next request_irq() replays it through check_irq_resend().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define HOST(behaviour)						\
	"cpus 2\n"						\
	"device nic0 msix=1 behaviour=" behaviour " affinity=cpu1\n" \
	"actor drv cpu=0\n"					\
	"setup drv: pci_msix_enable nic0 1\n"			\
	"setup drv: host_request_irq nic0 0\n"

#define CPU 1
#define VEC FIRST_EXTERNAL_VECTOR

static struct harness h;

static bool irr_has(int cpu, int vector)
{
	return apic_vector_test(harness_apic(&h)->cpu[cpu].lapic.irr, vector);
}

static bool cpu1_idle(void)
{
	return !harness_sched(&h)->actor[harness_actor(&h, "cpu1")].nframes;
}

/* free_irq() has shut the irq down and dropped desc->lock. */
static bool shut_down_and_unlocked(int irq)
{
	return (harness_desc(&h, irq)->irqd & IRQD_IRQ_MASKED) &&
	       !(harness_desc(&h, irq)->irqd & IRQD_IRQ_STARTED) &&
	       harness_lock_owner(&h, IRQ_LOCK_DESC(irq)) < 0;
}

static void handle_edge_irq_acks_before_handler_test(void **state)
{
	struct pci_dev *pdev;
	struct irq_desc *desc;

	(void)state;
	harness_load(&h, HOST("free-running") "nic0: raise 0\nnic0: raise 0\n");
	desc = harness_desc(&h, harness_irq(&h, 0, 0));
	pdev = harness_pdev(&h, 0);

	harness_fire(&h, "nic0");
	assert_true(irr_has(CPU, VEC));
	harness_fire(&h, "cpu1:irq");
	assert_false(irr_has(CPU, VEC));
	assert_int_equal(harness_isr_count(&h, CPU), 1);

	/*
	 * handle_edge_irq(): chip->irq_ack() (apic_ack_edge -> apic_eoi())
	 * comes before handle_irq_event(): the ISR is clear while the driver
	 * has not read the device yet.
	 */
	HARNESS_FIRE_UNTIL(&h, "cpu1", desc->irqd & IRQD_IRQ_INPROGRESS);
	assert_int_equal(harness_isr_count(&h, CPU), 0);
	assert_int_equal(desc->irq_count, 1);
	assert_int_equal(pdev->consumed[0], 0);

	/* The driver reads the status; a new edge arrives meanwhile. */
	HARNESS_FIRE_UNTIL(&h, "cpu1", pdev->consumed[0] == 1);
	assert_true(desc->irqd & IRQD_IRQ_INPROGRESS);
	harness_fire(&h, "nic0");
	assert_int_equal(pdev->sent[0], 2);
	assert_true(irr_has(CPU, VEC));

	/* Acked early, the second edge is delivered and handled too. */
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(desc->irq_count, 2);
	assert_int_equal(pdev->consumed[0], 2);
	assert_int_equal(harness_apic(&h)->stats.discards, 0);
	harness_done(&h);
}

static void handle_edge_irq_no_action_pending_mask_ack_test(void **state)
{
	struct irq_desc *desc;
	int irq;

	(void)state;
	harness_load(&h, HOST("ack") "nic0: raise 0\ndrv: host_free_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);

	/* The MSI is latched in cpu1's IRR before free_irq() masks. */
	harness_fire(&h, "nic0");
	HARNESS_FIRE_UNTIL(&h, "drv", shut_down_and_unlocked(irq));
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_int_equal(harness_count_events(&h, "mask_irq", NULL), 1);

	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", cpu1_idle());
	/*
	 * handle_edge_irq(): !irq_can_handle() (no action, disabled) ->
	 * IRQS_PENDING and mask_ack_irq(): mask_irq() is a no-op on an
	 * IRQD_IRQ_MASKED irq, the ack EOIs; the handler never runs and
	 * kstat is not counted.
	 */
	assert_true(desc->istate & IRQS_PENDING);
	assert_true(desc->irqd & IRQD_IRQ_MASKED);
	assert_int_equal(harness_count_events(&h, "mask_irq", NULL), 1);
	assert_int_equal(harness_isr_count(&h, CPU), 0);
	assert_int_equal(desc->irq_count, 0);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 0);
	assert_int_equal(harness_apic(&h)->stats.discards, 0);
	harness_expect_event(&h, 0, "handle_edge_irq", "no action");
	harness_done(&h);
}

static void handle_edge_irq_lazy_disabled_masks_test(void **state)
{
	struct pci_dev *pdev;
	struct irq_desc *desc;

	(void)state;
	harness_load(&h, HOST("ack") "nic0: raise 0\n");
	desc = harness_desc(&h, harness_irq(&h, 0, 0));
	pdev = harness_pdev(&h, 0);
	/*
	 * disable_irq_nosync() (not a modeled op): depth 1 and a lazy
	 * irq_disable() that leaves the hardware unmasked.
	 */
	desc->depth = 1;
	desc->irqd |= IRQD_IRQ_DISABLED;
	assert_false(msix_entry_masked(pdev, 0));

	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", cpu1_idle());
	/*
	 * handle_edge_irq(): the irq is disabled, so IRQS_PENDING and
	 * mask_ack_irq(): this time mask_irq() really masks the MSI-X
	 * entry (the lazy disable catches up), and the APIC is EOI'd.
	 */
	assert_true(desc->istate & IRQS_PENDING);
	assert_true(desc->irqd & IRQD_IRQ_MASKED);
	assert_true(msix_entry_masked(pdev, 0));
	assert_int_equal(harness_isr_count(&h, CPU), 0);
	assert_int_equal(pdev->consumed[0], 0);
	harness_expect_event(&h, 0, "handle_edge_irq", "disabled");
	harness_done(&h);
}

static void irq_shutdown_keeps_pending_and_depth_test(void **state)
{
	struct irq_desc *desc;
	int irq;

	(void)state;
	harness_load(&h, HOST("ack") "nic0: raise 0\ndrv: host_free_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	harness_fire(&h, "nic0");
	HARNESS_FIRE_UNTIL(&h, "drv", shut_down_and_unlocked(irq));
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", cpu1_idle());
	HARNESS_FIRE_UNTIL(&h, "drv", harness_actor_done(&h, "drv"));
	/*
	 * Neither irq_shutdown() (clear_irq_resend() only drops a queued
	 * software resend) nor the deactivation clears IRQS_PENDING: the
	 * edge is remembered for the next request_irq().
	 */
	assert_true(desc->istate & IRQS_PENDING);
	assert_int_equal(desc->depth, 1);
	assert_int_equal(harness_slot(&h, CPU, VEC), VECTOR_SHUTDOWN);
	harness_done(&h);
}

static void irq_shutdown_depth_increments_test(void **state)
{
	struct irq_desc *desc;
	int irq;

	(void)state;
	harness_load(&h, HOST("ack")
		     "drv: host_free_irq nic0 0\n"
		     "drv: host_request_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	/*
	 * The driver had called disable_irq_nosync() (not a modeled op):
	 * __disable_irq() depth 0 -> 1 and a lazy irq_disable() that only
	 * marks the irq disabled (PCI-MSIX has no irq_disable callback and
	 * IRQ_DISABLE_UNLAZY is not set), so the entry stays unmasked.
	 */
	desc->depth = 1;
	desc->irqd |= IRQD_IRQ_DISABLED;
	assert_false(msix_entry_masked(harness_pdev(&h, 0), 0));

	/*
	 * irq_shutdown() in v6.17+: depth++ (older kernels: depth = 1), and
	 * __irq_disable(desc, true) masks even an already disabled irq.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv", !(desc->irqd & IRQD_IRQ_STARTED));
	assert_int_equal(desc->depth, 2);
	assert_true(msix_entry_masked(harness_pdev(&h, 0), 0));

	/*
	 * irq_startup() in the next __setup_irq() sets depth = 0, as KUnit
	 * irq_free_disabled_test expects after a re-request.
	 */
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(desc->depth, 0);
	assert_false(desc->irqd & IRQD_IRQ_DISABLED);
	assert_false(msix_entry_masked(harness_pdev(&h, 0), 0));
	harness_done(&h);
}

static void check_irq_resend_replays_pending_edge_test(void **state)
{
	struct irq_desc *desc;
	int irq, retrigger, publish, cpu1;

	(void)state;
	harness_load(&h, HOST("ack")
		     "nic0: raise 0\n"
		     "drv: host_free_irq nic0 0\n"
		     "drv: host_request_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	cpu1 = harness_actor(&h, "cpu1");
	harness_fire(&h, "nic0");
	HARNESS_FIRE_UNTIL(&h, "drv", shut_down_and_unlocked(irq));
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", cpu1_idle());
	assert_true(desc->istate & IRQS_PENDING);
	assert_false(irr_has(CPU, VEC));

	/*
	 * request_irq() -> irq_startup(desc, IRQ_RESEND) ->
	 * check_irq_resend(): PENDING is cleared, irq_chip_retrigger_hierarchy
	 * reaches apic_retrigger_irq(), an IPI with the new vector to the new
	 * CPU, and IRQS_REPLAY marks it. All before the action is published.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv", irr_has(CPU, VEC));
	assert_int_equal(harness_apicd(&h, irq)->cpu, CPU);
	assert_int_equal(harness_apicd(&h, irq)->vector, VEC);
	assert_false(desc->istate & IRQS_PENDING);
	assert_int_equal(harness_lock_owner(&h, APIC_LOCK_VECTOR),
			 harness_actor(&h, "drv"));
	assert_int_equal(desc->action_fn, -1);
	HARNESS_FIRE_UNTIL(&h, "drv", desc->istate & IRQS_REPLAY);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)),
			 harness_actor(&h, "drv"));

	/*
	 * cpu1 takes the replayed vector at once; handle_edge_irq() waits
	 * for desc->lock, which __setup_irq() holds until the action is
	 * published.
	 */
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", !harness_enabled(&h, "cpu1"));
	assert_true(harness_sched(&h)->actor[cpu1].blocked);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)),
			 harness_actor(&h, "drv"));

	/*
	 * Then the replay is handled like a new edge: irq_can_handle_actions()
	 * clears IRQS_REPLAY, the driver reads the event the device raised
	 * before free_irq(): nothing is lost.
	 */
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_false(desc->istate & (IRQS_REPLAY | IRQS_PENDING));
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	assert_int_equal(desc->irq_count, 1);

	retrigger = harness_expect_event(&h, 0, "check_irq_resend", NULL);
	publish = harness_expect_event(&h, 0, "request_irq", "action published");
	assert_true(retrigger < publish);
	harness_done(&h);
}

static void irqs_replay_cleared_when_replay_finds_no_action_test(void **state)
{
	struct irq_desc *desc;
	int irq;

	(void)state;
	/* Two free_irq()/request_irq() cycles back to back. */
	harness_load(&h, HOST("ack")
		     "nic0: raise 0\n"
		     "drv: host_free_irq nic0 0\n"
		     "drv: host_request_irq nic0 0\n"
		     "drv: host_free_irq nic0 0\n"
		     "drv: host_request_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	harness_fire(&h, "nic0");
	HARNESS_FIRE_UNTIL(&h, "drv", shut_down_and_unlocked(irq));
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", cpu1_idle());
	/* The first request_irq() replays, then free_irq() runs again. */
	HARNESS_FIRE_UNTIL(&h, "drv", desc->action_fn >= 0);
	assert_true(desc->istate & IRQS_REPLAY);
	HARNESS_FIRE_UNTIL(&h, "drv", desc->action_fn < 0);
	HARNESS_FIRE_UNTIL(&h, "drv", shut_down_and_unlocked(irq));

	/*
	 * The replayed IPI arrives while the irq is freed again:
	 * irq_can_handle_pm() passes, so irq_can_handle_actions() clears
	 * IRQS_REPLAY before it finds no action and sets IRQS_PENDING.
	 */
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", cpu1_idle());
	assert_false(desc->istate & IRQS_REPLAY);
	assert_true(desc->istate & IRQS_PENDING);

	/*
	 * So the second request_irq() replays it once more (with REPLAY
	 * still set, check_irq_resend() would return -EBUSY and the event
	 * would be lost for good).
	 */
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(harness_count_events(&h, "check_irq_resend", NULL), 2);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	assert_false(desc->istate & (IRQS_REPLAY | IRQS_PENDING));
	harness_done(&h);
}

static void check_irq_resend_direct_test(void **state)
{
	int fn = irqsim_fn_lookup("check_irq_resend");
	struct irq_desc *desc;
	int irq;

	(void)state;
	assert_true(fn >= 0);
	harness_load(&h, HOST("ack"));
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	assert_int_equal(harness_apicd(&h, irq)->vector, VEC);

	/* IRQS_REPLAY already set: -EBUSY, PENDING stays, nothing sent. */
	desc->istate = IRQS_PENDING | IRQS_REPLAY;
	assert_int_equal(harness_call_now(&h, "drv", fn, irq, 0, 0, 0), -EBUSY);
	assert_int_equal(desc->istate, IRQS_PENDING | IRQS_REPLAY);
	assert_int_equal(harness_irr_count(&h, CPU), 0);

	/* Nothing pending and no inject: 0, nothing sent. */
	desc->istate = 0;
	assert_int_equal(harness_call_now(&h, "drv", fn, irq, 0, 0, 0), 0);
	assert_int_equal(desc->istate, 0);
	assert_int_equal(harness_irr_count(&h, CPU), 0);

	/* PENDING: cleared, retriggered on the irq's vector, REPLAY set. */
	desc->istate = IRQS_PENDING;
	assert_int_equal(harness_call_now(&h, "drv", fn, irq, 0, 0, 0), 0);
	assert_int_equal(desc->istate, IRQS_REPLAY);
	assert_true(irr_has(CPU, VEC));
	assert_int_equal(harness_irr_count(&h, CPU), 1);

	/* inject (irq_inject_interrupt) retriggers with nothing pending. */
	apic_vector_clear(harness_apic(&h)->cpu[CPU].lapic.irr, VEC);
	desc->istate = 0;
	assert_int_equal(harness_call_now(&h, "drv", fn, irq, 1, 0, 0), 0);
	assert_int_equal(desc->istate, IRQS_REPLAY);
	assert_true(irr_has(CPU, VEC));
	assert_int_equal(harness_lock_owner(&h, APIC_LOCK_VECTOR), -1);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(handle_edge_irq_acks_before_handler_test),
		cmocka_unit_test(handle_edge_irq_no_action_pending_mask_ack_test),
		cmocka_unit_test(handle_edge_irq_lazy_disabled_masks_test),
		cmocka_unit_test(irq_shutdown_keeps_pending_and_depth_test),
		cmocka_unit_test(irq_shutdown_depth_increments_test),
		cmocka_unit_test(check_irq_resend_replays_pending_edge_test),
		cmocka_unit_test(irqs_replay_cleared_when_replay_finds_no_action_test),
		cmocka_unit_test(check_irq_resend_direct_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
