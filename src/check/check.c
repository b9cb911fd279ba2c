// SPDX-License-Identifier: MIT
/* Oracles over the whole machine world. */
#include "check/check.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[CHECK_NR_KINDS] = {
	[CHECK_NONE] = "none",
	[CHECK_LOST_INTERRUPT] = "lost-interrupt",
	[CHECK_BINDING_LOST] = "vector-binding-lost",
	[CHECK_NO_IRQ_HANDLER] = "no-irq-handler",
	[CHECK_NO_PATH] = "vector-without-handler",
	[CHECK_DEADLOCK] = "deadlock",
	[CHECK_LIVELOCK] = "livelock",
	[CHECK_EVENTFD_LEAK] = "eventfd-leak",
	[CHECK_VECTOR_LEAK] = "vector-leak",
	[CHECK_KERNEL_WARNING] = "kernel-warning",
	[CHECK_MODEL_WARNING] = "model-warning",
	[CHECK_DEVICE_STALL] = "device-stall",
	[CHECK_STORM] = "interrupt-storm",
	[CHECK_STATE_LEAK] = "state-leak",
	[CHECK_MSIX_DISABLED] = "msix-disabled",
	[CHECK_GUEST_STOPPED] = "guest-stopped",
	[CHECK_STALE_IRTE] = "stale-irte",
	[CHECK_MASKED_DELIVERY] = "masked-delivery",
	[CHECK_MISROUTED] = "misrouted",
	[CHECK_LOST_EOI] = "lost-eoi",
};

/*
 * The guarantee each verdict's oracle checks, in one line of at most 100
 * characters (docs/oracles.md gives each in full): irqsim list verdicts.
 */
static const char *const kind_docs[CHECK_NR_KINDS] = {
	[CHECK_NONE] =
		"no violation: every guarantee below held",
	[CHECK_LOST_INTERRUPT] =
		"every device event is consumed by its driver, or held by something that will deliver it",
	[CHECK_BINDING_LOST] =
		"while an irq is started, its vector_irq slot names its descriptor whenever vector_lock is free",
	[CHECK_NO_IRQ_HANDLER] =
		"an interrupt the APIC delivers finds a descriptor in its vector's slot",
	[CHECK_NO_PATH] =
		"a vector the guest unmasked and QEMU uses has a host trigger (or its MSI-X index is enabled)",
	[CHECK_DEADLOCK] =
		"every actor finishes: none is left blocked with work to do",
	[CHECK_LIVELOCK] =
		"every actor finishes within the trace's step bound",
	[CHECK_EVENTFD_LEAK] =
		"every eventfd reference VFIO and KVM take is dropped when its user goes",
	[CHECK_VECTOR_LEAK] =
		"every vector the matrix allocated is held by an irq, and every vector an irq holds is allocated",
	[CHECK_KERNEL_WARNING] =
		"no modeled kernel WARN fires (\"Trying to free already-free IRQ\", \"Unbalanced enable\")",
	[CHECK_MODEL_WARNING] =
		"no invariant of the model itself breaks: a bug in irqsim, never a kernel finding",
	[CHECK_DEVICE_STALL] =
		"a level line that stays asserted is serviced: nothing leaves it masked for good",
	[CHECK_STORM] =
		"the host takes at most storm_bound interrupts on a device's INTx irq per device event",
	[CHECK_STATE_LEAK] =
		"an error path leaves no flag (IRQ_DISABLE_UNLAZY) or VFIO interrupt context behind",
	[CHECK_MSIX_DISABLED] =
		"an event on a vector the guest has live is delivered as that MSI, even across a NORESIZE growth",
	[CHECK_GUEST_STOPPED] =
		"the VMM stopped the VM (vmm_setirqs_error=stop): SET_IRQS failed for a vector the guest unmasked",
	[CHECK_STALE_IRTE] =
		"the IOMMU posts an interrupt only through an IRTE that matches the host's current pairing",
	[CHECK_MASKED_DELIVERY] =
		"KVM never injects into a vector the guest has masked once QEMU handled the mask",
	[CHECK_MISROUTED] =
		"once the guest's IOAPIC RTE write completed, the pin is delivered to its new destination only",
	[CHECK_LOST_EOI] =
		"Remote IRR of a level pin is cleared by the EOI of the interrupt it was set for",
};

int check_knob_storm_bound;

static const struct irqsim_knob knob_storm_bound = {
	.name = "storm_bound",
	.doc = "oracle: interrupt-storm when the host takes more than this many "
	       "interrupts on a device's INTx irq per device event; 0 = off",
	.def = 4,
	.max = 1000,
};

void check_init(void)
{
	check_knob_storm_bound = irqsim_knob_register(&knob_storm_bound);
}

const char *check_kind_name(int kind)
{
	if (kind < 0 || kind >= CHECK_NR_KINDS)
		return "?";
	return kind_names[kind];
}

const char *check_kind_doc(int kind)
{
	if (kind < 0 || kind >= CHECK_NR_KINDS)
		return "?";
	return kind_docs[kind];
}

int check_kind_parse(const char *name)
{
	for (int k = 0; k < CHECK_NR_KINDS; k++)
		if (!strcmp(kind_names[k], name))
			return k;
	return -1;
}

#define NO_OBJ CHECK_OBJECT(CHECK_OBJ_NONE, -1, -1)
#define DEV_OBJ(d, vec) CHECK_OBJECT(CHECK_OBJ_DEV, d, vec)

static bool object_is(const struct irqsim_object *scope, int type, int index,
		      int sub)
{
	return scope->type != CHECK_OBJ_NONE && scope->type == type &&
	       scope->index == index && (scope->sub < 0 || scope->sub == sub);
}

bool check_object_in(const struct irqsim_object *scope,
		     const struct irqsim_object *obj)
{
	return object_is(scope, obj->type, obj->index, obj->sub) ||
	       (obj->in_type != CHECK_OBJ_NONE &&
		object_is(scope, obj->in_type, obj->in_index, obj->in_sub));
}


