/*
 * kb.c - the safe-migration knowledge base: articles per destination
 * country and topic in Tajik, Russian and English, with their sources,
 * searched across scripts, edited by supervisors with every version kept.
 *
 *   GET   /api/v1/kb?q=&country=&topic=&status=&lang=&cursor=   any user
 *   GET   /api/v1/kb/{id}                                        any user
 *   POST  /api/v1/kb, PATCH /api/v1/kb/{id} (If-Match)           kb.edit
 *   GET   /api/v1/kb/{id}/history, GET /api/v1/kb/gaps           kb.edit
 *
 * Articles are public text (no PII): stored and searched in clear, reads
 * not audited, every write audited.  Users who may not edit see published
 * articles only; a draft or archived article is 404 to them.
 *
 * A fact that no citable source confirms (a phone number, address, fee or
 * deadline) is written [[to-be-confirmed: WHAT]] (domain/kbtext.h): never
 * invented.  The gaps list collects every such marker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "api/api.h"
#include "api/kb.h"
#include "domain/kbtext.h"
#include "domain/namekey.h"
#include "domain/record.h"
#include "util/utf8.h"
#include "codelists.h"

#define TITLE_MAX 300        /* characters */
#define BODY_MAX 20000       /* characters per language */
#define SOURCES_MAX 30
#define SOURCE_TEXT_MAX 500  /* characters of a source's title, url, publisher */
#define PREFIX_MIN 3         /* shortest indexed beginning of a word */
#define ARTICLE_KEYS_MAX 6000
#define EXCERPT_CHARS 200

const char *const kb_langs[KB_LANGS] = {"tg", "ru", "en"};

static _Atomic unsigned long generation = 1;

unsigned long kb_generation(void)
{
	return generation;
}

int kb_lang_index(const char *code)
{
	int i;
	for (i = 0; code && i < KB_LANGS; i++)
		if (!strcmp(code, kb_langs[i]))
			return i;
	return -1;
}

static const char *label_of(const struct codelist *cl, const char *code, int li)
{
	const char *label = codelist_label(cl, code, li);
	return label ? label : code;
}

const char *kb_topic_label(const char *topic, int li)
{
	return label_of(&cl_kb_topic, topic, li);
}

const char *kb_country_label(const char *country, int li)
{
	static const char *const general[KB_LANGS] = {"Умумӣ", "Общее", "General"};
	if (!country || !*country)
		return general[li];
	return label_of(&cl_countries, country, li);
}

/* ---- search keys ----------------------------------------------------------- */

/* Other names of the destination countries, as people type them. */
static const struct {
	const char *country;
	const char *names;
} country_aliases[] = {
	{"RU", "Russia Russian Rossiya Rossiyskaya Россия Русия РФ Федерация Moscow Москва Маскав"},
	{"AE", "UAE Emirates Emirati ОАЭ АМА Эмираты Аморат Аморатҳо Dubai Дубай Dubay Abu Dhabi Абу-Даби"},
	{"KZ", "Kazakhstan Qazaqstan Kazakh Казахстан Қазоқистон Казакстан Almaty Алматы Астана Astana"},
	{"TR", "Turkey Turkiye Türkiye Turkiya Турция Туркия Istanbul Стамбул Истанбул"},
};

/* The keys of one word: its cross-script key, or for a word too short
 * for one (abbreviations: ОАЭ, UAE) "=" and its case-folded letters. */
