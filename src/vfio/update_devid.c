// SPDX-License-Identifier: MIT
/*
 * Models vfio_msi_set_vector_signal() of the 2019 series "genirq/vfio:
 * Introduce irq_update_devid() and optimize VFIO irq ops" (Ben Luo; VFIO
 * part acked by Alex Williamson on v6, never merged; seeds/004), mapped
 * onto the v6.18 code (a ctx with a trigger = the seed's
 * vdev->ctx[vector].trigger != NULL). Two revisions, by the update_devid
 * knob:
 *
 * v4 3/3 (2019-08-22, the revision the review in seeds/004 answers):
 *   trigger = eventfd_ctx_fdget(fd) first; a bad fd returns the error
 *   with the vector untouched (review: "a user visible change").
 *   Old trigger present:
 *     same trigger:   irq_bypass_unregister_producer() only, to bounce the
 *                     bypass so the IRTE is rewritten ("switch back to
 *                     remap mode"); the new reference is never put
 *                     (review: "I think we leak the fd context").
 *     new trigger:    irq_update_devid(irq, old, new); on error: put the
 *                     new one and return, old path and bypass kept;
 *                     then irq_bypass_unregister_producer() (review: "I
 *                     would have expected that we'd unregister the bypass
 *                     before we updated the devid"), put the old one.
 *     fd < 0:         free_irq(), then irq_bypass_unregister_producer().
 *   fd < 0: return 0. No trigger yet: cached message, request_irq().
 *   Always: irq_bypass_register_producer(token = trigger).
 *
 *   "Untouched" and "kept" hold for this function only. Its caller,
 *   vfio_msi_set_block() (vfio.c), unwinds every vector from start up to
 *   and including the failing one with fd -1, so the failing vector then
 *   takes the fd < 0 branch above: free_irq() of the old trigger (the
 *   IRTE stays posted until its deactivation, the producer is
 *   unregistered only after), the put. Through VFIO_DEVICE_SET_IRQS v4
 *   therefore returns its errors with the vector disabled, as mainline
 *   does; the review, which read this function alone, did not mention
 *   the unwind.
 *
 * fixed (v5 3/3, 2019-08-30; v6 only drops a log line): the review's
 * fixes. Old trigger present: irq_bypass_unregister_producer() first,
 * always ("even if the trigger is unchanged we need to bounce the
 * interrupt bypass connection to allow affinity changes in the guest to
 * be realized"); same trigger: put the extra reference; new trigger:
 * irq_update_devid(), and on error tear down (free_irq, put both) and
 * return it: "The user ABI is that the vector is disabled if an error is
 * returned"; fd < 0 or a bad fd: free_irq() (a bad fd then returns its
 * error, the vector disabled, as mainline does). set_block's unwind then
 * finds no trigger and changes nothing.
 */
#include "vfio/internal.h"
#include "vfio/trace.h"

#include <errno.h>

int vfio_knob_update_devid;

static const char *const update_devid_values[] = { "off", "v4", "fixed",
						   NULL };

static const struct irqsim_knob knob_update_devid = {
	.name = "update_devid",
	.doc = "vfio_msi_set_vector_signal(): off = mainline, a trigger change "
	       "is free_irq() + request_irq(); v4 = the 2019 irq_update_devid "
	       "series as posted (v4 3/3, seeds/004: swap dev_id in place, "
	       "then unregister the bypass; keep the old path on error, which "
	       "set_block's unwind then frees; leak on an unchanged trigger); "
	       "fixed = v5 3/3 with the review's fixes (unregister first, put "
	       "the extra reference, disable the vector on error); never "
	       "merged",
	.def = UPDATE_DEVID_OFF,
	.max = UPDATE_DEVID_FIXED,
	.values = update_devid_values,
};

/* trigger: the new trigger, a -errno from fdget, or NO_TRIGGER (fd < 0) */
#define NO_TRIGGER	(-128)

/* Return: whether the unregistration rewrote an IRTE (a visible step). */
static bool unregister_step(struct irqsim_ctx *ctx, int dev, int vector,
			    const char *why)
{
	bool visible;

	irq_bypass_unregister_producer(ctx, dev, vector, &visible);
	trace_irq_bypass_unregister_producer(ctx, dev, vector, why, visible);
	return visible;
}

static void put_step(struct irqsim_ctx *ctx, int dev, int vector, int efd,
		     const char *why)
{
	eventfd_ctx_put(vfio_w(ctx), efd);
	trace_vfio_msi_set_vector_signal_put(ctx, dev, vector, efd, why);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, efd, 0),
		      IRQSIM_ACC_RMW);
}

/**
 * vfio_msi_set_vector_signal_series - the series' trigger change, the
 * body of vfio_msi_set_vector_signal() under the update_devid knob, in
 * its frame (struct vfio_msi_set_vector_signal_frame)
 * @dev:    the device
 * @vector: the MSI-X vector
 * @fd:     eventfd, or -1 to leave the vector without a handler
 *
 * Return: 0 or -errno, as the revision returns it (see the file comment).
 */
