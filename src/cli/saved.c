// SPDX-License-Identifier: MIT
/* Saved runs: write them, read them back (strictly: a version, limits). */
#include "cli/saved.h"
#include "cli/infile.h"
#include "cli/version.h"
#include "sched/alloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *err, size_t errlen, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int bad(char *err, size_t errlen, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s:%d: ", file, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A name on one header line: a newline in it would end the line. */
static void put_word(FILE *f, const char *key, const char *s)
{
	fprintf(f, "%s ", key);
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? '?' : *s, f);
	fputc('\n', f);
}

int saved_write(FILE *f, const struct scenario *s, const int *knobs,
		uint64_t seed, bool seeded, const struct irqsim_schedule *sc,
		const struct scenario_ignore *ignore,
		const struct irqsim_verdict *v)
{
	char list[SAVED_MAX_LINE - 8];
	bool only = ignore && ignore->only.type != CHECK_OBJ_NONE;

	/* the oldest version that has every line written (saved.h) */
	fprintf(f, "irqsim-run %d\n", only ? SAVED_FORMAT_VERSION : 2);
	put_word(f, "made-by", irqsim_version());
	put_word(f, "trace", s->name);
	put_word(f, "source", s->file);
	if (seeded)
		fprintf(f, "seed %" PRIu64 "\n", seed);
	/* every knob: the file does not depend on this irqsim's defaults */
	for (int k = 0; k < irqsim_knob_count(); k++) {
		char buf[16];

		fprintf(f, "set %s=%s\n", irqsim_knob_get(k)->name,
			irqsim_knob_value_name(k, knobs[k], buf, sizeof(buf)));
	}
	list[0] = 0;
	if (ignore)
		scenario_ignore_format(s, ignore, ",", list, sizeof(list));
	if (list[0])
		fprintf(f, "ignore %s\n", list);
	if (only) {
		scenario_object_name(s, &ignore->only, list, sizeof(list));
		put_word(f, "only", list);
	}
	fprintf(f, "verdict %s %u\n", check_kind_name(v->kind), v->step);
	schedule_format(s, sc, f);
	fprintf(f, "trace-text\n%s", s->text ? s->text : "");
	return ferror(f) ? -EIO : 0;
}

/* "irqsim-run N": N must be a version this irqsim reads. */
static int parse_version(struct saved_run *sr, const char *file,
			 const char *line, char *err, size_t errlen)
{
	const char *v = line + strlen("irqsim-run ");
	size_t digits = strspn(v, "0123456789");

	if (strncmp(line, "irqsim-run ", strlen("irqsim-run ")))
		return bad(err, errlen, file, 1,
			   "not an irqsim saved run (the first line must be 'irqsim-run %d')",
			   SAVED_FORMAT_VERSION);
	if (!digits || digits > 6 || v[digits])
		return bad(err, errlen, file, 1,
			   "bad format version '%.40s' (expected 'irqsim-run %d')",
			   v, SAVED_FORMAT_VERSION);
	sr->version = atoi(v);
	if (sr->version < SAVED_FORMAT_OLDEST ||
	    sr->version > SAVED_FORMAT_VERSION)
		return bad(err, errlen, file, 1,
			   "saved-run format version %d is not supported (this irqsim reads versions %d to %d)",
			   sr->version, SAVED_FORMAT_OLDEST,
			   SAVED_FORMAT_VERSION);
	return 0;
}

/*
 * "ignore KIND[:OBJECT][,...]" (version 2): what the run did not report.
 * Kept as text until the trace is read: an OBJECT names its devices.
 */
static int parse_ignore(const struct saved_run *sr, const char *file,
			int lineno, const char *line, char *err,
			size_t errlen, char *list, size_t len, int *at)
{
	const char *v = line + strlen("ignore");
	char kinds[SAVED_MAX_LINE + 1], *save = NULL;

	if (sr->version < 2)
		return bad(err, errlen, file, lineno,
			   "an ignore line needs format version 2 (the file says %d)",
			   sr->version);
	v += strspn(v, " \t");
	if (!*v)
		return bad(err, errlen, file, lineno,
			   "bad ignore line (expected 'ignore KIND[,KIND]')");
	/* the kinds now; the objects once the trace is read */
	snprintf(kinds, sizeof(kinds), "%s", v);
	for (char *k = strtok_r(kinds, ",", &save); k;
	     k = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(k, ':');

		if (colon)
			*colon = 0;
		if (check_kind_parse(k) <= 0)
			return bad(err, errlen, file, lineno,
				   "unknown verdict '%.40s' in the ignore line",
				   k);
	}
	/* a second line adds to the first */
	if (strlen(list) + strlen(v) + 2 > len)
		return bad(err, errlen, file, lineno, "ignore lines too long");
	if (list[0])
		strcat(list, ",");
	strcat(list, v);
	*at = lineno;
	return 0;
}

