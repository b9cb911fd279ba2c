// SPDX-License-Identifier: MIT
/*
 * Models kernel/irq/chip.c (irq_startup, irq_shutdown, irq_enable,
 * irq_disable/__irq_disable, irq_modify_status, mask_irq, unmask_irq,
 * handle_edge_irq, handle_fasteoi_irq, handle_level_irq),
 * kernel/irq/resend.c (check_irq_resend), kernel/irq/handle.c
 * (handle_irq_event) and the activation walk of kernel/irq/irqdomain.c
 * (Linux v6.18).
 */
#include "irq/internal.h"

#include <errno.h>

int fn_irq_startup;
int fn_irq_shutdown;
int fn_check_irq_resend;
int fn_irq_domain_activate_irq;
int fn_irq_domain_deactivate_irq;
int fn_generic_handle_irq_desc;
int fn_handle_edge_irq;
int fn_handle_fasteoi_irq;
int fn_handle_level_irq;
int fn_irq_modify_status;

static const struct irq_chip *chips[IRQSIM_MAX_CHIPS];
static int nr_chips;
static const struct irq_domain_chain *domains[IRQSIM_MAX_DOMAINS];
static int nr_domains;

int irq_register_chip(const struct irq_chip *chip)
{
	for (int i = 0; i < nr_chips; i++)
		if (chips[i] == chip)
			return i;
	if (nr_chips == IRQSIM_MAX_CHIPS)
		return -ENOSPC;
	chips[nr_chips] = chip;
	return nr_chips++;
}

int irq_register_domain_chain(const struct irq_domain_chain *chain)
{
	for (int i = 0; i < nr_domains; i++)
		if (domains[i] == chain)
			return i;
	if (nr_domains == IRQSIM_MAX_DOMAINS)
		return -ENOSPC;
	domains[nr_domains] = chain;
	return nr_domains++;
}

const struct irq_chip *irq_desc_chip(const struct irq_desc *desc)
{
	return chips[desc->chip];
}

const struct irq_domain_chain *irq_desc_domain(const struct irq_desc *desc)
{
	return domains[desc->domain];
}

bool mask_irq(struct irqsim_ctx *ctx, int irq)
{
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	if (desc->irqd & IRQD_IRQ_MASKED)
		return false;
	irq_desc_chip(desc)->irq_mask(ctx, irq);
	desc->irqd |= IRQD_IRQ_MASKED;
	return true;
}

bool unmask_irq(struct irqsim_ctx *ctx, int irq)
{
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	if (!(desc->irqd & IRQD_IRQ_MASKED))
		return false;
	irq_desc_chip(desc)->irq_unmask(ctx, irq);
	desc->irqd &= ~IRQD_IRQ_MASKED;
	return true;
}

/*
 * irq_disable() = __irq_disable(desc, irq_settings_disable_unlazy(desc)):
 * mark the irq disabled; mask it at the chip only when asked (unlazy) —
 * the modeled chips have no irq_disable callback that would mask anyway.
 * An irq that is already disabled is only masked when asked.
 * Return: true if the chip was touched (a visible action).
 */
bool irq_disable(struct irqsim_ctx *ctx, int irq)
{
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	bool unlazy = desc->settings & IRQ_DISABLE_UNLAZY;

	if (!(desc->irqd & IRQD_IRQ_DISABLED))
		desc->irqd |= IRQD_IRQ_DISABLED;
	IRQSIM_EVENT(ctx, true, "irq_disable", "irq%d disabled (%s)", irq,
		     unlazy ? "IRQ_DISABLE_UNLAZY: masked at the chip now" :
			      "lazy: the chip is not masked here");
	irq_trace_state(ctx, "irq_disable", irq, IRQSIM_ACC_RMW);
	return unlazy && mask_irq(ctx, irq);
}

/*
 * irq_modify_status(irq, clr, set) for the settings bits (what
 * irq_set_status_flags()/irq_clear_status_flags() call): under desc->lock.
 * @arg0 irq, @arg1 clr, @arg2 set.
 */
static enum irqsim_step irq_modify_status(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	switch (f->pc) {
	case 0:
		apic_local_irq_save(ctx);
		f->pc = 1;
		/* fall through */
	case 1:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		desc->settings &= (uint16_t)~f->arg[1];
		desc->settings |= (uint16_t)f->arg[2];
		IRQSIM_EVENT(ctx, true, "irq_modify_status",
			     "irq%d IRQ_DISABLE_UNLAZY %s", irq,
			     desc->settings & IRQ_DISABLE_UNLAZY ? "set" :
								   "cleared");
		irq_trace_state(ctx, "irq_modify_status", irq,
				IRQSIM_ACC_RMW);
		f->pc = 2;
		return IRQSIM_YIELD;
	default:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		return irqsim_return(ctx, 0);
	}
}

