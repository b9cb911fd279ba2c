// SPDX-License-Identifier: MIT
/*
 * vfio_msi_set_vector_signal() in its three forms (update_devid knob:
 * mainline free_irq + request_irq; the 2019 series v4 3/3 as posted in
 * seeds/004; v5 3/3 with Alex Williamson's review fixes), irq bypass
 * pairing (virt/lib/irqbypass.c) and posted interrupts (KVM's
 * vmx_pi_update_irte, the IOMMU posting into the vCPU), against what the
 * patches and the review say each does. Every call goes through
 * VFIO_DEVICE_SET_IRQS, so a failure is also unwound by
 * vfio_msi_set_block(), which sets every vector from start up to and
 * including the failing one to fd -1.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define VM							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor qemu cpu=0\n"					\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"setup qemu: qemu_vfio_msix_enable nic0 1 0\n"

#define QEMU_EFD 0	/* qemu_interrupt_efd(0, 0) */
#define KVM_EFD 1	/* qemu_kvm_efd(0, 0) */
#define BAD_FD 127
#define TRIGGER_EVENTFD (VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD)

static struct harness h;

static int set_trigger(int fd)
{
	return harness_call_now(&h, "qemu", fn_vfio_pci_ioctl_set_irqs, 0,
				vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
							TRIGGER_EVENTFD),
				vfio_set_irqs_arg_range(0, 1), fd);
}

static void load(const char *profile_lines)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s%s", VM, profile_lines);
	harness_load(&h, buf);
}

static int trigger(void)
{
	return harness_vfio(&h)->vdev[0].ctx[0].trigger;
}

static int refs(int e)
{
	return harness_vfio(&h)->efd[e].refs;
}

static int expected_refs(int e)
{
	return vfio_expected_eventfd_refs(harness_vfio(&h), e);
}

static const struct irq_bypass_producer *producer(void)
{
	return irq_bypass_producer_of(harness_vfio(&h), 0, 0);
}

static const struct irte *irte(void)
{
	return &harness_msi(&h)->irte[harness_irq(&h, 0, 0)];
}

/* Setup: the producer (token = the KVM eventfd) paired with the irqfd. */
static void setup_pairs_producer_with_irqfd_test(void **state)
{
	(void)state;
	load("set posted_intr=on\n");
	assert_int_equal(trigger(), KVM_EFD);
	assert_non_null(producer());
	assert_int_equal(producer()->token, KVM_EFD);
	assert_int_equal(producer()->irq, harness_irq(&h, 0, 0));
	assert_int_equal(producer()->consumer, KVM_EFD);
	assert_int_equal(harness_vfio(&h)->bypass.cons[KVM_EFD].producer, 0);
	/* vmx_pi_update_irte(): KVM's route gsi 0 -> vcpu0, vector 0x40 */
	assert_true(irte()->posted);
	assert_int_equal(irte()->vcpu, h.w->route[0].vcpu);
	assert_int_equal(irte()->gvec, GUEST_VECTOR_BASE + h.w->route[0].idx);
	assert_int_equal(irte()->token, KVM_EFD);
	harness_done(&h);

	/* without posting the pairing exists, the IRTE stays remapped */
	load("");
	assert_int_equal(producer()->consumer, KVM_EFD);
	assert_false(irte()->posted);
	harness_done(&h);
}

/* A posted MSI reaches the guest with no host interrupt at all. */
static void posted_delivery_bypasses_host_test(void **state)
{
	(void)state;
	load("set posted_intr=on\nnic0: raise 0\n");
	harness_fire(&h, "nic0");
	assert_int_equal(harness_irr_count(&h, 1), 0);
	assert_int_equal(h.w->vcpu[0].virr, 1u << 0);
	assert_int_equal(h.w->pi.posted, 1);
	assert_int_equal(h.w->pi.stale, 0);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->guest.handled, 1);
	assert_int_equal(harness_desc(&h, harness_irq(&h, 0, 0))->irq_count,
			 0);
	harness_done(&h);
}

