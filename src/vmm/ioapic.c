// SPDX-License-Identifier: MIT
/*
 * Models QEMU hw/intc/ioapic.c (Q-IOAPIC, reference section 7) with the
 * split irqchip (-accel kvm,kernel-irqchip=split): the IOAPIC is emulated
 * by QEMU, the local APICs by KVM, and QEMU delivers every pin through a
 * KVM GSI routing entry (kvm_set_irq(gsi = pin)) that caches the MSI
 * message composed from the pin's redirection entry.
 *
 * ioapic_set_irq, ioapic_service, ioapic_eoi_broadcast (with the storm
 * throttle: after SUCCESSIVE_IRQ_MAX_COUNT re-deliveries in a row the next
 * one waits for delayed_ioapic_service_timer), ioapic_update_kvm_routes
 * (unmasked pins only) and the MMIO interface, ioapic_mem_write and
 * ioapic_mem_read.
 *
 * The route update of an RTE write: QEMU before 8.0 calls
 * ioapic_update_kvm_routes() at the end of every ioapic_mem_write(), so
 * an unmask that re-delivers a still-asserted level line goes through the
 * stale route first (seeds/003). 54ad31fb0a0a ("hw/intc/ioapic: Update
 * KVM routes before redelivering IRQ, on RTE update", QEMU 8.0) updates
 * the routes inside the RTE branch, before ioapic_service(), and not for
 * other writes. The knob ioapic_routes_first selects the two.
 *
 * All of this runs under QEMU's BQL (VMM_LOCK_BQL): a vCPU thread's MMIO
 * exit, the KVM_EXIT_IOAPIC_EOI exit, the device models and the main
 * loop's timer. kvm_resample_fd_notify() of the EOI broadcast (VFIO INTx
 * resamplefds) is not modeled: no INTx irqfd uses this IOAPIC here.
 */
#include "vmm/internal.h"
#include "vmm/trace.h"

#include <errno.h>

int vmm_knob_ioapic_routes_first;

static const char *const off_on[] = { "off", "on", NULL };

static const struct irqsim_knob knob_routes_first = {
	.name = "ioapic_routes_first",
	.doc = "QEMU 54ad31fb0a0a (8.0): ioapic_mem_write() updates the KVM "
	       "routes (ioapic_update_kvm_routes) before ioapic_service() "
	       "re-delivers on an RTE write; off: after it, at the end of "
	       "every write (QEMU < 8.0, seeds/003)",
	.def = 1,
	.max = 1,
	.values = off_on,
};

void vmm_ioapic_reset(struct vmm_world *w)
{
	for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		w->ioapic.ioredtbl[pin] = IOAPIC_LVT_MASKED;
		w->ioapic.irq_eoi[pin] = 0;
		w->ioapic_route[pin] = (struct kvm_gsi_msi_route){ 0, 0 };
	}
	w->ioapic.irr = 0;
	w->ioapic.ioregsel = 0;
	w->ioapic.delayed = 0;
}

/* ioapic_entry_parse(): the MSI message an RTE stands for. */
static void ioapic_entry_msg(uint64_t entry, uint32_t *address,
			     uint32_t *data)
{
	uint32_t dest = (uint32_t)(entry >> IOAPIC_LVT_DEST_SHIFT);
	uint32_t trig = !!(entry & IOAPIC_LVT_TRIGGER_MODE);
	uint32_t mode = (uint32_t)(entry >> IOAPIC_LVT_DELIV_MODE_SHIFT) & 7;

	*address = MSI_ADDR_BASE_LO | dest << MSI_ADDR_DEST_SHIFT |
		   (entry & IOAPIC_LVT_DEST_MODE ? 1u << 2 : 0);
	*data = (uint32_t)(entry & IOAPIC_VECTOR_MASK) | trig << 15 | mode << 8;
}

static bool rte_level(uint64_t entry)
{
	return entry & IOAPIC_LVT_TRIGGER_MODE;
}

