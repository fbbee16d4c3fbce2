/*
 * pprlnet.c - "is this person known to another organisation of the
 * network?" without names (issue 16, item 4): the network matching table
 * kept current, and POST /persons/{id}/known-elsewhere.
 *
 * Each person with a current consent for referral or to law enforcement
 * (naming the asking organisation, its type, or no recipient) has one
 * encoding (domain/pprl.h: a balanced, permuted, keyed Bloom filter; the
 * encoder of `himoya pprl encode`, not a second one) in pprl_encodings
 * (store/pprl.h), under an opaque handle; no name, birth date or person
 * id in clear.  The encoding is written when such a consent is recorded,
 * again when the person changes, and removed when the consent is
 * withdrawn or the person is merged into another; a pass at start
 * (api_pprl_start) catches up every person and sweeps rows no longer
 * backed by a consent.
 *
 * A question compares the person's encoding with the other
 * organisations' only, at the Dice threshold `himoya pprl link` would
 * take between the asking organisation's encodings and the others'
 * (pprl_threshold), and answers with organisations: never a score, a
 * name, a handle, or how many persons matched.  The question, the answer
 * and, for each organisation named, that its person was matched by the
 * asking organisation are audit entries.  A user asks at most
 * PPRL_ASK_PER_HOUR questions an hour.
 *
 * The keys: a `pprl_secret` file named in the configuration (shared by
 * installations that match with one another), else a sub-key of the
 * installation key.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "api/api.h"
#include "api/metrics.h"
#include "api/pprlnet.h"
#include "domain/consent.h"
#include "domain/dedup.h"
#include "domain/namekey.h"
#include "store/pprl.h"
#include "util/background.h"
#include "util/jsonw.h"

#define SCRATCH_CAP (1u << 20)
#define ASK_WINDOW_SECS 3600
#define CATCH_UP_CHUNK 500 /* persons refreshed per transaction by the pass */

/* ---- the keys ------------------------------------------------------------- */

struct pprl_key *api_pprl_key_load(const keyring *kr, const char *secret_file, char *err,
				   size_t errlen)
{
	unsigned char secret[4096];
	size_t n = 0;
	struct pprl_key *key = sodium_malloc(sizeof *key);
	int rc;

	if (!key) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (secret_file && secret_file[0]) {
		struct stat sb;
		FILE *f = fopen(secret_file, "rb");
		if (!f) {
			snprintf(err, errlen, "pprl_secret %s: cannot be read", secret_file);
			sodium_free(key);
			return NULL;
		}
		if (fstat(fileno(f), &sb) != 0 || (sb.st_mode & 077)) {
			snprintf(err, errlen, "pprl_secret %s: readable by others (chmod 600 it)",
				 secret_file);
			fclose(f);
			sodium_free(key);
			return NULL;
		}
		n = fread(secret, 1, sizeof secret, f);
		fclose(f);
		while (n && (secret[n - 1] == '\n' || secret[n - 1] == '\r'))
			n--;
		rc = pprl_key_derive(key, secret, n);
		sodium_memzero(secret, sizeof secret);
	} else {
		rc = pprl_key_derive(key, kr->pprl, sizeof kr->pprl);
	}
	if (rc) {
		snprintf(err, errlen, "pprl_secret %s: at least %d bytes of secret are needed",
			 secret_file, PPRL_SECRET_MIN);
		sodium_free(key);
		return NULL;
	}
	return key;
}

void api_pprl_key_free(struct pprl_key *key)
{
	if (key) {
		pprl_key_wipe(key);
		sodium_free(key);
	}
}

/* ---- one person's encoding ------------------------------------------------ */

/* The opaque handle of a person: a keyed MAC of the id, the same in
 * whichever organisation holds the person (a transfer replaces the row). */
static void handle_of(const keyring *kr, const char *person_id, unsigned char out[PPRL_HANDLE_BYTES])
{
	blind_index(kr, "pprl-handle", person_id, strlen(person_id), out);
}

static int year_now(void)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

static void recheck_min(struct pprl_encoding *e, const char *day)
{
	if (!e->recheck[0] || strncmp(day, e->recheck, 10) < 0)
		snprintf(e->recheck, sizeof e->recheck, "%.10s", day);
}

void api_pprl_consent_seen(struct pprl_encoding *e, const char *id, int64_t version,
			   const char *status)
{
	unsigned char h[PPRL_STAMP_BYTES];
	char v[24];
	size_t i;
	crypto_generichash_state st;

	snprintf(v, sizeof v, "%lld", (long long)version);
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)id, strlen(id) + 1);
	crypto_generichash_update(&st, (const unsigned char *)v, strlen(v));
	crypto_generichash_final(&st, h, sizeof h);
	for (i = 0; i < sizeof h; i++) /* in any order: the pass reads them unsorted */
		e->consents[i] ^= h[i];
	if (status && !strcmp(status, "active"))
		e->stamped = 1;
}

void api_pprl_stamp(const struct pprl_key *pk, const char *person_id, const char *org_id,
		    int64_t version, const char *updated_at, struct pprl_encoding *e)
{
	/* The encoder's version: bump it when pprl_encode or what it is
	 * given changes, so that every row is made again. */
	static const char tag[] = "himoya pprl stamp 2"; /* 2: the audience */
	crypto_generichash_state st;
	char v[48];

	snprintf(v, sizeof v, "%d %lld", year_now(), (long long)version);
	crypto_generichash_init(&st, pk->hash, sizeof pk->hash, sizeof e->stamp);
	crypto_generichash_update(&st, (const unsigned char *)tag, sizeof tag);
	crypto_generichash_update(&st, (const unsigned char *)v, strlen(v) + 1);
	crypto_generichash_update(&st, (const unsigned char *)person_id, strlen(person_id) + 1);
	crypto_generichash_update(&st, (const unsigned char *)org_id, strlen(org_id) + 1);
	crypto_generichash_update(&st, (const unsigned char *)updated_at, strlen(updated_at) + 1);
	crypto_generichash_update(&st, e->consents, sizeof e->consents);
	crypto_generichash_final(&st, e->stamp, sizeof e->stamp);
}

