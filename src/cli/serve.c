/*
 * serve.c - `himoya serve`: open the data folder, start the password
 * workers and the HTTP server, and on SIGTERM stop taking requests, let
 * the ones in flight finish, flush the audit queue and close the store.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "api/api.h"
#include "api/pprlnet.h"
#include "api/app.h"
#include "api/kb.h"
#include "cli/cli.h"
#include "store/db.h"
#include "api/metrics.h"
#include "domain/consent.h"
#include "util/lograte.h"

int cmd_serve(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--listen", "--config", NULL};
	struct app app;
	struct datadir d;
	char err[512];
	const char *listen;
	int rc;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	memset(&app, 0, sizeof app);
	if (!cli_opt(o, "--data")) {
		fprintf(stderr, "himoya: --data DIR is required\n");
		return 2;
	}
	if (cli_config_load(o, &app.cfg) != 0)
		return 2;
	/* Before any thread starts: "today" is the programme's day. */
	if (consent_zone_set(app.cfg.timezone) != 0) {
		fprintf(stderr, "himoya: timezone %s: no such zone in /usr/share/zoneinfo\n",
			app.cfg.timezone);
		return 2;
	}
	listen = cli_opt(o, "--listen");
	if (listen)
		snprintf(app.cfg.http.listen, sizeof app.cfg.http.listen, "%s", listen);
	if (http_parse_listen(app.cfg.http.listen, err, sizeof err) != 0) {
		fprintf(stderr, "himoya: %s\n", err);
		return 2;
	}
	/* SIGTERM and SIGINT are taken by http_serve's sigwait alone: blocked
	 * before any thread starts (the store's, the background passes'), so
	 * that none inherits them unblocked and dies of one that reaches it
	 * while the main thread is not waiting (a stop seen to end the
	 * process by the signal instead of cleanly). */
	{
		sigset_t stop;
		sigemptyset(&stop);
		sigaddset(&stop, SIGTERM);
		sigaddset(&stop, SIGINT);
		pthread_sigmask(SIG_BLOCK, &stop, NULL);
	}
	if (datadir_open(&d, cli_opt(o, "--data"), app.cfg.http.threads + 2))
		return 1;
	{
		char mark[128];
		app.demo_folder = store_meta_get(d.st, DEMO_META_KEY, mark, sizeof mark) == STORE_OK;
		if (app.demo_folder && !strncmp(mark, DEMO_UNFINISHED, strlen(DEMO_UNFINISHED))) {
			fprintf(stderr, "himoya: %s holds a demo that was stopped before it ended (%s): "
					"delete the folder and run himoya demo again\n",
				cli_opt(o, "--data"), mark);
			datadir_close(&d);
			return 1;
		}
	}
	/* Held shared while it serves: `migrate` waits for no server.  A
	 * folder this user cannot write (PostgreSQL's, which holds only the
	 * key) has nothing to migrate. */
	if (datadir_lock(cli_opt(o, "--data"), 0) < 0 && errno != EACCES && errno != EROFS) {
		if (errno == EWOULDBLOCK)
			fprintf(stderr, "himoya: %s is being migrated (himoya migrate): serve it when "
					"that has ended\n", cli_opt(o, "--data"));
		else
			fprintf(stderr, "himoya: %s/himoya.lock must be a plain file this user can "
					"write (%s)\n", cli_opt(o, "--data"), strerror(errno));
		datadir_close(&d);
		return 1;
	}

	/* Several servers may serve one data folder (README "Running two
	 * servers"): whatever must hold across them is in the database. */
	app.st = d.st;
	app.kr = d.kr;
	/* A folder made before the knowledge base existed gets its seed. */
	if (kb_seed_ensure(d.st, err, sizeof err) != 0)
		fprintf(stderr, "himoya: %s\n", err);
	app.secure_cookies = app.cfg.http.tls_cert[0] != '\0';
	if (api_public_form_init(&app, err, sizeof err) != 0) {
		fprintf(stderr, "himoya: %s\n", err);
		datadir_close(&d);
		return 2;
	}
	app.pprl = api_pprl_key_load(&app.kr, app.cfg.pprl_secret, err, sizeof err);
	if (!app.pprl) {
		fprintf(stderr, "himoya: %s\n", err);
		datadir_close(&d);
		return 2;
	}
	app.lockout = lockout_new(app.st, &app.kr, app.cfg.lockout_failures, app.cfg.lockout_secs);
	if (!app.lockout || pw_pool_start(app.cfg.pw_threads, app.cfg.pw_queue) != 0) {
		fprintf(stderr, "himoya: cannot start the password workers\n");
		lockout_free(app.lockout);
		api_pprl_key_free(app.pprl);
		datadir_close(&d);
		return 1;
	}
	if (store_group_start(app.st, &app.commits) != STORE_OK) {
		fprintf(stderr, "himoya: cannot start the group commit\n");
		pw_pool_stop();
		lockout_free(app.lockout);
		datadir_close(&d);
		return 1;
	}
	app.cfg.http.observe = api_metrics_observe;
	app.cfg.http.body_cap = api_body_cap;
	api_log_event("start", "listen=%s threads=%u", app.cfg.http.listen, app.cfg.http.threads);
	api_referral_names_start(&app);
	api_dedup_start(&app);
	api_pprl_start(&app);
	rc = http_serve(&app.cfg.http, api_dispatch, &app, err, sizeof err);
	api_referral_names_stop();
	api_dedup_stop();
	api_pprl_stop();
	lograte_tick(1);
	api_log_event("stop", "status=%d", rc);
	if (rc != 0)
		fprintf(stderr, "himoya: %s\n", err);
	store_group_stop(app.commits);
	pw_pool_stop();
	lockout_free(app.lockout);
	api_pprl_key_free(app.pprl);
	keyring_wipe(&app.kr);
	datadir_close(&d);
	return rc ? 1 : 0;
}
