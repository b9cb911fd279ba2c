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

#include <errno.h>

int vfio_knob_intx_unlazy;
int fn_vfio_virqfd_wakeup;
int fn_vfio_pci_set_intx_mask;
int fn_vfio_pci_set_intx_unmask;
int fn_vfio_pci_set_intx_trigger;
static int fn_vfio_intx_handler;
static int fn_vfio_intx_enable;
static int fn_vfio_intx_set_signal;
static int fn_vfio_intx_disable;
static int fn_vfio_pci_intx_unmask_handler;
static int fn___vfio_pci_intx_unmask;
static int fn___vfio_pci_intx_mask;

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

/* The INTx event just logged read or wrote the ctx's masked flag. */
static void intx_trace_masked(struct irqsim_ctx *ctx, const char *tp, int dev,
			      enum irqsim_access access)
{
	IRQSIM_TRACE(ctx, tp, "dev=%d masked=%d", dev,
		     vfio_w(ctx)->vdev[dev].ctx[0].masked);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_INTX_MASKED, dev, 0), access);
}

/* vfio_send_intx_eventfd(): signal the trigger of an INTx ctx. */
static void vfio_send_intx_eventfd(struct irqsim_ctx *ctx, int dev)
{
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	int trigger = vdev->ctx[0].trigger;

	if (!is_intx(vdev) || vdev->virq_disabled || trigger < 0)
		return;
	IRQSIM_EVENT(ctx, true, "vfio_send_intx_eventfd",
		     "dev%d eventfd_signal(efd%d)", dev, trigger);
	IRQSIM_TRACE(ctx, "vfio_send_intx_eventfd", "dev=%d efd=%d", dev,
		     trigger);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, trigger, 0),
		      IRQSIM_ACC_RMW);
	eventfd_signal(ctx, trigger);
}

enum { H_SAVE, H_LOCK, H_BODY, H_UNLOCK };

/**
 * vfio_intx_handler - VFIO's INTx action (hard irq)
 * @arg0: irq
 * @arg1: dev_id (the ctx)
 * @arg2: dev
 *
 * Under irqlock: a non-2.3 device is disabled at the irq
 * (disable_irq_nosync: lazy unless IRQ_DISABLE_UNLAZY) and always
 * handled; a 2.3 device is handled only if VFIO has not masked it yet and
 * pci_check_and_mask_intx() finds it pending (the line may be shared).
 * A handled interrupt is signalled to userspace after the unlock.
 */
static enum irqsim_step vfio_intx_handler(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int irq = f->arg[0], dev = f->arg[2];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	struct vfio_pci_irq_ctx *ictx = &vdev->ctx[0];
	bool pci_2_3 = vdev_pdev(ctx, dev)->intx.pci_2_3;

	switch (f->pc) {
	case H_SAVE:
		apic_local_irq_save(ctx);
		f->pc = H_LOCK;
		/* fall through */
	case H_LOCK:
		if (!irqsim_trylock(ctx, VFIO_LOCK_IRQLOCK(dev)))
			return IRQSIM_BLOCKED;
		f->pc = H_BODY;
		f->local[0] = IRQ_NONE;
		if (!pci_2_3) {
			ictx->masked = 1;
			f->local[0] = IRQ_HANDLED;
			IRQSIM_EVENT(ctx, true, "vfio_intx_handler",
				     "dev%d (no DisINTx): disable_irq_nosync(%d)",
				     dev, irq);
			intx_trace_masked(ctx, "vfio_intx_handler", dev,
					  IRQSIM_ACC_WRITE);
			return irqsim_call(ctx, fn_disable_irq_nosync, irq, 0,
					   0, 0);
		}
		/* "may be shared" */
		if (!ictx->masked && pci_check_and_mask_intx(ctx, dev)) {
			ictx->masked = 1;
			f->local[0] = IRQ_HANDLED;
			IRQSIM_EVENT(ctx, true, "vfio_intx_handler",
				     "dev%d: masked at the device: IRQ_HANDLED",
				     dev);
		} else {
			IRQSIM_EVENT(ctx, true, "vfio_intx_handler",
				     "dev%d: %s: IRQ_NONE", dev,
				     ictx->masked ? "already masked" :
						    "not pending");
		}
		intx_trace_masked(ctx, "vfio_intx_handler", dev,
				  IRQSIM_ACC_RMW);
		return IRQSIM_YIELD;
	case H_BODY:
	default:
		irqsim_unlock(ctx, VFIO_LOCK_IRQLOCK(dev));
		apic_local_irq_restore(ctx);
		if (f->local[0] == IRQ_HANDLED)
			vfio_send_intx_eventfd(ctx, dev);
		return irqsim_return_yield(ctx, f->local[0]);
	}
}

