// SPDX-License-Identifier: MIT
/*
 * A loaded trace or saved run (a session: the scenario, its knobs, its
 * world after setup), its runs, what they print, how they are saved and
 * drawn, and the signal that stops a search.
 */
#include "cli/internal.h"
#include "cli/saved.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int session_open(struct session *ss, const struct scenario_config *extra)
{
	char err[SCENARIO_ERR];

	config_apply(ss->knobs, &ss->s.config, extra);
	ss->init = irqsim_malloc(sizeof(*ss->init));
	ss->w = irqsim_malloc(sizeof(*ss->w));
	if (!ss->init || !ss->w) {
		fprintf(stderr, "irqsim: out of memory\n");
		return EXIT_USAGE;
	}
	if (scenario_world(&ss->s, ss->knobs, ss->init, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	return 0;
}

void session_close(struct session *ss)
{
	free(ss->init);
	free(ss->w);
	scenario_free(&ss->s);
}

/*
 * --ignore's list (parse_ignore()) and --only's object (NULL: none),
 * read against the loaded trace.
 */
int session_ignore(struct session *ss, const char *list, const char *only)
{
	char err[SCENARIO_ERR];

	if (list[0] && scenario_parse_ignore(&ss->s, list, &ss->ignore, err,
					     sizeof(err))) {
		fprintf(stderr, "irqsim: --ignore: %s\n", err);
		return EXIT_USAGE;
	}
	if (only && scenario_parse_object(&ss->s, only, &ss->ignore.only, err,
					  sizeof(err))) {
		fprintf(stderr, "irqsim: --only: %s\n", err);
		return EXIT_USAGE;
	}
	return 0;
}

/* One schedule from the initial world. */
void session_run(struct session *ss, struct irqsim_chooser *ch,
		 struct irqsim_schedule *record, struct irqsim_log *log,
		 struct irqsim_run_result *res)
{
	struct irqsim_rt rt;

	scenario_rt(&ss->s, ss->knobs, log, &rt);
	scenario_ignore_rt(&ss->ignore, &rt);
	memcpy(ss->w, ss->init, sizeof(*ss->w));
	irqsim_run(&scenario_model, &rt, ss->w, ch, ss->s.bound, record, res);
	/*
	 * A fixed schedule the run ended before using up (no program
	 * consumed the rest) was not followed: a divergence, not a
	 * verdict. A violation ends a run early on purpose.
	 */
	ss->left = 0;
	if (ch->kind == IRQSIM_CHOOSE_REPLAY && res->status == IRQSIM_RUN_OK &&
	    ch->pos < ch->replay->n) {
		ss->left = ch->replay->n - ch->pos;
		res->status = IRQSIM_RUN_DIVERGED;
		res->diverged_at = ch->pos;
	}
}

/*
 * Where a fixed schedule diverged: "FILE:LINE: ..." with the line of
 * @text (the trace, or the saved run) that holds the entry.
 */
void say_diverged(FILE *out, const struct session *ss, const char *file,
		  const char *text, const struct irqsim_run_result *res)
{
	char name[64] = "?";
	int line = schedule_line(&ss->s, text, res->diverged_at, name,
				 sizeof(name));

	if (line)
		fprintf(out, "%s:%d: ", file, line);
	else
		fprintf(out, "%s: ", file);
	if (ss->left)
		fprintf(out, "the fixed schedule diverged at transition %zu ('%s'): the run ended after %u steps without taking it or the %zu after it\n",
			res->diverged_at, name, res->steps, ss->left - 1);
	else
		fprintf(out, "the fixed schedule diverged at transition %zu ('%s'): the model cannot take it in this configuration\n",
			res->diverged_at, name);
}

void replay_chooser(struct irqsim_chooser *ch,
		    const struct irqsim_schedule *sc, bool then_first)
{
	memset(ch, 0, sizeof(*ch));
	ch->kind = IRQSIM_CHOOSE_REPLAY;
	ch->replay = sc;
	ch->replay_then_first = then_first;
}

int save_run(const struct session *ss, const char *path,
	     uint64_t seed, bool seeded,
	     const struct irqsim_schedule *sc,
	     const struct irqsim_run_result *res)
{
	struct outfile of;
	FILE *f = outfile_open(&of, path, false);

	if (!f)
		return -1;
	if (saved_write(f, &ss->s, ss->knobs, seed, seeded, sc, &ss->ignore,
			&res->verdict) && !ferror(f)) {
		fprintf(stderr, "irqsim: cannot write %s: out of memory\n",
			path);
		outfile_close(&of, true);
		return -1;
	}
	return outfile_close(&of, false);
}

void print_verdict(FILE *out, const struct session *ss,
		   const struct irqsim_run_result *res)
{
	char summary[512];

	fprintf(out, "%s: %s after %u steps\n", ss->s.name,
		res->verdict.kind ? check_kind_name(res->verdict.kind) :
				    "no violation",
		res->steps);
	if (res->verdict.kind)
		fprintf(out, "  %s\n  became inevitable at step %u\n",
			res->verdict.what, res->verdict.step);
	check_summary(ss->w, summary, sizeof(summary));
	fprintf(out, "  %s\n", summary);
}

/*
 * Replay @sc with events logged and render them to @out (named @where)
 * as @o asks: --render's format, --width, --full-run.
 */
int render_schedule(struct session *ss, const struct irqsim_schedule *sc,
		    const struct options *o, FILE *out, const char *where,
		    struct irqsim_run_result *res)
{
	int format = o->render;
	struct irqsim_chooser ch;
	struct irqsim_log log;
	struct trace_run run;
	int ret;

	irqsim_log_init(&log);
	replay_chooser(&ch, sc, false);
	session_run(ss, &ch, NULL, &log, res);
	if (log.oom) {
		irqsim_log_free(&log);
		fprintf(stderr, "irqsim: out of memory for the event log\n");
		return -1;
	}
	run = (struct trace_run){ .name = ss->s.name, .log = &log,
				  .m = &ss->s.machine,
				  .verdict = &res->verdict, .width = o->width,
				  .full_run = o->full_run };
	ret = trace_render(out, format, &run);
	irqsim_log_free(&log);
	if (ret == -ENOMEM || ret == -EINVAL) {
		fprintf(stderr, "irqsim: cannot render %s: %s\n",
			trace_format_name(format),
			ret == -ENOMEM ? "out of memory" : strerror(-ret));
		return -1;
	}
	if (ret) {
		fprintf(stderr, "irqsim: cannot write %s: %s\n", where,
			strerror(-ret));
		return -1;
	}
	return 0;
}

const char *render_where(const struct options *o)
{
	return o->output ? o->output : "standard output";
}

/* Where --render writes: -o OUT, else stdout. NULL: cannot (said why). */
FILE *render_open(const struct options *o, struct outfile *of)
{
	of->f = NULL;
	if (!o->output)
		return stdout;
	return outfile_open(of, o->output,
			    trace_format_is_binary(o->render));
}

/* @failed: the render failed (said why): the old file stays. */
int render_close(FILE *f, struct outfile *of, bool failed)
{
	if (f == stdout)
		return failed ? -1 : 0;
	return outfile_close(of, failed);
}

/* SIGINT or SIGTERM during a search: stop it at the next state or run. */
volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

void catch_interrupts(void)
{
	struct sigaction sa = { .sa_handler = on_interrupt };

	/* a second one ends the process at once */
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/*
 * After the search: a signal ends the process as it did before (the
 * shrinking has no stop flag, and must not swallow one).
 */
void release_interrupts(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

int load_trace(struct session *ss, const char *path,
	       const struct scenario_config *extra)
{
	char err[SCENARIO_ERR];

	memset(ss, 0, sizeof(*ss));
	if (scenario_load(&ss->s, path, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	return session_open(ss, extra);
}

void session_rt(struct session *ss, struct irqsim_rt *rt)
{
	scenario_rt(&ss->s, ss->knobs, NULL, rt);
	scenario_ignore_rt(&ss->ignore, rt);
}
