/*
 * contacts.c - SQL for the hotline: contacts, caller flags, callbacks,
 * their figures, and the organisation that takes public callback
 * requests.
 *
 * A caller's number never reaches this file: only its blind index
 * (phone_key, made per organisation by the api layer) and the sealed
 * record.  Every query is scoped by the organisation.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"

#define CONTACT_COLS \
	"id, org_id, version, channel, call_type, started_at, coalesce(duration_s, -1)," \
	" coalesce(language, ''), topics, coalesce(action, ''), coalesce(case_id, '')," \
	" coalesce(person_id, ''), coalesce(operator_id, ''), phone_key, coded, sealed," \
	" created_at, updated_at"

static const char SQL_CONTACT_INSERT[] =
	"INSERT INTO contacts(id, org_id, version, channel, call_type, started_at, duration_s,"
	" language, topics, action, case_id, person_id, operator_id, phone_key, coded, sealed,"
	" created_at, updated_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
static const char SQL_CONTACT_GET[] = "SELECT " CONTACT_COLS " FROM contacts WHERE id = ?1";
static const char SQL_CONTACT_UPDATE[] =
	"UPDATE contacts SET version = ?3, channel = ?4, call_type = ?5, started_at = ?6,"
	" duration_s = ?7, language = ?8, topics = ?9, action = ?10, case_id = ?11,"
	" person_id = ?12, phone_key = ?14, coded = ?15, sealed = ?16, updated_at = ?18"
	" WHERE id = ?1 AND org_id = ?2 AND version = ?19";
static const char SQL_CONTACT_EXISTS[] = "SELECT 1 FROM contacts WHERE id = ?1";
static const char SQL_CONTACTS_PHONE[] =
	"SELECT " CONTACT_COLS " FROM contacts WHERE phone_key = ?1 AND org_id = ?2"
	" ORDER BY started_at DESC, id DESC LIMIT ?3";
static const char SQL_CONTACTS_LIST[] =
	"SELECT " CONTACT_COLS " FROM contacts WHERE org_id = ?1"
	" AND (?2 IS NULL OR started_at >= ?2) AND (?3 IS NULL OR started_at < ?3)"
	" AND (?4 IS NULL OR started_at < ?4 OR (started_at = ?4 AND id < ?5))"
	" ORDER BY started_at DESC, id DESC LIMIT ?6";

static const char SQL_STATS_DAY[] =
	"SELECT substr(started_at, 1, 10), count(*) FROM contacts WHERE org_id = ?1"
	" AND started_at >= ?2 AND started_at < ?3 GROUP BY 1 ORDER BY 1";
static const char SQL_STATS_CHANNEL[] =
	"SELECT channel, count(*) FROM contacts WHERE org_id = ?1"
	" AND started_at >= ?2 AND started_at < ?3 GROUP BY 1 ORDER BY 1";
static const char SQL_STATS_TYPE[] =
	"SELECT call_type, count(*) FROM contacts WHERE org_id = ?1"
	" AND started_at >= ?2 AND started_at < ?3 GROUP BY 1 ORDER BY 1";
static const char SQL_STATS_ACTION[] =
	"SELECT coalesce(action, ''), count(*) FROM contacts WHERE org_id = ?1"
	" AND started_at >= ?2 AND started_at < ?3 GROUP BY 1 ORDER BY 1";
static const char SQL_STATS_TOPICS[] =
	"SELECT topics, count(*) FROM contacts WHERE org_id = ?1"
	" AND started_at >= ?2 AND started_at < ?3 GROUP BY 1 ORDER BY 1";
static const char SQL_STATS_CALLBACKS[] =
	"SELECT count(*), coalesce(sum(due < ?2), 0), coalesce(sum(due >= ?2 AND due < ?3), 0)"
	" FROM callbacks WHERE org_id = ?1 AND done = 0";

static const char SQL_FLAG_INSERT[] =
	"INSERT INTO caller_flags(id, org_id, phone_key, flag, until, sealed, created_by,"
	" created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_FLAGS_ACTIVE[] =
	"SELECT id, org_id, flag, until, sealed, coalesce(created_by, ''), created_at"
	" FROM caller_flags WHERE phone_key = ?1 AND org_id = ?2 AND until >= ?3"
	" ORDER BY created_at DESC, id LIMIT 50";

#define CALLBACK_COLS \
	"id, org_id, version, source, done, due, coalesce(language, '')," \
	" coalesce(assigned_to, ''), coalesce(outcome, ''), coalesce(contact_id, ''), phone_key," \
	" sealed, coalesce(created_by, ''), created_at, updated_at, coalesce(done_at, '')"

static const char SQL_CALLBACK_INSERT[] =
	"INSERT INTO callbacks(id, org_id, version, source, done, due, language, assigned_to,"
	" outcome, contact_id, phone_key, sealed, created_by, created_at, updated_at, done_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char SQL_CALLBACK_GET[] = "SELECT " CALLBACK_COLS " FROM callbacks WHERE id = ?1";
static const char SQL_CALLBACK_UPDATE[] =
	"UPDATE callbacks SET version = ?3, done = ?5, due = ?6, assigned_to = ?8, outcome = ?9,"
	" updated_at = ?15, done_at = ?16 WHERE id = ?1 AND org_id = ?2 AND version = ?17";
static const char SQL_CALLBACK_EXISTS[] = "SELECT 1 FROM callbacks WHERE id = ?1";
static const char SQL_CALLBACKS_LIST[] =
	"SELECT " CALLBACK_COLS " FROM callbacks WHERE org_id = ?1"
	" AND (?2 < 0 OR done = ?2) AND (?3 IS NULL OR due >= ?3) AND (?4 IS NULL OR due < ?4)"
	" AND (?5 IS NULL OR assigned_to = ?5)"
	" AND (?6 IS NULL OR due > ?6 OR (due = ?6 AND id > ?7))"
	" ORDER BY due, id LIMIT ?8";
static const char SQL_CALLBACK_OPEN_PHONE[] =
	"SELECT id FROM callbacks WHERE phone_key = ?1 AND org_id = ?2 AND done = 0 AND source = ?3"
	" ORDER BY created_at, id LIMIT 1";
static const char SQL_CALLBACK_TOUCH[] = "UPDATE callbacks SET updated_at = ?2 WHERE id = ?1";

static const char SQL_ORG_FIRST[] =
	"SELECT id, code, name, type FROM orgs ORDER BY created_at, rowid LIMIT 1";

/* store_grow from an empty array (NULL, cap 0) on. */
static void *grow(arena *a, void *arr, size_t *cap, size_t n, size_t size)
{
	if (!arr) {
		*cap = 16;
		return arena_alloc(a, *cap * size);
	}
	return store_grow(a, arr, cap, n, size);
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static void bind_blob_or_null(db_stmt *s, int i, const unsigned char *p, size_t n)
{
	if (p && n)
		db_bind_blob(s, i, p, n);
	else
		db_bind_null(s, i);
}

static int step_done(db_stmt *s)
{
	int rc = db_step(s);
	db_reset(s);
	if (rc == DB_DONE)
		return STORE_OK;
	return rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

/* A copy of a blob column in the arena: *out NULL when the column is null. */
static int blob_copy(db_stmt *s, int i, arena *a, const unsigned char **out, size_t *len)
{
	size_t n = db_col_bytes(s, i);
	unsigned char *p;

	*out = NULL;
	*len = 0;
	if (db_col_null(s, i))
		return STORE_OK;
	p = arena_alloc(a, n ? n : 1);
	if (!p)
		return STORE_ERROR;
	memcpy(p, db_col_blob(s, i), n);
	*out = p;
	*len = n;
	return STORE_OK;
}

/* Copy a phone key column: 1 when there is one. */
static int key_copy(db_stmt *s, int i, unsigned char key[BLIND_BYTES])
{
	if (db_col_null(s, i) || db_col_bytes(s, i) != BLIND_BYTES)
		return 0;
	memcpy(key, db_col_blob(s, i), BLIND_BYTES);
	return 1;
}

/* ---- contacts ----------------------------------------------------------- */

static int read_contact(db_stmt *s, struct contact_row *c, arena *a)
{
	memset(c, 0, sizeof *c);
	store_col_copy(s, 0, c->id, sizeof c->id);
	store_col_copy(s, 1, c->org_id, sizeof c->org_id);
	c->version = db_col_int(s, 2);
	store_col_copy(s, 3, c->channel, sizeof c->channel);
	store_col_copy(s, 4, c->call_type, sizeof c->call_type);
	store_col_copy(s, 5, c->started_at, sizeof c->started_at);
	c->duration_s = db_col_int(s, 6);
	store_col_copy(s, 7, c->language, sizeof c->language);
	c->topics = arena_strndup(a, db_col_text(s, 8), db_col_bytes(s, 8));
	store_col_copy(s, 9, c->action, sizeof c->action);
	store_col_copy(s, 10, c->case_id, sizeof c->case_id);
	store_col_copy(s, 11, c->person_id, sizeof c->person_id);
	store_col_copy(s, 12, c->operator_id, sizeof c->operator_id);
	c->has_phone = key_copy(s, 13, c->phone_key);
	c->coded = arena_strndup(a, db_col_text(s, 14), db_col_bytes(s, 14));
	store_col_copy(s, 16, c->created_at, sizeof c->created_at);
	store_col_copy(s, 17, c->updated_at, sizeof c->updated_at);
	if (!c->topics || !c->coded)
		return STORE_ERROR;
	return blob_copy(s, 15, a, &c->sealed, &c->sealed_len);
}

static void bind_contact(db_stmt *s, const struct contact_row *c)
{
	db_bind_str(s, 1, c->id);
	db_bind_str(s, 2, c->org_id);
	db_bind_int(s, 3, c->version);
	db_bind_str(s, 4, c->channel);
	db_bind_str(s, 5, c->call_type);
	db_bind_str(s, 6, c->started_at);
	if (c->duration_s >= 0)
		db_bind_int(s, 7, c->duration_s);
	else
		db_bind_null(s, 7);
	db_bind_str(s, 8, or_null(c->language));
	db_bind_str(s, 9, c->topics && *c->topics ? c->topics : " ");
	db_bind_str(s, 10, or_null(c->action));
	db_bind_str(s, 11, or_null(c->case_id));
	db_bind_str(s, 12, or_null(c->person_id));
	db_bind_str(s, 13, or_null(c->operator_id));
	bind_blob_or_null(s, 14, c->has_phone ? c->phone_key : NULL, BLIND_BYTES);
	db_bind_str(s, 15, c->coded);
	bind_blob_or_null(s, 16, c->sealed, c->sealed_len);
	db_bind_str(s, 17, c->created_at);
	db_bind_str(s, 18, c->updated_at);
}

int store_contact_insert(store_tx *tx, const struct contact_row *c)
{
	db_stmt *s = db_prepare(tx->d, SQL_CONTACT_INSERT);

	if (!s)
		return STORE_ERROR;
	bind_contact(s, c);
	return step_done(s);
}

int store_contact_update(store_tx *tx, const struct contact_row *c)
{
	db_stmt *s = db_prepare(tx->d, SQL_CONTACT_UPDATE);

	if (!s)
		return STORE_ERROR;
	bind_contact(s, c);
	db_bind_int(s, 19, c->version - 1);
	return store_step_versioned(tx, s, SQL_CONTACT_EXISTS, c->id);
}

int store_contact_get(store *st, const char *id, struct contact_row *c, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_CONTACT_GET);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, id);
		rc = db_step(s);
		if (rc == DB_ROW)
			rc = read_contact(s, c, a);
		else
			rc = rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

/* Step s to the end, reading rows into an arena array; releases d. */
static int collect_contacts(store *st, db *d, db_stmt *s, struct contact_row **rows, size_t *n,
			    arena *a)
{
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		struct contact_row *grown = grow(a, *rows, &cap, *n, sizeof **rows);
		if (!grown || read_contact(s, &grown[*n], a) != STORE_OK) {
			rc = DB_ERROR;
			break;
		}
		*rows = grown;
		(*n)++;
	}
	db_reset(s);
	store_reader_put(st, d);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_contacts_by_phone(store *st, const char *org_id, const unsigned char key[BLIND_BYTES],
			    size_t max, struct contact_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_CONTACTS_PHONE);

	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_blob(s, 1, key, BLIND_BYTES);
	db_bind_str(s, 2, org_id);
	db_bind_int(s, 3, (int64_t)max);
	return collect_contacts(st, d, s, rows, n, a);
}

