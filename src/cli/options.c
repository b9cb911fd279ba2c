// SPDX-License-Identifier: MIT
/*
 * The command line: the usage, the commands, and ONE table of options
 * (cli_options[]) that getopt_long(3) parses with.
 */
#include "cli/internal.h"
#include "cli/infile.h"
#include "cli/suggest.h"
#include "cli/version.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The commands: the argument each takes, its synopsis after "irqsim NAME"
 * and one line of what it does. irqsim --help prints them with the
 * options cli_options[] gives each (print_help()).
 */
static const struct command_info {
	const char *name;
	const char *arg;	/* its one argument, for "missing TRACE";
				 * NULL: any number, which it checks */
	const char *synopsis;
	const char *doc;
} commands[CMD_NR] = {
	[CMD_RUN] = { "run", "TRACE", "TRACE [OPTION]...",
		"run one schedule of TRACE and judge it; TRACE is a file, or the name of a trace irqsim list traces shows" },
	[CMD_EXPLORE] = { "explore", "TRACE", "TRACE [OPTION]...",
		"search the schedules of TRACE for a violation, and shrink the one found" },
	[CMD_MERGE] = { "merge", NULL, "REPORT...",
		"combine the reports (--report) of the shards (--shard) of one exploration" },
	[CMD_REPLAY] = { "replay", "FILE", "FILE [OPTION]... | --log LOG [FILE] [OPTION]...",
		"run a saved run (--save) again, byte for byte, and judge it; with --log, compare a run's events with a log's" },
	[CMD_RENDER] = { "render", "FILE", "FILE --format FORMAT [OPTION]...",
		"draw a saved run" },
	[CMD_CHECK] = { "check", "TRACE", "TRACE [OPTION]...",
		"run the trace's expect lines, with the race windows each search opened" },
	[CMD_LIST] = { "list", NULL, "KIND [OPTION]...",
		"print what irqsim knows, a line each: KIND is " LIST_KINDS },
	[CMD_IMPORT] = { "import", "LOG", "LOG [OPTION]...",
		"make a trace of a QEMU trace log or kernel ftrace text: its actors and programs, and a fixed schedule that orders the model's steps as the log orders its events" },
};

/* The commands that are no command line of their own (main.c). */
static const struct {
	const char *name, *synopsis, *doc;
} other_commands[] = {
	{ "help", "help [COMMAND]", "this help, or one command's (also --help)" },
	{ "version", "version", "irqsim's version (also --version)" },
};

#define ON(cmd) (1u << CMD_##cmd)
#define ON_ALL ((1u << CMD_NR) - 1)

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
	OPT_TRANSACTIONS,
	OPT_BITSTATE,
	OPT_DISTRIBUTED,
	OPT_CHECKPOINT,
	OPT_CHECKPOINT_EVERY,
	OPT_RESUME,
	OPT_NO_SHRINK,
	OPT_JOBS,
	OPT_SHARD,
	OPT_FRONTIER_DEPTH,
	OPT_REPORT,
	OPT_JSON,
	OPT_STATE_PROFILE,
	OPT_UNREACHED,
	OPT_PROFILE,
	OPT_SET,
	OPT_IGNORE,
	OPT_ONLY,
	OPT_SAVE,
	OPT_SAVE_DIR,
	OPT_RENDER,
	OPT_FORMAT,
	OPT_WIDTH,
	OPT_FULL_RUN,
	OPT_OUTPUT,
	OPT_ALLOW_DIFFERENT,
	OPT_LOG,
	OPT_COMPLETE,
	OPT_LOG_FORMAT,
	OPT_IMPORT_OUTPUT,
	OPT_NEAR_SCHEDULE,
	OPT_NAMES,
	OPT_MAN,
	OPT_HELP,
	OPT_VERSION,
	OPT_NR,
};

/*
 * ONE table of options: getopt_long(3) parses with it, the commands read
 * what it found, irqsim --help and irqsim list options print it, irqsim
 * list options --man prints irqsim(1)'s OPTIONS section from it, and
 * tests/cli/options-doc.cmake checks the usage, irqsim(1) and the bash
 * completion (which reads irqsim list options) against it.
 */
