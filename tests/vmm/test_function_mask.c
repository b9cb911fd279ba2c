// SPDX-License-Identifier: MIT
/*
 * The guest's MSI-X function mask (PCI_MSIX_FLAGS_MASKALL) against QEMU
 * hw/pci/msix.c: msix_write_config() stores the bit
 * (msix_update_function_masked()) and, with MSI-X enabled and the function
 * mask changed, runs msix_handle_mask_update() for every entry with the
 * effective mask it had before: the vector notifiers
 * (vfio_msix_vector_release() / vfio_msix_vector_do_use(), a SET_IRQS
 * each) for each entry whose effective mask changed, and the PBA replay
 * on unmask. msix_set_vector_notifiers() (from vfio_msix_enable()) only
 * uses vectors when MSI-X is enabled and not function-masked.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../harness.h"

/* Two vectors, both unmasked and routed through KVM irqfds. */
#define VM							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=2 behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"
#define ENABLED VM "setup vcpu0: qemu_vfio_msix_enable nic0 2 0\n"
#define FMASK_ON "vcpu0: guest_msix_function_mask nic0 on\n"
#define FMASK_OFF "vcpu0: guest_msix_function_mask nic0 off\n"

static struct harness h;

static int trigger(int vec)
{
	return harness_vfio(&h)->vdev[0].ctx[vec].trigger;
}

static bool entry_bit_masked(int vec)
{
	return h.w->qdev[0].v[vec].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
	       PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

static void function_mask_releases_every_vector_test(void **state)
{
	int requests, write, first, second;

	(void)state;
	harness_load(&h, ENABLED FMASK_ON);
	requests = harness_irqw(&h)->stats.requests;
	for (int v = 0; v < 2; v++)
		assert_int_equal(trigger(v), qemu_kvm_efd(0, v));

	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->qdev[0].maskall, 1);
	for (int v = 0; v < 2; v++) {
		/* the entries' own mask bits are untouched ... */
		assert_false(entry_bit_masked(v));
		/* ... but every vector is masked for msix_is_masked() */
		assert_true(qemu_msix_is_masked(h.w, 0, v));
		/* vfio_msix_vector_release(): QEMU's eventfd, route kept */
		assert_int_equal(trigger(v), qemu_interrupt_efd(0, v));
		assert_true(h.w->qdev[0].v[v].released);
		assert_true(h.w->route[v].valid);
	}
	/* one free_irq() + request_irq() per vector on the host */
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 2);
	/* in order: the config write, then vector 0's swap, then vector 1's */
	write = harness_expect_event(&h, 0, "msix_write_config",
				     "function mask set");
	first = harness_expect_event(&h, write, "msix_handle_mask_update",
				     "vector 0 masked by the function mask");
	second = harness_expect_event(&h, first, "msix_handle_mask_update",
				      "vector 1 masked by the function mask");
	assert_true(harness_event(&h, first, "vfio_pci_ioctl_set_irqs",
				  NULL) < second);
	harness_done(&h);
}

static void function_unmask_uses_and_replays_pba_test(void **state)
{
	struct vmm_world *w;

	(void)state;
	harness_load(&h, ENABLED FMASK_ON FMASK_OFF "nic0: raise 0\n");
	w = h.w;
	/*
	 * The function mask's two releases returned, and so did QEMU's
	 * handler: the main loop's handler waits for the BQL until then.
	 */
	HARNESS_FIRE_UNTIL(&h, "vcpu0",
			   trigger(1) == qemu_interrupt_efd(0, 1) &&
				   harness_lock_owner(&h, VFIO_LOCK_IGATE(0)) <
					   0 &&
				   !w->vcpu[0].in_host);
	assert_true(qemu_msix_is_masked(w, 0, 0));

	/* The device fires: the host handler signals QEMU's eventfd. */
	harness_fire(&h, "nic0");
	harness_fire(&h, "cpu1:irq");
	HARNESS_FIRE_UNTIL(&h, "cpu1",
			   !harness_sched(&h)->actor[harness_actor(&h, "cpu1")]
				    .nframes);
	harness_fire(&h, "main:efd0");
	/* vfio_msi_interrupt() -> msix_notify(): function-masked: PBA */
	assert_int_equal(w->qdev[0].v[0].pba, 1);
	assert_int_equal(w->vcpu[0].virr, 0);

	/* The guest clears the function mask: use for both, then replay. */
	HARNESS_FIRE_UNTIL(&h, "vcpu0", harness_actor_done(&h, "vcpu0"));
	assert_int_equal(w->qdev[0].maskall, 0);
	for (int v = 0; v < 2; v++) {
		assert_false(qemu_msix_is_masked(w, 0, v));
		assert_int_equal(trigger(v), qemu_kvm_efd(0, v));
		assert_false(w->qdev[0].v[v].released);
	}
	assert_int_equal(w->qdev[0].v[0].pba, 0);
	assert_int_equal(w->vcpu[0].virr, 1u << 0);
	harness_expect_event(&h, 0, "msix_handle_mask_update",
			     "vector 0 unmasked with PBA set");

	harness_fire(&h, "vcpu0:virq");
	HARNESS_FIRE_UNTIL(&h, "guest0", w->guest.handled == 1);
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	harness_done(&h);
}

