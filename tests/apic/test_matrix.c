// SPDX-License-Identifier: MIT
/*
 * The vector matrix allocator (kernel/irq/matrix.c) and the local APIC's
 * MSI acceptance and delivery priority (arch/x86 MSI address format,
 * Intel SDM vol. 3, 11.8.3.1 "Task and Processor Priorities").
 *
 * The matrix is set up as arch/x86/kernel/apic/vector.c
 * arch_early_irq_init() does: irq_alloc_matrix(NR_VECTORS,
 * FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR). The model assigns no system
 * vectors inside that range (no legacy ISA vectors), so every vector in
 * [FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR) is free at start.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "apic/apic.h"

static struct apic_world aw;

static int setup_world(void **state)
{
	(void)state;
	memset(&aw, 0, sizeof(aw));
	apic_world_init(&aw, 2);
	return 0;
}

static bool irr_empty(const struct apic_world *w, int cpu)
{
	for (int i = 0; i < APIC_IRR_WORDS; i++)
		if (w->cpu[cpu].lapic.irr[i])
			return false;
	return true;
}

static void matrix_alloc_tie_first_cpu_lowest_vector_test(void **state)
{
	unsigned int cpu = 99;
	int v;

	(void)state;
	/*
	 * matrix_find_best_cpu(): "cm->available <= maxavl" skips a CPU, so
	 * on equal availability the first CPU of the mask keeps the win.
	 * matrix_alloc_area(): bitmap_find_next_zero_area() from alloc_start
	 * returns the lowest free bit, FIRST_EXTERNAL_VECTOR.
	 */
	v = irq_matrix_alloc(&aw.matrix, 0x3, false, &cpu, &aw);
	assert_int_equal(v, FIRST_EXTERNAL_VECTOR);
	assert_int_equal(v, 0x20);
	assert_int_equal(cpu, 0);
	/* irq_matrix_alloc(): allocated++, available--, totals follow. */
	assert_int_equal(aw.matrix.cpu[0].allocated, 1);
	assert_int_equal(aw.matrix.cpu[0].available,
			 FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR - 1);
	assert_int_equal(aw.matrix.total_allocated, 1);
	assert_int_equal(aw.matrix.global_available,
			 2 * (FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR) - 1);
	assert_true(apic_vector_test(aw.matrix.cpu[0].alloc_map, v));
}

static void matrix_alloc_second_goes_to_emptier_cpu_test(void **state)
{
	unsigned int cpu0 = 99, cpu1 = 99;
	int v0, v1;

	(void)state;
	v0 = irq_matrix_alloc(&aw.matrix, 0x3, false, &cpu0, &aw);
	/*
	 * matrix_find_best_cpu(): cpu1 now has strictly more available
	 * vectors than cpu0, so it wins; its lowest free bit is again
	 * FIRST_EXTERNAL_VECTOR (alloc maps are per CPU).
	 */
	v1 = irq_matrix_alloc(&aw.matrix, 0x3, false, &cpu1, &aw);
	assert_int_equal(cpu0, 0);
	assert_int_equal(v0, FIRST_EXTERNAL_VECTOR);
	assert_int_equal(cpu1, 1);
	assert_int_equal(v1, FIRST_EXTERNAL_VECTOR);
	assert_int_equal(aw.matrix.total_allocated, 2);
}