enum { U_SAVE, U_LOCK, U_ENABLED, U_UNLOCK };

/**
 * vfio_pci_intx_unmask_handler - under irqlock: a masked INTx is unmasked
 * @arg0: dev
 *
 * Non-2.3: enable_irq() (depth 1 -> 0: unmask at the controller). 2.3:
 * pci_check_and_unmask_intx(); if the device still has an interrupt
 * pending it stays masked and the return value asks the caller to signal
 * the eventfd again instead ("A pending interrupt here would immediately
 * trigger, but we can avoid that overhead by just re-sending").
 * Return: 1 if the eventfd must be signalled, else 0.
 */
static enum irqsim_step vfio_pci_intx_unmask_handler(struct irqsim_ctx *ctx,
						     struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	struct vfio_pci_irq_ctx *ictx = &vdev->ctx[0];
	struct pci_dev *pdev = vdev_pdev(ctx, dev);

	switch (f->pc) {
	case U_SAVE:
		apic_local_irq_save(ctx);
		f->pc = U_LOCK;
		/* fall through */
	case U_LOCK:
		if (!irqsim_trylock(ctx, VFIO_LOCK_IRQLOCK(dev)))
			return IRQSIM_BLOCKED;
		f->pc = U_UNLOCK;
		f->local[0] = 0;
		if (!is_intx(vdev)) {
			/* the physical bit follows the virtual one */
			if (pdev->intx.pci_2_3)
				pci_intx(ctx, dev, true);
			return IRQSIM_YIELD;
		}
		if (!ictx->masked || vdev->virq_disabled) {
			IRQSIM_EVENT(ctx, false, "vfio_pci_intx_unmask_handler",
				     "dev%d not masked", dev);
			intx_trace_masked(ctx, "vfio_pci_intx_unmask_handler",
					  dev, IRQSIM_ACC_READ);
			return IRQSIM_YIELD;
		}
		if (pdev->intx.pci_2_3) {
			if (!pci_check_and_unmask_intx(ctx, dev))
				f->local[0] = 1;
			ictx->masked = f->local[0] > 0;
			IRQSIM_EVENT(ctx, true, "vfio_pci_intx_unmask_handler",
				     "dev%d: %s", dev,
				     ictx->masked ? "still pending, stays masked" :
						    "unmasked at the device");
			intx_trace_masked(ctx, "vfio_pci_intx_unmask_handler",
					  dev, IRQSIM_ACC_WRITE);
			return IRQSIM_YIELD;
		}
		f->pc = U_ENABLED;
		IRQSIM_EVENT(ctx, true, "vfio_pci_intx_unmask_handler",
			     "dev%d: enable_irq(%d)", dev, pdev->intx.irq);
		intx_trace_masked(ctx, "vfio_pci_intx_unmask_handler", dev,
				  IRQSIM_ACC_READ);
		return irqsim_call(ctx, fn_enable_irq, pdev->intx.irq, 0, 0, 0);
	case U_ENABLED:
		ictx->masked = 0;
		/* fall through */
	case U_UNLOCK:
	default:
		irqsim_unlock(ctx, VFIO_LOCK_IRQLOCK(dev));
		apic_local_irq_restore(ctx);
		return irqsim_return_yield(ctx, f->local[0]);
	}
}

/* __vfio_pci_intx_unmask(): unmask, re-signal if still pending. @arg0 dev */
static enum irqsim_step __vfio_pci_intx_unmask(struct irqsim_ctx *ctx,
					       struct irqsim_frame *f)
{
	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, fn_vfio_pci_intx_unmask_handler,
				   f->arg[0], 0, 0, 0);
	}
	if (f->ret > 0)
		vfio_send_intx_eventfd(ctx, f->arg[0]);
	return irqsim_return(ctx, 0);
}

