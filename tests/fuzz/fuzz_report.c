// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the shard report reader (report_parse), which irqsim
 * merge trusts. A report it accepts must agree with itself: found with a
 * verdict, an index inside the shard, no more runs or entries done than
 * the shard has, seconds that are a time, a schedule only with a verdict,
 * the version 3 lines only in version 3, race windows only in version 4
 * and reached only among the possible ones. Seeds:
 * tests/fuzz/corpus/report (version 3 and 4 reports;
 * tests/fuzz/regressions/report keeps version 2).
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
	if (r.version < REPORT_OLDEST || r.version > REPORT_VERSION ||
	    (r.schedule && !r.found) ||
	    (r.version < 3 && (r.has_options || r.schedule || r.depth)) ||
	    (r.version >= 3 && !r.has_options) ||
	    (r.options[0] && r.options[0] != ' ') ||
	    (r.windows & ~r.windows_possible) ||
	    (r.version < 4 && (r.windows || r.windows_possible)) ||
	    (r.windows_possible >> CHECK_NR_WINDOWS))
		abort();
	report_free(&r);
	return 0;
}
