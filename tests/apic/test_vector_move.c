// SPDX-License-Identifier: MIT
/*
 * The vector move and cleanup protocol (src/apic/move.c, src/irq/affinity.c,
 * the PCI-MSIX ack in src/msi/msi.c) against arch/x86/kernel/apic/vector.c
 * of Linux v6.18 (kernel-reference.md 2.5): apic_set_affinity() and
 * assign_vector_locked() (-EBUSY while a move is unfinished),
 * apic_update_vector() (the old slot keeps the descriptor),
 * irq_complete_move() from apic_ack_edge() on the new target,
 * vector_cleanup_callback() -> __vector_cleanup() with its IRR check,
 * free_moved_vector(); and the knobs that remove each protection.
 *
 * The move is deferred (IRQCHIP_MOVE_DEFERRED): host_set_affinity only
 * records the mask, the next interrupt's ack on CPU0 moves the vector.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

/* nic0 on CPU0, vector 32; host_set_affinity to CPU1 while it fires. */
#define MOVE_TRACE(extra)						\
	"cpus 2\n"							\
	"device nic0 msix=1 behaviour=free-running affinity=cpu0\n"	\
	"actor drv cpu=0\n"						\
	"setup drv: pci_msix_enable nic0 1\n"				\
	"setup drv: host_request_irq nic0 0\n"				\
	"drv: host_set_affinity nic0 0 1\n"				\
	"nic0: raise 0\nnic0: raise 0\nnic0: raise 0\n" extra

#define OLD_CPU 0
#define NEW_CPU 1
#define VEC FIRST_EXTERNAL_VECTOR

static struct harness h;

static bool irr_has(int cpu, int vector)
{
	return apic_vector_test(harness_apic(&h)->cpu[cpu].lapic.irr, vector);
}

static bool idle(const char *actor)
{
	return !harness_sched(&h)->actor[harness_actor(&h, actor)].nframes;
}

/*
 * The move: drv records it, the device fires at CPU0, CPU0 takes the
 * interrupt and fires once more before the ack masks the entry (the
 * second message is in CPU0's IRR on the old vector), then the ack moves
 * the irq. Stops when CPU0 is done.
 */
static int move_with_stale_interrupt(void)
{
	int irq;
	struct apic_chip_data *apicd;

	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	assert_int_equal(apicd->cpu, OLD_CPU);
	assert_int_equal(apicd->vector, VEC);

	HARNESS_FIRE_UNTIL(&h, "drv", harness_actor_done(&h, "drv"));
	/* deferred: nothing moved yet, the mask waits in the descriptor */
	assert_true(harness_desc(&h, irq)->irqd & IRQD_SETAFFINITY_PENDING);
	assert_int_equal(harness_desc(&h, irq)->pending_mask, 1 << NEW_CPU);
	assert_int_equal(apicd->cpu, OLD_CPU);

	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu0:irq");
	harness_fire(&h, "nic0");	/* before the ack masks the entry */
	assert_true(irr_has(OLD_CPU, VEC));
	HARNESS_FIRE_UNTIL(&h, "cpu0", apicd->move_in_progress);
	return irq;
}

static void apic_set_affinity_keeps_old_slot_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	harness_load(&h, MOVE_TRACE(""));
	irq = move_with_stale_interrupt();
	apicd = harness_apicd(&h, irq);

	/*
	 * apic_update_vector(): the old CPU is online, so the old vector
	 * becomes prev_vector and its slot still maps to the descriptor.
	 */
	assert_int_equal(apicd->cpu, NEW_CPU);
	assert_int_equal(apicd->prev_cpu, OLD_CPU);
	assert_int_equal(apicd->prev_vector, VEC);
	assert_int_equal(harness_slot(&h, NEW_CPU, apicd->vector), irq);
	assert_int_equal(harness_slot(&h, OLD_CPU, VEC), irq);
	/* both vectors are allocated in the matrix until the cleanup */
	assert_int_equal(harness_apic(&h)->matrix.cpu[OLD_CPU].allocated, 1);
	assert_int_equal(harness_apic(&h)->matrix.cpu[NEW_CPU].allocated, 1);
	assert_false(harness_desc(&h, irq)->irqd & IRQD_SETAFFINITY_PENDING);

	/* the MSI-X entry now names the new CPU (msi_set_affinity) */
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR),
			 MSI_ADDR_BASE_LO | NEW_CPU << MSI_ADDR_DEST_SHIFT);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA),
			 apicd->vector);
	assert_false(msix_entry_masked(harness_pdev(&h, 0), 0));
	/* no timer before the first interrupt on the new target */
	assert_false(harness_enabled(&h, "cpu0:timer"));
	harness_done(&h);
}

static void assign_vector_locked_busy_while_move_unfinished_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	harness_load(&h, MOVE_TRACE(""));
	irq = move_with_stale_interrupt();
	apicd = harness_apicd(&h, irq);
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));

	/* move_in_progress: a new move would leave a stale vector behind */
	assert_int_equal(harness_call_now(&h, "drv", fn_apic_set_affinity, irq,
					  1 << OLD_CPU, 0, 0),
			 -EBUSY);
	/* the current target in the mask: nothing to do, not -EBUSY */
	assert_int_equal(harness_call_now(&h, "drv", fn_apic_set_affinity, irq,
					  1 << NEW_CPU, 0, 0),
			 0);
	assert_int_equal(apicd->cpu, NEW_CPU);
	assert_int_equal(apicd->prev_vector, VEC);
	assert_int_equal(harness_lock_owner(&h, APIC_LOCK_VECTOR), -1);
	harness_done(&h);
}

