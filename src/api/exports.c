/*
 * exports.c - the data exports:
 *
 *   GET /api/v1/exports/htcds.csv?from=&to=   HTCDS 2.0 rows, pseudonymous
 *   GET /api/v1/exports/htcds.xlsx?from=&to=  the same in the order of the
 *                                             HTCDS 2.0 toolkit spreadsheet
 *   GET /api/v1/exports/ctdc.csv?from=&to=    CTDC columns, one row per
 *                                             victim, k-anonymous
 *   GET /api/v1/exports/cases.xlsx?from=&to=[&pii=1]   the organisation's
 *                                             case rows (PII on request)
 *
 * Every column comes from the field declarations of schema/ (fields.h:
 * .htcds, .htcds_values, .ctdc, .ctdc_values); the few columns no field
 * holds (pseudonymous ids, ages, organisation types, referrals) are the
 * derived ones below.  The PII columns of cases.xlsx are the FC_PII
 * fields.  Years, ages and age bands come from domain/stdexport, the
 * anonymisation from domain/kanon (local suppression).
 *
 * Who may take which is the policy's (export.anonymous, export.rows,
 * export.pii).  The analyst takes CTDC and HTCDS (pseudonymous, no PII,
 * organisations by type) of every organisation and never cases.xlsx; a
 * supervisor takes the exports of the own organisation, and the personal
 * columns of cases.xlsx only with a second factor.  The period filters
 * the opening day of the cases.  The HTCDS and CTDC exports leave a
 * person out unless the person has a standing consent to `statistics`.
 *
 * Pseudonymous ids: a keyed BLAKE2b of the case (person, user) id under
 * an export sub-key derived from the blind-index key: stable across the
 * exports of one installation, not reversible without the key file, and
 * never the internal id.
 *
 * Every export is audited (action "export", record "exports/NAME", the
 * period, the rows written and, for CTDC, k and what was suppressed) in
 * its own transaction before the file is answered; a cases.xlsx with PII
 * also queues a read of each person exported.  Every cell goes through
 * util/sheet, which neutralises formulas.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/records.h"
#include "domain/consent.h"
#include "domain/kanon.h"
#include "domain/record.h"
#include "domain/stdexport.h"
#include "fields.h"
#include "indicators.h"
#include "store/exports.h"
#include "util/sheet.h"

#define EXPORT_ARENA_CAP ((size_t)256 << 20)
#define PSEUDO_HEX (16 * 2 + 1)
#define CELL_MAX 4096

/* ---- common ------------------------------------------------------------- */

/* The period of ?from=&to=: both optional, real dates, from <= to.
 * 0, or the 422 problem set. */
static int export_period(struct req *r, const char *org_id, const char **from, const char **to)
{
	*from = req_query(r, "from");
	*to = req_query(r, "to");
	if (*from && !**from)
		*from = NULL;
	if (*to && !**to)
		*to = NULL;
	if (*from && !date_valid(*from))
		return reply_problem(r, 422, "invalid-value", "from: a date YYYY-MM-DD");
	if (*to && !date_valid(*to))
		return reply_problem(r, 422, "invalid-value", "to: a date YYYY-MM-DD");
	if (*from && *to && strcmp(*from, *to) > 0)
		return reply_problem(r, 422, "invalid-value", "from: after to");
	/* Over every organisation, whole months, as the reports (an outside
	 * review counted the victims of one day from two exports). */
	if (!org_id && api_month_period(&r->mem, from, to))
		return reply_problem(r, 500, "internal", "out of memory");
	if (*from)
		reply_header(r, "X-Export-From", *from);
	if (*to)
		reply_header(r, "X-Export-To", *to);
	return 0;
}

/* The organisation whose cases the caller may export under act: *org_id
 * NULL for every organisation; 0, or -1 when the role may not. */
static int export_scope_of(struct req *r, enum policy_action act, const char **org_id)
{
	unsigned scopes[POLICY_RULES_MAX];
	size_t n = policy_scopes(act, r->who.user.role, scopes), i;

	for (i = 0; i < n; i++)
		if ((scopes[i] & ~(unsigned)PC_SECOND_FACTOR) == 0) {
			*org_id = NULL;
			return 0;
		}
	for (i = 0; i < n; i++)
		if (scopes[i] == PC_OWN_ORG) {
			*org_id = r->who.user.org.id;
			return 0;
		}
	return -1;
}

static int export_scope(struct req *r, enum policy_action act, const char **org_id)
{
	if (export_scope_of(r, act, org_id))
		return reply_problem(r, 403, "forbidden", "your role cannot take this export");
	return 0;
}

/* The export sub-key, derived from the blind-index key. */
static void export_key(const keyring *kr, unsigned char key[crypto_generichash_KEYBYTES])
{
	static const char ctx[] = "himoya/export-pseudonym/v1";
	crypto_generichash(key, crypto_generichash_KEYBYTES, (const unsigned char *)ctx,
			   sizeof ctx - 1, kr->blind, sizeof kr->blind);
}

static void pseudonym(const unsigned char *key, const char *kind, const char *id,
		      char out[PSEUDO_HEX])
{
	crypto_generichash_state st;
	unsigned char h[16];

	crypto_generichash_init(&st, key, crypto_generichash_KEYBYTES, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, PSEUDO_HEX, h, sizeof h);
}

/* Persons with a current consent to a purpose: sorted ids, bsearch. */
struct consent_set {
	char (*ids)[ID_LEN];
	size_t n, cap;
	const char *today;
	const char *purpose;
};

static int consent_collect(void *arg, const char *person_id, const char *coded)
{
	struct consent_set *cs = arg;
	json_t *c;
	int ok;

	if (strlen(person_id) >= ID_LEN)
		return 0;
	c = json_loads(coded, 0, NULL);
	ok = c && consent_covers(c, cs->purpose, NULL, NULL, cs->today);
	json_decref(c);
	if (!ok)
		return 0;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 1024;
		char (*ids)[ID_LEN] = realloc(cs->ids, cap * sizeof *ids);
		if (!ids)
			return -1;
		cs->ids = ids;
		cs->cap = cap;
	}
	memcpy(cs->ids[cs->n++], person_id, strlen(person_id) + 1);
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int consent_set_load(struct req *r, struct consent_set *cs, const char *today)
{
	memset(cs, 0, sizeof *cs);
	cs->today = today;
	cs->purpose = "statistics";
	if (store_export_consents(r->app->st, today, consent_collect, cs) != STORE_OK)
		return -1;
	if (cs->n)
		qsort(cs->ids, cs->n, sizeof *cs->ids, cmp_id);
	return 0;
}

static int consent_set_has(const struct consent_set *cs, const char *person_id)
{
	return cs->n && bsearch(person_id, cs->ids, cs->n, sizeof *cs->ids, cmp_id) != NULL;
}

/* The top-level "birth_date" of a person's opened secret fields (compact
 * JSON from record_seal) into out, or "" when there is none.  A key can
 * only follow '{' or ',': inside a string a quote is escaped, so no name
 * or address can fake one. */
static void secret_birth_date(const char *pt, size_t n, char out[11])
{
	static const char key[] = "\"birth_date\"";
	const char *p = pt, *end = pt + n, *q;

	out[0] = '\0';
	while ((q = memmem(p, (size_t)(end - p), key, sizeof key - 1))) {
		const char *b = q;
		while (b > pt && (b[-1] == ' ' || b[-1] == '\n'))
			b--;
		p = q + sizeof key - 1;
		if (b == pt || (b[-1] != '{' && b[-1] != ','))
			continue;
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p++ != ':')
			return;
		while (p < end && *p == ' ')
			p++;
		if (end - p < 12 || p[0] != '"' || p[11] != '"')
			return;
		memcpy(out, p + 1, 10);
		out[10] = '\0';
		if (!date_valid(out))
			out[0] = '\0';
		return;
	}
}

/* The person's date of birth from the sealed fields into born ("" when
 * none); 0, or -1 when the seal does not open. */
