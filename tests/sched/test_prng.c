// SPDX-License-Identifier: MIT
/*
 * The engine's PRNG (xoshiro256** seeded through splitmix64) and world hash
 * (FNV-1a 64). No kernel code is involved; the expected values are the
 * published reference vectors of the algorithms (Vigna's splitmix64.c and
 * xoshiro256starstar.c, and the FNV test suite of Fowler/Noll/Vo), so a
 * replayed seed means the same thing as in any other implementation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sched/sched.h"

#define DRAWS 100000

static void prng_same_seed_same_sequence_test(void **state)
{
	struct irqsim_prng a, b;

	(void)state;
	irqsim_prng_seed(&a, 42);
	irqsim_prng_seed(&b, 42);
	/* Determinism is what makes a saved run replay byte for byte. */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(irqsim_prng_next(&a), irqsim_prng_next(&b));

	irqsim_prng_seed(&a, 7);
	irqsim_prng_seed(&b, 7);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(irqsim_prng_below(&a, 1000),
				 irqsim_prng_below(&b, 1000));
}

static void prng_different_seeds_differ_test(void **state)
{
	struct irqsim_prng a, b;
	int same = 0;

	(void)state;
	irqsim_prng_seed(&a, 1);
	irqsim_prng_seed(&b, 2);
	assert_memory_not_equal(a.s, b.s, sizeof(a.s));
	for (int i = 0; i < 1000; i++)
		same += irqsim_prng_next(&a) == irqsim_prng_next(&b);
	/* Two independent 64-bit streams essentially never agree. */
	assert_int_equal(same, 0);
}

static void prng_seed_splitmix64_reference_test(void **state)
{
	struct irqsim_prng p;

	(void)state;
	/*
	 * splitmix64.c (Vigna), state 0: the first four outputs. The header
	 * says the xoshiro state is seeded through splitmix64, so seed 0 must
	 * give exactly these words.
	 */
	irqsim_prng_seed(&p, 0);
	assert_int_equal(p.s[0], 0xe220a8397b1dcdafULL);
	assert_int_equal(p.s[1], 0x6e789e6aa1b965f4ULL);
	assert_int_equal(p.s[2], 0x06c45d188009454fULL);
	assert_int_equal(p.s[3], 0xf88bb8a8724c81ecULL);
}

static void prng_next_xoshiro256starstar_reference_test(void **state)
{
	struct irqsim_prng p = { .s = { 1, 2, 3, 4 } };

	(void)state;
	/* xoshiro256starstar.c (Vigna) from state {1, 2, 3, 4}. */
	assert_int_equal(irqsim_prng_next(&p), 11520ULL);
	assert_int_equal(irqsim_prng_next(&p), 0ULL);
	assert_int_equal(irqsim_prng_next(&p), 1509978240ULL);
	assert_int_equal(irqsim_prng_next(&p), 1215971899390074240ULL);
}

static void prng_below_stays_in_range_test(void **state)
{
	static const uint32_t ns[] = { 1, 2, 3, 7, 100, 1u << 31,
				       0xffffffffu };
	struct irqsim_prng p;

	(void)state;
	irqsim_prng_seed(&p, 12345);
	for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++)
		for (int i = 0; i < 10000; i++)
			assert_true(irqsim_prng_below(&p, ns[k]) < ns[k]);
	for (int i = 0; i < 100; i++)
		assert_int_equal(irqsim_prng_below(&p, 1), 0);
}

static void prng_below_three_uniform_test(void **state)
{
	struct irqsim_prng p;
	long count[3] = { 0, 0, 0 };
	const long expect = DRAWS / 3;
	const long slack = expect * 2 / 100;	/* 2% of the expected count */

	(void)state;
	irqsim_prng_seed(&p, 2024);
	for (int i = 0; i < DRAWS; i++) {
		uint32_t v = irqsim_prng_below(&p, 3);

		assert_true(v < 3);
		count[v]++;
	}
	/*
	 * Binomial(100000, 1/3) has a standard deviation of about 149, so a
	 * fair chooser lands within 667 of 33333 with overwhelming odds; a
	 * modulo-biased or broken one does not.
	 */
	for (int b = 0; b < 3; b++) {
		assert_true(count[b] >= expect - slack);
		assert_true(count[b] <= expect + slack);
	}
	assert_int_equal(count[0] + count[1] + count[2], DRAWS);
}

static void hash_equal_buffers_equal_test(void **state)
{
	unsigned char a[256], b[256];

	(void)state;
	for (int i = 0; i < 256; i++)
		a[i] = b[i] = (unsigned char)(i * 7 + 3);
	assert_int_equal(irqsim_hash(a, sizeof(a)), irqsim_hash(b, sizeof(b)));
}

static void hash_differing_buffers_differ_test(void **state)
{
	unsigned char a[256], b[256];

	(void)state;
	for (int i = 0; i < 256; i++)
		a[i] = b[i] = (unsigned char)i;
	/* One flipped bit anywhere must change the hash. */
	for (int i = 0; i < 256; i += 17) {
		b[i] ^= 1;
		assert_int_not_equal(irqsim_hash(a, sizeof(a)),
				     irqsim_hash(b, sizeof(b)));
		b[i] ^= 1;
	}
	/* A shorter prefix is a different buffer too. */
	assert_int_not_equal(irqsim_hash(a, sizeof(a)),
			     irqsim_hash(a, sizeof(a) - 1));
}

static void hash_fnv1a_reference_test(void **state)
{
	(void)state;
	/* FNV-1a 64 test vectors (offset basis, "a", "foobar"). */
	assert_int_equal(irqsim_hash("", 0), 0xcbf29ce484222325ULL);
	assert_int_equal(irqsim_hash("a", 1), 0xaf63dc4c8601ec8cULL);
	assert_int_equal(irqsim_hash("foobar", 6), 0x85944171f73967e8ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prng_same_seed_same_sequence_test),
		cmocka_unit_test(prng_different_seeds_differ_test),
		cmocka_unit_test(prng_seed_splitmix64_reference_test),
		cmocka_unit_test(prng_next_xoshiro256starstar_reference_test),
		cmocka_unit_test(prng_below_stays_in_range_test),
		cmocka_unit_test(prng_below_three_uniform_test),
		cmocka_unit_test(hash_equal_buffers_equal_test),
		cmocka_unit_test(hash_differing_buffers_differ_test),
		cmocka_unit_test(hash_fnv1a_reference_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
