// SPDX-License-Identifier: MIT
/*
 * Models QEMU hw/vfio/pci.c INTx (vfio_intx_enable, vfio_intx_enable_kvm,
 * vfio_intx_interrupt, vfio_intx_eoi via vfio_eoi on a BAR access) and
 * KVM's level irqfd with a resamplefd (virt/kvm/eventfd.c irqfd_inject,
 * irqfd_resampler_ack), and the guest's INTx line.
 *
 * Two ways the guest's EOI becomes a host unmask:
 *  - KVM (x86 default): the trigger eventfd is an irqfd that asserts the
 *    guest's GSI; the guest's EOI runs KVM's resampler, which deasserts
 *    the GSI and signals the resamplefd, VFIO's unmask virqfd:
 *    vfio_pci_intx_unmask_handler() in the signaller's context.
 *  - QEMU (x-no-kvm-intx, and ppc64, "which does not utilize the resample
 *    IRQFD"): the main loop reads the trigger, vfio_intx_interrupt()
 *    asserts the guest's pin and disables the BAR mmaps, so the guest
 *    driver's next BAR access traps; after the access vfio_eoi() ->
 *    vfio_intx_eoi() deasserts the pin and does the unmask ioctl
 *    (SET_IRQS INTx ACTION_UNMASK). "VMM performs EOI via unmask ioctl".
 * The mmap timeout that re-enables the BAR mmaps is not modeled.
 * KVM injects a level irqfd from a work item; here the injection runs in
 * the wakeup, like the MSI irqfds.
 */
#include "vmm/internal.h"
#include "vmm/trace.h"

#include <errno.h>

int vmm_knob_no_kvm_intx;

static const char *const off_on[] = { "off", "on", NULL };

static const struct irqsim_knob knob_no_kvm_intx = {
	.name = "x_no_kvm_intx",
	.doc = "QEMU vfio-pci property x-no-kvm-intx: INTx through QEMU's "
	       "main loop and the unmask ioctl (vfio_intx_eoi) instead of a "
	       "KVM irqfd with resamplefd (vfio_intx_enable_kvm); ppc64 does "
	       "not use the resample irqfd (seeds/001)",
	.def = 0,
	.max = 1,
	.values = off_on,
};

/* The guest INTx event just logged: the line, and vcpu0's vIRR bit. */
static void guest_intx_access(struct irqsim_ctx *ctx, int dev)
{
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_INTX, dev, 0),
		      IRQSIM_ACC_RMW);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_VIRR, 0, GUEST_INTX_IDX(dev)),
		      IRQSIM_ACC_WRITE);
}

void guest_intx_assert(struct irqsim_ctx *ctx, int dev, const char *via)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_intx *q = &w->qdev[dev].intx;

	q->guest_level = 1;
	if (!q->guest_in_service)
		w->vcpu[0].virr |= 1u << GUEST_INTX_IDX(dev);
	trace_guest_intx_assert(ctx, via, dev, q);
	guest_intx_access(ctx, dev);
}

void guest_intx_deassert(struct irqsim_ctx *ctx, int dev, const char *via)
{
	struct vmm_world *w = vmm_w(ctx);

	w->qdev[dev].intx.guest_level = 0;
	trace_guest_intx_deassert(ctx, via, dev, &w->qdev[dev].intx);
	guest_intx_access(ctx, dev);
}

void guest_intx_eoi(struct irqsim_ctx *ctx, int dev)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_intx *q = &w->qdev[dev].intx;

	q->guest_in_service = 0;
	if (q->guest_level) {
		w->vcpu[0].virr |= 1u << GUEST_INTX_IDX(dev);
		trace_guest_intx_eoi(ctx, dev, q);
		guest_intx_access(ctx, dev);
	}
}

/* irqfd_inject() of a resample irqfd: kvm_set_irq(gsi, 1). */
void vmm_kvm_intx_inject(struct irqsim_ctx *ctx, int dev)
{
	guest_intx_assert(ctx, dev, "irqfd_inject");
}

/* ioctl(VFIO_DEVICE_SET_IRQS) on the INTx index with one argument. */
static enum irqsim_step set_irqs_intx(struct irqsim_ctx *ctx, int dev,
				      int flags, int count, int32_t data)
{
	return call_vfio_pci_ioctl_set_irqs(
		ctx, dev,
		vfio_set_irqs_arg_flags(VFIO_PCI_INTX_IRQ_INDEX, flags),
		vfio_set_irqs_arg_range(0, count), data);
}

