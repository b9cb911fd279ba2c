// SPDX-License-Identifier: MIT
/*
 * The Graphviz rendering, read back with libcgraph: lanes, program order,
 * happens-before edges, the highlights, the folding, the legend, and the
 * violation's causal slice that it draws unless asked for the whole run.
 *
 * On tglx's third seeds/000 timeline the diagram must show the race as
 * the mail tells it: the device's MSI lands in the IRR of the CPU its
 * message names and that CPU takes it (MSI -> IRR -> delivery); its entry
 * code reads the VECTOR_SHUTDOWN that x86_vector_deactivate() wrote on the
 * other CPU (a write -> the read that saw it); on v6.18 it re-reads the
 * slot under vector_lock after free_irq()'s side released it
 * (ce0b5eedcb75: lock release -> acquire); the EOI that discards the
 * interrupt is the violation and the device's raise the lost event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <graphviz/cgraph.h>

#include "render_util.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *attr(void *obj, const char *name)
{
	const char *v = agget(obj, (char *)name);

	return v ? v : "";
}

static long step_of(Agnode_t *n)
{
	return strtol(attr(n, "irqsim_step"), NULL, 10);
}

static Agraph_t *read_dot(const struct rendered_run *r)
{
	char *dot = render_util_render(r, TRACE_DOT, NULL);
	Agraph_t *g;

	assert_non_null(dot);
	g = agmemread(dot);
	free(dot);
	assert_non_null(g);
	assert_true(agisdirected(g));
	return g;
}

/* The lane (cluster) holding @n; fails unless there is exactly one. */
static Agraph_t *lane_of(Agraph_t *g, Agnode_t *n)
{
	Agraph_t *found = NULL;

	for (Agraph_t *sg = agfstsubg(g); sg; sg = agnxtsubg(sg)) {
		if (strncmp(agnameof(sg), "cluster_", 8))
			continue;
		if (agsubnode(sg, n, 0)) {
			assert_null(found);
			found = sg;
		}
	}
	assert_non_null(found);
	return found;
}

static Agraph_t *lane_named(Agraph_t *g, const char *actor)
{
	for (Agraph_t *sg = agfstsubg(g); sg; sg = agnxtsubg(sg))
		if (!strcmp(attr(sg, "irqsim_lane"), actor))
			return sg;
	return NULL;
}

static bool is_legend(void *obj)
{
	return !strcmp(attr(obj, "irqsim_kind"), "legend") ||
	       !strcmp(attr(obj, "irqsim_hb"), "legend");
}

/* 0..3: a visible edge's kind (program order, lock, data, irq). */
static int hb_kind(const char *hb)
{
	static const char *const kind[] = { "po", "lock", "data", "irq" };

	for (int k = 0; k < 4; k++)
		if (!strcmp(hb, kind[k]))
			return k;
	fail_msg("a visible edge with irqsim_hb='%s'", hb);
	return -1;
}

/*
 * The legend: its own cluster, its boxes and lines joined only to each
 * other, and by invisible edges to the lanes' boxes below it; it draws
 * each kind of box and line the picture has.
 */
static void check_legend(Agraph_t *g)
{
	Agraph_t *c = agsubg(g, "cluster legend", 0);
	bool mark[2] = { false }, legend_mark[2] = { false };
	int kinds = 0, legend_lines = 0;

	assert_non_null(c);
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
		bool legend = is_legend(n);
		const char *m = attr(n, "irqsim_mark");

		assert_true(!legend == !agsubnode(c, n, 0));
		if (!legend) {
			mark[0] |= !strcmp(m, "lost");
			mark[1] |= !strcmp(m, "violation");
		} else {
			/* a sample is styled as the box, not marked as one */
			assert_string_equal(m, "");
			legend_mark[0] |= !strcmp(attr(n, "fillcolor"),
						  "#fff0c2");
			legend_mark[1] |= !strcmp(attr(n, "fillcolor"),
						  "#ffd6d6");
		}
		for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
			Agnode_t *h = aghead(e);

			if (legend && !is_legend(h)) {
				assert_string_equal(attr(e, "style"), "invis");
				continue;
			}
			assert_true(!legend == !is_legend(h));
			assert_true(!legend == !is_legend(e));
			if (legend && strcmp(attr(e, "style"), "invis"))
				legend_lines++;
			if (!legend && strcmp(attr(e, "style"), "invis"))
				kinds |= 1 << hb_kind(attr(e, "irqsim_hb"));
			if (!legend && !strcmp(attr(e, "irqsim_path"), "1"))
				kinds |= 1 << 4;	/* the path */
		}
	}
	assert_int_equal(legend_mark[0], mark[0]);
	assert_int_equal(legend_mark[1], mark[1]);
	assert_int_equal(legend_lines, __builtin_popcount((unsigned)kinds));
}

