// SPDX-License-Identifier: MIT
/* irqsim list: the names the trace language and the command line know. */
#include "cli/internal.h"
#include "cli/suggest.h"
#include "sched/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IRQSIM_TRACE_DIR
#define IRQSIM_TRACE_DIR "traces"
#endif

/*
 * Where the traces are: $IRQSIM_TRACES; else, for an installed irqsim
 * (cmake --install, any prefix), PREFIX/share/irqsim/traces next to
 * PREFIX/bin/irqsim (or, for the twin, PREFIX/libexec/irqsim/irqsim-fp);
 * else the source tree it was built from.
 */
const char *trace_dir(char *buf, size_t len)
{
	static const char *const rel[] = { "/../share/irqsim/traces",
					   "/../../share/irqsim/traces" };
	const char *env = getenv("IRQSIM_TRACES");
	char self[4096];
	ssize_t n;
	char *slash;

	if (env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash)
			*slash = 0;
		for (size_t i = 0; slash && i < ARRAY_SIZE(rel); i++) {
			char path[4200], real[PATH_MAX];

			snprintf(path, sizeof(path), "%s%s", self, rel[i]);
			/* without "bin/..": the path reproducers print */
			if (access(path, R_OK | X_OK) ||
			    !realpath(path, real) || strlen(real) >= len)
				continue;
			strcpy(buf, real);
			return buf;
		}
	}
	return IRQSIM_TRACE_DIR;
}

/*
 * A TRACE argument: @arg itself, or, when no file of that name exists
 * and it is a bare name (no '/'), the trace of that name in the trace
 * directory, NAME.trace (NAME.trace given: that file there). The path
 * goes in @buf; what the trace is called everywhere after (messages,
 * reproducers, a saved run's source line) is that path.
 */
const char *trace_resolve(const char *arg, char *buf, size_t len)
{
	char dir[4096];
	size_t n = strlen(arg);
	bool suffix = n > 6 && !strcmp(arg + n - 6, ".trace");

	if (!n || strchr(arg, '/') || !access(arg, F_OK) || errno != ENOENT)
		return arg;
	if ((size_t)snprintf(buf, len, "%s/%s%s", trace_dir(dir, sizeof(dir)),
			     arg, suffix ? "" : ".trace") >= len ||
	    access(buf, R_OK))
		return arg;
	return buf;
}

static bool trace_file_name(const char *file, char *name, size_t len);

/*
 * A bare TRACE name (no '/') that is neither a file nor a trace's name:
 * say so, with the trace it is a typo of if one is close. Exit status.
 */
