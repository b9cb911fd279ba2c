// SPDX-License-Identifier: MIT
/*
 * Models KVM's half of the split irqchip (Linux arch/x86/kvm): the GSI
 * routing table QEMU's IOAPIC delivers through (kvm_set_irq() on an MSI
 * route -> kvm_set_msi() -> __apic_accept_irq()), posted interrupts
 * (APICv: an interrupt for a vCPU outside guest mode waits in the PIR
 * until vcpu_enter_guest() syncs it), the EOI-exit bitmap
 * (ioapic_handled_vectors) that vcpu_scan_ioapic() /
 * kvm_scan_ioapic_routes() rebuild after every KVM_SET_GSI_ROUTING
 * (kvm_arch_irq_routing_update -> KVM_REQ_SCAN_IOAPIC on every vCPU), and
 * the EOI of a level vector: kvm_ioapic_send_eoi() exits to userspace
 * (KVM_EXIT_IOAPIC_EOI) only if the vector is in that bitmap.
 *
 * Which vectors the scan keeps for a vCPU (the kvm_eoi_scan knob):
 *  - dest: only routes whose destination is this vCPU (before
 *    fceb3a36c29a, "KVM: x86: ioapic: Fix level-triggered EOI and
 *    userspace I/OAPIC reconfigure race", Linux v6.3);
 *  - irr-isr: also a vector pending in the vCPU's IRR or ISR
 *    (kvm_apic_pending_eoi) - fceb3a36c29a;
 *  - sync-pir: the PIR is synced to the IRR before the scan
 *    (f3ced000a2df, "KVM: x86: Always sync PIR to IRR prior to scanning
 *    I/O APIC routes", v6.10: "kvm_apic_pending_eoi() only checks ... IRR
 *    or ISR, i.e. misses the uncommon case where an interrupt is pending
 *    in the PIR").
 * In vcpu_enter_guest() the pending requests (the scan) run before the
 * PIR is synced to the IRR for the entry.
 *
 * The guest LAPIC holds the IOAPIC vectors 0x20..0x3f only (the MSI
 * vectors of the VFIO model keep their own vIRR). The TMR is not
 * modeled: every IOAPIC route here is level, so the guest's
 * ioapic_ack_level() finds the TMR bit set and relies on the EOI
 * broadcast (no explicit EOI-register write).
 */
#include "vmm/internal.h"
#include "vmm/trace.h"

int vmm_knob_kvm_eoi_scan;
int vmm_knob_kvm_apicv;

static const char *const scan_names[] = { "dest", "irr-isr", "sync-pir",
					  NULL };
static const char *const off_on[] = { "off", "on", NULL };

static const struct irqsim_knob knob_eoi_scan = {
	.name = "kvm_eoi_scan",
	.doc = "KVM vcpu_scan_ioapic()/kvm_scan_ioapic_routes(): which level "
	       "vectors a vCPU's EOI exits for: dest (route destination only, "
	       "before fceb3a36c29a), irr-isr (or pending in IRR/ISR, "
	       "fceb3a36c29a, v6.3), sync-pir (PIR synced first, "
	       "f3ced000a2df, v6.10)",
	.def = KVM_EOI_SCAN_SYNC_PIR,
	.max = KVM_EOI_SCAN_NR - 1,
	.values = scan_names,
};

static const struct irqsim_knob knob_apicv = {
	.name = "kvm_apicv",
	.doc = "KVM APICv/AVIC posted interrupts: an interrupt for a vCPU "
	       "outside guest mode waits in the PIR until its next entry "
	       "(vmx_deliver_posted_interrupt); off: __apic_accept_irq() sets "
	       "the IRR at once",
	.def = 1,
	.max = 1,
	.values = off_on,
};

static int highest(uint32_t map)
{
	return map ? 31 - __builtin_clz(map) : -1;
}

/*
 * A vCPU runs guest code (hardware processes a posted interrupt into its
 * vIRR at once) unless it exited to QEMU or is halted: its thread has
 * nothing left to do and it is not in a guest interrupt handler.
 */
bool vmm_vcpu_in_guest_mode(const struct vmm_world *w,
			    const struct irqsim_rt *rt, int vcpu)
{
	const struct vmm_machine *m = rt->model_data;
	int va = m->vcpu_actor[vcpu], ga = m->guest_irq_actor[vcpu];

	if (w->vcpu[vcpu].in_host)
		return false;
	return (va >= 0 && irqsim_actor_busy(w, rt, va)) ||
	       (ga >= 0 && w->vfio.msi.irq.apic.sched.actor[ga].busy);
}

