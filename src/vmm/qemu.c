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
#include "vmm/trace.h"

#include <errno.h>

static const char *const off_on[] = { "off", "on", NULL };

int vmm_knob_reinject;
int vmm_knob_msix_dynamic;
int vmm_knob_msix_enable_nofd;
int vmm_knob_setirqs_error;
int vmm_knob_kvm_msi_fast_path;

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

static const struct irqsim_knob knob_kvm_msi_fast_path = {
	.name = "kvm_msi_fast_path",
	.doc = "KVM irqfd_wakeup() on an MSI route: on: "
	       "kvm_arch_set_irq_inatomic() injects in the wakeup "
	       "(kvm_irq_delivery_to_apic_fast() resolves a physical "
	       "destination through the optimized APIC map); off: the guest "
	       "aliased its APIC IDs, KVM has no optimized map, so the wakeup "
	       "returns -EWOULDBLOCK and schedule_work() runs irqfd_inject() "
	       "later, through the route KVM has then; no map also inhibits "
	       "APICv (APICV_INHIBIT_REASON_PHYSICAL_ID_ALIASED): no posting",
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
		trace_error_report_set_signal(ctx, dev, vec, ret);
	else
		trace_error_report_enable(ctx, dev, vec, ret,
					  call == SETIRQS_ENABLE ? "vectors" :
								   "MSI-X");
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
	trace_vm_stop(ctx, dev, vec, ret);
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
void kvm_deliver_msi(struct irqsim_ctx *ctx, uint32_t addr_lo, uint32_t data,
		     const char *via)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct vmm_machine *m = vmm_machine(ctx);
	int vcpu = (int)((addr_lo >> MSI_ADDR_DEST_SHIFT) & 0xff);
	int idx = (int)(data & 0xff) - GUEST_VECTOR_BASE;

	if ((addr_lo & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE_LO ||
	    vcpu >= m->nr_vcpus || idx < 0 || idx >= IRQSIM_MAX_GSIS) {
		w->guest.lost_no_route++;
		trace_kvm_set_msi_dropped(ctx, via, addr_lo, data);
		return;
	}
	w->vcpu[vcpu].virr |= 1u << idx;
	/* a dead vCPU's vIRR: the loss is inevitable from here (check_lost) */
	if (w->vcpu[vcpu].offline)
		w->vcpu[vcpu].dead_virr_step[idx] = w->vfio.msi.irq.apic.sched.step;
	trace_kvm_set_msi(ctx, via, vcpu, data & 0xff);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_VIRR, vcpu, idx),
		      IRQSIM_ACC_WRITE);
}

/* schedule_work(&irqfd->inject): one work item per irqfd, queued once. */
static void kvm_irqfd_schedule_inject(struct irqsim_ctx *ctx, int efd,
				      int gsi)
{
	struct vmm_world *w = vmm_w(ctx);

	w->irqfd_inject |= 1u << gsi;
	trace_irqfd_wakeup_deferred(ctx, efd, gsi);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_KVM_ROUTE, gsi, 1),
		      IRQSIM_ACC_WRITE);
}

/*
 * irqfd_wakeup(): read the eventfd and inject through the MSI route, in
 * the wakeup when kvm_arch_set_irq_inatomic() can
 * (kvm_irq_delivery_to_apic_fast() resolves the destination); otherwise
 * it returns -EWOULDBLOCK and schedule_work(&irqfd->inject) queues
 * irqfd_inject(), which kvm_irqfd_inject() runs when the scheduler
 * picks it. A work already queued is not queued twice.
 */
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
	if (!irqsim_knob(ctx, vmm_knob_kvm_msi_fast_path)) {
		kvm_irqfd_schedule_inject(ctx, efd, e->irqfd);
		return;
	}
	r = &w->route[e->irqfd];
	if (!r->valid) {
		w->guest.lost_no_route++;
		trace_irqfd_wakeup(ctx, efd, e->irqfd);
		return;
	}
	kvm_deliver_msi(ctx,
			MSI_ADDR_BASE_LO | (uint32_t)r->vcpu
						   << MSI_ADDR_DEST_SHIFT,
			GUEST_VECTOR_BASE + r->idx, "irqfd");
	kvm_note_injection(ctx, r->idx, false);
}

