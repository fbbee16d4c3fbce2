/*
 * test_import.c - unit tests of src/util/csv (the one CSV reader: BOM,
 * comma or semicolon, CRLF, quoted separators and line breaks, the line
 * of each row, every malformation refused) and src/domain/import (the
 * toolkit's columns by name, dates, code values through the schema's
 * lists and the export's own spellings, consent, a whole row).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codelists.h"
#include "domain/import.h"
#include "fields.h"
#include "util/csv.h"

static char path[64];

/* Write bytes to a temporary file and open it. */
static void csv_of(struct csv *c, const char *bytes, size_t n, char sep, size_t max_row)
{
	int fd;
	snprintf(path, sizeof path, "/tmp/himoya-test-csv-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, n), (ssize_t)n);
	close(fd);
	assert_int_equal(csv_open(c, path, sep, max_row), 0);
}

static void csv_done(struct csv *c)
{
	csv_close(c);
	unlink(path);
}

static void test_csv_excel_ru(void **state)
{
	static const char f[] = "\xef\xbb\xbf" "a;b;c\r\n"
				"1;\"x; y\";\"line one\r\nline two\"\r\n"
				"\r\n"
				" 2 ;\"say \"\"hi\"\"\";\r\n";
	struct csv c;

	(void)state;
	csv_of(&c, f, sizeof f - 1, 0, 0);
	assert_int_equal(c.sep, ';');
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.nfields, 3);
	assert_string_equal(c.field[0], "a");   /* the BOM is not part of the first name */
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.line, 2);
	assert_string_equal(c.field[1], "x; y");
	assert_string_equal(c.field[2], "line one\nline two");
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.line, 5);            /* after a quoted break and a blank line */
	assert_string_equal(c.field[0], "2");
	assert_string_equal(c.field[1], "say \"hi\"");
	assert_string_equal(c.field[2], "");
	assert_int_equal(csv_next(&c), 0);
	csv_done(&c);
}

static void test_csv_comma_default(void **state)
{
	static const char f[] = "a,b\n\"1;2\",3\n";
	struct csv c;

	(void)state;
	csv_of(&c, f, sizeof f - 1, 0, 0);
	assert_int_equal(c.sep, ',');
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(csv_next(&c), 1);
	assert_string_equal(c.field[0], "1;2");
	csv_done(&c);
}

static void test_csv_refusals(void **state)
{
	static const struct { const char *text, *why; size_t max; } bad[] = {
		{"a,b\n1,\"open\n", ":2: a quoted field is not closed", 0},
		{"a,b\n1,x\"y\n", ":2: a quote inside an unquoted field", 0},
		{"a,b\n1,\"x\"y\n", ":2: text after a closing quote", 0},
		{"a,b\n1,\xff\n", ":2: not valid UTF-8", 0},
		{"a,b\n1,0123456789012345678901234567890123456789\n", ":2: a row longer than 32 bytes", 32},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct csv c;
		csv_of(&c, bad[i].text, strlen(bad[i].text), ',', bad[i].max);
		assert_int_equal(csv_next(&c), 1);
		assert_int_equal(csv_next(&c), -1);
		assert_non_null(strstr(c.err, bad[i].why));
		csv_done(&c);
	}
}

static void test_every_toolkit_column_is_known(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; htcds_toolkit_columns[i]; i++)
		assert_non_null(import_column_find(htcds_toolkit_columns[i]));
	/* the toolkit's own typo, and any case */
	assert_int_equal(import_column_find("vic_TraffickinStatusDecisionMakingOrg")->target,
			 IT_DECIDER);
	assert_int_equal(import_column_find("PRS_FIRSTNAME")->target, IT_PERSON);
	assert_null(import_column_find("prs_Nickname"));
}

/* The table agrees with the schema: a column that names a declared field
 * is that field's HTCDS name (what the export writes it under), and every
 * coded field the export writes under a toolkit or fields-list name is a
 * column of the table, so the export's columns come back in. */
