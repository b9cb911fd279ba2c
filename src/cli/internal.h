/* SPDX-License-Identifier: MIT */
/*
 * Private to src/cli: what the irqsim command's files share (the parsed
 * command line, a loaded session, reproducers, a search's outcome).
 */
#ifndef IRQSIM_CLI_INTERNAL_H
#define IRQSIM_CLI_INTERNAL_H

#include "cli/outfile.h"
#include "cli/scenario.h"
#include "sched/dist.h"
#include "sched/explore.h"

#include <signal.h>
#include <stdio.h>

#define EXIT_NONE 0
#define EXIT_VIOLATION 1
#define EXIT_USAGE 2

enum strategy {
	STRATEGY_RANDOM,
	STRATEGY_PCT,
	STRATEGY_DFS,
	STRATEGY_DPOR,
};

/* The commands; cli_options[] (options.c) says which takes each option. */
enum command {
	CMD_RUN,
	CMD_EXPLORE,
	CMD_MERGE,
	CMD_REPLAY,
	CMD_RENDER,
	CMD_CHECK,
	CMD_LIST,
	CMD_IMPORT,
	CMD_NR,
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What irqsim list prints (list.c). */
#define LIST_KINDS \
	"commands, knobs, values KNOB, profiles, ops, directives, verdicts, windows, traces, formats, options"

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
	const char *state_profile;	/* --state-profile: a path, or "-" */
	const char *checkpoint;		/* --checkpoint FILE */
	const char *checkpoint_every;	/* --checkpoint-every as given */
	double checkpoint_seconds;	/* its value; default 10 minutes */
	const char *resume;		/* --resume FILE */
	int render;
	int width;			/* --width; 0: the default */
	enum strategy strategy;
	int depth;
	int preemption_bound;
	uint64_t max_states;
	uint64_t max_memory;		/* bytes; 0: the default */
	bool no_por, no_shrink, json;
	bool transactions;
	bool bitstate;
	bool distributed;		/* --distributed: an MPI job */
	bool unreached;			/* --unreached */
	bool allow_different;
	bool full_run;			/* --full-run: the whole run drawn */
	const char *log;		/* replay --log */
	int log_format;			/* import --format */
	bool complete;			/* the log was not cut */
	bool near_schedule;		/* explore --near-schedule */
	bool names, man;		/* list --names, --man */
	bool depth_given, frontier_given, strategy_given;
	int jobs;
	uint32_t shard_index, shard_count;
	uint32_t frontier_depth;
	char ignore[1024];		/* --ignore, read with the trace */
	const char *only;		/* --only, read with the trace */
	char trace_path[4400];		/* TRACE given by name, resolved */
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

/* A saved run loaded (run.c): its session, schedule and verdict. */
struct saved_session {
	struct session ss;
	struct irqsim_schedule schedule;
	int verdict_kind;
	uint32_t verdict_step;
};

int load_saved(struct saved_session *sr, const char *path);

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
	struct irqsim_sprof *sprof;	/* --state-profile: the dfs's */
	/* --unreached: the program points the search reached */
	struct irqsim_cover_report *cover;
	/* --near-schedule: the fixed schedule's length, the prefixes
	 * searched from, the last one (the violation's, if found) */
	size_t near_total, near_prefixes, near_prefix;
	/* --distributed: the job's search (before any search again in one
	 * process for a violation), and this process's rank */
	bool distributed;
	struct irqsim_dist_stats dist;
	int rank;
	char actor_name[IRQSIM_NAME_LEN];	/* the actor states go by */
	/* --resume: how far the checkpoint had got */
	bool resumed;
	uint64_t resumed_distinct;
	double resumed_seconds;
	/* --checkpoint where a signal or --max-states stopped the search:
	 * 1 the last checkpoint written, -1 it could not be; the distinct
	 * states of the last one written (0: none) */
	int ckpt_last;
	uint64_t ckpt_distinct;
};

/* The command line (options.c). */
int usage(const char *fmt, const char *arg);
void print_help(FILE *f, int cmd);
void print_synopses(FILE *f);
int command_lookup(const char *name);
int unknown_command(const char *name);
extern const char *const strategy_names[];
int parse_options(int argc, char **argv, enum command cmd,
		  struct options *o, const char **args);
