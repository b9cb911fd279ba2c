// SPDX-License-Identifier: MIT
/*
 * Models arch/x86/kernel/apic/vector.c (Linux v6.18): x86_vector_alloc_irqs,
 * x86_vector_activate, x86_vector_deactivate, assign_vector_locked,
 * apic_update_vector, clear_irq_vector, reserve_irq_vector_locked,
 * apic_retrigger_irq, x86_vector_msi_compose_msg; and the rejected
 * x86_vector_repair() of seeds/000.
 *
 * Every vector_irq write and every apic_chip_data change happens under
 * vector_lock, as lockdep_assert_held() demands in the kernel. The only
 * lockless access is the read in common_interrupt (irq_entry.c).
 */
#include "apic/internal.h"
#include "apic/trace.h"

#include <errno.h>

int apic_knob_fail_vector_alloc;
int apic_knob_fail_errno;

static const struct irqsim_knob knob_fail_vector_alloc = {
	.name = "fail_vector_alloc",
	.doc = "fault injection: the Nth vector allocation at activation "
	       "(assign_irq_vector_any_locked(), counted from 1 across the "
	       "run, setup included) fails, as an exhausted matrix does "
	       "(-ENOSPC unless fail_errno says otherwise); 0 = never",
	.def = 0,
	.max = 1000,
};

/* Errors an injected fault may return; "default" is the site's own. */
static const char *const errno_names[] = {
	"default", "ENOMEM", "ENOSPC", "EBUSY", "EINVAL", "ENODEV", "EIO",
	"ENXIO", NULL,
};
static const int errno_values[] = {
	0, -ENOMEM, -ENOSPC, -EBUSY, -EINVAL, -ENODEV, -EIO, -ENXIO,
};

static const struct irqsim_knob knob_fail_errno = {
	.name = "fail_errno",
	.doc = "fault injection: the error fail_request_irq, "
	       "fail_vector_alloc and fail_update_devid return; default = the "
	       "site's own (-ENOMEM for request_irq's allocation, -ENOSPC for "
	       "a vector, -ENXIO for irq_update_devid)",
	.def = 0,
	.max = 7,
	.values = errno_names,
};

