/* SPDX-License-Identifier: MIT */
/*
 * Private to the search strategies of src/sched (explore.c, fingerprint.c,
 * dfs.c, pct.c, shrink.c): do not include from other layers. Their public
 * interface is sched/explore.h.
 */
#ifndef IRQSIM_SCHED_INTERNAL_H
#define IRQSIM_SCHED_INTERNAL_H

#include "sched/explore.h"
#include "sched/alloc.h"

#include <stdlib.h>
#include <string.h>

#define ENOMEM_RET (-12)

/* The wyhash mixing step: fingerprints, and the DFS's bounded keys. */
static inline uint64_t mum(uint64_t x, uint64_t y)
{
	__uint128_t r = (__uint128_t)x * y;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/*
 * The model's part of @world in canonical form: @world's own bytes when
 * the model has no canonical() hook, else a copy made in @scratch.
 */
const unsigned char *irqsim_canon(const struct irqsim_model *model,
				  const void *world, void *scratch);

/* Where irqsim_canon(@model, @world, @scratch) left its image. */
static inline const unsigned char *
irqsim_canon_at(const struct irqsim_model *model, const void *world,
		const void *scratch)
{
	const void *base = model->canonical ? scratch : world;

	return (const unsigned char *)base + sizeof(struct sched_world);
}

/*
 * irqsim_fingerprint_step - @world's fingerprint from its parent's
 * @pfp: the words that differ between the two (@pcanon and @canon, from
 * irqsim_canon(), the model parts) change the sum, nothing else is read.
 * Equal to irqsim_fingerprint(@world) (fingerprint.c).
 */
void irqsim_fingerprint_step(const struct irqsim_model *model,
			     const void *parent, const unsigned char *pcanon,
			     const struct irqsim_fp *pfp, const void *world,
			     const unsigned char *canon, struct irqsim_fp *fp);

/* Are @x and @y the same state (equal canonical images)? */
bool irqsim_same_state(const struct irqsim_model *model, const void *x,
		       const void *y, void *scratch1, void *scratch2);

/*
 * Copy @src's state to @dst: all but the dead frames, which no step reads
 * (irqsim_push_frame() clears a frame it pushes) and no fingerprint or
 * state comparison sees. Two thirds of a world are dead frames.
 */
void irqsim_world_copy(const struct irqsim_model *model, void *dst,
		       const void *src);

/*
 * A world as the records of its live words (the engine's header, each
 * actor's header and live frames, the model's part) that differ from
 * @base's: a word's index (16 bits) and the XOR of the two. For a state
 * sent to another process, whose @base must be the same bytes: the start
 * world with its dead frames cleared. At most irqsim_world_encode_max()
 * bytes; worlds of up to 512 KiB.
 *
 * irqsim_world_xor() applies records to @world: to a copy of @base it
 * gives the encoded world (its dead frames @base's), and applied again
 * it gives @base back, which is cheaper than copying @base for the next.
 * It returns -1, changing nothing, on records that do not fit the world.
 */
size_t irqsim_world_encode_max(const struct irqsim_model *model);
size_t irqsim_world_encode(const struct irqsim_model *model, const void *base,
			   const void *world, unsigned char *out);
int irqsim_world_xor(const struct irqsim_model *model, const unsigned char *in,
		     size_t len, void *world);

/* Is @t among the @n enabled transitions @en? */
static inline bool is_enabled(const uint16_t *en, int n, uint16_t t)
{
	for (int i = 0; i < n; i++)
		if (en[i] == t)
			return true;
	return false;
}

/*
 * The parts of a checkpoint (sched/checkpoint.h) every exhaustive search
 * writes the same way (checkpoint.c): its statistics, and its visited set
 * (sched/visited.h) read into @v, a new one of @min slots.
 */
struct irqsim_ckpt_writer;
struct irqsim_ckpt_reader;
struct visited;

void irqsim_ckpt_put_dfs_stats(struct irqsim_ckpt_writer *w,
			       const struct irqsim_dfs_stats *st);
void irqsim_ckpt_get_dfs_stats(struct irqsim_ckpt_reader *r,
			       struct irqsim_dfs_stats *st);
void irqsim_ckpt_put_visited(struct irqsim_ckpt_writer *w,
			     const struct visited *v);
int irqsim_ckpt_get_visited(struct irqsim_ckpt_reader *r, struct visited *v,
			    size_t min);

#endif