/* Mainline: unregister, free_irq (IRTE cleared), request, register. */
static void mainline_switch_frees_and_requests_test(void **state)
{
	int irq;

	(void)state;
	load("set posted_intr=on\n");
	irq = harness_irq(&h, 0, 0);
	assert_int_equal(set_trigger(QEMU_EFD), 0);
	assert_int_equal(trigger(), QEMU_EFD);
	assert_int_equal(producer()->token, QEMU_EFD);
	assert_int_equal(producer()->consumer, -1);
	assert_false(irte()->posted);
	assert_int_equal(harness_desc(&h, irq)->action_dev_id, QEMU_EFD);
	harness_expect_event(&h, 0, "__free_irq", NULL);
	harness_expect_event(&h, 0, "request_irq", "action published");
	assert_int_equal(harness_count_events(&h, "irq_update_devid", NULL),
			 0);
	/* back to the KVM eventfd: paired and posted again */
	assert_int_equal(set_trigger(KVM_EFD), 0);
	assert_true(irte()->posted);
	for (int e = 0; e < 2; e++)
		assert_int_equal(refs(e), expected_refs(e));
	harness_done(&h);
}

/*
 * v4: irq_update_devid() swaps in place, then the producer is
 * unregistered (the review's ordering question), the old reference put.
 */
static void v4_switch_updates_then_unregisters_test(void **state)
{
	int irq, update, unreg;

	(void)state;
	load("profile update-devid-v4\nset posted_intr=on\n");
	irq = harness_irq(&h, 0, 0);
	assert_int_equal(set_trigger(QEMU_EFD), 0);
	assert_int_equal(trigger(), QEMU_EFD);
	assert_int_equal(harness_desc(&h, irq)->action_dev_id, QEMU_EFD);
	assert_int_equal(harness_count_events(&h, "__free_irq", NULL), 0);
	assert_int_equal(harness_count_events(&h, "x86_vector_deactivate",
					      NULL),
			 0);
	update = harness_expect_event(&h, 0, "irq_update_devid", "-> 0");
	unreg = harness_expect_event(&h, 0, "intel_ir_set_vcpu_affinity",
				     "remapped");
	assert_true(update < unreg);
	assert_false(irte()->posted);
	assert_int_equal(producer()->token, QEMU_EFD);
	for (int e = 0; e < 2; e++)
		assert_int_equal(refs(e), expected_refs(e));
	harness_done(&h);
}

/* fixed: the producer is unregistered before the dev_id update. */
static void fixed_switch_unregisters_then_updates_test(void **state)
{
	int update, unreg;

	(void)state;
	load("profile update-devid-fixed\nset posted_intr=on\n");
	assert_int_equal(set_trigger(QEMU_EFD), 0);
	assert_int_equal(trigger(), QEMU_EFD);
	update = harness_expect_event(&h, 0, "irq_update_devid", "-> 0");
	unreg = harness_expect_event(&h, 0, "intel_ir_set_vcpu_affinity",
				     "remapped");
	assert_true(unreg < update);
	assert_int_equal(harness_count_events(&h, "__free_irq", NULL), 0);
	for (int e = 0; e < 2; e++)
		assert_int_equal(refs(e), expected_refs(e));
	harness_done(&h);
}

/*
 * Unchanged trigger: v4 leaks the fdget reference (the review), the fix
 * puts it; both bounce the producer so the IRTE is written again.
 */
static void unchanged_trigger_leak_test(void **state)
{
	int before;

	(void)state;
	load("profile update-devid-v4\nset posted_intr=on\n");
	before = refs(KVM_EFD);
	assert_int_equal(set_trigger(KVM_EFD), 0);
	assert_int_equal(refs(KVM_EFD), before + 1);
	assert_int_equal(expected_refs(KVM_EFD), before);
	assert_int_equal(harness_count_events(&h, "intel_ir_set_vcpu_affinity",
					      NULL),
			 2);
	assert_true(irte()->posted);
	assert_int_equal(harness_count_events(&h, "irq_update_devid", NULL),
			 0);
	harness_done(&h);

	load("profile update-devid-fixed\nset posted_intr=on\n");
	before = refs(KVM_EFD);
	assert_int_equal(set_trigger(KVM_EFD), 0);
	assert_int_equal(refs(KVM_EFD), before);
	assert_int_equal(harness_count_events(&h, "intel_ir_set_vcpu_affinity",
					      NULL),
			 2);
	assert_true(irte()->posted);
	harness_done(&h);
}

