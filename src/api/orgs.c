/*
 * orgs.c - organisations made and edited by an administrator:
 * POST /orgs (code, name, type, sector; and, when admin_login is given,
 * the organisation's first administrator with a one-time password, so
 * that it manages its own users) and PATCH /orgs/{code} (name, type,
 * sector, contact).  Organisations are added, named and typed by the
 * administrators of the installation's own organisation (api_caller_is_home);
 * an organisation's own administrator edits its contact; any other
 * answers 404.  It never makes users of an
 * organisation that exists already: that would let it read its cases.
 * Every change is audited as orgs/ID.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>

#include "api/api.h"
#include "domain/namekey.h"
#include "domain/orgname.h"
#include "domain/pwrules.h"
#include "codelists.h"
#include "fields.h"
#include "util/utf8.h"

static const char *const admins[] = {"admin", NULL};

/* Whether the caller is of the installation's own organisation (the
 * first, made by `himoya init`, or the one `himoya org home` named).  Its administrators add organisations
 * and set their name, type and sector, as the host's administrator does
 * at the command line.  Those say what an organisation's decisions count
 * as (an identification by the police: casework_decider), whom a consent
 * naming a type of organisation covers, and how it is told from others:
 * were an organisation's own administrator to set them, an NGO could
 * make its decisions count as the police's, or the police pass for an
 * NGO that a person's consent names (an outside review did both). */
int api_caller_is_home(struct req *r)
{
	struct org home;

	return store_org_home(r->app->st, &home) == STORE_OK &&
	       !strcmp(home.id, r->who.user.org.id);
}

const char *api_org_lookalike(store *st, const char *code, const char *name,
			      const char *except_id)
{
	struct org *rows;
	size_t n = 0, i;
	const char *why = NULL;
	char *want = name ? orgname_fold(name) : NULL, fcode[65], fhave[65];
	arena a;

	if (code)
		orgcode_fold(code, fcode);
	/* every organisation: a list cut short would let a look-alike by */
	arena_init(&a, 256u << 20);
	if (store_org_list(st, 1000000, &rows, &n, &a) != STORE_OK)
		why = "store";
	for (i = 0; i < n && !why; i++) {
		char *have;
		if (except_id && !strcmp(rows[i].id, except_id))
			continue;
		if (code && (orgcode_fold(rows[i].code, fhave), !strcmp(fhave, fcode))) {
			why = "code";
			break;
		}
		if (want && (have = orgname_fold(rows[i].name))) {
			if (!strcmp(have, want))
				why = "name";
			free(have);
		}
	}
	free(want);
	arena_free(&a);
	return why;
}

int api_caller_settles_orgs(struct req *r)
{
	return api_role_in(r, admins) && api_caller_is_home(r);
}

static int admin_only(struct req *r)
{
	if (!api_role_in(r, admins))
		return reply_problem(r, 403, "forbidden", "only an administrator manages organisations");
	return 0;
}

struct org_body {
	const char *code, *name, *type, *sector, *admin_login;
	const char *contact_phone, *contact_email; /* for referral partners; "" clears */
};

/* Read and check the members; for a patch (code NULL) every member is
 * optional but one must be given.  0, or the problem's status. */
