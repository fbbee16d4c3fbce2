/*
 * referrals.c - the NRM's referrals between organisations: send one from
 * a case (only under the person's current consent), the recipient's inbox
 * and its answers (accept, decline, complete), the sender's withdrawal, a
 * transfer of ownership in two steps, who outside the organisation saw a
 * case, and the referral figures.
 *
 * A referral shares a named set of the case's and the person's fields.
 * Once accepted, the recipient reads exactly those (api/cases.c), and
 * only while the consent stands: its access is a query on the referral
 * and the consent (store/referrals.c), so a withdrawal cuts it at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "util/background.h"
#include "api/api.h"
#include "api/pprlnet.h"
#include "api/disclose.h"
#include "api/metrics.h"
#include "domain/casework.h"
#include "domain/consent.h"
#include "domain/justice.h"
#include "domain/record.h"
#include "codelists.h"
#include "store/dedup.h"

extern const char share_presets_json[];
extern const unsigned long share_presets_json_len;

static const char *const urgencies[] = {"low", "normal", "high", "emergency", NULL};
static const char *const ref_fields[] = {"case_id", "to_org", "service_type", "service_id",
					 "reason", "urgency", "due", "share", NULL};
/* A transfer names its case in the path and shares everything, for no
 * service (an outside review: case_id and share were taken and ignored). */
static const char *const transfer_fields[] = {"to_org", "reason", "urgency", "due", NULL};

/* A field name a referral may share: a declared case or person field, or
 * "initials" (of the person's family and given names: enough for the
 * recipient to tell referrals apart in its inbox before it accepts). */
static int shareable(const char *name)
{
	return schema_field(&case_schema, name) || schema_field(&person_schema, name) ||
	       !strcmp(name, "initials");
}

static int share_has(json_t *share, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(share, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), name))
			return 1;
	return 0;
}