void kvm_irqfd_inject(struct irqsim_ctx *ctx, int gsi)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct kvm_msi_route *r = &w->route[gsi];

	w->irqfd_inject &= ~(1u << gsi);
	trace_irqfd_inject(ctx, gsi);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_KVM_ROUTE, gsi, 1),
		      IRQSIM_ACC_WRITE);
	/*
	 * kvm_set_irq(kvm, KVM_USERSPACE_IRQ_SOURCE_ID, irqfd->gsi, 1):
	 * the route KVM has for the GSI now, whatever it was at the wakeup
	 */
	if (!r->valid) {
		w->guest.lost_no_route++;
		trace_irqfd_wakeup(ctx, -1, gsi);
		return;
	}
	kvm_deliver_msi(ctx,
			MSI_ADDR_BASE_LO | (uint32_t)r->vcpu
						   << MSI_ADDR_DEST_SHIFT,
			GUEST_VECTOR_BASE + r->idx, "irqfd_inject");
	kvm_note_injection(ctx, r->idx, false);
}

/*
 * irqfd_shutdown() of a deassigned irqfd: flush_work(&irqfd->inject), so
 * KVM_IRQFD's deassign returns after an injection still queued ran.
 */
void kvm_irqfd_flush_inject(struct irqsim_ctx *ctx, int gsi)
{
	if (gsi >= 0 && gsi < IRQSIM_MAX_GSIS &&
	    (vmm_w(ctx)->irqfd_inject & (1u << gsi)))
		kvm_irqfd_inject(ctx, gsi);
}

/* msix_notify(): masked -> PBA bit; unmasked -> MSI to the guest. */
void msix_notify(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];

	if (qemu_msix_is_masked(w, dev, vec)) {
		qv->pba = 1;
		trace_msix_notify(ctx, dev, vec);
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
	trace_vmm_reinject(ctx, dev, vec);
	msix_notify(ctx, dev, vec);
}

struct vfio_set_irqs_frame {
	int dev;
	int vec;
	int efd;
};

/*
 * vfio_set_irqs: QEMU's ioctl(VFIO_DEVICE_SET_IRQS, ACTION_TRIGGER |
 * DATA_EVENTFD) for one MSI-X vector. Errors are only reported
 * (error_report), as QEMU does; QEMU never retries.
 * @dev: the device
 * @vec: the MSI-X vector
 * @efd: the eventfd (-1: none)
 */
static enum irqsim_step vfio_set_irqs(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct vfio_set_irqs_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_set_irqs_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_vfio_pci_ioctl_set_irqs(
		ctx, v->dev,
		vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_EVENTFD),
		vfio_set_irqs_arg_range(v->vec, 1), v->efd));
	if (f->ret < 0)
		qemu_setirqs_failed(ctx, v->dev, v->vec, f->ret,
				    SETIRQS_SIGNAL);
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_set_irqs);

enum irqsim_step call_vfio_set_irqs(struct irqsim_ctx *ctx, int dev, int vec,
				    int efd)
{
	return irqsim_call(ctx, fn_vfio_set_irqs, dev, vec, efd, 0);
}

struct qemu_set_irqs_frame {
	int dev;
	int vec;
	int efd;
};

/*
 * qemu_set_irqs: the trace's own vfio_set_irqs operation, a bare trigger
 * switch by QEMU (vfio_set_irqs()). With tglx's workaround
 * (vmm_reinject=on) QEMU injects the vector after it, as after the
 * SET_IRQS of its vector use and release paths, so the workaround can be
 * judged on a bare switch too.
 * @dev: the device
 * @vec: the MSI-X vector
 * @efd: the eventfd (-1: none)
 */
static enum irqsim_step qemu_set_irqs(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct qemu_set_irqs_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_set_irqs_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_vfio_set_irqs(ctx, v->dev, v->vec, v->efd));
	/* a vector QEMU does not use has no guest entry to inject by */
	if (v->vec < IRQSIM_MAX_VECS && vmm_w(ctx)->qdev[v->dev].v[v->vec].use)
		vmm_reinject(ctx, v->dev, v->vec);
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_set_irqs);

struct vfio_disable_irqindex_frame {
	int dev;
};

/*
 * vfio_disable_irqindex(): SET_IRQS(MSI-X, TRIGGER | DATA_NONE, 0, 0),
 * i.e. the kernel's vfio_msi_disable(). QEMU ignores the result.
 * @dev: the device
 */
static enum irqsim_step vfio_disable_irqindex(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct vfio_disable_irqindex_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_disable_irqindex_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_vfio_pci_ioctl_set_irqs(
		ctx, v->dev,
		vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_NONE),
		vfio_set_irqs_arg_range(0, 0), -1));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_disable_irqindex);

