// SPDX-License-Identifier: MIT
/*
 * Logs from outside irqsim: QEMU's -trace output (the log backend's text
 * and simpletrace.py's) and kernel ftrace text (/sys/kernel/tracing/trace
 * and trace-cmd report). Each event irqsim has a step for is read as its
 * format string prints it, the format copied from the file the table
 * below names for it, and its fields named as the model's tracepoint
 * names them, so that a run's events can be compared with the log's one
 * by one (trace_log_match()).
 */
#include "trace/internal.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The families of events: a log has them all or none of them. */
enum log_family {
	FAM_QEMU_IOAPIC,	/* QEMU hw/intc/trace-events, ioapic.c */
	FAM_MAIL_SERVICE,	/* seeds/003's debug print, ioapic_service() */
	FAM_MAIL_ROUTES,	/* ... and in ioapic_update_kvm_routes() */
	FAM_IRQ_VECTORS,	/* TRACE_SYSTEM irq_vectors */
	FAM_IRQ,		/* TRACE_SYSTEM irq */
	FAM_IRQ_MATRIX,		/* TRACE_SYSTEM irq_matrix */
	FAM_KVM,		/* TRACE_SYSTEM kvm */
};

/* One argument of an event's format, in the order it prints them. */
struct log_arg {
	const char *name;	/* the tracepoint's argument (simpletrace) */
	const char *key;	/* the model's field; NULL: not compared */
	uint8_t kind;		/* enum trace_log_kind */
	const char *cpu;	/* TRACE_LOG_VECTOR: the argument of its CPU */
};

#define LOG_MAX_ARGS	10
/* an argument read and checked, not compared */
#define SKIP(name)	{ name, NULL, TRACE_LOG_NUM, NULL }
/* a number compared with the model's field of the same name */
#define NUM(name)	{ name, name, TRACE_LOG_NUM, NULL }

struct trace_log_map {
	const char *event;	/* its name in the log */
	int format;		/* enum trace_log_format */
	int family;		/* enum log_family */
	const char *fmt;	/* its format string, as the source has it */
	struct log_arg arg[LOG_MAX_ARGS];
	const char *tp;		/* the model's tracepoint; NULL: none */
	/* a field the model's event must have ("!key": must not have) */
	const char *needs;
	/* model events of @tp the real one never prints */
	bool (*skip)(const struct irqsim_event *e);
	/* fields computed from the arguments (after they are read) */
	void (*derive)(struct trace_log_event *le, const long long *v);
	bool task_vcpu;		/* a vCPU thread's task gives field vcpu */
	const char *source;
};

#define Q_IOAPIC	"QEMU hw/intc/trace-events (ioapic.c)"
#define K_VECTORS	"arch/x86/include/asm/trace/irq_vectors.h"
#define K_IRQ		"include/trace/events/irq.h"
#define K_MATRIX	"include/trace/events/irq_matrix.h"
#define K_KVM_X86	"arch/x86/kvm/trace.h"
#define K_KVM		"include/trace/events/kvm.h"

/*
 * QEMU's ioapic_service() traces ioapic_set_remote_irr only when it sets
 * Remote IRR: a pin already waiting for its EOI is skipped before it.
 * The model logs the coalesced case too, for the timeline.
 */
static bool skip_coalesced(const struct irqsim_event *e)
{
	return strstr(e->text, "coalesced") != NULL;
}

/*
 * A write to IOREGSEL (addr 0): QEMU's ioapic_mem_write() traces the
 * register selected before the write (s->ioregsel, then the switch), so
 * it says what the guest selected last, which may be before the log.
 */
static void derive_mem_write(struct trace_log_event *le, const long long *v)
{
	if (v[0] != 0)
		return;
	for (int i = 0; i < le->nf; i++)
		if (!strcmp(le->f[i].key, "regsel"))
			le->f[i].soft = true;
	le->soft_why = "at a write to IOREGSEL (addr 0) QEMU prints the register selected before it";
}

/*
 * kvm_mmio: a 4-byte write into an MSI-X table, taken to start a page
 * (QEMU maps the table at a BAR's start): the page names the device,
 * bits 4..11 the entry, bits 2..3 the dword of it.
 */
static void derive_mmio(struct trace_log_event *le, const long long *v)
{
	long long gpa = v[2];

	le->nf = 0;
	le->f[le->nf++] = (struct trace_log_field){
		.key = "dev", .kind = TRACE_LOG_DEV, .v = gpa >> 12 };
	le->f[le->nf++] = (struct trace_log_field){
		.key = "entry", .kind = TRACE_LOG_NUM, .v = (gpa & 0xfff) >> 4 };
	le->f[le->nf++] = (struct trace_log_field){
		.key = "dword", .kind = TRACE_LOG_NUM, .v = (gpa >> 2) & 3 };
	le->f[le->nf++] = (struct trace_log_field){
		.key = "value", .kind = TRACE_LOG_NUM, .v = v[3] };
}

/*
 * The event classes of irq_vectors.h (DECLARE_EVENT_CLASS): one format
 * and argument list for each of the class's events, whose name is also
 * the model's tracepoint (none for the reservations).
 */
#define VECTOR_ACTIVATE(ev)						\
	{ ev, TRACE_LOG_FTRACE, FAM_IRQ_VECTORS,			\
	  "irq=%u is_managed=%d can_reserve=%d reserve=%d",		\
	  { { "irq", "irq", TRACE_LOG_IRQ, NULL }, NUM("is_managed"),	\
	    NUM("can_reserve"), NUM("reserve") },			\
	  ev, .source = K_VECTORS }
#define VECTOR_MOD(ev)							\
	{ ev, TRACE_LOG_FTRACE, FAM_IRQ_VECTORS,			\
	  "irq=%u vector=%u cpu=%u prev_vector=%u prev_cpu=%u",	\
	  { { "irq", "irq", TRACE_LOG_IRQ, NULL },			\
	    { "vector", "vector", TRACE_LOG_VECTOR, "cpu" },		\
	    NUM("cpu"),							\
	    { "prev_vector", "prev_vector", TRACE_LOG_VECTOR, "prev_cpu" }, \
	    NUM("prev_cpu") },						\
	  ev, .source = K_VECTORS }