enum { M_SAVE, M_LOCK, M_DISABLED, M_UNLOCK };

/*
 * __vfio_pci_intx_mask(): under irqlock, mask unconditionally: DisINTx
 * for a 2.3 device, disable_irq_nosync() otherwise. @arg0 dev.
 */
static enum irqsim_step __vfio_pci_intx_mask(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	struct pci_dev *pdev = vdev_pdev(ctx, dev);

	switch (f->pc) {
	case M_SAVE:
		apic_local_irq_save(ctx);
		f->pc = M_LOCK;
		/* fall through */
	case M_LOCK:
		if (!irqsim_trylock(ctx, VFIO_LOCK_IRQLOCK(dev)))
			return IRQSIM_BLOCKED;
		f->pc = M_UNLOCK;
		if (!is_intx(vdev)) {
			if (pdev->intx.pci_2_3)
				pci_intx(ctx, dev, false);
			return IRQSIM_YIELD;
		}
		if (vdev->ctx[0].masked)
			return IRQSIM_YIELD;
		vdev->ctx[0].masked = 1;
		if (pdev->intx.pci_2_3) {
			pci_intx(ctx, dev, false);
			return IRQSIM_YIELD;
		}
		return irqsim_call(ctx, fn_disable_irq_nosync, pdev->intx.irq,
				   0, 0, 0);
	case M_UNLOCK:
	default:
		irqsim_unlock(ctx, VFIO_LOCK_IRQLOCK(dev));
		apic_local_irq_restore(ctx);
		return irqsim_return_yield(ctx, 0);
	}
}

enum {
	E_CHECK,
	E_UNLAZY,
	E_REQUEST,
	E_RESULT,
	E_ERR,
};

/**
 * vfio_intx_enable - INTx from "no interrupts" (igate held)
 * @arg0: dev
 * @arg1: trigger eventfd (a reference the caller took), or -1
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
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	struct pci_dev *pdev = vdev_pdev(ctx, dev);
	int irq = pdev->intx.irq;
	int unlazy = irqsim_knob(ctx, vfio_knob_intx_unlazy);

	switch (f->pc) {
	case E_CHECK:
		if (!is_irq_none(vdev))
			return irqsim_return(ctx, -EINVAL);
		if (!pdev->intx.present || irq <= 0)
			return irqsim_return(ctx, -ENODEV);
		/* vfio_irq_ctx_alloc(): ctx 0 */
		vdev->ctx[0].trigger = (int8_t)f->arg[1];
		vdev->ctx[0].masked = vdev->virq_disabled;
		vdev->num_ctx = 1;
		f->pc = E_UNLAZY;
		if (pdev->intx.pci_2_3) {
			pci_intx(ctx, dev, !vdev->ctx[0].masked);
			return IRQSIM_YIELD;
		}
		/* fall through */
	case E_UNLAZY:
		vdev->irq_type = VFIO_PCI_INTX_IRQ_INDEX;
		IRQSIM_EVENT(ctx, true, "vfio_intx_enable",
			     "dev%d irq_type = INTx (%s, %s)", dev,
			     pdev->intx.pci_2_3 ? "PCI 2.3, IRQF_SHARED" :
						  "no DisINTx, exclusive",
			     !pdev->intx.pci_2_3 && unlazy != INTX_UNLAZY_OFF ?
				     "IRQ_DISABLE_UNLAZY" :
				     "lazy disable");
		f->pc = E_REQUEST;
		if (!pdev->intx.pci_2_3 && unlazy != INTX_UNLAZY_OFF)
			return irqsim_call(ctx, fn_irq_modify_status, irq, 0,
					   IRQ_DISABLE_UNLAZY, 0);
		return IRQSIM_YIELD;
	case E_REQUEST:
		f->pc = E_RESULT;
		return irqsim_call(ctx, fn_request_irq, irq,
				   fn_vfio_intx_handler, vfio_intx_dev_id(dev),
				   dev);
	case E_RESULT:
		if (f->ret >= 0)
			return irqsim_return_yield(ctx, 0);
		f->local[0] = f->ret;
		vw->stats.intx_enable_errors++;
		IRQSIM_EVENT(ctx, true, "vfio_intx_enable",
			     "dev%d request_irq(%d) failed: %d", dev, irq,
			     f->ret);
		f->pc = E_ERR;
		/* [PATCH v2] had no such branch */
		if (!pdev->intx.pci_2_3 && unlazy == INTX_UNLAZY_ON)
			return irqsim_call(ctx, fn_irq_modify_status, irq,
					   IRQ_DISABLE_UNLAZY, 0, 0);
		/* fall through */
	case E_ERR:
	default:
		vw->stats.intx_enable_error_step = vw->msi.irq.apic.sched.step;
		vdev->irq_type = VFIO_PCI_NUM_IRQS;
		/* vfio_irq_ctx_free(): the trigger reference is the caller's */
		vdev->ctx[0].trigger = -1;
		vdev->ctx[0].masked = 0;
		vdev->num_ctx = 0;
		return irqsim_return_yield(ctx, f->local[0]);
	}
}