int trace_unknown(const char *arg)
{
	char dir[4096], best[256] = "", typo[256];
	struct dirent **ents;
	const char **names;
	size_t len = strlen(arg);
	int n = scandir(trace_dir(dir, sizeof(dir)), &ents, NULL, alphasort);

	if (len > 6 && !strcmp(arg + len - 6, ".trace"))
		len -= 6;
	snprintf(typo, sizeof(typo), "%.*s", (int)len, arg);
	/* the names, NULL-terminated (no suggestion without memory) */
	names = n > 0 ? calloc((size_t)n + 1, sizeof(*names)) : NULL;
	for (int i = 0, k = 0; i < n; i++) {
		char name[256], *copy;

		if (names && trace_file_name(ents[i]->d_name, name,
					     sizeof(name)) &&
		    (copy = strdup(name)))
			names[k++] = copy;
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	if (names) {
		const char *b = suggest_in(typo, names);

		if (b)
			snprintf(best, sizeof(best), "%s", b);
		for (int i = 0; names[i]; i++)
			free((void *)names[i]);
		free(names);
	}
	fprintf(stderr, "irqsim: %s: cannot open: %s, and no trace has that name",
		arg, strerror(ENOENT));
	if (best[0])
		fprintf(stderr, " (did you mean '%s'?)", best);
	fprintf(stderr, "; see 'irqsim list traces'\n");
	return EXIT_USAGE;
}

/* NAME.trace in @dir: its name, or NULL. */
static bool trace_file_name(const char *file, char *name, size_t len)
{
	size_t n = strlen(file);

	if (n <= 6 || strcmp(file + n - 6, ".trace") || n - 6 >= len)
		return false;
	memcpy(name, file, n - 6);
	name[n - 6] = 0;
	return true;
}

/*
 * The first comment line of the trace at @path, without its '#': what it
 * is about, by the convention of traces/. "" if it has none.
 */
static void trace_summary(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[512];

	buf[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *t = line + strspn(line, " \t");

		if (*t != '#')
			continue;
		t += strspn(t + 1, "# \t") + 1;
		t[strcspn(t, "\r\n")] = 0;
		if (!*t)
			continue;
		snprintf(buf, len, "%s", t);
		break;
	}
	fclose(f);
}

static int list_traces(bool names)
{
	char buf[4096];
	const char *dir = trace_dir(buf, sizeof(buf));
	struct dirent **ents;
	int n;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "irqsim: cannot read %s: %s\n", dir,
			strerror(errno));
		return EXIT_USAGE;
	}
	for (int i = 0; i < n; i++) {
		char name[256];

		if (trace_file_name(ents[i]->d_name, name, sizeof(name))) {
			char path[4400], doc[512];

			if (names) {
				printf("%s\n", name);
			} else {
				snprintf(path, sizeof(path), "%s/%s", dir,
					 ents[i]->d_name);
				trace_summary(path, doc, sizeof(doc));
				printf("%-30s %s\n", name, doc);
			}
		}
		free(ents[i]);
	}
	free(ents);
	return 0;
}

static const char *knob_name_at(int i, const void *ctx)
{
	(void)ctx;
	return irqsim_knob_get(i) ? irqsim_knob_get(i)->name : NULL;
}

/*
 * The values a knob takes, one a line: its names, or the numbers 0..max
 * (a range past 16 only on stderr).
 */
static int list_values(const char *knob)
{
	int k = irqsim_knob_lookup(knob);
	const struct irqsim_knob *kn;

	if (k < 0) {
		char msg[256];

		fprintf(stderr, "irqsim: %s\n",
			suggest_unknown(msg, sizeof(msg), "knob", knob,
					suggest(knob, knob_name_at, NULL,
						irqsim_knob_count()),
					"list knobs"));
		return EXIT_USAGE;
	}
	kn = irqsim_knob_get(k);
	if (kn->values) {
		for (int i = 0; kn->values[i]; i++)
			printf("%s\n", kn->values[i]);
		return 0;
	}
	/* a count (fault injection): no list, the range on stderr */
	if (kn->max > 16) {
		fprintf(stderr, "irqsim: %s takes a number, 0..%d\n", kn->name,
			kn->max);
		return 0;
	}
	for (int i = 0; i <= kn->max; i++)
		printf("%d\n", i);
	return 0;
}

