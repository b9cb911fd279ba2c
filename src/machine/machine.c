// SPDX-License-Identifier: MIT
/*
 * The machine: which actors exist, what each may do next, and the
 * asynchronous events the scheduler chooses the timing of (a CPU taking
 * an interrupt, QEMU's main loop reading an eventfd, a vCPU taking a guest
 * interrupt, a device sending a message it held in its PBA).
 */
#include "machine/machine.h"
#include "machine/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void machine_world_init(struct vmm_world *w, const struct vmm_machine *m)
{
	struct apic_world *aw = &w->vfio.msi.irq.apic;

	memset(w, 0, sizeof(*w));
	memset(aw->sched.lock_owner, -1, sizeof(aw->sched.lock_owner));
	aw->sched.nactors = (uint8_t)m->nactors;
	apic_world_init(aw, m->nr_cpus);
	for (int a = 0; a < m->nactors; a++)
		if (m->actor[a].cpu >= 0)
			apic_bind_actor(aw, a, m->actor[a].cpu,
					m->actor[a].role == ROLE_HARDIRQ);
	for (int i = 1; i < IRQSIM_MAX_IRQS; i++)
		w->vfio.msi.irq.desc[i].action_fn = -1;
	vfio_world_init(&w->vfio);
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++) {
		w->vfio.efd[e].open = 1;
		w->vfio.efd[e].refs = 1;
	}
	for (int d = 0; d < IRQSIM_MAX_DEVS; d++)
		for (int v = 0; v < IRQSIM_MAX_VECS; v++) {
			w->qdev[d].v[v].virq = -1;
			w->qdev[d].v[v].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
				PCI_MSIX_ENTRY_CTRL_MASKBIT;
		}
	vmm_ioapic_reset(w);
	for (int d = 0; d < m->nldev; d++) {
		w->ldev[d].used = 1;
		w->ldev[d].pin = m->ldev_pin[d];
	}
}

/*
 * The canonical form of a world for state fingerprints: counters and step
 * stamps that only the oracles' messages and the summary line read are
 * cleared; the model never branches on them, so two worlds that differ
 * only there behave alike. Counters an oracle judges on (no_irq_handler,
 * the kernel warnings, requests for fault injection) stay.
 */
