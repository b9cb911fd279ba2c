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
#include "vmm/trace.h"

/*
 * A guest access that traps: the vCPU is in the host (QEMU's handler
 * runs on its thread) until the handler returns. Then KVM enters the
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
 *
 * Each trapped access below (guest_msix_write, guest_msix_enable,
 * guest_msix_function_mask) is: in_host set, the BQL taken, QEMU's
 * handler called, the BQL dropped, in_host cleared, end of transition.
 */
struct guest_msix_write_frame {
	int dev;
	int vector;
	int dword;
	int value;
};

/**
 * guest_msix_write - a trapped write to the MSI-X table (the trap above)
 * @dev:    the device
 * @vector: its MSI-X entry
 * @dword:  the dword of the entry (PCI_MSIX_ENTRY_*)
 * @value:  what the guest writes
 */
static enum irqsim_step guest_msix_write(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct guest_msix_write_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msix_write_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	IRQSIM_BEGIN(f);
	w->vcpu[vcpu].in_host = 1;
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	IRQSIM_CALL(call_msix_table_mmio_write(ctx, v->dev, v->vector, v->dword,
					       v->value));
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	w->vcpu[vcpu].in_host = 0;
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msix_write);

enum irqsim_step call_guest_msix_write(struct irqsim_ctx *ctx, int dev,
				       int vector, int dword, int value)
{
	return irqsim_call(ctx, fn_guest_msix_write, dev, vector, dword,
			   value);
}

struct guest_msix_mask_frame {
	int dev;
	int vector;
};

/**
 * guest_msix_mask - the guest sets the mask bit of an MSI-X entry
 * @dev:    the device
 * @vector: its MSI-X entry
 */
static enum irqsim_step guest_msix_mask(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	struct guest_msix_mask_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msix_mask_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_VECTOR_CTRL,
					  PCI_MSIX_ENTRY_CTRL_MASKBIT));
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msix_mask);

struct guest_msix_unmask_frame {
	int dev;
	int vector;
};

/**
 * guest_msix_unmask - the guest clears the mask bit of an MSI-X entry
 * @dev:    the device
 * @vector: its MSI-X entry
 */
static enum irqsim_step guest_msix_unmask(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct guest_msix_unmask_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msix_unmask_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_VECTOR_CTRL, 0));
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msix_unmask);

struct guest_set_affinity_frame {
	int dev;
	int vector;
	int dest;
	int masked;
};

/**
 * guest_set_affinity - guest irqbalance writes smp_affinity; the guest
 * kernel rewrites the entry masked
 * @dev:    the device
 * @vector: its MSI-X entry
 * @dest:   the new destination vCPU
 * @masked: 1: the entry is already masked (IRQD_IRQ_MASKED: the guest's
 *          CPU unplug, migrate_one_irq(), masks only an unmasked irq and
 *          leaves the mask bit alone otherwise)
 */
static enum irqsim_step guest_set_affinity(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct guest_set_affinity_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_set_affinity_frame);
	struct vmm_world *w = vmm_w(ctx);
	const struct qemu_msix_vector *qv = &w->qdev[v->dev].v[v->vector];

	IRQSIM_BEGIN(f);
	/* desc->lock held, interrupts off: no guest stop_machine() here */
	w->vcpu[vmm_ctx_vcpu(ctx)].atomic++;
	/* already masked: the message only, no mask and unmask */
	if (!v->masked)
		IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
						  PCI_MSIX_ENTRY_VECTOR_CTRL,
						  PCI_MSIX_ENTRY_CTRL_MASKBIT));
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_LOWER_ADDR,
					  (int)(MSI_ADDR_BASE_LO |
						(uint32_t)v->dest
							<< MSI_ADDR_DEST_SHIFT)));
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_UPPER_ADDR, 0));
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_DATA,
					  (int)qv->dw[PCI_MSIX_ENTRY_DATA]));
	if (!v->masked)
		IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
						  PCI_MSIX_ENTRY_VECTOR_CTRL,
						  0));
	w->vcpu[vmm_ctx_vcpu(ctx)].atomic--;
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_set_affinity);

enum irqsim_step call_guest_set_affinity(struct irqsim_ctx *ctx, int dev,
					 int vector, int dest, int masked)
{
	return irqsim_call(ctx, fn_guest_set_affinity, dev, vector, dest,
			   masked);
}

struct guest_msix_enable_frame {
	int dev;
};

/**
 * guest_msix_enable - the guest driver's
 * pci_alloc_irq_vectors(PCI_IRQ_MSIX) sets the MSI-X enable bit in config
 * space; the write traps and QEMU's vfio_pci_write_config() runs
 * vfio_msix_enable(). A Linux guest leaves every entry masked until
 * request_irq().
 * @dev: the device
 */