static int org_body_read(struct req *r, json_t *body, int create, struct org_body *b)
{
	static const char *const create_fields[] = {"code", "name", "type", "sector",
						    "admin_login", NULL};
	static const char *const patch_fields[] = {"name", "type", "sector", "contact_phone",
						   "contact_email", NULL};
	const char *const *allowed = create ? create_fields : patch_fields;
	const char *key, *why;
	json_t *v;

	memset(b, 0, sizeof *b);
	json_object_foreach(body, key, v) {
		const char *const *a;
		for (a = allowed; *a && strcmp(*a, key); a++)
			;
		if (!*a)
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
		if (!json_is_string(v))
			return reply_problemf(r, 422, "invalid-value", "%s: must be a string", key);
	}
	b->code = json_string_value(json_object_get(body, "code"));
	b->name = json_string_value(json_object_get(body, "name"));
	b->type = json_string_value(json_object_get(body, "type"));
	b->sector = json_string_value(json_object_get(body, "sector"));
	b->admin_login = json_string_value(json_object_get(body, "admin_login"));
	b->contact_phone = json_string_value(json_object_get(body, "contact_phone"));
	b->contact_email = json_string_value(json_object_get(body, "contact_email"));
	if (create) {
		const char *need = !b->code ? "code" : !b->name ? "name" : !b->type ? "type"
				 : !b->sector ? "sector" : NULL;
		if (need)
			return reply_problemf(r, 422, "missing-field", "%s: is required", need);
		if (!account_login_ok(b->code))
			return reply_problem(r, 422, "invalid-value",
					     "code: 2 to 64 letters, digits, . _ - @");
		if (b->admin_login && !account_login_ok(b->admin_login))
			return reply_problem(r, 422, "invalid-value",
					     "admin_login: 2 to 64 letters, digits, . _ - @");
	} else if (!b->name && !b->type && !b->sector && !b->contact_phone && !b->contact_email) {
		return reply_problem(r, 422, "empty-patch",
				     "give name, type, sector, contact_phone or contact_email");
	}
	if (b->contact_phone && *b->contact_phone) {
		char digits[24];
		if (strlen(b->contact_phone) > 40 || !phone_key(b->contact_phone, digits))
			return reply_problem(r, 422, "invalid-value", "contact_phone: a phone number");
	}
	if (b->contact_email && *b->contact_email &&
	    (strlen(b->contact_email) > 200 || !strchr(b->contact_email, '@') ||
	     strpbrk(b->contact_email, " \t\r\n<>\"") || *b->contact_email == '@'))
		return reply_problem(r, 422, "invalid-value", "contact_email: an e-mail address");
	if (b->name && (why = orgname_problem(b->name)))
		return reply_problem(r, 422, "invalid-value", why);
	if (b->type && !codelist_has(&cl_org_type, b->type))
		return reply_problem(r, 422, "invalid-value", "type: not a code of org_type");
	if (b->sector && !codelist_has(&cl_sector, b->sector))
		return reply_problem(r, 422, "invalid-value", "sector: not a code of sector");
	return 0;
}

/* One organisation as GET /orgs shows it (home: the caller is of the
 * installation's own organisation); the object is left open. */
static void write_org(struct req *r, jsonw *w, const struct org *o, int home)
{
	jw_object(w);
	jw_kstr(w, "code", o->code);
	jw_kstr(w, "name", o->name);
	jw_kstr(w, "type", o->type);
	jw_kstr(w, "sector", o->sector[0] ? o->sector : NULL);
	{
		struct org_contact oc;
		if (store_org_contact_get(r->app->st, o->id, &oc) == STORE_OK) {
			jw_kstr(w, "contact_phone", oc.phone[0] ? oc.phone : NULL);
			jw_kstr(w, "contact_email", oc.email[0] ? oc.email : NULL);
		}
	}
	/* managed: this administrator edits its contact; settles: its name,
	 * type and sector too */
	int admin = api_role_in(r, admins);

	jw_kbool(w, "managed", admin && (home || !strcmp(o->id, r->who.user.org.id)));
	jw_kbool(w, "settles", admin && home);
}

/* GET /orgs: the organisations of the installation (code, name, type,
 * sector; managed: this administrator may edit it), for choosing a
 * recipient.  Every signed-in user may read them. */
