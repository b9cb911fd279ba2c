/* SPDX-License-Identifier: MIT */
/*
 * Checkpoints of a search: its whole state written to one file, so that a
 * search stopped by a signal, the OOM killer or a preempted job goes on
 * from where it was instead of from the start. The engine writes and
 * reads the bytes on a FILE the caller opened; the caller names the run
 * (the identity in the header: the engine only carries it) and puts the
 * file in place (a temporary file, fsync, rename).
 *
 * A checkpoint, all integers little-endian:
 *
 *   "IRQSIMCK"  u32 format version  u32 kind (what search wrote it)
 *   identity:   16-byte hash, u32 length, that many bytes of text
 *   the search's state (its kind's own sections, e.g. irqsim_dfs_save())
 *   checksum:   16 bytes over every byte before it
 *
 * The checksum is irqsim_hash128() of each 64 KiB block of the file,
 * chained (irqsim_ckpt_sum()): a file cut short or changed anywhere is
 * refused before any of it is believed. A reader then checks every count
 * against what the file holds and what the search can have (a checkpoint
 * is input, and the tool never crashes on input).
 */
#ifndef IRQSIM_SCHED_CHECKPOINT_H
#define IRQSIM_SCHED_CHECKPOINT_H

#include "sched/explore.h"

#include <stdio.h>

#define IRQSIM_CKPT_MAGIC	"IRQSIMCK"
#define IRQSIM_CKPT_VERSION	1
#define IRQSIM_CKPT_BLOCK	65536
/* an identity longer than this is no identity irqsim wrote */
#define IRQSIM_CKPT_MAX_ID	65536

/* What search a checkpoint holds. */
enum irqsim_ckpt_kind {
	IRQSIM_CKPT_DFS = 1,	/* irqsim_dfs_save(): one depth-first search */
	IRQSIM_CKPT_DIST_RANK,	/* one rank's part of a distributed search */
	IRQSIM_CKPT_DIST_JOB,	/* which parts make one (sched/dist.h) */
};

/*
 * The run a checkpoint belongs to, as the caller names it: a hash of
 * everything that decides the search, and a text a person can read
 * (which the caller compares to say what differs).
 */
struct irqsim_ckpt_id {
	struct irqsim_fp hash;
	const char *text;
	size_t len;
};

/* The checksum of a file: its 64 KiB blocks' hashes, chained. */
struct irqsim_ckpt_sum {
	struct irqsim_fp h;
};

void irqsim_ckpt_sum_init(struct irqsim_ckpt_sum *s);
void irqsim_ckpt_sum_block(struct irqsim_ckpt_sum *s, const void *p,
			   size_t n);

/*
 * Writing: bytes go through a block buffer, whose blocks are summed as
 * they are written; the first write that fails is remembered (@err, an
 * errno) for irqsim_ckpt_end().
 */
struct irqsim_ckpt_writer {
	FILE *f;
	struct irqsim_ckpt_sum sum;
	int err;
	size_t n;
	unsigned char buf[IRQSIM_CKPT_BLOCK];
};

/* The header: magic, version, @kind, @id. */
void irqsim_ckpt_begin(struct irqsim_ckpt_writer *w, FILE *f,
		       enum irqsim_ckpt_kind kind,
		       const struct irqsim_ckpt_id *id);
void irqsim_ckpt_put(struct irqsim_ckpt_writer *w, const void *p, size_t n);
void irqsim_ckpt_put_u8(struct irqsim_ckpt_writer *w, uint8_t v);
void irqsim_ckpt_put_u16(struct irqsim_ckpt_writer *w, uint16_t v);
void irqsim_ckpt_put_u32(struct irqsim_ckpt_writer *w, uint32_t v);
void irqsim_ckpt_put_u64(struct irqsim_ckpt_writer *w, uint64_t v);
void irqsim_ckpt_put_fp(struct irqsim_ckpt_writer *w,
			const struct irqsim_fp *fp);

/**
 * irqsim_ckpt_end - write the last block and the checksum
 * Return: 0, or -errno of the first write that failed (-EIO when it set
 * no errno).
 */
int irqsim_ckpt_end(struct irqsim_ckpt_writer *w);

