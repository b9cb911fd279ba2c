// SPDX-License-Identifier: MIT
/*
 * Models QEMU hw/vfio/pci.c for a device with an MSI capability
 * (vfio_msi_enable, vfio_msi_disable, vfio_update_msi and the MSI branch
 * of vfio_pci_write_config) and hw/pci/msi.c (msi_write_config,
 * msi_notify), QEMU 10.x, with the guest's writes to the capability.
 *
 * Unlike MSI-X, QEMU does not emulate an MSI vector's mask: "MSI vs MSI-X
 * - The guest has direct access to MSI mask and pending bits, therefore
 * we always use the KVM signaling path when setup" (vfio_enable_vectors).
 * vfio_pci_write_config() writes everything to VFIO first, and the
 * kernel's permissions for the capability (vfio_pci_config.c
 * init_pci_cap_msi_perm()) let the mask and pending bits through to the
 * device (NO_VIRT, ALL_WRITE) while address, data and flags stay
 * virtual. So a guest mask or unmask is a register write on the device:
 * no VFIO_DEVICE_SET_IRQS, no free_irq() + request_irq(), and the device
 * holds an event in its pending bit while masked. Only MSI enable and
 * disable reach the ioctl.
 */
#include "vmm/internal.h"
#include "vmm/trace.h"

#include <errno.h>

/* msi_is_masked(): the guest's mask bit in QEMU's copy of the capability */
static bool qemu_msi_is_masked(const struct vmm_world *w, int dev)
{
	return w->vfio.msi.dev[dev].msi_maskbit &&
	       (w->qdev[dev].v[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
		PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

void msi_notify(struct irqsim_ctx *ctx, int dev)
{
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_msix_vector *qv = &w->qdev[dev].v[0];

	if (qemu_msi_is_masked(w, dev)) {
		qv->pba = 1;
		trace_msi_notify_pending(ctx, dev);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, 0),
			      IRQSIM_ACC_READ);
		return;
	}
	kvm_deliver_msi(ctx, qv->dw[PCI_MSIX_ENTRY_LOWER_ADDR],
			qv->dw[PCI_MSIX_ENTRY_DATA], "msi_notify");
}

/* The KVM route of MSI vector 0 from the guest's message, traced. */
static void vfio_msi_route(struct irqsim_ctx *ctx, int dev)
{
	struct vmm_world *w = vmm_w(ctx);
	int gsi = dev * IRQSIM_MAX_VECS;
	bool added = qemu_kvm_msi_route(ctx, dev, 0);

	if (added)
		trace_vfio_msi_route_added(ctx, dev, gsi, w->route[gsi].vcpu);
	else
		trace_vfio_msi_route_updated(ctx, dev, gsi, w->route[gsi].vcpu);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, dev, 0),
		      IRQSIM_ACC_READ);
}

/*
 * vfio_update_msi(): the KVM route of every vector that has one follows
 * the message the guest wrote (kvm_irqchip_update_msi_route() + commit).
 */
static void vfio_update_msi(struct irqsim_ctx *ctx, int dev)
{
	struct qemu_vfio_dev *q = &vmm_w(ctx)->qdev[dev];

	if (q->nr_vectors && q->v[0].use && q->v[0].virq >= 0)
		vfio_msi_route(ctx, dev);
}

struct qemu_vfio_msi_enable_frame {
	int dev;
};

/**
 * qemu_vfio_msi_enable - QEMU's vfio_msi_enable(), after the guest set
 * MSI enable
 * @dev: the device
 *
 * vfio_disable_interrupts() first (INTx goes), then every vector the
 * guest allocated (msi_nr_vectors_allocated(): one here) gets its
 * eventfd and a KVM route from the guest's message, committed in one
 * batch with its irqfd; interrupt = VFIO_INT_MSI "prior to possible
 * interrupts"; then vfio_enable_vectors(vdev, false): one SET_IRQS on
 * the MSI index with the KVM eventfd of every vector that has a route.
 * On failure vfio_msi_disable_common() and "Failed to enable MSI": the
 * interrupts stay disabled (a positive count would be retried with
 * fewer vectors; one vector has none fewer). The caller holds the BQL.
 *
 * Return: 0 or the ioctl's error.
 */
