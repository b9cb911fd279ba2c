// SPDX-License-Identifier: MIT
/*
 * The guest's CPU hotplug (src/vmm/guest_hotplug.c): take_cpu_down()
 * under the guest's stop_machine(), migrate_one_irq() for each MSI-X irq
 * on the outgoing vCPU (mask, message, unmask: traps to QEMU, which swaps
 * the host trigger and updates the KVM route), fixup_irqs()'s retrigger
 * of what is pending in the vCPU's IRR (an IPI that KVM delivers to the
 * irq's new target), and the bring-up (INIT/SIPI resets the vCPU's LAPIC).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

/* nic0's vector 0 goes to vcpu1 (guest vector 0x40), host CPU1. */
#define VM(extra)						\
	"cpus 2\n"						\
	"vcpus 2\n"						\
	"device nic0 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"actor vcpu1 vcpu=1 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	extra							\
	"setup vcpu0: qemu_vfio_msix_enable nic0 1 1\n"

#define GUEST_BIT (1u << 0)	/* vIRR bit of dev 0 vector 0 */

static struct harness h;

static bool actor_idle(const char *name)
{
	return !harness_sched(&h)->actor[harness_actor(&h, name)].nframes;
}

/* Device MSI -> cpu1 -> vfio_msihandler() -> irqfd -> a vCPU's vIRR. */
static void deliver_to_guest(void)
{
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", actor_idle("cpu1"));
}

/* The vCPU the guest's message of nic0 vector 0 names (QEMU's entry). */
static int entry_dest(void)
{
	return (int)((h.w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_LOWER_ADDR] >>
		      MSI_ADDR_DEST_SHIFT) &
		     0xff);
}

/*
 * Step @actor until it is idle (at least once: its next operation starts,
 * or the one it is in goes on); the number of guest MSI-X writes.
 */
static int run_op(const char *actor)
{
	int before = harness_count_events(&h, "msix_table_mmio_write", NULL);

	harness_fire(&h, actor);
	HARNESS_FIRE_UNTIL(&h, actor, actor_idle(actor));
	return harness_count_events(&h, "msix_table_mmio_write", NULL) -
	       before;
}

/*
 * The interrupt is in vcpu1's vIRR when the guest takes vcpu1 down:
 * migrate_one_irq() masks, rewrites and unmasks the entry (QEMU swaps the
 * trigger twice and routes the vector to vcpu0), fixup_irqs() finds the
 * vector pending and retriggers it at vcpu0; the dead vIRR keeps its bit.
 */
static void guest_offline_migrates_and_retriggers_test(void **state)
{
	struct vmm_world *w;
	int requests;

	(void)state;
	harness_load(&h, VM("") "vcpu1: guest_cpu_offline 1\n"
				"nic0: raise 0\n");
	w = h.w;
	deliver_to_guest();
	assert_int_equal(w->vcpu[1].virr, GUEST_BIT);
	assert_int_equal(entry_dest(), 1);
	requests = harness_irqw(&h)->stats.requests;

	/* stop_machine: vcpu1's own interrupt cannot be taken any more */
	harness_fire(&h, "vcpu1");
	assert_true(w->vcpu[1].offline);
	assert_int_equal(w->guest_stop_owner, harness_actor(&h, "vcpu1") + 1);
	assert_false(harness_enabled(&h, "vcpu1:virq"));

	assert_int_equal(run_op("vcpu1"), 5);
	/* the mask and the unmask each reached VFIO: free + request */
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 2);
	assert_int_equal(entry_dest(), 0);
	assert_int_equal(w->route[0].vcpu, 0);
	assert_int_equal(harness_vfio(&h)->vdev[0].ctx[0].trigger, 1);
	assert_false(w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
		     PCI_MSIX_ENTRY_CTRL_MASKBIT);
	/* fixup_irqs(): the pending vector went to vcpu0 by IPI */
	harness_expect_event(&h, 0, "fixup_irqs", "IPI to vcpu0");
	assert_int_equal(w->vcpu[0].virr, GUEST_BIT);
	assert_int_equal(w->vcpu[1].virr, GUEST_BIT);
	assert_int_equal(w->guest_stop_owner, 0);
	assert_int_equal(w->vcpu[0].irqs_off, 0);
	assert_false(harness_enabled(&h, "vcpu1:virq"));

	harness_fire(&h, "vcpu0:virq");
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(w->guest.handled, 1);
	harness_done(&h);
}

