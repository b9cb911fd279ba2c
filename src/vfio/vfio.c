// SPDX-License-Identifier: MIT
/*
 * Models drivers/vfio/pci/vfio_pci_intrs.c (Linux v6.18), the MSI-X part
 * (INTx is in intx.c): vfio_pci_set_irqs_ioctl, vfio_pci_set_msi_trigger,
 * vfio_msi_enable, vfio_msi_disable, vfio_msi_set_block,
 * vfio_msi_set_vector_signal, vfio_msihandler; vfio_pci_core.c
 * vfio_pci_ioctl_set_irqs (igate) and
 * vfio_main.c vfio_set_irqs_validate_and_prepare; fs/eventfd.c.
 *
 * The seed-000 VFIO race (race B; no kernel fix exists): every trigger
 * change is free_irq() + request_irq() on a live device.
 *
 *   CPU0 (QEMU, SET_IRQS)                CPU1 (old target)
 *   guest masks MSI-X -> vmexit          device MSI latched in IRR,
 *   free_irq()                           not handled yet
 *     mask(); __synchronize_irq()
 *     write_msg(0)
 *     vector_irq[1][v] = SHUTDOWN
 *                                        common_interrupt(v): SHUTDOWN
 *                                        -> UNUSED, apic_eoi(): lost
 *   request_irq()
 *     vector_irq[1][v] = desc; write_msg(msg); unmask()
 *
 * A wait_for_driver_ack device then waits forever.
 */
#include "vfio/internal.h"

#include <errno.h>
#include <string.h>

int fn_vfio_pci_ioctl_set_irqs;
int vfio_knob_dyn_msix;
static int fn_vfio_msi_set_block;
static int fn_vfio_msi_set_vector_signal;
int fn_vfio_msihandler;
static int fn_vfio_msi_disable;
static eventfd_wakeup_fn eventfd_wakeup;

static const char *const off_on[] = { "off", "on", NULL };

static const struct irqsim_knob knob_dyn_msix = {
	.name = "vfio_dyn_msix",
	.doc = "dynamic MSI-X (v6.5: e4163438e015 \"vfio/pci: Support dynamic "
	       "MSI-X\", 6c8017c6a58d clears VFIO_IRQ_INFO_NORESIZE): "
	       "vfio_msi_alloc_irq() adds an irq with pci_msix_alloc_irq_at(); "
	       "off: NORESIZE, a vector beyond the enabled ones is -EINVAL",
	.def = 1,
	.max = 1,
	.values = off_on,
};

bool vfio_pci_msix_noresize(const struct irqsim_ctx *ctx)
{
	/* vfio_pci_ioctl_get_irq_info(): NORESIZE unless has_dyn_msix */
	return !irqsim_knob(ctx, vfio_knob_dyn_msix);
}

void vfio_world_init(struct vfio_world *vw)
{
	for (int d = 0; d < IRQSIM_MAX_DEVS; d++) {
		vw->vdev[d].irq_type = VFIO_PCI_NUM_IRQS;
		for (int v = 0; v < IRQSIM_MAX_VECS; v++)
			vw->vdev[d].ctx[v].trigger = -1;
	}
	for (int d = 0; d < IRQSIM_MAX_DEVS; d++)
		vw->vdev[d].ctx[0].unmask = -1;
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++) {
		vw->efd[e].irqfd = -1;
		vw->efd[e].virqfd = -1;
	}
	memset(vw->ioctl_fds, -1, sizeof(vw->ioctl_fds));
	irq_bypass_init(&vw->bypass);
}

void eventfd_signal(struct irqsim_ctx *ctx, int efd)
{
	struct eventfd_ctx *e = &vfio_w(ctx)->efd[efd];

	e->count++;
	e->signals++;
	if (e->irqfd >= 0 && eventfd_wakeup)
		eventfd_wakeup(ctx, efd);
}

int vfio_expected_eventfd_refs(const struct vfio_world *vw, int efd)
{
	const struct eventfd_ctx *e = &vw->efd[efd];
	int refs = e->open + (e->irqfd >= 0) + e->resampler + (e->virqfd >= 0);

	for (int d = 0; d < vw->msi.ndev; d++)
		for (int v = 0; v < IRQSIM_MAX_VECS; v++)
			refs += vw->vdev[d].ctx[v].trigger == efd;
	return refs;
}

