// SPDX-License-Identifier: MIT
/*
 * Race windows (src/check/windows.c): each predicate opens on the state
 * its race needs and stays shut on the clean world next to it (every
 * oracle but model-warning watches at least one); a
 * scenario lists only the windows its hardware and operations can open;
 * a run records the windows its states opened.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"
#include "sched/explore.h"

#define W(win) (1u << (win))
#define ALL ((1u << CHECK_NR_WINDOWS) - 1)

#define VM							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor qemu cpu=0\n"					\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 0\n"

#define CPU 1
#define VEC FIRST_EXTERNAL_VECTOR

static struct harness h;

static uint32_t open_now(void)
{
	return check_windows(h.w, &h.rt, ALL);
}

static void msi_windows_open_on_their_state_test(void **state)
{
	struct apic_world *aw;
	struct pci_dev *pdev;
	int irq;

	(void)state;
	harness_load(&h, VM);
	aw = harness_apic(&h);
	pdev = harness_pdev(&h, 0);
	irq = harness_irq(&h, 0, 0);
	assert_int_equal(open_now(), 0);

	/* latched on a vector whose slot names the irq: no window */
	apic_vector_set(aw->cpu[CPU].lapic.irr, VEC);
	assert_int_equal(harness_slot(&h, CPU, VEC), irq);
	assert_int_equal(open_now(), 0);
	/* ... on a SHUTDOWN slot: common_interrupt() finds nothing */
	aw->cpu[CPU].vector_irq[VEC] = VECTOR_SHUTDOWN;
	assert_int_equal(open_now(), W(CHECK_WIN_IRR_NO_HANDLER));
	/* a dead APIC latches nothing */
	aw->cpu[CPU].apic_dead = 1;
	assert_int_equal(open_now() & W(CHECK_WIN_IRR_NO_HANDLER), 0);
	aw->cpu[CPU].apic_dead = 0;
	aw->cpu[CPU].vector_irq[VEC] = (int16_t)irq;

	/* pending on a CPU that is no longer online */
	aw->cpu[CPU].online = 0;
	assert_int_equal(open_now(), W(CHECK_WIN_OFFLINE_PENDING));
	aw->cpu[CPU].online = 1;

	/* pending at the old vector of an unfinished move */
	harness_apicd(&h, irq)->move_in_progress = 1;
	harness_apicd(&h, irq)->prev_cpu = CPU;
	harness_apicd(&h, irq)->prev_vector = VEC;
	assert_int_equal(open_now(), W(CHECK_WIN_MOVE_IN_FLIGHT) |
					     W(CHECK_WIN_OLD_VECTOR_HELD));
	harness_apicd(&h, irq)->move_in_progress = 0;
	apic_vector_clear(aw->cpu[CPU].lapic.irr, VEC);
	/* the old vector still held: nothing pending at it */
	assert_int_equal(open_now(), W(CHECK_WIN_OLD_VECTOR_HELD));
	harness_apicd(&h, irq)->prev_vector = 0;
	assert_int_equal(open_now(), 0);

	/* an unread event while the guest has the vector masked */
	pdev->status |= 1;
	assert_int_equal(open_now(), 0);
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
		PCI_MSIX_ENTRY_CTRL_MASKBIT;
	assert_int_equal(open_now(), W(CHECK_WIN_RAISE_MASKED));
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
	/* ... or the function mask */
	pdev->msix_func_mask = 1;
	assert_int_equal(open_now(), W(CHECK_WIN_RAISE_MASKED));
	pdev->msix_func_mask = 0;
	pdev->status = 0;

	/* host MSI-X off while QEMU uses a vector the guest unmasked */
	pdev->msix_enabled = 0;
	assert_int_equal(open_now(), W(CHECK_WIN_MSIX_OFF_LIVE));
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
		PCI_MSIX_ENTRY_CTRL_MASKBIT;
	assert_int_equal(open_now(), 0);
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
	pdev->msix_enabled = 1;

	/* an unmasked entry whose message is not the composed one */
	pdev->table[0].dw[PCI_MSIX_ENTRY_DATA]++;
	assert_int_equal(open_now(), W(CHECK_WIN_STALE_MESSAGE));
	/* masked around the update: the device holds it in the PBA */
	pdev->table[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] |=
		PCI_MSIX_ENTRY_CTRL_MASKBIT;
	assert_int_equal(open_now(), 0);

	/* asked only for other windows, it reports none */
	pdev->table[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
	assert_int_equal(check_windows(h.w, &h.rt,
				       ALL & ~W(CHECK_WIN_STALE_MESSAGE)),
			 0);
	harness_done(&h);
}

