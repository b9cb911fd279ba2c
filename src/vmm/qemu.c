// SPDX-License-Identifier: MIT
/*
 * Models QEMU hw/vfio/pci.c (vfio_msix_vector_do_use,
 * vfio_msix_vector_release, vfio_msi_interrupt, vfio_msix_enable /
 * vfio_enable_vectors), hw/pci/msix.c (msix_table_mmio_write,
 * msix_handle_mask_update, msix_notify) and KVM's irqfd_wakeup
 * (virt/kvm/eventfd.c: MSI routes inject synchronously in the wakeup).
 *
 * MSI-X growth (seeds/002): a vector the guest unmasks beyond the ones
 * the host has (nr_vectors) is added by disabling the whole MSI-X index
 * and enabling it again with one more (NORESIZE: QEMU before 8.2, or a
 * kernel without dynamic MSI-X), or with one SET_IRQS for that vector
 * (QEMU 8.2+ on a v6.5+ kernel: pci_msix_alloc_irq_at()). Kevin Tian's
 * steps 4a/4b, and what tglx answers:
 *
 *   vCPU (QEMU, vfio_msix_vector_do_use)   device, vector 0 live
 *   4a SET_IRQS(MSIX, count 0)
 *      vfio_msi_disable()
 *        free_irq(vector 0)
 *        pci_free_irq_vectors()
 *          MSI-X enable = 0                 event on vector 0:
 *                                           no MSI-X: INTx, or nothing
 *   4b SET_IRQS(MSIX, 0..1, fds)
 *      vfio_msi_enable(): MSI-X enable = 1
 *      request_irq(vector 0), request_irq(vector 1)
 *                                           waits for an ack forever
 *
 * The guest masks an MSI-X entry around every message change; QEMU then
 * swaps the host trigger from the KVM irqfd to its own eventfd (release)
 * and back (use), so it can emulate the PBA. Each swap is a
 * VFIO_DEVICE_SET_IRQS, i.e. free_irq() + request_irq() on the host.
 */
#include "vmm/internal.h"

#include <errno.h>

static const char *const off_on[] = { "off", "on", NULL };

int vmm_knob_reinject;
int vmm_knob_msix_dynamic;
int vmm_knob_msix_enable_nofd;
int vmm_knob_setirqs_error;
int fn_vfio_set_irqs;
int fn_qemu_set_irqs;
int fn_vfio_msix_enable;
static int fn_vfio_disable_irqindex;
static int fn_vfio_enable_vectors;
int fn_qemu_vfio_msix_enable;
static int fn_vfio_msix_vector_use;
static int fn_vfio_msix_vector_release;
int fn_msix_table_mmio_write;
int fn_msix_write_config;
int fn_vfio_msi_interrupt;

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

static const struct irqsim_knob knob_msix_dynamic = {
	.name = "vmm_msix_dynamic",
	.doc = "QEMU 8.2 (45d85f622811 + d9e6710d7d59, Jing Liu's dynamic "
	       "MSI-X series): vfio_msix_vector_do_use() reads "
	       "VFIO_IRQ_INFO_NORESIZE and, without it, adds a vector with one "
	       "SET_IRQS; off: every growth disables the MSI-X index and "
	       "enables it again with one vector more",
	.def = 1,
	.max = 1,
	.values = off_on,
};

static const struct irqsim_knob knob_msix_enable_nofd = {
	.name = "vmm_msix_enable_nofd",
	.doc = "QEMU 8.2 (5ebffa4e87e7 \"vfio/pci: use an invalid fd to enable "
	       "MSI-X\"): vfio_msix_enable() with no unmasked vector enables "
	       "MSI-X on the host with vector 0 and fd -1; off: vector 0 is "
	       "enabled with QEMU's eventfd (do_use + release)",
	.def = 1,
	.max = 1,
	.values = off_on,
};

static const char *const log_stop[] = { "log", "stop", NULL };

