// SPDX-License-Identifier: MIT
/*
 * Models the guest kernel's CPU hotplug (Linux v6.18) for the MSI-X irqs
 * of a passed-through device without interrupt remapping in the guest:
 * take_cpu_down() under stop_machine(), cpu_disable_common() ->
 * remove_cpu_from_maps(), fixup_irqs() (arch/x86/kernel/irq.c) with
 * irq_migrate_all_off_this_cpu() -> migrate_one_irq()
 * (kernel/irq/cpuhotplug.c), and the bring-up of a vCPU (INIT/SIPI: KVM's
 * kvm_lapic_reset(), then lapic_online()).
 *
 * The guest's MSI-X chip cannot move in process context
 * (IRQCHIP_MOVE_DEFERRED, !irq_can_move_pcntxt()): migrate_one_irq()
 * masks an unmasked irq around irq_do_set_affinity(), whose
 * msi_set_affinity() writes the message (the guest keeps the vector
 * number: a same-vector change is a direct update, irq_msi_update_msg()).
 * Every write traps to QEMU exactly as guest irqbalance's does
 * (guest_set_affinity): the mask is vfio_msix_vector_release(), the
 * unmask vfio_msix_vector_use(), each a VFIO trigger swap on the host,
 * while the host keeps running under the guest's stop_machine:
 *
 *   vCPU1 thread (take_cpu_down)     host CPU1          NIC
 *   stop_machine: vCPU0 spins                            MSI -> host 1.32
 *   set_cpu_online(1, false)          irqfd: vIRR[vcpu1] set
 *   migrate_one_irq: mask (trap:
 *     release, SET_IRQS: free_irq,
 *     request_irq), message -> vcpu0,
 *     unmask (trap: use, route
 *     -> vcpu0, SET_IRQS)
 *   fixup_irqs: vector pending in
 *     vIRR: irq_retrigger -> IPI vcpu0
 *   dead: the vIRR bit stays          vcpu0 takes the vector: handled
 *
 * Left out, as no modeled race needs it: the guest's vector allocator
 * (the guest vector of an MSI-X irq is the same on every vCPU, so the
 * new target is the first online vCPU: matrix_find_best_cpu() ties go to
 * the first CPU), deferred guest moves (irq_fixup_move_pending(),
 * irq_force_complete_move(): guest_set_affinity is done at once), the
 * guest's vector_irq[] (an MSI-X vector maps to its irq on every vCPU,
 * so the walk looks at every guest MSI-X irq pending in the vIRR), the
 * mdelay(1) (the scheduler picks what lands meanwhile), the guest's
 * IOAPIC irqs (an offline of their effective target is refused) and
 * INTx (to vCPU 0, which cannot go offline since v6.3's removal of the
 * x86 CPU0 hotplug), posted-interrupt PIR bits (synced into the vIRR
 * while the vCPU runs guest code, before the walk reads the IRR).
 *
 * Where the guest's stop_machine() can come in: a vCPU is held only at a
 * transition boundary where it is in guest code with interrupts on
 * (guest_stop_machine_enter()). An MSI-X rewrite or request_irq() counts
 * as one section (desc->lock, interrupts off in the guest). Consecutive
 * trace operations of one vCPU whose returns are invisible run in one
 * transition, so the stop never falls between them (it may before or
 * after): a trace that wants it there gives the operations to another
 * vCPU or splits them with the offline's own ordering.
 */
#include "vmm/internal.h"
#include "vmm/trace.h"

#include <errno.h>
#include <string.h>

static const char *const off_on[] = { "off", "on", NULL };

int vmm_knob_guest_fixup_irqs_retrigger;