/* eventfd_ctx_fdget(): a reference on an open eventfd, or -EBADF. */
int eventfd_ctx_fdget(struct vfio_world *vw, int fd)
{
	if (fd < 0 || fd >= IRQSIM_MAX_EVENTFDS || !vw->efd[fd].open)
		return -EBADF;
	vw->efd[fd].refs++;
	return fd;
}

void eventfd_ctx_put(struct vfio_world *vw, int efd)
{
	vw->efd[efd].refs--;
}

/* vfio_msihandler(): signal the trigger eventfd (dev_id). */
static enum irqsim_step vfio_msihandler(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	IRQSIM_EVENT(ctx, true, "vfio_msihandler", "eventfd_signal(efd%d)",
		     f->arg[1]);
	IRQSIM_TRACE(ctx, "vfio_msihandler", "irq=%d efd=%d", f->arg[0],
		     f->arg[1]);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, f->arg[1], 0),
		      IRQSIM_ACC_WRITE);
	eventfd_signal(ctx, f->arg[1]);
	return irqsim_return_yield(ctx, IRQ_HANDLED);
}

enum {
	SIG_FREE,
	SIG_FREE_IRQ,
	SIG_PUT_OLD,
	SIG_GET_NEW,
	SIG_REQUEST,
	SIG_CHECK,
	SIG_PUBLISH,
};

/**
 * vfio_msi_set_vector_signal - swap the trigger of one vector
 * @arg0: dev
 * @arg1: vector
 * @arg2: eventfd, or -1 to leave the vector without a handler
 *
 * irq_bypass_unregister_producer() and free_irq() of the old trigger,
 * then (fd >= 0) refresh the MSI-X entry from the cached message,
 * request_irq() with the new one and irq_bypass_register_producer()
 * (token = the trigger; a failure is only logged). A failing
 * request_irq() returns the error with the old handler already gone.
 * The update_devid knob selects the 2019 series instead (update_devid.c).
 */