/*
 * "only OBJECT" (version 3): the one object the run judged. Kept as text
 * until the trace is read, as the ignore line is.
 */
static int parse_only(const struct saved_run *sr, const char *file,
		      int lineno, const char *line, char *err, size_t errlen,
		      char *only, size_t len, int *at)
{
	const char *v = line + strlen("only");

	if (sr->version < 3)
		return bad(err, errlen, file, lineno,
			   "an only line needs format version 3 (the file says %d)",
			   sr->version);
	if (*at)
		return bad(err, errlen, file, lineno,
			   "a second only line (the first is line %d)", *at);
	v += strspn(v, " \t");
	if (!*v || strlen(v) >= len)
		return bad(err, errlen, file, lineno,
			   "bad only line (expected 'only OBJECT')");
	snprintf(only, len, "%s", v);
	*at = lineno;
	return 0;
}

/* "made-by irqsim X.Y.Z (git D)": for the note replay prints, no more. */
static int parse_made_by(struct saved_run *sr, const char *line)
{
	const char *v = line + strlen("made-by");

	v += strspn(v, " \t");
	snprintf(sr->made_by, sizeof(sr->made_by), "%s", v);
	/* it goes to a terminal: no control characters */
	for (char *c = sr->made_by; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			*c = '?';
	return 0;
}

static int parse_settings(struct saved_run *sr, const char *file, int lineno,
			  char *line, char *err, size_t errlen)
{
	char msg[SCENARIO_ERR], *save = NULL;

	for (char *t = strtok_r(line + 4, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save))
		if (config_add_setting(&sr->config, t, msg, sizeof(msg)))
			return bad(err, errlen, file, lineno, "%s", msg);
	return 0;
}

static int parse_verdict(struct saved_run *sr, const char *file, int lineno,
			 char *line, char *err, size_t errlen)
{
	char *save = NULL, *kind, *step, *end;
	unsigned long n;

	kind = strtok_r(line + 8, " \t", &save);
	step = strtok_r(NULL, " \t", &save);
	if (!kind || !step || strtok_r(NULL, " \t", &save) ||
	    (sr->verdict_kind = check_kind_parse(kind)) < 0)
		return bad(err, errlen, file, lineno,
			   "bad verdict line (expected 'verdict KIND STEP')");
	errno = 0;
	n = strtoul(step, &end, 10);
	if (errno || *end || step[0] == '-' || n > SCENARIO_MAX_STEPS)
		return bad(err, errlen, file, lineno,
			   "verdict step '%.20s' must be 0..%d", step,
			   SCENARIO_MAX_STEPS);
	sr->verdict_step = (uint32_t)n;
	return 0;
}

/* Next line of [*cur, end) into @line; its length, or -1 if too long. */
static long next_line(const char **cur, const char *end, char *line)
{
	const char *nl = memchr(*cur, '\n', (size_t)(end - *cur));
	size_t n = nl ? (size_t)(nl - *cur) : (size_t)(end - *cur);

	if (n > SAVED_MAX_LINE)
		return -1;
	memcpy(line, *cur, n);
	line[n] = 0;
	if (n && line[n - 1] == '\r')
		line[--n] = 0;
	*cur = nl ? nl + 1 : end;
	return (long)n;
}

static bool is_key(const char *line, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(line, key, n) &&
	       (line[n] == 0 || line[n] == ' ' || line[n] == '\t');
}

/* The schedule lines, once the trace (and so every actor) is known. */
static int parse_schedules(struct saved_run *sr, const char *file,
			   const char *text, const char *body, char *err,
			   size_t errlen)
{
	char line[SAVED_MAX_LINE + 1];
	const char *cur = text;
	int lineno = 0;

	while (cur < body) {
		char *save = NULL, bad_tok[64];

		lineno++;
		next_line(&cur, body, line);	/* pass 1 checked lengths */
		if (!is_key(line, "schedule"))
			continue;
		for (char *t = strtok_r(line + 8, " \t", &save); t;
		     t = strtok_r(NULL, " \t", &save)) {
			int ret = schedule_parse(&sr->s, t, &sr->schedule,
						 bad_tok, sizeof(bad_tok));

			if (ret == -E2BIG)
				return bad(err, errlen, file, lineno,
					   "schedule longer than %d transitions",
					   SCENARIO_MAX_SCHEDULE);
			if (ret == -ENOMEM) {
				bad(err, errlen, file, lineno, "out of memory");
				return -ENOMEM;
			}
			if (ret)
				return bad(err, errlen, file, lineno,
					   "bad schedule entry '%s' (not a transition of this trace)",
					   bad_tok);
		}
	}
	return 0;
}

int saved_parse(struct saved_run *sr, const char *file, const char *text,
		size_t len, char *err, size_t errlen)
{
	char line[SAVED_MAX_LINE + 1];
	const char *cur = text, *end = text + len, *body = NULL;
	const char *nul;
	char *trace, name[300], ignore[SAVED_MAX_LINE + 1] = "";
	char only[SAVED_MAX_LINE + 1] = "";
	char msg[SCENARIO_ERR];
	int lineno = 0, ret, ignore_line = 0, only_line = 0;

	memset(sr, 0, sizeof(*sr));
	irqsim_schedule_init(&sr->s.schedule);
	irqsim_schedule_init(&sr->schedule);
	sr->version = -1;
	sr->verdict_kind = -1;
	if (len > SAVED_MAX_FILE)
		return bad(err, errlen, file, 0, "file larger than %d bytes",
			   SAVED_MAX_FILE);
	if ((nul = memchr(text, 0, len))) {
		for (const char *c = text; c <= nul; c++)
			lineno += c == text || c[-1] == '\n';
		return bad(err, errlen, file, lineno, "NUL byte in a text file");
	}
	while (cur < end) {
		lineno++;
		if (next_line(&cur, end, line) < 0)
			return bad(err, errlen, file, lineno,
				   "line longer than %d characters",
				   SAVED_MAX_LINE);
		if (cur - text > SAVED_MAX_HEADER)
			return bad(err, errlen, file, lineno,
				   "more than %d bytes before trace-text",
				   SAVED_MAX_HEADER);
		if (lineno == 1)
			ret = parse_version(sr, file, line, err, errlen);
		else if (!strcmp(line, "trace-text"))
			body = cur;
		else if (is_key(line, "set"))
			ret = parse_settings(sr, file, lineno, line, err,
					     errlen);
		else if (is_key(line, "verdict"))
			ret = parse_verdict(sr, file, lineno, line, err,
					    errlen);
		else if (is_key(line, "made-by"))
			ret = parse_made_by(sr, line);
		else if (is_key(line, "ignore"))
			ret = parse_ignore(sr, file, lineno, line, err,
					   errlen, ignore, sizeof(ignore),
					   &ignore_line);
		else if (is_key(line, "only"))
			ret = parse_only(sr, file, lineno, line, err, errlen,
					 only, sizeof(only), &only_line);
		else if (!is_key(line, "schedule") && !is_key(line, "trace") &&
			 !is_key(line, "source") && !is_key(line, "seed") &&
			 line[0])
			ret = bad(err, errlen, file, lineno,
				  "unknown line '%.40s'", line);
		else
			ret = 0;
		if (ret)
			return ret;
		if (body)
			break;
	}
	if (sr->version < 0)
		return bad(err, errlen, file, 0,
			   "empty file (expected 'irqsim-run %d')",
			   SAVED_FORMAT_VERSION);
	if (!body)
		return bad(err, errlen, file, lineno, "no trace-text line");
	if (end - body > SCENARIO_MAX_FILE)
		return bad(err, errlen, file, lineno + 1,
			   "trace text larger than %d bytes", SCENARIO_MAX_FILE);
	trace = irqsim_malloc((size_t)(end - body) + 1);
	if (!trace) {
		bad(err, errlen, file, 0, "out of memory");
		return -ENOMEM;
	}
	memcpy(trace, body, (size_t)(end - body));
	trace[end - body] = 0;
	snprintf(name, sizeof(name), "%s(trace)", file);
	ret = scenario_parse(&sr->s, name, trace, err, errlen);
	free(trace);
	if (ret)
		return ret;
	if (ignore_line &&
	    scenario_parse_ignore(&sr->s, ignore, &sr->ignore, msg,
				  sizeof(msg)))
		return bad(err, errlen, file, ignore_line,
			   "in the ignore line: %s", msg);
	if (only_line &&
	    scenario_parse_object(&sr->s, only, &sr->ignore.only, msg,
				  sizeof(msg)))
		return bad(err, errlen, file, only_line,
			   "in the only line: %s", msg);
	/* the saved knob values are complete: no trace-level config */
	sr->s.config.n = 0;
	return parse_schedules(sr, file, text, body, err, errlen);
}

int saved_load(struct saved_run *sr, const char *path, char *err,
	       size_t errlen)
{
	char *buf;
	size_t n;
	int ret;

	memset(sr, 0, sizeof(*sr));
	ret = infile_read(path, SAVED_MAX_FILE, &buf, &n, err, errlen);
	if (ret)
		return ret;
	ret = saved_parse(sr, path, buf, n, err, errlen);
	free(buf);
	return ret;
}

void saved_free(struct saved_run *sr)
{
	irqsim_schedule_free(&sr->schedule);
	scenario_free(&sr->s);
}