/*
 * A bad fd (Alex's first comment): mainline frees first and returns the
 * error with the vector disabled; the fix tears down, keeping the
 * mainline ABI; v4's vfio_msi_set_vector_signal() fails before touching
 * anything, but vfio_msi_set_block()'s unwind then sets the failing
 * vector to fd -1, so through the ioctl v4 disables it too.
 */
static void bad_fd_error_semantics_test(void **state)
{
	static const char *const profiles[] = {
		"", "profile update-devid-v4\n", "profile update-devid-fixed\n",
	};

	(void)state;
	for (int i = 0; i < 3; i++) {
		int irq;

		load(profiles[i]);
		irq = harness_irq(&h, 0, 0);
		assert_int_equal(set_trigger(BAD_FD), -EBADF);
		assert_int_equal(trigger(), -1);
		assert_true(harness_desc(&h, irq)->action_fn < 0);
		assert_null(producer());
		for (int e = 0; e < 2; e++)
			assert_int_equal(refs(e), expected_refs(e));
		harness_done(&h);
	}
}

/*
 * irq_update_devid() fails: v4's vfio_msi_set_vector_signal() returns
 * with the old path and the bypass kept (posted IRTE still for the KVM
 * pairing), and vfio_msi_set_block()'s unwind then tears it down (fd -1:
 * free_irq, which clears the IRTE, then the producer); the fix
 * unregistered first and tears the vector down itself. Either way the
 * ioctl returns with the vector disabled, Alex's "user ABI".
 */
static void update_failure_test(void **state)
{
	int irq;

	(void)state;
	load("profile update-devid-v4\nset posted_intr=on\n"
	     "set fail_update_devid=1\n");
	irq = harness_irq(&h, 0, 0);
	assert_int_equal(set_trigger(QEMU_EFD), -ENXIO);
	assert_int_equal(trigger(), -1);
	assert_true(harness_desc(&h, irq)->action_fn < 0);
	assert_false(irte()->posted);
	assert_null(producer());
	/* the irqfd's consumer stays registered, connected to nothing */
	assert_int_equal(harness_vfio(&h)->bypass.cons[KVM_EFD].producer, -1);
	for (int e = 0; e < 2; e++)
		assert_int_equal(refs(e), expected_refs(e));
	harness_done(&h);

	load("profile update-devid-fixed\nset posted_intr=on\n"
	     "set fail_update_devid=1\n");
	irq = harness_irq(&h, 0, 0);
	assert_int_equal(set_trigger(QEMU_EFD), -ENXIO);
	assert_int_equal(trigger(), -1);
	assert_true(harness_desc(&h, irq)->action_fn < 0);
	assert_false(irte()->posted);
	assert_null(producer());
	assert_int_equal(harness_vfio(&h)->stats.vectors_without_handler, 1);
	for (int e = 0; e < 2; e++)
		assert_int_equal(refs(e), expected_refs(e));
	harness_done(&h);
}

/*
 * v4, posted interrupts off: the release's irq_update_devid() fails and
 * vfio_msi_set_vector_signal() keeps the KVM eventfd, action and
 * producer; vfio_msi_set_block()'s unwind, whose j++ runs past the
 * failing vector before !ret is tested, calls it again with fd -1, and
 * v4's teardown branch frees the old action and puts the old trigger
 * before the ioctl returns. QEMU's unmask then finds no trigger and
 * requests the irq afresh: no unchanged-trigger leak. An unwind that
 * stops before the failing vector leaves the KVM eventfd in place, and
 * the unmask leaks a reference.
 */
