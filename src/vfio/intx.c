// SPDX-License-Identifier: MIT
/*
 * Models the INTx part of drivers/vfio/pci/vfio_pci_intrs.c (Linux v6.18):
 * vfio_intx_enable, vfio_intx_set_signal, vfio_intx_disable,
 * vfio_intx_handler, vfio_send_intx_eventfd, __vfio_pci_intx_mask,
 * vfio_pci_intx_unmask_handler, __vfio_pci_intx_unmask, the SET_IRQS
 * handlers vfio_pci_set_intx_mask/_unmask/_trigger, and the unmask virqfd
 * of drivers/vfio/virqfd.c (vfio_virqfd_enable/_disable, virqfd_wakeup).
 *
 * seeds/001: a device without PCI 2.3 masking can only be masked at the
 * interrupt controller. vfio_intx_handler() does disable_irq_nosync(),
 * which is lazy: the line is only marked disabled. Alex Williamson's
 * sequence on a controller that does not re-signal a line that stayed
 * asserted (ppc64):
 *
 *   device / controller        host CPU                VMM, guest
 *   INTx asserted
 *                              vfio_intx_handler():
 *                                disable_irq_nosync()  (lazy: unmasked)
 *                                eventfd_signal()  ->  guest interrupt
 *                                                      driver services the
 *   INTx deasserted                                    device
 *   INTx asserted again
 *                              handle_fasteoi_irq():
 *                                disabled: mask, EOI
 *                                                      unmask ioctl:
 *                                                        enable_irq():
 *                                                        unmask
 *   still asserted, no new
 *   assertion: nothing sent    (nobody services the device again)
 *
 * 8b9f128947dd ("vfio/pci: Fix INTx handling on legacy non-PCI 2.3
 * devices", v6.18) sets IRQ_DISABLE_UNLAZY for such devices before
 * request_irq(), so the line is masked at disable_irq_nosync() and the
 * new assertion is latched by the masked controller and sent on unmask.
 * Its [PATCH v2] did not clear the flag when request_irq() fails ("This
 * branch is an example of where we're not clearing the flag on error"):
 * the intx_unlazy knob has off (before the fix), v2 and on (as merged).
 */
#include "vfio/internal.h"
#include "vfio/trace.h"

#include <errno.h>

int vfio_knob_intx_unlazy;

static const char *const unlazy_names[] = { "off", "v2", "on", NULL };

static const struct irqsim_knob knob_intx_unlazy = {
	.name = "intx_unlazy",
	.doc = "8b9f128947dd (v6.18) vfio_intx_enable(): IRQ_DISABLE_UNLAZY "
	       "for non-PCI-2.3 INTx, cleared on the request_irq() error path "
	       "and after free_irq(); v2 = the [PATCH v2] of seeds/001, not "
	       "cleared on the error path; off = before the fix (lazy)",
	.def = INTX_UNLAZY_ON,
	.max = INTX_UNLAZY_ON,
	.values = unlazy_names,
};

static struct pci_dev *vdev_pdev(struct irqsim_ctx *ctx, int dev)
{
	return &vfio_w(ctx)->msi.dev[dev];
}

static bool is_intx(const struct vfio_pci_core_device *vdev)
{
	return vdev->irq_type == VFIO_PCI_INTX_IRQ_INDEX;
}

static bool is_irq_none(const struct vfio_pci_core_device *vdev)
{
	return vdev->irq_type == VFIO_PCI_NUM_IRQS;
}

/* vfio_send_intx_eventfd(): signal the trigger of an INTx ctx. */
static void vfio_send_intx_eventfd(struct irqsim_ctx *ctx, int dev)
{
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	int trigger = vdev->ctx[0].trigger;

	if (!is_intx(vdev) || vdev->virq_disabled || trigger < 0)
		return;
	trace_vfio_send_intx_eventfd(ctx, dev, trigger);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, trigger, 0),
		      IRQSIM_ACC_RMW);
	eventfd_signal(ctx, trigger);
}

struct vfio_intx_handler_frame {
	int irq;
	int dev_id;
	int dev;
	int unused;
	int ret;
};