/*
 * ioapic_service(): every asserted, unmasked pin. Edge: the pin's request
 * is consumed. Level: Remote IRR is set (its tracepoint fires even when it
 * was already set); if it was already set the guest is still servicing
 * the last one and nothing is sent (coalesced). Split irqchip: delivery
 * is kvm_set_irq(gsi = pin), through the KVM route of the pin.
 * Return: whether anything was delivered.
 */
bool ioapic_service(struct irqsim_ctx *ctx)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_ioapic *s = &w->ioapic;
	bool sent = false;

	for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		uint64_t entry = s->ioredtbl[pin];
		bool coalesce = false;

		if (!(s->irr & (1u << pin)) || (entry & IOAPIC_LVT_MASKED))
			continue;
		if (!rte_level(entry)) {
			s->irr &= ~(1u << pin);
		} else {
			coalesce = entry & IOAPIC_LVT_REMOTE_IRR;
			s->ioredtbl[pin] |= IOAPIC_LVT_REMOTE_IRR;
			trace_ioapic_set_remote_irr(ctx, pin, coalesce);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_RTE, pin, 0),
				      IRQSIM_ACC_RMW);
		}
		if (coalesce)
			continue;
		trace_ioapic_service(ctx, pin);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_IRR, pin, 0),
			      rte_level(entry) ? IRQSIM_ACC_READ :
						 IRQSIM_ACC_RMW);
		kvm_set_irq(ctx, pin, 1);
		if (!rte_level(entry))
			kvm_set_irq(ctx, pin, 0);
		sent = true;
	}
	return sent;
}

/*
 * ioapic_set_irq(): a device drives pin @pin. Level: asserted -> irr bit,
 * and ioapic_service() unless Remote IRR is set; deasserted -> irr bit
 * cleared. Edge: only an assertion on an unmasked pin counts (82093AA).
 */
void ioapic_set_irq(struct irqsim_ctx *ctx, int pin, int level)
{
	struct qemu_ioapic *s = &vmm_w(ctx)->ioapic;
	uint64_t entry;

	if (pin == 0)
		pin = 2;
	if (pin < 0 || pin >= IOAPIC_NUM_PINS)
		return;
	entry = s->ioredtbl[pin];
	trace_ioapic_set_irq(ctx, pin, level, entry);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_IRR, pin, 0),
		      IRQSIM_ACC_WRITE);
	if (rte_level(entry)) {
		if (level) {
			s->irr |= 1u << pin;
			if (!(entry & IOAPIC_LVT_REMOTE_IRR))
				ioapic_service(ctx);
		} else {
			s->irr &= ~(1u << pin);
		}
	} else if (level && !(entry & IOAPIC_LVT_MASKED)) {
		s->irr |= 1u << pin;
		ioapic_service(ctx);
	}
}

/*
 * ioapic_eoi_broadcast(): a level EOI for @vector reached QEMU (the EOI
 * register, or KVM_EXIT_IOAPIC_EOI). Remote IRR of each level pin with
 * that vector is cleared; an unmasked pin still asserted is delivered
 * again, unless it was re-delivered SUCCESSIVE_IRQ_MAX_COUNT times in a
 * row: then delayed_ioapic_service_timer (10 ms) does it, "so a buggy
 * guest makes slow progress".
 */