static const struct irqsim_knob knob_guest_fixup_irqs_retrigger = {
	.name = "guest_fixup_irqs_retrigger",
	.doc = "the guest kernel's fixup_irqs() (arch/x86/kernel/irq.c) on an "
	       "outgoing vCPU: a guest vector still pending in the vCPU's "
	       "IRR is retriggered at the irq's new target "
	       "(irq_chip_retrigger_hierarchy -> apic_retrigger_irq, an IPI "
	       "that KVM delivers); off: it stays in the dead vCPU's vIRR",
	.def = 1,
	.max = 1,
	.values = off_on,
};

/* Is (dev, vec) a started guest MSI-X irq, and where does it point? */
static bool guest_msix_irq(const struct vmm_world *w, int idx, int *vcpu)
{
	int dev = idx / IRQSIM_MAX_VECS, vec = idx % IRQSIM_MAX_VECS;
	const struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];
	uint32_t lo = qv->dw[PCI_MSIX_ENTRY_LOWER_ADDR];

	if (dev >= w->vfio.msi.ndev || vec >= w->vfio.msi.dev[dev].nvec ||
	    !w->qdev[dev].msix_enabled ||
	    qv->dw[PCI_MSIX_ENTRY_DATA] != (uint32_t)(GUEST_VECTOR_BASE + idx) ||
	    (lo & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE_LO)
		return false;
	*vcpu = (int)((lo >> MSI_ADDR_DEST_SHIFT) & 0xff);
	return true;
}

/*
 * stop_machine(): every online vCPU runs multi_cpu_stop() with interrupts
 * off. A vCPU gets there from guest code with interrupts on: not in guest
 * interrupt context, not inside a trapped MMIO write (the instruction
 * completes first), not with interrupts off or desc->lock held (a guest
 * lock irqsave, an MSI-X message rewrite). Return: the vCPUs now held, 0
 * if it must wait.
 */
static int guest_stop_machine_enter(struct irqsim_ctx *ctx)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct vmm_machine *m = vmm_machine(ctx);
	const struct sched_world *sw = &w->vfio.msi.irq.apic.sched;
	int held = 0;

	for (int v = 0; v < m->nr_vcpus; v++) {
		int va = m->vcpu_actor[v], ga = m->guest_irq_actor[v];

		if (w->vcpu[v].offline)
			continue;
		if ((ga >= 0 && sw->actor[ga].busy) ||
		    (va != ctx->actor &&
		     (w->vcpu[v].in_host || w->vcpu[v].irqs_off ||
		      w->vcpu[v].atomic)))
			return 0;
	}
	for (int v = 0; v < m->nr_vcpus; v++) {
		if (w->vcpu[v].offline)
			continue;
		w->vcpu[v].irqs_off++;
		held |= 1 << v;
	}
	w->guest_stop_owner = (uint8_t)(ctx->actor + 1);
	return held;
}

static void guest_stop_machine_exit(struct irqsim_ctx *ctx, int held)
{
	struct vmm_world *w = vmm_w(ctx);

	for (int v = 0; v < IRQSIM_MAX_VCPUS; v++)
		if ((held & (1 << v)) &&
		    !IRQSIM_WARN_ON_ONCE(ctx, !w->vcpu[v].irqs_off))
			w->vcpu[v].irqs_off--;
	w->guest_stop_owner = 0;
}

/* The first online vCPU other than @cpu (cpu_online_mask), or -1. */
static int guest_first_online(const struct vmm_world *w,
			      const struct vmm_machine *m, int cpu)
{
	for (int v = 0; v < m->nr_vcpus; v++)
		if (v != cpu && !w->vcpu[v].offline)
			return v;
	return -1;
}

/*
 * What refuses to take @cpu down, logged: -EINVAL (already offline),
 * -EBUSY (the last online vCPU, or the target of a guest IOAPIC irq:
 * not modeled). Return: the error, or 0.
 */
