// SPDX-License-Identifier: MIT
/*
 * A strict reader of one JSON document: json_keys FILE exits 0 when the
 * file holds exactly one JSON value (and whitespace) in which no object
 * repeats a key, and 1 with "FILE:OFFSET: what" otherwise. Readers differ
 * on a repeated key (most take the last value), so irqsim must not write
 * one (tests/cli/json-keys.cmake).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS	256
#define MAX_KEY		128
#define MAX_DEPTH	64

struct reader {
	const char *s;
	size_t n, i;
	const char *file;
};

static int fail(struct reader *r, const char *what)
{
	fprintf(stderr, "%s:%zu: %s\n", r->file, r->i, what);
	return -1;
}

static void skip_ws(struct reader *r)
{
	while (r->i < r->n && strchr(" \t\r\n", r->s[r->i]))
		r->i++;
}

/* A string; its raw bytes (escapes as written) into @out if given. */
static int string(struct reader *r, char *out, size_t outlen)
{
	size_t len = 0;

	if (r->i >= r->n || r->s[r->i] != '"')
		return fail(r, "expected a string");
	r->i++;
	while (r->i < r->n && r->s[r->i] != '"') {
		char c = r->s[r->i];

		if ((unsigned char)c < 0x20)
			return fail(r, "control character in a string");
		if (c == '\\') {
			if (++r->i >= r->n || !strchr("\"\\/bfnrtu", r->s[r->i]))
				return fail(r, "bad escape");
			if (out && len + 1 < outlen)
				out[len++] = '\\';
			c = r->s[r->i];
		}
		if (out && len + 1 < outlen)
			out[len++] = c;
		r->i++;
	}
	if (r->i >= r->n)
		return fail(r, "unterminated string");
	r->i++;
	if (out)
		out[len] = 0;
	return 0;
}

static int value(struct reader *r, int depth);

static int object(struct reader *r, int depth)
{
	static char keys[MAX_DEPTH][MAX_KEYS][MAX_KEY];
	int nkeys = 0;

	r->i++;
	skip_ws(r);
	if (r->i < r->n && r->s[r->i] == '}') {
		r->i++;
		return 0;
	}
	for (;;) {
		char *key;

		skip_ws(r);
		if (nkeys >= MAX_KEYS)
			return fail(r, "too many keys");
		key = keys[depth][nkeys];
		if (string(r, key, MAX_KEY))
			return -1;
		for (int k = 0; k < nkeys; k++)
			if (!strcmp(keys[depth][k], key)) {
				fprintf(stderr, "%s:%zu: key \"%s\" repeated in one object\n",
					r->file, r->i, key);
				return -1;
			}
		nkeys++;
		skip_ws(r);
		if (r->i >= r->n || r->s[r->i] != ':')
			return fail(r, "expected ':'");
		r->i++;
		if (value(r, depth + 1))
			return -1;
		skip_ws(r);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == '}') {
			r->i++;
			return 0;
		}
		return fail(r, "expected ',' or '}'");
	}
}

static int array(struct reader *r, int depth)
{
	r->i++;
	skip_ws(r);
	if (r->i < r->n && r->s[r->i] == ']') {
		r->i++;
		return 0;
	}
	for (;;) {
		if (value(r, depth + 1))
			return -1;
		skip_ws(r);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == ']') {
			r->i++;
			return 0;
		}
		return fail(r, "expected ',' or ']'");
	}
}

static int number(struct reader *r)
{
	size_t start = r->i;

	if (r->i < r->n && r->s[r->i] == '-')
		r->i++;
	if (r->i >= r->n || !strchr("0123456789", r->s[r->i]))
		return fail(r, "expected a value");
	if (r->s[r->i] == '0')
		r->i++;
	else
		while (r->i < r->n && strchr("0123456789", r->s[r->i]))
			r->i++;
	if (r->i < r->n && r->s[r->i] == '.') {
		r->i++;
		if (r->i >= r->n || !strchr("0123456789", r->s[r->i]))
			return fail(r, "digit expected after '.'");
		while (r->i < r->n && strchr("0123456789", r->s[r->i]))
			r->i++;
	}
	if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
		r->i++;
		if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		if (r->i >= r->n || !strchr("0123456789", r->s[r->i]))
			return fail(r, "digit expected in the exponent");
		while (r->i < r->n && strchr("0123456789", r->s[r->i]))
			r->i++;
	}
	return r->i > start ? 0 : fail(r, "expected a value");
}

static int literal(struct reader *r, const char *word)
{
	size_t len = strlen(word);

	if (r->n - r->i < len || memcmp(r->s + r->i, word, len))
		return fail(r, "expected a value");
	r->i += len;
	return 0;
}

static int value(struct reader *r, int depth)
{
	if (depth >= MAX_DEPTH)
		return fail(r, "nested too deep");
	skip_ws(r);
	if (r->i >= r->n)
		return fail(r, "expected a value");
	switch (r->s[r->i]) {
	case '{':
		return object(r, depth);
	case '[':
		return array(r, depth);
	case '"':
		return string(r, NULL, 0);
	case 't':
		return literal(r, "true");
	case 'f':
		return literal(r, "false");
	case 'n':
		return literal(r, "null");
	default:
		return number(r);
	}
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	struct reader r = { .s = buf };
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: json_keys FILE\n");
		return 2;
	}
	r.file = argv[1];
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	r.n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (value(&r, 0))
		return 1;
	skip_ws(&r);
	if (r.i != r.n)
		return fail(&r, "more after the value") ? 1 : 1;
	return 0;
}
