/*
 * test_namekey.c - unit tests of src/domain/namekey: the spellings of one
 * name (Tajik, Russian with stand-in letters, legacy-font letters, Latin
 * transliterations, surname and patronymic endings) meet on one key,
 * different names keep different keys, the documented decisions and
 * misses stay as documented, the word splitter respects its bounds, and
 * phone numbers meet on one international form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/namekey.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ----------------------------------------------------------- */

/* The key of a one-word name, through namekey_word; checks that
 * namekey_words agrees. */
static const char *key_of(const char *name, char out[NAMEKEY_MAX])
{
	char keys[NAMEKEY_WORDS][NAMEKEY_MAX];
	size_t len = namekey_word(name, strlen(name), out);

	assert_int_equal(len, strlen(out));
	size_t n = namekey_words(name, keys, NAMEKEY_WORDS);
	if (len == 0) {
		assert_int_equal(n, 0);
	} else {
		assert_int_equal(n, 1);
		assert_string_equal(keys[0], out);
	}
	return out;
}

static void assert_one_key(const char *const *names, size_t n)
{
	char first[NAMEKEY_MAX];
	char key[NAMEKEY_MAX];

	assert_true(n > 0);
	key_of(names[0], first);
	assert_true(strlen(first) >= 2);
	for (size_t i = 1; i < n; i++) {
		key_of(names[i], key);
		if (strcmp(first, key) != 0)
			fail_msg("\"%s\" -> \"%s\" but \"%s\" -> \"%s\"", names[0],
				 first, names[i], key);
	}
}

static void assert_same(const char *a, const char *b)
{
	const char *pair[] = { a, b };
	assert_one_key(pair, 2);
}

static void assert_differ(const char *a, const char *b)
{
	char ka[NAMEKEY_MAX];
	char kb[NAMEKEY_MAX];

	key_of(a, ka);
	key_of(b, kb);
	if (strcmp(ka, kb) == 0)
		fail_msg("\"%s\" and \"%s\" both -> \"%s\"", a, b, ka);
}

/* ---- variant sets: one key per set, different keys across sets -------- */

