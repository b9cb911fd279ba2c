// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the trace parser (scenario_parse), then one run of what
 * parsed (tests/fuzz/fuzz_common.h). Seeds: traces/ and tests/fuzz/corpus/trace.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *s;
	char err[SCENARIO_ERR], *text;
	uint64_t seed = irqsim_hash(data, size);

	if (size > SCENARIO_MAX_FILE + 1)
		return 0;
	s = malloc(sizeof(*s));
	text = malloc(size + 1);
	if (!s || !text)
		goto out;
	memcpy(text, data, size);
	text[size] = 0;
	if (!scenario_parse(s, "fuzz.trace", text, err, sizeof(err)))
		fuzz_run(s, &s->config, NULL,
			 s->has_schedule ? &s->schedule : NULL, seed, true);
	scenario_free(s);
out:
	free(text);
	free(s);
	return 0;
}
