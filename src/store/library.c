/*
 * library.c - the knowledge library (migration 21): products and their
 * numbered versions, each version's file sealed by the api layer.  See
 * store/library.h.
 */
#include <string.h>

#include "store/library.h"
#include "store/store_internal.h"

#define PRODUCT_COLS \
	"p.id, p.org_id, o.code, p.kind, p.audience, p.languages, p.coded, p.current," \
	" coalesce(p.withdrawn_at, ''), coalesce(p.created_by, ''), p.created_at, p.updated_at"
#define VERSION_COLS \
	"v.product_id, v.n, v.file_name, v.content_type, v.size, v.sha256, coalesce(v.note, '')," \
	" coalesce(v.uploaded_by, ''), coalesce(u.login, ''), v.uploaded_at"
/* A product with its current version (NULLs before the first upload). */
#define PRODUCT_FROM \
	" FROM library_products p JOIN orgs o ON o.id = p.org_id" \
	" LEFT JOIN library_versions v ON v.product_id = p.id AND v.n = p.current" \
	" LEFT JOIN users u ON u.id = v.uploaded_by"

static const char SQL_INSERT[] =
	"INSERT INTO library_products(id, org_id, kind, audience, languages, coded, current,"
	" created_by, created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9)";
static const char SQL_GET[] =
	"SELECT " PRODUCT_COLS ", " VERSION_COLS PRODUCT_FROM " WHERE p.id = ?1";
static const char SQL_LIST[] =
	"SELECT " PRODUCT_COLS ", " VERSION_COLS PRODUCT_FROM
	" WHERE p.withdrawn_at IS NULL AND (?1 IS NULL OR p.kind = ?1)"
	" AND (?2 IS NULL OR p.audience LIKE '%,' || ?2 || ',%')"
	" AND (?3 IS NULL OR p.languages LIKE '%,' || ?3 || ',%')"
	" AND (?4 IS NULL OR p.updated_at < ?4 OR (p.updated_at = ?4 AND p.id < ?5))"
	" ORDER BY p.updated_at DESC, p.id DESC LIMIT ?6";
static const char SQL_BUMP[] =
	"UPDATE library_products SET current = ?2, updated_at = ?3"
	" WHERE id = ?1 AND current = ?2 - 1 AND withdrawn_at IS NULL";
static const char SQL_EXISTS[] = "SELECT 1 FROM library_products WHERE id = ?1";
static const char SQL_V_INSERT[] =
	"INSERT INTO library_versions(product_id, n, file_name, content_type, size, sha256, sealed,"
	" note, uploaded_by, uploaded_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_V_LIST[] =
	"SELECT " VERSION_COLS " FROM library_versions v LEFT JOIN users u ON u.id = v.uploaded_by"
	" WHERE v.product_id = ?1 ORDER BY v.n DESC LIMIT ?2";
static const char SQL_V_FILE[] =
	"SELECT " VERSION_COLS ", v.sealed FROM library_versions v"
	" LEFT JOIN users u ON u.id = v.uploaded_by WHERE v.product_id = ?1 AND v.n = ?2";
static const char SQL_WITHDRAW[] =
	"UPDATE library_products SET withdrawn_at = ?3, withdrawn_by = ?2, updated_at = ?3"
	" WHERE id = ?1 AND withdrawn_at IS NULL";

/* The version columns from column i on. */
static int read_version(db_stmt *s, int i, struct library_version *v, arena *a)
{
	memset(v, 0, sizeof *v);
	store_col_copy(s, i, v->product_id, sizeof v->product_id);
	v->n = db_col_int(s, i + 1);
	v->file_name = arena_strdup(a, db_col_text(s, i + 2));
	store_col_copy(s, i + 3, v->content_type, sizeof v->content_type);
	v->size = db_col_int(s, i + 4);
	store_col_copy(s, i + 5, v->sha256, sizeof v->sha256);
	v->note = *db_col_text(s, i + 6) ? arena_strdup(a, db_col_text(s, i + 6)) : NULL;
	store_col_copy(s, i + 7, v->uploaded_by, sizeof v->uploaded_by);
	store_col_copy(s, i + 8, v->uploaded_by_login, sizeof v->uploaded_by_login);
	store_col_copy(s, i + 9, v->uploaded_at, sizeof v->uploaded_at);
	return v->file_name ? STORE_OK : STORE_ERROR;
}

