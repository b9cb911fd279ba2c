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

/* @arg0 dev, @arg1 vector, @arg2 dword, @arg3 value: a trapped write. */
static enum irqsim_step guest_msix_write(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_machine(ctx)->actor[ctx->actor].vcpu;

	if (f->pc == 0) {
		w->vcpu[vcpu].in_host = 1;
		f->pc = 1;
		return irqsim_call(ctx, fn_msix_table_mmio_write, f->arg[0],
				   f->arg[1], f->arg[2], f->arg[3]);
	}
	w->vcpu[vcpu].in_host = 0;
	return irqsim_return(ctx, 0);
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
 * vCPU. Guest irqbalance writes smp_affinity; the guest kernel rewrites
 * the entry masked.
 */
static enum irqsim_step guest_set_affinity(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct vmm_world *w = vmm_w(ctx);
	const struct qemu_msix_vector *qv = &w->qdev[f->arg[0]].v[f->arg[1]];
	int step = f->pc++;
	int dword, value;

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
		return irqsim_return(ctx, 0);
	}
	return irqsim_call(ctx, fn_guest_msix_write, f->arg[0], f->arg[1],
			   dword, value);
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

void vmm_register_guest(void)
{
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
}
