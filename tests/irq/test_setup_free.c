// SPDX-License-Identifier: MIT
/*
 * genirq request_irq()/free_irq() (src/irq/manage.c, chip.c) against
 * kernel/irq/manage.c __setup_irq()/__free_irq() and kernel/irq/chip.c
 * irq_startup()/irq_shutdown() of Linux v6.18, on a host driver's PCI
 * MSI-X vector (kernel-reference.md sections 2.4, 2.7, 4.2, 4.3, 4.4).
 *
 * Each test steps the modeled function one transition at a time and
 * checks the order in which the kernel makes its changes visible: what
 * another CPU or the device could observe between two steps.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

/*
 * One MSI-X vector pinned to cpu1; the driver runs on cpu0. The device
 * is set up as pci_alloc_irq_vectors() leaves it: reservation mode, the
 * entry masked and holding the shutdown-vector message.
 */
#define HOST							\
	"cpus 2\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor drv cpu=0\n"					\
	"setup drv: pci_msix_enable nic0 1\n"
#define HOST_REQUESTED HOST "setup drv: host_request_irq nic0 0\n"

/* host_driver.c: the dev_id of the host driver's action for (0, 0). */
#define HOST_DEV_ID 1000

static struct harness h;

/* kernel/irq/matrix.c: the lowest free vector of the only allowed CPU. */
#define CPU 1
#define VEC FIRST_EXTERNAL_VECTOR

/* arch/x86 irq_msi_compose_msg(): destination APIC ID in bits 19:12. */
#define MSG_ADDR(cpu) (MSI_ADDR_BASE_LO | (uint32_t)(cpu) << MSI_ADDR_DEST_SHIFT)

static bool entry_masked(void)
{
	return msix_entry_masked(harness_pdev(&h, 0), 0);
}

static void request_irq_order_activate_startup_publish_test(void **state)
{
	int irq, drv, activate, msg, unmask, publish;
	struct irq_desc *desc;

	(void)state;
	harness_load(&h, HOST "drv: host_request_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	drv = harness_actor(&h, "drv");
	assert_true(irq > 0);
	assert_int_equal(desc->action_fn, -1);
	assert_true(entry_masked());

	/*
	 * __setup_irq(): irq_activate() first, under request_mutex and
	 * desc->lock: x86_vector_activate() -> activate_reserved() assigns
	 * the vector and writes vector_irq. Nothing is started or published.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv", harness_slot(&h, CPU, VEC) == irq);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), drv);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), drv);
	assert_int_equal(harness_apicd(&h, irq)->vector, VEC);
	assert_int_equal(harness_apicd(&h, irq)->cpu, CPU);
	assert_int_equal(harness_apicd(&h, irq)->has_reserved, 0);
	assert_int_equal(desc->action_fn, -1);
	assert_false(desc->irqd & IRQD_IRQ_STARTED);
	assert_true(entry_masked());

	/*
	 * Parent first (__irq_domain_activate_irq): msi_domain_activate()
	 * then writes the message composed from the new cfg, still masked.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv",
			   harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA) == VEC);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR),
			 MSG_ADDR(CPU));
	assert_true(entry_masked());
	assert_int_equal(desc->action_fn, -1);

	/*
	 * irq_startup(desc, IRQ_RESEND, ...): depth = 0, irq_enable()
	 * unmasks; IRQD_ACTIVATED is set by now; the action is still not
	 * published.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv", !entry_masked());
	assert_true(desc->irqd & IRQD_ACTIVATED);
	assert_true(desc->irqd & IRQD_IRQ_STARTED);
	assert_false(desc->irqd & (IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED));
	assert_int_equal(desc->depth, 0);
	assert_int_equal(desc->action_fn, -1);

	/* *old_ptr = new: published last, still under desc->lock. */
	HARNESS_FIRE_UNTIL(&h, "drv", desc->action_fn >= 0);
	assert_int_equal(desc->action_dev_id, HOST_DEV_ID);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), drv);

	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), -1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 1);

	/* The event log tells the same order. */
	activate = harness_expect_event(&h, 0, "x86_vector_activate",
					"vector_irq[cpu1][32] = irq");
	msg = harness_expect_event(&h, activate, "__pci_write_msi_msg",
				   "data = 0x20");
	unmask = harness_expect_event(&h, msg, "unmask_irq", "unmasked");
	publish = harness_expect_event(&h, unmask, "request_irq",
				       "action published");
	assert_true(activate < msg && msg < unmask && unmask < publish);
	harness_done(&h);
}

