// SPDX-License-Identifier: MIT
/*
 * Models arch/x86/kernel/irq.c (Linux v6.18): common_interrupt,
 * call_irq_handler and reevaluate_vector; with vector_reevaluate=off the
 * entry of kernels before v6.17 (before ce0b5eedcb75 "x86/irq: Plug vector
 * setup race").
 *
 * Race A of seeds/000, closed by ce0b5eedcb75 (CPU1 is the old target):
 *
 *   CPU0 (free_irq + request_irq)        CPU1 (interrupt latched in IRR)
 *   x86_vector_deactivate()
 *     vector_irq[1][33] = SHUTDOWN
 *                                        common_interrupt(33)
 *                                          reads SHUTDOWN (lockless)
 *   x86_vector_activate()
 *     vector_irq[1][33] = desc
 *                                          writes UNUSED   <- pre-v6.17
 *
 * From then on every interrupt on 33 is "No irq handler". With the fix,
 * CPU1 re-reads the slot under vector_lock and finds desc.
 */
#include "apic/internal.h"
#include "apic/trace.h"

int apic_knob_vector_reevaluate;
int apic_knob_repair_irq;
static int fn_irq_entry;

static const char *const off_on[] = { "off", "on", NULL };

static const struct irqsim_knob knob_vector_reevaluate = {
	.name = "vector_reevaluate",
	.doc = "arch/x86/kernel/irq.c call_irq_handler(): re-read a marker slot "
	       "under vector_lock (ce0b5eedcb75, v6.17); off = the unlocked "
	       "write of VECTOR_UNUSED before v6.17",
	.def = 1,
	.max = 1,
	.values = off_on,
};

/*
 * Read by vfio_msi_set_vector_signal(), which calls x86_vector_repair().
 * Registered here all the same: the order of registration is the knob's
 * id, which orders the set lines of saved runs and the config digest of
 * shard reports (docs/architecture.md, "The repair_irq knob stays
 * registered in apic").
 */
static const struct irqsim_knob knob_repair_irq = {
	.name = "repair_irq",
	.doc = "the rejected repair_irq() hack of seeds/000: "
	       "vfio_msi_set_vector_signal() rewrites vector_irq under "
	       "vector_lock after request_irq() (never merged)",
	.def = 0,
	.max = 1,
	.values = off_on,
};

/* reevaluate_vector() and the pre-v6.17 body share this marker handling. */
static void marker_to_unused(struct irqsim_ctx *ctx, int vector,
			     const char *fn)
{
	struct apic_world *aw = apic_w(ctx);
	int cpu = apic_this_cpu(ctx);
	int16_t *slot = &aw->cpu[cpu].vector_irq[vector];

	if (*slot == VECTOR_UNUSED) {
		aw->stats.no_irq_handler++;
		aw->stats.last_discard_cpu = (uint8_t)cpu;
		aw->stats.last_discard_vector = (uint8_t)vector;
		trace_no_irq_handler(ctx, fn, cpu, vector);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, vector),
			      IRQSIM_ACC_READ);
		return;
	}
	aw->stats.spurious_shutdown++;
	trace_marker_to_unused(ctx, fn, cpu, vector, *slot);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, vector),
		      IRQSIM_ACC_RMW);
	*slot = VECTOR_UNUSED;
}

/*
 * handle_irq(): the descriptor's flow handler, through the genirq layer's
 * entry, generic_handle_irq_desc(), whose id irq gives apic_init() (apic
 * sits below genirq and cannot name it).
 */
static enum irqsim_step call_handle_irq(struct irqsim_ctx *ctx, int irq,
					int vector)
{
	return irqsim_call(ctx, fn_irq_entry, irq, vector, 0, 0);
}

struct common_interrupt_frame {
	int vector;
	int unused1;
	int unused2;
	int unused3;
	int desc;	/* the slot as last read: an irq, or a marker */
	int marker;	/* the marker reset to VECTOR_UNUSED */
};

/**
 * common_interrupt - hard-irq entry for an external vector
 * @vector: the vector the CPU took
 *
 * Runs on the CPU's hard-irq actor with interrupts disabled. With a
 * descriptor, the flow handler acknowledges the APIC; without one,
 * common_interrupt EOIs itself and the interrupt is gone.
 */
static enum irqsim_step common_interrupt(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct common_interrupt_frame *v =
		IRQSIM_FRAME_VARS(f, struct common_interrupt_frame);
	struct apic_world *aw = apic_w(ctx);
	int cpu = apic_this_cpu(ctx);
	int16_t *slot = &aw->cpu[cpu].vector_irq[v->vector];
	bool lockless = false;	/* the lockless read found the descriptor */

	IRQSIM_BEGIN(f);
	/* call_irq_handler(): lockless __this_cpu_read() */
	v->desc = *slot;
	trace_common_interrupt(ctx, cpu, v->vector, *slot);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, v->vector),
		      IRQSIM_ACC_READ);
	if (v->desc > 0) {
		lockless = true;
		goto handle_irq;
	}
	if (!irqsim_knob(ctx, apic_knob_vector_reevaluate)) {
		IRQSIM_YIELD_POINT();
		/* pre-v6.17 call_irq_handler(): no lock */
		v->marker = *slot;
		marker_to_unused(ctx, v->vector, "call_irq_handler");
		IRQSIM_YIELD_POINT();
		goto eoi_discard;
	}
	/* reevaluate_vector() under vector_lock */
	IRQSIM_YIELD_LOCK(ctx, APIC_LOCK_VECTOR);
	v->desc = *slot;
	if (v->desc > 0) {
		trace_reevaluate_vector(ctx, cpu, v->vector, *slot);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, v->vector),
			      IRQSIM_ACC_READ);
	} else {
		v->marker = *slot;
		marker_to_unused(ctx, v->vector, "reevaluate_vector");
	}
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, APIC_LOCK_VECTOR);
	if (v->desc <= 0)
		goto eoi_discard;
	/*
	 * Both reads that find a descriptor hand it to one call: the
	 * handler running is one state, whichever read found it. The
	 * lockless read was its step's visible action, so after it the
	 * handler starts in the next step; after reevaluate_vector(), whose
	 * step ended before the unlock, it starts in this one.
	 */
handle_irq:
	IRQSIM_CALL_YIELD_IF(lockless,
			     call_handle_irq(ctx, v->desc, v->vector));
	irqsim_wake(ctx->world, APIC_TOKEN_IRQ_EXIT);
	IRQSIM_RETURN(ctx, 1);

eoi_discard:
	apic_eoi(ctx);
	aw->stats.discards++;
	aw->stats.last_discard_step = aw->sched.step;
	aw->stats.last_discard_cpu = (uint8_t)cpu;
	aw->stats.last_discard_vector = (uint8_t)v->vector;
	aw->stats.last_discard_slot = (int16_t)v->marker;
	trace_common_interrupt_discard(ctx, cpu, v->vector);
	irqsim_wake(ctx->world, APIC_TOKEN_IRQ_EXIT);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(common_interrupt);

void apic_register_entry_fns(int irq_entry_fn)
{
	fn_irq_entry = irq_entry_fn;
	apic_knob_vector_reevaluate =
		irqsim_knob_register(&knob_vector_reevaluate);
	apic_knob_repair_irq = irqsim_knob_register(&knob_repair_irq);
}

void apic_init(int irq_entry_fn)
{
	apic_register_entry_fns(irq_entry_fn);
	apic_register_vector_fns();
}