/*
 * Reading: irqsim_ckpt_open() checks the whole file's checksum first,
 * then reads the header; the kind's reader takes the rest. The first
 * problem found is kept in @why (a sentence without the file's name, for
 * "FILE: why") and every later read fails, so a reader checks once per
 * section.
 */
struct irqsim_ckpt_reader {
	FILE *f;
	uint64_t left;		/* bytes before the checksum not yet read */
	const char *why;	/* NULL while all is well */
	char whybuf[160];
	uint32_t version, kind;
	struct irqsim_fp id_hash;
	char *id_text;		/* NUL-terminated; irqsim_ckpt_close() frees */
	size_t id_len;
};

/**
 * irqsim_ckpt_open - check @f and read its header
 * @f: a checkpoint, opened for reading; it must be seekable
 *
 * Return: 0; -EINVAL (-22) with @r->why: not a checkpoint, another format
 * version, or a checksum that does not match (cut short or changed);
 * -EIO (-5) with @r->why when reading failed; -ENOMEM.
 */
int irqsim_ckpt_open(struct irqsim_ckpt_reader *r, FILE *f);
void irqsim_ckpt_close(struct irqsim_ckpt_reader *r);

bool irqsim_ckpt_get(struct irqsim_ckpt_reader *r, void *p, size_t n);
uint8_t irqsim_ckpt_get_u8(struct irqsim_ckpt_reader *r);
uint16_t irqsim_ckpt_get_u16(struct irqsim_ckpt_reader *r);
uint32_t irqsim_ckpt_get_u32(struct irqsim_ckpt_reader *r);
uint64_t irqsim_ckpt_get_u64(struct irqsim_ckpt_reader *r);
void irqsim_ckpt_get_fp(struct irqsim_ckpt_reader *r, struct irqsim_fp *fp);

/* Say what is wrong (printf-style), unless something already was: -EINVAL. */
int irqsim_ckpt_bad(struct irqsim_ckpt_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The depth-first search's own (sched/dfs.c). Its state after the header:
 * the settings it was searched with (checked against @opts), its
 * statistics, the transition codes its sleep sets number, its stack (per
 * level: the transition taken, the next to try, the sleep, done and todo
 * sets, the state's fingerprint), and its visited set (the states with
 * their stored values) or bit array. Worlds are not written: resuming
 * replays the transitions taken from @init, and each level's fingerprint
 * must come out as written.
 */

/**
 * irqsim_dfs_save - write the search's state, as a checkpoint, to @f
 * @d: a search stopped where @checkpoint (struct irqsim_dfs_opts) is
 *     called: one search from the start, without @shared or transactions
 *
 * Return: 0; -errno when a write failed (irqsim_ckpt_end()); -EINVAL
 * (-22) for a search that cannot be saved.
 */
int irqsim_dfs_save(const struct irqsim_dfs *d, FILE *f,
		    const struct irqsim_ckpt_id *id);

/**
 * irqsim_dfs_load - make @d (new, from irqsim_dfs_new()) the search a
 * checkpoint holds, read from @r after irqsim_ckpt_open(); the next
 * irqsim_dfs_search(@d, @init, NULL, @st, ...) goes on from there
 * @st: receives the statistics so far
 *
 * Return: 0; -EINVAL with @r->why (a checkpoint of another kind or
 * other settings, or one whose contents do not hold together or do not
 * replay from @init); -ENOMEM.
 */
int irqsim_dfs_load(struct irqsim_dfs *d, const void *init,
		    struct irqsim_ckpt_reader *r, struct irqsim_dfs_stats *st);

/**
 * irqsim_dfs_resume - irqsim_dfs() from a checkpoint: the search @r holds
 * (irqsim_ckpt_open() read its header), gone on with to its end. The
 * result is the one the search would have reached without the stop:
 * the same verdict, schedule and counts; @st->seconds is the sum of the
 * sittings.
 *
 * Return: as irqsim_dfs_load(), or as irqsim_dfs().
 */
int irqsim_dfs_resume(const struct irqsim_model *model,
		      const struct irqsim_rt *rt, const void *init,
		      const struct irqsim_dfs_opts *opts,
		      struct irqsim_ckpt_reader *r,
		      struct irqsim_dfs_stats *st,
		      struct irqsim_verdict *violation,
		      struct irqsim_schedule *sc);

#endif
