// SPDX-License-Identifier: MIT
/* irqsim check: run every expect line of a trace (the ctest of a race). */
#include "cli/internal.h"
#include "sched/parallel.h"

#include <inttypes.h>
#include <string.h>

/*
 * Seeds base, base+1, ... in order (one worker of the engine's sweep); the
 * first failing seed is the reproducer, the same on any machine.
 */
static int explore_random(struct session *ss, uint64_t base, long runs,
			  struct irqsim_schedule *sc, uint64_t *seed,
			  long *run, struct irqsim_run_result *res)
{
	struct irqsim_sweep sw = {
		.kind = IRQSIM_SWEEP_RANDOM, .base = base,
		.runs = (uint64_t)runs, .jobs = 1, .shard_count = 1,
		.bound = ss->s.bound,
		.stop = &interrupted,
	};
	struct irqsim_sweep_result r;
	struct irqsim_rt rt;

	scenario_rt(&ss->s, ss->knobs, NULL, &rt);
	scenario_ignore_rt(&ss->ignore, &rt);
	memset(res, 0, sizeof(*res));
	*run = runs;
	if (irqsim_sweep_run(&scenario_model, &rt, ss->init, &sw, &r)) {
		irqsim_schedule_free(&r.schedule);
		fprintf(stderr, "irqsim: out of memory or threads\n");
		return -1;
	}
	res->windows = r.windows;
	if (!r.found) {
		irqsim_schedule_free(&r.schedule);
		return 0;
	}
	*seed = base + r.run;
	*run = (long)r.run + 1;
	res->status = IRQSIM_RUN_VIOLATION;
	res->verdict = r.verdict;
	/* move, not copy: nothing to fail */
	irqsim_schedule_free(sc);
	*sc = r.schedule;
	return 1;
}

/*
 * An expect line with strategy=dfs: every schedule (up to the trace's step
 * bound and the line's preemption bound). A violation is replayed so @res
 * holds its verdict.
 */
static int check_exhaustive(struct session *ss, const struct scenario_expect *e,
			    struct irqsim_schedule *sc,
			    struct irqsim_run_result *res,
			    struct irqsim_dfs_stats *st)
{
	struct irqsim_dfs_opts dopts = {
		.bound = ss->s.bound,
		.preemption_bound = e->preemption_bound,
		.sleep_sets = true,	/* not under a preemption bound */
		.stop = &interrupted,
	};
	struct irqsim_verdict v;
	struct irqsim_rt rt;

	session_rt(ss, &rt);
	memset(res, 0, sizeof(*res));
	if (irqsim_dfs(&scenario_model, &rt, ss->init, &dopts, st, &v, sc)) {
		fprintf(stderr, "irqsim: out of memory in the exhaustive search\n");
		return -1;
	}
	if (v.kind) {
		struct irqsim_chooser ch;

		replay_chooser(&ch, sc, false);
		session_run(ss, &ch, NULL, NULL, res);
	}
	res->windows = st->windows;
	return 0;
}

/*
 * Under an expect none line's result: the race windows the search
 * opened, and each reaches= window it never opened (the line is then a
 * FAIL: a none that never opened its window is vacuous).
 */
static void check_reaches(struct session *ss, const struct scenario_expect *e,
			  uint32_t reached)
{
	struct irqsim_rt rt;
	uint32_t missing = e->reaches & ~reached;
	char buf[512];

	session_rt(ss, &rt);
	print_windows(stdout, "     ", reached, rt.windows);
	if (!missing)
		return;
	check_windows_format(missing & rt.windows, buf, sizeof(buf));
	if (buf[0])
		printf("     vacuous: reaches=%s, but no state the search explored opened it: this none proves nothing about the race there\n",
		       buf);
	check_windows_format(missing & ~rt.windows, buf, sizeof(buf));
	if (buf[0])
		printf("     vacuous: reaches=%s, a window this trace cannot open (it models no operation or device that opens it)\n",
		       buf);
}

/*
 * A FAIL: the command that gives what check saw and, when that is a
 * violation, the run saved where the check ran (the build directory
 * under ctest): NAME.lineN.irqsim, or in --save DIR.
 */
