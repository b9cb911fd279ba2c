// SPDX-License-Identifier: MIT
/*
 * The diagram laid out and rendered in process by libgvc: the SVG must be
 * well-formed XML (checked by a small XML 1.0 well-formedness checker of
 * the test's own) with the project's styling classes where the DOT put
 * them; the PNG must be a PNG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render_util.h"

/* ------------------------------------------------------------------ */
/* XML well-formedness                                                 */

#define XML_DEPTH 256
#define XML_NAME 64

struct xml {
	const char *p;
	char stack[XML_DEPTH][XML_NAME];
	int depth;
	int roots;
	char root[XML_NAME];
	const char *why;
};

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == ':';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static bool xml_name(struct xml *x, char *out)
{
	int n = 0;

	if (!name_start(*x->p))
		return false;
	while (name_char(*x->p)) {
		if (n + 1 >= XML_NAME)
			return false;
		out[n++] = *x->p++;
	}
	out[n] = 0;
	return true;
}

static void xml_space(struct xml *x)
{
	while (*x->p == ' ' || *x->p == '\t' || *x->p == '\n' || *x->p == '\r')
		x->p++;
}

/* "&amp;", "&#45;", "&#x2d;": a reference XML defines without a DTD. */
static bool xml_reference(struct xml *x)
{
	static const char *const named[] = { "amp;", "lt;", "gt;", "quot;",
					     "apos;" };
	const char *p = x->p + 1;

	for (size_t i = 0; i < sizeof(named) / sizeof(*named); i++)
		if (!strncmp(p, named[i], strlen(named[i]))) {
			x->p = p + strlen(named[i]);
			return true;
		}
	if (*p++ != '#')
		return false;
	if (*p == 'x') {
		const char *h = ++p;

		while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		       (*p >= 'A' && *p <= 'F'))
			p++;
		if (p == h)
			return false;
	} else {
		const char *d = p;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return false;
	}
	if (*p != ';')
		return false;
	x->p = p + 1;
	return true;
}

static bool xml_skip_to(struct xml *x, const char *end)
{
	const char *e = strstr(x->p, end);

	if (!e)
		return false;
	x->p = e + strlen(end);
	return true;
}

/* A start tag (after '<'): name, unique quoted attributes, '>' or '/>'. */
static bool xml_start_tag(struct xml *x)
{
	char name[XML_NAME], attrs[32][XML_NAME];
	int nattrs = 0;

	if (!xml_name(x, name))
		return (x->why = "bad element name"), false;
	for (;;) {
		bool spaced = *x->p == ' ' || *x->p == '\t' || *x->p == '\n' ||
			      *x->p == '\r';
		char quote;

		xml_space(x);
		if (*x->p == '>' || !strncmp(x->p, "/>", 2))
			break;
		if (!spaced)
			return (x->why = "attributes must be separated"), false;
		if (nattrs == 32 || !xml_name(x, attrs[nattrs]))
			return (x->why = "bad attribute name"), false;
		for (int i = 0; i < nattrs; i++)
			if (!strcmp(attrs[i], attrs[nattrs]))
				return (x->why = "duplicate attribute"), false;
		nattrs++;
		xml_space(x);
		if (*x->p++ != '=')
			return (x->why = "attribute without '='"), false;
		xml_space(x);
		quote = *x->p++;
		if (quote != '"' && quote != '\'')
			return (x->why = "unquoted attribute value"), false;
		while (*x->p != quote) {
			if (!*x->p || *x->p == '<')
				return (x->why = "'<' in an attribute"), false;
			if (*x->p == '&') {
				if (!xml_reference(x))
					return (x->why = "bad reference"), false;
				continue;
			}
			x->p++;
		}
		x->p++;
	}
	if (x->depth == 0) {
		if (x->roots++)
			return (x->why = "a second root element"), false;
		snprintf(x->root, sizeof(x->root), "%s", name);
	}
	if (*x->p == '/') {
		x->p += 2;
		return true;
	}
	x->p++;
	if (x->depth == XML_DEPTH)
		return (x->why = "too deep"), false;
	snprintf(x->stack[x->depth++], XML_NAME, "%s", name);
	return true;
}

