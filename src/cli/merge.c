// SPDX-License-Identifier: MIT
/* irqsim merge: the reports of the shards of one exploration. */
#include "cli/internal.h"
#include "cli/report.h"
#include "cli/version.h"
#include "sched/alloc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Every report read, and the array (report_free() of each). */
static void reports_free(struct report *r, int n)
{
	for (int i = 0; r && i < n; i++)
		report_free(&r[i]);
	free(r);
}

/*
 * irqsim merge: the shards of one exploration, in any order, give the
 * answer one machine would: the lowest failing seed (or frontier entry)
 * over all shards, and complete only when every shard was.
 */
static int merge_reports(int n, const char *const *files)
{
	struct report *r;
	int best = -1, complete = 1;
	uint64_t runs_done = 0, states = 0, distinct = 0, trans = 0;
	uint64_t entries_done = 0;
	unsigned int max_depth = 0;
	bool *seen;
	double seconds = 0;

	r = irqsim_calloc((size_t)n, sizeof(*r));
	seen = NULL;
	if (!r)
		return EXIT_USAGE;
	for (int i = 0; i < n; i++) {
		char err[REPORT_ERR];

		if (report_load(&r[i], files[i], err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			goto bad;
		}
	}
	/* made by another irqsim: say which, should the answer differ */
	for (int i = 0; i < n; i++)
		if (r[i].made_by[0] && strcmp(r[i].made_by, irqsim_version()))
			fprintf(stderr, "irqsim: note: %s was made by %s; this is %s\n",
				files[i], r[i].made_by, irqsim_version());
	seen = irqsim_calloc(r[0].shards, sizeof(*seen));
	if (!seen)
		goto bad;
	for (int i = 0; i < n; i++) {
		if (strcmp(r[i].trace, r[0].trace) ||
		    strcmp(r[i].strategy, r[0].strategy) ||
		    r[i].shards != r[0].shards || r[i].base != r[0].base ||
		    r[i].runs != r[0].runs || r[i].config != r[0].config ||
		    r[i].frontier_depth != r[0].frontier_depth) {
			fprintf(stderr, "irqsim: %s is not a shard of the same exploration as %s\n",
				files[i], files[0]);
			goto bad;
		}
		if (r[i].shard >= r[0].shards || seen[r[i].shard]) {
			fprintf(stderr, "irqsim: %s: shard %u/%u given twice or out of range\n",
				files[i], r[i].shard, r[i].shards);
			goto bad;
		}
		seen[r[i].shard] = true;
		if (r[i].found && (best < 0 || r[i].index < r[best].index))
			best = i;
		runs_done += r[i].runs_done;
		states += r[i].states;
		distinct += r[i].distinct;
		trans += r[i].transitions;
		entries_done += r[i].entries_done;
		if (r[i].max_depth > max_depth)
			max_depth = r[i].max_depth;
		if (r[i].seconds > seconds)
			seconds = r[i].seconds;
	}
	for (unsigned int k = 0; k < r[0].shards; k++)
		if (!seen[k]) {
			fprintf(stderr, "irqsim: shard %u/%u is missing: the merge would not cover the space\n",
				k, r[0].shards);
			goto bad;
		}
	printf("merge: %d shards of %s (%s)\n", n, r[0].trace, r[0].strategy);
	if (!strcmp(r[0].strategy, "dfs")) {
		/* each shard covered its part completely: the whole is */
		for (int i = 0; i < n; i++)
			complete &= r[i].complete &&
				    r[i].entries_done ==
					    (r[i].entries + r[i].shards - 1 -
					     r[i].shard) / r[i].shards;
		printf("dfs %s: %" PRIu64 " states, %" PRIu64 " distinct (summed over shards), %" PRIu64 " transitions, max depth %u, %.3f s (slowest shard), frontier depth %u: %" PRIu64 " of %" PRIu64 " entries\n",
		       complete && best < 0 ? "complete" : "bounded", states,
		       distinct, trans, max_depth, seconds,
		       r[0].frontier_depth, entries_done, r[0].entries);
	}
	if (best < 0) {
		if (!strcmp(r[0].strategy, "dfs"))
			printf("%s: %s\n", r[0].trace,
			       complete ? "no violation in any schedule (all shards complete)" :
					  "no violation found (bounded search: not a proof)");
		else
			printf("%s: no violation in %" PRIu64 " %s schedules (%s search: not a proof)\n",
			       r[0].trace, runs_done, r[0].strategy,
			       r[0].strategy);
		/* every shard's windows: reached if any shard reached it */
		{
			uint32_t reached = 0, possible = 0;
			int oldest = REPORT_VERSION;

			for (int i = 0; i < n; i++) {
				reached |= r[i].windows;
				possible |= r[i].windows_possible;
				if (r[i].version < oldest)
					oldest = r[i].version;
			}
			if (oldest >= 4)
				print_windows(stdout, "  ", reached, possible);
			else
				printf("  race windows: not recorded (a version %d report)\n",
				       oldest);
		}
		reports_free(r, n);
		free(seen);
		return EXIT_NONE;
	}
	if (!strcmp(r[0].strategy, "dfs"))
		printf("explore: violation (dfs, lowest frontier entry %" PRIu64 ")\n",
		       r[best].index);
	else
		printf("explore: violation in run %" PRIu64 " of %" PRIu64 " (%s, base seed %" PRIu64 ", seed %" PRIu64 ")\n",
		       r[best].index + 1, r[0].runs, r[0].strategy, r[0].base,
		       r[0].base + r[best].index);
	printf("%s: %s\n", r[0].trace, r[best].verdict);
	if (r[best].has_options) {
		/* the shard's own options: the reproducer is complete */
		struct repro rp = {
			.kind = !strcmp(r[0].strategy, "random") ? REPRO_SEED :
				!strcmp(r[0].strategy, "pct") ? REPRO_PCT :
								REPRO_SCHEDULE,
			.seed = r[0].base + r[best].index,
			.depth = r[best].depth,
			.words = r[best].schedule,
		};

		if (rp.kind != REPRO_SCHEDULE || rp.words)
			print_repro_line(stdout, "reproduce", r[best].source,
					 NULL, r[best].options, &rp);
	} else if (!strcmp(r[0].strategy, "random")) {
		printf("  reproduce: irqsim run %s --seed %" PRIu64 " (with the shards' --profile/--set options: a version %d report does not name them)\n",
		       r[0].source, r[0].base + r[best].index, r[best].version);
	}
	if (r[best].saved[0])
		printf("  replay:    irqsim replay %s\n", r[best].saved);
	reports_free(r, n);
	free(seen);
	return EXIT_VIOLATION;
bad:
	reports_free(r, n);
	free(seen);
	return EXIT_USAGE;
}

int cmd_merge(int argc, char **argv)
{
	const char **files = irqsim_calloc((size_t)argc, sizeof(*files));
	struct options o;
	int ret;

	if (!files) {
		fprintf(stderr, "irqsim: out of memory\n");
		return EXIT_USAGE;
	}
	ret = parse_options(argc, argv, CMD_MERGE, &o, files);
	if (!ret && o.nargs < 1)
		ret = usage("merge needs the report files of every shard", NULL);
	if (!ret)
		ret = merge_reports(o.nargs, files);
	free(files);
	return ret;
}
