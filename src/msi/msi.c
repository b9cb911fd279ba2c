// SPDX-License-Identifier: MIT
/*
 * Models drivers/pci/msi/msi.c (__pci_write_msi_msg, pci_msix_mask,
 * pci_msix_unmask), drivers/pci/msi/irqdomain.c (pci_msix_template) and
 * kernel/irq/msi.c (msi_domain_activate, msi_domain_deactivate,
 * msi_init_virq reservation mode) (Linux v6.18): the host's side of PCI
 * MSI and MSI-X. The device's side is in device.c.
 */
#include "msi/internal.h"
#include "msi/trace.h"

#include <errno.h>

/* Defined below, named in the chips and the domain chain above them. */
extern int fn_msi_domain_activate;
extern int fn_msi_domain_deactivate;
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

	if (pdev->msi_plain && !pdev->msi_maskbit) {
		/* pci_msi_mask(): nothing to write without a mask bit */
		IRQSIM_EVENT(ctx, false, fn,
			     "dev%d MSI has no mask bit: %s does nothing",
			     msi_dev_index(msi_w(ctx), pdev),
			     mask ? "mask" : "unmask");
		return;
	}
	if (mask)
		*ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	else
		*ctrl &= ~PCI_MSIX_ENTRY_CTRL_MASKBIT;
	if (pdev->msi_plain)
		trace_msix_write_ctrl_msi(ctx, fn, irq, pdev, vec, mask);
	else
		trace_msix_write_ctrl(ctx, fn, irq, pdev, vec, mask);
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

static struct irq_chip pci_msix_chip = {
	.name = "PCI-MSIX",
	.irq_mask = pci_msix_mask,
	.irq_unmask = pci_msix_unmask,
	.irq_write_msi_msg_fn = &fn_pci_write_msi_msg,
};

/*
 * PCI-MSI: the MSI capability of drivers/pci/msi (pci_msi_mask_irq; a
 * mask bit only with per-vector masking), on the same x86 parent.
 */
static struct irq_chip pci_msi_chip = {
	.name = "PCI-MSI",
	.irq_mask = pci_msix_mask,
	.irq_unmask = pci_msix_unmask,
	.irq_write_msi_msg_fn = &fn_pci_write_msi_msg,
};
static int msi_chip_id;

static struct irq_domain_chain msi_chain = { .depth = 2 };

