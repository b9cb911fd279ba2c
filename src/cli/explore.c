// SPDX-License-Identifier: MIT
/*
 * irqsim explore: search the schedules of a trace with one strategy
 * (random, PCT, DFS, DPOR), say what each found, shrink a violation.
 */
#include "cli/internal.h"
#include "sched/alloc.h"
#include "sched/cover.h"
#include "sched/parallel.h"
#include "sched/alloc.h"
#include "sched/profile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The memory a search may hold: --max-memory, else 3/4 of the RAM. */
static uint64_t memory_budget(const struct options *o)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (o->max_memory)
		return o->max_memory;
	if (pages <= 0 || size <= 0)
		return 0;
	return (uint64_t)pages * (uint64_t)size / 4 * 3;
}

static void print_size(FILE *f, uint64_t bytes)
{
	if (bytes >= (1ULL << 30) && !(bytes & ((1ULL << 30) - 1)))
		fprintf(f, "%" PRIu64 " GiB", bytes >> 30);
	else
		fprintf(f, "%.0f MiB", (double)bytes / (1024.0 * 1024.0));
}

static bool progress_tty(void)
{
	return isatty(STDERR_FILENO);
}

static void sweep_progress(uint64_t done, uint64_t total, uint64_t steps,
			   double seconds, void *arg)
{
	double rate = seconds > 0 ? (double)done / seconds : 0;

	(void)arg;
	fprintf(stderr, "\r\033[Kexplore: %" PRIu64 "/%" PRIu64 " schedules, %.0f/s, %.1fM steps/s, about %.0f s left",
		done, total, rate, seconds > 0 ? (double)steps / seconds / 1e6 : 0,
		rate > 0 ? (double)(total - done) / rate : 0);
}

/* "14 s", "3 min", "2.5 h" */
static int format_duration(char *buf, size_t len, double s)
{
	if (s < 120)
		return snprintf(buf, len, "%.0f s", s);
	if (s < 7200)
		return snprintf(buf, len, "%.0f min", s / 60);
	return snprintf(buf, len, "%.1f h", s / 3600);
}

int progress_budgets(char *buf, size_t len, double seconds,
		     const struct progress_budget *b, int n)
{
	const char *first = NULL;
	double eta = -1;
	size_t at = 0;

	buf[0] = 0;
	for (int i = 0; i < n; i++) {
		double left;

		if (!b[i].name)
			continue;
		at += (size_t)snprintf(buf + at, at < len ? len - at : 0,
				       "%.0f%% of %s, ", 100 * b[i].share,
				       b[i].name);
		if (at >= len)
			return (int)at;
		/* the time to the budget, at the rate so far */
		if (!b[i].limit || !b[i].done || seconds <= 0)
			continue;
		left = b[i].done >= b[i].limit ? 0 :
			seconds * (double)(b[i].limit - b[i].done) /
				(double)b[i].done;
		if (eta < 0 || left < eta) {
			eta = left;
			first = b[i].name;
		}
	}
	if (!first)
		return (int)(at + (size_t)snprintf(buf + at, len - at,
						   "no ETA"));
	at += (size_t)snprintf(buf + at, len - at, "ETA ");
	if (at < len)
		at += (size_t)format_duration(buf + at, len - at, eta);
	if (at < len)
		at += (size_t)snprintf(buf + at, len - at, " (%s)", first);
	return (int)at;
}

/*
 * A progress line, rewritten in place on the terminal: no longer than
 * the terminal is wide, or a wrapped line would stay behind.
 */
static void progress_print(const char *line)
{
	struct winsize ws;
	int cols = 80;

	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 1)
		cols = ws.ws_col;
	fprintf(stderr, "\r\033[K%.*s", cols - 1, line);
}

/* What a dfs or dpor progress line is measured against (explore's). */
struct progress_ctx {
	uint64_t max_states;
	uint64_t max_bytes;	/* the budget in force, given or not */
	bool bytes_given;	/* --max-memory */
};

static const char *memory_budget_name(const struct progress_ctx *c)
{
	return c->bytes_given ? "--max-memory" : "the memory budget";
}

/*
 * The share of --max-states (distinct states) and of the memory budget
 * (the search's bytes), and the time until the first stops the search at
 * the rate of new distinct states so far: the memory budget is reached
 * when the visited set, unable to double, is 85% full, so its time is
 * counted in the distinct states at which that comes (budget_distinct).
 */
static void dfs_progress(const struct irqsim_dfs_stats *st, void *arg)
{
	const struct progress_ctx *c = arg;
	struct progress_budget b[2] = { { 0 }, { 0 } };
	char budgets[256], line[512];

	if (c->max_states)
		b[0] = (struct progress_budget){
			"--max-states",
			(double)st->distinct / (double)c->max_states,
			st->distinct, c->max_states };
	if (c->max_bytes)
		b[1] = (struct progress_budget){
			memory_budget_name(c),
			(double)st->peak_bytes / (double)c->max_bytes,
			st->distinct, st->budget_distinct };
	progress_budgets(budgets, sizeof(budgets), st->seconds, b, 2);
	snprintf(line, sizeof(line), "explore dfs: %s; %" PRIu64 " distinct, %" PRIu64 " states, %.0f states/s, depth %u",
		 budgets, st->distinct, st->states,
		 st->seconds > 0 ? (double)st->states / st->seconds : 0,
		 st->max_depth);
	progress_print(line);
}

static int explore_sweep(struct session *ss, const struct options *o,
			 long runs, struct irqsim_schedule *sc,
			 struct explore_outcome *out)
{
	struct irqsim_sweep_result r;
	struct irqsim_rt rt;
	struct irqsim_sweep sw = {
		.kind = o->strategy == STRATEGY_PCT ? IRQSIM_SWEEP_PCT :
						      IRQSIM_SWEEP_RANDOM,
		.base = o->seed,
		.runs = (uint64_t)runs,
		.jobs = o->jobs,
		.shard_index = o->shard_index,
		.shard_count = o->shard_count,
		.bound = ss->s.bound,
		.pct_depth = o->depth,
		.progress = progress_tty() ? sweep_progress : NULL,
		.stop = &interrupted,
	};