static const char *const set_jumaev[] = {
	"Ҷумъаев", "Джумаев", "Jumaev", "Dzhumaev", "Djumaev", "ҶУМЪАЕВ",
	"Љумъаев", "Джумаева", "Jumayev", "Jum'aev", "Ҷумъаева", "JUMAEV",
	"Djumayeva", "Чумаев",
};
static const char *const set_rahimov[] = {
	"Раҳимов", "Рахимов", "Rakhimov", "Rahimov", "Раҳимова", "Рањимов",
	"Raximov", "Rakhimova", "Раҳимӣ", "Раҳимзода", "Rahimzoda",
};
static const char *const set_qodirov[] = {
	"Қодиров", "Кодиров", "Qodirov", "Kodirov", "Ќодиров", "Kadyrov",
	"Кадыров", "Qodirzoda", "Кодирова",
};
static const char *const set_ghafurov[] = {
	"Ғафуров", "Гафуров", "Ghafurov", "Gafurov", "Ѓафуров", "G'afurov",
	"Ƣafurov", "Ғафурзода",
};
static const char *const set_saidov[] = {
	"Саидов", "Саидзода", "Saidzoda", "Saidov", "Saidzade", "Саидова",
	"Saidzod", "Саидзод", "SAIDOV", "Saidova",
};
static const char *const set_sharipov[] = {
	"Шарипов", "Sharipov", "Şaripov", "Šaripov", "Шарипова",
};
static const char *const set_ulmasov[] = {
	"Ӯлмасов", "Улмасов", "Ulmasov", "Ўлмасов", "O'lmasov", "Oʻlmasov",
	"Ūlmasov",
};
static const char *const set_hasanov[] = {
	"Ҳасанов", "Хасанов", "Hasanov", "Khasanov", "Xasanov", "Њасанов",
	"Hassanov",
};
static const char *const set_husaynov[] = {
	"Ҳусейнов", "Хусейнов", "Husaynov", "Husainov", "Khuseinov",
	"Husseinov", "Ҳусайнов",
};
static const char *const set_yoqubov[] = {
	"Ёқубов", "Ёкубов", "Yokubov", "Yoqubov", "Якубов", "Yakubov",
	"Iakubov",
};
static const char *const set_yusupov[] = {
	"Юсупов", "Yusupov", "Iusupov", "Youssoupov", "Юсупова",
};
static const char *const set_zarina[] = {
	"Зарина", "Zarina", "ЗАРИНА",
};
static const char *const set_mavjuda[] = {
	"Мавҷуда", "Мавджуда", "Mavjuda", "Mavzhuda", "Mavdzhuda",
	"Мавжуда", "Мављуда",
};
static const char *const set_firuza[] = {
	"Фирӯза", "Фируза", "Firuza", "Firooza", "Firouza", "Firūza",
};
static const char *const set_ismoil[] = {
	"Ӣсмоил", "Исмоил", "Ismoil", "Ismail", "Исмаил", "Ismoilov",
	"Исмоилзода", "Ismayil",
};
static const char *const set_muhammad[] = {
	"Муҳаммад", "Мухаммад", "Muhammad", "Mukhammad", "Muxammad",
	"Muhamad",
};
static const char *const set_shohrukh[] = {
	"Шоҳрух", "Шохрух", "Shohrukh", "Shokhrukh", "Shahrukh", "Shoxrux",
};
static const char *const set_zebuniso[] = {
	"Зебунисо", "Zebuniso", "Zebunisa",
};
static const char *const set_abdulloev[] = {
	"Абдуллоев", "Абдуллаев", "Abdulloev", "Abdullaev", "Абдуллозода",
	"Abdullozoda", "Abdulloyev", "Абдулло",
};
static const char *const set_maryam[] = {
	"Мариям", "Марьям", "Марям", "Maryam", "Mariam", "Mariyam",
};
static const char *const set_ilyos[] = {
	"Илёс", "Ильяс", "Ilyos", "Ilyas", "Iliyos", "Илиёс",
};
static const char *const set_umed[] = {
	"Умед", "Umed", "Umid", "Умид",
};
static const char *const set_firuz[] = {
	"Фирӯз", "Фируз", "Firuz", "Firooz", "Firūz",
};
static const char *const set_nabiev[] = {
	"Набиев", "Nabiev", "Nabiyev", "Набизода", "Nabi", "Набӣ",
};
static const char *const set_faizullo[] = {
	"Файзулло", "Faizullo", "Fayzullo", "Fayzullaev", "Файзуллоев",
};

static const struct variant_set {
	const char *name;
	const char *const *names;
	size_t n;
} variant_sets[] = {
	{ "jumaev", set_jumaev, COUNT(set_jumaev) },
	{ "rahimov", set_rahimov, COUNT(set_rahimov) },
	{ "qodirov", set_qodirov, COUNT(set_qodirov) },
	{ "ghafurov", set_ghafurov, COUNT(set_ghafurov) },
	{ "saidov", set_saidov, COUNT(set_saidov) },
	{ "sharipov", set_sharipov, COUNT(set_sharipov) },
	{ "ulmasov", set_ulmasov, COUNT(set_ulmasov) },
	{ "hasanov", set_hasanov, COUNT(set_hasanov) },
	{ "husaynov", set_husaynov, COUNT(set_husaynov) },
	{ "yoqubov", set_yoqubov, COUNT(set_yoqubov) },
	{ "yusupov", set_yusupov, COUNT(set_yusupov) },
	{ "zarina", set_zarina, COUNT(set_zarina) },
	{ "mavjuda", set_mavjuda, COUNT(set_mavjuda) },
	{ "firuza", set_firuza, COUNT(set_firuza) },
	{ "ismoil", set_ismoil, COUNT(set_ismoil) },
	{ "muhammad", set_muhammad, COUNT(set_muhammad) },
	{ "shohrukh", set_shohrukh, COUNT(set_shohrukh) },
	{ "zebuniso", set_zebuniso, COUNT(set_zebuniso) },
	{ "abdulloev", set_abdulloev, COUNT(set_abdulloev) },
	{ "maryam", set_maryam, COUNT(set_maryam) },
	{ "ilyos", set_ilyos, COUNT(set_ilyos) },
	{ "umed", set_umed, COUNT(set_umed) },
	{ "firuz", set_firuz, COUNT(set_firuz) },
	{ "nabiev", set_nabiev, COUNT(set_nabiev) },
	{ "faizullo", set_faizullo, COUNT(set_faizullo) },
};

