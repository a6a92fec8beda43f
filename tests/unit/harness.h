/* SPDX-License-Identifier: MIT */
/*
 * Minimal unit-test harness: TEST(name) { ... } registers a test; CHECK*
 * record failures without stopping. main() is in harness.c and prints one
 * "PASS name" / "FAIL name" line per test and "N passed, N failed".
 */
#ifndef PPCVM_TEST_HARNESS_H
#define PPCVM_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void harness_register(struct unit_test *t);
extern int harness_failures;

#define TEST(name)                                                      \
	static void test_##name(void);                                  \
	static struct unit_test reg_##name = { #name, test_##name, 0 }; \
	__attribute__((constructor)) static void reg_fn_##name(void)    \
	{                                                               \
		harness_register(&reg_##name);                          \
	}                                                               \
	static void test_##name(void)

#define CHECK(cond)                                                                       \
	do {                                                                              \
		if (!(cond)) {                                                            \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			harness_failures++;                                               \
		}                                                                         \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);               \
		if (a_ != b_) {                                                \
			printf("  %s:%d: %s == 0x%" PRIx64 ", expected %s == " \
			       "0x%" PRIx64 "\n",                              \
			       __FILE__, __LINE__, #a, a_, #b, b_);            \
			harness_failures++;                                    \
		}                                                              \
	} while (0)

#endif
