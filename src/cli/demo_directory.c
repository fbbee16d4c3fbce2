/*
 * demo_directory.c - the service directory of `himoya demo`: the
 * referral partners of a fictional National Referral Mechanism in
 * Tajikistan and what they offer (reintegration, shelters for women and
 * for men with their beds, legal aid in Dushanbe, Khujand and Bokhtar,
 * psychosocial centres, the police, the prosecutor, the migration
 * service, vocational training, small-business grants, medical care, a
 * hotline).  Every name says "(fictional)", every address and phone
 * number is made up.
 *
 * Names come in English, Tajik and Russian, as partners write them, so
 * that the directory search across scripts has something to find.  The
 * shelters' locations are confidential: the women's shelter because it
 * is a shelter, the men's shelter also stored with kind "redacted".
 *
 * The records are built as api/directory.c builds them (the same fill and
 * search-key helpers) and checked against their declarations, so a
 * mistake in this table fails the demo instead of storing a record the
 * API would refuse.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "api/api.h"
#include "cli/demo_directory.h"
#include "domain/record.h"
#include "fields.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define KEYS_MAX 512

struct demo_loc {
	const char *kind, *name, *address, *region, *city;
};

struct demo_svc {
	const char *org, *name, *type, *description, *eligibility, *hours, *phone, *email, *url;
	const char *languages; /* codes between spaces */
	const char *regions;   /* codes between spaces */
	int cap_max, cap_free; /* -1: none */
	struct demo_loc loc[2];
};

/* Who the shelters take, by service name (genders_served, minimum_age). */
static const struct {
	const char *service, *genders;
	int min_age; /* 0: none */
} takes[] = {
	{"Panoh shelter for women and girls (fictional)", "Feminine TransgenderFeminine", 0},
	{"Sipar shelter for men survivors of labour exploitation (fictional)",
	 "Masculine TransgenderMasculine", 16},
};

#define WEEKDAYS "Mon–Fri 08:00–17:00"
#define ALL_REGIONS "TJ-DU TJ-SU TJ-KT TJ-GB TJ-RA"