static const struct irqsim_knob knob_setirqs_error = {
	.name = "vmm_setirqs_error",
	.doc = "what QEMU does when VFIO_DEVICE_SET_IRQS fails for a vector "
	       "the guest unmasked: log (error_report() and carry on, as "
	       "vfio_msix_vector_do_use() does) or stop (vm_stop(): the "
	       "well-defined outcome tglx asks for in seeds/002, not in QEMU)",
	.def = VMM_SETIRQS_ERROR_LOG,
	.max = VMM_SETIRQS_ERROR_STOP,
	.values = log_stop,
};

/*
 * A SET_IRQS for vector @vec failed (or, for a whole block, returned a
 * count): QEMU reports it; with the stop policy the VM stops here, since
 * the guest has passed all its failure points and cannot be told.
 */
enum qemu_setirqs_call {
	SETIRQS_SIGNAL,		/* one vector (set_irq_signalling) */
	SETIRQS_ENABLE,		/* vfio_enable_vectors() of a growth */
	SETIRQS_MSIX_ENABLE,	/* vfio_msix_enable() */
};

static void qemu_setirqs_failed(struct irqsim_ctx *ctx, int dev, int vec,
				int ret, enum qemu_setirqs_call call)
{
	struct vmm_world *w = vmm_w(ctx);

	w->setirqs_failed_reported++;
	if (call == SETIRQS_SIGNAL)
		IRQSIM_EVENT(ctx, true, "error_report",
			     "vfio: failed to set MSI-X vector %d signal: %d",
			     vec, ret);
	else
		IRQSIM_EVENT(ctx, true, "error_report",
			     "vfio: failed to enable %s, %d (dev%d vector %d)",
			     call == SETIRQS_ENABLE ? "vectors" : "MSI-X", ret,
			     dev, vec);
	IRQSIM_TRACE(ctx, "error_report", "dev=%d vector=%d ret=%d", dev, vec,
		     ret);
	/*
	 * The stop is for a vector the guest unmasked (seeds/002, tglx's
	 * #1: guest::unmask() traps, and the guest has passed all its
	 * failure points). A failure on the mask side, QEMU's release
	 * swapping the trigger to its own eventfd, is only logged: the
	 * guest expects no interrupt there until it unmasks, and that
	 * unmask's own SET_IRQS is judged then.
	 */
	if (irqsim_knob(ctx, vmm_knob_setirqs_error) != VMM_SETIRQS_ERROR_STOP ||
	    w->guest_stopped || !w->qdev[dev].v[vec].use ||
	    qemu_msix_is_masked(w, dev, vec))
		return;
	w->guest_stopped = 1;
	w->stop_dev = (int8_t)dev;
	w->stop_vec = (int8_t)vec;
	w->stop_ret = (int16_t)ret;
	w->stop_step = w->vfio.msi.irq.apic.sched.step;
	IRQSIM_EVENT(ctx, true, "vm_stop",
		     "host cannot set up dev%d vector %d (%d): the VM is stopped",
		     dev, vec, ret);
	IRQSIM_TRACE(ctx, "vm_stop", "dev=%d vector=%d ret=%d", dev, vec, ret);
}

/*
 * msix_vector_masked(): the entry's mask bit, or the function mask
 * (msix_update_function_masked(): MSI-X disabled, or MASKALL set).
 */
