// SPDX-License-Identifier: MIT
/*
 * Footprint recording in the instrumented twin (sched/footprint.h): this
 * file is compiled with the twin's instrumentation, so the accesses of
 * touch() below are recorded the way the model's are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sched/footprint.h"

struct toy {
	uint8_t a[8];
	uint32_t b;
	uint8_t c[16];
	uint64_t d;
};

static uint8_t outside[4] = { 1, 2, 3, 4 };

static __attribute__((noinline)) uint32_t touch(struct toy *w, int i)
{
	w->a[i] = 7;				/* write a[i] */
	memcpy(w->c, outside, sizeof(outside));	/* write c[0..3] */
	outside[0] = (uint8_t)w->d;		/* read d; outside: ignored */
	return w->b;				/* read b */
}

static bool bit(const uint64_t *bm, size_t off)
{
	return bm[off / 64] >> (off % 64) & 1;
}

static void expect_bytes(const uint64_t *bm, size_t size, size_t lo,
			 size_t hi, const char *what)
{
	for (size_t off = 0; off < size; off++) {
		bool want = false;

		if (off >= lo && off < hi)
			want = true;
		if (bit(bm, off) != want)
			fail_msg("%s: byte %zu %s", what, off,
				 want ? "missing" : "spurious");
	}
}

static void instrumented_build_test(void **state)
{
	(void)state;
	assert_true(irqsim_fp_available());
}

static void records_exact_bytes_test(void **state)
{
	struct irqsim_fp_space sp;
	struct irqsim_fpset fs;
	struct toy w = { .b = 42, .d = 9 };

	(void)state;
	assert_int_equal(irqsim_fp_space_init(&sp, sizeof(w)), 0);
	assert_int_equal(irqsim_fpset_init(&sp, &fs), 0);
	irqsim_fp_begin(&sp, &fs, &w);
	assert_int_equal(touch(&w, 3), 42);
	irqsim_fp_end();
	/* writes: a[3] and c[0..3]; nothing else */
	for (size_t off = 0; off < sizeof(w); off++) {
		size_t c = offsetof(struct toy, c);
		bool want = off == 3 || (off >= c && off < c + 4);

		if (bit(fs.w, off) != want)
			fail_msg("write byte %zu %s", off,
				 want ? "missing" : "spurious");
	}
	/* reads: b and d (the memcpy's source is outside the world) */
	for (size_t off = 0; off < sizeof(w); off++) {
		size_t b = offsetof(struct toy, b), d = offsetof(struct toy, d);
		bool want = (off >= b && off < b + 4) || (off >= d && off < d + 8);

		if (bit(fs.r, off) != want)
			fail_msg("read byte %zu %s", off,
				 want ? "missing" : "spurious");
	}
	assert_int_equal(outside[0], 9);
	/* nothing is recorded once the recorder stopped */
	irqsim_fpset_clear(&sp, &fs);
	touch(&w, 4);
	assert_int_equal(irqsim_fp_count(&sp, &fs, true), 0);
	assert_int_equal(irqsim_fp_count(&sp, &fs, false), 0);
	irqsim_fpset_free(&fs);
	irqsim_fp_space_free(&sp);
}

static void conflict_and_ignore_test(void **state)
{
	struct irqsim_fp_space sp;
	struct irqsim_fpset s3, s4, r;
	struct toy w = { 0 };
	uint32_t sink = 0;

	(void)state;
	assert_int_equal(irqsim_fp_space_init(&sp, sizeof(w)), 0);
	assert_int_equal(irqsim_fpset_init(&sp, &s3), 0);
	assert_int_equal(irqsim_fpset_init(&sp, &s4), 0);
	assert_int_equal(irqsim_fpset_init(&sp, &r), 0);
	irqsim_fp_begin(&sp, &s3, &w);
	w.a[3] = 1;
	irqsim_fp_end();
	irqsim_fp_begin(&sp, &s4, &w);
	w.a[4] = 1;
	irqsim_fp_end();
	irqsim_fp_begin(&sp, &r, &w);
	sink += w.a[3];
	irqsim_fp_end();
	expect_bytes(s3.w, sizeof(w), 3, 4, "write a[3]");
	/* write/write on different bytes of one word: independent */
	assert_false(irqsim_fp_conflict(&sp, &s3, &s4));
	/* write/read of one byte: dependent, both ways */
	assert_true(irqsim_fp_conflict(&sp, &s3, &r));
	assert_true(irqsim_fp_conflict(&sp, &r, &s3));
	/* read/read: independent */
	assert_false(irqsim_fp_conflict(&sp, &r, &r));
	/* an ignored byte is no dependency */
	irqsim_fp_ignore_range(&sp, 3, 1);
	irqsim_fpset_clear(&sp, &s3);
	irqsim_fp_begin(&sp, &s3, &w);
	w.a[3] = 2;
	irqsim_fp_end();
	assert_int_equal(irqsim_fp_count(&sp, &s3, true), 0);
	assert_false(irqsim_fp_conflict(&sp, &s3, &r));
	assert_int_equal(sink, 1);
	irqsim_fpset_free(&s3);
	irqsim_fpset_free(&s4);
	irqsim_fpset_free(&r);
	irqsim_fp_space_free(&sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(instrumented_build_test),
		cmocka_unit_test(records_exact_bytes_test),
		cmocka_unit_test(conflict_and_ignore_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
