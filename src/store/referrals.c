/*
 * referrals.c - SQL for referrals between organisations, the access they
 * give, transfers of a case, and the audit seen from outside.
 *
 * Another organisation reaches a case only through REFERRAL_ACCESS: an
 * accepted referral to it whose consent (an item of kind consent) is
 * still active and not expired.  Withdrawing the consent flips the
 * consent's status column, and the access is gone at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/table.h"

static const struct column referral_cols[] = {
	TCOL(struct referral_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct referral_row, kind, COL_TEXT, COL_FIXED),
	TCOL(struct referral_row, case_id, COL_TEXT, COL_FIXED),
	TCOL(struct referral_row, person_id, COL_TEXT, COL_FIXED),
	TCOL(struct referral_row, from_org, COL_TEXT, COL_FIXED),
	TCOL(struct referral_row, to_org, COL_TEXT, COL_FIXED),
	TCOL(struct referral_row, consent_id, COL_OPT, 0),
	TCOL(struct referral_row, status, COL_TEXT, 0),
	TCOL(struct referral_row, urgency, COL_TEXT, COL_FIXED),
	TCOL(struct referral_row, due, COL_OPT, COL_FIXED),
	TCOL(struct referral_row, version, COL_INT, COL_VERSION),
	TCOL(struct referral_row, share, COL_JSON, COL_FIXED),
	TCOL(struct referral_row, coded, COL_JSON, 0),
	TCOL2(struct referral_row, sealed, COL_BLOB0, 0, sealed_len),
	TCOL(struct referral_row, created_by, COL_OPT, COL_FIXED),
	TCOL(struct referral_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct referral_row, updated_at, COL_TEXT, 0),
	TCOL(struct referral_row, responded_at, COL_OPT, 0),
};
static struct table referrals = TABLE("referrals", referral_cols);

/* After the referral's columns: the two organisations it joins. */
#define REF_ORGS \
	", a.code, a.name, a.type, b.code, b.name, b.type" \
	" FROM referrals f JOIN orgs a ON a.id = f.from_org JOIN orgs b ON b.id = f.to_org"
#define REF_QUERY(where) TABLE_QUERY_AS(referrals, "f", REF_ORGS where, read_orgs)

static int read_orgs(db_stmt *s, int i, void *row, arena *a)
{
	struct referral_row *f = row;

	(void)a;
	memset(&f->from, 0, sizeof f->from);
	memset(&f->to, 0, sizeof f->to);
	snprintf(f->from.id, sizeof f->from.id, "%s", f->from_org);
	store_col_copy(s, i, f->from.code, sizeof f->from.code);
	store_col_copy(s, i + 1, f->from.name, sizeof f->from.name);
	store_col_copy(s, i + 2, f->from.type, sizeof f->from.type);
	snprintf(f->to.id, sizeof f->to.id, "%s", f->to_org);
	store_col_copy(s, i + 3, f->to.code, sizeof f->to.code);
	store_col_copy(s, i + 4, f->to.name, sizeof f->to.name);
	store_col_copy(s, i + 5, f->to.type, sizeof f->to.type);
	return STORE_OK;
}

/* The condition under which referral f gives access, shared with the
 * case list's scope in cases.c (keep the two in step): accepted, and the
 * consent it rests on active, not past its end, and the referred person's
 * own (a merge undone after the referral moves the consent back to the
 * other person: an outside review found the police still reading). */
#define REFERRAL_LIVE \
	"f.status = 'accepted' AND f.kind = 'referral' AND EXISTS (SELECT 1 FROM items c" \
	" WHERE c.id = f.consent_id AND c.status = 'active' AND (c.due IS NULL OR c.due >= ?9)" \
	" AND c.person_id = f.person_id)"

static struct table_query q_get = REF_QUERY(" WHERE f.id = ?1");
static struct table_query q_in = REF_QUERY(
	" WHERE f.to_org = ?1 AND (f.status = ?2 OR ?2 IS NULL)"
	" AND ((f.due < ?3 AND f.status IN ('sent', 'accepted')) OR ?3 IS NULL)"
	" ORDER BY f.created_at DESC, f.rowid DESC LIMIT 500");
static struct table_query q_out = REF_QUERY(
	" WHERE f.from_org = ?1 AND (f.status = ?2 OR ?2 IS NULL)"
	" AND ((f.due < ?3 AND f.status IN ('sent', 'accepted')) OR ?3 IS NULL)"
	" ORDER BY f.created_at DESC, f.rowid DESC LIMIT 500");
