/* SPDX-License-Identifier: MIT */
/*
 * The events of the x86 MSI layer (arch/x86/kernel/apic/msi.c), declared
 * once each (IRQSIM_TRACE_EVENT), as the kernel's include/trace/events/
 * declares its tracepoints. Private to src/x86/.
 */
#ifndef IRQSIM_X86_TRACE_H
#define IRQSIM_X86_TRACE_H

#include "x86/x86.h"

/* msi.c */
IRQSIM_TRACE_EVENT(msi_set_affinity, "msi_set_affinity", "msi_set_affinity",
	true,
	TP_PROTO(int irq, int old_cpu, int old_vector, int cpu, int vector),
	TP_printk("irq%d: intermediate message: new vector %d on the old cpu%d",
		  irq, vector, old_cpu),
	TP_fields("irq=%d old_cpu=%d old_vector=%d cpu=%d vector=%d", irq,
		  old_cpu, old_vector, cpu, vector))

#endif /* IRQSIM_X86_TRACE_H */