static void free_irq_order_unlink_shutdown_sync_deactivate_test(void **state)
{
	int irq, drv, mask, sync, zero, shutdown;
	struct irq_desc *desc;
	struct apic_chip_data *apicd;

	(void)state;
	harness_load(&h, HOST_REQUESTED "drv: host_free_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	apicd = harness_apicd(&h, irq);
	drv = harness_actor(&h, "drv");
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_false(entry_masked());

	/* __free_irq(): the action is unlinked first, under desc->lock. */
	HARNESS_FIRE_UNTIL(&h, "drv", desc->action_fn < 0);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), drv);
	assert_true(desc->irqd & IRQD_IRQ_STARTED);
	assert_false(entry_masked());

	/*
	 * Last action: irq_shutdown() only ("Deactivate after
	 * synchronize_hardirq()", 4001d8e8762f): depth++, disabled, masked
	 * at the device, not started. The vector and message stay.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv", entry_masked());
	assert_int_equal(desc->depth, 1);
	assert_true(desc->irqd & IRQD_IRQ_DISABLED);
	assert_true(desc->irqd & IRQD_IRQ_MASKED);
	assert_false(desc->irqd & IRQD_IRQ_STARTED);
	assert_true(desc->irqd & IRQD_ACTIVATED);
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR),
			 MSG_ADDR(CPU));
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), drv);

	/* desc->lock is dropped before __synchronize_irq(). */
	HARNESS_FIRE_UNTIL(&h, "drv",
			   harness_lock_owner(&h, IRQ_LOCK_DESC(irq)) < 0);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), drv);
	assert_int_equal(harness_event(&h, 0, "__synchronize_irq", NULL), -1);

	/*
	 * irq_domain_deactivate_irq(): outermost domain first, so the MSI
	 * domain writes the zero message while vector_irq still holds desc.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv",
			   harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR) ==
				   0);
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_true(desc->irqd & IRQD_ACTIVATED);

	/*
	 * x86_vector_deactivate() -> clear_irq_vector(): VECTOR_SHUTDOWN,
	 * irq_matrix_free(); reserve_irq_vector_locked() takes the global
	 * reservation back and points the cfg at the shutdown vector.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv",
			   harness_slot(&h, CPU, VEC) == VECTOR_SHUTDOWN);
	assert_false(apic_vector_test(harness_apic(&h)->matrix.cpu[CPU].alloc_map,
				      VEC));
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	assert_int_equal(apicd->vector, 0);
	assert_int_equal(apicd->has_reserved, 1);
	assert_int_equal(apicd->cfg_vector, MANAGED_IRQ_SHUTDOWN_VECTOR);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA), 0);

	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_false(desc->irqd & IRQD_ACTIVATED);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), -1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);

	mask = harness_expect_event(&h, 0, "mask_irq", "masked");
	sync = harness_expect_event(&h, mask, "__synchronize_irq", NULL);
	zero = harness_expect_event(&h, sync, "__pci_write_msi_msg",
				    "address_lo = 0");
	shutdown = harness_expect_event(&h, zero, "x86_vector_deactivate",
					"= SHUTDOWN");
	assert_true(mask < sync && sync < zero && zero < shutdown);
	harness_done(&h);
}

static void free_irq_synchronize_waits_for_running_handler_test(void **state)
{
	int irq, drv;
	struct irq_desc *desc;
	struct irqsim_actor *a;

	(void)state;
	harness_load(&h, HOST_REQUESTED
		     "nic0: raise 0\n"
		     "drv: host_free_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	drv = harness_actor(&h, "drv");
	a = &harness_sched(&h)->actor[drv];

	/* The MSI lands in cpu1's IRR; cpu1 enters the handler. */
	harness_fire(&h, "nic0");
	assert_true(apic_vector_test(harness_apic(&h)->cpu[CPU].lapic.irr, VEC));
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", desc->irqd & IRQD_IRQ_INPROGRESS);

	/*
	 * free_irq() unlinks and shuts down, then __synchronize_irq() waits
	 * while IRQD_IRQ_INPROGRESS: no deactivation under a running
	 * handler.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv", !harness_enabled(&h, "drv"));
	assert_true(a->blocked);
	assert_int_equal(a->wait_token, IRQ_TOKEN_INPROGRESS(irq));
	assert_int_equal(desc->action_fn, -1);
	assert_true(entry_masked());
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_true(desc->irqd & IRQD_ACTIVATED);

	/* The handler finishes: handle_irq_event() clears INPROGRESS. */
	HARNESS_FIRE_UNTIL(&h, "cpu1", !(desc->irqd & IRQD_IRQ_INPROGRESS));
	assert_false(a->blocked);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);

	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(harness_slot(&h, CPU, VEC), VECTOR_SHUTDOWN);
	harness_done(&h);
}

