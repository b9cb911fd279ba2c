// SPDX-License-Identifier: MIT
/*
 * Models drivers/pci/msi/msi.c (__pci_write_msi_msg, pci_msix_mask,
 * pci_msix_unmask), drivers/pci/msi/irqdomain.c (pci_msix_template),
 * kernel/irq/msi.c (msi_domain_activate, msi_domain_deactivate,
 * msi_init_virq reservation mode) and the device side of PCI MSI-X.
 */
#include "msi/internal.h"

#include <errno.h>
#include <string.h>

int fn_pci_write_msi_msg;
int fn_pci_dev_raise;
static int fn_msi_domain_activate;
static int fn_msi_domain_deactivate;

int msi_knob_msix_quota;
static int msix_chip_id;

static const struct irqsim_knob knob_msix_quota = {
	.name = "msix_quota",
	.doc = "fault injection: the platform grants at most N MSI-X vectors "
	       "per device, so msix_capability_init() returns N and "
	       "pci_alloc_irq_vectors(pdev, 1, nvec) returns fewer than asked "
	       "(as pSeries' rtas_prepare_msi_irqs() quota does); 0 = no limit",
	.def = 0,
	.max = IRQSIM_MAX_VECS,
};
static int msi_domain_id;

static struct pci_dev *irq_pdev(struct irqsim_ctx *ctx, int irq, int *vec)
{
	struct msi_world *mw = msi_w(ctx);

	*vec = mw->irq_vec[irq];
	return &mw->dev[mw->irq_dev[irq]];
}

static void msix_write_ctrl(struct irqsim_ctx *ctx, int irq, bool mask,
			    const char *fn)
{
	int vec;
	struct pci_dev *pdev = irq_pdev(ctx, irq, &vec);
	uint32_t *ctrl = &pdev->table[vec].dw[PCI_MSIX_ENTRY_VECTOR_CTRL];

	if (mask)
		*ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	else
		*ctrl &= ~PCI_MSIX_ENTRY_CTRL_MASKBIT;
	IRQSIM_EVENT(ctx, true, fn, "dev%d msix[%d].ctrl = %s",
		     msi_dev_index(msi_w(ctx), pdev), vec,
		     mask ? "masked" : "unmasked");
	IRQSIM_TRACE(ctx, fn, "irq=%d dev=%d entry=%d masked=%d", irq,
		     msi_dev_index(msi_w(ctx), pdev), vec, mask);
	IRQSIM_ACCESS(ctx,
		      IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY,
				 msi_dev_index(msi_w(ctx), pdev), vec),
		      IRQSIM_ACC_WRITE);
}

/* pci_msix_mask(): irq_chip.irq_mask of PCI-MSIX. */
static void pci_msix_mask(struct irqsim_ctx *ctx, int irq)
{
	msix_write_ctrl(ctx, irq, true, "mask_irq");
}

static void pci_msix_unmask(struct irqsim_ctx *ctx, int irq)
{
	msix_write_ctrl(ctx, irq, false, "unmask_irq");
}

/*
 * irq_chip_ack_parent() -> apic_ack_edge(): irq_complete_move() (no move
 * in flight in these scenarios), irq_move_irq(), apic_eoi().
 */
static void msi_ack_parent(struct irqsim_ctx *ctx, int irq)
{
	(void)irq;
	apic_eoi(ctx);
}

static struct irq_chip pci_msix_chip = {
	.name = "PCI-MSIX",
	.irq_mask = pci_msix_mask,
	.irq_unmask = pci_msix_unmask,
	.irq_ack = msi_ack_parent,
	.irq_retrigger_fn = -1,
};

static struct irq_domain_chain msi_chain = { .depth = 2 };

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

int msi_next_free_irq(const struct msi_world *mw)
{
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++)
		if (!mw->irq.desc[irq].allocated)
			return irq;
	return -ENOSPC;
}

/* arch/x86 irq_msi_compose_msg(): dest APIC ID and vector from the cfg. */
static struct msi_msg compose_msg(const struct apic_chip_data *apicd)
{
	return (struct msi_msg){
		.address_lo = MSI_ADDR_BASE_LO |
			      ((uint32_t)apicd->cfg_dest << MSI_ADDR_DEST_SHIFT),
		.address_hi = 0,
		.data = apicd->cfg_vector,
	};
}

