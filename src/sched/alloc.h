/* SPDX-License-Identifier: MIT */
/*
 * The tool's own allocations (the parser, schedules, the event log, the
 * explorers, the renderers; the modeled world is flat and allocates
 * nothing) go through these wrappers, so a test can fail the Nth one and
 * drive every -ENOMEM unwind: `IRQSIM_FAIL_ALLOC=N irqsim ...` or
 * irqsim_alloc_fail_nth(). Free with free().
 */
#ifndef IRQSIM_ALLOC_H
#define IRQSIM_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *irqsim_malloc(size_t size);
void *irqsim_calloc(size_t n, size_t size);
void *irqsim_realloc(void *p, size_t size);
char *irqsim_strdup(const char *s);

/**
 * irqsim_alloc_fail_nth - fail one allocation
 * @nth: the allocation to fail, counted from 1 from now; 0 = none
 *
 * Only that one fails: the caller must unwind from it, not from a heap
 * that stays exhausted. Thread-safe (the sweep's workers allocate).
 */
void irqsim_alloc_fail_nth(unsigned long nth);
/* Allocations since the last irqsim_alloc_fail_nth(), failed or not. */
unsigned long irqsim_alloc_count(void);
/* Whether the requested failure happened. */
bool irqsim_alloc_failed(void);

#endif
