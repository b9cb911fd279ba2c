/* SPDX-License-Identifier: MIT */
/*
 * The events of the VMM layer (the guest, KVM, QEMU), declared once each
 * (IRQSIM_TRACE_EVENT), as the kernel's include/trace/events/ and QEMU's
 * trace-events files declare their tracepoints. Private to src/vmm/.
 */
#ifndef IRQSIM_VMM_TRACE_H
#define IRQSIM_VMM_TRACE_H

#include "vmm/internal.h"

/* guest.c */
IRQSIM_TRACE_EVENT(guest_msix_enable, "pci_alloc_irq_vectors",
	"guest_msix_enable", true,
	TP_PROTO(int dev),
	TP_printk("guest: dev%d MSI-X enable (config write traps)", dev),
	TP_fields("dev=%d", dev))

IRQSIM_TRACE_EVENT(guest_msix_disable, "pci_free_irq_vectors",
	"guest_msix_disable", true,
	TP_PROTO(int dev),
	TP_printk("guest: dev%d MSI-X enable cleared (config write traps)",
		  dev),
	TP_fields("dev=%d", dev))

IRQSIM_TRACE_EVENT(guest_irq_handler, "guest_irq_handler",
	"guest_irq_handler", true,
	TP_PROTO(int dev, int vector, const char *what, bool pending),
	TP_printk("dev%d vector %d status read: %s", dev, vector, what),
	TP_fields("dev=%d vector=%d pending=%d", dev, vector, pending))

/* guest_hotplug.c */
IRQSIM_TRACE_EVENT(cpuhp_enter_offline, "take_cpu_down", "cpuhp_enter", true,
	TP_PROTO(int cpu),
	TP_printk("guest: vcpu%d goes offline: stop_machine (every vCPU spins, interrupts off), set_cpu_online(%d, false)",
		  cpu, cpu),
	TP_fields("guest=1 cpu=%d target=offline", cpu))

IRQSIM_TRACE_EVENT(migrate_one_irq, "migrate_one_irq", "migrate_one_irq",
	true,
	TP_PROTO(int irq, int cpu, int target, int masked),
	TP_printk("guest dev%d vector %d (%#x): affinity vcpu%d has no online vCPU, broken to cpu_online_mask: vcpu%d%s",
		  irq / IRQSIM_MAX_VECS, irq % IRQSIM_MAX_VECS,
		  GUEST_VECTOR_BASE + irq, cpu, target,
		  masked ? " (masked: message only)" : ""),
	TP_fields("guest=1 dev=%d vector=%d cpu=%d target=%d masked=%d",
		  irq / IRQSIM_MAX_VECS, irq % IRQSIM_MAX_VECS, cpu, target,
		  masked))

IRQSIM_TRACE_EVENT(fixup_irqs_stays, "fixup_irqs", "fixup_irqs", true,
	TP_PROTO(int cpu, int vector),
	TP_printk("guest vector %#x pending in vcpu%d's IRR: not retriggered, it stays in the dead vIRR",
		  vector, cpu),
	TP_fields("guest=1 cpu=%d vector=%#x retrigger=0", cpu, vector))

IRQSIM_TRACE_EVENT(fixup_irqs_retrigger, "fixup_irqs", "fixup_irqs", true,
	TP_PROTO(int cpu, int vector, int target),
	TP_printk("guest vector %#x pending in vcpu%d's IRR: irq_retrigger, IPI to vcpu%d (vIRR set)",
		  vector, cpu, target),
	TP_fields("guest=1 cpu=%d vector=%#x retrigger=1 target=%d", cpu,
		  vector, target))

IRQSIM_TRACE_EVENT(cpuhp_exit_offline, "take_cpu_down", "cpuhp_exit", true,
	TP_PROTO(int cpu),
	TP_printk("guest: vcpu%d offline (dead, interrupts off); stop_machine done",
		  cpu),
	TP_fields("guest=1 cpu=%d target=offline", cpu))

IRQSIM_TRACE_EVENT(cpuhp_enter_online, "guest_cpu_online", "cpuhp_enter",
	true,
	TP_PROTO(int cpu, uint32_t dropped),
	TP_printk("guest: vcpu%d INIT/SIPI (kvm_lapic_reset: vIRR %#x dropped), lapic_online, set_cpu_online(%d, true)",
		  cpu, dropped, cpu),
	TP_fields("guest=1 cpu=%d target=online", cpu))

