// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the shard report reader (report_parse), which irqsim
 * merge trusts. A report it accepts must agree with itself: found with a
 * verdict, an index inside the shard, no more runs or entries done than
 * the shard has, seconds that are a time. Seeds: tests/fuzz/corpus/report.
 */
#include "cli/report.h"
#include "check/check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report r;
	char err[REPORT_ERR];

	if (report_parse(&r, "fuzz.report", (const char *)data, size, err,
			 sizeof(err)))
		return 0;
	if ((r.found != 0) != (strcmp(r.verdict, "none") != 0) ||
	    check_kind_parse(r.verdict) < 0 || !r.shards ||
	    r.shard >= r.shards || !isfinite(r.seconds) || r.seconds < 0 ||
	    !r.trace[0] || !r.strategy[0])
		abort();
	if ((!strcmp(r.strategy, "random") || !strcmp(r.strategy, "pct")) &&
	    (r.runs_done > r.runs || (r.found && r.index >= r.runs)))
		abort();
	return 0;
}