static void free_irq_already_free_warns_test(void **state)
{
	struct irqsim_verdict v;
	struct irq_desc *desc;
	int irq;

	(void)state;
	/* A double free_irq(): the second finds no action. */
	harness_load(&h, HOST_REQUESTED
		     "drv: host_free_irq nic0 0\n"
		     "drv: host_free_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	/*
	 * __free_irq(): WARN(1, "Trying to free already-free IRQ %d"), then
	 * unlock everything and return: a kernel warning verdict.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv", harness_actor_done(&h, "drv"));
	assert_int_equal(h.step_verdict.kind, CHECK_KERNEL_WARNING);
	assert_non_null(strstr(h.step_verdict.what, "already-free"));
	assert_int_equal(harness_irqw(&h)->stats.free_already_free, 1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), -1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);
	/* The first free_irq() completed: the second changed nothing. */
	assert_int_equal(desc->depth, 1);
	assert_false(desc->irqd & IRQD_ACTIVATED);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	harness_done(&h);
}

static void free_irq_wrong_dev_id_keeps_action_test(void **state)
{
	struct irq_desc *desc;
	int irq;

	(void)state;
	harness_load(&h, HOST_REQUESTED);
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	/*
	 * __free_irq() looks the action up by dev_id; with no match it
	 * warns and returns NULL without touching the irq.
	 */
	assert_true(harness_call_now(&h, "drv", fn_free_irq, irq,
				     HOST_DEV_ID + 1, 0, 0) < 0);
	assert_int_equal(harness_irqw(&h)->stats.free_already_free, 1);
	assert_int_equal(h.step_verdict.kind, CHECK_KERNEL_WARNING);
	assert_true(desc->action_fn >= 0);
	assert_int_equal(desc->action_dev_id, HOST_DEV_ID);
	assert_true(desc->irqd & IRQD_IRQ_STARTED);
	assert_false(entry_masked());
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), -1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);
	harness_done(&h);
}

static void request_irq_busy_leaves_action_test(void **state)
{
	struct irq_desc *desc;
	int irq;

	(void)state;
	harness_load(&h, HOST_REQUESTED);
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	/*
	 * __setup_irq(): an existing action that is not IRQF_SHARED ->
	 * mismatch -> -EBUSY, the old action stays, nothing re-activated.
	 */
	assert_int_equal(harness_call_now(&h, "drv", fn_host_request_irq, 0, 0,
					  0, 0),
			 -EBUSY);
	assert_int_equal(harness_irqw(&h)->stats.request_failed, 1);
	assert_int_equal(desc->action_dev_id, HOST_DEV_ID);
	assert_true(desc->irqd & IRQD_IRQ_STARTED);
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), -1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);
	harness_done(&h);
}

/* The desc and vector state pci_alloc_irq_vectors() left behind. */
static void assert_never_requested(int irq)
{
	struct irq_desc *desc = harness_desc(&h, irq);
	struct apic_chip_data *apicd = harness_apicd(&h, irq);

	assert_int_equal(desc->action_fn, -1);
	assert_false(desc->irqd & (IRQD_ACTIVATED | IRQD_IRQ_STARTED));
	assert_true(desc->irqd & IRQD_IRQ_DISABLED);
	assert_true(desc->irqd & IRQD_IRQ_MASKED);
	assert_int_equal(desc->depth, 1);
	assert_int_equal(apicd->has_reserved, 1);
	assert_int_equal(apicd->vector, 0);
	assert_int_equal(apicd->cfg_vector, MANAGED_IRQ_SHUTDOWN_VECTOR);
	assert_int_equal(harness_slot(&h, CPU, VEC), VECTOR_UNUSED);
	assert_true(entry_masked());
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA),
			 MANAGED_IRQ_SHUTDOWN_VECTOR);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), -1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);
}

