// SPDX-License-Identifier: MIT
/*
 * Host affinity changes of a VFIO-owned MSI-X irq (issue 6: any scenario
 * with host irqbalance mixed in). The irq QEMU's trigger swaps free and
 * request is an ordinary PCI-MSIX irq of the host: irq_set_affinity()
 * (kernel/irq/manage.c) records the move (IRQCHIP_MOVE_DEFERRED on x86
 * without interrupt remapping), the next interrupt's apic_ack_edge()
 * moves it (irq_move_irq -> msi_set_affinity -> apic_set_affinity), and
 * a SET_IRQS from QEMU meets the move in any of its states:
 * vfio_msi_set_vector_signal() -> free_irq() -> x86_vector_deactivate()
 * -> clear_irq_vector() (arch/x86/kernel/apic/vector.c, v6.18) clears a
 * prev_vector and takes the irq off the old CPU's cleanup list.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

/* seed-000's VM: nic0 on host cpu1, vector 0 on a KVM irqfd. */
#define VM								\
	"cpus 2\n"							\
	"vcpus 1\n"							\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"		\
	"actor qemu cpu=0\n"						\
	"actor vcpu0 vcpu=0 cpu=0\n"					\
	"actor irqbalance cpu=0\n"					\
	"main-loop cpu=0\n"						\
	"setup qemu: qemu_vfio_msix_enable nic0 1 0\n"			\
	"irqbalance: host_set_affinity nic0 0 0\n"			\
	"nic0: raise 0\n"						\
	"nic0: raise 0\n"

#define OLD_CPU 1
#define NEW_CPU 0
#define VEC FIRST_EXTERNAL_VECTOR
#define MSIX VFIO_PCI_MSIX_IRQ_INDEX
#define TRIGGER_EVENTFD (VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD)

static struct harness h;

static bool idle(const char *actor)
{
	return !harness_sched(&h)->actor[harness_actor(&h, actor)].nframes;
}

static int set_trigger(int fd)
{
	return harness_call_now(&h, "qemu", fn_vfio_pci_ioctl_set_irqs, 0,
				vfio_set_irqs_arg_flags(MSIX, TRIGGER_EVENTFD),
				vfio_set_irqs_arg_range(0, 1), fd);
}

/* The device's MSI reaches @cpu's IRR and that CPU handles it. */
static void msi_handled_on(int cpu)
{
	char line[16], ctx[8];

	snprintf(line, sizeof(line), "cpu%d:irq", cpu);
	snprintf(ctx, sizeof(ctx), "cpu%d", cpu);
	harness_fire(&h, "nic0");
	assert_int_equal(harness_irr_count(&h, cpu), 1);
	harness_fire(&h, line);
	HARNESS_FIRE_UNTIL(&h, ctx, idle(ctx));
}

static void host_move_of_vfio_irq_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq, signals;

	(void)state;
	harness_load(&h, VM);
	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	assert_int_equal(apicd->cpu, OLD_CPU);
	assert_int_equal(apicd->vector, VEC);
	signals = harness_vfio(&h)->efd[qemu_kvm_efd(0, 0)].signals;

	/* irq_set_affinity(): deferred, only the pending mask is stored */
	HARNESS_FIRE_UNTIL(&h, "irqbalance", harness_actor_done(&h, "irqbalance"));
	assert_true(harness_desc(&h, irq)->irqd & IRQD_SETAFFINITY_PENDING);
	assert_int_equal(apicd->cpu, OLD_CPU);

	/*
	 * The first MSI on CPU1: apic_ack_edge() -> irq_move_irq() moves
	 * the irq to CPU0 (new vector, CPU1's kept as prev_vector) and
	 * vfio_msihandler() signals the KVM irqfd as before.
	 */
	msi_handled_on(OLD_CPU);
	assert_false(harness_desc(&h, irq)->irqd & IRQD_SETAFFINITY_PENDING);
	assert_int_equal(apicd->cpu, NEW_CPU);
	assert_int_equal(apicd->vector, VEC);
	assert_int_equal(apicd->prev_cpu, OLD_CPU);
	assert_int_equal(apicd->prev_vector, VEC);
	assert_true(apicd->move_in_progress);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR),
			 MSI_ADDR_BASE_LO | NEW_CPU << MSI_ADDR_DEST_SHIFT);
	assert_int_equal(harness_vfio(&h)->efd[qemu_kvm_efd(0, 0)].signals,
			 signals + 1);
	harness_done(&h);
}

static void trigger_swap_after_host_move_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	harness_load(&h, VM);
	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	HARNESS_FIRE_UNTIL(&h, "irqbalance", harness_actor_done(&h, "irqbalance"));
	msi_handled_on(OLD_CPU);
	/* the guest reads the status: the device may fire again */
	for (int n = 0; harness_pdev(&h, 0)->wait_ack && n < 64; n++)
		harness_fire(&h, harness_enabled(&h, "vcpu0:virq") ?
					 "vcpu0:virq" :
					 "guest0");
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	/*
	 * The second MSI arrives on CPU0: __irq_complete_move() queues
	 * CPU1's old vector for cleanup and arms CPU1's timer.
	 */
	msi_handled_on(NEW_CPU);
	assert_false(apicd->move_in_progress);
	assert_true(apicd->cleanup_queued);
	assert_true(harness_enabled(&h, "cpu1:timer"));

	/*
	 * The guest masks the vector: QEMU moves the trigger to its own
	 * eventfd, free_irq() + request_irq(). clear_irq_vector() frees
	 * both vectors (slots SHUTDOWN) and dequeues the cleanup; the
	 * activation allocates on the affinity the move left (CPU0).
	 */
	assert_int_equal(set_trigger(qemu_interrupt_efd(0, 0)), 0);
	assert_int_equal(harness_vfio(&h)->vdev[0].ctx[0].trigger,
			 qemu_interrupt_efd(0, 0));
	assert_false(apicd->cleanup_queued);
	assert_int_equal(apicd->prev_vector, 0);
	assert_int_equal(apicd->cpu, NEW_CPU);
	assert_int_equal(apicd->vector, VEC);
	assert_int_equal(harness_slot(&h, NEW_CPU, VEC), irq);
	assert_int_equal(harness_slot(&h, OLD_CPU, VEC), VECTOR_SHUTDOWN);
	assert_int_equal(harness_apic(&h)->matrix.cpu[OLD_CPU].allocated, 0);
	assert_int_equal(harness_apic(&h)->matrix.cpu[NEW_CPU].allocated, 1);
	/* and back to the irqfd on unmask */
	assert_int_equal(set_trigger(qemu_kvm_efd(0, 0)), 0);
	assert_int_equal(apicd->cpu, NEW_CPU);
	assert_int_equal(harness_slot(&h, NEW_CPU, VEC), irq);

	/* CPU1's timer finds its list empty */
	harness_fire(&h, "cpu1:timer");
	HARNESS_FIRE_UNTIL(&h, "cpu1", idle("cpu1"));
	assert_int_equal(harness_count_events(&h, "free_moved_vector", NULL), 0);
	assert_int_equal(harness_apic(&h)->matrix.cpu[NEW_CPU].allocated, 1);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 1);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(host_move_of_vfio_irq_test),
		cmocka_unit_test(trigger_swap_after_host_move_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
