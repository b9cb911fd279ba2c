// SPDX-License-Identifier: MIT
/* The irqsim command. */
#include "cli/scenario.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IRQSIM_TRACE_DIR
#define IRQSIM_TRACE_DIR "traces"
#endif

#define EXIT_NONE 0
#define EXIT_VIOLATION 1
#define EXIT_USAGE 2
#define SAVE_FORMAT_VERSION 1

static const char usage_text[] =
	"usage:\n"
	"  irqsim run TRACE [--seed N] [--profile NAME]... [--set KNOB=VALUE]...\n"
	"                   [--save FILE] [--render FORMAT [-o OUT]]\n"
	"  irqsim explore TRACE [--strategy random] [--runs N] [--seed N]\n"
	"                   [--profile NAME]... [--set KNOB=VALUE]... [--save FILE]\n"
	"                   [--render FORMAT [-o OUT]]\n"
	"  irqsim replay FILE [--render FORMAT [-o OUT]]\n"
	"  irqsim render FILE --format FORMAT [-o OUT]\n"
	"                   FORMAT: text, timeline, dot, svg, png, json\n"
	"                   (dot, svg, png, json: a whole file; with --render, -o OUT)\n"
	"  irqsim check TRACE          run the trace's expect lines\n"
	"  irqsim list knobs|profiles|traces\n"
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

struct options {
	const char *target;
	uint64_t seed;
	bool seed_given;
	long runs;
	const char *save;
	const char *output;
	int render;
	struct scenario_config config;
};

/* One loaded scenario with its knobs and its world after setup. */
struct session {
	struct scenario s;
	uint32_t ignore;
	int knobs[IRQSIM_MAX_KNOBS];
	struct vmm_world *init;
	struct vmm_world *w;
};