static int person_birth_date(const keyring *kr, arena *scratch, const struct export_row *row,
			     char born[11])
{
	size_t n;
	char *pt;

	born[0] = '\0';
	if (!row->person_sealed_len)
		return 0;
	if (row->person_sealed_len <= SEAL_OVERHEAD)
		return -1;
	n = row->person_sealed_len - SEAL_OVERHEAD;
	pt = arena_alloc(scratch, n + 1);
	if (!pt || seal_decrypt(kr, row->person_sealed, row->person_sealed_len, row->person_id,
				(unsigned char *)pt))
		return -1;
	secret_birth_date(pt, n, born);
	sodium_memzero(pt, n);
	return 0;
}

/* Audit the export in its own transaction; 0, or the problem set. */
static int export_audit(struct req *r, const char *what, const char *from, const char *to,
			const char *detail)
{
	char fields[512], record[64];
	store_tx *tx;
	int rc;

	snprintf(record, sizeof record, "exports/%s", what);
	snprintf(fields, sizeof fields, "from=%s,to=%s,%s", from ? from : "", to ? to : "", detail);
	tx = store_begin(r->app->st);
	rc = tx ? api_audit_write(r, tx, "export", record, fields) : STORE_ERROR;
	return api_tx_end(r, tx, rc);
}

/* Finish the sheet into the body, audit the export, then answer it;
 * 0, or the problem set (and nothing audited when the file could not be
 * made). */
static int export_deliver(struct req *r, struct sheet *sh, const char *type, const char *name,
			  const char *what, const char *from, const char *to, const char *detail)
{
	char *disp;

	buf_reset(&r->out);
	if (sheet_finish(sh, &r->out))
		return reply_problem(r, 413, "export-too-large",
				     "the export is too large: choose a shorter period");
	if (export_audit(r, what, from, to, detail))
		return r->status;
	r->status = 200;
	r->content_type = type;
	r->static_data = NULL;
	disp = arena_alloc(&r->mem, strlen(name) + 32);
	if (disp) {
		snprintf(disp, strlen(name) + 32, "attachment; filename=\"%s\"", name);
		reply_header(r, "Content-Disposition", disp);
	}
	return 0;
}

static void header_count(struct req *r, const char *name, size_t n)
{
	char *v = arena_alloc(&r->mem, 24);
	if (v) {
		snprintf(v, 24, "%zu", n);
		reply_header(r, name, v);
	}
}

/* ---- a declared field's value as a cell --------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

/* The record an id field names, for its pseudonym: ids of the same
 * record are the same pseudonym in every column. */
static const char *id_kind(const struct field *f)
{
	if (!strcmp(f->name, "person_id"))
		return "person";
	if (!strcmp(f->name, "assigned_to"))
		return "user";
	return "case";
}

/* Append s to out (at *o) with a ';' before all but the first; 0, or -1
 * when it does not fit. */
static int join_add(char *out, size_t outlen, size_t *o, const char *s)
{
	int n = snprintf(out + *o, outlen - *o, "%s%s", *o ? ";" : "", s);
	if (n < 0 || (size_t)n >= outlen - *o) {
		out[*o] = '\0';
		return -1;
	}
	*o += (size_t)n;
	return 0;
}

/* A scalar JSON value as text, mapped through map (codes), into out; NULL
 * when absent or mapped to nothing. */
static const char *scalar_text(json_t *v, const struct std_value *map, char *out, size_t outlen)
{
	const char *s;

	if (json_is_string(v)) {
		s = std_value(map, json_string_value(v));
		if (!s || !*s)
			return NULL;
		snprintf(out, outlen, "%s", s);
		return out;
	}
	if (json_is_integer(v)) {
		snprintf(out, outlen, "%lld", (long long)json_integer_value(v));
		return out;
	}
	if (json_is_boolean(v)) {
		snprintf(out, outlen, "%s", json_is_true(v) ? "true" : "false");
		return out;
	}
	return NULL;
}

/* The value of field f in rec as the standard spells it (map: its value
 * table, NULL for internal codes): lists joined with ';' as the HTCDS
 * toolkit joins a multi-select picklist; ids pseudonymous when key is
 * given.  Into out; NULL for an empty cell. */
static const char *field_text(const struct field *f, json_t *rec, const struct std_value *map,
			      const unsigned char *key, char *out, size_t outlen)
{
	json_t *v = json_object_get(rec, f->name), *e;
	char one[256];
	size_t i, o = 0;

	if (!v)
		return NULL;
	if (f->type == FT_ID && key) {
		if (!json_string_value(v) || !*json_string_value(v) || outlen < PSEUDO_HEX)
			return NULL;
		pseudonym(key, id_kind(f), json_string_value(v), out);
		return out;
	}
	if (!json_is_array(v))
		return scalar_text(v, map, out, outlen);
	out[0] = '\0';
	json_array_foreach(v, i, e) {
		const char *s = scalar_text(e, map, one, sizeof one);
		if (s && join_add(out, outlen, &o, s))
			break;
	}
	return o ? out : NULL;
}

/* The member `sub` of every object of the list field f in rec, ';'-joined
 * in the list's order (an absent member an empty place). */
static const char *list_member_text(const struct field *f, const struct field *sub, json_t *rec,
				    char *out, size_t outlen)
{
	json_t *v = json_object_get(rec, f->name), *e;
	char one[256];
	size_t i, o = 0;
	int any = 0;

	out[0] = '\0';
	json_array_foreach(v, i, e) {
		const char *s = scalar_text(json_object_get(e, sub->name), sub->htcds_values, one,
					    sizeof one);
		int n = snprintf(out + o, outlen - o, "%s%s", i ? ";" : "", s ? s : "");
		if (n < 0 || (size_t)n >= outlen - o)
			break;
		o += (size_t)n;
		any |= s != NULL;
	}
	return any ? out : NULL;
}

/* ---- HTCDS 2.0 ---------------------------------------------------------- */

/* The columns: derived ones (no field holds them), then every declared
 * field with an HTCDS name that is not PII, person, case, status
 * decision, trafficking events (hte_: one column per member, each
 * ';'-joined in the events' order). */
enum hsrc { HS_DERIVED, HS_PERSON, HS_CASE, HS_DECISION, HS_EVENT };
enum { D_CASE_ID, D_ORG_TYPE, D_ORG_TYPE_ORIGINAL, D_CONSENT, D_AGE_REGISTERED,
       D_AGE_TRAFFICKED, D_REFERRING, D_REFERRING_ON, D_REFERRED, D_REFERRED_ON, N_DERIVED };

static const struct { const char *name; int first; } derived_cols[N_DERIVED] = {
	[D_CASE_ID] = {"hmy_CaseId", 1},
	[D_ORG_TYPE] = {"org_Type", 1},
	[D_ORG_TYPE_ORIGINAL] = {"hmy_OrgType", 1},
	/* HTCDS core: a row is exported only with a standing consent (to
	 * statistics), so always true (the toolkit's column was blank). */
	[D_CONSENT] = {"con_Consent", 1},
	[D_AGE_REGISTERED] = {"hmy_AgeAtRegistration", 0},
	[D_AGE_TRAFFICKED] = {"vic_AgeWhenTrafficked", 0},
	[D_REFERRING] = {"cas_ReferringOrganisation", 0},
	[D_REFERRING_ON] = {"cas_IncomingReferralDate", 0},
	[D_REFERRED] = {"cas_ReferredOrganisation", 0},
	[D_REFERRED_ON] = {"cas_OutgoingReferralDate", 0},
};

#define HCOLS_MAX 96

struct hcol {
	const char *name;
	enum hsrc src;
	const struct field *f;     /* the declared field (the list for HS_EVENT) */
	const struct field *sub;   /* HS_EVENT: the member */
	int derived;               /* HS_DERIVED: D_* */
};

static size_t hcols_add_schema(struct hcol *c, size_t n, const struct resource_schema *rs,
			       enum hsrc src)
{
	size_t i, j;

