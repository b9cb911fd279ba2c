/* SPDX-License-Identifier: MIT */
/*
 * Oracles: what counts as a violation, judged on the world after every
 * transition (check_step) and when nothing can move any more (check_end).
 */
#ifndef IRQSIM_CHECK_H
#define IRQSIM_CHECK_H

#include "vmm/vmm.h"

enum check_kind {
	CHECK_NONE,
	CHECK_LOST_INTERRUPT,	/* an event the driver never sees */
	CHECK_BINDING_LOST,	/* active irq, vector_irq slot not pointing to it */
	CHECK_NO_IRQ_HANDLER,	/* "No irq handler for vector" (harmful spurious) */
	CHECK_NO_PATH,		/* guest-visible vector with no host handler */
	CHECK_DEADLOCK,
	CHECK_LIVELOCK,		/* step bound hit: livelock or storm */
	CHECK_EVENTFD_LEAK,
	CHECK_VECTOR_LEAK,
	CHECK_KERNEL_WARNING,	/* "Trying to free already-free IRQ", ... */
	CHECK_MODEL_WARNING,	/* IRQSIM_WARN_ON_ONCE fired: a model bug */
	CHECK_DEVICE_STALL,	/* level line asserted, nothing will service it */
	CHECK_STORM,		/* host interrupts per device event above bound */
	CHECK_STATE_LEAK,	/* an error path left a flag or state behind */
	CHECK_MSIX_DISABLED,	/* live vector's event while host MSI-X was off */
	CHECK_GUEST_STOPPED,	/* the VMM stopped the VM (well defined) */
	CHECK_STALE_IRTE,	/* posted through an IRTE the host outgrew */
	CHECK_MASKED_DELIVERY,	/* KVM injected into a guest-masked vector */
	CHECK_MISROUTED,	/* delivered outside the effective affinity */
	CHECK_LOST_EOI,		/* IOAPIC Remote IRR stuck: pin dead */
	CHECK_NR_KINDS,
};

/*
 * What a verdict is about (struct irqsim_object.type): a device, with a
 * vector as .sub where the finding has one (lost-interrupt, device-stall,
 * masked-delivery, msix-disabled, vector-without-handler, interrupt-storm,
 * state-leak of a VFIO context), or a host irq (vector-binding-lost,
 * vector-leak, state-leak of an irq). --ignore KIND:OBJECT and expect
 * KIND:OBJECT name one (cli/scenario.c).
 */
enum check_object_type {
	CHECK_OBJ_NONE,
	CHECK_OBJ_DEV,
	CHECK_OBJ_IRQ,
};

/* An object of @type: @index, and @sub or -1 (no holder). */
#define CHECK_OBJECT(type_, index_, sub_)                                   \
	((struct irqsim_object){ .type = (type_), .index = (int16_t)(index_), \
				 .sub = (int16_t)(sub_) })

/*
 * Is @obj (a verdict's) within @scope (dev0 holds dev0 vector 1; a
 * scope of type none holds nothing)?
 */
bool check_object_in(const struct irqsim_object *scope,
		     const struct irqsim_object *obj);

extern int check_knob_storm_bound;

/* Register the oracles' knobs. */
void check_init(void);

/* "lost-interrupt", "vector-binding-lost", ...; "none" for CHECK_NONE. */
const char *check_kind_name(int kind);
/* Inverse of check_kind_name; -1 if unknown. */
int check_kind_parse(const char *name);
/* One line: the guarantee the kind's oracle checks (docs/oracles.md). */
const char *check_kind_doc(int kind);

int check_step(const void *world, const struct irqsim_rt *rt,
	       struct irqsim_verdict *v);
int check_end(const void *world, const struct irqsim_rt *rt, bool bound_hit,
	      struct irqsim_verdict *v);

/*
 * check_step() in two parts, for the partial-order reduction
 * (sched/footprint.h): check_step_invariant() judges a state invariant
 * (vector-binding-lost) that reads only the bytes check_invariant_bytes()
 * names; check_step_local() is everything else check_step() judges.
 */
