/*
 * maint.c - `himoya audit verify`, `backup` and `restore`.
 *
 * A backup is a consistent online copy of the database, taken while the
 * server runs; it stays encrypted and holds no key.  Restore needs the
 * key file in the target folder first: keys and backups are kept apart.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

int cmd_audit_verify(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", NULL};
	struct datadir d;
	char msg[256];
	int64_t n;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 2;
	rc = store_audit_verify(d.st, msg, sizeof msg, &n);
	datadir_close(&d);
	if (rc != 0) {
		printf("audit chain BROKEN: %s\n", msg);
		return 1;
	}
	printf("audit chain intact: %" PRId64 " entries\n", n);
	return 0;
}

int cmd_backup(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--to", NULL};
	const char *to = cli_opt(o, "--to");
	struct datadir d;
	struct stat sb;
	char err[512];
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!to) {
		fprintf(stderr, "himoya: --to FILE is required\n");
		return 2;
	}
	if (stat(to, &sb) == 0) {
		fprintf(stderr, "himoya: %s exists; choose a new file\n", to);
		return 1;
	}
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	rc = store_backup(d.st, to, err, sizeof err);
	datadir_close(&d);
	if (rc != STORE_OK) {
		fprintf(stderr, "himoya: %s\n", err);
		unlink(to);
		return 1;
	}
	chmod(to, 0600);
	printf("Backup written to %s (encrypted; the key file is not in it)\n", to);
	return 0;
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
	static const char *const allowed[] = {"--from", "--data", NULL};
	const char *from = cli_opt(o, "--from"), *dir = cli_opt(o, "--data");
	struct datadir d;
	struct stat sb;
	char msg[256];
	int64_t n;

	if (cli_opts_check(o, allowed, NULL))
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
		unlink(d.db);
		return 1;
	}
	chmod(d.db, 0600);
	/* The restored database must open under this key: its audit chain
	 * is keyed, so verifying it proves both. */
	if (datadir_open(&d, dir, 1)) {
		unlink(d.db);
		return 1;
	}
	if (store_audit_verify(d.st, msg, sizeof msg, &n) != 0) {
		datadir_close(&d);
		fprintf(stderr, "himoya: the backup does not match this key, or was altered: %s\n", msg);
		unlink(d.db);
		return 1;
	}
	datadir_close(&d);
	printf("Restored %s into %s (%" PRId64 " audit entries verified)\n", from, dir, n);
	return 0;
}
