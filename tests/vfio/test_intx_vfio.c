// SPDX-License-Identifier: MIT
/*
 * VFIO INTx (drivers/vfio/pci/vfio_pci_intrs.c, v6.18 with 8b9f128947dd):
 * vfio_intx_enable and its request_irq() error path under each revision
 * of the fix, vfio_intx_disable, vfio_intx_handler for both kinds of
 * device, the unmask by SET_IRQS and by the resample virqfd, the trigger
 * swap, and the SET_IRQS argument checks.
 *
 * Expected values are the kernel's: for a device without DisINTx,
 * IRQ_DISABLE_UNLAZY is set before request_irq() and, as merged, cleared
 * when it fails ([PATCH v2] did not); irq_type goes back to none and the
 * ctx is freed on failure, the caller puts the trigger; a PCI 2.3 device
 * is masked with DisINTx only if PCI_STATUS_INTERRUPT says it is pending,
 * and unmasked only if it is not (else VFIO signals the eventfd again).
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
	"device old0 intx=nopci23 affinity=cpu1\n"
	"device new1 intx=pci23 affinity=cpu1\n"
	"actor vcpu0 vcpu=0 cpu=0\n"
	"actor qemu cpu=0\n"
	"main-loop cpu=0\n"
	"expect none\n";

#define OLD 0	/* no PCI 2.3 masking */
#define NEW 1	/* PCI 2.3 */

static struct harness h;

static int teardown(void **state)
{
	(void)state;
	harness_close(&h);
	return 0;
}

static struct irq_desc *desc(int dev)
{
	return &h.w->vfio.msi.irq.desc[h.w->vfio.msi.dev[dev].intx.irq];
}

static struct vfio_pci_core_device *vdev(int dev)
{
	return &h.w->vfio.vdev[dev];
}

static struct eventfd_ctx *efd(int e)
{
	return &h.w->vfio.efd[e];
}

#define TRIGGER_FD	(VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD)
#define TRIGGER_NONE	(VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_NONE)
#define UNMASK_FD	(VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_DATA_EVENTFD)
#define UNMASK_NONE	(VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_DATA_NONE)
#define MASK_NONE	(VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_DATA_NONE)
#define MASK_FD		(VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_DATA_EVENTFD)

/* VFIO_DEVICE_SET_IRQS on the INTx index from the QEMU thread. */
static int set_irqs(int dev, int flags, int count, int32_t data)
{
	return harness_set_irqs_intx(&h, "qemu", dev, flags, count, data);
}

/* QEMU's SET_IRQS INTx TRIGGER with its interrupt eventfd. */
static int enable(int dev)
{
	return set_irqs(dev, TRIGGER_FD, 1, qemu_intx_efd(dev));
}

static int unmask(int dev)
{
	return set_irqs(dev, UNMASK_NONE, 1, 0);
}

static struct irqsim_ctx ctx_of(void)
{
	return (struct irqsim_ctx){ .world = h.w, .rt = &h.rt };
}

/* vfio_intx_enable()'s rollback under each revision of the fix. */
static void enable_error_path(const char *unlazy, bool flag_left)
{
	char settings[96];
	struct irqsim_verdict v;

	snprintf(settings, sizeof(settings), "fail_request_irq=1 intx_unlazy=%s",
		 unlazy);
	harness_open(&h, machine, settings);
	assert_int_equal(enable(OLD), -ENOMEM);
	/* no state behind: irq_type none, ctx freed, trigger put */
	assert_int_equal(vdev(OLD)->irq_type, VFIO_PCI_NUM_IRQS);
	assert_int_equal(vdev(OLD)->ctx[0].trigger, -1);
	assert_int_equal(vdev(OLD)->num_ctx, 0);
	assert_int_equal(efd(qemu_intx_efd(OLD))->refs, 1);
	assert_int_equal(desc(OLD)->action_fn, -1);
	assert_int_equal(h.w->vfio.stats.intx_enable_errors, 1);
	/* ... except the flag, under [PATCH v2] */
	assert_int_equal(!!(desc(OLD)->settings & IRQ_DISABLE_UNLAZY),
			 flag_left);
	assert_int_equal(harness_check_end(&h, &v),
			 flag_left ? CHECK_STATE_LEAK : CHECK_NONE);
	if (flag_left)
		assert_non_null(strstr(v.what, "IRQ_DISABLE_UNLAZY"));
}

