/*
 * fuzz_import.c - a legacy sheet as `himoya import` reads it, without a
 * data folder: the bytes go through the CSV reader (util/csv.h: separator
 * taken from the header, BOM, quotes, line breaks, caps), the first row
 * as the toolkit's header and every later row through the value mapping
 * (domain/import.h), with the same caps as the command.  Checked: every
 * cell handed out is valid UTF-8 and has no separator-breaking residue
 * of the reader (a NUL inside), the line numbers never go back, a row's
 * problems stay within their cap, a date read is a real date, and the
 * records made serialise.  A failed check abort()s.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/import.h"
#include "domain/record.h"
#include "util/csv.h"
#include "util/utf8.h"

#define INPUT_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz_import: check failed at %s:%d: %s\n",  \
				__FILE__, __LINE__, #cond);                          \
			abort();                                                     \
		}                                                                    \
	} while (0)

static void check_json(json_t *j)
{
	char *s;
	if (!j)
		return;
	s = json_dumps(j, JSON_COMPACT);
	CHECK(s != NULL);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_header h;
	struct csv c;
	char err[200], out[11];
	unsigned long last = 0;
	const char *why;
	FILE *f;
	size_t i;
	int r;

	if (size == 0 || size > INPUT_MAX)
		return 0;
	f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	if (csv_open_stream(&c, f, "fuzz", 0, 4096))
		return 0;
	CHECK(c.sep == ',' || c.sep == ';');
	r = csv_next(&c);
	if (r != 1 || import_header_read(&h, (const char *const *)c.field, c.nfields, err, sizeof err)) {
		csv_close(&c);
		return 0;
	}
	while ((r = csv_next(&c)) == 1) {
		struct import_row row;
		CHECK(c.line > last);
		last = c.line;
		CHECK(c.nfields >= 1 && c.nfields <= CSV_MAX_FIELDS);
		for (i = 0; i < c.nfields; i++) {
			CHECK(utf8_valid(c.field[i], strlen(c.field[i])));
			if (import_date(c.field[i], out, &why) == 0)
				CHECK(date_valid(out));
		}
		import_row_map(&h, (const char *const *)c.field, c.nfields, "2026-01-02", &row);
		CHECK(row.nproblems <= IMPORT_PROBLEMS_MAX);
		check_json(row.person);
		check_json(row.kase);
		check_json(row.consent);
		check_json(row.decision);
		import_row_free(&row);
	}
	CHECK(r == 0 || c.err[0]);
	csv_close(&c);
	return 0;
}
