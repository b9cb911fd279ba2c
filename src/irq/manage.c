// SPDX-License-Identifier: MIT
/*
 * Models kernel/irq/manage.c (Linux v6.18): request_threaded_irq ->
 * __setup_irq, free_irq -> __free_irq, __synchronize_irq,
 * disable_irq_nosync -> __disable_irq, enable_irq -> __enable_irq; and
 * irq_update_devid() of the 2019 series "genirq/vfio: Introduce
 * irq_update_devid() and optimize VFIO irq ops" (Ben Luo, v4..v6, never
 * merged; its genirq patch is the same in v4 and v6).
 */
#include "irq/internal.h"
#include "irq/trace.h"

#include <errno.h>
#include <string.h>

int irq_knob_fail_request_irq;
int irq_knob_fail_update_devid;

static const struct irqsim_knob knob_fail_request_irq = {
	.name = "fail_request_irq",
	.doc = "fault injection: the Nth request_irq() (counted from 1 across "
	       "the run, setup included) fails before touching anything, as a "
	       "failed action allocation in request_threaded_irq() does "
	       "(-ENOMEM unless fail_errno says otherwise); 0 = never",
	.def = 0,
	.max = 1000,
};

static const struct irqsim_knob knob_fail_update_devid = {
	.name = "fail_update_devid",
	.doc = "fault injection: the Nth irq_update_devid() of the 2019 series "
	       "(counted from 1 across the run) fails before touching "
	       "anything (-ENXIO, its not-found error, unless fail_errno says "
	       "otherwise; no WARN); 0 = never",
	.def = 0,
	.max = 1000,
};

int irq_alloc_desc(struct irq_world *iw, int irq, int chip, int domain,
		   int handle_irq_fn)
{
	struct irq_desc *desc;

	if (irq <= 0 || irq >= IRQSIM_MAX_IRQS)
		return -EINVAL;
	desc = &iw->desc[irq];
	if (desc->allocated)
		return -EBUSY;
	memset(desc, 0, sizeof(*desc));
	desc->allocated = 1;
	desc->chip = (uint8_t)chip;
	desc->domain = (uint8_t)domain;
	desc->handle_irq = (uint16_t)handle_irq_fn;
	desc->action_fn = -1;
	/* irq_domain_alloc_descs(): a new irq is disabled, masked, depth 1 */
	desc->depth = 1;
	desc->irqd = IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED;
	return 0;
}

void irq_free_desc(struct irq_world *iw, int irq)
{
	memset(&iw->desc[irq], 0, sizeof(iw->desc[irq]));
	iw->desc[irq].action_fn = -1;
}

/*
 * Fault injection: the @nth call of @fn fails when a knob says @fail_at
 * (0 = never), before touching anything, with fail_errno's error or
 * @def_err. Return: the error, or 0.
 */
static int irq_injected_failure(struct irqsim_ctx *ctx, const char *fn,
				int irq, int nth, int fail_at, int def_err)
{
	int err;

	if (!fail_at || nth != fail_at)
		return 0;
	err = apic_fault_errno(ctx, def_err);
	trace_irq_injected_failure(ctx, fn, irq, err);
	return err;
}

struct request_irq_frame {
	int irq;
	int handler;		/* function id */
	int dev_id;
	int data;
	int err;
};

/**
 * request_irq - request_threaded_irq() + __setup_irq() for a non-shared,
 * non-threaded action
 * @irq:     Linux irq
 * @handler: the action's handler (a modeled function's id)
 * @dev_id:  the action's cookie
 * @data:    handler data
 *
 * Order (kernel/irq/manage.c __setup_irq): request_mutex, desc->lock,
 * irq_activate() (vector assigned, slot = desc, MSI message written),
 * irq_startup() (unmask, check_irq_resend), then the action is published.
 *
 * Return: 0, -EBUSY (an action exists), -ENOMEM (fault injection) or the
 * activation error (-ENOSPC).
 */
