// SPDX-License-Identifier: MIT
/* "Did you mean" (cli/suggest.h). */
#include "cli/suggest.h"

#include <stdio.h>
#include <string.h>

/* Longer typos get no suggestion: no name of irqsim's is that long. */
#define SUGGEST_MAX 64

/*
 * The optimal string alignment distance of @a and @b (Damerau's edits:
 * insert, delete, replace, swap two neighbours; no substring edited
 * twice), or SUGGEST_MAX + 1 if either is longer than SUGGEST_MAX.
 */
static int edit_distance(const char *a, const char *b)
{
	int d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
	int la = (int)strlen(a), lb = (int)strlen(b);

	if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
		return SUGGEST_MAX + 1;
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++) {
		for (int j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *suggest(const char *typo, suggest_name_fn name, const void *ctx,
		    int n)
{
	int len = (int)strlen(typo);
	int limit = len <= 4 ? 1 : len <= 10 ? 2 : 3;
	const char *best = NULL;
	int best_d = limit + 1;

	if (limit >= len)
		limit = len - 1;
	for (int i = 0; i < n; i++) {
		const char *s = name(i, ctx);
		int dist;

		if (!s)
			continue;
		dist = edit_distance(typo, s);
		if (dist <= limit && dist < best_d) {
			best = s;
			best_d = dist;
		}
	}
	return best;
}

static const char *array_name(int i, const void *ctx)
{
	return ((const char *const *)ctx)[i];
}

const char *suggest_in(const char *typo, const char *const *names)
{
	int n = 0;

	while (names[n])
		n++;
	return suggest(typo, array_name, names, n);
}

char *suggest_unknown(char *buf, size_t len, const char *what,
		      const char *typo, const char *best, const char *see)
{
	int at = snprintf(buf, len, "unknown %s '%.*s'", what, SUGGEST_MAX,
			  typo);

	if (best && at >= 0 && (size_t)at < len)
		at += snprintf(buf + at, len - (size_t)at,
			       " (did you mean '%s'?)", best);
	if (see && at >= 0 && (size_t)at < len)
		snprintf(buf + at, len - (size_t)at, "; see 'irqsim %s'", see);
	return buf;
}