/*
 * Host @irq as a verdict's object, with the device that holds it now
 * (its MSI or MSI-X vector, or its INTx line: the MSI layer's map from
 * irq to device), so that a device's scope takes in its irqs' findings:
 * irq numbers are the kernel's to hand out. check_invariant_bytes()
 * names what this reads.
 */
static struct irqsim_object irq_obj(const struct vmm_world *w, int irq)
{
	const struct msi_world *mw = &w->vfio.msi;
	struct irqsim_object o = CHECK_OBJECT(CHECK_OBJ_IRQ, irq, -1);

	if (irq > 0 && irq < IRQSIM_MAX_IRQS && mw->irq.desc[irq].allocated) {
		o.in_type = CHECK_OBJ_DEV;
		o.in_index = mw->irq_dev[irq];
		o.in_sub = mw->irq_vec[irq];
	}
	return o;
}

/* Is @kind ignored for @obj alone (--ignore KIND:OBJECT)? */
static bool scoped_out(const struct irqsim_rt *rt, int kind,
		       const struct irqsim_object *obj)
{
	for (int i = 0; i < rt->nignore_scoped; i++)
		if (rt->ignore_scoped[i].kind == kind &&
		    check_object_in(&rt->ignore_scoped[i].obj, obj))
			return true;
	return false;
}

static int verdict(const struct irqsim_rt *rt, struct irqsim_verdict *v,
		   struct irqsim_object obj, int kind, uint32_t step,
		   uint32_t found, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/*
 * Not judged under a scope (irqsim_rt.scope: an expect line about one
 * object): a finding about another object, or about none. A model
 * warning (irqsim is broken) and a livelock (the run was cut before the
 * end oracles could judge anything) are judged under every scope.
 */
static bool out_of_scope(const struct irqsim_rt *rt, int kind,
			 const struct irqsim_object *obj)
{
	return kind != CHECK_MODEL_WARNING && kind != CHECK_LIVELOCK &&
	       !check_object_in(&rt->scope, obj);
}

/*
 * Record a violation unless its kind is ignored, for every object or for
 * @obj (an expect line may ignore one race, or one device's, to judge
 * another in the same scenario), or @obj is outside the scope judged. An
 * oracle whose finding about one object is ignored goes on to the next
 * object.
 */
static int verdict(const struct irqsim_rt *rt, struct irqsim_verdict *v,
		   struct irqsim_object obj, int kind, uint32_t step,
		   uint32_t found, const char *fmt, ...)
{
	va_list ap;

	if (rt->ignore & (1u << kind))
		return 0;
	if (rt->nignore_scoped && obj.type != CHECK_OBJ_NONE &&
	    scoped_out(rt, kind, &obj))
		return 0;
	if (rt->scope.type != CHECK_OBJ_NONE && out_of_scope(rt, kind, &obj))
		return 0;

	v->kind = kind;
	v->step = step;
	v->found_step = found;
	v->obj = obj;
	va_start(ap, fmt);
	vsnprintf(v->what, sizeof(v->what), fmt, ap);
	va_end(ap);
	return kind;
}

static const struct apic_world *apic_of(const struct vmm_world *w)
{
	return &w->vfio.msi.irq.apic;
}

/*
 * check_binding()'s finding, out of its loop: the loop over every irq
 * runs after every transition, and a call that may return to it (an irq
 * scoped out of the verdict) cost random runs 1.4% more instructions
 * inline.
 */
static __attribute__((noinline, cold)) int
binding_verdict(const struct vmm_world *w, const struct irqsim_rt *rt,
		struct irqsim_verdict *v, const struct apic_chip_data *d,
		int irq, int16_t slot, uint32_t step)
{
	char buf[16];

	return verdict(rt, v, irq_obj(w, irq), CHECK_BINDING_LOST, step, step,
		       "irq%d is started on cpu%d vector %d but vector_irq[cpu%d][%d] = %s: every later interrupt is \"No irq handler\"",
		       irq, d->cpu, d->vector, d->cpu, d->vector,
		       apic_slot_name(slot, buf, sizeof(buf)));
}

/*
 * Vector binding: an irq the device can interrupt on must find itself in
 * its vector's slot whenever vector_lock is free (all slot writes are
 * under it, except the pre-v6.17 entry's unlocked write of
 * VECTOR_UNUSED). An interrupt can arrive for the irq while it is started
 * (irq_startup() to irq_shutdown()); before, between request and startup
 * or after shutdown, the device is masked or its message not yet written.
 * A slot that differs while the irq is not started harms nobody: the
 * hotplug path skips an irq __free_irq() already shut down and resets its
 * slot (fixup_irqs()), and the deactivation clears the binding after it.
 *
 * Forced inline: check_step_invariant() is its second caller, and GCC
 * then kept it out of check_step(), which cost every random run 1.9% more
 * instructions. An ignored kind is not looked for (check_step_local()
 * relies on that to leave its reads out).
 */
static inline __attribute__((always_inline)) int
check_binding(const struct vmm_world *w, const struct irqsim_rt *rt,
	      struct irqsim_verdict *v)
{
	const struct apic_world *aw = apic_of(w);
	const struct irq_desc *desc = w->vfio.msi.irq.desc;
	uint32_t step = aw->sched.step - 1;

	if (rt->ignore & 1u << CHECK_BINDING_LOST ||
	    aw->sched.lock_owner[APIC_LOCK_VECTOR] >= 0)
		return 0;
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++) {
		const struct apic_chip_data *d = &aw->apicd[irq];
		int16_t slot;

		if (!d->used || !d->vector ||
		    d->vector == MANAGED_IRQ_SHUTDOWN_VECTOR)
			continue;
		slot = aw->cpu[d->cpu].vector_irq[d->vector];
		if (slot == irq || !(desc[irq].irqd & IRQD_IRQ_STARTED))
			continue;
		if (binding_verdict(w, rt, v, d, irq, slot, step))
			return v->kind;
	}
	return 0;
}

