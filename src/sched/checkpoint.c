// SPDX-License-Identifier: MIT
/*
 * Checkpoints (sched/checkpoint.h): the file's frame (header, blocks,
 * checksum), and the parts every exhaustive search writes the same way:
 * its statistics and its visited set.
 */
#include "sched/checkpoint.h"
#include "sched/internal.h"
#include "sched/visited.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <sys/types.h>

void irqsim_ckpt_sum_init(struct irqsim_ckpt_sum *s)
{
	s->h.a = 0x8bb84b93962eacc9ULL;
	s->h.b = 0x4b33a62ed433d4a3ULL;
}

/*
 * One block into the sum: its hash, mixed with the sum so far and its
 * length, so that blocks in another order or split otherwise differ.
 */
void irqsim_ckpt_sum_block(struct irqsim_ckpt_sum *s, const void *p, size_t n)
{
	struct irqsim_fp b;

	irqsim_hash128(p, n, &b);
	s->h.a = mum(s->h.a ^ b.a ^ 0xa0761d6478bd642fULL,
		     0xe7037ed1a0b428dbULL ^ n);
	s->h.b = mum(s->h.b ^ b.b ^ 0x8ebc6af09c88c6e3ULL,
		     0x589965cc75374cc3ULL + n);
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void writer_flush(struct irqsim_ckpt_writer *w)
{
	if (!w->n)
		return;
	irqsim_ckpt_sum_block(&w->sum, w->buf, w->n);
	errno = 0;
	if (fwrite(w->buf, 1, w->n, w->f) != w->n && !w->err)
		w->err = errno ? errno : EIO;
	w->n = 0;
}

void irqsim_ckpt_put(struct irqsim_ckpt_writer *w, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n) {
		size_t k = IRQSIM_CKPT_BLOCK - w->n;

		if (k > n)
			k = n;
		memcpy(w->buf + w->n, s, k);
		w->n += k;
		s += k;
		n -= k;
		if (w->n == IRQSIM_CKPT_BLOCK)
			writer_flush(w);
	}
}

static void put_int(struct irqsim_ckpt_writer *w, uint64_t v, int bytes)
{
	unsigned char b[8];

	put_le(b, v, bytes);
	irqsim_ckpt_put(w, b, (size_t)bytes);
}

void irqsim_ckpt_put_u8(struct irqsim_ckpt_writer *w, uint8_t v)
{
	put_int(w, v, 1);
}

void irqsim_ckpt_put_u16(struct irqsim_ckpt_writer *w, uint16_t v)
{
	put_int(w, v, 2);
}

void irqsim_ckpt_put_u32(struct irqsim_ckpt_writer *w, uint32_t v)
{
	put_int(w, v, 4);
}

void irqsim_ckpt_put_u64(struct irqsim_ckpt_writer *w, uint64_t v)
{
	put_int(w, v, 8);
}

void irqsim_ckpt_put_fp(struct irqsim_ckpt_writer *w,
			const struct irqsim_fp *fp)
{
	put_int(w, fp->a, 8);
	put_int(w, fp->b, 8);
}

void irqsim_ckpt_begin(struct irqsim_ckpt_writer *w, FILE *f,
		       enum irqsim_ckpt_kind kind,
		       const struct irqsim_ckpt_id *id)
{
	w->f = f;
	w->n = 0;
	w->err = 0;
	irqsim_ckpt_sum_init(&w->sum);
	irqsim_ckpt_put(w, IRQSIM_CKPT_MAGIC, 8);
	irqsim_ckpt_put_u32(w, IRQSIM_CKPT_VERSION);
	irqsim_ckpt_put_u32(w, kind);
	irqsim_ckpt_put_fp(w, &id->hash);
	irqsim_ckpt_put_u32(w, (uint32_t)id->len);
	irqsim_ckpt_put(w, id->text, id->len);
}

int irqsim_ckpt_end(struct irqsim_ckpt_writer *w)
{
	unsigned char b[16];

	writer_flush(w);
	put_le(b, w->sum.h.a, 8);
	put_le(b + 8, w->sum.h.b, 8);
	errno = 0;
	if (fwrite(b, 1, sizeof(b), w->f) != sizeof(b) && !w->err)
		w->err = errno ? errno : EIO;
	if (!w->err && ferror(w->f))
		w->err = EIO;
	return -w->err;
}

