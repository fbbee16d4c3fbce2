/*
 * token.h - the rules of API tokens that need no request: how long a
 * token lives, how its expiry is given, what a label may be.  Shared by
 * the admin API (api/tokens.c) and `himoya token` (cli/accounts.c).
 */
#ifndef HIMOYA_DOMAIN_TOKEN_H
#define HIMOYA_DOMAIN_TOKEN_H

#include <stdint.h>

#define TOKEN_DAYS_DEFAULT 90 /* a token's life unless its maker says otherwise */
#define TOKEN_DAYS_MAX 366    /* and at most: no token lives for ever */
#define TOKEN_LABEL_MAX 100   /* characters */
#define TOKEN_TIME_LEN 21     /* "2026-11-29T07:50:19Z" and a NUL */

/* The expiry of a token made at `now` that lives `days` days, or -1 when
 * days is not 1 to TOKEN_DAYS_MAX. */
int64_t token_expiry_days(int64_t now, long days);

/* The expiry given as "YYYY-MM-DD" (the start of that day, UTC) or
 * "YYYY-MM-DDTHH:MM:SSZ", for a token made at `now`: 0 and *out; -1 when
 * s is not such a time; -2 when it is not after now or more than
 * TOKEN_DAYS_MAX days after it. */
int token_expiry_parse(const char *s, int64_t now, int64_t *out);

/* Unix seconds as "YYYY-MM-DDTHH:MM:SSZ". */
void token_time_format(int64_t t, char out[TOKEN_TIME_LEN]);

/* 1 when s may label a token: 1 to TOKEN_LABEL_MAX characters of UTF-8,
 * no control characters. */
int token_label_ok(const char *s);

#endif