static bool qemu_msix_vector_masked(const struct vmm_world *w, int dev,
				    int vec, bool fmask)
{
	return fmask || (w->qdev[dev].v[vec].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
			 PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static bool qemu_msix_function_masked(const struct vmm_world *w, int dev)
{
	return !w->qdev[dev].msix_enabled || w->qdev[dev].maskall;
}

/* msix_is_masked() */
bool qemu_msix_is_masked(const struct vmm_world *w, int dev, int vec)
{
	return qemu_msix_vector_masked(w, dev, vec,
				       qemu_msix_function_masked(w, dev));
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
	/* a dead vCPU's vIRR: the loss is inevitable from here (check_lost) */
	if (w->vcpu[vcpu].offline)
		w->vcpu[vcpu].dead_virr_step[idx] = w->vfio.msi.irq.apic.sched.step;
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
	if (f->pc == SETIRQS_CALL) {
		f->pc = SETIRQS_DONE;
		return irqsim_call(
			ctx, fn_vfio_pci_ioctl_set_irqs, f->arg[0],
			vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
						VFIO_IRQ_SET_ACTION_TRIGGER |
							VFIO_IRQ_SET_DATA_EVENTFD),
			vfio_set_irqs_arg_range(f->arg[1], 1), f->arg[2]);
	}
	if (f->ret < 0)
		qemu_setirqs_failed(ctx, f->arg[0], f->arg[1], f->ret,
				    SETIRQS_SIGNAL);
	return irqsim_return(ctx, f->ret);
}

/*
 * qemu_set_irqs: the trace's own vfio_set_irqs operation, a bare trigger
 * switch by QEMU (vfio_set_irqs()). With tglx's workaround
 * (vmm_reinject=on) QEMU injects the vector after it, as after the
 * SET_IRQS of its vector use and release paths, so the workaround can be
 * judged on a bare switch too. @arg0 dev, @arg1 vector, @arg2 eventfd.
 */
static enum irqsim_step qemu_set_irqs(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	int dev = f->arg[0], vec = f->arg[1];

	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, fn_vfio_set_irqs, dev, vec, f->arg[2],
				   0);
	}
	/* a vector QEMU does not use has no guest entry to inject by */
	if (vec < IRQSIM_MAX_VECS && vmm_w(ctx)->qdev[dev].v[vec].use)
		vmm_reinject(ctx, dev, vec);
	return irqsim_return(ctx, f->ret);
}

/*
 * vfio_disable_irqindex(): SET_IRQS(MSI-X, TRIGGER | DATA_NONE, 0, 0),
 * i.e. the kernel's vfio_msi_disable(). QEMU ignores the result.
 * @arg0 dev.
 */
static enum irqsim_step vfio_disable_irqindex(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(
			ctx, fn_vfio_pci_ioctl_set_irqs, f->arg[0],
			vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
						VFIO_IRQ_SET_ACTION_TRIGGER |
							VFIO_IRQ_SET_DATA_NONE),
			vfio_set_irqs_arg_range(0, 0), -1);
	}
	return irqsim_return(ctx, 0);
}

/* The fd vfio_enable_vectors() passes for a vector (-1: not in use). */
static int qemu_vector_fd(const struct vmm_world *w, int dev, int vec)
{
	const struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];

	if (!qv->use)
		return -1;
	if (qv->virq < 0 || qemu_msix_is_masked(w, dev, vec))
		return qemu_interrupt_efd(dev, vec);
	return qemu_kvm_efd(dev, vec);
}

enum { EV_NO_VEC, EV_BLOCK, EV_DONE };

/*
 * vfio_enable_vectors(vdev, msix = true): with dynamic MSI-X (QEMU 8.2+
 * and no NORESIZE) first vfio_enable_msix_no_vec() (vector 0, fd -1), then
 * one SET_IRQS with an fd for each of vectors 0..nr_vectors-1: -1 unused,
 * QEMU's eventfd without a KVM route or while masked, else the KVM irqfd.
 * @arg0 dev. Return: the ioctl's (0, -errno, or a vector count).
 */
static enum irqsim_step vfio_enable_vectors(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0];
	int n = w->qdev[dev].nr_vectors;

	switch (f->pc) {
	case EV_NO_VEC:
		f->pc = EV_BLOCK;
		if (irqsim_knob(ctx, vmm_knob_msix_dynamic) &&
		    !vfio_pci_msix_noresize(ctx))
			return irqsim_call(
				ctx, fn_vfio_pci_ioctl_set_irqs, dev,
				vfio_set_irqs_arg_flags(
					VFIO_PCI_MSIX_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_EVENTFD),
				vfio_set_irqs_arg_range(0, 1), -1);
		f->ret = 0;
		/* fall through */
	case EV_BLOCK:
		if (f->ret)
			return irqsim_return(ctx, f->ret);
		for (int v = 0; v < n; v++)
			w->vfio.ioctl_fds[ctx->actor][v] =
				(int8_t)qemu_vector_fd(w, dev, v);
		f->pc = EV_DONE;
		return irqsim_call(
			ctx, fn_vfio_pci_ioctl_set_irqs, dev,
			vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
						VFIO_IRQ_SET_ACTION_TRIGGER |
							VFIO_IRQ_SET_DATA_EVENTFD),
			vfio_set_irqs_arg_range(0, n), VFIO_FDS_IN_BUFFER);
	case EV_DONE:
	default:
		return irqsim_return(ctx, f->ret);
	}
}

