// SPDX-License-Identifier: MIT
/*
 * The guest: a Linux driver of a passed-through MSI-X device. Its MMIO
 * writes to the MSI-X table trap into QEMU (a vmexit on the vCPU thread);
 * its interrupt handler reads the device status directly (BAR mapped),
 * which acknowledges the event.
 *
 * An affinity change of an MSI-X interrupt without interrupt remapping
 * (x86 msi_set_affinity, deferred to interrupt context by
 * IRQCHIP_MOVE_DEFERRED; __irq_move_irq masks around it) reaches the
 * device as: mask, address_lo, address_hi, data, unmask.
 */
#include "vmm/internal.h"

int fn_guest_msix_write;
int fn_guest_msix_mask;
int fn_guest_msix_unmask;
int fn_guest_set_affinity;
int fn_guest_irq_handler;
int fn_guest_intx_handler;
int fn_guest_msix_enable;
int fn_guest_request_irq;
int fn_guest_msix_function_mask;

/*
 * A guest access that traps: the vCPU is in the host (QEMU's handler
 * @fn runs on its thread) until the handler returns. Then KVM enters the
 * guest again (vcpu_enter_guest()), and the entry is where pending
 * interrupts are injected: a boundary at which the guest can take one
 * before its next instruction, unless it runs with interrupts off (a
 * desc->lock irqsave section: vcpu.atomic). The next access, even one
 * the same operation makes, is a transition of its own.
 *
 * QEMU's handler runs under the BQL (VMM_LOCK_BQL). kvm_cpu_exec()
 * (accel/kvm/kvm-all.c) dispatches KVM_EXIT_MMIO with address_space_rw()
 * and KVM_EXIT_IO (config space through 0xcf8/0xcfc) with
 * kvm_handle_io(), both "outside BQL"; flatview_write_continue_step()
 * (system/physmem.c) calls prepare_mmio_access(), which takes the BQL
 * unless the MemoryRegion opted out (mr->lockless_io, set only by
 * memory_region_enable_lockless_io(), QEMU 10.2; global_locking before
 * 5.2), and drops it as soon as memory_region_dispatch_write() returns.
 * msix_init() (hw/pci/msix.c) creates the "msix-table" region with
 * memory_region_init_io() and no opt-out, and the config space regions
 * under vfio_pci_write_config() -> msix_write_config() have none either.
 * So a second vCPU's trap waits for the first one's handler, which holds
 * the BQL across its VFIO_DEVICE_SET_IRQS ioctls; KVM's own paths
 * (irqfd injection, the guest's entry) take no BQL. A vCPU waiting for
 * the BQL has exited: it is in the host, and takes no interrupt.
 */
enum { GT_EXIT, GT_BQL, GT_ENTRY };

static enum irqsim_step guest_trap(struct irqsim_ctx *ctx,
				   struct irqsim_frame *f, int fn, int a0,
				   int a1, int a2, int a3)
{
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_machine(ctx)->actor[ctx->actor].vcpu;

	switch (f->pc) {
	case GT_EXIT:
		w->vcpu[vcpu].in_host = 1;
		f->pc = GT_BQL;
		/* fall through */
	case GT_BQL:
		if (!irqsim_trylock(ctx, VMM_LOCK_BQL))
			return IRQSIM_BLOCKED;
		f->pc = GT_ENTRY;
		return irqsim_call(ctx, fn, a0, a1, a2, a3);
	case GT_ENTRY:
	default:
		irqsim_unlock(ctx, VMM_LOCK_BQL);
		w->vcpu[vcpu].in_host = 0;
		return irqsim_return_yield(ctx, 0);
	}
}

/* @arg0 dev, @arg1 vector, @arg2 dword, @arg3 value: a trapped write. */
static enum irqsim_step guest_msix_write(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	return guest_trap(ctx, f, fn_msix_table_mmio_write, f->arg[0],
			  f->arg[1], f->arg[2], f->arg[3]);
}

static enum irqsim_step guest_msix_mask(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, fn_guest_msix_write, f->arg[0],
				   f->arg[1], PCI_MSIX_ENTRY_VECTOR_CTRL,
				   PCI_MSIX_ENTRY_CTRL_MASKBIT);
	}
	return irqsim_return(ctx, 0);
}

static enum irqsim_step guest_msix_unmask(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, fn_guest_msix_write, f->arg[0],
				   f->arg[1], PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
	}
	return irqsim_return(ctx, 0);
}

/*
 * guest_set_affinity: @arg0 dev, @arg1 vector, @arg2 new destination
 * vCPU, @arg3 1: the entry is already masked (IRQD_IRQ_MASKED: the
 * guest's CPU unplug, migrate_one_irq(), masks only an unmasked irq and
 * leaves the mask bit alone otherwise). Guest irqbalance writes
 * smp_affinity; the guest kernel rewrites the entry masked.
 */