static enum irqsim_step request_irq(struct irqsim_ctx *ctx,
				    struct irqsim_frame *f)
{
	struct request_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct request_irq_frame);
	struct irq_world *iw = irq_w(ctx);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);

	IRQSIM_BEGIN(f);
	v->err = irq_injected_failure(ctx, "request_irq", v->irq,
				      ++iw->stats.requests,
				      irqsim_knob(ctx, irq_knob_fail_request_irq),
				      -ENOMEM);
	if (v->err) {
		iw->stats.request_failed++;
		IRQSIM_RETURN_YIELD(ctx, v->err);
	}
	IRQSIM_LOCK(ctx, IRQ_LOCK_REQUEST(v->irq));	/* request_mutex */
	raw_spin_lock_irqsave(ctx, IRQ_LOCK_DESC(v->irq));
	if (desc->action_fn >= 0) {
		v->err = -EBUSY;
		goto out_unlock;
	}
	IRQSIM_CALL(call_irq_domain_activate_irq(ctx, v->irq));
	if (f->ret < 0) {
		v->err = f->ret;
		goto out_unlock;
	}
	desc->irqd &= ~IRQD_IRQ_INPROGRESS;
	IRQSIM_CALL(call_irq_startup(ctx, v->irq, true));
	desc->action_fn = (int16_t)v->handler;
	desc->action_dev_id = v->dev_id;
	desc->action_data = v->data;
	trace_request_irq_published(ctx, v->irq, v->dev_id);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, v->irq, 0),
		      IRQSIM_ACC_WRITE);
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, IRQ_LOCK_REQUEST(v->irq));
	IRQSIM_RETURN_YIELD(ctx, 0);

out_unlock:
	iw->stats.request_failed++;
	trace_request_irq_failed(ctx, v->irq, v->err);
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, IRQ_LOCK_REQUEST(v->irq));
	IRQSIM_RETURN_YIELD(ctx, v->err);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(request_irq);

enum irqsim_step call_request_irq(struct irqsim_ctx *ctx, int irq,
				  int handler, int dev_id, int data)
{
	return irqsim_call(ctx, fn_request_irq, irq, handler, dev_id, data);
}

struct free_irq_frame {
	int irq;
	int dev_id;
};

/**
 * free_irq - free_irq() -> __free_irq() for the action with @dev_id
 * @irq:    Linux irq
 * @dev_id: the cookie of the action to free
 *
 * The kernel's order (4001d8e8762f "genirq: Delay deactivation in
 * free_irq()"): unlink the action and irq_shutdown() (mask) under
 * desc->lock; __synchronize_irq() outside it, which waits for handlers
 * running on other CPUs but cannot see an interrupt latched in a remote
 * CPU's IRR (x86 MSI has no irq_get_irqchip_state); then, under desc->lock
 * again, irq_domain_deactivate_irq(): MSI message zeroed, vector_irq slot
 * = VECTOR_SHUTDOWN.
 *
 * Return: 0, or -EINVAL with the kernel's WARN "Trying to free
 * already-free IRQ" when no action has @dev_id.
 */
static enum irqsim_step free_irq(struct irqsim_ctx *ctx,
				 struct irqsim_frame *f)
{
	struct free_irq_frame *v = IRQSIM_FRAME_VARS(f, struct free_irq_frame);
	struct irq_world *iw = irq_w(ctx);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, IRQ_LOCK_REQUEST(v->irq));	/* request_mutex */
	raw_spin_lock_irqsave(ctx, IRQ_LOCK_DESC(v->irq));
	if (desc->action_fn < 0 || desc->action_dev_id != v->dev_id) {
		iw->stats.free_already_free++;
		iw->stats.free_already_free_irq = (int8_t)v->irq;
		trace_free_irq_not_found(ctx, v->irq);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, v->irq, 0),
			      IRQSIM_ACC_READ);
		IRQSIM_YIELD_POINT();
		raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
		irqsim_unlock(ctx, IRQ_LOCK_REQUEST(v->irq));
		IRQSIM_RETURN_YIELD(ctx, -EINVAL);
	}
	desc->action_fn = -1;
	trace_free_irq_unlinked(ctx, v->irq, v->dev_id);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, v->irq, 0),
		      IRQSIM_ACC_WRITE);
	IRQSIM_YIELD_POINT();
	/* last action: clear IRQ_DISABLE_UNLAZY, shutdown only */
	desc->settings &= ~IRQ_DISABLE_UNLAZY;
	IRQSIM_CALL(call_irq_shutdown(ctx, v->irq));
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	/* __synchronize_irq(): wait for running handlers only */
	IRQSIM_YIELD_WAIT_UNTIL(ctx, !(desc->irqd & IRQD_IRQ_INPROGRESS),
				IRQ_TOKEN_INPROGRESS(v->irq));
	trace_synchronize_irq_free(ctx, v->irq);
	IRQSIM_YIELD_POINT();
	raw_spin_lock_irqsave(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_CALL(call_irq_domain_deactivate_irq(ctx, v->irq));
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, IRQ_LOCK_REQUEST(v->irq));
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(free_irq);

