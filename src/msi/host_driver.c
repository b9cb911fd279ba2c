// SPDX-License-Identifier: MIT
/*
 * A host driver of a PCI device, as tglx's second timeline in seeds/000
 * has it: it quiesces the device (disable_irq_in_device) before free_irq()
 * and re-enables it after request_irq(). Its handler reads the device
 * status, which acknowledges the event.
 */
#include "msi/internal.h"

#include <errno.h>

int fn_host_request_irq;
int fn_host_free_irq;
int fn_disable_irq_in_device;
int fn_enable_irq_in_device;
int fn_pci_msix_enable;
int fn_host_set_affinity;
int fn_pci_msi_enable;
static int fn_host_driver_isr;

/* dev_id of the host driver's action for (dev, vec). */
static int32_t host_dev_id(int dev, int vec)
{
	return 1000 + dev * IRQSIM_MAX_VECS + vec;
}

/* The driver's interrupt handler: read status (ack), IRQ_HANDLED if any. */
static enum irqsim_step host_driver_isr(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	int dev = f->arg[2] >> 8, vec = f->arg[2] & 0xff;
	bool pending = pci_dev_read_status(ctx, dev, vec);

	IRQSIM_EVENT(ctx, true, "host_driver_isr",
		     "dev%d vector %d status read: %s", dev, vec,
		     pending ? "event handled" : "nothing pending");
	IRQSIM_TRACE(ctx, "host_driver_isr", "dev=%d vector=%d pending=%d",
		     dev, vec, pending);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
		      IRQSIM_ACC_RMW);
	return irqsim_return_yield(ctx, pending ? IRQ_HANDLED : IRQ_NONE);
}

/* @arg0 dev, @arg1 vec: request_irq(pci_irq_vector(dev, vec), isr). */
static enum irqsim_step host_request_irq(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct pci_dev *pdev = &msi_w(ctx)->dev[f->arg[0]];

	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, fn_request_irq, pdev->irq[f->arg[1]],
				   fn_host_driver_isr,
				   host_dev_id(f->arg[0], f->arg[1]),
				   (f->arg[0] << 8) | f->arg[1]);
	}
	return irqsim_return(ctx, f->ret);
}

static enum irqsim_step host_free_irq(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct pci_dev *pdev = &msi_w(ctx)->dev[f->arg[0]];

	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, fn_free_irq, pdev->irq[f->arg[1]],
				   host_dev_id(f->arg[0], f->arg[1]), 0, 0);
	}
	return irqsim_return(ctx, f->ret);
}

/* The driver turns the device's interrupt for @arg1 off (a BAR write). */
static enum irqsim_step disable_irq_in_device(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct pci_dev *pdev = &msi_w(ctx)->dev[f->arg[0]];

	pdev->intr_enable &= ~(1u << f->arg[1]);
	IRQSIM_EVENT(ctx, true, "disable_irq_in_device", "dev%d vector %d",
		     f->arg[0], f->arg[1]);
	IRQSIM_TRACE(ctx, "disable_irq_in_device", "dev=%d vector=%d",
		     f->arg[0], f->arg[1]);
	return irqsim_return_yield(ctx, 0);
}

/*
 * The driver turns the device's interrupt back on. A device with an event
 * the driver has not read yet signals it again: enabling resets its
 * interrupt logic, wait_for_driver_ack included.
 */
static enum irqsim_step enable_irq_in_device(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct msi_world *mw = msi_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];
	struct pci_dev *pdev = &mw->dev[dev];
	uint8_t bit = 1u << vec;

	pdev->intr_enable |= bit;
	IRQSIM_EVENT(ctx, true, "enable_irq_in_device", "dev%d vector %d%s",
		     dev, vec,
		     pdev->status & bit ? ": event pending, device re-raises" :
					  "");
	IRQSIM_TRACE(ctx, "enable_irq_in_device", "dev=%d vector=%d pending=%d",
		     dev, vec, !!(pdev->status & bit));
	if (pdev->status & bit) {
		pdev->wait_ack |= bit;
		msi_device_send_pending(ctx, dev, vec);
	}
	return irqsim_return_yield(ctx, 0);
}