static enum irqsim_step vfio_msi_set_vector_signal(struct irqsim_ctx *ctx,
						   struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0], vector = f->arg[1];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	struct vfio_pci_irq_ctx *ictx = &vdev->ctx[vector];
	int irq = vw->msi.dev[dev].irq[vector];
	bool visible;
	int ret;

	if (irqsim_knob(ctx, vfio_knob_update_devid) != UPDATE_DEVID_OFF)
		return vfio_msi_set_vector_signal_series(ctx, f);
	switch (f->pc) {
	case SIG_FREE:
		/* the ioctl validated against the table size */
		if (vector < 0 || vector >= vw->msi.dev[dev].nvec)
			return irqsim_return(ctx, -EINVAL);
		if (ictx->trigger < 0) {
			f->pc = SIG_GET_NEW;
			return IRQSIM_CONTINUE;
		}
		irq_bypass_unregister_producer(ctx, dev, vector, &visible);
		f->pc = SIG_FREE_IRQ;
		return visible ? IRQSIM_YIELD : IRQSIM_CONTINUE;
	case SIG_FREE_IRQ:
		f->pc = SIG_PUT_OLD;
		return irqsim_call(ctx, fn_free_irq, irq, ictx->trigger, 0, 0);
	case SIG_PUT_OLD:
		IRQSIM_EVENT(ctx, false, "vfio_msi_set_vector_signal",
			     "dev%d vector %d: ctx freed, eventfd_ctx_put(efd%d)",
			     dev, vector, ictx->trigger);
		IRQSIM_TRACE(ctx, "vfio_msi_set_vector_signal",
			     "dev=%d vector=%d put_efd=%d", dev, vector,
			     ictx->trigger);
		eventfd_ctx_put(vw, ictx->trigger);
		ictx->trigger = -1;
		f->pc = SIG_GET_NEW;
		return IRQSIM_YIELD;
	case SIG_GET_NEW:
		if (f->arg[2] < 0)
			return irqsim_return(ctx, 0);
		if (irq <= 0) {
			/*
			 * vfio_msi_alloc_irq(): pci_irq_vector() has none;
			 * with has_dyn_msix, pci_msix_alloc_irq_at() adds one
			 * (kept until pci_free_irq_vectors()), else -EINVAL.
			 */
			if (!irqsim_knob(ctx, vfio_knob_dyn_msix))
				return irqsim_return(ctx, -EINVAL);
			irq = pci_msix_alloc_irq_at(&vw->msi, dev, vector);
			IRQSIM_EVENT(ctx, true, "pci_msix_alloc_irq_at",
				     "dev%d vector %d: %s%d", dev, vector,
				     irq < 0 ? "fails " : "irq", irq);
			IRQSIM_TRACE(ctx, "pci_msix_alloc_irq_at",
				     "dev=%d index=%d virq=%d", dev, vector,
				     irq);
			if (irq < 0)
				return irqsim_return_yield(ctx, irq);
			if (vdev->num_ctx < vector + 1)
				vdev->num_ctx = (uint8_t)(vector + 1);
		}
		f->local[0] = eventfd_ctx_fdget(vw, f->arg[2]);
		if (f->local[0] < 0)
			return irqsim_return(ctx, f->local[0]);
		/* MSI-X: rewrite the entry from the cached message */
		f->pc = SIG_REQUEST;
		return irqsim_call(ctx, fn_pci_write_msi_msg, irq,
				   MSI_MSG_CACHED, 0, 0);
	case SIG_REQUEST:
		f->pc = SIG_CHECK;
		return irqsim_call(ctx, fn_request_irq, irq, fn_vfio_msihandler,
				   f->local[0], f->local[0]);
	case SIG_CHECK:
		if (f->ret < 0) {
			eventfd_ctx_put(vw, f->local[0]);
			vw->stats.vectors_without_handler++;
			IRQSIM_EVENT(ctx, true, "vfio_msi_set_vector_signal",
				     "dev%d vector %d: request_irq failed (%d), vector left without handler",
				     dev, vector, f->ret);
			IRQSIM_TRACE(ctx, "vfio_msi_set_vector_signal",
				     "dev=%d vector=%d irq=%d ret=%d", dev, vector,
				     irq, f->ret);
			return irqsim_return_yield(ctx, f->ret);
		}
		f->pc = SIG_PUBLISH;
		if (irqsim_knob(ctx, apic_knob_repair_irq))
			return irqsim_call(ctx, fn_x86_vector_repair, irq, 0, 0,
					   0);
		/* fall through */
	case SIG_PUBLISH:
	default:
		ret = irq_bypass_register_producer(ctx, dev, vector,
						   f->local[0], irq, &visible);
		if (ret)
			IRQSIM_EVENT(ctx, true, "vfio_msi_set_vector_signal",
				     "dev%d: irq bypass producer (token efd%d) registration fails: %d",
				     dev, f->local[0], ret);
		ictx->trigger = (int8_t)f->local[0];
		IRQSIM_EVENT(ctx, false, "vfio_msi_set_vector_signal",
			     "dev%d vector %d: ctx->trigger = efd%d", dev,
			     vector, f->local[0]);
		IRQSIM_TRACE(ctx, "vfio_msi_set_vector_signal",
			     "dev=%d vector=%d irq=%d trigger=%d", dev, vector,
			     irq, f->local[0]);
		return irqsim_return_yield(ctx, 0);
	}
}

/*
 * vfio_msi_set_block(): vectors start..start+count-1 in order; on the
 * first failure every vector from start up to the failing one is set to
 * fd -1 (loses its handler) and the error returned.
 * @arg0 dev, @arg1 start, @arg2 count. Fds come from the caller's
 * ioctl_fds copy.
 */
static enum irqsim_step vfio_msi_set_block(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0], start = f->arg[1], count = f->arg[2];
	int j;

	switch (f->pc) {
	case 0:
		f->local[0] = 0;
		f->pc = 1;
		/* fall through */
	case 1:
		j = f->local[0];
		if (j >= count)
			return irqsim_return(ctx, 0);
		f->pc = 2;
		return irqsim_call(ctx, fn_vfio_msi_set_vector_signal, dev,
				   start + j, vw->ioctl_fds[ctx->actor][j], 0);
	case 2:
		if (f->ret < 0) {
			f->local[1] = f->ret;
			f->local[2] = 0;
			f->pc = 3;
			return IRQSIM_CONTINUE;
		}
		f->local[0]++;
		f->pc = 1;
		return IRQSIM_CONTINUE;
	case 3:
	default:
		if (f->local[2] < f->local[0]) {
			j = f->local[2]++;
			return irqsim_call(ctx, fn_vfio_msi_set_vector_signal,
					   dev, start + j, -1, 0);
		}
		return irqsim_return(ctx, f->local[1]);
	}
}

