/*
 * test_sheet.c - unit tests of src/util/sheet: which text cells count as
 * formulas (= + - @ TAB CR and their full-width and small forms, behind
 * leading spaces too), the CSV quoting and quote prefix, numbers written
 * unprefixed, titled blocks, invalid UTF-8; and the XLSX bytes: a zip
 * (PK) whose worksheet XML, inflated here with zlib, holds every injected
 * text as a string cell and no formula element, with its temporary file
 * gone after sheet_finish() and after sheet_free() alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "util/buf.h"
#include "util/sheet.h"

static const char *const injections[] = {
	"=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1",
	"\xEF\xBC\x9D" "1+1",       /* U+FF1D FULLWIDTH EQUALS SIGN */
	"\xEF\xBC\x8B" "1",         /* U+FF0B FULLWIDTH PLUS SIGN */
	"\xEF\xBC\x8D" "1",         /* U+FF0D FULLWIDTH HYPHEN-MINUS */
	"\xEF\xBC\xA0" "SUM(1)",    /* U+FF20 FULLWIDTH COMMERCIAL AT */
	"\xEF\xB9\xA6" "1",         /* U+FE66 SMALL EQUALS SIGN */
	"\xE2\x88\x92" "1",         /* U+2212 MINUS SIGN */
	"  =1+1", "\xC2\xA0" "=1",  /* behind spaces and a no-break space */
};

/* ---- the formula test --------------------------------------------------- */

static void test_risky(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof injections / sizeof injections[0]; i++)
		assert_true(sheet_text_is_risky(injections[i]));
	assert_false(sheet_text_is_risky(NULL));
	assert_false(sheet_text_is_risky(""));
	assert_false(sheet_text_is_risky("   "));
	assert_false(sheet_text_is_risky("Dushanbe"));
	assert_false(sheet_text_is_risky("1-2"));
	assert_false(sheet_text_is_risky("a=b"));
	assert_false(sheet_text_is_risky("'=already"));
	assert_false(sheet_text_is_risky("\xD0\x94\xD1\x83\xD1\x88\xD0\xB0\xD0\xBD\xD0\xB1\xD0\xB5")); /* Душанбе */
	assert_false(sheet_text_is_risky("\xEF\xBC\xA1")); /* U+FF21 FULLWIDTH A */
}

/* ---- CSV ----------------------------------------------------------------- */

static char *csv_of(void (*fill)(struct sheet *))
{
	struct sheet *sh = sheet_new(SHEET_CSV, NULL);
	buf out;

	assert_non_null(sh);
	buf_init(&out, 1 << 20);
	fill(sh);
	assert_int_equal(sheet_finish(sh, &out), 0);
	sheet_free(sh);
	return buf_detach(&out, NULL);
}

static void fill_quoting(struct sheet *sh)
{
	sheet_text(sh, "plain");
	sheet_text(sh, "a,b");
	sheet_text(sh, "say \"hi\"");
	sheet_text(sh, "two\nlines");
	sheet_text(sh, NULL);
	sheet_text(sh, "");
	sheet_int(sh, -99);
	sheet_num(sh, 2.5);
	sheet_row_end(sh);
	sheet_text(sh, "=1+1");
	sheet_text(sh, "+1,2");
	sheet_text(sh, "\r=x");
	sheet_text(sh, "@SUM(1)");
	sheet_text(sh, "-5");
	sheet_text(sh, "\xEF\xBC\x9D" "1");
	sheet_row_end(sh);
	sheet_int(sh, 0);
	sheet_int(sh, LLONG_MIN);
	sheet_int(sh, LLONG_MAX);
	sheet_num(sh, NAN);
	sheet_row_end(sh);
}

static void test_csv_quoting(void **state)
{
	char *s;

	(void)state;
	s = csv_of(fill_quoting);
	assert_string_equal(s,
		"plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,,-99,2.5\r\n"
		"'=1+1,\"'+1,2\",\"'\r=x\",'@SUM(1),'-5,'\xEF\xBC\x9D" "1\r\n"
		"0,-9223372036854775808,9223372036854775807,\r\n");
	free(s);
}

static void fill_every_injection(struct sheet *sh)
{
	size_t i;

	for (i = 0; i < sizeof injections / sizeof injections[0]; i++) {
		sheet_text(sh, injections[i]);
		sheet_row_end(sh);
	}
}

/* Every injected text comes out with a quote before its first character
 * (inside the CSV quotes when it needed quoting). */
static void test_csv_every_injection(void **state)
{
	char *s, *line, *nl;
	size_t i = 0;

	(void)state;
	s = csv_of(fill_every_injection);
	/* Split on the row ends; the CR of "\r=1" is inside quotes. */
	for (line = s; *line; line = nl + 1, i++) {
		const char *cell = line[0] == '"' ? line + 1 : line;
		nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_int_equal(cell[0], '\'');
	}
	assert_int_equal(i, sizeof injections / sizeof injections[0]);
	free(s);
}

