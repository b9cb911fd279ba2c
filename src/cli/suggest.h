/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean": the name a typo is closest to, when it is close, for
 * the messages about an unknown command, option, knob, profile, verdict,
 * operation, directive, race window, list kind or trace.
 */
#ifndef IRQSIM_CLI_SUGGEST_H
#define IRQSIM_CLI_SUGGEST_H

#include <stddef.h>

/* The @i-th of the names a typo is compared with. */
typedef const char *(*suggest_name_fn)(int i, const void *ctx);

/**
 * suggest - the name among @n names that @typo is a typo of
 * @typo: what was given
 * @name: the @i-th name (NULL: none at @i)
 * @ctx:  passed to @name
 * @n:    how many
 *
 * The name at the smallest edit distance (a character inserted, deleted
 * or replaced, or two neighbours swapped: one each), the first of those
 * in order, if that distance is small for the typo's length: at most 1
 * up to 4 characters, 2 up to 10, else 3, and less than the typo's length.
 * Return: the name, or NULL when none is that close.
 */
const char *suggest(const char *typo, suggest_name_fn name, const void *ctx,
		    int n);

/* suggest() over a NULL-terminated array of names. */
const char *suggest_in(const char *typo, const char *const *names);

/**
 * suggest_unknown - "unknown WHAT 'TYPO' (did you mean 'BEST'?); see
 * 'irqsim SEE'" into @buf, without the part in parentheses when @best is
 * NULL, without the hint when @see is NULL
 * Return: @buf.
 */
char *suggest_unknown(char *buf, size_t len, const char *what,
		      const char *typo, const char *best, const char *see);

#endif
