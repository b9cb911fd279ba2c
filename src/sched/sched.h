/* SPDX-License-Identifier: MIT */
/*
 * The irqsim engine: world header, actors running resumable functions,
 * locks and waits, the project's PRNG, schedules, strategies and replay.
 *
 * The engine knows nothing of interrupts. A model built on top of it
 * supplies the world (a flat struct whose first member is struct
 * sched_world), the functions actors run, and an ops table that lists
 * the enabled transitions and fires one.
 */
#ifndef IRQSIM_SCHED_H
#define IRQSIM_SCHED_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IRQSIM_MAX_ACTORS	12
#define IRQSIM_MAX_FRAMES	16
#define IRQSIM_MAX_LOCKS	48
#define IRQSIM_MAX_OPS		32
#define IRQSIM_MAX_FNS		160
#define IRQSIM_MAX_KNOBS	48
#define IRQSIM_MAX_ENABLED	32
#define IRQSIM_FRAME_ARGS	4
#define IRQSIM_FRAME_LOCALS	4

/* Wait tokens below IRQSIM_MAX_LOCKS are locks; the model owns the rest. */
#define IRQSIM_TOKEN_MODEL	IRQSIM_MAX_LOCKS
#define IRQSIM_MAX_TOKENS	128

/**
 * struct irqsim_frame - one activation of a modeled function
 * @fn:    registered function id
 * @pc:    resume point inside the function
 * @arg:   arguments, fixed at call time
 * @local: locals that live across steps
 * @ret:   return value of the last callee this frame called
 */
struct irqsim_frame {
	uint16_t fn;
	uint16_t pc;
	union {
		struct {
			int32_t arg[IRQSIM_FRAME_ARGS];
			int32_t local[IRQSIM_FRAME_LOCALS];
		};
		/* the function's own view: IRQSIM_FRAME_VARS() */
		int32_t slot[IRQSIM_FRAME_ARGS + IRQSIM_FRAME_LOCALS];
	};
	int32_t ret;
};

/**
 * struct irqsim_actor - a thread of control: a task, an interrupt context
 * or a device. Its program lives outside the world (struct irqsim_program);
 * only the position in it is state.
 */
struct irqsim_actor {
	uint8_t nframes;
	uint8_t blocked;
	uint16_t wait_token;	/* while @blocked; 0 once woken (fingerprinted) */
	uint16_t op;
	/*
	 * nframes != 0, written only when that changes: what another
	 * actor's test reads ("is that interrupt context running?"), so a
	 * nested call or return there is no dependency of the test's.
	 */
	uint8_t busy;
	uint8_t pad;
	struct irqsim_frame frame[IRQSIM_MAX_FRAMES];
};

/**
 * struct sched_world - the engine's part of the world; first member of
 * every model world, so a pointer to the model world is a pointer to it.
 */
struct sched_world {
	uint32_t step;
	uint32_t warnings;
	uint8_t nactors;
	int8_t lock_owner[IRQSIM_MAX_LOCKS];
	/*
	 * The actors blocked on each wait token (bit per actor): a wake
	 * reads only its token's waiters, so to the footprint reduction it
	 * depends on the waits for that token, not on every actor that
	 * blocks on anything. Derived from the actors' @blocked and
	 * @wait_token, so not part of a state's fingerprint.
	 */
	uint16_t waiters[IRQSIM_MAX_TOKENS];
	struct irqsim_actor actor[IRQSIM_MAX_ACTORS];
};
_Static_assert(IRQSIM_MAX_ACTORS <= 16, "waiters: one bit per actor");

/* One program operation: a function and its arguments, from a trace line. */
struct irqsim_op {
	uint16_t fn;
	int32_t arg[IRQSIM_FRAME_ARGS];
	int line;
};

struct irqsim_program {
	int nops;
	struct irqsim_op op[IRQSIM_MAX_OPS];
};

/*
 * Events, logged only when a sink is attached (replay and rendering).
 *
 * A trace event is what a modeled function reports: its function, a line
 * of prose for the timeline, and optionally a tracepoint name with
 * key=value fields (IRQSIM_TRACE) and the shared objects the step read or
 * wrote (IRQSIM_ACCESS), from which the renderers draw happens-before
 * edges. The engine adds lock events (the lockdep tracepoints
 * lock_acquire, lock_release, lock_contended) and function entry and exit
 * records (for slices), so models need not.
 */
#define IRQSIM_EVENT_TEXT	112
#define IRQSIM_EVENT_FIELDS	96
#define IRQSIM_EVENT_ACCESSES	2