/*
 * Every actor that logged a step has a lane (in a drawing of the whole
 * run), named after it, as has every actor with a box; every box is in
 * exactly one lane, its own actor's; program order stays in a lane and goes
 * forward; happens-before edges cross lanes and go forward; the
 * invisible order edges go forward too, so time flows down; the legend
 * is apart.
 */
static void check_structure(Agraph_t *g, const struct rendered_run *r)
{
	const struct vmm_machine *m = &r->s.machine;
	bool logged[IRQSIM_MAX_ACTORS] = { false };
	int boxes = 0;

	check_legend(g);
	for (size_t i = 0; i < r->log.n; i++)
		if (r->log.ev[i].kind == IRQSIM_EV_TRACE &&
		    (!r->res.verdict.kind || r->run.full_run))
			logged[r->log.ev[i].actor] = true;
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
		if (!is_legend(n))
			for (int a = 0; a < m->nactors; a++)
				if (!strcmp(attr(n, "irqsim_actor"),
					    m->actor[a].name))
					logged[a] = true;
	for (int a = 0; a < m->nactors; a++)
		if (logged[a]) {
			Agraph_t *lane = lane_named(g, m->actor[a].name);
			char want[64];

			assert_non_null(lane);
			snprintf(want, sizeof(want), "cluster_%s",
				 m->actor[a].name);
			assert_string_equal(agnameof(lane), want);
		}
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
		Agraph_t *lane;

		if (is_legend(n))
			continue;
		lane = lane_of(g, n);
		boxes++;
		assert_string_equal(attr(n, "irqsim_actor"),
				    attr(lane, "irqsim_lane"));
		for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
			const char *hb = attr(e, "irqsim_hb");
			Agnode_t *h = aghead(e);

			if (!strcmp(hb, "po")) {
				assert_ptr_equal(lane_of(g, h), lane);
				assert_true(step_of(h) > step_of(n));
			} else if (!strcmp(hb, "lock") || !strcmp(hb, "data") ||
				   !strcmp(hb, "irq")) {
				assert_ptr_not_equal(lane_of(g, h), lane);
				assert_true(step_of(h) > step_of(n));
				/* happens-before joins steps, never folds */
				assert_string_equal(attr(n, "irqsim_kind"), "step");
				assert_string_equal(attr(h, "irqsim_kind"), "step");
				assert_true(attr(e, "irqsim_obj")[0] != 0);
			} else if (!strcmp(hb, "order")) {
				assert_string_equal(attr(e, "style"), "invis");
				assert_true(step_of(h) >= step_of(n));
			} else {
				fail_msg("edge with irqsim_hb='%s'", hb);
			}
		}
	}
	assert_true(boxes > 0);
}

/* The edge of kind @hb on @obj from a box of lane @from to one of @to. */
static Agedge_t *find_edge(Agraph_t *g, const char *hb, const char *obj,
			   const char *from, const char *to)
{
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
		for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
			if (!strcmp(attr(e, "irqsim_hb"), hb) &&
			    !strcmp(attr(e, "irqsim_obj"), obj) &&
			    !strcmp(attr(n, "irqsim_actor"), from) &&
			    !strcmp(attr(aghead(e), "irqsim_actor"), to))
				return e;
	return NULL;
}

/* The first event with tracepoint @tp (and @field=@value if given). */
static const struct irqsim_event *find_event(const struct rendered_run *r,
					     const char *tp, const char *field,
					     long value)
{
	for (size_t i = 0; i < r->log.n; i++) {
		const struct irqsim_event *e = &r->log.ev[i];

		if (e->tp && !strcmp(e->tp, tp) &&
		    (!field || render_util_field(e, field) == value))
			return e;
	}
	return NULL;
}