/*
 * Storm: the host took more interrupts on a device's INTx irq than
 * storm_bound per event the device raised (flow handler entries, however
 * they ended: handled, or found the irq disabled and masked it).
 */
static int check_storm(const struct vmm_world *w, const struct irqsim_rt *rt,
		       struct irqsim_verdict *v)
{
	const struct irq_world *iw = &w->vfio.msi.irq;
	int bound = rt->knob[check_knob_storm_bound];
	uint32_t step = iw->apic.sched.step - 1;

	if (!bound)
		return 0;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_intx *x = &w->vfio.msi.dev[d].intx;
		const struct irq_desc *desc;
		int events;

		if (!x->present)
			continue;
		desc = &iw->desc[x->irq];
		events = x->raised ? x->raised : 1;
		if (desc->entries <= bound * events)
			continue;
		if (verdict(rt, v, DEV_OBJ(d, -1), CHECK_STORM, step, step,
			       "dev%d irq%d: %u host interrupts for %u device events (bound %d per event): %u handled, %u found the irq disabled; the controller re-signalled the asserted line %u times",
			       d, x->irq, desc->entries, x->raised, bound,
			       desc->irq_count, desc->disabled_hits,
			       iw->apic.intc[d].resignals))
			return v->kind;
	}
	return 0;
}

/*
 * seeds/002, tglx's #2: an event on a vector the guest has live (in use
 * and unmasked in its view) while the host had MSI-X disabled on the
 * device (QEMU's NORESIZE growth: vfio_msi_disable() ->
 * pci_free_irq_vectors() between the two SET_IRQS). It was redirected to
 * the INTx pin, or not signalled at all; either way not as this MSI.
 * Judged in the transition the event happened in.
 */
static int check_msix_disabled(const struct vmm_world *w,
			       const struct irqsim_rt *rt,
			       struct irqsim_verdict *v)
{
	const struct apic_world *aw = apic_of(w);
	const struct vmm_machine *m = rt->model_data;
	uint32_t step = aw->sched.step - 1;

	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_dev *pdev = &w->vfio.msi.dev[d];

		if (!pdev->msix_off_step || pdev->msix_off_step != aw->sched.step)
			continue;
		for (int vec = 0; vec < pdev->nvec; vec++) {
			if (!(pdev->msix_off_vecs & (1u << vec)) ||
			    !w->qdev[d].v[vec].use ||
			    qemu_msix_is_masked(w, d, vec))
				continue;
			if (!verdict(rt, v, DEV_OBJ(d, vec), CHECK_MSIX_DISABLED, step,
				     step,
				     "dev%d vector %d: event at step %u while the host had MSI-X disabled on the device (vfio_msi_disable() between QEMU's two SET_IRQS): %s; the guest's vector is live and sees nothing",
				     d, vec, step,
				     pdev->msix_off_intx & (1u << vec) ?
					     "redirected to the legacy INTx pin, which nobody handles" :
					     "no INTx pin, not signalled at all"))
				continue;
			v->has_origin = true;
			v->origin_step = step;
			v->origin_actor = (uint8_t)m->dev_actor[d];
			return v->kind;
		}
	}
	return 0;
}

/*
 * Posted interrupts: a message the IOMMU posted into a vCPU through an
 * IRTE written for a pairing the host has since changed (the host action
 * now signals another eventfd, the irq has no action, the bypass pairing
 * is gone, or KVM's route says another vCPU or vector): the interrupt
 * bypasses the host handler on a path nobody chose any more. And a KVM
 * injection (irqfd or posted) into a vector the guest has masked, after
 * QEMU handled the mask (vfio_msix_vector_release() returned): QEMU swaps
 * the trigger to its own eventfd on a mask precisely so that it can hold
 * the interrupt in its PBA.
 */
static int check_guest_delivery(const struct vmm_world *w,
				const struct irqsim_rt *rt,
				struct irqsim_verdict *v)
{
	static const char *const why[] = {
		[PI_STALE_NO_ACTION] = "the host irq has no action any more",
		[PI_STALE_DEV_ID] = "the host action now signals another eventfd",
		[PI_STALE_UNPAIRED] = "the irq bypass pairing it was written for is gone",
		[PI_STALE_ROUTE] = "KVM's MSI route now names another vCPU or vector",
	};
	const struct pi_stats *pi = &w->pi;

	if (pi->stale &&
	    verdict(rt, v, NO_OBJ, CHECK_STALE_IRTE, pi->stale_step,
		    pi->stale_step,
		    "irq%d: the IOMMU posted a message into the guest through an IRTE written for the pairing with efd%d, but %s (action dev_id efd%d): the host handler is bypassed on a path the host no longer has",
		    pi->stale_irq, pi->stale_token,
		    pi->stale_why < sizeof(why) / sizeof(why[0]) &&
				    why[pi->stale_why] ?
			    why[pi->stale_why] :
			    "?",
		    pi->stale_dev_id))
		return v->kind;
	if (pi->masked &&
	    verdict(rt, v, DEV_OBJ(pi->masked_dev, pi->masked_vec), CHECK_MASKED_DELIVERY, pi->masked_step,
		    pi->masked_step,
		    "dev%d vector %d: KVM injected an interrupt (%s) into the guest after the guest masked the vector: QEMU's masking emulation (trigger on its own eventfd, PBA) was bypassed",
		    pi->masked_dev, pi->masked_vec,
		    pi->masked_posted ? "posted through the IRTE" :
					"irqfd"))
		return v->kind;
	return 0;
}

/*
 * The kernel's own warnings, each about the irq it names (the last one
 * that warned: a warning is judged at the step it fires), with the
 * function that printed it.
 */
static __attribute__((noinline, cold)) int
check_kernel_warning(const struct vmm_world *w, const struct irqsim_rt *rt,
		     struct irqsim_verdict *v, uint32_t step)
{
	const struct irq_stats *is = &w->vfio.msi.irq.stats;