enum irqsim_event_kind {
	IRQSIM_EV_TRACE,	/* a tracepoint or a modeled step */
	IRQSIM_EV_ENTRY,	/* a modeled function starts (frame pushed) */
	IRQSIM_EV_EXIT,		/* it returns (frame popped) */
};

/* What a step did to a shared object. */
enum irqsim_access {
	IRQSIM_ACC_NONE,
	IRQSIM_ACC_READ,
	IRQSIM_ACC_WRITE,
	IRQSIM_ACC_RMW,		/* read and write in one step */
	IRQSIM_ACC_ACQUIRE,	/* a lock */
	IRQSIM_ACC_RELEASE,
};

/*
 * A shared object: a kind and two indices. Kinds are the layers' own
 * (APIC_OBJ_*, MSI_OBJ_*, ...); the engine owns kind 1, its locks.
 */
#define IRQSIM_OBJ(kind, a, b)                                              \
	((uint32_t)(kind) << 24 | ((uint32_t)(a) & 0xfff) << 12 |           \
	 ((uint32_t)(b) & 0xfff))
#define IRQSIM_OBJ_KIND(obj)	((unsigned int)((obj) >> 24))
#define IRQSIM_OBJ_A(obj)	((int)(((obj) >> 12) & 0xfff))
#define IRQSIM_OBJ_B(obj)	((int)((obj) & 0xfff))
#define IRQSIM_OBJ_LOCK		1	/* a: lock id */

struct irqsim_event {
	uint32_t step;
	uint8_t actor;
	bool important;		/* a step that matters to a race */
	uint8_t kind;		/* enum irqsim_event_kind */
	uint8_t naccess;
	uint8_t access[IRQSIM_EVENT_ACCESSES];	/* enum irqsim_access */
	uint32_t obj[IRQSIM_EVENT_ACCESSES];
	const char *fn;		/* modeled function (an entry's callee) */
	const char *tp;		/* tracepoint name, NULL: none given */
	char text[IRQSIM_EVENT_TEXT];
	char fields[IRQSIM_EVENT_FIELDS];	/* "irq=1 cpu=1 vector=32" */
};

struct irqsim_log {
	struct irqsim_event *ev;
	size_t n, cap;
	bool oom;
	/* frames of each actor whose entry is logged */
	uint8_t depth[IRQSIM_MAX_ACTORS];
};

struct irqsim_rt;

/**
 * struct irqsim_ctx - what a step function sees
 * @world: the whole world; a layer casts it to its own view
 * @rt:    the run's constant context (programs, knobs, log)
 * @actor: the actor being stepped
 */
struct irqsim_ctx {
	void *world;
	const struct irqsim_rt *rt;
	int actor;
};

enum irqsim_step {
	IRQSIM_YIELD,		/* a visible action happened: end of transition */
	IRQSIM_CONTINUE,	/* local control flow only: keep stepping */
	IRQSIM_BLOCKED,		/* waiting on a token; retry when woken */
};

typedef enum irqsim_step (*irqsim_step_fn)(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f);

struct irqsim_fn {
	const char *name;
	irqsim_step_fn step;
};

/**
 * struct irqsim_knob - a behaviour switch, named after the change it reverts
 * @name: as used by --set
 * @doc:  one line, naming the kernel or QEMU function it changes
 * @def:  default value (Linux v6.18, current QEMU)
 * @max:  values are 0..max
 * @values: optional names for 0..max, NULL-terminated ("off", "on")
 */
struct irqsim_knob {
	const char *name;
	const char *doc;
	int def;
	int max;
	const char *const *values;
};

/*
 * The object a verdict is about, in the model's terms (for the interrupt
 * model a device and vector, or an irq): the engine only copies these
 * integers, the model's oracles set and compare them. An object another
 * one holds when the verdict is found (the device an irq belongs to)
 * names its holder too, so that a scope on the holder takes it in.
 */
struct irqsim_object {
	int16_t type;			/* 0: none; the model's kinds */
	int16_t index;
	int16_t sub;			/* -1: the whole object */
	int16_t in_type;		/* its holder's; 0: none */
	int16_t in_index;
	int16_t in_sub;
};

/* A verdict kind not reported for one object (--ignore KIND:OBJECT). */
struct irqsim_scope {
	int kind;
	struct irqsim_object obj;
};

#define IRQSIM_MAX_SCOPED	8

struct irqsim_rt {
	const struct irqsim_program *prog;	/* [IRQSIM_MAX_ACTORS] */
	const int *knob;			/* values by knob id */
	struct irqsim_log *log;			/* NULL: no events */
	void *model_data;			/* the model's constant setup */
	uint32_t ignore;			/* verdict kinds not reported */
	/* and kinds not reported for one object each */
	const struct irqsim_scope *ignore_scoped;
	int nignore_scoped;
	/*
	 * Type 0, or the one object judged (a scoped expect line): a
	 * verdict about anything else is not reported, so a violation of
	 * another object never ends the search for this one.
	 */
	struct irqsim_object scope;
	uint32_t windows;			/* the model's windows to look for */
};