static enum irqsim_step qemu_vfio_msi_enable(struct irqsim_ctx *ctx,
					     struct irqsim_frame *f)
{
	struct qemu_vfio_msi_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_vfio_msi_enable_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_vfio_dev *q = &w->qdev[v->dev];
	struct qemu_msix_vector *qv = &q->v[0];

	IRQSIM_BEGIN(f);
	if (qemu_interrupt_mode(w, v->dev) != QEMU_INT_NONE)
		IRQSIM_CALL(call_vfio_disable_interrupts(ctx, v->dev));
	q->nr_vectors = 1;
	qv->use = 1;
	qv->virq = -1;
	vfio_msi_route(ctx, v->dev);
	q->msi_enabled = 1;
	trace_vfio_msi_enable_qemu(ctx, v->dev, q->nr_vectors);
	IRQSIM_YIELD_POINT();
	w->vfio.ioctl_fds[ctx->actor][0] =
		(int8_t)(qv->virq >= 0 ? qemu_kvm_efd(v->dev, 0) :
					 qemu_interrupt_efd(v->dev, 0));
	IRQSIM_CALL(call_vfio_pci_ioctl_set_irqs(
		ctx, v->dev,
		vfio_set_irqs_arg_flags(VFIO_PCI_MSI_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_EVENTFD),
		vfio_set_irqs_arg_range(0, 1), VFIO_FDS_IN_BUFFER));
	if (f->ret) {
		w->setirqs_failed_reported++;
		trace_error_report_enable(ctx, v->dev, 0, f->ret, "MSI");
		vfio_msi_disable_common(ctx, v->dev);
		IRQSIM_RETURN(ctx, f->ret);
	}
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_vfio_msi_enable);

static enum irqsim_step call_qemu_vfio_msi_enable(struct irqsim_ctx *ctx,
						  int dev)
{
	return irqsim_call(ctx, fn_qemu_vfio_msi_enable, dev, 0, 0, 0);
}

struct qemu_vfio_msi_disable_frame {
	int dev;
};

/**
 * qemu_vfio_msi_disable - QEMU's vfio_msi_disable(), after the guest
 * cleared MSI enable
 * @dev: the device
 *
 * vfio_device_irq_disable(MSI) (SET_IRQS MSI TRIGGER|DATA_NONE, count 0:
 * the kernel's vfio_msi_disable()), vfio_msi_disable_common() (the KVM
 * routes, irqfds and eventfds), then vfio_intx_enable() if the device
 * has a pin. The caller holds the BQL.
 */