static void intx_enable_error_merged_clears_flag_test(void **state)
{
	(void)state;
	enable_error_path("on", false);
}

static void intx_enable_error_v2_leaves_flag_test(void **state)
{
	(void)state;
	enable_error_path("v2", true);
}

static void intx_enable_error_before_fix_no_flag_test(void **state)
{
	(void)state;
	enable_error_path("off", false);
}

static void intx_enable_unlazy_only_without_pci23_test(void **state)
{
	(void)state;
	harness_open(&h, machine, NULL);
	h.w->vfio.msi.dev[NEW].intx.disable = 1;
	assert_int_equal(enable(OLD), 0);
	assert_int_equal(enable(NEW), 0);
	assert_int_equal(vdev(OLD)->irq_type, VFIO_PCI_INTX_IRQ_INDEX);
	assert_int_equal(vdev(OLD)->ctx[0].trigger, qemu_intx_efd(OLD));
	assert_int_equal(efd(qemu_intx_efd(OLD))->refs, 2);
	assert_true(desc(OLD)->settings & IRQ_DISABLE_UNLAZY);
	assert_false(desc(NEW)->settings & IRQ_DISABLE_UNLAZY);
	/* pci_intx(pdev, !masked): DisINTx follows the unmasked ctx */
	assert_false(h.w->vfio.msi.dev[NEW].intx.disable);
	assert_true(desc(NEW)->action_fn >= 0);
	harness_close(&h);

	harness_open(&h, machine, "intx_unlazy=off");
	assert_int_equal(enable(OLD), 0);
	assert_false(desc(OLD)->settings & IRQ_DISABLE_UNLAZY);
}

static void intx_disable_clears_flag_puts_trigger_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_open(&h, machine, "intx_unlazy=v2");
	assert_int_equal(enable(OLD), 0);
	assert_true(desc(OLD)->settings & IRQ_DISABLE_UNLAZY);
	/* SET_IRQS TRIGGER, DATA_NONE, count 0: vfio_intx_disable() */
	assert_int_equal(set_irqs(OLD, TRIGGER_NONE, 0, 0), 0);
	assert_int_equal(vdev(OLD)->irq_type, VFIO_PCI_NUM_IRQS);
	assert_int_equal(desc(OLD)->action_fn, -1);
	assert_false(desc(OLD)->settings & IRQ_DISABLE_UNLAZY);
	assert_int_equal(efd(qemu_intx_efd(OLD))->refs, 1);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	/* and INTx can be enabled again */
	assert_int_equal(enable(OLD), 0);
}

static void intx_handler_nopci23_disables_irq_test(void **state)
{
	int before;

	(void)state;
	harness_open(&h, machine, NULL);
	assert_int_equal(enable(OLD), 0);
	before = efd(qemu_intx_efd(OLD))->signals;
	harness_raise_intx(&h, "old0", OLD);
	assert_true(harness_take_irq(&h, 1));
	/* disable_irq_nosync() with IRQ_DISABLE_UNLAZY: masked now */
	assert_int_equal(desc(OLD)->depth, 1);
	assert_true(desc(OLD)->irqd & IRQD_IRQ_DISABLED);
	assert_true(h.w->vfio.msi.irq.apic.intc[OLD].masked);
	assert_true(vdev(OLD)->ctx[0].masked);
	assert_int_equal(efd(qemu_intx_efd(OLD))->signals, before + 1);
	/* the device was not touched: its line is still asserted */
	assert_true(h.w->vfio.msi.dev[OLD].intx.line);
	assert_false(
		harness_irr(&h, 1, h.w->vfio.msi.irq.apic.intc[OLD].vector));
}

