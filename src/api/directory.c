/*
 * directory.c - /api/v1/directory: the service directory of the referral
 * network, after Open Referral HSDS 3.x.  List with search and filters
 * (answered in Himoya's list shape and in HSDS paging at once), read one,
 * add and change services, add locations, export and import an HSDS-JSON
 * document.
 *
 * Who may do what.  Every signed-in role reads the directory: it is how
 * a hotline operator or a police focal point finds a shelter or a lawyer.
 * An administrator of the installation's own organisation adds and
 * changes the services of any organisation (dir_any); another
 * organisation's administrator or supervisor those of their own; a case
 * worker of the owning organisation
 * updates a service's capacity (free shelter beds) and nothing else.
 * Because services are public to read, a refused write answers 403, not
 * 404.  Every write is audited.
 *
 * Redaction.  The address of a shelter is the one thing in the directory
 * that can get someone killed.  A location is confidential when its
 * service is a shelter or when it is stored with kind "redacted"; its
 * address is shown only to users of the organisation that runs it.  To
 * everyone else (an administrator of another organisation included) the
 * location reads as an HSDS "redacted" location: id, region and city,
 * no name, no address; its sealed address is not even opened.  Exports
 * follow the same rule.  Reads of confidential addresses are audited;
 * public office addresses are sealed like any FC_PII field but their
 * reading is not, as every directory search would otherwise fill the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/disclose.h"
#include "domain/dirterms.h"
#include "domain/namekey.h"
#include "domain/orgname.h"
#include "domain/record.h"
#include "codelists.h"

#define HSDS_PAGE_DEFAULT 20     /* HSDS pages: smaller than the API's own */
#define HSDS_PAGE_MAX 100
#define PAGE_NUMBER_MAX 100000
#define SEARCH_MAX 300          /* bytes of a search text */
#define SERVICE_KEYS_MAX 512    /* search keys of one service */
#define NAME_PREFIX_MIN NAMEKEY_PREFIX_MIN
#define EXPORT_SERVICES_MAX 5000
#define EXPORT_LOCATIONS_MAX 20000
#define EXPORT_ORGS_MAX 2000
#define IMPORT_ITEMS_MAX 5000   /* per collection of an imported document */

static const char *const dir_admins[] = {"admin", NULL};

/* Whether the caller changes any organisation's services: an
 * administrator of the installation's own organisation (as it adds and
 * names organisations: api_caller_settles_orgs).  Another organisation's
 * administrator changes its own organisation's services only: an outside
 * review made the border police's hotline show an NGO's name and phone
 * through the import. */
static int dir_any(struct req *r)
{
	return api_caller_settles_orgs(r);
}
static const char *const dir_creators[] = {"admin", "supervisor", NULL};
static const char *const dir_exporters[] = {"admin", "supervisor", NULL};

/* ---- rows from records, shared with `himoya demo` ------------------------ */

/* The codes of a JSON list between spaces: " TJ-DU TJ-SU " (" " when
 * none), so that LIKE '% CODE %' finds one. */
static const char *codes_spaced(arena *a, json_t *list)
{
	size_t i, len = 2, used = 1;
	json_t *v;
	char *out;

	json_array_foreach(list, i, v)
		len += json_string_length(v) + 1;
	out = arena_alloc(a, len + 1);
	if (!out)
		return NULL;
	out[0] = ' ';
	json_array_foreach(list, i, v) {
		size_t n = json_string_length(v);
		if (!json_is_string(v))
			continue;
		memcpy(out + used, json_string_value(v), n);
		used += n;
		out[used++] = ' ';
	}
	out[used] = '\0';
	return out;
}

int api_dir_service_fill(arena *a, const keyring *kr, json_t *rec, struct dir_service_row *row)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	const char *status = json_string_value(json_object_get(rec, "status"));
	const char *name = json_string_value(json_object_get(rec, "name"));
	const unsigned char *sealed;
	size_t sealed_len;

	if (!type || !name)
		return -1;
	if (!status) {
		status = "active";
		json_object_set_new(rec, "status", json_string(status));
	}
	snprintf(row->type, sizeof row->type, "%s", type);
	snprintf(row->status, sizeof row->status, "%s", status);
	row->name = arena_strdup(a, name);
	row->regions = codes_spaced(a, json_object_get(rec, "regions_served"));
	row->languages = codes_spaced(a, json_object_get(rec, "languages"));
	if (!row->name || !row->regions || !row->languages)
		return -1;
	/* Every field of a service is coded: nothing is sealed. */
	if (record_seal(kr, a, &directory_service_schema, rec, row->id, &row->coded, &sealed,
			&sealed_len))
		return -1;
	return sealed ? -1 : 0;
}

int api_dir_location_fill(arena *a, const keyring *kr, json_t *rec, struct dir_location_row *row)
{
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	const char *region = json_string_value(json_object_get(rec, "region"));

	if (!kind)
		return -1;
	snprintf(row->kind, sizeof row->kind, "%s", kind);
	snprintf(row->region, sizeof row->region, "%s", region ? region : "");
	return record_seal(kr, a, &directory_location_schema, rec, row->id, &row->coded,
			   &row->sealed, &row->sealed_len);
}

size_t api_dir_service_keys(arena *a, const char *name, const char *org_name, const char **keys,
			    size_t max)
{
	const char *texts[2] = {name, org_name};
	size_t t, j, n = 0;

	for (t = 0; t < 2; t++) {
		char w[NAMEKEY_WORDS][NAMEKEY_MAX];
		size_t nw = namekey_words(texts[t], w, NAMEKEY_WORDS);
		for (j = 0; j < nw; j++) {
			size_t len = strlen(w[j]), p;
			/* The word whole, and its beginnings ("Pan" finds Panoh). */
			for (p = len < NAME_PREFIX_MIN ? len : NAME_PREFIX_MIN; p <= len && n < max; p++) {
				keys[n] = arena_strndup(a, w[j], p);
				if (!keys[n])
					return n;
				n++;
			}
		}
	}
	return n;
}

/* ---- writing ------------------------------------------------------------- */

static const char *code_label_en(const struct codelist *cl, const char *code)
{
	size_t i;
	for (i = 0; i < cl->n; i++)
		if (!strcmp(cl->codes[i], code))
			return cl->labels[i].en;
	return code;
}

static void kstr_opt(jsonw *w, const char *key, json_t *rec, const char *field)
{
	const char *v = json_string_value(json_object_get(rec, field));
	if (v)
		jw_kstr(w, key, v);
}

static int location_confidential(const struct dir_service_row *s, const struct dir_location_row *l)
{
	return !strcmp(s->type, "shelter") || !strcmp(l->kind, "redacted");
}

static int location_address_shown(struct req *r, const struct dir_service_row *s,
				  const struct dir_location_row *l)
{
	/* The location's own organisation, set when it was made and moved only
	 * with its service by an accepted transfer, decides with it. */
	return !location_confidential(s, l) ||
	       (!strcmp(s->org_id, r->who.user.org.id) && !strcmp(l->org_id, r->who.user.org.id));
}

