// SPDX-License-Identifier: MIT
/*
 * explore --checkpoint, --checkpoint-every and --resume: the identity of
 * a run (what must be the same for a checkpoint to be gone on with), the
 * checkpoints written as the search goes and where it stops, and the
 * search resumed from one. The engine writes and reads the search's
 * state (sched/checkpoint.h); the trace, the options and the files are
 * the command's.
 */
#include "cli/internal.h"
#include "cli/infile.h"
#include "cli/report.h"
#include "cli/version.h"
#include "sched/alloc.h"
#include "sched/checkpoint.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What the search's checkpoint callback needs. */
struct ckpt_ctx {
	const char *path;		/* --checkpoint; NULL: none written */
	double every, last;		/* seconds; when the last was written */
	struct irqsim_ckpt_id id;
	int stopped;			/* the last one: 1 written, -1 not */
	uint64_t distinct;		/* the states it holds */
};

int ckpt_check(const struct options *o)
{
	const char *opt = o->checkpoint ? "--checkpoint" : "--resume";

	if (o->checkpoint_every && !o->checkpoint)
		return usage("%s", "--checkpoint-every needs --checkpoint FILE");
	if (!o->checkpoint && !o->resume)
		return 0;
	if (o->strategy != STRATEGY_DFS)
		return usage("%s: --strategy dfs only (a checkpoint holds a depth-first search)",
			     opt);
	if (o->jobs > 1 || o->shard_count > 1)
		return usage("%s: one search, not --jobs or --shard (the set the workers share, and the other shards, are not written)",
			     opt);
	if (o->transactions)
		return usage("%s: not with --transactions (the locksets it learns as it goes are not written)",
			     opt);
	if (o->state_profile)
		return usage("%s: not with --state-profile (its tables are not written, so a resumed search would profile one sitting)",
			     opt);
	if (o->unreached)
		return usage("%s: not with --unreached (the program points reached are not written)",
			     opt);
	if (o->near_schedule)
		return usage("%s: not with --near-schedule (a search from each prefix, not one search)",
			     opt);
	return 0;
}

/*
 * The run's identity: a line "key=value" for everything that decides
 * what the search does, so that a checkpoint of another one is refused
 * with the line that differs. The trace by its bytes (not its path: a
 * trace moved is the same trace), every knob by name, the irqsim that
 * wrote it (a search's states mean something only to the model that
 * found them). Not --max-states or --max-memory (a limit, which a
 * resumed search may raise), except where the memory is the bit array.
 */
