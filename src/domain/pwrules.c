/*
 * pwrules.c - the rules of a new password (see pwrules.h).  The common
 * list is a few hundred lines: a linear scan per check costs nothing
 * beside the Argon2id hash that follows it, nor do the scans of the
 * password's at most 1024 code points for patterns and names.
 */
#include <stdint.h>
#include <string.h>

#include "domain/pwrules.h"
#include "util/utf8.h"

/* Lower case of one code point, for the scripts the list holds. */
static uint32_t fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0x0410 && c <= 0x042F) /* А..Я */
		return c + 0x20;
	if (c >= 0x0400 && c <= 0x040F) /* Ѐ..Џ, Ё */
		return c + 0x50;
	/* Ғ Қ Ҳ Ҷ (0x0490-0x04BF) and Ӣ Ӯ (0x04D0-0x04FF): upper even, lower odd */
	if (((c >= 0x0490 && c <= 0x04BF) || (c >= 0x04D0 && c <= 0x04FF)) && !(c & 1))
		return c + 1;
	return c;
}

/* Decode one UTF-8 code point of valid text at *p and advance. */
static uint32_t next_cp(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, i;

	if (n > (size_t)(end - s))
		n = (size_t)(end - s);
	if (n > 1)
		c &= 0x3Fu >> (n - 1);
	for (i = 1; i < n; i++)
		c = c << 6 | (s[i] & 0x3F);
	*p = s + n;
	return c;
}

/* 1 when a[0..an) and b[0..bn) are the same text without regard to case. */
static int same_folded(const char *a, size_t an, const char *b, size_t bn)
{
	const unsigned char *pa = (const unsigned char *)a, *ea = pa + an;
	const unsigned char *pb = (const unsigned char *)b, *eb = pb + bn;

	while (pa < ea && pb < eb)
		if (fold(next_cp(&pa, ea)) != fold(next_cp(&pb, eb)))
			return 0;
	return pa == ea && pb == eb;
}

int pwrules_is_common(const char *password)
{
	const char *p = common_passwords_txt, *end = p + common_passwords_txt_len;
	size_t n = strlen(password);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len && *p != '#' && same_folded(p, len, password, n))
			return 1;
		p += len + 1;
	}
	return 0;
}

/* The folded code points of valid text s into out[cap]; their count. */
static size_t folded_cps(const char *s, uint32_t *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	size_t n = 0;

	while (p < end && n < cap)
		out[n++] = fold(next_cp(&p, end));
	return n;
}

/* 1 when cp[0..n) has fewer than PASSWORD_MIN_DISTINCT different code
 * points (it stops counting there). */
static int few_distinct(const uint32_t *cp, size_t n)
{
	uint32_t seen[PASSWORD_MIN_DISTINCT];
	size_t have = 0, i, j;

	for (i = 0; i < n && have < PASSWORD_MIN_DISTINCT; i++) {
		for (j = 0; j < have && seen[j] != cp[i]; j++)
			;
		if (j == have)
			seen[have++] = cp[i];
	}
	return have < PASSWORD_MIN_DISTINCT;
}

/* The step from a to b: digits go round (9 then 0), as on a keyboard's
 * row (1234567890). */
static int64_t step_of(uint32_t a, uint32_t b)
{
	if (a >= '0' && a <= '9' && b >= '0' && b <= '9') {
		int64_t d = ((int64_t)b - a + 10) % 10;
		return d == 9 ? -1 : d;
	}
	return (int64_t)b - (int64_t)a;
}

/* 1 when cp[0..n) is one sequence up or down (abcdefghijkl, 123456789012,
 * zyxwvu...), or one unit of at most half of it repeated, the last time
 * perhaps in part (abcabcabcabc, cw1cw1cw1cw1c). */
static int is_pattern(const uint32_t *cp, size_t n)
{
	size_t i, period;
	int64_t step;

	if (n < 2)
		return 1;
	step = step_of(cp[0], cp[1]);
	if (step == 1 || step == -1) {
		for (i = 2; i < n && step_of(cp[i - 1], cp[i]) == step; i++)
			;
		if (i == n)
			return 1;
	}
	for (period = 1; period <= n / 2; period++) {
		for (i = period; i < n && cp[i] == cp[i - period]; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

/* 1 when cp[0..n) contains the text needle without regard to case; a
 * needle shorter than three characters (or NULL) is never found. */
static int contains(const uint32_t *cp, size_t n, const char *needle)
{
	uint32_t nd[PASSWORD_MAX_BYTES];
	size_t m, i;

	if (!needle || !utf8_valid(needle, strlen(needle)))
		return 0;
	m = folded_cps(needle, nd, PASSWORD_MAX_BYTES);
	if (m < 3 || m > n)
		return 0;
	for (i = 0; i + m <= n; i++)
		if (!memcmp(cp + i, nd, m * sizeof *nd))
			return 1;
	return 0;
}

enum pw_verdict pwrules_check(const char *password, const struct pw_context *ctx)
{
	uint32_t cp[PASSWORD_MAX_BYTES];
	size_t n = strlen(password), i;

	if (n > PASSWORD_MAX_BYTES)
		return PW_TOO_LONG;
	if (!utf8_valid(password, n))
		return PW_NOT_TEXT;
	for (i = 0; i < n; i++)
		if ((unsigned char)password[i] < 0x20 || password[i] == 0x7F)
			return PW_NOT_TEXT;
	if (utf8_count(password, n) < PASSWORD_MIN_CHARS)
		return PW_TOO_SHORT;
	if (pwrules_is_common(password))
		return PW_COMMON;
	n = folded_cps(password, cp, PASSWORD_MAX_BYTES);
	if (few_distinct(cp, n))
		return PW_FEW_DISTINCT;
	if (is_pattern(cp, n))
		return PW_PATTERN;
	if (!(ctx && ctx->demo_folder) && contains(cp, n, PASSWORD_DEMO))
		return PW_DEMO;
	if (ctx && contains(cp, n, ctx->login))
		return PW_HAS_LOGIN;
	if (ctx && (contains(cp, n, ctx->org_code) || contains(cp, n, ctx->org_name)))
		return PW_HAS_ORG;
	return PW_OK;
}

const char *pwrules_reason(enum pw_verdict v)
{
	switch (v) {
	case PW_OK:
		return "the password is acceptable";
	case PW_TOO_SHORT:
		return "the password must have at least 12 characters";
	case PW_TOO_LONG:
		return "the password must have at most 1024 bytes";
	case PW_NOT_TEXT:
		return "the password must be text without control characters";
	case PW_COMMON:
		return "this password is on the list of common passwords: choose another";
	case PW_FEW_DISTINCT:
		return "the password must have at least 6 different characters";
	case PW_PATTERN:
		return "the password must not be a sequence (abcdef, 123456) or a repetition "
		       "(abcabc): choose another";
	case PW_DEMO:
		return "this is the demo's published password: choose another";
	case PW_HAS_LOGIN:
		return "the password must not contain the login";
	case PW_HAS_ORG:
		return "the password must not contain the organisation's code or name";
	}
	return "the password is not acceptable";
}

int account_login_ok(const char *login)
{
	size_t n = strlen(login), i;

	if (n < 2 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-' || c == '@'))
			return 0;
	}
	return 1;
}