/* The first letter of s, upper case, and a full stop, appended to out. */
static void add_initial(char *out, size_t outlen, const char *s)
{
	utf8proc_int32_t cp;
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t n;
	size_t len = strlen(out);

	if (!s || !*s)
		return;
	n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
	if (n <= 0)
		return;
	n = utf8proc_encode_char(utf8proc_toupper(cp), enc);
	if (n <= 0 || len + (size_t)n + 3 > outlen)
		return;
	if (len)
		out[len++] = ' ';
	memcpy(out + len, enc, (size_t)n);
	len += (size_t)n;
	out[len++] = '.';
	out[len] = '\0';
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* The consent of the person that covers sending to org: purpose referral,
 * or law_enforcement for an authority.  Its id into out, and (when coded
 * is not NULL) its coded fields into *coded (owned by the request); 0 when
 * found. */
static int covering_consent_of(struct req *r, const char *person_id, const struct org *to,
			       char out[ID_LEN], json_t **coded)
{
	struct item_row *rows;
	char today[11];
	size_t n = 0, i;
	int found = -1;

	consent_today(today);
	if (store_items_of_person(r->app->st, person_id, "consent", &rows, &n, &r->mem) != STORE_OK)
		return -1;
	for (i = 0; i < n && found < 0; i++) {
		json_t *c = json_loads(rows[i].coded, 0, NULL);
		if (c && (consent_covers(c, "referral", to->code, to->type, today) ||
			  (policy_org_is_authority(to->type) &&
			   consent_covers(c, "law_enforcement", to->code, to->type, today)))) {
			snprintf(out, ID_LEN, "%s", rows[i].id);
			found = 0;
			if (coded) {
				/* the request owns c now (or released it) */
				if (req_own_json(r, c) == 0)
					*coded = c;
				continue;
			}
		}
		json_decref(c);
	}
	return found;
}

static int covering_consent(struct req *r, const char *person_id, const struct org *to,
			    char out[ID_LEN])
{
	return covering_consent_of(r, person_id, to, out, NULL);
}

/* Whether the caller reads the sealed text `key` of a referral.  The
 * sender's organisation reads them all; the recipient reads its own
 * answers (decline_reason, feedback) always, and the sender's texts
 * (reason, withdraw_reason) only while the referral is open (sent or
 * accepted) and a consent of the person still covers it: a withdrawn
 * consent or referral ends the recipient's reading of them. */
static int texts_shown(struct req *r, const struct referral_row *f, const char *key)
{
	char consent[ID_LEN];

	if (!strcmp(f->from_org, r->who.user.org.id))
		return 1;
	if (!strcmp(key, "decline_reason") || !strcmp(key, "feedback"))
		return 1;
	if (!strcmp(f->kind, "transfer") && !strcmp(f->status, "completed"))
		return 1; /* the case is the recipient's now */
	if (strcmp(f->status, "sent") && strcmp(f->status, "accepted"))
		return 0;
	return covering_consent(r, f->person_id, &f->to, consent) == 0;
}

/* Who the referral is about, as far as the caller may read it: the names
 * for the sender (a role that reads its persons); for the recipient,
 * while the referral is open and a consent covers it, the shared names
 * once it is accepted, else the initials if they were shared; nothing
 * otherwise (the inbox shows "—").
 * Every name written is a read of the person, audited. */
static void write_referral_person(struct req *r, jsonw *w, const struct referral_row *f,
				  json_t *share)
{
	static const char *const names[] = {"given_name", "family_name", NULL};
	int sender = !strcmp(f->from_org, r->who.user.org.id);
	int names_shown, initials_shown;
	struct person_row p;
	char record[64], initials[32] = "";
	json_t *rec;
	size_t i;

	if (sender ? policy_allows(ACT_PERSON_READ, r->who.user.role, PC_OWN_ORG) < 0
		   : !texts_shown(r, f, "reason"))
		return;
	names_shown = sender || (strcmp(f->status, "sent") && share_has(share, "given_name")) ||
		      (strcmp(f->status, "sent") && share_has(share, "family_name"));
	initials_shown = !sender && share_has(share, "initials");
	if (!names_shown && !initials_shown)
		return;
	if (store_person_get(r->app->st, f->person_id, &p, &r->mem) != STORE_OK)
		return;
	/* A sender whose person went to another organisation (a transfer)
	 * reads its names no more, nor the recipient of a transfer once the
	 * person went on (transferred back: an outside review read the names
	 * given after through the completed transfer). */
	if ((sender || !strcmp(f->kind, "transfer")) && strcmp(p.org_id, r->who.user.org.id))
		return;
	rec = record_open(&r->app->kr, &r->mem, p.coded, p.sealed, p.sealed_len, p.id);
	if (!rec)
		return;
	snprintf(record, sizeof record, "persons/%s", p.id);
	jw_key(w, "person");
	jw_object(w);
	for (i = 0; names_shown && names[i]; i++)
		if (sender || share_has(share, names[i]))
			api_write_sealed(r, w, record, names[i], json_object_get(rec, names[i]));
	if (!names_shown) {
		add_initial(initials, sizeof initials,
			    json_string_value(json_object_get(rec, "family_name")));
		add_initial(initials, sizeof initials,
			    json_string_value(json_object_get(rec, "given_name")));
		api_write_sealed_str(r, w, record, "initials", initials);
	}
	jw_end(w);
	json_decref(rec);
}

/* Whom to ask at the sender: the user who sent it, while its organisation
 * is still the sender's (sender NULL: a referral handed over with its case
 * by a transfer), and the organisation's contact (public facts of a
 * partner, not of the person). */
static void write_referral_sender(struct req *r, jsonw *w, const struct referral_row *f,
				  const struct user *sender)
{
	struct org_contact oc;

	jw_key(w, "sender");
	jw_object(w);
	if (sender)
		jw_kstr(w, "login", sender->login);
	if (store_org_contact_get(r->app->st, f->from_org, &oc) == STORE_OK) {
		if (oc.phone[0])
			jw_kstr(w, "phone", oc.phone);
		if (oc.email[0])
			jw_kstr(w, "email", oc.email);
	}
	jw_end(w);
}

/* The members of f, in an object the caller opens and closes. */
static void write_referral_members(struct req *r, jsonw *w, const struct referral_row *f)
{
	json_t *rec = record_open(&r->app->kr, &r->mem, f->coded, f->sealed, f->sealed_len, f->id);
	json_t *share = json_loads(f->share, 0, NULL);
	char record[64];
	const char *key;
	struct user u;
	json_t *v;
	int sent;

	jw_kstr(w, "id", f->id);
	jw_kint(w, "version", f->version);
	jw_kstr(w, "kind", f->kind);
	jw_kstr(w, "case_id", f->case_id);
	jw_kstr(w, "status", f->status);
	jw_kstr(w, "urgency", f->urgency);
	if (f->due[0])
		jw_kstr(w, "due", f->due);
	jw_key(w, "from_org");
	jw_object(w);
	jw_kstr(w, "code", f->from.code);
	jw_kstr(w, "name", f->from.name);
	jw_kstr(w, "type", f->from.type);
	jw_end(w);
	jw_key(w, "to_org");
	jw_object(w);
	jw_kstr(w, "code", f->to.code);
	jw_kstr(w, "name", f->to.name);
	jw_kstr(w, "type", f->to.type);
	jw_end(w);
	jw_key(w, "share");
	if (share)
		jw_value(w, share);
	else
		jw_null(w);
	write_referral_person(r, w, f, share);
	/* Sent by another organisation than its sender now: handed over with
	 * the case by a transfer, and still disclosing to its recipient what
	 * the new owner records.  Its new sender is told, to review it. */
	sent = f->created_by[0] && store_user_by_id(r->app->st, f->created_by, &u) == STORE_OK;
	if (sent && strcmp(u.org.id, f->from_org)) {
		sent = 0;
		if (!strcmp(r->who.user.org.id, f->from_org))
			jw_kbool(w, "handed_over", 1);
	}
	write_referral_sender(r, w, f, sent ? &u : NULL);
	snprintf(record, sizeof record, "referrals/%s", f->id);
	if (rec)
		json_object_foreach(rec, key, v) {
			if (!strcmp(key, "service_type") || !strcmp(key, "service_id")) {
				jw_key(w, key);
				jw_value(w, v);
			} else if (texts_shown(r, f, key)) {
				api_write_sealed(r, w, record, key, v);
			}
		}
	jw_kstr(w, "created_at", f->created_at);
	jw_kstr(w, "updated_at", f->updated_at);
	if (f->responded_at[0])
		jw_kstr(w, "responded_at", f->responded_at);
	json_decref(rec);
	json_decref(share);
}

static void write_referral(struct req *r, jsonw *w, const struct referral_row *f)
{
	jw_object(w);
	write_referral_members(r, w, f);
	jw_end(w);
}

/* Seal a referral's JSON (coded: service type; sealed: texts). */
static int referral_seal(struct req *r, struct referral_row *f, json_t *coded, json_t *secret)
{
	char *c = json_dumps(coded, JSON_COMPACT | JSON_SORT_KEYS);

	if (!c)
		return -1;
	f->coded = arena_strdup(&r->mem, c);
	free(c);
	f->sealed = NULL;
	f->sealed_len = 0;
	if (!f->coded)
		return -1;
	if (json_object_size(secret) == 0)
		return 0;
	return record_seal_json(&r->app->kr, &r->mem, secret, f->id, &f->sealed, &f->sealed_len);
}

/* Write f (new or changed) with the case change and events, audited.
 * warnings: a new referral's, answered with it as "warnings" (an array),
 * or NULL. */
static int referral_save(struct req *r, struct referral_row *f, int is_new, struct case_row *c,
			 int case_changed, const char *event, const char *action, json_t *warnings)
{
	char record[64];
	store_tx *tx;
	jsonw w;
	int rc;

	snprintf(record, sizeof record, "referrals/%s", f->id);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = is_new ? store_referral_insert(tx, f) : store_referral_update(tx, f);
	if (rc == STORE_OK) /* accepted: its names; any other status: none */
		rc = api_referral_names_put(&r->app->kr, r->app->st, tx, f, NULL, &r->mem);
	if (rc == STORE_OK && c && case_changed)
		rc = store_case_update(tx, c);
	if (rc == STORE_OK && c && event) {
		json_t *extra = json_pack("{s:s,s:s,s:s}", "referral_id", f->id, "status", f->status,
					  "to", f->to.code);
		rc = api_case_event(r, tx, c, event, extra);
		json_decref(extra);
	}
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, action, record, NULL);
	if (rc == STORE_STALE) { /* no If-Match here: a change of another's came first */
		store_rollback(tx);
		return reply_problem(r, 409, "invalid-transition",
				     "the referral or its case changed meanwhile (another answer came "
				     "first): read it again");
	}
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, is_new ? 201 : 200, &w);
	jw_object(&w);
	write_referral_members(r, &w, f);
	if (warnings) {
		jw_key(&w, "warnings");
		jw_value(&w, warnings);
	}
	jw_finish(&w);
	api_set_etag(r, f->version);
	if (is_new)
		api_set_location(r, "referrals", f->id);
	return is_new ? 201 : 200;
}