enum irqsim_step call_free_irq(struct irqsim_ctx *ctx, int irq, int dev_id)
{
	return irqsim_call(ctx, fn_free_irq, irq, dev_id, 0, 0);
}

struct disable_irq_nosync_frame {
	int irq;
};

/**
 * disable_irq_nosync - __disable_irq() under desc->lock: only the first
 * of nested disables acts (depth 0 -> 1), through irq_disable(): lazy
 * (the irq is only marked disabled; the chip stays unmasked until an
 * interrupt arrives, see handle_fasteoi_irq) unless IRQ_DISABLE_UNLAZY.
 * Does not wait for a running handler.
 * @irq: Linux irq
 */
static enum irqsim_step disable_irq_nosync(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct disable_irq_nosync_frame *v =
		IRQSIM_FRAME_VARS(f, struct disable_irq_nosync_frame);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, IRQ_LOCK_DESC(v->irq));
	if (!desc->depth++) {
		irq_disable(ctx, v->irq);
	} else {
		IRQSIM_EVENT(ctx, false, "disable_irq_nosync",
			     "irq%d depth %d", v->irq, desc->depth);
		irq_trace_state(ctx, "disable_irq_nosync", v->irq,
				IRQSIM_ACC_RMW);
	}
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(disable_irq_nosync);

enum irqsim_step call_disable_irq_nosync(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_disable_irq_nosync, irq, 0, 0, 0);
}

struct enable_irq_frame {
	int irq;
};

/**
 * enable_irq - __enable_irq() under desc->lock: depth 0 is the kernel's
 * WARN "Unbalanced enable for IRQ %d"; depth 1 -> irq_startup(desc,
 * IRQ_RESEND, IRQ_START_FORCE), which for a started irq is irq_enable()
 * (clear DISABLED, unmask at the chip) then check_irq_resend() (nothing
 * for a level irq); deeper nesting only decrements.
 * @irq: Linux irq
 */
static enum irqsim_step enable_irq(struct irqsim_ctx *ctx,
				   struct irqsim_frame *f)
{
	struct enable_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct enable_irq_frame);
	struct irq_world *iw = irq_w(ctx);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, IRQ_LOCK_DESC(v->irq));
	if (desc->depth == 0) {
		iw->stats.unbalanced_enable++;
		iw->stats.unbalanced_irq = (int8_t)v->irq;
		IRQSIM_EVENT(ctx, true, "enable_irq",
			     "WARN: Unbalanced enable for IRQ %d", v->irq);
		irq_trace_state(ctx, "enable_irq", v->irq, IRQSIM_ACC_READ);
		IRQSIM_YIELD_POINT();
	} else if (desc->depth == 1) {
		IRQSIM_EVENT(ctx, true, "enable_irq",
			     "irq%d depth 1 -> 0: irq_startup()", v->irq);
		irq_trace_state(ctx, "enable_irq", v->irq, IRQSIM_ACC_READ);
		IRQSIM_CALL(call_irq_startup(ctx, v->irq, true));
	} else {
		desc->depth--;
		IRQSIM_EVENT(ctx, false, "enable_irq", "irq%d depth %d",
			     v->irq, desc->depth);
		irq_trace_state(ctx, "enable_irq", v->irq, IRQSIM_ACC_RMW);
		IRQSIM_YIELD_POINT();
	}
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(enable_irq);

enum irqsim_step call_enable_irq(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_enable_irq, irq, 0, 0, 0);
}

struct irq_update_devid_frame {
	int irq;
	int dev_id;
	int new_dev_id;
	int unused;
	int err;
};