#define VECTOR_RESERVE(ev)						\
	{ ev, TRACE_LOG_FTRACE, FAM_IRQ_VECTORS, "irq=%u ret=%d",	\
	  { SKIP("irq"), SKIP("ret") }, NULL, .source = K_VECTORS }

static const struct trace_log_map log_map[] = {
	/* QEMU, the log backend: "name " then the trace-events format */
	{ "ioapic_set_irq", TRACE_LOG_QEMU, FAM_QEMU_IOAPIC,
	  "vector: %d level: %d",
	  { NUM("vector"),
	    NUM("level") },
	  "ioapic_set_irq", .source = Q_IOAPIC },
	{ "ioapic_set_remote_irr", TRACE_LOG_QEMU, FAM_QEMU_IOAPIC,
	  "set remote irr for pin %d",
	  { { "n", "pin", TRACE_LOG_NUM, NULL } },
	  "ioapic_set_remote_irr", .skip = skip_coalesced, .source = Q_IOAPIC },
	{ "ioapic_clear_remote_irr", TRACE_LOG_QEMU, FAM_QEMU_IOAPIC,
	  "clear remote irr for pin %d vector %d",
	  { { "n", "pin", TRACE_LOG_NUM, NULL },
	    NUM("vector") },
	  "ioapic_clear_remote_irr", .source = Q_IOAPIC },
	{ "ioapic_eoi_broadcast", TRACE_LOG_QEMU, FAM_QEMU_IOAPIC,
	  "EOI broadcast for vector %d",
	  { NUM("vector") },
	  "ioapic_eoi_broadcast", .source = Q_IOAPIC },
	/* its "vector" is the pin: ioapic_eoi_broadcast() passes n */
	{ "ioapic_eoi_delayed_reassert", TRACE_LOG_QEMU, FAM_QEMU_IOAPIC,
	  "delayed reassert on EOI broadcast for vector %d",
	  { { "vector", "pin", TRACE_LOG_NUM, NULL } },
	  "ioapic_eoi_delayed_reassert", .source = Q_IOAPIC },
	{ "ioapic_mem_read", TRACE_LOG_QEMU, FAM_QEMU_IOAPIC,
	  "ioapic mem read addr 0x%" PRIx8 " regsel: 0x%" PRIx8
	  " size 0x%" PRIx8 " retval 0x%" PRIx32,
	  { NUM("addr"),
	    NUM("regsel"),
	    NUM("size"),
	    { "val", "retval", TRACE_LOG_NUM, NULL } },
	  "ioapic_mem_read", .source = Q_IOAPIC },
	{ "ioapic_mem_write", TRACE_LOG_QEMU, FAM_QEMU_IOAPIC,
	  "ioapic mem write addr 0x%" PRIx8 " regsel: 0x%" PRIx8
	  " size 0x%" PRIx8 " val 0x%" PRIx32,
	  { NUM("addr"),
	    NUM("regsel"),
	    NUM("size"),
	    NUM("val") },
	  "ioapic_mem_write", .derive = derive_mem_write, .source = Q_IOAPIC },
	/*
	 * Not trace-events: the debug prints of seeds/003 ("name: text"),
	 * in ioapic_service() before kvm_set_irq() and at the end of
	 * ioapic_update_kvm_routes()
	 */
	{ "ioapic_service:", TRACE_LOG_QEMU, FAM_MAIL_SERVICE,
	  "trigger KVM IRQ %d",
	  { { "irq", "pin", TRACE_LOG_NUM, NULL } },
	  "ioapic_service",
	  .source = "seeds/003: David Woodhouse's debug print in ioapic_service()" },
	{ "ioapic_update_kvm_routes:", TRACE_LOG_QEMU, FAM_MAIL_ROUTES,
	  "update KVM route for IRQ %d: %x %x",
	  { NUM("irq"),
	    NUM("address"),
	    NUM("data") },
	  "ioapic_update_kvm_routes",
	  .source = "seeds/003: David Woodhouse's debug print in ioapic_update_kvm_routes()" },

	/* ftrace: "event: " then the TP_printk format */
	VECTOR_ACTIVATE("vector_activate"),
	VECTOR_ACTIVATE("vector_deactivate"),
	VECTOR_MOD("vector_update"),
	VECTOR_MOD("vector_clear"),
	{ "vector_free_moved", TRACE_LOG_FTRACE, FAM_IRQ_VECTORS,
	  "irq=%u cpu=%u vector=%u is_managed=%d",
	  { { "irq", "irq", TRACE_LOG_IRQ, NULL },
	    NUM("cpu"),
	    { "vector", "vector", TRACE_LOG_VECTOR, "cpu" },
	    NUM("is_managed") },
	  "vector_free_moved", .source = K_VECTORS },
	/* irq_vectors events the model has no step of its own for */
	{ "vector_config", TRACE_LOG_FTRACE, FAM_IRQ_VECTORS,
	  "irq=%u vector=%u cpu=%u apicdest=0x%08x",
	  { SKIP("irq"), SKIP("vector"), SKIP("cpu"), SKIP("apicdest") },
	  NULL, .source = K_VECTORS },
	VECTOR_RESERVE("vector_reserve_managed"),
	VECTOR_RESERVE("vector_reserve"),
	{ "vector_alloc", TRACE_LOG_FTRACE, FAM_IRQ_VECTORS,
	  "irq=%u vector=%u reserved=%d ret=%d",
	  { SKIP("irq"), SKIP("vector"), SKIP("reserved"), SKIP("ret") }, NULL,
	  .source = K_VECTORS },
	{ "vector_alloc_managed", TRACE_LOG_FTRACE, FAM_IRQ_VECTORS,
	  "irq=%u vector=%u ret=%d",
	  { SKIP("irq"), SKIP("vector"), SKIP("ret") }, NULL, .source = K_VECTORS },
	{ "vector_teardown", TRACE_LOG_FTRACE, FAM_IRQ_VECTORS,
	  "irq=%u is_managed=%d has_reserved=%d",
	  { SKIP("irq"), SKIP("is_managed"), SKIP("has_reserved") }, NULL,
	  .source = K_VECTORS },
	{ "vector_setup", TRACE_LOG_FTRACE, FAM_IRQ_VECTORS,
	  "irq=%u is_legacy=%d ret=%d",
	  { SKIP("irq"), SKIP("is_legacy"), SKIP("ret") }, NULL,
	  .source = K_VECTORS },

	/* the host's handlers: the guest's carry a vcpu */
	{ "irq_handler_entry", TRACE_LOG_FTRACE, FAM_IRQ,
	  "irq=%d name=%s",
	  { { "irq", "irq", TRACE_LOG_IRQ, NULL }, SKIP("name") },
	  "irq_handler_entry", .needs = "!vcpu", .source = K_IRQ },
	{ "irq_handler_exit", TRACE_LOG_FTRACE, FAM_IRQ,
	  "irq=%d ret=%s", { SKIP("irq"), SKIP("ret") }, NULL, .source = K_IRQ },

	/* allocated, available and the counts are the machine's own */
	{ "irq_matrix_alloc", TRACE_LOG_FTRACE, FAM_IRQ_MATRIX,
	  "bit=%d cpu=%u online=%d avl=%u alloc=%u managed=%u online_maps=%u global_avl=%u, global_rsvd=%u, total_alloc=%u",
	  { { "bit", "bit", TRACE_LOG_VECTOR, "cpu" },
	    NUM("cpu"),
	    SKIP("online"), SKIP("avl"), SKIP("alloc"), SKIP("managed"),
	    SKIP("online_maps"), SKIP("global_avl"), SKIP("global_rsvd"),
	    SKIP("total_alloc") },
	  "irq_matrix_alloc", .needs = "bit", .source = K_MATRIX },

	/* KVM: the guest's MSI-X table writes, deliveries, injections */
	{ "kvm_mmio", TRACE_LOG_FTRACE, FAM_KVM,
	  "mmio %s len %u gpa 0x%llx val 0x%llx",
	  { SKIP("type"), SKIP("len"), SKIP("gpa"), SKIP("val") },
	  "msix_table_mmio_write", .derive = derive_mmio, .source = K_KVM },
	{ "kvm_set_irq", TRACE_LOG_FTRACE, FAM_KVM,
	  "gsi %u level %d source %d",
	  { NUM("gsi"), SKIP("level"), SKIP("source") },
	  "kvm_set_irq", .needs = "gsi", .source = K_KVM },
	{ "kvm_msi_set_irq", TRACE_LOG_FTRACE, FAM_KVM,
	  "dst %llx vec %u (%s|%s|%s%s)",
	  { { "dst", "vcpu", TRACE_LOG_NUM, NULL },
	    { "vec", "vector", TRACE_LOG_GVECTOR, NULL },
	    SKIP("dm"), SKIP("dest_mode"), SKIP("trig"), SKIP("rh") },
	  "kvm_set_msi", .needs = "vcpu", .source = K_KVM },
	{ "kvm_inj_virq", TRACE_LOG_FTRACE, FAM_KVM,
	  "%s 0x%x%s",
	  { SKIP("soft"), { "vector", "vector", TRACE_LOG_GVECTOR, NULL },
	    SKIP("reinjected") },
	  "kvm_inj_virq", .task_vcpu = true, .source = K_KVM_X86 },
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define LOG_NMAP	ARRAY_LEN(log_map)

/*
 * Events of the families irqsim reads that it has no step for: known,
 * listed as unmapped. Any other name with a family's prefix is no event
 * of that family (a typo, another kernel's name): the log is refused.
 */
static const char *const known_unmapped[] = {
	/* irq_vectors: the system vectors' entry and exit points */
	"local_timer_entry", "local_timer_exit", "spurious_apic_entry",
	"spurious_apic_exit", "error_apic_entry", "error_apic_exit",
	"x86_platform_ipi_entry", "x86_platform_ipi_exit", "irq_work_entry",
	"irq_work_exit", "reschedule_entry", "reschedule_exit",
	"call_function_entry", "call_function_exit",
	"call_function_single_entry", "call_function_single_exit",
	"threshold_apic_entry", "threshold_apic_exit",
	"deferred_error_apic_entry", "deferred_error_apic_exit",
	"thermal_apic_entry", "thermal_apic_exit",
	/* irq */
	"softirq_entry", "softirq_exit", "softirq_raise", "tasklet_entry",
	"tasklet_exit",
	/* irq_matrix */
	"irq_matrix_online", "irq_matrix_offline", "irq_matrix_reserve",
	"irq_matrix_remove_reserved", "irq_matrix_assign_system",
	"irq_matrix_reserve_managed", "irq_matrix_remove_managed",
	"irq_matrix_alloc_managed", "irq_matrix_assign", "irq_matrix_free",
};

/* Event name prefixes of the families irqsim reads. */
static const char *const family_prefix[] = {
	"vector_", "irq_handler_", "irq_matrix_",
};

int trace_log_format_parse(const char *name)
{
	if (!strcmp(name, "qemu-log"))
		return TRACE_LOG_QEMU;
	if (!strcmp(name, "ftrace"))
		return TRACE_LOG_FTRACE;
	if (!strcmp(name, "auto"))
		return TRACE_LOG_AUTO;
	return -1;
}

const char *trace_log_format_name(int format)
{
	return format == TRACE_LOG_QEMU ? "qemu-log" :
	       format == TRACE_LOG_FTRACE ? "ftrace" : "auto";
}

const char *trace_log_event_name(const struct trace_log_event *e)
{
	return e->map->event;
}

const char *trace_log_event_source(const struct trace_log_event *e)
{
	return e->map->source;
}

const char *trace_log_event_tp(const struct trace_log_event *e)
{
	return e->map->tp;
}

const struct trace_log_field *trace_log_get(const struct trace_log_event *e,
					    const char *key)
{
	for (int i = 0; i < e->nf; i++)
		if (!strcmp(e->f[i].key, key))
			return &e->f[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Reading a line as a format string prints it                          */

#define LOG_VAL_LEN	48

struct scanned {
	int n;
	char conv[LOG_MAX_ARGS];
	char val[LOG_MAX_ARGS][LOG_VAL_LEN];
};

/*
 * Match @text against printf format @fmt: literal text as it stands (a
 * space matches a run of blanks: trace-cmd pads), each conversion read
 * into @out as text. Return 0, or -1 with *@at where it stopped.
 */
static int scan_format(const char *fmt, const char *text, struct scanned *out,
		       const char **at)
{
	const char *t = text;

	out->n = 0;
	for (const char *f = fmt; *f;) {
		bool alt = false;
		char conv;
		size_t n = 0;
		const char *start;

		if (*f != '%' || f[1] == '%') {
			if (*f == ' ') {
				if (!isspace((unsigned char)*t))
					goto fail;
				while (isspace((unsigned char)*t))
					t++;
				f++;
				continue;
			}
			if (*t != *f)
				goto fail;
			t++;
			f += *f == '%' ? 2 : 1;
			continue;
		}
		f++;
		while (strchr("-+ #0", *f))
			alt |= *f++ == '#';
		while (isdigit((unsigned char)*f))
			f++;
		while (strchr("hlLqjzt", *f) && *f)
			f++;
		conv = *f++;
		if (out->n >= LOG_MAX_ARGS)
			goto fail;
		start = t;
		switch (conv) {
		case 'd':
		case 'i':
			if (*t == '-')
				t++;
			/* fall through */
		case 'u':
			while (isdigit((unsigned char)t[n]))
				n++;
			if (!n)
				goto fail;
			t += n;
			break;
		case 'x':
		case 'X':
			if (alt && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
				t += 2;
			while (isxdigit((unsigned char)t[n]))
				n++;
			if (!n)
				goto fail;
			t += n;
			break;
		case 'c':
			if (!*t)
				goto fail;
			t++;
			break;
		case 's':
		case 'p':
			/* up to the literal after it, or a word */
			if (*f && *f != '%' && *f != ' ') {
				const char *end = strchr(t, *f);

				if (!end)
					goto fail;
				t = end;
			} else if (*f == '%') {
				while (*t && !isspace((unsigned char)*t) &&
				       !strchr("|()", *t))
					t++;
			} else {
				while (*t && !isspace((unsigned char)*t))
					t++;
				if (!*f)
					t += strlen(t);
			}
			break;
		default:
			goto fail;
		}
		if ((size_t)(t - start) >= LOG_VAL_LEN)
			goto fail;
		out->conv[out->n] = conv;
		memcpy(out->val[out->n], start, (size_t)(t - start));
		out->val[out->n][t - start] = 0;
		out->n++;
	}
	/* what follows the format: blanks only */
	while (isspace((unsigned char)*t))
		t++;
	if (!*t)
		return 0;
fail:
	*at = t;
	return -1;
}

/* A conversion's text as a number: hex for x, decimal for d and u. */
static int scanned_number(const char *s, char conv, long long *v)
{
	char *end;

	errno = 0;
	if (conv == 'x' || conv == 'X') {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			s += 2;
		*v = (long long)strtoull(s, &end, 16);
	} else {
		*v = strtoll(s, &end, 10);
	}
	return errno || end == s || *end ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* The log                                                              */

static int fail(char *err, size_t errlen, const struct trace_log *log,
		int line, const char *fmt, const char *a, const char *b)
{
	int n = snprintf(err, errlen, "%s:%d: ", log->file, line);

	if (n >= 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, fmt, a, b);
	return -EINVAL;
}

static void copy_text(char *dst, size_t len, const char *line)
{
	size_t n;

	line += strspn(line, " \t");
	n = strlen(line);

	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, line, n);
	dst[n] = 0;
}

static int add_unmapped(struct trace_log *log, int line, const char *why,
			const char *text)
{
	if (log->nun == log->capun) {
		size_t cap = log->capun ? 2 * log->capun : 16;
		void *p = realloc(log->un, cap * sizeof(*log->un));

		if (!p)
			return -ENOMEM;
		log->un = p;
		log->capun = cap;
	}
	log->un[log->nun].line = line;
	log->un[log->nun].why = why;
	copy_text(log->un[log->nun].text, sizeof(log->un[0].text), text);
	log->nun++;
	return 0;
}

static struct trace_log_event *add_event(struct trace_log *log)
{
	if (log->n == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 64;
		void *p = realloc(log->ev, cap * sizeof(*log->ev));

		if (!p)
			return NULL;
		log->ev = p;
		log->cap = cap;
	}
	memset(&log->ev[log->n], 0, sizeof(log->ev[0]));
	return &log->ev[log->n++];
}

static const struct trace_log_map *map_lookup(int format, const char *name,
					      size_t len)
{
	for (size_t i = 0; i < LOG_NMAP; i++)
		if (log_map[i].format == format &&
		    strlen(log_map[i].event) == len &&
		    !strncmp(log_map[i].event, name, len))
			return &log_map[i];
	return NULL;
}

static int map_arg(const struct trace_log_map *m, const char *name)
{
	for (int i = 0; i < LOG_MAX_ARGS && m->arg[i].name; i++)
		if (!strcmp(m->arg[i].name, name))
			return i;
	return -1;
}

/*
 * The fields of @le from the arguments @val (text) of @m: the model's
 * names, numbers read as the format's conversions say. -1: a value
 * that is no number.
 */
static void fill_fields(struct trace_log_event *le,
		       const struct trace_log_map *m, const char *const *val,
		       const char *conv, int nval)
{
	long long v[LOG_MAX_ARGS] = { 0 };

	for (int i = 0; i < nval; i++)
		if (conv[i] != 's' && conv[i] != 'p' && conv[i] != 'c')
			scanned_number(val[i], conv[i], &v[i]);
	for (int i = 0; i < nval; i++) {
		const struct log_arg *a = &m->arg[i];
		struct trace_log_field *f = &le->f[le->nf];

		if (!a->key)
			continue;
		*f = (struct trace_log_field){ .key = a->key, .kind = a->kind,
					       .v = v[i] };
		snprintf(f->s, sizeof(f->s), "%s", val[i]);
		/* a vector's CPU, from the argument that names it */
		if (a->kind == TRACE_LOG_VECTOR && a->cpu &&
		    map_arg(m, a->cpu) >= 0)
			f->cpu = v[map_arg(m, a->cpu)];
		le->nf++;
	}
	if (m->derive)
		m->derive(le, v);
	if (m->task_vcpu && le->vcpu >= 0 && le->nf < TRACE_LOG_MAX_FIELDS)
		le->f[le->nf++] = (struct trace_log_field){
			.key = "vcpu", .kind = TRACE_LOG_NUM, .v = le->vcpu };
}

/*
 * Who held each vector of each CPU (vector_update, vector_clear,
 * vector_free_moved): two irqs on one vector of one CPU is no log of a
 * real machine.
 */
struct vector_owner {
	long long cpu, vector, irq;
	int line;
};

struct owners {
	struct vector_owner *o;
	size_t n, cap;
};

static struct vector_owner *owner_find(struct owners *ow, long long cpu,
				       long long vector)
{
	for (size_t i = 0; i < ow->n; i++)
		if (ow->o[i].cpu == cpu && ow->o[i].vector == vector)
			return &ow->o[i];
	return NULL;
}

static void owner_drop(struct owners *ow, long long cpu, long long vector)
{
	struct vector_owner *o = owner_find(ow, cpu, vector);

	if (o)
		*o = ow->o[--ow->n];
}

static long long field_v(const struct trace_log_event *le, const char *key)
{
	const struct trace_log_field *f = trace_log_get(le, key);

	return f ? f->v : 0;
}

static int owner_check(struct owners *ow, const struct trace_log *log,
		       const struct trace_log_event *le, char *err,
		       size_t errlen)
{
	const char *tp = le->map->tp;
	long long irq = field_v(le, "irq"), cpu = field_v(le, "cpu");
	long long vector = field_v(le, "vector");
	struct vector_owner *o;
	char a[128], b[96];

	if (!tp)
		return 0;
	if (!strcmp(tp, "vector_clear")) {
		owner_drop(ow, cpu, vector);
		if (field_v(le, "prev_vector"))
			owner_drop(ow, field_v(le, "prev_cpu"),
				   field_v(le, "prev_vector"));
		return 0;
	}
	if (!strcmp(tp, "vector_free_moved")) {
		owner_drop(ow, cpu, vector);
		return 0;
	}
	if (strcmp(tp, "vector_update"))
		return 0;
	o = owner_find(ow, cpu, vector);
	if (o && o->irq != irq) {
		snprintf(a, sizeof(a), "irq %lld takes vector %lld of CPU %lld",
			 irq, vector, cpu);
		snprintf(b, sizeof(b), "irq %lld holds since line %d (no vector_clear or vector_free_moved of it between)",
			 o->irq, o->line);
		return fail(err, errlen, log, le->line, "%s, which %s", a, b);
	}
	if (o)
		return 0;
	if (ow->n == ow->cap) {
		size_t cap = ow->cap ? 2 * ow->cap : 16;
		void *p = realloc(ow->o, cap * sizeof(*ow->o));

		if (!p)
			return -ENOMEM;
		ow->o = p;
		ow->cap = cap;
	}
	ow->o[ow->n++] = (struct vector_owner){ cpu, vector, irq, le->line };
	return 0;
}

/* An event name of a family irqsim reads, that the family lacks? */
static bool unknown_in_family(const char *name, size_t len, int format)
{
	if (format == TRACE_LOG_QEMU)
		return len > 7 && !strncmp(name, "ioapic_", 7);
	for (size_t i = 0; i < ARRAY_LEN(known_unmapped); i++)
		if (strlen(known_unmapped[i]) == len &&
		    !strncmp(known_unmapped[i], name, len))
			return false;
	for (size_t i = 0; i < ARRAY_LEN(family_prefix); i++)
		if (!strncmp(name, family_prefix[i], strlen(family_prefix[i])))
			return true;
	return false;
}

static bool known_ftrace_event(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(known_unmapped); i++)
		if (strlen(known_unmapped[i]) == len &&
		    !strncmp(known_unmapped[i], name, len))
			return true;
	return false;
}

/*
 * Read the event @name (@len) with its text @rest (or, @kv, simpletrace's
 * "arg=value ..." list) into a new event of @log. 1: not an event
 * irqsim reads; 2: one it reads that the model has no step for; 0; or
 * an error.
 */
static int read_event(struct trace_log *log, int format, const char *name,
		      size_t len, const char *rest, bool kv, int line,
		      const char *text, struct trace_log_event *ctx, char *err,
		      size_t errlen)
{
	const struct trace_log_map *m = map_lookup(format, name, len);
	struct trace_log_event *le;
	struct scanned sc;
	const char *val[LOG_MAX_ARGS];
	char conv[LOG_MAX_ARGS];
	const char *at = rest;
	char ev[64];
	int nval = 0;

	snprintf(ev, sizeof(ev), "%.*s", (int)(len < 60 ? len : 60), name);
	if (!m)
		return 1;
	if (kv) {
		/* simpletrace.py: arg=value, numbers in hex (0x...) */
		char buf[512], *save = NULL;

		memset(&sc, 0, sizeof(sc));
		snprintf(buf, sizeof(buf), "%s", rest);
		for (char *w = strtok_r(buf, " \t", &save); w;
		     w = strtok_r(NULL, " \t", &save)) {
			char *eq = strchr(w, '=');
			int i;

			if (!eq)
				return fail(err, errlen, log, line,
					    "%s: '%s' is no arg=value", ev, w);
			*eq = 0;
			i = map_arg(m, w);
			if (i < 0)
				continue;
			snprintf(sc.val[i], LOG_VAL_LEN, "%s", eq + 1);
			sc.conv[i] = strncmp(eq + 1, "0x", 2) ? 'd' : 'x';
		}
		for (int i = 0; i < LOG_MAX_ARGS && m->arg[i].name; i++) {
			if (!sc.conv[i])
				return fail(err, errlen, log, line,
					    "%s: no %s= (truncated?)", ev,
					    m->arg[i].name);
			nval = i + 1;
		}
	} else if (scan_format(m->fmt, rest, &sc, &at)) {
		char want[160];

		snprintf(want, sizeof(want), "\"%s\" (%s)", m->fmt, m->source);
		if (!*at)
			return fail(err, errlen, log, line,
				    "%s: the line ends early (truncated?): its format is %s",
				    ev, want);
		return fail(err, errlen, log, line,
			    "%s: does not read as its format %s", ev, want);
	} else {
		nval = sc.n;
	}
	for (int i = 0; i < nval; i++) {
		val[i] = sc.val[i];
		conv[i] = sc.conv[i];
		if (conv[i] != 's' && conv[i] != 'p' && conv[i] != 'c' &&
		    scanned_number(val[i], conv[i], &(long long){ 0 }))
			return fail(err, errlen, log, line,
				    "%s: a field that is no number: %s", ev,
				    val[i]);
	}
	log->families |= 1u << m->family;
	/* read as its format prints it, but the model has no step for it */
	if (!m->tp)
		return 2;
	le = add_event(log);
	if (!le)
		return -ENOMEM;
	le->line = line;
	le->map = m;
	le->cpu = ctx->cpu;
	le->vcpu = ctx->vcpu;
	le->ts = ctx->ts;
	copy_text(le->text, sizeof(le->text), text);
	fill_fields(le, m, val, conv, nval);
	return 0;
}

/* "pid@sec.usec:" before a QEMU log line (-msg timestamp=on). */
static const char *qemu_prefix(const char *line, double *ts)
{
	const char *p = line;
	char *end;

	while (isdigit((unsigned char)*p))
		p++;
	if (p == line || *p != '@')
		return line;
	*ts = strtod(p + 1, &end);
	if (end == p + 1 || *end != ':')
		return line;
	return end + 1;
}

/*
 * A guest or host console line among QEMU's: "[    0.523627] text", or
 * the tail of one another line cut ("0.530486] text").
 */
static bool console_line(const char *p)
{
	size_t n = strspn(p, "0123456789. ");

	return *p == '[' || (n && p[n] == ']');
}

static int qemu_line(struct trace_log *log, const char *line, int lineno,
		     double *last_ts, int *last_line, char *err, size_t errlen)
{
	struct trace_log_event ctx = { .cpu = -1, .vcpu = -1, .ts = -1 };
	const char *p = qemu_prefix(line, &ctx.ts), *rest;
	size_t n = 0;
	bool kv = false;
	int rc;

	if (console_line(p))
		return add_unmapped(log, lineno,
				    "console output (printk), not QEMU's trace: its place among the trace lines is no order",
				    line);
	while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '_'))
		n++;
	if (!n)
		return add_unmapped(log, lineno, "not a trace line", line);
	/* "name: text": a debug print named after its function */
	if (p[n] == ':' && p[n + 1] == ' ')
		n++;
	if (p[n] && p[n] != ' ')
		return add_unmapped(log, lineno, "not a trace line", line);
	rest = p + n + strspn(p + n, " ");
	/* simpletrace.py: "name DELTA pid=N arg=value ..." */
	{
		char *end;

		strtod(rest, &end);
		if (end != rest && *end == ' ' &&
		    (!strncmp(end + 1, "pid=", 4) || !strncmp(end + 1, "tid=", 4))) {
			rest = end + 1 + strcspn(end + 1, " ");
			rest += strspn(rest, " ");
			kv = true;
		}
	}
	if (ctx.ts >= 0) {
		if (ctx.ts < *last_ts) {
			char a[64], b[96];

			snprintf(a, sizeof(a), "%.6f", ctx.ts);
			snprintf(b, sizeof(b), "line %d's %.6f", *last_line,
				 *last_ts);
			return fail(err, errlen, log, lineno,
				    "timestamp %s is earlier than %s: not one log in time order",
				    a, b);
		}
		*last_ts = ctx.ts;
		*last_line = lineno;
	}
	rc = read_event(log, TRACE_LOG_QEMU, p, n, rest, kv, lineno, line,
			&ctx, err, errlen);
	if (rc <= 0)
		return rc;
	if (rc == 2)
		return add_unmapped(log, lineno,
				    "a QEMU trace event irqsim has no step for (its fields read)",
				    line);
	if (unknown_in_family(p, n, TRACE_LOG_QEMU)) {
		char ev[64];

		snprintf(ev, sizeof(ev), "%.*s", (int)(n < 60 ? n : 60), p);
		return fail(err, errlen, log, lineno,
			    "unknown event '%s': not one of QEMU's ioapic trace-events (%s)",
			    ev, Q_IOAPIC);
	}
	return add_unmapped(log, lineno, "a QEMU trace event irqsim has no step for",
			    line);
}

/*
 * "TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: TEXT", with the flags column
 * and a "(TGID)" column optional; the task may hold blanks ("CPU 0/KVM").
 * 0 and the parts; 1: no such line.
 */
struct ftrace_parts {
	char task[48];
	int cpu;
	double ts;
	const char *event;
	size_t len;
	const char *rest;
	bool truncated;
};

static int ftrace_split(const char *line, struct ftrace_parts *fp)
{
	const char *open = NULL, *p, *task_end;
	char *end;

	memset(fp, 0, sizeof(*fp));
	/* the CPU column: " [ddd] " */
	for (p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
		size_t d = strspn(p + 1, "0123456789");

		if (p > line && isspace((unsigned char)p[-1]) && d &&
		    p[1 + d] == ']') {
			open = p;
			break;
		}
	}
	if (!open)
		return 1;
	fp->cpu = atoi(open + 1);
	task_end = open;
	while (task_end > line && isspace((unsigned char)task_end[-1]))
		task_end--;
	/* "(TGID)" */
	if (task_end > line && task_end[-1] == ')') {
		const char *o = task_end;

		while (o > line && *o != '(')
			o--;
		task_end = o;
		while (task_end > line && isspace((unsigned char)task_end[-1]))
			task_end--;
	}
	p = line + strspn(line, " \t");
	if (task_end <= p)
		return 1;
	snprintf(fp->task, sizeof(fp->task), "%.*s",
		 (int)(task_end - p < 47 ? task_end - p : 47), p);
	p = strchr(open, ']') + 1;
	p += strspn(p, " ");
	/* the flags: "d..1." and the like, before the timestamp */
	if (!isdigit((unsigned char)*p) || strcspn(p, " ") < strcspn(p, ":")) {
		size_t w = strcspn(p, " ");

		if (w > 6)
			return 1;
		p += w;
		p += strspn(p, " ");
	}
	fp->ts = strtod(p, &end);
	if (end == p || *end != ':') {
		fp->truncated = true;
		return 0;
	}
	p = end + 1;
	p += strspn(p, " ");
	fp->event = p;
	fp->len = strcspn(p, ": ");
	if (!fp->len || p[fp->len] != ':') {
		fp->truncated = true;
		return 0;
	}
	fp->rest = p + fp->len + 1;
	fp->rest += strspn(fp->rest, " ");
	return 0;
}

/* "CPU 2/KVM": QEMU's vCPU thread 2. */
static int task_vcpu(const char *task)
{
	int v;
	char c;

	if (sscanf(task, "CPU %d/KV%c", &v, &c) == 2 && c == 'M' && v >= 0)
		return v;
	return -1;
}

static int ftrace_line(struct trace_log *log, const char *line, int lineno,
		       double *last_ts, int *last_line, char *err,
		       size_t errlen)
{
	struct trace_log_event ctx;
	struct ftrace_parts fp;
	char ev[64];
	int rc;

	if (!strncmp(line, "cpus=", 5)) {
		log->ncpus = atoi(line + 5);
		return 0;
	}
	if (!strncmp(line, "version = ", 10))
		return 0;
	if (strstr(line, "[LOST ") && strstr(line, " EVENTS]"))
		return add_unmapped(log, lineno,
				    "ftrace lost events here: the log has a gap",
				    line);
	if (ftrace_split(line, &fp))
		return add_unmapped(log, lineno, "not an ftrace event line",
				    line);
	if (fp.truncated)
		return fail(err, errlen, log, lineno,
			    "%s: the line ends before its event and fields (truncated?)",
			    "ftrace", NULL);
	snprintf(ev, sizeof(ev), "%.*s", (int)(fp.len < 60 ? fp.len : 60),
		 fp.event);
	if (fp.ts < *last_ts) {
		char a[64], b[96];

		snprintf(a, sizeof(a), "%.6f", fp.ts);
		snprintf(b, sizeof(b), "line %d's %.6f", *last_line, *last_ts);
		return fail(err, errlen, log, lineno,
			    "timestamp %s is earlier than %s: ftrace prints its buffers merged in time order (two logs in one file?)",
			    a, b);
	}
	*last_ts = fp.ts;
	*last_line = lineno;
	ctx = (struct trace_log_event){ .cpu = fp.cpu,
					.vcpu = task_vcpu(fp.task),
					.ts = fp.ts };
	rc = read_event(log, TRACE_LOG_FTRACE, fp.event, fp.len, fp.rest,
			false, lineno, line, &ctx, err, errlen);
	if (rc <= 0)
		return rc;
	if (rc == 2)
		return add_unmapped(log, lineno,
				    "a kernel event irqsim has no step for (its fields read)",
				    line);
	if (unknown_in_family(fp.event, fp.len, TRACE_LOG_FTRACE))
		return fail(err, errlen, log, lineno,
			    "unknown event '%s': not one of its trace system's (%s)",
			    ev, !strncmp(ev, "vector_", 7) ? K_VECTORS :
				!strncmp(ev, "irq_matrix_", 11) ? K_MATRIX :
								   K_IRQ);
	if (known_ftrace_event(fp.event, fp.len) ||
	    !strncmp(fp.event, "kvm_", 4))
		return add_unmapped(log, lineno,
				    "a kernel event irqsim has no step for",
				    line);
	return add_unmapped(log, lineno,
			    "an event of a trace system irqsim does not read",
			    line);
}

/* The line after @l's, or NULL. */
static const char *next_line(const char *l)
{
	l = strchr(l, '\n');
	return l ? l + 1 : NULL;
}

/* The format of a log whose caller did not say: its first event line. */
static int guess_format(const char *text)
{
	for (const char *l = text; l && *l; l = next_line(l)) {
		struct ftrace_parts fp;
		char line[512];
		size_t n = strcspn(l, "\n");

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, l, n);
		line[n] = 0;
		if (line[0] == '#' || !line[strspn(line, " \t\r")])
			continue;
		if (!strncmp(line, "cpus=", 5) ||
		    (!ftrace_split(line, &fp) && !fp.truncated))
			return TRACE_LOG_FTRACE;
		for (size_t i = 0; i < LOG_NMAP; i++)
			if (log_map[i].format == TRACE_LOG_QEMU &&
			    !strncmp(qemu_prefix(line, &(double){ 0 }),
				     log_map[i].event,
				     strlen(log_map[i].event)))
				return TRACE_LOG_QEMU;
	}
	return TRACE_LOG_AUTO;
}