/* Move the case to the referral stage (never back). */
static int case_to_stage(struct req *r, struct case_row *c, enum case_event ev)
{
	const char *next = casework_stage_after(c->stage, ev);
	json_t *rec;
	int rc;

	if (!strcmp(next, c->stage))
		return 0;
	rec = api_case_open_record(r, c);
	if (!rec)
		return 0;
	json_object_set_new(rec, "stage", json_string(next));
	snprintf(c->stage, sizeof c->stage, "%s", next);
	c->version++;
	store_now(c->updated_at);
	rc = record_seal(&r->app->kr, &r->mem, &case_schema, rec, c->id, &c->coded, &c->sealed,
			 &c->sealed_len);
	json_decref(rec);
	return rc == 0;
}

/* A service that does not take the person (its genders_served,
 * minimum_age, maximum_age): a warning {field, detail} in warnings, not a
 * refusal, for the receiving shelter decides; the admission asks again
 * (stays.c).  The detail tells the person's gender or age: only to a
 * caller who sees the whole case, and noted as a read of the person. */
static int eligibility_warning(struct req *r, const struct dir_service_row *ds,
			       const struct case_row *c, json_t *warnings)
{
	const struct case_view *view = api_case_view(r);
	const char *field;
	char why[160], record[64];

	if ((view && view->limited) || !api_outside_eligibility(r, ds, c->person_id, NULL, why, sizeof why))
		return 0;
	field = justice_shelter_field(why);
	snprintf(record, sizeof record, "persons/%s", c->person_id);
	api_disclose(r, record, strcmp(field, "genders_served") ? "birth_date" : "gender");
	return json_array_append_new(warnings, json_pack("{s:s,s:s,s:s}", "type", "eligibility-mismatch",
							 "field", field, "detail", why));
}

