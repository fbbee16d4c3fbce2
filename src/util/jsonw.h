/*
 * jsonw.h - a small streaming JSON writer (after git's json-writer).
 *
 * All JSON output leaves through here: strings are escaped (control
 * characters, quotes, and <, >, & as \u escapes so that JSON can never
 * close an HTML context), and a stack of open containers makes unbalanced
 * output impossible: jw_end() closes whatever is open, jw_finish() closes
 * everything.  Invalid UTF-8 in a string is replaced with U+FFFD.
 */
#ifndef HIMOYA_JSONW_H
#define HIMOYA_JSONW_H

#include <stdint.h>
#include <stddef.h>

#include "util/buf.h"

#define JW_MAX_DEPTH 32

typedef struct jsonw {
	buf *out;
	unsigned depth;
	unsigned char is_obj[JW_MAX_DEPTH];
	unsigned char has_items[JW_MAX_DEPTH];
	int want_value; /* a key was written, a value must follow */
} jsonw;

void jw_init(jsonw *w, buf *out);
void jw_object(jsonw *w);
void jw_array(jsonw *w);
void jw_end(jsonw *w);
void jw_finish(jsonw *w);
void jw_key(jsonw *w, const char *key);
void jw_str(jsonw *w, const char *s);          /* NULL writes null */
void jw_strn(jsonw *w, const char *s, size_t n);
void jw_int(jsonw *w, int64_t v);
void jw_bool(jsonw *w, int v);
void jw_null(jsonw *w);
/* Append pre-serialised JSON (trusted, from this writer or jansson). */
void jw_raw(jsonw *w, const char *json, size_t n);
/* JSON text this program wrote (a coded column, an opened record),
 * spliced as a value with <, > and & escaped as the strings jw writes
 * (outside strings they cannot occur). */
void jw_raw_json(jsonw *w, const char *json, size_t n);

/* key + value in one call */
void jw_kstr(jsonw *w, const char *key, const char *s);
void jw_kint(jsonw *w, const char *key, int64_t v);
void jw_kbool(jsonw *w, const char *key, int v);

/* Escape s as a JSON string (with quotes) onto b. */
void json_escape(buf *b, const char *s, size_t n);

#endif