/*
 * vfio_msi_enable(): pci_alloc_irq_vectors(pdev, 1, nvec, PCI_IRQ_MSIX)
 * under the memory lock; if it grants fewer than @nvec, they are freed
 * again and the count goes back to userspace (a positive return of the
 * ioctl; QEMU retries only for MSI).
 */
static int vfio_msi_enable(struct irqsim_ctx *ctx, int dev, int nvec)
{
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	int ret;

	if (vdev->irq_type != VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	ret = pci_alloc_irq_vectors_range(&vw->msi, dev, 1, nvec,
					  irqsim_knob(ctx, msi_knob_msix_quota));
	if (ret < nvec) {
		IRQSIM_EVENT(ctx, true, "vfio_msi_enable",
			     "dev%d pci_alloc_irq_vectors(1, %d) = %d: %s", dev,
			     nvec, ret,
			     ret > 0 ? "fewer, freed again" : "fails");
		IRQSIM_TRACE(ctx, "vfio_msi_enable", "dev=%d nvec=%d ret=%d",
			     dev, nvec, ret);
		if (ret > 0)
			pci_free_irq_vectors(&vw->msi, dev);
		return ret;
	}
	vdev->num_ctx = (uint8_t)nvec;
	vdev->irq_type = VFIO_PCI_MSIX_IRQ_INDEX;
	IRQSIM_EVENT(ctx, true, "vfio_msi_enable",
		     "dev%d MSI-X enabled with %d vectors", dev, nvec);
	IRQSIM_TRACE(ctx, "vfio_msi_enable", "dev=%d nvec=%d ret=%d", dev,
		     nvec, nvec);
	return 0;
}

/*
 * vfio_msi_disable(): every vector with a context to fd -1 (free_irq()),
 * then pci_free_irq_vectors(), which clears MSI-X enable on the device.
 * @arg0 dev.
 */
static enum irqsim_step vfio_msi_disable(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0];
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];

	if (f->pc == 0)
		f->local[0] = 0;
	f->pc = 1;
	/* xa_for_each(&vdev->ctx): every vector with a context */
	while (f->local[0] < IRQSIM_MAX_VECS) {
		int v = f->local[0]++;

		if (vdev->ctx[v].trigger >= 0)
			return irqsim_call(ctx, fn_vfio_msi_set_vector_signal,
					   dev, v, -1, 0);
	}
	/*
	 * irq_domain_free_irqs_top(): irq_set_handler(virq, NULL) takes
	 * each desc->lock, so a flow handler inside it finishes first.
	 */
	for (int v = 0; v < IRQSIM_MAX_VECS; v++) {
		int irq = vw->msi.dev[dev].irq[v];

		if (irq <= 0)
			continue;
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
	}
	/*
	 * pci_free_irq_vectors(): MSI-X enable cleared on the device, every
	 * irq freed; from here the device signals INTx, not MSI-X.
	 */
	pci_free_irq_vectors(&vw->msi, dev);
	vdev->num_ctx = 0;
	vdev->irq_type = VFIO_PCI_NUM_IRQS;
	IRQSIM_EVENT(ctx, true, "vfio_msi_disable",
		     "dev%d MSI-X disabled: pci_free_irq_vectors() cleared MSI-X enable",
		     dev);
	IRQSIM_TRACE(ctx, "vfio_msi_disable", "dev=%d", dev);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, 0),
		      IRQSIM_ACC_WRITE);
	return irqsim_return_yield(ctx, 0);
}

/*
 * vfio_set_irqs_validate_and_prepare(): one data type, no unknown flag,
 * an index that exists, start and count within the index's vectors. The
 * action bits are not checked here: vfio_pci_set_irqs_ioctl() switches
 * on them and answers -ENOTTY when no handler matches.
 */