/* One location as HSDS has it, redacted for whoever may not see it. */
static void write_location(struct req *r, jsonw *w, const struct dir_service_row *s,
			   const struct dir_location_row *l, int with_service)
{
	int shown = location_address_shown(r, s, l), conf = location_confidential(s, l);
	json_t *rec = shown ? record_open(&r->app->kr, &r->mem, l->coded, l->sealed, l->sealed_len,
					  l->id)
			    : json_loads(l->coded, 0, NULL);
	const char *address = NULL, *city = NULL;

	if (!rec) { /* cannot happen with this key; show nothing rather than fail */
		rec = json_object();
		shown = 0;
	}
	jw_object(w);
	jw_kstr(w, "id", l->id);
	jw_kint(w, "version", l->version);
	if (with_service)
		jw_kstr(w, "service_id", s->id);
	jw_kstr(w, "organization_id", s->org.code);
	jw_kstr(w, "location_type", shown ? l->kind : "redacted");
	if (shown)
		kstr_opt(w, "name", rec, "name");
	if (l->region[0])
		jw_kstr(w, "region", l->region);
	city = json_string_value(json_object_get(rec, "city"));
	if (city)
		jw_kstr(w, "city", city);
	if (shown && conf)
		jw_kbool(w, "confidential", 1);
	if (shown)
		address = json_string_value(json_object_get(rec, "address"));
	if (address) {
		jw_kstr(w, "address", address);
		jw_key(w, "addresses");
		jw_array(w);
		jw_object(w);
		jw_kstr(w, "address_1", address);
		if (city)
			jw_kstr(w, "city", city);
		if (l->region[0])
			jw_kstr(w, "state_province", l->region);
		jw_kstr(w, "country", "TJ");
		jw_kstr(w, "address_type", !strcmp(l->kind, "postal") ? "postal" : "physical");
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
	if (address && conf) {
		char record[96];
		snprintf(record, sizeof record, "directory/locations/%s", l->id);
		api_disclose(r, record, "address");
	}
	json_decref(rec);
}

/* One service in HSDS shape (with Himoya's service_type, regions_served,
 * capacity and hours beside it); its locations when asked. */
static void write_service(struct req *r, jsonw *w, const struct dir_service_row *s, json_t *rec,
			  int with_locations)
{
	json_t *list, *v, *avail, *max;
	long free_beds, occupied;
	const char *hours = json_string_value(json_object_get(rec, "hours"));
	const char *phone = json_string_value(json_object_get(rec, "phone"));
	size_t i;

	jw_object(w);
	jw_kstr(w, "id", s->id);
	jw_kint(w, "version", s->version);
	kstr_opt(w, "name", rec, "name");
	kstr_opt(w, "description", rec, "description");
	jw_kstr(w, "status", s->status);
	jw_kstr(w, "service_type", s->type);
	jw_kstr(w, "organization_id", s->org.code);
	jw_key(w, "organization");
	jw_object(w);
	jw_kstr(w, "id", s->org.code);
	jw_kstr(w, "code", s->org.code); /* what POST /referrals takes as to_org */
	jw_kstr(w, "name", s->org.name);
	jw_kstr(w, "type", s->org.type);
	jw_end(w);
	if (s->transfer_to[0] &&
	    (!strcmp(s->org_id, r->who.user.org.id) || dir_any(r))) {
		struct org to;
		if (store_org_by_id(r->app->st, s->transfer_to, &to) == STORE_OK)
			jw_kstr(w, "transfer_to", to.code);
	}
	kstr_opt(w, "eligibility_description", rec, "eligibility");
	kstr_opt(w, "url", rec, "url");
	kstr_opt(w, "email", rec, "email");

	jw_key(w, "languages");
	jw_array(w);
	list = json_object_get(rec, "languages");
	json_array_foreach(list, i, v) {
		jw_object(w);
		jw_kstr(w, "code", json_string_value(v));
		jw_kstr(w, "name", code_label_en(&cl_languages, json_string_value(v)));
		jw_end(w);
	}
	jw_end(w);

	list = json_object_get(rec, "regions_served");
	jw_key(w, "regions_served");
	jw_array(w);
	json_array_foreach(list, i, v)
		jw_str(w, json_string_value(v));
	jw_end(w);
	jw_key(w, "service_areas");
	jw_array(w);
	json_array_foreach(list, i, v) {
		jw_object(w);
		jw_kstr(w, "name", code_label_en(&cl_tj_regions_iso3166_2, json_string_value(v)));
		jw_kstr(w, "extent", json_string_value(v));
		jw_kstr(w, "extent_type", "text");
		jw_end(w);
	}
	jw_end(w);
	/* Who it takes: HSDS 3's minimum_age and maximum_age, Himoya's
	 * genders_served (checked at a shelter's admission, api/stays.c). */
	if ((list = json_object_get(rec, "genders_served"))) {
		jw_key(w, "genders_served");
		jw_array(w);
		json_array_foreach(list, i, v)
			jw_str(w, json_string_value(v));
		jw_end(w);
	}
	if (json_is_integer(v = json_object_get(rec, "minimum_age")))
		jw_kint(w, "minimum_age", json_integer_value(v));
	if (json_is_integer(v = json_object_get(rec, "maximum_age")))
		jw_kint(w, "maximum_age", json_integer_value(v));

	avail = json_object_get(rec, "capacity_available");
	max = json_object_get(rec, "capacity_max");
	/* A shelter's free beds come from its open stays (api/stays.c). */
	free_beds = api_shelter_free_beds(r, s, &occupied);
	jw_key(w, "capacity");
	if (avail || max) {
		jw_object(w);
		jw_key(w, "available");
		if (free_beds >= 0)
			jw_int(w, free_beds);
		else if (avail)
			jw_int(w, json_integer_value(avail));
		else
			jw_null(w);
		if (free_beds >= 0)
			jw_kint(w, "occupied", occupied);
		jw_key(w, "maximum");
		if (max)
			jw_int(w, json_integer_value(max));
		else
			jw_null(w);
		jw_kstr(w, "unit", !strcmp(s->type, "shelter") ? "beds" : "places");
		jw_end(w);
	} else {
		jw_null(w);
	}

	if (hours)
		jw_kstr(w, "hours", hours);
	jw_key(w, "schedules");
	jw_array(w);
	if (hours) {
		jw_object(w);
		jw_kstr(w, "description", hours);
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "phones");
	jw_array(w);
	if (phone) {
		jw_object(w);
		jw_kstr(w, "number", phone);
		jw_end(w);
	}
	jw_end(w);

	if (with_locations) {
		struct dir_location_row *locs = NULL;
		size_t n = 0;
		jw_key(w, "locations");
		jw_array(w);
		if (store_dir_locations_of(r->app->st, s->id, &locs, &n, &r->mem) == STORE_OK)
			for (i = 0; i < n; i++)
				write_location(r, w, s, &locs[i], 0);
		jw_end(w);
	}
	jw_kstr(w, "created_at", s->created_at);
	jw_kstr(w, "updated_at", s->updated_at);
	jw_kstr(w, "last_modified", s->updated_at);
	jw_end(w);
}

static json_t *service_record(const struct dir_service_row *s)
{
	return json_loads(s->coded, 0, NULL);
}

static int reply_service(struct req *r, int status, const struct dir_service_row *s)
{
	json_t *rec = service_record(s);
	jsonw w;

	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be read");
	reply_json_begin(r, status, &w);
	write_service(r, &w, s, rec, 1);
	jw_finish(&w);
	json_decref(rec);
	api_set_etag(r, s->version);
	return status;
}

/* ---- checks -------------------------------------------------------------- */

/* A directory id: 1..63 of letters, digits, '-', '_', '.', starting with
 * a letter or digit (ours, and the UUIDs of other HSDS systems). */
static int dir_id_ok(const char *s)
{
	size_t i;
	if (!s || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
		    (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return i < DIR_ID_LEN;
}

/* An organisation code as `himoya org add` takes it: 2-64 letters,
 * digits, '.', '_', '-'. */
static int org_code_ok(const char *s)
{
	size_t i;
	if (!s)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return i >= 2 && i <= 64;
}

/* What the field declarations cannot say: capacity within its maximum, an
 * e-mail address that looks like one, a web address. */
static const char *service_rules(json_t *rec)
{
	json_t *avail = json_object_get(rec, "capacity_available");
	json_t *max = json_object_get(rec, "capacity_max");
	const char *email = json_string_value(json_object_get(rec, "email"));
	const char *url = json_string_value(json_object_get(rec, "url"));
	const char *type = json_string_value(json_object_get(rec, "type"));

	json_t *amin = json_object_get(rec, "minimum_age");
	json_t *amax = json_object_get(rec, "maximum_age");

	if (avail && max && json_integer_value(avail) > json_integer_value(max))
		return "capacity_available: is more than capacity_max";
	if (amin && amax && json_integer_value(amin) > json_integer_value(amax))
		return "minimum_age: is more than maximum_age";
	if (avail && type && !strcmp(type, "shelter"))
		return "capacity_available: a shelter's free beds come from its stays "
		       "(POST .../stays), not from an edit";
	if (email && (!strchr(email, '@') || strchr(email, ' ') || email[0] == '@' ||
		      !strchr(strchr(email, '@'), '.')))
		return "email: is not an e-mail address";
	if (url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return "url: must start with https:// or http://";
	return NULL;
}


/* 1 when a service has a location whose address is hidden only because
 * the service is a shelter: changing its type would publish it. */
static int shelter_address_at_stake(struct req *r, const struct dir_service_row *s)
{
	struct dir_location_row *locs;
	size_t n = 0, i;

	if (strcmp(s->type, "shelter"))
		return 0;
	if (store_dir_locations_of(r->app->st, s->id, &locs, &n, &r->mem) != STORE_OK)
		return 1;
	for (i = 0; i < n; i++)
		if (locs[i].sealed_len && strcmp(locs[i].kind, "redacted"))
			return 1;
	return 0;
}

#define SHELTER_TYPE_KEPT \
	"type: the shelter's addresses would become public; store its locations as " \
	"\"redacted\" first"

enum edit_right { EDIT_NONE, EDIT_CAPACITY, EDIT_OWN, EDIT_ANY };

static enum edit_right edit_right(struct req *r, const struct dir_service_row *s)
{
	if (dir_any(r))
		return EDIT_ANY;
	if (strcmp(s->org_id, r->who.user.org.id))
		return EDIT_NONE;
	if (!strcmp(r->who.user.role, "supervisor") || api_role_in(r, dir_admins))
		return EDIT_OWN;
	if (!strcmp(r->who.user.role, "caseworker"))
		return EDIT_CAPACITY;
	return EDIT_NONE;
}

/* Seal rec into row and compute its search keys; 0 or -1 (memory). */
static int service_prepare(struct req *r, json_t *rec, struct dir_service_row *row,
			   const char **keys, size_t *nkeys)
{
	if (api_dir_service_fill(&r->mem, &r->app->kr, rec, row))
		return -1;
	*nkeys = api_dir_service_keys(&r->mem, row->name, row->org.name, keys, SERVICE_KEYS_MAX);
	return 0;
}

/* ---- the list ------------------------------------------------------------ */

static int parse_uint_arg(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;
	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The kinds of service that a search word names ("приют": shelter), as
 * codes between spaces for the store's filter, or NULL for none. */
static const char *kinds_named(struct req *r, const char *key)
{
	const char *types[32];
	size_t n = dirterms_types(key, types, sizeof types / sizeof *types), i;
	buf b;
	const char *out;

	if (!n)
		return NULL;
	buf_init(&b, 4096);
	buf_puts(&b, " ");
	for (i = 0; i < n; i++) {
		buf_puts(&b, types[i]);
		buf_puts(&b, " ");
	}
	out = buf_ok(&b) ? arena_strndup(&r->mem, b.data, b.len) : NULL;
	buf_free(&b);
	return out;
}

int api_dir_services_list(struct req *r)
{
	const char *search = req_query(r, "search"), *org = req_query(r, "org");
	const char *page_s = req_query(r, "page"), *cursor = req_query(r, "cursor");
	const char *per_s = req_query(r, "per_page");
	char words[DIR_QUERY_KEYS][NAMEKEY_MAX];
	unsigned long page = 1, per_page = HSDS_PAGE_DEFAULT, total_pages;
	struct dir_service_row *rows = NULL;
	struct dir_filter f;
	struct org o;
	int64_t total = 0;
	size_t n = 0, i;
	int none = 0;
	buf items;
	jsonw w, iw;

	memset(&f, 0, sizeof f);
	/* Each has an alias (HSDS's name, the other lists'); both given, one
	 * would be dropped: an outside review's two questions got one answer. */
	if (search && req_query(r, "q"))
		return reply_problem(r, 422, "invalid-value", "q: the same as search: give one");
	if (org && req_query(r, "organization_id"))
		return reply_problem(r, 422, "invalid-value", "organization_id: the same as org: give one");
	if (page_s && cursor)
		return reply_problem(r, 422, "invalid-value", "cursor: the same as page: give one");
	if (!search)
		search = req_query(r, "q");
	if (!org)
		org = req_query(r, "organization_id");
	if (cursor && *cursor)
		page_s = cursor; /* the cursor of this list is the next page's number */
	if (page_s && parse_uint_arg(page_s, 1, PAGE_NUMBER_MAX, &page))
		return reply_problemf(r, 422, "invalid-value", "page: a number from 1 to %d",
				      PAGE_NUMBER_MAX);
	if (per_s && parse_uint_arg(per_s, 1, HSDS_PAGE_MAX, &per_page))
		return reply_problemf(r, 422, "invalid-value", "per_page: a number from 1 to %d",
				      HSDS_PAGE_MAX);
	if (api_query_code(r, "type", &cl_assistance_service_types, &f.type) ||
	    api_query_code(r, "region", &cl_tj_regions_iso3166_2, &f.region) ||
	    api_query_code(r, "language", &cl_languages, &f.language) ||
	    api_query_code(r, "status", &cl_hsds_service_status, &f.status))
		return r->status;
	if (org && *org) {
		if (store_org_by_code(r->app->st, org, &o) == STORE_OK)
			f.org_id = o.id;
		else
			none = 1; /* no such organisation: no services */
	}
	if (search && *search) {
		size_t nw, k;
		if (strlen(search) > SEARCH_MAX)
			return reply_problem(r, 422, "invalid-value", "search: is too long");
		nw = namekey_words(search, words, DIR_QUERY_KEYS);
		for (k = 0; k < nw; k++) {
			f.kinds[f.nkeys] = kinds_named(r, words[k]);
			f.keys[f.nkeys++] = words[k];
		}
		if (!nw)
			none = 1; /* nothing searchable in it: nothing found */
	}
	f.limit = per_page;
	f.offset = (page - 1) * per_page;
	if (!none && store_dir_service_list(r->app->st, &f, &rows, &n, &total, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);

	/* The page once, written out twice: as Himoya's items and HSDS's
	 * contents. */
	buf_init(&items, 64u << 20);
	jw_init(&iw, &items);
	jw_array(&iw);
	for (i = 0; i < n; i++) {
		json_t *rec = service_record(&rows[i]);
		if (!rec)
			continue;
		write_service(r, &iw, &rows[i], rec, 1);
		json_decref(rec);
	}
	jw_finish(&iw);
	if (!buf_ok(&items)) {
		buf_free(&items);
		return reply_problem(r, 500, "internal", "the page is too large");
	}
	total_pages = (unsigned long)((total + (int64_t)per_page - 1) / (int64_t)per_page);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_raw(&w, items.data, items.len);
	jw_key(&w, "next");
	if (page < total_pages) {
		char next[24];
		snprintf(next, sizeof next, "%lu", page + 1);
		jw_str(&w, next);
	} else {
		jw_null(&w);
	}
	jw_kint(&w, "total_items", total);
	jw_kint(&w, "total_pages", (int64_t)total_pages);
	jw_kint(&w, "page_number", (int64_t)page);
	jw_kint(&w, "size", (int64_t)n);
	jw_kint(&w, "per_page", (int64_t)per_page);
	jw_kbool(&w, "first_page", page == 1);
	jw_kbool(&w, "last_page", page >= total_pages);
	jw_kbool(&w, "empty", total == 0);
	jw_key(&w, "contents");
	jw_raw(&w, items.data, items.len);
	jw_finish(&w);
	buf_free(&items);
	return 200;
}

/* ---- one service --------------------------------------------------------- */

static int service_load(struct req *r, const char *id, struct dir_service_row *s)
{
	int rc;
	if (!dir_id_ok(id))
		return api_store_error(r, STORE_NOT_FOUND);
	rc = store_dir_service_get(r->app->st, id, s, &r->mem);
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	return 0;
}

int api_dir_service_get(struct req *r)
{
	struct dir_service_row s;
	if (service_load(r, r->params[0], &s))
		return r->status;
	return reply_service(r, 200, &s);
}

int api_dir_services_create(struct req *r)
{
	struct dir_service_row s;
	struct record_error e;
	const char **keys, *org, *why;
	char record[96], fields[512];
	json_t *body, *rec;
	size_t nkeys = 0;
	store_tx *tx;
	int rc;

	if (!api_role_in(r, dir_creators))
		return reply_problem(r, 403, "forbidden", "your role cannot add directory services");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&directory_service_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	org = json_string_value(json_object_get(body, "org"));
	memset(&s, 0, sizeof s);
	if (!dir_any(r)) {
		if (org && strcmp(org, r->who.user.org.code))
			return reply_problem(r, 403, "forbidden",
					     "org: services of another organisation are added by an "
					     "administrator of the installation's own organisation");
		org = NULL;
	}
	if (org) {
		if (store_org_by_code(r->app->st, org, &s.org) != STORE_OK)
			return reply_problem(r, 422, "invalid-value", "org: no such organisation");
	} else {
		s.org = r->who.user.org;
	}
	rec = json_deep_copy(body);
	if (!rec || req_own_json(r, rec))
		return reply_problem(r, 500, "internal", "out of memory");
	json_object_set_new(rec, "org", json_string(s.org.code));
	if ((why = service_rules(rec)))
		return reply_problem(r, 422, "invalid-value", why);
	store_new_id(s.id);
	snprintf(s.org_id, sizeof s.org_id, "%s", s.org.id);
	s.version = 1;
	store_now(s.created_at);
	memcpy(s.updated_at, s.created_at, TS_LEN);
	keys = arena_alloc(&r->mem, SERVICE_KEYS_MAX * sizeof *keys);
	if (!keys || service_prepare(r, rec, &s, keys, &nkeys))
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "directory/services/%s", s.id);
	api_member_names(rec, fields, sizeof fields);

	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_dir_service_insert(tx, &s);
	if (rc == STORE_OK)
		rc = store_dir_service_keys_set(tx, s.id, keys, nkeys);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_set_location(r, "directory/services", s.id);
	return reply_service(r, 201, &s);
}

int api_dir_service_patch(struct req *r)
{
	struct dir_service_row s;
	struct record_error e;
	enum edit_right right;
	const char **keys, *key, *org, *why;
	char record[96], fields[512];
	json_t *body, *rec, *v;
	size_t nkeys = 0;
	int64_t want;
	store_tx *tx;
	int rc;

	if (service_load(r, r->params[0], &s))
		return r->status;
	right = edit_right(r, &s);
	if (right == EDIT_NONE)
		return reply_problem(r, 403, "forbidden",
				     "only the organisation that runs a service changes it");
	if (api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&directory_service_schema, body, RECORD_PATCH, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (right == EDIT_CAPACITY)
		json_object_foreach(body, key, v)
			if (strcmp(key, "capacity_available") && strcmp(key, "capacity_max"))
				return reply_problemf(r, 403, "forbidden",
						      "%s: a case worker updates the capacity only",
						      key);
	/* Who reads a shelter's address follows the service's organisation:
	 * an edit never moves it (a transfer the owner accepts does). */
	if ((v = json_object_get(body, "org"))) {
		org = json_string_value(v);
		if (!org)
			return reply_problem(r, 422, "invalid-value", "org: a service keeps an organisation");
		if (strcmp(org, s.org.code))
			return reply_problem(r, 409, "transfer-required",
					     "org: a service moves to another organisation by a "
					     "transfer that its organisation accepts "
					     "(POST .../transfer)");
	}
	if (json_is_null(json_object_get(body, "status")))
		return reply_problem(r, 422, "invalid-value", "status: cannot be removed");
	if (want != s.version)
		return api_store_error(r, STORE_STALE);
	if ((v = json_object_get(body, "type")) && strcmp(json_string_value(v), s.type) &&
	    shelter_address_at_stake(r, &s))
		return reply_problem(r, 409, "conflict", SHELTER_TYPE_KEPT);
	rec = service_record(&s);
	if (!rec || req_own_json(r, rec))
		return reply_problem(r, 500, "internal", "the record cannot be read");
	record_patch(rec, body);
	json_object_set_new(rec, "org", json_string(s.org.code));
	if ((why = service_rules(rec)))
		return reply_problem(r, 422, "invalid-value", why);
	s.version = want + 1;
	store_now(s.updated_at);
	keys = arena_alloc(&r->mem, SERVICE_KEYS_MAX * sizeof *keys);
	if (!keys || service_prepare(r, rec, &s, keys, &nkeys))
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "directory/services/%s", s.id);
	api_member_names(body, fields, sizeof fields);

	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_dir_service_update(tx, &s);
	if (rc == STORE_OK)
		rc = store_dir_service_keys_set(tx, s.id, keys, nkeys);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	return reply_service(r, 200, &s);
}

/* ---- transfers: a service changes organisation ------------------------ */

/* Who owns the service may act on its transfers: a supervisor or an
 * administrator of the owning organisation. */
static int owner_manager(struct req *r, const struct dir_service_row *s)
{
	return !strcmp(s->org_id, r->who.user.org.id) &&
	       (!strcmp(r->who.user.role, "supervisor") || api_role_in(r, dir_admins));
}

static int transfer_reply(struct req *r, store_tx *tx, int rc, const char *action,
			  const char *fields, const char *id)
{
	struct dir_service_row s;
	char record[96];

	snprintf(record, sizeof record, "directory/services/%s", id);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, action, record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	if (store_dir_service_get(r->app->st, id, &s, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_NOT_FOUND);
	return reply_service(r, 200, &s);
}

/* POST /directory/services/{id}/transfer {"to_org"}: offer the service to
 * another organisation.  An administrator or the owner's supervisor may
 * offer; the service moves only when its organisation accepts. */
int api_dir_service_transfer(struct req *r)
{
	struct dir_service_row s;
	struct org to;
	const char *code;
	char now[TS_LEN];
	json_t *body;
	int64_t want;

	if (service_load(r, r->params[0], &s))
		return r->status;
	if (!dir_any(r) && !owner_manager(r, &s))
		return reply_problem(r, 403, "forbidden",
				     "an administrator or the service's supervisor offers a transfer");
	if (api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	code = json_string_value(json_object_get(body, "to_org"));
	if (json_object_size(body) != 1 || !code)
		return reply_problem(r, 422, "invalid-value", "to_org: the organisation's code, alone");
	if (store_org_by_code(r->app->st, code, &to) != STORE_OK)
		return reply_problem(r, 422, "invalid-value", "to_org: no such organisation");
	if (!strcmp(to.id, s.org_id))
		return reply_problem(r, 422, "invalid-value", "to_org: the service is theirs already");
	if (want != s.version)
		return api_store_error(r, STORE_STALE);
	store_now(now);
	{
		store_tx *tx = store_begin(r->app->st);
		int rc = tx ? store_dir_service_transfer(tx, s.id, s.version, to.id, now) : STORE_ERROR;
		return transfer_reply(r, tx, rc, "transfer-offer", "transfer_to", s.id);
	}
}

/* POST /directory/services/{id}/transfer/accept and /cancel: the owning
 * organisation gives the service away, or the offer is withdrawn (by the
 * owner or an administrator). */
static int transfer_answer(struct req *r, int accept)
{
	struct dir_service_row s;
	char now[TS_LEN];
	store_tx *tx;
	int rc;

	if (service_load(r, r->params[0], &s))
		return r->status;
	if (accept ? !owner_manager(r, &s) : !owner_manager(r, &s) && !dir_any(r))
		return reply_problem(r, 403, "forbidden",
				     "only the organisation that runs the service gives it away");
	if (r->body.len && !req_json_object(r))
		return r->status;
	if (r->body_json && json_object_size(r->body_json))
		return reply_problem(r, 422, "unknown-field", "this action takes no fields");
	if (!s.transfer_to[0])
		return reply_problem(r, 409, "no-transfer", "no transfer of this service is waiting");
	store_now(now);
	tx = store_begin(r->app->st);
	rc = !tx ? STORE_ERROR
	     : accept ? store_dir_service_move(tx, s.id, s.version, now)
		      : store_dir_service_transfer(tx, s.id, s.version, NULL, now);
	return transfer_reply(r, tx, rc, accept ? "transfer-accept" : "transfer-cancel", "org",
			      s.id);
}

int api_dir_service_transfer_accept(struct req *r) { return transfer_answer(r, 1); }
int api_dir_service_transfer_cancel(struct req *r) { return transfer_answer(r, 0); }

int api_dir_locations_create(struct req *r)
{
	struct dir_service_row s;
	struct dir_location_row l;
	struct record_error e;
	enum edit_right right;
	char record[96], fields[256];
	json_t *body, *rec;
	store_tx *tx;
	int rc;
	jsonw w;

	if (service_load(r, r->params[0], &s))
		return r->status;
	right = edit_right(r, &s);
	if (right != EDIT_ANY && right != EDIT_OWN)
		return reply_problem(r, 403, "forbidden",
				     "only the organisation that runs a service adds its locations");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&directory_location_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	rec = json_deep_copy(body);
	if (!rec || req_own_json(r, rec))
		return reply_problem(r, 500, "internal", "out of memory");
	memset(&l, 0, sizeof l);
	store_new_id(l.id);
	snprintf(l.service_id, sizeof l.service_id, "%s", s.id);
	snprintf(l.org_id, sizeof l.org_id, "%s", s.org_id);
	l.version = 1;
	store_now(l.created_at);
	memcpy(l.updated_at, l.created_at, TS_LEN);
	if (api_dir_location_fill(&r->mem, &r->app->kr, rec, &l))
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "directory/locations/%s", l.id);
	api_member_names(body, fields, sizeof fields);

	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_dir_location_insert(tx, &l);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, 201, &w);
	write_location(r, &w, &s, &l, 1);
	jw_finish(&w);
	api_set_etag(r, l.version);
	api_set_location(r, "directory/locations", l.id);
	return 201;
}

/* GET /directory/locations/{id}: one location as its service lists it,
 * with the service's id, to every role (the directory is read by all);
 * a confidential address only to the organisation that runs it. */
int api_dir_location_get(struct req *r)
{
	struct dir_service_row s;
	struct dir_location_row l;
	jsonw w;
	int rc;

	if (!dir_id_ok(r->params[0]))
		return api_store_error(r, STORE_NOT_FOUND);
	rc = store_dir_location_get(r->app->st, r->params[0], &l, &r->mem);
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (service_load(r, l.service_id, &s))
		return r->status;
	reply_json_begin(r, 200, &w);
	write_location(r, &w, &s, &l, 1);
	jw_finish(&w);
	api_set_etag(r, l.version);
	return 200;
}

/* ---- export -------------------------------------------------------------- */

static int service_cmp(const void *a, const void *b)
{
	const struct dir_service_row *x = *(const struct dir_service_row *const *)a;
	const struct dir_service_row *y = *(const struct dir_service_row *const *)b;
	return strcmp(x->id, y->id);
}

static const struct dir_service_row *service_find(const struct dir_service_row **by_id,
						  size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(by_id[mid]->id, id);
		if (!c)
			return by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* GET /directory/export: the whole directory as one HSDS-JSON document,
 * with the same redaction as every other read. */
int api_dir_export(struct req *r)
{
	struct dir_service_row *svc = NULL;
	const struct dir_service_row **by_id;
	struct dir_location_row *locs = NULL;
	struct org *orgs = NULL;
	struct dir_filter f;
	size_t nsvc = 0, nloc = 0, norg = 0, i;
	int64_t total = 0;
	jsonw w;

	if (!api_role_in(r, dir_exporters))
		return reply_problem(r, 403, "forbidden", "your role cannot export the directory");
	memset(&f, 0, sizeof f);
	f.limit = EXPORT_SERVICES_MAX;
	if (store_dir_orgs(r->app->st, EXPORT_ORGS_MAX, &orgs, &norg, &r->mem) != STORE_OK ||
	    store_dir_service_list(r->app->st, &f, &svc, &nsvc, &total, &r->mem) != STORE_OK ||
	    store_dir_locations_all(r->app->st, EXPORT_LOCATIONS_MAX, &locs, &nloc, &r->mem) !=
		    STORE_OK)
		return api_store_error(r, STORE_ERROR);
	by_id = arena_alloc(&r->mem, (nsvc ? nsvc : 1) * sizeof *by_id);
	if (!by_id)
		return reply_problem(r, 500, "internal", "out of memory");
	for (i = 0; i < nsvc; i++)
		by_id[i] = &svc[i];
	qsort(by_id, nsvc, sizeof *by_id, service_cmp);

	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "organizations");
	jw_array(&w);
	for (i = 0; i < norg; i++) {
		jw_object(&w);
		jw_kstr(&w, "id", orgs[i].code);
		jw_kstr(&w, "name", orgs[i].name);
		jw_kstr(&w, "type", orgs[i].type);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "services");
	jw_array(&w);
	for (i = 0; i < nsvc; i++) {
		json_t *rec = service_record(&svc[i]);
		if (!rec)
			continue;
		write_service(r, &w, &svc[i], rec, 0);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "locations");
	jw_array(&w);
	for (i = 0; i < nloc; i++) {
		const struct dir_service_row *s = service_find(by_id, nsvc, locs[i].service_id);
		if (s)
			write_location(r, &w, s, &locs[i], 0);
	}
	jw_end(&w);
	jw_key(&w, "service_at_locations");
	jw_array(&w);
	for (i = 0; i < nloc; i++) {
		char id[2 * DIR_ID_LEN + 2];
		if (!service_find(by_id, nsvc, locs[i].service_id))
			continue;
		snprintf(id, sizeof id, "%s.%s", locs[i].service_id, locs[i].id);
		jw_object(&w);
		jw_kstr(&w, "id", id);
		jw_kstr(&w, "service_id", locs[i].service_id);
		jw_kstr(&w, "location_id", locs[i].id);
		jw_end(&w);
	}
	jw_end(&w);
	jw_finish(&w);
	if (!buf_ok(&r->out))
		return reply_problem(r, 500, "internal", "the directory is too large to export");
	api_audit_read(r, "directory/export", NULL);
	return 200;
}

/* ---- import -------------------------------------------------------------- */

/*
 * POST /directory/import takes the document the export writes (and the
 * core of any HSDS-JSON document): organizations, services, locations and
 * service_at_locations.  Members of HSDS that Himoya does not keep
 * (taxonomies, funding, ...) are ignored; every member it keeps is checked
 * as a request would be.  The first bad item answers 422 naming its
 * collection and index, and nothing is stored; otherwise everything goes
 * in one transaction: unknown organisations are made (type from org_type,
 * else NGO), services and locations are made or replaced by id.
 *
 * A location that arrives "redacted" carries no address: when one with
 * its id exists it is left as it is (a redaction is a view of the data,
 * not a change of it), so that importing one's own export loses nothing.
 */

struct import_org {
	const char *code, *name, *type;
};

struct import_service {
	const char *id, *org;
	json_t *rec;
};

struct import_location {
	const char *id, *service;
	json_t *rec;
	int redacted;
};

struct import_doc {
	struct import_org *orgs;
	struct import_service *svcs;
	struct import_location *locs;
	size_t norgs, nsvcs, nlocs;
};

static void import_doc_free(struct import_doc *d)
{
	size_t i;
	for (i = 0; i < d->nsvcs; i++)
		json_decref(d->svcs[i].rec);
	for (i = 0; i < d->nlocs; i++)
		json_decref(d->locs[i].rec);
}

/* A 422 naming the bad item: {"collection":"services","index":3,...}. */
static int import_problem(struct req *r, const char *collection, size_t index, const char *detail)
{
	char text[400];
	jsonw w;

	snprintf(text, sizeof text, "%s[%zu]: %s", collection, index, detail);
	reply_json_begin(r, 422, &w);
	r->content_type = "application/problem+json";
	jw_object(&w);
	jw_kstr(&w, "type", "invalid-value");
	jw_kstr(&w, "title", "Unprocessable Content");
	jw_kint(&w, "status", 422);
	jw_kstr(&w, "detail", text);
	jw_kstr(&w, "collection", collection);
	jw_kint(&w, "index", (int64_t)index);
	jw_finish(&w);
	return 422;
}

/* Copy src's member `from` to dst's `to` when present. */
static void take(json_t *dst, const char *to, json_t *src, const char *from)
{
	json_t *v = json_object_get(src, from);
	if (v && !json_is_null(v))
		json_object_set(dst, to, v);
}

/* A list of codes from strings or objects with "code" (or "extent"). */
static json_t *codes_of(json_t *list, const char *member)
{
	json_t *out = json_array(), *v;
	size_t i;

	json_array_foreach(list, i, v) {
		json_t *c = json_is_object(v) ? json_object_get(v, member) : v;
		json_array_append(out, c ? c : json_null());
	}
	return out;
}

/* The Himoya record of an HSDS service (new reference), or NULL. */
static json_t *service_from_hsds(json_t *svc)
{
	json_t *rec = json_object(), *v, *cap;

	if (!rec)
		return NULL;
	take(rec, "name", svc, "name");
	take(rec, "description", svc, "description");
	take(rec, "status", svc, "status");
	take(rec, "url", svc, "url");
	take(rec, "email", svc, "email");
	take(rec, "type", svc, "type");
	take(rec, "type", svc, "service_type");
	take(rec, "eligibility", svc, "eligibility");
	take(rec, "eligibility", svc, "eligibility_description");
	take(rec, "minimum_age", svc, "minimum_age");
	take(rec, "maximum_age", svc, "maximum_age");
	if ((v = json_object_get(svc, "genders_served")))
		json_object_set(rec, "genders_served", v);
	take(rec, "hours", svc, "hours");
	if (!json_object_get(rec, "hours") &&
	    (v = json_array_get(json_object_get(svc, "schedules"), 0)))
		take(rec, "hours", v, "description");
	take(rec, "phone", svc, "phone");
	if (!json_object_get(rec, "phone") && (v = json_array_get(json_object_get(svc, "phones"), 0)))
		take(rec, "phone", v, "number");
	if ((v = json_object_get(svc, "languages")) && json_is_array(v))
		json_object_set_new(rec, "languages", codes_of(v, "code"));
	else if (v)
		json_object_set(rec, "languages", v); /* refused by validation */
	if ((v = json_object_get(svc, "regions_served")))
		json_object_set(rec, "regions_served", v);
	else if ((v = json_object_get(svc, "service_areas")) && json_is_array(v))
		json_object_set_new(rec, "regions_served", codes_of(v, "extent"));
	take(rec, "capacity_available", svc, "capacity_available");
	take(rec, "capacity_max", svc, "capacity_max");
	if ((cap = json_object_get(svc, "capacity")) && json_is_object(cap)) {
		take(rec, "capacity_available", cap, "available");
		take(rec, "capacity_max", cap, "maximum");
	}
	/* A shelter's free beds are its stays' (api/stays.c): an import takes
	 * its beds, not a count of free ones made elsewhere. */
	v = json_object_get(rec, "type");
	if (json_is_string(v) && !strcmp(json_string_value(v), "shelter"))
		json_object_del(rec, "capacity_available");
	return rec;
}

/* The Himoya record of an HSDS location (new reference), or NULL. */
static json_t *location_from_hsds(json_t *loc)
{
	json_t *rec = json_object(), *addr;

	if (!rec)
		return NULL;
	take(rec, "kind", loc, "kind");
	take(rec, "kind", loc, "location_type");
	take(rec, "name", loc, "name");
	addr = json_array_get(json_object_get(loc, "addresses"), 0);
	if (json_is_object(addr)) {
		const char *sp = json_string_value(json_object_get(addr, "state_province"));
		take(rec, "address", addr, "address_1");
		take(rec, "city", addr, "city");
		if (sp && codelist_has(&cl_tj_regions_iso3166_2, sp))
			take(rec, "region", addr, "state_province");
	}
	take(rec, "address", loc, "address");
	take(rec, "region", loc, "region");
	take(rec, "city", loc, "city");
	return rec;
}

static const char *str_member(json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

/* The array of a collection (NULL when absent), or a problem set. */
static int collection(struct req *r, json_t *doc, const char *name, json_t **out)
{
	*out = json_object_get(doc, name);
	if (!*out)
		return 0;
	if (!json_is_array(*out))
		return reply_problemf(r, 422, "invalid-value", "%s: must be a list", name);
	if (json_array_size(*out) > IMPORT_ITEMS_MAX)
		return reply_problemf(r, 422, "invalid-value", "%s: more than %d items", name,
				      IMPORT_ITEMS_MAX);
	return 0;
}

static int org_known(struct req *r, const struct import_doc *d, const char *code)
{
	struct org o;
	size_t i;
	for (i = 0; i < d->norgs; i++)
		if (!strcmp(d->orgs[i].code, code))
			return 1;
	return store_org_by_code(r->app->st, code, &o) == STORE_OK;
}

static long service_index(const struct import_doc *d, const char *id)
{
	size_t i;
	for (i = 0; i < d->nsvcs; i++)
		if (!strcmp(d->svcs[i].id, id))
			return (long)i;
	return -1;
}

static long location_index(const struct import_doc *d, const char *id)
{
	size_t i;
	for (i = 0; i < d->nlocs; i++)
		if (!strcmp(d->locs[i].id, id))
			return (long)i;
	return -1;
}

/* Read and check the whole document into d; 0, or the problem set. */
static int import_parse(struct req *r, json_t *doc, struct import_doc *d)
{
	static const char *const members[] = {"organizations", "services", "locations",
					      "service_at_locations", NULL};
	json_t *orgs, *svcs, *locs, *links, *item;
	struct dir_service_row have;
	struct record_error e;
	const char *key, *why;
	json_t *v;
	size_t i;

	json_object_foreach(doc, key, v) {
		const char *const *m;
		for (m = members; *m && strcmp(*m, key); m++)
			;
		if (!*m)
			return reply_problemf(r, 422, "unknown-field",
					      "%.60s: is not a collection of a directory document",
					      key);
	}
	if (collection(r, doc, "organizations", &orgs) || collection(r, doc, "services", &svcs) ||
	    collection(r, doc, "locations", &locs) ||
	    collection(r, doc, "service_at_locations", &links))
		return r->status;
	d->orgs = arena_alloc(&r->mem, (json_array_size(orgs) + 1) * sizeof *d->orgs);
	d->svcs = arena_alloc(&r->mem, (json_array_size(svcs) + 1) * sizeof *d->svcs);
	d->locs = arena_alloc(&r->mem, (json_array_size(locs) + 1) * sizeof *d->locs);
	if (!d->orgs || !d->svcs || !d->locs)
		return reply_problem(r, 500, "internal", "out of memory");

	json_array_foreach(orgs, i, item) {
		struct import_org *o = &d->orgs[d->norgs];
		size_t k;
		if (!json_is_object(item))
			return import_problem(r, "organizations", i, "must be an object");
		o->code = str_member(item, "id");
		o->name = str_member(item, "name");
		o->type = str_member(item, "type");
		if (!org_code_ok(o->code))
			return import_problem(r, "organizations", i,
					      "id: an organisation code of 2-64 letters, digits, . _ -");
		if (!o->name || !*o->name || json_string_length(json_object_get(item, "name")) > 255)
			return import_problem(r, "organizations", i, "name: 1 to 255 bytes");
		if (json_object_get(item, "type") && (!o->type || !codelist_has(&cl_org_type, o->type)))
			return import_problem(r, "organizations", i,
					      "type: is not a value of org_type");
		if (!o->type)
			o->type = "NGO";
		for (k = 0; k < d->norgs; k++)
			if (!strcmp(d->orgs[k].code, o->code))
				return import_problem(r, "organizations", i, "id: appears twice");
		d->norgs++;
	}

	json_array_foreach(svcs, i, item) {
		struct import_service *s = &d->svcs[d->nsvcs];
		if (!json_is_object(item))
			return import_problem(r, "services", i, "must be an object");
		s->id = str_member(item, "id");
		if (!dir_id_ok(s->id))
			return import_problem(r, "services", i,
					      "id: 1-63 letters, digits, - _ . (a letter or digit first)");
		if (service_index(d, s->id) >= 0)
			return import_problem(r, "services", i, "id: appears twice");
		s->org = str_member(item, "organization_id");
		if (!s->org)
			s->org = str_member(json_object_get(item, "organization"), "id");
		if (!s->org)
			s->org = str_member(item, "org");
		if (!s->org || !org_known(r, d, s->org))
			return import_problem(r, "services", i,
					      "organization_id: no such organisation in the document "
					      "or in Himoya");
		s->rec = service_from_hsds(item);
		if (!s->rec)
			return reply_problem(r, 500, "internal", "out of memory");
		d->nsvcs++; /* from here on it is freed with the document */
		json_object_set_new(s->rec, "org", json_string(s->org));
		if (record_validate(&directory_service_schema, s->rec, RECORD_CREATE, &e))
			return import_problem(r, "services", i, e.detail);
		if ((why = service_rules(s->rec)))
			return import_problem(r, "services", i, why);
		if (store_dir_service_get(r->app->st, s->id, &have, &r->mem) == STORE_OK &&
		    strcmp(str_member(s->rec, "type"), have.type) && shelter_address_at_stake(r, &have))
			return import_problem(r, "services", i, SHELTER_TYPE_KEPT);
	}

	json_array_foreach(locs, i, item) {
		struct import_location *l = &d->locs[d->nlocs];
		const char *kind;
		if (!json_is_object(item))
			return import_problem(r, "locations", i, "must be an object");
		l->id = str_member(item, "id");
		if (!dir_id_ok(l->id))
			return import_problem(r, "locations", i,
					      "id: 1-63 letters, digits, - _ . (a letter or digit first)");
		if (location_index(d, l->id) >= 0)
			return import_problem(r, "locations", i, "id: appears twice");
		l->service = str_member(item, "service_id");
		l->rec = location_from_hsds(item);
		if (!l->rec)
			return reply_problem(r, 500, "internal", "out of memory");
		d->nlocs++;
		if (record_validate(&directory_location_schema, l->rec, RECORD_CREATE, &e))
			return import_problem(r, "locations", i, e.detail);
		kind = str_member(l->rec, "kind");
		l->redacted = !strcmp(kind, "redacted");
		if (l->redacted && json_object_get(l->rec, "address"))
			return import_problem(r, "locations", i,
					      "address: a redacted location has none");
	}

	json_array_foreach(links, i, item) {
		const char *sid = str_member(item, "service_id"), *lid = str_member(item, "location_id");
		long li;
		if (!json_is_object(item) || !sid || !lid)
			return import_problem(r, "service_at_locations", i,
					      "must name a service_id and a location_id");
		li = location_index(d, lid);
		if (li < 0)
			return import_problem(r, "service_at_locations", i,
					      "location_id: is not a location of the document");
		if (d->locs[li].service && strcmp(d->locs[li].service, sid))
			return import_problem(r, "service_at_locations", i,
					      "location_id: a location belongs to one service");
		d->locs[li].service = sid;
	}
	for (i = 0; i < d->nlocs; i++) {
		const char *sid = d->locs[i].service;
		if (!sid)
			return import_problem(r, "locations", i,
					      "is not linked to a service (service_at_locations)");
		if (service_index(d, sid) < 0 &&
		    (!dir_id_ok(sid) ||
		     store_dir_service_get(r->app->st, sid, &have, &r->mem) != STORE_OK))
			return import_problem(r, "locations", i,
					      "service_id: no such service in the document or in "
					      "Himoya");
	}
	return 0;
}

/* An organisation the import would add (code, and name: the code when the
 * document names a service's organisation only), checked as POST /orgs
 * checks one: added only by the installation's own organisation (an
 * outside review added a second "police" through the import as another
 * NGO's administrator), with a name it may have, and no look-alike of
 * another or of one added before it in the document. */
static int import_org_new(struct req *r, const struct import_doc *d, const char *collection,
			  size_t i, const char *code, const char *name, size_t before)
{
	struct org have;
	const char *why;
	char msg[200], *mine, *theirs, fa[65], fb[65];
	size_t k;
	int same;

	if (store_org_by_code(r->app->st, code, &have) == STORE_OK)
		return 0;
	if (!api_caller_settles_orgs(r)) {
		char text[400];
		snprintf(text, sizeof text,
			 "%s[%zu]: %s is no organisation here: organisations are added by an "
			 "administrator of the installation's own organisation",
			 collection, i, code);
		return reply_problem(r, 403, "forbidden", text);
	}
	if ((why = orgname_problem(name)))
		return import_problem(r, collection, i, why);
	if ((why = api_org_lookalike(r->app->st, code, name, NULL))) {
		if (!strcmp(why, "store"))
			return api_store_error(r, STORE_ERROR);
		snprintf(msg, sizeof msg, "%s: another organisation's differs from it only in case or "
			 "spacing: one would be taken for the other", why);
		return import_problem(r, collection, i, msg);
	}
	mine = orgname_fold(name);
	orgcode_fold(code, fa);
	for (k = 0, same = 0; k < before && !same; k++) {
		orgcode_fold(d->orgs[k].code, fb);
		theirs = orgname_fold(d->orgs[k].name);
		same = !strcmp(fa, fb) || (mine && theirs && !strcmp(mine, theirs));
		free(theirs);
	}
	free(mine);
	if (same)
		return import_problem(r, collection, i,
				      "another organisation of the document differs from it only in "
				      "case or spacing");
	return 0;
}

/* Every organisation the import would add, checked before anything is
 * written. */
static int import_orgs_check(struct req *r, const struct import_doc *d)
{
	size_t i;

	for (i = 0; i < d->norgs; i++)
		if (import_org_new(r, d, "organizations", i, d->orgs[i].code, d->orgs[i].name, i))
			return r->status;
	for (i = 0; i < d->nsvcs; i++) {
		size_t k;
		if (!dir_any(r) && strcmp(d->svcs[i].org, r->who.user.org.code)) {
			char text[400];
			snprintf(text, sizeof text,
				 "services[%zu]: organization_id: an administrator imports its own "
				 "organisation's services; another's are imported by an "
				 "administrator of the installation's own organisation", i);
			return reply_problem(r, 403, "forbidden", text);
		}
		for (k = 0; k < d->norgs && strcmp(d->orgs[k].code, d->svcs[i].org); k++)
			;
		if (k == d->norgs &&
		    import_org_new(r, d, "services", i, d->svcs[i].org, d->svcs[i].org, d->norgs))
			return r->status;
	}
	return 0;
}

struct import_counts {
	size_t orgs_created, services_created, services_updated, locations_created,
		locations_updated, locations_kept;
};

/* import_store's answer when it set the problem itself. */
#define IMPORT_REFUSED (-1000)

static int import_store(struct req *r, store_tx *tx, const struct import_doc *d,
			struct import_counts *c)
{
	char record[96], fields[512];
	size_t i;
	int rc = STORE_OK;

	for (i = 0; rc == STORE_OK && i < d->norgs; i++) {
		struct org o;
		int created;
		rc = store_dir_org_ensure(tx, d->orgs[i].code, d->orgs[i].name, d->orgs[i].type, &o,
					  &created);
		if (rc == STORE_OK && created) {
			c->orgs_created++;
			snprintf(record, sizeof record, "orgs/%s", o.id);
			rc = api_audit_write(r, tx, "create", record, "code,name,type");
		}
	}
	for (i = 0; rc == STORE_OK && i < d->nsvcs; i++) {
		const struct import_service *is = &d->svcs[i];
		struct dir_service_row s, have;
		const char **keys = arena_alloc(&r->mem, SERVICE_KEYS_MAX * sizeof *keys);
		size_t nkeys = 0;
		int created, exists;

		memset(&s, 0, sizeof s);
		if (!keys)
			return STORE_ERROR;
		rc = store_dir_org_ensure(tx, is->org, is->org, "NGO", &s.org, &created);
		if (rc != STORE_OK)
			break;
		rc = store_dir_service_get_tx(tx, is->id, &have, &r->mem);
		if (rc != STORE_OK && rc != STORE_NOT_FOUND)
			break;
		exists = rc == STORE_OK;
		/* An import never moves a service either (see the PATCH). */
		if (exists && strcmp(have.org_id, s.org.id)) {
			import_problem(r, "services", i,
				       "organization_id: the service belongs to another "
				       "organisation; it moves only by a transfer that "
				       "organisation accepts");
			return IMPORT_REFUSED;
		}
		snprintf(s.id, sizeof s.id, "%s", is->id);
		snprintf(s.org_id, sizeof s.org_id, "%s", s.org.id);
		s.version = exists ? have.version + 1 : 1;
		store_now(s.updated_at);
		memcpy(s.created_at, exists ? have.created_at : s.updated_at, TS_LEN);
		json_object_set_new(is->rec, "org", json_string(s.org.code));
		if (api_dir_service_fill(&r->mem, &r->app->kr, is->rec, &s))
			return STORE_ERROR;
		nkeys = api_dir_service_keys(&r->mem, s.name, s.org.name, keys, SERVICE_KEYS_MAX);
		rc = exists ? store_dir_service_update(tx, &s) : store_dir_service_insert(tx, &s);
		if (rc == STORE_OK)
			rc = store_dir_service_keys_set(tx, s.id, keys, nkeys);
		if (rc == STORE_OK) {
			snprintf(record, sizeof record, "directory/services/%s", s.id);
			api_member_names(is->rec, fields, sizeof fields);
			rc = api_audit_write(r, tx, exists ? "update" : "create", record, fields);
		}
		if (exists)
			c->services_updated++;
		else
			c->services_created++;
	}
	for (i = 0; rc == STORE_OK && i < d->nlocs; i++) {
		const struct import_location *il = &d->locs[i];
		struct dir_location_row l, have;
		struct dir_service_row s;
		int exists;

		rc = store_dir_location_get_tx(tx, il->id, &have, &r->mem);
		if (rc != STORE_OK && rc != STORE_NOT_FOUND)
			break;
		exists = rc == STORE_OK;
		if (exists && il->redacted) {
			c->locations_kept++;
			rc = STORE_OK;
			continue;
		}
		rc = store_dir_service_get_tx(tx, il->service, &s, &r->mem);
		if (rc != STORE_OK)
			break;
		/* A location stays with its service and organisation: it moves
		 * (and who reads its address with it) only with its service, by
		 * a transfer that organisation accepts. */
		if (exists && (strcmp(have.service_id, s.id) || strcmp(have.org_id, s.org_id))) {
			import_problem(r, "locations", i,
				       "service: the location belongs to another service; it moves "
				       "only with its service, by a transfer its organisation accepts");
			return IMPORT_REFUSED;
		}
		memset(&l, 0, sizeof l);
		snprintf(l.id, sizeof l.id, "%s", il->id);
		snprintf(l.service_id, sizeof l.service_id, "%s", s.id);
		snprintf(l.org_id, sizeof l.org_id, "%s", s.org_id);
		l.version = exists ? have.version + 1 : 1;
		store_now(l.updated_at);
		memcpy(l.created_at, exists ? have.created_at : l.updated_at, TS_LEN);
		if (api_dir_location_fill(&r->mem, &r->app->kr, il->rec, &l))
			return STORE_ERROR;
		rc = exists ? store_dir_location_update(tx, &l) : store_dir_location_insert(tx, &l);
		if (rc == STORE_OK) {
			snprintf(record, sizeof record, "directory/locations/%s", l.id);
			api_member_names(il->rec, fields, sizeof fields);
			rc = api_audit_write(r, tx, exists ? "update" : "create", record, fields);
		}
		if (exists)
			c->locations_updated++;
		else
			c->locations_created++;
	}
	if (rc == STORE_OK) {
		snprintf(fields, sizeof fields, "organizations=%zu,services=%zu,locations=%zu",
			 d->norgs, d->nsvcs, d->nlocs);
		rc = api_audit_write(r, tx, "import", "directory", fields);
	}
	return rc;
}

int api_dir_import(struct req *r)
{
	struct import_doc d;
	struct import_counts c;
	json_t *body;
	store_tx *tx;
	int rc;
	jsonw w;

	if (!api_role_in(r, dir_admins))
		return reply_problem(r, 403, "forbidden", "only an administrator imports a directory");
	body = req_json_object(r);
	if (!body)
		return r->status;
	memset(&d, 0, sizeof d);
	memset(&c, 0, sizeof c);
	if (import_parse(r, body, &d) || import_orgs_check(r, &d)) {
		import_doc_free(&d);
		return r->status;
	}
	tx = store_begin(r->app->st);
	if (!tx) {
		import_doc_free(&d);
		return api_store_error(r, STORE_BUSY);
	}
	rc = import_store(r, tx, &d, &c);
	import_doc_free(&d);
	if (rc == IMPORT_REFUSED) {
		store_rollback(tx);
		return r->status;
	}
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kint(&w, "organizations_created", (int64_t)c.orgs_created);
	jw_kint(&w, "services_created", (int64_t)c.services_created);
	jw_kint(&w, "services_updated", (int64_t)c.services_updated);
	jw_kint(&w, "locations_created", (int64_t)c.locations_created);
	jw_kint(&w, "locations_updated", (int64_t)c.locations_updated);
	jw_kint(&w, "locations_kept", (int64_t)c.locations_kept);
	jw_finish(&w);
	return 200;
}
