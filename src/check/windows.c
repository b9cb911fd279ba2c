// SPDX-License-Identifier: MIT
/*
 * Race windows: the states in which an oracle's race can happen, as named
 * predicates over the world. A search records which windows at least one
 * explored state opened; a "none" whose windows stayed shut proves nothing
 * about the race it was written for (irqsim check's reaches=).
 *
 * Each window says which oracles watch it, and which hardware a scenario
 * needs before it can open at all (an INTx window in a trace without an
 * INTx pin is not a window that trace missed).
 */
#include "check/check.h"

#include <stdio.h>
#include <string.h>


#define K(kind) (1u << (kind))

struct window_spec {
	const char *name;
	const char *doc;
	uint32_t watched_by;	/* verdict kinds */
	uint32_t needs;		/* enum check_have: all of them */
};

static const struct apic_world *apic_of(const struct vmm_world *w)
{
	return &w->vfio.msi.irq.apic;
}

/*
 * An interrupt latched in the IRR of a CPU whose APIC still takes it,
 * on a vector whose vector_irq slot names no descriptor (SHUTDOWN,
 * UNUSED, RETRIGGERED): common_interrupt() would find nothing to run.
 * Races A and B of seeds/000 open it.
 */
static bool irr_no_handler(const struct vmm_world *w,
			   const struct vmm_machine *m)
{
	const struct apic_world *aw = apic_of(w);

	(void)m;
	for (int cpu = 0; cpu < aw->nr_cpus; cpu++) {
		const struct apic_cpu *c = &aw->cpu[cpu];

		if (c->apic_dead)
			continue;
		for (int i = FIRST_EXTERNAL_VECTOR / 32; i < APIC_IRR_WORDS;
		     i++) {
			uint32_t bits = c->lapic.irr[i];

			while (bits) {
				int v = i * 32 + __builtin_ctz(bits);

				bits &= bits - 1;
				if (v < FIRST_SYSTEM_VECTOR &&
				    c->vector_irq[v] <= 0)
					return true;
			}
		}
	}
	return false;
}

/*
 * A device event not yet read while its MSI-X vector is masked: in the
 * guest's view (QEMU emulates the mask and must hold it in its PBA), in
 * the device's entry, or by the function mask.
 */
static bool raise_masked(const struct vmm_world *w,
			 const struct vmm_machine *m)
{
	(void)m;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_dev *pdev = &w->vfio.msi.dev[d];

		for (int vec = 0; vec < pdev->nvec; vec++) {
			if (!(pdev->status & (1u << vec)))
				continue;
			if (pdev->msix_func_mask || msix_entry_masked(pdev, vec))
				return true;
			if (w->qdev[d].v[vec].use &&
			    qemu_msix_is_masked(w, d, vec))
				return true;
		}
	}
	return false;
}

/*
 * An entry the device may send through (enabled, not masked) whose
 * message is not the one the kernel composed (msi_desc->msg): the old
 * target, or a half-written one. Only an entry that cannot be masked
 * around the update (MSI without per-vector masking: msi_set_affinity()'s
 * direct path) opens it; __pci_write_msi_msg() masks an MSI-X entry.
 */
static bool stale_message(const struct vmm_world *w,
			  const struct vmm_machine *m)
{
	(void)m;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_dev *pdev = &w->vfio.msi.dev[d];

		if (!pdev->msix_enabled || pdev->msix_func_mask)
			continue;
		for (int vec = 0; vec < pdev->nvec; vec++) {
			const uint32_t *dw = pdev->table[vec].dw;

			if (!pdev->irq[vec] || msix_entry_masked(pdev, vec))
				continue;
			if (dw[PCI_MSIX_ENTRY_LOWER_ADDR] !=
				    pdev->cached[vec].address_lo ||
			    dw[PCI_MSIX_ENTRY_DATA] != pdev->cached[vec].data)
				return true;
		}
	}
	return false;
}

/*
 * An interrupt pending at the old vector of an irq whose move has not
 * completed (apic_chip_data.move_in_progress): the old CPU must still
 * take it, and the cleanup must wait for it.
 */