static void matrix_free_then_alloc_same_cpu_vector_test(void **state)
{
	unsigned int cpu0 = 99, cpu1 = 99, again = 99;
	int v0, v1, v;

	(void)state;
	v0 = irq_matrix_alloc(&aw.matrix, 0x3, false, &cpu0, &aw);
	v1 = irq_matrix_alloc(&aw.matrix, 0x3, false, &cpu1, &aw);
	assert_int_equal(cpu1, 1);
	/*
	 * irq_matrix_free() clears the bit and gives the vector back
	 * (available++); the next irq_matrix_alloc() on the same mask sees
	 * cpu1 with more available again, and matrix_alloc_area() finds the
	 * freed bit first. This is the seed-000 precondition: free_irq() +
	 * request_irq() hand the device the same cpu and vector.
	 */
	irq_matrix_free(&aw.matrix, cpu1, (unsigned int)v1);
	assert_false(apic_vector_test(aw.matrix.cpu[1].alloc_map, v1));
	assert_int_equal(aw.matrix.cpu[1].available,
			 FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR);
	v = irq_matrix_alloc(&aw.matrix, 0x3, false, &again, &aw);
	assert_int_equal(again, cpu1);
	assert_int_equal(v, v1);

	/* Same with a single-CPU mask, as seed000 pins its device to cpu1. */
	irq_matrix_free(&aw.matrix, again, (unsigned int)v);
	v = irq_matrix_alloc(&aw.matrix, 0x2, false, &again, &aw);
	assert_int_equal(again, 1);
	assert_int_equal(v, v1);

	/* And on cpu0, whose first vector was taken first. */
	irq_matrix_free(&aw.matrix, cpu0, (unsigned int)v0);
	v = irq_matrix_alloc(&aw.matrix, 0x1, false, &again, &aw);
	assert_int_equal(again, 0);
	assert_int_equal(v, v0);
}

static void matrix_free_unallocated_is_noop_test(void **state)
{
	uint16_t avail = aw.matrix.cpu[0].available;
	uint16_t global = aw.matrix.global_available;

	(void)state;
	/*
	 * irq_matrix_free(): WARN_ON_ONCE(!test_and_clear_bit(...)) and
	 * return: counters are untouched for a bit that was not allocated.
	 */
	irq_matrix_free(&aw.matrix, 0, 0x40);
	assert_int_equal(aw.matrix.cpu[0].available, avail);
	assert_int_equal(aw.matrix.global_available, global);
}

static void matrix_assign_busy_and_out_of_range_test(void **state)
{
	unsigned int cpu = 99;
	int v;

	(void)state;
	v = irq_matrix_alloc(&aw.matrix, 0x1, false, &cpu, &aw);
	assert_int_equal(cpu, 0);
	/* irq_matrix_assign(): test_and_set_bit() already set -> -EBUSY. */
	assert_int_equal(irq_matrix_assign(&aw.matrix, 0, (unsigned int)v),
			 -EBUSY);
	/*
	 * irq_matrix_assign(): bit < alloc_start || bit >= alloc_end ->
	 * -EINVAL; alloc_end is FIRST_SYSTEM_VECTOR on x86.
	 */
	assert_int_equal(irq_matrix_assign(&aw.matrix, 0,
					   FIRST_EXTERNAL_VECTOR - 1),
			 -EINVAL);
	assert_int_equal(irq_matrix_assign(&aw.matrix, 0, FIRST_SYSTEM_VECTOR),
			 -EINVAL);
	assert_int_equal(irq_matrix_assign(&aw.matrix, 0, 0xff), -EINVAL);
	/* A free vector in range is taken, and counted as allocated. */
	assert_int_equal(irq_matrix_assign(&aw.matrix, 0, 0x50), 0);
	assert_true(apic_vector_test(aw.matrix.cpu[0].alloc_map, 0x50));
	assert_int_equal(aw.matrix.cpu[0].allocated, 2);
	assert_int_equal(aw.matrix.total_allocated, 2);
	assert_int_equal(irq_matrix_assign(&aw.matrix, 0, 0x50), -EBUSY);
}

