// SPDX-License-Identifier: MIT
/* Reading a whole input file (cli/infile.h). */
#include "cli/infile.h"
#include "sched/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int infile_read(const char *path, size_t max, char **buf, size_t *len,
		char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t n = 0, cap = 0;
	int e;

	*buf = NULL;
	*len = 0;
	if (!f) {
		e = errno;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(e));
		return -e;
	}
	for (;;) {
		size_t got;

		/* room for one byte past @max, and the NUL */
		if (n + 1 >= cap) {
			size_t want = cap ? cap * 2 : 64 * 1024;
			char *nb;

			if (want > max + 2)
				want = max + 2;
			if (want <= cap)
				break;
			nb = irqsim_realloc(b, want);
			if (!nb) {
				free(b);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory", path);
				return -ENOMEM;
			}
			b = nb;
			cap = want;
		}
		errno = 0;
		got = fread(b + n, 1, cap - 1 - n, f);
		n += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		e = errno ? errno : EIO;
		free(b);
		fclose(f);
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(e));
		return -e;
	}
	fclose(f);
	if (!b) {
		b = irqsim_malloc(1);
		if (!b) {
			snprintf(err, errlen, "%s: out of memory", path);
			return -ENOMEM;
		}
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

int infile_parse_u64(const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
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
	if (n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}
