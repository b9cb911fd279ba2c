// SPDX-License-Identifier: MIT
/*
 * Models the platform interrupt controller behind a PCI INTx line, as a
 * level-triggered input pin, in two profiles (the intc knob):
 *
 * x86-ioapic: arch/x86/kernel/apic/io_apic.c and the 82093AA IOAPIC (QEMU
 *   hw/intc/ioapic.c behaves the same): a level redirection entry sends its
 *   message when the line is asserted, the entry unmasked and Remote IRR
 *   clear, and sets Remote IRR; the EOI clears Remote IRR. A line that is
 *   still asserted is therefore delivered again on every unmask and every
 *   EOI: "an interrupt controller that reasserts the IRQ when it remains
 *   active" (Alex Williamson, seeds/001).
 *
 * ppc64: the controller seeds/001 reports for ppc64 ("will only send the
 *   one request"): a source signals a new assertion (a rising edge of the
 *   line); an assertion that arrives while the source is masked is latched
 *   and presented on unmask ("since the controller was masked at the new
 *   rising edge, it will send the interrupt when unmasked"); a line that
 *   merely stayed asserted is never presented again, neither on unmask nor
 *   on EOI. This is the behaviour of the seed, not a register model of
 *   XIVE or XICS.
 *
 * Both profiles deliver to the modeled x86 local APIC (the route is a
 * vector and a destination CPU, programmed at activation); only the level
 * semantics differ. Routing is mp_irqdomain_activate()/_deactivate() of
 * the IOAPIC domain, the parent being the x86 vector domain.
 */
#include "apic/internal.h"
#include "apic/trace.h"

#include <errno.h>

int apic_knob_intc;

static const char *const intc_names[] = { "x86-ioapic", "ppc64", NULL };

static const struct irqsim_knob knob_intc = {
	.name = "intc",
	.doc = "the platform interrupt controller of INTx lines: x86-ioapic "
	       "re-delivers a still-asserted level line on unmask and EOI "
	       "(Remote IRR); ppc64 signals only a new assertion, latched "
	       "while masked (seeds/001)",
	.def = INTC_X86_IOAPIC,
	.max = INTC_NR_KINDS - 1,
	.values = intc_names,
};

static struct intc_pin *pin_of(struct irqsim_ctx *ctx, int pin)
{
	return &apic_w(ctx)->intc[pin];
}

/* The controller sends the pin's message: the destination's IRR is set. */
static void intc_send(struct irqsim_ctx *ctx, int pin, const char *name,
		      const char *why, bool resignal)
{
	struct apic_world *aw = apic_w(ctx);
	struct intc_pin *p = &aw->intc[pin];

	if (IRQSIM_WARN_ON_ONCE(ctx, !p->vector || p->dest >= aw->nr_cpus))
		return;
	apic_vector_set(aw->cpu[p->dest].lapic.irr, p->vector);
	p->signals++;
	p->resignals += resignal;
	trace_intc_send(ctx, name, pin, p, why, resignal);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_INTC_PIN, pin, 0), IRQSIM_ACC_RMW);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_IRR, p->dest, p->vector),
		      IRQSIM_ACC_WRITE);
}

/*
 * x86: level asserted, entry unmasked, Remote IRR clear: the IOAPIC
 * delivers the entry's message and sets Remote IRR (82093AA). Hardware,
 * with no kernel twin; QEMU's emulation of it is ioapic_service()
 * (src/vmm/ioapic.c).
 */
static void ioapic_deliver(struct irqsim_ctx *ctx, int pin, const char *why,
			   bool resignal)
{
	struct intc_pin *p = pin_of(ctx, pin);

	if (!p->level || p->masked || p->in_service)
		return;
	p->in_service = 1;
	intc_send(ctx, pin, "ioapic", why, resignal);
}

static void ioapic_set_level(struct irqsim_ctx *ctx, int pin, bool level)
{
	struct intc_pin *p = pin_of(ctx, pin);

	if (p->level == level)
		return;
	p->level = level;
	trace_intc_set_level_ioapic(ctx, pin, p, level);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_INTC_PIN, pin, 0),
		      IRQSIM_ACC_RMW);
	if (level)
		ioapic_deliver(ctx, pin, "line asserted", false);
}

static void ioapic_mask(struct irqsim_ctx *ctx, int pin, bool masked)
{
	struct intc_pin *p = pin_of(ctx, pin);

	p->masked = masked;
	trace_intc_mask_ioapic(ctx, pin, p, masked);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_INTC_PIN, pin, 0),
		      IRQSIM_ACC_RMW);
	if (!masked)
		ioapic_deliver(ctx, pin, "unmasked, line still asserted", true);
}

/* The EOI clears Remote IRR; a still-asserted line is delivered again. */
static void ioapic_eoi(struct irqsim_ctx *ctx, int pin)
{
	struct intc_pin *p = pin_of(ctx, pin);

	p->in_service = 0;
	trace_intc_eoi_ioapic(ctx, pin, p);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_INTC_PIN, pin, 0),
		      IRQSIM_ACC_RMW);
	ioapic_deliver(ctx, pin, "EOI, line still asserted", true);
}

static const struct intc_ops ioapic_ops = {
	.name = "x86-ioapic",
	.set_level = ioapic_set_level,
	.mask = ioapic_mask,
	.eoi = ioapic_eoi,
};

/* ppc64-style: present a latched new assertion if unmasked and idle. */
static void ppc64_present(struct irqsim_ctx *ctx, int pin, const char *why)
{
	struct intc_pin *p = pin_of(ctx, pin);

	if (!p->latched || p->masked || p->in_service)
		return;
	p->latched = 0;
	p->in_service = 1;
	intc_send(ctx, pin, "ppc64-intc", why, false);
}

