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

#include <errno.h>
#include <string.h>

int fn_request_irq;
int fn_free_irq;
int fn_disable_irq_nosync;
int fn_enable_irq;
int irq_knob_fail_request_irq;
int fn_irq_update_devid;
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

enum {
	SETUP_MUTEX,
	SETUP_SAVE,
	SETUP_LOCK,
	SETUP_ACTIVATE,
	SETUP_STARTUP,
	SETUP_PUBLISH,
	SETUP_UNLOCK,
	SETUP_MUTEX_UNLOCK,
	SETUP_ERR_UNLOCK,
	SETUP_ERR_MUTEX_UNLOCK,
};

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
	IRQSIM_EVENT(ctx, true, fn, "irq%d: injected failure %s", irq,
		     apic_errno_name(err));
	IRQSIM_TRACE(ctx, fn, "irq=%d ret=%d injected=1", irq, err);
	return err;
}

/**
 * request_irq - request_threaded_irq() + __setup_irq() for a non-shared,
 * non-threaded action
 * @arg0: irq
 * @arg1: handler (function id)
 * @arg2: dev_id
 * @arg3: handler data
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
	struct irq_world *iw = irq_w(ctx);
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	int fail_at = irqsim_knob(ctx, irq_knob_fail_request_irq);

	switch (f->pc) {
	case SETUP_MUTEX:
		if (f->local[2] == 0) {
			/* count each call once, even if it blocks below */
			int err;

			f->local[2] = 1;
			err = irq_injected_failure(ctx, "request_irq", irq,
						   ++iw->stats.requests,
						   fail_at, -ENOMEM);
			if (err) {
				iw->stats.request_failed++;
				return irqsim_return_yield(ctx, err);
			}
		}
		if (!irqsim_trylock(ctx, IRQ_LOCK_REQUEST(irq)))
			return IRQSIM_BLOCKED;
		f->pc = SETUP_SAVE;
		/* fall through */
	case SETUP_SAVE:
		apic_local_irq_save(ctx);
		f->pc = SETUP_LOCK;
		/* fall through */
	case SETUP_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		f->pc = SETUP_ACTIVATE;
		/* fall through */
	case SETUP_ACTIVATE:
		if (desc->action_fn >= 0) {
			f->local[0] = -EBUSY;
			f->pc = SETUP_ERR_UNLOCK;
			return IRQSIM_CONTINUE;
		}
		f->pc = SETUP_STARTUP;
		return irqsim_call(ctx, fn_irq_domain_activate_irq, irq, 0, 0,
				   0);
	case SETUP_STARTUP:
		if (f->ret < 0) {
			f->local[0] = f->ret;
			f->pc = SETUP_ERR_UNLOCK;
			return IRQSIM_CONTINUE;
		}
		desc->irqd &= ~IRQD_IRQ_INPROGRESS;
		f->pc = SETUP_PUBLISH;
		return irqsim_call(ctx, fn_irq_startup, irq, 1, 0, 0);
	case SETUP_PUBLISH:
		desc->action_fn = (int16_t)f->arg[1];
		desc->action_dev_id = f->arg[2];
		desc->action_data = f->arg[3];
		IRQSIM_EVENT(ctx, true, "request_irq",
			     "irq%d action published (dev_id %d)", irq,
			     f->arg[2]);
		IRQSIM_TRACE(ctx, "request_irq", "irq=%d dev_id=%d ret=0", irq,
			     f->arg[2]);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, irq, 0),
			      IRQSIM_ACC_WRITE);
		f->pc = SETUP_UNLOCK;
		return IRQSIM_YIELD;
	case SETUP_UNLOCK:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		f->pc = SETUP_MUTEX_UNLOCK;
		return IRQSIM_YIELD;
	case SETUP_MUTEX_UNLOCK:
		irqsim_unlock(ctx, IRQ_LOCK_REQUEST(irq));
		return irqsim_return_yield(ctx, 0);
	case SETUP_ERR_UNLOCK:
		iw->stats.request_failed++;
		IRQSIM_EVENT(ctx, true, "request_irq", "irq%d fails: %d", irq,
			     f->local[0]);
		IRQSIM_TRACE(ctx, "request_irq", "irq=%d ret=%d", irq,
			     f->local[0]);
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		f->pc = SETUP_ERR_MUTEX_UNLOCK;
		return IRQSIM_YIELD;
	case SETUP_ERR_MUTEX_UNLOCK:
	default:
		irqsim_unlock(ctx, IRQ_LOCK_REQUEST(irq));
		return irqsim_return_yield(ctx, f->local[0]);
	}
}

