/*
 * accounts.c - `himoya init`, `org add`, `user add|disable|enable|unlock|
 * reset-password`, `token create|list|revoke` and `role set`: setting up a
 * data folder and the people who use it, and recovering an account when
 * no administrator can (each change audited as the API audits it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "api/api.h"
#include "api/kb.h"
#include "cli/cli.h"
#include "domain/lockout.h"
#include "domain/orgname.h"
#include "domain/pwrules.h"
#include "domain/token.h"
#include "codelists.h"
#include "fields.h"
#include "util/utf8.h"
#include "store/db.h"

/* Append a system audit entry (the command line has no signed-in user). */
static int audit_cli(store_tx *tx, const char *action, const char *record, const char *fields)
{
	struct audit_entry e = {NULL, NULL, action, record, fields, "cli"};
	return store_audit_append(tx, &e);
}

static int org_fields_ok(const char *code, const char *name, const char *type)
{
	const char *why;

	if (!code || !name || !type) {
		fprintf(stderr, "himoya: --code, --name and --type are required\n");
		return 0;
	}
	if (!cli_login_ok(code)) {
		fprintf(stderr, "himoya: organisation code '%s': use 2-64 letters, digits, . _ -\n", code);
		return 0;
	}
	if ((why = orgname_problem(name))) {
		fprintf(stderr, "himoya: organisation %s\n", why);
		return 0;
	}
	if (!codelist_has(&cl_org_type, type)) {
		size_t i;
		fprintf(stderr, "himoya: unknown organisation type '%s'; one of:", type);
		for (i = 0; i < cl_org_type.n; i++)
			fprintf(stderr, " %s", cl_org_type.codes[i]);
		fprintf(stderr, "\n");
		return 0;
	}
	return 1;
}

static int add_org(store *st, const char *code, const char *name, const char *type,
		   const char *sector)
{
	char id[ID_LEN], record[64];
	const char *why = api_org_lookalike(st, code, name, NULL);
	store_tx *tx;
	int rc;

	if (why && !strcmp(why, "store")) {
		cli_store_error("read the organisations");
		return -1;
	}
	if (why && !strcmp(why, "code")) {
		fprintf(stderr, "himoya: an organisation with this code exists (case and . _ - @ aside)\n");
		return -1;
	}
	if (why) {
		fprintf(stderr, "himoya: another organisation's name differs from this one only in case"
			" or spacing: one would be taken for the other\n");
		return -1;
	}
	tx = store_begin(st);
	if (!tx) {
		cli_store_error("add the organisation");
		return -1;
	}
	rc = store_org_add(tx, code, name, type, id);
	snprintf(record, sizeof record, "orgs/%s", id);
	if (rc == STORE_OK && sector)
		rc = store_org_update(tx, id, name, type, sector, NULL);
	if (rc == STORE_OK)
		rc = audit_cli(tx, "create", record, sector ? "code,name,type,sector" : "code,name,type");
	if (rc != STORE_OK) {
		store_rollback(tx);
		if (rc == STORE_CONFLICT)
			fprintf(stderr, "himoya: an organisation with this code exists\n");
		else
			cli_store_error("add the organisation");
		return -1;
	}
	if (store_commit(tx) != STORE_OK) {
		cli_store_error("add the organisation");
		return -1;
	}
	return 0;
}

/* himoya.conf of a new folder whose database is PostgreSQL (0600: the
 * URL may hold a password). */
static int write_database_conf(const char *path, const char *url)
{
	FILE *f;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	fprintf(f, "# The database: PostgreSQL (see README, \"PostgreSQL\").\ndatabase = %s\n", url);
	return fclose(f) == 0 ? 0 : -1;
}

