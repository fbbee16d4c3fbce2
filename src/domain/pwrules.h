/*
 * pwrules.h - what a new password must be: at least PASSWORD_MIN_CHARS
 * characters (UTF-8 code points, not bytes), at most PASSWORD_MAX_BYTES
 * bytes, valid UTF-8, and none of the common passwords shipped in the
 * binary (schema/common-passwords.txt), compared without regard to case
 * (ASCII, Cyrillic and the Tajik letters); at least PASSWORD_MIN_DISTINCT
 * different characters; not one sequence (abcdef..., 123456789012,
 * 987654...) or one unit repeated (abcabc..., cw1cw1...); not containing
 * the login, the organisation's code or its name (each of three
 * characters or more, without regard to case); and not containing the
 * demo's published password, except in a demo folder.  Pure C: no store,
 * no HTTP.
 */
#ifndef HIMOYA_PWRULES_H
#define HIMOYA_PWRULES_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024
#define PASSWORD_MIN_DISTINCT 6
/* The password of every user `himoya demo` makes, printed in the README:
 * public, so refused anywhere but in a demo folder. */
#define PASSWORD_DEMO "himoya-demo-2026"

enum pw_verdict {
	PW_OK = 0,
	PW_TOO_SHORT,  /* fewer than PASSWORD_MIN_CHARS characters */
	PW_TOO_LONG,   /* more than PASSWORD_MAX_BYTES bytes */
	PW_NOT_TEXT,   /* not valid UTF-8, or a control character */
	PW_COMMON,     /* on the list of common passwords */
	PW_FEW_DISTINCT, /* fewer than PASSWORD_MIN_DISTINCT different characters */
	PW_PATTERN,    /* one sequence, or one unit repeated */
	PW_DEMO,       /* contains PASSWORD_DEMO, outside a demo folder */
	PW_HAS_LOGIN,  /* contains the login */
	PW_HAS_ORG,    /* contains the organisation's code or name */
};

/* Whose password it is: what it must not contain.  Any string may be NULL
 * (not checked); one shorter than three characters is not checked either
 * (a two-letter login would refuse half the passphrases). */
struct pw_context {
	const char *login;
	const char *org_code;
	const char *org_name;
	int demo_folder;   /* a folder made by `himoya demo`: PASSWORD_DEMO is allowed */
};

/* Judge a new password (NUL-terminated) for ctx (NULL: nobody's, the
 * rules that need no context). */
enum pw_verdict pwrules_check(const char *password, const struct pw_context *ctx);
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