int trace_log_parse(struct trace_log *log, const char *file,
		    const char *text, int format, char *err, size_t errlen)
{
	struct owners ow = { 0 };
	double last_ts = -1;
	int lineno = 0, last_line = 0, ret = 0;
	const char *l = text;

	memset(log, 0, sizeof(*log));
	snprintf(log->file, sizeof(log->file), "%s", file);
	if (format == TRACE_LOG_AUTO)
		format = guess_format(text);
	if (format == TRACE_LOG_AUTO) {
		snprintf(err, errlen, "%s: no line reads as a QEMU trace event irqsim knows or an ftrace event: give --format qemu-log or ftrace",
			 file);
		return -EINVAL;
	}
	log->format = format;
	while (*l && !ret) {
		char line[1024];
		size_t n = strcspn(l, "\n");

		lineno++;
		if (n >= sizeof(line))
			ret = fail(err, errlen, log, lineno,
				   "line longer than %s characters%s", "1023",
				   "");
		if (ret)
			break;
		memcpy(line, l, n);
		line[n] = 0;
		if (n && line[n - 1] == '\r')
			line[n - 1] = 0;
		l += n + (l[n] == '\n');
		if (!line[strspn(line, " \t")])
			continue;
		if (line[0] == '#') {
			const char *p = strstr(line, "#P:");

			if (p)
				log->ncpus = atoi(p + 3);
			continue;
		}
		if (format == TRACE_LOG_QEMU)
			ret = qemu_line(log, line, lineno, &last_ts, &last_line,
					err, errlen);
		else
			ret = ftrace_line(log, line, lineno, &last_ts,
					  &last_line, err, errlen);
		if (!ret && log->n && log->ev[log->n - 1].line == lineno)
			ret = owner_check(&ow, log, &log->ev[log->n - 1], err,
					  errlen);
	}
	log->lines = lineno;
	free(ow.o);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", file);
	return ret;
}

