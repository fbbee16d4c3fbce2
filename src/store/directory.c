/*
 * directory.c - SQL for the service directory (HSDS 3.x services and
 * locations), its search keys, and the organisations it names.
 *
 * A service keeps what its list filters on as columns: organisation,
 * type, status, and the regions and languages it serves as codes between
 * spaces (" TJ-DU TJ-SU "), so that one LIKE '% TJ-DU %' matches a code
 * in both SQLite and PostgreSQL without a join table.  Its declared
 * fields are coded JSON (a service is public among the partners); a
 * location keeps its address sealed, like a person's PII.
 *
 * The search keys of a service (dir_service_keys) are the cross-script
 * name keys (domain/namekey.h) of the words of its name and of its
 * organisation's name, and their beginnings, stored in clear: the names
 * of services and organisations are public, so a keyed blind index (as
 * persons have) would protect nothing and would tie the keys to one
 * installation's key.  The directory is small (hundreds of services), so
 * its list is one statement with optional filters rather than one
 * statement per combination of filters as cases.c does.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/table.h"

static const struct column service_cols[] = {
	TCOL(struct dir_service_row, id, COL_TEXT, COL_FIXED),
	/* An update never moves a service: its organisation (and with it who
	 * reads a shelter's address) changes only by an accepted transfer
	 * (SQL_SVC_MOVE); an update naming another organisation finds no row. */
	TCOL(struct dir_service_row, org_id, COL_TEXT, COL_SCOPE),
	TCOL(struct dir_service_row, version, COL_INT, COL_VERSION),
	TCOL(struct dir_service_row, type, COL_TEXT, 0),
	TCOL(struct dir_service_row, status, COL_TEXT, 0),
	TCOL(struct dir_service_row, name, COL_JSON, 0),
	TCOL(struct dir_service_row, regions, COL_JSON, 0),
	TCOL(struct dir_service_row, languages, COL_JSON, 0),
	TCOL(struct dir_service_row, coded, COL_JSON, 0),
	TCOL(struct dir_service_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct dir_service_row, updated_at, COL_TEXT, 0),
	TCOL(struct dir_service_row, transfer_to, COL_OPT, COL_READ), /* by _transfer */
};
static struct table services = TABLE("dir_services", service_cols);

/* After the service's columns: its organisation's. */
#define SVC_FROM " FROM dir_services s JOIN orgs o ON o.id = s.org_id"
#define SVC_ORG ", o.code, o.name, o.type" SVC_FROM

static int read_service_org(db_stmt *s, int i, void *row, arena *a)
{
	struct dir_service_row *r = row;

	(void)a;
	snprintf(r->org.id, sizeof r->org.id, "%s", r->org_id);
	store_col_copy(s, i, r->org.code, sizeof r->org.code);
	store_col_copy(s, i + 1, r->org.name, sizeof r->org.name);
	store_col_copy(s, i + 2, r->org.type, sizeof r->org.type);
	return STORE_OK;
}

/* Each filter is skipped when its parameter is null; the parameter's
 * first mention tells PostgreSQL its type (see pg.c), and before a
 * subquery, which a null spares, a CAST does.  Search word i
 * binds ?(7+2i), a key, and ?(8+2i), the types it names between spaces
 * (or null): a word matches a service having the key or of such a type. */
#define SVC_WORD(k, t) \
	" AND (CAST(?" #k " AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM dir_service_keys k" \
	"  WHERE k.service_id = s.id AND k.key = ?" #k ")" \
	"  OR ?" #t " LIKE '% ' || s.type || ' %')"
#define SVC_WHERE \
	" WHERE (s.type = ?1 OR ?1 IS NULL) AND (s.status = ?2 OR ?2 IS NULL)" \
	" AND (s.org_id = ?3 OR ?3 IS NULL)" \
	" AND (CAST(?4 AS TEXT) IS NULL OR s.regions LIKE ?4 OR EXISTS (SELECT 1 FROM dir_locations l" \
	"  WHERE l.service_id = s.id AND l.region = ?5))" \
	" AND (s.languages LIKE ?6 OR ?6 IS NULL)" \
	SVC_WORD(7, 8) SVC_WORD(9, 10) SVC_WORD(11, 12) SVC_WORD(13, 14) \
	SVC_WORD(15, 16) SVC_WORD(17, 18) SVC_WORD(19, 20) SVC_WORD(21, 22)
_Static_assert(DIR_QUERY_KEYS == 8, "SVC_WHERE has one SVC_WORD per search word");
#define SVC_LIMIT 23 /* the parameters after the filters */
#define SVC_OFFSET 24

static struct table_query svc_list = TABLE_QUERY_AS(services, "s",
	SVC_ORG SVC_WHERE " ORDER BY s.name, s.id LIMIT ?23 OFFSET ?24", read_service_org);
