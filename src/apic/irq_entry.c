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

int apic_knob_vector_reevaluate;
int apic_knob_repair_irq;
int fn_common_interrupt;
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

static const struct irqsim_knob knob_repair_irq = {
	.name = "repair_irq",
	.doc = "the rejected repair_irq() hack of seeds/000: "
	       "vfio_msi_set_vector_signal() rewrites vector_irq under "
	       "vector_lock after request_irq() (never merged)",
	.def = 0,
	.max = 1,
	.values = off_on,
};

enum {
	CI_READ,
	CI_LOCK,
	CI_REEVALUATE,
	CI_UNLOCK,
	CI_UNLOCKED_WRITE,
	CI_EOI,
	CI_HANDLED,
};

/* reevaluate_vector() and the pre-v6.17 body share this marker handling. */
static void marker_to_unused(struct irqsim_ctx *ctx, int vector,
			     const char *fn)
{
	struct apic_world *aw = apic_w(ctx);
	int cpu = apic_this_cpu(ctx);
	int16_t *slot = &aw->cpu[cpu].vector_irq[vector];
	char buf[16];

	if (*slot == VECTOR_UNUSED) {
		aw->stats.no_irq_handler++;
		aw->stats.last_discard_cpu = (uint8_t)cpu;
		aw->stats.last_discard_vector = (uint8_t)vector;
		IRQSIM_EVENT(ctx, true, fn, "%d.%d No irq handler for vector",
			     cpu, vector);
		IRQSIM_TRACE(ctx, fn, "cpu=%d vector=%d vector_irq=UNUSED",
			     cpu, vector);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, vector),
			      IRQSIM_ACC_READ);
		return;
	}
	aw->stats.spurious_shutdown++;
	IRQSIM_EVENT(ctx, true, fn, "vector_irq[cpu%d][%d] = UNUSED (was %s)",
		     cpu, vector, apic_slot_name(*slot, buf, sizeof(buf)));
	IRQSIM_TRACE(ctx, fn, "cpu=%d vector=%d vector_irq=UNUSED was=%s", cpu,
		     vector, apic_slot_name(*slot, buf, sizeof(buf)));
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, vector),
		      IRQSIM_ACC_RMW);
	*slot = VECTOR_UNUSED;
}

/**
 * common_interrupt - hard-irq entry for an external vector
 * @arg0: vector
 *
 * Runs on the CPU's hard-irq actor with interrupts disabled. With a
 * descriptor, the flow handler acknowledges the APIC; without one,
 * common_interrupt EOIs itself and the interrupt is gone.
 */
static enum irqsim_step common_interrupt(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct apic_world *aw = apic_w(ctx);
	int cpu = apic_this_cpu(ctx);
	int vector = f->arg[0];
	int16_t *slot = &aw->cpu[cpu].vector_irq[vector];
	char buf[16];

	switch (f->pc) {
	case CI_READ:
		/* call_irq_handler(): lockless __this_cpu_read() */
		f->local[0] = *slot;
		IRQSIM_EVENT(ctx, true, "common_interrupt",
			     "read vector_irq[cpu%d][%d] = %s", cpu, vector,
			     apic_slot_name(*slot, buf, sizeof(buf)));
		IRQSIM_TRACE(ctx, "common_interrupt", "cpu=%d vector=%d desc=%s",
			     cpu, vector, apic_slot_name(*slot, buf, sizeof(buf)));
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, vector),
			      IRQSIM_ACC_READ);
		if (*slot > 0) {
			f->pc = CI_HANDLED;
			irqsim_call(ctx, fn_irq_entry, *slot, vector, 0, 0);
			return IRQSIM_YIELD;
		}
		f->pc = irqsim_knob(ctx, apic_knob_vector_reevaluate) ?
				CI_LOCK :
				CI_UNLOCKED_WRITE;
		return IRQSIM_YIELD;
	case CI_LOCK:
		if (!irqsim_trylock(ctx, APIC_LOCK_VECTOR))
			return IRQSIM_BLOCKED;
		f->pc = CI_REEVALUATE;
		return IRQSIM_CONTINUE;
	case CI_REEVALUATE:
		/* reevaluate_vector() under vector_lock */
		f->local[0] = *slot;
		if (*slot > 0) {
			IRQSIM_EVENT(ctx, true, "reevaluate_vector",
				     "vector_irq[cpu%d][%d] = irq%d: handle it",
				     cpu, vector, *slot);
			IRQSIM_TRACE(ctx, "reevaluate_vector",
				     "cpu=%d vector=%d desc=irq%d", cpu, vector,
				     *slot);
			IRQSIM_ACCESS(ctx,
				      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, vector),
				      IRQSIM_ACC_READ);
		} else {
			f->local[1] = *slot;
			marker_to_unused(ctx, vector, "reevaluate_vector");
		}
		f->pc = CI_UNLOCK;
		return IRQSIM_YIELD;
	case CI_UNLOCK:
		irqsim_unlock(ctx, APIC_LOCK_VECTOR);
		if (f->local[0] > 0) {
			f->pc = CI_HANDLED;
			return irqsim_call(ctx, fn_irq_entry, f->local[0],
					   vector, 0, 0);
		}
		f->pc = CI_EOI;
		return IRQSIM_CONTINUE;
	case CI_UNLOCKED_WRITE:
		/* pre-v6.17 call_irq_handler(): no lock */
		f->local[1] = *slot;
		marker_to_unused(ctx, vector, "call_irq_handler");
		f->pc = CI_EOI;
		return IRQSIM_YIELD;
	case CI_EOI:
		apic_eoi(ctx);
		aw->stats.discards++;
		aw->stats.last_discard_step = aw->sched.step;
		aw->stats.last_discard_cpu = (uint8_t)cpu;
		aw->stats.last_discard_vector = (uint8_t)vector;
		aw->stats.last_discard_slot = (int16_t)f->local[1];
		IRQSIM_EVENT(ctx, true, "common_interrupt",
			     "apic_eoi(): vector %d discarded on cpu%d", vector,
			     cpu);
		IRQSIM_TRACE(ctx, "common_interrupt",
			     "cpu=%d vector=%d action=eoi_discard", cpu, vector);
		irqsim_wake(ctx->world, APIC_TOKEN_IRQ_EXIT);
		return irqsim_return_yield(ctx, 0);
	case CI_HANDLED:
	default:
		irqsim_wake(ctx->world, APIC_TOKEN_IRQ_EXIT);
		return irqsim_return(ctx, 1);
	}
}

void apic_register_entry_fns(int irq_entry_fn)
{
	fn_irq_entry = irq_entry_fn;
	fn_common_interrupt =
		irqsim_fn_register("common_interrupt", common_interrupt);
	apic_knob_vector_reevaluate =
		irqsim_knob_register(&knob_vector_reevaluate);
	apic_knob_repair_irq = irqsim_knob_register(&knob_repair_irq);
}

void apic_init(int irq_entry_fn)
{
	apic_register_entry_fns(irq_entry_fn);
	apic_register_vector_fns();
}