/*
 * irq_domain_activate_irq(): no-op when IRQD_ACTIVATED; otherwise each
 * domain from the root (vector domain) outwards; on failure the domains
 * already activated are deactivated again. @arg0 irq, @arg1 reserve.
 */
static enum irqsim_step irq_domain_activate_irq(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	struct irq_desc *desc = irq_to_desc(ctx, f->arg[0]);
	const struct irq_domain_chain *chain = irq_desc_domain(desc);

	switch (f->pc) {
	case 0:
		if (desc->irqd & IRQD_ACTIVATED)
			return irqsim_return(ctx, 0);
		f->local[0] = 0;
		f->pc = 1;
		/* fall through */
	case 1:
		if (f->local[0] < chain->depth) {
			f->pc = 2;
			return irqsim_call(ctx, chain->activate_fn[f->local[0]],
					   f->arg[0], f->arg[1], 0, 0);
		}
		desc->irqd |= IRQD_ACTIVATED;
		return irqsim_return(ctx, 0);
	case 2:
		if (f->ret < 0) {
			f->local[1] = f->ret;
			f->pc = 3;
			return IRQSIM_CONTINUE;
		}
		f->local[0]++;
		f->pc = 1;
		return IRQSIM_CONTINUE;
	case 3:
	default:
		/* unwind the domains below the one that failed */
		if (--f->local[0] >= 0)
			return irqsim_call(ctx,
					   chain->deactivate_fn[f->local[0]],
					   f->arg[0], 0, 0, 0);
		return irqsim_return(ctx, f->local[1]);
	}
}

/* irq_domain_deactivate_irq(): outermost domain first. @arg0 irq. */
static enum irqsim_step irq_domain_deactivate_irq(struct irqsim_ctx *ctx,
						  struct irqsim_frame *f)
{
	struct irq_desc *desc = irq_to_desc(ctx, f->arg[0]);
	const struct irq_domain_chain *chain = irq_desc_domain(desc);

	if (f->pc == 0) {
		if (!(desc->irqd & IRQD_ACTIVATED))
			return irqsim_return(ctx, 0);
		f->local[0] = chain->depth;
		f->pc = 1;
	}
	if (--f->local[0] >= 0)
		return irqsim_call(ctx, chain->deactivate_fn[f->local[0]],
				   f->arg[0], 0, 0, 0);
	desc->irqd &= ~IRQD_ACTIVATED;
	return irqsim_return(ctx, 0);
}

/*
 * irq_startup(desc, resend, force): depth = 0, irq_enable() (clear DISABLED,
 * unmask at the chip) and, with resend, check_irq_resend(). PCI MSI sets
 * IRQCHIP_AFFINITY_PRE_STARTUP; the affinity setup before __irq_startup
 * keeps the vector assigned at activation, so it is not a step here.
 * @arg0 irq, @arg1 resend.
 */
static enum irqsim_step irq_startup(struct irqsim_ctx *ctx,
				    struct irqsim_frame *f)
{
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	bool visible;

	if (f->pc == 0) {
		desc->depth = 0;
		desc->irqd &= ~IRQD_IRQ_DISABLED;
		desc->irqd |= IRQD_IRQ_STARTED;
		visible = unmask_irq(ctx, irq);
		f->pc = 1;
		if (visible)
			return IRQSIM_YIELD;
	}
	if (f->pc == 1 && f->arg[1]) {
		f->pc = 2;
		return irqsim_call(ctx, fn_check_irq_resend, irq, 0, 0, 0);
	}
	return irqsim_return(ctx, 0);
}

/*
 * irq_shutdown(): only if started: clear_irq_resend(), depth++ (v6.17+;
 * older kernels set depth = 1), mask at the chip (PCI MSI-X has no
 * irq_disable; v6.18's pci_irq_shutdown_msix also just masks on x86),
 * clear STARTED. IRQS_PENDING survives: a pending edge is replayed by
 * check_irq_resend() at the next request_irq(). @arg0 irq.
 */