static size_t word_key(const char *w, size_t n, char out[NAMEKEY_MAX])
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t len;
	size_t k = namekey_word(w, n, out);

	if (k >= 2 || n == 0 || n > NAMEKEY_MAX - 2)
		return k;
	len = utf8proc_map((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, &folded,
			   UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (len < 2 || len > NAMEKEY_MAX - 2) {
		free(folded);
		out[0] = '\0';
		return 0;
	}
	out[0] = '=';
	memcpy(out + 1, folded, (size_t)len);
	out[len + 1] = '\0';
	free(folded);
	return (size_t)len + 1;
}

static int word_sep(unsigned char c)
{
	/* ASCII other than letters, digits and the apostrophe separates
	 * words; bytes of other scripts stay in the word (namekey drops what
	 * is not a letter). */
	return c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
	       !(c >= '0' && c <= '9') && c != '\'';
}

struct keyset {
	arena *a;
	struct kb_key *keys;
	size_t n, max;
};

static void keyset_add(struct keyset *ks, const char *key, size_t len, int weight)
{
	if (ks->n == ks->max || len == 0)
		return;
	ks->keys[ks->n].key = arena_strndup(ks->a, key, len);
	ks->keys[ks->n].weight = weight;
	if (ks->keys[ks->n].key)
		ks->n++;
}

/* Every word of text: whole with weight `whole`, its beginnings with
 * weight `prefix` (none when prefix < 0). */
static void keyset_text(struct keyset *ks, const char *text, int whole, int prefix)
{
	const unsigned char *p = (const unsigned char *)text;

	while (p && *p) {
		const unsigned char *w;
		char key[NAMEKEY_MAX];
		size_t k, len;

		while (*p && word_sep(*p))
			p++;
		w = p;
		while (*p && !word_sep(*p))
			p++;
		k = word_key((const char *)w, (size_t)(p - w), key);
		if (k < 2)
			continue;
		keyset_add(ks, key, k, whole);
		if (key[0] == '=' || prefix < 0)
			continue;
		for (len = PREFIX_MIN; len < k; len++)
			keyset_add(ks, key, len, prefix);
	}
}

static int key_cmp(const void *x, const void *y)
{
	const struct kb_key *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : b->weight - a->weight;
}

/* Sort and keep each key once, with its largest weight. */
static size_t keyset_unique(struct keyset *ks)
{
	size_t i, n = 0;
	qsort(ks->keys, ks->n, sizeof *ks->keys, key_cmp);
	for (i = 0; i < ks->n; i++)
		if (n == 0 || strcmp(ks->keys[n - 1].key, ks->keys[i].key))
			ks->keys[n++] = ks->keys[i];
	ks->n = n;
	return n;
}

/* The keys of an article: its titles, bodies, topic and country names. */
static size_t article_keys(arena *a, const struct kb_row *k, struct kb_key **out)
{
	struct keyset ks = {a, NULL, 0, ARTICLE_KEYS_MAX};
	size_t i;
	int li;

	ks.keys = arena_alloc(a, ks.max * sizeof *ks.keys);
	*out = ks.keys;
	if (!ks.keys)
		return 0;
	for (li = 0; li < KB_LANGS; li++) {
		keyset_text(&ks, k->title[li], 6, 4);
		keyset_text(&ks, kb_topic_label(k->topic, li), 4, 3);
		if (k->country[0])
			keyset_text(&ks, kb_country_label(k->country, li), 5, 4);
	}
	for (i = 0; k->country[0] && i < sizeof country_aliases / sizeof country_aliases[0]; i++)
		if (!strcmp(country_aliases[i].country, k->country))
			keyset_text(&ks, country_aliases[i].names, 5, 4);
	for (li = 0; li < KB_LANGS; li++)
		keyset_text(&ks, k->body[li], 2, 1);
	return keyset_unique(&ks);
}

size_t kb_query_keys(arena *a, const char *q, const char **keys, size_t max)
{
	struct kb_key tmp[KB_QUERY_KEYS * 4];
	struct keyset ks = {a, tmp, 0, sizeof tmp / sizeof tmp[0]};
	size_t i, n = 0;

	/* Whole words only: the stored keys hold the beginnings. */
	keyset_text(&ks, q, 1, -1);
	for (i = 0; i < ks.n && n < max && n < KB_QUERY_KEYS; i++) {
		size_t j;
		int seen = 0;
		for (j = 0; j < n; j++)
			seen |= !strcmp(keys[j], tmp[i].key);
		if (!seen)
			keys[n++] = tmp[i].key;
	}
	return n;
}

/* ---- reading and checking an article ----------------------------------------- */

struct kb_err {
	int status;
	const char *type;
	char why[320];
};

static int fail(struct kb_err *e, int status, const char *type, const char *fmt, const char *arg)
{
	e->status = status;
	e->type = type;
	snprintf(e->why, sizeof e->why, fmt, arg);
	return -1;
}

static int text_ok(const char *s, size_t max_chars)
{
	size_t n = strlen(s);
	return utf8_valid(s, n) && utf8_count(s, n) <= max_chars;
}

/* One language object {"tg","ru","en"}: the members given go into out[]
 * (all three on create).  changed notes it. */
static int read_langs(arena *a, json_t *v, const char *field, int create, size_t max_chars,
		      const char **out, struct kb_err *e)
{
	const char *key;
	json_t *m;
	int li;

	if (!json_is_object(v))
		return fail(e, 422, "invalid-value", "%s: an object with tg, ru and en", field);
	json_object_foreach(v, key, m) {
		const char *s;
		li = kb_lang_index(key);
		if (li < 0)
			return fail(e, 422, "unknown-field", "%s: only tg, ru and en", field);
		s = json_string_value(m);
		if (!s || !*s)
			return fail(e, 422, "invalid-value", "%s: a text in every language", field);
		if (!text_ok(s, max_chars))
			return fail(e, 422, "invalid-value", "%s: too long", field);
		out[li] = arena_strdup(a, s);
		if (!out[li])
			return fail(e, 500, "internal", "%s: out of memory", field);
	}
	for (li = 0; create && li < KB_LANGS; li++)
		if (!json_object_get(v, kb_langs[li]))
			return fail(e, 422, "missing-field", "%s: tg, ru and en are all needed", field);
	return 0;
}

static int url_ok(const char *s)
{
	const char *p;
	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return 0;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return 1;
}

/* The sources list, checked and written back compact into *out. */
static int read_sources(arena *a, json_t *v, const char **out, size_t *count, struct kb_err *e)
{
	static const char *const allowed[] = {"title", "url", "publisher", "published", "accessed",
					      NULL};
	size_t i;
	json_t *item;
	char *text;

	if (!json_is_array(v) || json_array_size(v) > SOURCES_MAX)
		return fail(e, 422, "invalid-value", "%s: a list of at most 30 sources", "sources");
	json_array_foreach(v, i, item) {
		const char *key;
		json_t *m;
		if (!json_is_object(item))
			return fail(e, 422, "invalid-value", "%s: each source is an object", "sources");
		json_object_foreach(item, key, m) {
			const char *const *k;
			const char *s = json_string_value(m);
			int known = 0;
			for (k = allowed; *k; k++)
				known |= !strcmp(*k, key);
			if (!known)
				return fail(e, 422, "unknown-field", "sources: %s is not a field of a source",
					    key);
			if (!s || !*s || !text_ok(s, SOURCE_TEXT_MAX))
				return fail(e, 422, "invalid-value", "sources: %s must be a short text", key);
			if (!strcmp(key, "url") && !url_ok(s))
				return fail(e, 422, "invalid-value", "sources: %s must be an http(s) address",
					    key);
			if ((!strcmp(key, "published") || !strcmp(key, "accessed")) && !date_valid_past(s))
				return fail(e, 422, "invalid-value", "sources: %s must be a date YYYY-MM-DD",
					    key);
		}
		if (!json_object_get(item, "title"))
			return fail(e, 422, "invalid-value", "%s: every source has a title", "sources");
		if (!json_object_get(item, "url") && !json_object_get(item, "publisher"))
			return fail(e, 422, "invalid-value", "%s: every source has a url or a publisher",
				    "sources");
		if (!json_object_get(item, "published") && !json_object_get(item, "accessed"))
			return fail(e, 422, "invalid-value",
				    "%s: every source has the date it was published or accessed", "sources");
	}
	text = json_dumps(v, JSON_COMPACT);
	if (!text)
		return fail(e, 500, "internal", "%s: out of memory", "sources");
	*out = arena_strdup(a, text);
	free(text);
	*count = json_array_size(v);
	return *out ? 0 : fail(e, 500, "internal", "%s: out of memory", "sources");
}

static void note_changed(char *changed, size_t len, const char *field)
{
	size_t have = strlen(changed);
	snprintf(changed + have, len - have, "%s%s", have ? "," : "", field);
}

/*
 * Apply a create body (create = 1: every required member) or a patch
 * onto k.  Unknown members are refused; the markers of every body must
 * cite existing sources.  changed gets the names of the members given.
 */
static int kb_apply(arena *a, json_t *obj, int create, struct kb_row *k, char *changed,
		    size_t changedlen, struct kb_err *e)
{
	static const char *const read_only[] = {"id", "version", "created_at", "updated_at",
						"updated_by", "gaps", NULL};
	const char *key;
	json_t *v;
	size_t nsources = 0;
	int li;
	char why[200];

	changed[0] = '\0';
	if (k->sources) {
		json_t *old = json_loads(k->sources, 0, NULL);
		nsources = json_array_size(old);
		json_decref(old);
	}
	json_object_foreach(obj, key, v) {
		const char *const *ro;
		for (ro = read_only; *ro; ro++)
			if (!strcmp(*ro, key))
				return fail(e, 422, "read-only-field", "%s: is set by the server", key);
		if (!strcmp(key, "country")) {
			const char *s = json_string_value(v);
			if (!s || (*s && !codelist_has(&cl_countries, s)))
				return fail(e, 422, "invalid-value",
					    "%s: an ISO 3166 alpha-2 code, or \"\" for general", key);
			snprintf(k->country, sizeof k->country, "%s", s);
		} else if (!strcmp(key, "topic")) {
			const char *s = json_string_value(v);
			if (!s || !codelist_has(&cl_kb_topic, s))
				return fail(e, 422, "invalid-value", "%s: a code of kb_topic", key);
			snprintf(k->topic, sizeof k->topic, "%s", s);
		} else if (!strcmp(key, "status")) {
			const char *s = json_string_value(v);
			if (!s || !codelist_has(&cl_kb_status, s))
				return fail(e, 422, "invalid-value", "%s: draft, published or archived", key);
			snprintf(k->status, sizeof k->status, "%s", s);
		} else if (!strcmp(key, "reviewed_on")) {
			const char *s = json_string_value(v);
			if (json_is_null(v))
				s = "";
			else if (!s || !date_valid_past(s))
				return fail(e, 422, "invalid-value", "%s: a date YYYY-MM-DD, not in the future",
					    key);
			snprintf(k->reviewed_on, sizeof k->reviewed_on, "%s", s);
		} else if (!strcmp(key, "title")) {
			if (read_langs(a, v, key, create, TITLE_MAX, k->title, e))
				return -1;
		} else if (!strcmp(key, "body")) {
			if (read_langs(a, v, key, create, BODY_MAX, k->body, e))
				return -1;
		} else if (!strcmp(key, "sources")) {
			if (read_sources(a, v, &k->sources, &nsources, e))
				return -1;
		} else {
			return fail(e, 422, "unknown-field", "%s: is not a field here", key);
		}
		note_changed(changed, changedlen, key);
	}
	if (create) {
		if (!json_object_get(obj, "topic"))
			return fail(e, 422, "missing-field", "%s: is required", "topic");
		if (!json_object_get(obj, "title") || !json_object_get(obj, "body"))
			return fail(e, 422, "missing-field", "%s: are required", "title and body");
		if (!k->status[0])
			snprintf(k->status, sizeof k->status, "draft");
		if (!k->sources)
			k->sources = "[]";
	}
	for (li = 0; li < KB_LANGS; li++) {
		if (strstr(k->title[li], "[["))
			return fail(e, 422, "invalid-value", "title.%s: markers belong in the body",
				    kb_langs[li]);
		if (kbtext_check(k->body[li], nsources, why, sizeof why))
			return fail(e, 422, "invalid-value", "body: %s", why);
	}
	if (!strcmp(k->status, "published") && nsources == 0)
		return fail(e, 422, "invalid-value", "%s: a published article names its sources",
			    "sources");
	return 0;
}

/* ---- writing ------------------------------------------------------------------ */

static size_t article_gaps(const struct kb_row *k)
{
	size_t n = 0;
	int li;
	for (li = 0; li < KB_LANGS; li++)
		n += kbtext_gaps(k->body[li]);
	return n;
}

static void write_langs(jsonw *w, const char *key, const char *const *v)
{
	int li;
	jw_key(w, key);
	jw_object(w);
	for (li = 0; li < KB_LANGS; li++)
		jw_kstr(w, kb_langs[li], v[li]);
	jw_end(w);
}

/* The first characters of a body without its markers, for a list. */
static void write_excerpt(jsonw *w, const char *body)
{
	char out[EXCERPT_CHARS * 4 + 8];
	size_t n = 0, chars = 0;
	const char *p = body;
	struct kbtext_seg seg;

	while (chars < EXCERPT_CHARS && kbtext_next(&p, &seg)) {
		size_t i = 0;
		if (seg.kind != KBT_TEXT)
			continue;
		while (i < seg.n && chars < EXCERPT_CHARS) {
			size_t cl = utf8_char_len(seg.s + i, seg.n - i);
			if (cl == 0 || n + cl + 4 >= sizeof out)
				break;
			if (seg.s[i] == '\n' || seg.s[i] == '\r') {
				if (n && out[n - 1] != ' ')
					out[n++] = ' ';
			} else {
				memcpy(out + n, seg.s + i, cl);
				n += cl;
			}
			i += cl;
			chars++;
		}
	}
	if (chars >= EXCERPT_CHARS) {
		memcpy(out + n, "\u2026", strlen("\u2026"));
		n += strlen("\u2026");
	}
	jw_key(w, "excerpt");
	jw_strn(w, out, n);
}

/* An article: whole (full), or for a list with the excerpt of language
 * li (li >= 0). */
static void write_article(jsonw *w, const struct kb_row *k, int full, int li)
{
	jw_object(w);
	jw_kstr(w, "id", k->id);
	jw_kint(w, "version", k->version);
	jw_kstr(w, "country", k->country);
	jw_kstr(w, "topic", k->topic);
	jw_kstr(w, "status", k->status);
	jw_key(w, "reviewed_on");
	jw_str(w, k->reviewed_on[0] ? k->reviewed_on : NULL);
	write_langs(w, "title", k->title);
	if (full) {
		write_langs(w, "body", k->body);
		jw_key(w, "sources");
		jw_raw_json(w, k->sources, strlen(k->sources));
	}
	jw_kint(w, "gaps", (int64_t)article_gaps(k));
	jw_kstr(w, "created_at", k->created_at);
	jw_kstr(w, "updated_at", k->updated_at);
	if (li >= 0) {
		jw_kstr(w, "lang", kb_langs[li]);
		write_excerpt(w, k->body[li]);
	}
	jw_end(w);
}

/* The article whole as JSON text, for its history. */
static char *article_snapshot(arena *a, const struct kb_row *k)
{
	buf b;
	jsonw w;
	char *out = NULL;
	size_t len;

	buf_init(&b, 1u << 22);
	jw_init(&w, &b);
	write_article(&w, k, 1, -1);
	jw_finish(&w);
	if (buf_ok(&b)) {
		char *raw = buf_detach(&b, &len);
		if (raw) {
			out = arena_strndup(a, raw, len);
			free(raw);
		}
	}
	buf_free(&b);
	return out;
}

/* Store a new version of k (insert when create): the row, its keys, its
 * history entry.  user_id NULL for the system. */
static int save_article(store_tx *tx, arena *a, const struct kb_row *k, int create,
			const char *user_id, const char *changed)
{
	struct kb_history_row h;
	struct kb_key *keys;
	size_t nkeys;
	int rc;

	memset(&h, 0, sizeof h);
	rc = create ? store_kb_insert(tx, k) : store_kb_update(tx, k);
	if (rc != STORE_OK)
		return rc;
	nkeys = article_keys(a, k, &keys);
	if (!keys)
		return STORE_ERROR;
	rc = store_kb_keys_set(tx, k->id, keys, nkeys);
	if (rc != STORE_OK)
		return rc;
	h.version = k->version;
	snprintf(h.at, sizeof h.at, "%s", k->updated_at);
	snprintf(h.user_id, sizeof h.user_id, "%s", user_id ? user_id : "");
	snprintf(h.action, sizeof h.action, "%s", create ? "create" : "update");
	h.fields = changed;
	h.snapshot = article_snapshot(a, k);
	if (!h.snapshot)
		return STORE_ERROR;
	return store_kb_history_add(tx, k->id, &h);
}

static int may_edit(struct req *r)
{
	return policy_allows(ACT_KB_EDIT, r->who.user.role, 0) >= 0;
}

static int reply_err(struct req *r, const struct kb_err *e)
{
	return reply_problem(r, e->status, e->type, e->why);
}

/* The article of the route, if the caller may see it; else 404 set. */
static int load(struct req *r, struct kb_row *k)
{
	int rc = store_kb_get(r->app->st, r->params[0], k, &r->mem);
	if (rc == STORE_OK && strcmp(k->status, "published") && !may_edit(r))
		rc = STORE_NOT_FOUND;
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	return 0;
}

/* ---- handlers ----------------------------------------------------------------- */

int api_kb_list(struct req *r)
{
	const char *q = req_query(r, "q"), *country = req_query(r, "country");
	const char *topic = req_query(r, "topic"), *status = req_query(r, "status");
	const char *lang = req_query(r, "lang");
	struct kb_filter f;
	struct kb_row *rows;
	size_t n, i;
	char *end, at[24] = "", mark[8] = "";
	int li = KB_TG;
	jsonw w;

	memset(&f, 0, sizeof f);
	if (lang && *lang && (li = kb_lang_index(lang)) < 0)
		return reply_problem(r, 422, "invalid-value", "lang: tg, ru or en");
	if (country && *country && !codelist_has(&cl_countries, country) && strcmp(country, "-"))
		return reply_problem(r, 422, "invalid-value",
				     "country: an ISO 3166 alpha-2 code (or - for general articles)");
	if (topic && *topic && !codelist_has(&cl_kb_topic, topic))
		return reply_problem(r, 422, "invalid-value", "topic: a code of kb_topic");
	if (status && *status && !codelist_has(&cl_kb_status, status))
		return reply_problem(r, 422, "invalid-value", "status: draft, published or archived");
	if (q && strlen(q) > 400)
		return reply_problem(r, 422, "invalid-value", "q: at most 400 bytes");
	/* "-" asks for the general articles (country ""); none: any. */
	f.country = country && !strcmp(country, "-") ? "" : country && *country ? country : NULL;
	f.topic = topic;
	f.status = may_edit(r) ? status : "published";
	/* The cursor is sealed as every list's, bound to its filter and user
	 * (a plain offset was taken by any user and list: an outside review);
	 * it holds the offset. */
	f.limit = PAGE_DEFAULT;
	if (api_page(r, PAGE_MAX, &f.limit, at, sizeof at, mark, sizeof mark))
		return r->status;
	if (mark[0]) {
		unsigned long v = strtoul(at, &end, 10);
		if (at[0] < '0' || at[0] > '9' || *end || v > 1000000 || strcmp(mark, "kb"))
			return reply_problem(r, 422, "invalid-value", "cursor: as given in next");
		f.offset = v;
	}
	if (q && *q) {
		f.nkeys = kb_query_keys(&r->mem, q, f.keys, KB_QUERY_KEYS);
		if (f.nkeys == 0)
			f.limit = 0; /* nothing searchable in it: nothing found */
	}
	if (store_kb_list(r->app->st, &f, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++) {
		write_article(&w, &rows[i], 0, li);
	}
	jw_end(&w);
	jw_key(&w, "next");
	if (n == f.limit && f.limit) {
		char next[API_CURSOR_LEN];
		snprintf(at, sizeof at, "%zu", f.offset + n);
		api_cursor_seal(r, at, "kb", next, sizeof next);
		jw_str(&w, next);
	} else {
		jw_null(&w);
	}
	jw_end(&w);
	jw_finish(&w);
	return 200;
}

int api_kb_get(struct req *r)
{
	struct kb_row k;
	jsonw w;

	if (load(r, &k))
		return r->status;
	reply_json_begin(r, 200, &w);
	write_article(&w, &k, 1, -1);
	jw_finish(&w);
	api_set_etag(r, k.version);
	return 200;
}

static int audit_article(struct req *r, store_tx *tx, const char *action, const char *id,
			 const char *changed)
{
	char *record = arena_alloc(&r->mem, ID_LEN + 8);
	if (!record)
		return STORE_ERROR;
	snprintf(record, ID_LEN + 8, "kb/%s", id);
	return api_audit_write(r, tx, action, record, changed);
}

int api_kb_create(struct req *r)
{
	struct kb_row k;
	struct kb_err e;
	char changed[200];
	json_t *body;
	store_tx *tx;
	int rc;
	jsonw w;

	if (!may_edit(r))
		return reply_problem(r, 403, "forbidden", "only a supervisor edits the knowledge base");
	body = req_json_object(r);
	if (!body)
		return r->status;
	memset(&k, 0, sizeof k);
	for (rc = 0; rc < KB_LANGS; rc++)
		k.title[rc] = k.body[rc] = "";
	if (kb_apply(&r->mem, body, 1, &k, changed, sizeof changed, &e))
		return reply_err(r, &e);
	store_new_id(k.id);
	k.version = 1;
	store_now(k.created_at);
	memcpy(k.updated_at, k.created_at, sizeof k.updated_at);
	snprintf(k.updated_by, sizeof k.updated_by, "%s", r->who.user.id);
	tx = store_begin(r->app->st);
	rc = tx ? save_article(tx, &r->mem, &k, 1, r->who.user.id, changed) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = audit_article(r, tx, "create", k.id, changed);
	if (api_tx_end(r, tx, rc))
		return r->status;
	generation++;
	reply_json_begin(r, 201, &w);
	write_article(&w, &k, 1, -1);
	jw_finish(&w);
	api_set_etag(r, k.version);
	api_set_location(r, "kb", k.id);
	return 201;
}

int api_kb_patch(struct req *r)
{
	struct kb_row k;
	struct kb_err e;
	char changed[200];
	int64_t version;
	json_t *body;
	store_tx *tx;
	int rc;
	jsonw w;

	if (load(r, &k))
		return r->status;
	if (!may_edit(r))
		return reply_problem(r, 403, "forbidden", "only a supervisor edits the knowledge base");
	if (api_if_match(r, &version))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (version != k.version)
		return reply_problem(r, 412, "version-conflict",
				     "the article changed since you read it; read it again");
	if (json_object_size(body) == 0)
		return reply_problem(r, 422, "invalid-value", "nothing to change");
	if (kb_apply(&r->mem, body, 0, &k, changed, sizeof changed, &e))
		return reply_err(r, &e);
	k.version++;
	store_now(k.updated_at);
	snprintf(k.updated_by, sizeof k.updated_by, "%s", r->who.user.id);
	tx = store_begin(r->app->st);
	rc = tx ? save_article(tx, &r->mem, &k, 0, r->who.user.id, changed) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = audit_article(r, tx, "update", k.id, changed);
	if (api_tx_end(r, tx, rc))
		return r->status;
	generation++;
	reply_json_begin(r, 200, &w);
	write_article(&w, &k, 1, -1);
	jw_finish(&w);
	api_set_etag(r, k.version);
	return 200;
}

int api_kb_history(struct req *r)
{
	struct kb_history_row *rows;
	struct kb_row k;
	size_t n, i;
	jsonw w;

	if (load(r, &k))
		return r->status;
	if (!may_edit(r))
		return reply_problem(r, 403, "forbidden", "only a supervisor sees the history");
	if (store_kb_history(r->app->st, k.id, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++) {
		jw_object(&w);
		jw_kint(&w, "version", rows[i].version);
		jw_kstr(&w, "at", rows[i].at);
		jw_key(&w, "by");
		jw_str(&w, rows[i].user_id[0] ? rows[i].user_id : NULL);
		jw_key(&w, "by_login");
		jw_str(&w, rows[i].user_id[0] ? rows[i].user_login : NULL);
		jw_kstr(&w, "action", rows[i].action);
		jw_key(&w, "fields");
		jw_array(&w);
		{
			const char *p = rows[i].fields;
			while (*p) {
				size_t len = strcspn(p, ",");
				jw_strn(&w, p, len);
				p += len;
				if (*p)
					p++;
			}
		}
		jw_end(&w);
		jw_key(&w, "article");
		jw_raw_json(&w, rows[i].snapshot, strlen(rows[i].snapshot));
		jw_end(&w);
	}
	return api_list_end(&w, NULL);
}

#define GAPS_ARTICLES_MAX 2000

int api_kb_gaps(struct req *r)
{
	struct kb_filter f;
	struct kb_row *rows;
	size_t n, i;
	jsonw w;

	if (!may_edit(r))
		return reply_problem(r, 403, "forbidden", "only a supervisor sees the gaps");
	memset(&f, 0, sizeof f);
	f.limit = GAPS_ARTICLES_MAX;
	if (store_kb_list(r->app->st, &f, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++) {
		int li;
		for (li = 0; li < KB_LANGS; li++) {
			const char *p = rows[i].body[li];
			struct kbtext_seg seg;
			while (kbtext_next(&p, &seg)) {
				if (seg.kind != KBT_TBC)
					continue;
				jw_object(&w);
				jw_kstr(&w, "article_id", rows[i].id);
				jw_kint(&w, "version", rows[i].version);
				jw_kstr(&w, "country", rows[i].country);
				jw_kstr(&w, "topic", rows[i].topic);
				jw_kstr(&w, "status", rows[i].status);
				jw_kstr(&w, "title", rows[i].title[li]);
				jw_kstr(&w, "lang", kb_langs[li]);
				jw_key(&w, "missing");
				jw_strn(&w, seg.s, seg.n);
				jw_end(&w);
			}
		}
	}
	return api_list_end(&w, NULL);
}

/* ---- the seed ------------------------------------------------------------------- */

int kb_seed_ensure(store *st, char *err, size_t errlen)
{
	char flag[8];
	int64_t count = 0;
	json_t *doc, *list, *item;
	json_error_t je;
	store_tx *tx;
	arena a;
	size_t i;
	int rc = STORE_OK;

	if (errlen)
		err[0] = '\0';
	if (store_meta_get(st, "kb_seeded", flag, sizeof flag) == STORE_OK)
		return 0;
	if (store_kb_count(st, &count) != STORE_OK) {
		snprintf(err, errlen, "knowledge base: cannot read the articles");
		return -1;
	}
	doc = json_loadb(kb_seed_json, kb_seed_json_len, JSON_REJECT_DUPLICATES, &je);
	list = json_object_get(doc, "articles");
	if (!json_is_array(list)) {
		snprintf(err, errlen, "knowledge base seed: %s", doc ? "no articles" : je.text);
		json_decref(doc);
		return -1;
	}
	arena_init(&a, 64u << 20);
	tx = store_begin_many(st);
	if (!tx) {
		snprintf(err, errlen, "knowledge base seed: the database is busy");
		rc = STORE_ERROR;
	}
	for (i = 0; tx && count == 0 && i < json_array_size(list) && rc == STORE_OK; i++) {
		struct kb_row k;
		struct kb_err e;
		struct audit_entry ae;
		char changed[200], record[ID_LEN + 8];
		int li;

		item = json_array_get(list, i);
		memset(&k, 0, sizeof k);
		for (li = 0; li < KB_LANGS; li++)
			k.title[li] = k.body[li] = "";
		if (!json_is_object(item) ||
		    kb_apply(&a, item, 1, &k, changed, sizeof changed, &e)) {
			snprintf(err, errlen, "knowledge base seed: article %zu: %s", i + 1,
				 json_is_object(item) ? e.why : "not an object");
			rc = STORE_ERROR;
			break;
		}
		store_new_id(k.id);
		k.version = 1;
		store_now(k.created_at);
		memcpy(k.updated_at, k.created_at, sizeof k.updated_at);
		rc = save_article(tx, &a, &k, 1, NULL, changed);
		if (rc == STORE_OK) {
			memset(&ae, 0, sizeof ae);
			snprintf(record, sizeof record, "kb/%s", k.id);
			ae.action = "create";
			ae.record = record;
			ae.fields = changed;
			rc = store_audit_append(tx, &ae);
		}
		if (rc != STORE_OK && !err[0])
			snprintf(err, errlen, "knowledge base seed: cannot store article %zu", i + 1);
	}
	if (tx && rc == STORE_OK)
		rc = store_meta_set(tx, "kb_seeded", "1");
	if (tx) {
		if (rc == STORE_OK)
			rc = store_commit(tx);
		else
			store_rollback(tx);
	}
	arena_free(&a);
	json_decref(doc);
	if (rc != STORE_OK && !err[0])
		snprintf(err, errlen, "knowledge base seed: cannot store it");
	return rc == STORE_OK ? 0 : -1;
}
