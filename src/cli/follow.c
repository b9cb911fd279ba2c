// SPDX-License-Identifier: MIT
/*
 * A run set against a log from outside irqsim (trace/import.c reads it):
 * follow_log() searches for a schedule whose run logs the log's events in
 * the log's order, and compare_log() runs a schedule and compares its
 * events with the log's one by one. Only the model's events of the
 * families the log has lines of count (trace_log_shows()); the model's
 * other steps are the ones it fills in.
 */
#include "cli/internal.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A state of the search: the world, how far into the log, the pairs. */
struct follow_node {
	struct vmm_world w;
	size_t k;
	struct trace_log_ids ids;
	uint8_t depth[IRQSIM_MAX_ACTORS];	/* the event log's frames */
	uint16_t cand[IRQSIM_MAX_ENABLED];
	int ncand, next;
	uint16_t via;				/* the transition to it */
	int nenabled;
	bool root;
};

struct follow {
	struct session *ss;
	const struct trace_log *log;
	struct irqsim_rt rt;
	struct irqsim_log elog;
	bool complete;
	struct vmm_world *scratch;
	/* visited: (state, position in the log, pairs) */
	struct irqsim_fp *set;
	size_t cap, used;
	struct follow_result *r;
};

/* Where the log and the model went apart, if it is the furthest yet. */
static void note_disagreement(struct follow *f, size_t k,
			      const struct irqsim_event *e, const char *why)
{
	struct follow_result *r = f->r;

	if (r->has_why && k <= r->why_k)
		return;
	r->has_why = true;
	r->why_k = k;
	r->why_line = k < f->log->n ? f->log->ev[k].line : 0;
	snprintf(r->why, sizeof(r->why), "%s", why);
	trace_log_describe(&f->ss->s.machine, e, r->model, sizeof(r->model));
}

/*
 * Fire @t from @from into @to with the event log on: the events it logs
 * that the log would show must be the log's next ones. Return -1 if one
 * is not (or comes after the log's end, @complete), else the log
 * position after it in *@k (and the pairs in *@ids).
 */
static int try_transition(struct follow *f, const struct follow_node *from,
			  uint16_t t, struct follow_node *to)
{
	const struct trace_log *log = f->log;
	struct irqsim_log *el = &f->elog;
	size_t k = from->k;
	char why[320];

	memcpy(&to->w, &from->w, sizeof(to->w));
	to->ids = from->ids;
	el->n = 0;
	memcpy(el->depth, from->depth, sizeof(el->depth));
	irqsim_fire(&scenario_model, &f->rt, &to->w, t);
	if (el->oom)
		return -ENOMEM;
	for (size_t i = 0; i < el->n; i++) {
		const struct irqsim_event *e = &el->ev[i];

		if (!trace_log_shows(log, e))
			continue;
		if (k == log->n) {
			if (!f->complete)
				continue;
			note_disagreement(f, k, e,
					  "the log ends here (--complete), the model goes on");
			return -1;
		}
		if (trace_log_match(&log->ev[k], e, &to->ids, why,
				    sizeof(why)) < 0) {
			note_disagreement(f, k, e, why);
			return -1;
		}
		k++;
	}
	to->k = k;
	memcpy(to->depth, el->depth, sizeof(to->depth));
	return 0;
}

/*
 * The order a node's transitions are tried in: one that logs the log's
 * next event; the one that led here (no preemption); an interrupt, a
 * delivery, a timer or an interrupt context's step; last, an actor's next
 * operation. So the steps the log has no event for run as late as the
 * log lets them, and interrupts as soon as it does.
 */
static int transition_class(const struct follow *f, uint16_t t, bool progress,
			    const struct follow_node *n)
{
	const struct vmm_machine *m = &f->ss->s.machine;
	int kind = t >> 8, role;

	if (progress)
		return 0;
	if (!n->root && t == n->via)
		return 1;
	if (kind != T_STEP)
		return 2;
	role = m->actor[t & 0xff].role;
	return role == ROLE_HARDIRQ || role == ROLE_GUEST_IRQ ||
	       role == ROLE_QEMU_MAIN ? 2 : 3;
}

static int expand(struct follow *f, struct follow_node *n,
		  struct follow_node *tmp)
{
	uint16_t en[IRQSIM_MAX_ENABLED];
	int cls[IRQSIM_MAX_ENABLED];
	int ne = scenario_model.enabled(&n->w, &f->rt, en);

