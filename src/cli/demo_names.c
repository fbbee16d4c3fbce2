/*
 * demo_names.c - the synthetic persons' names, phones, documents and
 * places for `himoya demo` (see demo.h).
 *
 * Names are built from real Tajik given names and surname stems, written
 * once here in Tajik Cyrillic, with the endings of both traditions
 * (-ов/-ова, -ев/-ева after a vowel, -зода, -ӣ) and Russian-style
 * patronymics.  Each person's names are then rendered as they turn up in
 * real records: Tajik Cyrillic; Russian Cyrillic with stand-ins for the
 * Tajik letters (ҳ қ ӯ ӣ ғ ҷ -> х к у и г дж); Tajik typed with a legacy
 * font (њ ќ ў ї ѓ љ); or one of four Latin transliterations (Tajik Latin
 * Jumaev/Qodirov/Rahimov, Russian passport Dzhumaev/Kodirov/Rakhimov,
 * French-style Djumaev, plain Jumaev/Kodirov), sometimes in capitals as
 * in a passport.  The tables are ours and small on purpose: they make the
 * spellings the name search must bring together, not a transliteration
 * standard.
 */
#include <stdio.h>
#include <string.h>

#include "cli/demo.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

unsigned demo_rng_weighted(struct demo_rng *r, const unsigned *weights, size_t n)
{
	unsigned total = 0, pick;
	size_t i;

	for (i = 0; i < n; i++)
		total += weights[i];
	pick = demo_rng_below(r, total ? total : 1);
	for (i = 0; i + 1 < n; i++) {
		if (pick < weights[i])
			return (unsigned)i;
		pick -= weights[i];
	}
	return (unsigned)(n ? n - 1 : 0);
}

/* ---- the names, in Tajik Cyrillic ---------------------------------------- */

static const char *const male_given[] = {
	"Фаррух", "Ҷамшед", "Алишер", "Рустам", "Баҳодур", "Фирдавс", "Шаҳром", "Умед",
	"Сӯҳроб", "Далер", "Зафар", "Парвиз", "Манучеҳр", "Исмоил", "Абдуллоҳ", "Муҳаммад",
	"Комрон", "Меҳроҷ", "Ҳусайн", "Сино", "Беҳрӯз", "Исфандиёр", "Нурулло", "Хуршед",
	"Шоҳрух", "Дилшод", "Ғайрат", "Қурбон", "Азиз", "Эраҷ", "Ҷонибек", "Саидҷон",
	"Нозим", "Акбар", "Анвар", "Маҳмуд", "Фаридун", "Тоҳир", "Шуҳрат", "Бахтиёр",
	"Ӯктам", "Сафарали", "Ҷаҳонгир", "Фирӯз", "Илҳом", "Рауф", "Олим", "Мансур",
	"Неъмат", "Ҳикмат",
};

static const char *const female_given[] = {
	"Мадина", "Нилуфар", "Гулнора", "Зарина", "Фарзона", "Шаҳноза", "Дилноза", "Мавзуна",
	"Малика", "Меҳрангез", "Ҳабиба", "Парвина", "Шабнам", "Гулбаҳор", "Нигора", "Манижа",
	"Таҳмина", "Фотима", "Зулфия", "Рухшона", "Муниса", "Сабоҳат", "Ситора", "Дилором",
	"Мижгона", "Озода", "Гулчеҳра", "Шоира", "Нодира", "Умеда", "Фирӯза", "Меҳрона",
	"Зебо", "Ҷамила", "Латофат", "Моҳира", "Гулрухсор", "Насиба", "Шаҳло", "Ҳилола",
	"Садбарг", "Мунира", "Гулшан", "Наргис", "Фарангис",
};

/* Surname stems: given names, and whether the stem ends in a vowel (then
 * -ев/-ева, and no -ӣ). */
struct stem {
	const char *text;
	int vowel;
};