static const char SQL_SVC_COUNT[] = "SELECT count(*)" SVC_FROM SVC_WHERE;
static struct table_query svc_get =
	TABLE_QUERY_AS(services, "s", SVC_ORG " WHERE s.id = ?1", read_service_org);
static const char SQL_SVC_TRANSFER[] =
	"UPDATE dir_services SET transfer_to = ?2, version = version + 1, updated_at = ?3"
	" WHERE id = ?1 AND version = ?4";
static const char SQL_SVC_MOVE[] =
	"UPDATE dir_services SET org_id = transfer_to, transfer_to = NULL, version = version + 1,"
	" updated_at = ?2 WHERE id = ?1 AND version = ?3 AND transfer_to IS NOT NULL";
static const char SQL_SVC_EXISTS[] = "SELECT 1 FROM dir_services WHERE id = ?1";
static const char SQL_KEYS_DEL[] = "DELETE FROM dir_service_keys WHERE service_id = ?1";
static const char SQL_KEYS_ADD[] =
	"INSERT INTO dir_service_keys(key, service_id) VALUES(?2, ?1) ON CONFLICT DO NOTHING";

static const struct column location_cols[] = {
	TCOL(struct dir_location_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct dir_location_row, service_id, COL_TEXT, 0),
	TCOL(struct dir_location_row, org_id, COL_TEXT, 0),
	TCOL(struct dir_location_row, version, COL_INT, COL_VERSION),
	TCOL(struct dir_location_row, kind, COL_TEXT, 0),
	TCOL(struct dir_location_row, region, COL_OPT, 0),
	TCOL(struct dir_location_row, coded, COL_JSON, 0),
	TCOL2(struct dir_location_row, sealed, COL_BLOB0, 0, sealed_len),
	TCOL(struct dir_location_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct dir_location_row, updated_at, COL_TEXT, 0),
};
static struct table locations = TABLE("dir_locations", location_cols);

static struct table_query loc_of = TABLE_QUERY(locations,
	"FROM dir_locations WHERE service_id = ?1 ORDER BY created_at, id LIMIT 200");
static struct table_query loc_all = TABLE_QUERY(locations,
	"FROM dir_locations ORDER BY service_id, created_at, id LIMIT ?1");
/* The locations of a service move with it, by an accepted transfer only;
 * so do a shelter's stays, which its new operator lists and discharges
 * (left with the old one, neither could: its beds stayed taken). */
static const char SQL_LOC_REOWN[] =
	"UPDATE dir_locations SET org_id = (SELECT org_id FROM dir_services WHERE id = ?1)"
	" WHERE service_id = ?1";
static const char SQL_STAYS_REOWN[] =
	"UPDATE items SET org_id = (SELECT org_id FROM dir_services WHERE id = ?1)"
	" WHERE service_id = ?1 AND kind = 'stay'";

static struct table_query q_orgs =
	TABLE_QUERY(store_orgs, "FROM orgs ORDER BY code LIMIT ?1");
static struct table_query q_org_by_code = TABLE_QUERY(store_orgs, "FROM orgs WHERE code = ?1");

/* ---- services ------------------------------------------------------------ */

int store_dir_service_get(store *st, const char *id, struct dir_service_row *r, arena *a)
{
	return table_query_get_pool(st, &svc_get, id, r, a);
}

int store_dir_service_get_tx(store_tx *tx, const char *id, struct dir_service_row *r, arena *a)
{
	return table_query_get(tx->d, &svc_get, id, r, a);
}

int store_dir_service_insert(store_tx *tx, const struct dir_service_row *r)
{
	return table_insert(tx, &services, r);
}

int store_dir_service_update(store_tx *tx, const struct dir_service_row *r)
{
	return table_update(tx, &services, r);
}

int store_dir_service_transfer(store_tx *tx, const char *id, int64_t version, const char *to_org_id,
			       const char *now)
{
	db_stmt *s = db_prepare(tx->d, SQL_SVC_TRANSFER);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, id);
	db_bind_str(s, 2, store_or_null(to_org_id));
	db_bind_str(s, 3, now);
	db_bind_int(s, 4, version);
	return store_step_versioned(tx, s, SQL_SVC_EXISTS, id);
}

int store_dir_service_move(store_tx *tx, const char *id, int64_t version, const char *now)
{
	db_stmt *s = db_prepare(tx->d, SQL_SVC_MOVE);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, id);
	db_bind_str(s, 2, now);
	db_bind_int(s, 3, version);
	rc = store_step_versioned(tx, s, SQL_SVC_EXISTS, id);
	if (rc == STORE_OK)
		rc = store_write_texts(tx->d, SQL_LOC_REOWN, &id, 1);
	return rc == STORE_OK ? store_write_texts(tx->d, SQL_STAYS_REOWN, &id, 1) : rc;
}