static const struct demo_svc services[] = {
	/* ---- IOM ---- */
	{"iom", "IOM reintegration assistance for returning migrants (fictional)",
	 "family_tracing_reintegration",
	 "Individual reintegration plans for survivors of trafficking and vulnerable returnees: "
	 "counselling, referral to partners, follow-up for twelve months.",
	 "Survivors of trafficking and vulnerable migrants returning to Tajikistan.", WEEKDAYS,
	 "+992 44 600 10 01", "reintegration@iom-demo.example", "https://iom-demo.example/tj",
	 "tg ru uz en", ALL_REGIONS, -1, -1,
	 {{"physical", "IOM office, Dushanbe", "кӯчаи Намунавӣ 1, Душанбе (fictional)", "TJ-DU",
	   "Dushanbe"},
	  {"physical", "IOM sub-office, Khujand", "кӯчаи Намунавӣ 7, Хуҷанд (fictional)", "TJ-SU",
	   "Khujand"}}},
	{"iom", "IOM small-business start-up grants for survivors (fictional)",
	 "business_startup_grant",
	 "Business training, a business plan and an in-kind grant (equipment, livestock, stock) "
	 "for a small enterprise.",
	 "Survivors of trafficking with a reintegration plan; one grant per household.", WEEKDAYS,
	 "+992 44 600 10 02", "grants@iom-demo.example", NULL, "tg ru uz",
	 "TJ-DU TJ-SU TJ-KT TJ-RA", 60, 14, {{0}}},
	{"iom", "IOM assisted voluntary return from Russia, Kazakhstan and the UAE (fictional)",
	 "return_travel",
	 "Travel documents, tickets and an escort home for stranded migrants and survivors.",
	 "Tajik citizens stranded abroad; referral by a consulate, NGO or IOM mission.", WEEKDAYS,
	 "+992 44 600 10 03", NULL, NULL, "tg ru", ALL_REGIONS, -1, -1, {{0}}},
	{"iom", "Safe migration hotline (fictional)", "other",
	 "Free, anonymous advice on safe migration, work abroad, trafficking and exploitation; "
	 "callbacks and referral to partners.",
	 "Anyone: migrants, their families, employers.", "24/7", "+992 44 600 00 00",
	 "hotline@iom-demo.example", "https://hotline-demo.example", "tg ru uz", ALL_REGIONS, -1,
	 -1, {{"virtual", "Hotline by phone, Telegram and WhatsApp", NULL, NULL, NULL}}},
	{"iom", "Education grants for children of survivors (fictional)", "education",
	 "School fees, uniforms and books, and catch-up classes for children of survivors.",
	 "Children of survivors of trafficking with a reintegration plan.", WEEKDAYS,
	 "+992 44 600 10 04", NULL, NULL, "tg ru uz", ALL_REGIONS, 120, 31, {{0}}},
	{"iom", "Emergency cash assistance (fictional)", "financial",
	 "One-off cash for rent, food or transport while a case is assessed.",
	 "Survivors of trafficking in an emergency, on a case worker's request.", WEEKDAYS,
	 "+992 44 600 10 05", NULL, NULL, "tg ru", ALL_REGIONS, -1, -1, {{0}}},

	/* ---- shelters ---- */
	{"shelter-panoh", "Panoh shelter for women and girls (fictional)", "shelter",
	 "Safe accommodation, meals, medical and psychological care, legal accompaniment, for "
	 "up to six months.",
	 "Women and girls who survived trafficking or exploitation, with their children.", "24/7",
	 "+992 44 600 20 01", "panoh@panoh-demo.example", NULL, "tg ru uz", ALL_REGIONS, 16, -1,
	 {{"physical", "Panoh shelter house", "кӯчаи Пинҳонӣ 5, ноҳияи Сино, Душанбе (fictional)",
	   "TJ-DU", "Dushanbe"}}},
	{"shelter-panoh", "Паноҳ: машварати равоншиносӣ барои занон (fictional)", "psychological",
	 "Машварати инфиродӣ ва гурӯҳӣ бо равоншинос; Индивидуальные и групповые консультации "
	 "психолога.",
	 "Занони ҷабрдида; women survivors, also after leaving the shelter.", WEEKDAYS,
	 "+992 44 600 20 02", NULL, NULL, "tg ru", "TJ-DU TJ-RA", -1, -1, {{0}}},
	{"shelter-sipar", "Sipar shelter for men survivors of labour exploitation (fictional)",
	 "shelter",
	 "Short-term accommodation, medical care and help with documents for men returning from "
	 "forced labour.",
	 "Men and boys over 16 who survived trafficking or forced labour.", "24/7",
	 "+992 32 600 30 01", NULL, NULL, "tg ru uz", "TJ-KT TJ-DU TJ-RA TJ-GB", 10, -1,
	 {{"redacted", "Sipar shelter house", "кӯчаи Пинҳонӣ 9, Бохтар (fictional)", "TJ-KT",
	   "Bokhtar"}}},

	/* ---- psychosocial ---- */
	{"psc-ravon", "Ravon psychosocial support and peer groups (fictional)", "psychosocial",
	 "Psychosocial counselling, peer groups of survivors, art therapy for children.",
	 "Survivors of trafficking and their families.", "Mon–Sat 09:00–18:00",
	 "+992 44 600 40 01", "help@ravon-demo.example", NULL, "tg ru", "TJ-DU TJ-RA", -1, -1,
	 {{"physical", "Ravon centre", "кӯчаи Намунавӣ 21, Душанбе (fictional)", "TJ-DU",
	   "Dushanbe"}}},
	{"psc-ravon", "Равон: медиация в семье и реинтеграция (fictional)",
	 "family_tracing_reintegration",
	 "Семейная медиация, восстановление связей с семьёй, сопровождение при возвращении домой.",
	 "Пострадавшие и их семьи; survivors and their families.", WEEKDAYS, "+992 44 600 40 02",
	 NULL, NULL, "ru tg", "TJ-DU TJ-RA", -1, -1, {{0}}},
	{"ngo-nur", "Nur psychosocial support, Khujand (fictional)", "psychosocial",
	 "Counselling and support groups for returnees and families of migrants.",
	 "Survivors, returnees and families of migrants in Sughd.", WEEKDAYS, "+992 34 600 50 02",
	 NULL, NULL, "tg uz ru", "TJ-SU", -1, -1,
	 {{"physical", "Nur office", "кӯчаи Намунавӣ 3, Хуҷанд (fictional)", "TJ-SU", "Khujand"}}},
	{"ngo-umed", "Umed psychosocial centre, Bokhtar (fictional)", "psychosocial",
	 "Counselling, women's groups and home visits in the villages of Khatlon.",
	 "Survivors and families of migrants in Khatlon.", WEEKDAYS, "+992 32 600 60 02", NULL,
	 NULL, "tg uz", "TJ-KT", -1, -1,
	 {{"physical", "Umed centre", "кӯчаи Намунавӣ 11, Бохтар (fictional)", "TJ-KT",
	   "Bokhtar"}}},
	{"ngo-ozod", "Ozod outreach in Khorog (fictional)", "psychosocial",
	 "Monthly outreach visits, counselling and referral in Gorno-Badakhshan.",
	 "Survivors and returnees in GBAO.", "First week of every month", "+992 44 600 70 03",
	 NULL, NULL, "tg ru", "TJ-GB", -1, -1, {{0}}},
	{"ngo-ozod", "Ozod case management for survivors, Dushanbe (fictional)", "other",
	 "A case worker for every survivor: assessment, plan, accompaniment to services.",
	 "Survivors of trafficking referred by the hotline, police or IOM.", WEEKDAYS,
	 "+992 44 600 70 01", "cases@ozod-demo.example", NULL, "tg ru", "TJ-DU TJ-RA", -1, -1,
	 {{"physical", "Ozod office", "кӯчаи Намунавӣ 17, Душанбе (fictional)", "TJ-DU",
	   "Dushanbe"}}},

	/* ---- legal aid ---- */
	{"legal-adolat", "Адолат: ёрии ҳуқуқии ройгон, Душанбе (fictional)", "legal",
	 "Lawyers for survivors: statements to the police, representation in court, claims for "
	 "unpaid wages abroad.",
	 "Survivors of trafficking and exploited migrants.", WEEKDAYS, "+992 44 600 80 01",
	 "lawyer@adolat-demo.example", NULL, "tg ru", "TJ-DU TJ-RA", -1, -1,
	 {{"physical", "Adolat legal aid centre", "кӯчаи Намунавӣ 25, Душанбе (fictional)",
	   "TJ-DU", "Dushanbe"}}},
	{"ngo-nur", "Нур: ёрии ҳуқуқӣ ба муҳоҷирон, Хуҷанд (fictional)", "legal",
	 "Консультации юриста, помощь с документами и обращениями в суд.",
	 "Мигранты и пострадавшие в Согдийской области.", WEEKDAYS, "+992 34 600 50 01", NULL,
	 NULL, "tg uz ru", "TJ-SU", -1, -1,
	 {{"physical", "Nur legal clinic", "кӯчаи Намунавӣ 3, Хуҷанд (fictional)", "TJ-SU",
	   "Khujand"}}},
	{"ngo-umed", "Umed legal clinic for migrants' families, Bokhtar (fictional)", "legal",
	 "Legal advice on labour contracts, debts, divorce and children's documents.",
	 "Migrants and their families in Khatlon.", WEEKDAYS, "+992 32 600 60 01", NULL, NULL,
	 "tg uz ru", "TJ-KT", -1, -1,
	 {{"physical", "Umed legal clinic", "кӯчаи Намунавӣ 11, Бохтар (fictional)", "TJ-KT",
	   "Bokhtar"}}},

	/* ---- the authorities ---- */
	{"police-du", "Police anti-trafficking unit, Dushanbe: reports and protection (fictional)",
	 "legal",
	 "Takes reports of trafficking, investigates, protects victims and witnesses.",
	 "Anyone reporting trafficking; survivors willing to give a statement.", "24/7", "102",
	 NULL, NULL, "tg ru", "TJ-DU TJ-RA", -1, -1,
	 {{"physical", "Police headquarters", "кӯчаи Намунавӣ 2, Душанбе (fictional)", "TJ-DU",
	   "Dushanbe"}}},
	{"prosecutor", "Прокуратура: дела о торговле людьми, защита потерпевших (fictional)",
	 "legal",
	 "Supervises investigations of trafficking, supports victims as witnesses in court.",
	 "Victims and witnesses in criminal cases of trafficking.", WEEKDAYS, "+992 44 600 90 01",
	 NULL, NULL, "tg ru", ALL_REGIONS, -1, -1, {{0}}},
	{"border-police", "Border police: identification of victims at Dushanbe airport (fictional)",
	 "other",
	 "Screens arriving and departing passengers, refers possible victims to the hotline and "
	 "NGOs.",
	 "Passengers at Dushanbe international airport.", "24/7", "+992 44 600 91 01", NULL, NULL,
	 "tg ru en", "TJ-DU", -1, -1, {{0}}},
	{"migration-service", "Migration Service: passports and migration documents (fictional)",
	 "documents",
	 "New passports, migration cards and help with entry bans for returning migrants.",
	 "Tajik citizens who lost or had their documents taken abroad.", WEEKDAYS,
	 "+992 44 600 92 01", NULL, "https://migration-demo.example", "tg ru", ALL_REGIONS, -1,
	 -1,
	 {{"physical", "Migration Service, Dushanbe", "кӯчаи Намунавӣ 30, Душанбе (fictional)",
	   "TJ-DU", "Dushanbe"}}},
	{"migration-service", "Migration Service: advice before going abroad (fictional)", "other",
	 "Pre-departure orientation: legal work abroad, contracts, where to get help.",
	 "Anyone planning to work abroad.", WEEKDAYS, "+992 44 600 92 02", NULL, NULL,
	 "tg ru uz", ALL_REGIONS, -1, -1, {{0}}},

	/* ---- vocational training ---- */
	{"tvet-hunar", "Hunar vocational courses: sewing, cooking, welding, Khujand (fictional)",
	 "vocational_training",
	 "Three-month courses with a certificate and help to find work.",
	 "Survivors and returnees aged 16 and over.", "Mon–Sat 08:00–16:00", "+992 34 600 93 01",
	 NULL, NULL, "tg uz ru", "TJ-SU", 40, 12,
	 {{"physical", "Hunar training centre", "кӯчаи Намунавӣ 40, Хуҷанд (fictional)", "TJ-SU",
	   "Khujand"}}},
	{"tvet-hunar", "Курсы для возвращающихся мигрантов: вождение, IT, стройка (fictional)",
	 "vocational_training",
	 "Профессиональные курсы для взрослых с сертификатом.",
	 "Returnees and survivors referred by a case worker.", WEEKDAYS, "+992 44 600 94 01", NULL,
	 NULL, "ru tg", "TJ-DU TJ-RA", 60, 20,
	 {{"physical", "Hunar centre, Dushanbe", "кӯчаи Намунавӣ 44, Душанбе (fictional)", "TJ-DU",
	   "Dushanbe"}}},

	/* ---- medical ---- */
	{"med-shifo", "Shifo medical centre: free check-ups and treatment for survivors (fictional)",
	 "medical",
	 "General practitioner, gynaecology, tests for infections, dental care.",
	 "Survivors of trafficking referred by a partner.", "Mon–Sat 08:00–20:00",
	 "+992 44 600 95 01", NULL, NULL, "tg ru", "TJ-DU TJ-RA", -1, -1,
	 {{"physical", "Shifo medical centre", "кӯчаи Намунавӣ 50, Душанбе (fictional)", "TJ-DU",
	   "Dushanbe"}}},
	{"med-shifo", "Shifo clinic, Bokhtar: medical assistance (fictional)", "medical",
	 "Emergency and in-patient care; a focal point for survivors.",
	 "Survivors and returnees in Khatlon.", "24/7", "+992 32 600 96 01", NULL, NULL,
	 "tg uz ru", "TJ-KT", -1, -1,
	 {{"physical", "Shifo clinic, Bokhtar", "кӯчаи Намунавӣ 60, Бохтар (fictional)", "TJ-KT",
	   "Bokhtar"}}},
};