static const struct stem stems[] = {
	{"Раҳим", 0}, {"Карим", 0}, {"Шариф", 0}, {"Назар", 0}, {"Қодир", 0}, {"Ҷумъа", 1},
	{"Ғафур", 0}, {"Саид", 0}, {"Содиқ", 0}, {"Ҳасан", 0}, {"Усмон", 0}, {"Юсуф", 0},
	{"Мирзо", 1}, {"Давлат", 0}, {"Сафар", 0}, {"Абдулло", 1}, {"Раҷаб", 0}, {"Ҳусайн", 0},
	{"Шодмон", 0}, {"Қурбон", 0}, {"Одина", 1}, {"Бобо", 1}, {"Холиқ", 0}, {"Ашур", 0},
	{"Наби", 1}, {"Исмоил", 0}, {"Файзулло", 1}, {"Ҳайдар", 0}, {"Ризо", 1}, {"Латиф", 0},
	{"Ҳамид", 0}, {"Салим", 0}, {"Ғаффор", 0}, {"Икром", 0}, {"Ҷалол", 0}, {"Мурод", 0},
	{"Султон", 0}, {"Зокир", 0}, {"Олим", 0}, {"Шукур", 0},
};

/* ---- rendering ----------------------------------------------------------- */

enum latin_style {
	LATIN_TAJIK,    /* Jumaev, Qodirov, Rahimov, Ghafurov, Jum'aev */
	LATIN_PASSPORT, /* Dzhumayev, Kodirov, Rakhimov, Gafurov */
	LATIN_FRENCH,   /* Djumaev, Kodirov, Rakhimov, Ghafurov */
	LATIN_PLAIN,    /* Jumaev, Kodirov, Rahimov, Gafurov */
	LATIN_STYLES
};

/* One lower-case Cyrillic letter in Latin, per style. */
struct latin_letter {
	unsigned cp;
	const char *s[LATIN_STYLES];
};

static const struct latin_letter latin[] = {
	{0x430, {"a", "a", "a", "a"}},       {0x431, {"b", "b", "b", "b"}},
	{0x432, {"v", "v", "v", "v"}},       {0x433, {"g", "g", "g", "g"}},
	{0x434, {"d", "d", "d", "d"}},       {0x435, {"e", "e", "e", "e"}},
	{0x451, {"yo", "yo", "yo", "yo"}},   {0x436, {"zh", "zh", "j", "zh"}},
	{0x437, {"z", "z", "z", "z"}},       {0x438, {"i", "i", "i", "i"}},
	{0x439, {"y", "y", "y", "y"}},       {0x43a, {"k", "k", "k", "k"}},
	{0x43b, {"l", "l", "l", "l"}},       {0x43c, {"m", "m", "m", "m"}},
	{0x43d, {"n", "n", "n", "n"}},       {0x43e, {"o", "o", "o", "o"}},
	{0x43f, {"p", "p", "p", "p"}},       {0x440, {"r", "r", "r", "r"}},
	{0x441, {"s", "s", "s", "s"}},       {0x442, {"t", "t", "t", "t"}},
	{0x443, {"u", "u", "u", "u"}},       {0x444, {"f", "f", "f", "f"}},
	{0x445, {"kh", "kh", "kh", "kh"}},   {0x446, {"ts", "ts", "ts", "ts"}},
	{0x447, {"ch", "ch", "tch", "ch"}},  {0x448, {"sh", "sh", "ch", "sh"}},
	{0x449, {"shch", "shch", "chtch", "sh"}},
	{0x44a, {"'", "", "", ""}},          {0x44b, {"y", "y", "y", "y"}},
	{0x44c, {"", "", "", ""}},           {0x44d, {"e", "e", "e", "e"}},
	{0x44e, {"yu", "yu", "iou", "yu"}},  {0x44f, {"ya", "ya", "ia", "ya"}},
	/* the Tajik letters */
	{0x493, {"gh", "g", "gh", "g"}},     {0x4e3, {"i", "i", "i", "i"}},
	{0x49b, {"q", "k", "k", "k"}},       {0x4ef, {"u", "u", "u", "u"}},
	{0x4b3, {"h", "kh", "h", "h"}},      {0x4b7, {"j", "dzh", "dj", "j"}},
};

