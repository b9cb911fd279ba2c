// SPDX-License-Identifier: MIT
/*
 * The diagram's text fits its boxes as a viewer draws it. A few runs are
 * laid out and rendered to SVG by the installed Graphviz (libgvc, in
 * process, as irqsim render does); for every box of the picture, the
 * lanes' and the legend's, each line of text is measured with the font
 * it names, from the font file fontconfig gives for that name: its
 * advance width, ascender and descender, at the line's size. The line
 * must lie inside its box's outline (the polygon, the rounded box's
 * path or the ellipse), less half its stroke. Graphviz measures with
 * metrics hinted to whole pixels, a few percent short of what a viewer
 * draws, so this is what catches a box drawn too narrow for its text.
 *
 * The boxes use a monospaced font (DejaVu Sans Mono), so a line's width
 * is its characters times the one advance; a character that draws
 * nothing (U+2060, which keeps a wrapped line's indent) counts none. A
 * line must not start with a space, which SVG viewers drop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render_util.h"

#define MONO "DejaVu Sans Mono"

/* What a line's extent needs of a monospaced TrueType font. */
struct mono_font {
	double advance;		/* of every glyph that draws, in em */
	double ascender;	/* above the baseline, em */
	double descender;	/* below it, em (positive) */
};

static uint32_t be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return be16(p) << 16 | be16(p + 2);
}

/* The table @tag of the font in @buf (@len bytes), or NULL. */
static const unsigned char *ttf_table(const unsigned char *buf, size_t len,
				      const char *tag, size_t need)
{
	uint32_t n = len >= 12 ? be16(buf + 4) : 0;

	for (uint32_t i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= len; i++) {
		const unsigned char *rec = buf + 12 + 16 * (size_t)i;
		uint32_t off = be32(rec + 8), size = be32(rec + 12);

		if (!memcmp(rec, tag, 4) && size >= need &&
		    (size_t)off + size <= len)
			return buf + off;
	}
	return NULL;
}

/* A file fontconfig gives for @family; fails unless it is that family. */
static void font_file(const char *family, char *path, size_t len)
{
	char cmd[256], got[512];
	FILE *p;
	char *nl;

	snprintf(cmd, sizeof(cmd),
		 "fc-match -f '%%{family[0]}\\n%%{file}\\n' '%s'", family);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(got, sizeof(got), p) || !fgets(path, (int)len, p))
		fail_msg("fc-match gave nothing for '%s'", family);
	pclose(p);
	if ((nl = strchr(got, '\n')))
		*nl = 0;
	if ((nl = strchr(path, '\n')))
		*nl = 0;
	/* the font the diagram asks for exists: no stand-in */
	if (strcmp(got, family))
		fail_msg("fontconfig gives '%s' for '%s': install fonts-dejavu-core",
			 got, family);
}

/*
 * The metrics of the installed DejaVu Sans Mono, from its tables: every
 * glyph's advance (hmtx) is one width or zero (a mark), as 'post' says
 * of a fixed-pitch font.
 */
static struct mono_font mono_metrics(void)
{
	const unsigned char *head, *hhea, *hmtx, *post;
	unsigned char *buf;
	struct mono_font f;
	char path[512];
	uint32_t upem, nmetrics, adv = 0;
	size_t len;
	FILE *in;
	long size;

	font_file(MONO, path, sizeof(path));
	in = fopen(path, "rb");
	assert_non_null(in);
	assert_int_equal(fseek(in, 0, SEEK_END), 0);
	size = ftell(in);
	assert_true(size > 12);
	rewind(in);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	len = fread(buf, 1, (size_t)size, in);
	fclose(in);
	assert_int_equal(len, (size_t)size);

	head = ttf_table(buf, len, "head", 54);
	hhea = ttf_table(buf, len, "hhea", 36);
	post = ttf_table(buf, len, "post", 16);
	assert_non_null(head);
	assert_non_null(hhea);
	assert_non_null(post);
	assert_true(be32(post + 12) != 0);	/* isFixedPitch */
	upem = be16(head + 18);
	nmetrics = be16(hhea + 34);
	assert_true(upem > 0 && nmetrics > 0);
	hmtx = ttf_table(buf, len, "hmtx", 4 * (size_t)nmetrics);
	assert_non_null(hmtx);
	for (uint32_t i = 0; i < nmetrics; i++) {
		uint32_t a = be16(hmtx + 4 * (size_t)i);

		if (!a)
			continue;
		if (adv && a != adv)
			fail_msg("%s is not monospaced: advances %u and %u",
				 path, adv, a);
		adv = a;
	}
	assert_true(adv > 0);
	f.advance = (double)adv / upem;
	f.ascender = (double)(int16_t)be16(hhea + 4) / upem;
	f.descender = -(double)(int16_t)be16(hhea + 6) / upem;
	free(buf);
	return f;
}

