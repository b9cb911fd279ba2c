// SPDX-License-Identifier: MIT
/*
 * genirq on a level INTx irq (kernel/irq/manage.c, chip.c, resend.c):
 * disable_irq_nosync()/enable_irq() depth and the "Unbalanced enable"
 * warning, lazy disable versus IRQ_DISABLE_UNLAZY, handle_fasteoi_irq()
 * on a disabled irq, check_irq_resend() for a level irq, handle_level_irq,
 * and the fault injection of request_irq() and of the vector allocation.
 *
 * The expected values are the kernel's: __disable_irq() "if
 * (!desc->depth++) irq_disable(desc)"; __irq_disable() masks only when
 * asked (irq_settings_disable_unlazy) for a chip without irq_disable;
 * __enable_irq() WARNs at depth 0 and calls irq_startup() at depth 1;
 * check_irq_resend() returns -EINVAL and clears IRQS_PENDING for a level
 * irq without retriggering.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../intx_harness.h"

static const char machine[] =
	"cpus 2\n"
	"vcpus 1\n"
	"device nic0 intx=nopci23 affinity=cpu1\n"
	"actor vcpu0 vcpu=0 cpu=0\n"
	"actor t0 cpu=0\n"
	"main-loop cpu=0\n"
	"expect none\n";

#define DEV_ID 77

static struct harness h;

static int intx_irq(void)
{
	return h.w->vfio.msi.dev[0].intx.irq;
}

static struct irq_desc *desc(void)
{
	return &h.w->vfio.msi.irq.desc[intx_irq()];
}

static struct intc_pin *pin(void)
{
	return &h.w->vfio.msi.irq.apic.intc[0];
}

/* A fresh machine with @settings and the test action requested on t0. */
static void open_requested(const char *settings)
{
	harness_open(&h, machine, settings);
	assert_int_equal(harness_call(&h, "t0", fn_request_irq, intx_irq(),
				      harness_nop_handler_fn, DEV_ID, 0),
			 0);
}

static int teardown(void **state)
{
	(void)state;
	harness_close(&h);
	return 0;
}

static void request_irq_intx_level_started_test(void **state)
{
	(void)state;
	open_requested(NULL);
	/* __setup_irq(): activated, irq_startup(): depth 0, unmasked */
	assert_true(desc()->settings & IRQ_LEVEL);
	assert_int_equal(desc()->depth, 0);
	assert_false(desc()->irqd & (IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED));
	assert_true(desc()->irqd & IRQD_ACTIVATED);
	/* mp_irqdomain_activate() programmed the vector domain's choice */
	assert_int_equal(pin()->vector,
			 h.w->vfio.msi.irq.apic.apicd[intx_irq()].vector);
	assert_int_equal(pin()->dest, 1);
	assert_false(pin()->masked);
	assert_int_equal(h.w->vfio.msi.irq.apic.sched.warnings, 0);
}

static void disable_irq_nosync_lazy_leaves_chip_unmasked_test(void **state)
{
	(void)state;
	open_requested(NULL);
	harness_call(&h, "t0", fn_disable_irq_nosync, intx_irq(), 0, 0, 0);
	assert_int_equal(desc()->depth, 1);
	assert_true(desc()->irqd & IRQD_IRQ_DISABLED);
	/* lazy: the chip has no irq_disable and UNLAZY is not set */
	assert_false(desc()->irqd & IRQD_IRQ_MASKED);
	assert_false(pin()->masked);
}

static void disable_irq_nosync_unlazy_masks_chip_test(void **state)
{
	(void)state;
	open_requested(NULL);
	desc()->settings |= IRQ_DISABLE_UNLAZY;
	harness_call(&h, "t0", fn_disable_irq_nosync, intx_irq(), 0, 0, 0);
	assert_int_equal(desc()->depth, 1);
	assert_true(desc()->irqd & IRQD_IRQ_DISABLED);
	assert_true(desc()->irqd & IRQD_IRQ_MASKED);
	assert_true(pin()->masked);
}

static void disable_enable_nested_depth_test(void **state)
{
	(void)state;
	open_requested(NULL);
	desc()->settings |= IRQ_DISABLE_UNLAZY;
	harness_call(&h, "t0", fn_disable_irq_nosync, intx_irq(), 0, 0, 0);
	harness_call(&h, "t0", fn_disable_irq_nosync, intx_irq(), 0, 0, 0);
	assert_int_equal(desc()->depth, 2);
	/* depth 2 -> 1: only a decrement, still disabled and masked */
	harness_call(&h, "t0", fn_enable_irq, intx_irq(), 0, 0, 0);
	assert_int_equal(desc()->depth, 1);
	assert_true(desc()->irqd & IRQD_IRQ_DISABLED);
	assert_true(pin()->masked);
	/* depth 1 -> 0: irq_startup() -> irq_enable(): unmasked */
	harness_call(&h, "t0", fn_enable_irq, intx_irq(), 0, 0, 0);
	assert_int_equal(desc()->depth, 0);
	assert_false(desc()->irqd & (IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED));
	assert_false(pin()->masked);
	assert_int_equal(h.w->vfio.msi.irq.stats.unbalanced_enable, 0);
}

