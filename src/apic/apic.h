/* SPDX-License-Identifier: MIT */
/*
 * x86 interrupt vectors: local APIC (IRR, ISR, EOI), per-CPU vector_irq
 * with its markers, the vector matrix allocator, the x86 vector domain and
 * common_interrupt.
 *
 * Models arch/x86/kernel/apic/vector.c, arch/x86/kernel/irq.c,
 * kernel/irq/matrix.c and arch/x86/include/asm/hw_irq.h (Linux v6.18),
 * and the platform interrupt controller behind a level-triggered INTx line
 * (the x86 IOAPIC of arch/x86/kernel/apic/io_apic.c, or a ppc64-style
 * controller): see intc.c.
 */
#ifndef IRQSIM_APIC_H
#define IRQSIM_APIC_H

#include "sched/sched.h"

#define IRQSIM_MAX_CPUS		4
#define IRQSIM_MAX_IRQS		16	/* Linux irq numbers 1..15 */
#define IRQSIM_MAX_INTC_PINS	4	/* level input pins of the controller */

#define NR_VECTORS			256
#define FIRST_EXTERNAL_VECTOR		0x20
#define FIRST_SYSTEM_VECTOR		0xec
#define MANAGED_IRQ_SHUTDOWN_VECTOR	0xef
#define APIC_IRR_WORDS			(NR_VECTORS / 32)

/* vector_irq slot values: an irq number, or one of the markers. */
#define VECTOR_UNUSED		0
#define VECTOR_SHUTDOWN		(-1)
#define VECTOR_RETRIGGERED	(-2)

/* Locks of this layer. */
#define APIC_LOCK_VECTOR	0
#define APIC_NR_LOCKS		1

/* Shared objects of this layer, for the event log (IRQSIM_OBJ kinds). */
#define APIC_OBJ_VECTOR_IRQ	0x10	/* vector_irq[cpu][vector] */
#define APIC_OBJ_IRR		0x11	/* IRR bit [cpu][vector] */
#define APIC_OBJ_INTC_PIN	0x12	/* controller pin [pin]: level, mask, in service */

/* Wait token: a CPU left hard-irq context (stop_machine waits for it). */
#define APIC_TOKEN_IRQ_EXIT	(IRQSIM_TOKEN_MODEL + 64)
_Static_assert(APIC_TOKEN_IRQ_EXIT < IRQSIM_MAX_TOKENS, "a wait token");

/* MSI address: 0xFEE in the top bits, destination APIC ID in 19:12. */
#define MSI_ADDR_BASE_LO	0xfee00000u
#define MSI_ADDR_BASE_MASK	0xfff00000u
#define MSI_ADDR_DEST_SHIFT	12

struct msi_msg {
	uint32_t address_lo, address_hi, data;
};

struct lapic {
	uint32_t irr[APIC_IRR_WORDS];
	uint32_t isr[APIC_IRR_WORDS];
};

struct apic_cpu {
	uint8_t online;
	uint8_t cleanup_timer;	/* vector_cleanup timer armed on this CPU */
	uint8_t apic_dead;	/* unplugged: its APIC takes no messages */
	/*
	 * Step fixup_irqs() finished its last look at this CPU's IRR on the
	 * way down: what is pending there after it is never taken (history
	 * only, for the lost-interrupt verdict).
	 */
	uint32_t dead_irr_step;
	uint8_t irqs_off;	/* local_irq_save depth */
	/*
	 * The task that disabled irqs (and preemption), -1 exactly when
	 * @irqs_off is 0: written only when the depth leaves or reaches 0,
	 * so other actors' tests read this, not the depth, and a nested
	 * irqsave is no dependency of theirs.
	 */
	int8_t atomic_owner;
	int8_t irq_actor;	/* hard-irq context actor of this CPU */
	struct lapic lapic;
	int16_t vector_irq[NR_VECTORS];
};

struct irq_matrix_cpu {
	uint16_t available;
	uint16_t allocated;
	uint8_t online;		/* the map's own online bit (lapic_online/offline) */
	uint32_t alloc_map[APIC_IRR_WORDS];
};

/* kernel/irq/matrix.c struct irq_matrix, for the vectors of all CPUs. */
struct irq_matrix {
	uint16_t global_available;
	uint16_t global_reserved;
	uint16_t total_allocated;
	uint16_t alloc_start, alloc_end;
	uint32_t system_map[APIC_IRR_WORDS];
	struct irq_matrix_cpu cpu[IRQSIM_MAX_CPUS];
};

