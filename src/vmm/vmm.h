/* SPDX-License-Identifier: MIT */
/*
 * The VMM and the guest: QEMU's MSI-X emulation and VFIO glue (vector use
 * and release, PBA shadow, KVM irqfd and MSI routes, the main loop), KVM
 * irqfd delivery to a guest vCPU, and the guest driver. Also the machine's
 * description: the actors of a scenario and their roles (src/machine
 * holds the transitions the engine chooses from).
 *
 * Models QEMU hw/vfio/pci.c (vfio_msix_vector_do_use,
 * vfio_msix_vector_release, vfio_msi_interrupt, vfio_enable_vectors,
 * vfio_msix_enable, vfio_msix_disable, vfio_disable_interrupts; INTx:
 * vfio_intx_enable, vfio_intx_disable, vfio_intx_enable_kvm,
 * vfio_intx_disable_kvm, vfio_intx_interrupt, vfio_intx_eoi; MSI:
 * vfio_msi_enable, vfio_msi_disable, vfio_pci_write_config),
 * hw/pci/msix.c (msix_table_mmio_write, msix_handle_mask_update,
 * msix_notify), hw/pci/msi.c (msi_write_config, msi_notify) and Linux
 * virt/kvm/eventfd.c (irqfd_wakeup, irqfd_inject, irqfd_resampler_ack).
 *
 * The guest-visible IOAPIC of QEMU's split irqchip (seeds/003): QEMU's
 * hw/intc/ioapic.c (ioapic.c), KVM's MSI GSI routes, posted interrupts
 * and EOI interception for it (kvm_split.c), and the guest's
 * arch/x86/kernel/apic/io_apic.c with the ack-time move of a level
 * interrupt (guest_ioapic.c).
 */
#ifndef IRQSIM_VMM_H
#define IRQSIM_VMM_H

#include "vfio/vfio.h"

#define IRQSIM_MAX_VCPUS	4
#define IRQSIM_MAX_GSIS		(IRQSIM_MAX_DEVS * IRQSIM_MAX_VECS)
/* Guest vectors: 0x40 + dev * IRQSIM_MAX_VECS + vec. */
#define GUEST_VECTOR_BASE	0x40
/* A device's guest INTx: pending bit (and vector offset) after the MSIs. */
#define GUEST_INTX_IDX(dev)	(IRQSIM_MAX_GSIS + (dev))

/* Shared objects of this layer, for the event log (IRQSIM_OBJ kinds). */
#define VMM_OBJ_VIRR		0x40	/* guest vIRR [vcpu][idx] */
#define VMM_OBJ_GUEST_MSIX	0x41	/* QEMU's emulated entry [dev][vec] */
#define VMM_OBJ_GUEST_INTX	0x42	/* guest INTx line, in service [dev] */
#define VMM_OBJ_IOAPIC_RTE	0x43	/* QEMU ioredtbl[pin] */
#define VMM_OBJ_IOAPIC_IRR	0x44	/* QEMU's pin level s->irr [pin] */
#define VMM_OBJ_KVM_ROUTE	0x45	/* KVM GSI routing entry [gsi] */
#define VMM_OBJ_GUEST_LAPIC	0x46	/* guest LAPIC PIR/IRR/ISR [vcpu][vector] */
#define VMM_OBJ_EOI_EXIT	0x47	/* ioapic_handled_vectors [vcpu][vector] */
#define VMM_OBJ_IOAPIC_REGSEL	0x48	/* QEMU's IOREGSEL */
#define VMM_OBJ_GUEST_IRQ	0x49	/* guest irq on pin [pin]: affinity, move */
#define VMM_OBJ_LEVEL_DEV	0x4a	/* emulated level device's event [dev] */
#define VMM_OBJ_GUEST_CPU	0x4b	/* guest cpu_online_mask bit [vcpu] */
#define VMM_OBJ_GUEST_MSIX_CTRL	0x4c	/* QEMU's MSI-X Message Control [dev] */

/* Wait token: a guest actor finished an operation (guest stop_machine). */
#define VMM_TOKEN_GUEST_STOP	(IRQSIM_TOKEN_MODEL + 65)
_Static_assert(VMM_TOKEN_GUEST_STOP < IRQSIM_MAX_TOKENS, "a wait token");

