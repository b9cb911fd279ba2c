// SPDX-License-Identifier: MIT
/*
 * CPU unplug (src/irq/affinity.c cpu_offline, src/apic/move.c) against
 * Linux v6.18 (kernel-reference.md 1.5, 2.5): take_cpu_down() under
 * stop_machine, remove_cpu_from_maps(), fixup_irqs() ->
 * irq_migrate_all_off_this_cpu() -> migrate_one_irq() (with
 * irq_force_complete_move() -> apic_force_complete_move()), the
 * vector_irq walk that retriggers what is pending in the outgoing CPU's
 * IRR, lapic_offline(); and lapic_online().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

/*
 * nic1 holds vector 32 on CPU0, so nic0 (vector 32 on CPU1) moves to
 * vector 33 on CPU0: msi_set_affinity() takes the careful path.
 */
#define HP_TRACE(extra)							\
	"cpus 2\n"							\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"		\
	"device nic1 msix=1 behaviour=ack affinity=cpu0\n"		\
	"actor drv cpu=0\n"						\
	"actor hp cpu=1\n"						\
	"setup drv: pci_msix_enable nic1 1\n"				\
	"setup drv: host_request_irq nic1 0\n"				\
	"setup drv: pci_msix_enable nic0 1\n"				\
	"setup drv: host_request_irq nic0 0\n" extra

#define V32 FIRST_EXTERNAL_VECTOR
#define V33 (FIRST_EXTERNAL_VECTOR + 1)

static struct harness h;

static bool irr_has(int cpu, int vector)
{
	return apic_vector_test(harness_apic(&h)->cpu[cpu].lapic.irr, vector);
}

static void fixup_irqs_retriggers_pending_vector_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	harness_load(&h, HP_TRACE("hp: cpu_offline 1\nnic0: raise 0\n"));
	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	assert_int_equal(apicd->cpu, 1);
	assert_int_equal(apicd->vector, V32);

	harness_fire(&h, "nic0");
	assert_true(irr_has(1, V32));
	HARNESS_FIRE_UNTIL(&h, "hp", harness_actor_done(&h, "hp"));

	/* migrate_one_irq(): affinity broken (CPU1 only), moved to CPU0 */
	assert_false(harness_apic(&h)->cpu[1].online);
	assert_int_equal(apicd->cpu, 0);
	assert_int_equal(apicd->vector, V33);
	assert_int_equal(apicd->affinity, 1 << 0);
	/* the offline CPU's vector is freed at once, no prev_vector */
	assert_int_equal(apicd->prev_vector, 0);
	assert_int_equal(harness_apic(&h)->matrix.cpu[1].allocated, 0);
	/* msi_set_affinity()'s marker on the outgoing CPU's new vector */
	assert_int_equal(harness_slot(&h, 1, V33), VECTOR_RETRIGGERED);
	/* fixup_irqs(): pending in the dead IRR -> retriggered, marked */
	assert_int_equal(harness_apic(&h)->stats.retriggered, 1);
	assert_int_equal(harness_slot(&h, 1, V32), VECTOR_RETRIGGERED);
	assert_true(irr_has(0, V33));
	assert_false(harness_enabled(&h, "cpu1:irq"));
	/* the message names CPU0 vector 33, the entry is unmasked again */
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_LOWER_ADDR),
			 MSI_ADDR_BASE_LO);
	assert_int_equal(harness_msix_dw(&h, 0, 0, PCI_MSIX_ENTRY_DATA), V33);
	assert_false(msix_entry_masked(harness_pdev(&h, 0), 0));
	/* stop_machine let go of every CPU */
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);

	assert_int_equal(harness_run(&h, NULL), 0);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	harness_done(&h);
}

static void fixup_irqs_without_retrigger_loses_test(void **state)
{
	struct irqsim_verdict v;

	(void)state;
	harness_load(&h, HP_TRACE("set fixup_irqs_retrigger=off\n"
				  "hp: cpu_offline 1\nnic0: raise 0\n"));
	harness_fire(&h, "nic0");
	HARNESS_FIRE_UNTIL(&h, "hp", harness_actor_done(&h, "hp"));
	/* the slot is only reset; the interrupt stays in a dead APIC */
	assert_int_equal(harness_slot(&h, 1, V32), VECTOR_UNUSED);
	assert_true(irr_has(1, V32));
	assert_false(irr_has(0, V33));
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	assert_int_equal(harness_check_end(&h, &v), CHECK_LOST_INTERRUPT);
	harness_done(&h);
}