static enum irqsim_step call_vfio_disable_irqindex(struct irqsim_ctx *ctx,
						   int dev)
{
	return irqsim_call(ctx, fn_vfio_disable_irqindex, dev, 0, 0, 0);
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

struct vfio_enable_vectors_frame {
	int dev;
};

/*
 * vfio_enable_vectors(vdev, msix = true): with dynamic MSI-X (QEMU 8.2+
 * and no NORESIZE) first vfio_enable_msix_no_vec() (vector 0, fd -1), then
 * one SET_IRQS with an fd for each of vectors 0..nr_vectors-1: -1 unused,
 * QEMU's eventfd without a KVM route or while masked, else the KVM irqfd.
 * @dev: the device
 *
 * Return: the ioctl's (0, -errno, or a vector count).
 */
static enum irqsim_step vfio_enable_vectors(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct vfio_enable_vectors_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_enable_vectors_frame);
	struct vmm_world *w = vmm_w(ctx);
	int n = w->qdev[v->dev].nr_vectors;

	IRQSIM_BEGIN(f);
	if (irqsim_knob(ctx, vmm_knob_msix_dynamic) &&
	    !vfio_pci_msix_noresize(ctx)) {
		/* vfio_enable_msix_no_vec() */
		IRQSIM_CALL(call_vfio_pci_ioctl_set_irqs(
			ctx, v->dev,
			vfio_set_irqs_arg_flags(
				VFIO_PCI_MSIX_IRQ_INDEX,
				VFIO_IRQ_SET_ACTION_TRIGGER |
					VFIO_IRQ_SET_DATA_EVENTFD),
			vfio_set_irqs_arg_range(0, 1), -1));
		if (f->ret)
			IRQSIM_RETURN(ctx, f->ret);
	}
	for (int i = 0; i < n; i++)
		w->vfio.ioctl_fds[ctx->actor][i] =
			(int8_t)qemu_vector_fd(w, v->dev, i);
	IRQSIM_CALL(call_vfio_pci_ioctl_set_irqs(
		ctx, v->dev,
		vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_EVENTFD),
		vfio_set_irqs_arg_range(0, n), VFIO_FDS_IN_BUFFER));
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_enable_vectors);

static enum irqsim_step call_vfio_enable_vectors(struct irqsim_ctx *ctx,
						 int dev)
{
	return irqsim_call(ctx, fn_vfio_enable_vectors, dev, 0, 0, 0);
}

bool qemu_kvm_msi_route(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];
	int gsi = dev * IRQSIM_MAX_VECS + vec;
	struct eventfd_ctx *e;

	w->route[gsi].vcpu = (uint8_t)((qv->dw[PCI_MSIX_ENTRY_LOWER_ADDR] >>
					MSI_ADDR_DEST_SHIFT) &
				       0xff);
	w->route[gsi].idx =
		(uint8_t)(qv->dw[PCI_MSIX_ENTRY_DATA] - GUEST_VECTOR_BASE);
	w->route[gsi].valid = 1;
	if (qv->virq >= 0) {
		/* kvm_irq_routing_update(): a posted IRTE follows */
		kvm_irq_routing_update(ctx, gsi);
		return false;
	}
	/* vfio_add_kvm_msi_virq + vfio_connect_kvm_msi_virq */
	e = &w->vfio.efd[qemu_kvm_efd(dev, vec)];
	qv->virq = (int8_t)gsi;
	e->irqfd = (int8_t)gsi;
	e->refs++;
	kvm_irqfd_register_consumer(ctx, qemu_kvm_efd(dev, vec), gsi);
	return true;
}

/* Route a vector through KVM: add, or update from the guest's message. */
static void qemu_route_vector(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct vmm_world *w = vmm_w(ctx);
	int gsi = dev * IRQSIM_MAX_VECS + vec;

	if (qemu_kvm_msi_route(ctx, dev, vec))
		trace_vfio_msix_vector_do_use_irqfd(ctx, dev, vec, gsi,
						    w->route[gsi].vcpu);
	else
		trace_vfio_msix_vector_do_use_update(ctx, dev, vec, gsi,
						     w->route[gsi].vcpu);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, vec),
		      IRQSIM_ACC_READ);
}