/* The consent's entry added to the audience (store/pprl.h), once, the
 * entries in byte order (the row does not depend on the order consents
 * are read in: the demo's, a refresh's and the pass's agree).  One that
 * does not fit is left out: the row is then matched by fewer
 * organisations, never by more. */
static void audience_add(char audience[PPRL_AUDIENCE_MAX], json_t *consent, const char *until)
{
	const char *org = json_string_value(json_object_get(consent, "recipient_org"));
	const char *type = json_string_value(json_object_get(consent, "recipient_type"));
	char entry[160];
	size_t n = strlen(audience), len, at;
	int w = snprintf(entry, sizeof entry, "%s|%s|%s", org ? org : "", type ? type : "",
			 until ? until : "");

	if (w < 0 || (size_t)w >= sizeof entry || (org && strpbrk(org, ";|")) ||
	    (type && strpbrk(type, ";|")))
		return;
	len = (size_t)w;
	for (at = 0; at < n;) {
		size_t end = strcspn(audience + at, ";");
		int c = memcmp(audience + at, entry, end < len ? end : len);
		if (!c && end == len)
			return; /* there */
		if (c > 0 || (!c && end > len))
			break; /* the first entry after it */
		at += end + (audience[at + end] == ';');
	}
	if (n + (n ? 1 : 0) + len + 1 > PPRL_AUDIENCE_MAX)
		return;
	if (at < n) { /* before the entry at `at`: "entry;" there */
		memmove(audience + at + len + 1, audience + at, n - at + 1);
		memcpy(audience + at, entry, len);
		audience[at + len] = ';';
	} else {
		snprintf(audience + n, PPRL_AUDIENCE_MAX - n, "%s%s", n ? ";" : "", entry);
	}
}

int api_pprl_audience_admits(const char *audience, const char *org_code, const char *org_type,
			     const char today[11])
{
	const char *at = audience;

	while (at && *at) {
		const char *end = at + strcspn(at, ";");
		const char *bar1 = memchr(at, '|', (size_t)(end - at));
		const char *bar2 = bar1 ? memchr(bar1 + 1, '|', (size_t)(end - bar1 - 1)) : NULL;
		if (bar2) {
			size_t norg = (size_t)(bar1 - at), ntype = (size_t)(bar2 - bar1 - 1);
			size_t nuntil = (size_t)(end - bar2 - 1);
			int org_ok = !norg || (strlen(org_code) == norg && !memcmp(at, org_code, norg));
			int type_ok = !ntype ||
				      (strlen(org_type) == ntype && !memcmp(bar1 + 1, org_type, ntype));
			int day_ok = !nuntil || (nuntil == 10 && memcmp(bar2 + 1, today, 10) >= 0);
			if (org_ok && type_ok && day_ok)
				return 1;
		}
		at = *end ? end + 1 : end;
	}
	return 0;
}

void api_pprl_consent_add(struct pprl_encoding *e, json_t *consent, const char today[11])
{
	const char *purpose = json_string_value(json_object_get(consent, "purpose"));
	const char *until = json_string_value(json_object_get(consent, "expires"));

	const char *state, *given = json_string_value(json_object_get(consent, "given_on"));

	/* Only a consent to disclose the person to a recipient: referral, or
	 * to law enforcement (those a referral may be sent under).  A
	 * statistics consent is to anonymous counting: being named to
	 * another organisation as holding the person is not that. */
	if (!consent || !purpose || (strcmp(purpose, "referral") && strcmp(purpose, "law_enforcement")))
		return;
	state = consent_state(consent, today);
	/* The first day the row may change by the calendar alone: a consent
	 * not yet begun begins, or one ends (looked at again on its last day
	 * too: early is only more work). */
	if (!strcmp(state, "future") && given)
		recheck_min(e, given);
	if (strcmp(state, "active"))
		return;
	audience_add(e->audience, consent, until);
	if (until)
		recheck_min(e, until);
	if (!until)
		e->consenting = 2; /* one without an end: no end */
	else if (e->consenting != 2 && strcmp(until, e->expires) > 0)
		snprintf(e->expires, sizeof e->expires, "%s", until);
	if (!e->consenting)
		e->consenting = 1;
}

/* The consents of a person in the store folded into e; -1 on a store
 * error. */
static int network_consent(store *st, const keyring *kr, arena *a, const char *person_id,
			   struct pprl_encoding *e)
{
	struct item_row *rows;
	size_t n = 0, i;
	char today[11];

	if (store_items_of_person(st, person_id, "consent", &rows, &n, a) != STORE_OK)
		return -1;
	consent_today(today);
	for (i = 0; i < n; i++) {
		json_t *rec = record_open(kr, a, rows[i].coded, rows[i].sealed, rows[i].sealed_len,
					  rows[i].id);
		api_pprl_consent_seen(e, rows[i].id, rows[i].version, rows[i].status);
		api_pprl_consent_add(e, rec, today);
		json_decref(rec);
	}
	return 0;
}

/* The encoding of an opened person record. */
static void encode_person(const struct pprl_key *pk, json_t *rec, unsigned char clk[PPRL_BYTES])
{
	struct link_person lp;
	char phone[24];
	const char *v = json_string_value(json_array_get(json_object_get(rec, "phones"), 0));

	dedup_link_person(rec, year_now(), NULL, NULL, &lp);
	if (!v || !phone_key(v, phone))
		phone[0] = '\0';
	pprl_encode(pk, &lp, phone[0] ? phone : NULL, NULL, clk);
	sodium_memzero(phone, sizeof phone);
}