static struct table_query q_access_case = REF_QUERY(
	" WHERE f.case_id = ?1 AND f.to_org = ?2 AND " REFERRAL_LIVE
	" ORDER BY f.updated_at DESC LIMIT 1");
static struct table_query q_access_person = REF_QUERY(
	" WHERE f.person_id = ?1 AND f.to_org = ?2 AND " REFERRAL_LIVE
	" ORDER BY f.updated_at DESC LIMIT 1");
/* The records of the case its owner made (its recipients' stay theirs),
 * run before the case moves: they are the new owner's to carry on, and
 * no longer the old owner's (which, made a recipient of the case later,
 * read and changed them as its own: an outside review).  A call on the
 * timeline stays the record of the hotline that took it, as the call
 * itself does (the new owner's timeline named a call as its own that it
 * could not open); a stay, of the organisation that runs its shelter, as
 * any shelter's stays (a shelter that transferred the case of a person
 * in its beds could no longer discharge them, nor could anyone: an
 * outside review); an event of the case's history, of whoever did it
 * (the new owner's timeline said it had sent the old owner's referrals). */
#define MOVES_WITH_CASE "kind NOT IN ('contact', 'stay', 'event')"
static const char SQL_MOVE_CASE_ITEMS[] =
	"UPDATE items SET org_id = ?2 WHERE case_id = ?1 AND " MOVES_WITH_CASE
	" AND org_id = (SELECT org_id FROM cases WHERE id = ?1)";
static const char SQL_MOVE_CASE[] = "UPDATE cases SET org_id = ?2, updated_at = ?3 WHERE id = ?1";
/* The person, and the records merged into it (the same human: left
 * behind, the old owner read its phone and address). */
static const char SQL_MOVE_PERSON[] =
	"WITH RECURSIVE m(id) AS (SELECT id FROM persons WHERE id = ?1 UNION"
	" SELECT p.id FROM persons p JOIN m ON p.merged_into = m.id)"
	" UPDATE persons SET org_id = ?2, updated_at = ?3 WHERE id IN (SELECT id FROM m)";
/* The duplicate merges of those records, and their pairs, go with them:
 * the new owner holds what a wrong merge joined and may undo it (the old
 * owner could not, the persons being another's, nor the new one, the
 * merge not being its: an outside review). */
#define PERSON_CHAIN \
	"WITH RECURSIVE m(id) AS (SELECT id FROM persons WHERE id = ?1 UNION" \
	" SELECT p.id FROM persons p JOIN m ON p.merged_into = m.id)"
static const char SQL_MOVE_MERGES[] =
	PERSON_CHAIN " UPDATE dup_merges SET org_id = ?2 WHERE org_id = ?3"
	" AND (survivor IN (SELECT id FROM m) OR merged IN (SELECT id FROM m))";
static const char SQL_MOVE_MERGED_PAIRS[] =
	"UPDATE dup_pairs SET org_id = ?2 WHERE org_id = ?3 AND status = 'merged'"
	" AND merge_id IN (SELECT id FROM dup_merges WHERE org_id = ?2)";
/* The person's own records: consents, prevention, households. */
static const char SQL_MOVE_ITEMS[] =
	"UPDATE items SET org_id = ?2 WHERE person_id = ?1 AND case_id IS NULL";
/* Calls another organisation's hotline took of the person stay its log,
 * unlinked from the case and persons now another's (an outside review:
 * the old owner's call still named the case and person and was found by
 * the number as theirs); the new owner's timeline keeps the call's codes. */
static const char SQL_UNLINK_CONTACTS[] =
	"WITH RECURSIVE m(id) AS (SELECT id FROM persons WHERE id = ?1 UNION"
	" SELECT p.id FROM persons p JOIN m ON p.merged_into = m.id)"
	" UPDATE contacts SET case_id = NULL, person_id = NULL, version = version + 1,"
	" updated_at = ?3 WHERE org_id <> ?2 AND (person_id IN (SELECT id FROM m)"
	" OR case_id IN (SELECT id FROM cases WHERE person_id = ?1))";
/* The case's open referrals to others are the new owner's to follow and
 * withdraw (the old owner read the person's new names through them). */
/* The cases moved, once moved: the case and the person's closed ones (an
 * outside review: a closed case's referrals stayed the old owner's, which
 * read the feedback given after, and a recipient of one reached the case
 * through a referral its new owner could neither see nor withdraw). */
#define MOVED "(SELECT id FROM cases WHERE person_id = ?4 AND org_id = ?2)"
/* The perpetrators recorded on the moved cases alone go with them (the old
 * owner changed one the new owner's case showed and it could not open: an
 * outside review); one linked to another case of the old owner's stays
 * its record.  Their name keys are made again under the new owner's
 * domain by the caller (api_perpetrators_rekey). */
