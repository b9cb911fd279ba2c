/* SPDX-License-Identifier: MIT */
/*
 * The events of the PCI MSI layer (drivers/pci/msi/, the device, its INTx,
 * the IOMMU's posted interrupts), declared once each (IRQSIM_TRACE_EVENT),
 * as the kernel's include/trace/events/ declares its tracepoints. Private
 * to src/msi/.
 */
#ifndef IRQSIM_MSI_TRACE_H
#define IRQSIM_MSI_TRACE_H

#include "msi/internal.h"

#include <errno.h>
#include <stdio.h>

/*
 * The name of @pdev's entry @vec in the prose, formatted into @buf: "msi"
 * for an MSI capability, else "msix[N]".
 */
static inline const char *msi_entry_name(const struct pci_dev *pdev, int vec,
					 char *buf, size_t len)
{
	if (pdev->msi_plain)
		return "msi";
	snprintf(buf, len, "msix[%d]", vec);
	return buf;
}

/* device.c */
IRQSIM_TRACE_EVENT(msi_send_msix_disabled, "device", "msi_send", true,
	TP_PROTO(int dev, int vec, bool intx),
	TP_printk("dev%d vector %d: MSI-X disabled on the device: %s", dev,
		  vec,
		  intx ? "redirected to its INTx pin, which nobody handles" :
			 "no INTx pin, not signalled"),
	TP_fields("dev=%d entry=%d msix_enabled=0 intx=%d", dev, vec, intx))

IRQSIM_TRACE_EVENT(msi_send_pba, "device", "msi_send", true,
	TP_PROTO(int dev, int vec),
	TP_printk("dev%d vector %d masked: PBA bit set", dev, vec),
	TP_fields("dev=%d entry=%d pba=1", dev, vec))

IRQSIM_TRACE_EVENT(msi_send_dropped, "device", "msi_send", true,
	TP_PROTO(int dev, int vec, const struct msix_entry *e, int ret),
	TP_printk("dev%d MSI vector %d to address %#x data %#x: %s, lost",
		  dev, vec, e->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
		  e->dw[PCI_MSIX_ENTRY_DATA],
		  ret == -ENODEV ?
			  "the target CPU is offline (its APIC takes no messages)" :
			  "not an APIC address"),
	TP_fields("dev=%d entry=%d address_lo=%#x data=%#x dropped=1", dev,
		  vec, e->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
		  e->dw[PCI_MSIX_ENTRY_DATA]))

IRQSIM_TRACE_EVENT(msi_send, "device", "msi_send", true,
	TP_PROTO(int dev, int vec, const struct msix_entry *e,
		 unsigned int cpu, unsigned int vector, bool merged),
	TP_printk("dev%d MSI vector %d -> cpu%u vector %u (IRR %s)", dev,
		  vec, cpu, vector, merged ? "already set" : "set"),
	TP_fields("dev=%d entry=%d address_lo=%#x data=%#x cpu=%u vector=%u",
		  dev, vec, e->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
		  e->dw[PCI_MSIX_ENTRY_DATA], cpu, vector))

IRQSIM_TRACE_EVENT(pci_dev_raise_disabled, "device", "pci_dev_raise", true,
	TP_PROTO(int dev, int vec),
	TP_printk("dev%d event on vector %d: interrupts off in the device",
		  dev, vec),
	TP_fields("dev=%d vector=%d msi=0 why=disabled", dev, vec))

IRQSIM_TRACE_EVENT(pci_dev_raise_wait_ack, "device", "pci_dev_raise", true,
	TP_PROTO(int dev, int vec),
	TP_printk("dev%d event on vector %d: waiting for driver ack, no MSI",
		  dev, vec),
	TP_fields("dev=%d vector=%d msi=0 why=wait_ack", dev, vec))

IRQSIM_TRACE_EVENT(pci_dev_raise, "device", "pci_dev_raise", true,
	TP_PROTO(int dev, int vec),
	TP_printk("dev%d raises vector %d", dev, vec),
	TP_fields("dev=%d vector=%d msi=1", dev, vec))

/* host_driver.c */
IRQSIM_TRACE_EVENT(host_driver_isr, "host_driver_isr", "host_driver_isr",
	true,
	TP_PROTO(int dev, int vec, bool pending),
	TP_printk("dev%d vector %d status read: %s", dev, vec,
		  pending ? "event handled" : "nothing pending"),
	TP_fields("dev=%d vector=%d pending=%d", dev, vec, pending))

