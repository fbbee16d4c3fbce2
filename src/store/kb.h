/*
 * kb.h - the store of the safe-migration knowledge base (store/kb.c):
 * articles, every saved version of them, and their search keys.
 *
 * Articles are public text, so they are stored in clear.  Languages are
 * numbered KB_TG, KB_RU, KB_EN in every array below.  Strings of rows
 * read from the store point into the caller's arena.
 */
#ifndef HIMOYA_STORE_KB_H
#define HIMOYA_STORE_KB_H

#include "store/store.h"

enum { KB_TG, KB_RU, KB_EN, KB_LANGS };

#define KB_QUERY_KEYS 8    /* most search keys of one query */

struct kb_row {
	char id[ID_LEN];
	int64_t version;
	char country[3];            /* ISO 3166 alpha-2, or "" for general */
	char topic[32];             /* kb_topic code */
	char status[16];            /* draft, published, archived */
	char reviewed_on[11];       /* YYYY-MM-DD or "" */
	const char *title[KB_LANGS];
	const char *body[KB_LANGS];
	const char *sources;        /* JSON list of {title, url|publisher, date} */
	char updated_by[ID_LEN];    /* "" for the system (the seed) */
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
	int64_t score;              /* search rank, filled by a search */
};

/* One search key of an article; a larger weight ranks higher (a title
 * word or a country name over a word of the body). */
struct kb_key {
	const char *key;
	int weight;
};

/* Filters of a list; NULL or "" means any, except that country "" asks
 * for the general articles (NULL: any country).  With nkeys > 0 only articles
 * matching at least one key come, most keys matched first. */
struct kb_filter {
	const char *country, *topic, *status;
	const char *keys[KB_QUERY_KEYS];
	size_t nkeys;
	size_t limit, offset;
};

/* One saved version: who, when, what changed, and the article whole. */
struct kb_history_row {
	int64_t version;
	char at[TS_LEN];
	char user_id[ID_LEN];       /* "" for the system */
	char user_login[128];       /* "" for the system */
	char action[16];            /* "create" or "update" */
	const char *fields;         /* comma-separated names changed */
	const char *snapshot;       /* the article as JSON */
};

int store_kb_insert(store_tx *tx, const struct kb_row *k);
/* Update when the stored version equals k->version - 1 (STORE_STALE
 * otherwise, STORE_NOT_FOUND when absent). */
int store_kb_update(store_tx *tx, const struct kb_row *k);
/* STORE_OK when an article of this id exists (any status), else STORE_NOT_FOUND. */
int store_kb_exists(store *st, const char *id);
int store_kb_get(store *st, const char *id, struct kb_row *k, arena *a);
/* Replace the search keys of an article. */
int store_kb_keys_set(store_tx *tx, const char *article_id, const struct kb_key *keys, size_t n);
int store_kb_history_add(store_tx *tx, const char *article_id, const struct kb_history_row *h);
/* Every saved version of an article, newest first (at most 500). */
int store_kb_history(store *st, const char *article_id, struct kb_history_row **rows, size_t *n,
		     arena *a);
/* One page of articles (by country, topic, id; or by rank for a search). */
int store_kb_list(store *st, const struct kb_filter *f, struct kb_row **rows, size_t *n,
		  arena *a);
/* How many articles there are. */
int store_kb_count(store *st, int64_t *n);

#endif
