/*
 * namekey.c - search keys for personal names and phone numbers.  A name is
 * normalised with utf8proc (NFKC, case folding, default ignorables
 * removed), cut into words, and each word goes through three stages: every
 * letter is spelt in plain Latin (Tajik, Russian and legacy-font Cyrillic
 * through one table, accented Latin through another), the Latin spelling
 * is read back into a small phonetic alphabet in which the usual
 * transliterations of one sound meet (dzh/dj/j/zh/ch, kh/h/x, q/k, gh/g,
 * o/a, e/i/y), and finally surname and patronymic endings are cut off and
 * doubled letters and vowel runs collapsed.  The folding rules and the
 * false merges they accept are listed in namekey.h.
 */
#include "domain/namekey.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define NAMEKEY_INPUT_MAX 4096 /* bytes of a name read at most */
#define LATIN_MAX 256          /* Latin bytes kept from one word */
#define STEM_MIN 3             /* an ending is cut only if this much stays */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- stage 1: letters to plain Latin ---------------------------------- */

/* Cyrillic U+0400..U+04FF after case folding (so lower case only).  An
 * empty string drops the letter (hard and soft signs); NULL means "not a
 * letter we know", which drops it too.  A Tajik letter and its Russian
 * stand-in are spelt alike (х and ҳ both "h", ч and ҷ both "j", г and ғ
 * both "g") so that the Latin reading in stage 2 cannot tell them apart
 * even next to another letter (сх/сҳ, дж/дҷ). */
static const char *const cyrillic_latin[0x100] = {
	[0x430 - 0x400] = "a",    [0x431 - 0x400] = "b",
	[0x432 - 0x400] = "v",    [0x433 - 0x400] = "g",
	[0x434 - 0x400] = "d",    [0x435 - 0x400] = "e",
	[0x436 - 0x400] = "j",    [0x437 - 0x400] = "z",
	[0x438 - 0x400] = "i",    [0x439 - 0x400] = "y",
	[0x43a - 0x400] = "k",    [0x43b - 0x400] = "l",
	[0x43c - 0x400] = "m",    [0x43d - 0x400] = "n",
	[0x43e - 0x400] = "o",    [0x43f - 0x400] = "p",
	[0x440 - 0x400] = "r",    [0x441 - 0x400] = "s",
	[0x442 - 0x400] = "t",    [0x443 - 0x400] = "u",
	[0x444 - 0x400] = "f",    [0x445 - 0x400] = "h",
	[0x446 - 0x400] = "ts",   [0x447 - 0x400] = "j",
	[0x448 - 0x400] = "sh",   [0x449 - 0x400] = "sh",
	[0x44a - 0x400] = "",     [0x44b - 0x400] = "i",
	[0x44c - 0x400] = "",     [0x44d - 0x400] = "e",
	[0x44e - 0x400] = "yu",   [0x44f - 0x400] = "ya",
	[0x450 - 0x400] = "e",    /* ѐ */
	[0x451 - 0x400] = "yo",   /* ё: kept apart from е, see namekey.h */
	[0x452 - 0x400] = "dj",   /* ђ */
	[0x453 - 0x400] = "g",    /* ѓ legacy font for ғ */
	[0x454 - 0x400] = "ye",   /* є */
	[0x455 - 0x400] = "dz",   /* ѕ */
	[0x456 - 0x400] = "i",    /* і */
	[0x457 - 0x400] = "i",    /* ї legacy font for ӣ */
	[0x458 - 0x400] = "y",    /* ј */
	[0x459 - 0x400] = "j",    /* љ legacy font for ҷ */
	[0x45a - 0x400] = "h",    /* њ legacy font for ҳ */
	[0x45b - 0x400] = "j",    /* ћ */
	[0x45c - 0x400] = "q",    /* ќ legacy font for қ */
	[0x45d - 0x400] = "i",    /* ѝ */
	[0x45e - 0x400] = "u",    /* ў legacy font for ӯ */
	[0x45f - 0x400] = "j",    /* џ */
	[0x491 - 0x400] = "g",    /* ґ */
	[0x493 - 0x400] = "g",    /* ғ */
	[0x497 - 0x400] = "j",    /* җ */
	[0x499 - 0x400] = "z",    /* ҙ */
	[0x49b - 0x400] = "q",    /* қ */
	[0x4a3 - 0x400] = "ng",   /* ң */
	[0x4af - 0x400] = "u",    /* ү */
	[0x4b1 - 0x400] = "u",    /* ұ */
	[0x4b3 - 0x400] = "h",    /* ҳ */
	[0x4b7 - 0x400] = "j",    /* ҷ */
	[0x4b9 - 0x400] = "j",    /* ҹ */
	[0x4bb - 0x400] = "h",    /* һ */
	[0x4cf - 0x400] = "",     /* ӏ palochka */
	[0x4d1 - 0x400] = "a",    /* ӑ */
	[0x4d3 - 0x400] = "a",    /* ӓ */
	[0x4d9 - 0x400] = "a",    /* ә */
	[0x4e3 - 0x400] = "i",    /* ӣ */
	[0x4e5 - 0x400] = "i",    /* ӥ */
	[0x4e7 - 0x400] = "o",    /* ӧ */
	[0x4e9 - 0x400] = "o",    /* ө */
	[0x4ed - 0x400] = "e",    /* ӭ */
	[0x4ef - 0x400] = "u",    /* ӯ */
	[0x4f1 - 0x400] = "u",    /* ӱ */
};