static int vfio_set_irqs_validate(const struct vfio_world *vw, int dev,
				  int index, int flags, int start, int count)
{
	int max;

	if (dev < 0 || dev >= vw->msi.ndev)
		return -ENODEV;
	if (index < 0 || index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	if (__builtin_popcount(flags & VFIO_IRQ_SET_DATA_TYPE_MASK) != 1 ||
	    (flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
		       VFIO_IRQ_SET_ACTION_TYPE_MASK)))
		return -EINVAL;
	/* vfio_pci_get_irq_count(): INTx only with an interrupt pin */
	max = index == VFIO_PCI_MSIX_IRQ_INDEX ? vw->msi.dev[dev].nvec :
	      index == VFIO_PCI_INTX_IRQ_INDEX ? vw->msi.dev[dev].intx.present :
						 1;
	if (start < 0 || count < 0 || start >= max || count > max - start)
		return -EINVAL;
	if (count == 0 && !(flags & VFIO_IRQ_SET_DATA_NONE))
		return -EINVAL;
	if (count > IRQSIM_MAX_VECS)
		return -EINVAL;
	return 0;
}

enum {
	IOCTL_VALIDATE,
	IOCTL_LOCK,
	IOCTL_DISPATCH,
	IOCTL_AFTER_BLOCK,
	IOCTL_UNLOCK,
};

/**
 * vfio_pci_ioctl_set_irqs - VFIO_DEVICE_SET_IRQS on a vfio-pci device
 * @arg0: dev
 * @arg1: vfio_set_irqs_arg_flags(index, flags)
 * @arg2: vfio_set_irqs_arg_range(start, count)
 * @arg3: the eventfd of a single vector, or VFIO_FDS_IN_BUFFER: the fds
 *        are in the caller's ioctl_fds (copied from userspace)
 *
 * Validates, takes igate, dispatches (MSI-X: vfio_pci_set_msi_trigger;
 * INTx: vfio_pci_set_intx_mask/_unmask/_trigger), releases igate.
 * Return: 0 or -errno.
 */
