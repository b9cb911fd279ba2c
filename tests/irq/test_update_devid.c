// SPDX-License-Identifier: MIT
/*
 * irq_update_devid() (src/irq/manage.c) against the genirq patch of the
 * 2019 series "genirq/vfio: Introduce irq_update_devid() and optimize VFIO
 * irq ops" (v4 2/3 = v6 2/3, never merged): disable_irq() (depth, lazy
 * disable, synchronize_irq), the swap of action->dev_id under desc->lock,
 * enable_irq(); -ENXIO with the "Trying to update already-free IRQ" WARN
 * when no action has the dev_id. Unlike free_irq() + request_irq(), the
 * vector, the vector_irq slot and the MSI-X message never change.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define HOST							\
	"cpus 2\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor drv cpu=0\n"					\
	"setup drv: pci_msix_enable nic0 1\n"			\
	"setup drv: host_request_irq nic0 0\n"

/* host_driver.c: the dev_id of the host driver's action for (0, 0). */
#define OLD_ID 1000
#define NEW_ID 1001
#define CPU 1
#define VEC FIRST_EXTERNAL_VECTOR

static struct harness h;

/* The dev_id the handler running on cpu1 was called with. */
static int32_t running_handler_dev_id(void)
{
	struct irqsim_actor *a =
		&harness_sched(&h)->actor[harness_actor(&h, "cpu1")];

	return a->frame[a->nframes - 1].arg[1];
}

static void update_devid_swaps_in_place_test(void **state)
{
	int irq, c, disable, sync, swap, enable;
	struct irq_desc *desc;
	uint32_t addr, data;

	(void)state;
	harness_load(&h, HOST);
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	addr = harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR);
	data = harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA);
	assert_int_equal(desc->action_dev_id, OLD_ID);

	c = harness_call(&h, "drv", fn_irq_update_devid, irq, OLD_ID, NEW_ID,
			 0);
	/* disable_irq(): depth 0 -> 1, marked disabled; lazy: not masked */
	HARNESS_FIRE_UNTIL(&h, "drv", desc->depth == 1);
	assert_true(desc->irqd & IRQD_IRQ_DISABLED);
	assert_false(msix_entry_masked(harness_pdev(&h, 0), 0));
	assert_int_equal(desc->action_dev_id, OLD_ID);

	/* the swap happens under desc->lock, nothing else changes */
	HARNESS_FIRE_UNTIL(&h, "drv", desc->action_dev_id == NEW_ID);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)),
			 harness_actor(&h, "drv"));
	/* no request_mutex: tglx's v3 review, desc->lock protects it */
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);

	HARNESS_FIRE_UNTIL(&h, "drv", h.call[c].done);
	assert_int_equal(h.call[c].ret, 0);
	assert_int_equal(desc->depth, 0);
	assert_false(desc->irqd & (IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED));
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_DESC(irq)), -1);
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);

	/* never deactivated: same vector, slot and message throughout */
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_int_equal(harness_apicd(&h, irq)->vector, VEC);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR),
			 addr);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA), data);
	assert_int_equal(harness_event(&h, 0, "x86_vector_deactivate", NULL),
			 -1);
	assert_int_equal(harness_event(&h, 0, "__pci_write_msi_msg", NULL),
			 -1);

	disable = harness_expect_event(&h, 0, "irq_disable", NULL);
	sync = harness_expect_event(&h, disable, "synchronize_irq", NULL);
	swap = harness_expect_event(&h, sync, "irq_update_devid",
				    "dev_id 1000 -> 1001");
	enable = harness_expect_event(&h, swap, "enable_irq", "depth 1 -> 0");
	assert_true(disable < sync && sync < swap && swap < enable);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

/*
 * tglx (v3 review): "Ensure that an interrupt in flight on another CPU
 * which uses the old 'dev_id' has completed". The handler on cpu1 got the
 * old dev_id; the swap waits until it returned.
 */