/*
 * The windows of the leak, warning, path, posting, deadlock and livelock
 * oracles, each on the state its race needs, on the world of VM.
 */
static void leak_windows_open_on_their_state_test(void **state)
{
	struct apic_world *aw;
	struct vfio_pci_core_device *vdev;
	struct irq_desc *desc;
	struct irte *e;
	int irq, trigger;

	(void)state;
	harness_load(&h, VM);
	aw = harness_apic(&h);
	vdev = &harness_vfio(&h)->vdev[0];
	irq = harness_irq(&h, 0, 0);
	desc = harness_desc(&h, irq);
	trigger = vdev->ctx[0].trigger;
	assert_true(trigger >= 0);
	assert_int_equal(open_now(), 0);

	/* a reference taken that no context holds yet */
	harness_vfio(&h)->efd[trigger].refs++;
	assert_int_equal(open_now(), W(CHECK_WIN_EFD_REF_IN_FLIGHT));
	harness_vfio(&h)->efd[trigger].refs--;

	/* the context's trigger is on no action of its irq */
	desc->action_dev_id++;
	assert_int_equal(open_now(), W(CHECK_WIN_TRIGGER_NO_ACTION));
	desc->action_dev_id--;
	desc->action_fn = (int16_t)~desc->action_fn;
	assert_int_equal(open_now(), W(CHECK_WIN_TRIGGER_NO_ACTION));
	desc->action_fn = (int16_t)~desc->action_fn;

	/*
	 * the context dropped its trigger (a SET_IRQS under way): the
	 * vector is live without one, and the reference not yet put
	 */
	vdev->ctx[0].trigger = -1;
	assert_int_equal(open_now(), W(CHECK_WIN_LIVE_NO_TRIGGER) |
					     W(CHECK_WIN_EFD_REF_IN_FLIGHT));
	/* a vector the guest masked needs none */
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
		PCI_MSIX_ENTRY_CTRL_MASKBIT;
	assert_int_equal(open_now(), W(CHECK_WIN_EFD_REF_IN_FLIGHT));
	h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
	vdev->ctx[0].trigger = (int8_t)trigger;
	assert_int_equal(open_now(), 0);

	/* a posted IRTE the pairing has left: no irqfd consumer posts it */
	e = &harness_msi(&h)->irte[irq];
	*e = (struct irte){ .posted = 1, .vcpu = 0, .gvec = 0,
			    .token = (int8_t)trigger };
	assert_true(kvm_irte_stale(h.w, irq, e) != PI_FRESH);
	assert_int_equal(open_now(), W(CHECK_WIN_IRTE_STALE));
	e->posted = 0;
	assert_int_equal(open_now(), 0);

	/* an old vector held after a move */
	harness_apicd(&h, irq)->prev_cpu = 0;
	harness_apicd(&h, irq)->prev_vector = VEC + 1;
	assert_int_equal(open_now(), W(CHECK_WIN_OLD_VECTOR_HELD));
	harness_apicd(&h, irq)->prev_vector = 0;

	/* an actor waiting */
	harness_sched(&h)->actor[0].blocked = 1;
	assert_int_equal(open_now(), W(CHECK_WIN_ACTOR_BLOCKED));
	harness_sched(&h)->actor[0].blocked = 0;

	/*
	 * pending again while its handler runs, on the host (the CPU's
	 * interrupt context busy with it in service) ...
	 */
	apic_vector_set(aw->cpu[CPU].lapic.isr, VEC);
	harness_sched(&h)->actor[aw->cpu[CPU].irq_actor].busy = 1;
	assert_int_equal(open_now(), 0);
	apic_vector_set(aw->cpu[CPU].lapic.irr, VEC);
	assert_int_equal(open_now(), W(CHECK_WIN_IRR_IN_SERVICE));
	harness_sched(&h)->actor[aw->cpu[CPU].irq_actor].busy = 0;
	assert_int_equal(open_now(), 0);
	apic_vector_clear(aw->cpu[CPU].lapic.isr, VEC);
	apic_vector_clear(aw->cpu[CPU].lapic.irr, VEC);
	/* ... and in the guest */
	h.w->vcpu[0].isr = 1u << 3;
	h.w->vcpu[0].pir = 1u << 3;
	assert_int_equal(open_now(), W(CHECK_WIN_IRR_IN_SERVICE));
	h.w->vcpu[0].isr = h.w->vcpu[0].pir = 0;
	assert_int_equal(open_now(), 0);

	/* a guest IOAPIC irq whose route still names the old vCPU */
	h.w->gio[0] = (struct guest_ioapic_irq){ .used = 1, .pin = 5,
						 .started = 1,
						 .effective = 1 };
	h.w->ioapic_route[5].data = GUEST_IOAPIC_VECTOR_BASE + 1;
	h.w->ioapic_route[5].address = 0;
	assert_int_equal(open_now(), W(CHECK_WIN_IOAPIC_ROUTE_STALE));
	/* the RTE write still under way, or the route updated: closed */
	h.w->gio[0].rte_writing = 1;
	assert_int_equal(open_now(), 0);
	h.w->gio[0].rte_writing = 0;
	h.w->ioapic_route[5].address = 1u << MSI_ADDR_DEST_SHIFT;
	assert_int_equal(open_now(), 0);
	harness_done(&h);
}