struct vfio_msix_vector_use_frame {
	int dev;
	int vec;
	int probe;
	int unused3;
	int resizing;		/* nr_vectors < vec + 1 */
};

/**
 * vfio_msix_vector_use - vfio_msix_vector_do_use() for an unmask
 * @dev:   the device
 * @vec:   the MSI-X vector
 * @probe: 1: vfio_msix_enable()'s probe of vector 0 in QEMU before 8.2
 *         (msg and handler NULL: no KVM route)
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
	struct vfio_msix_vector_use_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msix_vector_use_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_vfio_dev *q = &w->qdev[v->dev];
	struct qemu_msix_vector *qv = &q->v[v->vec];

	IRQSIM_BEGIN(f);
	if (!qv->use) {
		qv->use = 1;
		qv->virq = -1;
	}
	v->resizing = q->nr_vectors < v->vec + 1;
	if (v->resizing)
		q->nr_vectors = (uint8_t)(v->vec + 1);
	if (v->probe) {
		trace_vfio_msix_vector_do_use_probe(ctx, v->dev, v->vec,
						    q->nr_vectors);
	} else {
		qemu_route_vector(ctx, v->dev, v->vec);
	}
	IRQSIM_YIELD_POINT();
	if (v->resizing && (!irqsim_knob(ctx, vmm_knob_msix_dynamic) ||
			    vfio_pci_msix_noresize(ctx))) {
		trace_vfio_msix_vector_do_use_resize(ctx, v->dev, v->vec,
						     q->nr_vectors);
		IRQSIM_CALL(call_vfio_disable_irqindex(ctx, v->dev));
		IRQSIM_CALL(call_vfio_enable_vectors(ctx, v->dev));
		if (f->ret)
			qemu_setirqs_failed(ctx, v->dev, v->vec, f->ret,
					    SETIRQS_ENABLE);
	} else {
		/* set_irq_signalling(): one vector, nothing else touched */
		IRQSIM_CALL(call_vfio_set_irqs(
			ctx, v->dev, v->vec,
			qv->virq >= 0 ? qemu_kvm_efd(v->dev, v->vec) :
					qemu_interrupt_efd(v->dev, v->vec)));
	}
	vmm_reinject(ctx, v->dev, v->vec);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msix_vector_use);

static enum irqsim_step call_vfio_msix_vector_use(struct irqsim_ctx *ctx,
						  int dev, int vec, int probe)
{
	return irqsim_call(ctx, fn_vfio_msix_vector_use, dev, vec, probe, 0);
}

struct vfio_msix_vector_release_frame {
	int dev;
	int vec;
};

/*
 * vfio_msix_vector_release(): with a KVM route, point the host trigger at
 * QEMU's own eventfd so a masked vector's interrupts reach the PBA
 * emulation; the route stays.
 * @dev: the device
 * @vec: the MSI-X vector
 */
static enum irqsim_step vfio_msix_vector_release(struct irqsim_ctx *ctx,
						 struct irqsim_frame *f)
{
	struct vfio_msix_vector_release_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msix_vector_release_frame);
	struct qemu_msix_vector *qv = &vmm_w(ctx)->qdev[v->dev].v[v->vec];

	IRQSIM_BEGIN(f);
	if (qv->virq < 0) {
		qv->released = 1;
		IRQSIM_RETURN(ctx, 0);
	}
	IRQSIM_CALL(call_vfio_set_irqs(ctx, v->dev, v->vec,
				       qemu_interrupt_efd(v->dev, v->vec)));
	/* done, whatever the ioctl returned: QEMU does not retry */
	qv->released = 1;
	vmm_reinject(ctx, v->dev, v->vec);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msix_vector_release);

static enum irqsim_step call_vfio_msix_vector_release(struct irqsim_ctx *ctx,
						      int dev, int vec)
{
	return irqsim_call(ctx, fn_vfio_msix_vector_release, dev, vec, 0, 0);
}

struct msix_table_mmio_write_frame {
	int dev;
	int vec;
	int dword;
	int value;
	int masked;		/* msix_is_masked() after the store */
};

/*
 * msix_table_mmio_write() + msix_handle_mask_update(): store the dword; if
 * the mask state changed, fire the vector notifier (release on mask, use
 * on unmask), then replay a pending PBA bit on unmask.
 * @dev:   the device
 * @vec:   the MSI-X table entry
 * @dword: the dword of the entry (PCI_MSIX_ENTRY_*)
 * @value: the value stored
 */
