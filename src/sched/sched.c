// SPDX-License-Identifier: MIT
/* The irqsim engine: resumable functions, locks, PRNG, schedules, runs. */
#include "sched/sched.h"
#include "sched/alloc.h"
#include "sched/names.h"
#include "sched/footprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An actor runs at most this many invisible steps in one transition. */
#define IRQSIM_MAX_INVISIBLE 256

static struct irqsim_fn fn_table[IRQSIM_MAX_FNS];
static int fn_count;

static const struct irqsim_knob *knob_table[IRQSIM_MAX_KNOBS];
static int knob_count;
/* the registry by name: every --set, set line and profile setting */
static struct irqsim_names knob_names;

static void log_sync_frames(struct irqsim_ctx *ctx, int actor);
static void log_sync_all(struct irqsim_ctx *ctx)
	__attribute__((cold, noinline));
static enum irqsim_step step_logged(struct irqsim_ctx *ctx,
				    struct irqsim_frame *f)
	__attribute__((cold, noinline));
static void log_lock(struct irqsim_ctx *ctx, const char *tp, int lock,
		     enum irqsim_access access) __attribute__((cold, noinline));

/**
 * irqsim_fn_register - register a modeled function
 * @name: the kernel's (or QEMU's) name of the function
 * @step: its step function
 *
 * Registering the same name twice returns the first id, so layers may be
 * initialised more than once.
 *
 * Return: the function id, or -ENOSPC when the table is full.
 */
int irqsim_fn_register(const char *name, irqsim_step_fn step)
{
	int id = irqsim_fn_lookup(name);

	if (id >= 0)
		return id;
	if (fn_count >= IRQSIM_MAX_FNS)
		return -28; /* -ENOSPC */
	fn_table[fn_count].name = name;
	fn_table[fn_count].step = step;
	return fn_count++;
}

/*
 * The functions IRQSIM_DEFINE_FN() defined, as the linker gathered them
 * into one section (the kernel finds its initcalls the same way). Weak:
 * a program without any has no section.
 */
extern const struct irqsim_fn_def __start_irqsim_fn[] __attribute__((weak));
extern const struct irqsim_fn_def __stop_irqsim_fn[] __attribute__((weak));

