/* SPDX-License-Identifier: MIT */
/* Private to src/vmm. Do not include from other layers. */
#ifndef IRQSIM_VMM_INTERNAL_H
#define IRQSIM_VMM_INTERNAL_H

#include "vmm/vmm.h"

extern int fn_msix_table_mmio_write;
enum irqsim_step call_msix_table_mmio_write(struct irqsim_ctx *ctx, int dev,
					    int vec, int dword, int value);
extern int fn_msix_write_config;
enum irqsim_step call_msix_write_config(struct irqsim_ctx *ctx, int dev,
					int maskall);
extern int fn_vfio_msix_enable;
enum irqsim_step call_vfio_msix_enable(struct irqsim_ctx *ctx, int dev);

/* QEMU's interrupt mode changes (hw/vfio/pci.c); callers hold the BQL. */
enum irqsim_step call_vfio_disable_interrupts(struct irqsim_ctx *ctx, int dev);
enum irqsim_step call_vfio_msix_disable(struct irqsim_ctx *ctx, int dev);
enum irqsim_step call_qemu_vfio_intx_enable(struct irqsim_ctx *ctx, int dev);
enum irqsim_step call_qemu_vfio_intx_disable(struct irqsim_ctx *ctx, int dev);
enum irqsim_step call_qemu_vfio_msi_disable(struct irqsim_ctx *ctx, int dev);
/* vfio_msi_disable_common(): routes, irqfds and eventfds of every vector */
void vfio_msi_disable_common(struct irqsim_ctx *ctx, int dev);
/*
 * The KVM MSI route of @vec from the guest's message in QEMU's copy:
 * added with its irqfd (vfio_add_kvm_msi_virq() and
 * vfio_connect_kvm_msi_virq()), or updated (vfio_update_kvm_msi_virq()).
 * Return: true if it was added.
 */
bool qemu_kvm_msi_route(struct irqsim_ctx *ctx, int dev, int vec);

void vmm_irqfd_wakeup(struct irqsim_ctx *ctx, int efd);
/* KVM_IRQFD deassign: an injection irqfd_wakeup() deferred runs first. */
void kvm_irqfd_flush_inject(struct irqsim_ctx *ctx, int gsi);
void msix_notify(struct irqsim_ctx *ctx, int dev, int vec);
/* hw/pci/msi.c msi_notify() of a device's MSI vector 0 (qemu_msi.c) */
void msi_notify(struct irqsim_ctx *ctx, int dev);
/* kvm_set_msi(): decode a guest message, set the vCPU's vIRR bit */
void kvm_deliver_msi(struct irqsim_ctx *ctx, uint32_t addr_lo, uint32_t data,
		     const char *via);
void vmm_register_qemu(void);
void vmm_register_irqfd(void);
void vmm_register_qemu_intx(void);
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

/* QEMU hw/intc/ioapic.c (ioapic.c); callers hold the BQL. */
extern int fn_kvm_ioapic_eoi_exit;
enum irqsim_step call_kvm_ioapic_eoi_exit(struct irqsim_ctx *ctx, int vector);
extern int fn_qemu_level_dev_read;
enum irqsim_step call_qemu_level_dev_read(struct irqsim_ctx *ctx, int ldev);
void ioapic_set_irq(struct irqsim_ctx *ctx, int pin, int level);
bool ioapic_service(struct irqsim_ctx *ctx);
void ioapic_eoi_broadcast(struct irqsim_ctx *ctx, int vector);
void ioapic_update_kvm_routes(struct irqsim_ctx *ctx);
void vmm_register_ioapic(void);

/* KVM's side of the split irqchip (kvm_split.c). */
void kvm_set_irq(struct irqsim_ctx *ctx, int gsi, int level);
void kvm_irqchip_update_msi_route(struct irqsim_ctx *ctx, int gsi,
				  uint32_t address, uint32_t data);
void kvm_irqchip_commit_routes(struct irqsim_ctx *ctx);
bool kvm_lapic_eoi(struct irqsim_ctx *ctx, int vcpu, int *vector);
bool vmm_vcpu_in_guest_mode(const struct vmm_world *w,
			    const struct irqsim_rt *rt, int vcpu);
void vmm_register_kvm_split(void);

/* The guest's CPU hotplug (guest_hotplug.c). */
void vmm_register_guest_hotplug(void);

static inline int vmm_ctx_vcpu(struct irqsim_ctx *ctx)
{
	return vmm_machine(ctx)->actor[ctx->actor].vcpu;
}

#endif
