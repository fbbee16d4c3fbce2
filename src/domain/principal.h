/*
 * principal.h - who is signed in: the organisation, the user and the
 * session as the store keeps them, and the principal a request carries
 * (the transport fills it, the handlers read it).  Its own header, so that
 * src/http/ needs nothing of the store, and the store nothing of HTTP.
 */
#ifndef HIMOYA_PRINCIPAL_H
#define HIMOYA_PRINCIPAL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

#define ID_LEN 27   /* 26 characters of base32 + NUL */
#define TS_LEN 32   /* "2026-11-29T07:50:19Z" */

struct org {
	char id[ID_LEN];
	char code[64];
	char name[256];
	char type[64];
	char sector[32];     /* "" when none (code list "sector") */
	char created_by[ID_LEN]; /* the organisation whose admin made it, or "" */
};

struct user {
	char id[ID_LEN];
	char login[128];
	char role[32];
	char pwhash[PASSWORD_HASH_MAX];
	int totp_enabled;
	int64_t totp_step;        /* last accepted TOTP time step (no replay) */
	unsigned char totp_sealed[TOTP_SECRET_BYTES + SEAL_OVERHEAD];
	size_t totp_sealed_len;  /* 0 when no secret is set */
	int disabled;
	int totp_required;       /* the user's role requires a second factor */
	int must_change_password; /* a one-time password: change it first */
	struct org org;
};

struct session {
	char csrf[44];
	int64_t created;
	int64_t seen;
	int totp_pending;   /* logged in, must still enrol a second factor */
	int totp_confirmed; /* a second factor was checked in this session
			     * (a code at sign-in, or enrolment confirmed) */
};

enum auth_kind { AUTH_NONE, AUTH_COOKIE, AUTH_TOKEN };

/* The principal of a request: a user signed in by a session cookie or an
 * API token, or nobody (AUTH_NONE). */
struct principal {
	enum auth_kind kind;
	struct user user;            /* valid unless kind == AUTH_NONE */
	unsigned char session_id[HASH_BYTES];
	struct session session;
};

#endif
