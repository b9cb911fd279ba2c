/* SPDX-License-Identifier: MIT */
/*
 * The events of the x86 APIC layer (arch/x86/kernel/apic/, the local
 * APIC, the platform interrupt controller), declared once each
 * (IRQSIM_TRACE_EVENT), as the kernel's include/trace/events/irq_vectors.h
 * and irq_matrix.h declare their tracepoints. Private to src/apic/.
 */
#ifndef IRQSIM_APIC_TRACE_H
#define IRQSIM_APIC_TRACE_H

#include "apic/apic.h"

/*
 * A vector_irq slot's name (an irq or a marker), for a TP_printk or
 * TP_fields argument: the buffer lives as long as the call that prints it.
 */
#define APIC_SLOT_NAME(slot)	apic_slot_name((slot), (char[16]){ 0 }, 16)

/* intc.c */
IRQSIM_TRACE_EVENT(intc_send, fn, "intc_send", true,
	TP_PROTO(const char *fn, int pin, const struct intc_pin *p,
		 const char *why, bool resignal),
	TP_printk("pin%d (irq%d) %s: vector %d -> cpu%d (IRR set)", pin,
		  p->irq, why, p->vector, p->dest),
	TP_fields("pin=%d irq=%d vector=%d cpu=%d resignal=%d", pin, p->irq,
		  p->vector, p->dest, resignal))

IRQSIM_TRACE_EVENT(intc_set_level_ioapic, "ioapic", "intc_set_level", true,
	TP_PROTO(int pin, const struct intc_pin *p, bool level),
	TP_printk("pin%d line %s%s", pin, level ? "asserted" : "deasserted",
		  level && p->masked ? " (entry masked)" :
		  level && p->in_service ? " (Remote IRR set)" : ""),
	TP_fields("pin=%d irq=%d value=%d", pin, p->irq, level))

IRQSIM_TRACE_EVENT(intc_mask_ioapic, "ioapic", "intc_mask", true,
	TP_PROTO(int pin, const struct intc_pin *p, bool masked),
	TP_printk("pin%d RTE %s%s", pin, masked ? "masked" : "unmasked",
		  !masked && p->level ? " with the line still asserted" : ""),
	TP_fields("pin=%d irq=%d value=%d", pin, p->irq, masked))

IRQSIM_TRACE_EVENT(intc_eoi_ioapic, "ioapic", "intc_eoi", p->level,
	TP_PROTO(int pin, const struct intc_pin *p),
	TP_printk("pin%d EOI: Remote IRR cleared", pin),
	TP_fields("pin=%d irq=%d value=%d", pin, p->irq, p->level))

IRQSIM_TRACE_EVENT(intc_set_level_ppc64, "ppc64-intc", "intc_set_level",
	true,
	TP_PROTO(int pin, const struct intc_pin *p, bool level),
	TP_printk("pin%d line %s%s", pin,
		  level ? "asserted: new assertion latched" : "deasserted",
		  level && p->masked ? " (source masked)" : ""),
	TP_fields("pin=%d irq=%d value=%d", pin, p->irq, level))

IRQSIM_TRACE_EVENT(intc_mask_ppc64, "ppc64-intc", "intc_mask", true,
	TP_PROTO(int pin, const struct intc_pin *p, bool masked),
	TP_printk("pin%d source %s%s", pin, masked ? "masked" : "unmasked",
		  masked ? "" :
		  p->latched ? ": assertion latched while masked" :
		  p->level ? ": line still asserted, no new assertion: nothing sent" :
			     ""),
	TP_fields("pin=%d irq=%d value=%d", pin, p->irq, masked))

IRQSIM_TRACE_EVENT(intc_eoi_ppc64, "ppc64-intc", "intc_eoi", p->level,
	TP_PROTO(int pin, const struct intc_pin *p),
	TP_printk("pin%d EOI%s", pin,
		  p->level && !p->latched ?
			  ": line still asserted, not presented again" : ""),
	TP_fields("pin=%d irq=%d value=%d", pin, p->irq, p->level))

/* irq_entry.c */
IRQSIM_TRACE_EVENT(no_irq_handler, fn, fn, true,
	TP_PROTO(const char *fn, int cpu, int vector),
	TP_printk("%d.%d No irq handler for vector", cpu, vector),
	TP_fields("cpu=%d vector=%d vector_irq=UNUSED", cpu, vector))

IRQSIM_TRACE_EVENT(marker_to_unused, fn, fn, true,
	TP_PROTO(const char *fn, int cpu, int vector, int16_t slot),
	TP_printk("vector_irq[cpu%d][%d] = UNUSED (was %s)", cpu, vector,
		  APIC_SLOT_NAME(slot)),
	TP_fields("cpu=%d vector=%d vector_irq=UNUSED was=%s", cpu, vector,
		  APIC_SLOT_NAME(slot)))