/* arch/x86/kernel/apic/vector.c struct apic_chip_data, per Linux irq. */
struct apic_chip_data {
	uint8_t vector, cpu;
	uint8_t prev_vector, prev_cpu;
	uint8_t cfg_vector, cfg_dest;	/* hw_irq_cfg: what messages use */
	uint8_t move_in_progress, is_managed, can_reserve, has_reserved;
	uint8_t affinity;		/* requested CPU mask */
	uint8_t used;
	uint8_t cleanup_queued;	/* on prev_cpu's vector_cleanup list */
};

/* Counters the oracles read. */
struct apic_stats {
	uint16_t no_irq_handler;	/* "No irq handler for vector" */
	uint16_t spurious_shutdown;	/* hit a SHUTDOWN/RETRIGGERED slot */
	uint16_t repaired;		/* repair_irq hack fired */
	uint32_t last_discard_step;	/* last interrupt EOI'd with no desc */
	int16_t last_discard_slot;
	uint8_t last_discard_cpu, last_discard_vector;
	uint8_t discards;
	uint8_t moved_pending;		/* "Moved interrupt pending in old
					 * target APIC" (re-armed cleanups) */
	uint8_t force_moved;		/* "IRQ fixup: irq %d move in
					 * progress" (apic_force_complete_move) */
	uint8_t retriggered;		/* fixup_irqs() retriggers */
};

/**
 * struct intc_pin - one level-triggered input of the platform interrupt
 * controller (an IOAPIC redirection entry, or a ppc64-style source)
 * @used:       a device's INTx line is wired to it
 * @level:      the line as the device drives it (1: asserted)
 * @masked:     the mask bit (RTE mask / source masked)
 * @in_service: x86: Remote IRR (delivered, no EOI yet); ppc64-style:
 *              presented to a CPU, no EOI yet
 * @latched:    ppc64-style: a new assertion not yet presented
 * @vector:     route programmed at activation (0: none)
 * @dest:       destination CPU of the route
 * @irq:        the Linux irq of the pin
 * @signals:    messages sent to a CPU
 * @resignals:  of which sent on an unmask or an EOI for a line found
 *              asserted, not on an assertion (x86 re-delivery)
 */
struct intc_pin {
	uint8_t used;
	uint8_t level;
	uint8_t masked;
	uint8_t in_service;
	uint8_t latched;
	uint8_t vector, dest;
	int8_t irq;
	uint16_t signals;
	uint16_t resignals;
};

struct apic_world {
	struct sched_world sched;
	uint8_t nr_cpus;
	int8_t actor_cpu[IRQSIM_MAX_ACTORS];	/* -1: not a CPU context */
	struct apic_cpu cpu[IRQSIM_MAX_CPUS];
	struct irq_matrix matrix;
	struct apic_chip_data apicd[IRQSIM_MAX_IRQS];
	struct apic_stats stats;
	struct intc_pin intc[IRQSIM_MAX_INTC_PINS];
	uint16_t vector_allocs;		/* for fail_vector_alloc */
	uint16_t vectors_other;		/* held by devices outside the scenario */
};

/* Knob ids (valid after apic_init). */
extern int apic_knob_vector_reevaluate;
extern int apic_knob_repair_irq;
extern int apic_knob_intc;
extern int apic_knob_fail_vector_alloc;
extern int apic_knob_fail_errno;
extern int apic_knob_vector_cleanup_irr;
extern int apic_knob_vector_move_prev;
extern int apic_knob_fixup_irqs_retrigger;

/* Values of the intc knob. */
enum intc_kind {
	INTC_X86_IOAPIC,
	INTC_PPC64,
	INTC_NR_KINDS,
};

/* Function ids (IRQSIM_DEFINE_FN: valid before main() runs). */
extern int fn_x86_vector_activate;
extern int fn_x86_vector_deactivate;
extern int fn_common_interrupt;
extern int fn_apic_retrigger_irq;
extern int fn_x86_vector_repair;
extern int fn_intc_domain_activate;
extern int fn_intc_domain_deactivate;
extern int fn_apic_set_affinity;
extern int fn_vector_cleanup_callback;
extern int fn_lapic_offline;
extern int fn_lapic_online;

/* Calls of this layer's modeled functions (IRQSIM_CALL). */
enum irqsim_step call_apic_retrigger_irq(struct irqsim_ctx *ctx, int irq);
enum irqsim_step call_x86_vector_repair(struct irqsim_ctx *ctx, int irq);
enum irqsim_step call_apic_set_affinity(struct irqsim_ctx *ctx, int irq,
					int mask);
