// SPDX-License-Identifier: MIT
/*
 * Models the guest Linux kernel's IOAPIC irqs (arch/x86/kernel/apic/
 * io_apic.c: ioapic_configure_entry, __ioapic_write_entry, io_apic_write,
 * io_apic_read, io_apic_sync, mask_ioapic_irq, unmask_ioapic_irq,
 * ioapic_ack_level, ioapic_prepare_move, ioapic_finish_move,
 * io_apic_level_ack_pending), the deferred affinity change of
 * kernel/irq/manage.c irq_set_affinity_locked() and kernel/irq/migration.c
 * irq_move_masked_irq(), the fasteoi flow (kernel/irq/chip.c
 * handle_fasteoi_irq) and the test driver of seeds/003.
 *
 * Every register access is an MMIO exit into QEMU (ioapic.c): io_apic_write
 * selects the register through IOREGSEL and writes IOWIN, io_apic_read
 * selects and reads; io_apic_sync (after a mask) reads IOWIN alone.
 *
 * An IOAPIC irq without interrupt remapping cannot be moved in process
 * context: irq_set_affinity() on a started irq only records the mask
 * (IRQD_SETAFFINITY_PENDING) and the move happens at the next interrupt,
 * in ioapic_ack_level() on the CPU that takes it: mask, EOI, and if the
 * IOAPIC shows no Remote IRR any more, rewrite the RTE (high dword, then
 * low), then unmask. tglx (seeds/003): "once the interrupt is requested,
 * the affinity setting is deferred to the first interrupt ... If you do
 * the setting before request_irq() then the startup will assign it to the
 * target mask right away."
 *
 * ioapic_lock is taken for each chip operation and dropped between them
 * (mask_ioapic_irq with io_apic_sync, io_apic_level_ack_pending,
 * ioapic_set_affinity's ioapic_configure_entry, unmask_ioapic_irq);
 * desc->lock is held across the whole flow but the handler.
 *
 * Not modeled: the guest's vector allocation (irq on slot s uses vector
 * 0x21 + s on every vCPU, as the move in seeds/003 keeps vector 33), and
 * the TMR check of ioapic_ack_level (apic_read(APIC_TMR) before
 * apic_eoi(); a clear bit sends eoi_ioapic_pin(), an explicit EOI through
 * the EOI register of QEMU's version-0x20 IOAPIC). It never fires here:
 * KVM's __apic_accept_irq() sets the TMR bit from the message's trigger
 * bit, QEMU builds each route's data from the RTE (ioapic_entry_parse:
 * trig_mode << MSI_DATA_TRIGGER_SHIFT), and the guest writes only level
 * RTEs for its pins, so every delivery of their vectors is level - the
 * stale one of seeds/003 too (data 0x8021). The only edge message a
 * level pin sends, the all-zero route before its first unmask
 * (seed003-zero-route), carries vector 0, which is never injected, so no
 * ack runs for it. Had the bit been clear, the explicit EOI would have
 * reached ioapic_eoi_broadcast() without KVM's EOI-exit bitmap, which
 * the lost EOI of seed003-eoi-question does not.
 */
#include "vmm/internal.h"
#include "vmm/trace.h"

#include <errno.h>

#define IO_APIC_REDIR_LEVEL_TRIGGER	(1u << 15)
#define IO_APIC_REDIR_REMOTE_IRR	(1u << 14)
#define IO_APIC_REDIR_MASKED		(1u << 16)

int guest_ioapic_slot(const struct vmm_world *w, int pin)
{
	for (int s = 0; s < IRQSIM_MAX_GUEST_IOAPIC_IRQS; s++)
		if (w->gio[s].used && w->gio[s].pin == pin)
			return s;
	return -1;
}

static int slot_alloc(struct vmm_world *w, int pin)
{
	int s = guest_ioapic_slot(w, pin);

	if (s >= 0)
		return s;
	for (s = 0; s < IRQSIM_MAX_GUEST_IOAPIC_IRQS; s++)
		if (!w->gio[s].used) {
			w->gio[s] = (struct guest_ioapic_irq){
				.used = 1, .pin = (uint8_t)pin, .only_cpu = -1,
			};
			return s;
		}
	return -1;
}