	if (is->free_already_free &&
	    verdict(rt, v, irq_obj(w, is->free_already_free_irq),
		    CHECK_KERNEL_WARNING, step, step,
		    "WARN: Trying to free already-free IRQ %d (__free_irq)",
		    is->free_already_free_irq))
		return v->kind;
	if (is->update_already_free &&
	    verdict(rt, v, irq_obj(w, is->update_already_free_irq),
		    CHECK_KERNEL_WARNING, step, step,
		    "WARN: Trying to update already-free IRQ %d (irq_update_devid)",
		    is->update_already_free_irq))
		return v->kind;
	if (is->unbalanced_enable &&
	    verdict(rt, v, irq_obj(w, is->unbalanced_irq),
		    CHECK_KERNEL_WARNING, step, step,
		    "WARN: Unbalanced enable for IRQ %d (__enable_irq)",
		    is->unbalanced_irq))
		return v->kind;
	return 0;
}

int check_step(const void *world, const struct irqsim_rt *rt,
	       struct irqsim_verdict *v)
{
	const struct vmm_world *w = world;
	const struct apic_world *aw = apic_of(w);
	const struct irq_stats *is = &w->vfio.msi.irq.stats;
	uint32_t step = aw->sched.step - 1;

	/* An ignored kind must not hide the kinds checked after it. */
	if (aw->sched.warnings &&
	    verdict(rt, v, NO_OBJ, CHECK_MODEL_WARNING, step, step,
		    "a model invariant broke (IRQSIM_WARN_ON_ONCE): a bug in irqsim, not in the kernel"))
		return v->kind;
	if (check_binding(w, rt, v))
		return v->kind;
	if ((is->free_already_free || is->update_already_free ||
	     is->unbalanced_enable) &&
	    check_kernel_warning(w, rt, v, step))
		return v->kind;
	if (aw->stats.no_irq_handler &&
	    verdict(rt, v, NO_OBJ, CHECK_NO_IRQ_HANDLER, step, step,
		    "cpu%d vector %d: No irq handler for vector (interrupt discarded)",
		    aw->stats.last_discard_cpu,
		    aw->stats.last_discard_vector))
		return v->kind;
	if (check_msix_disabled(w, rt, v))
		return v->kind;
	if (check_guest_delivery(w, rt, v))
		return v->kind;
	if (w->iostats.misrouted &&
	    verdict(rt, v, NO_OBJ, CHECK_MISROUTED, w->iostats.misrouted_step,
		    step,
		    "IOAPIC pin %u delivered to vcpu%u after the guest's RTE write had completed for vcpu%u (its effective affinity): the KVM route was stale",
		    w->iostats.misrouted_pin, w->iostats.misrouted_vcpu,
		    w->iostats.misrouted_effective))
		return v->kind;
	return check_storm(w, rt, v);
}

int check_step_invariant(const void *world, const struct irqsim_rt *rt,
			 struct irqsim_verdict *v)
{
	return check_binding(world, rt, v);
}

/*
 * The binding invariant holds while vector_lock is held: every slot write
 * but one is under it, and check_binding() judges only when it is free.
 */
bool check_invariant_vacuous(const void *world)
{
	const struct vmm_world *w = world;

	return apic_of(w)->sched.lock_owner[APIC_LOCK_VECTOR] >= 0;
}

/* check_step() with the binding invariant ignored, so not even read. */
int check_step_local(const void *world, const struct irqsim_rt *rt,
		     struct irqsim_verdict *v)
{
	struct irqsim_rt local = *rt;

	local.ignore |= 1u << CHECK_BINDING_LOST;
	return check_step(world, &local, v);
}

/*
 * What check_binding() reads: vector_lock's owner, every irq's
 * apic_chip_data, its irq_desc's irqd (IRQD_IRQ_STARTED) and every CPU's
 * vector_irq table (the step counter it stamps a verdict with is never a
 * dependency); and for its verdict's object (irq_obj()) the irq's
 * desc->allocated and the MSI layer's map from irq to device.
 */
void check_invariant_bytes(const struct irqsim_rt *rt,
			   void (*add)(void *arg, size_t off, size_t len),
			   void *arg)
{
	size_t apic = offsetof(struct vmm_world, vfio.msi.irq.apic);

	(void)rt;
	add(arg, apic + offsetof(struct apic_world, apicd),
	    sizeof(((struct apic_world *)0)->apicd));
	for (size_t c = 0; c < IRQSIM_MAX_CPUS; c++)
		add(arg,
		    apic + offsetof(struct apic_world, cpu) +
			    c * sizeof(struct apic_cpu) +
			    offsetof(struct apic_cpu, vector_irq),
		    sizeof(((struct apic_cpu *)0)->vector_irq));
	for (size_t irq = 0; irq < IRQSIM_MAX_IRQS; irq++) {
		size_t desc = offsetof(struct vmm_world, vfio.msi.irq.desc) +
			      irq * sizeof(struct irq_desc);

		add(arg, desc + offsetof(struct irq_desc, irqd),
		    sizeof(((struct irq_desc *)0)->irqd));
		add(arg, desc + offsetof(struct irq_desc, allocated),
		    sizeof(((struct irq_desc *)0)->allocated));
	}
	add(arg, offsetof(struct vmm_world, vfio.msi.irq_dev),
	    sizeof(((struct msi_world *)0)->irq_dev));
	add(arg, offsetof(struct vmm_world, vfio.msi.irq_vec),
	    sizeof(((struct msi_world *)0)->irq_vec));
	add(arg,
	    apic + offsetof(struct apic_world, sched) +
		    offsetof(struct sched_world, lock_owner) +
		    APIC_LOCK_VECTOR,
	    1);
}

