// SPDX-License-Identifier: MIT
/*
 * Models the move and cleanup protocol of arch/x86/kernel/apic/vector.c
 * (Linux v6.18): apic_set_affinity, __irq_complete_move,
 * __vector_schedule_cleanup, vector_cleanup_callback, __vector_cleanup,
 * free_moved_vector, apic_force_complete_move, lapic_offline,
 * lapic_online; the vector_irq walk of fixup_irqs() in
 * arch/x86/kernel/irq.c; and stop_machine() as CPU hotplug uses it.
 *
 * A move keeps the old vector until the device has provably switched:
 *
 *   CPU0 (old target)                CPU1 (new target)
 *   apic_set_affinity()
 *     vector_irq[1][34] = desc
 *     prev = (cpu0, 32): the slot
 *     vector_irq[0][32] keeps desc
 *   write the new MSI message
 *                                    first interrupt on 34:
 *                                    apic_ack_edge()
 *                                      irq_complete_move()
 *                                        queue on cpu0, arm timer
 *   vector_cleanup_callback()
 *     32 still in CPU0's IRR? keep it, re-arm
 *     else free_moved_vector(): vector_irq[0][32] = UNUSED
 */
#include "apic/internal.h"
#include "apic/trace.h"

#include <errno.h>

int apic_knob_vector_cleanup_irr;
int apic_knob_vector_move_prev;
int apic_knob_fixup_irqs_retrigger;

static const char *const off_on[] = { "off", "on", NULL };

static const struct irqsim_knob knob_vector_cleanup_irr = {
	.name = "vector_cleanup_irr",
	.doc = "arch/x86/kernel/apic/vector.c __vector_cleanup(): a moved "
	       "vector still pending in the old CPU's IRR is kept and the "
	       "cleanup timer re-armed (\"Moved interrupt pending in old "
	       "target APIC\"); off = free it regardless",
	.def = 1,
	.max = 1,
	.values = off_on,
};

static const struct irqsim_knob knob_vector_move_prev = {
	.name = "vector_move_prev",
	.doc = "arch/x86/kernel/apic/vector.c apic_update_vector(): keep the "
	       "old vector (prev_vector, its vector_irq slot still the "
	       "descriptor) until the first interrupt on the new target; off "
	       "= free it and reset its slot at once",
	.def = 1,
	.max = 1,
	.values = off_on,
};

static const struct irqsim_knob knob_fixup_irqs_retrigger = {
	.name = "fixup_irqs_retrigger",
	.doc = "arch/x86/kernel/irq.c fixup_irqs(): a vector pending in the "
	       "outgoing CPU's IRR is retriggered at the irq's new target "
	       "(chip irq_retrigger) and its slot marked VECTOR_RETRIGGERED; "
	       "off = the slot is only reset, the pending interrupt stays "
	       "in a dead APIC",
	.def = 1,
	.max = 1,
	.values = off_on,
};

static int highest_isr(const struct apic_world *aw, int cpu)
{
	const uint32_t *isr = aw->cpu[cpu].lapic.isr;

	for (int w = APIC_IRR_WORDS - 1; w >= 0; w--)
		if (isr[w])
			return w * 32 + 31 - __builtin_clz(isr[w]);
	return -1;
}

/*
 * __irq_complete_move(): acts only when a move is in progress and the
 * vector this CPU is servicing (the kernel reads it from orig_ax; here
 * the highest ISR bit, as apic_ack_edge() runs before the EOI) is the
 * irq's new vector on its new CPU.
 */
bool irq_complete_move_needed(const struct apic_world *aw, int irq, int cpu)
{
	const struct apic_chip_data *apicd = &aw->apicd[irq];

	return apicd->move_in_progress && apicd->cpu == cpu &&
	       highest_isr(aw, cpu) == apicd->vector;
}

void free_moved_vector(struct irqsim_ctx *ctx, int irq)
{
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[irq];
	int cpu = apicd->prev_cpu, vector = apicd->prev_vector;

	trace_vector_free_moved(ctx, irq, cpu, vector, apicd);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, vector),
		      IRQSIM_ACC_WRITE);
	irq_matrix_free(&aw->matrix, cpu, vector);
	aw->cpu[cpu].vector_irq[vector] = VECTOR_UNUSED;
	apicd->cleanup_queued = 0;
	apicd->prev_vector = 0;
	apicd->move_in_progress = 0;
}

