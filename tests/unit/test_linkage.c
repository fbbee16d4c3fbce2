/*
 * test_linkage.c - unit tests of src/domain/linkage and src/domain/pprl:
 * Jaro-Winkler against published values, the birth-date typo levels, the
 * comparison of one person written in three scripts, pattern codes, EM
 * recovering the m and u of a known mixture, blocking that finds a pair
 * through any one key and hands it over once, a whole run, and CLK
 * encodings (balanced, keyed, tolerant of script and of a swapped date).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "api/pprlnet.h"
#include "domain/consent.h"
#include "domain/linkage.h"
#include "domain/pprl.h"

/* ---- Jaro-Winkler ------------------------------------------------------- */

static void test_jaro_winkler(void **state)
{
	(void)state;
	/* Winkler's (1990) examples, as in most references */
	assert_true(fabs(link_jaro_winkler("martha", "marhta") - 0.9611) < 1e-3);
	assert_true(fabs(link_jaro_winkler("dwayne", "duane") - 0.84) < 1e-3);
	assert_true(fabs(link_jaro_winkler("dixon", "dicksonx") - 0.8133) < 1e-3);
	assert_true(link_jaro_winkler("abc", "abc") == 1.0);
	assert_true(link_jaro_winkler("", "abc") == 0.0);
	assert_true(link_jaro_winkler("abc", "") == 0.0);
	assert_true(link_jaro_winkler("abc", "xyz") == 0.0);
	/* symmetric */
	assert_true(fabs(link_jaro_winkler("jones", "johnson") -
			 link_jaro_winkler("johnson", "jones")) < 1e-12);
}

/* ---- dates -------------------------------------------------------------- */

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(link_compare_dates(1990, 5, 1, 1990, 5, 1), LINK_DATE_EXACT);
	/* day-first once, month-first once */
	assert_int_equal(link_compare_dates(1990, 5, 1, 1990, 1, 5), LINK_DATE_TYPO);
	/* one digit */
	assert_int_equal(link_compare_dates(1990, 5, 1, 1990, 5, 7), LINK_DATE_TYPO);
	assert_int_equal(link_compare_dates(1990, 5, 1, 1980, 5, 1), LINK_DATE_TYPO);
	/* two neighbouring digits transposed: 1990-05-12 / 1990-05-21 */
	assert_int_equal(link_compare_dates(1990, 5, 12, 1990, 5, 21), LINK_DATE_TYPO);
	/* a year off by one, day and month kept */
	assert_int_equal(link_compare_dates(1990, 5, 1, 1991, 5, 1), LINK_DATE_TYPO);
	assert_int_equal(link_compare_dates(1999, 12, 31, 2000, 12, 31), LINK_DATE_TYPO);
	/* the year only */
	assert_int_equal(link_compare_dates(1990, 5, 1, 1990, 11, 23), LINK_DATE_YEAR);
	assert_int_equal(link_compare_dates(1990, 0, 0, 1990, 11, 23), LINK_DATE_YEAR);
	assert_int_equal(link_compare_dates(1990, 0, 0, 1991, 0, 0), LINK_DATE_YEAR);
	/* different */
	assert_int_equal(link_compare_dates(1990, 5, 1, 1985, 11, 23), LINK_DATE_DIFFERENT);
	assert_int_equal(link_compare_dates(1990, 0, 0, 1985, 0, 0), LINK_DATE_DIFFERENT);
}

static struct link_record make(const char *given, const char *family, const char *pat,
			       const char *birth, const char *sex)
{
	struct link_person p;
	struct link_record r;
	memset(&p, 0, sizeof p);
	p.given_name = given;
	p.family_name = family;
	p.patronymic = pat;
	p.birth_date = birth;
	p.sex = sex;
	link_record_make(&r, &p);
	return r;
}

static void test_record_dates(void **state)
{
	struct link_record a = make("x", "y", NULL, "1990-05-01", NULL);
	struct link_record b = make("x", "y", NULL, "01.05.1990", NULL);
	struct link_record c = make("x", "y", NULL, "19900501", NULL);
	struct link_record d = make("x", "y", NULL, "not a date", NULL);
	struct link_record e = make("x", "y", NULL, "1990", NULL);
	(void)state;
	assert_int_equal(a.year, 1990);
	assert_int_equal(a.month, 5);
	assert_int_equal(a.day, 1);
	assert_memory_equal(&a.year, &b.year, sizeof a.year);
	assert_int_equal(b.month, 5);
	assert_int_equal(b.day, 1);
	assert_int_equal(c.year, 1990);
	assert_int_equal(c.day, 1);
	assert_int_equal(d.year, 0);
	assert_int_equal(e.year, 1990);
	assert_int_equal(e.month, 0);
}

