// SPDX-License-Identifier: MIT
/*
 * Models the INTx side of a PCI function and its irq: drivers/pci/pci.c
 * (pci_intx, __pci_check_and_mask_intx: pci_check_and_mask_intx,
 * pci_check_and_unmask_intx), the level line of a device, and the irq
 * chip of the controller pin it is wired to (the IOAPIC chip of
 * arch/x86/kernel/apic/io_apic.c: mask, unmask, EOI = local APIC EOI plus
 * the controller's EOI) with the domain hierarchy vector -> controller.
 *
 * A pre-2.3 device (no DisINTx) keeps its line asserted until its driver
 * services it; masking is only possible at the controller. A PCI 2.3
 * device can be masked at the device (PCI_COMMAND_INTX_DISABLE) and
 * reports a pending interrupt in PCI_STATUS_INTERRUPT even while masked.
 */
#include "msi/internal.h"
#include "msi/trace.h"

#include <errno.h>

int msi_knob_intx_flow;
static int intx_chip_id;
static int intx_domain_id;

static struct pci_intx *dev_intx(struct irqsim_ctx *ctx, int dev)
{
	return &msi_w(ctx)->dev[dev].intx;
}

/* The line follows the status and DisINTx; the controller sees changes. */
static void pci_intx_update_line(struct irqsim_ctx *ctx, int dev)
{
	struct pci_intx *x = dev_intx(ctx, dev);
	uint8_t line = x->status && !(x->pci_2_3 && x->disable);

	if (line == x->line)
		return;
	x->line = line;
	intc_ops_of(ctx)->set_level(ctx, dev, line);
}

void pci_intx(struct irqsim_ctx *ctx, int dev, bool enable)
{
	struct pci_intx *x = dev_intx(ctx, dev);

	x->disable = !enable;
	trace_pci_intx(ctx, dev, enable, x);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_INTX, dev, 0), IRQSIM_ACC_RMW);
	pci_intx_update_line(ctx, dev);
}

/*
 * __pci_check_and_mask_intx(dev, mask): act only if the pending state
 * (PCI_STATUS_INTERRUPT) agrees: mask a device that has an interrupt
 * pending, unmask one that has none. Return: whether it acted.
 */
static bool pci_check_and_mask(struct irqsim_ctx *ctx, int dev, bool mask)
{
	struct pci_intx *x = dev_intx(ctx, dev);
	bool pending = x->status;

	if (mask != pending) {
		trace_pci_check_and_mask_intx_unchanged(ctx, dev, mask, pending,
							x);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_INTX, dev, 0),
			      IRQSIM_ACC_RMW);
		return false;
	}
	x->disable = mask;
	trace_pci_check_and_mask_intx(ctx, dev, mask, pending, x);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_INTX, dev, 0), IRQSIM_ACC_RMW);
	pci_intx_update_line(ctx, dev);
	return true;
}

bool pci_check_and_mask_intx(struct irqsim_ctx *ctx, int dev)
{
	return pci_check_and_mask(ctx, dev, true);
}

bool pci_check_and_unmask_intx(struct irqsim_ctx *ctx, int dev)
{
	return pci_check_and_mask(ctx, dev, false);
}

bool pci_intx_read_status(struct irqsim_ctx *ctx, int dev)
{
	struct pci_intx *x = dev_intx(ctx, dev);
	bool pending = x->status;

	x->status = 0;
	x->pending_step = 0;
	if (pending)
		x->consumed++;
	else
		x->empty_reads++;
	pci_intx_update_line(ctx, dev);
	return pending;
}

struct pci_dev_raise_intx_frame {
	int dev;
};

/*
 * raise_intx: the device has an event. It asserts its line (unless
 * DisINTx masks it) and keeps it asserted until the driver services it;
 * an event while one is unserviced changes nothing on the line.
 * @dev: device
 */
static enum irqsim_step pci_dev_raise_intx(struct irqsim_ctx *ctx,
					   struct irqsim_frame *f)
{
	struct pci_dev_raise_intx_frame *v =
		IRQSIM_FRAME_VARS(f, struct pci_dev_raise_intx_frame);
	struct msi_world *mw = msi_w(ctx);
	int dev = v->dev;
	struct pci_intx *x = &mw->dev[dev].intx;
	bool unserviced;

