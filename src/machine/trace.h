/* SPDX-License-Identifier: MIT */
/*
 * The events of the machine's asynchronous transitions (a vCPU taking a
 * guest interrupt, a device sending its pending message, a timer
 * expiring), declared once each (IRQSIM_TRACE_EVENT), as the kernel's
 * include/trace/events/ declares its tracepoints. Private to
 * src/machine/.
 */
#ifndef IRQSIM_MACHINE_TRACE_H
#define IRQSIM_MACHINE_TRACE_H

#include "machine/machine.h"

/* machine.c */
IRQSIM_TRACE_EVENT(kvm_inj_virq, "guest", "kvm_inj_virq", true,
	TP_PROTO(int vcpu, int vector),
	TP_printk("vcpu%d takes guest vector %#x", vcpu, vector),
	TP_fields("vcpu=%d vector=%#x", vcpu, vector))

IRQSIM_TRACE_EVENT(msi_send_pending, "device", "msi_send_pending", true,
	TP_PROTO(int dev, int entry),
	TP_printk("dev%d vector %d unmasked: sends its pending message", dev,
		  entry),
	TP_fields("dev=%d entry=%d", dev, entry))

IRQSIM_TRACE_EVENT(timer_expire_entry, "timer", "timer_expire_entry", true,
	TP_PROTO(int cpu),
	TP_printk("cpu%d: vector cleanup timer expires", cpu),
	TP_fields("cpu=%d function=vector_cleanup_callback", cpu))

#endif /* IRQSIM_MACHINE_TRACE_H */
