// SPDX-License-Identifier: MIT
/* The irqsim command. */
#include "cli/outfile.h"
#include "cli/report.h"
#include "cli/infile.h"
#include "cli/saved.h"
#include "cli/scenario.h"
#include "sched/alloc.h"
#include "sched/footprint.h"
#include "sched/parallel.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef IRQSIM_TRACE_DIR
#define IRQSIM_TRACE_DIR "traces"
#endif

#define EXIT_NONE 0
#define EXIT_VIOLATION 1
#define EXIT_USAGE 2

static const char usage_text[] =
	"usage:\n"
	"  irqsim run TRACE [--seed N | --schedule 'T T*N ...'] [--profile NAME]...\n"
	"                   [--set KNOB=VALUE]... [--ignore KIND,...] [--save FILE]\n"
	"                   [--render FORMAT [-o OUT]]\n"
	"  irqsim explore TRACE [--strategy random|pct|dfs|dpor] [--runs N] [--seed N]\n"
	"                   [--depth D] [--preemption-bound N] [--max-states N]\n"
	"                   [--max-memory SIZE] [--no-por] [--no-shrink] [--jobs N]\n"
	"                   [--shard I/N]\n"
	"                   [--frontier-depth D] [--report FILE] [--json]\n"
	"                   [--profile NAME]... [--set KNOB=VALUE]... [--ignore KIND,...]\n"
	"                   [--save FILE] [--render FORMAT [-o OUT]]\n"
	"  irqsim merge REPORT...      combine the reports of --shard runs\n"
	"  irqsim replay FILE [--allow-different] [--render FORMAT [-o OUT]]\n"
	"  irqsim render FILE --format FORMAT [-o OUT] [--allow-different]\n"
	"                   FORMAT: text, timeline, dot, svg, png, json\n"
	"                   (dot, svg, png, json: a whole file; with --render, -o OUT)\n"
	"  irqsim check TRACE [--runs N] [--save DIR]   run the trace's expect lines\n"
	"  irqsim list knobs|profiles|ops|directives|verdicts|windows|traces|options\n"
	"exit status: 0 no violation, 1 violation, 2 bad usage or input\n";