static bool move_in_flight(const struct vmm_world *w,
			   const struct vmm_machine *m)
{
	const struct apic_world *aw = apic_of(w);

	(void)m;
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++) {
		const struct apic_chip_data *d = &aw->apicd[irq];

		if (d->used && d->move_in_progress && d->prev_vector &&
		    lapic_vector_set_in_irr(aw, d->prev_cpu, d->prev_vector))
			return true;
	}
	return false;
}

/*
 * An interrupt pending on a CPU on its way out or gone: a host CPU no
 * longer online with a bit in its IRR, or an offline vCPU with a vector
 * in its vIRR. Only a retrigger can move it elsewhere.
 */
static bool offline_pending(const struct vmm_world *w,
			    const struct vmm_machine *m)
{
	const struct apic_world *aw = apic_of(w);

	for (int cpu = 0; cpu < aw->nr_cpus; cpu++) {
		const struct apic_cpu *c = &aw->cpu[cpu];

		if (c->online)
			continue;
		for (int i = FIRST_EXTERNAL_VECTOR / 32; i < APIC_IRR_WORDS;
		     i++)
			if (c->lapic.irr[i])
				return true;
	}
	for (int c = 0; c < m->nr_vcpus; c++)
		if (w->vcpu[c].offline && w->vcpu[c].virr)
			return true;
	return false;
}

/*
 * MSI-X disabled on the host device while QEMU has a vector in use that
 * the guest left unmasked: the window of seeds/002's tglx #2, the
 * NORESIZE growth that tears the whole index down between two SET_IRQS.
 * An event now is redirected to INTx or not signalled at all.
 */
static bool msix_off_live(const struct vmm_world *w,
			  const struct vmm_machine *m)
{
	(void)m;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_dev *pdev = &w->vfio.msi.dev[d];

		if (pdev->msix_enabled || pdev->msi_plain)
			continue;
		for (int vec = 0; vec < pdev->nvec; vec++)
			if (w->qdev[d].v[vec].use &&
			    !qemu_msix_is_masked(w, d, vec))
				return true;
	}
	return false;
}

/*
 * A level line asserted while its irq is disabled but not masked: a lazy
 * disable_irq() left the line unmasked, so the next assertion reaches the
 * flow handler, which must mask it and keep it pending (seeds/001).
 */
static bool intx_lazy_disabled(const struct vmm_world *w,
			       const struct vmm_machine *m)
{
	const struct irq_world *iw = &w->vfio.msi.irq;

	(void)m;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_intx *x = &w->vfio.msi.dev[d].intx;
		uint16_t irqd;

		if (!x->present || !x->line || x->irq <= 0)
			continue;
		irqd = iw->desc[x->irq].irqd;
		if ((irqd & IRQD_IRQ_DISABLED) && !(irqd & IRQD_IRQ_MASKED))
			return true;
	}
	return false;
}

/*
 * A level pin of QEMU's IOAPIC asserted with Remote IRR set: delivered,
 * and the guest's EOI must reach QEMU before the pin can be delivered
 * again (seeds/003).
 */
static bool remote_irr_pending(const struct vmm_world *w,
			       const struct vmm_machine *m)
{
	(void)m;
	for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		uint64_t e = w->ioapic.ioredtbl[pin];

		if ((e & IOAPIC_LVT_TRIGGER_MODE) &&
		    (e & IOAPIC_LVT_REMOTE_IRR) &&
		    (w->ioapic.irr & (1u << pin)))
			return true;
	}
	return false;
}

/*
 * An eventfd reference taken and not yet held by what is to hold it, or
 * dropped by its holder and not yet put: the count differs from what the
 * holders account for (vfio_expected_eventfd_refs()). An error path taken
 * now must put it back, or the reference leaks (eventfd-leak). A trigger
 * switch opens it between eventfd_ctx_fdget() and the context's store.
 */