void api_pprl_encode(const keyring *kr, const struct pprl_key *pk, const char *person_id,
		     const char *org_id, json_t *person, struct pprl_encoding *e)
{
	char ad[ID_LEN + 8];

	handle_of(kr, person_id, e->handle);
	if (e->consenting == 2)
		e->expires[0] = '\0';
	e->consenting = e->consenting && person;
	if (!e->consenting)
		return;
	encode_person(pk, person, e->clk);
	snprintf(e->org_id, sizeof e->org_id, "%s", org_id);
	snprintf(ad, sizeof ad, "pprl/%s", org_id);
	e->ref_len = strlen(person_id) + SEAL_OVERHEAD;
	seal_encrypt(kr, (const unsigned char *)person_id, strlen(person_id), ad, e->ref);
}

/* The encoding of a person row in hand (a = its arena). */
static int encoding_of(store *st, const keyring *kr, const struct pprl_key *pk, arena *a,
		       const struct person_row *p, struct pprl_encoding *e)
{
	json_t *rec = NULL;

	memset(e, 0, sizeof *e);
	if (!p->merged_into[0] && network_consent(st, kr, a, p->id, e) != 0)
		return STORE_ERROR;
	if (e->consenting) {
		rec = record_open(kr, a, p->coded, p->sealed, p->sealed_len, p->id);
		if (!rec)
			return STORE_ERROR;
	}
	api_pprl_encode(kr, pk, p->id, p->org_id, rec, e);
	if (e->stamped)
		api_pprl_stamp(pk, p->id, p->org_id, p->version, p->updated_at, e);
	json_decref(rec);
	return STORE_OK;
}

int api_pprl_encoding_write(store_tx *tx, const struct pprl_encoding *e, const char *now,
			    int first)
{
	/* The day only: a time to the second, the same as the consent's or
	 * the person's change, would tie an opaque row to its person for
	 * anyone holding the database file (an outside review linked 777 of
	 * 1,089 rows so).  The pass needs the day. */
	char day[TS_LEN];
	struct pprl_stamp_row stamp = {e->handle, e->stamp, e->consenting, e->recheck, day, 0};
	struct pprl_row row;
	int rc;

	snprintf(day, sizeof day, "%.10sT00:00:00Z", now);
	if (!e->consenting) {
		rc = first ? STORE_OK : store_pprl_drop(tx, e->handle);
	} else {
		memset(&row, 0, sizeof row);
		row.org_id = e->org_id;
		row.handle = e->handle;
		row.ref = e->ref;
		row.ref_len = e->ref_len;
		row.clk = e->clk;
		row.expires = e->expires;
		row.audience = e->audience;
		row.updated_at = day;
		rc = store_pprl_put(tx, &row);
	}
	if (rc != STORE_OK)
		return rc;
	return e->stamped ? store_pprl_stamp_put(tx, &stamp) : store_pprl_stamp_drop(tx, e->handle);
}

/* What the persons of a write are in the store now, read in its
 * transaction: each one's stamp as a refresh would compute it.  The
 * store gives the persons in the order of ids (one not found: none). */
struct now_check {
	const struct pprl_key *pk;
	const char *const *ids;
	size_t n;
	char *stamped;          /* [n] */
	unsigned char (*stamp)[PPRL_STAMP_BYTES];
	size_t at;              /* the person being read, n: none */
	size_t next;            /* where the next person is looked for in ids */
	struct pprl_encoding e;
	char org[ID_LEN], updated[TS_LEN];
	int64_t version;
};

static void now_done(struct now_check *c)
{
	if (c->at < c->n && c->e.stamped) {
		api_pprl_stamp(c->pk, c->ids[c->at], c->org, c->version, c->updated, &c->e);
		c->stamped[c->at] = 1;
		memcpy(c->stamp[c->at], c->e.stamp, PPRL_STAMP_BYTES);
	}
	c->at = c->n;
}

static int now_take(void *ctx, const struct pprl_source *row)
{
	struct now_check *c = ctx;

	if (c->at < c->n && !strcmp(row->person_id, c->ids[c->at])) {
		api_pprl_consent_seen(&c->e, row->consent_id, row->consent_version, row->consent_status);
		return 0;
	}
	now_done(c);
	while (c->next < c->n && strcmp(c->ids[c->next], row->person_id))
		c->next++;
	if (c->next == c->n)
		return 0; /* not one asked for */
	c->at = c->next++;
	memset(&c->e, 0, sizeof c->e);
	snprintf(c->org, sizeof c->org, "%s", row->org_id);
	snprintf(c->updated, sizeof c->updated, "%s", row->updated_at);
	c->version = row->version;
	api_pprl_consent_seen(&c->e, row->consent_id, row->consent_version, row->consent_status);
	return 0;
}

/* Write n encodings, e[i] of the person ids[i], in one transaction, each
 * only while what it was made from is what the store holds: read again
 * in the transaction, on PostgreSQL under each person's refresh lock.  A
 * refresh whose reads were overtaken by a change (another server's
 * withdrawal, say: that server's refresh follows it) writes nothing for
 * that person.  *put += those put. */