/* mp_chip_data->entry: low dword (vector, level, mask), high (dest). */
static uint32_t rte_low(int slot, bool masked)
{
	return (uint32_t)GUEST_IOAPIC_VECTOR(slot) | IO_APIC_REDIR_LEVEL_TRIGGER |
	       (masked ? IO_APIC_REDIR_MASKED : 0);
}

static int lowest_cpu(uint8_t mask)
{
	return mask ? __builtin_ctz(mask) : 0;
}

struct guest_mmio_write_frame {
	int offset;
	int value;
};

/**
 * guest_mmio_write - the guest's MMIO write to the IOAPIC traps; after
 * QEMU handled it the vCPU enters again
 * @offset: the register's offset
 * @value:  what the guest writes
 */
static enum irqsim_step guest_mmio_write(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct guest_mmio_write_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_mmio_write_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	IRQSIM_BEGIN(f);
	w->vcpu[vcpu].in_host = 1;
	IRQSIM_CALL(call_ioapic_mem_write(ctx, v->offset, v->value));
	w->vcpu[vcpu].in_host = 0;
	kvm_vcpu_enter(ctx, vcpu);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_mmio_write);

static enum irqsim_step call_guest_mmio_write(struct irqsim_ctx *ctx,
					      int offset, int value)
{
	return irqsim_call(ctx, fn_guest_mmio_write, offset, value, 0, 0);
}

struct guest_mmio_read_frame {
	int offset;
};

/**
 * guest_mmio_read - a trapped read of the IOAPIC
 * @offset: the register's offset
 *
 * Return: the value read.
 */
static enum irqsim_step guest_mmio_read(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	struct guest_mmio_read_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_mmio_read_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	IRQSIM_BEGIN(f);
	w->vcpu[vcpu].in_host = 1;
	IRQSIM_CALL(call_ioapic_mem_read(ctx, v->offset));
	w->vcpu[vcpu].in_host = 0;
	kvm_vcpu_enter(ctx, vcpu);
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_mmio_read);

static enum irqsim_step call_guest_mmio_read(struct irqsim_ctx *ctx,
					     int offset)
{
	return irqsim_call(ctx, fn_guest_mmio_read, offset, 0, 0, 0);
}

struct io_apic_write_frame {
	int reg;
	int value;
};

/**
 * io_apic_write - io_apic_write(apic, reg, value): select, then write
 * @reg:   the IOAPIC register
 * @value: what to write
 */
