// SPDX-License-Identifier: MIT
/*
 * Growing MSI-X on the host (seeds/002) in src/vfio/vfio.c and
 * src/msi/msi.c against drivers/vfio/pci/vfio_pci_intrs.c
 * (vfio_msi_alloc_irq, vfio_msi_enable, vfio_msi_set_block,
 * vfio_msi_disable; v6.5+ dynamic MSI-X) and drivers/pci/msi
 * (__pci_enable_msix_range, pci_msix_alloc_irq_at, pci_free_irq_vectors):
 * kernel-reference.md sections 2.2, 2.7 and 5.4.
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
	"device nic0 msix=3 behaviour=ack affinity=cpu1\n"	\
	"actor qemu cpu=0\n"
#define MSIX VFIO_PCI_MSIX_IRQ_INDEX
#define TRIGGER_EVENTFD (VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD)
#define DISABLE (VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_NONE)

static struct harness h;

static struct vfio_pci_core_device *vdev(void)
{
	return &harness_vfio(&h)->vdev[0];
}

static int set_irqs(int flags, int start, int count, int fd)
{
	return harness_call_now(&h, "qemu", fn_vfio_pci_ioctl_set_irqs, 0,
				vfio_set_irqs_arg_flags(MSIX, flags),
				vfio_set_irqs_arg_range(start, count), fd);
}

static void set_fds(int fd0, int fd1, int fd2)
{
	int8_t *fds = harness_vfio(&h)->ioctl_fds[harness_actor(&h, "qemu")];

	fds[0] = (int8_t)fd0;
	fds[1] = (int8_t)fd1;
	fds[2] = (int8_t)fd2;
}

static int allocated_descs(void)
{
	int n = 0;

	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++)
		n += harness_desc(&h, irq)->allocated;
	return n;
}

static void dyn_msix_alloc_irq_at_adds_one_test(void **state)
{
	int irq0, requests;

	(void)state;
	harness_load(&h, VM);
	/* vfio_enable_msix_no_vec(): MSI-X on with one irq, no handler */
	assert_int_equal(set_irqs(TRIGGER_EVENTFD, 0, 1, -1), 0);
	assert_int_equal(vdev()->irq_type, MSIX);
	assert_true(harness_pdev(&h, 0)->msix_enabled);
	assert_int_equal(allocated_descs(), 1);
	assert_int_equal(harness_irqw(&h)->stats.requests, 0);
	assert_int_equal(set_irqs(TRIGGER_EVENTFD, 0, 1, 0), 0);
	irq0 = harness_irq(&h, 0, 0);
	requests = harness_irqw(&h)->stats.requests;
	/*
	 * Vector 2 has no irq: vfio_msi_alloc_irq() -> pci_msix_alloc_irq_at()
	 * (a reservation and a masked entry, like each of
	 * pci_alloc_irq_vectors()'s), then request_irq(). Vector 0 is not
	 * touched: no free_irq(), same handler.
	 */
	assert_int_equal(set_irqs(TRIGGER_EVENTFD, 2, 1, 4), 0);
	assert_int_equal(allocated_descs(), 2);
	assert_true(harness_irq(&h, 0, 2) > 0);
	assert_int_equal(harness_irq(&h, 0, 1), 0);
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 1);
	assert_int_equal(harness_count_events(&h, "__free_irq", NULL), 0);
	assert_int_equal(harness_desc(&h, irq0)->action_dev_id, 0);
	assert_int_equal(vdev()->ctx[2].trigger, 4);
	assert_int_equal(vdev()->num_ctx, 3);
	assert_true(harness_apicd(&h, harness_irq(&h, 0, 2))->vector >=
		    FIRST_EXTERNAL_VECTOR);

	/* vfio_msi_disable() frees the dynamically added irq too. */
	assert_int_equal(set_irqs(DISABLE, 0, 0, -1), 0);
	assert_int_equal(allocated_descs(), 0);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 0);
	assert_false(harness_pdev(&h, 0)->msix_enabled);
	harness_done(&h);
}

static void msi_enable_fewer_vectors_returns_count_test(void **state)
{
	(void)state;
	harness_load(&h, VM "set msix_quota=2\n");
	set_fds(0, 2, 4);
	/*
	 * pci_alloc_irq_vectors(pdev, 1, 3) gets 2 (the platform's quota,
	 * a positive return of msix_capability_init() that
	 * __pci_enable_msix_range() retries with). vfio_msi_enable() frees
	 * them and returns 2 to userspace: the ioctl's positive return.
	 */
	assert_int_equal(set_irqs(TRIGGER_EVENTFD, 0, 3, VFIO_FDS_IN_BUFFER),
			 2);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_NUM_IRQS);
	assert_false(harness_pdev(&h, 0)->msix_enabled);
	assert_int_equal(allocated_descs(), 0);
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 0);
	for (int v = 0; v < 3; v++)
		assert_int_equal(vdev()->ctx[v].trigger, -1);
	/* within the quota it works */
	assert_int_equal(set_irqs(TRIGGER_EVENTFD, 0, 2, VFIO_FDS_IN_BUFFER),
			 0);
	assert_int_equal(vdev()->num_ctx, 2);
	harness_done(&h);
}

