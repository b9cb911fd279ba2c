/* SPDX-License-Identifier: MIT */
/*
 * Test harness for the layer tests: build a world from inline trace text
 * the way `irqsim` does (scenario_parse, config_apply, scenario_world),
 * then drive it one named transition at a time ("drv", "cpu1:irq",
 * "main:efd0", "vcpu0:virq", "dev0:pba") or by a fixed schedule through
 * irqsim_run(), and inspect the world's fields in between.
 *
 * A test may also run one modeled function on an actor and read its return
 * value (harness_call / harness_call_now): the call is appended to the
 * actor's program as an operation of a small caller function that stores
 * the callee's return value in the harness.
 *
 * Include after <cmocka.h>. Every function is static inline so a test file
 * pays only for what it uses.
 */
#ifndef IRQSIM_TESTS_HARNESS_H
#define IRQSIM_TESTS_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"

#define HARNESS_FILE		"inline.trace"
#define HARNESS_MAX_CALLS	16
/* Transitions HARNESS_FIRE_UNTIL tries before it gives up. */
#define HARNESS_UNTIL_BOUND	256

struct harness_call {
	int fn;
	int32_t arg[IRQSIM_FRAME_ARGS];
	int32_t ret;
	bool done;
};

struct harness {
	struct scenario s;
	int knobs[IRQSIM_MAX_KNOBS];
	struct vmm_world *w;
	struct irqsim_rt rt;
	struct irqsim_log log;
	struct irqsim_run_result res;	/* the last harness_run() */
	struct irqsim_verdict step_verdict; /* first check_step() finding */
	int ncalls;
	struct harness_call call[HARNESS_MAX_CALLS];
};

static struct harness *harness_current;
static int harness_caller_fn = -1;

/* The caller operation: run the callee, keep its return value. */
static inline enum irqsim_step harness_caller(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct harness_call *c = &harness_current->call[f->arg[0]];

	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, c->fn, c->arg[0], c->arg[1], c->arg[2],
				   c->arg[3]);
	}
	c->ret = f->ret;
	c->done = true;
	return irqsim_return(ctx, 0);
}

/* World views, innermost first. */
static inline struct apic_world *harness_apic(struct harness *h)
{
	return &h->w->vfio.msi.irq.apic;
}

static inline struct irq_world *harness_irqw(struct harness *h)
{
	return &h->w->vfio.msi.irq;
}

static inline struct msi_world *harness_msi(struct harness *h)
{
	return &h->w->vfio.msi;
}

static inline struct vfio_world *harness_vfio(struct harness *h)
{
	return &h->w->vfio;
}

static inline struct sched_world *harness_sched(struct harness *h)
{
	return &h->w->vfio.msi.irq.apic.sched;
}

static inline struct pci_dev *harness_pdev(struct harness *h, int dev)
{
	return &h->w->vfio.msi.dev[dev];
}

/* The Linux irq of MSI-X vector @vec of device @dev (pci_irq_vector). */
static inline int harness_irq(struct harness *h, int dev, int vec)
{
	return h->w->vfio.msi.dev[dev].irq[vec];
}

static inline struct irq_desc *harness_desc(struct harness *h, int irq)
{
	return &h->w->vfio.msi.irq.desc[irq];
}

static inline struct apic_chip_data *harness_apicd(struct harness *h, int irq)
{
	return &h->w->vfio.msi.irq.apic.apicd[irq];
}

static inline int16_t harness_slot(struct harness *h, int cpu, int vector)
{
	return h->w->vfio.msi.irq.apic.cpu[cpu].vector_irq[vector];
}

static inline uint32_t harness_msix_dw(struct harness *h, int dev, int vec,
				       int dword)
{
	return h->w->vfio.msi.dev[dev].table[vec].dw[dword];
}

static inline int harness_lock_owner(struct harness *h, int lock)
{
	return harness_sched(h)->lock_owner[lock];
}

/**
 * harness_load - parse @trace and build its world after setup
 *
 * Profiles and `set` lines of the trace apply, as for `irqsim run`; the
 * event log records everything after setup.
 */
static inline void harness_load(struct harness *h, const char *trace)
{
	char err[SCENARIO_ERR] = "";

	scenario_init();
	if (harness_caller_fn < 0)
		harness_caller_fn =
			irqsim_fn_register("harness_caller", harness_caller);
	memset(h, 0, sizeof(*h));
	harness_current = h;
	if (scenario_parse(&h->s, HARNESS_FILE, trace, err, sizeof(err))) {
		print_error("trace does not parse: %s\n", err);
		fail();
	}
	config_apply(h->knobs, &h->s.config, NULL);
	h->w = malloc(sizeof(*h->w));
	assert_non_null(h->w);
	if (scenario_world(&h->s, h->knobs, h->w, err, sizeof(err))) {
		print_error("setup failed: %s\n", err);
		fail();
	}
	irqsim_log_init(&h->log);
	scenario_rt(&h->s, h->knobs, &h->log, &h->rt);
}

