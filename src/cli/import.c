/*
 * import.c - `himoya import --data DIR --org CODE --as LOGIN [--dry-run]
 * [--skip-invalid] FILE.csv`: a legacy HTCDS 2.0 toolkit sheet saved as
 * CSV into an organisation's register.
 *
 * This file reads and reports: the CSV (util/csv.h), the header and the
 * values (domain/import.h), the rules and the one transaction
 * (api/import.h).  Every refused row is listed as `line N: COLUMN:
 * reason` on standard output; without --skip-invalid a single refused
 * row loads nothing.  The last line is always the summary `imported P
 * persons, C cases; D held as likely duplicates; R refused`.  Exit 0 when
 * loaded (or, with --dry-run, when it would load), 1 when refused or
 * failed, 2 for a wrong command line.
 *
 * A row like a registered person of the organisation, or like an earlier
 * row of the file, is held: not registered a second time.  The held rows
 * go, as they were, to a sheet of their own (--held FILE, by default
 * FILE.held.csv beside the input) for a person to look at; imported
 * again with --register-duplicates, each is registered and its pair
 * proposed in the duplicates list (merge, or "not the same").
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "api/import.h"
#include "cli/cli.h"
#include "domain/consent.h"
#include "util/csv.h"

#define IMPORT_ROW_MAX (1u << 20)   /* bytes of one row: a larger cell is refused */
#define IMPORT_ROWS_MAX 1000000

/* Read the whole file into j->lines; 0, or -1 (said on stderr). */
static int read_sheet(const char *path, struct import_job *j)
{
	struct import_header h;
	struct csv c;
	char err[200], today[11];
	size_t cap = 0, i;
	int r, rc = -1;

	consent_today(today);
	if (csv_open(&c, path, 0, IMPORT_ROW_MAX)) {
		fprintf(stderr, "himoya: %s\n", c.err);
		return -1;
	}
	r = csv_next(&c);
	if (r <= 0) {
		fprintf(stderr, "himoya: %s\n", r < 0 ? c.err : "an empty file: a header was expected");
		goto out;
	}
	if (import_header_read(&h, (const char *const *)c.field, c.nfields, err, sizeof err)) {
		fprintf(stderr, "himoya: %s: %s\n", path, err);
		goto out;
	}
	for (i = 0; i < h.n; i++) {
		if (!c.field[i][0])
			continue;
		if (!h.col[i])
			printf("warning: column %s is not an HTCDS 2.0 toolkit column: ignored\n",
			       c.field[i]);
		else if (h.col[i]->target == IT_NOT_KEPT)
			printf("warning: column %s has no place in Himoya: ignored\n", c.field[i]);
	}
	while ((r = csv_next(&c)) == 1) {
		struct import_line *l;
		if (csv_row_blank(&c))
			continue;
		if (j->n == IMPORT_ROWS_MAX) {
			fprintf(stderr, "himoya: %s: more than %d rows: split the file\n", path,
				IMPORT_ROWS_MAX);
			goto out;
		}
		if (j->n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			void *p = realloc(j->lines, ncap * sizeof *j->lines);
			if (!p) {
				fprintf(stderr, "himoya: out of memory\n");
				goto out;
			}
			j->lines = p;
			cap = ncap;
		}
		l = &j->lines[j->n++];
		memset(l, 0, sizeof *l);
		l->line = c.line;
		if (import_row_map(&h, (const char *const *)c.field, c.nfields, today, &l->row))
			l->refused = 1;
	}
	if (r < 0) {
		fprintf(stderr, "himoya: %s: the file cannot be read, nothing was loaded\n", c.err);
		goto out;
	}
	rc = 0;
out:
	csv_close(&c);
	return rc;
}