static enum irqsim_step guest_msix_enable(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct guest_msix_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msix_enable_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	IRQSIM_BEGIN(f);
	trace_guest_msix_enable(ctx, v->dev);
	/* vfio_pci_write_config(): a trap like any other, BQL and entry */
	w->vcpu[vcpu].in_host = 1;
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	IRQSIM_CALL(call_vfio_msix_enable(ctx, v->dev));
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	w->vcpu[vcpu].in_host = 0;
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msix_enable);

struct guest_msix_disable_frame {
	int dev;
};

/**
 * guest_msix_disable - the guest clears the MSI-X enable bit in the
 * Message Control register (pci_free_irq_vectors() -> pci_msix_shutdown(),
 * which masked every entry first); the config write traps and QEMU's
 * vfio_pci_write_config() -> vfio_msix_disable() runs under the BQL
 * @dev: the device
 *
 * msix_write_config() returns at once for a disabled MSI-X, so no vector
 * notifier runs from it; vfio_msix_disable() releases the vectors itself,
 * turns the host's MSI-X off and enables INTx (QEMU's order: MSI-X goes,
 * then INTx comes).
 */
static enum irqsim_step guest_msix_disable(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct guest_msix_disable_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msix_disable_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	IRQSIM_BEGIN(f);
	trace_guest_msix_disable(ctx, v->dev);
	w->vcpu[vcpu].in_host = 1;
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	/*
	 * pci_default_write_config() stores the bit first (every entry is
	 * masked from now on: msix_function_masked); was_enabled && !is
	 */
	if (qemu_interrupt_mode(w, v->dev) == QEMU_INT_MSIX) {
		w->qdev[v->dev].msix_enabled = 0;
		IRQSIM_CALL(call_vfio_msix_disable(ctx, v->dev));
	}
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	w->vcpu[vcpu].in_host = 0;
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msix_disable);

struct guest_msix_function_mask_frame {
	int dev;
	int maskall;
};

/**
 * guest_msix_function_mask - the guest sets or clears
 * PCI_MSIX_FLAGS_MASKALL in the MSI-X Message Control register, the
 * enable bit unchanged
 * @dev:     the device
 * @maskall: 1: set, 0: clear
 *
 * Linux sets it with the enable bit and clears it
 * (pci_msix_clear_and_set_ctrl()) at the end of msix_capability_init()
 * (every entry masked) and of __pci_restore_msix_state() (the restored
 * entries may be unmasked); a guest may also mask the function while its
 * vectors are live. The config write traps: QEMU's
 * vfio_pci_write_config() -> pci_default_write_config() ->
 * msix_write_config().
 */
static enum irqsim_step guest_msix_function_mask(struct irqsim_ctx *ctx,
						 struct irqsim_frame *f)
{
	struct guest_msix_function_mask_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msix_function_mask_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	IRQSIM_BEGIN(f);
	w->vcpu[vcpu].in_host = 1;
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	IRQSIM_CALL(call_msix_write_config(ctx, v->dev, v->maskall));
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	w->vcpu[vcpu].in_host = 0;
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msix_function_mask);

struct guest_request_irq_frame {
	int dev;
	int vector;
	int dest;
};

/**
 * guest_request_irq - the guest driver's request_irq() on an MSI-X vector
 * @dev:    the device
 * @vector: its MSI-X entry
 * @dest:   the destination vCPU
 *
 * __setup_irq() -> irq_activate() -> msi_domain_activate() writes the
 * message while the entry is masked (address, upper address, data), then
 * irq_startup() unmasks it. Each write traps to QEMU; the unmask is the
 * vector_use that may grow the host's MSI-X. The guest has passed all its
 * failure points by then: request_irq() returns 0 whatever the host does.
 * Before guest_msix_enable it is a guest that programs its table first
 * (the QEMU scan finds it).
 */
static enum irqsim_step guest_request_irq(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct guest_request_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_request_irq_frame);
	struct vmm_world *w = vmm_w(ctx);

	IRQSIM_BEGIN(f);
	/* __setup_irq(): desc->lock held, interrupts off */
	w->vcpu[vmm_ctx_vcpu(ctx)].atomic++;
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_LOWER_ADDR,
					  (int)(MSI_ADDR_BASE_LO |
						(uint32_t)v->dest
							<< MSI_ADDR_DEST_SHIFT)));
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_UPPER_ADDR, 0));
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_DATA,
					  GUEST_VECTOR_BASE +
						  v->dev * IRQSIM_MAX_VECS +
						  v->vector));
	IRQSIM_CALL(call_guest_msix_write(ctx, v->dev, v->vector,
					  PCI_MSIX_ENTRY_VECTOR_CTRL, 0));
	w->vcpu[vmm_ctx_vcpu(ctx)].atomic--;
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_request_irq);

