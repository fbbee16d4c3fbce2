/*
 * library.c - what files the knowledge library takes and the names they
 * keep; see library.h.  The type comes from the bytes alone: a name or a
 * declared Content-Type is the uploader's word, and a browser that trusts
 * it may run a script disguised as a guide.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain/library.h"
#include "util/utf8.h"

static const struct library_type types[] = {
	{"application/pdf", "pdf"},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
	{"application/vnd.oasis.opendocument.text", "odt"},
	{"image/png", "png"},
	{"image/jpeg", "jpg"},
};

static int has(const unsigned char *data, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	return n >= k && memmem(data, n, needle, k) != NULL;
}

const struct library_type *library_sniff(const unsigned char *data, size_t n)
{
	static const char odt[] = "mimetypeapplication/vnd.oasis.opendocument.text";

	if (!data || !n)
		return NULL;
	if (n >= 5 && !memcmp(data, "%PDF-", 5))
		return &types[0];
	if (n >= 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8))
		return &types[4];
	if (n >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
		return &types[5];
	if (n < 30 || memcmp(data, "PK\x03\x04", 4))
		return NULL;
	/* ODF puts its mimetype first, stored, right after the local header. */
	if (n >= 30 + sizeof odt - 1 && !memcmp(data + 30, odt, sizeof odt - 1))
		return &types[3];
	if (has(data, n, "word/document.xml"))
		return &types[1];
	if (has(data, n, "xl/workbook.xml"))
		return &types[2];
	return NULL;
}

static int kept(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == ' ' || c == '.' || c == '_' || c == '-' || c == '(' || c == ')';
}

void library_name_clean(const char *name, const struct library_type *t, char *out,
			size_t outlen)
{
	const char *base = name ? name : "", *p, *dot;
	size_t o = 0, room, extlen = strlen(t->ext) + 1;

	for (p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	room = (outlen - 1 < LIBRARY_NAME_MAX ? outlen - 1 : LIBRARY_NAME_MAX) - extlen;
	for (p = base; *p && o < room;) {
		size_t len = strlen(p);
		size_t cl = (unsigned char)*p >= 0x80 ? utf8_char_len(p, len) : 1;
		/* Two-byte characters from U+00C0 on: the letters of Cyrillic
		 * (Tajik's too) and accented Latin; nothing of the wider planes,
		 * whose direction marks can disguise a name's extension. */
		if (cl == 2 && (unsigned char)*p >= 0xc3) {
			if (o + cl > room)
				break;
			memcpy(out + o, p, cl);
			o += cl;
			p += cl;
			continue;
		}
		if (!o && (*p == '.' || *p == ' ')) {
			p++;
			continue;
		}
		out[o++] = kept((unsigned char)*p) ? *p : '_';
		p += cl ? cl : 1;
	}
	while (o && (out[o - 1] == ' ' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
	if (!o)
		snprintf(out, outlen, "document");
	dot = strrchr(out, '.');
	if (!dot || strcasecmp(dot + 1, t->ext))
		snprintf(out + strlen(out), outlen - strlen(out), ".%s", t->ext);
}
