// SPDX-License-Identifier: MIT
/*
 * Models affinity changes and CPU unplug of Linux v6.18:
 * kernel/irq/manage.c (irq_set_affinity -> irq_set_affinity_locked,
 * irq_do_set_affinity), kernel/irq/migration.c (irq_move_irq ->
 * __irq_move_irq -> irq_move_masked_irq, irq_fixup_move_pending),
 * kernel/irq/cpuhotplug.c (irq_migrate_all_off_this_cpu ->
 * migrate_one_irq), arch/x86/kernel/irq.c (fixup_irqs), and the x86
 * take_cpu_down() path (stop_machine, cpu_disable_common:
 * remove_cpu_from_maps under vector_lock, fixup_irqs, lapic_offline).
 *
 * x86 MSI chips without interrupt remapping set IRQCHIP_MOVE_DEFERRED:
 * irq_set_affinity() from process context only records the mask
 * (IRQD_SETAFFINITY_PENDING); the move happens in the next interrupt's
 * apic_ack_edge() -> irq_move_irq(), on the old target CPU with
 * interrupts off, where msi_set_affinity() can check the local IRR.
 */
#include "irq/internal.h"
#include "irq/trace.h"

#include <errno.h>

struct irq_set_affinity_frame {
	int irq;
	int mask;	/* CPU mask */
	int unused[2];
	int ret;
};

/**
 * irq_set_affinity - irq_set_affinity() -> __irq_set_affinity() under
 * desc->lock (irqsave)
 * @irq:  Linux irq
 * @mask: CPU mask
 *
 * A chip with IRQCHIP_MOVE_DEFERRED (or a move already pending) gets the
 * mask recorded for the next interrupt; an irq that is not activated only
 * has its affinity stored (irq_set_affinity_deactivated).
 * Return: 0, -EINVAL (no chip setter, no online CPU in the mask).
 */
