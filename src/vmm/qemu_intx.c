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

#include <errno.h>

int vmm_knob_no_kvm_intx;
int fn_qemu_vfio_intx_enable;
int fn_qemu_vfio_set_irqs_intx;
int fn_vfio_intx_interrupt;

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
static void guest_intx_trace(struct irqsim_ctx *ctx, const char *tp, int dev)
{
	const struct qemu_intx *q = &vmm_w(ctx)->qdev[dev].intx;

	IRQSIM_TRACE(ctx, tp, "dev=%d level=%d in_service=%d", dev,
		     q->guest_level, q->guest_in_service);
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
	IRQSIM_EVENT(ctx, true, via, "dev%d guest INTx asserted%s", dev,
		     q->guest_in_service ? " (guest still in its handler)" :
					   ": pending on vcpu0");
	guest_intx_trace(ctx, "guest_intx_assert", dev);
}

void guest_intx_deassert(struct irqsim_ctx *ctx, int dev, const char *via)
{
	struct vmm_world *w = vmm_w(ctx);

	w->qdev[dev].intx.guest_level = 0;
	IRQSIM_EVENT(ctx, false, via, "dev%d guest INTx deasserted", dev);
	guest_intx_trace(ctx, "guest_intx_deassert", dev);
}

void guest_intx_eoi(struct irqsim_ctx *ctx, int dev)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_intx *q = &w->qdev[dev].intx;

	q->guest_in_service = 0;
	if (q->guest_level) {
		w->vcpu[0].virr |= 1u << GUEST_INTX_IDX(dev);
		IRQSIM_EVENT(ctx, true, "guest",
			     "dev%d EOI with the guest INTx still asserted: delivered again",
			     dev);
		guest_intx_trace(ctx, "guest_intx_eoi", dev);
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
	return irqsim_call(ctx, fn_vfio_pci_ioctl_set_irqs, dev,
			   vfio_set_irqs_arg_flags(VFIO_PCI_INTX_IRQ_INDEX,
						   flags),
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

enum {
	IE_TRIGGER,
	IE_MASK,
	IE_IRQFD,
	IE_UNMASK,
	IE_DONE,
};

/**
 * qemu_vfio_intx_enable - QEMU's vfio_intx_enable(): the trigger eventfd
 * via SET_IRQS TRIGGER; then, unless x_no_kvm_intx, vfio_intx_enable_kvm():
 * mask, a KVM irqfd with resamplefd on the trigger, the resamplefd as
 * VFIO's unmask eventfd, unmask ("Let'em rip").
 * @arg0: dev
 *
 * Return: 0, or the SET_IRQS error (QEMU reports it).
 */
static enum irqsim_step qemu_vfio_intx_enable(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0];
	struct qemu_intx *q = &w->qdev[dev].intx;
	struct eventfd_ctx *trigger = &w->vfio.efd[qemu_intx_efd(dev)];
	struct eventfd_ctx *unmask = &w->vfio.efd[qemu_intx_unmask_efd(dev)];

	switch (f->pc) {
	case IE_TRIGGER:
		f->pc = IE_MASK;
		return set_irqs_intx(ctx, dev,
				     VFIO_IRQ_SET_ACTION_TRIGGER |
					     VFIO_IRQ_SET_DATA_EVENTFD,
				     1, qemu_intx_efd(dev));
	case IE_MASK:
		if (setirqs_report(ctx, f->ret, "failed to setup INTx fd") < 0)
			return irqsim_return(ctx, f->ret);
		q->enabled = 1;
		if (irqsim_knob(ctx, vmm_knob_no_kvm_intx)) {
			IRQSIM_EVENT(ctx, true, "vfio_intx_enable",
				     "dev%d INTx via QEMU (efd%d in the main loop)",
				     dev, qemu_intx_efd(dev));
			return irqsim_return_yield(ctx, 0);
		}
		/* vfio_intx_enable_kvm(): vfio_device_irq_mask() */
		f->pc = IE_IRQFD;
		return set_irqs_intx(ctx, dev,
				     VFIO_IRQ_SET_ACTION_MASK |
					     VFIO_IRQ_SET_DATA_NONE,
				     1, 0);
	case IE_IRQFD:
		q->pending = 0;
		q->guest_level = 0;
		/* kvm_irqchip_add_irqfd_notifier_gsi(interrupt, unmask) */
		trigger->irqfd = (int8_t)GUEST_INTX_IDX(dev);
		trigger->refs++;
		unmask->resampler = 1;
		unmask->refs++;
		IRQSIM_EVENT(ctx, true, "vfio_intx_enable_kvm",
			     "dev%d KVM irqfd on efd%d, resamplefd efd%d", dev,
			     qemu_intx_efd(dev), qemu_intx_unmask_efd(dev));
		f->pc = IE_UNMASK;
		return set_irqs_intx(ctx, dev,
				     VFIO_IRQ_SET_ACTION_UNMASK |
					     VFIO_IRQ_SET_DATA_EVENTFD,
				     1, qemu_intx_unmask_efd(dev));
	case IE_UNMASK:
		setirqs_report(ctx, f->ret, "failed to setup INTx unmask fd");
		/* "Let'em rip" */
		f->pc = IE_DONE;
		return set_irqs_intx(ctx, dev,
				     VFIO_IRQ_SET_ACTION_UNMASK |
					     VFIO_IRQ_SET_DATA_NONE,
				     1, 0);
	case IE_DONE:
	default:
		q->kvm_accel = 1;
		return irqsim_return(ctx, 0);
	}
}

/*
 * vfio_intx_interrupt(): QEMU's main loop read intx.interrupt: pending,
 * pci_irq_assert(), BAR mmaps off (guest accesses trap). @arg0 dev.
 */
static enum irqsim_step vfio_intx_interrupt(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0];

	w->vfio.efd[qemu_intx_efd(dev)].count = 0;
	w->qdev[dev].intx.pending = 1;
	guest_intx_assert(ctx, dev, "vfio_intx_interrupt");
	return irqsim_return_yield(ctx, 0);
}

/*
 * vfio_set_irqs_intx: QEMU's ioctl(VFIO_DEVICE_SET_IRQS) on INTx with
 * DATA_NONE: @arg1 is enum qemu_intx_action. @arg0 dev.
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
	int action = f->arg[1];

	if (f->pc == 0) {
		f->pc = 1;
		return set_irqs_intx(ctx, f->arg[0],
				     flags[action] | VFIO_IRQ_SET_DATA_NONE,
				     action == QEMU_INTX_DISABLE ? 0 : 1, 0);
	}
	if (action == QEMU_INTX_DISABLE && f->ret == 0)
		vmm_w(ctx)->qdev[f->arg[0]].intx.enabled = 0;
	setirqs_report(ctx, f->ret, "INTx SET_IRQS");
	return irqsim_return(ctx, f->ret);
}

void vmm_register_qemu_intx(void)
{
	vmm_knob_no_kvm_intx = irqsim_knob_register(&knob_no_kvm_intx);
	fn_qemu_vfio_intx_enable = irqsim_fn_register("qemu_vfio_intx_enable",
						      qemu_vfio_intx_enable);
	fn_vfio_intx_interrupt =
		irqsim_fn_register("vfio_intx_interrupt", vfio_intx_interrupt);
	fn_qemu_vfio_set_irqs_intx = irqsim_fn_register(
		"vfio_set_irqs_intx", qemu_vfio_set_irqs_intx);
}
