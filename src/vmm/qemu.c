// SPDX-License-Identifier: MIT
/*
 * Models QEMU hw/vfio/pci.c (vfio_msix_vector_do_use,
 * vfio_msix_vector_release, vfio_msi_interrupt, vfio_msix_enable /
 * vfio_enable_vectors), hw/pci/msix.c (msix_table_mmio_write,
 * msix_handle_mask_update, msix_notify) and KVM's irqfd_wakeup
 * (virt/kvm/eventfd.c: MSI routes inject synchronously in the wakeup).
 *
 * The guest masks an MSI-X entry around every message change; QEMU then
 * swaps the host trigger from the KVM irqfd to its own eventfd (release)
 * and back (use), so it can emulate the PBA. Each swap is a
 * VFIO_DEVICE_SET_IRQS, i.e. free_irq() + request_irq() on the host.
 */
#include "vmm/internal.h"

#include <errno.h>

int vmm_knob_reinject;
int fn_vfio_set_irqs;
int fn_qemu_vfio_msix_enable;
static int fn_vfio_msix_vector_use;
static int fn_vfio_msix_vector_release;
int fn_msix_table_mmio_write;
int fn_vfio_msi_interrupt;

static const char *const off_on[] = { "off", "on", NULL };

static const struct irqsim_knob knob_reinject = {
	.name = "vmm_reinject",
	.doc = "tglx's workaround from seeds/000 (never merged): QEMU "
	       "vfio_msix_vector_do_use()/vfio_msix_vector_release() call "
	       "msix_notify() unconditionally after VFIO_DEVICE_SET_IRQS "
	       "returns (a masked vector gets its PBA bit instead)",
	.def = 0,
	.max = 1,
	.values = off_on,
};

bool qemu_msix_is_masked(const struct vmm_world *w, int dev, int vec)
{
	const struct qemu_vfio_dev *q = &w->qdev[dev];

	return !q->msix_enabled ||
	       (q->v[vec].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
		PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

/* kvm_set_msi(): decode the guest message and set the vCPU's vIRR. */
static void kvm_deliver_msi(struct irqsim_ctx *ctx, uint32_t addr_lo,
			    uint32_t data, const char *via)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct vmm_machine *m = vmm_machine(ctx);
	int vcpu = (int)((addr_lo >> MSI_ADDR_DEST_SHIFT) & 0xff);
	int idx = (int)(data & 0xff) - GUEST_VECTOR_BASE;

	if ((addr_lo & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE_LO ||
	    vcpu >= m->nr_vcpus || idx < 0 || idx >= IRQSIM_MAX_GSIS) {
		w->guest.lost_no_route++;
		IRQSIM_EVENT(ctx, true, "kvm_set_msi",
			     "%s: message %#x/%#x has no guest target, dropped",
			     via, addr_lo, data);
		IRQSIM_TRACE(ctx, "kvm_set_msi",
			     "via=%s address_lo=%#x data=%#x dropped=1", via,
			     addr_lo, data);
		return;
	}
	w->vcpu[vcpu].virr |= 1u << idx;
	IRQSIM_EVENT(ctx, true, "kvm_set_msi",
		     "%s: guest vector %#x pending on vcpu%d", via,
		     data & 0xff, vcpu);
	IRQSIM_TRACE(ctx, "kvm_set_msi", "via=%s vcpu=%d vector=%#x", via,
		     vcpu, data & 0xff);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_VIRR, vcpu, idx),
		      IRQSIM_ACC_WRITE);
}

/* irqfd_wakeup(): read the eventfd and inject through the MSI route. */
void vmm_irqfd_wakeup(struct irqsim_ctx *ctx, int efd)
{
	struct vmm_world *w = vmm_w(ctx);
	struct eventfd_ctx *e = &w->vfio.efd[efd];
	const struct kvm_msi_route *r;

	e->count = 0;
	if (e->irqfd >= IRQSIM_MAX_GSIS) {
		/* a level GSI with a resampler: the device's INTx */
		vmm_kvm_intx_inject(ctx, e->irqfd - IRQSIM_MAX_GSIS);
		return;
	}
	r = &w->route[e->irqfd];
	if (!r->valid) {
		w->guest.lost_no_route++;
		IRQSIM_EVENT(ctx, true, "irqfd_wakeup",
			     "efd%d: gsi %d has no route", efd, e->irqfd);
		IRQSIM_TRACE(ctx, "irqfd_wakeup", "efd=%d gsi=%d route=0", efd,
			     e->irqfd);
		return;
	}
	kvm_deliver_msi(ctx,
			MSI_ADDR_BASE_LO | (uint32_t)r->vcpu
						   << MSI_ADDR_DEST_SHIFT,
			GUEST_VECTOR_BASE + r->idx, "irqfd");
	kvm_note_injection(ctx, r->idx, false);
}

