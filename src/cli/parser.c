// SPDX-License-Identifier: MIT
/* The trace language: parse a scenario (src/machine builds its world). */
#include "cli/scenario.h"
#include "cli/infile.h"
#include "cli/suggest.h"
#include "sched/alloc.h"
#include "sched/names.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 32

/* Operation argument kinds. */
enum {
	ARG_DEV = 'D',		/* a device name */
	ARG_VEC = 'V',		/* a vector of that device */
	ARG_RAWVEC = 'v',	/* any vector number (the kernel validates) */
	ARG_FD = 'F',		/* qemu | kvm | none | an eventfd number */
	ARG_VCPU = 'C',		/* a guest vCPU */
	ARG_COUNT = 'N',	/* a vector count of that device */
	ARG_SELF = 'X',		/* the actor's own device (implicit) */
	ARG_INTX_ACTION = 'A',	/* mask | unmask | trigger | disable */
	ARG_LDEV_SELF = 'L',	/* the actor's own emulated level device */
	ARG_ZERO = '0',		/* '0'..'9': that constant (implicit) */
	ARG_PIN = 'P',		/* an IOAPIC pin 0..23 */
	ARG_HANDLER = 'H',	/* any | vcpuN: where the handler acts */
	ARG_CPU = 'c',		/* a host CPU: N or cpuN */
	ARG_OWN_CPU = 'o',	/* the host CPU the actor runs on, named */
	ARG_OWN_VCPU = 'O',	/* the actor's own vCPU, named (not vCPU 0) */
	ARG_OTHER_VCPU = 'Q',	/* a vCPU other than the actor's own */
	ARG_ON_OFF = 'B',	/* on | off: 1 | 0 */
};

/* Operation requirements. */
#define NEEDS_INTX	0x1	/* the device has an INTx pin */
#define NEEDS_VCPU	0x2	/* the machine has a guest vCPU */
#define NEEDS_MSI	0x4	/* the device has an MSI capability (msi=) */
#define NEEDS_MSI_MASK	0x8	/* ... with per-vector masking */

struct op_spec {
	const char *name;
	const int *fn;
	const char *args;
	uint8_t roles;		/* bit per enum vmm_role allowed */
	const char *doc;
	uint8_t needs;
};

#define R(role) (1u << (role))

static const struct op_spec ops[] = {
	{ "raise", &fn_pci_dev_raise, "XV", R(ROLE_DEVICE),
	  "VEC: the device has an event for vector VEC", 0 },
	{ "vfio_set_irqs", &fn_qemu_set_irqs, "DvF", R(ROLE_TASK) | R(ROLE_VCPU),
	  "DEV VEC qemu|kvm|none|bad: VFIO_DEVICE_SET_IRQS MSI-X trigger (then tglx's inject when vmm_reinject=on)", 0 },
	{ "qemu_vfio_msix_enable", &fn_qemu_vfio_msix_enable, "DNC",
	  R(ROLE_TASK) | R(ROLE_VCPU),
	  "DEV NVEC VCPU: guest enables MSI-X, QEMU routes every vector via KVM irqfd", 0 },
	{ "guest_msix_mask", &fn_guest_msix_mask, "DV", R(ROLE_VCPU),
	  "DEV VEC: the guest masks the entry (trap to QEMU)", 0 },
	{ "guest_msix_unmask", &fn_guest_msix_unmask, "DV", R(ROLE_VCPU),
	  "DEV VEC: the guest unmasks the entry (trap to QEMU)", 0 },
	{ "guest_set_affinity", &fn_guest_set_affinity, "DVC", R(ROLE_VCPU),
	  "DEV VEC VCPU: guest irqbalance: mask, rewrite, unmask", 0 },
	{ "pci_msix_enable", &fn_pci_msix_enable, "DN", R(ROLE_TASK),
	  "DEV NVEC: host driver pci_alloc_irq_vectors(MSI-X)", 0 },
	{ "pci_msi_enable", &fn_pci_msi_enable, "D", R(ROLE_TASK),
	  "DEV: host driver pci_alloc_irq_vectors(MSI), one vector (a device with msi=)",
	  0 },
	{ "host_request_irq", &fn_host_request_irq, "DV", R(ROLE_TASK),
	  "DEV VEC: host driver request_irq()", 0 },
	{ "host_free_irq", &fn_host_free_irq, "DV", R(ROLE_TASK),
	  "DEV VEC: host driver free_irq()", 0 },
	{ "disable_irq_in_device", &fn_disable_irq_in_device, "DV",
	  R(ROLE_TASK), "DEV VEC: host driver quiesces the device", 0 },
	{ "enable_irq_in_device", &fn_enable_irq_in_device, "DV", R(ROLE_TASK),
	  "DEV VEC: host driver re-enables the device interrupt", 0 },
	{ "guest_msix_enable", &fn_guest_msix_enable, "D", R(ROLE_VCPU),
	  "DEV: the guest driver enables MSI-X (config write traps; QEMU vfio_msix_enable)",
	  0 },
	{ "guest_msix_disable", &fn_guest_msix_disable, "D", R(ROLE_VCPU),
	  "DEV: the guest driver disables MSI-X (config write traps; QEMU vfio_msix_disable, then INTx)",
	  0 },
	{ "guest_msi_enable", &fn_guest_msi_enable, "DC", R(ROLE_VCPU),
	  "DEV VCPU: the guest enables MSI (config writes trap): mask (per-vector masking), message to VCPU, enable; QEMU vfio_msi_enable",
	  NEEDS_MSI },
	{ "guest_msi_disable", &fn_guest_msi_disable, "D", R(ROLE_VCPU),
	  "DEV: the guest disables MSI (config writes trap): enable cleared (QEMU vfio_msi_disable), then unmasked",
	  NEEDS_MSI },
	{ "guest_msi_mask", &fn_guest_msi_mask, "D1", R(ROLE_VCPU),
	  "DEV: the guest sets the MSI mask bit (config write traps; VFIO passes it to the device)",
	  NEEDS_MSI_MASK },
	{ "guest_msi_unmask", &fn_guest_msi_mask, "D0", R(ROLE_VCPU),
	  "DEV: the guest clears the MSI mask bit (config write traps; VFIO passes it to the device)",
	  NEEDS_MSI_MASK },
	{ "guest_msix_function_mask", &fn_guest_msix_function_mask, "DB",
	  R(ROLE_VCPU),
	  "DEV on|off: the guest sets or clears the MSI-X function mask (MASKALL; config write traps, QEMU msix_write_config)",
	  0 },
	{ "guest_request_irq", &fn_guest_request_irq, "DVC", R(ROLE_VCPU),
	  "DEV VEC VCPU: the guest driver's request_irq(): message written masked, then unmasked (QEMU vector_use)",
	  0 },
	{ "host_set_affinity", &fn_host_set_affinity, "DVc", R(ROLE_TASK),
	  "DEV VEC CPU: irq_set_affinity() of the host irq (irqbalance, /proc/irq/N/smp_affinity)",
	  0 },
	{ "cpu_offline", &fn_cpu_offline, "o", R(ROLE_TASK),
	  "CPU: take the CPU the actor runs on offline (stop_machine, fixup_irqs, lapic_offline)",
	  0 },
	{ "cpu_online", &fn_cpu_online, "c", R(ROLE_TASK),
	  "CPU: bring a CPU back online (lapic_online)", 0 },
	{ "guest_cpu_offline", &fn_guest_cpu_offline, "O", R(ROLE_VCPU),
	  "VCPU: the guest takes the actor's own vCPU offline (stop_machine, migrate_one_irq rewrites its MSI-X entries, fixup_irqs retriggers its vIRR)",
	  NEEDS_VCPU },
	{ "guest_cpu_online", &fn_guest_cpu_online, "Q", R(ROLE_VCPU),
	  "VCPU: another vCPU brings an offline vCPU up (INIT/SIPI resets its LAPIC)",
	  NEEDS_VCPU },
	{ "raise_intx", &fn_pci_dev_raise_intx, "X", R(ROLE_DEVICE),
	  "the device has an event: it asserts INTx until its driver services it",
	  NEEDS_INTX },
	{ "qemu_vfio_intx_enable", &fn_qemu_intx_op, "D0",
	  R(ROLE_TASK) | R(ROLE_VCPU),
	  "DEV: QEMU enables INTx under the BQL: SET_IRQS trigger, then KVM irqfd + resamplefd unless x_no_kvm_intx",
	  NEEDS_INTX | NEEDS_VCPU },
	{ "qemu_vfio_intx_disable", &fn_qemu_intx_op, "D1",
	  R(ROLE_TASK) | R(ROLE_VCPU),
	  "DEV: QEMU's vfio_intx_disable() under the BQL: KVM irqfd off, SET_IRQS INTx disable, guest line down",
	  NEEDS_INTX | NEEDS_VCPU },
	{ "qemu_vfio_intx_enable_kvm", &fn_qemu_intx_op, "D2",
	  R(ROLE_TASK) | R(ROLE_VCPU),
	  "DEV: QEMU's vfio_intx_enable_kvm() under the BQL: mask, guest line down, KVM irqfd + resamplefd, unmask",
	  NEEDS_INTX | NEEDS_VCPU },
	{ "qemu_vfio_intx_disable_kvm", &fn_qemu_intx_op, "D3",
	  R(ROLE_TASK) | R(ROLE_VCPU),
	  "DEV: QEMU's vfio_intx_disable_kvm() under the BQL: mask, guest line down, irqfd off, unmask through QEMU",
	  NEEDS_INTX | NEEDS_VCPU },
	{ "vfio_set_irqs_intx", &fn_qemu_vfio_set_irqs_intx, "DA",
	  R(ROLE_TASK) | R(ROLE_VCPU),
	  "DEV mask|unmask|trigger|disable: VFIO_DEVICE_SET_IRQS on the INTx index",
	  NEEDS_INTX },
	{ "assert", &fn_qemu_level_dev_set, "L1", R(ROLE_DEVICE),
	  "an emulated level device has an event: qemu_set_irq(pin, 1) (again if still asserted)",
	  0 },
	{ "deassert", &fn_qemu_level_dev_set, "L0", R(ROLE_DEVICE),
	  "an emulated level device has no event left: qemu_set_irq(pin, 0)",
	  0 },
	{ "guest_ioapic_request_irq", &fn_guest_ioapic_request_irq, "PCH",
	  R(ROLE_VCPU),
	  "PIN VCPU any|vcpuN: guest request_irq() of an IOAPIC pin (VCPU: the vector allocator's pick); the handler acts anywhere or on vcpuN only (IRQ_NONE elsewhere)",
	  0 },
	{ "guest_irq_set_affinity", &fn_guest_irq_set_affinity, "PC",
	  R(ROLE_VCPU),
	  "PIN VCPU: guest irq_set_affinity(); after request_irq() deferred to the next interrupt",
	  0 },
};

