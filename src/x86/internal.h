/* SPDX-License-Identifier: MIT */
/* Private to src/x86. Do not include from other layers. */
#ifndef IRQSIM_X86_INTERNAL_H
#define IRQSIM_X86_INTERNAL_H

#include "x86/x86.h"

/* The layer keeps no state of its own: its world is genirq's. */
static inline struct irq_world *x86_w(struct irqsim_ctx *ctx)
{
	return ctx->world;
}

/* vector.c: apic_ack_edge()'s EOI-only path, and whether it has more. */
void msi_ack_parent(struct irqsim_ctx *ctx, int irq);
bool msi_ack_slow(struct irqsim_ctx *ctx, int irq);

#endif
