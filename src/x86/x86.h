/* SPDX-License-Identifier: MIT */
/*
 * The arch/x86 interrupt code that is a client of genirq, as in the
 * kernel: the callbacks arch/x86/kernel/apic/msi.c gives the PCI/MSI irq
 * chips of a device whose parent is the x86 vector domain
 * (msi_set_affinity, x86_init_dev_msi_info), and apic_ack_edge() of
 * arch/x86/kernel/apic/vector.c. They read irq_desc and call into
 * kernel/irq (irq_move_irq()), so they sit above genirq. The vector
 * domain's own callbacks, which genirq reaches only through the ops it was
 * given, and the hardware (local APIC, matrix, IOAPIC pins) stay below it
 * in src/apic.
 *
 * Models arch/x86/kernel/apic/vector.c (apic_ack_edge) and
 * arch/x86/kernel/apic/msi.c (msi_set_affinity, x86_init_dev_msi_info)
 * (Linux v6.18).
 */
#ifndef IRQSIM_X86_H
#define IRQSIM_X86_H

#include "irq/irq.h"

/* Function ids (IRQSIM_DEFINE_FN: valid before main() runs). */
extern int fn_apic_ack_edge;
extern int fn_msi_set_affinity;

/* Knob ids (valid after x86_init). */
extern int x86_knob_msi_affinity_slow_path;

/* Values of msi_affinity_slow_path. */
enum msi_slow_path {
	MSI_SLOW_CAN_RESERVE,	/* v6.18: direct update if !irqd_can_reserve */
	MSI_SLOW_NOMASK,	/* the intent: slow path for non-maskable MSI */
	MSI_SLOW_NEVER,		/* always direct: < 6f1a4891a592, ef8dd01538ea.. */
};

/*
 * Which message an MSI chip's irq_write_msi_msg_fn (struct irq_chip)
 * writes: its arguments are (irq, kind, address_lo, data).
 */
enum msi_msg_kind {
	MSI_MSG_ZERO,		/* msi_domain_deactivate() */
	MSI_MSG_COMPOSE,	/* msi_domain_activate(): from the vector cfg */
	MSI_MSG_CACHED,		/* get_cached_msi_msg() (VFIO refresh) */
	MSI_MSG_EXPLICIT,	/* @address_lo, @data (msi_set_affinity's
				 * intermediate message) */
};

/*
 * Is the MSI of Linux irq @irq maskable (MSI-X, or MSI with per-vector
 * masking)? msi_affinity_slow_path=nomask asks, where 6f1a4891a592 reads
 * irqd_msi_nomask_quirk(); the PCI/MSI layer, which knows the device,
 * answers.
 */
typedef bool (*x86_msi_maskable_fn)(struct irqsim_ctx *ctx, int irq);
void x86_set_msi_maskable(x86_msi_maskable_fn fn);

/* x86_init - register this layer's knobs (and the layers' below it) */
void x86_init(void);

/**
 * x86_init_dev_msi_info - the x86 vector domain as the MSI parent of a
 * PCI/MSI irq chip: @chip's affinity setter becomes msi_set_affinity()
 * (IRQCHIP_MOVE_DEFERRED), its ack apic_ack_edge() (through
 * irq_chip_ack_parent()) and its retrigger apic_retrigger_irq() (through
 * irq_chip_retrigger_hierarchy()). @chip brings its own
 * irq_write_msi_msg_fn. Call before irq_register_chip().
 */
void x86_init_dev_msi_info(struct irq_chip *chip);

#endif /* IRQSIM_X86_H */