/* init never touches an existing himoya database, in a file or not. */
static int database_in_use(const char *url)
{
	char err[512];
	db *c;
	int has;

	if (db_open(url, DB_WRITE, &c, err, sizeof err) != DB_OK) {
		fprintf(stderr, "himoya: %s\n", err);
		return -1;
	}
	has = db_table_exists(c, "meta");
	db_close(c);
	if (has != 0) {
		fprintf(stderr, "himoya: %s\n", has > 0 ? "that PostgreSQL database already holds a himoya"
			" database; init never touches an existing one" : "cannot read the PostgreSQL database");
		return -1;
	}
	return 0;
}

int cmd_init(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--org-code", "--org-name", "--org-type",
					      "--database", NULL};
	const char *dir, *code, *name, *type, *database;
	struct datadir d;
	char err[512], conf[4200];
	struct stat sb;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	dir = cli_opt(o, "--data");
	database = cli_opt(o, "--database");
	if (database && !db_is_url(database)) {
		fprintf(stderr, "himoya: --database takes a postgresql:// URL"
			" (without it the database is DIR/himoya.db)\n");
		return 2;
	}
	code = cli_opt(o, "--org-code");
	name = cli_opt(o, "--org-name");
	type = cli_opt(o, "--org-type");
	if (!dir) {
		fprintf(stderr, "himoya: --data DIR is required\n");
		return 2;
	}
	if (!code)
		code = "iom";
	if (!name)
		name = "IOM Tajikistan";
	if (!type)
		type = "IGO";
	if (!org_fields_ok(code, name, type))
		return 2;
	if (stat(dir, &sb) == 0) {
		fprintf(stderr, "himoya: %s already exists; init never touches an existing folder\n", dir);
		return 1;
	}
	if (mkdir(dir, 0700) != 0) {
		fprintf(stderr, "himoya: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	memset(&d, 0, sizeof d);
	snprintf(conf, sizeof conf, "%s/himoya.conf", dir);
	if (database && write_database_conf(conf, database) != 0) {
		fprintf(stderr, "himoya: cannot write %s: %s\n", conf, strerror(errno));
		goto undo;
	}
	datadir_paths(&d, dir);
	if (db_is_url(d.db) && database_in_use(d.db) != 0)
		goto undo;
	if (key_file_create(d.key) != 0) {
		fprintf(stderr, "himoya: cannot write %s: %s\n", d.key, strerror(errno));
		goto undo;
	}
	if (key_file_load(d.key, &d.kr, err, sizeof err) != 0 ||
	    store_open(d.db, &d.kr, 1, 1, &d.st, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "himoya: %s\n", err);
		goto undo;
	}
	chmod(d.db, 0600);
	if (add_org(d.st, code, name, type, NULL) != 0) {
		datadir_close(&d);
		goto undo;
	}
	/* Every installation starts with the safe-migration articles. */
	if (kb_seed_ensure(d.st, err, sizeof err) != 0) {
		fprintf(stderr, "himoya: %s\n", err);
		datadir_close(&d);
		goto undo;
	}
	datadir_close(&d);
	printf("Created %s\n  database   %s\n  key        %s (keep a copy apart from backups)\n"
	       "  organisation %s (%s, %s)\n"
	       "Next: himoya user add --data %s --org %s --login NAME --role admin\n",
	       dir, db_is_url(d.db) ? "PostgreSQL (the database of himoya.conf)" : d.db, d.key,
	       code, name, type, dir, code);
	return 0;
undo:
	keyring_wipe(&d.kr);
	unlink(conf);
	if (!db_is_url(d.db))
		unlink(d.db);
	{
		char p[4300];
		snprintf(p, sizeof p, "%s-wal", d.db);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", d.db);
		unlink(p);
	}
	unlink(d.key);
	rmdir(dir);
	return 1;
}

int cmd_org_add(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--code", "--name", "--type", "--sector",
					      NULL};
	const char *sector = cli_opt(o, "--sector");
	struct datadir d;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!org_fields_ok(cli_opt(o, "--code"), cli_opt(o, "--name"), cli_opt(o, "--type")))
		return 2;
	if (sector && !codelist_has(&cl_sector, sector)) {
		fprintf(stderr, "himoya: unknown sector '%s' (code list \"sector\")\n", sector);
		return 2;
	}
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	rc = add_org(d.st, cli_opt(o, "--code"), cli_opt(o, "--name"), cli_opt(o, "--type"), sector);
	datadir_close(&d);
	if (rc == 0)
		printf("Added organisation %s\n", cli_opt(o, "--code"));
	return rc ? 1 : 0;
}

