// SPDX-License-Identifier: MIT
/*
 * The two interrupt-controller profiles of a level INTx line (intc.c), in
 * isolation: which hardware events send a message to the CPU.
 *
 * x86-ioapic, from the 82093AA datasheet (and QEMU hw/intc/ioapic.c
 * ioapic_service/ioapic_eoi_broadcast): a level entry sends when the line
 * is asserted, the entry unmasked and Remote IRR clear, and sets Remote
 * IRR; the EOI clears Remote IRR. So a still-asserted line is sent again on
 * unmask and on EOI.
 * ppc64, as seeds/001 describes it: only a new assertion is signalled;
 * one that arrives while masked is sent on unmask ("since the controller
 * was masked at the new rising edge, it will send the interrupt when
 * unmasked"); a line that stayed asserted is not sent again.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "apic/apic.h"

#define VECTOR 0x21
#define DEST 1
#define IRQ 3

static struct apic_world aw;
static int knobs[IRQSIM_MAX_KNOBS];
static struct irqsim_rt rt = { .knob = knobs };
static struct irqsim_ctx ctx = { .world = &aw, .rt = &rt };

static int setup_world(void **state)
{
	(void)state;
	apic_init(-1);
	memset(&aw, 0, sizeof(aw));
	apic_world_init(&aw, 2);
	assert_int_equal(intc_wire_pin(&aw, 0, IRQ), 0);
	/* mp_irqdomain_activate() would program this route */
	aw.intc[0].vector = VECTOR;
	aw.intc[0].dest = DEST;
	return 0;
}

/* Did the controller send since the last call? (consumes the IRR bit) */
static bool sent(void)
{
	bool s = apic_vector_test(aw.cpu[DEST].lapic.irr, VECTOR);

	apic_vector_clear(aw.cpu[DEST].lapic.irr, VECTOR);
	return s;
}

static void intc_wire_pin_validates_test(void **state)
{
	(void)state;
	/* a wired pin starts masked, line low, no route of its own */
	assert_true(aw.intc[0].used);
	assert_true(aw.intc[0].masked);
	assert_int_equal(intc_pin_of_irq(&aw, IRQ), 0);
	assert_int_equal(intc_pin_of_irq(&aw, IRQ + 1), -1);
	assert_int_equal(intc_wire_pin(&aw, 0, IRQ + 1), -EBUSY);
	assert_int_equal(intc_wire_pin(&aw, IRQSIM_MAX_INTC_PINS, 1), -EINVAL);
	assert_int_equal(intc_wire_pin(&aw, 1, 0), -EINVAL);
	assert_null(intc_profile(INTC_NR_KINDS));
}

static void ioapic_level_redelivered_on_unmask_and_eoi_test(void **state)
{
	const struct intc_ops *o = intc_profile(INTC_X86_IOAPIC);

	(void)state;
	/* asserted while masked: nothing; unmask: sent, Remote IRR set */
	o->set_level(&ctx, 0, true);
	assert_false(sent());
	o->mask(&ctx, 0, false);
	assert_true(sent());
	assert_true(aw.intc[0].in_service);
	/* Remote IRR set: a repeated unmask sends nothing */
	o->mask(&ctx, 0, true);
	o->mask(&ctx, 0, false);
	assert_false(sent());
	/* EOI with the line still asserted: sent again */
	o->eoi(&ctx, 0);
	assert_true(sent());
	/* masked at EOI: Remote IRR clears, nothing sent ... */
	o->mask(&ctx, 0, true);
	o->eoi(&ctx, 0);
	assert_false(sent());
	assert_false(aw.intc[0].in_service);
	/* ... until the unmask, the line still asserted */
	o->mask(&ctx, 0, false);
	assert_true(sent());
	/* every send here was on an unmask or an EOI, none on an assertion */
	assert_int_equal(aw.intc[0].signals, 3);
	assert_int_equal(aw.intc[0].resignals, 3);
	/* deasserted at EOI: nothing more */
	o->set_level(&ctx, 0, false);
	o->eoi(&ctx, 0);
	assert_false(sent());
	assert_int_equal(aw.sched.warnings, 0);
}

static void ppc64_signals_only_new_assertions_test(void **state)
{
	const struct intc_ops *o = intc_profile(INTC_PPC64);

	(void)state;
	o->mask(&ctx, 0, false);
	/* a new assertion while unmasked: sent */
	o->set_level(&ctx, 0, true);
	assert_true(sent());
	/* the line stays asserted: EOI and unmask send nothing */
	o->eoi(&ctx, 0);
	assert_false(sent());
	o->mask(&ctx, 0, true);
	o->mask(&ctx, 0, false);
	assert_false(sent());
	assert_true(aw.intc[0].level);
	/* deassert, then a new assertion while masked: latched ... */
	o->set_level(&ctx, 0, false);
	o->mask(&ctx, 0, true);
	o->set_level(&ctx, 0, true);
	assert_false(sent());
	assert_true(aw.intc[0].latched);
	/* ... and sent on unmask */
	o->mask(&ctx, 0, false);
	assert_true(sent());
	assert_int_equal(aw.intc[0].signals, 2);
	assert_int_equal(aw.intc[0].resignals, 0);
}

static void ppc64_assertion_during_service_sent_at_eoi_test(void **state)
{
	const struct intc_ops *o = intc_profile(INTC_PPC64);

	(void)state;
	o->mask(&ctx, 0, false);
	o->set_level(&ctx, 0, true);
	assert_true(sent());
	/* deasserted and asserted again before the EOI: one new assertion */
	o->set_level(&ctx, 0, false);
	o->set_level(&ctx, 0, true);
	assert_false(sent());
	o->eoi(&ctx, 0);
	assert_true(sent());
	/* a latched assertion withdrawn by a deassert is not sent */
	o->eoi(&ctx, 0);
	o->mask(&ctx, 0, true);
	o->set_level(&ctx, 0, false);
	o->set_level(&ctx, 0, true);
	o->set_level(&ctx, 0, false);
	o->mask(&ctx, 0, false);
	assert_false(sent());
}

static void intc_knob_selects_profile_test(void **state)
{
	int id = irqsim_knob_lookup("intc");

	(void)state;
	assert_true(id >= 0);
	/* the default is the x86 host of Linux v6.18 */
	assert_int_equal(irqsim_knob_get(id)->def, INTC_X86_IOAPIC);
	knobs[id] = INTC_PPC64;
	assert_ptr_equal(intc_ops_of(&ctx), intc_profile(INTC_PPC64));
	knobs[id] = INTC_X86_IOAPIC;
	assert_ptr_equal(intc_ops_of(&ctx), intc_profile(INTC_X86_IOAPIC));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(intc_wire_pin_validates_test,
				       setup_world),
		cmocka_unit_test_setup(
			ioapic_level_redelivered_on_unmask_and_eoi_test,
			setup_world),
		cmocka_unit_test_setup(ppc64_signals_only_new_assertions_test,
				       setup_world),
		cmocka_unit_test_setup(
			ppc64_assertion_during_service_sent_at_eoi_test,
			setup_world),
		cmocka_unit_test_setup(intc_knob_selects_profile_test,
				       setup_world),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