/* Function registry (fixed order of registration gives stable ids). */
int irqsim_fn_register(const char *name, irqsim_step_fn step);
const char *irqsim_fn_name(int fn);
int irqsim_fn_lookup(const char *name);

/* Knob registry. */
int irqsim_knob_register(const struct irqsim_knob *knob);
int irqsim_knob_count(void);
const struct irqsim_knob *irqsim_knob_get(int id);
int irqsim_knob_lookup(const char *name);
int irqsim_knob_parse_value(int id, const char *text, int *value);
const char *irqsim_knob_value_name(int id, int value, char *buf, size_t len);

static inline int irqsim_knob(const struct irqsim_ctx *ctx, int id)
{
	return ctx->rt->knob[id];
}

/* Resumable functions. */
enum irqsim_step irqsim_call(struct irqsim_ctx *ctx, int fn, int32_t a0,
			     int32_t a1, int32_t a2, int32_t a3);
enum irqsim_step irqsim_return(struct irqsim_ctx *ctx, int32_t value);
enum irqsim_step irqsim_return_yield(struct irqsim_ctx *ctx, int32_t value);
void irqsim_push_frame(void *world, int actor, int fn, int32_t a0, int32_t a1,
		       int32_t a2, int32_t a3);
enum irqsim_step irqsim_actor_step(struct irqsim_ctx *ctx);
bool irqsim_actor_runnable(const void *world, const struct irqsim_rt *rt,
			   int actor);
bool irqsim_actor_busy(const void *world, const struct irqsim_rt *rt,
		       int actor);

static inline struct sched_world *irqsim_sched(void *world)
{
	return world;
}

static inline struct irqsim_actor *irqsim_self(struct irqsim_ctx *ctx)
{
	return &irqsim_sched(ctx->world)->actor[ctx->actor];
}

/* Locks and waits. */
bool irqsim_trylock(struct irqsim_ctx *ctx, int lock);
void irqsim_unlock(struct irqsim_ctx *ctx, int lock);
bool irqsim_lock_held_by_me(struct irqsim_ctx *ctx, int lock);
enum irqsim_step irqsim_wait(struct irqsim_ctx *ctx, int token);
void irqsim_wake(void *world, int token);

/*
 * Writing a modeled function
 *
 * A modeled function is written top to bottom, in the kernel's order, as
 * a coroutine: the engine runs it in steps, and the macros below turn the
 * body into the resumable state machine (protothreads, Dunkels et al.,
 * SenSys 2006: a switch on the resume point, whose cases are generated
 * from __LINE__). Between steps the function keeps nothing on the C
 * stack: what lives across a step lives in its frame, which the function
 * declares as a struct laid over the frame's slots (IRQSIM_FRAME_VARS).
 * Its arguments come first, in call order, then its locals.
 *
 *	struct free_irq_frame {
 *		int irq;
 *		int dev_id;
 *	};
 *
 *	static enum irqsim_step free_irq(struct irqsim_ctx *ctx,
 *					 struct irqsim_frame *f)
 *	{
 *		struct free_irq_frame *v =
 *			IRQSIM_FRAME_VARS(f, struct free_irq_frame);
 *
 *		IRQSIM_BEGIN(f);
 *		IRQSIM_LOCK(ctx, IRQ_LOCK_REQUEST(v->irq));
 *		...
 *		IRQSIM_YIELD_POINT();
 *		IRQSIM_CALL(call_irq_shutdown(ctx, v->irq));
 *		...
 *		IRQSIM_RETURN_YIELD(ctx, 0);
 *		IRQSIM_END(ctx);
 *	}
 *	IRQSIM_DEFINE_FN(free_irq);
 *
 *	enum irqsim_step call_free_irq(struct irqsim_ctx *ctx, int irq,
 *				       int dev_id)
 *	{
 *		return irqsim_call(ctx, fn_free_irq, irq, dev_id, 0, 0);
 *	}
 *
 * The rules the macros impose:
 * - One resume macro per source line (the line is the resume point).
 * - No resume macro inside a switch statement of the body: its case
 *   label would belong to that switch. Use if/else there.
 * - C variables declared in the body do not survive a resume macro;
 *   anything that must goes in the frame struct.
 * - A transition ends only at IRQSIM_YIELD_POINT, IRQSIM_RETURN_YIELD or
 *   a block (a contended lock, an unmet wait). Taking a lock, calling and
 *   returning are invisible: they run in the transition of the step
 *   around them, as they do in the kernel, where only the accesses other
 *   CPUs can see order anything.
 * - Saved runs store transition names, never resume points, so the
 *   generated numbers may change freely.
 */

