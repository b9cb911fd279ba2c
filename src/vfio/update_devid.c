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
 * fixed (v5 3/3, 2019-08-30; v6 only drops a log line): the review's
 * fixes. Old trigger present: irq_bypass_unregister_producer() first,
 * always ("even if the trigger is unchanged we need to bounce the
 * interrupt bypass connection to allow affinity changes in the guest to
 * be realized"); same trigger: put the extra reference; new trigger:
 * irq_update_devid(), and on error tear down (free_irq, put both) and
 * return it: "The user ABI is that the vector is disabled if an error is
 * returned"; fd < 0 or a bad fd: free_irq() (a bad fd then returns its
 * error, the vector disabled, as mainline does).
 */
#include "vfio/internal.h"

#include <errno.h>

int vfio_knob_update_devid;

static const char *const update_devid_values[] = { "off", "v4", "fixed",
						   NULL };

static const struct irqsim_knob knob_update_devid = {
	.name = "update_devid",
	.doc = "vfio_msi_set_vector_signal(): off = mainline, a trigger change "
	       "is free_irq() + request_irq(); v4 = the 2019 irq_update_devid "
	       "series as posted (v4 3/3, seeds/004: swap dev_id in place, "
	       "then unregister the bypass; keep the old path on error; leak "
	       "on an unchanged trigger); fixed = v5 3/3 with the review's "
	       "fixes (unregister first, put the extra reference, disable the "
	       "vector on error); never merged",
	.def = UPDATE_DEVID_OFF,
	.max = UPDATE_DEVID_FIXED,
	.values = update_devid_values,
};

/* local[0]: the new trigger, a -errno from fdget, or NO_TRIGGER (fd < 0) */
#define NO_TRIGGER	(-128)

enum {
	SER_START,
	SER_BOUNCE,
	SER_CASES,
	SER_UPDATED,
	SER_UNREGISTER_AFTER_UPDATE,
	SER_SWAP,
	SER_FREED,
	SER_FREED_PUT,
	SER_ERR_FREED,
	SER_NEW,
	SER_REQUEST,
	SER_REQUEST_CHECK,
	SER_REGISTER,
};

static enum irqsim_step unregister_step(struct irqsim_ctx *ctx, int dev,
					int vector, const char *why)
{
	bool visible;

	irq_bypass_unregister_producer(ctx, dev, vector, &visible);
	IRQSIM_EVENT(ctx, visible, "irq_bypass_unregister_producer",
		     "dev%d vector %d: producer unregistered (%s)", dev, vector,
		     why);
	IRQSIM_TRACE(ctx, "irq_bypass_unregister_producer",
		     "dev=%d vector=%d irte=%d", dev, vector, visible);
	return visible ? IRQSIM_YIELD : IRQSIM_CONTINUE;
}

static void put_step(struct irqsim_ctx *ctx, int dev, int vector, int efd,
		     const char *why)
{
	eventfd_ctx_put(vfio_w(ctx), efd);
	IRQSIM_EVENT(ctx, false, "vfio_msi_set_vector_signal",
		     "dev%d vector %d: eventfd_ctx_put(efd%d) (%s)", dev, vector,
		     efd, why);
	IRQSIM_TRACE(ctx, "vfio_msi_set_vector_signal",
		     "dev=%d vector=%d put_efd=%d", dev, vector, efd);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, efd, 0),
		      IRQSIM_ACC_RMW);
}

/**
 * vfio_msi_set_vector_signal_series - the series' trigger change
 * @arg0: dev
 * @arg1: vector
 * @arg2: eventfd, or -1 to leave the vector without a handler
 *
 * Return: 0 or -errno, as the revision returns it (see the file comment).
 */
enum irqsim_step vfio_msi_set_vector_signal_series(struct irqsim_ctx *ctx,
						   struct irqsim_frame *f)
{
	struct vfio_world *vw = vfio_w(ctx);
	int dev = f->arg[0], vector = f->arg[1], fd = f->arg[2];
	bool v4 = irqsim_knob(ctx, vfio_knob_update_devid) == UPDATE_DEVID_V4;
	struct vfio_pci_core_device *vdev = &vw->vdev[dev];
	struct vfio_pci_irq_ctx *ictx;
	int irq, trig, ret;
	bool visible;

	if (vector < 0 || vector >= vdev->num_ctx)
		return irqsim_return(ctx, -EINVAL);
	ictx = &vdev->ctx[vector];
	irq = vw->msi.dev[dev].irq[vector];
	trig = f->local[0];

