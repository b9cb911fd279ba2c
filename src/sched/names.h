/* SPDX-License-Identifier: MIT */
/*
 * Name indexes: a uthash table from a name to its index in a table of
 * the tool's (the knob registry, the trace language's operations and
 * directives, the profiles), for the lookups by name outside the world.
 *
 * An index never fails its caller: out of memory (plain malloc, not the
 * counted irqsim_malloc(), so IRQSIM_FAIL_ALLOC's counts do not move) it
 * drops what it holds, and from then on scans the table by name instead,
 * which gives the same answer. Not thread-safe: the tool builds and reads
 * its indexes before it starts workers, which never look a name up.
 */
#ifndef IRQSIM_NAMES_H
#define IRQSIM_NAMES_H

#include <stdbool.h>

struct irqsim_name;

struct irqsim_names {
	struct irqsim_name *head;	/* uthash head */
	bool built;			/* the table's names are in */
	bool broken;			/* out of memory: scan instead */
};

/**
 * irqsim_names_add - index @name as @id
 * @ix:   the index
 * @name: kept, not copied: it must outlive the index
 * @id:   its index in the caller's table, 0 or more
 *
 * A name already in the index keeps its first id, as a scan from the
 * table's start would find it.
 */
void irqsim_names_add(struct irqsim_names *ix, const char *name, int id);

/**
 * irqsim_names_lookup - the index of @name in a table of @n names
 * @ix:      the index; the first lookup adds name_of(0..@n - 1)
 * @name:    the name looked up
 * @n:       how many names the table has now
 * @name_of: the table's name at an index (the scan, out of memory)
 *
 * Return: the first index whose name is @name, or -1.
 */
int irqsim_names_lookup(struct irqsim_names *ix, const char *name, int n,
			const char *(*name_of)(int i));

/*
 * irqsim_names_free - free the index's entries; it is empty and not
 * built afterwards (the tool's own indexes live as long as it does).
 */
void irqsim_names_free(struct irqsim_names *ix);

#endif
