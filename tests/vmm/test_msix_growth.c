// SPDX-License-Identifier: MIT
/*
 * MSI-X growth (seeds/002) in QEMU's vfio_msix_vector_do_use() and
 * vfio_msix_enable() (src/vmm/qemu.c) against QEMU hw/vfio/pci.c and
 * kernel-reference.md sections 5.4, 6.3 and 6.6: the NORESIZE path
 * (vfio_disable_irqindex() + vfio_enable_vectors()), the dynamic path (one
 * SET_IRQS, pci_msix_alloc_irq_at()), the MSI-X enable variants (vector 0
 * with QEMU's eventfd before 8.2, fd -1 since), the scan for unmasked
 * vectors at enable, and the vmm_setirqs_error policy.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

/* A Linux guest: MSI-X enabled, vector 0 requested at init. */
#define VM(extra)							\
	"cpus 2\n"							\
	"vcpus 1\n"							\
	"device nic0 msix=3 behaviour=ack affinity=cpu1 intx=pci23\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"					\
	"main-loop cpu=0\n"						\
	extra								\
	"setup vcpu0: guest_msix_enable nic0\n"				\
	"setup vcpu0: guest_request_irq nic0 0 0\n"
#define LATE "vcpu0: guest_request_irq nic0 1 0\n"

static struct harness h;

static struct vfio_pci_core_device *vdev(void)
{
	return &harness_vfio(&h)->vdev[0];
}

static void growth_noresize_tears_down_live_vector_test(void **state)
{
	int irq0, requests;
	bool saw_disabled = false;

	(void)state;
	harness_load(&h, VM("profile qemu-8.1\n") LATE);
	irq0 = harness_irq(&h, 0, 0);
	requests = harness_irqw(&h)->stats.requests;
	assert_int_equal(h.w->qdev[0].nr_vectors, 1);
	assert_int_equal(vdev()->ctx[0].trigger, qemu_kvm_efd(0, 0));

	/*
	 * Vector 1 > nr_vectors and QEMU 8.1 cannot resize: the index is
	 * disabled first (vfio_msi_disable: vector 0 freed, MSI-X enable
	 * cleared on the device), then enabled again with both.
	 */
	while (!harness_actor_done(&h, "vcpu0")) {
		harness_fire(&h, "vcpu0");
		if (!harness_pdev(&h, 0)->msix_enabled) {
			saw_disabled = true;
			assert_int_equal(vdev()->irq_type, VFIO_PCI_NUM_IRQS);
			assert_int_equal(vdev()->ctx[0].trigger, -1);
			assert_int_equal(harness_irq(&h, 0, 0), 0);
		}
	}
	assert_true(saw_disabled);
	assert_int_equal(harness_count_events(&h, "vfio_msi_disable", NULL),
			 1);
	assert_int_equal(h.w->qdev[0].nr_vectors, 2);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSIX_IRQ_INDEX);
	assert_int_equal(vdev()->ctx[0].trigger, qemu_kvm_efd(0, 0));
	assert_int_equal(vdev()->ctx[1].trigger, qemu_kvm_efd(0, 1));
	/* vector 0 was requested again: two request_irq() in the block */
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 2);
	assert_int_equal(harness_irq(&h, 0, 0), irq0);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

static void growth_dynamic_leaves_live_vector_alone_test(void **state)
{
	int irq0, requests;

	(void)state;
	harness_load(&h, VM("profile qemu-8.2\n") LATE);
	irq0 = harness_irq(&h, 0, 0);
	requests = harness_irqw(&h)->stats.requests;
	/* fd -1 enable: MSI-X on, one irq allocated at enable, vector 0 */
	assert_int_equal(harness_irq(&h, 0, 1), 0);
	while (!harness_actor_done(&h, "vcpu0")) {
		harness_fire(&h, "vcpu0");
		/* the device never leaves MSI-X mode */
		assert_true(harness_pdev(&h, 0)->msix_enabled);
		assert_int_equal(vdev()->ctx[0].trigger, qemu_kvm_efd(0, 0));
		assert_true(harness_desc(&h, irq0)->action_fn >= 0);
	}
	/* pci_msix_alloc_irq_at() gave vector 1 an irq of its own */
	assert_true(harness_irq(&h, 0, 1) > 0);
	assert_int_not_equal(harness_irq(&h, 0, 1), irq0);
	assert_int_equal(harness_count_events(&h, "pci_msix_alloc_irq_at",
					      NULL),
			 1);
	assert_int_equal(harness_count_events(&h, "__free_irq", NULL), 0);
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 1);
	assert_int_equal(vdev()->ctx[1].trigger, qemu_kvm_efd(0, 1));
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

