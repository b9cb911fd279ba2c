/* SPDX-License-Identifier: MIT */
/*
 * The events of the genirq layer (kernel/irq/), declared once each
 * (IRQSIM_TRACE_EVENT), as the kernel's include/trace/events/irq.h
 * declares its tracepoints. Private to src/irq/.
 */
#ifndef IRQSIM_IRQ_TRACE_H
#define IRQSIM_IRQ_TRACE_H

#include "irq/irq.h"

/* manage.c */
IRQSIM_TRACE_EVENT(irq_injected_failure, fn, fn, true,
	TP_PROTO(const char *fn, int irq, int err),
	TP_printk("irq%d: injected failure %s", irq, apic_errno_name(err)),
	TP_fields("irq=%d ret=%d injected=1", irq, err))

IRQSIM_TRACE_EVENT(request_irq_published, "request_irq", "request_irq", true,
	TP_PROTO(int irq, int dev_id),
	TP_printk("irq%d action published (dev_id %d)", irq, dev_id),
	TP_fields("irq=%d dev_id=%d ret=0", irq, dev_id))

IRQSIM_TRACE_EVENT(request_irq_failed, "request_irq", "request_irq", true,
	TP_PROTO(int irq, int err),
	TP_printk("irq%d fails: %d", irq, err),
	TP_fields("irq=%d ret=%d", irq, err))

IRQSIM_TRACE_EVENT(free_irq_not_found, "__free_irq", "__free_irq", true,
	TP_PROTO(int irq),
	TP_printk("Trying to free already-free IRQ %d", irq),
	TP_fields("irq=%d found=0", irq))

IRQSIM_TRACE_EVENT(free_irq_unlinked, "__free_irq", "__free_irq", true,
	TP_PROTO(int irq, int dev_id),
	TP_printk("irq%d action unlinked", irq),
	TP_fields("irq=%d dev_id=%d found=1", irq, dev_id))

IRQSIM_TRACE_EVENT(synchronize_irq_free, "__synchronize_irq",
	"__synchronize_irq", true,
	TP_PROTO(int irq),
	TP_printk("irq%d: no handler running (a remote IRR is invisible)", irq),
	TP_fields("irq=%d inprogress=0", irq))

IRQSIM_TRACE_EVENT(synchronize_irq_update, "synchronize_irq",
	"synchronize_irq", true,
	TP_PROTO(int irq),
	TP_printk("irq%d: no handler running with the old dev_id", irq),
	TP_fields("irq=%d inprogress=0", irq))

IRQSIM_TRACE_EVENT(irq_update_devid, "irq_update_devid", "irq_update_devid",
	true,
	TP_PROTO(int irq, int dev_id, int new_dev_id),
	TP_printk("irq%d action dev_id %d -> %d", irq, dev_id, new_dev_id),
	TP_fields("irq=%d dev_id=%d new_dev_id=%d", irq, dev_id, new_dev_id))

IRQSIM_TRACE_EVENT(irq_update_devid_not_found, "irq_update_devid",
	"irq_update_devid", true,
	TP_PROTO(int irq, int dev_id, int new_dev_id, int err),
	TP_printk("WARN: Trying to update already-free IRQ %d (dev_id %d to %d)",
		  irq, dev_id, new_dev_id),
	TP_fields("irq=%d dev_id=%d ret=%d", irq, dev_id, err))

/* chip.c */
IRQSIM_TRACE_EVENT(check_irq_resend, "check_irq_resend", "check_irq_resend",
	true,
	TP_PROTO(int irq),
	TP_printk("irq%d IRQS_PENDING: retrigger", irq),
	TP_fields("irq=%d", irq))

IRQSIM_TRACE_EVENT(handle_bad_irq, "handle_bad_irq", "handle_bad_irq", true,
	TP_PROTO(int irq),
	TP_printk("irq%d was freed: unexpected IRQ trap, apic_eoi()", irq),
	TP_fields("irq=%d", irq))

IRQSIM_TRACE_EVENT(handle_edge_irq_pending, "handle_edge_irq",
	"handle_edge_irq", true,
	TP_PROTO(int irq, const struct irq_desc *desc),
	TP_printk("irq%d cannot be handled (%s): IRQS_PENDING, mask_ack", irq,
		  desc->action_fn < 0 ? "no action" :
		  desc->irqd & IRQD_IRQ_DISABLED ? "disabled" : "in progress"),
	TP_fields("irq=%d action=%s istate=IRQS_PENDING", irq,
		  desc->action_fn < 0 ? "none" : "busy"))

IRQSIM_TRACE_EVENT(irq_handler_entry, "irq_handler_entry",
	"irq_handler_entry", false,
	TP_PROTO(int irq, int dev_id),
	TP_printk("irq=%d", irq),
	TP_fields("irq=%d dev_id=%d", irq, dev_id))

/* affinity.c */
IRQSIM_TRACE_EVENT(irq_set_affinity_deferred, "irq_set_affinity",
	"irq_set_affinity", true,
	TP_PROTO(int irq, int mask),
	TP_printk("irq%d: move to %#x pending until the next interrupt (IRQCHIP_MOVE_DEFERRED)",
		  irq, mask),
	TP_fields("irq=%d mask=%#x pending=1", irq, mask))

IRQSIM_TRACE_EVENT(cpuhp_enter_offline, "take_cpu_down", "cpuhp_enter", true,
	TP_PROTO(int cpu),
	TP_printk("cpu%d goes offline: stop_machine, every CPU spins with interrupts off",
		  cpu),
	TP_fields("cpu=%d target=offline", cpu))

IRQSIM_TRACE_EVENT(migrate_one_irq, "migrate_one_irq", "migrate_one_irq", true,
	TP_PROTO(int irq, int cpu, int mask),
	TP_printk("irq%d: off cpu%d to %#x", irq, cpu, mask),
	TP_fields("irq=%d cpu=%d mask=%#x", irq, cpu, mask))

#endif /* IRQSIM_IRQ_TRACE_H */