IRQSIM_TRACE_EVENT(common_interrupt, "common_interrupt", "common_interrupt",
	true,
	TP_PROTO(int cpu, int vector, int16_t slot),
	TP_printk("read vector_irq[cpu%d][%d] = %s", cpu, vector,
		  APIC_SLOT_NAME(slot)),
	TP_fields("cpu=%d vector=%d desc=%s", cpu, vector,
		  APIC_SLOT_NAME(slot)))

IRQSIM_TRACE_EVENT(common_interrupt_discard, "common_interrupt",
	"common_interrupt", true,
	TP_PROTO(int cpu, int vector),
	TP_printk("apic_eoi(): vector %d discarded on cpu%d", vector, cpu),
	TP_fields("cpu=%d vector=%d action=eoi_discard", cpu, vector))

IRQSIM_TRACE_EVENT(reevaluate_vector, "reevaluate_vector",
	"reevaluate_vector", true,
	TP_PROTO(int cpu, int vector, int16_t slot),
	TP_printk("vector_irq[cpu%d][%d] = irq%d: handle it", cpu, vector,
		  slot),
	TP_fields("cpu=%d vector=%d desc=irq%d", cpu, vector, slot))

/* lapic.c */
IRQSIM_TRACE_EVENT(apic_accept_irq, "apic", "apic_accept_irq", true,
	TP_PROTO(int cpu, int vector),
	TP_printk("cpu%d takes vector %d (IRR -> ISR)", cpu, vector),
	TP_fields("cpu=%d vector=%d", cpu, vector))

IRQSIM_TRACE_EVENT(apic_eoi, "apic_eoi", "apic_eoi", false,
	TP_PROTO(int cpu, int vector),
	TP_printk("cpu%d EOI vector %d", cpu, vector),
	TP_fields("cpu=%d vector=%d", cpu, vector))

/* move.c */
IRQSIM_TRACE_EVENT(vector_free_moved, "free_moved_vector",
	"vector_free_moved", true,
	TP_PROTO(int irq, int cpu, int vector,
		 const struct apic_chip_data *apicd),
	TP_printk("vector_irq[cpu%d][%d] = UNUSED (irq%d moved to cpu%d vector %d)",
		  cpu, vector, irq, apicd->cpu, apicd->vector),
	TP_fields("irq=%d cpu=%d vector=%d is_managed=0", irq, cpu, vector))

IRQSIM_TRACE_EVENT(vector_schedule_cleanup, "__vector_schedule_cleanup",
	"vector_schedule_cleanup", true,
	TP_PROTO(int irq, int cpu, const struct apic_chip_data *apicd,
		 const struct apic_cpu *prev),
	TP_printk("irq%d: first interrupt on cpu%d vector %d: cleanup of cpu%d vector %d queued%s",
		  irq, apicd->cpu, apicd->vector, cpu, apicd->prev_vector,
		  prev->cleanup_timer ? "" : ", timer armed"),
	TP_fields("irq=%d prev_cpu=%d prev_vector=%d timer=%d", irq, cpu,
		  apicd->prev_vector, 1))

IRQSIM_TRACE_EVENT(vector_cleanup_pending, "__vector_cleanup",
	"__vector_cleanup", true,
	TP_PROTO(int irq, int cpu, int vector),
	TP_printk("Moved interrupt pending in old target APIC %d: cpu%d vector %d kept, timer re-armed",
		  irq, cpu, vector),
	TP_fields("irq=%d cpu=%d vector=%d irr=1 rearm=1", irq, cpu, vector))

IRQSIM_TRACE_EVENT(apic_set_affinity, "apic_set_affinity",
	"apic_set_affinity", false,
	TP_PROTO(int irq, int mask, int ret,
		 const struct apic_chip_data *apicd),
	TP_printk("irq%d on cpu%d vector %d", irq, apicd->cpu, apicd->vector),
	TP_fields("irq=%d mask=%#x ret=%d vector=%d cpu=%d", irq, mask, ret,
		  apicd->vector, apicd->cpu))

IRQSIM_TRACE_EVENT(apic_set_affinity_busy, "apic_set_affinity",
	"apic_set_affinity", true,
	TP_PROTO(int irq, int mask, int ret,
		 const struct apic_chip_data *apicd),
	TP_printk("irq%d: previous move not cleaned up (cpu%d vector %d): -EBUSY",
		  irq, apicd->prev_cpu, apicd->prev_vector),
	TP_fields("irq=%d mask=%#x ret=%d vector=%d cpu=%d", irq, mask, ret,
		  apicd->vector, apicd->cpu))