static void tglx_race_edges_and_highlights_test(void **state)
{
	struct rendered_run r;
	const struct vmm_machine *m;
	const struct irqsim_event *msi, *shutdown, *reeval;
	const char *dev, *cpu = NULL, *freer;
	char obj[64];
	Agnode_t *violation = NULL, *lost = NULL;
	Agedge_t *e;
	Agraph_t *g;
	int cpu_nr, vector, hops = 0;

	(void)state;
	assert_int_equal(render_util_run(&r, "traces/seed000-tglx-timeline.trace",
					 NULL, -1),
			 0);
	assert_int_equal(r.res.verdict.kind, CHECK_LOST_INTERRUPT);
	m = &r.s.machine;
	/*
	 * The whole run: the slice, as the changelog, ends free_irq()'s side
	 * at the SHUTDOWN CPU1 read, before it releases vector_lock.
	 */
	r.run.full_run = true;
	g = read_dot(&r);
	check_structure(g, &r);

	/* the message the device sent: which CPU, which vector */
	msi = find_event(&r, "msi_send", NULL, 0);
	assert_non_null(msi);
	cpu_nr = (int)render_util_field(msi, "cpu");
	vector = (int)render_util_field(msi, "vector");
	dev = m->actor[msi->actor].name;
	for (int a = 0; a < m->nactors; a++)
		if (m->actor[a].role == ROLE_HARDIRQ &&
		    m->actor[a].cpu == cpu_nr)
			cpu = m->actor[a].name;
	assert_non_null(cpu);

	/* MSI write -> IRR -> the CPU taking it */
	snprintf(obj, sizeof(obj), "IRR[cpu%d][%d]", cpu_nr, vector);
	e = find_edge(g, "irq", obj, dev, cpu);
	assert_non_null(e);
	assert_int_equal(step_of(agtail(e)), msi->step);

	/* x86_vector_deactivate()'s SHUTDOWN -> common_interrupt's read */
	shutdown = find_event(&r, "clear_irq_vector", "vector", vector);
	assert_non_null(shutdown);
	freer = m->actor[shutdown->actor].name;
	snprintf(obj, sizeof(obj), "vector_irq[cpu%d][%d]", cpu_nr, vector);
	e = find_edge(g, "data", obj, freer, cpu);
	assert_non_null(e);
	assert_int_equal(step_of(agtail(e)), shutdown->step);
	/* QEMU runs SET_IRQS on the vCPU thread after the exit: CPU0 */
	assert_int_equal(m->actor[shutdown->actor].role, ROLE_VCPU);

	/* v6.18: reevaluate_vector() under vector_lock, after the release */
	reeval = find_event(&r, "reevaluate_vector", "vector", vector);
	assert_non_null(reeval);
	e = find_edge(g, "lock", "vector_lock", freer, cpu);
	assert_non_null(e);
	assert_int_equal(step_of(aghead(e)), reeval->step);

	/* the highlights */
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
		if (!strcmp(attr(n, "irqsim_mark"), "violation")) {
			assert_null(violation);
			violation = n;
		}
		if (!strcmp(attr(n, "irqsim_mark"), "lost")) {
			assert_null(lost);
			lost = n;
		}
	}
	assert_non_null(violation);
	assert_non_null(lost);
	assert_string_equal(attr(violation, "irqsim_actor"), cpu);
	assert_int_equal(step_of(violation), r.res.verdict.step);
	assert_string_equal(attr(violation, "class"), "violation");
	assert_string_equal(attr(lost, "irqsim_actor"), dev);
	assert_int_equal(step_of(lost), r.res.verdict.origin_step);
	assert_int_equal(step_of(lost), msi->step);

	/* the red path leads from the lost event to the violation */
	for (Agnode_t *n = lost; n != violation; hops++) {
		Agedge_t *next = NULL;

		assert_true(hops < 100);
		for (e = agfstout(g, n); e; e = agnxtout(g, e))
			if (!strcmp(attr(e, "irqsim_path"), "1"))
				next = e;
		assert_non_null(next);
		n = aghead(next);
	}
	/* MSI to IRR, then the CPU's own steps to the EOI */
	assert_true(hops >= 2);

	agclose(g);
	render_util_free(&r);
}

/*
 * A run of 200 steps, most of them QEMU and VFIO bookkeeping: the steps
 * that touch nothing racy fold, every step is in exactly one box, no two
 * quiet boxes follow each other in a lane (a fold is a whole run), and
 * without a violation nothing is highlighted.
 */