int msi_next_free_irq(const struct msi_world *mw)
{
	for (int irq = 1; irq < IRQSIM_MAX_IRQS; irq++)
		if (!mw->irq.desc[irq].allocated)
			return irq;
	return -ENOSPC;
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
	pdev->cached[v] = x86_vector_msi_compose_msg(apicd);
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
	if (pdev->msix_enabled || pdev->msi_plain)
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

int pci_alloc_irq_vectors_msi(struct msi_world *mw, int dev)
{
	struct apic_chip_data *apicd;
	struct pci_dev *pdev;
	int irq, ret;

	if (dev < 0 || dev >= mw->ndev)
		return -EINVAL;
	pdev = &mw->dev[dev];
	if (!pdev->msi_plain || pdev->msix_enabled)
		return -EINVAL;
	irq = msi_next_free_irq(mw);
	if (irq < 0)
		return irq;
	ret = irq_alloc_desc(&mw->irq, irq, msi_chip_id, msi_domain_id,
			     fn_handle_edge_irq);
	if (ret)
		return ret;
	ret = x86_vector_alloc_irq(&mw->irq.apic, irq, pdev->affinity);
	if (ret)
		goto out_free_desc;
	/*
	 * msi_init_virq(): a maskable MSI uses reservation mode (the shutdown
	 * vector until request_irq()); a non-maskable one is not allowed to
	 * (msi_check_reservation_mode(): x86's per-device PCI/MSI domains
	 * carry MSI_FLAG_MUST_REACTIVATE via MSI_COMMON_FLAGS, so the answer
	 * is "MSI-X or can_mask"): IRQD_CAN_RESERVE is cleared, the early
	 * activation's activate_reserved() assigns the real vector and clears
	 * apicd->can_reserve, and x86_vector_deactivate() keeps it across
	 * free_irq(). Nothing sets the bit again (reserve_irq_vector_locked()
	 * only runs for can_reserve). See docs/fidelity.md, section 15.
	 */
	if (!pdev->msi_maskbit) {
		ret = x86_vector_activate_early(&mw->irq.apic, irq);
		if (ret)
			goto out_free_vector;
		mw->irq.desc[irq].irqd |= IRQD_ACTIVATED;
	}
	mw->irq_dev[irq] = (int8_t)dev;
	mw->irq_vec[irq] = 0;
	pdev->irq[0] = (int8_t)irq;
	apicd = &mw->irq.apic.apicd[irq];
	pdev->cached[0] = x86_vector_msi_compose_msg(apicd);
	pdev->table[0].dw[PCI_MSIX_ENTRY_LOWER_ADDR] = pdev->cached[0].address_lo;
	pdev->table[0].dw[PCI_MSIX_ENTRY_UPPER_ADDR] = 0;
	pdev->table[0].dw[PCI_MSIX_ENTRY_DATA] = pdev->cached[0].data;
	/* msi_setup_msi_desc(): a maskable MSI starts masked */
	if (pdev->msi_maskbit)
		pdev->table[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
			PCI_MSIX_ENTRY_CTRL_MASKBIT;
	else
		pdev->table[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] = 0;
	pdev->msix_enabled = 1;
	return 1;

out_free_vector:
	x86_vector_free_irq(&mw->irq.apic, irq);
out_free_desc:
	irq_free_desc(&mw->irq, irq);
	return ret;
}

void pci_free_irq_vectors_msi(struct msi_world *mw, int dev)
{
	struct pci_dev *pdev = &mw->dev[dev];

	/*
	 * pci_msi_shutdown(): MSI enable cleared and INTx given back
	 * (pci_intx_for_msi()), then "Return the device with MSI unmasked
	 * as initial states" (pci_msi_unmask() of every vector); then the
	 * irq goes (msi_domain_free_irqs_all()). A pending bit stays.
	 */
	pdev->msix_enabled = 0;
	if (pdev->msi_maskbit)
		pdev->table[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &=
			~PCI_MSIX_ENTRY_CTRL_MASKBIT;
	msix_free_irq(mw, dev, 0);
}

struct pci_write_msi_msg_frame {
	int irq;
	int kind;		/* enum msi_msg_kind */
	int address_lo;		/* MSI_MSG_EXPLICIT */
	int data;		/* MSI_MSG_EXPLICIT */
	int msg_address_lo;	/* the message being written */
	int msg_data;
	int unmask;		/* masked for the update: unmask after */
};

/* One dword of the message @v writes, at @which of the entry @dw. */
static void msi_write_dword(struct irqsim_ctx *ctx,
			    const struct pci_write_msi_msg_frame *v,
			    uint32_t *dw, int dev, int which)
{
	int irq = v->irq, vec;
	struct pci_dev *pdev = irq_pdev(ctx, irq, &vec);

	if (which == PCI_MSIX_ENTRY_LOWER_ADDR) {
		dw[which] = (uint32_t)v->msg_address_lo;
		trace_pci_write_msi_msg_address_lo(ctx, irq, dev, pdev, vec,
						   dw[which], v->kind);
	} else if (which == PCI_MSIX_ENTRY_UPPER_ADDR) {
		dw[which] = 0;
		trace_pci_write_msi_msg_address_hi(ctx, irq, dev, pdev, vec);
	} else {
		dw[which] = (uint32_t)v->msg_data;
		trace_pci_write_msi_msg_data(ctx, irq, dev, pdev, vec,
					     dw[which]);
	}
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec),
		      IRQSIM_ACC_WRITE);
}

/**
 * pci_write_msi_msg - __pci_write_msi_msg() for an MSI-X entry (one step,
 * masked) or an MSI capability (one dword per step)
 * @irq:        Linux irq
 * @kind:       enum msi_msg_kind: which message
 * @address_lo: the message's address_lo, for MSI_MSG_EXPLICIT
 * @data:       the message's data, for MSI_MSG_EXPLICIT
 *
 * An unmasked entry is masked around the update and restored afterwards,
 * as the PCI spec demands of a message change; the cached message
 * (msi_desc->msg) is always updated. An MSI capability has no mask
 * around its writes, so the device may read each intermediate message.
 */
static enum irqsim_step pci_write_msi_msg(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct pci_write_msi_msg_frame *v =
		IRQSIM_FRAME_VARS(f, struct pci_write_msi_msg_frame);
	struct msi_world *mw = msi_w(ctx);
	int irq = v->irq, vec;
	struct pci_dev *pdev = irq_pdev(ctx, irq, &vec);
	uint32_t *dw = pdev->table[vec].dw;
	int dev = msi_dev_index(mw, pdev);
	struct msi_msg msg;

	IRQSIM_BEGIN(f);
	if (v->kind == MSI_MSG_COMPOSE)
		msg = x86_vector_msi_compose_msg(&mw->irq.apic.apicd[irq]);
	else if (v->kind == MSI_MSG_CACHED)
		msg = pdev->cached[vec];
	else if (v->kind == MSI_MSG_EXPLICIT)
		msg = (struct msi_msg){
			.address_lo = (uint32_t)v->address_lo,
			.data = (uint32_t)v->data,
		};
	else
		msg = (struct msi_msg){ 0 };
	pdev->cached[vec] = msg;
	v->msg_address_lo = (int32_t)msg.address_lo;
	v->msg_data = (int32_t)msg.data;
	/* an MSI capability is written as is (no mask around it) */
	v->unmask = !pdev->msi_plain && !msix_entry_masked(pdev, vec);
	if (v->unmask) {
		dw[PCI_MSIX_ENTRY_VECTOR_CTRL] |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
		trace_pci_write_msi_msg_mask(ctx, irq, dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec),
			      IRQSIM_ACC_WRITE);
	}
	if (!pdev->msi_plain) {
		/*
		 * An MSI-X entry: the mask (if it was unmasked) and the three
		 * writel()s of pci_write_msg_msix() (drivers/pci/msi/msi.c)
		 * are one step. Other CPUs and the device run between them in
		 * the kernel, but none can tell: the entry stays masked, so
		 * the device sets its PBA bit instead of reading the message
		 * (msi_send()) and the window test skips it; and nothing else
		 * writes or unmasks the entry meanwhile: every other writer
		 * holds desc->lock, as the activate, deactivate and affinity
		 * callers here do, or the irq is shut down (vfio's refresh
		 * before request_irq(), under igate). The states between the
		 * writes differ only in bytes nobody reads before the unmask,
		 * which stays a step of its own (docs/performance.md, "One
		 * step for a masked MSI-X entry's message").
		 */
		msi_write_dword(ctx, v, dw, dev, PCI_MSIX_ENTRY_LOWER_ADDR);
		msi_write_dword(ctx, v, dw, dev, PCI_MSIX_ENTRY_UPPER_ADDR);
		msi_write_dword(ctx, v, dw, dev, PCI_MSIX_ENTRY_DATA);
		IRQSIM_YIELD_POINT();
	} else {
		/* the device may read the message between the writes */
		msi_write_dword(ctx, v, dw, dev, PCI_MSIX_ENTRY_LOWER_ADDR);
		IRQSIM_YIELD_POINT();
		msi_write_dword(ctx, v, dw, dev, PCI_MSIX_ENTRY_UPPER_ADDR);
		IRQSIM_YIELD_POINT();
		msi_write_dword(ctx, v, dw, dev, PCI_MSIX_ENTRY_DATA);
		IRQSIM_YIELD_POINT();
	}
	if (v->unmask) {
		dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &= ~PCI_MSIX_ENTRY_CTRL_MASKBIT;
		trace_pci_write_msi_msg_unmask(ctx, irq, dev, vec);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, dev, vec),
			      IRQSIM_ACC_WRITE);
		IRQSIM_RETURN_YIELD(ctx, 0);
	}
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(pci_write_msi_msg);