IRQSIM_TRACE_EVENT(disable_irq_in_device, "disable_irq_in_device",
	"disable_irq_in_device", true,
	TP_PROTO(int dev, int vec),
	TP_printk("dev%d vector %d", dev, vec),
	TP_fields("dev=%d vector=%d", dev, vec))

IRQSIM_TRACE_EVENT(enable_irq_in_device, "enable_irq_in_device",
	"enable_irq_in_device", true,
	TP_PROTO(int dev, int vec, bool pending),
	TP_printk("dev%d vector %d%s", dev, vec,
		  pending ? ": event pending, device re-raises" : ""),
	TP_fields("dev=%d vector=%d pending=%d", dev, vec, pending))

IRQSIM_TRACE_EVENT(pci_alloc_irq_vectors_msix, "pci_alloc_irq_vectors",
	"pci_alloc_irq_vectors", true,
	TP_PROTO(int dev, int nvec, int ret),
	TP_printk("dev%d MSI-X with %d vectors: %d", dev, nvec, ret),
	TP_fields("dev=%d nvec=%d ret=%d", dev, nvec, ret))

IRQSIM_TRACE_EVENT(pci_alloc_irq_vectors_msi, "pci_alloc_irq_vectors",
	"pci_alloc_irq_vectors", true,
	TP_PROTO(int dev, int ret),
	TP_printk("dev%d MSI with 1 vector: %d", dev, ret),
	TP_fields("dev=%d nvec=1 msi=1 ret=%d", dev, ret))

/*
 * intx.c: the fields give the device's bits after the step, and the line
 * as pci_intx_update_line() is about to set it.
 */
IRQSIM_TRACE_EVENT(pci_intx, "pci_intx", "pci_intx", true,
	TP_PROTO(int dev, bool enable, const struct pci_intx *x),
	TP_printk("dev%d PCI_COMMAND_INTX_DISABLE %s", dev,
		  enable ? "cleared" : "set"),
	TP_fields("dev=%d status=%d disable=%d line=%d", dev, x->status,
		  x->disable, x->status && !(x->pci_2_3 && x->disable)))

IRQSIM_TRACE_EVENT(pci_check_and_mask_intx_unchanged,
	mask ? "pci_check_and_mask_intx" : "pci_check_and_unmask_intx",
	mask ? "pci_check_and_mask_intx" : "pci_check_and_unmask_intx", true,
	TP_PROTO(int dev, bool mask, bool pending, const struct pci_intx *x),
	TP_printk("dev%d PCI_STATUS_INTERRUPT %s: DisINTx left %s", dev,
		  pending ? "set" : "clear", x->disable ? "set" : "clear"),
	TP_fields("dev=%d status=%d disable=%d line=%d", dev, x->status,
		  x->disable, x->status && !(x->pci_2_3 && x->disable)))

IRQSIM_TRACE_EVENT(pci_check_and_mask_intx,
	mask ? "pci_check_and_mask_intx" : "pci_check_and_unmask_intx",
	mask ? "pci_check_and_mask_intx" : "pci_check_and_unmask_intx", true,
	TP_PROTO(int dev, bool mask, bool pending, const struct pci_intx *x),
	TP_printk("dev%d PCI_STATUS_INTERRUPT %s: DisINTx %s", dev,
		  pending ? "set" : "clear", mask ? "set" : "cleared"),
	TP_fields("dev=%d status=%d disable=%d line=%d", dev, x->status,
		  x->disable, x->status && !(x->pci_2_3 && x->disable)))

IRQSIM_TRACE_EVENT(pci_dev_raise_intx, "device", "pci_dev_raise_intx", true,
	TP_PROTO(int dev, bool unserviced, const struct pci_intx *x),
	TP_printk("dev%d INTx event: %s", dev,
		  unserviced ? "one is already unserviced, line unchanged" :
		  x->pci_2_3 && x->disable ?
			  "PCI_STATUS_INTERRUPT set, DisINTx keeps the line low" :
			  "asserts INTx"),
	TP_fields("dev=%d status=%d disable=%d line=%d", dev, x->status,
		  x->disable, x->status && !(x->pci_2_3 && x->disable)))

/* iommu.c */
IRQSIM_TRACE_EVENT(irq_set_vcpu_affinity_posted,
	"intel_ir_set_vcpu_affinity", "irq_set_vcpu_affinity", true,
	TP_PROTO(int irq, int vcpu, int gvec, int token),
	TP_printk("irq%d IRTE = posted: vcpu%d vector %#x (pairing efd%d)",
		  irq, vcpu, gvec, token),
	TP_fields("irq=%d posted=1 vcpu=%d vector=%#x token=%d", irq, vcpu,
		  gvec, token))