void machine_canonical(void *scratch)
{
	struct vmm_world *w = scratch;
	struct apic_stats *as = &w->vfio.msi.irq.apic.stats;
	uint8_t hit_after[IRQSIM_MAX_IRQS] = { 0 };

	/*
	 * The stall oracle compares two step stamps of an INTx device
	 * (check.c: was the irq hit while disabled after the assertion it
	 * reports?). The steps themselves are history, and the step counter
	 * is not in the state: kept, a stamp made the successors of one
	 * state depend on the path that reached it (a search's distinct
	 * states depended on its order). Keep only the order, per device.
	 */
	for (int d = 0; d < w->vfio.msi.ndev; d++) {
		const struct pci_dev *pdev = &w->vfio.msi.dev[d];
		const struct irq_desc *desc;

		if (!pdev->intx.present || pdev->intx.irq < 0 ||
		    pdev->intx.irq >= IRQSIM_MAX_IRQS)
			continue;
		desc = &w->vfio.msi.irq.desc[pdev->intx.irq];
		if (desc->disabled_hit_step >= pdev->intx.pending_step)
			hit_after[pdev->intx.irq] |= (uint8_t)(1u << d);
	}

	as->spurious_shutdown = 0;
	as->repaired = 0;
	as->discards = 0;
	as->last_discard_step = 0;
	as->last_discard_slot = 0;
	as->last_discard_cpu = 0;
	as->last_discard_vector = 0;
	as->moved_pending = 0;
	as->force_moved = 0;
	as->retriggered = 0;
	for (int c = 0; c < IRQSIM_MAX_CPUS; c++)
		w->vfio.msi.irq.apic.cpu[c].dead_irr_step = 0;
	for (int d = 0; d < IRQSIM_MAX_DEVS; d++) {
		struct pci_dev *pdev = &w->vfio.msi.dev[d];

		memset(pdev->raised, 0, sizeof(pdev->raised));
		memset(pdev->sent, 0, sizeof(pdev->sent));
		memset(pdev->consumed, 0, sizeof(pdev->consumed));
		memset(pdev->empty_reads, 0, sizeof(pdev->empty_reads));
		memset(pdev->last_raise_step, 0, sizeof(pdev->last_raise_step));
		memset(pdev->pending_step, 0, sizeof(pdev->pending_step));
		/*
		 * INTx: the stamps and read counts only explain a stall in
		 * its message; @raised stays (the storm oracle's bound)
		 */
		pdev->intx.last_raise_step = 0;
		pdev->intx.pending_step = 0;
		pdev->intx.consumed = 0;
		pdev->intx.empty_reads = 0;
		memset(pdev->sent_step, 0, sizeof(pdev->sent_step));
		memset(pdev->sent_cpu, 0, sizeof(pdev->sent_cpu));
		memset(pdev->sent_vector, 0, sizeof(pdev->sent_vector));
		memset(pdev->sent_fate, 0, sizeof(pdev->sent_fate));
		pdev->misdirected = 0;
		pdev->msix_off_events = 0;
		pdev->msix_off_vecs = 0;
		pdev->msix_off_intx = 0;
		pdev->msix_off_step = 0;
	}
	/*
	 * Flow-handler statistics (kstat-like) of every irq that is not a
	 * device's INTx line: only the storm and stall oracles read them,
	 * and only for INTx irqs (judged on the real world, per step).
	 */
	for (int irq = 0; irq < IRQSIM_MAX_IRQS; irq++) {
		struct irq_desc *desc = &w->vfio.msi.irq.desc[irq];
		bool intx = false;

		for (int d = 0; d < w->vfio.msi.ndev; d++)
			intx |= w->vfio.msi.dev[d].intx.present &&
				w->vfio.msi.dev[d].intx.irq == irq;
		if (intx) {
			desc->disabled_hit_step = hit_after[irq];
			continue;
		}
		desc->irq_count = 0;
		desc->entries = 0;
		desc->disabled_hits = 0;
		desc->disabled_hit_step = 0;
	}
	memset(&w->vfio.stats, 0, sizeof(w->vfio.stats));
	memset(&w->guest, 0, sizeof(w->guest));
	w->setirqs_failed_reported = 0;
	w->stop_step = 0;
	/* pi.stale and pi.masked are judged by check_step(): they stay */
	w->pi.posted = 0;
	/* IOAPIC: counters and stamps; misrouted is judged, so it stays */
	{
		uint16_t misrouted = w->iostats.misrouted;

		memset(&w->iostats, 0, sizeof(w->iostats));
		w->iostats.misrouted = misrouted;
	}
	/* the guest's hotplug stamps: only check_lost's step reads them */
	for (int c = 0; c < IRQSIM_MAX_VCPUS; c++) {
		w->vcpu[c].offline_step = 0;
		memset(w->vcpu[c].dead_virr_step, 0,
		       sizeof(w->vcpu[c].dead_virr_step));
	}
	for (int d = 0; d < IRQSIM_MAX_GUEST_IOAPIC_IRQS; d++) {
		w->ldev[d].events = 0;
		w->ldev[d].serviced = 0;
		w->gio[d].handled = 0;
		w->gio[d].irq_none = 0;
	}
}

/* The vCPU takes its highest IOAPIC vector: the guest irq's flow runs. */
static void guest_take_ioapic_vector(struct irqsim_ctx *ctx, int vcpu)
{
	struct vmm_world *w = vmm_w(ctx);
	int vector = kvm_lapic_accept(ctx, vcpu), slot = -1;

	if (vector < 0)
		return;
	for (int s = 0; s < IRQSIM_MAX_GUEST_IOAPIC_IRQS; s++)
		if (w->gio[s].used && GUEST_IOAPIC_VECTOR(s) == vector)
			slot = s;
	trace_kvm_inj_virq(ctx, vcpu, vector);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_LAPIC, vcpu, vector),
		      IRQSIM_ACC_RMW);
	irqsim_push_frame(ctx->world, ctx->actor, fn_guest_ioapic_flow, slot,
			  vector, 0, 0);
}

static bool vcpu_in_guest_irq(const struct vmm_world *w,
			      const struct vmm_machine *m, int vcpu)
{
	int ga = m->guest_irq_actor[vcpu];

	return ga >= 0 && w->vfio.msi.irq.apic.sched.actor[ga].busy;
}

/*
 * The enabledness tests below are inlined into machine_enabled(), the
 * hot path, although machine_proc_next() calls them too (GCC stops
 * inlining them on its own once they have two callers: 9% more
 * instructions per run).
 */
