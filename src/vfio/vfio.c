// SPDX-License-Identifier: MIT
/*
 * Models drivers/vfio/pci/vfio_pci_intrs.c (Linux v6.18), the MSI and
 * MSI-X part (INTx is in intx.c): vfio_pci_set_irqs_ioctl,
 * vfio_pci_set_msi_trigger, vfio_msi_enable, vfio_msi_disable,
 * vfio_msi_set_block, vfio_msi_set_vector_signal, vfio_msihandler;
 * vfio_pci_core.c vfio_pci_ioctl_set_irqs (igate) and
 * vfio_pci_get_irq_count; vfio_main.c
 * vfio_set_irqs_validate_and_prepare; fs/eventfd.c.
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
#include "vfio/trace.h"

#include <errno.h>
#include <string.h>

int vfio_knob_dyn_msix;
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

struct vfio_msihandler_frame {
	int irq;
	int trigger;		/* dev_id */
};

/**
 * vfio_msihandler - VFIO's MSI-X action: signal the trigger eventfd
 * @irq:     Linux irq
 * @trigger: the action's cookie, the trigger eventfd
 *
 * Return: IRQ_HANDLED.
 */
static enum irqsim_step vfio_msihandler(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	struct vfio_msihandler_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msihandler_frame);

	IRQSIM_BEGIN(f);
	trace_vfio_msihandler(ctx, v->irq, v->trigger);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, v->trigger, 0),
		      IRQSIM_ACC_WRITE);
	eventfd_signal(ctx, v->trigger);
	IRQSIM_RETURN_YIELD(ctx, IRQ_HANDLED);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msihandler);

/**
 * vfio_msi_set_vector_signal - swap the trigger of one vector
 * @dev:    the device
 * @vector: the MSI or MSI-X vector
 * @fd:     eventfd, or -1 to leave the vector without a handler
 * @msi:    the MSI index (the kernel's !msix)
 *
 * irq_bypass_unregister_producer() and free_irq() of the old trigger,
 * then (fd >= 0) refresh the MSI-X entry from the cached message (MSI-X
 * only: "if (msix)"), request_irq() with the new one and
 * irq_bypass_register_producer()
 * (token = the trigger; a failure is only logged). A failing
 * request_irq() returns the error with the old handler already gone.
 * The update_devid knob selects the 2019 series instead (update_devid.c).
 *
 * Return: 0 or -errno.
 */
static enum irqsim_step vfio_msi_set_vector_signal(struct irqsim_ctx *ctx,
						   struct irqsim_frame *f)
{
	struct vfio_msi_set_vector_signal_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msi_set_vector_signal_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	struct vfio_pci_irq_ctx *ictx = &vdev->ctx[v->vector];
	int irq = vw->msi.dev[v->dev].irq[v->vector];
	bool visible;
	int ret;

	if (irqsim_knob(ctx, vfio_knob_update_devid) != UPDATE_DEVID_OFF)
		return vfio_msi_set_vector_signal_series(ctx, f);

