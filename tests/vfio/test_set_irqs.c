// SPDX-License-Identifier: MIT
/*
 * VFIO_DEVICE_SET_IRQS for MSI-X (src/vfio/vfio.c) against Linux v6.18:
 * drivers/vfio/vfio_main.c vfio_set_irqs_validate_and_prepare(),
 * drivers/vfio/pci/vfio_pci_core.c vfio_pci_ioctl_set_irqs() (igate) and
 * drivers/vfio/pci/vfio_pci_intrs.c vfio_pci_set_irqs_ioctl(),
 * vfio_pci_set_msi_trigger(), vfio_msi_set_block(),
 * vfio_msi_set_vector_signal(), vfio_msi_disable(); fs/eventfd.c
 * reference counting (kernel-reference.md section 5).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

/*
 * A guest with one vCPU and a two-vector MSI-X device pinned to host
 * cpu1; QEMU's ioctls come from a task on cpu0.
 */
#define VM							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=2 behaviour=ack affinity=cpu1\n"	\
	"actor qemu cpu=0\n"					\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"
/* The guest enabled MSI-X: both vectors on KVM irqfds (efd1, efd3). */
#define VM_ENABLED VM "setup qemu: qemu_vfio_msix_enable nic0 2 0\n"

#define CPU 1
#define MSIX VFIO_PCI_MSIX_IRQ_INDEX
#define TRIGGER_EVENTFD (VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD)

static struct harness h;

static struct vfio_pci_core_device *vdev(void)
{
	return &harness_vfio(&h)->vdev[0];
}

static struct eventfd_ctx *efd(int e)
{
	return &harness_vfio(&h)->efd[e];
}

/* VFIO_DEVICE_SET_IRQS on nic0 from the qemu task, now. */
static int set_irqs(int index, int flags, int start, int count, int fd)
{
	return harness_call_now(&h, "qemu", fn_vfio_pci_ioctl_set_irqs, 0,
				vfio_set_irqs_arg_flags(index, flags),
				vfio_set_irqs_arg_range(start, count), fd);
}

/* The fds array userspace passes for a block (copy_from_user). */
static void set_fds(int fd0, int fd1)
{
	int a = harness_actor(&h, "qemu");

	harness_vfio(&h)->ioctl_fds[a][0] = (int8_t)fd0;
	harness_vfio(&h)->ioctl_fds[a][1] = (int8_t)fd1;
}

static void assert_refs_balanced(void)
{
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++)
		assert_int_equal(efd(e)->refs,
				 vfio_expected_eventfd_refs(harness_vfio(&h), e));
}

/* The interrupt state SET_IRQS may change. */
struct irq_state {
	struct apic_cpu cpu[IRQSIM_MAX_CPUS];
	struct irq_matrix matrix;
	struct apic_chip_data apicd[IRQSIM_MAX_IRQS];
	struct irq_desc desc[IRQSIM_MAX_IRQS];
	struct pci_dev dev[IRQSIM_MAX_DEVS];
	struct eventfd_ctx efd[IRQSIM_MAX_EVENTFDS];
	struct vfio_pci_core_device vdev[IRQSIM_MAX_DEVS];
};

static void snapshot(struct irq_state *s)
{
	memset(s, 0, sizeof(*s));	/* padding compares too */
	memcpy(s->cpu, harness_apic(&h)->cpu, sizeof(s->cpu));
	s->matrix = harness_apic(&h)->matrix;
	memcpy(s->apicd, harness_apic(&h)->apicd, sizeof(s->apicd));
	memcpy(s->desc, harness_irqw(&h)->desc, sizeof(s->desc));
	memcpy(s->dev, harness_msi(&h)->dev, sizeof(s->dev));
	memcpy(s->efd, harness_vfio(&h)->efd, sizeof(s->efd));
	memcpy(s->vdev, harness_vfio(&h)->vdev, sizeof(s->vdev));
}

static void assert_unchanged(const struct irq_state *before)
{
	struct irq_state now;

	snapshot(&now);
	assert_memory_equal(&now, before, sizeof(now));
}

