/*
 * sheet.c - CSV and XLSX tables safe against formula injection; see
 * sheet.h for the rules and who owns what.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "util/sheet.h"
#include "util/utf8.h"

#define SHEET_CSV_CAP  ((size_t)512 << 20)  /* the CSV text, before sheet_finish */
#define SHEET_XLSX_MAX_ROWS 1048576u
#define SHEET_XLSX_MAX_COLS 16384u
#define SHEET_XLSX_MAX_CHARS 32767u        /* characters in one cell */
#define SHEET_TITLE_MAX 31u                /* characters in a sheet name */

struct sheet {
	enum sheet_kind kind;
	int failed;
	int finished;
	unsigned cols;          /* cells written in the current row */
	unsigned long rows;     /* rows ended in the current tab (XLSX) */
	unsigned tabs;          /* tabs started */
	buf csv;                /* CSV: the whole text */
	buf cell;               /* scratch: one cleaned cell */
	lxw_workbook *wb;       /* XLSX */
	lxw_worksheet *ws;      /* XLSX: the current sheet, NULL before the first */
	char path[4096];        /* XLSX: the temporary file, "" once unlinked */
};

/* ---- the formula test --------------------------------------------------- */

/* Code point at s (valid UTF-8 assumed, else the byte), its length in *n. */
static uint32_t sheet_decode(const unsigned char *s, size_t *n)
{
	size_t len = utf8_char_len((const char *)s, strnlen((const char *)s, 4));
	uint32_t c;
	size_t i;

	if (len <= 1) {
		*n = 1;
		return s[0];
	}
	c = s[0] & (0x7fu >> len);
	for (i = 1; i < len; i++)
		c = (c << 6) | (s[i] & 0x3fu);
	*n = len;
	return c;
}

static int sheet_is_trigger(uint32_t c)
{
	switch (c) {
	case '=': case '+': case '-': case '@': case '\t': case '\r': case '\n':
	case 0xFF1D: case 0xFF0B: case 0xFF0D: case 0xFF20: /* full-width = + - @ */
	case 0xFE66: case 0xFE62: case 0xFE63: case 0xFE6B: /* small-form = + - @ */
	case 0x2212:                                        /* minus sign */
	case 0x207A: case 0x208A:                           /* super/subscript plus */
	case 0x207C: case 0x208C:                           /* super/subscript equals */
		return 1;
	default:
		return 0;
	}
}

int sheet_text_is_risky(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	size_t n;

	if (!s)
		return 0;
	for (;;) {
		if (!*p)
			return 0;
		c = sheet_decode(p, &n);
		/* Leading spaces (ASCII, no-break, ideographic) do not disarm
		 * a formula in every spreadsheet: look past them. */
		if (c == ' ' || c == 0xA0 || c == 0x3000) {
			p += n;
			continue;
		}
		return sheet_is_trigger(c);
	}
}

/* ---- cleaning ------------------------------------------------------------ */

/* Copy s into sh->cell as valid UTF-8 (invalid bytes become U+FFFD); in
 * XLSX also drop the C0 controls XML 1.0 forbids (as U+FFFD) and stop at
 * the cell's character limit. */
static const char *sheet_clean(struct sheet *sh, const char *s)
{
	size_t len = strlen(s), i = 0, chars = 0, n;
	int xlsx = sh->kind == SHEET_XLSX;

	buf_reset(&sh->cell);
	if (!xlsx && utf8_valid(s, len))
		return s;
	while (i < len) {
		if (xlsx && chars >= SHEET_XLSX_MAX_CHARS)
			break;
		n = utf8_char_len(s + i, len - i);
		if (n == 0) {
			buf_puts(&sh->cell, "\xEF\xBF\xBD");
			i++;
		} else if (xlsx && n == 1 && (unsigned char)s[i] < 0x20 &&
			   s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
			buf_puts(&sh->cell, "\xEF\xBF\xBD");
			i++;
		} else {
			buf_add(&sh->cell, s + i, n);
			i += n;
		}
		chars++;
	}
	if (!buf_ok(&sh->cell)) {
		sh->failed = 1;
		return "";
	}
	return sh->cell.data;
}

/* ---- CSV ----------------------------------------------------------------- */

static void sheet_csv_sep(struct sheet *sh)
{
	if (sh->cols > 0)
		buf_putc(&sh->csv, ',');
	sh->cols++;
}