static int encodings_write(store *st, const struct pprl_key *pk, struct pprl_encoding *e,
			   const char *const *ids, size_t n, size_t *put)
{
	struct now_check c;
	char now[TS_LEN];
	store_tx *tx;
	size_t i, k = 0;
	int rc;

	memset(&c, 0, sizeof c);
	c.pk = pk;
	c.ids = ids;
	c.n = n;
	c.at = n;
	c.stamped = calloc(n ? n : 1, 1);
	c.stamp = calloc(n ? n : 1, sizeof *c.stamp);
	tx = c.stamped && c.stamp ? store_begin(st) : NULL;
	rc = tx ? STORE_OK : STORE_ERROR;
	if (rc == STORE_OK)
		rc = store_pprl_sources_tx(tx, ids, n, now_take, &c);
	now_done(&c);
	store_now(now);
	for (i = 0; i < n && rc == STORE_OK; i++) {
		if ((e[i].stamped != 0) != c.stamped[i] ||
		    (e[i].stamped && memcmp(e[i].stamp, c.stamp[i], PPRL_STAMP_BYTES)))
			continue; /* overtaken: the change's own refresh writes it */
		rc = api_pprl_encoding_write(tx, &e[i], now, 0);
		k += (size_t)e[i].consenting;
	}
	if (tx)
		rc = rc == STORE_OK ? store_commit(tx) : (store_rollback(tx), rc);
	if (rc == STORE_OK)
		*put += k;
	sodium_memzero(e, n * sizeof *e);
	sodium_memzero(&c.e, sizeof c.e);
	free(c.stamped);
	free(c.stamp);
	return rc;
}

/* One refresh at a time: a refresh reads the consents, then writes the
 * row; were two interleaved (the start's pass and a withdrawal's), the
 * pass could write back a row the withdrawal had just removed. */
static pthread_mutex_t refresh_lock = PTHREAD_MUTEX_INITIALIZER;

/* The refresh of one person; *put = 1 when an encoding was written.
 * A person no longer in the store loses its row. */
static int refresh(store *st, const keyring *kr, const struct pprl_key *pk, const char *person_id,
		   size_t *put)
{
	struct person_row p;
	struct pprl_encoding e;
	arena a;
	int rc;

	*put = 0;
	if (!pk)
		return STORE_OK; /* no matching keys loaded (a command that does not match) */
	arena_init(&a, SCRATCH_CAP);
	pthread_mutex_lock(&refresh_lock);
	rc = store_person_get(st, person_id, &p, &a);
	if (rc == STORE_NOT_FOUND) {
		memset(&e, 0, sizeof e);
		handle_of(kr, person_id, e.handle);
		rc = encodings_write(st, pk, &e, &person_id, 1, put);
	} else if (rc == STORE_OK) {
		rc = encoding_of(st, kr, pk, &a, &p, &e);
		if (rc == STORE_OK)
			rc = encodings_write(st, pk, &e, &person_id, 1, put);
	}
	pthread_mutex_unlock(&refresh_lock);
	arena_free(&a);
	return rc;
}

int api_pprl_refresh(store *st, const keyring *kr, const struct pprl_key *pk,
		     const char *person_id, size_t *put)
{
	size_t k;
	int rc = refresh(st, kr, pk, person_id, &k);

	if (put)
		*put += k;
	return rc;
}

void api_pprl_refresh_req(struct req *r, const char *person_id)
{
	if (api_pprl_refresh(r->app->st, &r->app->kr, r->app->pprl, person_id, NULL) != STORE_OK)
		api_log_event("pprl", "refresh=failed");
}

/* ---- the catch-up --------------------------------------------------------- */

/* The stamps in the store, sorted by handle, each marked when a person the
 * pass reads has it; ok when the row is what the stamp says (put or
 * not) and no day of the consents is due. */
struct stamp_have {
	unsigned char handle[PPRL_HANDLE_BYTES], stamp[PPRL_STAMP_BYTES];
	unsigned char ok, seen;
};

struct catch_up {
	const keyring *kr;
	const struct pprl_key *pk;
	char today[11];
	struct stamp_have *have;
	size_t nhave, caphave;
	/* the person whose consents are being read */
	char person[ID_LEN], org[ID_LEN], updated[TS_LEN];
	int64_t version;
	struct pprl_encoding e;
	/* the persons to refresh */
	char (*ids)[ID_LEN];
	size_t n, cap, unchanged;
};

static int have_cmp(const void *a, const void *b)
{
	return memcmp(((const struct stamp_have *)a)->handle, ((const struct stamp_have *)b)->handle,
		      PPRL_HANDLE_BYTES);
}

static int stamp_take(void *ctx, const struct pprl_stamp_row *row)
{
	struct catch_up *c = ctx;
	struct stamp_have *h;

	if (c->nhave == c->caphave) {
		size_t cap = c->caphave ? c->caphave * 2 : 1024;
		void *p = realloc(c->have, cap * sizeof *c->have);
		if (!p)
			return 1;
		c->have = p;
		c->caphave = cap;
	}
	h = &c->have[c->nhave++];
	memcpy(h->handle, row->handle, PPRL_HANDLE_BYTES);
	memcpy(h->stamp, row->stamp, PPRL_STAMP_BYTES);
	/* A stamp written on a later day than today (the clock was set back)
	 * judged the consents' dates by that day: made again. */
	h->ok = (row->encoded != 0) == (row->has_row != 0) &&
		(!row->recheck[0] || strcmp(row->recheck, c->today) > 0) &&
		strncmp(row->updated_at, c->today, 10) <= 0;
	h->seen = 0;
	return 0;
}

/* The person read: refreshed unless their stamp is the one in the store.
 * A person without a consent not withdrawn is not the pass's (the sweep
 * removes what they have). */