static void apic_force_complete_move_on_unplug_test(void **state)
{
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	/* nic0 may go to either CPU; it is on CPU1 and moves to CPU0 */
	harness_load(&h,
		     "cpus 2\n"
		     "device nic0 msix=1 behaviour=free-running affinity=cpu0,cpu1\n"
		     "device nic1 msix=1 behaviour=ack affinity=cpu0\n"
		     "actor drv cpu=0\n"
		     "actor hp cpu=1\n"
		     "setup drv: pci_msix_enable nic1 1\n"
		     "setup drv: host_request_irq nic1 0\n"
		     "setup drv: pci_msix_enable nic0 1\n"
		     "setup drv: host_request_irq nic0 0\n"
		     "drv: host_set_affinity nic0 0 0\n"
		     "hp: cpu_offline 1\n"
		     "nic0: raise 0\n");
	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	assert_int_equal(apicd->cpu, 1);
	HARNESS_FIRE_UNTIL(&h, "drv", harness_actor_done(&h, "drv"));
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", !harness_sched(&h)->actor[
				       harness_actor(&h, "cpu1")].nframes);
	/* moved on CPU1's ack; no interrupt on CPU0 yet */
	assert_true(apicd->move_in_progress);
	assert_int_equal(apicd->prev_cpu, 1);

	HARNESS_FIRE_UNTIL(&h, "hp", harness_actor_done(&h, "hp"));
	/* "IRQ fixup: irq %d move in progress, old vector %d" */
	assert_int_equal(harness_apic(&h)->stats.force_moved, 1);
	assert_false(apicd->move_in_progress);
	assert_int_equal(apicd->prev_vector, 0);
	assert_int_equal(harness_slot(&h, 1, V32), VECTOR_UNUSED);
	assert_int_equal(harness_apic(&h)->matrix.cpu[1].allocated, 0);
	assert_int_equal(apicd->cpu, 0);
	harness_done(&h);
}

static void stop_machine_waits_for_hard_irq_test(void **state)
{
	(void)state;
	harness_load(&h, HP_TRACE("hp: cpu_offline 1\nnic1: raise 0\n"));
	harness_fire(&h, "nic1");
	harness_fire(&h, "cpu0:irq");
	/* CPU0 is in hard-irq context: multi_cpu_stop() cannot start */
	harness_fire(&h, "hp");
	assert_true(harness_apic(&h)->cpu[1].online);
	assert_false(harness_enabled(&h, "hp"));
	HARNESS_FIRE_UNTIL(&h, "cpu0", harness_enabled(&h, "hp"));
	harness_fire(&h, "hp");
	/* now every online CPU has interrupts off, owned by the unplug */
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 1);
	assert_int_equal(harness_apic(&h)->cpu[0].atomic_owner,
			 harness_actor(&h, "hp"));
	assert_false(harness_enabled(&h, "drv"));
	HARNESS_FIRE_UNTIL(&h, "hp", harness_actor_done(&h, "hp"));
	assert_int_equal(harness_apic(&h)->cpu[0].irqs_off, 0);
	harness_done(&h);
}

static void lapic_online_resets_vector_irq_test(void **state)
{
	int irq;

	(void)state;
	harness_load(&h, HP_TRACE("hp: cpu_offline 1\nnic0: raise 0\n"
				  "drv: cpu_online 1\n"));
	irq = harness_irq(&h, 0, 0);
	harness_fire(&h, "nic0");
	HARNESS_FIRE_UNTIL(&h, "hp", harness_actor_done(&h, "hp"));
	assert_true(harness_apic(&h)->cpu[1].apic_dead);
	HARNESS_FIRE_UNTIL(&h, "drv", harness_actor_done(&h, "drv"));
	assert_true(harness_apic(&h)->cpu[1].online);
	assert_false(harness_apic(&h)->cpu[1].apic_dead);
	/* lapic_online(): every slot reset, a fresh APIC */
	assert_int_equal(harness_slot(&h, 1, V32), VECTOR_UNUSED);
	assert_int_equal(harness_slot(&h, 1, V33), VECTOR_UNUSED);
	assert_int_equal(harness_irr_count(&h, 1), 0);
	/* a non-managed irq stays where the unplug put it */
	assert_int_equal(harness_apicd(&h, irq)->cpu, 0);
	/* a second cpu_online is refused */
	assert_int_equal(harness_call_now(&h, "drv", fn_cpu_online, 1, 0, 0, 0),
			 -EINVAL);
	harness_done(&h);
}