/* An entry the guest masked itself stays masked through the toggle. */
static void function_mask_skips_masked_entry_test(void **state)
{
	int requests;

	(void)state;
	harness_load(&h, ENABLED "vcpu0: guest_msix_mask nic0 1\n" FMASK_ON
			    FMASK_OFF);
	HARNESS_FIRE_UNTIL(&h, "vcpu0", entry_bit_masked(1) &&
				 trigger(1) == qemu_interrupt_efd(0, 1) &&
				 harness_lock_owner(&h, VFIO_LOCK_IGATE(0)) < 0);
	requests = harness_irqw(&h)->stats.requests;
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	/* vector 0 only: released and used again, two swaps */
	assert_int_equal(harness_irqw(&h)->stats.requests, requests + 2);
	assert_int_equal(harness_count_events(&h, "msix_handle_mask_update",
					      "vector 0"),
			 2);
	assert_int_equal(harness_count_events(&h, "msix_handle_mask_update",
					      "vector 1"),
			 0);
	assert_int_equal(trigger(0), qemu_kvm_efd(0, 0));
	assert_int_equal(trigger(1), qemu_interrupt_efd(0, 1));
	assert_true(qemu_msix_is_masked(h.w, 0, 1));
	harness_done(&h);
}

/*
 * MSI-X disabled: the bit is stored, no notifier. A guest that programs
 * and unmasks its table under the function mask before enabling MSI-X:
 * vfio_msix_enable()'s msix_set_vector_notifiers() uses nothing (enable
 * with fd -1, QEMU 8.2+); clearing the function mask uses vector 0.
 */
static void function_mask_before_enable_test(void **state)
{
	int ioctls;

	(void)state;
	harness_load(&h, VM FMASK_ON "vcpu0: guest_request_irq nic0 0 0\n"
			    "vcpu0: guest_msix_enable nic0\n" FMASK_OFF);
	HARNESS_FIRE_UNTIL(&h, "vcpu0", h.w->qdev[0].maskall == 1);
	HARNESS_FIRE_UNTIL(&h, "vcpu0", !entry_bit_masked(0));
	ioctls = harness_count_events(&h, "vfio_pci_ioctl_set_irqs", NULL);
	assert_int_equal(ioctls, 0);
	harness_expect_event(&h, 0, "msix_write_config", "stored only");

	HARNESS_FIRE_UNTIL(&h, "vcpu0", h.w->qdev[0].msix_enabled &&
				 harness_lock_owner(&h, VFIO_LOCK_IGATE(0)) < 0 &&
				 harness_count_events(&h, "vfio_pci_ioctl_set_irqs",
						      NULL) > 0);
	/* the scan skipped vector 0: function-masked */
	assert_int_equal(h.w->qdev[0].nr_vectors, 0);
	assert_int_equal(trigger(0), -1);

	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	assert_int_equal(h.w->qdev[0].nr_vectors, 1);
	assert_int_equal(trigger(0), qemu_kvm_efd(0, 0));
	harness_expect_event(&h, 0, "msix_handle_mask_update",
			     "vector 0 unmasked by the function mask");
	harness_done(&h);
}

static void function_mask_parse_errors_test(void **state)
{
	static const char *const bad[][2] = {
		{ "vcpu0: guest_msix_function_mask nic0 maybe\n",
		  "expected on or off, not 'maybe'" },
		{ "vcpu0: guest_msix_function_mask nic9 on\n",
		  "unknown device 'nic9'" },
		{ "vcpu0: guest_msix_function_mask nic0\n", "on|off" },
		{ "nic0: guest_msix_function_mask nic0 on\n", "" },
	};
	struct scenario s;
	char err[SCENARIO_ERR];

	(void)state;
	scenario_init();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[1024];

		snprintf(text, sizeof(text), "%s%s", VM, bad[i][0]);
		err[0] = 0;
		assert_int_not_equal(scenario_parse(&s, "t", text, err,
						    sizeof(err)),
				     0);
		if (!strstr(err, bad[i][1]) || !err[0]) {
			print_error("'%s': got '%s'\n", bad[i][0], err);
			fail();
		}
		scenario_free(&s);
	}
}

/*
 * Each trapped write returns to the guest: the VM entry after the first
 * write is a state of its own, in which KVM can inject and the guest can
 * take an interrupt before it makes the second write (issue 23, item 8;
 * the two writes used to run as one transition).
 */
static void vm_entry_between_trapped_writes_test(void **state)
{
	const struct vmm_world *w;

	(void)state;
	harness_load(&h, ENABLED FMASK_ON FMASK_OFF);
	w = h.w;
	HARNESS_FIRE_UNTIL(&h, "vcpu0",
			   w->qdev[0].maskall && !w->vcpu[0].in_host);
	/* the second operation has not started */
	assert_int_equal(harness_sched(&h)->actor[harness_actor(&h, "vcpu0")].op,
			 1);
	/* an interrupt KVM set now is taken before it */
	h.w->vcpu[0].virr |= 1u;
	assert_true(harness_enabled(&h, "vcpu0:virq"));
	harness_fire(&h, "vcpu0:virq");
	assert_true(w->qdev[0].maskall);
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(function_mask_releases_every_vector_test),
		cmocka_unit_test(function_unmask_uses_and_replays_pba_test),
		cmocka_unit_test(function_mask_skips_masked_entry_test),
		cmocka_unit_test(function_mask_before_enable_test),
		cmocka_unit_test(function_mask_parse_errors_test),
		cmocka_unit_test(vm_entry_between_trapped_writes_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
