// SPDX-License-Identifier: MIT
/*
 * Verdicts scoped to one object (issue 23): --ignore and expect take
 * KIND:OBJECT, a device by name or devN (with .VECTOR) or an irq. An
 * oracle whose finding about one object is ignored goes on to judge the
 * next object; expect KIND:OBJECT matches a verdict about that object,
 * and judges that object alone (--only), as none:OBJECT does.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../harness.h"

#define VM							\
	"cpus 2\n"						\
	"vcpus 1\n"						\
	"device nic0 msix=2 behaviour=ack affinity=cpu1\n"	\
	"device nic1 msix=1 behaviour=ack affinity=cpu1\n"	\
	"actor vcpu0 vcpu=0 cpu=0\n"				\
	"main-loop cpu=0\n"					\
	"setup vcpu0: qemu_vfio_msix_enable nic0 2 0\n"		\
	"setup vcpu0: qemu_vfio_msix_enable nic1 1 0\n"
/* the line number of the first line after VM */
#define LINE_AFTER_VM 9

#define BIT(kind) (1u << (kind))

static struct harness h;

static int load(void **state)
{
	(void)state;
	harness_load(&h, VM "nic0: raise 0\n");
	assert_int_equal(harness_run(&h, NULL), CHECK_NONE);
	return 0;
}

static int unload(void **state)
{
	(void)state;
	harness_done(&h);
	return 0;
}

static int end_kind(struct irqsim_verdict *v)
{
	memset(v, 0, sizeof(*v));
	return check_end(h.w, &h.rt, false, v);
}

static int step_kind(struct irqsim_verdict *v)
{
	memset(v, 0, sizeof(*v));
	return check_step(h.w, &h.rt, v);
}

static void ignore(const char *list, struct scenario_ignore *ig)
{
	char err[SCENARIO_ERR] = "";

	memset(ig, 0, sizeof(*ig));
	if (scenario_parse_ignore(&h.s, list, ig, err, sizeof(err))) {
		print_error("'%s' does not parse: %s\n", list, err);
		fail();
	}
	scenario_ignore_rt(ig, &h.rt);
}

static void expect_obj(const struct irqsim_verdict *v, int type, int index,
		       int sub)
{
	assert_int_equal(v->obj.type, type);
	assert_int_equal(v->obj.index, index);
	assert_int_equal(v->obj.sub, sub);
}

/* The object that held the verdict's when it was found. */
static void expect_holder(const struct irqsim_verdict *v, int type,
			  int index, int sub)
{
	assert_int_equal(v->obj.in_type, type);
	assert_int_equal(v->obj.in_index, index);
	assert_int_equal(v->obj.in_sub, sub);
}

/* dev0 ignored: dev1's loss is still found, and named. */
static void scoped_ignore_skips_only_that_device_test(void **state)
{
	struct vmm_world saved = *h.w;
	struct scenario_ignore ig;
	struct irqsim_verdict v;

	(void)state;
	harness_apic(&h)->stats.discards = 0;
	for (int d = 0; d < 2; d++) {
		harness_pdev(&h, d)->status |= 1;
		harness_pdev(&h, d)->pending_step[0] = (uint32_t)(5 + d);
	}
	ignore("", &ig);
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_obj(&v, CHECK_OBJ_DEV, 0, 0);

	ignore("lost-interrupt:nic0", &ig);
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_obj(&v, CHECK_OBJ_DEV, 1, 0);
	assert_non_null(strstr(v.what, "dev1 vector 0"));
	assert_int_equal(v.origin_step, 6);

	/* devN names the same device; another vector of it is not it */
	ignore("lost-interrupt:dev0", &ig);
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_obj(&v, CHECK_OBJ_DEV, 1, 0);
	ignore("lost-interrupt:nic0.1", &ig);
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_obj(&v, CHECK_OBJ_DEV, 0, 0);
	ignore("lost-interrupt:nic0.0", &ig);
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_obj(&v, CHECK_OBJ_DEV, 1, 0);

	/* another kind's scope does not hide this one */
	ignore("msix-disabled:nic0,vector-binding-lost:irq1", &ig);
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_obj(&v, CHECK_OBJ_DEV, 0, 0);

	/* both devices scoped out, or the whole kind: nothing */
	ignore("lost-interrupt:nic0,lost-interrupt:nic1", &ig);
	assert_int_equal(end_kind(&v), CHECK_NONE);
	ignore("lost-interrupt", &ig);
	assert_int_equal(end_kind(&v), CHECK_NONE);

	ignore("", &ig);
	*h.w = saved;
}

