/* SPDX-License-Identifier: MIT */
/*
 * MSI-X messages, PCI devices (MSI-X table as raw dwords, PBA, enable and
 * function mask) and device behaviour models.
 *
 * Models drivers/pci/msi/msi.c (__pci_write_msi_msg, pci_msix_mask),
 * drivers/pci/msi/irqdomain.c (the PCI-MSIX irq_chip) and the activation
 * part of kernel/irq/msi.c (msi_domain_activate/deactivate) (Linux
 * v6.18). The x86 parent's side of an MSI (message composition, the
 * affinity setter, the ack) is in src/apic and src/x86.
 */
#ifndef IRQSIM_MSI_H
#define IRQSIM_MSI_H

#include "x86/x86.h"

#define IRQSIM_MAX_DEVS		2
#define IRQSIM_MAX_VECS		4

/* MSI-X table entry layout (PCI spec): four dwords. */
#define PCI_MSIX_ENTRY_LOWER_ADDR	0
#define PCI_MSIX_ENTRY_UPPER_ADDR	1
#define PCI_MSIX_ENTRY_DATA		2
#define PCI_MSIX_ENTRY_VECTOR_CTRL	3
#define PCI_MSIX_ENTRY_CTRL_MASKBIT	0x1

/* Shared objects of this layer, for the event log (IRQSIM_OBJ kinds). */
#define MSI_OBJ_MSIX_ENTRY	0x20	/* dev's MSI-X table entry [vec] */
#define MSI_OBJ_DEV_STATUS	0x21	/* dev's event status bit [vec] */
#define MSI_OBJ_INTX		0x22	/* dev's INTx: status, DisINTx, line */
#define MSI_OBJ_IRTE		0x23	/* the IRTE of Linux irq [irq] */

/* What the device does when an event occurs. */
enum pci_dev_behaviour {
	/*
	 * tglx's "real world hardware": a new MSI only after the driver
	 * read the status register (wait_for_driver_ack).
	 */
	DEV_WAIT_FOR_ACK,
	/* An MSI for every event. */
	DEV_FREE_RUNNING,
};

struct msix_entry {
	uint32_t dw[4];
};

/**
 * struct pci_intx - the INTx side of a PCI function (pin A), level
 * @present:    the function has an interrupt pin
 * @pci_2_3:    PCI 2.3 interrupt masking: PCI_COMMAND_INTX_DISABLE works
 *              and PCI_STATUS_INTERRUPT reports a pending interrupt
 * @disable:    PCI_COMMAND_INTX_DISABLE (ignored by a pre-2.3 device)
 * @status:     an event the driver has not serviced yet (the device's own
 *              status; PCI_STATUS_INTERRUPT on a 2.3 device)
 * @line:       the line as the device drives it: @status && !@disable
 * @irq:        the Linux irq (pdev->irq), wired to controller pin = dev
 * @raised:     events
 * @consumed:   driver reads that found an event
 * @empty_reads: driver reads that found none
 * @last_raise_step: step of the last event
 * @pending_step: step of the event that set @status (0: none pending); a
 *              later event while one is unserviced changes nothing
 */
struct pci_intx {
	uint8_t present;
	uint8_t pci_2_3;
	uint8_t disable;
	uint8_t status;
	uint8_t line;
	int8_t irq;
	uint16_t raised;
	uint16_t consumed;
	uint16_t empty_reads;
	uint32_t last_raise_step;
	uint32_t pending_step;
};

/* What the APIC did with a device's MSI (pci_dev.sent_fate). */
enum msi_fate {
	MSI_FATE_NONE,
	MSI_FATE_IRR,		/* set a clear IRR bit */
	MSI_FATE_MERGED,	/* the IRR bit was already set: one interrupt */
	MSI_FATE_DEAD_APIC,	/* the target CPU is offline and dead */
	MSI_FATE_BAD_ADDR,	/* not an APIC address or an illegal vector */
};