/* The Tajik letters and their stand-ins: lower and upper case. */
struct tajik_letter {
	unsigned lower, upper;
	const char *ru_lower, *ru_upper;     /* Russian Cyrillic */
	const char *legacy_lower, *legacy_upper;
};

static const struct tajik_letter tajik[] = {
	{0x4b3, 0x4b2, "х", "Х", "њ", "Њ"},
	{0x49b, 0x49a, "к", "К", "ќ", "Ќ"},
	{0x4ef, 0x4ee, "у", "У", "ў", "Ў"},
	{0x4e3, 0x4e2, "и", "И", "ї", "Ї"},
	{0x493, 0x492, "г", "Г", "ѓ", "Ѓ"},
	{0x4b7, 0x4b6, "дж", "Дж", "љ", "Љ"},
};

/* Decode one code point of our own (valid) UTF-8 text; returns its length. */
static size_t utf8_next(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0) {
		*cp = ((unsigned)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
		return 2;
	}
	*cp = ((unsigned)(u[0] & 0x0f) << 12) | ((unsigned)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
	return 3;
}

/* The lower case of a Cyrillic code point, and whether it was upper. */
static unsigned cyr_lower(unsigned cp, int *upper)
{
	*upper = 1;
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 0x50;
	if (cp >= 0x48a && cp <= 0x4ff && !(cp & 1))
		return cp + 1;
	*upper = 0;
	return cp;
}

/* Append s to out (bounded, always NUL-terminated). */
static void put(char *out, size_t outlen, size_t *o, const char *s, size_t n)
{
	if (*o + n >= outlen)
		n = *o + 1 < outlen ? outlen - *o - 1 : 0;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
}

static int is_vowel_cp(unsigned lower)
{
	static const unsigned v[] = {0x430, 0x435, 0x451, 0x438, 0x43e, 0x443, 0x44b, 0x44d,
				     0x44e, 0x44f, 0x4e3, 0x4ef};
	size_t i;
	for (i = 0; i < COUNT(v); i++)
		if (v[i] == lower)
			return 1;
	return 0;
}

/* Tajik Cyrillic into Russian Cyrillic (legacy 0) or legacy-font letters
 * (legacy 1).  Russian spelling also drops the hard sign of Ҷумъа. */
static void render_cyrillic(const char *src, int legacy, char *out, size_t outlen)
{
	size_t o = 0, i = 0, k;

	out[0] = '\0';
	while (src[i]) {
		unsigned cp;
		size_t n = utf8_next(src + i, &cp);
		const char *rep = NULL;
		for (k = 0; k < COUNT(tajik); k++) {
			if (cp == tajik[k].lower)
				rep = legacy ? tajik[k].legacy_lower : tajik[k].ru_lower;
			else if (cp == tajik[k].upper)
				rep = legacy ? tajik[k].legacy_upper : tajik[k].ru_upper;
		}
		if (!legacy && cp == 0x44a)
			rep = "";
		if (rep)
			put(out, outlen, &o, rep, strlen(rep));
		else
			put(out, outlen, &o, src + i, n);
		i += n;
	}
}

/* Tajik Cyrillic into Latin in a style; caps 1 writes capitals only. */
static void render_latin(const char *src, enum latin_style style, int caps, char *out,
			 size_t outlen)
{
	size_t o = 0, i = 0, k, start;
	int prev_vowel = 0, word_start = 1;

	out[0] = '\0';
	while (src[i]) {
		unsigned cp, lower;
		int upper;
		size_t n = utf8_next(src + i, &cp);
		const char *rep = NULL;

		lower = cyr_lower(cp, &upper);
		for (k = 0; k < COUNT(latin); k++)
			if (latin[k].cp == lower)
				rep = latin[k].s[style];
		start = o;
		if (!rep) { /* not a letter we know: a space or a hyphen */
			put(out, outlen, &o, src + i, n);
			word_start = 1;
			prev_vowel = 0;
			i += n;
			continue;
		}
		/* е after a vowel or at the start reads ye in passports: Mirzoyev */
		if (lower == 0x435 && style == LATIN_PASSPORT && (prev_vowel || word_start))
			rep = "ye";
		put(out, outlen, &o, rep, strlen(rep));
		if ((upper || caps) && o > start && out[start] >= 'a' && out[start] <= 'z')
			out[start] = (char)(out[start] - 'a' + 'A');
		if (caps)
			for (k = start; k < o; k++)
				if (out[k] >= 'a' && out[k] <= 'z')
					out[k] = (char)(out[k] - 'a' + 'A');
		prev_vowel = is_vowel_cp(lower);
		word_start = 0;
		i += n;
	}
}

/* How one person writes their names. */
struct rendering {
	enum demo_script script;
	enum latin_style style;
	int caps;
};

static void render(const struct rendering *how, const char *src, char *out, size_t outlen)
{
	switch (how->script) {
	case SCRIPT_TAJIK:
		snprintf(out, outlen, "%s", src);
		break;
	case SCRIPT_RUSSIAN:
		render_cyrillic(src, 0, out, outlen);
		break;
	case SCRIPT_LEGACY:
		render_cyrillic(src, 1, out, outlen);
		break;
	case SCRIPT_LATIN:
		render_latin(src, how->style, how->caps, out, outlen);
		break;
	}
}

static void rendering_draw(struct demo_rng *r, struct rendering *how)
{
	static const unsigned script_w[] = {38, 32, 8, 22};
	static const unsigned style_w[] = {35, 38, 10, 17};
	how->script = (enum demo_script)demo_rng_weighted(r, script_w, COUNT(script_w));
	how->style = (enum latin_style)demo_rng_weighted(r, style_w, COUNT(style_w));
	how->caps = how->script == SCRIPT_LATIN && demo_rng_pct(r, 8);
}

/* ---- names --------------------------------------------------------------- */

/* A surname from a stem, in Tajik Cyrillic: -ов/-ев (-ова/-ева), -зода, -ӣ. */
static void surname(struct demo_rng *r, const struct stem *st, int female, char *out,
		    size_t outlen)
{
	static const unsigned ending_w[] = {55, 35, 10};
	unsigned e = demo_rng_weighted(r, ending_w, COUNT(ending_w));

	if (e == 2 && st->vowel)
		e = 1;
	if (e == 0)
		snprintf(out, outlen, "%s%s%s", st->text, st->vowel ? "ев" : "ов", female ? "а" : "");
	else if (e == 1)
		snprintf(out, outlen, "%sзода", st->text);
	else
		snprintf(out, outlen, "%sӣ", st->text);
}

static void patronymic(const struct stem *father, int female, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s%s", father->text,
		 father->vowel ? (female ? "евна" : "евич") : (female ? "овна" : "ович"));
}

