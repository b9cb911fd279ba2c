// SPDX-License-Identifier: MIT
/*
 * vmm_setirqs_error=stop (profile vmm-stop): QEMU stops the VM when a
 * VFIO_DEVICE_SET_IRQS fails for a vector the guest unmasked, the
 * well-defined outcome of seeds/002 (tglx's #1: the guest's unmask traps
 * after the guest passed all its failure points). A failure on the mask
 * side, vfio_msix_vector_release() pointing the trigger at QEMU's own
 * eventfd, is only reported: the guest waits for nothing there. And
 * tglx's workaround injects after a bare trigger switch too.
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
	"vcpus 1\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"profile vmm-stop\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 0\n"		\
	"vcpu0: guest_msix_mask nic0 0\n"			\
	"vcpu0: guest_msix_unmask nic0 0\n"

static struct harness h;

/* Request 2 is the release's request_irq(): the mask side fails. */
static void stop_not_on_mask_side_test(void **state)
{
	(void)state;
	harness_load(&h, "cpus 2\nset fail_request_irq=2\n" VM);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_false(h.w->guest_stopped);
	/* reported, and the unmask's own SET_IRQS set a trigger again */
	assert_int_equal(h.w->setirqs_failed_reported, 1);
	assert_int_equal(harness_vfio(&h)->vdev[0].ctx[0].trigger,
			 qemu_kvm_efd(0, 0));
	harness_done(&h);
}

/* Request 3 is the unmask's: the guest's request_irq() returned 0. */
static void stop_on_unmask_side_test(void **state)
{
	(void)state;
	harness_load(&h, "cpus 2\nset fail_request_irq=3\n" VM);
	assert_int_equal(harness_run(&h, NULL), CHECK_GUEST_STOPPED);
	assert_true(h.w->guest_stopped);
	assert_int_equal(h.w->stop_dev, 0);
	assert_int_equal(h.w->stop_vec, 0);
	assert_int_equal(h.w->stop_ret, -ENOMEM);
	harness_done(&h);
}

/*
 * tglx's workaround (vmm_reinject=on) follows a bare trigger switch too:
 * the trace's own vfio_set_irqs injects the vector after it returns,
 * as QEMU's vector use and release paths do.
 */
static void bare_switch_reinjects_with_workaround_test(void **state)
{
#define BARE_SWITCH						\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 0\n"		\
	"vcpu0: vfio_set_irqs nic0 0 qemu\n"

	(void)state;
	harness_load(&h, BARE_SWITCH);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->qdev[0].v[0].reinjected, 0);
	assert_int_equal(harness_count_events(&h, "vmm_reinject", NULL), 0);
	harness_done(&h);

	harness_load(&h, BARE_SWITCH "profile tglx-reinject\n");
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	/* injected after the switch, and the guest took it (benign) */
	assert_int_equal(harness_count_events(&h, "vmm_reinject", NULL), 1);
	assert_int_equal(h.w->guest.spurious_benign, 1);
	harness_done(&h);
#undef BARE_SWITCH
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stop_not_on_mask_side_test),
		cmocka_unit_test(stop_on_unmask_side_test),
		cmocka_unit_test(bare_switch_reinjects_with_workaround_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