void ioapic_eoi_broadcast(struct irqsim_ctx *ctx, int vector)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_ioapic *s = &w->ioapic;

	w->iostats.eoi_broadcasts++;
	trace_ioapic_eoi_broadcast(ctx, vector);
	for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		uint64_t entry = s->ioredtbl[pin];

		if ((int)(entry & IOAPIC_VECTOR_MASK) != vector ||
		    !rte_level(entry) || !(entry & IOAPIC_LVT_REMOTE_IRR))
			continue;
		s->ioredtbl[pin] = entry & ~IOAPIC_LVT_REMOTE_IRR;
		trace_ioapic_clear_remote_irr(ctx, pin, vector);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_RTE, pin, 0),
			      IRQSIM_ACC_RMW);
		if ((entry & IOAPIC_LVT_MASKED) || !(s->irr & (1u << pin))) {
			s->irq_eoi[pin] = 0;
			continue;
		}
		if (++s->irq_eoi[pin] >= SUCCESSIVE_IRQ_MAX_COUNT) {
			s->irq_eoi[pin] = 0;
			s->delayed = 1;
			w->iostats.storm_delays++;
			trace_ioapic_eoi_delayed_reassert(ctx, pin);
			IRQSIM_ACCESS(ctx,
				      IRQSIM_OBJ(VMM_OBJ_IOAPIC_IRR, pin, 0),
				      IRQSIM_ACC_READ);
		} else {
			ioapic_service(ctx);
		}
	}
}

/*
 * ioapic_update_kvm_routes(): for every unmasked pin, the route gets the
 * message of its RTE (kvm_irqchip_update_msi_route); masked pins keep
 * their stale route. The commit (KVM_SET_GSI_ROUTING) always happens.
 */
void ioapic_update_kvm_routes(struct irqsim_ctx *ctx)
{
	struct vmm_world *w = vmm_w(ctx);

	for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		uint64_t entry = w->ioapic.ioredtbl[pin];
		uint32_t address, data;

		if (entry & IOAPIC_LVT_MASKED)
			continue;
		ioapic_entry_msg(entry, &address, &data);
		trace_ioapic_update_kvm_routes(ctx, pin, address, data);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_RTE, pin, 0),
			      IRQSIM_ACC_READ);
		kvm_irqchip_update_msi_route(ctx, pin, address, data);
	}
	kvm_irqchip_commit_routes(ctx);
}

/* ioapic_fix_edge_remote_irr(): an edge entry never has Remote IRR. */
static uint64_t ioapic_fix_edge_remote_irr(uint64_t entry)
{
	return rte_level(entry) ? entry : entry & ~IOAPIC_LVT_REMOTE_IRR;
}

/* The RTE write branch of ioapic_mem_write(); returns false otherwise. */
static bool ioapic_write_rte(struct irqsim_ctx *ctx, uint32_t val)
{
	struct qemu_ioapic *s = &vmm_w(ctx)->ioapic;
	int sel = s->ioregsel, index;
	uint64_t ro_bits, entry;

	if (sel < IOAPIC_REG_REDTBL_BASE ||
	    sel >= IOAPIC_REG_REDTBL_BASE + IOAPIC_NUM_PINS * 2)
		return false;
	index = (sel - IOAPIC_REG_REDTBL_BASE) >> 1;
	entry = s->ioredtbl[index];
	ro_bits = entry & IOAPIC_RO_BITS;
	if (sel & 1)
		entry = (entry & 0xffffffffull) | (uint64_t)val << 32;
	else
		entry = (entry & ~0xffffffffull) | val;
	entry = (entry & ~IOAPIC_RO_BITS) | ro_bits;
	s->ioredtbl[index] = ioapic_fix_edge_remote_irr(entry);
	s->irq_eoi[index] = 0;
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_RTE, index, 0),
		      IRQSIM_ACC_RMW);
	return true;
}

struct ioapic_mem_write_frame {
	int offset;
	int value;
	int unused2;
	int unused3;
	int rte;		/* an RTE was written: ioapic_service() */
};

/**
 * ioapic_mem_write - a guest MMIO write to the IOAPIC (a vmexit handled by
 * the vCPU thread in QEMU, under the BQL)
 * @offset: IOAPIC_IOREGSEL, IOAPIC_IOWIN, IOAPIC_EOI
 * @value:  the value written
 *
 * Steps: the register access (with 54ad31fb0a0a the route update of an
 * RTE write); ioapic_service() after an RTE write; before 8.0 the route
 * update at the end of every write. The guest vCPUs keep running between
 * them (KVM needs no BQL), which is the window of seeds/003.
 */