static bool efd_ref_in_flight(const struct vmm_world *w,
			      const struct vmm_machine *m)
{
	const struct vfio_world *vw = &w->vfio;
	uint8_t held[IRQSIM_MAX_EVENTFDS] = { 0 };

	(void)m;
	for (int d = 0; d < vw->msi.ndev; d++)
		for (int v = 0; v < IRQSIM_MAX_VECS; v++)
			if (vw->vdev[d].ctx[v].trigger >= 0)
				held[vw->vdev[d].ctx[v].trigger]++;
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++) {
		const struct eventfd_ctx *c = &vw->efd[e];

		if (c->refs != c->open + (c->irqfd >= 0) + c->resampler +
				       (c->virqfd >= 0) + held[e])
			return true;
	}
	return false;
}

/*
 * An irq that holds a second vector: the old one of a move
 * (apic_update_vector() kept it as prev_vector), which the cleanup after
 * the first interrupt on the new target, or the deactivation, must free
 * (vector-leak).
 */
static bool old_vector_held(const struct vmm_world *w,
			    const struct vmm_machine *m)
{
	const struct apic_world *aw = apic_of(w);

	(void)m;
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++)
		if (aw->apicd[irq].used && aw->apicd[irq].prev_vector)
			return true;
	return false;
}

/*
 * A set-up half done, which an error now must undo: IRQ_DISABLE_UNLAZY
 * set on an irq that has no action yet (vfio_intx_enable() sets it before
 * its request_irq()), or a VFIO interrupt context on a device whose
 * interrupt type is still none (state-leak).
 */
static bool half_set_up(const struct vmm_world *w, const struct vmm_machine *m)
{
	const struct irq_world *iw = &w->vfio.msi.irq;

	(void)m;
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++)
		if (iw->desc[irq].allocated && iw->desc[irq].action_fn < 0 &&
		    (iw->desc[irq].settings & IRQ_DISABLE_UNLAZY))
			return true;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct vfio_pci_core_device *vdev = &w->vfio.vdev[d];

		if (vdev->irq_type == VFIO_PCI_NUM_IRQS &&
		    (vdev->num_ctx || vdev->ctx[0].trigger >= 0 ||
		     vdev->ctx[0].unmask >= 0))
			return true;
	}
	return false;
}

/*
 * A VFIO MSI-X context whose trigger no action of its host irq carries:
 * the action was freed or its dev_id swapped (irq_update_devid()) while
 * the context still names the old trigger. A free_irq() or an
 * irq_update_devid() with it now finds no action: "Trying to free (or
 * update) already-free IRQ" (kernel-warning).
 */
static bool trigger_no_action(const struct vmm_world *w,
			      const struct vmm_machine *m)
{
	const struct irq_world *iw = &w->vfio.msi.irq;

	(void)m;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct vfio_pci_core_device *vdev = &w->vfio.vdev[d];

		if (vdev->irq_type != VFIO_PCI_MSIX_IRQ_INDEX)
			continue;
		for (int v = 0; v < IRQSIM_MAX_VECS; v++) {
			int irq = w->vfio.msi.dev[d].irq[v];
			int trigger = vdev->ctx[v].trigger;

			if (trigger < 0)
				continue;
			if (irq <= 0 || iw->desc[irq].action_fn < 0 ||
			    iw->desc[irq].action_dev_id != trigger)
				return true;
		}
	}
	return false;
}

/*
 * A VFIO INTx context of a device without DisINTx marked masked while
 * its irq is enabled (depth 0): the handler set ctx->masked before its
 * disable_irq_nosync(), and an unmask's enable_irq() now finds nothing
 * to balance ("Unbalanced enable for IRQ", kernel-warning).
 */
static bool masked_but_enabled(const struct vmm_world *w,
			       const struct vmm_machine *m)
{
	const struct irq_world *iw = &w->vfio.msi.irq;

	(void)m;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_intx *x = &w->vfio.msi.dev[d].intx;
		const struct vfio_pci_core_device *vdev = &w->vfio.vdev[d];

		if (x->present && !x->pci_2_3 && x->irq > 0 &&
		    vdev->irq_type == VFIO_PCI_INTX_IRQ_INDEX &&
		    vdev->ctx[0].masked && !iw->desc[x->irq].depth)
			return true;
	}
	return false;
}