static int create(struct req *r, const char *kind)
{
	const char *text_why = NULL;
	struct referral_row f;
	struct dir_service_row ds;
	struct case_row c;
	struct org to;
	json_t *body, *v, *share, *coded, *secret, *warnings;
	const char *key, *case_id, *to_code, *urgency = "normal";
	char today[11];
	size_t i;
	int moved, rc, have_service = 0;

	body = req_json_object(r);
	if (!body)
		return r->status;
	json_object_foreach(body, key, v)
		if (!in_list(key, strcmp(kind, "transfer") ? ref_fields : transfer_fields))
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
	case_id = !strcmp(kind, "transfer") ? r->params[0]
					    : json_string_value(json_object_get(body, "case_id"));
	if (!case_id)
		return reply_problem(r, 422, "missing-field", "case_id: is required");
	if (api_case_load(r, case_id, &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_REFER))
		return reply_problem(r, 403, "forbidden", "you cannot refer this case");
	if (!json_object_get(body, "to_org"))
		return reply_problem_field(r, 422, "missing-field", "to_org",
					   "to_org: the code of the organisation asked");
	to_code = json_string_value(json_object_get(body, "to_org"));
	if (!to_code || store_org_by_code(r->app->st, to_code, &to) != STORE_OK)
		return reply_problem(r, 422, "invalid-value", "to_org: no such organisation");
	if (!strcmp(to.id, r->who.user.org.id))
		return reply_problem(r, 422, "invalid-value", "to_org: refer to another organisation");
	if ((v = json_object_get(body, "urgency"))) {
		urgency = json_string_value(v);
		if (!urgency || !in_list(urgency, urgencies))
			return reply_problem(r, 422, "invalid-value",
					     "urgency: low, normal, high or emergency");
	}
	consent_today(today);
	if ((v = json_object_get(body, "due")) &&
	    (!json_is_string(v) || !date_valid(json_string_value(v))))
		return reply_problem(r, 422, "invalid-value", "due: a date YYYY-MM-DD");
	if ((v = json_object_get(body, "service_type")) &&
	    (!json_is_string(v) || !codelist_has(&cl_assistance_service_types, json_string_value(v))))
		return reply_problem(r, 422, "invalid-value", "service_type: not a service type");
	if ((v = json_object_get(body, "service_id"))) {
		if (!json_is_string(v) ||
		    store_dir_service_get(r->app->st, json_string_value(v), &ds, &r->mem) != STORE_OK ||
		    strcmp(ds.org_id, to.id))
			return reply_problem(r, 422, "invalid-value",
					     "service_id: not a directory service of to_org");
		have_service = 1;
	}
	if ((v = json_object_get(body, "reason")) &&
	    (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 5000))
		return reply_problem(r, 422, "invalid-value", "reason: a text of up to 5000 bytes");
	if (v && !record_text_ok(json_string_value(v), 5000, &text_why)) /* as every text */
		return reply_problemf(r, 422, "invalid-value", "reason: %s", text_why);
	share = json_object_get(body, "share");
	if (!strcmp(kind, "transfer")) {
		size_t k;
		share = json_array();
		for (k = 0; k < case_schema.n; k++)
			json_array_append_new(share, json_string(case_schema.fields[k].name));
		for (k = 0; k < person_schema.n; k++)
			json_array_append_new(share, json_string(person_schema.fields[k].name));
		req_own_json(r, share);
	} else {
		if (!json_is_array(share) || json_array_size(share) == 0 || json_array_size(share) > 64)
			return reply_problem(r, 422, "invalid-value",
					     "share: a list of the case and person fields to share");
		json_array_foreach(share, i, v) {
			size_t j;
			if (!json_is_string(v) || !shareable(json_string_value(v)))
				return reply_problemf(r, 422, "invalid-value",
						      "share: %.60s is not a field of a case or person",
						      json_is_string(v) ? json_string_value(v) : "?");
			for (j = 0; j < i; j++)
				if (json_equal(json_array_get(share, j), v))
					return reply_problemf(r, 422, "invalid-value",
							      "share: %.60s is named twice",
							      json_string_value(v));
		}
	}

	if (!strcmp(kind, "transfer")) {
		/* A person moves with the case, and the person's closed cases
		 * with it: not while another open case stays behind. */
		struct case_filter cf = {0};
		struct case_row *others;
		size_t no = 0, k;
		cf.org_id = r->who.user.org.id;
		cf.person_id = c.person_id;
		cf.limit = 200;
		if (store_case_list(r->app->st, &cf, &others, &no, &r->mem) != STORE_OK)
			return api_store_error(r, STORE_ERROR);
		for (k = 0; k < no; k++)
			if (strcmp(others[k].id, c.id) && strcmp(others[k].status, "Closed") &&
			    strcmp(others[k].status, "ClosedReferred"))
				return reply_problem(r, 409, "person-has-other-cases",
						     "the person has another open case here: close it "
						     "first (a transfer takes the person's closed cases "
						     "along)");
	}
	memset(&f, 0, sizeof f);
	if (covering_consent(r, c.person_id, &to, f.consent_id) != 0)
		return reply_problem(r, 409, "consent-required",
				     "no current consent of the person covers a referral to this organisation");
	store_new_id(f.id);
	snprintf(f.kind, sizeof f.kind, "%s", kind);
	snprintf(f.case_id, sizeof f.case_id, "%s", c.id);
	snprintf(f.person_id, sizeof f.person_id, "%s", c.person_id);
	snprintf(f.from_org, sizeof f.from_org, "%s", r->who.user.org.id);
	snprintf(f.to_org, sizeof f.to_org, "%s", to.id);
	snprintf(f.status, sizeof f.status, "sent");
	snprintf(f.urgency, sizeof f.urgency, "%s", urgency);
	if ((v = json_object_get(body, "due")))
		snprintf(f.due, sizeof f.due, "%s", json_string_value(v));
	f.version = 1;
	f.share = json_dumps(share, JSON_COMPACT);
	if (!f.share)
		return reply_problem(r, 500, "internal", "out of memory");
	{
		char *sh = arena_strdup(&r->mem, f.share);
		free((char *)f.share);
		f.share = sh;
	}
	snprintf(f.created_by, sizeof f.created_by, "%s", r->who.user.id);
	store_now(f.created_at);
	memcpy(f.updated_at, f.created_at, TS_LEN);
	f.from = r->who.user.org;
	f.to = to;
	coded = json_object();
	secret = json_object();
	if ((v = json_object_get(body, "service_type")))
		json_object_set(coded, "service_type", v);
	if ((v = json_object_get(body, "service_id")))
		json_object_set(coded, "service_id", v);
	if ((v = json_object_get(body, "reason")))
		json_object_set(secret, "reason", v);
	rc = referral_seal(r, &f, coded, secret);
	json_decref(coded);
	json_decref(secret);
	if (rc)
		return reply_problem(r, 500, "internal", "out of memory");
	warnings = json_array();
	if (!warnings)
		return reply_problem(r, 500, "internal", "out of memory");
	req_own_json(r, warnings);
	if (have_service && eligibility_warning(r, &ds, &c, warnings))
		return reply_problem(r, 500, "internal", "out of memory");
	moved = case_to_stage(r, &c, EV_REFERRAL);
	return referral_save(r, &f, 1, &c, moved, "referral", "create", warnings);
}

/* GET /cases/{id}/consent-check?to_org=CODE: does a current consent of
 * the case's person cover a referral to that organisation?  Asked by the
 * referral wizard when the recipient is chosen, so that Send waits for a
 * consent.  Only who may refer the case asks (others: 404 or 403, as for
 * the send), and the answer holds only what that user reads anyway in
 * the person's consents: the covering consent's coded fields, and the
 * purposes a new consent could name. */
int api_referral_consent_check(struct req *r)
{
	static const char *const shown[] = {"purpose", "recipient_org", "recipient_type", "method",
					    "given_on", "expires", NULL};
	const char *to_code = req_query(r, "to_org");
	char consent_id[ID_LEN], record[64];
	json_t *coded = NULL;
	struct case_row c;
	struct org to;
	size_t i;
	jsonw w;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_REFER))
		return reply_problem(r, 403, "forbidden", "you cannot refer this case");
	if (!to_code || !*to_code || store_org_by_code(r->app->st, to_code, &to) != STORE_OK)
		return reply_problem(r, 422, "invalid-value", "to_org: no such organisation");
	if (!strcmp(to.id, r->who.user.org.id))
		return reply_problem(r, 422, "invalid-value", "to_org: refer to another organisation");
	snprintf(record, sizeof record, "persons/%s", c.person_id);
	api_disclose(r, record, ""); /* the person's consents were read */
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "to_org");
	jw_object(&w);
	jw_kstr(&w, "code", to.code);
	jw_kstr(&w, "name", to.name);
	jw_kstr(&w, "type", to.type);
	jw_end(&w);
	jw_kbool(&w, "covered", covering_consent_of(r, c.person_id, &to, consent_id, &coded) == 0);
	jw_key(&w, "consent");
	if (coded) {
		jw_object(&w);
		jw_kstr(&w, "id", consent_id);
		for (i = 0; shown[i]; i++) {
			json_t *v = json_object_get(coded, shown[i]);
			if (json_is_string(v))
				jw_kstr(&w, shown[i], json_string_value(v));
		}
		jw_end(&w);
	} else {
		jw_null(&w);
	}
	jw_key(&w, "purposes");
	jw_array(&w);
	if (policy_org_is_authority(to.type))
		jw_str(&w, "law_enforcement");
	jw_str(&w, "referral");
	jw_end(&w);
	jw_key(&w, "person_id");
	jw_str(&w, c.person_id);
	jw_finish(&w);
	return 200;
}

