/*
 * namekey.h - search keys for personal names written in Tajik Cyrillic,
 * Russian Cyrillic (with stand-in letters), legacy-font Cyrillic or any
 * Latin transliteration.  Pure functions: no I/O, no allocation beyond the
 * caller's buffers.
 *
 * A name is split into words; each word becomes one ASCII key such that
 * the spellings of one name meet on one key:
 *
 *     Ҷумъаев, Джумаев, Jumaev, Dzhumaev, Djumaev   -> one key
 *     Раҳимов, Рахимов, Rakhimov, Rahimov           -> one key
 *     Саидов, Саидзода, Saidzoda, Saidov            -> one key (endings folded)
 *
 * The keys are then turned into keyed blind indexes (crypto.h): the keys
 * themselves are never stored.
 *
 * How a word becomes a key (namekey.c):
 *  1. The text is put in NFKC, case folded, and default ignorables (soft
 *     hyphen, zero-width joiners) are dropped; invalid UTF-8 gives no key.
 *     Words are runs of letters; combining marks, the hard and soft signs
 *     and apostrophes (' ’ ʼ ʻ `) inside a word are dropped (Ҷумъаев =
 *     Jum'aev = Джумаев), except that o' reads as u (Uzbek O'lmasov).
 *     The one allocation is utf8proc_map's normalised copy, freed before
 *     the call returns.
 *  2. Every letter is spelt in Latin.  A Tajik letter, its Russian
 *     stand-in and its legacy-font letter are spelt alike: ҳ х њ -> h,
 *     қ к ќ -> k/q, ғ г ѓ -> g, ҷ ч љ ж -> j, ӯ у ў -> u, ӣ и ї і -> i;
 *     ш щ -> sh, ц -> ts, ю я ё -> yu ya yo, ы -> i, й -> y.  Accented
 *     Latin loses its marks (ü ā ḩ), except ş š -> sh, ç č -> ch,
 *     ğ ƣ -> gh, ž ƶ -> zh.  Letters of other scripts are dropped.
 *  3. The Latin is read into sounds, longest spelling first: sh/sch/shch
 *     -> x; ch/j/zh/dj/dzh/tch -> j; kh/h/x -> h; q/c/ck -> k; gh -> g;
 *     ph -> f; w -> v; ts -> c; oo/ou -> u; y before a vowel is dropped
 *     (yu ya yo ye -> u a o e), otherwise it is the vowel i.  Vowels fall
 *     into three classes: a (a, o), i (e, i, y), u (u).
 *  4. One ending is cut if at least 3 sounds remain: -ovich -evich -ovna
 *     -evna -ichna -ich -zoda -zade -zod -ova -eva -ov -ev, and -iy/-yi
 *     and Tajik -ӣ; after any but the last two, a final i of the stem goes
 *     too (Nabiev = Nabizoda = Nabi).
 *  5. Doubled letters become one and a run of vowels keeps its last
 *     (Husain = Husein, Mariam = Maryam, Saidov -> sid); the key is cut
 *     at NAMEKEY_MAX - 1 bytes.  Keys use only the letters a-z.
 *
 * Decisions and known false merges: ч and ҷ are one sound, because Tajik
 * texts write ч for ҷ, so Chumaev = Jumaev and Чориев = Ҷориев.  Tajik о
 * and Russian а meet (Қодиров = Кадыров, Абдуллоев = Абдуллаев), as do е
 * and и (Умед = Umid).  сҳ reads as ш (Исҳоқ = Ishoq = Ишоқ).  Given names
 * in -зод/-зода lose it (Farzod -> far, Шаҳзода = Шоҳ), a given name meets
 * the surname made from it (Ali = Aliev), and vowel runs can meet a
 * single vowel (Саид = Сеид = Сид).  Known misses: п and ф stay apart
 * (Юсупов != Юсуфов, Шарипов != Sharifov); ё is yo, so Ёкубов written
 * Екубов or Ekubov is not found as Yokubov; German spellings (Jussupow)
 * and Ахмад/Ахмед (a against e) do not meet.
 */
#ifndef HIMOYA_NAMEKEY_H
#define HIMOYA_NAMEKEY_H

#include <stddef.h>

#define NAMEKEY_MAX 64   /* longest key kept, bytes incl. NUL */
#define NAMEKEY_WORDS 16 /* most words taken from one name */
/* The shortest beginning of a word that finds it: a search for "Rakh"
 * finds Rakhimov (the blind index holds the beginnings of each name's
 * keys from this length). */
#define NAMEKEY_PREFIX_MIN 3

/* Write the keys of the words of `name` (UTF-8, need not be NFC) into
 * keys[]; returns how many were written (0 for no usable word, or for
 * invalid UTF-8).  Words shorter than 2 letters after folding are skipped.
 * Duplicate keys are written once.  At most min(max, NAMEKEY_WORDS) keys
 * are written, from the first 4096 bytes of `name`; each is NUL-terminated.
 * `name` NULL gives 0. */
size_t namekey_words(const char *name, char keys[][NAMEKEY_MAX], size_t max);

/* Write the key of one word into out; returns its length, 0 if none (out
 * is then ""); `word` need not be NUL-terminated.  The letters of the
 * whole span are read as one word: separators inside it are skipped, so
 * "Abdul Aziz" gives the key of "Abdulaziz". */
size_t namekey_word(const char *word, size_t len, char out[NAMEKEY_MAX]);

/* Whether the key of a searched word finds the key of a name's word: the
 * same, or its beginning of NAMEKEY_PREFIX_MIN bytes or more (what the
 * blind index finds, compared in the clear). */
int namekey_finds(const char *searched, const char *word);

/* Normalise a phone number to its digits in international form for
 * Tajikistan: "+992 93 123 45 67", "992931234567", "93-123-45-67" and
 * "0931234567" all give "992931234567".  Returns the length, 0 if the
 * input has too few digits to be a phone number.
 *
 * Only ASCII digits count.  A leading 00, or the old international prefix
 * 810 before at least 10 more digits, is dropped and the rest kept as it
 * is.  Otherwise 9 digits are a Tajik national number (992 put before);
 * 10 digits starting 0 or 8 (trunk prefixes) lose it and get 992;
 * 11 digits starting 8 are a Russian or Kazakh number (8 -> 7);
 * 992 0 ... loses the 0.  Fewer than 7 or more than 15 digits (E.164)
 * give 0: a field holding two numbers gives no key rather than a wrong
 * one. */
size_t phone_key(const char *phone, char out[24]);

#endif