#define ENABLED_TEST static inline __attribute__((always_inline)) bool

ENABLED_TEST actor_enabled(const struct vmm_world *w,
			  const struct irqsim_rt *rt, int a)
{
	const struct vmm_machine *m = rt->model_data;
	const struct apic_world *aw = &w->vfio.msi.irq.apic;

	if (!irqsim_actor_runnable(w, rt, a) || !apic_task_may_run(aw, a))
		return false;
	/*
	 * A stopped VM: a vCPU thread finishes the QEMU code it is in (the
	 * stop request is taken when it leaves), then runs no guest code.
	 */
	if (m->actor[a].role == ROLE_VCPU && w->guest_stopped &&
	    !aw->sched.actor[a].busy)
		return false;
	/* a vCPU thread does not run guest code while in its guest irq */
	if (m->actor[a].role == ROLE_VCPU &&
	    vcpu_in_guest_irq(w, m, m->actor[a].vcpu))
		return false;
	/*
	 * The guest's stop_machine(): the other vCPUs spin in
	 * multi_cpu_stop() and start no guest operation. An offline vCPU
	 * is dead (play_dead, halted with interrupts off) until another
	 * vCPU brings it up.
	 */
	if (m->actor[a].role == ROLE_VCPU &&
	    ((w->guest_stop_owner && w->guest_stop_owner != a + 1) ||
	     (w->vcpu[m->actor[a].vcpu].offline &&
	      !aw->sched.actor[a].busy)))
		return false;
	return true;
}

/* The QEMU eventfd (not bound to an irqfd) the main loop reads next. */
static int qemu_main_ready(const struct vmm_world *w)
{
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e += 2)
		if (w->vfio.efd[e].count && w->vfio.efd[e].irqfd < 0)
			return e;
	return -1;
}

static int lowest_bit(uint32_t x)
{
	return x ? __builtin_ctz(x) : -1;
}

ENABLED_TEST guest_irq_ready(const struct vmm_world *w,
			    const struct irqsim_rt *rt, int vcpu)
{
	const struct vmm_machine *m = rt->model_data;
	int ga = m->guest_irq_actor[vcpu];

	if (ga < 0 || w->vcpu[vcpu].in_host || w->vcpu[vcpu].irqs_off ||
	    w->vcpu[vcpu].atomic || w->vcpu[vcpu].offline ||
	    w->guest_stopped)
		return false;
	if (!w->vcpu[vcpu].virr && guest_lapic_deliverable(w, vcpu) < 0)
		return false;
	if (vcpu_in_guest_irq(w, m, vcpu))
		return false;
	return apic_task_may_run(&w->vfio.msi.irq.apic, ga);
}

/*
 * The vector cleanup timer of @cpu may fire: armed, the CPU online and
 * taking interrupts (the timer interrupt's softirq runs the callback on
 * the CPU's interrupt context here). When it fires against a vector still
 * pending in the IRR is the scheduler's choice, as for any interrupt.
 */
ENABLED_TEST timer_ready(const struct apic_world *aw, int cpu)
{
	const struct apic_cpu *c = &aw->cpu[cpu];

	return c->cleanup_timer && c->online && c->atomic_owner < 0 &&
	       c->irq_actor >= 0 && !aw->sched.actor[c->irq_actor].busy;
}

/* QEMU's main loop is idle and its thread may run. */
ENABLED_TEST qemu_main_may_run(const struct vmm_world *w,
			      const struct vmm_machine *m)
{
	return m->qemu_main_actor >= 0 &&
	       !w->vfio.msi.irq.apic.sched.actor[m->qemu_main_actor].busy &&
	       apic_task_may_run(&w->vfio.msi.irq.apic, m->qemu_main_actor);
}

/*
 * The hot path: machine_proc_next() for every source, unrolled by kind
 * (cli/test_proc_next checks that the two agree).
 */
