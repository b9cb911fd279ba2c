// SPDX-License-Identifier: MIT
/*
 * The oracles (src/check/check.c): each kind fires on a world built to
 * violate it, stays silent on a clean one, and is silenced by its ignore
 * bit (an expect line's ignore=) so the next finding can be judged.
 *
 * The clean world is a VFIO guest after a whole mask/unmask cycle with a
 * device event handled by the guest driver. Each case changes the fewest
 * fields that make the violation, starting from a copy of that world.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define VM							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor qemu cpu=0\n"					\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 0\n"
#define CLEAN_RUN						\
	"vcpu0: guest_msix_mask nic0 0\n"			\
	"vcpu0: guest_msix_unmask nic0 0\n"			\
	"nic0: raise 0\n"

#define CPU 1
#define VEC FIRST_EXTERNAL_VECTOR
#define BIT(kind) (1u << (kind))

static struct harness h;
static struct vmm_world clean;
static struct irqsim_program clean_prog[IRQSIM_MAX_ACTORS];

static int load_clean(void **state)
{
	(void)state;
	harness_load(&h, VM CLEAN_RUN);
	/* A schedule that keeps the event away from the swaps. */
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->guest.handled, 1);
	clean = *h.w;
	memcpy(clean_prog, h.s.prog, sizeof(clean_prog));
	return 0;
}

static void reset(void)
{
	*h.w = clean;
	memcpy(h.s.prog, clean_prog, sizeof(clean_prog));
	h.ncalls = 0;
	h.rt.ignore = 0;
}

static int unload(void **state)
{
	(void)state;
	reset();
	harness_done(&h);
	return 0;
}

static int step_kind(struct irqsim_verdict *v)
{
	memset(v, 0, sizeof(*v));
	return check_step(h.w, &h.rt, v);
}

static int end_kind(struct irqsim_verdict *v)
{
	memset(v, 0, sizeof(*v));
	return check_end(h.w, &h.rt, false, v);
}

static void expect_what(const struct irqsim_verdict *v, const char *text)
{
	if (!strstr(v->what, text)) {
		print_error("verdict '%s' does not say '%s'\n", v->what, text);
		fail();
	}
}

static void oracles_clean_world_silent_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	reset();
	assert_int_equal(step_kind(&v), CHECK_NONE);
	assert_int_equal(end_kind(&v), CHECK_NONE);
	assert_int_equal(v.kind, CHECK_NONE);
	assert_string_equal(v.what, "");
	/* Stays clean with every bit ignored, too. */
	h.rt.ignore = ~0u;
	assert_int_equal(step_kind(&v), CHECK_NONE);
	assert_int_equal(end_kind(&v), CHECK_NONE);
}

static void model_warning_fires_and_is_ignorable_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	reset();
	harness_sched(&h)->warnings = 1;
	assert_int_equal(step_kind(&v), CHECK_MODEL_WARNING);
	expect_what(&v, "bug in irqsim");
	assert_int_equal(v.step, harness_sched(&h)->step - 1);
	h.rt.ignore = BIT(CHECK_MODEL_WARNING);
	assert_int_equal(step_kind(&v), CHECK_NONE);
}

