/* SPDX-License-Identifier: MIT */
/*
 * VFIO interrupts: VFIO_DEVICE_SET_IRQS for MSI-X and INTx, the vfio-pci
 * interrupt contexts, virqfds and eventfds with reference counts.
 *
 * Models drivers/vfio/pci/vfio_pci_intrs.c, the SET_IRQS validation of
 * drivers/vfio/vfio_main.c (vfio_set_irqs_validate_and_prepare) and
 * fs/eventfd.c reference counting (Linux v6.18).
 */
#ifndef IRQSIM_VFIO_H
#define IRQSIM_VFIO_H

#include "msi/msi.h"

/* Two per MSI-X vector, then two per INTx pin (see vmm.h). */
#define IRQSIM_MAX_EVENTFDS	(IRQSIM_MAX_DEVS * (IRQSIM_MAX_VECS + 1) * 2)

/* include/uapi/linux/vfio.h */
#define VFIO_IRQ_SET_DATA_NONE		(1 << 0)
#define VFIO_IRQ_SET_DATA_BOOL		(1 << 1)
#define VFIO_IRQ_SET_DATA_EVENTFD	(1 << 2)
#define VFIO_IRQ_SET_ACTION_MASK	(1 << 3)
#define VFIO_IRQ_SET_ACTION_UNMASK	(1 << 4)
#define VFIO_IRQ_SET_ACTION_TRIGGER	(1 << 5)
#define VFIO_IRQ_SET_DATA_TYPE_MASK	0x7
#define VFIO_IRQ_SET_ACTION_TYPE_MASK	0x38

enum {
	VFIO_PCI_INTX_IRQ_INDEX,
	VFIO_PCI_MSI_IRQ_INDEX,
	VFIO_PCI_MSIX_IRQ_INDEX,
	VFIO_PCI_ERR_IRQ_INDEX,
	VFIO_PCI_REQ_IRQ_INDEX,
	VFIO_PCI_NUM_IRQS,
};

/* igate (a mutex) and irqlock (a spinlock, irqsave) per device */
#define VFIO_LOCK_IGATE(dev)	(IRQ_NR_LOCKS + (dev))
#define VFIO_LOCK_IRQLOCK(dev)	(IRQ_NR_LOCKS + IRQSIM_MAX_DEVS + (dev))
#define VFIO_NR_LOCKS		(IRQ_NR_LOCKS + 2 * IRQSIM_MAX_DEVS)

/* Shared objects of this layer, for the event log (IRQSIM_OBJ kinds). */
#define VFIO_OBJ_EVENTFD	0x30	/* eventfd counter [efd] */
#define VFIO_OBJ_INTX_MASKED	0x31	/* INTx ctx->masked [dev] */

/*
 * An eventfd: the file reference its creator holds (@open), references
 * taken by eventfd_ctx_fdget() (@refs), the counter, and the wakeup
 * consumers registered on it: a KVM irqfd (@irqfd), KVM's resampler of
 * a level irqfd (@resampler), a VFIO virqfd (@virqfd).
 */
struct eventfd_ctx {
	uint8_t open;
	int8_t refs;
	int8_t irqfd;		/* consumer id, -1: none (read by poll) */
	uint8_t resampler;	/* KVM holds it as a resamplefd */
	uint16_t count;
	uint16_t signals;
	int8_t virqfd;		/* the device whose unmask virqfd it feeds */
};

/*
 * A vfio_pci_irq_ctx. For MSI-X one per vector; INTx uses ctx[0] with
 * @masked and its unmask virqfd.
 */
struct vfio_pci_irq_ctx {
	int8_t trigger;		/* eventfd, -1: no ctx */
	uint8_t masked;		/* INTx: masked by VFIO (ctx->masked) */
	int8_t unmask;		/* INTx: unmask virqfd eventfd, -1: none */
};

struct vfio_pci_core_device {
	uint8_t irq_type;	/* VFIO_PCI_*_IRQ_INDEX or VFIO_PCI_NUM_IRQS */
	uint8_t num_ctx;	/* MSI-X: entries 0..num_ctx-1 may have an irq */
	uint8_t virq_disabled;	/* guest set DisINTx in its config view */
	struct vfio_pci_irq_ctx ctx[IRQSIM_MAX_VECS];
};

struct vfio_stats {
	uint16_t set_irqs_errors;
	uint16_t vectors_without_handler;	/* error path left one */
	uint16_t intx_enable_errors;		/* vfio_intx_enable failed */
	uint32_t intx_enable_error_step;	/* ... and returned, last */
};

/*
 * irq bypass (virt/lib/irqbypass.c): producers (VFIO, one per MSI-X
 * vector: token = its trigger eventfd, the host irq) and consumers (KVM
 * irqfds: token = their eventfd, so one slot per eventfd) pair up when
 * their tokens match. -1: not registered / not connected.
 */
struct irq_bypass_producer {
	int8_t token;
	int8_t irq;
	int8_t consumer;	/* the connected consumer's eventfd */
};

struct irq_bypass_consumer {
	uint8_t registered;
	int8_t gsi;		/* the irqfd's GSI (KVM's data) */
	int8_t producer;	/* dev * IRQSIM_MAX_VECS + vec */
};

struct irq_bypass {
	struct irq_bypass_producer prod[IRQSIM_MAX_DEVS][IRQSIM_MAX_VECS];
	struct irq_bypass_consumer cons[IRQSIM_MAX_EVENTFDS];
};

struct vfio_world {
	struct msi_world msi;
	struct eventfd_ctx efd[IRQSIM_MAX_EVENTFDS];
	struct vfio_pci_core_device vdev[IRQSIM_MAX_DEVS];
	/* SET_IRQS data copied from each caller (copy_from_user). */
	int8_t ioctl_fds[IRQSIM_MAX_ACTORS][IRQSIM_MAX_VECS];
	struct vfio_stats stats;
	struct irq_bypass bypass;
};