/**
 * irq_update_devid - swap the dev_id of an action in place (the genirq
 * patch of the 2019 series, v4 = v6; never merged)
 * @irq:        Linux irq
 * @dev_id:     the cookie that finds the action
 * @new_dev_id: the cookie the handler gets from now on
 *
 * As the patch describes it (tglx asked for the synchronization in his v3
 * review, because the caller may free what the old dev_id points to):
 * disable_irq() first, which is __disable_irq_nosync() (depth 0 -> 1;
 * lazy: the chip stays unmasked) and synchronize_irq(): wait until no
 * CPU runs the handler with the old dev_id. Then, under desc->lock, find
 * the action by @dev_id and store @new_dev_id; unlock; enable_irq(). No
 * request_mutex, no chip_bus_lock (tglx: desc->lock protects the action).
 * Nothing is deactivated: the vector, vector_irq slot, MSI message and
 * IRTE stay as they are, so an interrupt latched in a remote IRR finds
 * the descriptor. One that arrives while the irq is disabled is marked
 * IRQS_PENDING and masked by handle_edge_irq(); enable_irq() ->
 * irq_startup() unmasks and check_irq_resend() replays it, to the new
 * dev_id.
 *
 * Not found: unlock, enable_irq(), then WARN "Trying to update
 * already-free IRQ" and -ENXIO. (The in_interrupt() WARN/-EPERM check is
 * not modeled: no modeled caller runs in interrupt context.)
 *
 * Return: 0, -EINVAL (no descriptor), -ENXIO (no action with @dev_id) or
 * an injected error.
 */
static enum irqsim_step irq_update_devid(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct irq_update_devid_frame *v =
		IRQSIM_FRAME_VARS(f, struct irq_update_devid_frame);
	struct irq_world *iw = irq_w(ctx);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	int err;

	IRQSIM_BEGIN(f);
	err = irq_injected_failure(ctx, "irq_update_devid", v->irq,
				   ++iw->stats.update_devid_calls,
				   irqsim_knob(ctx, irq_knob_fail_update_devid),
				   -ENXIO);
	if (err)
		IRQSIM_RETURN_YIELD(ctx, err);
	if (v->irq <= 0 || v->irq >= IRQSIM_MAX_IRQS || !desc->allocated)
		IRQSIM_RETURN(ctx, -EINVAL);
	/* disable_irq() = __disable_irq_nosync() + synchronize_irq() */
	IRQSIM_CALL(call_disable_irq_nosync(ctx, v->irq));
	IRQSIM_WAIT_UNTIL(ctx, !(desc->irqd & IRQD_IRQ_INPROGRESS),
			  IRQ_TOKEN_INPROGRESS(v->irq));
	trace_synchronize_irq_update(ctx, v->irq);
	IRQSIM_YIELD_POINT();
	raw_spin_lock_irqsave(ctx, IRQ_LOCK_DESC(v->irq));
	if (desc->action_fn < 0 || desc->action_dev_id != v->dev_id) {
		v->err = -ENXIO;
		IRQSIM_EVENT(ctx, false, "irq_update_devid",
			     "irq%d: no action with dev_id %d", v->irq,
			     v->dev_id);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, v->irq, 0),
			      IRQSIM_ACC_READ);
	} else {
		desc->action_dev_id = v->new_dev_id;
		v->err = 0;
		trace_irq_update_devid(ctx, v->irq, v->dev_id, v->new_dev_id);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, v->irq, 0),
			      IRQSIM_ACC_RMW);
	}
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_CALL(call_enable_irq(ctx, v->irq));
	if (v->err == -ENXIO) {
		iw->stats.update_already_free++;
		iw->stats.update_already_free_irq = (int8_t)v->irq;
		trace_irq_update_devid_not_found(ctx, v->irq, v->dev_id,
						 v->new_dev_id, -ENXIO);
		IRQSIM_RETURN_YIELD(ctx, -ENXIO);
	}
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(irq_update_devid);

enum irqsim_step call_irq_update_devid(struct irqsim_ctx *ctx, int irq,
				       int dev_id, int new_dev_id)
{
	return irqsim_call(ctx, fn_irq_update_devid, irq, dev_id, new_dev_id,
			   0);
}

void irq_register_manage_fns(void)
{
	irq_knob_fail_request_irq =
		irqsim_knob_register(&knob_fail_request_irq);
	irq_knob_fail_update_devid =
		irqsim_knob_register(&knob_fail_update_devid);
}

void irq_init(void)
{
	irq_register_manage_fns();
	apic_init(fn_generic_handle_irq_desc);
}