	session_rt(ss, &rt);
	if (sw.kind == IRQSIM_SWEEP_PCT)
		sw.pct_k = irqsim_estimate_steps(&scenario_model, &rt, ss->init,
						 ss->s.bound);
	if (sw.kind == IRQSIM_SWEEP_PCT && !sw.pct_k) {
		fprintf(stderr, "irqsim: out of memory\n");
		return -1;
	}
	if (irqsim_sweep_run(&scenario_model, &rt, ss->init, &sw, &r)) {
		fprintf(stderr, "irqsim: out of memory or threads\n");
		irqsim_schedule_free(&r.schedule);
		return -1;
	}
	if (sw.progress)
		fprintf(stderr, "\r\033[K");
	out->found = r.found;
	out->index = r.run;
	out->seed = o->seed + r.run;
	out->runs = (uint64_t)runs;
	out->runs_done = r.runs_done;
	out->steps = r.steps;
	out->seconds = r.seconds;
	out->pct_k = sw.pct_k;
	out->verdict = r.verdict;
	out->interrupted = r.stopped ? interrupted : 0;
	out->windows = r.windows;
	out->possible = rt.windows;
	irqsim_schedule_free(sc);
	*sc = r.schedule;
	return 0;
}

/* The MPI job of --distributed, once joined (finished in cmd_explore()). */
static struct irqsim_dist_comm dist_comm;
static bool dist_joined;

/*
 * --distributed: the states partitioned over the job's ranks
 * (sched/dist.h). A violation is searched again by rank 0 alone, as
 * --jobs does, so its verdict, counts and schedule are one search's.
 */
static int explore_distributed(struct session *ss, const struct options *o,
			       const struct irqsim_dfs_opts *dopts,
			       const struct irqsim_rt *rt,
			       struct irqsim_schedule *sc,
			       struct explore_outcome *out)
{
	struct irqsim_dist_opts dist = {
		.bound = dopts->bound,
		.max_states = dopts->max_states,
		.max_bytes = dopts->max_bytes,
		.stop = dopts->stop,
		.want_kind = dopts->want_kind,
	};
	struct ckpt_dist *k = NULL;
	int err;

	if (!irqsim_dist_backend) {
		fprintf(stderr, "irqsim: --distributed runs in irqsim-mpi, the build linked with Open MPI\n");
		return -2;
	}
	if (irqsim_dist_backend->open(&dist_comm)) {
		fprintf(stderr, "irqsim: --distributed: cannot join the MPI job\n");
		return -2;
	}
	dist_joined = true;
	out->distributed = true;
	out->rank = dist_comm.rank;
	if (o->checkpoint || o->resume) {
		uint64_t bad;

		k = ckpt_dist_setup(ss, o, dopts, &dist_comm, &dist, &err);
		/* every rank goes on, or none: said by the one that cannot */
		bad = err != 0;
		if (dist_comm.reduce(&dist_comm, &bad, 1, NULL, 0, NULL, 0) ||
		    bad) {
			/* rank 0 said what is wrong with the job's file */
			if (!err && dist_comm.rank == 0)
				fprintf(stderr, "irqsim: another rank cannot %s its part of the checkpoint\n",
					o->resume ? "read" : "write");
			ckpt_dist_free(k);
			return err == -12 ? -1 : -2;
		}
	}
	err = irqsim_dist_search(&scenario_model, rt, ss->init, &dist_comm,
				 &dist, &out->dist);
	if (err == -EINVAL && o->resume) {
		ckpt_dist_say(k);
		ckpt_dist_free(k);
		return -2;
	}
	ckpt_dist_free(k);
	out->st = out->dist.st;
	if (out->dist.partition_actor >= 0 &&
	    out->dist.partition_actor < ss->s.machine.nactors)
		snprintf(out->actor_name, sizeof(out->actor_name), "%s",
			 ss->s.machine.actor[out->dist.partition_actor].name);
	out->resumed = out->dist.resumed_gen != 0;
	out->resumed_distinct = out->dist.resumed_distinct;
	out->resumed_seconds = out->dist.resumed_seconds;
	out->ckpt_last = out->dist.ckpt_last;
	out->ckpt_distinct = out->dist.ckpt_distinct;
	if (!err && out->dist.found && dist_comm.rank == 0) {
		struct irqsim_dfs_opts one = *dopts;

		one.progress = NULL;
		err = irqsim_dfs(&scenario_model, rt, ss->init, &one, &out->st,
				 &out->verdict, sc);
		out->found = out->verdict.kind != 0;
		out->st.seconds += out->dist.st.seconds;
	}
	out->seconds = out->st.seconds;
	out->interrupted = out->st.stopped ? interrupted : 0;
	out->budget = out->st.budget;
	out->windows = out->st.windows;
	out->possible = rt->windows;
	if (err == -ECANCELED) {
		fprintf(stderr, "irqsim: rank %d: another rank failed (out of memory): the search stopped\n",
			dist_comm.rank);
		return -1;
	}
	if (err == -EPROTO) {
		fprintf(stderr, "irqsim: rank %d: a state another rank sent does not decode (ranks running different builds or traces?)\n",
			dist_comm.rank);
		return -1;
	}
	if (err) {
		fprintf(stderr, "irqsim: rank %d: out of memory after %" PRIu64 " distinct states\n",
			dist_comm.rank, out->st.distinct);
		return -1;
	}
	return 0;
}

static int explore_dfs(struct session *ss, const struct options *o,
		       struct irqsim_schedule *sc, struct explore_outcome *out)
{
	struct progress_ctx pc = { o->max_states, out->max_memory,
				   o->max_memory != 0 };
	struct irqsim_dfs_opts dopts = {
		.bound = ss->s.bound,
		.preemption_bound = o->preemption_bound,
		.sleep_sets = !o->no_por,	/* not under a preemption bound */
		.transactions = o->transactions,
		/* the bit array: the budget, or 256 MiB; less room for the
		 * search's stack of worlds */
		.bitstate_bytes = !o->bitstate ? 0 :
				  o->max_memory ? (size_t)o->max_memory / 8 * 7 :
						  (size_t)256 << 20,
		.max_states = o->max_states,
		.max_bytes = (size_t)out->max_memory,
		.stop = &interrupted,
		.progress = progress_tty() ? dfs_progress : NULL,
		.progress_arg = &pc,
	};
	struct irqsim_rt rt;
	int err;

