// SPDX-License-Identifier: MIT
/*
 * Plain MSI devices and msi_set_affinity() (src/msi/msi.c) against Linux
 * v6.18 (kernel-reference.md 2.7, 3): reservation mode only for a
 * maskable MSI (msi_check_reservation_mode, msi_init_virq); the careful
 * move of arch/x86/kernel/apic/msi.c msi_set_affinity() (intermediate
 * message on the new vector at the old CPU, VECTOR_RETRIGGERED, the IRR
 * check and irq_retrigger) and which MSI takes it
 * (msi_affinity_slow_path).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define V32 FIRST_EXTERNAL_VECTOR
#define V33 (FIRST_EXTERNAL_VECTOR + 1)

/* nic0: a plain MSI on CPU1 (vector 32); nic1 holds CPU0 vector 32. */
#define UNPLUG(kind, extra)						\
	"cpus 2\n"							\
	"device nic0 msi=" kind " behaviour=ack affinity=cpu1\n"	\
	"device nic1 msix=1 behaviour=ack affinity=cpu0\n"		\
	"actor drv cpu=0\n"						\
	"actor hp cpu=1\n"						\
	"setup drv: pci_msix_enable nic1 1\n"				\
	"setup drv: host_request_irq nic1 0\n"				\
	"setup drv: pci_msi_enable nic0\n"				\
	"setup drv: host_request_irq nic0 0\n"				\
	"hp: cpu_offline 1\nnic0: raise 0\n" extra

static struct harness h;

static bool irr_has(int cpu, int vector)
{
	return apic_vector_test(harness_apic(&h)->cpu[cpu].lapic.irr, vector);
}

static void pci_msi_enable_reservation_mode_only_if_maskable_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	/* maskable: reservation mode, the vector comes with request_irq() */
	harness_load(&h, "cpus 2\n"
			 "device nic0 msi=maskable affinity=cpu1\n"
			 "actor drv cpu=0\n"
			 "setup drv: pci_msi_enable nic0\n");
	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	assert_true(apicd->can_reserve);
	assert_int_equal(apicd->cfg_vector, MANAGED_IRQ_SHUTDOWN_VECTOR);
	assert_false(harness_desc(&h, irq)->irqd & IRQD_ACTIVATED);
	/* an MSI with a mask bit starts masked */
	assert_true(msix_entry_masked(harness_pdev(&h, 0), 0));
	harness_done(&h);

	/* non-maskable: activated now with a real vector, kept for good */
	harness_load(&h, "cpus 2\n"
			 "device nic0 msi=nomask affinity=cpu1\n"
			 "actor drv cpu=0\n"
			 "setup drv: pci_msi_enable nic0\n"
			 "setup drv: host_request_irq nic0 0\n"
			 "setup drv: host_free_irq nic0 0\n");
	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	assert_false(apicd->can_reserve);
	assert_false(apicd->has_reserved);
	assert_int_equal(apicd->cpu, 1);
	assert_int_equal(apicd->vector, V32);
	/* x86_vector_deactivate() keeps it: !is_managed && !can_reserve */
	assert_int_equal(harness_slot(&h, 1, V32), irq);
	assert_int_equal(harness_apic(&h)->matrix.cpu[1].allocated, 1);
	/* the capability: no mask bit, the message names CPU1 vector 32 */
	assert_false(msix_entry_masked(harness_pdev(&h, 0), 0));
	harness_done(&h);
}

static void pci_msi_enable_wrong_capability_test(void **state)
{
	(void)state;
	harness_load(&h, "cpus 2\n"
			 "device nic0 msi=nomask\n"
			 "device nic1 msix=2\n"
			 "actor drv cpu=0\n");
	assert_int_equal(harness_call_now(&h, "drv", fn_pci_msix_enable, 0, 1,
					  0, 0),
			 -EINVAL);
	assert_int_equal(harness_call_now(&h, "drv", fn_pci_msi_enable, 1, 0,
					  0, 0),
			 -EINVAL);
	assert_int_equal(harness_call_now(&h, "drv", fn_pci_msi_enable, 0, 0,
					  0, 0),
			 1);
	/* MSI is already enabled */
	assert_int_equal(harness_call_now(&h, "drv", fn_pci_msi_enable, 0, 0,
					  0, 0),
			 -EINVAL);
	harness_done(&h);
}