static void request_irq_fault_injection_leaves_nothing_test(void **state)
{
	int irq;

	(void)state;
	/*
	 * fail_request_irq=1: the first request_irq() fails as a failed
	 * kzalloc of the action in request_threaded_irq() does, before
	 * __setup_irq() touches the descriptor.
	 */
	harness_load(&h, HOST "set fail_request_irq=1\n");
	irq = harness_irq(&h, 0, 0);
	assert_int_equal(harness_call_now(&h, "drv", fn_host_request_irq, 0, 0,
					  0, 0),
			 -ENOMEM);
	assert_int_equal(harness_irqw(&h)->stats.request_failed, 1);
	assert_int_equal(harness_irqw(&h)->stats.requests, 1);
	assert_never_requested(irq);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 1);

	/* Only the Nth call fails: the next one succeeds. */
	assert_int_equal(harness_call_now(&h, "drv", fn_host_request_irq, 0, 0,
					  0, 0),
			 0);
	assert_int_equal(harness_desc(&h, irq)->action_dev_id, HOST_DEV_ID);
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_int_equal(harness_irqw(&h)->stats.request_failed, 1);
	harness_done(&h);
}

/*
 * The global reservation count through a vector's life, three MSI-X
 * irqs of one device in reservation mode (kernel/irq/matrix.c and
 * arch/x86/kernel/apic/vector.c, v6.18):
 *   pci_alloc_irq_vectors(3)  reserve_irq_vector() x3         3
 *   request_irq(vector 0)     activate_reserved() ->
 *                             irq_matrix_alloc(reserved=true)  2
 *   free_irq(vector 0)        x86_vector_deactivate() ->
 *                             reserve_irq_vector_locked()      3
 *   pci_free_irq_vectors()    vector_free_reserved_and_managed()
 *                             -> irq_matrix_remove_reserved() x3  0
 * activate_reserved() gives the reservation back once, inside
 * irq_matrix_alloc(); it does not call irq_matrix_remove_reserved().
 */
static void reservation_count_request_free_test(void **state)
{
	struct apic_world *aw;

	(void)state;
	harness_load(&h, "cpus 2\n"
			 "device nic0 msix=3 behaviour=ack affinity=cpu1\n"
			 "actor drv cpu=0\n"
			 "setup drv: pci_msix_enable nic0 3\n");
	aw = harness_apic(&h);
	assert_int_equal(aw->matrix.global_reserved, 3);
	assert_int_equal(aw->matrix.total_allocated, 0);

	assert_int_equal(harness_call_now(&h, "drv", fn_host_request_irq, 0, 0,
					  0, 0),
			 0);
	assert_int_equal(harness_apicd(&h, harness_irq(&h, 0, 0))->vector, VEC);
	assert_int_equal(aw->matrix.global_reserved, 2);
	assert_int_equal(aw->matrix.total_allocated, 1);

	/* a second one: 2 - 1 */
	assert_int_equal(harness_call_now(&h, "drv", fn_host_request_irq, 0, 1,
					  0, 0),
			 0);
	assert_int_equal(aw->matrix.global_reserved, 1);
	assert_int_equal(aw->matrix.total_allocated, 2);

	assert_int_equal(harness_call_now(&h, "drv", fn_host_free_irq, 0, 0, 0,
					  0),
			 0);
	assert_int_equal(harness_apicd(&h, harness_irq(&h, 0, 0))->has_reserved,
			 1);
	assert_int_equal(aw->matrix.global_reserved, 2);
	assert_int_equal(aw->matrix.total_allocated, 1);

	assert_int_equal(harness_call_now(&h, "drv", fn_host_free_irq, 0, 1, 0,
					  0),
			 0);
	assert_int_equal(aw->matrix.global_reserved, 3);
	assert_int_equal(aw->matrix.total_allocated, 0);

	pci_free_irq_vectors(harness_msi(&h), 0);
	assert_int_equal(aw->matrix.global_reserved, 0);
	assert_int_equal(aw->matrix.total_allocated, 0);
	harness_done(&h);
}

static void request_irq_activate_enospc_unwinds_test(void **state)
{
	struct apic_world *aw;
	unsigned int cpu;
	int irq, taken = 0;

	(void)state;
	harness_load(&h, HOST);
	irq = harness_irq(&h, 0, 0);
	aw = harness_apic(&h);
	/* Another user took every vector of both CPUs. */
	while (irq_matrix_alloc(&aw->matrix, 0x3, false, &cpu, aw) >= 0)
		taken++;
	assert_int_equal(taken, 2 * (FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR));

	/*
	 * activate_reserved() -> assign_irq_vector_any_locked() fails with
	 * -ENOSPC; irq_domain_activate_irq() does not set IRQD_ACTIVATED and
	 * activates no outer domain (no message written); __setup_irq()
	 * jumps to out_unlock before irq_startup(): nothing is started and
	 * the reservation is kept.
	 */
	assert_int_equal(harness_call_now(&h, "drv", fn_host_request_irq, 0, 0,
					  0, 0),
			 -ENOSPC);
	assert_int_equal(harness_irqw(&h)->stats.request_failed, 1);
	assert_never_requested(irq);
	assert_int_equal(aw->matrix.total_allocated, taken);
	harness_done(&h);
}

