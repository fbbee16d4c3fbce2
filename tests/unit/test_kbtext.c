/*
 * test_kbtext.c - the markers of knowledge-base articles: segments in
 * order, well-formed and broken markers, sources out of range, gaps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/kbtext.h"

static void test_segments(void **state)
{
	const char *p = "Patent [[source:2]] fee: [[to-be-confirmed:  the fee  ]].";
	struct kbtext_seg s;
	(void)state;
	assert_true(kbtext_next(&p, &s));
	assert_int_equal(s.kind, KBT_TEXT);
	assert_int_equal(s.n, 7);
	assert_memory_equal(s.s, "Patent ", 7);
	assert_true(kbtext_next(&p, &s));
	assert_int_equal(s.kind, KBT_SOURCE);
	assert_int_equal(s.source, 2);
	assert_true(kbtext_next(&p, &s));
	assert_int_equal(s.kind, KBT_TEXT);
	assert_true(kbtext_next(&p, &s));
	assert_int_equal(s.kind, KBT_TBC);
	assert_int_equal(s.n, strlen("the fee"));
	assert_memory_equal(s.s, "the fee", s.n);
	assert_true(kbtext_next(&p, &s));
	assert_int_equal(s.kind, KBT_TEXT);
	assert_int_equal(s.n, 1);
	assert_false(kbtext_next(&p, &s));
}

static void test_check(void **state)
{
	char why[200];
	(void)state;
	assert_int_equal(kbtext_check("plain text", 0, why, sizeof why), 0);
	assert_int_equal(kbtext_check("a [[source:1]] b [[source: 3]]", 3, why, sizeof why), 0);
	assert_int_equal(kbtext_check("a [[source:4]]", 3, why, sizeof why), -1);
	assert_non_null(strstr(why, "source:4"));
	assert_int_equal(kbtext_check("a [[source:0]]", 3, why, sizeof why), -1);
	assert_int_equal(kbtext_check("a [[source:x]]", 3, why, sizeof why), -1);
	assert_int_equal(kbtext_check("a [[sorce:1]]", 3, why, sizeof why), -1);
	assert_int_equal(kbtext_check("a [[to-be-confirmed:]]", 3, why, sizeof why), -1);
	assert_int_equal(kbtext_check("a [[to-be-confirmed:   ]]", 3, why, sizeof why), -1);
	assert_int_equal(kbtext_check("a [[to-be-confirmed: x", 3, why, sizeof why), -1);
	assert_int_equal(kbtext_check("a [[to-be-confirmed: x [[source:1]]", 3, why, sizeof why), -1);
	assert_int_equal(kbtext_check("a [[", 3, why, sizeof why), -1);
	assert_int_equal(kbtext_check("a ]] b [ c", 0, why, sizeof why), 0);
	assert_int_equal(kbtext_check("[[to-be-confirmed: телефони сафорат]]", 0, why, sizeof why), 0);
}

static void test_gaps(void **state)
{
	(void)state;
	assert_int_equal(kbtext_gaps(""), 0);
	assert_int_equal(kbtext_gaps("[[to-be-confirmed: a]] x [[source:1]] [[to-be-confirmed: b]]"), 2);
	assert_int_equal(kbtext_gaps("[[to-be-confirmed: ]]"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_gaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
