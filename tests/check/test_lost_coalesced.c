// SPDX-License-Identifier: MIT
/*
 * The lost-interrupt verdict of a wait-for-ack device that raised twice
 * (src/check/check.c check_lost, src/msi/msi.c pci_dev_raise).
 *
 * The device of seeds/000 sends an MSI only when it is not waiting for
 * the driver's ack (raise_interrupt(): "if (!wait_for_driver_ack)"); a
 * second event while the first is unread sets the status bit again and
 * sends nothing. When the first event's message is lost, the lost event
 * is the first raise, not the device's last one: the verdict must name
 * its step (pci_dev.pending_step, set when the status bit goes from clear
 * to set) and explain the loss by what happened after it, even when the
 * second raise came after that.
 *
 * Two losses of the first message, each followed by a coalesced raise:
 * common_interrupt() finding VECTOR_SHUTDOWN in the free_irq() /
 * request_irq() window of QEMU's SET_IRQS swap (seeds/000, race B), and
 * the event hitting a device with MSI-X disabled by QEMU's NORESIZE
 * growth (vfio_msi_disable() -> pci_free_irq_vectors(), seeds/002).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define CPU 1
#define VEC FIRST_EXTERNAL_VECTOR
#define BIT(kind) (1u << (kind))

/* seeds/000 race B (traces/seed000-vfio-loss.trace), two events. */
#define SWAP_VM							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 0\n"		\
	"vcpu0: guest_msix_mask nic0 0\n"			\
	"vcpu0: guest_msix_unmask nic0 0\n"			\
	"nic0: raise 0\n"					\
	"nic0: raise 0\n"

/*
 * seeds/002 (traces/seed002-late-request.trace) with QEMU 8.1: the late
 * request_irq() of vector 1 grows MSI-X the NORESIZE way. Two events.
 */
#define GROWTH_VM							\
	"cpus 2\n"							\
	"vcpus 1\n"							\
	"device nic0 msix=2 behaviour=ack affinity=cpu1 intx=pci23\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"					\
	"main-loop cpu=0\n"						\
	"profile qemu-8.1\n"						\
	"setup vcpu0: guest_msix_enable nic0\n"				\
	"setup vcpu0: guest_request_irq nic0 0 0\n"			\
	"vcpu0: guest_request_irq nic0 1 0\n"				\
	"nic0: raise 0\n"						\
	"nic0: raise 0\n"

static struct harness h;

static int teardown(void **state)
{
	(void)state;
	harness_done(&h);
	return 0;
}

static void expect_what(const struct irqsim_verdict *v, const char *text)
{
	if (!strstr(v->what, text)) {
		print_error("verdict '%s' does not say '%s'\n", v->what, text);
		fail();
	}
}

/* Fire the device's next raise; return the step it happened at. */
static uint32_t raise_event(void)
{
	uint32_t step = harness_sched(&h)->step;

	harness_fire(&h, "nic0");
	return step;
}