static void long_run_folds_quiet_steps_test(void **state)
{
	struct rendered_run r;
	int steps = 0, boxes = 0, folds = 0, covered = 0;
	long last_step = -1;
	Agraph_t *g;

	(void)state;
	assert_int_equal(render_util_run(&r, "tests/trace/data/long-affinity.trace",
					 NULL, 0),
			 0);
	assert_int_equal(r.res.verdict.kind, CHECK_NONE);
	for (size_t i = 0; i < r.log.n; i++) {
		const struct irqsim_event *e = &r.log.ev[i];

		if (e->kind != IRQSIM_EV_TRACE || (long)e->step == last_step)
			continue;
		last_step = e->step;
		steps++;
	}
	assert_true(steps >= 100);
	g = read_dot(&r);
	check_structure(g, &r);
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
		bool quiet = strcmp(attr(n, "irqsim_racy"), "1") != 0;

		if (is_legend(n))
			continue;
		boxes++;
		covered += atoi(attr(n, "irqsim_steps"));
		assert_string_equal(attr(n, "irqsim_mark"), "");
		if (!strcmp(attr(n, "irqsim_kind"), "fold")) {
			folds++;
			assert_true(atoi(attr(n, "irqsim_steps")) >= 2);
		}
		for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
			assert_string_equal(attr(e, "irqsim_path"), "");
			if (!strcmp(attr(e, "irqsim_hb"), "po") && quiet)
				assert_string_equal(attr(aghead(e), "irqsim_racy"),
						    "1");
		}
	}
	assert_int_equal(covered, steps);
	assert_true(folds > 0);
	/* mostly bookkeeping: folding at least halves the boxes */
	assert_true(boxes * 2 <= steps);
	agclose(g);
	render_util_free(&r);
}

/*
 * A device that waits for the driver's ack folds a second event into the
 * pending one (tglx: "if (!wait_for_driver_ack) ... send_msi_message()").
 * The interrupt lost is the message of the first: the oracle names that
 * raise (the device's pending event), not the device's last one. In
 * seed000-irqbalance, search the seeds for a run with a coalesced raise
 * after the message: the verdict and the diagram must name the raise that
 * sent the MSI, and the diagram draw the path from it through IRR to the
 * discard.
 */
static void coalesced_event_marks_the_sent_message_test(void **state)
{
	struct rendered_run r;
	bool found = false;

	(void)state;
	for (long long seed = 0; seed < 5000 && !found; seed++) {
		const struct irqsim_event *msi = NULL;
		Agnode_t *lost = NULL, *violation = NULL, *n;
		Agraph_t *g;
		bool coalesced = false;
		int hops = 0;

		assert_int_equal(render_util_run(&r, "traces/seed000-irqbalance.trace",
						 NULL, seed),
				 0);
		for (size_t i = 0; i < r.log.n && !msi; i++)
			if (r.log.ev[i].tp &&
			    !strcmp(r.log.ev[i].tp, "msi_send") &&
			    render_util_field(&r.log.ev[i], "cpu") >= 0)
				msi = &r.log.ev[i];
		for (size_t i = 0; i < r.log.n && msi; i++)
			if (r.log.ev[i].tp &&
			    !strcmp(r.log.ev[i].tp, "pci_dev_raise") &&
			    r.log.ev[i].step > msi->step &&
			    render_util_field(&r.log.ev[i], "msi") == 0)
				coalesced = true;
		if (r.res.verdict.kind != CHECK_LOST_INTERRUPT || !coalesced) {
			render_util_free(&r);
			continue;
		}
		found = true;
		/* the oracle names the first raise, not the coalesced one */
		assert_int_equal(r.res.verdict.origin_step, msi->step);
		g = read_dot(&r);
		for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
			if (!strcmp(attr(n, "irqsim_mark"), "lost"))
				lost = n;
			if (!strcmp(attr(n, "irqsim_mark"), "violation"))
				violation = n;
		}
		assert_non_null(lost);
		assert_non_null(violation);
		/* the raise that sent the message, not the later one */
		assert_int_equal(step_of(lost), msi->step);
		for (n = lost; n != violation; hops++) {
			Agedge_t *next = NULL;

			assert_true(hops < 100);
			for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
				if (!strcmp(attr(e, "irqsim_path"), "1"))
					next = e;
			assert_non_null(next);
			n = aghead(next);
		}
		agclose(g);
		render_util_free(&r);
	}
	assert_true(found);
}

#define MAX_NUM 256