/* The directives' ids: their rows in directives[]. */
enum directive {
	DIR_TRACE,
	DIR_CPUS,
	DIR_VCPUS,
	DIR_DEVICE,
	DIR_ACTOR,
	DIR_IOAPIC_DEVICE,
	DIR_MAIN_LOOP,
	DIR_MATRIX_USED,
	DIR_SETUP,
	DIR_PROGRAM,
	DIR_PROFILE,
	DIR_SET,
	DIR_BOUND,
	DIR_RUNS,
	DIR_EXPECT,
	DIR_SCHEDULE,
};

/*
 * The directives, for `irqsim list directives` and docs/trace-format.md
 * (a ctest checks that the two agree). parse_line() refuses a word that is
 * not here, so a new directive must be listed (and documented) to parse.
 */
static const struct scenario_directive directives[] = {
	[DIR_TRACE] = { "trace", "NAME", "the trace's name (default: the file name)" },
	[DIR_CPUS] = { "cpus", "N", "host CPUs, each with a hard-irq actor cpuN (default 2); before actors and devices" },
	[DIR_VCPUS] = { "vcpus", "N", "guest vCPUs (default 0), each needs a thread: actor NAME vcpu=V" },
	[DIR_DEVICE] = { "device", "NAME [msix=N] [msi=maskable|nomask] [behaviour=ack|free-running] [affinity=cpuA,cpuB] [intx=pci23|nopci23]",
	  "a PCI device with MSI-X vectors (and an INTx pin); also an actor" },
	[DIR_ACTOR] = { "actor", "NAME [cpu=N] [vcpu=V] [device=DEV]",
	  "a task (host driver, QEMU thread), a vCPU thread, or another event source of a device" },
	[DIR_IOAPIC_DEVICE] = { "ioapic-device", "NAME pin=N",
	  "a QEMU-emulated level device on pin N of the guest's IOAPIC (ops assert, deassert)" },
	[DIR_MAIN_LOOP] = { "main-loop", "[cpu=N]", "QEMU's main loop as an actor named main (implicit with vcpus)" },
	[DIR_MATRIX_USED] = { "matrix-used", "cpuN=COUNT...",
	  "vectors of a CPU taken by devices the scenario does not model (vector exhaustion)" },
	[DIR_SETUP] = { "setup", "ACTOR: OPERATION ARGS...", "an operation run alone, in order, before the race" },
	[DIR_PROGRAM] = { "ACTOR:", "OPERATION ARGS...", "the next operation of ACTOR's program" },
	[DIR_PROFILE] = { "profile", "NAME...", "apply profiles (irqsim list profiles)" },
	[DIR_SET] = { "set", "KNOB=VALUE...", "set knobs (irqsim list knobs)" },
	[DIR_BOUND] = { "bound", "N", "steps per run, 1..1000000 (default 5000)" },
	[DIR_RUNS] = { "runs", "N", "random schedules an expect line tries (default 10000)" },
	[DIR_EXPECT] = { "expect", "VERDICT[:OBJECT] [profile=P] [set=K=V] [runs=N] [ignore=V[:OBJECT],...] [strategy=random|dfs] [preemption-bound=N] [reaches=W,...]",
	  "a verdict irqsim check must reach" },
	[DIR_SCHEDULE] = { "schedule", "TRANSITION[*N]...", "a fixed schedule (the first transitions of every run)" },
};

#define NR_DIRECTIVES ((int)(sizeof(directives) / sizeof(directives[0])))
#define NR_OPS ((int)(sizeof(ops) / sizeof(ops[0])))

int scenario_directive_count(void)
{
	return NR_DIRECTIVES;
}

const struct scenario_directive *scenario_directive_get(int i)
{
	return i >= 0 && i < NR_DIRECTIVES ? &directives[i] : NULL;
}

int scenario_op_count(void)
{
	return NR_OPS;
}

/* Name, argument synopsis and doc of operation @i. */
const char *scenario_op_name(int i)
{
	return i >= 0 && i < NR_OPS ? ops[i].name : NULL;
}

const char *scenario_op_doc(int i)
{
	return i >= 0 && i < NR_OPS ? ops[i].doc : NULL;
}

static const char *directive_name(int i)
{
	return directives[i].name;
}

/* The names a typo is compared with (cli/suggest.h). */
static const char *directive_name_at(int i, const void *ctx)
{
	(void)ctx;
	return directives[i].name;
}

static const char *op_name_at(int i, const void *ctx)
{
	(void)ctx;
	return scenario_op_name(i);
}

static const char *kind_name_at(int i, const void *ctx)
{
	(void)ctx;
	return check_kind_name(i);
}

static const char *window_name_at(int i, const void *ctx)
{
	(void)ctx;
	return check_window_name(i);
}

/* The directive @word names (enum directive), or -1. */
static int directive_lookup(const char *word)
{
	static struct irqsim_names names;

	return irqsim_names_lookup(&names, word, NR_DIRECTIVES,
				   directive_name);
}

static const char *const intx_actions[] = {
	[QEMU_INTX_MASK] = "mask",
	[QEMU_INTX_UNMASK] = "unmask",
	[QEMU_INTX_TRIGGER] = "trigger",
	[QEMU_INTX_DISABLE] = "disable",
};