/* The INTx windows of state-leak and the unbalanced enable. */
static void intx_leak_and_warning_windows_test(void **state)
{
	struct vfio_pci_core_device *vdev;
	struct irq_desc *desc;
	struct pci_intx *x;

	(void)state;
	harness_load(&h, "cpus 2\n"
			 "device hba0 intx=nopci23 affinity=cpu1\n"
			 "actor drv cpu=0\n");
	x = &harness_pdev(&h, 0)->intx;
	desc = harness_desc(&h, x->irq);
	vdev = &harness_vfio(&h)->vdev[0];
	assert_true(desc->action_fn < 0);
	assert_int_equal(vdev->irq_type, VFIO_PCI_NUM_IRQS);
	assert_int_equal(open_now(), 0);
	/* IRQ_DISABLE_UNLAZY set before the request_irq() */
	desc->settings |= IRQ_DISABLE_UNLAZY;
	assert_int_equal(open_now(), W(CHECK_WIN_HALF_SET_UP));
	desc->settings &= (uint16_t)~IRQ_DISABLE_UNLAZY;
	/* a context before the interrupt type */
	vdev->num_ctx = 1;
	assert_int_equal(open_now(), W(CHECK_WIN_HALF_SET_UP));
	/*
	 * VFIO's INTx, its irq started (depth 0) and then masked by its
	 * handler, the irq not yet disabled
	 */
	vdev->irq_type = VFIO_PCI_INTX_IRQ_INDEX;
	desc->depth = 0;
	assert_int_equal(open_now(), 0);
	vdev->ctx[0].masked = 1;
	assert_int_equal(open_now(), W(CHECK_WIN_MASKED_BUT_ENABLED));
	desc->depth = 1;
	assert_int_equal(open_now(), 0);
	/* a device with DisINTx masks at the device, not the irq */
	desc->depth = 0;
	x->pci_2_3 = 1;
	assert_int_equal(open_now(), 0);
	harness_done(&h);
}

