/*
 * jsonw.c - the escaping JSON writer of jsonw.h.
 */
#include <inttypes.h>
#include <string.h>

#include "util/jsonw.h"
#include "util/utf8.h"

void jw_init(jsonw *w, buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
}

/* Write the separator that must precede a value or a key. */
static void jw_sep(jsonw *w)
{
	if (w->want_value) {
		w->want_value = 0;
		return;
	}
	if (w->depth && w->has_items[w->depth - 1])
		buf_putc(w->out, ',');
	if (w->depth)
		w->has_items[w->depth - 1] = 1;
}

static void jw_open(jsonw *w, int obj)
{
	jw_sep(w);
	if (w->depth == JW_MAX_DEPTH) {
		w->out->overflow = 1; /* refuse deeper output rather than corrupt it */
		return;
	}
	buf_putc(w->out, obj ? '{' : '[');
	w->is_obj[w->depth] = (unsigned char)obj;
	w->has_items[w->depth] = 0;
	w->depth++;
}

void jw_object(jsonw *w) { jw_open(w, 1); }
void jw_array(jsonw *w) { jw_open(w, 0); }

void jw_end(jsonw *w)
{
	if (!w->depth)
		return;
	if (w->want_value) { /* a dangling key: give it a value */
		buf_puts(w->out, "null");
		w->want_value = 0;
	}
	w->depth--;
	buf_putc(w->out, w->is_obj[w->depth] ? '}' : ']');
}

void jw_finish(jsonw *w)
{
	while (w->depth)
		jw_end(w);
}

void json_escape(buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run = 0;

	buf_putc(b, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			size_t k = utf8_char_len(s + i, n - i);
			if (!k) {
				buf_add(b, s + run, i - run);
				buf_puts(b, "\xef\xbf\xbd");
				i++;
				run = i;
				continue;
			}
			i += k;
			continue;
		}
		if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
			char e[7];
			buf_add(b, s + run, i - run);
			switch (c) {
			case '"': buf_puts(b, "\\\""); break;
			case '\\': buf_puts(b, "\\\\"); break;
			case '\n': buf_puts(b, "\\n"); break;
			case '\r': buf_puts(b, "\\r"); break;
			case '\t': buf_puts(b, "\\t"); break;
			default:
				e[0] = '\\'; e[1] = 'u'; e[2] = '0'; e[3] = '0';
				e[4] = hex[c >> 4]; e[5] = hex[c & 15]; e[6] = 0;
				buf_add(b, e, 6);
			}
			i++;
			run = i;
			continue;
		}
		i++;
	}
	buf_add(b, s + run, i - run);
	buf_putc(b, '"');
}

void jw_key(jsonw *w, const char *key)
{
	jw_sep(w);
	json_escape(w->out, key, strlen(key));
	buf_putc(w->out, ':');
	w->want_value = 1;
}

void jw_strn(jsonw *w, const char *s, size_t n)
{
	jw_sep(w);
	json_escape(w->out, s, n);
}

void jw_str(jsonw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_int(jsonw *w, int64_t v)
{
	jw_sep(w);
	buf_printf(w->out, "%" PRId64, v);
}

void jw_bool(jsonw *w, int v)
{
	jw_sep(w);
	buf_puts(w->out, v ? "true" : "false");
}

void jw_null(jsonw *w)
{
	jw_sep(w);
	buf_puts(w->out, "null");
}

void jw_raw(jsonw *w, const char *json, size_t n)
{
	jw_sep(w);
	buf_add(w->out, json, n);
}

void jw_raw_json(jsonw *w, const char *json, size_t n)
{
	size_t i, run = 0;

	jw_sep(w);
	for (i = 0; i < n; i++) {
		const char *e = json[i] == '<' ? "\\u003c" : json[i] == '>' ? "\\u003e"
			      : json[i] == '&' ? "\\u0026" : NULL;
		if (!e)
			continue;
		buf_add(w->out, json + run, i - run);
		buf_puts(w->out, e);
		run = i + 1;
	}
	buf_add(w->out, json + run, n - run);
}

void jw_kstr(jsonw *w, const char *key, const char *s) { jw_key(w, key); jw_str(w, s); }
void jw_kint(jsonw *w, const char *key, int64_t v) { jw_key(w, key); jw_int(w, v); }
void jw_kbool(jsonw *w, const char *key, int v) { jw_key(w, key); jw_bool(w, v); }
