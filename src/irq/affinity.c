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

#include <errno.h>

int fn_irq_set_affinity;
int fn_irq_move_irq;
int fn_cpu_offline;
int fn_cpu_online;

enum { ISA_SAVE, ISA_LOCK, ISA_DONE, ISA_UNLOCK };

/**
 * irq_set_affinity - irq_set_affinity() -> __irq_set_affinity() under
 * desc->lock (irqsave)
 * @arg0: irq
 * @arg1: CPU mask
 *
 * A chip with IRQCHIP_MOVE_DEFERRED (or a move already pending) gets the
 * mask recorded for the next interrupt; an irq that is not activated only
 * has its affinity stored (irq_set_affinity_deactivated).
 * Return: 0, -EINVAL (no chip setter, no online CPU in the mask).
 */
static enum irqsim_step irq_set_affinity(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct irq_world *iw = irq_w(ctx);
	int irq = f->arg[0];
	uint8_t mask = (uint8_t)f->arg[1];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	const struct irq_chip *chip;
	struct apic_chip_data *apicd = &iw->apic.apicd[irq];

	switch (f->pc) {
	case ISA_SAVE:
		if (irq <= 0 || irq >= IRQSIM_MAX_IRQS || !desc->allocated) {
			IRQSIM_EVENT(ctx, true, "irq_set_affinity",
				     "irq%d: no such irq", irq);
			return irqsim_return_yield(ctx, -EINVAL);
		}
		apic_local_irq_save(ctx);
		f->pc = ISA_LOCK;
		/* fall through */
	case ISA_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		f->pc = ISA_DONE;
		/* fall through */
	case ISA_DONE:
		chip = irq_desc_chip(desc);
		f->pc = ISA_UNLOCK;
		if (!chip->irq_set_affinity_fn ||
		    !(mask & apic_online_mask(&iw->apic))) {
			f->local[0] = -EINVAL;
			IRQSIM_EVENT(ctx, true, "irq_set_affinity",
				     "irq%d mask %#x: -EINVAL", irq, mask);
			return IRQSIM_YIELD;
		}
		f->local[0] = 0;
		if (!(desc->irqd & IRQD_ACTIVATED)) {
			/* irq_set_affinity_deactivated() */
			apicd->affinity = mask;
			IRQSIM_EVENT(ctx, true, "irq_set_affinity",
				     "irq%d not activated: affinity %#x stored",
				     irq, mask);
			return IRQSIM_YIELD;
		}
		if (chip->move_deferred ||
		    (desc->irqd & IRQD_SETAFFINITY_PENDING)) {
			desc->irqd |= IRQD_SETAFFINITY_PENDING;
			desc->pending_mask = mask;
			IRQSIM_EVENT(ctx, true, "irq_set_affinity",
				     "irq%d: move to %#x pending until the next interrupt (IRQCHIP_MOVE_DEFERRED)",
				     irq, mask);
			IRQSIM_TRACE(ctx, "irq_set_affinity",
				     "irq=%d mask=%#x pending=1", irq, mask);
			return IRQSIM_YIELD;
		}
		/* no modeled chip moves in process context */
		f->local[0] = -EINVAL;
		return IRQSIM_YIELD;
	case ISA_UNLOCK:
	default:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		apic_local_irq_restore(ctx);
		return irqsim_return(ctx, f->local[0]);
	}
}

enum { MOVE_START, MOVE_MASKED, MOVE_SET, MOVE_UNMASK };

/**
 * irq_move_irq - __irq_move_irq() -> irq_move_masked_irq(), from the ack
 * of an interrupt on the old CPU, desc->lock held, interrupts off
 * @arg0: irq
 *
 * Mask (unless masked), irq_do_set_affinity(pending mask) through the
 * chip, unmask. -EBUSY from the vector domain (the previous move is not
 * cleaned up yet) keeps the move pending for the next interrupt.
 */