static void intx_handler_pci23_masks_at_device_test(void **state)
{
	struct pci_intx *x;
	int before;

	(void)state;
	harness_open(&h, machine, NULL);
	assert_int_equal(enable(NEW), 0);
	x = &h.w->vfio.msi.dev[NEW].intx;
	before = efd(qemu_intx_efd(NEW))->signals;
	harness_raise_intx(&h, "new1", NEW);
	assert_true(harness_take_irq(&h, 1));
	/* pci_check_and_mask_intx(): pending -> DisINTx, line down */
	assert_true(x->disable);
	assert_false(x->line);
	assert_true(x->status);
	assert_true(vdev(NEW)->ctx[0].masked);
	assert_int_equal(desc(NEW)->depth, 0);
	assert_false(desc(NEW)->irqd & IRQD_IRQ_DISABLED);
	assert_int_equal(efd(qemu_intx_efd(NEW))->signals, before + 1);
	/* already masked ("may be shared"): IRQ_NONE, no signal */
	assert_int_equal(harness_call(&h, "cpu1", desc(NEW)->action_fn, x->irq,
				      vfio_intx_dev_id(NEW), NEW, 0),
			 IRQ_NONE);
	assert_int_equal(efd(qemu_intx_efd(NEW))->signals, before + 1);
}

static void intx_unmask_pci23_pending_resignals_test(void **state)
{
	struct irqsim_ctx c;
	struct pci_intx *x;
	int before;

	(void)state;
	harness_open(&h, machine, NULL);
	assert_int_equal(enable(NEW), 0);
	x = &h.w->vfio.msi.dev[NEW].intx;
	harness_raise_intx(&h, "new1", NEW);
	assert_true(harness_take_irq(&h, 1));
	c = ctx_of();
	/* the guest services it; the device has a new event meanwhile */
	assert_true(pci_intx_read_status(&c, NEW));
	harness_raise_intx(&h, "new1", NEW);
	assert_false(x->line);
	before = efd(qemu_intx_efd(NEW))->signals;
	assert_int_equal(unmask(NEW), 0);
	/* pci_check_and_unmask_intx() refused: still masked, re-signalled */
	assert_true(x->disable);
	assert_true(vdev(NEW)->ctx[0].masked);
	assert_int_equal(efd(qemu_intx_efd(NEW))->signals, before + 1);
	/* serviced again: now the unmask clears DisINTx, no signal */
	assert_true(pci_intx_read_status(&c, NEW));
	assert_int_equal(unmask(NEW), 0);
	assert_false(x->disable);
	assert_false(vdev(NEW)->ctx[0].masked);
	assert_int_equal(efd(qemu_intx_efd(NEW))->signals, before + 1);
}

static void intx_unmask_by_resample_virqfd_test(void **state)
{
	struct irqsim_ctx c;
	struct irqsim_verdict v;
	int e;

	(void)state;
	harness_open(&h, machine, NULL);
	e = qemu_intx_unmask_efd(OLD);
	assert_int_equal(enable(OLD), 0);
	/* SET_IRQS UNMASK | EVENTFD: vfio_virqfd_enable() */
	assert_int_equal(set_irqs(OLD, UNMASK_FD, 1, e), 0);
	assert_int_equal(efd(e)->virqfd, OLD);
	assert_int_equal(efd(e)->refs, 2);
	/* a second virqfd: -EBUSY, its reference dropped again */
	assert_int_equal(set_irqs(OLD, UNMASK_FD, 1, e), -EBUSY);
	assert_int_equal(efd(e)->refs, 2);

	harness_raise_intx(&h, "old0", OLD);
	assert_true(harness_take_irq(&h, 1));
	assert_int_equal(desc(OLD)->depth, 1);
	/* the guest services it and EOIs: KVM signals the resamplefd */
	c = ctx_of();
	pci_intx_read_status(&c, OLD);
	eventfd_signal(&c, e);
	harness_call(&h, "vcpu0", fn_vfio_virqfd_wakeup, e, 0, 0, 0);
	assert_int_equal(efd(e)->count, 0);
	assert_int_equal(desc(OLD)->depth, 0);
	assert_false(desc(OLD)->irqd & IRQD_IRQ_DISABLED);
	assert_false(h.w->vfio.msi.irq.apic.intc[OLD].masked);
	assert_false(vdev(OLD)->ctx[0].masked);

	/* fd -1: vfio_virqfd_disable() */
	assert_int_equal(set_irqs(OLD, UNMASK_FD, 1, -1), 0);
	assert_int_equal(efd(e)->virqfd, -1);
	assert_int_equal(efd(e)->refs, 1);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
}