static enum irqsim_step irq_set_affinity(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct irq_set_affinity_frame *v =
		IRQSIM_FRAME_VARS(f, struct irq_set_affinity_frame);
	struct irq_world *iw = irq_w(ctx);
	uint8_t mask = (uint8_t)v->mask;
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	const struct irq_chip *chip;
	struct apic_chip_data *apicd = &iw->apic.apicd[v->irq];

	IRQSIM_BEGIN(f);
	if (v->irq <= 0 || v->irq >= IRQSIM_MAX_IRQS || !desc->allocated) {
		IRQSIM_EVENT(ctx, true, "irq_set_affinity",
			     "irq%d: no such irq", v->irq);
		IRQSIM_RETURN_YIELD(ctx, -EINVAL);
	}
	raw_spin_lock_irqsave(ctx, IRQ_LOCK_DESC(v->irq));
	chip = irq_desc_chip(desc);
	if (!chip->irq_set_affinity_fn ||
	    !(mask & apic_online_mask(&iw->apic))) {
		v->ret = -EINVAL;
		IRQSIM_EVENT(ctx, true, "irq_set_affinity",
			     "irq%d mask %#x: -EINVAL", v->irq, mask);
	} else if (!(desc->irqd & IRQD_ACTIVATED)) {
		/* irq_set_affinity_deactivated() */
		v->ret = 0;
		apicd->affinity = mask;
		IRQSIM_EVENT(ctx, true, "irq_set_affinity",
			     "irq%d not activated: affinity %#x stored",
			     v->irq, mask);
	} else if (chip->move_deferred ||
		   (desc->irqd & IRQD_SETAFFINITY_PENDING)) {
		v->ret = 0;
		desc->irqd |= IRQD_SETAFFINITY_PENDING;
		desc->pending_mask = mask;
		trace_irq_set_affinity_deferred(ctx, v->irq, mask);
	} else {
		/* no modeled chip moves in process context */
		v->ret = -EINVAL;
	}
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, IRQ_LOCK_DESC(v->irq));
	IRQSIM_RETURN(ctx, v->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(irq_set_affinity);

enum irqsim_step call_irq_set_affinity(struct irqsim_ctx *ctx, int irq,
				       int mask)
{
	return irqsim_call(ctx, fn_irq_set_affinity, irq, mask, 0, 0);
}

struct irq_move_irq_frame {
	int irq;
	int unused[3];
	int unmasked;	/* !masked: __irq_move_irq() masks, then unmasks */
};

/**
 * irq_move_irq - __irq_move_irq() -> irq_move_masked_irq(), from the ack
 * of an interrupt on the old CPU, desc->lock held, interrupts off
 * @irq: Linux irq
 *
 * Mask (unless masked), irq_do_set_affinity(pending mask) through the
 * chip, unmask. -EBUSY from the vector domain (the previous move is not
 * cleaned up yet) keeps the move pending for the next interrupt.
 */
static enum irqsim_step irq_move_irq(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	struct irq_move_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct irq_move_irq_frame);
	struct irq_world *iw = irq_w(ctx);
	struct irq_desc *desc = irq_to_desc(ctx, v->irq);
	const struct irq_chip *chip = irq_desc_chip(desc);

	IRQSIM_BEGIN(f);
	if (!(desc->irqd & IRQD_SETAFFINITY_PENDING) ||
	    (desc->irqd & IRQD_IRQ_DISABLED))
		IRQSIM_RETURN(ctx, 0);
	v->unmasked = !(desc->irqd & IRQD_IRQ_MASKED);
	if (v->unmasked && mask_irq(ctx, v->irq))
		IRQSIM_YIELD_POINT();
	/* irq_move_masked_irq() */
	desc->irqd &= ~IRQD_SETAFFINITY_PENDING;
	if (!(desc->pending_mask & apic_online_mask(&iw->apic)) ||
	    !chip->irq_set_affinity_fn) {
		desc->pending_mask = 0;
	} else {
		IRQSIM_EVENT(ctx, false, "irq_move_masked_irq",
			     "irq%d: irq_do_set_affinity(%#x)", v->irq,
			     desc->pending_mask);
		IRQSIM_CALL(irqsim_call(ctx, *chip->irq_set_affinity_fn, v->irq,
					desc->pending_mask, 0, 0));
		if (f->ret == -EBUSY) {
			desc->irqd |= IRQD_SETAFFINITY_PENDING;
			IRQSIM_EVENT(ctx, true, "irq_move_masked_irq",
				     "irq%d: -EBUSY, the move stays pending",
				     v->irq);
		} else {
			if (f->ret >= 0)
				iw->apic.apicd[v->irq].affinity =
					desc->pending_mask;
			desc->pending_mask = 0;
		}
	}
	if (v->unmasked && unmask_irq(ctx, v->irq))
		IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(irq_move_irq);

enum irqsim_step call_irq_move_irq(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_irq_move_irq, irq, 0, 0, 0);
}

/*
 * stop_machine(): the outgoing CPU's take_cpu_down() runs while every
 * online CPU spins in multi_cpu_stop() with interrupts off. A CPU in
 * hard-irq context, or a task on it with interrupts off, gets there only
 * when it is done. Return: the CPUs now held, 0 if it must wait.
 */
static int stop_machine_enter(struct irqsim_ctx *ctx)
{
	struct apic_world *aw = &irq_w(ctx)->apic;
	int held = 0;

	for (int c = 0; c < aw->nr_cpus; c++) {
		const struct apic_cpu *cpu = &aw->cpu[c];

		if (!cpu->online)
			continue;
		if ((cpu->irq_actor >= 0 && cpu->irq_actor != ctx->actor &&
		     aw->sched.actor[cpu->irq_actor].busy) ||
		    (cpu->atomic_owner >= 0 && cpu->atomic_owner != ctx->actor))
			return 0;
	}
	for (int c = 0; c < aw->nr_cpus; c++) {
		struct apic_cpu *cpu = &aw->cpu[c];

		if (!cpu->online)
			continue;
		if (cpu->irqs_off++ == 0)
			cpu->atomic_owner = (int8_t)ctx->actor;
		held |= 1 << c;
	}
	return held;
}

