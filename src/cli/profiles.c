// SPDX-License-Identifier: MIT
/*
 * Profiles: named bundles of knobs. A linux-* profile sets only kernel
 * knobs, a qemu-* profile only VMM knobs; the patch profiles model the
 * proposals of the seeds that were never merged; a platform profile (x86,
 * ppc64) sets the interrupt controller and how the VMM wires INTx there.
 */
#include "cli/scenario.h"
#include "cli/suggest.h"
#include "sched/names.h"

#include <stdio.h>
#include <string.h>

static const struct profile profiles[] = {
	{ "linux-6.2",
	  "Linux v6.2, the host of seeds/003 (March 2023): KVM's IOAPIC route scan before fceb3a36c29a (EOI exits only on a route's destination)",
	  "vector_reevaluate=off intx_unlazy=off vfio_dyn_msix=on kvm_eoi_scan=dest" },
	{ "linux-6.4",
	  "Linux v6.4: no dynamic MSI-X in vfio-pci (VFIO_IRQ_INFO_NORESIZE); the v6.16 vector and INTx behaviour; KVM's EOI scan with fceb3a36c29a",
	  "vector_reevaluate=off intx_unlazy=off vfio_dyn_msix=off kvm_eoi_scan=irr-isr" },
	{ "linux-6.16",
	  "Linux v6.16: common_interrupt writes VECTOR_UNUSED without vector_lock; lazy INTx disable",
	  "vector_reevaluate=off intx_unlazy=off vfio_dyn_msix=on kvm_eoi_scan=sync-pir" },
	{ "linux-6.17",
	  "Linux v6.17: ce0b5eedcb75 \"x86/irq: Plug vector setup race\"; lazy INTx disable",
	  "vector_reevaluate=on intx_unlazy=off vfio_dyn_msix=on kvm_eoi_scan=sync-pir" },
	{ "linux-6.18",
	  "Linux v6.18 (the default): 8b9f128947dd, IRQ_DISABLE_UNLAZY for non-PCI-2.3 INTx",
	  "vector_reevaluate=on intx_unlazy=on vfio_dyn_msix=on kvm_eoi_scan=sync-pir" },
	{ "qemu-7.2",
	  "QEMU 7.2: no re-inject after SET_IRQS; MSI-X grows by disable + re-enable; vector 0 enabled at MSI-X enable; IOAPIC KVM routes updated after the re-delivery of an RTE write (before 54ad31fb0a0a)",
	  "vmm_reinject=off vmm_msix_dynamic=off vmm_msix_enable_nofd=off ioapic_routes_first=off" },
	{ "qemu-8.0",
	  "QEMU 8.0: no re-inject after SET_IRQS; MSI-X grows by disable + re-enable; vector 0 enabled at MSI-X enable; 54ad31fb0a0a: IOAPIC KVM routes updated before the re-delivery",
	  "vmm_reinject=off vmm_msix_dynamic=off vmm_msix_enable_nofd=off ioapic_routes_first=on" },
	{ "qemu-8.1",
	  "QEMU 8.1, the last before dynamic MSI-X: growth by disable + re-enable (NORESIZE path), vector 0 enabled at MSI-X enable",
	  "vmm_reinject=off vmm_msix_dynamic=off vmm_msix_enable_nofd=off ioapic_routes_first=on" },
	{ "qemu-8.2",
	  "QEMU 8.2: dynamic MSI-X when the kernel does not report NORESIZE (one SET_IRQS per new vector), MSI-X enabled with fd -1",
	  "vmm_reinject=off vmm_msix_dynamic=on vmm_msix_enable_nofd=on ioapic_routes_first=on" },
	{ "qemu-current",
	  "current QEMU (the default): no re-inject after SET_IRQS; dynamic MSI-X; fd -1 enable; IOAPIC routes before the re-delivery",
	  "vmm_reinject=off vmm_msix_dynamic=on vmm_msix_enable_nofd=on ioapic_routes_first=on" },
	{ "tglx-reinject",
	  "tglx's proposed workaround (seeds/000, never merged): QEMU injects after every SET_IRQS",
	  "vmm_reinject=on" },
	{ "repair-irq",
	  "the rejected repair_irq() hack (seeds/000) on the pre-v6.17 entry it patched",
	  "vector_reevaluate=off repair_irq=on" },
	{ "intx-unlazy-v2",
	  "[PATCH v2] of seeds/001: IRQ_DISABLE_UNLAZY not cleared when request_irq() fails",
	  "intx_unlazy=v2" },
	{ "vmm-stop",
	  "seeds/002's well-defined outcome (not in QEMU): stop the VM when SET_IRQS fails for a vector the guest unmasked",
	  "vmm_setirqs_error=stop" },
	{ "update-devid-v4",
	  "the 2019 irq_update_devid series as posted (v4 3/3, seeds/004, never merged): VFIO swaps the trigger in place",
	  "update_devid=v4" },
	{ "update-devid-fixed",
	  "the same series with Alex Williamson's review fixes (v5 3/3): unregister first, no leak, vector disabled on error",
	  "update_devid=fixed" },
	{ "posted-intr",
	  "an IOMMU with posted interrupts that KVM uses: a connected VFIO producer and KVM irqfd post into the vCPU",
	  "posted_intr=on" },
	{ "x86",
	  "x86 host (the default): IOAPIC re-delivers an asserted level line; KVM irqfd + resamplefd",
	  "intc=x86-ioapic x_no_kvm_intx=off" },
	{ "ppc64",
	  "ppc64 host (seeds/001): the controller signals only new assertions; INTx through QEMU and the unmask ioctl",
	  "intc=ppc64 x_no_kvm_intx=on" },
};