void demo_names_make(struct demo_rng *r, int female, struct demo_names *out)
{
	char given[DEMO_NAME_MAX], family[DEMO_NAME_MAX], patr[DEMO_NAME_MAX];
	char both[2 * DEMO_NAME_MAX + 1];
	struct rendering how, other;
	const char *g = female ? female_given[demo_rng_below(r, COUNT(female_given))]
			       : male_given[demo_rng_below(r, COUNT(male_given))];

	memset(out, 0, sizeof *out);
	snprintf(given, sizeof given, "%s", g);
	surname(r, &stems[demo_rng_below(r, COUNT(stems))], female, family, sizeof family);
	patr[0] = '\0';
	if (demo_rng_pct(r, 70))
		patronymic(&stems[demo_rng_below(r, COUNT(stems))], female, patr, sizeof patr);
	rendering_draw(r, &how);
	out->script = how.script;
	render(&how, given, out->given, sizeof out->given);
	render(&how, family, out->family, sizeof out->family);
	if (patr[0])
		render(&how, patr, out->patronymic, sizeof out->patronymic);
	/* An alias: the same name as another document writes it (a Latin
	 * passport beside a Cyrillic form, or the reverse). */
	if (demo_rng_pct(r, 15)) {
		other.script = how.script == SCRIPT_LATIN ? SCRIPT_TAJIK : SCRIPT_LATIN;
		other.style = LATIN_PASSPORT;
		other.caps = other.script == SCRIPT_LATIN && demo_rng_pct(r, 50);
		snprintf(both, sizeof both, "%s %s", given, family);
		render(&other, both, out->alias, sizeof out->alias);
	}
}