static inline void harness_free(struct harness *h)
{
	free(h->w);
	h->w = NULL;
	irqsim_log_free(&h->log);
	scenario_free(&h->s);
	harness_current = NULL;
}

/*
 * End of a test: STYLE.md wants the model-warning count zero (a warning
 * is a broken invariant of irqsim itself, never a kernel finding).
 */
static inline void harness_done(struct harness *h)
{
	uint32_t warnings = harness_sched(h)->warnings;

	harness_free(h);
	assert_int_equal(warnings, 0);
}

static inline int harness_actor(struct harness *h, const char *name)
{
	for (int a = 0; a < h->s.machine.nactors; a++)
		if (!strcmp(h->s.machine.actor[a].name, name))
			return a;
	print_error("no actor '%s'\n", name);
	fail();
	return -1;
}

/* The actor has run its whole program. */
static inline bool harness_actor_done(struct harness *h, const char *name)
{
	int a = harness_actor(h, name);

	return !harness_sched(h)->actor[a].nframes &&
	       harness_sched(h)->actor[a].op >= h->s.prog[a].nops;
}

static inline int harness_transition(struct harness *h, const char *name)
{
	int t = machine_transition_parse(&h->rt, name);

	if (t < 0) {
		print_error("no transition '%s'\n", name);
		fail();
	}
	return t;
}

static inline bool harness_enabled(struct harness *h, const char *name)
{
	uint16_t en[IRQSIM_MAX_ENABLED];
	int t = harness_transition(h, name);
	int n = scenario_model.enabled(h->w, &h->rt, en);

	for (int i = 0; i < n; i++)
		if (en[i] == t)
			return true;
	return false;
}

static inline void harness_print_enabled(struct harness *h)
{
	uint16_t en[IRQSIM_MAX_ENABLED];
	int n = scenario_model.enabled(h->w, &h->rt, en);
	char name[64];

	print_error("enabled at step %u:", harness_sched(h)->step);
	for (int i = 0; i < n; i++)
		print_error(" %s", machine_transition_name(h->w, &h->rt,
							   en[i], name,
							   sizeof(name)));
	print_error("\n");
}

/**
 * harness_fire - take the transition @name, which must be enabled, then
 * run the step oracles as irqsim_run() does
 * Return: the verdict kind check_step() reported, 0 for none. The first
 * finding is kept in h->step_verdict.
 */
static inline int harness_fire(struct harness *h, const char *name)
{
	struct irqsim_ctx ctx = { .world = h->w, .rt = &h->rt };
	struct irqsim_verdict v = { 0 };
	int kind;

	if (!harness_enabled(h, name)) {
		print_error("transition '%s' is not enabled\n", name);
		harness_print_enabled(h);
		fail();
	}
	scenario_model.fire(&ctx, (uint16_t)harness_transition(h, name));
	harness_sched(h)->step++;
	kind = scenario_model.check_step(h->w, &h->rt, &v);
	if (kind && !h->step_verdict.kind)
		h->step_verdict = v;
	return kind;
}

static inline void harness_fire_n(struct harness *h, const char *name, int n)
{
	for (int i = 0; i < n; i++)
		harness_fire(h, name);
}