/*
 * A vector QEMU uses and the guest left unmasked, with no host trigger:
 * a SET_IRQS of it under way (the old trigger freed, the new one not yet
 * requested). Its failure now leaves the vector without a handler, or
 * stops the VM with vmm_setirqs_error=stop (vector-without-handler,
 * guest-stopped).
 */
static bool live_no_trigger(const struct vmm_world *w,
			    const struct vmm_machine *m)
{
	(void)m;
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct vfio_pci_core_device *vdev = &w->vfio.vdev[d];

		if (vdev->irq_type != VFIO_PCI_MSIX_IRQ_INDEX)
			continue;
		for (int v = 0; v < w->vfio.msi.dev[d].nvec; v++)
			if (w->qdev[d].v[v].use && vdev->ctx[v].trigger < 0 &&
			    !qemu_msix_is_masked(w, d, v))
				return true;
	}
	return false;
}

/*
 * A posted IRTE that no longer matches the host's pairing (the irq's
 * action or its dev_id, the irq bypass pairing, KVM's route): the IOMMU
 * would post through it now past the host handler (stale-irte).
 */
static bool irte_stale(const struct vmm_world *w, const struct vmm_machine *m)
{
	(void)m;
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++) {
		const struct irte *e = &w->vfio.msi.irte[irq];

		if (e->posted && e->token >= 0 &&
		    kvm_irte_stale(w, irq, e) != PI_FRESH)
			return true;
	}
	return false;
}

/*
 * A guest IOAPIC irq whose RTE write completed for one vCPU while KVM's
 * route for its pin still names another: a delivery now lands outside
 * the effective affinity (misrouted).
 */
static bool ioapic_route_stale(const struct vmm_world *w,
			       const struct vmm_machine *m)
{
	(void)m;
	for (int s = 0; s < IRQSIM_MAX_GUEST_IOAPIC_IRQS; s++) {
		const struct guest_ioapic_irq *g = &w->gio[s];
		const struct kvm_gsi_msi_route *r;
		int vector;

		if (!g->used || !g->started || g->rte_writing)
			continue;
		r = &w->ioapic_route[g->pin];
		vector = (int)(r->data & 0xff);
		if (vector >= GUEST_IOAPIC_VECTOR_BASE &&
		    vector < GUEST_IOAPIC_VECTOR_BASE + 32 &&
		    (int)((r->address >> MSI_ADDR_DEST_SHIFT) & 0xff) !=
			    g->effective)
			return true;
	}
	return false;
}

/*
 * An actor blocked on a lock another holds, or on a wait another must
 * satisfy: a deadlock is a cycle of these.
 */
static bool actor_blocked(const struct vmm_world *w,
			  const struct vmm_machine *m)
{
	const struct sched_world *sw = &apic_of(w)->sched;

	for (int a = 0; a < m->nactors; a++)
		if (sw->actor[a].blocked)
			return true;
	return false;
}

/*
 * A vector pending again while its handler runs: latched in the IRR of a
 * CPU whose interrupt context runs with the same vector in service
 * (ISR), or in a vCPU's IRR or PIR with the same guest vector in
 * service. The EOI lets it in again at once: the loop a storm or a
 * livelock goes round (livelock, interrupt-storm).
 */
static bool irr_in_service(const struct vmm_world *w,
			   const struct vmm_machine *m)
{
	const struct apic_world *aw = apic_of(w);
	uint32_t both = 0;

	/*
	 * Tested after every transition of a trace that never opens it
	 * (most never do): only a CPU in an interrupt has its ISR looked
	 * at, every word of it without a branch (no vector below 32 is
	 * ever latched).
	 */
	for (int cpu = 0; cpu < aw->nr_cpus; cpu++) {
		const struct apic_cpu *c = &aw->cpu[cpu];

		if (c->irq_actor < 0 || !aw->sched.actor[c->irq_actor].busy)
			continue;
		for (int i = 0; i < APIC_IRR_WORDS; i++)
			both |= c->lapic.irr[i] & c->lapic.isr[i];
	}
	for (int c = 0; c < m->nr_vcpus; c++)
		both |= (w->vcpu[c].irr | w->vcpu[c].pir) & w->vcpu[c].isr;
	return both;
}