static void set_irqs_validate_einval_test(void **state)
{
	static const struct {
		int index, flags, start, count;
	} bad[] = {
		/* hdr->start >= num_irqs (MSI-X table size 2) */
		{ MSIX, TRIGGER_EVENTFD, 2, 1 },
		/* hdr->start + hdr->count > num_irqs */
		{ MSIX, TRIGGER_EVENTFD, 1, 2 },
		{ MSIX, TRIGGER_EVENTFD, 0, 3 },
		/* hdr->index >= max_irq_type (VFIO_PCI_NUM_IRQS) */
		{ VFIO_PCI_NUM_IRQS, TRIGGER_EVENTFD, 0, 1 },
		/* two data types: no case of the DATA_TYPE switch */
		{ MSIX, TRIGGER_EVENTFD | VFIO_IRQ_SET_DATA_BOOL, 0, 1 },
		/* no data type */
		{ MSIX, VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1 },
		/* a flag outside DATA_TYPE_MASK | ACTION_TYPE_MASK */
		{ MSIX, TRIGGER_EVENTFD | 0x40, 0, 1 },
	};
	struct irq_state before;
	int n = (int)(sizeof(bad) / sizeof(bad[0]));

	(void)state;
	harness_load(&h, VM_ENABLED);
	/*
	 * vfio_pci_ioctl_set_irqs() validates before mutex_lock(&igate):
	 * with igate held elsewhere, a bad header still returns at once.
	 */
	harness_sched(&h)->lock_owner[VFIO_LOCK_IGATE(0)] =
		(int8_t)harness_actor(&h, "vcpu0");
	snapshot(&before);
	for (int i = 0; i < n; i++) {
		int ret = set_irqs(bad[i].index, bad[i].flags, bad[i].start,
				   bad[i].count, qemu_interrupt_efd(0, 0));

		if (ret != -EINVAL) {
			print_error("case %d: %d, not -EINVAL\n", i, ret);
			fail();
		}
	}
	assert_unchanged(&before);
	assert_int_equal(harness_vfio(&h)->stats.set_irqs_errors, n);
	harness_sched(&h)->lock_owner[VFIO_LOCK_IGATE(0)] = -1;
	harness_done(&h);
}

static void set_irqs_vector_out_of_range_from_qemu_test(void **state)
{
	struct irq_state before;

	(void)state;
	/* QEMU asks for vector 5 of a 2-entry table: rejected, logged. */
	harness_load(&h, VM_ENABLED "qemu: vfio_set_irqs nic0 5 qemu\n");
	snapshot(&before);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_unchanged(&before);
	assert_int_equal(h.w->setirqs_failed_reported, 1);
	harness_expect_event(&h, 0, "error_report", "vector 5 signal: -22");
	harness_done(&h);
}

static void set_irqs_msix_actions_enotty_test(void **state)
{
	static const int bad[] = {
		/* "XXX Need masking support exported" */
		VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_DATA_NONE,
		VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_DATA_BOOL,
		/* the ACTION_TYPE switch has no case for two actions ... */
		TRIGGER_EVENTFD | VFIO_IRQ_SET_ACTION_MASK,
		/* ... or for none */
		VFIO_IRQ_SET_DATA_NONE,
	};
	struct irq_state before;
	int n = (int)(sizeof(bad) / sizeof(bad[0]));

	(void)state;
	harness_load(&h, VM_ENABLED);
	snapshot(&before);
	/*
	 * vfio_set_irqs_validate_and_prepare() does not look at the action
	 * bits; vfio_pci_set_irqs_ioctl() finds no handler: -ENOTTY.
	 */
	for (int i = 0; i < n; i++) {
		int ret = set_irqs(MSIX, bad[i], 0, 1, qemu_interrupt_efd(0, 0));

		if (ret != -ENOTTY) {
			print_error("flags %#x: %d, not -ENOTTY\n", bad[i], ret);
			fail();
		}
	}
	assert_unchanged(&before);
	assert_int_equal(harness_lock_owner(&h, VFIO_LOCK_IGATE(0)), -1);
	harness_done(&h);
}