/* irq scoped out of vector-binding-lost: the next irq is still judged. */
static void scoped_ignore_skips_only_that_irq_test(void **state)
{
	struct vmm_world saved = *h.w;
	struct scenario_ignore ig;
	struct irqsim_verdict v;
	int irq0 = harness_irq(&h, 0, 0), irq1 = harness_irq(&h, 1, 0);
	char scope[64];

	(void)state;
	assert_true(irq0 < irq1);
	for (int i = 0; i < 2; i++) {
		int irq = i ? irq1 : irq0;
		const struct apic_chip_data *d = harness_apicd(&h, irq);

		harness_apic(&h)->cpu[d->cpu].vector_irq[d->vector] =
			VECTOR_UNUSED;
	}
	ignore("", &ig);
	assert_int_equal(step_kind(&v), CHECK_BINDING_LOST);
	expect_obj(&v, CHECK_OBJ_IRQ, irq0, -1);
	snprintf(scope, sizeof(scope), "vector-binding-lost:irq%d", irq0);
	ignore(scope, &ig);
	assert_int_equal(step_kind(&v), CHECK_BINDING_LOST);
	expect_obj(&v, CHECK_OBJ_IRQ, irq1, -1);
	/*
	 * a device's scope holds the irqs the device holds: nic0's vector
	 * 0 is irq0, its vector 1 is not
	 */
	ignore("vector-binding-lost:nic0", &ig);
	assert_int_equal(step_kind(&v), CHECK_BINDING_LOST);
	expect_obj(&v, CHECK_OBJ_IRQ, irq1, -1);
	expect_holder(&v, CHECK_OBJ_DEV, 1, 0);
	ignore("vector-binding-lost:nic0.1", &ig);
	assert_int_equal(step_kind(&v), CHECK_BINDING_LOST);
	expect_obj(&v, CHECK_OBJ_IRQ, irq0, -1);
	expect_holder(&v, CHECK_OBJ_DEV, 0, 0);
	ignore("", &ig);
	*h.w = saved;
}

/* the scope of what is judged (irqsim_rt.scope), @text as --only reads it */
static void only(const char *text)
{
	char err[SCENARIO_ERR] = "";

	if (!text) {
		h.rt.scope = CHECK_OBJECT(CHECK_OBJ_NONE, -1, -1);
		return;
	}
	if (scenario_parse_object(&h.s, text, &h.rt.scope, err,
				  sizeof(err))) {
		print_error("'%s' does not parse: %s\n", text, err);
		fail();
	}
}

/*
 * A scoped expect line judges its own object: under nic1's scope, nic0's
 * loss (found first) is not the verdict, so the search goes on to
 * nic1's; findings about no object are not judged, but a model warning
 * or a run cut by the step bound is, under any scope.
 */