static void pci_alloc_irq_vectors_range_quota_test(void **state)
{
	(void)state;
	harness_load(&h, VM);
	/* min 2 above a quota of 1: -ENOSPC, nothing left behind */
	assert_int_equal(pci_alloc_irq_vectors_range(harness_msi(&h), 0, 2, 3,
						     1),
			 -ENOSPC);
	assert_int_equal(allocated_descs(), 0);
	assert_int_equal(pci_alloc_irq_vectors_range(harness_msi(&h), 0, 1, 3,
						     2),
			 2);
	assert_int_equal(allocated_descs(), 2);
	/* dynamic: an index beyond the range, once; not one in use */
	assert_true(pci_msix_alloc_irq_at(harness_msi(&h), 0, 2) > 0);
	assert_int_equal(pci_msix_alloc_irq_at(harness_msi(&h), 0, 2),
			 -EINVAL);
	assert_int_equal(pci_msix_alloc_irq_at(harness_msi(&h), 0, 3),
			 -EINVAL);
	assert_true(msix_entry_masked(harness_pdev(&h, 0), 2));
	pci_free_irq_vectors(harness_msi(&h), 0);
	assert_int_equal(allocated_descs(), 0);
	/* MSI-X off: no dynamic allocation */
	assert_int_equal(pci_msix_alloc_irq_at(harness_msi(&h), 0, 0),
			 -EINVAL);
	harness_done(&h);
}

static void matrix_exhaustion_fails_request_test(void **state)
{
	struct irqsim_verdict v;
	int e;

	(void)state;
	/* other devices hold every vector but one (cpu1's last) */
	harness_load(&h, VM "matrix-used cpu0=204 cpu1=203\n");
	assert_int_equal(harness_apic(&h)->matrix.global_available, 1);
	set_fds(0, 2, -1);
	/*
	 * vector 0 gets the last one, vector 1's irq_matrix_alloc() fails
	 * (-ENOSPC, on the affinity then on any online CPU), request_irq()
	 * fails, vfio_msi_set_block() rolls vector 0 back (fd -1) and
	 * vfio_pci_set_msi_trigger() disables MSI-X again.
	 */
	assert_int_equal(set_irqs(TRIGGER_EVENTFD, 0, 2, VFIO_FDS_IN_BUFFER),
			 -ENOSPC);
	e = harness_expect_event(&h, 0, "irq_matrix_alloc", "-ENOSPC");
	assert_non_null(strstr(h.log.ev[e].text, "global_available=0"));
	assert_non_null(strstr(h.log.ev[e].fields, "total_alloc=408"));
	harness_expect_event(&h, e, "vfio_msi_disable", NULL);
	assert_int_equal(vdev()->irq_type, VFIO_PCI_NUM_IRQS);
	assert_int_equal(vdev()->ctx[0].trigger, -1);
	/* the last vector is free again and nothing leaked */
	assert_int_equal(harness_apic(&h)->matrix.global_available, 1);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 407);
	assert_int_equal(harness_apic(&h)->vectors_other, 407);
	assert_int_equal(harness_check_end(&h, &v), CHECK_NONE);
	/* a vector held by nobody is a leak, other devices' are not */
	harness_apic(&h)->vectors_other--;
	assert_int_equal(harness_check_end(&h, &v), CHECK_VECTOR_LEAK);
	harness_apic(&h)->vectors_other++;
	harness_done(&h);
}

static void matrix_used_parse_errors_test(void **state)
{
	struct scenario s;
	char err[SCENARIO_ERR];

	(void)state;
	scenario_init();
	assert_int_equal(scenario_parse(&s, "t", "cpus 2\nmatrix-used cpu0=205\n",
					err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "t:2: matrix-used: cpu0=205"));
	scenario_free(&s);
	assert_int_equal(scenario_parse(&s, "t", "cpus 2\nmatrix-used cpu2=1\n",
					err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "cpu must be 0..1"));
	scenario_free(&s);
	assert_int_equal(scenario_parse(&s, "t", "cpus 2\nmatrix-used 4\n", err,
					sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "expected cpuN=COUNT"));
	scenario_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dyn_msix_alloc_irq_at_adds_one_test),
		cmocka_unit_test(msi_enable_fewer_vectors_returns_count_test),
		cmocka_unit_test(pci_alloc_irq_vectors_range_quota_test),
		cmocka_unit_test(matrix_exhaustion_fails_request_test),
		cmocka_unit_test(matrix_used_parse_errors_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