static int person_done(struct catch_up *c)
{
	struct stamp_have key, *h;

	if (!c->person[0] || !c->e.stamped)
		return 0;
	handle_of(c->kr, c->person, key.handle);
	api_pprl_stamp(c->pk, c->person, c->org, c->version, c->updated, &c->e);
	/* no stamps yet (a new folder, a migrated one): have is NULL */
	h = c->nhave ? bsearch(&key, c->have, c->nhave, sizeof *c->have, have_cmp) : NULL;
	if (h)
		h->seen = 1;
	if (h && h->ok && !memcmp(h->stamp, c->e.stamp, PPRL_STAMP_BYTES)) {
		c->unchanged++;
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		void *p = realloc(c->ids, cap * ID_LEN);
		if (!p)
			return 1;
		c->ids = p;
		c->cap = cap;
	}
	snprintf(c->ids[c->n++], ID_LEN, "%s", c->person);
	return 0;
}

/* The consents of the persons, a person's together: the ids to refresh
 * are kept first, for a refresh takes a reader of its own and the store
 * may have only one. */
static int source_take(void *ctx, const struct pprl_source *row)
{
	struct catch_up *c = ctx;

	if (strcmp(row->person_id, c->person)) {
		if (person_done(c))
			return 1;
		memset(&c->e, 0, sizeof c->e);
		snprintf(c->person, sizeof c->person, "%s", row->person_id);
		snprintf(c->org, sizeof c->org, "%s", row->org_id);
		snprintf(c->updated, sizeof c->updated, "%s", row->updated_at);
		c->version = row->version;
	}
	api_pprl_consent_seen(&c->e, row->consent_id, row->consent_version, row->consent_status);
	return 0;
}

/* The refresh of n persons, their rows written in one transaction (a
 * commit per person made the pass take most of a minute for 100,000
 * persons); *put += those put.  A person that cannot be read keeps its
 * row until the next pass, and fails the pass. */
static int refresh_chunk(store *st, const keyring *kr, const struct pprl_key *pk,
			 const char (*ids)[ID_LEN], size_t n, size_t *put)
{
	struct pprl_encoding *e = calloc(n, sizeof *e);
	const char **who = calloc(n, sizeof *who);
	struct person_row p;
	size_t i, k = 0;
	int rc = STORE_ERROR, failed = 0;
	arena a;

	if (!e || !who) {
		free(e);
		free(who);
		return STORE_ERROR;
	}
	pthread_mutex_lock(&refresh_lock);
	for (i = 0; i < n; i++) {
		arena_init(&a, SCRATCH_CAP);
		rc = store_person_get(st, ids[i], &p, &a);
		who[k] = ids[i];
		if (rc == STORE_NOT_FOUND)
			handle_of(kr, ids[i], e[k++].handle); /* not consenting: dropped */
		else if (rc == STORE_OK && encoding_of(st, kr, pk, &a, &p, &e[k]) == STORE_OK)
			k++;
		else
			failed = 1;
		arena_free(&a);
	}
	rc = encodings_write(st, pk, e, who, k, put);
	pthread_mutex_unlock(&refresh_lock);
	sodium_memzero(e, n * sizeof *e);
	free(e);
	free(who);
	return rc == STORE_OK && !failed ? STORE_OK : STORE_ERROR;
}

#define SWEEP_CHUNK 500 /* rows removed per transaction by the sweep */

/* The sweep: the rows of the stamps no person read has (while a
 * refresh since has not written another stamp), and the rows without a
 * stamp. */
static int sweep(store *st, const struct catch_up *c, size_t *forgotten)
{
	size_t i = 0, k;
	store_tx *tx;
	int rc = STORE_OK;

	while (rc == STORE_OK) {
		tx = store_begin(st);
		if (!tx)
			return STORE_ERROR;
		for (k = 0; rc == STORE_OK && i < c->nhave && k < SWEEP_CHUNK; i++)
			if (!c->have[i].seen) {
				rc = store_pprl_forget(tx, c->have[i].handle, c->have[i].stamp);
				k++;
				(*forgotten)++;
			}
		if (rc == STORE_OK && i == c->nhave)
			rc = store_pprl_drop_unstamped(tx);
		if (rc != STORE_OK) {
			store_rollback(tx);
			return rc;
		}
		rc = store_commit(tx);
		if (i == c->nhave)
			break;
	}
	return rc;
}

/* The pass: stop ends it early, without the sweep.  Stamps read first,
 * then the persons: a refresh in between writes a stamp the sweep then
 * leaves (it removes a stamp only while it is the one read). */
static int catch_up(store *st, const keyring *kr, const struct pprl_key *pk, struct background *stop,
		    size_t *encoded, size_t *unchanged, size_t *forgotten)
{
	struct catch_up c;
	size_t i, failed = 0;
	int rc;

	memset(&c, 0, sizeof c);
	c.kr = kr;
	c.pk = pk;
	consent_today(c.today);
	rc = store_pprl_stamps_each(st, stamp_take, &c);
	if (rc == STORE_OK) {
		if (c.nhave)
			qsort(c.have, c.nhave, sizeof *c.have, have_cmp);
		rc = store_pprl_sources(st, source_take, &c);
	}
	if (rc == STORE_OK && person_done(&c))
		rc = STORE_ERROR;
	sodium_memzero(&c.e, sizeof c.e);
	for (i = 0; rc == STORE_OK && i < c.n && !bg_stopping(stop); i += CATCH_UP_CHUNK) {
		size_t n = c.n - i < CATCH_UP_CHUNK ? c.n - i : CATCH_UP_CHUNK;
		if (refresh_chunk(st, kr, pk, (const char (*)[ID_LEN])(c.ids + i), n, encoded) != STORE_OK)
			failed++;
	}
	*unchanged = c.unchanged;
	/* A person that could not be read keeps its row (and fails the
	 * pass); the others' sweep goes on. */
	if (rc == STORE_OK && !bg_stopping(stop))
		rc = sweep(st, &c, forgotten);
	if (failed || bg_stopping(stop))
		rc = STORE_ERROR;
	free(c.ids);
	free(c.have);
	return rc;
}