static void update_devid_waits_for_running_handler_test(void **state)
{
	int irq, drv, c;
	struct irq_desc *desc;
	struct irqsim_actor *a;

	(void)state;
	harness_load(&h, HOST "nic0: raise 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	drv = harness_actor(&h, "drv");
	a = &harness_sched(&h)->actor[drv];

	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", desc->irqd & IRQD_IRQ_INPROGRESS);
	assert_int_equal(running_handler_dev_id(), OLD_ID);

	c = harness_call(&h, "drv", fn_irq_update_devid, irq, OLD_ID, NEW_ID,
			 0);
	HARNESS_FIRE_UNTIL(&h, "drv", !harness_enabled(&h, "drv"));
	assert_true(a->blocked);
	assert_int_equal(a->wait_token, IRQ_TOKEN_INPROGRESS(irq));
	assert_int_equal(desc->depth, 1);
	assert_int_equal(desc->action_dev_id, OLD_ID);

	/* the handler finishes with the dev_id it was called with */
	HARNESS_FIRE_UNTIL(&h, "cpu1", !harness_enabled(&h, "cpu1"));
	assert_false(desc->irqd & IRQD_IRQ_INPROGRESS);
	assert_int_equal(desc->action_dev_id, OLD_ID);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	HARNESS_FIRE_UNTIL(&h, "drv", h.call[c].done);
	assert_int_equal(h.call[c].ret, 0);
	assert_int_equal(desc->action_dev_id, NEW_ID);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

/*
 * An interrupt that arrives while disable_irq() holds the irq disabled is
 * not lost: handle_edge_irq() marks it IRQS_PENDING and masks the entry;
 * enable_irq() -> irq_startup() unmasks and check_irq_resend() replays it
 * (an IPI to the same vector), and the handler runs with the new dev_id.
 */
static void update_devid_replays_interrupt_while_disabled_test(void **state)
{
	int irq, c;
	struct irq_desc *desc;

	(void)state;
	harness_load(&h, HOST "nic0: raise 0\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);

	c = harness_call(&h, "drv", fn_irq_update_devid, irq, OLD_ID, NEW_ID,
			 0);
	HARNESS_FIRE_UNTIL(&h, "drv",
			   (desc->irqd & IRQD_IRQ_DISABLED) &&
				   harness_lock_owner(&h, IRQ_LOCK_DESC(irq)) < 0);
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", !harness_enabled(&h, "cpu1"));
	assert_true(desc->istate & IRQS_PENDING);
	assert_true(msix_entry_masked(harness_pdev(&h, 0), 0));
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 0);
	assert_int_equal(harness_irr_count(&h, CPU), 0);

	HARNESS_FIRE_UNTIL(&h, "drv", h.call[c].done);
	assert_int_equal(h.call[c].ret, 0);
	assert_false(msix_entry_masked(harness_pdev(&h, 0), 0));
	assert_false(desc->istate & IRQS_PENDING);
	/* the retrigger IPI is in cpu1's IRR */
	assert_true(apic_vector_test(harness_apic(&h)->cpu[CPU].lapic.irr, VEC));
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", desc->irqd & IRQD_IRQ_INPROGRESS);
	assert_int_equal(running_handler_dev_id(), NEW_ID);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	harness_done(&h);
}

/* No action with that dev_id: enable_irq() balances, then WARN, -ENXIO. */
static void update_devid_not_found_warns_test(void **state)
{
	struct irq_desc *desc;
	int irq, ret;

	(void)state;
	harness_load(&h, HOST);
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	ret = harness_call_now(&h, "drv", fn_irq_update_devid, irq, 999,
			       NEW_ID, 0);
	assert_int_equal(ret, -ENXIO);
	assert_int_equal(desc->action_dev_id, OLD_ID);
	assert_int_equal(desc->depth, 0);
	assert_false(desc->irqd & IRQD_IRQ_DISABLED);
	assert_int_equal(harness_irqw(&h)->stats.update_already_free, 1);
	assert_int_equal(harness_irqw(&h)->stats.unbalanced_enable, 0);
	assert_int_equal(h.step_verdict.kind, CHECK_KERNEL_WARNING);
	assert_non_null(strstr(h.step_verdict.what, "already-free"));
	assert_true(harness_expect_event(&h, 0, "enable_irq", NULL) <
		    harness_expect_event(&h, 0, "irq_update_devid", "WARN"));
	harness_done(&h);
}

/* fail_update_devid=1: the first call fails before touching anything. */
static void update_devid_injected_failure_test(void **state)
{
	struct irq_desc *desc;
	int irq, ret;

	(void)state;
	harness_load(&h, HOST "set fail_update_devid=1\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	ret = harness_call_now(&h, "drv", fn_irq_update_devid, irq, OLD_ID,
			       NEW_ID, 0);
	assert_int_equal(ret, -ENXIO);
	assert_int_equal(desc->action_dev_id, OLD_ID);
	assert_int_equal(desc->depth, 0);
	assert_int_equal(harness_event(&h, 0, "irq_disable", NULL), -1);
	assert_int_equal(harness_irqw(&h)->stats.update_already_free, 0);
	/* the second call is not injected; fail_errno picks the error */
	ret = harness_call_now(&h, "drv", fn_irq_update_devid, irq, OLD_ID,
			       NEW_ID, 0);
	assert_int_equal(ret, 0);
	assert_int_equal(desc->action_dev_id, NEW_ID);
	harness_done(&h);

	harness_load(&h, HOST "set fail_update_devid=1\nset fail_errno=EBUSY\n");
	irq = harness_irq(&h, 0, 0);
	ret = harness_call_now(&h, "drv", fn_irq_update_devid, irq, OLD_ID,
			       NEW_ID, 0);
	assert_int_equal(ret, -EBUSY);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(update_devid_swaps_in_place_test),
		cmocka_unit_test(update_devid_waits_for_running_handler_test),
		cmocka_unit_test(update_devid_replays_interrupt_while_disabled_test),
		cmocka_unit_test(update_devid_not_found_warns_test),
		cmocka_unit_test(update_devid_injected_failure_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
