/* SPDX-License-Identifier: MIT */
/* Private to src/msi. Do not include from other layers. */
#ifndef IRQSIM_MSI_INTERNAL_H
#define IRQSIM_MSI_INTERNAL_H

#include "msi/msi.h"

static inline struct msi_world *msi_w(struct irqsim_ctx *ctx)
{
	return ctx->world;
}

void msi_register_intx(void);
void msi_register_iommu(void);
bool msi_iommu_post(struct irqsim_ctx *ctx, int irq);
void msi_iommu_deactivate(struct irqsim_ctx *ctx, int irq);
/* The lowest Linux irq number not allocated, or -ENOSPC. */
int msi_next_free_irq(const struct msi_world *mw);

#endif