/* guest_ioapic.c */
IRQSIM_TRACE_EVENT(request_irq, "request_irq", "request_irq", true,
	TP_PROTO(int pin, int vector, int cpu,
		 const struct guest_ioapic_irq *g),
	TP_printk("pin %d (vector %#x): activate, effective affinity vcpu%d%s",
		  pin, vector, cpu,
		  g->affinity ? " (the affinity set before request_irq)" : ""),
	TP_fields("irq=%d vector=%#x cpu=%d", pin, vector, cpu))

IRQSIM_TRACE_EVENT(irq_set_affinity_startup, "irq_set_affinity",
	"irq_set_affinity", true,
	TP_PROTO(int pin, int cpu),
	TP_printk("pin %d -> vcpu%d before request_irq: the startup assigns it",
		  pin, cpu),
	TP_fields("pin=%d cpu=%d pending=0", pin, cpu))

IRQSIM_TRACE_EVENT(irq_set_affinity_pending, "irq_set_affinity",
	"irq_set_affinity", true,
	TP_PROTO(int pin, int cpu, int effective),
	TP_printk("pin %d -> vcpu%d: IRQD_SETAFFINITY_PENDING, deferred to the next interrupt (effective still vcpu%d)",
		  pin, cpu, effective),
	TP_fields("pin=%d cpu=%d pending=1", pin, cpu))

IRQSIM_TRACE_EVENT(irq_handler_entry, "handle_fasteoi_irq",
	"irq_handler_entry", true,
	TP_PROTO(int irq, int vector, int vcpu, int effective),
	TP_printk("IRQ %d vector %#x on vcpu%d (effective affinity vcpu%d)",
		  irq, vector, vcpu, effective),
	TP_fields("irq=%d vcpu=%d", irq, vcpu))

IRQSIM_TRACE_EVENT(irq_handler_exit_none, "guest_irq_handler",
	"irq_handler_exit", true,
	TP_PROTO(int irq, int vcpu, int only_cpu),
	TP_printk("IRQ %d: the handler is on vcpu%d: IRQ_NONE (it acts on vcpu%d only)",
		  irq, vcpu, only_cpu),
	TP_fields("irq=%d ret=none", irq))

IRQSIM_TRACE_EVENT(ioapic_ack_level, "ioapic_ack_level", "ioapic_ack_level",
	true,
	TP_PROTO(int irq, int moveit),
	TP_printk("IRQ %d moveit = %d", irq, moveit),
	TP_fields("irq=%d moveit=%d", irq, moveit))

IRQSIM_TRACE_EVENT(ioapic_finish_move_moved, "ioapic_finish_move",
	"ioapic_finish_move", true,
	TP_PROTO(int irq, int cpu),
	TP_printk("IRQ %d calls irq_move_masked_irq(): ioapic_configure_entry target vcpu%d",
		  irq, cpu),
	TP_fields("irq=%d moved=1 cpu=%d", irq, cpu))

IRQSIM_TRACE_EVENT(ioapic_finish_move_remote_irr, "ioapic_finish_move",
	"ioapic_finish_move", true,
	TP_PROTO(int irq),
	TP_printk("IRQ %d: Remote IRR still set: not moved this time", irq),
	TP_fields("irq=%d moved=0", irq))

/* kvm_pi.c */
IRQSIM_TRACE_EVENT(kvm_pi_post, "kvm_pi_post", "kvm_pi_post", true,
	TP_PROTO(int irq, const struct irte *e, enum pi_stale_why why),
	TP_printk("posted interrupt: guest vector %#x pending on vcpu%d (PIR)%s",
		  e->gvec, e->vcpu, why != PI_FRESH ? ": stale IRTE" : ""),
	TP_fields("irq=%d vcpu=%d vector=%#x stale=%d", irq, e->vcpu, e->gvec,
		  why))

/* kvm_split.c */
IRQSIM_TRACE_EVENT(kvm_irqchip_commit_routes, "kvm_irqchip_commit_routes",
	"kvm_irqchip_commit_routes", false,
	TP_PROTO(int nr_vcpus),
	TP_printk("KVM_SET_GSI_ROUTING: KVM_REQ_SCAN_IOAPIC on every vCPU"),
	TP_fields("vcpus=%d", nr_vcpus))