static enum irqsim_step irq_shutdown(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	bool visible;

	(void)f;
	if (!(desc->irqd & IRQD_IRQ_STARTED))
		return irqsim_return(ctx, 0);
	desc->depth++;
	desc->irqd |= IRQD_IRQ_DISABLED;
	visible = mask_irq(ctx, irq);
	desc->irqd &= ~IRQD_IRQ_STARTED;
	irqsim_return(ctx, 0);
	return visible ? IRQSIM_YIELD : IRQSIM_CONTINUE;
}

/*
 * check_irq_resend(desc, inject): an edge irq with IRQS_PENDING is
 * retriggered through the chip hierarchy (x86: apic_retrigger_irq, an IPI
 * to the current vector and CPU) and marked IRQS_REPLAY. The software
 * resend tasklet is not allowed for x86 vector irqs (enforce irqctx).
 * @arg0 irq, @arg1 inject.
 */
static enum irqsim_step check_irq_resend(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	const struct irq_chip *chip = irq_desc_chip(desc);

	if (f->pc == 0) {
		/*
		 * "We do not resend level type interrupts. Level type
		 * interrupts are resent by hardware when they are still
		 * active." Whether the hardware does is the controller's
		 * business: the ppc64-style one does not (seeds/001).
		 */
		if (desc->settings & IRQ_LEVEL) {
			if (desc->istate & IRQS_PENDING)
				IRQSIM_EVENT(ctx, true, "check_irq_resend",
					     "irq%d is level: IRQS_PENDING cleared, no resend",
					     irq);
			desc->istate &= ~IRQS_PENDING;
			return irqsim_return(ctx, -EINVAL);
		}
		if (desc->istate & IRQS_REPLAY)
			return irqsim_return(ctx, -EBUSY);
		if (!(desc->istate & IRQS_PENDING) && !f->arg[1])
			return irqsim_return(ctx, 0);
		desc->istate &= ~IRQS_PENDING;
		IRQSIM_EVENT(ctx, true, "check_irq_resend",
			     "irq%d IRQS_PENDING: retrigger", irq);
		IRQSIM_TRACE(ctx, "check_irq_resend", "irq=%d", irq);
		if (chip->irq_retrigger_fn < 0)
			return irqsim_return(ctx, -EINVAL);
		f->pc = 1;
		return irqsim_call(ctx, chip->irq_retrigger_fn, irq, 0, 0, 0);
	}
	if (f->ret > 0) {
		desc->istate |= IRQS_REPLAY;
		return irqsim_return(ctx, 0);
	}
	return irqsim_return(ctx, -EINVAL);
}

/*
 * The irq was freed while this CPU was on its way to the flow handler
 * (it read vector_irq before the vector went; pci_free_irq_vectors() ran
 * before it got desc->lock). irq_domain_free_irqs_top() has set the
 * handler to handle_bad_irq() under desc->lock, and RCU keeps the
 * descriptor's memory: the interrupt is reported and acked
 * (ack_bad_irq(): apic_eoi()) and goes nowhere. Return: true if so.
 */
static bool handle_bad_irq(struct irqsim_ctx *ctx, int irq, bool locked)
{
	struct irq_world *iw = irq_w(ctx);
	struct apic_stats *as = &iw->apic.stats;

	if (irq_to_desc(ctx, irq)->allocated)
		return false;
	IRQSIM_EVENT(ctx, true, "handle_bad_irq",
		     "irq%d was freed: unexpected IRQ trap, apic_eoi()", irq);
	IRQSIM_TRACE(ctx, "handle_bad_irq", "irq=%d", irq);
	if (locked)
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
	apic_eoi(ctx);
	as->discards++;
	as->last_discard_step = iw->apic.sched.step;
	as->last_discard_slot = (int16_t)irq;
	as->last_discard_cpu = (uint8_t)apic_this_cpu(ctx);
	return true;
}

/* generic_handle_irq_desc(): call desc->handle_irq. @arg0 irq. */
static enum irqsim_step generic_handle_irq_desc(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	struct irq_desc *desc = irq_to_desc(ctx, f->arg[0]);

	if (f->pc == 0) {
		if (handle_bad_irq(ctx, f->arg[0], false))
			return irqsim_return_yield(ctx, 0);
		f->pc = 1;
		return irqsim_call(ctx, desc->handle_irq, f->arg[0], 0, 0, 0);
	}
	return irqsim_return(ctx, 0);
}

enum {
	EDGE_LOCK,
	EDGE_CAN_HANDLE,
	EDGE_MASK_ACK,
	EDGE_LOOP,
	EDGE_RELOCK,
	EDGE_DONE,
	EDGE_MASK_ACKED,
};