/* ---- comparing records -------------------------------------------------- */

static void test_compare_scripts(void **state)
{
	struct link_record tj = make("Ҷамшед", "Ҷумъаев", "Раҳимович", "1990-05-01", "М");
	struct link_record ru = make("Джамшед", "Джумаев", "Рахимович", "01.05.1990", "мард");
	struct link_record la = make("Jamshed", "Dzhumaev", "Rakhimovich", "1990-01-05", "male");
	struct link_record other = make("Мадина", "Назарова", "Азизовна", "1985-11-23", "Ж");
	uint8_t lv[LINK_FIELDS];
	(void)state;

	link_compare(&tj, &ru, lv);
	assert_int_equal(lv[LF_GIVEN], 0);
	assert_int_equal(lv[LF_FAMILY], 0);
	assert_int_equal(lv[LF_PATRONYMIC], 0);
	assert_int_equal(lv[LF_BIRTH], LINK_DATE_EXACT);
	assert_int_equal(lv[LF_SEX], 0);
	assert_int_equal(lv[LF_PHONE], LINK_MISSING);
	assert_int_equal(lv[LF_LOCALITY], LINK_MISSING);

	link_compare(&tj, &la, lv);
	assert_int_equal(lv[LF_GIVEN], 0);
	assert_int_equal(lv[LF_FAMILY], 0);
	assert_int_equal(lv[LF_BIRTH], LINK_DATE_TYPO); /* month-first */
	assert_int_equal(lv[LF_SEX], 0);

	link_compare(&tj, &other, lv);
	assert_int_equal(lv[LF_GIVEN], 3);
	assert_int_equal(lv[LF_FAMILY], 3);
	assert_int_equal(lv[LF_BIRTH], LINK_DATE_DIFFERENT);
	assert_int_equal(lv[LF_SEX], 1);
}

static void test_compare_swapped_names(void **state)
{
	struct link_record a = make("michaela", "neumann", NULL, "19151111", NULL);
	struct link_record b = make("neumann", "michaela", NULL, "19151111", NULL);
	struct link_record c = make("michaela", "neuman", NULL, "19151111", NULL);
	uint8_t lv[LINK_FIELDS];
	(void)state;
	link_compare(&a, &b, lv);
	assert_int_equal(lv[LF_GIVEN], 0);
	assert_int_equal(lv[LF_FAMILY], 0);
	link_compare(&a, &c, lv); /* a typo: the keys still meet (nn = n) */
	assert_int_equal(lv[LF_FAMILY], 0);
}

static void test_tokens_and_codes(void **state)
{
	unsigned char t1[LINK_TOKEN_BYTES], t2[LINK_TOKEN_BYTES];
	struct link_person p;
	struct link_record a, b;
	uint8_t lv[LINK_FIELDS], back[LINK_FIELDS];
	int f;
	(void)state;

	memset(t1, 7, sizeof t1);
	memset(t2, 7, sizeof t2);
	memset(&p, 0, sizeof p);
	p.phone_token = t1;
	p.street_number = "7.0";
	p.postcode = "2119";
	link_record_make(&a, &p);
	p.phone_token = t2;
	p.street_number = "7";
	p.postcode = "2191";
	link_record_make(&b, &p);
	link_compare(&a, &b, lv);
	assert_int_equal(lv[LF_PHONE], 0);
	assert_int_equal(lv[LF_ADDRESS], 2);  /* the number only: "7.0" read back from a sheet */
	assert_int_equal(lv[LF_LOCALITY], 1); /* postcode digits transposed */
	t2[3] = 8;
	link_record_make(&b, &p);
	link_compare(&a, &b, lv);
	assert_int_equal(lv[LF_PHONE], 1);

	for (f = 0; f < LINK_FIELDS; f++)
		lv[f] = f % 3 == 0 ? LINK_MISSING : (uint8_t)(f % link_field_levels(f));
	link_pattern_levels(link_pattern_code(lv), back);
	assert_memory_equal(lv, back, sizeof lv);
}