/* `himoya org home`: hand the installation's own organisation (whose
 * administrators add organisations and settle their names and types, and
 * which takes the public form's calls unless hotline_org says otherwise)
 * to another: the first made by `himoya init` is not always the one that
 * runs the installation. */
int cmd_org_home(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--code", NULL};
	const char *code = cli_opt(o, "--code");
	struct org was, to;
	char record[64];
	struct datadir d;
	store_tx *tx;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!code) {
		fprintf(stderr, "himoya: --code is required\n");
		return 2;
	}
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	if (store_org_by_code(d.st, code, &to) != STORE_OK) {
		fprintf(stderr, "himoya: no organisation with code '%s'\n", code);
		datadir_close(&d);
		return 1;
	}
	memset(&was, 0, sizeof was);
	if (store_org_home(d.st, &was) == STORE_OK && !strcmp(was.id, to.id)) {
		printf("%s is the home organisation already\n", to.code);
		datadir_close(&d);
		return 0;
	}
	snprintf(record, sizeof record, "orgs/%s", to.id);
	tx = store_begin(d.st);
	rc = tx ? store_org_home_set(tx, to.id) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = audit_cli(tx, "home", record, "home");
	if (rc == STORE_OK)
		rc = store_commit(tx);
	else if (tx)
		store_rollback(tx);
	datadir_close(&d);
	if (rc != STORE_OK) {
		cli_store_error("set the home organisation");
		return 1;
	}
	printf("Home organisation: %s (was %s)\n", to.code, was.code);
	return 0;
}

/* A password of login (of org) in folder d: a new one-time password when
 * generate, or else check the one given against the rules (saying why
 * not).  0, or -1 when refused. */
static int cli_password_for(struct datadir *d, const char *login, const struct org *org,
			    char password[1025], int generate)
{
	char mark[128];
	struct pw_context ctx = {login, org->code, org->name,
				 store_meta_get(d->st, DEMO_META_KEY, mark, sizeof mark) == STORE_OK};
	enum pw_verdict v;

	if (generate) {
		api_password_new(password, &ctx);
		return 0;
	}
	v = pwrules_check(password, &ctx);
	if (v == PW_OK)
		return 0;
	fprintf(stderr, "himoya: %s\n", pwrules_reason(v));
	return -1;
}