int machine_enabled(const void *world, const struct irqsim_rt *rt,
		    uint16_t *out)
{
	const struct vmm_world *w = world;
	const struct vmm_machine *m = rt->model_data;
	int n = 0;

	for (int a = 0; a < m->nactors; a++)
		if (actor_enabled(w, rt, a))
			out[n++] = (uint16_t)(T_STEP << 8 | a);
	for (int c = 0; c < m->nr_cpus; c++)
		if (apic_deliverable(&w->vfio.msi.irq.apic, c) >= 0)
			out[n++] = (uint16_t)(T_IRQ << 8 | c);
	if (qemu_main_may_run(w, m)) {
		int e = qemu_main_ready(w);

		if (e >= 0)
			out[n++] = (uint16_t)(T_QEMU_MAIN << 8 | e);
	}
	for (int v = 0; v < m->nr_vcpus; v++)
		if (guest_irq_ready(w, rt, v))
			out[n++] = (uint16_t)(T_GUEST_IRQ << 8 | v);
	for (int d = 0; d < w->vfio.msi.ndev; d++)
		if (msi_device_pending(&w->vfio.msi, d) >= 0)
			out[n++] = (uint16_t)(T_DEV_PBA << 8 | d);
	if (w->ioapic.delayed && qemu_main_may_run(w, m))
		out[n++] = (uint16_t)(T_IOAPIC_TIMER << 8);
	for (int c = 0; c < m->nr_cpus; c++)
		if (timer_ready(&w->vfio.msi.irq.apic, c))
			out[n++] = (uint16_t)(T_TIMER << 8 | c);
	if (w->irqfd_inject)
		out[n++] = (uint16_t)(T_KVM_INJECT << 8 |
				      lowest_bit(w->irqfd_inject));
	return n;
}

/*
 * The transition sources, in machine_enabled()'s order: each actor, each
 * CPU's interrupt entry, QEMU's main loop, each vCPU's guest interrupt
 * entry, each device's PBA, the IOAPIC's EOI timer, each CPU's vector
 * cleanup timer, KVM's queued irqfd injections (one worker, the lowest
 * GSI first). One source has at most one transition at a time.
 */
int machine_nprocs(const struct irqsim_rt *rt)
{
	const struct vmm_machine *m = rt->model_data;

	return m->nactors + m->nr_cpus + 1 + m->nr_vcpus + IRQSIM_MAX_DEVS +
	       1 + m->nr_cpus + 1;
}

bool machine_proc_next(const void *world, const struct irqsim_rt *rt,
		       int proc, uint16_t *code)
{
	const struct vmm_world *w = world;
	const struct vmm_machine *m = rt->model_data;
	const struct apic_world *aw = &w->vfio.msi.irq.apic;
	int e;

	if (proc < m->nactors) {
		*code = (uint16_t)(T_STEP << 8 | proc);
		return actor_enabled(w, rt, proc);
	}
	proc -= m->nactors;
	if (proc < m->nr_cpus) {
		*code = (uint16_t)(T_IRQ << 8 | proc);
		return apic_deliverable(aw, proc) >= 0;
	}
	proc -= m->nr_cpus;
	if (proc == 0) {
		if (!qemu_main_may_run(w, m))
			return false;
		e = qemu_main_ready(w);
		*code = (uint16_t)(T_QEMU_MAIN << 8 | (e < 0 ? 0 : e));
		return e >= 0;
	}
	proc -= 1;
	if (proc < m->nr_vcpus) {
		*code = (uint16_t)(T_GUEST_IRQ << 8 | proc);
		return guest_irq_ready(w, rt, proc);
	}
	proc -= m->nr_vcpus;
	if (proc < IRQSIM_MAX_DEVS) {
		*code = (uint16_t)(T_DEV_PBA << 8 | proc);
		return proc < w->vfio.msi.ndev &&
		       msi_device_pending(&w->vfio.msi, proc) >= 0;
	}
	proc -= IRQSIM_MAX_DEVS;
	if (proc == 0) {
		*code = (uint16_t)(T_IOAPIC_TIMER << 8);
		return w->ioapic.delayed && qemu_main_may_run(w, m);
	}
	proc -= 1;
	if (proc < m->nr_cpus) {
		*code = (uint16_t)(T_TIMER << 8 | proc);
		return timer_ready(aw, proc);
	}
	*code = (uint16_t)(T_KVM_INJECT << 8 | lowest_bit(w->irqfd_inject));
	return w->irqfd_inject != 0;
}

