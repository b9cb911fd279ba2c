// SPDX-License-Identifier: MIT
/*
 * Plain MSI through VFIO (VFIO_PCI_MSI_IRQ_INDEX) as QEMU drives it
 * (src/vmm/qemu_msi.c, src/vfio/vfio.c): QEMU 10.x hw/vfio/pci.c
 * vfio_msi_enable(), vfio_msi_disable(), vfio_update_msi() and the MSI
 * branch of vfio_pci_write_config(); hw/pci/msi.c msi_write_config() and
 * msi_notify(); Linux v6.18 drivers/vfio/pci/vfio_pci_intrs.c
 * vfio_pci_set_msi_trigger() with msix false, and vfio_pci_config.c's
 * MSI permissions.
 *
 * The expected values are theirs: the guest's MSI enable becomes one
 * SET_IRQS on the MSI index with the KVM eventfd (the kernel:
 * pci_alloc_irq_vectors(PCI_IRQ_MSI) and request_irq()); a mask or unmask
 * is a write the kernel passes to the device (NO_VIRT, ALL_WRITE) and no
 * SET_IRQS at all, so the host's irq keeps its action and vector and the
 * device holds a raise in its pending bit; MSI disable is SET_IRQS with
 * count 0 (pci_msi_shutdown() leaves the vector unmasked), then INTx.
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
	"device nic0 " dev " behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"actor qemu cpu=0\n"					\
	"main-loop cpu=0\n"
#define ENABLED "setup vcpu0: guest_msi_enable nic0 0\n"
#define UNMASKED ENABLED "setup vcpu0: guest_msi_unmask nic0\n"

static struct harness h;

static struct vfio_pci_core_device *vdev(void)
{
	return &harness_vfio(&h)->vdev[0];
}

static struct eventfd_ctx *efd(int e)
{
	return &harness_vfio(&h)->efd[e];
}

static bool device_masked(void)
{
	return msix_entry_masked(harness_pdev(&h, 0), 0);
}

static bool qemu_copy_masked(void)
{
	return h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
	       PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

static void assert_refs_balanced(void)
{
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++)
		assert_int_equal(efd(e)->refs,
				 vfio_expected_eventfd_refs(harness_vfio(&h),
							    e));
}

static void msi_enable_is_one_set_irqs_test(void **state)
{
	int irq;

	(void)state;
	harness_load(&h, VM("msi=maskable") ENABLED);
	irq = harness_irq(&h, 0, 0);
	/* the kernel: MSI index, pci_alloc_irq_vectors(PCI_IRQ_MSI) */
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSI_IRQ_INDEX);
	assert_true(harness_pdev(&h, 0)->msix_enabled);
	assert_true(irq > 0);
	assert_int_equal(vdev()->ctx[0].trigger, qemu_kvm_efd(0, 0));
	assert_true(harness_desc(&h, irq)->action_fn >= 0);
	/* QEMU: a KVM route from the guest's message, its irqfd */
	assert_true(h.w->qdev[0].msi_enabled);
	assert_int_equal(h.w->qdev[0].v[0].virq, 0);
	assert_true(h.w->route[0].valid);
	assert_int_equal(h.w->route[0].vcpu, 0);
	assert_int_equal(efd(qemu_kvm_efd(0, 0))->irqfd, 0);
	/*
	 * The guest masked the vector before the enable (its write went to
	 * the device); the host's msi_capability_init() and request_irq()'s
	 * irq_startup() wrote the mask register from their own cache since:
	 * the device is unmasked while QEMU's copy says masked.
	 */
	assert_true(qemu_copy_masked());
	assert_false(device_masked());
	assert_refs_balanced();
	harness_done(&h);
}

static void msi_mask_is_a_device_write_test(void **state)
{
	int irq, ioctls, cpu1;

	(void)state;
	harness_load(&h, VM("msi=maskable") UNMASKED
		     "vcpu0: guest_msi_mask nic0\n"
		     "vcpu0: guest_msi_unmask nic0\n"
		     "nic0: raise 0\n");
	irq = harness_irq(&h, 0, 0);
	cpu1 = harness_actor(&h, "cpu1");
	assert_false(device_masked());
	/* the mask: a write of the device's mask bit, no ioctl */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", device_masked());
	HARNESS_FIRE_UNTIL(&h, "vcpu0", !h.w->vcpu[0].in_host);
	assert_true(qemu_copy_masked());
	ioctls = harness_count_events(&h, "vfio_pci_ioctl_set_irqs", NULL);
	assert_int_equal(ioctls, 0);
	assert_int_equal(harness_count_events(&h, "__free_irq", NULL), 0);
	assert_true(harness_desc(&h, irq)->action_fn >= 0);
	assert_int_equal(
		harness_slot(&h, harness_apicd(&h, irq)->cpu,
			     harness_apicd(&h, irq)->vector),
		irq);
	assert_true(h.w->route[0].valid);
	/* a raise while masked: the device's pending bit, no message */
	harness_fire(&h, "nic0");
	assert_true(harness_pdev(&h, 0)->pba & 1);
	assert_int_equal(harness_pdev(&h, 0)->sent[0], 0);
	assert_false(harness_enabled(&h, "dev0:pba"));
	/* the unmask: the device sends it, the host hands it to KVM */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", !device_masked());
	assert_true(harness_enabled(&h, "dev0:pba"));
	harness_fire(&h, "dev0:pba");
	assert_int_equal(harness_pdev(&h, 0)->sent[0], 1);
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", !harness_sched(&h)->actor[cpu1].nframes);
	assert_true(h.w->vcpu[0].virr & 1);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->guest.handled, 1);
	assert_int_equal(harness_count_events(&h, "vfio_pci_ioctl_set_irqs",
					      NULL),
			 0);
	harness_done(&h);
}