static enum irqsim_step msix_table_mmio_write(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct msix_table_mmio_write_frame *v =
		IRQSIM_FRAME_VARS(f, struct msix_table_mmio_write_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_msix_vector *qv = &w->qdev[v->dev].v[v->vec];
	bool was_masked;

	IRQSIM_BEGIN(f);
	was_masked = qemu_msix_is_masked(w, v->dev, v->vec);
	qv->dw[v->dword] = (uint32_t)v->value;
	v->masked = qemu_msix_is_masked(w, v->dev, v->vec);
	trace_msix_table_mmio_write(ctx, v->dev, v->vec, v->dword,
				    (uint32_t)v->value);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, v->dev, v->vec),
		      IRQSIM_ACC_WRITE);
	if (!v->masked)
		qv->released = 0;
	if (was_masked == (bool)v->masked) {
		IRQSIM_YIELD_POINT();
		IRQSIM_RETURN(ctx, 0);
	}
	/*
	 * msix_fire_vector_notifier(): the notifier's frame is pushed now
	 * and runs from the next step; the store above is this step's.
	 */
	if (v->masked)
		call_vfio_msix_vector_release(ctx, v->dev, v->vec);
	else
		call_vfio_msix_vector_use(ctx, v->dev, v->vec, 0);
	IRQSIM_YIELD_POINT();
	if (!v->masked && qv->pba) {
		qv->pba = 0;
		trace_msix_handle_mask_update_pba(ctx, v->dev, v->vec);
		msix_notify(ctx, v->dev, v->vec);
		IRQSIM_RETURN_YIELD(ctx, 0);
	}
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(msix_table_mmio_write);

enum irqsim_step call_msix_table_mmio_write(struct irqsim_ctx *ctx, int dev,
					    int vec, int dword, int value)
{
	return irqsim_call(ctx, fn_msix_table_mmio_write, dev, vec, dword,
			   value);
}

struct msix_write_config_frame {
	int dev;
	int maskall;
	int unused2;
	int unused3;
	int fmasked;		/* the function mask before the write */
	int vec;		/* the entry being handled */
};

/**
 * msix_write_config - the guest wrote the MSI-X Message Control register
 * with the enable bit unchanged: hw/pci/msix.c msix_write_config(), via
 * vfio_pci_write_config() -> pci_default_write_config()
 * @dev:     the device
 * @maskall: the new PCI_MSIX_FLAGS_MASKALL (1: function masked)
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
 */
static enum irqsim_step msix_write_config(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct msix_write_config_frame *v =
		IRQSIM_FRAME_VARS(f, struct msix_write_config_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_vfio_dev *q = &w->qdev[v->dev];
	int nvec = w->vfio.msi.dev[v->dev].nvec;
	bool was, is;

	IRQSIM_BEGIN(f);
	v->fmasked = qemu_msix_function_masked(w, v->dev);
	q->maskall = (uint8_t)!!v->maskall;
	trace_msix_write_config(ctx, v->dev, v->maskall, q->msix_enabled);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX_CTRL, v->dev, 0),
		      IRQSIM_ACC_WRITE);
	if (!q->msix_enabled ||
	    (bool)v->fmasked == qemu_msix_function_masked(w, v->dev))
		IRQSIM_RETURN_YIELD(ctx, 0);
	/* the effective mask of every entry changed with it */
	for (int i = 0; i < nvec; i++)
		if (qemu_msix_vector_masked(w, v->dev, i, v->fmasked) !=
		    qemu_msix_is_masked(w, v->dev, i)) {
			IRQSIM_EVENT(ctx, false, "msix_write_config",
				     "dev%d vector %d now %s", v->dev, i,
				     v->maskall ? "masked" : "unmasked");
			IRQSIM_ACCESS(ctx,
				      IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, v->dev,
						 i),
				      IRQSIM_ACC_WRITE);
		}
	v->vec = 0;
	IRQSIM_YIELD_POINT();
	/* msix_handle_mask_update() for each entry */
	for (; v->vec < nvec; v->vec++) {
		was = qemu_msix_vector_masked(w, v->dev, v->vec, v->fmasked);
		is = qemu_msix_is_masked(w, v->dev, v->vec);
		if (was == is)
			continue;
		/* msix_fire_vector_notifier() */
		trace_msix_handle_mask_update_function(ctx, v->dev, v->vec, is);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, v->dev, v->vec),
			      IRQSIM_ACC_READ);
		if (!is)
			q->v[v->vec].released = 0;
		/* the notifier runs from the next step, as in the table write */
		if (is)
			call_vfio_msix_vector_release(ctx, v->dev, v->vec);
		else
			call_vfio_msix_vector_use(ctx, v->dev, v->vec, 0);
		IRQSIM_YIELD_POINT();
		if (!qemu_msix_is_masked(w, v->dev, v->vec) &&
		    q->v[v->vec].pba) {
			q->v[v->vec].pba = 0;
			trace_msix_handle_mask_update_pba(ctx, v->dev, v->vec);
			msix_notify(ctx, v->dev, v->vec);
			IRQSIM_YIELD_POINT();
		}
	}
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(msix_write_config);

