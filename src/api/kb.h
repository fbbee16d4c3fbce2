/*
 * kb.h - the safe-migration knowledge base as the API, the public pages
 * and the command line share it (api/kb.c): search keys, the languages,
 * and the seed every installation starts with (schema/kb-seed.json,
 * compiled in).
 */
#ifndef HIMOYA_API_KB_H
#define HIMOYA_API_KB_H

#include "store/kb.h"
#include "util/arena.h"

extern const char *const kb_langs[KB_LANGS]; /* "tg", "ru", "en" */

/* The index of a language code, or -1. */
int kb_lang_index(const char *code);

/* The search keys of a query (at most KB_QUERY_KEYS), in the arena. */
size_t kb_query_keys(arena *a, const char *q, const char **keys, size_t max);

/* The label of a topic or a country ("" for general) in language li. */
const char *kb_topic_label(const char *topic, int li);
const char *kb_country_label(const char *country, int li);

/* A number that changes with every write of an article in this process
 * (never 0), so that pages rendered from articles can be kept until then. */
unsigned long kb_generation(void);

/* Put the seed articles into an installation that has never had them
 * (meta kb_seeded unset and no article yet), in one transaction with
 * their history and audit entries.  0, or -1 with a sentence in err. */
int kb_seed_ensure(store *st, char *err, size_t errlen);

/* The compiled-in seed (schema/kb-seed.json, via tools/gen_blob.py). */
extern const char kb_seed_json[];
extern const unsigned long kb_seed_json_len;

#endif
