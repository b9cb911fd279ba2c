// SPDX-License-Identifier: MIT
/* The VMM layer's modeled functions and knobs, registered once. */
#include "vmm/internal.h"

void vmm_init(void)
{
	vfio_init(vmm_irqfd_wakeup);
	vmm_register_qemu();
	vmm_register_qemu_intx();
	vmm_register_kvm_pi();
	vmm_register_ioapic();
	vmm_register_kvm_split();
	vmm_register_guest_hotplug();
	vmm_register_irqfd();
}
