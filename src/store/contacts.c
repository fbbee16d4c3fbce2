/*
 * contacts.c - SQL for the hotline: contacts, caller flags, callbacks,
 * their figures, and the organisation that takes public callback
 * requests.
 *
 * A caller's number never reaches this file: only its blind index
 * (phone_key, made per organisation by the api layer) and the sealed
 * record.  Every query is scoped by the organisation.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/table.h"

static const struct column contact_cols[] = {
	TCOL(struct contact_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct contact_row, org_id, COL_TEXT, COL_SCOPE),
	TCOL(struct contact_row, version, COL_INT, COL_VERSION),
	TCOL(struct contact_row, channel, COL_TEXT, 0),
	TCOL(struct contact_row, call_type, COL_TEXT, 0),
	TCOL(struct contact_row, started_at, COL_TEXT, 0),
	TCOL(struct contact_row, duration_s, COL_COUNT, 0),
	TCOL(struct contact_row, language, COL_OPT, 0),
	TCOL(struct contact_row, topics, COL_WORDS, 0),
	TCOL(struct contact_row, action, COL_OPT, 0),
	TCOL(struct contact_row, case_id, COL_OPT, 0),
	TCOL(struct contact_row, person_id, COL_OPT, 0),
	TCOL(struct contact_row, operator_id, COL_OPT, COL_FIXED),
	TCOL2(struct contact_row, phone_key, COL_HAS_BYTES, 0, has_phone),
	TCOL(struct contact_row, coded, COL_JSON, 0),
	TCOL2(struct contact_row, sealed, COL_BLOB0, 0, sealed_len),
	TCOL(struct contact_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct contact_row, updated_at, COL_TEXT, 0),
};
static struct table contacts = TABLE("contacts", contact_cols);

static struct table_query contacts_phone = TABLE_QUERY(contacts,
	"FROM contacts WHERE phone_key = ?1 AND org_id = ?2"
	" ORDER BY started_at DESC, id DESC LIMIT ?3");
static struct table_query contacts_list = TABLE_QUERY(contacts,
	"FROM contacts WHERE org_id = ?1"
	" AND (started_at >= ?2 OR ?2 IS NULL) AND (started_at < ?3 OR ?3 IS NULL)"
	" AND (started_at < ?4 OR (started_at = ?4 AND id < ?5) OR ?4 IS NULL)"
	" ORDER BY started_at DESC, id DESC LIMIT ?6");

/* The organisation's contacts of a period counted by one expression. */
#define STATS_BY(key) \
	"SELECT " key ", count(*) FROM contacts WHERE org_id = ?1" \
	" AND started_at >= ?2 AND started_at < ?3 GROUP BY 1 ORDER BY 1"
static const char SQL_STATS_DAY[] = STATS_BY("substr(started_at, 1, 10)");
static const char SQL_STATS_CHANNEL[] = STATS_BY("channel");
static const char SQL_STATS_TYPE[] = STATS_BY("call_type");
static const char SQL_STATS_ACTION[] = STATS_BY("coalesce(action, '')");
static const char SQL_STATS_TOPICS[] = STATS_BY("topics");
static const char SQL_STATS_CALLBACKS[] =
	"SELECT count(*), count(CASE WHEN due < ?2 THEN 1 END),"
	" count(CASE WHEN due >= ?2 AND due < ?3 THEN 1 END)"
	" FROM callbacks WHERE org_id = ?1 AND done = 0";

static const struct column flag_cols[] = {
	TCOL(struct caller_flag_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct caller_flag_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct caller_flag_row, phone_key, COL_BYTES, COL_FIXED),
	TCOL(struct caller_flag_row, flag, COL_TEXT, COL_FIXED),
	TCOL(struct caller_flag_row, until, COL_TEXT, COL_FIXED),
	TCOL2(struct caller_flag_row, sealed, COL_BLOB0, COL_FIXED, sealed_len),
	TCOL(struct caller_flag_row, created_by, COL_OPT, COL_FIXED),
	TCOL(struct caller_flag_row, created_at, COL_TEXT, COL_FIXED),
};
static struct table flags = TABLE("caller_flags", flag_cols);

static struct table_query flags_active = TABLE_QUERY(flags,
	"FROM caller_flags WHERE phone_key = ?1 AND org_id = ?2 AND until >= ?3"
	" ORDER BY created_at DESC, id LIMIT 50");