	session_rt(ss, &rt);
	if (o->bitstate && (o->jobs > 1 || o->shard_count > 1 ||
			    o->preemption_bound >= 0 || o->transactions)) {
		fprintf(stderr, "irqsim: --bitstate: one search without --jobs, --shard, --preemption-bound or --transactions (they need what a visited set stores)\n");
		return -2;
	}
	if (o->transactions && (o->jobs > 1 || o->shard_count > 1)) {
		fprintf(stderr, "irqsim: --transactions: one search, not --jobs or --shard (yet): its locksets are the whole search's\n");
		return -2;
	}
	if (o->distributed) {
		if (o->jobs > 1 || o->shard_count > 1 || o->bitstate ||
		    o->transactions || o->preemption_bound >= 0 ||
		    o->state_profile) {
			fprintf(stderr, "irqsim: --distributed: a plain search over the job's ranks, without --jobs, --shard, --bitstate, --transactions, --preemption-bound or --state-profile\n");
			return -2;
		}
		return explore_distributed(ss, o, &dopts, &rt, sc, out);
	}
	if (o->state_profile) {
		out->sprof = irqsim_sprof_new(&scenario_model, &rt);
		if (!out->sprof) {
			fprintf(stderr, "irqsim: out of memory\n");
			return -1;
		}
		dopts.visit = irqsim_sprof_visit;
		dopts.visit_arg = out->sprof;
	}
	if (o->jobs > 1 || o->shard_count > 1) {
		struct irqsim_pdfs p = {
			.opts = dopts,
			.frontier_depth = o->frontier_depth,
			.jobs = o->jobs,
			.shard_index = o->shard_index,
			.shard_count = o->shard_count,
		};
		struct irqsim_pdfs_result r;

		p.opts.progress = NULL;
		err = irqsim_pdfs_run(&scenario_model, &rt, ss->init, &p, &r);
		out->st = r.st;
		out->frontier = true;
		out->entries = r.entries;
		out->entries_done = r.entries_done;
		out->found = r.found;
		out->index = r.entry;
		out->verdict = r.verdict;
		irqsim_schedule_free(sc);
		*sc = r.schedule;
		if (!err && r.again) {
			/*
			 * The workers met a violation; report the one a single
			 * search meets first, as --jobs 1 does.
			 */
			double seconds = r.st.seconds;

			irqsim_schedule_init(sc);
			err = irqsim_dfs(&scenario_model, &rt, ss->init, &dopts,
					 &out->st, &out->verdict, sc);
			out->found = out->verdict.kind != 0;
			out->frontier = false;
			out->st.seconds += seconds;
			if (dopts.progress)
				fprintf(stderr, "\r\033[K");
		}
	} else if (o->checkpoint || o->resume) {
		err = ckpt_explore_dfs(ss, o, &rt, &dopts, sc, out);
		if (dopts.progress)
			fprintf(stderr, "\r\033[K");
		if (err == -2)
			return -2;
		out->found = out->verdict.kind != 0;
	} else {
		err = irqsim_dfs(&scenario_model, &rt, ss->init, &dopts,
				 &out->st, &out->verdict, sc);
		out->found = out->verdict.kind != 0;
		if (dopts.progress)
			fprintf(stderr, "\r\033[K");
	}
	out->seconds = out->st.seconds;
	out->interrupted = out->st.stopped ? interrupted : 0;
	out->budget = out->st.budget;
	out->windows = out->st.windows;
	out->possible = rt.windows;
	if (err == -95) {
		fprintf(stderr, "irqsim: --transactions needs the instrumented build (irqsim-fp)\n");
		return -1;
	}
	if (err) {
		fprintf(stderr, "irqsim: out of memory after %" PRIu64 " states\n",
			out->st.distinct);
		return -1;
	}
	return 0;
}

/*
 * --near-schedule needs the trace's fixed schedule, and one worker: its
 * strategy is dfs unless --strategy says random or pct.
 */
static int near_check(struct session *ss, const struct options *o)
{
	if (!ss->s.has_schedule) {
		fprintf(stderr, "irqsim: --near-schedule: %s has no schedule line to search near (irqsim import makes a trace with one)\n",
			ss->s.file);
		return EXIT_USAGE;
	}
	if (o->strategy == STRATEGY_DPOR)
		return usage("%s", "--near-schedule searches with dfs, random or pct, not dpor");
	if (o->jobs > 1 || o->shard_count > 1)
		return usage("%s", "--near-schedule runs on one worker (no --jobs or --shard)");
	if (o->state_profile || o->bitstate || o->transactions)
		return usage("%s", "--near-schedule: a plain dfs from each prefix (no --state-profile, --bitstate or --transactions)");
	return 0;
}

/* The world after the first @p transitions of @sc; -1 if one is not enabled. */
static int world_after(struct session *ss, const struct irqsim_rt *rt,
		       const struct irqsim_schedule *sc, size_t p,
		       struct vmm_world *w)
{
	uint16_t en[IRQSIM_MAX_ENABLED];

	memcpy(w, ss->init, sizeof(*w));
	for (size_t i = 0; i < p; i++) {
		int n = scenario_model.enabled(w, rt, en), k;

		for (k = 0; k < n && en[k] != sc->t[i]; k++)
			;
		if (k == n)
			return -1;
		irqsim_fire(&scenario_model, rt, w, sc->t[i]);
	}
	return 0;
}

/* The found schedule is the prefix's, then the search's own. */
static int prepend(struct irqsim_schedule *sc,
		   const struct irqsim_schedule *pre, size_t p)
{
	struct irqsim_schedule all;

	irqsim_schedule_init(&all);
	for (size_t i = 0; i < p; i++)
		if (irqsim_schedule_push(&all, pre->t[i]))
			goto oom;
	for (size_t i = 0; i < sc->n; i++)
		if (irqsim_schedule_push(&all, sc->t[i]))
			goto oom;
	irqsim_schedule_free(sc);
	*sc = all;
	return 0;
oom:
	irqsim_schedule_free(&all);
	return -1;
}