static void enable_irq_unbalanced_is_kernel_warning_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	open_requested(NULL);
	assert_int_equal(harness_check_step(&h, &v), CHECK_NONE);
	harness_call(&h, "t0", fn_enable_irq, intx_irq(), 0, 0, 0);
	/* __enable_irq(): depth 0 -> WARN, nothing else changes */
	assert_int_equal(h.w->vfio.msi.irq.stats.unbalanced_enable, 1);
	assert_int_equal(desc()->depth, 0);
	assert_int_equal(harness_check_step(&h, &v), CHECK_KERNEL_WARNING);
	assert_non_null(strstr(v.what, "Unbalanced enable"));
}

/*
 * The heart of seeds/001 on the genirq side: an assertion that arrives
 * while the irq is lazily disabled is masked and EOI'd by
 * handle_fasteoi_irq() and never handled; enable_irq() unmasks and
 * check_irq_resend() does not resend a level irq. Whether the interrupt
 * comes back is up to the controller.
 */
static void fasteoi_disabled_then_enable(const char *settings,
					 bool expect_resent)
{
	int vector;

	open_requested(settings);
	vector = pin()->vector;
	harness_call(&h, "t0", fn_disable_irq_nosync, intx_irq(), 0, 0, 0);
	harness_raise_intx(&h, "nic0", 0);
	assert_true(harness_irr(&h, 1, vector));
	assert_true(harness_take_irq(&h, 1));
	/* handle_fasteoi_irq(): disabled -> IRQS_PENDING, mask, EOI */
	assert_int_equal(harness_handled, 0);
	assert_int_equal(desc()->disabled_hits, 1);
	assert_true(desc()->istate & IRQS_PENDING);
	assert_true(desc()->irqd & IRQD_IRQ_MASKED);
	assert_true(pin()->masked);
	assert_false(pin()->in_service);
	assert_false(apic_vector_test(h.w->vfio.msi.irq.apic.cpu[1].lapic.isr,
				      vector));
	assert_false(harness_irr(&h, 1, vector));

	harness_call(&h, "t0", fn_enable_irq, intx_irq(), 0, 0, 0);
	assert_int_equal(desc()->depth, 0);
	assert_false(pin()->masked);
	/* check_irq_resend(): level -> IRQS_PENDING cleared, no IPI */
	assert_false(desc()->istate & (IRQS_PENDING | IRQS_REPLAY));
	assert_int_equal(harness_irr(&h, 1, vector), expect_resent);
	if (expect_resent) {
		assert_true(harness_take_irq(&h, 1));
		assert_int_equal(harness_handled, 1);
	}
}

static void fasteoi_disabled_x86_ioapic_resends_test(void **state)
{
	(void)state;
	/* the IOAPIC: line asserted, entry unmasked, Remote IRR clear */
	fasteoi_disabled_then_enable("intc=x86-ioapic", true);
	/*
	 * The test action does not service the device: at its EOI the line
	 * is still asserted and the IOAPIC sends it once more (the "spew").
	 */
	assert_int_equal(pin()->resignals, 2);
	assert_true(harness_irr(&h, 1, pin()->vector));
	assert_true(pin()->in_service);
}

static void fasteoi_disabled_ppc64_not_resent_test(void **state)
{
	(void)state;
	/* no new assertion: the ppc64-style controller sends nothing */
	fasteoi_disabled_then_enable("intc=ppc64", false);
	assert_true(pin()->level);
	assert_int_equal(pin()->signals, 1);
}

static void fasteoi_handled_eoi_after_action_test(void **state)
{
	int vector;

	(void)state;
	open_requested("intc=ppc64");
	vector = pin()->vector;
	harness_raise_intx(&h, "nic0", 0);
	assert_true(harness_take_irq(&h, 1));
	assert_int_equal(harness_handled, 1);
	assert_int_equal(desc()->irq_count, 1);
	assert_false(desc()->irqd & (IRQD_IRQ_INPROGRESS | IRQD_IRQ_MASKED));
	/* cond_unmask_eoi_irq(): EOI'd at the CPU and the controller */
	assert_false(pin()->in_service);
	assert_false(apic_vector_test(h.w->vfio.msi.irq.apic.cpu[1].lapic.isr,
				      vector));
}

