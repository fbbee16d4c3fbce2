/*
 * library.h - what makes a knowledge product and a version of its file,
 * for the API (api/library.c) and `himoya demo` alike, so that both
 * write the same rows (store/library.h).
 */
#ifndef HIMOYA_API_LIBRARY_H
#define HIMOYA_API_LIBRARY_H

#include <jansson.h>

#include "crypto/crypto.h"
#include "domain/record.h"
#include "store/library.h"
#include "util/arena.h"

/* Check a product's body ({kind, title_tg?, title_ru?, title_en?,
 * audience, languages}) and fill p's kind, audience, languages and coded
 * (arena strings): 0, or -1 with the 422 problem in e.  The caller sets
 * id, org_id, created_by and the times. */
int library_product_from(json_t *body, struct library_product *p, arena *a,
			 struct record_error *e);

/* Store version v->n of product v->product_id with its file
 * data[0..len), which must be of a type library_sniff() knows: its
 * content type and hash are set, its name cleaned (from v->file_name,
 * the uploader's), and it is sealed under kr bound to "library/ID/N".
 * The caller sets n, note, uploaded_by, uploaded_at.  A store code:
 * STORE_STALE when the product's current version is not n - 1 (or it was
 * withdrawn), STORE_ERROR for an unknown type or out of memory. */
int library_version_put(store_tx *tx, const keyring *kr, struct library_version *v,
			const unsigned char *data, size_t len);

#endif
