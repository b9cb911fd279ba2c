/* SPDX-License-Identifier: MIT */
/*
 * genirq: irq_desc, request_irq/free_irq, startup/shutdown, the domain
 * hierarchy activation, disable_irq_nosync/enable_irq with lazy and
 * unlazy disable, the flow handlers (handle_edge_irq, handle_fasteoi_irq,
 * handle_level_irq) and check_irq_resend.
 *
 * Models kernel/irq/manage.c, chip.c, resend.c, handle.c and the
 * activation part of irqdomain.c (Linux v6.18).
 */
#ifndef IRQSIM_IRQ_H
#define IRQSIM_IRQ_H

#include "apic/apic.h"

/* Locks: desc->lock and desc->request_mutex per irq. */
#define IRQ_LOCK_DESC(irq)	(APIC_NR_LOCKS + (irq))
#define IRQ_LOCK_REQUEST(irq)	(APIC_NR_LOCKS + IRQSIM_MAX_IRQS + (irq))
#define IRQ_NR_LOCKS		(APIC_NR_LOCKS + 2 * IRQSIM_MAX_IRQS)
/*
 * cpu_hotplug_lock (kernel/cpu.c cpus_write_lock(), taken by _cpu_down()
 * and _cpu_up() under cpu_add_remove_lock): one CPU hotplug operation at
 * a time. The last lock id, so that the ids of the layers above stay.
 */
#define IRQ_LOCK_CPU_HOTPLUG	(IRQSIM_MAX_LOCKS - 1)

/* Shared objects of this layer, for the event log (IRQSIM_OBJ kinds). */
#define IRQ_OBJ_ACTION		0x18	/* desc[irq]->action */
#define IRQ_OBJ_STATE		0x19	/* desc[irq]: depth, DISABLED, PENDING, settings */
/* Wait token: IRQD_IRQ_INPROGRESS cleared (synchronize_irq waiters). */
#define IRQ_TOKEN_INPROGRESS(irq) (IRQSIM_TOKEN_MODEL + (irq))
_Static_assert(IRQ_TOKEN_INPROGRESS(IRQSIM_MAX_IRQS - 1) < IRQSIM_MAX_TOKENS, "a wait token");

/* desc->istate */
#define IRQS_PENDING		0x0200
#define IRQS_REPLAY		0x0040

/* irq_data state (irqd) */
#define IRQD_ACTIVATED		0x0001
#define IRQD_IRQ_STARTED	0x0002
#define IRQD_IRQ_DISABLED	0x0004
#define IRQD_IRQ_MASKED		0x0008
#define IRQD_IRQ_INPROGRESS	0x0010
#define IRQD_SETAFFINITY_PENDING 0x0020	/* a deferred move waits */

/* irq settings (irq_settings_*; values are the model's own) */
#define IRQ_DISABLE_UNLAZY	0x0001	/* disable_irq masks at the chip */
#define IRQ_LEVEL		0x0100	/* level type: no software resend */

#define IRQ_NONE		0
#define IRQ_HANDLED		1

#define IRQSIM_MAX_CHIPS	4
#define IRQSIM_MAX_DOMAINS	4
#define IRQSIM_MAX_DOMAIN_DEPTH	3

/**
 * struct irq_chip - hardware operations of an interrupt chip; each is one
 * hardware access, done inside the step that calls it
 * @irq_ack:  edge and level flows (may be NULL for a fasteoi-only chip)
 * @irq_eoi:  fasteoi flow (NULL for an edge-only chip)
 * @irq_retrigger_fn: a modeled function (it takes vector_lock), or -1
 * @irq_set_affinity_fn: the modeled irq_set_affinity (irq, mask), NULL:
 *            the chip cannot move
 * @irq_write_msi_msg_fn: an MSI chip's modeled irq_write_msi_msg (irq,
 *            enum msi_msg_kind of x86/x86.h, address_lo, data); NULL for
 *            other chips
 * @irq_ack_slow: the ack has more to do than an EOI now (a move to
 *            complete, a deferred move to apply): then the flow handlers
 *            call the modeled @irq_ack_fn (irq) instead of @irq_ack
 * @move_deferred: IRQCHIP_MOVE_DEFERRED: affinity changes are applied in
 *            interrupt context, at the next interrupt's ack
 *
 * None of the modeled chips has irq_enable/irq_disable callbacks, so
 * disable_irq() is lazy unless IRQ_DISABLE_UNLAZY is set (chip.c).
 */
struct irq_chip {
	const char *name;
	void (*irq_mask)(struct irqsim_ctx *ctx, int irq);
	void (*irq_unmask)(struct irqsim_ctx *ctx, int irq);
	void (*irq_ack)(struct irqsim_ctx *ctx, int irq);
	void (*irq_eoi)(struct irqsim_ctx *ctx, int irq);
	int irq_retrigger_fn;
	const int *irq_set_affinity_fn;
	const int *irq_write_msi_msg_fn;
	bool (*irq_ack_slow)(struct irqsim_ctx *ctx, int irq);
	const int *irq_ack_fn;
	bool move_deferred;
};