static void ppc64_set_level(struct irqsim_ctx *ctx, int pin, bool level)
{
	struct intc_pin *p = pin_of(ctx, pin);

	if (p->level == level)
		return;
	p->level = level;
	/* a level source no longer asserted has nothing to present */
	p->latched = level;
	trace_intc_set_level_ppc64(ctx, pin, p, level);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_INTC_PIN, pin, 0),
		      IRQSIM_ACC_RMW);
	if (level)
		ppc64_present(ctx, pin, "new assertion");
}

static void ppc64_mask(struct irqsim_ctx *ctx, int pin, bool masked)
{
	struct intc_pin *p = pin_of(ctx, pin);

	p->masked = masked;
	trace_intc_mask_ppc64(ctx, pin, p, masked);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_INTC_PIN, pin, 0),
		      IRQSIM_ACC_RMW);
	if (!masked)
		ppc64_present(ctx, pin, "unmasked with a latched assertion");
}

static void ppc64_eoi(struct irqsim_ctx *ctx, int pin)
{
	struct intc_pin *p = pin_of(ctx, pin);

	p->in_service = 0;
	trace_intc_eoi_ppc64(ctx, pin, p);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_INTC_PIN, pin, 0),
		      IRQSIM_ACC_RMW);
	ppc64_present(ctx, pin, "EOI with a latched assertion");
}

static const struct intc_ops ppc64_ops = {
	.name = "ppc64",
	.set_level = ppc64_set_level,
	.mask = ppc64_mask,
	.eoi = ppc64_eoi,
};

static const struct intc_ops *const intc_table[INTC_NR_KINDS] = {
	[INTC_X86_IOAPIC] = &ioapic_ops,
	[INTC_PPC64] = &ppc64_ops,
};

const struct intc_ops *intc_profile(int kind)
{
	return kind >= 0 && kind < INTC_NR_KINDS ? intc_table[kind] : NULL;
}

const struct intc_ops *intc_ops_of(const struct irqsim_ctx *ctx)
{
	return intc_table[irqsim_knob(ctx, apic_knob_intc)];
}

int intc_wire_pin(struct apic_world *aw, int pin, int irq)
{
	struct intc_pin *p;

	if (pin < 0 || pin >= IRQSIM_MAX_INTC_PINS || irq <= 0 ||
	    irq >= IRQSIM_MAX_IRQS)
		return -EINVAL;
	p = &aw->intc[pin];
	if (p->used)
		return -EBUSY;
	*p = (struct intc_pin){ .used = 1, .masked = 1, .irq = (int8_t)irq };
	return 0;
}

int intc_pin_of_irq(const struct apic_world *aw, int irq)
{
	for (int pin = 0; pin < IRQSIM_MAX_INTC_PINS; pin++)
		if (aw->intc[pin].used && aw->intc[pin].irq == irq)
			return pin;
	return -1;
}

struct intc_domain_activate_frame {
	int irq;
};

/**
 * intc_domain_activate - mp_irqdomain_activate() ->
 * ioapic_configure_entry(): write the route (vector and destination from
 * the parent's hw_irq_cfg); the mask bit is left as it is (irq_startup()
 * unmasks)
 * @irq: Linux irq
 */
static enum irqsim_step intc_domain_activate(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct intc_domain_activate_frame *v =
		IRQSIM_FRAME_VARS(f, struct intc_domain_activate_frame);
	struct apic_world *aw = apic_w(ctx);
	int pin = intc_pin_of_irq(aw, v->irq);
	struct intc_pin *p;

	IRQSIM_BEGIN(f);
	if (IRQSIM_WARN_ON_ONCE(ctx, pin < 0))
		IRQSIM_RETURN(ctx, -EINVAL);
	p = &aw->intc[pin];
	p->vector = aw->apicd[v->irq].cfg_vector;
	p->dest = aw->apicd[v->irq].cfg_dest;
	IRQSIM_EVENT(ctx, false, "mp_irqdomain_activate",
		     "%s pin%d route: vector %d -> cpu%d", intc_ops_of(ctx)->name,
		     pin, p->vector, p->dest);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(intc_domain_activate);

struct intc_domain_deactivate_frame {
	int irq;
};

/**
 * intc_domain_deactivate - mp_irqdomain_deactivate() ->
 * ioapic_mask_entry(): masked, no route
 * @irq: Linux irq
 */
static enum irqsim_step intc_domain_deactivate(struct irqsim_ctx *ctx,
					       struct irqsim_frame *f)
{
	struct intc_domain_deactivate_frame *v =
		IRQSIM_FRAME_VARS(f, struct intc_domain_deactivate_frame);
	struct apic_world *aw = apic_w(ctx);
	int pin = intc_pin_of_irq(aw, v->irq);
	struct intc_pin *p;

	IRQSIM_BEGIN(f);
	if (IRQSIM_WARN_ON_ONCE(ctx, pin < 0))
		IRQSIM_RETURN(ctx, 0);
	p = &aw->intc[pin];
	p->masked = 1;
	p->vector = 0;
	p->dest = 0;
	IRQSIM_EVENT(ctx, false, "mp_irqdomain_deactivate",
		     "%s pin%d masked, route cleared", intc_ops_of(ctx)->name,
		     pin);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(intc_domain_deactivate);

void apic_register_intc_fns(void)
{
	apic_knob_intc = irqsim_knob_register(&knob_intc);
}
