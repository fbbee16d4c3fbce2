/*
 * sheet.h - one writer for CSV and XLSX tables, safe against formula
 * injection.
 *
 * Every text cell that could be read as a formula by a spreadsheet (its
 * first character, after any leading spaces, is = + - @ TAB CR LF or a
 * full-width or small-form variant of = + - @, or U+2212 MINUS SIGN) is
 * prefixed with a single quote in CSV; in XLSX every text cell is written
 * as a string cell, never a formula, whatever it holds.  Numbers go in
 * through sheet_int()/sheet_num() and are written as numbers, unprefixed.
 * Invalid UTF-8 in text is replaced by U+FFFD.
 *
 * CSV follows RFC 4180: cells separated by commas, rows ended by CRLF, a
 * cell holding a comma, quote, CR or LF is quoted with its quotes doubled.
 * No byte-order mark.  sheet_tab() in CSV starts a titled block: a blank
 * line between blocks, then a row holding only the title.
 *
 * XLSX goes through libxlsxwriter (constant-memory mode, so rows must be
 * written in order, which is the only way this interface writes them).
 * libxlsxwriter 1.1.4 writes to a file only: the workbook is written to a
 * mkstemp() file (mode 0600) under tmpdir, read back by sheet_finish()
 * and unlinked; sheet_free() unlinks it too when finish was never called.
 * A text cell longer than XLSX's 32767 characters is cut at a character
 * boundary; a sheet title is cleaned of []:*?/\ and cut to 31 characters.
 *
 * Errors are sticky: after a failure the cell calls do nothing and
 * sheet_finish() answers -1.  Ownership: the struct sheet belongs to the
 * caller, who calls sheet_free() exactly once (after sheet_finish() or
 * instead of it).  Not thread-safe per sheet; distinct sheets are
 * independent.
 */
#ifndef HIMOYA_SHEET_H
#define HIMOYA_SHEET_H

#include "util/buf.h"

enum sheet_kind { SHEET_CSV, SHEET_XLSX };

struct sheet;

/* NULL on failure (out of memory, no temporary file under tmpdir).
 * tmpdir is used only for XLSX; NULL means "/tmp". */
struct sheet *sheet_new(enum sheet_kind kind, const char *tmpdir);
/* Start a worksheet (XLSX) / a titled block (CSV); 0 on success.  Cells
 * written before the first sheet_tab() go to a sheet named "Sheet1"
 * (XLSX) or to an untitled block (CSV). */
int sheet_tab(struct sheet *sh, const char *title);
/* Text cell; NULL is an empty cell. */
void sheet_text(struct sheet *sh, const char *s);
void sheet_int(struct sheet *sh, long long v);
/* NaN and infinities are written as empty cells. */
void sheet_num(struct sheet *sh, double v);
void sheet_row_end(struct sheet *sh);
/* Append the whole file's bytes to out; 0 on success, -1 on any earlier
 * or present failure (out->overflow included).  Call at most once. */
int sheet_finish(struct sheet *sh, struct buf *out);
void sheet_free(struct sheet *sh);

/* 1 when a text cell starting like s would be read as a formula and so
 * gets the quote prefix in CSV (exposed for the tests). */
int sheet_text_is_risky(const char *s);

#endif