/*
 * vfio_intx_set_signal(): swap the trigger of an enabled INTx; the old
 * one is put after synchronize_irq() so no running handler still uses it.
 * @arg0 dev, @arg1 new trigger (a reference the caller took) or -1.
 */
static enum irqsim_step vfio_intx_set_signal(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0];
	struct vfio_pci_irq_ctx *ictx = &vw->vdev[dev].ctx[0];
	int irq = vdev_pdev(ctx, dev)->intx.irq;

	if (f->pc == 0) {
		f->local[0] = ictx->trigger;
		/* WRITE_ONCE(ctx->trigger, trigger) */
		ictx->trigger = (int8_t)f->arg[1];
		IRQSIM_EVENT(ctx, true, "vfio_intx_set_signal",
			     "dev%d trigger efd%d -> efd%d", dev, f->local[0],
			     f->arg[1]);
		f->pc = 1;
		if (f->local[0] < 0)
			return irqsim_return_yield(ctx, 0);
		return IRQSIM_YIELD;
	}
	/* synchronize_irq(): wait until no handler runs */
	if (vw->msi.irq.desc[irq].irqd & IRQD_IRQ_INPROGRESS)
		return irqsim_wait(ctx, IRQ_TOKEN_INPROGRESS(irq));
	eventfd_ctx_put(vw, f->local[0]);
	return irqsim_return_yield(ctx, 0);
}

/* vfio_virqfd_disable(): the unmask virqfd goes, with its reference. */
static void vfio_virqfd_disable(struct irqsim_ctx *ctx, int dev)
{
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_irq_ctx *ictx = &vw->vdev[dev].ctx[0];

	if (ictx->unmask < 0)
		return;
	IRQSIM_EVENT(ctx, false, "vfio_virqfd_disable",
		     "dev%d unmask virqfd on efd%d removed", dev, ictx->unmask);
	vw->efd[ictx->unmask].virqfd = -1;
	eventfd_ctx_put(vw, ictx->unmask);
	ictx->unmask = -1;
}

enum { D_FREE, D_UNLAZY, D_DONE };

/*
 * vfio_intx_disable(): virqfds off, free_irq(), with the fix (and v2)
 * IRQ_DISABLE_UNLAZY cleared for a non-2.3 device, the trigger put, the
 * ctx freed, irq_type none. (__free_irq() clears the flag on the last
 * action anyway.) @arg0 dev.
 */
static enum irqsim_step vfio_intx_disable(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	struct pci_dev *pdev = vdev_pdev(ctx, dev);
	int irq = pdev->intx.irq;

	switch (f->pc) {
	case D_FREE:
		vfio_virqfd_disable(ctx, dev);
		f->pc = D_UNLAZY;
		return irqsim_call(ctx, fn_free_irq, irq, vfio_intx_dev_id(dev),
				   0, 0);
	case D_UNLAZY:
		f->pc = D_DONE;
		if (!pdev->intx.pci_2_3 &&
		    irqsim_knob(ctx, vfio_knob_intx_unlazy) != INTX_UNLAZY_OFF)
			return irqsim_call(ctx, fn_irq_modify_status, irq,
					   IRQ_DISABLE_UNLAZY, 0, 0);
		/* fall through */
	case D_DONE:
	default:
		if (vdev->ctx[0].trigger >= 0)
			eventfd_ctx_put(vw, vdev->ctx[0].trigger);
		vdev->ctx[0].trigger = -1;
		vdev->ctx[0].masked = 0;
		vdev->num_ctx = 0;
		vdev->irq_type = VFIO_PCI_NUM_IRQS;
		IRQSIM_EVENT(ctx, true, "vfio_intx_disable", "dev%d INTx off",
			     dev);
		return irqsim_return_yield(ctx, 0);
	}
}