IRQSIM_TRACE_EVENT(kvm_set_irq_dropped, "kvm_set_irq", "kvm_set_irq", true,
	TP_PROTO(int gsi, const struct kvm_gsi_msi_route *r),
	TP_printk("gsi %d route %x %x has no guest target: dropped", gsi,
		  r->address, r->data),
	TP_fields("gsi=%d address=%#x data=%#x dropped=1", gsi, r->address,
		  r->data))

IRQSIM_TRACE_EVENT(kvm_set_irq_never_injected, "kvm_set_irq", "kvm_set_irq",
	true,
	TP_PROTO(int gsi, const struct kvm_gsi_msi_route *r, int vcpu,
		 int vector, bool level),
	TP_printk("gsi %d route %x %x%s: vector %d (%s) -> vcpu%d IRR, never injected: lost",
		  gsi, r->address, r->data,
		  !r->address && !r->data ? " (all-zero)" : "", vector,
		  level ? "level" : "edge", vcpu),
	TP_fields("gsi=%d address=%#x data=%#x vcpu=%d vector=%#x never_injected=1",
		  gsi, r->address, r->data, vcpu, vector))

IRQSIM_TRACE_EVENT(kvm_set_irq_accepted, "kvm_set_irq", "kvm_set_irq", true,
	TP_PROTO(int gsi, const struct kvm_gsi_msi_route *r, int vcpu,
		 int vector, bool posted),
	TP_printk("gsi %d route %x %x: vector %#x -> vcpu%d %s", gsi,
		  r->address, r->data, vector, vcpu,
		  posted ? "PIR (outside guest mode: posted)" : "IRR"),
	TP_fields("gsi=%d address=%#x data=%#x vcpu=%d vector=%#x pir=%d", gsi,
		  r->address, r->data, vcpu, vector, posted))

IRQSIM_TRACE_EVENT(vcpu_scan_ioapic_in_flight, "vcpu_scan_ioapic",
	"vcpu_scan_ioapic", true,
	TP_PROTO(int vcpu, int vector, const struct guest_vcpu *vc),
	TP_printk("vcpu%d rescan drops %#x, in flight in its %s: its EOI will not exit",
		  vcpu, vector,
		  (vc->pir >> (vector - GUEST_IOAPIC_VECTOR_BASE)) & 1 ?
			  "PIR (unseen)" : "IRR/ISR"),
	TP_fields("vcpu=%d handled=%#x", vcpu, vc->eoi_exit))

IRQSIM_TRACE_EVENT(vcpu_scan_ioapic, "vcpu_scan_ioapic", "vcpu_scan_ioapic",
	false,
	TP_PROTO(int vcpu, uint32_t handled),
	TP_printk("vcpu%d KVM_REQ_SCAN_IOAPIC: ioapic_handled_vectors %#x",
		  vcpu, handled),
	TP_fields("vcpu=%d handled=%#x", vcpu, handled))

IRQSIM_TRACE_EVENT(kvm_sync_pir_to_irr, "vcpu_enter_guest",
	"kvm_sync_pir_to_irr", false,
	TP_PROTO(int vcpu, uint32_t pir),
	TP_printk("vcpu%d sync_pir_to_irr: %#x", vcpu, pir),
	TP_fields("vcpu=%d pir=%#x", vcpu, pir))

IRQSIM_TRACE_EVENT(kvm_ioapic_send_eoi, "kvm_ioapic_send_eoi",
	"kvm_ioapic_send_eoi", true,
	TP_PROTO(int vcpu, int vector, bool exits),
	TP_printk("vcpu%d EOI vector %#x: %s", vcpu, vector,
		  exits ? "in ioapic_handled_vectors: KVM_EXIT_IOAPIC_EOI" :
			  "not in ioapic_handled_vectors: no exit, QEMU never sees this EOI"),
	TP_fields("vcpu=%d vector=%#x exit=%d", vcpu, vector, exits))

/* ioapic.c */

/* A pin whose Remote IRR was already set is coalesced: not important. */
IRQSIM_TRACE_EVENT(ioapic_set_remote_irr, "ioapic_set_remote_irr",
	"ioapic_set_remote_irr", !coalesce,
	TP_PROTO(int pin, bool coalesce),
	TP_printk("set remote irr for pin %d%s", pin,
		  coalesce ? " (already set: coalesced)" : ""),
	TP_fields("pin=%d", pin))

