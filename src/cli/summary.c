// SPDX-License-Identifier: MIT
/*
 * What a search found, written out: the race windows line, the summary
 * as one JSON object (--json), and a shard's report (--report, read back
 * by cli/report.c for irqsim merge).
 */
#include "cli/internal.h"
#include "cli/report.h"
#include "cli/version.h"

#include <inttypes.h>

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* ,"windows":{"reached":[...],"not_reached":[...]}: of @possible. */
static void json_windows(FILE *f, uint32_t reached, uint32_t possible)
{
	static const char *const key[2] = { "reached", "not_reached" };
	uint32_t set[2] = { reached & possible, possible & ~reached };

	fprintf(f, ",\"windows\":{");
	for (int k = 0; k < 2; k++) {
		const char *sep = "";

		fprintf(f, "%s\"%s\":[", k ? "," : "", key[k]);
		for (int i = 0; i < CHECK_NR_WINDOWS; i++) {
			if (!(set[k] & (1u << i)))
				continue;
			fprintf(f, "%s\"%s\"", sep, check_window_name(i));
			sep = ",";
		}
		fputc(']', f);
	}
	fputc('}', f);
}

/*
 * The race windows line under a summary: which of the windows the trace
 * can open some explored state opened. A "none" that never opened a
 * window proves nothing about the races that happen there.
 */
void print_windows(FILE *f, const char *indent, uint32_t reached,
		   uint32_t possible)
{
	char buf[512];

	if (!possible) {
		fprintf(f, "%srace windows: none this trace can open\n", indent);
		return;
	}
	check_windows_format(reached & possible, buf, sizeof(buf));
	fprintf(f, "%srace windows reached: %s", indent, buf[0] ? buf : "none");
	if (possible & ~reached) {
		check_windows_format(possible & ~reached, buf, sizeof(buf));
		fprintf(f, "; never opened: %s", buf);
	}
	fputc('\n', f);
}

