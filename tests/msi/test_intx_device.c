// SPDX-License-Identifier: MIT
/*
 * The INTx side of a PCI function (src/msi/intx.c): the level line, the
 * PCI 2.3 DisINTx bit and PCI_STATUS_INTERRUPT, drivers/pci/pci.c
 * pci_intx() and __pci_check_and_mask_intx() (mask only if pending,
 * unmask only if not), and pci_intx_init()'s rollback.
 *
 * PCI Local Bus 2.3, 6.2.2/6.2.3: Interrupt Disable (command bit 10)
 * stops the function from asserting INTx#; Interrupt Status (status bit
 * 3) reflects the internal interrupt state regardless of it. A pre-2.3
 * function implements neither.
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
	"device old0 intx=nopci23 affinity=cpu1\n"
	"device new1 intx=pci23 affinity=cpu1\n"
	"expect none\n";

static struct harness h;

static int teardown(void **state)
{
	(void)state;
	harness_close(&h);
	return 0;
}

static struct irqsim_ctx c(void)
{
	return (struct irqsim_ctx){ .world = h.w, .rt = &h.rt };
}

static struct pci_intx *intx(int dev)
{
	return &h.w->vfio.msi.dev[dev].intx;
}

static void intx_init_allocates_level_irq_test(void **state)
{
	const struct irq_desc *d;

	(void)state;
	harness_open(&h, machine, NULL);
	assert_true(intx(0)->present);
	assert_false(intx(0)->pci_2_3);
	assert_true(intx(1)->pci_2_3);
	assert_int_not_equal(intx(0)->irq, intx(1)->irq);
	d = &h.w->vfio.msi.irq.desc[intx(0)->irq];
	assert_true(d->allocated);
	assert_true(d->settings & IRQ_LEVEL);
	assert_int_equal(d->handle_irq, fn_handle_fasteoi_irq);
	/* reservation mode: a global reservation, no vector yet */
	assert_int_equal(h.w->vfio.msi.irq.apic.matrix.global_reserved, 2);
	assert_int_equal(h.w->vfio.msi.irq.apic.matrix.total_allocated, 0);
	assert_int_equal(intc_pin_of_irq(&h.w->vfio.msi.irq.apic,
					 intx(1)->irq),
			 1);
}

static void intx_init_rollback_on_busy_pin_test(void **state)
{
	struct msi_world *mw;
	int irq;

	(void)state;
	harness_open(&h, "cpus 2\ndevice a\ndevice b\nexpect none\n", NULL);
	mw = &h.w->vfio.msi;
	/* pin 1 already wired elsewhere: the desc and reservation go again */
	assert_int_equal(intc_wire_pin(&mw->irq.apic, 1, 9), 0);
	for (irq = 1; mw->irq.desc[irq].allocated; irq++)
		;
	assert_int_equal(pci_intx_init(mw, 1, true, false), -EBUSY);
	assert_false(mw->irq.desc[irq].allocated);
	assert_false(mw->irq.apic.apicd[irq].used);
	assert_int_equal(mw->irq.apic.matrix.global_reserved, 0);
	assert_false(mw->dev[1].intx.present);
	/* device 0 is fine; a second pin for it is refused */
	assert_int_equal(pci_intx_init(mw, 0, false, true), irq);
	assert_int_equal(mw->irq.desc[irq].handle_irq, fn_handle_level_irq);
	assert_int_equal(pci_intx_init(mw, 0, false, false), -EBUSY);
	assert_int_equal(pci_intx_init(mw, 2, false, false), -EINVAL);
}

static void intx_line_follows_status_test(void **state)
{
	struct irqsim_ctx x;

	(void)state;
	harness_open(&h, machine, NULL);
	x = c();
	harness_raise_intx(&h, "old0", 0);
	assert_true(intx(0)->status);
	assert_true(intx(0)->line);
	assert_true(h.w->vfio.msi.irq.apic.intc[0].level);
	/* a second event while unserviced: the same level */
	harness_raise_intx(&h, "old0", 0);
	assert_int_equal(intx(0)->raised, 2);
	/* the driver's read services both */
	assert_true(pci_intx_read_status(&x, 0));
	assert_false(intx(0)->line);
	assert_false(h.w->vfio.msi.irq.apic.intc[0].level);
	assert_false(pci_intx_read_status(&x, 0));
	assert_int_equal(intx(0)->consumed, 1);
	assert_int_equal(intx(0)->empty_reads, 1);
}

static void intx_disable_ignored_without_pci23_test(void **state)
{
	struct irqsim_ctx x;

	(void)state;
	harness_open(&h, machine, NULL);
	x = c();
	pci_intx(&x, 0, false);
	harness_raise_intx(&h, "old0", 0);
	/* a pre-2.3 function has no Interrupt Disable: asserted anyway */
	assert_true(intx(0)->line);
	pci_intx(&x, 1, false);
	harness_raise_intx(&h, "new1", 1);
	assert_false(intx(1)->line);
	assert_true(intx(1)->status);
	/* clearing DisINTx with the interrupt pending asserts the line */
	pci_intx(&x, 1, true);
	assert_true(intx(1)->line);
	assert_true(h.w->vfio.msi.irq.apic.intc[1].level);
}

static void intx_check_and_mask_only_when_pending_test(void **state)
{
	struct irqsim_ctx x;

	(void)state;
	harness_open(&h, machine, NULL);
	x = c();
	/* nothing pending: not ours, DisINTx untouched */
	assert_false(pci_check_and_mask_intx(&x, 1));
	assert_false(intx(1)->disable);
	harness_raise_intx(&h, "new1", 1);
	assert_true(pci_check_and_mask_intx(&x, 1));
	assert_true(intx(1)->disable);
	assert_false(intx(1)->line);
	/* still pending: the unmask is refused */
	assert_false(pci_check_and_unmask_intx(&x, 1));
	assert_true(intx(1)->disable);
	pci_intx_read_status(&x, 1);
	assert_true(pci_check_and_unmask_intx(&x, 1));
	assert_false(intx(1)->disable);
	assert_false(intx(1)->line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(intx_init_allocates_level_irq_test,
					  teardown),
		cmocka_unit_test_teardown(intx_init_rollback_on_busy_pin_test,
					  teardown),
		cmocka_unit_test_teardown(intx_line_follows_status_test,
					  teardown),
		cmocka_unit_test_teardown(
			intx_disable_ignored_without_pci23_test, teardown),
		cmocka_unit_test_teardown(
			intx_check_and_mask_only_when_pending_test, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