static void test_columns_follow_the_schema(void **state)
{
	const struct resource_schema *const rs[] = {&person_schema, &case_schema};
	const struct import_column *c;
	size_t k, i;

	(void)state;
	for (c = import_columns; c->name; c++) {
		const struct field *f;
		if (c->target != IT_PERSON && c->target != IT_CASE)
			continue;
		f = schema_field(c->target == IT_PERSON ? &person_schema : &case_schema, c->field);
		assert_non_null(f);
		if (f->htcds)
			assert_string_equal(f->htcds, c->name);
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < rs[k]->n; i++) {
			const struct field *f = &rs[k]->fields[i];
			if (!f->htcds || !strncmp(f->htcds, "hmy_", 4) || f->type == FT_ID ||
			    f->type == FT_OBJECT_LIST || f->readonly)
				continue;
			c = import_column_find(f->htcds);
			assert_non_null(c);
			assert_string_equal(c->field, f->name);
		}
}

static void test_header(void **state)
{
	const char *ok[] = {"Notes", "prs_firstname", "vic_TraffickinStatusDecisionMakingOrg"};
	const char *twice[] = {"prs_FirstName", "vic_TraffickinStatusDecisionMakingOrg",
			       "vic_TraffickingStatusDecisionMakingOrg"};
	const char *nameless[] = {"prs_Gender"};
	struct import_header h;
	char err[200];

	(void)state;
	assert_int_equal(import_header_read(&h, ok, 3, err, sizeof err), 0);
	assert_null(h.col[0]);
	assert_int_equal(h.known, 2);
	assert_int_equal(import_header_read(&h, twice, 3, err, sizeof err), -1);
	assert_non_null(strstr(err, "given twice"));
	assert_int_equal(import_header_read(&h, nameless, 1, err, sizeof err), -1);
}

static void test_dates(void **state)
{
	static const struct { const char *in, *out; } good[] = {
		{"1990-03-04", "1990-03-04"}, {"04.03.1990", "1990-03-04"}, {"4.3.1990", "1990-03-04"},
		{"04/03/1990", "1990-03-04"}, {"3/4/1990", "1990-04-03"}, {"04.03.1990 0:00", "1990-03-04"},
		{"29.02.2000", "2000-02-29"},
	};
	static const char *const bad[] = {"04/13/1990", "1990-02-30", "29.02.1999", "March 4, 1990",
					  "4.3.90", "1990/03/04", "", "04.03.1990 noon", "1e3.1.1990"};
	const char *why;
	char out[11];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(import_date(good[i].in, out, &why), 0);
		assert_string_equal(out, good[i].out);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(import_date(bad[i], out, &why), -1);
	import_date("04/13/1990", out, &why);
	assert_non_null(strstr(why, "day first"));
}

static void test_codes(void **state)
{
	const struct field *sector = schema_field(&case_schema, "labour_sector");
	const struct field *edu = schema_field(&person_schema, "education");

	(void)state;
	assert_string_equal(import_code(&cl_gender, NULL, "Feminine"), "Feminine");
	assert_string_equal(import_code(&cl_gender, NULL, "feminine"), "Feminine");
	assert_string_equal(import_code(&cl_gender, NULL, "Female"), "Feminine");   /* en label */
	assert_string_equal(import_code(&cl_gender, NULL, "МУЖСКОЙ"), "Masculine"); /* ru label */
	assert_string_equal(import_code(&cl_gender, NULL, "Зан"), "Feminine");      /* tg label */
	assert_null(import_code(&cl_gender, NULL, "F"));
	/* what the HTCDS export writes comes back as the code */
	assert_string_equal(import_code(sector->codes, sector->htcds_values, "F_Construction"), "F");
	assert_string_equal(import_code(sector->codes, sector->htcds_values, "F"), "F");
	assert_string_equal(import_code(edu->codes, edu->htcds_values, "BachelorsOrEquivalentLevel"),
			    "BachelorOrEquivalentLevel");
}