static void set_irqs_loopback_needs_enabled_index_test(void **state)
{
	struct vmm_world *w;

	(void)state;
	/*
	 * vfio_pci_set_msi_trigger(): DATA_NONE with a count is a loopback
	 * trigger of the existing contexts, and needs the index enabled:
	 * !irq_is(vdev, index) -> -EINVAL.
	 */
	harness_load(&h, VM);
	assert_int_equal(set_irqs(MSIX, VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_NONE,
				  0, 1, -1),
			 -EINVAL);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_NUM_IRQS);
	harness_free(&h);

	/* Enabled: eventfd_signal() on the trigger; KVM's irqfd injects. */
	harness_load(&h, VM_ENABLED);
	w = h.w;
	assert_int_equal(set_irqs(MSIX, VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_NONE,
				  0, 1, -1),
			 0);
	assert_int_equal(efd(qemu_kvm_efd(0, 0))->signals, 1);
	assert_int_equal(efd(qemu_kvm_efd(0, 1))->signals, 0);
	assert_int_equal(w->vcpu[0].virr, 1u << 0);
	harness_done(&h);
}

static void set_irqs_swap_free_then_request_under_igate_test(void **state)
{
	int irq0, irq1, qemu, qemu2, ev[8];
	struct irq_desc *desc0;

	(void)state;
	harness_load(&h, VM_ENABLED "actor qemu2 cpu=1\n"
				    "qemu: vfio_set_irqs nic0 0 qemu\n"
				    "qemu2: vfio_set_irqs nic0 1 qemu\n");
	irq0 = harness_irq(&h, 0, 0);
	irq1 = harness_irq(&h, 0, 1);
	desc0 = harness_desc(&h, irq0);
	qemu = harness_actor(&h, "qemu");
	qemu2 = harness_actor(&h, "qemu2");
	assert_int_equal(vdev()->ctx[0].trigger, qemu_kvm_efd(0, 0));
	assert_int_equal(harness_apicd(&h, irq0)->cpu, CPU);
	assert_int_equal(harness_apicd(&h, irq0)->vector, FIRST_EXTERNAL_VECTOR);

	/*
	 * vfio_msi_set_vector_signal() under igate: free_irq() of the old
	 * trigger runs to the end (vector released) ...
	 */
	HARNESS_FIRE_UNTIL(&h, "qemu",
			   harness_slot(&h, CPU, FIRST_EXTERNAL_VECTOR) ==
				   VECTOR_SHUTDOWN);
	assert_int_equal(harness_lock_owner(&h, VFIO_LOCK_IGATE(0)), qemu);
	assert_int_equal(desc0->action_fn, -1);

	/* ... while a second SET_IRQS on the device waits for igate. */
	HARNESS_FIRE_UNTIL(&h, "qemu2", !harness_enabled(&h, "qemu2"));
	assert_true(harness_sched(&h)->actor[qemu2].blocked);
	assert_int_equal(harness_sched(&h)->actor[qemu2].wait_token,
			 VFIO_LOCK_IGATE(0));
	assert_int_equal(harness_desc(&h, irq1)->action_dev_id,
			 qemu_kvm_efd(0, 1));

	/* ... then request_irq() with the new trigger, igate still held. */
	HARNESS_FIRE_UNTIL(&h, "qemu", desc0->action_fn >= 0);
	assert_int_equal(harness_lock_owner(&h, VFIO_LOCK_IGATE(0)), qemu);
	assert_int_equal(desc0->action_dev_id, qemu_interrupt_efd(0, 0));
	/* irq_matrix_alloc() hands out the same CPU and vector again. */
	assert_int_equal(harness_slot(&h, CPU, FIRST_EXTERNAL_VECTOR), irq0);
	HARNESS_FIRE_UNTIL(&h, "qemu", harness_actor_done(&h, "qemu"));
	assert_int_equal(vdev()->ctx[0].trigger, qemu_interrupt_efd(0, 0));

	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(vdev()->ctx[1].trigger, qemu_interrupt_efd(0, 1));
	assert_int_equal(harness_lock_owner(&h, VFIO_LOCK_IGATE(0)), -1);
	/*
	 * eventfd_ctx_put() of the old trigger, eventfd_ctx_fdget() of the
	 * new: the KVM eventfd keeps its file and irqfd references, QEMU's
	 * gains the context's.
	 */
	assert_int_equal(efd(qemu_kvm_efd(0, 0))->refs, 2);
	assert_int_equal(efd(qemu_interrupt_efd(0, 0))->refs, 2);
	assert_refs_balanced();

	ev[0] = harness_expect_event(&h, 0, "__free_irq", "unlinked");
	ev[1] = harness_expect_event(&h, ev[0], "x86_vector_deactivate",
				     "SHUTDOWN");
	ev[2] = harness_expect_event(&h, ev[1], "vfio_msi_set_vector_signal",
				     "eventfd_ctx_put(efd1)");
	/* the MSI-X entry is refreshed from the cached message first */
	ev[3] = harness_expect_event(&h, ev[2], "__pci_write_msi_msg", NULL);
	ev[4] = harness_expect_event(&h, ev[3], "x86_vector_activate",
				     "vector_irq[cpu1][32]");
	ev[5] = harness_expect_event(&h, ev[4], "request_irq", "published");
	ev[6] = harness_expect_event(&h, ev[5], "vfio_msi_set_vector_signal",
				     "ctx->trigger = efd0");
	ev[7] = harness_expect_event(&h, ev[6], "vfio_pci_ioctl_set_irqs",
				     "dev0 returns 0");
	(void)ev;
	harness_done(&h);
}

