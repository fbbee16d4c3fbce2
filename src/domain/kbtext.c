/*
 * kbtext.c - reading the markers of knowledge-base articles (kbtext.h).
 */
#include <stdio.h>
#include <string.h>

#include "domain/kbtext.h"

#define TBC "to-be-confirmed:"
#define SRC "source:"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The marker starting at p ("[[...]]"): its kind and inner text. */
static void read_marker(const char *p, const char *close, struct kbtext_seg *seg)
{
	const char *in = p + 2, *end = close;

	seg->kind = KBT_BAD;
	seg->s = p;
	seg->n = (size_t)(close + 2 - p);
	if (!strncmp(in, TBC, strlen(TBC)) && in + strlen(TBC) <= end) {
		in += strlen(TBC);
		while (in < end && is_space(*in))
			in++;
		while (end > in && is_space(end[-1]))
			end--;
		if (end > in && !memchr(in, '[', (size_t)(end - in))) {
			seg->kind = KBT_TBC;
			seg->s = in;
			seg->n = (size_t)(end - in);
		}
		return;
	}
	if (!strncmp(in, SRC, strlen(SRC)) && in + strlen(SRC) <= end) {
		int v = 0, digits = 0;
		in += strlen(SRC);
		while (in < end && *in == ' ')
			in++;
		while (in < end && *in >= '0' && *in <= '9' && digits < 4) {
			v = v * 10 + (*in - '0');
			in++;
			digits++;
		}
		if (digits && in == end && v > 0) {
			seg->kind = KBT_SOURCE;
			seg->source = v;
		}
	}
}

int kbtext_next(const char **pos, struct kbtext_seg *seg)
{
	const char *p = *pos, *open, *close;

	if (!p || !*p)
		return 0;
	memset(seg, 0, sizeof *seg);
	if (p[0] == '[' && p[1] == '[') {
		close = strstr(p + 2, "]]");
		open = strstr(p + 2, "[[");
		if (!close || (open && open < close)) {
			/* Unclosed: the rest up to the next marker is bad. */
			seg->kind = KBT_BAD;
			seg->s = p;
			seg->n = open ? (size_t)(open - p) : strlen(p);
			*pos = p + seg->n;
			return 1;
		}
		read_marker(p, close, seg);
		*pos = close + 2;
		return 1;
	}
	open = strstr(p, "[[");
	seg->kind = KBT_TEXT;
	seg->s = p;
	seg->n = open ? (size_t)(open - p) : strlen(p);
	*pos = p + seg->n;
	return 1;
}

int kbtext_check(const char *text, size_t nsources, char *why, size_t whylen)
{
	const char *p = text;
	struct kbtext_seg seg;

	while (kbtext_next(&p, &seg)) {
		if (seg.kind == KBT_BAD) {
			snprintf(why, whylen, "a marker is not [[source:N]] or [[to-be-confirmed: WHAT]]: %.40s",
				 seg.s);
			return -1;
		}
		if (seg.kind == KBT_SOURCE && (size_t)seg.source > nsources) {
			snprintf(why, whylen, "[[source:%d]] cites a source the article does not list",
				 seg.source);
			return -1;
		}
	}
	if (whylen)
		why[0] = '\0';
	return 0;
}

size_t kbtext_gaps(const char *text)
{
	const char *p = text;
	struct kbtext_seg seg;
	size_t n = 0;

	while (kbtext_next(&p, &seg))
		if (seg.kind == KBT_TBC)
			n++;
	return n;
}