/*
 * msix_setup_interrupts() for one table entry: a Linux irq, a vector
 * reservation, and msi_init_virq()'s early activation. MSI_FLAG_ACTIVATE_EARLY
 * in reservation mode writes a message with the shutdown vector, then
 * clears IRQD_ACTIVATED so request_irq() assigns the vector. The entry
 * stays masked.
 */
static int msix_setup_irq(struct msi_world *mw, int dev, int v)
{
	struct pci_dev *pdev = &mw->dev[dev];
	struct apic_chip_data *apicd;
	int irq = msi_next_free_irq(mw);
	int ret;

	if (irq < 0)
		return irq;
	ret = irq_alloc_desc(&mw->irq, irq, msix_chip_id, msi_domain_id,
			     fn_handle_edge_irq);
	if (ret)
		return ret;
	ret = x86_vector_alloc_irq(&mw->irq.apic, irq, pdev->affinity);
	if (ret) {
		irq_free_desc(&mw->irq, irq);
		return ret;
	}
	mw->irq_dev[irq] = (int8_t)dev;
	mw->irq_vec[irq] = (int8_t)v;
	pdev->irq[v] = (int8_t)irq;
	apicd = &mw->irq.apic.apicd[irq];
	pdev->cached[v] = compose_msg(apicd);
	pdev->table[v].dw[PCI_MSIX_ENTRY_LOWER_ADDR] = pdev->cached[v].address_lo;
	pdev->table[v].dw[PCI_MSIX_ENTRY_UPPER_ADDR] = 0;
	pdev->table[v].dw[PCI_MSIX_ENTRY_DATA] = pdev->cached[v].data;
	pdev->table[v].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] |=
		PCI_MSIX_ENTRY_CTRL_MASKBIT;
	return irq;
}

/* The irq of table entry @v and its reservation go back. */
static void msix_free_irq(struct msi_world *mw, int dev, int v)
{
	struct pci_dev *pdev = &mw->dev[dev];
	int irq = pdev->irq[v];

	if (irq <= 0)
		return;
	x86_vector_free_irq(&mw->irq.apic, irq);
	irq_free_desc(&mw->irq, irq);
	mw->irq_dev[irq] = 0;
	mw->irq_vec[irq] = 0;
	pdev->irq[v] = 0;
}

/*
 * msix_capability_init(): all or nothing. A platform quota below @nvec is
 * reported as a positive count before anything is allocated; an
 * allocation failure gives back the irqs and reservations set up so far
 * (pci_free_msi_irqs()).
 */
static int msix_capability_init(struct msi_world *mw, int dev, int nvec,
				int quota)
{
	struct pci_dev *pdev = &mw->dev[dev];
	int v, ret;

	if (quota > 0 && quota < nvec)
		return quota;
	for (v = 0; v < nvec; v++) {
		ret = msix_setup_irq(mw, dev, v);
		if (ret < 0)
			goto out_free_irqs;
	}
	pdev->msix_enabled = 1;
	pdev->msix_func_mask = 0;
	return 0;

out_free_irqs:
	while (v--)
		msix_free_irq(mw, dev, v);
	return ret;
}

int pci_alloc_irq_vectors_range(struct msi_world *mw, int dev, int minvec,
				int maxvec, int quota)
{
	struct pci_dev *pdev;
	int nvec = maxvec, rc;

	if (dev < 0 || dev >= mw->ndev)
		return -EINVAL;
	pdev = &mw->dev[dev];
	/* __pci_enable_msix_range(): WARN_ON_ONCE(dev->msix_enabled) */
	if (pdev->msix_enabled)
		return -EINVAL;
	if (minvec <= 0 || maxvec < minvec || maxvec > pdev->nvec)
		return -EINVAL;
	for (;;) {
		if (nvec < minvec)
			return -ENOSPC;
		rc = msix_capability_init(mw, dev, nvec, quota);
		if (rc == 0)
			return nvec;
		if (rc < 0)
			return rc;
		if (rc < minvec)
			return -ENOSPC;
		nvec = rc;
	}
}

int pci_alloc_irq_vectors(struct msi_world *mw, int dev, int nvec)
{
	return pci_alloc_irq_vectors_range(mw, dev, nvec, nvec, 0);
}

