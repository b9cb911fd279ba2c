// SPDX-License-Identifier: MIT
/*
 * State fingerprints: 128 bits over the canonical world, the key of the
 * visited sets of the exhaustive searches (dfs.c, dpor.c).
 */
#include "sched/internal.h"

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Two multiply-fold lanes over 16-byte blocks (the wyhash mixing step),
 * each lane fed both words in a different pairing, finished with a
 * length-dependent fold. One pass over the data gives 128 bits.
 *
 * A 64-byte block of zeros is skipped: every other block mixes in its
 * own offset, so the result still depends on where each non-zero byte
 * is. Worlds are mostly zeros (unused vectors, idle LAPICs).
 */
struct hasher {
	uint64_t h1, h2;
};

static const uint64_t p0 = 0xa0761d6478bd642fULL, p1 = 0xe7037ed1a0b428dbULL,
		      p2 = 0x8ebc6af09c88c6e3ULL, p3 = 0x589965cc75374cc3ULL;

static inline void hash_block(struct hasher *h, uint64_t x, uint64_t y,
			      uint64_t where)
{
	h->h1 = mum(x ^ h->h1 ^ p1, y ^ p0 ^ where);
	h->h2 = mum(y ^ h->h2 ^ p3, x ^ p2 ^ (where << 1));
}

static void hash_update(struct hasher *h, const void *data, size_t len,
			uint64_t tag)
{
	const unsigned char *b = data;
	size_t i = 0;

	for (; i + 64 <= len; i += 64) {
		uint64_t w[8], any = 0;

		memcpy(w, b + i, sizeof(w));
		for (int k = 0; k < 8; k++)
			any |= w[k];
		if (!any)
			continue;
		for (int k = 0; k < 8; k += 2)
			hash_block(h, w[k], w[k + 1], tag + i + (uint64_t)k * 8);
	}
	for (; i < len; i += 16) {
		unsigned char tail[16] = { 0 };

		memcpy(tail, b + i, len - i < 16 ? len - i : 16);
		hash_block(h, load64(tail), load64(tail + 8), tag + i);
	}
	hash_block(h, len, tag, ~tag);
}

static void hash_final(const struct hasher *h, struct irqsim_fp *fp)
{
	fp->a = mum(h->h1 ^ p3, h->h2 ^ p1);
	fp->b = mum(h->h2 ^ p0, h->h1 ^ p2);
}

void irqsim_hash128(const void *data, size_t len, struct irqsim_fp *fp)
{
	struct hasher h = { p0 ^ len, p2 ^ (len << 1) };

	hash_update(&h, data, len, 0);
	hash_final(&h, fp);
}

/*
 * The engine's part (locks, actors and their live frames; not the step
 * counter, not dead frames) is hashed in place; the model's part is copied
 * to @scratch for the model to clear its history fields, then hashed.
 */
void irqsim_fingerprint(const struct irqsim_model *model, const void *world,
			void *scratch, struct irqsim_fp *fp)
{
	const struct sched_world *w = world;
	const size_t off = sizeof(struct sched_world);
	struct hasher h = { p0, p2 };

	hash_update(&h, &w->warnings, sizeof(w->warnings), 1ULL << 40);
	hash_update(&h, w->lock_owner, sizeof(w->lock_owner), 2ULL << 40);
	for (int a = 0; a < w->nactors; a++) {
		const struct irqsim_actor *ac = &w->actor[a];

		hash_update(&h, ac,
			    offsetof(struct irqsim_actor, frame) +
				    ac->nframes * sizeof(ac->frame[0]),
			    (3ULL + (uint64_t)a) << 40);
	}
	if (model->canonical) {
		memcpy((char *)scratch + off, (const char *)world + off,
		       model->world_size - off);
		model->canonical(scratch);
		hash_update(&h, (const char *)scratch + off,
			    model->world_size - off, 1ULL << 56);
	} else {
		hash_update(&h, (const char *)world + off,
			    model->world_size - off, 1ULL << 56);
	}
	hash_final(&h, fp);
}
