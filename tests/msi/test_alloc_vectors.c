// SPDX-License-Identifier: MIT
/*
 * pci_alloc_irq_vectors(PCI_IRQ_MSIX) (src/msi/msi.c) against
 * drivers/pci/msi/msi.c __pci_enable_msix_range() / msix_capability_init()
 * and kernel/irq/msi.c msi_init_virq() of Linux v6.18
 * (kernel-reference.md sections 2.3 and 2.7).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define TWO_DEVICES					\
	"cpus 2\n"					\
	"device nic0 msix=4 behaviour=ack affinity=cpu1\n" \
	"device nic1 msix=2 behaviour=ack\n"		\
	"actor drv cpu=0\n"

static struct harness h;

static int allocated_descs(void)
{
	int n = 0;

	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++)
		n += harness_desc(&h, irq)->allocated;
	return n;
}

static bool vector_irq_all_unused(void)
{
	for (int cpu = 0; cpu < harness_apic(&h)->nr_cpus; cpu++)
		for (int v = 0; v < NR_VECTORS; v++)
			if (harness_slot(&h, cpu, v) != VECTOR_UNUSED)
				return false;
	return true;
}

static void pci_alloc_irq_vectors_reservation_mode_test(void **state)
{
	struct pci_dev *pdev;
	int seen = 0;

	(void)state;
	harness_load(&h, TWO_DEVICES);
	pdev = harness_pdev(&h, 0);
	assert_int_equal(pci_alloc_irq_vectors(harness_msi(&h), 0, 3), 3);
	assert_true(pdev->msix_enabled);
	assert_false(pdev->msix_func_mask);

	for (int v = 0; v < 3; v++) {
		int irq = harness_irq(&h, 0, v);
		struct irq_desc *desc = harness_desc(&h, irq);
		struct apic_chip_data *apicd = harness_apicd(&h, irq);

		/* one Linux irq per vector, each a different one */
		assert_true(irq > 0);
		assert_false(seen & (1 << irq));
		seen |= 1 << irq;
		assert_true(desc->allocated);
		/* x86 PCI MSI-X flow handler: handle_edge_irq (msi.c) */
		assert_int_equal(desc->handle_irq, fn_handle_edge_irq);
		/*
		 * msi_init_virq(): early activation with reserve=true, then
		 * IRQD_ACTIVATED cleared "so request_irq() will assign the
		 * final vector"; the irq is not started: disabled, masked,
		 * depth 1.
		 */
		assert_false(desc->irqd & (IRQD_ACTIVATED | IRQD_IRQ_STARTED));
		assert_true(desc->irqd & IRQD_IRQ_DISABLED);
		assert_int_equal(desc->depth, 1);
		assert_int_equal(desc->action_fn, -1);
		/*
		 * reserve_irq_vector(): a global reservation only, the cfg on
		 * MANAGED_IRQ_SHUTDOWN_VECTOR of the first online CPU.
		 */
		assert_true(apicd->can_reserve);
		assert_true(apicd->has_reserved);
		assert_int_equal(apicd->vector, 0);
		assert_int_equal(apicd->cfg_vector, MANAGED_IRQ_SHUTDOWN_VECTOR);
		assert_int_equal(apicd->cfg_dest, 0);
		/*
		 * msix_capability_init(): all entries masked; the early
		 * activation wrote the shutdown-vector message.
		 */
		assert_true(msix_entry_masked(pdev, v));
		assert_int_equal(pdev->table[v].dw[PCI_MSIX_ENTRY_DATA],
				 MANAGED_IRQ_SHUTDOWN_VECTOR);
		assert_int_equal(pdev->table[v].dw[PCI_MSIX_ENTRY_LOWER_ADDR],
				 MSI_ADDR_BASE_LO);
	}
	/* The fourth entry was not asked for. */
	assert_int_equal(harness_irq(&h, 0, 3), 0);
	assert_int_equal(pdev->table[3].dw[PCI_MSIX_ENTRY_DATA], 0);
	assert_true(msix_entry_masked(pdev, 3));
	assert_int_equal(allocated_descs(), 3);
	/* irq_matrix_reserve() counts; no vector and no slot yet. */
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 3);
	assert_int_equal(harness_apic(&h)->matrix.total_allocated, 0);
	assert_true(vector_irq_all_unused());

	/* The second device gets its own irqs. */
	assert_int_equal(pci_alloc_irq_vectors(harness_msi(&h), 1, 2), 2);
	assert_int_equal(allocated_descs(), 5);
	for (int v = 0; v < 2; v++)
		assert_false(seen & (1 << harness_irq(&h, 1, v)));
	harness_done(&h);
}