/* ------------------------------------------------------------------ */
/* The SVG Graphviz writes                                             */

/* Attribute @name of the tag at @tag (up to its '>'), into @out. */
static bool svg_attr(const char *tag, const char *name, char *out, size_t len)
{
	const char *end = strchr(tag, '>');
	size_t n = strlen(name);

	for (const char *p = tag; p && p < end; p = strchr(p + 1, ' ')) {
		const char *q;

		if (strncmp(p + 1, name, n) || p[1 + n] != '=' ||
		    p[2 + n] != '"')
			continue;
		q = strchr(p + 3 + n, '"');
		if (!q || q > end || (size_t)(q - (p + 3 + n)) >= len)
			return false;
		memcpy(out, p + 3 + n, (size_t)(q - (p + 3 + n)));
		out[q - (p + 3 + n)] = 0;
		return true;
	}
	return false;
}

static double svg_num(const char *tag, const char *name, double def)
{
	char v[64];

	return svg_attr(tag, name, v, sizeof(v)) ? strtod(v, NULL) : def;
}

struct bounds {
	double x0, y0, x1, y1;
	bool any;
};

static void bounds_add(struct bounds *b, double x, double y)
{
	if (!b->any || x < b->x0)
		b->x0 = x;
	if (!b->any || x > b->x1)
		b->x1 = x;
	if (!b->any || y < b->y0)
		b->y0 = y;
	if (!b->any || y > b->y1)
		b->y1 = y;
	b->any = true;
}

/*
 * The numbers of a points list or a path (Graphviz writes only M and C
 * with absolute coordinates), as x,y pairs into @b.
 */
static void bounds_of_coords(struct bounds *b, const char *s)
{
	bool have_x = false;
	double x = 0;

	while (*s) {
		char *end;
		double d;

		if (!(*s == '-' || *s == '.' || (*s >= '0' && *s <= '9'))) {
			if (*s != ' ' && *s != ',' && *s != 'M' && *s != 'C')
				fail_msg("an outline with '%c': not M, C", *s);
			s++;
			continue;
		}
		d = strtod(s, &end);
		s = end;
		if (have_x)
			bounds_add(b, x, d);
		else
			x = d;
		have_x = !have_x;
	}
	assert_false(have_x);
}

/* @s's text content decoded: characters that draw, and the first one. */
static int text_chars(const char *s, const char *end, uint32_t *first)
{
	int n = 0;

	*first = 0;
	while (s < end) {
		uint32_t c = 0;

		if (*s == '&') {
			const char *semi = memchr(s, ';', (size_t)(end - s));

			assert_non_null(semi);
			if (s[1] == '#')
				c = (uint32_t)strtoul(s + 2 + (s[2] == 'x'),
						      NULL,
						      s[2] == 'x' ? 16 : 10);
			else if (!strncmp(s, "&amp;", 5))
				c = '&';
			else if (!strncmp(s, "&lt;", 4))
				c = '<';
			else if (!strncmp(s, "&gt;", 4))
				c = '>';
			else if (!strncmp(s, "&quot;", 6))
				c = '"';
			else if (!strncmp(s, "&apos;", 6))
				c = '\'';
			else
				fail_msg("entity %.*s", (int)(semi - s + 1), s);
			s = semi + 1;
		} else {
			unsigned char b = (unsigned char)*s++;
			int more = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0;

			c = more ? b & (0x3f >> more) : b;
			for (; more; more--)
				c = c << 6 | ((unsigned char)*s++ & 0x3f);
		}
		if (!*first)
			*first = c;
		/* the zero-width ones a viewer draws as nothing */
		if ((c >= 0x200b && c <= 0x200f) ||
		    (c >= 0x2060 && c <= 0x2064) || c == 0xfeff)
			continue;
		n++;
	}
	return n;
}