enum {
	FREE_MUTEX,
	FREE_SAVE,
	FREE_LOCK,
	FREE_UNLINK,
	FREE_SHUTDOWN,
	FREE_UNLOCK,
	FREE_SYNC,
	FREE_SAVE2,
	FREE_LOCK2,
	FREE_DEACTIVATE,
	FREE_UNLOCK2,
	FREE_MUTEX_UNLOCK,
	FREE_NOT_FOUND,
};

/**
 * free_irq - free_irq() -> __free_irq() for the action with @dev_id
 * @arg0: irq
 * @arg1: dev_id
 *
 * The kernel's order (4001d8e8762f "genirq: Delay deactivation in
 * free_irq()"): unlink the action and irq_shutdown() (mask) under
 * desc->lock; __synchronize_irq() outside it, which waits for handlers
 * running on other CPUs but cannot see an interrupt latched in a remote
 * CPU's IRR (x86 MSI has no irq_get_irqchip_state); then, under desc->lock
 * again, irq_domain_deactivate_irq(): MSI message zeroed, vector_irq slot
 * = VECTOR_SHUTDOWN.
 */
static enum irqsim_step free_irq(struct irqsim_ctx *ctx,
				 struct irqsim_frame *f)
{
	struct irq_world *iw = irq_w(ctx);
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	switch (f->pc) {
	case FREE_MUTEX:
		if (!irqsim_trylock(ctx, IRQ_LOCK_REQUEST(irq)))
			return IRQSIM_BLOCKED;
		f->pc = FREE_SAVE;
		/* fall through */
	case FREE_SAVE:
		apic_local_irq_save(ctx);
		f->pc = FREE_LOCK;
		/* fall through */
	case FREE_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		f->pc = FREE_UNLINK;
		/* fall through */
	case FREE_UNLINK:
		if (desc->action_fn < 0 || desc->action_dev_id != f->arg[1]) {
			iw->stats.free_already_free++;
			IRQSIM_EVENT(ctx, true, "__free_irq",
				     "Trying to free already-free IRQ %d", irq);
			IRQSIM_TRACE(ctx, "__free_irq", "irq=%d found=0", irq);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, irq, 0),
				      IRQSIM_ACC_READ);
			f->pc = FREE_NOT_FOUND;
			return IRQSIM_YIELD;
		}
		desc->action_fn = -1;
		IRQSIM_EVENT(ctx, true, "__free_irq", "irq%d action unlinked",
			     irq);
		IRQSIM_TRACE(ctx, "__free_irq", "irq=%d dev_id=%d found=1", irq,
			     f->arg[1]);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, irq, 0),
			      IRQSIM_ACC_WRITE);
		f->pc = FREE_SHUTDOWN;
		return IRQSIM_YIELD;
	case FREE_SHUTDOWN:
		/* last action: clear IRQ_DISABLE_UNLAZY, shutdown only */
		desc->settings &= ~IRQ_DISABLE_UNLAZY;
		f->pc = FREE_UNLOCK;
		return irqsim_call(ctx, fn_irq_shutdown, irq, 0, 0, 0);
	case FREE_UNLOCK:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		f->pc = FREE_SYNC;
		return IRQSIM_YIELD;
	case FREE_SYNC:
		/* __synchronize_irq(): wait for running handlers only */
		if (desc->irqd & IRQD_IRQ_INPROGRESS)
			return irqsim_wait(ctx, IRQ_TOKEN_INPROGRESS(irq));
		IRQSIM_EVENT(ctx, true, "__synchronize_irq",
			     "irq%d: no handler running (a remote IRR is invisible)",
			     irq);
		IRQSIM_TRACE(ctx, "__synchronize_irq", "irq=%d inprogress=0",
			     irq);
		f->pc = FREE_SAVE2;
		return IRQSIM_YIELD;
	case FREE_SAVE2:
		apic_local_irq_save(ctx);
		f->pc = FREE_LOCK2;
		/* fall through */
	case FREE_LOCK2:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		f->pc = FREE_DEACTIVATE;
		/* fall through */
	case FREE_DEACTIVATE:
		f->pc = FREE_UNLOCK2;
		return irqsim_call(ctx, fn_irq_domain_deactivate_irq, irq, 0, 0,
				   0);
	case FREE_UNLOCK2:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		f->pc = FREE_MUTEX_UNLOCK;
		return IRQSIM_YIELD;
	case FREE_MUTEX_UNLOCK:
		irqsim_unlock(ctx, IRQ_LOCK_REQUEST(irq));
		return irqsim_return_yield(ctx, 0);
	case FREE_NOT_FOUND:
	default:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		irqsim_unlock(ctx, IRQ_LOCK_REQUEST(irq));
		return irqsim_return_yield(ctx, -EINVAL);
	}
}

