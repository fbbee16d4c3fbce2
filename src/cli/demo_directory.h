/*
 * demo_directory.h - the service directory of `himoya demo`
 * (demo_directory.c).
 */
#ifndef HIMOYA_CLI_DEMO_DIRECTORY_H
#define HIMOYA_CLI_DEMO_DIRECTORY_H

#include <stddef.h>

#include "crypto/crypto.h"
#include "store/store.h"

/* Fill an empty directory with the fictional referral partners' services
 * and locations, in one transaction with one summary audit entry (action
 * "create", record "directory/demo", fields "services=N,locations=M").
 * The organisations they name (demo.c) must exist.
 * A directory that has services already is left alone (*services = 0).
 * Returns 0, or -1 with a message on stderr. */
int demo_directory_load(store *st, const keyring *kr, size_t *services, size_t *locations);

#endif