void __vector_schedule_cleanup(struct irqsim_ctx *ctx, int irq)
{
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[irq];
	int cpu = apicd->prev_cpu;

	apicd->move_in_progress = 0;
	if (!aw->cpu[cpu].online) {
		IRQSIM_EVENT(ctx, true, "__vector_schedule_cleanup",
			     "IRQ %d schedule cleanup for offline CPU %d", irq,
			     cpu);
		free_moved_vector(ctx, irq);
		return;
	}
	apicd->cleanup_queued = 1;
	trace_vector_schedule_cleanup(ctx, irq, cpu, apicd, &aw->cpu[cpu]);
	/* add_timer_on() unless timer_pending() */
	aw->cpu[cpu].cleanup_timer = 1;
}

/*
 * __vector_cleanup(): caller holds vector_lock, on CPU @cpu. With
 * @check_irr a vector still pending in this CPU's IRR stays queued and
 * the timer is re-armed; lapic_offline() passes false (fixup_irqs() has
 * forwarded the pending ones already).
 */
static void __vector_cleanup(struct irqsim_ctx *ctx, int cpu, bool check_irr)
{
	struct apic_world *aw = apic_w(ctx);
	bool rearm = false;

	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++) {
		struct apic_chip_data *apicd = &aw->apicd[irq];

		if (!apicd->used || !apicd->cleanup_queued ||
		    apicd->prev_cpu != cpu)
			continue;
		if (check_irr &&
		    lapic_vector_set_in_irr(aw, cpu, apicd->prev_vector)) {
			aw->stats.moved_pending++;
			trace_vector_cleanup_pending(ctx, irq, cpu,
						     apicd->prev_vector);
			IRQSIM_ACCESS(ctx,
				      IRQSIM_OBJ(APIC_OBJ_IRR, cpu,
						 apicd->prev_vector),
				      IRQSIM_ACC_READ);
			rearm = true;
			continue;
		}
		free_moved_vector(ctx, irq);
	}
	if (rearm)
		aw->cpu[cpu].cleanup_timer = 1;
}

void apic_force_complete_move(struct irqsim_ctx *ctx, int irq, int cpu)
{
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[irq];

	if (!apicd->used || !apicd->prev_vector ||
	    (apicd->cpu != cpu && apicd->prev_cpu != cpu))
		return;
	if (apicd->move_in_progress) {
		aw->stats.force_moved++;
		IRQSIM_EVENT(ctx, true, "apic_force_complete_move",
			     "IRQ fixup: irq %d move in progress, old vector %d",
			     irq, apicd->prev_vector);
	}
	free_moved_vector(ctx, irq);
}

struct apic_set_affinity_frame {
	int irq;
	int mask;
	int unused2;
	int unused3;
	int ret;
};

/**
 * apic_set_affinity - irq_chip.irq_set_affinity of lapic_controller
 * @irq:  Linux irq
 * @mask: requested CPU mask
 *
 * The caller holds desc->lock with interrupts off; vector_lock is a plain
 * raw_spin_lock here. The activation test and vector_lock are one step:
 * a caller that blocked on vector_lock tests again when woken.
 *
 * Return: 0 (IRQ_SET_MASK_OK), -EBUSY while the previous move is not
 * cleaned up, -ENOSPC, or -EIO for an irq that is not activated.
 */
static enum irqsim_step apic_set_affinity(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct apic_set_affinity_frame *v =
		IRQSIM_FRAME_VARS(f, struct apic_set_affinity_frame);
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[v->irq];

	IRQSIM_BEGIN(f);
	/* WARN_ON_ONCE(!irqd_is_activated(irqd)) */
	if (!apicd->vector || apicd->vector == MANAGED_IRQ_SHUTDOWN_VECTOR)
		IRQSIM_RETURN(ctx, -EIO);
	IRQSIM_LOCK_RETRY(ctx, APIC_LOCK_VECTOR);
	v->ret = assign_vector_locked(ctx, v->irq,
				      (uint8_t)v->mask & apic_online_mask(aw),
				      "apic_set_affinity");
	if (v->ret == -EBUSY)
		trace_apic_set_affinity_busy(ctx, v->irq, v->mask, v->ret,
					     apicd);
	else if (v->ret == 0)
		trace_apic_set_affinity(ctx, v->irq, v->mask, v->ret, apicd);
	else	/* irq_matrix_alloc() logged why: the fields alone */
		IRQSIM_TRACE(ctx, "apic_set_affinity",
			     "irq=%d mask=%#x ret=%d vector=%d cpu=%d", v->irq,
			     v->mask, v->ret, apicd->vector, apicd->cpu);
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, APIC_LOCK_VECTOR);
	IRQSIM_RETURN(ctx, v->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(apic_set_affinity);

enum irqsim_step call_apic_set_affinity(struct irqsim_ctx *ctx, int irq,
					int mask)
{
	return irqsim_call(ctx, fn_apic_set_affinity, irq, mask, 0, 0);
}

struct vector_cleanup_callback_frame {
	int cpu;
};

/**
 * vector_cleanup_callback - the per-CPU cleanup timer, on the old CPU
 * @cpu: the CPU (the hard-irq actor of that CPU runs it)
 *
 * raw_spin_lock_irq(&vector_lock), __vector_cleanup(cl, true).
 */
static enum irqsim_step vector_cleanup_callback(struct irqsim_ctx *ctx,
						struct irqsim_frame *f)
{
	struct vector_cleanup_callback_frame *v =
		IRQSIM_FRAME_VARS(f, struct vector_cleanup_callback_frame);

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, APIC_LOCK_VECTOR);
	IRQSIM_EVENT(ctx, false, "vector_cleanup_callback", "cpu%d", v->cpu);
	__vector_cleanup(ctx, v->cpu,
			 irqsim_knob(ctx, apic_knob_vector_cleanup_irr));
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, APIC_LOCK_VECTOR);
	irqsim_wake(ctx->world, APIC_TOKEN_IRQ_EXIT);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vector_cleanup_callback);

