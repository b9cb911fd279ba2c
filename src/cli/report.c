// SPDX-License-Identifier: MIT
/* The shard report reader (cli/report.h). */
#include "cli/report.h"
#include "check/check.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Decimal digits only, no wrap. */
static int num(const char *v, uint64_t hi, uint64_t *out)
{
	uint64_t n = 0;

	if (!*v)
		return -1;
	for (; *v; v++) {
		unsigned int d = (unsigned int)(*v - '0');

		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	if (n > hi)
		return -1;
	*out = n;
	return 0;
}

/* A word: no spaces, fits in @len. */
static int word(const char *v, char *out, size_t len)
{
	size_t n = strlen(v);

	if (!n || n >= len || strpbrk(v, " \t\r"))
		return -1;
	memcpy(out, v, n + 1);
	return 0;
}

enum key {
	K_TRACE, K_SOURCE, K_STRATEGY, K_CONFIG, K_SHARD, K_BASE, K_RUNS,
	K_FOUND, K_INDEX, K_VERDICT, K_RUNS_DONE, K_STEPS, K_STATES,
	K_DISTINCT, K_TRANSITIONS, K_MAX_DEPTH, K_ENTRIES, K_ENTRIES_DONE,
	K_COMPLETE, K_FRONTIER_DEPTH, K_SECONDS, K_SAVED, K_NR
};

static const char *const keys[K_NR] = {
	"trace", "source", "strategy", "config", "shard", "base", "runs",
	"found", "index", "verdict", "runs-done", "steps", "states",
	"distinct", "transitions", "max-depth", "entries", "entries-done",
	"complete", "frontier-depth", "seconds", "saved",
};

static int value(struct report *r, enum key k, const char *v)
{
	uint64_t n, m;
	char *end;

	switch (k) {
	case K_TRACE:
		return word(v, r->trace, sizeof(r->trace));
	case K_SOURCE:
		return word(v, r->source, sizeof(r->source));
	case K_SAVED:
		return word(v, r->saved, sizeof(r->saved));
	case K_VERDICT:
		if (word(v, r->verdict, sizeof(r->verdict)) ||
		    check_kind_parse(v) < 0)
			return -1;
		return 0;
	case K_STRATEGY:
		if (strcmp(v, "random") && strcmp(v, "pct") &&
		    strcmp(v, "dfs") && strcmp(v, "dpor"))
			return -1;
		return word(v, r->strategy, sizeof(r->strategy));
	case K_CONFIG:
		if (strlen(v) != 16 || strspn(v, "0123456789abcdef") != 16)
			return -1;
		r->config = strtoull(v, NULL, 16);
		return 0;
	case K_SHARD: {
		char buf[48], *slash;

		if (strlen(v) >= sizeof(buf))
			return -1;
		strcpy(buf, v);
		slash = strchr(buf, '/');
		if (!slash)
			return -1;
		*slash = 0;
		if (num(buf, 99999, &n) || num(slash + 1, 100000, &m) || !m ||
		    n >= m)
			return -1;
		r->shard = (unsigned int)n;
		r->shards = (unsigned int)m;
		return 0;
	}
	case K_FOUND:
	case K_COMPLETE:
		if (num(v, 1, &n))
			return -1;
		*(k == K_FOUND ? &r->found : &r->complete) = (int)n;
		return 0;
	case K_MAX_DEPTH:
	case K_FRONTIER_DEPTH:
		if (num(v, UINT32_MAX, &n))
			return -1;
		*(k == K_MAX_DEPTH ? &r->max_depth : &r->frontier_depth) =
			(unsigned int)n;
		return 0;
	case K_SECONDS:
		if (!*v || *v == '-' || *v == '+' || *v == ' ')
			return -1;
		errno = 0;
		r->seconds = strtod(v, &end);
		if (errno || *end || !isfinite(r->seconds) || r->seconds < 0)
			return -1;
		return 0;
	default:
		break;
	}
	if (num(v, UINT64_MAX, &n))
		return -1;
	switch (k) {
	case K_BASE: r->base = n; break;
	case K_RUNS: r->runs = n; break;
	case K_INDEX: r->index = n; break;
	case K_RUNS_DONE: r->runs_done = n; break;
	case K_STEPS: r->steps = n; break;
	case K_STATES: r->states = n; break;
	case K_DISTINCT: r->distinct = n; break;
	case K_TRANSITIONS: r->transitions = n; break;
	case K_ENTRIES: r->entries = n; break;
	case K_ENTRIES_DONE: r->entries_done = n; break;
	default: return -1;
	}
	return 0;
}

/* The shard's share of @total items dealt round-robin. */
static uint64_t share(uint64_t total, const struct report *r)
{
	return total / r->shards + (r->shard < total % r->shards);
}

int report_parse(struct report *r, const char *path, const char *data,
		 size_t size, char *err, size_t errlen)
{
	int line_of[K_NR] = { 0 };
	const char *p = data, *end = data + size;
	int lineno = 0;
	bool sweep;

	memset(r, 0, sizeof(*r));
	r->found = -1;
	if (size > REPORT_MAX_FILE)
		return fail(err, errlen, "%s:1: not an irqsim report (larger than %d bytes)",
			    path, REPORT_MAX_FILE);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[1024], *v;
		int k;

		lineno++;
		if (n >= sizeof(line) || memchr(p, 0, n))
			return fail(err, errlen, "%s:%d: bad report line", path,
				    lineno);
		memcpy(line, p, n);
		line[n] = 0;
		p += n + (nl != NULL);
		if (lineno == 1) {
			char want[32];

			snprintf(want, sizeof(want), "irqsim-report %d",
				 REPORT_VERSION);
			if (strcmp(line, want))
				return fail(err, errlen, "%s:1: not an irqsim report of version %d",
					    path, REPORT_VERSION);
			continue;
		}
		if (!line[0])
			continue;
		v = strchr(line, ' ');
		if (v)
			*v++ = 0;
		for (k = 0; k < K_NR && strcmp(line, keys[k]); k++)
			;
		if (k == K_NR)
			return fail(err, errlen, "%s:%d: unknown report line '%.60s'",
				    path, lineno, line);
		if (line_of[k])
			return fail(err, errlen, "%s:%d: %s given twice (first on line %d)",
				    path, lineno, keys[k], line_of[k]);
		if (!v || value(r, (enum key)k, v))
			return fail(err, errlen, "%s:%d: bad %s '%.60s'", path,
				    lineno, keys[k], v ? v : "");
		line_of[k] = lineno;
	}
	if (!lineno)
		return fail(err, errlen, "%s:1: not an irqsim report of version %d",
			    path, REPORT_VERSION);
	for (int k = 0; k < K_NR; k++)
		if (!line_of[k] && k != K_SAVED)
			return fail(err, errlen, "%s:%d: incomplete report: no %s line",
				    path, lineno, keys[k]);
	/* what the lines say must agree */
	if (r->found != (strcmp(r->verdict, "none") != 0))
		return fail(err, errlen, "%s:%d: verdict %s contradicts found %d (line %d)",
			    path, line_of[K_VERDICT], r->verdict, r->found,
			    line_of[K_FOUND]);
	sweep = !strcmp(r->strategy, "random") || !strcmp(r->strategy, "pct");
	if (sweep) {
		uint64_t mine = share(r->runs, r);

		if (r->runs_done > mine)
			return fail(err, errlen, "%s:%d: runs-done %llu is more than the %llu runs of shard %u/%u",
				    path, line_of[K_RUNS_DONE],
				    (unsigned long long)r->runs_done,
				    (unsigned long long)mine, r->shard, r->shards);
		if (r->found && (r->index >= r->runs ||
				 r->index % r->shards != r->shard))
			return fail(err, errlen, "%s:%d: index %llu is not a run of shard %u/%u of %llu runs",
				    path, line_of[K_INDEX],
				    (unsigned long long)r->index, r->shard,
				    r->shards, (unsigned long long)r->runs);
		if (r->base > UINT64_MAX - r->runs)
			return fail(err, errlen, "%s:%d: base %llu + runs %llu passes 2^64",
				    path, line_of[K_RUNS],
				    (unsigned long long)r->base,
				    (unsigned long long)r->runs);
	} else {
		uint64_t mine = share(r->entries, r);

		if (r->entries_done > mine)
			return fail(err, errlen, "%s:%d: entries-done %llu is more than the %llu entries of shard %u/%u",
				    path, line_of[K_ENTRIES_DONE],
				    (unsigned long long)r->entries_done,
				    (unsigned long long)mine, r->shard, r->shards);
		if (r->found && r->entries &&
		    (r->index >= r->entries || r->index % r->shards != r->shard))
			return fail(err, errlen, "%s:%d: index %llu is not a frontier entry of shard %u/%u of %llu entries",
				    path, line_of[K_INDEX],
				    (unsigned long long)r->index, r->shard,
				    r->shards, (unsigned long long)r->entries);
		if (r->distinct > r->states)
			return fail(err, errlen, "%s:%d: distinct %llu is more than the %llu states",
				    path, line_of[K_DISTINCT],
				    (unsigned long long)r->distinct,
				    (unsigned long long)r->states);
		if (r->complete && r->found)
			return fail(err, errlen, "%s:%d: complete 1 contradicts found 1 (line %d)",
				    path, line_of[K_COMPLETE], line_of[K_FOUND]);
	}
	return 0;
}

int report_load(struct report *r, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!f)
		return fail(err, errlen, "irqsim: cannot open %s: %s", path,
			    strerror(errno));
	buf = malloc(REPORT_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		return fail(err, errlen, "irqsim: out of memory");
	}
	n = fread(buf, 1, REPORT_MAX_FILE + 1, f);
	if (ferror(f)) {
		ret = fail(err, errlen, "irqsim: cannot read %s: %s", path,
			   strerror(errno));
	} else {
		ret = report_parse(r, path, buf, n, err, errlen);
	}
	free(buf);
	fclose(f);
	return ret;
}