/*
 * Program points: every resume point of a modeled function (and its
 * entry) is a static record the linker gathers into one section, as
 * IRQSIM_DEFINE_FN() gathers the functions, so the list of a function's
 * points is what the compiler saw, not a table kept by hand. A search
 * that records coverage (sched/cover.h) sets irqsim_cover_map, and the
 * macros mark each point they pass: in the instrumented twin only
 * (irqsim-fp, like the footprints), where the test of the pointer costs
 * nothing that matters. In the plain tool a point is its record alone:
 * the test at every point cost random runs 0.54% more instructions.
 */
struct irqsim_point {
	const char *func;	/* the step function's C name (__func__) */
	const char *file;	/* its source, as compiled (__FILE__) */
	const char *what;	/* "entry", "yield", "lock", "call", ... */
	int pc;			/* its resume point (0: the entry) */
	int at;			/* the source line */
};

extern unsigned char *irqsim_cover_map;
void irqsim_cover_hit(const struct irqsim_point *p) __attribute__((cold));

#define IRQSIM_POINT_DEF__(name, kind, resume)                              \
	static const struct irqsim_point name                              \
		__attribute__((used, section("irqsim_point"),                \
			       aligned(sizeof(void *)))) = {                \
			.func = __func__,                                   \
			.file = __FILE__,                                   \
			.what = (kind),                                     \
			.pc = (resume),                                     \
			.at = __LINE__,                                     \
		}

#ifdef IRQSIM_FP_BUILD
#define IRQSIM_POINT_HIT__(name)                                            \
	do {                                                                \
		if (__builtin_expect(irqsim_cover_map != NULL, 0))          \
			irqsim_cover_hit(&(name));                          \
	} while (0)
#else
#define IRQSIM_POINT_HIT__(name)	do { } while (0)
#endif

/* A resume point of kind @kind on this line, marked as it is reached. */
#define IRQSIM_POINT__(kind)                                                \
	IRQSIM_POINT_DEF__(irqsim_point__, kind, __LINE__);                  \
	IRQSIM_POINT_HIT__(irqsim_point__)