/* GET /referrals/share-presets: what to share for a purpose (shelter,
 * legal aid, police investigation, medical), as data
 * (schema/share-presets.json); the wizard ticks them and the user may
 * change the ticks.  A field that is not shareable is left out, though
 * tests/api/referrals.test.mjs fails first. */
int api_referral_share_presets(struct req *r)
{
	json_t *doc = json_loadb(share_presets_json, share_presets_json_len, JSON_REJECT_DUPLICATES,
				 NULL);
	json_t *presets = json_object_get(doc, "presets"), *p, *f;
	size_t i, j;
	jsonw w;

	if (!json_is_array(presets)) {
		json_decref(doc);
		return reply_problem(r, 500, "internal", "the share presets do not load");
	}
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	json_array_foreach(presets, i, p) {
		const char *purpose = json_string_value(json_object_get(p, "purpose"));
		if (!purpose)
			continue;
		jw_object(&w);
		jw_kstr(&w, "purpose", purpose);
		jw_key(&w, "service_types");
		jw_array(&w);
		json_array_foreach(json_object_get(p, "service_types"), j, f)
			if (json_is_string(f) &&
			    codelist_has(&cl_assistance_service_types, json_string_value(f)))
				jw_str(&w, json_string_value(f));
		jw_end(&w);
		jw_key(&w, "fields");
		jw_array(&w);
		json_array_foreach(json_object_get(p, "fields"), j, f)
			if (json_is_string(f) && shareable(json_string_value(f)))
				jw_str(&w, json_string_value(f));
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	json_decref(doc);
	return 200;
}

int api_referrals_create(struct req *r)
{
	return create(r, "referral");
}

int api_case_transfer(struct req *r)
{
	return create(r, "transfer");
}

/* Roles that see no referrals (their texts are about a person). */
static const char *const no_referrals[] = {"analyst", "trainer", "admin", NULL};

/* Load a referral the caller's organisation sent or received. */
static int load(struct req *r, struct referral_row *f)
{
	int rc = store_referral_get(r->app->st, r->params[0], f, &r->mem);
	if (rc != STORE_OK ||
	    (strcmp(f->from_org, r->who.user.org.id) && strcmp(f->to_org, r->who.user.org.id)))
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	if (api_role_in(r, no_referrals))
		return reply_problem(r, 403, "forbidden", "your role has no referrals");
	return 0;
}

int api_referral_get(struct req *r)
{
	struct referral_row f;
	jsonw w;

	if (load(r, &f))
		return r->status;
	reply_json_begin(r, 200, &w);
	write_referral(r, &w, &f);
	jw_finish(&w);
	api_set_etag(r, f.version);
	return 200;
}

int api_referrals_list(struct req *r)
{
	const char *box = req_query(r, "box"), *status = req_query(r, "status");
	const char *overdue = req_query(r, "overdue");
	struct referral_row *rows;
	char today[11];
	size_t n = 0, i;
	jsonw w;

	/* box and overdue take only their declared values (api_dispatch) */
	if (!box)
		box = "in";
	if (status && !codelist_has(&cl_referral_status, status))
		return reply_problem(r, 422, "invalid-value", "status: not a referral status");
	if (api_role_in(r, no_referrals))
		return reply_problem(r, 403, "forbidden", "your role has no referrals");
	consent_today(today);
	if (store_referrals_list(r->app->st, r->who.user.org.id, !strcmp(box, "in"), status,
				 overdue ? today : NULL, &rows, &n,
				 &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++)
		write_referral(r, &w, &rows[i]);
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

/* The answers: who may give them, from which status, to which. */
struct answer {
	const char *name;
	int by_recipient;          /* else by the sender */
	const char *from1, *from2; /* statuses it may follow */
	const char *to;
	const char *text_field;    /* an optional or required text */
	int text_required;
	enum case_event event;
};

static const struct answer answers[] = {
	{"accept", 1, "sent", NULL, "accepted", NULL, 0, EV_REFERRAL},
	{"decline", 1, "sent", NULL, "declined", "reason", 1, EV_REFERRAL},
	{"complete", 1, "accepted", NULL, "completed", "feedback", 0, EV_SERVICE},
	{"withdraw", 0, "sent", "accepted", "withdrawn", "reason", 0, EV_REFERRAL},
};

/* The name keys of the persons merged into person_id (and into them),
 * moved with it by a transfer, made again under the new owner's domain:
 * a merge undone later left the record unfound by the new owner's search
 * and its duplicate check (an outside review). */
static void rekey_merged(struct req *r, const char *person_id, int depth)
{
	char ids[16][ID_LEN];
	size_t n = 0, i;

	if (depth > 8 || store_dedup_merged_into(r->app->st, person_id, ids, 16, &n) != STORE_OK)
		return;
	for (i = 0; i < n; i++) {
		api_person_rekey(r, ids[i]);
		rekey_merged(r, ids[i], depth + 1);
	}
}

static int answer(struct req *r, const struct answer *a)
{
	const char *text_why = NULL;
	struct referral_row f;
	struct case_row c;
	json_t *body = NULL, *v, *rec, *coded, *secret;
	const char *key;
	int moved = 0, rc;

	if (load(r, &f))
		return r->status;
	if (a->by_recipient ? strcmp(f.to_org, r->who.user.org.id) : strcmp(f.from_org, r->who.user.org.id))
		return reply_problem(r, 403, "forbidden",
				     a->by_recipient ? "only the receiving organisation answers"
						     : "only the sending organisation withdraws");
	if (a->by_recipient && policy_allows(ACT_REFERRAL_RESPOND, r->who.user.role, 0) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot answer referrals");
	if (!a->by_recipient &&
	    policy_allows(ACT_CASE_REFER, r->who.user.role, api_own_relation(r) | PC_CASE_OPEN) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot withdraw referrals");
	if (r->body.len) {
		body = req_json_object(r);
		if (!body)
			return r->status;
		json_object_foreach(body, key, v)
			if (!a->text_field || strcmp(key, a->text_field))
				return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
	}
	v = body && a->text_field ? json_object_get(body, a->text_field) : NULL;
	if (v && (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 5000))
		return reply_problemf(r, 422, "invalid-value", "%s: a text of up to 5000 bytes",
				      a->text_field);
	if (v && !record_text_ok(json_string_value(v), 5000, &text_why)) /* as every text */
		return reply_problemf(r, 422, "invalid-value", "%s: %s", a->text_field, text_why);
	if (a->text_required && !v)
		return reply_problemf(r, 422, "missing-field", "%s: is required", a->text_field);
	if (strcmp(f.status, a->from1) && (!a->from2 || strcmp(f.status, a->from2)))
		return reply_problemf(r, 409, "invalid-transition", "the referral is %s", f.status);
	/* The consent may have gone since the referral was sent: accepting
	 * needs one that stands now (a transfer moves the person for good). */
	if (!strcmp(a->name, "accept") && covering_consent(r, f.person_id, &f.to, f.consent_id) != 0)
		return reply_problem(r, 409, "consent-required",
				     "no current consent of the person covers this referral any more");

	rec = record_open(&r->app->kr, &r->mem, f.coded, f.sealed, f.sealed_len, f.id);
	if (!rec)
		return reply_problem(r, 500, "internal", "the referral cannot be opened");
	coded = json_object();
	secret = json_object();
	json_object_foreach(rec, key, v)
		json_object_set(!strcmp(key, "service_type") || !strcmp(key, "service_id") ? coded
											   : secret,
				key, v);
	json_decref(rec);
	if (a->text_field && body && json_object_get(body, a->text_field))
		json_object_set(secret, !strcmp(a->name, "withdraw") ? "withdraw_reason"
				: !strcmp(a->name, "decline") ? "decline_reason" : a->text_field,
				json_object_get(body, a->text_field));
	snprintf(f.status, sizeof f.status, "%s", a->to);
	f.version++;
	store_now(f.updated_at);
	if (a->by_recipient && !f.responded_at[0])
		memcpy(f.responded_at, f.updated_at, TS_LEN);
	rc = referral_seal(r, &f, coded, secret);
	json_decref(coded);
	json_decref(secret);
	if (rc)
		return reply_problem(r, 500, "internal", "out of memory");

	if (store_case_get(r->app->st, f.case_id, &c, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_NOT_FOUND);
	/* A sender withdraws while the case is its own: one transferred since
	 * is the new owner's to follow (its referrals to others went with it). */
	if (!a->by_recipient && strcmp(c.org_id, r->who.user.org.id))
		return reply_problem(r, 409, "invalid-transition",
				     "the case is another organisation's now");
	if (!a->by_recipient) /* and still is when the withdrawal is written */
		api_owner_seen(r, OWNED_CASE, c.id, c.org_id, 0);
	if (!strcmp(f.kind, "transfer") && !strcmp(a->name, "accept")) {
		/* The second step of a transfer: the case and its person move. */
		store_tx *tx = store_begin(r->app->st);
		char record[64];
		jsonw w;
		snprintf(f.status, sizeof f.status, "completed");
		snprintf(record, sizeof record, "cases/%s", c.id);
		rc = tx ? store_referral_update(tx, &f) : STORE_ERROR;
		if (rc == STORE_STALE) { /* withdrawn or answered meanwhile */
			store_rollback(tx);
			return reply_problem(r, 409, "invalid-transition",
					     "the transfer changed meanwhile (withdrawn, or answered): "
					     "read it again");
		}
		if (rc == STORE_OK)
			rc = store_case_move(tx, c.id, c.person_id, f.from_org, f.to_org,
					     r->who.user.id, f.created_at, f.updated_at);
		if (rc == STORE_NOT_FOUND || rc == STORE_CONFLICT) {
			store_rollback(tx);
			return reply_problem(r, 409, "invalid-transition",
					     rc == STORE_NOT_FOUND
						     ? "the case is no longer the sending organisation's: "
						       "another transfer of it was accepted first"
						     : "the person of the case was merged with another record "
						       "meanwhile: the sender reviews the case and sends the "
						       "transfer again");
		}
		if (rc == STORE_STALE) {
			store_rollback(tx);
			return reply_problem(r, 409, "person-has-other-cases",
					     "the person has another open case at the sending "
					     "organisation now: it closes that one first, or withdraws "
					     "this transfer");
		}
		if (rc == STORE_OK)
			rc = api_audit_write(r, tx, "transfer", record, "org_id");
		if (rc != STORE_OK) {
			if (tx)
				store_rollback(tx);
			return api_store_error(r, rc);
		}
		if (store_commit(tx) != STORE_OK)
			return api_store_error(r, STORE_ERROR);
		api_person_rekey(r, c.person_id);
		rekey_merged(r, c.person_id, 0);
		api_perpetrators_rekey(r, c.person_id, f.from_org);
		api_pprl_refresh_req(r, c.person_id);
		reply_json_begin(r, 200, &w);
		write_referral(r, &w, &f);
		jw_finish(&w);
		return 200;
	}
	if (strcmp(c.org_id, f.from_org) == 0)
		moved = case_to_stage(r, &c, a->event);
	return referral_save(r, &f, 0, &c, moved, "referral", a->name, NULL);
}

int api_referral_accept(struct req *r) { return answer(r, &answers[0]); }
int api_referral_decline(struct req *r) { return answer(r, &answers[1]); }
int api_referral_complete(struct req *r) { return answer(r, &answers[2]); }
int api_referral_withdraw(struct req *r) { return answer(r, &answers[3]); }

/* GET /cases/{id}/access-log: every read or change of the case, its
 * person and its records made by users of other organisations. */
int api_case_access_log(struct req *r)
{
	struct audit_row *rows;
	struct case_row c;
	size_t n = 0, i;
	jsonw w;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_ACCESS_LOG))
		return reply_problem(r, 403, "forbidden", "only the owning organisation sees this");
	rows = arena_alloc(&r->mem, 500 * sizeof *rows);
	if (!rows || store_audit_outside(r->app->st, c.id, c.person_id, c.org_id, rows, 500, &n) !=
			     STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		jw_object(&w);
		jw_kstr(&w, "at", rows[i].at);
		jw_kstr(&w, "user", rows[i].login);
		jw_kstr(&w, "org", rows[i].org_code);
		jw_kstr(&w, "action", rows[i].action);
		jw_kstr(&w, "record", rows[i].record);
		jw_kstr(&w, "fields", rows[i].fields);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double days_between(const char *a, const char *b)
{
	struct tm ta = {0}, tb = {0};
	if (!strptime(a, "%Y-%m-%dT%H:%M:%SZ", &ta) || !strptime(b, "%Y-%m-%dT%H:%M:%SZ", &tb))
		return -1;
	return difftime(timegm(&tb), timegm(&ta)) / 86400.0;
}

/* GET /referrals/stats?box=out|in: counts by status, accepted and
 * completed, and the median days from sending to the first answer. */
int api_referrals_stats(struct req *r)
{
	const char *box = req_query(r, "box");
	struct referral_row *rows;
	size_t n = 0, i, answered = 0, accepted = 0, completed = 0;
	double *days;
	const char *statuses[] = {"sent", "accepted", "declined", "completed", "withdrawn"};
	size_t counts[5] = {0}, k;
	jsonw w;

	if (!box) /* "in" or "out" (api_dispatch) */
		box = "out";
	if (!api_role_in(r, (const char *const[]){"caseworker", "supervisor", "focal_point", NULL}))
		return reply_problem(r, 403, "forbidden", "your role has no referral figures");
	if (store_referrals_list(r->app->st, r->who.user.org.id, !strcmp(box, "in"), NULL, NULL,
				 &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	days = arena_alloc(&r->mem, (n + 1) * sizeof *days);
	if (!days)
		return reply_problem(r, 500, "internal", "out of memory");
	for (i = 0; i < n; i++) {
		for (k = 0; k < 5; k++)
			if (!strcmp(rows[i].status, statuses[k]))
				counts[k]++;
		if (!strcmp(rows[i].status, "accepted") || !strcmp(rows[i].status, "completed"))
			accepted++;
		if (!strcmp(rows[i].status, "completed"))
			completed++;
		if (rows[i].responded_at[0]) {
			double d = days_between(rows[i].created_at, rows[i].responded_at);
			if (d >= 0)
				days[answered++] = d;
		}
	}
	qsort(days, answered, sizeof *days, cmp_double);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "box", box);
	jw_kint(&w, "total", (int64_t)n);
	jw_key(&w, "by_status");
	jw_object(&w);
	for (k = 0; k < 5; k++)
		jw_kint(&w, statuses[k], (int64_t)counts[k]);
	jw_end(&w);
	jw_kint(&w, "accepted", (int64_t)accepted);
	jw_kint(&w, "completed", (int64_t)completed);
	jw_key(&w, "median_days_to_response");
	if (answered) {
		char num[32];
		double med = answered % 2 ? days[answered / 2]
					  : (days[answered / 2 - 1] + days[answered / 2]) / 2;
		snprintf(num, sizeof num, "%.2f", med);
		jw_raw(&w, num, strlen(num));
	} else {
		jw_null(&w);
	}
	jw_finish(&w);
	return 200;
}

/* GET /referrals/decisions-due: cases referred to the caller's (authority)
 * organisation and accepted, on which it recorded no decision yet. */
int api_referrals_decisions_due(struct req *r)
{
	struct referral_row *rows;
	char today[11];
	size_t n = 0, i;
	jsonw w;

	if (!api_role_in(r, (const char *const[]){"focal_point", "supervisor", NULL}))
		return reply_problem(r, 403, "forbidden", "your role records no decisions");
	if (store_referrals_list(r->app->st, r->who.user.org.id, 1, "accepted", NULL, &rows, &n,
				 &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	consent_today(today);
	for (i = 0; i < n; i++) {
		struct referral_row live;
		struct item_row *items;
		size_t k, m = 0;
		int decided = 0;
		/* Only cases the focal point can still open: the consent stands. */
		if (store_referral_access(r->app->st, rows[i].case_id, NULL, r->who.user.org.id, today,
					  &live, &r->mem) != STORE_OK)
			continue;
		if (store_items_of_case(r->app->st, rows[i].case_id, "status_decision", &items, &m,
					&r->mem) != STORE_OK)
			continue;
		for (k = 0; k < m; k++)
			if (!strcmp(items[k].org_id, r->who.user.org.id))
				decided = 1;
		if (!decided)
			write_referral(r, &w, &rows[i]);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

/* ---- the names a referral shares, for its recipient's search ------------
 *
 * A recipient searches the cases referred to it by the names their
 * referrals share (api/cases.c).  Each referral's shared name fields are
 * kept as blind keys under the recipient's own domain
 * (store_referral_names_set) while the referral is accepted: made when it
 * is, dropped when it is no longer, made again when the person's names
 * change and when a merge or its undo moves the referral to another
 * person, and all made again at each start (what changed by another road
 * mends there).  The search still checks each
 * case it finds against the referral and the person as they are now, so
 * a key gone stale finds nothing. */

#define REFERRAL_NAME_KEYS 512

/* The consent the referral rests on is active and not past its end (as
 * the case list's REFERRAL_LIVE reads it). */
static int consent_stands(store *st, const struct referral_row *f, arena *a)
{
	struct item_row it;
	char today[11];

	if (!f->consent_id[0])
		return 0;
	consent_today(today);
	return store_item_get(st, f->consent_id, &it, a) == STORE_OK &&
	       !strcmp(it.status, "active") && (!it.due[0] || strcmp(it.due, today) >= 0) &&
	       !strcmp(it.person_id, f->person_id);
}

/* The keys of referral f as committed (its consent is its person's), made
 * from the names of person_id (a merge or its undo moves it in tx) or of
 * the record person when given. */
static int names_put(const keyring *kr, store *st, store_tx *tx, const struct referral_row *f,
		     const char *person_id, json_t *person, arena *a)
{
	struct blind_key *keys = NULL;
	struct person_row p;
	json_t *rec = person ? json_incref(person) : NULL, *share, *shared = json_object(), *v;
	size_t i, n = 0;
	int rc;

	/* Only while the recipient may see the case: a referral sent and not
	 * accepted yet, declined, completed or withdrawn keeps no key (an
	 * outside review found their names kept, and made again at a rename) */
	share = strcmp(f->kind, "referral") || strcmp(f->status, "accepted") ||
				!consent_stands(st, f, a)
			? NULL
			: json_loads(f->share, 0, NULL);
	if (share && shared && !rec && store_person_get(st, person_id, &p, a) == STORE_OK)
		rec = record_open(kr, a, p.coded, p.sealed, p.sealed_len, p.id);
	if (share && shared && rec &&
	    (keys = arena_alloc(a, REFERRAL_NAME_KEYS * sizeof *keys)) != NULL) {
		json_array_foreach(share, i, v) {
			const struct field *fd =
				schema_field(&person_schema, json_string_value(v));
			json_t *val = fd && fd->index == NX_NAME ? json_object_get(rec, fd->name)
								 : NULL;
			if (val)
				json_object_set(shared, fd->name, val);
		}
		n = referral_name_keys(kr, f->to_org, shared, keys, REFERRAL_NAME_KEYS);
	}
	rc = store_referral_names_set(tx, f, keys, n);
	if (keys)
		sodium_memzero(keys, REFERRAL_NAME_KEYS * sizeof *keys);
	json_decref(rec);
	json_decref(share);
	json_decref(shared);
	return rc;
}

/* Every referral of the person's cases; max at a time. */
#define REFERRALS_AT_ONCE 256

int api_referral_names_put(const keyring *kr, store *st, store_tx *tx,
			   const struct referral_row *f, json_t *person, arena *a)
{
	return names_put(kr, st, tx, f, f->person_id, person, a);
}

/* The referrals ids[] made again; resting on person_id when given (a
 * merge or its undo moved them in tx, which the reads here, of what is
 * committed, do not see), with the person's record rec when given. */
static int names_put_each(struct req *r, store_tx *tx, char (*ids)[ID_LEN], size_t n,
			  const char *person_id, json_t *rec)
{
	struct referral_row f;
	size_t i;
	int rc = STORE_OK;

	for (i = 0; rc == STORE_OK && i < n; i++) {
		if ((rc = store_referral_get(r->app->st, ids[i], &f, &r->mem)) != STORE_OK)
			break;
		rc = names_put(&r->app->kr, r->app->st, tx, &f, person_id ? person_id : f.person_id,
			       rec, &r->mem);
	}
	return rc;
}

int api_referral_names_person(struct req *r, store_tx *tx, const char *person_id, json_t *rec)
{
	char (*ids)[ID_LEN] = arena_alloc(&r->mem, REFERRALS_AT_ONCE * sizeof *ids);
	size_t n = 0;
	int rc;

	if (!ids)
		return STORE_ERROR;
	rc = store_referral_ids_of_person(r->app->st, person_id, ids, REFERRALS_AT_ONCE, &n);
	return rc == STORE_OK ? names_put_each(r, tx, ids, n, NULL, rec) : rc;
}

int api_referral_names_merge(struct req *r, store_tx *tx, const struct dup_merge_row *m, int undo)
{
	char (*ids)[ID_LEN] = arena_alloc(&r->mem, REFERRALS_AT_ONCE * sizeof *ids);
	size_t n = 0;
	int rc;

	if (!ids)
		return STORE_ERROR;
	/* As committed: before the merge, the merged person's referrals; at
	 * its undo, those the merge moved. */
	rc = undo ? store_dedup_moved_referrals(r->app->st, m->id, ids, REFERRALS_AT_ONCE, &n)
		  : store_referral_ids_of_person(r->app->st, m->merged, ids, REFERRALS_AT_ONCE, &n);
	if (rc != STORE_OK)
		return rc;
	return names_put_each(r, tx, ids, n, undo ? m->merged : m->survivor, NULL);
}

/* All made again, by a thread of its own after the server listens (a
 * search meanwhile misses what is not made yet, and shows nothing it
 * should not: it checks what it finds).  Each batch's reads are of what
 * is committed while its transaction holds the writer, so no change made
 * meanwhile is undone. */
static struct background rebuild = BACKGROUND_INIT;

static void *names_rebuild(void *arg)
{
	struct app *app = arg;
	char (*ids)[ID_LEN] = malloc(REFERRALS_AT_ONCE * sizeof *ids), after[ID_LEN] = "";
	size_t n = 0, i, total = 0;
	struct timespec t0, t1;
	int rc = STORE_OK;

	if (!ids)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		arena a;
		store_tx *tx;

		if (store_referral_ids_all(app->st, after, ids, REFERRALS_AT_ONCE, &n) != STORE_OK ||
		    !(tx = store_begin(app->st))) {
			rc = STORE_ERROR;
			break;
		}
		arena_init(&a, 64u << 20);
		for (i = 0; rc == STORE_OK && i < n; i++) {
			struct referral_row f;
			if ((rc = store_referral_get(app->st, ids[i], &f, &a)) == STORE_OK)
				rc = api_referral_names_put(&app->kr, app->st, tx, &f, NULL, &a);
		}
		arena_free(&a);
		if (rc == STORE_OK)
			rc = store_commit(tx);
		else
			store_rollback(tx);
		if (n)
			snprintf(after, sizeof after, "%s", ids[n - 1]);
		total += n;
	} while (rc == STORE_OK && n == REFERRALS_AT_ONCE && !bg_stopping(&rebuild));
	free(ids);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	api_log_event("referral_names", "referrals=%zu ms=%lld%s", total,
		      (long long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000),
		      rc != STORE_OK ? " error=store" : bg_stopping(&rebuild) ? " stopped=1" : "");
	return NULL;
}

void api_referral_names_start(struct app *app)
{
	if (bg_start(&rebuild, names_rebuild, app))
		api_log_event("referral_names", "error=thread");
}

void api_referral_names_stop(void)
{
	bg_stop(&rebuild);
}