struct lapic_offline_frame {
	int cpu;
};

/**
 * lapic_offline - on the outgoing CPU after fixup_irqs(): under
 * vector_lock, __vector_cleanup() without the IRR check,
 * irq_matrix_offline() (its available vectors leave the global count),
 * the timer deleted
 * @cpu: the CPU
 */
static enum irqsim_step lapic_offline(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct lapic_offline_frame *v =
		IRQSIM_FRAME_VARS(f, struct lapic_offline_frame);
	struct apic_world *aw = apic_w(ctx);

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, APIC_LOCK_VECTOR);
	trace_lapic_offline(ctx, v->cpu);
	__vector_cleanup(ctx, v->cpu, false);
	irq_matrix_offline(&aw->matrix, (unsigned int)v->cpu);
	/* timer_delete_sync_try() */
	aw->cpu[v->cpu].cleanup_timer = 0;
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, APIC_LOCK_VECTOR);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(lapic_offline);

enum irqsim_step call_lapic_offline(struct irqsim_ctx *ctx, int cpu)
{
	return irqsim_call(ctx, fn_lapic_offline, cpu, 0, 0, 0);
}

struct lapic_online_frame {
	int cpu;
};

/**
 * lapic_online - the incoming CPU, under vector_lock: set_cpu_online(),
 * irq_matrix_online() and every vector_irq slot reset (no legacy PIC
 * vectors in the model); its APIC starts with IRR and ISR empty
 * @cpu: the CPU
 *
 * The online test and vector_lock are one step: a caller that blocked on
 * vector_lock starts over from the test when woken. The caller holds
 * cpu_hotplug_lock (cpu_online(), as _cpu_up() does), so no cpu_offline()
 * runs meanwhile.
 *
 * Return: 0, or -EINVAL if the CPU is already online.
 */
static enum irqsim_step lapic_online(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	struct lapic_online_frame *v =
		IRQSIM_FRAME_VARS(f, struct lapic_online_frame);
	struct apic_world *aw = apic_w(ctx);
	struct apic_cpu *c = &aw->cpu[v->cpu];

	IRQSIM_BEGIN(f);
	if (c->online) {
		IRQSIM_EVENT(ctx, true, "cpu_online", "cpu%d is already online",
			     v->cpu);
		IRQSIM_RETURN_YIELD(ctx, -EINVAL);
	}
	IRQSIM_LOCK_RETRY(ctx, APIC_LOCK_VECTOR);
	/* start_secondary(): set_cpu_online(); lapic_online() */
	c->online = 1;
	irq_matrix_online(&aw->matrix, (unsigned int)v->cpu);
	c->apic_dead = 0;
	c->lapic = (struct lapic){ 0 };
	for (int vector = 0; vector < NR_VECTORS; vector++)
		c->vector_irq[vector] = VECTOR_UNUSED;
	trace_lapic_online(ctx, v->cpu);
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, APIC_LOCK_VECTOR);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(lapic_online);

enum irqsim_step call_lapic_online(struct irqsim_ctx *ctx, int cpu)
{
	return irqsim_call(ctx, fn_lapic_online, cpu, 0, 0, 0);
}

void apic_register_move_fns(void)
{
	apic_knob_vector_cleanup_irr =
		irqsim_knob_register(&knob_vector_cleanup_irr);
	apic_knob_vector_move_prev =
		irqsim_knob_register(&knob_vector_move_prev);
	apic_knob_fixup_irqs_retrigger =
		irqsim_knob_register(&knob_fixup_irqs_retrigger);
}