static int setirqs_report(struct irqsim_ctx *ctx, int ret, const char *what)
{
	if (ret < 0) {
		vmm_w(ctx)->setirqs_failed_reported++;
		IRQSIM_EVENT(ctx, true, "error_report", "vfio: %s: %d", what,
			     ret);
	}
	return ret;
}

/* The guest's vCPU thread @ctx runs QEMU code: it is out of guest mode. */
static void qemu_enter(struct irqsim_ctx *ctx, int in_host)
{
	int vcpu = vmm_ctx_vcpu(ctx);

	if (vmm_machine(ctx)->actor[ctx->actor].role == ROLE_VCPU && vcpu >= 0)
		vmm_w(ctx)->vcpu[vcpu].in_host = (uint8_t)in_host;
}

struct vfio_intx_enable_kvm_frame {
	int dev;
	int unused1, unused2, unused3;	/* argument slots it does not take */
	int err;
};

/**
 * vfio_intx_enable_kvm - QEMU's vfio_intx_enable_kvm(): INTx through a
 * KVM irqfd with a resamplefd instead of QEMU's main loop
 * @dev: the device
 *
 * Unless x_no_kvm_intx: "Get to a known interrupt state" (the fd handler
 * off, SET_IRQS INTx MASK, intx.pending = false, pci_irq_deassert(): the
 * guest's line goes down), the irqfd on the trigger with the unmask
 * eventfd as resamplefd (kvm_irqchip_add_irqfd_notifier_gsi()), the
 * unmask eventfd as VFIO's unmask virqfd (SET_IRQS INTx UNMASK|EVENTFD),
 * then the unmask ("Let'em rip"): what the device still has pending is
 * signalled again, now through KVM. The error labels undo it as QEMU's
 * do: fail_vfio removes the irqfd (KVM's irqfd_resampler_shutdown()
 * deasserts the GSI), fail_irqfd drops the unmask notifier, fail gives
 * the trigger back to the main loop and unmasks; kvm_accel stays false
 * (hw/vfio/pci.c, QEMU 10.x). Every caller holds the BQL.
 *
 * Return: 0, or the error that sent QEMU to its error labels (its caller
 * only warns).
 */
static enum irqsim_step vfio_intx_enable_kvm(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct vfio_intx_enable_kvm_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_intx_enable_kvm_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_intx *q = &w->qdev[v->dev].intx;
	struct eventfd_ctx *trigger = &w->vfio.efd[qemu_intx_efd(v->dev)];
	struct eventfd_ctx *unmask =
		&w->vfio.efd[qemu_intx_unmask_efd(v->dev)];

	IRQSIM_BEGIN(f);
	if (irqsim_knob(ctx, vmm_knob_no_kvm_intx))
		IRQSIM_RETURN(ctx, 0);
	/* Get to a known interrupt state: vfio_device_irq_mask() */
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_MASK |
					  VFIO_IRQ_SET_DATA_NONE,
				  1, 0));
	q->pending = 0;
	guest_intx_deassert(ctx, v->dev, "vfio_intx_enable_kvm");
	if (trigger->irqfd >= 0) {
		/*
		 * kvm_irqfd_assign(): "This fd is used for another irq
		 * already", -EBUSY; fail_irqfd (the new unmask notifier is
		 * one nothing else uses), then fail.
		 */
		IRQSIM_EVENT(ctx, true, "vfio_intx_enable_kvm",
			     "dev%d efd%d already has a KVM irqfd: -EBUSY",
			     v->dev, qemu_intx_efd(v->dev));
		IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
					  VFIO_IRQ_SET_ACTION_UNMASK |
						  VFIO_IRQ_SET_DATA_NONE,
					  1, 0));
		IRQSIM_RETURN(ctx, -EBUSY);
	}
	/* kvm_irqchip_add_irqfd_notifier_gsi(interrupt, unmask) */
	trigger->irqfd = (int8_t)GUEST_INTX_IDX(v->dev);
	trigger->refs++;
	unmask->resampler = 1;
	unmask->refs++;
	IRQSIM_EVENT(ctx, true, "vfio_intx_enable_kvm",
		     "dev%d KVM irqfd on efd%d, resamplefd efd%d", v->dev,
		     qemu_intx_efd(v->dev), qemu_intx_unmask_efd(v->dev));
	/*
	 * kvm_irqfd_assign(): vfs_poll() finds an event signalled while no
	 * handler read the eventfd and injects it ("as if we didn't miss
	 * it"), virt/kvm/eventfd.c.
	 */
	if (trigger->count) {
		trigger->count = 0;
		vmm_kvm_intx_inject(ctx, v->dev);
	}
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_UNMASK |
					  VFIO_IRQ_SET_DATA_EVENTFD,
				  1, qemu_intx_unmask_efd(v->dev)));
	v->err = setirqs_report(ctx, f->ret, "failed to setup INTx unmask fd");
	if (v->err < 0)
		goto fail_vfio;
	/* "Let'em rip" */
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_UNMASK |
					  VFIO_IRQ_SET_DATA_NONE,
				  1, 0));
	q->kvm_accel = 1;
	IRQSIM_RETURN(ctx, 0);