static enum irqsim_step ioapic_mem_write(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct ioapic_mem_write_frame *v =
		IRQSIM_FRAME_VARS(f, struct ioapic_mem_write_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_ioapic *s = &w->ioapic;
	bool routes_first = irqsim_knob(ctx, vmm_knob_ioapic_routes_first);
	uint32_t addr = (uint32_t)v->offset & 0xff, val = (uint32_t)v->value;

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	trace_ioapic_mem_write(ctx, addr, s->ioregsel, val);
	v->rte = 0;
	if (addr == IOAPIC_IOREGSEL) {
		s->ioregsel = (uint8_t)val;
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_REGSEL, 0, 0),
			      IRQSIM_ACC_WRITE);
	} else if (addr == IOAPIC_IOWIN) {
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_REGSEL, 0, 0),
			      IRQSIM_ACC_READ);
		v->rte = ioapic_write_rte(ctx, val);
		if (v->rte && routes_first)
			ioapic_update_kvm_routes(ctx);
	} else if (addr == IOAPIC_EOI) {
		/* the EOI register of version 0x20 */
		ioapic_eoi_broadcast(ctx, (int)(val & 0xff));
	}
	IRQSIM_YIELD_POINT();
	if (v->rte && ioapic_service(ctx))
		IRQSIM_YIELD_POINT();
	if (!routes_first) {
		ioapic_update_kvm_routes(ctx);
		irqsim_unlock(ctx, VMM_LOCK_BQL);
		IRQSIM_RETURN_YIELD(ctx, 0);
	}
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(ioapic_mem_write);

enum irqsim_step call_ioapic_mem_write(struct irqsim_ctx *ctx, int offset,
				       int value)
{
	return irqsim_call(ctx, fn_ioapic_mem_write, offset, value, 0, 0);
}

struct ioapic_mem_read_frame {
	int offset;
};

/*
 * ioapic_mem_read: a guest MMIO read; returns the value. IOWIN of an RTE
 * gives its low or high dword, Remote IRR included.
 * @offset: IOAPIC_IOREGSEL or IOAPIC_IOWIN
 */
static enum irqsim_step ioapic_mem_read(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	struct ioapic_mem_read_frame *v =
		IRQSIM_FRAME_VARS(f, struct ioapic_mem_read_frame);
	struct qemu_ioapic *s = &vmm_w(ctx)->ioapic;
	uint32_t addr = (uint32_t)v->offset & 0xff, val = 0;
	int sel = s->ioregsel;

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	if (addr == IOAPIC_IOREGSEL) {
		val = s->ioregsel;
	} else if (addr == IOAPIC_IOWIN && sel >= IOAPIC_REG_REDTBL_BASE &&
		   sel < IOAPIC_REG_REDTBL_BASE + IOAPIC_NUM_PINS * 2) {
		uint64_t entry = s->ioredtbl[(sel - IOAPIC_REG_REDTBL_BASE) >> 1];

		val = (uint32_t)(sel & 1 ? entry >> 32 : entry);
	}
	trace_ioapic_mem_read(ctx, addr, sel, val);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_IOAPIC_REGSEL, 0, 0),
		      IRQSIM_ACC_READ);
	if (addr == IOAPIC_IOWIN && sel >= IOAPIC_REG_REDTBL_BASE &&
	    sel < IOAPIC_REG_REDTBL_BASE + IOAPIC_NUM_PINS * 2)
		IRQSIM_ACCESS(ctx,
			      IRQSIM_OBJ(VMM_OBJ_IOAPIC_RTE,
					 (sel - IOAPIC_REG_REDTBL_BASE) >> 1, 0),
			      IRQSIM_ACC_READ);
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	IRQSIM_RETURN_YIELD(ctx, (int32_t)val);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(ioapic_mem_read);

enum irqsim_step call_ioapic_mem_read(struct irqsim_ctx *ctx, int offset)
{
	return irqsim_call(ctx, fn_ioapic_mem_read, offset, 0, 0, 0);
}