static void device_msi_and_msix_rejected_test(void **state)
{
	struct scenario s;
	char err[SCENARIO_ERR];

	(void)state;
	scenario_init();
	assert_int_equal(scenario_parse(&s, "x.trace",
					"device nic0 msix=2 msi=nomask\n", err,
					sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "x.trace:1: a device has msix= or msi="));
	scenario_free(&s);
	assert_int_equal(scenario_parse(&s, "x.trace",
					"device nic0 msi=sometimes\n", err,
					sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "msi= must be maskable"));
	scenario_free(&s);
}

/* Fire hp until msi_set_affinity() wrote the address of the message. */
static void unplug_until_address_written(void)
{
	HARNESS_FIRE_UNTIL(&h, "hp",
			   harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR) ==
				   MSI_ADDR_BASE_LO);
}

static void v618_direct_update_of_nonmaskable_msi_test(void **state)
{
	(void)state;
	harness_load(&h, UNPLUG("nomask", ""));
	unplug_until_address_written();
	/*
	 * !irqd_can_reserve(): direct update. Address (CPU0) first, data
	 * still the old vector 32: the device's message goes to CPU0 vector
	 * 32, which is nic1's.
	 */
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA), V32);
	assert_int_equal(harness_count_events(&h, "msi_set_affinity",
					      "intermediate"),
			 0);
	harness_fire(&h, "nic0");
	assert_true(irr_has(0, V32));
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	/* nic1's handler got it and found nothing */
	assert_int_equal(harness_pdev(&h, 1)->empty_reads[0], 1);
	harness_done(&h);
}

static void careful_move_retriggers_intermediate_hit_test(void **state)
{
	int irq;

	(void)state;
	harness_load(&h, UNPLUG("nomask", "set msi_affinity_slow_path=nomask\n"));
	irq = harness_irq(&h, 0, 0);
	/* intermediate message: new vector 33, still CPU1 */
	HARNESS_FIRE_UNTIL(&h, "hp",
			   harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA) == V33);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR),
			 MSI_ADDR_BASE_LO | 1 << MSI_ADDR_DEST_SHIFT);
	/* vector_irq[cpu1][33] was unused: RETRIGGERED, not "No irq handler" */
	assert_int_equal(harness_slot(&h, 1, V33), VECTOR_RETRIGGERED);
	/* the device fires into the intermediate message */
	harness_fire(&h, "nic0");
	assert_true(irr_has(1, V33));
	HARNESS_FIRE_UNTIL(&h, "hp", harness_actor_done(&h, "hp"));
	/* the IRR check on the old CPU found it and retriggered */
	harness_expect_event(&h, 0, "msi_set_affinity",
			     "pending in the local IRR: irq_retrigger()");
	assert_true(irr_has(0, V33));
	assert_int_equal(harness_apicd(&h, irq)->cpu, 0);
	assert_int_equal(harness_run(&h, NULL), 0);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	harness_done(&h);
}

static void maskable_msi_masked_around_move_test(void **state)
{
	int irq;

	(void)state;
	harness_load(&h, UNPLUG("maskable", "set msi_affinity_slow_path=never\n"));
	irq = harness_irq(&h, 0, 0);
	assert_true(harness_apicd(&h, irq)->can_reserve);
	unplug_until_address_written();
	/* migrate_one_irq() masked it: the message waits, pending */
	assert_true(msix_entry_masked(harness_pdev(&h, 0), 0));
	harness_fire(&h, "nic0");
	assert_false(irr_has(0, V32));
	assert_int_equal(harness_pdev(&h, 0)->pba, 1);
	assert_int_equal(harness_run(&h, NULL), 0);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			pci_msi_enable_reservation_mode_only_if_maskable_test),
		cmocka_unit_test(pci_msi_enable_wrong_capability_test),
		cmocka_unit_test(device_msi_and_msix_rejected_test),
		cmocka_unit_test(v618_direct_update_of_nonmaskable_msi_test),
		cmocka_unit_test(careful_move_retriggers_intermediate_hit_test),
		cmocka_unit_test(maskable_msi_masked_around_move_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