enum irqsim_step call_lapic_offline(struct irqsim_ctx *ctx, int cpu);
enum irqsim_step call_lapic_online(struct irqsim_ctx *ctx, int cpu);

/**
 * apic_init - register this layer's knobs
 * @irq_entry_fn: the function common_interrupt calls with a descriptor
 *                (generic_handle_irq_desc of the genirq layer)
 */
void apic_init(int irq_entry_fn);

/**
 * apic_world_init - set up @nr_cpus online CPUs with empty vector tables
 * and a matrix whose external vectors are all free
 */
void apic_world_init(struct apic_world *aw, int nr_cpus);

/* Bind @actor to @cpu; @irq_context makes it that CPU's hard-irq actor. */
void apic_bind_actor(struct apic_world *aw, int actor, int cpu,
		     bool irq_context);

static inline int apic_this_cpu(struct irqsim_ctx *ctx)
{
	return ((struct apic_world *)ctx->world)->actor_cpu[ctx->actor];
}

static inline bool apic_vector_test(const uint32_t *map, int v)
{
	return map[v / 32] & (1u << (v % 32));
}

static inline void apic_vector_set(uint32_t *map, int v)
{
	map[v / 32] |= 1u << (v % 32);
}

static inline void apic_vector_clear(uint32_t *map, int v)
{
	map[v / 32] &= ~(1u << (v % 32));
}

/* local_irq_save / local_irq_restore on the CPU of the current actor. */
void apic_local_irq_save(struct irqsim_ctx *ctx);
void apic_local_irq_restore(struct irqsim_ctx *ctx);

/*
 * raw_spin_lock_irqsave - in a modeled function (IRQSIM_BEGIN): interrupts
 * off on this CPU, then take @lock or block on it. The lock is the resume
 * point, so a blocked step does not save twice.
 */
#define raw_spin_lock_irqsave(ctx, lock)                                    \
	do {                                                                \
		apic_local_irq_save(ctx);                                   \
		IRQSIM_LOCK((ctx), (lock));                                 \
	} while (0)

/* raw_spin_unlock_irqrestore - drop @lock, then restore interrupts. */
#define raw_spin_unlock_irqrestore(ctx, lock)                               \
	do {                                                                \
		irqsim_unlock((ctx), (lock));                               \
		apic_local_irq_restore(ctx);                                \
	} while (0)

/* May a task actor bound to @cpu run now (no hard-irq, no atomic owner)? */
bool apic_task_may_run(const struct apic_world *aw, int actor);

/* Highest vector deliverable on @cpu now, or -1. */
int apic_deliverable(const struct apic_world *aw, int cpu);

/**
 * apic_accept_interrupt - the CPU takes its highest deliverable vector:
 * IRR to ISR, and common_interrupt starts on the CPU's hard-irq actor
 */
void apic_accept_interrupt(struct irqsim_ctx *ctx, int cpu);

/* apic_eoi - EOI on the current CPU: clear the highest ISR bit. */
void apic_eoi(struct irqsim_ctx *ctx);

/**
 * apic_msi_write - an MSI write arrives at the APIC bus
 * Return: 0 if it set an IRR bit, -EINVAL if the address is not an APIC
 * address (the write goes to memory and is lost), -ENODEV for a CPU that
 * does not exist or was unplugged. A CPU on its way out (no longer in
 * the online mask, still in take_cpu_down()) still latches messages in
 * its IRR; fixup_irqs() looks there.
 */
int apic_msi_write(struct apic_world *aw, uint32_t addr_lo, uint32_t data);

/* Is @vector pending in @cpu's IRR or in service in its ISR? */
bool apic_vector_in_flight(const struct apic_world *aw, int cpu, int vector);

/* The apic_chip_data of a fresh Linux irq (x86_vector_alloc_irqs). */
int x86_vector_alloc_irq(struct apic_world *aw, int irq, uint8_t affinity);
void x86_vector_free_irq(struct apic_world *aw, int irq);
/* The real vector at allocation, for an irq without reservation mode. */
int x86_vector_activate_early(struct apic_world *aw, int irq);

/*
 * x86_vector_msi_compose_msg - the vector domain's irq_compose_msi_msg
 * (__irq_msi_compose_msg()): the message of the irq's cfg, destination
 * APIC ID and vector
 */
struct msi_msg x86_vector_msi_compose_msg(const struct apic_chip_data *apicd);

