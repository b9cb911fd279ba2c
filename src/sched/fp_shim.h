/* SPDX-License-Identifier: MIT */
/*
 * Force-included (-include) into every file of the instrumented twin:
 * the string functions that read or write memory in bulk go through
 * footprint shims, since the compiler's instrumentation sees only loads
 * and stores in our own code, not inside libc.
 */
#ifndef IRQSIM_FP_SHIM_H
#define IRQSIM_FP_SHIM_H

/* code that must know it is the twin (the lockset tracker's lock hooks) */
#define IRQSIM_FP_BUILD 1

#include <stddef.h>
#include <string.h>

void *irqsim_fp_memcpy(void *dst, const void *src, size_t n);
void *irqsim_fp_memmove(void *dst, const void *src, size_t n);
void *irqsim_fp_memset(void *dst, int c, size_t n);
int irqsim_fp_memcmp(const void *a, const void *b, size_t n);

#define memcpy(d, s, n) irqsim_fp_memcpy((d), (s), (n))
#define memmove(d, s, n) irqsim_fp_memmove((d), (s), (n))
#define memset(d, c, n) irqsim_fp_memset((d), (c), (n))
#define memcmp(a, b, n) irqsim_fp_memcmp((a), (b), (n))

#endif