struct parser {
	struct scenario *s;
	const char *file;
	int line;
	int vcpus_line;		/* where the guest's implicit actors come from */
	char *err;
	size_t errlen;
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "%s:%d: ", p->file, p->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A vCPU number out of range: say the range, or that there is none. */
static int bad_vcpu(struct parser *p, const char *what, const char *text)
{
	if (!p->s->machine.nr_vcpus)
		return fail(p, "%s%s%s: this trace has no vCPUs (declare 'vcpus N' first)",
			    what, text ? text : "", text ? "'" : "");
	return fail(p, "%s%s%s must be 0..%d", what, text ? text : "",
		    text ? "'" : "", p->s->machine.nr_vcpus - 1);
}

static bool parse_int(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	if (!text || !*text)
		return false;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/*
 * Actors and devices are found by a scan, not a name index: there are at
 * most IRQSIM_MAX_ACTORS (12) and IRQSIM_MAX_DEVS (2), and their names
 * live in the scenario, which is plain data that callers copy whole (a
 * saved run hands its scenario over by assignment), where the pointers
 * of a hash table would dangle.
 */
static int find_actor(const struct scenario *s, const char *name)
{
	for (int a = 0; a < s->machine.nactors; a++)
		if (!strcmp(s->machine.actor[a].name, name))
			return a;
	return -1;
}

static int find_dev(const struct scenario *s, const char *name)
{
	for (int d = 0; d < s->ndev; d++)
		if (!strcmp(s->dev[d].name, name))
			return d;
	return -1;
}

static int add_actor(struct parser *p, const char *name, int role, int cpu,
		     int vcpu)
{
	struct vmm_machine *m = &p->s->machine;

	if (strlen(name) >= IRQSIM_NAME_LEN || !*name)
		return fail(p, "actor name '%s' must be 1 to %d characters",
			    name, IRQSIM_NAME_LEN - 1);
	if (strchr(name, ':') || strchr(name, '*'))
		return fail(p, "actor name '%s' may not contain ':' or '*'",
			    name);
	if (find_actor(p->s, name) >= 0)
		return fail(p, "actor '%s' is defined twice", name);
	if (m->nactors >= IRQSIM_MAX_ACTORS)
		return fail(p, "too many actors (at most %d, counting one per CPU, vCPU and device)",
			    IRQSIM_MAX_ACTORS);
	snprintf(m->actor[m->nactors].name, IRQSIM_NAME_LEN, "%s", name);
	m->actor[m->nactors].role = (uint8_t)role;
	m->actor[m->nactors].cpu = (int8_t)cpu;
	m->actor[m->nactors].vcpu = (int8_t)vcpu;
	m->actor[m->nactors].dev = -1;
	m->actor[m->nactors].ldev = -1;
	return m->nactors++;
}

/*
 * Find "key=" in tokens; NULL if absent. A scan of one line's words (at
 * most MAX_TOKENS), as check_keys() scans a directive's few keys.
 */
static const char *kv(char **tok, int ntok, int from, const char *key)
{
	size_t klen = strlen(key);

	for (int i = from; i < ntok; i++)
		if (!strncmp(tok[i], key, klen) && tok[i][klen] == '=')
			return tok[i] + klen + 1;
	return NULL;
}

static int check_keys(struct parser *p, char **tok, int ntok, int from,
		      const char *const *keys)
{
	for (int i = from; i < ntok; i++) {
		const char *eq = strchr(tok[i], '=');
		bool ok = false;

		for (int k = 0; eq && keys[k]; k++)
			if ((size_t)(eq - tok[i]) == strlen(keys[k]) &&
			    !strncmp(tok[i], keys[k], eq - tok[i]))
				ok = true;
		if (!ok)
			return fail(p, "unexpected '%s' after %s", tok[i],
				    tok[0]);
	}
	return 0;
}

static int parse_cpu_value(struct parser *p, const char *v, int *cpu)
{
	long n;

	if (v && !strncmp(v, "cpu", 3))
		v += 3;
	if (!parse_int(v, 0, p->s->machine.nr_cpus - 1, &n))
		return fail(p, "cpu must be 0..%d", p->s->machine.nr_cpus - 1);
	*cpu = (int)n;
	return 0;
}

static int parse_device(struct parser *p, char **tok, int ntok)
{
	static const char *const keys[] = { "msix", "behaviour", "affinity",
					    "intx", "msi", NULL };
	struct scenario *s = p->s;
	const char *v;
	long nvec;
	int d, ret;

	if (ntok < 2)
		return fail(p, "device needs a name");
	if ((ret = check_keys(p, tok, ntok, 2, keys)))
		return ret;
	if (s->ndev >= IRQSIM_MAX_DEVS)
		return fail(p, "too many devices (at most %d)", IRQSIM_MAX_DEVS);
	if (find_dev(s, tok[1]) >= 0)
		return fail(p, "device '%s' is defined twice", tok[1]);
	d = s->ndev;
	v = kv(tok, ntok, 2, "msix");
	if (!parse_int(v ? v : "1", 1, IRQSIM_MAX_VECS, &nvec))
		return fail(p, "msix= must be 1..%d vectors", IRQSIM_MAX_VECS);
	s->dev[d].nvec = (int)nvec;
	v = kv(tok, ntok, 2, "msi");
	if (!v) {
		s->dev[d].msi = SCENARIO_MSIX;
	} else if (kv(tok, ntok, 2, "msix")) {
		return fail(p, "a device has msix= or msi=, not both");
	} else if (!strcmp(v, "maskable")) {
		s->dev[d].msi = SCENARIO_MSI_MASKABLE;
	} else if (!strcmp(v, "nomask")) {
		s->dev[d].msi = SCENARIO_MSI_NOMASK;
	} else {
		return fail(p, "msi= must be maskable (per-vector masking) or nomask, not '%s'",
			    v);
	}
	v = kv(tok, ntok, 2, "behaviour");
	if (!v || !strcmp(v, "ack"))
		s->dev[d].behaviour = DEV_WAIT_FOR_ACK;
	else if (!strcmp(v, "free-running"))
		s->dev[d].behaviour = DEV_FREE_RUNNING;
	else
		return fail(p, "behaviour= must be ack or free-running, not '%s'",
			    v);
	v = kv(tok, ntok, 2, "intx");
	if (!v)
		s->dev[d].intx = SCENARIO_INTX_NONE;
	else if (!strcmp(v, "pci23"))
		s->dev[d].intx = SCENARIO_INTX_PCI23;
	else if (!strcmp(v, "nopci23"))
		s->dev[d].intx = SCENARIO_INTX_NOPCI23;
	else
		return fail(p, "intx= must be pci23 (DisINTx masking) or nopci23 (none), not '%s'",
			    v);
	s->dev[d].affinity = 0;
	v = kv(tok, ntok, 2, "affinity");
	if (v) {
		char buf[SCENARIO_MAX_LINE];
		char *save = NULL;

		snprintf(buf, sizeof(buf), "%s", v);
		for (char *c = strtok_r(buf, ",", &save); c;
		     c = strtok_r(NULL, ",", &save)) {
			int cpu = 0;

			if ((ret = parse_cpu_value(p, c, &cpu)))
				return ret;
			s->dev[d].affinity |= (uint8_t)(1u << cpu);
		}
	} else {
		s->dev[d].affinity = (uint8_t)((1u << s->machine.nr_cpus) - 1);
	}
	snprintf(s->dev[d].name, IRQSIM_NAME_LEN, "%s", tok[1]);
	ret = add_actor(p, tok[1], ROLE_DEVICE, -1, -1);
	if (ret < 0)
		return ret;
	s->machine.dev_actor[d] = (int8_t)ret;
	s->machine.actor[ret].dev = (int8_t)d;
	s->ndev++;
	return 0;
}

/*
 * ioapic-device NAME pin=N: a QEMU-emulated device whose level line goes
 * to pin N of the guest's IOAPIC (the Xen platform device of seeds/003).
 */
static int parse_ioapic_device(struct parser *p, char **tok, int ntok)
{
	static const char *const keys[] = { "pin", NULL };
	struct vmm_machine *m = &p->s->machine;
	long pin;
	int ret;

	if (ntok < 2)
		return fail(p, "ioapic-device needs a name");
	if ((ret = check_keys(p, tok, ntok, 2, keys)))
		return ret;
	if (!parse_int(kv(tok, ntok, 2, "pin"), 0, IOAPIC_NUM_PINS - 1, &pin))
		return fail(p, "ioapic-device: pin= must be 0..%d",
			    IOAPIC_NUM_PINS - 1);
	if (m->nldev >= IRQSIM_MAX_GUEST_IOAPIC_IRQS)
		return fail(p, "too many ioapic-devices (at most %d)",
			    IRQSIM_MAX_GUEST_IOAPIC_IRQS);
	for (int d = 0; d < m->nldev; d++)
		if (m->ldev_pin[d] == pin)
			return fail(p, "pin %ld already has an ioapic-device",
				    pin);
	ret = add_actor(p, tok[1], ROLE_DEVICE, -1, -1);
	if (ret < 0)
		return ret;
	m->actor[ret].ldev = (int8_t)m->nldev;
	m->ldev_actor[m->nldev] = (int8_t)ret;
	m->ldev_pin[m->nldev++] = (uint8_t)pin;
	return 0;
}

/*
 * actor NAME device=DEV: another event source of a device (a queue with
 * its own vector), so independent vectors raise independently.
 */
static int parse_device_actor(struct parser *p, char **tok, int ntok,
			      const char *dev_name)
{
	int d = find_dev(p->s, dev_name), ret;

	if (d < 0)
		return fail(p, "device=: unknown device '%s' (declare it first)",
			    dev_name);
	if (kv(tok, ntok, 2, "cpu") || kv(tok, ntok, 2, "vcpu"))
		return fail(p, "a device actor has no cpu= or vcpu=");
	ret = add_actor(p, tok[1], ROLE_DEVICE, -1, -1);
	if (ret < 0)
		return ret;
	p->s->machine.actor[ret].dev = (int8_t)d;
	return 0;
}

static int parse_actor(struct parser *p, char **tok, int ntok)
{
	static const char *const keys[] = { "cpu", "vcpu", "device", NULL };
	const char *vcpu = kv(tok, ntok, 2, "vcpu");
	int cpu = 0, ret;
	long n = -1;

	if (ntok < 2)
		return fail(p, "actor needs a name");
	if ((ret = check_keys(p, tok, ntok, 2, keys)))
		return ret;
	if (kv(tok, ntok, 2, "device"))
		return parse_device_actor(p, tok, ntok,
					  kv(tok, ntok, 2, "device"));
	if ((ret = parse_cpu_value(p, kv(tok, ntok, 2, "cpu") ?
					      kv(tok, ntok, 2, "cpu") :
					      "0",
				   &cpu)))
		return ret;
	if (vcpu) {
		if (!parse_int(vcpu, 0, p->s->machine.nr_vcpus - 1, &n))
			return bad_vcpu(p, "vcpu=", NULL);
		if (p->s->machine.vcpu_actor[n] >= 0)
			return fail(p, "vcpu %ld already has a thread", n);
	}
	ret = add_actor(p, tok[1], vcpu ? ROLE_VCPU : ROLE_TASK, cpu, (int)n);
	if (ret < 0)
		return ret;
	if (vcpu)
		p->s->machine.vcpu_actor[n] = (int8_t)ret;
	return 0;
}

static int parse_fd(struct parser *p, const char *text, int dev, int vec,
		    int32_t *out)
{
	long n;

	if (vec >= IRQSIM_MAX_VECS)
		vec = 0; /* the kernel rejects the vector before the fd */
	if (!strcmp(text, "qemu"))
		*out = qemu_interrupt_efd(dev, vec);
	else if (!strcmp(text, "kvm"))
		*out = qemu_kvm_efd(dev, vec);
	else if (!strcmp(text, "none"))
		*out = -1;
	else if (!strcmp(text, "bad"))
		*out = 127; /* not an eventfd: eventfd_ctx_fdget() -EBADF */
	else if (parse_int(text, -1, 127, &n))
		*out = (int32_t)n;
	else
		return fail(p, "eventfd must be qemu, kvm, none, bad or a number, not '%s'",
			    text);
	return 0;
}

static int parse_op(struct parser *p, int actor, char **tok, int ntok,
		    struct irqsim_op *op)
{
	const struct scenario *s = p->s;
	static struct irqsim_names op_names;
	const struct op_spec *spec = NULL;
	int role = s->machine.actor[actor].role;
	int nargs = 0, t = 1, dev = -1;
	int op_id = irqsim_names_lookup(&op_names, tok[0], NR_OPS,
					scenario_op_name);

	if (op_id >= 0)
		spec = &ops[op_id];
	if (!spec) {
		char msg[SCENARIO_ERR / 2];

		return fail(p, "%s",
			    suggest_unknown(msg, sizeof(msg), "operation",
					    tok[0],
					    suggest(tok[0], op_name_at, NULL,
						    NR_OPS),
					    "list ops"));
	}
	if (!(spec->roles & (1u << role)))
		return fail(p, "actor '%s' cannot run %s (wrong kind of actor)",
			    s->machine.actor[actor].name, spec->name);
	memset(op, 0, sizeof(*op));
	op->fn = (uint16_t)*spec->fn;
	op->line = p->line;
	for (const char *a = spec->args; *a; a++) {
		bool constant = *a >= ARG_ZERO && *a <= ARG_ZERO + 9;
		bool implicit = *a == ARG_SELF || *a == ARG_LDEV_SELF ||
				constant;
		const char *text = implicit ? NULL : t < ntok ? tok[t++] : NULL;
		long n;

		if (!implicit && !text)
			return fail(p, "%s: missing argument %d (%s)",
				    spec->name, nargs + 1, spec->doc);
		if (constant) {
			op->arg[nargs++] = *a - ARG_ZERO;
			continue;
		}
		switch (*a) {
		case ARG_SELF:
			dev = s->machine.actor[actor].dev;
			if (dev < 0)
				return fail(p, "%s: '%s' is not a PCI device (an ioapic-device takes assert and deassert)",
					    spec->name,
					    s->machine.actor[actor].name);
			op->arg[nargs++] = dev;
			break;
		case ARG_LDEV_SELF:
			if (s->machine.actor[actor].ldev < 0)
				return fail(p, "%s: '%s' is not an ioapic-device",
					    spec->name,
					    s->machine.actor[actor].name);
			op->arg[nargs++] = s->machine.actor[actor].ldev;
			break;
		case ARG_PIN:
			if (!parse_int(text, 0, IOAPIC_NUM_PINS - 1, &n))
				return fail(p, "pin '%s' must be 0..%d", text,
					    IOAPIC_NUM_PINS - 1);
			op->arg[nargs++] = (int32_t)n;
			break;
		case ARG_HANDLER:
			if (!strcmp(text, "any"))
				n = -1;
			else if (strncmp(text, "vcpu", 4) ||
				 !parse_int(text + 4, 0,
					    s->machine.nr_vcpus - 1, &n))
				return fail(p, "%s: handler must be any or vcpu0..vcpu%d, not '%s'",
					    spec->name,
					    s->machine.nr_vcpus - 1, text);
			op->arg[nargs++] = (int32_t)n;
			break;
		case ARG_DEV:
			dev = find_dev(s, text);
			if (dev < 0)
				return fail(p, "unknown device '%s'", text);
			op->arg[nargs++] = dev;
			break;
		case ARG_VEC:
			if (!parse_int(text, 0, s->dev[dev].nvec - 1, &n))
				return fail(p, "vector '%s' out of range: %s has vectors 0..%d",
					    text, s->dev[dev].name,
					    s->dev[dev].nvec - 1);
			op->arg[nargs++] = (int32_t)n;
			break;
		case ARG_RAWVEC:
			if (!parse_int(text, 0, 255, &n))
				return fail(p, "vector '%s' must be a number 0..255",
					    text);
			op->arg[nargs++] = (int32_t)n;
			break;
		case ARG_FD:
			if (parse_fd(p, text, dev, op->arg[nargs - 1],
				     &op->arg[nargs]))
				return -EINVAL;
			nargs++;
			break;
		case ARG_VCPU:
			if (!parse_int(text, 0, s->machine.nr_vcpus - 1, &n))
				return bad_vcpu(p, "vcpu '", text);
			op->arg[nargs++] = (int32_t)n;
			break;
		case ARG_OWN_VCPU:
		case ARG_OTHER_VCPU: {
			int own = s->machine.actor[actor].vcpu;

			if (!parse_int(text, 0, s->machine.nr_vcpus - 1, &n))
				return bad_vcpu(p, "vcpu '", text);
			if (*a == ARG_OWN_VCPU && n == 0)
				return fail(p, "%s 0: vCPU 0 cannot go offline (x86 has no CPU0 hotplug since v6.3)",
					    spec->name);
			if (*a == ARG_OWN_VCPU && n != own)
				return fail(p, "%s %ld: actor '%s' is vcpu%d's thread; the outgoing vCPU runs take_cpu_down() itself: use vcpu%ld's thread",
					    spec->name, n,
					    s->machine.actor[actor].name, own,
					    n);
			if (*a == ARG_OTHER_VCPU && n == own)
				return fail(p, "%s %ld: an offline vCPU cannot bring itself up: run it on another vCPU's thread",
					    spec->name, n);
			op->arg[nargs++] = (int32_t)n;
			break;
		}
		case ARG_COUNT:
			if (!parse_int(text, 1, s->dev[dev].nvec, &n))
				return fail(p, "count '%s' must be 1..%d", text,
					    s->dev[dev].nvec);
			op->arg[nargs++] = (int32_t)n;
			break;
		case ARG_CPU:
		case ARG_OWN_CPU: {
			int cpu;

			if (parse_cpu_value(p, text, &cpu))
				return -EINVAL;
			/*
			 * x86 cannot offline the boot CPU:
			 * arch_cpu_is_hotpluggable() is cpu > 0 since tglx's
			 * "x86/topology: Remove CPU0 hotplug option" (v6.5);
			 * before it only CONFIG_BOOTPARAM_HOTPLUG_CPU0 could,
			 * which no profile models.
			 */
			if (*a == ARG_OWN_CPU && cpu == 0)
				return fail(p, "%s 0: x86 cannot take the boot CPU offline (cpu0 has no online file: arch_cpu_is_hotpluggable() is cpu > 0); offline another CPU",
					    spec->name);
			if (*a == ARG_OWN_CPU &&
			    s->machine.actor[actor].cpu != cpu)
				return fail(p, "%s %s: actor '%s' runs on cpu%d; the outgoing CPU runs take_cpu_down() itself: put an actor on cpu%d",
					    spec->name, text,
					    s->machine.actor[actor].name,
					    s->machine.actor[actor].cpu, cpu);
			op->arg[nargs++] = cpu;
			break;
		}
		case ARG_ON_OFF:
			if (strcmp(text, "on") && strcmp(text, "off"))
				return fail(p, "%s: expected on or off, not '%s'",
					    spec->name, text);
			op->arg[nargs++] = !strcmp(text, "on");
			break;
		case ARG_INTX_ACTION:
			/* four actions: a scan */
			n = -1;
			for (size_t i = 0; i < sizeof(intx_actions) /
						       sizeof(intx_actions[0]);
			     i++)
				if (!strcmp(text, intx_actions[i]))
					n = (long)i;
			if (n < 0)
				return fail(p, "%s: action must be mask, unmask, trigger or disable, not '%s'",
					    spec->name, text);
			op->arg[nargs++] = (int32_t)n;
			break;
		}
	}
	if ((spec->needs & NEEDS_INTX) && dev >= 0 &&
	    s->dev[dev].intx == SCENARIO_INTX_NONE)
		return fail(p, "%s: device '%s' has no INTx pin (add intx=pci23 or intx=nopci23)",
			    spec->name, s->dev[dev].name);
	if ((spec->needs & (NEEDS_MSI | NEEDS_MSI_MASK)) && dev >= 0 &&
	    s->dev[dev].msi == SCENARIO_MSIX)
		return fail(p, "%s: device '%s' has no MSI capability (declare it with msi=maskable or msi=nomask)",
			    spec->name, s->dev[dev].name);
	if ((spec->needs & NEEDS_MSI_MASK) && dev >= 0 &&
	    s->dev[dev].msi != SCENARIO_MSI_MASKABLE)
		return fail(p, "%s: device '%s' has no per-vector masking (msi=nomask): its MSI cannot be masked",
			    spec->name, s->dev[dev].name);
	if ((spec->needs & NEEDS_VCPU) && !s->machine.nr_vcpus)
		return fail(p, "%s: the guest needs a vCPU (add 'vcpus 1' and its thread)",
			    spec->name);
	if (t < ntok)
		return fail(p, "%s: unexpected '%s' (%s)", spec->name, tok[t],
			    spec->doc);
	return 0;
}

static int parse_program_line(struct parser *p, char **tok, int ntok,
			      bool setup)
{
	struct scenario *s = p->s;
	char name[SCENARIO_MAX_LINE];
	size_t len = strlen(tok[0]);
	struct irqsim_op op;
	int actor, ret;

	if (len < 2 || tok[0][len - 1] != ':')
		return fail(p, "expected 'ACTOR: operation ...'");
	memcpy(name, tok[0], len - 1);
	name[len - 1] = 0;
	actor = find_actor(s, name);
	if (actor < 0)
		return fail(p, "unknown actor '%s' (declare it with 'actor' or 'device' first)",
			    name);
	if (ntok < 2)
		return fail(p, "%s: missing operation", name);
	if ((ret = parse_op(p, actor, tok + 1, ntok - 1, &op)))
		return ret;
	if (setup) {
		if (s->nsetup >= SCENARIO_MAX_SETUP)
			return fail(p, "too many setup operations (at most %d)",
				    SCENARIO_MAX_SETUP);
		s->setup[s->nsetup].actor = actor;
		s->setup[s->nsetup++].op = op;
		return 0;
	}
	if (s->prog[actor].nops >= IRQSIM_MAX_OPS)
		return fail(p, "actor '%s' has too many operations (at most %d)",
			    name, IRQSIM_MAX_OPS);
	s->prog[actor].op[s->prog[actor].nops++] = op;
	return 0;
}

int scenario_parse_object(const struct scenario *s, const char *text,
			  struct irqsim_object *obj, char *err, size_t len)
{
	char name[SCENARIO_MAX_LINE], *dot, *end;
	long n, vec = -1;
	int d;

	if (strlen(text) >= sizeof(name)) {
		snprintf(err, len, "'%.40s...': object name too long", text);
		return -1;
	}
	snprintf(name, sizeof(name), "%s", text);
	if (!strncmp(name, "irq", 3) && find_dev(s, name) < 0) {
		errno = 0;
		n = strtol(name + 3, &end, 10);
		if (name[3] < '0' || name[3] > '9' || *end || errno ||
		    n < 1 || n >= IRQSIM_MAX_IRQS) {
			snprintf(err, len,
				 "'%s': no such irq (irq1..irq%d)", text,
				 IRQSIM_MAX_IRQS - 1);
			return -1;
		}
		*obj = CHECK_OBJECT(CHECK_OBJ_IRQ, n, -1);
		return 0;
	}
	dot = strchr(name, '.');
	if (dot) {
		*dot = 0;
		errno = 0;
		vec = strtol(dot + 1, &end, 10);
		if (dot[1] < '0' || dot[1] > '9' || *end || errno) {
			snprintf(err, len, "'%s': the vector after '.' must be a number",
				 text);
			return -1;
		}
	}
	d = find_dev(s, name);
	if (d < 0 && !strncmp(name, "dev", 3) && name[3] >= '0' &&
	    name[3] <= '9') {
		errno = 0;
		n = strtol(name + 3, &end, 10);
		if (*end || errno || n >= s->ndev) {
			snprintf(err, len, "'%s': no such device (the trace has %d)",
				 text, s->ndev);
			return -1;
		}
		d = (int)n;
	}
	if (d < 0) {
		snprintf(err, len,
			 "'%s': unknown device (a device's name or devN, with .VECTOR, or irqN)",
			 text);
		return -1;
	}
	if (vec >= s->dev[d].nvec) {
		snprintf(err, len, "'%s': device %s has %d vector%s", text,
			 s->dev[d].name, s->dev[d].nvec,
			 s->dev[d].nvec == 1 ? "" : "s");
		return -1;
	}
	*obj = CHECK_OBJECT(CHECK_OBJ_DEV, d, vec);
	return 0;
}

int scenario_parse_verdict(const struct scenario *s, const char *text,
			   int *kind, struct irqsim_object *obj, char *err,
			   size_t len)
{
	char buf[SCENARIO_MAX_LINE], *colon;

	snprintf(buf, sizeof(buf), "%s", text);
	colon = strchr(buf, ':');
	if (colon)
		*colon = 0;
	*kind = check_kind_parse(buf);
	*obj = CHECK_OBJECT(CHECK_OBJ_NONE, -1, -1);
	if (*kind < 0) {
		suggest_unknown(err, len, "verdict", buf,
				suggest(buf, kind_name_at, NULL,
					CHECK_NR_KINDS),
				"list verdicts");
		return -1;
	}
	if (!colon)
		return 0;
	return scenario_parse_object(s, colon + 1, obj, err, len);
}

int scenario_parse_ignore(const struct scenario *s, const char *list,
			  struct scenario_ignore *ig, char *err, size_t len)
{
	char buf[SCENARIO_MAX_LINE], *save = NULL;

	if (strlen(list) >= sizeof(buf)) {
		snprintf(err, len, "list longer than %zu characters",
			 sizeof(buf) - 1);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *k = strtok_r(buf, ",", &save); k;
	     k = strtok_r(NULL, ",", &save)) {
		struct irqsim_object obj;
		int kind;

		if (scenario_parse_verdict(s, k, &kind, &obj, err, len))
			return -1;
		if (kind == CHECK_NONE) {
			snprintf(err, len, "none is not a verdict to ignore");
			return -1;
		}
		if (obj.type == CHECK_OBJ_NONE) {
			ig->kinds |= 1u << kind;
			continue;
		}
		if (ig->n >= IRQSIM_MAX_SCOPED) {
			snprintf(err, len, "at most %d scoped verdicts (KIND:OBJECT)",
				 IRQSIM_MAX_SCOPED);
			return -1;
		}
		ig->scoped[ig->n].kind = kind;
		ig->scoped[ig->n++].obj = obj;
	}
	return 0;
}

void scenario_object_name(const struct scenario *s,
			  const struct irqsim_object *obj, char *buf,
			  size_t len)
{
	int n;

	if (obj->type == CHECK_OBJ_IRQ) {
		snprintf(buf, len, "irq%d", obj->index);
		return;
	}
	if (obj->type != CHECK_OBJ_DEV) {
		snprintf(buf, len, "?");
		return;
	}
	if (obj->index >= 0 && obj->index < s->ndev &&
	    s->dev[obj->index].name[0])
		n = snprintf(buf, len, "%s", s->dev[obj->index].name);
	else
		n = snprintf(buf, len, "dev%d", obj->index);
	if (obj->sub >= 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ".%d", obj->sub);
}

void scenario_ignore_format(const struct scenario *s,
			    const struct scenario_ignore *ig, const char *sep,
			    char *buf, size_t len)
{
	const char *at = "";
	size_t n = 0;

	buf[0] = 0;
	for (int k = 1; k < CHECK_NR_KINDS && n < len; k++)
		if (ig->kinds & (1u << k)) {
			n += (size_t)snprintf(buf + n, len - n, "%s%s", at,
					      check_kind_name(k));
			at = sep;
		}
	for (int i = 0; i < ig->n && n < len; i++) {
		char obj[IRQSIM_NAME_LEN + 16];

		scenario_object_name(s, &ig->scoped[i].obj, obj, sizeof(obj));
		n += (size_t)snprintf(buf + n, len - n, "%s%s:%s", at,
				      check_kind_name(ig->scoped[i].kind),
				      obj);
		at = sep;
	}
}

/* ignore=KIND[:OBJECT][,...]: verdicts an expect line does not judge. */
static int parse_ignore(struct parser *p, const char *v,
			struct scenario_ignore *ig)
{
	char err[SCENARIO_ERR];

	if (scenario_parse_ignore(p->s, v, ig, err, sizeof(err)))
		return fail(p, "ignore=: %s", err);
	return 0;
}

/* reaches=WINDOW[,WINDOW]: race windows a "none" must have opened. */
static int parse_reaches(struct parser *p, const char *v, uint32_t *mask)
{
	char buf[SCENARIO_MAX_LINE], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	for (char *k = strtok_r(buf, ",", &save); k;
	     k = strtok_r(NULL, ",", &save)) {
		int win = check_window_parse(k);

		if (win < 0) {
			char msg[SCENARIO_ERR / 2];

			return fail(p, "reaches=: %s",
				    suggest_unknown(msg, sizeof(msg),
						    "race window", k,
						    suggest(k, window_name_at,
							    NULL,
							    CHECK_NR_WINDOWS),
						    "list windows"));
		}
		*mask |= 1u << win;
	}
	if (!*mask)
		return fail(p, "reaches= needs a race window");
	return 0;
}

static int parse_expect(struct parser *p, char **tok, int ntok)
{
	static const char *const keys[] = { "profile", "set", "runs", "ignore",
					    "strategy", "preemption-bound",
					    "reaches", NULL };
	struct scenario *s = p->s;
	struct scenario_expect *e;
	char err[SCENARIO_ERR];
	int ret;

	if (ntok < 2)
		return fail(p, "expect needs a verdict (none, lost-interrupt, ...)");
	if (s->nexpect >= SCENARIO_MAX_EXPECT)
		return fail(p, "too many expect lines (at most %d)",
			    SCENARIO_MAX_EXPECT);
	if ((ret = check_keys(p, tok, ntok, 2, keys)))
		return ret;
	e = &s->expect[s->nexpect];
	memset(e, 0, sizeof(*e));
	e->line = p->line;
	e->preemption_bound = -1;
	if (scenario_parse_verdict(s, tok[1], &e->kind, &e->obj, err,
				   sizeof(err)))
		return fail(p, "%s", err);
	for (int i = 2; i < ntok; i++) {
		const char *v = strchr(tok[i], '=') + 1;
		long n;

		if (!strncmp(tok[i], "profile=", 8))
			ret = config_add_profile(&e->config, v, err,
						 sizeof(err));
		else if (!strncmp(tok[i], "set=", 4))
			ret = config_add_setting(&e->config, v, err,
						 sizeof(err));
		else if (!strncmp(tok[i], "ignore=", 7))
			ret = parse_ignore(p, v, &e->ignore);
		else if (!strncmp(tok[i], "reaches=", 8)) {
			if (e->kind != CHECK_NONE)
				return fail(p, "reaches= belongs to expect none (a violation shows the window it happened in)");
			ret = parse_reaches(p, v, &e->reaches);
		} else if (!strncmp(tok[i], "strategy=", 9)) {
			if (strcmp(v, "dfs") && strcmp(v, "random"))
				return fail(p, "strategy= must be random or dfs, not '%s'",
					    v);
			e->exhaustive = !strcmp(v, "dfs");
		} else if (!strncmp(tok[i], "preemption-bound=", 17)) {
			if (!parse_int(v, 0, 1000, &n))
				return fail(p, "preemption-bound= must be 0..1000");
			e->preemption_bound = (int)n;
		} else if (!parse_int(v, 1, 100000000, &n))
			return fail(p, "runs= must be 1..100000000");
		else
			e->runs = (int)n;
		if (ret == -EINVAL)
			return ret;
		if (ret)
			return fail(p, "%s", err);
	}
	/*
	 * KIND:OBJECT judges that object alone: another's violation must
	 * not end the search for this one's (none:OBJECT too)
	 */
	e->ignore.only = e->obj;
	s->nexpect++;
	return 0;
}

static int parse_line(struct parser *p, char **tok, int ntok)
{
	struct scenario *s = p->s;
	char err[SCENARIO_ERR];
	int directive = directive_lookup(tok[0]);
	long n;

	if (directive < 0 && tok[0][strlen(tok[0]) - 1] != ':') {
		char msg[SCENARIO_ERR / 2];

		return fail(p, "%s",
			    suggest_unknown(msg, sizeof(msg), "directive",
					    tok[0],
					    suggest(tok[0], directive_name_at,
						    NULL, NR_DIRECTIVES),
					    "list directives"));
	}
	switch (directive) {
	case DIR_TRACE:
		if (ntok != 2 || strlen(tok[1]) >= sizeof(s->name))
			return fail(p, "trace takes one name (under 64 characters)");
		snprintf(s->name, sizeof(s->name), "%s", tok[1]);
		break;
	case DIR_CPUS:
		if (ntok != 2 || !parse_int(tok[1], 1, IRQSIM_MAX_CPUS, &n))
			return fail(p, "cpus must be 1..%d", IRQSIM_MAX_CPUS);
		if (s->machine.nactors)
			return fail(p, "cpus must come before actors and devices");
		s->machine.nr_cpus = (int)n;
		break;
	case DIR_VCPUS:
		if (ntok != 2 || !parse_int(tok[1], 0, IRQSIM_MAX_VCPUS, &n))
			return fail(p, "vcpus must be 0..%d", IRQSIM_MAX_VCPUS);
		s->machine.nr_vcpus = (int)n;
		p->vcpus_line = p->line;
		break;
	case DIR_DEVICE:
		return parse_device(p, tok, ntok);
	case DIR_ACTOR:
		return parse_actor(p, tok, ntok);
	case DIR_IOAPIC_DEVICE:
		return parse_ioapic_device(p, tok, ntok);
	case DIR_MAIN_LOOP: {
		static const char *const keys[] = { "cpu", NULL };
		int cpu = 0, ret;

		if ((ret = check_keys(p, tok, ntok, 1, keys)))
			return ret;
		if (kv(tok, ntok, 1, "cpu") &&
		    (ret = parse_cpu_value(p, kv(tok, ntok, 1, "cpu"), &cpu)))
			return ret;
		if (s->machine.qemu_main_actor >= 0)
			return fail(p, "main-loop is defined twice");
		ret = add_actor(p, "main", ROLE_QEMU_MAIN, cpu, -1);
		if (ret < 0)
			return ret;
		s->machine.qemu_main_actor = (int8_t)ret;
		break;
	}
	case DIR_SETUP:
		if (ntok < 3)
			return fail(p, "expected 'setup ACTOR: operation ...'");
		return parse_program_line(p, tok + 1, ntok - 1, true);
	case DIR_PROFILE:
		for (int i = 1; i < ntok; i++)
			if (config_add_profile(&s->config, tok[i], err,
					       sizeof(err)))
				return fail(p, "%s", err);
		break;
	case DIR_SET:
		for (int i = 1; i < ntok; i++)
			if (config_add_setting(&s->config, tok[i], err,
					       sizeof(err)))
				return fail(p, "%s", err);
		break;
	case DIR_MATRIX_USED:
		/* matrix-used cpu0=N cpu1=M: other devices' vectors */
		if (ntok < 2)
			return fail(p, "matrix-used needs cpuN=COUNT");
		for (int i = 1; i < ntok; i++) {
			char *eq = strchr(tok[i], '=');
			int cpu;

			if (!eq)
				return fail(p, "matrix-used: expected cpuN=COUNT, not '%s'",
					    tok[i]);
			*eq = 0;
			if (parse_cpu_value(p, tok[i], &cpu))
				return -EINVAL;
			if (!parse_int(eq + 1, 0,
				       FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR,
				       &n))
				return fail(p, "matrix-used: cpu%d=%s: a count 0..%d (the external vectors of a CPU)",
					    cpu, eq + 1,
					    FIRST_SYSTEM_VECTOR -
						    FIRST_EXTERNAL_VECTOR);
			s->matrix_used[cpu] = (int)n;
		}
		break;
	case DIR_BOUND:
		if (ntok != 2 || !parse_int(tok[1], 1, SCENARIO_MAX_STEPS, &n))
			return fail(p, "bound must be 1..%d steps",
				    SCENARIO_MAX_STEPS);
		s->bound = (uint32_t)n;
		break;
	case DIR_RUNS:
		if (ntok != 2 || !parse_int(tok[1], 1, 100000000, &n))
			return fail(p, "runs must be 1..100000000");
		s->runs = (int)n;
		break;
	case DIR_EXPECT:
		return parse_expect(p, tok, ntok);
	case DIR_SCHEDULE:
		/* read in a second pass, once every actor exists */
		s->has_schedule = true;
		break;
	case DIR_PROGRAM:
	default:
		/* ACTOR: (a word that ends with ':', checked above) */
		return parse_program_line(p, tok, ntok, false);
	}
	return 0;
}

/* Hard-irq actors per CPU and guest interrupt actors per vCPU. */
static int add_implicit_actors(struct parser *p)
{
	struct vmm_machine *m = &p->s->machine;
	char name[IRQSIM_NAME_LEN];
	int ret;

	for (int c = 0; c < m->nr_cpus; c++) {
		snprintf(name, sizeof(name), "cpu%d", c);
		ret = add_actor(p, name, ROLE_HARDIRQ, c, -1);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * The actors a guest brings once the file is read: guestN per vCPU and
 * QEMU's main loop. If they do not fit, say so at the 'vcpus' line.
 */
static int guest_actors_fit(struct parser *p)
{
	struct vmm_machine *m = &p->s->machine;
	int need = m->nr_vcpus + (m->nr_vcpus && m->qemu_main_actor < 0);

	if (m->nactors + need <= IRQSIM_MAX_ACTORS)
		return 0;
	p->line = p->vcpus_line;
	return fail(p, "too many actors: 'vcpus %d' adds %d implicit actors (guestN%s) to the trace's %d; at most %d actors, counting one per CPU, vCPU thread, guest and device",
		    m->nr_vcpus, need,
		    m->qemu_main_actor < 0 ? " and main" : "", m->nactors,
		    IRQSIM_MAX_ACTORS);
}

static int add_guest_actors(struct parser *p)
{
	struct vmm_machine *m = &p->s->machine;
	char name[IRQSIM_NAME_LEN];
	int ret;

	if ((ret = guest_actors_fit(p)))
		return ret;

	for (int v = 0; v < m->nr_vcpus; v++) {
		int va = m->vcpu_actor[v];

		if (va < 0)
			return fail(p, "vcpu %d has no thread: add 'actor NAME vcpu=%d cpu=N'",
				    v, v);
		snprintf(name, sizeof(name), "guest%d", v);
		ret = add_actor(p, name, ROLE_GUEST_IRQ, m->actor[va].cpu, v);
		if (ret < 0)
			return ret;
		m->guest_irq_actor[v] = (int8_t)ret;
	}
	return 0;
}

/*
 * The schedule lines, after the whole file: they may name the implicit
 * actors (cpuN, guestN, main) that exist only once the file is read.
 * The first pass checked the lines' lengths and words.
 */
static int parse_schedules(struct parser *p, const char *text)
{
	const char *cur = text;

	p->line = 0;
	while (*cur) {
		char line[SCENARIO_MAX_LINE + 2], bad[64];
		const char *nl = strchr(cur, '\n');
		size_t len = nl ? (size_t)(nl - cur) : strlen(cur);
		char *save = NULL, *hash, *t;

		p->line++;
		memcpy(line, cur, len);
		line[len] = 0;
		cur = nl ? nl + 1 : cur + len;
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		t = strtok_r(line, " \t\r", &save);
		if (!t || strcmp(t, "schedule"))
			continue;
		while ((t = strtok_r(NULL, " \t\r", &save))) {
			int ret = schedule_parse(p->s, t, &p->s->schedule, bad,
						 sizeof(bad));

			if (ret == -E2BIG)
				return fail(p, "schedule longer than %d transitions",
					    SCENARIO_MAX_SCHEDULE);
			if (ret == -ENOMEM) {
				fail(p, "out of memory");
				return -ENOMEM;
			}
			if (ret)
				return fail(p, "schedule: unknown transition '%s'",
					    bad);
		}
	}
	return 0;
}

static int parse_text(struct scenario *s, const char *file, const char *text,
		      char *err, size_t errlen)
{
	struct parser p = { .s = s, .file = file, .err = err, .errlen = errlen };
	const char *cur = text;
	bool cpus_done = false;
	int ret = 0;

	memset(s, 0, sizeof(*s));
	snprintf(s->file, sizeof(s->file), "%s", file);
	s->machine.nr_cpus = 2;
	s->machine.qemu_main_actor = -1;
	memset(s->machine.vcpu_actor, -1, sizeof(s->machine.vcpu_actor));
	memset(s->machine.guest_irq_actor, -1,
	       sizeof(s->machine.guest_irq_actor));
	memset(s->machine.dev_actor, -1, sizeof(s->machine.dev_actor));
	memset(s->machine.ldev_actor, -1, sizeof(s->machine.ldev_actor));
	s->bound = 5000;
	s->runs = 10000;
	irqsim_schedule_init(&s->schedule);
	if (strlen(text) > SCENARIO_MAX_FILE) {
		p.line = 0;
		return fail(&p, "file larger than %d bytes", SCENARIO_MAX_FILE);
	}
	while (*cur && !ret) {
		char line[SCENARIO_MAX_LINE + 2];
		const char *nl = strchr(cur, '\n');
		size_t len = nl ? (size_t)(nl - cur) : strlen(cur);
		char *tok[MAX_TOKENS], *save = NULL, *hash;
		int ntok = 0;

		p.line++;
		if (len > SCENARIO_MAX_LINE)
			return fail(&p, "line longer than %d characters",
				    SCENARIO_MAX_LINE);
		memcpy(line, cur, len);
		line[len] = 0;
		cur = nl ? nl + 1 : cur + len;
		if (memchr(line, 0, len))
			return fail(&p, "NUL byte in the line");
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		for (char *t = strtok_r(line, " \t\r", &save); t;
		     t = strtok_r(NULL, " \t\r", &save)) {
			if (ntok == MAX_TOKENS)
				return fail(&p, "more than %d words", MAX_TOKENS);
			tok[ntok++] = t;
		}
		if (!ntok)
			continue;
		/* CPUs must exist before the first actor refers to them */
		if (!cpus_done && strcmp(tok[0], "cpus") &&
		    strcmp(tok[0], "trace") && strcmp(tok[0], "vcpus")) {
			cpus_done = true;
			ret = add_implicit_actors(&p);
			if (ret)
				return ret;
		}
		ret = parse_line(&p, tok, ntok);
	}
	if (ret)
		return ret;
	if (!cpus_done && (ret = add_implicit_actors(&p)))
		return ret;
	if ((ret = add_guest_actors(&p)))
		return ret;
	if (s->machine.nr_vcpus && s->machine.qemu_main_actor < 0) {
		ret = add_actor(&p, "main", ROLE_QEMU_MAIN, 0, -1);
		if (ret < 0)
			return ret;
		s->machine.qemu_main_actor = (int8_t)ret;
	}
	if (s->has_schedule && (ret = parse_schedules(&p, text)))
		return ret;
	if (!s->name[0]) {
		const char *base = strrchr(file, '/');

		snprintf(s->name, sizeof(s->name), "%.40s", base ? base + 1 : file);
		if (strstr(s->name, ".trace"))
			*strstr(s->name, ".trace") = 0;
	}
	s->text = irqsim_strdup(text);
	if (!s->text) {
		p.line = 0;
		fail(&p, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

int scenario_parse(struct scenario *s, const char *file, const char *text,
		   char *err, size_t errlen)
{
	int ret = parse_text(s, file, text, err, errlen);

	/* a failed parse holds nothing: the caller need not free it */
	if (ret)
		scenario_free(s);
	return ret;
}

int scenario_load(struct scenario *s, const char *path, char *err,
		  size_t errlen)
{
	char *buf;
	size_t n;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = infile_read(path, SCENARIO_MAX_FILE, &buf, &n, err, errlen);
	if (ret)
		return ret;
	if (n > SCENARIO_MAX_FILE) {
		free(buf);
		snprintf(err, errlen, "%s:0: file larger than %d bytes", path,
			 SCENARIO_MAX_FILE);
		return -EINVAL;
	}
	if (strlen(buf) != n) {
		free(buf);
		snprintf(err, errlen, "%s:0: NUL byte in a text file", path);
		return -EINVAL;
	}
	ret = scenario_parse(s, path, buf, err, errlen);
	free(buf);
	return ret;
}

void scenario_free(struct scenario *s)
{
	irqsim_schedule_free(&s->schedule);
	free(s->text);
	s->text = NULL;
}

int schedule_line(const struct scenario *s, const char *text, size_t index,
		  char *name, size_t namelen)
{
	struct irqsim_rt rt = { .model_data = (void *)&s->machine };
	struct irqsim_schedule sc;
	int lineno = 0, found = 0;

	irqsim_schedule_init(&sc);
	while (text && *text && !found) {
		char line[SCENARIO_MAX_LINE + 2], bad[64], *save = NULL, *t;
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		lineno++;
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, text, len);
		line[len] = 0;
		text = nl ? nl + 1 : text + strlen(text);
		if (!strcmp(line, "trace-text"))
			break;
		if (strchr(line, '#'))
			*strchr(line, '#') = 0;
		t = strtok_r(line, " \t\r", &save);
		if (!t || strcmp(t, "schedule"))
			continue;
		while (!found && (t = strtok_r(NULL, " \t\r", &save))) {
			if (schedule_parse(s, t, &sc, bad, sizeof(bad)))
				goto out;
			if (sc.n > index) {
				machine_transition_name(NULL, &rt,
							sc.t[index], name,
							namelen);
				found = lineno;
			}
		}
	}
out:
	irqsim_schedule_free(&sc);
	return found;
}

int schedule_format(const struct scenario *s, const struct irqsim_schedule *sc,
		    FILE *out)
{
	struct irqsim_rt rt = { .model_data = (void *)&s->machine };
	char name[64];
	int col = 8;

	fputs("schedule", out);
	for (size_t i = 0; i < sc->n;) {
		size_t j = i;
		char tokbuf[128];

		while (j < sc->n && sc->t[j] == sc->t[i])
			j++;
		machine_transition_name(NULL, &rt, sc->t[i], name,
					sizeof(name));
		if (j - i > 1)
			snprintf(tokbuf, sizeof(tokbuf), "%s*%zu", name, j - i);
		else
			snprintf(tokbuf, sizeof(tokbuf), "%s", name);
		if (col + 1 + strlen(tokbuf) > 78) {
			fputs("\nschedule", out);
			col = 8;
		}
		fprintf(out, " %s", tokbuf);
		col += 1 + (int)strlen(tokbuf);
		i = j;
	}
	fputc('\n', out);
	return 0;
}

int schedule_parse(const struct scenario *s, const char *text,
		   struct irqsim_schedule *sc, char *bad, size_t badlen)
{
	struct irqsim_rt rt = { .model_data = (void *)&s->machine };
	char name[64];
	const char *star = strchr(text, '*');
	long count = 1;
	int t;

	snprintf(bad, badlen, "%s", text);
	if (star) {
		if ((size_t)(star - text) >= sizeof(name) ||
		    !parse_int(star + 1, 1, 100000, &count))
			return -EINVAL;
		memcpy(name, text, star - text);
		name[star - text] = 0;
	} else {
		if (strlen(text) >= sizeof(name))
			return -EINVAL;
		snprintf(name, sizeof(name), "%s", text);
	}
	t = machine_transition_parse(&rt, name);
	if (t < 0)
		return -EINVAL;
	if (sc->n + (size_t)count > SCENARIO_MAX_SCHEDULE)
		return -E2BIG;
	for (long i = 0; i < count; i++)
		if (irqsim_schedule_push(sc, (uint16_t)t))
			return -ENOMEM;
	return 0;
}

void schedule_print_words(const struct scenario *s,
			  const struct irqsim_schedule *sc, FILE *out)
{
	struct irqsim_rt rt = { .model_data = (void *)&s->machine };
	char name[64];

	for (size_t i = 0; i < sc->n;) {
		size_t j = i;

		while (j < sc->n && sc->t[j] == sc->t[i])
			j++;
		machine_transition_name(NULL, &rt, sc->t[i], name,
					sizeof(name));
		fprintf(out, "%s%s", i ? " " : "", name);
		if (j - i > 1)
			fprintf(out, "*%zu", j - i);
		i = j;
	}
}
