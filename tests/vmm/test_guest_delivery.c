// SPDX-License-Identifier: MIT
/*
 * From the host handler to the guest driver (src/vmm): vfio_msihandler()
 * signals the trigger eventfd; KVM's irqfd_wakeup() (virt/kvm/eventfd.c)
 * injects through the MSI route synchronously, inside eventfd_signal();
 * the guest driver's handler reads the device status, which is the ack a
 * wait-for-ack device needs before its next MSI. A guest affinity change
 * (irqbalance) masks, rewrites and unmasks the entry; QEMU updates the
 * KVM route on the unmask (vfio_msix_vector_do_use).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define VM(vcpus, threads)					\
	"cpus 2\n"						\
	"vcpus " #vcpus "\n"					\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	threads							\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 0\n"
#define ONE_VCPU VM(1, "actor vcpu0 vcpu=0 cpu=0\n")
#define TWO_VCPUS VM(2, "actor vcpu0 vcpu=0 cpu=0\nactor vcpu1 vcpu=1 cpu=0\n")

#define KVM_EFD 1	/* qemu_kvm_efd(0, 0) */

static struct harness h;

static bool actor_idle(const char *name)
{
	return !harness_sched(&h)->actor[harness_actor(&h, name)].nframes;
}

/* Device MSI -> cpu1 -> vfio_msihandler() -> irqfd -> vCPU's vIRR. */
static void deliver_to_guest(void)
{
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", actor_idle("cpu1"));
}

static void kvm_irqfd_delivers_to_vcpu_test(void **state)
{
	struct vmm_world *w;
	struct pci_dev *pdev;

	(void)state;
	harness_load(&h, ONE_VCPU "nic0: raise 0\n");
	w = h.w;
	pdev = harness_pdev(&h, 0);
	deliver_to_guest();
	/*
	 * irqfd_wakeup() ran inside eventfd_signal(): the counter is
	 * consumed and the guest vector is pending on vcpu0 (vIRR bit of
	 * device 0 vector 0). QEMU's main loop has nothing to read.
	 */
	assert_int_equal(harness_vfio(&h)->efd[KVM_EFD].signals, 1);
	assert_int_equal(harness_vfio(&h)->efd[KVM_EFD].count, 0);
	assert_int_equal(w->vcpu[0].virr, 1u << 0);
	assert_false(harness_enabled(&h, "main:efd1"));
	assert_int_equal(harness_desc(&h, harness_irq(&h, 0, 0))->irq_count, 1);
	/* vfio_msihandler() does not touch the device: still unacked. */
	assert_true(pdev->status & 1);
	assert_true(pdev->wait_ack & 1);

	harness_fire(&h, "vcpu0:virq");
	assert_int_equal(w->vcpu[0].virr, 0);
	HARNESS_FIRE_UNTIL(&h, "guest0", actor_idle("guest0"));
	assert_int_equal(w->guest.handled, 1);
	assert_int_equal(pdev->consumed[0], 1);
	assert_false(pdev->status & 1);
	assert_false(pdev->wait_ack & 1);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

static void guest_handler_ack_lets_device_raise_again_test(void **state)
{
	struct pci_dev *pdev;

	(void)state;
	harness_load(&h, ONE_VCPU "nic0: raise 0\nnic0: raise 0\n"
				  "nic0: raise 0\n");
	pdev = harness_pdev(&h, 0);
	deliver_to_guest();
	/* Before the guest read the status, a new event sends nothing. */
	harness_fire(&h, "nic0");
	assert_int_equal(pdev->raised[0], 2);
	assert_int_equal(pdev->sent[0], 1);
	harness_fire(&h, "vcpu0:virq");
	HARNESS_FIRE_UNTIL(&h, "guest0", actor_idle("guest0"));
	/* After the ack the next event is an MSI again, and handled. */
	deliver_to_guest();
	assert_int_equal(pdev->sent[0], 2);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->guest.handled, 2);
	assert_int_equal(h.w->guest.spurious, 0);
	harness_done(&h);
}

static void guest_interrupt_with_nothing_pending_is_spurious_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_load(&h, ONE_VCPU);
	/* A loopback trigger (SET_IRQS DATA_NONE) with no device event. */
	assert_int_equal(harness_call_now(&h, "vcpu0", fn_vfio_pci_ioctl_set_irqs,
					  0,
					  vfio_set_irqs_arg_flags(
						  VFIO_PCI_MSIX_IRQ_INDEX,
						  VFIO_IRQ_SET_ACTION_TRIGGER |
							  VFIO_IRQ_SET_DATA_NONE),
					  vfio_set_irqs_arg_range(0, 1), -1),
			 0);
	assert_int_equal(h.w->vcpu[0].virr, 1u << 0);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	/* No VMM re-inject to blame: a plain spurious interrupt. */
	assert_int_equal(h.w->guest.spurious, 1);
	assert_int_equal(h.w->guest.spurious_benign, 0);
	assert_int_equal(harness_pdev(&h, 0)->empty_reads[0], 1);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	harness_done(&h);
}

static void kvm_irqfd_without_route_drops_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_load(&h, ONE_VCPU "nic0: raise 0\n");
	/* The GSI's route is gone (kvm_irqchip_release_virq). */
	h.w->route[0].valid = 0;
	deliver_to_guest();
	assert_int_equal(h.w->guest.lost_no_route, 1);
	assert_int_equal(h.w->vcpu[0].virr, 0);
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	assert_int_equal(harness_check_end(&h, &v), CHECK_LOST_INTERRUPT);
	assert_non_null(strstr(v.what, "dev0 vector 0"));
	harness_done(&h);
}

static void guest_affinity_change_reroutes_to_new_vcpu_test(void **state)
{
	struct vmm_world *w;
	uint32_t lo;
	int requests;

	(void)state;
	harness_load(&h, TWO_VCPUS "vcpu0: guest_set_affinity nic0 0 1\n"
				   "nic0: raise 0\n");
	w = h.w;
	requests = harness_irqw(&h)->stats.requests;
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	/*
	 * mask, address_lo, address_hi, data, unmask: only the two mask
	 * changes call QEMU's vector notifiers, each a SET_IRQS (on the
	 * host, a free_irq() + request_irq()).
	 */
	assert_int_equal(harness_count_events(&h, "msix_table_mmio_write",
					      NULL),
			 5);
	assert_int_equal(harness_count_events(&h, "vfio_pci_ioctl_set_irqs",
					      "returns 0"),
			 2);
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 2);
	lo = w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_LOWER_ADDR];
	assert_int_equal((lo >> MSI_ADDR_DEST_SHIFT) & 0xff, 1);
	/* vfio_msix_vector_do_use(): the route follows the new message. */
	assert_int_equal(w->route[0].vcpu, 1);
	assert_int_equal(harness_vfio(&h)->vdev[0].ctx[0].trigger, KVM_EFD);

	deliver_to_guest();
	assert_int_equal(w->vcpu[1].virr, 1u << 0);
	assert_int_equal(w->vcpu[0].virr, 0);
	harness_fire(&h, "vcpu1:virq");
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(w->guest.handled, 1);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kvm_irqfd_delivers_to_vcpu_test),
		cmocka_unit_test(guest_handler_ack_lets_device_raise_again_test),
		cmocka_unit_test(guest_interrupt_with_nothing_pending_is_spurious_test),
		cmocka_unit_test(kvm_irqfd_without_route_drops_test),
		cmocka_unit_test(guest_affinity_change_reroutes_to_new_vcpu_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