/* ---- EM ----------------------------------------------------------------- */

/* Patterns drawn from a known two-class model over three binary fields
 * (the others missing); EM must find p, m and u again. */
static void test_em_recovers_model(void **state)
{
	static const double m[3] = {0.95, 0.9, 0.8}, u[3] = {0.05, 0.1, 0.2};
	const double p = 0.2;
	struct link_patterns pt;
	struct link_model model;
	unsigned pat;
	(void)state;

	link_patterns_init(&pt);
	for (pat = 0; pat < 8; pat++) {
		uint8_t lv[LINK_FIELDS];
		double pm = p, pu = 1 - p;
		int f;
		memset(lv, LINK_MISSING, sizeof lv);
		for (f = 0; f < 3; f++) {
			int agree = !(pat >> f & 1);
			lv[f == 0 ? LF_GIVEN : f == 1 ? LF_FAMILY : LF_BIRTH] = agree ? 0 : 3;
			pm *= agree ? m[f] : 1 - m[f];
			pu *= agree ? u[f] : 1 - u[f];
		}
		link_patterns_add(&pt, lv, (uint64_t)llround((pm + pu) * 1e6));
	}
	assert_int_equal(pt.used, 8);
	assert_int_equal(link_em(&model, &pt, NULL, 0.5), 0);
	assert_true(fabs(model.p - p) < 0.01);
	assert_true(fabs(model.m[LF_GIVEN][0] - m[0]) < 0.01);
	assert_true(fabs(model.m[LF_FAMILY][0] - m[1]) < 0.01);
	assert_true(fabs(model.m[LF_BIRTH][0] - m[2]) < 0.01);
	assert_true(fabs(model.u[LF_GIVEN][0] - u[0]) < 0.01);
	assert_true(fabs(model.u[LF_BIRTH][0] - u[2]) < 0.01);
	/* weights: agreement counts for, disagreement against */
	{
		uint8_t all[LINK_FIELDS], none[LINK_FIELDS];
		memset(all, LINK_MISSING, sizeof all);
		memset(none, LINK_MISSING, sizeof none);
		all[LF_GIVEN] = all[LF_FAMILY] = all[LF_BIRTH] = 0;
		none[LF_GIVEN] = none[LF_FAMILY] = none[LF_BIRTH] = 3;
		assert_true(link_weight(&model, all) > model.threshold);
		assert_true(link_weight(&model, none) < model.threshold);
		assert_true(link_probability(&model, all) > 0.99);
		assert_true(link_probability(&model, none) < 0.01);
	}
	link_patterns_free(&pt);

	/* nothing to learn from */
	link_patterns_init(&pt);
	assert_int_equal(link_em(&model, &pt, NULL, 0.5), -1);
}

/* ---- blocking and the run ----------------------------------------------- */

struct seen {
	uint32_t i[64], j[64];
	size_t n;
};

static int note_pair(void *ctx, uint32_t i, uint32_t j)
{
	struct seen *s = ctx;
	if (s->n < 64) {
		s->i[s->n] = i;
		s->j[s->n] = j;
	}
	s->n++;
	return 0;
}

static void test_blocking(void **state)
{
	struct link_record a[3], b[3];
	struct seen s;
	size_t k;
	(void)state;

	/* 0: same names and date (many keys shared: handed over once);
	 * 1: names swapped, family typo, date day/month swapped;
	 * 2: nothing in common with anything */
	a[0] = make("Ҷамшед", "Ҷумъаев", NULL, "1990-05-01", NULL);
	b[0] = make("Jamshed", "Dzhumaev", NULL, "01.05.1990", NULL);
	a[1] = make("Мадина", "Назарова", NULL, "1985-11-03", NULL);
	b[1] = make("Nazarva", "Madina", NULL, "1985-03-11", NULL);
	a[2] = make("Алишер", "Қодиров", NULL, "1970-01-01", NULL);
	b[2] = make("Zarina", "Smith", NULL, "2001-12-24", NULL);

	memset(&s, 0, sizeof s);
	assert_int_equal(link_block_pairs(a, 3, b, 3, 0, note_pair, &s, NULL), 0);
	assert_int_equal(s.n, 2);
	for (k = 0; k < s.n; k++)
		assert_int_equal(s.i[k], s.j[k]);

	/* deduplication: pairs within one list, i < j */
	{
		struct link_record d[3] = {a[0], a[1], b[0]};
		memset(&s, 0, sizeof s);
		assert_int_equal(link_block_pairs(d, 3, NULL, 0, 0, note_pair, &s, NULL), 0);
		assert_int_equal(s.n, 1);
		assert_int_equal(s.i[0], 0);
		assert_int_equal(s.j[0], 2);
	}

	/* a block over the cap is skipped, and said so */
	{
		struct link_record same[4] = {a[0], a[0], a[0], a[0]};
		struct link_stats st;
		memset(&s, 0, sizeof s);
		memset(&st, 0, sizeof st);
		assert_int_equal(link_block_pairs(same, 4, NULL, 0, 2, note_pair, &s, &st), 0);
		assert_int_equal(s.n, 0);
		assert_true(st.skipped_blocks > 0);
	}
}

