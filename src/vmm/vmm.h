/* SPDX-License-Identifier: MIT */
/*
 * The VMM and the guest: QEMU's MSI-X emulation and VFIO glue (vector use
 * and release, PBA shadow, KVM irqfd and MSI routes, the main loop), KVM
 * irqfd delivery to a guest vCPU, and the guest driver. Also the machine:
 * the actors of a scenario and the transitions the engine chooses from.
 *
 * Models QEMU hw/vfio/pci.c (vfio_msix_vector_do_use,
 * vfio_msix_vector_release, vfio_msi_interrupt, vfio_enable_vectors;
 * INTx: vfio_intx_enable, vfio_intx_enable_kvm, vfio_intx_interrupt,
 * vfio_intx_eoi), hw/pci/msix.c (msix_table_mmio_write,
 * msix_handle_mask_update, msix_notify) and Linux virt/kvm/eventfd.c
 * (irqfd_wakeup, irqfd_inject, irqfd_resampler_ack).
 */
#ifndef IRQSIM_VMM_H
#define IRQSIM_VMM_H

#include "vfio/vfio.h"

#define IRQSIM_MAX_VCPUS	2
#define IRQSIM_MAX_GSIS		(IRQSIM_MAX_DEVS * IRQSIM_MAX_VECS)
/* Guest vectors: 0x40 + dev * IRQSIM_MAX_VECS + vec. */
#define GUEST_VECTOR_BASE	0x40
/* A device's guest INTx: pending bit (and vector offset) after the MSIs. */
#define GUEST_INTX_IDX(dev)	(IRQSIM_MAX_GSIS + (dev))

/* Shared objects of this layer, for the event log (IRQSIM_OBJ kinds). */
#define VMM_OBJ_VIRR		0x40	/* guest vIRR [vcpu][idx] */
#define VMM_OBJ_GUEST_MSIX	0x41	/* QEMU's emulated entry [dev][vec] */
#define VMM_OBJ_GUEST_INTX	0x42	/* guest INTx line, in service [dev] */

/* QEMU's view of one MSI-X vector (VFIOMSIVector + the emulated entry). */
struct qemu_msix_vector {
	uint32_t dw[4];		/* the table entry as the guest wrote it */
	uint8_t pba;		/* hw/pci/msix.c pending bit */
	uint8_t use;
	int8_t virq;		/* KVM GSI, -1: userspace delivery */
	uint8_t reinjected;	/* re-injections not yet seen by the guest */
	uint8_t released;	/* masked, vfio_msix_vector_release() done */
};

/*
 * QEMU's INTx state of a device (VFIOINTx) and the guest's view of the
 * pin: a level line into the guest's interrupt controller (KVM's IOAPIC
 * with an irqfd, or QEMU's pci_irq_assert()), vCPU 0 its destination.
 */
struct qemu_intx {
	uint8_t enabled;	/* vdev->interrupt == VFIO_INT_INTx */
	uint8_t kvm_accel;	/* irqfd + resamplefd (vfio_intx_enable_kvm) */
	uint8_t pending;	/* userspace path: asserted, no EOI yet */
	uint8_t guest_level;	/* the guest's line */
	uint8_t guest_in_service;	/* delivered, guest EOI not yet */
};

struct qemu_vfio_dev {
	uint8_t nr_vectors;
	uint8_t msix_enabled;
	struct qemu_msix_vector v[IRQSIM_MAX_VECS];
	struct qemu_intx intx;
};

struct kvm_msi_route {
	uint8_t valid;
	uint8_t vcpu;
	uint8_t idx;		/* dev * IRQSIM_MAX_VECS + vec */
};

struct guest_vcpu {
	uint32_t virr;		/* pending guest vectors, by idx */
	uint8_t in_host;	/* vmexit: QEMU/KVM code runs */
};

struct guest_stats {
	uint16_t handled;
	uint16_t spurious_benign;	/* after a VMM re-inject */
	uint16_t spurious;		/* nothing pending, no re-inject */
	uint16_t lost_no_route;
	uint16_t intx_irqs;		/* guest INTx interrupts taken */
};

/* Why a posted delivery went through a stale IRTE (enum, for the story). */
enum pi_stale_why {
	PI_FRESH,
	PI_STALE_NO_ACTION,	/* the host irq has no action any more */
	PI_STALE_DEV_ID,	/* the host action signals another eventfd */
	PI_STALE_UNPAIRED,	/* the producer/consumer pairing is gone */
	PI_STALE_ROUTE,		/* KVM's route for the GSI says otherwise */
};

/*
 * Posted interrupts and what the oracles judge about deliveries into the
 * guest. Only @posted is pure history (cleared in vmm_canonical); the
 * rest is judged by check_step() and must stay in the fingerprint, or the
 * search's independence test would find a violating order and its
 * harmless twin "equal" and sleep one of them.
 */
struct pi_stats {
	uint16_t posted;		/* messages the IOMMU posted */
	uint16_t stale;			/* ... through a stale IRTE */
	uint32_t stale_step;
	uint8_t stale_why, stale_irq;
	int8_t stale_token, stale_dev_id;
	uint16_t masked;		/* KVM injections into a masked vector */
	uint32_t masked_step;
	uint8_t masked_dev, masked_vec;
	uint8_t masked_posted;		/* the last one was posted */
};

