/*
 * trainings.c - training events and their participants (migration 8).
 * Participants are not named: agency type, sex, role and scores only.
 */
#include <string.h>

#include "store/reports.h"
#include "store/store_internal.h"

#define TRAINING_COLS \
	"t.id, t.org_id, t.version, t.topic, t.start_on, t.end_on, t.place, t.organiser_org," \
	" o.code, o.name, o.type, coalesce(t.created_by, ''), t.created_at, t.updated_at," \
	" (SELECT count(*) FROM training_participants p WHERE p.training_id = t.id)," \
	" t.kind, coalesce(t.country, ''), coalesce(t.host, ''), coalesce(t.purpose, '')"

static const char SQL_INSERT[] =
	"INSERT INTO trainings(id, org_id, version, topic, start_on, end_on, place, organiser_org,"
	" created_by, created_at, updated_at, kind, country, host, purpose)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char SQL_UPDATE[] =
	"UPDATE trainings SET version = ?2, topic = ?3, start_on = ?4, end_on = ?5, place = ?6,"
	" organiser_org = ?7, updated_at = ?8, country = ?10, host = ?11, purpose = ?12"
	" WHERE id = ?1 AND version = ?9";
static const char SQL_EXISTS[] = "SELECT 1 FROM trainings WHERE id = ?1";
static const char SQL_GET[] =
	"SELECT " TRAINING_COLS " FROM trainings t JOIN orgs o ON o.id = t.organiser_org"
	" WHERE t.id = ?1";
static const char SQL_LIST[] =
	"SELECT " TRAINING_COLS " FROM trainings t JOIN orgs o ON o.id = t.organiser_org"
	" WHERE t.org_id = ?1 AND (?2 IS NULL OR t.start_on < ?2 OR (t.start_on = ?2 AND t.id < ?3))"
	" AND (?5 IS NULL OR t.kind = ?5)"
	" ORDER BY t.start_on DESC, t.id DESC LIMIT ?4";
static const char SQL_P_INSERT[] =
	"INSERT INTO training_participants(id, training_id, agency_type, sex, role, pre_score,"
	" post_score, created_by, created_at, sector) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_P_LIST[] =
	"SELECT id, training_id, agency_type, sex, role, pre_score, post_score, created_at,"
	" coalesce(sector, '')"
	" FROM training_participants WHERE training_id = ?1 ORDER BY created_at, id LIMIT ?2";

static int read_training(db_stmt *s, struct training_row *t, arena *a)
{
	memset(t, 0, sizeof *t);
	store_col_copy(s, 0, t->id, sizeof t->id);
	store_col_copy(s, 1, t->org_id, sizeof t->org_id);
	t->version = db_col_int(s, 2);
	t->topic = arena_strdup(a, db_col_text(s, 3));
	store_col_copy(s, 4, t->start_on, sizeof t->start_on);
	store_col_copy(s, 5, t->end_on, sizeof t->end_on);
	t->place = arena_strdup(a, db_col_text(s, 6));
	store_col_copy(s, 7, t->organiser_org, sizeof t->organiser_org);
	store_col_copy(s, 7, t->organiser.id, sizeof t->organiser.id);
	store_col_copy(s, 8, t->organiser.code, sizeof t->organiser.code);
	store_col_copy(s, 9, t->organiser.name, sizeof t->organiser.name);
	store_col_copy(s, 10, t->organiser.type, sizeof t->organiser.type);
	store_col_copy(s, 11, t->created_by, sizeof t->created_by);
	store_col_copy(s, 12, t->created_at, sizeof t->created_at);
	store_col_copy(s, 13, t->updated_at, sizeof t->updated_at);
	t->participants = db_col_int(s, 14);
	store_col_copy(s, 15, t->kind, sizeof t->kind);
	store_col_copy(s, 16, t->country, sizeof t->country);
	t->host = arena_strdup(a, db_col_text(s, 17));
	t->purpose = arena_strdup(a, db_col_text(s, 18));
	return t->topic && t->place && t->host && t->purpose ? STORE_OK : STORE_ERROR;
}

/* A study visit's country, host and purpose from parameter i on (NULLs
 * for a training). */
static void bind_visit(db_stmt *s, int i, const struct training_row *t)
{
	db_bind_str(s, i, t->country[0] ? t->country : NULL);
	db_bind_str(s, i + 1, t->host && *t->host ? t->host : NULL);
	db_bind_str(s, i + 2, t->purpose && *t->purpose ? t->purpose : NULL);
}