/* Route a vector through KVM: add, or update from the guest's message. */
static void qemu_route_vector(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];
	int gsi = dev * IRQSIM_MAX_VECS + vec;

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
			     "dev=%d vector=%d gsi=%d vcpu=%d update=1", dev,
			     vec, gsi, w->route[gsi].vcpu);
	} else {
		/* vfio_add_kvm_msi_virq + vfio_connect_kvm_msi_virq */
		struct eventfd_ctx *e = &w->vfio.efd[qemu_kvm_efd(dev, vec)];

		qv->virq = (int8_t)gsi;
		e->irqfd = (int8_t)gsi;
		e->refs++;
		kvm_irqfd_register_consumer(ctx, qemu_kvm_efd(dev, vec), gsi);
		IRQSIM_EVENT(ctx, true, "vfio_msix_vector_do_use",
			     "dev%d vector %d: KVM route gsi %d -> vcpu%d, irqfd on efd%d",
			     dev, vec, gsi, w->route[gsi].vcpu,
			     qemu_kvm_efd(dev, vec));
		IRQSIM_TRACE(ctx, "vfio_msix_vector_do_use",
			     "dev=%d vector=%d gsi=%d vcpu=%d irqfd=%d", dev, vec,
			     gsi, w->route[gsi].vcpu, qemu_kvm_efd(dev, vec));
	}
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, vec),
		      IRQSIM_ACC_READ);
}

enum { USE_ROUTE, USE_SET, USE_ENABLE, USE_ENABLED, USE_DONE };

/**
 * vfio_msix_vector_use - vfio_msix_vector_do_use() for an unmask
 * @arg0: dev
 * @arg1: vector
 * @arg2: 1: vfio_msix_enable()'s probe of vector 0 in QEMU before 8.2
 *        (msg and handler NULL: no KVM route)
 *
 * Route first (add, or update from the guest's current message). Then,
 * if the vector lies beyond nr_vectors and the MSI-X index cannot grow
 * (QEMU before 8.2, or NORESIZE), vfio_disable_irqindex() and
 * vfio_enable_vectors() with nr_vectors = vector + 1: every live vector
 * is torn down with the index. Otherwise one SET_IRQS for this vector
 * with the KVM eventfd (QEMU's when there is no route). Errors are
 * reported (vmm_setirqs_error decides whether the VM goes on).
 */