/* A JSON list of the codes between spaces in s. */
static json_t *code_list(const char *s)
{
	json_t *list = json_array();
	while (s && *s) {
		size_t n;
		while (*s == ' ')
			s++;
		n = strcspn(s, " ");
		if (n)
			json_array_append_new(list, json_stringn(s, n));
		s += n;
	}
	return list;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static json_t *service_json(const struct demo_svc *d)
{
	json_t *rec = json_object();
	set_str(rec, "name", d->name);
	set_str(rec, "type", d->type);
	set_str(rec, "description", d->description);
	set_str(rec, "eligibility", d->eligibility);
	set_str(rec, "hours", d->hours);
	set_str(rec, "phone", d->phone);
	set_str(rec, "email", d->email);
	set_str(rec, "url", d->url);
	set_str(rec, "org", d->org);
	json_object_set_new(rec, "status", json_string("active"));
	json_object_set_new(rec, "languages", code_list(d->languages));
	json_object_set_new(rec, "regions_served", code_list(d->regions));
	if (d->cap_max >= 0)
		json_object_set_new(rec, "capacity_max", json_integer(d->cap_max));
	if (d->cap_free >= 0)
		json_object_set_new(rec, "capacity_available", json_integer(d->cap_free));
	for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++) {
		if (strcmp(takes[i].service, d->name))
			continue;
		json_object_set_new(rec, "genders_served", code_list(takes[i].genders));
		if (takes[i].min_age > 0)
			json_object_set_new(rec, "minimum_age", json_integer(takes[i].min_age));
	}
	return rec;
}