	IRQSIM_BEGIN(f);
	/* the ioctl validated against the table size */
	if (v->vector < 0 || v->vector >= vw->msi.dev[v->dev].nvec)
		IRQSIM_RETURN(ctx, -EINVAL);
	if (ictx->trigger >= 0) {
		irq_bypass_unregister_producer(ctx, v->dev, v->vector,
					       &visible);
		if (visible)
			IRQSIM_YIELD_POINT();
		IRQSIM_CALL(call_free_irq(ctx, irq, ictx->trigger));
		trace_vfio_msi_set_vector_signal_free(ctx, v->dev, v->vector,
						      ictx->trigger);
		eventfd_ctx_put(vw, ictx->trigger);
		ictx->trigger = -1;
		IRQSIM_YIELD_POINT();
	}
	if (v->fd < 0)
		IRQSIM_RETURN(ctx, 0);
	if (irq <= 0) {
		/*
		 * vfio_msi_alloc_irq(): pci_irq_vector() has none; with
		 * has_dyn_msix, pci_msix_alloc_irq_at() adds one (kept until
		 * pci_free_irq_vectors()), else -EINVAL. MSI allocates every
		 * vector at enable ("if (irq > 0 || !msix || ...)").
		 */
		if (v->msi || !irqsim_knob(ctx, vfio_knob_dyn_msix))
			IRQSIM_RETURN(ctx, -EINVAL);
		irq = pci_msix_alloc_irq_at(&vw->msi, v->dev, v->vector);
		trace_pci_msix_alloc_irq_at(ctx, v->dev, v->vector, irq);
		if (irq < 0)
			IRQSIM_RETURN_YIELD(ctx, irq);
		if (vdev->num_ctx < v->vector + 1)
			vdev->num_ctx = (uint8_t)(v->vector + 1);
	}
	v->trigger = eventfd_ctx_fdget(vw, v->fd);
	if (v->trigger < 0)
		IRQSIM_RETURN(ctx, v->trigger);
	/* MSI-X: rewrite the entry from the cached message */
	if (!v->msi)
		IRQSIM_CALL(call_pci_write_msi_msg(ctx, irq, MSI_MSG_CACHED, 0,
						   0));
	IRQSIM_CALL(call_request_irq(ctx, irq, fn_vfio_msihandler, v->trigger,
				     v->trigger));
	if (f->ret < 0) {
		eventfd_ctx_put(vw, v->trigger);
		vw->stats.vectors_without_handler++;
		trace_vfio_msi_set_vector_signal_request_failed(
			ctx, v->dev, v->vector, irq, f->ret);
		IRQSIM_RETURN_YIELD(ctx, f->ret);
	}
	if (irqsim_knob(ctx, apic_knob_repair_irq))
		IRQSIM_CALL(call_x86_vector_repair(ctx, irq));
	ret = irq_bypass_register_producer(ctx, v->dev, v->vector, v->trigger,
					   irq, &visible);
	if (ret)
		IRQSIM_EVENT(ctx, true, "vfio_msi_set_vector_signal",
			     "dev%d: irq bypass producer (token efd%d) registration fails: %d",
			     v->dev, v->trigger, ret);
	ictx->trigger = (int8_t)v->trigger;
	trace_vfio_msi_set_vector_signal(ctx, v->dev, v->vector, irq,
					 v->trigger);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msi_set_vector_signal);

enum irqsim_step call_vfio_msi_set_vector_signal(struct irqsim_ctx *ctx,
						 int dev, int vector, int fd,
						 int msi)
{
	return irqsim_call(ctx, fn_vfio_msi_set_vector_signal, dev, vector, fd,
			   msi);
}

struct vfio_msi_set_block_frame {
	int dev;
	int start;
	int count;
	int msi;		/* the MSI index (!msix) */
	int i;			/* the vector being set */
	int err;
	int j;			/* the vector being undone */
};

/**
 * vfio_msi_set_block - vectors start..start+count-1 in order; on the
 * first failure every vector from start up to and including the failing
 * one is set to fd -1 (loses its handler) and the error returned
 * @dev:   the device
 * @start: first vector
 * @count: vectors
 * @msi:   the MSI index (the kernel's !msix)
 *
 * The fds come from the caller's ioctl_fds copy. The unwind includes the
 * failing vector, as vfio_pci_intrs.c vfio_msi_set_block() does in both
 * its forms: for (--j; j >= (int)start; j--) in v5.2..v6.4, and
 * for (i = start; i < j; i++) since 6578ed85c7d6 (v6.5), the one
 * modeled. In mainline that call finds no ctx and changes nothing; under
 * update_devid=v4 it tears down the old path that
 * vfio_msi_set_vector_signal() kept on error, so the ioctl returns with
 * the vector disabled.
 *
 * Return: 0 or the first error.
 */
static enum irqsim_step vfio_msi_set_block(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vfio_msi_set_block_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msi_set_block_frame);
	struct vfio_world *vw = vfio_w(ctx);

	IRQSIM_BEGIN(f);
	for (v->i = 0; v->i < v->count; v->i++) {
		IRQSIM_CALL(call_vfio_msi_set_vector_signal(
			ctx, v->dev, v->start + v->i,
			vw->ioctl_fds[ctx->actor][v->i], v->msi));
		if (f->ret < 0)
			goto undo;
	}
	IRQSIM_RETURN(ctx, 0);