/*
 * vfio_virqfd_enable() on an eventfd signalled before: the handler runs
 * as if the wakeup had not been missed, and the counter is left unread
 * (drivers/vfio/virqfd.c); the shutdown of vfio_virqfd_disable() reads
 * it (eventfd_ctx_remove_wait_queue()).
 */
static void intx_virqfd_enable_pending_leaves_count_test(void **state)
{
	struct irqsim_ctx c;
	int e;

	(void)state;
	harness_open(&h, machine, NULL);
	e = qemu_intx_unmask_efd(OLD);
	assert_int_equal(enable(OLD), 0);
	harness_raise_intx(&h, "old0", OLD);
	assert_true(harness_take_irq(&h, 1));
	assert_int_equal(desc(OLD)->depth, 1);
	/* an EOI's resample signal before the virqfd exists */
	c = ctx_of();
	pci_intx_read_status(&c, OLD);
	eventfd_signal(&c, e);
	assert_int_equal(set_irqs(OLD, UNMASK_FD, 1, e), 0);
	/* the handler ran: unmasked */
	assert_int_equal(desc(OLD)->depth, 0);
	assert_false(vdev(OLD)->ctx[0].masked);
	/* the counter was not read */
	assert_int_equal(efd(e)->count, 1);
	/* the virqfd's shutdown reads it */
	assert_int_equal(set_irqs(OLD, UNMASK_FD, 1, -1), 0);
	assert_int_equal(efd(e)->count, 0);
}

/*
 * QEMU's vfio_intx_enable_kvm() when the SET_IRQS of the unmask eventfd
 * fails (here -EBUSY: a virqfd is registered already): fail_vfio removes
 * the KVM irqfd, fail_irqfd drops the unmask notifier, fail gives the
 * trigger back to the main loop and unmasks; kvm_accel stays false
 * (hw/vfio/pci.c, QEMU 10.x).
 */
static void qemu_intx_enable_kvm_unmask_fd_failure_test(void **state)
{
	int t = qemu_intx_efd(OLD), u = qemu_intx_unmask_efd(OLD);
	struct qemu_intx *q;

	(void)state;
	harness_open(&h, machine, NULL);
	q = &h.w->qdev[OLD].intx;
	assert_int_equal(enable(OLD), 0);
	assert_int_equal(set_irqs(OLD, UNMASK_FD, 1, u), 0);
	assert_int_equal(harness_call(&h, "vcpu0", fn_qemu_vfio_intx_enable,
				      OLD, 0, 0, 0),
			 0);
	assert_int_equal(h.w->setirqs_failed_reported, 1);
	assert_false(q->kvm_accel);
	assert_true(q->enabled);
	/* no irqfd on the trigger, no resampler on the unmask eventfd */
	assert_int_equal(efd(t)->irqfd, -1);
	assert_false(efd(u)->resampler);
	assert_int_equal(efd(t)->refs, vfio_expected_eventfd_refs(&h.w->vfio, t));
	assert_int_equal(efd(u)->refs, vfio_expected_eventfd_refs(&h.w->vfio, u));
	/* vfio_device_irq_unmask() after the mask */
	assert_false(vdev(OLD)->ctx[0].masked);
	assert_false(q->guest_level);
}

