/*
 * link.c - `himoya link` (record linkage of two lists, or duplicates in
 * one) and `himoya pprl encode` / `himoya pprl link` (the same through
 * keyed Bloom-filter encodings), offline, on CSV files.
 *
 * Input lists are CSV (util/csv.h: RFC 4180, UTF-8, comma or semicolon) with a header; columns are found
 * by name (trimmed, any case): rec_id/id, given_name, surname/family_name,
 * patronymic, date_of_birth/birth_date, age, sex/gender, phone,
 * soc_sec_id/document, street_number, address_1, address_2,
 * suburb/district, postcode, state/region.  Other columns are ignored.
 * Output is `left_id,right_id,score`, best first.  The model and the
 * domain rules are in domain/linkage.h and domain/pprl.h; this file only
 * reads, writes and orders.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <sodium.h>

#include "cli/cli.h"
#include "domain/linkage.h"
#include "domain/namekey.h"
#include "domain/pprl.h"
#include "util/csv.h"
#include "util/sheet.h"
#include "util/utf8.h"

/* ==== columns ============================================================ */

enum col {
	C_ID, C_GIVEN, C_FAMILY, C_PATRONYMIC, C_BIRTH, C_AGE, C_SEX, C_PHONE, C_DOCUMENT,
	C_STREET_NUMBER, C_ADDRESS_1, C_ADDRESS_2, C_DISTRICT, C_POSTCODE, C_REGION, C_CLK,
	C_COUNT
};

static const struct {
	enum col col;
	const char *name;
} col_names[] = {
	{C_ID, "rec_id"}, {C_ID, "id"}, {C_GIVEN, "given_name"}, {C_FAMILY, "surname"},
	{C_FAMILY, "family_name"}, {C_PATRONYMIC, "patronymic"}, {C_BIRTH, "date_of_birth"},
	{C_BIRTH, "birth_date"}, {C_AGE, "age"}, {C_SEX, "sex"}, {C_SEX, "gender"},
	{C_PHONE, "phone"}, {C_DOCUMENT, "soc_sec_id"}, {C_DOCUMENT, "document"},
	{C_STREET_NUMBER, "street_number"}, {C_ADDRESS_1, "address_1"},
	{C_ADDRESS_2, "address_2"}, {C_DISTRICT, "suburb"}, {C_DISTRICT, "district"},
	{C_POSTCODE, "postcode"}, {C_REGION, "state"}, {C_REGION, "region"}, {C_CLK, "clk"},
};

/* Column index per enum col, -1 where absent.  The header must name an
 * id column and no column twice. */
static int csv_header(struct csv *c, int idx[C_COUNT], size_t *header_fields)
{
	size_t i, k;
	int rc = csv_next(c);

	for (k = 0; k < C_COUNT; k++)
		idx[k] = -1;
	if (rc <= 0) {
		if (rc == 0)
			fprintf(stderr, "himoya: %s: empty file, a header was expected\n", c->path);
		else
			fprintf(stderr, "himoya: %s\n", c->err);
		return -1;
	}
	for (i = 0; i < c->nfields; i++) {
		const char *h = c->field[i];
		for (k = 0; k < sizeof col_names / sizeof col_names[0]; k++) {
			if (strcasecmp(h, col_names[k].name))
				continue;
			if (idx[col_names[k].col] >= 0) {
				fprintf(stderr, "himoya: %s: header: column '%s' given twice\n",
					c->path, h);
				return -1;
			}
			idx[col_names[k].col] = (int)i;
		}
	}
	if (idx[C_ID] < 0) {
		fprintf(stderr, "himoya: %s: header: no id column (rec_id or id)\n", c->path);
		return -1;
	}
	*header_fields = c->nfields;
	return 0;
}

/* Next data row, as csv_next(), with as many fields as the header (a
 * comma too many or too few shifts every later column: refused); rows of
 * empty fields only are skipped. */