static void binding_lost_fires_unless_vector_lock_held_test(void **state)
{
	struct irqsim_verdict v;
	int irq;

	(void)state;
	reset();
	irq = harness_irq(&h, 0, 0);
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	/* The pre-v6.17 entry's unlocked write of VECTOR_UNUSED. */
	harness_apic(&h)->cpu[CPU].vector_irq[VEC] = VECTOR_UNUSED;
	assert_int_equal(step_kind(&v), CHECK_BINDING_LOST);
	expect_what(&v, "vector_irq[cpu1][32] = UNUSED");
	/*
	 * Every legitimate slot update happens under vector_lock: while it
	 * is held the slot may be between two writes.
	 */
	harness_sched(&h)->lock_owner[APIC_LOCK_VECTOR] =
		(int8_t)harness_actor(&h, "qemu");
	assert_int_equal(step_kind(&v), CHECK_NONE);
	harness_sched(&h)->lock_owner[APIC_LOCK_VECTOR] = -1;
	h.rt.ignore = BIT(CHECK_BINDING_LOST);
	assert_int_equal(step_kind(&v), CHECK_NONE);

	/* An irq without a real vector has no binding to lose. */
	reset();
	harness_apicd(&h, irq)->vector = 0;
	harness_apic(&h)->cpu[CPU].vector_irq[VEC] = VECTOR_SHUTDOWN;
	assert_int_equal(step_kind(&v), CHECK_NONE);

	/*
	 * Nor an irq no interrupt can arrive for: __free_irq() shut it down
	 * (the device's entry is masked), the CPU went offline before the
	 * deactivation, and fixup_irqs() reset the slot it skipped.
	 */
	reset();
	h.w->vfio.msi.irq.desc[irq].irqd &= ~IRQD_IRQ_STARTED;
	harness_apic(&h)->cpu[CPU].vector_irq[VEC] = VECTOR_UNUSED;
	assert_int_equal(step_kind(&v), CHECK_NONE);
	h.w->vfio.msi.irq.desc[irq].irqd |= IRQD_IRQ_STARTED;
	assert_int_equal(step_kind(&v), CHECK_BINDING_LOST);
}

static void kernel_warnings_fire_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	reset();
	harness_irqw(&h)->stats.free_already_free = 1;
	assert_int_equal(step_kind(&v), CHECK_KERNEL_WARNING);
	expect_what(&v, "Trying to free already-free IRQ");
	reset();
	harness_irqw(&h)->stats.unbalanced_enable = 1;
	assert_int_equal(step_kind(&v), CHECK_KERNEL_WARNING);
	expect_what(&v, "Unbalanced enable");
	h.rt.ignore = BIT(CHECK_KERNEL_WARNING);
	assert_int_equal(step_kind(&v), CHECK_NONE);
}

static void no_irq_handler_fires_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	reset();
	harness_apic(&h)->stats.no_irq_handler = 1;
	harness_apic(&h)->stats.last_discard_cpu = CPU;
	harness_apic(&h)->stats.last_discard_vector = 0x21;
	assert_int_equal(step_kind(&v), CHECK_NO_IRQ_HANDLER);
	expect_what(&v, "cpu1 vector 33: No irq handler");
	h.rt.ignore = BIT(CHECK_NO_IRQ_HANDLER);
	assert_int_equal(step_kind(&v), CHECK_NONE);
}

static void step_oracles_order_and_ignore_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	reset();
	/* Three findings at once: a model bug is reported first ... */
	harness_sched(&h)->warnings = 1;
	harness_apic(&h)->cpu[CPU].vector_irq[VEC] = VECTOR_UNUSED;
	harness_apic(&h)->stats.no_irq_handler = 1;
	assert_int_equal(step_kind(&v), CHECK_MODEL_WARNING);
	/* ... ignoring kinds lets the next one through. */
	h.rt.ignore = BIT(CHECK_MODEL_WARNING);
	assert_int_equal(step_kind(&v), CHECK_BINDING_LOST);
	h.rt.ignore |= BIT(CHECK_BINDING_LOST);
	assert_int_equal(step_kind(&v), CHECK_NO_IRQ_HANDLER);
	h.rt.ignore |= BIT(CHECK_NO_IRQ_HANDLER);
	assert_int_equal(step_kind(&v), CHECK_NONE);
}