struct pci_dev {
	uint8_t present;
	uint8_t behaviour;
	uint8_t nvec;			/* MSI-X table size */
	uint8_t msix_enabled;
	uint8_t msix_func_mask;
	uint8_t msi_plain;		/* an MSI capability, not MSI-X */
	uint8_t msi_maskbit;		/* MSI per-vector masking capable */
	uint8_t affinity;		/* host CPU mask of its irqs */
	uint8_t status;			/* per vector: an event not yet read */
	uint8_t wait_ack;		/* per vector: wait_for_driver_ack */
	uint8_t intr_enable;		/* per vector: device-level enable */
	uint8_t pba;			/* per vector: pending bit array */
	struct msix_entry table[IRQSIM_MAX_VECS];
	struct msi_msg cached[IRQSIM_MAX_VECS];	/* msi_desc->msg */
	int8_t irq[IRQSIM_MAX_VECS];		/* Linux irq, 0: none */
	uint16_t raised[IRQSIM_MAX_VECS];	/* events */
	uint16_t sent[IRQSIM_MAX_VECS];		/* MSI writes to the APIC */
	uint16_t consumed[IRQSIM_MAX_VECS];	/* driver reads that found one */
	uint16_t empty_reads[IRQSIM_MAX_VECS];	/* driver reads with none */
	uint32_t last_raise_step[IRQSIM_MAX_VECS];
	/*
	 * Step of the event the driver has not serviced yet: set when the
	 * status bit goes from clear to set, 0 once a driver read clears it.
	 * A wait-for-ack device coalesces later events into this one (they
	 * send nothing), so this, not @last_raise_step, is the event whose
	 * message was lost. History only.
	 */
	uint32_t pending_step[IRQSIM_MAX_VECS];
	/*
	 * The fate of the vector's last message (history only, for the
	 * lost-interrupt verdict): the step it went on the bus, the CPU and
	 * vector it named, and what the APIC did with it (enum msi_fate).
	 */
	uint32_t sent_step[IRQSIM_MAX_VECS];
	uint8_t sent_cpu[IRQSIM_MAX_VECS];
	uint8_t sent_vector[IRQSIM_MAX_VECS];
	uint8_t sent_fate[IRQSIM_MAX_VECS];
	uint16_t misdirected;			/* MSI to a non-APIC address */
	/*
	 * Events while MSI-X was disabled on the device (a VFIO NORESIZE
	 * growth tears the whole index down): not sent as MSI, redirected
	 * to the INTx pin if the function has one. @msix_off_step is the
	 * step of the last one plus 1 (0: none); history only.
	 */
	uint16_t msix_off_events;
	uint8_t msix_off_vecs;			/* per vector: such an event */
	uint8_t msix_off_intx;			/* ... sent on the INTx pin */
	uint32_t msix_off_step;
	struct pci_intx intx;
};

/**
 * struct irte - the interrupt remapping table entry of a Linux irq, as far
 * as posted interrupts go (drivers/iommu/intel/irq_remapping.c)
 * @posted: posted mode: the IOMMU sets guest vector @gvec in the PIR of
 *          vCPU @vcpu's posted-interrupt descriptor and notifies; the host
 *          takes no interrupt. 0: remapped mode, the message reaches the
 *          host vector (in this model: what the MSI-X entry says; the
 *          model has no remappable message format)
 * @vcpu, @gvec: copied from KVM's MSI route when it was written
 *          (vmx_pi_update_irte() through irq_set_vcpu_affinity())
 * @token:  the eventfd of the irq bypass pairing it was written for (only
 *          meaningful while @posted; a remapped entry is all zero)
 */
struct irte {
	uint8_t posted;
	uint8_t vcpu;
	uint8_t gvec;
	int8_t token;
};

struct msi_world {
	struct irq_world irq;
	uint8_t ndev;
	int8_t irq_dev[IRQSIM_MAX_IRQS];
	int8_t irq_vec[IRQSIM_MAX_IRQS];
	struct pci_dev dev[IRQSIM_MAX_DEVS];
	struct irte irte[IRQSIM_MAX_IRQS];
};

extern int fn_pci_dev_raise;
extern int fn_host_request_irq;
extern int fn_host_free_irq;
extern int fn_disable_irq_in_device;
extern int fn_enable_irq_in_device;
extern int fn_pci_msix_enable;
extern int fn_pci_dev_raise_intx;
extern int msi_knob_intx_flow;	/* 0 handle_fasteoi_irq, 1 handle_level_irq */
extern int msi_knob_msix_quota;	/* at most this many MSI-X vectors; 0: any */

extern int msi_knob_posted_intr;	/* the IOMMU posts to vCPUs */

/*
 * The IOMMU posts a message of @irq through its posted-mode @irte: the
 * KVM side sets the PIR bit and notifies the vCPU (see vmm). Runs inside
 * the device's step.
 */
typedef void (*msi_pi_post_fn)(struct irqsim_ctx *ctx, int irq,
			       const struct irte *irte);
void msi_set_pi_post(msi_pi_post_fn fn);

/**
 * irq_set_vcpu_affinity - kernel/irq/manage.c irq_set_vcpu_affinity() ->
 * the IR chip's intel_ir_set_vcpu_affinity(): rewrite the IRTE of @irq
 * to posted mode for (@vcpu, @gvec) on behalf of the pairing @token, or
 * (@posted false) back to remapped mode. Part of the caller's step.
 * Return: true if the IRTE changed.
 */
bool irq_set_vcpu_affinity(struct irqsim_ctx *ctx, int irq, bool posted,
			   int vcpu, int gvec, int token);
extern int fn_host_set_affinity;
extern int fn_pci_msi_enable;
extern int fn_pci_write_msi_msg;
/* __pci_write_msi_msg() of message @kind to the MSI-X entry of @irq. */
enum irqsim_step call_pci_write_msi_msg(struct irqsim_ctx *ctx, int irq,
					enum msi_msg_kind kind, int address_lo,
					int data);

void msi_init(void);

/* Index of @pdev in the world's device array. */
int msi_dev_index(const struct msi_world *mw, const struct pci_dev *pdev);

/**
 * msi_add_device - a PCI device with an MSI-X capability of @nvec entries
 * Return: the device index, or -ENOSPC / -EINVAL.
 */