fail_vfio:
	/*
	 * fail_vfio: kvm_irqchip_remove_irqfd_notifier_gsi() (KVM's
	 * irqfd_resampler_shutdown() deasserts the GSI); fail_irqfd: the
	 * unmask notifier goes; fail: the trigger back to the main loop
	 * (vfio_intx_interrupt), vfio_device_irq_unmask().
	 */
	trigger->irqfd = -1;
	trigger->refs--;
	unmask->resampler = 0;
	unmask->refs--;
	guest_intx_deassert(ctx, v->dev, "irqfd_resampler_shutdown");
	IRQSIM_EVENT(ctx, true, "vfio_intx_enable_kvm",
		     "dev%d KVM irqfd removed: INTx via QEMU (efd%d in the main loop)",
		     v->dev, qemu_intx_efd(v->dev));
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_UNMASK |
					  VFIO_IRQ_SET_DATA_NONE,
				  1, 0));
	IRQSIM_RETURN(ctx, v->err);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_intx_enable_kvm);

static enum irqsim_step call_vfio_intx_enable_kvm(struct irqsim_ctx *ctx,
						  int dev)
{
	return irqsim_call(ctx, fn_vfio_intx_enable_kvm, dev, 0, 0, 0);
}

struct vfio_intx_disable_kvm_frame {
	int dev;
};

/**
 * vfio_intx_disable_kvm - QEMU's vfio_intx_disable_kvm(): INTx back from
 * KVM's irqfd to QEMU's main loop
 * @dev: the device
 *
 * Only with kvm_accel. "Get to a known state, hardware masked, QEMU ready
 * to accept new interrupts, QEMU IRQ de-asserted": SET_IRQS INTx MASK,
 * intx.pending = false, pci_irq_deassert(). Then KVM's irqfd goes
 * (kvm_irqchip_remove_irqfd_notifier_gsi(): the deassign flushes
 * irqfd_shutdown(), which reads the trigger's counter off its wait queue
 * and, with the last resampler, deasserts the GSI), the unmask eventfd is
 * closed ("We only need to close the eventfd for VFIO to cleanup the
 * kernel side": its EPOLLHUP deactivates VFIO's unmask virqfd), the main
 * loop reads the trigger again, kvm_accel is false, and SET_IRQS INTx
 * UNMASK: "If we've missed an event, let it re-fire through QEMU". The
 * caller holds the BQL.
 */
static enum irqsim_step vfio_intx_disable_kvm(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct vfio_intx_disable_kvm_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_intx_disable_kvm_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_intx *q = &w->qdev[v->dev].intx;
	struct eventfd_ctx *trigger = &w->vfio.efd[qemu_intx_efd(v->dev)];
	struct eventfd_ctx *unmask =
		&w->vfio.efd[qemu_intx_unmask_efd(v->dev)];

	IRQSIM_BEGIN(f);
	if (!q->kvm_accel)
		IRQSIM_RETURN(ctx, 0);
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_MASK |
					  VFIO_IRQ_SET_DATA_NONE,
				  1, 0));
	q->pending = 0;
	guest_intx_deassert(ctx, v->dev, "vfio_intx_disable_kvm");
	/* KVM_IRQFD deassign: irqfd_shutdown() reads the counter */
	trigger->irqfd = -1;
	trigger->refs--;
	trigger->count = 0;
	unmask->resampler = 0;
	unmask->refs--;
	IRQSIM_EVENT(ctx, true, "vfio_intx_disable_kvm",
		     "dev%d KVM irqfd on efd%d removed, resamplefd efd%d closed",
		     v->dev, qemu_intx_efd(v->dev),
		     qemu_intx_unmask_efd(v->dev));
	IRQSIM_ACCESS(ctx,
		      IRQSIM_OBJ(VFIO_OBJ_EVENTFD, qemu_intx_efd(v->dev), 0),
		      IRQSIM_ACC_RMW);
	/* vfio_notifier_cleanup(unmask): the close hangs up the virqfd */
	vfio_virqfd_hup(ctx, qemu_intx_unmask_efd(v->dev));
	q->kvm_accel = 0;
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_UNMASK |
					  VFIO_IRQ_SET_DATA_NONE,
				  1, 0));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_intx_disable_kvm);