static void growth_noresize_kernel_forces_disable_test(void **state)
{
	(void)state;
	/* QEMU 8.2 on a kernel that reports VFIO_IRQ_INFO_NORESIZE */
	harness_load(&h, VM("profile qemu-8.2 linux-6.4\n") LATE);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(harness_count_events(&h, "vfio_msi_disable", NULL),
			 1);
	assert_int_equal(harness_count_events(&h, "pci_msix_alloc_irq_at",
					      NULL),
			 0);
	assert_int_equal(vdev()->ctx[1].trigger, qemu_kvm_efd(0, 1));
	harness_done(&h);
}

static void msix_enable_vector0_vs_nofd_test(void **state)
{
	const char *trace = "cpus 2\nvcpus 1\n"
			    "device nic0 msix=2 behaviour=ack affinity=cpu1\n"
			    "actor vcpu0 vcpu=0 cpu=0\nmain-loop cpu=0\n"
			    "%s"
			    "vcpu0: guest_msix_enable nic0\n";
	char buf[512];

	(void)state;
	/*
	 * Before 5ebffa4e87e7: do_use(0, NULL, NULL) + release(0) leaves
	 * vector 0 requested on the host with QEMU's eventfd, and no KVM
	 * route; the guest's entry stays masked.
	 */
	snprintf(buf, sizeof(buf), trace, "profile qemu-8.1\n");
	harness_load(&h, buf);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSIX_IRQ_INDEX);
	assert_int_equal(vdev()->ctx[0].trigger, qemu_interrupt_efd(0, 0));
	assert_true(h.w->qdev[0].v[0].use);
	assert_int_equal(h.w->qdev[0].v[0].virq, -1);
	assert_true(qemu_msix_is_masked(h.w, 0, 0));
	assert_int_equal(harness_irqw(&h)->stats.requests, 1);
	assert_true(harness_pdev(&h, 0)->msix_enabled);
	harness_done(&h);

	/* Since: vector 0 with fd -1, MSI-X on, nothing requested. */
	snprintf(buf, sizeof(buf), trace, "profile qemu-8.2\n");
	harness_load(&h, buf);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSIX_IRQ_INDEX);
	assert_int_equal(vdev()->ctx[0].trigger, -1);
	assert_false(h.w->qdev[0].v[0].use);
	assert_int_equal(harness_irqw(&h)->stats.requests, 0);
	assert_true(harness_pdev(&h, 0)->msix_enabled);
	assert_int_equal(h.w->qdev[0].nr_vectors, 0);
	harness_done(&h);
}

static void msix_enable_scans_unmasked_vectors_test(void **state)
{
	(void)state;
	/*
	 * A guest that writes its table before the enable bit: the scan
	 * (msix_set_vector_notifiers) uses vectors 0 and 2, nr_vectors is
	 * the highest + 1, and one SET_IRQS enables 0..2 (vector 1: fd -1).
	 */
	harness_load(&h, "cpus 2\nvcpus 1\n"
			 "device nic0 msix=3 behaviour=ack affinity=cpu1\n"
			 "actor vcpu0 vcpu=0 cpu=0\nmain-loop cpu=0\n"
			 "profile qemu-8.1\n"
			 "vcpu0: guest_request_irq nic0 0 0\n"
			 "vcpu0: guest_request_irq nic0 2 0\n"
			 "vcpu0: guest_msix_enable nic0\n");
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	/* the writes before the enable reached no notifier */
	assert_int_equal(harness_count_events(&h, "vfio_pci_ioctl_set_irqs",
					      "start 0 count 3"),
			 1);
	assert_int_equal(harness_count_events(&h, "vfio_pci_ioctl_set_irqs",
					      "index 2 flags"),
			 1);
	assert_int_equal(h.w->qdev[0].nr_vectors, 3);
	assert_int_equal(vdev()->ctx[0].trigger, qemu_kvm_efd(0, 0));
	assert_int_equal(vdev()->ctx[1].trigger, -1);
	assert_int_equal(vdev()->ctx[2].trigger, qemu_kvm_efd(0, 2));
	harness_done(&h);
}