/**
 * vfio_intx_handler - VFIO's INTx action (hard irq)
 * @irq:    Linux irq
 * @dev_id: the action's cookie (the ctx)
 * @dev:    the device (handler data)
 *
 * Under irqlock: a non-2.3 device is disabled at the irq
 * (disable_irq_nosync: lazy unless IRQ_DISABLE_UNLAZY) and always
 * handled; a 2.3 device is handled only if VFIO has not masked it yet and
 * pci_check_and_mask_intx() finds it pending (the line may be shared).
 * A handled interrupt is signalled to userspace after the unlock.
 *
 * Return: IRQ_HANDLED or IRQ_NONE.
 */
static enum irqsim_step vfio_intx_handler(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct vfio_intx_handler_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_intx_handler_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	struct vfio_pci_irq_ctx *ictx = &vdev->ctx[0];
	bool pci_2_3 = vdev_pdev(ctx, v->dev)->intx.pci_2_3;

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, VFIO_LOCK_IRQLOCK(v->dev));
	v->ret = IRQ_NONE;
	if (!pci_2_3) {
		ictx->masked = 1;
		v->ret = IRQ_HANDLED;
		trace_vfio_intx_handler_disable_irq(ctx, v->dev, v->irq, ictx);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_INTX_MASKED, v->dev, 0),
			      IRQSIM_ACC_WRITE);
		IRQSIM_CALL(call_disable_irq_nosync(ctx, v->irq));
	} else {
		/* "may be shared" */
		if (!ictx->masked && pci_check_and_mask_intx(ctx, v->dev)) {
			ictx->masked = 1;
			v->ret = IRQ_HANDLED;
			trace_vfio_intx_handler_masked(ctx, v->dev, ictx);
		} else {
			trace_vfio_intx_handler_none(ctx, v->dev, ictx);
		}
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_INTX_MASKED, v->dev, 0),
			      IRQSIM_ACC_RMW);
		IRQSIM_YIELD_POINT();
	}
	raw_spin_unlock_irqrestore(ctx, VFIO_LOCK_IRQLOCK(v->dev));
	if (v->ret == IRQ_HANDLED)
		vfio_send_intx_eventfd(ctx, v->dev);
	IRQSIM_RETURN_YIELD(ctx, v->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_intx_handler);

struct vfio_pci_intx_unmask_handler_frame {
	int dev;
	int unused1, unused2, unused3;	/* argument slots it does not take */
	int ret;
};

/**
 * vfio_pci_intx_unmask_handler - under irqlock: a masked INTx is unmasked
 * @dev: the device
 *
 * Non-2.3: enable_irq() (depth 1 -> 0: unmask at the controller). 2.3:
 * pci_check_and_unmask_intx(); if the device still has an interrupt
 * pending it stays masked and the return value asks the caller to signal
 * the eventfd again instead ("A pending interrupt here would immediately
 * trigger, but we can avoid that overhead by just re-sending").
 *
 * Return: 1 if the eventfd must be signalled, else 0.
 */
static enum irqsim_step vfio_pci_intx_unmask_handler(struct irqsim_ctx *ctx,
						     struct irqsim_frame *f)
{
	struct vfio_pci_intx_unmask_handler_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_pci_intx_unmask_handler_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	struct vfio_pci_irq_ctx *ictx = &vdev->ctx[0];
	struct pci_dev *pdev = vdev_pdev(ctx, v->dev);

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, VFIO_LOCK_IRQLOCK(v->dev));
	v->ret = 0;
	if (!is_intx(vdev)) {
		/* the physical bit follows the virtual one */
		if (pdev->intx.pci_2_3)
			pci_intx(ctx, v->dev, true);
	} else if (!ictx->masked || vdev->virq_disabled) {
		trace_vfio_pci_intx_unmask_handler_not_masked(ctx, v->dev,
							      ictx);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_INTX_MASKED, v->dev, 0),
			      IRQSIM_ACC_READ);
	} else if (pdev->intx.pci_2_3) {
		if (!pci_check_and_unmask_intx(ctx, v->dev))
			v->ret = 1;
		ictx->masked = v->ret > 0;
		trace_vfio_pci_intx_unmask_handler_check(ctx, v->dev, ictx);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_INTX_MASKED, v->dev, 0),
			      IRQSIM_ACC_WRITE);
	} else {
		trace_vfio_pci_intx_unmask_handler_enable_irq(
			ctx, v->dev, pdev->intx.irq, ictx);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_INTX_MASKED, v->dev, 0),
			      IRQSIM_ACC_READ);
		IRQSIM_CALL(call_enable_irq(ctx, pdev->intx.irq));
		ictx->masked = 0;
		goto out_unlock;
	}
	/* one resume point for every branch above */
	IRQSIM_YIELD_POINT();