	IRQSIM_BEGIN(f);
	x->raised++;
	x->last_raise_step = mw->irq.apic.sched.step;
	unserviced = x->status;
	if (!unserviced)
		x->pending_step = mw->irq.apic.sched.step;
	x->status = 1;
	trace_pci_dev_raise_intx(ctx, dev, unserviced, x);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_INTX, dev, 0), IRQSIM_ACC_RMW);
	pci_intx_update_line(ctx, dev);
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN_AS(pci_dev_raise_intx, "raise_intx");

static int irq_pin(struct irqsim_ctx *ctx, int irq)
{
	return intc_pin_of_irq(&msi_w(ctx)->irq.apic, irq);
}

static void intx_chip_mask(struct irqsim_ctx *ctx, int irq)
{
	intc_ops_of(ctx)->mask(ctx, irq_pin(ctx, irq), true);
}

static void intx_chip_unmask(struct irqsim_ctx *ctx, int irq)
{
	intc_ops_of(ctx)->mask(ctx, irq_pin(ctx, irq), false);
}

/*
 * ioapic_ack_level(): the local APIC EOI, then the controller's EOI of the
 * pin (EOI broadcast or the directed EOI register: Remote IRR cleared).
 * handle_level_irq's ack is the same EOI.
 */
static void intx_chip_eoi(struct irqsim_ctx *ctx, int irq)
{
	apic_eoi(ctx);
	intc_ops_of(ctx)->eoi(ctx, irq_pin(ctx, irq));
}

static struct irq_chip intx_chip = {
	.name = "IO-APIC",
	.irq_mask = intx_chip_mask,
	.irq_unmask = intx_chip_unmask,
	.irq_ack = intx_chip_eoi,
	.irq_eoi = intx_chip_eoi,
	.irq_retrigger_fn = -1,
};

static struct irq_domain_chain intx_chain = { .depth = 2 };

static const char *const flow_names[] = { "fasteoi", "level", NULL };

static const struct irqsim_knob knob_intx_flow = {
	.name = "intx_flow",
	.doc = "the flow handler the INTx irq chip installs: fasteoi = "
	       "handle_fasteoi_irq (IOAPIC level entries, XIVE, XICS); level = "
	       "handle_level_irq (mask and ack before the handler runs)",
	.def = 0,
	.max = 1,
	.values = flow_names,
};

int pci_intx_init(struct msi_world *mw, int dev, bool pci_2_3,
		  bool level_flow)
{
	struct pci_dev *pdev;
	int irq, ret;

	if (dev < 0 || dev >= mw->ndev)
		return -EINVAL;
	pdev = &mw->dev[dev];
	if (pdev->intx.present)
		return -EBUSY;
	irq = msi_next_free_irq(mw);
	if (irq < 0)
		return irq;
	ret = irq_alloc_desc(&mw->irq, irq, intx_chip_id, intx_domain_id,
			     level_flow ? fn_handle_level_irq :
					  fn_handle_fasteoi_irq);
	if (ret)
		return ret;
	/* irq_set_irq_type(IRQ_TYPE_LEVEL_LOW): irq_settings_set_level() */
	mw->irq.desc[irq].settings |= IRQ_LEVEL;
	ret = x86_vector_alloc_irq(&mw->irq.apic, irq, pdev->affinity);
	if (ret)
		goto out_free_desc;
	ret = intc_wire_pin(&mw->irq.apic, dev, irq);
	if (ret)
		goto out_free_vector;
	mw->irq_dev[irq] = (int8_t)dev;
	mw->irq_vec[irq] = -1;
	pdev->intx = (struct pci_intx){
		.present = 1,
		.pci_2_3 = pci_2_3,
		.irq = (int8_t)irq,
	};
	return irq;

out_free_vector:
	x86_vector_free_irq(&mw->irq.apic, irq);
out_free_desc:
	irq_free_desc(&mw->irq, irq);
	return ret;
}

void msi_register_intx(void)
{
	msi_knob_intx_flow = irqsim_knob_register(&knob_intx_flow);
	intx_chain.activate_fn[0] = fn_x86_vector_activate;
	intx_chain.activate_fn[1] = fn_intc_domain_activate;
	intx_chain.deactivate_fn[0] = fn_x86_vector_deactivate;
	intx_chain.deactivate_fn[1] = fn_intc_domain_deactivate;
	intx_chip_id = irq_register_chip(&intx_chip);
	intx_domain_id = irq_register_domain_chain(&intx_chain);
}