undo:
	/*
	 * The kernel's loop, for (i = 0, j = start; i < count && !ret;
	 * i++, j++), runs j++ past the failing vector before it tests !ret,
	 * so its unwind covers the failing vector too: v5.2..v6.4 unwind
	 * downward, for (--j; j >= (int)start; j--), the failing vector
	 * first; since 6578ed85c7d6 ("vfio/pci: Remove negative check on
	 * unsigned vector", v6.5) upward, for (i = start; i < j; i++), the
	 * failing vector last, as here. In mainline the failing vector has
	 * no ctx left, so its call is a no-op (no step, no event); in the
	 * 2019 series v4 it frees the old trigger, action and producer that
	 * set_vector_signal kept.
	 */
	v->err = f->ret;
	for (v->j = 0; v->j <= v->i; v->j++)
		IRQSIM_CALL(call_vfio_msi_set_vector_signal(ctx, v->dev,
							    v->start + v->j,
							    -1, v->msi));
	IRQSIM_RETURN(ctx, v->err);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msi_set_block);

enum irqsim_step call_vfio_msi_set_block(struct irqsim_ctx *ctx, int dev,
					 int start, int count, int msi)
{
	return irqsim_call(ctx, fn_vfio_msi_set_block, dev, start, count, msi);
}

/*
 * vfio_msi_enable(): pci_alloc_irq_vectors(pdev, 1, nvec, PCI_IRQ_MSIX or
 * PCI_IRQ_MSI) under the memory lock; if it grants fewer than @nvec, they
 * are freed again and the count goes back to userspace (a positive return
 * of the ioctl; QEMU retries only for MSI). An MSI capability here has
 * one vector (the ioctl checked @nvec against vfio_pci_get_irq_count()).
 */
static int vfio_msi_enable(struct irqsim_ctx *ctx, int dev, int nvec,
			   bool msi)
{
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	int ret;

	if (vdev->irq_type != VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	if (msi)
		ret = pci_alloc_irq_vectors_msi(&vw->msi, dev);
	else
		ret = pci_alloc_irq_vectors_range(
			&vw->msi, dev, 1, nvec,
			irqsim_knob(ctx, msi_knob_msix_quota));
	if (ret < nvec) {
		trace_vfio_msi_enable_failed(ctx, dev, nvec, ret);
		if (ret > 0)
			pci_free_irq_vectors(&vw->msi, dev);
		return ret;
	}
	vdev->num_ctx = (uint8_t)nvec;
	vdev->irq_type = msi ? VFIO_PCI_MSI_IRQ_INDEX : VFIO_PCI_MSIX_IRQ_INDEX;
	trace_vfio_msi_enable(ctx, dev, nvec, !msi);
	return 0;
}

/*
 * irq_domain_free_irqs_top(): irq_set_handler(virq, NULL) takes each
 * desc->lock, so a flow handler inside it finishes first. Every lock of
 * @dev's irqs is taken and dropped, from the first irq on.
 *
 * Return: true, or false with *@busy the lock another actor holds (the
 * failed trylock queued this actor on it).
 */
static bool irq_domain_free_irqs_top_locks(struct irqsim_ctx *ctx, int dev,
					   int *busy)
{
	struct vfio_world *vw = vfio_w(ctx);

	for (int vec = 0; vec < IRQSIM_MAX_VECS; vec++) {
		int irq = vw->msi.dev[dev].irq[vec];

		if (irq <= 0)
			continue;
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq))) {
			*busy = IRQ_LOCK_DESC(irq);
			return false;
		}
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
	}
	return true;
}

struct vfio_msi_disable_frame {
	int dev;
	int msi;		/* the MSI index (!msix) */
	int unused2, unused3;	/* argument slots it does not take */
	int vector;
};

/**
 * vfio_msi_disable - every vector with a context to fd -1 (free_irq()),
 * then pci_free_irq_vectors(), which clears MSI or MSI-X enable on the
 * device (pci_msi_shutdown() also unmasks an MSI)
 * @dev: the device
 * @msi: the MSI index (the kernel's !msix)
 */
