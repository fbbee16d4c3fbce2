/*
 * trainings.c - training events and their participants (migration 8).
 * Participants are not named: agency type, sex, role and scores only.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/reports.h"
#include "store/table.h"

static const struct column training_cols[] = {
	TCOL(struct training_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct training_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct training_row, version, COL_INT, COL_VERSION),
	TCOL(struct training_row, topic, COL_JSON, 0),
	TCOL(struct training_row, start_on, COL_TEXT, 0),
	TCOL(struct training_row, end_on, COL_TEXT, 0),
	TCOL(struct training_row, place, COL_JSON, 0),
	TCOL(struct training_row, organiser_org, COL_TEXT, 0),
	TCOL(struct training_row, created_by, COL_OPT, COL_FIXED),
	TCOL(struct training_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct training_row, updated_at, COL_TEXT, 0),
	/* a study visit's (migration 22): kind "study_visit", where, who hosted, why */
	TCOL(struct training_row, kind, COL_TEXT, COL_FIXED),
	TCOL(struct training_row, country, COL_OPT, 0),
	TCOL(struct training_row, host, COL_TEXTN, 0),
	TCOL(struct training_row, purpose, COL_TEXTN, 0),
};
static struct table trainings = TABLE("trainings", training_cols);

/* After a training's columns: its organiser and how many took part. */
static int read_organiser(db_stmt *s, int i, void *row, arena *a)
{
	struct training_row *t = row;

	(void)a;
	memset(&t->organiser, 0, sizeof t->organiser);
	snprintf(t->organiser.id, sizeof t->organiser.id, "%s", t->organiser_org);
	store_col_copy(s, i, t->organiser.code, sizeof t->organiser.code);
	store_col_copy(s, i + 1, t->organiser.name, sizeof t->organiser.name);
	store_col_copy(s, i + 2, t->organiser.type, sizeof t->organiser.type);
	t->participants = db_col_int(s, i + 3);
	return STORE_OK;
}

#define TRAINING_MORE \
	", o.code, o.name, o.type," \
	" (SELECT count(*) FROM training_participants p WHERE p.training_id = t.id)" \
	" FROM trainings t JOIN orgs o ON o.id = t.organiser_org"
static struct table_query q_get =
	TABLE_QUERY_AS(trainings, "t", TRAINING_MORE " WHERE t.id = ?1", read_organiser);
static struct table_query q_list = TABLE_QUERY_AS(trainings, "t", TRAINING_MORE
	" WHERE t.org_id = ?1 AND (t.start_on < ?2 OR (t.start_on = ?2 AND t.id < ?3) OR ?2 IS NULL)"
	" AND (t.kind = ?5 OR ?5 IS NULL)"
	" ORDER BY t.start_on DESC, t.id DESC LIMIT ?4", read_organiser);

/* Participants are not named, and their rows are never changed. */
static const struct column participant_cols[] = {
	TCOL(struct participant_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct participant_row, training_id, COL_TEXT, COL_FIXED),
	TCOL(struct participant_row, agency_type, COL_TEXT, COL_FIXED),
	TCOL(struct participant_row, sex, COL_TEXT, COL_FIXED),
	TCOL(struct participant_row, role, COL_TEXT, COL_FIXED),
	TCOL(struct participant_row, pre_score, COL_COUNT, COL_FIXED),
	TCOL(struct participant_row, post_score, COL_COUNT, COL_FIXED),
	TCOL(struct participant_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct participant_row, sector, COL_OPT, COL_FIXED), /* the agency's, or "" */
};
static struct table participants = TABLE("training_participants", participant_cols);
static struct table_query q_participants = TABLE_QUERY(participants,
	"FROM training_participants WHERE training_id = ?1 ORDER BY created_at, id LIMIT ?2");

int store_training_insert(store_tx *tx, const struct training_row *t)
{
	struct training_row k;

	if (t->kind[0])
		return table_insert(tx, &trainings, t);
	k = *t; /* a training unless said otherwise */
	snprintf(k.kind, sizeof k.kind, "training");
	return table_insert(tx, &trainings, &k);
}

int store_training_update(store_tx *tx, const struct training_row *t)
{
	return table_update(tx, &trainings, t);
}

int store_training_get(store *st, const char *id, struct training_row *t, arena *a)
{
	return table_query_get_pool(st, &q_get, id, t, a);
}

int store_trainings_list(store *st, const char *org_id, const char *kind,
			 const char *after_start, const char *after_id, size_t limit,
			 struct training_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&q_list));

	if (s) {
		db_bind_str(s, 1, org_id);
		db_bind_str(s, 2, after_start);
		db_bind_str(s, 3, after_id);
		db_bind_int(s, 4, (int64_t)limit);
		db_bind_str(s, 5, kind);
	}
	return table_query_collect_pool(st, d, s, &q_list, sizeof **rows, SIZE_MAX, (void **)rows,
					n, a);
}

int store_participant_insert(store_tx *tx, const struct participant_row *p)
{
	int rc = table_insert(tx, &participants, p);

	return rc == STORE_CONFLICT ? STORE_ERROR : rc;
}

int store_participant_get(store *st, const char *id, struct participant_row *p, arena *a)
{
	return table_get(st, &participants, id, p, a);
}

int store_participants_list(store *st, const char *training_id, size_t max,
			    struct participant_row **rows, size_t *n, arena *a)
{
	return table_query_list_pool(st, &q_participants, training_id, max, sizeof **rows,
				     (void **)rows, n, a);
}