/* guest_fixup_irqs_retrigger=off: the interrupt dies with vcpu1. */
static void guest_offline_without_retrigger_loses_pending_test(void **state)
{
	struct irqsim_verdict v;
	struct vmm_world *w;

	(void)state;
	harness_load(&h, VM("set guest_fixup_irqs_retrigger=off\n")
			 "vcpu1: guest_cpu_offline 1\n"
			 "nic0: raise 0\n");
	w = h.w;
	deliver_to_guest();
	assert_int_equal(run_op("vcpu1"), 5);
	assert_int_equal(entry_dest(), 0);
	harness_expect_event(&h, 0, "fixup_irqs", "not retriggered");
	assert_int_equal(w->vcpu[0].virr, 0);
	assert_int_equal(w->vcpu[1].virr, GUEST_BIT);
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	assert_int_equal(harness_check_end(&h, &v), CHECK_LOST_INTERRUPT);
	assert_non_null(strstr(v.what, "vIRR of vcpu1"));
	/*
	 * Raised and in vcpu1's vIRR before the offline: vcpu1 could still
	 * take it until set_cpu_online(1, false); lost from there on.
	 */
	assert_true(v.step > harness_pdev(&h, 0)->last_raise_step[0]);
	assert_int_equal(v.step,
			 h.log.ev[harness_expect_event(&h, 0, "take_cpu_down",
						       "goes offline")]
				 .step);
	harness_done(&h);
}

/*
 * guest_fixup_irqs_retrigger=off, the MSI raised after vcpu1 went offline:
 * the host delivers it through the route QEMU has not updated yet, into
 * the dead vIRR. Until KVM set it there, the route update could still
 * have sent it to vcpu0: the loss became inevitable at kvm_set_msi.
 */
static void guest_offline_then_stale_route_loses_at_injection_test(void **state)
{
	struct irqsim_verdict v;
	struct vmm_world *w;
	int off, set;

	(void)state;
	harness_load(&h, VM("set guest_fixup_irqs_retrigger=off\n")
			 "vcpu1: guest_cpu_offline 1\n"
			 "nic0: raise 0\n");
	w = h.w;
	harness_fire(&h, "vcpu1");
	assert_true(w->vcpu[1].offline);
	off = harness_expect_event(&h, 0, "take_cpu_down", "goes offline");
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1", actor_idle("cpu1"));
	set = harness_expect_event(&h, off, "kvm_set_msi", "on vcpu1");
	assert_int_equal(w->vcpu[1].virr, GUEST_BIT);
	assert_true(h.log.ev[set].step > h.log.ev[off].step);
	assert_true(h.log.ev[set].step > harness_pdev(&h, 0)->last_raise_step[0]);
	assert_int_equal(run_op("vcpu1"), 5);
	assert_int_equal(entry_dest(), 0);
	assert_int_equal(harness_run(&h, NULL), CHECK_LOST_INTERRUPT);
	assert_int_equal(harness_check_end(&h, &v), CHECK_LOST_INTERRUPT);
	assert_non_null(strstr(v.what, "vIRR of vcpu1"));
	assert_int_equal(v.step, h.log.ev[set].step);
	harness_done(&h);
}

/*
 * stop_machine() waits for a vCPU in the middle of a trapped MSI-X write;
 * once it holds the machine, the other vCPU runs no guest code. An entry the
 * driver masked is migrated by its message alone: no mask change, no
 * trigger swap, the mask bit stays.
 */
static void guest_stop_machine_waits_and_keeps_mask_test(void **state)
{
	struct vmm_world *w;
	int requests;

	(void)state;
	harness_load(&h, VM("") "vcpu0: guest_msix_mask nic0 0\n"
				"vcpu1: guest_cpu_offline 1\n");
	w = h.w;
	harness_fire(&h, "vcpu0");
	assert_true(w->vcpu[0].in_host);
	harness_fire(&h, "vcpu1");
	assert_false(w->vcpu[1].offline);
	assert_false(harness_enabled(&h, "vcpu1"));
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_false(w->vcpu[0].in_host);
	assert_true(harness_enabled(&h, "vcpu1"));
	requests = harness_irqw(&h)->stats.requests;

	harness_fire(&h, "vcpu1");
	assert_true(w->vcpu[1].offline);
	/* vcpu0 spins in multi_cpu_stop(): its driver's unmask waits */
	harness_call(&h, "vcpu0", fn_guest_msix_unmask, 0, 0, 0, 0);
	assert_false(harness_enabled(&h, "vcpu0"));
	assert_int_equal(run_op("vcpu1"), 3);
	assert_int_equal(harness_irqw(&h)->stats.requests, requests);
	assert_true(w->qdev[0].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
		    PCI_MSIX_ENTRY_CTRL_MASKBIT);
	assert_int_equal(entry_dest(), 0);

	/* the driver's unmask routes the vector to the new destination */
	assert_true(harness_enabled(&h, "vcpu0"));
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_int_equal(w->route[0].vcpu, 0);
	harness_done(&h);
}

