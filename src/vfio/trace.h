/* SPDX-License-Identifier: MIT */
/*
 * The events of the VFIO PCI layer (drivers/vfio/pci/vfio_pci_intrs.c and
 * the irq_update_devid series), declared once each (IRQSIM_TRACE_EVENT),
 * as the kernel's include/trace/events/ declares its tracepoints. Private
 * to src/vfio/.
 */
#ifndef IRQSIM_VFIO_TRACE_H
#define IRQSIM_VFIO_TRACE_H

#include "vfio/internal.h"

/* vfio.c */
IRQSIM_TRACE_EVENT(vfio_msihandler, "vfio_msihandler", "vfio_msihandler",
	true,
	TP_PROTO(int irq, int trigger),
	TP_printk("eventfd_signal(efd%d)", trigger),
	TP_fields("irq=%d efd=%d", irq, trigger))

IRQSIM_TRACE_EVENT(vfio_msi_set_vector_signal_free,
	"vfio_msi_set_vector_signal", "vfio_msi_set_vector_signal", false,
	TP_PROTO(int dev, int vector, int efd),
	TP_printk("dev%d vector %d: ctx freed, eventfd_ctx_put(efd%d)", dev,
		  vector, efd),
	TP_fields("dev=%d vector=%d put_efd=%d", dev, vector, efd))

IRQSIM_TRACE_EVENT(pci_msix_alloc_irq_at, "pci_msix_alloc_irq_at",
	"pci_msix_alloc_irq_at", true,
	TP_PROTO(int dev, int index, int irq),
	TP_printk("dev%d vector %d: %s%d", dev, index,
		  irq < 0 ? "fails " : "irq", irq),
	TP_fields("dev=%d index=%d virq=%d", dev, index, irq))

IRQSIM_TRACE_EVENT(vfio_msi_set_vector_signal_request_failed,
	"vfio_msi_set_vector_signal", "vfio_msi_set_vector_signal", true,
	TP_PROTO(int dev, int vector, int irq, int ret),
	TP_printk("dev%d vector %d: request_irq failed (%d), vector left without handler",
		  dev, vector, ret),
	TP_fields("dev=%d vector=%d irq=%d ret=%d", dev, vector, irq, ret))

IRQSIM_TRACE_EVENT(vfio_msi_set_vector_signal, "vfio_msi_set_vector_signal",
	"vfio_msi_set_vector_signal", false,
	TP_PROTO(int dev, int vector, int irq, int trigger),
	TP_printk("dev%d vector %d: ctx->trigger = efd%d", dev, vector,
		  trigger),
	TP_fields("dev=%d vector=%d irq=%d trigger=%d", dev, vector, irq,
		  trigger))

IRQSIM_TRACE_EVENT(vfio_msi_enable_failed, "vfio_msi_enable",
	"vfio_msi_enable", true,
	TP_PROTO(int dev, int nvec, int ret),
	TP_printk("dev%d pci_alloc_irq_vectors(1, %d) = %d: %s", dev, nvec,
		  ret, ret > 0 ? "fewer, freed again" : "fails"),
	TP_fields("dev=%d nvec=%d ret=%d", dev, nvec, ret))

IRQSIM_TRACE_EVENT(vfio_msi_enable, "vfio_msi_enable", "vfio_msi_enable",
	true,
	TP_PROTO(int dev, int nvec, bool msix),
	TP_printk("dev%d %s enabled with %d vectors", dev,
		  msix ? "MSI-X" : "MSI", nvec),
	TP_fields("dev=%d nvec=%d ret=%d%s", dev, nvec, nvec,
		  msix ? "" : " msix=0"))

IRQSIM_TRACE_EVENT(vfio_msi_disable, "vfio_msi_disable", "vfio_msi_disable",
	true,
	TP_PROTO(int dev, bool msix),
	TP_printk("dev%d %s disabled: pci_free_irq_vectors() cleared %s enable",
		  dev, msix ? "MSI-X" : "MSI", msix ? "MSI-X" : "MSI"),
	TP_fields("dev=%d%s", dev, msix ? "" : " msix=0"))

IRQSIM_TRACE_EVENT(vfio_pci_ioctl_set_irqs, "vfio_pci_ioctl_set_irqs",
	"vfio_pci_ioctl_set_irqs", true,
	TP_PROTO(int dev, int index, int flags, int start, int count, int fd,
		 int ret),
	TP_printk("dev%d index %d flags %#x start %d count %d fd %d%s", dev,
		  index, flags, start, count, fd, ret ? ": -EINVAL" : ""),
	TP_fields("dev=%d index=%d flags=%#x start=%d count=%d fd=%d%s", dev,
		  index, flags, start, count, fd, ret ? " ret=-22" : ""))

IRQSIM_TRACE_EVENT(vfio_pci_ioctl_set_irqs_return, "vfio_pci_ioctl_set_irqs",
	"vfio_pci_ioctl_set_irqs", true,
	TP_PROTO(int dev, int ret),
	TP_printk("dev%d returns %d", dev, ret),
	TP_fields("dev=%d ret=%d", dev, ret))

/* intx.c: the fields give the ctx's masked flag after the step. */
IRQSIM_TRACE_EVENT(vfio_send_intx_eventfd, "vfio_send_intx_eventfd",
	"vfio_send_intx_eventfd", true,
	TP_PROTO(int dev, int trigger),
	TP_printk("dev%d eventfd_signal(efd%d)", dev, trigger),
	TP_fields("dev=%d efd=%d", dev, trigger))

