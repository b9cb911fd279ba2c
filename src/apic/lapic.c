// SPDX-License-Identifier: MIT
/*
 * Models the local APIC as Linux v6.18 uses it (arch/x86/kernel/apic/apic.c
 * apic_eoi, lapic_vector_set_in_irr; IRR/ISR priority rules of the SDM).
 */
#include "apic/internal.h"
#include "apic/trace.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void apic_world_init(struct apic_world *aw, int nr_cpus)
{
	struct irq_matrix *m = &aw->matrix;

	aw->nr_cpus = (uint8_t)nr_cpus;
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		aw->actor_cpu[a] = -1;
	m->alloc_start = FIRST_EXTERNAL_VECTOR;
	m->alloc_end = FIRST_SYSTEM_VECTOR;
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		aw->cpu[cpu].online = 1;
		aw->cpu[cpu].atomic_owner = -1;
		aw->cpu[cpu].irq_actor = -1;
		/* irq_matrix_online() of the boot and secondary CPUs */
		m->cpu[cpu].available = m->alloc_end - m->alloc_start;
		irq_matrix_online(m, (unsigned int)cpu);
	}
}

void apic_bind_actor(struct apic_world *aw, int actor, int cpu,
		     bool irq_context)
{
	aw->actor_cpu[actor] = (int8_t)cpu;
	if (irq_context)
		aw->cpu[cpu].irq_actor = (int8_t)actor;
}

void apic_local_irq_save(struct irqsim_ctx *ctx)
{
	struct apic_world *aw = apic_w(ctx);
	int cpu = apic_this_cpu(ctx);

	if (cpu < 0)
		return;
	if (aw->cpu[cpu].irqs_off++ == 0)
		aw->cpu[cpu].atomic_owner = (int8_t)ctx->actor;
}

void apic_local_irq_restore(struct irqsim_ctx *ctx)
{
	struct apic_world *aw = apic_w(ctx);
	int cpu = apic_this_cpu(ctx);

	if (cpu < 0)
		return;
	if (IRQSIM_WARN_ON_ONCE(ctx, aw->cpu[cpu].irqs_off == 0))
		return;
	if (--aw->cpu[cpu].irqs_off == 0) {
		aw->cpu[cpu].atomic_owner = -1;
		irqsim_wake(ctx->world, APIC_TOKEN_IRQ_EXIT);
	}
}

/*
 * A task on a CPU cannot run while the CPU is in hard-irq context, or while
 * another task on it holds an irqsave lock (preemption is off then too).
 */
bool apic_task_may_run(const struct apic_world *aw, int actor)
{
	int cpu = aw->actor_cpu[actor];
	const struct apic_cpu *c;

	if (cpu < 0)
		return true;
	c = &aw->cpu[cpu];
	if (c->irq_actor == actor)
		return true;
	if (c->irq_actor >= 0 && aw->sched.actor[c->irq_actor].busy)
		return false;
	return c->atomic_owner < 0 || c->atomic_owner == actor;
}

static int highest_bit(const uint32_t *map)
{
	for (int w = APIC_IRR_WORDS - 1; w >= 0; w--)
		if (map[w])
			return w * 32 + 31 - __builtin_clz(map[w]);
	return -1;
}

/*
 * The APIC delivers the highest IRR vector when its priority class is above
 * the class of the highest in-service vector and the CPU has interrupts
 * enabled (not in hard-irq context, no local_irq_save outstanding).
 */
int apic_deliverable(const struct apic_world *aw, int cpu)
{
	const struct apic_cpu *c = &aw->cpu[cpu];
	int irr, isr;

	if (!c->online || c->atomic_owner >= 0)
		return -1;
	if (c->irq_actor >= 0 && aw->sched.actor[c->irq_actor].busy)
		return -1;
	irr = highest_bit(c->lapic.irr);
	if (irr < 0)
		return -1;
	isr = highest_bit(c->lapic.isr);
	if (isr >= 0 && (irr >> 4) <= (isr >> 4))
		return -1;
	return irr;
}

void apic_accept_interrupt(struct irqsim_ctx *ctx, int cpu)
{
	struct apic_world *aw = apic_w(ctx);
	struct apic_cpu *c = &aw->cpu[cpu];
	int vector = apic_deliverable(aw, cpu);
	struct irqsim_ctx irq_ctx = *ctx;

	if (IRQSIM_WARN_ON_ONCE(ctx, vector < 0 || c->irq_actor < 0))
		return;
	apic_vector_clear(c->lapic.irr, vector);
	apic_vector_set(c->lapic.isr, vector);
	irq_ctx.actor = c->irq_actor;
	trace_apic_accept_irq(&irq_ctx, cpu, vector);
	IRQSIM_ACCESS(&irq_ctx, IRQSIM_OBJ(APIC_OBJ_IRR, cpu, vector),
		      IRQSIM_ACC_RMW);
	irqsim_push_frame(ctx->world, c->irq_actor, fn_common_interrupt, vector,
			  0, 0, 0);
}

void apic_eoi(struct irqsim_ctx *ctx)
{
	struct apic_world *aw = apic_w(ctx);
	int cpu = apic_this_cpu(ctx);
	int isr;

	if (IRQSIM_WARN_ON_ONCE(ctx, cpu < 0))
		return;
	isr = highest_bit(aw->cpu[cpu].lapic.isr);
	if (isr >= 0)
		apic_vector_clear(aw->cpu[cpu].lapic.isr, isr);
	trace_apic_eoi(ctx, cpu, isr);
}

int apic_msi_write(struct apic_world *aw, uint32_t addr_lo, uint32_t data)
{
	int cpu = (int)((addr_lo >> MSI_ADDR_DEST_SHIFT) & 0xff);
	int vector = (int)(data & 0xff);

	if ((addr_lo & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE_LO)
		return -EINVAL;
	if (cpu >= aw->nr_cpus || aw->cpu[cpu].apic_dead)
		return -ENODEV;
	/* Vectors below 16 are illegal; the APIC drops them. */
	if (vector < 16)
		return -EINVAL;
	apic_vector_set(aw->cpu[cpu].lapic.irr, vector);
	return 0;
}

bool apic_vector_in_flight(const struct apic_world *aw, int cpu, int vector)
{
	const struct lapic *l = &aw->cpu[cpu].lapic;

	return apic_vector_test(l->irr, vector) ||
	       apic_vector_test(l->isr, vector);
}

const char *apic_slot_name(int16_t slot, char *buf, size_t len)
{
	switch (slot) {
	case VECTOR_UNUSED:
		return "UNUSED";
	case VECTOR_SHUTDOWN:
		return "SHUTDOWN";
	case VECTOR_RETRIGGERED:
		return "RETRIGGERED";
	default:
		snprintf(buf, len, "irq%d", slot);
		return buf;
	}
}
