// SPDX-License-Identifier: MIT
/*
 * The Chrome trace event JSON, read back with a strict RFC 8259 parser of
 * the test's own (no extra dependency), then checked the way a trace
 * viewer would use it: processes and threads named, every B closed by an
 * E of the same name on its thread, a flow's start and end on the right
 * tracks in time order. On tglx's seeds/000 timeline the MSI delivery
 * flow must go from the device to the CPU its message names, and the
 * violation must sit on that CPU's interrupt entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render_util.h"

/* ------------------------------------------------------------------ */
/* A strict JSON parser                                                */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype t;
	bool b;
	double num;
	char *str;
	int n;
	char **key;		/* objects */
	struct jval *item;	/* arrays and objects */
};

struct jparser {
	const char *p;
	int depth;
	bool bad;
};

static void jfree(struct jval *v)
{
	for (int i = 0; i < v->n; i++) {
		jfree(&v->item[i]);
		if (v->key)
			free(v->key[i]);
	}
	free(v->item);
	free(v->key);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

static void ws(struct jparser *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A string; \u escapes below 0x80 decoded, others kept as '?'. */
static char *jstring(struct jparser *j)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	if (*j->p != '"' || !s) {
		free(s);
		j->bad = true;
		return NULL;
	}
	for (j->p++; *j->p != '"'; j->p++) {
		char c = *j->p;

		if ((unsigned char)c < 0x20) {
			/* an unescaped control character (or the end) */
			free(s);
			j->bad = true;
			return NULL;
		}
		if (c == '\\') {
			c = *++j->p;
			switch (c) {
			case '"': case '\\': case '/':
				break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				int v = 0;

				for (int k = 1; k <= 4; k++) {
					int h = hexval(j->p[k]);

					if (h < 0) {
						free(s);
						j->bad = true;
						return NULL;
					}
					v = v * 16 + h;
				}
				j->p += 4;
				c = v < 0x80 ? (char)v : '?';
				break;
			}
			default:
				free(s);
				j->bad = true;
				return NULL;
			}
		}
		if (n + 2 > cap) {
			char *ns = realloc(s, cap *= 2);

			if (!ns) {
				free(s);
				j->bad = true;
				return NULL;
			}
			s = ns;
		}
		s[n++] = c;
	}
	j->p++;
	s[n] = 0;
	return s;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static void jnumber(struct jparser *j, struct jval *v)
{
	const char *start = j->p;

	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (digit(*j->p))
		while (digit(*j->p))
			j->p++;
	else
		goto bad;
	if (*j->p == '.') {
		j->p++;
		if (!digit(*j->p))
			goto bad;
		while (digit(*j->p))
			j->p++;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!digit(*j->p))
			goto bad;
		while (digit(*j->p))
			j->p++;
	}
	v->t = J_NUM;
	v->num = strtod(start, NULL);
	return;
bad:
	j->bad = true;
}

static void jvalue(struct jparser *j, struct jval *v);

static void jpush(struct jparser *j, struct jval *v, char *key,
		  struct jval *item)
{
	struct jval *ni = realloc(v->item, (size_t)(v->n + 1) * sizeof(*ni));

	if (!ni) {
		j->bad = true;
		free(key);
		jfree(item);
		return;
	}
	v->item = ni;
	if (v->t == J_OBJ) {
		char **nk = realloc(v->key, (size_t)(v->n + 1) * sizeof(*nk));

		if (!nk) {
			j->bad = true;
			free(key);
			jfree(item);
			return;
		}
		v->key = nk;
		v->key[v->n] = key;
	}
	v->item[v->n++] = *item;
}