/* msix_notify(): masked -> PBA bit; unmasked -> MSI to the guest. */
void msix_notify(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];

	if (qemu_msix_is_masked(w, dev, vec)) {
		qv->pba = 1;
		IRQSIM_EVENT(ctx, true, "msix_notify",
			     "dev%d vector %d masked in the guest: PBA set",
			     dev, vec);
		IRQSIM_TRACE(ctx, "msix_notify", "dev=%d vector=%d pba=1", dev,
			     vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, vec),
			      IRQSIM_ACC_READ);
		return;
	}
	kvm_deliver_msi(ctx, qv->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
			qv->dw[PCI_MSIX_ENTRY_DATA], "msix_notify");
}

/* The tglx workaround: inject after SET_IRQS returned. */
static void vmm_reinject(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct vmm_world *w = vmm_w(ctx);

	if (!irqsim_knob(ctx, vmm_knob_reinject))
		return;
	w->qdev[dev].v[vec].reinjected++;
	IRQSIM_EVENT(ctx, true, "vmm_reinject",
		     "dev%d vector %d: inject after VFIO_DEVICE_SET_IRQS", dev,
		     vec);
	IRQSIM_TRACE(ctx, "vmm_reinject", "dev=%d vector=%d", dev, vec);
	msix_notify(ctx, dev, vec);
}

enum { SETIRQS_CALL, SETIRQS_DONE };

/*
 * vfio_set_irqs: QEMU's ioctl(VFIO_DEVICE_SET_IRQS, ACTION_TRIGGER |
 * DATA_EVENTFD) for one MSI-X vector. @arg0 dev, @arg1 vector, @arg2
 * eventfd (-1: none). Errors are only reported (error_report), as QEMU
 * does; QEMU never retries.
 */
static enum irqsim_step vfio_set_irqs(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);

	if (f->pc == SETIRQS_CALL) {
		f->pc = SETIRQS_DONE;
		return irqsim_call(
			ctx, fn_vfio_pci_ioctl_set_irqs, f->arg[0],
			vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
						VFIO_IRQ_SET_ACTION_TRIGGER |
							VFIO_IRQ_SET_DATA_EVENTFD),
			vfio_set_irqs_arg_range(f->arg[1], 1), f->arg[2]);
	}
	if (f->ret < 0) {
		w->setirqs_failed_reported++;
		IRQSIM_EVENT(ctx, true, "error_report",
			     "vfio: failed to set MSI-X vector %d signal: %d",
			     f->arg[1], f->ret);
		IRQSIM_TRACE(ctx, "error_report", "dev=%d vector=%d ret=%d",
			     f->arg[0], f->arg[1], f->ret);
	}
	return irqsim_return(ctx, f->ret);
}

/*
 * vfio_msix_vector_do_use() for an unmask: route first (add, or update
 * from the guest's current message), then SET_IRQS with the KVM eventfd
 * (or QEMU's when there is no route), then clear the PBA shadow.
 * @arg0 dev, @arg1 vector.
 */