	for (i = 0; i < rs->n && n < HCOLS_MAX; i++) {
		const struct field *f = &rs->fields[i];
		if (!f->htcds || f->cls == FC_PII)
			continue;   /* never a personal field in a pseudonymous export */
		if (f->type == FT_OBJECT_LIST) {
			for (j = 0; f->sub && j < f->sub->n && n < HCOLS_MAX; j++)
				if (f->sub->fields[j].htcds && f->sub->fields[j].cls == FC_CODED)
					c[n++] = (struct hcol){f->sub->fields[j].htcds, HS_EVENT, f,
							       &f->sub->fields[j], 0};
			continue;
		}
		if (f->cls != FC_CODED)
			continue;
		c[n++] = (struct hcol){f->htcds, src, f, NULL, 0};
	}
	return n;
}

static size_t hcols_make(struct hcol *c)
{
	size_t n = 0, i;

	for (i = 0; i < N_DERIVED; i++)
		if (derived_cols[i].first)
			c[n++] = (struct hcol){derived_cols[i].name, HS_DERIVED, NULL, NULL, (int)i};
	n = hcols_add_schema(c, n, &case_schema, HS_CASE);
	n = hcols_add_schema(c, n, &decision_schema, HS_DECISION);
	n = hcols_add_schema(c, n, &person_schema, HS_PERSON);
	for (i = 0; i < N_DERIVED && n < HCOLS_MAX; i++)
		if (!derived_cols[i].first)
			c[n++] = (struct hcol){derived_cols[i].name, HS_DERIVED, NULL, NULL, (int)i};
	return n;
}

/* The column order of the xlsx: the toolkit's columns first, in its
 * order (empty where Himoya exports nothing: the toolkit's personal
 * columns stay blank), then the rest in the CSV's order.  order[] gets
 * column indices, -1 for a blank toolkit column; names[] the headers. */
static size_t hcols_toolkit_order(const struct hcol *c, size_t n, int *order, const char **names)
{
	size_t o = 0, i, j;
	unsigned char used[HCOLS_MAX] = {0};

	for (i = 0; htcds_toolkit_columns[i]; i++) {
		order[o] = -1;
		names[o] = htcds_toolkit_columns[i];
		for (j = 0; j < n; j++)
			if (!strcmp(c[j].name, htcds_toolkit_columns[i])) {
				order[o] = (int)j;
				used[j] = 1;
			}
		o++;
	}
	for (j = 0; j < n; j++)
		if (!used[j]) {
			order[o] = (int)j;
			names[o++] = c[j].name;
		}
	return o;
}

struct htcds_ctx {
	struct req *r;
	struct sheet *sh;
	struct consent_set cs;
	unsigned char key[crypto_generichash_KEYBYTES];
	arena scratch;
	struct hcol cols[HCOLS_MAX];
	size_t ncols;
	int order[HCOLS_MAX + 64];
	const char *names[HCOLS_MAX + 64];
	size_t norder;              /* 0: the CSV's order */
	size_t rows, seen;
	int failed;
};

/* A derived column's value into out; NULL for an empty cell. */
static const char *derived_text(struct htcds_ctx *x, int d, const struct export_row *row,
				int age, int age_exploit, char *out, size_t outlen)
{
	const char *s = NULL;
	int n = -1;

	switch (d) {
	case D_CASE_ID:
		pseudonym(x->key, "case", row->case_id, out);
		return out;
	case D_ORG_TYPE:
		s = std_value(htcds_org_type_values, row->org_type);
		break;
	case D_ORG_TYPE_ORIGINAL:
		s = std_value(htcds_org_type_values, row->org_type);
		s = s && strcmp(s, row->org_type) ? row->org_type : NULL;   /* only when mapped */
		break;
	case D_CONSENT:
		s = "true";
		break;
	case D_AGE_REGISTERED:
		n = age;
		break;
	case D_AGE_TRAFFICKED:
		n = age_exploit;
		break;
	case D_REFERRING:
		s = std_value(htcds_org_type_values, row->referring_type);
		break;
	case D_REFERRING_ON:
		s = row->referring_on;
		break;
	case D_REFERRED:
		s = std_value(htcds_org_type_values, row->referred_type);
		break;
	case D_REFERRED_ON:
		s = row->referred_on;
		break;
	default:
		break;
	}
	if (n >= 0) {
		snprintf(out, outlen, "%d", n);
		return out;
	}
	if (!s || !*s)
		return NULL;
	snprintf(out, outlen, "%s", s);
	return out;
}

static int htcds_row(void *arg, const struct export_row *row)
{
	struct htcds_ctx *x = arg;
	const keyring *kr = &x->r->app->kr;
	json_t *c = NULL, *p = NULL, *d = NULL, *est;
	const char **vals;
	char born[11], cell[CELL_MAX];
	int age, age_exploit, rc = -1;
	size_t i;

	if (++x->seen % 1024 == 0)
		arena_free(&x->scratch);
	if (!consent_set_has(&x->cs, row->person_id))
		return 0;
	c = record_open(kr, &x->scratch, row->case_coded, row->case_sealed, row->case_sealed_len,
			row->case_id);
	p = json_loads(row->person_coded, 0, NULL);
	d = json_loads(*row->decision_coded ? row->decision_coded : "{}", 0, NULL);
	vals = arena_alloc(&x->scratch, x->ncols * sizeof *vals);
	if (!c || !p || !d || !vals || person_birth_date(kr, &x->scratch, row, born)) {
		x->failed = 1;
		goto out;
	}
	est = json_object_get(p, "estimated_age");
	std_ages(born[0] ? born : NULL, json_is_integer(est) ? (long)json_integer_value(est) : -1,
		 jstr(c, "exploitation_start"), row->opened_on, &age, &age_exploit);
	for (i = 0; i < x->ncols; i++) {
		const struct hcol *h = &x->cols[i];
		const char *v = NULL;
		switch (h->src) {
		case HS_DERIVED:
			v = derived_text(x, h->derived, row, age, age_exploit, cell, sizeof cell);
			break;
		case HS_PERSON:
			v = field_text(h->f, p, h->f->htcds_values, x->key, cell, sizeof cell);
			break;
		case HS_CASE:
			v = field_text(h->f, c, h->f->htcds_values, x->key, cell, sizeof cell);
			break;
		case HS_DECISION:
			v = field_text(h->f, d, h->f->htcds_values, x->key, cell, sizeof cell);
			break;
		case HS_EVENT:
			v = list_member_text(h->f, h->sub, c, cell, sizeof cell);
			break;
		}
		vals[i] = v ? arena_strdup(&x->scratch, v) : NULL;
	}
	if (x->norder) {
		for (i = 0; i < x->norder; i++)
			sheet_text(x->sh, x->order[i] >= 0 ? vals[x->order[i]] : NULL);
	} else {
		for (i = 0; i < x->ncols; i++)
			sheet_text(x->sh, vals[i]);
	}
	sheet_row_end(x->sh);
	x->rows++;
	rc = 0;
out:
	json_decref(c);
	json_decref(p);
	json_decref(d);
	return rc;
}

/* HTCDS of every organisation for a role with export.anonymous over all
 * (the analyst: pseudonymous, organisations by type), else of the own
 * organisation under export.rows. */
static int htcds_scope(struct req *r, const char **org_id)
{
	if (export_scope_of(r, ACT_EXPORT_ANONYMOUS, org_id) == 0 && !*org_id)
		return 0;
	if (export_scope(r, ACT_EXPORT_ROWS, org_id))
		return r->status;
	*org_id = r->who.user.org.id;
	return 0;
}