void print_json(FILE *f, const struct session *ss,
		const struct options *o, const struct explore_outcome *x)
{
	fprintf(f, "{\"trace\":");
	json_string(f, ss->s.name);
	fprintf(f, ",\"strategy\":\"%s\",\"shard\":[%u,%u],\"jobs\":%d",
		strategy_names[x->strategy], o->shard_index, o->shard_count,
		o->jobs);
	fprintf(f, ",\"violation\":%s,\"verdict\":\"%s\"",
		x->found ? "true" : "false",
		check_kind_name(x->found ? x->verdict.kind : 0));
	if (x->found) {
		fprintf(f, ",\"what\":");
		json_string(f, x->verdict.what);
		fprintf(f, ",\"inevitable_at\":%u", x->verdict.step);
	}
	if (x->strategy == STRATEGY_DPOR)
		fprintf(f, ",\"complete\":%s,\"states\":%" PRIu64 ",\"distinct\":%" PRIu64 ",\"revisits\":%" PRIu64 ",\"cycles\":%" PRIu64 ",\"summaries\":%" PRIu64 ",\"schedules\":%" PRIu64 ",\"end_states\":%" PRIu64 ",\"transitions\":%" PRIu64 ",\"max_depth\":%u,\"peak_bytes\":%zu",
			x->dst.complete ? "true" : "false", x->dst.states,
			x->dst.distinct, x->dst.revisits, x->dst.cycles,
			x->dst.summaries, x->dst.executions,
			x->dst.end_states, x->dst.transitions,
			x->dst.max_depth, x->dst.peak_bytes);
	else if (x->strategy == STRATEGY_DFS)
		fprintf(f, ",\"complete\":%s,\"states\":%" PRIu64 ",\"distinct\":%" PRIu64 ",\"end_states\":%" PRIu64 ",\"transitions\":%" PRIu64 ",\"max_depth\":%u,\"peak_bytes\":%zu",
			x->st.complete ? "true" : "false", x->st.states,
			x->st.distinct, x->st.end_states, x->st.transitions,
			x->st.max_depth, x->st.peak_bytes);
	if (x->strategy == STRATEGY_DFS && o->transactions &&
	    o->preemption_bound < 0)
		fprintf(f, ",\"transactions\":{\"alone\":%" PRIu64 ",\"unprotected_bytes\":%zu,\"restarts\":%u}",
			x->st.tx_forced, x->st.tx_unprotected,
			x->st.tx_restarts);
	if (x->distributed)
		fprintf(f, ",\"distributed\":{\"ranks\":%d,\"distinct\":%" PRIu64 ",\"rank_distinct_min\":%" PRIu64 ",\"rank_distinct_max\":%" PRIu64 ",\"sent\":%" PRIu64 ",\"sent_bytes\":%" PRIu64 ",\"cached\":%" PRIu64 ",\"supersteps\":%" PRIu64 ",\"partition_actor\":%d,\"max_pending\":%" PRIu64 ",\"pending_bytes\":%zu,\"peak_bytes_sum\":%zu,\"seconds\":%.3f,\"searched_again\":%s}",
			x->dist.ranks, x->dist.st.distinct,
			x->dist.rank_distinct_min, x->dist.rank_distinct_max,
			x->dist.sent, x->dist.sent_bytes, x->dist.cached,
			x->dist.supersteps, x->dist.partition_actor,
			x->dist.max_pending,
			x->dist.pending_bytes, x->dist.peak_bytes_sum,
			x->dist.st.seconds, x->dist.found ? "true" : "false");
	if (x->strategy == STRATEGY_DFS && x->st.bitstate_bits)
		fprintf(f, ",\"bitstate\":{\"bits\":%" PRIu64 ",\"hashes\":%d,\"hash_factor\":%.1f,\"missed_estimate\":%.0f}",
			x->st.bitstate_bits, IRQSIM_BITSTATE_K,
			x->st.distinct ? (double)x->st.bitstate_bits /
						 (double)x->st.distinct : 0,
			irqsim_bitstate_missed(x->st.distinct,
					       x->st.bitstate_bits));
	if (x->strategy == STRATEGY_DFS && o->preemption_bound >= 0)
		fprintf(f, ",\"preemption_bound\":%d,\"pb_complete\":%s",
			o->preemption_bound,
			x->st.pb_complete ? "true" : "false");
	else
		fprintf(f, ",\"runs\":%" PRIu64 ",\"runs_done\":%" PRIu64 ",\"steps\":%" PRIu64 "%s",
			x->runs, x->runs_done, x->steps,
			/* a sweep never covers every schedule; dfs and dpor
			 * said whether they did above (one key each) */
			x->found || x->strategy == STRATEGY_DFS ||
					x->strategy == STRATEGY_DPOR ?
				"" : ",\"complete\":false");
	if (x->found && x->strategy != STRATEGY_DFS &&
	    x->strategy != STRATEGY_DPOR)
		fprintf(f, ",\"seed\":%" PRIu64, x->seed);
	if (x->shrunk)
		fprintf(f, ",\"found_steps\":%zu,\"found_preemptions\":%d,\"shrunk_steps\":%zu,\"shrunk_preemptions\":%d",
			x->found_steps, x->found_preemptions, x->shrunk_steps,
			x->shrunk_preemptions);
	if (x->interrupted)
		fprintf(f, ",\"interrupted\":\"%s\"", signal_name(x->interrupted));
	if (x->budget)
		fprintf(f, ",\"memory_budget\":%" PRIu64, x->max_memory);
	if (x->resumed) {
		fprintf(f, ",\"resumed\":{\"file\":");
		json_string(f, o->resume);
		fprintf(f, ",\"distinct\":%" PRIu64 ",\"seconds\":%.3f}",
			x->resumed_distinct, x->resumed_seconds);
	}
	if (x->ckpt_last) {
		fprintf(f, ",\"checkpoint\":{\"file\":");
		json_string(f, o->checkpoint);
		fprintf(f, ",\"written\":%s}",
			x->ckpt_last > 0 ? "true" : "false");
	}
	json_windows(f, x->windows, x->possible);
	if (x->cover)
		print_unreached(f, x->cover, true);
	fprintf(f, ",\"made_by\":");
	json_string(f, irqsim_version());
	fprintf(f, ",\"seconds\":%.3f}\n", x->seconds);
}

/*
 * A digest of every knob's value (profiles and --set applied), the
 * verdicts ignored or the one object judged (--only), and the search's
 * own settings.
 */