static const struct window_spec windows[CHECK_NR_WINDOWS] = {
	[CHECK_WIN_IRR_NO_HANDLER] = {
		.name = "irr-no-handler",
		.doc = "an interrupt latched in a live CPU's IRR while its vector_irq slot names no descriptor (SHUTDOWN, UNUSED, RETRIGGERED)",
		.watched_by = K(CHECK_LOST_INTERRUPT) | K(CHECK_NO_IRQ_HANDLER) |
			      K(CHECK_BINDING_LOST),
		.needs = CHECK_HAVE_MSI,
	},
	[CHECK_WIN_RAISE_MASKED] = {
		.name = "raise-masked",
		.doc = "a device event unread while its MSI-X vector is masked (by the guest in QEMU, in the device's entry, or by the function mask)",
		.watched_by = K(CHECK_LOST_INTERRUPT) |
			      K(CHECK_MASKED_DELIVERY),
		.needs = CHECK_HAVE_MSI,
	},
	[CHECK_WIN_STALE_MESSAGE] = {
		.name = "stale-message",
		.doc = "an entry the device may send through whose message is not the one the kernel composed (the old target, or half-written)",
		.watched_by = K(CHECK_LOST_INTERRUPT) | K(CHECK_NO_IRQ_HANDLER),
		.needs = CHECK_HAVE_MSI | CHECK_HAVE_MSI_NOMASK,
	},
	[CHECK_WIN_MOVE_IN_FLIGHT] = {
		.name = "move-in-flight",
		.doc = "an interrupt pending at the old vector of an irq whose move has not completed",
		.watched_by = K(CHECK_LOST_INTERRUPT) | K(CHECK_VECTOR_LEAK),
		.needs = CHECK_HAVE_MSI | CHECK_HAVE_HOST_MOVE,
	},
	[CHECK_WIN_OFFLINE_PENDING] = {
		.name = "offline-pending",
		.doc = "an interrupt pending in the IRR of a host CPU that is no longer online, or in the vIRR of an offline vCPU",
		.watched_by = K(CHECK_LOST_INTERRUPT),
		.needs = CHECK_HAVE_MSI | CHECK_HAVE_OFFLINE,
	},
	[CHECK_WIN_MSIX_OFF_LIVE] = {
		.name = "msix-off-live",
		.doc = "MSI-X disabled on the host device while QEMU uses a vector the guest left unmasked (a NORESIZE growth between its two SET_IRQS)",
		.watched_by = K(CHECK_MSIX_DISABLED) | K(CHECK_NO_PATH) |
			      K(CHECK_LOST_INTERRUPT),
		.needs = CHECK_HAVE_MSI | CHECK_HAVE_VFIO,
	},
	[CHECK_WIN_INTX_LAZY_DISABLED] = {
		.name = "intx-lazy-disabled",
		.doc = "a level INTx line asserted while its irq is disabled but not masked (a lazy disable_irq())",
		.watched_by = K(CHECK_DEVICE_STALL) | K(CHECK_STORM),
		.needs = CHECK_HAVE_INTX,
	},
	[CHECK_WIN_REMOTE_IRR_PENDING] = {
		.name = "remote-irr-pending",
		.doc = "a level pin of QEMU's IOAPIC asserted with Remote IRR set: the guest's EOI must reach QEMU before it is delivered again",
		.watched_by = K(CHECK_LOST_EOI) | K(CHECK_DEVICE_STALL),
		.needs = CHECK_HAVE_IOAPIC,
	},
	[CHECK_WIN_EFD_REF_IN_FLIGHT] = {
		.name = "efd-ref-in-flight",
		.doc = "an eventfd reference taken and not yet held by its context, or dropped by it and not yet put: an error path now must put it",
		.watched_by = K(CHECK_EVENTFD_LEAK),
		.needs = CHECK_HAVE_MSI | CHECK_HAVE_VFIO,
	},
	[CHECK_WIN_OLD_VECTOR_HELD] = {
		.name = "old-vector-held",
		.doc = "an irq holds the old vector of a move besides its own, until the cleanup or the deactivation frees it",
		.watched_by = K(CHECK_VECTOR_LEAK),
		.needs = CHECK_HAVE_HOST_MOVE,
	},
	[CHECK_WIN_HALF_SET_UP] = {
		.name = "half-set-up",
		.doc = "IRQ_DISABLE_UNLAZY on an irq with no action yet, or a VFIO context on a device of no interrupt type: a failure now must undo it",
		.watched_by = K(CHECK_STATE_LEAK),
		.needs = CHECK_HAVE_INTX,
	},
	[CHECK_WIN_TRIGGER_NO_ACTION] = {
		.name = "trigger-no-action",
		.doc = "a VFIO MSI-X context whose trigger no action of its irq carries (freed or swapped): its free_irq() or irq_update_devid() now warns",
		.watched_by = K(CHECK_KERNEL_WARNING),
		.needs = CHECK_HAVE_MSI | CHECK_HAVE_VFIO,
	},
	[CHECK_WIN_MASKED_BUT_ENABLED] = {
		.name = "masked-but-enabled",
		.doc = "a VFIO INTx context without DisINTx marked masked while its irq is enabled (depth 0): an unmask's enable_irq() now is unbalanced",
		.watched_by = K(CHECK_KERNEL_WARNING),
		.needs = CHECK_HAVE_INTX,
	},
	[CHECK_WIN_LIVE_NO_TRIGGER] = {
		.name = "live-no-trigger",
		.doc = "a vector QEMU uses and the guest left unmasked with no host trigger (a SET_IRQS of it under way): a failure now leaves it without one",
		.watched_by = K(CHECK_NO_PATH) | K(CHECK_GUEST_STOPPED),
		.needs = CHECK_HAVE_MSI | CHECK_HAVE_VFIO,
	},
	[CHECK_WIN_IRTE_STALE] = {
		.name = "irte-stale",
		.doc = "a posted IRTE that no longer matches the host's pairing (action, dev_id, irq bypass, KVM route): a post now bypasses the host",
		.watched_by = K(CHECK_STALE_IRTE),
		.needs = CHECK_HAVE_MSI | CHECK_HAVE_VFIO | CHECK_HAVE_POSTED,
	},
	[CHECK_WIN_IOAPIC_ROUTE_STALE] = {
		.name = "ioapic-route-stale",
		.doc = "a guest IOAPIC irq whose RTE write completed for one vCPU while KVM's route still names another",
		.watched_by = K(CHECK_MISROUTED),
		.needs = CHECK_HAVE_IOAPIC,
	},
	[CHECK_WIN_ACTOR_BLOCKED] = {
		.name = "actor-blocked",
		.doc = "an actor blocked on a lock another holds or on a wait another must satisfy: a deadlock is a cycle of these",
		.watched_by = K(CHECK_DEADLOCK),
		.needs = 0,
	},
	[CHECK_WIN_IRR_IN_SERVICE] = {
		.name = "irr-in-service",
		.doc = "a vector pending again, in a CPU's IRR or a vCPU's, while its handler runs with it in service: its EOI lets it in at once",
		.watched_by = K(CHECK_LIVELOCK) | K(CHECK_STORM),
		.needs = 0,
	},
};