static const char SQL_MOVE_PERPETRATORS[] =
	"UPDATE items SET org_id = ?2 WHERE kind = 'perpetrator' AND org_id = ?3"
	" AND id IN (SELECT perpetrator_id FROM perpetrator_cases WHERE case_id IN " MOVED ")"
	" AND NOT EXISTS (SELECT 1 FROM perpetrator_cases pc WHERE pc.perpetrator_id = items.id"
	"  AND pc.case_id NOT IN " MOVED ")";
static const char SQL_MOVE_PERPETRATOR_LINKS[] =
	"UPDATE perpetrator_cases SET org_id = ?2 WHERE case_id IN " MOVED " AND org_id = ?3";
/* A new version: a withdrawal by the old owner decided before is stale
 * (an outside review saw both the acceptance and the withdrawal made). */
static const char SQL_MOVE_REFERRALS[] =
	"UPDATE referrals SET from_org = ?2, version = version + 1, updated_at = ?3"
	" WHERE case_id IN " MOVED " AND kind = 'referral'"
	" AND status IN ('sent', 'accepted') AND to_org <> ?2";
/* Those to the new owner are done: it holds the case (left open, one gave
 * it the case's shared view again once the case came back; an outside
 * review read the names given after through it). */
static const char SQL_END_REFERRALS_NAMES[] =
	"DELETE FROM referral_names WHERE referral_id IN (SELECT id FROM referrals"
	" WHERE case_id IN " MOVED " AND kind = 'referral' AND status IN ('sent', 'accepted')"
	" AND to_org = ?2)";
static const char SQL_END_REFERRALS[] =
	"UPDATE referrals SET status = 'completed', version = version + 1, updated_at = ?3"
	" WHERE case_id IN " MOVED " AND kind = 'referral' AND status IN ('sent', 'accepted')"
	" AND to_org = ?2";

int store_referral_insert(store_tx *tx, const struct referral_row *f)
{
	return table_insert(tx, &referrals, f);
}

/* Run a one-row query on a reader. */
static int get_one(store *st, struct table_query *q, const char *p1, const char *p2, const char *p9,
		   struct referral_row *f, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(q));
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, p1);
		if (p2)
			db_bind_str(s, 2, p2);
		if (p9)
			db_bind_str(s, 9, p9);
		rc = table_query_row(s, q, f, a);
	}
	store_reader_put(st, d);
	return rc;
}

int store_referral_get(store *st, const char *id, struct referral_row *f, arena *a)
{
	return get_one(st, &q_get, id, NULL, NULL, f, a);
}

int store_referral_access(store *st, const char *case_id, const char *person_id,
			  const char *org_id, const char *today, struct referral_row *f, arena *a)
{
	if (case_id)
		return get_one(st, &q_access_case, case_id, org_id, today, f, a);
	return get_one(st, &q_access_person, person_id, org_id, today, f, a);
}

int store_referral_update(store_tx *tx, const struct referral_row *f)
{
	return table_update(tx, &referrals, f);
}

int store_referrals_list(store *st, const char *org_id, int in, const char *status,
			 const char *overdue_before, struct referral_row **rows, size_t *n,
			 arena *a)
{
	struct table_query *q = in ? &q_in : &q_out;
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(q));

	if (s) {
		db_bind_str(s, 1, org_id);
		db_bind_str(s, 2, store_or_null(status));
		db_bind_str(s, 3, store_or_null(overdue_before));
	}
	return table_query_collect_pool(st, d, s, q, sizeof **rows, SIZE_MAX, (void **)rows, n, a);
}

/* Whether the case is still the sender's (another transfer of it may
 * have been accepted first: an outside review moved a case on from its
 * new owner by the old owner's second request), and the person's cases
 * that would stay behind: checked at the transfer's acceptance (a case
 * opened, or a merge made, while it waited); and the case still of the
 * person it was asked for, who is not merged away (a merge racing the
 * acceptance moved the case to an old owner's person: an outside review). */
#define CLOSED "status IN ('Closed', 'ClosedReferred')"
static const char SQL_MOVABLE[] =
	"SELECT (SELECT count(*) FROM cases WHERE id = ?2 AND org_id = ?4),"
	" (SELECT count(*) FROM cases c JOIN persons p ON p.id = c.person_id"
	"  WHERE c.id = ?2 AND c.person_id = ?1 AND p.merged_into IS NULL),"
	" (SELECT count(*) FROM cases WHERE person_id = ?1 AND id <> ?2 AND org_id <> ?3"
	"  AND NOT " CLOSED "),"
	/* a merge of the person made or undone since the transfer was sent:
	 * the person is not the one offered (an outside review accepted a
	 * transfer that then moved the record another was merged into) */
	" (SELECT count(*) FROM dup_merges WHERE (survivor = ?1 OR merged = ?1)"
	"  AND (at > ?5 OR undone_at > ?5))";
