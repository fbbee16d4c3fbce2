/*
 * maint.c - `himoya audit verify`, `backup` and `restore`.
 *
 * A backup is a consistent online copy of the database, taken while the
 * server runs; it stays encrypted and holds no key.  Restore needs the
 * key file in the target folder first: keys and backups are kept apart.
 * Without --to, a backup goes to the configuration's backup_dir under a
 * name that sorts by time, and only the newest backup_keep of this
 * database's backups stay there, by the files' times (the nightly timer
 * of the Debian package).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/statvfs.h>
#include <time.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/app.h"
#include <sodium.h>

#include "cli/cli.h"
#include "domain/orgname.h"
#include "store/db.h"

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
	datadir_key_check = 0; /* a wrong key is what it reports */
	datadir_as_is = 1;     /* the log as it is, before any upgrade */
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
		cli_store_error("make the index of reads again");
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

/* A generation's time as its name gives it (UTC), or -1. */
static time_t generation_time(const char *name)
{
	struct tm tm = {0};
	const char *end = strptime(name + sizeof GEN_PREFIX - 1, "%Y%m%d-%H%M%S", &tm);

	return end && !strcmp(end, ".db") ? timegm(&tm) : (time_t)-1;
}

struct generation {
	char path[4400];
	struct timespec mtime;
};