static void check_counterexample(struct session *ss, const struct options *o,
				 const struct scenario_expect *e, int got,
				 const struct irqsim_schedule *sc,
				 uint64_t seed, long runs,
				 struct irqsim_run_result *res)
{
	struct repro r = { .kind = ss->s.has_schedule ? REPRO_TRACE :
				   e->exhaustive ? REPRO_SCHEDULE : REPRO_SEED,
			   .seed = seed, .sc = sc };
	char path[4096];

	if (got <= 0 && !ss->s.has_schedule) {
		/* no run to give: the search that found nothing */
		printf("     reproduce: irqsim explore %s", ss->s.file);
		if (e->exhaustive)
			printf(" --strategy dfs");
		if (e->exhaustive && e->preemption_bound >= 0)
			printf(" --preemption-bound %d", e->preemption_bound);
		if (!e->exhaustive)
			printf(" --runs %ld", runs);
		print_run_options(stdout, &ss->s, &e->config, &e->ignore);
		printf("\n");
		return;
	}
	print_reproducer(stdout, "   reproduce", &ss->s, &e->config,
			 &e->ignore, &r);
	if (got <= 0)
		return;
	snprintf(path, sizeof(path), "%s%s%s.line%d.irqsim",
		 o->save ? o->save : "", o->save ? "/" : "", ss->s.name,
		 e->line);
	if (!save_run(ss, path, seed, r.kind == REPRO_SEED, sc, res))
		printf("     replay:    irqsim replay %s\n", path);
}

