// SPDX-License-Identifier: MIT
/*
 * The model assembled from a scenario: the world its setup leaves, the
 * runtime its runs read (programs, knobs, the race windows it can open),
 * and the engine's ops table (the machine's transitions and the oracles).
 */
#include "machine/machine.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

void scenario_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	vmm_init();
	check_init();
}

static const struct irqsim_program no_programs[IRQSIM_MAX_ACTORS];

int scenario_world(const struct scenario *s, const int *knobs,
		   struct vmm_world *w, char *err, size_t errlen)
{
	struct irqsim_rt rt = {
		.prog = no_programs,
		.knob = knobs,
		.model_data = (void *)&s->machine,
	};
	struct irqsim_ctx ctx = { .world = w, .rt = &rt };
	struct sched_world *sw = &w->vfio.msi.irq.apic.sched;
	struct irqsim_log log;
	bool debug = getenv("IRQSIM_DEBUG_SETUP") != NULL;

	irqsim_log_init(&log);
	if (debug)
		rt.log = &log;

	machine_world_init(w, &s->machine);
	for (int c = 0; c < s->machine.nr_cpus; c++)
		if (irq_matrix_use_up(&w->vfio.msi.irq.apic, c,
				      s->matrix_used[c])) {
			snprintf(err, errlen, "%s: matrix-used: cpu%d has fewer than %d free vectors",
				 s->file, c, s->matrix_used[c]);
			return -EINVAL;
		}
	for (int d = 0; d < s->ndev; d++) {
		msi_add_device(&w->vfio.msi, s->dev[d].nvec, s->dev[d].behaviour,
			       s->dev[d].affinity);
		if (s->dev[d].msi != SCENARIO_MSIX) {
			struct pci_dev *pdev = &w->vfio.msi.dev[d];

			pdev->msi_plain = 1;
			pdev->msi_maskbit = s->dev[d].msi == SCENARIO_MSI_MASKABLE;
			/* an MSI capability resets unmasked, QEMU's copy too */
			pdev->table[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
			w->qdev[d].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
		}
		if (s->dev[d].intx != SCENARIO_INTX_NONE &&
		    pci_intx_init(&w->vfio.msi, d,
				  s->dev[d].intx == SCENARIO_INTX_PCI23,
				  knobs[msi_knob_intx_flow]) < 0) {
			snprintf(err, errlen, "%s: %s: no irq for its INTx pin",
				 s->file, s->dev[d].name);
			return -EINVAL;
		}
	}
	for (int i = 0; i < s->nsetup; i++) {
		const struct irqsim_op *op = &s->setup[i].op;
		int budget = 10000;

		ctx.actor = s->setup[i].actor;
		irqsim_push_frame(w, ctx.actor, op->fn, op->arg[0], op->arg[1],
				  op->arg[2], op->arg[3]);
		while (sw->actor[ctx.actor].nframes && budget--) {
			if (irqsim_actor_step(&ctx) == IRQSIM_BLOCKED) {
				snprintf(err, errlen,
					 "%s:%d: setup operation blocked", s->file,
					 op->line);
				return -EINVAL;
			}
		}
		if (budget < 0 || sw->warnings) {
			snprintf(err, errlen,
				 "%s:%d: setup operation did not complete cleanly",
				 s->file, op->line);
			return -EINVAL;
		}
	}
	if (debug) {
		struct trace_run run = { .name = s->name, .log = &log,
					 .m = &s->machine };

		trace_render(stderr, TRACE_TEXT, &run);
		irqsim_log_free(&log);
	}
	sw->step = 0;
	return 0;
}

const struct irqsim_model scenario_model = {
	.world_size = sizeof(struct vmm_world),
	.enabled = machine_enabled,
	.fire = machine_fire,
	.check_step = check_step,
	.check_end = check_end,
	.transition_name = machine_transition_name,
	.transition_parse = machine_transition_parse,
	.canonical = machine_canonical,
	.nprocs = machine_nprocs,
	.proc_next = machine_proc_next,
	.transition_actor = machine_transition_actor,
	.invariant_vacuous = check_invariant_vacuous,
	.check_invariant = check_step_invariant,
	.check_local = check_step_local,
	.invariant_bytes = check_invariant_bytes,
	.windows = check_windows,
};

/* What an operation brings that a race window needs (check_have). */
static uint32_t op_have(int fn)
{
	if (fn == fn_qemu_vfio_msix_enable || fn == fn_guest_msix_enable ||
	    fn == fn_guest_request_irq || fn == fn_guest_msix_disable ||
	    fn == fn_guest_msi_enable)
		return CHECK_HAVE_MSI | CHECK_HAVE_VFIO;
	if (fn == fn_pci_msix_enable || fn == fn_pci_msi_enable)
		return CHECK_HAVE_MSI;
	if (fn == fn_cpu_offline || fn == fn_guest_cpu_offline)
		return CHECK_HAVE_OFFLINE | CHECK_HAVE_HOST_MOVE;
	if (fn == fn_host_set_affinity)
		return CHECK_HAVE_HOST_MOVE;
	return 0;
}

void scenario_rt(const struct scenario *s, const int *knobs,
		 struct irqsim_log *log, struct irqsim_rt *rt)
{
	uint32_t have = 0;

	rt->prog = s->prog;
	rt->knob = knobs;
	rt->log = log;
	rt->model_data = (void *)&s->machine;
	rt->ignore = 0;		/* every verdict kind judged unless told */
	rt->ignore_scoped = NULL;
	rt->nignore_scoped = 0;
	rt->scope = (struct irqsim_object){ .type = CHECK_OBJ_NONE };
	for (int d = 0; d < s->ndev; d++) {
		if (s->dev[d].intx != SCENARIO_INTX_NONE)
			have |= CHECK_HAVE_INTX;
		if (s->dev[d].msi == SCENARIO_MSI_NOMASK)
			have |= CHECK_HAVE_MSI_NOMASK;
	}
	if (s->machine.nldev)
		have |= CHECK_HAVE_IOAPIC;
	for (int a = 0; a < IRQSIM_MAX_ACTORS; a++)
		for (int i = 0; i < s->prog[a].nops; i++)
			have |= op_have(s->prog[a].op[i].fn);
	for (int i = 0; i < s->nsetup; i++)
		have |= op_have(s->setup[i].op.fn);
	/* an IRTE is posted only with the knob on */
	if (knobs[msi_knob_posted_intr])
		have |= CHECK_HAVE_POSTED;
	rt->windows = check_windows_possible(have);
}

void scenario_ignore_rt(const struct scenario_ignore *ig,
			struct irqsim_rt *rt)
{
	rt->ignore = ig->kinds;
	rt->ignore_scoped = ig->n ? ig->scoped : NULL;
	rt->nignore_scoped = ig->n;
	rt->scope = ig->only;
}