static void pci_alloc_irq_vectors_twice_einval_test(void **state)
{
	int irqs[2];

	(void)state;
	harness_load(&h, TWO_DEVICES);
	assert_int_equal(pci_alloc_irq_vectors(harness_msi(&h), 1, 2), 2);
	irqs[0] = harness_irq(&h, 1, 0);
	irqs[1] = harness_irq(&h, 1, 1);
	/*
	 * __pci_enable_msix_range(): WARN_ON_ONCE(dev->msix_enabled) ->
	 * -EINVAL. The vectors of the first call stay as they are; no new
	 * irqs or reservations appear.
	 */
	assert_int_equal(pci_alloc_irq_vectors(harness_msi(&h), 1, 2), -EINVAL);
	assert_int_equal(harness_irq(&h, 1, 0), irqs[0]);
	assert_int_equal(harness_irq(&h, 1, 1), irqs[1]);
	assert_int_equal(allocated_descs(), 2);
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 2);
	harness_done(&h);
}

static void pci_msix_enable_twice_from_trace_test(void **state)
{
	(void)state;
	/* The host driver's probe run twice, as a trace can ask for. */
	harness_load(&h, TWO_DEVICES "drv: pci_msix_enable nic1 2\n"
				     "drv: pci_msix_enable nic1 1\n");
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_expect_event(&h, 0, "pci_alloc_irq_vectors",
			     "dev1 MSI-X with 2 vectors: 2");
	harness_expect_event(&h, 0, "pci_alloc_irq_vectors",
			     "dev1 MSI-X with 1 vectors: -22");
	assert_int_equal(allocated_descs(), 2);
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 2);
	harness_done(&h);
}

static void pci_alloc_irq_vectors_out_of_irqs_unwinds_test(void **state)
{
	struct pci_dev *pdev;
	int busy = 0;

	(void)state;
	harness_load(&h, TWO_DEVICES);
	pdev = harness_pdev(&h, 0);
	/* Other drivers hold every Linux irq but two. */
	for (int irq = 1; irq < IRQSIM_MAX_IRQS - 2; irq++) {
		assert_int_equal(irq_alloc_desc(harness_irqw(&h), irq, 0, 0,
						fn_handle_edge_irq),
				 0);
		busy++;
	}
	/*
	 * The third irq cannot be allocated. msix_setup_interrupts() ->
	 * pci_free_msi_irqs() and msix_capability_init()'s out_disable give
	 * back what was set up: no irq, no reservation, MSI-X off.
	 */
	assert_true(pci_alloc_irq_vectors(harness_msi(&h), 0, 4) < 0);
	assert_int_equal(allocated_descs(), busy);
	for (int v = 0; v < 4; v++) {
		assert_int_equal(harness_irq(&h, 0, v), 0);
		assert_true(msix_entry_masked(pdev, v));
	}
	for (int irq = busy + 1; irq < IRQSIM_MAX_IRQS; irq++)
		assert_false(harness_apicd(&h, irq)->used);
	assert_int_equal(harness_apic(&h)->matrix.global_reserved, 0);
	assert_false(pdev->msix_enabled);

	/* What fits still works afterwards. */
	assert_int_equal(pci_alloc_irq_vectors(harness_msi(&h), 0, 2), 2);
	assert_int_equal(allocated_descs(), busy + 2);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pci_alloc_irq_vectors_reservation_mode_test),
		cmocka_unit_test(pci_alloc_irq_vectors_twice_einval_test),
		cmocka_unit_test(pci_msix_enable_twice_from_trace_test),
		cmocka_unit_test(pci_alloc_irq_vectors_out_of_irqs_unwinds_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