int parse_long(const char *v, long lo, long hi, long *out);
int list_options(bool names, bool man);
int list_commands(bool names);
enum build_wanted {
	BUILD_THIS,
	BUILD_TWIN,	/* irqsim-fp: footprints, program points */
	BUILD_MPI,	/* irqsim-mpi: --distributed */
};
enum build_wanted wanted_build(int argc, char **argv);

/*
 * explore --checkpoint, --checkpoint-every, --resume (checkpoint.c):
 * ckpt_check() says what they cannot go with (EXIT_USAGE, said) before
 * the trace is read; ckpt_explore_dfs() is the one dfs with them: 0, -1
 * out of memory (said), -2 bad input or a file that cannot be written
 * (said); ckpt_summary() the lines the summary gets from them.
 */
int ckpt_check(const struct options *o);
/*
 * With --distributed: each rank's checkpoint callbacks and --resume part
 * in @dist (*@err: 0, -2 said, -12 out of memory); ckpt_dist_say() what
 * was wrong with a part the search refused.
 */
struct ckpt_dist;
struct ckpt_dist *ckpt_dist_setup(struct session *ss, const struct options *o,
				  const struct irqsim_dfs_opts *dopts,
				  const struct irqsim_dist_comm *comm,
				  struct irqsim_dist_opts *dist, int *err);
void ckpt_dist_say(const struct ckpt_dist *k);
void ckpt_dist_free(struct ckpt_dist *k);
int ckpt_explore_dfs(struct session *ss, const struct options *o,
		     const struct irqsim_rt *rt, struct irqsim_dfs_opts *dopts,
		     struct irqsim_schedule *sc, struct explore_outcome *out);
void ckpt_summary(FILE *f, const struct session *ss, const struct options *o,
		  const struct explore_outcome *x);

/* The traces that come with irqsim, by name (list.c). */
const char *trace_dir(char *buf, size_t len);
const char *trace_resolve(const char *arg, char *buf, size_t len);
int trace_unknown(const char *arg);

/*
 * explore --unreached's lines, or its JSON member (unreached.c); -1 when
 * @f failed.
 */
struct irqsim_cover_report;
int print_unreached(FILE *f, const struct irqsim_cover_report *r, bool json);

/* explore --state-profile's tables, or its JSON object (state_profile.c). */
struct irqsim_sprof;
int print_state_profile(FILE *f, struct irqsim_sprof *prof,
			const struct irqsim_dfs_stats *st, bool json);

/* A session and its runs (session.c). */
int session_open(struct session *ss, const struct scenario_config *extra);
int load_trace(struct session *ss, const char *path,
	       const struct scenario_config *extra);
void session_close(struct session *ss);
int session_ignore(struct session *ss, const char *list, const char *only);
void session_rt(struct session *ss, struct irqsim_rt *rt);
void session_run(struct session *ss, struct irqsim_chooser *ch,
		 struct irqsim_schedule *record, struct irqsim_log *log,
		 struct irqsim_run_result *res);
void replay_chooser(struct irqsim_chooser *ch,
		    const struct irqsim_schedule *sc, bool then_first);
void say_diverged(FILE *out, const struct session *ss, const char *file,
		  const char *text, const struct irqsim_run_result *res);
int save_run(const struct session *ss, const char *path,
	     uint64_t seed, bool seeded,
	     const struct irqsim_schedule *sc,
	     const struct irqsim_run_result *res);
void print_verdict(FILE *out, const struct session *ss,
		   const struct irqsim_run_result *res);
int render_schedule(struct session *ss, const struct irqsim_schedule *sc,
		    const struct options *o, FILE *out, const char *where,
		    struct irqsim_run_result *res);
const char *render_where(const struct options *o);
FILE *render_open(const struct options *o, struct outfile *of);
int render_close(FILE *f, struct outfile *of, bool failed);

/* SIGINT or SIGTERM during a search: stop it (session.c). */
extern volatile sig_atomic_t interrupted;
void catch_interrupts(void);
void release_interrupts(void);
const char *signal_name(int sig);

/* Reproducers (repro.c). */
void print_cli_config(FILE *out, const struct scenario_config *c);
void print_run_options(FILE *out, const struct scenario *s,
		       const struct scenario_config *c,
		       const struct scenario_ignore *ignore);
void run_options_string(char *buf, size_t len,
			const struct scenario *s,
			const struct scenario_config *c,
			const struct scenario_ignore *ignore);
