// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the checkpoint reader (sched/checkpoint.h), which
 * explore --resume trusts. An input is a checkpoint without its last 16
 * bytes: the target appends their checksum, so that a change the fuzzer
 * makes reaches the reader's checks instead of failing the checksum (a
 * file changed by accident never gets that far; one changed on purpose
 * could). It is loaded into a dfs of traces/seed000-host-driver.trace
 * with explore's default settings. Properties: a checkpoint is loaded
 * whole or refused with a reason (never a crash, a leak or an allocation
 * past what it holds), and one loaded is searched on to an end without
 * an error. Seeds: tests/fuzz/corpus/checkpoint, checkpoints of that
 * trace cut at 1, 100 and 300 distinct states (irqsim explore --strategy
 * dfs --max-states N --checkpoint F, less the last 16 bytes).
 */
#include "cli/scenario.h"
#include "sched/checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct scenario fuzz_s;
static int fuzz_knobs[IRQSIM_MAX_KNOBS];
static struct vmm_world *fuzz_init;
static struct irqsim_rt fuzz_rt;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[SCENARIO_ERR];

	(void)argc;
	(void)argv;
	scenario_init();
	fuzz_init = malloc(sizeof(*fuzz_init));
	if (!fuzz_init ||
	    scenario_load(&fuzz_s,
			  IRQSIM_SOURCE_DIR "/traces/seed000-host-driver.trace",
			  err, sizeof(err))) {
		fprintf(stderr, "fuzz: %s\n", fuzz_init ? err : "out of memory");
		abort();
	}
	config_apply(fuzz_knobs, &fuzz_s.config, NULL);
	if (scenario_world(&fuzz_s, fuzz_knobs, fuzz_init, err, sizeof(err))) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	scenario_rt(&fuzz_s, fuzz_knobs, NULL, &fuzz_rt);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irqsim_dfs_opts opts = {
		.bound = fuzz_s.bound,
		.preemption_bound = -1,
		.sleep_sets = true,
	};
	unsigned char *buf = malloc(size + 16);
	struct irqsim_ckpt_reader r;
	struct irqsim_ckpt_sum sum;
	struct irqsim_dfs_stats st;
	struct irqsim_verdict v;
	struct irqsim_schedule sc;
	struct irqsim_dfs *d;
	FILE *f;
	int ret;

	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);
	irqsim_ckpt_sum_init(&sum);
	for (size_t at = 0; at < size; at += IRQSIM_CKPT_BLOCK)
		irqsim_ckpt_sum_block(&sum, buf + at,
				      size - at < IRQSIM_CKPT_BLOCK ?
					      size - at : IRQSIM_CKPT_BLOCK);
	for (int i = 0; i < 8; i++) {
		buf[size + i] = (unsigned char)(sum.h.a >> (8 * i));
		buf[size + 8 + i] = (unsigned char)(sum.h.b >> (8 * i));
	}
	f = fmemopen(buf, size + 16, "rb");
	if (!f)
		abort();
	ret = irqsim_ckpt_open(&r, f);
	if (!ret) {
		d = irqsim_dfs_new(&scenario_model, &fuzz_rt, &opts);
		if (!d)
			abort();
		ret = irqsim_dfs_load(d, fuzz_init, &r, &st);
		if (!ret) {
			uint64_t loaded = st.distinct;

			irqsim_schedule_init(&sc);
			if (irqsim_dfs_search(d, fuzz_init, NULL, &st, &v, &sc) ||
			    st.distinct < loaded)
				abort();
			irqsim_schedule_free(&sc);
		}
		irqsim_dfs_free(d);
	}
	/* a refusal says why */
	if (ret && (ret != -22 || !r.why))
		abort();
	irqsim_ckpt_close(&r);
	fclose(f);
	free(buf);
	return 0;
}
