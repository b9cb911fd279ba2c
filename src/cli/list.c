// SPDX-License-Identifier: MIT
/* irqsim list: the names the trace language and the command line know. */
#include "cli/internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IRQSIM_TRACE_DIR
#define IRQSIM_TRACE_DIR "traces"
#endif

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

#define LIST_WHAT "knobs, profiles, ops, directives, verdicts, windows, traces, options"

/* The names docs/trace-format.md documents: the first word of each line. */
int cmd_list(int argc, char **argv)
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