void print_repro_line(FILE *out, const char *label, const char *file,
		      const struct scenario *s, const char *options,
		      const struct repro *r);
void print_reproducer(FILE *out, const char *label,
		      const struct scenario *s,
		      const struct scenario_config *c,
		      const struct scenario_ignore *ignore,
		      const struct repro *r);

/*
 * A budget a search's progress line measures (explore.c): its name, the
 * share used, and a count that grows about linearly with time, done of
 * limit (limit 0: it gives no time).
 */
struct progress_budget {
	const char *name;	/* NULL: not in force */
	double share;
	uint64_t done, limit;
};

/*
 * "41% of --max-states, 12% of --max-memory, ETA 14 s (--max-states)":
 * each budget's share, then the time until the first is reached at the
 * rate so far, or "no ETA" when no budget gives one. The length it
 * would have (snprintf's).
 */
int progress_budgets(char *buf, size_t len, double seconds,
		     const struct progress_budget *b, int n);

/* What a search found, written out (summary.c). */
void print_windows(FILE *f, const char *indent, uint32_t reached,
		   uint32_t possible);
void print_json(FILE *f, const struct session *ss,
		const struct options *o, const struct explore_outcome *x);
int write_report(const char *path, const struct session *ss,
		 const struct options *o,
		 const struct explore_outcome *x,
		 const struct irqsim_schedule *sc);

/*
 * A run set against a log from outside irqsim (follow.c).
 *
 * follow_log(): a schedule whose run logs the log's events (those of the
 * families it has lines of) in its order; @complete: and none after its
 * last line, to the run's end; @prefer_violation: of the schedules that
 * do, one whose run ends in a violation, if one is found.
 */
struct follow_result {
	bool followed;			/* the whole log */
	bool budget;			/* stopped at @max_states */
	int violation;			/* prefer_violation: its verdict */
	struct irqsim_schedule sc;	/* followed: it; else the furthest */
	size_t k;			/* log events the furthest run logged */
	uint64_t states;
	/* where the furthest run could not go on */
	bool has_why;
	size_t why_k;
	int why_line;
	char why[320];
	char model[256];
};

int follow_log(struct session *ss, const struct trace_log *log, bool complete,
	       bool prefer_violation, uint64_t max_states,
	       struct follow_result *r);
void follow_result_free(struct follow_result *r);

/* One transition of a run compare_log() walked. */
struct compare_step {
	uint16_t t;
	bool scheduled;		/* an entry of the schedule, not a step after */
	size_t first, nlog;	/* the log events it logged: [first, +nlog) */
	char note[320];		/* a field that differs, not compared */
};

struct compare_result {
	bool agree;
	bool disagree;		/* at log event @at: @why; the model: @model */
	bool diverged;		/* schedule entry @diverged_at not enabled */
	size_t at, diverged_at, k;
	char why[320], model[256];
	size_t after;		/* events the log would show, after its end */
	char after_first[256];
	uint32_t steps;
	struct compare_step *step;
	size_t nsteps, cap;
};

/*
 * compare_log(): run @sc, then the lowest enabled transition (as irqsim
 * run does), to the run's end whatever the oracles say (the verdict is
 * judged apart), and set its events against the log's one by one.
 * Return: 0 or -ENOMEM.
 */
int compare_log(struct session *ss, const struct irqsim_schedule *sc,
		const struct trace_log *log, bool complete,
		struct compare_result *c);
void compare_result_free(struct compare_result *c);

/* The commands (run.c, explore.c, merge.c, check.c, list.c, import.c). */
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv, bool render_only);
int cmd_explore(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_import(int argc, char **argv);
int replay_log(const struct options *o);
/*
 * irqsim import of @text with @config's profiles and knobs (none: each
 * pair of profiles, as without --profile), its trace in *@trace (free()
 * it), searching at most @max_states states a configuration: 0, or
 * -EINVAL (a log it cannot import: @err says why), -ENOMEM, or -EPROTO
 * (the trace it made does not parse: a bug). For the fuzz target.
 */
int import_text(const char *file, const char *text, int format,
		bool complete, const struct scenario_config *config,
		uint64_t max_states, char **trace, char *err, size_t errlen);

#endif /* IRQSIM_CLI_INTERNAL_H */