int store_training_insert(store_tx *tx, const struct training_row *t)
{
	db_stmt *s = db_prepare(tx->d, SQL_INSERT);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, t->id);
	db_bind_str(s, 2, t->org_id);
	db_bind_int(s, 3, t->version);
	db_bind_str(s, 4, t->topic);
	db_bind_str(s, 5, t->start_on);
	db_bind_str(s, 6, t->end_on);
	db_bind_str(s, 7, t->place);
	db_bind_str(s, 8, t->organiser_org);
	db_bind_str(s, 9, t->created_by[0] ? t->created_by : NULL);
	db_bind_str(s, 10, t->created_at);
	db_bind_str(s, 11, t->updated_at);
	db_bind_str(s, 12, t->kind[0] ? t->kind : "training");
	bind_visit(s, 13, t);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

int store_training_update(store_tx *tx, const struct training_row *t)
{
	db_stmt *s = db_prepare(tx->d, SQL_UPDATE);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, t->id);
	db_bind_int(s, 2, t->version);
	db_bind_str(s, 3, t->topic);
	db_bind_str(s, 4, t->start_on);
	db_bind_str(s, 5, t->end_on);
	db_bind_str(s, 6, t->place);
	db_bind_str(s, 7, t->organiser_org);
	db_bind_str(s, 8, t->updated_at);
	db_bind_int(s, 9, t->version - 1);
	bind_visit(s, 10, t);
	return store_step_versioned(tx, s, SQL_EXISTS, t->id);
}

int store_training_get(store *st, const char *id, struct training_row *t, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_GET);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, id);
		switch (db_step(s)) {
		case DB_ROW:
			rc = read_training(s, t, a);
			break;
		case DB_DONE:
			rc = STORE_NOT_FOUND;
			break;
		default:
			break;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_trainings_list(store *st, const char *org_id, const char *kind,
			 const char *after_start, const char *after_id, size_t limit,
			 struct training_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_LIST);
	struct training_row *out;
	size_t cap = 16;
	int rc = DB_ERROR;

	*n = 0;
	out = arena_alloc(a, cap * sizeof *out);
	if (s && out) {
		db_bind_str(s, 1, org_id);
		db_bind_str(s, 2, after_start);
		db_bind_str(s, 3, after_id);
		db_bind_int(s, 4, (int64_t)limit);
		db_bind_str(s, 5, kind);
		while ((rc = db_step(s)) == DB_ROW) {
			struct training_row *grown = store_grow(a, out, &cap, *n, sizeof *out);
			if (!grown || read_training(s, &grown[*n], a) != STORE_OK) {
				rc = DB_ERROR;
				break;
			}
			out = grown;
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_participant_insert(store_tx *tx, const struct participant_row *p)
{
	db_stmt *s = db_prepare(tx->d, SQL_P_INSERT);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, p->id);
	db_bind_str(s, 2, p->training_id);
	db_bind_str(s, 3, p->agency_type);
	db_bind_str(s, 4, p->sex);
	db_bind_str(s, 5, p->role);
	if (p->pre_score >= 0)
		db_bind_int(s, 6, p->pre_score);
	else
		db_bind_null(s, 6);
	if (p->post_score >= 0)
		db_bind_int(s, 7, p->post_score);
	else
		db_bind_null(s, 7);
	db_bind_null(s, 8);
	db_bind_str(s, 9, p->created_at);
	db_bind_str(s, 10, p->sector[0] ? p->sector : NULL);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_participants_list(store *st, const char *training_id, size_t max,
			    struct participant_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_P_LIST);
	struct participant_row *out;
	size_t cap = 16;
	int rc = DB_ERROR;

	*n = 0;
	out = arena_alloc(a, cap * sizeof *out);
	if (s && out) {
		db_bind_str(s, 1, training_id);
		db_bind_int(s, 2, (int64_t)max);
		while ((rc = db_step(s)) == DB_ROW) {
			struct participant_row *grown = store_grow(a, out, &cap, *n, sizeof *out);
			struct participant_row *p;
			if (!grown) {
				rc = DB_ERROR;
				break;
			}
			out = grown;
			p = &out[(*n)++];
			store_col_copy(s, 0, p->id, sizeof p->id);
			store_col_copy(s, 1, p->training_id, sizeof p->training_id);
			store_col_copy(s, 2, p->agency_type, sizeof p->agency_type);
			store_col_copy(s, 3, p->sex, sizeof p->sex);
			store_col_copy(s, 4, p->role, sizeof p->role);
			p->pre_score = db_col_null(s, 5) ? -1 : db_col_int(s, 5);
			p->post_score = db_col_null(s, 6) ? -1 : db_col_int(s, 6);
			store_col_copy(s, 7, p->created_at, sizeof p->created_at);
			store_col_copy(s, 8, p->sector, sizeof p->sector);
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}
