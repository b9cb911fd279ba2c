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
 * Not modeled: the guest's vector allocation (irq on slot s uses vector
 * 0x21 + s on every vCPU, as the move in seeds/003 keeps vector 33), the
 * TMR check and explicit-EOI fallback of ioapic_ack_level (every entry is
 * level, KVM sets the TMR), and ioapic_lock being dropped between the
 * ack-pending read, the move and the unmask (one irq here: desc->lock
 * serializes them anyway).
 */
#include "vmm/internal.h"

#include <errno.h>

int fn_guest_ioapic_request_irq;
int fn_guest_irq_set_affinity;
int fn_guest_ioapic_flow;
static int fn_guest_mmio_write;
static int fn_guest_mmio_read;
static int fn_io_apic_write;
static int fn_io_apic_read;

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

/*
 * guest_mmio_write: the guest's MMIO write to the IOAPIC traps (@arg0
 * offset, @arg1 value); after QEMU handled it the vCPU enters again.
 */
static enum irqsim_step guest_mmio_write(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	if (f->pc == 0) {
		w->vcpu[vcpu].in_host = 1;
		f->pc = 1;
		return irqsim_call(ctx, fn_ioapic_mem_write, f->arg[0],
				   f->arg[1], 0, 0);
	}
	w->vcpu[vcpu].in_host = 0;
	kvm_vcpu_enter(ctx, vcpu);
	return irqsim_return(ctx, 0);
}

/* guest_mmio_read: a trapped read of @arg0; returns the value. */
static enum irqsim_step guest_mmio_read(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	if (f->pc == 0) {
		w->vcpu[vcpu].in_host = 1;
		f->pc = 1;
		return irqsim_call(ctx, fn_ioapic_mem_read, f->arg[0], 0, 0, 0);
	}
	w->vcpu[vcpu].in_host = 0;
	kvm_vcpu_enter(ctx, vcpu);
	return irqsim_return(ctx, f->ret);
}

/* io_apic_write(apic, @arg0 reg, @arg1 value): select, then write. */
static enum irqsim_step io_apic_write(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	switch (f->pc++) {
	case 0:
		return irqsim_call(ctx, fn_guest_mmio_write, IOAPIC_IOREGSEL,
				   f->arg[0], 0, 0);
	case 1:
		return irqsim_call(ctx, fn_guest_mmio_write, IOAPIC_IOWIN,
				   f->arg[1], 0, 0);
	default:
		return irqsim_return(ctx, 0);
	}
}

/* io_apic_read(apic, @arg0 reg): select, then read IOWIN. */
static enum irqsim_step io_apic_read(struct irqsim_ctx *ctx,
				     struct irqsim_frame *f)
{
	switch (f->pc++) {
	case 0:
		return irqsim_call(ctx, fn_guest_mmio_write, IOAPIC_IOREGSEL,
				   f->arg[0], 0, 0);
	case 1:
		return irqsim_call(ctx, fn_guest_mmio_read, IOAPIC_IOWIN, 0, 0,
				   0);
	default:
		return irqsim_return(ctx, f->ret);
	}
}

enum { RQ_START, RQ_LOCK_DESC, RQ_LOCK_IOAPIC, RQ_LOW, RQ_UNMASK, RQ_DONE };

/**
 * guest_ioapic_request_irq - the guest driver's request_irq() of the irq on
 * IOAPIC pin @arg0 (the vCPU thread). Activation (mp_irqdomain_activate ->
 * ioapic_configure_entry: high dword, then low, masked) with the vector
 * domain's pick @arg1, or the first CPU of an affinity set before, then
 * irq_startup() unmasks. @arg2: the handler handles only on this vCPU
 * (IRQ_NONE elsewhere, David's experiment), -1: anywhere.
 *
 * The guest's desc->lock and ioapic_lock are held with interrupts off.
 * Return: 0, -ENOSPC (no slot), -EBUSY (requested already).
 */