/**
 * vfio_virqfd_wakeup - virqfd_wakeup() of the INTx unmask virqfd, run by
 * whoever signalled its eventfd (KVM's resampler on a guest EOI)
 * @arg0: efd
 *
 * Reads the counter, runs vfio_pci_intx_unmask_handler() and, if it asks
 * for it, the "thread" vfio_send_intx_eventfd(). In the kernel the thread
 * is a work item; here it runs at once.
 */
static enum irqsim_step vfio_virqfd_wakeup(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	struct eventfd_ctx *e = &vw->efd[f->arg[0]];

	if (f->pc == 0) {
		if (e->virqfd < 0)
			return irqsim_return(ctx, 0);
		f->local[0] = e->virqfd;
		/* eventfd_ctx_do_read() */
		e->count = 0;
		f->pc = 1;
		return irqsim_call(ctx, fn_vfio_pci_intx_unmask_handler,
				   f->local[0], 0, 0, 0);
	}
	if (f->ret > 0)
		vfio_send_intx_eventfd(ctx, f->local[0]);
	return irqsim_return(ctx, 0);
}

static bool data_set(int flags, int32_t data)
{
	return (flags & VFIO_IRQ_SET_DATA_NONE) ||
	       ((flags & VFIO_IRQ_SET_DATA_BOOL) && data);
}

/* vfio_pci_set_intx_mask(): NONE/BOOL mask; EVENTFD is -ENOTTY. */
static enum irqsim_step vfio_pci_set_intx_mask(struct irqsim_ctx *ctx,
					       struct irqsim_frame *f)
{
	struct vfio_pci_core_device *vdev = &vfio_w(ctx)->vdev[f->arg[0]];

	if (f->pc)
		return irqsim_return(ctx, 0);
	if (!is_intx(vdev) || f->arg[2] != 1)
		return irqsim_return(ctx, -EINVAL);
	if (f->arg[1] & VFIO_IRQ_SET_DATA_EVENTFD)
		return irqsim_return(ctx, -ENOTTY); /* "XXX implement me" */
	if (!data_set(f->arg[1], f->arg[3]))
		return irqsim_return(ctx, 0);
	f->pc = 1;
	return irqsim_call(ctx, fn___vfio_pci_intx_mask, f->arg[0], 0, 0, 0);
}

/*
 * vfio_pci_set_intx_unmask(): NONE/BOOL unmask now; EVENTFD fd >= 0
 * registers the unmask virqfd (KVM's resamplefd), fd < 0 removes it.
 */
static enum irqsim_step vfio_pci_set_intx_unmask(struct irqsim_ctx *ctx,
						 struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0], fd = f->arg[3];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	int ret;

	if (f->pc)
		return irqsim_return(ctx, 0);
	if (!is_intx(vdev) || f->arg[2] != 1)
		return irqsim_return(ctx, -EINVAL);
	if (!(f->arg[1] & VFIO_IRQ_SET_DATA_EVENTFD)) {
		if (!data_set(f->arg[1], f->arg[3]))
			return irqsim_return(ctx, 0);
		f->pc = 1;
		return irqsim_call(ctx, fn___vfio_pci_intx_unmask, dev, 0, 0,
				   0);
	}
	if (fd < 0) {
		vfio_virqfd_disable(ctx, dev);
		return irqsim_return_yield(ctx, 0);
	}
	/* vfio_virqfd_enable() */
	ret = eventfd_ctx_fdget(vw, fd);
	if (ret < 0)
		return irqsim_return(ctx, ret);
	if (vdev->ctx[0].unmask >= 0) {
		eventfd_ctx_put(vw, fd);
		return irqsim_return(ctx, -EBUSY);
	}
	vdev->ctx[0].unmask = (int8_t)fd;
	vw->efd[fd].virqfd = (int8_t)dev;
	IRQSIM_EVENT(ctx, true, "vfio_virqfd_enable",
		     "dev%d unmask virqfd on efd%d", dev, fd);
	/* an event already pending on the eventfd is not missed */
	if (vw->efd[fd].count) {
		f->pc = 1;
		return irqsim_call(ctx, fn_vfio_virqfd_wakeup, fd, 0, 0, 0);
	}
	return irqsim_return_yield(ctx, 0);
}

