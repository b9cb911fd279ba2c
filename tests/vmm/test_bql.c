// SPDX-License-Identifier: MIT
/*
 * QEMU's big lock (BQL, VMM_LOCK_BQL) around the MSI-X emulation.
 * kvm_cpu_exec() (accel/kvm/kvm-all.c) dispatches an MMIO exit with
 * address_space_rw() outside the BQL; prepare_mmio_access()
 * (system/physmem.c) takes it for every region without lockless_io, the
 * "msix-table" region of msix_init() (hw/pci/msix.c) included, and drops
 * it when the handler returns. os_host_main_loop_wait() (util/main-loop.c)
 * holds it while glib_pollfds_poll() runs the fd handlers
 * (vfio_msi_interrupt). So a second vCPU's trapped MSI-X write, and the
 * main loop's eventfd handler, wait while one vCPU thread is in QEMU's
 * handler.
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

#define VM							\
	"cpus 2\n"						\
	"vcpus 2\n"						\
	"device nic0 msix=2 behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"actor vcpu1 vcpu=1 cpu=1\n"				\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 2 0\n"

static struct harness h;

static bool entry_bit_masked(int vec)
{
	return h.w->qdev[0].v[vec].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
	       PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

static bool blocked(const char *actor)
{
	return harness_sched(&h)->actor[harness_actor(&h, actor)].blocked;
}

/* The second vCPU's trap exits, then waits for the first one's handler. */
static void second_vcpu_waits_for_bql_test(void **state)
{
	int vcpu0, vcpu1;

	(void)state;
	harness_load(&h, VM "vcpu0: guest_msix_mask nic0 0\n"
			    "vcpu1: guest_msix_mask nic0 1\n");
	vcpu0 = harness_actor(&h, "vcpu0");
	vcpu1 = harness_actor(&h, "vcpu1");

	/* vcpu0: the write traps, its handler stores the dword, BQL held */
	harness_fire(&h, "vcpu0");
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), vcpu0);
	assert_true(entry_bit_masked(0));
	assert_true(h.w->vcpu[0].in_host);

	/* vcpu1 exits to QEMU and blocks in bql_lock(): nothing stored */
	harness_fire(&h, "vcpu1");
	assert_true(blocked("vcpu1"));
	assert_true(h.w->vcpu[1].in_host);
	assert_false(entry_bit_masked(1));
	assert_false(harness_enabled(&h, "vcpu1"));
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), vcpu0);

	/* vcpu0's handler (vfio_msix_vector_release, a SET_IRQS) returns */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", !h.w->vcpu[0].in_host);
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), -1);
	assert_true(h.w->qdev[0].v[0].released);
	assert_true(harness_enabled(&h, "vcpu1"));

	/* now vcpu1's handler runs, under the BQL */
	harness_fire(&h, "vcpu1");
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), vcpu1);
	assert_true(entry_bit_masked(1));
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), -1);
	harness_done(&h);
}

/*
 * The main loop's vfio_msi_interrupt() waits while a vCPU is in QEMU's
 * MSI-X handler: its poll returned with the eventfd ready, the handler
 * runs after bql_lock().
 */
static void main_loop_waits_for_bql_test(void **state)
{
	int efd = qemu_interrupt_efd(0, 0);
	char name[32];

	(void)state;
	harness_load(&h, VM "vcpu0: guest_msix_mask nic0 0\n"
			    "vcpu0: guest_msix_unmask nic0 0\n"
			    "nic0: raise 0\n");
	/* masked: the host trigger is QEMU's eventfd */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", h.w->qdev[0].v[0].released &&
				 !h.w->vcpu[0].in_host);
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1",
			   !harness_sched(&h)->actor[harness_actor(&h, "cpu1")]
				    .nframes);
	assert_int_equal(h.w->vfio.efd[efd].count, 1);

	/* vcpu0's unmask traps and holds the BQL */
	harness_fire(&h, "vcpu0");
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL),
			 harness_actor(&h, "vcpu0"));

	snprintf(name, sizeof(name), "main:efd%d", efd);
	harness_fire(&h, name);
	assert_true(blocked("main"));
	/* event_notifier_test_and_clear() has not run */
	assert_int_equal(h.w->vfio.efd[efd].count, 1);
	assert_int_equal(harness_count_events(&h, "vfio_msi_interrupt", NULL),
			 0);

	HARNESS_FIRE_UNTIL(&h, "vcpu0", !h.w->vcpu[0].in_host);
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), -1);
	assert_false(blocked("main"));
	harness_fire(&h, "main");
	assert_int_equal(h.w->vfio.efd[efd].count, 0);
	assert_int_equal(harness_count_events(&h, "vfio_msi_interrupt", NULL),
			 1);
	assert_int_equal(harness_lock_owner(&h, VMM_LOCK_BQL), -1);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(second_vcpu_waits_for_bql_test),
		cmocka_unit_test(main_loop_waits_for_bql_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