static enum irqsim_step guest_set_affinity(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct qemu_msix_vector *qv = &w->qdev[f->arg[0]].v[f->arg[1]];
	int step = f->pc++;
	int dword, value;

	/* desc->lock held, interrupts off: no guest stop_machine() here */
	if (step == 0)
		w->vcpu[vmm_ctx_vcpu(ctx)].atomic++;
	/* already masked: the message only, no mask and unmask */
	if (f->arg[3] && step == 0)
		step = f->pc++;
	if (f->arg[3] && step == 4)
		step = f->pc++;
	switch (step) {
	case 0:
		dword = PCI_MSIX_ENTRY_VECTOR_CTRL;
		value = PCI_MSIX_ENTRY_CTRL_MASKBIT;
		break;
	case 1:
		dword = PCI_MSIX_ENTRY_LOWER_ADDR;
		value = (int)(MSI_ADDR_BASE_LO |
			      (uint32_t)f->arg[2] << MSI_ADDR_DEST_SHIFT);
		break;
	case 2:
		dword = PCI_MSIX_ENTRY_UPPER_ADDR;
		value = 0;
		break;
	case 3:
		dword = PCI_MSIX_ENTRY_DATA;
		value = (int)qv->dw[PCI_MSIX_ENTRY_DATA];
		break;
	case 4:
		dword = PCI_MSIX_ENTRY_VECTOR_CTRL;
		value = 0;
		break;
	default:
		w->vcpu[vmm_ctx_vcpu(ctx)].atomic--;
		return irqsim_return(ctx, 0);
	}
	return irqsim_call(ctx, fn_guest_msix_write, f->arg[0], f->arg[1],
			   dword, value);
}

/*
 * guest_msix_enable: the guest driver's pci_alloc_irq_vectors(PCI_IRQ_MSIX)
 * sets the MSI-X enable bit in config space; the write traps and QEMU's
 * vfio_pci_write_config() runs vfio_msix_enable(). A Linux guest leaves
 * every entry masked until request_irq(). @arg0 dev.
 */
static enum irqsim_step guest_msix_enable(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	if (f->pc == GT_EXIT) {
		IRQSIM_EVENT(ctx, true, "pci_alloc_irq_vectors",
			     "guest: dev%d MSI-X enable (config write traps)",
			     f->arg[0]);
		IRQSIM_TRACE(ctx, "guest_msix_enable", "dev=%d", f->arg[0]);
	}
	/* vfio_pci_write_config(): a trap like any other, BQL and entry */
	return guest_trap(ctx, f, fn_vfio_msix_enable, f->arg[0], 0, 0, 0);
}

/*
 * guest_msix_function_mask: the guest sets (@arg1 1) or clears (0)
 * PCI_MSIX_FLAGS_MASKALL in the MSI-X Message Control register of @arg0,
 * the enable bit unchanged. Linux sets it with the enable bit and clears
 * it (pci_msix_clear_and_set_ctrl()) at the end of msix_capability_init()
 * (every entry masked) and of __pci_restore_msix_state() (the restored
 * entries may be unmasked); a guest may also mask the function while its
 * vectors are live. The config write traps: QEMU's
 * vfio_pci_write_config() -> pci_default_write_config() ->
 * msix_write_config().
 */
static enum irqsim_step guest_msix_function_mask(struct irqsim_ctx *ctx,
						 struct irqsim_frame *f)
{
	return guest_trap(ctx, f, fn_msix_write_config, f->arg[0], f->arg[1],
			  0, 0);
}

/*
 * guest_request_irq: the guest driver's request_irq() on MSI-X vector
 * @arg1 of @arg0, destination vCPU @arg2: __setup_irq() -> irq_activate()
 * -> msi_domain_activate() writes the message while the entry is masked
 * (address, upper address, data), then irq_startup() unmasks it. Each
 * write traps to QEMU; the unmask is the vector_use that may grow the
 * host's MSI-X. The guest has passed all its failure points by then:
 * request_irq() returns 0 whatever the host does. Before guest_msix_enable
 * it is a guest that programs its table first (the QEMU scan finds it).
 */
static enum irqsim_step guest_request_irq(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];
	int step = f->pc++;
	int dword, value;

	/* __setup_irq(): desc->lock held, interrupts off */
	if (step == 0)
		w->vcpu[vmm_ctx_vcpu(ctx)].atomic++;
	switch (step) {
	case 0:
		dword = PCI_MSIX_ENTRY_LOWER_ADDR;
		value = (int)(MSI_ADDR_BASE_LO |
			      (uint32_t)f->arg[2] << MSI_ADDR_DEST_SHIFT);
		break;
	case 1:
		dword = PCI_MSIX_ENTRY_UPPER_ADDR;
		value = 0;
		break;
	case 2:
		dword = PCI_MSIX_ENTRY_DATA;
		value = GUEST_VECTOR_BASE + dev * IRQSIM_MAX_VECS + vec;
		break;
	case 3:
		dword = PCI_MSIX_ENTRY_VECTOR_CTRL;
		value = 0;
		break;
	default:
		w->vcpu[vmm_ctx_vcpu(ctx)].atomic--;
		return irqsim_return(ctx, 0);
	}
	return irqsim_call(ctx, fn_guest_msix_write, dev, vec, dword, value);
}