static int session_open(struct session *ss, const struct scenario_config *extra)
{
	char err[SCENARIO_ERR];

	config_apply(ss->knobs, &ss->s.config, extra);
	ss->init = malloc(sizeof(*ss->init));
	ss->w = malloc(sizeof(*ss->w));
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

/* One schedule from the initial world. */
static void session_run(struct session *ss, struct irqsim_chooser *ch,
			struct irqsim_schedule *record, struct irqsim_log *log,
			struct irqsim_run_result *res)
{
	struct irqsim_rt rt;

	scenario_rt(&ss->s, ss->knobs, log, &rt);
	rt.ignore = ss->ignore;
	memcpy(ss->w, ss->init, sizeof(*ss->w));
	irqsim_run(&scenario_model, &rt, ss->w, ch, ss->s.bound, record, res);
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

/* Every knob, one "set knob=value" line each: a saved run is complete. */
static void print_knob_settings(FILE *out, const int *knobs)
{
	for (int k = 0; k < irqsim_knob_count(); k++) {
		char buf[16];

		fprintf(out, "set %s=%s\n", irqsim_knob_get(k)->name,
			irqsim_knob_value_name(k, knobs[k], buf, sizeof(buf)));
	}
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

static int save_run(const struct session *ss, const char *path,
		    uint64_t seed, bool seeded,
		    const struct irqsim_schedule *sc,
		    const struct irqsim_run_result *res)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "irqsim: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	fprintf(f, "irqsim-run %d\n", SAVE_FORMAT_VERSION);
	fprintf(f, "trace %s\n", ss->s.name);
	fprintf(f, "source %s\n", ss->s.file);
	if (seeded)
		fprintf(f, "seed %" PRIu64 "\n", seed);
	print_knob_settings(f, ss->knobs);
	fprintf(f, "verdict %s %u\n", check_kind_name(res->verdict.kind),
		res->verdict.step);
	schedule_format(&ss->s, sc, f);
	fprintf(f, "trace-text\n%s", ss->s.text);
	if (fclose(f)) {
		fprintf(stderr, "irqsim: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

/* A "set knob=value" line of a saved run. */
static int load_settings(const char *line, struct scenario_config *c,
			 char *err, size_t errlen)
{
	char buf[SCENARIO_MAX_LINE * 4], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok_r(buf, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		if (!strcmp(t, "set"))
			continue;
		if (config_add_setting(c, t, err, errlen))
			return -1;
	}
	return 0;
}

struct saved_run {
	struct session ss;
	struct irqsim_schedule schedule;
	int verdict_kind;
	uint32_t verdict_step;
};

/* Read a saved run: header, settings, schedule, then the whole trace. */
static int load_saved(struct saved_run *sr, const char *path)
{
	char err[SCENARIO_ERR], line[SCENARIO_MAX_LINE * 4];
	struct scenario_config cfg = { 0 };
	char *sched_text = NULL, *text = NULL;
	size_t sched_len = 0, text_len = 0;
	int lineno = 0, version = -1, ret = EXIT_USAGE;
	bool in_text = false;
	FILE *f = fopen(path, "r");

	memset(sr, 0, sizeof(*sr));
	irqsim_schedule_init(&sr->schedule);
	sr->verdict_kind = -1;
	if (!f) {
		fprintf(stderr, "irqsim: cannot open %s: %s\n", path,
			strerror(errno));
		return EXIT_USAGE;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		lineno++;
		if (in_text) {
			char *nt = realloc(text, text_len + len + 1);

			if (!nt || text_len + len > SCENARIO_MAX_FILE)
				goto bad_size;
			text = nt;
			memcpy(text + text_len, line, len + 1);
			text_len += len;
			continue;
		}
		if (len && line[len - 1] != '\n' && !feof(f)) {
			fprintf(stderr, "%s:%d: line too long\n", path, lineno);
			goto out;
		}
		line[strcspn(line, "\n")] = 0;
		if (lineno == 1) {
			if (sscanf(line, "irqsim-run %d", &version) != 1) {
				fprintf(stderr, "%s:1: not an irqsim saved run (expected 'irqsim-run %d')\n",
					path, SAVE_FORMAT_VERSION);
				goto out;
			}
			if (version != SAVE_FORMAT_VERSION) {
				fprintf(stderr, "%s:1: saved-run format version %d is not supported (this irqsim reads version %d)\n",
					path, version, SAVE_FORMAT_VERSION);
				goto out;
			}
		} else if (!strncmp(line, "set ", 4)) {
			if (load_settings(line, &cfg, err, sizeof(err))) {
				fprintf(stderr, "%s:%d: %s\n", path, lineno,
					err);
				goto out;
			}
		} else if (!strncmp(line, "schedule", 8)) {
			size_t add = strlen(line + 8) + 1;
			char *ns = realloc(sched_text, sched_len + add + 1);

			if (!ns)
				goto bad_size;
			sched_text = ns;
			memcpy(sched_text + sched_len, line + 8, add - 1);
			sched_len += add - 1;
			sched_text[sched_len++] = ' ';
			sched_text[sched_len] = 0;
		} else if (!strncmp(line, "verdict ", 8)) {
			char kind[64];

			if (sscanf(line, "verdict %63s %u", kind,
				   &sr->verdict_step) != 2 ||
			    (sr->verdict_kind = check_kind_parse(kind)) < 0) {
				fprintf(stderr, "%s:%d: bad verdict line\n",
					path, lineno);
				goto out;
			}
		} else if (!strcmp(line, "trace-text")) {
			in_text = true;
		} else if (strncmp(line, "trace ", 6) &&
			   strncmp(line, "source ", 7) &&
			   strncmp(line, "seed ", 5) && line[0]) {
			fprintf(stderr, "%s:%d: unknown line '%.40s'\n", path,
				lineno, line);
			goto out;
		}
	}
	if (version < 0 || !text) {
		fprintf(stderr, "%s:%d: %s\n", path, lineno,
			version < 0 ? "empty file" : "no trace-text section");
		goto out;
	}
	{
		char name[300];

		snprintf(name, sizeof(name), "%s(trace)", path);
		if (scenario_parse(&sr->ss.s, name, text, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			goto out;
		}
	}
	if (sched_text) {
		char bad[64], *save = NULL;

		for (char *t = strtok_r(sched_text, " ", &save); t;
		     t = strtok_r(NULL, " ", &save))
			if (schedule_parse(&sr->ss.s, t, &sr->schedule, bad,
					   sizeof(bad))) {
				fprintf(stderr, "%s: bad schedule entry '%s'\n",
					path, bad);
				goto out;
			}
	}
	/* the saved knob values are complete: no trace-level config */
	sr->ss.s.config.n = 0;
	ret = session_open(&sr->ss, &cfg);
	goto out;
bad_size:
	fprintf(stderr, "%s:%d: file too large or out of memory\n", path,
		lineno);
out:
	fclose(f);
	free(sched_text);
	free(text);
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

/* Replay @sc with events logged and render them. */
static int render_schedule(struct session *ss, const struct irqsim_schedule *sc,
			   int format, FILE *out, struct irqsim_run_result *res)
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
	if (ret) {
		fprintf(stderr, "irqsim: cannot render %s: %s\n",
			trace_format_name(format), strerror(-ret));
		return -1;
	}
	return 0;
}

/* Where --render writes: -o OUT, else stdout. NULL: cannot (said why). */
static FILE *render_open(const struct options *o)
{
	FILE *f;

	if (!o->output)
		return stdout;
	f = fopen(o->output, trace_format_is_binary(o->render) ? "wb" : "w");
	if (!f)
		fprintf(stderr, "irqsim: cannot write %s: %s\n", o->output,
			strerror(errno));
	return f;
}

static int render_close(FILE *f, const struct options *o)
{
	if (f == stdout)
		return 0;
	if (fclose(f)) {
		fprintf(stderr, "irqsim: cannot write %s\n", o->output);
		return -1;
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

static int parse_options(int argc, char **argv, struct options *o,
			 const char *allowed)
{
	char err[SCENARIO_ERR];

	memset(o, 0, sizeof(*o));
	o->render = -1;
	o->runs = -1;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (a[0] != '-') {
			if (o->target)
				return usage("unexpected argument '%s'", a);
			o->target = a;
			continue;
		}
		/* -o goes with --render (and --format) */
		if (!strstr(allowed, a) &&
		    !(!strcmp(a, "-o") && strstr(allowed, "--render")))
			return usage("option %s is not valid here", a);
		if (!v && strcmp(a, "--quiet"))
			return usage("option %s needs a value", a);
		i++;
		if (!strcmp(a, "--seed")) {
			errno = 0;
			o->seed = strtoull(v, &end, 10);
			if (errno || *end || v[0] == '-')
				return usage("bad seed '%s'", v);
			o->seed_given = true;
		} else if (!strcmp(a, "--runs")) {
			errno = 0;
			o->runs = strtol(v, &end, 10);
			if (errno || *end || o->runs < 1 || o->runs > 1000000000)
				return usage("bad run count '%s'", v);
		} else if (!strcmp(a, "--strategy")) {
			if (strcmp(v, "random"))
				return usage("unknown strategy '%s' (this build has: random)",
					     v);
		} else if (!strcmp(a, "--save")) {
			o->save = v;
		} else if (!strcmp(a, "-o")) {
			o->output = v;
		} else if (!strcmp(a, "--render") || !strcmp(a, "--format")) {
			o->render = trace_format_parse(v);
			if (o->render < 0) {
				fprintf(stderr, "irqsim: unknown format '%s' (valid: %s)\n",
					v, trace_format_list());
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--profile")) {
			if (config_add_profile(&o->config, v, err, sizeof(err))) {
				fprintf(stderr, "irqsim: %s\n", err);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--set")) {
			if (config_add_setting(&o->config, v, err, sizeof(err))) {
				fprintf(stderr, "irqsim: %s\n", err);
				return EXIT_USAGE;
			}
		}
	}
	if (!o->target)
		return usage("missing %s", strstr(allowed, "--seed") ? "TRACE" :
								       "FILE");
	return check_render_options(o, !strstr(allowed, "--format"));
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
	if (o->save && save_run(ss, o->save, seed, seeded, sc, res))
		return EXIT_USAGE;
	if (o->render >= 0) {
		struct irqsim_run_result rendered;
		FILE *out = render_open(o);

		if (!out)
			return EXIT_USAGE;
		if (render_schedule(ss, sc, o->render, out, &rendered)) {
			render_close(out, o);
			return EXIT_USAGE;
		}
		if (render_close(out, o))
			return EXIT_USAGE;
	}
	print_verdict(stdout, ss, res);
	if (res->verdict.kind) {
		printf("  reproduce: irqsim run %s", ss->s.file);
		if (seeded)
			printf(" --seed %" PRIu64, seed);
		print_cli_config(stdout, &o->config);
		printf("\n");
		if (o->save)
			printf("  replay:    irqsim replay %s\n", o->save);
	}
	return res->verdict.kind ? EXIT_VIOLATION : EXIT_NONE;
}

static int cmd_run(int argc, char **argv)
{
	struct irqsim_schedule sc;
	struct irqsim_run_result res;
	struct irqsim_chooser ch;
	struct session ss;
	struct options o;
	int ret = parse_options(argc, argv, &o,
				"--seed --profile --set --save --render");

	if (ret)
		return ret;
	if ((ret = load_trace(&ss, o.target, &o.config)))
		goto out;
	irqsim_schedule_init(&sc);
	if (ss.s.has_schedule && !o.seed_given)
		replay_chooser(&ch, &ss.s.schedule, true);
	else
		random_chooser(&ch, o.seed);
	session_run(&ss, &ch, &sc, NULL, &res);
	ret = finish(&ss, &o, &sc, o.seed, !(ss.s.has_schedule && !o.seed_given),
		     &res);
	irqsim_schedule_free(&sc);
out:
	session_close(&ss);
	return ret;
}

/*
 * Seeds base, base+1, ... in order; the first failing seed is the
 * reproducer, the same on any machine.
 */
static int explore_random(struct session *ss, uint64_t base, long runs,
			  struct irqsim_schedule *sc, uint64_t *seed,
			  long *run, struct irqsim_run_result *res)
{
	for (long i = 0; i < runs; i++) {
		struct irqsim_chooser ch;

		random_chooser(&ch, base + (uint64_t)i);
		sc->n = 0;
		session_run(ss, &ch, sc, NULL, res);
		if (res->status == IRQSIM_RUN_VIOLATION) {
			*seed = base + (uint64_t)i;
			*run = i + 1;
			return 1;
		}
	}
	*run = runs;
	return 0;
}

static int cmd_explore(int argc, char **argv)
{
	struct irqsim_schedule sc;
	struct irqsim_run_result res;
	struct session ss;
	struct options o;
	uint64_t seed = 0;
	long run, runs;
	int ret = parse_options(argc, argv, &o,
				"--seed --runs --strategy --profile --set --save --render");

	if (ret)
		return ret;
	if ((ret = load_trace(&ss, o.target, &o.config)))
		goto out;
	runs = o.runs > 0 ? o.runs : ss.s.runs;
	irqsim_schedule_init(&sc);
	if (explore_random(&ss, o.seed, runs, &sc, &seed, &run, &res)) {
		printf("explore: violation in run %ld of %ld (random, base seed %" PRIu64 ")\n",
		       run, runs, o.seed);
		ret = finish(&ss, &o, &sc, seed, true, &res);
	} else {
		printf("%s: no violation in %ld random schedules (random search: not a proof)\n",
		       ss.s.name, runs);
		ret = EXIT_NONE;
	}
	irqsim_schedule_free(&sc);
out:
	session_close(&ss);
	return ret;
}

static int cmd_replay(int argc, char **argv, bool render_only)
{
	struct irqsim_run_result res;
	struct saved_run sr;
	struct options o;
	FILE *out = stdout;
	int ret = parse_options(argc, argv, &o,
				render_only ? "--format --render -o" :
					      "--render");

	if (ret)
		return ret;
	if (render_only && o.render < 0)
		return usage("render needs --format %s",
			     "text|timeline|dot|svg|png|json");
	if ((ret = load_saved(&sr, o.target)))
		goto out;
	if ((render_only || o.render >= 0) && !(out = render_open(&o))) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (render_only || o.render >= 0) {
		if (render_schedule(&sr.ss, &sr.schedule,
				    o.render < 0 ? TRACE_TEXT : o.render, out,
				    &res)) {
			ret = EXIT_USAGE;
			goto out;
		}
	} else {
		struct irqsim_chooser ch;

		replay_chooser(&ch, &sr.schedule, false);
		session_run(&sr.ss, &ch, NULL, NULL, &res);
	}
	if (res.status == IRQSIM_RUN_DIVERGED) {
		fprintf(stderr, "%s: the schedule diverged at transition %zu: the model no longer takes this path\n",
			o.target, res.diverged_at);
		ret = EXIT_USAGE;
		goto out;
	}
	if (!render_only) {
		print_verdict(stdout, &sr.ss, &res);
		if (sr.verdict_kind >= 0 && sr.verdict_kind != res.verdict.kind)
			printf("  note: the file recorded %s\n",
			       check_kind_name(sr.verdict_kind));
	}
	ret = res.verdict.kind ? EXIT_VIOLATION : EXIT_NONE;
out:
	if (out && out != stdout && fclose(out) && ret != EXIT_USAGE) {
		fprintf(stderr, "irqsim: cannot write %s\n", o.output);
		ret = EXIT_USAGE;
	}
	irqsim_schedule_free(&sr.schedule);
	session_close(&sr.ss);
	return ret;
}

/* Run every expect line of a trace: the ctest of a race. */
static int cmd_check(int argc, char **argv)
{
	struct options o;
	struct scenario s;
	char err[SCENARIO_ERR];
	int failed = 0;
	int ret = parse_options(argc, argv, &o, "--runs");

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
	for (int i = 0; i < s.nexpect; i++) {
		const struct scenario_expect *e = &s.expect[i];
		struct irqsim_run_result res;
		struct irqsim_schedule sc;
		struct session ss;
		uint64_t seed = 0;
		long run = 0;
		long runs = o.runs > 0 ? o.runs : e->runs ? e->runs : s.runs;
		int got;

		memset(&ss, 0, sizeof(ss));
		if (scenario_load(&ss.s, o.target, err, sizeof(err)) ||
		    session_open(&ss, &e->config)) {
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
		} else {
			explore_random(&ss, 0, runs, &sc, &seed, &run, &res);
		}
		got = res.status == IRQSIM_RUN_VIOLATION ? res.verdict.kind : 0;
		printf("%s %s:%d: expect %s", got == e->kind ? "PASS" : "FAIL",
		       o.target, e->line, check_kind_name(e->kind));
		print_cli_config(stdout, &e->config);
		for (int k = 1; k < CHECK_NR_KINDS; k++)
			if (e->ignore & (1u << k))
				printf(" (ignoring %s)", check_kind_name(k));
		if (s.has_schedule)
			printf(": fixed schedule gives %s\n",
			       check_kind_name(got));
		else if (got)
			printf(": %s at seed %" PRIu64 " (run %ld of %ld)\n",
			       check_kind_name(got), seed, run, runs);
		else
			printf(": no violation in %ld random schedules\n", runs);
		if (got)
			printf("     %s\n", res.verdict.what);
		failed += got != e->kind;
		irqsim_schedule_free(&sc);
		session_close(&ss);
	}
	scenario_free(&s);
	return failed ? EXIT_VIOLATION : EXIT_NONE;
}

static int list_traces(void)
{
	const char *dir = getenv("IRQSIM_TRACES");
	struct dirent **names;
	int n;

	if (!dir)
		dir = IRQSIM_TRACE_DIR;
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

static int cmd_list(int argc, char **argv)
{
	if (argc != 3)
		return usage("list needs one of: knobs, profiles, traces", NULL);
	if (!strcmp(argv[2], "knobs")) {
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
	if (!strcmp(argv[2], "profiles")) {
		for (int p = 0; p < profile_count(); p++)
			printf("%-14s %-36s %s\n", profile_get(p)->name,
			       profile_get(p)->settings, profile_get(p)->doc);
		return 0;
	}
	if (!strcmp(argv[2], "traces"))
		return list_traces();
	return usage("list needs one of: knobs, profiles, traces", NULL);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	scenario_init();
	if (argc < 2)
		return usage(NULL, NULL);
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
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage("unknown command '%s'", argv[1]);
}