/*
 * The consumer's callbacks (KVM: kvm_arch_irq_bypass_add_producer /
 * _del_producer), run inside the registering step with the pairing
 * already recorded. Return: true if they changed something visible (an
 * IRTE).
 */
struct irq_bypass_consumer_ops {
	bool (*add_producer)(struct irqsim_ctx *ctx, int efd, int irq);
	bool (*del_producer)(struct irqsim_ctx *ctx, int efd, int irq);
};

void irq_bypass_set_consumer_ops(const struct irq_bypass_consumer_ops *ops);

/**
 * irq_bypass_register_consumer - a KVM irqfd on @efd (token) for @gsi;
 * connects to a producer registered with the same token
 * Return: 0, -EBUSY (token already registered); *@visible is set when
 * the connection rewrote an IRTE.
 */
int irq_bypass_register_consumer(struct irqsim_ctx *ctx, int efd, int gsi,
				 bool *visible);
/**
 * irq_bypass_unregister_consumer - the KVM irqfd on @efd goes (its
 * deassign's irqfd_shutdown()): disconnected from its producer first,
 * whose IRTE the consumer's del_producer puts back in remapped mode
 * (*@visible set when it did)
 */
void irq_bypass_unregister_consumer(struct irqsim_ctx *ctx, int efd,
				    bool *visible);
/* The producer of @dev's vector @vec, or NULL. */
const struct irq_bypass_producer *
irq_bypass_producer_of(const struct vfio_world *vw, int dev, int vec);

/* Values of the update_devid knob (vfio_msi_set_vector_signal). */
enum vfio_update_devid {
	UPDATE_DEVID_OFF,	/* mainline: free_irq() + request_irq() */
	UPDATE_DEVID_V4,	/* the 2019 series, v4 3/3 as posted */
	UPDATE_DEVID_FIXED,	/* v5 3/3: with the review's fixes */
};

extern int vfio_knob_update_devid;

extern int fn_vfio_pci_ioctl_set_irqs;
/* @index_flags: vfio_set_irqs_arg_flags(); @start_count: _arg_range() */
enum irqsim_step call_vfio_pci_ioctl_set_irqs(struct irqsim_ctx *ctx, int dev,
					      int index_flags, int start_count,
					      int fd);
extern int fn_vfio_virqfd_wakeup;
enum irqsim_step call_vfio_virqfd_wakeup(struct irqsim_ctx *ctx, int efd);
extern int vfio_knob_intx_unlazy;
extern int vfio_knob_dyn_msix;

/**
 * vfio_pci_msix_noresize - VFIO_DEVICE_GET_IRQ_INFO of the MSI-X index
 * reports VFIO_IRQ_INFO_NORESIZE: the kernel cannot add a vector to an
 * enabled index (before v6.5's dynamic MSI-X, or !vdev->has_dyn_msix)
 */
bool vfio_pci_msix_noresize(const struct irqsim_ctx *ctx);

/* Values of the intx_unlazy knob. */
enum vfio_intx_unlazy {
	INTX_UNLAZY_OFF,	/* before 8b9f128947dd */
	INTX_UNLAZY_V2,		/* [PATCH v2]: not cleared on the error path */
	INTX_UNLAZY_ON,		/* 8b9f128947dd as merged (v6.18) */
};

/* dev_id of VFIO's INTx action (the vfio_pci_irq_ctx of the device). */
static inline int32_t vfio_intx_dev_id(int dev)
{
	return 2000 + dev;
}

/* Called inside eventfd_signal() when a consumer is registered. */
typedef void (*eventfd_wakeup_fn)(struct irqsim_ctx *ctx, int efd);

/**
 * vfio_init - register this layer's functions
 * @wakeup: the wakeup of registered eventfd consumers (KVM irqfd), which
 *          runs synchronously inside eventfd_signal() as irqfd_wakeup does
 */
void vfio_init(eventfd_wakeup_fn wakeup);

void vfio_world_init(struct vfio_world *vw);

/*
 * eventfd_signal(): count++, and a KVM irqfd's wakeup runs. A VFIO virqfd
 * consumer is a modeled function: the signaler calls it itself
 * (call_vfio_virqfd_wakeup(ctx, efd)) when eventfd_has_virqfd().
 */
void eventfd_signal(struct irqsim_ctx *ctx, int efd);

/**
 * vfio_virqfd_hup - the last file of eventfd @efd was closed: a VFIO
 * virqfd on it sees EPOLLHUP and goes (drivers/vfio/virqfd.c
 * virqfd_wakeup()), as when userspace closes the INTx unmask eventfd
 * (QEMU's vfio_intx_disable_kvm())
 * @ctx: the closing actor's context
 * @efd: the eventfd
 */
void vfio_virqfd_hup(struct irqsim_ctx *ctx, int efd);

static inline bool eventfd_has_virqfd(const struct vfio_world *vw, int efd)
{
	return vw->efd[efd].virqfd >= 0;
}

/* References an eventfd should have: its file, irqfd, VFIO contexts. */
int vfio_expected_eventfd_refs(const struct vfio_world *vw, int efd);

/* SET_IRQS fd argument meaning "the fds are in the caller's ioctl_fds". */
#define VFIO_FDS_IN_BUFFER	(-100)

/* Pack SET_IRQS arguments for a function frame. */
static inline int32_t vfio_set_irqs_arg_flags(int index, int flags)
{
	return (index << 16) | flags;
}

static inline int32_t vfio_set_irqs_arg_range(int start, int count)
{
	return (start << 8) | count;
}

#endif /* IRQSIM_VFIO_H */