int guest_lapic_deliverable(const struct vmm_world *w, int vcpu)
{
	const struct guest_vcpu *v = &w->vcpu[vcpu];
	int irr = highest(v->irr | v->pir), isr = highest(v->isr);

	if (irr < 0)
		return -1;
	irr += GUEST_IOAPIC_VECTOR_BASE;
	if (isr >= 0 && (irr >> 4) <= ((isr + GUEST_IOAPIC_VECTOR_BASE) >> 4))
		return -1;
	return irr;
}

/* kvm_irqchip_update_msi_route(): QEMU's copy; committed later. */
void kvm_irqchip_update_msi_route(struct irqsim_ctx *ctx, int gsi,
				  uint32_t address, uint32_t data)
{
	struct vmm_world *w = vmm_w(ctx);

	w->ioapic_route[gsi].address = address;
	w->ioapic_route[gsi].data = data;
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_KVM_ROUTE, gsi, 0),
		      IRQSIM_ACC_WRITE);
}

/*
 * kvm_irqchip_commit_routes() -> KVM_SET_GSI_ROUTING ->
 * kvm_arch_irq_routing_update(): a scan request for every vCPU, done at
 * its next entry. (QEMU keeps the routes in one table; updating an entry
 * and committing are one step here, under the BQL.)
 */
void kvm_irqchip_commit_routes(struct irqsim_ctx *ctx)
{
	struct vmm_world *w = vmm_w(ctx);
	int n = vmm_machine(ctx)->nr_vcpus;

	for (int v = 0; v < n; v++)
		w->vcpu[v].scan_pending = 1;
	trace_kvm_irqchip_commit_routes(ctx, n);
}

/* What KVM makes of a GSI route's message (route_target). */
enum route_kind {
	ROUTE_NONE,	/* no local APIC with that ID, or a vector not modeled */
	ROUTE_GUEST,	/* a guest IOAPIC vector on a vCPU */
	ROUTE_ILLEGAL,	/* vector 0..15: accepted, never injected */
};

/*
 * A route's target as KVM computes it: kvm_set_msi() ->
 * kvm_msi_to_lapic_irq() takes the destination ID from address bits
 * 19:12, the vector, trigger and delivery mode from the data; neither it
 * nor kvm_msi_route_invalid() (only x2APIC address_hi bits) looks at the
 * 0xfee base, so the all-zero message QEMU reserves for each pin at
 * startup is a fixed, edge, physical message: vector 0 to APIC ID 0.
 * __apic_accept_irq() puts any vector into the IRR (or the PIR); a
 * vector below 16 is never injected: apic_has_interrupt_for_ppr() needs
 * its priority class (vector & 0xf0) above the PPR, and class 0 never is
 * (nor, with APICv, RVI[7:4] > VPPR[7:4]).
 */
static enum route_kind route_target(const struct vmm_world *w,
				    const struct irqsim_rt *rt, int gsi,
				    int *vcpu, int *vector, bool *level)
{
	const struct vmm_machine *m = rt->model_data;
	const struct kvm_gsi_msi_route *r = &w->ioapic_route[gsi];

	*vcpu = (int)((r->address >> MSI_ADDR_DEST_SHIFT) & 0xff);
	*vector = (int)(r->data & 0xff);
	*level = r->data & MSI_DATA_LEVEL_TRIGGER;
	if (*vcpu >= m->nr_vcpus)
		return ROUTE_NONE;
	if (*vector < 16)
		return ROUTE_ILLEGAL;
	if (*vector >= GUEST_IOAPIC_VECTOR_BASE &&
	    *vector < GUEST_IOAPIC_VECTOR_BASE + 32)
		return ROUTE_GUEST;
	return ROUTE_NONE;
}

/*
 * The misrouted oracle's record: a delivery of a guest IOAPIC irq to a
 * vCPU other than its effective affinity, once the guest completed the
 * RTE write that chose it.
 */
