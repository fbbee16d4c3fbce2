/*
 * pwrules.c - the rules of a new password (see pwrules.h).  The common
 * list is a few hundred lines: a linear scan per check costs nothing
 * beside the Argon2id hash that follows it.
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

enum pw_verdict pwrules_check(const char *password)
{
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
