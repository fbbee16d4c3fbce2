/*
 * library.h - the knowledge library's SQL (store/library.c, migration 21):
 * knowledge products and their numbered versions.
 *
 * A product's `current` is the number of its newest version (0 before the
 * first upload); a version is added only on top of the current one the
 * caller saw, so two uploads racing make one version and one conflict.
 * A version's file lies sealed in the database (the api layer seals and
 * opens it: the store sees bytes); strings of rows read are in the arena.
 */
#ifndef HIMOYA_STORE_LIBRARY_H
#define HIMOYA_STORE_LIBRARY_H

#include <stdint.h>

#include "store/store.h"

struct library_version {
	char product_id[ID_LEN];
	int64_t n;                     /* 1, 2, ... */
	const char *file_name;         /* sanitised */
	char content_type[80];
	int64_t size;                  /* bytes of the file, not of the seal */
	char sha256[65];               /* hex, of the file */
	const char *note;              /* the change note, or NULL */
	char uploaded_by[ID_LEN];
	char uploaded_by_login[64];    /* filled by reads */
	char uploaded_at[TS_LEN];
};

struct library_product {
	char id[ID_LEN];
	char org_id[ID_LEN];           /* the organisation whose trainers keep it */
	char org_code[64];             /* filled by reads */
	char kind[32];
	const char *audience;          /* ",a,b," */
	const char *languages;         /* ",tg,ru," */
	const char *coded;             /* JSON: title_tg, title_ru, title_en */
	int64_t current;               /* newest version, 0: none yet */
	char withdrawn_at[TS_LEN];     /* "" unless withdrawn */
	char created_by[ID_LEN];
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
	struct library_version cur;    /* the current version, when current > 0 */
};

/* What a list asks for (NULL: any); after_* is the last row of the page
 * before (updated_at and id; NULL for the first page). */
struct library_filter {
	const char *kind, *audience, *language;
	const char *after_updated, *after_id;
};

int store_library_insert(store_tx *tx, const struct library_product *p);
/* One product, withdrawn or not: STORE_OK or STORE_NOT_FOUND. */
int store_library_get(store *st, const char *id, struct library_product *p, arena *a);
/* The products not withdrawn, most recently changed first. */
int store_library_list(store *st, const struct library_filter *f, size_t limit,
		       struct library_product **rows, size_t *n, arena *a);
/* Add version v->n of its product with its sealed file, when the
 * product's current version is still v->n - 1 and it is not withdrawn:
 * STORE_OK, STORE_STALE (another upload came first, or withdrawn),
 * STORE_NOT_FOUND. */
int store_library_add_version(store_tx *tx, const struct library_version *v,
			      const unsigned char *sealed, size_t sealed_len);
/* The versions of a product, newest first (at most max), without files. */
int store_library_versions(store *st, const char *product_id, size_t max,
			   struct library_version **rows, size_t *n, arena *a);
/* Version n of a product: its row, and its sealed file handed to fn while
 * the row is read (fn's return value is passed on: 0 for STORE_OK).
 * STORE_NOT_FOUND when there is no such version. */
int store_library_file(store *st, const char *product_id, int64_t n, struct library_version *v,
		       arena *a, int (*fn)(void *ctx, const void *sealed, size_t len), void *ctx);
/* Withdraw: STORE_OK, or STORE_STALE when it already is. */
int store_library_withdraw(store_tx *tx, const char *id, const char *user_id, const char *at);

#endif
