// SPDX-License-Identifier: MIT
/*
 * irqsim import: a QEMU trace log or kernel ftrace text made into a trace
 * (the actors and devices the log names, the programs its events imply,
 * a fixed schedule that orders the model's steps as the log orders its
 * events), and irqsim replay --log: a run set against a log, event by
 * event. The log is read in src/trace/import.c; the schedule is searched
 * for in follow.c.
 */
#include "cli/infile.h"
#include "cli/internal.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The most a log may be: its events are searched one by one. */
#define IMPORT_MAX_FILE		(4 << 20)
/* States the schedule search may enter, per configuration tried. */
#define IMPORT_MAX_STATES	400000

#define IMPORT_MAX_NOTES	24
#define IMPORT_MAX_OPS		64

/* What the import read into the log: the trace's parts and why. */
struct inferred {
	int cpus, vcpus;
	int vcpu_cpu[IRQSIM_MAX_VCPUS];
	char devices[1024];	/* device and ioapic-device lines */
	char setup[512];
	int nops;
	char op[IMPORT_MAX_OPS][96];
	int nnotes;
	char note[IMPORT_MAX_NOTES][240];
	bool assumed;		/* events the log cannot show were added */
};

static void note(struct inferred *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct inferred *in, const char *fmt, ...)
{
	va_list ap;

	if (in->nnotes >= IMPORT_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(in->note[in->nnotes++], sizeof(in->note[0]), fmt, ap);
	va_end(ap);
}

static int add_op(struct inferred *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add_op(struct inferred *in, const char *fmt, ...)
{
	va_list ap;

	if (in->nops >= IMPORT_MAX_OPS)
		return -1;
	va_start(ap, fmt);
	vsnprintf(in->op[in->nops++], sizeof(in->op[0]), fmt, ap);
	va_end(ap);
	return 0;
}

static bool is_event(const struct trace_log_event *e, const char *tp)
{
	return trace_log_event_tp(e) && !strcmp(trace_log_event_tp(e), tp);
}

static long long fv(const struct trace_log_event *e, const char *key)
{
	const struct trace_log_field *f = trace_log_get(e, key);

	return f ? f->v : -1;
}

/* ------------------------------------------------------------------ */
/* QEMU's split-irqchip IOAPIC (seeds/003)                              */

#define IOAPIC_PINS	24

/*
 * An IOAPIC pin: its level line asserts (ioapic_set_irq level 1), its
 * KVM route's destination (ioapic_update_kvm_routes, or the RTE's high
 * dword written through IOWIN) as it changes.
 */
struct pin_seen {
	int pin;
	int asserts, deasserts;
	int ndest;
	int dest[8], dest_line[8];
};

static struct pin_seen *pin_get(struct pin_seen *p, int *np, int pin)
{
	for (int i = 0; i < *np; i++)
		if (p[i].pin == pin)
			return &p[i];
	if (pin < 0 || pin >= IOAPIC_PINS || *np >= IRQSIM_MAX_GUEST_IOAPIC_IRQS)
		return NULL;
	p[*np] = (struct pin_seen){ .pin = pin };
	return &p[(*np)++];
}

static void pin_dest(struct pin_seen *p, int dest, int line)
{
	if (p->ndest && p->dest[p->ndest - 1] == dest)
		return;
	if (p->ndest == 8)
		return;
	p->dest[p->ndest] = dest;
	p->dest_line[p->ndest++] = line;
}

static int infer_ioapic(const struct trace_log *log, struct inferred *in,
			char *err, size_t errlen)
{
	/* as many as a trace can have ioapic-device lines */
	struct pin_seen pins[IRQSIM_MAX_GUEST_IOAPIC_IRQS];
	int npins = 0, maxdest = 0;
	size_t at = 0;

	for (size_t i = 0; i < log->n; i++) {
		const struct trace_log_event *e = &log->ev[i];
		struct pin_seen *p = NULL;
		long long pin = -1;

		if (is_event(e, "ioapic_set_irq"))
			pin = fv(e, "vector");
		else if (is_event(e, "ioapic_update_kvm_routes"))
			pin = fv(e, "irq");
		else if (trace_log_get(e, "pin"))
			pin = fv(e, "pin");
		else if (is_event(e, "ioapic_mem_write") && fv(e, "addr") == 0x10 &&
			 fv(e, "regsel") >= 0x10 && fv(e, "regsel") < 0x40)
			pin = (fv(e, "regsel") - 0x10) / 2;
		if (pin < 0)
			continue;
		p = pin_get(pins, &npins, (int)pin);
		if (!p && pin >= IOAPIC_PINS) {
			snprintf(err, errlen, "%s:%d: pin %lld: the IOAPIC has pins 0..%d",
				 log->file, e->line, pin, IOAPIC_PINS - 1);
			return -1;
		}
		if (!p) {
			snprintf(err, errlen, "%s:%d: pin %lld: a pin more than irqsim models (at most %d emulated level devices, ioapic-device lines)",
				 log->file, e->line, pin,
				 IRQSIM_MAX_GUEST_IOAPIC_IRQS);
			return -1;
		}
		if (is_event(e, "ioapic_set_irq")) {
			if (fv(e, "level"))
				p->asserts++;
			else
				p->deasserts++;
		} else if (is_event(e, "ioapic_update_kvm_routes")) {
			pin_dest(p, (int)((fv(e, "address") >> 12) & 0xff),
				 e->line);
		} else if (is_event(e, "ioapic_mem_write") &&
			   fv(e, "regsel") == 0x11 + 2 * p->pin) {
			/* the RTE's high dword: the destination in 31:24 */
			pin_dest(p, (int)((fv(e, "val") >> 24) & 0xff), e->line);
		}
	}
	if (!npins) {
		snprintf(err, errlen, "%s: no event of QEMU's IOAPIC names a pin: nothing to import",
			 log->file);
		return -1;
	}
	for (int i = 0; i < npins; i++)
		for (int d = 0; d < pins[i].ndest; d++)
			if (pins[i].dest[d] > maxdest)
				maxdest = pins[i].dest[d];
	if (maxdest >= IRQSIM_MAX_VCPUS) {
		snprintf(err, errlen, "%s: a route to APIC ID %d: irqsim models at most %d vCPUs",
			 log->file, maxdest, IRQSIM_MAX_VCPUS);
		return -1;
	}
	in->cpus = 1;
	in->vcpus = maxdest + 1;
	note(in, "%d vCPUs: the highest APIC ID a KVM route names is %d; every vCPU thread on host CPU 0 (QEMU's split irqchip: the host side plays no part)",
	     in->vcpus, maxdest);
	for (int i = 0; i < npins; i++) {
		struct pin_seen *p = &pins[i];
		int first = p->ndest ? p->dest[0] : 0;
		char handler[16] = "any";

		if (p->asserts > IRQSIM_MAX_OPS) {
			snprintf(err, errlen, "%s: pin %d asserts %d times: irqsim runs at most %d operations per actor",
				 log->file, p->pin, p->asserts, IRQSIM_MAX_OPS);
			return -1;
		}
		at += (size_t)snprintf(in->devices + at,
				       sizeof(in->devices) - at,
				       "ioapic-device pin%d pin=%d\n", p->pin,
				       p->pin);
		/*
		 * The line never goes low: the driver's handler took none of
		 * the events on the vCPUs the log delivers them to. It acts on
		 * the vCPU the guest moves the irq to, if it does.
		 */
		if (!p->deasserts && p->ndest > 1)
			snprintf(handler, sizeof(handler), "vcpu%d",
				 p->dest[p->ndest - 1]);
		snprintf(in->setup + strlen(in->setup),
			 sizeof(in->setup) - strlen(in->setup),
			 "setup vcpu0: guest_ioapic_request_irq %d %d %s\n",
			 p->pin, first, handler);
		if (p->ndest)
			note(in, "pin %d: request_irq() with its first KVM route, to vCPU %d (line %d)",
			     p->pin, first, p->dest_line[0]);
		else
			note(in, "pin %d: no KVM route or RTE destination in the log: vCPU 0 assumed",
			     p->pin);
		if (strcmp(handler, "any"))
			note(in, "pin %d: the line is never lowered (no ioapic_set_irq level 0): the handler does nothing on the vCPUs the log delivers to, and acts on %s, where the guest moves the irq",
			     p->pin, handler);
		for (int d = 1; d < p->ndest; d++) {
			if (add_op(in, "vcpu%d: guest_irq_set_affinity %d %d",
				   p->dest[d], p->pin, p->dest[d]))
				goto too_many;
			note(in, "pin %d: the guest moves it to vCPU %d: the route changes at line %d (irq_set_affinity has no event in the log: the model places it)",
			     p->pin, p->dest[d], p->dest_line[d]);
		}
		for (int a = 0; a < p->asserts; a++)
			if (add_op(in, "pin%d: assert", p->pin))
				goto too_many;
		note(in, "pin %d: %d assertions of the line (ioapic_set_irq level 1)",
		     p->pin, p->asserts);
	}
	return 0;
too_many:
	snprintf(err, errlen, "%s: more than %d operations", log->file,
		 IMPORT_MAX_OPS);
	return -1;
}

/* ------------------------------------------------------------------ */
/* A guest's MSI-X behind VFIO, from host ftrace (seeds/000)             */

static int infer_vfio(const struct trace_log *log, struct inferred *in,
		      char *err, size_t errlen)
{
	long long page[IRQSIM_MAX_DEVS];
	int npages = 0, nvec[IRQSIM_MAX_DEVS] = { 0 };
	int affinity[IRQSIM_MAX_DEVS], handled = 0, maxcpu = 0;
	int target_vcpu = -1;
	size_t at = 0;

	for (int d = 0; d < IRQSIM_MAX_DEVS; d++)
		affinity[d] = -1;
	for (int v = 0; v < IRQSIM_MAX_VCPUS; v++)
		in->vcpu_cpu[v] = -1;
	/* MSI-X tables: pages the guest writes a vector control dword of */
	for (size_t i = 0; i < log->n; i++) {
		const struct trace_log_event *e = &log->ev[i];
		int d;

		if (e->cpu > maxcpu)
			maxcpu = e->cpu;
		if (e->vcpu >= IRQSIM_MAX_VCPUS) {
			snprintf(err, errlen, "%s:%d: vCPU %d: irqsim models at most %d vCPUs",
				 log->file, e->line, e->vcpu, IRQSIM_MAX_VCPUS);
			return -1;
		}
		if (e->vcpu >= 0 && in->vcpu_cpu[e->vcpu] < 0)
			in->vcpu_cpu[e->vcpu] = e->cpu;
		if (e->vcpu + 1 > in->vcpus)
			in->vcpus = e->vcpu + 1;
		if (is_event(e, "irq_handler_entry"))
			handled++;
		if ((is_event(e, "kvm_set_msi") || is_event(e, "kvm_inj_virq")) &&
		    target_vcpu < 0)
			target_vcpu = (int)fv(e, "vcpu");
		/* the guest's writes: a vCPU thread's, not another task's */
		if (!is_event(e, "msix_table_mmio_write") ||
		    fv(e, "dword") != 3 || e->vcpu < 0)
			continue;
		for (d = 0; d < npages && page[d] != fv(e, "dev"); d++)
			;
		if (d == npages) {
			if (npages == IRQSIM_MAX_DEVS) {
				snprintf(err, errlen, "%s:%d: a third MSI-X table: irqsim models at most %d devices",
					 log->file, e->line, IRQSIM_MAX_DEVS);
				return -1;
			}
			page[npages++] = fv(e, "dev");
		}
		if (fv(e, "entry") >= IRQSIM_MAX_VECS) {
			snprintf(err, errlen, "%s:%d: MSI-X entry %lld: irqsim models at most %d vectors a device",
				 log->file, e->line, fv(e, "entry"),
				 IRQSIM_MAX_VECS);
			return -1;
		}
		if (fv(e, "entry") + 1 > nvec[d])
			nvec[d] = (int)fv(e, "entry") + 1;
	}
	if (!npages || !in->vcpus) {
		snprintf(err, errlen, "%s: no vCPU thread (\"CPU n/KVM\") writes an MSI-X vector control (kvm_mmio, a 4-byte write at offset 0xc of an entry): irqsim imports the host's ftrace of a guest's MSI-X behind VFIO",
			 log->file);
		return -1;
	}
	for (size_t i = 0; i < log->n; i++) {
		const struct trace_log_event *e = &log->ev[i];

		if ((is_event(e, "vector_update") || is_event(e, "vector_clear")) &&
		    affinity[0] < 0)
			affinity[0] = (int)fv(e, "cpu");
	}
	in->cpus = log->ncpus > 0 ? log->ncpus : maxcpu + 1;
	if (in->cpus < 2)
		in->cpus = 2;
	if (in->cpus > IRQSIM_MAX_CPUS) {
		snprintf(err, errlen, "%s: %d CPUs: irqsim models at most %d",
			 log->file, in->cpus, IRQSIM_MAX_CPUS);
		return -1;
	}
	note(in, "%d host CPUs (%s), %d vCPU threads (tasks \"CPU n/KVM\")",
	     in->cpus, log->ncpus > 0 ? "the header's #P" : "the CPU column",
	     in->vcpus);
	for (int d = 0; d < npages; d++) {
		int aff = affinity[d] >= 0 ? affinity[d] :
			  affinity[0] >= 0 ? affinity[0] : 1;

		at += (size_t)snprintf(in->devices + at,
				       sizeof(in->devices) - at,
				       "device nic%d msix=%d behaviour=ack affinity=cpu%d\n",
				       d, nvec[d], aff);
		note(in, "nic%d: the MSI-X table at guest page %#llx, %d vector%s (the entries written), its host vector on CPU %d (the first vector_update or vector_clear)",
		     d, page[d], nvec[d], nvec[d] == 1 ? "" : "s", aff);
		snprintf(in->setup + strlen(in->setup),
			 sizeof(in->setup) - strlen(in->setup),
			 "setup vcpu0: qemu_vfio_msix_enable nic%d %d %d\n", d,
			 nvec[d], target_vcpu < 0 ? 0 : target_vcpu);
	}
	note(in, "the guest's driver enabled MSI-X before the log: QEMU routes every vector through a KVM irqfd to vCPU %d%s",
	     target_vcpu < 0 ? 0 : target_vcpu,
	     target_vcpu < 0 ? " (no delivery in the log names one)" : "");
	for (size_t i = 0; i < log->n; i++) {
		const struct trace_log_event *e = &log->ev[i];
		int d;

		if (!is_event(e, "msix_table_mmio_write") ||
		    fv(e, "dword") != 3 || e->vcpu < 0)
			continue;
		for (d = 0; page[d] != fv(e, "dev"); d++)
			;
		if (add_op(in, "vcpu%d: guest_msix_%s nic%d %lld", e->vcpu,
			   fv(e, "value") & 1 ? "mask" : "unmask", d,
			   fv(e, "entry")))
			goto too_many;
	}
	/*
	 * An MSI has no event of its own in a host's ftrace. The device
	 * raised one for each handler call the log shows, and one more
	 * the log cannot show: the event a stalled device waits with.
	 */
	for (int d = 0; d < npages; d++)
		for (int r = 0; r <= handled; r++)
			if (add_op(in, "nic%d: raise 0", d))
				goto too_many;
	in->assumed = true;
	note(in, "assumed: nic0 raises %d MSI%s: one per handler call of the log (%d) and one more, the event a stalled device waits with, which no host tracepoint shows (delete that raise if the device was idle)",
	     handled + 1, handled ? "s" : "", handled);
	return 0;
too_many:
	snprintf(err, errlen, "%s: more than %d operations", log->file,
		 IMPORT_MAX_OPS);
	return -1;
}

/* ------------------------------------------------------------------ */
/* The trace                                                            */

struct import_opts {
	const char *file;
	int format;
	bool complete;
	const struct scenario_config *config;	/* --profile, --set */
	uint64_t max_states;			/* per configuration tried */
};

/* The configurations tried when none is given: the newest first. */
static const char *const linux_profiles[] = {
	"linux-6.18", "linux-6.17", "linux-6.16", "linux-6.4", "linux-6.2",
};
static const char *const qemu_profiles[] = {
	"qemu-current", "qemu-8.2", "qemu-8.1", "qemu-8.0", "qemu-7.2",
};

#define NLINUX	(sizeof(linux_profiles) / sizeof(linux_profiles[0]))
#define NQEMU	(sizeof(qemu_profiles) / sizeof(qemu_profiles[0]))

/* The @i-th pair, by how far both are from the newest. */
static void candidate(int i, const char **lx, const char **qm)
{
	int n = 0;

	/* out of range: the newest pair (the callers never ask for one) */
	*lx = linux_profiles[0];
	*qm = qemu_profiles[0];

	for (size_t sum = 0; sum < NLINUX + NQEMU - 1; sum++)
		for (size_t l = 0; l < NLINUX; l++) {
			if (sum < l || sum - l >= NQEMU)
				continue;
			if (n++ == i) {
				*lx = linux_profiles[l];
				*qm = qemu_profiles[sum - l];
				return;
			}
		}
}

static void trace_name(const char *file, char *name, size_t len)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t n = 0;

	for (const char *p = base; *p && *p != '.' && n + 1 < len && n < 40;
	     p++)
		name[n++] = (char)(strchr(":*# \t", *p) ? '-' : *p);
	if (!n)
		name[n++] = 'l';
	name[n] = 0;
}

static void print_config_lines(FILE *f, const struct scenario_config *c)
{
	for (int i = 0; i < c->n; i++) {
		char buf[16];

		if (c->item[i].profile >= 0)
			fprintf(f, "profile %s\n",
				profile_get(c->item[i].profile)->name);
		else
			fprintf(f, "set %s=%s\n",
				irqsim_knob_get(c->item[i].knob)->name,
				irqsim_knob_value_name(c->item[i].knob,
						       c->item[i].value, buf,
						       sizeof(buf)));
	}
}

/*
 * The trace's directives: the machine, the profiles (@lx/@qm, or the
 * user's), the setup and the programs. No schedule, no expect line.
 */
static char *body_text(const struct inferred *in,
		       const struct import_opts *io, const char *lx,
		       const char *qm)
{
	char *buf = NULL, name[48];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	trace_name(io->file, name, sizeof(name));
	fprintf(f, "trace %s\ncpus %d\nvcpus %d\n", name, in->cpus, in->vcpus);
	for (int v = 0; v < in->vcpus; v++)
		fprintf(f, "actor vcpu%d vcpu=%d cpu=%d\n", v, v,
			in->vcpu_cpu[v] > 0 ? in->vcpu_cpu[v] : 0);
	fprintf(f, "main-loop cpu=0\n%s", in->devices);
	if (lx)
		fprintf(f, "profile %s %s\n", lx, qm);
	else
		print_config_lines(f, io->config);
	fprintf(f, "\n%s\n", in->setup);
	for (int i = 0; i < in->nops; i++)
		fprintf(f, "%s\n", in->op[i]);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * A session from the import's trace text. 0; -EPROTO when it does not
 * parse (a bug in the import: the fuzz target checks it never happens),
 * or another error, with @err.
 */
static int session_text(struct session *ss, const char *file, const char *text,
			char *err, size_t errlen)
{
	char why[SCENARIO_ERR];

	memset(ss, 0, sizeof(*ss));
	if (scenario_parse(&ss->s, file, text, why, sizeof(why))) {
		snprintf(err, errlen, "irqsim: the imported trace does not parse (a bug in irqsim import): %.700s",
			 why);
		return -EPROTO;
	}
	if (session_open(ss, NULL)) {
		snprintf(err, errlen, "irqsim: the imported trace's setup fails");
		return -EINVAL;
	}
	return 0;
}

static const char *tname(const struct session *ss, uint16_t t, char *buf,
			 size_t len)
{
	struct irqsim_rt rt = { .model_data = (void *)&ss->s.machine };

	return machine_transition_name(NULL, &rt, t, buf, len);
}

/* "schedule ..." of the steps [@i, @end), each run of one as T*N. */
static void print_filled(FILE *f, struct session *ss,
			 const struct compare_result *c, size_t i, size_t end)
{
	char name[64], word[80];
	int col = fprintf(f, "schedule");

	while (i < end) {
		size_t r = i;
		int n;

		while (r + 1 < end && c->step[r + 1].t == c->step[i].t)
			r++;
		tname(ss, c->step[i].t, name, sizeof(name));
		if (r > i)
			snprintf(word, sizeof(word), " %s*%zu", name, r - i + 1);
		else
			snprintf(word, sizeof(word), " %s", name);
		n = (int)strlen(word);
		/* a line the trace parser reads: short enough */
		if (col > 8 && col + n > 60) {
			fprintf(f, "%*s# filled in by the model: no event in the log\nschedule",
				col < 40 ? 40 - col : 1, "");
			col = 8;
		}
		col += fprintf(f, "%s", word);
		i = r + 1;
	}
	fprintf(f, "%*s# filled in by the model: no event in the log\n",
		col < 40 ? 40 - col : 1, "");
}

/* The schedule as trace lines: one per step that logs events of the log. */
static void print_schedule(FILE *f, struct session *ss,
			   const struct trace_log *log,
			   const struct compare_result *c)
{
	char name[64];
	size_t i = 0;

	while (i < c->nsteps && c->step[i].scheduled) {
		const struct compare_step *st = &c->step[i];

		if (!st->nlog) {
			/* the steps the model fills in, up to the next */
			size_t j = i;

			while (j < c->nsteps && c->step[j].scheduled &&
			       !c->step[j].nlog)
				j++;
			print_filled(f, ss, c, i, j);
			i = j;
			continue;
		}
		{
			const struct trace_log_event *e = &log->ev[st->first];
			int col;

			tname(ss, st->t, name, sizeof(name));
			col = fprintf(f, "schedule %s", name);
			fprintf(f, "%*s# line %d: %s", col < 40 ? 40 - col : 1, "",
				e->line, trace_log_event_name(e));
			if (st->nlog > 1)
				fprintf(f, " and %zu more (to line %d)",
					st->nlog - 1,
					log->ev[st->first + st->nlog - 1].line);
			fputc('\n', f);
			if (st->note[0])
				fprintf(f, "%*s# (not compared: %s)\n", 40, "",
					st->note);
		}
		i++;
	}
}

/* "#   text", wrapped at 78 columns, the next lines indented by @indent. */
static void comment_wrapped(FILE *f, const char *lead, const char *text,
			    int indent)
{
	int col = fprintf(f, "#%s", lead);

	while (*text) {
		size_t w = strcspn(text, " ");

		if (col > indent + 1 && col + 1 + (int)w > 78) {
			fputc('\n', f);
			col = fprintf(f, "#%*s", indent, "");
		} else if (col > (int)strlen(lead) + 1) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, w, f);
		col += (int)w;
		text += w;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

/* The log's lines with no step in the model, by why, as comment lines. */
static void unmapped_comments(FILE *f, const struct trace_log *log)
{
	const char *done[16];
	int ndone = 0;

	for (size_t i = 0; i < log->nun; i++) {
		const char *why = log->un[i].why;
		char list[2048];
		size_t at = 0;
		bool seen = false;

		for (int d = 0; d < ndone; d++)
			seen |= done[d] == why;
		if (seen || ndone == 16)
			continue;
		done[ndone++] = why;
		at += (size_t)snprintf(list, sizeof(list), "%s: line", why);
		for (size_t j = i; j < log->nun && at < sizeof(list) - 16; j++)
			if (log->un[j].why == why)
				at += (size_t)snprintf(list + at,
						       sizeof(list) - at,
						       " %d", log->un[j].line);
		comment_wrapped(f, "   - ", list, 5);
	}
}

/* The events read, one line per kind, with the source of its format. */
static void mapped_comments(FILE *f, const struct trace_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		const char *name = trace_log_event_name(&log->ev[i]);
		bool seen = false;
		char line[256];

		for (size_t j = 0; j < i; j++)
			seen |= trace_log_event_name(&log->ev[j]) == name;
		if (seen)
			continue;
		snprintf(line, sizeof(line), "%s (%s)", name,
			 trace_log_event_source(&log->ev[i]));
		comment_wrapped(f, "   ", line, 5);
	}
}

/*
 * The expect lines the run of the trace meets: its first violation, then
 * with it ignored the next (at most three), or none.
 */
static void expect_lines(FILE *f, struct session *ss,
			 const struct irqsim_schedule *sc)
{
	struct scenario_ignore keep = ss->ignore;
	char list[256] = "";

	for (int i = 0; i < 3; i++) {
		struct irqsim_run_result res;
		struct irqsim_chooser ch;
		const char *name;

		replay_chooser(&ch, sc, true);
		session_run(ss, &ch, NULL, NULL, &res);
		if (res.status != IRQSIM_RUN_VIOLATION) {
			if (!i)
				fprintf(f, "expect none\n");
			break;
		}
		name = check_kind_name(res.verdict.kind);
		fprintf(f, "expect %s%s%s\n", name, list[0] ? " ignore=" : "",
			list);
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", list[0] ? "," : "", name);
		ss->ignore.kinds |= 1u << res.verdict.kind;
	}
	ss->ignore = keep;
}

struct import_run {
	struct trace_log log;
	struct inferred in;
	char *body;
	struct session ss;
	bool open;
	struct follow_result fr;
	struct compare_result cr;
	const char *lx, *qm;	/* the profiles chosen; NULL: the user's */
	int tried;
	/* the defaults' disagreement, when another pair was chosen */
	int default_line;
	char default_why[640];
};

static void import_run_free(struct import_run *ir)
{
	if (ir->open)
		session_close(&ir->ss);
	ir->open = false;
	free(ir->body);
	ir->body = NULL;
	follow_result_free(&ir->fr);
	compare_result_free(&ir->cr);
	trace_log_free(&ir->log);
}

/* Read @path into ir->log. 0, or EXIT_USAGE having said why. */
static int load_log(struct trace_log *log, const char *path, int format)
{
	char err[SCENARIO_ERR], *buf;
	size_t n;
	int ret;

	memset(log, 0, sizeof(*log));
	if (infile_read(path, IMPORT_MAX_FILE, &buf, &n, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (n > IMPORT_MAX_FILE || strlen(buf) != n) {
		fprintf(stderr, "%s:0: %s\n", path,
			n > IMPORT_MAX_FILE ? "file larger than 4 MiB" :
					      "NUL byte in a text file");
		free(buf);
		return EXIT_USAGE;
	}
	ret = trace_log_parse(log, path, buf, format, err, sizeof(err));
	free(buf);
	if (ret) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (!log->n) {
		fprintf(stderr, "%s: none of its %d lines is an event irqsim has a step for (%zu unmapped): nothing to import\n",
			path, log->lines, log->nun);
		return EXIT_USAGE;
	}
	return 0;
}

/* One configuration: its trace, its session, the search. */
static int try_config(struct import_run *ir, const struct import_opts *io,
		      const char *lx, const char *qm, char *err, size_t errlen)
{
	int ret;

	if (ir->open)
		session_close(&ir->ss);
	ir->open = false;
	free(ir->body);
	follow_result_free(&ir->fr);
	ir->body = body_text(&ir->in, io, lx, qm);
	if (!ir->body)
		goto oom;
	ret = session_text(&ir->ss, io->file, ir->body, err, errlen);
	ir->open = true;
	if (ret)
		return ret;
	ir->lx = lx;
	ir->qm = qm;
	if (follow_log(&ir->ss, &ir->log, io->complete,
		       ir->in.assumed && !io->complete, io->max_states,
		       &ir->fr))
		goto oom;
	return 0;
oom:
	snprintf(err, errlen, "irqsim: out of memory");
	return -ENOMEM;
}

/*
 * Infer the trace from the log and search for its schedule: with the
 * profiles and knobs given, or else with each pair of a Linux and a QEMU
 * profile, newest first, until a run follows the log. 0 (ir->fr.followed
 * says whether one did), or an error with @err.
 */
static int import_log(struct import_run *ir, const struct import_opts *io,
		      char *err, size_t errlen)
{
	int n = io->config->n ? 1 : (int)(NLINUX * NQEMU);
	int best = -1;
	size_t best_k = 0;
	int ret;

	if ((ir->log.format == TRACE_LOG_QEMU ? infer_ioapic : infer_vfio)(
		    &ir->log, &ir->in, err, errlen))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		const char *lx = NULL, *qm = NULL;

		if (!io->config->n)
			candidate(i, &lx, &qm);
		if ((ret = try_config(ir, io, lx, qm, err, errlen)))
			return ret;
		ir->tried = i + 1;
		if (ir->fr.followed)
			break;
		if (!i && ir->fr.has_why) {
			ir->default_line = ir->fr.why_line;
			snprintf(ir->default_why, sizeof(ir->default_why),
				 "%s (the model: %s)", ir->fr.why,
				 ir->fr.model);
		}
		if (best < 0 || ir->fr.k > best_k) {
			best = i;
			best_k = ir->fr.k;
		}
	}
	if (!ir->fr.followed && n > 1) {
		const char *lx, *qm;

		candidate(best, &lx, &qm);
		if ((ret = try_config(ir, io, lx, qm, err, errlen)))
			return ret;
	}
	if (compare_log(&ir->ss, &ir->fr.sc, &ir->log, io->complete,
			&ir->cr)) {
		snprintf(err, errlen, "irqsim: out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void write_trace(FILE *f, struct import_run *ir,
			const struct import_opts *io)
{
	const struct trace_log *log = &ir->log;
	char line[800];

	fprintf(f, "# Imported by irqsim import from %s (%s): %d lines, %zu events\n# irqsim has a step for, each read as its format prints it:\n",
		io->file, trace_log_format_name(log->format), log->lines,
		log->n);
	mapped_comments(f, log);
	if (log->nun) {
		fprintf(f, "# The %zu lines with no step in the model:\n",
			log->nun);
		unmapped_comments(f, log);
	}
	fprintf(f, "# What the import inferred from the log (edit it, and irqsim replay\n# --log %s THIS-FILE compares again):\n",
		io->file);
	for (int i = 0; i < ir->in.nnotes; i++)
		comment_wrapped(f, "   - ", ir->in.note[i], 5);
	if (ir->lx) {
		snprintf(line, sizeof(line), "profiles %s %s: %s (%d pairs of a Linux and a QEMU profile tried, newest first)",
			 ir->lx, ir->qm,
			 ir->fr.followed ? "the first pair whose run follows the log" :
					   "no pair's run follows the log; this one's goes furthest",
			 ir->tried);
		comment_wrapped(f, "   - ", line, 5);
		if (ir->default_line && ir->tried > 1) {
			snprintf(line, sizeof(line), "with the defaults (linux-6.18 qemu-current) the model departs from the log at line %d: %s",
				 ir->default_line, ir->default_why);
			comment_wrapped(f, "   - ", line, 5);
		}
	} else {
		comment_wrapped(f, "   - ",
				"profiles and knobs as given (--profile, --set)",
				5);
	}
	if (io->complete)
		comment_wrapped(f, "   - ",
				"--complete: the log was not cut, so the run logs none of its events after the last line; the schedule runs to the end",
				5);
	fprintf(f, "#\n# The schedule orders the model's steps as the log orders its events:\n# a line per step that logs some (the log's line), and the steps the\n# model fills in, which have no event in the log.\n%s\n",
		ir->body);
	print_schedule(f, &ir->ss, log, &ir->cr);
	fputc('\n', f);
	expect_lines(f, &ir->ss, &ir->fr.sc);
}

/* Which log step @step of @c falls between: the log lines around it. */
static void step_between(const struct trace_log *log,
			 const struct compare_result *c, uint32_t step,
			 int *before, int *after)
{
	size_t k = 0;

	*before = *after = 0;
	for (size_t i = 0; i < c->nsteps && i <= step; i++)
		k += c->step[i].nlog;
	if (k)
		*before = log->ev[k - 1].line;
	if (k < log->n)
		*after = log->ev[k].line;
}

/* What comparing a run with the log found, FILE:LINE for each point. */
static void print_compare(FILE *out, const struct trace_log *log,
			  const struct compare_result *c, const char *file,
			  bool complete)
{
	fprintf(out, "%s: %zu events irqsim has a step for, %zu lines unmapped\n",
		file, log->n, log->nun);
	for (size_t i = 0; i < log->nun; i++)
		fprintf(out, "  %s:%d: unmapped (%s): %s\n", file,
			log->un[i].line, log->un[i].why, log->un[i].text);
	for (size_t i = 0; i < c->nsteps; i++)
		if (c->step[i].note[0])
			fprintf(out, "  %s:%d: not compared: %s\n", file,
				log->ev[c->step[i].first].line,
				c->step[i].note);
	if (c->disagree) {
		const struct trace_log_event *e = &log->ev[c->at];

		fprintf(out, "  %s:%d: the first disagreement, after %zu events that agree:\n    the log:   %s\n    the model: %s\n    (%s)\n",
			file, e->line, c->at, e->text, c->model, c->why);
		return;
	}
	if (c->diverged) {
		fprintf(out, "  the fixed schedule diverged at transition %zu, after %zu events that agree: the model cannot take it there\n",
			c->diverged_at, c->k);
		return;
	}
	if (c->k < log->n) {
		fprintf(out, "  %s:%d: the run ended after %zu events that agree; the log goes on: %s\n",
			file, log->ev[c->k].line, c->k, log->ev[c->k].text);
		return;
	}
	fprintf(out, "  the run follows the log: its %zu events in order, in a run of %u steps (the others the model's own: no event in the log)\n",
		log->n, c->steps);
	if (c->after && complete)
		fprintf(out, "  %s:%d: the log ends (--complete), the model goes on with %zu more of its events, the first:\n    %s\n",
			file, log->ev[log->n - 1].line, c->after,
			c->after_first);
	else if (c->after)
		fprintf(out, "  after the log's last line the model logs %zu more of the events it shows, the first:\n    %s\n",
			c->after, c->after_first);
}

/* The run's verdict, and where it became inevitable among the log's lines. */
static void print_run_verdict(FILE *out, struct session *ss,
			      const struct irqsim_schedule *sc,
			      const struct trace_log *log,
			      const struct compare_result *c)
{
	struct irqsim_run_result res;
	struct irqsim_chooser ch;
	int before, after;

	replay_chooser(&ch, sc, true);
	session_run(ss, &ch, NULL, NULL, &res);
	print_verdict(out, ss, &res);
	/* where among the log's lines: only of a run that follows it */
	if (!res.verdict.kind || !c->agree)
		return;
	step_between(log, c, res.verdict.step, &before, &after);
	if (before && after)
		fprintf(out, "  (step %u: between the log's lines %d and %d)\n",
			res.verdict.step, before, after);
	else if (before)
		fprintf(out, "  (step %u: after the log's last event, line %d)\n",
			res.verdict.step, before);
	else if (after)
		fprintf(out, "  (step %u: before the log's first event, line %d)\n",
			res.verdict.step, after);
}

int cmd_import(int argc, char **argv)
{
	char err[SCENARIO_ERR];
	struct import_run ir;
	struct import_opts io;
	struct options o;
	struct outfile of;
	FILE *out = stdout, *say;
	int ret = parse_options(argc, argv, CMD_IMPORT, &o, NULL);

	if (ret)
		return ret;
	memset(&ir, 0, sizeof(ir));
	io = (struct import_opts){ .file = o.target, .format = o.log_format,
				   .complete = o.complete,
				   .config = &o.config,
				   .max_states = IMPORT_MAX_STATES };
	if ((ret = load_log(&ir.log, o.target, o.log_format)))
		goto out;
	if (import_log(&ir, &io, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		ret = EXIT_USAGE;
		goto out;
	}
	if (o.output && !(out = outfile_open(&of, o.output, false))) {
		ret = EXIT_USAGE;
		goto out;
	}
	write_trace(out, &ir, &io);
	if (out != stdout && outfile_close(&of, false)) {
		ret = EXIT_USAGE;
		goto out;
	}
	/* the trace on stdout: what is said goes to stderr */
	say = o.output ? stdout : stderr;
	print_compare(say, &ir.log, &ir.cr, o.target, o.complete);
	if (!ir.fr.followed && ir.fr.budget)
		fprintf(say, "  (the search stopped after %d states a configuration)\n",
			IMPORT_MAX_STATES);
	print_run_verdict(say, &ir.ss, &ir.fr.sc, &ir.log, &ir.cr);
	if (o.output)
		fprintf(say, "  wrote %s: irqsim run %s replays it; irqsim replay --log %s %s compares again\n",
			o.output, o.output, o.target, o.output);
	ret = ir.fr.followed ? EXIT_NONE : EXIT_VIOLATION;
out:
	fflush(stdout);
	import_run_free(&ir);
	return ret;
}

/*
 * irqsim replay --log LOG [FILE]: run FILE (a trace with a schedule, or a
 * saved run; without it, what irqsim import makes of LOG) and set its
 * events against LOG's. A disagreement exits 2, as a replay that
 * diverges does, unless --allow-different.
 */
int replay_log(const struct options *o)
{
	struct scenario_config none = { 0 };
	struct import_opts io = { .file = o->log, .format = TRACE_LOG_AUTO,
				  .complete = o->complete, .config = &none,
				  .max_states = IMPORT_MAX_STATES };
	char err[SCENARIO_ERR];
	struct saved_session sr;
	struct import_run ir;
	struct session *ss = NULL;
	const struct irqsim_schedule *sc = NULL;
	struct compare_result cr = { 0 };
	bool saved = false;
	int ret;

	memset(&ir, 0, sizeof(ir));
	memset(&sr, 0, sizeof(sr));
	if (o->render >= 0)
		return usage("%s", "--log compares a run with a log; draw the run with irqsim run FILE --render FORMAT");
	if ((ret = load_log(&ir.log, o->log, TRACE_LOG_AUTO)))
		goto out;
	if (o->target) {
		char head[16] = "";
		FILE *f = fopen(o->target, "r");

		if (f) {
			if (!fgets(head, sizeof(head), f))
				head[0] = 0;
			fclose(f);
		}
		saved = !strncmp(head, "irqsim-run ", 11);
		if (saved) {
			if ((ret = load_saved(&sr, o->target)))
				goto out;
			sc = &sr.schedule;
		} else {
			if ((ret = load_trace(&sr.ss, o->target, NULL)))
				goto out;
			sc = &sr.ss.s.schedule;
			if (!sr.ss.s.has_schedule) {
				fprintf(stderr, "%s: no schedule to compare with %s: irqsim import %s makes a trace with one\n",
					o->target, o->log, o->log);
				ret = EXIT_USAGE;
				goto out;
			}
		}
		ss = &sr.ss;
	} else {
		if (import_log(&ir, &io, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			ret = EXIT_USAGE;
			goto out;
		}
		ss = &ir.ss;
		sc = &ir.fr.sc;
	}
	if (compare_log(ss, sc, &ir.log, o->complete, &cr)) {
		fprintf(stderr, "irqsim: out of memory\n");
		ret = EXIT_USAGE;
		goto out;
	}
	print_compare(stdout, &ir.log, &cr, o->log, o->complete);
	print_run_verdict(stdout, ss, sc, &ir.log, &cr);
	if (!cr.agree && !o->allow_different) {
		fflush(stdout);
		fprintf(stderr, "%s: the run of %s does not follow the log (--allow-different accepts it)\n",
			o->log, o->target ? o->target : "the import");
		ret = EXIT_USAGE;
		goto out;
	}
	{
		struct irqsim_run_result res;
		struct irqsim_chooser ch;

		replay_chooser(&ch, sc, !saved);
		session_run(ss, &ch, NULL, NULL, &res);
		ret = res.verdict.kind ? EXIT_VIOLATION : EXIT_NONE;
	}
out:
	fflush(stdout);
	compare_result_free(&cr);
	if (ss == &sr.ss || sr.ss.init)
		session_close(&sr.ss);
	irqsim_schedule_free(&sr.schedule);
	import_run_free(&ir);
	return ret;
}

int import_text(const char *file, const char *text, int format,
		bool complete, const struct scenario_config *config,
		uint64_t max_states, char **trace, char *err, size_t errlen)
{
	struct import_opts io = { .file = file, .format = format,
				  .complete = complete, .config = config,
				  .max_states = max_states };
	struct import_run ir;
	size_t len = 0;
	FILE *f;
	int ret;

	memset(&ir, 0, sizeof(ir));
	*trace = NULL;
	ret = trace_log_parse(&ir.log, file, text, format, err, errlen);
	if (!ret && !ir.log.n) {
		snprintf(err, errlen, "%s: no event irqsim has a step for", file);
		ret = -EINVAL;
	}
	if (!ret)
		ret = import_log(&ir, &io, err, errlen);
	if (!ret) {
		f = open_memstream(trace, &len);
		if (!f) {
			ret = -ENOMEM;
		} else {
			write_trace(f, &ir, &io);
			if (fclose(f))
				ret = -ENOMEM;
		}
	}
	import_run_free(&ir);
	return ret;
}