static void intx_mask_ioctl_and_set_signal_test(void **state)
{
	int a = qemu_intx_efd(OLD), b = qemu_intx_unmask_efd(OLD);

	(void)state;
	harness_open(&h, machine, NULL);
	assert_int_equal(enable(OLD), 0);
	/* SET_IRQS MASK, DATA_NONE: __vfio_pci_intx_mask() */
	assert_int_equal(set_irqs(OLD, MASK_NONE, 1, 0), 0);
	assert_true(vdev(OLD)->ctx[0].masked);
	assert_int_equal(desc(OLD)->depth, 1);
	/* masking again does not nest the disable */
	set_irqs(OLD, MASK_NONE, 1, 0);
	assert_int_equal(desc(OLD)->depth, 1);
	assert_int_equal(set_irqs(OLD, MASK_FD, 1, a), -ENOTTY);
	/* a new trigger while INTx: vfio_intx_set_signal() */
	assert_int_equal(set_irqs(OLD, TRIGGER_FD, 1, b), 0);
	assert_int_equal(vdev(OLD)->ctx[0].trigger, b);
	assert_int_equal(efd(a)->refs, 1);
	assert_int_equal(efd(b)->refs, 2);
	/* the unmask balances the mask */
	assert_int_equal(unmask(OLD), 0);
	assert_int_equal(desc(OLD)->depth, 0);
	assert_int_equal(h.w->vfio.msi.irq.stats.unbalanced_enable, 0);
}

static void intx_set_irqs_checks_test(void **state)
{
	(void)state;
	harness_open(&h, "cpus 2\ndevice nic0 msix=1\nactor qemu\n"
			 "expect none\n",
		     NULL);
	/* vfio_pci_get_irq_count(): no interrupt pin, no INTx index */
	assert_int_equal(set_irqs(0, TRIGGER_FD, 1, qemu_intx_efd(0)), -EINVAL);
	harness_close(&h);
	harness_open(&h, machine, NULL);
	/* unmask and mask need INTx enabled */
	assert_int_equal(unmask(OLD), -EINVAL);
	/* a bad eventfd: -EBADF, nothing enabled */
	assert_int_equal(set_irqs(OLD, TRIGGER_FD, 1, IRQSIM_MAX_EVENTFDS),
			 -EBADF);
	assert_int_equal(vdev(OLD)->irq_type, VFIO_PCI_NUM_IRQS);
	/* INTx while MSI-X would be active: -EINVAL */
	vdev(OLD)->irq_type = VFIO_PCI_MSIX_IRQ_INDEX;
	assert_int_equal(enable(OLD), -EINVAL);
	vdev(OLD)->irq_type = VFIO_PCI_NUM_IRQS;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			intx_enable_error_merged_clears_flag_test, teardown),
		cmocka_unit_test_teardown(intx_enable_error_v2_leaves_flag_test,
					  teardown),
		cmocka_unit_test_teardown(
			intx_enable_error_before_fix_no_flag_test, teardown),
		cmocka_unit_test_teardown(
			intx_enable_unlazy_only_without_pci23_test, teardown),
		cmocka_unit_test_teardown(
			intx_disable_clears_flag_puts_trigger_test, teardown),
		cmocka_unit_test_teardown(
			intx_handler_nopci23_disables_irq_test, teardown),
		cmocka_unit_test_teardown(
			intx_handler_pci23_masks_at_device_test, teardown),
		cmocka_unit_test_teardown(
			intx_unmask_pci23_pending_resignals_test, teardown),
		cmocka_unit_test_teardown(intx_unmask_by_resample_virqfd_test,
					  teardown),
		cmocka_unit_test_teardown(
			intx_virqfd_enable_pending_leaves_count_test, teardown),
		cmocka_unit_test_teardown(
			qemu_intx_enable_kvm_unmask_fd_failure_test, teardown),
		cmocka_unit_test_teardown(intx_mask_ioctl_and_set_signal_test,
					  teardown),
		cmocka_unit_test_teardown(intx_set_irqs_checks_test, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
