/*
 * test_audience.c - the network matching's audience (api/pprlnet.c,
 * store/pprl.h): which consents enter a person's row, in what form, and
 * whom a row admits on a day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "api/pprlnet.h"

static json_t *consent(const char *purpose, const char *org, const char *type, const char *given,
		       const char *expires, const char *withdrawn)
{
	json_t *c = json_pack("{s:s, s:s, s:s}", "purpose", purpose, "method", "written", "given_on",
			      given);
	if (org)
		json_object_set_new(c, "recipient_org", json_string(org));
	if (type)
		json_object_set_new(c, "recipient_type", json_string(type));
	if (expires)
		json_object_set_new(c, "expires", json_string(expires));
	if (withdrawn)
		json_object_set_new(c, "withdrawn_on", json_string(withdrawn));
	return c;
}

static void add(struct pprl_encoding *e, json_t *c)
{
	api_pprl_consent_add(e, c, "2026-06-01");
	json_decref(c);
}

/* Referral and law enforcement consents in force enter, in byte order and
 * once each, whatever the order they come in; statistics, research,
 * assistance, withdrawn, ended and future ones do not. */
static void test_entries(void **state)
{
	struct pprl_encoding a, b;

	(void)state;
	memset(&a, 0, sizeof a);
	add(&a, consent("referral", "shelter", NULL, "2026-01-01", "2026-12-31", NULL));
	add(&a, consent("law_enforcement", NULL, "LawEnforcement", "2026-01-01", NULL, NULL));
	add(&a, consent("referral", NULL, NULL, "2026-01-01", NULL, NULL));
	add(&a, consent("referral", "shelter", NULL, "2026-01-01", "2026-12-31", NULL));
	add(&a, consent("statistics", NULL, NULL, "2026-01-01", NULL, NULL));
	add(&a, consent("research", "ngo2", NULL, "2026-01-01", NULL, NULL));
	add(&a, consent("assistance", NULL, NULL, "2026-01-01", NULL, NULL));
	add(&a, consent("referral", "police", NULL, "2026-01-01", NULL, "2026-03-01"));
	add(&a, consent("referral", "court", NULL, "2025-01-01", "2026-05-31", NULL));
	add(&a, consent("referral", "later", NULL, "2026-07-01", NULL, NULL));
	assert_string_equal(a.audience, "shelter||2026-12-31;|LawEnforcement|;||");
	assert_int_equal(a.consenting, 2);
	memset(&b, 0, sizeof b);
	add(&b, consent("referral", NULL, NULL, "2026-01-01", NULL, NULL));
	add(&b, consent("referral", "shelter", NULL, "2026-01-01", "2026-12-31", NULL));
	add(&b, consent("law_enforcement", NULL, "LawEnforcement", "2026-01-01", NULL, NULL));
	assert_string_equal(b.audience, a.audience);
	/* statistics alone: not in the network */
	memset(&b, 0, sizeof b);
	add(&b, consent("statistics", NULL, NULL, "2026-01-01", NULL, NULL));
	assert_int_equal(b.consenting, 0);
	assert_string_equal(b.audience, "");
}

/* An organisation is admitted by an entry naming it, its type, or no one,
 * up to the entry's last day; an empty audience admits no one. */
static void test_admits(void **state)
{
	const char *aud = "shelter||2026-12-31;|LawEnforcement|";

	(void)state;
	assert_true(api_pprl_audience_admits(aud, "shelter", "NGO", "2026-12-31"));
	assert_false(api_pprl_audience_admits(aud, "shelter", "NGO", "2027-01-01"));
	assert_true(api_pprl_audience_admits(aud, "police", "LawEnforcement", "2030-01-01"));
	assert_false(api_pprl_audience_admits(aud, "ngo2", "NGO", "2026-06-01"));
	assert_false(api_pprl_audience_admits(aud, "shelter2", "NGO", "2026-06-01"));
	assert_false(api_pprl_audience_admits(aud, "shelte", "NGO", "2026-06-01"));
	assert_false(api_pprl_audience_admits(aud, "police", "LawEnforcementX", "2026-06-01"));
	assert_true(api_pprl_audience_admits("||", "anyone", "IGO", "2026-06-01"));
	assert_true(api_pprl_audience_admits("shelter|NGO|", "shelter", "NGO", "2026-06-01"));
	assert_false(api_pprl_audience_admits("shelter|NGO|", "shelter", "IGO", "2026-06-01"));
	assert_false(api_pprl_audience_admits("", "anyone", "IGO", "2026-06-01"));
	/* malformed entries admit no one */
	assert_false(api_pprl_audience_admits("shelter", "shelter", "NGO", "2026-06-01"));
	assert_false(api_pprl_audience_admits("||2026", "x", "NGO", "2026-06-01"));
	assert_false(api_pprl_audience_admits(";;;", "x", "NGO", "2026-06-01"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_admits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
