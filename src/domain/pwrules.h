/*
 * pwrules.h - what a new password must be: at least PASSWORD_MIN_CHARS
 * characters (UTF-8 code points, not bytes), at most PASSWORD_MAX_BYTES
 * bytes, valid UTF-8, and none of the common passwords shipped in the
 * binary (schema/common-passwords.txt), compared without regard to case
 * (ASCII, Cyrillic and the Tajik letters).  Pure C: no store, no HTTP.
 */
#ifndef HIMOYA_PWRULES_H
#define HIMOYA_PWRULES_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024

enum pw_verdict {
	PW_OK = 0,
	PW_TOO_SHORT,  /* fewer than PASSWORD_MIN_CHARS characters */
	PW_TOO_LONG,   /* more than PASSWORD_MAX_BYTES bytes */
	PW_NOT_TEXT,   /* not valid UTF-8, or a control character */
	PW_COMMON,     /* on the list of common passwords */
};

/* Judge a new password (NUL-terminated). */
enum pw_verdict pwrules_check(const char *password);
/* 1 when password is on the common list (without regard to case). */
int pwrules_is_common(const char *password);
/* A sentence (English) saying why, for problems and the command line. */
const char *pwrules_reason(enum pw_verdict v);

/* 1 when login is a good login (or organisation code): 2 to 64 ASCII
 * letters, digits and . _ - @. */
int account_login_ok(const char *login);

/* The list, compiled in by tools/gen_blob.py. */
extern const char common_passwords_txt[];
extern const unsigned long common_passwords_txt_len;

#endif