void trace_log_free(struct trace_log *log)
{
	free(log->ev);
	free(log->un);
	log->ev = NULL;
	log->un = NULL;
	log->n = log->nun = 0;
}

/* ------------------------------------------------------------------ */
/* Comparing with the model's events                                    */

/* The word after @p's, or NULL. */
static const char *next_word(const char *p)
{
	p = strchr(p, ' ');
	return p ? p + 1 : NULL;
}

/* The model's field @key of @e, as text; false if it has none. */
static bool model_field(const struct irqsim_event *e, const char *key,
			char *val, size_t len)
{
	const char *src = e->fields[0] ? e->fields : e->text;
	size_t k = strlen(key);

	for (const char *p = src; p && *p; p = next_word(p)) {
		if (!strncmp(p, key, k) && p[k] == '=') {
			size_t n = strcspn(p + k + 1, " ");

			if (n >= len)
				n = len - 1;
			memcpy(val, p + k + 1, n);
			val[n] = 0;
			return true;
		}
	}
	return false;
}

static bool map_applies(const struct trace_log_map *m,
			const struct irqsim_event *e)
{
	char v[48];

	if (!m->tp || strcmp(m->tp, trace_event_tp(e)))
		return false;
	if (m->needs && m->needs[0] == '!' && model_field(e, m->needs + 1, v,
							  sizeof(v)))
		return false;
	if (m->needs && m->needs[0] != '!' && !model_field(e, m->needs, v,
							   sizeof(v)))
		return false;
	return !m->skip || !m->skip(e);
}

