/* SPDX-License-Identifier: MIT */
/*
 * Input the command reads: every file it reads whole (a trace, a saved
 * run, a shard report), with one set of messages: "PATH: cannot open:
 * reason", "PATH: cannot read: reason" (a directory opens, and reads as
 * EISDIR, never as an empty file), "PATH: out of memory"; and the one
 * parser of the numbers in options and reports.
 */
#ifndef IRQSIM_INFILE_H
#define IRQSIM_INFILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read @path: at most @max + 1 bytes (so the caller sees a file past its
 * limit), into a buffer grown as it fills, with a NUL after the last byte.
 * Return: 0 with *@buf (free() it) and *@len, or -errno with @err.
 */
int infile_read(const char *path, size_t max, char **buf, size_t *len,
		char *err, size_t errlen);

/*
 * A number of an option or a report: decimal digits only (no sign, space
 * or suffix), in @lo..@hi, never wrapped. 0, or -1.
 */
int infile_parse_u64(const char *v, uint64_t lo, uint64_t hi, uint64_t *out);

#endif