static int export_htcds(struct req *r, int xlsx)
{
	struct htcds_ctx *x;
	const char *from, *to, *org_id, *tmp = getenv("TMPDIR");
	char today[11], detail[64];
	size_t i;
	int rc;

	if (htcds_scope(r, &org_id))
		return r->status;
	if (export_period(r, org_id, &from, &to))
		return r->status;
	x = calloc(1, sizeof *x);
	if (!x)
		return reply_problem(r, 500, "internal", "out of memory");
	x->r = r;
	consent_today(today);
	if (consent_set_load(r, &x->cs, today)) {
		free(x->cs.ids);
		free(x);
		return api_store_error(r, STORE_ERROR);
	}
	x->sh = xlsx ? sheet_new(SHEET_XLSX, tmp && *tmp ? tmp : "/tmp") : sheet_new(SHEET_CSV, NULL);
	if (!x->sh) {
		free(x->cs.ids);
		free(x);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	export_key(&r->app->kr, x->key);
	arena_init(&x->scratch, EXPORT_ARENA_CAP);
	x->ncols = hcols_make(x->cols);
	if (xlsx) {
		sheet_tab(x->sh, "HTCDS 2.0");
		x->norder = hcols_toolkit_order(x->cols, x->ncols, x->order, x->names);
		for (i = 0; i < x->norder; i++)
			sheet_text(x->sh, x->names[i]);
	} else {
		for (i = 0; i < x->ncols; i++)
			sheet_text(x->sh, x->cols[i].name);
	}
	sheet_row_end(x->sh);
	rc = store_export_cases(r->app->st, org_id, from, to, 1, htcds_row, x);
	arena_free(&x->scratch);
	free(x->cs.ids);
	sodium_memzero(x->key, sizeof x->key);
	if (rc != STORE_OK) {
		rc = x->failed ? reply_problem(r, 500, "internal", "a record does not open")
			       : api_store_error(r, STORE_ERROR);
		goto out;
	}
	snprintf(detail, sizeof detail, "rows=%zu", x->rows);
	rc = xlsx ? export_deliver(r, x->sh,
				   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				   "htcds.xlsx", "htcds.xlsx", from, to, detail)
		  : export_deliver(r, x->sh, "text/csv; charset=utf-8", "htcds.csv", "htcds", from,
				   to, detail);
	if (rc == 0)
		header_count(r, "X-Export-Rows", x->rows);
	rc = r->status;
out:
	sheet_free(x->sh);
	free(x);
	return rc;
}

int api_export_htcds(struct req *r)
{
	return export_htcds(r, 0);
}

int api_export_htcds_xlsx(struct req *r)
{
	return export_htcds(r, 1);
}

/* ---- CTDC: reading coded fields in place --------------------------------- */

/* The coded fields of a record are a compact JSON object of scalars and
 * lists of scalars (record_seal writes them; objects are never coded).
 * The CTDC export reads 100 000 of them: in place, without a DOM.  A
 * string with an escape is not a code and reads as missing. */
#define FLAT_MAX 64

struct flat {
	const char *k[FLAT_MAX], *v[FLAT_MAX];
	size_t kn[FLAT_MAX], vn[FLAT_MAX];
	size_t n;
};

/* Past the string at p (at its '"'), or NULL. */
static const char *flat_skip_string(const char *p)
{
	for (p++; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				return NULL;
		} else if (*p == '"') {
			return p + 1;
		}
	}
	return NULL;
}

/* Past the value at p (a string, a list, with nested lists and strings
 * skipped whole, or a scalar) at the ',' or '}' after it; NULL when the
 * text ends first. */
static const char *flat_skip_value(const char *p)
{
	int depth = 0;

	for (;;) {
		switch (*p) {
		case '\0':
			return NULL;
		case '"':
			p = flat_skip_string(p);
			if (!p)
				return NULL;
			break;
		case '[':
		case '{':
			depth++;
			p++;
			break;
		case ']':
		case '}':
			if (depth == 0)
				return *p == '}' ? p : NULL;
			depth--;
			p++;
			break;
		default:
			p++;
		}
		if (depth == 0 && (*p == ',' || *p == '}'))
			return p;
	}
}

static int flat_parse(struct flat *f, const char *s)
{
	const char *p = s, *q;

	f->n = 0;
	if (*p++ != '{')
		return -1;
	if (*p == '}')
		return 0;
	for (;;) {
		if (*p != '"' || f->n == FLAT_MAX)
			return -1;
		q = flat_skip_string(p);
		if (!q || *q != ':')
			return -1;
		f->k[f->n] = p + 1;
		f->kn[f->n] = (size_t)(q - p - 2);
		p = q + 1;
		q = flat_skip_value(p);
		if (!q)
			return -1;
		f->v[f->n] = p;
		f->vn[f->n] = (size_t)(q - p);
		f->n++;
		if (*q == '}')
			return 0;
		p = q + 1;
	}
}

static const char *flat_raw(const struct flat *f, const char *key, size_t *n)
{
	size_t i, kl = strlen(key);

	for (i = 0; i < f->n; i++)
		if (f->kn[i] == kl && !memcmp(f->k[i], key, kl)) {
			*n = f->vn[i];
			return f->v[i];
		}
	return NULL;
}

/* A string value of at most outlen - 1 bytes, without escapes, into out;
 * NULL when absent or not such a string.  v[0..n) is the JSON text. */
static const char *flat_string_at(const char *v, size_t n, char *out, size_t outlen)
{
	if (n < 2 || v[0] != '"' || v[n - 1] != '"' || n - 2 >= outlen ||
	    memchr(v + 1, '\\', n - 2))
		return NULL;
	memcpy(out, v + 1, n - 2);
	out[n - 2] = '\0';
	return out[0] ? out : NULL;
}

static const char *flat_str(const struct flat *f, const char *key, char *out, size_t outlen)
{
	size_t n;
	const char *v = flat_raw(f, key, &n);
	return v ? flat_string_at(v, n, out, outlen) : NULL;
}

static long flat_int(const struct flat *f, const char *key)
{
	size_t n;
	const char *v = flat_raw(f, key, &n);
	char *end;
	long x;

	if (!v || n == 0 || n > 6)
		return -1;
	x = strtol(v, &end, 10);
	return end == v + n ? x : -1;
}

/* The strings of a list value: calls fn(code, arg) for each; returns how
 * many there were (0 when absent or not a list). */
static size_t flat_list(const struct flat *f, const char *key,
			void (*fn)(const char *code, void *arg), void *arg)
{
	char code[64];
	size_t n, count = 0;
	const char *v = flat_raw(f, key, &n), *end, *p, *q;

	if (!v || n < 2 || v[0] != '[')
		return 0;
	end = v + n - 1;   /* the ']' */
	for (p = v + 1; p < end; p = q + 1) {
		if (*p != '"')
			return count;
		q = flat_skip_string(p);
		if (!q || q > end)
			return count;
		if (flat_string_at(p, (size_t)(q - p), code, sizeof code)) {
			fn(code, arg);
			count++;
		}
		if (*q != ',')
			break;
	}
	return count;
}

/* ---- CTDC: the columns from the declarations ------------------------------- */

/* The quasi-identifiers, in the order of struct ctdc_row's qi[], with what
 * suppressing one of their cells costs (the published utility: gender,
 * age band and citizenship first), and the one generalisation CTDC
 * publishes: an age band given up while majorityStatus stays. */
enum { QI_YEAR, QI_GENDER, QI_AGE, QI_MAJORITY, QI_MAJORITY_EXPLOIT, QI_CITIZENSHIP,
       QI_COUNTRY, QI_EXPLOIT, QI_COUNT };
static const char *const qi_cols[QI_COUNT] = {
	"yearOfRegistration", "gender", "ageBroad", "majorityStatus", "majorityStatusAtExploit",
	"citizenship", "CountryOfExploitation", "typeOfExploitConcatenated",
};
static const struct kanon_local_attr qi_local[QI_COUNT] = {
	[QI_YEAR] = {2, -1},     [QI_GENDER] = {4, -1},  [QI_AGE] = {4, -1},
	[QI_MAJORITY] = {1, QI_AGE}, [QI_MAJORITY_EXPLOIT] = {1, -1},
	[QI_CITIZENSHIP] = {4, -1}, [QI_COUNTRY] = {2, -1}, [QI_EXPLOIT] = {2, -1},
};

