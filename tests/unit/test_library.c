/*
 * test_library.c - the knowledge library's file rules (domain/library.h):
 * the type comes from the first bytes (PDF, PNG, JPEG, DOCX, XLSX, ODT),
 * never from a name; a plain ZIP, a script, an empty file are refused;
 * a file's name loses its folders, odd characters and direction marks,
 * keeps Tajik letters, and ends in its type's extension.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/library.h"

#define SNIFF(lit) library_sniff((const unsigned char *)(lit), sizeof(lit) - 1)

static void test_sniff(void **state)
{
	static const char odt[] = "PK\x03\x04" "\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
				  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00"
				  "mimetypeapplication/vnd.oasis.opendocument.text";
	(void)state;
	assert_string_equal(SNIFF("%PDF-1.7\n")->ext, "pdf");
	assert_string_equal(SNIFF("\x89PNG\r\n\x1a\n\0\0")->ext, "png");
	assert_string_equal(SNIFF("\xff\xd8\xff\xe0\0\x10JFIF")->ext, "jpg");
	assert_string_equal(library_sniff((const unsigned char *)odt, sizeof odt - 1)->ext, "odt");
	assert_string_equal(SNIFF("PK\x03\x04 [Content_Types].xml ............ word/document.xml")->ext,
			    "docx");
	assert_string_equal(SNIFF("PK\x03\x04 [Content_Types].xml ............... xl/workbook.xml")->ext,
			    "xlsx");
	assert_null(SNIFF("PK\x03\x04 a plain archive with a file in it ............."));
	assert_null(SNIFF("#!/bin/sh\nrm -rf /\n"));
	assert_null(SNIFF("<html><script>alert(1)</script>"));
	assert_null(SNIFF("MZ\x90\0"));
	assert_null(library_sniff((const unsigned char *)"", 0));
	assert_null(SNIFF("%PD"));
}

static const struct library_type *pdf(void)
{
	return SNIFF("%PDF-");
}

static void test_name(void **state)
{
	char out[LIBRARY_NAME_MAX + 1];
	char longname[400];
	(void)state;

	library_name_clean("../../etc/passwd", pdf(), out, sizeof out);
	assert_string_equal(out, "passwd.pdf");
	library_name_clean("C:\\Users\\x\\Тартиби ҳимоя.PDF", pdf(), out, sizeof out);
	assert_string_equal(out, "Тартиби ҳимоя.PDF");
	library_name_clean("report.exe", pdf(), out, sizeof out);
	assert_string_equal(out, "report.exe.pdf");
	library_name_clean("a\"b;c\r\nd.pdf", pdf(), out, sizeof out);
	assert_string_equal(out, "a_b_c__d.pdf");
	/* U+202E (right-to-left override) would show "fdp.exe" as "exe.pdf". */
	library_name_clean("invoice\xe2\x80\xae" "fdp.exe", pdf(), out, sizeof out);
	assert_string_equal(out, "invoice_fdp.exe.pdf");
	library_name_clean("...hidden", pdf(), out, sizeof out);
	assert_string_equal(out, "hidden.pdf");
	library_name_clean(NULL, pdf(), out, sizeof out);
	assert_string_equal(out, "document.pdf");
	library_name_clean("\xff\xfe", pdf(), out, sizeof out);
	assert_string_equal(out, "__.pdf");
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	library_name_clean(longname, pdf(), out, sizeof out);
	assert_true(strlen(out) <= LIBRARY_NAME_MAX);
	assert_string_equal(out + strlen(out) - 4, ".pdf");
	/* Two-byte letters are never cut in half. */
	memset(longname, 0, sizeof longname);
	for (size_t i = 0; i + 2 < sizeof longname; i += 2)
		memcpy(longname + i, "ҳ", 2);
	library_name_clean(longname, pdf(), out, sizeof out);
	assert_true(strlen(out) <= LIBRARY_NAME_MAX);
	assert_int_equal((strlen(out) - 4) % 2, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