static int note_match(void *ctx, uint32_t i, uint32_t j, double w)
{
	struct seen *s = ctx;
	(void)w;
	return note_pair(s, i, j);
}

static void test_run(void **state)
{
	/* 40 persons against their other spellings, with decoys that share
	 * a family name and year: the run must pair each with its own. */
	static const char *given[] = {"Фаррух", "Мадина", "Алишер", "Нилуфар", "Рустам",
				      "Гулнора", "Далер", "Зарина"};
	static const char *given_lat[] = {"Farrukh", "Madina", "Alisher", "Nilufar",
					  "Rustam", "Gulnora", "Daler", "Zarina"};
	static const char *family[] = {"Раҳимов", "Саидзода", "Қодиров", "Назаров", "Шарипов"};
	static const char *family_lat[] = {"Rakhimov", "Saidov", "Kodirov", "Nazarov",
					   "Sharipov"};
	struct link_record a[40], b[40];
	struct link_model model;
	struct link_options opt;
	struct link_stats st;
	struct seen s;
	char date[40][16], date2[40][16];
	size_t i, k;
	(void)state;

	for (i = 0; i < 40; i++) {
		snprintf(date[i], sizeof date[i], "19%02zu-%02zu-%02zu", 60 + i, 1 + i % 12,
			 1 + (i * 7) % 28);
		snprintf(date2[i], sizeof date2[i], "%02zu.%02zu.19%02zu", 1 + (i * 7) % 28,
			 1 + i % 12, 60 + i);
		a[i] = make(given[i % 8], family[i % 5], NULL, date[i], i % 2 ? "Ж" : "М");
		b[i] = make(given_lat[i % 8], family_lat[i % 5], NULL, date2[i],
			    i % 2 ? "f" : "m");
	}
	memset(&opt, 0, sizeof opt);
	memset(&s, 0, sizeof s);
	assert_int_equal(link_run(a, 40, b, 40, &opt, &model, note_match, &s, &st), 0);
	assert_true(st.candidates >= 40);
	assert_int_equal(s.n, 40);
	for (k = 0; k < s.n; k++)
		assert_int_equal(s.i[k], s.j[k]);
}

/* ---- PPRL --------------------------------------------------------------- */

static void encode(const struct pprl_key *key, const char *given, const char *family,
		   const char *birth, unsigned char out[PPRL_BYTES])
{
	struct link_person p;
	memset(&p, 0, sizeof p);
	p.given_name = given;
	p.family_name = family;
	p.birth_date = birth;
	pprl_encode(key, &p, "+992 93 123 45 67", NULL, out);
}