static void jcontainer(struct jparser *j, struct jval *v, char close)
{
	v->t = close == '}' ? J_OBJ : J_ARR;
	j->p++;
	ws(j);
	if (*j->p == close) {
		j->p++;
		return;
	}
	for (;;) {
		struct jval item = { 0 };
		char *key = NULL;

		ws(j);
		if (v->t == J_OBJ) {
			key = jstring(j);
			if (j->bad)
				return;
			ws(j);
			if (*j->p++ != ':') {
				free(key);
				j->bad = true;
				return;
			}
		}
		jvalue(j, &item);
		jpush(j, v, key, &item);
		if (j->bad)
			return;
		ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;	/* a value must follow: no trailing comma */
		}
		if (*j->p++ != close)
			j->bad = true;
		return;
	}
}

static void jvalue(struct jparser *j, struct jval *v)
{
	memset(v, 0, sizeof(*v));
	if (++j->depth > 64) {
		j->bad = true;
		return;
	}
	ws(j);
	switch (*j->p) {
	case '{':
		jcontainer(j, v, '}');
		break;
	case '[':
		jcontainer(j, v, ']');
		break;
	case '"':
		v->t = J_STR;
		v->str = jstring(j);
		break;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(j->p, "true", 4)) {
			v->t = J_BOOL;
			v->b = true;
			j->p += 4;
		} else if (!strncmp(j->p, "false", 5)) {
			v->t = J_BOOL;
			j->p += 5;
		} else if (!strncmp(j->p, "null", 4)) {
			j->p += 4;
		} else {
			j->bad = true;
		}
		break;
	default:
		jnumber(j, v);
	}
	j->depth--;
}

/* Parse a whole document: one value, nothing after it but space. */
static bool jparse(const char *text, struct jval *v)
{
	struct jparser j = { .p = text };

	jvalue(&j, v);
	ws(&j);
	if (j.bad || *j.p) {
		jfree(v);
		return false;
	}
	return true;
}

static const struct jval *jget(const struct jval *o, const char *key)
{
	if (o->t != J_OBJ)
		return NULL;
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->key[i], key))
			return &o->item[i];
	return NULL;
}

static const char *jstr(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return v && v->t == J_STR ? v->str : NULL;
}

static bool jint(const struct jval *o, const char *key, long *out)
{
	const struct jval *v = jget(o, key);

	if (!v || v->t != J_NUM || v->num != (double)(long)v->num)
		return false;
	*out = (long)v->num;
	return true;
}

static void json_parser_is_strict_test(void **state)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "[01]", "[1.]",
		"[.5]", "[NaN]", "[\"a\tb\"]", "[\"\\x\"]", "[1] [2]",
		"{\"a\" 1}", "[tru]", "[\"\\u12g4\"]", "[-]",
	};
	static const char *const good[] = {
		"{}", "[]", "[0, -1.5e3, 2E+2, true, false, null]",
		"{\"a\":{\"b\":[\"\\u0041\\n\\\"\"]}}", " \n[1]\n ",
	};
	struct jval v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (jparse(bad[i], &v))
			fail_msg("accepted invalid JSON: %s", bad[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		if (!jparse(good[i], &v))
			fail_msg("rejected valid JSON: %s", good[i]);
		jfree(&v);
	}
	assert_true(jparse("{\"s\":\"\\u0041\\\\\"}", &v));
	assert_string_equal(jstr(&v, "s"), "A\\");
	jfree(&v);
}

/* ------------------------------------------------------------------ */
/* The trace viewer's view                                             */

#define MAX_TRACKS 64

struct track {
	long pid, tid;
	bool named;
	int depth;
	const char *stack[64];
	double last_ts;
};

static struct track *track(struct track *t, int *n, long pid, long tid)
{
	for (int i = 0; i < *n; i++)
		if (t[i].pid == pid && t[i].tid == tid)
			return &t[i];
	assert_true(*n < MAX_TRACKS);
	t[*n] = (struct track){ .pid = pid, .tid = tid, .last_ts = -1 };
	return &t[(*n)++];
}

struct flow {
	long id;
	const struct jval *s, *f;
};

/*
 * The common checks: valid JSON, well-formed events, named tracks,
 * balanced slices in time order, paired flows. @doc receives the parsed
 * document.
 */
