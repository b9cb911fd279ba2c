// SPDX-License-Identifier: MIT
/*
 * The event log the renderers read: what the engine records by itself
 * (lockdep-style lock events in the order locks are taken, entry and exit
 * records of modeled functions), what the model's annotations attach to,
 * and that attaching a log changes nothing in the run it records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render_util.h"

static bool is_lock(const struct irqsim_event *e, const char *tp)
{
	return e->kind == IRQSIM_EV_TRACE && e->tp && e->tp == e->fn &&
	       !strcmp(e->tp, tp);
}

/*
 * Per actor: every lock released was acquired by it before and is
 * released once; exits match entries innermost first (frames are a
 * stack); nothing is held or open twice.
 */
static void check_balanced(const struct rendered_run *r)
{
	int held[IRQSIM_MAX_ACTORS][IRQSIM_MAX_LOCKS] = { { 0 } };
	const char *stack[IRQSIM_MAX_ACTORS][IRQSIM_MAX_FRAMES + 1];
	int depth[IRQSIM_MAX_ACTORS] = { 0 };

	for (size_t i = 0; i < r->log.n; i++) {
		const struct irqsim_event *e = &r->log.ev[i];
		int a = e->actor;

		assert_true(a < r->s.machine.nactors);
		if (is_lock(e, "lock_acquire") || is_lock(e, "lock_release")) {
			int lock = IRQSIM_OBJ_A(e->obj[0]);

			assert_int_equal(IRQSIM_OBJ_KIND(e->obj[0]),
					 IRQSIM_OBJ_LOCK);
			if (e->tp[5] == 'a') {
				/* one owner at a time (it is a lock) */
				for (int b = 0; b < IRQSIM_MAX_ACTORS; b++)
					assert_int_equal(held[b][lock], 0);
				held[a][lock] = 1;
				assert_int_equal(e->access[0],
						 IRQSIM_ACC_ACQUIRE);
			} else {
				assert_int_equal(held[a][lock], 1);
				held[a][lock] = 0;
				assert_int_equal(e->access[0],
						 IRQSIM_ACC_RELEASE);
			}
		}
		if (e->kind == IRQSIM_EV_ENTRY) {
			assert_true(depth[a] < IRQSIM_MAX_FRAMES);
			stack[a][depth[a]++] = e->fn;
		}
		if (e->kind == IRQSIM_EV_EXIT) {
			assert_true(depth[a] > 0);
			assert_string_equal(stack[a][--depth[a]], e->fn);
		}
	}
}

static void tglx_timeline_log_is_balanced_test(void **state)
{
	struct rendered_run r;
	int contended = 0, acquired_by_irq = 0;

	(void)state;
	assert_int_equal(render_util_run(&r, "traces/seed000-tglx-timeline.trace",
					 NULL, -1),
			 0);
	check_balanced(&r);
	for (size_t i = 0; i < r.log.n; i++) {
		const struct irqsim_event *e = &r.log.ev[i];

		contended += is_lock(e, "lock_contended");
		if (is_lock(e, "lock_acquire") &&
		    r.s.machine.actor[e->actor].role == ROLE_HARDIRQ &&
		    IRQSIM_OBJ_A(e->obj[0]) == APIC_LOCK_VECTOR)
			acquired_by_irq++;
	}
	/*
	 * v6.18's reevaluate_vector(): the interrupt entry that found a
	 * marker takes vector_lock (ce0b5eedcb75); in this schedule QEMU's
	 * side has released it, so it is not contended.
	 */
	assert_int_equal(acquired_by_irq, 1);
	assert_int_equal(contended, 0);
	render_util_free(&r);
}

/*
 * The annotations attach to the event logged just before them: the step
 * that writes VECTOR_SHUTDOWN (x86_vector_deactivate's prose) carries
 * clear_irq_vector's fields and a write of that vector_irq slot, and the
 * device's message both reads its MSI-X entry and writes an IRR bit.
 */
static void annotations_attach_to_their_event_test(void **state)
{
	struct rendered_run r;
	const struct irqsim_event *shutdown = NULL, *msi = NULL;

	(void)state;
	assert_int_equal(render_util_run(&r, "traces/seed000-tglx-timeline.trace",
					 NULL, -1),
			 0);
	for (size_t i = 0; i < r.log.n; i++) {
		const struct irqsim_event *e = &r.log.ev[i];

		if (!shutdown && e->tp && !strcmp(e->tp, "clear_irq_vector"))
			shutdown = e;
		if (!msi && e->tp && !strcmp(e->tp, "msi_send") &&
		    render_util_field(e, "cpu") >= 0)
			msi = e;
	}
	assert_non_null(shutdown);
	assert_true(shutdown->important);
	assert_string_equal(shutdown->fn, "x86_vector_deactivate");
	assert_non_null(strstr(shutdown->text, "SHUTDOWN"));
	assert_int_equal(shutdown->naccess, 1);
	assert_int_equal(shutdown->access[0], IRQSIM_ACC_WRITE);
	assert_int_equal(IRQSIM_OBJ_KIND(shutdown->obj[0]), APIC_OBJ_VECTOR_IRQ);
	assert_int_equal(IRQSIM_OBJ_A(shutdown->obj[0]),
			 render_util_field(shutdown, "cpu"));
	assert_int_equal(IRQSIM_OBJ_B(shutdown->obj[0]),
			 render_util_field(shutdown, "vector"));

	assert_non_null(msi);
	assert_string_equal(msi->fn, "device");
	assert_int_equal(msi->naccess, 2);
	assert_int_equal(IRQSIM_OBJ_KIND(msi->obj[0]), MSI_OBJ_MSIX_ENTRY);
	assert_int_equal(msi->access[0], IRQSIM_ACC_READ);
	assert_int_equal(IRQSIM_OBJ_KIND(msi->obj[1]), APIC_OBJ_IRR);
	assert_int_equal(msi->access[1], IRQSIM_ACC_WRITE);
	assert_int_equal(IRQSIM_OBJ_A(msi->obj[1]), render_util_field(msi, "cpu"));
	assert_int_equal(IRQSIM_OBJ_B(msi->obj[1]),
			 render_util_field(msi, "vector"));
	render_util_free(&r);
}

