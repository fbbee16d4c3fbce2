/*
 * library.c - the knowledge library (migration 21): products and their
 * numbered versions, each version's file sealed by the api layer.  See
 * store/library.h.  Both tables are described once (store/table.h); only
 * the two guarded updates (a new current version, a withdrawal) are
 * written here.
 */
#include <string.h>

#include "store/library.h"
#include "store/table.h"

static const struct column product_cols[] = {
	TCOL(struct library_product, id, COL_TEXT, COL_FIXED),
	TCOL(struct library_product, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct library_product, kind, COL_TEXT, 0),
	TCOL(struct library_product, audience, COL_JSON, 0),
	TCOL(struct library_product, languages, COL_JSON, 0),
	TCOL(struct library_product, coded, COL_JSON, 0),
	TCOL(struct library_product, current, COL_INT, COL_READ),
	TCOL(struct library_product, withdrawn_at, COL_OPT, COL_READ),
	TCOL(struct library_product, created_by, COL_OPT, COL_FIXED),
	TCOL(struct library_product, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct library_product, updated_at, COL_TEXT, 0),
};
static struct table products = TABLE("library_products", product_cols);

/* A version as it is inserted: its sealed file goes with it.  The version
 * comes first, so a read (which never reads the file) fills a bare struct
 * library_version. */
struct version_row {
	struct library_version v;
	const unsigned char *sealed;
	size_t sealed_len;
};

static const struct column version_cols[] = {
	TCOLN(struct version_row, v.product_id, "product_id", COL_TEXT, COL_FIXED),
	TCOLN(struct version_row, v.n, "n", COL_INT, COL_FIXED),
	TCOLN(struct version_row, v.file_name, "file_name", COL_JSON, COL_FIXED),
	TCOLN(struct version_row, v.content_type, "content_type", COL_TEXT, COL_FIXED),
	TCOLN(struct version_row, v.size, "size", COL_INT, COL_FIXED),
	TCOLN(struct version_row, v.sha256, "sha256", COL_TEXT, COL_FIXED),
	TCOLN(struct version_row, v.note, "note", COL_TEXTN, COL_FIXED),
	TCOLN(struct version_row, v.uploaded_by, "uploaded_by", COL_OPT, COL_FIXED),
	TCOLN(struct version_row, v.uploaded_at, "uploaded_at", COL_TEXT, COL_FIXED),
	TCOL2(struct version_row, sealed, COL_SEALED, COL_FIXED | COL_WRITE, sealed_len),
};
static struct table versions = TABLE("library_versions", version_cols);

/* The columns of `versions` read (in its order), from the alias v. */
#define VERSION_COLS \
	"v.product_id, v.n, v.file_name, v.content_type, v.size, v.sha256, v.note," \
	" v.uploaded_by, v.uploaded_at"
#define UPLOADER " LEFT JOIN users u ON u.id = v.uploaded_by"
/* A product with its organisation's code and its current version (NULLs
 * before the first upload), then the uploader's login. */
#define PRODUCT_MORE \
	", o.code, " VERSION_COLS ", coalesce(u.login, '')" \
	" FROM library_products p JOIN orgs o ON o.id = p.org_id" \
	" LEFT JOIN library_versions v ON v.product_id = p.id AND v.n = p.current" UPLOADER

/* The uploader's login after a version's columns; no note reads as NULL. */
static int read_uploader(db_stmt *s, int i, void *row, arena *a)
{
	struct library_version *v = row;

	(void)a;
	store_col_copy(s, i, v->uploaded_by_login, sizeof v->uploaded_by_login);
	if (!*v->note)
		v->note = NULL;
	return STORE_OK;
}

static int read_product_more(db_stmt *s, int i, void *row, arena *a)
{
	struct library_product *p = row;

	store_col_copy(s, i, p->org_code, sizeof p->org_code);
	memset(&p->cur, 0, sizeof p->cur);
	if (p->current <= 0)
		return STORE_OK;
	i = table_read_at(s, &versions, i + 1, &p->cur, a);
	return i < 0 ? STORE_ERROR : read_uploader(s, i, &p->cur, a);
}

static struct table_query q_get =
	TABLE_QUERY_AS(products, "p", PRODUCT_MORE " WHERE p.id = ?1", read_product_more);
