// SPDX-License-Identifier: MIT
/*
 * One name for a device: the model's prose numbers devices ("dev0 raises
 * vector 0"), the trace names them ("device nic0 ..."), and the timeline
 * and the changelog, whose columns carry the trace's names, print the
 * trace's names in the events too. The text form keeps the model's
 * fields (dev=0) as the tracepoints print them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>

#include <cmocka.h>

#include "render_util.h"

/* A word "devN" in @s (not "pci_dev0", not "dev=0"); NULL if none. */
static const char *dev_word(const char *s)
{
	for (const char *p = strstr(s, "dev"); p; p = strstr(p + 1, "dev")) {
		bool start = p == s || !(p[-1] == '_' ||
					 (p[-1] >= 'a' && p[-1] <= 'z') ||
					 (p[-1] >= '0' && p[-1] <= '9'));

		if (start && p[3] >= '0' && p[3] <= '9')
			return p;
	}
	return NULL;
}

static void no_numbered_device_in_any_timeline_test(void **state)
{
	struct dirent *d;
	DIR *dir;
	int renders = 0;

	(void)state;
	dir = opendir(IRQSIM_SOURCE_DIR "/traces");
	assert_non_null(dir);
	while ((d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		char path[512];

		if (n < 7 || strcmp(d->d_name + n - 6, ".trace"))
			continue;
		snprintf(path, sizeof(path), "traces/%s", d->d_name);
		for (long long seed = -1; seed <= 0; seed++) {
			static const int formats[] = { TRACE_TIMELINE,
						       TRACE_CHANGELOG };
			struct rendered_run r;

			assert_int_equal(render_util_run(&r, path, NULL, seed),
					 0);
			for (int f = 0; f < 2; f++) {
				char *out = render_util_render(&r, formats[f],
							       NULL);
				const char *w;

				assert_non_null(out);
				w = dev_word(out);
				if (w)
					fail_msg("%s seed %lld, %s: '%.30s'",
						 path, seed,
						 trace_format_name(formats[f]),
						 w);
				free(out);
				renders++;
			}
			render_util_free(&r);
		}
	}
	closedir(dir);
	assert_true(renders > 80);
}

static void each_device_by_its_name_test(void **state)
{
	struct rendered_run r;
	char *timeline, *text;

	(void)state;
	/* seed 3: nic0 loses its interrupt, nic1 raises its own */
	assert_int_equal(render_util_run(&r,
					  "traces/two-devices-one-loses.trace",
					  NULL, 3), 0);
	r.run.width = 200;	/* whole lines, no wrapping */
	timeline = render_util_render(&r, TRACE_TIMELINE, NULL);
	text = render_util_render(&r, TRACE_TEXT, NULL);
	assert_non_null(timeline);
	assert_non_null(text);
	/* devices 0 and 1 are nic0 and nic1, each its own */
	assert_non_null(strstr(timeline, "nic0 raises vector 0"));
	assert_non_null(strstr(timeline, "nic1 raises vector 0"));
	assert_non_null(strstr(timeline, "guest nic0 msix[0]"));
	/* the verdict's words too */
	assert_non_null(strstr(timeline, "nic0 vector 0: the event raised"));
	/* text keeps the tracepoints' fields */
	assert_non_null(strstr(text, "pci_dev_raise: dev=1 vector=0"));
	assert_non_null(dev_word("x dev0 y"));
	assert_null(dev_word("pci_dev0 dev=0 ndev1"));
	free(timeline);
	free(text);
	render_util_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_numbered_device_in_any_timeline_test),
		cmocka_unit_test(each_device_by_its_name_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