int cmd_user_add(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--org", "--login", "--role", NULL};
	static const char *const flags[] = {"--password-stdin", NULL};
	const char *org_code, *login, *role;
	char password[1025], hash[PASSWORD_HASH_MAX], id[ID_LEN], record[64];
	int generated = 0, rc;
	struct datadir d;
	struct org org;
	store_tx *tx;

	if (cli_opts_check(o, allowed, flags))
		return 2;
	org_code = cli_opt(o, "--org");
	login = cli_opt(o, "--login");
	role = cli_opt(o, "--role");
	if (!org_code || !login || !role) {
		fprintf(stderr, "himoya: --org, --login and --role are required\n");
		return 2;
	}
	if (!codelist_has(&cl_role, role)) {
		size_t i;
		fprintf(stderr, "himoya: unknown role '%s'; one of:", role);
		for (i = 0; i < cl_role.n; i++)
			fprintf(stderr, " %s", cl_role.codes[i]);
		fprintf(stderr, "\n");
		return 2;
	}
	if (!cli_login_ok(login)) {
		fprintf(stderr, "himoya: login '%s': use 2-64 letters, digits, . _ - @\n", login);
		return 2;
	}
	if (cli_flag(o, "--password-stdin")) {
		if (cli_read_password(password, sizeof password) != 0) {
			fprintf(stderr, "himoya: no password on standard input (or longer than 1024 bytes)\n");
			return 2;
		}
	} else {
		generated = 1;
	}
	if (datadir_open(&d, cli_opt(o, "--data"), 1)) {
		sodium_memzero(password, sizeof password);
		return 1;
	}
	if (store_org_by_code(d.st, org_code, &org) != STORE_OK) {
		fprintf(stderr, "himoya: no organisation with code '%s'\n", org_code);
		datadir_close(&d);
		sodium_memzero(password, sizeof password);
		return 1;
	}
	/* The rules need the login, the organisation and the folder. */
	if (cli_password_for(&d, login, &org, password, generated) != 0) {
		datadir_close(&d);
		sodium_memzero(password, sizeof password);
		return 2;
	}
	rc = password_hash(password, hash);
	if (!generated)
		sodium_memzero(password, sizeof password);
	if (rc != 0) {
		fprintf(stderr, "himoya: out of memory while hashing\n");
		datadir_close(&d);
		return 1;
	}
	tx = store_begin(d.st);
	rc = tx ? store_user_add(tx, org.id, login, role, hash, id) : STORE_ERROR;
	/* A generated password is a one-time password: changed at the first
	 * sign-in, like those the administrator's page makes. */
	if (rc == STORE_OK && generated)
		rc = store_user_set_password(tx, id, hash, 1);
	snprintf(record, sizeof record, "users/%s", id);
	if (rc == STORE_OK)
		rc = audit_cli(tx, "create", record, "login,role,org");
	if (rc != STORE_OK) {
		if (tx)
			store_rollback(tx);
		if (rc == STORE_CONFLICT)
			fprintf(stderr, "himoya: this login is taken\n");
		else
			cli_store_error("add the user");
		datadir_close(&d);
		sodium_memzero(password, sizeof password);
		return 1;
	}
	rc = store_commit(tx);
	datadir_close(&d);
	if (rc != STORE_OK) {
		cli_store_error("add the user");
		sodium_memzero(password, sizeof password);
		return 1;
	}
	printf("Added %s (%s) to %s\n", login, role, org_code);
	if (generated)
		printf("One-time password (shown once; changed at the first sign-in): %s\n", password);
	sodium_memzero(password, sizeof password);
	return 0;
}

/* ---- user disable | enable | unlock | reset-password ----------------------- */

/* One audited change of the user of --login, in a transaction: `change`
 * does the writes (the API's own, api/users.c), audited as the API audits
 * it (users/ID, action, fields).  0, or the exit code. */
typedef int (*cli_user_change_fn)(struct datadir *d, store_tx *tx, const struct user *u,
				  const void *arg);

static int user_change(struct datadir *d, const struct user *u, cli_user_change_fn change,
		       const void *arg, const char *action, const char *fields)
{
	char record[64];
	store_tx *tx = store_begin(d->st);
	int rc = tx ? change(d, tx, u, arg) : STORE_ERROR;

	snprintf(record, sizeof record, "users/%s", u->id);
	if (rc == STORE_OK)
		rc = audit_cli(tx, action, record, fields);
	if (rc == STORE_OK)
		rc = store_commit(tx);
	else if (tx)
		store_rollback(tx);
	if (rc != STORE_OK) {
		cli_store_error("change the user");
		return 1;
	}
	return 0;
}

/* Open --data and find --login: 0, or the exit code (the folder closed). */
static int user_target(struct cli_opts *o, const char *const *flags, struct datadir *d,
		       struct user *u)
{
	static const char *const allowed[] = {"--data", "--login", NULL};
	const char *login;