static int usage(const char *fmt, const char *arg)
{
	if (fmt) {
		fprintf(stderr, "irqsim: ");
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

enum strategy {
	STRATEGY_RANDOM,
	STRATEGY_PCT,
	STRATEGY_DFS,
	STRATEGY_DPOR,
};

static const char *const strategy_names[] = {
	[STRATEGY_RANDOM] = "random",
	[STRATEGY_PCT] = "pct",
	[STRATEGY_DFS] = "dfs",
	[STRATEGY_DPOR] = "dpor",
};

/*
 * The command line: ONE table of options (cli_options[]). getopt_long(3)
 * parses with it, the commands read what it found, irqsim list options
 * prints it, and tests/cli/options-doc.cmake checks the usage text,
 * irqsim(1) and the bash completion (which reads irqsim list options)
 * against it.
 */
enum command {
	CMD_RUN,
	CMD_EXPLORE,
	CMD_MERGE,
	CMD_REPLAY,
	CMD_RENDER,
	CMD_CHECK,
	CMD_LIST,
	CMD_NR,
};

static const struct command_info {
	const char *name;
	const char *arg;	/* its one argument, for "missing TRACE";
				 * NULL: any number, which it checks */
} commands[CMD_NR] = {
	[CMD_RUN] = { "run", "TRACE" },
	[CMD_EXPLORE] = { "explore", "TRACE" },
	[CMD_MERGE] = { "merge", NULL },
	[CMD_REPLAY] = { "replay", "FILE" },
	[CMD_RENDER] = { "render", "FILE" },
	[CMD_CHECK] = { "check", "TRACE" },
	[CMD_LIST] = { "list", NULL },
};

#define ON(cmd) (1u << CMD_##cmd)

/* The rows of cli_options[]: one name may have a row per command group. */
enum option_id {
	OPT_SEED,
	OPT_SCHEDULE,
	OPT_STRATEGY,
	OPT_RUNS,
	OPT_DEPTH,
	OPT_PREEMPTION_BOUND,
	OPT_MAX_STATES,
	OPT_MAX_MEMORY,
	OPT_NO_POR,
	OPT_NO_SHRINK,
	OPT_JOBS,
	OPT_SHARD,
	OPT_FRONTIER_DEPTH,
	OPT_REPORT,
	OPT_JSON,
	OPT_PROFILE,
	OPT_SET,
	OPT_IGNORE,
	OPT_SAVE,
	OPT_SAVE_DIR,
	OPT_RENDER,
	OPT_FORMAT,
	OPT_OUTPUT,
	OPT_ALLOW_DIFFERENT,
	OPT_NR,
};

static const struct cli_option {
	const char *name;	/* as typed: "--seed", or "-o" (one letter) */
	const char *value;	/* its value as the docs name it; NULL: a flag */
	unsigned int commands;	/* ON() of each command that takes it */
	const char *doc;	/* one line: what it does, what its value is */
} cli_options[OPT_NR] = {
	[OPT_SEED] = { "--seed", "N", ON(RUN) | ON(EXPLORE),
		"the random schedule's seed (run), the first seed (explore); default 0" },
	[OPT_SCHEDULE] = { "--schedule", "SCHEDULE", ON(RUN),
		"run these transitions in order: the words of a saved run's schedule lines" },
	[OPT_STRATEGY] = { "--strategy", "random|pct|dfs|dpor", ON(EXPLORE),
		"how to search: seeds in order, PCT, or every schedule (depth first, DPOR); default random" },
	[OPT_RUNS] = { "--runs", "N", ON(EXPLORE) | ON(CHECK),
		"random or PCT runs (check: of each expect line); default the trace's" },
	[OPT_DEPTH] = { "--depth", "D", ON(EXPLORE),
		"pct: the depth, 1..16; default 3" },
	[OPT_PREEMPTION_BOUND] = { "--preemption-bound", "N", ON(EXPLORE),
		"dfs: only schedules with at most N preemptions" },
	[OPT_MAX_STATES] = { "--max-states", "N", ON(EXPLORE),
		"dfs, dpor: stop after N distinct states" },
	[OPT_MAX_MEMORY] = { "--max-memory", "SIZE", ON(EXPLORE),
		"dfs, dpor: stop before the search holds SIZE (K, M, G, T); default 3/4 of the RAM" },
	[OPT_NO_POR] = { "--no-por", NULL, ON(EXPLORE),
		"dfs: no partial-order reduction (sleep sets)" },
	[OPT_NO_SHRINK] = { "--no-shrink", NULL, ON(EXPLORE),
		"report a violation as found, not shrunk" },
	[OPT_JOBS] = { "--jobs", "N", ON(EXPLORE),
		"search with N worker threads, 1..64; default 1" },
	[OPT_SHARD] = { "--shard", "I/N", ON(EXPLORE),
		"search part I of N (0 <= I < N); irqsim merge combines the reports" },
	[OPT_FRONTIER_DEPTH] = { "--frontier-depth", "D", ON(EXPLORE),
		"dfs with --jobs or --shard: split the search at depth D, 1..64; default 8" },
	[OPT_REPORT] = { "--report", "FILE", ON(EXPLORE),
		"write the shard's report, which irqsim merge reads" },
	[OPT_JSON] = { "--json", NULL, ON(EXPLORE),
		"print the summary as one JSON object" },
	[OPT_PROFILE] = { "--profile", "NAME", ON(RUN) | ON(EXPLORE),
		"apply a profile (irqsim list profiles); repeatable, in order" },
	[OPT_SET] = { "--set", "KNOB=VALUE", ON(RUN) | ON(EXPLORE),
		"set a knob (irqsim list knobs); repeatable, later settings win" },
	[OPT_IGNORE] = { "--ignore", "KIND[:OBJECT],...", ON(RUN) | ON(EXPLORE),
		"do not report these verdicts (irqsim list verdicts), or only about OBJECT" },
	[OPT_SAVE] = { "--save", "FILE", ON(RUN) | ON(EXPLORE),
		"write the run as a saved run for replay (explore: FILE.shrunk too)" },
	[OPT_SAVE_DIR] = { "--save", "DIR", ON(CHECK),
		"where a failing line's violation is saved; default the current directory" },
	[OPT_RENDER] = { "--render", "FORMAT",
		ON(RUN) | ON(EXPLORE) | ON(REPLAY) | ON(RENDER),
		"also draw the run: text, timeline, dot, svg, png, json (render: --format)" },
	[OPT_FORMAT] = { "--format", "FORMAT", ON(RENDER),
		"draw the saved run as text, timeline, dot, svg, png or json" },
	[OPT_OUTPUT] = { "-o", "OUT",
		ON(RUN) | ON(EXPLORE) | ON(REPLAY) | ON(RENDER),
		"where --render or --format writes; default standard output" },
	[OPT_ALLOW_DIFFERENT] = { "--allow-different", NULL,
		ON(REPLAY) | ON(RENDER),
		"a verdict other than the saved one is no divergence" },
};

struct options {
	const char *target;		/* the first argument */
	int nargs;			/* the arguments that are no option */
	uint64_t seed;
	bool seed_given;
	long runs;
	const char *schedule;
	const char *save;
	const char *output;
	const char *report;
	int render;
	enum strategy strategy;
	int depth;
	int preemption_bound;
	uint64_t max_states;
	uint64_t max_memory;		/* bytes; 0: the default */
	bool no_por, no_shrink, json;
	bool allow_different;
	bool depth_given, frontier_given;
	int jobs;
	uint32_t shard_index, shard_count;
	uint32_t frontier_depth;
	char ignore[1024];		/* --ignore, read with the trace */
	struct scenario_config config;
};

/* One loaded scenario with its knobs and its world after setup. */
struct session {
	struct scenario s;
	struct scenario_ignore ignore;
	int knobs[IRQSIM_MAX_KNOBS];
	struct vmm_world *init;
	struct vmm_world *w;
	size_t left;	/* fixed schedule entries the last run left */
};

static int session_open(struct session *ss, const struct scenario_config *extra)
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

static void session_close(struct session *ss)
{
	free(ss->init);
	free(ss->w);
	scenario_free(&ss->s);
}

/* --ignore's list (parse_ignore()), read against the loaded trace. */
static int session_ignore(struct session *ss, const char *list)
{
	char err[SCENARIO_ERR];

	if (!list[0])
		return 0;
	if (scenario_parse_ignore(&ss->s, list, &ss->ignore, err,
				  sizeof(err))) {
		fprintf(stderr, "irqsim: --ignore: %s\n", err);
		return EXIT_USAGE;
	}
	return 0;
}

/* One schedule from the initial world. */
static void session_run(struct session *ss, struct irqsim_chooser *ch,
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
static void say_diverged(FILE *out, const struct session *ss, const char *file,
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

/* A saved run's text, for say_diverged(); NULL if unreadable. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = f ? malloc(SAVED_MAX_FILE + 1) : NULL;
	size_t n;

	if (!buf) {
		if (f)
			fclose(f);
		return NULL;
	}
	n = fread(buf, 1, SAVED_MAX_FILE, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void random_chooser(struct irqsim_chooser *ch, uint64_t seed)
{
	memset(ch, 0, sizeof(*ch));
	ch->kind = IRQSIM_CHOOSE_RANDOM;
	irqsim_prng_seed(&ch->prng, seed);
}

static void replay_chooser(struct irqsim_chooser *ch,
			   const struct irqsim_schedule *sc, bool then_first)
{
	memset(ch, 0, sizeof(*ch));
	ch->kind = IRQSIM_CHOOSE_REPLAY;
	ch->replay = sc;
	ch->replay_then_first = then_first;
}

/* The --profile/--set options that reproduce the command line. */
static void print_cli_config(FILE *out, const struct scenario_config *c)
{
	for (int i = 0; i < c->n; i++) {
		char buf[16];

		if (c->item[i].profile >= 0)
			fprintf(out, " --profile %s",
				profile_get(c->item[i].profile)->name);
		else
			fprintf(out, " --set %s=%s",
				irqsim_knob_get(c->item[i].knob)->name,
				irqsim_knob_value_name(c->item[i].knob,
						       c->item[i].value, buf,
						       sizeof(buf)));
	}
}

/* Every option besides the run's own that changes a run. */
static void print_run_options(FILE *out, const struct scenario *s,
			      const struct scenario_config *c,
			      const struct scenario_ignore *ignore)
{
	char list[1024];

	print_cli_config(out, c);
	scenario_ignore_format(s, ignore, ",", list, sizeof(list));
	if (list[0])
		fprintf(out, " --ignore %s", list);
}

/* How a reproducer names its run. */
enum repro_kind {
	REPRO_SEED,		/* irqsim run TRACE --seed N */
	REPRO_PCT,		/* irqsim explore TRACE --strategy pct ... */
	REPRO_SCHEDULE,		/* irqsim run TRACE --schedule '...' */
	REPRO_TRACE,		/* irqsim run TRACE: the trace's own schedule */
};

struct repro {
	enum repro_kind kind;
	uint64_t seed;				/* SEED, PCT */
	int depth;				/* PCT */
	const struct irqsim_schedule *sc;	/* SCHEDULE, of the scenario */
	const char *words;			/* or SCHEDULE, as text */
};

/*
 * The --profile/--set/--ignore of a run as one string (" --set a=b ..."),
 * RUN_OPTIONS_MAX long at most (cli/report.h: a report carries it).
 */
static void run_options_string(char *buf, size_t len,
			       const struct scenario *s,
			       const struct scenario_config *c,
			       const struct scenario_ignore *ignore)
{
	FILE *f = fmemopen(buf, len, "w");

	buf[0] = 0;
	if (!f)
		return;
	print_run_options(f, s, c, ignore);
	fclose(f);
}

/*
 * The one command that gives a run again, with every option that changed
 * it (@options, from run_options_string()): what run, explore (every
 * strategy), check and merge print after "LABEL: ". @s is the scenario
 * of r->sc, or NULL with r->words.
 */
static void print_repro_line(FILE *out, const char *label, const char *file,
			     const struct scenario *s, const char *options,
			     const struct repro *r)
{
	fprintf(out, "  %s: irqsim ", label);
	switch (r->kind) {
	case REPRO_SEED:
		fprintf(out, "run %s --seed %" PRIu64, file, r->seed);
		break;
	case REPRO_PCT:
		/* one PCT run (k is estimated from the trace alone), shown
		 * as found */
		fprintf(out, "explore %s --strategy pct --depth %d --seed %" PRIu64 " --runs 1 --no-shrink",
			file, r->depth, r->seed);
		break;
	case REPRO_SCHEDULE:
		fprintf(out, "run %s --schedule '", file);
		if (s)
			schedule_print_words(s, r->sc, out);
		else
			fputs(r->words, out);
		fputc('\'', out);
		break;
	case REPRO_TRACE:
		fprintf(out, "run %s", file);
		break;
	}
	fprintf(out, "%s\n", options);
}

/* print_repro_line() of a run of @s with @c and @ignore. */
static void print_reproducer(FILE *out, const char *label,
			     const struct scenario *s,
			     const struct scenario_config *c,
			     const struct scenario_ignore *ignore,
			     const struct repro *r)
{
	char options[RUN_OPTIONS_MAX];

	run_options_string(options, sizeof(options), s, c, ignore);
	print_repro_line(out, label, s->file, s, options, r);
}

static int save_run(const struct session *ss, const char *path,
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

struct saved_session {
	struct session ss;
	struct irqsim_schedule schedule;
	int verdict_kind;
	uint32_t verdict_step;
};

/* Read a saved run (src/cli/saved.c) and build its world. */
static int load_saved(struct saved_session *sr, const char *path)
{
	char err[SCENARIO_ERR];
	struct saved_run *f = irqsim_malloc(sizeof(*f));
	int ret;

	memset(sr, 0, sizeof(*sr));
	irqsim_schedule_init(&sr->schedule);
	sr->verdict_kind = -1;
	if (!f) {
		fprintf(stderr, "irqsim: out of memory\n");
		return EXIT_USAGE;
	}
	if (saved_load(f, path, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		saved_free(f);
		free(f);
		return EXIT_USAGE;
	}
	/* the session takes the scenario and the schedule over */
	sr->ss.s = f->s;
	sr->schedule = f->schedule;
	sr->verdict_kind = f->verdict_kind;
	sr->verdict_step = f->verdict_step;
	sr->ss.ignore = f->ignore;
	ret = session_open(&sr->ss, &f->config);
	free(f);
	return ret;
}

static void print_verdict(FILE *out, const struct session *ss,
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

/* Replay @sc with events logged and render them to @out (named @where). */
static int render_schedule(struct session *ss, const struct irqsim_schedule *sc,
			   int format, FILE *out, const char *where,
			   struct irqsim_run_result *res)
{
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
				  .verdict = &res->verdict };
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

static const char *render_where(const struct options *o)
{
	return o->output ? o->output : "standard output";
}

/* Where --render writes: -o OUT, else stdout. NULL: cannot (said why). */
static FILE *render_open(const struct options *o, struct outfile *of)
{
	of->f = NULL;
	if (!o->output)
		return stdout;
	return outfile_open(of, o->output,
			    trace_format_is_binary(o->render));
}

/* @failed: the render failed (said why): the old file stays. */
static int render_close(FILE *f, struct outfile *of, bool failed)
{
	if (f == stdout)
		return failed ? -1 : 0;
	return outfile_close(of, failed);
}

/*
 * -o needs a format; a whole document (dot, svg, png, json) from a command
 * that also prints its summary needs -o; png is not for a terminal.
 */
static int check_render_options(const struct options *o, bool summary)
{
	if (o->output && o->render < 0)
		return usage("-o %s needs --render FORMAT", o->output);
	if (o->render < 0 || o->output)
		return 0;
	if (summary && trace_format_is_document(o->render)) {
		fprintf(stderr, "irqsim: --render %s writes a whole file: give -o OUT\n",
			trace_format_name(o->render));
		return EXIT_USAGE;
	}
	if (trace_format_is_binary(o->render) && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "irqsim: %s is binary: give -o OUT or redirect stdout\n",
			trace_format_name(o->render));
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * getopt_long(3) over the options @cmd takes: --opt=value, unambiguous
 * abbreviations among them, and "--" (what follows is no option). The
 * optstring's '-' returns the arguments that are no option in their
 * place, so argv is never permuted (it is what exec_twin() passes on)
 * and POSIXLY_CORRECT changes nothing; its ':' keeps getopt quiet (the
 * messages are ours) and tells a missing value from an unknown option.
 */
struct option_parser {
	int argc;
	char **argv;		/* from the command: getopt's argv[0] */
	enum command cmd;
	int rest;		/* after "--" or the end: the next argument */
	char optstring[3 + 2 * OPT_NR];	/* "-:", then "o:" and the like */
	struct option longopts[OPT_NR + 1];
};

/* getopt_long's value for cli_options[i]; below it, a short option's letter */
#define OPT_VAL 256

enum {
	ARG_END = -1,		/* no more arguments */
	ARG_OPERAND = -2,	/* an argument that is no option */
	ARG_BAD = -3,		/* said why in the message buffer */
};

static bool option_takes(int i, enum command cmd)
{
	return cli_options[i].commands & (1u << cmd);
}

static void parser_init(struct option_parser *p, int argc, char **argv,
			enum command cmd)
{
	char *s = p->optstring;
	int n = 0;

	p->argc = argc - 1;
	p->argv = argv + 1;
	p->cmd = cmd;
	p->rest = 0;
	*s++ = '-';
	*s++ = ':';
	for (int i = 0; i < OPT_NR; i++) {
		const struct cli_option *c = &cli_options[i];

		if (!option_takes(i, cmd))
			continue;
		if (c->name[1] != '-') {
			*s++ = c->name[1];
			if (c->value)
				*s++ = ':';
			continue;
		}
		p->longopts[n++] = (struct option){
			.name = c->name + 2,
			.has_arg = c->value ? required_argument : no_argument,
			.val = OPT_VAL + i,
		};
	}
	*s = 0;
	p->longopts[n] = (struct option){ 0 };
	/* getopt's state is global: a new scan (main may have parsed argv) */
	opterr = 0;
	optind = 0;
}

/* The row of a short option @c of the parser's command. */
static int short_option(const struct option_parser *p, int c)
{
	for (int i = 0; i < OPT_NR; i++)
		if (option_takes(i, p->cmd) && cli_options[i].name[1] == c)
			return i;
	return -1;
}

/*
 * getopt_long refused an option ('?'): a flag given a value, an unknown
 * short option, or a long one that is unknown or ambiguous (optopt 0;
 * the option is the argument before optind).
 */
static int bad_option(const struct option_parser *p, char *msg, size_t len)
{
	const char *a, *sep = " (";
	size_t n, at;
	int found = 0;

	if (optopt >= OPT_VAL) {
		snprintf(msg, len, "option %s takes no value",
			 cli_options[optopt - OPT_VAL].name);
		return ARG_BAD;
	}
	if (optopt) {
		snprintf(msg, len, "option -%c is not valid here", optopt);
		return ARG_BAD;
	}
	a = p->argv[optind - 1];
	n = strcspn(a, "=");
	at = (size_t)snprintf(msg, len, "option %.*s is ambiguous", (int)n, a);
	for (int i = 0; i < OPT_NR; i++) {
		const char *name = cli_options[i].name;

		if (!option_takes(i, p->cmd) || name[1] != '-' ||
		    strncmp(name, a, n))
			continue;
		found++;
		if (at < len)
			at += (size_t)snprintf(msg + at, len - at, "%s%s", sep,
					       name);
		sep = ", ";
	}
	if (found > 1 && at < len)
		snprintf(msg + at, len - at, ")");
	else if (found <= 1)
		snprintf(msg, len, "option %.*s is not valid here", (int)n, a);
	return ARG_BAD;
}

/*
 * The next argument: a cli_options[] row with its value (NULL for a
 * flag) in *value, ARG_OPERAND with the argument in *value, ARG_END, or
 * ARG_BAD with the reason in @msg.
 */
static int next_option(struct option_parser *p, const char **value,
		       char *msg, size_t len)
{
	int c;

	if (p->rest) {
		if (p->rest >= p->argc)
			return ARG_END;
		*value = p->argv[p->rest++];
		return ARG_OPERAND;
	}
	optopt = 0;
	c = getopt_long(p->argc, p->argv, p->optstring, p->longopts, NULL);
	*value = optarg;
	switch (c) {
	case -1:
		/* what "--" left: in place, since nothing was permuted */
		p->rest = optind;
		return next_option(p, value, msg, len);
	case 1:
		return ARG_OPERAND;
	case ':':
		if (optopt >= OPT_VAL)
			snprintf(msg, len, "option %s needs a value",
				 cli_options[optopt - OPT_VAL].name);
		else
			snprintf(msg, len, "option -%c needs a value", optopt);
		return ARG_BAD;
	case '?':
		return bad_option(p, msg, len);
	}
	if (c >= OPT_VAL)
		return c - OPT_VAL;
	c = short_option(p, c);
	if (c < 0) {
		snprintf(msg, len, "option -%c is not valid here", optopt);
		return ARG_BAD;
	}
	return c;
}

/*
 * KIND[:OBJECT][,...]: verdicts not reported (as an expect line's
 * ignore=). The kinds are checked here; the objects name the trace's
 * devices, so session_ignore() reads the list once the trace is loaded.
 */
static int parse_ignore(const char *v, char *list, size_t len)
{
	char buf[1024], *save = NULL;

	/* every kind fits; a longer list was cut mid-word */
	if (strlen(v) >= sizeof(buf) || strlen(list) + strlen(v) + 2 > len) {
		fprintf(stderr, "irqsim: --ignore: list longer than %zu characters\n",
			len - 1);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	for (char *k = strtok_r(buf, ",", &save); k;
	     k = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(k, ':');
		int kind;

		if (colon)
			*colon = 0;
		kind = check_kind_parse(k);
		if (kind <= 0) {
			fprintf(stderr, "irqsim: --ignore: unknown verdict '%s' (valid:", k);
			for (int i = 1; i < CHECK_NR_KINDS; i++)
				fprintf(stderr, " %s", check_kind_name(i));
			fprintf(stderr, ")\n");
			return -1;
		}
	}
	if (list[0])
		strcat(list, ",");
	strcat(list, v);
	return 0;
}

static int parse_long(const char *v, long lo, long hi, long *out)
{
	uint64_t n;

	if (infile_parse_u64(v, (uint64_t)lo, (uint64_t)hi, &n))
		return -1;
	*out = (long)n;
	return 0;
}

/* SIZE: bytes, or a number with K, M, G or T (powers of 1024). */
static int parse_size(const char *v, uint64_t *out)
{
	unsigned long long n;
	unsigned int shift = 0;
	char *end;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if ((*end == 'B' || *end == 'b') && end[1] == 0)
		end++;
	if (*end || n > (1ULL << 50) >> shift)
		return -1;
	*out = (uint64_t)n << shift;
	return *out < (1ULL << 20) ? -1 : 0;
}

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

/* SIGINT or SIGTERM during a search: stop it at the next state or run. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

static void catch_interrupts(void)
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
static void release_interrupts(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

/*
 * The command line of @cmd into @o: its one argument in o->target (and
 * every argument in @args, which has room for argc, if not NULL).
 */
static int parse_options(int argc, char **argv, enum command cmd,
			 struct options *o, const char **args)
{
	struct option_parser p;
	char err[SCENARIO_ERR];
	const char *v;
	long n;
	int i;

	memset(o, 0, sizeof(*o));
	o->render = -1;
	o->runs = -1;
	o->depth = 3;
	o->preemption_bound = -1;
	o->jobs = 1;
	o->shard_count = 1;
	o->frontier_depth = 8;
	parser_init(&p, argc, argv, cmd);
	while ((i = next_option(&p, &v, err, sizeof(err))) != ARG_END) {
		if (i == ARG_BAD)
			return usage("%s", err);
		if (i == ARG_OPERAND) {
			if (o->target && commands[cmd].arg)
				return usage("unexpected argument '%s'", v);
			if (!o->target)
				o->target = v;
			if (args)
				args[o->nargs] = v;
			o->nargs++;
			continue;
		}
		switch ((enum option_id)i) {
		case OPT_NO_POR:
			o->no_por = true;
			break;
		case OPT_NO_SHRINK:
			o->no_shrink = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_ALLOW_DIFFERENT:
			o->allow_different = true;
			break;
		case OPT_SEED:
			if (infile_parse_u64(v, 0, UINT64_MAX, &o->seed))
				return usage("bad seed '%s' (0..18446744073709551615)", v);
			o->seed_given = true;
			break;
		case OPT_RUNS:
			if (parse_long(v, 1, 1000000000, &o->runs))
				return usage("bad run count '%s' (1..1000000000)", v);
			break;
		case OPT_STRATEGY: {
			int k = -1;

			for (int j = 0; j < 4; j++)
				if (!strcmp(v, strategy_names[j]))
					k = j;
			if (k < 0)
				return usage("unknown strategy '%s' (valid: random, pct, dfs, dpor)",
					     v);
			o->strategy = (enum strategy)k;
			break;
		}
		case OPT_DEPTH:
			if (parse_long(v, 1, IRQSIM_PCT_MAX_DEPTH, &n))
				return usage("bad PCT depth '%s' (1..16)", v);
			o->depth = (int)n;
			o->depth_given = true;
			break;
		case OPT_PREEMPTION_BOUND:
			if (parse_long(v, 0, 1000, &n))
				return usage("bad preemption bound '%s' (0..1000)", v);
			o->preemption_bound = (int)n;
			break;
		case OPT_MAX_STATES:
			if (parse_long(v, 1, 4000000000L, &n))
				return usage("bad state limit '%s' (1..4000000000)", v);
			o->max_states = (uint64_t)n;
			break;
		case OPT_MAX_MEMORY:
			if (parse_size(v, &o->max_memory))
				return usage("bad memory size '%s' (1M..1P: a number, optionally K, M, G or T)",
					     v);
			break;
		case OPT_JOBS:
			if (parse_long(v, 1, 64, &n))
				return usage("bad job count '%s' (1..64)", v);
			o->jobs = (int)n;
			break;
		case OPT_FRONTIER_DEPTH:
			if (parse_long(v, 1, 64, &n))
				return usage("bad frontier depth '%s' (1..64)", v);
			o->frontier_depth = (uint32_t)n;
			o->frontier_given = true;
			break;
		case OPT_SHARD: {
			char buf[64], *slash;
			uint64_t si, sn;

			snprintf(buf, sizeof(buf), "%s", v);
			slash = strchr(buf, '/');
			if (slash)
				*slash = 0;
			if (strlen(v) >= sizeof(buf) || !slash ||
			    infile_parse_u64(buf, 0, 99999, &si) ||
			    infile_parse_u64(slash + 1, 1, 100000, &sn) || si >= sn)
				return usage("bad shard '%s' (I/N with 0 <= I < N <= 100000)", v);
			o->shard_index = (uint32_t)si;
			o->shard_count = (uint32_t)sn;
			break;
		}
		case OPT_IGNORE:
			if (parse_ignore(v, o->ignore, sizeof(o->ignore)))
				return EXIT_USAGE;
			break;
		case OPT_SCHEDULE:
			o->schedule = v;
			break;
		case OPT_SAVE:
		case OPT_SAVE_DIR:
			o->save = v;
			break;
		case OPT_REPORT:
			o->report = v;
			break;
		case OPT_OUTPUT:
			if (o->output)
				return usage("-o given twice ('%s'): one output per command", v);
			o->output = v;
			break;
		case OPT_RENDER:
		case OPT_FORMAT:
			if (o->render >= 0)
				return usage("%s given twice: one format per command",
					     cli_options[i].name);
			o->render = trace_format_parse(v);
			if (o->render < 0) {
				fprintf(stderr, "irqsim: unknown format '%s' (valid: %s)\n",
					v, trace_format_list());
				return EXIT_USAGE;
			}
			break;
		case OPT_PROFILE:
			if (config_add_profile(&o->config, v, err, sizeof(err))) {
				fprintf(stderr, "irqsim: %s\n", err);
				return EXIT_USAGE;
			}
			break;
		case OPT_SET:
			if (config_add_setting(&o->config, v, err, sizeof(err))) {
				fprintf(stderr, "irqsim: %s\n", err);
				return EXIT_USAGE;
			}
			break;
		case OPT_NR:
			break;
		}
	}
	if (!commands[cmd].arg)
		return 0;
	if (!o->target)
		return usage("missing %s", commands[cmd].arg);
	return check_render_options(o, cmd != CMD_RENDER);
}

static int load_trace(struct session *ss, const char *path,
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

static int finish(struct session *ss, const struct options *o,
		  const struct irqsim_schedule *sc, uint64_t seed, bool seeded,
		  struct irqsim_run_result *res)
{
	struct repro r = { .kind = o->schedule ? REPRO_SCHEDULE :
				   seeded ? REPRO_SEED : REPRO_TRACE,
			   .seed = seed, .sc = sc };

	if (o->save && save_run(ss, o->save, seed, seeded, sc, res))
		return EXIT_USAGE;
	if (o->render >= 0) {
		struct irqsim_run_result rendered;
		struct outfile of;
		FILE *out = render_open(o, &of);

		if (!out)
			return EXIT_USAGE;
		if (render_schedule(ss, sc, o->render, out, render_where(o),
				    &rendered)) {
			render_close(out, &of, true);
			return EXIT_USAGE;
		}
		if (render_close(out, &of, false))
			return EXIT_USAGE;
	}
	print_verdict(stdout, ss, res);
	if (res->verdict.kind) {
		print_reproducer(stdout, "reproduce", &ss->s, &o->config,
				 &ss->ignore, &r);
		if (o->save)
			printf("  replay:    irqsim replay %s\n", o->save);
	}
	return res->verdict.kind ? EXIT_VIOLATION : EXIT_NONE;
}

/* --schedule 'T T*N ...': the words of a saved run's schedule lines. */
static int parse_schedule_option(const struct scenario *s, const char *text,
				 struct irqsim_schedule *sc)
{
	char *copy = strdup(text), *save = NULL, bad[64];
	int ret = 0;

	if (!copy) {
		fprintf(stderr, "irqsim: out of memory\n");
		return EXIT_USAGE;
	}
	for (char *w = strtok_r(copy, " \t\n", &save); w && !ret;
	     w = strtok_r(NULL, " \t\n", &save)) {
		int err = schedule_parse(s, w, sc, bad, sizeof(bad));

		if (err == -ENOMEM)
			fprintf(stderr, "irqsim: out of memory\n");
		else if (err == -E2BIG)
			fprintf(stderr, "irqsim: --schedule: longer than %d transitions\n",
				SCENARIO_MAX_SCHEDULE);
		else if (err)
			fprintf(stderr, "irqsim: --schedule: unknown transition '%s'\n",
				bad);
		ret = err ? EXIT_USAGE : 0;
	}
	if (!ret && !sc->n)
		ret = usage("%s", "--schedule needs one transition or more");
	free(copy);
	return ret;
}

static int cmd_run(int argc, char **argv)
{
	struct irqsim_schedule sc, fixed;
	struct irqsim_run_result res;
	struct irqsim_chooser ch;
	struct session ss;
	struct options o;
	int ret = parse_options(argc, argv, CMD_RUN, &o, NULL);

	if (ret)
		return ret;
	if (o.schedule && o.seed_given)
		return usage("%s", "--schedule and --seed: give one");
	irqsim_schedule_init(&fixed);
	irqsim_schedule_init(&sc);
	if ((ret = load_trace(&ss, o.target, &o.config)))
		goto out;
	if ((ret = session_ignore(&ss, o.ignore)))
		goto out;
	if (o.schedule && (ret = parse_schedule_option(&ss.s, o.schedule,
						       &fixed)))
		goto out;
	if (o.schedule)
		replay_chooser(&ch, &fixed, true);
	else if (ss.s.has_schedule && !o.seed_given)
		replay_chooser(&ch, &ss.s.schedule, true);
	else
		random_chooser(&ch, o.seed);
	session_run(&ss, &ch, &sc, NULL, &res);
	if (res.status == IRQSIM_RUN_NOMEM) {
		fprintf(stderr, "irqsim: out of memory\n");
		ret = EXIT_USAGE;
	} else if (res.status == IRQSIM_RUN_DIVERGED) {
		say_diverged(stderr, &ss, ss.s.file, ss.s.text, &res);
		ret = EXIT_USAGE;
	} else {
		ret = finish(&ss, &o, &sc, o.seed, !o.schedule &&
			     !(ss.s.has_schedule && !o.seed_given), &res);
	}
out:
	irqsim_schedule_free(&sc);
	irqsim_schedule_free(&fixed);
	session_close(&ss);
	return ret;
}

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

/* ------------------------------------------------------------------ */
/* explore                                                             */

/* What an exploration found, for the summary, --json and --report. */
struct explore_outcome {
	enum strategy strategy;
	bool found;
	uint64_t index;		/* sweep: global run; dfs: frontier entry */
	uint64_t seed;
	uint64_t runs, runs_done, steps;
	uint32_t pct_k;
	struct irqsim_dfs_stats st;
	struct irqsim_dpor_stats dst;
	size_t entries, entries_done;
	bool frontier;
	double seconds;
	struct irqsim_verdict verdict;
	int found_preemptions, shrunk_preemptions;
	size_t found_steps, shrunk_steps;
	bool shrunk;
	int interrupted;	/* the signal that stopped the search, or 0 */
	bool budget;		/* stopped at the memory budget */
	bool shrink_cut;	/* a signal stopped the shrinking part-way */
	uint64_t max_memory;
	uint32_t windows;	/* race windows some explored state opened */
	uint32_t possible;	/* the windows this trace can open */
};

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

static void dfs_progress(const struct irqsim_dfs_stats *st, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r\033[Kexplore dfs: %" PRIu64 " states, %" PRIu64 " distinct, %.0f states/s, depth %u",
		st->states, st->distinct,
		st->seconds > 0 ? (double)st->states / st->seconds : 0,
		st->max_depth);
}

static void session_rt(struct session *ss, struct irqsim_rt *rt)
{
	scenario_rt(&ss->s, ss->knobs, NULL, rt);
	scenario_ignore_rt(&ss->ignore, rt);
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

static int explore_dfs(struct session *ss, const struct options *o,
		       struct irqsim_schedule *sc, struct explore_outcome *out)
{
	struct irqsim_dfs_opts dopts = {
		.bound = ss->s.bound,
		.preemption_bound = o->preemption_bound,
		.sleep_sets = !o->no_por,	/* not under a preemption bound */
		.max_states = o->max_states,
		.max_bytes = (size_t)out->max_memory,
		.stop = &interrupted,
		.progress = progress_tty() ? dfs_progress : NULL,
	};
	struct irqsim_rt rt;
	int err;

	session_rt(ss, &rt);
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
		/* each worker has its own visited set */
		p.opts.max_bytes /= (size_t)o->jobs;
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
	if (err) {
		fprintf(stderr, "irqsim: out of memory after %" PRIu64 " states\n",
			out->st.distinct);
		return -1;
	}
	return 0;
}

static void dpor_progress(const struct irqsim_dpor_stats *st, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r\033[Kexplore dpor: %" PRIu64 " states, %" PRIu64 " schedules, %.0f states/s, depth %u",
		st->states, st->executions,
		st->seconds > 0 ? (double)st->states / st->seconds : 0,
		st->max_depth);
}

static int explore_dpor(struct session *ss, const struct options *o,
			struct irqsim_schedule *sc, struct explore_outcome *out)
{
	struct irqsim_dpor_opts dopts = {
		.bound = ss->s.bound,
		.max_states = o->max_states,
		.max_bytes = (size_t)out->max_memory,
		.stop = &interrupted,
		.progress = progress_tty() ? dpor_progress : NULL,
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
	fprintf(f, "dfs %s: %" PRIu64 " states, %" PRIu64 " distinct, %" PRIu64 " transitions, max depth %u, %.3f s, %.0f states/s, search memory %.1f MiB, peak RSS %.1f MiB",
		x->st.complete ? "complete" : "bounded", x->st.states,
		x->st.distinct, x->st.transitions, x->st.max_depth, x->seconds,
		x->seconds > 0 ? (double)x->st.states / x->seconds : 0,
		(double)x->st.peak_bytes / (1024.0 * 1024.0),
		(double)ru.ru_maxrss / 1024.0);
	if (o->no_por)
		fprintf(f, ", no reduction");
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
	fputc('\n', f);
}

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
static void print_windows(FILE *f, const char *indent, uint32_t reached,
			  uint32_t possible)
{
	char buf[256];

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

static void print_json(FILE *f, const struct session *ss,
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
	json_windows(f, x->windows, x->possible);
	fprintf(f, ",\"seconds\":%.3f}\n", x->seconds);
}

/*
 * A digest of every knob's value (profiles and --set applied), the
 * verdicts ignored, and the search's own settings.
 */
static uint64_t report_config(const struct session *ss,
			      const struct options *o)
{
	int64_t v[IRQSIM_MAX_KNOBS + 6];
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
static int write_report(const char *path, const struct session *ss,
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
		char buf[256];

		check_windows_format(mask, buf, sizeof(buf));
		fprintf(f, "windows-%s %s\n", i ? "possible" : "reached",
			buf[0] ? buf : "-");
	}
	if (x->found) {
		fputs("schedule ", f);
		schedule_print_words(&ss->s, sc, f);
		fputc('\n', f);
	}
	return outfile_close(&of, false);
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
		     x->strategy == STRATEGY_RANDOM, found, res))
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
	UNUSED(o->strategy != STRATEGY_DFS && o->frontier_given,
	       "--frontier-depth", "dfs");
#undef UNUSED
	if (o->strategy == STRATEGY_DFS && o->frontier_given && o->jobs == 1 &&
	    o->shard_count == 1)
		fprintf(stderr, "irqsim: warning: --frontier-depth applies to a split search (--jobs, --shard): ignored\n");
}

static int cmd_explore(int argc, char **argv)
{
	struct irqsim_schedule sc, shrunk;
	struct irqsim_run_result res;
	struct explore_outcome x = { 0 };
	struct session ss;
	struct options o;
	struct irqsim_rt rt;
	uint32_t found_steps = 0;
	long runs;
	int ret = parse_options(argc, argv, CMD_EXPLORE, &o, NULL);

	if (ret)
		return ret;
	warn_unused(&o);
	if ((ret = load_trace(&ss, o.target, &o.config)))
		goto out_session;
	if ((ret = session_ignore(&ss, o.ignore)))
		goto out_session;
	runs = o.runs > 0 ? o.runs : ss.s.runs;
	x.strategy = o.strategy;
	if (o.strategy == STRATEGY_DPOR && (o.jobs > 1 || o.shard_count > 1)) {
		ret = usage("%s", "--strategy dpor runs on one worker (no --jobs or --shard)");
		goto out_session;
	}
	irqsim_schedule_init(&sc);
	irqsim_schedule_init(&shrunk);
	x.max_memory = memory_budget(&o);
	catch_interrupts();
	if ((o.strategy == STRATEGY_DFS ? explore_dfs(&ss, &o, &sc, &x) :
	     o.strategy == STRATEGY_DPOR ? explore_dpor(&ss, &o, &sc, &x) :
					   explore_sweep(&ss, &o, runs, &sc, &x))) {
		ret = EXIT_USAGE;
		goto out;
	}
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
		else
			ret = x.found ? EXIT_VIOLATION : EXIT_NONE;
		print_json(stdout, &ss, &o, &x);
		goto out;
	}
	if (x.interrupted && !x.found)
		printf("explore: interrupted by %s\n", signal_name(x.interrupted));
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
		ret = EXIT_NONE;
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
			if (render_schedule(&ss, shown, o.render, rf,
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
		struct repro found = {
			.kind = o.strategy == STRATEGY_RANDOM ? REPRO_SEED :
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
	irqsim_schedule_free(&sc);
	irqsim_schedule_free(&shrunk);
	/*
	 * interrupted (maybe after the search's last check): the shell's
	 * status for it, once the files are out
	 */
	if (interrupted && ret != EXIT_USAGE)
		ret = 128 + interrupted;
out_session:
	session_close(&ss);
	return ret;
}

/* ------------------------------------------------------------------ */
/* merge                                                               */

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

static int cmd_merge(int argc, char **argv)
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

static int cmd_replay(int argc, char **argv, bool render_only)
{
	struct irqsim_run_result res;
	struct saved_session sr;
	struct options o;
	struct outfile of = { 0 };
	FILE *out = stdout;
	int ret = parse_options(argc, argv,
				render_only ? CMD_RENDER : CMD_REPLAY, &o, NULL);

	if (ret)
		return ret;
	if (render_only && o.render < 0)
		return usage("render needs --format %s",
			     "text|timeline|dot|svg|png|json");
	if ((ret = load_saved(&sr, o.target)))
		goto out;
	if ((render_only || o.render >= 0) && !(out = render_open(&o, &of))) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (render_only || o.render >= 0) {
		if (render_schedule(&sr.ss, &sr.schedule,
				    o.render < 0 ? TRACE_TEXT : o.render, out,
				    render_where(&o), &res)) {
			ret = EXIT_USAGE;
			goto out;
		}
	} else {
		struct irqsim_chooser ch;

		replay_chooser(&ch, &sr.schedule, false);
		session_run(&sr.ss, &ch, NULL, NULL, &res);
	}
	if (res.status == IRQSIM_RUN_DIVERGED) {
		char *text = read_text(o.target);

		say_diverged(stderr, &sr.ss, o.target, text, &res);
		free(text);
		ret = EXIT_USAGE;
		goto out;
	}
	if (!render_only) {
		print_verdict(stdout, &sr.ss, &res);
		if (sr.verdict_kind >= 0 && sr.verdict_kind != res.verdict.kind)
			printf("  note: the file recorded %s\n",
			       check_kind_name(sr.verdict_kind));
	}
	/* the same schedule, another verdict: the model changed under it */
	if (sr.verdict_kind >= 0 && sr.verdict_kind != res.verdict.kind &&
	    !o.allow_different) {
		fprintf(stderr, "%s: the replay diverged from the recorded verdict: recorded %s, now %s (--allow-different accepts it)\n",
			o.target, check_kind_name(sr.verdict_kind),
			check_kind_name(res.verdict.kind));
		ret = EXIT_USAGE;
		goto out;
	}
	ret = res.verdict.kind ? EXIT_VIOLATION : EXIT_NONE;
out:
	if (out && out != stdout &&
	    outfile_close(&of, ret == EXIT_USAGE) && ret != EXIT_USAGE)
		ret = EXIT_USAGE;
	irqsim_schedule_free(&sr.schedule);
	session_close(&sr.ss);
	return ret;
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
	char buf[256];

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
static int cmd_check(int argc, char **argv)
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
		/* expect KIND:OBJECT: that kind, about that object */
		hit = got == e->kind &&
		      (e->obj.type == CHECK_OBJ_NONE ||
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

/*
 * Where the traces are: $IRQSIM_TRACES; else, for an installed irqsim
 * (cmake --install, any prefix), PREFIX/share/irqsim/traces next to
 * PREFIX/bin/irqsim; else the source tree it was built from.
 */
static const char *trace_dir(char *buf, size_t len)
{
	const char *env = getenv("IRQSIM_TRACES");
	ssize_t n;
	char *slash;

	if (env)
		return env;
	n = readlink("/proc/self/exe", buf, len - 1);
	if (n > 0) {
		buf[n] = 0;
		slash = strrchr(buf, '/');
		if (slash && (size_t)(slash - buf) + 32 < len) {
			strcpy(slash, "/../share/irqsim/traces");
			if (!access(buf, R_OK | X_OK))
				return buf;
		}
	}
	return IRQSIM_TRACE_DIR;
}

static int list_traces(void)
{
	char buf[4096];
	const char *dir = trace_dir(buf, sizeof(buf));
	struct dirent **names;
	int n;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "irqsim: cannot read %s: %s\n", dir,
			strerror(errno));
		return EXIT_USAGE;
	}
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t len = strlen(nm);

		if (len > 6 && !strcmp(nm + len - 6, ".trace"))
			printf("%s/%s\n", dir, nm);
		free(names[i]);
	}
	free(names);
	return 0;
}

/*
 * cli_options[], a row a line: the name, its value (- for a flag), the
 * commands that take it and what it does.
 */
static int list_options(void)
{
	for (int i = 0; i < OPT_NR; i++) {
		const struct cli_option *c = &cli_options[i];
		char cmds[128] = "";

		for (int k = 0; k < CMD_NR; k++) {
			if (!option_takes(i, (enum command)k))
				continue;
			if (cmds[0])
				strcat(cmds, ",");
			strcat(cmds, commands[k].name);
		}
		printf("%-18s %-19s %-25s %s\n", c->name,
		       c->value ? c->value : "-", cmds, c->doc);
	}
	return 0;
}

#define LIST_WHAT "knobs, profiles, ops, directives, verdicts, windows, traces, options"

/* The names docs/trace-format.md documents: the first word of each line. */
static int cmd_list(int argc, char **argv)
{
	struct options o;
	const char *what;
	int ret = parse_options(argc, argv, CMD_LIST, &o, NULL);

	if (ret)
		return ret;
	if (o.nargs != 1)
		return usage("list needs one of: " LIST_WHAT, NULL);
	what = o.target;
	if (!strcmp(what, "ops")) {
		for (int i = 0; i < scenario_op_count(); i++)
			printf("%-22s %s\n", scenario_op_name(i),
			       scenario_op_doc(i));
		return 0;
	}
	if (!strcmp(what, "directives")) {
		for (int i = 0; i < scenario_directive_count(); i++) {
			const struct scenario_directive *d =
				scenario_directive_get(i);

			printf("%-9s %s: %s\n", d->name, d->args, d->doc);
		}
		return 0;
	}
	if (!strcmp(what, "verdicts")) {
		for (int k = 0; k < CHECK_NR_KINDS; k++)
			printf("%s\n", check_kind_name(k));
		return 0;
	}
	if (!strcmp(what, "windows")) {
		for (int i = 0; i < CHECK_NR_WINDOWS; i++) {
			uint32_t by = check_window_watchers(i);
			const char *sep = "";

			printf("%-18s %s; watched by ", check_window_name(i),
			       check_window_doc(i));
			for (int k = 1; k < CHECK_NR_KINDS; k++) {
				if (!(by & (1u << k)))
					continue;
				printf("%s%s", sep, check_kind_name(k));
				sep = ", ";
			}
			putchar('\n');
		}
		return 0;
	}
	if (!strcmp(what, "knobs")) {
		for (int k = 0; k < irqsim_knob_count(); k++) {
			const struct irqsim_knob *kn = irqsim_knob_get(k);
			char buf[16];

			printf("%-18s default %-4s %s\n", kn->name,
			       irqsim_knob_value_name(k, kn->def, buf,
						      sizeof(buf)),
			       kn->doc);
		}
		return 0;
	}
	if (!strcmp(what, "profiles")) {
		for (int p = 0; p < profile_count(); p++)
			printf("%-14s %-36s %s\n", profile_get(p)->name,
			       profile_get(p)->settings, profile_get(p)->doc);
		return 0;
	}
	if (!strcmp(what, "traces"))
		return list_traces();
	if (!strcmp(what, "options"))
		return list_options();
	return usage("list needs one of: " LIST_WHAT, NULL);
}

/*
 * IRQSIM_FAIL_ALLOC=N: the Nth allocation of irqsim's own fails (tests of
 * the out-of-memory paths, tests/cli/alloc-fail.cmake). At exit, stderr
 * says whether it did.
 */
static void alloc_fail_report(void)
{
	fprintf(stderr, "irqsim: IRQSIM_FAIL_ALLOC: %s (%lu allocations)\n",
		irqsim_alloc_failed() ? "failed one allocation" :
					"no allocation failed",
		irqsim_alloc_count());
}

static void alloc_fail_setup(void)
{
	const char *v = getenv("IRQSIM_FAIL_ALLOC");
	long n;

	if (!v || parse_long(v, 1, 1000000000, &n))
		return;
	irqsim_alloc_fail_nth((unsigned long)n);
	atexit(alloc_fail_report);
}

/*
 * --strategy dpor needs footprints, which only the instrumented twin
 * records (sched/footprint.h): the plain tool runs it in its place, from
 * beside itself (the build tree) or from libexec/irqsim (an install), or
 * from $IRQSIM_FP. Returns only if there is no twin.
 */
static void exec_twin(char **argv)
{
	static const char *const rel[] = { "irqsim-fp",
					   "../libexec/irqsim/irqsim-fp" };
	const char *env = getenv("IRQSIM_FP");
	char self[4096], path[4200];
	ssize_t n;

	if (env && *env) {
		execv(env, argv);
		fprintf(stderr, "irqsim: cannot run IRQSIM_FP=%s: %s\n", env,
			strerror(errno));
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return;
	self[n] = '\0';
	if (strrchr(self, '/'))
		*strrchr(self, '/') = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", self, rel[i]);
		if (access(path, X_OK) == 0)
			execv(path, argv);
	}
}

/*
 * Does explore's command line ask for --strategy dpor (the last
 * --strategy, as parse_options() reads it)? A first parse, for the
 * options' values only: cmd_explore() parses again, and says what is
 * wrong with a command line this one stops at.
 */
static bool wants_dpor(int argc, char **argv)
{
	struct option_parser p;
	char msg[SCENARIO_ERR];
	const char *v;
	bool dpor = false;
	int i;

	parser_init(&p, argc, argv, CMD_EXPLORE);
	while ((i = next_option(&p, &v, msg, sizeof(msg))) != ARG_END) {
		if (i == ARG_BAD)
			return false;
		if (i == OPT_STRATEGY)
			dpor = !strcmp(v, "dpor");
	}
	return dpor;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	/* past a file size limit a write fails (EFBIG): said, not killed */
	signal(SIGXFSZ, SIG_IGN);
	if (argc > 2 && !strcmp(argv[1], "explore") && wants_dpor(argc, argv) &&
	    !irqsim_fp_available())
		exec_twin(argv);
	alloc_fail_setup();
	scenario_init();
	if (argc < 2)
		return usage(NULL, NULL);
	/* "irqsim explore --help" as well as "irqsim --help", not "-- --help" */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return 0;
		}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc, argv);
	if (!strcmp(argv[1], "explore"))
		return cmd_explore(argc, argv);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc, argv, false);
	if (!strcmp(argv[1], "render"))
		return cmd_replay(argc, argv, true);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc, argv);
	if (!strcmp(argv[1], "merge"))
		return cmd_merge(argc, argv);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc, argv);
	if (!strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage("unknown command '%s'", argv[1]);
}