IRQSIM_TRACE_EVENT(irq_set_vcpu_affinity_remapped,
	"intel_ir_set_vcpu_affinity", "irq_set_vcpu_affinity", true,
	TP_PROTO(int irq),
	TP_printk("irq%d IRTE = remapped (host vector)", irq),
	TP_fields("irq=%d posted=0", irq))

IRQSIM_TRACE_EVENT(iommu_post, "iommu", "iommu_post", true,
	TP_PROTO(int irq, const struct irte *e),
	TP_printk("irq%d IRTE posted: PIR vector %#x of vcpu%d, notify (no host interrupt)",
		  irq, e->gvec, e->vcpu),
	TP_fields("irq=%d vcpu=%d vector=%#x token=%d", irq, e->vcpu,
		  e->gvec, e->token))

/*
 * msi.c: pci_msix_mask() and pci_msix_unmask() log as @fn (mask_irq,
 * unmask_irq); the device's index is computed only for the log, from the
 * generated function's @ctx.
 */
IRQSIM_TRACE_EVENT(msix_write_ctrl_msi, fn, fn, true,
	TP_PROTO(const char *fn, int irq, const struct pci_dev *pdev, int vec,
		 bool mask),
	TP_printk("dev%d msi mask bit = %d",
		  msi_dev_index(msi_w(ctx), pdev), mask),
	TP_fields("irq=%d dev=%d entry=%d masked=%d", irq,
		  msi_dev_index(msi_w(ctx), pdev), vec, mask))

IRQSIM_TRACE_EVENT(msix_write_ctrl, fn, fn, true,
	TP_PROTO(const char *fn, int irq, const struct pci_dev *pdev, int vec,
		 bool mask),
	TP_printk("dev%d msix[%d].ctrl = %s",
		  msi_dev_index(msi_w(ctx), pdev), vec,
		  mask ? "masked" : "unmasked"),
	TP_fields("irq=%d dev=%d entry=%d masked=%d", irq,
		  msi_dev_index(msi_w(ctx), pdev), vec, mask))

IRQSIM_TRACE_EVENT(pci_write_msi_msg_mask, "__pci_write_msi_msg",
	"__pci_write_msi_msg", true,
	TP_PROTO(int irq, int dev, int vec),
	TP_printk("dev%d msix[%d].ctrl = masked (for update)", dev, vec),
	TP_fields("irq=%d dev=%d entry=%d ctrl=masked", irq, dev, vec))

IRQSIM_TRACE_EVENT(pci_write_msi_msg_address_lo, "__pci_write_msi_msg",
	"__pci_write_msi_msg", true,
	TP_PROTO(int irq, int dev, const struct pci_dev *pdev, int vec,
		 uint32_t address_lo, int kind),
	TP_printk("dev%d %s.address_lo = %#x (%s)", dev,
		  msi_entry_name(pdev, vec, (char[16]){ 0 }, 16), address_lo,
		  kind == MSI_MSG_ZERO ? "write_msg(0)" : "write_msg(msg)"),
	TP_fields("irq=%d dev=%d entry=%d address_lo=%#x", irq, dev, vec,
		  address_lo))

IRQSIM_TRACE_EVENT(pci_write_msi_msg_address_hi, "__pci_write_msi_msg",
	"__pci_write_msi_msg", false,
	TP_PROTO(int irq, int dev, const struct pci_dev *pdev, int vec),
	TP_printk("dev%d %s.address_hi = 0", dev,
		  msi_entry_name(pdev, vec, (char[16]){ 0 }, 16)),
	TP_fields("irq=%d dev=%d entry=%d address_hi=0", irq, dev, vec))

IRQSIM_TRACE_EVENT(pci_write_msi_msg_data, "__pci_write_msi_msg",
	"__pci_write_msi_msg", true,
	TP_PROTO(int irq, int dev, const struct pci_dev *pdev, int vec,
		 uint32_t data),
	TP_printk("dev%d %s.data = %#x", dev,
		  msi_entry_name(pdev, vec, (char[16]){ 0 }, 16), data),
	TP_fields("irq=%d dev=%d entry=%d data=%#x", irq, dev, vec, data))

IRQSIM_TRACE_EVENT(pci_write_msi_msg_unmask, "__pci_write_msi_msg",
	"__pci_write_msi_msg", true,
	TP_PROTO(int irq, int dev, int vec),
	TP_printk("dev%d msix[%d].ctrl = unmasked (restored)", dev, vec),
	TP_fields("irq=%d dev=%d entry=%d ctrl=unmasked", irq, dev, vec))

#endif /* IRQSIM_MSI_TRACE_H */
