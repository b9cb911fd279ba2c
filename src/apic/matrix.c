// SPDX-License-Identifier: MIT
/* Models kernel/irq/matrix.c (Linux v6.18): the vector matrix allocator. */
#include "apic/apic.h"

#include <errno.h>

/*
 * matrix_find_best_cpu(): the online CPU in @mask with the most available
 * vectors; the comparison is strictly greater, so ties go to the first CPU
 * in mask order.
 */
static int matrix_find_best_cpu(const struct irq_matrix *m, uint8_t mask,
				const struct apic_world *aw)
{
	int best = -1;
	unsigned int maxavl = 0;

	for (int cpu = 0; cpu < aw->nr_cpus; cpu++) {
		if (!(mask & (1u << cpu)) || !aw->cpu[cpu].online)
			continue;
		if (m->cpu[cpu].available <= maxavl)
			continue;
		maxavl = m->cpu[cpu].available;
		best = cpu;
	}
	return best;
}

/*
 * matrix_alloc_area(): the lowest bit at or above alloc_start that is
 * neither a system vector nor allocated. A vector just freed is therefore
 * the first one handed out again: free + alloc on the same mask returns
 * the same CPU and vector, the precondition of the seed-000 races.
 */
static int matrix_alloc_area(const struct irq_matrix *m, int cpu)
{
	const struct irq_matrix_cpu *cm = &m->cpu[cpu];

	for (int bit = m->alloc_start; bit < m->alloc_end; bit++) {
		if (apic_vector_test(m->system_map, bit) ||
		    apic_vector_test(cm->alloc_map, bit))
			continue;
		return bit;
	}
	return -ENOSPC;
}

/**
 * irq_matrix_alloc - allocate a regular vector in the matrix
 * @m:          the matrix
 * @mask:       CPUs to choose from
 * @reserved:   the caller held a global reservation, which is consumed
 * @mapped_cpu: the chosen CPU
 * @aw:         for the online state of the CPUs
 *
 * Return: the vector, or -ENOSPC.
 */
int irq_matrix_alloc(struct irq_matrix *m, uint8_t mask, bool reserved,
		     unsigned int *mapped_cpu, const struct apic_world *aw)
{
	int cpu = matrix_find_best_cpu(m, mask, aw);
	int bit;

	if (cpu < 0)
		return -ENOSPC;
	bit = matrix_alloc_area(m, cpu);
	if (bit < 0)
		return bit;
	apic_vector_set(m->cpu[cpu].alloc_map, bit);
	m->cpu[cpu].allocated++;
	m->cpu[cpu].available--;
	m->total_allocated++;
	m->global_available--;
	if (reserved && m->global_reserved)
		m->global_reserved--;
	*mapped_cpu = (unsigned int)cpu;
	return bit;
}

/**
 * irq_matrix_free - release a regular vector; it becomes available again
 * @m:   the matrix
 * @cpu: the CPU it was allocated on
 * @bit: the vector
 */
void irq_matrix_free(struct irq_matrix *m, unsigned int cpu, unsigned int bit)
{
	struct irq_matrix_cpu *cm;

	/* the kernel WARNs and returns for a bit outside the range */
	if (cpu >= IRQSIM_MAX_CPUS || (int)bit < m->alloc_start ||
	    (int)bit >= m->alloc_end)
		return;
	cm = &m->cpu[cpu];
	if (!apic_vector_test(cm->alloc_map, (int)bit))
		return;
	apic_vector_clear(cm->alloc_map, (int)bit);
	cm->allocated--;
	cm->available++;
	m->total_allocated--;
	m->global_available++;
}

/* irq_matrix_reserve - a global reservation, no bit (reservation mode). */
void irq_matrix_reserve(struct irq_matrix *m)
{
	m->global_reserved++;
}

void irq_matrix_remove_reserved(struct irq_matrix *m)
{
	if (m->global_reserved)
		m->global_reserved--;
}

/**
 * irq_matrix_assign - take a specific vector on a CPU, for vectors other
 * devices already use
 * Return: 0, -EINVAL for a vector outside the allocation range, -EBUSY if
 * it is taken.
 */
int irq_matrix_assign(struct irq_matrix *m, unsigned int cpu, unsigned int bit)
{
	struct irq_matrix_cpu *cm = &m->cpu[cpu];

	if ((int)bit < m->alloc_start || (int)bit >= m->alloc_end)
		return -EINVAL;
	if (apic_vector_test(cm->alloc_map, (int)bit) ||
	    apic_vector_test(m->system_map, (int)bit))
		return -EBUSY;
	apic_vector_set(cm->alloc_map, (int)bit);
	cm->allocated++;
	cm->available--;
	m->total_allocated++;
	m->global_available--;
	return 0;
}

int irq_matrix_use_up(struct apic_world *aw, int cpu, int n)
{
	struct irq_matrix *m = &aw->matrix;

	if (cpu < 0 || cpu >= aw->nr_cpus || n < 0 ||
	    n > m->cpu[cpu].available)
		return -ENOSPC;
	for (int bit = m->alloc_start; n && bit < m->alloc_end; bit++) {
		if (irq_matrix_assign(m, (unsigned int)cpu, (unsigned int)bit))
			continue;
		aw->vectors_other++;
		n--;
	}
	return 0;
}