static bool xml_well_formed(const char *doc, char *root, const char **why)
{
	struct xml x = { .p = doc };

	if (!strncmp(x.p, "<?xml", 5) && !xml_skip_to(&x, "?>")) {
		*why = "unterminated declaration";
		return false;
	}
	while (*x.p) {
		if (*x.p == '<') {
			x.p++;
			if (!strncmp(x.p, "!--", 3)) {
				const char *end = strstr(x.p + 3, "--");

				if (!end || end[2] != '>') {
					*why = "'--' inside a comment";
					return false;
				}
				x.p = end + 3;
			} else if (!strncmp(x.p, "![CDATA[", 8)) {
				if (!x.depth || !xml_skip_to(&x, "]]>")) {
					*why = "bad CDATA section";
					return false;
				}
			} else if (!strncmp(x.p, "!DOCTYPE", 8)) {
				/* quoted ids and an optional [internal subset] */
				char q = 0;
				int bracket = 0;

				if (x.depth || x.roots) {
					*why = "DOCTYPE after the root";
					return false;
				}
				for (x.p += 8; *x.p; x.p++) {
					if (q) {
						q = *x.p == q ? 0 : q;
					} else if (*x.p == '"' || *x.p == '\'') {
						q = *x.p;
					} else if (*x.p == '[') {
						bracket++;
					} else if (*x.p == ']') {
						bracket--;
					} else if (*x.p == '>' && !bracket) {
						break;
					}
				}
				if (*x.p++ != '>') {
					*why = "unterminated DOCTYPE";
					return false;
				}
			} else if (*x.p == '?') {
				if (!xml_skip_to(&x, "?>")) {
					*why = "unterminated processing instruction";
					return false;
				}
			} else if (*x.p == '/') {
				char name[XML_NAME];

				x.p++;
				if (!xml_name(&x, name) || !x.depth ||
				    strcmp(name, x.stack[x.depth - 1])) {
					*why = "end tag does not match";
					return false;
				}
				x.depth--;
				xml_space(&x);
				if (*x.p++ != '>') {
					*why = "bad end tag";
					return false;
				}
			} else if (!xml_start_tag(&x)) {
				*why = x.why;
				return false;
			}
			continue;
		}
		if (!x.depth && !(*x.p == ' ' || *x.p == '\n' || *x.p == '\t' ||
				  *x.p == '\r')) {
			*why = "text outside the root element";
			return false;
		}
		if (*x.p == '&') {
			if (!xml_reference(&x)) {
				*why = "bad reference in text";
				return false;
			}
			continue;
		}
		if (!strncmp(x.p, "]]>", 3)) {
			*why = "']]>' in text";
			return false;
		}
		x.p++;
	}
	if (x.depth || x.roots != 1) {
		*why = x.depth ? "unclosed element" : "no root element";
		return false;
	}
	snprintf(root, XML_NAME, "%s", x.root);
	return true;
}

static void xml_checker_rejects_malformed_test(void **state)
{
	static const char *const bad[] = {
		"<a><b></a></b>", "<a x=1/>", "<a x=\"1\" x=\"2\"/>",
		"<a>&nbsp;</a>", "<a/><b/>", "<a>", "text<a/>", "<a>]]></a>",
		"<a><!-- x -- y --></a>", "<a x=\"<\"/>", "<a x=\"1\"y=\"2\"/>",
		"<a>&#;</a>", "",
	};
	char root[XML_NAME];
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (xml_well_formed(bad[i], root, &why))
			fail_msg("accepted malformed XML: %s", bad[i]);
	assert_true(xml_well_formed(
		"<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n \"x.dtd\">\n"
		"<!-- c -->\n<svg a='1' b=\"&#45;&amp;&#x2d;\"><g><t>x &lt; y</t><![CDATA[<&>]]></g><e/></svg>\n",
		root, &why));
	assert_string_equal(root, "svg");
}

/* How many times @needle occurs in @hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void svg_is_well_formed_and_styled_test(void **state)
{
	struct rendered_run r;
	char root[XML_NAME], *svg, *dot;
	const char *why = NULL;

	(void)state;
	assert_int_equal(render_util_run(&r, "traces/seed000-tglx-timeline.trace",
					 NULL, -1),
			 0);
	svg = render_util_render(&r, TRACE_SVG, NULL);
	assert_non_null(svg);
	if (!xml_well_formed(svg, root, &why))
		fail_msg("the SVG is not well-formed XML: %s", why);
	assert_string_equal(root, "svg");
	/* Graphviz carries the DOT's classes into the SVG groups */
	assert_int_equal(count(svg, "class=\"node violation\""), 1);
	assert_int_equal(count(svg, "class=\"node lost\""), 1);
	dot = render_util_render(&r, TRACE_DOT, NULL);
	assert_non_null(dot);
	assert_int_equal(count(svg, "class=\"cluster lane\""),
			 count(dot, "irqsim_lane="));
	free(dot);
	free(svg);
	render_util_free(&r);
}

static void long_run_svg_and_png_test(void **state)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G',
					      '\r', '\n', 0x1a, '\n' };
	struct rendered_run r;
	char root[XML_NAME], *svg, *png;
	const char *why = NULL;
	size_t len = 0;
	uint32_t w, h;

	(void)state;
	assert_int_equal(render_util_run(&r, "tests/trace/data/long-affinity.trace",
					 NULL, 0),
			 0);
	svg = render_util_render(&r, TRACE_SVG, NULL);
	assert_non_null(svg);
	if (!xml_well_formed(svg, root, &why))
		fail_msg("the SVG is not well-formed XML: %s", why);
	assert_string_equal(root, "svg");
	/* no violation, nothing highlighted */
	assert_int_equal(count(svg, "violation\""), 0);
	free(svg);

	png = render_util_render(&r, TRACE_PNG, &len);
	assert_non_null(png);
	assert_true(len > 64);
	assert_memory_equal(png, sig, sizeof(sig));
	/* the first chunk is IHDR: width and height, big-endian */
	assert_memory_equal(png + 12, "IHDR", 4);
	w = (uint32_t)(unsigned char)png[16] << 24 |
	    (uint32_t)(unsigned char)png[17] << 16 |
	    (uint32_t)(unsigned char)png[18] << 8 | (unsigned char)png[19];
	h = (uint32_t)(unsigned char)png[20] << 24 |
	    (uint32_t)(unsigned char)png[21] << 16 |
	    (uint32_t)(unsigned char)png[22] << 8 | (unsigned char)png[23];
	assert_true(w > 100 && h > w);	/* lanes side by side, time down */
	assert_memory_equal(png + len - 8, "IEND", 4);
	free(png);
	render_util_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_checker_rejects_malformed_test),
		cmocka_unit_test(svg_is_well_formed_and_styled_test),
		cmocka_unit_test(long_run_svg_and_png_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