int check_step_invariant(const void *world, const struct irqsim_rt *rt,
			 struct irqsim_verdict *v);
int check_step_local(const void *world, const struct irqsim_rt *rt,
		     struct irqsim_verdict *v);
void check_invariant_bytes(const struct irqsim_rt *rt,
			   void (*add)(void *arg, size_t off, size_t len),
			   void *arg);
/* check_step_invariant() holds in @world whatever else it reads says. */
bool check_invariant_vacuous(const void *world);

/*
 * Race windows (windows.c): named predicates over the world, the states in
 * which an oracle's race can happen. A search records which ones it
 * opened; a "none" that never opened the window of its race is vacuous.
 */
enum check_window {
	CHECK_WIN_IRR_NO_HANDLER,
	CHECK_WIN_RAISE_MASKED,
	CHECK_WIN_STALE_MESSAGE,
	CHECK_WIN_MOVE_IN_FLIGHT,
	CHECK_WIN_OFFLINE_PENDING,
	CHECK_WIN_MSIX_OFF_LIVE,
	CHECK_WIN_INTX_LAZY_DISABLED,
	CHECK_WIN_REMOTE_IRR_PENDING,
	CHECK_WIN_EFD_REF_IN_FLIGHT,
	CHECK_WIN_OLD_VECTOR_HELD,
	CHECK_WIN_HALF_SET_UP,
	CHECK_WIN_TRIGGER_NO_ACTION,
	CHECK_WIN_MASKED_BUT_ENABLED,
	CHECK_WIN_LIVE_NO_TRIGGER,
	CHECK_WIN_IRTE_STALE,
	CHECK_WIN_IOAPIC_ROUTE_STALE,
	CHECK_WIN_ACTOR_BLOCKED,
	CHECK_WIN_IRR_IN_SERVICE,
	CHECK_NR_WINDOWS,
};
_Static_assert(CHECK_NR_WINDOWS <= 32, "windows are bits of a uint32_t");

/* "irr-no-handler", ...; "?" if out of range. */
const char *check_window_name(int win);
/* One line: the state the window is. */
const char *check_window_doc(int win);
/* Inverse of check_window_name; -1 if unknown. */
int check_window_parse(const char *name);
/* The verdict kinds (bits) whose races happen in the window. */
uint32_t check_window_watchers(int win);
/* What a scenario models, for the windows it can open at all. */
enum check_have {
	CHECK_HAVE_MSI = 1u << 0,	 /* a device with MSI-X or MSI */
	CHECK_HAVE_INTX = 1u << 1,	 /* a device with an INTx pin */
	CHECK_HAVE_IOAPIC = 1u << 2,	 /* a level device on QEMU's IOAPIC */
	CHECK_HAVE_MSI_NOMASK = 1u << 3, /* MSI without per-vector masking */
	CHECK_HAVE_OFFLINE = 1u << 4,	 /* a host CPU or vCPU goes offline */
	CHECK_HAVE_HOST_MOVE = 1u << 5,	 /* a host irq moves (affinity, unplug) */
	CHECK_HAVE_VFIO = 1u << 6,	 /* QEMU drives the device's MSI-X */
	CHECK_HAVE_POSTED = 1u << 7,	 /* posted_intr=on */
};

/* The windows a scenario with @have (enum check_have bits) can open. */
uint32_t check_windows_possible(uint32_t have);
/* Of the windows in @want, those open in @world (irqsim_model.windows). */
uint32_t check_windows(const void *world, const struct irqsim_rt *rt,
		       uint32_t want);
/* The names in @mask, comma-separated, into @buf; the length it needed. */
size_t check_windows_format(uint32_t mask, char *buf, size_t len);

/**
 * check_summary - one line of counters: host spurious and discards, guest
 * handled/spurious, kernel warnings
 */
void check_summary(const void *world, char *buf, size_t len);

#endif
