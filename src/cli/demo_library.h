/*
 * demo_library.h - the knowledge library of `himoya demo`
 * (demo_library.c).
 */
#ifndef HIMOYA_CLI_DEMO_LIBRARY_H
#define HIMOYA_CLI_DEMO_LIBRARY_H

#include <stddef.h>

#include "crypto/crypto.h"
#include "store/store.h"

/* A few sample products (each says it is a sample, not an official
 * document), one with two versions; in one transaction with one audit
 * entry.  A folder whose library has products is left alone.  0, or -1
 * with a message on stderr. */
int demo_library_load(store *st, const keyring *kr, size_t *products, size_t *versions);

#endif
