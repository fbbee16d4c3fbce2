/*
 * demo_training.h - the capacity-building part of `himoya demo`
 * (demo_training.c), and the report facts made at the end of a demo load.
 */
#ifndef HIMOYA_CLI_DEMO_TRAINING_H
#define HIMOYA_CLI_DEMO_TRAINING_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "store/store.h"

/* A handful of training events kept by IOM, organised by several
 * partners, with participants of several agency types, both sexes and
 * pre/post-test scores; in one transaction with one audit entry.  A
 * folder that has trainings already is left alone (*events = 0).
 * Returns 0, or -1 with a message on stderr. */
int demo_training_load(store *st, uint64_t seed, size_t *events, size_t *participants);

/* Bring the report facts up to date with everything loaded, so that the
 * first report does not pay for it.  Returns 0, or -1 with a message. */
int demo_reports_refresh(store *st, const keyring *kr);

/* Pre-departure orientation sessions of the demo's NGOs and IOM, with
 * attendance counts; *n how many. 0, or -1. */
int demo_orientations_load(store *st, size_t *n);

/* The sample Action Plan (schema/plan-sample.json), once; *n its
 * activities (0 when it was there already). 0, or -1. */
int demo_plan_load(store *st, size_t *n);

#endif
