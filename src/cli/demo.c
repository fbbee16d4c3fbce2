/*
 * demo.c - `himoya demo`: a data folder to try Himoya with.  It creates
 * the folder when it does not exist, then organisations of the referral
 * network (fictional) and one user of every role, each with the password
 * printed at the end.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>

#include "cli/cli.h"
#include "fields.h"

struct demo_org { const char *code, *name, *type; };
struct demo_user { const char *login, *org, *role; };

static const struct demo_org demo_orgs[] = {
	{"iom", "IOM Tajikistan", "IGO"},
	{"ngo-ozod", "NGO Ozod (fictional)", "NGO"},
	{"police-du", "Police, Dushanbe, anti-trafficking unit (fictional)", "LawEnforcement"},
};

static const struct demo_user demo_users[] = {
	{"admin", "iom", "admin"},
	{"supervisor", "iom", "supervisor"},
	{"caseworker", "iom", "caseworker"},
	{"hotline", "iom", "hotline"},
	{"analyst", "iom", "analyst"},
	{"trainer", "iom", "trainer"},
	{"ngo.worker", "ngo-ozod", "caseworker"},
	{"police.focal", "police-du", "focal_point"},
};

#define DEMO_PASSWORD "himoya-demo-2026"

/* Audit what the demo adds, as `org add` and `user add` do: accounts
 * never appear without a trace in the log. */
static int demo_audit(store_tx *tx, const char *kind, const char *id, const char *fields)
{
	char record[64];
	struct audit_entry e = {NULL, NULL, "create", record, fields, "cli"};

	snprintf(record, sizeof record, "%s/%s", kind, id);
	return store_audit_append(tx, &e);
}

int cmd_demo(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--persons", "--seed", NULL};
	const char *dir = cli_opt(o, "--data");
	char hash[PASSWORD_HASH_MAX];
	struct datadir d;
	struct stat sb;
	size_t i;
	int failed = 0;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!dir) {
		fprintf(stderr, "himoya: --data DIR is required\n");
		return 2;
	}
	if (stat(dir, &sb) != 0) {
		char *argv[] = {"--data", (char *)dir, NULL};
		struct cli_opts io = {2, argv};
		if (cmd_init(&io) != 0)
			return 1;
	}
	if (datadir_open(&d, dir, 1))
		return 1;
	if (password_hash(DEMO_PASSWORD, hash) != 0) {
		datadir_close(&d);
		return 1;
	}
	for (i = 0; i < sizeof demo_orgs / sizeof demo_orgs[0]; i++) {
		struct org org;
		char id[ID_LEN];
		store_tx *tx;
		if (store_org_by_code(d.st, demo_orgs[i].code, &org) == STORE_OK)
			continue;
		tx = store_begin(d.st);
		if (!tx || store_org_add(tx, demo_orgs[i].code, demo_orgs[i].name, demo_orgs[i].type,
					 id) != STORE_OK ||
		    demo_audit(tx, "orgs", id, "code,name,type") != STORE_OK) {
			if (tx)
				store_rollback(tx);
			failed = 1;
			continue;
		}
		if (store_commit(tx) != STORE_OK)
			failed = 1;
	}
	for (i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		struct user u;
		struct org org;
		char id[ID_LEN];
		store_tx *tx;
		if (store_user_by_login(d.st, demo_users[i].login, &u) == STORE_OK)
			continue;
		if (store_org_by_code(d.st, demo_users[i].org, &org) != STORE_OK) {
			failed = 1;
			continue;
		}
		tx = store_begin(d.st);
		if (!tx || store_user_add(tx, org.id, demo_users[i].login, demo_users[i].role, hash,
					  id) != STORE_OK ||
		    demo_audit(tx, "users", id, "login,role,org") != STORE_OK) {
			if (tx)
				store_rollback(tx);
			failed = 1;
			continue;
		}
		if (store_commit(tx) != STORE_OK)
			failed = 1;
	}
	datadir_close(&d);
	if (failed) {
		fprintf(stderr, "himoya: some demo records could not be added\n");
		return 1;
	}
	printf("Demo data folder: %s\nDemo users (password for all: %s):\n", dir, DEMO_PASSWORD);
	for (i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
		printf("  %-14s %-12s %s\n", demo_users[i].login, demo_users[i].role, demo_users[i].org);
	return 0;
}