static void test_variant_sets_meet(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(variant_sets); i++)
		assert_one_key(variant_sets[i].names, variant_sets[i].n);
}

static void test_variant_sets_stay_apart(void **state)
{
	char ki[NAMEKEY_MAX];
	char kj[NAMEKEY_MAX];

	(void)state;
	for (size_t i = 0; i < COUNT(variant_sets); i++) {
		key_of(variant_sets[i].names[0], ki);
		for (size_t j = i + 1; j < COUNT(variant_sets); j++) {
			key_of(variant_sets[j].names[0], kj);
			if (strcmp(ki, kj) == 0)
				fail_msg("sets %s and %s share key \"%s\"",
					 variant_sets[i].name, variant_sets[j].name, ki);
		}
	}
}

/* ---- different names --------------------------------------------------- */

static void test_different_names_differ(void **state)
{
	static const char *const pairs[][2] = {
		{ "Rakhimov", "Rakhmonov" },  { "Раҳимов", "Раҳмонов" },
		{ "Karimov", "Kurbonov" },    { "Saidov", "Sadykov" },
		{ "Саидов", "Содиқов" },      { "Nazarov", "Nasirov" },
		{ "Nazarov", "Nazirov" },     { "Sharipov", "Sharifov" },
		{ "Karimov", "Kamolov" },     { "Hasanov", "Husaynov" },
		{ "Rahimov", "Rahmatov" },    { "Jumaev", "Jalilov" },
		{ "Zarina", "Zamira" },
		{ "Firuz", "Firuza" },        { "Karim", "Karima" },
		{ "Sadriddin", "Nuriddin" },  { "Davlatov", "Dadabaev" },
		{ "Umarov", "Amonov" },       { "Usmonov", "Ismoilov" },
		{ "Safarov", "Sharipov" },    { "Tursunov", "Sultonov" },
		{ "Azizov", "Asadov" },       { "Ahmadov", "Mahmudov" },
		{ "Olimov", "Aliev" },       { "Mirzoev", "Murodov" },
		{ "Nurov", "Nazarov" },       { "Gulov", "Gafurov" },
		{ "Hakimov", "Hamidov" },     { "Boboev", "Bobojonov" },
		{ "Rustamov", "Rasulov" },    { "Ergashev", "Eshonov" },
		{ "Zokirov", "Zoirov" },      { "Salimov", "Sulaymonov" },
		{ "Қурбонов", "Қаюмов" },     { "Шоҳрух", "Шаҳриёр" },
		{ "Мавҷуда", "Мавлуда" },     { "Ёқубов", "Юсупов" },
		{ "Ҳасан", "Ҳусейн" },        { "Ali", "Alim" },
	};

	(void)state;
	for (size_t i = 0; i < COUNT(pairs); i++)
		assert_differ(pairs[i][0], pairs[i][1]);
}

/* ---- letters ----------------------------------------------------------- */

static void test_tajik_letters_and_stand_ins(void **state)
{
	(void)state;
	/* each Tajik letter against its Russian stand-in and legacy letter */
	assert_same("Ҳамид", "Хамид");
	assert_same("Ҳамид", "Њамид");
	assert_same("Қаҳҳор", "Каххор");
	assert_same("Қаҳҳор", "Ќањњор");
	assert_same("Ғолиб", "Голиб");
	assert_same("Ғолиб", "Ѓолиб");
	assert_same("Ҷамшед", "Чамшед");
	assert_same("Ҷамшед", "Љамшед");
	assert_same("Ҷамшед", "Джамшед");
	assert_same("Ҷамшед", "Jamshed");
	assert_same("Рӯзиев", "Рузиев");
	assert_same("Рӯзиев", "Рўзиев");
	assert_same("Рӯзиев", "Ro'ziev");
	assert_same("Ӣсо", "Исо");
	assert_same("Ӣсо", "Їсо");
	assert_same("Ӣсо", "Іса");
	/* stand-ins next to another letter read the same way */
	assert_same("Исҳоқ", "Исхок");
	assert_same("Исҳоқ", "Ishoq");
	assert_same("Асғар", "Asghar");
}

