/*
 * maint.c - `himoya audit verify`, `backup` and `restore`.
 *
 * A backup is a consistent online copy of the database, taken while the
 * server runs; it stays encrypted and holds no key.  Restore needs the
 * key file in the target folder first: keys and backups are kept apart.
 * Without --to, a backup goes to the configuration's backup_dir under a
 * name that sorts by time, and only the newest backup_keep stay there (the
 * nightly timer of the Debian package).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/app.h"
#include "cli/cli.h"

/* An anchor given on the command line: "SEQ:HEX" with 16 to 64 hex
 * digits (the store checks it against the chain). */
static int expect_ok(const char *v)
{
	const char *colon = v ? strchr(v, ':') : NULL;
	size_t i, n;

	if (!v)
		return 1;
	if (!colon || colon == v)
		goto bad;
	for (i = 0; v + i < colon; i++)
		if (v[i] < '0' || v[i] > '9')
			goto bad;
	n = strlen(colon + 1);
	if (n < 16 || n > 64)
		goto bad;
	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", colon[1 + i]))
			goto bad;
	return 1;
bad:
	fprintf(stderr, "himoya: --expect-head takes SEQ:HEX, as printed by `audit verify` or"
		" `backup` (HEX: 16 to 64 hex digits)\n");
	return 0;
}

int cmd_audit_verify(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--expect-head", NULL};
	const char *expect = cli_opt(o, "--expect-head");
	struct audit_head head;
	struct datadir d;
	char msg[512];
	int64_t n;
	int rc;

	if (cli_opts_check(o, allowed, NULL) || !expect_ok(expect))
		return 2;
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 2;
	rc = store_audit_verify_head(d.st, expect, &head, msg, sizeof msg, &n);
	datadir_close(&d);
	if (rc != 0) {
		printf("audit chain BROKEN: %s\n", msg);
		return 1;
	}
	printf("audit chain intact: %" PRId64 " entries\n", n);
	printf("audit head %" PRId64 ":%s\n", head.seq, head.digest);
	if (expect)
		printf("the expected head %s is in the chain\n", expect);
	return 0;
}

int cmd_audit_reindex(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", NULL};
	struct datadir d;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	rc = store_audit_reindex(d.st);
	datadir_close(&d);
	if (rc != STORE_OK) {
		fprintf(stderr, "himoya: cannot make the index of reads again\n");
		return 1;
	}
	printf("The index of reads (audit_reads) was made again from the audit chain\n");
	return 0;
}

/* A generation in backup_dir: "himoya-YYYYMMDD-HHMMSS.db", nothing else
 * (other files there are never removed). */
#define GEN_PREFIX "himoya-"
#define GEN_LEN (sizeof GEN_PREFIX - 1 + 15 + 3)

static int is_generation(const struct dirent *e)
{
	const char *n = e->d_name;
	size_t i;

	if (strlen(n) != GEN_LEN || strncmp(n, GEN_PREFIX, sizeof GEN_PREFIX - 1) ||
	    strcmp(n + GEN_LEN - 3, ".db"))
		return 0;
	for (i = sizeof GEN_PREFIX - 1; i < GEN_LEN - 3; i++)
		if (!(n[i] >= '0' && n[i] <= '9') && !(i == sizeof GEN_PREFIX - 1 + 8 && n[i] == '-'))
			return 0;
	return 1;
}

/* Remove the oldest generations beyond `keep` (names sort by time). */
static void backup_prune(const char *dir, unsigned keep)
{
	struct dirent **list;
	char p[4400];
	int n, i;

	n = scandir(dir, &list, is_generation, alphasort);
	if (n < 0) {
		fprintf(stderr, "himoya: cannot list %s: %s\n", dir, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned)(n - i) > keep) {
			snprintf(p, sizeof p, "%s/%s", dir, list[i]->d_name);
			if (unlink(p) == 0)
				printf("Removed the old backup %s\n", p);
			else
				fprintf(stderr, "himoya: cannot remove %s: %s\n", p, strerror(errno));
		}
		free(list[i]);
	}
	free(list);
}