IRQSIM_TRACE_EVENT(ioapic_service, "ioapic_service", "ioapic_service", true,
	TP_PROTO(int pin),
	TP_printk("trigger KVM IRQ %d", pin),
	TP_fields("pin=%d", pin))

IRQSIM_TRACE_EVENT(ioapic_set_irq, "ioapic_set_irq", "ioapic_set_irq", true,
	TP_PROTO(int pin, int level, uint64_t entry),
	TP_printk("vector: %d level: %d%s", pin, level,
		  level && (entry & IOAPIC_LVT_TRIGGER_MODE) &&
				  (entry & IOAPIC_LVT_REMOTE_IRR) ?
			  " (Remote IRR set: not serviced)" : ""),
	TP_fields("vector=%d level=%d", pin, level))

IRQSIM_TRACE_EVENT(ioapic_eoi_broadcast, "ioapic_eoi_broadcast",
	"ioapic_eoi_broadcast", true,
	TP_PROTO(int vector),
	TP_printk("EOI broadcast for vector %d", vector),
	TP_fields("vector=%d", vector))

IRQSIM_TRACE_EVENT(ioapic_clear_remote_irr, "ioapic_clear_remote_irr",
	"ioapic_clear_remote_irr", true,
	TP_PROTO(int pin, int vector),
	TP_printk("clear remote irr for pin %d vector %d", pin, vector),
	TP_fields("pin=%d vector=%d", pin, vector))

IRQSIM_TRACE_EVENT(ioapic_eoi_delayed_reassert,
	"ioapic_eoi_delayed_reassert", "ioapic_eoi_delayed_reassert", true,
	TP_PROTO(int pin),
	TP_printk("pin %d: %d re-deliveries in a row: the next waits for the 10 ms timer",
		  pin, SUCCESSIVE_IRQ_MAX_COUNT),
	TP_fields("pin=%d", pin))

IRQSIM_TRACE_EVENT(ioapic_update_kvm_routes, "ioapic_update_kvm_routes",
	"ioapic_update_kvm_routes", true,
	TP_PROTO(int irq, uint32_t address, uint32_t data),
	TP_printk("update KVM route for IRQ %d: %x %x", irq, address, data),
	TP_fields("irq=%d address=%#x data=%#x", irq, address, data))

IRQSIM_TRACE_EVENT(ioapic_mem_write, "ioapic_mem_write", "ioapic_mem_write",
	true,
	TP_PROTO(uint32_t addr, int regsel, uint32_t val),
	TP_printk("ioapic mem write addr %#x regsel: %#x size 0x4 val %#x",
		  addr, regsel, val),
	TP_fields("addr=%#x regsel=%#x size=4 val=%#x", addr, regsel, val))

IRQSIM_TRACE_EVENT(ioapic_mem_read, "ioapic_mem_read", "ioapic_mem_read",
	true,
	TP_PROTO(uint32_t addr, int regsel, uint32_t val),
	TP_printk("ioapic mem read addr %#x regsel: %#x size 0x4 retval %#x",
		  addr, regsel, val),
	TP_fields("addr=%#x regsel=%#x size=4 retval=%#x", addr, regsel, val))

IRQSIM_TRACE_EVENT(delayed_ioapic_service_cb, "delayed_ioapic_service_cb",
	"delayed_ioapic_service_cb", true,
	TP_PROTO(uint32_t irr),
	TP_printk("delayed_ioapic_service_timer fired: ioapic_service"),
	TP_fields("irr=%#x", irr))

IRQSIM_TRACE_EVENT(qemu_set_irq, "qemu_set_irq", "qemu_set_irq", true,
	TP_PROTO(const struct qemu_level_dev *d),
	TP_printk("level device on pin %d: %s", d->pin,
		  d->pending ? "event pending, line asserted" :
			       "no event, line deasserted"),
	TP_fields("pin=%d level=%d", d->pin, d->pending))

IRQSIM_TRACE_EVENT(qemu_level_dev_read, "qemu_level_dev_read",
	"qemu_level_dev_read", true,
	TP_PROTO(int pin, int pending),
	TP_printk("pin %d status read: %s", pin,
		  pending ? "event handed to the driver, line deasserted" :
			    "nothing pending"),
	TP_fields("pin=%d pending=%d", pin, pending))