/* Families of flag columns that apply only under one type of
 * exploitation (-99 otherwise), as CTDC publishes them. */
static const struct { const char *prefix, *gate; } ctdc_gates[] = {
	{"typeOfLabour", "isForcedLabour"},
	{"typeOfSex", "isSexualExploit"},
};

#define CTDC_COLS_MAX 128
#define FLAG_FIELDS_MAX 8

/* A field whose codes set CTDC flag columns (its .ctdc_values name
 * columns), and the fields whose value is a column of its own. */
struct ctdc_layout {
	size_t ncols;
	const struct field *flag[FLAG_FIELDS_MAX];
	int flag_person[FLAG_FIELDS_MAX];
	size_t nflag;
	const struct field *value[QI_COUNT];   /* gender, citizenship, country */
	int value_person[QI_COUNT];
	int qi_of_col[CTDC_COLS_MAX];           /* -1: not a quasi-identifier */
	unsigned fed[CTDC_COLS_MAX];            /* bit per flag field setting the column */
	int gate[CTDC_COLS_MAX];                /* the column gating its family, -1 */
	int value_col[FLAG_FIELDS_MAX][64];     /* flag[i]->ctdc_values[j] as a column */
	int labour_col, sex_col;
	int exploit_field;                      /* index in flag[] of typeOfExploit */
};

static int ctdc_col(const struct ctdc_layout *l, const char *name)
{
	size_t i;
	for (i = 0; name && i < l->ncols; i++)
		if (!strcmp(ctdc_columns[i], name))
			return (int)i;
	return -1;
}

static void layout_scan(struct ctdc_layout *l, const struct resource_schema *rs, int person)
{
	size_t i, q;

	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		if (!f->ctdc)
			continue;
		if (f->ctdc_values && ctdc_col(l, f->ctdc_values[0].value) >= 0) {
			if (l->nflag < FLAG_FIELDS_MAX) {
				if (!strcmp(f->ctdc, "typeOfExploit"))
					l->exploit_field = (int)l->nflag;
				l->flag_person[l->nflag] = person;
				l->flag[l->nflag++] = f;
			}
			continue;
		}
		for (q = 0; q < QI_COUNT; q++)
			if (!strcmp(qi_cols[q], f->ctdc)) {
				l->value[q] = f;
				l->value_person[q] = person;
			}
	}
}

static unsigned fed_by(const struct ctdc_layout *l, size_t col);

static void layout_make(struct ctdc_layout *l)
{
	size_t i, j, q;

	memset(l, 0, sizeof *l);
	l->exploit_field = -1;
	while (ctdc_columns[l->ncols] && l->ncols < CTDC_COLS_MAX)
		l->ncols++;
	layout_scan(l, &person_schema, 1);
	layout_scan(l, &case_schema, 0);
	for (i = 0; i < l->ncols; i++) {
		l->qi_of_col[i] = -1;
		for (q = 0; q < QI_COUNT; q++)
			if (!strcmp(ctdc_columns[i], qi_cols[q]))
				l->qi_of_col[i] = (int)q;
		l->fed[i] = fed_by(l, i);
		l->gate[i] = -1;
		for (q = 0; q < sizeof ctdc_gates / sizeof ctdc_gates[0]; q++)
			if (!strncmp(ctdc_columns[i], ctdc_gates[q].prefix,
				     strlen(ctdc_gates[q].prefix)))
				l->gate[i] = ctdc_col(l, ctdc_gates[q].gate);
	}
	for (i = 0; i < l->nflag; i++)
		for (j = 0; j < 64; j++)
			l->value_col[i][j] = -1;
	for (i = 0; i < l->nflag; i++)
		for (j = 0; j < 64 && l->flag[i]->ctdc_values[j].code; j++)
			l->value_col[i][j] = ctdc_col(l, l->flag[i]->ctdc_values[j].value);
	l->labour_col = ctdc_col(l, "isForcedLabour");
	l->sex_col = ctdc_col(l, "isSexualExploit");
}

/* The flag field whose .ctdc is prefix, or -1. */
static int flag_of_prefix(const struct ctdc_layout *l, const char *prefix, size_t len)
{
	size_t i;
	for (i = 0; i < l->nflag; i++)
		if (strlen(l->flag[i]->ctdc) == len && !strncmp(l->flag[i]->ctdc, prefix, len))
			return (int)i;
	return -1;
}

/* Which flag fields set column col (bit per flag field). */
static unsigned fed_by(const struct ctdc_layout *l, size_t col)
{
	unsigned m = 0;
	size_t i;
	const struct std_value *v;

	for (i = 0; i < l->nflag; i++)
		for (v = l->flag[i]->ctdc_values; v->code; v++)
			if (v->value && !strcmp(v->value, ctdc_columns[col]))
				m |= 1u << i;
	return m;
}

/* ---- CTDC: collecting the rows ------------------------------------------- */

struct ctdc_row {
	char person_id[ID_LEN];
	char case_id[ID_LEN];
	char opened_on[11];
	const char *qi[QI_COUNT];
	uint64_t set[CTDC_COLS_MAX / 64];   /* flag columns set */
	uint64_t asked[CTDC_COLS_MAX / 64]; /* flag columns a screening answered */
	uint8_t known;                      /* bit per flag field: the case holds it */
	uint8_t consented;
};

struct ctdc_ctx {
	struct req *r;
	struct ctdc_layout l;
	struct consent_set cs;
	arena scratch;              /* per batch of rows: opened records */
	arena keep;                 /* for the export: strings of the rows */
	struct ctdc_row *rows;
	size_t n, cap, seen;
	const char *years[300];     /* "1900".."2199", made once */
	int failed;
};

static const char *keep_year(struct ctdc_ctx *x, const char *date)
{
	char s[5];
	const char *y = std_year(date, s);
	long i;

	if (!y)
		return KANON_MISSING;
	i = strtol(y, NULL, 10) - 1900;
	if (!x->years[i])
		x->years[i] = arena_strdup(&x->keep, y);
	return x->years[i] ? x->years[i] : KANON_MISSING;
}

struct flag_walk {
	struct ctdc_ctx *x;
	struct ctdc_row *cr;
	size_t fi;                  /* the flag field */
};

static void flag_add(const char *code, void *arg)
{
	struct flag_walk *w = arg;
	const struct std_value *v = w->x->l.flag[w->fi]->ctdc_values;
	size_t j;
	int col;

	for (j = 0; j < 64 && v[j].code; j++)
		if (!strcmp(v[j].code, code) && (col = w->x->l.value_col[w->fi][j]) >= 0)
			w->cr->set[col / 64] |= (uint64_t)1 << (col % 64);
}

/* The codes of a field (a list or one code) through fn; how many. */
static size_t flat_codes(const struct flat *f, const char *key,
			 void (*fn)(const char *code, void *arg), void *arg)
{
	char v[64];
	const char *s = flat_str(f, key, v, sizeof v);

	if (s) {
		fn(s, arg);
		return 1;
	}
	return flat_list(f, key, fn, arg);
}

static void first_code(const char *code, void *arg)
{
	char *out = arg;
	if (!out[0])
		snprintf(out, 64, "%s", code);
}

/* A value column (gender, citizenship, country of exploitation): its
 * first code, through the field's CTDC spelling; a country only as ISO
 * 3166 alpha-2 (one country per column). */
