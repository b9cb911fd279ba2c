// SPDX-License-Identifier: MIT
/*
 * Models the posted-interrupt side of interrupt remapping
 * (drivers/iommu/intel/irq_remapping.c intel_ir_set_vcpu_affinity,
 * intel_ir_deactivate; kernel/irq/manage.c irq_set_vcpu_affinity) and the
 * IOMMU's delivery of a message through a posted-mode IRTE: it writes the
 * vCPU's posted-interrupt descriptor (PIR bit + notification) instead of
 * raising the host vector, so no host handler runs (VT-d posted
 * interrupts; AMD's guest virtual APIC mode is the same for this model).
 *
 * The IRTE is posted while a VFIO producer and a KVM irqfd consumer are
 * connected through irq bypass (src/vfio/bypass.c): KVM's add_producer
 * callback (kvm_arch_irq_bypass_add_producer -> vmx_pi_update_irte)
 * writes it from its MSI route; del_producer puts it back to remapped
 * mode; irq_domain_deactivate_irq() (free_irq) clears it.
 */
#include "msi/internal.h"
#include "msi/trace.h"

#include <string.h>

int msi_knob_posted_intr;
static msi_pi_post_fn pi_post;

static const char *const off_on[] = { "off", "on", NULL };

static const struct irqsim_knob knob_posted_intr = {
	.name = "posted_intr",
	.doc = "the host IOMMU posts interrupts to vCPUs and KVM uses it "
	       "(enable_apicv, IRQ_POSTING_CAP): vmx_pi_update_irte() rewrites "
	       "the IRTE to posted mode when a VFIO irq bypass producer "
	       "connects to a KVM irqfd consumer; off = remapped delivery "
	       "through the host handler only",
	.def = 0,
	.max = 1,
	.values = off_on,
};

void msi_set_pi_post(msi_pi_post_fn fn)
{
	pi_post = fn;
}

bool irq_set_vcpu_affinity(struct irqsim_ctx *ctx, int irq, bool posted,
			   int vcpu, int gvec, int token)
{
	struct irte *e = &msi_w(ctx)->irte[irq];
	struct irte n = { 0 };

	if (posted)
		n = (struct irte){
			.posted = 1,
			.vcpu = (uint8_t)vcpu,
			.gvec = (uint8_t)gvec,
			.token = (int8_t)token,
		};
	if (!memcmp(e, &n, sizeof(n)))
		return false;
	*e = n;
	if (posted)
		trace_irq_set_vcpu_affinity_posted(ctx, irq, vcpu, gvec, token);
	else
		trace_irq_set_vcpu_affinity_remapped(ctx, irq);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_IRTE, irq, 0), IRQSIM_ACC_WRITE);
	return true;
}

/*
 * msi_send() for an irq whose IRTE is posted: the IOMMU writes the PI
 * descriptor. Return: true if the message was posted.
 */
bool msi_iommu_post(struct irqsim_ctx *ctx, int irq)
{
	struct msi_world *mw = msi_w(ctx);
	const struct irte *e;

	if (irq <= 0 || irq >= IRQSIM_MAX_IRQS || !mw->irte[irq].posted)
		return false;
	e = &mw->irte[irq];
	trace_iommu_post(ctx, irq, e);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_IRTE, irq, 0), IRQSIM_ACC_READ);
	if (pi_post)
		pi_post(ctx, irq, e);
	return true;
}

/* intel_ir_deactivate(): the IRTE is cleared (not present). */
void msi_iommu_deactivate(struct irqsim_ctx *ctx, int irq)
{
	struct irte *e = &msi_w(ctx)->irte[irq];

	if (!e->posted)
		return;
	*e = (struct irte){ 0 };
	IRQSIM_EVENT(ctx, true, "intel_ir_deactivate",
		     "irq%d IRTE cleared (was posted)", irq);
	IRQSIM_ACCESS(ctx, IRQSIM_OBJ(MSI_OBJ_IRTE, irq, 0), IRQSIM_ACC_WRITE);
}

void msi_register_iommu(void)
{
	msi_knob_posted_intr = irqsim_knob_register(&knob_posted_intr);
}