static void scope_judges_only_its_object_test(void **state)
{
	struct vmm_world saved = *h.w;
	struct irqsim_verdict v;

	(void)state;
	harness_apic(&h)->stats.discards = 0;
	harness_pdev(&h, 0)->status |= 1;
	harness_pdev(&h, 0)->pending_step[0] = 5;
	only(NULL);
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_obj(&v, CHECK_OBJ_DEV, 0, 0);
	only("nic1");
	assert_int_equal(end_kind(&v), CHECK_NONE);
	only("nic0.1");
	assert_int_equal(end_kind(&v), CHECK_NONE);
	only("nic0.0");
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	only("dev0");
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	only("irq1");
	assert_int_equal(end_kind(&v), CHECK_NONE);

	/* nic1 loses too: its loss is the verdict under its scope */
	harness_pdev(&h, 1)->status |= 1;
	harness_pdev(&h, 1)->pending_step[0] = 6;
	only("nic1");
	assert_int_equal(end_kind(&v), CHECK_LOST_INTERRUPT);
	expect_obj(&v, CHECK_OBJ_DEV, 1, 0);
	assert_int_equal(v.origin_step, 6);

	/* no object: out of every scope; the bound and model bugs are not */
	*h.w = saved;
	harness_irqw(&h)->stats.free_already_free = 1;
	harness_irqw(&h)->stats.free_already_free_irq = 0;
	only(NULL);
	assert_int_equal(step_kind(&v), CHECK_KERNEL_WARNING);
	only("nic1");
	assert_int_equal(step_kind(&v), CHECK_NONE);
	harness_sched(&h)->warnings = 1;
	assert_int_equal(step_kind(&v), CHECK_MODEL_WARNING);
	*h.w = saved;
	memset(&v, 0, sizeof(v));
	assert_int_equal(check_end(h.w, &h.rt, true, &v), CHECK_LIVELOCK);
	only(NULL);
	*h.w = saved;
}

/*
 * kernel-warning is about the irq that warned, held by its device: it
 * can be ignored, and judged, for one device or irq (issue 23).
 */
static void kernel_warning_names_its_irq_test(void **state)
{
	struct vmm_world saved = *h.w;
	struct irq_stats *is = &harness_irqw(&h)->stats;
	struct scenario_ignore ig;
	struct irqsim_verdict v;
	int irq0 = harness_irq(&h, 0, 0), irq1 = harness_irq(&h, 1, 0);
	char scope[64], what[64];
	static const struct {
		const char *text;
		size_t at;	/* the counter's and its irq's offsets */
		size_t irq_at;
	} warns[] = {
		{ "Trying to free already-free IRQ %d (__free_irq)",
		  offsetof(struct irq_stats, free_already_free),
		  offsetof(struct irq_stats, free_already_free_irq) },
		{ "Trying to update already-free IRQ %d (irq_update_devid)",
		  offsetof(struct irq_stats, update_already_free),
		  offsetof(struct irq_stats, update_already_free_irq) },
		{ "Unbalanced enable for IRQ %d (__enable_irq)",
		  offsetof(struct irq_stats, unbalanced_enable),
		  offsetof(struct irq_stats, unbalanced_irq) },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(warns) / sizeof(warns[0]); i++) {
		*h.w = saved;
		((uint8_t *)is)[warns[i].at] = 1;
		((int8_t *)is)[warns[i].irq_at] = (int8_t)irq1;
		ignore("", &ig);
		assert_int_equal(step_kind(&v), CHECK_KERNEL_WARNING);
		expect_obj(&v, CHECK_OBJ_IRQ, irq1, -1);
		expect_holder(&v, CHECK_OBJ_DEV, 1, 0);
		snprintf(what, sizeof(what), warns[i].text, irq1);
		assert_non_null(strstr(v.what, what));
		/* another device's or irq's scope leaves it */
		ignore("kernel-warning:nic0", &ig);
		assert_int_equal(step_kind(&v), CHECK_KERNEL_WARNING);
		snprintf(scope, sizeof(scope), "kernel-warning:irq%d", irq0);
		ignore(scope, &ig);
		assert_int_equal(step_kind(&v), CHECK_KERNEL_WARNING);
		/* its own irq's or device's takes it */
		snprintf(scope, sizeof(scope), "kernel-warning:irq%d", irq1);
		ignore(scope, &ig);
		assert_int_equal(step_kind(&v), CHECK_NONE);
		ignore("kernel-warning:nic1", &ig);
		assert_int_equal(step_kind(&v), CHECK_NONE);
		ignore("", &ig);
		only("nic0");
		assert_int_equal(step_kind(&v), CHECK_NONE);
		only("nic1");
		assert_int_equal(step_kind(&v), CHECK_KERNEL_WARNING);
		only(NULL);
	}
	*h.w = saved;
}

