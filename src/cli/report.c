// SPDX-License-Identifier: MIT
/* The shard report reader (cli/report.h). */
#include "cli/report.h"
#include "cli/infile.h"
#include "check/check.h"
#include "sched/alloc.h"
#include "sched/names.h"
#include "sched/sched.h"

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

/* Decimal digits only, at most @hi, no wrap. */
static int num(const char *v, uint64_t hi, uint64_t *out)
{
	return infile_parse_u64(v, 0, hi, out);
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
	K_COMPLETE, K_FRONTIER_DEPTH, K_SECONDS, K_SAVED,
	K_OPTIONS, K_DEPTH, K_SCHEDULE,		/* version 3 */
	K_WINDOWS_REACHED, K_WINDOWS_POSSIBLE,	/* version 4 */
	K_MADE_BY,				/* optional */
	K_NR
};

static const char *const keys[K_NR] = {
	"trace", "source", "strategy", "config", "shard", "base", "runs",
	"found", "index", "verdict", "runs-done", "steps", "states",
	"distinct", "transitions", "max-depth", "entries", "entries-done",
	"complete", "frontier-depth", "seconds", "saved",
	"options", "depth", "schedule",
	"windows-reached", "windows-possible",
	"made-by",
};

static const char *key_name(int k)
{
	return keys[k];
}

/* keys[] by name: one lookup a report line */
static struct irqsim_names key_names;

/* The first key of versions 3 and 4, the longest line of any other key. */
#define K_V3 K_OPTIONS
#define K_V4 K_WINDOWS_REACHED
#define LINE_MAX_SHORT 1024

/* Printable ASCII and spaces, none of @bad. */
static bool printable(const char *v, const char *bad)
{
	for (; *v; v++)
		if (*v < ' ' || *v > '~' || strchr(bad, *v))
			return false;
	return true;
}

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
	case K_OPTIONS:
		/*
		 * what run_options_string() writes (" --set a=b ...", kept
		 * with its space), pasted after the reproducer's command
		 */
		if (strlen(v) + 1 >= sizeof(r->options) ||
		    !printable(v, "'\"`$;&|<>()\\"))
			return -1;
		snprintf(r->options, sizeof(r->options), "%s%s", *v ? " " : "",
			 v);
		r->has_options = true;
		return 0;
	case K_DEPTH:
		if (num(v, IRQSIM_PCT_MAX_DEPTH, &n) || !n)
			return -1;
		r->depth = (int)n;
		return 0;
	case K_WINDOWS_REACHED:
	case K_WINDOWS_POSSIBLE: {
		/* race window names, comma-separated; "-" for none */
		uint32_t *mask = k == K_WINDOWS_REACHED ? &r->windows :
							  &r->windows_possible;
		char buf[LINE_MAX_SHORT], *save = NULL;

		*mask = 0;
		if (!strcmp(v, "-"))
			return 0;
		snprintf(buf, sizeof(buf), "%s", v);
		for (char *w = strtok_r(buf, ",", &save); w;
		     w = strtok_r(NULL, ",", &save)) {
			int i = check_window_parse(w);

			if (i < 0)
				return -1;
			*mask |= 1u << i;
		}
		return *mask ? 0 : -1;
	}
	case K_MADE_BY:
		/* "irqsim X.Y.Z (git D)": for merge's note */
		if (strlen(v) >= sizeof(r->made_by) || !printable(v, ""))
			return -1;
		strcpy(r->made_by, v);
		return 0;
	case K_SCHEDULE:
		/* the words of run --schedule '...', quoted as they are */
		if (*v == ' ' || !printable(v, "'\\"))
			return -1;
		r->schedule = irqsim_strdup(v);
		return r->schedule ? 0 : -2;
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