int cmd_backup(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--to", "--config", NULL};
	const char *to = cli_opt(o, "--to");
	struct app_config cfg;
	struct audit_head head;
	struct datadir d;
	struct stat sb;
	char err[512], gen[4400];
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	app_config_defaults(&cfg);
	/* The settings matter only without --to (backup_dir, backup_keep). */
	if (!to && cli_config_load(o, &cfg) != 0)
		return 2;
	if (!to && !cfg.backup_dir[0]) {
		fprintf(stderr, "himoya: --to FILE is required (or backup_dir in the configuration)\n");
		return 2;
	}
	if (!to) {
		time_t now = time(NULL);
		struct tm tm;
		char stamp[32];

		if (mkdir(cfg.backup_dir, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "himoya: cannot create %s: %s\n", cfg.backup_dir, strerror(errno));
			return 1;
		}
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime_r(&now, &tm));
		snprintf(gen, sizeof gen, "%s/" GEN_PREFIX "%s.db", cfg.backup_dir, stamp);
		to = gen;
	}
	if (stat(to, &sb) == 0) {
		fprintf(stderr, "himoya: %s exists; choose a new file\n", to);
		return 1;
	}
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	rc = store_backup(d.st, to, &head, err, sizeof err);
	datadir_close(&d);
	if (rc != STORE_OK) {
		fprintf(stderr, "himoya: %s\n", err);
		unlink(to);
		return 1;
	}
	chmod(to, 0600);
	printf("Backup written to %s (encrypted; the key file is not in it)\n", to);
	if (head.seq > 0)
		printf("audit head %" PRId64 ":%s\n"
		       "(keep this line apart from the backup: `himoya restore --expect-head` and"
		       " `himoya audit verify --expect-head` check a log against it)\n",
		       head.seq, head.digest);
	else
		printf("audit head unknown: the audit chain is damaged (run himoya audit verify)\n");
	if (to == gen)
		backup_prune(cfg.backup_dir, cfg.backup_keep);
	return 0;
}

/* Remove a database and whatever SQLite left beside it. */
static void remove_db(const char *path)
{
	static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
	char p[4300];
	size_t i;

	for (i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, sides[i]);
		unlink(p);
	}
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!in)
		return -1;
	out = fopen(to, "wbx");
	if (!out) {
		fclose(in);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		if (fwrite(chunk, 1, n, out) != n)
			rc = -1;
	if (ferror(in) || fflush(out) != 0 || fsync(fileno(out)) != 0)
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

int cmd_restore(struct cli_opts *o)
{
	static const char *const allowed[] = {"--from", "--data", "--expect-head", NULL};
	const char *from = cli_opt(o, "--from"), *dir = cli_opt(o, "--data");
	const char *expect = cli_opt(o, "--expect-head");
	struct audit_head head;
	struct datadir d;
	struct stat sb;
	char msg[512];
	int64_t n;

	if (cli_opts_check(o, allowed, NULL) || !expect_ok(expect))
		return 2;
	if (!from || !dir) {
		fprintf(stderr, "himoya: --from FILE and --data DIR are required\n");
		return 2;
	}
	if (stat(from, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fprintf(stderr, "himoya: %s: no such backup file\n", from);
		return 1;
	}
	memset(&d, 0, sizeof d);
	datadir_paths(&d, dir);
	if (stat(d.key, &sb) != 0) {
		fprintf(stderr, "himoya: %s has no himoya.key: create the folder (mode 0700) and put "
			"the installation's key file in it first\n", dir);
		return 1;
	}
	if (stat(d.db, &sb) == 0) {
		fprintf(stderr, "himoya: %s already holds a database; move it away first\n", dir);
		return 1;
	}
	if (copy_file(from, d.db) != 0) {
		fprintf(stderr, "himoya: cannot copy %s to %s: %s\n", from, d.db, strerror(errno));
		remove_db(d.db);
		return 1;
	}
	chmod(d.db, 0600);
	/* The restored database must open under this key: its audit chain,
	 * anchor and head are keyed, so verifying them proves both, and that
	 * nothing was cut from the log (and, with --expect-head, that it
	 * reaches an anchor kept apart). */
	if (datadir_open(&d, dir, 1)) {
		remove_db(d.db);
		return 1;
	}
	if (store_audit_verify_head(d.st, expect, &head, msg, sizeof msg, &n) != 0) {
		datadir_close(&d);
		fprintf(stderr, "himoya: the backup does not match this key, or was altered: %s\n", msg);
		remove_db(d.db);
		return 1;
	}
	datadir_close(&d);
	printf("Restored %s into %s (%" PRId64 " audit entries verified)\naudit head %" PRId64
	       ":%s\n", from, dir, n, head.seq, head.digest);
	return 0;
}
