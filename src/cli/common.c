/*
 * common.c - option parsing, the configuration file, opening a data
 * folder, reading passwords.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "api/app.h"
#include "cli/cli.h"
#include "domain/consent.h"
#include "domain/pwrules.h"
#include "store/db.h"

static int listed(const char *name, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(name, *list))
			return 1;
	return 0;
}

int cli_opts_check(struct cli_opts *o, const char *const *allowed, const char *const *flags)
{
	int i;
	for (i = 0; i < o->argc; i++) {
		const char *a = o->argv[i];
		if (listed(a, flags))
			continue;
		if (!listed(a, allowed)) {
			/* Never the value of `--to=URL`: it may hold a password. */
			if (strstr(a, "://") && strncmp(a, "--", 2))
				fprintf(stderr, "himoya: unexpected argument (a URL) without its option\n");
			else
				fprintf(stderr, "himoya: unknown option '%.*s'%s\n", (int)strcspn(a, "="), a,
					strchr(a, '=') ? " (give its value after a space)" : "");
			return -1;
		}
		if (i + 1 >= o->argc || !strncmp(o->argv[i + 1], "--", 2)) {
			fprintf(stderr, "himoya: option %s needs a value\n", a);
			return -1;
		}
		i++;
	}
	return 0;
}

const char *cli_opt(struct cli_opts *o, const char *name)
{
	int i;
	for (i = 0; i + 1 < o->argc; i++)
		if (!strcmp(o->argv[i], name))
			return o->argv[i + 1];
	return NULL;
}

int cli_flag(struct cli_opts *o, const char *name)
{
	int i;
	for (i = 0; i < o->argc; i++)
		if (!strcmp(o->argv[i], name))
			return 1;
	return 0;
}

/* The database a configuration named (`database = postgresql://...`),
 * for the data folder opened after it. */
static char config_database[sizeof ((struct app_config *)0)->database];
static int config_loaded; /* cli_config_load ran: its file, not DIR/himoya.conf, rules */
static char config_path[4200];

int cli_config_load(struct cli_opts *o, struct app_config *cfg)
{
	const char *file = cli_opt(o, "--config"), *dir = cli_opt(o, "--data");
	char path[4200], err[512];
	struct stat sb;

	app_config_defaults(cfg);
	if (file) {
		/* A file named on the command line must be there: a typo in a
		 * unit file must not start the server on its defaults. */
		if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			fprintf(stderr, "himoya: --config %s: no such file\n", file);
			return -1;
		}
		snprintf(path, sizeof path, "%s", file);
	} else if (dir) {
		snprintf(path, sizeof path, "%s/himoya.conf", dir);
	} else {
		return 0;
	}
	err[0] = '\0';
	if (app_config_load(cfg, path, err, sizeof err) != 0) {
		fprintf(stderr, "himoya: %s\n", err[0] ? err : strerror(errno));
		return -1;
	}
	snprintf(config_database, sizeof config_database, "%s", cfg->database);
	snprintf(config_path, sizeof config_path, "%s", path);
	config_loaded = 1;
	/* "Today" in the programme's zone (serve refuses an unknown one). */
	consent_zone_set(cfg->timezone);
	return 0;
}

const char *cli_config_path(const char *dir, char *out, size_t len)
{
	if (config_loaded && config_path[0])
		return config_path;
	snprintf(out, len, "%s/himoya.conf", dir);
	return out;
}

int datadir_lock(const char *dir, int exclusive)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof path, "%s/himoya.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600); /* a symlink: ELOOP */
	if (fd < 0)
		return -1;
	if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* The database of a data folder: the one its configuration names (the
 * --config file loaded before, else DIR/himoya.conf), else DIR/himoya.db. */
void datadir_paths(struct datadir *d, const char *dir)
{
	struct app_config cfg;
	char conf[4200], err[512];

	snprintf(d->dir, sizeof d->dir, "%s", dir);
	snprintf(d->db, sizeof d->db, "%s/himoya.db", dir);
	snprintf(d->key, sizeof d->key, "%s/himoya.key", dir);
	if (config_loaded) {
		if (config_database[0])
			snprintf(d->db, sizeof d->db, "%s", config_database);
		return;
	}
	snprintf(conf, sizeof conf, "%s/himoya.conf", dir);
	app_config_defaults(&cfg);
	if (access(conf, F_OK) == 0 && app_config_load(&cfg, conf, err, sizeof err) != 0)
		app_config_defaults(&cfg);
	if (cfg.database[0])
		snprintf(d->db, sizeof d->db, "%s", cfg.database);
	/* Every command reckons "today" as the server does, in the
	 * programme's zone: an import stamped its consents and cases with
	 * UTC's day, a day off the server's for hours each day. */
	if (consent_zone_set(cfg.timezone) != 0)
		fprintf(stderr, "himoya: timezone %s: no such zone in /usr/share/zoneinfo; days are "
				"reckoned in this machine's zone\n", cfg.timezone);
}