static void v4_update_failure_unwound_by_set_block_test(void **state)
{
	int irq, failed, freed, put, published;

	(void)state;
	load("profile update-devid-v4\nset fail_update_devid=1\n");
	irq = harness_irq(&h, 0, 0);
	assert_int_equal(set_trigger(QEMU_EFD), -ENXIO);
	failed = harness_expect_event(&h, 0, "vfio_msi_set_vector_signal",
				      "old path and bypass kept");
	freed = harness_expect_event(&h, failed, "__free_irq",
				     "action unlinked");
	put = harness_expect_event(&h, freed, "vfio_msi_set_vector_signal",
				   "eventfd_ctx_put(efd1) (ctx freed)");
	harness_expect_event(&h, put, "vfio_pci_ioctl_set_irqs", "returns -6");
	assert_int_equal(trigger(), -1);
	assert_true(harness_desc(&h, irq)->action_fn < 0);
	assert_false(harness_desc(&h, irq)->irqd & IRQD_ACTIVATED);
	assert_null(producer());
	for (int e = 0; e < 2; e++)
		assert_int_equal(refs(e), expected_refs(e));

	/* the unmask: back to the KVM eventfd through request_irq() */
	assert_int_equal(set_trigger(KVM_EFD), 0);
	published = harness_expect_event(&h, put, "request_irq",
					 "action published (dev_id 1)");
	assert_true(published > put);
	assert_int_equal(trigger(), KVM_EFD);
	assert_int_equal(harness_desc(&h, irq)->action_dev_id, KVM_EFD);
	assert_int_equal(harness_count_events(&h, "irq_update_devid",
					      "action dev_id"),
			 0);
	for (int e = 0; e < 2; e++)
		assert_int_equal(refs(e), expected_refs(e));
	harness_done(&h);
}

/* fd -1: every form ends with no handler and no producer. */
static void disable_vector_test(void **state)
{
	static const char *const profiles[] = {
		"", "profile update-devid-v4\n", "profile update-devid-fixed\n",
	};

	(void)state;
	for (int i = 0; i < 3; i++) {
		load(profiles[i]);
		assert_int_equal(set_trigger(-1), 0);
		assert_int_equal(trigger(), -1);
		assert_true(harness_desc(&h, harness_irq(&h, 0, 0))->action_fn <
			    0);
		assert_null(producer());
		for (int e = 0; e < 2; e++)
			assert_int_equal(refs(e), expected_refs(e));
		harness_done(&h);
	}
}

/*
 * The stale-IRTE oracle: in v4, between irq_update_devid() and the
 * producer's unregistration, a device MSI is posted through the IRTE of
 * the KVM pairing while the host action already names QEMU's eventfd.
 */
static void v4_stale_irte_window_test(void **state)
{
	int c;

	(void)state;
	load("profile update-devid-v4\nset posted_intr=on\nnic0: raise 0\n");
	c = harness_call(&h, "qemu", fn_vfio_pci_ioctl_set_irqs, 0,
			 vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
						 TRIGGER_EVENTFD),
			 vfio_set_irqs_arg_range(0, 1), QEMU_EFD);
	HARNESS_FIRE_UNTIL(&h, "qemu",
			   harness_desc(&h, harness_irq(&h, 0, 0))
					   ->action_dev_id == QEMU_EFD);
	assert_true(irte()->posted);
	assert_int_equal(harness_fire(&h, "nic0"), CHECK_STALE_IRTE);
	assert_int_equal(h.w->pi.stale_why, PI_STALE_DEV_ID);
	assert_non_null(strstr(h.step_verdict.what, "efd1"));
	(void)c;
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(setup_pairs_producer_with_irqfd_test),
		cmocka_unit_test(posted_delivery_bypasses_host_test),
		cmocka_unit_test(mainline_switch_frees_and_requests_test),
		cmocka_unit_test(v4_switch_updates_then_unregisters_test),
		cmocka_unit_test(fixed_switch_unregisters_then_updates_test),
		cmocka_unit_test(unchanged_trigger_leak_test),
		cmocka_unit_test(bad_fd_error_semantics_test),
		cmocka_unit_test(update_failure_test),
		cmocka_unit_test(v4_update_failure_unwound_by_set_block_test),
		cmocka_unit_test(disable_vector_test),
		cmocka_unit_test(v4_stale_irte_window_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