/* ---- phones and documents ------------------------------------------------ */

void demo_phone_make(struct demo_rng *r, char *out, size_t outlen)
{
	static const char *const codes[] = {"90", "91", "92", "93", "98", "99", "88", "55", "50"};
	static const unsigned code_w[] = {14, 8, 10, 18, 12, 14, 8, 8, 8};
	const char *op = codes[demo_rng_weighted(r, code_w, COUNT(codes))];
	unsigned a = demo_rng_below(r, 1000), b = demo_rng_below(r, 100), c = demo_rng_below(r, 100);

	if (demo_rng_pct(r, 7)) { /* a Russian SIM, bought at work */
		unsigned ru = 900 + demo_rng_below(r, 100);
		if (demo_rng_pct(r, 50))
			snprintf(out, outlen, "+7 %03u %03u-%02u-%02u", ru, a, b, c);
		else
			snprintf(out, outlen, "8 %03u %03u %02u %02u", ru, a, b, c);
		return;
	}
	switch (demo_rng_below(r, 8)) {
	case 0:
		snprintf(out, outlen, "+992 %s %03u %02u %02u", op, a, b, c);
		break;
	case 1:
		snprintf(out, outlen, "+992%s%03u%02u%02u", op, a, b, c);
		break;
	case 2:
		snprintf(out, outlen, "992 %s %03u%02u%02u", op, a, b, c);
		break;
	case 3:
		snprintf(out, outlen, "%s %03u %02u %02u", op, a, b, c);
		break;
	case 4:
		snprintf(out, outlen, "(%s) %03u-%02u-%02u", op, a, b, c);
		break;
	case 5:
		snprintf(out, outlen, "+992 (%s) %03u-%02u-%02u", op, a, b, c);
		break;
	case 6:
		snprintf(out, outlen, "%s-%03u-%02u-%02u", op, a, b, c);
		break;
	default:
		snprintf(out, outlen, "0%s%03u%02u%02u", op, a, b, c);
		break;
	}
}

void demo_document_number(struct demo_rng *r, const char *type, char *out, size_t outlen)
{
	unsigned long n = (unsigned long)(demo_rng_next(r) % 100000000u);

	if (!strcmp(type, "national_passport") || !strcmp(type, "foreign_passport"))
		snprintf(out, outlen, "4%08lu", n);
	else if (!strcmp(type, "national_id"))
		snprintf(out, outlen, "A%07lu", n % 10000000u);
	else if (!strcmp(type, "birth_certificate"))
		snprintf(out, outlen, "I-ТҶ № %06lu", n % 1000000u);
	else if (!strcmp(type, "migration_card"))
		snprintf(out, outlen, "46%02lu %07lu", n % 100u, n % 10000000u);
	else if (!strcmp(type, "work_patent"))
		snprintf(out, outlen, "77 № %07lu", n % 10000000u);
	else
		snprintf(out, outlen, "%08lu", n);
}

/* ---- places -------------------------------------------------------------- */

struct place_list {
	const char *code;
	const char *const *names;
	size_t n;
};

static const char *const districts_su[] = {
	"Хуҷанд", "Истаравшан", "Панҷакент", "Исфара", "Конибодом", "Ашт", "Айнӣ", "Шаҳристон",
	"Ғафуров", "Мастчоҳ", "Зафаробод",
};
static const char *const districts_kt[] = {
	"Бохтар", "Кӯлоб", "Данғара", "Восеъ", "Ҷалолиддини Балхӣ", "Шаҳритус", "Қубодиён",
	"Ҷайҳун", "Фархор", "Балҷувон", "Мӯъминобод", "Норак",
};
static const char *const districts_du[] = {
	"Душанбе, ноҳияи Сино", "Душанбе, ноҳияи Шоҳмансур", "Душанбе, ноҳияи Фирдавсӣ",
	"Душанбе, ноҳияи Исмоили Сомонӣ",
};
static const char *const districts_ra[] = {
	"Ваҳдат", "Ҳисор", "Рашт", "Файзобод", "Турсунзода", "Рӯдакӣ", "Варзоб", "Шаҳринав",
	"Тоҷикобод", "Лахш", "Нуробод",
};
static const char *const districts_gb[] = {
	"Хоруғ", "Ишкошим", "Ванҷ", "Рӯшон", "Дарвоз", "Шуғнон", "Роштқалъа", "Мурғоб",
};