	switch (f->pc) {
	case SER_START:
		trig = fd >= 0 ? eventfd_ctx_fdget(vw, fd) : NO_TRIGGER;
		f->local[0] = trig;
		f->local[2] = ictx->trigger;
		if (fd >= 0 && trig < 0 && v4) {
			/* review: the vector keeps signalling the old one */
			IRQSIM_EVENT(ctx, true, "vfio_msi_set_vector_signal",
				     "dev%d vector %d: eventfd_ctx_fdget(%d) = %d before anything changed: old path kept",
				     dev, vector, fd, trig);
			IRQSIM_TRACE(ctx, "vfio_msi_set_vector_signal",
				     "dev=%d vector=%d fd=%d ret=%d kept=1", dev,
				     vector, fd, trig);
			return irqsim_return_yield(ctx, trig);
		}
		if (trig >= 0)
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VFIO_OBJ_EVENTFD, trig, 0),
				      IRQSIM_ACC_RMW);
		if (ictx->trigger < 0) {
			f->pc = SER_NEW;
			return IRQSIM_CONTINUE;
		}
		f->pc = v4 ? SER_CASES : SER_BOUNCE;
		return IRQSIM_CONTINUE;
	case SER_BOUNCE:
		/* fixed: unregister before anything else, always */
		f->pc = SER_CASES;
		return unregister_step(ctx, dev, vector,
				       "before the dev_id update");
	case SER_CASES:
		if (ictx->trigger == trig) {
			f->pc = SER_NEW;
			if (v4)
				/* the fdget reference is never put: leak */
				return unregister_step(ctx, dev, vector,
						       "same trigger: bounce to rewrite the IRTE");
			put_step(ctx, dev, vector, trig,
				 "same trigger: the extra reference");
			return IRQSIM_YIELD;
		}
		if (trig >= 0) {
			f->pc = SER_UPDATED;
			return irqsim_call(ctx, fn_irq_update_devid, irq,
					   ictx->trigger, trig, 0);
		}
		/* fd < 0 (or, fixed, a bad fd): free_irq() */
		f->pc = SER_FREED;
		return irqsim_call(ctx, fn_free_irq, irq, ictx->trigger, 0, 0);
	case SER_UPDATED:
		if (f->ret < 0) {
			f->local[1] = f->ret;
			IRQSIM_EVENT(ctx, true, "vfio_msi_set_vector_signal",
				     "dev%d: update devid of irq%d (token efd%d) failed: %d%s",
				     dev, irq, ictx->trigger, f->ret,
				     v4 ? ": old path and bypass kept" :
					  ": tear down");
			IRQSIM_TRACE(ctx, "vfio_msi_set_vector_signal",
				     "dev=%d vector=%d irq=%d update_ret=%d", dev,
				     vector, irq, f->ret);
			eventfd_ctx_put(vw, trig);
			if (v4)
				return irqsim_return_yield(ctx, f->ret);
			f->pc = SER_ERR_FREED;
			irqsim_call(ctx, fn_free_irq, irq, ictx->trigger, 0, 0);
			return IRQSIM_YIELD;
		}
		f->pc = v4 ? SER_UNREGISTER_AFTER_UPDATE : SER_SWAP;
		return IRQSIM_CONTINUE;
	case SER_UNREGISTER_AFTER_UPDATE:
		f->pc = SER_SWAP;
		return unregister_step(ctx, dev, vector,
				       "after the dev_id update");
	case SER_SWAP:
		put_step(ctx, dev, vector, ictx->trigger, "the old trigger");
		ictx->trigger = (int8_t)trig;
		IRQSIM_EVENT(ctx, false, "vfio_msi_set_vector_signal",
			     "dev%d vector %d: ctx->trigger = efd%d (in place)",
			     dev, vector, trig);
		f->pc = SER_NEW;
		return IRQSIM_YIELD;
	case SER_FREED:
		if (v4) {
			/* v4's else branch: free_irq(), then unregister */
			f->pc = SER_FREED_PUT;
			if (unregister_step(ctx, dev, vector,
					    "after free_irq") == IRQSIM_YIELD)
				return IRQSIM_YIELD;
		}
		/* fall through */
	case SER_FREED_PUT:
		put_step(ctx, dev, vector, ictx->trigger, "ctx freed");
		ictx->trigger = -1;
		f->pc = SER_NEW;
		return IRQSIM_YIELD;
	case SER_ERR_FREED:
		/* fixed: the vector is disabled, as mainline leaves it */
		put_step(ctx, dev, vector, ictx->trigger, "ctx freed on error");
		ictx->trigger = -1;
		vw->stats.vectors_without_handler++;
		return irqsim_return_yield(ctx, f->local[1]);
	case SER_NEW:
		if (fd < 0)
			return irqsim_return(ctx, 0);
		if (trig < 0) {
			/* fixed: a bad fd after the teardown */
			vw->stats.vectors_without_handler +=
				f->local[2] >= 0;
			return irqsim_return(ctx, trig);
		}
		if (ictx->trigger >= 0) {
			f->pc = SER_REGISTER;
			return IRQSIM_CONTINUE;
		}
		if (irq <= 0) {
			eventfd_ctx_put(vw, trig);
			return irqsim_return(ctx, -EINVAL);
		}
		f->pc = SER_REQUEST;
		return irqsim_call(ctx, fn_pci_write_msi_msg, irq,
				   MSI_MSG_CACHED, 0, 0);
	case SER_REQUEST:
		f->pc = SER_REQUEST_CHECK;
		return irqsim_call(ctx, fn_request_irq, irq, fn_vfio_msihandler,
				   trig, trig);
	case SER_REQUEST_CHECK:
		if (f->ret < 0) {
			eventfd_ctx_put(vw, trig);
			vw->stats.vectors_without_handler++;
			IRQSIM_EVENT(ctx, true, "vfio_msi_set_vector_signal",
				     "dev%d vector %d: request_irq failed (%d), vector left without handler",
				     dev, vector, f->ret);
			return irqsim_return_yield(ctx, f->ret);
		}
		ictx->trigger = (int8_t)trig;
		f->pc = SER_REGISTER;
		/* fall through */
	case SER_REGISTER:
	default:
		/* "setup bypass connection and make irte updated" */
		ret = irq_bypass_register_producer(ctx, dev, vector,
						   ictx->trigger, irq, &visible);
		IRQSIM_EVENT(ctx, visible || ret, "irq_bypass_register_producer",
			     "dev%d vector %d: token efd%d%s", dev, vector,
			     ictx->trigger,
			     ret ? ": registration fails (logged)" : "");
		IRQSIM_TRACE(ctx, "irq_bypass_register_producer",
			     "dev=%d vector=%d token=%d ret=%d irte=%d", dev,
			     vector, ictx->trigger, ret, visible);
		return irqsim_return_yield(ctx, 0);
	}
}

void vfio_register_update_devid(void)
{
	vfio_knob_update_devid = irqsim_knob_register(&knob_update_devid);
}