static enum irqsim_step vfio_msix_vector_use(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];
	struct qemu_vfio_dev *q = &w->qdev[dev];
	struct qemu_msix_vector *qv = &q->v[vec];

	switch (f->pc) {
	case USE_ROUTE:
		if (!qv->use) {
			qv->use = 1;
			qv->virq = -1;
		}
		/* resizing = nr_vectors < nr + 1 */
		f->local[0] = q->nr_vectors < vec + 1;
		if (f->local[0])
			q->nr_vectors = (uint8_t)(vec + 1);
		f->pc = USE_SET;
		if (f->arg[2]) {
			IRQSIM_EVENT(ctx, true, "vfio_msix_vector_do_use",
				     "dev%d vector %d: enable-time probe, no route (nr_vectors %u)",
				     dev, vec, q->nr_vectors);
			IRQSIM_TRACE(ctx, "vfio_msix_vector_do_use",
				     "dev=%d vector=%d probe=1 nr_vectors=%u", dev,
				     vec, q->nr_vectors);
			return IRQSIM_YIELD;
		}
		qemu_route_vector(ctx, dev, vec);
		return IRQSIM_YIELD;
	case USE_SET:
		if (f->local[0] && (!irqsim_knob(ctx, vmm_knob_msix_dynamic) ||
				    vfio_pci_msix_noresize(ctx))) {
			IRQSIM_EVENT(ctx, true, "vfio_msix_vector_do_use",
				     "dev%d vector %d beyond the enabled ones: disable MSI-X, enable %u vectors",
				     dev, vec, q->nr_vectors);
			IRQSIM_TRACE(ctx, "vfio_msix_vector_do_use",
				     "dev=%d vector=%d resize=1 nr_vectors=%u", dev,
				     vec, q->nr_vectors);
			f->pc = USE_ENABLE;
			return irqsim_call(ctx, fn_vfio_disable_irqindex, dev, 0,
					   0, 0);
		}
		/* set_irq_signalling(): one vector, nothing else touched */
		f->pc = USE_DONE;
		return irqsim_call(ctx, fn_vfio_set_irqs, dev, vec,
				   qv->virq >= 0 ? qemu_kvm_efd(dev, vec) :
						   qemu_interrupt_efd(dev, vec),
				   0);
	case USE_ENABLE:
		f->pc = USE_ENABLED;
		return irqsim_call(ctx, fn_vfio_enable_vectors, dev, 0, 0, 0);
	case USE_ENABLED:
		if (f->ret)
			qemu_setirqs_failed(ctx, dev, vec, f->ret,
					    SETIRQS_ENABLE);
		/* fall through */
	case USE_DONE:
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

enum { WC_WRITE, WC_VECTOR, WC_NOTIFIED };

/**
 * msix_write_config - the guest wrote the MSI-X Message Control register
 * with the enable bit unchanged: hw/pci/msix.c msix_write_config(), via
 * vfio_pci_write_config() -> pci_default_write_config()
 * @arg0: dev
 * @arg1: the new PCI_MSIX_FLAGS_MASKALL (1: function masked)
 *
 * msix_update_function_masked() first; with MSI-X enabled and the
 * function mask changed, msix_handle_mask_update() for every entry in
 * order, with the effective mask it had before (msix_vector_masked() with
 * the old function mask): each entry whose effective mask changed gets its
 * vector notifier (vfio_msix_vector_release() on mask,
 * vfio_msix_vector_do_use() on unmask: a SET_IRQS each, free_irq() +
 * request_irq() on the host), and on unmask a pending PBA bit is
 * cleared and msix_notify() sends it. The entries' own mask bits are
 * left alone. With MSI-X disabled only the bit is stored.
 * local[0]: the old function mask; local[1]: the entry being handled.
 */
static enum irqsim_step msix_write_config(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->local[1];
	struct qemu_vfio_dev *q = &w->qdev[dev];
	int nvec = w->vfio.msi.dev[dev].nvec;
	bool was, is;

	switch (f->pc) {
	case WC_WRITE:
		f->local[0] = qemu_msix_function_masked(w, dev);
		q->maskall = (uint8_t)!!f->arg[1];
		IRQSIM_EVENT(ctx, true, "msix_write_config",
			     "guest dev%d MSI-X control: function mask %s%s",
			     dev, f->arg[1] ? "set" : "cleared",
			     q->msix_enabled ? "" :
					       " (MSI-X disabled: stored only)");
		IRQSIM_TRACE(ctx, "msix_write_config",
			     "dev=%d maskall=%d enabled=%u", dev, !!f->arg[1],
			     q->msix_enabled);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX_CTRL, dev, 0),
			      IRQSIM_ACC_WRITE);
		if (!q->msix_enabled ||
		    (bool)f->local[0] == qemu_msix_function_masked(w, dev))
			return irqsim_return_yield(ctx, 0);
		/* the effective mask of every entry changed with it */
		for (int v = 0; v < nvec; v++)
			if (qemu_msix_vector_masked(w, dev, v, f->local[0]) !=
			    qemu_msix_is_masked(w, dev, v)) {
				IRQSIM_EVENT(ctx, false, "msix_write_config",
					     "dev%d vector %d now %s", dev, v,
					     f->arg[1] ? "masked" : "unmasked");
				IRQSIM_ACCESS(ctx,
					      IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX,
							 dev, v),
					      IRQSIM_ACC_WRITE);
			}
		f->local[1] = 0;
		f->pc = WC_VECTOR;
		return IRQSIM_YIELD;
	case WC_VECTOR:
		if (vec >= nvec)
			return irqsim_return(ctx, 0);
		was = qemu_msix_vector_masked(w, dev, vec, f->local[0]);
		is = qemu_msix_is_masked(w, dev, vec);
		if (was == is) {
			f->local[1]++;
			return IRQSIM_CONTINUE;
		}
		/* msix_fire_vector_notifier() */
		IRQSIM_EVENT(ctx, true, "msix_handle_mask_update",
			     "dev%d vector %d %s by the function mask: %s",
			     dev, vec, is ? "masked" : "unmasked",
			     is ? "vfio_msix_vector_release" :
				  "vfio_msix_vector_do_use");
		IRQSIM_TRACE(ctx, "msix_handle_mask_update",
			     "dev=%d vector=%d masked=%d function=1", dev, vec,
			     is);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, vec),
			      IRQSIM_ACC_READ);
		if (!is)
			q->v[vec].released = 0;
		f->pc = WC_NOTIFIED;
		irqsim_call(ctx,
			    is ? fn_vfio_msix_vector_release :
				 fn_vfio_msix_vector_use,
			    dev, vec, 0, 0);
		return IRQSIM_YIELD;
	case WC_NOTIFIED:
	default:
		f->local[1]++;
		f->pc = WC_VECTOR;
		if (!qemu_msix_is_masked(w, dev, vec) && q->v[vec].pba) {
			q->v[vec].pba = 0;
			IRQSIM_EVENT(ctx, true, "msix_handle_mask_update",
				     "dev%d vector %d unmasked with PBA set: msix_notify",
				     dev, vec);
			IRQSIM_TRACE(ctx, "msix_handle_mask_update",
				     "dev=%d vector=%d pba=1", dev, vec);
			msix_notify(ctx, dev, vec);
			return IRQSIM_YIELD;
		}
		return IRQSIM_CONTINUE;
	}
}