static void check_trace(const struct rendered_run *r, struct jval *doc,
			int *instants, struct flow *flows, int *nflows)
{
	struct track tracks[MAX_TRACKS];
	int ntracks = 0;
	long named_pid[MAX_TRACKS];
	int npids = 0;
	const struct jval *ev;
	char *json = render_util_render(r, TRACE_JSON, NULL);

	assert_non_null(json);
	if (!jparse(json, doc))
		fail_msg("the JSON output does not parse");
	free(json);
	assert_int_equal(doc->t, J_OBJ);
	assert_non_null(jstr(doc, "displayTimeUnit"));
	ev = jget(doc, "traceEvents");
	assert_non_null(ev);
	assert_int_equal(ev->t, J_ARR);
	*instants = 0;
	*nflows = 0;

	for (int i = 0; i < ev->n; i++) {
		const struct jval *e = &ev->item[i];
		const char *ph = jstr(e, "ph"), *name = jstr(e, "name");
		long pid = -1, tid = -1;
		const struct jval *ts = jget(e, "ts");
		struct track *t;

		assert_int_equal(e->t, J_OBJ);
		assert_non_null(ph);
		assert_non_null(name);
		assert_true(jint(e, "pid", &pid) && jint(e, "tid", &tid));
		if (!strcmp(ph, "M")) {
			const struct jval *args = jget(e, "args");

			assert_non_null(args);
			if (!strcmp(name, "thread_name")) {
				assert_non_null(jstr(args, "name"));
				track(tracks, &ntracks, pid, tid)->named = true;
			} else if (!strcmp(name, "process_name")) {
				assert_non_null(jstr(args, "name"));
				named_pid[npids++] = pid;
			}
			continue;
		}
		assert_non_null(ts);
		assert_int_equal(ts->t, J_NUM);
		t = track(tracks, &ntracks, pid, tid);
		if (!strcmp(ph, "B")) {
			assert_true(t->depth < 64);
			t->stack[t->depth++] = name;
		} else if (!strcmp(ph, "E")) {
			/* an E closes the innermost B of its thread */
			assert_true(t->depth > 0);
			if (strcmp(name, "(run ends)"))
				assert_string_equal(t->stack[t->depth - 1], name);
			t->depth--;
		} else if (!strcmp(ph, "i")) {
			const char *s = jstr(e, "s");

			assert_non_null(s);
			assert_true(!strcmp(s, "t") || !strcmp(s, "g"));
			*instants += !strcmp(s, "t");
		} else if (!strcmp(ph, "X")) {
			const struct jval *dur = jget(e, "dur");

			assert_non_null(dur);
			assert_true(dur->t == J_NUM && dur->num >= 0);
		} else if (!strcmp(ph, "s") || !strcmp(ph, "f")) {
			long id = 0;
			int k;

			assert_true(jint(e, "id", &id));
			for (k = 0; k < *nflows && flows[k].id != id; k++)
				;
			if (k == *nflows) {
				assert_true(k < 64);
				flows[(*nflows)++] = (struct flow){ .id = id };
			}
			if (ph[0] == 's') {
				assert_null(flows[k].s);
				flows[k].s = e;
			} else {
				assert_null(flows[k].f);
				flows[k].f = e;
			}
		} else {
			fail_msg("unexpected phase '%s'", ph);
		}
		/* the file is in time order on every track */
		if (!strcmp(ph, "B") || !strcmp(ph, "E") ||
		    (!strcmp(ph, "i") && !strcmp(jstr(e, "s"), "t"))) {
			assert_true(ts->num >= t->last_ts);
			t->last_ts = ts->num;
		}
	}
	for (int i = 0; i < ntracks; i++) {
		bool pid_named = false;

		assert_true(tracks[i].named);
		assert_int_equal(tracks[i].depth, 0);
		for (int k = 0; k < npids; k++)
			pid_named |= named_pid[k] == tracks[i].pid;
		assert_true(pid_named);
	}
	for (int k = 0; k < *nflows; k++) {
		assert_non_null(flows[k].s);
		assert_non_null(flows[k].f);
		/* a flow goes forward in time */
		assert_true(jget(flows[k].s, "ts")->num <=
			    jget(flows[k].f, "ts")->num);
		assert_string_equal(jstr(flows[k].s, "name"),
				    jstr(flows[k].f, "name"));
	}
	(void)r;
}