static void report(const struct import_job *j)
{
	size_t i, k;

	for (i = 0; i < j->n; i++) {
		const struct import_line *l = &j->lines[i];
		if (l->refused) {
			for (k = 0; k < l->row.nproblems; k++)
				printf("line %lu: %s: %s\n", l->line, l->row.problems[k].column,
				       l->row.problems[k].reason);
			if (l->row.refusals > l->row.nproblems)
				printf("line %lu: -: %zu more refusals\n", l->line,
				       l->row.refusals - l->row.nproblems);
		} else if (l->dup && j->register_dups) {
			if (l->dup_line)
				printf("line %lu: proposed as a duplicate of line %lu (%.0f%%): see "
				       "the duplicates list\n", l->line, l->dup_line, l->dup_score * 100);
			else
				printf("line %lu: proposed as a duplicate of a registered person "
				       "(%.0f%%): see the duplicates list\n", l->line, l->dup_score * 100);
		} else if (l->dup && l->dup_line) {
			printf("line %lu: held: likely the same person as line %lu (%.0f%%), not "
			       "registered twice\n", l->line, l->dup_line, l->dup_score * 100);
		} else if (l->dup) {
			printf("line %lu: held: likely the same person as registered person %s "
			       "(%.0f%%), not registered twice\n", l->line, l->dup_person,
			       l->dup_score * 100);
		}
	}
}

/* One cell as CSV: quoted when it holds the separator, a quote or a line
 * break, its quotes doubled. */
static void put_cell(FILE *f, const char *s, char sep)
{
	if (!strchr(s, sep) && !strchr(s, '"') && !strchr(s, '\n') && !strchr(s, '\r')) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void put_row(FILE *f, const struct csv *c)
{
	size_t i;
	for (i = 0; i < c->nfields; i++) {
		if (i)
			fputc(c->sep, f);
		put_cell(f, c->field[i], c->sep);
	}
	fputs("\r\n", f);
}

/* The held rows, as they were, under the file's header, into held (mode
 * 0600: they name persons); 0, or -1 (said on stderr). */
static int write_held(const char *path, const char *held, const struct import_job *j)
{
	struct csv c;
	FILE *f;
	size_t i = 0;
	int r, fd, rc = -1;

	if (csv_open(&c, path, 0, IMPORT_ROW_MAX)) {
		fprintf(stderr, "himoya: %s\n", c.err);
		return -1;
	}
	fd = open(held, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "himoya: %s: %s (the held rows were not written; --held FILE "
			"names another)\n", held, strerror(errno));
		if (fd >= 0)
			close(fd);
		csv_close(&c);
		return -1;
	}
	fputs("\xef\xbb\xbf", f); /* Excel reads it as UTF-8 */
	r = csv_next(&c);
	if (r == 1)
		put_row(f, &c);
	while (r == 1 && (r = csv_next(&c)) == 1) {
		if (csv_row_blank(&c))
			continue;
		/* the rows come in the order read_sheet() took them */
		for (; i < j->n && j->lines[i].line < c.line; i++)
			;
		if (i < j->n && j->lines[i].line == c.line && !j->lines[i].refused &&
		    j->lines[i].dup)
			put_row(f, &c);
	}
	if (r == 0 && fflush(f) == 0 && fsync(fileno(f)) == 0)
		rc = 0;
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "himoya: %s: the held rows could not be written whole\n", held);
	csv_close(&c);
	return rc;
}

static void free_job(struct import_job *j)
{
	size_t i;
	for (i = 0; i < j->n; i++)
		import_row_free(&j->lines[i].row);
	free(j->lines);
}