static enum irqsim_step vfio_msix_vector_use(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];
	struct qemu_vfio_dev *q = &w->qdev[dev];
	struct qemu_msix_vector *qv = &q->v[vec];
	int gsi = dev * IRQSIM_MAX_VECS + vec;

	switch (f->pc) {
	case 0:
		if (!qv->use) {
			qv->use = 1;
			qv->virq = -1;
		}
		w->route[gsi].vcpu = (uint8_t)((qv->dw[PCI_MSIX_ENTRY_LOWER_ADDR] >>
						MSI_ADDR_DEST_SHIFT) &
					       0xff);
		w->route[gsi].idx =
			(uint8_t)(qv->dw[PCI_MSIX_ENTRY_DATA] - GUEST_VECTOR_BASE);
		w->route[gsi].valid = 1;
		if (qv->virq >= 0) {
			/* kvm_irq_routing_update(): a posted IRTE follows */
			kvm_irq_routing_update(ctx, gsi);
			IRQSIM_EVENT(ctx, true, "vfio_msix_vector_do_use",
				     "dev%d vector %d: kvm_irqchip_update_msi_route(gsi %d -> vcpu%d)",
				     dev, vec, gsi, w->route[gsi].vcpu);
			IRQSIM_TRACE(ctx, "vfio_msix_vector_do_use",
				     "dev=%d vector=%d gsi=%d vcpu=%d update=1",
				     dev, vec, gsi, w->route[gsi].vcpu);
			IRQSIM_ACCESS(ctx,
				      IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, vec),
				      IRQSIM_ACC_READ);
		} else {
			/* vfio_add_kvm_msi_virq + vfio_connect_kvm_msi_virq */
			struct eventfd_ctx *e =
				&w->vfio.efd[qemu_kvm_efd(dev, vec)];

			qv->virq = (int8_t)gsi;
			e->irqfd = (int8_t)gsi;
			e->refs++;
			kvm_irqfd_register_consumer(ctx, qemu_kvm_efd(dev, vec),
						    gsi);
			IRQSIM_EVENT(ctx, true, "vfio_msix_vector_do_use",
				     "dev%d vector %d: KVM route gsi %d -> vcpu%d, irqfd on efd%d",
				     dev, vec, gsi, w->route[gsi].vcpu,
				     qemu_kvm_efd(dev, vec));
			IRQSIM_TRACE(ctx, "vfio_msix_vector_do_use",
				     "dev=%d vector=%d gsi=%d vcpu=%d irqfd=%d",
				     dev, vec, gsi, w->route[gsi].vcpu,
				     qemu_kvm_efd(dev, vec));
			IRQSIM_ACCESS(ctx,
				      IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, vec),
				      IRQSIM_ACC_READ);
		}
		if (q->nr_vectors < vec + 1)
			q->nr_vectors = (uint8_t)(vec + 1);
		f->pc = 1;
		return IRQSIM_YIELD;
	case 1:
		f->pc = 2;
		return irqsim_call(ctx, fn_vfio_set_irqs, dev, vec,
				   qv->virq >= 0 ? qemu_kvm_efd(dev, vec) :
						   qemu_interrupt_efd(dev, vec),
				   0);
	default:
		vmm_reinject(ctx, dev, vec);
		return irqsim_return(ctx, 0);
	}
}

/*
 * vfio_msix_vector_release(): with a KVM route, point the host trigger at
 * QEMU's own eventfd so a masked vector's interrupts reach the PBA
 * emulation; the route stays. @arg0 dev, @arg1 vector.
 */
static enum irqsim_step vfio_msix_vector_release(struct irqsim_ctx *ctx,
						 struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];

	if (f->pc == 0) {
		if (w->qdev[dev].v[vec].virq < 0) {
			w->qdev[dev].v[vec].released = 1;
			return irqsim_return(ctx, 0);
		}
		f->pc = 1;
		return irqsim_call(ctx, fn_vfio_set_irqs, dev, vec,
				   qemu_interrupt_efd(dev, vec), 0);
	}
	/* done, whatever the ioctl returned: QEMU does not retry */
	w->qdev[dev].v[vec].released = 1;
	vmm_reinject(ctx, dev, vec);
	return irqsim_return(ctx, 0);
}

/*
 * msix_table_mmio_write() + msix_handle_mask_update(): store the dword; if
 * the mask state changed, fire the vector notifier (release on mask, use
 * on unmask), then replay a pending PBA bit on unmask.
 * @arg0 dev, @arg1 vector, @arg2 dword index, @arg3 value.
 */
static enum irqsim_step msix_table_mmio_write(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];
	struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];
	bool was_masked;

	switch (f->pc) {
	case 0:
		was_masked = qemu_msix_is_masked(w, dev, vec);
		qv->dw[f->arg[2]] = (uint32_t)f->arg[3];
		f->local[0] = qemu_msix_is_masked(w, dev, vec);
		IRQSIM_EVENT(ctx, true, "msix_table_mmio_write",
			     "guest dev%d msix[%d].dw%d = %#x", dev, vec,
			     f->arg[2], (uint32_t)f->arg[3]);
		IRQSIM_TRACE(ctx, "msix_table_mmio_write",
			     "dev=%d entry=%d dword=%d value=%#x", dev, vec,
			     f->arg[2], (uint32_t)f->arg[3]);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, vec),
			      IRQSIM_ACC_WRITE);
		f->pc = 1;
		if (!f->local[0])
			qv->released = 0;
		if (was_masked != (bool)f->local[0])
			irqsim_call(ctx,
				    f->local[0] ? fn_vfio_msix_vector_release :
						  fn_vfio_msix_vector_use,
				    dev, vec, 0, 0);
		else
			f->pc = 2;
		return IRQSIM_YIELD;
	case 1:
		if (!f->local[0] && qv->pba) {
			qv->pba = 0;
			IRQSIM_EVENT(ctx, true, "msix_handle_mask_update",
				     "dev%d vector %d unmasked with PBA set: msix_notify",
				     dev, vec);
			IRQSIM_TRACE(ctx, "msix_handle_mask_update",
				     "dev=%d vector=%d pba=1", dev, vec);
			msix_notify(ctx, dev, vec);
			return irqsim_return_yield(ctx, 0);
		}
		/* fall through */
	default:
		return irqsim_return(ctx, 0);
	}
}