/* The frame @f seen as the function's own struct @type. */
#define IRQSIM_FRAME_VARS(f, type)                                          \
	({                                                                  \
		_Static_assert(sizeof(type) <=                              \
				       sizeof(((struct irqsim_frame *)0)->slot), \
			       #type " does not fit in a frame");           \
		_Static_assert(_Alignof(type) <= _Alignof(int32_t),         \
			       #type " is aligned beyond a frame slot");    \
		(type *)(void *)(f)->slot;                                  \
	})

/* Start the body: resume at the point the last step stopped. */
#define IRQSIM_BEGIN(f)                                                     \
	struct irqsim_frame *const irqsim_cur_frame__ = (f);                \
	IRQSIM_POINT_DEF__(irqsim_entry__, "entry", 0);                      \
	switch (irqsim_cur_frame__->pc) {                                   \
	case 0:                                                             \
		IRQSIM_POINT_HIT__(irqsim_entry__);

/* Save this line as the resume point; the next step starts here. */
#define IRQSIM_RESUME_HERE__()                                              \
	irqsim_cur_frame__->pc = __LINE__;                                  \
	__attribute__((__fallthrough__));                                   \
	case __LINE__:

/*
 * IRQSIM_YIELD_POINT - end the transition after a step other CPUs can
 * observe (a store to shared state, a message write, a raise). The next
 * step starts on the next line.
 */
#define IRQSIM_YIELD_POINT()                                                \
	do {                                                                \
		_Static_assert(__LINE__ > 0 && __LINE__ < 65536,            \
			       "resume points are 16 bits");                \
		IRQSIM_POINT__("yield");                                    \
		irqsim_cur_frame__->pc = __LINE__;                          \
		return IRQSIM_YIELD;                                        \
	case __LINE__:;                                                     \
	} while (0)

/* IRQSIM_LOCK - take @lock, or block here until its owner drops it. */
#define IRQSIM_LOCK(ctx, lock)                                              \
	do {                                                                \
		IRQSIM_POINT__("lock");                                     \
		IRQSIM_RESUME_HERE__();                                     \
		if (!irqsim_trylock((ctx), (lock)))                         \
			return IRQSIM_BLOCKED;                              \
	} while (0)

/*
 * IRQSIM_LOCK_RETRY - take @lock, or block; no resume point of its own,
 * so a woken step starts again at the last one and runs the code before
 * the lock again. For a lock behind a test the kernel makes under it (is
 * the CPU still offline?), or at a function's entry, where a woken waiter
 * must be the state of the frame not yet run. What runs before it must
 * have no effect but the test.
 */
#define IRQSIM_LOCK_RETRY(ctx, lock)                                        \
	do {                                                                \
		if (!irqsim_trylock((ctx), (lock)))                         \
			return IRQSIM_BLOCKED;                              \
	} while (0)

/*
 * IRQSIM_WAIT_UNTIL - go on once @cond holds; until then block on wait
 * @token (whoever makes @cond true wakes it) and test again when woken.
 */
#define IRQSIM_WAIT_UNTIL(ctx, cond, token)                                 \
	do {                                                                \
		IRQSIM_POINT__("wait");                                     \
		IRQSIM_RESUME_HERE__();                                     \
		if (!(cond))                                                \
			return irqsim_wait((ctx), (token));                 \
	} while (0)

/*
 * IRQSIM_YIELD_LOCK, IRQSIM_YIELD_WAIT_UNTIL - IRQSIM_YIELD_POINT() then
 * IRQSIM_LOCK() or IRQSIM_WAIT_UNTIL(), with one resume point for both:
 * the state right after the yield and the state of the woken waiter are
 * the same state, so they must have one fingerprint, not two.
 */
#define IRQSIM_YIELD_LOCK(ctx, lock)                                        \
	do {                                                                \
		IRQSIM_POINT__("yield/lock");                               \
		irqsim_cur_frame__->pc = __LINE__;                          \
		return IRQSIM_YIELD;                                        \
	case __LINE__:                                                      \
		if (!irqsim_trylock((ctx), (lock)))                         \
			return IRQSIM_BLOCKED;                              \
	} while (0)

#define IRQSIM_YIELD_WAIT_UNTIL(ctx, cond, token)                           \
	do {                                                                \
		IRQSIM_POINT__("yield/wait");                               \
		irqsim_cur_frame__->pc = __LINE__;                          \
		return IRQSIM_YIELD;                                        \
	case __LINE__:                                                      \
		if (!(cond))                                                \
			return irqsim_wait((ctx), (token));                 \
	} while (0)

/*
 * IRQSIM_CALL - call a modeled function through its typed wrapper
 * (call_free_irq(ctx, irq, dev_id)); its return value is then in f->ret.
 * The callee's first step runs in this transition.
 */
#define IRQSIM_CALL(call)                                                   \
	do {                                                                \
		IRQSIM_POINT__("call");                                     \
		irqsim_cur_frame__->pc = __LINE__;                          \
		return (call);                                              \
	case __LINE__:;                                                     \
	} while (0)

/*
 * IRQSIM_YIELD_OR_CALL - one resume point for paths that end their step
 * in different ways. @step is IRQSIM_YIELD where the path's last line
 * was a visible action (the transition ends; the next step starts on the
 * next line), or a call wrapper's value (the callee's first step runs now,
 * in this transition, and the caller goes on from the next line when it
 * returns). handle_edge_irq() enters its loop both ways: after the chip's
 * irq_ack (a visible EOI, or apic_ack_edge() called as a modeled
 * function) and again after handle_irq_event() retook desc->lock. The
 * frame waiting there is one state whichever path led to it, so it has
 * one resume point and one fingerprint.
 */
#define IRQSIM_YIELD_OR_CALL(step)                                          \
	do {                                                                \
		IRQSIM_POINT__("yield/call");                               \
		irqsim_cur_frame__->pc = __LINE__;                          \
		return (step);                                              \
	case __LINE__:;                                                     \
	} while (0)

static inline enum irqsim_step irqsim_yield_if__(bool yield,
						 enum irqsim_step step)
{
	return yield ? IRQSIM_YIELD : step;
}

/*
 * IRQSIM_CALL_YIELD_IF - IRQSIM_CALL(), except that when @yield the step
 * so far has already done its visible action: the transition ends at the
 * call, and the callee's first step runs in the next one. For a call that
 * paths of both kinds reach, with one resume point: common_interrupt()
 * hands the descriptor to handle_irq() after its lockless read of
 * vector_irq (a visible action) and after reevaluate_vector() under
 * vector_lock (whose step already ended before the unlock).
 */
#define IRQSIM_CALL_YIELD_IF(yield, call)                                   \
	do {                                                                \
		IRQSIM_POINT__("call");                                     \
		irqsim_cur_frame__->pc = __LINE__;                          \
		return irqsim_yield_if__((yield), (call));                  \
	case __LINE__:;                                                     \
	} while (0)

/* Return @value to the caller, which goes on in this transition. */
#define IRQSIM_RETURN(ctx, value)	return irqsim_return((ctx), (value))

/* Return @value and end the transition: the return follows a visible step. */
#define IRQSIM_RETURN_YIELD(ctx, value)                                     \
	return irqsim_return_yield((ctx), (value))

/* End the body: falling off the end returns 0, as a void function does. */
#define IRQSIM_END(ctx)                                                     \
	return irqsim_return((ctx), 0);                                     \
	default:                                                            \
		irqsim_warn((ctx), __FILE__, __LINE__, "bad resume point"); \
		return irqsim_return((ctx), 0);                             \
	}

/*
 * Registration, where the function is defined: IRQSIM_DEFINE_FN(name)
 * after the step function @name defines its id, int fn_<name> (declare it
 * extern in the layer's header for callers and op tables). The engine
 * gives every defined function its id before main() runs, in the order of
 * the names, so ids do not depend on the link order.
 */
struct irqsim_fn_def {
	const char *name;
	const char *cname;	/* the step function's C name: its points' */
	irqsim_step_fn step;
	int *id;
};

#define IRQSIM_DEFINE_FN(func)	IRQSIM_DEFINE_FN_AS(func, #func)

/*
 * IRQSIM_DEFINE_FN_AS - the same, for a function whose C name must differ
 * from the name the logs show (@name), because another layer models a
 * function of that name (QEMU's and the host kernel's, for instance).
 */
#define IRQSIM_DEFINE_FN_AS(func, fname)                                    \
	int fn_##func = -1;                                                 \
	static const struct irqsim_fn_def irqsim_fn_def_##func              \
		__attribute__((used, section("irqsim_fn"),                  \
			       aligned(sizeof(void *)))) = {                \
			.name = (fname),                                    \
			.cname = #func,                                     \
			.step = func,                                       \
			.id = &fn_##func,                                   \
		}

/* Model warnings: a broken invariant of the model, counted, never fatal. */
#define IRQSIM_WARN_ON_ONCE(ctx, cond)                                      \
	({                                                                  \
		bool __c = (cond);                                          \
		if (__c)                                                    \
			irqsim_warn((ctx), __FILE__, __LINE__, #cond);      \
		__c;                                                        \
	})
void irqsim_warn(struct irqsim_ctx *ctx, const char *file, int line,
		 const char *what);

/* Events. */
#define IRQSIM_EVENT(ctx, important, fn, ...)                               \
	do {                                                                \
		if (__builtin_expect((ctx)->rt->log != NULL, 0))            \
			irqsim_emit((ctx), (important), (fn), __VA_ARGS__); \
	} while (0)
/*
 * IRQSIM_TRACE - give the event this actor just logged (in this step) a
 * tracepoint name and key=value fields, e.g.
 *	IRQSIM_TRACE(ctx, "vector_clear", "irq=%d vector=%d", irq, vector);
 * Without such an event it logs one of its own (not important).
 */
#define IRQSIM_TRACE(ctx, tp, ...)                                          \
	do {                                                                \
		if (__builtin_expect((ctx)->rt->log != NULL, 0))            \
			irqsim_emit_fields((ctx), (tp), __VA_ARGS__);       \
	} while (0)
/* IRQSIM_ACCESS - the event just logged read or wrote shared @obj. */
#define IRQSIM_ACCESS(ctx, obj, access)                                     \
	do {                                                                \
		if (__builtin_expect((ctx)->rt->log != NULL, 0))            \
			irqsim_emit_access((ctx), (obj), (access));         \
	} while (0)
/*
 * IRQSIM_TRACE_EVENT - declare an event once, as the kernel's TRACE_EVENT
 * declares a tracepoint: the generated trace_<name>(ctx, args) logs one
 * event of function @fn, with the prose line TP_printk() for the timeline
 * and tracepoint @tp's key=value fields TP_fields(), both from the same
 * arguments. @important marks a step that matters to a race. A layer
 * keeps its declarations in its trace.h (the kernel's
 * include/trace/events/). Nothing is evaluated without an event log.
 *
 *	IRQSIM_TRACE_EVENT(free_irq_unlinked, "__free_irq", "__free_irq", true,
 *		TP_PROTO(int irq, int dev_id),
 *		TP_printk("irq%d action unlinked", irq),
 *		TP_fields("irq=%d dev_id=%d found=1", irq, dev_id));
 *
 * The shared object a step read or wrote stays beside the access, in the
 * model's code (IRQSIM_ACCESS).
 */
#define TP_PROTO(...)	__VA_ARGS__
#define TP_printk(...)	__VA_ARGS__
#define TP_fields(...)	__VA_ARGS__

#define IRQSIM_TRACE_EVENT(name, fn, tp, important, proto, printk, fields) \
	static inline __attribute__((always_inline)) void trace_##name(     \
		struct irqsim_ctx *ctx, proto)                              \
	{                                                                   \
		if (__builtin_expect(ctx->rt->log != NULL, 0)) {            \
			irqsim_emit(ctx, (important), (fn), printk);        \
			irqsim_emit_fields(ctx, (tp), fields);              \
		}                                                           \
	}

/* cold: the compiler keeps the hot path free of their argument setup */
void irqsim_emit(struct irqsim_ctx *ctx, bool important, const char *fn,
		 const char *fmt, ...)
	__attribute__((format(printf, 4, 5), cold));
void irqsim_emit_fields(struct irqsim_ctx *ctx, const char *tp,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4), cold));
void irqsim_emit_access(struct irqsim_ctx *ctx, uint32_t obj,
			enum irqsim_access access) __attribute__((cold));