static enum irqsim_step irq_move_irq(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	struct irq_world *iw = irq_w(ctx);
	int irq = f->arg[0];
	struct irq_desc *desc = irq_to_desc(ctx, irq);
	const struct irq_chip *chip = irq_desc_chip(desc);

	switch (f->pc) {
	case MOVE_START:
		if (!(desc->irqd & IRQD_SETAFFINITY_PENDING) ||
		    (desc->irqd & IRQD_IRQ_DISABLED))
			return irqsim_return(ctx, 0);
		f->local[0] = !(desc->irqd & IRQD_IRQ_MASKED);
		f->pc = MOVE_MASKED;
		if (f->local[0] && mask_irq(ctx, irq))
			return IRQSIM_YIELD;
		/* fall through */
	case MOVE_MASKED:
		/* irq_move_masked_irq() */
		desc->irqd &= ~IRQD_SETAFFINITY_PENDING;
		if (!(desc->pending_mask & apic_online_mask(&iw->apic)) ||
		    !chip->irq_set_affinity_fn) {
			desc->pending_mask = 0;
			f->pc = MOVE_UNMASK;
			return IRQSIM_CONTINUE;
		}
		IRQSIM_EVENT(ctx, false, "irq_move_masked_irq",
			     "irq%d: irq_do_set_affinity(%#x)", irq,
			     desc->pending_mask);
		f->pc = MOVE_SET;
		return irqsim_call(ctx, *chip->irq_set_affinity_fn, irq,
				   desc->pending_mask, 0, 0);
	case MOVE_SET:
		if (f->ret == -EBUSY) {
			desc->irqd |= IRQD_SETAFFINITY_PENDING;
			IRQSIM_EVENT(ctx, true, "irq_move_masked_irq",
				     "irq%d: -EBUSY, the move stays pending",
				     irq);
		} else {
			if (f->ret >= 0)
				iw->apic.apicd[irq].affinity =
					desc->pending_mask;
			desc->pending_mask = 0;
		}
		f->pc = MOVE_UNMASK;
		/* fall through */
	case MOVE_UNMASK:
	default:
		if (f->local[0] && unmask_irq(ctx, irq))
			return irqsim_return_yield(ctx, 0);
		return irqsim_return(ctx, 0);
	}
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

enum {
	CO_STOP,
	CO_MAPS_LOCK,
	CO_MAPS,
	CO_MAPS_UNLOCK,
	CO_NEXT_IRQ,
	CO_DESC_LOCK,
	CO_FORCE,
	CO_DECIDE,
	CO_SET,
	CO_SET_DONE,
	CO_IRQ_DONE,
	CO_SCAN,
	CO_RETRIGGER_LOCK,
	CO_RETRIGGERED,
	CO_OFFLINE,
	CO_END,
};

/* locals: [0] CPUs held by stop_machine, [1] irq or vector, [2] mask */

/**
 * cpu_offline - take_cpu_down() on the outgoing CPU (the actor must run
 * on it): stop_machine, remove_cpu_from_maps() under vector_lock,
 * fixup_irqs() (irq_migrate_all_off_this_cpu(), then the vector_irq walk
 * that retriggers what is pending in this CPU's IRR), lapic_offline()
 * @arg0: the CPU
 */
static enum irqsim_step cpu_offline(struct irqsim_ctx *ctx,
				    struct irqsim_frame *f)
{
	struct irq_world *iw = irq_w(ctx);
	struct apic_world *aw = &iw->apic;
	int cpu = f->arg[0];
	/* local[1] is an irq up to CO_IRQ_DONE, a vector from CO_SCAN on */
	int irq = f->pc < CO_SCAN && f->local[1] < IRQSIM_MAX_IRQS ?
			  f->local[1] :
			  0;
	struct irq_desc *desc = &iw->desc[irq];
	struct apic_chip_data *apicd = &aw->apicd[irq];
	uint8_t online;
	int16_t *slot;

	switch (f->pc) {
	case CO_STOP:
		if (!aw->cpu[cpu].online) {
			IRQSIM_EVENT(ctx, true, "cpu_offline",
				     "cpu%d is already offline", cpu);
			return irqsim_return_yield(ctx, -EINVAL);
		}
		f->local[0] = stop_machine_enter(ctx);
		if (!f->local[0])
			return irqsim_wait(ctx, APIC_TOKEN_IRQ_EXIT);
		IRQSIM_EVENT(ctx, true, "take_cpu_down",
			     "cpu%d goes offline: stop_machine, every CPU spins with interrupts off",
			     cpu);
		IRQSIM_TRACE(ctx, "cpuhp_enter", "cpu=%d target=offline", cpu);
		f->pc = CO_MAPS_LOCK;
		return IRQSIM_YIELD;
	case CO_MAPS_LOCK:
		if (!irqsim_trylock(ctx, APIC_LOCK_VECTOR))
			return IRQSIM_BLOCKED;
		f->pc = CO_MAPS;
		/* fall through */
	case CO_MAPS:
		/* cpu_disable_common(): remove_cpu_from_maps() */
		aw->cpu[cpu].online = 0;
		IRQSIM_EVENT(ctx, true, "cpu_disable_common",
			     "set_cpu_online(cpu%d, false)", cpu);
		f->pc = CO_MAPS_UNLOCK;
		return IRQSIM_YIELD;
	case CO_MAPS_UNLOCK:
		irqsim_unlock(ctx, APIC_LOCK_VECTOR);
		f->local[1] = 1;
		f->pc = CO_NEXT_IRQ;
		/* fall through */
	case CO_NEXT_IRQ:
		/* irq_migrate_all_off_this_cpu() */
		f->local[1] = next_vector_irq(iw, f->local[1]);
		if (!f->local[1]) {
			f->local[1] = FIRST_EXTERNAL_VECTOR;
			f->pc = CO_SCAN;
			return IRQSIM_CONTINUE;
		}
		f->pc = CO_DESC_LOCK;
		return IRQSIM_CONTINUE;
	case CO_DESC_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(irq)))
			return IRQSIM_BLOCKED;
		f->pc = CO_FORCE;
		/* fall through */
	case CO_FORCE:
		/* irq_force_complete_move() -> apic_force_complete_move() */
		if (apicd->prev_vector &&
		    (apicd->cpu == cpu || apicd->prev_cpu == cpu)) {
			if (!irqsim_trylock(ctx, APIC_LOCK_VECTOR))
				return IRQSIM_BLOCKED;
			apic_force_complete_move(ctx, irq, cpu);
			irqsim_unlock(ctx, APIC_LOCK_VECTOR);
			f->pc = CO_DECIDE;
			return IRQSIM_YIELD;
		}
		f->pc = CO_DECIDE;
		/* fall through */
	case CO_DECIDE:
		online = apic_online_mask(aw);
		/* migrate_one_irq(): started, and this CPU its target? */
		if (!(desc->irqd & IRQD_IRQ_STARTED) || !apicd->vector ||
		    apicd->vector == MANAGED_IRQ_SHUTDOWN_VECTOR ||
		    apicd->cpu != cpu) {
			/* irq_fixup_move_pending(desc, false) */
			if ((desc->irqd & IRQD_SETAFFINITY_PENDING) &&
			    !(desc->pending_mask & online))
				desc->irqd &= ~IRQD_SETAFFINITY_PENDING;
			f->pc = CO_IRQ_DONE;
			return IRQSIM_CONTINUE;
		}
		/* irq_fixup_move_pending(desc, true): reuse a pending mask */
		if ((desc->irqd & IRQD_SETAFFINITY_PENDING) &&
		    (desc->pending_mask & online)) {
			f->local[2] = desc->pending_mask;
		} else {
			f->local[2] = apicd->affinity;
		}
		desc->irqd &= ~IRQD_SETAFFINITY_PENDING;
		if (!(f->local[2] & online)) {
			IRQSIM_EVENT(ctx, true, "migrate_one_irq",
				     "irq%d: no online CPU in %#x: affinity broken",
				     irq, f->local[2]);
			f->local[2] = online;
		}
		IRQSIM_EVENT(ctx, true, "migrate_one_irq",
			     "irq%d: off cpu%d to %#x", irq, cpu, f->local[2]);
		IRQSIM_TRACE(ctx, "migrate_one_irq", "irq=%d cpu=%d mask=%#x",
			     irq, cpu, f->local[2]);
		/* mask the chip of an irq that cannot move in process context */
		if (irq_desc_chip(desc)->move_deferred &&
		    !(desc->irqd & IRQD_IRQ_MASKED)) {
			mask_irq(ctx, irq);
			f->local[2] |= 0x100;
		}
		f->pc = CO_SET;
		return IRQSIM_YIELD;
	case CO_SET:
		f->pc = CO_SET_DONE;
		return irqsim_call(ctx, *irq_desc_chip(desc)->irq_set_affinity_fn,
				   irq, f->local[2] & 0xff, 0, 0);
	case CO_SET_DONE:
		if (f->ret >= 0)
			apicd->affinity = (uint8_t)(f->local[2] & 0xff);
		else
			IRQSIM_EVENT(ctx, true, "migrate_one_irq",
				     "irq%d: irq_do_set_affinity() failed: %d",
				     irq, f->ret);
		f->pc = CO_IRQ_DONE;
		if ((f->local[2] & 0x100) && unmask_irq(ctx, irq))
			return IRQSIM_YIELD;
		/* fall through */
	case CO_IRQ_DONE:
		irqsim_unlock(ctx, IRQ_LOCK_DESC(irq));
		f->local[1]++;
		f->pc = CO_NEXT_IRQ;
		return IRQSIM_CONTINUE;
	case CO_SCAN:
		/*
		 * fixup_irqs(): walk this CPU's vector_irq without
		 * vector_lock (it is !online). A descriptor whose vector is
		 * pending in the local IRR is retriggered at its new target
		 * and the slot marked VECTOR_RETRIGGERED; every other
		 * descriptor slot is reset to VECTOR_UNUSED.
		 */
		for (int v = f->local[1]; v < NR_VECTORS; v++) {
			slot = &aw->cpu[cpu].vector_irq[v];
			if (*slot <= 0)
				continue;
			if (irqsim_knob(ctx, apic_knob_fixup_irqs_retrigger) &&
			    lapic_vector_set_in_irr(aw, cpu, v) &&
			    irq_desc_chip(&iw->desc[*slot])->irq_retrigger_fn >=
				    0) {
				f->local[1] = v;
				f->local[2] = *slot;
				f->pc = CO_RETRIGGER_LOCK;
				return IRQSIM_CONTINUE;
			}
			IRQSIM_EVENT(ctx, true, "fixup_irqs",
				     "vector_irq[cpu%d][%d] = UNUSED (was irq%d)%s",
				     cpu, v, *slot,
				     lapic_vector_set_in_irr(aw, cpu, v) ?
					     ", still pending in the dead IRR" :
					     "");
			IRQSIM_ACCESS(ctx,
				      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, v),
				      IRQSIM_ACC_WRITE);
			*slot = VECTOR_UNUSED;
		}
		f->pc = CO_OFFLINE;
		return irqsim_call(ctx, fn_lapic_offline, cpu, 0, 0, 0);
	case CO_RETRIGGER_LOCK:
		if (!irqsim_trylock(ctx, IRQ_LOCK_DESC(f->local[2])))
			return IRQSIM_BLOCKED;
		aw->stats.retriggered++;
		IRQSIM_EVENT(ctx, true, "fixup_irqs",
			     "cpu%d vector %d pending in IRR: retrigger irq%d",
			     cpu, f->local[1], f->local[2]);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_IRR, cpu, f->local[1]),
			      IRQSIM_ACC_READ);
		f->pc = CO_RETRIGGERED;
		return irqsim_call(ctx,
				   irq_desc_chip(&iw->desc[f->local[2]])
					   ->irq_retrigger_fn,
				   f->local[2], 0, 0, 0);
	case CO_RETRIGGERED:
		aw->cpu[cpu].vector_irq[f->local[1]] = VECTOR_RETRIGGERED;
		IRQSIM_EVENT(ctx, true, "fixup_irqs",
			     "vector_irq[cpu%d][%d] = RETRIGGERED", cpu,
			     f->local[1]);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, f->local[1]),
			      IRQSIM_ACC_WRITE);
		irqsim_unlock(ctx, IRQ_LOCK_DESC(f->local[2]));
		f->local[1]++;
		f->pc = CO_SCAN;
		return IRQSIM_YIELD;
	case CO_OFFLINE:
		/* the CPU is dead: messages to it are lost from now on */
		aw->cpu[cpu].apic_dead = 1;
		aw->cpu[cpu].dead_irr_step = aw->sched.step;
		stop_machine_exit(ctx, f->local[0]);
		IRQSIM_EVENT(ctx, true, "take_cpu_down",
			     "cpu%d offline; stop_machine done", cpu);
		f->pc = CO_END;
		return IRQSIM_YIELD;
	case CO_END:
	default:
		return irqsim_return(ctx, 0);
	}
}

/**
 * cpu_online - bring @arg0 back: lapic_online() (vector_irq reset, CPU
 * online under vector_lock). Non-managed irqs keep their affinity: nothing
 * moves back by itself.
 */
static enum irqsim_step cpu_online(struct irqsim_ctx *ctx,
				   struct irqsim_frame *f)
{
	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, fn_lapic_online, f->arg[0], 0, 0, 0);
	}
	return irqsim_return(ctx, f->ret);
}

void irq_register_affinity_fns(void)
{
	fn_irq_set_affinity =
		irqsim_fn_register("irq_set_affinity", irq_set_affinity);
	fn_irq_move_irq = irqsim_fn_register("irq_move_irq", irq_move_irq);
	fn_cpu_offline = irqsim_fn_register("cpu_offline", cpu_offline);
	fn_cpu_online = irqsim_fn_register("cpu_online", cpu_online);
}