/*
 * --near-schedule: the neighbours of the trace's fixed schedule first.
 * From the state after each of its prefixes, longest first, a dfs with
 * a preemption bound (2 unless given) or a share of the random or PCT
 * runs; the first violation ends it, with the prefix before its
 * schedule. A loss the log nearly shows (an import's schedule) is then
 * found a few preemptions away, before the search goes far from it.
 */
static int explore_near(struct session *ss, const struct options *o,
			long runs, struct irqsim_schedule *sc,
			struct explore_outcome *out)
{
	const struct irqsim_schedule *fixed = &ss->s.schedule;
	struct progress_ctx pc = { o->max_states, out->max_memory,
				   o->max_memory != 0 };
	struct irqsim_dfs_opts dopts = {
		.bound = ss->s.bound,
		.preemption_bound = o->preemption_bound,
		.max_states = o->max_states,
		.max_bytes = (size_t)out->max_memory,
		.stop = &interrupted,
		.progress = progress_tty() ? dfs_progress : NULL,
		.progress_arg = &pc,
	};
	struct vmm_world *w = irqsim_malloc(sizeof(*w));
	struct irqsim_dfs *d = NULL;
	struct irqsim_rt rt;
	long share = 0;
	int ret = 0;

	session_rt(ss, &rt);
	out->near_total = fixed->n;
	if (!w)
		goto oom;
	if (o->strategy == STRATEGY_DFS) {
		d = irqsim_dfs_new(&scenario_model, &rt, &dopts);
		if (!d)
			goto oom;
	} else {
		share = runs / (long)(fixed->n + 1);
		if (share < 1)
			share = 1;
		out->runs = (uint64_t)share * (fixed->n + 1);
	}
	for (size_t p = fixed->n + 1; p-- > 0;) {
		if (world_after(ss, &rt, fixed, p, w))
			continue;
		out->near_prefixes++;
		out->near_prefix = p;
		if (d) {
			struct irqsim_schedule pre = { .t = fixed->t, .n = p };

			/* the search reports prefix + its own transitions */
			if (irqsim_dfs_search(d, w, &pre, &out->st,
					      &out->verdict, sc))
				goto oom;
			out->found = out->verdict.kind != 0;
			if (out->found || out->st.stopped || out->st.budget)
				break;
			continue;
		}
		{
			struct irqsim_sweep sw = {
				.kind = o->strategy == STRATEGY_PCT ?
						IRQSIM_SWEEP_PCT :
						IRQSIM_SWEEP_RANDOM,
				.base = o->seed,
				.runs = (uint64_t)share,
				.jobs = 1,
				.shard_count = 1,
				.bound = ss->s.bound,
				.pct_depth = o->depth,
				.stop = &interrupted,
			};
			struct irqsim_sweep_result r;

			if (sw.kind == IRQSIM_SWEEP_PCT) {
				sw.pct_k = irqsim_estimate_steps(
					&scenario_model, &rt, w, ss->s.bound);
				if (!sw.pct_k)
					goto oom;
			}
			if (irqsim_sweep_run(&scenario_model, &rt, w, &sw,
					     &r)) {
				irqsim_schedule_free(&r.schedule);
				goto oom;
			}
			out->index = out->runs_done + r.run;
			out->runs_done += r.runs_done;
			out->steps += r.steps;
			out->seconds += r.seconds;
			out->windows |= r.windows;
			out->pct_k = sw.pct_k;
			if (r.found) {
				out->found = true;
				out->verdict = r.verdict;
				out->seed = o->seed + r.run;
				irqsim_schedule_free(sc);
				*sc = r.schedule;
				if (prepend(sc, fixed, p))
					goto oom;
				break;
			}
			irqsim_schedule_free(&r.schedule);
			if (r.stopped) {
				out->interrupted = interrupted;
				break;
			}
		}
	}
	if (dopts.progress && d)
		fprintf(stderr, "\r\033[K");
	if (d) {
		out->seconds = out->st.seconds;
		out->interrupted = out->st.stopped ? interrupted : 0;
		out->budget = out->st.budget;
		out->windows = out->st.windows;
	}
	out->possible = rt.windows;
	goto out;
oom:
	fprintf(stderr, "irqsim: out of memory\n");
	ret = -1;
out:
	irqsim_dfs_free(d);
	free(w);
	return ret;
}

/*
 * dpor's budgets: --max-states counts the states it enters, and its
 * memory grows with them (no table to double), so both give a time.
 */
static void dpor_progress(const struct irqsim_dpor_stats *st, void *arg)
{
	const struct progress_ctx *c = arg;
	struct progress_budget b[2] = { { 0 }, { 0 } };
	char budgets[256], line[512];

	if (c->max_states)
		b[0] = (struct progress_budget){
			"--max-states",
			(double)st->states / (double)c->max_states,
			st->states, c->max_states };
	if (c->max_bytes)
		b[1] = (struct progress_budget){
			memory_budget_name(c),
			(double)st->peak_bytes / (double)c->max_bytes,
			st->peak_bytes, c->max_bytes };
	progress_budgets(budgets, sizeof(budgets), st->seconds, b, 2);
	snprintf(line, sizeof(line), "explore dpor: %s; %" PRIu64 " states, %" PRIu64 " schedules, %.0f states/s, depth %u",
		 budgets, st->states, st->executions,
		 st->seconds > 0 ? (double)st->states / st->seconds : 0,
		 st->max_depth);
	progress_print(line);
}

static int explore_dpor(struct session *ss, const struct options *o,
			struct irqsim_schedule *sc, struct explore_outcome *out)
{
	struct progress_ctx pc = { o->max_states, out->max_memory,
				   o->max_memory != 0 };
	struct irqsim_dpor_opts dopts = {
		.bound = ss->s.bound,
		.max_states = o->max_states,
		.max_bytes = (size_t)out->max_memory,
		.stop = &interrupted,
		.progress = progress_tty() ? dpor_progress : NULL,
		.progress_arg = &pc,
	};
	struct irqsim_rt rt;
	int err;