/* The last event of tracepoint @tp before index @end, or NULL. */
static const struct irqsim_event *last_tp(const struct rendered_run *r,
					  size_t end, const char *tp)
{
	for (size_t i = end; i-- > 0;) {
		const struct irqsim_event *e = &r->log.ev[i];

		if (e->kind == IRQSIM_EV_TRACE && e->tp && !strcmp(e->tp, tp))
			return e;
	}
	return NULL;
}

/*
 * The INTx path of seeds/001 names what it touches: in Alex Williamson's
 * sequence on ppc64 (a fixed schedule), the lazy irq_disable() and the
 * handler that finds the irq disabled both change irq1's state, the
 * enable_irq() of the unmask reads it, the controller's pin is an object
 * of its own, and the stall verdict points at the assertion that was
 * never serviced (the device's last one).
 */
static void intx_annotations_and_stalled_event_test(void **state)
{
	struct rendered_run r;
	const struct irqsim_event *disable, *found, *enable, *raise;
	size_t raises = 0, stall_end;

	(void)state;
	assert_int_equal(render_util_run(&r, "traces/seed001-sequence.trace",
					 NULL, -1),
			 0);
	check_balanced(&r);
	assert_int_equal(r.res.verdict.kind, CHECK_DEVICE_STALL);
	stall_end = r.log.n;
	disable = last_tp(&r, stall_end, "irq_disable");
	found = last_tp(&r, stall_end, "handle_fasteoi_irq");
	enable = last_tp(&r, stall_end, "enable_irq");
	raise = last_tp(&r, stall_end, "pci_dev_raise_intx");
	assert_non_null(disable);
	assert_non_null(found);
	assert_non_null(enable);
	assert_non_null(raise);
	assert_true(disable->step < found->step);
	assert_true(found->step < enable->step);

	assert_int_equal(IRQSIM_OBJ_KIND(disable->obj[0]), IRQ_OBJ_STATE);
	assert_int_equal(disable->access[0], IRQSIM_ACC_RMW);
	assert_int_equal(render_util_field(disable, "disabled"), 1);
	assert_int_equal(render_util_field(disable, "unlazy"), 0);
	/* the second assertion finds it disabled: IRQS_PENDING */
	assert_int_equal(found->obj[0], disable->obj[0]);
	assert_int_equal(render_util_field(found, "pending"), 1);
	assert_int_equal(enable->obj[0], disable->obj[0]);
	assert_int_equal(enable->access[0], IRQSIM_ACC_READ);
	assert_int_equal(render_util_field(enable, "depth"), 1);

	for (size_t i = 0; i < r.log.n; i++)
		raises += r.log.ev[i].kind == IRQSIM_EV_TRACE &&
			  r.log.ev[i].tp &&
			  !strcmp(r.log.ev[i].tp, "pci_dev_raise_intx");
	assert_int_equal(raises, 2);
	assert_int_equal(IRQSIM_OBJ_KIND(raise->obj[0]), MSI_OBJ_INTX);
	assert_int_equal(render_util_field(raise, "line"), 1);
	assert_true(r.res.verdict.has_origin);
	assert_int_equal(r.res.verdict.origin_step, raise->step);
	assert_int_equal(r.res.verdict.origin_actor, raise->actor);
	render_util_free(&r);
}

/*
 * Attaching a log must not change the run: for the first seeds of the
 * VFIO race, the same verdict, steps and final world with and without.
 */
static void logging_does_not_change_the_run_test(void **state)
{
	(void)state;
	for (long long seed = 0; seed < 40; seed++) {
		struct rendered_run logged, plain;
		struct irqsim_chooser ch;
		struct irqsim_rt rt;

		assert_int_equal(render_util_run(&logged,
						 "traces/seed000-vfio-loss.trace",
						 NULL, seed),
				 0);
		check_balanced(&logged);
		/* the same run again, no log attached */
		assert_int_equal(render_util_run(&plain,
						 "traces/seed000-vfio-loss.trace",
						 NULL, seed),
				 0);
		{
			char err[SCENARIO_ERR];

			assert_int_equal(scenario_world(&plain.s, plain.knobs,
							plain.w, err,
							sizeof(err)),
					 0);
		}
		memset(&ch, 0, sizeof(ch));
		ch.kind = IRQSIM_CHOOSE_RANDOM;
		irqsim_prng_seed(&ch.prng, (uint64_t)seed);
		scenario_rt(&plain.s, plain.knobs, NULL, &rt);
		irqsim_run(&scenario_model, &rt, plain.w, &ch, plain.s.bound,
			   NULL, &plain.res);
		assert_int_equal(plain.res.verdict.kind,
				 logged.res.verdict.kind);
		assert_int_equal(plain.res.steps, logged.res.steps);
		assert_memory_equal(plain.w, logged.w, sizeof(*plain.w));
		render_util_free(&plain);
		render_util_free(&logged);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tglx_timeline_log_is_balanced_test),
		cmocka_unit_test(annotations_attach_to_their_event_test),
		cmocka_unit_test(intx_annotations_and_stalled_event_test),
		cmocka_unit_test(logging_does_not_change_the_run_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