static int guest_cpu_down_refused(struct irqsim_ctx *ctx, int cpu)
{
	struct vmm_world *w = vmm_w(ctx);

	if (w->vcpu[cpu].offline) {
		IRQSIM_EVENT(ctx, true, "guest_cpu_offline",
			     "vcpu%d is already offline", cpu);
		return -EINVAL;
	}
	if (guest_first_online(w, vmm_machine(ctx), cpu) < 0) {
		IRQSIM_EVENT(ctx, true, "guest_cpu_offline",
			     "vcpu%d is the last online vCPU: -EBUSY", cpu);
		return -EBUSY;
	}
	for (int s = 0; s < IRQSIM_MAX_GUEST_IOAPIC_IRQS; s++)
		if (w->gio[s].used && w->gio[s].started &&
		    w->gio[s].effective == cpu) {
			IRQSIM_EVENT(ctx, true, "guest_cpu_offline",
				     "vcpu%d is the target of IOAPIC pin %d: its migration is not modeled (-EBUSY)",
				     cpu, w->gio[s].pin);
			return -EBUSY;
		}
	return 0;
}

struct guest_cpu_offline_frame {
	int cpu;
	int unused[3];
	int held;	/* the vCPUs stop_machine() holds */
	int irq;	/* the migrated irq: dev * IRQSIM_MAX_VECS + vector */
	int virr;	/* the next vIRR bit the IRR walk looks at */
	int masked;	/* the migrated irq's entry was masked already */
};

/**
 * guest_cpu_offline - the guest's take_cpu_down() on the outgoing vCPU
 * (the actor is that vCPU's thread)
 * @cpu: the vCPU
 *
 * stop_machine, remove_cpu_from_maps(), fixup_irqs():
 * irq_migrate_all_off_this_cpu() (migrate_one_irq() for every guest
 * MSI-X irq whose effective affinity is this vCPU: its affinity has no
 * other online vCPU, so it is broken to cpu_online_mask), then the IRR
 * walk that retriggers what is still pending here. The vCPU is dead
 * afterwards: what KVM sets in its vIRR stays there.
 * Return: 0, -EINVAL (already offline), -EBUSY (the last online vCPU,
 * or the target of a guest IOAPIC irq: not modeled).
 */
