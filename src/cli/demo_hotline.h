/*
 * demo_hotline.h - the hotline of `himoya demo` (demo_hotline.c).
 */
#ifndef HIMOYA_CLI_DEMO_HOTLINE_H
#define HIMOYA_CLI_DEMO_HOTLINE_H

#include <stddef.h>

#include "crypto/crypto.h"
#include "store/store.h"

/* Fill the hotline of the first organisation (the one taking public
 * callback requests by default) with DEMO_HOTLINE_CONTACTS synthetic
 * contacts of the last six months, across channels, topics and call
 * types (about a quarter non-data), many from returning numbers; caller
 * flags; and a queue of callbacks (operator and public, done, overdue,
 * due and later).  Records are sealed and indexed as the API makes them
 * and checked against their declarations.  One summary audit entry
 * (action "create", record "contacts/demo").  A hotline that has
 * contacts already is left alone (*contacts = 0).  The demo users
 * "hotline" and "supervisor" must exist.  Returns 0, or -1 with a
 * message on stderr. */
int demo_hotline_load(store *st, const keyring *kr, unsigned long long seed, size_t *contacts,
		      size_t *callbacks, size_t *flags);

#define DEMO_HOTLINE_CONTACTS 3000

#endif