void machine_fire(struct irqsim_ctx *ctx, uint16_t t)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct vmm_machine *m = vmm_machine(ctx);
	int index = t & 0xff;
	int idx;

	switch (t >> 8) {
	case T_STEP:
		ctx->actor = index;
		/* guest code runs: KVM entered the vCPU (requests, PIR) */
		if ((m->actor[index].role == ROLE_VCPU ||
		     m->actor[index].role == ROLE_GUEST_IRQ) &&
		    !w->vcpu[m->actor[index].vcpu].in_host)
			kvm_vcpu_enter(ctx, m->actor[index].vcpu);
		irqsim_actor_step(ctx);
		/* a guest stop_machine() waits for vCPUs to leave sections */
		if ((m->actor[index].role == ROLE_VCPU ||
		     m->actor[index].role == ROLE_GUEST_IRQ) &&
		    !w->vfio.msi.irq.apic.sched.actor[index].blocked)
			irqsim_wake(ctx->world, VMM_TOKEN_GUEST_STOP);
		break;
	case T_IRQ:
		ctx->actor = w->vfio.msi.irq.apic.cpu[index].irq_actor;
		apic_accept_interrupt(ctx, index);
		break;
	case T_QEMU_MAIN:
		ctx->actor = m->qemu_main_actor;
		idx = index / 2;
		if (idx >= IRQSIM_MAX_GSIS)
			irqsim_push_frame(ctx->world, ctx->actor,
					  fn_vfio_intx_interrupt,
					  idx - IRQSIM_MAX_GSIS, 0, 0, 0);
		else
			irqsim_push_frame(ctx->world, ctx->actor,
					  fn_vfio_msi_interrupt,
					  idx / IRQSIM_MAX_VECS,
					  idx % IRQSIM_MAX_VECS, 0, 0);
		irqsim_actor_step(ctx);
		break;
	case T_GUEST_IRQ:
		ctx->actor = m->guest_irq_actor[index];
		kvm_vcpu_enter(ctx, index);
		if (!w->vcpu[index].virr) {
			guest_take_ioapic_vector(ctx, index);
			break;
		}
		idx = lowest_bit(w->vcpu[index].virr);
		w->vcpu[index].virr &= ~(1u << idx);
		trace_kvm_inj_virq(ctx, index, GUEST_VECTOR_BASE + idx);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_VIRR, index, idx),
			      IRQSIM_ACC_RMW);
		if (idx >= IRQSIM_MAX_GSIS) {
			/* a device's INTx, level: in service until EOI */
			w->qdev[idx - IRQSIM_MAX_GSIS].intx.guest_in_service = 1;
			w->guest.intx_irqs++;
			irqsim_push_frame(ctx->world, ctx->actor,
					  fn_guest_intx_handler,
					  idx - IRQSIM_MAX_GSIS, 0, 0, 0);
		} else {
			irqsim_push_frame(ctx->world, ctx->actor,
					  fn_guest_irq_handler,
					  idx / IRQSIM_MAX_VECS,
					  idx % IRQSIM_MAX_VECS, 0, 0);
		}
		break;
	case T_DEV_PBA:
		ctx->actor = m->dev_actor[index];
		idx = msi_device_pending(&w->vfio.msi, index);
		trace_msi_send_pending(ctx, index, idx);
		msi_device_send_pending(ctx, index, idx);
		break;
	case T_IOAPIC_TIMER:
		ctx->actor = m->qemu_main_actor;
		irqsim_push_frame(ctx->world, ctx->actor,
				  fn_delayed_ioapic_service_cb, 0, 0, 0, 0);
		irqsim_actor_step(ctx);
		break;
	case T_TIMER:
		ctx->actor = w->vfio.msi.irq.apic.cpu[index].irq_actor;
		/* the timer is no longer pending once its callback runs */
		w->vfio.msi.irq.apic.cpu[index].cleanup_timer = 0;
		trace_timer_expire_entry(ctx, index);
		irqsim_push_frame(ctx->world, ctx->actor,
				  fn_vector_cleanup_callback, index, 0, 0, 0);
		irqsim_actor_step(ctx);
		break;
	case T_KVM_INJECT:
		/* a kworker of the host; the event belongs to the device */
		ctx->actor = m->dev_actor[index / IRQSIM_MAX_VECS];
		kvm_irqfd_inject(ctx, index);
		break;
	}
}

/*
 * The actor transition @t runs as: machine_fire() sets ctx->actor to it.
 * A source with no actor of its own runs on the actor whose context it
 * enters (a CPU's interrupt entry on that CPU's interrupt actor).
 */