static const struct place_list districts[] = {
	{"TJ-SU", districts_su, COUNT(districts_su)},
	{"TJ-KT", districts_kt, COUNT(districts_kt)},
	{"TJ-DU", districts_du, COUNT(districts_du)},
	{"TJ-RA", districts_ra, COUNT(districts_ra)},
	{"TJ-GB", districts_gb, COUNT(districts_gb)},
};

static const char *const cities_ru[] = {
	"Москва", "Московская обл., Подольск", "Санкт-Петербург", "Екатеринбург", "Новосибирск",
	"Сургут", "Казань", "Красноярск", "Тюмень", "Moscow",
};
static const char *const cities_kz[] = {"Алматы", "Астана", "Шымкент", "Almaty"};
static const char *const cities_ae[] = {"Дубай", "Шарджа", "Dubai", "Sharjah", "Ajman"};
static const char *const cities_sa[] = {"Эр-Рияд", "Джидда", "Riyadh", "Dammam"};
static const char *const cities_tr[] = {"Стамбул", "Istanbul", "Анталья", "Antalya"};
static const char *const cities_af[] = {"Кундуз", "Мазори Шариф", "Тахор"};
static const char *const cities_kr[] = {"Сеул", "Ансан", "Ansan"};

static const struct place_list cities[] = {
	{"RU", cities_ru, COUNT(cities_ru)}, {"KZ", cities_kz, COUNT(cities_kz)},
	{"AE", cities_ae, COUNT(cities_ae)}, {"SA", cities_sa, COUNT(cities_sa)},
	{"TR", cities_tr, COUNT(cities_tr)}, {"AF", cities_af, COUNT(cities_af)},
	{"KR", cities_kr, COUNT(cities_kr)},
};

static const char *pick_place(struct demo_rng *r, const struct place_list *lists, size_t n,
			      const char *code)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(lists[i].code, code))
			return lists[i].names[demo_rng_below(r, (unsigned)lists[i].n)];
	return "";
}

const char *demo_district(struct demo_rng *r, const char *region)
{
	return pick_place(r, districts, COUNT(districts), region);
}

const char *demo_city(struct demo_rng *r, const char *country)
{
	return pick_place(r, cities, COUNT(cities), country);
}

void demo_address(struct demo_rng *r, const char *district, char *out, size_t outlen)
{
	static const char *const villages[] = {
		"Гулистон", "Навбаҳор", "Ҳаёти нав", "Дӯстӣ", "Гулшан", "Ободӣ", "Истиқлол",
		"Чорбоғ", "Сурхоб", "Ғалаба",
	};
	static const char *const streets[] = {
		"Рӯдакӣ", "Исмоили Сомонӣ", "Айнӣ", "Фирдавсӣ", "Бобоҷон Ғафуров",
		"Мирзо Турсунзода", "Дӯстии халқҳо", "Истиқлол", "Шоҳтемур", "Саъдии Шерозӣ",
	};
	const char *street = streets[demo_rng_below(r, COUNT(streets))];
	unsigned house = 1 + demo_rng_below(r, 120);

	if (!strncmp(district, "Душанбе", 14) || demo_rng_pct(r, 30))
		snprintf(out, outlen, "%s, кӯчаи %s %u, ҳуҷраи %u", district, street, house,
			 1 + demo_rng_below(r, 90));
	else
		snprintf(out, outlen, "ноҳияи %s, деҳаи %s, кӯчаи %s %u", district,
			 villages[demo_rng_below(r, COUNT(villages))], street, house);
}
