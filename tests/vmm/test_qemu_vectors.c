// SPDX-License-Identifier: MIT
/*
 * QEMU's MSI-X vector use/release (src/vmm/qemu.c) against QEMU
 * hw/vfio/pci.c vfio_msix_vector_do_use() / vfio_msix_vector_release() /
 * vfio_msi_interrupt() and hw/pci/msix.c msix_handle_mask_update() /
 * msix_notify() (kernel-reference.md sections 6.2 to 6.5), and the
 * vmm_reinject knob: tglx's workaround from seeds/000, an injection after
 * every VFIO_DEVICE_SET_IRQS (never merged).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

/* One vCPU; the device's vector 0 routed through a KVM irqfd (efd1). */
#define VM							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 0\n"
#define MASK_UNMASK						\
	"vcpu0: guest_msix_mask nic0 0\n"			\
	"vcpu0: guest_msix_unmask nic0 0\n"

/* seeds/000 timeline: the interrupt is discarded between the swaps. */
#define TGLX_SCHEDULE "vcpu0 nic0 vcpu0*9 cpu1:irq cpu1*3"

#define QEMU_EFD 0	/* qemu_interrupt_efd(0, 0) */
#define KVM_EFD 1	/* qemu_kvm_efd(0, 0) */

static struct harness h;

static struct qemu_msix_vector *qv(void)
{
	return &h.w->qdev[0].v[0];
}

static int trigger(void)
{
	return harness_vfio(&h)->vdev[0].ctx[0].trigger;
}

static void qemu_guest_mask_releases_to_qemu_eventfd_test(void **state)
{
	int requests, write, ioctl;

	(void)state;
	harness_load(&h, VM "vcpu0: guest_msix_mask nic0 0\n");
	requests = harness_irqw(&h)->stats.requests;
	assert_int_equal(trigger(), KVM_EFD);
	assert_int_equal(qv()->virq, 0);

	/* The guest's write traps: QEMU runs on the vCPU thread (vmexit). */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", qemu_msix_is_masked(h.w, 0, 0));
	assert_int_equal(h.w->vcpu[0].in_host, 1);

	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->vcpu[0].in_host, 0);
	/*
	 * vfio_msix_vector_release() with virq >= 0: SET_IRQS with QEMU's
	 * own eventfd, so a masked vector's interrupts reach the PBA
	 * emulation; the KVM route and irqfd are left in place.
	 */
	assert_int_equal(trigger(), QEMU_EFD);
	assert_int_equal(qv()->virq, 0);
	assert_true(h.w->route[0].valid);
	assert_int_equal(harness_vfio(&h)->efd[KVM_EFD].irqfd, 0);
	/* On the host this is free_irq() + request_irq(). */
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 1);
	assert_int_equal(harness_desc(&h, harness_irq(&h, 0, 0))->action_dev_id,
			 QEMU_EFD);
	/* The physical entry is live again: only QEMU's view is masked. */
	assert_false(msix_entry_masked(harness_pdev(&h, 0), 0));

	write = harness_expect_event(&h, 0, "msix_table_mmio_write", "dw3 = 0x1");
	ioctl = harness_expect_event(&h, write, "vfio_pci_ioctl_set_irqs",
				     "fd 0");
	(void)ioctl;
	harness_done(&h);
}

static void qemu_guest_unmask_uses_kvm_irqfd_test(void **state)
{
	int requests;

	(void)state;
	harness_load(&h, VM MASK_UNMASK);
	requests = harness_irqw(&h)->stats.requests;
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	/*
	 * vfio_msix_vector_do_use(): virq >= 0, so the MSI route is updated
	 * from the guest's current message, then SET_IRQS with the KVM
	 * eventfd: the host trigger is the irqfd again.
	 */
	assert_int_equal(trigger(), KVM_EFD);
	assert_false(qemu_msix_is_masked(h.w, 0, 0));
	assert_true(h.w->route[0].valid);
	assert_int_equal(h.w->route[0].vcpu, 0);
	assert_int_equal(h.w->route[0].idx, 0);
	harness_expect_event(&h, 0, "vfio_msix_vector_do_use",
			     "kvm_irqchip_update_msi_route");
	/* Two swaps: release and use. */
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 2);
	assert_int_equal(harness_vfio(&h)->efd[KVM_EFD].refs, 3);
	assert_int_equal(harness_vfio(&h)->efd[QEMU_EFD].refs, 1);
	harness_done(&h);
}

