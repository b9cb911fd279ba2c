// SPDX-License-Identifier: MIT
/*
 * Footprint recording: the hooks GCC's -fsanitize=thread instrumentation
 * calls, and the bitmaps they fill. This file is always compiled without
 * that instrumentation (a hook must not call itself).
 */
#include "sched/footprint.h"
#include "sched/alloc.h"

#include <stdlib.h>
#include <string.h>

struct recorder {
	uintptr_t base;
	size_t len;
	const struct irqsim_fp_space *sp;
	struct irqsim_fpset *fs;
};

static __thread struct recorder rec;
static bool instrumented;

bool irqsim_fp_available(void)
{
	return instrumented;
}

static void set_bits(uint64_t *bm, size_t off, size_t len)
{
	size_t end = off + len;

	while (off < end) {
		size_t word = off / 64, bit = off % 64;
		size_t n = 64 - bit < end - off ? 64 - bit : end - off;
		uint64_t mask = n == 64 ? ~0ULL : ((1ULL << n) - 1) << bit;

		bm[word] |= mask;
		off += n;
	}
}

static inline void note(const void *addr, size_t size, bool write)
{
	uintptr_t a = (uintptr_t)addr;
	size_t off, len;

	if (a + size <= rec.base || a >= rec.base + rec.len)
		return;
	off = a > rec.base ? a - rec.base : 0;
	len = a + size - rec.base - off;
	if (off + len > rec.len)
		len = rec.len - off;
	set_bits(write ? rec.fs->w : rec.fs->r, off, len);
}

#define RECORDING() __builtin_expect(rec.fs != NULL, 0)

/* The hooks: declared here, called by instrumented code. */
#define IRQSIM_TSAN_HOOKS(N)                                                \
	void __tsan_read##N(void *a);                                       \
	void __tsan_write##N(void *a);                                      \
	void __tsan_unaligned_read##N(void *a);                             \
	void __tsan_unaligned_write##N(void *a);                            \
	void __tsan_volatile_read##N(void *a);                              \
	void __tsan_volatile_write##N(void *a);                             \
	void __tsan_read##N(void *a)                                        \
	{                                                                   \
		if (RECORDING())                                            \
			note(a, N, false);                                  \
	}                                                                   \
	void __tsan_write##N(void *a)                                       \
	{                                                                   \
		if (RECORDING())                                            \
			note(a, N, true);                                   \
	}                                                                   \
	void __tsan_unaligned_read##N(void *a)                              \
	{                                                                   \
		if (RECORDING())                                            \
			note(a, N, false);                                  \
	}                                                                   \
	void __tsan_unaligned_write##N(void *a)                             \
	{                                                                   \
		if (RECORDING())                                            \
			note(a, N, true);                                   \
	}                                                                   \
	void __tsan_volatile_read##N(void *a)                               \
	{                                                                   \
		if (RECORDING())                                            \
			note(a, N, false);                                  \
	}                                                                   \
	void __tsan_volatile_write##N(void *a)                              \
	{                                                                   \
		if (RECORDING())                                            \
			note(a, N, true);                                   \
	}

IRQSIM_TSAN_HOOKS(1)
IRQSIM_TSAN_HOOKS(2)
IRQSIM_TSAN_HOOKS(4)
IRQSIM_TSAN_HOOKS(8)
IRQSIM_TSAN_HOOKS(16)

/* GCC's own prototypes (a sanitized build of this file declares them) */
void __tsan_read_range(void *a, long n);
void __tsan_write_range(void *a, long n);
void __tsan_init(void);
void __tsan_func_entry(void *pc);
void __tsan_func_exit(void *unused);
void __tsan_vptr_update(void *vptr, void *val);
void __tsan_vptr_read(void *vptr);

void __tsan_read_range(void *a, long n)
{
	if (RECORDING() && n > 0)
		note(a, (size_t)n, false);
}

void __tsan_write_range(void *a, long n)
{
	if (RECORDING() && n > 0)
		note(a, (size_t)n, true);
}

/* Called by a constructor in every instrumented object file. */
void __tsan_init(void)
{
	instrumented = true;
}

void __tsan_func_entry(void *pc)
{
	(void)pc;
}

void __tsan_func_exit(void *unused)
{
	(void)unused;
}

void __tsan_vptr_update(void *vptr, void *val)
{
	(void)vptr;
	(void)val;
}

void __tsan_vptr_read(void *vptr)
{
	(void)vptr;
}

/* The shims fp_shim.h maps the string functions to. */
void *irqsim_fp_memcpy(void *dst, const void *src, size_t n);
void *irqsim_fp_memmove(void *dst, const void *src, size_t n);
void *irqsim_fp_memset(void *dst, int c, size_t n);
int irqsim_fp_memcmp(const void *a, const void *b, size_t n);

void *irqsim_fp_memcpy(void *dst, const void *src, size_t n)
{
	if (RECORDING() && n) {
		note(src, n, false);
		note(dst, n, true);
	}
	return memcpy(dst, src, n);
}