static void object_in_test(void **state)
{
	struct irqsim_object dev0 = CHECK_OBJECT(CHECK_OBJ_DEV, 0, -1);
	struct irqsim_object dev0v1 = CHECK_OBJECT(CHECK_OBJ_DEV, 0, 1);
	struct irqsim_object dev1v1 = CHECK_OBJECT(CHECK_OBJ_DEV, 1, 1);
	struct irqsim_object irq0 = CHECK_OBJECT(CHECK_OBJ_IRQ, 0, -1);
	struct irqsim_object none = CHECK_OBJECT(CHECK_OBJ_NONE, -1, -1);
	struct irqsim_object held = irq0;

	(void)state;
	/* an irq dev0's vector 1 holds: in dev0 and dev0.1, and itself */
	held.in_type = CHECK_OBJ_DEV;
	held.in_index = 0;
	held.in_sub = 1;
	assert_true(check_object_in(&dev0, &held));
	assert_true(check_object_in(&dev0v1, &held));
	assert_true(check_object_in(&irq0, &held));
	assert_false(check_object_in(&dev1v1, &held));
	held.in_sub = 0;
	assert_false(check_object_in(&dev0v1, &held));
	assert_true(check_object_in(&dev0, &dev0v1));
	assert_true(check_object_in(&dev0v1, &dev0v1));
	assert_false(check_object_in(&dev0v1, &dev0));
	assert_false(check_object_in(&dev0, &dev1v1));
	assert_false(check_object_in(&dev0, &irq0));
	assert_false(check_object_in(&none, &none));
	assert_false(check_object_in(&none, &dev0));
}

/* expect KIND:OBJECT and ignore=KIND:OBJECT as the trace parser reads them. */
static void expect_scope_parses_test(void **state)
{
	static struct scenario sc;
	char err[SCENARIO_ERR] = "", buf[256];

	(void)state;
	assert_int_equal(scenario_parse(&sc, "t.trace",
					VM "expect lost-interrupt:nic1\n"
					   "expect lost-interrupt:dev0.1\n"
					   "expect vector-binding-lost:irq2\n"
					   "expect none ignore=lost-interrupt:nic0,misrouted,msix-disabled:nic0.1\n"
					   "expect lost-interrupt\n"
					   "expect none:nic1 ignore=misrouted\n",
					err, sizeof(err)),
			 0);
	assert_int_equal(sc.nexpect, 6);
	/* KIND:OBJECT and none:OBJECT judge that object alone */
	assert_int_equal(sc.expect[0].ignore.only.type, CHECK_OBJ_DEV);
	assert_int_equal(sc.expect[0].ignore.only.index, 1);
	assert_int_equal(sc.expect[2].ignore.only.type, CHECK_OBJ_IRQ);
	assert_int_equal(sc.expect[3].ignore.only.type, CHECK_OBJ_NONE);
	assert_int_equal(sc.expect[4].ignore.only.type, CHECK_OBJ_NONE);
	assert_int_equal(sc.expect[5].kind, CHECK_NONE);
	assert_int_equal(sc.expect[5].obj.index, 1);
	assert_int_equal(sc.expect[5].ignore.only.type, CHECK_OBJ_DEV);
	assert_int_equal(sc.expect[5].ignore.only.index, 1);
	assert_int_equal(sc.expect[5].ignore.only.sub, -1);
	assert_int_equal(sc.expect[5].ignore.kinds, BIT(CHECK_MISROUTED));
	assert_int_equal(sc.expect[0].kind, CHECK_LOST_INTERRUPT);
	assert_int_equal(sc.expect[0].obj.type, CHECK_OBJ_DEV);
	assert_int_equal(sc.expect[0].obj.index, 1);
	assert_int_equal(sc.expect[0].obj.sub, -1);
	assert_int_equal(sc.expect[1].obj.index, 0);
	assert_int_equal(sc.expect[1].obj.sub, 1);
	assert_int_equal(sc.expect[2].kind, CHECK_BINDING_LOST);
	assert_int_equal(sc.expect[2].obj.type, CHECK_OBJ_IRQ);
	assert_int_equal(sc.expect[2].obj.index, 2);
	assert_int_equal(sc.expect[3].kind, CHECK_NONE);
	assert_int_equal(sc.expect[3].ignore.kinds, BIT(CHECK_MISROUTED));
	assert_int_equal(sc.expect[3].ignore.n, 2);
	assert_int_equal(sc.expect[3].ignore.scoped[0].kind,
			 CHECK_LOST_INTERRUPT);
	assert_int_equal(sc.expect[3].ignore.scoped[1].obj.sub, 1);
	assert_int_equal(sc.expect[4].obj.type, CHECK_OBJ_NONE);
	/* written back as read: kinds first, devices by name */
	scenario_ignore_format(&sc, &sc.expect[3].ignore, ",", buf,
			       sizeof(buf));
	assert_string_equal(buf,
			    "misrouted,lost-interrupt:nic0,msix-disabled:nic0.1");
	scenario_object_name(&sc, &sc.expect[1].obj, buf, sizeof(buf));
	assert_string_equal(buf, "nic0.1");
	scenario_free(&sc);
}

