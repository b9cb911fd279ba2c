// SPDX-License-Identifier: MIT
/*
 * Models arch/x86/kernel/apic/msi.c (Linux v6.18): x86_init_dev_msi_info,
 * the callbacks the x86 vector domain, as MSI parent, gives a device's
 * PCI/MSI irq chip.
 */
#include "x86/internal.h"

void x86_init_dev_msi_info(struct irq_chip *chip)
{
	/* irq_chip_ack_parent() -> apic_ack_edge() */
	chip->irq_ack = msi_ack_parent;
	chip->irq_ack_slow = msi_ack_slow;
	chip->irq_ack_fn = &fn_apic_ack_edge;
	/* irq_chip_retrigger_hierarchy() -> apic_retrigger_irq() */
	chip->irq_retrigger_fn = fn_apic_retrigger_irq;
}

void x86_init(void)
{
	irq_init();
}
