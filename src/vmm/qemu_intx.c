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

struct qemu_vfio_intx_enable_frame {
	int dev;
};

/**
 * qemu_vfio_intx_enable - QEMU's vfio_intx_enable(): the trigger eventfd
 * via SET_IRQS TRIGGER; then, unless x_no_kvm_intx, vfio_intx_enable_kvm():
 * mask, a KVM irqfd with resamplefd on the trigger, the resamplefd as
 * VFIO's unmask eventfd, unmask ("Let'em rip").
 * @dev: the device
 *
 * A failed SET_IRQS of the unmask eventfd undoes the irqfd and leaves INTx
 * on QEMU's path, as vfio_intx_enable_kvm()'s error labels do.
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
	struct eventfd_ctx *trigger = &w->vfio.efd[qemu_intx_efd(v->dev)];
	struct eventfd_ctx *unmask =
		&w->vfio.efd[qemu_intx_unmask_efd(v->dev)];

	IRQSIM_BEGIN(f);
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
	/* vfio_intx_enable_kvm(): vfio_device_irq_mask() */
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_MASK |
					  VFIO_IRQ_SET_DATA_NONE,
				  1, 0));
	q->pending = 0;
	q->guest_level = 0;
	/* kvm_irqchip_add_irqfd_notifier_gsi(interrupt, unmask) */
	trigger->irqfd = (int8_t)GUEST_INTX_IDX(v->dev);
	trigger->refs++;
	unmask->resampler = 1;
	unmask->refs++;
	IRQSIM_EVENT(ctx, true, "vfio_intx_enable_kvm",
		     "dev%d KVM irqfd on efd%d, resamplefd efd%d", v->dev,
		     qemu_intx_efd(v->dev), qemu_intx_unmask_efd(v->dev));
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_UNMASK |
					  VFIO_IRQ_SET_DATA_EVENTFD,
				  1, qemu_intx_unmask_efd(v->dev)));
	if (setirqs_report(ctx, f->ret, "failed to setup INTx unmask fd") < 0) {
		/*
		 * fail_vfio: kvm_irqchip_remove_irqfd_notifier_gsi() (KVM's
		 * irqfd_resampler_shutdown() deasserts the GSI); fail_irqfd:
		 * the unmask notifier goes; fail: the trigger back to the
		 * main loop (vfio_intx_interrupt), vfio_device_irq_unmask().
		 * kvm_accel stays false; vfio_intx_enable() only warns
		 * (hw/vfio/pci.c vfio_intx_enable_kvm(), QEMU 10.x).
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
		IRQSIM_RETURN(ctx, 0);
	}
	/* "Let'em rip" */
	IRQSIM_CALL(set_irqs_intx(ctx, v->dev,
				  VFIO_IRQ_SET_ACTION_UNMASK |
					  VFIO_IRQ_SET_DATA_NONE,
				  1, 0));
	q->kvm_accel = 1;
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_vfio_intx_enable);

struct vfio_intx_interrupt_frame {
	int dev;
};

/*
 * vfio_intx_interrupt(): QEMU's main loop read intx.interrupt: pending,
 * pci_irq_assert(), BAR mmaps off (guest accesses trap).
 * @dev: the device
 */
static enum irqsim_step vfio_intx_interrupt(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct vfio_intx_interrupt_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_intx_interrupt_frame);
	struct vmm_world *w = vmm_w(ctx);

	IRQSIM_BEGIN(f);
	w->vfio.efd[qemu_intx_efd(v->dev)].count = 0;
	w->qdev[v->dev].intx.pending = 1;
	guest_intx_assert(ctx, v->dev, "vfio_intx_interrupt");
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
