/* SPDX-License-Identifier: MIT */
/*
 * Private to src/irq, like the kernel's kernel/irq/internals.h: do not
 * include from other layers.
 */
#ifndef IRQSIM_IRQ_INTERNAL_H
#define IRQSIM_IRQ_INTERNAL_H

#include "irq/irq.h"

static inline struct irq_world *irq_w(struct irqsim_ctx *ctx)
{
	return ctx->world;
}

static inline struct irq_desc *irq_to_desc(struct irqsim_ctx *ctx, int irq)
{
	return &irq_w(ctx)->desc[irq];
}

/* The event just logged read or changed the descriptor's state bits. */
static inline void irq_trace_state(struct irqsim_ctx *ctx, const char *tp,
				   int irq, enum irqsim_access access)
{
	const struct irq_desc *desc = irq_to_desc(ctx, irq);

	IRQSIM_TRACE(ctx, tp, "irq=%d depth=%d disabled=%d pending=%d unlazy=%d",
		     irq, desc->depth, !!(desc->irqd & IRQD_IRQ_DISABLED),
		     !!(desc->istate & IRQS_PENDING),
		     !!(desc->settings & IRQ_DISABLE_UNLAZY));
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_STATE, irq, 0), access);
}

extern int fn_irq_startup;
extern int fn_irq_shutdown;
extern int fn_check_irq_resend;
extern int fn_irq_domain_activate_irq;
extern int fn_irq_domain_deactivate_irq;
extern int fn_generic_handle_irq_desc;

enum irqsim_step call_irq_startup(struct irqsim_ctx *ctx, int irq,
				  bool resend);
enum irqsim_step call_irq_shutdown(struct irqsim_ctx *ctx, int irq);
enum irqsim_step call_irq_domain_activate_irq(struct irqsim_ctx *ctx,
					      int irq);
enum irqsim_step call_irq_domain_deactivate_irq(struct irqsim_ctx *ctx,
						int irq);
enum irqsim_step call_check_irq_resend(struct irqsim_ctx *ctx, int irq,
				       bool inject);

const struct irq_domain_chain *irq_desc_domain(const struct irq_desc *desc);
void irq_register_manage_fns(void);

/* mask_irq()/unmask_irq(): only when the MASKED state differs. */
bool mask_irq(struct irqsim_ctx *ctx, int irq);
bool unmask_irq(struct irqsim_ctx *ctx, int irq);
/* irq_disable(): lazy unless IRQ_DISABLE_UNLAZY; true if it masked. */
bool irq_disable(struct irqsim_ctx *ctx, int irq);

#endif