/* Latin letters whose diacritic changes the sound (so stripping the mark
 * would give the wrong letter): Turkish, Tajik 1928-40 Latin, ISO 9. */
static const struct {
	int32_t cp;
	const char *latin;
} latin_special[] = {
	{ 0x00e6, "ae" }, /* æ */
	{ 0x00e7, "ch" }, /* ç */
	{ 0x00f8, "o" },  /* ø */
	{ 0x0109, "ch" }, /* ĉ */
	{ 0x010d, "ch" }, /* č */
	{ 0x0111, "d" },  /* đ */
	{ 0x011f, "gh" }, /* ğ */
	{ 0x0127, "h" },  /* ħ */
	{ 0x0131, "i" },  /* ı */
	{ 0x0142, "l" },  /* ł */
	{ 0x015d, "sh" }, /* ŝ (ISO 9 щ) */
	{ 0x015f, "sh" }, /* ş */
	{ 0x0161, "sh" }, /* š */
	{ 0x017e, "zh" }, /* ž */
	{ 0x01a3, "gh" }, /* ƣ */
	{ 0x01b6, "zh" }, /* ƶ */
	{ 0x01e7, "gh" }, /* ǧ */
	{ 0x0259, "a" },  /* ə */
	{ 0x0263, "gh" }, /* ɣ */
	{ 0x0283, "sh" }, /* ʃ */
	{ 0x0292, "zh" }, /* ʒ */
};

/* Apostrophes and their look-alikes: dropped inside a word (Jum'aev), but
 * an apostrophe after o reads as Uzbek o' (= ӯ, O'lmasov). */
static const int32_t apostrophes[] = {
	0x0027, 0x0060, 0x00b4, 0x02b9, 0x02bb, 0x02bc, 0x02bd,
	0x02be, 0x02bf, 0x2018, 0x2019, 0x201b, 0x2032,
};

static bool is_apostrophe(int32_t cp)
{
	for (size_t i = 0; i < COUNT(apostrophes); i++)
		if (apostrophes[i] == cp)
			return true;
	return false;
}

/* The Latin spelling of one letter, or NULL (the letter is dropped).  A
 * letter without a table entry is stripped of its marks and kept if that
 * leaves one ASCII letter (ü, ā, ḩ, ķ, é). */
static const char *letter_latin(int32_t cp, char tmp[2])
{
	if (cp >= 'a' && cp <= 'z') {
		tmp[0] = (char)cp;
		tmp[1] = '\0';
		return tmp;
	}
	if (cp >= 0x400 && cp <= 0x4ff)
		return cyrillic_latin[cp - 0x400];
	for (size_t i = 0; i < COUNT(latin_special); i++)
		if (latin_special[i].cp == cp)
			return latin_special[i].latin;

	utf8proc_int32_t base[4];
	int last_boundclass = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, base, 4,
	    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	    UTF8PROC_STRIPMARK, &last_boundclass);
	if (n == 1 && base[0] >= 'a' && base[0] <= 'z') {
		tmp[0] = (char)base[0];
		tmp[1] = '\0';
		return tmp;
	}
	return NULL;
}

