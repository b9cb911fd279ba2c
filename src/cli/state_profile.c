// SPDX-License-Identifier: MIT
/*
 * explore --state-profile: the state-space profile of a dfs
 * (sched/profile.h) as tables a kernel developer reads, or one JSON
 * object. Counts only, no times: the same search prints the same
 * profile byte for byte.
 */
#include "cli/internal.h"
#include "sched/profile.h"

#include <inttypes.h>

/* Rows of the longer text tables; --json has every row. */
#define TOP_POINTS	25
#define TOP_PAIRS	15
#define TOP_BELOW	15

static double pct(uint64_t n, uint64_t total)
{
	return total ? 100.0 * (double)n / (double)total : 0;
}

static double mib(size_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

static void print_totals(FILE *f, const struct irqsim_sprof_report *r,
			 const struct irqsim_dfs_stats *st)
{
	fprintf(f, "state-space profile (dfs): %" PRIu64 " distinct states (%" PRIu64 " start, %" PRIu64 " first reached by a transition), %" PRIu64 " transitions fired",
		r->distinct, r->starts, r->distinct - r->starts,
		r->transitions);
	if (r->distinct != st->distinct || r->transitions != st->transitions)
		fprintf(f, " (the search counted %" PRIu64 " and %" PRIu64 ": a bug in the profile)",
			st->distinct, st->transitions);
	if (r->oom)
		fprintf(f, " (out of memory: some tables are partial)");
	if (!st->complete)
		fprintf(f, "; the search was cut, so this profiles the part it searched");
	fputc('\n', f);
}

static void print_sources(FILE *f, const struct irqsim_sprof_report *r)
{
	uint64_t first = r->distinct - r->starts;
	uint64_t rest = 0;
	size_t shown;

	fprintf(f, "\n1. distinct states by the transition that first reached them\n");
	fprintf(f, "  %-22s %10s %6s %11s %7s\n", "source (actor)", "states",
		"share", "fired", "new/fired");
	for (size_t i = 0; i < r->nsources; i++) {
		const struct irqsim_sprof_source *s = &r->source[i];

		fprintf(f, "  %-22s %10" PRIu64 " %5.1f%% %11" PRIu64 " %7.3f\n",
			s->name, s->states, pct(s->states, first), s->fired,
			s->fired ? (double)s->states / (double)s->fired : 0);
	}
	shown = r->npoints < TOP_POINTS ? r->npoints : TOP_POINTS;
	fprintf(f, "  by the program point its actor is at after it (%zu of %zu points):\n",
		shown, r->npoints);
	fprintf(f, "  %-22s %-48s %10s %6s\n", "source", "point", "states",
		"share");
	for (size_t i = 0; i < r->npoints; i++) {
		const struct irqsim_sprof_point *p = &r->point[i];

		if (i >= shown) {
			rest += p->states;
			continue;
		}
		fprintf(f, "  %-22s %-48s %10" PRIu64 " %5.1f%%\n",
			p->source->name, p->where, p->states,
			pct(p->states, first));
	}
	if (r->npoints > shown)
		fprintf(f, "  %zu more points: %" PRIu64 " states (%.1f%%)\n",
			r->npoints - shown, rest, pct(rest, first));
}

static void print_branching(FILE *f, const struct irqsim_sprof_report *r)
{
	uint64_t branching = 0, sum = 0;
	size_t shown;
	int top = 0;

	for (int n = 0; n <= IRQSIM_MAX_ENABLED; n++) {
		if (r->by_enabled[n])
			top = n;
		sum += (uint64_t)n * r->by_enabled[n];
		if (n > 1)
			branching += r->by_enabled[n];
	}
	fprintf(f, "\n2. branching: distinct states by the number of transitions enabled there\n");
	fprintf(f, "  %7s %10s %6s\n", "enabled", "states", "share");
	for (int n = 0; n <= top; n++)
		fprintf(f, "  %7d %10" PRIu64 " %5.1f%%%s\n", n,
			r->by_enabled[n], pct(r->by_enabled[n], r->distinct),
			n == 0 ? "  end states" :
			n == 1 ? "  no choice (a chain)" : "");
	fprintf(f, "  mean %.2f enabled per distinct state; %" PRIu64 " states (%.1f%%) offer a choice\n",
		r->distinct ? (double)sum / (double)r->distinct : 0, branching,
		pct(branching, r->distinct));
	fprintf(f, "  %-22s %10s %6s %10s %8s\n", "source", "enabled in",
		"share", "alongside", "of those");
	for (size_t i = 0; i < r->nsources; i++) {
		const struct irqsim_sprof_source *s = &r->source[i];

		fprintf(f, "  %-22s %10" PRIu64 " %5.1f%% %10" PRIu64 " %7.1f%%\n",
			s->name, s->enabled, pct(s->enabled, r->distinct),
			s->alongside, pct(s->alongside, branching));
	}
	fprintf(f, "  (alongside: enabled with at least one other; of those: share of the %" PRIu64 " states that offer a choice)\n",
		branching);
	shown = r->npairs < TOP_PAIRS ? r->npairs : TOP_PAIRS;
	fprintf(f, "  enabled together (%zu of %zu pairs):\n", shown, r->npairs);
	for (size_t i = 0; i < shown; i++)
		fprintf(f, "  %-22s %-22s %10" PRIu64 " %5.1f%%\n",
			r->pair[i].a->name, r->pair[i].b->name,
			r->pair[i].states, pct(r->pair[i].states, r->distinct));
}

static void print_memory(FILE *f, const struct irqsim_sprof_report *r,
			 const struct irqsim_dfs_stats *st)
{
	const struct irqsim_dfs_memory *m = &r->mem;

	fprintf(f, "\n3. bytes per state\n");
	fprintf(f, "  world: %zu bytes (the engine's %zu: actors, their frames, locks; the model's %zu)\n",
		r->world_bytes, r->engine_bytes,
		r->world_bytes - r->engine_bytes);
	fprintf(f, "  fingerprinted: %.0f bytes a state on average (live frames only); %zu bytes differ from the start state in some state\n",
		r->distinct ? (double)r->hashed_bytes / (double)r->distinct : 0,
		r->varying_bytes);
	fprintf(f, "  visited set: %zu bytes a slot (fingerprint and sleep set), %zu slots for %zu states (load %.2f): %.1f bytes a state stored\n",
		m->entry_bytes, m->slots, m->used,
		m->slots ? (double)m->used / (double)m->slots : 0,
		m->used ? (double)(m->slots * m->entry_bytes) / (double)m->used : 0);
	fprintf(f, "  dfs stack: %zu bytes a level (a world and its node), %zu levels allocated for a deepest new state at depth %zu: %.1f MiB\n",
		m->level_bytes, m->levels, r->max_depth,
		mib(m->level_bytes * m->levels));
	fprintf(f, "  search memory at the last new state: %.1f MiB; the search's peak: %.1f MiB\n",
		mib(m->total), mib(st->peak_bytes));
}

static void print_below(FILE *f, const struct irqsim_sprof_report *r)
{
	size_t shown = r->npoints < TOP_BELOW ? r->npoints : TOP_BELOW;

	fprintf(f, "\n4. program points by the distinct states found below them (%zu of %zu)\n",
		shown, r->npoints);
	fprintf(f, "  (the depth-first subtrees of the states first reached at the point, summed;\n"
		   "  subtrees nest, so rows overlap; which subtree a state falls in follows the search order)\n");
	fprintf(f, "  %-22s %-48s %10s %11s %9s\n", "source", "point", "states",
		"below", "per state");
	for (size_t i = 0; i < shown; i++) {
		const struct irqsim_sprof_point *p = r->point_below[i];

		fprintf(f, "  %-22s %-48s %10" PRIu64 " %11" PRIu64 " %9.1f\n",
			p->source->name, p->where, p->states, p->below,
			p->states ? (double)p->below / (double)p->states : 0);
	}
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void print_json_profile(FILE *f, const struct irqsim_sprof_report *r,
			       const struct irqsim_dfs_stats *st)
{
	const struct irqsim_dfs_memory *m = &r->mem;
	int top = 0;

	fprintf(f, "{\"state_profile\":{\"distinct\":%" PRIu64 ",\"starts\":%" PRIu64 ",\"transitions\":%" PRIu64 ",\"search_distinct\":%" PRIu64 ",\"search_transitions\":%" PRIu64 ",\"complete\":%s,\"oom\":%s",
		r->distinct, r->starts, r->transitions, st->distinct,
		st->transitions, st->complete ? "true" : "false",
		r->oom ? "true" : "false");
	fprintf(f, ",\"sources\":[");
	for (size_t i = 0; i < r->nsources; i++) {
		const struct irqsim_sprof_source *s = &r->source[i];

		fprintf(f, "%s{\"name\":", i ? "," : "");
		json_str(f, s->name);
		fprintf(f, ",\"states\":%" PRIu64 ",\"fired\":%" PRIu64 ",\"enabled\":%" PRIu64 ",\"alongside\":%" PRIu64 "}",
			s->states, s->fired, s->enabled, s->alongside);
	}
	fprintf(f, "],\"points\":[");
	for (size_t i = 0; i < r->npoints; i++) {
		const struct irqsim_sprof_point *p = &r->point[i];

		fprintf(f, "%s{\"source\":", i ? "," : "");
		json_str(f, p->source->name);
		fprintf(f, ",\"actor\":%d,\"point\":", p->actor);
		json_str(f, p->where);
		fprintf(f, ",\"states\":%" PRIu64 ",\"below\":%" PRIu64 "}",
			p->states, p->below);
	}
	for (int n = 0; n <= IRQSIM_MAX_ENABLED; n++)
		if (r->by_enabled[n])
			top = n;
	fprintf(f, "],\"by_enabled\":[");
	for (int n = 0; n <= top; n++)
		fprintf(f, "%s%" PRIu64, n ? "," : "", r->by_enabled[n]);
	fprintf(f, "],\"pairs\":[");
	for (size_t i = 0; i < r->npairs; i++) {
		fprintf(f, "%s{\"a\":", i ? "," : "");
		json_str(f, r->pair[i].a->name);
		fprintf(f, ",\"b\":");
		json_str(f, r->pair[i].b->name);
		fprintf(f, ",\"states\":%" PRIu64 "}", r->pair[i].states);
	}
	fprintf(f, "],\"memory\":{\"world_bytes\":%zu,\"engine_bytes\":%zu,\"hashed_bytes\":%" PRIu64 ",\"varying_bytes\":%zu,\"entry_bytes\":%zu,\"slots\":%zu,\"used\":%zu,\"level_bytes\":%zu,\"levels\":%zu,\"max_depth\":%zu,\"search_bytes\":%zu,\"peak_bytes\":%zu}}}\n",
		r->world_bytes, r->engine_bytes, r->hashed_bytes,
		r->varying_bytes, m->entry_bytes, m->slots, m->used,
		m->level_bytes, m->levels, r->max_depth, m->total,
		st->peak_bytes);
}

int print_state_profile(FILE *f, struct irqsim_sprof *prof,
			const struct irqsim_dfs_stats *st, bool json)
{
	const struct irqsim_sprof_report *r = irqsim_sprof_report(prof);

	if (!r) {
		fprintf(stderr, "irqsim: out of memory for the state-space profile\n");
		return -1;
	}
	if (json) {
		print_json_profile(f, r, st);
		return 0;
	}
	print_totals(f, r, st);
	print_sources(f, r);
	print_branching(f, r);
	print_memory(f, r, st);
	print_below(f, r);
	return 0;
}