void *irqsim_fp_memmove(void *dst, const void *src, size_t n)
{
	if (RECORDING() && n) {
		note(src, n, false);
		note(dst, n, true);
	}
	return memmove(dst, src, n);
}

void *irqsim_fp_memset(void *dst, int c, size_t n)
{
	if (RECORDING() && n)
		note(dst, n, true);
	return memset(dst, c, n);
}

int irqsim_fp_memcmp(const void *a, const void *b, size_t n)
{
	if (RECORDING() && n) {
		note(a, n, false);
		note(b, n, false);
	}
	return memcmp(a, b, n);
}

/* ------------------------------------------------------------------ */
/* Sets                                                                */

int irqsim_fp_space_init(struct irqsim_fp_space *sp, size_t world_size)
{
	sp->world_size = world_size;
	sp->words = (world_size + 63) / 64;
	sp->group = (sp->words + 63) / 64;
	sp->ignore = irqsim_calloc(sp->words, sizeof(uint64_t));
	return sp->ignore ? 0 : -12;
}

void irqsim_fp_space_free(struct irqsim_fp_space *sp)
{
	free(sp->ignore);
	sp->ignore = NULL;
}

int irqsim_fpset_init(const struct irqsim_fp_space *sp,
		      struct irqsim_fpset *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->r = irqsim_calloc(2 * sp->words, sizeof(uint64_t));
	if (!fs->r)
		return -12;
	fs->w = fs->r + sp->words;
	return 0;
}

void irqsim_fpset_free(struct irqsim_fpset *fs)
{
	free(fs->r);
	memset(fs, 0, sizeof(*fs));
}

void irqsim_fpset_clear(const struct irqsim_fp_space *sp,
			struct irqsim_fpset *fs)
{
	memset(fs->r, 0, 2 * sp->words * sizeof(uint64_t));
	fs->rsum = fs->wsum = 0;
	fs->all = false;
}

static uint64_t summary(const struct irqsim_fp_space *sp, const uint64_t *bm)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < sp->words; i++)
		if (bm[i])
			sum |= 1ULL << (i / sp->group);
	return sum;
}

void irqsim_fpset_add(const struct irqsim_fp_space *sp,
		      struct irqsim_fpset *dst, const struct irqsim_fpset *src)
{
	for (size_t i = 0; i < 2 * sp->words; i++)
		dst->r[i] |= src->r[i];
	dst->rsum |= src->rsum;
	dst->wsum |= src->wsum;
	dst->all |= src->all;
}

void irqsim_fp_begin(const struct irqsim_fp_space *sp, struct irqsim_fpset *fs,
		     const void *world)
{
	rec.base = (uintptr_t)world;
	rec.len = sp->world_size;
	rec.sp = sp;
	rec.fs = fs;
}

void irqsim_fp_end(void)
{
	const struct irqsim_fp_space *sp = rec.sp;
	struct irqsim_fpset *fs = rec.fs;

	rec.fs = NULL;
	if (!fs)
		return;
	for (size_t i = 0; i < sp->words; i++) {
		fs->r[i] &= ~sp->ignore[i];
		fs->w[i] &= ~sp->ignore[i];
	}
	fs->rsum = summary(sp, fs->r);
	fs->wsum = summary(sp, fs->w);
}

void irqsim_fp_ignore_writes(struct irqsim_fp_space *sp,
			     const struct irqsim_fpset *fs)
{
	for (size_t i = 0; i < sp->words; i++)
		sp->ignore[i] |= fs->w[i];
}

void irqsim_fp_ignore_range(struct irqsim_fp_space *sp, size_t off,
			    size_t len)
{
	if (off < sp->world_size) {
		if (len > sp->world_size - off)
			len = sp->world_size - off;
		set_bits(sp->ignore, off, len);
	}
}

static bool overlap(const struct irqsim_fp_space *sp, const uint64_t *a,
		    const uint64_t *b, uint64_t groups)
{
	while (groups) {
		size_t g = (size_t)__builtin_ctzll(groups);
		size_t end = (g + 1) * sp->group;

		groups &= groups - 1;
		if (end > sp->words)
			end = sp->words;
		for (size_t i = g * sp->group; i < end; i++)
			if (a[i] & b[i])
				return true;
	}
	return false;
}

bool irqsim_fp_conflict(const struct irqsim_fp_space *sp,
			const struct irqsim_fpset *a,
			const struct irqsim_fpset *b)
{
	if (a->all || b->all)
		return true;
	return overlap(sp, a->w, b->w, a->wsum & b->wsum) ||
	       overlap(sp, a->w, b->r, a->wsum & b->rsum) ||
	       overlap(sp, a->r, b->w, a->rsum & b->wsum);
}

size_t irqsim_fp_count(const struct irqsim_fp_space *sp,
		       const struct irqsim_fpset *fs, bool writes)
{
	const uint64_t *bm = writes ? fs->w : fs->r;
	size_t n = 0;

	for (size_t i = 0; i < sp->words; i++)
		n += (size_t)__builtin_popcountll(bm[i]);
	return n;
}