	session_rt(ss, &rt);
	err = irqsim_dpor(&scenario_model, &rt, ss->init, &dopts, &out->dst,
			  &out->verdict, sc);
	if (dopts.progress)
		fprintf(stderr, "\r\033[K");
	out->found = out->verdict.kind != 0;
	out->seconds = out->dst.seconds;
	out->st.complete = out->dst.complete;
	out->interrupted = out->dst.stopped ? interrupted : 0;
	out->budget = out->dst.budget;
	out->windows = out->dst.windows;
	out->possible = rt.windows;
	if (err == -95) {
		fprintf(stderr, "irqsim: --strategy dpor needs the instrumented build (irqsim-fp)\n");
		return -1;
	}
	if (err == -71) {
		fprintf(stderr, "irqsim: dpor: the model's invariant read world byte %zu, outside the bytes it declares (check_invariant_bytes): a bug in irqsim; the reduction would not be sound\n",
			out->dst.stray_read);
		return -1;
	}
	if (err) {
		fprintf(stderr, "irqsim: dpor: %s after %" PRIu64 " states\n",
			err == -7 ? "more than 64 transition sources" :
			err == -22 ? "the model splits check_step() only in part" :
				     "out of memory",
			out->dst.states);
		return -1;
	}
	return 0;
}

/*
 * Why an exhaustive search stopped before its end, if something other
 * than its bounds stopped it: a violation, a signal, the memory budget.
 */
static bool print_stopped(FILE *f, const struct explore_outcome *x)
{
	if (x->found) {
		fprintf(f, " (stopped at a violation)");
	} else if (x->interrupted) {
		fprintf(f, " (interrupted by %s: the states searched so far)",
			signal_name(x->interrupted));
	} else if (x->budget) {
		fprintf(f, " (stopped at the memory budget of ");
		print_size(f, x->max_memory);
		fprintf(f, ")");
	} else {
		return false;
	}
	return true;
}

static void print_dpor_line(FILE *f, const struct explore_outcome *x)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, "dpor %s: %" PRIu64 " states (%" PRIu64 " distinct, %" PRIu64 " met again), %" PRIu64 " schedules, %" PRIu64 " transitions (%" PRIu64 " more to record footprints), %" PRIu64 " races, max depth %u, %.3f s, %.0f states/s, search memory %.1f MiB, peak RSS %.1f MiB",
		x->dst.complete ? "complete" : "bounded", x->dst.states,
		x->dst.distinct, x->dst.revisits,
		x->dst.executions, x->dst.transitions, x->dst.probes,
		x->dst.races, x->dst.max_depth, x->seconds,
		x->seconds > 0 ? (double)x->dst.states / x->seconds : 0,
		(double)x->dst.peak_bytes / (1024.0 * 1024.0),
		(double)ru.ru_maxrss / 1024.0);
	if (!print_stopped(f, x) && !x->dst.complete)
		fprintf(f, " (cut by the step bound or the state limit)");
	fputc('\n', f);
}

/* "complete: ..." or "bounded: ...": the one line a dfs ends with. */
static void print_dfs_line(FILE *f, const struct explore_outcome *x,
			   const struct options *o)
{
	if (o->shard_count > 1)
		fprintf(f, "shard %u/%u: ", o->shard_index, o->shard_count);
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, "%s %s: %" PRIu64 " states, %" PRIu64 " distinct, %" PRIu64 " transitions, max depth %u, %.3f s, %.0f states/s, search memory %.1f MiB, peak RSS %.1f MiB",
		x->st.bitstate_bits ? "bitstate" : "dfs",
		x->st.complete ? "complete" : "bounded", x->st.states,
		x->st.distinct, x->st.transitions, x->st.max_depth, x->seconds,
		x->seconds > 0 ? (double)x->st.states / x->seconds : 0,
		(double)x->st.peak_bytes / (1024.0 * 1024.0),
		(double)ru.ru_maxrss / 1024.0);
	if (x->st.bitstate_bits)
		fprintf(f, ", %.1f MiB of bits (%d per state), hash factor %.0f, about %.0f states missed",
			(double)x->st.bitstate_bits / (8.0 * 1024 * 1024),
			IRQSIM_BITSTATE_K,
			x->st.distinct ? (double)x->st.bitstate_bits /
						 (double)x->st.distinct : 0,
			irqsim_bitstate_missed(x->st.distinct,
					       x->st.bitstate_bits));
	else if (o->transactions && o->preemption_bound < 0)
		fprintf(f, ", transactions (%" PRIu64 " states took one step alone, %zu bytes shared without a lock, %u restarts)",
			x->st.tx_forced, x->st.tx_unprotected,
			x->st.tx_restarts);
	else if (x->distributed && !x->dist.found)
		fprintf(f, ", no reduction (sleep sets are off in a distributed search), %d ranks%s%s%s: %" PRIu64 " to %" PRIu64 " distinct states a rank, %" PRIu64 " states sent (%.1f MiB), %" PRIu64 " supersteps, search memory of all ranks %.1f MiB",
			x->dist.ranks,
			x->dist.partition_actor >= 0 ? " by " : "",
			x->dist.partition_actor >= 0 ?
				x->actor_name :
				"",
			x->dist.partition_actor >= 0 ? "'s state" : "",
			x->dist.rank_distinct_min,
			x->dist.rank_distinct_max, x->dist.sent,
			(double)x->dist.sent_bytes / (1024.0 * 1024.0),
			x->dist.supersteps,
			(double)x->dist.peak_bytes_sum / (1024.0 * 1024.0));
	else if (o->no_por)
		fprintf(f, ", no reduction");
	else if (o->jobs > 1 && x->frontier)
		fprintf(f, ", no reduction (sleep sets are off where --jobs workers share one visited set)");
	else if (o->preemption_bound >= 0)
		fprintf(f, ", no reduction (sleep sets would skip schedules within a preemption bound)");
	else
		fprintf(f, ", sleep sets (%" PRIu64 " transitions slept, %" PRIu64 " fired to test independence)",
			x->st.pruned_sleep, x->st.commute_tests);
	if (o->preemption_bound >= 0)
		fprintf(f, ", preemption bound %d", o->preemption_bound);
	if (x->frontier)
		fprintf(f, ", frontier depth %u: %zu of %zu entries searched",
			o->frontier_depth, x->entries_done, x->entries);
	if (!print_stopped(f, x) && !x->st.complete) {
		if (x->st.pb_complete)
			fprintf(f, " (cut by the preemption bound only: every schedule with at most %d covered)",
				o->preemption_bound);
		else
			fprintf(f, " (cut by the step bound%s%s%s)",
				o->max_states ? ", the state limit" : "",
				o->preemption_bound >= 0 ?
					" or the preemption bound" :
					"",
				o->preemption_bound >= 0 && x->frontier ?
					"; split at the frontier, so no claim about the preemption bound" :
					"");
	}
	if (o->shard_count > 1)
		fprintf(f, "; this shard's part only: irqsim merge the reports");
	if (x->distributed && x->dist.found)
		fprintf(f, "; searched again in one process after %d ranks met a violation in %" PRIu64 " distinct states (%.3f s)",
			x->dist.ranks, x->dist.st.distinct,
			x->dist.st.seconds);
	fputc('\n', f);
}