out_unlock:
	raw_spin_unlock_irqrestore(ctx, VFIO_LOCK_IRQLOCK(v->dev));
	IRQSIM_RETURN_YIELD(ctx, v->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_pci_intx_unmask_handler);

enum irqsim_step call_vfio_pci_intx_unmask_handler(struct irqsim_ctx *ctx,
						   int dev)
{
	return irqsim_call(ctx, fn_vfio_pci_intx_unmask_handler, dev, 0, 0, 0);
}

struct __vfio_pci_intx_unmask_frame {
	int dev;
};

/**
 * __vfio_pci_intx_unmask - unmask, and signal the eventfd again if the
 * device is still pending
 * @dev: the device
 */
static enum irqsim_step __vfio_pci_intx_unmask(struct irqsim_ctx *ctx,
					       struct irqsim_frame *f)
{
	struct __vfio_pci_intx_unmask_frame *v =
		IRQSIM_FRAME_VARS(f, struct __vfio_pci_intx_unmask_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_vfio_pci_intx_unmask_handler(ctx, v->dev));
	if (f->ret > 0)
		vfio_send_intx_eventfd(ctx, v->dev);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(__vfio_pci_intx_unmask);

enum irqsim_step call___vfio_pci_intx_unmask(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn___vfio_pci_intx_unmask, dev, 0, 0, 0);
}

struct __vfio_pci_intx_mask_frame {
	int dev;
};

/**
 * __vfio_pci_intx_mask - under irqlock, mask unconditionally: DisINTx
 * for a 2.3 device, disable_irq_nosync() otherwise
 * @dev: the device
 */
static enum irqsim_step __vfio_pci_intx_mask(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct __vfio_pci_intx_mask_frame *v =
		IRQSIM_FRAME_VARS(f, struct __vfio_pci_intx_mask_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	struct pci_dev *pdev = vdev_pdev(ctx, v->dev);

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, VFIO_LOCK_IRQLOCK(v->dev));
	if (!is_intx(vdev)) {
		if (pdev->intx.pci_2_3)
			pci_intx(ctx, v->dev, false);
	} else if (!vdev->ctx[0].masked) {
		vdev->ctx[0].masked = 1;
		if (!pdev->intx.pci_2_3) {
			IRQSIM_CALL(call_disable_irq_nosync(ctx,
							    pdev->intx.irq));
			goto out_unlock;
		}
		pci_intx(ctx, v->dev, false);
	}
	/* one resume point for every branch above */
	IRQSIM_YIELD_POINT();
out_unlock:
	raw_spin_unlock_irqrestore(ctx, VFIO_LOCK_IRQLOCK(v->dev));
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(__vfio_pci_intx_mask);

enum irqsim_step call___vfio_pci_intx_mask(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn___vfio_pci_intx_mask, dev, 0, 0, 0);
}

struct vfio_intx_enable_frame {
	int dev;
	int trigger;
	int unused2, unused3;	/* argument slots it does not take */
	int err;
};

/**
 * vfio_intx_enable - INTx from "no interrupts" (igate held)
 * @dev:     the device
 * @trigger: trigger eventfd (a reference the caller took), or -1
 *
 * ctx->masked starts as virq_disabled; a 2.3 device's DisINTx follows it
 * and its irq is requested shared, a non-2.3 device's exclusive. irq_type
 * is INTx before request_irq() (the handler needs it stable). With the
 * fix, a non-2.3 irq gets IRQ_DISABLE_UNLAZY before request_irq(), and
 * loses it again if request_irq() fails.
 *
 * Return: 0, -EINVAL (not idle), -ENODEV (no pin) or request_irq()'s
 * error, with irq_type back to none and the ctx freed; the caller puts
 * the trigger.
 */
