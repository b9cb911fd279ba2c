// SPDX-License-Identifier: MIT
/* Allocation wrappers with a fault-injection hook (sched/alloc.h). */
#include "sched/alloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned long alloc_nth;		/* 0: no failure requested */
static unsigned long alloc_count;
static bool alloc_did_fail;

void irqsim_alloc_fail_nth(unsigned long nth)
{
	__atomic_store_n(&alloc_count, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&alloc_did_fail, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&alloc_nth, nth, __ATOMIC_SEQ_CST);
}

unsigned long irqsim_alloc_count(void)
{
	return __atomic_load_n(&alloc_count, __ATOMIC_SEQ_CST);
}

bool irqsim_alloc_failed(void)
{
	return __atomic_load_n(&alloc_did_fail, __ATOMIC_SEQ_CST);
}

/* Is this allocation the one to fail? */
static bool inject(void)
{
	unsigned long n = __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);

	if (n != __atomic_load_n(&alloc_nth, __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&alloc_did_fail, true, __ATOMIC_SEQ_CST);
	return true;
}

void *irqsim_malloc(size_t size)
{
	return inject() ? NULL : malloc(size);
}

void *irqsim_calloc(size_t n, size_t size)
{
	return inject() ? NULL : calloc(n, size);
}

void *irqsim_realloc(void *p, size_t size)
{
	return inject() ? NULL : realloc(p, size);
}

char *irqsim_strdup(const char *s)
{
	return inject() ? NULL : strdup(s);
}