static int fn_def_cmp(const void *a, const void *b)
{
	const struct irqsim_fn_def *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* Give every defined function its id, in the order of the names. */
static void __attribute__((constructor)) irqsim_fn_register_defined(void)
{
	const struct irqsim_fn_def *def;
	const struct irqsim_fn_def *sorted[IRQSIM_MAX_FNS];
	size_t n = 0;

	for (def = __start_irqsim_fn; def && def < __stop_irqsim_fn; def++) {
		if (n == IRQSIM_MAX_FNS) {
			fprintf(stderr, "irqsim: more than %d modeled functions\n",
				IRQSIM_MAX_FNS);
			abort();
		}
		sorted[n++] = def;
	}
	if (n)
		qsort(sorted, n, sizeof(sorted[0]), fn_def_cmp);
	for (size_t i = 0; i < n; i++)
		*sorted[i]->id = irqsim_fn_register(sorted[i]->name,
						    sorted[i]->step);
}

const char *irqsim_fn_name(int fn)
{
	if (fn < 0 || fn >= fn_count)
		return "?";
	return fn_table[fn].name;
}

int irqsim_fn_lookup(const char *name)
{
	for (int i = 0; i < fn_count; i++)
		if (!strcmp(fn_table[i].name, name))
			return i;
	return -1;
}

int irqsim_knob_register(const struct irqsim_knob *knob)
{
	int id = irqsim_knob_lookup(knob->name);

	if (id >= 0)
		return id;
	if (knob_count >= IRQSIM_MAX_KNOBS)
		return -28;
	knob_table[knob_count] = knob;
	irqsim_names_add(&knob_names, knob->name, knob_count);
	return knob_count++;
}

int irqsim_knob_count(void)
{
	return knob_count;
}

const struct irqsim_knob *irqsim_knob_get(int id)
{
	return id >= 0 && id < knob_count ? knob_table[id] : NULL;
}

static const char *knob_name(int id)
{
	return knob_table[id]->name;
}

int irqsim_knob_lookup(const char *name)
{
	return irqsim_names_lookup(&knob_names, name, knob_count, knob_name);
}

/**
 * irqsim_knob_parse_value - parse a knob value: a name from its value list
 * or a decimal number in 0..max
 * Return: 0 or -EINVAL (-22).
 */
int irqsim_knob_parse_value(int id, const char *text, int *value)
{
	const struct irqsim_knob *k = irqsim_knob_get(id);
	char *end;
	long v;

	if (!k || !text || !*text)
		return -22;
	for (int i = 0; k->values && k->values[i]; i++) {
		if (!strcmp(k->values[i], text)) {
			*value = i;
			return 0;
		}
	}
	v = strtol(text, &end, 10);
	if (*end || v < 0 || v > k->max)
		return -22;
	*value = (int)v;
	return 0;
}

const char *irqsim_knob_value_name(int id, int value, char *buf, size_t len)
{
	const struct irqsim_knob *k = irqsim_knob_get(id);

	if (k && k->values) {
		for (int i = 0; k->values[i]; i++)
			if (i == value)
				return k->values[i];
	}
	snprintf(buf, len, "%d", value);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Resumable functions                                                 */

void irqsim_push_frame(void *world, int actor, int fn, int32_t a0, int32_t a1,
		       int32_t a2, int32_t a3)
{
	struct irqsim_actor *a = &irqsim_sched(world)->actor[actor];
	struct irqsim_frame *f;

	if (a->nframes >= IRQSIM_MAX_FRAMES) {
		irqsim_sched(world)->warnings++;
		return;
	}
	if (a->nframes == 0)
		a->busy = 1;
	f = &a->frame[a->nframes++];
	memset(f, 0, sizeof(*f));
	f->fn = (uint16_t)fn;
	f->arg[0] = a0;
	f->arg[1] = a1;
	f->arg[2] = a2;
	f->arg[3] = a3;
}

/**
 * irqsim_call - push a callee frame; it runs from the caller's next step
 *
 * The caller sets its own pc to the continuation before calling. The
 * callee's return value lands in the caller's @ret.
 *
 * Return: IRQSIM_CONTINUE (a call is not a visible action).
 */
enum irqsim_step irqsim_call(struct irqsim_ctx *ctx, int fn, int32_t a0,
			     int32_t a1, int32_t a2, int32_t a3)
{
	irqsim_push_frame(ctx->world, ctx->actor, fn, a0, a1, a2, a3);
	return IRQSIM_CONTINUE;
}

enum irqsim_step irqsim_return(struct irqsim_ctx *ctx, int32_t value)
{
	struct irqsim_actor *a = irqsim_self(ctx);

	if (a->nframes == 0)
		return IRQSIM_CONTINUE;
	a->nframes--;
	if (a->nframes > 0)
		a->frame[a->nframes - 1].ret = value;
	else
		a->busy = 0;
	return IRQSIM_CONTINUE;
}

/* A visible action that also ends the function. */
enum irqsim_step irqsim_return_yield(struct irqsim_ctx *ctx, int32_t value)
{
	irqsim_return(ctx, value);
	return IRQSIM_YIELD;
}

static bool actor_has_work(const struct irqsim_actor *a,
			   const struct irqsim_program *p)
{
	return a->nframes > 0 || (p && a->op < p->nops);
}

/* Not blocked, and has a frame or an operation left. */
bool irqsim_actor_runnable(const void *world, const struct irqsim_rt *rt,
			   int actor)
{
	const struct irqsim_actor *a =
		&((const struct sched_world *)world)->actor[actor];

	return !a->blocked && actor_has_work(a, &rt->prog[actor]);
}

bool irqsim_actor_busy(const void *world, const struct irqsim_rt *rt,
		       int actor)
{
	const struct irqsim_actor *a =
		&((const struct sched_world *)world)->actor[actor];

	return actor_has_work(a, &rt->prog[actor]);
}

/*
 * The transition loop, specialised by the compiler for @logging true and
 * false: a run without a log tests nothing per step function.
 */
static inline __attribute__((always_inline)) enum irqsim_step
actor_step(struct irqsim_ctx *ctx, const bool logging)
{
	struct irqsim_actor *a = irqsim_self(ctx);
	const struct irqsim_program *p = &ctx->rt->prog[ctx->actor];

	/* a read unless it was set: a footprint must not see a write here */
	if (a->blocked) {
		a->blocked = 0;
		irqsim_sched(ctx->world)->waiters[a->wait_token] &=
			(uint16_t)~(1u << ctx->actor);
		a->wait_token = 0;
	}
	for (int n = 0; n < IRQSIM_MAX_INVISIBLE; n++) {
		struct irqsim_frame *f;
		enum irqsim_step r;

		if (a->nframes == 0) {
			const struct irqsim_op *op;

			if (a->op >= p->nops)
				return IRQSIM_YIELD;
			op = &p->op[a->op++];
			irqsim_push_frame(ctx->world, ctx->actor, op->fn,
					  op->arg[0], op->arg[1], op->arg[2],
					  op->arg[3]);
		}
		f = &a->frame[a->nframes - 1];
		if (logging)
			r = step_logged(ctx, f);
		else
			r = fn_table[f->fn].step(ctx, f);
		if (r != IRQSIM_CONTINUE)
			return r;
	}
	irqsim_warn(ctx, __FILE__, __LINE__, "too many invisible steps");
	return IRQSIM_YIELD;
}

static enum irqsim_step __attribute__((cold, noinline))
actor_step_logged(struct irqsim_ctx *ctx)
{
	return actor_step(ctx, true);
}

/**
 * irqsim_actor_step - run one transition of the current actor: invisible
 * steps up to and including one visible action (or a block)
 */
enum irqsim_step irqsim_actor_step(struct irqsim_ctx *ctx)
{
	if (__builtin_expect(ctx->rt->log != NULL, 0))
		return actor_step_logged(ctx);
	return actor_step(ctx, false);
}

/* ------------------------------------------------------------------ */
/* Locks and waits                                                     */

bool irqsim_trylock(struct irqsim_ctx *ctx, int lock)
{
	struct sched_world *w = irqsim_sched(ctx->world);

	if (w->lock_owner[lock] == ctx->actor) {
		irqsim_warn(ctx, __FILE__, __LINE__, "recursive lock");
		return true;
	}
	if (w->lock_owner[lock] >= 0) {
		if (__builtin_expect(ctx->rt->log != NULL, 0))
			log_lock(ctx, "lock_contended", lock, IRQSIM_ACC_NONE);
		irqsim_wait(ctx, lock);
		return false;
	}
	w->lock_owner[lock] = (int8_t)ctx->actor;
#ifdef IRQSIM_FP_BUILD
	irqsim_fp_lock_changed(ctx->actor, lock, true);
#endif
	if (__builtin_expect(ctx->rt->log != NULL, 0))
		log_lock(ctx, "lock_acquire", lock, IRQSIM_ACC_ACQUIRE);
	return true;
}

void irqsim_unlock(struct irqsim_ctx *ctx, int lock)
{
	struct sched_world *w = irqsim_sched(ctx->world);

	if (w->lock_owner[lock] != ctx->actor)
		irqsim_warn(ctx, __FILE__, __LINE__, "unlock of a lock not held");
	w->lock_owner[lock] = -1;
#ifdef IRQSIM_FP_BUILD
	irqsim_fp_lock_changed(ctx->actor, lock, false);
#endif
	if (__builtin_expect(ctx->rt->log != NULL, 0))
		log_lock(ctx, "lock_release", lock, IRQSIM_ACC_RELEASE);
	irqsim_wake(ctx->world, lock);
}

bool irqsim_lock_held_by_me(struct irqsim_ctx *ctx, int lock)
{
	return irqsim_sched(ctx->world)->lock_owner[lock] == ctx->actor;
}

enum irqsim_step irqsim_wait(struct irqsim_ctx *ctx, int token)
{
	struct irqsim_actor *a = irqsim_self(ctx);

	if (token < 0 || token >= IRQSIM_MAX_TOKENS) {
		irqsim_warn(ctx, __FILE__, __LINE__, "wait token out of range");
		return IRQSIM_YIELD;
	}
	a->blocked = 1;
	a->wait_token = (uint16_t)token;
	irqsim_sched(ctx->world)->waiters[token] |= (uint16_t)(1u << ctx->actor);
	return IRQSIM_BLOCKED;
}

void irqsim_wake(void *world, int token)
{
	struct sched_world *w = irqsim_sched(world);
	unsigned int m;

	if (token < 0 || token >= IRQSIM_MAX_TOKENS || !w->waiters[token])
		return;
	m = w->waiters[token];
	w->waiters[token] = 0;
	/*
	 * The token goes with the wait: a woken actor that kept it would
	 * make its state differ, in the fingerprint, from the same state
	 * reached without the wait.
	 */
	for (; m; m &= m - 1) {
		w->actor[__builtin_ctz(m)].blocked = 0;
		w->actor[__builtin_ctz(m)].wait_token = 0;
	}
}

void irqsim_warn(struct irqsim_ctx *ctx, const char *file, int line,
		 const char *what)
{
	irqsim_sched(ctx->world)->warnings++;
	IRQSIM_EVENT(ctx, true, "WARN", "%s:%d: %s", file, line, what);
}

/* ------------------------------------------------------------------ */
/* Events                                                              */

void irqsim_log_init(struct irqsim_log *log)
{
	memset(log, 0, sizeof(*log));
}

void irqsim_log_free(struct irqsim_log *log)
{
	free(log->ev);
	memset(log, 0, sizeof(*log));
}

/* A new zeroed event of the current actor and step, or NULL (no memory). */
static struct irqsim_event *log_new(struct irqsim_ctx *ctx, bool important,
				    const char *fn)
{
	struct irqsim_log *log = ctx->rt->log;
	struct irqsim_event *e;

	if (log->oom)
		return NULL;
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		struct irqsim_event *ev = irqsim_realloc(log->ev, cap * sizeof(*ev));

		if (!ev) {
			log->oom = true;
			return NULL;
		}
		log->ev = ev;
		log->cap = cap;
	}
	e = &log->ev[log->n++];
	memset(e, 0, sizeof(*e));
	e->step = irqsim_sched(ctx->world)->step;
	e->actor = (uint8_t)ctx->actor;
	e->important = important;
	e->fn = fn;
	return e;
}

void irqsim_emit(struct irqsim_ctx *ctx, bool important, const char *fn,
		 const char *fmt, ...)
{
	struct irqsim_event *e = log_new(ctx, important, fn);
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

/*
 * The trace event this actor logged last in this step, the one an
 * IRQSIM_TRACE or IRQSIM_ACCESS annotates; NULL if there is none.
 */
static struct irqsim_event *log_last(struct irqsim_ctx *ctx)
{
	const struct irqsim_log *log = ctx->rt->log;
	uint32_t step = irqsim_sched(ctx->world)->step;

	for (size_t i = log->n; i-- > 0;) {
		struct irqsim_event *e = &log->ev[i];

		if (e->step != step)
			return NULL;
		if (e->actor != ctx->actor || e->kind != IRQSIM_EV_TRACE)
			continue;
		/* the engine's lock events are not the model's to annotate */
		if (e->tp && e->tp == e->fn && !strncmp(e->tp, "lock_", 5))
			continue;
		return e;
	}
	return NULL;
}

void irqsim_emit_fields(struct irqsim_ctx *ctx, const char *tp,
			const char *fmt, ...)
{
	struct irqsim_event *e = log_last(ctx);
	va_list ap;

	if (!e || e->tp)
		e = log_new(ctx, false, tp);
	if (!e)
		return;
	e->tp = tp;
	va_start(ap, fmt);
	vsnprintf(e->fields, sizeof(e->fields), fmt, ap);
	va_end(ap);
}

void irqsim_emit_access(struct irqsim_ctx *ctx, uint32_t obj,
			enum irqsim_access access)
{
	struct irqsim_event *e = log_last(ctx);

	if (!e || e->naccess == IRQSIM_EVENT_ACCESSES)
		e = log_new(ctx, false, "access");
	if (!e)
		return;
	e->obj[e->naccess] = obj;
	e->access[e->naccess++] = (uint8_t)access;
}

/* lock_acquire, lock_release, lock_contended: lockdep's tracepoints. */
static void log_lock(struct irqsim_ctx *ctx, const char *tp, int lock,
		     enum irqsim_access access)
{
	struct irqsim_event *e = log_new(ctx, false, tp);

	if (!e)
		return;
	e->tp = tp;
	snprintf(e->fields, sizeof(e->fields), "lock=%d", lock);
	e->obj[0] = IRQSIM_OBJ(IRQSIM_OBJ_LOCK, lock, 0);
	e->access[0] = (uint8_t)access;
	e->naccess = 1;
}

/*
 * Entry records for the frames of @actor not logged yet: those its own
 * calls pushed, and those pushed from outside (an interrupt taken).
 */
static void log_sync_frames(struct irqsim_ctx *ctx, int actor)
{
	struct irqsim_log *log = ctx->rt->log;
	const struct irqsim_actor *a = &irqsim_sched(ctx->world)->actor[actor];
	struct irqsim_ctx actx = *ctx;

	actx.actor = actor;
	while (log->depth[actor] < a->nframes) {
		const struct irqsim_frame *f = &a->frame[log->depth[actor]];
		struct irqsim_event *e =
			log_new(&actx, false, irqsim_fn_name(f->fn));

		if (!e)
			return;
		e->kind = IRQSIM_EV_ENTRY;
		snprintf(e->fields, sizeof(e->fields),
			 "arg0=%d arg1=%d arg2=%d arg3=%d", f->arg[0], f->arg[1],
			 f->arg[2], f->arg[3]);
		log->depth[actor]++;
	}
}

/* After a transition: entries of frames pushed from outside (an interrupt). */
static void log_sync_all(struct irqsim_ctx *ctx)
{
	for (int a = 0; a < irqsim_sched(ctx->world)->nactors; a++)
		log_sync_frames(ctx, a);
}

/*
 * One step-function invocation with a log attached. The engine records
 * the frames it pushed and popped (entry and exit records, for slices) by
 * comparing the actor's frames before and after, so irqsim_call() and
 * irqsim_return() stay as they are. Only runs with a log pay for it.
 * (Locks are logged where they are taken: their order matters.)
 */
static enum irqsim_step step_logged(struct irqsim_ctx *ctx,
				    struct irqsim_frame *f)
{
	struct irqsim_actor *a = irqsim_self(ctx);
	struct irqsim_log *log = ctx->rt->log;
	uint8_t before;
	enum irqsim_step r;

	log_sync_frames(ctx, ctx->actor);
	before = a->nframes;
	r = fn_table[f->fn].step(ctx, f);

	/* frames popped: their memory is intact until the next push */
	for (int i = before; i-- > a->nframes && i < log->depth[ctx->actor];) {
		struct irqsim_event *e =
			log_new(ctx, false, irqsim_fn_name(a->frame[i].fn));

		if (!e)
			break;
		e->kind = IRQSIM_EV_EXIT;
		if (i > 0)
			snprintf(e->fields, sizeof(e->fields), "ret=%d",
				 a->frame[i - 1].ret);
	}
	if (log->depth[ctx->actor] > a->nframes)
		log->depth[ctx->actor] = a->nframes;
	log_sync_frames(ctx, ctx->actor);
	return r;
}

/* ------------------------------------------------------------------ */
/* PRNG and hash                                                       */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void irqsim_prng_seed(struct irqsim_prng *p, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		p->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t irqsim_prng_next(struct irqsim_prng *p)
{
	uint64_t *s = p->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Unbiased value in [0, n) (Lemire's multiply-and-reject). */
uint32_t irqsim_prng_below(struct irqsim_prng *p, uint32_t n)
{
	uint64_t m = (uint64_t)(uint32_t)irqsim_prng_next(p) * n;
	uint32_t low = (uint32_t)m;

	if (low < n) {
		uint32_t threshold = -n % n;

		while (low < threshold) {
			m = (uint64_t)(uint32_t)irqsim_prng_next(p) * n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

uint64_t irqsim_hash(const void *data, size_t len)
{
	const unsigned char *b = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ------------------------------------------------------------------ */
/* Schedules                                                           */

void irqsim_schedule_init(struct irqsim_schedule *s)
{
	memset(s, 0, sizeof(*s));
}

void irqsim_schedule_free(struct irqsim_schedule *s)
{
	free(s->t);
	memset(s, 0, sizeof(*s));
}

int irqsim_schedule_push(struct irqsim_schedule *s, uint16_t t)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 128;
		uint16_t *nt = irqsim_realloc(s->t, cap * sizeof(*nt));

		if (!nt)
			return -12; /* -ENOMEM */
		s->t = nt;
		s->cap = cap;
	}
	s->t[s->n++] = t;
	return 0;
}

int irqsim_schedule_copy(struct irqsim_schedule *dst,
			 const struct irqsim_schedule *src)
{
	dst->n = 0;
	for (size_t i = 0; i < src->n; i++)
		if (irqsim_schedule_push(dst, src->t[i]))
			return -12;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */

/* Index of @t in @en, or -1. */
static int find_enabled(const uint16_t *en, int n, uint16_t t)
{
	for (int i = 0; i < n; i++)
		if (en[i] == t)
			return i;
	return -1;
}

/*
 * PCT (Burckhardt et al., ASPLOS 2010): run the enabled transition source
 * with the highest priority; a source first seen gets a random priority
 * above every lowered one; at each of the d-1 change points the chosen
 * source drops below all others (to d - i at the i-th point).
 */
static int choose_pct(struct irqsim_chooser *ch, const uint16_t *en, int n)
{
	struct irqsim_pct *p = &ch->pct;
	uint64_t best_prio = 0;
	int best = 0, best_slot = -1;

	p->steps++;
	for (int i = 0; i < n; i++) {
		int slot = -1;

		for (int c = 0; c < p->ncodes; c++)
			if (p->code[c] == en[i]) {
				slot = c;
				break;
			}
		if (slot < 0) {
			if (p->ncodes == IRQSIM_PCT_MAX_CODES)
				continue;
			slot = p->ncodes++;
			p->code[slot] = en[i];
			p->prio[slot] = (1ULL << 40) |
					(uint32_t)irqsim_prng_next(&ch->prng);
		}
		if (best_slot < 0 || p->prio[slot] > best_prio) {
			best = i;
			best_slot = slot;
			best_prio = p->prio[slot];
		}
	}
	for (int j = 0; j + 1 < p->depth && best_slot >= 0; j++)
		if (p->change[j] == p->steps)
			p->prio[best_slot] = (uint64_t)(p->depth - 1 - j);
	return best;
}

static int choose(struct irqsim_chooser *ch, const uint16_t *en, int n,
		  int *idx)
{
	if (ch->kind == IRQSIM_CHOOSE_RANDOM) {
		*idx = n == 1 ? 0 : (int)irqsim_prng_below(&ch->prng, n);
		return 0;
	}
	if (ch->kind == IRQSIM_CHOOSE_PCT) {
		*idx = choose_pct(ch, en, n);
		return 0;
	}
	while (ch->pos < ch->replay->n) {
		int i = find_enabled(en, n, ch->replay->t[ch->pos]);

		if (i >= 0) {
			ch->pos++;
			*idx = i;
			return 0;
		}
		if (!ch->replay_lenient)
			return -2;
		ch->pos++;
	}
	*idx = 0;
	if (ch->replay_then_continue && ch->has_last) {
		int i = find_enabled(en, n, ch->last);

		if (i >= 0)
			*idx = i;
		return 0;
	}
	return ch->replay_then_first || ch->replay_then_continue ? 0 : -1;
}

void irqsim_run(const struct irqsim_model *model, const struct irqsim_rt *rt,
		void *world, struct irqsim_chooser *chooser, uint32_t bound,
		struct irqsim_schedule *record, struct irqsim_run_result *res)
{
	struct sched_world *w = irqsim_sched(world);
	struct irqsim_ctx ctx = { .world = world, .rt = rt };
	const bool logging = rt->log != NULL;
	uint16_t en[IRQSIM_MAX_ENABLED];
	uint32_t want = model->windows ? rt->windows : 0;

	memset(res, 0, sizeof(*res));
	res->windows = irqsim_windows(model, rt, world, &want);
	for (;;) {
		int n = model->enabled(world, rt, en);
		int idx, rc;

		if (n == 0 || w->step >= bound) {
			if (model->check_end(world, rt, n != 0, &res->verdict))
				res->status = IRQSIM_RUN_VIOLATION;
			break;
		}
		rc = choose(chooser, en, n, &idx);
		if (rc == -1) {
			/* replay ended early: stop here and judge */
			if (model->check_end(world, rt, true, &res->verdict))
				res->status = IRQSIM_RUN_VIOLATION;
			break;
		}
		if (rc < 0) {
			res->status = IRQSIM_RUN_DIVERGED;
			res->diverged_at = chooser->pos;
			break;
		}
		/* a schedule with a hole would replay another run */
		if (record && irqsim_schedule_push(record, en[idx])) {
			res->status = IRQSIM_RUN_NOMEM;
			break;
		}
		chooser->has_last = true;
		chooser->last = en[idx];
		model->fire(&ctx, en[idx]);
		if (__builtin_expect(logging, 0))
			log_sync_all(&ctx);
		w->step++;
		res->windows |= irqsim_windows(model, rt, world, &want);
		if (model->check_step(world, rt, &res->verdict)) {
			res->status = IRQSIM_RUN_VIOLATION;
			break;
		}
	}
	res->steps = w->step;
}

double irqsim_now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