static void test_consent_values(void **state)
{
	const char *m;

	(void)state;
	assert_int_equal(import_consent_value("Yes", &m), 1);
	assert_string_equal(m, "recorded_before"); /* given, but not said how */
	assert_int_equal(import_consent_value("ДА", &m), 1);
	assert_int_equal(import_consent_value("ҳа", &m), 1);
	assert_int_equal(import_consent_value("verbal_witnessed", &m), 1);
	assert_string_equal(m, "verbal_witnessed");
	assert_int_equal(import_consent_value("нет", &m), 0);
	assert_int_equal(import_consent_value("", &m), 0);
	assert_int_equal(import_consent_value("guardian", &m), -1);  /* who the guardian is: not said */
	assert_int_equal(import_consent_value("perhaps", &m), -1);
}

static void test_row(void **state)
{
	const char *head[] = {"prs_FirstName", "prs_SecondName", "con_Consent", "prs_HomePhone",
			      "prs_MobilePhone", "prs_MailingCity", "prs_MailingStreet",
			      "vic_TypeOfExploitation", "vic_LocationOfExploitation",
			      "vic_TraffickingStatus", "cas_CaseOwner", "prs_Title"};
	const char *cells[] = {"Фаррух", "Ҷумъаев", "yes", "", "+992 93 000 0000", "Хуҷанд",
			       "к. Ленин 1", "ForcedLabour; Other;ForcedLabour", "ru|kz",
			       "PossibleVictimOfTrafficking", "cw", "Dr"};
	const char *wrong[] = {"Фаррух", "", "maybe", "", "", "", "", "Slavery", "RUS", "Victim",
			       "", ""};
	struct import_header h;
	struct import_row r;
	char err[200], *s;

	(void)state;
	assert_int_equal(import_header_read(&h, head, 12, err, sizeof err), 0);
	assert_int_equal(import_row_map(&h, cells, 12, "2026-01-02", &r), 0);
	s = json_dumps(r.person, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"address\":\"Хуҷанд, к. Ленин 1\",\"family_name\":\"Ҷумъаев\","
			       "\"given_name\":\"Фаррух\",\"phones\":[\"+992 93 000 0000\"]}");
	free(s);
	s = json_dumps(r.kase, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"countries_of_exploitation\":[\"RU\",\"KZ\"],"
			       "\"exploitation_types\":[\"ForcedLabour\",\"Other\"]}");
	free(s);
	assert_string_equal(json_string_value(json_object_get(r.consent, "purpose")), "assistance");
	assert_string_equal(json_string_value(json_object_get(r.consent, "given_on")), "2026-01-02");
	assert_string_equal(json_string_value(json_object_get(r.decision, "status")),
			    "PossibleVictimOfTrafficking");
	assert_string_equal(r.owner, "cw");
	import_row_free(&r);

	/* every refusal of the row, each with its column */
	assert_int_equal(import_row_map(&h, wrong, 12, "2026-01-02", &r), -1);
	assert_int_equal(r.nproblems, 4);
	assert_string_equal(r.problems[0].column, "con_Consent");
	assert_string_equal(r.problems[1].column, "vic_TypeOfExploitation");
	assert_string_equal(r.problems[2].column, "vic_LocationOfExploitation");
	assert_string_equal(r.problems[3].column, "vic_TraffickingStatus");
	import_row_free(&r);

	assert_int_equal(import_row_map(&h, cells, 11, "2026-01-02", &r), -1);
	assert_non_null(strstr(r.problems[0].reason, "11 cells, the header has 12"));
	import_row_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_excel_ru),
		cmocka_unit_test(test_csv_comma_default),
		cmocka_unit_test(test_csv_refusals),
		cmocka_unit_test(test_every_toolkit_column_is_known),
		cmocka_unit_test(test_columns_follow_the_schema),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_consent_values),
		cmocka_unit_test(test_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
