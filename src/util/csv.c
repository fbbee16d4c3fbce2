/*
 * csv.c - reading CSV as spreadsheets write it; see csv.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/utf8.h"

#define CSV_DEFAULT_ROW (64 * 1024)

static void csv_fail(struct csv *c, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(c->err, sizeof c->err, "%s:%lu: %s", c->path, c->line, what);
}

/* The separator of the header line: the one of ',' and ';' it holds more
 * of outside quotes (',' on a tie).  The file is put back where it was. */
static char csv_sniff(struct csv *c)
{
	long at = ftell(c->f);
	size_t commas = 0, semis = 0;
	int ch, quoted = 0;

	while ((ch = getc(c->f)) != EOF) {
		if (ch == '"')
			quoted = !quoted;
		else if (!quoted && ch == '\n')
			break;
		else if (!quoted && ch == ',')
			commas++;
		else if (!quoted && ch == ';')
			semis++;
	}
	if (at >= 0)
		fseek(c->f, at, SEEK_SET);
	return semis > commas ? ';' : ',';
}

int csv_open(struct csv *c, const char *path, char sep, size_t max_row)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		memset(c, 0, sizeof *c);
		snprintf(c->err, sizeof c->err, "%s: %s", path, strerror(errno));
		return -1;
	}
	return csv_open_stream(c, f, path, sep, max_row);
}

int csv_open_stream(struct csv *c, FILE *f, const char *name, char sep, size_t max_row)
{
	unsigned char bom[3];
	size_t n;

	memset(c, 0, sizeof *c);
	c->path = name;
	c->next_line = 1;
	c->line = 1;
	c->max_row = max_row ? max_row : CSV_DEFAULT_ROW;
	c->f = f;
	n = fread(bom, 1, 3, c->f);
	if (n < 3 || memcmp(bom, "\xef\xbb\xbf", 3)) /* a spreadsheet's byte-order mark */
		rewind(c->f);
	c->sep = sep ? sep : csv_sniff(c);
	c->cap = 4096;
	c->buf = malloc(c->cap);
	if (!c->buf) {
		fclose(c->f);
		c->f = NULL;
		snprintf(c->err, sizeof c->err, "%s: out of memory", name);
		return -1;
	}
	return 0;
}

void csv_close(struct csv *c)
{
	if (c->f)
		fclose(c->f);
	free(c->buf);
	c->f = NULL;
	c->buf = NULL;
}

static int csv_put(struct csv *c, char ch)
{
	if (c->len >= c->max_row) {
		csv_fail(c, "a row longer than %zu bytes (a cell too large, or a quote never "
			 "closed)", c->max_row);
		return -1;
	}
	if (c->len + 1 >= c->cap) {
		size_t cap = c->cap * 2;
		char *p;
		if (cap > c->max_row + 2)
			cap = c->max_row + 2;
		p = realloc(c->buf, cap);
		if (!p) {
			csv_fail(c, "out of memory");
			return -1;
		}
		c->buf = p;
		c->cap = cap;
	}
	c->buf[c->len++] = ch;
	return 0;
}

/* Trim spaces and tabs around every cell (FEBRL writes ", value"). */
static void csv_trim(struct csv *c)
{
	size_t i;
	for (i = 0; i < c->nfields; i++) {
		char *s = c->field[i], *e;
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		c->field[i] = s;
	}
}

/* A quote opens a cell only at its start (spaces before it allowed). */
static int csv_quote_opens(struct csv *c, size_t start, int after_quote)
{
	size_t k;
	for (k = start; k < c->len && (c->buf[k] == ' ' || c->buf[k] == '\t'); k++)
		;
	return k == c->len && !after_quote;
}

int csv_next(struct csv *c)
{
	int ch, quoted = 0, any = 0, after_quote = 0;
	size_t starts[CSV_MAX_FIELDS], i;

	c->len = 0;
	c->nfields = 0;
	c->line = c->next_line;
	starts[c->nfields++] = 0;
	for (;;) {
		ch = getc_unlocked(c->f);
		if (ch == EOF) {
			if (ferror(c->f)) {
				csv_fail(c, "read error");
				return -1;
			}
			if (quoted) {
				csv_fail(c, "a quoted field is not closed");
				return -1;
			}
			if (!any)
				return 0;
			break;
		}
		any = 1;
		if (quoted) {
			if (ch == '"') {
				int nx = getc_unlocked(c->f);
				if (nx == '"') {
					if (csv_put(c, '"'))
						return -1;
					continue;
				}
				if (nx != EOF)
					ungetc(nx, c->f);
				quoted = 0;
				after_quote = 1;
				continue;
			}
			if (ch == '\r') {   /* a CRLF inside a cell is one line break */
				int nx = getc_unlocked(c->f);
				if (nx == '\n')
					ch = nx;
				else if (nx != EOF)
					ungetc(nx, c->f);
			}
			if (ch == '\n')
				c->next_line++;
			if (csv_put(c, (char)ch))
				return -1;
			continue;
		}
		if (ch == '\r')
			continue;
		if (ch == '\n') {
			c->next_line++;
			if (c->len == 0 && c->nfields == 1 && !after_quote) { /* blank line */
				c->line = c->next_line;
				any = 0;
				continue;
			}
			break;
		}
		if (ch == c->sep) {
			if (csv_put(c, '\0'))
				return -1;
			if (c->nfields == CSV_MAX_FIELDS) {
				csv_fail(c, "more than %d columns", CSV_MAX_FIELDS);
				return -1;
			}
			starts[c->nfields++] = c->len;
			after_quote = 0;
			continue;
		}
		if (ch == '"') {
			if (!csv_quote_opens(c, starts[c->nfields - 1], after_quote)) {
				csv_fail(c, "a quote inside an unquoted field");
				return -1;
			}
			c->len = starts[c->nfields - 1];
			quoted = 1;
			continue;
		}
		if (after_quote && ch != ' ' && ch != '\t') {
			csv_fail(c, "text after a closing quote");
			return -1;
		}
		if (csv_put(c, (char)ch))
			return -1;
	}
	if (csv_put(c, '\0'))
		return -1;
	for (i = 0; i < c->nfields; i++) {
		c->field[i] = c->buf + starts[i];
		if (!utf8_valid(c->field[i], strlen(c->field[i]))) {
			csv_fail(c, "not valid UTF-8 (save the sheet as CSV UTF-8)");
			return -1;
		}
	}
	csv_trim(c);
	return 1;
}

int csv_row_blank(const struct csv *c)
{
	size_t i;
	for (i = 0; i < c->nfields; i++)
		if (c->field[i][0])
			return 0;
	return 1;
}