/* The person's closed cases at the sender go with the person, and the
 * records its owner made of them (an earlier case left behind stopped
 * every transfer of the person's new one: an outside review). */
static const char SQL_MOVE_CLOSED_ITEMS[] =
	"UPDATE items SET org_id = ?2 WHERE " MOVES_WITH_CASE " AND org_id = ?3 AND case_id IN"
	" (SELECT id FROM cases WHERE person_id = ?1 AND org_id = ?3 AND " CLOSED ")";
static const char SQL_MOVE_CLOSED[] =
	"UPDATE cases SET org_id = ?2, updated_at = ?4 WHERE person_id = ?1 AND org_id = ?3"
	" AND " CLOSED;
/* Who works on the case and its open records: the user who accepted (the
 * old owner's assignees are of another organisation: its reviews fell out
 * of every list of the new one's). */
static const char SQL_ASSIGN_CASE[] =
	"UPDATE cases SET assigned_to = ?3, coded = json_set(coded, '$.assigned_to', ?3)"
	" WHERE id IN " MOVED;
static const char SQL_ASSIGN_ITEMS[] =
	"UPDATE items SET assigned_to = ?3, coded = json_set(coded, '$.assigned_to', ?3)"
	" WHERE case_id IN " MOVED " AND org_id = ?2 AND assigned_to IS NOT NULL"
	" AND status IN ('due', 'planned', 'in_progress', 'open')";
/* The case's other transfers still waiting lapse: it is not the sender's
 * to give any more. */
static const char SQL_LAPSE_TRANSFERS[] =
	"UPDATE referrals SET status = 'withdrawn', version = version + 1, updated_at = ?3"
	" WHERE case_id IN " MOVED " AND kind = 'transfer' AND status = 'sent' AND to_org <> ?2";

int store_case_move(store_tx *tx, const char *case_id, const char *person_id,
		    const char *from_org, const char *org_id, const char *assignee, const char *sent_at,
		    const char *now)
{
	const char *c[] = {case_id, org_id, now}, *p[] = {person_id, org_id, now};
	const char *closed[] = {person_id, org_id, from_org, now};
	const char *m[] = {case_id, org_id, now, person_id}; /* MOVED: ?2, ?4 */
	const char *pm[] = {case_id, org_id, from_org, person_id};
	const char *a[] = {case_id, org_id, assignee, person_id};
	db_stmt *s = db_prepare(tx->d, SQL_MOVABLE);
	int64_t owned = -1, same = -1, others = -1, merges = -1;
	int rc;

	if (s) {
		db_bind_str(s, 1, person_id);
		db_bind_str(s, 2, case_id);
		db_bind_str(s, 3, org_id);
		db_bind_str(s, 4, from_org);
		db_bind_str(s, 5, sent_at);
		if (store_step_row(s) == STORE_OK) {
			owned = db_col_int(s, 0);
			same = db_col_int(s, 1);
			others = db_col_int(s, 2);
			merges = db_col_int(s, 3);
			db_reset(s);
		}
	}
	if (owned < 0 || same < 0 || others < 0 || merges < 0)
		return STORE_ERROR;
	if (owned != 1)
		return STORE_NOT_FOUND;
	if (same != 1 || merges != 0)
		return STORE_CONFLICT;
	if (others != 0)
		return STORE_STALE;
	rc = store_write_texts(tx->d, SQL_MOVE_CLOSED_ITEMS, closed, 3);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_CLOSED, closed, 4);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_CASE_ITEMS, c, 2);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_CASE, c, 3);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_PERSON, p, 3);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_ITEMS, p, 2);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_UNLINK_CONTACTS, p, 3);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_MERGES, closed, 3);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_MERGED_PAIRS, closed, 3);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_PERPETRATORS, pm, 4);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_PERPETRATOR_LINKS, pm, 4);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_MOVE_REFERRALS, m, 4);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_END_REFERRALS_NAMES, m, 4);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_END_REFERRALS, m, 4);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_LAPSE_TRANSFERS, m, 4);
	if (rc == STORE_OK && assignee)
		rc = store_write_texts(tx->d, SQL_ASSIGN_CASE, a, 4);
	if (rc == STORE_OK && assignee)
		rc = store_write_texts(tx->d, SQL_ASSIGN_ITEMS, a, 4);
	return rc == STORE_CONFLICT ? STORE_ERROR : rc; /* a broken reference: an error */
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
	const char *v[] = {case_id, person_id, owner_org};
	int rc = audit_rows_query(st, SQL_OUTSIDE, v, 3, rows, max, found);

	return rc != STORE_OK ? rc : outside_reads(st, case_id, person_id, owner_org, rows, max, found);
}