static struct {
	struct background pass;
	struct app *app;
} bg = {.pass = BACKGROUND_INIT};

static void *catch_up_thread(void *arg)
{
	size_t n = 0, same = 0, gone = 0;
	int rc;

	(void)arg;
	rc = catch_up(bg.app->st, &bg.app->kr, bg.app->pprl, &bg.pass, &n, &same, &gone);
	api_log_event("pprl", "catch_up=%s encoded=%zu unchanged=%zu removed=%zu",
		      rc == STORE_OK ? "done" : "incomplete", n, same, gone);
	return NULL;
}

void api_pprl_start(struct app *app)
{
	bg.app = app;
	if (app->pprl)
		bg_start(&bg.pass, catch_up_thread, NULL);
}

void api_pprl_stop(void)
{
	bg_stop(&bg.pass);
}

/* ---- the question --------------------------------------------------------- */

/* The network's encodings, split: the asking organisation's, and every
 * other organisation's with its organisation and sealed person id. */
struct network {
	const char *org_id;
	/* the asking organisation, for the rows' audiences */
	const char *org_code, *org_type, *today;
	unsigned char *own, *other;
	size_t nown, nother, capown, capother;
	char (*other_org)[ID_LEN];
	unsigned char (*other_ref)[ID_LEN + SEAL_OVERHEAD];
	size_t *other_ref_len;
};

static int grow(unsigned char **v, size_t *cap, size_t n, size_t size)
{
	void *p;
	if (n < *cap)
		return 0;
	p = realloc(*v, (*cap ? *cap * 2 : 256) * size);
	if (!p)
		return -1;
	*v = p;
	*cap = *cap ? *cap * 2 : 256;
	return 0;
}

static int network_row(void *ctx, const struct pprl_row *row)
{
	struct network *x = ctx;

	if (!strcmp(row->org_id, x->org_id)) {
		if (grow(&x->own, &x->capown, x->nown, PPRL_BYTES))
			return 1;
		memcpy(x->own + x->nown++ * PPRL_BYTES, row->clk, PPRL_BYTES);
		return 0;
	}
	/* Another organisation's person is matched only by those its
	 * consents name. */
	if (!api_pprl_audience_admits(row->audience, x->org_code, x->org_type, x->today))
		return 0;
	if (x->nother == x->capother) {
		size_t cap = x->capother ? x->capother * 2 : 256;
		void *c = realloc(x->other, cap * PPRL_BYTES);
		void *o = c ? realloc(x->other_org, cap * ID_LEN) : NULL;
		void *r = o ? realloc(x->other_ref, cap * sizeof *x->other_ref) : NULL;
		void *l = r ? realloc(x->other_ref_len, cap * sizeof *x->other_ref_len) : NULL;
		if (c)
			x->other = c;
		if (o)
			x->other_org = o;
		if (r)
			x->other_ref = r;
		if (!l)
			return 1;
		x->other_ref_len = l;
		x->capother = cap;
	}
	if (row->ref_len > sizeof x->other_ref[0])
		return 0; /* not a row this program wrote */
	memcpy(x->other + x->nother * PPRL_BYTES, row->clk, PPRL_BYTES);
	snprintf(x->other_org[x->nother], ID_LEN, "%s", row->org_id);
	memcpy(x->other_ref[x->nother], row->ref, row->ref_len);
	x->other_ref_len[x->nother] = row->ref_len;
	x->nother++;
	return 0;
}

static void network_free(struct network *x)
{
	free(x->own);
	free(x->other);
	free(x->other_org);
	free(x->other_ref);
	free(x->other_ref_len);
}

/* The time an hour before now, as store_now writes it. */
static void hour_ago(char out[TS_LEN])
{
	time_t t = time(NULL) - ASK_WINDOW_SECS;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, TS_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The organisations named, once each, into orgs[] (indexes into the
 * network's other rows: the first match of each), best not told. */
struct named {
	size_t at[64];   /* index of the first matching row of each organisation */
	size_t n;
	size_t *rows;    /* every matching row (for the matched organisations' audit) */
	size_t nrows;
};

static void named_add(struct named *k, const struct network *x, size_t j)
{
	size_t i;
	k->rows[k->nrows++] = j;
	for (i = 0; i < k->n; i++)
		if (!strcmp(x->other_org[k->at[i]], x->other_org[j]))
			return;
	if (k->n < sizeof k->at / sizeof k->at[0])
		k->at[k->n++] = j;
}

/* The audit entries of the answer: in the asking organisation, which
 * organisations were named; in each named one, on its matched person,
 * that the asking organisation's question matched it (no user, no
 * person of the asker). */
static int audit_answer(struct req *r, store_tx *tx, const char *record, const struct network *x,
			const struct named *k, struct org *orgs)
{
	char fields[64 * 65 + 16], mine[80];
	size_t used = 0, i;
	int rc;

	used = (size_t)snprintf(fields, sizeof fields, "known:");
	for (i = 0; i < k->n && used < sizeof fields; i++)
		used += (size_t)snprintf(fields + used, sizeof fields - used, "%s%s", i ? ";" : "",
					 orgs[i].code);
	if (!k->n)
		snprintf(fields + used, sizeof fields - used, "none");
	rc = api_audit_write(r, tx, "known-elsewhere-answer", record, fields);
	snprintf(mine, sizeof mine, "matched-by:%s", r->who.user.org.code);
	for (i = 0; rc == STORE_OK && i < k->nrows; i++) {
		size_t j = k->rows[i];
		char id[ID_LEN], ad[ID_LEN + 8], theirs[64];
		size_t n = x->other_ref_len[j] - SEAL_OVERHEAD;
		struct audit_entry e;
		snprintf(ad, sizeof ad, "pprl/%s", x->other_org[j]);
		if (x->other_ref_len[j] <= SEAL_OVERHEAD || n >= sizeof id ||
		    seal_decrypt(&r->app->kr, x->other_ref[j], x->other_ref_len[j], ad,
				 (unsigned char *)id) != 0)
			continue; /* a row that does not open names no person */
		id[n] = '\0';
		snprintf(theirs, sizeof theirs, "persons/%s", id);
		memset(&e, 0, sizeof e);
		e.user_id = NULL;
		e.org_id = r->who.user.org.id;
		e.action = "known-elsewhere-matched";
		e.record = theirs;
		e.fields = mine;
		rc = store_audit_append(tx, &e);
	}
	return rc;
}

static void write_answer(struct req *r, struct org *orgs, size_t n, const char *asked_at)
{
	jsonw w;
	size_t i;

	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "known");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		struct org_contact oc;
		jw_object(&w);
		jw_kstr(&w, "org", orgs[i].code);
		jw_kstr(&w, "name", orgs[i].name);
		jw_key(&w, "contact");
		if (store_org_contact_get(r->app->st, orgs[i].id, &oc) == STORE_OK &&
		    (oc.phone[0] || oc.email[0])) {
			jw_object(&w);
			jw_kstr(&w, "phone", oc.phone[0] ? oc.phone : NULL);
			jw_kstr(&w, "email", oc.email[0] ? oc.email : NULL);
			jw_end(&w);
		} else {
			jw_null(&w);
		}
		jw_end(&w);
	}
	jw_end(&w);
	jw_kstr(&w, "asked_at", asked_at);
	jw_end(&w);
	jw_finish(&w);
}