/*
 * The guest driver's interrupt handler for device vector @arg1 of @arg0:
 * read the device status (acknowledges the event). Nothing pending is a
 * spurious interrupt: benign when QEMU re-injected one.
 */
static enum irqsim_step guest_irq_handler(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];
	struct qemu_msix_vector *qv = &w->qdev[dev].v[vec];
	bool pending = pci_dev_read_status(ctx, dev, vec);
	const char *what;

	if (pending) {
		w->guest.handled++;
		what = "event handled (device acked)";
	} else if (qv->reinjected) {
		qv->reinjected--;
		w->guest.spurious_benign++;
		what = "nothing pending (benign: re-injected by the VMM)";
	} else {
		w->guest.spurious++;
		what = "nothing pending (spurious)";
	}
	IRQSIM_EVENT(ctx, true, "guest_irq_handler",
		     "dev%d vector %d status read: %s", dev, vec, what);
	IRQSIM_TRACE(ctx, "guest_irq_handler", "dev=%d vector=%d pending=%d",
		     dev, vec, pending);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
		      IRQSIM_ACC_RMW);
	return irqsim_return_yield(ctx, pending);
}

enum { GI_READ, GI_EOI, GI_DONE };

/**
 * guest_intx_handler - the guest driver's handler of a level INTx
 * @arg0: dev
 *
 * It services the device (reads and clears its status, which deasserts
 * the device's line), then EOIs. With KVM the BAR is mapped and the read
 * goes to the device directly; the EOI exits to KVM, whose resampler
 * deasserts the guest's GSI and signals the resamplefd: VFIO's unmask
 * virqfd runs there. Through QEMU the BAR access traps (mmaps are off
 * while INTx is pending): QEMU reads the device, then vfio_intx_eoi()
 * deasserts the guest's pin and issues the unmask ioctl.
 * Between the read and the unmask the device may assert again.
 */
static enum irqsim_step guest_intx_handler(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int dev = f->arg[0];
	struct qemu_intx *q = &w->qdev[dev].intx;
	int unmask = qemu_intx_unmask_efd(dev);
	bool pending;

	switch (f->pc) {
	case GI_READ:
		w->vcpu[0].in_host = !q->kvm_accel;
		pending = pci_intx_read_status(ctx, dev);
		if (pending)
			w->guest.handled++;
		else
			w->guest.spurious++;
		IRQSIM_EVENT(ctx, true, "guest_intx_handler",
			     "dev%d status read%s: %s", dev,
			     q->kvm_accel ? "" : " (BAR access traps to QEMU)",
			     pending ? "event handled, line deasserted" :
				       "nothing pending (spurious)");
		f->pc = GI_EOI;
		return IRQSIM_YIELD;
	case GI_EOI:
		f->pc = GI_DONE;
		if (q->kvm_accel) {
			/* guest EOI -> KVM: irqfd_resampler_ack() */
			w->vcpu[0].in_host = 1;
			guest_intx_deassert(ctx, dev, "irqfd_resampler_ack");
			IRQSIM_EVENT(ctx, true, "irqfd_resampler_ack",
				     "dev%d guest EOI: eventfd_signal(efd%d)",
				     dev, unmask);
			eventfd_signal(ctx, unmask);
			if (eventfd_has_virqfd(&w->vfio, unmask))
				return irqsim_call(ctx, fn_vfio_virqfd_wakeup,
						   unmask, 0, 0, 0);
			return IRQSIM_YIELD;
		}
		/* vfio_eoi() -> vfio_intx_eoi() */
		if (!q->pending)
			return IRQSIM_CONTINUE;
		q->pending = 0;
		guest_intx_deassert(ctx, dev, "vfio_intx_eoi");
		IRQSIM_EVENT(ctx, true, "vfio_intx_eoi",
			     "dev%d: unmask ioctl", dev);
		return irqsim_call(ctx, fn_qemu_vfio_set_irqs_intx, dev,
				   QEMU_INTX_UNMASK, 0, 0);
	case GI_DONE:
	default:
		w->vcpu[0].in_host = 0;
		guest_intx_eoi(ctx, dev);
		return irqsim_return_yield(ctx, 0);
	}
}

void vmm_register_guest(void)
{
	fn_guest_intx_handler =
		irqsim_fn_register("guest_intx_handler", guest_intx_handler);
	fn_guest_msix_write =
		irqsim_fn_register("guest_msix_write", guest_msix_write);
	fn_guest_msix_mask =
		irqsim_fn_register("guest_msix_mask", guest_msix_mask);
	fn_guest_msix_unmask =
		irqsim_fn_register("guest_msix_unmask", guest_msix_unmask);
	fn_guest_set_affinity =
		irqsim_fn_register("guest_set_affinity", guest_set_affinity);
	fn_guest_irq_handler =
		irqsim_fn_register("guest_irq_handler", guest_irq_handler);
	fn_guest_msix_enable =
		irqsim_fn_register("guest_msix_enable", guest_msix_enable);
	fn_guest_request_irq =
		irqsim_fn_register("guest_request_irq", guest_request_irq);
	fn_guest_msix_function_mask = irqsim_fn_register(
		"guest_msix_function_mask", guest_msix_function_mask);
}