/*
 * A test double in the style of kernel/irq/irq_test.c's fake_irq_chip:
 * an irq in the x86 vector domain below an outer domain whose activation
 * fails.
 */
static void fake_irq_op(struct irqsim_ctx *ctx, int irq)
{
	(void)ctx;
	(void)irq;
}

static const struct irq_chip fake_irq_chip = {
	.name = "fake",
	.irq_mask = fake_irq_op,
	.irq_unmask = fake_irq_op,
	.irq_ack = fake_irq_op,
	.irq_retrigger_fn = -1,
};

static enum irqsim_step fake_activate_fails(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	(void)f;
	return irqsim_return_yield(ctx, -EIO);
}

static enum irqsim_step fake_deactivate(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	(void)f;
	return irqsim_return_yield(ctx, 0);
}

static enum irqsim_step fake_handler(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	(void)f;
	return irqsim_return_yield(ctx, IRQ_HANDLED);
}

static struct irq_domain_chain fake_chain = { .depth = 2 };

static void irq_domain_activate_outer_failure_unwinds_parent_test(void **state)
{
	const int irq = IRQSIM_MAX_IRQS - 1;
	struct irq_desc *desc;
	int chip, domain, act, shutdown;

	(void)state;
	harness_load(&h, HOST);
	fake_chain.activate_fn[0] = fn_x86_vector_activate;
	fake_chain.activate_fn[1] = irqsim_fn_register("fake_activate_fails",
						       fake_activate_fails);
	fake_chain.deactivate_fn[0] = fn_x86_vector_deactivate;
	fake_chain.deactivate_fn[1] =
		irqsim_fn_register("fake_deactivate", fake_deactivate);
	chip = irq_register_chip(&fake_irq_chip);
	domain = irq_register_domain_chain(&fake_chain);
	assert_true(chip >= 0 && domain >= 0);
	assert_int_equal(irq_alloc_desc(harness_irqw(&h), irq, chip, domain,
					fn_handle_edge_irq),
			 0);
	assert_int_equal(x86_vector_alloc_irq(harness_apic(&h), irq, 1u << CPU),
			 0);
	desc = harness_desc(&h, irq);

	/*
	 * __irq_domain_activate_irq(): the parent (vector domain) is
	 * activated first; when the outer domain fails, the parent is
	 * deactivated again. __setup_irq() returns the error, nothing
	 * started, no action.
	 */
	assert_int_equal(harness_call_now(&h, "drv", fn_request_irq, irq,
					  irqsim_fn_register("fake_handler",
							     fake_handler),
					  77, 0),
			 -EIO);
	act = harness_expect_event(&h, 0, "x86_vector_activate",
				   "vector_irq[cpu1][32] = irq15");
	shutdown = harness_expect_event(&h, act, "x86_vector_deactivate",
					"vector_irq[cpu1][32] = SHUTDOWN");
	assert_true(act < shutdown);
	assert_int_equal(harness_slot(&h, CPU, VEC), VECTOR_SHUTDOWN);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	assert_int_equal(harness_apicd(&h, irq)->has_reserved, 1);
	assert_int_equal(harness_apicd(&h, irq)->cfg_vector,
			 MANAGED_IRQ_SHUTDOWN_VECTOR);
	assert_false(desc->irqd & (IRQD_ACTIVATED | IRQD_IRQ_STARTED));
	assert_int_equal(desc->action_fn, -1);
	assert_int_equal(harness_irqw(&h)->stats.request_failed, 1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), -1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);
	assert_int_equal(harness_lock_owner(&h, APIC_LOCK_VECTOR), -1);
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_irq_order_activate_startup_publish_test),
		cmocka_unit_test(free_irq_order_unlink_shutdown_sync_deactivate_test),
		cmocka_unit_test(free_irq_synchronize_waits_for_running_handler_test),
		cmocka_unit_test(free_irq_already_free_warns_test),
		cmocka_unit_test(free_irq_wrong_dev_id_keeps_action_test),
		cmocka_unit_test(request_irq_busy_leaves_action_test),
		cmocka_unit_test(request_irq_fault_injection_leaves_nothing_test),
		cmocka_unit_test(request_irq_activate_enospc_unwinds_test),
		cmocka_unit_test(reservation_count_request_free_test),
		cmocka_unit_test(irq_domain_activate_outer_failure_unwinds_parent_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