static void sheet_csv_text(struct sheet *sh, const char *s)
{
	const char *p;
	int quote;

	sheet_csv_sep(sh);
	if (!s || !*s)
		return;
	s = sheet_clean(sh, s);
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(&sh->csv, '"');
	if (sheet_text_is_risky(s))
		buf_putc(&sh->csv, '\'');
	if (!quote) {
		buf_puts(&sh->csv, s);
	} else {
		for (p = s; *p; p++) {
			if (*p == '"')
				buf_putc(&sh->csv, '"');
			buf_putc(&sh->csv, *p);
		}
		buf_putc(&sh->csv, '"');
	}
}

/* ---- XLSX ---------------------------------------------------------------- */

/* A sheet name XLSX accepts: no []:*?/\, no leading or trailing quote,
 * at most 31 characters, unique (a " (n)" suffix otherwise), not empty. */
static void sheet_xlsx_title(struct sheet *sh, const char *title, char *out, size_t outsz)
{
	char base[SHEET_TITLE_MAX * 4 + 1];
	size_t i = 0, o = 0, chars = 0, n, len;
	const char *t = title ? sheet_clean(sh, title) : "";
	unsigned k;

	len = strlen(t);
	while (i < len && chars < SHEET_TITLE_MAX - 5) { /* room for " (nn)" */
		n = utf8_char_len(t + i, len - i);
		if (n == 0)
			n = 1;
		if (n == 1 && strchr("[]:*?/\\", t[i])) {
			base[o++] = '_';
		} else if (!(n == 1 && t[i] == '\'' && (o == 0 || i + 1 == len))) {
			memcpy(base + o, t + i, n);
			o += n;
		}
		i += n;
		chars++;
	}
	base[o] = '\0';
	if (o == 0)
		snprintf(base, sizeof base, "Sheet");
	snprintf(out, outsz, "%s", base);
	for (k = 2; k < 100 && workbook_get_worksheet_by_name(sh->wb, out); k++)
		snprintf(out, outsz, "%s (%u)", base, k);
}

static int sheet_xlsx_add(struct sheet *sh, const char *title)
{
	char name[SHEET_TITLE_MAX * 4 + 16];

	sheet_xlsx_title(sh, title, name, sizeof name);
	sh->ws = workbook_add_worksheet(sh->wb, name);
	if (!sh->ws) {
		sh->failed = 1;
		return -1;
	}
	sh->rows = 0;
	sh->cols = 0;
	return 0;
}

/* The cell to write next, or -1 when there is none (no room, failed). */
static int sheet_xlsx_cell(struct sheet *sh, lxw_row_t *row, lxw_col_t *col)
{
	if (sh->failed)
		return -1;
	if (!sh->ws && sheet_xlsx_add(sh, "Sheet1"))
		return -1;
	if (sh->rows >= SHEET_XLSX_MAX_ROWS || sh->cols >= SHEET_XLSX_MAX_COLS) {
		sh->failed = 1;
		return -1;
	}
	*row = (lxw_row_t)sh->rows;
	*col = (lxw_col_t)sh->cols++;
	return 0;
}

static void sheet_xlsx_check(struct sheet *sh, lxw_error err)
{
	if (err != LXW_NO_ERROR)
		sh->failed = 1;
}

/* ---- the interface ------------------------------------------------------- */

struct sheet *sheet_new(enum sheet_kind kind, const char *tmpdir)
{
	lxw_workbook_options opt;
	struct sheet *sh;
	int fd, n;

	sh = calloc(1, sizeof *sh);
	if (!sh)
		return NULL;
	sh->kind = kind;
	buf_init(&sh->csv, SHEET_CSV_CAP);
	buf_init(&sh->cell, (size_t)SHEET_XLSX_MAX_CHARS * 4 + 64);
	if (kind == SHEET_CSV)
		return sh;
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	n = snprintf(sh->path, sizeof sh->path, "%s/himoya-sheet-XXXXXX", tmpdir);
	if (n < 0 || (size_t)n >= sizeof sh->path)
		goto fail;
	fd = mkstemp(sh->path);   /* mode 0600 */
	if (fd < 0)
		goto fail;
	close(fd);
	memset(&opt, 0, sizeof opt);
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = (char *)tmpdir;
	sh->wb = workbook_new_opt(sh->path, &opt);
	if (!sh->wb) {
		unlink(sh->path);
		goto fail;
	}
	return sh;
fail:
	sh->path[0] = '\0';
	buf_free(&sh->csv);
	buf_free(&sh->cell);
	free(sh);
	return NULL;
}