const char *check_window_name(int win)
{
	return win >= 0 && win < CHECK_NR_WINDOWS ? windows[win].name : "?";
}

const char *check_window_doc(int win)
{
	return win >= 0 && win < CHECK_NR_WINDOWS ? windows[win].doc : "?";
}

uint32_t check_window_watchers(int win)
{
	return win >= 0 && win < CHECK_NR_WINDOWS ? windows[win].watched_by : 0;
}

int check_window_parse(const char *name)
{
	for (int i = 0; i < CHECK_NR_WINDOWS; i++)
		if (!strcmp(windows[i].name, name))
			return i;
	return -1;
}

uint32_t check_windows_possible(uint32_t have)
{
	uint32_t mask = 0;

	for (int i = 0; i < CHECK_NR_WINDOWS; i++)
		if ((windows[i].needs & have) == windows[i].needs)
			mask |= 1u << i;
	return mask;
}

/*
 * Called after every transition until each window is seen, so a window a
 * trace can open but has not yet opened must cost little: the IRR and
 * status summaries are read only when a window that needs them is
 * wanted, and most states have no interrupt latched and no event unread.
 */
#define IRR_WINDOWS (1u << CHECK_WIN_IRR_NO_HANDLER | \
		     1u << CHECK_WIN_MOVE_IN_FLIGHT)

