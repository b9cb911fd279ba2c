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

#endif