enum irqsim_step call_pci_write_msi_msg(struct irqsim_ctx *ctx, int irq,
					enum msi_msg_kind kind, int address_lo,
					int data)
{
	return irqsim_call(ctx, fn_pci_write_msi_msg, irq, kind, address_lo,
			   data);
}

struct msi_domain_activate_frame {
	int irq;
	int reserve;	/* not used: the message is written either way */
};

/*
 * msi_domain_activate(): compose from the parent cfg and write.
 * @irq:     Linux irq
 * @reserve: irq_domain_activate_irq()'s reserve (the kernel's "early")
 */
static enum irqsim_step msi_domain_activate(struct irqsim_ctx *ctx,
					    struct irqsim_frame *f)
{
	struct msi_domain_activate_frame *v =
		IRQSIM_FRAME_VARS(f, struct msi_domain_activate_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_pci_write_msi_msg(ctx, v->irq, MSI_MSG_COMPOSE, 0, 0));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(msi_domain_activate);

struct msi_domain_deactivate_frame {
	int irq;
};

/*
 * msi_domain_deactivate(): write an all-zero message. With interrupt
 * remapping the IR domain's deactivation also clears the IRTE
 * (intel_ir_deactivate), posted or not.
 * @irq: Linux irq
 */
static enum irqsim_step msi_domain_deactivate(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct msi_domain_deactivate_frame *v =
		IRQSIM_FRAME_VARS(f, struct msi_domain_deactivate_frame);

	IRQSIM_BEGIN(f);
	msi_iommu_deactivate(ctx, v->irq);
	IRQSIM_CALL(call_pci_write_msi_msg(ctx, v->irq, MSI_MSG_ZERO, 0, 0));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(msi_domain_deactivate);

/* Is the MSI of @irq maskable (MSI-X, or MSI with per-vector masking)? */
static bool msi_maskable(struct irqsim_ctx *ctx, int irq)
{
	struct msi_world *mw = msi_w(ctx);
	const struct pci_dev *pdev = &mw->dev[mw->irq_dev[irq]];

	return !pdev->msi_plain || pdev->msi_maskbit;
}

void msi_init(void)
{
	irq_init();
	msi_knob_msix_quota = irqsim_knob_register(&knob_msix_quota);
	/*
	 * x86_init() registers msi_affinity_slow_path: after msix_quota, the
	 * order irqsim list knobs and the saved runs' set lines show.
	 */
	x86_init();
	x86_set_msi_maskable(msi_maskable);
	msi_chain.activate_fn[0] = fn_x86_vector_activate;
	msi_chain.activate_fn[1] = fn_msi_domain_activate;
	msi_chain.deactivate_fn[0] = fn_x86_vector_deactivate;
	msi_chain.deactivate_fn[1] = fn_msi_domain_deactivate;
	x86_init_dev_msi_info(&pci_msix_chip);
	msix_chip_id = irq_register_chip(&pci_msix_chip);
	x86_init_dev_msi_info(&pci_msi_chip);
	msi_chip_id = irq_register_chip(&pci_msi_chip);
	msi_domain_id = irq_register_domain_chain(&msi_chain);
	msi_register_intx();
	msi_register_iommu();
}