static enum irqsim_step qemu_vfio_msi_disable(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct qemu_vfio_msi_disable_frame *v =
		IRQSIM_FRAME_VARS(f, struct qemu_vfio_msi_disable_frame);
	struct vmm_world *w = vmm_w(ctx);

	IRQSIM_BEGIN(f);
	trace_vfio_msi_disable_qemu(ctx, v->dev);
	IRQSIM_CALL(call_vfio_pci_ioctl_set_irqs(
		ctx, v->dev,
		vfio_set_irqs_arg_flags(VFIO_PCI_MSI_IRQ_INDEX,
					VFIO_IRQ_SET_ACTION_TRIGGER |
						VFIO_IRQ_SET_DATA_NONE),
		vfio_set_irqs_arg_range(0, 0), -1));
	vfio_msi_disable_common(ctx, v->dev);
	if (w->vfio.msi.dev[v->dev].intx.present)
		IRQSIM_CALL(call_qemu_vfio_intx_enable(ctx, v->dev));
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(qemu_vfio_msi_disable);

enum irqsim_step call_qemu_vfio_msi_disable(struct irqsim_ctx *ctx, int dev)
{
	return irqsim_call(ctx, fn_qemu_vfio_msi_disable, dev, 0, 0, 0);
}

struct vfio_pci_write_config_frame {
	int dev;
	int reg;		/* enum qemu_msi_reg */
	int value;
	int unused3;		/* an argument slot it does not take */
	int was_enabled;	/* msi_enabled() before the write */
};

/**
 * vfio_pci_write_config - QEMU's vfio_pci_write_config() for a write to
 * the MSI capability
 * @dev:   the device
 * @reg:   enum qemu_msi_reg: which register
 * @value: what the guest writes (the mask and enable as 0 or 1)
 *
 * First "Write everything to VFIO, let it filter out what we can't write":
 * a mask write reaches the device's mask bit (the kernel's MSI
 * permissions: NO_VIRT, ALL_WRITE), and that is the step the device can
 * see; address, data and flags are virtualized by the kernel. Then
 * pci_default_write_config() -> msi_write_config() stores the register in
 * QEMU's copy and, with MSI enabled and per-vector masking, sends what
 * QEMU itself holds pending for an unmasked vector (msi_notify()). Then
 * the enable bit's edge: vfio_msi_enable() or vfio_msi_disable();
 * otherwise, with MSI on, vfio_update_msi(). The caller holds the BQL.
 */
static enum irqsim_step vfio_pci_write_config(struct irqsim_ctx *ctx,
					      struct irqsim_frame *f)
{
	struct vfio_pci_write_config_frame *v =
		IRQSIM_FRAME_VARS(f, struct vfio_pci_write_config_frame);
	struct vmm_world *w = vmm_w(ctx);
	struct qemu_vfio_dev *q = &w->qdev[v->dev];
	struct qemu_msix_vector *qv = &q->v[0];
	struct pci_dev *pdev = &w->vfio.msi.dev[v->dev];
	uint32_t *ctrl;

	IRQSIM_BEGIN(f);
	if (v->reg == QEMU_MSI_REG_MASK && pdev->msi_maskbit) {
		ctrl = &pdev->table[0].dw[PCI_MSIX_ENTRY_VECTOR_CTRL];
		if (v->value)
			*ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
		else
			*ctrl &= ~PCI_MSIX_ENTRY_CTRL_MASKBIT;
		trace_vfio_pci_write_config_mask(ctx, v->dev, v->value);
		IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_MSIX_ENTRY, v->dev, 0),
			      IRQSIM_ACC_WRITE);
		IRQSIM_YIELD_POINT();
	}
	/* pci_default_write_config() -> msi_write_config() */
	v->was_enabled = q->msi_flags;
	if (v->reg == QEMU_MSI_REG_ADDRESS_LO)
		qv->dw[PCI_MSIX_ENTRY_LOWER_ADDR] = (uint32_t)v->value;
	else if (v->reg == QEMU_MSI_REG_DATA)
		qv->dw[PCI_MSIX_ENTRY_DATA] = (uint32_t)v->value;
	else if (v->reg == QEMU_MSI_REG_FLAGS)
		q->msi_flags = (uint8_t)!!v->value;
	else if (pdev->msi_maskbit)
		qv->dw[PCI_MSIX_ENTRY_VECTOR_CTRL] =
			v->value ? PCI_MSIX_ENTRY_CTRL_MASKBIT : 0;
	trace_msi_write_config(ctx, v->dev, v->reg, v->value);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(VMM_OBJ_GUEST_MSIX, v->dev, 0),
		      IRQSIM_ACC_WRITE);
	/* "deliver pending interrupts which are unmasked" */
	if (q->msi_flags && pdev->msi_maskbit && qv->pba &&
	    !qemu_msi_is_masked(w, v->dev)) {
		qv->pba = 0;
		msi_notify(ctx, v->dev);
	}
	if (!v->was_enabled && q->msi_flags)
		IRQSIM_CALL(call_qemu_vfio_msi_enable(ctx, v->dev));
	else if (v->was_enabled && !q->msi_flags)
		IRQSIM_CALL(call_qemu_vfio_msi_disable(ctx, v->dev));
	else if (v->was_enabled)
		vfio_update_msi(ctx, v->dev);
	IRQSIM_RETURN(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(vfio_pci_write_config);

static enum irqsim_step call_vfio_pci_write_config(struct irqsim_ctx *ctx,
						   int dev, int reg, int value)
{
	return irqsim_call(ctx, fn_vfio_pci_write_config, dev, reg, value, 0);
}

struct guest_msi_write_frame {
	int dev;
	int reg;
	int value;
};

/**
 * guest_msi_write - a write to the MSI capability in config space: it
 * traps (0xcf8/0xcfc or MMCONFIG), QEMU's handler runs under the BQL and
 * the VM entry after it is where the guest can take an interrupt, as for
 * every trapped access (guest.c)
 * @dev:   the device
 * @reg:   enum qemu_msi_reg
 * @value: what the guest writes
 */
static enum irqsim_step guest_msi_write(struct irqsim_ctx *ctx,
					struct irqsim_frame *f)
{
	struct guest_msi_write_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msi_write_frame);
	struct vmm_world *w = vmm_w(ctx);
	int vcpu = vmm_ctx_vcpu(ctx);

	IRQSIM_BEGIN(f);
	w->vcpu[vcpu].in_host = 1;
	IRQSIM_LOCK(ctx, VMM_LOCK_BQL);
	IRQSIM_CALL(call_vfio_pci_write_config(ctx, v->dev, v->reg, v->value));
	irqsim_unlock(ctx, VMM_LOCK_BQL);
	w->vcpu[vcpu].in_host = 0;
	IRQSIM_RETURN_YIELD(ctx, 0);
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msi_write);

