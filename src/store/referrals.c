/*
 * referrals.c - SQL for referrals between organisations, the access they
 * give, transfers of a case, and the audit seen from outside.
 *
 * Another organisation reaches a case only through REFERRAL_ACCESS: an
 * accepted referral to it whose consent (an item of kind consent) is
 * still active and not expired.  Withdrawing the consent flips the
 * consent's status column, and the access is gone at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

#define REF_COLS \
	"f.id, f.kind, f.case_id, f.person_id, f.from_org, f.to_org, coalesce(f.consent_id, '')," \
	" f.status, f.urgency, coalesce(f.due, ''), f.version, f.share, f.coded, f.sealed," \
	" coalesce(f.created_by, ''), f.created_at, f.updated_at, coalesce(f.responded_at, '')," \
	" a.code, a.name, a.type, b.code, b.name, b.type"
#define REF_FROM \
	" FROM referrals f JOIN orgs a ON a.id = f.from_org JOIN orgs b ON b.id = f.to_org"

/* The condition under which referral f gives access, shared with the
 * case list's scope in cases.c (keep the two in step). */
#define REFERRAL_LIVE \
	"f.status = 'accepted' AND f.kind = 'referral' AND EXISTS (SELECT 1 FROM items c" \
	" WHERE c.id = f.consent_id AND c.status = 'active' AND (c.due IS NULL OR c.due >= ?9))"

static const char SQL_INSERT[] =
	"INSERT INTO referrals(id, kind, case_id, person_id, from_org, to_org, consent_id, status,"
	" urgency, due, version, share, coded, sealed, created_by, created_at, updated_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
static const char SQL_GET[] = "SELECT " REF_COLS REF_FROM " WHERE f.id = ?1";
static const char SQL_UPDATE[] =
	"UPDATE referrals SET status = ?2, version = ?3, coded = ?4, sealed = ?5, updated_at = ?6,"
	" responded_at = ?7, consent_id = ?8 WHERE id = ?1 AND version = ?9";
static const char SQL_EXISTS[] = "SELECT 1 FROM referrals WHERE id = ?1";
static const char SQL_IN[] =
	"SELECT " REF_COLS REF_FROM " WHERE f.to_org = ?1 AND (?2 IS NULL OR f.status = ?2)"
	" AND (?3 IS NULL OR (f.due < ?3 AND f.status IN ('sent', 'accepted')))"
	" ORDER BY f.created_at DESC, f.rowid DESC LIMIT 500";
static const char SQL_OUT[] =
	"SELECT " REF_COLS REF_FROM " WHERE f.from_org = ?1 AND (?2 IS NULL OR f.status = ?2)"
	" AND (?3 IS NULL OR (f.due < ?3 AND f.status IN ('sent', 'accepted')))"
	" ORDER BY f.created_at DESC, f.rowid DESC LIMIT 500";
static const char SQL_ACCESS_CASE[] =
	"SELECT " REF_COLS REF_FROM " WHERE f.case_id = ?1 AND f.to_org = ?2 AND " REFERRAL_LIVE
	" ORDER BY f.updated_at DESC LIMIT 1";
static const char SQL_ACCESS_PERSON[] =
	"SELECT " REF_COLS REF_FROM " WHERE f.person_id = ?1 AND f.to_org = ?2 AND " REFERRAL_LIVE
	" ORDER BY f.updated_at DESC LIMIT 1";
static const char SQL_MOVE_CASE[] = "UPDATE cases SET org_id = ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_MOVE_PERSON[] =
	"UPDATE persons SET org_id = ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_MOVE_ITEMS[] = "UPDATE items SET org_id = ?2 WHERE person_id = ?1 AND kind = 'consent'";

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static int read_referral(db_stmt *s, struct referral_row *f, arena *a)
{
	size_t n = db_col_bytes(s, 13);
	char *share = arena_strndup(a, db_col_text(s, 11), db_col_bytes(s, 11));
	char *coded = arena_strndup(a, db_col_text(s, 12), db_col_bytes(s, 12));
	unsigned char *sealed = NULL;

	if (!share || !coded)
		return STORE_ERROR;
	if (n) {
		sealed = arena_alloc(a, n);
		if (!sealed)
			return STORE_ERROR;
		memcpy(sealed, db_col_blob(s, 13), n);
	}
	memset(f, 0, sizeof *f);
	store_col_copy(s, 0, f->id, sizeof f->id);
	store_col_copy(s, 1, f->kind, sizeof f->kind);
	store_col_copy(s, 2, f->case_id, sizeof f->case_id);
	store_col_copy(s, 3, f->person_id, sizeof f->person_id);
	store_col_copy(s, 4, f->from_org, sizeof f->from_org);
	store_col_copy(s, 5, f->to_org, sizeof f->to_org);
	store_col_copy(s, 6, f->consent_id, sizeof f->consent_id);
	store_col_copy(s, 7, f->status, sizeof f->status);
	store_col_copy(s, 8, f->urgency, sizeof f->urgency);
	store_col_copy(s, 9, f->due, sizeof f->due);
	f->version = db_col_int(s, 10);
	f->share = share;
	f->coded = coded;
	f->sealed = sealed;
	f->sealed_len = sealed ? n : 0;
	store_col_copy(s, 14, f->created_by, sizeof f->created_by);
	store_col_copy(s, 15, f->created_at, sizeof f->created_at);
	store_col_copy(s, 16, f->updated_at, sizeof f->updated_at);
	store_col_copy(s, 17, f->responded_at, sizeof f->responded_at);
	snprintf(f->from.id, sizeof f->from.id, "%s", f->from_org);
	store_col_copy(s, 18, f->from.code, sizeof f->from.code);
	store_col_copy(s, 19, f->from.name, sizeof f->from.name);
	store_col_copy(s, 20, f->from.type, sizeof f->from.type);
	snprintf(f->to.id, sizeof f->to.id, "%s", f->to_org);
	store_col_copy(s, 21, f->to.code, sizeof f->to.code);
	store_col_copy(s, 22, f->to.name, sizeof f->to.name);
	store_col_copy(s, 23, f->to.type, sizeof f->to.type);
	return STORE_OK;
}

