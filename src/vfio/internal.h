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
 * The INTx SET_IRQS handlers, modeled functions of the device, the flags,
 * the count and the data (eventfd or bool).
 */
extern int fn_vfio_pci_set_intx_mask;
enum irqsim_step call_vfio_pci_set_intx_mask(struct irqsim_ctx *ctx, int dev,
					     int flags, int count, int data);
extern int fn_vfio_pci_set_intx_unmask;
enum irqsim_step call_vfio_pci_set_intx_unmask(struct irqsim_ctx *ctx,
					       int dev, int flags, int count,
					       int data);
extern int fn_vfio_pci_set_intx_trigger;
enum irqsim_step call_vfio_pci_set_intx_trigger(struct irqsim_ctx *ctx,
						int dev, int flags, int count,
						int data);

/* The rest of intx.c's modeled functions, called within intx.c. */
enum irqsim_step call_vfio_pci_intx_unmask_handler(struct irqsim_ctx *ctx,
						   int dev);
enum irqsim_step call___vfio_pci_intx_unmask(struct irqsim_ctx *ctx, int dev);
enum irqsim_step call___vfio_pci_intx_mask(struct irqsim_ctx *ctx, int dev);
enum irqsim_step call_vfio_intx_enable(struct irqsim_ctx *ctx, int dev,
				       int trigger);
enum irqsim_step call_vfio_intx_set_signal(struct irqsim_ctx *ctx, int dev,
					   int trigger);
enum irqsim_step call_vfio_intx_disable(struct irqsim_ctx *ctx, int dev);

void vfio_register_intx(void);

extern int fn_vfio_msihandler;

/*
 * vfio.c's MSI and MSI-X functions, called within vfio.c: @msi is the
 * kernel's !msix (1: the MSI index, 0: MSI-X).
 */
enum irqsim_step call_vfio_msi_set_vector_signal(struct irqsim_ctx *ctx,
						 int dev, int vector, int fd,
						 int msi);
enum irqsim_step call_vfio_msi_set_block(struct irqsim_ctx *ctx, int dev,
					 int start, int count, int msi);
enum irqsim_step call_vfio_msi_disable(struct irqsim_ctx *ctx, int dev,
				       int msi);

/* irq bypass producers (bypass.c); *@visible: an IRTE was rewritten. */
void irq_bypass_init(struct irq_bypass *b);
int irq_bypass_register_producer(struct irqsim_ctx *ctx, int dev, int vec,
				 int token, int irq, bool *visible);
void irq_bypass_unregister_producer(struct irqsim_ctx *ctx, int dev, int vec,
				    bool *visible);

/*
 * The frame of vfio_msi_set_vector_signal(), mainline and the series':
 * the arguments, then the new trigger (the series: also a -errno from
 * eventfd_ctx_fdget() or NO_TRIGGER), and, for the series only,
 * irq_update_devid()'s error and the trigger the vector had on entry.
 */
struct vfio_msi_set_vector_signal_frame {
	int dev;
	int vector;
	int fd;			/* eventfd, or -1: no handler */
	int msi;		/* the MSI index (!msix) */
	int trigger;
	int err;
	int old_trigger;
};

/*
 * The 2019 series' vfio_msi_set_vector_signal() (update_devid.c), v4 or
 * fixed by the update_devid knob; same frame as the mainline one.
 */
enum irqsim_step vfio_msi_set_vector_signal_series(struct irqsim_ctx *ctx,
						   struct irqsim_frame *f);
void vfio_register_update_devid(void);

#endif