/* Run every expect line of a trace: the ctest of a race. */
int cmd_check(int argc, char **argv)
{
	struct options o;
	struct scenario s;
	char err[SCENARIO_ERR];
	int failed = 0, diverged = 0;
	int ret = parse_options(argc, argv, CMD_CHECK, &o, NULL);

	if (ret)
		return ret;
	if (scenario_load(&s, o.target, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (!s.nexpect) {
		fprintf(stderr, "%s:0: no expect lines\n", o.target);
		scenario_free(&s);
		return EXIT_USAGE;
	}
	catch_interrupts();
	for (int i = 0; i < s.nexpect; i++) {
		const struct scenario_expect *e = &s.expect[i];
		struct irqsim_run_result res;
		struct irqsim_schedule sc;
		struct session ss;
		struct irqsim_dfs_stats st = { .complete = true,
					       .pb_complete = true };
		uint64_t seed = 0;
		long run = 0;
		long runs = o.runs > 0 ? o.runs : e->runs ? e->runs : s.runs;
		char ignoring[1024], want[IRQSIM_NAME_LEN + 64], obj[64] = "";
		bool vacuous, hit;
		int got;

		memset(&ss, 0, sizeof(ss));
		if (scenario_load(&ss.s, o.target, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			session_close(&ss);
			scenario_free(&s);
			return EXIT_USAGE;
		}
		if (session_open(&ss, &e->config)) {
			session_close(&ss);
			scenario_free(&s);
			return EXIT_USAGE;
		}
		ss.ignore = e->ignore;
		irqsim_schedule_init(&sc);
		if (s.has_schedule) {
			struct irqsim_chooser ch;

			replay_chooser(&ch, &s.schedule, true);
			session_run(&ss, &ch, &sc, NULL, &res);
			if (res.status == IRQSIM_RUN_NOMEM)
				fprintf(stderr, "irqsim: out of memory\n");
		} else if (e->exhaustive) {
			if (check_exhaustive(&ss, e, &sc, &res, &st))
				res.status = IRQSIM_RUN_NOMEM;
		} else if (explore_random(&ss, 0, runs, &sc, &seed, &run,
					  &res) < 0) {
			res.status = IRQSIM_RUN_NOMEM;
		}
		/* no verdict without the memory to reach one: not a FAIL */
		if (res.status == IRQSIM_RUN_NOMEM) {
			irqsim_schedule_free(&sc);
			session_close(&ss);
			scenario_free(&s);
			release_interrupts();
			return EXIT_USAGE;
		}
		/* a search cut by a signal judges nothing */
		if (interrupted && res.status != IRQSIM_RUN_VIOLATION) {
			int sig = interrupted;

			printf("INTERRUPTED %s:%d: expect %s: interrupted by %s during its search: not judged; %d line%s after it not run\n",
			       o.target, e->line, check_kind_name(e->kind),
			       signal_name(sig), s.nexpect - i - 1,
			       s.nexpect - i - 1 == 1 ? "" : "s");
			irqsim_schedule_free(&sc);
			session_close(&ss);
			scenario_free(&s);
			release_interrupts();
			return 128 + sig;
		}
		got = res.status == IRQSIM_RUN_VIOLATION ? res.verdict.kind : 0;
		/* cut by a bound (other than the line's own): no verdict */
		if (e->exhaustive && !got && !st.pb_complete)
			got = -1;
		/* a fixed schedule the model cannot follow proves nothing */
		if (res.status == IRQSIM_RUN_DIVERGED)
			got = -1;
		/* a none that never opened its reaches= windows is vacuous */
		vacuous = got == 0 && e->kind == CHECK_NONE &&
			  (e->reaches & ~res.windows);
		/*
		 * expect KIND:OBJECT: that kind, about that object (the
		 * search judged nothing else); none:OBJECT, none about it
		 */
		hit = got == e->kind &&
		      (e->kind == CHECK_NONE || e->obj.type == CHECK_OBJ_NONE ||
		       check_object_in(&e->obj, &res.verdict.obj));
		snprintf(want, sizeof(want), "%s", check_kind_name(e->kind));
		if (e->obj.type != CHECK_OBJ_NONE) {
			scenario_object_name(&s, &e->obj, obj, sizeof(obj));
			snprintf(want, sizeof(want), "%s:%s",
				 check_kind_name(e->kind), obj);
			obj[0] = 0;
			if (got > 0 && res.verdict.obj.type != CHECK_OBJ_NONE) {
				obj[0] = ':';
				scenario_object_name(&s, &res.verdict.obj,
						     obj + 1, sizeof(obj) - 1);
			}
		}
		printf("%s %s:%d: expect %s", hit && !vacuous ? "PASS" : "FAIL",
		       o.target, e->line, want);
		print_cli_config(stdout, &e->config);
		scenario_ignore_format(&s, &e->ignore, ") (ignoring ", ignoring,
				       sizeof(ignoring));
		if (ignoring[0])
			printf(" (ignoring %s)", ignoring);
		if (got < 0 && s.has_schedule) {
			/* not followed: bad input, whatever the expect line */
			printf(": the fixed schedule diverged at transition %zu\n",
			       res.diverged_at);
			say_diverged(stderr, &ss, ss.s.file, ss.s.text, &res);
			diverged++;
		}
		else if (s.has_schedule)
			printf(": fixed schedule gives %s%s\n",
			       check_kind_name(got), obj);
		else if (e->exhaustive && got < 0)
			printf(": no verdict (dfs cut by the step bound after %" PRIu64 " distinct states, %.3f s)\n",
			       st.distinct, st.seconds);
		else if (e->exhaustive && e->preemption_bound >= 0)
			printf(": %s (dfs over the schedules with at most %d preemption%s: %s after %" PRIu64 " distinct states, %.3f s)\n",
			       check_kind_name(got), e->preemption_bound,
			       e->preemption_bound == 1 ? "" : "s",
			       got ? "found" : "all covered", st.distinct,
			       st.seconds);
		else if (e->exhaustive)
			printf(": %s%s (dfs %s: %" PRIu64 " distinct states, %.3f s)\n",
			       check_kind_name(got), obj,
			       got ? "stopped" : "complete", st.distinct,
			       st.seconds);
		else if (got)
			printf(": %s%s at seed %" PRIu64 " (run %ld of %ld)\n",
			       check_kind_name(got), obj, seed, run, runs);
		else
			printf(": no violation in %ld random schedules\n", runs);
		if (got > 0)
			printf("     %s\n", res.verdict.what);
		if (!hit)
			check_counterexample(&ss, &o, e, got, &sc, seed, runs,
					     &res);
		else if (!got)
			check_reaches(&ss, e, res.windows);
		failed += !hit || vacuous;
		irqsim_schedule_free(&sc);
		session_close(&ss);
	}
	release_interrupts();
	scenario_free(&s);
	if (diverged)
		return EXIT_USAGE;
	return failed ? EXIT_VIOLATION : EXIT_NONE;
}