int store_contacts_list(store *st, const struct contact_filter *f, struct contact_row **rows,
			size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_CONTACTS_LIST);

	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_str(s, 1, f->org_id);
	db_bind_str(s, 2, or_null(f->from));
	db_bind_str(s, 3, or_null(f->to));
	db_bind_str(s, 4, or_null(f->after_at));
	db_bind_str(s, 5, f->after_id ? f->after_id : "");
	db_bind_int(s, 6, (int64_t)f->limit);
	return collect_contacts(st, d, s, rows, n, a);
}

/* ---- figures -------------------------------------------------------------- */

/* One GROUP BY query into an arena array of (key, count). */
static int count_by(db *d, const char *sql, const char *org_id, const char *from, const char *to,
		    struct contact_count **out, size_t *n, arena *a)
{
	db_stmt *s = db_prepare(d, sql);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, org_id);
	db_bind_str(s, 2, from);
	db_bind_str(s, 3, to);
	while ((rc = db_step(s)) == DB_ROW) {
		struct contact_count *grown = grow(a, *out, &cap, *n, sizeof **out);
		if (!grown) {
			rc = DB_ERROR;
			break;
		}
		grown[*n].key = arena_strndup(a, db_col_text(s, 0), db_col_bytes(s, 0));
		grown[*n].n = db_col_int(s, 1);
		if (!grown[*n].key) {
			rc = DB_ERROR;
			break;
		}
		*out = grown;
		(*n)++;
	}
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_contact_stats(store *st, const char *org_id, const char *from, const char *to,
			const char *now, const char *day_end, struct contact_stats *cs, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s;
	int rc;
	size_t i;

	memset(cs, 0, sizeof *cs);
	rc = count_by(d, SQL_STATS_DAY, org_id, from, to, &cs->by_day, &cs->n_day, a);
	if (rc == STORE_OK)
		rc = count_by(d, SQL_STATS_CHANNEL, org_id, from, to, &cs->by_channel,
			      &cs->n_channel, a);
	if (rc == STORE_OK)
		rc = count_by(d, SQL_STATS_TYPE, org_id, from, to, &cs->by_call_type,
			      &cs->n_call_type, a);
	if (rc == STORE_OK)
		rc = count_by(d, SQL_STATS_ACTION, org_id, from, to, &cs->by_action, &cs->n_action,
			      a);
	if (rc == STORE_OK)
		rc = count_by(d, SQL_STATS_TOPICS, org_id, from, to, &cs->by_topics, &cs->n_topics,
			      a);
	if (rc == STORE_OK) {
		s = db_prepare(d, SQL_STATS_CALLBACKS);
		rc = STORE_ERROR;
		if (s) {
			db_bind_str(s, 1, org_id);
			db_bind_str(s, 2, now);
			db_bind_str(s, 3, day_end);
			if (db_step(s) == DB_ROW) {
				cs->cb_open = db_col_int(s, 0);
				cs->cb_overdue = db_col_int(s, 1);
				cs->cb_due = db_col_int(s, 2);
				rc = STORE_OK;
			}
			db_reset(s);
		}
	}
	store_reader_put(st, d);
	for (i = 0; rc == STORE_OK && i < cs->n_day; i++)
		cs->total += cs->by_day[i].n;
	return rc;
}