static const char *ctdc_value_of(struct ctdc_ctx *x, const struct field *f, const struct flat *fl)
{
	char v[64] = "";
	const char *s;

	if (!f)
		return KANON_MISSING;
	flat_codes(fl, f->name, first_code, v);
	if (!v[0])
		return KANON_MISSING;
	if (f->type == FT_COUNTRY || f->type == FT_COUNTRY_LIST) {
		if (strlen(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z')
			return KANON_MISSING;
	}
	s = std_value(f->ctdc_values, v);
	if (!s)
		return KANON_MISSING;
	return s == v ? arena_strdup(&x->keep, v) : s;
}

static int is_set(const struct ctdc_row *cr, int col)
{
	return col >= 0 && (cr->set[col / 64] >> (col % 64)) & 1;
}

static int is_asked(const struct ctdc_row *cr, int col)
{
	return col >= 0 && (cr->asked[col / 64] >> (col % 64)) & 1;
}

/* The suffixes of the set columns a flag field feeds, ';'-joined, into
 * out ("" when none). */
static void flag_concat(const struct ctdc_layout *l, const struct ctdc_row *cr, size_t fi,
			char *out, size_t outlen)
{
	const char *prefix = l->flag[fi]->ctdc;
	size_t i, o = 0, plen = strlen(prefix);

	out[0] = '\0';
	for (i = 0; i < l->ncols; i++) {
		const char *c = ctdc_columns[i];
		if (!is_set(cr, (int)i) || (!(l->fed[i] & (1u << fi)) &&
					     !(is_asked(cr, (int)i) && !strncmp(c, prefix, plen))))
			continue;
		join_add(out, outlen, &o, !strncmp(c, prefix, plen) ? c + plen
					  : !strncmp(c, "is", 2) ? c + 2 : c);
	}
}

static int ctdc_collect(void *arg, const struct export_row *row)
{
	struct ctdc_ctx *x = arg;
	struct ctdc_row *cr;
	struct flat pc, cc;
	char born[11], start[11], list[512];
	size_t i;
	int age, age_exploit;

	if (++x->seen % 1024 == 0)
		arena_free(&x->scratch);
	/* Presumed and official victims only. */
	if (strcmp(row->trafficking_status, "PossibleVictimOfTrafficking") &&
	    strcmp(row->trafficking_status, "ActualVictimOfTrafficking"))
		return 0;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 4096;
		struct ctdc_row *rows = realloc(x->rows, cap * sizeof *rows);
		if (!rows)
			return -1;
		x->rows = rows;
		x->cap = cap;
	}
	cr = &x->rows[x->n];
	memset(cr, 0, sizeof *cr);
	snprintf(cr->person_id, sizeof cr->person_id, "%s", row->person_id);
	snprintf(cr->case_id, sizeof cr->case_id, "%s", row->case_id);
	snprintf(cr->opened_on, sizeof cr->opened_on, "%s", row->opened_on);
	x->n++;
	cr->consented = (uint8_t)consent_set_has(&x->cs, row->person_id);
	if (!cr->consented)
		return 0;   /* counted, never read */
	if (flat_parse(&pc, row->person_coded) || flat_parse(&cc, row->case_coded) ||
	    person_birth_date(&x->r->app->kr, &x->scratch, row, born)) {
		x->failed = 1;
		return -1;
	}
	std_ages(born[0] ? born : NULL, flat_int(&pc, "estimated_age"),
		 flat_str(&cc, "exploitation_start", start, sizeof start), row->opened_on, &age,
		 &age_exploit);
	for (i = 0; i < x->l.nflag; i++) {
		struct flag_walk w = {x, cr, i};
		if (flat_codes(x->l.flag_person[i] ? &pc : &cc, x->l.flag[i]->name, flag_add, &w))
			cr->known |= (uint8_t)(1u << i);
	}
	cr->qi[QI_YEAR] = keep_year(x, row->opened_on);
	cr->qi[QI_AGE] = std_age_band(age) ? std_age_band(age) : KANON_MISSING;
	cr->qi[QI_MAJORITY] = std_majority(age) ? std_majority(age) : KANON_MISSING;
	cr->qi[QI_MAJORITY_EXPLOIT] = std_majority(age_exploit) ? std_majority(age_exploit)
								 : KANON_MISSING;
	for (i = 0; i < QI_COUNT; i++)
		if (x->l.value[i])
			cr->qi[i] = ctdc_value_of(x, x->l.value[i],
						  x->l.value_person[i] ? &pc : &cc);
	cr->qi[QI_EXPLOIT] = KANON_MISSING;
	if (x->l.exploit_field >= 0 && (cr->known & (1u << x->l.exploit_field))) {
		flag_concat(&x->l, cr, (size_t)x->l.exploit_field, list, sizeof list);
		cr->qi[QI_EXPLOIT] = list[0] ? arena_strdup(&x->keep, list) : KANON_MISSING;
	}
	for (i = 0; i < QI_COUNT; i++)
		if (!cr->qi[i])
			return -1;   /* the export arena is full */
	return 0;
}

/* Newest case last within a person. */
static int cmp_person_case(const void *a, const void *b)
{
	const struct ctdc_row *x = a, *y = b;
	int c = strcmp(x->person_id, y->person_id);
	if (!c)
		c = strcmp(x->opened_on, y->opened_on);
	return c ? c : strcmp(x->case_id, y->case_id);
}

/* One row per person: the newest victim case; the persons without a
 * standing consent to statistics counted into *no_consent and left out. */
static void ctdc_one_per_person(struct ctdc_ctx *x, size_t *no_consent)
{
	size_t i, o = 0;

	*no_consent = 0;
	if (x->n)
		qsort(x->rows, x->n, sizeof *x->rows, cmp_person_case);
	for (i = 0; i < x->n; i++) {
		if (i + 1 < x->n && !strcmp(x->rows[i].person_id, x->rows[i + 1].person_id))
			continue;
		if (!x->rows[i].consented) {
			(*no_consent)++;
			continue;
		}
		if (o != i)
			x->rows[o] = x->rows[i];
		o++;
	}
	x->n = o;
}

/* ---- CTDC: what screenings and the hotline add ----------------------------- */

/* The means of control a case's records show beside its own fields: a
 * screening's answers to the indicators of indicator_ctdc ("yes" sets
 * the column, "no" makes it known), and the ILO indicators a hotline
 * operator flagged on a contact linked to the case (flagged: set). */
struct case_walk {
	struct ctdc_ctx *x;
	size_t *by_case;            /* indices of x->rows, sorted by case id */
	const struct field *ilo;    /* the contact's indicators field */
};

static int cmp_by_case(const void *a, const void *b, void *rows)
{
	const struct ctdc_row *r = rows;
	return strcmp(r[*(const size_t *)a].case_id, r[*(const size_t *)b].case_id);
}

static struct ctdc_row *row_of_case(struct case_walk *w, const char *case_id)
{
	size_t lo = 0, hi = w->x->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(w->x->rows[w->by_case[mid]].case_id, case_id);
		if (!c)
			return &w->x->rows[w->by_case[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void mark(struct ctdc_ctx *x, struct ctdc_row *cr, const char *col, int yes)
{
	int i = ctdc_col(&x->l, col);
	if (i < 0)
		return;
	cr->asked[i / 64] |= (uint64_t)1 << (i % 64);
	if (yes)
		cr->set[i / 64] |= (uint64_t)1 << (i % 64);
}

static int screening_seen(void *arg, const char *case_id, const char *id, const char *coded,
			  const unsigned char *sealed, size_t sealed_len)
{
	struct case_walk *w = arg;
	struct ctdc_row *cr = row_of_case(w, case_id);
	const struct std_value *v;
	unsigned char *pt;
	json_t *doc, *answers;
	size_t n;

	(void)coded;
	if (!cr || sealed_len <= SEAL_OVERHEAD)
		return 0;
	n = sealed_len - SEAL_OVERHEAD;
	pt = malloc(n);
	if (!pt)
		return -1;
	if (seal_decrypt(&w->x->r->app->kr, sealed, sealed_len, id, pt)) {
		free(pt);
		return 0;   /* not a screening this key opens: nothing learnt */
	}
	doc = json_loadb((const char *)pt, n, 0, NULL);
	sodium_memzero(pt, n);
	free(pt);
	answers = json_object_get(doc, "answers");
	for (v = indicator_ctdc; v->code; v++) {
		const char *a = json_string_value(json_object_get(answers, v->code));
		if (a && (!strcmp(a, "yes") || !strcmp(a, "no")))
			mark(w->x, cr, v->value, !strcmp(a, "yes"));
	}
	json_decref(doc);
	return 0;
}

static void contact_flag(const char *code, void *arg)
{
	struct { struct case_walk *w; struct ctdc_row *cr; } *c = arg;
	const char *col = std_value(c->w->ilo->ctdc_values, code);

	if (col && col != code)
		mark(c->w->x, c->cr, col, 1);
}

static int contact_seen(void *arg, const char *case_id, const char *id, const char *coded,
			const unsigned char *sealed, size_t sealed_len)
{
	struct case_walk *w = arg;
	struct { struct case_walk *w; struct ctdc_row *cr; } c = {w, row_of_case(w, case_id)};
	struct flat f;

	(void)id;
	(void)sealed;
	(void)sealed_len;
	if (c.cr && w->ilo && !flat_parse(&f, coded))
		flat_list(&f, w->ilo->name, contact_flag, &c);
	return 0;
}

static int ctdc_case_records(struct ctdc_ctx *x)
{
	struct case_walk w = {x, NULL, schema_field(&contact_schema, "indicators")};
	size_t i;
	int rc;

	if (!x->n)
		return STORE_OK;
	w.by_case = malloc(x->n * sizeof *w.by_case);
	if (!w.by_case)
		return STORE_ERROR;
	for (i = 0; i < x->n; i++)
		w.by_case[i] = i;
	qsort_r(w.by_case, x->n, sizeof *w.by_case, cmp_by_case, x->rows);
	rc = store_export_case_records(x->r->app->st, EXPORT_SCREENINGS, screening_seen, &w);
	if (rc == STORE_OK)
		rc = store_export_case_records(x->r->app->st, EXPORT_CONTACTS, contact_seen, &w);
	free(w.by_case);
	return rc;
}

/* ---- CTDC: writing ------------------------------------------------------- */

/* A published value: -99 and whole numbers as numbers, the rest as text. */
static void ctdc_value(struct sheet *sh, const char *v)
{
	const char *p;

	if (!v || !*v || !strcmp(v, KANON_MISSING)) {
		sheet_int(sh, -99);
		return;
	}
	for (p = v; *p >= '0' && *p <= '9'; p++)
		;
	if (!*p && p - v <= 9)
		sheet_int(sh, strtol(v, NULL, 10));
	else
		sheet_text(sh, v);
}

static void ctdc_write_row(struct sheet *sh, const struct ctdc_layout *l,
			   const struct ctdc_row *cr, const char *const *qi)
{
	int exploit_gone = cr->known & (1u << l->exploit_field) &&
			   !strcmp(qi[QI_EXPLOIT], KANON_MISSING);
	size_t i;
	char s[512];

	if (l->exploit_field < 0 || !(cr->known & (1u << l->exploit_field)))
		exploit_gone = 1;
	for (i = 0; i < l->ncols; i++) {
		const char *col = ctdc_columns[i];
		size_t len = strlen(col);
		unsigned fed = l->fed[i];
		int gate = l->gate[i] < 0 ? -1 : !exploit_gone && is_set(cr, l->gate[i]), fi;

		if (l->qi_of_col[i] >= 0) {
			ctdc_value(sh, qi[l->qi_of_col[i]]);
		} else if (!strcmp(col, "Datasource")) {
			sheet_text(sh, "Case Management");
		} else if (!strcmp(col, "isSexAndLabour")) {
			if (exploit_gone)
				sheet_int(sh, -99);
			else
				sheet_int(sh, is_set(cr, l->labour_col) && is_set(cr, l->sex_col));
		} else if (gate == 0 || (exploit_gone && fed & (1u << l->exploit_field))) {
			sheet_int(sh, -99);
		} else if (fed || is_asked(cr, (int)i)) {
			sheet_int(sh, is_set(cr, (int)i) ? 1
				      : (cr->known & fed) || is_asked(cr, (int)i) ? 0 : -99);
		} else if (len > 12 && !strcmp(col + len - 12, "Concatenated") &&
			   (fi = flag_of_prefix(l, col, len - 12)) >= 0) {
			flag_concat(l, cr, (size_t)fi, s, sizeof s);
			ctdc_value(sh, (cr->known & (1u << fi)) ? s : NULL);
		} else if (len > 12 && !strcmp(col + len - 12, "NotSpecified") &&
			   (fi = flag_of_prefix(l, col, len - 12)) >= 0) {
			sheet_int(sh, !(cr->known & (1u << fi)));
		} else if (len > 7 && !strcmp(col + len - 7, "Unknown") &&
			   (fi = flag_of_prefix(l, col, len - 7)) >= 0) {
			sheet_int(sh, !(cr->known & (1u << fi)));
		} else if ((fi = flag_of_prefix(l, "recruiterRelation", 17)) >= 0 &&
			   !strcmp(col, "RecruiterRelationship")) {
			/* The relation in words: the suffix of its flag column. */
			flag_concat(l, cr, (size_t)fi, s, sizeof s);
			ctdc_value(sh, (cr->known & (1u << fi)) ? s : NULL);
		} else {
			sheet_int(sh, -99);   /* Himoya records nothing that sets it */
		}
	}
	sheet_row_end(sh);
}

int api_export_ctdc(struct req *r)
{
	struct ctdc_ctx *x;
	struct kanon_table t;
	struct kanon_local_result res;
	size_t per[QI_COUNT];
	unsigned char *dropped = NULL;
	const char **cells = NULL;
	size_t *order = NULL;
	const char *from, *to, *org_id;
	char today[11], detail[200];
	struct sheet *sh = NULL;
	unsigned k = r->app->cfg.report_k;
	size_t i, kept = 0, no_consent = 0;
	int rc;

	if (export_scope(r, ACT_EXPORT_ANONYMOUS, &org_id))
		return r->status;
	if (export_period(r, org_id, &from, &to))
		return r->status;
	x = calloc(1, sizeof *x);
	if (!x)
		return reply_problem(r, 500, "internal", "out of memory");
	x->r = r;
	layout_make(&x->l);
	arena_init(&x->scratch, EXPORT_ARENA_CAP);
	arena_init(&x->keep, EXPORT_ARENA_CAP);
	consent_today(today);
	if (consent_set_load(r, &x->cs, today)) {
		rc = api_store_error(r, STORE_ERROR);
		goto out;
	}
	rc = store_export_cases(r->app->st, org_id, from, to, 0, ctdc_collect, x);
	if (rc != STORE_OK) {
		rc = x->failed ? reply_problem(r, 500, "internal", "a record does not open")
			       : api_store_error(r, STORE_ERROR);
		goto out;
	}
	ctdc_one_per_person(x, &no_consent);
	if (ctdc_case_records(x) != STORE_OK) {
		rc = api_store_error(r, STORE_ERROR);
		goto out;
	}

	/* k-anonymity over the quasi-identifiers, by local suppression. */
	cells = malloc((x->n ? x->n : 1) * QI_COUNT * sizeof *cells);
	dropped = malloc(x->n ? x->n : 1);
	if (!cells || !dropped) {
		rc = reply_problem(r, 500, "internal", "out of memory");
		goto out;
	}
	for (i = 0; i < x->n; i++)
		memcpy(cells + i * QI_COUNT, x->rows[i].qi, sizeof x->rows[i].qi);
	t = (struct kanon_table){x->n, QI_COUNT, cells};
	res = (struct kanon_local_result){dropped, per, 0, 0};
	if (kanon_local(&t, qi_local, k ? k : 1, &res) || !kanon_check(&t, dropped, k ? k : 1)) {
		rc = reply_problem(r, 500, "internal", "the export could not be anonymised");
		goto out;
	}

	sh = sheet_new(SHEET_CSV, NULL);
	order = malloc((x->n ? x->n : 1) * sizeof *order);
	if (!sh || !order) {
		rc = reply_problem(r, 500, "internal", "out of memory");
		goto out;
	}
	for (i = 0; i < x->l.ncols; i++)
		sheet_text(sh, ctdc_columns[i]);
	sheet_row_end(sh);
	/* Rows in a random order: the order of registration is not
	 * published (it could link a row to a known case). */
	for (i = 0; i < x->n; i++)
		order[i] = i;
	for (i = x->n; i > 1; i--) {
		size_t j = randombytes_uniform((uint32_t)i), tmp = order[i - 1];
		order[i - 1] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < x->n; i++) {
		size_t row = order[i];
		if (dropped[row])
			continue;
		ctdc_write_row(sh, &x->l, &x->rows[row], cells + row * QI_COUNT);
		kept++;
	}
	snprintf(detail, sizeof detail,
		 "rows=%zu,k=%u,suppressed=%zu,dropped=%zu,no_consent=%zu,"
		 "cells=%zu/%zu/%zu/%zu/%zu/%zu/%zu/%zu",
		 kept, k, res.cells_suppressed, res.dropped_rows, no_consent, per[0], per[1],
		 per[2], per[3], per[4], per[5], per[6], per[7]);
	rc = export_deliver(r, sh, "text/csv; charset=utf-8", "ctdc.csv", "ctdc", from, to,
			    detail);
	if (rc == 0) {
		header_count(r, "X-Export-Rows", kept);
		header_count(r, "X-Export-K", k);
		header_count(r, "X-Export-Suppressed", res.cells_suppressed);
		/* Exact counts of what the file leaves out: the own
		 * organisation's only (over every organisation they gave, with
		 * the rows, the victims of a period that the figures hide). */
		if (org_id) {
			header_count(r, "X-Export-Dropped", res.dropped_rows);
			header_count(r, "X-Export-Dropped-No-Consent", no_consent);
		}
	}
	rc = r->status;
out:
	sheet_free(sh);
	free(order);
	free(cells);
	free(dropped);
	free(x->rows);
	free(x->cs.ids);
	arena_free(&x->scratch);
	arena_free(&x->keep);
	free(x);
	return rc;
}

/* ---- cases.xlsx ---------------------------------------------------------- */

/* The columns: the case id, the declared case and person fields in clear
 * (coded; object lists left out), the age at registration, and with
 * pii=1 the person's FC_PII fields: the field class decides, no list. */
struct xcol {
	const char *name;
	const struct field *f;     /* NULL: case_id or the age */
	int person;
};

#define XCOLS_MAX 96

static size_t xcols_add(struct xcol *c, size_t n, const struct resource_schema *rs, int person,
			enum field_class cls)
{
	size_t i;

	for (i = 0; i < rs->n && n < XCOLS_MAX; i++) {
		const struct field *f = &rs->fields[i];
		if (f->cls == cls && f->type != FT_OBJECT_LIST)
			c[n++] = (struct xcol){f->name, f, person};
	}
	return n;
}

struct xlsx_ctx {
	struct req *r;
	struct sheet *sh;
	arena scratch;
	struct xcol cols[XCOLS_MAX];
	size_t ncols;
	char pii_fields[512];      /* the PII columns, for the audit */
	size_t rows;
	int pii, failed;
};

static int xlsx_row(void *arg, const struct export_row *row)
{
	struct xlsx_ctx *x = arg;
	const keyring *kr = &x->r->app->kr;
	json_t *c, *p, *est;
	char cell[CELL_MAX], record[64];
	const char *birth;
	int age, age_exploit;
	size_t i;

	if (++x->rows % 1024 == 0)
		arena_free(&x->scratch);
	c = json_loads(row->case_coded, 0, NULL);
	p = record_open(kr, &x->scratch, row->person_coded, row->person_sealed,
			row->person_sealed_len, row->person_id);
	if (!c || !p) {
		json_decref(c);
		json_decref(p);
		x->failed = 1;
		return -1;
	}
	birth = jstr(p, "birth_date");
	est = json_object_get(p, "estimated_age");
	std_ages(birth, json_is_integer(est) ? (long)json_integer_value(est) : -1,
		 jstr(c, "exploitation_start"), row->opened_on, &age, &age_exploit);
	for (i = 0; i < x->ncols; i++) {
		const struct xcol *col = &x->cols[i];
		if (!col->f && !strcmp(col->name, "case_id")) {
			sheet_text(x->sh, row->case_id);
		} else if (!col->f) {
			if (age >= 0)
				sheet_int(x->sh, age);
			else
				sheet_text(x->sh, NULL);
		} else {
			sheet_text(x->sh, field_text(col->f, col->person ? p : c, NULL, NULL, cell,
						     sizeof cell));
		}
	}
	if (x->pii) {
		snprintf(record, sizeof record, "persons/%s", row->person_id);
		api_audit_read(x->r, record, x->pii_fields);
	}
	sheet_row_end(x->sh);
	json_decref(c);
	json_decref(p);
	return 0;
}

int api_export_cases_xlsx(struct req *r)
{
	struct xlsx_ctx *x;
	const char *from, *to, *org_id, *pii = req_query(r, "pii");
	const char *tmp = getenv("TMPDIR");
	char detail[64];
	policy_relation rel = PC_OWN_ORG;
	size_t i, o = 0;
	int rc;

	if (export_scope(r, ACT_EXPORT_ROWS, &org_id))
		return r->status;
	org_id = r->who.user.org.id;   /* rows are of the caller's organisation only */
	if (export_period(r, org_id, &from, &to))
		return r->status;
	if (r->who.kind == AUTH_COOKIE && r->who.user.totp_enabled)
		rel |= PC_SECOND_FACTOR;
	if (pii && !strcmp(pii, "1") && policy_allows(ACT_EXPORT_PII, r->who.user.role, rel) < 0)
		return reply_problem(r, 403, "forbidden",
				     "personal data in an export needs the export.pii permission "
				     "(a supervisor signed in with a second factor)");
	x = calloc(1, sizeof *x);
	if (!x)
		return reply_problem(r, 500, "internal", "out of memory");
	x->r = r;
	x->pii = pii && !strcmp(pii, "1");
	x->cols[x->ncols++] = (struct xcol){"case_id", NULL, 0};
	x->ncols = xcols_add(x->cols, x->ncols, &case_schema, 0, FC_CODED);
	x->ncols = xcols_add(x->cols, x->ncols, &person_schema, 1, FC_CODED);
	x->cols[x->ncols++] = (struct xcol){"age_at_registration", NULL, 0};
	if (x->pii) {
		size_t first = x->ncols;
		x->ncols = xcols_add(x->cols, x->ncols, &person_schema, 1, FC_PII);
		for (i = first; i < x->ncols; i++)
			o += (size_t)snprintf(x->pii_fields + o, sizeof x->pii_fields - o, "%s%s",
					      o ? "," : "", x->cols[i].name);
	}
	x->sh = sheet_new(SHEET_XLSX, tmp && *tmp ? tmp : "/tmp");
	if (!x->sh) {
		free(x);
		return reply_problem(r, 500, "internal", "no room for the workbook");
	}
	arena_init(&x->scratch, EXPORT_ARENA_CAP);
	sheet_tab(x->sh, "cases");
	for (i = 0; i < x->ncols; i++)
		sheet_text(x->sh, x->cols[i].name);
	sheet_row_end(x->sh);
	rc = store_export_cases(r->app->st, org_id, from, to, 1, xlsx_row, x);
	arena_free(&x->scratch);
	if (rc != STORE_OK) {
		rc = x->failed ? reply_problem(r, 500, "internal", "a record does not open")
			       : api_store_error(r, STORE_ERROR);
		goto out;
	}
	snprintf(detail, sizeof detail, "rows=%zu,pii=%d", x->rows, x->pii);
	rc = export_deliver(r, x->sh,
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			    "cases.xlsx", "cases", from, to, detail);
	if (rc == 0)
		header_count(r, "X-Export-Rows", x->rows);
	rc = r->status;
out:
	sheet_free(x->sh);
	free(x);
	return rc;
}