int pci_msix_alloc_irq_at(struct msi_world *mw, int dev, int index)
{
	struct pci_dev *pdev;

	if (dev < 0 || dev >= mw->ndev)
		return -EINVAL;
	pdev = &mw->dev[dev];
	if (!pdev->msix_enabled || index < 0 || index >= pdev->nvec ||
	    pdev->irq[index])
		return -EINVAL;
	return msix_setup_irq(mw, dev, index);
}

void pci_free_irq_vectors(struct msi_world *mw, int dev)
{
	struct pci_dev *pdev = &mw->dev[dev];

	/*
	 * pci_msix_shutdown(): MSI-X enable cleared first, and
	 * pci_intx_for_msi(dev, 1) gives the function its INTx pin back;
	 * then the irqs go (msi_domain_free_irqs_all). Pending bits are
	 * left as the device has them.
	 */
	pdev->msix_enabled = 0;
	for (int v = 0; v < pdev->nvec; v++)
		msix_free_irq(mw, dev, v);
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
	IRQSIM_EVENT(ctx, true, "device",
		     "dev%d vector %d: MSI-X disabled on the device: %s", dev,
		     vec,
		     intx ? "redirected to its INTx pin, which nobody handles" :
			    "no INTx pin, not signalled");
	IRQSIM_TRACE(ctx, "msi_send", "dev=%d entry=%d msix_enabled=0 intx=%d",
		     dev, vec, intx);
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
	int ret;

	if (!pdev->msix_enabled) {
		msi_send_msix_disabled(ctx, dev, vec);
		return;
	}
	if (pdev->msix_func_mask || msix_entry_masked(pdev, vec)) {
		pdev->pba |= 1u << vec;
		IRQSIM_EVENT(ctx, true, "device",
			     "dev%d vector %d masked: PBA bit set", dev, vec);
		IRQSIM_TRACE(ctx, "msi_send", "dev=%d entry=%d pba=1", dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_READ);
		return;
	}
	if (msi_iommu_post(ctx, pdev->irq[vec])) {
		pdev->sent[vec]++;
		return;
	}
	ret = apic_msi_write(&mw->irq.apic, e->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
			     e->dw[PCI_MSIX_ENTRY_DATA]);
	pdev->sent[vec]++;
	if (ret) {
		pdev->misdirected++;
		IRQSIM_EVENT(ctx, true, "device",
			     "dev%d MSI vector %d to address %#x data %#x: not an APIC address, lost",
			     dev, vec, e->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
			     e->dw[PCI_MSIX_ENTRY_DATA]);
		IRQSIM_TRACE(ctx, "msi_send",
			     "dev=%d entry=%d address_lo=%#x data=%#x dropped=1",
			     dev, vec, e->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
			     e->dw[PCI_MSIX_ENTRY_DATA]);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_READ);
		return;
	}
	IRQSIM_EVENT(ctx, true, "device",
		     "dev%d MSI vector %d -> cpu%u vector %u (IRR set)", dev,
		     vec,
		     (e->dw[PCI_MSIX_ENTRY_LOWER_ADDR] >> MSI_ADDR_DEST_SHIFT) &
			     0xff,
		     e->dw[PCI_MSIX_ENTRY_DATA] & 0xff);
	IRQSIM_TRACE(ctx, "msi_send",
		     "dev=%d entry=%d address_lo=%#x data=%#x cpu=%u vector=%u",
		     dev, vec, e->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
		     e->dw[PCI_MSIX_ENTRY_DATA],
		     (e->dw[PCI_MSIX_ENTRY_LOWER_ADDR] >> MSI_ADDR_DEST_SHIFT) &
			     0xff,
		     e->dw[PCI_MSIX_ENTRY_DATA] & 0xff);
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

