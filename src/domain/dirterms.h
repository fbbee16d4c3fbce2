/*
 * dirterms.h - the generic words for the kinds of assistance in a
 * directory search: "shelter", "приют", "паноҳгоҳ", "юрист" name a kind
 * (a code of assistance_service_types) rather than a service.
 *
 * The words are the tg/ru/en labels of the kinds (schema/labels.json) and
 * the synonyms of schema/directory-terms.json, less the words of its
 * _ignore list; each is compared by its cross-script name key
 * (namekey.h), so Паноҳгоҳ, Панохгох and Panohgoh are one word.  The
 * table is built once, on first use, from compiled-in data; it is then
 * read-only and safe to share between threads.
 */
#ifndef HIMOYA_DIRTERMS_H
#define HIMOYA_DIRTERMS_H

#include <stddef.h>

#define DIRTERMS_STEM_MIN 4 /* shortest key that names a kind by its beginning */

/* The codes of the kinds that the query word whose name key is `key`
 * names, written into types[] (static strings, each once); returns how
 * many, 0 for a word that names no kind.  A key names a kind when it
 * equals the key of one of the kind's words, or when one of the two
 * begins with the other and the shorter has at least DIRTERMS_STEM_MIN
 * letters ("панохгохи" and "shelters" name the shelter; "pan" does not). */
size_t dirterms_types(const char *key, const char **types, size_t max);

/* How many words the table holds (0 if the data could not be read). */
size_t dirterms_count(void);

#endif