int msi_add_device(struct msi_world *mw, int nvec,
		   enum pci_dev_behaviour behaviour, uint8_t affinity);

/**
 * pci_alloc_irq_vectors - MSI-X enable with @nvec vectors: Linux irqs,
 * vector reservations, early activation with the shutdown vector, entries
 * masked (msix_mask_all), MSI-X enable set. All or nothing: on failure
 * no irq or reservation is left behind.
 * Return: @nvec, -EINVAL (MSI-X already enabled, bad @nvec) or -ENOSPC.
 */
int pci_alloc_irq_vectors(struct msi_world *mw, int dev, int nvec);

/**
 * pci_alloc_irq_vectors_range - pci_alloc_irq_vectors(pdev, @minvec,
 * @maxvec, PCI_IRQ_MSIX) -> __pci_enable_msix_range(): a platform that
 * grants fewer vectors than asked (@quota, 0 = no limit) makes
 * msix_capability_init() return that count, and the range retries with
 * it, as pSeries' rtas_prepare_msi_irqs() quota does
 * Return: the number of vectors enabled (between @minvec and @maxvec),
 * -ENOSPC if fewer than @minvec can be had, or the allocation's error.
 */
int pci_alloc_irq_vectors_range(struct msi_world *mw, int dev, int minvec,
				int maxvec, int quota);

/**
 * pci_msix_alloc_irq_at - dynamic MSI-X (drivers/pci/msi/api.c, v6.2+):
 * one more Linux irq for table entry @index of a device with MSI-X
 * enabled, set up as pci_alloc_irq_vectors() sets up each of its own
 * (reservation, shutdown-vector message, entry masked); the others are
 * not touched
 * Return: the Linux irq, -EINVAL (MSI-X off, @index out of range or
 * already allocated) or -ENOSPC.
 */
int pci_msix_alloc_irq_at(struct msi_world *mw, int dev, int index);

/**
 * pci_free_irq_vectors - pci_disable_msix(): MSI-X enable cleared on the
 * device (pci_msix_shutdown: the function falls back to its INTx pin),
 * then every Linux irq and its reservation freed
 */
void pci_free_irq_vectors(struct msi_world *mw, int dev);

/**
 * pci_alloc_irq_vectors_msi - pci_alloc_irq_vectors(PCI_IRQ_MSI) with one
 * vector on a device with an MSI capability (msi_plain): a maskable MSI in
 * reservation mode like MSI-X; a non-maskable one activated at once with a
 * real vector (no reservation mode)
 * Return: 1, -EINVAL (no MSI capability, already enabled) or -ENOSPC.
 */
int pci_alloc_irq_vectors_msi(struct msi_world *mw, int dev);

/**
 * pci_free_irq_vectors_msi - pci_free_irq_vectors() of a device in MSI
 * mode: pci_msi_shutdown() clears MSI enable and unmasks the vector (the
 * initial state), then the irq and its vector go
 */
void pci_free_irq_vectors_msi(struct msi_world *mw, int dev);

/**
 * pci_dev_read_status - the driver reads (and so acknowledges) the status
 * of vector @vec: clears the event and wait_for_driver_ack
 * Return: true if an event was pending.
 */
bool pci_dev_read_status(struct irqsim_ctx *ctx, int dev, int vec);

/* Is a pending (PBA) message of @dev deliverable now? Lowest vec or -1. */
int msi_device_pending(const struct msi_world *mw, int dev);
/* The device sends its pending message for @vec (PBA cleared). */
void msi_device_send_pending(struct irqsim_ctx *ctx, int dev, int vec);

/**
 * pci_intx_init - give device @dev an INTx pin wired to controller pin
 * @dev: its Linux irq (level, IRQ_LEVEL), reserved in the vector matrix,
 * flow handler handle_fasteoi_irq (or handle_level_irq with @level_flow)
 * Return: the irq, or -ENOSPC / -EINVAL / -EBUSY.
 */
int pci_intx_init(struct msi_world *mw, int dev, bool pci_2_3,
		  bool level_flow);

/* pci_intx(): set (!@enable) or clear PCI_COMMAND_INTX_DISABLE. */
void pci_intx(struct irqsim_ctx *ctx, int dev, bool enable);
/* pci_check_and_mask_intx(): if PCI_STATUS_INTERRUPT, set DisINTx. */
bool pci_check_and_mask_intx(struct irqsim_ctx *ctx, int dev);
/* pci_check_and_unmask_intx(): clear DisINTx unless one is pending. */
bool pci_check_and_unmask_intx(struct irqsim_ctx *ctx, int dev);
/**
 * pci_intx_read_status - the driver services the device: reads its status
 * and clears the event, which deasserts the line
 * Return: true if an event was pending.
 */
bool pci_intx_read_status(struct irqsim_ctx *ctx, int dev);

static inline bool msix_entry_masked(const struct pci_dev *pdev, int vec)
{
	return pdev->table[vec].dw[PCI_MSIX_ENTRY_VECTOR_CTRL] &
	       PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

#endif /* IRQSIM_MSI_H */