enum irqsim_step call_msix_write_config(struct irqsim_ctx *ctx, int dev,
					int maskall)
{
	return irqsim_call(ctx, fn_msix_write_config, dev, maskall, 0, 0);
}

struct vfio_msi_interrupt_frame {
	int dev;
	int vec;
};

/*
 * vfio_msi_interrupt(): QEMU's main loop read its eventfd. A masked vector
 * gets its pending bit; an unmasked one goes to the guest.
 * @dev: the device
 * @vec: the MSI-X vector
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
	struct vfio_msi_interrupt_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msi_interrupt_frame);
	struct vmm_world *w = vmm_w(ctx);
	int efd = qemu_interrupt_efd(v->dev, v->vec);

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	w->vfio.efd[efd].count = 0;
	trace_vfio_msi_interrupt(ctx, v->dev, v->vec, efd);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, efd, 0),
		      IRQSIM_ACC_RMW);
	if (w->qdev[v->dev].msi_enabled)
		msi_notify(ctx, v->dev);
	else
		msix_notify(ctx, v->dev, v->vec);
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msi_interrupt);

struct vfio_msix_enable_frame {
	int dev;
};

/**
 * vfio_msix_enable - QEMU's vfio_msix_enable() after the guest set the
 * MSI-X enable bit (vfio_pci_write_config)
 * @dev: the device
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
	struct vfio_msix_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msix_enable_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_vfio_dev *q = &w->qdev[v->dev];
	int nvec = w->vfio.msi.dev[v->dev].nvec;

	IRQSIM_BEGIN(f);
	/*
	 * vfio_disable_interrupts(): INTx (or MSI) goes before MSI-X comes:
	 * "Disabling MSI/X transitions the device to INTx mode (if
	 * supported)", so QEMU disables MSI/X first, then INTx.
	 */
	if (qemu_interrupt_mode(w, v->dev) != QEMU_INT_NONE &&
	    qemu_interrupt_mode(w, v->dev) != QEMU_INT_MSIX)
		IRQSIM_CALL(call_vfio_disable_interrupts(ctx, v->dev));
	q->msix_enabled = 1;
	for (int i = 0; i < nvec; i++) {
		if (qemu_msix_is_masked(w, v->dev, i))
			continue;
		q->v[i].use = 1;
		q->v[i].virq = -1;
		qemu_route_vector(ctx, v->dev, i);
		q->nr_vectors = (uint8_t)(i + 1);
	}
	trace_vfio_msix_enable(ctx, v->dev, q->nr_vectors);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, v->dev, 0),
		      IRQSIM_ACC_READ);
	IRQSIM_YIELD_POINT();
	if (q->nr_vectors) {
		IRQSIM_CALL(call_vfio_enable_vectors(ctx, v->dev));
	} else if (irqsim_knob(ctx, vmm_knob_msix_enable_nofd)) {
		/* vfio_enable_msix_no_vec() */
		IRQSIM_CALL(call_vfio_pci_ioctl_set_irqs(
			ctx, v->dev,
			vfio_set_irqs_arg_flags(
				VFIO_PCI_MSIX_IRQ_INDEX,
				VFIO_IRQ_SET_ACTION_TRIGGER |
					VFIO_IRQ_SET_DATA_EVENTFD),
			vfio_set_irqs_arg_range(0, 1), -1));
	} else {
		IRQSIM_CALL(call_vfio_msix_vector_use(ctx, v->dev, 0, 1));
		IRQSIM_CALL(call_vfio_msix_vector_release(ctx, v->dev, 0));
	}
	if (f->ret)
		qemu_setirqs_failed(ctx, v->dev, 0, f->ret,
				    SETIRQS_MSIX_ENABLE);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msix_enable);

