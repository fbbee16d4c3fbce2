/*
 * test_util.c - unit tests of src/util: the arena (alignment, zeroing,
 * its hard cap, large blocks, reuse after free), the capped buffer (its
 * never-NULL data, the sticky overflow flag, detach), the JSON writer
 * (commas in nested containers, escaping, U+FFFD for invalid UTF-8,
 * balanced output that jansson parses back) and the strict UTF-8 checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/jsonw.h"
#include "util/rawjson.h"
#include "util/utf8.h"

/* ---- arena ------------------------------------------------------------- */

static void test_arena_alignment(void **state)
{
	size_t sizes[] = {1, 3, 7, 8, 13, 16, 17, 31, 100, 1000, 4097, 9000};
	arena a;
	size_t i;

	(void)state;
	arena_init(&a, 1 << 20);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		void *p = arena_alloc(&a, sizes[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
	}
	arena_free(&a);
}

static void test_arena_zeroed(void **state)
{
	unsigned char *p;
	arena a;
	size_t i, k;

	(void)state;
	arena_init(&a, 1 << 20);
	for (k = 0; k < 50; k++) {
		p = arena_alloc(&a, 300);
		assert_non_null(p);
		for (i = 0; i < 300; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xab, 300); /* dirty it: later blocks must still be zero */
	}
	arena_free(&a);
	/* Reused memory after a free is zeroed as well. */
	p = arena_alloc(&a, 5000);
	assert_non_null(p);
	for (i = 0; i < 5000; i++)
		assert_int_equal(p[i], 0);
	arena_free(&a);
}

static void test_arena_distinct(void **state)
{
	char *p[200];
	arena a;
	int i;

	(void)state;
	arena_init(&a, 1 << 20);
	for (i = 0; i < 200; i++) {
		p[i] = arena_alloc(&a, 40);
		assert_non_null(p[i]);
		memset(p[i], i, 40);
	}
	for (i = 0; i < 200; i++) {
		int j;
		for (j = 0; j < 40; j++)
			assert_int_equal((unsigned char)p[i][j], (unsigned char)i);
	}
	arena_free(&a);
}

static void test_arena_cap(void **state)
{
	arena a;
	int n = 0;

	(void)state;
	arena_init(&a, 64 * 1024);
	/* More than the cap in one go */
	assert_null(arena_alloc(&a, 64 * 1024 + 1));
	assert_null(arena_alloc(&a, 1 << 20));
	/* Small pieces until the cap: never more than the cap taken */
	while (arena_alloc(&a, 100)) {
		n++;
		assert_true(a.total <= a.cap);
		assert_true(n < 100000);
	}
	assert_true(n > 0);
	assert_true(a.total <= a.cap);
	/* Once full it stays full: a piece may still fit in the last block,
	 * but no new block is taken */
	assert_null(arena_alloc(&a, 100));
	while (arena_alloc(&a, 1))
		assert_true(a.total <= a.cap);
	assert_null(arena_alloc(&a, 1));
	assert_null(arena_alloc(&a, 5000));
	assert_true(a.total <= a.cap);
	arena_free(&a);
	assert_int_equal(a.total, 0);
	assert_int_equal(a.cap, 64 * 1024);
}

static void test_arena_huge_sizes(void **state)
{
	arena a;

	(void)state;
	arena_init(&a, 1 << 20);
	/* Sizes whose alignment would wrap around must fail, not succeed small. */
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX - 1));
	assert_null(arena_alloc(&a, SIZE_MAX - 15));
	assert_null(arena_alloc(&a, SIZE_MAX / 2 + 1));
	arena_free(&a);

	arena_init(&a, SIZE_MAX);
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX - 3));
	arena_free(&a);
}

static void test_arena_large(void **state)
{
	unsigned char *small1, *big, *small2;
	arena a;
	size_t i;

	(void)state;
	arena_init(&a, 4 << 20);
	small1 = arena_alloc(&a, 16);
	assert_non_null(small1);
	memset(small1, 1, 16);
	big = arena_alloc(&a, 1 << 20);
	assert_non_null(big);
	memset(big, 2, 1 << 20);
	/* The big one has its own block: a small request still fits in the
	 * first block, right after small1. */
	small2 = arena_alloc(&a, 16);
	assert_non_null(small2);
	assert_ptr_equal(small2, small1 + 16);
	memset(small2, 3, 16);
	for (i = 0; i < 16; i++) {
		assert_int_equal(small1[i], 1);
		assert_int_equal(small2[i], 3);
	}
	for (i = 0; i < (1 << 20); i++)
		assert_int_equal(big[i], 2);
	/* Several big ones, then exactly a block's size, then half of one */
	assert_non_null(arena_alloc(&a, 100000));
	assert_non_null(arena_alloc(&a, 8192));
	assert_non_null(arena_alloc(&a, 4097));
	assert_non_null(arena_alloc(&a, 8193));
	assert_true(a.total <= a.cap);
	arena_free(&a);
}

