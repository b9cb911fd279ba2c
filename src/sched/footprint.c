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
	struct irqsim_fp_space *sp;
	struct irqsim_fpset *fs;
	/* the lockset tracker (irqsim_fp_track_begin()) */
	struct irqsim_fp_locksets *ls;
	int actor;
	uint64_t locks;
	bool on;		/* fs or ls */
};

enum {
	LS_WRITTEN = 1,
	LS_FORCED = 2,		/* a step taken alone touched it */
	LS_VISIBLE = 4,		/* the invariant reads it */
	LS_IGNORE = 8,		/* history, the step counter, locks, waits */
	LS_INSTEP = 16,		/* listed in ls->step */
};

static __thread struct recorder rec;
static __thread bool out_of_memory;
static bool instrumented;

bool irqsim_fp_available(void)
{
	return instrumented;
}

bool irqsim_fp_out_of_memory(void)
{
	bool was = out_of_memory;

	out_of_memory = false;
	return was;
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

/* set_bits() into the recorder's dense maps, listing each new word */
static void mark(struct irqsim_fp_space *sp, uint64_t *bm, size_t off,
		 size_t len)
{
	size_t end = off + len;

	while (off < end) {
		size_t word = off / 64, bit = off % 64;
		size_t n = 64 - bit < end - off ? 64 - bit : end - off;
		uint64_t mask = n == 64 ? ~0ULL : ((1ULL << n) - 1) << bit;

		if (!(sp->scr_r[word] | sp->scr_w[word]))
			sp->touched[sp->ntouched++] = (uint32_t)word;
		bm[word] |= mask;
		off += n;
	}
}

/*
 * An access of the tracked step: noted in the step's own list, with the
 * locks held at it; irqsim_fp_track_end() folds the step into the bytes'
 * history once it knows which writes changed anything.
 */
static void track(size_t off, size_t len, bool write)
{
	struct irqsim_fp_locksets *ls = rec.ls;

	for (size_t x = off; x < off + len; x++) {
		uint8_t f = ls->flags[x];

		if (f & LS_IGNORE)
			continue;
		if (!(f & LS_INSTEP)) {
			ls->flags[x] = f | LS_INSTEP;
			ls->stepi[x] = (uint32_t)ls->nstep;
			ls->step[ls->nstep] = (uint32_t)x;
			ls->step_ls[ls->nstep] = rec.locks;
			ls->step_w[ls->nstep++] = write;
		} else {
			ls->step_ls[ls->stepi[x]] &= rec.locks;
			ls->step_w[ls->stepi[x]] |= write;
		}
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
	if (rec.fs)
		mark(rec.sp, write ? rec.sp->scr_w : rec.sp->scr_r, off, len);
	if (rec.ls)
		track(off, len, write);
}

#define RECORDING() __builtin_expect(rec.on, 0)

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
	memset(sp, 0, sizeof(*sp));
	sp->world_size = world_size;
	sp->words = (world_size + 63) / 64;
	sp->ignore = irqsim_calloc(4 * sp->words, sizeof(uint64_t));
	sp->touched = irqsim_calloc(sp->words, sizeof(uint32_t));
	if (!sp->ignore || !sp->touched) {
		irqsim_fp_space_free(sp);
		return -12;
	}
	sp->visible = sp->ignore + sp->words;
	sp->scr_r = sp->visible + sp->words;
	sp->scr_w = sp->scr_r + sp->words;
	return 0;
}

void irqsim_fp_space_free(struct irqsim_fp_space *sp)
{
	free(sp->ignore);
	free(sp->touched);
	sp->ignore = sp->visible = sp->scr_r = sp->scr_w = NULL;
	sp->touched = NULL;
}

int irqsim_fpset_init(const struct irqsim_fp_space *sp,
		      struct irqsim_fpset *fs)
{
	(void)sp;
	memset(fs, 0, sizeof(*fs));
	fs->cap = 16;
	fs->e = irqsim_malloc(fs->cap * sizeof(*fs->e));
	return fs->e ? 0 : -12;
}

void irqsim_fpset_free(struct irqsim_fpset *fs)
{
	free(fs->e);
	memset(fs, 0, sizeof(*fs));
}

void irqsim_fpset_clear(const struct irqsim_fp_space *sp,
			struct irqsim_fpset *fs)
{
	(void)sp;
	fs->n = 0;
	fs->rsig = fs->wsig = 0;
	fs->all = fs->vis = false;
}

/* Room for @n words; a set that cannot grow becomes "everything". */
static bool reserve(struct irqsim_fpset *fs, uint32_t n)
{
	struct irqsim_fp_word *ne;
	uint32_t cap = fs->cap ? fs->cap : 16;

	if (n <= fs->cap)
		return true;
	while (cap < n)
		cap *= 2;
	ne = irqsim_realloc(fs->e, cap * sizeof(*ne));
	if (!ne) {
		fs->all = true;
		out_of_memory = true;
		return false;
	}
	fs->e = ne;
	fs->cap = cap;
	return true;
}

/*
 * @dst |= the @n sorted words @src: merged from the back, in place (the
 * result has at most dst->n + n words).
 */
static void merge_words(struct irqsim_fpset *dst,
			const struct irqsim_fp_word *src, uint32_t n)
{
	uint32_t i = dst->n, j = n, k, both = 0;

	if (!n)
		return;
	/* count shared words first so the merge can write its final slots */
	for (uint32_t a = 0, b = 0; a < dst->n && b < n;) {
		if (dst->e[a].idx == src[b].idx) {
			both++;
			a++;
			b++;
		} else if (dst->e[a].idx < src[b].idx) {
			a++;
		} else {
			b++;
		}
	}
	if (!reserve(dst, dst->n + n - both))
		return;
	k = dst->n + n - both;
	dst->n = k;
	while (j > 0) {
		const struct irqsim_fp_word *s = &src[j - 1];
		struct irqsim_fp_word *d = &dst->e[--k];

		if (i > 0 && dst->e[i - 1].idx > s->idx) {
			*d = dst->e[--i];
			continue;
		}
		if (i > 0 && dst->e[i - 1].idx == s->idx) {
			struct irqsim_fp_word t = dst->e[--i];

			t.r |= s->r;
			t.w |= s->w;
			*d = t;
		} else {
			*d = *s;
		}
		j--;
	}
	for (uint32_t a = 0; a < dst->n; a++) {
		if (dst->e[a].r)
			dst->rsig |= 1ULL << (dst->e[a].idx % 64);
		if (dst->e[a].w)
			dst->wsig |= 1ULL << (dst->e[a].idx % 64);
	}
}

void irqsim_fpset_add(const struct irqsim_fp_space *sp,
		      struct irqsim_fpset *dst, const struct irqsim_fpset *src)
{
	(void)sp;
	dst->all |= src->all;
	dst->vis |= src->vis;
	merge_words(dst, src->e, src->n);
}

void irqsim_fpset_copy(const struct irqsim_fp_space *sp,
		       struct irqsim_fpset *dst, const struct irqsim_fpset *src)
{
	irqsim_fpset_clear(sp, dst);
	irqsim_fpset_add(sp, dst, src);
}

bool irqsim_fpset_equal(const struct irqsim_fpset *a,
			const struct irqsim_fpset *b)
{
	if (a->all != b->all || a->vis != b->vis || a->n != b->n || a->rsig != b->rsig ||
	    a->wsig != b->wsig)
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (a->e[i].idx != b->e[i].idx || a->e[i].r != b->e[i].r ||
		    a->e[i].w != b->e[i].w)
			return false;
	return true;
}

void irqsim_fp_begin(struct irqsim_fp_space *sp, struct irqsim_fpset *fs,
		     const void *world)
{
	rec.base = (uintptr_t)world;
	rec.len = sp->world_size;
	rec.sp = sp;
	sp->ntouched = 0;
	rec.fs = fs;
	rec.on = true;
}

/* Stop recording: the touched words, sorted and unignored, join the set. */
void irqsim_fp_end(void)
{
	struct irqsim_fp_space *sp = rec.sp;
	struct irqsim_fpset *fs = rec.fs;
	struct irqsim_fp_word buf[64], *out = buf;
	uint32_t n = 0;

	rec.fs = NULL;
	rec.on = rec.ls != NULL;
	if (!fs)
		return;
	/* insertion sort: a step touches a few dozen words */
	for (size_t i = 1; i < sp->ntouched; i++) {
		uint32_t v = sp->touched[i];
		size_t j = i;

		for (; j > 0 && sp->touched[j - 1] > v; j--)
			sp->touched[j] = sp->touched[j - 1];
		sp->touched[j] = v;
	}
	if (sp->ntouched > 64)
		out = irqsim_malloc(sp->ntouched * sizeof(*out));
	for (size_t i = 0; i < sp->ntouched; i++) {
		uint32_t x = sp->touched[i];
		uint64_t r = sp->scr_r[x] & ~sp->ignore[x];
		uint64_t w = sp->scr_w[x] & ~sp->ignore[x];

		sp->scr_r[x] = sp->scr_w[x] = 0;
		if (w & sp->visible[x])
			fs->vis = true;
		if (out && (r | w))
			out[n++] = (struct irqsim_fp_word){ x, r, w };
	}
	sp->ntouched = 0;
	if (!out) {
		fs->all = true;
		out_of_memory = true;
		return;
	}
	if (n)
		merge_words(fs, out, n);
	if (out != buf)
		free(out);
}

void irqsim_fp_ignore_writes(struct irqsim_fp_space *sp,
			     const struct irqsim_fpset *fs)
{
	for (uint32_t i = 0; i < fs->n; i++)
		sp->ignore[fs->e[i].idx] |= fs->e[i].w;
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

void irqsim_fp_mark_visible(struct irqsim_fp_space *sp, size_t off,
			    size_t len)
{
	if (off < sp->world_size) {
		if (len > sp->world_size - off)
			len = sp->world_size - off;
		set_bits(sp->visible, off, len);
	}
}

bool irqsim_fp_reads_visible_only(const struct irqsim_fp_space *sp,
				  const struct irqsim_fpset *fs, size_t *off)
{
	for (uint32_t i = 0; i < fs->n; i++) {
		uint64_t out = fs->e[i].r & ~sp->visible[fs->e[i].idx];

		if (out) {
			*off = fs->e[i].idx * 64 + (size_t)__builtin_ctzll(out);
			return false;
		}
	}
	return !fs->all;
}

bool irqsim_fp_conflict(const struct irqsim_fp_space *sp,
			const struct irqsim_fpset *a,
			const struct irqsim_fpset *b)
{
	uint32_t i = 0, j = 0;

	(void)sp;
	if (a->all || b->all || (a->vis && b->vis))
		return true;
	if (!((a->wsig & (b->wsig | b->rsig)) | (a->rsig & b->wsig)))
		return false;
	while (i < a->n && j < b->n) {
		const struct irqsim_fp_word *x = &a->e[i], *y = &b->e[j];

		if (x->idx < y->idx) {
			i++;
		} else if (x->idx > y->idx) {
			j++;
		} else {
			if ((x->w & (y->w | y->r)) | (x->r & y->w))
				return true;
			i++;
			j++;
		}
	}
	return false;
}

size_t irqsim_fp_count(const struct irqsim_fp_space *sp,
		       const struct irqsim_fpset *fs, bool writes)
{
	size_t n = 0;

	(void)sp;
	for (uint32_t i = 0; i < fs->n; i++)
		n += (size_t)__builtin_popcountll(writes ? fs->e[i].w
							 : fs->e[i].r);
	return n;
}

bool irqsim_fp_has(const struct irqsim_fpset *fs, size_t off, bool write)
{
	for (uint32_t i = 0; i < fs->n; i++)
		if (fs->e[i].idx == off / 64)
			return (write ? fs->e[i].w : fs->e[i].r) >> (off % 64) & 1;
	return false;
}

/* ------------------------------------------------------------------ */
/* Locksets                                                            */

int irqsim_fp_locksets_init(struct irqsim_fp_locksets *ls,
			    const struct irqsim_fp_space *sp)
{
	size_t n = sp->world_size;

	memset(ls, 0, sizeof(*ls));
	ls->world_size = n;
	ls->ls = irqsim_malloc(n * sizeof(*ls->ls));
	ls->actors = irqsim_calloc(n, sizeof(*ls->actors));
	ls->flags = irqsim_calloc(n, sizeof(*ls->flags));
	ls->step = irqsim_malloc(n * sizeof(*ls->step));
	ls->stepi = irqsim_malloc(n * sizeof(*ls->stepi));
	ls->step_ls = irqsim_malloc(n * sizeof(*ls->step_ls));
	ls->step_w = irqsim_malloc(n * sizeof(*ls->step_w));
	if (!ls->ls || !ls->actors || !ls->flags || !ls->step || !ls->stepi ||
	    !ls->step_ls || !ls->step_w) {
		irqsim_fp_locksets_free(ls);
		return -12;
	}
	memset(ls->ls, 0xff, n * sizeof(*ls->ls));
	for (size_t x = 0; x < n; x++) {
		if (sp->ignore[x / 64] >> (x % 64) & 1)
			ls->flags[x] |= LS_IGNORE;
		if (sp->visible[x / 64] >> (x % 64) & 1)
			ls->flags[x] |= LS_VISIBLE;
	}
	return 0;
}

void irqsim_fp_locksets_free(struct irqsim_fp_locksets *ls)
{
	free(ls->ls);
	free(ls->actors);
	free(ls->flags);
	free(ls->step);
	free(ls->stepi);
	free(ls->step_ls);
	free(ls->step_w);
	memset(ls, 0, sizeof(*ls));
}

static bool unprotected(const struct irqsim_fp_locksets *ls, size_t x)
{
	return (ls->flags[x] & LS_WRITTEN) && !ls->ls[x] &&
	       (ls->actors[x] & (ls->actors[x] - 1));
}

void irqsim_fp_track_begin(struct irqsim_fp_locksets *ls, const void *world,
			   int actor, uint64_t locks)
{
	ls->nstep = 0;
	ls->unprotected = ls->visible = false;
	rec.base = (uintptr_t)world;
	rec.len = ls->world_size;
	rec.ls = ls;
	rec.actor = actor;
	rec.locks = locks;
	rec.on = true;
}

/*
 * Fold the step into each byte's history. A write that left the byte as
 * it was (@before: the world before the step; NULL: nothing was written)
 * is only a read to the other actors: what they can see of the step is
 * its net effect, since a step is atomic.
 */
void irqsim_fp_track_end(const void *before)
{
	struct irqsim_fp_locksets *ls = rec.ls;
	const uint8_t *old = before, *now = (const uint8_t *)rec.base;
	uint16_t bit = (uint16_t)(1u << rec.actor);

	rec.ls = NULL;
	rec.on = rec.fs != NULL;
	for (size_t i = 0; i < ls->nstep; i++) {
		uint32_t x = ls->step[i];
		uint8_t f = ls->flags[x] & (uint8_t)~LS_INSTEP;

		ls->ls[x] &= ls->step_ls[i];
		ls->actors[x] |= bit;
		if (ls->step_w[i] && old && old[x] != now[x]) {
			f |= LS_WRITTEN;
			if (f & LS_VISIBLE)
				ls->visible = true;
		}
		ls->flags[x] = f;
	}
	for (size_t i = 0; i < ls->nstep; i++)
		if (unprotected(ls, ls->step[i])) {
			ls->unprotected = true;
			break;
		}
}

void irqsim_fp_lock_changed(int actor, int lock, bool held)
{
	if (!rec.ls || actor != rec.actor)
		return;
	if (held)
		rec.locks |= 1ULL << lock;
	else
		rec.locks &= ~(1ULL << lock);
}

void irqsim_fp_track_forced(struct irqsim_fp_locksets *ls)
{
	for (size_t i = 0; i < ls->nstep; i++)
		ls->flags[ls->step[i]] |= LS_FORCED;
}

size_t irqsim_fp_locksets_broken(const struct irqsim_fp_locksets *ls)
{
	size_t n = 0;

	for (size_t x = 0; x < ls->world_size; x++)
		n += (ls->flags[x] & LS_FORCED) && unprotected(ls, x);
	return n;
}

size_t irqsim_fp_locksets_unprotected(const struct irqsim_fp_locksets *ls)
{
	size_t n = 0;

	for (size_t x = 0; x < ls->world_size; x++)
		n += unprotected(ls, x);
	return n;
}

void irqsim_fp_locksets_restart(struct irqsim_fp_locksets *ls)
{
	for (size_t x = 0; x < ls->world_size; x++)
		ls->flags[x] &= (uint8_t)~LS_FORCED;
}
