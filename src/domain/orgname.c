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

/* The Latin letter a reader takes c for (c case folded), or c.  A
 * skeleton in the manner of Unicode's confusables (UTS #39), for the
 * letters of the scripts near this programme: Cyrillic, Greek and
 * Armenian letters drawn like Latin ones, Latin letters drawn like
 * others, and the digits 0 and 1 (an outside review named organisations
 * IOM in Cyrillic and in Greek letters, i0m and lom). */
static utf8proc_int32_t skeleton(utf8proc_int32_t c)
{
	static const struct {
		utf8proc_int32_t from;
		char to;
	} map[] = {
		/* Cyrillic */
		{0x430, 'a'}, {0x432, 'b'}, {0x435, 'e'}, {0x43A, 'k'}, {0x43C, 'm'}, {0x43D, 'h'},
		{0x43E, 'o'}, {0x440, 'p'}, {0x441, 'c'}, {0x442, 't'}, {0x443, 'y'}, {0x445, 'x'},
		{0x456, 'l'}, {0x458, 'j'}, {0x455, 's'}, {0x4BB, 'h'}, {0x501, 'd'}, {0x4CF, 'l'},
		{0x51B, 'q'}, {0x51D, 'w'}, {0x44C, 'b'},
		/* Greek */
		{0x3B1, 'a'}, {0x3B2, 'b'}, {0x3B5, 'e'}, {0x3B6, 'z'}, {0x3B7, 'n'}, {0x3B9, 'l'},
		{0x3BA, 'k'}, {0x3BC, 'm'}, {0x3BD, 'v'}, {0x3BF, 'o'}, {0x3C1, 'p'}, {0x3C4, 't'},
		{0x3C5, 'u'}, {0x3C7, 'x'}, {0x3B3, 'y'}, {0x3C9, 'w'},
		/* Armenian */
		{0x585, 'o'}, {0x57D, 'u'}, {0x578, 'n'}, {0x570, 'h'}, {0x581, 'g'}, {0x566, 'q'},
		/* Latin drawn like another Latin letter, and digits */
		{0x131, 'l'}, {0x1D22, 'z'}, {0x251, 'a'}, {0x261, 'g'}, {0x269, 'l'}, {0x29F, 'l'},
		{'i', 'l'}, {'1', 'l'}, {'|', 'l'}, {'0', 'o'},
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].from == c)
			return (unsigned char)map[i].to;
	return c;
}

char *orgname_fold(const char *name)
{
	utf8proc_uint8_t *f = NULL;
	utf8proc_ssize_t n, at = 0;
	char *out;
	size_t k = 0;

	n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &f,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
				 UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
	if (n < 0)
		return NULL;
	/* letters and digits only (spaces and punctuation do not tell two
	 * names apart to a reader), each as its skeleton */
	out = malloc((size_t)n * 4 + 1);
	while (out && at < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t len = utf8proc_iterate(f + at, n - at, &c);
		utf8proc_category_t cat;
		if (len <= 0)
			break;
		at += len;
		cat = utf8proc_category(c);
		if (c != '|' && (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO) &&
		    (cat < UTF8PROC_CATEGORY_ND || cat > UTF8PROC_CATEGORY_NO))
			continue;
		k += (size_t)utf8proc_encode_char(skeleton(c), (utf8proc_uint8_t *)out + k);
	}
	free(f);
	if (out)
		out[k] = '\0';
	return out;
}

void orgcode_fold(const char *code, char out[65])
{
	size_t i, k = 0;

	for (i = 0; code[i] && k < 64; i++) {
		char c = code[i];
		if (c == '.' || c == '_' || c == '-' || c == '@')
			continue;
		c = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		out[k++] = (char)skeleton((unsigned char)c);
	}
	out[k] = '\0';
}
