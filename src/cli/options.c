// SPDX-License-Identifier: MIT
/*
 * The command line: the usage, the commands, and ONE table of options
 * (cli_options[]) that getopt_long(3) parses with.
 */
#include "cli/internal.h"
#include "cli/infile.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char usage_text[] =
	"usage:\n"
	"  irqsim run TRACE [--seed N | --schedule 'T T*N ...'] [--profile NAME]...\n"
	"                   [--set KNOB=VALUE]... [--ignore KIND,...] [--save FILE]\n"
	"                   [--render FORMAT [-o OUT] [--width N]]\n"
	"  irqsim explore TRACE [--strategy random|pct|dfs|dpor] [--runs N] [--seed N]\n"
	"                   [--depth D] [--preemption-bound N] [--max-states N]\n"
	"                   [--max-memory SIZE] [--no-por] [--no-shrink] [--jobs N]\n"
	"                   [--shard I/N]\n"
	"                   [--frontier-depth D] [--report FILE] [--json]\n"
	"                   [--profile NAME]... [--set KNOB=VALUE]... [--ignore KIND,...]\n"
	"                   [--save FILE] [--render FORMAT [-o OUT] [--width N]]\n"
	"  irqsim merge REPORT...      combine the reports of --shard runs\n"
	"  irqsim replay FILE [--allow-different]\n"
	"                   [--render FORMAT [-o OUT] [--width N]]\n"
	"  irqsim render FILE --format FORMAT [-o OUT] [--width N] [--allow-different]\n"
	"                   FORMAT: text, timeline, changelog, dot, svg, png, json\n"
	"                   (dot, svg, png, json: a whole file; with --render, -o OUT)\n"
	"  irqsim check TRACE [--runs N] [--save DIR]   run the trace's expect lines\n"
	"  irqsim list knobs|profiles|ops|directives|verdicts|windows|traces|options\n"
	"exit status: 0 no violation, 1 violation, 2 bad usage or input\n";

int usage(const char *fmt, const char *arg)
{
	if (fmt) {
		fprintf(stderr, "irqsim: ");
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

const char *const strategy_names[] = {
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
	OPT_WIDTH,
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
		"also draw the run: text, timeline, changelog, dot, svg, png, json (render: --format)" },
	[OPT_FORMAT] = { "--format", "FORMAT", ON(RENDER),
		"draw the saved run as text, timeline, changelog, dot, svg, png or json" },
	[OPT_WIDTH] = { "--width", "N",
		ON(RUN) | ON(EXPLORE) | ON(REPLAY) | ON(RENDER),
		"timeline, changelog: lines of at most N characters, 50..1000; default 75" },
	[OPT_OUTPUT] = { "-o", "OUT",
		ON(RUN) | ON(EXPLORE) | ON(REPLAY) | ON(RENDER),
		"where --render or --format writes; default standard output" },
	[OPT_ALLOW_DIFFERENT] = { "--allow-different", NULL,
		ON(REPLAY) | ON(RENDER),
		"a verdict other than the saved one is no divergence" },
};

/*
 * -o needs a format; a whole document (dot, svg, png, json) from a command
 * that also prints its summary needs -o; png is not for a terminal.
 */
static int check_render_options(const struct options *o, bool summary)
{
	if (o->output && o->render < 0)
		return usage("-o %s needs --render FORMAT", o->output);
	if (o->width && !trace_format_has_width(o->render))
		return usage("--width needs --render (render: --format) timeline or changelog",
			     NULL);
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

int parse_long(const char *v, long lo, long hi, long *out)
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

/*
 * The command line of @cmd into @o: its one argument in o->target (and
 * every argument in @args, which has room for argc, if not NULL).
 */
int parse_options(int argc, char **argv, enum command cmd,
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
		case OPT_WIDTH:
			if (parse_long(v, TRACE_WIDTH_MIN, TRACE_WIDTH_MAX, &n))
				return usage("bad width '%s' (50..1000)", v);
			o->width = (int)n;
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

/*
 * cli_options[], a row a line: the name, its value (- for a flag), the
 * commands that take it and what it does.
 */
int list_options(void)
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

/*
 * Does explore's command line ask for --strategy dpor (the last
 * --strategy, as parse_options() reads it)? A first parse, for the
 * options' values only: cmd_explore() parses again, and says what is
 * wrong with a command line this one stops at.
 */
bool wants_dpor(int argc, char **argv)
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