static enum irqsim_step vfio_intx_enable(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct vfio_intx_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_intx_enable_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	struct pci_dev *pdev = vdev_pdev(ctx, v->dev);
	int irq = pdev->intx.irq;
	int unlazy = irqsim_knob(ctx, vfio_knob_intx_unlazy);

	IRQSIM_BEGIN(f);
	if (!is_irq_none(vdev))
		IRQSIM_RETURN(ctx, -EINVAL);
	if (!pdev->intx.present || irq <= 0)
		IRQSIM_RETURN(ctx, -ENODEV);
	/* vfio_irq_ctx_alloc(): ctx 0 */
	vdev->ctx[0].trigger = (int8_t)v->trigger;
	vdev->ctx[0].masked = vdev->virq_disabled;
	vdev->num_ctx = 1;
	if (pdev->intx.pci_2_3) {
		pci_intx(ctx, v->dev, !vdev->ctx[0].masked);
		IRQSIM_YIELD_POINT();
	}
	vdev->irq_type = VFIO_PCI_INTX_IRQ_INDEX;
	IRQSIM_EVENT(ctx, true, "vfio_intx_enable",
		     "dev%d irq_type = INTx (%s, %s)", v->dev,
		     pdev->intx.pci_2_3 ? "PCI 2.3, IRQF_SHARED" :
					  "no DisINTx, exclusive",
		     !pdev->intx.pci_2_3 && unlazy != INTX_UNLAZY_OFF ?
			     "IRQ_DISABLE_UNLAZY" :
			     "lazy disable");
	if (!pdev->intx.pci_2_3 && unlazy != INTX_UNLAZY_OFF)
		IRQSIM_CALL(call_irq_modify_status(ctx, irq, 0,
						   IRQ_DISABLE_UNLAZY));
	else
		IRQSIM_YIELD_POINT();
	IRQSIM_CALL(call_request_irq(ctx, irq, fn_vfio_intx_handler,
				     vfio_intx_dev_id(v->dev), v->dev));
	if (f->ret >= 0)
		IRQSIM_RETURN_YIELD(ctx, 0);
	v->err = f->ret;
	vw->stats.intx_enable_errors++;
	IRQSIM_EVENT(ctx, true, "vfio_intx_enable",
		     "dev%d request_irq(%d) failed: %d", v->dev, irq, f->ret);
	/* [PATCH v2] had no such branch */
	if (!pdev->intx.pci_2_3 && unlazy == INTX_UNLAZY_ON)
		IRQSIM_CALL(call_irq_modify_status(ctx, irq, IRQ_DISABLE_UNLAZY,
						   0));
	vw->stats.intx_enable_error_step = vw->msi.irq.apic.sched.step;
	vdev->irq_type = VFIO_PCI_NUM_IRQS;
	/* vfio_irq_ctx_free(): the trigger reference is the caller's */
	vdev->ctx[0].trigger = -1;
	vdev->ctx[0].masked = 0;
	vdev->num_ctx = 0;
	IRQSIM_RETURN_YIELD(ctx, v->err);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_intx_enable);

enum irqsim_step call_vfio_intx_enable(struct irqsim_ctx *ctx, int dev,
				       int trigger)
{
	return irqsim_call(ctx, fn_vfio_intx_enable, dev, trigger, 0, 0);
}

struct vfio_intx_set_signal_frame {
	int dev;
	int trigger;
	int unused2, unused3;	/* argument slots it does not take */
	int old;
};

/**
 * vfio_intx_set_signal - swap the trigger of an enabled INTx; the old
 * one is put after synchronize_irq() so no running handler still uses it
 * @dev:     the device
 * @trigger: the new trigger (a reference the caller took), or -1
 */
static enum irqsim_step vfio_intx_set_signal(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct vfio_intx_set_signal_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_intx_set_signal_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_irq_ctx *ictx = &vw->vdev[v->dev].ctx[0];
	int irq = vdev_pdev(ctx, v->dev)->intx.irq;

	IRQSIM_BEGIN(f);
	v->old = ictx->trigger;
	/* WRITE_ONCE(ctx->trigger, trigger) */
	ictx->trigger = (int8_t)v->trigger;
	IRQSIM_EVENT(ctx, true, "vfio_intx_set_signal",
		     "dev%d trigger efd%d -> efd%d", v->dev, v->old,
		     v->trigger);
	if (v->old < 0)
		IRQSIM_RETURN_YIELD(ctx, 0);
	/* synchronize_irq(): wait until no handler runs */
	IRQSIM_YIELD_WAIT_UNTIL(ctx,
				!(vw->msi.irq.desc[irq].irqd &
				  IRQD_IRQ_INPROGRESS),
				IRQ_TOKEN_INPROGRESS(irq));
	eventfd_ctx_put(vw, v->old);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_intx_set_signal);