	if (cli_opts_check(o, allowed, flags))
		return 2;
	if (!(login = cli_opt(o, "--login"))) {
		fprintf(stderr, "himoya: --login is required\n");
		return 2;
	}
	if (datadir_open(d, cli_opt(o, "--data"), 1))
		return 1;
	if (store_user_by_login(d->st, login, u) != STORE_OK) {
		fprintf(stderr, "himoya: no user '%s'\n", login);
		datadir_close(d);
		return 1;
	}
	return 0;
}

static int cli_disable(struct datadir *d, store_tx *tx, const struct user *u, const void *arg)
{
	(void)d;
	return api_user_change_disable(tx, u, arg);
}

static int cli_enable(struct datadir *d, store_tx *tx, const struct user *u, const void *arg)
{
	(void)d;
	return api_user_change_enable(tx, u, arg);
}

/* The login's failed sign-ins are forgotten (on every server at once). */
static int cli_unlock(struct datadir *d, store_tx *tx, const struct user *u, const void *arg)
{
	struct lockout *l = lockout_new(d->st, &d->kr, 1, 1);
	int rc = l && lockout_clear_tx(l, tx, u->login) == 0 ? STORE_OK : STORE_ERROR;

	(void)arg;
	lockout_free(l);
	return rc;
}

/* A reset: a new one-time password, every session and token ended, the
 * lockout cleared (as POST /users/{id}/reset-password). */
static int cli_reset(struct datadir *d, store_tx *tx, const struct user *u, const void *hash)
{
	int rc = api_user_change_password(tx, u, hash);
	return rc == STORE_OK ? cli_unlock(d, tx, u, NULL) : rc;
}

/* A change of a user that takes nothing but the login: fn in its own
 * transaction, audited as action on fields, then done (with the login)
 * printed. */
static int user_simple(struct cli_opts *o, cli_user_change_fn fn, const char *action,
		       const char *fields, const char *done)
{
	struct datadir d;
	struct user u;
	int rc = user_target(o, NULL, &d, &u);

	if (rc)
		return rc;
	rc = user_change(&d, &u, fn, NULL, action, fields);
	datadir_close(&d);
	if (rc == 0)
		printf(done, u.login);
	return rc;
}

int cmd_user_disable(struct cli_opts *o)
{
	return user_simple(o, cli_disable, "disable", "disabled,sessions,tokens",
			   "Disabled %s: its sessions ended and its tokens are revoked (every "
			   "running server refuses them within 1 s)\n");
}

int cmd_user_enable(struct cli_opts *o)
{
	return user_simple(o, cli_enable, "enable", "disabled",
			   "Enabled %s (its revoked tokens stay revoked)\n");
}

int cmd_user_unlock(struct cli_opts *o)
{
	return user_simple(o, cli_unlock, "unlock", "lockout", "Unlocked %s\n");
}

int cmd_user_reset_password(struct cli_opts *o)
{
	static const char *const flags[] = {"--password-stdin", NULL};
	char password[1025], hash[PASSWORD_HASH_MAX];
	int generated, rc;
	struct datadir d;
	struct user u;

	if ((rc = user_target(o, flags, &d, &u)))
		return rc;
	generated = !cli_flag(o, "--password-stdin");
	if (!generated && cli_read_password(password, sizeof password) != 0) {
		fprintf(stderr, "himoya: no password on standard input (or longer than 1024 bytes)\n");
		datadir_close(&d);
		return 2;
	}
	if (cli_password_for(&d, u.login, &u.org, password, generated) != 0) {
		datadir_close(&d);
		sodium_memzero(password, sizeof password);
		return 2;
	}
	rc = password_hash(password, hash);
	if (!generated)
		sodium_memzero(password, sizeof password);
	if (rc != 0) {
		fprintf(stderr, "himoya: out of memory while hashing\n");
		datadir_close(&d);
		sodium_memzero(password, sizeof password);
		return 1;
	}
	rc = user_change(&d, &u, cli_reset, hash, "password-reset", "password,sessions,tokens");
	datadir_close(&d);
	sodium_memzero(hash, sizeof hash);
	sodium_memzero(u.pwhash, sizeof u.pwhash);
	if (rc == 0) {
		printf("Reset the password of %s: its sessions ended and its tokens are revoked; it is "
		       "a one-time password, changed at the next sign-in\n", u.login);
		if (generated)
			printf("One-time password (shown once): %s\n", password);
	}
	sodium_memzero(password, sizeof password);
	return rc;
}

