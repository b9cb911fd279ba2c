// SPDX-License-Identifier: MIT
/*
 * Models apic_ack_edge() of arch/x86/kernel/apic/vector.c (Linux v6.18):
 * the ack of an edge interrupt whose parent is the x86 vector domain.
 * irq_complete_move() queues the old vector's cleanup after a move
 * (__vector_schedule_cleanup(), src/apic/move.c); irq_move_irq() applies
 * a deferred affinity change in genirq; then the local APIC's EOI.
 */
#include "x86/internal.h"

/*
 * irq_chip_ack_parent() -> apic_ack_edge() when it has nothing more to do
 * than the EOI: no move to complete here, no deferred move pending.
 */
void msi_ack_parent(struct irqsim_ctx *ctx, int irq)
{
	(void)irq;
	apic_eoi(ctx);
}

/* Does apic_ack_edge() have a move to complete or to apply? */
bool msi_ack_slow(struct irqsim_ctx *ctx, int irq)
{
	struct irq_world *iw = x86_w(ctx);

	return irq_complete_move_needed(&iw->apic, irq, apic_this_cpu(ctx)) ||
	       (iw->desc[irq].irqd & IRQD_SETAFFINITY_PENDING);
}

/*
 * irq_complete_move()'s test, then vector_lock if it acts. False while the
 * lock is contended: the caller waits for it and tests again once woken.
 */
static bool complete_move_trylock(struct irqsim_ctx *ctx, int irq,
				  bool *complete)
{
	*complete = irq_complete_move_needed(&x86_w(ctx)->apic, irq,
					     apic_this_cpu(ctx));
	return !*complete || irqsim_trylock(ctx, APIC_LOCK_VECTOR);
}

struct apic_ack_edge_frame {
	int irq;
};

/**
 * apic_ack_edge - irq_chip_ack_parent() -> apic_ack_edge() when a move is
 * involved: irq_complete_move() (the first interrupt on the new target
 * queues the old vector's cleanup, under vector_lock), then
 * apic_ack_irq(): irq_move_irq() (a deferred affinity change), apic_eoi()
 * @irq: Linux irq
 */
static enum irqsim_step apic_ack_edge(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct apic_ack_edge_frame *v =
		IRQSIM_FRAME_VARS(f, struct apic_ack_edge_frame);
	struct irq_world *iw = x86_w(ctx);
	bool complete = false;

	IRQSIM_BEGIN(f);
	/* irq_complete_move() */
	IRQSIM_WAIT_UNTIL(ctx, complete_move_trylock(ctx, v->irq, &complete),
			  APIC_LOCK_VECTOR);
	if (complete) {
		__vector_schedule_cleanup(ctx, v->irq);
		IRQSIM_YIELD_POINT();
		irqsim_unlock(ctx, APIC_LOCK_VECTOR);
	}
	if (iw->desc[v->irq].irqd & IRQD_SETAFFINITY_PENDING) {
		/* irq_move_irq() */
		IRQSIM_CALL(call_irq_move_irq(ctx, v->irq));
	}
	apic_eoi(ctx);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(apic_ack_edge);