const char *apic_errno_name(int err)
{
	static const char *const names[] = {
		"0", "-ENOMEM", "-ENOSPC", "-EBUSY", "-EINVAL", "-ENODEV", "-EIO",
		"-ENXIO",
	};

	for (size_t i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (errno_values[i] == err)
			return names[i];
	return "-E?";
}

int apic_fault_errno(const struct irqsim_ctx *ctx, int def)
{
	int v = irqsim_knob(ctx, apic_knob_fail_errno);

	return v > 0 && v < (int)(sizeof(errno_values) / sizeof(int)) ?
		       errno_values[v] :
		       def;
}

/*
 * x86_vector_alloc_irqs() for a non-legacy, non-managed irq without a
 * given mask: reserve_irq_vector() takes only a global reservation
 * (reservation mode), cfg points at MANAGED_IRQ_SHUTDOWN_VECTOR and no
 * vector_irq slot is written.
 */
int x86_vector_alloc_irq(struct apic_world *aw, int irq, uint8_t affinity)
{
	struct apic_chip_data *apicd;

	if (irq <= 0 || irq >= IRQSIM_MAX_IRQS)
		return -EINVAL;
	apicd = &aw->apicd[irq];
	if (apicd->used)
		return -EBUSY;
	*apicd = (struct apic_chip_data){
		.used = 1,
		.can_reserve = 1,
		.has_reserved = 1,
		.cfg_vector = MANAGED_IRQ_SHUTDOWN_VECTOR,
		.cfg_dest = 0,
		.affinity = affinity,
	};
	irq_matrix_reserve(&aw->matrix);
	return 0;
}

/*
 * x86_vector_activate() at allocation for an irq that may not use
 * reservation mode (a non-maskable MSI: msi_init_virq() clears
 * IRQD_CAN_RESERVE): activate_reserved() assigns the real vector and,
 * reservation mode being off, can_reserve = false. Done before the run
 * (no vector_lock needed, no events).
 */
int x86_vector_activate_early(struct apic_world *aw, int irq)
{
	struct apic_chip_data *apicd = &aw->apicd[irq];
	uint8_t online = apic_online_mask(aw);
	unsigned int cpu;
	int vector;

	vector = irq_matrix_alloc(&aw->matrix, apicd->affinity & online, true,
				  &cpu, aw);
	if (vector < 0)
		vector = irq_matrix_alloc(&aw->matrix, online, true, &cpu, aw);
	if (vector < 0)
		return vector;
	apicd->vector = apicd->cfg_vector = (uint8_t)vector;
	apicd->cpu = apicd->cfg_dest = (uint8_t)cpu;
	aw->cpu[cpu].vector_irq[vector] = (int16_t)irq;
	apicd->has_reserved = 0;
	apicd->can_reserve = 0;
	return 0;
}

struct msi_msg x86_vector_msi_compose_msg(const struct apic_chip_data *apicd)
{
	return (struct msi_msg){
		.address_lo = MSI_ADDR_BASE_LO |
			      ((uint32_t)apicd->cfg_dest << MSI_ADDR_DEST_SHIFT),
		.address_hi = 0,
		.data = apicd->cfg_vector,
	};
}

/*
 * clear_irq_vector(): caller holds vector_lock. The vector's slot becomes
 * VECTOR_SHUTDOWN and its bit goes back to the matrix; so do a move's
 * prev_vector and its slot (a move in progress, or queued for cleanup on
 * the old CPU after the first interrupt on the new one), and the irq
 * comes off the cleanup list (hlist_del_init(&apicd->clist)), or its next
 * activation would get -EBUSY from assign_vector_locked() forever. A late
 * interrupt on either old slot finds SHUTDOWN.
 * @ctx: the step that clears, whose events name the write; NULL from
 *       x86_vector_free_irq(), which has none and logs nothing
 */
static void clear_irq_vector(struct irqsim_ctx *ctx, struct apic_world *aw,
			     int irq)
{
	struct apic_chip_data *apicd = &aw->apicd[irq];
	int vector = apicd->vector;

	if (!vector)
		return;
	if (ctx) {
		IRQSIM_EVENT(ctx, false, "vector_clear",
			     "irq=%d vector=%d cpu=%d prev_vector=%d prev_cpu=%d",
			     irq, vector, apicd->cpu, apicd->prev_vector,
			     apicd->prev_cpu);
		trace_clear_irq_vector(ctx, irq, apicd->cpu, vector);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, apicd->cpu,
					 vector),
			      IRQSIM_ACC_WRITE);
	}
	aw->cpu[apicd->cpu].vector_irq[vector] = VECTOR_SHUTDOWN;
	irq_matrix_free(&aw->matrix, apicd->cpu, vector);
	apicd->vector = 0;

	/* Clean up move in progress */
	vector = apicd->prev_vector;
	if (!vector)
		return;
	aw->cpu[apicd->prev_cpu].vector_irq[vector] = VECTOR_SHUTDOWN;
	irq_matrix_free(&aw->matrix, apicd->prev_cpu, vector);
	apicd->prev_vector = 0;
	apicd->move_in_progress = 0;
	apicd->cleanup_queued = 0;
}

/*
 * x86_vector_free_irqs(): clear_irq_vector(), then
 * vector_free_reserved_and_managed() drops a reservation still held.
 * An irq that went through x86_vector_deactivate() has no vector left
 * here; one without reservation mode (non-maskable MSI, which deactivate
 * leaves alone) still has it.
 */
void x86_vector_free_irq(struct apic_world *aw, int irq)
{
	struct apic_chip_data *apicd = &aw->apicd[irq];

	if (!apicd->used)
		return;
	clear_irq_vector(NULL, aw, irq);
	if (apicd->has_reserved)
		irq_matrix_remove_reserved(&aw->matrix);
	*apicd = (struct apic_chip_data){ 0 };
}