static void lost_in_shutdown_window_names_first_raise_test(void **state)
{
	struct pci_dev *pdev;
	uint32_t first, second, discard;
	const struct irqsim_verdict *v = &h.res.verdict;
	char text[48];

	(void)state;
	harness_load(&h, SWAP_VM);
	pdev = harness_pdev(&h, 0);

	/* The first event: the device sends its MSI, cpu1's IRR has it. */
	first = raise_event();
	assert_int_equal(pdev->sent[0], 1);
	assert_int_equal(pdev->pending_step[0], first);
	assert_int_equal(harness_irr_count(&h, CPU), 1);

	/*
	 * The guest's mask traps to QEMU: SET_IRQS frees the irq,
	 * clear_irq_vector() leaves VECTOR_SHUTDOWN in vector_irq[] ...
	 */
	HARNESS_FIRE_UNTIL(&h, "vcpu0",
			   harness_slot(&h, CPU, VEC) == VECTOR_SHUTDOWN);
	/*
	 * ... and cpu1 takes the vector now: common_interrupt() finds no
	 * descriptor and EOIs it, once it got vector_lock (held by the
	 * deactivation) for the re-evaluation.
	 */
	harness_fire(&h, "cpu1:irq");
	for (int i = 0; !harness_apic(&h)->stats.discards; i++) {
		assert_true(i < HARNESS_UNTIL_BOUND);
		harness_fire(&h, harness_enabled(&h, "cpu1") ? "cpu1" : "vcpu0");
	}
	discard = harness_apic(&h)->stats.last_discard_step;
	assert_true(discard > first);

	/* The second event, after the loss: coalesced, no MSI. */
	second = raise_event();
	assert_true(second > discard);
	assert_int_equal(pdev->raised[0], 2);
	assert_int_equal(pdev->sent[0], 1);
	assert_int_equal(pdev->last_raise_step[0], second);
	assert_int_equal(pdev->pending_step[0], first);

	assert_int_equal(h.step_verdict.kind, CHECK_NONE);
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	/* The first raise is the lost event, not the device's last one ... */
	snprintf(text, sizeof(text), "the event raised at step %u never",
		 first);
	expect_what(v, text);
	assert_true(v->has_origin);
	assert_int_equal(v->origin_step, first);
	/* ... lost at the discard, which came before the second raise. */
	snprintf(text, sizeof(text), "discarded at step %u:", discard);
	expect_what(v, text);
	expect_what(v, "found SHUTDOWN");
	expect_what(v, "waits for an ack forever");
	assert_int_equal(v->step, discard);
}

static void lost_with_msix_off_names_first_raise_test(void **state)
{
	struct pci_dev *pdev;
	uint32_t first, second;
	const struct irqsim_verdict *v = &h.res.verdict;
	char text[64];

	(void)state;
	harness_load(&h, GROWTH_VM);
	/* past the step oracle's finding, as an expect line's ignore= */
	h.rt.ignore = BIT(CHECK_MSIX_DISABLED);
	pdev = harness_pdev(&h, 0);

	/* vfio_msi_disable(): the host clears MSI-X enable on the device */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", !pdev->msix_enabled);
	/* The first event: no MSI possible, the device goes to INTx. */
	first = raise_event();
	assert_int_equal(pdev->msix_off_step, first + 1);
	assert_true(pdev->msix_off_intx & 1u);
	assert_int_equal(pdev->pending_step[0], first);

	/* QEMU enables MSI-X again with both vectors. */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_true(pdev->msix_enabled);
	/* The second event: the device still waits for the ack, no MSI. */
	second = raise_event();
	assert_true(second > first + 1);
	assert_int_equal(pdev->raised[0], 2);
	assert_int_equal(pdev->msix_off_step, first + 1);
	assert_int_equal(pdev->last_raise_step[0], second);
	assert_int_equal(pdev->pending_step[0], first);

	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	snprintf(text, sizeof(text), "the event raised at step %u never",
		 first);
	expect_what(v, text);
	assert_int_equal(v->origin_step, first);
	snprintf(text, sizeof(text),
		 "MSI-X was disabled on the device at step %u", first);
	expect_what(v, text);
	expect_what(v, "redirected to INTx");
	assert_int_equal(v->step, first);
}

/*
 * A driver read (pci_dev_read_status(), the handler acking the device)
 * ends the pending event: the next raise is a new one, with its own MSI.
 */
static void read_restarts_pending_test(void **state)
{
	struct irqsim_ctx ctx = { .rt = &h.rt };
	struct pci_dev *pdev;
	uint32_t first, second;

	(void)state;
	harness_load(&h, SWAP_VM);
	ctx.world = h.w;
	pdev = harness_pdev(&h, 0);
	first = raise_event();
	assert_int_equal(pdev->pending_step[0], first);
	assert_true(pci_dev_read_status(&ctx, 0, 0));
	assert_int_equal(pdev->pending_step[0], 0);
	second = raise_event();
	assert_int_equal(pdev->sent[0], 2);
	assert_int_equal(pdev->pending_step[0], second);
	assert_int_equal(pdev->last_raise_step[0], second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			lost_in_shutdown_window_names_first_raise_test,
			teardown),
		cmocka_unit_test_teardown(
			lost_with_msix_off_names_first_raise_test, teardown),
		cmocka_unit_test_teardown(read_restarts_pending_test, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