static enum irqsim_step call_vfio_intx_disable_kvm(struct irqsim_ctx *ctx,
						   int dev)
{
	return irqsim_call(ctx, fn_vfio_intx_disable_kvm, dev, 0, 0, 0);
}

struct qemu_vfio_intx_enable_frame {
	int dev;
};

/**
 * qemu_vfio_intx_enable - QEMU's vfio_intx_enable(): whatever interrupt
 * mode is on goes first (vfio_disable_interrupts()), then the trigger
 * eventfd via SET_IRQS INTx TRIGGER, then vfio_intx_enable_kvm()
 * @dev: the device
 *
 * A failed vfio_intx_enable_kvm() leaves INTx on QEMU's path; QEMU only
 * warns. The caller holds the BQL.
 *
 * Return: 0, or the error of the trigger's SET_IRQS (QEMU reports it).
 */
static enum irqsim_step qemu_vfio_intx_enable(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct qemu_vfio_intx_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_vfio_intx_enable_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_intx *q = &w->qdev[v->dev].intx;

	IRQSIM_BEGIN(f);
	if (qemu_interrupt_mode(w, v->dev) != QEMU_INT_NONE)
		IRQSIM_CALL(call_vfio_disable_interrupts(ctx, v->dev));
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_TRIGGER |
					  VFIO_IRQ_SET_DATA_EVENTFD,
				  1, qemu_intx_efd(v->dev)));
	if (setirqs_report(ctx, f->ret, "failed to setup INTx fd") < 0)
		IRQSIM_RETURN(ctx, f->ret);
	q->enabled = 1;
	if (irqsim_knob(ctx, vmm_knob_no_kvm_intx)) {
		IRQSIM_EVENT(ctx, true, "vfio_intx_enable",
			     "dev%d INTx via QEMU (efd%d in the main loop)",
			     v->dev, qemu_intx_efd(v->dev));
		IRQSIM_RETURN_YIELD(ctx, 0);
	}
	IRQSIM_CALL(call_vfio_intx_enable_kvm(ctx, v->dev));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_vfio_intx_enable);

enum irqsim_step call_qemu_vfio_intx_enable(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn_qemu_vfio_intx_enable, dev, 0, 0, 0);
}

struct qemu_vfio_intx_disable_frame {
	int dev;
};

/**
 * qemu_vfio_intx_disable - QEMU's vfio_intx_disable()
 * @dev: the device
 *
 * vfio_intx_disable_kvm(), SET_IRQS INTx TRIGGER|DATA_NONE with count 0
 * (the kernel's vfio_intx_disable(): free_irq()), intx.pending = false,
 * pci_irq_deassert(), the BAR mmaps back, the trigger's fd handler off
 * and the eventfd closed (an event the main loop had not read goes with
 * it), interrupt = VFIO_INT_NONE. The caller holds the BQL.
 */
static enum irqsim_step qemu_vfio_intx_disable(struct irqsim_ctx *ctx,
					       struct irqsim_frame *f)
{
	struct qemu_vfio_intx_disable_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_vfio_intx_disable_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_intx *q = &w->qdev[v->dev].intx;

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_vfio_intx_disable_kvm(ctx, v->dev));
	/* vfio_device_irq_disable(): the result is not looked at */
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_TRIGGER |
					  VFIO_IRQ_SET_DATA_NONE,
				  0, 0));
	q->pending = 0;
	guest_intx_deassert(ctx, v->dev, "vfio_intx_disable");
	w->vfio.efd[qemu_intx_efd(v->dev)].count = 0;
	q->enabled = 0;
	IRQSIM_EVENT(ctx, true, "vfio_intx_disable",
		     "dev%d: QEMU INTx off (efd%d closed)", v->dev,
		     qemu_intx_efd(v->dev));
	IRQSIM_ACCESS(ctx,
		      IRQSIM_OBJ(VFIO_OBJ_EVENTFD, qemu_intx_efd(v->dev), 0),
		      IRQSIM_ACC_WRITE);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_vfio_intx_disable);