void irqsim_log_init(struct irqsim_log *log);
void irqsim_log_free(struct irqsim_log *log);

/* PRNG: xoshiro256** seeded through splitmix64. */
struct irqsim_prng {
	uint64_t s[4];
};

void irqsim_prng_seed(struct irqsim_prng *p, uint64_t seed);
uint64_t irqsim_prng_next(struct irqsim_prng *p);
uint32_t irqsim_prng_below(struct irqsim_prng *p, uint32_t n);

/* Hash of a world: FNV-1a 64 over the bytes. */
uint64_t irqsim_hash(const void *data, size_t len);

/* Schedules: the transitions taken, as the model's transition codes. */
struct irqsim_schedule {
	uint16_t *t;
	size_t n, cap;
};

void irqsim_schedule_init(struct irqsim_schedule *s);
void irqsim_schedule_free(struct irqsim_schedule *s);
int irqsim_schedule_push(struct irqsim_schedule *s, uint16_t t);
int irqsim_schedule_copy(struct irqsim_schedule *dst,
			 const struct irqsim_schedule *src);

/* Verdicts: a violation kind (model-defined id, 0 = none) and its story. */
#define IRQSIM_VERDICT_TEXT 256

struct irqsim_verdict {
	int kind;
	uint32_t step;			/* where it became inevitable */
	uint32_t found_step;		/* where the oracle saw it */
	/* the event the violation is about (a lost interrupt's raise) */
	bool has_origin;
	uint32_t origin_step;
	uint8_t origin_actor;
	struct irqsim_object obj;	/* what it is about; type 0: none */
	char what[IRQSIM_VERDICT_TEXT];
};

