// SPDX-License-Identifier: MIT
/*
 * KVM's deferred irqfd injection (virt/kvm/eventfd.c, arch/x86/kvm/irq.c,
 * Linux v6.18): irqfd_wakeup() injects an MSI route in the wakeup when
 * kvm_arch_set_irq_inatomic() can (kvm_irq_delivery_to_apic_fast()
 * resolves the destination); otherwise -EWOULDBLOCK, and
 * schedule_work(&irqfd->inject) runs irqfd_inject() later:
 * kvm_set_irq(kvm, KVM_USERSPACE_IRQ_SOURCE_ID, irqfd->gsi, 1, false)
 * through the route KVM has at that time. kvm_irqfd_deassign() flushes
 * irqfd_shutdown(), which flushes the inject work. The knob
 * kvm_msi_fast_path=off stands for a guest that aliased its APIC IDs:
 * kvm_recalculate_apic_map() leaves no optimized map, so the fast path
 * fails, and inhibits APICv (APICV_INHIBIT_REASON_PHYSICAL_ID_ALIASED),
 * so nothing is posted.
 *
 * The expected values are the kernel's: with the work queued, the guest
 * sees nothing until the worker runs; the worker uses the route of that
 * moment; a mask QEMU handled in between does not stop it (QEMU left the
 * route in place, hw/vfio/pci.c vfio_msix_vector_release()), which is
 * masked-delivery.
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

#define VM(extra)							\
	"cpus 2\n"							\
	"vcpus 2\n"							\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"		\
	"actor vcpu0 vcpu=0 cpu=0\n"					\
	"actor vcpu1 vcpu=1 cpu=1\n"					\
	"main-loop cpu=0\n"						\
	extra								\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 0\n"
#define SLOW "set kvm_msi_fast_path=off\n"

static struct harness h;

/* The device raises vector 0 and the host's vfio_msihandler() runs. */
static void raise_and_handle_on_host(void)
{
	int cpu1 = harness_actor(&h, "cpu1");

	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", !harness_sched(&h)->actor[cpu1].nframes);
	assert_int_equal(harness_pdev(&h, 0)->sent[0], 1);
}

static void irqfd_inject_runs_later_test(void **state)
{
	(void)state;
	harness_load(&h, VM(SLOW) "nic0: raise 0\n");
	raise_and_handle_on_host();
	/* -EWOULDBLOCK: the wakeup only queued the work */
	assert_int_equal(h.w->vcpu[0].virr, 0);
	assert_int_equal(h.w->irqfd_inject, 1u << 0);
	harness_expect_event(&h, 0, "irqfd_wakeup", "-EWOULDBLOCK");
	assert_true(harness_enabled(&h, "gsi0:inject"));
	assert_false(harness_enabled(&h, "vcpu0:virq"));
	harness_fire(&h, "gsi0:inject");
	assert_int_equal(h.w->irqfd_inject, 0);
	assert_true(h.w->vcpu[0].virr & 1);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->guest.handled, 1);
	harness_done(&h);
}

static void irqfd_inject_fast_path_in_wakeup_test(void **state)
{
	(void)state;
	harness_load(&h, VM("") "nic0: raise 0\n");
	raise_and_handle_on_host();
	assert_true(h.w->vcpu[0].virr & 1);
	assert_int_equal(h.w->irqfd_inject, 0);
	harness_done(&h);
}

static void irqfd_inject_uses_route_of_its_time_test(void **state)
{
	(void)state;
	harness_load(&h, VM(SLOW) "nic0: raise 0\n"
				  "vcpu0: guest_set_affinity nic0 0 1\n");
	raise_and_handle_on_host();
	/* the guest moves the vector to vCPU 1 before the worker runs */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_int_equal(h.w->route[0].vcpu, 1);
	harness_fire(&h, "gsi0:inject");
	assert_int_equal(h.w->vcpu[0].virr, 0);
	assert_true(h.w->vcpu[1].virr & 1);
	harness_done(&h);
}

static void irqfd_inject_into_masked_vector_test(void **state)
{
	int kind;

	(void)state;
	harness_load(&h, VM(SLOW) "nic0: raise 0\n"
				  "vcpu0: guest_msix_mask nic0 0\n");
	raise_and_handle_on_host();
	/* the guest masks; QEMU's release moves the host trigger */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_true(h.w->qdev[0].v[0].released);
	assert_int_equal(harness_vfio(&h)->vdev[0].ctx[0].trigger,
			 qemu_interrupt_efd(0, 0));
	/* the route QEMU left in place delivers the queued injection */
	assert_true(h.w->route[0].valid);
	kind = harness_fire(&h, "gsi0:inject");
	assert_int_equal(kind, CHECK_MASKED_DELIVERY);
	assert_true(h.w->vcpu[0].virr & 1);
	harness_done(&h);
}

static void irqfd_deassign_flushes_inject_test(void **state)
{
	(void)state;
	harness_load(&h, VM(SLOW) "nic0: raise 0\n"
				  "vcpu0: guest_msix_disable nic0\n");
	raise_and_handle_on_host();
	assert_int_equal(h.w->irqfd_inject, 1u << 0);
	/*
	 * vfio_msix_disable() -> vfio_remove_kvm_msi_virq(): KVM_IRQFD
	 * deassign returns after the queued injection ran, through the
	 * route that was still there
	 */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_int_equal(h.w->irqfd_inject, 0);
	assert_true(h.w->vcpu[0].virr & 1);
	assert_false(h.w->route[0].valid);
	harness_expect_event(&h, 0, "irqfd_inject", NULL);
	harness_done(&h);
}

static void slow_path_posts_nothing_test(void **state)
{
	int irq;

	(void)state;
	harness_load(&h, VM("set posted_intr=on\n" SLOW));
	irq = harness_irq(&h, 0, 0);
	/* an APIC map the fast path cannot use inhibits APICv */
	assert_false(harness_msi(&h)->irte[irq].posted);
	harness_done(&h);
	harness_load(&h, VM("set posted_intr=on\n"));
	irq = harness_irq(&h, 0, 0);
	assert_true(harness_msi(&h)->irte[irq].posted);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(irqfd_inject_runs_later_test),
		cmocka_unit_test(irqfd_inject_fast_path_in_wakeup_test),
		cmocka_unit_test(irqfd_inject_uses_route_of_its_time_test),
		cmocka_unit_test(irqfd_inject_into_masked_vector_test),
		cmocka_unit_test(irqfd_deassign_flushes_inject_test),
		cmocka_unit_test(slow_path_posts_nothing_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