static void bind_sealed(db_stmt *s, int i, const unsigned char *p, size_t n)
{
	if (p && n)
		db_bind_blob(s, i, p, n);
	else
		db_bind_null(s, i);
}

int store_referral_insert(store_tx *tx, const struct referral_row *f)
{
	db_stmt *s = db_prepare(tx->d, SQL_INSERT);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, f->id);
	db_bind_str(s, 2, f->kind);
	db_bind_str(s, 3, f->case_id);
	db_bind_str(s, 4, f->person_id);
	db_bind_str(s, 5, f->from_org);
	db_bind_str(s, 6, f->to_org);
	db_bind_str(s, 7, or_null(f->consent_id));
	db_bind_str(s, 8, f->status);
	db_bind_str(s, 9, f->urgency);
	db_bind_str(s, 10, or_null(f->due));
	db_bind_int(s, 11, f->version);
	db_bind_str(s, 12, f->share);
	db_bind_str(s, 13, f->coded);
	bind_sealed(s, 14, f->sealed, f->sealed_len);
	db_bind_str(s, 15, or_null(f->created_by));
	db_bind_str(s, 16, f->created_at);
	db_bind_str(s, 17, f->updated_at);
	rc = db_step(s);
	db_reset(s);
	if (rc == DB_DONE)
		return STORE_OK;
	return rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

/* Run a one-row query on a reader. */
static int get_one(store *st, const char *sql, const char *p1, const char *p2, const char *p9,
		   struct referral_row *f, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, sql);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, p1);
		if (p2)
			db_bind_str(s, 2, p2);
		if (p9)
			db_bind_str(s, 9, p9);
		rc = db_step(s);
		if (rc == DB_ROW)
			rc = read_referral(s, f, a);
		else
			rc = rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_referral_get(store *st, const char *id, struct referral_row *f, arena *a)
{
	return get_one(st, SQL_GET, id, NULL, NULL, f, a);
}

int store_referral_access(store *st, const char *case_id, const char *person_id,
			  const char *org_id, const char *today, struct referral_row *f, arena *a)
{
	if (case_id)
		return get_one(st, SQL_ACCESS_CASE, case_id, org_id, today, f, a);
	return get_one(st, SQL_ACCESS_PERSON, person_id, org_id, today, f, a);
}

int store_referral_update(store_tx *tx, const struct referral_row *f)
{
	db_stmt *s = db_prepare(tx->d, SQL_UPDATE);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, f->id);
	db_bind_str(s, 2, f->status);
	db_bind_int(s, 3, f->version);
	db_bind_str(s, 4, f->coded);
	bind_sealed(s, 5, f->sealed, f->sealed_len);
	db_bind_str(s, 6, f->updated_at);
	db_bind_str(s, 7, or_null(f->responded_at));
	db_bind_str(s, 8, or_null(f->consent_id));
	db_bind_int(s, 9, f->version - 1);
	return store_step_versioned(tx, s, SQL_EXISTS, f->id);
}