enum irqsim_step vfio_msi_set_vector_signal_series(struct irqsim_ctx *ctx,
						   struct irqsim_frame *f)
{
	struct vfio_msi_set_vector_signal_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_msi_set_vector_signal_frame);
	struct vfio_world *vw = vfio_w(ctx);
	bool v4 = irqsim_knob(ctx, vfio_knob_update_devid) == UPDATE_DEVID_V4;
	struct vfio_pci_core_device *vdev = &vw->vdev[v->dev];
	struct vfio_pci_irq_ctx *ictx;
	int irq, ret;
	bool visible;

	/* tested again at every step: the range, the ctx and the irq */
	if (v->vector < 0 || v->vector >= vdev->num_ctx)
		IRQSIM_RETURN(ctx, -EINVAL);
	ictx = &vdev->ctx[v->vector];
	irq = vw->msi.dev[v->dev].irq[v->vector];

	IRQSIM_BEGIN(f);
	v->trigger = v->fd >= 0 ? eventfd_ctx_fdget(vw, v->fd) : NO_TRIGGER;
	v->old_trigger = ictx->trigger;
	if (v->fd >= 0 && v->trigger < 0 && v4) {
		/*
		 * review: the vector keeps signalling the old one, until
		 * set_block's unwind sets it to fd -1
		 */
		trace_vfio_msi_set_vector_signal_kept(ctx, v->dev, v->vector,
						      v->fd, v->trigger);
		IRQSIM_RETURN_YIELD(ctx, v->trigger);
	}
	if (v->trigger >= 0)
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, v->trigger, 0),
			      IRQSIM_ACC_RMW);
	if (ictx->trigger < 0)
		goto new_trigger;

	/* fixed: unregister before anything else, always */
	if (!v4 && unregister_step(ctx, v->dev, v->vector,
				   "before the dev_id update"))
		IRQSIM_YIELD_POINT();
	if (ictx->trigger == v->trigger) {
		if (v4) {
			/* the fdget reference is never put: leak */
			if (unregister_step(ctx, v->dev, v->vector,
					    "same trigger: bounce to rewrite the IRTE"))
				IRQSIM_YIELD_POINT();
			goto new_trigger;
		}
		put_step(ctx, v->dev, v->vector, v->trigger,
			 "same trigger: the extra reference");
		IRQSIM_YIELD_POINT();
		goto new_trigger;
	}
	if (v->trigger < 0) {
		/* fd < 0 (or, fixed, a bad fd): free_irq() */
		IRQSIM_CALL(call_free_irq(ctx, irq, ictx->trigger));
		/* v4's else branch: free_irq(), then unregister */
		if (v4 && unregister_step(ctx, v->dev, v->vector,
					  "after free_irq"))
			IRQSIM_YIELD_POINT();
		put_step(ctx, v->dev, v->vector, ictx->trigger, "ctx freed");
		ictx->trigger = -1;
		IRQSIM_YIELD_POINT();
		goto new_trigger;
	}
	IRQSIM_CALL(call_irq_update_devid(ctx, irq, ictx->trigger, v->trigger));
	if (f->ret < 0) {
		v->err = f->ret;
		trace_vfio_msi_set_vector_signal_update_failed(
			ctx, v->dev, v->vector, irq, ictx->trigger, f->ret, v4);
		eventfd_ctx_put(vw, v->trigger);
		/* v4: kept here; set_block's unwind frees it (fd -1) */
		if (v4)
			IRQSIM_RETURN_YIELD(ctx, f->ret);
		/* the put ends this step: free_irq() runs from the next */
		call_free_irq(ctx, irq, ictx->trigger);
		IRQSIM_YIELD_POINT();
		/* fixed: the vector is disabled, as mainline leaves it */
		put_step(ctx, v->dev, v->vector, ictx->trigger,
			 "ctx freed on error");
		ictx->trigger = -1;
		vw->stats.vectors_without_handler++;
		IRQSIM_RETURN_YIELD(ctx, v->err);
	}
	if (v4 && unregister_step(ctx, v->dev, v->vector,
				  "after the dev_id update"))
		IRQSIM_YIELD_POINT();
	put_step(ctx, v->dev, v->vector, ictx->trigger, "the old trigger");
	ictx->trigger = (int8_t)v->trigger;
	IRQSIM_EVENT(ctx, false, "vfio_msi_set_vector_signal",
		     "dev%d vector %d: ctx->trigger = efd%d (in place)", v->dev,
		     v->vector, v->trigger);
	IRQSIM_YIELD_POINT();

new_trigger:
	if (v->fd < 0)
		IRQSIM_RETURN(ctx, 0);
	if (v->trigger < 0) {
		/* fixed: a bad fd after the teardown */
		vw->stats.vectors_without_handler += v->old_trigger >= 0;
		IRQSIM_RETURN(ctx, v->trigger);
	}
	if (ictx->trigger < 0) {
		if (irq <= 0) {
			eventfd_ctx_put(vw, v->trigger);
			IRQSIM_RETURN(ctx, -EINVAL);
		}
		/* if (msix): the entry refreshed from the cached message */
		if (!v->msi)
			IRQSIM_CALL(call_pci_write_msi_msg(ctx, irq,
							   MSI_MSG_CACHED, 0,
							   0));
		IRQSIM_CALL(call_request_irq(ctx, irq, fn_vfio_msihandler,
					     v->trigger, v->trigger));
		if (f->ret < 0) {
			eventfd_ctx_put(vw, v->trigger);
			vw->stats.vectors_without_handler++;
			IRQSIM_EVENT(ctx, true, "vfio_msi_set_vector_signal",
				     "dev%d vector %d: request_irq failed (%d), vector left without handler",
				     v->dev, v->vector, f->ret);
			IRQSIM_RETURN_YIELD(ctx, f->ret);
		}
		ictx->trigger = (int8_t)v->trigger;
	}
	/* "setup bypass connection and make irte updated" */
	ret = irq_bypass_register_producer(ctx, v->dev, v->vector,
					   ictx->trigger, irq, &visible);
	trace_irq_bypass_register_producer(ctx, v->dev, v->vector,
					   ictx->trigger, ret, visible);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}

void vfio_register_update_devid(void)
{
	vfio_knob_update_devid = irqsim_knob_register(&knob_update_devid);
}
