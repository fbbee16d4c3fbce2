/*
 * demo_justice.h - the criminal-justice track, risk assessments, safety
 * plans and shelter stays of `himoya demo` (demo_justice.c).
 */
#ifndef HIMOYA_CLI_DEMO_JUSTICE_H
#define HIMOYA_CLI_DEMO_JUSTICE_H

#include <stddef.h>
#include <stdint.h>

#include "cli/demo_records.h"
#include "crypto/crypto.h"
#include "store/store.h"

struct demo_justice_totals {
	size_t perpetrators, proceedings, protection, stays;
};

/* Add them for the cases already stored of the network's organisations
 * (today: days since 1970-01-01); one transaction.  0, or -1. */
int demo_justice_load(store *st, const keyring *kr, const struct demo_network *net, uint64_t seed,
		      int64_t today, struct demo_justice_totals *t);

#endif