static enum irqsim_step guest_ioapic_request_irq(struct irqsim_ctx *ctx,
						 struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int pin = f->arg[0], vcpu = vmm_ctx_vcpu(ctx), slot = f->local[0];
	int nr_vcpus = vmm_machine(ctx)->nr_vcpus;
	struct guest_ioapic_irq *g;
	uint8_t mask;

	switch (f->pc) {
	case RQ_START:
		slot = slot_alloc(w, pin);
		if (slot < 0)
			return irqsim_return(ctx, -ENOSPC);
		if (w->gio[slot].requested)
			return irqsim_return(ctx, -EBUSY);
		f->local[0] = slot;
		w->vcpu[vcpu].irqs_off++;
		f->pc = RQ_LOCK_DESC;
		/* fall through */
	case RQ_LOCK_DESC:
		if (!irqsim_trylock(ctx, VMM_LOCK_GUEST_DESC(slot)))
			return IRQSIM_BLOCKED;
		f->pc = RQ_LOCK_IOAPIC;
		/* fall through */
	case RQ_LOCK_IOAPIC:
		if (!irqsim_trylock(ctx, VMM_LOCK_GUEST_IOAPIC))
			return IRQSIM_BLOCKED;
		g = &w->gio[slot];
		mask = g->affinity ? g->affinity :
				     (uint8_t)((1u << nr_vcpus) - 1);
		f->local[1] = mask & (1u << f->arg[1]) ? f->arg[1] :
							 lowest_cpu(mask);
		g->only_cpu = (int8_t)f->arg[2];
		g->requested = 1;
		g->masked = 1;
		g->rte_writing = 1;
		IRQSIM_EVENT(ctx, true, "request_irq",
			     "pin %d (vector %#x): activate, effective affinity vcpu%d%s",
			     pin, GUEST_IOAPIC_VECTOR(slot), f->local[1],
			     g->affinity ? " (the affinity set before request_irq)" :
					   "");
		f->pc = RQ_LOW;
		return irqsim_call(ctx, fn_io_apic_write,
				   IOAPIC_REG_REDTBL_BASE + 1 + 2 * pin,
				   f->local[1] << 24, 0, 0);
	case RQ_LOW:
		f->pc = RQ_UNMASK;
		return irqsim_call(ctx, fn_io_apic_write,
				   IOAPIC_REG_REDTBL_BASE + 2 * pin,
				   (int32_t)rte_low(slot, true), 0, 0);
	case RQ_UNMASK:
		g = &w->gio[slot];
		g->rte_writing = 0;
		g->effective = (uint8_t)f->local[1];
		if (!g->affinity)
			g->affinity = (uint8_t)((1u << nr_vcpus) - 1);
		/* irq_startup() -> unmask_ioapic_irq() */
		g->started = 1;
		g->masked = 0;
		f->pc = RQ_DONE;
		return irqsim_call(ctx, fn_io_apic_write,
				   IOAPIC_REG_REDTBL_BASE + 2 * pin,
				   (int32_t)rte_low(slot, false), 0, 0);
	case RQ_DONE:
	default:
		irqsim_unlock(ctx, VMM_LOCK_GUEST_IOAPIC);
		irqsim_unlock(ctx, VMM_LOCK_GUEST_DESC(slot));
		w->vcpu[vcpu].irqs_off--;
		return irqsim_return(ctx, 0);
	}
}

/**
 * guest_irq_set_affinity - irq_set_affinity(irq of pin @arg0, vCPU @arg1)
 * under desc->lock. Before request_irq() the mask is stored and startup
 * uses it; after, IRQD_SETAFFINITY_PENDING: the move waits for the next
 * interrupt (irq_set_affinity_locked; the IOAPIC is not IRQD_MOVE_PCNTXT).
 * Return: 0, -ENOSPC (no slot for a new pin).
 */
static enum irqsim_step guest_irq_set_affinity(struct irqsim_ctx *ctx,
					       struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int pin = f->arg[0], cpu = f->arg[1];
	int slot = slot_alloc(w, pin);
	struct guest_ioapic_irq *g;

	if (slot < 0)
		return irqsim_return(ctx, -ENOSPC);
	if (!irqsim_trylock(ctx, VMM_LOCK_GUEST_DESC(slot)))
		return IRQSIM_BLOCKED;
	g = &w->gio[slot];
	if (!g->started) {
		g->affinity = (uint8_t)(1u << cpu);
		IRQSIM_EVENT(ctx, true, "irq_set_affinity",
			     "pin %d -> vcpu%d before request_irq: the startup assigns it", pin,
			     cpu);
	} else {
		g->pending_mask = (uint8_t)(1u << cpu);
		IRQSIM_EVENT(ctx, true, "irq_set_affinity",
			     "pin %d -> vcpu%d: IRQD_SETAFFINITY_PENDING, deferred to the next interrupt (effective still vcpu%d)",
			     pin, cpu, g->effective);
	}
	IRQSIM_TRACE(ctx, "irq_set_affinity", "pin=%d cpu=%d pending=%d", pin,
		     cpu, g->started);
	irqsim_unlock(ctx, VMM_LOCK_GUEST_DESC(slot));
	return irqsim_return_yield(ctx, 0);
}