/* delayed_ioapic_service_cb(): the main loop's 10 ms timer fired. */
static enum irqsim_step delayed_ioapic_service_cb(struct irqsim_ctx *ctx,
						  struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	w->ioapic.delayed = 0;
	trace_delayed_ioapic_service_cb(ctx, w->ioapic.irr);
	ioapic_service(ctx);
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(delayed_ioapic_service_cb);

struct kvm_ioapic_eoi_exit_frame {
	int vector;
};

/*
 * kvm_arch_handle_exit(KVM_EXIT_IOAPIC_EOI): KVM intercepted the guest's
 * EOI of a level vector and QEMU broadcasts it to its IOAPIC.
 * @vector: the guest vector
 */
static enum irqsim_step kvm_ioapic_eoi_exit(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct kvm_ioapic_eoi_exit_frame *v =
		IRQSIM_FRAME_VARS(f, struct kvm_ioapic_eoi_exit_frame);

	IRQSIM_BEGIN(f);
	/*
	 * The BQL, with the start as its resume point (no IRQSIM_LOCK): the
	 * caller pushes this frame and ends its step, so the frame waits at
	 * its start; woken from the lock it must be that same state again.
	 */
	IRQSIM_LOCK_RETRY(ctx, VMM_LOCK_BQL);
	ioapic_eoi_broadcast(ctx, v->vector);
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(kvm_ioapic_eoi_exit);

enum irqsim_step call_kvm_ioapic_eoi_exit(struct irqsim_ctx *ctx, int vector)
{
	return irqsim_call(ctx, fn_kvm_ioapic_eoi_exit, vector, 0, 0, 0);
}

struct qemu_level_dev_set_frame {
	int ldev;
	int level;
};

/*
 * qemu_level_dev_set: the device model has an event (@level = 1: asserts
 * its line, again if it is still asserted, as the Xen platform device
 * does on every xenstore event in seeds/003) or none left (@level = 0).
 * @ldev:  the device (level device slot)
 * @level: 1: an event, 0: none left
 */
static enum irqsim_step qemu_level_dev_set(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct qemu_level_dev_set_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_level_dev_set_frame);
	struct qemu_level_dev *d = &vmm_w(ctx)->ldev[v->ldev];

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	d->pending = (uint8_t)!!v->level;
	d->events += d->pending;
	trace_qemu_set_irq(ctx, d);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_LEVEL_DEV, v->ldev, 0),
		      IRQSIM_ACC_WRITE);
	ioapic_set_irq(ctx, d->pin, d->pending);
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_level_dev_set);

struct qemu_level_dev_read_frame {
	int ldev;
};

/*
 * qemu_level_dev_read: the guest driver reads the device's status (a
 * trapped access); the device hands over its event and lowers its line.
 * @ldev: the device (level device slot)
 *
 * Return: 1 if an event was pending.
 */
static enum irqsim_step qemu_level_dev_read(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct qemu_level_dev_read_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_level_dev_read_frame);
	struct qemu_level_dev *d = &vmm_w(ctx)->ldev[v->ldev];
	int pending = d->pending;

	IRQSIM_BEGIN(f);
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	trace_qemu_level_dev_read(ctx, d->pin, pending);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_LEVEL_DEV, v->ldev, 0),
		      pending ? IRQSIM_ACC_RMW : IRQSIM_ACC_READ);
	if (pending) {
		d->pending = 0;
		d->serviced++;
		ioapic_set_irq(ctx, d->pin, 0);
	}
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	IRQSIM_RETURN_YIELD(ctx, pending);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_level_dev_read);

enum irqsim_step call_qemu_level_dev_read(struct irqsim_ctx *ctx, int ldev)
{
	return irqsim_call(ctx, fn_qemu_level_dev_read, ldev, 0, 0, 0);
}

void vmm_register_ioapic(void)
{
	vmm_knob_ioapic_routes_first = irqsim_knob_register(&knob_routes_first);
}