/* qemu.c */
IRQSIM_TRACE_EVENT(error_report_set_signal, "error_report", "error_report",
	true,
	TP_PROTO(int dev, int vec, int ret),
	TP_printk("vfio: failed to set MSI-X vector %d signal: %d", vec, ret),
	TP_fields("dev=%d vector=%d ret=%d", dev, vec, ret))

IRQSIM_TRACE_EVENT(error_report_enable, "error_report", "error_report", true,
	TP_PROTO(int dev, int vec, int ret, const char *what),
	TP_printk("vfio: failed to enable %s, %d (dev%d vector %d)", what, ret,
		  dev, vec),
	TP_fields("dev=%d vector=%d ret=%d", dev, vec, ret))

IRQSIM_TRACE_EVENT(vm_stop, "vm_stop", "vm_stop", true,
	TP_PROTO(int dev, int vec, int ret),
	TP_printk("host cannot set up dev%d vector %d (%d): the VM is stopped",
		  dev, vec, ret),
	TP_fields("dev=%d vector=%d ret=%d", dev, vec, ret))

IRQSIM_TRACE_EVENT(kvm_set_msi_dropped, "kvm_set_msi", "kvm_set_msi", true,
	TP_PROTO(const char *via, uint32_t address_lo, uint32_t data),
	TP_printk("%s: message %#x/%#x has no guest target, dropped", via,
		  address_lo, data),
	TP_fields("via=%s address_lo=%#x data=%#x dropped=1", via, address_lo,
		  data))

IRQSIM_TRACE_EVENT(kvm_set_msi, "kvm_set_msi", "kvm_set_msi", true,
	TP_PROTO(const char *via, int vcpu, uint32_t vector),
	TP_printk("%s: guest vector %#x pending on vcpu%d", via, vector, vcpu),
	TP_fields("via=%s vcpu=%d vector=%#x", via, vcpu, vector))

IRQSIM_TRACE_EVENT(irqfd_wakeup, "irqfd_wakeup", "irqfd_wakeup", true,
	TP_PROTO(int efd, int gsi),
	TP_printk("efd%d: gsi %d has no route", efd, gsi),
	TP_fields("efd=%d gsi=%d route=0", efd, gsi))

IRQSIM_TRACE_EVENT(irqfd_wakeup_deferred, "irqfd_wakeup", "irqfd_wakeup",
	true,
	TP_PROTO(int efd, int gsi),
	TP_printk("efd%d: fast path fails (-EWOULDBLOCK): schedule_work(irqfd_inject) for gsi %d",
		  efd, gsi),
	TP_fields("efd=%d gsi=%d deferred=1", efd, gsi))

IRQSIM_TRACE_EVENT(irqfd_inject, "irqfd_inject", "irqfd_inject", true,
	TP_PROTO(int gsi),
	TP_printk("kworker: kvm_set_irq(gsi %d) through the route KVM has now",
		  gsi),
	TP_fields("gsi=%d", gsi))

IRQSIM_TRACE_EVENT(msix_notify, "msix_notify", "msix_notify", true,
	TP_PROTO(int dev, int vec),
	TP_printk("dev%d vector %d masked in the guest: PBA set", dev, vec),
	TP_fields("dev=%d vector=%d pba=1", dev, vec))

IRQSIM_TRACE_EVENT(vmm_reinject, "vmm_reinject", "vmm_reinject", true,
	TP_PROTO(int dev, int vec),
	TP_printk("dev%d vector %d: inject after VFIO_DEVICE_SET_IRQS", dev,
		  vec),
	TP_fields("dev=%d vector=%d", dev, vec))

IRQSIM_TRACE_EVENT(vfio_msix_vector_do_use_update, "vfio_msix_vector_do_use",
	"vfio_msix_vector_do_use", true,
	TP_PROTO(int dev, int vec, int gsi, int vcpu),
	TP_printk("dev%d vector %d: kvm_irqchip_update_msi_route(gsi %d -> vcpu%d)",
		  dev, vec, gsi, vcpu),
	TP_fields("dev=%d vector=%d gsi=%d vcpu=%d update=1", dev, vec, gsi,
		  vcpu))

IRQSIM_TRACE_EVENT(vfio_msix_vector_do_use_irqfd, "vfio_msix_vector_do_use",
	"vfio_msix_vector_do_use", true,
	TP_PROTO(int dev, int vec, int gsi, int vcpu),
	TP_printk("dev%d vector %d: KVM route gsi %d -> vcpu%d, irqfd on efd%d",
		  dev, vec, gsi, vcpu, qemu_kvm_efd(dev, vec)),
	TP_fields("dev=%d vector=%d gsi=%d vcpu=%d irqfd=%d", dev, vec, gsi,
		  vcpu, qemu_kvm_efd(dev, vec)))