/*
 * vfio_msi_interrupt(): QEMU's main loop read its eventfd. A masked vector
 * gets its pending bit; an unmasked one goes to the guest.
 * @arg0 dev, @arg1 vector.
 */
static enum irqsim_step vfio_msi_interrupt(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];

	w->vfio.efd[qemu_interrupt_efd(dev, vec)].count = 0;
	IRQSIM_EVENT(ctx, true, "vfio_msi_interrupt",
		     "dev%d vector %d: event_notifier_test_and_clear", dev, vec);
	IRQSIM_TRACE(ctx, "vfio_msi_interrupt", "dev=%d vector=%d efd=%d", dev,
		     vec, qemu_interrupt_efd(dev, vec));
	IRQSIM_ACCESS(ctx,
		      IRQSIM_OBJ(VFIO_OBJ_EVENTFD, qemu_interrupt_efd(dev, vec),
				 0),
		      IRQSIM_ACC_RMW);
	msix_notify(ctx, dev, vec);
	return irqsim_return_yield(ctx, 0);
}

/*
 * qemu_vfio_msix_enable: the guest driver programmed @arg1 entries (dest
 * vCPU @arg2, unmasked) and enabled MSI-X; QEMU's vfio_msix_enable() adds
 * a KVM route and irqfd for each (deferred batch) and enables them with
 * one SET_IRQS (vfio_enable_vectors). @arg0 dev.
 */
static enum irqsim_step qemu_vfio_msix_enable(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], nvec = f->arg[1];
	struct qemu_vfio_dev *q = &w->qdev[dev];

	if (f->pc == 0) {
		for (int v = 0; v < nvec; v++) {
			struct qemu_msix_vector *qv = &q->v[v];
			int gsi = dev * IRQSIM_MAX_VECS + v;
			struct eventfd_ctx *e = &w->vfio.efd[qemu_kvm_efd(dev, v)];

			qv->dw[PCI_MSIX_ENTRY_LOWER_ADDR] =
				MSI_ADDR_BASE_LO |
				(uint32_t)f->arg[2] << MSI_ADDR_DEST_SHIFT;
			qv->dw[PCI_MSIX_ENTRY_DATA] = GUEST_VECTOR_BASE + gsi;
			qv->dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
			qv->use = 1;
			qv->virq = (int8_t)gsi;
			w->route[gsi] = (struct kvm_msi_route){
				.valid = 1,
				.vcpu = (uint8_t)f->arg[2],
				.idx = (uint8_t)gsi,
			};
			e->irqfd = (int8_t)gsi;
			e->refs++;
			kvm_irqfd_register_consumer(ctx, qemu_kvm_efd(dev, v),
						    gsi);
			w->vfio.ioctl_fds[ctx->actor][v] =
				(int8_t)qemu_kvm_efd(dev, v);
		}
		q->nr_vectors = (uint8_t)nvec;
		q->msix_enabled = 1;
		f->pc = 1;
		return irqsim_call(
			ctx, fn_vfio_pci_ioctl_set_irqs, dev,
			vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
						VFIO_IRQ_SET_ACTION_TRIGGER |
							VFIO_IRQ_SET_DATA_EVENTFD),
			vfio_set_irqs_arg_range(0, nvec), VFIO_FDS_IN_BUFFER);
	}
	if (f->ret < 0)
		w->setirqs_failed_reported++;
	return irqsim_return(ctx, f->ret);
}

void vmm_register_qemu(void)
{
	vmm_knob_reinject = irqsim_knob_register(&knob_reinject);
	fn_vfio_set_irqs = irqsim_fn_register("vfio_set_irqs", vfio_set_irqs);
	fn_vfio_msix_vector_use =
		irqsim_fn_register("vfio_msix_vector_use", vfio_msix_vector_use);
	fn_vfio_msix_vector_release = irqsim_fn_register(
		"vfio_msix_vector_release", vfio_msix_vector_release);
	fn_msix_table_mmio_write = irqsim_fn_register("msix_table_mmio_write",
						      msix_table_mmio_write);
	fn_vfio_msi_interrupt =
		irqsim_fn_register("vfio_msi_interrupt", vfio_msi_interrupt);
	fn_qemu_vfio_msix_enable = irqsim_fn_register("qemu_vfio_msix_enable",
						      qemu_vfio_msix_enable);
}
