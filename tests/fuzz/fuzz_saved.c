// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the saved-run reader (saved_parse), then the replay of
 * what it read, as `irqsim replay --render` does (tests/fuzz/fuzz_common.h).
 * Seeds: tests/fuzz/corpus/saved.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct saved_run *sr = malloc(sizeof(*sr));
	char err[SCENARIO_ERR];

	if (!sr)
		return 0;
	if (!saved_parse(sr, "fuzz.irqsim", (const char *)data, size, err,
			 sizeof(err)))
		fuzz_run(&sr->s, NULL, &sr->config, &sr->schedule, 0, false);
	saved_free(sr);
	free(sr);
	return 0;
}