/**
 * disable_irq_nosync - __disable_irq() under desc->lock: only the first
 * of nested disables acts (depth 0 -> 1), through irq_disable(): lazy
 * (the irq is only marked disabled; the chip stays unmasked until an
 * interrupt arrives, see handle_fasteoi_irq) unless IRQ_DISABLE_UNLAZY.
 * Does not wait for a running handler.
 * @arg0: irq
 */
static enum irqsim_step disable_irq_nosync(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	switch (f->pc) {
	case 0:
		apic_local_irq_save(ctx);
		f->pc = 1;
		/* fall through */
	case 1:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		f->pc = 2;
		if (!desc->depth++) {
			irq_disable(ctx, irq);
		} else {
			IRQSIM_EVENT(ctx, false, "disable_irq_nosync",
				     "irq%d depth %d", irq, desc->depth);
			irq_trace_state(ctx, "disable_irq_nosync", irq,
					IRQSIM_ACC_RMW);
		}
		return IRQSIM_YIELD;
	default:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		return irqsim_return(ctx, 0);
	}
}

/**
 * enable_irq - __enable_irq() under desc->lock: depth 0 is the kernel's
 * WARN "Unbalanced enable for IRQ %d"; depth 1 -> irq_startup(desc,
 * IRQ_RESEND, IRQ_START_FORCE), which for a started irq is irq_enable()
 * (clear DISABLED, unmask at the chip) then check_irq_resend() (nothing
 * for a level irq); deeper nesting only decrements.
 * @arg0: irq
 */
static enum irqsim_step enable_irq(struct irqsim_ctx *ctx,
				   struct irqsim_frame *f)
{
	struct irq_world *iw = irq_w(ctx);
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);

	switch (f->pc) {
	case 0:
		apic_local_irq_save(ctx);
		f->pc = 1;
		/* fall through */
	case 1:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		f->pc = 2;
		switch (desc->depth) {
		case 0:
			iw->stats.unbalanced_enable++;
			iw->stats.unbalanced_irq = (int8_t)irq;
			IRQSIM_EVENT(ctx, true, "enable_irq",
				     "WARN: Unbalanced enable for IRQ %d", irq);
			irq_trace_state(ctx, "enable_irq", irq,
					IRQSIM_ACC_READ);
			return IRQSIM_YIELD;
		case 1:
			IRQSIM_EVENT(ctx, true, "enable_irq",
				     "irq%d depth 1 -> 0: irq_startup()", irq);
			irq_trace_state(ctx, "enable_irq", irq,
					IRQSIM_ACC_READ);
			return irqsim_call(ctx, fn_irq_startup, irq, 1, 0, 0);
		default:
			desc->depth--;
			IRQSIM_EVENT(ctx, false, "enable_irq", "irq%d depth %d",
				     irq, desc->depth);
			irq_trace_state(ctx, "enable_irq", irq,
					IRQSIM_ACC_RMW);
			return IRQSIM_YIELD;
		}
	default:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		return irqsim_return_yield(ctx, 0);
	}
}

enum {
	UPD_START,
	UPD_SYNC,
	UPD_SAVE,
	UPD_LOCK,
	UPD_SWAP,
	UPD_ENABLE,
	UPD_DONE,
};

/**
 * irq_update_devid - swap the dev_id of an action in place (the genirq
 * patch of the 2019 series, v4 = v6; never merged)
 * @arg0: irq
 * @arg1: dev_id, the cookie that finds the action
 * @arg2: new_dev_id, the cookie the handler gets from now on
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
 */