/* Locks of this layer: QEMU's BQL; the guest's ioapic_lock and desc->lock. */
#define VMM_LOCK_BQL		VFIO_NR_LOCKS
#define VMM_LOCK_GUEST_IOAPIC	(VFIO_NR_LOCKS + 1)
#define VMM_LOCK_GUEST_DESC(slot) (VFIO_NR_LOCKS + 2 + (slot))
#define VMM_NR_LOCKS		(VFIO_NR_LOCKS + 2 + IRQSIM_MAX_GUEST_IOAPIC_IRQS)

/*
 * QEMU's IOAPIC (hw/intc/ioapic.c, ioapic_internal.h): MMIO offsets, RTE
 * bits, the storm threshold of ioapic_eoi_broadcast().
 */
#define IOAPIC_NUM_PINS			24
#define IOAPIC_IOREGSEL			0x00
#define IOAPIC_IOWIN			0x10
#define IOAPIC_EOI			0x40
#define IOAPIC_REG_REDTBL_BASE		0x10
#define IOAPIC_LVT_DEST_SHIFT		56
#define IOAPIC_LVT_MASKED		(1ull << 16)
#define IOAPIC_LVT_TRIGGER_MODE		(1ull << 15)
#define IOAPIC_LVT_REMOTE_IRR		(1ull << 14)
#define IOAPIC_LVT_DELIV_STATUS		(1ull << 12)
#define IOAPIC_LVT_DEST_MODE		(1ull << 11)
#define IOAPIC_LVT_DELIV_MODE_SHIFT	8
#define IOAPIC_VECTOR_MASK		0xffull
#define IOAPIC_RO_BITS		(IOAPIC_LVT_REMOTE_IRR | IOAPIC_LVT_DELIV_STATUS)
#define SUCCESSIVE_IRQ_MAX_COUNT	10000
/* MSI data bit 15: level trigger (QEMU MSI_DATA_TRIGGER_SHIFT) */
#define MSI_DATA_LEVEL_TRIGGER		(1u << 15)

/*
 * The guest's IOAPIC irqs: up to two, vector 0x21 + slot (seeds/003: IRQ
 * 11 on vector 33). The guest LAPIC state of the IOAPIC vectors is kept
 * for vectors 0x20..0x3f, one bit each (bit = vector - 0x20).
 */
#define IRQSIM_MAX_GUEST_IOAPIC_IRQS	2
_Static_assert(VMM_NR_LOCKS <= IRQ_LOCK_CPU_HOTPLUG, "lock ids overlap");
#define GUEST_IOAPIC_VECTOR_BASE	0x20
#define GUEST_IOAPIC_VECTOR(slot)	(0x21 + (slot))

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
	uint8_t msix_enabled;	/* vdev->interrupt == VFIO_INT_MSIX */
	uint8_t maskall;	/* the guest's PCI_MSIX_FLAGS_MASKALL */
	uint8_t msi_enabled;	/* vdev->interrupt == VFIO_INT_MSI */
	uint8_t msi_flags;	/* the guest's MSI enable in QEMU's config */
	struct qemu_msix_vector v[IRQSIM_MAX_VECS];
	struct qemu_intx intx;
};

struct kvm_msi_route {
	uint8_t valid;
	uint8_t vcpu;
	uint8_t idx;		/* dev * IRQSIM_MAX_VECS + vec */
};

/**
 * struct guest_vcpu - a vCPU as KVM sees it
 * @virr:       pending guest MSI vectors, by idx
 * @in_host:    vmexit: QEMU/KVM code runs
 * @pir:        posted-interrupt requests not yet synced (APICv: an
 *              interrupt for a vCPU outside guest mode), IOAPIC vectors
 * @irr, @isr:  the local APIC's IRR and ISR of the IOAPIC vectors
 * @eoi_exit:   ioapic_handled_vectors: an EOI of these exits to QEMU
 * @scan_pending: KVM_REQ_SCAN_IOAPIC, done at the next entry
 * @irqs_off:   the guest's local_irq_save depth (a guest lock irqsave,
 *              the guest's stop_machine)
 * @atomic:     in a guest section the guest's stop_machine() waits for
 *              (desc->lock held, interrupts off: an MSI-X message rewrite)
 * @offline:    the guest took the vCPU offline (guest_cpu_offline): dead,
 *              interrupts off, what KVM sets in its vIRR stays there
 * @offline_step: the step of its set_cpu_online(cpu, false) (history)
 * @dead_virr_step: per vIRR idx, the step KVM last set it while the vCPU
 *              was offline (history; 0: not since the offline)
 */