int datadir_key_check = 1;
int datadir_migrated_ok = 0;
int datadir_as_is = 0;

int datadir_open(struct datadir *d, const char *dir, unsigned readers)
{
	char err[512];
	struct stat sb;
	int rc;

	memset(d, 0, sizeof *d);
	if (!dir) {
		fprintf(stderr, "himoya: --data DIR is required\n");
		return -1;
	}
	datadir_paths(d, dir);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "himoya: %s: no such data folder (create one with himoya init)\n", dir);
		return -1;
	}
	if (!db_is_url(d->db) && stat(d->db, &sb) != 0) {
		fprintf(stderr, "himoya: %s: not a himoya data folder (no himoya.db)\n", dir);
		return -1;
	}
	/* A SQLite database migrate copied to PostgreSQL takes no more
	 * writes, from any command: they would never reach PostgreSQL.  Seen
	 * before it is opened as a store, which may write (a migration). */
	if (!datadir_migrated_ok && !db_is_url(d->db)) {
		char when[64], path[4200];
		if (store_file_meta(d->db, MIGRATED_KEY, when, sizeof when) == STORE_OK) {
			fprintf(stderr, "himoya: %s was copied to PostgreSQL by himoya migrate at %s: "
					"add the database line migrate printed to %s (writes made here "
					"would never reach PostgreSQL); to use this SQLite database again "
					"instead, see README \"PostgreSQL\"\n", d->db, when,
				cli_config_path(dir, path, sizeof path));
			return -1;
		}
	}
	if (key_file_load(d->key, &d->kr, err, sizeof err) != 0) {
		fprintf(stderr, "himoya: %s\n", err);
		return -1;
	}
	rc = store_open(d->db, &d->kr, readers, datadir_as_is ? STORE_OPEN_AS_IS : STORE_OPEN_UPGRADE,
			&d->st, err, sizeof err);
	if (rc != STORE_OK) {
		fprintf(stderr, "himoya: %s\n", err);
		keyring_wipe(&d->kr);
		return rc == STORE_UNAVAILABLE ? DATADIR_UNREACHABLE : -1;
	}
	{
		long was, is;
		store_schema(d->st, &was, &is);
		if (was != is)
			fprintf(stderr, "himoya: upgraded the database schema of %s from %ld to %ld\n",
				dir, was, is);
	}
	/* Another installation's key would seal new records nobody can open
	 * and extend the audit chain under a MAC that breaks it: no command
	 * works under it but those that report it (audit verify, doctor). */
	if (datadir_key_check && store_key_opens(d->st) != 1) {
		fprintf(stderr, "himoya: %s does not open this database (another installation's key,"
			" or the database was altered): nothing was done; himoya audit verify --data %s"
			" says more\n", d->key, dir);
		store_close(d->st);
		d->st = NULL;
		keyring_wipe(&d->kr);
		return -1;
	}
	return 0;
}

void datadir_close(struct datadir *d)
{
	store_close(d->st);
	d->st = NULL;
	keyring_wipe(&d->kr);
}

int cli_read_password(char *out, size_t outlen)
{
	size_t n;
	if (!fgets(out, (int)outlen, stdin))
		return -1;
	n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[--n] = '\0';
	else if (n == outlen - 1)
		return -1; /* too long */
	if (n && out[n - 1] == '\r')
		out[--n] = '\0';
	return 0;
}

int cli_login_ok(const char *login)
{
	return account_login_ok(login);
}

void cli_store_error(const char *what)
{
	switch (store_failure()) {
	case STORE_BUSY:
		fprintf(stderr, "himoya: cannot %s: the database is busy (another process holds its"
			" write lock); try again\n", what);
		break;
	case STORE_UNAVAILABLE:
		fprintf(stderr, "himoya: cannot %s: the database cannot be reached; try again\n",
			what);
		break;
	default:
		fprintf(stderr, "himoya: cannot %s\n", what);
	}
}