static void test_case_and_normal_forms(void **state)
{
	(void)state;
	assert_same("Раҳимов", "РАҲИМОВ");
	assert_same("Rahimov", "rAhImOv");
	/* decomposed input: е + diaeresis, и + breve, и + macron, у + macron */
	assert_same("Ёқубов", "\u0415\u0308қубов");
	assert_same("Ҳусейнов", "Ҳусе\u0438\u0306нов");
	assert_same("Ӣсмоил", "\u0418\u0304смоил");
	assert_same("Фирӯз", "Фиру\u0304з");
	/* compatibility forms and ignorables */
	assert_same("Saidov", "\uff33\uff41\uff49\uff44\uff4f\uff56");
	assert_same("Rahimov", "Ra\u00adhi\u200dmov");
	/* accents that do not change the letter are dropped */
	assert_same("Firuz", "Fírúz");
	assert_same("Hamid", "Ḩamid");
	assert_same("Qodirov", "Ķodirov");
}

static void test_apostrophes_and_signs(void **state)
{
	(void)state;
	assert_same("Маъруфов", "Маруфов");
	assert_same("Маъруфов", "Ma'rufov");
	assert_same("Маъруфов", "Ma’rufov");
	assert_same("Маъруфов", "Maʼrufov");
	assert_same("Саъдулло", "Sa'dullo");
	assert_same("Марьям", "Марям");
	assert_same("Ҷумъа", "Juma");
	/* Uzbek o' is u; g' is g */
	assert_same("O'lmasov", "Ulmasov");
	assert_same("G'afurov", "Gafurov");
}

static void test_latin_spellings(void **state)
{
	(void)state;
	assert_same("Dzhalilov", "Jalilov");
	assert_same("Djalilov", "Jalilov");
	assert_same("Zhalilov", "Jalilov");
	assert_same("Khakimov", "Hakimov");
	assert_same("Xakimov", "Hakimov");
	assert_same("Qurbonov", "Kurbonov");
	assert_same("Ghaffor", "Gafor");
	assert_same("Yunusov", "Iunusov");
	assert_same("Yunusov", "Younousov");
	assert_same("Yahyo", "Yahya");
	assert_same("Davron", "Dawron");
	assert_same("Mustafo", "Mustafa");
	assert_same("Mustafo", "Mustapha");
	assert_same("Sayyid", "Said");
	assert_same("Shamsiddin", "Schamsiddin");
	assert_same("Shchukin", "Щукин");
	assert_same("Tsoy", "Цой");
	assert_same("Huseyn", "Husein");
	assert_same("Ахмад", "Ahmad");
}

/* ---- endings ----------------------------------------------------------- */

static void test_surname_endings(void **state)
{
	(void)state;
	assert_same("Раҳимов", "Раҳим");
	assert_same("Раҳимова", "Раҳим");
	assert_same("Раҳимзода", "Раҳим");
	assert_same("Раҳимзод", "Раҳим");
	assert_same("Rahimzade", "Rahim");
	assert_same("Раҳимӣ", "Раҳим");
	assert_same("Rahimiy", "Раҳим");
	assert_same("Rahimyi", "Раҳим");
	assert_same("Рахимий", "Раҳим");
	assert_same("Ergashev", "Ergash");
	assert_same("Ergasheva", "Ergash");
	assert_same("Nazarova", "Nazar");
	assert_same("Mirzoev", "Mirzo");
	assert_same("Mirzoev", "Mirzaev");
	assert_same("Nabiev", "Nabizoda");
}

static void test_patronymic_endings(void **state)
{
	(void)state;
	assert_same("Раҳимович", "Раҳим");
	assert_same("Rakhimovich", "Раҳим");
	assert_same("Раҳимовна", "Раҳим");
	assert_same("Rahimovna", "Раҳим");
	assert_same("Ҷумъаевич", "Jumaev");
	assert_same("Джумаевна", "Jumaev");
	assert_same("Ильинична", "Ильин");
}

static void test_short_stems_keep_endings(void **state)
{
	char key[NAMEKEY_MAX];

	(void)state;
	/* "Ali" is not cut to "al"; Aliev meets it (documented) */
	assert_string_equal(key_of("Ali", key), "ali");
	assert_same("Ali", "Aliev");
	assert_same("Ali", "Алиева");
	/* two-letter stems keep their ending */
	assert_string_equal(key_of("Lev", key), "liv");
	assert_string_equal(key_of("Ova", key), "ava");
	assert_string_equal(key_of("Iva", key), "iva");
	assert_differ("Zoev", "Zoe");
	/* the name itself is never cut below three sounds */
	assert_string_equal(key_of("Оби", key), "abi");
}