static void test_pprl(void **state)
{
	static const unsigned char secret[] = "a secret the agencies share, 32B";
	static const unsigned char other[] = "another secret of thirty-two b..";
	struct pprl_key *k1 = malloc(sizeof *k1), *k2 = malloc(sizeof *k2);
	unsigned char tj[PPRL_BYTES], ru[PPRL_BYTES], lat[PPRL_BYTES], diff[PPRL_BYTES],
		again[PPRL_BYTES], keyed[PPRL_BYTES];
	(void)state;

	assert_non_null(k1);
	assert_non_null(k2);
	assert_int_equal(pprl_key_derive(k1, (const unsigned char *)"short", 5), -1);
	assert_int_equal(pprl_key_derive(k1, secret, sizeof secret - 1), 0);
	assert_int_equal(pprl_key_derive(k2, other, sizeof other - 1), 0);

	encode(k1, "Ҷамшед", "Ҷумъаев", "1990-05-01", tj);
	encode(k1, "Джамшед", "Джумаев", "01.05.1990", ru);
	encode(k1, "Jamshed", "Dzhumaev", "1990-01-05", lat); /* month-first */
	encode(k1, "Мадина", "Назарова", "1985-11-23", diff);
	encode(k1, "Ҷамшед", "Ҷумъаев", "1990-05-01", again);
	encode(k2, "Ҷамшед", "Ҷумъаев", "1990-05-01", keyed);

	/* balanced: every encoding has exactly PPRL_BITS ones */
	assert_int_equal(pprl_ones(tj), PPRL_BITS);
	assert_int_equal(pprl_ones(diff), PPRL_BITS);
	/* deterministic under one secret */
	assert_memory_equal(tj, again, PPRL_BYTES);
	/* one person in three scripts, date day- or month-first: the same */
	assert_true(pprl_dice(tj, ru) == 1.0);
	assert_true(pprl_dice(tj, lat) == 1.0);
	/* another person, or the same under another secret: far */
	assert_true(pprl_dice(tj, diff) < 0.85);
	assert_true(pprl_dice(tj, keyed) < 0.85);
	pprl_key_wipe(k1);
	pprl_key_wipe(k2);
	free(k1);
	free(k2);
}

/* The threshold read from the data: the same for the same lists, within
 * its bounds, under the Dice of a person and her other spelling, over
 * the similarities of unrelated persons. */
static void test_pprl_threshold(void **state)
{
	static const unsigned char secret[] = "a secret the agencies share, 32B";
	static const char *const given[] = {"Мадина", "Бахтиёр", "Нилуфар", "Сорбон", "Гулноза", "Дилшод"};
	static const char *const family[] = {"Назарова", "Каримов", "Раҳимова", "Шарипов", "Исмоилова"};
	enum { N = 30 };
	struct pprl_key *k = malloc(sizeof *k);
	unsigned char *a = malloc((N + 1) * PPRL_BYTES), *b = malloc((N + 1) * PPRL_BYTES);
	char birth[16];
	double thr, most = 0;
	size_t i, j;
	(void)state;

	assert_non_null(k);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(pprl_key_derive(k, secret, sizeof secret - 1), 0);
	for (i = 0; i < N; i++) {
		snprintf(birth, sizeof birth, "19%02zu-%02zu-%02zu", 60 + i, i % 12 + 1, i % 27 + 1);
		encode(k, given[i % 6], family[i % 5], birth, a + i * PPRL_BYTES);
		snprintf(birth, sizeof birth, "20%02zu-%02zu-%02zu", i % 10, (i + 5) % 12 + 1, (i + 3) % 27 + 1);
		encode(k, given[(i + 1) % 6], family[(i + 2) % 5], birth, b + i * PPRL_BYTES);
	}
	encode(k, "Фаррух", "Ҷумъаев", "1994-03-07", a + N * PPRL_BYTES);
	encode(k, "Farrukh", "Dzhumaev", "1994-07-03", b + N * PPRL_BYTES);
	thr = pprl_threshold(a, N + 1, b, N + 1);
	assert_true(thr >= 0.5 && thr <= 0.99);
	assert_true(thr == pprl_threshold(a, N + 1, b, N + 1));
	assert_true(pprl_dice(a + N * PPRL_BYTES, b + N * PPRL_BYTES) >= thr);
	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++)
			most = fmax(most, pprl_dice(a + i * PPRL_BYTES, b + j * PPRL_BYTES));
	assert_true(most < thr);
	pprl_key_wipe(k);
	free(k);
	free(a);
	free(b);
}

/* A person's row of the network matching from records in hand (the
 * demo builds them so; api/pprlnet.c's refresh folds stored consents the
 * same way): which consents count, the latest end or none, the reference
 * sealed to the person's id under the organisation. */
/* e from the consents (NULL-ended: purpose, then "expires=DAY" or
 * "withdrawn=DAY" or NULL; all given on 2020-01-01) and the person. */
