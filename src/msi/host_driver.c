// SPDX-License-Identifier: MIT
/*
 * A host driver of a PCI device, as tglx's second timeline in seeds/000
 * has it: it quiesces the device (disable_irq_in_device) before free_irq()
 * and re-enables it after request_irq(). Its handler reads the device
 * status, which acknowledges the event.
 */
#include "msi/internal.h"
#include "msi/trace.h"

#include <errno.h>

/* dev_id of the host driver's action for (dev, vec). */
static int32_t host_dev_id(int dev, int vec)
{
	return 1000 + dev * IRQSIM_MAX_VECS + vec;
}

struct host_driver_isr_frame {
	int irq;
	int dev_id;
	int data;		/* dev << 8 | vec */
};

/*
 * The driver's interrupt handler: read status (ack), IRQ_HANDLED if any.
 * @irq:    Linux irq
 * @dev_id: the action's cookie
 * @data:   the device and vector it serves, dev << 8 | vec
 */
static enum irqsim_step host_driver_isr(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	struct host_driver_isr_frame *v =
		IRQSIM_FRAME_VARS(f, struct host_driver_isr_frame);
	int dev = v->data >> 8, vec = v->data & 0xff;
	bool pending;

	IRQSIM_BEGIN(f);
	pending = pci_dev_read_status(ctx, dev, vec);
	trace_host_driver_isr(ctx, dev, vec, pending);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
		      IRQSIM_ACC_RMW);
	IRQSIM_RETURN_YIELD(ctx, pending ? IRQ_HANDLED : IRQ_NONE);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(host_driver_isr);

struct host_request_irq_frame {
	int dev;
	int vec;
};

/*
 * host_request_irq: request_irq(pci_irq_vector(dev, vec), isr).
 * @dev: device
 * @vec: its vector (MSI-X table entry)
 */
static enum irqsim_step host_request_irq(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct host_request_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct host_request_irq_frame);
	struct pci_dev *pdev = &msi_w(ctx)->dev[v->dev];

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_request_irq(ctx, pdev->irq[v->vec], fn_host_driver_isr,
				     host_dev_id(v->dev, v->vec),
				     (v->dev << 8) | v->vec));
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(host_request_irq);

struct host_free_irq_frame {
	int dev;
	int vec;
};

/*
 * host_free_irq: free_irq(pci_irq_vector(dev, vec), dev_id).
 * @dev: device
 * @vec: its vector (MSI-X table entry)
 */
static enum irqsim_step host_free_irq(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct host_free_irq_frame *v =
		IRQSIM_FRAME_VARS(f, struct host_free_irq_frame);
	struct pci_dev *pdev = &msi_w(ctx)->dev[v->dev];

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_free_irq(ctx, pdev->irq[v->vec],
				  host_dev_id(v->dev, v->vec)));
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(host_free_irq);

struct disable_irq_in_device_frame {
	int dev;
	int vec;
};

/*
 * The driver turns the device's interrupt for @vec off (a BAR write).
 * @dev: device
 * @vec: its vector
 */
static enum irqsim_step disable_irq_in_device(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct disable_irq_in_device_frame *v =
		IRQSIM_FRAME_VARS(f, struct disable_irq_in_device_frame);
	struct pci_dev *pdev = &msi_w(ctx)->dev[v->dev];

	IRQSIM_BEGIN(f);
	pdev->intr_enable &= ~(1u << v->vec);
	trace_disable_irq_in_device(ctx, v->dev, v->vec);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(disable_irq_in_device);

struct enable_irq_in_device_frame {
	int dev;
	int vec;
};

/*
 * The driver turns the device's interrupt back on. A device with an event
 * the driver has not read yet signals it again: enabling resets its
 * interrupt logic, wait_for_driver_ack included.
 * @dev: device
 * @vec: its vector
 */
static enum irqsim_step enable_irq_in_device(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct enable_irq_in_device_frame *v =
		IRQSIM_FRAME_VARS(f, struct enable_irq_in_device_frame);
	struct msi_world *mw = msi_w(ctx);
	int dev = v->dev, vec = v->vec;
	struct pci_dev *pdev = &mw->dev[dev];
	uint8_t bit = 1u << vec;

	IRQSIM_BEGIN(f);
	pdev->intr_enable |= bit;
	trace_enable_irq_in_device(ctx, dev, vec, pdev->status & bit);
	if (pdev->status & bit) {
		pdev->wait_ack |= bit;
		msi_device_send_pending(ctx, dev, vec);
	}
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(enable_irq_in_device);

struct pci_msix_enable_frame {
	int dev;
	int nvec;
};

/*
 * pci_msix_enable: the host driver's pci_alloc_irq_vectors(PCI_IRQ_MSIX)
 * at probe.
 * @dev:  device
 * @nvec: vectors to enable
 *
 * Return: nvec or -errno.
 */
static enum irqsim_step pci_msix_enable(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	struct pci_msix_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct pci_msix_enable_frame);
	int ret;

	IRQSIM_BEGIN(f);
	ret = pci_alloc_irq_vectors(msi_w(ctx), v->dev, v->nvec);
	trace_pci_alloc_irq_vectors_msix(ctx, v->dev, v->nvec, ret);
	IRQSIM_RETURN_YIELD(ctx, ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(pci_msix_enable);

struct host_set_affinity_frame {
	int dev;
	int vec;
	int cpu;
};

/*
 * host_set_affinity: irq_set_affinity(pci_irq_vector(dev, vec), cpumask_of
 * (cpu)), as a write to /proc/irq/N/smp_affinity or irqbalance does.
 * @dev: device
 * @vec: its vector
 * @cpu: the new target CPU
 *
 * Return: 0 or -errno.
 */
static enum irqsim_step host_set_affinity(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct host_set_affinity_frame *v =
		IRQSIM_FRAME_VARS(f, struct host_set_affinity_frame);
	struct pci_dev *pdev = &msi_w(ctx)->dev[v->dev];

	IRQSIM_BEGIN(f);
	IRQSIM_EVENT(ctx, true, "host_set_affinity",
		     "dev%d vector %d (irq%d) -> cpu%d", v->dev, v->vec,
		     pdev->irq[v->vec], v->cpu);
	if (pdev->irq[v->vec] <= 0)
		IRQSIM_RETURN_YIELD(ctx, -EINVAL);
	IRQSIM_CALL(call_irq_set_affinity(ctx, pdev->irq[v->vec], 1 << v->cpu));
	IRQSIM_RETURN(ctx, f->ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(host_set_affinity);

struct pci_msi_enable_frame {
	int dev;
};

/*
 * pci_msi_enable: pci_alloc_irq_vectors(PCI_IRQ_MSI) with one vector on a
 * device with an MSI capability.
 * @dev: device
 *
 * Return: 1 or -errno.
 */
static enum irqsim_step pci_msi_enable(struct irqsim_ctx *ctx,
				       struct irqsim_frame *f)
{
	struct pci_msi_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct pci_msi_enable_frame);
	int ret;

	IRQSIM_BEGIN(f);
	ret = pci_alloc_irq_vectors_msi(msi_w(ctx), v->dev);
	trace_pci_alloc_irq_vectors_msi(ctx, v->dev, ret);
	IRQSIM_RETURN_YIELD(ctx, ret);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(pci_msi_enable);