static enum irqsim_step vfio_pci_ioctl_set_irqs(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0];
	int index = f->arg[1] >> 16, flags = f->arg[1] & 0xffff;
	int start = f->arg[2] >> 8, count = f->arg[2] & 0xff;
	struct vfio_pci_core_device *vdev;
	int ret;

	switch (f->pc) {
	case IOCTL_VALIDATE:
		ret = vfio_set_irqs_validate(vw, dev, index, flags, start,
					     count);
		IRQSIM_EVENT(ctx, true, "vfio_pci_ioctl_set_irqs",
			     "dev%d index %d flags %#x start %d count %d fd %d%s",
			     dev, index, flags, start, count, f->arg[3],
			     ret ? ": -EINVAL" : "");
		IRQSIM_TRACE(ctx, "vfio_pci_ioctl_set_irqs",
			     "dev=%d index=%d flags=%#x start=%d count=%d fd=%d%s",
			     dev, index, flags, start, count, f->arg[3],
			     ret ? " ret=-22" : "");
		if (ret) {
			vw->stats.set_irqs_errors++;
			return irqsim_return_yield(ctx, ret);
		}
		if (f->arg[3] != VFIO_FDS_IN_BUFFER)
			vw->ioctl_fds[ctx->actor][0] = (int8_t)f->arg[3];
		f->pc = IOCTL_LOCK;
		/* fall through */
	case IOCTL_LOCK:
		if (!irqsim_trylock(ctx, VFIO_LOCK_IGATE(dev)))
			return IRQSIM_BLOCKED;
		f->pc = IOCTL_DISPATCH;
		/* fall through */
	case IOCTL_DISPATCH:
		vdev = &vw->vdev[dev];
		f->pc = IOCTL_UNLOCK;
		if (index == VFIO_PCI_INTX_IRQ_INDEX) {
			int fn = flags & VFIO_IRQ_SET_ACTION_MASK ?
					 fn_vfio_pci_set_intx_mask :
				 flags & VFIO_IRQ_SET_ACTION_UNMASK ?
					 fn_vfio_pci_set_intx_unmask :
					 fn_vfio_pci_set_intx_trigger;

			f->pc = IOCTL_AFTER_BLOCK;
			return irqsim_call(ctx, fn, dev, flags, count,
					   f->arg[3]);
		}
		if (index != VFIO_PCI_MSIX_IRQ_INDEX) {
			f->local[0] = -ENOTTY;
			return IRQSIM_CONTINUE;
		}
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
		    VFIO_IRQ_SET_ACTION_TRIGGER) {
			/*
			 * MASK/UNMASK: "XXX Need masking support exported";
			 * no action or several: no case of the switch.
			 */
			f->local[0] = -ENOTTY;
			return IRQSIM_CONTINUE;
		}
		/* vfio_pci_set_msi_trigger() */
		if (vdev->irq_type == VFIO_PCI_MSIX_IRQ_INDEX && count == 0 &&
		    (flags & VFIO_IRQ_SET_DATA_NONE))
			return irqsim_call(ctx, fn_vfio_msi_disable, dev, 0, 0,
					   0);
		if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
			if (vdev->irq_type == VFIO_PCI_NUM_IRQS) {
				ret = vfio_msi_enable(ctx, dev, start + count);
				if (ret) {
					f->local[0] = ret;
					return IRQSIM_CONTINUE;
				}
				f->local[1] = 1;
			} else if (vdev->irq_type != VFIO_PCI_MSIX_IRQ_INDEX) {
				f->local[0] = -EINVAL;
				return IRQSIM_CONTINUE;
			}
			f->pc = IOCTL_AFTER_BLOCK;
			return irqsim_call(ctx, fn_vfio_msi_set_block, dev,
					   start, count, 0);
		}
		/*
		 * DATA_NONE / DATA_BOOL: loopback signal of existing ctxs,
		 * only on the enabled index (!irq_is(vdev, index): -EINVAL)
		 */
		if (vdev->irq_type != VFIO_PCI_MSIX_IRQ_INDEX) {
			f->local[0] = -EINVAL;
			return IRQSIM_CONTINUE;
		}
		for (int v = start; v < start + count; v++)
			if (vdev->ctx[v].trigger >= 0)
				eventfd_signal(ctx, vdev->ctx[v].trigger);
		f->local[0] = 0;
		return IRQSIM_CONTINUE;
	case IOCTL_AFTER_BLOCK:
		f->local[0] = f->ret;
		f->pc = IOCTL_UNLOCK;
		if (f->ret < 0 && f->local[1])
			return irqsim_call(ctx, fn_vfio_msi_disable, dev, 0, 0,
					   0);
		/* fall through */
	case IOCTL_UNLOCK:
	default:
		irqsim_unlock(ctx, VFIO_LOCK_IGATE(dev));
		if (f->local[0] < 0)
			vw->stats.set_irqs_errors++;
		IRQSIM_EVENT(ctx, true, "vfio_pci_ioctl_set_irqs",
			     "dev%d returns %d", dev, f->local[0]);
		IRQSIM_TRACE(ctx, "vfio_pci_ioctl_set_irqs", "dev=%d ret=%d",
			     dev, f->local[0]);
		return irqsim_return_yield(ctx, f->local[0]);
	}
}

void vfio_init(eventfd_wakeup_fn wakeup)
{
	msi_init();
	eventfd_wakeup = wakeup;
	vfio_knob_dyn_msix = irqsim_knob_register(&knob_dyn_msix);
	fn_vfio_msihandler =
		irqsim_fn_register("vfio_msihandler", vfio_msihandler);
	fn_vfio_msi_set_vector_signal = irqsim_fn_register(
		"vfio_msi_set_vector_signal", vfio_msi_set_vector_signal);
	fn_vfio_msi_set_block =
		irqsim_fn_register("vfio_msi_set_block", vfio_msi_set_block);
	fn_vfio_msi_disable =
		irqsim_fn_register("vfio_msi_disable", vfio_msi_disable);
	fn_vfio_pci_ioctl_set_irqs = irqsim_fn_register(
		"vfio_pci_ioctl_set_irqs", vfio_pci_ioctl_set_irqs);
	vfio_register_intx();
	vfio_register_update_devid();
}