#define REFUSED(line, msg)						\
	do {								\
		assert_int_equal(scenario_parse(&sc, "t.trace", VM line, err, \
						sizeof(err)),		\
				 -EINVAL);				\
		if (!strstr(err, msg)) {				\
			print_error("'%s' does not say '%s'\n", err, msg); \
			fail();						\
		}							\
		scenario_free(&sc);					\
	} while (0)

static void scope_parse_errors_test(void **state)
{
	static struct scenario sc;
	char err[SCENARIO_ERR] = "";

	(void)state;
	REFUSED("expect lost-interrupt:nic7\n",
		"t.trace:9: 'nic7': unknown device");
	REFUSED("expect lost-interrupt:dev2\n",
		"t.trace:9: 'dev2': no such device (the trace has 2)");
	REFUSED("expect lost-interrupt:nic0.2\n",
		"t.trace:9: 'nic0.2': device nic0 has 2 vectors");
	REFUSED("expect lost-interrupt:nic1.x\n",
		"t.trace:9: 'nic1.x': the vector after '.' must be a number");
	REFUSED("expect vector-binding-lost:irq0\n",
		"t.trace:9: 'irq0': no such irq");
	REFUSED("expect vector-binding-lost:irq99\n",
		"t.trace:9: 'irq99': no such irq");
	REFUSED("expect none:nic9\n", "t.trace:9: 'nic9': unknown device");
	REFUSED("expect bogus:nic0\n", "t.trace:9: unknown verdict 'bogus'");
	REFUSED("expect none ignore=lost-interrupt:nic9\n",
		"t.trace:9: ignore=: 'nic9': unknown device");
	REFUSED("expect none ignore=none:nic0\n",
		"t.trace:9: ignore=: none is not a verdict to ignore");
	REFUSED("expect none ignore=a:1,b:2,c:3,d:4,e:5,f:6,g:7,h:8,i:9\n",
		"t.trace:9: ignore=: unknown verdict 'a'");
	REFUSED("expect none ignore=lost-interrupt:nic0,lost-interrupt:nic0,lost-interrupt:nic0,lost-interrupt:nic0,lost-interrupt:nic0,lost-interrupt:nic0,lost-interrupt:nic0,lost-interrupt:nic0,lost-interrupt:nic0\n",
		"t.trace:9: ignore=: at most 8 scoped verdicts");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scoped_ignore_skips_only_that_device_test),
		cmocka_unit_test(scoped_ignore_skips_only_that_irq_test),
		cmocka_unit_test(scope_judges_only_its_object_test),
		cmocka_unit_test(kernel_warning_names_its_irq_test),
		cmocka_unit_test(object_in_test),
		cmocka_unit_test(expect_scope_parses_test),
		cmocka_unit_test(scope_parse_errors_test),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