/*
 * vfio_msi_interrupt(): QEMU's main loop read its eventfd. A masked vector
 * gets its pending bit; an unmasked one goes to the guest.
 * @arg0 dev, @arg1 vector.
 *
 * Under the BQL: os_host_main_loop_wait() (util/main-loop.c) drops it only
 * around qemu_poll_ns() and takes it again before glib_pollfds_poll()
 * dispatches the fd handlers (qemu_set_fd_handler(), vfio_msi_interrupt
 * among them). A main loop whose poll returned while a vCPU thread is in
 * QEMU's MSI-X handler waits in bql_lock() with that fd ready.
 */
static enum irqsim_step vfio_msi_interrupt(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];

	if (!irqsim_trylock(ctx, VMM_LOCK_BQL))
		return IRQSIM_BLOCKED;
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
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	return irqsim_return_yield(ctx, 0);
}

enum { ENA_SCAN, ENA_ENABLE, ENA_RELEASE, ENA_DONE };

/**
 * vfio_msix_enable - QEMU's vfio_msix_enable() after the guest set the
 * MSI-X enable bit (vfio_pci_write_config)
 * @arg0: dev
 *
 * msix_set_vector_notifiers() with the KVM route batch deferred: a use
 * for every vector the guest already unmasked (the scan that makes
 * nr_vectors the highest unmasked vector + 1; a Linux guest has none,
 * it unmasks at request_irq()), the routes committed, then one
 * vfio_enable_vectors(). With nothing unmasked the host still gets MSI-X
 * enabled: vector 0 with fd -1 (QEMU 8.2+), or, before, vector 0 used
 * with QEMU's eventfd and released again, which leaves it requested on
 * the host (release does nothing without a route).
 */