IRQSIM_TRACE_EVENT(vfio_msix_vector_do_use_probe, "vfio_msix_vector_do_use",
	"vfio_msix_vector_do_use", true,
	TP_PROTO(int dev, int vec, unsigned int nr_vectors),
	TP_printk("dev%d vector %d: enable-time probe, no route (nr_vectors %u)",
		  dev, vec, nr_vectors),
	TP_fields("dev=%d vector=%d probe=1 nr_vectors=%u", dev, vec,
		  nr_vectors))

IRQSIM_TRACE_EVENT(vfio_msix_vector_do_use_resize, "vfio_msix_vector_do_use",
	"vfio_msix_vector_do_use", true,
	TP_PROTO(int dev, int vec, unsigned int nr_vectors),
	TP_printk("dev%d vector %d beyond the enabled ones: disable MSI-X, enable %u vectors",
		  dev, vec, nr_vectors),
	TP_fields("dev=%d vector=%d resize=1 nr_vectors=%u", dev, vec,
		  nr_vectors))

IRQSIM_TRACE_EVENT(msix_table_mmio_write, "msix_table_mmio_write",
	"msix_table_mmio_write", true,
	TP_PROTO(int dev, int vec, int dword, uint32_t value),
	TP_printk("guest dev%d msix[%d].dw%d = %#x", dev, vec, dword, value),
	TP_fields("dev=%d entry=%d dword=%d value=%#x", dev, vec, dword,
		  value))

IRQSIM_TRACE_EVENT(msix_handle_mask_update_pba, "msix_handle_mask_update",
	"msix_handle_mask_update", true,
	TP_PROTO(int dev, int vec),
	TP_printk("dev%d vector %d unmasked with PBA set: msix_notify", dev,
		  vec),
	TP_fields("dev=%d vector=%d pba=1", dev, vec))

IRQSIM_TRACE_EVENT(msix_handle_mask_update_function,
	"msix_handle_mask_update", "msix_handle_mask_update", true,
	TP_PROTO(int dev, int vec, bool masked),
	TP_printk("dev%d vector %d %s by the function mask: %s", dev, vec,
		  masked ? "masked" : "unmasked",
		  masked ? "vfio_msix_vector_release" :
			   "vfio_msix_vector_do_use"),
	TP_fields("dev=%d vector=%d masked=%d function=1", dev, vec, masked))

IRQSIM_TRACE_EVENT(msix_write_config, "msix_write_config",
	"msix_write_config", true,
	TP_PROTO(int dev, bool maskall, unsigned int enabled),
	TP_printk("guest dev%d MSI-X control: function mask %s%s", dev,
		  maskall ? "set" : "cleared",
		  enabled ? "" : " (MSI-X disabled: stored only)"),
	TP_fields("dev=%d maskall=%d enabled=%u", dev, maskall, enabled))

IRQSIM_TRACE_EVENT(vfio_msi_interrupt, "vfio_msi_interrupt",
	"vfio_msi_interrupt", true,
	TP_PROTO(int dev, int vec, int efd),
	TP_printk("dev%d vector %d: event_notifier_test_and_clear", dev, vec),
	TP_fields("dev=%d vector=%d efd=%d", dev, vec, efd))

IRQSIM_TRACE_EVENT(vfio_msix_enable, "vfio_msix_enable", "vfio_msix_enable",
	true,
	TP_PROTO(int dev, unsigned int nr_vectors),
	TP_printk("dev%d: guest enabled MSI-X, %u vectors unmasked in its table",
		  dev, nr_vectors),
	TP_fields("dev=%d nr_vectors=%u", dev, nr_vectors))

IRQSIM_TRACE_EVENT(vfio_msix_disable, "vfio_msix_disable",
	"vfio_msix_disable", true,
	TP_PROTO(int dev, unsigned int nr_vectors),
	TP_printk("dev%d: guest disabled MSI-X: release %u vectors, MSI-X index off, INTx back",
		  dev, nr_vectors),
	TP_fields("dev=%d nr_vectors=%u", dev, nr_vectors))