static const struct column callback_cols[] = {
	TCOL(struct callback_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct callback_row, org_id, COL_TEXT, COL_SCOPE),
	TCOL(struct callback_row, version, COL_INT, COL_VERSION),
	TCOL(struct callback_row, source, COL_TEXT, COL_FIXED),
	TCOL(struct callback_row, done, COL_BOOL, 0),
	TCOL(struct callback_row, due, COL_TEXT, 0),
	TCOL(struct callback_row, language, COL_OPT, COL_FIXED),
	TCOL(struct callback_row, assigned_to, COL_OPT, 0),
	TCOL(struct callback_row, outcome, COL_OPT, 0),
	TCOL(struct callback_row, contact_id, COL_OPT, COL_FIXED),
	TCOL2(struct callback_row, phone_key, COL_HAS_BYTES, COL_FIXED, has_phone),
	TCOL2(struct callback_row, sealed, COL_BLOB0, COL_FIXED, sealed_len),
	TCOL(struct callback_row, created_by, COL_OPT, COL_FIXED),
	TCOL(struct callback_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct callback_row, updated_at, COL_TEXT, 0),
	TCOL(struct callback_row, done_at, COL_OPT, 0),
};
static struct table callbacks = TABLE("callbacks", callback_cols);

static struct table_query callbacks_list = TABLE_QUERY(callbacks,
	"FROM callbacks WHERE org_id = ?1"
	" AND (?2 < 0 OR done = ?2) AND (due >= ?3 OR ?3 IS NULL) AND (due < ?4 OR ?4 IS NULL)"
	" AND (assigned_to = ?5 OR ?5 IS NULL)"
	" AND (due > ?6 OR (due = ?6 AND id > ?7) OR ?6 IS NULL)"
	" ORDER BY due, id LIMIT ?8");
static struct table_query q_callback_of_contact = TABLE_QUERY(callbacks,
	"FROM callbacks WHERE contact_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1");
static const char SQL_CALLBACK_OPEN_PHONE[] =
	"SELECT id FROM callbacks WHERE phone_key = ?1 AND org_id = ?2 AND done = 0 AND source = ?3"
	" ORDER BY created_at, id LIMIT 1";
static const char SQL_CALLBACK_TOUCH[] = "UPDATE callbacks SET updated_at = ?2 WHERE id = ?1";

static struct table_query q_org_first =
	TABLE_QUERY(store_orgs, "FROM orgs ORDER BY created_at, rowid LIMIT 1");

/* ---- contacts ----------------------------------------------------------- */

int store_contact_insert(store_tx *tx, const struct contact_row *c)
{
	return table_insert(tx, &contacts, c);
}

int store_contact_update(store_tx *tx, const struct contact_row *c)
{
	return table_update(tx, &contacts, c);
}

int store_contact_get(store *st, const char *id, struct contact_row *c, arena *a)
{
	return table_get(st, &contacts, id, c, a);
}

int store_contacts_by_phone(store *st, const char *org_id, const unsigned char key[BLIND_BYTES],
			    size_t max, struct contact_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&contacts_phone));

	if (s) {
		db_bind_blob(s, 1, key, BLIND_BYTES);
		db_bind_str(s, 2, org_id);
		db_bind_int(s, 3, (int64_t)max);
	}
	return table_query_collect_pool(st, d, s, &contacts_phone, sizeof **rows, SIZE_MAX,
					(void **)rows, n, a);
}

int store_contacts_list(store *st, const struct contact_filter *f, struct contact_row **rows,
			size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&contacts_list));

	if (s) {
		db_bind_str(s, 1, f->org_id);
		db_bind_str(s, 2, store_or_null(f->from));
		db_bind_str(s, 3, store_or_null(f->to));
		db_bind_str(s, 4, store_or_null(f->after_at));
		db_bind_str(s, 5, f->after_id ? f->after_id : "");
		db_bind_int(s, 6, (int64_t)f->limit);
	}
	return table_query_collect_pool(st, d, s, &contacts_list, sizeof **rows, SIZE_MAX,
					(void **)rows, n, a);
}

/* ---- figures -------------------------------------------------------------- */