static const struct cli_option {
	const char *name;	/* as typed: "--seed", or "-o" (one letter) */
	const char *value;	/* its value as the docs name it; NULL: a flag */
	unsigned int commands;	/* ON() of each command that takes it */
	const char *doc;	/* one line: what it does, what its value is */
} cli_options[OPT_NR] = {
	[OPT_SEED] = { "--seed", "N", ON(RUN) | ON(EXPLORE),
		"the random schedule's seed (run), the first seed (explore); default 0" },
	[OPT_SCHEDULE] = { "--schedule", "SCHEDULE", ON(RUN),
		"run these transitions in order: the words of a saved run's schedule lines, e.g. 'nic0 vcpu0*15 cpu1:irq'" },
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
	[OPT_TRANSACTIONS] = { "--transactions", NULL, ON(EXPLORE),
		"dfs: run what a lock holder does under its locks as one step where locksets show nothing else touches it (Lipton; runs in irqsim-fp)" },
	[OPT_BITSTATE] = { "--bitstate", NULL, ON(EXPLORE),
		"dfs: mark states in a bit array (--max-memory, default 256 MiB) instead of storing them: more states, no proof (SPIN's supertrace)" },
	[OPT_DISTRIBUTED] = { "--distributed", NULL, ON(EXPLORE),
		"dfs: one search over the ranks of an MPI job started by mpirun or srun, each rank owning a part of the states; runs in irqsim-mpi" },
	[OPT_CHECKPOINT] = { "--checkpoint", "FILE", ON(EXPLORE),
		"dfs: write the search's state to FILE every --checkpoint-every and when a signal or --max-states stops it, for --resume" },
	[OPT_CHECKPOINT_EVERY] = { "--checkpoint-every", "DURATION", ON(EXPLORE),
		"dfs with --checkpoint: how often, a number with s, m or h (90s, 10m, 2h); default 10m" },
	[OPT_RESUME] = { "--resume", "FILE", ON(EXPLORE),
		"dfs: go on with the search the checkpoint FILE holds (same trace and options) to the result the whole search gives" },
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
	[OPT_STATE_PROFILE] = { "--state-profile", "FILE", ON(EXPLORE),
		"dfs: where its states come from, its branching, its bytes per state, to FILE (-: stderr)" },
	[OPT_UNREACHED] = { "--unreached", NULL, ON(EXPLORE),
		"after the search, each modeled function's program points no schedule reached (SPIN's unreached; runs in irqsim-fp)" },
	[OPT_PROFILE] = { "--profile", "NAME", ON(RUN) | ON(EXPLORE) | ON(IMPORT),
		"apply a profile (irqsim list profiles); repeatable, in order" },
	[OPT_SET] = { "--set", "KNOB=VALUE", ON(RUN) | ON(EXPLORE) | ON(IMPORT),
		"set a knob (irqsim list knobs); repeatable, later settings win" },
	[OPT_IGNORE] = { "--ignore", "KIND[:OBJECT],...", ON(RUN) | ON(EXPLORE),
		"do not report these verdicts (irqsim list verdicts), or only about OBJECT" },
	[OPT_ONLY] = { "--only", "OBJECT", ON(RUN) | ON(EXPLORE),
		"judge only the verdicts about OBJECT (a device, device.VECTOR or irqN): another's never ends the search" },
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
	[OPT_FULL_RUN] = { "--full-run", NULL,
		ON(RUN) | ON(EXPLORE) | ON(REPLAY) | ON(RENDER),
		"dot, svg, png: draw every step of the run, not only the violation's causal slice" },
	[OPT_OUTPUT] = { "-o", "OUT",
		ON(RUN) | ON(EXPLORE) | ON(REPLAY) | ON(RENDER),
		"where --render or --format writes; default standard output" },
	[OPT_ALLOW_DIFFERENT] = { "--allow-different", NULL,
		ON(REPLAY) | ON(RENDER),
		"a verdict other than the saved one is no divergence" },
	[OPT_LOG] = { "--log", "LOG", ON(REPLAY),
		"run FILE (a trace with a schedule, or a saved run; without FILE, what irqsim import makes of LOG) and compare its events with LOG's one by one" },
	[OPT_COMPLETE] = { "--complete", NULL, ON(IMPORT) | ON(REPLAY),
		"the log was not cut: the run may log none of its events after the log's last line" },
	[OPT_LOG_FORMAT] = { "--format", "qemu-log|ftrace", ON(IMPORT),
		"the log's format: QEMU's trace output (its log backend, simpletrace.py) or ftrace text (the trace file, trace-cmd report); default from its first event line" },
	[OPT_IMPORT_OUTPUT] = { "-o", "TRACE", ON(IMPORT),
		"write the trace to TRACE (what is said goes to stdout then); default standard output" },
	[OPT_NEAR_SCHEDULE] = { "--near-schedule", NULL, ON(EXPLORE),
		"search the neighbours of the trace's fixed schedule first: dfs from each of its prefixes, longest first (--preemption-bound, default 2), then random or pct runs from them" },
	[OPT_NAMES] = { "--names", NULL, ON(LIST),
		"only the names, one a line, for scripts" },
	[OPT_MAN] = { "--man", NULL, ON(LIST),
		"with options: the table as irqsim(1)'s OPTIONS section (troff)" },
	[OPT_HELP] = { "--help", NULL, ON_ALL,
		"print the command's synopsis and options, and exit" },
	[OPT_VERSION] = { "--version", NULL, ON_ALL,
		"print irqsim's version (and git describe of its tree), and exit" },
};

