// SPDX-License-Identifier: MIT
/*
 * QEMU's INTx callers as operations (src/vmm/qemu_intx.c, src/vmm/qemu.c)
 * against QEMU hw/vfio/pci.c (QEMU 10.x): vfio_intx_enable_kvm(),
 * vfio_intx_disable_kvm(), vfio_intx_enable(), vfio_intx_disable(), and
 * the order vfio_msix_enable() and vfio_msix_disable() give them:
 * vfio_disable_interrupts() takes INTx down before MSI-X comes up,
 * vfio_msix_disable() brings it back after MSI-X went.
 *
 * The expected values are QEMU's and the kernel's: vfio_intx_disable_kvm()
 * masks, deasserts the guest's line, removes the irqfd, closes the unmask
 * eventfd (VFIO's virqfd goes with it, drivers/vfio/virqfd.c EPOLLHUP)
 * and unmasks, so an event the device still holds is signalled again
 * through QEMU's main loop ("If we've missed an event, let it re-fire");
 * vfio_intx_enable_kvm() deasserts the guest's line too and its unmask
 * re-fires the event through the new irqfd. Every one of them runs under
 * the BQL.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../harness.h"

#define VM(dev)							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 " dev " affinity=cpu1\n"			\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"actor qemu cpu=0\n"					\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_intx_enable nic0\n"

static struct harness h;

static struct qemu_intx *qintx(void)
{
	return &h.w->qdev[0].intx;
}

static struct vfio_pci_core_device *vdev(void)
{
	return &harness_vfio(&h)->vdev[0];
}

static struct eventfd_ctx *efd(int e)
{
	return &harness_vfio(&h)->efd[e];
}

/* Every reference an eventfd has is one its users account for. */
static void assert_refs_balanced(void)
{
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++)
		assert_int_equal(efd(e)->refs,
				 vfio_expected_eventfd_refs(harness_vfio(&h),
							    e));
}

/* The device raised INTx and the host's vfio_intx_handler() masked it. */
static void raise_and_take_on_host(void)
{
	int cpu1 = harness_actor(&h, "cpu1");

	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1",
			   !harness_sched(&h)->actor[cpu1].nframes);
	assert_true(vdev()->ctx[0].masked);
}

static void intx_disable_kvm_refires_through_qemu_test(void **state)
{
	int trigger = qemu_intx_efd(0), unmask = qemu_intx_unmask_efd(0);
	int mask, down, gone, unmasked;

	(void)state;
	harness_load(&h, VM("intx=pci23")
		     "nic0: raise_intx\n"
		     "qemu: qemu_vfio_intx_disable_kvm nic0\n");
	assert_true(qintx()->kvm_accel);
	/* KVM's irqfd asserted the guest's line; the guest has not run */
	raise_and_take_on_host();
	assert_true(qintx()->guest_level);

	HARNESS_FIRE_UNTIL(&h, "qemu", harness_actor_done(&h, "qemu"));
	assert_false(qintx()->kvm_accel);
	/* the irqfd, its resampler and VFIO's unmask virqfd are gone */
	assert_int_equal(efd(trigger)->irqfd, -1);
	assert_false(efd(unmask)->resampler);
	assert_int_equal(efd(unmask)->virqfd, -1);
	assert_int_equal(vdev()->ctx[0].unmask, -1);
	assert_refs_balanced();
	/* QEMU's order: mask, line down, irqfd off, unmask */
	mask = harness_expect_event(&h, 0, "vfio_pci_ioctl_set_irqs",
				    "flags 0x9");
	down = harness_expect_event(&h, mask, "vfio_intx_disable_kvm",
				    NULL);
	gone = harness_expect_event(&h, down, "vfio_intx_disable_kvm",
				    "removed");
	unmasked = harness_expect_event(&h, gone, "vfio_pci_ioctl_set_irqs",
					"flags 0x11");
	assert_true(mask < down && down < gone && gone < unmasked);
	/*
	 * The device still has its event (the guest has not read it), so
	 * the unmask leaves it masked and signals the trigger again; no
	 * irqfd reads it now: QEMU's main loop does.
	 */
	assert_false(qintx()->guest_level);
	assert_int_equal(efd(trigger)->count, 1);
	harness_expect_event(&h, unmasked, "vfio_send_intx_eventfd", NULL);
	assert_true(harness_enabled(&h, "main:efd16"));
	harness_fire(&h, "main:efd16");
	assert_true(qintx()->pending);
	assert_true(qintx()->guest_level);
	/* the guest services it through QEMU: no stall, nothing lost */
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_false(vdev()->ctx[0].masked);
	assert_true(h.w->guest.handled >= 1);
	harness_done(&h);
}