static void lost_interrupt_fires_unless_held_test(void **state)
{
	struct pci_dev *pdev;
	struct irqsim_verdict v;

	(void)state;
	reset();
	pdev = harness_pdev(&h, 0);
	/* An unread event of a wait-for-ack device nobody will see. */
	pdev->status |= 1;
	pdev->pending_step[0] = 5;
	harness_apic(&h)->stats.discards = 0;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_what(&v, "dev0 vector 0: the event raised at step 5");
	expect_what(&v, "waits for an ack forever");
	/* No discard after the raise: inevitable from the raise on. */
	assert_int_equal(v.step, 5);

	/* A discard after the raise is where it became inevitable. */
	harness_apic(&h)->stats.discards = 1;
	harness_apic(&h)->stats.last_discard_step = 7;
	harness_apic(&h)->stats.last_discard_cpu = CPU;
	harness_apic(&h)->stats.last_discard_vector = VEC;
	harness_apic(&h)->stats.last_discard_slot = VECTOR_SHUTDOWN;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	assert_int_equal(v.step, 7);
	expect_what(&v, "discarded at step 7");
	expect_what(&v, "found SHUTDOWN");
	/* A discard before the raise is not this event's. */
	harness_apic(&h)->stats.last_discard_step = 3;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	assert_int_equal(v.step, 5);
	assert_null(strstr(v.what, "discarded"));

	/*
	 * No discard: the message's fate names the step and the mechanism
	 * (issue 23 item 4: it said "became inevitable" at the raise).
	 * An MSI merged into an IRR bit already set: one interrupt for
	 * both, and the handler taken was another irq's.
	 */
	pdev->sent[0] = 1;
	pdev->sent_step[0] = 6;
	pdev->sent_cpu[0] = CPU;
	pdev->sent_vector[0] = VEC;
	pdev->sent_fate[0] = MSI_FATE_MERGED;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	assert_int_equal(v.step, 6);
	expect_what(&v, "merged into cpu1's IRR bit for vector 32");
	/* A message to a CPU whose APIC is dead. */
	pdev->sent_fate[0] = MSI_FATE_DEAD_APIC;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	assert_int_equal(v.step, 6);
	expect_what(&v, "went to cpu1, which was offline");
	/*
	 * Left in the IRR of a CPU that went offline after fixup_irqs()
	 * looked at it: lost where the CPU went down.
	 */
	pdev->sent_fate[0] = MSI_FATE_IRR;
	harness_apic(&h)->cpu[CPU].online = 0;
	harness_apic(&h)->cpu[CPU].dead_irr_step = 9;
	apic_vector_set(harness_apic(&h)->cpu[CPU].lapic.irr, VEC);
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	assert_int_equal(v.step, 9);
	expect_what(&v, "pending in the IRR of cpu1 (vector 32), which went offline at step 9");
	/* A message sent before the raise is not this event's. */
	pdev->sent_step[0] = 4;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	assert_int_equal(v.step, 5);
	apic_vector_clear(harness_apic(&h)->cpu[CPU].lapic.irr, VEC);
	harness_apic(&h)->cpu[CPU].online = 1;
	harness_apic(&h)->cpu[CPU].dead_irr_step = 0;
	pdev->sent[0] = 0;
	pdev->sent_fate[0] = MSI_FATE_NONE;

	/*
	 * The guest masking the vector holds nothing by itself (the missed
	 * loss of issue 23: an MSI discarded before QEMU's PBA was set is
	 * gone, and no unmask can replay it) ...
	 */
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
		PCI_MSIX_ENTRY_CTRL_MASKBIT;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	/* ... only QEMU's PBA does: the guest's unmask replays it. */
	h.w->qdev[0].v[0].pba = 1;
	assert_int_equal(end_kind(&v), CHECK_NONE);
	h.w->qdev[0].v[0].pba = 0;
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
	/* Held: the device's PBA (a host-masked entry sends on unmask). */
	pdev->pba |= 1u;
	assert_int_equal(end_kind(&v), CHECK_NONE);
	pdev->pba &= ~1u;
	/* Held: a vIRR of a vCPU the guest runs; not of an offline one. */
	h.w->vcpu[0].virr |= 1u;
	assert_int_equal(end_kind(&v), CHECK_NONE);
	h.w->vcpu[0].offline = 1;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	h.w->vcpu[0].offline = 0;
	h.w->vcpu[0].virr &= ~1u;
	/*
	 * Held: the IRR of an online CPU, on the vector whose slot names the
	 * irq; not once the slot is SHUTDOWN (the interrupt is discarded).
	 */
	{
		struct apic_world *aw = harness_apic(&h);
		const struct apic_chip_data *apicd = &aw->apicd[pdev->irq[0]];
		int16_t slot = aw->cpu[apicd->cpu].vector_irq[apicd->vector];

		apic_vector_set(aw->cpu[apicd->cpu].lapic.irr, apicd->vector);
		assert_int_equal(end_kind(&v), CHECK_NONE);
		aw->cpu[apicd->cpu].vector_irq[apicd->vector] = VECTOR_SHUTDOWN;
		assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
		aw->cpu[apicd->cpu].vector_irq[apicd->vector] = slot;
		aw->cpu[apicd->cpu].online = 0;
		assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
		aw->cpu[apicd->cpu].online = 1;
		apic_vector_clear(aw->cpu[apicd->cpu].lapic.irr,
				  apicd->vector);
	}
	/* Held: the driver quiesced the device's interrupt. */
	pdev->intr_enable &= ~1u;
	assert_int_equal(end_kind(&v), CHECK_NONE);
	pdev->intr_enable |= 1u;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	h.rt.ignore = BIT(CHECK_LOST_INTERRUPT);
	assert_int_equal(end_kind(&v), CHECK_NONE);
}

