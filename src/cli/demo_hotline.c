/*
 * demo_hotline.c - the hotline of `himoya demo`: contacts of the last six
 * months from the hotline's channels, a quarter of them non-data calls
 * (silent, hang-up, wrong number, test, abusive) that keep no details,
 * the others with topics, forced-labour indicators, actions, sealed notes
 * and numbers; returning callers; flags on a few numbers; and a callback
 * queue with done, overdue, due and later callbacks, some from the
 * public form.
 *
 * Records are checked against schema/contact.c and sealed and indexed
 * with the API's helpers (record_seal, api_phone_blind), so the server
 * reads them back like its own.  Everything follows from --seed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "api/api.h"
#include "api/rows.h"
#include "cli/demo.h"
#include "cli/demo_hotline.h"
#include "codelists.h"
#include "domain/record.h"
#include "fields.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DAYS 182
#define RETURNING 300        /* numbers that call more than once */
#define BATCH 500            /* contacts per transaction */
#define STREAM 0x40710e00u   /* the demo's random streams for the hotline */

static const char *const channels[] = {"phone", "whatsapp", "telegram", "imo", "viber", "walk_in",
				       "web_form", "email"};
static const unsigned channel_w[] = {50, 15, 12, 8, 5, 4, 3, 3};
static const char *const non_data[] = {"silent", "hang_up", "wrong_number", "test", "abusive"};
static const unsigned non_data_w[] = {32, 36, 16, 8, 8};
static const char *const topics[] = {"safe_migration", "job_offer_check", "exploitation_report",
				     "legal", "missing_person", "emergency", "other"};
static const unsigned topic_w[] = {34, 22, 14, 14, 6, 3, 7};
static const char *const kinds[] = {"anonymous", "self", "relative", "third_party"};
static const unsigned kind_w[] = {40, 35, 20, 5};
static const char *const langs[] = {"tg", "ru", "uz"};
static const unsigned lang_w[] = {60, 35, 5};
static const char *const countries[] = {"TJ", "RU", "KZ", "AE", "TR", "SA"};
static const unsigned country_w[] = {50, 34, 6, 4, 4, 2};
static const char *const regions[] = {"Душанбе", "Хатлон", "Суғд", "Рашт", "Бадахшон",
				      "Москва", "Санкт-Петербург", "Екатеринбург"};
static const char *const notes[] = {
	"Ҷавон пешниҳоди кор дар Маскавро санҷид; маълумот оид ба патент дода шуд.",
	"Модар хабар дод, ки писараш шаш моҳ боз занг намезанад.",
	"Корфармо шиносномаро гирифтааст ва музд намедиҳад.",
	"Звонящая спрашивает о регистрации и патенте в России.",
	"Брат работает на стройке, документы забрал бригадир, угрожают.",
	"Вакансия в ОАЭ: обещают визу за 3000 долларов, признаки обмана.",
	"Savol: qanday qilib Qozog'istonda ishga kirish mumkin?",
	"Хоҳиш кард, ки танҳо пас аз соати 18 занг занем.",
};
static const char *const actions_info[] = {"info_given", "referred", "case_opened",
					   "emergency_services", "none"};
static const unsigned action_w[] = {62, 14, 6, 2, 6};
static const char *const safe_notes[] = {"only after 18:00, not the husband",
					 "танҳо субҳ, то соати 10", "звонить только на WhatsApp",
					 "if a man answers, say it is the clinic"};
static const char *const outcomes[] = {"reached", "no_answer", "unsafe_to_talk", "wrong_number"};
static const unsigned outcome_w[] = {60, 25, 10, 5};