/*
 * Event conservation, the guarantee behind lost-interrupt: an event the
 * device raised and its driver has not read is either consumed or held by
 * a carrier that will deliver it. Called at the end of a run, for an event
 * still unread. Masking alone holds nothing: a guest-masked vector keeps an
 * event only in QEMU's PBA (msix_notify() sets it, the guest's unmask
 * replays it), and a host-masked entry only in the device's PBA.
 */
static bool event_held(const struct vmm_world *w, const struct vmm_machine *m,
		       int dev, int vec)
{
	const struct pci_dev *pdev = &w->vfio.msi.dev[dev];
	const struct apic_world *aw = apic_of(w);
	const struct apic_chip_data *apicd;
	uint32_t bit = 1u << vec;
	int idx = dev * IRQSIM_MAX_VECS + vec;
	int irq = pdev->irq[vec];

	/* the driver quiesced the device: nobody waits for the event */
	if (!(pdev->intr_enable & bit))
		return true;
	/* the device's PBA: sent when the host unmasks the entry */
	if (pdev->pba & bit)
		return true;
	/* QEMU's PBA: replayed when the guest unmasks the vector */
	if (w->qdev[dev].v[vec].use && w->qdev[dev].v[vec].pba)
		return true;
	/* KVM's vIRR of a vCPU the guest still runs */
	for (int c = 0; c < m->nr_vcpus; c++)
		if (!w->vcpu[c].offline && (w->vcpu[c].virr & (1u << idx)))
			return true;
	/* an online CPU's IRR, on the vector whose slot names the irq */
	if (irq <= 0)
		return false;
	apicd = &aw->apicd[irq];
	return apicd->used && apicd->vector &&
	       apicd->vector != MANAGED_IRQ_SHUTDOWN_VECTOR &&
	       aw->cpu[apicd->cpu].online &&
	       aw->cpu[apicd->cpu].vector_irq[apicd->vector] == irq &&
	       lapic_vector_set_in_irr(aw, apicd->cpu, apicd->vector);
}

/*
 * Where the message of an event raised at @raised ended, when the APIC
 * did not deliver it: sent to a dead CPU's APIC, or left in the IRR of a
 * CPU that went offline after fixup_irqs() looked at it. Sets @how and
 * the step the event's last carrier dropped it; false if neither.
 */
static bool message_fate(const struct vmm_world *w, const struct pci_dev *pdev,
			 int vec, uint32_t raised, char *how, size_t len,
			 uint32_t *step)
{
	const struct apic_world *aw = apic_of(w);
	uint32_t sent = pdev->sent_step[vec];
	int cpu = pdev->sent_cpu[vec], vector = pdev->sent_vector[vec];
	const struct apic_cpu *c = &aw->cpu[cpu];

	if (!pdev->sent[vec] || sent < raised || cpu >= aw->nr_cpus)
		return false;
	if (pdev->sent_fate[vec] == MSI_FATE_DEAD_APIC) {
		snprintf(how, len,
			 "; its message at step %u went to cpu%d, which was offline: a dead APIC takes no messages",
			 sent, cpu);
		*step = sent;
		return true;
	}
	if (c->online || !c->dead_irr_step ||
	    !lapic_vector_set_in_irr(aw, cpu, vector))
		return false;
	snprintf(how, len,
		 "; its message at step %u is pending in the IRR of cpu%d (vector %d), which went offline at step %u: fixup_irqs() did not retrigger it",
		 sent, cpu, vector, c->dead_irr_step);
	*step = sent > c->dead_irr_step ? sent : c->dead_irr_step;
	return true;
}

static int check_lost(const struct vmm_world *w, const struct irqsim_rt *rt,
		      struct irqsim_verdict *v)
{
	const struct apic_world *aw = apic_of(w);
	const struct vmm_machine *m = rt->model_data;

	if (rt->ignore & (1u << CHECK_LOST_INTERRUPT))
		return 0;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_dev *pdev = &w->vfio.msi.dev[d];

		for (int vec = 0; vec < pdev->nvec; vec++) {
			char how[192] = "";
			/*
			 * The unserviced event, not the device's last one: a
			 * wait-for-ack device coalesces later events into it
			 * without a message, so its MSI is the one lost.
			 */
			uint32_t raised = pdev->pending_step[vec];
			uint32_t step = raised;
			int idx = d * IRQSIM_MAX_VECS + vec;

			if (!(pdev->status & (1u << vec)) ||
			    event_held(w, m, d, vec))
				continue;
			for (int c = 0; c < m->nr_vcpus; c++) {
				const struct guest_vcpu *vc = &w->vcpu[c];

				if (!vc->offline || !(vc->virr & (1u << idx)))
					continue;
				snprintf(how, sizeof(how),
					 "; it is pending in the vIRR of vcpu%d, which the guest took offline (nothing retriggered it)",
					 c);
				/*
				 * Inevitable once the vCPU is offline (with
				 * interrupts off for good) and the vector is
				 * in its vIRR: at set_cpu_online(cpu, false)
				 * for a vector already there, else where KVM
				 * set it. Until then the guest could still
				 * take it, or KVM deliver it elsewhere.
				 */
				step = vc->offline_step > vc->dead_virr_step[idx] ?
					       vc->offline_step :
					       vc->dead_virr_step[idx];
			}
			if (how[0]) {
				/* the dead vIRR says where it is */
			} else if (message_fate(w, pdev, vec, raised, how,
						sizeof(how), &step)) {
				/* the message's own fate */
			} else if (pdev->msix_off_step > raised &&
			    (pdev->msix_off_vecs & (1u << vec))) {
				snprintf(how, sizeof(how),
					 "; MSI-X was disabled on the device at step %u (host MSI-X torn down): %s",
					 pdev->msix_off_step - 1,
					 pdev->msix_off_intx & (1u << vec) ?
						 "redirected to INTx" :
						 "not signalled");
			} else if (aw->stats.discards &&
				   aw->stats.last_discard_step >= raised) {
				char buf[16];

				step = aw->stats.last_discard_step;
				snprintf(how, sizeof(how),
					 "; discarded at step %u: common_interrupt on cpu%d vector %d found %s and EOI'd it",
					 aw->stats.last_discard_step,
					 aw->stats.last_discard_cpu,
					 aw->stats.last_discard_vector,
					 apic_slot_name(aw->stats.last_discard_slot,
							buf, sizeof(buf)));
			} else if (pdev->sent[vec] &&
				   pdev->sent_step[vec] >= raised &&
				   pdev->sent_fate[vec] == MSI_FATE_MERGED) {
				char buf[16];
				int cpu = pdev->sent_cpu[vec];
				int vector = pdev->sent_vector[vec];

				step = pdev->sent_step[vec];
				snprintf(how, sizeof(how),
					 "; its message at step %u merged into cpu%d's IRR bit for vector %d, already set: one interrupt for both, taken by %s",
					 step, cpu, vector,
					 apic_slot_name(aw->cpu[cpu].vector_irq[vector],
							buf, sizeof(buf)));
			}
			if (!verdict(rt, v, DEV_OBJ(d, vec), CHECK_LOST_INTERRUPT, step,
				     aw->sched.step,
				     "dev%d vector %d: the event raised at step %u never reached the driver%s; the device %s",
				     d, vec, raised, how,
				     pdev->behaviour == DEV_WAIT_FOR_ACK ?
					     "waits for an ack forever" :
					     "has an unread event"))
				continue;
			/* the lost event, for the renderers to mark */
			v->has_origin = true;
			v->origin_step = raised;
			v->origin_actor = (uint8_t)m->dev_actor[d];
			return v->kind;
		}
	}
	return 0;
}