/* CPU1 takes the interrupt that the new message sent it. */
static void first_interrupt_on_new_target(int irq)
{
	struct apic_chip_data *apicd = harness_apicd(&h, irq);

	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	harness_fire(&h, "nic0");
	assert_true(irr_has(NEW_CPU, apicd->vector));
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", idle("cpu1"));
}

static void irq_complete_move_on_new_target_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	harness_load(&h, MOVE_TRACE(""));
	irq = move_with_stale_interrupt();
	apicd = harness_apicd(&h, irq);
	first_interrupt_on_new_target(irq);

	/* __vector_schedule_cleanup(): queued on CPU0, its timer armed */
	assert_false(apicd->move_in_progress);
	assert_true(apicd->cleanup_queued);
	assert_true(harness_apic(&h)->cpu[OLD_CPU].cleanup_timer);
	assert_true(harness_enabled(&h, "cpu0:timer"));
	assert_false(harness_enabled(&h, "cpu1:timer"));
	/* queued for cleanup is still "unfinished" for assign_vector_locked */
	assert_int_equal(harness_call_now(&h, "drv", fn_apic_set_affinity, irq,
					  1 << OLD_CPU, 0, 0),
			 -EBUSY);
	harness_done(&h);
}

static void cleanup_keeps_vector_pending_in_irr_test(void **state)
{
	struct apic_chip_data *apicd;
	struct pci_dev *pdev;
	int irq, handled;

	(void)state;
	harness_load(&h, MOVE_TRACE(""));
	irq = move_with_stale_interrupt();
	apicd = harness_apicd(&h, irq);
	pdev = harness_pdev(&h, 0);
	first_interrupt_on_new_target(irq);
	assert_true(irr_has(OLD_CPU, VEC));

	/* the timer finds the old vector in CPU0's IRR: keep, re-arm */
	harness_fire(&h, "cpu0:timer");
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_int_equal(harness_apic(&h)->stats.moved_pending, 1);
	assert_true(apicd->cleanup_queued);
	assert_int_equal(apicd->prev_vector, VEC);
	assert_int_equal(harness_slot(&h, OLD_CPU, VEC), irq);
	assert_true(harness_apic(&h)->cpu[OLD_CPU].cleanup_timer);

	/* the stale interrupt still reaches the handler through the old slot */
	handled = pdev->consumed[0] + pdev->empty_reads[0];
	harness_fire(&h, "cpu0:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_int_equal(pdev->consumed[0] + pdev->empty_reads[0],
			 handled + 1);
	assert_int_equal(harness_apic(&h)->stats.no_irq_handler, 0);

	/* now free_moved_vector(): slot UNUSED, vector back in the matrix */
	harness_fire(&h, "cpu0:timer");
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_false(apicd->cleanup_queued);
	assert_int_equal(apicd->prev_vector, 0);
	assert_int_equal(harness_slot(&h, OLD_CPU, VEC), VECTOR_UNUSED);
	assert_int_equal(harness_apic(&h)->matrix.cpu[OLD_CPU].allocated, 0);
	assert_false(harness_enabled(&h, "cpu0:timer"));
	/* the move is finished: a new one is accepted */
	assert_int_equal(harness_call_now(&h, "drv", fn_apic_set_affinity, irq,
					  1 << OLD_CPU, 0, 0),
			 0);
	assert_int_equal(apicd->cpu, OLD_CPU);
	assert_true(apicd->move_in_progress);
	harness_done(&h);
}

static void cleanup_without_irr_check_discards_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	harness_load(&h, MOVE_TRACE("set vector_cleanup_irr=off\n"));
	irq = move_with_stale_interrupt();
	apicd = harness_apicd(&h, irq);
	first_interrupt_on_new_target(irq);

	harness_fire(&h, "cpu0:timer");
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_int_equal(harness_apic(&h)->stats.moved_pending, 0);
	assert_false(apicd->cleanup_queued);
	assert_int_equal(harness_slot(&h, OLD_CPU, VEC), VECTOR_UNUSED);
	assert_true(irr_has(OLD_CPU, VEC));

	harness_fire(&h, "cpu0:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_int_equal(harness_apic(&h)->stats.no_irq_handler, 1);
	assert_int_equal(h.step_verdict.kind, CHECK_NO_IRQ_HANDLER);
	harness_done(&h);
}

static void vector_move_prev_off_frees_at_once_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	harness_load(&h, MOVE_TRACE("set vector_move_prev=off\n"));
	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	HARNESS_FIRE_UNTIL(&h, "drv", harness_actor_done(&h, "drv"));
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu0:irq");
	harness_fire(&h, "nic0");
	HARNESS_FIRE_UNTIL(&h, "cpu0", apicd->cpu == NEW_CPU);
	/* no prev_vector: the old slot is reset and the vector freed now */
	assert_int_equal(apicd->prev_vector, 0);
	assert_int_equal(harness_slot(&h, OLD_CPU, VEC), VECTOR_UNUSED);
	assert_int_equal(harness_apic(&h)->matrix.cpu[OLD_CPU].allocated, 0);
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	/* the interrupt the device sent before the switch finds nothing */
	harness_fire(&h, "cpu0:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_int_equal(harness_apic(&h)->stats.no_irq_handler, 1);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(apic_set_affinity_keeps_old_slot_test),
		cmocka_unit_test(
			assign_vector_locked_busy_while_move_unfinished_test),
		cmocka_unit_test(irq_complete_move_on_new_target_test),
		cmocka_unit_test(cleanup_keeps_vector_pending_in_irr_test),
		cmocka_unit_test(cleanup_without_irr_check_discards_test),
		cmocka_unit_test(vector_move_prev_off_frees_at_once_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
