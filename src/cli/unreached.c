// SPDX-License-Identifier: MIT
/*
 * explore --unreached: the program points of each modeled function that
 * no schedule of the search reached (sched/cover.h), as SPIN's
 * "unreached in proctype" lists a process type's unreached statements.
 */
#include "cli/internal.h"
#include "sched/cover.h"

#include <string.h>

/* A source path from the tree's src/ on, whatever directory built it. */
static const char *source_name(const char *file)
{
	const char *at = NULL;

	for (const char *p = strstr(file, "src/"); p; p = strstr(p + 1, "src/"))
		if (p == file || p[-1] == '/')
			at = p;
	return at ? at : file;
}

/* Was @f entered at all (its entry reached)? */
static bool entered(const struct irqsim_cover_fn *f)
{
	return f->n && f->point[0].p->pc == 0 && f->point[0].reached;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	fputc('"', f);
}

/*
 * ,"unreached":{...}: the points and how many the search reached, each
 * entered function with points left unreached (name, file, points,
 * reached, and each unreached point's line and kind), and the names of
 * the functions never entered.
 */
static void json_unreached(FILE *f, const struct irqsim_cover_report *r)
{
	size_t reached = 0;
	const char *sep = "";

	for (size_t i = 0; i < r->npoints; i++)
		reached += r->point[i].reached;
	fprintf(f, ",\"unreached\":{\"points\":%zu,\"reached\":%zu,\"functions\":[",
		r->npoints, reached);
	for (size_t i = 0; i < r->nfn; i++) {
		const struct irqsim_cover_fn *fn = &r->fn[i];
		const char *psep = "";

		if (!entered(fn) || fn->reached == fn->n)
			continue;
		fprintf(f, "%s{\"name\":", sep);
		json_str(f, fn->name);
		fprintf(f, ",\"file\":");
		json_str(f, source_name(fn->file));
		fprintf(f, ",\"points\":%zu,\"reached\":%zu,\"unreached\":[",
			fn->n, fn->reached);
		for (size_t k = 0; k < fn->n; k++) {
			if (fn->point[k].reached)
				continue;
			fprintf(f, "%s{\"line\":%d,\"what\":", psep,
				fn->point[k].p->at);
			json_str(f, fn->point[k].p->what);
			fputc('}', f);
			psep = ",";
		}
		fprintf(f, "]}");
		sep = ",";
	}
	fprintf(f, "],\"never_entered\":[");
	sep = "";
	for (size_t i = 0; i < r->nfn; i++) {
		if (entered(&r->fn[i]))
			continue;
		fputs(sep, f);
		json_str(f, r->fn[i].name);
		sep = ",";
	}
	fprintf(f, "]}");
}

/* Words after @indent, wrapped before column 80. */
static void print_wrapped(FILE *f, const char *indent, const char *word,
			  size_t *col)
{
	size_t len = strlen(word);

	if (*col > strlen(indent) && *col + 1 + len > 79) {
		fprintf(f, "\n%s", indent);
		*col = strlen(indent);
	} else if (*col > strlen(indent)) {
		fputc(' ', f);
		(*col)++;
	}
	fputs(word, f);
	*col += len;
}

static void text_unreached(FILE *f, const struct irqsim_cover_report *r)
{
	size_t reached = 0, inside = 0, nentered = 0, partial = 0;

	for (size_t i = 0; i < r->nfn; i++) {
		const struct irqsim_cover_fn *fn = &r->fn[i];

		if (!entered(fn))
			continue;
		nentered++;
		inside += fn->n;
		reached += fn->reached;
		partial += fn->reached < fn->n;
	}
	fprintf(f, "program points: %zu of %zu reached in the %zu modeled functions the search entered",
		reached, inside, nentered);
	fprintf(f, "; %zu with points unreached%s\n", partial,
		partial ? ":" : "");
	for (size_t i = 0; i < r->nfn; i++) {
		const struct irqsim_cover_fn *fn = &r->fn[i];
		size_t left = fn->n - fn->reached, col;
		char word[64];

		if (!entered(fn) || !left)
			continue;
		col = (size_t)fprintf(f, "  unreached in %s (%s):", fn->name,
				      source_name(fn->file));
		for (size_t k = 0; k < fn->n; k++) {
			const struct irqsim_point *p = fn->point[k].p;

			if (fn->point[k].reached)
				continue;
			snprintf(word, sizeof(word), "line %d %s%s", p->at,
				 p->what, --left ? "," : "");
			print_wrapped(f, "    ", word, &col);
		}
		fputc('\n', f);
	}
	if (nentered < r->nfn) {
		size_t col;

		fprintf(f, "  never entered (%zu of %zu modeled functions):",
			r->nfn - nentered, r->nfn);
		col = 80; /* the names start on a line of their own */
		for (size_t i = 0; i < r->nfn; i++)
			if (!entered(&r->fn[i]))
				print_wrapped(f, "    ", r->fn[i].name, &col);
		fputc('\n', f);
	}
}

int print_unreached(FILE *f, const struct irqsim_cover_report *r, bool json)
{
	if (json)
		json_unreached(f, r);
	else
		text_unreached(f, r);
	return ferror(f) ? -1 : 0;
}