enum irqsim_step call_vfio_intx_set_signal(struct irqsim_ctx *ctx, int dev,
					   int trigger)
{
	return irqsim_call(ctx, fn_vfio_intx_set_signal, dev, trigger, 0, 0);
}

/*
 * vfio_virqfd_disable(): the unmask virqfd goes, with its reference. Its
 * shutdown work, which vfio_virqfd_disable() flushes, reads the counter
 * as it leaves the wait queue (virqfd_shutdown() ->
 * eventfd_ctx_remove_wait_queue(), drivers/vfio/virqfd.c).
 */
static void vfio_virqfd_disable(struct irqsim_ctx *ctx, int dev)
{
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_irq_ctx *ictx = &vw->vdev[dev].ctx[0];

	if (ictx->unmask < 0)
		return;
	IRQSIM_EVENT(ctx, false, "vfio_virqfd_disable",
		     "dev%d unmask virqfd on efd%d removed", dev, ictx->unmask);
	vw->efd[ictx->unmask].count = 0;
	vw->efd[ictx->unmask].virqfd = -1;
	eventfd_ctx_put(vw, ictx->unmask);
	ictx->unmask = -1;
}

void vfio_virqfd_hup(struct irqsim_ctx *ctx, int efd)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = vw->efd[efd].virqfd;

	/*
	 * virqfd_wakeup() with EPOLLHUP: under virqfd_lock, a virqfd still
	 * installed (*pvirqfd == virqfd) is cleared and its shutdown queued;
	 * the shutdown takes it off the wait queue (reading the counter) and
	 * puts its reference.
	 */
	if (dev < 0 || vw->vdev[dev].ctx[0].unmask != efd)
		return;
	IRQSIM_EVENT(ctx, false, "virqfd_wakeup",
		     "efd%d closed (EPOLLHUP): dev%d unmask virqfd deactivated",
		     efd, dev);
	vfio_virqfd_disable(ctx, dev);
}

struct vfio_intx_disable_frame {
	int dev;
};

/**
 * vfio_intx_disable - virqfds off, free_irq(), with the fix (and v2)
 * IRQ_DISABLE_UNLAZY cleared for a non-2.3 device, the trigger put, the
 * ctx freed, irq_type none (__free_irq() clears the flag on the last
 * action anyway)
 * @dev: the device
 */
static enum irqsim_step vfio_intx_disable(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct vfio_intx_disable_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_intx_disable_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	struct pci_dev *pdev = vdev_pdev(ctx, v->dev);
	int irq = pdev->intx.irq;

	IRQSIM_BEGIN(f);
	vfio_virqfd_disable(ctx, v->dev);
	IRQSIM_CALL(call_free_irq(ctx, irq, vfio_intx_dev_id(v->dev)));
	if (!pdev->intx.pci_2_3 &&
	    irqsim_knob(ctx, vfio_knob_intx_unlazy) != INTX_UNLAZY_OFF)
		IRQSIM_CALL(call_irq_modify_status(ctx, irq, IRQ_DISABLE_UNLAZY,
						   0));
	if (vdev->ctx[0].trigger >= 0)
		eventfd_ctx_put(vw, vdev->ctx[0].trigger);
	vdev->ctx[0].trigger = -1;
	vdev->ctx[0].masked = 0;
	vdev->num_ctx = 0;
	vdev->irq_type = VFIO_PCI_NUM_IRQS;
	IRQSIM_EVENT(ctx, true, "vfio_intx_disable", "dev%d INTx off", v->dev);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_intx_disable);

enum irqsim_step call_vfio_intx_disable(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn_vfio_intx_disable, dev, 0, 0, 0);
}

struct vfio_virqfd_wakeup_frame {
	int efd;
	int unused1, unused2, unused3;	/* argument slots it does not take */
	int dev;
};

/**
 * vfio_virqfd_wakeup - virqfd_wakeup() of the INTx unmask virqfd, run by
 * whoever signalled its eventfd (KVM's resampler on a guest EOI)
 * @efd: the eventfd
 *
 * Reads the counter, runs vfio_pci_intx_unmask_handler() and, if it asks
 * for it, the "thread" vfio_send_intx_eventfd(). In the kernel the thread
 * is a work item; here it runs at once.
 */