static json_t *location_json(const struct demo_loc *d)
{
	json_t *rec = json_object();
	set_str(rec, "kind", d->kind);
	set_str(rec, "name", d->name);
	set_str(rec, "address", d->address);
	set_str(rec, "region", d->region);
	set_str(rec, "city", d->city);
	return rec;
}

/* One service and its locations into tx. */
static int add_service(store_tx *tx, const keyring *kr, arena *a, const struct demo_svc *d,
		       const struct org *o, size_t *nloc)
{
	struct dir_service_row s;
	struct record_error e;
	const char **keys = arena_alloc(a, KEYS_MAX * sizeof *keys);
	json_t *rec = service_json(d);
	size_t nkeys, i;
	int rc = STORE_ERROR;

	memset(&s, 0, sizeof s);
	if (!keys || !rec)
		goto out;
	if (record_validate(&directory_service_schema, rec, RECORD_CREATE, &e)) {
		fprintf(stderr, "himoya: demo directory: %s: %s\n", d->name, e.detail);
		goto out;
	}
	store_new_id(s.id);
	s.org = *o;
	snprintf(s.org_id, sizeof s.org_id, "%s", o->id);
	s.version = 1;
	store_now(s.created_at);
	memcpy(s.updated_at, s.created_at, TS_LEN);
	if (api_dir_service_fill(a, kr, rec, &s))
		goto out;
	nkeys = api_dir_service_keys(a, s.name, o->name, keys, KEYS_MAX);
	rc = store_dir_service_insert(tx, &s);
	if (rc == STORE_OK)
		rc = store_dir_service_keys_set(tx, s.id, keys, nkeys);
	for (i = 0; rc == STORE_OK && i < COUNT(d->loc) && d->loc[i].kind; i++) {
		struct dir_location_row l;
		json_t *lrec = location_json(&d->loc[i]);

		memset(&l, 0, sizeof l);
		rc = STORE_ERROR;
		if (record_validate(&directory_location_schema, lrec, RECORD_CREATE, &e)) {
			fprintf(stderr, "himoya: demo directory: %s: location: %s\n", d->name,
				e.detail);
		} else {
			store_new_id(l.id);
			snprintf(l.service_id, sizeof l.service_id, "%s", s.id);
			snprintf(l.org_id, sizeof l.org_id, "%s", o->id);
			l.version = 1;
			memcpy(l.created_at, s.created_at, TS_LEN);
			memcpy(l.updated_at, s.created_at, TS_LEN);
			if (api_dir_location_fill(a, kr, lrec, &l) == 0)
				rc = store_dir_location_insert(tx, &l);
			if (rc == STORE_OK)
				(*nloc)++;
		}
		json_decref(lrec);
	}
out:
	json_decref(rec);
	return rc;
}