/*
 * apic_update_vector(): caller holds vector_lock. The old vector, if the
 * irq has a real one, is kept as prev_vector (move_in_progress) while its
 * CPU is online: its vector_irq slot keeps pointing at the descriptor, so
 * an interrupt the device sent before it saw the new message is still
 * handled, until the first interrupt on the new target schedules the
 * cleanup. An offline old CPU's vector is freed at once.
 * With vector_move_prev=off the old vector is freed at once even on an
 * online CPU and its slot reset (no retention).
 */
void apic_update_vector(struct irqsim_ctx *ctx, int irq, int vector,
			unsigned int cpu, const char *fn)
{
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[irq];

	/* apic_update_vector()'s tracepoint */
	IRQSIM_WARN_ON_ONCE(ctx, aw->cpu[cpu].vector_irq[vector] > 0);
	trace_vector_update(ctx, fn, irq, vector, cpu,
			    aw->cpu[cpu].vector_irq[vector], apicd->vector,
			    apicd->cpu);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu, vector),
		      IRQSIM_ACC_WRITE);
	apicd->prev_vector = 0;
	if (apicd->vector && apicd->vector != MANAGED_IRQ_SHUTDOWN_VECTOR) {
		if (aw->cpu[apicd->cpu].online &&
		    irqsim_knob(ctx, apic_knob_vector_move_prev)) {
			apicd->move_in_progress = 1;
			apicd->prev_vector = apicd->vector;
			apicd->prev_cpu = apicd->cpu;
			IRQSIM_WARN_ON_ONCE(ctx, apicd->cpu == cpu);
		} else {
			irq_matrix_free(&aw->matrix, apicd->cpu, apicd->vector);
			if (aw->cpu[apicd->cpu].online) {
				/* vector_move_prev=off: no retention */
				IRQSIM_EVENT(ctx, true, fn,
					     "vector_irq[cpu%d][%d] = UNUSED (old vector freed at once)",
					     apicd->cpu, apicd->vector);
				aw->cpu[apicd->cpu].vector_irq[apicd->vector] =
					VECTOR_UNUSED;
			}
		}
	}
	apicd->vector = (uint8_t)vector;
	apicd->cpu = (uint8_t)cpu;
	aw->cpu[cpu].vector_irq[vector] = (int16_t)irq;
	/* apic_update_irq_cfg() */
	apicd->cfg_vector = (uint8_t)vector;
	apicd->cfg_dest = (uint8_t)cpu;
}

uint8_t apic_online_mask(const struct apic_world *aw)
{
	uint8_t online = 0;

	for (int c = 0; c < aw->nr_cpus; c++)
		if (aw->cpu[c].online)
			online |= 1u << c;
	return online;
}

/*
 * assign_vector_locked(): caller holds vector_lock. Nothing to do when
 * the current target is online and in @dest; -EBUSY while a previous move
 * is unfinished (move_in_progress, or queued for cleanup); else
 * irq_matrix_alloc() + apic_update_vector().
 */
int assign_vector_locked(struct irqsim_ctx *ctx, int irq, uint8_t dest,
			 const char *fn)
{
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[irq];
	unsigned int cpu;
	int vector;

	if (apicd->vector && apicd->vector != MANAGED_IRQ_SHUTDOWN_VECTOR &&
	    aw->cpu[apicd->cpu].online && (dest & (1u << apicd->cpu)))
		return 0;
	if (apicd->move_in_progress || apicd->cleanup_queued)
		return -EBUSY;
	vector = irq_matrix_alloc(&aw->matrix, dest, apicd->has_reserved,
				  &cpu, aw);
	if (vector < 0) {
		/*
		 * The matrix's answer, -EINVAL for an empty mask or
		 * -ENOSPC, and its counts say why.
		 */
		trace_irq_matrix_alloc_failed(ctx, irq, vector, dest,
					      &aw->matrix);
		return vector;
	}
	trace_irq_matrix_alloc(ctx, irq, vector, cpu, &aw->matrix);
	apic_update_vector(ctx, irq, vector, cpu, fn);
	return 0;
}

/*
 * assign_irq_vector_any_locked() -> assign_vector_locked(): first the
 * requested affinity among online CPUs, then any online CPU. Caller holds
 * vector_lock.
 */