/* ---- decisions and known misses, pinned so changes are deliberate ----- */

static void test_documented_decisions(void **state)
{
	char key[NAMEKEY_MAX];

	(void)state;
	/* ч and ҷ meet, so Latin ch and j meet */
	assert_same("Jumaev", "Chumaev");
	assert_same("Чориев", "Ҷориев");
	assert_same("Choriev", "Joriev");
	/* Tajik о = Russian а, е = и */
	assert_same("Qodirov", "Kadyrov");
	assert_same("Ashurov", "Oshurov");
	assert_same("Умед", "Умид");
	/* сҳ reads as ш */
	assert_same("Исҳоқ", "Ишоқ");
	/* given names in -зод/-зода lose it */
	assert_string_equal(key_of("Farzod", key), "far");
	assert_same("Шаҳзода", "Шоҳ");
	/* a vowel run meets one vowel */
	assert_same("Саид", "Сеид");
	assert_same("Саид", "Сид");
	/* known misses */
	assert_differ("Юсупов", "Юсуфов");
	assert_differ("Sharipov", "Sharifov");
	assert_differ("Ёкубов", "Екубов");
	assert_differ("Yokubov", "Ekubov");
	assert_differ("Ahmadov", "Ahmedov");
	assert_differ("Yusupov", "Jusupow"); /* German j = y */
}

static void test_key_alphabet(void **state)
{
	static const char *const names[] = {
		"Ҷумъаев", "Щукин", "Цой", "Şaripov", "Ƣafurov", "Ǧani", "Ṭāhir",
		"Ñoño", "Øystein", "Æsop",
	};
	char key[NAMEKEY_MAX];

	(void)state;
	for (size_t i = 0; i < COUNT(names); i++) {
		size_t n = namekey_word(names[i], strlen(names[i]), key);
		assert_true(n >= 2);
		for (size_t j = 0; j < n; j++)
			assert_true(key[j] >= 'a' && key[j] <= 'z');
	}
}

/* ---- namekey_words ----------------------------------------------------- */

static void test_words_full_name(void **state)
{
	char keys[NAMEKEY_WORDS][NAMEKEY_MAX];
	char key[NAMEKEY_MAX];

	(void)state;
	assert_int_equal(namekey_words("Ҷумъаев Фирӯз Раҳимович", keys, NAMEKEY_WORDS), 3);
	assert_string_equal(keys[0], key_of("Jumaev", key));
	assert_string_equal(keys[1], key_of("Firuz", key));
	assert_string_equal(keys[2], key_of("Rahimov", key));

	assert_int_equal(namekey_words("Abdulloev-Saidzoda", keys, NAMEKEY_WORDS), 2);
	assert_string_equal(keys[0], key_of("Абдуллоев", key));
	assert_string_equal(keys[1], key_of("Саидов", key));

	/* punctuation, digits and other separators */
	assert_int_equal(namekey_words("  Раҳимов,\tФирӯз. (1990) ", keys, NAMEKEY_WORDS), 2);
	assert_int_equal(namekey_words("Rahimov\u00a0Firuz", keys, NAMEKEY_WORDS), 2);
	assert_int_equal(namekey_words("Раҳимов/Рахимов", keys, NAMEKEY_WORDS), 1);
}

static void test_words_duplicates_collapsed(void **state)
{
	char keys[NAMEKEY_WORDS][NAMEKEY_MAX];

	(void)state;
	assert_int_equal(namekey_words("Саидов Saidov Саидзода SAIDOV", keys, NAMEKEY_WORDS), 1);
	assert_int_equal(namekey_words("Jumaev Jumaev Rahimov Jumaev", keys, NAMEKEY_WORDS), 2);
}

static void test_words_skip_short(void **state)
{
	char keys[NAMEKEY_WORDS][NAMEKEY_MAX];

	(void)state;
	/* initials and one-letter words give no key */
	assert_int_equal(namekey_words("Ф. Р. Раҳимов", keys, NAMEKEY_WORDS), 1);
	assert_int_equal(namekey_words("A B C", keys, NAMEKEY_WORDS), 0);
	assert_int_equal(namekey_words("ъ ь '", keys, NAMEKEY_WORDS), 0);
	/* letters of scripts without a table are dropped */
	assert_int_equal(namekey_words("محمد", keys, NAMEKEY_WORDS), 0);
	assert_int_equal(namekey_words("محمد Rahimov", keys, NAMEKEY_WORDS), 1);
}

