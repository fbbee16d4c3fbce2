/*
 * plan.h - loading the national Action Plan from its JSON, for the API
 * (POST /plan) and the command line (`himoya plan load`) alike.
 */
#ifndef HIMOYA_API_PLAN_H
#define HIMOYA_API_PLAN_H

#include <jansson.h>

#include "store/store.h"

/* Check the plan file and store it in tx (activities updated by number,
 * their reports kept); *coordinator gets its coordinating organisation.
 * 0; -1 with err saying what is wrong with the file; -2 when the store
 * failed. */
int api_plan_load(store *st, store_tx *tx, json_t *file, const char *now, struct org *coordinator,
		  char *err, size_t errlen);

/* schema/plan-sample.json, compiled in (the demo loads it). */
extern const char plan_sample_json[];
extern const unsigned long plan_sample_json_len;

#endif