static bool idle(const char *actor)
{
	return !harness_sched(&h)->actor[harness_actor(&h, actor)].nframes;
}

/*
 * Offline, online, offline again (kernel/cpu.c cpu_down/cpu_up; the
 * vector side in arch/x86/kernel/apic/vector.c lapic_offline() and
 * lapic_online(), kernel/irq/matrix.c irq_matrix_offline() and
 * irq_matrix_online()). After lapic_online() the CPU's map is back in
 * the matrix, so an affinity change allocates on it again, and the
 * second unplug migrates that vector off it as the first did.
 * Matrix counts (P vectors per CPU): offline subtracts the CPU's
 * available vectors from global_available, online adds them back.
 */
static void offline_online_offline_test(void **state)
{
	const unsigned int per_cpu = FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR;
	struct apic_world *aw;
	struct apic_chip_data *apicd;
	int irq;

	(void)state;
	harness_load(&h, HP_TRACE("nic0: raise 0\nnic0: raise 0\n"));
	aw = harness_apic(&h);
	irq = harness_irq(&h, 0, 0);
	apicd = harness_apicd(&h, irq);
	assert_int_equal(aw->matrix.global_available, 2 * per_cpu - 2);
	assert_int_equal(aw->matrix.total_allocated, 2);

	/* first unplug: nic0 goes to CPU0 vector 33 (32 is nic1's) */
	assert_int_equal(harness_call_now(&h, "hp", fn_cpu_offline, 1, 0, 0, 0),
			 0);
	assert_false(aw->cpu[1].online);
	assert_false(aw->matrix.cpu[1].online);
	assert_int_equal(apicd->cpu, 0);
	assert_int_equal(apicd->vector, V33);
	assert_int_equal(aw->matrix.cpu[1].allocated, 0);
	/* CPU1's vector was freed while its map was online: counted */
	assert_int_equal(aw->matrix.total_allocated, 2);
	assert_int_equal(aw->matrix.global_available, per_cpu - 2);

	/* online: the map is back, its slots reset */
	assert_int_equal(harness_call_now(&h, "drv", fn_cpu_online, 1, 0, 0, 0),
			 0);
	assert_true(aw->cpu[1].online);
	assert_true(aw->matrix.cpu[1].online);
	assert_int_equal(aw->matrix.global_available, 2 * per_cpu - 2);
	assert_int_equal(harness_slot(&h, 1, V32), VECTOR_UNUSED);

	/*
	 * Back to CPU1 (irqbalance): deferred to nic0's next interrupt on
	 * CPU0, whose ack allocates CPU1's lowest vector again.
	 */
	assert_int_equal(harness_call_now(&h, "drv", fn_host_set_affinity, 0, 0,
					  1, 0),
			 0);
	harness_fire(&h, "nic0");
	assert_true(irr_has(0, V33));
	harness_fire(&h, "cpu0:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_int_equal(apicd->cpu, 1);
	assert_int_equal(apicd->vector, V32);
	assert_int_equal(harness_slot(&h, 1, V32), irq);
	assert_int_equal(apicd->prev_cpu, 0);
	assert_int_equal(apicd->prev_vector, V33);
	assert_int_equal(aw->matrix.cpu[1].allocated, 1);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 1);
	/* the next interrupt arrives on CPU1; CPU0's timer frees 0.33 */
	harness_fire(&h, "nic0");
	assert_true(irr_has(1, V32));
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", idle("cpu1"));
	assert_true(apicd->cleanup_queued);
	harness_fire(&h, "cpu0:timer");
	HARNESS_FIRE_UNTIL(&h, "cpu0", idle("cpu0"));
	assert_int_equal(apicd->prev_vector, 0);
	assert_int_equal(harness_slot(&h, 0, V33), VECTOR_UNUSED);
	assert_int_equal(aw->matrix.cpu[0].allocated, 1);
	assert_int_equal(aw->matrix.cpu[1].allocated, 1);
	assert_int_equal(aw->matrix.total_allocated, 2);
	assert_int_equal(aw->matrix.global_available, 2 * per_cpu - 2);

	/* second unplug: the same migration as the first */
	assert_int_equal(harness_call_now(&h, "hp", fn_cpu_offline, 1, 0, 0, 0),
			 0);
	assert_false(aw->cpu[1].online);
	assert_int_equal(apicd->cpu, 0);
	assert_int_equal(apicd->vector, V33);
	assert_int_equal(harness_slot(&h, 0, V33), irq);
	assert_int_equal(aw->matrix.cpu[1].allocated, 0);
	assert_int_equal(aw->matrix.total_allocated, 2);
	assert_int_equal(aw->matrix.global_available, per_cpu - 2);
	assert_int_equal(harness_pdev(&h, 0)->consumed[0], 2);
	assert_int_equal(harness_sched(&h)->warnings, 0);
	harness_done(&h);
}

