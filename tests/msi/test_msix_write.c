// SPDX-License-Identifier: MIT
/*
 * MSI-X message writes and the pending bit array (src/msi/msi.c) against
 * drivers/pci/msi/msi.c __pci_write_msi_msg() -> pci_write_msg_msix() of
 * Linux v6.18 and the PCI Local Bus spec's MSI-X rules (a masked vector's
 * message is held in the PBA and sent, with the entry's current contents,
 * once unmasked).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define HOST							\
	"cpus 2\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor drv cpu=0\n"					\
	"setup drv: pci_msix_enable nic0 1\n"
#define HOST_REQUESTED HOST "setup drv: host_request_irq nic0 0\n"

#define CPU 1
#define VEC FIRST_EXTERNAL_VECTOR
#define MSG_ADDR(cpu) (MSI_ADDR_BASE_LO | (uint32_t)(cpu) << MSI_ADDR_DEST_SHIFT)

static struct harness h;

static uint32_t dw(int dword)
{
	return harness_msix_dw(&h, 0, 0, dword);
}

static bool masked(void)
{
	return msix_entry_masked(harness_pdev(&h, 0), 0);
}

static bool irr_has(int cpu, int vector)
{
	return apic_vector_test(harness_apic(&h)->cpu[cpu].lapic.irr, vector);
}

static uint32_t event_step(int i)
{
	return h.log.ev[i].step;
}

static void pci_write_msi_msg_masked_entry_one_step_test(void **state)
{
	int lo, hi, data;

	(void)state;
	harness_load(&h, HOST "drv: host_request_irq nic0 0\n");
	/* pci_alloc_irq_vectors() left the shutdown-vector message. */
	assert_int_equal(dw(PCI_MSIX_ENTRY_DATA), MANAGED_IRQ_SHUTDOWN_VECTOR);

	/*
	 * pci_write_msg_msix(): three writel()s, lower address, upper
	 * address, data, to an entry that stays masked, so no one can read
	 * a half-written message: the model writes them in one step. The
	 * step that writes the address has written the data as well.
	 */
	assert_true(masked());
	HARNESS_FIRE_UNTIL(&h, "drv", dw(PCI_MSIX_ENTRY_LOWER_ADDR) ==
					      MSG_ADDR(CPU));
	assert_int_equal(dw(PCI_MSIX_ENTRY_UPPER_ADDR), 0);
	assert_int_equal(dw(PCI_MSIX_ENTRY_DATA), VEC);
	/* The entry was masked: no extra mask/unmask around the update. */
	assert_true(masked());
	assert_int_equal(harness_event(&h, 0, NULL, "for update"), -1);

	lo = harness_expect_event(&h, 0, "__pci_write_msi_msg", "address_lo");
	hi = harness_expect_event(&h, lo, "__pci_write_msi_msg", "address_hi");
	data = harness_expect_event(&h, hi, "__pci_write_msi_msg", "data =");
	assert_int_equal(event_step(lo), event_step(hi));
	assert_int_equal(event_step(hi), event_step(data));
	/* The cached copy (msi_desc->msg) follows. */
	assert_int_equal(harness_pdev(&h, 0)->cached[0].data, VEC);
	/* irq_startup() unmasks in a later step, with the whole message. */
	HARNESS_FIRE_UNTIL(&h, "drv", !masked());
	assert_true(event_step(harness_expect_event(&h, data, "unmask_irq",
						    "unmask")) >
		    event_step(data));
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