/* The command whose options are parsed, for usage(); CMD_NR: none. */
static enum command usage_command = CMD_NR;

int usage(const char *fmt, const char *arg)
{
	enum command c = usage_command;

	if (!fmt) {
		print_synopses(stderr);
		return EXIT_USAGE;
	}
	fprintf(stderr, "irqsim: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	if (c < CMD_NR)
		fprintf(stderr, "usage: irqsim %s %s (irqsim %s --help: its options)\n",
			commands[c].name, commands[c].synopsis,
			commands[c].name);
	else
		fprintf(stderr, "see 'irqsim --help'\n");
	return EXIT_USAGE;
}

const char *const strategy_names[] = {
	[STRATEGY_RANDOM] = "random",
	[STRATEGY_PCT] = "pct",
	[STRATEGY_DFS] = "dfs",
	[STRATEGY_DPOR] = "dpor",
};

int command_lookup(const char *name)
{
	for (int i = 0; i < CMD_NR; i++)
		if (!strcmp(name, commands[i].name))
			return i;
	return -1;
}

static const char *command_name(int i, const void *ctx)
{
	(void)ctx;
	if (i < CMD_NR)
		return commands[i].name;
	i -= CMD_NR;
	return (size_t)i < ARRAY_SIZE(other_commands) ? other_commands[i].name :
							 NULL;
}

/* "unknown command 'rn' (did you mean 'run'?)": exit status 2. */
int unknown_command(const char *name)
{
	int n = CMD_NR + (int)ARRAY_SIZE(other_commands);
	char msg[256];

	fprintf(stderr, "irqsim: %s\n",
		suggest_unknown(msg, sizeof(msg), "command", name,
				suggest(name, command_name, NULL, n),
				"--help"));
	return EXIT_USAGE;
}

static bool option_takes(int i, enum command cmd)
{
	return cli_options[i].commands & (1u << cmd);
}

/* Every command takes it (--help, --version): not a command's own. */
static bool option_global(int i)
{
	return cli_options[i].commands == ON_ALL;
}

#define HELP_WIDTH 79
#define HELP_DOC_COLUMN 30

/*
 * @text from column @at (where the cursor is), wrapped at HELP_WIDTH
 * with the lines after the first indented to @col, then a newline.
 */
static void print_wrapped(FILE *f, const char *text, int at, int col)
{
	int x = at;
	bool first = true;

	while (*text) {
		size_t w = strcspn(text, " ");

		if (!first && x + 1 + (int)w > HELP_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			x = col;
		} else if (!first) {
			fputc(' ', f);
			x++;
		}
		fwrite(text, 1, w, f);
		x += (int)w;
		first = false;
		text += w;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

/* "    --seed N    the random ...": one option of the help. */
static void print_option_help(FILE *f, const struct cli_option *c)
{
	int n = fprintf(f, "    %s%s%s", c->name, c->value ? " " : "",
			c->value ? c->value : "");

	if (n + 2 > HELP_DOC_COLUMN) {
		fputc('\n', f);
		n = 0;
	}
	fprintf(f, "%*s", HELP_DOC_COLUMN - n, "");
	print_wrapped(f, c->doc, HELP_DOC_COLUMN, HELP_DOC_COLUMN);
}

static void print_command_help(FILE *f, enum command cmd)
{
	fprintf(f, "  irqsim %s %s\n    ", commands[cmd].name,
		commands[cmd].synopsis);
	print_wrapped(f, commands[cmd].doc, 4, 4);
	for (int i = 0; i < OPT_NR; i++)
		if (option_takes(i, cmd) && !option_global(i))
			print_option_help(f, &cli_options[i]);
}

static void print_help_footer(FILE *f)
{
	char line[256];

	snprintf(line, sizeof(line), "FORMAT: %s (dot, svg, png, json: a whole file; with --render, -o OUT)",
		 trace_format_list());
	print_wrapped(f, line, 0, 8);
	fprintf(f, "every command takes:\n");
	for (int i = 0; i < OPT_NR; i++)
		if (option_global(i))
			print_option_help(f, &cli_options[i]);
	fprintf(f, "exit status: 0 no violation, 1 violation, 2 bad usage or input\n");
}

/*
 * irqsim --help (@cmd CMD_NR: every command) or irqsim COMMAND --help:
 * the synopsis of each command and its options, from the tables above.
 */
void print_help(FILE *f, int cmd)
{
	char line[256];

	snprintf(line, sizeof(line), "%s: a deterministic simulator of Linux x86 interrupt vectors, MSI-X, VFIO and QEMU/KVM interrupt races",
		 irqsim_version());
	print_wrapped(f, line, 0, 2);
	fprintf(f, "\nusage:\n");
	for (int c = 0; c < CMD_NR; c++)
		if (cmd == CMD_NR || cmd == c)
			print_command_help(f, (enum command)c);
	if (cmd == CMD_NR)
		for (size_t i = 0; i < ARRAY_SIZE(other_commands); i++) {
			int n = fprintf(f, "  irqsim %s",
					other_commands[i].synopsis);

			fprintf(f, "%*s", n + 2 > HELP_DOC_COLUMN ? 2 :
					  HELP_DOC_COLUMN - n, "");
			print_wrapped(f, other_commands[i].doc,
				      HELP_DOC_COLUMN, HELP_DOC_COLUMN);
		}
	print_help_footer(f);
}

/* One line a command: what irqsim with no argument prints. */
void print_synopses(FILE *f)
{
	fprintf(f, "usage:\n");
	for (int c = 0; c < CMD_NR; c++)
		fprintf(f, "  irqsim %s %s\n", commands[c].name,
			commands[c].synopsis);
	for (size_t i = 0; i < ARRAY_SIZE(other_commands); i++)
		fprintf(f, "  irqsim %s\n", other_commands[i].synopsis);
	fprintf(f, "'irqsim --help' describes every command and option\n");
}

/* irqsim list commands: a command a line, with what it does. */
int list_commands(bool names)
{
	for (int c = 0; c < CMD_NR; c++) {
		if (names) {
			printf("%s\n", commands[c].name);
			continue;
		}
		printf("%-8s ", commands[c].name);
		print_wrapped(stdout, commands[c].doc, 9, 9);
	}
	for (size_t i = 0; i < ARRAY_SIZE(other_commands); i++) {
		if (names)
			printf("%s\n", other_commands[i].name);
		else
			printf("%-8s %s\n", other_commands[i].name,
			       other_commands[i].doc);
	}
	return 0;
}

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
	if (o->full_run && !trace_format_is_diagram(o->render))
		return usage("--full-run needs --render (render: --format) dot, svg or png",
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

struct option_names {
	const struct option_parser *p;
};

/* The @i-th row's name if the parser's command takes it. */
static const char *command_option_name(int i, const void *ctx)
{
	const struct option_names *on = ctx;

	return option_takes(i, on->p->cmd) ? cli_options[i].name : NULL;
}

/*
 * "option --sed is not valid here": with the command that takes it
 * when another one does, else the option of this command it is a typo
 * of, if one is close.
 */
static void not_valid_here(const struct option_parser *p, const char *a,
			   size_t n, char *msg, size_t len)
{
	struct option_names on = { .p = p };
	char name[64], takers[128] = "";
	const char *best;
	size_t at;

	snprintf(name, sizeof(name), "%.*s", (int)n, a);
	at = (size_t)snprintf(msg, len, "option %s is not valid here", name);
	for (int i = 0; i < OPT_NR; i++) {
		if (strcmp(cli_options[i].name, name))
			continue;
		for (int k = 0; k < CMD_NR; k++) {
			if (!option_takes(i, (enum command)k) ||
			    strstr(takers, commands[k].name))
				continue;
			if (takers[0])
				strcat(takers, ", ");
			strcat(takers, commands[k].name);
		}
	}
	if (takers[0] && at < len) {
		snprintf(msg + at, len - at, " (for %s)", takers);
		return;
	}
	best = suggest(name, command_option_name, &on, OPT_NR);
	if (best && at < len)
		snprintf(msg + at, len - at, " (did you mean '%s'?)", best);
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
		not_valid_here(p, a, n, msg, len);
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

/* A verdict one can ignore: not none. */
static const char *verdict_name(int k, const void *ctx)
{
	(void)ctx;
	return k ? check_kind_name(k) : NULL;
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
			char msg[256];

			fprintf(stderr, "irqsim: --ignore: %s\n",
				suggest_unknown(msg, sizeof(msg), "verdict", k,
						suggest(k, verdict_name, NULL,
							CHECK_NR_KINDS),
						"list verdicts"));
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

/* DURATION: a number of seconds, minutes or hours (90s, 10m, 2h). */
static int parse_duration(const char *v, double *out)
{
	size_t len = strlen(v);
	uint64_t n, unit;
	char num[32];

	if (len < 2 || len >= sizeof(num))
		return -1;
	switch (v[len - 1]) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	default: return -1;
	}
	snprintf(num, sizeof(num), "%.*s", (int)(len - 1), v);
	/* up to a year */
	if (infile_parse_u64(num, 0, 366 * 24 * 3600 / unit, &n))
		return -1;
	*out = (double)(n * unit);
	return 0;
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
	o->checkpoint_seconds = 600;
	usage_command = cmd;
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
		case OPT_TRANSACTIONS:
			o->transactions = true;
			break;
		case OPT_BITSTATE:
			o->bitstate = true;
			break;
		case OPT_DISTRIBUTED:
			o->distributed = true;
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
		case OPT_FULL_RUN:
			o->full_run = true;
			break;
		case OPT_NAMES:
			o->names = true;
			break;
		case OPT_LOG:
			o->log = v;
			break;
		case OPT_COMPLETE:
			o->complete = true;
			break;
		case OPT_NEAR_SCHEDULE:
			o->near_schedule = true;
			break;
		case OPT_LOG_FORMAT:
			o->log_format = trace_log_format_parse(v);
			if (o->log_format < 0)
				return usage("unknown log format '%s' (valid: qemu-log, ftrace)",
					     v);
			break;
		case OPT_MAN:
			o->man = true;
			break;
		case OPT_HELP:
			/* main() answers --help; this is an abbreviation */
			print_help(stdout, cmd);
			fflush(stdout);
			exit(EXIT_NONE);
		case OPT_VERSION:
			printf("%s\n", irqsim_version());
			fflush(stdout);
			exit(EXIT_NONE);
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
			o->strategy_given = true;
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
		case OPT_ONLY:
			if (o->only)
				return usage("--only given twice ('%s'): one object per run", v);
			o->only = v;
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
		case OPT_UNREACHED:
			o->unreached = true;
			break;
		case OPT_STATE_PROFILE:
			o->state_profile = v;
			break;
		case OPT_CHECKPOINT:
			o->checkpoint = v;
			break;
		case OPT_CHECKPOINT_EVERY:
			if (parse_duration(v, &o->checkpoint_seconds))
				return usage("bad duration '%s' (a number with s, m or h: 90s, 10m, 2h)",
					     v);
			o->checkpoint_every = v;
			break;
		case OPT_RESUME:
			o->resume = v;
			break;
		case OPT_OUTPUT:
		case OPT_IMPORT_OUTPUT:
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
	if (!o->target) {
		/* replay --log LOG: FILE is what irqsim import makes of LOG */
		if (cmd == CMD_REPLAY && o->log)
			return check_render_options(o, true);
		return usage("missing %s", commands[cmd].arg);
	}
	/* o->target may point into o: o is not to be copied */
	if (!strcmp(commands[cmd].arg, "TRACE")) {
		o->target = trace_resolve(o->target, o->trace_path,
					  sizeof(o->trace_path));
		/* a bare name that is no file and no trace's name */
		if (o->target != o->trace_path && !strchr(o->target, '/') &&
		    access(o->target, F_OK) && errno == ENOENT)
			return trace_unknown(o->target);
	}
	if (cmd == CMD_IMPORT)
		return 0;
	return check_render_options(o, cmd != CMD_RENDER);
}

/* @s in troff: an option word's '-' as \-, a backslash as \e. */
static void man_text(FILE *f, const char *s)
{
	bool word = false;

	for (const char *p = s; *p; p++) {
		if (p == s || p[-1] == ' ' || p[-1] == '(' || p[-1] == '\'')
			word = *p == '-';
		if (*p == '-' && word)
			fputs("\\-", f);
		else if (*p == '\\')
			fputs("\\e", f);
		else
			fputc(*p, f);
	}
}

/*
 * irqsim(1)'s OPTIONS section: each row of cli_options[] as a tagged
 * paragraph, with the commands that take it. dist/irqsim.1 holds this
 * text, and tests/cli/options-doc.cmake checks that it still does.
 */
static int list_options_man(void)
{
	printf(".SH OPTIONS\n");
	printf("Generated from the table irqsim parses its options with\n");
	printf(".RB ( \"irqsim list options \\-\\-man\" );\n");
	printf("each option names the commands that take it.\n");
	for (int i = 0; i < OPT_NR; i++) {
		const struct cli_option *c = &cli_options[i];
		const char *sep = "";

		printf(".TP\n%s ", c->value ? ".BI" : ".B");
		man_text(stdout, c->name);
		if (c->value) {
			printf(" \" ");
			man_text(stdout, c->value);
			printf("\"");
		}
		printf("\n");
		if (option_global(i)) {
			printf("(every command) ");
		} else {
			printf("(");
			for (int k = 0; k < CMD_NR; k++) {
				if (!option_takes(i, (enum command)k))
					continue;
				printf("%s\\fB%s\\fR", sep, commands[k].name);
				sep = ", ";
			}
			printf(") ");
		}
		man_text(stdout, c->doc);
		printf(".\n");
	}
	return 0;
}

/*
 * cli_options[], a row a line: the name, its value (- for a flag), the
 * commands that take it and what it does; or only the names; or the man
 * page's section.
 */
int list_options(bool names, bool man)
{
	if (man)
		return list_options_man();
	for (int i = 0; i < OPT_NR; i++) {
		const struct cli_option *c = &cli_options[i];
		char cmds[128] = "";
		bool again = false;

		if (names) {
			for (int j = 0; j < i; j++)
				again |= !strcmp(cli_options[j].name, c->name);
			if (!again)
				printf("%s\n", c->name);
			continue;
		}
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
 * Which build explore's command line needs: the MPI build for
 * --distributed; the instrumented twin for --strategy dpor (the last
 * --strategy, as parse_options() reads it), --transactions or
 * --unreached; else this one. A first parse, for the options' values
 * only: cmd_explore() parses again, and says what is wrong with a
 * command line this one stops at (or that asks for both).
 */
enum build_wanted wanted_build(int argc, char **argv)
{
	struct option_parser p;
	char msg[SCENARIO_ERR];
	const char *v;
	bool dpor = false, tx = false, unreached = false, mpi = false;
	int i;

	parser_init(&p, argc, argv, CMD_EXPLORE);
	while ((i = next_option(&p, &v, msg, sizeof(msg))) != ARG_END) {
		if (i == ARG_BAD)
			return BUILD_THIS;
		if (i == OPT_STRATEGY)
			dpor = !strcmp(v, "dpor");
		if (i == OPT_TRANSACTIONS)
			tx = true;
		if (i == OPT_UNREACHED)
			unreached = true;
		if (i == OPT_DISTRIBUTED)
			mpi = true;
	}
	if (mpi)
		return BUILD_MPI;
	return dpor || tx || unreached ? BUILD_TWIN : BUILD_THIS;
}