/* One GROUP BY query into an arena array of (key, count). */
static int count_by(db *d, const char *sql, const char *org_id, const char *from, const char *to,
		    struct contact_count **out, size_t *n, arena *a)
{
	db_stmt *s = db_prepare(d, sql);
	size_t cap = 16;
	int rc;

	*out = arena_alloc(a, cap * sizeof **out);
	*n = 0;
	if (!s || !*out)
		return STORE_ERROR;
	db_bind_str(s, 1, org_id);
	db_bind_str(s, 2, from);
	db_bind_str(s, 3, to);
	while ((rc = db_step(s)) == DB_ROW) {
		struct contact_count *grown = store_grow(a, *out, &cap, *n, sizeof **out);
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
	const struct {
		const char *sql;
		struct contact_count **out;
		size_t *n;
	} by[] = {
		{SQL_STATS_DAY, &cs->by_day, &cs->n_day},
		{SQL_STATS_CHANNEL, &cs->by_channel, &cs->n_channel},
		{SQL_STATS_TYPE, &cs->by_call_type, &cs->n_call_type},
		{SQL_STATS_ACTION, &cs->by_action, &cs->n_action},
		{SQL_STATS_TOPICS, &cs->by_topics, &cs->n_topics},
	};
	db *d = store_reader_get(st);
	db_stmt *s;
	int rc = STORE_OK;
	size_t i;

	memset(cs, 0, sizeof *cs);
	for (i = 0; rc == STORE_OK && i < sizeof by / sizeof by[0]; i++)
		rc = count_by(d, by[i].sql, org_id, from, to, by[i].out, by[i].n, a);
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
	return table_insert(tx, &flags, f);
}

int store_flag_get(store *st, const char *id, struct caller_flag_row *f, arena *a)
{
	return table_get(st, &flags, id, f, a);
}

int store_flags_active(store *st, const char *org_id, const unsigned char key[BLIND_BYTES],
		       const char *today, struct caller_flag_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&flags_active));

	if (s) {
		db_bind_blob(s, 1, key, BLIND_BYTES);
		db_bind_str(s, 2, org_id);
		db_bind_str(s, 3, today);
	}
	return table_query_collect_pool(st, d, s, &flags_active, sizeof **rows, SIZE_MAX,
					(void **)rows, n, a);
}

/* ---- callbacks ---------------------------------------------------------------- */

int store_callback_insert(store_tx *tx, const struct callback_row *c)
{
	return table_insert(tx, &callbacks, c);
}

int store_callback_update(store_tx *tx, const struct callback_row *c)
{
	return table_update(tx, &callbacks, c);
}

int store_callback_get(store *st, const char *id, struct callback_row *c, arena *a)
{
	return table_get(st, &callbacks, id, c, a);
}

int store_callback_of_contact(store *st, const char *contact_id, struct callback_row *c,
			      arena *a)
{
	return table_query_get_pool(st, &q_callback_of_contact, contact_id, c, a);
}

int store_callbacks_list(store *st, const struct callback_filter *f, struct callback_row **rows,
			 size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&callbacks_list));

	if (s) {
		db_bind_str(s, 1, f->org_id);
		db_bind_int(s, 2, f->done);
		db_bind_str(s, 3, store_or_null(f->due_from));
		db_bind_str(s, 4, store_or_null(f->due_before));
		db_bind_str(s, 5, store_or_null(f->assigned_to));
		db_bind_str(s, 6, store_or_null(f->after_due));
		db_bind_str(s, 7, f->after_id ? f->after_id : "");
		db_bind_int(s, 8, (int64_t)f->limit);
	}
	return table_query_collect_pool(st, d, s, &callbacks_list, sizeof **rows, SIZE_MAX,
					(void **)rows, n, a);
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
	const char *v[] = {id, updated_at};

	return store_write_texts(tx->d, SQL_CALLBACK_TOUCH, v, 2);
}

int store_org_home(store *st, struct org *o)
{
	char id[ID_LEN];

	if (store_meta_get(st, "home_org", id, sizeof id) == STORE_OK &&
	    store_org_by_id(st, id, o) == STORE_OK)
		return STORE_OK;
	return table_query_get_pool(st, &q_org_first, NULL, o, NULL);
}

int store_org_home_set(store_tx *tx, const char *org_id)
{
	return store_meta_set(tx, "home_org", org_id);
}