static int csv_row(struct csv *c, size_t header_fields)
{
	int r;
	for (;;) {
		r = csv_next(c);
		if (r < 0)
			fprintf(stderr, "himoya: %s\n", c->err);
		if (r != 1)
			return r;
		if (!csv_row_blank(c))
			break;
	}
	if (c->nfields != header_fields) {
		fprintf(stderr, "himoya: %s:%lu: %zu fields, the header has %zu\n", c->path, c->line,
			c->nfields, header_fields);
		return -1;
	}
	return 1;
}

static const char *col_get(const struct csv *c, const int idx[C_COUNT], enum col col)
{
	return idx[col] >= 0 ? c->field[idx[col]] : NULL;
}

/* ==== lists ============================================================== */

/* A list read into memory: prepared records and their ids. */
struct list {
	struct link_record *rec;
	unsigned char *clk; /* pprl link: PPRL_BYTES per record */
	uint32_t *id_at;    /* offset of each id in ids */
	char *ids;
	size_t n, cap, ids_len, ids_cap;
};

static void list_free(struct list *l)
{
	free(l->rec);
	free(l->clk);
	free(l->id_at);
	free(l->ids);
	memset(l, 0, sizeof *l);
}

static const char *list_id(const struct list *l, size_t i)
{
	return l->ids + l->id_at[i];
}

/* Room for one more record; its id appended.  -1 out of memory. */
static int list_push(struct list *l, const char *id, int with_clk)
{
	size_t idlen = strlen(id) + 1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		void *r = realloc(l->rec, cap * sizeof *l->rec);
		if (!r)
			return -1;
		l->rec = r;
		r = realloc(l->id_at, cap * sizeof *l->id_at);
		if (!r)
			return -1;
		l->id_at = r;
		if (with_clk) {
			r = realloc(l->clk, cap * PPRL_BYTES);
			if (!r)
				return -1;
			l->clk = r;
		}
		l->cap = cap;
	}
	if (l->ids_len + idlen > l->ids_cap) {
		size_t cap = l->ids_cap ? l->ids_cap * 2 : 16384;
		char *p;
		while (cap < l->ids_len + idlen)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -1;
		p = realloc(l->ids, cap);
		if (!p)
			return -1;
		l->ids = p;
		l->ids_cap = cap;
	}
	memcpy(l->ids + l->ids_len, id, idlen);
	l->id_at[l->n] = (uint32_t)l->ids_len;
	l->ids_len += idlen;
	return 0;
}

/* An equality token of a normalised value (the CLI has no installation
 * key: a plain hash, as good as a blind index for equality). */
static const unsigned char *token_of(const char *domain, const char *norm,
				     unsigned char out[LINK_TOKEN_BYTES])
{
	crypto_generichash_state st;
	if (!norm || !norm[0])
		return NULL;
	crypto_generichash_init(&st, NULL, 0, LINK_TOKEN_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
	crypto_generichash_update(&st, (const unsigned char *)norm, strlen(norm));
	crypto_generichash_final(&st, out, LINK_TOKEN_BYTES);
	return out;
}

static void document_norm(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; s && *s && n + 1 < cap; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 'a' && ch <= 'z')
			ch = (unsigned char)(ch - 'a' + 'A');
		if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
			out[n++] = (char)ch;
	}
	out[n] = '\0';
}

/* Fill p from the current row.  addr (>= 512 bytes) holds address_1 and
 * address_2 joined. */
static void row_person(const struct csv *c, const int idx[C_COUNT], int year_now,
		       struct link_person *p, char *addr, size_t addr_cap,
		       unsigned char phone_tok[LINK_TOKEN_BYTES],
		       unsigned char doc_tok[LINK_TOKEN_BYTES], char phone[24], char doc[64])
{
	const char *a1 = col_get(c, idx, C_ADDRESS_1), *a2 = col_get(c, idx, C_ADDRESS_2);
	const char *age = col_get(c, idx, C_AGE);

	memset(p, 0, sizeof *p);
	p->given_name = col_get(c, idx, C_GIVEN);
	p->family_name = col_get(c, idx, C_FAMILY);
	p->patronymic = col_get(c, idx, C_PATRONYMIC);
	p->birth_date = col_get(c, idx, C_BIRTH);
	p->sex = col_get(c, idx, C_SEX);
	p->region = col_get(c, idx, C_REGION);
	p->district = col_get(c, idx, C_DISTRICT);
	p->street_number = col_get(c, idx, C_STREET_NUMBER);
	p->postcode = col_get(c, idx, C_POSTCODE);
	snprintf(addr, addr_cap, "%s %s", a1 ? a1 : "", a2 ? a2 : "");
	p->address = addr;
	if (age && age[0]) {
		char *end;
		long v = strtol(age, &end, 10);
		if (end != age && v >= 0 && v < 130)
			p->birth_year_estimate = year_now - (int)v;
	}
	phone[0] = '\0';
	if (col_get(c, idx, C_PHONE))
		phone_key(col_get(c, idx, C_PHONE), phone);
	document_norm(col_get(c, idx, C_DOCUMENT), doc, 64);
	p->phone_token = token_of("phone", phone, phone_tok);
	p->document_token = token_of("document", doc, doc_tok);
}