/* Newest first, by the time the file was last written. */
static int generation_newer(const void *a, const void *b)
{
	const struct timespec *x = &((const struct generation *)a)->mtime;
	const struct timespec *y = &((const struct generation *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? 1 : -1;
	return x->tv_nsec < y->tv_nsec ? 1 : x->tv_nsec > y->tv_nsec ? -1 : 0;
}

/* Keep `keep` backups of this database in dir, `written` (just made) the
 * newest of them, and remove the older ones.  Which are older is told by
 * the files' times, never by their names alone: a name or a time in the
 * future (a clock that was wrong, a file put there by hand) would make
 * the backup just written "the oldest".  Such a file is kept and not
 * counted; so is every file that is no backup of this database (another
 * installation's, or no himoya database at all: store_backup_ours). */
static void backup_prune(store *st, const char *dir, unsigned keep, const char *written)
{
	struct generation *gens = NULL;
	struct dirent **list;
	time_t now = time(NULL);
	size_t ngens = 0, i;
	int n, k;

	n = scandir(dir, &list, is_generation, alphasort);
	if (n < 0) {
		fprintf(stderr, "himoya: cannot list %s: %s\n", dir, strerror(errno));
		return;
	}
	gens = calloc((size_t)n + 1, sizeof *gens);
	for (k = 0; k < n; k++) {
		struct generation *g = gens ? &gens[ngens] : NULL;
		struct stat sb;

		if (g) {
			snprintf(g->path, sizeof g->path, "%s/%s", dir, list[k]->d_name);
			if (strcmp(g->path, written) && lstat(g->path, &sb) == 0 &&
			    S_ISREG(sb.st_mode)) {
				if (sb.st_mtim.tv_sec > now + 300 ||
				    generation_time(list[k]->d_name) > now + 300)
					fprintf(stderr, "himoya: %s is dated in the future (a clock set wrong"
							" when it was made?): it is kept, and not counted among"
							" the backup_keep; remove it by hand once it is not"
							" needed\n", g->path);
				else if (store_backup_ours(st, g->path)) {
					g->mtime = sb.st_mtim;
					ngens++;
				}
			}
		}
		free(list[k]);
	}
	free(list);
	if (!gens) {
		fprintf(stderr, "himoya: out of memory: no old backup was removed\n");
		return;
	}
	qsort(gens, ngens, sizeof *gens, generation_newer);
	/* The one just written is the first kept (keep >= 1, app_config). */
	for (i = keep > 0 ? keep - 1 : 0; i < ngens; i++) {
		if (unlink(gens[i].path) == 0)
			printf("Removed the old backup %s\n", gens[i].path);
		else
			fprintf(stderr, "himoya: cannot remove %s: %s\n", gens[i].path, strerror(errno));
	}
	free(gens);
}

int cmd_backup(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--to", "--config", NULL};
	const char *to = cli_opt(o, "--to");
	struct app_config cfg;
	struct audit_head head;
	struct datadir d;
	struct stat sb;
	char err[512], gen[4400], full[PATH_MAX];
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
	/* The copy as the database is: a backup taken before an upgrade, with
	 * the new program already installed, must not be of the upgraded one. */
	datadir_as_is = 1;
	if (datadir_open(&d, cli_opt(o, "--data"), 1))
		return 1;
	rc = store_backup(d.st, to, &head, err, sizeof err);
	if (rc == STORE_OK && (!realpath(to, full) || store_backup_note(d.st, full) != STORE_OK))
		fprintf(stderr, "himoya: the backup is written, but its time could not be noted\n");
	if (rc != STORE_OK) {
		datadir_close(&d);
		fprintf(stderr, "himoya: %s\n", err);
		return 1;
	}
	printf("Backup written to %s (encrypted; the key file is not in it)\n", to);
	if (head.seq > 0)
		printf("audit head %" PRId64 ":%s\n"
		       "(keep this line apart from the backup: `himoya restore --expect-head` and"
		       " `himoya audit verify --expect-head` check a log against it)\n",
		       head.seq, head.digest);
	else
		printf("audit head unknown: the audit chain is damaged (run himoya audit verify)\n");
	if (to == gen)
		backup_prune(d.st, cfg.backup_dir, cfg.backup_keep, gen);
	datadir_close(&d);
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
	int rc = 0, fd;

	if (!in)
		return -1;
	/* Readable by its owner only from the start, whatever the umask. */
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!out) {
		if (fd >= 0)
			close(fd);
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
	/* A backup damaged on its disk (pages changed, the file cut) may
	 * still hold an intact audit chain, which is all the check after the
	 * copy reads: the records in its other pages would be lost unseen. */
	if (store_file_check(from, msg, sizeof msg) != STORE_OK) {
		fprintf(stderr, "himoya: %s is damaged, not a whole himoya backup (integrity_check: %s):"
				" nothing was restored; restore an earlier backup\n", from, msg);
		return 1;
	}
	if (copy_file(from, d.db) != 0) {
		fprintf(stderr, "himoya: cannot copy %s to %s: %s\n", from, d.db, strerror(errno));
		remove_db(d.db);
		return 1;
	}
	/* The restored database must open under this key: its audit chain,
	 * anchor and head are keyed, so verifying them proves both, and that
	 * nothing was cut from the log (and, with --expect-head, that it
	 * reaches an anchor kept apart). */
	datadir_key_check = 0; /* the chain's check below names a wrong key */
	datadir_as_is = 1;     /* restored as the backup was: serve upgrades it */
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

/* ---- himoya version ----------------------------------------------------- */

/* The program's version and the schema it writes; with --data, the
 * schema of that folder's database, read without the key and without
 * changing anything (an older one is upgraded by the next serve). */
int cmd_version(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", NULL};
	const char *dir = cli_opt(o, "--data");
	long latest = store_schema_latest(), v;
	struct datadir d;
	char err[512];
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	printf("himoya %s (database schema %ld)\n", HIMOYA_VERSION, latest);
	if (!dir)
		return 0;
	memset(&d, 0, sizeof d);
	datadir_paths(&d, dir);
	rc = store_schema_of(d.db, &v, err, sizeof err);
	if (rc != STORE_OK) {
		fprintf(stderr, "himoya: %s\n", err);
		return 1;
	}
	if (v <= 0) {
		fprintf(stderr, "himoya: %s: not a himoya database\n", dir);
		return 1;
	}
	if (v == latest)
		printf("%s: database schema %ld, this program's\n", dir, v);
	else if (v < latest)
		printf("%s: database schema %ld, older than this program's %ld: himoya serve upgrades"
		       " it (as does every command but backup, restore, doctor, audit verify and"
		       " version); back it up first (README \"Upgrading\")\n", dir, v, latest);
	else
		printf("%s: database schema %ld, newer than this program's %ld: made by a newer"
		       " himoya, which this one cannot serve\n", dir, v, latest);
	return 0;
}

/* ---- himoya doctor ------------------------------------------------------ */

/* One line per problem on stdout ("problem: ..."), one per check passed
 * ("ok: ..."); the count of problems is the verdict. */
struct doctor {
	int problems;
};

static void doctor_line(struct doctor *dr, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void doctor_line(struct doctor *dr, int ok, const char *fmt, ...)
{
	va_list ap;
	printf("%s", ok ? "ok: " : "problem: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		dr->problems++;
}

/* Organisations a reader could take for one another, or whose names hold
 * what a name may not (domain/orgname.h): the rules refuse new ones since
 * 2026-12-07, and this finds those made before. */
static void doctor_orgs(struct doctor *dr, store *st)
{
	struct org *rows;
	size_t n = 0, i, k, bad = 0;
	char **folded = NULL, (*codes)[65] = NULL;
	const char *why;
	arena a;

	arena_init(&a, 256u << 20);
	if (store_org_list(st, 1000000, &rows, &n, &a) != STORE_OK ||
	    !(folded = calloc(n ? n : 1, sizeof *folded)) || !(codes = calloc(n ? n : 1, 65))) {
		doctor_line(dr, 0, "the organisations could not be read");
		n = 0;
		bad = 1;
	}
	for (i = 0; i < n; i++) {
		folded[i] = orgname_fold(rows[i].name);
		orgcode_fold(rows[i].code, codes[i]);
		if ((why = orgname_problem(rows[i].name)) && ++bad)
			doctor_line(dr, 0, "organisation %s: %s (PATCH /orgs/%s to rename it)",
				    rows[i].code, why, rows[i].code);
	}
	for (i = 0; i < n; i++)
		for (k = i + 1; k < n; k++)
			if ((!strcmp(codes[i], codes[k]) ||
			     (folded[i] && folded[k] && !strcmp(folded[i], folded[k]))) &&
			    ++bad)
				doctor_line(dr, 0, "organisations %s and %s could be taken for one another"
					    " (their codes or names differ only in case, accents or"
					    " spacing)", rows[i].code, rows[k].code);
	if (!bad)
		doctor_line(dr, 1, "%zu organisations, none a look-alike of another", n);
	for (i = 0; folded && i < n; i++)
		free(folded[i]);
	free(folded);
	free(codes);
	arena_free(&a);
}

static int64_t ts_seconds(const char *ts)
{
	struct tm tm = {0};
	if (!ts[0] || !strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return -1;
	return (int64_t)timegm(&tm);
}

/* The files of the folder: the folder and the key readable by their owner
 * only, and that owner the user running this. */
static void doctor_files(struct doctor *dr, const struct datadir *d)
{
	struct stat sb;

	if (stat(d->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		doctor_line(dr, 0, "%s is not a folder", d->dir);
		return;
	}
	doctor_line(dr, (sb.st_mode & 077) == 0, "folder %s has mode %04o%s", d->dir,
		    (unsigned)(sb.st_mode & 07777), (sb.st_mode & 077) ? " (should be 0700)" : "");
	if (sb.st_uid != geteuid())
		doctor_line(dr, 0, "folder %s belongs to uid %u, not to this user (uid %u)", d->dir,
			    (unsigned)sb.st_uid, (unsigned)geteuid());
	if (stat(d->key, &sb) != 0) {
		doctor_line(dr, 0, "the key file %s is missing", d->key);
		return;
	}
	doctor_line(dr, (sb.st_mode & 077) == 0, "key file has mode %04o%s",
		    (unsigned)(sb.st_mode & 07777), (sb.st_mode & 077) ? " (should be 0600)" : "");
	if (stat(d->db, &sb) == 0)
		doctor_line(dr, (sb.st_mode & 077) == 0, "database has mode %04o%s",
			    (unsigned)(sb.st_mode & 07777),
			    (sb.st_mode & 077) ? " (should be 0600)" : "");
}

/* 1 when the configuration's text holds a secret: a database URL with a
 * password (on any line, a commented-out old one too) or metrics_token. */
static int conf_has_secret(const char *text)
{
	const char *p;

	if (strstr(text, "metrics_token"))
		return 1;
	for (p = text; (p = strstr(p, "postgres")) != NULL; p++) {
		char url[1024];
		size_t n = strcspn(p, " \t\r\n\"'");
		if (n < sizeof url && !strncmp(p + strcspn(p, ":"), "://", 3)) {
			memcpy(url, p, n);
			url[n] = '\0';
			if (db_url_has_password(url)) {
				sodium_memzero(url, sizeof url);
				return 1;
			}
			sodium_memzero(url, sizeof url);
		}
	}
	return 0;
}

/* A secret in the configuration (a database password, the metrics
 * token) is one as the key is: the file readable by its owner only. */
static void doctor_conf(struct doctor *dr, const struct datadir *d)
{
	char path[4200], text[65536];
	const char *conf = cli_config_path(d->dir, path, sizeof path);
	struct stat sb;
	size_t n;
	FILE *f;
	int secret;

	if (stat(conf, &sb) != 0 || !(f = fopen(conf, "r")))
		return;
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	secret = conf_has_secret(text) || (db_is_url(d->db) && db_url_has_password(d->db));
	sodium_memzero(text, sizeof text);
	if (!secret)
		return;
	doctor_line(dr, (sb.st_mode & 077) == 0, "%s holds a secret (a database password or the"
		    " metrics token) and has mode %04o%s", conf, (unsigned)(sb.st_mode & 07777),
		    (sb.st_mode & 077) ? " (should be 0600: others on this machine can read it)" : "");
}

static void doctor_disk(struct doctor *dr, const char *dir)
{
	struct statvfs v;
	unsigned long long avail, total;

	if (statvfs(dir, &v) != 0) {
		doctor_line(dr, 0, "free disk space of %s cannot be read: %s", dir, strerror(errno));
		return;
	}
	avail = (unsigned long long)v.f_bavail * v.f_frsize;
	total = (unsigned long long)v.f_blocks * v.f_frsize;
	doctor_line(dr, avail >= (1ull << 30) && avail * 20 >= total,
		    "%llu MiB free of %llu MiB on the data folder's disk%s", avail >> 20, total >> 20,
		    avail >= (1ull << 30) && avail * 20 >= total ? ""
		    : " (keep at least 1 GiB and 5% free)");
}

/* The last backup: made within `hours` (it is `age` seconds old), and
 * still there, a copy of this database: a time noted in the database
 * says nothing of a file removed since, or replaced. */
static void doctor_backup(struct doctor *dr, store *st, const char *ts, int64_t age, long hours)
{
	char file[PATH_MAX + 1];

	doctor_line(dr, age <= hours * 3600, "last backup %s, %lld hours ago%s", ts,
		    (long long)(age / 3600), age <= hours * 3600 ? "" : " (older than --backup-hours)");
	if (store_last_backup_file(st, file, sizeof file) != STORE_OK)
		doctor_line(dr, 0, "the file of the last backup is not known (made by an older himoya):"
			    " run himoya backup");
	else if (access(file, F_OK) != 0)
		doctor_line(dr, 0, "the last backup, %s, is not there (%s): run himoya backup", file,
			    strerror(errno));
	else if (!store_backup_ours(st, file))
		doctor_line(dr, 0, "the last backup, %s, is no backup of this database (replaced or"
			    " damaged): run himoya backup", file);
	else
		doctor_line(dr, 1, "the last backup is there: %s", file);
}

/* The schema: this program's, or older (serve upgrades it at its next
 * start; no problem, but worth a backup first). */
static void doctor_schema(struct doctor *dr, store *st)
{
	long was, is, latest = store_schema_latest();

	store_schema(st, &was, &is);
	if (is == latest)
		doctor_line(dr, 1, "database schema %ld, this program's", is);
	else
		doctor_line(dr, 1, "database schema %ld, older than this program's %ld: himoya serve"
			    " upgrades it at its next start (take a backup first: README \"Upgrading\")",
			    is, latest);
}

int cmd_doctor(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--backup-hours", NULL};
	const char *hours_s = cli_opt(o, "--backup-hours");
	struct doctor dr = {0};
	struct audit_head head;
	struct datadir d;
	char msg[512], ts[TS_LEN];
	int64_t n, now = store_unix_now(), t;
	long hours = 48;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!cli_opt(o, "--data")) {
		fprintf(stderr, "himoya: --data DIR is required\n");
		return 2;
	}
	if (hours_s) {
		char *end;
		hours = strtol(hours_s, &end, 10);
		if (*end || hours < 1 || hours > 24 * 366) {
			fprintf(stderr, "himoya: --backup-hours takes 1 to 8784\n");
			return 2;
		}
	}
	datadir_paths(&d, cli_opt(o, "--data"));
	doctor_files(&dr, &d);
	doctor_conf(&dr, &d);
	doctor_disk(&dr, d.dir);
	/* The clock: audit times and due dates depend on it. */
	store_now(ts);
	doctor_line(&dr, now >= 1735689600, "the clock says %s (UTC)%s", ts,
		    now >= 1735689600 ? "" : ": before 2025, set it right");
	datadir_key_check = 0; /* reported below as a problem */
	datadir_as_is = 1;     /* a check changes nothing */
	rc = datadir_open(&d, cli_opt(o, "--data"), 1);
	if (rc == DATADIR_UNREACHABLE) {
		doctor_line(&dr, 0, "the database could not be reached (see the message above)");
		goto out;
	}
	if (rc) {
		doctor_line(&dr, 0, "the data folder does not open (see the message above)");
		goto out;
	}
	if (store_audit_verify_head(d.st, NULL, &head, msg, sizeof msg, &n) == 0)
		doctor_line(&dr, 1, "the key opens the database; audit chain intact, %lld entries,"
			    " head %lld:%s", (long long)n, (long long)head.seq, head.digest);
	else
		doctor_line(&dr, 0, "audit chain broken: %s", msg);
	doctor_line(&dr, store_integrity(d.st, msg, sizeof msg) == STORE_OK,
		    "database integrity_check: %s", msg);
	doctor_schema(&dr, d.st);
	doctor_orgs(&dr, d.st);
	if (store_newest_audit(d.st, ts) == STORE_OK && (t = ts_seconds(ts)) > now + 300)
		doctor_line(&dr, 0, "the clock is behind the newest audit entry (%s)", ts);
	if (db_is_url(d.db))
		/* PostgreSQL's backups (pg_dump, pg_basebackup, a standby) are
		 * made and watched by PostgreSQL's own tools. */
		doctor_line(&dr, 1, "backups: the database is PostgreSQL's, backed up with its own"
			    " tools (not checked here); keep himoya.key apart");
	else if (store_last_backup(d.st, ts) != STORE_OK || (t = ts_seconds(ts)) < 0)
		doctor_line(&dr, 0, "no backup was made of this folder yet (himoya backup)");
	else
		doctor_backup(&dr, d.st, ts, now - t, hours);
	datadir_close(&d);
out:
	if (dr.problems)
		printf("%d problem%s\n", dr.problems, dr.problems == 1 ? "" : "s");
	else
		printf("all checks passed\n");
	return dr.problems ? 1 : 0;
}

static void migrate_table(void *arg, const char *table, long long rows)
{
	(void)arg;
	printf("  copied %-28s %lld rows\n", table, rows);
}

static void migrate_count(void *arg, const char *table, long long here, long long there)
{
	(void)arg;
	if (here != there)
		printf("  MISMATCH %-26s %lld in the source, %lld in the copy\n", table, here, there);
}

/* himoya migrate --from DIR --to postgresql://...: copy a SQLite data
 * folder's database into an empty PostgreSQL database, then check the copy
 * as the server would open it: its audit chain verifies under the folder's
 * key to the same head, and every table holds as many rows as the source. */
int cmd_migrate(struct cli_opts *o)
{
	static const char *const allowed[] = {"--from", "--to", NULL};
	const char *from = cli_opt(o, "--from"), *to = cli_opt(o, "--to");
	struct audit_head h1, h2;
	struct datadir d;
	store *copy = NULL;
	char err[512], msg[512], source[sizeof d.db], conf[4200];
	int64_t n1, n2;
	long other;
	int bad = 0, rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!from || !to || !db_is_url(to)) {
		fprintf(stderr, "himoya: migrate --from DIR --to postgresql://...\n");
		return 2;
	}
	datadir_migrated_ok = 1; /* copied before: it may be copied again, it only reads */
	if (datadir_open(&d, from, 1))
		return 2;
	/* A server still writing would make the copy a snapshot of the
	 * moment: its later writes would stay behind in the old database. */
	if (datadir_lock(from, 1) < 0) {
		fprintf(stderr, "himoya: %s\n", errno == EWOULDBLOCK
			? "a himoya server is serving this folder: stop every server first, so that "
			  "no write stays behind in the old database"
			: "cannot make the folder's lock file himoya.lock");
		datadir_close(&d);
		return 2;
	}
	if (db_is_url(d.db)) {
		fprintf(stderr, "himoya: %s already keeps its database in PostgreSQL\n", from);
		datadir_close(&d);
		return 2;
	}
	/* The folder's lock keeps out the servers of this folder; a server
	 * of another (a link to the same database) or one that lost its lock
	 * file still holds SQLite's own lock on the file, seen only while
	 * this process has it open nowhere (db_file_user). */
	snprintf(source, sizeof source, "%s", d.db);
	datadir_close(&d);
	if ((other = db_file_user(source)) != 0) {
		fprintf(stderr, "himoya: another process (%ld) has %s open: stop every server of it "
				"first, so that no write stays behind in the old database\n", other, source);
		return 2;
	}
	if (datadir_open(&d, from, 1))
		return 2;
	if (store_audit_verify_head(d.st, NULL, &h1, msg, sizeof msg, &n1) != 0) {
		fprintf(stderr, "himoya: the source's audit chain is BROKEN (%s): not copied\n", msg);
		datadir_close(&d);
		return 1;
	}
	printf("Copying %s (audit chain intact, %" PRId64 " entries) ...\n", d.db, n1);
	if (store_copy_to(d.st, to, migrate_table, NULL, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "himoya: migrate: %s\n", err);
		datadir_close(&d);
		return 1;
	}
	if (store_open(to, &d.kr, 1, 0, &copy, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "himoya: the copy does not open: %s\n", err);
		datadir_close(&d);
		return 1;
	}
	rc = store_audit_verify_head(copy, NULL, &h2, msg, sizeof msg, &n2);
	store_close(copy);
	if (rc != 0 || n2 != n1 || h2.seq != h1.seq || strcmp(h1.digest, h2.digest)) {
		printf("audit chain of the copy: %s (%" PRId64 " entries, the source %" PRId64 ")\n",
		       rc ? msg : "a different head", n2, n1);
		bad = 1;
	} else {
		printf("audit chain of the copy intact: %" PRId64 " entries, head %" PRId64 ":%s as"
		       " the source's\n", n2, h2.seq, h2.digest);
	}
	if (store_copy_counts(d.st, to, migrate_count, NULL, &rc) != STORE_OK) {
		printf("cannot count the rows of both\n");
		bad = 1;
	} else if (rc) {
		printf("%d tables differ in their rows\n", rc);
		bad = 1;
	} else {
		printf("every table holds as many rows in the copy as in the source\n");
	}
	/* The SQLite database stays (the README says to remove it once the
	 * new set-up is checked), marked: a server started on it before the
	 * database line is added would take writes PostgreSQL never sees. */
	if (!bad) {
		datadir_close(&d);
		other = db_file_user(source);
		if (other != 0 || datadir_open(&d, from, 1)) {
			if (other)
				printf("another process (%ld) opened %s while it was copied: the copy may"
				       " miss its writes\n", other, source);
			else
				printf("cannot open %s again to mark it as copied\n", source);
			bad = 1;
		}
	}
	if (!bad) {
		char day[TS_LEN];
		store_tx *tx = store_begin(d.st);
		store_now(day);
		if (!tx || store_meta_set(tx, MIGRATED_KEY, day) != STORE_OK ||
		    store_commit(tx) != STORE_OK) {
			if (tx)
				store_rollback(tx);
			printf("cannot mark %s as copied: do not serve it again\n", d.db);
		}
	}
	datadir_close(&d);
	if (bad) {
		printf("migrate FAILED: keep serving from %s; the target holds a copy that must not be"
		       " used: drop that database (and create it again, empty, to retry)\n", from);
		return 1;
	}
	printf("Done.  To serve from PostgreSQL, add to %s (mode 0600):\n  database = %s\n"
	       "(the folder keeps its key, himoya.key; %s/himoya.db is then no longer read: once the\n"
	       "new set-up is checked, remove it, as it holds every record)\n",
	       cli_config_path(from, conf, sizeof conf),
	       db_url_has_password(to) ? "<the URL given to --to, with its password>" : to, from);
	return 0;
}