static enum irqsim_step vfio_msix_enable(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0];
	struct qemu_vfio_dev *q = &w->qdev[dev];
	int nvec = w->vfio.msi.dev[dev].nvec;

	switch (f->pc) {
	case ENA_SCAN:
		q->msix_enabled = 1;
		for (int v = 0; v < nvec; v++) {
			if (qemu_msix_is_masked(w, dev, v))
				continue;
			q->v[v].use = 1;
			q->v[v].virq = -1;
			qemu_route_vector(ctx, dev, v);
			q->nr_vectors = (uint8_t)(v + 1);
		}
		IRQSIM_EVENT(ctx, true, "vfio_msix_enable",
			     "dev%d: guest enabled MSI-X, %u vectors unmasked in its table",
			     dev, q->nr_vectors);
		IRQSIM_TRACE(ctx, "vfio_msix_enable", "dev=%d nr_vectors=%u",
			     dev, q->nr_vectors);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, 0),
			      IRQSIM_ACC_READ);
		f->pc = ENA_ENABLE;
		return IRQSIM_YIELD;
	case ENA_ENABLE:
		if (q->nr_vectors) {
			f->pc = ENA_DONE;
			return irqsim_call(ctx, fn_vfio_enable_vectors, dev, 0,
					   0, 0);
		}
		if (irqsim_knob(ctx, vmm_knob_msix_enable_nofd)) {
			/* vfio_enable_msix_no_vec() */
			f->pc = ENA_DONE;
			return irqsim_call(
				ctx, fn_vfio_pci_ioctl_set_irqs, dev,
				vfio_set_irqs_arg_flags(
					VFIO_PCI_MSIX_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_EVENTFD),
				vfio_set_irqs_arg_range(0, 1), -1);
		}
		f->pc = ENA_RELEASE;
		return irqsim_call(ctx, fn_vfio_msix_vector_use, dev, 0, 1, 0);
	case ENA_RELEASE:
		f->pc = ENA_DONE;
		return irqsim_call(ctx, fn_vfio_msix_vector_release, dev, 0, 0,
				   0);
	case ENA_DONE:
	default:
		if (f->ret)
			qemu_setirqs_failed(ctx, dev, 0, f->ret,
					    SETIRQS_MSIX_ENABLE);
		return irqsim_return(ctx, 0);
	}
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
	fn_qemu_set_irqs = irqsim_fn_register("qemu_set_irqs", qemu_set_irqs);
	fn_vfio_msix_vector_use =
		irqsim_fn_register("vfio_msix_vector_use", vfio_msix_vector_use);
	fn_vfio_msix_vector_release = irqsim_fn_register(
		"vfio_msix_vector_release", vfio_msix_vector_release);
	fn_msix_table_mmio_write = irqsim_fn_register("msix_table_mmio_write",
						      msix_table_mmio_write);
	fn_msix_write_config =
		irqsim_fn_register("msix_write_config", msix_write_config);
	fn_vfio_msi_interrupt =
		irqsim_fn_register("vfio_msi_interrupt", vfio_msi_interrupt);
	fn_qemu_vfio_msix_enable = irqsim_fn_register("qemu_vfio_msix_enable",
						      qemu_vfio_msix_enable);
	vmm_knob_msix_dynamic = irqsim_knob_register(&knob_msix_dynamic);
	vmm_knob_msix_enable_nofd =
		irqsim_knob_register(&knob_msix_enable_nofd);
	vmm_knob_setirqs_error = irqsim_knob_register(&knob_setirqs_error);
	fn_vfio_disable_irqindex = irqsim_fn_register("vfio_disable_irqindex",
						      vfio_disable_irqindex);
	fn_vfio_enable_vectors =
		irqsim_fn_register("vfio_enable_vectors", vfio_enable_vectors);
	fn_vfio_msix_enable =
		irqsim_fn_register("vfio_msix_enable", vfio_msix_enable);
}