/*
 * pci_msix_enable: the host driver's pci_alloc_irq_vectors(PCI_IRQ_MSIX)
 * at probe. @arg0 dev, @arg1 nvec. Return: nvec or -errno.
 */
static enum irqsim_step pci_msix_enable(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	int ret = pci_alloc_irq_vectors(msi_w(ctx), f->arg[0], f->arg[1]);

	IRQSIM_EVENT(ctx, true, "pci_alloc_irq_vectors",
		     "dev%d MSI-X with %d vectors: %d", f->arg[0], f->arg[1],
		     ret);
	IRQSIM_TRACE(ctx, "pci_alloc_irq_vectors", "dev=%d nvec=%d ret=%d",
		     f->arg[0], f->arg[1], ret);
	return irqsim_return_yield(ctx, ret);
}

/*
 * host_set_affinity: irq_set_affinity(pci_irq_vector(dev, vec), cpumask_of
 * (cpu)), as a write to /proc/irq/N/smp_affinity or irqbalance does.
 * @arg0 dev, @arg1 vec, @arg2 cpu. Return: 0 or -errno.
 */
static enum irqsim_step host_set_affinity(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct pci_dev *pdev = &msi_w(ctx)->dev[f->arg[0]];

	if (f->pc == 0) {
		f->pc = 1;
		IRQSIM_EVENT(ctx, true, "host_set_affinity",
			     "dev%d vector %d (irq%d) -> cpu%d", f->arg[0],
			     f->arg[1], pdev->irq[f->arg[1]], f->arg[2]);
		if (pdev->irq[f->arg[1]] <= 0)
			return irqsim_return_yield(ctx, -EINVAL);
		return irqsim_call(ctx, fn_irq_set_affinity,
				   pdev->irq[f->arg[1]], 1 << f->arg[2], 0, 0);
	}
	return irqsim_return(ctx, f->ret);
}

/*
 * pci_msi_enable: pci_alloc_irq_vectors(PCI_IRQ_MSI) with one vector on a
 * device with an MSI capability. @arg0 dev. Return: 1 or -errno.
 */
static enum irqsim_step pci_msi_enable(struct irqsim_ctx *ctx,
				       struct irqsim_frame *f)
{
	int ret = pci_alloc_irq_vectors_msi(msi_w(ctx), f->arg[0]);

	IRQSIM_EVENT(ctx, true, "pci_alloc_irq_vectors",
		     "dev%d MSI with 1 vector: %d", f->arg[0], ret);
	IRQSIM_TRACE(ctx, "pci_alloc_irq_vectors", "dev=%d nvec=1 msi=1 ret=%d",
		     f->arg[0], ret);
	return irqsim_return_yield(ctx, ret);
}

void msi_register_host_driver(void)
{
	fn_pci_msi_enable = irqsim_fn_register("pci_msi_enable",
					       pci_msi_enable);
	fn_host_set_affinity =
		irqsim_fn_register("host_set_affinity", host_set_affinity);
	fn_pci_msix_enable = irqsim_fn_register("pci_msix_enable",
						pci_msix_enable);
	fn_host_driver_isr =
		irqsim_fn_register("host_driver_isr", host_driver_isr);
	fn_host_request_irq =
		irqsim_fn_register("host_request_irq", host_request_irq);
	fn_host_free_irq = irqsim_fn_register("host_free_irq", host_free_irq);
	fn_disable_irq_in_device = irqsim_fn_register("disable_irq_in_device",
						      disable_irq_in_device);
	fn_enable_irq_in_device = irqsim_fn_register("enable_irq_in_device",
						     enable_irq_in_device);
}