static void level_flow_masks_during_handler_test(void **state)
{
	(void)state;
	open_requested("intx_flow=level intc=ppc64");
	assert_int_equal(desc()->handle_irq, fn_handle_level_irq);
	/* a handler that disables: the line stays masked (cond_unmask_irq) */
	harness_call(&h, "t0", fn_disable_irq_nosync, intx_irq(), 0, 0, 0);
	harness_call(&h, "t0", fn_enable_irq, intx_irq(), 0, 0, 0);
	harness_raise_intx(&h, "nic0", 0);
	assert_true(harness_take_irq(&h, 1));
	/* handled, then unmasked again: it was not disabled */
	assert_int_equal(harness_handled, 1);
	assert_false(desc()->irqd & IRQD_IRQ_MASKED);
	assert_false(pin()->masked);

	harness_call(&h, "t0", fn_disable_irq_nosync, intx_irq(), 0, 0, 0);
	/* lazy: still unmasked; the next entry masks it before anything */
	assert_false(pin()->masked);
	pci_intx_read_status(&(struct irqsim_ctx){ .world = h.w, .rt = &h.rt },
			     0);
	harness_raise_intx(&h, "nic0", 0);
	assert_true(harness_take_irq(&h, 1));
	assert_int_equal(harness_handled, 1);
	assert_true(pin()->masked);
	assert_true(desc()->istate & IRQS_PENDING);
}

static void request_irq_injected_failure_errno_test(void **state)
{
	(void)state;
	harness_open(&h, machine, "fail_request_irq=1");
	assert_int_equal(harness_call(&h, "t0", fn_request_irq, intx_irq(),
				      harness_nop_handler_fn, DEV_ID, 0),
			 -ENOMEM);
	harness_close(&h);
	harness_open(&h, machine, "fail_request_irq=1 fail_errno=EBUSY");
	assert_int_equal(harness_call(&h, "t0", fn_request_irq, intx_irq(),
				      harness_nop_handler_fn, DEV_ID, 0),
			 -EBUSY);
	/* failed before touching anything */
	assert_int_equal(desc()->action_fn, -1);
	assert_false(desc()->irqd & IRQD_ACTIVATED);
	/* the 2nd request is not the Nth any more */
	assert_int_equal(harness_call(&h, "t0", fn_request_irq, intx_irq(),
				      harness_nop_handler_fn, DEV_ID, 0),
			 0);
}

static void vector_alloc_injected_failure_unwinds_test(void **state)
{
	const struct irq_matrix *m;

	(void)state;
	harness_open(&h, machine, "fail_vector_alloc=1");
	m = &h.w->vfio.msi.irq.apic.matrix;
	assert_int_equal(harness_call(&h, "t0", fn_request_irq, intx_irq(),
				      harness_nop_handler_fn, DEV_ID, 0),
			 -ENOSPC);
	/* irq_activate() failed: nothing started, no vector, no action */
	assert_int_equal(desc()->action_fn, -1);
	assert_false(desc()->irqd & (IRQD_ACTIVATED | IRQD_IRQ_STARTED));
	assert_int_equal(m->total_allocated, 0);
	assert_int_equal(pin()->vector, 0);
	assert_int_equal(h.w->vfio.msi.irq.stats.request_failed, 1);
	/* the lock and irq state are released: a retry succeeds */
	assert_int_equal(harness_call(&h, "t0", fn_request_irq, intx_irq(),
				      harness_nop_handler_fn, DEV_ID, 0),
			 0);
	assert_int_equal(m->total_allocated, 1);
}

static void free_irq_clears_unlazy_test(void **state)
{
	(void)state;
	open_requested(NULL);
	desc()->settings |= IRQ_DISABLE_UNLAZY;
	assert_int_equal(harness_call(&h, "t0", fn_free_irq, intx_irq(), DEV_ID,
				      0, 0),
			 0);
	/* __free_irq(): last action -> irq_settings_clr_disable_unlazy() */
	assert_false(desc()->settings & IRQ_DISABLE_UNLAZY);
	assert_true(pin()->masked);
	assert_int_equal(pin()->vector, 0);
	assert_int_equal(h.w->vfio.msi.irq.apic.matrix.total_allocated, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(request_irq_intx_level_started_test,
					  teardown),
		cmocka_unit_test_teardown(
			disable_irq_nosync_lazy_leaves_chip_unmasked_test,
			teardown),
		cmocka_unit_test_teardown(
			disable_irq_nosync_unlazy_masks_chip_test, teardown),
		cmocka_unit_test_teardown(disable_enable_nested_depth_test,
					  teardown),
		cmocka_unit_test_teardown(
			enable_irq_unbalanced_is_kernel_warning_test, teardown),
		cmocka_unit_test_teardown(
			fasteoi_disabled_x86_ioapic_resends_test, teardown),
		cmocka_unit_test_teardown(
			fasteoi_disabled_ppc64_not_resent_test, teardown),
		cmocka_unit_test_teardown(fasteoi_handled_eoi_after_action_test,
					  teardown),
		cmocka_unit_test_teardown(level_flow_masks_during_handler_test,
					  teardown),
		cmocka_unit_test_teardown(
			request_irq_injected_failure_errno_test, teardown),
		cmocka_unit_test_teardown(
			vector_alloc_injected_failure_unwinds_test, teardown),
		cmocka_unit_test_teardown(free_irq_clears_unlazy_test,
					  teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