/* --expires-days N: 1 to TOKEN_DAYS_MAX; -1 when not such a number. */
static long expires_days(const char *v)
{
	char *end;
	long n;

	if (!v || *v < '0' || *v > '9')
		return -1;
	n = strtol(v, &end, 10);
	return *end || n < 1 || n > TOKEN_DAYS_MAX ? -1 : n;
}

int cmd_token_create(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--login", "--label", "--expires-days", NULL};
	const char *login, *label, *days_s;
	unsigned char h[HASH_BYTES];
	char token[44], id[ID_LEN], when[TOKEN_TIME_LEN];
	int64_t expires;
	long days = TOKEN_DAYS_DEFAULT;
	struct datadir d;
	struct user u;
	store_tx *tx;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	login = cli_opt(o, "--login");
	label = cli_opt(o, "--label");
	days_s = cli_opt(o, "--expires-days");
	if (!login) {
		fprintf(stderr, "himoya: --login is required\n");
		return 2;
	}
	if (label && !token_label_ok(label)) {
		fprintf(stderr, "himoya: --label: 1 to %d characters of text\n", TOKEN_LABEL_MAX);
		return 2;
	}
	if (days_s && (days = expires_days(days_s)) < 0) {
		fprintf(stderr, "himoya: --expires-days: a number of days from 1 to %d\n",
			TOKEN_DAYS_MAX);
		return 2;
	}
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	if (store_user_by_login(d.st, login, &u) != STORE_OK) {
		fprintf(stderr, "himoya: no user '%s'\n", login);
		datadir_close(&d);
		return 1;
	}
	/* A token for a disabled user would work the day it is enabled
	 * again, made while nobody was to use it (as POST /tokens refuses). */
	if (u.disabled) {
		fprintf(stderr, "himoya: user '%s' is disabled: enable the user first\n", u.login);
		datadir_close(&d);
		return 1;
	}
	if (u.totp_required) {
		fprintf(stderr, "himoya: the role %s requires a second factor, which a token cannot "
			"give: its tokens are refused\n", u.role);
		datadir_close(&d);
		return 1;
	}
	expires = token_expiry_days(store_unix_now(), days);
	random_token(token);
	token_hash(&d.kr, token, h);
	tx = store_begin(d.st);
	rc = tx ? store_token_add(tx, h, u.id, label ? label : "cli", expires, id) : STORE_ERROR;
	if (rc == STORE_OK) {
		char record[64];
		snprintf(record, sizeof record, "tokens/%s", id);
		rc = audit_cli(tx, "token-create", record, "user,label,expires");
	}
	if (rc == STORE_OK)
		rc = store_commit(tx);
	else if (tx)
		store_rollback(tx);
	datadir_close(&d);
	if (rc != STORE_OK) {
		sodium_memzero(token, sizeof token);
		cli_store_error("create the token");
		return 1;
	}
	/* The secret alone on standard output, for scripts; the rest aside. */
	printf("%s\n", token);
	sodium_memzero(token, sizeof token);
	token_time_format(expires, when);
	fprintf(stderr, "Token %s for %s, expires %s (shown once; himoya token revoke --id %s)\n",
		id, login, when, id);
	return 0;
}

#define TOKEN_LIST_MAX 10000