static void pci_write_msi_msg_masks_unmasked_entry_test(void **state)
{
	struct pci_dev *pdev;
	int irq, c, mask, data, unmask;

	(void)state;
	harness_load(&h, HOST_REQUESTED "nic0: raise 0\n");
	irq = harness_irq(&h, 0, 0);
	pdev = harness_pdev(&h, 0);
	assert_false(masked());
	/* Rewrite the live message (as an affinity change would). */
	c = harness_call(&h, "drv", fn_pci_write_msi_msg, irq, MSI_MSG_COMPOSE,
			 0, 0);

	/*
	 * "If software changes the Address or Data value of an entry while
	 * the entry is unmasked, the result is undefined": an unmasked entry
	 * is masked first, in the step that writes the message ...
	 */
	harness_fire(&h, "drv");
	assert_true(masked());
	mask = harness_expect_event(&h, 0, "__pci_write_msi_msg", "for update");
	data = harness_expect_event(&h, mask, "__pci_write_msi_msg", "data =");
	assert_int_equal(event_step(mask), event_step(data));
	assert_int_equal(dw(PCI_MSIX_ENTRY_LOWER_ADDR), MSG_ADDR(CPU));
	assert_int_equal(dw(PCI_MSIX_ENTRY_DATA), VEC);

	/* ... and an event before the unmask is held in the PBA. */
	harness_fire(&h, "nic0");
	assert_int_equal(pdev->pba, 1);
	assert_int_equal(pdev->sent[0], 0);
	assert_false(irr_has(CPU, VEC));
	assert_false(harness_enabled(&h, "dev0:pba"));

	/* The unmask (restoring the old control word) is a step of its own. */
	harness_fire(&h, "drv");
	assert_false(masked());
	unmask = harness_expect_event(&h, data, "__pci_write_msi_msg",
				      "unmask");
	assert_true(event_step(unmask) > event_step(data));
	HARNESS_FIRE_UNTIL(&h, "drv", h.call[c].done);
	assert_int_equal(h.call[c].ret, 0);

	/* Unmasked again: the pending message goes out, whole. */
	assert_true(harness_enabled(&h, "dev0:pba"));
	harness_fire(&h, "dev0:pba");
	assert_int_equal(pdev->pba, 0);
	assert_int_equal(pdev->sent[0], 1);
	assert_true(irr_has(CPU, VEC));
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(pdev->consumed[0], 1);
	harness_done(&h);
}

static void msix_pending_message_sent_with_current_entry_test(void **state)
{
	struct pci_dev *pdev;

	(void)state;
	harness_load(&h, HOST "nic0: raise 0\ndrv: host_request_irq nic0 0\n");
	pdev = harness_pdev(&h, 0);
	/* Fires before request_irq(): the entry is masked, so PBA. */
	harness_fire(&h, "nic0");
	assert_int_equal(pdev->pba, 1);
	assert_int_equal(pdev->sent[0], 0);
	assert_int_equal(harness_irr_count(&h, 0) + harness_irr_count(&h, 1), 0);

	/*
	 * request_irq() writes the real message, then irq_startup()
	 * unmasks. The pending message is sent with what the entry holds
	 * then: the new vector on cpu1, not the shutdown vector it held
	 * when the event happened.
	 */
	HARNESS_FIRE_UNTIL(&h, "drv", !masked());
	harness_fire(&h, "dev0:pba");
	assert_int_equal(pdev->pba, 0);
	assert_int_equal(pdev->sent[0], 1);
	assert_true(irr_has(CPU, VEC));
	assert_false(irr_has(0, MANAGED_IRQ_SHUTDOWN_VECTOR));
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(pdev->consumed[0], 1);
	harness_done(&h);
}

static void msix_function_mask_holds_pba_test(void **state)
{
	struct pci_dev *pdev;

	(void)state;
	harness_load(&h, HOST_REQUESTED "nic0: raise 0\n");
	pdev = harness_pdev(&h, 0);
	/*
	 * The function mask (PCI_MSIX_FLAGS_MASKALL) masks every vector
	 * regardless of its entry's own mask bit.
	 */
	pdev->msix_func_mask = 1;
	assert_false(masked());
	harness_fire(&h, "nic0");
	assert_int_equal(pdev->pba, 1);
	assert_int_equal(pdev->sent[0], 0);
	assert_int_equal(msi_device_pending(harness_msi(&h), 0), -1);
	assert_false(harness_enabled(&h, "dev0:pba"));

	/* MSI-X disabled holds it as well. */
	pdev->msix_func_mask = 0;
	pdev->msix_enabled = 0;
	assert_int_equal(msi_device_pending(harness_msi(&h), 0), -1);

	pdev->msix_enabled = 1;
	assert_int_equal(msi_device_pending(harness_msi(&h), 0), 0);
	harness_fire(&h, "dev0:pba");
	assert_true(irr_has(CPU, VEC));
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(pdev->consumed[0], 1);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pci_write_msi_msg_masked_entry_one_step_test),
		cmocka_unit_test(pci_write_msi_msg_masks_unmasked_entry_test),
		cmocka_unit_test(msix_pending_message_sent_with_current_entry_test),
		cmocka_unit_test(msix_function_mask_holds_pba_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