struct guest_vcpu {
	uint32_t virr;
	uint32_t pir, irr, isr, eoi_exit;
	uint8_t in_host;
	uint8_t scan_pending;
	uint8_t irqs_off;
	uint8_t atomic;
	uint8_t offline;
	uint32_t offline_step;
	uint32_t dead_virr_step[IRQSIM_MAX_GSIS];
};

/* QEMU's IOAPICCommonState: the guest-visible IOAPIC (hw/intc/ioapic.c). */
struct qemu_ioapic {
	uint64_t ioredtbl[IOAPIC_NUM_PINS];
	uint32_t irr;				/* pins asserted (level) */
	uint16_t irq_eoi[IOAPIC_NUM_PINS];	/* successive re-deliveries */
	uint8_t ioregsel;
	uint8_t delayed;	/* delayed_ioapic_service_timer armed */
};

/* A KVM_IRQ_ROUTING_MSI entry of GSI = pin, as QEMU last committed it. */
struct kvm_gsi_msi_route {
	uint32_t address;
	uint32_t data;
};

/*
 * A QEMU-emulated device with a level line into the IOAPIC (the Xen
 * platform device of seeds/003): asserted while it has an event the
 * guest driver has not serviced.
 */
struct qemu_level_dev {
	uint8_t used;
	uint8_t pin;
	uint8_t pending;
	uint16_t events;
	uint16_t serviced;
};

/**
 * struct guest_ioapic_irq - the guest kernel's irq on an IOAPIC pin
 * (irq_desc, irq_data state and mp_chip_data->entry)
 * @used:        the slot belongs to an irq (set_affinity or request_irq)
 * @pin:         its pin (= GSI)
 * @requested:   request_irq() done (an action)
 * @started:     irq_startup() done
 * @affinity:    the affinity mask (set before startup: used by it)
 * @pending_mask: IRQD_SETAFFINITY_PENDING with desc->pending_mask; 0: none
 * @effective:   effective affinity: the destination of the RTE the guest
 *               last wrote completely
 * @rte_writing: inside ioapic_configure_entry() (between the dwords)
 * @masked:      IRQD_IRQ_MASKED (mp_chip_data->entry.masked)
 * @only_cpu:    the test driver's handler returns IRQ_NONE on any other
 *               vCPU (David Woodhouse's experiment); -1: handles anywhere
 * @handled, @irq_none: handler results
 */
struct guest_ioapic_irq {
	uint8_t used;
	uint8_t pin;
	uint8_t requested;
	uint8_t started;
	uint8_t affinity;
	uint8_t pending_mask;
	uint8_t effective;
	uint8_t rte_writing;
	uint8_t masked;
	int8_t only_cpu;
	uint16_t handled;
	uint16_t irq_none;
};

/* What the IOAPIC oracles and the summary read. */
struct ioapic_stats {
	uint16_t kvm_set_irq;		/* deliveries through a GSI route */
	uint16_t dropped;		/* route with no guest target */
	uint16_t eoi_broadcasts;
	uint16_t storm_delays;		/* re-delivery delayed (10,000) */
	uint16_t misrouted;		/* oracle: judged */
	uint32_t misrouted_step;
	uint8_t misrouted_pin, misrouted_vcpu, misrouted_effective;
	uint16_t eoi_not_exited;	/* level EOIs KVM did not forward */
	uint32_t eoi_not_exited_step;
	uint8_t eoi_not_exited_vcpu, eoi_not_exited_vector;
	uint16_t lowvec;		/* vector < 16 accepted, never injected */
	uint32_t lowvec_step;
	uint8_t lowvec_pin, lowvec_vcpu;
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
 * guest. Only @posted is pure history (cleared in machine_canonical); the
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
	struct qemu_ioapic ioapic;
	struct kvm_gsi_msi_route ioapic_route[IOAPIC_NUM_PINS];
	struct qemu_level_dev ldev[IRQSIM_MAX_GUEST_IOAPIC_IRQS];
	struct guest_ioapic_irq gio[IRQSIM_MAX_GUEST_IOAPIC_IRQS];
	struct ioapic_stats iostats;
	/* the actor + 1 running the guest's stop_machine(), 0: none */
	uint8_t guest_stop_owner;
	/* irqfds with irqfd_inject() queued (kvm_msi_fast_path=off), by GSI */
	uint8_t irqfd_inject;
};
_Static_assert(IRQSIM_MAX_GSIS <= 8, "irqfd_inject has a bit per GSI");

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
		int8_t ldev;	/* for ROLE_DEVICE: an emulated level device */
	} actor[IRQSIM_MAX_ACTORS];
	int8_t vcpu_actor[IRQSIM_MAX_VCPUS];
	int8_t guest_irq_actor[IRQSIM_MAX_VCPUS];
	int8_t qemu_main_actor;
	int8_t dev_actor[IRQSIM_MAX_DEVS];
	/* QEMU-emulated level devices (ioapic-device) and their pins */
	int nldev;
	uint8_t ldev_pin[IRQSIM_MAX_GUEST_IOAPIC_IRQS];
	int8_t ldev_actor[IRQSIM_MAX_GUEST_IOAPIC_IRQS];
};