int irqsim_ckpt_bad(struct irqsim_ckpt_reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->why)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(r->whybuf, sizeof(r->whybuf), fmt, ap);
	va_end(ap);
	r->why = r->whybuf;
	return -EINVAL;
}

bool irqsim_ckpt_get(struct irqsim_ckpt_reader *r, void *p, size_t n)
{
	if (!r->why && n > r->left)
		irqsim_ckpt_bad(r, "its contents end before the search's state does");
	if (!r->why && fread(p, 1, n, r->f) != n)
		irqsim_ckpt_bad(r, "cannot be read: %s",
				ferror(r->f) ? strerror(errno) :
					       "it ends early");
	if (r->why) {
		memset(p, 0, n);
		return false;
	}
	r->left -= n;
	return true;
}

static uint64_t get_int(struct irqsim_ckpt_reader *r, int bytes)
{
	unsigned char b[8];

	irqsim_ckpt_get(r, b, (size_t)bytes);
	return get_le(b, bytes);
}

uint8_t irqsim_ckpt_get_u8(struct irqsim_ckpt_reader *r)
{
	return (uint8_t)get_int(r, 1);
}

uint16_t irqsim_ckpt_get_u16(struct irqsim_ckpt_reader *r)
{
	return (uint16_t)get_int(r, 2);
}

uint32_t irqsim_ckpt_get_u32(struct irqsim_ckpt_reader *r)
{
	return (uint32_t)get_int(r, 4);
}

uint64_t irqsim_ckpt_get_u64(struct irqsim_ckpt_reader *r)
{
	return get_int(r, 8);
}

void irqsim_ckpt_get_fp(struct irqsim_ckpt_reader *r, struct irqsim_fp *fp)
{
	fp->a = get_int(r, 8);
	fp->b = get_int(r, 8);
}

/*
 * The first pass: the file's size, and whether its last 16 bytes are the
 * checksum of the bytes before them.
 */