/* The #N of the changelog's rows (between its header and its footer). */
static int changelog_nums(const struct rendered_run *r, bool *num)
{
	char *out = render_util_render(r, TRACE_CHANGELOG, NULL), *p;
	int blank = 0, n = 0;

	assert_non_null(out);
	memset(num, 0, MAX_NUM * sizeof(*num));
	for (p = out; p && *p;) {
		char *nl = strchr(p, '\n');
		long k;

		if (nl)
			*nl = 0;
		if (!*p)
			blank++;
		else if (blank == 1 && p[0] == '#') {
			k = strtol(p + 1, NULL, 10);
			assert_true(k > 0 && k < MAX_NUM);
			num[k] = true;
			n++;
		}
		p = nl ? nl + 1 : NULL;
	}
	free(out);
	return n;
}

/*
 * The #N a diagram draws (@num) and those a folded run may hold
 * (@covered): a step's box has its number; a fold's label starts with
 * its first and last ("#17-#19  3 steps"), and other actors' steps may
 * be numbered between them.
 */
static void diagram_nums(Agraph_t *g, bool *num, bool *covered)
{
	memset(num, 0, MAX_NUM * sizeof(*num));
	memset(covered, 0, MAX_NUM * sizeof(*covered));
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v)) {
		const char *label = attr(v, "label");
		long a, b;
		char *end;

		if (is_legend(v))
			continue;
		if (!strcmp(attr(v, "irqsim_kind"), "step")) {
			a = atol(attr(v, "irqsim_num"));
			assert_true(a >= 0 && a < MAX_NUM);
			assert_false(a && num[a]);	/* in one box only */
			num[a] = true;
			continue;
		}
		if (label[0] != '#')
			continue;
		a = b = strtol(label + 1, &end, 10);
		if (!strncmp(end, "-#", 2))
			b = strtol(end + 2, NULL, 10);
		assert_true(a > 0 && a <= b && b < MAX_NUM);
		num[a] = num[b] = true;
		for (long k = a; k <= b; k++)
			covered[k] = true;
	}
	num[0] = false;
}

/*
 * A run with a violation is drawn as its causal slice, the steps the
 * changelog form prints: the seed-000 loss as found and shrunk (the
 * README's runs); of the shrunk run's two free_irq()s the first (#3-#13),
 * whose SHUTDOWN CPU1 never read, is left out. With full_run every
 * numbered step is drawn, and the slice is a part of it.
 */
static void slice_draws_the_changelog_steps_test(void **state)
{
	static const char *const schedules[] = {
		NULL, "nic0 vcpu0*35 cpu1:irq cpu1*3 vcpu0*11",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(schedules); i++) {
		bool want[MAX_NUM], got[MAX_NUM], covered[MAX_NUM];
		struct rendered_run r;
		int n, last = 0, boxes = 0, full_boxes = 0;
		Agraph_t *g;

		assert_int_equal(render_util_run_full(&r,
				"traces/seed000-vfio-loss.trace", NULL,
				schedules[i] ? -1 : 0, 0, schedules[i]),
				0);
		assert_int_equal(r.res.verdict.kind, CHECK_LOST_INTERRUPT);
		n = changelog_nums(&r, want);
		assert_true(n >= 5);
		g = read_dot(&r);
		check_structure(g, &r);
		diagram_nums(g, got, covered);
		for (int k = 1; k < MAX_NUM; k++) {
			/* what it names is in the changelog... */
			if (got[k] && !want[k])
				fail_msg("#%d is drawn, not in the changelog", k);
			/* ...and what the changelog holds is drawn */
			if (want[k] && !got[k] && !covered[k])
				fail_msg("#%d is in the changelog, not drawn", k);
		}
		assert_non_null(strstr(attr(g, "label"), "causal slice"));
		assert_non_null(strstr(attr(g, "label"), "--full-run"));
		for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
			boxes += !is_legend(v);
		agclose(g);
		if (schedules[i]) {
			assert_false(want[3] || got[3] || covered[3]);
			assert_false(want[13] || got[13] || covered[13]);
		}

		r.run.full_run = true;
		g = read_dot(&r);
		check_structure(g, &r);
		diagram_nums(g, got, covered);
		for (int k = 1; k < MAX_NUM; k++)
			if (got[k])
				last = k;
		assert_true(last > n);
		for (int k = 1; k <= last; k++)
			assert_true(got[k] || covered[k]);
		assert_null(strstr(attr(g, "label"), "causal slice"));
		for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
			full_boxes += !is_legend(v);
		assert_true(boxes < full_boxes);
		agclose(g);
		render_util_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tglx_race_edges_and_highlights_test),
		cmocka_unit_test(long_run_folds_quiet_steps_test),
		cmocka_unit_test(coalesced_event_marks_the_sent_message_test),
		cmocka_unit_test(slice_draws_the_changelog_steps_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