static int trace_events(const struct rendered_run *r)
{
	int n = 0;

	for (size_t i = 0; i < r->log.n; i++)
		n += r->log.ev[i].kind == IRQSIM_EV_TRACE;
	return n;
}

static void tglx_timeline_json_test(void **state)
{
	struct rendered_run r;
	struct jval doc;
	struct flow flows[64];
	const struct jval *ev;
	const struct irqsim_event *msi = NULL;
	int instants, nflows, msi_flows = 0, violations = 0, globals = 0;
	long cpu, dev_pid = -1;

	(void)state;
	assert_int_equal(render_util_run(&r, "traces/seed000-tglx-timeline.trace",
					 NULL, -1),
			 0);
	assert_int_equal(r.res.verdict.kind, CHECK_LOST_INTERRUPT);
	check_trace(&r, &doc, &instants, flows, &nflows);
	/* every trace event of the log is an instant on its thread */
	assert_int_equal(instants, trace_events(&r));

	for (size_t i = 0; i < r.log.n && !msi; i++)
		if (r.log.ev[i].tp && !strcmp(r.log.ev[i].tp, "msi_send"))
			msi = &r.log.ev[i];
	assert_non_null(msi);
	cpu = render_util_field(msi, "cpu");

	/* a process per CPU and per device */
	ev = jget(&doc, "traceEvents");
	for (int i = 0; i < ev->n; i++) {
		const struct jval *e = &ev->item[i], *args = jget(e, "args");
		const char *name = jstr(e, "name");
		long pid = -1, step = -1;

		jint(e, "pid", &pid);
		if (!strcmp(name, "process_name") &&
		    strstr(jstr(args, "name"), r.s.machine.actor[msi->actor].name))
			dev_pid = pid;
		if (!strcmp(jstr(e, "ph"), "i") && args &&
		    jget(args, "violation")) {
			/* the EOI on the CPU the message named */
			assert_int_equal(pid, cpu + 1);
			violations++;
		}
		if (!strcmp(jstr(e, "ph"), "i") && !strcmp(jstr(e, "s"), "g")) {
			globals++;
			assert_true(jint(args, "step", &step));
			assert_int_equal(step, r.res.verdict.step);
			assert_non_null(strstr(name, "lost-interrupt"));
		}
	}
	assert_true(dev_pid >= 0);
	assert_true(violations >= 1);
	assert_int_equal(globals, 1);

	/* MSI delivery: from the device to the CPU its message named */
	for (int k = 0; k < nflows; k++) {
		long spid = -1, fpid = -1;

		if (strcmp(jstr(flows[k].s, "name"), "MSI delivery"))
			continue;
		msi_flows++;
		jint(flows[k].s, "pid", &spid);
		jint(flows[k].f, "pid", &fpid);
		assert_int_equal(spid, dev_pid);
		assert_int_equal(fpid, cpu + 1);
	}
	assert_int_equal(msi_flows, 1);
	jfree(&doc);
	render_util_free(&r);
}

static void long_run_json_test(void **state)
{
	struct rendered_run r;
	struct jval doc;
	struct flow flows[64];
	int instants, nflows;

	(void)state;
	assert_int_equal(render_util_run(&r, "tests/trace/data/long-affinity.trace",
					 NULL, 0),
			 0);
	check_trace(&r, &doc, &instants, flows, &nflows);
	assert_int_equal(instants, trace_events(&r));
	/* three raises reach the guest: MSIs, eventfds, vIRRs */
	assert_true(nflows >= 3);
	jfree(&doc);
	render_util_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_parser_is_strict_test),
		cmocka_unit_test(tglx_timeline_json_test),
		cmocka_unit_test(long_run_json_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
