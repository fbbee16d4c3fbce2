/*
 * orgname.c - organisation names and codes as readers tell them apart;
 * see orgname.h.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "domain/orgname.h"

enum script { S_NONE, S_LATIN, S_GREEK, S_CYRILLIC };

static enum script script_of(utf8proc_int32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 &&
								  c != 0xF7))
		return S_LATIN;
	if (c >= 0x370 && c <= 0x3FF)
		return S_GREEK;
	if (c >= 0x400 && c <= 0x52F)
		return S_CYRILLIC;
	return S_NONE;
}

const char *orgname_problem(const char *name)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)name;
	utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(name), at = 0;
	enum script word = S_NONE;
	size_t chars = 0;

	if (!n)
		return "name: 1 to 200 characters";
	while (at < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t len = utf8proc_iterate(s + at, n - at, &c);
		const utf8proc_property_t *p;
		enum script sc;
		if (len <= 0)
			return "name: not UTF-8";
		at += len;
		if (++chars > ORGNAME_MAX_CHARS)
			return "name: 1 to 200 characters";
		p = utf8proc_get_property(c);
		switch (p->category) {
		case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CO:
		case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CN: case UTF8PROC_CATEGORY_ZL:
		case UTF8PROC_CATEGORY_ZP:
			return "name: no control, format or invisible characters";
		default:
			break;
		}
		if (p->ignorable || c == 0x2800 /* braille blank */ || c == 0x3164 ||
		    c == 0xFFA0 /* hangul fillers */)
			return "name: no control, format or invisible characters";
		if (p->category == UTF8PROC_CATEGORY_MN || p->category == UTF8PROC_CATEGORY_MC ||
		    p->category == UTF8PROC_CATEGORY_ME)
			continue; /* a mark belongs to its letter's word */
		sc = script_of(c);
		if (sc == S_NONE) {
			if (p->category < UTF8PROC_CATEGORY_LU || p->category > UTF8PROC_CATEGORY_LO)
				word = S_NONE; /* not a letter: the word ends */
			continue;
		}
		if (word != S_NONE && sc != word)
			return "name: a word mixes Latin, Cyrillic and Greek letters";
		word = sc;
	}
	return NULL;
}

char *orgname_fold(const char *name)
{
	utf8proc_uint8_t *f = NULL;
	char *in, *out;

	if (utf8proc_map((const utf8proc_uint8_t *)name, 0, &f,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
				 UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE |
				 UTF8PROC_LUMP) < 0)
		return NULL;
	/* LUMP made every space character ' ' */
	for (in = out = (char *)f; *in; in++) {
		int space = *in == ' ' || *in == '\t' || *in == '\n' || *in == '\r' || *in == '\v' ||
			    *in == '\f';
		if (space && (out == (char *)f || out[-1] == ' '))
			continue;
		*out++ = space ? ' ' : *in;
	}
	if (out > (char *)f && out[-1] == ' ')
		out--;
	*out = '\0';
	return (char *)f;
}

void orgcode_fold(const char *code, char out[65])
{
	size_t i, k = 0;

	for (i = 0; code[i] && k < 64; i++) {
		char c = code[i];
		if (c == '.' || c == '_' || c == '-' || c == '@')
			continue;
		out[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[k] = '\0';
}
