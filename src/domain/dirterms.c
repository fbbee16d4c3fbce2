/*
 * dirterms.c - the table of generic words for the kinds of assistance
 * (dirterms.h): the name keys of the kinds' labels and synonyms, built
 * once from schema/labels.json (via the code list) and the compiled-in
 * schema/directory-terms.json.
 */
#include <pthread.h>
#include <string.h>

#include <jansson.h>

#include "codelists.h"
#include "domain/dirterms.h"
#include "domain/namekey.h"

#define TERMS_MAX 1024

extern const char dir_terms_json[];
extern const unsigned long dir_terms_json_len;

struct term {
	char key[NAMEKEY_MAX];
	const char *type; /* a code of cl_assistance_service_types */
};

static struct term terms[TERMS_MAX];
static size_t nterms;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Is key one of the words to ignore? */
static int ignored(json_t *ignore, const char *key)
{
	size_t i;
	json_t *v;

	json_array_foreach(ignore, i, v) {
		char k[NAMEKEY_MAX];
		const char *s = json_string_value(v);
		if (s && namekey_word(s, strlen(s), k) && strcmp(k, key) == 0)
			return 1;
	}
	return 0;
}

/* Add the words of text as words of the kind `type` (each pair once). */
static void add_words(json_t *ignore, const char *text, const char *type)
{
	char w[NAMEKEY_WORDS][NAMEKEY_MAX];
	size_t nw = namekey_words(text, w, NAMEKEY_WORDS), i, j;

	for (i = 0; i < nw && nterms < TERMS_MAX; i++) {
		if (ignored(ignore, w[i]))
			continue;
		for (j = 0; j < nterms; j++)
			if (terms[j].type == type && strcmp(terms[j].key, w[i]) == 0)
				break;
		if (j < nterms)
			continue;
		memcpy(terms[nterms].key, w[i], sizeof terms[nterms].key);
		terms[nterms].type = type;
		nterms++;
	}
}

static void build_once(void)
{
	const struct codelist *cl = &cl_assistance_service_types;
	json_t *doc = json_loadb(dir_terms_json, dir_terms_json_len, JSON_REJECT_DUPLICATES, NULL);
	json_t *ignore = json_object_get(doc, "_ignore");
	size_t i, j;

	for (i = 0; i < cl->n; i++) {
		const struct code_label *l = &cl->labels[i];
		json_t *syn = json_object_get(doc, cl->codes[i]), *v;
		add_words(ignore, l->tg, cl->codes[i]);
		add_words(ignore, l->ru, cl->codes[i]);
		add_words(ignore, l->en, cl->codes[i]);
		json_array_foreach(syn, j, v)
			add_words(ignore, json_string_value(v), cl->codes[i]);
	}
	json_decref(doc);
}

static int names(const char *term, const char *key)
{
	size_t lt = strlen(term), lk = strlen(key), shorter = lt < lk ? lt : lk;

	if (lt == lk)
		return strcmp(term, key) == 0;
	return shorter >= DIRTERMS_STEM_MIN && strncmp(term, key, shorter) == 0;
}

size_t dirterms_types(const char *key, const char **types, size_t max)
{
	size_t i, j, n = 0;

	pthread_once(&once, build_once);
	if (!key || !*key)
		return 0;
	for (i = 0; i < nterms && n < max; i++) {
		if (!names(terms[i].key, key))
			continue;
		for (j = 0; j < n && types[j] != terms[i].type; j++)
			;
		if (j == n)
			types[n++] = terms[i].type;
	}
	return n;
}

size_t dirterms_count(void)
{
	pthread_once(&once, build_once);
	return nterms;
}
