/*
 * config.c - settings: defaults, then the configuration file (`--config
 * FILE`, or DATA/himoya.conf).
 *
 * The file holds `key = value` lines; `#` starts a comment.  Unknown keys
 * and bad values are errors, so that a typo never silently weakens a
 * setting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/app.h"
#include "store/db.h"

void app_config_defaults(struct app_config *c)
{
	long n;

	memset(c, 0, sizeof *c);
	snprintf(c->http.listen, sizeof c->http.listen, "127.0.0.1:8080");
	/* One request thread per core: the work is CPU-bound and the few
	 * waits (the writer lock, password checks) are short or off-thread. */
	n = sysconf(_SC_NPROCESSORS_ONLN);
	c->http.threads = n < 2 ? 2 : n > 16 ? 16 : (unsigned)n;
	c->http.max_connections = 512;
	c->http.max_per_ip = 128;
	c->http.timeout_secs = 30;
	c->http.head_timeout_secs = 10;
	c->http.body_max = 1u << 20;
	c->session_idle_secs = 30 * 60;
	c->lockout_failures = 10;
	c->lockout_secs = 15 * 60;
	c->pw_threads = 1;
	c->pw_queue = 64;
	c->report_k = 11;
	c->backup_keep = 14;
	snprintf(c->timezone, sizeof c->timezone, "Asia/Dushanbe");
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int parse_uint(const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

int app_config_load(struct app_config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1200];
	int lineno = 0;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof line, f)) {
		char *s = trim(line), *eq, *key, *val;
		unsigned long n = 0;
		int bad = 0;

		lineno++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		if (!strcmp(key, "listen")) {
			bad = snprintf(c->http.listen, sizeof c->http.listen, "%s", val) >=
			      (int)sizeof c->http.listen;
		} else if (!strcmp(key, "threads")) {
			bad = parse_uint(val, 1, 64, &n);
			c->http.threads = (unsigned)n;
		} else if (!strcmp(key, "max_connections")) {
			bad = parse_uint(val, 1, 100000, &n);
			c->http.max_connections = (unsigned)n;
		} else if (!strcmp(key, "max_connections_per_address")) {
			bad = parse_uint(val, 1, 100000, &n);
			c->http.max_per_ip = (unsigned)n;
		} else if (!strcmp(key, "timeout_seconds")) {
			bad = parse_uint(val, 1, 3600, &n);
			c->http.timeout_secs = (unsigned)n;
		} else if (!strcmp(key, "header_timeout_seconds")) {
			bad = parse_uint(val, 1, 3600, &n);
			c->http.head_timeout_secs = (unsigned)n;
		} else if (!strcmp(key, "body_max_bytes")) {
			bad = parse_uint(val, 1024, 64ul << 20, &n);
			c->http.body_max = n;
		} else if (!strcmp(key, "session_idle_minutes")) {
			bad = parse_uint(val, 1, 24 * 60, &n);
			c->session_idle_secs = (unsigned)n * 60;
		} else if (!strcmp(key, "lockout_failures")) {
			bad = parse_uint(val, 1, 1000, &n);
			c->lockout_failures = (unsigned)n;
		} else if (!strcmp(key, "lockout_minutes")) {
			bad = parse_uint(val, 1, 24 * 60, &n);
			c->lockout_secs = (unsigned)n * 60;
		} else if (!strcmp(key, "password_workers")) {
			bad = parse_uint(val, 1, 16, &n);
			c->pw_threads = (unsigned)n;
		} else if (!strcmp(key, "password_queue")) {
			bad = parse_uint(val, 1, 10000, &n);
			c->pw_queue = (unsigned)n;
		} else if (!strcmp(key, "report_k")) {
			bad = parse_uint(val, 2, 1000, &n);
			c->report_k = (unsigned)n;
		} else if (!strcmp(key, "hotline_org")) {
			bad = !*val || snprintf(c->hotline_org, sizeof c->hotline_org, "%s", val) >=
					       (int)sizeof c->hotline_org;
		} else if (!strcmp(key, "hotline_number")) {
			/* Digits, spaces, + - ( ) only: it is printed on public pages. */
			bad = !*val || strspn(val, "0123456789 +-()") != strlen(val) ||
			      !strpbrk(val, "0123456789") ||
			      snprintf(c->hotline_number, sizeof c->hotline_number, "%s", val) >=
				      (int)sizeof c->hotline_number;
		} else if (!strcmp(key, "metrics_token")) {
			/* 32 to 128 visible characters: anyone holding it reads /metrics */
			size_t len = strlen(val), k;
			bad = len < 32 || len >= sizeof c->metrics_token;
			for (k = 0; !bad && k < len; k++)
				bad = val[k] <= ' ' || val[k] > '~';
			if (!bad)
				snprintf(c->metrics_token, sizeof c->metrics_token, "%s", val);
		} else if (!strcmp(key, "backup_dir")) {
			bad = *val != '/' || snprintf(c->backup_dir, sizeof c->backup_dir, "%s", val) >=
						     (int)sizeof c->backup_dir;
		} else if (!strcmp(key, "backup_keep")) {
			bad = parse_uint(val, 1, 1000, &n);
			c->backup_keep = (unsigned)n;
		} else if (!strcmp(key, "timezone")) {
			/* Checked against the system's zoneinfo when it is applied. */
			bad = !*val || snprintf(c->timezone, sizeof c->timezone, "%s", val) >=
					       (int)sizeof c->timezone;
		} else if (!strcmp(key, "database")) {
			/* Only a PostgreSQL URL: the SQLite file is always DATA/himoya.db. */
			bad = !db_is_url(val) ||
			      snprintf(c->database, sizeof c->database, "%s", val) >= (int)sizeof c->database;
		} else if (!strcmp(key, "pprl_secret")) {
			bad = *val != '/' || snprintf(c->pprl_secret, sizeof c->pprl_secret, "%s", val) >=
						     (int)sizeof c->pprl_secret;
		} else if (!strcmp(key, "tls_cert")) {
			bad = snprintf(c->http.tls_cert, sizeof c->http.tls_cert, "%s", val) >=
			      (int)sizeof c->http.tls_cert;
		} else if (!strcmp(key, "tls_key")) {
			bad = snprintf(c->http.tls_key, sizeof c->http.tls_key, "%s", val) >=
			      (int)sizeof c->http.tls_key;
		} else {
			snprintf(err, errlen, "%s:%d: unknown setting '%s'", path, lineno, key);
			fclose(f);
			return -1;
		}
		if (bad) {
			snprintf(err, errlen, "%s:%d: bad value for %s", path, lineno, key);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (!c->http.tls_cert[0] != !c->http.tls_key[0]) {
		snprintf(err, errlen, "%s: tls_cert and tls_key go together: give both (the "
				      "certificate, and its private key), or neither", path);
		return -1;
	}
	return 0;
}