	n->nenabled = ne;
	n->ncand = 0;
	n->next = 0;
	for (int i = 0; i < ne; i++) {
		int rc = try_transition(f, n, en[i], tmp);

		if (rc == -ENOMEM)
			return rc;
		if (rc)
			continue;
		cls[n->ncand] = transition_class(f, en[i], tmp->k > n->k, n);
		n->cand[n->ncand++] = en[i];
	}
	/* stable: the model's order within a class */
	for (int i = 1; i < n->ncand; i++)
		for (int j = i; j > 0 && cls[j] < cls[j - 1]; j--) {
			int c = cls[j];
			uint16_t t = n->cand[j];

			cls[j] = cls[j - 1];
			n->cand[j] = n->cand[j - 1];
			cls[j - 1] = c;
			n->cand[j - 1] = t;
		}
	return ne;
}

/* Visited? If not, it is now. -ENOMEM when the set cannot grow. */
static int visit(struct follow *f, const struct follow_node *n)
{
	struct irqsim_fp fp, ids;
	size_t mask, i;

	irqsim_fingerprint(&scenario_model, &n->w, f->scratch, &fp);
	irqsim_hash128(&n->ids, sizeof(n->ids.n) +
			       (size_t)n->ids.n * sizeof(n->ids.pair[0]),
		       &ids);
	fp.a ^= ids.a + n->k * 0x9e3779b97f4a7c15ULL;
	fp.b ^= ids.b;
	if (!fp.a && !fp.b)
		fp.a = 1;
	if (2 * (f->used + 1) > f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 4096;
		struct irqsim_fp *set = irqsim_calloc(cap, sizeof(*set));

		if (!set)
			return -ENOMEM;
		for (size_t j = 0; j < f->cap; j++) {
			if (!f->set[j].a && !f->set[j].b)
				continue;
			for (i = f->set[j].a & (cap - 1);
			     set[i].a || set[i].b; i = (i + 1) & (cap - 1))
				;
			set[i] = f->set[j];
		}
		free(f->set);
		f->set = set;
		f->cap = cap;
	}
	mask = f->cap - 1;
	for (i = fp.a & mask; f->set[i].a || f->set[i].b; i = (i + 1) & mask)
		if (f->set[i].a == fp.a && f->set[i].b == fp.b)
			return 1;
	f->set[i] = fp;
	f->used++;
	return 0;
}

static int path_schedule(const struct follow_node *stack, int sp,
			 struct irqsim_schedule *sc)
{
	sc->n = 0;
	for (int i = 1; i <= sp; i++)
		if (irqsim_schedule_push(sc, stack[i].via))
			return -ENOMEM;
	return 0;
}

/* The verdict of the run the schedule gives, as irqsim run judges it. */
static int schedule_verdict(struct session *ss,
			    const struct irqsim_schedule *sc)
{
	struct irqsim_run_result res;
	struct irqsim_chooser ch;

	replay_chooser(&ch, sc, true);
	session_run(ss, &ch, NULL, NULL, &res);
	return res.status == IRQSIM_RUN_VIOLATION ? res.verdict.kind : 0;
}

int follow_log(struct session *ss, const struct trace_log *log, bool complete,
	       bool prefer_violation, uint64_t max_states,
	       struct follow_result *r)
{
	struct follow f = { .ss = ss, .log = log, .complete = complete,
			    .r = r };
	uint32_t bound = ss->s.bound;
	struct follow_node *stack = NULL, *tmp = NULL;
	struct irqsim_schedule fallback;
	bool have_fallback = false;
	int sp = 0, ret = 0;

	memset(r, 0, sizeof(*r));
	irqsim_schedule_init(&r->sc);
	irqsim_schedule_init(&fallback);
	irqsim_log_init(&f.elog);
	scenario_rt(&ss->s, ss->knobs, &f.elog, &f.rt);
	scenario_ignore_rt(&ss->ignore, &f.rt);
	stack = irqsim_calloc((size_t)bound + 2, sizeof(*stack));
	tmp = irqsim_malloc(sizeof(*tmp));
	f.scratch = irqsim_malloc(sizeof(*f.scratch));
	if (!stack || !tmp || !f.scratch)
		goto oom;
	memcpy(&stack[0].w, ss->init, sizeof(stack[0].w));
	stack[0].root = true;
	if (visit(&f, &stack[0]) < 0)
		goto oom;
	if ((ret = expand(&f, &stack[0], tmp)) < 0)
		goto oom;
	for (;;) {
		struct follow_node *n = &stack[sp];
		/* complete: to the run's end, nothing after the log's */
		bool done = n->k == log->n && (!complete || !n->nenabled);
		int v;

		if (n->k > r->k || (sp && !r->sc.n && !r->k)) {
			r->k = n->k;
			if (path_schedule(stack, sp, &r->sc))
				goto oom;
		}
		if (done) {
			if (path_schedule(stack, sp, &r->sc))
				goto oom;
			if (!prefer_violation ||
			    (r->violation = schedule_verdict(ss, &r->sc))) {
				r->followed = true;
				break;
			}
			if (!have_fallback) {
				if (irqsim_schedule_copy(&fallback, &r->sc))
					goto oom;
				have_fallback = true;
			}
			n->next = n->ncand;
		}
		if (n->next == n->ncand || (uint32_t)sp >= bound) {
			if (!sp--)
				break;
			continue;
		}
		if (r->states >= max_states) {
			r->budget = true;
			break;
		}
		ret = try_transition(&f, n, n->cand[n->next++], &stack[sp + 1]);
		if (ret == -ENOMEM)
			goto oom;
		if (ret)
			continue;
		stack[sp + 1].via = n->cand[n->next - 1];
		stack[sp + 1].root = false;
		v = visit(&f, &stack[sp + 1]);
		if (v < 0)
			goto oom;
		if (v)
			continue;
		r->states++;
		sp++;
		ret = expand(&f, &stack[sp], tmp);
		if (ret < 0)
			goto oom;
	}
	if (!r->followed && have_fallback) {
		irqsim_schedule_free(&r->sc);
		r->sc = fallback;
		irqsim_schedule_init(&fallback);
		r->followed = true;
		r->k = log->n;
	} else if (r->followed) {
		r->k = log->n;
	}
	ret = 0;
	goto out;
oom:
	ret = -ENOMEM;
out:
	irqsim_schedule_free(&fallback);
	irqsim_log_free(&f.elog);
	free(f.set);
	free(f.scratch);
	free(tmp);
	free(stack);
	return ret;
}