static int this_year(void)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* Read a person list (mode 0) or, with key, encode it on the way (the
 * encodings then go to out as CSV; no record is kept). */
static int read_persons(const char *path, struct list *l, const struct pprl_key *key, FILE *out)
{
	struct csv c;
	int idx[C_COUNT], rc = -1, r, year = this_year();
	size_t nh = 0;
	size_t rows = 0;

	if (csv_open(&c, path, ',', 0)) {
		fprintf(stderr, "himoya: %s\n", c.err);
		return -1;
	}
	if (csv_header(&c, idx, &nh))
		goto out;
	if (idx[C_GIVEN] < 0 && idx[C_FAMILY] < 0 && idx[C_BIRTH] < 0) {
		fprintf(stderr, "himoya: %s: header: none of given_name, surname/family_name, "
			"date_of_birth/birth_date: nothing to link on\n", path);
		goto out;
	}
	while ((r = csv_row(&c, nh)) == 1) {
		struct link_person p;
		char addr[512], phone[24], doc[64];
		unsigned char pt[LINK_TOKEN_BYTES], dt[LINK_TOKEN_BYTES];
		const char *id = c.field[idx[C_ID]];

		if (!id[0]) {
			fprintf(stderr, "himoya: %s:%lu: empty id\n", path, c.line);
			goto out;
		}
		row_person(&c, idx, year, &p, addr, sizeof addr, pt, dt, phone, doc);
		rows++;
		if (key) {
			unsigned char clk[PPRL_BYTES];
			char b64[sodium_base64_ENCODED_LEN(PPRL_BYTES, sodium_base64_VARIANT_ORIGINAL)];
			pprl_encode(key, &p, phone, doc, clk);
			sodium_bin2base64(b64, sizeof b64, clk, sizeof clk,
					  sodium_base64_VARIANT_ORIGINAL);
			fprintf(out, "%s%s,%s\r\n", sheet_text_is_risky(id) ? "'" : "", id, b64);
			continue;
		}
		if (list_push(l, id, 0)) {
			fprintf(stderr, "himoya: out of memory at %s:%lu\n", path, c.line);
			goto out;
		}
		link_record_make(&l->rec[l->n++], &p);
	}
	if (r < 0)
		goto out;
	if (rows == 0) {
		fprintf(stderr, "himoya: %s: no records after the header\n", path);
		goto out;
	}
	rc = 0;
out:
	csv_close(&c);
	return rc;
}

/* ==== pairs and their output ============================================= */

struct pair {
	uint32_t i, j;
	double score;
};

struct pairs {
	struct pair *p;
	size_t n, cap;
};

static int pairs_add(struct pairs *ps, uint32_t i, uint32_t j, double score)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 4096;
		struct pair *p = realloc(ps->p, cap * sizeof *p);
		if (!p)
			return -1;
		ps->p = p;
		ps->cap = cap;
	}
	ps->p[ps->n++] = (struct pair){i, j, score};
	return 0;
}