static void set_irqs_request_failure_leaves_vector_without_handler_test(
	void **state)
{
	struct irqsim_verdict v;
	struct apic_chip_data *apicd;
	struct irq_desc *desc;
	int irq;

	(void)state;
	/* The setup's two request_irq()s are #1 and #2; the swap's is #3. */
	harness_load(&h, VM_ENABLED "set fail_request_irq=3\n");
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	apicd = harness_apicd(&h, irq);
	assert_int_equal(harness_call_now(&h, "qemu", fn_vfio_set_irqs, 0, 0,
					  qemu_interrupt_efd(0, 0), 0),
			 -ENOMEM);

	/*
	 * vfio_msi_set_vector_signal(): free_irq() already ran; request_irq()
	 * failed, so out_put_eventfd_ctx / out_free_ctx: the new eventfd
	 * reference is dropped, no ctx. The vector has no handler: shut
	 * down (masked), deactivated (vector back in the matrix, only the
	 * reservation left).
	 */
	assert_int_equal(vdev()->ctx[0].trigger, -1);
	assert_int_equal(desc->action_fn, -1);
	assert_false(desc->irqd & (IRQD_ACTIVATED | IRQD_IRQ_STARTED));
	assert_true(msix_entry_masked(harness_pdev(&h, 0), 0));
	assert_int_equal(harness_slot(&h, CPU, FIRST_EXTERNAL_VECTOR),
			 VECTOR_SHUTDOWN);
	assert_int_equal(apicd->vector, 0);
	assert_int_equal(apicd->has_reserved, 1);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 1);
	assert_int_equal(efd(qemu_interrupt_efd(0, 0))->refs, 1);
	assert_int_equal(efd(qemu_kvm_efd(0, 0))->refs, 2);
	assert_refs_balanced();
	assert_int_equal(harness_vfio(&h)->stats.vectors_without_handler, 1);
	assert_int_equal(harness_vfio(&h)->stats.set_irqs_errors, 1);
	/* QEMU only logs it (error_report) and goes on. */
	assert_int_equal(h.w->setirqs_failed_reported, 1);
	assert_int_equal(harness_lock_owner(&h, VFIO_LOCK_IGATE(0)), -1);
	assert_int_equal(harness_lock_owner(&h, IRQ_LOCK_REQUEST(irq)), -1);
	/* The other vector is untouched. */
	assert_int_equal(vdev()->ctx[1].trigger, qemu_kvm_efd(0, 1));

	/* The guest believes the vector live: the path oracle sees it. */
	assert_int_equal(harness_check_end(&h, &v), CHECK_NO_PATH);
	assert_non_null(strstr(v.what, "dev0 vector 0"));
	harness_done(&h);
}