static int check_leaks(const struct vmm_world *w, const struct irqsim_rt *rt,
		       struct irqsim_verdict *v)
{
	const struct apic_world *aw = apic_of(w);
	uint32_t step = aw->sched.step;
	int vectors = 0, allocated = 0;

	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++) {
		int expect = vfio_expected_eventfd_refs(&w->vfio, e);

		if (w->vfio.efd[e].refs != expect &&
		    verdict(rt, v, NO_OBJ, CHECK_EVENTFD_LEAK, step, step,
			    "efd%d holds %d references, %d expected (%s)", e,
			    w->vfio.efd[e].refs, expect,
			    w->vfio.efd[e].refs > expect ? "leak" :
							   "underflow"))
			return v->kind;
	}
	/*
	 * Vectors from the matrix's allocation bitmaps, not its
	 * total_allocated: irq_matrix_free() leaves that count alone for a
	 * CPU whose map is offline, a drift the kernel itself allows.
	 */
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++) {
		const struct apic_chip_data *d = &aw->apicd[irq];
		int held[2][2] = { { d->cpu, d->vector },
				   { d->prev_cpu, d->prev_vector } };

		if (!d->used)
			continue;
		for (int i = 0; i < 2; i++) {
			int cpu = held[i][0], vec = held[i][1];

			if (!vec || vec == MANAGED_IRQ_SHUTDOWN_VECTOR)
				continue;
			vectors++;
			if (apic_vector_test(aw->matrix.cpu[cpu].alloc_map,
					     vec))
				continue;
			if (verdict(rt, v, irq_obj(w, irq), CHECK_VECTOR_LEAK,
				    step,
				    step,
				    "irq%d holds cpu%d vector %d, which the matrix has free: the next allocation there hands it out twice",
				    irq, cpu, vec))
				return v->kind;
		}
	}
	for (int cpu = 0; cpu < IRQSIM_MAX_CPUS; cpu++)
		for (int i = 0; i < APIC_IRR_WORDS; i++)
			allocated += __builtin_popcount(
				aw->matrix.cpu[cpu].alloc_map[i]);
	/* devices the scenario does not model hold theirs (matrix-used) */
	vectors += aw->vectors_other;
	if (vectors != allocated)
		return verdict(rt, v, NO_OBJ, CHECK_VECTOR_LEAK, step, step,
			       "matrix has %d vectors allocated, irqs hold %d",
			       allocated, vectors);
	return 0;
}

/*
 * A vector the guest has unmasked and QEMU uses, with no host handler:
 * a SET_IRQS failed after the guest passed its failure points (its
 * request_irq() returned 0), and QEMU only logged it. Either the vector
 * lost its trigger, or the whole MSI-X index is off on the host (a
 * NORESIZE re-enable that failed).
 */
static int check_path(const struct vmm_world *w, const struct irqsim_rt *rt,
		      struct irqsim_verdict *v)
{
	uint32_t step = apic_of(w)->sched.step;

	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct vfio_pci_core_device *vdev = &w->vfio.vdev[d];
		bool msix = vdev->irq_type == VFIO_PCI_MSIX_IRQ_INDEX;

		for (int vec = 0; vec < w->vfio.msi.dev[d].nvec; vec++) {
			if (!w->qdev[d].v[vec].use ||
			    qemu_msix_is_masked(w, d, vec) ||
			    (msix && vdev->ctx[vec].trigger >= 0))
				continue;
			if (verdict(rt, v, DEV_OBJ(d, vec), CHECK_NO_PATH, step, step,
				       "dev%d vector %d: unmasked in the guest but %s (SET_IRQS failed; QEMU only logged it)",
				       d, vec,
				       msix ? "VFIO has no trigger on the host" :
					      "MSI-X is disabled on the host"))
				return v->kind;
		}
	}
	return 0;
}

/*
 * Device stall: a level line asserted for an event nobody will service
 * (checked when nothing can move any more). The story says why: the irq's
 * state, the controller's, and VFIO's.
 */
static int check_stall(const struct vmm_world *w, const struct irqsim_rt *rt,
		       struct irqsim_verdict *v)
{
	const struct vmm_machine *m = rt->model_data;
	const struct irq_world *iw = &w->vfio.msi.irq;

	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_intx *x = &w->vfio.msi.dev[d].intx;
		const struct intc_pin *p = &iw->apic.intc[d];
		const struct irq_desc *desc;
		const char *why;