static enum irqsim_step irq_update_devid(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct irq_world *iw = irq_w(ctx);
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	int fail_at = irqsim_knob(ctx, irq_knob_fail_update_devid);
	int err;

	switch (f->pc) {
	case UPD_START:
		err = irq_injected_failure(ctx, "irq_update_devid", irq,
					   ++iw->stats.update_devid_calls,
					   fail_at, -ENXIO);
		if (err)
			return irqsim_return_yield(ctx, err);
		if (irq <= 0 || irq >= IRQSIM_MAX_IRQS || !desc->allocated)
			return irqsim_return(ctx, -EINVAL);
		/* disable_irq() = __disable_irq_nosync() + synchronize_irq() */
		f->pc = UPD_SYNC;
		return irqsim_call(ctx, fn_disable_irq_nosync, irq, 0, 0, 0);
	case UPD_SYNC:
		if (desc->irqd & IRQD_IRQ_INPROGRESS)
			return irqsim_wait(ctx, IRQ_TOKEN_INPROGRESS(irq));
		IRQSIM_EVENT(ctx, true, "synchronize_irq",
			     "irq%d: no handler running with the old dev_id",
			     irq);
		IRQSIM_TRACE(ctx, "synchronize_irq", "irq=%d inprogress=0",
			     irq);
		f->pc = UPD_SAVE;
		return IRQSIM_YIELD;
	case UPD_SAVE:
		apic_local_irq_save(ctx);
		f->pc = UPD_LOCK;
		/* fall through */
	case UPD_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		f->pc = UPD_SWAP;
		/* fall through */
	case UPD_SWAP:
		if (desc->action_fn < 0 || desc->action_dev_id != f->arg[1]) {
			f->local[0] = -ENXIO;
			IRQSIM_EVENT(ctx, false, "irq_update_devid",
				     "irq%d: no action with dev_id %d", irq,
				     f->arg[1]);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, irq, 0),
				      IRQSIM_ACC_READ);
		} else {
			desc->action_dev_id = f->arg[2];
			f->local[0] = 0;
			IRQSIM_EVENT(ctx, true, "irq_update_devid",
				     "irq%d action dev_id %d -> %d", irq,
				     f->arg[1], f->arg[2]);
			IRQSIM_TRACE(ctx, "irq_update_devid",
				     "irq=%d dev_id=%d new_dev_id=%d", irq,
				     f->arg[1], f->arg[2]);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(IRQ_OBJ_ACTION, irq, 0),
				      IRQSIM_ACC_RMW);
		}
		f->pc = UPD_ENABLE;
		return IRQSIM_YIELD;
	case UPD_ENABLE:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		f->pc = UPD_DONE;
		return irqsim_call(ctx, fn_enable_irq, irq, 0, 0, 0);
	case UPD_DONE:
	default:
		if (f->local[0] == -ENXIO) {
			iw->stats.update_already_free++;
			IRQSIM_EVENT(ctx, true, "irq_update_devid",
				     "WARN: Trying to update already-free IRQ %d (dev_id %d to %d)",
				     irq, f->arg[1], f->arg[2]);
			IRQSIM_TRACE(ctx, "irq_update_devid",
				     "irq=%d dev_id=%d ret=%d", irq, f->arg[1],
				     -ENXIO);
			return irqsim_return_yield(ctx, -ENXIO);
		}
		return irqsim_return(ctx, 0);
	}
}

void irq_register_manage_fns(void)
{
	fn_request_irq = irqsim_fn_register("request_irq", request_irq);
	fn_free_irq = irqsim_fn_register("free_irq", free_irq);
	fn_disable_irq_nosync =
		irqsim_fn_register("disable_irq_nosync", disable_irq_nosync);
	fn_enable_irq = irqsim_fn_register("enable_irq", enable_irq);
	irq_knob_fail_request_irq =
		irqsim_knob_register(&knob_fail_request_irq);
	fn_irq_update_devid =
		irqsim_fn_register("irq_update_devid", irq_update_devid);
	irq_knob_fail_update_devid =
		irqsim_knob_register(&knob_fail_update_devid);
}

void irq_init(void)
{
	irq_register_chip_fns();
	irq_register_manage_fns();
	irq_register_affinity_fns();
	apic_init(fn_generic_handle_irq_desc);
}
