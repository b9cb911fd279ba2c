/* SPDX-License-Identifier: MIT */
/*
 * The report of one shard (explore --report FILE), read back by irqsim
 * merge. The reader refuses a report that contradicts itself (found 1 with
 * verdict none, an index past the runs, more runs done than the shard
 * has, an unknown verdict or strategy, negative seconds, a number that
 * does not fit) with "file:line: message": merge must never print an
 * answer computed from one.
 *
 * Version 2 added the config line: a digest of everything besides the
 * trace that decides what a shard searches, so merge refuses shards of
 * different explorations. Version 3 added what merge needs to print a
 * complete reproducer: the options line (--profile, --set and --ignore
 * as given), the PCT depth and the schedule of the violation found.
 * Version 4 added the race windows the shard's search opened, and those
 * the trace can open, so merge can say which windows the whole search
 * reached. Merge reads versions 2 to 4 (a version 2 reproducer names no
 * options, and says so; before version 4 no windows are known). The
 * made-by line (the irqsim that wrote it, which merge notes when it is
 * not the one running) is optional in any version.
 */
#ifndef IRQSIM_REPORT_H
#define IRQSIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPORT_VERSION 4
#define REPORT_OLDEST 2
/* a schedule line holds up to a run's bound (10^6) of transitions */
#define REPORT_MAX_FILE (128 * 1024 * 1024)
#define REPORT_ERR 1024
/* The --profile/--set/--ignore of a run as one string (" --set a=b ..."). */
#define RUN_OPTIONS_MAX 8192

struct report {
	char trace[128], source[512], strategy[16], verdict[64], saved[512];
	char made_by[128];		/* "": no made-by line */
	char options[RUN_OPTIONS_MAX];	/* v3: "" or " --set a=b ..." */
	char *schedule;			/* v3, when found; report_free() */
	int version, depth;		/* depth: v3 */
	uint32_t windows, windows_possible;	/* v4: check_window bits */
	bool has_options;
	unsigned int shard, shards, frontier_depth;
	uint64_t base, runs, index, runs_done, steps, states, distinct;
	uint64_t transitions, entries, entries_done, config;
	unsigned int max_depth;
	int found, complete;
	double seconds;
};

/*
 * Parse @size bytes of @data (named @path in messages). 0, or -1 with @err
 * (and nothing left to free). On 0, report_free() @r when done.
 */
int report_parse(struct report *r, const char *path, const char *data,
		 size_t size, char *err, size_t errlen);

/* Read and parse the file @path. 0, or -1 with @err. */
int report_load(struct report *r, const char *path, char *err, size_t errlen);

/* Free what a report holds (its schedule); @r may be reused. */
void report_free(struct report *r);

#endif
