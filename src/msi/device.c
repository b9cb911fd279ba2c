// SPDX-License-Identifier: MIT
/*
 * Models the device side of PCI MSI and MSI-X (PCI Local Bus
 * Specification 3.0, 6.8): a function whose MSI-X table is raw dwords
 * (reset value: every entry masked), the pending bit it sets while an
 * entry or the function is masked, the message it sends for an event as
 * its table says at that moment; the device behaviours of seeds/000
 * (wait for the driver's ack, free-running) and the driver's status read.
 */
#include "msi/internal.h"
#include "msi/trace.h"

#include <errno.h>
#include <string.h>

int msi_add_device(struct msi_world *mw, int nvec,
		   enum pci_dev_behaviour behaviour, uint8_t affinity)
{
	struct pci_dev *pdev;

	if (mw->ndev >= IRQSIM_MAX_DEVS)
		return -ENOSPC;
	if (nvec <= 0 || nvec > IRQSIM_MAX_VECS)
		return -EINVAL;
	pdev = &mw->dev[mw->ndev];
	memset(pdev, 0, sizeof(*pdev));
	pdev->present = 1;
	pdev->nvec = (uint8_t)nvec;
	pdev->behaviour = (uint8_t)behaviour;
	pdev->affinity = affinity;
	pdev->intr_enable = 0xff;
	/* MSI-X table reset value: every entry masked */
	for (int v = 0; v < nvec; v++)
		pdev->table[v].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
			PCI_MSIX_ENTRY_CTRL_MASKBIT;
	return mw->ndev++;
}

int msi_dev_index(const struct msi_world *mw, const struct pci_dev *pdev)
{
	return (int)(pdev - mw->dev);
}

/*
 * An event while MSI-X is disabled: the function may not use MSI-X then
 * (PCI spec, MSI-X Enable) and signals INTx instead, if it has a pin
 * (pci_intx_for_msi() cleared DisINTx when MSI-X went off); a function
 * without one does not signal it at all. Either way no MSI reaches the
 * vector: the host does not handle the device's INTx while VFIO has it in
 * MSI-X mode (the pin's irq is not requested, so the controller keeps it
 * masked), and the guest, whose MSI-X is still enabled, does not look at
 * INTx. The pin itself is not driven here.
 */
static void msi_send_msix_disabled(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct msi_world *mw = msi_w(ctx);
	struct pci_dev *pdev = &mw->dev[dev];
	bool intx = pdev->intx.present;

	pdev->msix_off_events++;
	pdev->msix_off_vecs |= 1u << vec;
	if (intx)
		pdev->msix_off_intx |= 1u << vec;
	pdev->msix_off_step = mw->irq.apic.sched.step + 1;
	trace_msi_send_msix_disabled(ctx, dev, vec, intx);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec),
		      IRQSIM_ACC_READ);
}

/*
 * The device puts an MSI on the bus for @vec, or holds it in the PBA when
 * the entry or the function is masked; with MSI-X off it cannot send one.
 */