static int check_sum(struct irqsim_ckpt_reader *r, unsigned char *buf)
{
	struct irqsim_ckpt_sum sum;
	unsigned char tail[16];
	uint64_t body;
	off_t size;

	if (fseeko(r->f, 0, SEEK_END) || (size = ftello(r->f)) < 0 ||
	    fseeko(r->f, 0, SEEK_SET)) {
		irqsim_ckpt_bad(r, "cannot be read: %s", strerror(errno));
		return -EIO;
	}
	/* the header with an empty identity, and the checksum */
	if ((uint64_t)size < 8 + 4 + 4 + 16 + 4 + 16) {
		return irqsim_ckpt_bad(r, "not an irqsim checkpoint (%lld bytes)",
				       (long long)size);
	}
	body = (uint64_t)size - 16;
	irqsim_ckpt_sum_init(&sum);
	for (uint64_t at = 0; at < body;) {
		size_t n = body - at < IRQSIM_CKPT_BLOCK ?
				   (size_t)(body - at) : IRQSIM_CKPT_BLOCK;

		if (fread(buf, 1, n, r->f) != n) {
			irqsim_ckpt_bad(r, "cannot be read: %s",
					ferror(r->f) ? strerror(errno) :
						       "it changed while read");
			return -EIO;
		}
		/* a file that is no checkpoint is said as such */
		if (!at && memcmp(buf, IRQSIM_CKPT_MAGIC, 8)) {
			return irqsim_ckpt_bad(r, "not an irqsim checkpoint");
		}
		irqsim_ckpt_sum_block(&sum, buf, n);
		at += n;
	}
	if (fread(tail, 1, sizeof(tail), r->f) != sizeof(tail)) {
		irqsim_ckpt_bad(r, "cannot be read: it changed while read");
		return -EIO;
	}
	if (get_le(tail, 8) != sum.h.a || get_le(tail + 8, 8) != sum.h.b) {
		return irqsim_ckpt_bad(r, "corrupt: its checksum does not match its contents (cut short or changed)");
	}
	r->left = body;
	if (fseeko(r->f, 0, SEEK_SET)) {
		irqsim_ckpt_bad(r, "cannot be read: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

int irqsim_ckpt_open(struct irqsim_ckpt_reader *r, FILE *f)
{
	unsigned char *buf = irqsim_malloc(IRQSIM_CKPT_BLOCK);
	unsigned char magic[8];
	uint32_t len;
	int ret;

	memset(r, 0, sizeof(*r));
	r->f = f;
	if (!buf)
		return ENOMEM_RET;
	ret = check_sum(r, buf);
	free(buf);
	if (ret)
		return ret;
	irqsim_ckpt_get(r, magic, sizeof(magic));
	r->version = irqsim_ckpt_get_u32(r);
	if (!r->why && r->version != IRQSIM_CKPT_VERSION) {
		return irqsim_ckpt_bad(r, "a checkpoint of format version %u; this irqsim reads version %d",
				       r->version, IRQSIM_CKPT_VERSION);
	}
	r->kind = irqsim_ckpt_get_u32(r);
	irqsim_ckpt_get_fp(r, &r->id_hash);
	len = irqsim_ckpt_get_u32(r);
	if (r->why)
		return -EINVAL;
	if (len > IRQSIM_CKPT_MAX_ID || len > r->left) {
		return irqsim_ckpt_bad(r, "an identity of %u bytes: not one irqsim wrote",
				       len);
	}
	r->id_text = irqsim_malloc((size_t)len + 1);
	if (!r->id_text)
		return ENOMEM_RET;
	irqsim_ckpt_get(r, r->id_text, len);
	r->id_text[len] = 0;
	r->id_len = len;
	if (strlen(r->id_text) != len) {
		return irqsim_ckpt_bad(r, "a NUL byte in its identity: not one irqsim wrote");
	}
	return r->why ? -EINVAL : 0;
}

void irqsim_ckpt_close(struct irqsim_ckpt_reader *r)
{
	free(r->id_text);
	r->id_text = NULL;
}

/* ------------------------------------------------------------------ */
/* What the exhaustive searches share                                  */

/*
 * The counts of a depth-first search (the distinct count is the visited
 * set's, and the stop flags are never set in a checkpoint).
 */
void irqsim_ckpt_put_dfs_stats(struct irqsim_ckpt_writer *w,
			       const struct irqsim_dfs_stats *st)
{
	uint64_t seconds;

	_Static_assert(sizeof(seconds) == sizeof(st->seconds), "a double");
	memcpy(&seconds, &st->seconds, sizeof(seconds));
	irqsim_ckpt_put_u64(w, st->states);
	irqsim_ckpt_put_u64(w, st->transitions);
	irqsim_ckpt_put_u64(w, st->commute_tests);
	irqsim_ckpt_put_u64(w, st->end_states);
	irqsim_ckpt_put_u64(w, st->pruned_bound);
	irqsim_ckpt_put_u64(w, st->pruned_visited);
	irqsim_ckpt_put_u64(w, st->pruned_sleep);
	irqsim_ckpt_put_u32(w, st->max_depth);
	irqsim_ckpt_put_u8(w, st->complete);
	irqsim_ckpt_put_u8(w, st->pb_complete);
	irqsim_ckpt_put_u64(w, seconds);
	irqsim_ckpt_put_u64(w, st->peak_bytes);
	irqsim_ckpt_put_u32(w, st->windows);
}

void irqsim_ckpt_get_dfs_stats(struct irqsim_ckpt_reader *r,
			       struct irqsim_dfs_stats *st)
{
	uint64_t seconds, peak;
	uint8_t complete, pb_complete;

	memset(st, 0, sizeof(*st));
	st->states = irqsim_ckpt_get_u64(r);
	st->transitions = irqsim_ckpt_get_u64(r);
	st->commute_tests = irqsim_ckpt_get_u64(r);
	st->end_states = irqsim_ckpt_get_u64(r);
	st->pruned_bound = irqsim_ckpt_get_u64(r);
	st->pruned_visited = irqsim_ckpt_get_u64(r);
	st->pruned_sleep = irqsim_ckpt_get_u64(r);
	st->max_depth = irqsim_ckpt_get_u32(r);
	complete = irqsim_ckpt_get_u8(r);
	pb_complete = irqsim_ckpt_get_u8(r);
	seconds = irqsim_ckpt_get_u64(r);
	peak = irqsim_ckpt_get_u64(r);
	st->windows = irqsim_ckpt_get_u32(r);
	memcpy(&st->seconds, &seconds, sizeof(seconds));
	st->peak_bytes = (size_t)peak;
	st->complete = complete;
	st->pb_complete = pb_complete;
	if (complete > 1 || pb_complete > 1 || (complete && !pb_complete))
		irqsim_ckpt_bad(r, "a search both complete and not");
	if (!isfinite(st->seconds) || st->seconds < 0 || st->seconds > 1e12)
		irqsim_ckpt_bad(r, "a search time of %g s", st->seconds);
	if (peak > SIZE_MAX)
		irqsim_ckpt_bad(r, "a search of more memory than there is");
}

/*
 * The visited set: its size (so that it grows, and meets a memory budget,
 * where the search that wrote it would have), its count, then its states
 * with their values in slot order. Not whether the budget stopped its
 * growth: the search decides that again at its next insert, against the
 * budget it has now (the same one decides the same; a larger one lets it
 * grow).
 */
void irqsim_ckpt_put_visited(struct irqsim_ckpt_writer *w,
			     const struct visited *v)
{
	irqsim_ckpt_put_u64(w, v->mask + 1);
	irqsim_ckpt_put_u64(w, v->n);
	for (size_t i = 0; i <= v->mask; i++) {
		const struct visited_entry *e = &v->e[i];

		if (!e->a && !e->b)
			continue;
		irqsim_ckpt_put_u64(w, e->a);
		irqsim_ckpt_put_u64(w, e->b);
		irqsim_ckpt_put_u64(w, e->sleep);
	}
}

/*
 * Into @v (visited_init()'s, of @min slots): a set of a power of two
 * slots, from @min to four times its count (it doubles when half full,
 * a look-up may double it once more), at most 85% full (a memory budget
 * fills it that far), each state once. So the table it allocates is at
 * most four times the bytes the file holds for it, and a probe always
 * meets an empty slot.
 */
int irqsim_ckpt_get_visited(struct irqsim_ckpt_reader *r, struct visited *v,
			    size_t min)
{
	const size_t entry = 3 * sizeof(uint64_t);
	uint64_t slots = irqsim_ckpt_get_u64(r);
	uint64_t n = irqsim_ckpt_get_u64(r);
	uint64_t most = 4 * (n + 1) > min ? 4 * (n + 1) : min;

	if (r->why)
		return -EINVAL;
	if (n > r->left / entry || slots < min || slots > most ||
	    (slots & (slots - 1)) || n * 20 > slots * 17)
		return irqsim_ckpt_bad(r, "a visited set of %llu states in %llu slots: not one a search keeps",
				       (unsigned long long)n,
				       (unsigned long long)slots);
	if (slots != v->mask + 1) {
		struct visited_entry *e = irqsim_calloc((size_t)slots,
							sizeof(*e));

		if (!e)
			return ENOMEM_RET;
		free(v->e);
		v->e = e;
		v->mask = (size_t)slots - 1;
	}
	v->capped = false;
	v->n = 0;
	for (uint64_t i = 0; i < n; i++) {
		struct irqsim_fp fp;
		struct visited_entry *e;

		irqsim_ckpt_get_fp(r, &fp);
		if (r->why)
			return -EINVAL;
		if (!fp.a && !fp.b)
			return irqsim_ckpt_bad(r, "an empty fingerprint in its visited set");
		e = visited_slot(v->e, v->mask, &fp);
		if (e->a || e->b)
			return irqsim_ckpt_bad(r, "a state twice in its visited set");
		e->a = fp.a;
		e->b = fp.b;
		e->sleep = irqsim_ckpt_get_u64(r);
		v->n++;
	}
	return r->why ? -EINVAL : 0;
}