extern int vmm_knob_reinject;
extern int vmm_knob_no_kvm_intx;
extern int vmm_knob_msix_dynamic;
extern int vmm_knob_msix_enable_nofd;
extern int vmm_knob_setirqs_error;
extern int vmm_knob_kvm_msi_fast_path;

/* Values of vmm_setirqs_error. */
enum vmm_setirqs_error {
	VMM_SETIRQS_ERROR_LOG,		/* error_report() and go on (QEMU) */
	VMM_SETIRQS_ERROR_STOP,		/* stop the VM: well defined */
};

extern int vmm_knob_ioapic_routes_first;
extern int vmm_knob_kvm_eoi_scan;
extern int vmm_knob_kvm_apicv;
extern int vmm_knob_guest_fixup_irqs_retrigger;

/* Values of the kvm_eoi_scan knob: how vcpu_scan_ioapic() fills a vCPU's
 * ioapic_handled_vectors for the split irqchip's level routes. */
enum kvm_eoi_scan {
	KVM_EOI_SCAN_DEST,	/* destination only: before fceb3a36c29a */
	KVM_EOI_SCAN_IRR_ISR,	/* or pending in IRR/ISR: fceb3a36c29a (v6.3) */
	KVM_EOI_SCAN_SYNC_PIR,	/* PIR synced first: f3ced000a2df (v6.10) */
	KVM_EOI_SCAN_NR,
};

/* Function ids usable from trace programs. */
extern int fn_vfio_set_irqs;
enum irqsim_step call_vfio_set_irqs(struct irqsim_ctx *ctx, int dev, int vec,
				    int efd);
extern int fn_qemu_set_irqs;	/* the trace's vfio_set_irqs operation */
extern int fn_qemu_vfio_msix_enable;
extern int fn_guest_msix_mask;
extern int fn_guest_msix_unmask;
extern int fn_guest_set_affinity;
enum irqsim_step call_guest_set_affinity(struct irqsim_ctx *ctx, int dev,
					 int vector, int dest, int masked);
extern int fn_guest_msix_write;
enum irqsim_step call_guest_msix_write(struct irqsim_ctx *ctx, int dev,
				       int vector, int dword, int value);
extern int fn_qemu_vfio_intx_enable;
extern int fn_qemu_intx_op;
extern int fn_guest_msix_disable;
extern int fn_guest_msi_enable;
extern int fn_guest_msi_disable;
extern int fn_guest_msi_mask;
extern int fn_qemu_vfio_set_irqs_intx;
enum irqsim_step call_qemu_vfio_set_irqs_intx(struct irqsim_ctx *ctx, int dev,
					      int action);
extern int fn_guest_msix_enable;
extern int fn_guest_msix_function_mask;
extern int fn_guest_request_irq;
extern int fn_qemu_level_dev_set;
extern int fn_guest_ioapic_request_irq;
extern int fn_guest_irq_set_affinity;
extern int fn_ioapic_mem_write;
enum irqsim_step call_ioapic_mem_write(struct irqsim_ctx *ctx, int offset,
				       int value);
extern int fn_ioapic_mem_read;
enum irqsim_step call_ioapic_mem_read(struct irqsim_ctx *ctx, int offset);
extern int fn_guest_cpu_offline;
extern int fn_guest_cpu_online;

