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

#endif /* IRQSIM_VMM_TRACE_H */