static void note_delivery(struct irqsim_ctx *ctx, int gsi, int vcpu)
{
	struct vmm_world *w = vmm_w(ctx);
	int slot = guest_ioapic_slot(w, gsi);
	const struct guest_ioapic_irq *g;

	if (slot < 0)
		return;
	g = &w->gio[slot];
	if (!g->started || g->rte_writing || g->effective == vcpu)
		return;
	if (!w->iostats.misrouted++) {
		w->iostats.misrouted_step = w->vfio.msi.irq.apic.sched.step;
		w->iostats.misrouted_pin = (uint8_t)gsi;
		w->iostats.misrouted_vcpu = (uint8_t)vcpu;
		w->iostats.misrouted_effective = g->effective;
	}
	IRQSIM_EVENT(ctx, true, "kvm_set_irq",
		     "MISROUTED: the guest's RTE for pin %d says vcpu%d, the KVM route still says vcpu%d",
		     gsi, g->effective, vcpu);
}

/*
 * kvm_set_irq(gsi, level) on an MSI route: kvm_set_msi() (level 0 does
 * nothing), the message goes to the destination's local APIC: into its
 * IRR if it runs guest code or APICv is off, else into the PIR (posted
 * interrupt, the vCPU is woken). A vector below 16 (the all-zero route of
 * a pin never unmasked) is accepted and never injected.
 */
void kvm_set_irq(struct irqsim_ctx *ctx, int gsi, int level)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct kvm_gsi_msi_route *r = &w->ioapic_route[gsi];
	int vcpu, vector;
	bool lvl, posted;
	uint32_t bit;

	if (!level)
		return;
	w->iostats.kvm_set_irq++;
	switch (route_target(w, ctx->rt, gsi, &vcpu, &vector, &lvl)) {
	case ROUTE_NONE:
		w->iostats.dropped++;
		trace_kvm_set_irq_dropped(ctx, gsi, r);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_KVM_ROUTE, gsi, 0),
			      IRQSIM_ACC_READ);
		return;
	case ROUTE_ILLEGAL:
		/*
		 * The vector sits in the vCPU's IRR for good and harms
		 * nothing else (it is the lowest); the guest never sees
		 * the interrupt, so no EOI will clear Remote IRR.
		 */
		if (!w->iostats.lowvec++) {
			w->iostats.lowvec_step =
				w->vfio.msi.irq.apic.sched.step;
			w->iostats.lowvec_pin = (uint8_t)gsi;
			w->iostats.lowvec_vcpu = (uint8_t)vcpu;
		}
		trace_kvm_set_irq_never_injected(ctx, gsi, r, vcpu, vector,
						 lvl);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_KVM_ROUTE, gsi, 0),
			      IRQSIM_ACC_READ);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(VMM_OBJ_GUEST_LAPIC, vcpu, vector),
			      IRQSIM_ACC_WRITE);
		return;
	case ROUTE_GUEST:
	default:
		break;
	}
	bit = 1u << (vector - GUEST_IOAPIC_VECTOR_BASE);
	/* APICv, unless the missing optimized APIC map inhibits it */
	posted = irqsim_knob(ctx, vmm_knob_kvm_apicv) &&
		 irqsim_knob(ctx, vmm_knob_kvm_msi_fast_path) &&
		 !vmm_vcpu_in_guest_mode(w, ctx->rt, vcpu);
	if (posted)
		w->vcpu[vcpu].pir |= bit;
	else
		w->vcpu[vcpu].irr |= bit;
	trace_kvm_set_irq_accepted(ctx, gsi, r, vcpu, vector, posted);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_LAPIC, vcpu, vector),
		      IRQSIM_ACC_WRITE);
	note_delivery(ctx, gsi, vcpu);
}

/*
 * vcpu_scan_ioapic() -> kvm_scan_ioapic_routes(): rebuild the vCPU's
 * ioapic_handled_vectors from the level routes.
 */