/* What each output format is (trace/trace.h). */
static const char *format_doc(const char *name)
{
	static const char *const docs[][2] = {
		{ "text", "one line per event, ftrace-like: tracepoint: key=value ..." },
		{ "timeline", "side by side, one column per actor, as in the kernel's mails" },
		{ "dot", "a Graphviz graph: a swimlane per actor, happens-before edges, a legend; of a violation, its causal slice (--full-run: the whole run)" },
		{ "svg", "the Graphviz graph laid out, as SVG" },
		{ "png", "the Graphviz graph laid out, as PNG" },
		{ "json", "Chrome trace events (ui.perfetto.dev, chrome://tracing)" },
		{ "changelog", "the violation's causal slice, a column per CPU, calls nested: for a commit message" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(docs); i++)
		if (!strcmp(name, docs[i][0]))
			return docs[i][1];
	return "";
}

/*
 * irqsim list KIND: the names the trace language and the command line
 * know, the first word of each line (docs/trace-format.md documents
 * them), then what each is; --names: the names alone.
 */
static int list(const struct options *o, const char *const *args);

/* What irqsim list KIND takes (LIST_KINDS). */
static const char *const list_kinds[] = {
	"commands", "knobs", "values", "profiles", "ops", "directives",
	"verdicts", "windows", "traces", "formats", "options", NULL,
};

int cmd_list(int argc, char **argv)
{
	const char **args = irqsim_calloc((size_t)argc, sizeof(*args));
	struct options o;
	int ret;

	if (!args) {
		fprintf(stderr, "irqsim: out of memory\n");
		return EXIT_USAGE;
	}
	ret = parse_options(argc, argv, CMD_LIST, &o, args);
	if (!ret)
		ret = list(&o, args);
	free(args);
	return ret;
}

static int list(const struct options *o, const char *const *args)
{
	const char *what = o->target;
	bool names = o->names;

	if (o->nargs < 1)
		return usage("list needs one of: " LIST_KINDS, NULL);
	if (o->man && strcmp(what, "options"))
		return usage("--man is for list options, not list %s", what);
	if (!strcmp(what, "values")) {
		if (o->nargs != 2)
			return usage("%s", "list values needs a knob: irqsim list values KNOB");
		return list_values(args[1]);
	}
	if (o->nargs != 1)
		return usage("list %s takes no other argument", what);
	if (!strcmp(what, "commands"))
		return list_commands(names);
	if (!strcmp(what, "ops")) {
		for (int i = 0; i < scenario_op_count(); i++)
			if (names)
				printf("%s\n", scenario_op_name(i));
			else
				printf("%-22s %s\n", scenario_op_name(i),
				       scenario_op_doc(i));
		return 0;
	}
	if (!strcmp(what, "directives")) {
		for (int i = 0; i < scenario_directive_count(); i++) {
			const struct scenario_directive *d =
				scenario_directive_get(i);

			if (names)
				printf("%s\n", d->name);
			else
				printf("%-9s %s: %s\n", d->name, d->args,
				       d->doc);
		}
		return 0;
	}
	if (!strcmp(what, "verdicts")) {
		for (int k = 0; k < CHECK_NR_KINDS; k++)
			if (names)
				printf("%s\n", check_kind_name(k));
			else
				printf("%-22s %s\n", check_kind_name(k),
				       check_kind_doc(k));
		return 0;
	}
	if (!strcmp(what, "windows")) {
		for (int i = 0; i < CHECK_NR_WINDOWS; i++) {
			uint32_t by = check_window_watchers(i);
			const char *sep = "";

			if (names) {
				printf("%s\n", check_window_name(i));
				continue;
			}
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

			if (names)
				printf("%s\n", kn->name);
			else
				printf("%-18s default %-4s %s\n", kn->name,
				       irqsim_knob_value_name(k, kn->def, buf,
							      sizeof(buf)),
				       kn->doc);
		}
		return 0;
	}
	if (!strcmp(what, "profiles")) {
		for (int p = 0; p < profile_count(); p++)
			if (names)
				printf("%s\n", profile_get(p)->name);
			else
				printf("%-14s %-36s %s\n",
				       profile_get(p)->name,
				       profile_get(p)->settings,
				       profile_get(p)->doc);
		return 0;
	}
	if (!strcmp(what, "formats")) {
		for (int f = 0; f < TRACE_NR_FORMATS; f++)
			if (names)
				printf("%s\n", trace_format_name(f));
			else
				printf("%-9s %s\n", trace_format_name(f),
				       format_doc(trace_format_name(f)));
		return 0;
	}
	if (!strcmp(what, "traces"))
		return list_traces(names);
	if (!strcmp(what, "options"))
		return list_options(names, o->man);
	{
		char msg[256];

		fprintf(stderr, "irqsim: %s\n",
			suggest_unknown(msg, sizeof(msg), "list kind", what,
					suggest_in(what, list_kinds),
					"help list"));
	}
	return EXIT_USAGE;
}