bool trace_log_shows(const struct trace_log *log,
		     const struct irqsim_event *e)
{
	if (e->kind != IRQSIM_EV_TRACE)
		return false;
	for (size_t i = 0; i < LOG_NMAP; i++)
		if (log_map[i].format == log->format &&
		    (log->families & (1u << log_map[i].family)) &&
		    map_applies(&log_map[i], e))
			return true;
	return false;
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case TRACE_LOG_IRQ:
		return "irq";
	case TRACE_LOG_VECTOR:
		return "vector";
	case TRACE_LOG_GVECTOR:
		return "guest vector";
	case TRACE_LOG_DEV:
		return "device";
	}
	return "value";
}

/*
 * The pair of @log with @model in @ids (of @kind, on @cpu): 0 when they
 * were paired or are now, -1 (with @why) when either is another's.
 */
static int pair_ids(struct trace_log_ids *ids, int kind, long long cpu,
		    long long log, long long model, int line, char *why,
		    size_t len)
{
	/* vector 0: none, on both sides */
	if ((kind == TRACE_LOG_VECTOR || kind == TRACE_LOG_GVECTOR) &&
	    (!log || !model)) {
		if (log == model)
			return 0;
		snprintf(why, len, "%s %lld in the log, %lld in the model",
			 kind_name(kind), log, model);
		return -1;
	}
	for (int i = 0; i < ids->n; i++) {
		if (ids->pair[i].kind != kind || ids->pair[i].cpu != cpu)
			continue;
		if (ids->pair[i].log == log && ids->pair[i].model == model)
			return 0;
		if (ids->pair[i].log == log) {
			snprintf(why, len, "the log's %s %lld was the model's %lld (line %d), here the model's is %lld",
				 kind_name(kind), log, ids->pair[i].model,
				 ids->pair[i].line, model);
			return -1;
		}
		if (ids->pair[i].model == model) {
			snprintf(why, len, "the model's %s %lld was the log's %lld (line %d), here the log's is %lld",
				 kind_name(kind), model, ids->pair[i].log,
				 ids->pair[i].line, log);
			return -1;
		}
	}
	if (ids->n == TRACE_LOG_MAX_IDS) {
		snprintf(why, len, "more than %d irqs, vectors and devices",
			 TRACE_LOG_MAX_IDS);
		return -1;
	}
	ids->pair[ids->n].kind = (uint8_t)kind;
	ids->pair[ids->n].cpu = cpu;
	ids->pair[ids->n].log = log;
	ids->pair[ids->n].model = model;
	ids->pair[ids->n].line = line;
	ids->n++;
	return 0;
}