static void stop_machine_exit(struct irqsim_ctx *ctx, int held)
{
	struct apic_world *aw = &irq_w(ctx)->apic;

	for (int c = 0; c < aw->nr_cpus; c++) {
		struct apic_cpu *cpu = &aw->cpu[c];

		if (!(held & (1 << c)) || IRQSIM_WARN_ON_ONCE(ctx, !cpu->irqs_off))
			continue;
		if (--cpu->irqs_off == 0)
			cpu->atomic_owner = -1;
	}
	irqsim_wake(ctx->world, APIC_TOKEN_IRQ_EXIT);
}

/* The next irq from @irq on that has a vector domain chip, or 0. */
static int next_vector_irq(struct irq_world *iw, int irq)
{
	for (; irq < IRQSIM_MAX_IRQS; irq++)
		if (iw->desc[irq].allocated && iw->apic.apicd[irq].used &&
		    irq_desc_chip(&iw->desc[irq])->irq_set_affinity_fn)
			return irq;
	return 0;
}

/*
 * apic_force_complete_move() has work: a move of the irq is not cleaned
 * up and this CPU is its old or new target.
 */
static bool move_off_this_cpu(const struct apic_chip_data *apicd, int cpu)
{
	return apicd->prev_vector &&
	       (apicd->cpu == cpu || apicd->prev_cpu == cpu);
}

struct cpu_offline_frame {
	int cpu;
	int unused[3];
	int held;		/* the CPUs stop_machine holds */
	union {
		int irq;	/* irq_migrate_all_off_this_cpu()'s irq */
		int vector;	/* then fixup_irqs()'s vector */
	};
	union {
		int mask;	/* migrate_one_irq()'s mask; 0x100: masked here */
		int retrigger_irq;	/* then the irq fixup_irqs() retriggers */
	};
};

/**
 * cpu_offline - take_cpu_down() on the outgoing CPU (the actor must run
 * on it): stop_machine, remove_cpu_from_maps() under vector_lock,
 * fixup_irqs() (irq_migrate_all_off_this_cpu(), then the vector_irq walk
 * that retriggers what is pending in this CPU's IRR), lapic_offline()
 * @cpu: the CPU
 */
static enum irqsim_step cpu_offline(struct irqsim_ctx *ctx,
				    struct irqsim_frame *f)
{
	struct cpu_offline_frame *v =
		IRQSIM_FRAME_VARS(f, struct cpu_offline_frame);
	struct irq_world *iw = irq_w(ctx);
	struct apic_world *aw = &iw->apic;
	/* the irq of the migration; once the slot holds a vector, none */
	int irq = v->irq < IRQSIM_MAX_IRQS ? v->irq : 0;
	struct irq_desc *desc = &iw->desc[irq];
	struct apic_chip_data *apicd = &aw->apicd[irq];
	uint8_t online;
	int16_t *slot;
	int vector;

	IRQSIM_BEGIN(f);
	/*
	 * _cpu_down(): cpus_write_lock() (kernel/cpu.c), held to the end:
	 * no cpu_online() runs meanwhile, so nobody holds vector_lock
	 * without having interrupts off (lapic_online() runs on the
	 * incoming CPU with interrupts off), and stop_machine() below has
	 * waited for every holder.
	 */
	IRQSIM_LOCK_RETRY(ctx, IRQ_LOCK_CPU_HOTPLUG);
	/*
	 * stop_machine(): wait until every online CPU spins with interrupts
	 * off; the CPU is looked at again after each wait.
	 */
	IRQSIM_WAIT_UNTIL(ctx, !aw->cpu[v->cpu].online ||
				       (v->held = stop_machine_enter(ctx)) != 0,
			  APIC_TOKEN_IRQ_EXIT);
	if (!aw->cpu[v->cpu].online) {
		IRQSIM_EVENT(ctx, true, "cpu_offline",
			     "cpu%d is already offline", v->cpu);
		irqsim_unlock(ctx, IRQ_LOCK_CPU_HOTPLUG);
		IRQSIM_RETURN_YIELD(ctx, -EINVAL);
	}
	trace_cpuhp_enter_offline(ctx, v->cpu);
	IRQSIM_YIELD_LOCK(ctx, APIC_LOCK_VECTOR);
	/* cpu_disable_common(): remove_cpu_from_maps() */
	aw->cpu[v->cpu].online = 0;
	IRQSIM_EVENT(ctx, true, "cpu_disable_common",
		     "set_cpu_online(cpu%d, false)", v->cpu);
	IRQSIM_YIELD_POINT();
	irqsim_unlock(ctx, APIC_LOCK_VECTOR);

