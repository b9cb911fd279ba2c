// SPDX-License-Identifier: MIT
/*
 * Models arch/x86/kernel/apic/msi.c (Linux v6.18): msi_set_affinity, the
 * affinity setter of a PCI/MSI interrupt on the x86 vector domain
 * without interrupt remapping, with irq_msi_update_msg; and
 * x86_init_dev_msi_info, the callbacks the x86 vector domain, as MSI
 * parent, gives a device's PCI/MSI irq chip.
 */
#include "x86/internal.h"
#include "x86/trace.h"

int x86_knob_msi_affinity_slow_path;

static const char *const slow_path_names[] = { "can-reserve", "nomask",
					       "never", NULL };

static const struct irqsim_knob knob_affinity_slow_path = {
	.name = "msi_affinity_slow_path",
	.doc = "arch/x86/kernel/apic/msi.c msi_set_affinity(): which MSI "
	       "takes the careful move (intermediate message on the new "
	       "vector at the old CPU, VECTOR_RETRIGGERED, IRR check and "
	       "retrigger) instead of a direct message write. can-reserve = "
	       "v6.18 as written since b56ebe7c896d: direct if "
	       "!irqd_can_reserve(), i.e. for non-maskable MSI; nomask = "
	       "what 6f1a4891a592 and b56ebe7c896d's changelog say: the "
	       "careful move for non-maskable MSI; never = always direct: "
	       "before 6f1a4891a592 (v5.6), and between ef8dd01538ea and "
	       "b56ebe7c896d, when the nomask quirk bit was never set",
	.def = MSI_SLOW_CAN_RESERVE,
	.max = MSI_SLOW_NEVER,
	.values = slow_path_names,
};

static x86_msi_maskable_fn msi_maskable;

void x86_set_msi_maskable(x86_msi_maskable_fn fn)
{
	msi_maskable = fn;
}

/*
 * irq_msi_update_msg(): the message of @kind goes to the device through
 * irq_data_get_irq_chip(irqd)->irq_write_msi_msg().
 */
static enum irqsim_step irq_msi_update_msg(struct irqsim_ctx *ctx, int irq,
					   enum msi_msg_kind kind,
					   int address_lo, int data)
{
	const struct irq_chip *chip = irq_desc_chip(&x86_w(ctx)->desc[irq]);

	return irqsim_call(ctx, *chip->irq_write_msi_msg_fn, irq, kind,
			   address_lo, data);
}

struct msi_set_affinity_frame {
	int irq;
	int mask;
	int unused[2];
	int old_cfg;	/* vector | dest << 8 */
	int old_cpu;	/* the effective CPU before the move */
	int ret;	/* the parent's return value */
};

/**
 * msi_set_affinity - irq_chip.irq_set_affinity of PCI MSI/MSI-X on the
 * x86 vector domain without interrupt remapping
 * @irq:  Linux irq
 * @mask: CPU mask
 *
 * Runs with desc->lock held and interrupts off, on the old target CPU
 * (IRQCHIP_MOVE_DEFERRED: from the ack of an interrupt there, or from
 * fixup_irqs() on the outgoing CPU). The address and the data of an MSI
 * are separate dwords: a device that fires between the two writes sends
 * (new vector, old CPU) or (old vector, new CPU). The careful move makes
 * each write change one of them only:
 *
 *   old CPU, interrupts off          device
 *   vector_irq[old][new] = RETRIGGERED (if unused)
 *   msg = (old CPU, new vector)      fires: lands in this CPU's IRR
 *   msg = (new CPU, new vector)
 *   new vector in the local IRR?
 *     irq_retrigger(): IPI to the new target; the stale IRR bit later
 *     hits RETRIGGERED and is EOI'd silently
 *
 * Return: the parent's (apic_set_affinity) value.
 */
