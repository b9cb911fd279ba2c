// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: irqsim import (src/trace/import.c reads the log,
 * src/cli/import.c infers the trace and searches its schedule, with a
 * small state budget and one configuration), then one run of the trace
 * it wrote
 * (tests/fuzz/fuzz_common.h). Properties, broken ones abort():
 *  - the import never writes a trace irqsim cannot read: what it makes
 *    parses, within the import (-EPROTO) and as written;
 *  - a log it cannot read is refused with "file:line:" or "file:".
 * Seeds: tests/fuzz/corpus/import (the logs of tests/trace/data, and
 * small variants of each format).
 */
#include "fuzz_common.h"
#include "cli/internal.h"

#include <errno.h>

/*
 * States the schedule search may enter, and one configuration (the
 * defaults' profiles) instead of every pair of profiles: an input is one
 * import, and must stay fast.
 */
#define FUZZ_IMPORT_STATES	1000

static struct scenario_config fuzz_config;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[SCENARIO_ERR], *text, *trace = NULL;
	struct scenario *s;
	int rc;

	if (size > (1 << 16))
		return 0;
	s = malloc(sizeof(*s));
	text = malloc(size + 1);
	if (!s || !text)
		goto out;
	memcpy(text, data, size);
	text[size] = 0;
	if (!fuzz_config.n &&
	    config_add_profile(&fuzz_config, "linux-6.18", err, sizeof(err)))
		fuzz_fail("no profile linux-6.18", err);
	rc = import_text("fuzz.log", text, TRACE_LOG_AUTO, size & 1,
			 &fuzz_config, FUZZ_IMPORT_STATES, &trace, err,
			 sizeof(err));
	if (rc == -EPROTO)
		fuzz_fail("the import made a trace it cannot read", err);
	if (rc == -EINVAL && strncmp(err, "fuzz.log", 8) &&
	    strncmp(err, "irqsim: ", 8))
		fuzz_fail("a refused log without its file", err);
	if (rc)
		goto out;
	if (scenario_parse(s, "fuzz.trace", trace, err, sizeof(err)))
		fuzz_fail("the trace the import wrote does not parse", err);
	fuzz_run(s, &s->config, NULL, s->has_schedule ? &s->schedule : NULL,
		 0, false);
	scenario_free(s);
out:
	free(trace);
	free(text);
	free(s);
	return 0;
}