		uint32_t step;

		if (!x->present || !x->status)
			continue;
		desc = &iw->desc[x->irq];
		/* the assertion nobody serviced, not a later coalesced event */
		step = x->pending_step;
		if (!x->line) {
			why = "DisINTx masks it and VFIO will not unmask it";
		} else if (p->masked) {
			why = "the controller keeps it masked";
		} else if (p->level && !p->latched && !p->in_service &&
			   desc->disabled_hit_step >= step &&
			   desc->disabled_hits) {
			why = "the assertion reached the irq while it was disabled (masked, EOI'd, not handled), and on unmask the controller does not re-signal a line that stayed asserted";
			step = desc->disabled_hit_step;
		} else if (p->level && !p->latched && !p->in_service) {
			why = "the controller does not re-signal a line that stayed asserted";
		} else {
			why = "nothing will deliver it";
		}
		if (!verdict(rt, v, DEV_OBJ(d, -1), CHECK_DEVICE_STALL, step,
			     iw->apic.sched.step,
			     "dev%d holds INTx asserted since step %u, nobody will service it: %s. Guest handled %u of %u events",
			     d, x->pending_step, why, w->guest.handled,
			     x->raised))
			continue;
		/* the stalled event, for the renderers to mark */
		v->has_origin = true;
		v->origin_step = x->pending_step;
		v->origin_actor = (uint8_t)m->dev_actor[d];
		return v->kind;
	}
	return 0;
}

/* Is IOAPIC @vector pending or in service on any vCPU? */
static bool guest_vector_in_flight(const struct vmm_world *w,
				   const struct vmm_machine *m, int vector)
{
	uint32_t bit = 1u << (vector - GUEST_IOAPIC_VECTOR_BASE);

	if (vector < GUEST_IOAPIC_VECTOR_BASE ||
	    vector >= GUEST_IOAPIC_VECTOR_BASE + 32)
		return false;
	for (int c = 0; c < m->nr_vcpus; c++)
		if ((w->vcpu[c].pir | w->vcpu[c].irr | w->vcpu[c].isr) & bit)
			return true;
	return false;
}

/*
 * Lost EOI (checked when nothing can move any more): a level pin of
 * QEMU's IOAPIC with Remote IRR set although no vCPU has its vector
 * pending or in service: the EOI that would clear it never reached QEMU,
 * and the pin is never delivered again (ioapic_set_irq() and
 * ioapic_service() skip a pin with Remote IRR set).
 */
static int check_lost_eoi(const struct vmm_world *w,
			  const struct irqsim_rt *rt,
			  struct irqsim_verdict *v)
{
	const struct vmm_machine *m = rt->model_data;
	const struct ioapic_stats *st = &w->iostats;
	uint32_t step = apic_of(w)->sched.step;

	for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		uint64_t entry = w->ioapic.ioredtbl[pin];
		int vector = (int)(entry & IOAPIC_VECTOR_MASK);
		char why[192] = "";

		if (!(entry & IOAPIC_LVT_TRIGGER_MODE) ||
		    !(entry & IOAPIC_LVT_REMOTE_IRR) ||
		    guest_vector_in_flight(w, m, vector))
			continue;
		if (st->lowvec && st->lowvec_pin == pin)
			snprintf(why, sizeof(why),
				 "; set by a delivery through gsi %u's all-zero KVM route at step %u: vector 0 on vcpu%u, never injected",
				 pin, st->lowvec_step, st->lowvec_vcpu);
		else if (st->eoi_not_exited)
			snprintf(why, sizeof(why),
				 "; vcpu%u's EOI of vector %#x at step %u did not exit to QEMU (not in its ioapic_handled_vectors)",
				 st->eoi_not_exited_vcpu,
				 st->eoi_not_exited_vector,
				 st->eoi_not_exited_step);
		return verdict(rt, v, NO_OBJ, CHECK_LOST_EOI,
			       st->lowvec && st->lowvec_pin == pin ?
				       st->lowvec_step :
			       st->eoi_not_exited ? st->eoi_not_exited_step :
						    step,
			       step,
			       "IOAPIC pin %d (vector %#x): Remote IRR stuck set with nothing in flight%s; the line is %s and will never be delivered again",
			       pin, vector, why,
			       w->ioapic.irr & (1u << pin) ? "still asserted" :
							     "low now");
	}
	return 0;
}

/* An emulated level device asserted, its pin masked for good. */
static int check_ldev_stall(const struct vmm_world *w,
			    const struct irqsim_rt *rt,
			    struct irqsim_verdict *v)
{
	uint32_t step = apic_of(w)->sched.step;

	for (int d = 0; d < IRQSIM_MAX_GUEST_IOAPIC_IRQS; d++) {
		const struct qemu_level_dev *ld = &w->ldev[d];

		if (!ld->used || !ld->pending ||
		    (w->ioapic.ioredtbl[ld->pin] & IOAPIC_LVT_REMOTE_IRR))
			continue;
		return verdict(rt, v, NO_OBJ, CHECK_DEVICE_STALL, step, step,
			       "the level device on IOAPIC pin %u holds its line asserted and nothing will deliver it (%s)",
			       ld->pin,
			       w->ioapic.ioredtbl[ld->pin] & IOAPIC_LVT_MASKED ?
				       "the RTE stays masked" :
				       "no Remote IRR, not serviced");
	}
	return 0;
}

/*
 * State leak: an error path left something set that nothing will undo:
 * IRQ_DISABLE_UNLAZY on an irq without an action (vfio_intx_enable's
 * request_irq() failed and the flag stayed: [PATCH v2] of seeds/001), or
 * a VFIO interrupt context on a device whose irq_type is back to none.
 */