static enum irqsim_step io_apic_write(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct io_apic_write_frame *v =
		IRQSIM_FRAME_VARS(f, struct io_apic_write_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_guest_mmio_write(ctx, IOAPIC_IOREGSEL, v->reg));
	IRQSIM_CALL(call_guest_mmio_write(ctx, IOAPIC_IOWIN, v->value));
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(io_apic_write);

static enum irqsim_step call_io_apic_write(struct irqsim_ctx *ctx, int reg,
					   int value)
{
	return irqsim_call(ctx, fn_io_apic_write, reg, value, 0, 0);
}

struct io_apic_read_frame {
	int reg;
};

/**
 * io_apic_read - io_apic_read(apic, reg): select, then read IOWIN
 * @reg: the IOAPIC register
 *
 * Return: the value read.
 */
static enum irqsim_step io_apic_read(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	struct io_apic_read_frame *v =
		IRQSIM_FRAME_VARS(f, struct io_apic_read_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_guest_mmio_write(ctx, IOAPIC_IOREGSEL, v->reg));
	IRQSIM_CALL(call_guest_mmio_read(ctx, IOAPIC_IOWIN));
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(io_apic_read);

static enum irqsim_step call_io_apic_read(struct irqsim_ctx *ctx, int reg)
{
	return irqsim_call(ctx, fn_io_apic_read, reg, 0, 0, 0);
}

struct guest_ioapic_request_irq_frame {
	int pin;
	int cpu;
	int only_cpu;
	int unused;
	int slot;
	int dest;
};

/**
 * guest_ioapic_request_irq - the guest driver's request_irq() of the irq
 * on an IOAPIC pin (the vCPU thread)
 * @pin:      the IOAPIC pin
 * @cpu:      the vector domain's pick (unless an affinity set before
 *            excludes it: then the first CPU of that affinity)
 * @only_cpu: the handler handles only on this vCPU (IRQ_NONE elsewhere,
 *            David's experiment), -1: anywhere
 *
 * Activation (mp_irqdomain_activate -> ioapic_configure_entry: high
 * dword, then low, masked), then irq_startup() unmasks. The guest's
 * desc->lock and ioapic_lock are held with interrupts off.
 *
 * Return: 0, -ENOSPC (no slot), -EBUSY (requested already).
 */
static enum irqsim_step guest_ioapic_request_irq(struct irqsim_ctx *ctx,
						 struct irqsim_frame *f)
{
	struct guest_ioapic_request_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_ioapic_request_irq_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);
	int nr_vcpus = vmm_machine(ctx)->nr_vcpus;
	struct guest_ioapic_irq *g = &w->gio[v->slot];
	uint8_t mask;

	IRQSIM_BEGIN(f);
	v->slot = slot_alloc(w, v->pin);
	if (v->slot < 0)
		IRQSIM_RETURN(ctx, -ENOSPC);
	g = &w->gio[v->slot];
	if (g->requested)
		IRQSIM_RETURN(ctx, -EBUSY);
	w->vcpu[vcpu].irqs_off++;
	IRQSIM_LOCK(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	IRQSIM_LOCK(ctx, VMM_LOCK_GUEST_IOAPIC);
	mask = g->affinity ? g->affinity : (uint8_t)((1u << nr_vcpus) - 1);
	v->dest = mask & (1u << v->cpu) ? v->cpu : lowest_cpu(mask);
	g->only_cpu = (int8_t)v->only_cpu;
	g->requested = 1;
	g->masked = 1;
	g->rte_writing = 1;
	trace_request_irq(ctx, v->pin, GUEST_IOAPIC_VECTOR(v->slot), v->dest,
			  g);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_IRQ, v->pin, 0),
		      IRQSIM_ACC_RMW);
	IRQSIM_CALL(call_io_apic_write(ctx, IOAPIC_REG_REDTBL_BASE + 1 +
						    2 * v->pin,
				       v->dest << 24));
	IRQSIM_CALL(call_io_apic_write(ctx, IOAPIC_REG_REDTBL_BASE + 2 * v->pin,
				       (int32_t)rte_low(v->slot, true)));
	g->rte_writing = 0;
	g->effective = (uint8_t)v->dest;
	if (!g->affinity)
		g->affinity = (uint8_t)((1u << nr_vcpus) - 1);
	/* irq_startup() -> unmask_ioapic_irq() */
	g->started = 1;
	g->masked = 0;
	IRQSIM_CALL(call_io_apic_write(ctx, IOAPIC_REG_REDTBL_BASE + 2 * v->pin,
				       (int32_t)rte_low(v->slot, false)));
	irqsim_unlock(ctx, VMM_LOCK_GUEST_IOAPIC);
	irqsim_unlock(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	w->vcpu[vcpu].irqs_off--;
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_ioapic_request_irq);

struct guest_irq_set_affinity_frame {
	int pin;
	int cpu;
	int unused[2];
	int slot;
};

/**
 * guest_irq_set_affinity - irq_set_affinity() of the irq on an IOAPIC pin
 * under desc->lock
 * @pin: the IOAPIC pin
 * @cpu: the vCPU it goes to
 *
 * Before request_irq() the mask is stored and startup uses it; after,
 * IRQD_SETAFFINITY_PENDING: the move waits for the next interrupt
 * (irq_set_affinity_locked; the IOAPIC is not IRQD_MOVE_PCNTXT).
 *
 * Return: 0, -ENOSPC (no slot for a new pin).
 */
static enum irqsim_step guest_irq_set_affinity(struct irqsim_ctx *ctx,
					       struct irqsim_frame *f)
{
	struct guest_irq_set_affinity_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_irq_set_affinity_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct guest_ioapic_irq *g = &w->gio[v->slot];

	IRQSIM_BEGIN(f);
	v->slot = slot_alloc(w, v->pin);
	if (v->slot < 0)
		IRQSIM_RETURN(ctx, -ENOSPC);
	g = &w->gio[v->slot];
	IRQSIM_LOCK(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	if (!g->started) {
		g->affinity = (uint8_t)(1u << v->cpu);
		trace_irq_set_affinity_startup(ctx, v->pin, v->cpu);
	} else {
		g->pending_mask = (uint8_t)(1u << v->cpu);
		trace_irq_set_affinity_pending(ctx, v->pin, v->cpu,
					       g->effective);
	}
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_IRQ, v->pin, 0),
		      IRQSIM_ACC_WRITE);
	irqsim_unlock(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_irq_set_affinity);

static int ldev_of_pin(const struct vmm_world *w, int pin)
{
	for (int d = 0; d < IRQSIM_MAX_GUEST_IOAPIC_IRQS; d++)
		if (w->ldev[d].used && w->ldev[d].pin == pin)
			return d;
	return -1;
}

struct guest_ioapic_flow_frame {
	int slot;
	int vector;
	int unused[2];
	int moveit;
	int dest;
};

/**
 * guest_ioapic_flow - handle_fasteoi_irq() of a guest irq, on the vCPU
 * whose guest interrupt context runs it; its irq_eoi is
 * ioapic_ack_level()
 * @slot:   the irq's slot, -1: a vector no irq owns
 * @vector: the vector taken
 *
 * The handler reads the device (which lowers its line) unless the test
 * driver returns IRQ_NONE on this vCPU. ioapic_ack_level(): with a move
 * pending, mask (and io_apic_sync), then apic_eoi(), then if the IOAPIC
 * shows no Remote IRR, irq_move_masked_irq() rewrites the RTE for the new
 * target, and unmask.
 */
static enum irqsim_step guest_ioapic_flow(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct guest_ioapic_flow_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_ioapic_flow_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx), eoi_vector, dev;
	struct guest_ioapic_irq *g = v->slot >= 0 ? &w->gio[v->slot] : NULL;
	int pin = g ? g->pin : 0;

	IRQSIM_BEGIN(f);
	if (!g)
		goto eoi;
	/*
	 * desc->lock, without a resume point of its own: the waiter it
	 * wakes starts over from the entry, so it is in the state of a flow
	 * the vCPU has taken but not yet run (machine.c pushes the frame in
	 * a transition of its own), and has that state's fingerprint.
	 */
	IRQSIM_LOCK_RETRY(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	trace_irq_handler_entry(ctx, pin, v->vector, vcpu, g->effective);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_IRQ, pin, 0),
		      IRQSIM_ACC_READ);
	IRQSIM_YIELD_POINT();
	/* handle_irq_event() drops desc->lock around the handler */
	irqsim_unlock(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	dev = ldev_of_pin(w, pin);
	if ((g->only_cpu >= 0 && g->only_cpu != vcpu) || dev < 0) {
		g->irq_none++;
		trace_irq_handler_exit_none(ctx, pin, vcpu, g->only_cpu);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_IRQ, pin, 0),
			      IRQSIM_ACC_READ);
		IRQSIM_YIELD_LOCK(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	} else {
		w->vcpu[vcpu].in_host = 1;
		IRQSIM_CALL(call_qemu_level_dev_read(ctx, dev));
		w->vcpu[vcpu].in_host = 0;
		kvm_vcpu_enter(ctx, vcpu);
		if (f->ret)
			g->handled++;
		else
			g->irq_none++;
		IRQSIM_LOCK(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	}

	/* ioapic_ack_level(): ioapic_prepare_move() */
	v->moveit = g->pending_mask != 0;
	trace_ioapic_ack_level(ctx, pin, v->moveit);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_IRQ, pin, 0),
		      IRQSIM_ACC_READ);
	if (v->moveit && !g->masked) {
		/* mask_ioapic_irq() */
		IRQSIM_YIELD_LOCK(ctx, VMM_LOCK_GUEST_IOAPIC);
		g->masked = 1;
		IRQSIM_CALL(call_io_apic_write(ctx, IOAPIC_REG_REDTBL_BASE +
							    2 * pin,
					       (int32_t)rte_low(v->slot, true)));
		/* io_apic_sync(): read IOWIN back */
		IRQSIM_CALL(call_guest_mmio_read(ctx, IOAPIC_IOWIN));
		irqsim_unlock(ctx, VMM_LOCK_GUEST_IOAPIC);
	} else {
		IRQSIM_YIELD_POINT();
	}

