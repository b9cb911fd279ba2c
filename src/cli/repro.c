// SPDX-License-Identifier: MIT
/*
 * Reproducers: the one command that gives a run again, with every option
 * that changed it.
 */
#include "cli/internal.h"
#include "cli/report.h"

#include <inttypes.h>

/* The --profile/--set options that reproduce the command line. */
void print_cli_config(FILE *out, const struct scenario_config *c)
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
void print_run_options(FILE *out, const struct scenario *s,
		       const struct scenario_config *c,
		       const struct scenario_ignore *ignore)
{
	char list[1024];

	print_cli_config(out, c);
	scenario_ignore_format(s, ignore, ",", list, sizeof(list));
	if (list[0])
		fprintf(out, " --ignore %s", list);
	if (ignore->only.type != CHECK_OBJ_NONE) {
		scenario_object_name(s, &ignore->only, list, sizeof(list));
		fprintf(out, " --only %s", list);
	}
}

/*
 * The --profile/--set/--ignore/--only of a run as one string (" --set
 * a=b ..."), RUN_OPTIONS_MAX long at most (cli/report.h: a report
 * carries it).
 */
void run_options_string(char *buf, size_t len,
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
void print_repro_line(FILE *out, const char *label, const char *file,
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
void print_reproducer(FILE *out, const char *label,
		      const struct scenario *s,
		      const struct scenario_config *c,
		      const struct scenario_ignore *ignore,
		      const struct repro *r)
{
	char options[RUN_OPTIONS_MAX];

	run_options_string(options, sizeof(options), s, c, ignore);
	print_repro_line(out, label, s->file, s, options, r);
}