static enum irqsim_step vfio_msi_disable(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct vfio_msi_disable_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msi_disable_frame);
	struct vfio_world *vw = vfio_w(ctx);
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	int busy = -1;

	IRQSIM_BEGIN(f);
	/* xa_for_each(&vdev->ctx): every vector with a context */
	for (v->vector = 0; v->vector < IRQSIM_MAX_VECS; v->vector++)
		if (vdev->ctx[v->vector].trigger >= 0)
			IRQSIM_CALL(call_vfio_msi_set_vector_signal(
				ctx, v->dev, v->vector, -1, v->msi));
	/* woken, it takes every lock again, from the first irq on */
	IRQSIM_WAIT_UNTIL(ctx,
			  irq_domain_free_irqs_top_locks(ctx, v->dev, &busy),
			  busy);
	/*
	 * pci_free_irq_vectors(): MSI(-X) enable cleared on the device,
	 * every irq freed; from here the device signals INTx, not MSI(-X).
	 */
	if (v->msi)
		pci_free_irq_vectors_msi(&vw->msi, v->dev);
	else
		pci_free_irq_vectors(&vw->msi, v->dev);
	vdev->num_ctx = 0;
	vdev->irq_type = VFIO_PCI_NUM_IRQS;
	trace_vfio_msi_disable(ctx, v->dev, !v->msi);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, v->dev, 0),
		      IRQSIM_ACC_WRITE);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_msi_disable);

enum irqsim_step call_vfio_msi_disable(struct irqsim_ctx *ctx, int dev,
				       int msi)
{
	return irqsim_call(ctx, fn_vfio_msi_disable, dev, msi, 0, 0);
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
	const struct pci_dev *pdev;
	int max;

	if (dev < 0 || dev >= vw->msi.ndev)
		return -ENODEV;
	if (index < 0 || index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	if (__builtin_popcount(flags & VFIO_IRQ_SET_DATA_TYPE_MASK) != 1 ||
	    (flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
		       VFIO_IRQ_SET_ACTION_TYPE_MASK)))
		return -EINVAL;
	/*
	 * vfio_pci_get_irq_count(): INTx only with an interrupt pin, MSI
	 * and MSI-X only with their capability (an MSI capability here
	 * has one vector)
	 */
	pdev = &vw->msi.dev[dev];
	max = index == VFIO_PCI_MSIX_IRQ_INDEX ? (pdev->msi_plain ? 0 :
								  pdev->nvec) :
	      index == VFIO_PCI_MSI_IRQ_INDEX  ? pdev->msi_plain :
	      index == VFIO_PCI_INTX_IRQ_INDEX ? pdev->intx.present :
						 1;
	if (start < 0 || count < 0 || start >= max || count > max - start)
		return -EINVAL;
	if (count == 0 && !(flags & VFIO_IRQ_SET_DATA_NONE))
		return -EINVAL;
	if (count > IRQSIM_MAX_VECS)
		return -EINVAL;
	return 0;
}

struct vfio_pci_ioctl_set_irqs_frame {
	int dev;
	int index_flags;
	int start_count;
	int fd;
	int ret;
	int enabled;		/* MSI-X enabled by this call */
};

/**
 * vfio_pci_ioctl_set_irqs - VFIO_DEVICE_SET_IRQS on a vfio-pci device
 * @dev:         the device
 * @index_flags: vfio_set_irqs_arg_flags(index, flags)
 * @start_count: vfio_set_irqs_arg_range(start, count)
 * @fd:          the eventfd of a single vector, or VFIO_FDS_IN_BUFFER: the
 *               fds are in the caller's ioctl_fds (copied from userspace)
 *
 * Validates, takes igate, dispatches (MSI and MSI-X:
 * vfio_pci_set_msi_trigger; INTx: vfio_pci_set_intx_mask/_unmask/_trigger),
 * releases igate.
 *
 * Return: 0 or -errno.
 */