static enum irqsim_step guest_cpu_offline(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct guest_cpu_offline_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_cpu_offline_frame);
	struct vmm_world *w = vmm_w(ctx);
	const struct vmm_machine *m = vmm_machine(ctx);
	int idx, dest, target, err;

	IRQSIM_BEGIN(f);
	/*
	 * stop_machine() waits until every online vCPU can be held; the
	 * checks run again after each wait.
	 */
	IRQSIM_WAIT_UNTIL(ctx,
			  (err = guest_cpu_down_refused(ctx, v->cpu)) ||
				  (v->held = guest_stop_machine_enter(ctx)),
			  VMM_TOKEN_GUEST_STOP);
	if (err)
		IRQSIM_RETURN_YIELD(ctx, err);
	/* cpu_disable_common(): remove_cpu_from_maps() */
	w->vcpu[v->cpu].offline = 1;
	w->vcpu[v->cpu].offline_step = w->vfio.msi.irq.apic.sched.step;
	memset(w->vcpu[v->cpu].dead_virr_step, 0,
	       sizeof(w->vcpu[v->cpu].dead_virr_step));
	trace_cpuhp_enter_offline(ctx, v->cpu);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_CPU, v->cpu, 0),
		      IRQSIM_ACC_WRITE);
	v->irq = 0;
	IRQSIM_YIELD_POINT();

	/* irq_migrate_all_off_this_cpu() */
	for (;;) {
		for (idx = v->irq; idx < IRQSIM_MAX_GSIS; idx++)
			if (guest_msix_irq(w, idx, &dest) && dest == v->cpu)
				break;
		if (idx >= IRQSIM_MAX_GSIS)
			break;
		v->irq = idx;
		target = guest_first_online(w, m, v->cpu);
		/* maskchip: an irq the driver masked keeps its mask bit */
		v->masked = qemu_msix_is_masked(w, idx / IRQSIM_MAX_VECS,
						idx % IRQSIM_MAX_VECS);
		trace_migrate_one_irq(ctx, idx, v->cpu, target, v->masked);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, idx / IRQSIM_MAX_VECS,
					 idx % IRQSIM_MAX_VECS),
			      IRQSIM_ACC_READ);
		IRQSIM_CALL(call_guest_set_affinity(ctx, idx / IRQSIM_MAX_VECS,
						    idx % IRQSIM_MAX_VECS,
						    target, v->masked));
		v->irq++;
	}

	/*
	 * fixup_irqs(): the IRR walk of the outgoing vCPU. The guest reads
	 * its own APIC IRR (KVM's vIRR). A pending vector of an irq is
	 * retriggered: an IPI to the irq's new target, which KVM sets in
	 * that vCPU's vIRR.
	 */
	v->virr = 0;
	for (;;) {
		for (idx = v->virr; idx < IRQSIM_MAX_GSIS; idx++)
			if ((w->vcpu[v->cpu].virr & (1u << idx)) &&
			    guest_msix_irq(w, idx, &dest))
				break;
		if (idx >= IRQSIM_MAX_GSIS)
			break;
		v->virr = idx + 1;
		if (!irqsim_knob(ctx, vmm_knob_guest_fixup_irqs_retrigger) ||
		    dest == v->cpu) {
			trace_fixup_irqs_stays(ctx, v->cpu,
					       GUEST_VECTOR_BASE + idx);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_VIRR, v->cpu, idx),
				      IRQSIM_ACC_READ);
		} else {
			w->vcpu[dest].virr |= 1u << idx;
			trace_fixup_irqs_retrigger(ctx, v->cpu,
						   GUEST_VECTOR_BASE + idx,
						   dest);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_VIRR, v->cpu, idx),
				      IRQSIM_ACC_READ);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_VIRR, dest, idx),
				      IRQSIM_ACC_WRITE);
		}
		IRQSIM_YIELD_POINT();
	}

	guest_stop_machine_exit(ctx, v->held);
	trace_cpuhp_exit_offline(ctx, v->cpu);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_CPU, v->cpu, 0),
		      IRQSIM_ACC_WRITE);
	/* the thread is parked now: no further operation follows */
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_cpu_offline);

struct guest_cpu_online_frame {
	int cpu;
};

/**
 * guest_cpu_online - bring a vCPU back (run by another vCPU): the guest's
 * INIT/SIPI makes KVM reset the vCPU's local APIC (kvm_lapic_reset(): IRR
 * and ISR cleared, so a vector left in the dead vIRR is gone), the vCPU
 * runs lapic_online() and set_cpu_online(). Non-managed irqs keep their
 * affinity: nothing moves back.
 * @cpu: the vCPU
 *
 * Return: 0, -EINVAL (already online).
 */
static enum irqsim_step guest_cpu_online(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct guest_cpu_online_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_cpu_online_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct guest_vcpu *vc = &w->vcpu[v->cpu];
	uint32_t dropped;

	IRQSIM_BEGIN(f);
	if (!vc->offline) {
		IRQSIM_EVENT(ctx, true, "guest_cpu_online",
			     "vcpu%d is already online", v->cpu);
		IRQSIM_RETURN_YIELD(ctx, -EINVAL);
	}
	dropped = vc->virr;
	vc->virr = 0;
	vc->irr = 0;
	vc->isr = 0;
	vc->pir = 0;
	vc->offline = 0;
	vc->offline_step = 0;
	memset(vc->dead_virr_step, 0, sizeof(vc->dead_virr_step));
	trace_cpuhp_enter_online(ctx, v->cpu, dropped);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_CPU, v->cpu, 0),
		      IRQSIM_ACC_WRITE);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_cpu_online);

void vmm_register_guest_hotplug(void)
{
	vmm_knob_guest_fixup_irqs_retrigger =
		irqsim_knob_register(&knob_guest_fixup_irqs_retrigger);
}