int machine_transition_actor(const void *world, const struct irqsim_rt *rt,
			     uint16_t t)
{
	const struct vmm_world *w = world;
	const struct vmm_machine *m = rt->model_data;
	int index = t & 0xff;

	switch (t >> 8) {
	case T_STEP:
		return index;
	case T_IRQ:
	case T_TIMER:
		return w->vfio.msi.irq.apic.cpu[index].irq_actor;
	case T_QEMU_MAIN:
	case T_IOAPIC_TIMER:
		return m->qemu_main_actor;
	case T_GUEST_IRQ:
		return m->guest_irq_actor[index];
	case T_DEV_PBA:
		return m->dev_actor[index];
	case T_KVM_INJECT:
		return m->dev_actor[index / IRQSIM_MAX_VECS];
	}
	return -1;
}

static const char *const kind_suffix[] = {
	[T_IRQ] = "irq",
	[T_QEMU_MAIN] = "efd",
	[T_GUEST_IRQ] = "virq",
	[T_DEV_PBA] = "pba",
	[T_IOAPIC_TIMER] = "timer",
	[T_TIMER] = "timer",
	[T_KVM_INJECT] = "inject",
};

/*
 * Names: an actor's step is its name ("qemu", "cpu1"); a CPU taking an
 * interrupt "cpu1:irq"; the main loop reading eventfd 4 "main:efd4"; vCPU 0
 * taking a guest interrupt "vcpu0:virq"; device 0 sending from its PBA
 * "dev0:pba"; CPU 0's vector cleanup timer "cpu0:timer"; KVM's queued
 * irqfd_inject() of GSI 4 "gsi4:inject".
 */
const char *machine_transition_name(const void *world,
				    const struct irqsim_rt *rt, uint16_t t,
				    char *buf, size_t len)
{
	const struct vmm_machine *m = rt->model_data;
	int kind = t >> 8, index = t & 0xff;

	(void)world;
	switch (kind) {
	case T_STEP:
		snprintf(buf, len, "%s", m->actor[index].name);
		break;
	case T_IRQ:
		snprintf(buf, len, "cpu%d:irq", index);
		break;
	case T_QEMU_MAIN:
		snprintf(buf, len, "main:efd%d", index);
		break;
	case T_GUEST_IRQ:
		snprintf(buf, len, "vcpu%d:virq", index);
		break;
	case T_DEV_PBA:
		snprintf(buf, len, "dev%d:pba", index);
		break;
	case T_IOAPIC_TIMER:
		snprintf(buf, len, "ioapic:timer");
		break;
	case T_TIMER:
		snprintf(buf, len, "cpu%d:timer", index);
		break;
	case T_KVM_INJECT:
		snprintf(buf, len, "gsi%d:inject", index);
		break;
	default:
		snprintf(buf, len, "?%u", t);
	}
	return buf;
}

int machine_transition_parse(const struct irqsim_rt *rt, const char *name)
{
	const struct vmm_machine *m = rt->model_data;
	const char *colon = strchr(name, ':');
	char *end;
	long index;

	/*
	 * An actor by a scan of at most IRQSIM_MAX_ACTORS names: the machine
	 * is plain data, copied with its scenario, and holds no hash table.
	 */
	if (!colon) {
		for (int a = 0; a < m->nactors; a++)
			if (!strcmp(m->actor[a].name, name))
				return T_STEP << 8 | a;
		return -1;
	}
	if (!strcmp(name, "ioapic:timer"))
		return T_IOAPIC_TIMER << 8;
	if (!strncmp(name, "main:efd", 8)) {
		index = strtol(name + 8, &end, 10);
		if (end == name + 8 || *end || index < 0 ||
		    index >= IRQSIM_MAX_EVENTFDS)
			return -1;
		return T_QEMU_MAIN << 8 | (int)index;
	}
	for (int kind = T_IRQ; kind <= T_KVM_INJECT; kind++) {
		static const char *const prefix[] = {
			[T_IRQ] = "cpu", [T_QEMU_MAIN] = "main",
			[T_GUEST_IRQ] = "vcpu", [T_DEV_PBA] = "dev",
			[T_TIMER] = "cpu", [T_KVM_INJECT] = "gsi",
		};
		size_t plen;

		/* ioapic:timer and main:efdN are parsed above */
		if (!prefix[kind] || kind == T_QEMU_MAIN)
			continue;
		plen = strlen(prefix[kind]);
		if (strcmp(colon + 1, kind_suffix[kind]) ||
		    strncmp(name, prefix[kind], plen))
			continue;
		index = strtol(name + plen, &end, 10);
		if (end == name + plen || end != colon || index < 0 ||
		    index > 255)
			return -1;
		return kind << 8 | (int)index;
	}
	return -1;
}
