/* SPDX-License-Identifier: MIT */
/*
 * Footprints: the bytes of the world one transition read and wrote,
 * recorded by the compiler, not declared by the model.
 *
 * The instrumented twin of the tool (irqsim-fp) is the same source
 * compiled with GCC's ThreadSanitizer instrumentation (-fsanitize=thread,
 * without its runtime): every load and store of model code calls a
 * __tsan_readN/__tsan_writeN hook, and memcpy/memset/memmove/memcmp go
 * through shims (fp_shim.h). The hooks live here, compiled plain. While a
 * recorder is active on this thread, each access that falls inside the
 * world it watches is noted as a byte range; everything else is ignored.
 * In the plain build nothing calls the hooks and irqsim_fp_available()
 * is false: a reduction that needs footprints must refuse to run there.
 *
 * The footprint is complete by construction for the code that was
 * compiled instrumented, which is all of the model and the engine's
 * locks and frames: the dependency a partial-order reduction derives
 * from it cannot miss an access the way a hand-written annotation can.
 */
#ifndef IRQSIM_FOOTPRINT_H
#define IRQSIM_FOOTPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A footprint as two bitmaps over the world's bytes, with a summary word:
 * bit g of @sum is set when any of words [g * group, (g + 1) * group) of
 * the bitmap is non-zero. @all: the recorder overflowed; treat the step
 * as touching everything.
 */
struct irqsim_fpset {
	uint64_t *r, *w;
	uint64_t rsum, wsum;
	bool all;
};

/**
 * struct irqsim_fp_space - the geometry of footprints over one world
 * @words:   bitmap words per set
 * @group:   words per summary bit
 * @ignore:  bytes that never count (history fields, the step counter)
 */
struct irqsim_fp_space {
	size_t world_size, words, group;
	uint64_t *ignore;
};

/* True in the instrumented twin (its code calls the hooks). */
bool irqsim_fp_available(void);

int irqsim_fp_space_init(struct irqsim_fp_space *sp, size_t world_size);
void irqsim_fp_space_free(struct irqsim_fp_space *sp);

int irqsim_fpset_init(const struct irqsim_fp_space *sp,
		      struct irqsim_fpset *fs);
void irqsim_fpset_free(struct irqsim_fpset *fs);
void irqsim_fpset_clear(const struct irqsim_fp_space *sp,
			struct irqsim_fpset *fs);
/* @dst |= @src */
void irqsim_fpset_add(const struct irqsim_fp_space *sp,
		      struct irqsim_fpset *dst, const struct irqsim_fpset *src);

/**
 * irqsim_fp_begin - record this thread's accesses to @world into @fs
 *
 * Until irqsim_fp_end(), every instrumented access inside
 * [@world, @world + world_size) is added to @fs (which is not cleared).
 * Recordings do not nest.
 */
void irqsim_fp_begin(const struct irqsim_fp_space *sp, struct irqsim_fpset *fs,
		     const void *world);
/* Stop recording; fold the set (drop ignored bytes, compute summaries). */
void irqsim_fp_end(void);

/* Read and write bits of @fs as recorded, for ignore-mask building. */
void irqsim_fp_ignore_writes(struct irqsim_fp_space *sp,
			     const struct irqsim_fpset *fs);
void irqsim_fp_ignore_range(struct irqsim_fp_space *sp, size_t off,
			    size_t len);

/*
 * Do two footprints conflict: one writes a byte the other reads or
 * writes?
 */
bool irqsim_fp_conflict(const struct irqsim_fp_space *sp,
			const struct irqsim_fpset *a,
			const struct irqsim_fpset *b);

/* Bytes in @fs (reads, writes): for statistics and tests. */
size_t irqsim_fp_count(const struct irqsim_fp_space *sp,
		       const struct irqsim_fpset *fs, bool writes);

#endif
