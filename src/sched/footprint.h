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
 * A footprint, sparse: the 64-byte words of the world it touched, in
 * increasing order, each with the bits of the bytes read and written.
 * A step touches a few dozen words of a world of hundreds, so sets are
 * short and two are compared by a merge; @rsig and @wsig (bit idx % 64
 * set for each word read or written) reject most independent pairs
 * without the merge. @all: a set could not grow; treat the step as
 * touching everything. @vis: the step wrote a visible byte (see
 * irqsim_fp_mark_visible()).
 */
struct irqsim_fp_word {
	uint32_t idx;
	uint64_t r, w;
};

struct irqsim_fpset {
	struct irqsim_fp_word *e;
	uint32_t n, cap;
	uint64_t rsig, wsig;
	bool all, vis;
};

/**
 * struct irqsim_fp_space - the geometry of footprints over one world
 * @words:   64-byte words of the world
 * @ignore:  bytes that never count (history fields, the step counter)
 * @visible: bytes an invariant reads (irqsim_fp_mark_visible())
 * @scr_r, @scr_w, @touched, @ntouched: the recorder's dense bitmaps and
 *           the words it touched (all zero again after irqsim_fp_end())
 */
struct irqsim_fp_space {
	size_t world_size, words;
	uint64_t *ignore, *visible;
	uint64_t *scr_r, *scr_w;
	uint32_t *touched;
	size_t ntouched;
};

/* True in the instrumented twin (its code calls the hooks). */
bool irqsim_fp_available(void);

/*
 * Did a set fail to grow on this thread since the last call? The set
 * became "everything" (still sound); a search should stop with -ENOMEM
 * all the same, as for any allocation that fails.
 */
bool irqsim_fp_out_of_memory(void);

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
/* @dst = @src */
void irqsim_fpset_copy(const struct irqsim_fp_space *sp,
		       struct irqsim_fpset *dst, const struct irqsim_fpset *src);
/* Equal sets? */
bool irqsim_fpset_equal(const struct irqsim_fpset *a,
			const struct irqsim_fpset *b);

/**
 * irqsim_fp_begin - record this thread's accesses to @world into @fs
 *
 * Until irqsim_fp_end(), every instrumented access inside
 * [@world, @world + world_size) is added to @fs (which is not cleared).
 * Recordings do not nest.
 */
void irqsim_fp_begin(struct irqsim_fp_space *sp, struct irqsim_fpset *fs,
		     const void *world);
/* Stop recording; fold into the set (drop ignored bytes, sort, sign). */
void irqsim_fp_end(void);

/* Ignore the bytes @fs writes; ignore a byte range. */
void irqsim_fp_ignore_writes(struct irqsim_fp_space *sp,
			     const struct irqsim_fpset *fs);
void irqsim_fp_ignore_range(struct irqsim_fp_space *sp, size_t off,
			    size_t len);

/*
 * Visible bytes: the state an invariant of the model is a function of.
 * A step that writes one is visible, and two visible steps conflict
 * whatever bytes they touch. This is the visibility proviso of
 * partial-order reduction: all orders of the same independent steps then
 * pass through the same sequence of values of the invariant's input, so
 * an invariant broken in one is broken in all, without every step's
 * footprint having to include everything the invariant reads.
 */
void irqsim_fp_mark_visible(struct irqsim_fp_space *sp, size_t off,
			    size_t len);
/* Does @fs read only visible bytes? (the invariant's own footprint) */
bool irqsim_fp_reads_visible_only(const struct irqsim_fp_space *sp,
				  const struct irqsim_fpset *fs, size_t *off);

/*
 * Do two footprints conflict: one writes a byte the other reads or
 * writes, or both are visible?
 */
bool irqsim_fp_conflict(const struct irqsim_fp_space *sp,
			const struct irqsim_fpset *a,
			const struct irqsim_fpset *b);

/* Bytes in @fs (reads, writes): for statistics and tests. */
size_t irqsim_fp_count(const struct irqsim_fp_space *sp,
		       const struct irqsim_fpset *fs, bool writes);
/* Does @fs read (or, @write, write) the byte at @off? */
bool irqsim_fp_has(const struct irqsim_fpset *fs, size_t off, bool write);

/*
 * Locksets: the lock discipline behind the transaction reduction
 * (dfs.c), checked on every step the search runs. Eraser's algorithm
 * (Savage et al., "Eraser: A Dynamic Data Race Detector for
 * Multithreaded Programs", SOSP 1997), per byte of the world: the locks
 * held at every access so far (their intersection), the actors that made
 * them, and whether any wrote. A byte is protected unless at least two
 * actors touched it, one wrote it, and no lock was held at all of their
 * accesses. A step that touches only protected bytes and bytes of its own
 * actor commutes with every other actor's step while it holds the locks,
 * which is what the reduction assumes; the assumption is made on what
 * the search has seen so far, so it is checked again at the end
 * (irqsim_fp_locksets_broken()), as in Stoller and Cohen's optimistic
 * reduction ("Optimistic Synchronization-Based State-Space Reduction",
 * TACAS 2003).
 */
struct irqsim_fp_locksets {
	size_t world_size;
	uint64_t *ls;		/* locks held at every access (~0: none yet) */
	uint16_t *actors;	/* the actors that accessed it */
	uint8_t *flags;		/* LS_* */
	uint32_t *step;		/* the bytes the last step touched */
	uint32_t *stepi;	/* a byte's index in @step */
	uint64_t *step_ls;	/* the locks held at all its accesses in it */
	uint8_t *step_w;	/* the step stored to it */
	size_t nstep;
	bool unprotected;	/* the last step touched an unprotected byte */
	bool visible;		/* ... or wrote a visible one */
};

int irqsim_fp_locksets_init(struct irqsim_fp_locksets *ls,
			    const struct irqsim_fp_space *sp);
void irqsim_fp_locksets_free(struct irqsim_fp_locksets *ls);
/*
 * Track @actor's accesses to @world, made holding @locks, until
 * irqsim_fp_track_end(); irqsim_fp_lock_changed() follows the locks the
 * actor takes and drops meanwhile.
 */
void irqsim_fp_track_begin(struct irqsim_fp_locksets *ls, const void *world,
			   int actor, uint64_t locks);
void irqsim_fp_track_end(const void *before);
void irqsim_fp_lock_changed(int actor, int lock, bool held);
/* The step tracked last was taken alone: its bytes must stay protected. */
void irqsim_fp_track_forced(struct irqsim_fp_locksets *ls);
/* Bytes a step taken alone touched that are no longer protected. */
size_t irqsim_fp_locksets_broken(const struct irqsim_fp_locksets *ls);
/* Bytes found unprotected so far. */
size_t irqsim_fp_locksets_unprotected(const struct irqsim_fp_locksets *ls);
/* Forget which steps were taken alone (a search starts again). */
void irqsim_fp_locksets_restart(struct irqsim_fp_locksets *ls);

#endif