enum irqsim_step call_vfio_msix_enable(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn_vfio_msix_enable, dev, 0, 0, 0);
}

/*
 * vfio_remove_kvm_msi_virq(): the irqfd of @vec's KVM eventfd goes
 * (kvm_irqchip_remove_irqfd_notifier_gsi(): KVM_IRQFD deassign, whose
 * irqfd_shutdown() runs an injection still queued before it returns and
 * unregisters the irq bypass consumer), then the route
 * (kvm_irqchip_release_virq()), then the eventfd (vfio_notifier_cleanup()).
 */
static void vfio_remove_kvm_msi_virq(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];
	int efd = qemu_kvm_efd(dev, vec);
	struct eventfd_ctx *e = &w->vfio.efd[efd];
	bool visible;

	kvm_irqfd_flush_inject(ctx, qv->virq);
	irq_bypass_unregister_consumer(ctx, efd, &visible);
	if (e->irqfd >= 0) {
		e->irqfd = -1;
		e->refs--;
	}
	e->count = 0;
	w->route[qv->virq].valid = 0;
	IRQSIM_EVENT(ctx, true, "vfio_remove_kvm_msi_virq",
		     "dev%d vector %d: KVM irqfd on efd%d and GSI %d released",
		     dev, vec, efd, qv->virq);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_KVM_ROUTE, qv->virq, 0),
		      IRQSIM_ACC_WRITE);
	qv->virq = -1;
}

void vfio_msi_disable_common(struct irqsim_ctx *ctx, int dev)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_vfio_dev *q = &w->qdev[dev];

	for (int vec = 0; vec < q->nr_vectors; vec++) {
		struct qemu_msix_vector *qv = &q->v[vec];

		if (!qv->use)
			continue;
		if (qv->virq >= 0)
			vfio_remove_kvm_msi_virq(ctx, dev, vec);
		/* the fd handler off, the notifier closed with its count */
		w->vfio.efd[qemu_interrupt_efd(dev, vec)].count = 0;
		qv->use = 0;
		qv->released = 0;
		qv->reinjected = 0;
	}
	q->nr_vectors = 0;
	q->msix_enabled = 0;
	q->msi_enabled = 0;
}

struct vfio_msix_disable_frame {
	int dev;
	int unused1, unused2, unused3;	/* argument slots it does not take */
	int vec;
};

/**
 * vfio_msix_disable - QEMU's vfio_msix_disable(), after the guest cleared
 * the MSI-X enable bit (vfio_pci_write_config())
 * @dev: the device
 *
 * msix_unset_vector_notifiers() releases nothing, MSI-X being off in the
 * config space already ("MSI-X will only release vectors if MSI-X is still
 * enabled on the device, check through the rest and release it ourselves
 * if necessary"): each used vector is released (its host trigger moved to
 * QEMU's eventfd if it had a KVM route: a SET_IRQS) and unused (its PBA
 * bit cleared). Then the MSI-X index is cleared on the host (SET_IRQS
 * MSI-X TRIGGER|DATA_NONE, count 0: the kernel's vfio_msi_disable()),
 * vfio_msi_disable_common() drops the KVM routes, irqfds and eventfds, and
 * vfio_intx_enable() gives the device its INTx back, if it has a pin. The
 * caller holds the BQL.
 */
static enum irqsim_step vfio_msix_disable(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct vfio_msix_disable_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msix_disable_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_vfio_dev *q = &w->qdev[v->dev];

	IRQSIM_BEGIN(f);
	trace_vfio_msix_disable(ctx, v->dev, q->nr_vectors);
	for (v->vec = 0; v->vec < q->nr_vectors; v->vec++) {
		if (!q->v[v->vec].use)
			continue;
		IRQSIM_CALL(call_vfio_msix_vector_release(ctx, v->dev, v->vec));
		/* msix_vector_unuse() -> msix_clr_pending() */
		q->v[v->vec].pba = 0;
	}
	IRQSIM_CALL(call_vfio_disable_irqindex(ctx, v->dev));
	vfio_msi_disable_common(ctx, v->dev);
	if (w->vfio.msi.dev[v->dev].intx.present)
		IRQSIM_CALL(call_qemu_vfio_intx_enable(ctx, v->dev));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msix_disable);

enum irqsim_step call_vfio_msix_disable(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn_vfio_msix_disable, dev, 0, 0, 0);
}