/* One word's Latin spelling, built letter by letter. */
struct latin_word {
	char s[LATIN_MAX];
	size_t n;
	bool apostrophe; /* an apostrophe came since the last letter */
};

static void latin_append(struct latin_word *w, const char *latin)
{
	size_t len = strlen(latin);

	if (len == 0)
		return;
	if (w->apostrophe && w->n > 0 && w->s[w->n - 1] == 'o')
		w->s[w->n - 1] = 'u';
	w->apostrophe = false;
	if (len > sizeof w->s - 1 - w->n)
		return; /* overlong word: the rest is not read */
	memcpy(w->s + w->n, latin, len);
	w->n += len;
	w->s[w->n] = '\0';
}

/* ---- stage 2: Latin to the phonetic alphabet --------------------------- */

/*
 * The key alphabet: vowels a (a, o), i (e, i, y as a vowel), u (u, oo, ou);
 * consonants b c(ts) d f g h j k l m n p r s t v x(sh) z.  Longest spelling
 * first.  "ch" and "j" are one sound here because Tajik texts write ч for
 * ҷ; German tsch/dsch/sch are read too.
 */
static const struct {
	const char *spelling;
	char sound;
} latin_digraphs[] = {
	{ "shch", 'x' }, { "tsch", 'j' }, { "dsch", 'j' },
	{ "sch", 'x' },  { "dzh", 'j' },  { "tch", 'j' },
	{ "sh", 'x' },   { "ch", 'j' },   { "zh", 'j' },
	{ "dj", 'j' },   { "kh", 'h' },   { "gh", 'g' },
	{ "ph", 'f' },   { "ck", 'k' },   { "ts", 'c' },
	{ "oo", 'u' },   { "ou", 'u' },
};

/* a..z; y is handled apart (a glide before a vowel, else the vowel i). */
static const char latin_sound[26] = {
	'a', 'b', 'k', 'd', 'i', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
	'n', 'a', 'p', 'k', 'r', 's', 't', 'u', 'v', 'v', 'h', 'i', 'z',
};

static bool is_latin_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool is_sound_vowel(char c)
{
	return c == 'a' || c == 'i' || c == 'u';
}

/* The length of the digraph lat[0..n) starts with (its sound in *sound),
 * 0 if none. */
static size_t match_digraph(const char *lat, size_t n, char *sound)
{
	for (size_t d = 0; d < COUNT(latin_digraphs); d++) {
		const char *spelling = latin_digraphs[d].spelling;
		size_t len = strlen(spelling);
		if (len <= n && memcmp(lat, spelling, len) == 0) {
			*sound = latin_digraphs[d].sound;
			return len;
		}
	}
	return 0;
}

/* Read the Latin spelling into sounds; returns how many were written
 * (never more than n). */
static size_t latin_to_sounds(const char *lat, size_t n, char *out)
{
	size_t o = 0;
	size_t i = 0;

	while (i < n) {
		char sound;
		size_t len = match_digraph(lat + i, n - i, &sound);

		if (len > 0) {
			out[o++] = sound;
			i += len;
			continue;
		}
		assert(lat[i] >= 'a' && lat[i] <= 'z');
		if (lat[i] == 'y') {
			if (!(i + 1 < n && is_latin_vowel(lat[i + 1])))
				out[o++] = 'i';
		} else {
			out[o++] = latin_sound[lat[i] - 'a'];
		}
		i++;
	}
	return o;
}

/* ---- stage 3: endings, doubled letters, vowel runs -------------------- */

/* Surname and patronymic endings in the sound alphabet, longest first:
 * -ovich -evich -ovna -evna -ichna -zoda -zade -ova -eva -zod -ov -ev
 * -ich -iy/-yi/-ий and Tajik -ӣ. */