/* Save the run as found and, next to it, the shrunk one. */
static int save_both(struct session *ss, const struct options *o,
		     const struct explore_outcome *x,
		     const struct irqsim_schedule *found,
		     const struct irqsim_schedule *shrunk,
		     struct irqsim_run_result *res)
{
	char path[4096];

	if (save_run(ss, o->save, x->seed,
		     x->strategy == STRATEGY_RANDOM && !o->near_schedule, found,
		     res))
		return -1;
	if (!x->shrunk)
		return 0;
	snprintf(path, sizeof(path), "%s.shrunk", o->save);
	return save_run(ss, path, 0, false, shrunk, res);
}

/* Options this strategy does not use: said, not silently dropped. */
static void warn_unused(const struct options *o)
{
	const char *st = strategy_names[o->strategy];
	bool sweep = o->strategy == STRATEGY_RANDOM || o->strategy == STRATEGY_PCT;

#define UNUSED(cond, opt, what)						\
	do {								\
		if (cond)						\
			fprintf(stderr, "irqsim: warning: %s applies to %s, not --strategy %s: ignored\n", \
				opt, what, st);				\
	} while (0)
	UNUSED(sweep && o->max_states, "--max-states", "dfs and dpor");
	UNUSED(sweep && o->max_memory, "--max-memory", "dfs and dpor");
	UNUSED(!sweep && o->runs > 0, "--runs", "random and pct");
	UNUSED(!sweep && o->seed_given, "--seed", "random and pct");
	UNUSED(o->strategy != STRATEGY_PCT && o->depth_given, "--depth", "pct");
	UNUSED(o->strategy != STRATEGY_DFS && o->preemption_bound >= 0,
	       "--preemption-bound", "dfs");
	UNUSED(o->strategy != STRATEGY_DFS && o->no_por, "--no-por", "dfs");
	UNUSED(o->strategy != STRATEGY_DFS && o->transactions, "--transactions",
	       "dfs");
	UNUSED(o->strategy != STRATEGY_DFS && o->bitstate, "--bitstate", "dfs");
	if (o->strategy == STRATEGY_DFS && o->transactions &&
	    o->preemption_bound >= 0)
		fprintf(stderr, "irqsim: warning: --transactions applies to a search without --preemption-bound: ignored\n");
	UNUSED(o->strategy != STRATEGY_DFS && o->frontier_given,
	       "--frontier-depth", "dfs");
#undef UNUSED
	if (o->strategy == STRATEGY_DFS && o->frontier_given && o->jobs == 1 &&
	    o->shard_count == 1)
		fprintf(stderr, "irqsim: warning: --frontier-depth applies to a split search (--jobs, --shard): ignored\n");
}

/*
 * --unreached: mark the program points the search passes (the twin's
 * points mark; main() ran the twin in the plain tool's place).
 */