static void fill_tabs(struct sheet *sh)
{
	assert_int_equal(sheet_tab(sh, "Persons"), 0);
	sheet_text(sh, "sex");
	sheet_int(sh, 12);
	sheet_row_end(sh);
	assert_int_equal(sheet_tab(sh, "=evil title"), 0);
	sheet_text(sh, "x");
	sheet_row_end(sh);
}

static void test_csv_tabs(void **state)
{
	char *s;

	(void)state;
	s = csv_of(fill_tabs);
	assert_string_equal(s, "Persons\r\nsex,12\r\n\r\n'=evil title\r\nx\r\n");
	free(s);
}

static void fill_invalid_utf8(struct sheet *sh)
{
	sheet_text(sh, "a\xFF" "b\xC0\xAF");
	sheet_row_end(sh);
}

static void test_csv_invalid_utf8(void **state)
{
	char *s;

	(void)state;
	s = csv_of(fill_invalid_utf8);
	assert_string_equal(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD\r\n");
	free(s);
}

static void test_csv_finish_once(void **state)
{
	struct sheet *sh = sheet_new(SHEET_CSV, NULL);
	buf out;

	(void)state;
	buf_init(&out, 16);
	sheet_text(sh, "this row is longer than sixteen bytes");
	sheet_row_end(sh);
	assert_int_equal(sheet_finish(sh, &out), -1);   /* out's cap */
	assert_int_equal(sheet_finish(sh, &out), -1);   /* only once */
	sheet_free(sh);
	buf_free(&out);
}

/* ---- XLSX: a small zip reader over the central directory ---------------- */

static uint32_t rd16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const unsigned char *p) { return rd16(p) | rd16(p + 2) << 16; }

/* The inflated bytes of the zip entry `name` (NUL-terminated, caller
 * frees), or NULL when there is none. */
static char *zip_entry(const unsigned char *z, size_t n, const char *name)
{
	size_t eocd, off, i, count;

	assert_true(n > 22);
	for (eocd = n - 22;; eocd--) {
		if (rd32(z + eocd) == 0x06054b50)
			break;
		assert_true(eocd > 0);
	}
	count = rd16(z + eocd + 10);
	off = rd32(z + eocd + 16);
	for (i = 0; i < count; i++) {
		uint32_t method, csize, usize, nlen, elen, clen, loff;

		assert_true(off + 46 <= n);
		assert_int_equal(rd32(z + off), 0x02014b50);
		method = rd16(z + off + 10);
		csize = rd32(z + off + 20);
		usize = rd32(z + off + 24);
		nlen = rd16(z + off + 28);
		elen = rd16(z + off + 30);
		clen = rd16(z + off + 32);
		loff = rd32(z + off + 42);
		if (nlen == strlen(name) && memcmp(z + off + 46, name, nlen) == 0) {
			const unsigned char *lh = z + loff;
			const unsigned char *data = lh + 30 + rd16(lh + 26) + rd16(lh + 28);
			char *outp = malloc((size_t)usize + 1);
			z_stream zs;

			assert_non_null(outp);
			assert_true(data + csize <= z + n);
			if (method == 0) {
				memcpy(outp, data, usize);
			} else {
				assert_int_equal(method, 8);
				memset(&zs, 0, sizeof zs);
				assert_int_equal(inflateInit2(&zs, -15), Z_OK);
				zs.next_in = (unsigned char *)data;
				zs.avail_in = csize;
				zs.next_out = (unsigned char *)outp;
				zs.avail_out = usize;
				assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
				assert_int_equal(zs.total_out, usize);
				inflateEnd(&zs);
			}
			outp[usize] = '\0';
			return outp;
		}
		off += 46 + nlen + elen + clen;
	}
	return NULL;
}