/* ---- the names a referral shares, for its recipient's search ---------- */

static const char SQL_RNAMES_DEL[] = "DELETE FROM referral_names WHERE referral_id = ?1";
static const char SQL_RNAMES_ADD[] =
	"INSERT INTO referral_names(org_id, key, referral_id, case_id) VALUES(?1, ?2, ?3, ?4)"
	" ON CONFLICT DO NOTHING";
static const char SQL_RNAMES_DROP_CONSENT[] =
	"DELETE FROM referral_names WHERE referral_id IN"
	" (SELECT id FROM referrals WHERE consent_id = ?1)";
static const char SQL_RNAMES_FIND[] =
	"SELECT referral_id, case_id FROM referral_names WHERE org_id = ?1 AND key = ?2 LIMIT ?3";
static const char SQL_REFERRALS_OF_PERSON[] =
	"SELECT id FROM referrals WHERE kind = 'referral'"
	" AND case_id IN (SELECT id FROM cases WHERE person_id = ?1) ORDER BY id LIMIT ?2";
static const char SQL_REFERRALS_ALL[] =
	"SELECT id FROM referrals WHERE kind = 'referral' AND id > ?1 ORDER BY id LIMIT ?2";

int store_referral_names_set(store_tx *tx, const struct referral_row *f,
			     const struct blind_key *keys, size_t n)
{
	size_t i;

	if (store_write_texts(tx->d, SQL_RNAMES_DEL, (const char *const[]){f->id}, 1) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < n; i++) {
		db_stmt *s = db_prepare(tx->d, SQL_RNAMES_ADD);
		if (s) {
			db_bind_str(s, 1, f->to_org);
			db_bind_blob(s, 2, keys[i].mac, BLIND_BYTES);
			db_bind_str(s, 3, f->id);
			db_bind_str(s, 4, f->case_id);
		}
		if (store_step_done(s) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int store_referral_names_drop_consent(store_tx *tx, const char *consent_id)
{
	return store_write_texts(tx->d, SQL_RNAMES_DROP_CONSENT, &consent_id, 1);
}

struct hits_ctx {
	struct referral_name_hit *hits;
	size_t n, max;
};

static int hit_read(void *ctx, db_stmt *s)
{
	struct hits_ctx *c = ctx;
	struct referral_name_hit *h;

	if (c->n == c->max) /* the LIMIT keeps to max */
		return 0;
	h = &c->hits[c->n++];
	snprintf(h->referral_id, sizeof h->referral_id, "%s", db_col_text(s, 0));
	snprintf(h->case_id, sizeof h->case_id, "%s", db_col_text(s, 1));
	h->words = 0;
	return 0;
}

int store_referral_names_find(store *st, const char *org_id, const unsigned char key[BLIND_BYTES],
			      size_t max, struct referral_name_hit **hits, size_t *n, arena *a)
{
	struct hits_ctx c = {NULL, 0, max};
	db *d;
	db_stmt *s;
	int rc;

	*hits = NULL;
	*n = 0;
	if (!max || !(c.hits = arena_alloc(a, max * sizeof *c.hits)))
		return max ? STORE_ERROR : STORE_OK;
	d = store_reader_get(st);
	s = db_prepare(d, SQL_RNAMES_FIND);
	if (s) {
		db_bind_str(s, 1, org_id);
		db_bind_blob(s, 2, key, BLIND_BYTES);
		db_bind_int(s, 3, (int64_t)max);
	}
	rc = table_each_pool(st, d, s, hit_read, &c);
	*hits = c.hits;
	*n = c.n;
	return rc;
}

int store_referral_ids_of_person(store *st, const char *person_id, char (*ids)[ID_LEN],
				 size_t max, size_t *n)
{
	return table_ids_of(st, SQL_REFERRALS_OF_PERSON, person_id, ids, max, n);
}

int store_referral_ids_all(store *st, const char *after, char (*ids)[ID_LEN], size_t max,
			   size_t *n)
{
	return table_ids_of(st, SQL_REFERRALS_ALL, after, ids, max, n);
}