/**
 * struct irqsim_model - what the engine needs from a model
 * @world_size: bytes of the world
 * @enabled:    list enabled transitions in a fixed order; return the count
 * @fire:       take one transition
 * @check_step: after each transition: a violation or 0
 * @check_end:  when nothing is enabled (or at the bound): a violation or 0
 * @transition_name: human name of a transition ("qemu", "cpu1.irq")
 * @transition_parse: inverse of transition_name; -1 if unknown
 * @canonical:  optional; clear, in a scratch copy of the world, the fields
 *              that only record history (step stamps for messages), so
 *              states that behave alike get one fingerprint
 * @nprocs:     optional, with @proc_next: the number of transition
 *              sources (threads of control: an actor, a CPU's interrupt
 *              entry, QEMU's main loop, ...), fixed for a run
 * @proc_next:  whether source @proc can move in @world, and the
 *              transition code it takes; @enabled lists exactly these
 *              codes in @proc order. The partial-order reduction records
 *              what this reads as part of the transition's footprint.
 */
struct irqsim_model {
	size_t world_size;
	int (*enabled)(const void *world, const struct irqsim_rt *rt,
		       uint16_t *out);
	void (*fire)(struct irqsim_ctx *ctx, uint16_t t);
	int (*check_step)(const void *world, const struct irqsim_rt *rt,
			  struct irqsim_verdict *v);
	int (*check_end)(const void *world, const struct irqsim_rt *rt,
			 bool bound_hit, struct irqsim_verdict *v);
	const char *(*transition_name)(const void *world,
				       const struct irqsim_rt *rt, uint16_t t,
				       char *buf, size_t len);
	int (*transition_parse)(const struct irqsim_rt *rt, const char *name);
	void (*canonical)(void *scratch);
	int (*nprocs)(const struct irqsim_rt *rt);
	bool (*proc_next)(const void *world, const struct irqsim_rt *rt,
			  int proc, uint16_t *code);
	/*
	 * Optional, for the transaction reduction: the actor transition @t
	 * runs as (the one whose frames and locks it uses), -1 for none;
	 * and whether check_invariant() holds in @world whatever the bytes
	 * it reads besides say (binding: while vector_lock is held).
	 */
	int (*transition_actor)(const void *world, const struct irqsim_rt *rt,
				uint16_t t);
	bool (*invariant_vacuous)(const void *world);
	/*
	 * Optional, for the footprint reduction: check_step() split into a
	 * state invariant that reads only the bytes invariant_bytes() names
	 * (checked as it runs) and the rest. Either may find a violation
	 * check_step() finds; neither finds one it does not.
	 */
	int (*check_invariant)(const void *world, const struct irqsim_rt *rt,
			       struct irqsim_verdict *v);
	int (*check_local)(const void *world, const struct irqsim_rt *rt,
			   struct irqsim_verdict *v);
	void (*invariant_bytes)(const struct irqsim_rt *rt,
				void (*add)(void *arg, size_t off, size_t len),
				void *arg);
	/*
	 * Optional, for coverage: of the windows in @want (bits the model
	 * names; rt->windows says which to look for), those open in @world.
	 * Every strategy ORs what the states it explores open into its
	 * result, and stops asking for a window once it has seen it.
	 */
	uint32_t (*windows)(const void *world, const struct irqsim_rt *rt,
			    uint32_t want);
};