/**
 * handle_edge_irq - flow handler of x86 PCI MSI/MSI-X
 * @arg0: irq
 *
 * Under desc->lock: an irq that cannot be handled (in progress elsewhere,
 * no action, disabled) is marked IRQS_PENDING and mask_ack'ed. Otherwise
 * the chip is acked first (apic_ack_edge: EOI before the handler runs),
 * then handle_irq_event() drops the lock around the action, looping while
 * a new edge arrived meanwhile.
 */
static enum irqsim_step handle_edge_irq(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	const struct irq_chip *chip = irq_desc_chip(desc);

	switch (f->pc) {
	case EDGE_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		if (handle_bad_irq(ctx, irq, true))
			return irqsim_return_yield(ctx, 0);
		f->pc = EDGE_CAN_HANDLE;
		/* fall through */
	case EDGE_CAN_HANDLE:
		/*
		 * irq_can_handle() = irq_can_handle_pm() (in progress on
		 * another CPU: no) && irq_can_handle_actions(), which clears
		 * IRQS_REPLAY before it looks for an action: a replayed edge
		 * that finds the irq freed again can be replayed once more.
		 */
		if (!(desc->irqd & IRQD_IRQ_INPROGRESS))
			desc->istate &= ~IRQS_REPLAY;
		if ((desc->irqd & (IRQD_IRQ_INPROGRESS | IRQD_IRQ_DISABLED)) ||
		    desc->action_fn < 0) {
			desc->istate |= IRQS_PENDING;
			IRQSIM_EVENT(ctx, true, "handle_edge_irq",
				     "irq%d cannot be handled (%s): IRQS_PENDING, mask_ack",
				     irq,
				     desc->action_fn < 0 ? "no action" :
				     desc->irqd & IRQD_IRQ_DISABLED ? "disabled" :
								     "in progress");
			IRQSIM_TRACE(ctx, "handle_edge_irq",
				     "irq=%d action=%s istate=IRQS_PENDING", irq,
				     desc->action_fn < 0 ? "none" : "busy");
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, irq, 0),
				      IRQSIM_ACC_READ);
			mask_irq(ctx, irq);
			f->pc = EDGE_MASK_ACK;
			return IRQSIM_YIELD;
		}
		desc->irq_count++;
		f->pc = EDGE_LOOP;
		/* apic_ack_edge(): irq_complete_move(), irq_move_irq(), EOI */
		if (chip->irq_ack_slow && chip->irq_ack_slow(ctx, irq))
			return irqsim_call(ctx, *chip->irq_ack_fn, irq, 0, 0, 0);
		chip->irq_ack(ctx, irq);
		return IRQSIM_YIELD;
	case EDGE_MASK_ACK:
		if (chip->irq_ack_slow && chip->irq_ack_slow(ctx, irq)) {
			f->pc = EDGE_MASK_ACKED;
			return irqsim_call(ctx, *chip->irq_ack_fn, irq, 0, 0, 0);
		}
		chip->irq_ack(ctx, irq);
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		return irqsim_return_yield(ctx, 0);
	case EDGE_MASK_ACKED:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		return irqsim_return_yield(ctx, 0);
	case EDGE_LOOP:
		if (desc->action_fn < 0) {
			mask_irq(ctx, irq);
			irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
			return irqsim_return_yield(ctx, 0);
		}
		if ((desc->istate & IRQS_PENDING) &&
		    !(desc->irqd & IRQD_IRQ_DISABLED))
			unmask_irq(ctx, irq);
		/* handle_irq_event() */
		desc->istate &= ~IRQS_PENDING;
		desc->irqd |= IRQD_IRQ_INPROGRESS;
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		IRQSIM_EVENT(ctx, false, "irq_handler_entry", "irq=%d", irq);
		IRQSIM_TRACE(ctx, "irq_handler_entry", "irq=%d dev_id=%d", irq,
			     desc->action_dev_id);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, irq, 0),
			      IRQSIM_ACC_READ);
		f->pc = EDGE_RELOCK;
		irqsim_call(ctx, desc->action_fn, irq, desc->action_dev_id,
			    desc->action_data, 0);
		return IRQSIM_YIELD;
	case EDGE_RELOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		desc->irqd &= ~IRQD_IRQ_INPROGRESS;
		irqsim_wake(ctx->world, IRQ_TOKEN_INPROGRESS(irq));
		if ((desc->istate & IRQS_PENDING) &&
		    !(desc->irqd & IRQD_IRQ_DISABLED)) {
			f->pc = EDGE_LOOP;
			return IRQSIM_YIELD;
		}
		f->pc = EDGE_DONE;
		return IRQSIM_YIELD;
	case EDGE_DONE:
	default:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		return irqsim_return_yield(ctx, 0);
	}
}