static void vector_without_handler_fires_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	reset();
	/* VFIO dropped the trigger (and its eventfd reference). */
	harness_vfio(&h)->vdev[0].ctx[0].trigger = -1;
	harness_vfio(&h)->efd[qemu_kvm_efd(0, 0)].refs--;
	assert_int_equal(end_kind(&v), CHECK_NO_PATH);
	expect_what(&v, "dev0 vector 0: unmasked in the guest");
	/* Masked in the guest: nothing is expected to arrive. */
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
		PCI_MSIX_ENTRY_CTRL_MASKBIT;
	assert_int_equal(end_kind(&v), CHECK_NONE);
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
	h.rt.ignore = BIT(CHECK_NO_PATH);
	assert_int_equal(end_kind(&v), CHECK_NONE);
}

static void deadlock_fires_on_blocked_actor_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	reset();
	/* igate left held by a thread that is gone. */
	harness_sched(&h)->lock_owner[VFIO_LOCK_IGATE(0)] =
		(int8_t)harness_actor(&h, "main");
	harness_call(&h, "qemu", fn_vfio_set_irqs, 0, 0,
		     qemu_interrupt_efd(0, 0), 0);
	assert_int_equal(harness_run(&h, NULL), CHECK_DEADLOCK);
	expect_what(&h.res.verdict, "qemu cannot proceed (blocked)");
	assert_int_equal(end_kind(&v), CHECK_DEADLOCK);
	h.rt.ignore = BIT(CHECK_DEADLOCK);
	assert_int_equal(end_kind(&v), CHECK_NONE);
	/* An ignored deadlock does not hide what the other oracles see. */
	harness_pdev(&h, 0)->status |= 1;
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
}

static void livelock_fires_at_step_bound_test(void **state)
{
	struct irqsim_verdict v;
	uint32_t bound = h.s.bound;

	(void)state;
	reset();
	memset(&v, 0, sizeof(v));
	assert_int_equal(check_end(h.w, &h.rt, true, &v), CHECK_LIVELOCK);
	expect_what(&v, "step bound hit");

	/* A run that needs more transitions than its bound allows. */
	harness_call(&h, "qemu", fn_vfio_set_irqs, 0, 0,
		     qemu_interrupt_efd(0, 0), 0);
	h.s.bound = harness_sched(&h)->step + 3;
	assert_int_equal(harness_run(&h, NULL), CHECK_LIVELOCK);
	assert_int_equal(h.res.steps, h.s.bound);
	h.s.bound = bound;
	/*
	 * A world stopped at the bound is not quiescent: with livelock
	 * ignored nothing else is judged (an event may still be in flight).
	 */
	h.rt.ignore = BIT(CHECK_LIVELOCK);
	harness_pdev(&h, 0)->status |= 1;
	memset(&v, 0, sizeof(v));
	assert_int_equal(check_end(h.w, &h.rt, true, &v), CHECK_NONE);
}

static void eventfd_leak_fires_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	reset();
	harness_vfio(&h)->efd[qemu_interrupt_efd(0, 0)].refs++;
	assert_int_equal(end_kind(&v), CHECK_EVENTFD_LEAK);
	expect_what(&v, "efd0 holds 2 references, 1 expected (leak)");
	h.rt.ignore = BIT(CHECK_EVENTFD_LEAK);
	assert_int_equal(end_kind(&v), CHECK_NONE);
	/* An ignored eventfd leak does not hide a vector leak. */
	irq_matrix_free(&harness_apic(&h)->matrix, CPU, VEC);
	assert_int_equal(end_kind(&v), CHECK_VECTOR_LEAK);
}