static int pair_cmp(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

/* Best first; with one_to_one, a record already paired is not paired
 * again (greedy: the best pair of each record wins). */
static int pairs_settle(struct pairs *ps, size_t na, size_t nb, int one_to_one)
{
	unsigned char *used_a, *used_b;
	size_t i, k = 0;

	if (ps->n)
		qsort(ps->p, ps->n, sizeof *ps->p, pair_cmp);
	if (!one_to_one)
		return 0;
	used_a = calloc(na + 1, 1);
	used_b = calloc(nb + 1, 1);
	if (!used_a || !used_b) {
		free(used_a);
		free(used_b);
		return -1;
	}
	for (i = 0; i < ps->n; i++) {
		if (used_a[ps->p[i].i] || used_b[ps->p[i].j])
			continue;
		used_a[ps->p[i].i] = used_b[ps->p[i].j] = 1;
		ps->p[k++] = ps->p[i];
	}
	ps->n = k;
	free(used_a);
	free(used_b);
	return 0;
}

/* One CSV cell: quoted when it must be, prefixed when a spreadsheet would
 * read it as a formula (util/sheet.h's rule). */
static void put_cell(FILE *f, const char *s)
{
	if (sheet_text_is_risky(s))
		fputc('\'', f);
	if (!strpbrk(s, ",\"\r\n")) {
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

static int write_pairs(const char *path, const struct pairs *ps, const struct list *a,
		       const struct list *b, int decimals)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f) {
		fprintf(stderr, "himoya: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fputs("left_id,right_id,score\r\n", f);
	for (i = 0; i < ps->n; i++) {
		put_cell(f, list_id(a, ps->p[i].i));
		fputc(',', f);
		put_cell(f, list_id(b, ps->p[i].j));
		fprintf(f, ",%.*f\r\n", decimals, ps->p[i].score);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "himoya: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A number option: 0 and *v untouched when absent, -1 when malformed. */
static int opt_double(struct cli_opts *o, const char *name, double *v, int *given)
{
	const char *s = cli_opt(o, name);
	char *end;
	double d;
	*given = 0;
	if (!s)
		return 0;
	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d)) {
		fprintf(stderr, "himoya: %s: not a number: %s\n", name, s);
		return -1;
	}
	*v = d;
	*given = 1;
	return 0;
}

/* ==== himoya link ======================================================== */

static int collect_match(void *ctx, uint32_t i, uint32_t j, double weight)
{
	return pairs_add(ctx, i, j, weight) ? -1 : 0;
}

static void print_model(const struct link_model *m, const struct link_stats *st, double thr)
{
	int f;
	unsigned l;
	fprintf(stderr, "himoya link: %llu candidate pairs, %llu oversized blocks skipped; "
		"EM: %u iterations, match share %.5f, threshold %.2f\n",
		(unsigned long long)st->candidates, (unsigned long long)st->skipped_blocks,
		m->iterations, m->p, thr);
	for (f = 0; f < LINK_FIELDS; f++) {
		fprintf(stderr, "  %-14s", link_field_name((enum link_field)f));
		for (l = 0; l < link_field_levels((enum link_field)f); l++)
			fprintf(stderr, "  m=%.3f u=%.4f", m->m[f][l], m->u[f][l]);
		fputc('\n', stderr);
	}
}

int cmd_link(struct cli_opts *o)
{
	static const char *const allowed[] = {"--left", "--right", "--dedup", "--out",
					      "--threshold", "--max-block-pairs", NULL};
	static const char *const flags[] = {"--all-pairs", "--quiet", NULL};
	const char *left = cli_opt(o, "--left"), *right = cli_opt(o, "--right");
	const char *dedup = cli_opt(o, "--dedup"), *out = cli_opt(o, "--out");
	struct list a, b;
	struct pairs ps = {0};
	struct link_options lo;
	struct link_model model;
	struct link_stats st;
	double maxb = 0;
	int given, rc = 1, run;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	memset(&lo, 0, sizeof lo);
	if (cli_opts_check(o, allowed, flags))
		return 2;
	if (!out || (dedup && (left || right)) || (!dedup && (!left || !right))) {
		fprintf(stderr, "usage: himoya link --left A.csv --right B.csv --out pairs.csv\n"
				"       himoya link --dedup A.csv --out pairs.csv\n"
				"       [--threshold W] [--all-pairs] [--max-block-pairs N] [--quiet]\n");
		return 2;
	}
	if (opt_double(o, "--threshold", &lo.threshold, &lo.use_threshold) ||
	    opt_double(o, "--max-block-pairs", &maxb, &given))
		return 2;
	if (given && !(maxb >= 1 && maxb <= 1e9)) {
		fprintf(stderr, "himoya: --max-block-pairs: 1 to 1000000000\n");
		return 2;
	}
	lo.max_block_pairs = (uint64_t)maxb;
	if (read_persons(dedup ? dedup : left, &a, NULL, NULL))
		goto out;
	if (!dedup && read_persons(right, &b, NULL, NULL))
		goto out;
	run = link_run(a.rec, a.n, dedup ? NULL : b.rec, b.n, &lo, &model, collect_match, &ps,
		       &st);
	if (run) {
		fprintf(stderr, "himoya link: %s\n", st.candidates || run != -1
			? "out of memory" : "no two records share a blocking key: nothing to link");
		goto out;
	}
	if (!cli_flag(o, "--quiet"))
		print_model(&model, &st, lo.use_threshold ? lo.threshold : model.threshold);
	/* Two lists: one person is at most once in each (a list's own
	 * duplicates are found with --dedup); --all-pairs keeps every pair. */
	if (pairs_settle(&ps, a.n, dedup ? a.n : b.n, !dedup && !cli_flag(o, "--all-pairs")))
		goto out;
	if (write_pairs(out, &ps, &a, dedup ? &a : &b, 3))
		goto out;
	fprintf(stderr, "himoya link: %zu + %zu records, %zu pairs judged a match -> %s\n", a.n,
		dedup ? (size_t)0 : b.n, ps.n, out);
	rc = 0;
out:
	list_free(&a);
	list_free(&b);
	free(ps.p);
	return rc;
}

/* ==== himoya pprl ======================================================== */

static int read_secret(const char *path, struct pprl_key *key)
{
	unsigned char secret[4096];
	size_t n;
	struct stat sb;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "himoya: --secret %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
		fprintf(stderr, "himoya: warning: %s is readable by others (chmod 600 it)\n", path);
	n = fread(secret, 1, sizeof secret, f);
	fclose(f);
	while (n && (secret[n - 1] == '\n' || secret[n - 1] == '\r'))
		n--;
	if (pprl_key_derive(key, secret, n)) {
		fprintf(stderr, "himoya: --secret %s: at least %d bytes of secret are needed "
			"(e.g. head -c 32 /dev/urandom | base64 > FILE)\n", path, PPRL_SECRET_MIN);
		sodium_memzero(secret, sizeof secret);
		return -1;
	}
	sodium_memzero(secret, sizeof secret);
	return 0;
}

int cmd_pprl_encode(struct cli_opts *o)
{
	static const char *const allowed[] = {"--secret", "--in", "--out", NULL};
	const char *secret = cli_opt(o, "--secret"), *in = cli_opt(o, "--in");
	const char *out = cli_opt(o, "--out");
	struct pprl_key *key;
	FILE *f;
	int rc = 1;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!secret || !in || !out) {
		fprintf(stderr, "usage: himoya pprl encode --secret FILE --in persons.csv "
				"--out clk.csv\n");
		return 2;
	}
	key = sodium_malloc(sizeof *key);
	if (!key)
		return 1;
	if (read_secret(secret, key))
		goto out;
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "himoya: %s: %s\n", out, strerror(errno));
		goto out;
	}
	fputs("id,clk\r\n", f);
	if (read_persons(in, NULL, key, f)) {
		fclose(f);
		remove(out);
		goto out;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "himoya: %s: %s\n", out, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	pprl_key_wipe(key);
	sodium_free(key);
	return rc;
}

static int read_clks(const char *path, struct list *l)
{
	struct csv c;
	int idx[C_COUNT], r, rc = -1;
	size_t nh = 0;

	if (csv_open(&c, path, ',', 0)) {
		fprintf(stderr, "himoya: %s\n", c.err);
		return -1;
	}
	if (csv_header(&c, idx, &nh))
		goto out;
	if (idx[C_CLK] < 0) {
		fprintf(stderr, "himoya: %s: header: no clk column (made by himoya pprl encode)\n",
			path);
		goto out;
	}
	while ((r = csv_row(&c, nh)) == 1) {
		const char *id, *b64;
		size_t bin_len = 0;
		id = c.field[idx[C_ID]];
		b64 = c.field[idx[C_CLK]];
		if (id[0] == '\'') /* put there by encode against formula injection */
			id++;
		if (!id[0]) {
			fprintf(stderr, "himoya: %s:%lu: empty id\n", path, c.line);
			goto out;
		}
		if (list_push(l, id, 1)) {
			fprintf(stderr, "himoya: out of memory at %s:%lu\n", path, c.line);
			goto out;
		}
		if (sodium_base642bin(l->clk + l->n * PPRL_BYTES, PPRL_BYTES, b64, strlen(b64),
				      NULL, &bin_len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    bin_len != PPRL_BYTES) {
			fprintf(stderr, "himoya: %s:%lu: the clk is not a %d-byte base64 encoding\n",
				path, c.line, PPRL_BYTES);
			goto out;
		}
		l->n++;
	}
	if (r < 0)
		goto out;
	if (!l->n) {
		fprintf(stderr, "himoya: %s: no encodings after the header\n", path);
		goto out;
	}
	rc = 0;
out:
	csv_close(&c);
	return rc;
}

int cmd_pprl_link(struct cli_opts *o)
{
	static const char *const allowed[] = {"--left", "--right", "--out", "--threshold", NULL};
	static const char *const flags[] = {"--all-pairs", "--quiet", NULL};
	const char *left = cli_opt(o, "--left"), *right = cli_opt(o, "--right");
	const char *out = cli_opt(o, "--out");
	struct list a, b;
	struct pairs ps = {0};
	double thr = 0, floor_score;
	unsigned *ones_b = NULL;
	int given, rc = 1;
	size_t i, j;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (cli_opts_check(o, allowed, flags))
		return 2;
	if (!left || !right || !out) {
		fprintf(stderr, "usage: himoya pprl link --left A.clk --right B.clk --out pairs.csv "
				"[--threshold D] [--all-pairs]\n");
		return 2;
	}
	if (opt_double(o, "--threshold", &thr, &given))
		return 2;
	if (given && !(thr > 0 && thr <= 1)) {
		fprintf(stderr, "himoya: --threshold: a Dice similarity, above 0 and at most 1\n");
		return 2;
	}
	if (read_clks(left, &a) || read_clks(right, &b))
		goto out;
	if (!given)
		thr = pprl_threshold(a.clk, a.n, b.clk, b.n);
	floor_score = thr;
	ones_b = malloc((b.n + 1) * sizeof *ones_b);
	if (!ones_b)
		goto out;
	for (j = 0; j < b.n; j++)
		ones_b[j] = pprl_ones(b.clk + j * PPRL_BYTES);
	/* Every pair: a popcount over 256 bytes each (no blocking on
	 * encodings; lists of up to some 10^4 records each). */
	for (i = 0; i < a.n; i++) {
		const unsigned char *x = a.clk + i * PPRL_BYTES;
		unsigned ones_a = pprl_ones(x);
		for (j = 0; j < b.n; j++) {
			unsigned both = pprl_common(x, b.clk + j * PPRL_BYTES);
			double d = ones_a + ones_b[j] ? 2.0 * both / (ones_a + ones_b[j]) : 0;
			if (d >= floor_score && pairs_add(&ps, (uint32_t)i, (uint32_t)j, d))
				goto out;
		}
	}
	if (pairs_settle(&ps, a.n, b.n, !cli_flag(o, "--all-pairs")))
		goto out;
	if (write_pairs(out, &ps, &a, &b, 4))
		goto out;
	if (!cli_flag(o, "--quiet"))
		fprintf(stderr, "himoya pprl link: %zu x %zu encodings, Dice threshold %.3f%s, "
			"%zu pairs judged a match -> %s\n", a.n, b.n, thr,
			given ? "" : " (from the data)", ps.n, out);
	rc = 0;
out:
	free(ones_b);
	list_free(&a);
	list_free(&b);
	free(ps.p);
	return rc;
}