/* What check_svg() found. */
struct fit {
	int boxes;		/* with text */
	int lines;		/* of text, measured */
	int overflows;		/* lines outside their box (printed) */
};

/*
 * Check each text of the box whose group is [@g, @end) against the
 * box's outline, into @fit.
 */
static void check_box(const char *g, const char *end,
		      const struct mono_font *f, const char *where,
		      struct fit *fit)
{
	struct bounds b = { 0 };
	double stroke = 1;
	char title[128] = "?", v[4096];
	const char *t = strstr(g, "<title>");

	if (t && t < end)
		snprintf(title, sizeof(title), "%.*s",
			 (int)strcspn(t + 7, "<"), t + 7);
	for (const char *p = g; (p = strchr(p + 1, '<')) && p < end;) {
		if (!strncmp(p, "<polygon ", 9) || !strncmp(p, "<path ", 6)) {
			if (!svg_attr(p, *(p + 2) == 'o' ? "points" : "d", v,
				      sizeof(v)))
				fail_msg("%s: %s: an outline without points",
					 where, title);
			bounds_of_coords(&b, v);
			stroke = svg_num(p, "stroke-width", 1);
		} else if (!strncmp(p, "<ellipse ", 9)) {
			double cx = svg_num(p, "cx", 0);
			double cy = svg_num(p, "cy", 0);
			double rx = svg_num(p, "rx", 0);
			double ry = svg_num(p, "ry", 0);

			bounds_add(&b, cx - rx, cy - ry);
			bounds_add(&b, cx + rx, cy + ry);
			stroke = svg_num(p, "stroke-width", 1);
		}
	}
	for (const char *p = g; (p = strstr(p, "<text ")) && p < end; p++) {
		const char *text = strchr(p, '>') + 1;
		const char *close = strstr(text, "</text>");
		double x = svg_num(p, "x", 0), y = svg_num(p, "y", 0);
		double size = svg_num(p, "font-size", 0), w, left;
		char anchor[16] = "start", family[64] = "";
		uint32_t first;
		int n;

		assert_non_null(close);
		svg_attr(p, "text-anchor", anchor, sizeof(anchor));
		svg_attr(p, "font-family", family, sizeof(family));
		if (strcmp(family, MONO))
			fail_msg("%s: %s: text in '%s', not the boxes' font %s",
				 where, title, family, MONO);
		if (!b.any)
			fail_msg("%s: %s: text without a box", where, title);
		assert_true(size > 0);
		n = text_chars(text, close, &first);
		if (first == ' ')
			fail_msg("%s: %s: a line starts with a space, which a viewer drops: %.*s",
				 where, title, (int)(close - text), text);
		w = n * f->advance * size;
		left = !strcmp(anchor, "middle") ? x - w / 2 :
		       !strcmp(anchor, "end")    ? x - w :
						   x;
		if (left < b.x0 + stroke / 2 || left + w > b.x1 - stroke / 2 ||
		    y - f->ascender * size < b.y0 + stroke / 2 ||
		    y + f->descender * size > b.y1 - stroke / 2) {
			print_error("%s: %s: '%.*s' (%d characters, x %.2f to %.2f, baseline %.2f) overflows its box (x %.2f to %.2f, y %.2f to %.2f, stroke %.1f)\n",
				    where, title, (int)(close - text), text, n,
				    left, left + w, y, b.x0, b.x1, b.y0, b.y1,
				    stroke);
			fit->overflows++;
		}
		fit->lines++;
	}
	if (b.any && strstr(g, "<text ") && strstr(g, "<text ") < end)
		fit->boxes++;
}

/*
 * Every box of @svg, a node's group from its "<g id="node" to the "</g>"
 * that closes it. Return: what was found.
 */
static struct fit check_svg(const char *svg, const struct mono_font *f,
			    const char *where)
{
	struct fit fit = { 0 };

	for (const char *g = svg; (g = strstr(g, "<g id=\"node")); g++) {
		const char *p = g;
		int depth = 0;

		do {
			p = strpbrk(p + 1, "<");
			assert_non_null(p);
			if (!strncmp(p, "<g ", 3) || !strncmp(p, "<g>", 3))
				depth++;
			else if (!strncmp(p, "</g>", 4))
				depth--;
		} while (depth > 0 || strncmp(p, "</g>", 4));
		check_box(g, p, f, where, &fit);
	}
	return fit;
}

