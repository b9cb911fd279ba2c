// SPDX-License-Identifier: MIT
/* The irqsim command: run the command the first argument names. */
#include "cli/internal.h"
#include "cli/version.h"
#include "sched/alloc.h"
#include "sched/dist.h"
#include "sched/footprint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef IRQSIM_MPI
extern const struct irqsim_dist_backend irqsim_dist_mpi;
#endif

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

#ifndef IRQSIM_MPI
/*
 * --strategy dpor and --transactions need footprints, and --unreached
 * the marks of program points, which only the instrumented twin records
 * (sched/footprint.h, sched/cover.h); --distributed needs the build
 * linked with Open MPI. The plain tool runs that build (@name) in its
 * place, from beside itself (the build tree) or from libexec/irqsim (an
 * install), or from $@env (IRQSIM_FP, IRQSIM_MPI). Returns only if there
 * is none.
 */
static void exec_twin(char **argv, const char *name, const char *var)
{
	const char *env = getenv(var);
	char self[4096], path[4200];
	const char *rel[2];
	char in_libexec[64];
	ssize_t n;

	snprintf(in_libexec, sizeof(in_libexec), "../libexec/irqsim/%s", name);
	rel[0] = name;
	rel[1] = in_libexec;
	if (env && *env) {
		execv(env, argv);
		fprintf(stderr, "irqsim: cannot run %s=%s: %s\n", var, env,
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
#endif

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	/* past a file size limit a write fails (EFBIG): said, not killed */
	signal(SIGXFSZ, SIG_IGN);
#ifdef IRQSIM_MPI
	irqsim_dist_backend = &irqsim_dist_mpi;
#else
	if (argc > 2 && !strcmp(argv[1], "explore")) {
		enum build_wanted b = wanted_build(argc, argv);

		if (b == BUILD_MPI) {
			exec_twin(argv, "irqsim-mpi", "IRQSIM_MPI");
			fprintf(stderr, "irqsim: --distributed needs irqsim-mpi, the build linked with Open MPI (built when CMake finds MPI: apt-get install libopenmpi-dev, then build again)\n");
			return 2;
		}
		if (b == BUILD_TWIN && !irqsim_fp_available())
			exec_twin(argv, "irqsim-fp", "IRQSIM_FP");
	}
#endif
	alloc_fail_setup();
	scenario_init();
	if (argc < 2)
		return usage(NULL, NULL);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		if (argc > 2)
			return usage("version takes no argument, not '%s'",
				     argv[2]);
		printf("%s\n", irqsim_version());
		return 0;
	}
	/* "irqsim explore --help" as well as "irqsim --help", not "-- --help" */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			int cmd = command_lookup(argv[1]);

			print_help(stdout, cmd < 0 ? CMD_NR : cmd);
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
	if (!strcmp(argv[1], "import"))
		return cmd_import(argc, argv);
	if (!strcmp(argv[1], "help")) {
		int cmd = argc > 2 ? command_lookup(argv[2]) : CMD_NR;

		if (argc > 3)
			return usage("help takes one command, not '%s'", argv[3]);
		if (cmd < 0)
			return unknown_command(argv[2]);
		print_help(stdout, cmd);
		return 0;
	}
	return unknown_command(argv[1]);
}