static uint64_t report_config(const struct session *ss,
			      const struct options *o)
{
	int64_t v[IRQSIM_MAX_KNOBS + 10];
	struct irqsim_fp fp;
	uint32_t fold;
	int n = 0;

	for (int k = 0; k < irqsim_knob_count(); k++)
		v[n++] = ss->knobs[k];
	/* scoped ignores fold into the upper half: none leave it 0 */
	fold = 0;
	for (int i = 0; i < ss->ignore.n; i++) {
		const struct irqsim_scope *sc = &ss->ignore.scoped[i];

		fold = fold * 1000003u + (uint32_t)sc->kind * 65537u +
		       (uint32_t)sc->obj.type * 4099u +
		       (uint32_t)sc->obj.index * 257u +
		       (uint32_t)(sc->obj.sub + 1);
	}
	v[n] = (int64_t)(ss->ignore.kinds | (uint64_t)fold << 32);
	n++;
	v[n++] = o->preemption_bound;
	v[n++] = (int64_t)o->max_states;
	v[n++] = o->no_por;
	/* only when set: the digests of runs without it stay what they were */
	if (o->transactions)
		v[n++] = 1 << 20;
	if (o->bitstate)
		v[n++] = 1 << 21;
	if (ss->ignore.only.type != CHECK_OBJ_NONE)
		v[n++] = (1 << 22) + ss->ignore.only.type * 65537 +
			 ss->ignore.only.index * 257 + ss->ignore.only.sub + 1;
	v[n++] = o->depth;
	v[n++] = ss->s.bound;
	irqsim_hash128(v, (size_t)n * sizeof(v[0]), &fp);
	return fp.a;
}

/*
 * A shard's report, read back by irqsim merge (cli/report.h: version 3
 * added options, depth and schedule, so merge prints a complete
 * reproducer).
 */
int write_report(const char *path, const struct session *ss,
		 const struct options *o,
		 const struct explore_outcome *x,
		 const struct irqsim_schedule *sc)
{
	char options[RUN_OPTIONS_MAX];
	struct outfile of;
	FILE *f = outfile_open(&of, path, false);

	if (!f)
		return -1;
	fprintf(f, "irqsim-report %d\n", REPORT_VERSION);
	fprintf(f, "trace %s\nsource %s\n", ss->s.name, ss->s.file);
	fprintf(f, "strategy %s\n", strategy_names[x->strategy]);
	fprintf(f, "config %016" PRIx64 "\n", report_config(ss, o));
	fprintf(f, "shard %u/%u\n", o->shard_index, o->shard_count);
	fprintf(f, "base %" PRIu64 "\nruns %" PRIu64 "\n", o->seed, x->runs);
	fprintf(f, "found %d\nindex %" PRIu64 "\n", x->found, x->index);
	fprintf(f, "verdict %s\n", check_kind_name(x->found ? x->verdict.kind : 0));
	fprintf(f, "runs-done %" PRIu64 "\nsteps %" PRIu64 "\n", x->runs_done,
		x->steps);
	fprintf(f, "states %" PRIu64 "\ndistinct %" PRIu64 "\ntransitions %" PRIu64 "\nmax-depth %u\n",
		x->st.states, x->st.distinct, x->st.transitions,
		x->st.max_depth);
	fprintf(f, "entries %zu\nentries-done %zu\ncomplete %d\n", x->entries,
		x->entries_done, x->st.complete);
	fprintf(f, "frontier-depth %u\nseconds %.3f\n", o->frontier_depth,
		x->seconds);
	if (o->save && x->found)
		fprintf(f, "saved %s\n", o->save);
	run_options_string(options, sizeof(options), &ss->s, &o->config,
			   &ss->ignore);
	fprintf(f, "options%s\ndepth %d\n", options, o->depth);
	for (int i = 0; i < 2; i++) {
		uint32_t mask = i ? x->possible : x->windows & x->possible;
		char buf[512];

		check_windows_format(mask, buf, sizeof(buf));
		fprintf(f, "windows-%s %s\n", i ? "possible" : "reached",
			buf[0] ? buf : "-");
	}
	if (x->found) {
		fputs("schedule ", f);
		schedule_print_words(&ss->s, sc, f);
		fputc('\n', f);
	}
	/* last: the lines before it keep their numbers */
	fprintf(f, "made-by %s\n", irqsim_version());
	return outfile_close(&of, false);
}