IRQSIM_TRACE_EVENT(lapic_offline, "lapic_offline", "lapic_offline", true,
	TP_PROTO(int cpu),
	TP_printk("cpu%d: pending cleanups done without IRR check, timer deleted",
		  cpu),
	TP_fields("cpu=%d", cpu))

IRQSIM_TRACE_EVENT(lapic_online, "lapic_online", "lapic_online", true,
	TP_PROTO(int cpu),
	TP_printk("cpu%d online: vector_irq reset, matrix online", cpu),
	TP_fields("cpu=%d", cpu))

/* vector.c */
IRQSIM_TRACE_EVENT(clear_irq_vector, "x86_vector_deactivate",
	"clear_irq_vector", true,
	TP_PROTO(int irq, int cpu, int vector),
	TP_printk("vector_irq[cpu%d][%d] = SHUTDOWN", cpu, vector),
	TP_fields("irq=%d cpu=%d vector=%d vector_irq=SHUTDOWN", irq, cpu,
		  vector))

IRQSIM_TRACE_EVENT(vector_update, fn, "vector_update", true,
	TP_PROTO(const char *fn, int irq, int vector, unsigned int cpu,
		 int16_t slot, int prev_vector, int prev_cpu),
	TP_printk("vector_irq[cpu%u][%d] = irq%d (was %s)", cpu, vector, irq,
		  APIC_SLOT_NAME(slot)),
	TP_fields("irq=%d vector=%d cpu=%u prev_vector=%d prev_cpu=%d", irq,
		  vector, cpu, prev_vector, prev_cpu))

IRQSIM_TRACE_EVENT(irq_matrix_alloc_failed, "irq_matrix_alloc",
	"irq_matrix_alloc", true,
	TP_PROTO(int irq, int ret, uint8_t dest, const struct irq_matrix *m),
	TP_printk("irq=%d: %s on cpus %#x: global_available=%u total_allocated=%u (cpu0 available=%u allocated=%u)",
		  irq, apic_errno_name(ret), dest, m->global_available,
		  m->total_allocated, m->cpu[0].available,
		  m->cpu[0].allocated),
	TP_fields("irq=%d ret=%d global_avl=%u global_rsvd=%u total_alloc=%u",
		  irq, ret, m->global_available, m->global_reserved,
		  m->total_allocated))

/* the kernel's trace_irq_matrix_alloc() fields */
IRQSIM_TRACE_EVENT(irq_matrix_alloc, "irq_matrix_alloc", "irq_matrix_alloc",
	false,
	TP_PROTO(int irq, int bit, unsigned int cpu,
		 const struct irq_matrix *m),
	TP_printk("irq=%d vector=%d cpu=%u available=%u allocated=%u", irq,
		  bit, cpu, m->cpu[cpu].available, m->cpu[cpu].allocated),
	TP_fields("bit=%d cpu=%u available=%u allocated=%u global_avl=%u global_rsvd=%u total_alloc=%u",
		  bit, cpu, m->cpu[cpu].available, m->cpu[cpu].allocated,
		  m->global_available, m->global_reserved,
		  m->total_allocated))

IRQSIM_TRACE_EVENT(x86_vector_activate, "x86_vector_activate",
	"x86_vector_activate", false,
	TP_PROTO(int irq, int ret),
	TP_printk("unlock vector_lock"),
	TP_fields("irq=%d ret=%d", irq, ret))

IRQSIM_TRACE_EVENT(x86_vector_deactivate, "x86_vector_deactivate",
	"x86_vector_deactivate", false,
	TP_PROTO(int irq),
	TP_printk("unlock vector_lock"),
	TP_fields("irq=%d done=1", irq))

IRQSIM_TRACE_EVENT(apic_retrigger_irq, "apic_retrigger_irq",
	"apic_retrigger_irq", true,
	TP_PROTO(int irq, int cpu, int vector),
	TP_printk("IPI vector %d to cpu%d", vector, cpu),
	TP_fields("irq=%d cpu=%d vector=%d", irq, cpu, vector))

IRQSIM_TRACE_EVENT(x86_vector_repair, "x86_vector_repair",
	"x86_vector_repair", true,
	TP_PROTO(int irq, int cpu, int vector),
	TP_printk("irq %d: repair vector %d.%d", irq, cpu, vector),
	TP_fields("irq=%d cpu=%d vector=%d repaired=1", irq, cpu, vector))

IRQSIM_TRACE_EVENT(x86_vector_repair_intact, "x86_vector_repair",
	"x86_vector_repair", true,
	TP_PROTO(int irq, int cpu, int vector),
	TP_printk("vector_irq[cpu%d][%d] holds irq%d: nothing to repair", cpu,
		  vector, irq),
	TP_fields("irq=%d cpu=%d vector=%d repaired=0", irq, cpu, vector))

#endif /* IRQSIM_APIC_TRACE_H */