int trace_log_match(const struct trace_log_event *le,
		    const struct irqsim_event *e, struct trace_log_ids *ids,
		    char *why, size_t len)
{
	struct trace_log_ids try = *ids;
	bool note = false;

	why[0] = 0;
	if (!map_applies(le->map, e)) {
		snprintf(why, len, "the log has %s here, the model %s",
			 le->map->event, trace_event_tp(e));
		return -1;
	}
	for (int i = 0; i < le->nf; i++) {
		const struct trace_log_field *f = &le->f[i];
		char mv[48], *end;
		long long m;

		if (!model_field(e, f->key, mv, sizeof(mv))) {
			snprintf(why, len, "the model's %s has no %s",
				 trace_event_tp(e), f->key);
			return -1;
		}
		if (f->kind == TRACE_LOG_STR) {
			if (strcmp(f->s, mv)) {
				snprintf(why, len, "%s: %s in the log, %s in the model",
					 f->key, f->s, mv);
				return -1;
			}
			continue;
		}
		errno = 0;
		m = strtoll(mv, &end, 0);
		if (errno || end == mv || *end) {
			snprintf(why, len, "%s: %lld in the log, %s in the model",
				 f->key, f->v, mv);
			return -1;
		}
		if (f->kind == TRACE_LOG_NUM) {
			if (m == f->v)
				continue;
			snprintf(why, len, "%s: %#llx in the log, %#llx in the model%s%s",
				 f->key, f->v, m, f->soft ? ": " : "",
				 f->soft && le->soft_why ? le->soft_why : "");
			if (!f->soft)
				return -1;
			note = true;
			continue;
		}
		if (pair_ids(&try, f->kind,
			     f->kind == TRACE_LOG_VECTOR ? f->cpu : 0, f->v, m,
			     le->line, why, len))
			return -1;
	}
	*ids = try;
	return note ? 1 : 0;
}

void trace_log_describe(const struct vmm_machine *m,
			const struct irqsim_event *e, char *buf, size_t len)
{
	char fields[2 * IRQSIM_EVENT_TEXT];

	trace_event_fields(e, fields, sizeof(fields));
	snprintf(buf, len, "%s step %u: %s: %s",
		 e->actor < m->nactors ? m->actor[e->actor].name : "?",
		 e->step, trace_event_tp(e), fields);
}