int cmd_import(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--org", "--as", "--held", NULL};
	static const char *const flags[] = {"--dry-run", "--skip-invalid", "--register-duplicates",
					    NULL};
	char held[4096];
	struct cli_opts opts = *o;
	struct import_job j;
	struct datadir d;
	struct app app;
	const char *path, *org, *login;
	struct timespec t0, t1;
	int dry, skip, rc = 1;

	memset(&j, 0, sizeof j);
	if (opts.argc < 1 || !strncmp(opts.argv[opts.argc - 1], "--", 2)) {
		fprintf(stderr, "himoya: import: the CSV file is the last argument\n");
		return 2;
	}
	path = opts.argv[--opts.argc];
	if (cli_opts_check(&opts, allowed, flags))
		return 2;
	org = cli_opt(&opts, "--org");
	login = cli_opt(&opts, "--as");
	dry = cli_flag(&opts, "--dry-run");
	skip = cli_flag(&opts, "--skip-invalid");
	j.register_dups = cli_flag(&opts, "--register-duplicates");
	if (cli_opt(&opts, "--held"))
		snprintf(held, sizeof held, "%s", cli_opt(&opts, "--held"));
	else {
		size_t len = strlen(path);
		if (len > 4 && !strcasecmp(path + len - 4, ".csv"))
			len -= 4;
		snprintf(held, sizeof held, "%.*s.held.csv", (int)len, path);
	}
	if (!cli_opt(&opts, "--data") || !org || !login) {
		fprintf(stderr, "himoya: import needs --data DIR, --org CODE and --as LOGIN\n");
		return 2;
	}
	if (datadir_open(&d, cli_opt(&opts, "--data"), 2))
		return 1;
	memset(&app, 0, sizeof app);
	app.st = d.st;
	app.kr = d.kr;
	j.app = &app;
	if (store_user_by_login(d.st, login, &j.actor) != STORE_OK ||
	    strcmp(j.actor.org.code, org) || !api_import_allowed(&j.actor)) {
		fprintf(stderr, "himoya: import: --as must name an admin or supervisor of "
			"organisation %s\n", org);
		goto out;
	}
	/* Rows are built and dropped in waves: without a trim threshold the
	 * allocator gave the top of the heap back to the kernel and took it
	 * again for every wave (a third of a 10,000-row import in brk). */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (read_sheet(path, &j))
		goto out;
	if (api_import_check(&j)) {
		fprintf(stderr, "himoya: import: the register cannot be read\n");
		goto out;
	}
	if (j.refused && !skip) {
		report(&j);
		printf("nothing was loaded: %zu row%s refused (--skip-invalid loads the others)\n",
		       j.refused, j.refused == 1 ? "" : "s");
		printf("imported 0 persons, 0 cases; 0 %s; %zu refused\n",
		       j.register_dups ? "proposed as duplicates" : "held as likely duplicates",
		       j.refused);
		goto out;
	}
	if (dry) {
		size_t in = j.n - j.refused - (j.register_dups ? 0 : j.duplicates);
		report(&j);
		printf("dry run: imported %zu persons, %zu cases; %zu %s; %zu refused (nothing "
		       "written)\n", in, in, j.duplicates,
		       j.register_dups ? "proposed as duplicates" : "held as likely duplicates",
		       j.refused);
		rc = 0;
		goto out;
	}
	/* The held rows first: a sheet that cannot be written loads nothing. */
	if (j.duplicates && !j.register_dups && write_held(path, held, &j))
		goto out;
	fprintf(stderr, "himoya: import: writing %zu rows in one transaction\n", j.n - j.refused);
	fflush(stderr);
	if (api_import_write(&j)) {
		fprintf(stderr, "himoya: import: the register refused the write: nothing was "
			"loaded\n");
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	report(&j);
	fprintf(stderr, "himoya: import: %zu rows in %.2f s\n", j.n,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (j.duplicates && !j.register_dups)
		printf("%zu held row%s written to %s: look at them, and import that file with "
		       "--register-duplicates for those that are other persons\n", j.duplicates,
		       j.duplicates == 1 ? "" : "s", held);
	printf("imported %zu persons, %zu cases; %zu %s; %zu refused\n", j.persons, j.cases,
	       j.duplicates, j.register_dups ? "proposed as duplicates" : "held as likely duplicates",
	       j.refused);
	rc = 0;
out:
	free_job(&j);
	sodium_memzero(&app.kr, sizeof app.kr);
	datadir_close(&d);
	return rc;
}