static void test_words_empty_and_invalid(void **state)
{
	char keys[NAMEKEY_WORDS][NAMEKEY_MAX];
	char key[NAMEKEY_MAX];

	(void)state;
	assert_int_equal(namekey_words("", keys, NAMEKEY_WORDS), 0);
	assert_int_equal(namekey_words("   -- .. ", keys, NAMEKEY_WORDS), 0);
	assert_int_equal(namekey_words(NULL, keys, NAMEKEY_WORDS), 0);
	assert_int_equal(namekey_words("Rahimov", keys, 0), 0);
	assert_int_equal(namekey_words("\xff\xfe", keys, NAMEKEY_WORDS), 0);
	assert_int_equal(namekey_words("Rahimov \xff\xfe", keys, NAMEKEY_WORDS), 0);
	assert_int_equal(namekey_words("Rah\xd2", keys, NAMEKEY_WORDS), 0);
	assert_int_equal(namekey_words("\xc0\xaf", keys, NAMEKEY_WORDS), 0);      /* overlong */
	assert_int_equal(namekey_words("\xed\xa0\x80", keys, NAMEKEY_WORDS), 0);  /* surrogate */

	memset(key, 'q', sizeof key);
	assert_int_equal(namekey_word("\xff\xfe", 2, key), 0);
	assert_string_equal(key, "");
	assert_int_equal(namekey_word("", 0, key), 0);
	assert_int_equal(namekey_word(NULL, 3, key), 0);
	assert_int_equal(namekey_word("Rahimov", 7, NULL), 0);
	assert_int_equal(namekey_word("R", 1, key), 0);
}

static void test_word_span(void **state)
{
	char a[NAMEKEY_MAX];
	char b[NAMEKEY_MAX];

	(void)state;
	/* only len bytes are read */
	assert_true(namekey_word("RahimovXYZ", 7, a) > 0);
	assert_string_equal(a, key_of("Rahimov", b));
	/* a span cut inside a code point is invalid */
	assert_int_equal(namekey_word("Раҳимов", 3, a), 0);
	/* separators inside the span are skipped */
	namekey_word("Abdul Aziz", strlen("Abdul Aziz"), a);
	assert_string_equal(a, key_of("Abdulaziz", b));
}

static void test_words_bounds(void **state)
{
	char keys[NAMEKEY_WORDS + 4][NAMEKEY_MAX];
	static const char consonants[] = "bdfglmnprstz";
	char name[20000];
	size_t pos = 0;

	(void)state;
	/* 10 000 characters of distinct words: at most NAMEKEY_WORDS keys */
	for (size_t i = 0; pos < 10000; i++) {
		pos += (size_t)snprintf(name + pos, sizeof name - pos, "Ba%ca%cu ",
		    consonants[i % 12], consonants[(i / 12) % 12]);
	}
	name[10000] = '\0';
	memset(keys, 'q', sizeof keys);
	assert_int_equal(namekey_words(name, keys, NAMEKEY_WORDS + 4), NAMEKEY_WORDS);
	for (size_t i = 0; i < NAMEKEY_WORDS; i++) {
		assert_true(strlen(keys[i]) < NAMEKEY_MAX);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(keys[i], keys[j]);
	}
	assert_int_equal(keys[NAMEKEY_WORDS][0], 'q'); /* untouched past the cap */

	/* max smaller than the words: max keys */
	assert_int_equal(namekey_words(name, keys, 3), 3);
	assert_int_equal(namekey_words("Jumaev Firuz Rahimov", keys, 2), 2);

	/* one word of 10 000 letters: cut at NAMEKEY_MAX - 1 */
	for (size_t i = 0; i < 10000; i++)
		name[i] = "bakirudomen"[i % 11];
	name[10000] = '\0';
	assert_int_equal(namekey_words(name, keys, NAMEKEY_WORDS), 1);
	assert_int_equal(strlen(keys[0]), NAMEKEY_MAX - 1);
	char key[NAMEKEY_MAX];
	assert_int_equal(namekey_word(name, 10000, key), NAMEKEY_MAX - 1);
	assert_string_equal(key, keys[0]);

	/* 10 000 Cyrillic characters (20 000 bytes): read, no overflow */
	pos = 0;
	while (pos + 2 < 19998) {
		memcpy(name + pos, "ҷ", 2);
		memcpy(name + pos + 2, "а", 2);
		pos += 4;
	}
	name[pos] = '\0';
	assert_int_equal(namekey_words(name, keys, NAMEKEY_WORDS), 1);
	assert_true(strlen(keys[0]) < NAMEKEY_MAX);

	/* invalid UTF-8 far past the part read is still rejected */
	name[19990] = '\xff';
	name[19991] = '\0';
	assert_int_equal(namekey_words(name, keys, NAMEKEY_WORDS), 0);
}

