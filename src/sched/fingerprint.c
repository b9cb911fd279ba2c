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
 * A state's fingerprint is a sum, lane by lane (mod 2^64), of one term per
 * 8-byte word of the state's canonical image: the words of the engine's
 * part that matter (the warnings, the lock owners, each actor's header and
 * its live frames; not the step counter, not the waiters index, not dead
 * frames) and the model's part after model->canonical(). A word's term
 * depends on its position and value, and is zero for a zero word, so the
 * sum over the image is the same as over its non-zero words, and a
 * transition that changes k words changes the sum by k terms: the
 * fingerprint of a successor is its parent's plus the difference
 * (irqsim_fingerprint_step()), without hashing the rest of the world.
 *
 * The term: two murmur3 finalisers (bijective on 64 bits) keyed by the
 * position, minus their value at zero, so a non-zero word's term in each
 * lane is non-zero. This is Zobrist's incremental hashing with a hash in
 * place of the random table (A. L. Zobrist, "A New Hashing Method with
 * Application for Game Playing", 1970), as SPIN's and LTSmin's
 * incremental state hashes do it.
 */
static inline uint64_t fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static inline uint64_t lane_a(uint64_t pos, uint64_t v)
{
	return fmix64(v ^ (pos * 0x9e3779b97f4a7c15ULL + p0));
}

static inline uint64_t lane_b(uint64_t pos, uint64_t v)
{
	return fmix64((v ^ fmix64(pos + p2)) * 0xd6e8feb86659fd93ULL + pos);
}

/* Add (@sign 1) or subtract (-1) the term of @v at @pos. */
static inline void fp_term(struct irqsim_fp *fp, uint64_t pos, uint64_t v,
			   int sign)
{
	uint64_t a, b;

	if (!v)
		return;
	a = lane_a(pos, v) - lane_a(pos, 0);
	b = lane_b(pos, v) - lane_b(pos, 0);
	if (sign > 0) {
		fp->a += a;
		fp->b += b;
	} else {
		fp->a -= a;
		fp->b -= b;
	}
}

/* The 8-byte word @i of @len bytes at @p, zero-padded at the end. */
static inline uint64_t word_at(const unsigned char *p, size_t len, size_t i)
{
	uint64_t v = 0;

	if (8 * i + 8 <= len)
		memcpy(&v, p + 8 * i, 8);
	else
		memcpy(&v, p + 8 * i, len - 8 * i);
	return v;
}

/* Positions: a segment's tag in the high half, the word in the low. */
#define SEG_WARNINGS	1ULL
#define SEG_LOCKS	2ULL
#define SEG_MODEL	(1ULL << 20)

static inline uint64_t seg_actor(int a, int part)
{
	return 16 + (uint64_t)a * (IRQSIM_MAX_FRAMES + 1) + (uint64_t)part;
}

static void fp_segment(struct irqsim_fp *fp, uint64_t tag, const void *p,
		       size_t len)
{
	for (size_t i = 0; i * 8 < len; i++)
		fp_term(fp, tag << 32 | i, word_at(p, len, i), 1);
}

/* The actor's header: everything before its frames. */
#define ACTOR_HEAD offsetof(struct irqsim_actor, frame)

static void fp_engine(const struct sched_world *w, struct irqsim_fp *fp)
{
	fp_segment(fp, SEG_WARNINGS, &w->warnings, sizeof(w->warnings));
	fp_segment(fp, SEG_LOCKS, w->lock_owner, sizeof(w->lock_owner));
	for (int a = 0; a < w->nactors; a++) {
		const struct irqsim_actor *ac = &w->actor[a];

		fp_segment(fp, seg_actor(a, 0), ac, ACTOR_HEAD);
		for (int k = 0; k < ac->nframes; k++)
			fp_segment(fp, seg_actor(a, k + 1), &ac->frame[k],
				   sizeof(ac->frame[k]));
	}
}

/* Sum over the model's words, skipping zero 64-byte blocks. */
static void fp_model(const unsigned char *m, size_t len, struct irqsim_fp *fp)
{
	size_t i = 0;

	for (; i + 64 <= len; i += 64) {
		uint64_t w[8], any = 0;

		memcpy(w, m + i, sizeof(w));
		for (int k = 0; k < 8; k++)
			any |= w[k];
		if (!any)
			continue;
		for (int k = 0; k < 8; k++)
			fp_term(fp, SEG_MODEL << 32 | (i / 8 + (size_t)k),
				w[k], 1);
	}
	for (; i < len; i += 8)
		fp_term(fp, SEG_MODEL << 32 | i / 8, word_at(m, len, i / 8), 1);
}

/*
 * The model's part of @world in canonical form: @world itself without a
 * canonical() hook, else a copy in @scratch (model->world_size bytes).
 */
const unsigned char *irqsim_canon(const struct irqsim_model *model,
				  const void *world, void *scratch)
{
	const size_t off = sizeof(struct sched_world);

	if (!model->canonical)
		return (const unsigned char *)world + off;
	memcpy((char *)scratch + off, (const char *)world + off,
	       model->world_size - off);
	model->canonical(scratch);
	return (const unsigned char *)scratch + off;
}

void irqsim_fingerprint(const struct irqsim_model *model, const void *world,
			void *scratch, struct irqsim_fp *fp)
{
	const size_t off = sizeof(struct sched_world);

	fp->a = fp->b = 0;
	fp_engine(world, fp);
	fp_model(irqsim_canon(model, world, scratch), model->world_size - off,
		 fp);
}

/* The difference of two versions of a segment, word by word. */
static void fp_segment_step(struct irqsim_fp *fp, uint64_t tag,
			    const void *was, size_t was_len, const void *is,
			    size_t is_len)
{
	size_t len = was_len > is_len ? was_len : is_len;

	for (size_t i = 0; i * 8 < len; i++) {
		uint64_t x = i * 8 < was_len ? word_at(was, was_len, i) : 0;
		uint64_t y = i * 8 < is_len ? word_at(is, is_len, i) : 0;

		if (x != y) {
			fp_term(fp, tag << 32 | i, x, -1);
			fp_term(fp, tag << 32 | i, y, 1);
		}
	}
}

void irqsim_fingerprint_step(const struct irqsim_model *model,
			     const void *parent, const unsigned char *pcanon,
			     const struct irqsim_fp *pfp, const void *world,
			     const unsigned char *canon, struct irqsim_fp *fp)
{
	const struct sched_world *pw = parent, *w = world;
	const size_t len = model->world_size - sizeof(struct sched_world);
	size_t i = 0;

	*fp = *pfp;
	if (pw->warnings != w->warnings)
		fp_segment_step(fp, SEG_WARNINGS, &pw->warnings,
				sizeof(pw->warnings), &w->warnings,
				sizeof(w->warnings));
	if (memcmp(pw->lock_owner, w->lock_owner, sizeof(w->lock_owner)))
		fp_segment_step(fp, SEG_LOCKS, pw->lock_owner,
				sizeof(pw->lock_owner), w->lock_owner,
				sizeof(w->lock_owner));
	for (int a = 0; a < w->nactors; a++) {
		const struct irqsim_actor *x = &pw->actor[a], *y = &w->actor[a];
		int n = x->nframes > y->nframes ? x->nframes : y->nframes;

		if (memcmp(x, y, ACTOR_HEAD))
			fp_segment_step(fp, seg_actor(a, 0), x, ACTOR_HEAD, y,
					ACTOR_HEAD);
		for (int k = 0; k < n; k++) {
			bool xl = k < x->nframes, yl = k < y->nframes;

			if (xl && yl && !memcmp(&x->frame[k], &y->frame[k],
						sizeof(x->frame[k])))
				continue;
			fp_segment_step(fp, seg_actor(a, k + 1), &x->frame[k],
					xl ? sizeof(x->frame[k]) : 0,
					&y->frame[k],
					yl ? sizeof(y->frame[k]) : 0);
		}
	}
	/* the model's part: equal 256-byte runs skipped by memcmp() */
	for (; i + 256 <= len; i += 256) {
		if (!memcmp(pcanon + i, canon + i, 256))
			continue;
		for (size_t k = i / 8; k < (i + 256) / 8; k++) {
			uint64_t x, y;

			memcpy(&x, pcanon + 8 * k, 8);
			memcpy(&y, canon + 8 * k, 8);
			if (x == y)
				continue;
			fp_term(fp, SEG_MODEL << 32 | k, x, -1);
			fp_term(fp, SEG_MODEL << 32 | k, y, 1);
		}
	}
	for (; i < len; i += 8) {
		uint64_t x = word_at(pcanon, len, i / 8);
		uint64_t y = word_at(canon, len, i / 8);

		if (x != y) {
			fp_term(fp, SEG_MODEL << 32 | i / 8, x, -1);
			fp_term(fp, SEG_MODEL << 32 | i / 8, y, 1);
		}
	}
}

bool irqsim_same_state(const struct irqsim_model *model, const void *x,
		       const void *y, void *scratch1, void *scratch2)
{
	const struct sched_world *a = x, *b = y;
	const size_t len = model->world_size - sizeof(struct sched_world);

	if (a->warnings != b->warnings ||
	    memcmp(a->lock_owner, b->lock_owner, sizeof(a->lock_owner)))
		return false;
	for (int i = 0; i < a->nactors; i++) {
		const struct irqsim_actor *p = &a->actor[i], *q = &b->actor[i];

		if (memcmp(p, q, ACTOR_HEAD) ||
		    memcmp(p->frame, q->frame, p->nframes * sizeof(p->frame[0])))
			return false;
	}
	if (!memcmp(a + 1, b + 1, len))
		return true;
	return !memcmp(irqsim_canon(model, x, scratch1),
		       irqsim_canon(model, y, scratch2), len);
}

void irqsim_world_copy(const struct irqsim_model *model, void *dst,
		       const void *src)
{
	struct sched_world *d = dst;
	const struct sched_world *s = src;

	memcpy(d, s, offsetof(struct sched_world, actor));
	for (int a = 0; a < s->nactors; a++)
		memcpy(&d->actor[a], &s->actor[a],
		       ACTOR_HEAD + s->actor[a].nframes *
					    sizeof(s->actor[a].frame[0]));
	memcpy(d + 1, s + 1, model->world_size - sizeof(*d));
}

/* ------------------------------------------------------------------ */
/* A world in few bytes: its live words that differ from a base world  */

/* One record: a word's index and its XOR with the base's word. */
#define ENC_REC (sizeof(uint16_t) + sizeof(uint64_t))

static uint64_t load_word(const unsigned char *p, size_t size, size_t i)
{
	uint64_t x = 0;
	size_t off = i * 8;

	memcpy(&x, p + off, size - off < 8 ? size - off : 8);
	return x;
}

static void store_word(unsigned char *p, size_t size, size_t i, uint64_t x)
{
	size_t off = i * 8;

	memcpy(p + off, &x, size - off < 8 ? size - off : 8);
}

/* Append the records of the words [@lo, @hi) of @world that differ. */
static unsigned char *enc_range(const unsigned char *base,
				const unsigned char *world, size_t size,
				size_t lo, size_t hi, size_t *next,
				unsigned char *out)
{
	size_t i = lo / 8 > *next ? lo / 8 : *next;
	/* whole words below @full, the world's last partial one after */
	size_t full = size / 8, end = (hi + 7) / 8;

	while (i < end) {
		uint64_t x, y;
		uint16_t idx;

		/* 64 equal bytes at a time, as most are */
		if (i + 8 <= end && i + 8 <= full &&
		    !memcmp(world + i * 8, base + i * 8, 64)) {
			i += 8;
			continue;
		}
		if (i < full) {
			memcpy(&x, world + i * 8, 8);
			memcpy(&y, base + i * 8, 8);
			x ^= y;
		} else {
			x = load_word(world, size, i) ^
			    load_word(base, size, i);
		}
		idx = (uint16_t)i++;
		if (!x)
			continue;
		memcpy(out, &idx, sizeof(idx));
		memcpy(out + sizeof(idx), &x, sizeof(x));
		out += ENC_REC;
	}
	*next = i;
	return out;
}

size_t irqsim_world_encode_max(const struct irqsim_model *model)
{
	return (model->world_size + 7) / 8 * ENC_REC;
}

size_t irqsim_world_encode(const struct irqsim_model *model, const void *base,
			   const void *world, unsigned char *out)
{
	const struct sched_world *w = world;
	const unsigned char *b = base, *p = world;
	size_t size = model->world_size, next = 0;
	unsigned char *o = out;

	o = enc_range(b, p, size, 0, offsetof(struct sched_world, actor),
		      &next, o);
	for (int a = 0; a < w->nactors; a++) {
		size_t at = (size_t)((const unsigned char *)&w->actor[a] - p);

		o = enc_range(b, p, size, at,
			      at + ACTOR_HEAD +
				      w->actor[a].nframes *
					      sizeof(w->actor[a].frame[0]),
			      &next, o);
	}
	o = enc_range(b, p, size, sizeof(*w), size, &next, o);
	return (size_t)(o - out);
}

int irqsim_world_xor(const struct irqsim_model *model, const unsigned char *in,
		     size_t len, void *world)
{
	size_t size = model->world_size, nwords = (size + 7) / 8;
	unsigned char *p = world;

	if (len % ENC_REC)
		return -1;
	for (size_t k = 0; k < len; k += ENC_REC) {
		uint16_t idx;

		memcpy(&idx, in + k, sizeof(idx));
		if (idx >= nwords)
			return -1;
	}
	for (size_t k = 0; k < len; k += ENC_REC) {
		uint16_t idx;
		uint64_t x;

		memcpy(&idx, in + k, sizeof(idx));
		memcpy(&x, in + k + sizeof(idx), sizeof(x));
		store_word(p, size, idx, load_word(p, size, idx) ^ x);
	}
	return 0;
}