static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_xlsx(void **state)
{
	char tmpl[] = "/tmp/himoya-test-sheet-XXXXXX";
	char *dir = mkdtemp(tmpl);
	struct sheet *sh;
	char *xml, *wbxml;
	size_t i;
	buf out;

	(void)state;
	assert_non_null(dir);
	sh = sheet_new(SHEET_XLSX, dir);
	assert_non_null(sh);
	assert_int_equal(dir_entries(dir), 1);   /* the workbook's file */
	assert_int_equal(sheet_tab(sh, "cases/2025: [all]"), 0);
	sheet_text(sh, "name");
	sheet_text(sh, "code");
	sheet_row_end(sh);
	for (i = 0; i < sizeof injections / sizeof injections[0]; i++) {
		sheet_text(sh, injections[i]);
		sheet_int(sh, -99);
		sheet_num(sh, 0.25);
		sheet_text(sh, "ctl\x01" "x\xFF");
		sheet_row_end(sh);
	}
	assert_int_equal(sheet_tab(sh, "cases/2025: [all]"), 0);  /* same name again */
	sheet_text(sh, "second");
	sheet_row_end(sh);
	buf_init(&out, 1 << 24);
	assert_int_equal(sheet_finish(sh, &out), 0);
	sheet_free(sh);
	assert_int_equal(dir_entries(dir), 0);   /* temporary file removed */

	assert_true(out.len > 4);
	assert_memory_equal(out.data, "PK", 2);
	xml = zip_entry((unsigned char *)out.data, out.len, "xl/worksheets/sheet1.xml");
	assert_non_null(xml);
	assert_null(strstr(xml, "<f>"));
	assert_null(strstr(xml, "<f "));
	assert_non_null(strstr(xml, "=HYPERLINK("));
	assert_non_null(strstr(xml, "+cmd|' /C calc'!A0"));
	assert_non_null(strstr(xml, "@SUM(1)"));
	assert_non_null(strstr(xml, "<v>-99</v>"));
	assert_non_null(strstr(xml, "<v>0.25</v>"));
	assert_null(strstr(xml, "\x01"));           /* no control character in XML */
	assert_non_null(strstr(xml, "ctl\xEF\xBF\xBDx\xEF\xBF\xBD"));
	/* Every injected text sits in a string cell. */
	for (i = 0; i < 4; i++) {
		const char *t = strstr(xml, i == 0 ? "=HYPERLINK(" : i == 1 ? "+cmd|" :
					    i == 2 ? "@SUM(1)" : "-2+3");
		const char *c;

		assert_non_null(t);
		for (c = t; c > xml && strncmp(c, "<c ", 3); c--)
			;
		assert_true(strncmp(c, "<c ", 3) == 0);
		assert_true(memmem(c, (size_t)(t - c), "t=\"inlineStr\"", 13) != NULL ||
			    memmem(c, (size_t)(t - c), "t=\"s\"", 5) != NULL);
	}
	free(xml);
	wbxml = zip_entry((unsigned char *)out.data, out.len, "xl/workbook.xml");
	assert_non_null(wbxml);
	assert_non_null(strstr(wbxml, "name=\"cases_2025_ _all_\""));
	assert_non_null(strstr(wbxml, "name=\"cases_2025_ _all_ (2)\""));
	free(wbxml);
	xml = zip_entry((unsigned char *)out.data, out.len, "xl/worksheets/sheet2.xml");
	assert_non_null(xml);
	assert_non_null(strstr(xml, "second"));
	free(xml);
	buf_free(&out);
	rmdir(dir);
}

static void test_xlsx_free_without_finish(void **state)
{
	char tmpl[] = "/tmp/himoya-test-sheet-XXXXXX";
	char *dir = mkdtemp(tmpl);
	struct sheet *sh;

	(void)state;
	assert_non_null(dir);
	sh = sheet_new(SHEET_XLSX, dir);
	assert_non_null(sh);
	sheet_text(sh, "abandoned");
	sheet_row_end(sh);
	sheet_free(sh);
	assert_int_equal(dir_entries(dir), 0);
	rmdir(dir);
	assert_null(sheet_new(SHEET_XLSX, "/nonexistent-dir-for-himoya"));
}

static void test_xlsx_empty_and_long(void **state)
{
	struct sheet *sh = sheet_new(SHEET_XLSX, NULL);
	char *big = malloc(40000 + 1), *xml;
	buf out;

	(void)state;
	assert_non_null(sh);
	assert_non_null(big);
	memset(big, 'a', 40000);
	big[40000] = '\0';
	sheet_text(sh, big);          /* cut to 32767 characters */
	sheet_row_end(sh);
	buf_init(&out, 1 << 24);
	assert_int_equal(sheet_finish(sh, &out), 0);
	sheet_free(sh);
	xml = zip_entry((unsigned char *)out.data, out.len, "xl/worksheets/sheet1.xml");
	assert_non_null(xml);
	big[32767] = '\0';
	assert_non_null(strstr(xml, big));
	big[32767] = 'a';
	big[32768] = '\0';
	assert_null(strstr(xml, big));
	free(xml);
	free(big);
	buf_free(&out);

	/* A workbook without a cell still has its one sheet. */
	sh = sheet_new(SHEET_XLSX, NULL);
	buf_init(&out, 1 << 24);
	assert_int_equal(sheet_finish(sh, &out), 0);
	sheet_free(sh);
	xml = zip_entry((unsigned char *)out.data, out.len, "xl/worksheets/sheet1.xml");
	assert_non_null(xml);
	free(xml);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_risky),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_every_injection),
		cmocka_unit_test(test_csv_tabs),
		cmocka_unit_test(test_csv_invalid_utf8),
		cmocka_unit_test(test_csv_finish_once),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_xlsx_free_without_finish),
		cmocka_unit_test(test_xlsx_empty_and_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