/**
 * pci_dev_raise - the device has an event for vector @arg1 of device @arg0
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
	struct msi_world *mw = msi_w(ctx);
	int dev = f->arg[0], vec = f->arg[1];
	struct pci_dev *pdev = &mw->dev[dev];
	uint8_t bit = 1u << vec;

	pdev->status |= bit;
	pdev->raised[vec]++;
	pdev->last_raise_step[vec] = mw->irq.apic.sched.step;
	if (!(pdev->intr_enable & bit)) {
		IRQSIM_EVENT(ctx, true, "device",
			     "dev%d event on vector %d: interrupts off in the device",
			     dev, vec);
		IRQSIM_TRACE(ctx, "pci_dev_raise",
			     "dev=%d vector=%d msi=0 why=disabled", dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
			      IRQSIM_ACC_WRITE);
	} else if (pdev->behaviour == DEV_WAIT_FOR_ACK &&
		   (pdev->wait_ack & bit)) {
		IRQSIM_EVENT(ctx, true, "device",
			     "dev%d event on vector %d: waiting for driver ack, no MSI",
			     dev, vec);
		IRQSIM_TRACE(ctx, "pci_dev_raise",
			     "dev=%d vector=%d msi=0 why=wait_ack", dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
			      IRQSIM_ACC_WRITE);
	} else {
		pdev->wait_ack |= bit;
		IRQSIM_EVENT(ctx, true, "device", "dev%d raises vector %d",
			     dev, vec);
		IRQSIM_TRACE(ctx, "pci_dev_raise", "dev=%d vector=%d msi=1", dev,
			     vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_DEV_STATUS, dev, vec),
			      IRQSIM_ACC_WRITE);
		msi_send(ctx, dev, vec);
	}
	return irqsim_return_yield(ctx, 0);
}

bool pci_dev_read_status(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct pci_dev *pdev = &msi_w(ctx)->dev[dev];
	uint8_t bit = 1u << vec;
	bool pending = pdev->status & bit;

	pdev->status &= ~bit;
	pdev->wait_ack &= ~bit;
	if (pending)
		pdev->consumed[vec]++;
	else
		pdev->empty_reads[vec]++;
	return pending;
}

enum { WMSG_START, WMSG_LO, WMSG_HI, WMSG_DATA, WMSG_RESTORE };

/**
 * pci_write_msi_msg - __pci_write_msi_msg() for an MSI-X entry, one dword
 * per step
 * @arg0: irq
 * @arg1: enum msi_msg_kind
 *
 * An unmasked entry is masked around the update and restored afterwards,
 * as the PCI spec demands of a message change; the cached message
 * (msi_desc->msg) is always updated.
 */
static enum irqsim_step pci_write_msi_msg(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct msi_world *mw = msi_w(ctx);
	int irq = f->arg[0], vec;
	struct pci_dev *pdev = irq_pdev(ctx, irq, &vec);
	uint32_t *dw = pdev->table[vec].dw;
	int dev = msi_dev_index(mw, pdev);
	struct msi_msg msg;

	switch (f->pc) {
	case WMSG_START:
		if (f->arg[1] == MSI_MSG_COMPOSE)
			msg = compose_msg(&mw->irq.apic.apicd[irq]);
		else if (f->arg[1] == MSI_MSG_CACHED)
			msg = pdev->cached[vec];
		else
			msg = (struct msi_msg){ 0 };
		pdev->cached[vec] = msg;
		f->local[0] = (int32_t)msg.address_lo;
		f->local[1] = (int32_t)msg.data;
		f->local[2] = !msix_entry_masked(pdev, vec);
		f->pc = WMSG_LO;
		if (f->local[2]) {
			dw[PCI_MSIX_ENTRY_VECTOR_CTRL] |=
				PCI_MSIX_ENTRY_CTRL_MASKBIT;
			IRQSIM_EVENT(ctx, true, "__pci_write_msi_msg",
				     "dev%d msix[%d].ctrl = masked (for update)",
				     dev, vec);
			IRQSIM_TRACE(ctx, "__pci_write_msi_msg",
				     "irq=%d dev=%d entry=%d ctrl=masked", irq, dev,
				     vec);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_WRITE);
			return IRQSIM_YIELD;
		}
		/* fall through */
	case WMSG_LO:
		dw[PCI_MSIX_ENTRY_LOWER_ADDR] = (uint32_t)f->local[0];
		IRQSIM_EVENT(ctx, true, "__pci_write_msi_msg",
			     "dev%d msix[%d].address_lo = %#x (%s)", dev, vec,
			     dw[PCI_MSIX_ENTRY_LOWER_ADDR],
			     f->arg[1] == MSI_MSG_ZERO ? "write_msg(0)" :
							 "write_msg(msg)");
		IRQSIM_TRACE(ctx, "__pci_write_msi_msg",
			     "irq=%d dev=%d entry=%d address_lo=%#x", irq, dev,
			     vec, dw[PCI_MSIX_ENTRY_LOWER_ADDR]);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_WRITE);
		f->pc = WMSG_HI;
		return IRQSIM_YIELD;
	case WMSG_HI:
		dw[PCI_MSIX_ENTRY_UPPER_ADDR] = 0;
		IRQSIM_EVENT(ctx, false, "__pci_write_msi_msg",
			     "dev%d msix[%d].address_hi = 0", dev, vec);
		IRQSIM_TRACE(ctx, "__pci_write_msi_msg",
			     "irq=%d dev=%d entry=%d address_hi=0", irq, dev,
			     vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_WRITE);
		f->pc = WMSG_DATA;
		return IRQSIM_YIELD;
	case WMSG_DATA:
		dw[PCI_MSIX_ENTRY_DATA] = (uint32_t)f->local[1];
		IRQSIM_EVENT(ctx, true, "__pci_write_msi_msg",
			     "dev%d msix[%d].data = %#x", dev, vec,
			     dw[PCI_MSIX_ENTRY_DATA]);
		IRQSIM_TRACE(ctx, "__pci_write_msi_msg",
			     "irq=%d dev=%d entry=%d data=%#x", irq, dev, vec,
			     dw[PCI_MSIX_ENTRY_DATA]);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_WRITE);
		f->pc = WMSG_RESTORE;
		return IRQSIM_YIELD;
	case WMSG_RESTORE:
	default:
		if (f->local[2]) {
			dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &=
				~PCI_MSIX_ENTRY_CTRL_MASKBIT;
			IRQSIM_EVENT(ctx, true, "__pci_write_msi_msg",
				     "dev%d msix[%d].ctrl = unmasked (restored)",
				     dev, vec);
			IRQSIM_TRACE(ctx, "__pci_write_msi_msg",
				     "irq=%d dev=%d entry=%d ctrl=unmasked", irq,
				     dev, vec);
			IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec), IRQSIM_ACC_WRITE);
			return irqsim_return_yield(ctx, 0);
		}
		return irqsim_return(ctx, 0);
	}
}