static void iso_time(time_t t, char out[TS_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, TS_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The number of caller k: the same digits every time that caller calls. */
static void caller_phone(unsigned long long seed, unsigned k, char *out, size_t outlen)
{
	struct demo_rng r;
	demo_rng_init(&r, seed, STREAM + 1000000u + k);
	demo_phone_make(&r, out, outlen);
}

/* A contact's record as an operator would send it. */
static json_t *make_contact(struct demo_rng *r, unsigned long long seed, time_t now,
			    const char *operator_id, char *phone, size_t phonelen, time_t *started)
{
	json_t *rec = json_object(), *list;
	time_t at = now - (time_t)demo_rng_below(r, DAYS * 86400u);
	char ts[TS_LEN];
	unsigned i, n;

	/* Office hours in Dushanbe (UTC+5): 08:00 to 20:00 mostly. */
	at -= at % 86400;
	at += (time_t)(3 * 3600 + demo_rng_below(r, 12 * 3600));
	if (at > now)
		at -= 86400;
	iso_time(at, ts);
	*started = at;
	phone[0] = '\0';
	json_object_set_new(rec, "channel",
			    json_string(channels[demo_rng_weighted(r, channel_w, COUNT(channels))]));
	json_object_set_new(rec, "started_at", json_string(ts));
	json_object_set_new(rec, "operator", json_string(operator_id));
	json_object_set_new(rec, "language", json_string(langs[demo_rng_weighted(r, lang_w, 3)]));
	if (demo_rng_pct(r, 25)) {
		json_object_set_new(rec, "call_type",
				    json_string(non_data[demo_rng_weighted(r, non_data_w, 5)]));
		json_object_set_new(rec, "duration_s", json_integer(demo_rng_below(r, 40)));
		return rec;
	}
	json_object_set_new(rec, "call_type", json_string("data"));
	json_object_set_new(rec, "duration_s", json_integer(60 + demo_rng_below(r, 900)));
	json_object_set_new(rec, "caller_kind",
			    json_string(kinds[demo_rng_weighted(r, kind_w, COUNT(kinds))]));
	json_object_set_new(rec, "caller_country",
			    json_string(countries[demo_rng_weighted(r, country_w, COUNT(countries))]));
	if (demo_rng_pct(r, 50))
		json_object_set_new(rec, "caller_region",
				    json_string(regions[demo_rng_below(r, COUNT(regions))]));
	list = json_array();
	n = 1 + demo_rng_pct(r, 30);
	for (i = 0; i < n; i++) {
		const char *t = topics[demo_rng_weighted(r, topic_w, COUNT(topics))];
		size_t k, dup = 0;
		json_t *v;
		json_array_foreach(list, k, v)
			dup |= !strcmp(json_string_value(v), t);
		if (!dup)
			json_array_append_new(list, json_string(t));
	}
	json_object_set_new(rec, "topics", list);
	if (demo_rng_pct(r, 18)) {
		static const char *const ind[] = {
			"deception", "retention_of_identity_documents", "withholding_of_wages",
			"debt_bondage", "intimidation_and_threats", "restriction_of_movement",
			"abusive_working_and_living_conditions", "excessive_overtime"};
		list = json_array();
		json_array_append_new(list, json_string(ind[demo_rng_below(r, COUNT(ind))]));
		if (demo_rng_pct(r, 50)) {
			const char *second = ind[demo_rng_below(r, COUNT(ind))];
			if (strcmp(second, json_string_value(json_array_get(list, 0))))
				json_array_append_new(list, json_string(second));
		}
		json_object_set_new(rec, "indicators", list);
	}
	json_object_set_new(rec, "action",
			    json_string(actions_info[demo_rng_weighted(r, action_w, COUNT(action_w))]));
	if (demo_rng_pct(r, 60))
		json_object_set_new(rec, "notes", json_string(notes[demo_rng_below(r, COUNT(notes))]));
	if (!demo_rng_pct(r, 15)) { /* most give a number to call back */
		unsigned k = demo_rng_pct(r, 35) ? demo_rng_below(r, RETURNING)
						 : RETURNING + demo_rng_below(r, 1u << 30);
		caller_phone(seed, k, phone, phonelen);
		json_object_set_new(rec, "caller_phone", json_string(phone));
	}
	return rec;
}

/* A contact's row from its record, as the API makes it (api/rows.h). */
static int fill_contact(arena *a, const keyring *kr, const char *org_id, json_t *rec,
			struct contact_row *c)
{
	memset(c, 0, sizeof *c);
	store_new_id(c->id);
	snprintf(c->org_id, sizeof c->org_id, "%s", org_id);
	c->version = 1;
	if (rows_contact_seal(kr, a, rec, c))
		return -1;
	memcpy(c->updated_at, c->started_at, TS_LEN);
	memcpy(c->created_at, c->started_at, TS_LEN);
	return 0;
}

/* A callback for a number; done ones have an outcome. */
static int make_callback(arena *a, const keyring *kr, struct demo_rng *r, const char *org_id,
			 const char *phone, const char *contact_id, const char *source,
			 const char *user_id, time_t due, time_t now, struct callback_row *c)
{
	json_t *secret = json_object();
	const char *coded;
	int rc;

	memset(c, 0, sizeof *c);
	store_new_id(c->id);
	snprintf(c->org_id, sizeof c->org_id, "%s", org_id);
	c->version = 1;
	snprintf(c->source, sizeof c->source, "%s", source);
	iso_time(due, c->due);
	snprintf(c->language, sizeof c->language, "%s", langs[demo_rng_weighted(r, lang_w, 3)]);
	snprintf(c->contact_id, sizeof c->contact_id, "%s", contact_id ? contact_id : "");
	if (!strcmp(source, "operator")) {
		snprintf(c->created_by, sizeof c->created_by, "%s", user_id);
		if (demo_rng_pct(r, 60))
			snprintf(c->assigned_to, sizeof c->assigned_to, "%s", user_id);
	}
	iso_time(due < now ? due - 3600 : now - 600, c->created_at);
	memcpy(c->updated_at, c->created_at, TS_LEN);
	if (due < now - 86400 && demo_rng_pct(r, 85)) {
		c->done = 1;
		snprintf(c->outcome, sizeof c->outcome, "%s",
			 outcomes[demo_rng_weighted(r, outcome_w, COUNT(outcomes))]);
		iso_time(due + 1800, c->done_at);
		memcpy(c->updated_at, c->done_at, TS_LEN);
		c->version = 2;
	}
	if (api_phone_blind(kr, org_id, phone, c->phone_key) != 0) {
		json_decref(secret);
		return -1;
	}
	c->has_phone = 1;
	json_object_set_new(secret, "phone", json_string(phone));
	if (!strcmp(source, "public")) {
		json_object_set_new(secret, "preferred_time", json_string("баъд аз соати 18"));
		json_object_set_new(secret, "message",
				    json_string("Лутфан занг занед, дар бораи кор дар Русия савол дорам."));
	} else if (demo_rng_pct(r, 50)) {
		json_object_set_new(secret, "safe_note",
				    json_string(safe_notes[demo_rng_below(r, COUNT(safe_notes))]));
	}
	rc = record_seal(kr, a, &callback_schema, secret, c->id, &coded, &c->sealed, &c->sealed_len);
	json_decref(secret);
	return rc;
}

int demo_hotline_load(store *st, const keyring *kr, unsigned long long seed, size_t *contacts,
		      size_t *callbacks, size_t *flags)
{
	struct user op, sup;
	struct org org;
	struct contact_filter f = {0};
	struct contact_row *existing, c;
	struct callback_row cb;
	struct record_error e;
	struct demo_rng r;
	char summary[128];
	time_t now = time(NULL);
	store_tx *tx = NULL;
	arena a;
	size_t i, n = 0;
	int rc = STORE_OK;

	*contacts = *callbacks = *flags = 0;
	if (store_org_home(st, &org) != STORE_OK ||
	    store_user_by_login(st, "hotline", &op) != STORE_OK ||
	    store_user_by_login(st, "supervisor", &sup) != STORE_OK) {
		fprintf(stderr, "himoya: demo hotline: the first organisation or its users are missing\n");
		return -1;
	}
	arena_init(&a, 64u << 20);
	f.org_id = org.id;
	f.limit = 1;
	if (store_contacts_list(st, &f, &existing, &n, &a) != STORE_OK) {
		arena_free(&a);
		return -1;
	}
	if (n) {
		arena_free(&a);
		return 0;
	}
	demo_rng_init(&r, seed, STREAM);
	for (i = 0; i < DEMO_HOTLINE_CONTACTS && rc == STORE_OK; i++) {
		const struct user *who = demo_rng_pct(&r, 80) ? &op : &sup;
		char phone[64];
		time_t started;
		json_t *rec = make_contact(&r, seed, now, who->id, phone, sizeof phone, &started);
		int want_cb = phone[0] && demo_rng_pct(&r, 6);
		json_t *check;

		if (want_cb)
			json_object_set_new(rec, "action", json_string("callback_booked"));
		check = json_deep_copy(rec);
		json_object_del(check, "operator");
		if (record_validate(&contact_schema, check, RECORD_CREATE, &e)) {
			fprintf(stderr, "himoya: demo hotline: %s: %s\n", e.field, e.detail);
			rc = STORE_ERROR;
		}
		json_decref(check);
		if (rc == STORE_OK && !tx && !(tx = store_begin(st)))
			rc = STORE_ERROR;
		if (rc == STORE_OK && fill_contact(&a, kr, org.id, rec, &c) != 0)
			rc = STORE_ERROR;
		if (rc == STORE_OK)
			rc = store_contact_insert(tx, &c);
		if (rc == STORE_OK)
			(*contacts)++;
		/* A callback for some data calls with a number. */
		if (rc == STORE_OK && want_cb) {
			time_t due = started + (time_t)(3600 + demo_rng_below(&r, 2 * 86400));
			if (due > now - 3600 && demo_rng_pct(&r, 50))
				due = now + (time_t)demo_rng_below(&r, 3 * 86400) - 3600;
			rc = make_callback(&a, kr, &r, org.id, phone, c.id, "operator", who->id, due, now,
					   &cb) == 0 ? store_callback_insert(tx, &cb) : STORE_ERROR;
			if (rc == STORE_OK)
				(*callbacks)++;
		}
		/* A flag on a few returning numbers. */
		if (rc == STORE_OK && phone[0] && demo_rng_pct(&r, 1)) {
			static const char *const kinds_f[] = {"at_risk", "abusive", "safe_hours_only",
							      "do_not_call"};
			struct caller_flag_row fl = {0};
			time_t until = now + (time_t)(demo_rng_below(&r, 60) - 15) * 86400;
			struct tm tm;
			store_new_id(fl.id);
			snprintf(fl.org_id, sizeof fl.org_id, "%s", org.id);
			memcpy(fl.phone_key, c.phone_key, BLIND_BYTES);
			snprintf(fl.flag, sizeof fl.flag, "%s", kinds_f[demo_rng_below(&r, 4)]);
			gmtime_r(&until, &tm);
			strftime(fl.until, sizeof fl.until, "%Y-%m-%d", &tm);
			snprintf(fl.created_by, sizeof fl.created_by, "%s", who->id);
			snprintf(fl.created_at, sizeof fl.created_at, "%s", c.started_at);
			rc = c.has_phone ? store_flag_insert(tx, &fl) : STORE_OK;
			if (rc == STORE_OK && c.has_phone)
				(*flags)++;
		}
		json_decref(rec);
		if (rc == STORE_OK && (i + 1) % BATCH == 0) {
			rc = store_commit(tx);
			tx = NULL;
			arena_free(&a);
			arena_init(&a, 64u << 20);
		}
	}
	/* Callbacks booked for later today, some assigned. */
	for (i = 0; i < 6 && rc == STORE_OK; i++) {
		time_t midnight = now - now % 86400 + 86400;
		char phone[64];
		if (!tx && !(tx = store_begin(st))) {
			rc = STORE_ERROR;
			break;
		}
		caller_phone(seed, (unsigned)i, phone, sizeof phone);
		rc = make_callback(&a, kr, &r, org.id, phone, NULL, "operator", op.id,
				   now + (time_t)demo_rng_below(&r, (unsigned)(midnight - now)), now, &cb) == 0
			     ? store_callback_insert(tx, &cb) : STORE_ERROR;
		if (rc == STORE_OK)
			(*callbacks)++;
	}
	/* Requests from the public form, still waiting. */
	for (i = 0; i < 12 && rc == STORE_OK; i++) {
		char phone[64];
		if (!tx && !(tx = store_begin(st))) {
			rc = STORE_ERROR;
			break;
		}
		caller_phone(seed, RETURNING + 2000000u + (unsigned)i, phone, sizeof phone);
		rc = make_callback(&a, kr, &r, org.id, phone, NULL, "public", NULL,
				   now - (time_t)demo_rng_below(&r, 2 * 86400), now, &cb) == 0
			     ? store_callback_insert(tx, &cb) : STORE_ERROR;
		if (rc == STORE_OK)
			(*callbacks)++;
	}
	if (rc == STORE_OK) {
		struct audit_entry ae = {NULL, org.id, "create", "contacts/demo", summary, "cli"};
		snprintf(summary, sizeof summary, "contacts=%zu,callbacks=%zu,flags=%zu", *contacts,
			 *callbacks, *flags);
		if (!tx && !(tx = store_begin(st)))
			rc = STORE_ERROR;
		else
			rc = store_audit_append(tx, &ae);
	}
	if (tx) {
		if (rc == STORE_OK)
			rc = store_commit(tx);
		else
			store_rollback(tx);
	}
	arena_free(&a);
	if (rc != STORE_OK) {
		fprintf(stderr, "himoya: demo hotline: the contacts could not be stored\n");
		return -1;
	}
	return 0;
}
