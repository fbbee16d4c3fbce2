/*
 * csv.h - the one CSV reader of the tree (`himoya link`, `himoya pprl`,
 * `himoya import`).
 *
 * RFC 4180 as spreadsheets write it: UTF-8 with or without a byte-order
 * mark (skipped), rows ended by LF or CRLF, cells separated by a comma or
 * by a semicolon (what Excel writes in a Russian locale: csv_open with
 * sep 0 takes whichever of the two the header line holds more of, outside
 * quotes), a quoted cell may hold separators, quotes (doubled) and line
 * breaks (a CRLF in a cell becomes LF).  A quote anywhere but at the start of a cell, text after a
 * closing quote, a quoted cell never closed, invalid UTF-8, more than
 * CSV_MAX_FIELDS cells or a row longer than max_row bytes is an error,
 * never a guess.  Spaces and tabs around a cell are trimmed.  Blank lines
 * are skipped.
 *
 * Errors: csv_next() answers -1 and leaves "PATH:LINE: what" in c->err.
 * Ownership: struct csv is the caller's; csv_close() frees what csv_open()
 * took, once.  Cells point into the reader's buffer and stay valid until
 * the next csv_next().
 */
#ifndef HIMOYA_CSV_H
#define HIMOYA_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS 128

struct csv {
	FILE *f;
	const char *path;
	char sep;              /* ',' or ';' */
	size_t max_row;        /* bytes of one row at most */
	unsigned long line;    /* line of the row last read (its first line) */
	unsigned long next_line;
	char *buf;             /* the row's cells, NUL-separated */
	size_t len, cap;
	char *field[CSV_MAX_FIELDS];
	size_t nfields;
	char err[256];
};

/* Open path; sep ',' or ';', or 0 to take it from the header line.
 * max_row 0 means 64 KiB.  0, or -1 with the reason in c->err. */
int csv_open(struct csv *c, const char *path, char sep, size_t max_row);
/* The same over an open seekable stream (fmemopen() in the fuzzer), named
 * name in messages; csv_close() closes it. */
int csv_open_stream(struct csv *c, FILE *f, const char *name, char sep, size_t max_row);
void csv_close(struct csv *c);

/* Next row: 1, 0 at the end, -1 on an error (c->err). */
int csv_next(struct csv *c);

/* 1 when every cell of the row last read is empty. */
int csv_row_blank(const struct csv *c);

#endif