static void qemu_pba_shadow_replay_on_unmask_test(void **state)
{
	struct vmm_world *w;
	int ret, replay;

	(void)state;
	harness_load(&h, VM MASK_UNMASK "nic0: raise 0\n");
	w = h.w;
	/*
	 * The mask's SET_IRQS returned: QEMU's eventfd is the trigger. Its
	 * trap returned too: the main loop's handler needs the BQL.
	 */
	HARNESS_FIRE_UNTIL(&h, "vcpu0",
			   trigger() == QEMU_EFD &&
				   harness_lock_owner(&h, VFIO_LOCK_IGATE(0)) <
					   0 &&
				   !w->vcpu[0].in_host);
	assert_true(qemu_msix_is_masked(h.w, 0, 0));

	/* The device fires while the guest has the vector masked. */
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1",
			   !harness_sched(&h)->actor[harness_actor(&h, "cpu1")]
				    .nframes);
	/* vfio_msihandler() signalled QEMU's eventfd; no irqfd on it. */
	assert_int_equal(harness_vfio(&h)->efd[QEMU_EFD].count, 1);
	assert_int_equal(w->vcpu[0].virr, 0);

	/*
	 * vfio_msi_interrupt() on the main loop: the vector is masked, so
	 * msix_notify() sets the pending bit instead of injecting.
	 */
	harness_fire(&h, "main:efd0");
	assert_int_equal(harness_vfio(&h)->efd[QEMU_EFD].count, 0);
	assert_int_equal(qv()->pba, 1);
	assert_int_equal(w->vcpu[0].virr, 0);

	/*
	 * The guest unmasks: msix_handle_mask_update() fires the use
	 * notifier (SET_IRQS back to the irqfd) and then, the vector being
	 * unmasked with its pending bit set, clears it and msix_notify()s.
	 */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_int_equal(qv()->pba, 0);
	assert_int_equal(w->vcpu[0].virr, 1u << 0);
	assert_int_equal(trigger(), KVM_EFD);
	ret = harness_expect_event(&h, 0, "vfio_pci_ioctl_set_irqs",
				   "returns 0");
	ret = harness_expect_event(&h, ret + 1, "vfio_pci_ioctl_set_irqs",
				   "returns 0");
	replay = harness_expect_event(&h, 0, "msix_handle_mask_update",
				      "PBA set");
	assert_true(ret < replay);

	/* The guest's handler sees the event and acks the device. */
	harness_fire(&h, "vcpu0:virq");
	HARNESS_FIRE_UNTIL(&h, "guest0", w->guest.handled == 1);
	assert_false(harness_pdev(&h, 0)->status & 1);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

static void vmm_reinject_off_loses_discarded_interrupt_test(void **state)
{
	(void)state;
	harness_load(&h, VM MASK_UNMASK "nic0: raise 0\n");
	/*
	 * Race B of seeds/000: the MSI latched on cpu1 before the mask is
	 * handled after free_irq() wrote VECTOR_SHUTDOWN: common_interrupt()
	 * EOIs it with no descriptor. Nothing replays it, and the
	 * wait-for-ack device never raises again.
	 */
	assert_int_equal(harness_run(&h, TGLX_SCHEDULE), CHECK_LOST_INTERRUPT);
	assert_int_equal(harness_apic(&h)->stats.discards, 1);
	assert_int_equal(harness_apic(&h)->stats.last_discard_slot,
			 VECTOR_SHUTDOWN);
	assert_int_equal(h.w->guest.handled, 0);
	assert_true(harness_pdev(&h, 0)->status & 1);
	assert_int_equal(harness_count_events(&h, "vmm_reinject", NULL), 0);
	harness_done(&h);
}

static void vmm_reinject_on_recovers_discarded_interrupt_test(void **state)
{
	(void)state;
	harness_load(&h, VM "set vmm_reinject=on\n" MASK_UNMASK
			    "nic0: raise 0\n");
	/*
	 * Same interleaving; QEMU injects after each SET_IRQS: after the
	 * release the vector is masked (msix_notify sets the PBA bit),
	 * after the use it is unmasked (an MSI to the guest). The guest's
	 * handler reads the device and acks the event the host discarded.
	 */
	assert_int_equal(harness_run(&h, TGLX_SCHEDULE), CHECK_NONE);
	assert_int_equal(harness_apic(&h)->stats.discards, 1);
	assert_int_equal(harness_count_events(&h, "vmm_reinject", NULL), 2);
	assert_int_equal(h.w->guest.handled, 1);
	assert_int_equal(h.w->guest.spurious, 0);
	assert_false(harness_pdev(&h, 0)->status & 1);
	harness_done(&h);
}

static void vmm_reinject_without_event_is_benign_spurious_test(void **state)
{
	(void)state;
	/* No device event: without the knob, the guest sees nothing. */
	harness_load(&h, VM MASK_UNMASK);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->guest.handled + h.w->guest.spurious +
				 h.w->guest.spurious_benign,
			 0);
	harness_free(&h);

	/*
	 * With it, the guest takes an interrupt with nothing pending: a
	 * spurious one, classified benign because the VMM injected it.
	 */
	harness_load(&h, VM "set vmm_reinject=on\n" MASK_UNMASK);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->guest.handled, 0);
	assert_int_equal(h.w->guest.spurious, 0);
	assert_true(h.w->guest.spurious_benign >= 1);
	assert_int_equal(harness_pdev(&h, 0)->empty_reads[0],
			 h.w->guest.spurious_benign);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_guest_mask_releases_to_qemu_eventfd_test),
		cmocka_unit_test(qemu_guest_unmask_uses_kvm_irqfd_test),
		cmocka_unit_test(qemu_pba_shadow_replay_on_unmask_test),
		cmocka_unit_test(vmm_reinject_off_loses_discarded_interrupt_test),
		cmocka_unit_test(vmm_reinject_on_recovers_discarded_interrupt_test),
		cmocka_unit_test(vmm_reinject_without_event_is_benign_spurious_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