int store_dir_service_keys_set(store_tx *tx, const char *service_id, const char *const *keys,
			       size_t n)
{
	size_t i;
	int rc = store_write_texts(tx->d, SQL_KEYS_DEL, &service_id, 1);

	for (i = 0; rc == STORE_OK && i < n; i++) {
		db_stmt *s = db_prepare(tx->d, SQL_KEYS_ADD);
		if (!s)
			return STORE_ERROR;
		db_bind_str(s, 1, service_id);
		db_bind_str(s, 2, keys[i]);
		rc = store_step_done(s);
	}
	return rc;
}

/* Bind the filters of f to a list or count statement. */
static void bind_filter(db_stmt *s, const struct dir_filter *f, char *region_like,
			char *lang_like, size_t likelen)
{
	size_t i;

	db_bind_str(s, 1, store_or_null(f->type));
	db_bind_str(s, 2, store_or_null(f->status));
	db_bind_str(s, 3, store_or_null(f->org_id));
	if (f->region && *f->region) {
		snprintf(region_like, likelen, "%% %s %%", f->region);
		db_bind_str(s, 4, region_like);
		db_bind_str(s, 5, f->region);
	} else {
		db_bind_null(s, 4);
		db_bind_null(s, 5);
	}
	if (f->language && *f->language) {
		snprintf(lang_like, likelen, "%% %s %%", f->language);
		db_bind_str(s, 6, lang_like);
	} else {
		db_bind_null(s, 6);
	}
	for (i = 0; i < DIR_QUERY_KEYS; i++) {
		db_bind_str(s, 7 + 2 * (int)i, i < f->nkeys ? f->keys[i] : NULL);
		db_bind_str(s, 8 + 2 * (int)i, i < f->nkeys ? f->kinds[i] : NULL);
	}
}

int store_dir_service_list(store *st, const struct dir_filter *f, struct dir_service_row **rows,
			   size_t *n, int64_t *total, arena *a)
{
	char region_like[80], lang_like[80];
	db *d;
	db_stmt *s;
	int rc;

	if (f->nkeys > DIR_QUERY_KEYS)
		return STORE_ERROR;
	*n = 0;
	*rows = NULL;
	d = store_reader_get(st);
	s = db_prepare(d, SQL_SVC_COUNT);
	if (s)
		bind_filter(s, f, region_like, lang_like, sizeof region_like);
	rc = table_int(s, total);
	if (rc != STORE_OK || f->limit == 0 || *total == 0 || (int64_t)f->offset >= *total) {
		store_reader_put(st, d);
		return rc;
	}
	s = db_prepare(d, table_query_sql(&svc_list));
	if (s) {
		bind_filter(s, f, region_like, lang_like, sizeof region_like);
		db_bind_int(s, SVC_LIMIT, (int64_t)f->limit);
		db_bind_int(s, SVC_OFFSET, (int64_t)f->offset);
	}
	return table_query_collect_pool(st, d, s, &svc_list, sizeof **rows, f->limit,
					(void **)rows, n, a);
}

/* ---- locations ----------------------------------------------------------- */

int store_dir_location_insert(store_tx *tx, const struct dir_location_row *r)
{
	return table_insert(tx, &locations, r);
}

int store_dir_location_update(store_tx *tx, const struct dir_location_row *r)
{
	return table_update(tx, &locations, r);
}

int store_dir_location_get_tx(store_tx *tx, const char *id, struct dir_location_row *r,
			      arena *a)
{
	return table_get_on(tx->d, &locations, id, r, a);
}

int store_dir_location_get(store *st, const char *id, struct dir_location_row *r, arena *a)
{
	return table_get(st, &locations, id, r, a);
}

int store_dir_locations_of(store *st, const char *service_id, struct dir_location_row **rows,
			   size_t *n, arena *a)
{
	return table_query_list_pool(st, &loc_of, service_id, 200, sizeof **rows, (void **)rows, n,
				     a);
}

int store_dir_locations_all(store *st, size_t max, struct dir_location_row **rows, size_t *n,
			    arena *a)
{
	return table_query_list_pool(st, &loc_all, NULL, max, sizeof **rows, (void **)rows, n, a);
}

/* ---- organisations ------------------------------------------------------- */

int store_dir_orgs(store *st, size_t max, struct org **rows, size_t *n, arena *a)
{
	return table_query_list_pool(st, &q_orgs, NULL, max, sizeof **rows, (void **)rows, n, a);
}

int store_dir_org_ensure(store_tx *tx, const char *code, const char *name, const char *type,
			 struct org *o, int *created)
{
	int rc;

	*created = 0;
	rc = table_query_get(tx->d, &q_org_by_code, code, o, NULL);
	if (rc != STORE_NOT_FOUND)
		return rc;
	memset(o, 0, sizeof *o);
	snprintf(o->code, sizeof o->code, "%s", code);
	snprintf(o->name, sizeof o->name, "%s", name);
	snprintf(o->type, sizeof o->type, "%s", type);
	rc = store_org_add(tx, code, name, type, o->id);
	if (rc == STORE_OK)
		*created = 1;
	return rc;
}