static void set_block_rollback_releases_earlier_vectors_test(void **state)
{
	int put0;

	(void)state;
	/* Requests #3 (vector 0) succeeds, #4 (vector 1) fails. */
	harness_load(&h, VM_ENABLED "set fail_request_irq=4\n");
	set_fds(qemu_interrupt_efd(0, 0), qemu_interrupt_efd(0, 1));
	assert_int_equal(set_irqs(MSIX, TRIGGER_EVENTFD, 0, 2,
				  VFIO_FDS_IN_BUFFER),
			 -ENOMEM);
	/*
	 * vfio_msi_set_block(): vector 0 was switched to its new eventfd,
	 * then the failure at vector 1 sets every vector from start up to
	 * and including the failing one to fd -1 (the failing one has no
	 * ctx left, so that is a no-op for it).
	 */
	put0 = harness_expect_event(&h, 0, "vfio_msi_set_vector_signal",
				    "dev0 vector 0: ctx->trigger = efd0");
	harness_expect_event(&h, put0, "vfio_msi_set_vector_signal",
			     "dev0 vector 0: ctx freed, eventfd_ctx_put(efd0)");
	for (int v = 0; v < 2; v++) {
		int irq = harness_irq(&h, 0, v);

		assert_int_equal(vdev()->ctx[v].trigger, -1);
		assert_int_equal(harness_desc(&h, irq)->action_fn, -1);
		assert_false(harness_desc(&h, irq)->irqd & IRQD_ACTIVATED);
		/* the irqs stay allocated until MSI-X is disabled */
		assert_true(harness_desc(&h, irq)->allocated);
	}
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	/* An enabled index only gets the block: no vfio_msi_disable(). */
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSIX_IRQ_INDEX);
	assert_int_equal(vdev()->num_ctx, 2);
	for (int v = 0; v < 2; v++) {
		assert_int_equal(efd(qemu_interrupt_efd(0, v))->refs, 1);
		assert_int_equal(efd(qemu_kvm_efd(0, v))->refs, 2);
	}
	assert_refs_balanced();
	assert_int_equal(harness_lock_owner(&h, VFIO_LOCK_IGATE(0)), -1);
	harness_done(&h);
}

static void set_block_bad_fd_rollback_test(void **state)
{
	(void)state;
	harness_load(&h, VM_ENABLED);
	/* eventfd_ctx_fdget() of an fd that is not an open eventfd. */
	set_fds(qemu_interrupt_efd(0, 0), 99);
	assert_int_equal(set_irqs(MSIX, TRIGGER_EVENTFD, 0, 2,
				  VFIO_FDS_IN_BUFFER),
			 -EBADF);
	/*
	 * Vector 1 lost its old trigger before the fdget failed
	 * (out_free_name); vector 0 is rolled back by vfio_msi_set_block().
	 */
	for (int v = 0; v < 2; v++) {
		int irq = harness_irq(&h, 0, v);

		assert_int_equal(vdev()->ctx[v].trigger, -1);
		assert_int_equal(harness_desc(&h, irq)->action_fn, -1);
	}
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	assert_refs_balanced();
	harness_done(&h);
}

static void set_irqs_enable_then_block_failure_disables_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	/* MSI-X not enabled yet; the block's second request_irq() fails. */
	harness_load(&h, VM "set fail_request_irq=2\n");
	set_fds(qemu_interrupt_efd(0, 0), qemu_interrupt_efd(0, 1));
	assert_int_equal(set_irqs(MSIX, TRIGGER_EVENTFD, 0, 2,
				  VFIO_FDS_IN_BUFFER),
			 -ENOMEM);
	harness_expect_event(&h, 0, "vfio_msi_enable", "2 vectors");
	/*
	 * vfio_pci_set_msi_trigger(): vfio_msi_enable() succeeded, so a
	 * vfio_msi_set_block() failure is followed by vfio_msi_disable():
	 * pci_free_irq_vectors() gives every irq and reservation back.
	 */
	harness_expect_event(&h, 0, "vfio_msi_disable", "MSI-X disabled");
	assert_int_equal(vdev()->irq_type, VFIO_PCI_NUM_IRQS);
	assert_int_equal(vdev()->num_ctx, 0);
	assert_false(harness_pdev(&h, 0)->msix_enabled);
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++) {
		assert_false(harness_desc(&h, irq)->allocated);
		assert_false(harness_apicd(&h, irq)->used);
	}
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 0);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++)
		assert_int_equal(efd(e)->refs, 1);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	harness_done(&h);
}