static void matrix_alloc_single_cpu_exhaustion_test(void **state)
{
	unsigned int cpu = 99;
	int count = 0, v, prev = FIRST_EXTERNAL_VECTOR - 1;

	(void)state;
	for (;;) {
		v = irq_matrix_alloc(&aw.matrix, 0x2, false, &cpu, &aw);
		if (v < 0)
			break;
		assert_int_equal(cpu, 1);
		/* Lowest free bit first: strictly increasing vectors. */
		assert_int_equal(v, prev + 1);
		assert_true(v >= FIRST_EXTERNAL_VECTOR);
		assert_true(v < FIRST_SYSTEM_VECTOR);
		prev = v;
		count++;
		assert_true(count <= NR_VECTORS);
	}
	/*
	 * matrix_find_best_cpu() skips a CPU with available == 0 and
	 * irq_matrix_alloc() returns -ENOSPC; every vector of the range was
	 * handed out exactly once before that.
	 */
	assert_int_equal(v, -ENOSPC);
	assert_int_equal(count, FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR);
	assert_int_equal(aw.matrix.cpu[1].available, 0);
	/* cpu0 is untouched and still serves a mask that includes it. */
	v = irq_matrix_alloc(&aw.matrix, 0x3, false, &cpu, &aw);
	assert_int_equal(cpu, 0);
	assert_int_equal(v, FIRST_EXTERNAL_VECTOR);
}

static void matrix_alloc_offline_cpu_skipped_test(void **state)
{
	unsigned int cpu = 99;
	int v;

	(void)state;
	/*
	 * matrix_find_best_cpu(): "if (!cm->online ...) continue", the
	 * map's own online bit that lapic_offline() -> irq_matrix_offline()
	 * clears.
	 */
	irq_matrix_offline(&aw.matrix, 0);
	v = irq_matrix_alloc(&aw.matrix, 0x3, false, &cpu, &aw);
	assert_int_equal(cpu, 1);
	assert_int_equal(v, FIRST_EXTERNAL_VECTOR);
	/* No online map in the mask: best_cpu == UINT_MAX -> -ENOSPC. */
	assert_int_equal(irq_matrix_alloc(&aw.matrix, 0x1, false, &cpu, &aw),
			 -ENOSPC);
	/* irq_matrix_alloc(): "if (cpumask_empty(msk)) return -EINVAL" */
	assert_int_equal(irq_matrix_alloc(&aw.matrix, 0, false, &cpu, &aw),
			 -EINVAL);
}

static void matrix_reserved_consumed_once_by_alloc_test(void **state)
{
	unsigned int cpu = 99;
	int v;

	(void)state;
	/* Three irqs in reservation mode: irq_matrix_reserve() each. */
	for (int i = 0; i < 3; i++)
		irq_matrix_reserve(&aw.matrix);
	assert_int_equal(aw.matrix.global_reserved, 3);
	/*
	 * Activation of one of them: activate_reserved() ->
	 * assign_vector_locked() -> irq_matrix_alloc(reserved=true), whose
	 * "if (reserved) m->global_reserved--" is the only decrement on that
	 * path (activate_reserved() only clears apicd->has_reserved). The
	 * other two keep theirs: 3 - 1.
	 */
	v = irq_matrix_alloc(&aw.matrix, 0x3, true, &cpu, &aw);
	assert_true(v >= FIRST_EXTERNAL_VECTOR);
	assert_int_equal(aw.matrix.global_reserved, 2);
	/* A failed allocation consumes nothing (-ENOSPC before the counts). */
	assert_int_equal(irq_matrix_alloc(&aw.matrix, 0x4, true, &cpu, &aw),
			 -ENOSPC);
	assert_int_equal(aw.matrix.global_reserved, 2);
	/*
	 * irq_matrix_free() does not touch the reservation count; the
	 * deactivation takes a new one (reserve_irq_vector_locked()).
	 */
	irq_matrix_free(&aw.matrix, cpu, (unsigned int)v);
	assert_int_equal(aw.matrix.global_reserved, 2);
	irq_matrix_reserve(&aw.matrix);
	assert_int_equal(aw.matrix.global_reserved, 3);
	/* vector_free_reserved_and_managed() of all three at teardown */
	for (int i = 0; i < 3; i++)
		irq_matrix_remove_reserved(&aw.matrix);
	assert_int_equal(aw.matrix.global_reserved, 0);
}