struct vfio_disable_interrupts_frame {
	int dev;
};

/**
 * vfio_disable_interrupts - QEMU's vfio_disable_interrupts(): "Disabling
 * MSI/X transitions the device to INTx mode (if supported). Therefore we
 * need to first disable MSI/X and then cleanup by disabling INTx."
 * @dev: the device
 *
 * The caller holds the BQL.
 */
static enum irqsim_step vfio_disable_interrupts(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	struct vfio_disable_interrupts_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_disable_interrupts_frame);
	struct vmm_world *w = vmm_w(ctx);

	IRQSIM_BEGIN(f);
	if (qemu_interrupt_mode(w, v->dev) == QEMU_INT_MSIX)
		IRQSIM_CALL(call_vfio_msix_disable(ctx, v->dev));
	else if (qemu_interrupt_mode(w, v->dev) == QEMU_INT_MSI)
		IRQSIM_CALL(call_qemu_vfio_msi_disable(ctx, v->dev));
	if (qemu_interrupt_mode(w, v->dev) == QEMU_INT_INTX)
		IRQSIM_CALL(call_qemu_vfio_intx_disable(ctx, v->dev));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_disable_interrupts);

enum irqsim_step call_vfio_disable_interrupts(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn_vfio_disable_interrupts, dev, 0, 0, 0);
}

struct qemu_vfio_msix_enable_frame {
	int dev;
	int nvec;
	int vcpu;
};

/*
 * qemu_vfio_msix_enable: the guest driver programmed @nvec entries (dest
 * vCPU @vcpu, unmasked) and enabled MSI-X; QEMU's vfio_msix_enable() adds
 * a KVM route and irqfd for each (deferred batch) and enables them with
 * one SET_IRQS (vfio_enable_vectors).
 * @dev:  the device
 * @nvec: the entries the guest programmed
 * @vcpu: their destination vCPU
 */
static enum irqsim_step qemu_vfio_msix_enable(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct qemu_vfio_msix_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_vfio_msix_enable_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_vfio_dev *q = &w->qdev[v->dev];

	IRQSIM_BEGIN(f);
	for (int i = 0; i < v->nvec; i++) {
		struct qemu_msix_vector *qv = &q->v[i];
		int gsi = v->dev * IRQSIM_MAX_VECS + i;
		struct eventfd_ctx *e = &w->vfio.efd[qemu_kvm_efd(v->dev, i)];

		qv->dw[PCI_MSIX_ENTRY_LOWER_ADDR] =
			MSI_ADDR_BASE_LO |
			(uint32_t)v->vcpu << MSI_ADDR_DEST_SHIFT;
		qv->dw[PCI_MSIX_ENTRY_DATA] = GUEST_VECTOR_BASE + gsi;
		qv->dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
		qv->use = 1;
		qv->virq = (int8_t)gsi;
		w->route[gsi] = (struct kvm_msi_route){
			.valid = 1,
			.vcpu = (uint8_t)v->vcpu,
			.idx = (uint8_t)gsi,
		};
		e->irqfd = (int8_t)gsi;
		e->refs++;
		kvm_irqfd_register_consumer(ctx, qemu_kvm_efd(v->dev, i), gsi);
		w->vfio.ioctl_fds[ctx->actor][i] =
			(int8_t)qemu_kvm_efd(v->dev, i);
	}
	q->nr_vectors = (uint8_t)v->nvec;
	q->msix_enabled = 1;
	IRQSIM_CALL(call_vfio_pci_ioctl_set_irqs(
		ctx, v->dev,
		vfio_set_irqs_arg_flags(VFIO_PCI_MSIX_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_EVENTFD),
		vfio_set_irqs_arg_range(0, v->nvec), VFIO_FDS_IN_BUFFER));
	if (f->ret < 0)
		w->setirqs_failed_reported++;
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_vfio_msix_enable);

void vmm_register_irqfd(void)
{
	vmm_knob_kvm_msi_fast_path =
		irqsim_knob_register(&knob_kvm_msi_fast_path);
}

void vmm_register_qemu(void)
{
	vmm_knob_reinject = irqsim_knob_register(&knob_reinject);
	vmm_knob_msix_dynamic = irqsim_knob_register(&knob_msix_dynamic);
	vmm_knob_msix_enable_nofd =
		irqsim_knob_register(&knob_msix_enable_nofd);
	vmm_knob_setirqs_error = irqsim_knob_register(&knob_setirqs_error);
}