enum { T_START, T_AFTER, T_DONE };

/*
 * vfio_pci_set_intx_trigger(): count 0 + DATA_NONE on INTx disables;
 * EVENTFD enables INTx (from none) or swaps the trigger (already INTx),
 * putting the new eventfd if that fails; NONE/BOOL signal the trigger
 * (loopback).
 */
static enum irqsim_step vfio_pci_set_intx_trigger(struct irqsim_ctx *ctx,
						  struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0], flags = f->arg[1], count = f->arg[2];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	int trigger = -1;

	switch (f->pc) {
	case T_START:
		if (is_intx(vdev) && !count &&
		    (flags & VFIO_IRQ_SET_DATA_NONE)) {
			f->pc = T_DONE;
			return irqsim_call(ctx, fn_vfio_intx_disable, dev, 0, 0,
					   0);
		}
		if (!(is_intx(vdev) || is_irq_none(vdev)) || count != 1)
			return irqsim_return(ctx, -EINVAL);
		if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
			if (f->arg[3] >= 0) {
				trigger = eventfd_ctx_fdget(vw, f->arg[3]);
				if (trigger < 0)
					return irqsim_return(ctx, trigger);
			}
			f->local[0] = trigger;
			f->pc = T_AFTER;
			return irqsim_call(ctx,
					   is_intx(vdev) ?
						   fn_vfio_intx_set_signal :
						   fn_vfio_intx_enable,
					   dev, trigger, 0, 0);
		}
		if (!is_intx(vdev))
			return irqsim_return(ctx, -EINVAL);
		if (data_set(flags, f->arg[3]))
			vfio_send_intx_eventfd(ctx, dev);
		return irqsim_return_yield(ctx, 0);
	case T_AFTER:
		if (f->ret < 0 && f->local[0] >= 0)
			eventfd_ctx_put(vw, f->local[0]);
		return irqsim_return(ctx, f->ret);
	case T_DONE:
	default:
		return irqsim_return(ctx, 0);
	}
}

void vfio_register_intx(void)
{
	vfio_knob_intx_unlazy = irqsim_knob_register(&knob_intx_unlazy);
	fn_vfio_intx_handler =
		irqsim_fn_register("vfio_intx_handler", vfio_intx_handler);
	fn_vfio_pci_intx_unmask_handler = irqsim_fn_register(
		"vfio_pci_intx_unmask_handler", vfio_pci_intx_unmask_handler);
	fn___vfio_pci_intx_unmask = irqsim_fn_register(
		"__vfio_pci_intx_unmask", __vfio_pci_intx_unmask);
	fn___vfio_pci_intx_mask =
		irqsim_fn_register("__vfio_pci_intx_mask", __vfio_pci_intx_mask);
	fn_vfio_intx_enable =
		irqsim_fn_register("vfio_intx_enable", vfio_intx_enable);
	fn_vfio_intx_set_signal = irqsim_fn_register("vfio_intx_set_signal",
						     vfio_intx_set_signal);
	fn_vfio_intx_disable =
		irqsim_fn_register("vfio_intx_disable", vfio_intx_disable);
	fn_vfio_virqfd_wakeup =
		irqsim_fn_register("vfio_virqfd_wakeup", vfio_virqfd_wakeup);
	fn_vfio_pci_set_intx_mask = irqsim_fn_register(
		"vfio_pci_set_intx_mask", vfio_pci_set_intx_mask);
	fn_vfio_pci_set_intx_unmask = irqsim_fn_register(
		"vfio_pci_set_intx_unmask", vfio_pci_set_intx_unmask);
	fn_vfio_pci_set_intx_trigger = irqsim_fn_register(
		"vfio_pci_set_intx_trigger", vfio_pci_set_intx_trigger);
}