static void intx_and_ioapic_windows_test(void **state)
{
	struct pci_intx *x;
	uint16_t *irqd;

	(void)state;
	harness_load(&h, "cpus 2\n"
			 "device hba0 intx=nopci23 affinity=cpu1\n"
			 "actor drv cpu=0\n");
	x = &harness_pdev(&h, 0)->intx;
	assert_true(x->present);
	assert_true(x->irq > 0);
	irqd = &harness_desc(&h, x->irq)->irqd;
	x->line = 1;
	assert_int_equal(open_now() & W(CHECK_WIN_INTX_LAZY_DISABLED), 0);
	/* disabled, not masked: the lazy disable */
	*irqd |= IRQD_IRQ_DISABLED;
	*irqd &= (uint16_t)~IRQD_IRQ_MASKED;
	assert_int_equal(open_now() & W(CHECK_WIN_INTX_LAZY_DISABLED),
			 W(CHECK_WIN_INTX_LAZY_DISABLED));
	/* masked at the chip: the flow handler already did its part */
	*irqd |= IRQD_IRQ_MASKED;
	assert_int_equal(open_now() & W(CHECK_WIN_INTX_LAZY_DISABLED), 0);

	/* a level pin of QEMU's IOAPIC, asserted, Remote IRR set */
	h.w->ioapic.ioredtbl[11] =
		IOAPIC_LVT_TRIGGER_MODE | IOAPIC_LVT_REMOTE_IRR | 0x21;
	assert_int_equal(open_now() & W(CHECK_WIN_REMOTE_IRR_PENDING), 0);
	h.w->ioapic.irr |= 1u << 11;
	assert_int_equal(open_now() & W(CHECK_WIN_REMOTE_IRR_PENDING),
			 W(CHECK_WIN_REMOTE_IRR_PENDING));
	harness_done(&h);
}

/* What a trace models decides the windows it lists (scenario_rt). */
static void scenario_lists_the_windows_it_can_open_test(void **state)
{
	(void)state;
	harness_load(&h, VM);
	assert_int_equal(h.rt.windows, W(CHECK_WIN_IRR_NO_HANDLER) |
					       W(CHECK_WIN_RAISE_MASKED) |
					       W(CHECK_WIN_MSIX_OFF_LIVE) |
					       W(CHECK_WIN_EFD_REF_IN_FLIGHT) |
					       W(CHECK_WIN_TRIGGER_NO_ACTION) |
					       W(CHECK_WIN_LIVE_NO_TRIGGER) |
					       W(CHECK_WIN_ACTOR_BLOCKED) |
					       W(CHECK_WIN_IRR_IN_SERVICE));
	harness_done(&h);
	/* an IRTE is posted only with posted_intr on */
	harness_load(&h, VM "set posted_intr=on\n");
	assert_true(h.rt.windows & W(CHECK_WIN_IRTE_STALE));
	harness_done(&h);

	harness_load(&h, "cpus 2\n"
			 "device nic0 msix=1 affinity=cpu1\n"
			 "device ahci0 msi=nomask affinity=cpu1\n"
			 "actor drv cpu=0\n"
			 "actor hp cpu=1\n"
			 "setup drv: pci_msi_enable ahci0\n"
			 "hp: cpu_offline 1\n");
	assert_int_equal(h.rt.windows,
			 W(CHECK_WIN_IRR_NO_HANDLER) |
				 W(CHECK_WIN_RAISE_MASKED) |
				 W(CHECK_WIN_STALE_MESSAGE) |
				 W(CHECK_WIN_MOVE_IN_FLIGHT) |
				 W(CHECK_WIN_OFFLINE_PENDING) |
				 W(CHECK_WIN_OLD_VECTOR_HELD) |
				 W(CHECK_WIN_ACTOR_BLOCKED) |
				 W(CHECK_WIN_IRR_IN_SERVICE));
	harness_done(&h);

	harness_load(&h, "cpus 2\n"
			 "device hba0 intx=pci23 affinity=cpu1\n"
			 "actor drv cpu=0\n"
			 "drv: host_set_affinity hba0 0 0\n");
	/*
	 * an INTx device that never enables MSI opens no MSI window; its
	 * irq moves, and may hold its old vector
	 */
	assert_int_equal(h.rt.windows, W(CHECK_WIN_INTX_LAZY_DISABLED) |
					       W(CHECK_WIN_OLD_VECTOR_HELD) |
					       W(CHECK_WIN_HALF_SET_UP) |
					       W(CHECK_WIN_MASKED_BUT_ENABLED) |
					       W(CHECK_WIN_ACTOR_BLOCKED) |
					       W(CHECK_WIN_IRR_IN_SERVICE));
	harness_done(&h);
}

