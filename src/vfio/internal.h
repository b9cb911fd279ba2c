/* SPDX-License-Identifier: MIT */
/* Private to src/vfio. Do not include from other layers. */
#ifndef IRQSIM_VFIO_INTERNAL_H
#define IRQSIM_VFIO_INTERNAL_H

#include "vfio/vfio.h"

static inline struct vfio_world *vfio_w(struct irqsim_ctx *ctx)
{
	return ctx->world;
}

int eventfd_ctx_fdget(struct vfio_world *vw, int fd);
void eventfd_ctx_put(struct vfio_world *vw, int efd);

/*
 * The INTx SET_IRQS handlers, modeled functions with @arg0 dev, @arg1
 * flags, @arg2 count, @arg3 the data (eventfd or bool).
 */
extern int fn_vfio_pci_set_intx_mask;
extern int fn_vfio_pci_set_intx_unmask;
extern int fn_vfio_pci_set_intx_trigger;

void vfio_register_intx(void);

#endif
