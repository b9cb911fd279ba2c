/* SPDX-License-Identifier: MIT */
/*
 * A small harness for the INTx unit tests: a machine from inline trace
 * text and knob settings, modeled functions run to completion on a named
 * actor (their return value kept), interrupts taken on a CPU. Include it
 * after <cmocka.h>.
 */
#ifndef IRQSIM_TESTS_INTX_HARNESS_H
#define IRQSIM_TESTS_INTX_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"

struct harness {
	struct scenario s;
	int knobs[IRQSIM_MAX_KNOBS];
	struct vmm_world *w;
	struct irqsim_rt rt;
};

/* The trampoline's target: one call at a time. */
static struct {
	int fn;
	int32_t arg[IRQSIM_FRAME_ARGS];
	int32_t ret;
} harness_target;

static int harness_trampoline_fn = -1;

/* Calls harness_target.fn and keeps its return value. */
static inline enum irqsim_step harness_trampoline(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, harness_target.fn,
				   harness_target.arg[0], harness_target.arg[1],
				   harness_target.arg[2], harness_target.arg[3]);
	}
	harness_target.ret = f->ret;
	return irqsim_return(ctx, 0);
}

/* A trivial action: IRQ_HANDLED, counted. */
static int harness_handled;

static inline enum irqsim_step harness_nop_handler(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	(void)f;
	harness_handled++;
	return irqsim_return_yield(ctx, IRQ_HANDLED);
}

static int harness_nop_handler_fn = -1;

/*
 * harness_open - parse @text, apply @settings ("knob=value ...", may be
 * NULL) over the defaults, build the world after the setup lines.
 */
static inline void harness_open(struct harness *h, const char *text,
			 const char *settings)
{
	struct scenario_config cfg = { 0 };
	char err[SCENARIO_ERR], buf[512], *save = NULL;

	scenario_init();
	if (harness_trampoline_fn < 0) {
		harness_trampoline_fn = irqsim_fn_register("harness_trampoline",
							   harness_trampoline);
		harness_nop_handler_fn = irqsim_fn_register(
			"harness_nop_handler", harness_nop_handler);
	}
	memset(h, 0, sizeof(*h));
	if (scenario_parse(&h->s, "harness.trace", text, err, sizeof(err))) {
		print_error("%s\n", err);
		fail();
	}
	snprintf(buf, sizeof(buf), "%s", settings ? settings : "");
	for (char *t = strtok_r(buf, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		int ret = strchr(t, '=') ?
			config_add_setting(&cfg, t, err, sizeof(err)) :
			config_add_profile(&cfg, t, err, sizeof(err));

		if (ret) {
			print_error("%s\n", err);
			fail();
		}
	}
	config_apply(h->knobs, &h->s.config, &cfg);
	h->w = malloc(sizeof(*h->w));
	assert_non_null(h->w);
	if (scenario_world(&h->s, h->knobs, h->w, err, sizeof(err))) {
		print_error("%s\n", err);
		fail();
	}
	scenario_rt(&h->s, h->knobs, NULL, &h->rt);
	harness_handled = 0;
}

static inline void harness_close(struct harness *h)
{
	free(h->w);
	h->w = NULL;
	scenario_free(&h->s);
}

static inline int harness_actor(const struct harness *h, const char *name)
{
	for (int a = 0; a < h->s.machine.nactors; a++)
		if (!strcmp(h->s.machine.actor[a].name, name))
			return a;
	print_error("no actor '%s'\n", name);
	fail();
	return -1;
}

/* Step @actor until it has no frame left; it must never block. */
static inline void harness_drain(struct harness *h, int actor)
{
	struct irqsim_ctx ctx = { .world = h->w, .rt = &h->rt, .actor = actor };
	struct sched_world *sw = &h->w->vfio.msi.irq.apic.sched;
	int budget = 10000;

	while (sw->actor[actor].nframes && budget--) {
		if (irqsim_actor_step(&ctx) == IRQSIM_BLOCKED) {
			print_error("actor %s blocked\n",
				    h->s.machine.actor[actor].name);
			fail();
		}
		sw->step++;
	}
	assert_true(budget > 0);
}

/* Run modeled function @fn with @a0..@a3 on @actor; its return value. */
static inline int32_t harness_call(struct harness *h, const char *actor, int fn,
			    int32_t a0, int32_t a1, int32_t a2, int32_t a3)
{
	int a = harness_actor(h, actor);

	harness_target.fn = fn;
	harness_target.arg[0] = a0;
	harness_target.arg[1] = a1;
	harness_target.arg[2] = a2;
	harness_target.arg[3] = a3;
	harness_target.ret = -9999;
	irqsim_push_frame(h->w, a, harness_trampoline_fn, 0, 0, 0, 0);
	harness_drain(h, a);
	return harness_target.ret;
}

/* VFIO_DEVICE_SET_IRQS on the INTx index, as QEMU issues it. */
static inline int32_t harness_set_irqs_intx(struct harness *h,
					    const char *actor, int dev,
					    int flags, int count, int32_t data)
{
	return harness_call(
		h, actor, fn_vfio_pci_ioctl_set_irqs, dev,
		vfio_set_irqs_arg_flags(VFIO_PCI_INTX_IRQ_INDEX, flags),
		vfio_set_irqs_arg_range(0, count), data);
}

/*
 * CPU @cpu takes its highest deliverable vector and its hard-irq context
 * runs to the end. Return: false if nothing was deliverable.
 */
static inline bool harness_take_irq(struct harness *h, int cpu)
{
	struct irqsim_ctx ctx = { .world = h->w, .rt = &h->rt };
	struct apic_world *aw = &h->w->vfio.msi.irq.apic;

	if (apic_deliverable(aw, cpu) < 0)
		return false;
	ctx.actor = aw->cpu[cpu].irq_actor;
	apic_accept_interrupt(&ctx, cpu);
	harness_drain(h, aw->cpu[cpu].irq_actor);
	return true;
}

/* The device actor's raise_intx (as its program would run it). */
static inline void harness_raise_intx(struct harness *h, const char *dev_actor,
			       int dev)
{
	harness_call(h, dev_actor, fn_pci_dev_raise_intx, dev, 0, 0, 0);
}

static inline bool harness_irr(const struct harness *h, int cpu, int vector)
{
	return apic_vector_test(h->w->vfio.msi.irq.apic.cpu[cpu].lapic.irr,
				vector);
}

static inline void harness_clear_irr(struct harness *h, int cpu)
{
	memset(h->w->vfio.msi.irq.apic.cpu[cpu].lapic.irr, 0,
	       sizeof(h->w->vfio.msi.irq.apic.cpu[cpu].lapic.irr));
}

/* The end-of-run oracles on the current world. */
static inline int harness_check_end(struct harness *h, struct irqsim_verdict *v)
{
	memset(v, 0, sizeof(*v));
	return check_end(h->w, &h->rt, false, v);
}

static inline int harness_check_step(struct harness *h,
				     struct irqsim_verdict *v)
{
	memset(v, 0, sizeof(*v));
	h->w->vfio.msi.irq.apic.sched.step++;
	return check_step(h->w, &h->rt, v);
}

#endif /* IRQSIM_TESTS_INTX_HARNESS_H */
