/*
 * cli.h - the subcommands of `himoya` and the helpers they share.
 */
#ifndef HIMOYA_CLI_H
#define HIMOYA_CLI_H

#include "crypto/crypto.h"
#include "store/store.h"

/* Options: "--name value" pairs after the subcommand words.  cli_opts
 * checks that every option given is one of `allowed` (NULL-terminated)
 * and has a value; flags (no value) are listed in `flags`. */
struct cli_opts {
	int argc;
	char **argv;
};

int cli_opts_check(struct cli_opts *o, const char *const *allowed, const char *const *flags);
const char *cli_opt(struct cli_opts *o, const char *name);
int cli_flag(struct cli_opts *o, const char *name);

/* The settings: defaults, then `--config FILE` (which must exist) or else
 * DATA/himoya.conf (optional).  Prints why not and returns -1. */
struct app_config;
int cli_config_load(struct cli_opts *o, struct app_config *cfg);
/* The configuration file in force: the one cli_config_load read, else
 * DIR/himoya.conf (written into out). */
const char *cli_config_path(const char *dir, char *out, size_t len);

/* An open data folder: its key and store. */
struct datadir {
	char dir[4096];
	char db[4200];
	char key[4200];
	keyring kr;
	store *st;
};

/* Open an existing data folder (key + store); prints why not and returns
 * -1, or DATADIR_UNREACHABLE when its database cannot be reached
 * (PostgreSQL down).  It refuses a key that does not open the database
 * unless datadir_key_check is 0 (the commands that report it: audit
 * verify, doctor). */
#define DATADIR_UNREACHABLE (-2)
extern int datadir_key_check;
/* It also refuses a SQLite database that `migrate` copied to PostgreSQL
 * (meta MIGRATED_KEY), for every command, unless datadir_migrated_ok is 1
 * (migrate itself, which only reads it). */
extern int datadir_migrated_ok;
/* 0: the database is upgraded to this program's schema when older (and
 * a line on standard error says so: in serve's log, the one line of the
 * upgrade).  1: it is opened as it is, never changed by a migration (the
 * commands that copy or check it: backup, restore, doctor, audit verify;
 * README "Upgrading"). */
extern int datadir_as_is;
int datadir_open(struct datadir *d, const char *dir, unsigned readers);
void datadir_close(struct datadir *d);
void datadir_paths(struct datadir *d, const char *dir);

/* Who uses a data folder: every `serve` holds DIR/himoya.lock shared, for
 * as long as it runs; a command that must have the folder to itself
 * (migrate) takes it exclusively.  The open descriptor (kept until the
 * process ends), or -1 when another holds it the other way (errno
 * EWOULDBLOCK) or it cannot be made. */
int datadir_lock(const char *dir, int exclusive);

/* The meta key `migrate` sets in a SQLite database it copied to
 * PostgreSQL (the time); datadir_open refuses such a database. */
#define MIGRATED_KEY "migrated_to_postgresql"
/* meta "demo" (cli/demo.c) of a folder whose demo run has not ended well. */
#define DEMO_META_KEY "demo"
#define DEMO_UNFINISHED "being made"

/* Read one line of password from stdin (no echo handling: it is piped). */
int cli_read_password(char *out, size_t outlen);
int cli_login_ok(const char *login);
/* "himoya: cannot WHAT" on stderr, and why when the store knows: the
 * database busy (another process holds its write lock) or unreachable,
 * both worth trying again. */
void cli_store_error(const char *what);

int cmd_init(struct cli_opts *o);
int cmd_doctor(struct cli_opts *o);
int cmd_version(struct cli_opts *o);
int cmd_org_add(struct cli_opts *o);
int cmd_org_home(struct cli_opts *o);
int cmd_user_add(struct cli_opts *o);
int cmd_user_disable(struct cli_opts *o);
int cmd_user_enable(struct cli_opts *o);
int cmd_user_unlock(struct cli_opts *o);
int cmd_user_reset_password(struct cli_opts *o);
int cmd_token_create(struct cli_opts *o);
int cmd_token_list(struct cli_opts *o);
int cmd_token_revoke(struct cli_opts *o);
int cmd_role_set(struct cli_opts *o);
int cmd_serve(struct cli_opts *o);
int cmd_audit_verify(struct cli_opts *o);
int cmd_audit_reindex(struct cli_opts *o);
int cmd_backup(struct cli_opts *o);
int cmd_restore(struct cli_opts *o);
int cmd_migrate(struct cli_opts *o);
int cmd_demo(struct cli_opts *o);
/* link.c: record linkage of CSV lists, in the clear or through CLKs */
int cmd_link(struct cli_opts *o);
int cmd_pprl_encode(struct cli_opts *o);
int cmd_pprl_link(struct cli_opts *o);
int cmd_plan_load(struct cli_opts *o);
/* import.c: a legacy HTCDS 2.0 toolkit sheet (CSV) into the register */
int cmd_import(struct cli_opts *o);

#endif