/*
 * irq_can_handle_pm() (not in progress on another CPU) and
 * irq_can_handle_actions() (clears IRQS_REPLAY; no action or disabled:
 * IRQS_PENDING). Return: 0 handle it, 1 in progress, 2 disabled/no action.
 */
static int irq_can_handle(struct irqsim_ctx *ctx, int irq, const char *fn)
{
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	desc->entries++;
	if (desc->irqd & IRQD_IRQ_INPROGRESS) {
		IRQSIM_EVENT(ctx, true, fn, "irq%d in progress elsewhere", irq);
		return 1;
	}
	desc->istate &= ~IRQS_REPLAY;
	if (desc->action_fn < 0 || (desc->irqd & IRQD_IRQ_DISABLED)) {
		desc->istate |= IRQS_PENDING;
		if (desc->irqd & IRQD_IRQ_DISABLED) {
			desc->disabled_hits++;
			desc->disabled_hit_step = irq_w(ctx)->apic.sched.step;
		}
		IRQSIM_EVENT(ctx, true, fn, "irq%d cannot be handled (%s): IRQS_PENDING",
			     irq, desc->action_fn < 0 ? "no action" : "disabled");
		irq_trace_state(ctx, fn, irq, IRQSIM_ACC_RMW);
		return 2;
	}
	desc->irq_count++;
	return 0;
}

/*
 * handle_irq_event(): clear IRQS_PENDING, set INPROGRESS, drop desc->lock
 * and call the action. The caller's pc must be its relock step.
 */
static void handle_irq_event(struct irqsim_ctx *ctx, int irq)
{
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	desc->istate &= ~IRQS_PENDING;
	desc->irqd |= IRQD_IRQ_INPROGRESS;
	irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
	IRQSIM_EVENT(ctx, false, "irq_handler_entry", "irq=%d", irq);
	irqsim_call(ctx, desc->action_fn, irq, desc->action_dev_id,
		    desc->action_data, 0);
}

/* Retake desc->lock after the action; clear INPROGRESS, wake waiters. */
static bool handle_irq_event_relock(struct irqsim_ctx *ctx, int irq)
{
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
		return false;
	desc->irqd &= ~IRQD_IRQ_INPROGRESS;
	irqsim_wake(ctx->world, IRQ_TOKEN_INPROGRESS(irq));
	return true;
}

enum {
	FEOI_LOCK,
	FEOI_CAN_HANDLE,
	FEOI_EOI_OUT,
	FEOI_RELOCK,
	FEOI_EOI,
	FEOI_DONE,
};

/**
 * handle_fasteoi_irq - flow handler of "transparent" controllers (the
 * IOAPIC's level entries, ppc64 XIVE/XICS)
 * @arg0: irq
 *
 * Under desc->lock: an irq in progress on another CPU is only EOI'd. A
 * disabled irq (or one without action) is marked IRQS_PENDING, masked at
 * the chip and EOI'd: with a lazy disable_irq() this is the first time the
 * line gets masked. Otherwise the action runs with the lock dropped, then
 * cond_unmask_eoi_irq() EOIs (not oneshot), and a pending irq goes through
 * check_irq_resend(), which never resends a level irq.
 */
static enum irqsim_step handle_fasteoi_irq(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	const struct irq_chip *chip = irq_desc_chip(desc);

	switch (f->pc) {
	case FEOI_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		if (handle_bad_irq(ctx, irq, true))
			return irqsim_return_yield(ctx, 0);
		f->pc = FEOI_CAN_HANDLE;
		/* fall through */
	case FEOI_CAN_HANDLE:
		switch (irq_can_handle(ctx, irq, "handle_fasteoi_irq")) {
		case 1:
			f->pc = FEOI_EOI_OUT;
			return IRQSIM_YIELD;
		case 2:
			f->pc = FEOI_EOI_OUT;
			mask_irq(ctx, irq);
			return IRQSIM_YIELD;
		}
		f->pc = FEOI_RELOCK;
		handle_irq_event(ctx, irq);
		return IRQSIM_YIELD;
	case FEOI_EOI_OUT:
		/* cond_eoi_irq(): no IRQCHIP_EOI_IF_HANDLED on these chips */
		chip->irq_eoi(ctx, irq);
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		return irqsim_return_yield(ctx, 0);
	case FEOI_RELOCK:
		if (!handle_irq_event_relock(ctx, irq))
			return IRQSIM_BLOCKED;
		f->pc = FEOI_EOI;
		return IRQSIM_YIELD;
	case FEOI_EOI:
		/* cond_unmask_eoi_irq(): not oneshot, so EOI only */
		chip->irq_eoi(ctx, irq);
		f->pc = FEOI_DONE;
		if (desc->istate & IRQS_PENDING)
			irqsim_call(ctx, fn_check_irq_resend, irq, 0, 0, 0);
		return IRQSIM_YIELD;
	case FEOI_DONE:
	default:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		return irqsim_return_yield(ctx, 0);
	}
}