enum irqsim_step call_qemu_vfio_intx_disable(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn_qemu_vfio_intx_disable, dev, 0, 0, 0);
}

struct qemu_intx_op_frame {
	int dev;
	int what;		/* enum qemu_intx_op */
};

/**
 * qemu_intx_op - a trace operation that runs QEMU's INTx code as QEMU
 * runs it: on its thread, holding the BQL
 * @dev:  the device
 * @what: enum qemu_intx_op: vfio_intx_enable(), vfio_intx_disable(),
 *        vfio_intx_enable_kvm() or vfio_intx_disable_kvm()
 *
 * QEMU calls these with the BQL held: from a trapped config write
 * (vfio_pci_write_config() -> vfio_msix_disable() -> vfio_intx_enable()),
 * from its reset and realize paths, and from the INTx routing and
 * irqchip change notifiers (vfio_intx_update()). On a vCPU thread the
 * vCPU is out of guest mode while it runs (it takes no guest interrupt).
 *
 * Return: the called function's.
 */
static enum irqsim_step qemu_intx_op(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	struct qemu_intx_op_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_intx_op_frame);

	IRQSIM_BEGIN(f);
	qemu_enter(ctx, 1);
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	/* one call, one resume point: every branch returns here */
	IRQSIM_CALL(v->what == QEMU_INTX_OP_ENABLE ?
		call_qemu_vfio_intx_enable(ctx, v->dev) :
	    v->what == QEMU_INTX_OP_DISABLE ?
		call_qemu_vfio_intx_disable(ctx, v->dev) :
	    v->what == QEMU_INTX_OP_ENABLE_KVM ?
		call_vfio_intx_enable_kvm(ctx, v->dev) :
		call_vfio_intx_disable_kvm(ctx, v->dev));
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	qemu_enter(ctx, 0);
	IRQSIM_RETURN_YIELD(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_intx_op);

struct vfio_intx_interrupt_frame {
	int dev;
};

/*
 * vfio_intx_interrupt(): QEMU's main loop read intx.interrupt: pending,
 * pci_irq_assert(), BAR mmaps off (guest accesses trap). Under the BQL,
 * as every fd handler of the main loop (os_host_main_loop_wait()).
 * @dev: the device
 */
static enum irqsim_step vfio_intx_interrupt(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct vfio_intx_interrupt_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_intx_interrupt_frame);
	struct vmm_world *w = vmm_w(ctx);

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	w->vfio.efd[qemu_intx_efd(v->dev)].count = 0;
	w->qdev[v->dev].intx.pending = 1;
	guest_intx_assert(ctx, v->dev, "vfio_intx_interrupt");
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_intx_interrupt);

struct qemu_vfio_set_irqs_intx_frame {
	int dev;
	int action;		/* enum qemu_intx_action */
};

/*
 * vfio_set_irqs_intx: QEMU's ioctl(VFIO_DEVICE_SET_IRQS) on INTx with
 * DATA_NONE.
 * @dev:    the device
 * @action: enum qemu_intx_action
 */
static enum irqsim_step qemu_vfio_set_irqs_intx(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	static const int flags[] = {
		[QEMU_INTX_MASK] = VFIO_IRQ_SET_ACTION_MASK,
		[QEMU_INTX_UNMASK] = VFIO_IRQ_SET_ACTION_UNMASK,
		[QEMU_INTX_TRIGGER] = VFIO_IRQ_SET_ACTION_TRIGGER,
		[QEMU_INTX_DISABLE] = VFIO_IRQ_SET_ACTION_TRIGGER,
	};
	struct qemu_vfio_set_irqs_intx_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_vfio_set_irqs_intx_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  flags[v->action] | VFIO_IRQ_SET_DATA_NONE,
				  v->action == QEMU_INTX_DISABLE ? 0 : 1, 0));
	if (v->action == QEMU_INTX_DISABLE && f->ret == 0)
		vmm_w(ctx)->qdev[v->dev].intx.enabled = 0;
	setirqs_report(ctx, f->ret, "INTx SET_IRQS");
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN_AS(qemu_vfio_set_irqs_intx, "vfio_set_irqs_intx");

enum irqsim_step call_qemu_vfio_set_irqs_intx(struct irqsim_ctx *ctx, int dev,
					      int action)
{
	return irqsim_call(ctx, fn_qemu_vfio_set_irqs_intx, dev, action, 0, 0);
}

void vmm_register_qemu_intx(void)
{
	vmm_knob_no_kvm_intx = irqsim_knob_register(&knob_no_kvm_intx);
}