/**
 * struct irq_domain_chain - the domains an irq lives in, root first
 * (vector domain, then MSI domain). Activation runs root first,
 * deactivation outermost first (__irq_domain_activate_irq).
 */
struct irq_domain_chain {
	int depth;
	int activate_fn[IRQSIM_MAX_DOMAIN_DEPTH];
	int deactivate_fn[IRQSIM_MAX_DOMAIN_DEPTH];
};

struct irq_desc {
	uint8_t allocated;
	uint8_t chip;
	uint8_t domain;
	uint8_t depth;
	uint16_t istate;
	uint16_t irqd;
	uint16_t settings;
	uint16_t handle_irq;	/* flow handler function id */
	int16_t action_fn;	/* handler function id, -1: no action */
	int16_t pad;
	int32_t action_dev_id;
	int32_t action_data;
	uint16_t irq_count;	/* handled by an action (kstat) */
	uint16_t entries;	/* flow handler entries, however they end */
	uint16_t disabled_hits;	/* entries that found the irq disabled */
	uint32_t disabled_hit_step;	/* step of the last of those */
	uint8_t pending_mask;	/* desc->pending_mask of a deferred move */
};

/* Kernel warnings the oracles report. */
struct irq_stats {
	uint8_t unbalanced_enable;
	uint8_t free_already_free;
	uint8_t request_failed;
	uint16_t requests;
	int8_t unbalanced_irq;	/* irq of the last "Unbalanced enable" */
	uint8_t update_already_free;	/* irq_update_devid(): no such action */
	uint16_t update_devid_calls;	/* for fail_update_devid */
	/* the irq of the last "Trying to free/update already-free IRQ" */
	int8_t free_already_free_irq;
	int8_t update_already_free_irq;
};

struct irq_world {
	struct apic_world apic;
	struct irq_desc desc[IRQSIM_MAX_IRQS];
	struct irq_stats stats;
};

extern int fn_request_irq;
extern int fn_free_irq;
extern int fn_handle_edge_irq;
extern int fn_handle_fasteoi_irq;
extern int fn_handle_level_irq;
extern int fn_disable_irq_nosync;
extern int fn_enable_irq;
extern int fn_irq_modify_status;
extern int irq_knob_fail_request_irq;
extern int irq_knob_fail_update_devid;
/*
 * irq_update_devid - the 2019 series' genirq patch (never merged): swap
 * the dev_id of the action found by @arg1 to @arg2 in place. @arg0 irq.
 * Return: 0, -EINVAL (no descriptor), -ENXIO (no action with that
 * dev_id: "Trying to update already-free IRQ") or an injected error.
 */
extern int fn_irq_update_devid;
extern int fn_irq_set_affinity;
extern int fn_irq_move_irq;
extern int fn_cpu_offline;
extern int fn_cpu_online;

/* Calls of the modeled functions of kernel/irq/manage.c (IRQSIM_CALL). */
enum irqsim_step call_request_irq(struct irqsim_ctx *ctx, int irq,
				  int handler, int dev_id, int data);
enum irqsim_step call_free_irq(struct irqsim_ctx *ctx, int irq, int dev_id);
enum irqsim_step call_disable_irq_nosync(struct irqsim_ctx *ctx, int irq);
enum irqsim_step call_enable_irq(struct irqsim_ctx *ctx, int irq);
enum irqsim_step call_irq_update_devid(struct irqsim_ctx *ctx, int irq,
				       int dev_id, int new_dev_id);
/* ... and of kernel/irq/chip.c */
enum irqsim_step call_irq_modify_status(struct irqsim_ctx *ctx, int irq,
					int clr, int set);
/* ... and of kernel/irq/manage.c's and migration.c's affinity functions */
enum irqsim_step call_irq_set_affinity(struct irqsim_ctx *ctx, int irq,
				       int mask);
enum irqsim_step call_irq_move_irq(struct irqsim_ctx *ctx, int irq);

void irq_init(void);

int irq_register_chip(const struct irq_chip *chip);
int irq_register_domain_chain(const struct irq_domain_chain *chain);
const struct irq_chip *irq_desc_chip(const struct irq_desc *desc);

/**
 * irq_alloc_desc - allocate Linux irq @irq (irq_domain_alloc_descs)
 * Return: 0, -EINVAL out of range, -EBUSY in use.
 */
int irq_alloc_desc(struct irq_world *iw, int irq, int chip, int domain,
		   int handle_irq_fn);
void irq_free_desc(struct irq_world *iw, int irq);

#endif /* IRQSIM_IRQ_H */