static const struct {
	const char *suffix;
	bool then_i; /* a final i of the stem goes too */
} endings[] = {
	{ "avij", true }, { "ivij", true }, { "avna", true },
	{ "ivna", true }, { "ijna", true }, { "zada", true },
	{ "zadi", true }, { "ava", true },  { "iva", true },
	{ "zad", true },  { "av", true },   { "iv", true },
	{ "ij", true },   { "ii", false },  { "i", false },
};

static bool ends_with(const char *s, size_t n, const char *suffix, size_t len)
{
	return n >= len && memcmp(s + n - len, suffix, len) == 0;
}

/* Cut one ending and, after a surname ending, a stem's own final i
 * (Nabiev, Nabizoda -> nab, as Nabi); returns the new length. */
static size_t strip_endings(const char *s, size_t n)
{
	for (size_t e = 0; e < COUNT(endings); e++) {
		size_t len = strlen(endings[e].suffix);
		if (!ends_with(s, n, endings[e].suffix, len) ||
		    n - len < STEM_MIN)
			continue;
		n -= len;
		if (endings[e].then_i && s[n - 1] == 'i' && n - 1 >= STEM_MIN)
			n--;
		return n;
	}
	return n;
}

/* Collapse doubled consonants and keep only the last vowel of a run
 * (Husain/Husein -> husin, Mariam/Maryam -> maram); returns the length. */
static size_t collapse(char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (o > 0 && is_sound_vowel(s[i]) && is_sound_vowel(s[o - 1]))
			s[o - 1] = s[i];
		else if (o > 0 && s[o - 1] == s[i])
			continue;
		else
			s[o++] = s[i];
	}
	return o;
}

/* The key of one word's Latin spelling; returns its length (0 if shorter
 * than two letters). */
static size_t latin_key(const struct latin_word *w, char out[NAMEKEY_MAX])
{
	char sounds[LATIN_MAX];
	size_t n = latin_to_sounds(w->s, w->n, sounds);

	n = strip_endings(sounds, n);
	n = collapse(sounds, n);
	if (n < 2) {
		out[0] = '\0';
		return 0;
	}
	if (n > NAMEKEY_MAX - 1)
		n = NAMEKEY_MAX - 1;
	memcpy(out, sounds, n);
	out[n] = '\0';
	return n;
}

/* ---- words ------------------------------------------------------------ */

/* Whole text valid UTF-8: checked in full, although only a prefix is
 * read, so that a bad byte anywhere rejects the name. */
static bool valid_utf8(const char *text, size_t len)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;

	while (len > 0) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		n = utf8proc_iterate(s, (utf8proc_ssize_t)len, &cp);
		if (n <= 0)
			return false;
		s += n;
		len -= (size_t)n;
	}
	return true;
}

/* Length of the longest prefix of valid UTF-8 s, at most `cap` bytes, that
 * ends on a code point boundary. */
static size_t prefix_len(const char *s, size_t len, size_t cap)
{
	if (len <= cap)
		return len;
	while (cap > 0 && ((unsigned char)s[cap] & 0xc0) == 0x80)
		cap--;
	return cap;
}

/* The first NAMEKEY_INPUT_MAX bytes of text in NFKC, case folded, default
 * ignorables dropped; NULL for invalid UTF-8.  The caller frees it. */
static utf8proc_uint8_t *normalise(const char *text, size_t len)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;

	if (!valid_utf8(text, len))
		return NULL;
	len = prefix_len(text, len, NAMEKEY_INPUT_MAX);
	n = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len,
	    &dst, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
	    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
	if (n < 0) {
		free(dst);
		return NULL;
	}
	return dst;
}

/* What a code point does to the word being read. */
enum cp_role { CP_LETTER, CP_SKIP, CP_APOSTROPHE, CP_SEPARATOR };

static enum cp_role cp_role(int32_t cp)
{
	if (is_apostrophe(cp))
		return CP_APOSTROPHE;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return CP_LETTER;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return CP_SKIP;
	default:
		return CP_SEPARATOR;
	}
}

/* Where the keys of one name go. */
struct key_list {
	char (*keys)[NAMEKEY_MAX];
	size_t n;
	size_t max;
};