/* Whether the asked person's consents (audience) name the organisation
 * of another's matching row: a match is told both ways (the answer to
 * the asker, the audit entry to the other), so both persons' consents
 * must name the other organisation.  seen caches the organisations
 * looked at; -1 on a store error. */
struct org_seen {
	char id[ID_LEN];
	int ok;
};

static int mutual(struct req *r, const char *audience, const char *org_id, const char *today,
		  struct org_seen *seen, size_t *nseen, size_t cap)
{
	struct org o;
	size_t i;
	int ok;

	for (i = 0; i < *nseen; i++)
		if (!strcmp(seen[i].id, org_id))
			return seen[i].ok;
	if (store_org_by_id(r->app->st, org_id, &o) != STORE_OK)
		return -1;
	ok = api_pprl_audience_admits(audience, o.code, o.type, today);
	if (*nseen < cap) {
		snprintf(seen[*nseen].id, ID_LEN, "%s", org_id);
		seen[(*nseen)++].ok = ok;
	}
	return ok;
}

/* Whether another organisation's matching row j still says what its
 * person's records say now.  A refresh runs after the change it follows
 * commits, and one lost (a failure, a stop) leaves the row stale until
 * the pass at the next start: a withdrawn consent would go on naming its
 * organisation.  So each row about to be named is made again from the
 * store and must still consent to, name and match the asker; a stale one
 * is refreshed.  1 or 0; -1 on a store error. */
static int still_holds(struct req *r, const struct network *x, size_t j,
		       const unsigned char clk[PPRL_BYTES], double thr)
{
	char id[ID_LEN], ad[ID_LEN + 8];
	size_t n = x->other_ref_len[j] - SEAL_OVERHEAD;
	struct person_row p;
	struct pprl_encoding e;
	int ok, rc;

	snprintf(ad, sizeof ad, "pprl/%s", x->other_org[j]);
	if (x->other_ref_len[j] <= SEAL_OVERHEAD || n >= sizeof id ||
	    seal_decrypt(&r->app->kr, x->other_ref[j], x->other_ref_len[j], ad,
			 (unsigned char *)id) != 0)
		return 0; /* a row that does not open names no person */
	id[n] = '\0';
	rc = store_person_get(r->app->st, id, &p, &r->mem);
	if (rc == STORE_NOT_FOUND) {
		api_pprl_refresh_req(r, id);
		return 0;
	}
	if (rc != STORE_OK ||
	    encoding_of(r->app->st, &r->app->kr, r->app->pprl, &r->mem, &p, &e) != STORE_OK)
		return -1;
	ok = e.consenting && !strcmp(e.org_id, x->other_org[j]) &&
	     api_pprl_audience_admits(e.audience, x->org_code, x->org_type, x->today) &&
	     pprl_dice(clk, e.clk) >= thr;
	if (!ok || memcmp(e.clk, x->other + j * PPRL_BYTES, PPRL_BYTES))
		api_pprl_refresh_req(r, id);
	sodium_memzero(&e, sizeof e);
	return ok;
}

/* Compare the person's encoding with the other organisations' and answer;
 * audience: the asked person's (store/pprl.h). */