static int read_product(db_stmt *s, struct library_product *p, arena *a)
{
	memset(p, 0, sizeof *p);
	store_col_copy(s, 0, p->id, sizeof p->id);
	store_col_copy(s, 1, p->org_id, sizeof p->org_id);
	store_col_copy(s, 2, p->org_code, sizeof p->org_code);
	store_col_copy(s, 3, p->kind, sizeof p->kind);
	p->audience = arena_strdup(a, db_col_text(s, 4));
	p->languages = arena_strdup(a, db_col_text(s, 5));
	p->coded = arena_strdup(a, db_col_text(s, 6));
	p->current = db_col_int(s, 7);
	store_col_copy(s, 8, p->withdrawn_at, sizeof p->withdrawn_at);
	store_col_copy(s, 9, p->created_by, sizeof p->created_by);
	store_col_copy(s, 10, p->created_at, sizeof p->created_at);
	store_col_copy(s, 11, p->updated_at, sizeof p->updated_at);
	if (!p->audience || !p->languages || !p->coded)
		return STORE_ERROR;
	return p->current > 0 ? read_version(s, 12, &p->cur, a) : STORE_OK;
}

int store_library_insert(store_tx *tx, const struct library_product *p)
{
	db_stmt *s = db_prepare(tx->d, SQL_INSERT);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, p->id);
	db_bind_str(s, 2, p->org_id);
	db_bind_str(s, 3, p->kind);
	db_bind_str(s, 4, p->audience);
	db_bind_str(s, 5, p->languages);
	db_bind_str(s, 6, p->coded);
	db_bind_str(s, 7, p->created_by[0] ? p->created_by : NULL);
	db_bind_str(s, 8, p->created_at);
	db_bind_str(s, 9, p->updated_at);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

int store_library_get(store *st, const char *id, struct library_product *p, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_GET);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, id);
		switch (db_step(s)) {
		case DB_ROW:
			rc = read_product(s, p, a);
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

int store_library_list(store *st, const struct library_filter *f, size_t limit,
		       struct library_product **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_LIST);
	struct library_product *out;
	size_t cap = 16;
	int rc = DB_ERROR;

	*n = 0;
	out = arena_alloc(a, cap * sizeof *out);
	if (s && out) {
		db_bind_str(s, 1, f->kind);
		db_bind_str(s, 2, f->audience);
		db_bind_str(s, 3, f->language);
		db_bind_str(s, 4, f->after_updated);
		db_bind_str(s, 5, f->after_id);
		db_bind_int(s, 6, (int64_t)limit);
		while ((rc = db_step(s)) == DB_ROW) {
			struct library_product *p = store_grow(a, out, &cap, *n, sizeof *out);
			if (!p || read_product(s, &p[*n], a) != STORE_OK) {
				rc = DB_ERROR;
				break;
			}
			out = p;
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_library_add_version(store_tx *tx, const struct library_version *v,
			      const unsigned char *sealed, size_t sealed_len)
{
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
	s = db_prepare(tx->d, SQL_V_INSERT);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, v->product_id);
	db_bind_int(s, 2, v->n);
	db_bind_str(s, 3, v->file_name);
	db_bind_str(s, 4, v->content_type);
	db_bind_int(s, 5, v->size);
	db_bind_str(s, 6, v->sha256);
	db_bind_blob(s, 7, sealed, sealed_len);
	db_bind_str(s, 8, v->note);
	db_bind_str(s, 9, v->uploaded_by[0] ? v->uploaded_by : NULL);
	db_bind_str(s, 10, v->uploaded_at);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : rc == DB_CONSTRAINT ? STORE_STALE : STORE_ERROR;
}

int store_library_versions(store *st, const char *product_id, size_t max,
			   struct library_version **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_V_LIST);
	struct library_version *out;
	size_t cap = 8;
	int rc = DB_ERROR;

	*n = 0;
	out = arena_alloc(a, cap * sizeof *out);
	if (s && out) {
		db_bind_str(s, 1, product_id);
		db_bind_int(s, 2, (int64_t)max);
		while ((rc = db_step(s)) == DB_ROW) {
			struct library_version *v = store_grow(a, out, &cap, *n, sizeof *out);
			if (!v || read_version(s, 0, &v[*n], a) != STORE_OK) {
				rc = DB_ERROR;
				break;
			}
			out = v;
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_library_file(store *st, const char *product_id, int64_t n, struct library_version *v,
		       arena *a, int (*fn)(void *ctx, const void *sealed, size_t len), void *ctx)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_V_FILE);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, product_id);
		db_bind_int(s, 2, n);
		switch (db_step(s)) {
		case DB_ROW:
			rc = read_version(s, 0, v, a);
			if (rc == STORE_OK)
				rc = fn(ctx, db_col_blob(s, 10), db_col_bytes(s, 10));
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