	/* irq_migrate_all_off_this_cpu() */
	for (v->irq = next_vector_irq(iw, 1); v->irq;
	     v->irq = next_vector_irq(iw, v->irq + 1)) {
		IRQSIM_LOCK(ctx, IRQ_LOCK_DESC(v->irq));
		desc = &iw->desc[v->irq];
		apicd = &aw->apicd[v->irq];
		/*
		 * irq_force_complete_move() -> apic_force_complete_move():
		 * guard(raw_spinlock)(&vector_lock) first, then the test
		 * under it (arch/x86/kernel/apic/vector.c, v6.18). Never
		 * contended here (see the hotplug lock above).
		 */
		IRQSIM_LOCK(ctx, APIC_LOCK_VECTOR);
		if (move_off_this_cpu(apicd, v->cpu)) {
			apic_force_complete_move(ctx, v->irq, v->cpu);
			irqsim_unlock(ctx, APIC_LOCK_VECTOR);
			IRQSIM_YIELD_POINT();
		} else {
			irqsim_unlock(ctx, APIC_LOCK_VECTOR);
		}
		online = apic_online_mask(aw);
		/* migrate_one_irq(): started, and this CPU its target? */
		if (!(desc->irqd & IRQD_IRQ_STARTED) || !apicd->vector ||
		    apicd->vector == MANAGED_IRQ_SHUTDOWN_VECTOR ||
		    apicd->cpu != v->cpu) {
			/* irq_fixup_move_pending(desc, false) */
			if ((desc->irqd & IRQD_SETAFFINITY_PENDING) &&
			    !(desc->pending_mask & online))
				desc->irqd &= ~IRQD_SETAFFINITY_PENDING;
			goto unlock;
		}
		/* irq_fixup_move_pending(desc, true): reuse a pending mask */
		if ((desc->irqd & IRQD_SETAFFINITY_PENDING) &&
		    (desc->pending_mask & online)) {
			v->mask = desc->pending_mask;
		} else {
			v->mask = apicd->affinity;
		}
		desc->irqd &= ~IRQD_SETAFFINITY_PENDING;
		if (!(v->mask & online)) {
			IRQSIM_EVENT(ctx, true, "migrate_one_irq",
				     "irq%d: no online CPU in %#x: affinity broken",
				     v->irq, v->mask);
			v->mask = online;
		}
		trace_migrate_one_irq(ctx, v->irq, v->cpu, v->mask);
		/* mask the chip of an irq that cannot move in process context */
		if (irq_desc_chip(desc)->move_deferred &&
		    !(desc->irqd & IRQD_IRQ_MASKED)) {
			mask_irq(ctx, v->irq);
			v->mask |= 0x100;
		}
		IRQSIM_YIELD_POINT();
		IRQSIM_CALL(irqsim_call(ctx,
					*irq_desc_chip(desc)->irq_set_affinity_fn,
					v->irq, v->mask & 0xff, 0, 0));
		if (f->ret >= 0)
			apicd->affinity = (uint8_t)(v->mask & 0xff);
		else
			IRQSIM_EVENT(ctx, true, "migrate_one_irq",
				     "irq%d: irq_do_set_affinity() failed: %d",
				     v->irq, f->ret);
		if ((v->mask & 0x100) && unmask_irq(ctx, v->irq))
			IRQSIM_YIELD_POINT();
unlock:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(v->irq));
	}

	/*
	 * fixup_irqs(): walk this CPU's vector_irq without vector_lock (it
	 * is !online). A descriptor whose vector is pending in the local IRR
	 * is retriggered at its new target and the slot marked
	 * VECTOR_RETRIGGERED; every other descriptor slot is reset to
	 * VECTOR_UNUSED. The walk goes on from v->vector after each retrigger.
	 */
	v->vector = FIRST_EXTERNAL_VECTOR;
	for (;;) {
		for (vector = v->vector; vector < NR_VECTORS; vector++) {
			slot = &aw->cpu[v->cpu].vector_irq[vector];
			if (*slot <= 0)
				continue;
			if (irqsim_knob(ctx, apic_knob_fixup_irqs_retrigger) &&
			    lapic_vector_set_in_irr(aw, v->cpu, vector) &&
			    irq_desc_chip(&iw->desc[*slot])->irq_retrigger_fn >=
				    0)
				break;
			IRQSIM_EVENT(ctx, true, "fixup_irqs",
				     "vector_irq[cpu%d][%d] = UNUSED (was irq%d)%s",
				     v->cpu, vector, *slot,
				     lapic_vector_set_in_irr(aw, v->cpu, vector) ?
					     ", still pending in the dead IRR" :
					     "");
			IRQSIM_ACCESS(ctx,
				      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, v->cpu,
						 vector),
				      IRQSIM_ACC_WRITE);
			*slot = VECTOR_UNUSED;
		}
		if (vector == NR_VECTORS)
			break;
		v->vector = vector;
		v->retrigger_irq = aw->cpu[v->cpu].vector_irq[vector];
		IRQSIM_LOCK(ctx, IRQ_LOCK_DESC(v->retrigger_irq));
		aw->stats.retriggered++;
		IRQSIM_EVENT(ctx, true, "fixup_irqs",
			     "cpu%d vector %d pending in IRR: retrigger irq%d",
			     v->cpu, v->vector, v->retrigger_irq);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_IRR, v->cpu, v->vector),
			      IRQSIM_ACC_READ);
		IRQSIM_CALL(irqsim_call(ctx,
					irq_desc_chip(&iw->desc[v->retrigger_irq])
						->irq_retrigger_fn,
					v->retrigger_irq, 0, 0, 0));
		aw->cpu[v->cpu].vector_irq[v->vector] = VECTOR_RETRIGGERED;
		IRQSIM_EVENT(ctx, true, "fixup_irqs",
			     "vector_irq[cpu%d][%d] = RETRIGGERED", v->cpu,
			     v->vector);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, v->cpu, v->vector),
			      IRQSIM_ACC_WRITE);
		irqsim_unlock(ctx, IRQ_LOCK_DESC(v->retrigger_irq));
		v->vector++;
		IRQSIM_YIELD_POINT();
	}
	IRQSIM_CALL(call_lapic_offline(ctx, v->cpu));
	/* the CPU is dead: messages to it are lost from now on */
	aw->cpu[v->cpu].apic_dead = 1;
	aw->cpu[v->cpu].dead_irr_step = aw->sched.step;
	stop_machine_exit(ctx, v->held);
	IRQSIM_EVENT(ctx, true, "take_cpu_down",
		     "cpu%d offline; stop_machine done", v->cpu);
	IRQSIM_YIELD_POINT();
	/* cpus_write_unlock() */
	irqsim_unlock(ctx, IRQ_LOCK_CPU_HOTPLUG);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(cpu_offline);

struct cpu_online_frame {
	int cpu;
};

/**
 * cpu_online - bring @cpu back under cpu_hotplug_lock (_cpu_up():
 * cpus_write_lock()): lapic_online() (vector_irq reset, CPU online under
 * vector_lock). Non-managed irqs keep their affinity: nothing moves back
 * by itself.
 * @cpu: the CPU
 */
static enum irqsim_step cpu_online(struct irqsim_ctx *ctx,
				   struct irqsim_frame *f)
{
	struct cpu_online_frame *v =
		IRQSIM_FRAME_VARS(f, struct cpu_online_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK_RETRY(ctx, IRQ_LOCK_CPU_HOTPLUG);
	IRQSIM_CALL(call_lapic_online(ctx, v->cpu));
	irqsim_unlock(ctx, IRQ_LOCK_CPU_HOTPLUG);
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(cpu_online);