static void vcpu_scan_ioapic(struct irqsim_ctx *ctx, int vcpu)
{
	struct vmm_world *w = vmm_w(ctx);
	struct guest_vcpu *v = &w->vcpu[vcpu];
	int scan = irqsim_knob(ctx, vmm_knob_kvm_eoi_scan);
	uint32_t old = v->eoi_exit, dropped;

	if (scan == KVM_EOI_SCAN_SYNC_PIR) {
		v->irr |= v->pir;
		v->pir = 0;
	}
	v->eoi_exit = 0;
	for (int gsi = 0; gsi < IOAPIC_NUM_PINS; gsi++) {
		int dest, vector;
		bool level;
		uint32_t bit;

		/* kvm_scan_ioapic_routes(): level MSI routes only */
		if (route_target(w, ctx->rt, gsi, &dest, &vector, &level) !=
			    ROUTE_GUEST ||
		    !level)
			continue;
		bit = 1u << (vector - GUEST_IOAPIC_VECTOR_BASE);
		if (dest == vcpu ||
		    (scan >= KVM_EOI_SCAN_IRR_ISR && ((v->irr | v->isr) & bit)))
			v->eoi_exit |= bit;
	}
	v->scan_pending = 0;
	dropped = old & ~v->eoi_exit;
	/* a vector dropped while an interrupt of it is still in flight */
	if (dropped & (v->pir | v->irr | v->isr)) {
		int vector = highest(dropped & (v->pir | v->irr | v->isr)) +
			     GUEST_IOAPIC_VECTOR_BASE;

		trace_vcpu_scan_ioapic_in_flight(ctx, vcpu, vector, v);
	} else {
		trace_vcpu_scan_ioapic(ctx, vcpu, v->eoi_exit);
	}
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_EOI_EXIT, vcpu, 0),
		      IRQSIM_ACC_WRITE);
}

/*
 * vcpu_enter_guest(): pending requests first (KVM_REQ_SCAN_IOAPIC), then
 * the PIR is synced into the IRR (sync_pir_to_irr) for this entry.
 */
void kvm_vcpu_enter(struct irqsim_ctx *ctx, int vcpu)
{
	struct guest_vcpu *v = &vmm_w(ctx)->vcpu[vcpu];

	if (vcpu < 0)
		return;
	if (v->scan_pending)
		vcpu_scan_ioapic(ctx, vcpu);
	if (v->pir) {
		trace_kvm_sync_pir_to_irr(ctx, vcpu, v->pir);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(VMM_OBJ_GUEST_LAPIC, vcpu,
					 highest(v->pir) +
						 GUEST_IOAPIC_VECTOR_BASE),
			      IRQSIM_ACC_RMW);
		v->irr |= v->pir;
		v->pir = 0;
	}
}

/* The vCPU takes its highest deliverable IOAPIC vector: IRR -> ISR. */
int kvm_lapic_accept(struct irqsim_ctx *ctx, int vcpu)
{
	struct guest_vcpu *v = &vmm_w(ctx)->vcpu[vcpu];
	int vector = guest_lapic_deliverable(vmm_w(ctx), vcpu);
	uint32_t bit;

	if (IRQSIM_WARN_ON_ONCE(ctx, vector < 0 || v->pir))
		return -1;
	bit = 1u << (vector - GUEST_IOAPIC_VECTOR_BASE);
	v->irr &= ~bit;
	v->isr |= bit;
	return vector;
}

/*
 * The guest's apic_eoi() on @vcpu: the highest ISR vector is done;
 * kvm_ioapic_send_eoi() makes the vCPU exit to QEMU for it only if it is
 * in ioapic_handled_vectors. Return: whether it exits (@vector: which).
 */
bool kvm_lapic_eoi(struct irqsim_ctx *ctx, int vcpu, int *vector)
{
	struct vmm_world *w = vmm_w(ctx);
	struct guest_vcpu *v = &w->vcpu[vcpu];
	int isr = highest(v->isr);
	uint32_t bit;
	bool exits;

	*vector = -1;
	if (isr < 0)
		return false;
	bit = 1u << isr;
	*vector = isr + GUEST_IOAPIC_VECTOR_BASE;
	v->isr &= ~bit;
	exits = v->eoi_exit & bit;
	trace_kvm_ioapic_send_eoi(ctx, vcpu, *vector, exits);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_EOI_EXIT, vcpu, 0),
		      IRQSIM_ACC_READ);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_LAPIC, vcpu, *vector),
		      IRQSIM_ACC_RMW);
	if (!exits && !w->iostats.eoi_not_exited++) {
		w->iostats.eoi_not_exited_step =
			w->vfio.msi.irq.apic.sched.step;
		w->iostats.eoi_not_exited_vcpu = (uint8_t)vcpu;
		w->iostats.eoi_not_exited_vector = (uint8_t)*vector;
	}
	return exits;
}

void vmm_register_kvm_split(void)
{
	vmm_knob_kvm_eoi_scan = irqsim_knob_register(&knob_eoi_scan);
	vmm_knob_kvm_apicv = irqsim_knob_register(&knob_apicv);
}