static void msi_send(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct msi_world *mw = msi_w(ctx);
	struct pci_dev *pdev = &mw->dev[dev];
	const struct msix_entry *e = &pdev->table[vec];
	unsigned int cpu, vector;
	bool merged;
	int ret;

	if (!pdev->msix_enabled) {
		msi_send_msix_disabled(ctx, dev, vec);
		return;
	}
	if (pdev->msix_func_mask || msix_entry_masked(pdev, vec)) {
		pdev->pba |= 1u << vec;
		trace_msi_send_pba(ctx, dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_READ);
		return;
	}
	if (msi_iommu_post(ctx, pdev->irq[vec])) {
		pdev->sent[vec]++;
		return;
	}
	cpu = (e->dw[PCI_MSIX_ENTRY_LOWER_ADDR] >> MSI_ADDR_DEST_SHIFT) & 0xff;
	vector = e->dw[PCI_MSIX_ENTRY_DATA] & 0xff;
	merged = cpu < mw->irq.apic.nr_cpus &&
		 lapic_vector_set_in_irr(&mw->irq.apic, (int)cpu, (int)vector);
	ret = apic_msi_write(&mw->irq.apic, e->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
			     e->dw[PCI_MSIX_ENTRY_DATA]);
	pdev->sent[vec]++;
	pdev->sent_step[vec] = mw->irq.apic.sched.step;
	pdev->sent_cpu[vec] = (uint8_t)cpu;
	pdev->sent_vector[vec] = (uint8_t)vector;
	pdev->sent_fate[vec] = ret == -ENODEV ? MSI_FATE_DEAD_APIC :
			       ret		? MSI_FATE_BAD_ADDR :
			       merged		? MSI_FATE_MERGED :
						  MSI_FATE_IRR;
	if (ret) {
		pdev->misdirected++;
		trace_msi_send_dropped(ctx, dev, vec, e, ret);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_READ);
		return;
	}
	trace_msi_send(ctx, dev, vec, e, cpu, vector, merged);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_READ);
	/* the message write sets the IRR bit of the target CPU */
	IRQSIM_ACCESS(ctx,
		      IRQSIM_OBJ(APIC_OBJ_IRR,
				 (e->dw[PCI_MSIX_ENTRY_LOWER_ADDR] >>
				  MSI_ADDR_DEST_SHIFT) & 0xff,
				 e->dw[PCI_MSIX_ENTRY_DATA] & 0xff),
		      IRQSIM_ACC_WRITE);
}

int msi_device_pending(const struct msi_world *mw, int dev)
{
	const struct pci_dev *pdev = &mw->dev[dev];

	if (!pdev->pba || !pdev->msix_enabled || pdev->msix_func_mask)
		return -1;
	for (int v = 0; v < pdev->nvec; v++)
		if ((pdev->pba & (1u << v)) && !msix_entry_masked(pdev, v))
			return v;
	return -1;
}

void msi_device_send_pending(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct pci_dev *pdev = &msi_w(ctx)->dev[dev];

	pdev->pba &= ~(1u << vec);
	msi_send(ctx, dev, vec);
}

struct pci_dev_raise_frame {
	int dev;
	int vec;
};

/**
 * pci_dev_raise - the device has an event for vector @vec of device @dev
 * @dev: device
 * @vec: its vector
 *
 * DEV_WAIT_FOR_ACK, as tglx writes it in seeds/000:
 *	raise_interrupt()
 *		if (!wait_for_driver_ack) {
 *			wait_for_driver_ack = true;
 *			send_msi_message();
 *		}
 */
static enum irqsim_step pci_dev_raise(struct irqsim_ctx *ctx,
				      struct irqsim_frame *f)
{
	struct pci_dev_raise_frame *v =
		IRQSIM_FRAME_VARS(f, struct pci_dev_raise_frame);
	struct msi_world *mw = msi_w(ctx);
	int dev = v->dev, vec = v->vec;
	struct pci_dev *pdev = &mw->dev[dev];
	uint8_t bit = 1u << vec;

	IRQSIM_BEGIN(f);
	if (!(pdev->status & bit))
		pdev->pending_step[vec] = mw->irq.apic.sched.step;
	pdev->status |= bit;
	pdev->raised[vec]++;
	pdev->last_raise_step[vec] = mw->irq.apic.sched.step;
	if (!(pdev->intr_enable & bit)) {
		trace_pci_dev_raise_disabled(ctx, dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
			      IRQSIM_ACC_WRITE);
	} else if (pdev->behaviour == DEV_WAIT_FOR_ACK &&
		   (pdev->wait_ack & bit)) {
		trace_pci_dev_raise_wait_ack(ctx, dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
			      IRQSIM_ACC_WRITE);
	} else {
		pdev->wait_ack |= bit;
		trace_pci_dev_raise(ctx, dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
			      IRQSIM_ACC_WRITE);
		msi_send(ctx, dev, vec);
	}
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN_AS(pci_dev_raise, "raise");

bool pci_dev_read_status(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct pci_dev *pdev = &msi_w(ctx)->dev[dev];
	uint8_t bit = 1u << vec;
	bool pending = pdev->status & bit;

	pdev->status &= ~bit;
	pdev->wait_ack &= ~bit;
	pdev->pending_step[vec] = 0;
	if (pending)
		pdev->consumed[vec]++;
	else
		pdev->empty_reads[vec]++;
	return pending;
}
