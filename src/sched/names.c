// SPDX-License-Identifier: MIT
/* Name indexes (sched/names.h): uthash, outside the world. */
#include "sched/names.h"

#include <stdlib.h>
#include <string.h>

/*
 * Out of memory, uthash leaves the entry out and says so through
 * uthash_nonfatal_oom() instead of exiting: the index is then dropped.
 */
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(elt) ((elt)->lost = true)
#include <uthash.h>

struct irqsim_name {
	const char *name;
	int id;
	bool lost;
	UT_hash_handle hh;
};

/* Out of memory: free every entry; lookups scan from now on. */
static void names_drop(struct irqsim_names *ix)
{
	struct irqsim_name *e, *tmp;

	HASH_ITER(hh, ix->head, e, tmp) {
		HASH_DEL(ix->head, e);
		free(e);
	}
	ix->broken = true;
}

void irqsim_names_free(struct irqsim_names *ix)
{
	bool broken = ix->broken;

	names_drop(ix);
	*ix = (struct irqsim_names){ .broken = broken };
}

void irqsim_names_add(struct irqsim_names *ix, const char *name, int id)
{
	size_t len = strlen(name);
	struct irqsim_name *e;

	ix->built = true;
	if (ix->broken)
		return;
	HASH_FIND(hh, ix->head, name, len, e);
	if (e)
		return;
	e = malloc(sizeof(*e));
	if (!e) {
		names_drop(ix);
		return;
	}
	*e = (struct irqsim_name){ .name = name, .id = id };
	HASH_ADD_KEYPTR(hh, ix->head, e->name, len, e);
	if (e->lost) {
		free(e);
		names_drop(ix);
	}
}

int irqsim_names_lookup(struct irqsim_names *ix, const char *name, int n,
			const char *(*name_of)(int i))
{
	struct irqsim_name *e;

	if (!ix->built)
		for (int i = 0; i < n; i++)
			irqsim_names_add(ix, name_of(i), i);
	ix->built = true;
	if (ix->broken) {
		for (int i = 0; i < n; i++)
			if (!strcmp(name_of(i), name))
				return i;
		return -1;
	}
	HASH_FIND_STR(ix->head, name, e);
	return e ? e->id : -1;
}