static enum irqsim_step call_guest_msi_write(struct irqsim_ctx *ctx, int dev,
					     int reg, int value)
{
	return irqsim_call(ctx, fn_guest_msi_write, dev, reg, value, 0);
}

struct guest_msi_enable_frame {
	int dev;
	int vcpu;
};

/**
 * guest_msi_enable - the guest driver's pci_alloc_irq_vectors(PCI_IRQ_MSI)
 * with the message its request_irq() writes
 * @dev:  the device
 * @vcpu: the destination vCPU
 *
 * msi_capability_init(): with per-vector masking every vector is masked
 * first (pci_msi_mask()); the message (msi_domain_activate(): address,
 * data), then pci_msi_set_enable(dev, 1), which QEMU answers with
 * vfio_msi_enable(). The guest's unmask (irq_startup()) is
 * guest_msi_unmask. Every write is a trap of its own.
 */
static enum irqsim_step guest_msi_enable(struct irqsim_ctx *ctx,
					 struct irqsim_frame *f)
{
	struct guest_msi_enable_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msi_enable_frame);
	struct vmm_world *w = vmm_w(ctx);

	IRQSIM_BEGIN(f);
	if (w->vfio.msi.dev[v->dev].msi_maskbit)
		IRQSIM_CALL(call_guest_msi_write(ctx, v->dev,
						 QEMU_MSI_REG_MASK, 1));
	IRQSIM_CALL(call_guest_msi_write(
		ctx, v->dev, QEMU_MSI_REG_ADDRESS_LO,
		(int)(MSI_ADDR_BASE_LO |
		      (uint32_t)v->vcpu << MSI_ADDR_DEST_SHIFT)));
	IRQSIM_CALL(call_guest_msi_write(ctx, v->dev, QEMU_MSI_REG_DATA,
					 GUEST_VECTOR_BASE +
						 v->dev * IRQSIM_MAX_VECS));
	IRQSIM_CALL(call_guest_msi_write(ctx, v->dev, QEMU_MSI_REG_FLAGS, 1));
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msi_enable);

struct guest_msi_disable_frame {
	int dev;
};

/**
 * guest_msi_disable - the guest's pci_free_irq_vectors():
 * pci_msi_shutdown() clears MSI enable (QEMU's vfio_msi_disable()), then
 * unmasks the vector, "Return the device with MSI unmasked as initial
 * states"
 * @dev: the device
 */
static enum irqsim_step guest_msi_disable(struct irqsim_ctx *ctx,
					  struct irqsim_frame *f)
{
	struct guest_msi_disable_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msi_disable_frame);
	struct vmm_world *w = vmm_w(ctx);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_guest_msi_write(ctx, v->dev, QEMU_MSI_REG_FLAGS, 0));
	if (w->vfio.msi.dev[v->dev].msi_maskbit)
		IRQSIM_CALL(call_guest_msi_write(ctx, v->dev,
						 QEMU_MSI_REG_MASK, 0));
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msi_disable);

struct guest_msi_mask_frame {
	int dev;
	int mask;
};

/**
 * guest_msi_mask - the guest's pci_msi_mask() or pci_msi_unmask() of a
 * vector with per-vector masking (mask_irq(), irq_startup(), an affinity
 * move): one write of the Mask Bits register
 * @dev:  the device
 * @mask: 1 to mask, 0 to unmask
 */
static enum irqsim_step guest_msi_mask(struct irqsim_ctx *ctx,
				       struct irqsim_frame *f)
{
	struct guest_msi_mask_frame *v =
		IRQSIM_FRAME_VARS(f, struct guest_msi_mask_frame);

	IRQSIM_BEGIN(f);
	IRQSIM_CALL(call_guest_msi_write(ctx, v->dev, QEMU_MSI_REG_MASK,
					 v->mask));
	IRQSIM_END(ctx);
}
IRQSIM_DEFINE_FN(guest_msi_mask);