enum {
	LEVEL_LOCK,
	LEVEL_MASK,
	LEVEL_ACK,
	LEVEL_RELOCK,
	LEVEL_DONE,
};

/**
 * handle_level_irq - flow handler of level chips that mask and ack first
 * @arg0: irq
 *
 * mask_ack_irq() before anything else, so the line is masked while the
 * action runs whatever disable_irq() does; cond_unmask_irq() unmasks
 * afterwards only if the irq is not disabled. A disabled irq stays masked.
 */
static enum irqsim_step handle_level_irq(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	const struct irq_chip *chip = irq_desc_chip(desc);

	switch (f->pc) {
	case LEVEL_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		if (handle_bad_irq(ctx, irq, true))
			return irqsim_return_yield(ctx, 0);
		f->pc = LEVEL_MASK;
		/* fall through */
	case LEVEL_MASK:
		/* mask_ack_irq(): mask, then ack */
		f->pc = LEVEL_ACK;
		if (mask_irq(ctx, irq))
			return IRQSIM_YIELD;
		/* fall through */
	case LEVEL_ACK:
		chip->irq_ack(ctx, irq);
		if (irq_can_handle(ctx, irq, "handle_level_irq")) {
			f->pc = LEVEL_DONE;
			return IRQSIM_YIELD;
		}
		f->pc = LEVEL_RELOCK;
		handle_irq_event(ctx, irq);
		return IRQSIM_YIELD;
	case LEVEL_RELOCK:
		if (!handle_irq_event_relock(ctx, irq))
			return IRQSIM_BLOCKED;
		f->pc = LEVEL_DONE;
		/* cond_unmask_irq() */
		if (!(desc->irqd & IRQD_IRQ_DISABLED) && unmask_irq(ctx, irq))
			return IRQSIM_YIELD;
		/* fall through */
	case LEVEL_DONE:
	default:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		return irqsim_return_yield(ctx, 0);
	}
}

void irq_register_chip_fns(void)
{
	fn_handle_fasteoi_irq =
		irqsim_fn_register("handle_fasteoi_irq", handle_fasteoi_irq);
	fn_handle_level_irq =
		irqsim_fn_register("handle_level_irq", handle_level_irq);
	fn_irq_modify_status =
		irqsim_fn_register("irq_modify_status", irq_modify_status);
	fn_irq_startup = irqsim_fn_register("irq_startup", irq_startup);
	fn_irq_shutdown = irqsim_fn_register("irq_shutdown", irq_shutdown);
	fn_check_irq_resend =
		irqsim_fn_register("check_irq_resend", check_irq_resend);
	fn_irq_domain_activate_irq = irqsim_fn_register(
		"irq_domain_activate_irq", irq_domain_activate_irq);
	fn_irq_domain_deactivate_irq = irqsim_fn_register(
		"irq_domain_deactivate_irq", irq_domain_deactivate_irq);
	fn_generic_handle_irq_desc = irqsim_fn_register(
		"generic_handle_irq_desc", generic_handle_irq_desc);
	fn_handle_edge_irq =
		irqsim_fn_register("handle_edge_irq", handle_edge_irq);
}

enum irqsim_step call_irq_startup(struct irqsim_ctx *ctx, int irq,
				  bool resend)
{
	return irqsim_call(ctx, fn_irq_startup, irq, resend, 0, 0);
}

enum irqsim_step call_irq_shutdown(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_irq_shutdown, irq, 0, 0, 0);
}

enum irqsim_step call_irq_domain_activate_irq(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_irq_domain_activate_irq, irq, 0, 0, 0);
}

enum irqsim_step call_irq_domain_deactivate_irq(struct irqsim_ctx *ctx,
						int irq)
{
	return irqsim_call(ctx, fn_irq_domain_deactivate_irq, irq, 0, 0, 0);
}