/* Note the windows open in @world among @*want; drop them from @*want. */
static inline uint32_t irqsim_windows(const struct irqsim_model *model,
				      const struct irqsim_rt *rt,
				      const void *world, uint32_t *want)
{
	uint32_t got;

	if (!*want)
		return 0;
	got = model->windows(world, rt, *want);
	*want &= ~got;
	return got;
}

/* Take transition @t in @world, as a run does: fire it, count the step. */
static inline void irqsim_fire(const struct irqsim_model *model,
			       const struct irqsim_rt *rt, void *world,
			       uint16_t t)
{
	struct irqsim_ctx ctx = { .world = world, .rt = rt };

	model->fire(&ctx, t);
	((struct sched_world *)world)->step++;
}

/* Monotonic wall time in seconds, for the searches' statistics. */
double irqsim_now_seconds(void);

/* How the next transition is chosen. */
enum irqsim_chooser_kind {
	IRQSIM_CHOOSE_RANDOM,
	IRQSIM_CHOOSE_REPLAY,
	IRQSIM_CHOOSE_PCT,
};

#define IRQSIM_PCT_MAX_DEPTH	16
#define IRQSIM_PCT_MAX_CODES	64

/* PCT state: a priority per transition code, lowered at change points. */
struct irqsim_pct {
	int depth;
	uint32_t steps;
	uint32_t change[IRQSIM_PCT_MAX_DEPTH];
	int ncodes;
	uint16_t code[IRQSIM_PCT_MAX_CODES];
	uint64_t prio[IRQSIM_PCT_MAX_CODES];
};

struct irqsim_chooser {
	enum irqsim_chooser_kind kind;
	struct irqsim_prng prng;
	const struct irqsim_schedule *replay;
	size_t pos;
	/* Replay past the end of the schedule: lowest enabled */
	bool replay_then_first;
	/* ... or the last transition while it stays enabled (no preemption) */
	bool replay_then_continue;
	/* Skip schedule entries that are not enabled (shrinking) */
	bool replay_lenient;
	bool has_last;
	uint16_t last;
	struct irqsim_pct pct;
};

enum irqsim_run_status {
	IRQSIM_RUN_OK,			/* ran to quiescence, no violation */
	IRQSIM_RUN_VIOLATION,
	IRQSIM_RUN_DIVERGED,		/* replay asked for a disabled transition */
	IRQSIM_RUN_NOMEM,		/* @record could not grow: run stopped */
};

struct irqsim_run_result {
	enum irqsim_run_status status;
	struct irqsim_verdict verdict;
	uint32_t steps;
	size_t diverged_at;
	uint32_t windows;		/* the model's windows the run opened */
};

/**
 * irqsim_run - run one schedule from @world to quiescence or the bound
 * @model:   the model
 * @rt:      constant run context
 * @world:   the world, modified in place
 * @chooser: random or replay
 * @bound:   maximum transitions
 * @record:  optional; receives every transition taken
 * @res:     result
 */
void irqsim_run(const struct irqsim_model *model, const struct irqsim_rt *rt,
		void *world, struct irqsim_chooser *chooser, uint32_t bound,
		struct irqsim_schedule *record, struct irqsim_run_result *res);

#endif /* IRQSIM_SCHED_H */