static enum irqsim_step vfio_virqfd_wakeup(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vfio_virqfd_wakeup_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_virqfd_wakeup_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct eventfd_ctx *e = &vw->efd[v->efd];

	IRQSIM_BEGIN(f);
	if (e->virqfd < 0)
		IRQSIM_RETURN(ctx, 0);
	v->dev = e->virqfd;
	/* eventfd_ctx_do_read() */
	e->count = 0;
	IRQSIM_CALL(call_vfio_pci_intx_unmask_handler(ctx, v->dev));
	if (f->ret > 0)
		vfio_send_intx_eventfd(ctx, v->dev);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_virqfd_wakeup);

enum irqsim_step call_vfio_virqfd_wakeup(struct irqsim_ctx *ctx, int efd)
{
	return irqsim_call(ctx, fn_vfio_virqfd_wakeup, efd, 0, 0, 0);
}

static bool data_set(int flags, int32_t data)
{
	return (flags & VFIO_IRQ_SET_DATA_NONE) ||
	       ((flags & VFIO_IRQ_SET_DATA_BOOL) && data);
}

struct vfio_pci_set_intx_mask_frame {
	int dev;
	int flags;
	int count;
	int data;
};

/**
 * vfio_pci_set_intx_mask - NONE/BOOL mask; EVENTFD is -ENOTTY
 * @dev:   the device
 * @flags: VFIO_IRQ_SET_* flags
 * @count: vectors (INTx: 1)
 * @data:  the bool of DATA_BOOL
 */
static enum irqsim_step vfio_pci_set_intx_mask(struct irqsim_ctx *ctx,
					       struct irqsim_frame *f)
{
	struct vfio_pci_set_intx_mask_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_pci_set_intx_mask_frame);
	struct vfio_pci_core_device *vdev = &vfio_w(ctx)->vdev[v->dev];

	IRQSIM_BEGIN(f);
	if (!is_intx(vdev) || v->count != 1)
		IRQSIM_RETURN(ctx, -EINVAL);
	if (v->flags & VFIO_IRQ_SET_DATA_EVENTFD)
		IRQSIM_RETURN(ctx, -ENOTTY); /* "XXX implement me" */
	if (!data_set(v->flags, v->data))
		IRQSIM_RETURN(ctx, 0);
	IRQSIM_CALL(call___vfio_pci_intx_mask(ctx, v->dev));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_pci_set_intx_mask);

enum irqsim_step call_vfio_pci_set_intx_mask(struct irqsim_ctx *ctx, int dev,
					     int flags, int count, int data)
{
	return irqsim_call(ctx, fn_vfio_pci_set_intx_mask, dev, flags, count,
			   data);
}

struct vfio_pci_set_intx_unmask_frame {
	int dev;
	int flags;
	int count;
	int data;
};

/**
 * vfio_pci_set_intx_unmask - NONE/BOOL unmask now; EVENTFD fd >= 0
 * registers the unmask virqfd (KVM's resamplefd), fd < 0 removes it
 * @dev:   the device
 * @flags: VFIO_IRQ_SET_* flags
 * @count: vectors (INTx: 1)
 * @data:  the bool of DATA_BOOL, or the eventfd of DATA_EVENTFD
 */
static enum irqsim_step vfio_pci_set_intx_unmask(struct irqsim_ctx *ctx,
						 struct irqsim_frame *f)
{
	struct vfio_pci_set_intx_unmask_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_pci_set_intx_unmask_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	int fd = v->data;
	int ret;