struct fit_case {
	const char *trace;
	long long seed;		/* < 0: the trace's own schedule */
	bool full_run;
};

static void text_fits_its_boxes_test(void **state)
{
	static const struct fit_case cases[] = {
		/* the README's run as found, its slice and all of it */
		{ "traces/seed000-vfio-loss.trace", 0, false },
		{ "traces/seed000-vfio-loss.trace", 0, true },
		/* tglx's timeline: long prose lines, wrapped */
		{ "traces/seed000-tglx-timeline.trace", -1, false },
		/* INTx: a stalled event, other boxes */
		{ "traces/seed001-ppc64-stall.trace", 534, true },
		/* no violation: 200 steps, folds, no marks */
		{ "tests/trace/data/long-affinity.trace", 0, false },
	};
	struct mono_font f = mono_metrics();
	int total = 0, indented = 0;

	(void)state;
	/* DejaVu Sans Mono: 1233/2048 em, as src/trace/graphviz.c assumes */
	assert_true(f.advance > 0.5 && f.advance < 0.7);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct fit_case *c = &cases[i];
		struct rendered_run r;
		char where[128], *svg;
		struct fit fit;

		assert_int_equal(render_util_run(&r, c->trace, NULL, c->seed),
				 0);
		r.run.full_run = c->full_run;
		svg = render_util_render(&r, TRACE_SVG, NULL);
		assert_non_null(svg);
		snprintf(where, sizeof(where), "%s seed %lld%s", c->trace,
			 c->seed, c->full_run ? " --full-run" : "");
		fit = check_svg(svg, &f, where);
		assert_int_equal(fit.overflows, 0);
		/* something was measured: a legend's and the lanes' boxes */
		assert_true(fit.boxes >= 5);
		assert_true(fit.lines >= 2 * fit.boxes);
		total += fit.lines;
		/* a wrapped line keeps its indent: U+2060, two U+00A0 */
		for (const char *p = svg;
		     (p = strstr(p, ">\xe2\x81\xa0\xc2\xa0\xc2\xa0")); p++)
			indented++;
		free(svg);
		render_util_free(&r);
	}
	assert_true(indented > 0);
	print_message("%d lines of text measured, %d of them indented\n",
		      total, indented);
}

/*
 * The checker itself: a box whose width is the line's, its margin and
 * half its stroke passes; 0.1 pt less, or a character more, overflows.
 */
static void checker_finds_an_overflow_test(void **state)
{
	static const char fmt[] =
		"<g id=\"node1\" class=\"node\"><title>x</title>\n"
		"<polygon fill=\"white\" stroke=\"black\" points=\"0,-20 0,0 %.2f,0 %.2f,-20 0,-20\"/>\n"
		"<text text-anchor=\"start\" x=\"5\" y=\"-6\" font-family=\"DejaVu Sans Mono\" font-size=\"9.00\">%s</text>\n"
		"</g>\n";
	struct mono_font f = mono_metrics();
	double w = 5 + 10 * f.advance * 9 + 0.5;
	struct fit fit;
	char svg[512];

	(void)state;
	snprintf(svg, sizeof(svg), fmt, w + 0.01, w + 0.01, "ten chars!");
	fit = check_svg(svg, &f, "fits");
	assert_int_equal(fit.boxes, 1);
	assert_int_equal(fit.lines, 1);
	assert_int_equal(fit.overflows, 0);
	snprintf(svg, sizeof(svg), fmt, w - 0.1, w - 0.1, "ten chars!");
	assert_int_equal(check_svg(svg, &f, "narrow").overflows, 1);
	snprintf(svg, sizeof(svg), fmt, w + 0.01, w + 0.01, "ten chars!!");
	assert_int_equal(check_svg(svg, &f, "long").overflows, 1);
	/* an entity is one character, U+2060 none */
	snprintf(svg, sizeof(svg), fmt, w + 0.01, w + 0.01,
		 "\xe2\x81\xa0\xc2\xa0\xc2\xa0" "a &#45;&gt; b&amp;");
	assert_int_equal(check_svg(svg, &f, "entities").overflows, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checker_finds_an_overflow_test),
		cmocka_unit_test(text_fits_its_boxes_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