/* qemu_msi.c */
IRQSIM_TRACE_EVENT(msi_notify_pending, "msi_notify", "msi_notify", true,
	TP_PROTO(int dev),
	TP_printk("dev%d MSI masked in QEMU's copy: pending bit set", dev),
	TP_fields("dev=%d vector=0 pending=1", dev))

IRQSIM_TRACE_EVENT(vfio_msi_enable_qemu, "vfio_msi_enable",
	"vfio_msi_enable", true,
	TP_PROTO(int dev, unsigned int nr_vectors),
	TP_printk("dev%d: guest enabled MSI, %u vectors: KVM routes, then SET_IRQS MSI",
		  dev, nr_vectors),
	TP_fields("dev=%d nr_vectors=%u", dev, nr_vectors))

IRQSIM_TRACE_EVENT(vfio_msi_disable_qemu, "vfio_msi_disable",
	"vfio_msi_disable", true,
	TP_PROTO(int dev),
	TP_printk("dev%d: guest disabled MSI: MSI index off, routes gone, INTx back",
		  dev),
	TP_fields("dev=%d", dev))

IRQSIM_TRACE_EVENT(vfio_msi_route_added, "vfio_pci_add_kvm_msi_virq",
	"vfio_msi_route", true,
	TP_PROTO(int dev, int gsi, int vcpu),
	TP_printk("dev%d MSI: KVM route GSI %d -> vcpu%d, irqfd on the KVM eventfd",
		  dev, gsi, vcpu),
	TP_fields("dev=%d vector=0 gsi=%d vcpu=%d added=1", dev, gsi, vcpu))

IRQSIM_TRACE_EVENT(vfio_msi_route_updated, "vfio_update_kvm_msi_virq",
	"vfio_msi_route", true,
	TP_PROTO(int dev, int gsi, int vcpu),
	TP_printk("dev%d MSI: KVM route GSI %d -> vcpu%d (updated)", dev, gsi,
		  vcpu),
	TP_fields("dev=%d vector=0 gsi=%d vcpu=%d added=0", dev, gsi, vcpu))

IRQSIM_TRACE_EVENT(vfio_pci_write_config_mask, "vfio_pci_write_config",
	"vfio_pci_write_config", true,
	TP_PROTO(int dev, int mask),
	TP_printk("dev%d MSI mask bit %s on the device (passed through by VFIO)",
		  dev, mask ? "set" : "cleared"),
	TP_fields("dev=%d mask=%d", dev, mask))

IRQSIM_TRACE_EVENT(msi_write_config, "msi_write_config", "msi_write_config",
	false,
	TP_PROTO(int dev, int reg, int value),
	TP_printk("guest dev%d MSI %s = %#x", dev,
		  reg == QEMU_MSI_REG_ADDRESS_LO ? "address" :
		  reg == QEMU_MSI_REG_DATA	 ? "data" :
		  reg == QEMU_MSI_REG_MASK	 ? "mask" :
						   "enable",
		  (unsigned int)value),
	TP_fields("dev=%d reg=%d value=%#x", dev, reg, (unsigned int)value))

/* qemu_intx.c: the guest's INTx line, logged by whoever drives it (@via) */
IRQSIM_TRACE_EVENT(guest_intx_assert, via, "guest_intx_assert", true,
	TP_PROTO(const char *via, int dev, const struct qemu_intx *q),
	TP_printk("dev%d guest INTx asserted%s", dev,
		  q->guest_in_service ? " (guest still in its handler)" :
					": pending on vcpu0"),
	TP_fields("dev=%d level=%d in_service=%d", dev, q->guest_level,
		  q->guest_in_service))

IRQSIM_TRACE_EVENT(guest_intx_deassert, via, "guest_intx_deassert", false,
	TP_PROTO(const char *via, int dev, const struct qemu_intx *q),
	TP_printk("dev%d guest INTx deasserted", dev),
	TP_fields("dev=%d level=%d in_service=%d", dev, q->guest_level,
		  q->guest_in_service))

IRQSIM_TRACE_EVENT(guest_intx_eoi, "guest", "guest_intx_eoi", true,
	TP_PROTO(int dev, const struct qemu_intx *q),
	TP_printk("dev%d EOI with the guest INTx still asserted: delivered again",
		  dev),
	TP_fields("dev=%d level=%d in_service=%d", dev, q->guest_level,
		  q->guest_in_service))

#endif /* IRQSIM_VMM_TRACE_H */