struct vmm_world {
	struct vfio_world vfio;
	struct qemu_vfio_dev qdev[IRQSIM_MAX_DEVS];
	struct kvm_msi_route route[IRQSIM_MAX_GSIS];
	struct guest_vcpu vcpu[IRQSIM_MAX_VCPUS];
	struct guest_stats guest;
	uint16_t setirqs_failed_reported;	/* QEMU error_report() */
	/*
	 * vmm_setirqs_error=stop: QEMU stopped the VM because the host
	 * could not set up a vector the guest unmasked (@stop_dev,
	 * @stop_vec, the error @stop_ret, at step @stop_step).
	 */
	uint8_t guest_stopped;
	int8_t stop_dev, stop_vec;
	int16_t stop_ret;
	uint32_t stop_step;
	struct pi_stats pi;
};

/* Actor roles in a machine. */
enum vmm_role {
	ROLE_TASK,		/* host kernel or QEMU thread on a CPU */
	ROLE_VCPU,		/* a vCPU thread: guest code, exits into QEMU */
	ROLE_DEVICE,		/* a PCI device */
	ROLE_HARDIRQ,		/* a CPU's hard-irq context */
	ROLE_QEMU_MAIN,		/* QEMU's main loop (eventfd handlers) */
	ROLE_GUEST_IRQ,		/* a vCPU's guest interrupt context */
};

#define IRQSIM_NAME_LEN 24

/* The machine: actors and their roles; constant during a run. */
struct vmm_machine {
	int nr_cpus;
	int nr_vcpus;
	int nactors;
	struct {
		char name[IRQSIM_NAME_LEN];
		uint8_t role;
		int8_t cpu;	/* host CPU, -1 for devices */
		int8_t vcpu;	/* for ROLE_VCPU and ROLE_GUEST_IRQ */
		int8_t dev;	/* for ROLE_DEVICE: the device it drives */
	} actor[IRQSIM_MAX_ACTORS];
	int8_t vcpu_actor[IRQSIM_MAX_VCPUS];
	int8_t guest_irq_actor[IRQSIM_MAX_VCPUS];
	int8_t qemu_main_actor;
	int8_t dev_actor[IRQSIM_MAX_DEVS];
};

/* Transition kinds (code = kind << 8 | index). */
enum vmm_transition {
	T_STEP,		/* index: actor */
	T_IRQ,		/* index: host CPU takes an interrupt */
	T_QEMU_MAIN,	/* index: eventfd the main loop handles */
	T_GUEST_IRQ,	/* index: vCPU takes a guest interrupt */
	T_DEV_PBA,	/* index: device sends a pending message */
};

extern int vmm_knob_reinject;
extern int vmm_knob_no_kvm_intx;
extern int vmm_knob_msix_dynamic;
extern int vmm_knob_msix_enable_nofd;
extern int vmm_knob_setirqs_error;

/* Values of vmm_setirqs_error. */
enum vmm_setirqs_error {
	VMM_SETIRQS_ERROR_LOG,		/* error_report() and go on (QEMU) */
	VMM_SETIRQS_ERROR_STOP,		/* stop the VM: well defined */
};

/* Function ids usable from trace programs. */
extern int fn_vfio_set_irqs;
extern int fn_qemu_vfio_msix_enable;
extern int fn_guest_msix_mask;
extern int fn_guest_msix_unmask;
extern int fn_guest_set_affinity;
extern int fn_guest_msix_write;
extern int fn_qemu_vfio_intx_enable;
extern int fn_qemu_vfio_set_irqs_intx;
extern int fn_guest_msix_enable;
extern int fn_guest_request_irq;

/* Actions of the trace operation vfio_set_irqs_intx. */
enum qemu_intx_action {
	QEMU_INTX_MASK,		/* ACTION_MASK | DATA_NONE */
	QEMU_INTX_UNMASK,	/* ACTION_UNMASK | DATA_NONE */
	QEMU_INTX_TRIGGER,	/* ACTION_TRIGGER | DATA_NONE (loopback) */
	QEMU_INTX_DISABLE,	/* ACTION_TRIGGER | DATA_NONE, count 0 */
};

void vmm_init(void);

/* Eventfds QEMU creates per vector: its own and the KVM irqfd one. */
static inline int qemu_interrupt_efd(int dev, int vec)
{
	return (dev * IRQSIM_MAX_VECS + vec) * 2;
}

static inline int qemu_kvm_efd(int dev, int vec)
{
	return (dev * IRQSIM_MAX_VECS + vec) * 2 + 1;
}

/* INTx: QEMU's intx.interrupt (the trigger) and intx.unmask (resample). */
static inline int qemu_intx_efd(int dev)
{
	return (IRQSIM_MAX_DEVS * IRQSIM_MAX_VECS + dev) * 2;
}

static inline int qemu_intx_unmask_efd(int dev)
{
	return qemu_intx_efd(dev) + 1;
}

/**
 * vmm_world_init - an empty machine world: CPUs, actors bound to CPUs,
 * QEMU's eventfds for every device vector open
 */
void vmm_world_init(struct vmm_world *w, const struct vmm_machine *m);

/* The transitions of the machine, for the engine's model ops. */
void vmm_canonical(void *scratch);
int vmm_enabled(const void *world, const struct irqsim_rt *rt, uint16_t *out);
void vmm_fire(struct irqsim_ctx *ctx, uint16_t t);
const char *vmm_transition_name(const void *world, const struct irqsim_rt *rt,
				uint16_t t, char *buf, size_t len);
int vmm_transition_parse(const struct irqsim_rt *rt, const char *name);

/* Is guest-visible MSI-X entry @vec of @dev masked (entry or function)? */
bool qemu_msix_is_masked(const struct vmm_world *w, int dev, int vec);

#endif /* IRQSIM_VMM_H */