/* msi_domain_activate(): compose from the parent cfg and write. */
static enum irqsim_step msi_domain_activate(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	if (f->pc == 0) {
		f->pc = 1;
		return irqsim_call(ctx, fn_pci_write_msi_msg, f->arg[0],
				   MSI_MSG_COMPOSE, 0, 0);
	}
	return irqsim_return(ctx, 0);
}

/*
 * msi_domain_deactivate(): write an all-zero message. With interrupt
 * remapping the IR domain's deactivation also clears the IRTE
 * (intel_ir_deactivate), posted or not.
 */
static enum irqsim_step msi_domain_deactivate(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	if (f->pc == 0) {
		msi_iommu_deactivate(ctx, f->arg[0]);
		f->pc = 1;
		return irqsim_call(ctx, fn_pci_write_msi_msg, f->arg[0],
				   MSI_MSG_ZERO, 0, 0);
	}
	return irqsim_return(ctx, 0);
}

void msi_init(void)
{
	irq_init();
	fn_pci_write_msi_msg =
		irqsim_fn_register("pci_write_msi_msg", pci_write_msi_msg);
	fn_msi_domain_activate =
		irqsim_fn_register("msi_domain_activate", msi_domain_activate);
	fn_msi_domain_deactivate = irqsim_fn_register("msi_domain_deactivate",
						      msi_domain_deactivate);
	fn_pci_dev_raise = irqsim_fn_register("raise", pci_dev_raise);
	msi_knob_msix_quota = irqsim_knob_register(&knob_msix_quota);
	pci_msix_chip.irq_retrigger_fn = fn_apic_retrigger_irq;
	msi_chain.activate_fn[0] = fn_x86_vector_activate;
	msi_chain.activate_fn[1] = fn_msi_domain_activate;
	msi_chain.deactivate_fn[0] = fn_x86_vector_deactivate;
	msi_chain.deactivate_fn[1] = fn_msi_domain_deactivate;
	msix_chip_id = irq_register_chip(&pci_msix_chip);
	msi_domain_id = irq_register_domain_chain(&msi_chain);
	msi_register_host_driver();
	msi_register_intx();
	msi_register_iommu();
}