static int check_state_leak(const struct vmm_world *w,
			    const struct irqsim_rt *rt,
			    struct irqsim_verdict *v)
{
	const struct irq_world *iw = &w->vfio.msi.irq;
	uint32_t step = iw->apic.sched.step;

	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++) {
		const struct irq_desc *desc = &iw->desc[irq];

		if (!desc->allocated || desc->action_fn >= 0 ||
		    !(desc->settings & IRQ_DISABLE_UNLAZY))
			continue;
		if (verdict(rt, v, irq_obj(w, irq), CHECK_STATE_LEAK,
			       w->vfio.stats.intx_enable_errors ?
				       w->vfio.stats.intx_enable_error_step :
				       step,
			       step,
			       "irq%d has no action but IRQ_DISABLE_UNLAZY is still set%s: the next user of the irq inherits an unlazy disable_irq()",
			       irq,
			       w->vfio.stats.intx_enable_errors ?
				       " after vfio_intx_enable()'s request_irq() failed" :
				       ""))
			return v->kind;
	}
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct vfio_pci_core_device *vdev = &w->vfio.vdev[d];

		if (vdev->irq_type != VFIO_PCI_NUM_IRQS)
			continue;
		if (vdev->num_ctx || vdev->ctx[0].trigger >= 0 ||
		    vdev->ctx[0].unmask >= 0)
			if (verdict(rt, v, DEV_OBJ(d, -1), CHECK_STATE_LEAK, step,
				       step,
				       "dev%d has no interrupt type but still a VFIO interrupt context (num_ctx %u, trigger efd%d, unmask efd%d)",
				       d, vdev->num_ctx, vdev->ctx[0].trigger,
				       vdev->ctx[0].unmask))
				return v->kind;
	}
	return 0;
}

int check_end(const void *world, const struct irqsim_rt *rt, bool bound_hit,
	      struct irqsim_verdict *v)
{
	const struct vmm_world *w = world;
	const struct vmm_machine *m = rt->model_data;
	const struct apic_world *aw = apic_of(w);

	if (bound_hit)
		return verdict(rt, v, NO_OBJ, CHECK_LIVELOCK, aw->sched.step, aw->sched.step,
			       "step bound hit after %u transitions: livelock or interrupt storm",
			       aw->sched.step);
	/*
	 * The VMM stopped the VM (vmm_setirqs_error=stop): the outcome
	 * tglx calls well defined. A stopped guest loses nothing silently,
	 * so the oracles about what it would have seen do not apply.
	 */
	if (w->guest_stopped)
		return verdict(rt, v, NO_OBJ, CHECK_GUEST_STOPPED, w->stop_step,
			       aw->sched.step,
			       "QEMU stopped the VM at step %u: the host could not set up dev%d vector %d (%d) after the guest's request_irq() had returned 0",
			       w->stop_step, w->stop_dev, w->stop_vec,
			       w->stop_ret);
	/*
	 * A world stopped at the bound is not judged further; a deadlock
	 * that is ignored is (the other end oracles still look).
	 */
	for (int a = 0; a < m->nactors; a++) {
		if (!irqsim_actor_busy(w, rt, a))
			continue;
		if (verdict(rt, v, NO_OBJ, CHECK_DEADLOCK, aw->sched.step,
			    aw->sched.step,
			    "%s cannot proceed (%s) and nothing else can run",
			    m->actor[a].name,
			    aw->sched.actor[a].blocked ? "blocked" :
							 "preempted"))
			return v->kind;
		break;
	}
	if (check_lost(w, rt, v) || check_path(w, rt, v) ||
	    check_leaks(w, rt, v) || check_stall(w, rt, v) ||
	    check_lost_eoi(w, rt, v) || check_ldev_stall(w, rt, v) ||
	    check_state_leak(w, rt, v))
		return v->kind;
	return 0;
}

void check_summary(const void *world, char *buf, size_t len)
{
	const struct vmm_world *w = world;
	const struct apic_world *aw = apic_of(w);
	int n;

	n = snprintf(buf, len,
		     "host: spurious-after-shutdown=%u no-irq-handler=%u discarded=%u repaired=%u; guest: handled=%u spurious=%u benign-reinjected=%u",
		     aw->stats.spurious_shutdown, aw->stats.no_irq_handler,
		     aw->stats.discards, aw->stats.repaired, w->guest.handled,
		     w->guest.spurious, w->guest.spurious_benign);
	/* INTx: host interrupts per device event, the cost of lazy disable */
	for (int d = 0; d < w->vfio.msi.ndev && n >= 0 && (size_t)n < len;
	     d++) {
		const struct pci_intx *x = &w->vfio.msi.dev[d].intx;
		const struct irq_desc *desc;

		if (!x->present)
			continue;
		desc = &w->vfio.msi.irq.desc[x->irq];
		n += snprintf(buf + n, len - n,
			      "\n  intx dev%d: events=%u host-irqs=%u (handled=%u, found-disabled=%u) controller-signals=%u (re-signals=%u) guest-irqs=%u",
			      d, x->raised, desc->entries, desc->irq_count,
			      desc->disabled_hits, aw->intc[d].signals,
			      aw->intc[d].resignals, w->guest.intx_irqs);
	}
	/* the guest-visible IOAPIC of the split irqchip */
	for (int s = 0; s < IRQSIM_MAX_GUEST_IOAPIC_IRQS && n >= 0 &&
			(size_t)n < len;
	     s++) {
		const struct guest_ioapic_irq *g = &w->gio[s];
		const struct ioapic_stats *st = &w->iostats;

		if (!g->used)
			continue;
		n += snprintf(buf + n, len - n,
			      "\n  ioapic pin %u: kvm_set_irq=%u misrouted=%u eoi-broadcasts=%u eoi-not-exited=%u dropped=%u; guest handled=%u irq-none=%u, effective vcpu%u",
			      g->pin, st->kvm_set_irq, st->misrouted,
			      st->eoi_broadcasts, st->eoi_not_exited,
			      st->dropped, g->handled, g->irq_none,
			      g->effective);
	}
}
