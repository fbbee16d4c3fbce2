/*
 * disclose.h - the one road for a sealed value into an answer.
 *
 * A field of class pii or sensitive (schema/fields.h), and any other
 * sealed text (a referral's reason), reaches an answer only through these
 * functions.  Each notes what it wrote in the request's ledger (record and
 * field names); when the handler is done, api_dispatch() queues one read
 * entry per record for every answer that went out (status below 400).
 * No handler can forget the audit: writing the value is what records it.
 * record_write_coded() (records.h) writes the coded fields only.
 * tests/api/sealed.test.mjs walks every route with sealed canaries and
 * fails when one reaches an answer without its read entry.
 */
#ifndef HIMOYA_DISCLOSE_H
#define HIMOYA_DISCLOSE_H

#include <jansson.h>

#include "fields.h"
#include "http/request.h"
#include "util/rawjson.h"
#include "util/jsonw.h"

/* Which fields of a record a reader may see (a referral's share). */
typedef int (*field_filter)(const void *ctx, const char *name);

/* Note that the answer shows field of record ("persons/ID"); field ""
 * notes a read of the record with no sealed field. */
void api_disclose(struct req *r, const char *record, const char *field);

/* Write the member name: v, a sealed value of record, and note it (not
 * when the caller sent that very value in this request's body: an echo of
 * a create or a change reads nothing it did not know). */
void api_write_sealed(struct req *r, jsonw *w, const char *record, const char *name, json_t *v);
/* The same, noted in the entry as audit_name ("note.text"). */
void api_write_sealed_as(struct req *r, jsonw *w, const char *record, const char *audit_name,
			 const char *name, json_t *v);
/* The same for a string (NULL or "" writes nothing). */
void api_write_sealed_str(struct req *r, jsonw *w, const char *record, const char *name,
			  const char *s);
/* The same for JSON text this program wrote (spliced as it is). */
void api_write_sealed_raw(struct req *r, jsonw *w, const char *record, const char *name,
			  const char *raw, size_t len);

/* Write the declared members of rec in declaration order, the sealed ones
 * noted against record; keep (with ctx) leaves out what a reader may not
 * see, NULL keeps everything.  Returns how many sealed fields went out. */
size_t api_write_fields(struct req *r, jsonw *w, const char *record,
			const struct resource_schema *rs, json_t *rec, field_filter keep,
			const void *ctx);
/* The same, each sealed field noted as "prefix.name" (an item's kind:
 * "note.text"); prefix NULL notes the bare name. */
size_t api_write_fields_as(struct req *r, jsonw *w, const char *record, const char *prefix,
			   const struct resource_schema *rs, json_t *rec, field_filter keep,
			   const void *ctx);

/* A record this program wrote, read as text for the fast paths that
 * splice it (GET /persons/{id}, the case lists): the members of its coded
 * column and of its opened sealed part, which is wiped by
 * api_raw_record_close. */
#define RAW_MEMBERS_MAX 96
struct raw_record {
	struct rawjson_member coded[RAW_MEMBERS_MAX], sealed[RAW_MEMBERS_MAX];
	size_t ncoded, nsealed;
	unsigned char *text; /* the opened sealed part, in the request's arena */
	size_t len;
};
/* 0 when opened (sealed under ad) and split; -1, with nothing to close,
 * for a record it cannot open or split (the caller takes the jansson
 * path). */
int api_raw_record_open(struct req *r, struct raw_record *rr, const char *coded,
			const unsigned char *sealed, size_t sealed_len, const char *ad);
void api_raw_record_close(struct raw_record *rr);
/* api_write_fields for such a record: the coded fields from the coded
 * column, the others (noted against record) from the sealed part only. */
void api_write_fields_raw(struct req *r, jsonw *w, const char *record,
			  const struct resource_schema *rs, const struct raw_record *rr,
			  field_filter keep, const void *ctx);

/* Queue the read entries of the answer (api_dispatch, once per request). */
void api_disclosures_flush(struct req *r);


#endif