struct guest_irq_handler_frame {
	int dev;
	int vector;
};

/**
 * guest_irq_handler - the guest driver's interrupt handler for an MSI-X
 * vector: read the device status (acknowledges the event). Nothing
 * pending is a spurious interrupt: benign when QEMU re-injected one.
 * @dev:    the device
 * @vector: its MSI-X vector
 *
 * Return: whether an event was pending.
 */
static enum irqsim_step guest_irq_handler(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct guest_irq_handler_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_irq_handler_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_msix_vector *qv = &w->qdev[v->dev].v[v->vector];
	const char *what;
	bool pending;

	IRQSIM_BEGIN(f);
	pending = pci_dev_read_status(ctx, v->dev, v->vector);
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
	trace_guest_irq_handler(ctx, v->dev, v->vector, what, pending);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, v->dev, v->vector),
		      IRQSIM_ACC_RMW);
	IRQSIM_RETURN_YIELD(ctx, pending);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_irq_handler);

struct guest_intx_handler_frame {
	int dev;
	int unused1, unused2, unused3;	/* argument slots it does not take */
	int trapped;		/* the status read trapped to QEMU */
};

/**
 * guest_intx_handler - the guest driver's handler of a level INTx
 * @dev: the device
 *
 * It services the device (reads and clears its status, which deasserts
 * the device's line), then EOIs. With KVM the BAR is mapped and the read
 * goes to the device directly; the EOI exits to KVM, whose resampler
 * deasserts the guest's GSI and signals the resamplefd: VFIO's unmask
 * virqfd runs there. Through QEMU the BAR access traps (mmaps are off
 * while INTx is pending): QEMU's region handler reads the device, then
 * vfio_eoi() -> vfio_intx_eoi() deasserts the guest's pin and issues the
 * unmask ioctl, all under the BQL (the BAR's MemoryRegion has no
 * lockless_io: prepare_mmio_access() takes it). Between the read and the
 * unmask the device may assert again.
 */
static enum irqsim_step guest_intx_handler(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct guest_intx_handler_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_intx_handler_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_intx *q = &w->qdev[v->dev].intx;
	int unmask = qemu_intx_unmask_efd(v->dev);
	bool pending;

	IRQSIM_BEGIN(f);
	v->trapped = !q->kvm_accel;
	w->vcpu[0].in_host = (uint8_t)v->trapped;
	if (v->trapped)
		IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	pending = pci_intx_read_status(ctx, v->dev);
	if (pending)
		w->guest.handled++;
	else
		w->guest.spurious++;
	IRQSIM_EVENT(ctx, true, "guest_intx_handler",
		     "dev%d status read%s: %s", v->dev,
		     v->trapped ? " (BAR access traps to QEMU)" : "",
		     pending ? "event handled, line deasserted" :
			       "nothing pending (spurious)");
	IRQSIM_YIELD_POINT();
	if (!v->trapped) {
		/*
		 * guest EOI -> KVM: irqfd_resampler_ack(), if KVM still has
		 * the resampler (QEMU's vfio_intx_disable_kvm() may have
		 * removed it since the read)
		 */
		w->vcpu[0].in_host = 1;
		if (q->kvm_accel) {
			guest_intx_deassert(ctx, v->dev, "irqfd_resampler_ack");
			IRQSIM_EVENT(ctx, true, "irqfd_resampler_ack",
				     "dev%d guest EOI: eventfd_signal(efd%d)",
				     v->dev, unmask);
			eventfd_signal(ctx, unmask);
		}
		if (q->kvm_accel && eventfd_has_virqfd(&w->vfio, unmask))
			IRQSIM_CALL(call_vfio_virqfd_wakeup(ctx, unmask));
		else
			IRQSIM_YIELD_POINT();
	} else if (q->pending) {
		/* vfio_eoi() -> vfio_intx_eoi() */
		q->pending = 0;
		guest_intx_deassert(ctx, v->dev, "vfio_intx_eoi");
		IRQSIM_EVENT(ctx, true, "vfio_intx_eoi", "dev%d: unmask ioctl",
			     v->dev);
		IRQSIM_CALL(call_qemu_vfio_set_irqs_intx(ctx, v->dev,
							 QEMU_INTX_UNMASK));
	}
	if (v->trapped)
		irqsim_unlock(ctx, VMM_LOCK_BQL);
	w->vcpu[0].in_host = 0;
	guest_intx_eoi(ctx, v->dev);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_intx_handler);