uint32_t check_windows(const void *world, const struct irqsim_rt *rt,
		       uint32_t want)
{
	const struct vmm_world *w = world;
	const struct vmm_machine *m = rt->model_data;
	const struct apic_world *aw = apic_of(w);
	uint32_t open = 0;

	if (want & IRR_WINDOWS) {
		uint32_t irr = 0;

		for (int cpu = 0; cpu < aw->nr_cpus; cpu++)
			for (int i = FIRST_EXTERNAL_VECTOR / 32;
			     i < APIC_IRR_WORDS; i++)
				irr |= aw->cpu[cpu].lapic.irr[i];
		if (!irr)
			want &= ~IRR_WINDOWS;
	}
	if (want & 1u << CHECK_WIN_RAISE_MASKED) {
		uint32_t status = 0;

		for (int d = 0; d < w->vfio.msi.ndev; d++)
			status |= w->vfio.msi.dev[d].status;
		if (!status)
			want &= ~(1u << CHECK_WIN_RAISE_MASKED);
	}
	/* a switch, not the table's pointers: the tests inline here */
	while (want) {
		int i = __builtin_ctz(want);
		bool is_open;

		want &= want - 1;
		switch (i) {
		case CHECK_WIN_IRR_NO_HANDLER:
			is_open = irr_no_handler(w, m);
			break;
		case CHECK_WIN_RAISE_MASKED:
			is_open = raise_masked(w, m);
			break;
		case CHECK_WIN_STALE_MESSAGE:
			is_open = stale_message(w, m);
			break;
		case CHECK_WIN_MOVE_IN_FLIGHT:
			is_open = move_in_flight(w, m);
			break;
		case CHECK_WIN_OFFLINE_PENDING:
			is_open = offline_pending(w, m);
			break;
		case CHECK_WIN_MSIX_OFF_LIVE:
			is_open = msix_off_live(w, m);
			break;
		case CHECK_WIN_INTX_LAZY_DISABLED:
			is_open = intx_lazy_disabled(w, m);
			break;
		case CHECK_WIN_REMOTE_IRR_PENDING:
			is_open = remote_irr_pending(w, m);
			break;
		case CHECK_WIN_EFD_REF_IN_FLIGHT:
			is_open = efd_ref_in_flight(w, m);
			break;
		case CHECK_WIN_OLD_VECTOR_HELD:
			is_open = old_vector_held(w, m);
			break;
		case CHECK_WIN_HALF_SET_UP:
			is_open = half_set_up(w, m);
			break;
		case CHECK_WIN_TRIGGER_NO_ACTION:
			is_open = trigger_no_action(w, m);
			break;
		case CHECK_WIN_MASKED_BUT_ENABLED:
			is_open = masked_but_enabled(w, m);
			break;
		case CHECK_WIN_LIVE_NO_TRIGGER:
			is_open = live_no_trigger(w, m);
			break;
		case CHECK_WIN_IRTE_STALE:
			is_open = irte_stale(w, m);
			break;
		case CHECK_WIN_IOAPIC_ROUTE_STALE:
			is_open = ioapic_route_stale(w, m);
			break;
		case CHECK_WIN_ACTOR_BLOCKED:
			is_open = actor_blocked(w, m);
			break;
		case CHECK_WIN_IRR_IN_SERVICE:
			is_open = irr_in_service(w, m);
			break;
		default:
			is_open = false;
			break;
		}
		if (is_open)
			open |= 1u << i;
	}
	return open;
}

size_t check_windows_format(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < CHECK_NR_WINDOWS; i++) {
		int k;

		if (!(mask & (1u << i)))
			continue;
		k = snprintf(buf + n, len > n ? len - n : 0, "%s%s",
			     n ? "," : "", windows[i].name);
		if (k > 0)
			n += (size_t)k;
	}
	return n;
}