static int assign_irq_vector_any_locked(struct irqsim_ctx *ctx, int irq)
{
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[irq];
	uint8_t online = apic_online_mask(aw);
	int ret;

	aw->vector_allocs++;
	if (aw->vector_allocs ==
	    irqsim_knob(ctx, apic_knob_fail_vector_alloc)) {
		ret = apic_fault_errno(ctx, -ENOSPC);
		IRQSIM_EVENT(ctx, true, "irq_matrix_alloc",
			     "irq=%d: injected failure %s", irq,
			     apic_errno_name(ret));
		return ret;
	}
	ret = assign_vector_locked(ctx, irq, apicd->affinity & online,
				   "x86_vector_activate");
	if (ret)
		ret = assign_vector_locked(ctx, irq, online,
					   "x86_vector_activate");
	return ret;
}

struct x86_vector_activate_frame {
	int irq;
	int reserve;
	int unused2;
	int unused3;
	int ret;
};

/**
 * x86_vector_activate - irq_domain_ops.activate of the vector domain
 * @irq:     Linux irq
 * @reserve: early activation in reservation mode
 *
 * Return (in the caller's ret): 0, or activate_reserved()'s -ENOSPC.
 */
static enum irqsim_step x86_vector_activate(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct x86_vector_activate_frame *v =
		IRQSIM_FRAME_VARS(f, struct x86_vector_activate_frame);
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[v->irq];

	IRQSIM_BEGIN(f);
	IRQSIM_EVENT(ctx, false, "vector_activate",
		     "irq=%d is_managed=%d can_reserve=%d reserve=%d", v->irq,
		     apicd->is_managed, apicd->can_reserve, v->reserve);
	raw_spin_lock_irqsave(ctx, APIC_LOCK_VECTOR);
	v->ret = 0;
	if (!apicd->can_reserve && !apicd->is_managed) {
		/*
		 * A fixed vector (non-maskable MSI: reservation mode off):
		 * x86_vector_activate() ignores what
		 * assign_irq_vector_any_locked() returns. The irq keeps the
		 * vector it has, online or not; only a failure to move it
		 * off an offline CPU could show (v6.18).
		 */
		assign_irq_vector_any_locked(ctx, v->irq);
	} else if (v->reserve) {
		/* vector_assign_managed_shutdown(): nothing others see */
		apicd->cfg_vector = MANAGED_IRQ_SHUTDOWN_VECTOR;
		apicd->cfg_dest = 0;
		goto unlock;
	} else if (apicd->has_reserved) {
		/*
		 * activate_reserved(): assign_vector_locked() passes
		 * has_reserved to irq_matrix_alloc(), which consumes the
		 * reservation; only the flag is cleared here.
		 */
		v->ret = assign_irq_vector_any_locked(ctx, v->irq);
		if (!v->ret)
			apicd->has_reserved = 0;
	}
	IRQSIM_YIELD_POINT();
unlock:
	raw_spin_unlock_irqrestore(ctx, APIC_LOCK_VECTOR);
	trace_x86_vector_activate(ctx, v->irq, v->ret);
	IRQSIM_RETURN_YIELD(ctx, v->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(x86_vector_activate);

struct x86_vector_deactivate_frame {
	int irq;
};

/**
 * x86_vector_deactivate - irq_domain_ops.deactivate of the vector domain
 * @irq: Linux irq
 *
 * clear_irq_vector() marks the slot VECTOR_SHUTDOWN and frees the vector
 * in the matrix; reserve_irq_vector_locked() takes the global reservation
 * back. A late interrupt on the old CPU finds SHUTDOWN.
 */
static enum irqsim_step x86_vector_deactivate(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct x86_vector_deactivate_frame *v =
		IRQSIM_FRAME_VARS(f, struct x86_vector_deactivate_frame);
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[v->irq];

	IRQSIM_BEGIN(f);
	IRQSIM_EVENT(ctx, false, "vector_deactivate",
		     "irq=%d is_managed=%d can_reserve=%d reserve=0", v->irq,
		     apicd->is_managed, apicd->can_reserve);
	if (!apicd->is_managed && !apicd->can_reserve)
		IRQSIM_RETURN(ctx, 0);
	if (apicd->has_reserved)
		IRQSIM_RETURN(ctx, 0);
	raw_spin_lock_irqsave(ctx, APIC_LOCK_VECTOR);
	clear_irq_vector(ctx, aw, v->irq);
	/* reserve_irq_vector_locked() */
	irq_matrix_reserve(&aw->matrix);
	apicd->has_reserved = 1;
	apicd->cfg_vector = MANAGED_IRQ_SHUTDOWN_VECTOR;
	apicd->cfg_dest = 0;
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, APIC_LOCK_VECTOR);
	trace_x86_vector_deactivate(ctx, v->irq);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(x86_vector_deactivate);

struct apic_retrigger_irq_frame {
	int irq;
};

/**
 * apic_retrigger_irq - irq_chip.irq_retrigger of lapic_controller: under
 * vector_lock, an IPI with the irq's current vector to its current CPU
 * @irq: Linux irq
 *
 * Return: 1 (retriggered).
 */
static enum irqsim_step apic_retrigger_irq(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct apic_retrigger_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct apic_retrigger_irq_frame);
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[v->irq];

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, APIC_LOCK_VECTOR);
	trace_apic_retrigger_irq(ctx, v->irq, apicd->cpu, apicd->vector);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(APIC_OBJ_IRR, apicd->cpu, apicd->vector),
		      IRQSIM_ACC_WRITE);
	if (apicd->vector && apicd->vector != MANAGED_IRQ_SHUTDOWN_VECTOR)
		apic_vector_set(aw->cpu[apicd->cpu].lapic.irr, apicd->vector);
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, APIC_LOCK_VECTOR);
	IRQSIM_RETURN(ctx, 1);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(apic_retrigger_irq);