void follow_result_free(struct follow_result *r)
{
	irqsim_schedule_free(&r->sc);
}

/*
 * Run @sc (then the lowest enabled transition, as irqsim run does) with
 * no verdict stopping it, and set the model's events against the log's.
 */
int compare_log(struct session *ss, const struct irqsim_schedule *sc,
		const struct trace_log *log, bool complete,
		struct compare_result *c)
{
	struct irqsim_rt rt;
	struct irqsim_log el;
	struct trace_log_ids ids = { 0 };
	uint16_t en[IRQSIM_MAX_ENABLED];
	size_t pos = 0;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	irqsim_log_init(&el);
	/* no oracle stops it: its verdict is judged apart (print_verdict()) */
	scenario_rt(&ss->s, ss->knobs, &el, &rt);
	memcpy(ss->w, ss->init, sizeof(*ss->w));
	for (;;) {
		int n = scenario_model.enabled(ss->w, &rt, en);
		struct compare_step *st;
		bool scheduled = pos < sc->n;
		uint16_t t;
		int i;

		if (!n || irqsim_sched(ss->w)->step >= ss->s.bound)
			break;
		if (pos < sc->n) {
			t = sc->t[pos++];
			for (i = 0; i < n && en[i] != t; i++)
				;
			if (i == n) {
				c->diverged = true;
				c->diverged_at = pos - 1;
				break;
			}
		} else {
			t = en[0];
		}
		if (c->nsteps == c->cap) {
			size_t cap = c->cap ? 2 * c->cap : 64;
			void *p = realloc(c->step, cap * sizeof(*c->step));

			if (!p) {
				ret = -ENOMEM;
				break;
			}
			c->step = p;
			c->cap = cap;
		}
		st = &c->step[c->nsteps++];
		memset(st, 0, sizeof(*st));
		st->t = t;
		st->scheduled = scheduled;
		st->first = c->k;
		el.n = 0;
		irqsim_fire(&scenario_model, &rt, ss->w, t);
		if (el.oom) {
			ret = -ENOMEM;
			break;
		}
		for (size_t e = 0; e < el.n; e++) {
			const struct irqsim_event *ev = &el.ev[e];
			char why[320];
			int rc;

			if (!trace_log_shows(log, ev))
				continue;
			if (c->k == log->n) {
				if (!c->after++)
					trace_log_describe(
						&ss->s.machine, ev,
						c->after_first,
						sizeof(c->after_first));
				continue;
			}
			if (c->disagree)
				continue;
			rc = trace_log_match(&log->ev[c->k], ev, &ids, why,
					     sizeof(why));
			if (rc < 0) {
				c->disagree = true;
				c->at = c->k;
				snprintf(c->why, sizeof(c->why), "%s", why);
				trace_log_describe(&ss->s.machine, ev, c->model,
						   sizeof(c->model));
				continue;
			}
			if (rc > 0 && !st->note[0])
				snprintf(st->note, sizeof(st->note), "%s", why);
			st->nlog++;
			c->k++;
		}
		if (c->disagree)
			break;
	}
	c->steps = irqsim_sched(ss->w)->step;
	c->agree = !ret && !c->diverged && !c->disagree && c->k == log->n &&
		   !(complete && c->after);
	irqsim_log_free(&el);
	return ret;
}

void compare_result_free(struct compare_result *c)
{
	free(c->step);
	c->step = NULL;
}