static void vector_leak_fires_test(void **state)
{
	struct apic_world *aw;
	struct irqsim_verdict v;
	unsigned int cpu;

	(void)state;
	reset();
	aw = harness_apic(&h);
	/* A vector allocated in the matrix that no irq holds ... */
	assert_true(irq_matrix_alloc(&aw->matrix, 0x1, false, &cpu, aw) >= 0);
	assert_int_equal(end_kind(&v), CHECK_VECTOR_LEAK);
	expect_what(&v, "matrix has 2 vectors allocated, irqs hold 1");
	h.rt.ignore = BIT(CHECK_VECTOR_LEAK);
	assert_int_equal(end_kind(&v), CHECK_NONE);

	/* ... or an irq holding a vector the matrix gave back. */
	reset();
	irq_matrix_free(&aw->matrix, CPU, VEC);
	assert_int_equal(end_kind(&v), CHECK_VECTOR_LEAK);
	expect_what(&v, "irq1 holds cpu1 vector 32, which the matrix has free");

	/*
	 * Not a leak: irq_matrix_free() on a CPU whose map is offline
	 * leaves total_allocated alone (kernel/irq/matrix.c), so the
	 * count drifts while the bitmaps stay exact.
	 */
	reset();
	harness_apicd(&h, harness_irq(&h, 0, 0))->vector = 0;
	aw->matrix.cpu[CPU].online = 0;
	irq_matrix_free(&aw->matrix, CPU, VEC);
	assert_int_equal(aw->matrix.total_allocated, 1);
	assert_int_equal(end_kind(&v), CHECK_NONE);
}

static void check_kind_names_round_trip_test(void **state)
{
	(void)state;
	for (int k = 0; k < CHECK_NR_KINDS; k++) {
		const char *name = check_kind_name(k);

		assert_string_not_equal(name, "?");
		assert_int_equal(check_kind_parse(name), k);
	}
	assert_string_equal(check_kind_name(CHECK_NONE), "none");
	assert_string_equal(check_kind_name(CHECK_NR_KINDS), "?");
	assert_string_equal(check_kind_name(-1), "?");
	assert_int_equal(check_kind_parse("no-such-verdict"), -1);
}

static void expect_ignore_sets_mask_bits_test(void **state)
{
	static struct scenario sc;
	char err[SCENARIO_ERR] = "";

	(void)state;
	assert_int_equal(scenario_parse(&sc, "ignore.trace",
					VM "expect lost-interrupt ignore=vector-binding-lost,no-irq-handler\n"
					   "expect none\n",
					err, sizeof(err)),
			 0);
	assert_int_equal(sc.nexpect, 2);
	assert_int_equal(sc.expect[0].ignore.kinds,
			 BIT(CHECK_BINDING_LOST) | BIT(CHECK_NO_IRQ_HANDLER));
	assert_int_equal(sc.expect[1].ignore.kinds, 0);
	scenario_free(&sc);
	assert_int_equal(scenario_parse(&sc, "ignore.trace",
					VM "expect none ignore=lost-interrupt,bogus\n",
					err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "ignore.trace:8: ignore=: unknown verdict 'bogus'"));
	scenario_free(&sc);
}

/*
 * masked-delivery: KVM injects into a vector the guest has masked once
 * QEMU's vfio_msix_vector_release() for that mask returned. No faithful
 * configuration of the model gets there (docs/oracles.md, "masked-delivery
 * has no trace"), so the world is built: the guest's mask stored in
 * QEMU's table and the release done, but the host trigger left on the
 * KVM irqfd, which then fires (irqfd_wakeup() injects through the MSI
 * route QEMU keeps while the vector is masked).
 */
