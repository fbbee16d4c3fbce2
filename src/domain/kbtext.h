/*
 * kbtext.h - the small markup of knowledge-base articles (pure C).
 *
 * An article's body is plain text: paragraphs are separated by a blank
 * line, a line starting "- " is an item of a list.  Two markers may stand
 * anywhere in it:
 *
 *     [[source:N]]                  the fact before it comes from source N
 *                                   (1-based, in the article's sources)
 *     [[to-be-confirmed: WHAT]]     a fact (phone, address, fee, deadline)
 *                                   that no citable source confirms: shown
 *                                   as "to be confirmed by the programme"
 *                                   and listed among the gaps
 *
 * Any other "[[" is an error, so that a mistyped marker never shows up as
 * text that looks like a fact.
 */
#ifndef HIMOYA_KBTEXT_H
#define HIMOYA_KBTEXT_H

#include <stddef.h>

enum kbtext_kind { KBT_TEXT, KBT_SOURCE, KBT_TBC, KBT_BAD };

struct kbtext_seg {
	enum kbtext_kind kind;
	const char *s;   /* KBT_TEXT: the text; KBT_TBC: what is missing (trimmed) */
	size_t n;
	int source;      /* KBT_SOURCE: N */
};

/* The next segment of the text at *pos (moved past it); 0 at the end.
 * A text segment ends before the next "[[" (or the end). */
int kbtext_next(const char **pos, struct kbtext_seg *seg);

/* 0 when every marker of text is well formed, cites a source from 1 to
 * nsources, and says what is to be confirmed; else -1 with a sentence in
 * why (NUL-terminated). */
int kbtext_check(const char *text, size_t nsources, char *why, size_t whylen);

/* How many to-be-confirmed markers text holds. */
size_t kbtext_gaps(const char *text);

#endif
