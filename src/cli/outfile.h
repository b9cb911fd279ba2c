/* SPDX-License-Identifier: MIT */
/*
 * Every file irqsim writes (--save, --report, -o): written to a temporary
 * file beside it and renamed over it only once it is whole, so a write cut
 * off (a full disk, a file size limit) leaves the file that was there
 * before. A path that exists and is not a regular file (/dev/stdout, a
 * pipe, /dev/full) is written in place; through a symbolic link, the
 * file it names is replaced. A file that exists keeps its mode.
 */
#ifndef IRQSIM_OUTFILE_H
#define IRQSIM_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
	FILE *f;
	const char *path;	/* as given, for messages */
	const char *target;	/* what is replaced: @path or @real */
	char real[4096];	/* where a symbolic link points */
	char tmp[4096];		/* "" when written in place */
};

/*
 * Open @path for writing. NULL on failure, having printed
 * "irqsim: cannot write PATH: reason".
 */
FILE *outfile_open(struct outfile *o, const char *path, bool binary);

/*
 * Flush, close and rename into place. 0, or -1 having printed
 * "irqsim: cannot write PATH: reason" and removed the temporary file
 * (the old file, if any, is untouched). @failed: the caller's own
 * writing failed already (it said why): only clean up.
 */
int outfile_close(struct outfile *o, bool failed);

/*
 * outfile_close() for a file that must outlive a crash once it is in
 * place (a checkpoint): its bytes synced to the disk before the rename,
 * the directory after it, so that the file found after a power cut is
 * the old one or the new one, whole.
 */
int outfile_close_durable(struct outfile *o, bool failed);

#endif
