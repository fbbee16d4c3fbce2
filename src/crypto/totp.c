/*
 * totp.c - time-based one-time passwords (RFC 6238) as authenticator apps
 * compute them: HMAC-SHA1 over the 30-second time step, RFC 4226 dynamic
 * truncation to 6 digits.  A code is accepted one step either side of now
 * to allow for clock drift, and compared in constant time.  Secrets travel
 * to the user as RFC 4648 base32, which people type by hand, so decoding
 * forgives lowercase, spaces and '=' padding.
 */
#include <limits.h>
#include <stdbool.h>

#include <oath.h>
#include <sodium.h>

#include "crypto/crypto.h"

#define TOTP_PERIOD 30
#define TOTP_DIGITS 6

static const char b32_alphabet[32] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

_Static_assert(TOTP_B32_LEN == (TOTP_SECRET_BYTES * 8 + 4) / 5 + 1,
	       "base32 length of a TOTP secret");

void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES])
{
	randombytes_buf(secret, TOTP_SECRET_BYTES);
}

/* ---- base32 ------------------------------------------------------------ */

void base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t i, o = 0;

	if (outlen == 0)
		return;
	if (n > (SIZE_MAX - 5) / 8 || outlen < (n * 8 + 4) / 5 + 1) {
		out[0] = '\0';
		return;
	}
	for (i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32_alphabet[(acc >> bits) & 31];
		}
		acc &= (1u << bits) - 1;
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	sodium_memzero(&acc, sizeof acc);
}

/* Value of a base32 digit, either case, or -1. */
static int b32_value(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a';
	if (ch >= '2' && ch <= '7')
		return ch - '2' + 26;
	return -1;
}

int base32_decode(const char *in, unsigned char *out, size_t outlen)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	int rc = -1;

	for (; *in != '\0'; in++) {
		int v;

		if (*in == ' ' || *in == '=')
			continue;
		v = b32_value(*in);
		if (v < 0)
			goto out;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outlen || o >= INT_MAX)
				goto out;
			out[o++] = (unsigned char)(acc >> bits);
		}
		acc &= (1u << bits) - 1;
	}
	/* fewer than 8 bits left over are the tail of the last character */
	rc = (int)o;

out:
	if (rc < 0 && o > 0)
		sodium_memzero(out, o);
	sodium_memzero(&acc, sizeof acc);
	return rc;
}

/* ---- codes ------------------------------------------------------------- */

int totp_code(const unsigned char *secret, size_t n, uint64_t step, unsigned digits,
	      char *out)
{
	/* RFC 6238 is RFC 4226 HOTP with the time step as the counter:
	 * liboath's HOTP does HMAC-SHA1 and the dynamic truncation. */
	if (digits < 6 || digits > 8 ||
	    oath_hotp_generate((const char *)secret, n, step, digits, false,
			       OATH_HOTP_DYNAMIC_TRUNCATION, out) != OATH_OK) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

static int code_well_formed(const char *code)
{
	int i;

	if (code == NULL)
		return 0;
	for (i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return code[TOTP_DIGITS] == '\0';
}

/*
 * Try steps now-1, now and now+1, each compared in constant time and all
 * three always computed.  Only steps >= min_step count.  On a match the
 * latest matching step goes to *matched.
 */
static int totp_match(const unsigned char *secret, size_t n, const char *code,
		      uint64_t unix_time, uint64_t min_step, uint64_t *matched)
{
	uint64_t now = unix_time / TOTP_PERIOD;
	uint64_t s, first = now > 0 ? now - 1 : 0;
	char want[TOTP_DIGITS + 1];
	int found = 0;

	if (!code_well_formed(code))
		return 0;
	for (s = first; s <= now + 1; s++) {
		if (totp_code(secret, n, s, TOTP_DIGITS, want) != 0)
			continue;
		if (sodium_memcmp(want, code, TOTP_DIGITS) == 0 && s >= min_step) {
			found = 1;
			*matched = s;
		}
	}
	sodium_memzero(want, sizeof want);
	return found;
}

int totp_verify(const unsigned char *secret, size_t n, const char *code, uint64_t unix_time)
{
	uint64_t matched;

	return totp_match(secret, n, code, unix_time, 0, &matched);
}

int totp_verify_once(const unsigned char *secret, size_t n, const char *code,
		     uint64_t unix_time, uint64_t last_step, uint64_t *matched_step)
{
	uint64_t matched = 0;
	int ok;

	ok = totp_match(secret, n, code, unix_time, last_step + 1, &matched);
	if (ok)
		*matched_step = matched;
	return ok;
}