int demo_directory_load(store *st, const keyring *kr, size_t *nservices, size_t *nlocations)
{
	struct dir_service_row *rows;
	struct dir_filter f;
	struct org *orgs;
	int64_t total = 0;
	store_tx *tx;
	size_t n, i;
	char summary[64];
	arena a;
	int rc = -1;

	*nservices = *nlocations = 0;
	arena_init(&a, 32u << 20);
	memset(&f, 0, sizeof f);
	f.limit = 1;
	if (store_dir_service_list(st, &f, &rows, &n, &total, &a) != STORE_OK)
		goto out;
	if (total > 0) { /* a demo folder made again: its directory stays */
		rc = 0;
		goto out;
	}
	/* The organisations first: the readers do not see the writer's
	 * transaction, and nothing else writes them meanwhile. */
	orgs = arena_alloc(&a, COUNT(services) * sizeof *orgs);
	if (!orgs)
		goto out;
	for (i = 0; i < COUNT(services); i++)
		if (store_org_by_code(st, services[i].org, &orgs[i]) != STORE_OK) {
			fprintf(stderr, "himoya: demo directory: no organisation %s\n",
				services[i].org);
			goto out;
		}
	tx = store_begin(st);
	if (!tx)
		goto out;
	for (i = 0; i < COUNT(services); i++) {
		if (add_service(tx, kr, &a, &services[i], &orgs[i], nlocations) != STORE_OK) {
			store_rollback(tx);
			goto out;
		}
		(*nservices)++;
	}
	snprintf(summary, sizeof summary, "services=%zu,locations=%zu", *nservices, *nlocations);
	{
		struct audit_entry e = {NULL, NULL, "create", "directory/demo", summary, "cli"};
		if (store_audit_append(tx, &e) != STORE_OK) {
			store_rollback(tx);
			goto out;
		}
	}
	rc = store_commit(tx) == STORE_OK ? 0 : -1;
out:
	if (rc)
		*nservices = *nlocations = 0;
	arena_free(&a);
	return rc;
}