IRQSIM_TRACE_EVENT(vfio_intx_handler_disable_irq, "vfio_intx_handler",
	"vfio_intx_handler", true,
	TP_PROTO(int dev, int irq, const struct vfio_pci_irq_ctx *ictx),
	TP_printk("dev%d (no DisINTx): disable_irq_nosync(%d)", dev, irq),
	TP_fields("dev=%d masked=%d", dev, ictx->masked))

IRQSIM_TRACE_EVENT(vfio_intx_handler_masked, "vfio_intx_handler",
	"vfio_intx_handler", true,
	TP_PROTO(int dev, const struct vfio_pci_irq_ctx *ictx),
	TP_printk("dev%d: masked at the device: IRQ_HANDLED", dev),
	TP_fields("dev=%d masked=%d", dev, ictx->masked))

IRQSIM_TRACE_EVENT(vfio_intx_handler_none, "vfio_intx_handler",
	"vfio_intx_handler", true,
	TP_PROTO(int dev, const struct vfio_pci_irq_ctx *ictx),
	TP_printk("dev%d: %s: IRQ_NONE", dev,
		  ictx->masked ? "already masked" : "not pending"),
	TP_fields("dev=%d masked=%d", dev, ictx->masked))

IRQSIM_TRACE_EVENT(vfio_pci_intx_unmask_handler_not_masked,
	"vfio_pci_intx_unmask_handler", "vfio_pci_intx_unmask_handler", false,
	TP_PROTO(int dev, const struct vfio_pci_irq_ctx *ictx),
	TP_printk("dev%d not masked", dev),
	TP_fields("dev=%d masked=%d", dev, ictx->masked))

IRQSIM_TRACE_EVENT(vfio_pci_intx_unmask_handler_check,
	"vfio_pci_intx_unmask_handler", "vfio_pci_intx_unmask_handler", true,
	TP_PROTO(int dev, const struct vfio_pci_irq_ctx *ictx),
	TP_printk("dev%d: %s", dev,
		  ictx->masked ? "still pending, stays masked" :
				 "unmasked at the device"),
	TP_fields("dev=%d masked=%d", dev, ictx->masked))

IRQSIM_TRACE_EVENT(vfio_pci_intx_unmask_handler_enable_irq,
	"vfio_pci_intx_unmask_handler", "vfio_pci_intx_unmask_handler", true,
	TP_PROTO(int dev, int irq, const struct vfio_pci_irq_ctx *ictx),
	TP_printk("dev%d: enable_irq(%d)", dev, irq),
	TP_fields("dev=%d masked=%d", dev, ictx->masked))

/* update_devid.c */
IRQSIM_TRACE_EVENT(irq_bypass_unregister_producer,
	"irq_bypass_unregister_producer", "irq_bypass_unregister_producer",
	visible,
	TP_PROTO(int dev, int vector, const char *why, bool visible),
	TP_printk("dev%d vector %d: producer unregistered (%s)", dev, vector,
		  why),
	TP_fields("dev=%d vector=%d irte=%d", dev, vector, visible))

IRQSIM_TRACE_EVENT(vfio_msi_set_vector_signal_put,
	"vfio_msi_set_vector_signal", "vfio_msi_set_vector_signal", false,
	TP_PROTO(int dev, int vector, int efd, const char *why),
	TP_printk("dev%d vector %d: eventfd_ctx_put(efd%d) (%s)", dev, vector,
		  efd, why),
	TP_fields("dev=%d vector=%d put_efd=%d", dev, vector, efd))

IRQSIM_TRACE_EVENT(vfio_msi_set_vector_signal_kept,
	"vfio_msi_set_vector_signal", "vfio_msi_set_vector_signal", true,
	TP_PROTO(int dev, int vector, int fd, int ret),
	TP_printk("dev%d vector %d: eventfd_ctx_fdget(%d) = %d before anything changed: old path kept",
		  dev, vector, fd, ret),
	TP_fields("dev=%d vector=%d fd=%d ret=%d kept=1", dev, vector, fd,
		  ret))

IRQSIM_TRACE_EVENT(vfio_msi_set_vector_signal_update_failed,
	"vfio_msi_set_vector_signal", "vfio_msi_set_vector_signal", true,
	TP_PROTO(int dev, int vector, int irq, int token, int ret, bool v4),
	TP_printk("dev%d: update devid of irq%d (token efd%d) failed: %d%s",
		  dev, irq, token, ret,
		  v4 ? ": old path and bypass kept" : ": tear down"),
	TP_fields("dev=%d vector=%d irq=%d update_ret=%d", dev, vector, irq,
		  ret))

IRQSIM_TRACE_EVENT(irq_bypass_register_producer,
	"irq_bypass_register_producer", "irq_bypass_register_producer",
	visible || ret,
	TP_PROTO(int dev, int vector, int token, int ret, bool visible),
	TP_printk("dev%d vector %d: token efd%d%s", dev, vector, token,
		  ret ? ": registration fails (logged)" : ""),
	TP_fields("dev=%d vector=%d token=%d ret=%d irte=%d", dev, vector,
		  token, ret, visible))

#endif /* IRQSIM_VFIO_TRACE_H */