static void masked_delivery_fires_on_irqfd_test(void **state)
{
	struct qemu_msix_vector *qv;
	struct irqsim_verdict v;
	struct irqsim_ctx c;

	(void)state;
	reset();
	c = (struct irqsim_ctx){ .world = h.w, .rt = &h.rt };
	qv = &h.w->qdev[0].v[0];
	assert_true(harness_vfio(&h)->efd[qemu_kvm_efd(0, 0)].irqfd >= 0);
	qv->dw[PCI_MSIX_ENTRY_VECTOR_CTRL] |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	qv->released = 1;
	assert_int_equal(step_kind(&v), CHECK_NONE);
	eventfd_signal(&c, qemu_kvm_efd(0, 0));
	assert_int_equal(h.w->vcpu[0].virr, 1u << 0);
	assert_int_equal(step_kind(&v), CHECK_MASKED_DELIVERY);
	assert_non_null(strstr(v.what, "dev0 vector 0"));
	assert_non_null(strstr(v.what, "(irqfd)"));
	h.rt.ignore = BIT(CHECK_MASKED_DELIVERY);
	assert_int_equal(step_kind(&v), CHECK_NONE);
}

/*
 * Not before the release returned (the old trigger may still fire while
 * the SET_IRQS runs: the interrupt was raised before the swap), and not
 * for a vector the guest has unmasked again.
 */
static void masked_delivery_silent_before_release_or_unmasked_test(
	void **state)
{
	struct qemu_msix_vector *qv;
	struct irqsim_verdict v;
	struct irqsim_ctx c;

	(void)state;
	reset();
	c = (struct irqsim_ctx){ .world = h.w, .rt = &h.rt };
	qv = &h.w->qdev[0].v[0];
	qv->dw[PCI_MSIX_ENTRY_VECTOR_CTRL] |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	qv->released = 0;
	eventfd_signal(&c, qemu_kvm_efd(0, 0));
	assert_int_equal(step_kind(&v), CHECK_NONE);

	reset();
	c = (struct irqsim_ctx){ .world = h.w, .rt = &h.rt };
	h.w->qdev[0].v[0].released = 1;
	eventfd_signal(&c, qemu_kvm_efd(0, 0));
	assert_int_equal(step_kind(&v), CHECK_NONE);
}

/*
 * The posted path: an IOMMU with posted interrupts (posted_intr=on) posts
 * through an IRTE still in posted mode after the guest's mask was handled
 * (the world is built as above: QEMU's release returned, the pairing and
 * the IRTE left as they were).
 */
static void masked_delivery_fires_on_posted_irte_test(void **state)
{
	struct harness p;
	struct qemu_msix_vector *qv;
	struct irqsim_verdict v;

	(void)state;
	harness_load(&p, VM "set posted_intr=on\n" CLEAN_RUN);
	assert_int_equal(harness_run(&p, NULL), CHECK_NONE);
	assert_true(harness_msi(&p)->irte[harness_irq(&p, 0, 0)].posted);
	qv = &p.w->qdev[0].v[0];
	qv->dw[PCI_MSIX_ENTRY_VECTOR_CTRL] |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	qv->released = 1;
	harness_call_now(&p, "nic0", fn_pci_dev_raise, 0, 0, 0, 0);
	memset(&v, 0, sizeof(v));
	assert_int_equal(check_step(p.w, &p.rt, &v), CHECK_MASKED_DELIVERY);
	assert_non_null(strstr(v.what, "posted through the IRTE"));
	harness_done(&p);
}

#define T(fn) cmocka_unit_test(fn)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(oracles_clean_world_silent_test),
		T(model_warning_fires_and_is_ignorable_test),
		T(binding_lost_fires_unless_vector_lock_held_test),
		T(kernel_warnings_fire_test),
		T(no_irq_handler_fires_test),
		T(step_oracles_order_and_ignore_test),
		T(lost_interrupt_fires_unless_held_test),
		T(vector_without_handler_fires_test),
		T(eventfd_leak_fires_test),
		T(vector_leak_fires_test),
		T(deadlock_fires_on_blocked_actor_test),
		T(livelock_fires_at_step_bound_test),
		T(check_kind_names_round_trip_test),
		T(expect_ignore_sets_mask_bits_test),
		T(masked_delivery_fires_on_irqfd_test),
		T(masked_delivery_silent_before_release_or_unmasked_test),
		T(masked_delivery_fires_on_posted_irte_test),
	};

	return cmocka_run_group_tests(tests, load_clean, unload);
}
