/* SPDX-License-Identifier: MIT */
/* Private to src/vmm. Do not include from other layers. */
#ifndef IRQSIM_VMM_INTERNAL_H
#define IRQSIM_VMM_INTERNAL_H

#include "vmm/vmm.h"

static inline struct vmm_world *vmm_w(struct irqsim_ctx *ctx)
{
	return ctx->world;
}

static inline const struct vmm_machine *vmm_machine(struct irqsim_ctx *ctx)
{
	return ctx->rt->model_data;
}

extern int fn_msix_table_mmio_write;
extern int fn_vfio_msi_interrupt;
extern int fn_guest_irq_handler;
extern int fn_vfio_intx_interrupt;
extern int fn_guest_intx_handler;
extern int fn_vfio_msix_enable;

void vmm_irqfd_wakeup(struct irqsim_ctx *ctx, int efd);
void msix_notify(struct irqsim_ctx *ctx, int dev, int vec);
void vmm_register_qemu(void);
void vmm_register_qemu_intx(void);
void vmm_register_guest(void);
void vmm_register_kvm_pi(void);

/*
 * KVM side of irq bypass (kvm_pi.c): kvm_irqfd_assign()'s consumer
 * registration for the irqfd on @efd (GSI @gsi), kvm_irq_routing_update()
 * for a changed MSI route, and the injection check of every KVM delivery.
 * Return: true if an IRTE was rewritten.
 */
bool kvm_irqfd_register_consumer(struct irqsim_ctx *ctx, int efd, int gsi);
bool kvm_irq_routing_update(struct irqsim_ctx *ctx, int gsi);
void kvm_note_injection(struct irqsim_ctx *ctx, int idx, bool posted);

/* The guest's INTx line of @dev (level, to vCPU 0). */
void guest_intx_assert(struct irqsim_ctx *ctx, int dev, const char *via);
void guest_intx_deassert(struct irqsim_ctx *ctx, int dev, const char *via);
/* Guest EOI: a line still asserted is delivered again. */
void guest_intx_eoi(struct irqsim_ctx *ctx, int dev);
/* irqfd_inject() of @dev's level INTx irqfd (with a resampler). */
void vmm_kvm_intx_inject(struct irqsim_ctx *ctx, int dev);

#endif