enum irqsim_step call_apic_retrigger_irq(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_apic_retrigger_irq, irq, 0, 0, 0);
}

struct x86_vector_repair_frame {
	int irq;
};

/**
 * x86_vector_repair - the rejected repair_irq() hack of seeds/000: under
 * vector_lock, write the descriptor back if the slot no longer holds it
 * @irq: Linux irq
 *
 * tglx: "neither guaranteed to work nor fixes the general problem": the
 * old CPU may still write VECTOR_UNUSED after this ran.
 */
static enum irqsim_step x86_vector_repair(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct x86_vector_repair_frame *v =
		IRQSIM_FRAME_VARS(f, struct x86_vector_repair_frame);
	struct apic_world *aw = apic_w(ctx);
	struct apic_chip_data *apicd = &aw->apicd[v->irq];
	int16_t *slot;

	IRQSIM_BEGIN(f);
	raw_spin_lock_irqsave(ctx, APIC_LOCK_VECTOR);
	slot = &aw->cpu[apicd->cpu].vector_irq[apicd->vector];
	if (apicd->vector && *slot != v->irq) {
		trace_x86_vector_repair(ctx, v->irq, apicd->cpu,
					apicd->vector);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, apicd->cpu,
					 apicd->vector),
			      IRQSIM_ACC_RMW);
		*slot = (int16_t)v->irq;
		aw->stats.repaired++;
	} else {
		trace_x86_vector_repair_intact(ctx, v->irq, apicd->cpu,
					       apicd->vector);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, apicd->cpu,
					 apicd->vector),
			      IRQSIM_ACC_READ);
	}
	IRQSIM_YIELD_POINT();
	raw_spin_unlock_irqrestore(ctx, APIC_LOCK_VECTOR);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(x86_vector_repair);

enum irqsim_step call_x86_vector_repair(struct irqsim_ctx *ctx, int irq)
{
	return irqsim_call(ctx, fn_x86_vector_repair, irq, 0, 0, 0);
}

void apic_register_vector_fns(void)
{
	apic_knob_fail_vector_alloc =
		irqsim_knob_register(&knob_fail_vector_alloc);
	apic_knob_fail_errno = irqsim_knob_register(&knob_fail_errno);
	apic_register_intc_fns();
	apic_register_move_fns();
}
