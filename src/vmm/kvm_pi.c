// SPDX-License-Identifier: MIT
/*
 * Models KVM's side of irq bypass and posted interrupts (Linux v6.18):
 * virt/kvm/eventfd.c kvm_irqfd_assign (irq_bypass_register_consumer with
 * the eventfd as token) and kvm_irq_routing_update (an irqfd with a
 * connected producer gets its IRTE updated when its route changes);
 * arch/x86/kvm/x86.c kvm_arch_irq_bypass_add_producer / _del_producer and
 * vmx_pi_update_irte (arch/x86/kvm/vmx/posted_intr.c): a single-target
 * MSI route -> irq_set_vcpu_affinity(host_irq, vcpu_info) = posted IRTE;
 * otherwise, or on del_producer, remapped. And the posted-interrupt
 * descriptor: the IOMMU sets the PIR bit and notifies, which this model
 * folds into the vCPU's vIRR.
 *
 * Two oracles' facts are gathered here, at every KVM delivery:
 * a posted delivery through a stale IRTE (one written for a pairing or a
 * route the host no longer has), and a KVM injection into a vector the
 * guest has masked after QEMU's vfio_msix_vector_release() for that mask
 * returned (whatever its ioctl returned), which QEMU's masking emulation
 * exists to prevent.
 */
#include "vmm/internal.h"
#include "vmm/trace.h"

/* vmx_pi_update_irte(kvm, host_irq, gsi, set) for the irqfd on @efd. */
static bool pi_update_irte(struct irqsim_ctx *ctx, int efd, int irq, bool set)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct irq_bypass_consumer *c = &w->vfio.bypass.cons[efd];
	const struct kvm_msi_route *r;

	/*
	 * No optimized APIC map (kvm_msi_fast_path=off) inhibits APICv
	 * (kvm_recalculate_apic_map():
	 * APICV_INHIBIT_REASON_PHYSICAL_ID_ALIASED), and a vCPU without
	 * APICv gets no posting.
	 */
	if (!irqsim_knob(ctx, msi_knob_posted_intr) ||
	    !irqsim_knob(ctx, vmm_knob_kvm_msi_fast_path) || irq <= 0)
		return false;
	if (!set || c->gsi < 0 || !w->route[c->gsi].valid)
		return irq_set_vcpu_affinity(ctx, irq, false, 0, 0, -1);
	r = &w->route[c->gsi];
	return irq_set_vcpu_affinity(ctx, irq, true, r->vcpu,
				     GUEST_VECTOR_BASE + r->idx, efd);
}

static bool kvm_add_producer(struct irqsim_ctx *ctx, int efd, int irq)
{
	return pi_update_irte(ctx, efd, irq, true);
}

static bool kvm_del_producer(struct irqsim_ctx *ctx, int efd, int irq)
{
	return pi_update_irte(ctx, efd, irq, false);
}

static const struct irq_bypass_consumer_ops kvm_bypass_ops = {
	.add_producer = kvm_add_producer,
	.del_producer = kvm_del_producer,
};

bool kvm_irqfd_register_consumer(struct irqsim_ctx *ctx, int efd, int gsi)
{
	bool visible = false;

	irq_bypass_register_consumer(ctx, efd, gsi, &visible);
	return visible;
}

bool kvm_irq_routing_update(struct irqsim_ctx *ctx, int gsi)
{
	struct vmm_world *w = vmm_w(ctx);
	bool visible = false;

	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++) {
		const struct irq_bypass_consumer *c = &w->vfio.bypass.cons[e];
		const struct irq_bypass_producer *p;

		if (!c->registered || c->gsi != gsi || c->producer < 0)
			continue;
		p = &w->vfio.bypass.prod[c->producer / IRQSIM_MAX_VECS]
					[c->producer % IRQSIM_MAX_VECS];
		visible |= pi_update_irte(ctx, e, p->irq, true);
	}
	return visible;
}

void kvm_note_injection(struct irqsim_ctx *ctx, int idx, bool posted)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = idx / IRQSIM_MAX_VECS, vec = idx % IRQSIM_MAX_VECS;

	if (idx < 0 || idx >= IRQSIM_MAX_GSIS || dev >= w->vfio.msi.ndev ||
	    !w->qdev[dev].v[vec].released || !qemu_msix_is_masked(w, dev, vec))
		return;
	w->pi.masked++;
	w->pi.masked_step = w->vfio.msi.irq.apic.sched.step;
	w->pi.masked_dev = (uint8_t)dev;
	w->pi.masked_vec = (uint8_t)vec;
	w->pi.masked_posted = posted;
}

/* Is the IRTE the IOMMU just used still what the host set up? */
enum pi_stale_why kvm_irte_stale(const struct vmm_world *w, int irq,
				 const struct irte *e)
{
	const struct irq_desc *desc = &w->vfio.msi.irq.desc[irq];
	const struct irq_bypass_consumer *c;
	const struct kvm_msi_route *r;

	if (desc->action_fn < 0)
		return PI_STALE_NO_ACTION;
	if (desc->action_dev_id != e->token)
		return PI_STALE_DEV_ID;
	c = &w->vfio.bypass.cons[e->token];
	if (!c->registered || c->producer < 0)
		return PI_STALE_UNPAIRED;
	r = &w->route[c->gsi];
	if (!r->valid || r->vcpu != e->vcpu ||
	    GUEST_VECTOR_BASE + r->idx != e->gvec)
		return PI_STALE_ROUTE;
	return PI_FRESH;
}

/* The IOMMU posted @irq's message: PIR bit + notification -> vIRR. */
static void kvm_pi_post(struct irqsim_ctx *ctx, int irq, const struct irte *e)
{
	struct vmm_world *w = vmm_w(ctx);
	int idx = e->gvec - GUEST_VECTOR_BASE;
	enum pi_stale_why why = kvm_irte_stale(w, irq, e);

	w->pi.posted++;
	if (why != PI_FRESH) {
		w->pi.stale++;
		w->pi.stale_step = w->vfio.msi.irq.apic.sched.step;
		w->pi.stale_why = (uint8_t)why;
		w->pi.stale_irq = (uint8_t)irq;
		w->pi.stale_token = e->token;
		w->pi.stale_dev_id =
			(int8_t)(w->vfio.msi.irq.desc[irq].action_fn >= 0 ?
					 w->vfio.msi.irq.desc[irq].action_dev_id :
					 -1);
	}
	if (e->vcpu >= vmm_machine(ctx)->nr_vcpus || idx < 0 ||
	    idx >= IRQSIM_MAX_GSIS) {
		w->guest.lost_no_route++;
		return;
	}
	w->vcpu[e->vcpu].virr |= 1u << idx;
	if (w->vcpu[e->vcpu].offline)
		w->vcpu[e->vcpu].dead_virr_step[idx] =
			w->vfio.msi.irq.apic.sched.step;
	trace_kvm_pi_post(ctx, irq, e, why);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_VIRR, e->vcpu, idx),
		      IRQSIM_ACC_WRITE);
	kvm_note_injection(ctx, idx, true);
}

void vmm_register_kvm_pi(void)
{
	irq_bypass_set_consumer_ops(&kvm_bypass_ops);
	msi_set_pi_post(kvm_pi_post);
}