	IRQSIM_BEGIN(f);
	if (!is_intx(vdev) || v->count != 1)
		IRQSIM_RETURN(ctx, -EINVAL);
	if (!(v->flags & VFIO_IRQ_SET_DATA_EVENTFD)) {
		if (!data_set(v->flags, v->data))
			IRQSIM_RETURN(ctx, 0);
		IRQSIM_CALL(call___vfio_pci_intx_unmask(ctx, v->dev));
		IRQSIM_RETURN(ctx, 0);
	}
	if (fd < 0) {
		vfio_virqfd_disable(ctx, v->dev);
		IRQSIM_RETURN_YIELD(ctx, 0);
	}
	/* vfio_virqfd_enable() */
	ret = eventfd_ctx_fdget(vw, fd);
	if (ret < 0)
		IRQSIM_RETURN(ctx, ret);
	if (vdev->ctx[0].unmask >= 0) {
		eventfd_ctx_put(vw, fd);
		IRQSIM_RETURN(ctx, -EBUSY);
	}
	vdev->ctx[0].unmask = (int8_t)fd;
	vw->efd[fd].virqfd = (int8_t)v->dev;
	IRQSIM_EVENT(ctx, true, "vfio_virqfd_enable",
		     "dev%d unmask virqfd on efd%d", v->dev, fd);
	/*
	 * vfs_poll() saw an event signalled before the registration: the
	 * handler (and the thread) run "as if we didn't miss it", but the
	 * counter is not read here, only by the next virqfd_wakeup() or the
	 * shutdown (drivers/vfio/virqfd.c vfio_virqfd_enable()).
	 */
	if (vw->efd[fd].count) {
		IRQSIM_CALL(call_vfio_pci_intx_unmask_handler(ctx, v->dev));
		if (f->ret > 0)
			vfio_send_intx_eventfd(ctx, v->dev);
		IRQSIM_RETURN(ctx, 0);
	}
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_pci_set_intx_unmask);

enum irqsim_step call_vfio_pci_set_intx_unmask(struct irqsim_ctx *ctx,
					       int dev, int flags, int count,
					       int data)
{
	return irqsim_call(ctx, fn_vfio_pci_set_intx_unmask, dev, flags, count,
			   data);
}

struct vfio_pci_set_intx_trigger_frame {
	int dev;
	int flags;
	int count;
	int data;
	int trigger;
};

/**
 * vfio_pci_set_intx_trigger - count 0 + DATA_NONE on INTx disables;
 * EVENTFD enables INTx (from none) or swaps the trigger (already INTx),
 * putting the new eventfd if that fails; NONE/BOOL signal the trigger
 * (loopback)
 * @dev:   the device
 * @flags: VFIO_IRQ_SET_* flags
 * @count: vectors (INTx: 1, or 0 to disable)
 * @data:  the bool of DATA_BOOL, or the eventfd of DATA_EVENTFD (-1: none)
 */
static enum irqsim_step vfio_pci_set_intx_trigger(struct irqsim_ctx *ctx,
						  struct irqsim_frame *f)
{
	struct vfio_pci_set_intx_trigger_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_pci_set_intx_trigger_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	int trigger = -1;

	IRQSIM_BEGIN(f);
	if (is_intx(vdev) && !v->count && (v->flags & VFIO_IRQ_SET_DATA_NONE)) {
		IRQSIM_CALL(call_vfio_intx_disable(ctx, v->dev));
		IRQSIM_RETURN(ctx, 0);
	}
	if (!(is_intx(vdev) || is_irq_none(vdev)) || v->count != 1)
		IRQSIM_RETURN(ctx, -EINVAL);
	if (v->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (v->data >= 0) {
			trigger = eventfd_ctx_fdget(vw, v->data);
			if (trigger < 0)
				IRQSIM_RETURN(ctx, trigger);
		}
		v->trigger = trigger;
		/* one call, one resume point: either returns here */
		IRQSIM_CALL(is_intx(vdev) ?
			call_vfio_intx_set_signal(ctx, v->dev, trigger) :
			call_vfio_intx_enable(ctx, v->dev, trigger));
		if (f->ret < 0 && v->trigger >= 0)
			eventfd_ctx_put(vw, v->trigger);
		IRQSIM_RETURN(ctx, f->ret);
	}
	if (!is_intx(vdev))
		IRQSIM_RETURN(ctx, -EINVAL);
	if (data_set(v->flags, v->data))
		vfio_send_intx_eventfd(ctx, v->dev);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_pci_set_intx_trigger);

enum irqsim_step call_vfio_pci_set_intx_trigger(struct irqsim_ctx *ctx,
						int dev, int flags, int count,
						int data)
{
	return irqsim_call(ctx, fn_vfio_pci_set_intx_trigger, dev, flags,
			   count, data);
}

void vfio_register_intx(void)
{
	vfio_knob_intx_unlazy = irqsim_knob_register(&knob_intx_unlazy);
}