int cmd_token_list(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--login", NULL};
	const char *login = cli_opt(o, "--login");
	struct token_row *rows;
	int64_t now = store_unix_now();
	struct datadir d;
	size_t n = 0, i;
	arena a;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	arena_init(&a, 64u << 20);
	rc = store_token_list(d.st, NULL, login, TOKEN_LIST_MAX, &rows, &n, &a);
	datadir_close(&d);
	if (rc != STORE_OK) {
		arena_free(&a);
		cli_store_error("list the tokens");
		return 1;
	}
	printf("%-26s  %-20s  %-20s  %-20s  %-20s  %-8s  %s\n", "ID", "LOGIN", "CREATED", "EXPIRES",
	       "LAST USED", "STATE", "LABEL");
	for (i = 0; i < n; i++) {
		const struct token_row *t = &rows[i];
		char expires[TOKEN_TIME_LEN], used[TOKEN_TIME_LEN];
		token_time_format(t->expires, expires);
		if (t->last_used > 0)
			token_time_format(t->last_used, used);
		else
			snprintf(used, sizeof used, "never");
		printf("%-26s  %-20s  %-20s  %-20s  %-20s  %-8s  %s\n", t->id, t->login, t->created,
		       expires, used, t->revoked ? "revoked" : t->expires <= now ? "expired" : "active",
		       t->label);
	}
	arena_free(&a);
	return 0;
}

int cmd_token_revoke(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--id", NULL};
	const char *id = cli_opt(o, "--id");
	char record[64];
	struct datadir d;
	store_tx *tx;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!id) {
		fprintf(stderr, "himoya: --id is required (himoya token list shows the ids)\n");
		return 2;
	}
	if (strlen(id) >= ID_LEN) {
		fprintf(stderr, "himoya: no token '%s'\n", id);
		return 1;
	}
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	tx = store_begin(d.st);
	rc = tx ? store_token_revoke(tx, id) : STORE_ERROR;
	if (rc == STORE_OK) {
		snprintf(record, sizeof record, "tokens/%s", id);
		rc = audit_cli(tx, "token-revoke", record, "revoked");
		if (rc == STORE_OK)
			rc = store_commit(tx);
		else
			store_rollback(tx);
	} else if (tx) {
		store_rollback(tx);
	}
	datadir_close(&d);
	if (rc == STORE_NOT_FOUND || rc == STORE_CONFLICT) {
		fprintf(stderr, "himoya: %s '%s'\n",
			rc == STORE_CONFLICT ? "already revoked:" : "no token", id);
		return 1;
	}
	if (rc != STORE_OK) {
		cli_store_error("revoke the token");
		return 1;
	}
	/* A running server notices within a few seconds (its sign-in cache). */
	printf("Revoked token %s\n", id);
	return 0;
}

int cmd_role_set(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--role", "--require-totp", NULL};
	const char *role = cli_opt(o, "--role"), *v = cli_opt(o, "--require-totp");
	struct datadir d;
	store_tx *tx;
	int rc, on;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!role || !codelist_has(&cl_role, role)) {
		fprintf(stderr, "himoya: --role must name a role\n");
		return 2;
	}
	if (!v || (strcmp(v, "yes") && strcmp(v, "no"))) {
		fprintf(stderr, "himoya: --require-totp takes yes or no\n");
		return 2;
	}
	on = !strcmp(v, "yes");
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	tx = store_begin(d.st);
	rc = tx ? store_role_set_totp(tx, role, on) : STORE_ERROR;
	if (rc == STORE_OK) {
		char record[64];
		snprintf(record, sizeof record, "roles/%s", role);
		rc = audit_cli(tx, "update", record, "require_totp");
	}
	if (rc == STORE_OK)
		rc = store_commit(tx);
	else if (tx)
		store_rollback(tx);
	datadir_close(&d);
	if (rc != STORE_OK) {
		cli_store_error("change the role");
		return 1;
	}
	printf("Role %s: second factor %s\n", role, on ? "required" : "optional");
	return 0;
}
