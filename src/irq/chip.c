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
#include "irq/trace.h"

#include <errno.h>

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

struct irq_modify_status_frame {
	int irq;
	int clr;
	int set;
};

/**
 * irq_modify_status - irq_modify_status(irq, clr, set) for the settings
 * bits (what irq_set_status_flags()/irq_clear_status_flags() call): under
 * desc->lock
 * @irq: Linux irq
 * @clr: settings bits to clear
 * @set: settings bits to set
 */
static enum irqsim_step irq_modify_status(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct irq_modify_status_frame *v =
		IRQSIM_FRAME_VARS(f, struct irq_modify_status_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, IRQ_LOCK_DESC(v->irq));
	desc->settings &= (uint16_t)~v->clr;
	desc->settings |= (uint16_t)v->set;
	IRQSIM_EVENT(ctx, true, "irq_modify_status",
		     "irq%d IRQ_DISABLE_UNLAZY %s", v->irq,
		     desc->settings & IRQ_DISABLE_UNLAZY ? "set" : "cleared");
	irq_trace_state(ctx, "irq_modify_status", v->irq, IRQSIM_ACC_RMW);
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(irq_modify_status);

enum irqsim_step call_irq_modify_status(struct irqsim_ctx *ctx, int irq,
					int clr, int set)
{
	return irqsim_call(ctx, fn_irq_modify_status, irq, clr, set, 0);
}

struct irq_domain_activate_irq_frame {
	int irq;
	int reserve;
	int unused[2];
	int domain;	/* the domain being activated, root (vector) first */
	int err;
};

/**
 * irq_domain_activate_irq - no-op when IRQD_ACTIVATED; otherwise each
 * domain from the root (vector domain) outwards; on failure the domains
 * already activated are deactivated again
 * @irq:     Linux irq
 * @reserve: passed to each domain's activate
 */
static enum irqsim_step irq_domain_activate_irq(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	struct irq_domain_activate_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct irq_domain_activate_irq_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	const struct irq_domain_chain *chain = irq_desc_domain(desc);

	IRQSIM_BEGIN(f);
	if (desc->irqd & IRQD_ACTIVATED)
		IRQSIM_RETURN(ctx, 0);
	for (v->domain = 0; v->domain < chain->depth; v->domain++) {
		IRQSIM_CALL(irqsim_call(ctx, chain->activate_fn[v->domain],
					v->irq, v->reserve, 0, 0));
		if (f->ret < 0) {
			v->err = f->ret;
			goto deactivate;
		}
	}
	desc->irqd |= IRQD_ACTIVATED;
	IRQSIM_RETURN(ctx, 0);

deactivate:
	/* unwind the domains below the one that failed */
	while (--v->domain >= 0)
		IRQSIM_CALL(irqsim_call(ctx, chain->deactivate_fn[v->domain],
					v->irq, 0, 0, 0));
	IRQSIM_RETURN(ctx, v->err);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(irq_domain_activate_irq);

enum irqsim_step call_irq_domain_activate_irq(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_irq_domain_activate_irq, irq, 0, 0, 0);
}

struct irq_domain_deactivate_irq_frame {
	int irq;
	int unused[3];
	int domain;	/* the domain being deactivated, outermost first */
};

/**
 * irq_domain_deactivate_irq - outermost domain first
 * @irq: Linux irq
 */
static enum irqsim_step irq_domain_deactivate_irq(struct irqsim_ctx *ctx,
						  struct irqsim_frame *f)
{
	struct irq_domain_deactivate_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct irq_domain_deactivate_irq_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	const struct irq_domain_chain *chain = irq_desc_domain(desc);

	IRQSIM_BEGIN(f);
	if (!(desc->irqd & IRQD_ACTIVATED))
		IRQSIM_RETURN(ctx, 0);
	v->domain = chain->depth;
	while (--v->domain >= 0)
		IRQSIM_CALL(irqsim_call(ctx, chain->deactivate_fn[v->domain],
					v->irq, 0, 0, 0));
	desc->irqd &= ~IRQD_ACTIVATED;
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(irq_domain_deactivate_irq);

enum irqsim_step call_irq_domain_deactivate_irq(struct irqsim_ctx *ctx,
						int irq)
{
	return irqsim_call(ctx, fn_irq_domain_deactivate_irq, irq, 0, 0, 0);
}

struct irq_startup_frame {
	int irq;
	int resend;
};

/**
 * irq_startup - irq_startup(desc, resend, force): depth = 0, irq_enable()
 * (clear DISABLED, unmask at the chip) and, with @resend,
 * check_irq_resend(). PCI MSI sets IRQCHIP_AFFINITY_PRE_STARTUP; the
 * affinity setup before __irq_startup keeps the vector assigned at
 * activation, so it is not a step here.
 * @irq:    Linux irq
 * @resend: call check_irq_resend()
 */
static enum irqsim_step irq_startup(struct irqsim_ctx *ctx,
				    struct irqsim_frame *f)
{
	struct irq_startup_frame *v =
		IRQSIM_FRAME_VARS(f, struct irq_startup_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);

	IRQSIM_BEGIN(f);
	desc->depth = 0;
	desc->irqd &= ~IRQD_IRQ_DISABLED;
	desc->irqd |= IRQD_IRQ_STARTED;
	if (unmask_irq(ctx, v->irq))
		IRQSIM_YIELD_POINT();
	if (v->resend)
		IRQSIM_CALL(call_check_irq_resend(ctx, v->irq, false));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(irq_startup);

enum irqsim_step call_irq_startup(struct irqsim_ctx *ctx, int irq,
				  bool resend)
{
	return irqsim_call(ctx, fn_irq_startup, irq, resend, 0, 0);
}

struct irq_shutdown_frame {
	int irq;
};

/**
 * irq_shutdown - only if started: clear_irq_resend(), depth++ (v6.17+;
 * older kernels set depth = 1), mask at the chip (PCI MSI-X has no
 * irq_disable; v6.18's pci_irq_shutdown_msix also just masks on x86),
 * clear STARTED. IRQS_PENDING survives: a pending edge is replayed by
 * check_irq_resend() at the next request_irq().
 * @irq: Linux irq
 */
static enum irqsim_step irq_shutdown(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	struct irq_shutdown_frame *v =
		IRQSIM_FRAME_VARS(f, struct irq_shutdown_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	bool masked;

	IRQSIM_BEGIN(f);
	if (!(desc->irqd & IRQD_IRQ_STARTED))
		IRQSIM_RETURN(ctx, 0);
	desc->depth++;
	desc->irqd |= IRQD_IRQ_DISABLED;
	masked = mask_irq(ctx, v->irq);
	desc->irqd &= ~IRQD_IRQ_STARTED;
	if (masked)
		IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(irq_shutdown);

enum irqsim_step call_irq_shutdown(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_irq_shutdown, irq, 0, 0, 0);
}

struct check_irq_resend_frame {
	int irq;
	int inject;
};

/**
 * check_irq_resend - check_irq_resend(desc, inject): an edge irq with
 * IRQS_PENDING is retriggered through the chip hierarchy (x86:
 * apic_retrigger_irq, an IPI to the current vector and CPU) and marked
 * IRQS_REPLAY. The software resend tasklet is not allowed for x86 vector
 * irqs (enforce irqctx).
 * @irq:    Linux irq
 * @inject: retrigger even without IRQS_PENDING
 */
static enum irqsim_step check_irq_resend(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct check_irq_resend_frame *v =
		IRQSIM_FRAME_VARS(f, struct check_irq_resend_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	const struct irq_chip *chip = irq_desc_chip(desc);

	IRQSIM_BEGIN(f);
	/*
	 * "We do not resend level type interrupts. Level type interrupts
	 * are resent by hardware when they are still active." Whether the
	 * hardware does is the controller's business: the ppc64-style one
	 * does not (seeds/001).
	 */
	if (desc->settings & IRQ_LEVEL) {
		if (desc->istate & IRQS_PENDING)
			IRQSIM_EVENT(ctx, true, "check_irq_resend",
				     "irq%d is level: IRQS_PENDING cleared, no resend",
				     v->irq);
		desc->istate &= ~IRQS_PENDING;
		IRQSIM_RETURN(ctx, -EINVAL);
	}
	if (desc->istate & IRQS_REPLAY)
		IRQSIM_RETURN(ctx, -EBUSY);
	if (!(desc->istate & IRQS_PENDING) && !v->inject)
		IRQSIM_RETURN(ctx, 0);
	desc->istate &= ~IRQS_PENDING;
	trace_check_irq_resend(ctx, v->irq);
	if (chip->irq_retrigger_fn < 0)
		IRQSIM_RETURN(ctx, -EINVAL);
	IRQSIM_CALL(irqsim_call(ctx, chip->irq_retrigger_fn, v->irq, 0, 0, 0));
	if (f->ret > 0) {
		desc->istate |= IRQS_REPLAY;
		IRQSIM_RETURN(ctx, 0);
	}
	IRQSIM_RETURN(ctx, -EINVAL);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(check_irq_resend);

enum irqsim_step call_check_irq_resend(struct irqsim_ctx *ctx, int irq,
				       bool inject)
{
	return irqsim_call(ctx, fn_check_irq_resend, irq, inject, 0, 0);
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
	trace_handle_bad_irq(ctx, irq);
	if (locked)
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
	apic_eoi(ctx);
	as->discards++;
	as->last_discard_step = iw->apic.sched.step;
	as->last_discard_slot = (int16_t)irq;
	as->last_discard_cpu = (uint8_t)apic_this_cpu(ctx);
	return true;
}

struct generic_handle_irq_desc_frame {
	int irq;
};

/**
 * generic_handle_irq_desc - call desc->handle_irq
 * @irq: Linux irq
 */
static enum irqsim_step generic_handle_irq_desc(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	struct generic_handle_irq_desc_frame *v =
		IRQSIM_FRAME_VARS(f, struct generic_handle_irq_desc_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);

	IRQSIM_BEGIN(f);
	if (handle_bad_irq(ctx, v->irq, false))
		IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_CALL(irqsim_call(ctx, desc->handle_irq, v->irq, 0, 0, 0));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(generic_handle_irq_desc);

/*
 * The chip's irq_ack (x86: apic_ack_edge(): irq_complete_move(),
 * irq_move_irq(), EOI): a call of the modeled @irq_ack_fn when the chip
 * says this ack has more to do (it runs in this transition), otherwise
 * one visible step.
 */
static enum irqsim_step irq_chip_ack(struct irqsim_ctx *ctx,
				     const struct irq_chip *chip, int irq)
{
	if (chip->irq_ack_slow && chip->irq_ack_slow(ctx, irq))
		return irqsim_call(ctx, *chip->irq_ack_fn, irq, 0, 0, 0);
	chip->irq_ack(ctx, irq);
	return IRQSIM_YIELD;
}

struct handle_edge_irq_frame {
	int irq;
};

/**
 * handle_edge_irq - flow handler of x86 PCI MSI/MSI-X
 * @irq: Linux irq
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
	struct handle_edge_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct handle_edge_irq_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	const struct irq_chip *chip = irq_desc_chip(desc);
	enum irqsim_step step;

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, IRQ_LOCK_DESC(v->irq));
	if (handle_bad_irq(ctx, v->irq, true))
		IRQSIM_RETURN_YIELD(ctx, 0);
	/*
	 * irq_can_handle() = irq_can_handle_pm() (in progress on another
	 * CPU: no) && irq_can_handle_actions(), which clears IRQS_REPLAY
	 * before it looks for an action: a replayed edge that finds the irq
	 * freed again can be replayed once more.
	 */
	if (!(desc->irqd & IRQD_IRQ_INPROGRESS))
		desc->istate &= ~IRQS_REPLAY;
	if ((desc->irqd & (IRQD_IRQ_INPROGRESS | IRQD_IRQ_DISABLED)) ||
	    desc->action_fn < 0) {
		desc->istate |= IRQS_PENDING;
		trace_handle_edge_irq_pending(ctx, v->irq, desc);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, v->irq, 0),
			      IRQSIM_ACC_READ);
		/* mask_ack_irq() */
		mask_irq(ctx, v->irq);
		IRQSIM_YIELD_POINT();
		if (chip->irq_ack_slow && chip->irq_ack_slow(ctx, v->irq))
			IRQSIM_CALL(irqsim_call(ctx, *chip->irq_ack_fn, v->irq,
						0, 0, 0));
		else
			chip->irq_ack(ctx, v->irq);
		goto out_unlock;
	}
	desc->irq_count++;
	/* Start handling the irq: chip->irq_ack() */
	step = irq_chip_ack(ctx, chip, v->irq);
	do {
		/*
		 * The ack ends the step (unless it is a call, which goes on
		 * now), and so does a relock that goes round again: one
		 * resume point for both, since they may be one state.
		 */
		IRQSIM_YIELD_OR_CALL(step);
		if (desc->action_fn < 0) {
			mask_irq(ctx, v->irq);
			goto out_unlock;
		}
		if ((desc->istate & IRQS_PENDING) &&
		    !(desc->irqd & IRQD_IRQ_DISABLED))
			unmask_irq(ctx, v->irq);
		/* handle_irq_event(): the action runs from the next step */
		desc->istate &= ~IRQS_PENDING;
		desc->irqd |= IRQD_IRQ_INPROGRESS;
		irqsim_unlock(ctx, IRQ_LOCK_DESC(v->irq));
		trace_irq_handler_entry(ctx, v->irq, desc->action_dev_id);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, v->irq, 0),
			      IRQSIM_ACC_READ);
		irqsim_call(ctx, desc->action_fn, v->irq, desc->action_dev_id,
			    desc->action_data, 0);
		IRQSIM_YIELD_LOCK(ctx, IRQ_LOCK_DESC(v->irq));
		desc->irqd &= ~IRQD_IRQ_INPROGRESS;
		irqsim_wake(ctx->world, IRQ_TOKEN_INPROGRESS(v->irq));
		step = IRQSIM_YIELD;
	} while ((desc->istate & IRQS_PENDING) &&
		 !(desc->irqd & IRQD_IRQ_DISABLED));
	IRQSIM_YIELD_POINT();
out_unlock:
	irqsim_unlock(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(handle_edge_irq);

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
 * handle_irq_event(), up to the action: clear IRQS_PENDING, set
 * INPROGRESS, drop desc->lock and call the action, which runs from the
 * next step (the caller yields, then retakes the lock when it returns).
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

/* The rest of handle_irq_event(), desc->lock retaken: clear INPROGRESS. */
static void handle_irq_event_relocked(struct irqsim_ctx *ctx, int irq)
{
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	desc->irqd &= ~IRQD_IRQ_INPROGRESS;
	irqsim_wake(ctx->world, IRQ_TOKEN_INPROGRESS(irq));
}

struct handle_fasteoi_irq_frame {
	int irq;
};

/**
 * handle_fasteoi_irq - flow handler of "transparent" controllers (the
 * IOAPIC's level entries, ppc64 XIVE/XICS)
 * @irq: Linux irq
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
	struct handle_fasteoi_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct handle_fasteoi_irq_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	const struct irq_chip *chip = irq_desc_chip(desc);
	int cannot;

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, IRQ_LOCK_DESC(v->irq));
	if (handle_bad_irq(ctx, v->irq, true))
		IRQSIM_RETURN_YIELD(ctx, 0);
	cannot = irq_can_handle(ctx, v->irq, "handle_fasteoi_irq");
	if (cannot) {
		if (cannot == 2)	/* disabled or no action */
			mask_irq(ctx, v->irq);
		IRQSIM_YIELD_POINT();
		goto out;
	}
	handle_irq_event(ctx, v->irq);
	IRQSIM_YIELD_LOCK(ctx, IRQ_LOCK_DESC(v->irq));
	handle_irq_event_relocked(ctx, v->irq);
	IRQSIM_YIELD_POINT();
	/* cond_unmask_eoi_irq(): not oneshot, so EOI only */
	chip->irq_eoi(ctx, v->irq);
	/* the resend, if any, runs from the next step */
	if (desc->istate & IRQS_PENDING)
		call_check_irq_resend(ctx, v->irq, false);
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_RETURN_YIELD(ctx, 0);

out:
	/* cond_eoi_irq(): no IRQCHIP_EOI_IF_HANDLED on these chips */
	chip->irq_eoi(ctx, v->irq);
	irqsim_unlock(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(handle_fasteoi_irq);

struct handle_level_irq_frame {
	int irq;
};

/**
 * handle_level_irq - flow handler of level chips that mask and ack first
 * @irq: Linux irq
 *
 * mask_ack_irq() before anything else, so the line is masked while the
 * action runs whatever disable_irq() does; cond_unmask_irq() unmasks
 * afterwards only if the irq is not disabled. A disabled irq stays masked.
 */
static enum irqsim_step handle_level_irq(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct handle_level_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct handle_level_irq_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	const struct irq_chip *chip = irq_desc_chip(desc);

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, IRQ_LOCK_DESC(v->irq));
	if (handle_bad_irq(ctx, v->irq, true))
		IRQSIM_RETURN_YIELD(ctx, 0);
	/* mask_ack_irq(): mask, then ack */
	if (mask_irq(ctx, v->irq))
		IRQSIM_YIELD_POINT();
	chip->irq_ack(ctx, v->irq);
	if (irq_can_handle(ctx, v->irq, "handle_level_irq")) {
		IRQSIM_YIELD_POINT();
		goto out_unlock;
	}
	handle_irq_event(ctx, v->irq);
	IRQSIM_YIELD_LOCK(ctx, IRQ_LOCK_DESC(v->irq));
	handle_irq_event_relocked(ctx, v->irq);
	/* cond_unmask_irq() */
	if (!(desc->irqd & IRQD_IRQ_DISABLED) && unmask_irq(ctx, v->irq))
		IRQSIM_YIELD_POINT();
out_unlock:
	irqsim_unlock(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(handle_level_irq);