/* QEMU's vdev->interrupt: the interrupt mode it set up for the device. */
enum qemu_interrupt_mode {
	QEMU_INT_NONE,
	QEMU_INT_INTX,
	QEMU_INT_MSI,
	QEMU_INT_MSIX,
};

static inline enum qemu_interrupt_mode
qemu_interrupt_mode(const struct vmm_world *w, int dev)
{
	const struct qemu_vfio_dev *q = &w->qdev[dev];

	return q->msix_enabled ? QEMU_INT_MSIX :
	       q->msi_enabled  ? QEMU_INT_MSI :
	       q->intx.enabled ? QEMU_INT_INTX :
				 QEMU_INT_NONE;
}

/*
 * The registers of the MSI capability a guest writes (QEMU keeps its copy
 * of a device's in its qemu_msix_vector 0: address, data, mask bit).
 */
enum qemu_msi_reg {
	QEMU_MSI_REG_ADDRESS_LO,
	QEMU_MSI_REG_DATA,
	QEMU_MSI_REG_MASK,	/* Mask Bits, per-vector masking only */
	QEMU_MSI_REG_FLAGS,	/* Message Control: MSI enable */
};

/* What the INTx trace operations run (qemu_intx_op), under the BQL. */
enum qemu_intx_op {
	QEMU_INTX_OP_ENABLE,		/* vfio_intx_enable() */
	QEMU_INTX_OP_DISABLE,		/* vfio_intx_disable() */
	QEMU_INTX_OP_ENABLE_KVM,	/* vfio_intx_enable_kvm() */
	QEMU_INTX_OP_DISABLE_KVM,	/* vfio_intx_disable_kvm() */
};

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

/* The world and the machine of @ctx, typed. */
static inline struct vmm_world *vmm_w(struct irqsim_ctx *ctx)
{
	return ctx->world;
}

static inline const struct vmm_machine *vmm_machine(struct irqsim_ctx *ctx)
{
	return ctx->rt->model_data;
}

/*
 * What the machine (src/machine) starts when the scheduler picks one of
 * its asynchronous events: QEMU's main loop handlers of an MSI and an
 * INTx eventfd, the guest's handlers of an MSI-X vector, an INTx line
 * and an IOAPIC irq, and QEMU's delayed IOAPIC service timer; KVM's
 * entry into a vCPU and its acceptance of a guest IOAPIC vector.
 */
extern int fn_vfio_msi_interrupt;
extern int fn_guest_irq_handler;
extern int fn_vfio_intx_interrupt;
extern int fn_guest_intx_handler;
extern int fn_guest_ioapic_flow;
extern int fn_delayed_ioapic_service_cb;
void kvm_vcpu_enter(struct irqsim_ctx *ctx, int vcpu);
/* KVM's irqfd_inject() work for the irqfd of @gsi, queued by the wakeup */
void kvm_irqfd_inject(struct irqsim_ctx *ctx, int gsi);
int kvm_lapic_accept(struct irqsim_ctx *ctx, int vcpu);

/**
 * vmm_ioapic_reset - QEMU's ioapic_reset_common() and the split irqchip's
 * route reservation: target/i386/kvm/kvm.c kvm_arch_init_irq_routing()
 * adds one MSI route per pin with kvm_irqchip_add_msi_route(c, 0, NULL),
 * whose message stays {0, 0} without a device (and without an IOMMU,
 * kvm_arch_fixup_msi_route() leaves it); GSIs 0..23 are the first free
 * ones. Every RTE masked (edge), no pin asserted.
 */
void vmm_ioapic_reset(struct vmm_world *w);

/* The guest irq slot on IOAPIC pin @pin, or -1. */
int guest_ioapic_slot(const struct vmm_world *w, int pin);

/* Is a guest IOAPIC vector deliverable on @vcpu (PIR or IRR above ISR)? */
int guest_lapic_deliverable(const struct vmm_world *w, int vcpu);

/* Is guest-visible MSI-X entry @vec of @dev masked (entry or function)? */
bool qemu_msix_is_masked(const struct vmm_world *w, int dev, int vec);

/*
 * kvm_irte_stale - does posted IRTE @e of host @irq still match what the
 * host set up (the irq's action and dev_id, the irq bypass pairing, KVM's
 * route)? PI_FRESH, or why not: a post through it now is stale-irte.
 */
enum pi_stale_why kvm_irte_stale(const struct vmm_world *w, int irq,
				 const struct irte *e);

#endif /* IRQSIM_VMM_H */