static void matrix_offline_online_global_counts_test(void **state)
{
	unsigned int cpu = 99, per_cpu;
	int v;

	(void)state;
	per_cpu = FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR;
	v = irq_matrix_alloc(&aw.matrix, 0x2, false, &cpu, &aw);
	assert_int_equal(cpu, 1);
	assert_int_equal(aw.matrix.global_available, 2 * per_cpu - 1);
	/*
	 * irq_matrix_offline(): "m->global_available -= cm->available";
	 * total_allocated stays, the map keeps its bits.
	 */
	irq_matrix_offline(&aw.matrix, 1);
	assert_int_equal(aw.matrix.global_available, per_cpu);
	assert_int_equal(aw.matrix.total_allocated, 1);
	assert_int_equal(aw.matrix.cpu[1].allocated, 1);
	/*
	 * irq_matrix_free() on an offline map: the map's own counts change,
	 * the global ones only "if (cm->online)".
	 */
	irq_matrix_free(&aw.matrix, 1, (unsigned int)v);
	assert_int_equal(aw.matrix.cpu[1].allocated, 0);
	assert_int_equal(aw.matrix.cpu[1].available, per_cpu);
	assert_int_equal(aw.matrix.global_available, per_cpu);
	assert_int_equal(aw.matrix.total_allocated, 1);
	/* irq_matrix_online(): "m->global_available += cm->available" */
	irq_matrix_online(&aw.matrix, 1);
	assert_int_equal(aw.matrix.global_available, 2 * per_cpu);
	/* the map serves allocations again, from its lowest free bit */
	v = irq_matrix_alloc(&aw.matrix, 0x2, false, &cpu, &aw);
	assert_int_equal(cpu, 1);
	assert_int_equal(v, FIRST_EXTERNAL_VECTOR);
}

static void apic_msi_write_sets_irr_on_dest_cpu_test(void **state)
{
	(void)state;
	/*
	 * arch/x86/include/asm/msi.h struct arch_msi_msg_addr_lo: 0xfee in
	 * bits 31:20, destid_0_7 in bits 19:12; arch_msi_msg_data: vector in
	 * bits 7:0. CPU n has APIC ID n in the model. The APIC latches the
	 * vector in the destination's IRR (SDM 11.8.4).
	 */
	assert_int_equal(apic_msi_write(&aw, 0xfee01000u, 0x41), 0);
	assert_true(apic_vector_test(aw.cpu[1].lapic.irr, 0x41));
	assert_true(apic_vector_in_flight(&aw, 1, 0x41));
	assert_true(irr_empty(&aw, 0));

	assert_int_equal(apic_msi_write(&aw, MSI_ADDR_BASE_LO, 0x22), 0);
	assert_true(apic_vector_test(aw.cpu[0].lapic.irr, 0x22));
	assert_false(apic_vector_test(aw.cpu[1].lapic.irr, 0x22));
}

static void apic_msi_write_non_apic_address_rejected_test(void **state)
{
	(void)state;
	/*
	 * A DMA write outside 0xFEExxxxx is an ordinary memory write, not an
	 * interrupt message (SDM 11.11.1): no IRR bit anywhere.
	 */
	assert_int_equal(apic_msi_write(&aw, 0x12341000u, 0x41), -EINVAL);
	assert_int_equal(apic_msi_write(&aw, 0xfed01000u, 0x41), -EINVAL);
	assert_int_equal(apic_msi_write(&aw, 0x00000000u, 0x41), -EINVAL);
	assert_true(irr_empty(&aw, 0));
	assert_true(irr_empty(&aw, 1));
}