static int parse(struct report *r, const char *path, const char *data,
		 size_t size, char *err, size_t errlen)
{
	int line_of[K_NR] = { 0 };
	const char *p = data, *end = data + size;
	int lineno = 0, rc;
	char *line = NULL;
	bool sweep;

	if (size > REPORT_MAX_FILE)
		return fail(err, errlen, "%s:1: not an irqsim report (larger than %d bytes)",
			    path, REPORT_MAX_FILE);
	/* one buffer for any line: the longest is at most the file */
	line = irqsim_malloc(size + 1);
	if (!line)
		return fail(err, errlen, "irqsim: out of memory");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *v;
		int k;

		lineno++;
		if (memchr(p, 0, n)) {
			rc = fail(err, errlen, "%s:%d: bad report line", path,
				  lineno);
			goto out;
		}
		memcpy(line, p, n);
		line[n] = 0;
		p += n + (nl != NULL);
		if (lineno == 1) {
			uint64_t version;

			if (strncmp(line, "irqsim-report ", 14) ||
			    num(line + 14, REPORT_VERSION, &version) ||
			    version < REPORT_OLDEST) {
				rc = fail(err, errlen, "%s:1: not an irqsim report of version %d to %d",
					  path, REPORT_OLDEST, REPORT_VERSION);
				goto out;
			}
			r->version = (int)version;
			continue;
		}
		if (!line[0])
			continue;
		v = strchr(line, ' ');
		if (v)
			*v++ = 0;
		k = irqsim_names_lookup(&key_names, line, K_NR, key_name);
		if (k < 0)
			k = K_NR;
		/* a version 2 report has no version 3 lines, and so on */
		if (k == K_NR || (k >= K_V3 && r->version < 3 &&
				  k != K_MADE_BY) ||
		    (k >= K_V4 && r->version < 4 && k != K_MADE_BY)) {
			rc = fail(err, errlen, "%s:%d: unknown report line '%.60s'",
				  path, lineno, line);
			goto out;
		}
		if (k != K_SCHEDULE &&
		    n >= (k == K_OPTIONS ? sizeof(r->options) + 8 :
					   LINE_MAX_SHORT)) {
			rc = fail(err, errlen, "%s:%d: bad report line", path,
				  lineno);
			goto out;
		}
		if (line_of[k]) {
			rc = fail(err, errlen, "%s:%d: %s given twice (first on line %d)",
				  path, lineno, keys[k], line_of[k]);
			goto out;
		}
		/* an empty option list and an empty schedule are "KEY" */
		if (!v && (k == K_OPTIONS || k == K_SCHEDULE))
			v = line + n;
		rc = v ? value(r, (enum key)k, v) : -1;
		if (rc == -2) {
			rc = fail(err, errlen, "irqsim: out of memory");
			goto out;
		}
		if (rc) {
			rc = fail(err, errlen, "%s:%d: bad %s '%.60s'", path,
				  lineno, keys[k], v ? v : "");
			goto out;
		}
		line_of[k] = lineno;
	}
	rc = -1;
	if (!lineno) {
		fail(err, errlen, "%s:1: not an irqsim report of version %d to %d",
		     path, REPORT_OLDEST, REPORT_VERSION);
		goto out;
	}
	for (int k = 0; k < K_NR; k++)
		if (!line_of[k] && k != K_SAVED && k != K_SCHEDULE &&
		    k != K_MADE_BY &&
		    (k < K_V3 || r->version >= 3) &&
		    (k < K_V4 || r->version >= 4)) {
			fail(err, errlen, "%s:%d: incomplete report: no %s line",
			     path, lineno, keys[k]);
			goto out;
		}
	/* what the lines say must agree */
	if (r->found != (strcmp(r->verdict, "none") != 0)) {
		fail(err, errlen, "%s:%d: verdict %s contradicts found %d (line %d)",
		     path, line_of[K_VERDICT], r->verdict, r->found,
		     line_of[K_FOUND]);
		goto out;
	}
	if (r->windows & ~r->windows_possible) {
		fail(err, errlen, "%s:%d: a window reached that line %d says the trace cannot open",
		     path, line_of[K_WINDOWS_REACHED],
		     line_of[K_WINDOWS_POSSIBLE]);
		goto out;
	}
	if (line_of[K_SCHEDULE] && !r->found) {
		fail(err, errlen, "%s:%d: a schedule contradicts found 0 (line %d)",
		     path, line_of[K_SCHEDULE], line_of[K_FOUND]);
		goto out;
	}
	sweep = !strcmp(r->strategy, "random") || !strcmp(r->strategy, "pct");
	if (sweep) {
		uint64_t mine = share(r->runs, r);

		if (r->runs_done > mine) {
			fail(err, errlen, "%s:%d: runs-done %llu is more than the %llu runs of shard %u/%u",
			     path, line_of[K_RUNS_DONE],
			     (unsigned long long)r->runs_done,
			     (unsigned long long)mine, r->shard, r->shards);
			goto out;
		}
		if (r->found && (r->index >= r->runs ||
				 r->index % r->shards != r->shard)) {
			fail(err, errlen, "%s:%d: index %llu is not a run of shard %u/%u of %llu runs",
			     path, line_of[K_INDEX],
			     (unsigned long long)r->index, r->shard,
			     r->shards, (unsigned long long)r->runs);
			goto out;
		}
		if (r->base > UINT64_MAX - r->runs) {
			fail(err, errlen, "%s:%d: base %llu + runs %llu passes 2^64",
			     path, line_of[K_RUNS],
			     (unsigned long long)r->base,
			     (unsigned long long)r->runs);
			goto out;
		}
	} else {
		uint64_t mine = share(r->entries, r);

		if (r->entries_done > mine) {
			fail(err, errlen, "%s:%d: entries-done %llu is more than the %llu entries of shard %u/%u",
			     path, line_of[K_ENTRIES_DONE],
			     (unsigned long long)r->entries_done,
			     (unsigned long long)mine, r->shard, r->shards);
			goto out;
		}
		if (r->found && r->entries &&
		    (r->index >= r->entries || r->index % r->shards != r->shard)) {
			fail(err, errlen, "%s:%d: index %llu is not a frontier entry of shard %u/%u of %llu entries",
			     path, line_of[K_INDEX],
			     (unsigned long long)r->index, r->shard,
			     r->shards, (unsigned long long)r->entries);
			goto out;
		}
		if (r->distinct > r->states) {
			fail(err, errlen, "%s:%d: distinct %llu is more than the %llu states",
			     path, line_of[K_DISTINCT],
			     (unsigned long long)r->distinct,
			     (unsigned long long)r->states);
			goto out;
		}
		if (r->complete && r->found) {
			fail(err, errlen, "%s:%d: complete 1 contradicts found 1 (line %d)",
			     path, line_of[K_COMPLETE], line_of[K_FOUND]);
			goto out;
		}
	}
	rc = 0;
out:
	free(line);
	return rc;
}

int report_parse(struct report *r, const char *path, const char *data,
		 size_t size, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->found = -1;
	if (parse(r, path, data, size, err, errlen)) {
		report_free(r);
		return -1;
	}
	return 0;
}

void report_free(struct report *r)
{
	free(r->schedule);
	r->schedule = NULL;
}

int report_load(struct report *r, const char *path, char *err, size_t errlen)
{
	char *buf;
	size_t n;
	int ret;

	memset(r, 0, sizeof(*r));
	/* up to one byte past the limit, so report_parse() sees it passed */
	if (infile_read(path, REPORT_MAX_FILE, &buf, &n, err, errlen))
		return -1;
	ret = report_parse(r, path, buf, n, err, errlen);
	free(buf);
	return ret;
}
