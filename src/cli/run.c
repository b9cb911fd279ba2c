// SPDX-License-Identifier: MIT
/* irqsim run, replay and render: one run, of a trace or a saved run. */
#include "cli/internal.h"
#include "cli/saved.h"
#include "cli/version.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* Read a saved run (src/cli/saved.c) and build its world. */
int load_saved(struct saved_session *sr, const char *path)
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
	/* another irqsim made it: say which, should the replay differ */
	if (f->made_by[0] && strcmp(f->made_by, irqsim_version()))
		fprintf(stderr, "irqsim: note: %s was made by %s; this is %s\n",
			path, f->made_by, irqsim_version());
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
		if (render_schedule(ss, sc, o, out, render_where(o),
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

int cmd_run(int argc, char **argv)
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
	if ((ret = session_ignore(&ss, o.ignore, o.only)))
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

int cmd_replay(int argc, char **argv, bool render_only)
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
	if (!render_only && o.log)
		return replay_log(&o);
	if (render_only && o.render < 0)
		return usage("render needs --format %s",
			     "text|timeline|changelog|dot|svg|png|json");
	if ((ret = load_saved(&sr, o.target)))
		goto out;
	if ((render_only || o.render >= 0) && !(out = render_open(&o, &of))) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (render_only || o.render >= 0) {
		if (render_schedule(&sr.ss, &sr.schedule, &o, out,
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