/* Fire @name until @cond holds; fail if it does not within the bound. */
#define HARNESS_FIRE_UNTIL(h, name, cond)                                   \
	do {                                                                \
		int __n = 0;                                                \
		while (!(cond)) {                                           \
			if (__n++ == HARNESS_UNTIL_BOUND) {                 \
				print_error("'%s' never reached: %s\n",     \
					    (name), #cond);                 \
				fail();                                     \
			}                                                   \
			harness_fire((h), (name));                          \
		}                                                           \
	} while (0)

/**
 * harness_run - replay @schedule (NULL: none) with irqsim_run(), then the
 * lowest enabled transition until nothing can move, as a trace's fixed
 * schedule runs; step and end oracles judge it
 * Return: the verdict kind, 0 for none.
 */
static inline int harness_run(struct harness *h, const char *schedule)
{
	struct irqsim_schedule sc;
	struct irqsim_chooser ch = {
		.kind = IRQSIM_CHOOSE_REPLAY,
		.replay = &sc,
		.replay_then_first = true,
	};
	char bad[64];

	irqsim_schedule_init(&sc);
	if (schedule) {
		char *copy = strdup(schedule), *save = NULL;

		assert_non_null(copy);
		for (char *t = strtok_r(copy, " \n", &save); t;
		     t = strtok_r(NULL, " \n", &save)) {
			if (schedule_parse(&h->s, t, &sc, bad, sizeof(bad))) {
				print_error("bad schedule entry '%s'\n", bad);
				fail();
			}
		}
		free(copy);
	}
	irqsim_run(&scenario_model, &h->rt, h->w, &ch, h->s.bound, NULL,
		   &h->res);
	irqsim_schedule_free(&sc);
	if (h->res.status == IRQSIM_RUN_DIVERGED) {
		print_error("schedule diverged at entry %zu\n",
			    h->res.diverged_at);
		harness_print_enabled(h);
		fail();
	}
	return h->res.verdict.kind;
}

/* The end oracles on the world as it is now (all actors must be done). */
static inline int harness_check_end(struct harness *h,
				    struct irqsim_verdict *v)
{
	struct irqsim_verdict local;

	return check_end(h->w, &h->rt, false, v ? v : &local);
}

/**
 * harness_call - append "call @fn(@a0..@a3)" to @actor's program
 * Return: a handle for h->call[] (.done, .ret once it ran).
 */
static inline int harness_call(struct harness *h, const char *actor, int fn,
			       int32_t a0, int32_t a1, int32_t a2, int32_t a3)
{
	int a = harness_actor(h, actor);
	struct irqsim_program *p = &h->s.prog[a];
	int c = h->ncalls++;

	assert_true(c < HARNESS_MAX_CALLS);
	assert_true(p->nops < IRQSIM_MAX_OPS);
	assert_true(fn >= 0);
	h->call[c] = (struct harness_call){
		.fn = fn,
		.arg = { a0, a1, a2, a3 },
	};
	p->op[p->nops++] = (struct irqsim_op){
		.fn = (uint16_t)harness_caller_fn,
		.arg = { c },
	};
	return c;
}

/*
 * Run @fn on @actor to completion now (the actor must have nothing else
 * to do; it may not block) and return its return value.
 */
static inline int32_t harness_call_now(struct harness *h, const char *actor,
				       int fn, int32_t a0, int32_t a1,
				       int32_t a2, int32_t a3)
{
	int a = harness_actor(h, actor);
	int c;

	assert_int_equal(harness_sched(h)->actor[a].nframes, 0);
	assert_int_equal(harness_sched(h)->actor[a].op, h->s.prog[a].nops);
	c = harness_call(h, actor, fn, a0, a1, a2, a3);
	HARNESS_FIRE_UNTIL(h, actor, h->call[c].done);
	return h->call[c].ret;
}

/*
 * The first event at index >= @from whose function is @fn (NULL: any)
 * and whose text contains @text (NULL: any); -1 if there is none.
 */
static inline int harness_event(struct harness *h, int from, const char *fn,
				const char *text)
{
	for (size_t i = from < 0 ? 0 : (size_t)from; i < h->log.n; i++) {
		const struct irqsim_event *e = &h->log.ev[i];

		/* the engine's function entry/exit records are not events */
		if (e->kind != IRQSIM_EV_TRACE)
			continue;
		if (fn && strcmp(e->fn, fn))
			continue;
		if (text && !strstr(e->text, text))
			continue;
		return (int)i;
	}
	return -1;
}

static inline int harness_count_events(struct harness *h, const char *fn,
				       const char *text)
{
	int n = 0;

	for (int i = harness_event(h, 0, fn, text); i >= 0;
	     i = harness_event(h, i + 1, fn, text))
		n++;
	return n;
}

/* The event must exist; its index. */
static inline int harness_expect_event(struct harness *h, int from,
				       const char *fn, const char *text)
{
	int i = harness_event(h, from, fn, text);

	if (i < 0) {
		print_error("no event %s: '%s' after index %d; log:\n",
			    fn ? fn : "*", text ? text : "", from);
		for (size_t k = 0; k < h->log.n; k++)
			print_error("  %zu %s: %s\n", k, h->log.ev[k].fn,
				    h->log.ev[k].text);
		fail();
	}
	return i;
}

static inline int harness_irr_count(struct harness *h, int cpu)
{
	int n = 0;

	for (int i = 0; i < APIC_IRR_WORDS; i++)
		n += __builtin_popcount(harness_apic(h)->cpu[cpu].lapic.irr[i]);
	return n;
}

static inline int harness_isr_count(struct harness *h, int cpu)
{
	int n = 0;

	for (int i = 0; i < APIC_IRR_WORDS; i++)
		n += __builtin_popcount(harness_apic(h)->cpu[cpu].lapic.isr[i]);
	return n;
}

#endif /* IRQSIM_TESTS_HARNESS_H */