static void intx_enable_kvm_deasserts_then_refires_test(void **state)
{
	int trigger = qemu_intx_efd(0), unmask = qemu_intx_unmask_efd(0);
	int down, irqfd, up;

	(void)state;
	harness_load(&h, VM("intx=pci23")
		     "setup qemu: qemu_vfio_intx_disable_kvm nic0\n"
		     "nic0: raise_intx\n"
		     "qemu: qemu_vfio_intx_enable_kvm nic0\n");
	assert_false(qintx()->kvm_accel);
	/* through QEMU: the main loop asserts the guest's line */
	raise_and_take_on_host();
	harness_fire(&h, "main:efd16");
	assert_true(qintx()->pending);
	assert_true(qintx()->guest_level);

	HARNESS_FIRE_UNTIL(&h, "qemu", harness_actor_done(&h, "qemu"));
	assert_true(qintx()->kvm_accel);
	assert_false(qintx()->pending);
	assert_int_equal(efd(trigger)->irqfd, GUEST_INTX_IDX(0));
	assert_true(efd(unmask)->resampler);
	assert_int_equal(vdev()->ctx[0].unmask, unmask);
	assert_refs_balanced();
	/*
	 * "Get to a known interrupt state": the line QEMU asserted goes
	 * down; then the unmask finds the device still pending and signals
	 * the trigger, now KVM's irqfd, which asserts it again.
	 */
	down = harness_expect_event(&h, 0, "vfio_intx_enable_kvm", NULL);
	irqfd = harness_expect_event(&h, down, "vfio_intx_enable_kvm",
				     "KVM irqfd on");
	up = harness_expect_event(&h, irqfd, "irqfd_inject", "asserted");
	assert_true(down < irqfd && irqfd < up);
	assert_true(qintx()->guest_level);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_false(vdev()->ctx[0].masked);
	harness_done(&h);
}

static void intx_enable_kvm_nopci23_refires_test(void **state)
{
	(void)state;
	/* no DisINTx: the unmask is enable_irq(), the line re-delivers */
	harness_load(&h, VM("intx=nopci23")
		     "setup qemu: qemu_vfio_intx_disable_kvm nic0\n"
		     "nic0: raise_intx\n"
		     "qemu: qemu_vfio_intx_enable_kvm nic0\n");
	raise_and_take_on_host();
	harness_fire(&h, "main:efd16");
	HARNESS_FIRE_UNTIL(&h, "qemu", harness_actor_done(&h, "qemu"));
	assert_true(qintx()->kvm_accel);
	assert_false(qintx()->guest_level);
	/* enable_irq() unmasked the still asserted line: the host retakes */
	assert_true(harness_enabled(&h, "cpu1:irq"));
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_true(h.w->guest.handled >= 1);
	harness_done(&h);
}

static void intx_op_holds_bql_out_of_guest_test(void **state)
{
	int vcpu0;

	(void)state;
	harness_load(&h, VM("intx=pci23")
		     "vcpu0: qemu_vfio_intx_disable_kvm nic0\n");
	vcpu0 = harness_actor(&h, "vcpu0");
	harness_fire(&h, "vcpu0");
	/* QEMU code on the vCPU thread: the BQL held, out of guest mode */
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), vcpu0);
	assert_true(h.w->vcpu[0].in_host);
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), -1);
	assert_false(h.w->vcpu[0].in_host);
	harness_done(&h);
}