static int answer(struct req *r, const struct person_row *p, const char *record,
		  const char *asked_at, const char *audience)
{
	struct org_seen seen[64];
	size_t nseen = 0;
	struct network x;
	struct named k;
	struct org orgs[64];
	unsigned char clk[PPRL_BYTES];
	char today[11];
	store_tx *tx;
	json_t *rec;
	double thr = 1;
	size_t j, i;
	int rc;

	rec = record_open(&r->app->kr, &r->mem, p->coded, p->sealed, p->sealed_len, p->id);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	encode_person(r->app->pprl, rec, clk);
	json_decref(rec);
	memset(&x, 0, sizeof x);
	memset(&k, 0, sizeof k);
	x.org_id = p->org_id;
	x.org_code = r->who.user.org.code;
	x.org_type = r->who.user.org.type;
	consent_today(today);
	x.today = today;
	if (store_pprl_each(r->app->st, today, network_row, &x) != STORE_OK) {
		network_free(&x);
		return api_store_error(r, STORE_ERROR);
	}
	k.rows = arena_alloc(&r->mem, (x.nother + 1) * sizeof *k.rows);
	if (!k.rows) {
		network_free(&x);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	if (x.nother) {
		/* The threshold `pprl link` would take between the asking
		 * organisation's encodings (this person's at least) and the
		 * others'. */
		if (!x.nown)
			thr = pprl_threshold(clk, 1, x.other, x.nother);
		else
			thr = pprl_threshold(x.own, x.nown, x.other, x.nother);
		/* Never below the floor: an answer names an organisation (a
		 * shelter, perhaps), so a false one can point at where someone
		 * is.  The balanced encoding puts unrelated persons near 0.70,
		 * a shared first name and a sound-alike surname with another
		 * birth date near 0.89, and the same person in another script
		 * with day and month swapped at 1.00 (README). */
		if (thr < PPRL_NETWORK_FLOOR)
			thr = PPRL_NETWORK_FLOOR;
		for (j = 0; j < x.nother; j++) {
			if (pprl_dice(clk, x.other + j * PPRL_BYTES) < thr)
				continue;
			rc = mutual(r, audience, x.other_org[j], today, seen, &nseen,
				    sizeof seen / sizeof seen[0]);
			if (rc > 0)
				rc = still_holds(r, &x, j, clk, thr);
			if (rc < 0) {
				network_free(&x);
				return api_store_error(r, STORE_ERROR);
			}
			if (rc)
				named_add(&k, &x, j);
		}
	}
	for (i = 0; i < k.n; i++)
		if (store_org_by_id(r->app->st, x.other_org[k.at[i]], &orgs[i]) != STORE_OK) {
			network_free(&x);
			return api_store_error(r, STORE_ERROR);
		}
	tx = store_begin(r->app->st);
	rc = tx ? audit_answer(r, tx, record, &x, &k, orgs) : STORE_ERROR;
	network_free(&x);
	sodium_memzero(clk, sizeof clk);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	write_answer(r, orgs, k.n, asked_at);
	return 200;
}

/* A question names another organisation only on more than a first name:
 * the asked person needs a given and a family name, and a birth date or
 * an estimated age (else 422 not-enough-to-match, nothing asked). */
static int enough_to_ask(struct req *r, const struct person_row *p)
{
	json_t *rec = record_open(&r->app->kr, &r->mem, p->coded, p->sealed, p->sealed_len, p->id);
	const char *given, *family;
	int ok;

	if (!rec) {
		reply_problem(r, 500, "internal", "the record cannot be opened");
		return 0;
	}
	given = json_string_value(json_object_get(rec, "given_name"));
	family = json_string_value(json_object_get(rec, "family_name"));
	ok = given && *given && family && *family &&
	     (json_object_get(rec, "birth_date") || json_object_get(rec, "estimated_age"));
	json_decref(rec);
	if (!ok)
		reply_problem(r, 422, "not-enough-to-match",
			      "the network is asked about a person with a given and a family name "
			      "and a birth date or an estimated age: a name alone would match others");
	return ok;
}

int api_person_known_elsewhere(struct req *r)
{
	struct person_row p;
	char record[64], since[TS_LEN], asked_at[TS_LEN], rate[16];
	struct pprl_encoding consents = {0};
	int64_t asked = 0, by_org = 0;
	store_tx *tx;
	int rc;

	if (api_person_load(r, r->params[0], &p, PERSON_TO_WRITE))
		return r->status;
	if (policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden",
				     "your role cannot ask the network about a person");
	if (r->body.len && !req_json_object(r))
		return r->status;
	if (r->body_json && json_object_size(r->body_json))
		return reply_problem(r, 422, "unknown-field", "the question takes no fields");
	if (p.merged_into[0])
		return reply_problem(r, 409, "merged",
				     "this person was merged into another: ask about that one");
	if (network_consent(r->app->st, &r->app->kr, &r->mem, p.id, &consents) != 0)
		return api_store_error(r, STORE_ERROR);
	if (!consents.consenting)
		return reply_problem(r, 409, "consent-required",
				     "the person has no current consent for referral or to law enforcement: "
				     "without it the person's encoding does not enter the network");
	if (!enough_to_ask(r, &p))
		return r->status;
	hour_ago(since);
	if (store_pprl_questions_since(r->app->st, r->who.user.id, since, &asked) != STORE_OK ||
	    store_pprl_questions_org_since(r->app->st, r->who.user.org.id, since, &by_org) !=
		    STORE_OK)
		return api_store_error(r, STORE_ERROR);
	if (asked >= PPRL_ASK_PER_HOUR || by_org >= PPRL_ASK_PER_ORG_HOUR) {
		int user = asked >= PPRL_ASK_PER_HOUR;
		snprintf(rate, sizeof rate, "%d", ASK_WINDOW_SECS);
		reply_header(r, "Retry-After", rate);
		return reply_problemf(r, 429, "rate-limited",
				      "at most %d questions to the network an hour per %s",
				      user ? PPRL_ASK_PER_HOUR : PPRL_ASK_PER_ORG_HOUR,
				      user ? "user" : "organisation");
	}
	/* The question is audited before it is answered, in its own
	 * transaction: a failure later still leaves it in the log. */
	snprintf(record, sizeof record, "persons/%s", p.id);
	store_now(asked_at);
	tx = store_begin(r->app->st);
	rc = tx ? store_pprl_question_add(tx, r->who.user.id, asked_at, since) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "known-elsewhere-ask", record, "known_elsewhere");
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	/* The person's own row current (a change made before this version
	 * of the program, or under another secret). */
	api_pprl_refresh_req(r, p.id);
	return answer(r, &p, record, asked_at, consents.audience);
}
