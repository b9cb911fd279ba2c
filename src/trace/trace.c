// SPDX-License-Identifier: MIT
/* The renderers' front: format names and dispatch. */
#include "trace/internal.h"

#include <errno.h>
#include <string.h>

static const char *const format_names[TRACE_NR_FORMATS] = {
	[TRACE_TEXT] = "text",
	[TRACE_TIMELINE] = "timeline",
	[TRACE_DOT] = "dot",
	[TRACE_SVG] = "svg",
	[TRACE_PNG] = "png",
	[TRACE_JSON] = "json",
	[TRACE_CHANGELOG] = "changelog",
};

int trace_format_parse(const char *name)
{
	for (int f = 0; f < TRACE_NR_FORMATS; f++)
		if (!strcmp(format_names[f], name))
			return f;
	return -1;
}

const char *trace_format_name(int format)
{
	return format >= 0 && format < TRACE_NR_FORMATS ? format_names[format] :
							  "?";
}

const char *trace_format_list(void)
{
	return "text, timeline, changelog, dot, svg, png, json";
}

bool trace_format_is_document(int format)
{
	return format == TRACE_DOT || format == TRACE_SVG ||
	       format == TRACE_PNG || format == TRACE_JSON;
}

bool trace_format_has_width(int format)
{
	return format == TRACE_TIMELINE || format == TRACE_CHANGELOG;
}

bool trace_format_is_binary(int format)
{
	return format == TRACE_PNG;
}

bool trace_format_is_diagram(int format)
{
	return format == TRACE_DOT || format == TRACE_SVG ||
	       format == TRACE_PNG;
}

int trace_render(FILE *out, int format, const struct trace_run *run)
{
	struct trace_graph g;
	int ret = trace_analyze(&g, run);

	if (ret)
		return ret;
	switch (format) {
	case TRACE_TEXT:
		ret = trace_render_text(out, &g);
		break;
	case TRACE_TIMELINE:
		ret = trace_render_timeline(out, &g);
		break;
	case TRACE_CHANGELOG:
		ret = trace_render_changelog(out, &g);
		break;
	case TRACE_DOT:
	case TRACE_SVG:
	case TRACE_PNG:
		ret = trace_render_graphviz(out, format, &g);
		break;
	case TRACE_JSON:
		ret = trace_render_json(out, &g);
		break;
	default:
		ret = -EINVAL;
	}
	trace_graph_free(&g);
	errno = 0;
	if (!ret && (fflush(out) || ferror(out)))
		ret = errno ? -errno : -EIO;
	return ret;
}
