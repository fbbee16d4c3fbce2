/*
 * main.c - `himoya SUBCOMMAND ...`: a static table from command words to
 * handlers (after cgit's cmd.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "cli/cli.h"

struct command {
	const char *word1, *word2; /* word2 NULL for one-word commands */
	int (*fn)(struct cli_opts *o);
	const char *usage;
};

static const struct command commands[] = {
	{"init", NULL, cmd_init,
	 "init --data DIR [--org-code C --org-name N --org-type T] [--database postgresql://...]"},
	{"org", "add", cmd_org_add, "org add --data DIR --code C --name N --type T [--sector S]"},
	{"org", "home", cmd_org_home, "org home --data DIR --code C"},
	{"user", "add", cmd_user_add,
	 "user add --data DIR --org C --login L --role R [--password-stdin]"},
	{"user", "disable", cmd_user_disable, "user disable --data DIR --login L"},
	{"user", "enable", cmd_user_enable, "user enable --data DIR --login L"},
	{"user", "unlock", cmd_user_unlock, "user unlock --data DIR --login L"},
	{"user", "reset-password", cmd_user_reset_password,
	 "user reset-password --data DIR --login L [--password-stdin]"},
	{"token", "create", cmd_token_create,
	 "token create --data DIR --login L [--label TEXT] [--expires-days N]"},
	{"token", "list", cmd_token_list, "token list --data DIR [--login L]"},
	{"token", "revoke", cmd_token_revoke, "token revoke --data DIR --id ID"},
	{"role", "set", cmd_role_set, "role set --data DIR --role R --require-totp yes|no"},
	{"serve", NULL, cmd_serve, "serve --data DIR [--config FILE] [--listen 127.0.0.1:8080]"},
	{"demo", NULL, cmd_demo, "demo --data DIR [--persons N] [--seed S] [--database postgresql://...]"},
	{"audit", "verify", cmd_audit_verify, "audit verify --data DIR [--expect-head SEQ:HEX]"},
	{"audit", "reindex", cmd_audit_reindex, "audit reindex --data DIR"},
	{"backup", NULL, cmd_backup, "backup --data DIR [--to FILE | --config FILE]"},
	{"restore", NULL, cmd_restore, "restore --from FILE --data DIR [--expect-head SEQ:HEX]"},
	{"migrate", NULL, cmd_migrate, "migrate --from DIR --to postgresql://..."},
	{"doctor", NULL, cmd_doctor, "doctor --data DIR [--backup-hours H]"},
	{"version", NULL, cmd_version, "version [--data DIR]    (also: himoya --version)"},
	{"link", NULL, cmd_link,
	 "link (--left A.csv --right B.csv | --dedup A.csv) --out pairs.csv [--threshold W] "
	 "[--all-pairs] [--max-block-pairs N]"},
	{"pprl", "encode", cmd_pprl_encode, "pprl encode --secret FILE --in persons.csv --out clk.csv"},
	{"pprl", "link", cmd_pprl_link,
	 "pprl link --left A.clk --right B.clk --out pairs.csv [--threshold D] [--all-pairs]"},
	{"plan", "load", cmd_plan_load, "plan load --data DIR --file FILE.json"},
	{"import", NULL, cmd_import,
	 "import --data DIR --org CODE --as LOGIN [--dry-run] [--skip-invalid] FILE.csv"},
};

/* --config FILE, for every command that opens a data folder: its settings
 * (the database among them) come from FILE instead of DIR/himoya.conf, as
 * for serve (the /etc layout).  The pair is taken out of o; serve and
 * backup read it themselves.  -1 when FILE does not load. */
static int take_config(const struct command *c, struct cli_opts *o, char **rest)
{
	struct app_config cfg;
	int i, n = 0;

	if (!strcmp(c->word1, "serve") || !strcmp(c->word1, "backup") || !cli_opt(o, "--config"))
		return 0;
	if (cli_config_load(o, &cfg) != 0)
		return -1;
	for (i = 0; i < o->argc; i++) {
		if (!strcmp(o->argv[i], "--config") && i + 1 < o->argc) {
			i++;
			continue;
		}
		rest[n++] = o->argv[i];
	}
	rest[n] = NULL;
	o->argc = n;
	o->argv = rest;
	return 0;
}

static void usage(FILE *f)
{
	size_t i;
	fprintf(f, "usage:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  himoya %s\n", commands[i].usage);
}

/* The parameter name in s, up to its '=', %-decoded as libpq decodes a
 * URL's (`pass%77ord` is `password`), is "password". */
static int names_password(const char *s, size_t n)
{
	static const char want[] = "password";
	size_t i, k = 0;

	for (i = 0; i < n; i++, k++) {
		int c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			c = (int)strtol(hex, NULL, 16);
			i += 2;
		}
		if (k >= sizeof want - 1 || c != want[k])
			return 0;
	}
	return k == sizeof want - 1;
}

/* A password in a database URL on the command line (`--database`, `--to`)
 * is in every `ps` while the command runs: the command works on its own
 * copy, and the argument the system shows is masked: the URL's password,
 * and the value of every parameter named password (`?password=`, a
 * %-encoded name, or the keyword/value form).  (Better still, no
 * password there at all: libpq's password file, README "PostgreSQL".) */
static void mask_passwords(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		char *a = argv[i], *auth = strstr(a, "://"), *end, *at = NULL, *p, *copy;
		if (!(auth || strchr(a, '=')) || !(copy = strdup(a)))
			continue;
		argv[i] = copy;
		if (auth) {
			auth += 3;
			end = auth + strcspn(auth, "/?");
			for (p = auth; p < end; p++)
				if (*p == '@')
					at = p;
			p = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
			if (p)
				memset(p + 1, 'x', (size_t)(at - p - 1));
		}
		/* Each name=value, the names starting after '?', '&' or a space. */
		for (p = a; *p; p++) {
			char *eq;
			if (p != a && !strchr("?& ", p[-1]))
				continue;
			eq = p + strcspn(p, "=&? ");
			if (*eq == '=' && names_password(p, (size_t)(eq - p)))
				memset(eq + 1, 'x', strcspn(eq + 1, "& "));
		}
	}
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version"))
		argv[1] = "version";
	mask_passwords(argc, argv);
	if (crypto_init() != 0) {
		fprintf(stderr, "himoya: cannot initialise libsodium\n");
		return 1;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *c = &commands[i];
		struct cli_opts o;
		if (strcmp(argv[1], c->word1))
			continue;
		if (c->word2 && (argc < 3 || strcmp(argv[2], c->word2)))
			continue;
		char **rest = calloc((size_t)argc + 1, sizeof *rest);
		int rc;
		o.argc = argc - (c->word2 ? 3 : 2);
		o.argv = argv + (c->word2 ? 3 : 2);
		if (!rest)
			return 1;
		if (take_config(c, &o, rest) != 0) {
			free(rest);
			return 2;
		}
		rc = c->fn(&o);
		free(rest);
		return rc;
	}
	fprintf(stderr, "himoya: unknown command '%s%s%s'\n", argv[1], argc > 2 ? " " : "",
		argc > 2 ? argv[2] : "");
	usage(stderr);
	return 2;
}
