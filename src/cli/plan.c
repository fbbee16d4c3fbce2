/*
 * plan.c - `himoya plan load --data DIR --file FILE.json`: load the
 * national Action Plan (or the next one) from its file, through the loader
 * the API uses (api/plan.h), audited as the command line's.
 */
#include <stdio.h>

#include <jansson.h>

#include "api/plan.h"
#include "cli/cli.h"

#define PLAN_FILE_MAX (4u << 20)

int cmd_plan_load(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--file", NULL};
	const char *path;
	struct audit_entry e = {NULL, NULL, "load", NULL, NULL, "cli"};
	struct datadir d;
	struct org coord;
	json_error_t jerr;
	char err[300], now[TS_LEN], record[96];
	json_t *file;
	store_tx *tx;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	path = cli_opt(o, "--file");
	if (!path) {
		fprintf(stderr, "himoya: --file FILE.json is required\n");
		return 2;
	}
	file = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!file || !json_is_object(file)) {
		fprintf(stderr, "himoya: %s: %s\n", path, file ? "not a JSON object" : jerr.text);
		json_decref(file);
		return 2;
	}
	if (datadir_open(&d, cli_opt(o, "--data"), 1)) {
		json_decref(file);
		return 1;
	}
	store_now(now);
	tx = store_begin(d.st);
	rc = tx ? api_plan_load(d.st, tx, file, now, &coord, err, sizeof err) : -2;
	if (rc == 0) {
		snprintf(record, sizeof record, "plans/%s",
			 json_string_value(json_object_get(file, "plan")));
		e.record = record;
		rc = store_audit_append(tx, &e) == STORE_OK && store_commit(tx) == STORE_OK ? 0 : -2;
		if (rc == 0)
			printf("Loaded plan %s: %zu activities, coordinated by %s\n",
			       json_string_value(json_object_get(file, "plan")),
			       json_array_size(json_object_get(file, "activities")), coord.code);
	} else if (tx) {
		store_rollback(tx);
	}
	if (rc == -1)
		fprintf(stderr, "himoya: %s: %s\n", path, err);
	else if (rc == -2)
		cli_store_error("store the plan");
	json_decref(file);
	datadir_close(&d);
	return rc == 0 ? 0 : rc == -1 ? 2 : 1;
}
