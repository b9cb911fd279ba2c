/* SPDX-License-Identifier: MIT */
/*
 * The arch/x86 interrupt code that is a client of genirq, as in the
 * kernel: the callbacks arch/x86/kernel/apic/msi.c gives the PCI/MSI irq
 * chips of a device whose parent is the x86 vector domain
 * (x86_init_dev_msi_info), and apic_ack_edge() of
 * arch/x86/kernel/apic/vector.c. They read irq_desc and call into
 * kernel/irq (irq_move_irq()), so they sit above genirq. The vector
 * domain's own callbacks, which genirq reaches only through the ops it was
 * given, and the hardware (local APIC, matrix, IOAPIC pins) stay below it
 * in src/apic.
 *
 * Models arch/x86/kernel/apic/vector.c (apic_ack_edge) and
 * arch/x86/kernel/apic/msi.c (x86_init_dev_msi_info) (Linux v6.18).
 */
#ifndef IRQSIM_X86_H
#define IRQSIM_X86_H

#include "irq/irq.h"

/* Function ids (IRQSIM_DEFINE_FN: valid before main() runs). */
extern int fn_apic_ack_edge;

/* x86_init - register this layer's knobs (and the layers' below it) */
void x86_init(void);

/**
 * x86_init_dev_msi_info - the x86 vector domain as the MSI parent of a
 * PCI/MSI irq chip: @chip's ack becomes apic_ack_edge() (through
 * irq_chip_ack_parent()) and its retrigger apic_retrigger_irq() (through
 * irq_chip_retrigger_hierarchy()). Call before irq_register_chip().
 */
void x86_init_dev_msi_info(struct irq_chip *chip);

#endif /* IRQSIM_X86_H */
