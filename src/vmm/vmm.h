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

/* QEMU's view of one MSI-X vector (VFIOMSIVector + the emulated entry). */
struct qemu_msix_vector {
	uint32_t dw[4];		/* the table entry as the guest wrote it */
	uint8_t pba;		/* hw/pci/msix.c pending bit */
	uint8_t use;
	int8_t virq;		/* KVM GSI, -1: userspace delivery */
	uint8_t reinjected;	/* re-injections not yet seen by the guest */
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

struct vmm_world {
	struct vfio_world vfio;
	struct qemu_vfio_dev qdev[IRQSIM_MAX_DEVS];
	struct kvm_msi_route route[IRQSIM_MAX_GSIS];
	struct guest_vcpu vcpu[IRQSIM_MAX_VCPUS];
	struct guest_stats guest;
	uint16_t setirqs_failed_reported;	/* QEMU error_report() */
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
	T_TIMER,	/* index: host CPU runs its vector cleanup timer */
};

extern int vmm_knob_reinject;
extern int vmm_knob_no_kvm_intx;

/* Function ids usable from trace programs. */
extern int fn_vfio_set_irqs;
extern int fn_qemu_vfio_msix_enable;
extern int fn_guest_msix_mask;
extern int fn_guest_msix_unmask;
extern int fn_guest_set_affinity;
extern int fn_guest_msix_write;
extern int fn_qemu_vfio_intx_enable;
extern int fn_qemu_vfio_set_irqs_intx;

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