eoi:
	/*
	 * apic_eoi(): "acknowledge the irq before we move it". An EOI that
	 * exits runs QEMU's handler from the next transition on; then
	 * ioapic_finish_move() takes ioapic_lock for
	 * io_apic_level_ack_pending().
	 */
	if (kvm_lapic_eoi(ctx, vcpu, &eoi_vector)) {
		w->vcpu[vcpu].in_host = 1;
		call_kvm_ioapic_eoi_exit(ctx, eoi_vector);
		IRQSIM_YIELD_POINT();
		w->vcpu[vcpu].in_host = 0;
		kvm_vcpu_enter(ctx, vcpu);
		if (v->moveit)
			IRQSIM_LOCK(ctx, VMM_LOCK_GUEST_IOAPIC);
	} else if (v->moveit) {
		IRQSIM_YIELD_LOCK(ctx, VMM_LOCK_GUEST_IOAPIC);
	} else {
		IRQSIM_YIELD_POINT();
	}
	if (!g)
		IRQSIM_RETURN(ctx, 0);
	if (!v->moveit)
		goto out_unlock;

	/*
	 * ioapic_finish_move(): io_apic_level_ack_pending() reads the RTE
	 * under ioapic_lock and drops it again.
	 */
	IRQSIM_CALL(call_io_apic_read(ctx, IOAPIC_REG_REDTBL_BASE + 2 * pin));
	irqsim_unlock(ctx, VMM_LOCK_GUEST_IOAPIC);
	if (!((uint32_t)f->ret & IO_APIC_REDIR_REMOTE_IRR)) {
		/* irq_move_masked_irq() -> ioapic_set_affinity() */
		v->dest = lowest_cpu(g->pending_mask);
		g->affinity = g->pending_mask;
		g->pending_mask = 0;
		g->rte_writing = 1;
		trace_ioapic_finish_move_moved(ctx, pin, v->dest);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_IRQ, pin, 0),
			      IRQSIM_ACC_RMW);
		/*
		 * ioapic_set_affinity(): ioapic_configure_entry() under
		 * ioapic_lock, taken anew
		 */
		IRQSIM_YIELD_LOCK(ctx, VMM_LOCK_GUEST_IOAPIC);
		IRQSIM_CALL(call_io_apic_write(ctx, IOAPIC_REG_REDTBL_BASE + 1 +
							    2 * pin,
					       v->dest << 24));
		IRQSIM_CALL(call_io_apic_write(ctx, IOAPIC_REG_REDTBL_BASE +
							    2 * pin,
					       (int32_t)rte_low(v->slot, true)));
		/* ioapic_set_affinity() returns: ioapic_lock dropped */
		irqsim_unlock(ctx, VMM_LOCK_GUEST_IOAPIC);
		g->rte_writing = 0;
		g->effective = (uint8_t)v->dest;
	} else {
		trace_ioapic_finish_move_remote_irr(ctx, pin);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_IRQ, pin, 0),
			      IRQSIM_ACC_READ);
	}
	/* unmask_ioapic_irq(): ioapic_lock once more */
	IRQSIM_YIELD_LOCK(ctx, VMM_LOCK_GUEST_IOAPIC);
	g->masked = 0;
	IRQSIM_CALL(call_io_apic_write(ctx, IOAPIC_REG_REDTBL_BASE + 2 * pin,
				       (int32_t)rte_low(v->slot, false)));
	irqsim_unlock(ctx, VMM_LOCK_GUEST_IOAPIC);
out_unlock:
	irqsim_unlock(ctx, VMM_LOCK_GUEST_DESC(v->slot));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_ioapic_flow);
