/* SPDX-License-Identifier: MIT */
/*
 * Private to src/apic. Do not include from other layers.
 */
#ifndef IRQSIM_APIC_INTERNAL_H
#define IRQSIM_APIC_INTERNAL_H

#include "apic/apic.h"

static inline struct apic_world *apic_w(struct irqsim_ctx *ctx)
{
	return ctx->world;
}

void apic_register_vector_fns(void);
void apic_register_entry_fns(int irq_entry_fn);
void apic_register_intc_fns(void);
void apic_register_move_fns(void);

/* vector.c: under vector_lock; @fn names the events. */
void apic_update_vector(struct irqsim_ctx *ctx, int irq, int vector,
			unsigned int cpu, const char *fn);
int assign_vector_locked(struct irqsim_ctx *ctx, int irq, uint8_t dest,
			 const char *fn);

#endif