static struct table_query q_list = TABLE_QUERY_AS(products, "p", PRODUCT_MORE
	" WHERE p.withdrawn_at IS NULL AND (p.kind = ?1 OR ?1 IS NULL)"
	" AND (p.audience LIKE '%,' || ?2 || ',%' OR ?2 IS NULL)"
	" AND (p.languages LIKE '%,' || ?3 || ',%' OR ?3 IS NULL)"
	" AND (p.updated_at < ?4 OR (p.updated_at = ?4 AND p.id < ?5) OR ?4 IS NULL)"
	" ORDER BY p.updated_at DESC, p.id DESC LIMIT ?6", read_product_more);
static struct table_query q_versions = TABLE_QUERY_AS(versions, "v",
	", coalesce(u.login, '') FROM library_versions v" UPLOADER
	" WHERE v.product_id = ?1 ORDER BY v.n DESC LIMIT ?2", read_uploader);
/* The file is the column after the uploader's login (FILE_COL). */
static struct table_query q_file = TABLE_QUERY_AS(versions, "v",
	", coalesce(u.login, ''), v.sealed FROM library_versions v" UPLOADER
	" WHERE v.product_id = ?1 AND v.n = ?2", read_uploader);
#define FILE_COL 10

static const char SQL_BUMP[] =
	"UPDATE library_products SET current = ?2, updated_at = ?3"
	" WHERE id = ?1 AND current = ?2 - 1 AND withdrawn_at IS NULL";
static const char SQL_EXISTS[] = "SELECT 1 FROM library_products WHERE id = ?1";
static const char SQL_WITHDRAW[] =
	"UPDATE library_products SET withdrawn_at = ?3, withdrawn_by = ?2, updated_at = ?3"
	" WHERE id = ?1 AND withdrawn_at IS NULL";

int store_library_insert(store_tx *tx, const struct library_product *p)
{
	return table_insert(tx, &products, p);
}

int store_library_get(store *st, const char *id, struct library_product *p, arena *a)
{
	memset(p, 0, sizeof *p);
	return table_query_get_pool(st, &q_get, id, p, a);
}

int store_library_list(store *st, const struct library_filter *f, size_t limit,
		       struct library_product **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	const char *sql = table_query_sql(&q_list);
	db_stmt *s = sql ? db_prepare(d, sql) : NULL;

	if (s) {
		db_bind_str(s, 1, f->kind);
		db_bind_str(s, 2, f->audience);
		db_bind_str(s, 3, f->language);
		db_bind_str(s, 4, f->after_updated);
		db_bind_str(s, 5, f->after_id);
		db_bind_int(s, 6, (int64_t)limit);
	}
	return table_query_collect_pool(st, d, s, &q_list, sizeof **rows, limit, (void **)rows, n,
					a);
}

int store_library_add_version(store_tx *tx, const struct library_version *v,
			      const unsigned char *sealed, size_t sealed_len)
{
	struct version_row r = {*v, sealed, sealed_len};
	db_stmt *s = db_prepare(tx->d, SQL_BUMP);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, v->product_id);
	db_bind_int(s, 2, v->n);
	db_bind_str(s, 3, v->uploaded_at);
	rc = store_step_versioned(tx, s, SQL_EXISTS, v->product_id);
	if (rc != STORE_OK)
		return rc;
	/* Another upload of the same number lost the race. */
	rc = table_insert(tx, &versions, &r);
	return rc == STORE_CONFLICT ? STORE_STALE : rc;
}

int store_library_versions(store *st, const char *product_id, size_t max,
			   struct library_version **rows, size_t *n, arena *a)
{
	return table_query_list_pool(st, &q_versions, product_id, max, sizeof **rows,
				     (void **)rows, n, a);
}

int store_library_file(store *st, const char *product_id, int64_t n, struct library_version *v,
		       arena *a, int (*fn)(void *ctx, const void *sealed, size_t len), void *ctx)
{
	db *d = store_reader_get(st);
	const char *sql = table_query_sql(&q_file);
	db_stmt *s = sql ? db_prepare(d, sql) : NULL;
	int rc;

	if (s) {
		db_bind_str(s, 1, product_id);
		db_bind_int(s, 2, n);
	}
	rc = store_step_row(s);
	if (rc == STORE_OK) {
		memset(v, 0, sizeof *v);
		rc = table_query_read(s, &q_file, v, a);
		if (rc == STORE_OK)
			rc = fn(ctx, db_col_blob(s, FILE_COL), db_col_bytes(s, FILE_COL));
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_library_withdraw(store_tx *tx, const char *id, const char *user_id, const char *at)
{
	db_stmt *s = db_prepare(tx->d, SQL_WITHDRAW);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, id);
	db_bind_str(s, 2, user_id);
	db_bind_str(s, 3, at);
	return store_step_versioned(tx, s, SQL_EXISTS, id);
}