int sheet_tab(struct sheet *sh, const char *title)
{
	if (sh->failed || sh->finished)
		return -1;
	if (sh->kind == SHEET_XLSX)
		return sheet_xlsx_add(sh, title);
	if (sh->cols > 0)
		sheet_row_end(sh);
	if (sh->csv.len > 0)
		buf_puts(&sh->csv, "\r\n");
	sheet_text(sh, title);
	sheet_row_end(sh);
	sh->tabs++;
	return sh->failed ? -1 : 0;
}

void sheet_text(struct sheet *sh, const char *s)
{
	lxw_row_t row;
	lxw_col_t col;

	if (sh->failed || sh->finished)
		return;
	if (sh->kind == SHEET_CSV) {
		sheet_csv_text(sh, s);
		return;
	}
	if (sheet_xlsx_cell(sh, &row, &col) || !s || !*s)
		return;
	s = sheet_clean(sh, s);
	/* A string cell: never a formula, whatever the text starts with. */
	sheet_xlsx_check(sh, worksheet_write_string(sh->ws, row, col, s, NULL));
}

void sheet_int(struct sheet *sh, long long v)
{
	lxw_row_t row;
	lxw_col_t col;

	if (sh->failed || sh->finished)
		return;
	if (sh->kind == SHEET_CSV) {
		char digits[24], *p = digits + sizeof digits;
		unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

		/* By hand: exports write millions of these, printf is the cost. */
		sheet_csv_sep(sh);
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (v < 0)
			*--p = '-';
		buf_add(&sh->csv, p, (size_t)(digits + sizeof digits - p));
		return;
	}
	if (sheet_xlsx_cell(sh, &row, &col))
		return;
	sheet_xlsx_check(sh, worksheet_write_number(sh->ws, row, col, (double)v, NULL));
}

void sheet_num(struct sheet *sh, double v)
{
	lxw_row_t row;
	lxw_col_t col;

	if (sh->failed || sh->finished)
		return;
	if (sh->kind == SHEET_CSV) {
		sheet_csv_sep(sh);
		if (isfinite(v))
			buf_printf(&sh->csv, "%.15g", v);
		return;
	}
	if (sheet_xlsx_cell(sh, &row, &col) || !isfinite(v))
		return;
	sheet_xlsx_check(sh, worksheet_write_number(sh->ws, row, col, v, NULL));
}

void sheet_row_end(struct sheet *sh)
{
	if (sh->failed || sh->finished)
		return;
	if (sh->kind == SHEET_CSV) {
		buf_puts(&sh->csv, "\r\n");
		sh->cols = 0;
		return;
	}
	if (!sh->ws && sheet_xlsx_add(sh, "Sheet1"))
		return;
	sh->rows++;
	sh->cols = 0;
}

/* Read the finished workbook file into out. */
static int sheet_xlsx_read(struct sheet *sh, struct buf *out)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = 0;

	f = fopen(sh->path, "rb");
	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(out, chunk, n);
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

int sheet_finish(struct sheet *sh, struct buf *out)
{
	lxw_error err;
	int rc;

	if (sh->finished)
		return -1;
	sh->finished = 1;
	if (sh->kind == SHEET_CSV) {
		if (sh->failed || !buf_ok(&sh->csv))
			return -1;
		buf_add(out, sh->csv.data, sh->csv.len);
		buf_free(&sh->csv);
		return buf_ok(out) ? 0 : -1;
	}
	if (!sh->failed && !sh->ws)
		sheet_xlsx_add(sh, "Sheet1");   /* a workbook needs one sheet */
	err = workbook_close(sh->wb);       /* frees the workbook, writes the file */
	sh->wb = NULL;
	rc = (sh->failed || err != LXW_NO_ERROR) ? -1 : sheet_xlsx_read(sh, out);
	unlink(sh->path);
	sh->path[0] = '\0';
	if (rc == 0 && !buf_ok(out))
		rc = -1;
	return rc;
}

void sheet_free(struct sheet *sh)
{
	if (!sh)
		return;
	if (sh->wb) {
		/* Never finished: close (which writes the file) and drop it. */
		workbook_close(sh->wb);
		sh->wb = NULL;
	}
	if (sh->path[0])
		unlink(sh->path);
	buf_free(&sh->csv);
	buf_free(&sh->cell);
	free(sh);
}