static void encode_with(const keyring *kr, const struct pprl_key *pk, json_t *person,
			const char *const *consents, struct pprl_encoding *e)
{
	char today[11];

	consent_today(today);
	memset(e, 0, sizeof *e);
	for (; *consents; consents += 2) {
		json_t *c = json_pack("{s:s, s:s}", "purpose", consents[0], "given_on", "2020-01-01");
		const char *v = consents[1];
		assert_non_null(c);
		if (v && !strncmp(v, "expires=", 8))
			json_object_set_new(c, "expires", json_string(v + 8));
		else if (v && !strncmp(v, "withdrawn=", 10))
			json_object_set_new(c, "withdrawn_on", json_string(v + 10));
		api_pprl_consent_add(e, c, today);
		json_decref(c);
	}
	api_pprl_encode(kr, pk, "abcdefghijklmnopqrstuvwxyz", "org-a", person, e);
}

static void test_network_encoding(void **state)
{
	static const char id[] = "abcdefghijklmnopqrstuvwxyz";
	/* statistics never counts (anonymous counting is no consent to be
	 * named to another organisation), whatever its dates */
	static const char *const none[] = {"assistance", NULL, "referral", "withdrawn=2020-02-01",
					   "law_enforcement", "expires=2021-01-01", "statistics",
					   NULL, NULL};
	static const char *const ends[] = {"law_enforcement", "expires=2098-05-01",
					   "referral", "expires=2099-01-01",
					   "referral", "expires=2097-01-01", NULL};
	static const char *const no_end[] = {"referral", "expires=2099-01-01", "law_enforcement",
					     NULL, "referral", "expires=2099-06-01", NULL};
	static const char *const stats[] = {"law_enforcement", NULL, NULL};
	keyring kr;
	struct pprl_key *pk;
	struct pprl_encoding e, again;
	json_t *person = json_pack("{s:s, s:s, s:s, s:s}", "given_name", "Зарина",
				   "family_name", "Ҷумъаева", "birth_date", "1994-03-07",
				   "gender", "Feminine");
	unsigned char back[sizeof id];
	char err[128];

	(void)state;
	assert_int_equal(crypto_init(), 0);
	randombytes_buf(&kr, sizeof kr);
	pk = api_pprl_key_load(&kr, NULL, err, sizeof err);
	assert_non_null(pk);

	/* Assistance, a withdrawn referral, an expired law enforcement
	 * consent, statistics: none counts. */
	encode_with(&kr, pk, person, none, &e);
	assert_int_equal(e.consenting, 0);

	/* Several with ends: the latest. */
	encode_with(&kr, pk, person, ends, &e);
	assert_int_equal(e.consenting, 1);
	assert_string_equal(e.expires, "2099-01-01");
	assert_string_equal(e.org_id, "org-a");
	/* The reference opens to the id under its organisation only. */
	assert_int_equal(e.ref_len, strlen(id) + SEAL_OVERHEAD);
	assert_int_equal(seal_decrypt(&kr, e.ref, e.ref_len, "pprl/org-a", back), 0);
	assert_memory_equal(back, id, strlen(id));
	assert_int_equal(seal_decrypt(&kr, e.ref, e.ref_len, "pprl/org-b", back), -1);

	/* One without an end among them: no end, whatever the order. */
	encode_with(&kr, pk, person, no_end, &again);
	assert_int_equal(again.consenting, 1);
	assert_string_equal(again.expires, "");
	/* The same person, the same handle and encoding. */
	assert_memory_equal(again.clk, e.clk, PPRL_BYTES);
	assert_memory_equal(again.handle, e.handle, PPRL_HANDLE_BYTES);

	/* A person not opened (merged away): no row, its handle to drop. */
	encode_with(&kr, pk, NULL, stats, &again);
	assert_int_equal(again.consenting, 0);
	assert_memory_equal(again.handle, e.handle, PPRL_HANDLE_BYTES);

	/* Another name, another encoding. */
	json_object_set_new(person, "family_name", json_string("Саидова"));
	encode_with(&kr, pk, person, stats, &again);
	assert_memory_not_equal(again.clk, e.clk, PPRL_BYTES);

	json_decref(person);
	api_pprl_key_free(pk);
	sodium_memzero(&kr, sizeof kr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jaro_winkler),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_record_dates),
		cmocka_unit_test(test_compare_scripts),
		cmocka_unit_test(test_compare_swapped_names),
		cmocka_unit_test(test_tokens_and_codes),
		cmocka_unit_test(test_em_recovers_model),
		cmocka_unit_test(test_blocking),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_pprl),
		cmocka_unit_test(test_pprl_threshold),
		cmocka_unit_test(test_network_encoding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