static void key_list_add(struct key_list *list, const struct latin_word *w)
{
	char key[NAMEKEY_MAX];

	if (list->n >= list->max || latin_key(w, key) == 0)
		return;
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->keys[i], key) == 0)
			return;
	memcpy(list->keys[list->n++], key, strlen(key) + 1);
}

/* Walk normalised text: with `list`, each word adds its key; without, the
 * whole text is read as one word into `one`. */
static void read_words(const utf8proc_uint8_t *s, struct key_list *list,
		       struct latin_word *one)
{
	struct latin_word word = { .n = 0 };
	struct latin_word *w = list ? &word : one;

	for (;;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(s, -1, &cp);
		if (len <= 0 || cp == 0)
			break;
		s += len;

		char tmp[2];
		const char *latin;
		switch (cp_role(cp)) {
		case CP_LETTER:
			latin = letter_latin(cp, tmp);
			if (latin)
				latin_append(w, latin);
			break;
		case CP_APOSTROPHE:
			w->apostrophe = true;
			break;
		case CP_SKIP:
			break;
		case CP_SEPARATOR:
			w->apostrophe = false;
			if (list && w->n > 0) {
				key_list_add(list, w);
				*w = (struct latin_word){ .n = 0 };
				if (list->n >= list->max)
					return;
			}
			break;
		}
	}
	if (list && w->n > 0)
		key_list_add(list, w);
}

size_t namekey_words(const char *name, char keys[][NAMEKEY_MAX], size_t max)
{
	if (!name || !keys || max == 0)
		return 0;
	utf8proc_uint8_t *norm = normalise(name, strlen(name));
	if (!norm)
		return 0;
	struct key_list list = {
		.keys = keys,
		.n = 0,
		.max = max < NAMEKEY_WORDS ? max : NAMEKEY_WORDS,
	};
	read_words(norm, &list, NULL);
	free(norm);
	return list.n;
}

size_t namekey_word(const char *word, size_t len, char out[NAMEKEY_MAX])
{
	if (!out)
		return 0;
	out[0] = '\0';
	if (!word)
		return 0;

	utf8proc_uint8_t *norm = normalise(word, len);
	if (!norm)
		return 0;
	struct latin_word one = { .n = 0 };
	read_words(norm, NULL, &one);
	free(norm);
	return latin_key(&one, out);
}

/* ---- phone numbers ---------------------------------------------------- */

#define PHONE_DIGITS_MIN 7
#define PHONE_DIGITS_MAX 15 /* E.164 */

size_t phone_key(const char *phone, char out[24])
{
	char d[32];
	size_t n = 0;

	if (!out)
		return 0;
	out[0] = '\0';
	if (!phone)
		return 0;
	for (const char *p = phone; *p; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (n == sizeof d - 1)
			return 0; /* far too long for one number */
		d[n++] = *p;
	}
	d[n] = '\0';

	const char *digits = d;
	bool international = false;
	if (n >= 2 && memcmp(digits, "00", 2) == 0) {
		digits += 2;
		n -= 2;
		international = true;
	} else if (n >= 13 && memcmp(digits, "810", 3) == 0) {
		digits += 3;
		n -= 3;
		international = true;
	}

	const char *prefix = "";
	if (!international) {
		if (n == 9) {
			prefix = "992";
		} else if (n == 10 && (digits[0] == '0' || digits[0] == '8')) {
			prefix = "992";
			digits++;
			n--;
		} else if (n == 11 && digits[0] == '8') {
			prefix = "7";
			digits++;
			n--;
		} else if (n == 13 && memcmp(digits, "9920", 4) == 0) {
			prefix = "992";
			digits += 4;
			n -= 4;
		}
	}

	size_t plen = strlen(prefix);
	if (plen + n < PHONE_DIGITS_MIN || plen + n > PHONE_DIGITS_MAX)
		return 0;
	memcpy(out, prefix, plen);
	memcpy(out + plen, digits, n);
	out[plen + n] = '\0';
	return plen + n;
}

int namekey_finds(const char *searched, const char *word)
{
	size_t n = strlen(searched);

	return !strcmp(searched, word) ||
	       (n >= NAMEKEY_PREFIX_MIN && n < strlen(word) && !strncmp(searched, word, n));
}