/*
 * Offline, online, offline again. The bring-up resets vcpu1's LAPIC (the
 * dead vIRR bit is dropped; fixup_irqs() had retriggered it); nothing
 * moves back by itself, guest irqbalance moves the irq back, vcpu1 takes
 * interrupts again, and the second unplug migrates it off as the first.
 */
static void guest_offline_online_offline_test(void **state)
{
	struct vmm_world *w;

	(void)state;
	harness_load(&h, VM("") "vcpu1: guest_cpu_offline 1\n"
				"vcpu1: guest_cpu_offline 1\n"
				"vcpu0: guest_cpu_online 1\n"
				"vcpu0: guest_set_affinity nic0 0 1\n"
				"nic0: raise 0\n"
				"nic0: raise 0\n");
	w = h.w;
	deliver_to_guest();
	assert_int_equal(run_op("vcpu1"), 5);
	assert_int_equal(w->vcpu[0].virr, GUEST_BIT);
	/* a dead vCPU's thread runs nothing until it is brought up */
	assert_false(harness_enabled(&h, "vcpu1"));
	harness_fire(&h, "vcpu0:virq");
	HARNESS_FIRE_UNTIL(&h, "guest0", actor_idle("guest0"));
	assert_int_equal(w->guest.handled, 1);

	assert_int_equal(run_op("vcpu0"), 0);
	assert_false(w->vcpu[1].offline);
	assert_int_equal(w->vcpu[1].virr, 0);
	assert_true(harness_enabled(&h, "vcpu1"));
	assert_int_equal(entry_dest(), 0);

	assert_int_equal(run_op("vcpu0"), 5);
	assert_int_equal(entry_dest(), 1);
	assert_int_equal(w->route[0].vcpu, 1);
	deliver_to_guest();
	assert_int_equal(w->vcpu[1].virr, GUEST_BIT);
	harness_fire(&h, "vcpu1:virq");
	HARNESS_FIRE_UNTIL(&h, "guest1", actor_idle("guest1"));
	assert_int_equal(w->guest.handled, 2);

	assert_int_equal(run_op("vcpu1"), 5);
	assert_true(w->vcpu[1].offline);
	assert_int_equal(entry_dest(), 0);
	assert_int_equal(w->route[0].vcpu, 0);
	assert_int_equal(harness_count_events(&h, "migrate_one_irq", NULL), 2);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

/* A second offline of a dead vCPU, or an online of a live one: -EINVAL. */
static void guest_hotplug_twice_fails_test(void **state)
{
	(void)state;
	harness_load(&h, VM(""));
	assert_int_equal(harness_call_now(&h, "vcpu0", fn_guest_cpu_online, 1,
					  0, 0, 0),
			 -EINVAL);
	assert_int_equal(harness_call_now(&h, "vcpu1", fn_guest_cpu_offline, 1,
					  0, 0, 0),
			 0);
	assert_true(h.w->vcpu[1].offline);
	assert_int_equal(harness_call_now(&h, "vcpu0", fn_guest_cpu_online, 1,
					  0, 0, 0),
			 0);
	assert_int_equal(harness_call_now(&h, "vcpu0", fn_guest_cpu_online, 1,
					  0, 0, 0),
			 -EINVAL);
	harness_done(&h);
}

/* The parser refuses what the kernel cannot do. */
static void guest_hotplug_parse_errors_test(void **state)
{
	static const char *const bad[][2] = {
		{ "vcpu0: guest_cpu_offline 0\n", "vCPU 0 cannot go offline" },
		{ "vcpu0: guest_cpu_offline 1\n", "runs take_cpu_down() itself" },
		{ "vcpu1: guest_cpu_online 1\n", "cannot bring itself up" },
		{ "vcpu0: guest_cpu_online 2\n", "must be 0..1" },
	};
	struct scenario s;
	char err[SCENARIO_ERR];

	(void)state;
	scenario_init();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[1024];

		snprintf(text, sizeof(text), "%s%s", VM(""), bad[i][0]);
		err[0] = 0;
		assert_int_not_equal(scenario_parse(&s, "t", text, err,
						    sizeof(err)),
				     0);
		if (!strstr(err, bad[i][1])) {
			print_error("'%s': got '%s'\n", bad[i][0], err);
			fail();
		}
		scenario_free(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(guest_offline_migrates_and_retriggers_test),
		cmocka_unit_test(guest_offline_without_retrigger_loses_pending_test),
		cmocka_unit_test(guest_offline_then_stale_route_loses_at_injection_test),
		cmocka_unit_test(guest_stop_machine_waits_and_keeps_mask_test),
		cmocka_unit_test(guest_offline_online_offline_test),
		cmocka_unit_test(guest_hotplug_twice_fails_test),
		cmocka_unit_test(guest_hotplug_parse_errors_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