static int start_cover(struct explore_outcome *x)
{
	int err;

	x->cover = irqsim_calloc(1, sizeof(*x->cover));
	if (!x->cover) {
		fprintf(stderr, "irqsim: out of memory\n");
		return EXIT_USAGE;
	}
	err = irqsim_cover_start();
	if (err == -95) {
		fprintf(stderr, "irqsim: --unreached needs the instrumented build (irqsim-fp)\n");
		return EXIT_USAGE;
	}
	if (err) {
		fprintf(stderr, "irqsim: out of memory\n");
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_explore(int argc, char **argv)
{
	struct irqsim_schedule sc, shrunk;
	struct irqsim_run_result res;
	struct explore_outcome x = { 0 };
	struct session ss;
	struct options o;
	struct irqsim_rt rt;
	struct outfile pof;
	FILE *pf = NULL;
	uint32_t found_steps = 0;
	long runs;
	int ret = parse_options(argc, argv, CMD_EXPLORE, &o, NULL);

	if (ret)
		return ret;
	/* --near-schedule: dfs unless --strategy says otherwise */
	if (o.near_schedule && !o.strategy_given)
		o.strategy = STRATEGY_DFS;
	/* so do checkpoints, which only dfs takes */
	if ((o.checkpoint || o.resume) && !o.strategy_given)
		o.strategy = STRATEGY_DFS;
	if ((ret = ckpt_check(&o)))
		return ret;
	warn_unused(&o);
	if (o.state_profile && (o.strategy != STRATEGY_DFS || o.jobs > 1 ||
				o.shard_count > 1))
		return usage("%s", "--state-profile profiles --strategy dfs on one worker (no --jobs or --shard)");
	/*
	 * The trace's setup (every schedule's common start) and the search;
	 * not the replays and the shrinking after it.
	 */
	if (o.unreached && (ret = start_cover(&x))) {
		free(x.cover);
		return ret;
	}
	if ((ret = load_trace(&ss, o.target, &o.config)))
		goto out_session;
	if ((ret = session_ignore(&ss, o.ignore, o.only)))
		goto out_session;
	runs = o.runs > 0 ? o.runs : ss.s.runs;
	x.strategy = o.strategy;
	if (o.distributed && (o.strategy != STRATEGY_DFS || o.near_schedule ||
			      o.unreached)) {
		ret = usage("%s", "--distributed searches with --strategy dfs (no --near-schedule or --unreached)");
		goto out_session;
	}
	if (o.strategy == STRATEGY_DPOR && (o.jobs > 1 || o.shard_count > 1)) {
		ret = usage("%s", "--strategy dpor runs on one worker (no --jobs or --shard)");
		goto out_session;
	}
	irqsim_schedule_init(&sc);
	irqsim_schedule_init(&shrunk);
	/* before the search: a profile that cannot be written is said now */
	if (o.state_profile && strcmp(o.state_profile, "-")) {
		pf = outfile_open(&pof, o.state_profile, false);
		if (!pf) {
			ret = EXIT_USAGE;
			goto out;
		}
	}
	x.max_memory = memory_budget(&o);
	catch_interrupts();
	if (o.near_schedule) {
		/* dfs near the schedule: within 2 preemptions unless told */
		if (o.strategy == STRATEGY_DFS && o.preemption_bound < 0)
			o.preemption_bound = 2;
		ret = near_check(&ss, &o);
		if (ret) {
			irqsim_cover_stop();
			goto out;
		}
		x.strategy = o.strategy;
		ret = explore_near(&ss, &o, runs, &sc, &x);
	} else if (o.strategy == STRATEGY_DFS) {
		ret = explore_dfs(&ss, &o, &sc, &x);
	} else if (o.strategy == STRATEGY_DPOR) {
		ret = explore_dpor(&ss, &o, &sc, &x);
	} else {
		ret = explore_sweep(&ss, &o, runs, &sc, &x);
	}
	irqsim_cover_stop();
	if (ret) {
		ret = EXIT_USAGE;
		goto out;
	}
	/* rank 0 reports for the job; the others return its exit status */
	if (x.distributed && x.rank != 0) {
		ret = EXIT_NONE;
		goto out;
	}
	if (x.cover && irqsim_cover_report(x.cover))
		goto oom;
	session_rt(&ss, &rt);
	if (x.found) {
		/* the run as found, replayed for the verdict and the summary */
		struct irqsim_chooser ch;

		replay_chooser(&ch, &sc, false);
		session_run(&ss, &ch, NULL, NULL, &res);
		found_steps = res.steps;
		x.found_steps = sc.n;
		x.found_preemptions = irqsim_count_preemptions(
			&scenario_model, &rt, ss.init, &sc);
		if (x.found_preemptions < 0)
			goto oom;
		/* interrupted: the user wants the answer now, not shrunk */
		if (!o.no_shrink && !x.interrupted) {
			int rc;

			if (irqsim_schedule_copy(&shrunk, &sc))
				goto oom;
			rc = irqsim_shrink(&scenario_model, &rt, ss.init,
					   ss.s.bound, res.verdict.kind,
					   &shrunk, 200000, &interrupted);
			if (rc < 0)
				goto oom;
			/* a signal while shrinking: as far as it got */
			if (rc > 0) {
				x.interrupted = interrupted;
				x.shrink_cut = true;
			}
			x.shrunk = true;
			x.shrunk_steps = shrunk.n;
			x.shrunk_preemptions = irqsim_count_preemptions(
				&scenario_model, &rt, ss.init, &shrunk);
			if (x.shrunk_preemptions < 0)
				goto oom;
		}
	}
	if (o.report && write_report(o.report, &ss, &o, &x, &sc)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (o.json) {
		if (o.save && x.found && save_both(&ss, &o, &x, &sc, &shrunk, &res))
			ret = EXIT_USAGE;
		else if (x.ckpt_last < 0)
			ret = EXIT_USAGE;	/* said why */
		else
			ret = x.found ? EXIT_VIOLATION : EXIT_NONE;
		print_json(stdout, &ss, &o, &x);
		goto out;
	}
	if (x.resumed)
		printf("explore: resumed from %s: %" PRIu64 " distinct states, %.3f s searched before\n",
		       o.resume, x.resumed_distinct, x.resumed_seconds);
	if (x.interrupted && !x.found)
		printf("explore: interrupted by %s\n", signal_name(x.interrupted));
	if (o.near_schedule && x.found)
		printf("near the fixed schedule (%zu transitions): from %zu of its prefixes, longest first, a violation from its first %zu transitions\n",
		       x.near_total, x.near_prefixes, x.near_prefix);
	else if (o.near_schedule)
		printf("near the fixed schedule (%zu transitions): from %zu of its prefixes, longest first, no violation\n",
		       x.near_total, x.near_prefixes);
	if (o.strategy == STRATEGY_DFS)
		print_dfs_line(stdout, &x, &o);
	if (o.strategy == STRATEGY_DPOR)
		print_dpor_line(stdout, &x);
	if (!x.found) {
		if (o.strategy != STRATEGY_DFS && o.strategy != STRATEGY_DPOR &&
		    x.interrupted) {
			printf("%s: no violation in %" PRIu64 " of %" PRIu64 " %s schedules%s",
			       ss.s.name, x.runs_done, x.runs,
			       strategy_names[o.strategy],
			       o.shard_count > 1 ? " of this shard" : "");
			if (o.jobs == 1 && o.shard_count == 1 && x.runs_done)
				printf(", seeds %" PRIu64 "..%" PRIu64,
				       o.seed, o.seed + x.runs_done - 1);
			else if (x.runs_done)
				printf(" (%d workers: not a contiguous range of seeds)",
				       o.jobs);
			printf(" (interrupted: not a proof)\n");
		} else if (x.interrupted || x.budget) {
			printf("%s: no violation found (%s", ss.s.name,
			       x.interrupted ? "interrupted" :
					       "stopped at the memory budget of ");
			if (!x.interrupted)
				print_size(stdout, x.max_memory);
			printf(" after %" PRIu64 " distinct states: not a proof)\n",
			       o.strategy == STRATEGY_DPOR ? x.dst.distinct :
							     x.st.distinct);
		} else if (o.strategy != STRATEGY_DFS && o.strategy != STRATEGY_DPOR)
			printf("%s: no violation in %" PRIu64 " %s schedules%s (%s search: not a proof)\n",
			       ss.s.name, x.runs_done, strategy_names[o.strategy],
			       o.shard_count > 1 ? " of this shard" : "",
			       strategy_names[o.strategy]);
		else if (x.st.complete && x.st.bitstate_bits)
			printf("%s: no violation in the states a bitstate search reached, up to %u steps (about %.0f of %" PRIu64 " states missed: not a proof)\n",
			       ss.s.name, ss.s.bound,
			       irqsim_bitstate_missed(x.st.distinct,
						      x.st.bitstate_bits),
			       x.st.distinct);
		else if (x.st.complete && o.shard_count > 1)
			printf("%s: no violation in this shard's part\n",
			       ss.s.name);
		else if (x.st.complete)
			printf("%s: no violation in any schedule up to %u steps\n",
			       ss.s.name, ss.s.bound);
		else if (x.st.pb_complete)
			printf("%s: no violation in any schedule with at most %d preemption%s, up to %u steps (a preemption-bounded proof)\n",
			       ss.s.name, o.preemption_bound,
			       o.preemption_bound == 1 ? "" : "s", ss.s.bound);
		else
			printf("%s: no violation found (bounded search: not a proof)\n",
			       ss.s.name);
		print_windows(stdout, "  ", x.windows, x.possible);
		ckpt_summary(stdout, &ss, &o, &x);
		ret = x.ckpt_last < 0 ? EXIT_USAGE : EXIT_NONE;
		goto out;
	}
	if (x.interrupted && x.shrink_cut)
		printf("explore: interrupted by %s while shrinking: the shrunk run is shrunk only in part\n",
		       signal_name(x.interrupted));
	else if (x.interrupted)
		printf("explore: interrupted by %s after a violation was found: not shrunk%s\n",
		       signal_name(x.interrupted),
		       o.jobs > 1 ? ", maybe not the lowest" : "");
	if (o.strategy == STRATEGY_DFS || o.strategy == STRATEGY_DPOR)
		printf("explore: violation (%s%s)\n", strategy_names[o.strategy],
		       x.frontier ? ", lowest frontier entry" : "");
	else
		printf("explore: violation in run %" PRIu64 " of %" PRIu64 " (%s, base seed %" PRIu64 ", seed %" PRIu64 ")\n",
		       x.index + 1, x.runs, strategy_names[o.strategy], o.seed,
		       x.seed);
	if (x.strategy == STRATEGY_PCT)
		printf("  pct: depth %d, k %u\n", o.depth, x.pct_k);
	if (x.shrunk)
		printf("  shrunk: %d preemptions, %zu steps (found: %d preemptions, %zu steps)%s%s%s\n",
		       x.shrunk_preemptions, x.shrunk_steps,
		       x.found_preemptions, x.found_steps,
		       o.save ? "; saved as " : "", o.save ? o.save : "",
		       o.save ? ".shrunk" : "");
	if (o.save && save_both(&ss, &o, &x, &sc, &shrunk, &res)) {
		ret = EXIT_USAGE;
		goto out;
	}
	{
		const struct irqsim_schedule *shown = x.shrunk ? &shrunk : &sc;

		if (o.render >= 0) {
			/* to -o OUT when given, as run and replay do */
			struct outfile of;
			FILE *rf = render_open(&o, &of);

			if (!rf) {
				ret = EXIT_USAGE;
				goto out;
			}
			if (render_schedule(&ss, shown, &o, rf,
					    render_where(&o), &res)) {
				render_close(rf, &of, true);
				ret = EXIT_USAGE;
				goto out;
			}
			if (render_close(rf, &of, false)) {
				ret = EXIT_USAGE;
				goto out;
			}
		} else {
			struct irqsim_chooser ch;

			replay_chooser(&ch, shown, false);
			session_run(&ss, &ch, NULL, NULL, &res);
		}
		/* near the schedule: a seed alone would not give the prefix */
		struct repro found = {
			.kind = o.near_schedule ? REPRO_SCHEDULE :
				o.strategy == STRATEGY_RANDOM ? REPRO_SEED :
				o.strategy == STRATEGY_PCT ? REPRO_PCT :
							     REPRO_SCHEDULE,
			.seed = x.seed, .depth = o.depth, .sc = &sc,
		};
		struct repro small = { .kind = REPRO_SCHEDULE, .sc = &shrunk };

		print_verdict(stdout, &ss, &res);
		/* the summary is the shrunk run: each run gets its command */
		if (x.shrunk)
			printf("  (the shrunk run; the run as found gave %s after %u steps)\n",
			       check_kind_name(x.verdict.kind), found_steps);
		print_reproducer(stdout, x.shrunk ? "reproduce (as found)" :
						    "reproduce",
				 &ss.s, &o.config, &ss.ignore, &found);
		if (x.shrunk)
			print_reproducer(stdout, "reproduce (shrunk)", &ss.s,
					 &o.config, &ss.ignore, &small);
		if (o.save && x.shrunk) {
			printf("  replay (as found): irqsim replay %s\n", o.save);
			printf("  replay (shrunk):   irqsim replay %s.shrunk\n",
			       o.save);
		} else if (o.save) {
			printf("  replay:    irqsim replay %s\n", o.save);
		}
		ret = EXIT_VIOLATION;
	}
	goto out;
oom:
	fprintf(stderr, "irqsim: out of memory\n");
	ret = EXIT_USAGE;
out:
	/* the points after the summary, whatever the search found */
	if (x.cover && ret != EXIT_USAGE && !o.json &&
	    print_unreached(stdout, x.cover, false))
		ret = EXIT_USAGE;
	if (x.cover)
		irqsim_cover_report_free(x.cover);
	/* the profile comes after the summary, whatever the search found */
	if (x.sprof && ret != EXIT_USAGE) {
		fflush(stdout);
		if (print_state_profile(pf ? pf : stderr, x.sprof, &x.st,
					o.json))
			ret = EXIT_USAGE;
	}
	irqsim_sprof_free(x.sprof);
	if (pf && outfile_close(&pof, ret == EXIT_USAGE))
		ret = EXIT_USAGE;
	irqsim_schedule_free(&sc);
	irqsim_schedule_free(&shrunk);
	/*
	 * interrupted (maybe after the search's last check): the shell's
	 * status for it, once the files are out
	 */
	if (interrupted && ret != EXIT_USAGE)
		ret = 128 + interrupted;
out_session:
	irqsim_cover_stop();
	free(x.cover);
	session_close(&ss);
	if (dist_joined) {
		fflush(stdout);
		ret = irqsim_dist_backend->finish(&dist_comm, ret);
		dist_joined = false;
	}
	return ret;
}
