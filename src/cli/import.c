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
 * persons, C cases; D proposed as duplicates; R refused`.  Exit 0 when
 * loaded (or, with --dry-run, when it would load), 1 when refused or
 * failed, 2 for a wrong command line.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
		} else if (l->dup && l->dup_line) {
			printf("line %lu: proposed as a duplicate of line %lu (%.0f%%): see the "
			       "duplicates list\n", l->line, l->dup_line, l->dup_score * 100);
		} else if (l->dup) {
			printf("line %lu: proposed as a duplicate of a registered person (%.0f%%): "
			       "see the duplicates list\n", l->line, l->dup_score * 100);
		}
	}
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
	static const char *const allowed[] = {"--data", "--org", "--as", NULL};
	static const char *const flags[] = {"--dry-run", "--skip-invalid", NULL};
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
		printf("imported 0 persons, 0 cases; 0 proposed as duplicates; %zu refused\n",
		       j.refused);
		goto out;
	}
	if (dry) {
		report(&j);
		printf("dry run: imported %zu persons, %zu cases; %zu proposed as duplicates; "
		       "%zu refused (nothing written)\n", j.n - j.refused, j.n - j.refused,
		       j.duplicates, j.refused);
		rc = 0;
		goto out;
	}
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
	printf("imported %zu persons, %zu cases; %zu proposed as duplicates; %zu refused\n",
	       j.persons, j.cases, j.duplicates, j.refused);
	rc = 0;
out:
	free_job(&j);
	sodium_memzero(&app.kr, sizeof app.kr);
	datadir_close(&d);
	return rc;
}