static void test_arena_zero_size(void **state)
{
	void *p, *q;
	arena a;

	(void)state;
	arena_init(&a, 1 << 20);
	p = arena_alloc(&a, 0);
	q = arena_alloc(&a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	arena_free(&a);
}

static void test_arena_strndup(void **state)
{
	const char *s = "hello, world";
	char *p;
	arena a;

	(void)state;
	arena_init(&a, 1 << 20);
	p = arena_strndup(&a, s, 5);
	assert_non_null(p);
	assert_string_equal(p, "hello");
	p = arena_strndup(&a, s, 0);
	assert_non_null(p);
	assert_string_equal(p, "");
	p = arena_strdup(&a, s);
	assert_non_null(p);
	assert_string_equal(p, s);
	assert_ptr_not_equal(p, s);
	/* Embedded bytes are copied as they are, the NUL goes after n */
	p = arena_strndup(&a, "ab\0cd", 5);
	assert_non_null(p);
	assert_memory_equal(p, "ab\0cd", 6);
	arena_free(&a);

	/* Past the cap, NULL */
	arena_init(&a, 8192);
	{
		char *big = malloc(10000);
		assert_non_null(big);
		memset(big, 'x', 10000);
		assert_null(arena_strndup(&a, big, 10000));
		free(big);
	}
	arena_free(&a);
}

static void test_arena_reuse(void **state)
{
	arena a;
	int round;

	(void)state;
	arena_init(&a, 32 * 1024);
	for (round = 0; round < 5; round++) {
		int n = 0;
		while (arena_alloc(&a, 1000))
			n++;
		assert_true(n >= 16);
		arena_free(&a);
		assert_null(a.head);
		assert_int_equal(a.total, 0);
	}
	/* Freeing an empty arena twice is harmless */
	arena_free(&a);
	arena_free(&a);
}

/* ---- buf --------------------------------------------------------------- */

static void test_buf_init_never_null(void **state)
{
	buf b;

	(void)state;
	buf_init(&b, 100);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_true(buf_ok(&b));
	buf_reset(&b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.cap, 100);
	/* Empty appends keep it empty and valid */
	buf_add(&b, "", 0);
	buf_puts(&b, "");
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_true(buf_ok(&b));
	buf_free(&b);
}

static void test_buf_append(void **state)
{
	buf b;
	int i;

	(void)state;
	buf_init(&b, 1 << 20);
	buf_puts(&b, "abc");
	buf_putc(&b, '-');
	buf_add(&b, "xyz123", 3);
	assert_string_equal(b.data, "abc-xyz");
	assert_int_equal(b.len, 7);
	/* Growth across many reallocations */
	for (i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10007);
	assert_int_equal(strlen(b.data), 10007);
	assert_int_equal(b.data[7], 'a');
	assert_int_equal(b.data[10006], 'a' + 9999 % 26);
	assert_true(buf_ok(&b));
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_puts(&b, "again");
	assert_string_equal(b.data, "again");
	buf_free(&b);
}

static void test_buf_printf(void **state)
{
	buf b;

	(void)state;
	buf_init(&b, 1024);
	buf_printf(&b, "%d-%s-%c", 42, "x", 'y');
	assert_string_equal(b.data, "42-x-y");
	buf_printf(&b, "%s", "");
	assert_string_equal(b.data, "42-x-y");
	buf_printf(&b, "|%05d|%.3s|", 7, "abcdef");
	assert_string_equal(b.data, "42-x-y|00007|abc|");
	assert_int_equal(b.len, strlen(b.data));
	buf_free(&b);

	/* printf into a fresh buffer with an empty result */
	buf_init(&b, 10);
	buf_printf(&b, "%s", "");
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_true(buf_ok(&b));
	buf_free(&b);
}

static void test_buf_overflow(void **state)
{
	buf b;

	(void)state;
	buf_init(&b, 10);
	buf_puts(&b, "12345");
	buf_puts(&b, "6789");
	assert_true(buf_ok(&b));
	assert_string_equal(b.data, "123456789");
	buf_puts(&b, "0");
	assert_true(buf_ok(&b)); /* exactly the cap */
	assert_int_equal(b.len, 10);
	buf_putc(&b, 'x');
	assert_false(buf_ok(&b));
	/* What fitted stays, NUL-terminated, within the cap */
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "1234567890");
	/* The flag is sticky: later small appends change nothing */
	buf_puts(&b, "");
	buf_printf(&b, "%d", 1);
	assert_false(buf_ok(&b));
	assert_string_equal(b.data, "1234567890");
	/* reset clears the flag */
	buf_reset(&b);
	assert_true(buf_ok(&b));
	buf_puts(&b, "ok");
	assert_string_equal(b.data, "ok");
	buf_free(&b);

	/* A single append bigger than the cap */
	buf_init(&b, 4);
	buf_puts(&b, "ab");
	buf_puts(&b, "cdefgh");
	assert_false(buf_ok(&b));
	assert_true(b.len <= 4);
	assert_int_equal(strlen(b.data), b.len);
	assert_memory_equal(b.data, "ab", 2);
	buf_free(&b);

	/* printf past the cap */
	buf_init(&b, 8);
	buf_printf(&b, "%s", "abc");
	buf_printf(&b, "%s", "0123456789");
	assert_false(buf_ok(&b));
	assert_true(b.len <= 8);
	assert_int_equal(strlen(b.data), b.len);
	assert_memory_equal(b.data, "abc", 3);
	buf_free(&b);

	/* A cap of zero: never any byte, data still valid */
	buf_init(&b, 0);
	buf_putc(&b, 'a');
	assert_false(buf_ok(&b));
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void test_buf_detach(void **state)
{
	size_t len = 99;
	char *p;
	buf b;

	(void)state;
	buf_init(&b, 100);
	buf_puts(&b, "hello");
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	/* The buffer is empty and usable again */
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	buf_puts(&b, "more");
	assert_string_equal(b.data, "more");
	assert_string_equal(p, "hello");
	free(p);
	buf_free(&b);

	/* Detaching an empty buffer gives a malloc'd "" */
	buf_init(&b, 100);
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	p = buf_detach(&b, NULL);
	assert_non_null(p);
	free(p);
	buf_free(&b);
}

/* ---- jsonw ------------------------------------------------------------- */

/* Parse out's text with jansson; fails the test when it is not JSON. */
static json_t *parse(const buf *b)
{
	json_error_t e;
	json_t *j = json_loads(b->data, JSON_DECODE_ANY, &e);
	if (!j)
		fail_msg("not JSON (%s at %d): %s", e.text, e.position, b->data);
	return j;
}

static void test_jsonw_nested(void **state)
{
	json_t *j, *a;
	jsonw w;
	buf b;

	(void)state;
	buf_init(&b, 4096);
	jw_init(&w, &b);
	jw_object(&w);
	jw_kstr(&w, "a", "x");
	jw_kint(&w, "n", -12345678901234LL);
	jw_kbool(&w, "t", 1);
	jw_kbool(&w, "f", 0);
	jw_key(&w, "z");
	jw_null(&w);
	jw_key(&w, "list");
	jw_array(&w);
	jw_int(&w, 1);
	jw_str(&w, "two");
	jw_object(&w);
	jw_end(&w);
	jw_array(&w);
	jw_end(&w);
	jw_object(&w);
	jw_kint(&w, "deep", 3);
	jw_key(&w, "deeper");
	jw_array(&w);
	jw_null(&w);
	jw_null(&w);
	jw_end(&w);
	jw_end(&w);
	jw_str(&w, NULL);
	jw_end(&w);
	jw_key(&w, "empty");
	jw_object(&w);
	jw_end(&w);
	jw_end(&w);
	assert_true(buf_ok(&b));
	assert_string_equal(b.data,
			    "{\"a\":\"x\",\"n\":-12345678901234,\"t\":true,\"f\":false,\"z\":null,"
			    "\"list\":[1,\"two\",{},[],{\"deep\":3,\"deeper\":[null,null]},null],"
			    "\"empty\":{}}");
	j = parse(&b);
	assert_int_equal(json_integer_value(json_object_get(j, "n")), -12345678901234LL);
	a = json_object_get(j, "list");
	assert_int_equal(json_array_size(a), 6);
	json_decref(j);
	buf_free(&b);
}

static void test_jsonw_top_level_array(void **state)
{
	jsonw w;
	buf b;
	int i;

	(void)state;
	buf_init(&b, 4096);
	jw_init(&w, &b);
	jw_array(&w);
	for (i = 0; i < 3; i++) {
		jw_object(&w);
		jw_kint(&w, "i", i);
		jw_end(&w);
	}
	jw_end(&w);
	assert_string_equal(b.data, "[{\"i\":0},{\"i\":1},{\"i\":2}]");
	json_decref(parse(&b));
	/* An extra end at top level writes nothing */
	jw_end(&w);
	assert_string_equal(b.data, "[{\"i\":0},{\"i\":1},{\"i\":2}]");
	buf_free(&b);
}

static void test_jsonw_escaping(void **state)
{
	const char *in = "q\"b\\s/n\nr\rt\t\x01\x1f<script>&amp;\x7f";
	json_t *j;
	jsonw w;
	buf b;

	(void)state;
	buf_init(&b, 4096);
	jw_init(&w, &b);
	jw_object(&w);
	jw_kstr(&w, "k\"<>&", in);
	jw_end(&w);
	assert_string_equal(b.data,
			    "{\"k\\\"\\u003c\\u003e\\u0026\":"
			    "\"q\\\"b\\\\s/n\\nr\\rt\\t\\u0001\\u001f\\u003cscript\\u003e"
			    "\\u0026amp;\x7f\"}");
	/* Nothing that could end an HTML script context */
	assert_null(strchr(b.data, '<'));
	assert_null(strchr(b.data, '>'));
	assert_null(strchr(b.data, '&'));
	j = parse(&b);
	assert_string_equal(json_string_value(json_object_get(j, "k\"<>&")), in);
	json_decref(j);
	buf_free(&b);
}

static void test_jsonw_strn_embedded_nul(void **state)
{
	jsonw w;
	buf b;

	(void)state;
	buf_init(&b, 4096);
	jw_init(&w, &b);
	jw_strn(&w, "a\0b", 3);
	assert_string_equal(b.data, "\"a\\u0000b\"");
	buf_free(&b);
}

static void test_jsonw_utf8(void **state)
{
	/* Tajik and Cyrillic pass through unchanged */
	const char *tj = "Раҳимҷон Қодирӣ ӯ ғ ҳ ҷ";
	const char *emoji = "\xf0\x9f\x98\x80";
	json_t *j;
	jsonw w;
	buf b;

	(void)state;
	buf_init(&b, 4096);
	jw_init(&w, &b);
	jw_array(&w);
	jw_str(&w, tj);
	jw_str(&w, emoji);
	jw_end(&w);
	j = parse(&b);
	assert_string_equal(json_string_value(json_array_get(j, 0)), tj);
	assert_string_equal(json_string_value(json_array_get(j, 1)), emoji);
	json_decref(j);
	buf_free(&b);
}

static void test_jsonw_invalid_utf8(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{"a\xff" "b", "\"a\xef\xbf\xbd" "b\""},               /* never valid */
		{"\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""},          /* overlong '/' */
		{"\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""}, /* surrogate */
		{"x\xe2\x82", "\"x\xef\xbf\xbd\xef\xbf\xbd\""},        /* truncated */
		{"\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
		{"\x80", "\"\xef\xbf\xbd\""},                          /* lone continuation */
		{"ok\xd0\xb0\xd0", "\"ok\xd0\xb0\xef\xbf\xbd\""},       /* good, then cut */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *j;
		jsonw w;
		buf b;

		buf_init(&b, 4096);
		jw_init(&w, &b);
		jw_str(&w, cases[i].in);
		assert_string_equal(b.data, cases[i].out);
		assert_true(utf8_valid(b.data, b.len));
		j = parse(&b);
		json_decref(j);
		buf_free(&b);
	}
}

static void test_jsonw_finish(void **state)
{
	json_t *j;
	jsonw w;
	buf b;

	(void)state;
	buf_init(&b, 4096);
	jw_init(&w, &b);
	jw_object(&w);
	jw_key(&w, "a");
	jw_array(&w);
	jw_object(&w);
	jw_kint(&w, "x", 1);
	jw_key(&w, "dangling");
	jw_finish(&w);
	assert_int_equal(w.depth, 0);
	assert_string_equal(b.data, "{\"a\":[{\"x\":1,\"dangling\":null}]}");
	j = parse(&b);
	json_decref(j);
	/* Finishing again adds nothing */
	jw_finish(&w);
	assert_string_equal(b.data, "{\"a\":[{\"x\":1,\"dangling\":null}]}");
	buf_free(&b);
}

static void test_jsonw_depth_limit(void **state)
{
	jsonw w;
	buf b;
	int i;

	(void)state;
	buf_init(&b, 4096);
	jw_init(&w, &b);
	for (i = 0; i < JW_MAX_DEPTH; i++)
		jw_array(&w);
	assert_true(buf_ok(&b));
	jw_array(&w); /* one too deep: refused and flagged */
	assert_false(buf_ok(&b));
	assert_int_equal(w.depth, JW_MAX_DEPTH);
	jw_finish(&w);
	assert_int_equal(w.depth, 0);
	buf_free(&b);
}

static void test_jsonw_raw_and_overflow(void **state)
{
	json_t *j;
	jsonw w;
	buf b;

	(void)state;
	buf_init(&b, 4096);
	jw_init(&w, &b);
	jw_object(&w);
	jw_kint(&w, "a", 1);
	jw_key(&w, "raw");
	jw_raw(&w, "{\"b\":[1,2]}", 11);
	jw_kint(&w, "c", 2);
	jw_end(&w);
	assert_string_equal(b.data, "{\"a\":1,\"raw\":{\"b\":[1,2]},\"c\":2}");
	j = parse(&b);
	json_decref(j);
	buf_free(&b);

	/* A writer on a small buffer flags the overflow, never overruns */
	buf_init(&b, 16);
	jw_init(&w, &b);
	jw_object(&w);
	jw_kstr(&w, "key", "a long value that does not fit");
	jw_finish(&w);
	assert_false(buf_ok(&b));
	assert_true(b.len <= 16);
	assert_int_equal(strlen(b.data), b.len);
	buf_free(&b);
}

/* Stored JSON spliced by jw_raw_json reads as jw_str writes the same
 * string: < > & escaped, the rest as it is (a backslash before them stays
 * its own escape). */
static void test_jsonw_raw_json(void **state)
{
	static const char stored[] = "{\"t\":\"<b>&amp; \\\\<\\\"\",\"n\":[1,\"x>y\"]}";
	const char *s = "<b>&amp; \\<\"";
	jsonw w;
	buf a, b;
	json_t *j;

	(void)state;
	buf_init(&a, 256);
	buf_init(&b, 256);
	jw_init(&w, &a);
	jw_raw_json(&w, stored, strlen(stored));
	jw_finish(&w);
	assert_null(strchr(a.data, '<'));
	assert_null(strchr(a.data, '>'));
	assert_null(strchr(a.data, '&'));
	jw_init(&w, &b);
	jw_object(&w);
	jw_kstr(&w, "t", s);
	jw_key(&w, "n");
	jw_array(&w);
	jw_int(&w, 1);
	jw_str(&w, "x>y");
	jw_end(&w);
	jw_finish(&w);
	assert_string_equal(a.data, b.data);
	j = parse(&a);
	assert_string_equal(json_string_value(json_object_get(j, "t")), s);
	json_decref(j);
	buf_free(&a);
	buf_free(&b);
}

static void test_json_escape_direct(void **state)
{
	buf b;

	(void)state;
	buf_init(&b, 100);
	json_escape(&b, "", 0);
	assert_string_equal(b.data, "\"\"");
	buf_reset(&b);
	json_escape(&b, "abc", 2);
	assert_string_equal(b.data, "\"ab\"");
	buf_free(&b);
}

/* ---- utf8 -------------------------------------------------------------- */

static int valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

static void test_utf8_ascii_and_scripts(void **state)
{
	const char *ru = "Иванов Иван Иванович";
	const char *tj = "Қурбонов Ҷамшед Ӯктамович ғ ҳ ӣ";

	(void)state;
	assert_true(valid(""));
	assert_true(valid("plain ascii 123 ~"));
	assert_true(valid(ru));
	assert_true(valid(tj));
	assert_true(valid("\xf0\x9f\x98\x80"));           /* U+1F600 */
	assert_true(valid("\xf4\x8f\xbf\xbf"));           /* U+10FFFF */
	assert_true(valid("\xef\xbf\xbd"));               /* U+FFFD */
	assert_true(valid("\xed\x9f\xbf"));               /* U+D7FF */
	assert_true(valid("\xee\x80\x80"));               /* U+E000 */
	assert_true(valid("\xc2\x80"));                   /* U+0080 */
	assert_true(valid("\xe0\xa0\x80"));               /* U+0800 */
	assert_true(valid("\xf0\x90\x80\x80"));           /* U+10000 */
	assert_int_equal(utf8_count(ru, strlen(ru)), 20);
	assert_int_equal(utf8_count(tj, strlen(tj)), 31);
	assert_int_equal(utf8_count("abc", 3), 3);
	assert_int_equal(utf8_count("\xf0\x9f\x98\x80", 4), 1);
	assert_int_equal(utf8_count("", 0), 0);
	assert_int_equal(utf8_char_len("a", 1), 1);
	assert_int_equal(utf8_char_len("\xd0\x96", 2), 2);
	assert_int_equal(utf8_char_len("\xe2\x82\xac", 3), 3);
	assert_int_equal(utf8_char_len("\xf0\x9f\x98\x80", 4), 4);
}

static void test_utf8_overlong(void **state)
{
	(void)state;
	assert_false(valid("\xc0\x80"));               /* NUL, overlong */
	assert_false(valid("\xc0\xaf"));               /* '/' */
	assert_false(valid("\xc1\xbf"));
	assert_false(valid("\xe0\x80\xaf"));           /* '/' in 3 */
	assert_false(valid("\xe0\x9f\xbf"));           /* U+07FF in 3 */
	assert_false(valid("\xf0\x80\x80\xaf"));       /* '/' in 4 */
	assert_false(valid("\xf0\x8f\xbf\xbf"));       /* U+FFFF in 4 */
}

static void test_utf8_surrogates(void **state)
{
	(void)state;
	assert_false(valid("\xed\xa0\x80"));           /* U+D800 */
	assert_false(valid("\xed\xad\xbf"));           /* U+DB7F */
	assert_false(valid("\xed\xb0\x80"));           /* U+DC00 */
	assert_false(valid("\xed\xbf\xbf"));           /* U+DFFF */
	assert_false(valid("\xed\xa0\xbd\xed\xb8\x80")); /* CESU-8 pair */
}

static void test_utf8_above_max(void **state)
{
	(void)state;
	assert_false(valid("\xf4\x90\x80\x80"));       /* U+110000 */
	assert_false(valid("\xf5\x80\x80\x80"));
	assert_false(valid("\xf7\xbf\xbf\xbf"));
	assert_false(valid("\xf8\x88\x80\x80\x80"));   /* 5 bytes */
	assert_false(valid("\xfc\x84\x80\x80\x80\x80")); /* 6 bytes */
	assert_false(valid("\xfe"));
	assert_false(valid("\xff"));
}

static void test_utf8_truncated(void **state)
{
	(void)state;
	assert_false(valid("\xd0"));
	assert_false(valid("a\xd0"));
	assert_false(valid("\xe2\x82"));
	assert_false(valid("\xf0\x9f\x98"));
	assert_false(valid("\xf0\x9f"));
	assert_false(valid("\x80"));                   /* lone continuation */
	assert_false(valid("\xd0\x96\x96"));           /* one too many */
	assert_false(valid("\xe2\x28\xa1"));           /* bad second byte */
	assert_false(valid("\xe2\x82\x28"));           /* bad third byte */
	assert_false(valid("\xd0 "));
	/* Lengths cut the string short: the tail is not read */
	assert_false(utf8_valid("\xd0\x96", 1));
	assert_false(utf8_valid("\xe2\x82\xac", 2));
	assert_false(utf8_valid("\xf0\x9f\x98\x80", 3));
	assert_int_equal(utf8_char_len("\xd0\x96", 1), 0);
	assert_int_equal(utf8_char_len("\xe2\x82\xac", 2), 0);
	assert_int_equal(utf8_char_len("\xf0\x9f\x98\x80", 3), 0);
}

static void test_utf8_nul(void **state)
{
	(void)state;
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\0", 1));
	assert_true(utf8_valid("a\0b", 1));
	assert_true(utf8_valid("", 0));
}

static void test_utf8_char_len_empty(void **state)
{
	/* n == 0 must not read s[0]: here there is no byte to read */
	char *p = malloc(1);

	(void)state;
	assert_non_null(p);
	assert_int_equal(utf8_char_len(p + 1, 0), 0);
	free(p);
}

/* ---- rawjson ------------------------------------------------------------ */

static void test_rawjson_members(void **state)
{
	/* What jansson writes for a sealed person: every kind of value. */
	static const char js[] = "{\"given_name\":\"Ф\\\"a\\u0041\",\"aliases\":[\"x\",\"y]\"],"
				 "\"docs\":[{\"n\":1,\"m\":{\"k\":[]}}],\"age\":-1.5e3,"
				 "\"t\":true,\"f\":false,\"z\":null,\"e\":{}}";
	struct rawjson_member m[16];
	const struct rawjson_member *v;
	size_t n;
	json_t *j;

	(void)state;
	assert_int_equal(rawjson_members(js, strlen(js), m, 16, &n), 0);
	assert_int_equal(n, 8);
	v = rawjson_find(m, n, "aliases");
	assert_non_null(v);
	assert_int_equal(v->len, strlen("[\"x\",\"y]\"]"));
	assert_memory_equal(v->value, "[\"x\",\"y]\"]", v->len);
	v = rawjson_find(m, n, "given_name");
	j = json_loadb(v->value, v->len, JSON_DECODE_ANY, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(j), "Ф\"aA");
	json_decref(j);
	assert_memory_equal(rawjson_find(m, n, "age")->value, "-1.5e3", 6);
	assert_memory_equal(rawjson_find(m, n, "z")->value, "null", 4);
	assert_memory_equal(rawjson_find(m, n, "e")->value, "{}", 2);
	assert_null(rawjson_find(m, n, "given"));
	assert_int_equal(rawjson_members("{}", 2, m, 16, &n), 0);
	assert_int_equal(n, 0);
	/* Too many members for the room given. */
	assert_int_equal(rawjson_members(js, strlen(js), m, 7, &n), -1);
}

static void test_rawjson_rejects(void **state)
{
	static const char *const bad[] = {
		"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1}x", "{\"a\":01}",
		"{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":\"x}", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}",
		"{\"a\":tru}", "{\"a\":{\"b\" 1}}", "{\"a\":\"\n\"}", "{\"a\\u0041\":1}", "{a:1}",
		"{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}",
	};
	char deep[200];
	struct rawjson_member m[8];
	size_t n, i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (rawjson_members(bad[i], strlen(bad[i]), m, 8, &n) != -1)
			fail_msg("accepted %s", bad[i]);
	/* Nesting past the bound. */
	memset(deep, '[', sizeof deep);
	memcpy(deep, "{\"a\":", 5);
	assert_int_equal(rawjson_members(deep, sizeof deep, m, 8, &n), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_arena_zeroed),
		cmocka_unit_test(test_arena_distinct),
		cmocka_unit_test(test_arena_cap),
		cmocka_unit_test(test_arena_huge_sizes),
		cmocka_unit_test(test_arena_large),
		cmocka_unit_test(test_arena_zero_size),
		cmocka_unit_test(test_arena_strndup),
		cmocka_unit_test(test_arena_reuse),
		cmocka_unit_test(test_buf_init_never_null),
		cmocka_unit_test(test_buf_append),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_overflow),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_jsonw_nested),
		cmocka_unit_test(test_jsonw_top_level_array),
		cmocka_unit_test(test_jsonw_escaping),
		cmocka_unit_test(test_jsonw_strn_embedded_nul),
		cmocka_unit_test(test_jsonw_utf8),
		cmocka_unit_test(test_jsonw_invalid_utf8),
		cmocka_unit_test(test_jsonw_finish),
		cmocka_unit_test(test_jsonw_depth_limit),
		cmocka_unit_test(test_jsonw_raw_and_overflow),
		cmocka_unit_test(test_jsonw_raw_json),
		cmocka_unit_test(test_json_escape_direct),
		cmocka_unit_test(test_rawjson_members),
		cmocka_unit_test(test_rawjson_rejects),
		cmocka_unit_test(test_utf8_ascii_and_scripts),
		cmocka_unit_test(test_utf8_overlong),
		cmocka_unit_test(test_utf8_surrogates),
		cmocka_unit_test(test_utf8_above_max),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_utf8_nul),
		cmocka_unit_test(test_utf8_char_len_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