int store_referrals_list(store *st, const char *org_id, int in, const char *status,
			 const char *overdue_before, struct referral_row **rows, size_t *n,
			 arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, in ? SQL_IN : SQL_OUT);
	struct referral_row *out;
	size_t cap = 16;
	int rc = DB_ERROR;

	*n = 0;
	*rows = NULL;
	out = arena_alloc(a, cap * sizeof *out);
	if (s && out) {
		db_bind_str(s, 1, org_id);
		db_bind_str(s, 2, or_null(status));
		db_bind_str(s, 3, or_null(overdue_before));
		while ((rc = db_step(s)) == DB_ROW) {
			struct referral_row *grown = store_grow(a, out, &cap, *n, sizeof *out);
			if (!grown) {
				rc = DB_ERROR;
				break;
			}
			out = grown;
			if (read_referral(s, &out[*n], a) != STORE_OK) {
				rc = DB_ERROR;
				break;
			}
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

static int run3(store_tx *tx, const char *sql, const char *a, const char *b, const char *c)
{
	db_stmt *s = db_prepare(tx->d, sql);
	int rc;
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, a);
	db_bind_str(s, 2, b);
	if (c)
		db_bind_str(s, 3, c);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_case_move(store_tx *tx, const char *case_id, const char *person_id, const char *org_id,
		    const char *now)
{
	int rc = run3(tx, SQL_MOVE_CASE, case_id, org_id, now);
	if (rc == STORE_OK)
		rc = run3(tx, SQL_MOVE_PERSON, person_id, org_id, now);
	if (rc == STORE_OK)
		rc = run3(tx, SQL_MOVE_ITEMS, person_id, org_id, NULL);
	return rc;
}

static const char SQL_OUTSIDE[] =
	"SELECT a.seq, a.at, coalesce(a.user_id, ''), coalesce(u.login, ''), coalesce(o.code, ''),"
	" a.action, coalesce(a.record, ''), coalesce(a.fields, ''), coalesce(a.addr, '')"
	" FROM audit a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN orgs o ON o.id = a.org_id"
	" WHERE a.org_id IS NOT NULL AND a.org_id <> ?3 AND a.record IN"
	" ('cases/' || ?1, 'persons/' || ?2)"
	" UNION ALL "
	"SELECT a.seq, a.at, coalesce(a.user_id, ''), coalesce(u.login, ''), coalesce(o.code, ''),"
	" a.action, coalesce(a.record, ''), coalesce(a.fields, ''), coalesce(a.addr, '')"
	" FROM items i JOIN audit a ON a.record = i.kind || 's/' || i.id"
	" LEFT JOIN users u ON u.id = a.user_id LEFT JOIN orgs o ON o.id = a.org_id"
	" WHERE i.case_id = ?1 AND a.org_id IS NOT NULL AND a.org_id <> ?3"
	" ORDER BY 1 DESC LIMIT ?4";

static const char SQL_ITEM_RECORDS[] = "SELECT kind || 's/' || id FROM items WHERE case_id = ?1";

/* The reads among them sit in batches of the audit chain (audit_reads.c):
 * merged in after the other entries, for the case, its person and items. */
static int outside_reads(store *st, const char *case_id, const char *person_id,
			 const char *owner_org, struct audit_row *rows, size_t max, size_t *found)
{
	size_t n = 0, cap = 16, i;
	char **recs = malloc(cap * sizeof *recs);
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_ITEM_RECORDS);
	int rc = DB_ERROR, ok = recs != NULL;

	for (i = 0; i < 2 && ok; i++) {
		const char *id = i ? person_id : case_id;
		size_t len = strlen(id) + 9;
		ok = (recs[n] = malloc(len)) != NULL;
		if (ok)
			snprintf(recs[n++], len, "%s/%s", i ? "persons" : "cases", id);
	}
	if (ok && s) {
		db_bind_str(s, 1, case_id);
		while (ok && (rc = db_step(s)) == DB_ROW) {
			if (n == cap) {
				char **p = realloc(recs, (cap *= 2) * sizeof *recs);
				ok = p != NULL;
				recs = p ? p : recs;
			}
			if (ok)
				ok = (recs[n] = strdup(db_col_text(s, 0))) != NULL;
			n += ok;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	ok = ok && rc == DB_DONE;
	if (ok)
		ok = audit_reads_merge(st, (const char *const *)recs, n, owner_org, rows, max, found) ==
		     STORE_OK;
	for (i = 0; i < n; i++)
		free(recs[i]);
	free(recs);
	return ok ? STORE_OK : STORE_ERROR;
}

int store_audit_outside(store *st, const char *case_id, const char *person_id,
			const char *owner_org, struct audit_row *rows, size_t max, size_t *found)
{
	db *d;
	db_stmt *s;
	int rc = DB_ERROR;

	*found = 0;
	if (audit_sync(st) != STORE_OK)
		return STORE_ERROR;
	d = store_reader_get(st);
	s = db_prepare(d, SQL_OUTSIDE);
	if (s) {
		db_bind_str(s, 1, case_id);
		db_bind_str(s, 2, person_id);
		db_bind_str(s, 3, owner_org);
		db_bind_int(s, 4, (int64_t)max);
		while ((rc = db_step(s)) == DB_ROW && *found < max) {
			struct audit_row *r = &rows[(*found)++];
			r->seq = db_col_int(s, 0);
			store_col_copy(s, 1, r->at, sizeof r->at);
			store_col_copy(s, 2, r->user_id, sizeof r->user_id);
			store_col_copy(s, 3, r->login, sizeof r->login);
			store_col_copy(s, 4, r->org_code, sizeof r->org_code);
			store_col_copy(s, 5, r->action, sizeof r->action);
			store_col_copy(s, 6, r->record, sizeof r->record);
			store_col_copy(s, 7, r->fields, sizeof r->fields);
			store_col_copy(s, 8, r->addr, sizeof r->addr);
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	if (rc != DB_DONE && rc != DB_ROW)
		return STORE_ERROR;
	return outside_reads(st, case_id, person_id, owner_org, rows, max, found);
}