/* ---- phone_key --------------------------------------------------------- */

static void assert_phone(const char *in, const char *want)
{
	char out[24];
	size_t n = phone_key(in, out);

	if (want == NULL) {
		if (n != 0)
			fail_msg("\"%s\" -> \"%s\", want none", in, out);
		assert_string_equal(out, "");
		return;
	}
	if (n != strlen(want) || strcmp(out, want) != 0)
		fail_msg("\"%s\" -> \"%s\", want \"%s\"", in, out, want);
}

static void test_phone_tajik(void **state)
{
	static const char *const forms[] = {
		"+992 93 123 45 67", "992931234567",   "93-123-45-67",
		"0931234567",        "00992931234567", "(93) 123-45-67",
		"931234567",         "+992 (0) 93 123 45 67",
		"8 10 992 93 123 45 67", "8 93 123 45 67", "+992931234567",
		"tel: 93 123 45 67 (mob.)", "+992 93 123 45 67 ",
	};

	(void)state;
	for (size_t i = 0; i < COUNT(forms); i++)
		assert_phone(forms[i], "992931234567");
}

static void test_phone_foreign(void **state)
{
	(void)state;
	assert_phone("+7 916 123 45 67", "79161234567");
	assert_phone("79161234567", "79161234567");
	assert_phone("8 916 123 45 67", "79161234567");
	assert_phone("007 916 123 45 67", "79161234567");
	assert_phone("8 10 7 916 123 45 67", "79161234567");
	assert_phone("+7 701 123 4567", "77011234567");
	assert_phone("+971 50 123 4567", "971501234567");
	assert_phone("+44 20 7946 0958", "442079460958");
}

static void test_phone_rejects(void **state)
{
	char out[24];

	(void)state;
	assert_phone("12", NULL);
	assert_phone("", NULL);
	assert_phone("123456", NULL);
	assert_phone("no phone", NULL);
	assert_phone("00 12345", NULL);
	assert_phone("1234567", "1234567");
	/* two numbers in one field: no key rather than a wrong one */
	assert_phone("93 123 45 67, 92 765 43 21", NULL);
	assert_phone("1234567890123456789012345678901234567890", NULL);
	assert_int_equal(phone_key(NULL, out), 0);
	assert_int_equal(phone_key("931234567", NULL), 0);
	/* non-ASCII digits do not count */
	assert_phone("\u0669\u0663\u0661\u0662\u0663\u0664\u0665\u0666\u0667", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variant_sets_meet),
		cmocka_unit_test(test_variant_sets_stay_apart),
		cmocka_unit_test(test_different_names_differ),
		cmocka_unit_test(test_tajik_letters_and_stand_ins),
		cmocka_unit_test(test_case_and_normal_forms),
		cmocka_unit_test(test_apostrophes_and_signs),
		cmocka_unit_test(test_latin_spellings),
		cmocka_unit_test(test_surname_endings),
		cmocka_unit_test(test_patronymic_endings),
		cmocka_unit_test(test_short_stems_keep_endings),
		cmocka_unit_test(test_documented_decisions),
		cmocka_unit_test(test_key_alphabet),
		cmocka_unit_test(test_words_full_name),
		cmocka_unit_test(test_words_duplicates_collapsed),
		cmocka_unit_test(test_words_skip_short),
		cmocka_unit_test(test_words_empty_and_invalid),
		cmocka_unit_test(test_word_span),
		cmocka_unit_test(test_words_bounds),
		cmocka_unit_test(test_phone_tajik),
		cmocka_unit_test(test_phone_foreign),
		cmocka_unit_test(test_phone_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