static enum irqsim_step vfio_pci_ioctl_set_irqs(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	struct vfio_pci_ioctl_set_irqs_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_pci_ioctl_set_irqs_frame);
	struct vfio_world *vw = vfio_w(ctx);
	int index = v->index_flags >> 16, flags = v->index_flags & 0xffff;
	int start = v->start_count >> 8, count = v->start_count & 0xff;
	struct vfio_pci_core_device *vdev;
	int ret;

	IRQSIM_BEGIN(f);
	ret = vfio_set_irqs_validate(vw, v->dev, index, flags, start, count);
	trace_vfio_pci_ioctl_set_irqs(ctx, v->dev, index, flags, start, count,
				      v->fd, ret);
	if (ret) {
		vw->stats.set_irqs_errors++;
		IRQSIM_RETURN_YIELD(ctx, ret);
	}
	if (v->fd != VFIO_FDS_IN_BUFFER)
		vw->ioctl_fds[ctx->actor][0] = (int8_t)v->fd;
	IRQSIM_LOCK(ctx, VFIO_LOCK_IGATE(v->dev));	/* mutex_lock(igate) */
	vdev = &vw->vdev[v->dev];
	if (index == VFIO_PCI_INTX_IRQ_INDEX) {
		if (flags & VFIO_IRQ_SET_ACTION_MASK)
			IRQSIM_CALL(call_vfio_pci_set_intx_mask(ctx, v->dev,
								flags, count,
								v->fd));
		else if (flags & VFIO_IRQ_SET_ACTION_UNMASK)
			IRQSIM_CALL(call_vfio_pci_set_intx_unmask(ctx, v->dev,
								  flags, count,
								  v->fd));
		else
			IRQSIM_CALL(call_vfio_pci_set_intx_trigger(ctx, v->dev,
								   flags, count,
								   v->fd));
		v->ret = f->ret;
		goto out_unlock;
	}
	if (index != VFIO_PCI_MSIX_IRQ_INDEX &&
	    index != VFIO_PCI_MSI_IRQ_INDEX) {
		v->ret = -ENOTTY;
		goto out_unlock;
	}
	if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER) {
		/*
		 * MASK/UNMASK: "XXX Need masking support exported"; no
		 * action or several: no case of the switch.
		 */
		v->ret = -ENOTTY;
		goto out_unlock;
	}
	/* vfio_pci_set_msi_trigger(): msix = index == MSI-X */
	if (vdev->irq_type == index && count == 0 &&
	    (flags & VFIO_IRQ_SET_DATA_NONE)) {
		IRQSIM_CALL(call_vfio_msi_disable(
			ctx, v->dev, index == VFIO_PCI_MSI_IRQ_INDEX));
		goto out_unlock;
	}
	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (vdev->irq_type == VFIO_PCI_NUM_IRQS) {
			ret = vfio_msi_enable(ctx, v->dev, start + count,
					      index == VFIO_PCI_MSI_IRQ_INDEX);
			if (ret) {
				v->ret = ret;
				goto out_unlock;
			}
			v->enabled = 1;
		} else if (vdev->irq_type != index) {
			v->ret = -EINVAL;
			goto out_unlock;
		}
		IRQSIM_CALL(call_vfio_msi_set_block(
			ctx, v->dev, start, count,
			index == VFIO_PCI_MSI_IRQ_INDEX));
		v->ret = f->ret;
		if (f->ret < 0 && v->enabled)
			IRQSIM_CALL(call_vfio_msi_disable(
				ctx, v->dev, index == VFIO_PCI_MSI_IRQ_INDEX));
		goto out_unlock;
	}
	/*
	 * DATA_NONE / DATA_BOOL: loopback signal of existing ctxs, only on
	 * the enabled index (!irq_is(vdev, index): -EINVAL)
	 */
	if (vdev->irq_type != index) {
		v->ret = -EINVAL;
		goto out_unlock;
	}
	for (int vec = start; vec < start + count; vec++)
		if (vdev->ctx[vec].trigger >= 0)
			eventfd_signal(ctx, vdev->ctx[vec].trigger);
	v->ret = 0;

out_unlock:
	irqsim_unlock(ctx, VFIO_LOCK_IGATE(v->dev));
	if (v->ret < 0)
		vw->stats.set_irqs_errors++;
	trace_vfio_pci_ioctl_set_irqs_return(ctx, v->dev, v->ret);
	IRQSIM_RETURN_YIELD(ctx, v->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_pci_ioctl_set_irqs);

enum irqsim_step call_vfio_pci_ioctl_set_irqs(struct irqsim_ctx *ctx, int dev,
					      int index_flags, int start_count,
					      int fd)
{
	return irqsim_call(ctx, fn_vfio_pci_ioctl_set_irqs, dev, index_flags,
			   start_count, fd);
}

void vfio_init(eventfd_wakeup_fn wakeup)
{
	msi_init();
	eventfd_wakeup = wakeup;
	vfio_knob_dyn_msix = irqsim_knob_register(&knob_dyn_msix);
	vfio_register_intx();
	vfio_register_update_devid();
}