static void apic_msi_write_missing_or_offline_cpu_test(void **state)
{
	(void)state;
	/* Destination APIC ID 3 does not exist on a 2-CPU machine. */
	assert_int_equal(apic_msi_write(&aw, 0xfee03000u, 0x41), -ENODEV);
	/* an unplugged CPU's APIC takes nothing */
	aw.cpu[1].online = 0;
	aw.cpu[1].apic_dead = 1;
	assert_int_equal(apic_msi_write(&aw, 0xfee01000u, 0x41), -ENODEV);
	assert_true(irr_empty(&aw, 0));
	assert_true(irr_empty(&aw, 1));
	/*
	 * A CPU in take_cpu_down() (out of the online mask, APIC still up)
	 * latches it: fixup_irqs() finds it in the IRR and retriggers it.
	 */
	aw.cpu[1].apic_dead = 0;
	assert_int_equal(apic_msi_write(&aw, 0xfee01000u, 0x41), 0);
	assert_true(apic_vector_test(aw.cpu[1].lapic.irr, 0x41));
}

static void apic_deliverable_same_class_blocked_test(void **state)
{
	(void)state;
	/*
	 * SDM 11.8.3.1: the APIC delivers the highest IRR vector only if its
	 * priority class (vector >> 4) is above the processor priority
	 * class, which is at least the class of the highest ISR vector.
	 * 0x45 and 0x41 are both class 4.
	 */
	apic_vector_set(aw.cpu[0].lapic.isr, 0x41);
	apic_vector_set(aw.cpu[0].lapic.irr, 0x45);
	assert_int_equal(apic_deliverable(&aw, 0), -1);
	/* A lower class one is blocked too. */
	memset(aw.cpu[0].lapic.irr, 0, sizeof(aw.cpu[0].lapic.irr));
	apic_vector_set(aw.cpu[0].lapic.irr, 0x3f);
	assert_int_equal(apic_deliverable(&aw, 0), -1);
}

static void apic_deliverable_higher_class_delivered_test(void **state)
{
	(void)state;
	apic_vector_set(aw.cpu[0].lapic.isr, 0x41);
	apic_vector_set(aw.cpu[0].lapic.irr, 0x45);
	apic_vector_set(aw.cpu[0].lapic.irr, 0x50);
	/* Class 5 > class 4: delivered, and it is the highest IRR vector. */
	assert_int_equal(apic_deliverable(&aw, 0), 0x50);

	/* With nothing in service any pending vector is delivered. */
	apic_vector_set(aw.cpu[1].lapic.irr, 0x21);
	assert_int_equal(apic_deliverable(&aw, 1), 0x21);

	/* local_irq_save() by actor 0: IF=0, the APIC holds everything. */
	aw.cpu[1].irqs_off = 1;
	aw.cpu[1].atomic_owner = 0;
	assert_int_equal(apic_deliverable(&aw, 1), -1);
}

static void apic_deliverable_empty_irr_test(void **state)
{
	(void)state;
	assert_int_equal(apic_deliverable(&aw, 0), -1);
}

#define T(fn) cmocka_unit_test_setup(fn, setup_world)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(matrix_alloc_tie_first_cpu_lowest_vector_test),
		T(matrix_alloc_second_goes_to_emptier_cpu_test),
		T(matrix_free_then_alloc_same_cpu_vector_test),
		T(matrix_free_unallocated_is_noop_test),
		T(matrix_assign_busy_and_out_of_range_test),
		T(matrix_alloc_single_cpu_exhaustion_test),
		T(matrix_alloc_offline_cpu_skipped_test),
		T(matrix_reserved_consumed_once_by_alloc_test),
		T(matrix_offline_online_global_counts_test),
		T(apic_msi_write_sets_irr_on_dest_cpu_test),
		T(apic_msi_write_non_apic_address_rejected_test),
		T(apic_msi_write_missing_or_offline_cpu_test),
		T(apic_deliverable_same_class_blocked_test),
		T(apic_deliverable_higher_class_delivered_test),
		T(apic_deliverable_empty_irr_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