int api_orgs_list(struct req *r)
{
	struct org *rows;
	size_t n = 0, i;
	jsonw w;

	int home = api_role_in(r, admins) && api_caller_is_home(r);

	if (store_org_list(r->app->st, 2000, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++) {
		write_org(r, &w, &rows[i], home);
		jw_end(&w);
	}
	return api_list_end(&w, NULL);
}

/* ---- POST /orgs ------------------------------------------------------------ */

struct org_create {
	struct api_pw_task t; /* first: the task is r->async */
	char code[65], name[1024], type[64], sector[32], admin_login[65];
};

static int create_finish(struct req *r, struct org_create *c)
{
	char org_id[ID_LEN], user_id[ID_LEN] = "", record[64];
	struct org o;
	store_tx *tx;
	int rc;
	jsonw w;

	if (c->admin_login[0] && !c->t.job.ok) {
		api_pw_wipe(&c->t);
		return reply_problem(r, 500, "internal", "the password could not be hashed");
	}
	tx = store_begin(r->app->st);
	rc = tx ? store_org_add(tx, c->code, c->name, c->type, org_id) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = store_org_update(tx, org_id, c->name, c->type, c->sector, r->who.user.org.id);
	if (rc == STORE_OK) {
		snprintf(record, sizeof record, "orgs/%s", org_id);
		rc = api_audit_write(r, tx, "create", record, "code,name,type,sector");
	}
	if (rc == STORE_OK && c->admin_login[0]) {
		rc = store_user_add(tx, org_id, c->admin_login, "admin", c->t.hash, user_id);
		if (rc == STORE_OK)
			rc = store_user_set_password(tx, user_id, c->t.hash, 1);
		if (rc == STORE_OK) {
			snprintf(record, sizeof record, "users/%s", user_id);
			rc = api_audit_write(r, tx, "create", record, "login,role,password");
		}
	}
	if (rc == STORE_CONFLICT) {
		store_rollback(tx);
		api_pw_wipe(&c->t);
		return reply_problem(r, 409, "conflict",
				     "an organisation with this code, or a user with this login, exists");
	}
	if ((rc = api_tx_end(r, tx, rc))) {
		api_pw_wipe(&c->t);
		return rc;
	}
	if (store_org_by_id(r->app->st, org_id, &o) != STORE_OK) {
		api_pw_wipe(&c->t);
		return api_store_error(r, STORE_ERROR);
	}
	reply_json_begin(r, 201, &w);
	write_org(r, &w, &o, 1);
	jw_kstr(&w, "id", o.id); /* the record of its audit entries */
	if (c->admin_login[0]) {
		jw_key(&w, "admin");
		jw_object(&w);
		jw_kstr(&w, "id", user_id);
		jw_kstr(&w, "login", c->admin_login);
		jw_kstr(&w, "password", c->t.password);
		jw_end(&w);
	}
	jw_finish(&w);
	api_pw_wipe(&c->t);
	return 201;
}

static int create_start(struct req *r)
{
	struct org_create *c;
	struct org_body b;
	struct org existing;
	struct user u;
	const char *why;
	json_t *body;

	if (admin_only(r))
		return r->status;
	if (r->who.kind != AUTH_COOKIE)
		return reply_problem(r, 403, "forbidden", "sign in to manage organisations");
	if (!api_caller_is_home(r))
		return reply_problem(r, 403, "forbidden",
				     "organisations are added by an administrator of the installation's "
				     "own organisation, or at the command line (himoya org add)");
	body = req_json_object(r);
	if (!body || org_body_read(r, body, 1, &b))
		return r->status;
	if (store_org_by_code(r->app->st, b.code, &existing) == STORE_OK)
		return reply_problem(r, 409, "conflict", "an organisation with this code exists");
	if ((why = api_org_lookalike(r->app->st, b.code, b.name, NULL)) && !strcmp(why, "store"))
		return api_store_error(r, STORE_ERROR);
	if (why)
		return reply_problemf(r, 409, "conflict",
				      "%s: another organisation's %s differs from it only in case or "
				      "spacing: one would be taken for the other", why, why);
	if (b.admin_login && store_user_by_login(r->app->st, b.admin_login, &u) == STORE_OK)
		return reply_problem(r, 409, "login-taken", "admin_login: this login is taken");
	c = arena_alloc(&r->mem, sizeof *c);
	if (!c)
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(c->code, sizeof c->code, "%s", b.code);
	snprintf(c->name, sizeof c->name, "%s", b.name);
	snprintf(c->type, sizeof c->type, "%s", b.type);
	snprintf(c->sector, sizeof c->sector, "%s", b.sector);
	if (!b.admin_login) {
		r->async = c;
		return create_finish(r, c);
	}
	snprintf(c->admin_login, sizeof c->admin_login, "%s", b.admin_login);
	{
		struct pw_context ctx = {c->admin_login, c->code, c->name, r->app->demo_folder};
		api_password_new(c->t.password, &ctx);
	}
	return api_pw_submit(r, &c->t);
}

int api_orgs_create(struct req *r)
{
	switch (r->phase) {
	case API_PW_START:
		return create_start(r);
	case API_PW_DONE:
		return create_finish(r, r->async);
	case API_PW_BUSY: {
		struct api_pw_task *t = r->async;
		api_pw_wipe(t);
		reply_header(r, "Retry-After", "1");
		return reply_problem(r, 503, "busy", "the server is busy; try again in a moment");
	}
	default:
		return reply_problem(r, 500, "internal", "unexpected state");
	}
}

/* ---- PATCH /orgs/{code} ------------------------------------------------------ */

int api_org_patch(struct req *r)
{
	const char *code = r->params[0], *why;
	struct org o;
	struct org_body b;
	char record[64], fields[64] = "";
	json_t *body;
	store_tx *tx;
	int rc, home;
	jsonw w;

	if (admin_only(r))
		return r->status;
	home = api_caller_is_home(r);
	rc = strlen(code) <= 64 ? store_org_by_code(r->app->st, code, &o) : STORE_NOT_FOUND;
	if (rc == STORE_OK && strcmp(o.id, r->who.user.org.id) && !home)
		rc = STORE_NOT_FOUND;
	if (rc == STORE_NOT_FOUND)
		return reply_problem(r, 404, "not-found", "no such organisation that you manage");
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	body = req_json_object(r);
	if (!body || org_body_read(r, body, 0, &b))
		return r->status;
	/* The same values again (the page sends every field) change nothing. */
	if (!home && ((b.name && strcmp(b.name, o.name)) || (b.type && strcmp(b.type, o.type)) ||
		      (b.sector && strcmp(b.sector, o.sector))))
		return reply_problem_field(r, 403, "forbidden",
					   b.type && strcmp(b.type, o.type)	? "type"
					   : b.sector && strcmp(b.sector, o.sector) ? "sector"
										    : "name",
					   "an organisation's name, type and sector are set by an "
					   "administrator of the installation's own organisation: "
					   "its own administrator edits its contact");
	if (b.name && (why = api_org_lookalike(r->app->st, NULL, b.name, o.id)) &&
	    !strcmp(why, "store"))
		return api_store_error(r, STORE_ERROR);
	if (b.name && why)
		return reply_problem_field(r, 409, "conflict", "name",
					   "name: another organisation's name differs from it only in "
					   "case or spacing: one would be taken for the other");
	if (b.name)
		snprintf(o.name, sizeof o.name, "%s", b.name);
	if (b.type)
		snprintf(o.type, sizeof o.type, "%s", b.type);
	if (b.sector)
		snprintf(o.sector, sizeof o.sector, "%s", b.sector);
	snprintf(fields, sizeof fields, "%s%s%s%s%s", b.name ? "name," : "", b.type ? "type," : "",
		 b.sector ? "sector," : "", b.contact_phone ? "contact_phone," : "",
		 b.contact_email ? "contact_email," : "");
	fields[strlen(fields) - 1] = '\0';
	snprintf(record, sizeof record, "orgs/%s", o.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_org_update(tx, o.id, o.name, o.type, o.sector, NULL) : STORE_ERROR;
	if (rc == STORE_OK && (b.contact_phone || b.contact_email))
		rc = store_org_contact_set(tx, o.id, b.contact_phone, b.contact_email);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_auth_changed(); /* signed-in users carry their organisation's type */
	reply_json_begin(r, 200, &w);
	write_org(r, &w, &o, home);
	jw_finish(&w);
	return 200;
}
