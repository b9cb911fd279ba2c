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

static void expect_bytes(const struct irqsim_fpset *fs, bool write,
			 size_t size, size_t lo, size_t hi, const char *what)
{
	for (size_t off = 0; off < size; off++) {
		bool want = false;

		if (off >= lo && off < hi)
			want = true;
		if (irqsim_fp_has(fs, off, write) != want)
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

		if (irqsim_fp_has(&fs, off, true) != want)
			fail_msg("write byte %zu %s", off,
				 want ? "missing" : "spurious");
	}
	/* reads: b and d (the memcpy's source is outside the world) */
	for (size_t off = 0; off < sizeof(w); off++) {
		size_t b = offsetof(struct toy, b), d = offsetof(struct toy, d);
		bool want = (off >= b && off < b + 4) || (off >= d && off < d + 8);

		if (irqsim_fp_has(&fs, off, false) != want)
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
	expect_bytes(&s3, true, sizeof(w), 3, 4, "write a[3]");
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

/*
 * A world of many words: sets stay sorted and sparse, a union merges
 * them, and words that share a signature bit (64 words apart) are told
 * apart by the merge.
 */
struct big {
	uint64_t word[200][8];
};

static struct big bw;

static void sparse_sets_test(void **state)
{
	struct irqsim_fp_space sp;
	struct irqsim_fpset a, b, u;

	(void)state;
	assert_int_equal(irqsim_fp_space_init(&sp, sizeof(bw)), 0);
	assert_int_equal(irqsim_fpset_init(&sp, &a), 0);
	assert_int_equal(irqsim_fpset_init(&sp, &b), 0);
	assert_int_equal(irqsim_fpset_init(&sp, &u), 0);
	/* writes in words 150, 3, 70 (out of order), then 3 again */
	irqsim_fp_begin(&sp, &a, &bw);
	bw.word[150][1] = 1;
	bw.word[3][0] = 2;
	bw.word[70][7] = 3;
	bw.word[3][5] = 4;
	irqsim_fp_end();
	assert_int_equal(a.n, 3);
	assert_true(a.e[0].idx == 3 && a.e[1].idx == 70 && a.e[2].idx == 150);
	assert_int_equal(irqsim_fp_count(&sp, &a, true), 32);
	/* reads in word 134 = 70 + 64: same signature bit, no conflict */
	irqsim_fp_begin(&sp, &b, &bw);
	assert_int_equal(bw.word[134][7], 0);
	irqsim_fp_end();
	assert_false(irqsim_fp_conflict(&sp, &a, &b));
	/* the recorder's scratch is clean: a read of word 3 alone */
	irqsim_fpset_clear(&sp, &b);
	irqsim_fp_begin(&sp, &b, &bw);
	assert_int_equal(bw.word[3][0], 2);
	irqsim_fp_end();
	assert_int_equal(b.n, 1);
	assert_true(irqsim_fp_conflict(&sp, &a, &b));
	assert_true(irqsim_fp_conflict(&sp, &b, &a));
	/* a second recording into a set adds to it */
	irqsim_fp_begin(&sp, &b, &bw);
	bw.word[199][7] = 5;
	irqsim_fp_end();
	assert_int_equal(b.n, 2);
	assert_true(irqsim_fp_has(&b, 199 * 64 + 56, true));
	assert_true(irqsim_fp_has(&b, 3 * 64, false));
	/* union: words 3, 70, 150, 199 with both bits of word 3 */
	irqsim_fpset_add(&sp, &u, &a);
	irqsim_fpset_add(&sp, &u, &b);
	assert_int_equal(u.n, 4);
	assert_true(irqsim_fp_has(&u, 3 * 64, false) &&
		    irqsim_fp_has(&u, 3 * 64, true));
	assert_int_equal(irqsim_fp_count(&sp, &u, true), 40);
	irqsim_fpset_copy(&sp, &a, &u);
	assert_true(irqsim_fpset_equal(&a, &u));
	assert_false(irqsim_fpset_equal(&a, &b));
	irqsim_fpset_free(&a);
	irqsim_fpset_free(&b);
	irqsim_fpset_free(&u);
	irqsim_fp_space_free(&sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(instrumented_build_test),
		cmocka_unit_test(records_exact_bytes_test),
		cmocka_unit_test(conflict_and_ignore_test),
		cmocka_unit_test(sparse_sets_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
