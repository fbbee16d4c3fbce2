/*
 * app.h - the running application that every handler sees: configuration,
 * the store, the keys, the login lockout.  One per `himoya serve`.
 */
#ifndef HIMOYA_APP_H
#define HIMOYA_APP_H

#include "crypto/crypto.h"
#include "domain/pprl.h"
#include "domain/lockout.h"
#include "http/server.h"
#include "store/commit.h"
#include "store/store.h"

struct app_config {
	struct http_config http;
	unsigned session_idle_secs;
	unsigned lockout_failures;
	unsigned lockout_secs;
	unsigned pw_threads;       /* Argon2id workers */
	unsigned pw_queue;         /* logins waiting for a worker before 503 */
	char hotline_org[64];      /* code of the organisation taking public callback
				    * requests; "" for the first one made */
	unsigned report_k;         /* aggregates: cells 1..k-1 are suppressed (>= 2) */
	char hotline_number[48];   /* shown on the public pages; "" when not set */
	char metrics_token[129];   /* bearer token for /metrics off this machine; "" none */
	char backup_dir[256];      /* `himoya backup` without --to writes here; "" when not set */
	unsigned backup_keep;      /* backups kept in backup_dir, the oldest removed */
	char timezone[64];         /* the programme's IANA zone: "today", "due today" */
	char pprl_secret[256];     /* file of the network matching secret; "": from the key */
	char database[1024];       /* postgresql://...; "": DATA/himoya.db (SQLite) */
};

struct app {
	struct app_config cfg;
	store *st;
	keyring kr;
	struct lockout *lockout;
	int secure_cookies;        /* served over TLS */
	store_group *commits;      /* the group commit of the write paths that use it */
	struct pprl_key *pprl;     /* network matching keys (api/pprlnet.c), sodium_malloc'd */
	int demo_folder;           /* made by `himoya demo`: its published password is allowed */
};

/* Defaults, then a configuration file (key = value lines) over them:
 * `--config FILE`, or else DATA/himoya.conf.  A missing file is no error
 * here (the caller checks a file it was told to read). */
void app_config_defaults(struct app_config *c);
int app_config_load(struct app_config *c, const char *path, char *err, size_t errlen);

/* The dispatcher handed to the HTTP server. */
int api_dispatch(struct req *r);

#endif