#define NR_PROFILES ((int)(sizeof(profiles) / sizeof(profiles[0])))

int profile_count(void)
{
	return NR_PROFILES;
}

const struct profile *profile_get(int i)
{
	return i >= 0 && i < NR_PROFILES ? &profiles[i] : NULL;
}

static const char *profile_name(int i)
{
	return profiles[i].name;
}

int profile_lookup(const char *name)
{
	static struct irqsim_names names;

	return irqsim_names_lookup(&names, name, NR_PROFILES, profile_name);
}

static const char *knob_name(int i, const void *ctx)
{
	(void)ctx;
	return irqsim_knob_get(i) ? irqsim_knob_get(i)->name : NULL;
}

static const char *profile_name_at(int i, const void *ctx)
{
	(void)ctx;
	return profiles[i].name;
}

int config_add_setting(struct scenario_config *c, const char *text, char *err,
		       size_t errlen)
{
	char name[64], list[SCENARIO_ERR - 96];
	const char *eq = strchr(text, '=');
	int knob, value;

	if (!eq || (size_t)(eq - text) >= sizeof(name)) {
		snprintf(err, errlen, "expected KNOB=VALUE, not '%s'", text);
		return -1;
	}
	memcpy(name, text, eq - text);
	name[eq - text] = 0;
	knob = irqsim_knob_lookup(name);
	if (knob < 0) {
		suggest_unknown(err, errlen, "knob", name,
				suggest(name, knob_name, NULL,
					irqsim_knob_count()),
				"list knobs");
		return -1;
	}
	if (irqsim_knob_parse_value(knob, eq + 1, &value)) {
		const struct irqsim_knob *k = irqsim_knob_get(knob);

		/* the knob's own value names, or its range */
		list[0] = 0;
		for (int i = 0; k->values && k->values[i]; i++) {
			strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
			strncat(list, k->values[i], sizeof(list) - strlen(list) - 1);
		}
		if (!list[0])
			snprintf(list, sizeof(list), "0..%d", k->max);
		snprintf(err, errlen, "bad value '%s' for %s (valid: %s)",
			 eq + 1, name, list);
		return -1;
	}
	if (c->n >= SCENARIO_MAX_CONFIG) {
		snprintf(err, errlen, "too many settings (at most %d)",
			 SCENARIO_MAX_CONFIG);
		return -1;
	}
	c->item[c->n].profile = -1;
	c->item[c->n].knob = knob;
	c->item[c->n++].value = value;
	return 0;
}

int config_add_profile(struct scenario_config *c, const char *name, char *err,
		       size_t errlen)
{
	int p = profile_lookup(name);

	if (p < 0) {
		suggest_unknown(err, errlen, "profile", name,
				suggest(name, profile_name_at, NULL,
					NR_PROFILES),
				"list profiles");
		return -1;
	}
	if (c->n >= SCENARIO_MAX_CONFIG) {
		snprintf(err, errlen, "too many settings (at most %d)",
			 SCENARIO_MAX_CONFIG);
		return -1;
	}
	c->item[c->n].profile = p;
	c->item[c->n++].knob = -1;
	return 0;
}

static void apply_profile(int *knobs, int p)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", profiles[p].settings);
	for (char *t = strtok_r(buf, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(t, '=');
		int knob, value;

		*eq = 0;
		knob = irqsim_knob_lookup(t);
		if (knob >= 0 && !irqsim_knob_parse_value(knob, eq + 1, &value))
			knobs[knob] = value;
	}
}

static void apply(int *knobs, const struct scenario_config *c)
{
	for (int i = 0; c && i < c->n; i++) {
		if (c->item[i].profile >= 0)
			apply_profile(knobs, c->item[i].profile);
		else
			knobs[c->item[i].knob] = c->item[i].value;
	}
}

void config_apply(int *knobs, const struct scenario_config *a,
		  const struct scenario_config *b)
{
	for (int i = 0; i < IRQSIM_MAX_KNOBS; i++)
		knobs[i] = irqsim_knob_get(i) ? irqsim_knob_get(i)->def : 0;
	apply_profile(knobs, profile_lookup("linux-6.18"));
	apply_profile(knobs, profile_lookup("qemu-current"));
	apply(knobs, a);
	apply(knobs, b);
}