static char *ckpt_identity(const struct session *ss,
			   const struct irqsim_dfs_opts *dopts, bool dist,
			   size_t *len)
{
	char *text = NULL, buf[1024];
	struct irqsim_fp h;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	irqsim_hash128(ss->s.text, strlen(ss->s.text), &h);
	fprintf(f, "made-by=%s\n", irqsim_version());
	fprintf(f, "search=%s\n", dist ? "distributed (--distributed)" :
					 "one process");
	fprintf(f, "trace=%s %016" PRIx64 "%016" PRIx64 "\n", ss->s.name,
		h.a, h.b);
	for (int k = 0; k < irqsim_knob_count(); k++)
		fprintf(f, "knob %s=%s\n", irqsim_knob_get(k)->name,
			irqsim_knob_value_name(k, ss->knobs[k], buf,
					       sizeof(buf)));
	scenario_ignore_format(&ss->s, &ss->ignore, ",", buf, sizeof(buf));
	fprintf(f, "ignore=%s\n", buf[0] ? buf : "-");
	buf[0] = 0;
	if (ss->ignore.only.type != CHECK_OBJ_NONE)
		scenario_object_name(&ss->s, &ss->ignore.only, buf,
				     sizeof(buf));
	fprintf(f, "only=%s\n", buf[0] ? buf : "-");
	fprintf(f, "strategy=dfs\nsleep-sets=%s\n",
		dopts->sleep_sets ? "on" : "off (--no-por)");
	if (dopts->preemption_bound >= 0)
		fprintf(f, "preemption-bound=%d\n", dopts->preemption_bound);
	else
		fprintf(f, "preemption-bound=none\n");
	if (dopts->bitstate_bytes)
		fprintf(f, "bitstate=%zu bytes\n", dopts->bitstate_bytes);
	else
		fprintf(f, "bitstate=no\n");
	fprintf(f, "bound=%u\n", dopts->bound);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* The line of @text whose key (up to '=') is @key's, or NULL. */
static const char *find_key(const char *text, const char *key, size_t klen)
{
	const char *l = text;

	while (*l) {
		size_t n = strcspn(l, "\n");

		if (!strncmp(l, key, klen) && l[klen] == '=')
			return l;
		l += n + (l[n] != 0);
	}
	return NULL;
}

/*
 * A checkpoint of another run: say the first line of the identities
 * that differs, as "KEY=VALUE there, KEY=VALUE here".
 */
static void say_other_run(const char *path, const char *there,
			  const char *here)
{
	const char *texts[2] = { here, there };

	for (int i = 0; i < 2; i++) {
		for (const char *l = texts[i]; *l;) {
			size_t n = strcspn(l, "\n"), klen = strcspn(l, "=\n");
			const char *o = find_key(texts[!i], l, klen);
			size_t on = o ? strcspn(o, "\n") : 0;

			if (!o || on != n || strncmp(o, l, n)) {
				fprintf(stderr, "irqsim: %s: a checkpoint of another search: ",
					path);
				if (!o)
					fprintf(stderr, "%.*s %s only\n", (int)n, l,
						i ? "there" : "here");
				else
					fprintf(stderr, "%.*s there, %.*s here%s\n",
						(int)(i ? n : on), i ? l : o,
						(int)(i ? on : n), i ? o : l,
						strncmp(l, "made-by=", 8) ? "" :
						" (a search's states mean something only to the model that found them)");
				return;
			}
			l += n + (l[n] != 0);
		}
	}
	fprintf(stderr, "irqsim: %s: corrupt: its identity does not match its hash\n",
		path);
}

/*
 * --checkpoint FILE before the search: refused if it cannot be written
 * (said now, not after an hour), if it is no regular file (a device or
 * a pipe cannot be replaced whole, nor read back), or if it is a file
 * that is no checkpoint (a typo must not overwrite a trace).
 */
static int ckpt_writable(const char *path)
{
	struct outfile of;
	struct stat sb;
	char magic[8];
	FILE *f;

	if (!stat(path, &sb) && !S_ISREG(sb.st_mode)) {
		fprintf(stderr, "irqsim: --checkpoint %s: not a regular file (a checkpoint replaces its file whole)\n",
			path);
		return -1;
	}
	if (!stat(path, &sb) && sb.st_size > 0) {
		size_t n = 0;

		f = fopen(path, "rb");
		if (f) {
			n = fread(magic, 1, sizeof(magic), f);
			fclose(f);
		}
		if (n != sizeof(magic) ||
		    memcmp(magic, IRQSIM_CKPT_MAGIC, sizeof(magic))) {
			fprintf(stderr, "irqsim: --checkpoint %s: a file that is no irqsim checkpoint is there; not overwritten\n",
				path);
			return -1;
		}
	}
	if (!outfile_open(&of, path, true))
		return -1;
	outfile_close(&of, true);
	return 0;
}

/* One checkpoint, atomically: a temporary file, fsync, rename. */
static int ckpt_write(struct ckpt_ctx *c, const struct irqsim_dfs *d)
{
	struct outfile of;
	FILE *f = outfile_open(&of, c->path, true);
	int err;

	if (!f)
		return -1;
	err = irqsim_dfs_save(d, f, &c->id);
	if (err) {
		fprintf(stderr, "irqsim: cannot write %s: %s\n", c->path,
			err == -EINVAL ? "this search takes no checkpoint" :
					 strerror(-err));
		outfile_close(&of, true);
		return -1;
	}
	if (outfile_close_durable(&of, false))
		return -1;
	c->distinct = irqsim_dfs_distinct(d);
	return 0;
}

/*
 * The search's checkpoint callback: every 65536 states it asks, and a
 * checkpoint is written once --checkpoint-every has passed since the
 * last; where it stops (@last), always. A periodic one that cannot be
 * written is said, and the search goes on: the file keeps the last one.
 */
static void ckpt_tick(const struct irqsim_dfs *d, bool last, void *arg)
{
	struct ckpt_ctx *c = arg;

	if (!last && irqsim_now_seconds() - c->last < c->every)
		return;
	if (ckpt_write(c, d)) {
		if (last)
			c->stopped = -1;
		else
			fprintf(stderr, "irqsim: the search goes on; %s keeps the last checkpoint written, if any\n",
				c->path);
	} else if (last) {
		c->stopped = 1;
	}
	c->last = irqsim_now_seconds();
}

/*
 * A test's switch, IRQSIM_TEST_SIGNAL=SIG@N (SIG: INT, TERM or KILL):
 * raise SIG once the search has N distinct states, as a user, a job
 * scheduler or the OOM killer would at a moment a test can name.
 */
static int test_signal;
static uint64_t test_signal_at;

static void test_signal_visit(const struct irqsim_dfs_visit *v, void *arg)
{
	(void)arg;
	if (test_signal && v->fresh &&
	    irqsim_dfs_distinct(v->dfs) >= test_signal_at) {
		int sig = test_signal;

		test_signal = 0;
		raise(sig);
	}
}

static void test_signal_setup(struct irqsim_dfs_opts *dopts)
{
	const char *e = getenv("IRQSIM_TEST_SIGNAL");
	const char *at = e ? strchr(e, '@') : NULL;

	if (!at || dopts->visit)
		return;
	test_signal = !strncmp(e, "INT@", 4) ? SIGINT :
		      !strncmp(e, "TERM@", 5) ? SIGTERM :
		      !strncmp(e, "KILL@", 5) ? SIGKILL : 0;
	if (!test_signal ||
	    infile_parse_u64(at + 1, 1, UINT64_MAX, &test_signal_at))
		return;
	dopts->visit = test_signal_visit;
}

/* --resume FILE: open it, check it is this run's, and load the search. */
static int ckpt_load(const char *path, struct ckpt_ctx *c,
		     struct session *ss, struct irqsim_dfs *d,
		     struct explore_outcome *out)
{
	struct irqsim_ckpt_reader r;
	FILE *f = fopen(path, "rb");
	int err;

	if (!f) {
		fprintf(stderr, "irqsim: cannot read %s: %s\n", path,
			strerror(errno));
		return -2;
	}
	err = irqsim_ckpt_open(&r, f);
	if (!err && (r.id_hash.a != c->id.hash.a ||
		     r.id_hash.b != c->id.hash.b)) {
		say_other_run(path, r.id_text, c->id.text);
		err = -2;
	} else if (!err) {
		err = irqsim_dfs_load(d, ss->init, &r, &out->st);
	}
	if (err && err != -2 && r.why) {
		fprintf(stderr, "irqsim: %s: %s\n", path, r.why);
		err = -2;
	}
	irqsim_ckpt_close(&r);
	fclose(f);
	if (!err) {
		out->resumed = true;
		out->resumed_distinct = out->st.distinct;
		out->resumed_seconds = out->st.seconds;
	}
	return err;
}

int ckpt_explore_dfs(struct session *ss, const struct options *o,
		     const struct irqsim_rt *rt, struct irqsim_dfs_opts *dopts,
		     struct irqsim_schedule *sc, struct explore_outcome *out)
{
	struct ckpt_ctx c = { .every = o->checkpoint_seconds };
	struct irqsim_dfs *d = NULL;
	char *text;
	int err;

	text = ckpt_identity(ss, dopts, false, &c.id.len);
	if (!text)
		return -12;
	c.id.text = text;
	irqsim_hash128(text, c.id.len, &c.id.hash);
	if (o->checkpoint) {
		if (ckpt_writable(o->checkpoint)) {
			err = -2;
			goto out;
		}
		c.path = o->checkpoint;
		dopts->checkpoint = ckpt_tick;
		dopts->checkpoint_arg = &c;
	}
	test_signal_setup(dopts);
	memset(&out->st, 0, sizeof(out->st));
	out->st.complete = out->st.pb_complete = true;
	memset(&out->verdict, 0, sizeof(out->verdict));
	d = irqsim_dfs_new(&scenario_model, rt, dopts);
	if (!d) {
		err = -12;
		goto out;
	}
	if (o->resume && (err = ckpt_load(o->resume, &c, ss, d, out)))
		goto out;
	c.last = irqsim_now_seconds();
	err = irqsim_dfs_search(d, ss->init, NULL, &out->st, &out->verdict,
				sc);
	out->ckpt_last = c.stopped;
	out->ckpt_distinct = c.distinct;
out:
	irqsim_dfs_free(d);
	free(text);
	return err;
}

/*
 * Where the search stopped with --checkpoint: the checkpoint, and the
 * command that goes on from it (the options that decide the search, as
 * given; not --max-states, which stopped it). The memory budget stops
 * it where none can be written: the last one written is said.
 */
void ckpt_summary(FILE *f, const struct session *ss, const struct options *o,
		  const struct explore_outcome *x)
{
	char options[RUN_OPTIONS_MAX];

	if (o->checkpoint && x->budget && !x->ckpt_last) {
		if (x->ckpt_distinct)
			fprintf(f, "explore: stopped at the memory budget; %s holds the checkpoint of %" PRIu64 " distinct states: --resume with a larger --max-memory goes on\n",
				o->checkpoint, x->ckpt_distinct);
		else
			fprintf(f, "explore: stopped at the memory budget; no checkpoint written by this search\n");
		return;
	}
	if (!x->ckpt_last)
		return;
	fprintf(f, "explore: %s after %" PRIu64 " distinct states; ",
		x->interrupted ? "interrupted" : "stopped at --max-states",
		x->st.distinct);
	if (x->ckpt_last < 0) {
		fprintf(f, "no checkpoint written (%s keeps the last one written, if any)\n",
			o->checkpoint);
		return;
	}
	fprintf(f, "checkpoint written to %s\n", o->checkpoint);
	run_options_string(options, sizeof(options), &ss->s, &o->config,
			   &ss->ignore);
	fprintf(f, "  resume: ");
	if (x->distributed)
		fprintf(f, "mpirun -np %d ", x->dist.ranks);
	fprintf(f, "irqsim explore %s --strategy dfs%s%s%s", ss->s.file,
		x->distributed ? " --distributed" : "",
		o->no_por ? " --no-por" : "", o->bitstate ? " --bitstate" : "");
	if (o->preemption_bound >= 0)
		fprintf(f, " --preemption-bound %d", o->preemption_bound);
	/* the bit array's size comes from it */
	if (o->bitstate && o->max_memory)
		fprintf(f, " --max-memory %" PRIu64, o->max_memory);
	if (o->checkpoint_every)
		fprintf(f, " --checkpoint-every %s", o->checkpoint_every);
	fprintf(f, "%s --resume %s --checkpoint %s\n", options, o->checkpoint,
		o->checkpoint);
}

/*
 * --checkpoint and --resume with --distributed: FILE names the job's
 * checkpoint, which says which generation of the ranks' parts is whole
 * (irqsim_ckpt kind DIST_JOB: the ranks, the generation), and each rank
 * writes its part beside it, FILE.rankR.S, in one of two slots S by the
 * generation's parity: a part of generation G+1 never overwrites one of
 * G, and FILE names G+1 only once every rank's part of it is in place
 * (sched/dist.h). Resumed with as many ranks, on the same trace and
 * options.
 */
struct ckpt_dist {
	struct ckpt_ctx c;
	char *text;
	int rank, size;
	struct outfile of;
	char part[4200];
	struct irqsim_ckpt_reader r;
	FILE *rf;
	bool reading;
};

static void part_path(struct ckpt_dist *k, const char *file, uint64_t gen)
{
	snprintf(k->part, sizeof(k->part), "%s.rank%d.%d", file, k->rank,
		 (int)(gen % 2));
}

static FILE *dist_part_begin(void *arg, uint64_t gen)
{
	struct ckpt_dist *k = arg;

	part_path(k, k->c.path, gen);
	return outfile_open(&k->of, k->part, true);
}

static int dist_part_end(void *arg, FILE *f, bool ok)
{
	struct ckpt_dist *k = arg;

	(void)f;
	if (!ok) {
		fprintf(stderr, "irqsim: rank %d: cannot write %s\n", k->rank,
			k->part);
		outfile_close(&k->of, true);
		return -1;
	}
	return outfile_close_durable(&k->of, false);
}

/* Rank 0, once every part of @gen is in place: FILE names @gen. */
static int dist_commit(void *arg, uint64_t gen)
{
	struct ckpt_dist *k = arg;
	struct irqsim_ckpt_writer *w = irqsim_malloc(sizeof(*w));
	struct outfile of;
	FILE *f = w ? outfile_open(&of, k->c.path, true) : NULL;
	int rc;

	if (!f) {
		free(w);
		return -1;
	}
	irqsim_ckpt_begin(w, f, IRQSIM_CKPT_DIST_JOB, &k->c.id);
	irqsim_ckpt_put_u32(w, (uint32_t)k->size);
	irqsim_ckpt_put_u64(w, gen);
	rc = irqsim_ckpt_end(w);
	free(w);
	if (rc) {
		fprintf(stderr, "irqsim: cannot write %s: %s\n", k->c.path,
			strerror(-rc));
		outfile_close(&of, true);
		return -1;
	}
	return outfile_close_durable(&of, false);
}

/* Open @path, a checkpoint of @kind of this run, into @r; -2 said. */
static int open_of_run(struct ckpt_dist *k, const char *path, FILE **fp,
		       struct irqsim_ckpt_reader *r, enum irqsim_ckpt_kind kind)
{
	/* the job's file is the same for all: rank 0 says what is wrong */
	bool say = kind != IRQSIM_CKPT_DIST_JOB || k->rank == 0;
	int err;

	*fp = fopen(path, "rb");
	if (!*fp) {
		if (say)
			fprintf(stderr, "irqsim: cannot read %s: %s\n", path,
				strerror(errno));
		return -2;
	}
	err = irqsim_ckpt_open(r, *fp);
	if (!err && (r->id_hash.a != k->c.id.hash.a ||
		     r->id_hash.b != k->c.id.hash.b)) {
		if (say)
			say_other_run(path, r->id_text, k->c.id.text);
		return -2;
	}
	if (!err && r->kind != (uint32_t)kind)
		err = irqsim_ckpt_bad(r, "%s",
				      kind == IRQSIM_CKPT_DIST_JOB ?
					      "not the checkpoint of a distributed search (--resume it without --distributed)" :
					      "not one rank's part of a distributed search");
	if (err && r->why && say)
		fprintf(stderr, "irqsim: %s: %s\n", path, r->why);
	return err ? -2 : 0;
}

/* --resume FILE: FILE's generation, then this rank's part of it. */
static int dist_resume(struct ckpt_dist *k, const char *file)
{
	struct irqsim_ckpt_reader job;
	uint32_t size;
	uint64_t gen;
	FILE *f;
	int err = open_of_run(k, file, &f, &job, IRQSIM_CKPT_DIST_JOB);

	if (!err) {
		size = irqsim_ckpt_get_u32(&job);
		gen = irqsim_ckpt_get_u64(&job);
		if (job.why) {
			if (k->rank == 0)
				fprintf(stderr, "irqsim: %s: %s\n", file,
					job.why);
			err = -2;
		} else if (size != (uint32_t)k->size) {
			if (k->rank == 0)
				fprintf(stderr, "irqsim: %s: a search of %u ranks; this job has %d (resume it with mpirun -np %u)\n",
					file, size, k->size, size);
			err = -2;
		}
	}
	if (f)
		irqsim_ckpt_close(&job);
	if (f)
		fclose(f);
	if (err)
		return err;
	part_path(k, file, gen);
	k->reading = true;
	return open_of_run(k, k->part, &k->rf, &k->r, IRQSIM_CKPT_DIST_RANK);
}

struct ckpt_dist *ckpt_dist_setup(struct session *ss, const struct options *o,
				  const struct irqsim_dfs_opts *dopts,
				  const struct irqsim_dist_comm *comm,
				  struct irqsim_dist_opts *dist, int *err)
{
	struct ckpt_dist *k = irqsim_calloc(1, sizeof(*k));
	struct irqsim_dfs_opts one = *dopts;
	size_t len;

	*err = -12;
	if (!k)
		return NULL;
	k->rank = comm->rank;
	k->size = comm->size;
	one.sleep_sets = false;
	k->text = ckpt_identity(ss, &one, true, &len);
	if (!k->text)
		return k;
	k->c.id.text = k->text;
	k->c.id.len = len;
	irqsim_hash128(k->c.id.text, k->c.id.len, &k->c.id.hash);
	*err = 0;
	if (o->checkpoint) {
		/* each rank its own part: rank 0 checks FILE itself */
		if (k->rank == 0 && ckpt_writable(o->checkpoint))
			*err = -2;
		k->c.path = o->checkpoint;
		dist->ckpt_every = o->checkpoint_seconds;
		dist->ckpt_begin = dist_part_begin;
		dist->ckpt_end = dist_part_end;
		dist->ckpt_commit = dist_commit;
		dist->ckpt_arg = k;
		dist->ckpt_id = &k->c.id;
	}
	if (!*err && o->resume) {
		*err = dist_resume(k, o->resume);
		if (!*err)
			dist->resume = &k->r;
	}
	return k;
}

/* The reader's complaint, after a resume the engine refused. */
void ckpt_dist_say(const struct ckpt_dist *k)
{
	if (k && k->reading && k->r.why)
		fprintf(stderr, "irqsim: %s: %s\n", k->part, k->r.why);
}

void ckpt_dist_free(struct ckpt_dist *k)
{
	if (!k)
		return;
	if (k->rf) {
		irqsim_ckpt_close(&k->r);
		fclose(k->rf);
	}
	free(k->text);
	free(k);
}