/* ---- caller flags ----------------------------------------------------------- */

int store_flag_insert(store_tx *tx, const struct caller_flag_row *f)
{
	db_stmt *s = db_prepare(tx->d, SQL_FLAG_INSERT);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, f->id);
	db_bind_str(s, 2, f->org_id);
	db_bind_blob(s, 3, f->phone_key, BLIND_BYTES);
	db_bind_str(s, 4, f->flag);
	db_bind_str(s, 5, f->until);
	bind_blob_or_null(s, 6, f->sealed, f->sealed_len);
	db_bind_str(s, 7, or_null(f->created_by));
	db_bind_str(s, 8, f->created_at);
	return step_done(s);
}

int store_flags_active(store *st, const char *org_id, const unsigned char key[BLIND_BYTES],
		       const char *today, struct caller_flag_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_FLAGS_ACTIVE);
	size_t cap = 0;
	int rc = DB_ERROR;

	*rows = NULL;
	*n = 0;
	if (s) {
		db_bind_blob(s, 1, key, BLIND_BYTES);
		db_bind_str(s, 2, org_id);
		db_bind_str(s, 3, today);
		while ((rc = db_step(s)) == DB_ROW) {
			struct caller_flag_row *grown = grow(a, *rows, &cap, *n, sizeof **rows);
			struct caller_flag_row *f;
			if (!grown) {
				rc = DB_ERROR;
				break;
			}
			*rows = grown;
			f = &grown[*n];
			memset(f, 0, sizeof *f);
			store_col_copy(s, 0, f->id, sizeof f->id);
			store_col_copy(s, 1, f->org_id, sizeof f->org_id);
			memcpy(f->phone_key, key, BLIND_BYTES);
			store_col_copy(s, 2, f->flag, sizeof f->flag);
			store_col_copy(s, 3, f->until, sizeof f->until);
			if (blob_copy(s, 4, a, &f->sealed, &f->sealed_len) != STORE_OK) {
				rc = DB_ERROR;
				break;
			}
			store_col_copy(s, 5, f->created_by, sizeof f->created_by);
			store_col_copy(s, 6, f->created_at, sizeof f->created_at);
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* ---- callbacks ---------------------------------------------------------------- */

static int read_callback(db_stmt *s, struct callback_row *c, arena *a)
{
	memset(c, 0, sizeof *c);
	store_col_copy(s, 0, c->id, sizeof c->id);
	store_col_copy(s, 1, c->org_id, sizeof c->org_id);
	c->version = db_col_int(s, 2);
	store_col_copy(s, 3, c->source, sizeof c->source);
	c->done = (int)db_col_int(s, 4);
	store_col_copy(s, 5, c->due, sizeof c->due);
	store_col_copy(s, 6, c->language, sizeof c->language);
	store_col_copy(s, 7, c->assigned_to, sizeof c->assigned_to);
	store_col_copy(s, 8, c->outcome, sizeof c->outcome);
	store_col_copy(s, 9, c->contact_id, sizeof c->contact_id);
	c->has_phone = key_copy(s, 10, c->phone_key);
	store_col_copy(s, 12, c->created_by, sizeof c->created_by);
	store_col_copy(s, 13, c->created_at, sizeof c->created_at);
	store_col_copy(s, 14, c->updated_at, sizeof c->updated_at);
	store_col_copy(s, 15, c->done_at, sizeof c->done_at);
	return blob_copy(s, 11, a, &c->sealed, &c->sealed_len);
}

static void bind_callback(db_stmt *s, const struct callback_row *c)
{
	db_bind_str(s, 1, c->id);
	db_bind_str(s, 2, c->org_id);
	db_bind_int(s, 3, c->version);
	db_bind_str(s, 4, c->source);
	db_bind_int(s, 5, c->done ? 1 : 0);
	db_bind_str(s, 6, c->due);
	db_bind_str(s, 7, or_null(c->language));
	db_bind_str(s, 8, or_null(c->assigned_to));
	db_bind_str(s, 9, or_null(c->outcome));
	db_bind_str(s, 10, or_null(c->contact_id));
	bind_blob_or_null(s, 11, c->has_phone ? c->phone_key : NULL, BLIND_BYTES);
	bind_blob_or_null(s, 12, c->sealed, c->sealed_len);
	db_bind_str(s, 13, or_null(c->created_by));
	db_bind_str(s, 14, c->created_at);
	db_bind_str(s, 15, c->updated_at);
	db_bind_str(s, 16, or_null(c->done_at));
}

int store_callback_insert(store_tx *tx, const struct callback_row *c)
{
	db_stmt *s = db_prepare(tx->d, SQL_CALLBACK_INSERT);

	if (!s)
		return STORE_ERROR;
	bind_callback(s, c);
	return step_done(s);
}

int store_callback_update(store_tx *tx, const struct callback_row *c)
{
	db_stmt *s = db_prepare(tx->d, SQL_CALLBACK_UPDATE);

	if (!s)
		return STORE_ERROR;
	bind_callback(s, c);
	db_bind_int(s, 17, c->version - 1);
	return store_step_versioned(tx, s, SQL_CALLBACK_EXISTS, c->id);
}

int store_callback_get(store *st, const char *id, struct callback_row *c, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_CALLBACK_GET);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, id);
		rc = db_step(s);
		if (rc == DB_ROW)
			rc = read_callback(s, c, a);
		else
			rc = rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_callbacks_list(store *st, const struct callback_filter *f, struct callback_row **rows,
			 size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_CALLBACKS_LIST);
	size_t cap = 0;
	int rc = DB_ERROR;

	*rows = NULL;
	*n = 0;
	if (s) {
		db_bind_str(s, 1, f->org_id);
		db_bind_int(s, 2, f->done);
		db_bind_str(s, 3, or_null(f->due_from));
		db_bind_str(s, 4, or_null(f->due_before));
		db_bind_str(s, 5, or_null(f->assigned_to));
		db_bind_str(s, 6, or_null(f->after_due));
		db_bind_str(s, 7, f->after_id ? f->after_id : "");
		db_bind_int(s, 8, (int64_t)f->limit);
		while ((rc = db_step(s)) == DB_ROW) {
			struct callback_row *grown = grow(a, *rows, &cap, *n, sizeof **rows);
			if (!grown || read_callback(s, &grown[*n], a) != STORE_OK) {
				rc = DB_ERROR;
				break;
			}
			*rows = grown;
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_callback_open_find(store_tx *tx, const char *org_id,
			     const unsigned char key[BLIND_BYTES], const char *source,
			     char id[ID_LEN])
{
	db_stmt *s = db_prepare(tx->d, SQL_CALLBACK_OPEN_PHONE);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_blob(s, 1, key, BLIND_BYTES);
	db_bind_str(s, 2, org_id);
	db_bind_str(s, 3, source);
	rc = db_step(s);
	if (rc == DB_ROW)
		store_col_copy(s, 0, id, ID_LEN);
	db_reset(s);
	if (rc == DB_ROW)
		return STORE_OK;
	return rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int store_callback_touch(store_tx *tx, const char *id, const char *updated_at)
{
	db_stmt *s = db_prepare(tx->d, SQL_CALLBACK_TOUCH);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, id);
	db_bind_str(s, 2, updated_at);
	return step_done(s);
}

int store_org_first(store *st, struct org *o)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_ORG_FIRST);
	int rc = STORE_ERROR;

	if (s) {
		rc = db_step(s);
		if (rc == DB_ROW) {
			store_col_copy(s, 0, o->id, sizeof o->id);
			store_col_copy(s, 1, o->code, sizeof o->code);
			store_col_copy(s, 2, o->name, sizeof o->name);
			store_col_copy(s, 3, o->type, sizeof o->type);
			rc = STORE_OK;
		} else {
			rc = rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}
