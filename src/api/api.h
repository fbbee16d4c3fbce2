/*
 * api.h - what the resource handlers (api/<resource>.c) share: the routing
 * table, authorisation helpers, and output of stored JSON through the
 * escaping writer.
 */
#ifndef HIMOYA_API_H
#define HIMOYA_API_H

#include <jansson.h>

#include "api/app.h"
#include "http/request.h"
#include "http/router.h"

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* 1 when the caller's role is one of the NULL-terminated list. */
int api_role_in(const struct req *r, const char *const *roles);

/* Write a jansson value through the escaping writer. */
void jw_value(jsonw *w, json_t *v);

/* Audit helpers: the principal and address come from the request. */
void api_audit_read(struct req *r, const char *record, const char *fields);
int api_audit_write(struct req *r, store_tx *tx, const char *action, const char *record,
		    const char *fields);

/* Parse an If-Match header ("3" or "\"3\"") into a version; 428/412
 * problems are set when it is absent or unusable.  Returns 0 or status. */
int api_if_match(struct req *r, int64_t *version);

/* Answer for a store error that is not a rule of the request. */
int api_store_error(struct req *r, int rc);

/* Handlers, one file per resource. */
int api_health(struct req *r);
int api_static(struct req *r);
int api_session_create(struct req *r);
int api_session_delete(struct req *r);
int api_me(struct req *r);
int api_me_totp_begin(struct req *r);
int api_me_totp_confirm(struct req *r);
int api_persons_create(struct req *r);
int api_persons_search(struct req *r);
int api_person_get(struct req *r);
int api_person_patch(struct req *r);
int api_schema(struct req *r);
int api_roles_list(struct req *r);
int api_role_set(struct req *r);
int api_audit_list(struct req *r);

#endif
