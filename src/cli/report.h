/* SPDX-License-Identifier: MIT */
/*
 * The report of one shard (explore --report FILE), read back by irqsim
 * merge. The reader refuses a report that contradicts itself (found 1 with
 * verdict none, an index past the runs, more runs done than the shard
 * has, an unknown verdict or strategy, negative seconds, a number that
 * does not fit) with "file:line: message": merge must never print an
 * answer computed from one.
 */
#ifndef IRQSIM_REPORT_H
#define IRQSIM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#define REPORT_VERSION 2
#define REPORT_MAX_FILE (64 * 1024)
#define REPORT_ERR 1024

struct report {
	char trace[128], source[512], strategy[16], verdict[64], saved[512];
	unsigned int shard, shards, frontier_depth;
	uint64_t base, runs, index, runs_done, steps, states, distinct;
	uint64_t transitions, entries, entries_done, config;
	unsigned int max_depth;
	int found, complete;
	double seconds;
};

/* Parse @size bytes of @data (named @path in messages). 0, or -1 with @err. */
int report_parse(struct report *r, const char *path, const char *data,
		 size_t size, char *err, size_t errlen);

/* Read and parse the file @path. 0, or -1 with @err. */
int report_load(struct report *r, const char *path, char *err, size_t errlen);

#endif
