/* SPDX-License-Identifier: MIT */
/*
 * The machine: the transitions the engine chooses from (an actor's next
 * step, a CPU taking an interrupt, QEMU's main loop reading an eventfd, a
 * vCPU taking a guest interrupt, a device sending from its PBA, the
 * IOAPIC's and the vector cleanup timers), the world a machine starts
 * from, and its canonical form for fingerprints.
 */
#ifndef IRQSIM_MACHINE_H
#define IRQSIM_MACHINE_H

#include "vmm/vmm.h"

/* Transition kinds (code = kind << 8 | index). */
enum machine_transition {
	T_STEP,		/* index: actor */
	T_IRQ,		/* index: host CPU takes an interrupt */
	T_QEMU_MAIN,	/* index: eventfd the main loop handles */
	T_GUEST_IRQ,	/* index: vCPU takes a guest interrupt */
	T_DEV_PBA,	/* index: device sends a pending message */
	T_IOAPIC_TIMER,	/* QEMU's delayed_ioapic_service_timer fires */
	T_TIMER,	/* index: host CPU runs its vector cleanup timer */
};

/**
 * machine_world_init - an empty machine world: CPUs, actors bound to CPUs,
 * QEMU's eventfds for every device vector open
 */
void machine_world_init(struct vmm_world *w, const struct vmm_machine *m);

/* The transitions of the machine, for the engine's model ops. */
void machine_canonical(void *scratch);
int machine_enabled(const void *world, const struct irqsim_rt *rt,
		    uint16_t *out);
int machine_nprocs(const struct irqsim_rt *rt);
bool machine_proc_next(const void *world, const struct irqsim_rt *rt,
		       int proc, uint16_t *code);
void machine_fire(struct irqsim_ctx *ctx, uint16_t t);
const char *machine_transition_name(const void *world,
				    const struct irqsim_rt *rt, uint16_t t,
				    char *buf, size_t len);
int machine_transition_parse(const struct irqsim_rt *rt, const char *name);

#endif /* IRQSIM_MACHINE_H */