static void guest_msix_enable_takes_intx_down_first_test(void **state)
{
	int intx_off, msix_on, intx_irq;

	(void)state;
	harness_load(&h, VM("msix=1 intx=pci23")
		     "vcpu0: guest_msix_enable nic0\n");
	intx_irq = harness_pdev(&h, 0)->intx.irq;
	assert_true(harness_desc(&h, intx_irq)->action_fn >= 0);
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	/* vfio_disable_interrupts(): INTx off in the kernel, then MSI-X */
	intx_off = harness_expect_event(&h, 0, "vfio_intx_disable",
					"dev0 INTx off");
	msix_on = harness_expect_event(&h, 0, "vfio_msi_enable", NULL);
	assert_true(intx_off < msix_on);
	assert_true(harness_expect_event(&h, 0, "vfio_intx_disable_kvm",
					 "removed") < intx_off);
	assert_false(qintx()->enabled);
	assert_false(qintx()->kvm_accel);
	assert_false(qintx()->guest_level);
	assert_int_equal(harness_desc(&h, intx_irq)->action_fn, -1);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSIX_IRQ_INDEX);
	assert_int_equal(efd(qemu_intx_efd(0))->irqfd, -1);
	assert_int_equal(efd(qemu_intx_unmask_efd(0))->virqfd, -1);
	assert_refs_balanced();
	harness_done(&h);
}

static void guest_msix_disable_brings_intx_back_after_test(void **state)
{
	int msix_off, intx_on, released;

	(void)state;
	harness_load(&h, VM("msix=1 intx=pci23")
		     "setup vcpu0: guest_msix_enable nic0\n"
		     "setup vcpu0: guest_request_irq nic0 0 0\n"
		     "vcpu0: guest_msix_disable nic0\n");
	assert_int_equal(h.w->qdev[0].v[0].virq, 0);
	assert_true(h.w->route[0].valid);
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	/*
	 * vfio_msix_disable(): vector 0 released (its trigger moved to
	 * QEMU's eventfd), the MSI-X index off in the kernel, then INTx
	 */
	released = harness_expect_event(&h, 0, "vfio_msi_set_vector_signal",
					NULL);
	msix_off = harness_expect_event(&h, released, "vfio_msi_disable",
					NULL);
	intx_on = harness_expect_event(&h, msix_off, "vfio_intx_enable",
				       "irq_type = INTx");
	assert_true(released < msix_off && msix_off < intx_on);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_INTX_IRQ_INDEX);
	assert_false(harness_pdev(&h, 0)->msix_enabled);
	assert_int_equal(h.w->qdev[0].nr_vectors, 0);
	assert_false(h.w->qdev[0].msix_enabled);
	/* vfio_msi_disable_common(): route, irqfd and consumer gone */
	assert_int_equal(h.w->qdev[0].v[0].virq, -1);
	assert_false(h.w->route[0].valid);
	assert_int_equal(efd(qemu_kvm_efd(0, 0))->irqfd, -1);
	assert_false(harness_vfio(&h)->bypass.cons[qemu_kvm_efd(0, 0)]
			     .registered);
	/* vfio_intx_enable() and vfio_intx_enable_kvm() */
	assert_true(qintx()->enabled);
	assert_true(qintx()->kvm_accel);
	assert_refs_balanced();
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intx_disable_kvm_refires_through_qemu_test),
		cmocka_unit_test(intx_enable_kvm_deasserts_then_refires_test),
		cmocka_unit_test(intx_enable_kvm_nopci23_refires_test),
		cmocka_unit_test(intx_op_holds_bql_out_of_guest_test),
		cmocka_unit_test(guest_msix_enable_takes_intx_down_first_test),
		cmocka_unit_test(
			guest_msix_disable_brings_intx_back_after_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