static void set_irqs_disable_releases_everything_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_load(&h, VM_ENABLED);
	/* TRIGGER | DATA_NONE with count 0 on the enabled index. */
	assert_int_equal(set_irqs(MSIX, VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_NONE,
				  0, 0, -1),
			 0);
	/*
	 * vfio_msi_disable(): set_vector_signal(-1) for each ctx (free_irq,
	 * eventfd_ctx_put), pci_free_irq_vectors(), irq_type = none.
	 */
	assert_int_equal(harness_count_events(&h, "__free_irq", "unlinked"), 2);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_NUM_IRQS);
	for (int vec = 0; vec < 2; vec++)
		assert_int_equal(vdev()->ctx[vec].trigger, -1);
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++)
		assert_false(harness_desc(&h, irq)->allocated);
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 0);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	assert_false(harness_pdev(&h, 0)->msix_enabled);
	/* QEMU's irqfds still hold the KVM eventfds; nothing else. */
	for (int vec = 0; vec < 2; vec++) {
		assert_int_equal(efd(qemu_kvm_efd(0, vec))->refs, 2);
		assert_int_equal(efd(qemu_interrupt_efd(0, vec))->refs, 1);
	}
	/*
	 * QEMU still believes both vectors live (this SET_IRQS went behind
	 * its back): the guest has unmasked vectors with no MSI-X on the
	 * host.
	 */
	assert_int_equal(harness_check_end(&h, &v), CHECK_NO_PATH);
	assert_non_null(strstr(v.what, "MSI-X is disabled on the host"));

	/* And MSI-X can be enabled again. */
	assert_int_equal(set_irqs(MSIX, TRIGGER_EVENTFD, 0, 1,
				  qemu_interrupt_efd(0, 0)),
			 0);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSIX_IRQ_INDEX);
	assert_true(harness_desc(&h, harness_irq(&h, 0, 0))->action_fn >= 0);
	assert_refs_balanced();
	harness_done(&h);
}

static void eventfd_refs_balanced_across_swaps_test(void **state)
{
	static const struct {
		int fd;		/* the new trigger, -1 none */
		int kvm_refs, qemu_refs;
	} step[] = {
		/* file + irqfd + ctx; file */
		{ -2, 3, 1 },
		{ 0, 2, 2 },	/* QEMU's eventfd: ctx moves over */
		{ 1, 3, 1 },	/* back to KVM's */
		{ -1, 2, 1 },	/* no trigger: nobody holds a ctx ref */
		{ 1, 3, 1 },
	};
	struct irqsim_verdict v;

	(void)state;
	harness_load(&h, VM_ENABLED);
	for (size_t i = 0; i < sizeof(step) / sizeof(step[0]); i++) {
		if (step[i].fd != -2)
			assert_int_equal(harness_call_now(&h, "qemu",
							  fn_vfio_set_irqs, 0,
							  0, step[i].fd, 0),
					 0);
		assert_int_equal(efd(qemu_kvm_efd(0, 0))->refs,
				 step[i].kvm_refs);
		assert_int_equal(efd(qemu_interrupt_efd(0, 0))->refs,
				 step[i].qemu_refs);
		assert_int_equal(vdev()->ctx[0].trigger,
				 step[i].fd == -2 ? 1 : step[i].fd);
		assert_refs_balanced();
	}
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	harness_done(&h);
}