/* Matrix allocator (kernel/irq/matrix.c). */
int irq_matrix_alloc(struct irq_matrix *m, uint8_t mask, bool reserved,
		     unsigned int *mapped_cpu, const struct apic_world *aw);
void irq_matrix_free(struct irq_matrix *m, unsigned int cpu, unsigned int bit);
void irq_matrix_reserve(struct irq_matrix *m);
void irq_matrix_remove_reserved(struct irq_matrix *m);
void irq_matrix_online(struct irq_matrix *m, unsigned int cpu);
void irq_matrix_offline(struct irq_matrix *m, unsigned int cpu);
int irq_matrix_assign(struct irq_matrix *m, unsigned int cpu, unsigned int bit);

/**
 * irq_matrix_use_up - @n vectors of @cpu taken by devices the scenario
 * does not model (their irqs are active elsewhere): the lowest free bits,
 * as their own allocations would have taken them
 * Return: 0, or -ENOSPC if @cpu has fewer than @n free.
 */
int irq_matrix_use_up(struct apic_world *aw, int cpu, int n);

/**
 * apic_fault_errno - the error an injected fault returns: the fail_errno
 * knob, or @def (the site's natural error) when it is "default"
 */
int apic_fault_errno(const struct irqsim_ctx *ctx, int def);
/* "-ENOMEM", ... for the errors fail_errno can inject. */
const char *apic_errno_name(int err);

/**
 * struct intc_ops - level-line semantics of a platform interrupt controller
 * @name:      as in events ("ioapic", "ppc64-intc")
 * @set_level: the device drives the line to @level
 * @mask:      the mask bit is set (@masked) or cleared
 * @eoi:       the CPU signals end of interrupt for the pin
 *
 * Each call is one hardware access, done inside the step that makes it;
 * a message the controller sends lands in the destination CPU's IRR.
 */
struct intc_ops {
	const char *name;
	void (*set_level)(struct irqsim_ctx *ctx, int pin, bool level);
	void (*mask)(struct irqsim_ctx *ctx, int pin, bool masked);
	void (*eoi)(struct irqsim_ctx *ctx, int pin);
};

/* The ops table of controller @kind (enum intc_kind). */
const struct intc_ops *intc_profile(int kind);
/* The controller the intc knob selects for this run. */
const struct intc_ops *intc_ops_of(const struct irqsim_ctx *ctx);

/**
 * intc_wire_pin - connect a device's INTx line to @pin for Linux irq @irq
 * (firmware routing at boot): line low, pin masked, no route
 * Return: 0, or -EINVAL / -EBUSY.
 */
int intc_wire_pin(struct apic_world *aw, int pin, int irq);
/* The pin wired to @irq, or -1. */
int intc_pin_of_irq(const struct apic_world *aw, int irq);

/* Is @cpu online? The CPU mask of the online CPUs. */
uint8_t apic_online_mask(const struct apic_world *aw);

/* lapic_vector_set_in_irr(): @vector pending in @cpu's IRR. */
static inline bool lapic_vector_set_in_irr(const struct apic_world *aw,
					   int cpu, int vector)
{
	return apic_vector_test(aw->cpu[cpu].lapic.irr, vector);
}

/**
 * irq_complete_move_needed - would irq_complete_move() act for @irq on
 * @cpu: a move in progress whose new target is @cpu (the first interrupt
 * arrived there)
 */
bool irq_complete_move_needed(const struct apic_world *aw, int irq, int cpu);

/**
 * __vector_schedule_cleanup - under vector_lock (the caller holds it):
 * move_in_progress = 0; queue @irq on its prev_cpu's cleanup list and arm
 * that CPU's timer unless pending; prev_cpu offline: free at once
 */
void __vector_schedule_cleanup(struct irqsim_ctx *ctx, int irq);

/* free_moved_vector() under vector_lock: prev slot UNUSED, matrix free. */
void free_moved_vector(struct irqsim_ctx *ctx, int irq);

/**
 * apic_force_complete_move - irq_chip.irq_force_complete_move of the
 * vector domain, for CPU unplug (caller holds desc->lock and vector_lock;
 * the model's stop_machine holds every CPU): if prev_vector relates to
 * @cpu, warn when the move is still in progress, free_moved_vector()
 */
void apic_force_complete_move(struct irqsim_ctx *ctx, int irq, int cpu);

/* Slot value as text: "SHUTDOWN", "UNUSED", "RETRIGGERED", "irq5". */
const char *apic_slot_name(int16_t slot, char *buf, size_t len);

#endif /* IRQSIM_APIC_H */