enum {
	FL_LOCK,
	FL_HANDLER,
	FL_HANDLED,
	FL_RELOCK,
	FL_MASK,
	FL_SYNC,
	FL_SYNCED,
	FL_EOI,
	FL_EOI_DONE,
	FL_FINISH,
	FL_ACKPEND,
	FL_MOVE_LOW,
	FL_MOVED,
	FL_UNMASK,
	FL_UNMASKED,
	FL_UNLOCK,
};

static int ldev_of_pin(const struct vmm_world *w, int pin)
{
	for (int d = 0; d < IRQSIM_MAX_GUEST_IOAPIC_IRQS; d++)
		if (w->ldev[d].used && w->ldev[d].pin == pin)
			return d;
	return -1;
}

/**
 * guest_ioapic_flow - handle_fasteoi_irq() of the guest irq in @arg0 slot
 * (-1: a vector no irq owns) for vector @arg1, on the vCPU whose guest
 * interrupt context runs it; its irq_eoi is ioapic_ack_level().
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
	struct vmm_world *w = vmm_w(ctx);
	int slot = f->arg[0], vcpu = vmm_ctx_vcpu(ctx), vector;
	struct guest_ioapic_irq *g = slot >= 0 ? &w->gio[slot] : NULL;
	int pin = g ? g->pin : 0, dev;

	switch (f->pc) {
	case FL_LOCK:
		if (!g) {
			f->pc = FL_EOI;
			return IRQSIM_CONTINUE;
		}
		if (!irqsim_trylock(ctx, VMM_LOCK_GUEST_DESC(slot)))
			return IRQSIM_BLOCKED;
		IRQSIM_EVENT(ctx, true, "handle_fasteoi_irq",
			     "IRQ %d vector %#x on vcpu%d (effective affinity vcpu%d)",
			     pin, f->arg[1], vcpu, g->effective);
		IRQSIM_TRACE(ctx, "irq_handler_entry", "irq=%d vcpu=%d", pin,
			     vcpu);
		f->pc = FL_HANDLER;
		return IRQSIM_YIELD;
	case FL_HANDLER:
		/* handle_irq_event() drops desc->lock around the handler */
		irqsim_unlock(ctx, VMM_LOCK_GUEST_DESC(slot));
		dev = ldev_of_pin(w, pin);
		if ((g->only_cpu >= 0 && g->only_cpu != vcpu) || dev < 0) {
			g->irq_none++;
			IRQSIM_EVENT(ctx, true, "guest_irq_handler",
				     "IRQ %d: the handler is on vcpu%d: IRQ_NONE (it acts on vcpu%d only)",
				     pin, vcpu, g->only_cpu);
			IRQSIM_TRACE(ctx, "irq_handler_exit", "irq=%d ret=none",
				     pin);
			f->pc = FL_RELOCK;
			return IRQSIM_YIELD;
		}
		w->vcpu[vcpu].in_host = 1;
		f->pc = FL_HANDLED;
		return irqsim_call(ctx, fn_qemu_level_dev_read, dev, 0, 0, 0);
	case FL_HANDLED:
		w->vcpu[vcpu].in_host = 0;
		kvm_vcpu_enter(ctx, vcpu);
		if (f->ret)
			g->handled++;
		else
			g->irq_none++;
		f->pc = FL_RELOCK;
		/* fall through */
	case FL_RELOCK:
		if (!irqsim_trylock(ctx, VMM_LOCK_GUEST_DESC(slot)))
			return IRQSIM_BLOCKED;
		/* ioapic_ack_level(): ioapic_prepare_move() */
		f->local[0] = g->pending_mask != 0;
		IRQSIM_EVENT(ctx, true, "ioapic_ack_level",
			     "IRQ %d moveit = %d", pin, f->local[0]);
		f->pc = f->local[0] && !g->masked ? FL_MASK : FL_EOI;
		return IRQSIM_YIELD;
	case FL_MASK:
		if (!irqsim_trylock(ctx, VMM_LOCK_GUEST_IOAPIC))
			return IRQSIM_BLOCKED;
		g->masked = 1;
		f->pc = FL_SYNC;
		return irqsim_call(ctx, fn_io_apic_write,
				   IOAPIC_REG_REDTBL_BASE + 2 * pin,
				   (int32_t)rte_low(slot, true), 0, 0);
	case FL_SYNC:
		/* io_apic_sync(): read IOWIN back */
		f->pc = FL_SYNCED;
		return irqsim_call(ctx, fn_guest_mmio_read, IOAPIC_IOWIN, 0, 0,
				   0);
	case FL_SYNCED:
		irqsim_unlock(ctx, VMM_LOCK_GUEST_IOAPIC);
		f->pc = FL_EOI;
		/* fall through */
	case FL_EOI:
		/* apic_eoi(): "acknowledge the irq before we move it" */
		if (kvm_lapic_eoi(ctx, vcpu, &vector)) {
			w->vcpu[vcpu].in_host = 1;
			f->pc = FL_EOI_DONE;
			irqsim_call(ctx, fn_kvm_ioapic_eoi_exit, vector, 0, 0, 0);
			return IRQSIM_YIELD;
		}
		f->pc = FL_FINISH;
		return IRQSIM_YIELD;
	case FL_EOI_DONE:
		w->vcpu[vcpu].in_host = 0;
		kvm_vcpu_enter(ctx, vcpu);
		f->pc = FL_FINISH;
		/* fall through */
	case FL_FINISH:
		if (!g)
			return irqsim_return(ctx, 0);
		if (!f->local[0]) {
			f->pc = FL_UNLOCK;
			return IRQSIM_CONTINUE;
		}
		/* ioapic_finish_move(): io_apic_level_ack_pending() */
		if (!irqsim_trylock(ctx, VMM_LOCK_GUEST_IOAPIC))
			return IRQSIM_BLOCKED;
		f->pc = FL_ACKPEND;
		return irqsim_call(ctx, fn_io_apic_read,
				   IOAPIC_REG_REDTBL_BASE + 2 * pin, 0, 0, 0);
	case FL_ACKPEND:
		if ((uint32_t)f->ret & IO_APIC_REDIR_REMOTE_IRR) {
			IRQSIM_EVENT(ctx, true, "ioapic_finish_move",
				     "IRQ %d: Remote IRR still set: not moved this time",
				     pin);
			f->pc = FL_UNMASK;
			return IRQSIM_YIELD;
		}
		/* irq_move_masked_irq() -> ioapic_set_affinity() */
		f->local[1] = lowest_cpu(g->pending_mask);
		g->affinity = g->pending_mask;
		g->pending_mask = 0;
		g->rte_writing = 1;
		IRQSIM_EVENT(ctx, true, "ioapic_finish_move",
			     "IRQ %d calls irq_move_masked_irq(): ioapic_configure_entry target vcpu%d",
			     pin, f->local[1]);
		f->pc = FL_MOVE_LOW;
		return irqsim_call(ctx, fn_io_apic_write,
				   IOAPIC_REG_REDTBL_BASE + 1 + 2 * pin,
				   f->local[1] << 24, 0, 0);
	case FL_MOVE_LOW:
		f->pc = FL_MOVED;
		return irqsim_call(ctx, fn_io_apic_write,
				   IOAPIC_REG_REDTBL_BASE + 2 * pin,
				   (int32_t)rte_low(slot, true), 0, 0);
	case FL_MOVED:
		g->rte_writing = 0;
		g->effective = (uint8_t)f->local[1];
		f->pc = FL_UNMASK;
		/* fall through */
	case FL_UNMASK:
		g->masked = 0;
		f->pc = FL_UNMASKED;
		return irqsim_call(ctx, fn_io_apic_write,
				   IOAPIC_REG_REDTBL_BASE + 2 * pin,
				   (int32_t)rte_low(slot, false), 0, 0);
	case FL_UNMASKED:
		irqsim_unlock(ctx, VMM_LOCK_GUEST_IOAPIC);
		f->pc = FL_UNLOCK;
		/* fall through */
	case FL_UNLOCK:
	default:
		irqsim_unlock(ctx, VMM_LOCK_GUEST_DESC(slot));
		return irqsim_return(ctx, 0);
	}
}

void vmm_register_guest_ioapic(void)
{
	fn_guest_mmio_write =
		irqsim_fn_register("guest_mmio_write", guest_mmio_write);
	fn_guest_mmio_read =
		irqsim_fn_register("guest_mmio_read", guest_mmio_read);
	fn_io_apic_write = irqsim_fn_register("io_apic_write", io_apic_write);
	fn_io_apic_read = irqsim_fn_register("io_apic_read", io_apic_read);
	fn_guest_ioapic_request_irq = irqsim_fn_register(
		"guest_ioapic_request_irq", guest_ioapic_request_irq);
	fn_guest_irq_set_affinity = irqsim_fn_register(
		"guest_irq_set_affinity", guest_irq_set_affinity);
	fn_guest_ioapic_flow =
		irqsim_fn_register("guest_ioapic_flow", guest_ioapic_flow);
}