static void msi_disable_then_intx_test(void **state)
{
	int irq, msi_off, intx_on;

	(void)state;
	harness_load(&h, VM("msi=maskable intx=pci23") UNMASKED
		     "vcpu0: guest_msi_disable nic0\n");
	irq = harness_irq(&h, 0, 0);
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	/* vfio_msi_disable(): the MSI index off, then vfio_intx_enable() */
	msi_off = harness_expect_event(&h, 0, "vfio_msi_disable",
				       "MSI disabled");
	intx_on = harness_expect_event(&h, msi_off, "vfio_intx_enable",
				       "irq_type = INTx");
	assert_true(msi_off < intx_on);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_INTX_IRQ_INDEX);
	assert_false(harness_pdev(&h, 0)->msix_enabled);
	assert_int_equal(harness_irq(&h, 0, 0), 0);
	assert_false(harness_desc(&h, irq)->allocated);
	/* pci_msi_shutdown(): "Return the device with MSI unmasked" */
	assert_false(device_masked());
	assert_false(h.w->qdev[0].msi_enabled);
	assert_false(h.w->route[0].valid);
	assert_int_equal(efd(qemu_kvm_efd(0, 0))->irqfd, -1);
	assert_true(h.w->qdev[0].intx.enabled);
	assert_refs_balanced();
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

static void msi_enable_takes_intx_down_first_test(void **state)
{
	int intx_off, msi_on;

	(void)state;
	harness_load(&h, VM("msi=nomask intx=pci23")
		     "setup vcpu0: qemu_vfio_intx_enable nic0\n"
		     "vcpu0: guest_msi_enable nic0 0\n");
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	intx_off = harness_expect_event(&h, 0, "vfio_intx_disable",
					"dev0 INTx off");
	msi_on = harness_expect_event(&h, 0, "vfio_msi_enable",
				      "MSI enabled");
	assert_true(intx_off < msi_on);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSI_IRQ_INDEX);
	assert_false(h.w->qdev[0].intx.enabled);
	/* no mask bit: no mask write before the enable */
	assert_int_equal(harness_count_events(&h, "vfio_pci_write_config",
					      NULL),
			 0);
	assert_refs_balanced();
	harness_done(&h);
}

/* VFIO_DEVICE_SET_IRQS by hand, from the qemu task. */
static int set_irqs(int index, int flags, int start, int count, int fd)
{
	return harness_call_now(&h, "qemu", fn_vfio_pci_ioctl_set_irqs, 0,
				vfio_set_irqs_arg_flags(index, flags),
				vfio_set_irqs_arg_range(start, count), fd);
}

#define TRIGGER_FD (VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD)

static void msi_set_irqs_index_checks_test(void **state)
{
	(void)state;
	/* vfio_pci_get_irq_count(): the index of the capability it has */
	harness_load(&h, VM("msix=2"));
	assert_int_equal(set_irqs(VFIO_PCI_MSI_IRQ_INDEX, TRIGGER_FD, 0, 1,
				  qemu_kvm_efd(0, 0)),
			 -EINVAL);
	/* refused by vfio_set_irqs_validate_and_prepare(): count 0 */
	harness_expect_event(&h, 0, "vfio_pci_ioctl_set_irqs", ": -EINVAL");
	harness_done(&h);
	harness_load(&h, VM("msi=maskable"));
	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, TRIGGER_FD, 0, 1,
				  qemu_kvm_efd(0, 0)),
			 -EINVAL);
	harness_expect_event(&h, 0, "vfio_pci_ioctl_set_irqs", ": -EINVAL");
	assert_int_equal(set_irqs(VFIO_PCI_MSI_IRQ_INDEX, TRIGGER_FD, 0, 2,
				  qemu_kvm_efd(0, 0)),
			 -EINVAL);
	/* MASK and UNMASK have no MSI handler: "Need masking support" */
	assert_int_equal(set_irqs(VFIO_PCI_MSI_IRQ_INDEX,
				  VFIO_IRQ_SET_ACTION_MASK |
					  VFIO_IRQ_SET_DATA_NONE,
				  0, 1, 0),
			 -ENOTTY);
	assert_int_equal(set_irqs(VFIO_PCI_MSI_IRQ_INDEX, TRIGGER_FD, 0, 1,
				  qemu_kvm_efd(0, 0)),
			 0);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSI_IRQ_INDEX);
	harness_done(&h);
}

static void msi_ops_need_an_msi_capability_test(void **state)
{
	struct scenario s;
	char err[SCENARIO_ERR];

	(void)state;
	scenario_init();
	memset(&s, 0, sizeof(s));
	assert_int_equal(scenario_parse(&s, "t.trace",
					VM("msix=1")
					"vcpu0: guest_msi_enable nic0 0\n",
					err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "t.trace:7: "));
	assert_non_null(strstr(err, "has no MSI capability"));
	scenario_free(&s);
	memset(&s, 0, sizeof(s));
	assert_int_equal(scenario_parse(&s, "t.trace",
					VM("msi=nomask")
					"vcpu0: guest_msi_mask nic0\n",
					err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "t.trace:7: "));
	assert_non_null(strstr(err, "no per-vector masking"));
	scenario_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msi_enable_is_one_set_irqs_test),
		cmocka_unit_test(msi_mask_is_a_device_write_test),
		cmocka_unit_test(msi_disable_then_intx_test),
		cmocka_unit_test(msi_enable_takes_intx_down_first_test),
		cmocka_unit_test(msi_set_irqs_index_checks_test),
		cmocka_unit_test(msi_ops_need_an_msi_capability_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