/*
 * Searches record the windows their states opened. seeds/000's race B:
 * the exhaustive search meets the MSI latched on CPU 1 while free_irq()
 * has the slot at SHUTDOWN, and the event unread while the guest has the
 * vector masked; a schedule that raises before the mask opens neither.
 */
static void searches_record_windows_test(void **state)
{
	struct irqsim_dfs_opts opts = {
		.bound = 500, .preemption_bound = -1, .sleep_sets = true,
	};
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	void *init;

	(void)state;
	harness_load(&h, VM "vcpu0: guest_msix_mask nic0 0\n"
			    "vcpu0: guest_msix_unmask nic0 0\n"
			    "nic0: raise 0\n");
	init = malloc(sizeof(*h.w));
	assert_non_null(init);
	memcpy(init, h.w, sizeof(*h.w));
	h.rt.ignore = ~0u;
	irqsim_schedule_init(&sc);
	assert_int_equal(irqsim_dfs(&scenario_model, &h.rt, init, &opts, &st,
				    &v, &sc),
			 0);
	assert_true(st.complete);
	/*
	 * and QEMU's SET_IRQS swaps the trigger: a reference in flight, a
	 * trigger freed before the context drops it, a live vector
	 * without one; a CPU waits for a lock another holds
	 */
	assert_int_equal(st.windows, W(CHECK_WIN_IRR_NO_HANDLER) |
					     W(CHECK_WIN_RAISE_MASKED) |
					     W(CHECK_WIN_EFD_REF_IN_FLIGHT) |
					     W(CHECK_WIN_TRIGGER_NO_ACTION) |
					     W(CHECK_WIN_LIVE_NO_TRIGGER) |
					     W(CHECK_WIN_ACTOR_BLOCKED));
	irqsim_schedule_free(&sc);

	/*
	 * The host takes the MSI before the guest masks: this run never
	 * has it latched on a dead slot.
	 */
	assert_int_equal(harness_run(&h, "nic0 cpu1:irq cpu1 cpu1 cpu1 cpu1"),
			 CHECK_NONE);
	assert_int_equal(h.res.windows & W(CHECK_WIN_IRR_NO_HANDLER), 0);
	free(init);
	harness_done(&h);
}

static void window_names_round_trip_test(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(check_window_parse("bogus"), -1);
	for (int i = 0; i < CHECK_NR_WINDOWS; i++) {
		assert_int_equal(check_window_parse(check_window_name(i)), i);
		assert_true(check_window_watchers(i) != 0);
	}
	check_windows_format(W(CHECK_WIN_IRR_NO_HANDLER) |
				     W(CHECK_WIN_OFFLINE_PENDING),
			     buf, sizeof(buf));
	assert_string_equal(buf, "irr-no-handler,offline-pending");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msi_windows_open_on_their_state_test),
		cmocka_unit_test(leak_windows_open_on_their_state_test),
		cmocka_unit_test(intx_leak_and_warning_windows_test),
		cmocka_unit_test(intx_and_ioapic_windows_test),
		cmocka_unit_test(scenario_lists_the_windows_it_can_open_test),
		cmocka_unit_test(searches_record_windows_test),
		cmocka_unit_test(window_names_round_trip_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