static void cpu_offline_on_other_cpu_rejected_test(void **state)
{
	struct scenario s;
	char err[SCENARIO_ERR];

	(void)state;
	scenario_init();
	assert_int_equal(scenario_parse(&s, "x.trace",
					"cpus 2\nactor drv cpu=0\n"
					"drv: cpu_offline 1\n",
					err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "x.trace:3:"));
	assert_non_null(strstr(err, "runs on cpu0"));
	scenario_free(&s);
	assert_int_equal(scenario_parse(&s, "x.trace",
					"cpus 2\nactor drv cpu=0\n"
					"drv: cpu_online 2\n",
					err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "cpu must be 0..1"));
	scenario_free(&s);
	/* x86 cannot offline the boot CPU (no profile can). */
	assert_int_equal(scenario_parse(&s, "x.trace",
					"cpus 2\nactor drv cpu=0\n"
					"drv: cpu_offline 0\n",
					err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "x.trace:3:"));
	assert_non_null(strstr(err, "cannot take the boot CPU offline"));
	scenario_free(&s);
}

/*
 * An irq whose affinity names only an offline CPU: activation tries that
 * mask first, and irq_matrix_alloc() answers -EINVAL for the empty mask
 * (not -ENOSPC) before the fallback to any online CPU succeeds. The
 * prose line and the tracepoint fields of that step say the same.
 */
static void empty_mask_alloc_says_einval_test(void **state)
{
	const struct irqsim_event *e;
	int i;

	(void)state;
	harness_load(&h, "cpus 2\n"
			 "device nic0 msix=1 behaviour=ack affinity=cpu1\n"
			 "actor drv cpu=0\n"
			 "actor hp cpu=1\n"
			 "setup drv: pci_msix_enable nic0 1\n"
			 "setup hp: cpu_offline 1\n"
			 "drv: host_request_irq nic0 0\n");
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	i = harness_expect_event(&h, 0, "irq_matrix_alloc", "on cpus 0");
	e = &h.log.ev[i];
	assert_non_null(strstr(e->text, "-EINVAL"));
	assert_null(strstr(e->text, "-ENOSPC"));
	assert_non_null(strstr(e->fields, "ret=-22"));
	/* the fallback got a vector on CPU 0 */
	assert_int_equal(harness_apicd(&h, harness_irq(&h, 0, 0))->cpu, 0);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixup_irqs_retriggers_pending_vector_test),
		cmocka_unit_test(fixup_irqs_without_retrigger_loses_test),
		cmocka_unit_test(apic_force_complete_move_on_unplug_test),
		cmocka_unit_test(stop_machine_waits_for_hard_irq_test),
		cmocka_unit_test(lapic_online_resets_vector_irq_test),
		cmocka_unit_test(cpu_offline_on_other_cpu_rejected_test),
		cmocka_unit_test(empty_mask_alloc_says_einval_test),
		cmocka_unit_test(offline_online_offline_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