static void growth_event_in_window_goes_to_intx_test(void **state)
{
	int kind;

	(void)state;
	harness_load(&h, VM("profile qemu-8.1\n") LATE "nic0: raise 0\n");
	HARNESS_FIRE_UNTIL(&h, "vcpu0", !harness_pdev(&h, 0)->msix_enabled);
	/* Inside the window: the event finds MSI-X off. */
	kind = harness_fire(&h, "nic0");
	assert_int_equal(kind, CHECK_MSIX_DISABLED);
	assert_non_null(strstr(h.step_verdict.what, "redirected to the legacy INTx pin"));
	assert_int_equal(harness_pdev(&h, 0)->msix_off_intx, 1);
	/* not held in the PBA for later: MSI-X off is not a mask */
	assert_int_equal(harness_pdev(&h, 0)->pba, 0);
	h.rt.ignore = 1u << CHECK_MSIX_DISABLED;
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	assert_non_null(strstr(h.res.verdict.what, "redirected to INTx"));
	assert_int_equal(h.w->guest.handled, 0);
	harness_done(&h);
}

/*
 * An MSI that cpu1 took before the growth, whose descriptor goes away
 * between common_interrupt()'s read of vector_irq and the flow handler:
 * irq_domain_free_irqs_top() has set handle_bad_irq() (RCU keeps the
 * memory), which acks the APIC; the event is gone with the descriptor.
 */
static void growth_frees_descriptor_under_late_interrupt_test(void **state)
{
	int irq0, vector;

	(void)state;
	harness_load(&h, VM("profile qemu-8.1\n") LATE "nic0: raise 0\n");
	irq0 = harness_irq(&h, 0, 0);
	vector = harness_apicd(&h, irq0)->vector;
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	harness_fire(&h, "cpu1");
	harness_expect_event(&h, 0, "common_interrupt", "irq");
	HARNESS_FIRE_UNTIL(&h, "vcpu0", !harness_desc(&h, irq0)->allocated);
	assert_true(apic_vector_test(harness_apic(&h)->cpu[1].lapic.isr,
				     vector));
	harness_fire(&h, "cpu1");
	harness_expect_event(&h, 0, "handle_bad_irq", "was freed");
	assert_false(apic_vector_test(harness_apic(&h)->cpu[1].lapic.isr,
				      vector));
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	harness_done(&h);
}

static void setirqs_error_stop_policy_test(void **state)
{
	(void)state;
	/* request_irq() of vector 1 fails (the 2nd of the run) */
	harness_load(&h, VM("profile qemu-8.2\nset fail_request_irq=2\n")
				 LATE "vcpu0: guest_msix_mask nic0 0\n");
	assert_int_equal(harness_run(&h, NULL), CHECK_NO_PATH);
	assert_false(h.w->guest_stopped);
	assert_int_equal(h.w->setirqs_failed_reported, 1);
	harness_done(&h);

	harness_load(&h, VM("profile qemu-8.2 vmm-stop\n"
			    "set fail_request_irq=2\n")
				 LATE "vcpu0: guest_msix_mask nic0 0\n");
	HARNESS_FIRE_UNTIL(&h, "vcpu0", h.w->guest_stopped);
	assert_int_equal(h.w->stop_vec, 1);
	assert_int_equal(h.w->stop_ret, -ENOMEM);
	/* the vCPU finishes the trapped write, then runs no guest code */
	HARNESS_FIRE_UNTIL(&h, "vcpu0",
			   !harness_sched(&h)->actor[harness_actor(&h, "vcpu0")]
				    .nframes);
	assert_false(harness_enabled(&h, "vcpu0"));
	assert_int_equal(harness_run(&h, NULL), CHECK_GUEST_STOPPED);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(growth_noresize_tears_down_live_vector_test),
		cmocka_unit_test(growth_dynamic_leaves_live_vector_alone_test),
		cmocka_unit_test(growth_noresize_kernel_forces_disable_test),
		cmocka_unit_test(msix_enable_vector0_vs_nofd_test),
		cmocka_unit_test(msix_enable_scans_unmasked_vectors_test),
		cmocka_unit_test(growth_event_in_window_goes_to_intx_test),
		cmocka_unit_test(growth_frees_descriptor_under_late_interrupt_test),
		cmocka_unit_test(setirqs_error_stop_policy_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
