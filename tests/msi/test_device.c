// SPDX-License-Identifier: MIT
/*
 * Device behaviour models (src/msi/msi.c pci_dev_raise, host_driver.c):
 * the wait_for_driver_ack device of tglx's analysis in seeds/000
 *
 *	raise_interrupt()
 *		if (!wait_for_driver_ack) {
 *			wait_for_driver_ack = true;
 *			send_msi_message();
 *		}
 *
 * which raises a new MSI only after the driver read its status, and a
 * free-running device that sends an MSI for every event.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define HOST(behaviour)						\
	"cpus 2\n"						\
	"device nic0 msix=1 behaviour=" behaviour " affinity=cpu1\n" \
	"actor drv cpu=0\n"					\
	"setup drv: pci_msix_enable nic0 1\n"			\
	"setup drv: host_request_irq nic0 0\n"

#define CPU 1
#define VEC FIRST_EXTERNAL_VECTOR

static struct harness h;

static bool cpu1_idle(void)
{
	return !harness_sched(&h)->actor[harness_actor(&h, "cpu1")].nframes;
}

static void device_wait_for_ack_one_msi_until_read_test(void **state)
{
	struct pci_dev *pdev;

	(void)state;
	harness_load(&h, HOST("ack") "nic0: raise 0\nnic0: raise 0\n"
				     "nic0: raise 0\n");
	pdev = harness_pdev(&h, 0);

	harness_fire_n(&h, "nic0", 2);
	/* Two events, one MSI: the device waits for the driver's read. */
	assert_int_equal(pdev->raised[0], 2);
	assert_int_equal(pdev->sent[0], 1);
	assert_true(pdev->wait_ack & 1);
	assert_true(pdev->status & 1);

	/* The host driver's handler reads the status: that is the ack. */
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", cpu1_idle());
	assert_int_equal(pdev->consumed[0], 1);
	assert_false(pdev->wait_ack & 1);
	assert_false(pdev->status & 1);

	/* The next event gets its own MSI again. */
	harness_fire(&h, "nic0");
	assert_int_equal(pdev->sent[0], 2);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(pdev->consumed[0], 2);
	assert_int_equal(pdev->empty_reads[0], 0);
	harness_done(&h);
}

static void device_free_running_msi_per_event_test(void **state)
{
	struct pci_dev *pdev;

	(void)state;
	harness_load(&h, HOST("free-running") "nic0: raise 0\nnic0: raise 0\n");
	pdev = harness_pdev(&h, 0);
	harness_fire_n(&h, "nic0", 2);
	/* An MSI for each event, no ack awaited. */
	assert_int_equal(pdev->raised[0], 2);
	assert_int_equal(pdev->sent[0], 2);
	/* Both land in the same IRR bit (the APIC latches one per vector). */
	assert_int_equal(harness_irr_count(&h, CPU), 1);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(pdev->consumed[0], 1);
	harness_done(&h);
}

static void device_wait_for_ack_unread_event_is_lost_test(void **state)
{
	struct irqsim_verdict v;
	struct pci_dev *pdev;

	(void)state;
	/*
	 * The MSI is discarded before the driver sees it (a vector_irq slot
	 * without a descriptor: common_interrupt() EOIs it), and the device
	 * waits for an ack that never comes: a lost interrupt.
	 */
	harness_load(&h, HOST("ack") "nic0: raise 0\nnic0: raise 0\n");
	pdev = harness_pdev(&h, 0);
	harness_fire(&h, "nic0");
	harness_apic(&h)->cpu[CPU].vector_irq[VEC] = VECTOR_SHUTDOWN;
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", cpu1_idle());
	assert_int_equal(harness_apic(&h)->stats.discards, 1);
	harness_apic(&h)->cpu[CPU].vector_irq[VEC] =
		(int16_t)harness_irq(&h, 0, 0);
	harness_fire(&h, "nic0");
	assert_int_equal(pdev->sent[0], 1);
	assert_int_equal(harness_check_end(&h, &v), CHECK_LOST_INTERRUPT);
	assert_non_null(strstr(v.what, "waits for an ack forever"));
	harness_done(&h);
}

static void device_interrupts_off_then_on_reraises_test(void **state)
{
	struct pci_dev *pdev;

	(void)state;
	harness_load(&h, HOST("ack")
		     "drv: disable_irq_in_device nic0 0\n"
		     "nic0: raise 0\n"
		     "drv: enable_irq_in_device nic0 0\n");
	pdev = harness_pdev(&h, 0);
	harness_fire(&h, "drv");
	harness_fire(&h, "nic0");
	/* Quiesced by its driver: the event is recorded, no MSI. */
	assert_true(pdev->status & 1);
	assert_int_equal(pdev->sent[0], 0);
	/* Re-enabled with an unread event: the device signals it again. */
	harness_fire(&h, "drv");
	assert_int_equal(pdev->sent[0], 1);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(pdev->consumed[0], 1);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_wait_for_ack_one_msi_until_read_test),
		cmocka_unit_test(device_free_running_msi_per_event_test),
		cmocka_unit_test(device_wait_for_ack_unread_event_is_lost_test),
		cmocka_unit_test(device_interrupts_off_then_on_reraises_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