static enum irqsim_step msi_set_affinity(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct msi_set_affinity_frame *v =
		IRQSIM_FRAME_VARS(f, struct msi_set_affinity_frame);
	struct irq_world *iw = x86_w(ctx);
	struct apic_world *aw = &iw->apic;
	int irq = v->irq;
	struct apic_chip_data *apicd = &aw->apicd[irq];
	int cpu = apic_this_cpu(ctx);
	int old_vector = v->old_cfg & 0xff, old_dest = v->old_cfg >> 8;
	uint32_t old_address_lo;
	bool direct;

	IRQSIM_BEGIN(f);
	v->old_cfg = apicd->cfg_vector | apicd->cfg_dest << 8;
	v->old_cpu = apicd->cpu;
	IRQSIM_CALL(call_apic_set_affinity(ctx, irq, v->mask));
	v->ret = f->ret;
	if (f->ret < 0)
		IRQSIM_RETURN(ctx, f->ret);
	switch (irqsim_knob(ctx, x86_knob_msi_affinity_slow_path)) {
	case MSI_SLOW_CAN_RESERVE:
		/* "if (!irqd_can_reserve(irqd) || ..." */
		direct = !apicd->can_reserve;
		break;
	case MSI_SLOW_NOMASK:
		direct = msi_maskable(ctx, irq);
		break;
	default:
		direct = true;
	}
	direct = direct || apicd->cfg_vector == old_vector ||
		 old_vector == MANAGED_IRQ_SHUTDOWN_VECTOR ||
		 !(iw->desc[irq].irqd & IRQD_IRQ_STARTED) ||
		 apicd->cfg_dest == old_dest;
	if (!direct && v->old_cpu != cpu) {
		IRQSIM_EVENT(ctx, true, "msi_set_affinity",
			     "WARN: irq%d targets cpu%d, not this cpu%d: direct update",
			     irq, v->old_cpu, cpu);
		direct = true;
	}
	if (direct) {
		IRQSIM_EVENT(ctx, false, "msi_set_affinity",
			     "irq%d: direct update to cpu%d vector %d", irq,
			     apicd->cfg_dest, apicd->cfg_vector);
		IRQSIM_CALL(irq_msi_update_msg(ctx, irq, MSI_MSG_COMPOSE, 0, 0));
		IRQSIM_RETURN(ctx, v->ret);
	}
	IRQSIM_LOCK(ctx, APIC_LOCK_VECTOR);
	if (aw->cpu[cpu].vector_irq[apicd->cfg_vector] <= 0) {
		aw->cpu[cpu].vector_irq[apicd->cfg_vector] = VECTOR_RETRIGGERED;
		IRQSIM_EVENT(ctx, true, "msi_set_affinity",
			     "vector_irq[cpu%d][%d] = RETRIGGERED", cpu,
			     apicd->cfg_vector);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_VECTOR_IRQ, cpu,
					 apicd->cfg_vector),
			      IRQSIM_ACC_WRITE);
	}
	trace_msi_set_affinity(ctx, irq, old_dest, old_vector, apicd->cfg_dest,
			       apicd->cfg_vector);
	old_address_lo = MSI_ADDR_BASE_LO |
			 (uint32_t)old_dest << MSI_ADDR_DEST_SHIFT;
	IRQSIM_CALL(irq_msi_update_msg(ctx, irq, MSI_MSG_EXPLICIT,
				       (int32_t)old_address_lo,
				       apicd->cfg_vector));
	IRQSIM_CALL(irq_msi_update_msg(ctx, irq, MSI_MSG_COMPOSE, 0, 0));
	irqsim_unlock(ctx, APIC_LOCK_VECTOR);
	if (lapic_vector_set_in_irr(aw, cpu, apicd->cfg_vector)) {
		IRQSIM_EVENT(ctx, true, "msi_set_affinity",
			     "cpu%d vector %d pending in the local IRR: irq_retrigger()",
			     cpu, apicd->cfg_vector);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_IRR, cpu, apicd->cfg_vector),
			      IRQSIM_ACC_READ);
		IRQSIM_CALL(call_apic_retrigger_irq(ctx, irq));
	} else {
		IRQSIM_EVENT(ctx, false, "msi_set_affinity",
			     "cpu%d vector %d not in the local IRR", cpu,
			     apicd->cfg_vector);
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(APIC_OBJ_IRR, cpu, apicd->cfg_vector),
			      IRQSIM_ACC_READ);
		IRQSIM_YIELD_POINT();
	}
	IRQSIM_RETURN(ctx, v->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(msi_set_affinity);

void x86_init_dev_msi_info(struct irq_chip *chip)
{
	chip->irq_set_affinity_fn = &fn_msi_set_affinity;
	chip->move_deferred = true;
	/* irq_chip_ack_parent() -> apic_ack_edge() */
	chip->irq_ack = msi_ack_parent;
	chip->irq_ack_slow = msi_ack_slow;
	chip->irq_ack_fn = &fn_apic_ack_edge;
	/* irq_chip_retrigger_hierarchy() -> apic_retrigger_irq() */
	chip->irq_retrigger_fn = fn_apic_retrigger_irq;
}

void x86_init(void)
{
	irq_init();
	x86_knob_msi_affinity_slow_path =
		irqsim_knob_register(&knob_affinity_slow_path);
}