static void eventfd_leak_detected_when_forced_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_load(&h, VM_ENABLED "qemu: vfio_set_irqs nic0 0 qemu\n");
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	/* A swap that forgot eventfd_ctx_put() of the old trigger. */
	efd(qemu_kvm_efd(0, 0))->refs++;
	assert_int_equal(harness_check_end(&h, &v), CHECK_EVENTFD_LEAK);
	assert_non_null(strstr(v.what, "efd1 holds 3 references, 2 expected (leak)"));
	/* One put too many is an underflow. */
	efd(qemu_kvm_efd(0, 0))->refs -= 2;
	assert_int_equal(harness_check_end(&h, &v), CHECK_EVENTFD_LEAK);
	assert_non_null(strstr(v.what, "underflow"));
	efd(qemu_kvm_efd(0, 0))->refs++;
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	harness_done(&h);
}

static void set_irqs_vector_beyond_enabled_einval_test(void **state)
{
	int irq0;

	(void)state;
	harness_load(&h, VM "set vfio_dyn_msix=off\n");
	/* vfio_msi_enable(start + count = 1): one vector allocated. */
	assert_int_equal(set_irqs(MSIX, TRIGGER_EVENTFD, 0, 1,
				  qemu_interrupt_efd(0, 0)),
			 0);
	assert_int_equal(vdev()->num_ctx, 1);
	irq0 = harness_irq(&h, 0, 0);
	/*
	 * Vector 1 is inside the table (validation passes) but was not
	 * allocated: without dynamic MSI-X, vfio_msi_alloc_irq() ->
	 * pci_irq_vector() fails with -EINVAL. Vector 0 is untouched.
	 */
	assert_int_equal(set_irqs(MSIX, TRIGGER_EVENTFD, 1, 1,
				  qemu_interrupt_efd(0, 1)),
			 -EINVAL);
	assert_int_equal(harness_irq(&h, 0, 1), 0);
	assert_int_equal(vdev()->ctx[0].trigger, qemu_interrupt_efd(0, 0));
	assert_int_equal(harness_desc(&h, irq0)->action_dev_id,
			 qemu_interrupt_efd(0, 0));
	assert_int_equal(vdev()->irq_type, VFIO_PCI_MSIX_IRQ_INDEX);
	assert_refs_balanced();
	harness_done(&h);
}

static void set_irqs_enable_failure_leaves_index_off_test(void **state)
{
	struct irq_state before;

	(void)state;
	/* A host driver already enabled MSI-X on the function. */
	harness_load(&h, VM "actor drv cpu=1\n"
			    "setup drv: pci_msix_enable nic0 2\n");
	snapshot(&before);
	/*
	 * vfio_msi_enable(): pci_alloc_irq_vectors() fails (MSI-X already
	 * enabled: -EINVAL), the error goes back to userspace, irq_type
	 * stays none and no vector is set up.
	 */
	assert_int_equal(set_irqs(MSIX, TRIGGER_EVENTFD, 0, 1,
				  qemu_interrupt_efd(0, 0)),
			 -EINVAL);
	assert_unchanged(&before);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_NUM_IRQS);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_irqs_validate_einval_test),
		cmocka_unit_test(set_irqs_vector_out_of_range_from_qemu_test),
		cmocka_unit_test(set_irqs_msix_actions_enotty_test),
		cmocka_unit_test(set_irqs_loopback_needs_enabled_index_test),
		cmocka_unit_test(set_irqs_swap_free_then_request_under_igate_test),
		cmocka_unit_test(set_irqs_request_failure_leaves_vector_without_handler_test),
		cmocka_unit_test(set_block_rollback_releases_earlier_vectors_test),
		cmocka_unit_test(set_block_bad_fd_rollback_test),
		cmocka_unit_test(set_irqs_enable_then_block_failure_disables_test),
		cmocka_unit_test(set_irqs_disable_releases_everything_test),
		cmocka_unit_test(set_irqs_vector_beyond_enabled_einval_test),
		cmocka_unit_test(set_irqs_enable_failure_leaves_index_off_test),
		cmocka_unit_test(eventfd_refs_balanced_across_swaps_test),
		cmocka_unit_test(eventfd_leak_detected_when_forced_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
