/*
 * linkage.c - Fellegi-Sunter record linkage with EM-estimated m and u
 * probabilities, several blocking keys, and comparators that tolerate the
 * errors of hand-typed registers (see linkage.h for the model).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/linkage.h"
#include "domain/namekey.h"

/* ==== preparing a record ================================================= */

/* The word keys of a name, concatenated (sep 0: none), cut to cap - 1. */
static void fold_words(const char *text, char *out, size_t cap, char sep)
{
	char keys[NAMEKEY_WORDS][NAMEKEY_MAX];
	size_t n = namekey_words(text, keys, 6), i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t k = strlen(keys[i]);
		if (sep && len && len + 1 < cap)
			out[len++] = sep;
		if (len + k >= cap)
			k = cap - 1 - len;
		memcpy(out + len, keys[i], k);
		len += k;
		out[len] = '\0';
	}
}

/* ASCII letters and digits, lower case, nothing else (codes, numbers).
 * A trailing ".0" goes first: FEBRL street numbers read back from a
 * spreadsheet as "7.0". */
static void fold_code(const char *text, char *out, size_t cap)
{
	size_t len = 0, n = text ? strlen(text) : 0, i;

	while (n && text[n - 1] == ' ')
		n--;
	if (n > 2 && !memcmp(text + n - 2, ".0", 2))
		n -= 2;
	for (i = 0; i < n && len + 1 < cap; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[len++] = (char)c;
	}
	out[len] = '\0';
}

static uint64_t token64(const unsigned char *t)
{
	uint64_t v = 0;
	size_t i;
	if (!t)
		return 0;
	for (i = 0; i < 8; i++)
		v = v << 8 | t[i];
	return v ? v : 1;
}

static uint8_t parse_sex(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!p)
		return 0;
	while (*p == ' ')
		p++;
	switch (*p) {
	case 'f': case 'F': case 'w': case 'W': return 1;
	case 'm': case 'M': return 2;
	case 0xd0: /* Cyrillic: ж з (woman, зан) / м (man, мард) */
		if (p[1] == 0xb6 || p[1] == 0x96 || p[1] == 0xb7 || p[1] == 0x97)
			return 1;
		if (p[1] == 0xbc || p[1] == 0x9c)
			return 2;
		return 0;
	default: return 0;
	}
}

/* Digit groups of a date: "1990-05-01", "19900501", "01.05.1990", "1990". */
static void parse_date(const char *s, uint16_t *y, uint8_t *m, uint8_t *d)
{
	unsigned g[3] = {0, 0, 0}, glen[3] = {0, 0, 0}, n = 0;
	const char *p;

	*y = 0;
	*m = *d = 0;
	if (!s)
		return;
	for (p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == 3)
				return;
			if (glen[n] >= 8)
				return;
			g[n] = g[n] * 10 + (unsigned)(*p - '0');
			glen[n]++;
		} else if (glen[n] && n < 3) {
			n++;
		}
	}
	if (n < 3 && glen[n])
		n++;
	if (n == 1 && glen[0] == 8) {
		unsigned v = g[0];
		if (v / 1000000 == 19 || v / 1000000 == 20) { /* YYYYMMDD */
			*y = (uint16_t)(v / 10000);
			*m = (uint8_t)(v / 100 % 100);
			*d = (uint8_t)(v % 100);
		} else { /* DDMMYYYY */
			*d = (uint8_t)(v / 1000000);
			*m = (uint8_t)(v / 10000 % 100);
			*y = (uint16_t)(v % 10000);
		}
	} else if (n == 1 && glen[0] == 4) {
		*y = (uint16_t)g[0];
	} else if (n == 3 && glen[0] == 4 && glen[1] <= 2 && glen[2] <= 2) {
		*y = (uint16_t)g[0];
		*m = (uint8_t)g[1];
		*d = (uint8_t)g[2];
	} else if (n == 3 && glen[2] == 4 && glen[0] <= 2 && glen[1] <= 2) {
		*d = (uint8_t)g[0];
		*m = (uint8_t)g[1];
		*y = (uint16_t)g[2];
	}
	if (*y < 1000)
		*y = 0, *m = 0, *d = 0;
}

void link_record_make(struct link_record *r, const struct link_person *p)
{
	memset(r, 0, sizeof *r);
	fold_words(p->given_name, r->given, sizeof r->given, 0);
	fold_words(p->family_name, r->family, sizeof r->family, 0);
	fold_words(p->patronymic, r->patronymic, sizeof r->patronymic, 0);
	fold_words(p->address, r->address, sizeof r->address, ' ');
	fold_words(p->district, r->district, sizeof r->district, 0); /* "Фай зобод" */
	fold_code(p->street_number, r->street, sizeof r->street);
	fold_code(p->postcode, r->postcode, sizeof r->postcode);
	fold_words(p->region, r->region, sizeof r->region, 0);
	if (!r->region[0])
		fold_code(p->region, r->region, sizeof r->region);
	r->phone = token64(p->phone_token);
	r->document = token64(p->document_token);
	parse_date(p->birth_date, &r->year, &r->month, &r->day);
	if (p->birth_year_estimate > 1000 && p->birth_year_estimate < 3000)
		r->year_estimate = (uint16_t)p->birth_year_estimate;
	r->sex = parse_sex(p->sex);
}

/* ==== comparators ======================================================== */

double link_jaro_winkler(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, k, matches = 0, trans = 0, prefix = 0;
	unsigned char ma[128], mb[128];
	size_t window;
	double jaro;

	if (!la || !lb)
		return 0.0;
	if (la > sizeof ma)
		la = sizeof ma;
	if (lb > sizeof mb)
		lb = sizeof mb;
	if (la == lb && !memcmp(a, b, la))
		return 1.0;
	memset(ma, 0, la);
	memset(mb, 0, lb);
	window = (la > lb ? la : lb) / 2;
	window = window ? window - 1 : 0;
	for (i = 0; i < la; i++) {
		size_t lo = i > window ? i - window : 0, hi = i + window + 1 < lb ? i + window + 1 : lb;
		for (j = lo; j < hi; j++) {
			if (mb[j] || a[i] != b[j])
				continue;
			ma[i] = mb[j] = 1;
			matches++;
			break;
		}
	}
	if (!matches)
		return 0.0;
	for (i = 0, k = 0; i < la; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			trans++;
		k++;
	}
	jaro = ((double)matches / (double)la + (double)matches / (double)lb +
		((double)matches - (double)trans / 2.0) / (double)matches) / 3.0;
	while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
		prefix++;
	return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* Positions at which two equally long strings differ: 0, 1, 2 (= more),
 * or 3 for exactly one transposition of neighbours. */
static int digit_distance(const char *x, const char *y, size_t n)
{
	size_t i, diff = 0, first = 0;
	for (i = 0; i < n; i++)
		if (x[i] != y[i]) {
			if (!diff)
				first = i;
			diff++;
		}
	if (diff == 2 && first + 1 < n && x[first] == y[first + 1] && x[first + 1] == y[first])
		return 3;
	return diff > 2 ? 2 : (int)diff;
}

enum link_date_level link_compare_dates(unsigned y1, unsigned m1, unsigned d1,
					unsigned y2, unsigned m2, unsigned d2)
{
	char s1[16], s2[16];
	unsigned dy = y1 > y2 ? y1 - y2 : y2 - y1;
	int dist;
	size_t i;

	if (!m1 || !d1 || !m2 || !d2)
		return y1 == y2 || dy == 1 ? LINK_DATE_YEAR : LINK_DATE_DIFFERENT;
	if (y1 == y2 && m1 == m2 && d1 == d2)
		return LINK_DATE_EXACT;
	if (y1 == y2 && m1 == d2 && d1 == m2)
		return LINK_DATE_TYPO; /* day-first once, month-first once */
	if (dy == 1 && m1 == m2 && d1 == d2)
		return LINK_DATE_TYPO;
	for (i = 0; i < 8; i++) { /* YYYYMMDD from the numbers as written */
		unsigned v1 = i < 4 ? y1 : i < 6 ? m1 : d1, v2 = i < 4 ? y2 : i < 6 ? m2 : d2;
		unsigned div = i < 4 ? (unsigned)(i == 0 ? 1000 : i == 1 ? 100 : i == 2 ? 10 : 1)
				     : (i == 4 || i == 6) ? 10 : 1;
		s1[i] = (char)('0' + v1 / div % 10);
		s2[i] = (char)('0' + v2 / div % 10);
	}
	dist = digit_distance(s1, s2, 8);
	if (dist == 1 || dist == 3)
		return LINK_DATE_TYPO;
	return y1 == y2 ? LINK_DATE_YEAR : LINK_DATE_DIFFERENT;
}

/* Names: 0 keys equal, 1 JW >= 0.92, 2 JW >= 0.80, 3 else. */
static uint8_t name_level(const char *a, const char *b)
{
	double jw;
	if (!a[0] || !b[0])
		return LINK_MISSING;
	if (!strcmp(a, b))
		return 0;
	jw = link_jaro_winkler(a, b);
	return jw >= 0.92 ? 1 : jw >= 0.80 ? 2 : 3;
}

/* Address-like text: 0 equal, 1 JW >= 0.90, 2 else. */
static uint8_t text_level(const char *a, const char *b)
{
	if (!a[0] || !b[0])
		return LINK_MISSING;
	if (!strcmp(a, b))
		return 0;
	return link_jaro_winkler(a, b) >= 0.90 ? 1 : 2;
}

static uint8_t equal_level(const char *a, const char *b)
{
	if (!a[0] || !b[0])
		return LINK_MISSING;
	return strcmp(a, b) ? 1 : 0;
}

static uint8_t token_level(uint64_t a, uint64_t b)
{
	if (!a || !b)
		return LINK_MISSING;
	return a == b ? 0 : 1;
}

static uint8_t postcode_level(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int d;
	if (!la || !lb)
		return LINK_MISSING;
	if (la != lb)
		return 2;
	d = digit_distance(a, b, la);
	return d == 0 ? 0 : (d == 1 || d == 3) ? 1 : 2;
}

static uint8_t birth_level(const struct link_record *a, const struct link_record *b)
{
	unsigned ya = a->year ? a->year : a->year_estimate;
	unsigned yb = b->year ? b->year : b->year_estimate;
	if (a->year && b->year)
		return (uint8_t)link_compare_dates(a->year, a->month, a->day, b->year, b->month,
						   b->day);
	if (!ya || !yb)
		return LINK_MISSING;
	/* an estimated age on at least one side */
	return (ya > yb ? ya - yb : yb - ya) <= 2 ? LINK_DATE_YEAR : LINK_DATE_DIFFERENT;
}

/* Street and number: 0 street agrees, number agrees or unknown; 1 street
 * agrees, number differs; 2 number only; 3 neither. */
static uint8_t address_level(const struct link_record *a, const struct link_record *b)
{
	uint8_t num = equal_level(a->street, b->street), text = text_level(a->address, b->address);
	if (num == LINK_MISSING && text == LINK_MISSING)
		return LINK_MISSING;
	if (text != LINK_MISSING && text <= 1)
		return num == 1 ? 1 : 0;
	return num == 0 ? 2 : 3;
}

/* Postcode and district: 0 every part known on both sides agrees; 1 some
 * part agrees or the postcode is near; 2 none. */
static uint8_t locality_level(const struct link_record *a, const struct link_record *b)
{
	uint8_t pc = postcode_level(a->postcode, b->postcode);
	uint8_t di = text_level(a->district, b->district);
	int pc_ok = pc == 0 || pc == LINK_MISSING, di_ok = di == LINK_MISSING || di <= 1;
	if (pc == LINK_MISSING && di == LINK_MISSING)
		return LINK_MISSING;
	if (pc_ok && di_ok)
		return 0;
	return pc == 0 || pc == 1 || (di != LINK_MISSING && di <= 1) ? 1 : 2;
}

void link_compare(const struct link_record *a, const struct link_record *b,
		  uint8_t lv[LINK_FIELDS])
{
	uint8_t g = name_level(a->given, b->given), f = name_level(a->family, b->family);

	/* Given and family names written in each other's place. */
	if ((g != 0 || f != 0) && g != LINK_MISSING && f != LINK_MISSING) {
		uint8_t gx = name_level(a->given, b->family), fx = name_level(a->family, b->given);
		if (gx + fx < g + f)
			g = gx, f = fx;
	}
	lv[LF_GIVEN] = g;
	lv[LF_FAMILY] = f;
	lv[LF_PATRONYMIC] = name_level(a->patronymic, b->patronymic);
	lv[LF_BIRTH] = birth_level(a, b);
	lv[LF_SEX] = a->sex && b->sex ? (a->sex == b->sex ? 0 : 1) : LINK_MISSING;
	lv[LF_PHONE] = token_level(a->phone, b->phone);
	lv[LF_DOCUMENT] = token_level(a->document, b->document);
	lv[LF_ADDRESS] = address_level(a, b);
	lv[LF_LOCALITY] = locality_level(a, b);
	lv[LF_REGION] = equal_level(a->region, b->region);
}

static const struct {
	const char *name;
	unsigned levels;
} fields[LINK_FIELDS] = {
	[LF_GIVEN] = {"given_name", 4},        [LF_FAMILY] = {"family_name", 4},
	[LF_PATRONYMIC] = {"patronymic", 4},   [LF_BIRTH] = {"birth_date", 4},
	[LF_SEX] = {"sex", 2},                 [LF_PHONE] = {"phone", 2},
	[LF_DOCUMENT] = {"document", 2},       [LF_ADDRESS] = {"address", 4},
	[LF_LOCALITY] = {"locality", 3},       [LF_REGION] = {"region", 2},
};

unsigned link_field_levels(enum link_field f)
{
	return fields[f].levels;
}

const char *link_field_name(enum link_field f)
{
	return fields[f].name;
}

/* ==== patterns =========================================================== */

uint32_t link_pattern_code(const uint8_t lv[LINK_FIELDS])
{
	uint32_t code = 0;
	int f;
	for (f = LINK_FIELDS - 1; f >= 0; f--)
		code = code * 5 + (lv[f] == LINK_MISSING ? 0 : (uint32_t)lv[f] + 1);
	return code + 1; /* 0 marks an empty slot */
}

void link_pattern_levels(uint32_t code, uint8_t lv[LINK_FIELDS])
{
	int f;
	code--;
	for (f = 0; f < LINK_FIELDS; f++) {
		uint32_t d = code % 5;
		lv[f] = d ? (uint8_t)(d - 1) : LINK_MISSING;
		code /= 5;
	}
}

void link_patterns_init(struct link_patterns *pt)
{
	memset(pt, 0, sizeof *pt);
}

void link_patterns_free(struct link_patterns *pt)
{
	free(pt->code);
	free(pt->count);
	link_patterns_init(pt);
}

static size_t slot_of(const uint32_t *table, size_t cap, uint32_t code)
{
	size_t i = (size_t)(code * 2654435761u) & (cap - 1);
	while (table[i] && table[i] != code)
		i = (i + 1) & (cap - 1);
	return i;
}

static int patterns_grow(struct link_patterns *pt)
{
	size_t cap = pt->cap ? pt->cap * 2 : 1024, i;
	uint32_t *code = calloc(cap, sizeof *code);
	uint64_t *count = calloc(cap, sizeof *count);

	if (!code || !count) {
		free(code);
		free(count);
		return -1;
	}
	for (i = 0; i < pt->cap; i++)
		if (pt->code[i]) {
			size_t s = slot_of(code, cap, pt->code[i]);
			code[s] = pt->code[i];
			count[s] = pt->count[i];
		}
	free(pt->code);
	free(pt->count);
	pt->code = code;
	pt->count = count;
	pt->cap = cap;
	return 0;
}

void link_patterns_add(struct link_patterns *pt, const uint8_t lv[LINK_FIELDS], uint64_t n)
{
	uint32_t code = link_pattern_code(lv);
	size_t s;

	if (pt->failed)
		return;
	if ((pt->used + 1) * 2 > pt->cap && patterns_grow(pt) != 0) {
		pt->failed = 1;
		return;
	}
	s = slot_of(pt->code, pt->cap, code);
	if (!pt->code[s]) {
		pt->code[s] = code;
		pt->used++;
	}
	pt->count[s] += n;
	pt->total += n;
}

/* ==== the model ========================================================== */

#define PROB_FLOOR 1e-6

double link_weight(const struct link_model *model, const uint8_t lv[LINK_FIELDS])
{
	double w = 0;
	int f;
	for (f = 0; f < LINK_FIELDS; f++)
		if (lv[f] != LINK_MISSING)
			w += log2(model->m[f][lv[f]] / model->u[f][lv[f]]);
	return w;
}

double link_probability(const struct link_model *model, const uint8_t lv[LINK_FIELDS])
{
	double w = link_weight(model, lv);
	double odds = exp2(w) * model->p / (1.0 - model->p);
	return isinf(odds) ? 1.0 : odds / (1.0 + odds);
}

/* Normalise one field's level probabilities, none below PROB_FLOOR. */
static void normalise(double *v, unsigned n)
{
	double sum = 0;
	unsigned l;
	for (l = 0; l < n; l++)
		sum += v[l];
	for (l = 0; l < n; l++) {
		v[l] = sum > 0 ? v[l] / sum : 1.0 / n;
		if (v[l] < PROB_FLOOR)
			v[l] = PROB_FLOOR;
	}
}

static void em_start(struct link_model *model, const struct link_patterns *random, double p0)
{
	int f;
	unsigned l;
	size_t i;

	memset(model, 0, sizeof *model);
	model->p = p0;
	for (f = 0; f < LINK_FIELDS; f++) {
		unsigned n = fields[f].levels;
		for (l = 0; l < n; l++) {
			/* m: mostly agreement, the rest spread over the other levels */
			model->m[f][l] = l == 0 ? 0.9 : 0.1 / (n - 1);
			model->u[f][l] = l + 1 == n ? 0.9 : 0.1 / (n - 1);
		}
	}
	if (!random || !random->total)
		return;
	{
		double u[LINK_FIELDS][LINK_LEVELS];
		memset(u, 0, sizeof u);
		for (i = 0; i < random->cap; i++) {
			uint8_t lv[LINK_FIELDS];
			if (!random->code[i])
				continue;
			link_pattern_levels(random->code[i], lv);
			for (f = 0; f < LINK_FIELDS; f++)
				if (lv[f] != LINK_MISSING)
					u[f][lv[f]] += (double)random->count[i];
		}
		for (f = 0; f < LINK_FIELDS; f++) {
			for (l = 0; l < fields[f].levels; l++)
				u[f][l] += 0.5; /* a level never seen is rare, not impossible */
			normalise(u[f], fields[f].levels);
			memcpy(model->u[f], u[f], sizeof u[f]);
		}
	}
}

int link_em(struct link_model *model, const struct link_patterns *pt,
	    const struct link_patterns *random, double p0)
{
	size_t i;
	unsigned it, l;
	int f;

	if (!pt->total)
		return -1;
	if (!(p0 > 0 && p0 < 1))
		p0 = 0.1;
	em_start(model, random, p0);
	for (it = 0; it < 500; it++) {
		double m[LINK_FIELDS][LINK_LEVELS], u[LINK_FIELDS][LINK_LEVELS];
		double sm = 0, total = 0, change = 0;

		memset(m, 0, sizeof m);
		memset(u, 0, sizeof u);
		for (i = 0; i < pt->cap; i++) {
			uint8_t lv[LINK_FIELDS];
			double pm = model->p, pu = 1.0 - model->p, g, c;
			if (!pt->code[i])
				continue;
			link_pattern_levels(pt->code[i], lv);
			for (f = 0; f < LINK_FIELDS; f++)
				if (lv[f] != LINK_MISSING) {
					pm *= model->m[f][lv[f]];
					pu *= model->u[f][lv[f]];
				}
			g = pm + pu > 0 ? pm / (pm + pu) : 0;
			c = (double)pt->count[i];
			sm += c * g;
			total += c;
			for (f = 0; f < LINK_FIELDS; f++)
				if (lv[f] != LINK_MISSING) {
					m[f][lv[f]] += c * g;
					u[f][lv[f]] += c * (1 - g);
				}
		}
		for (f = 0; f < LINK_FIELDS; f++) {
			normalise(m[f], fields[f].levels);
			normalise(u[f], fields[f].levels);
			for (l = 0; l < fields[f].levels; l++) {
				change = fmax(change, fabs(m[f][l] - model->m[f][l]));
				change = fmax(change, fabs(u[f][l] - model->u[f][l]));
			}
		}
		memcpy(model->m, m, sizeof m);
		memcpy(model->u, u, sizeof u);
		sm /= total;
		change = fmax(change, fabs(sm - model->p));
		model->p = fmin(fmax(sm, 1e-9), 1 - 1e-9);
		model->iterations = it + 1;
		if (change < 1e-7)
			break;
	}
	/* EM may name the classes the other way round: the matches are the
	 * class whose names agree more often. */
	if (model->m[LF_FAMILY][0] + model->m[LF_GIVEN][0] + model->m[LF_BIRTH][0] <
	    model->u[LF_FAMILY][0] + model->u[LF_GIVEN][0] + model->u[LF_BIRTH][0]) {
		double tmp[LINK_FIELDS][LINK_LEVELS];
		memcpy(tmp, model->m, sizeof tmp);
		memcpy(model->m, model->u, sizeof tmp);
		memcpy(model->u, tmp, sizeof tmp);
		model->p = 1 - model->p;
	}
	model->threshold = log2((1 - model->p) / model->p);
	return 0;
}

/* ==== blocking =========================================================== */

struct hasher {
	uint64_t h;
	int any; /* 0 once a required part was empty */
};

static void hash_bytes(struct hasher *hs, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;
	for (i = 0; i < n; i++) {
		hs->h ^= s[i];
		hs->h *= 1099511628211ull;
	}
	hs->h ^= 0xff; /* a separator, so "ab"+"c" != "a"+"bc" */
	hs->h *= 1099511628211ull;
}

static void hash_str(struct hasher *hs, const char *s)
{
	if (!s[0])
		hs->any = 0;
	hash_bytes(hs, s, strlen(s));
}

static void hash_initial(struct hasher *hs, const char *s)
{
	if (!s[0])
		hs->any = 0;
	hash_bytes(hs, s, s[0] ? 1 : 0);
}

static void hash_num(struct hasher *hs, unsigned v)
{
	if (!v)
		hs->any = 0;
	hash_bytes(hs, &v, sizeof v);
}

/* Day and month in either order (a swap keeps the key). */
static void hash_daymonth(struct hasher *hs, const struct link_record *r)
{
	unsigned lo = r->month < r->day ? r->month : r->day;
	unsigned hi = r->month < r->day ? r->day : r->month;
	hash_num(hs, lo);
	hash_num(hs, hi);
}

static uint64_t block_key(const struct link_record *r, int k)
{
	struct hasher hs = {14695981039346656037ull, 1};
	hash_bytes(&hs, &k, sizeof k);
	switch (k) {
	case 0: hash_str(&hs, r->family); hash_initial(&hs, r->given); hash_num(&hs, r->year); break;
	case 1: hash_str(&hs, r->given); hash_initial(&hs, r->family); hash_str(&hs, r->postcode); break;
	case 2: hash_num(&hs, r->year); hash_daymonth(&hs, r); hash_initial(&hs, r->family); break;
	case 3: if (!r->document) return 0; hash_bytes(&hs, &r->document, 8); break;
	case 4: if (!r->phone) return 0; hash_bytes(&hs, &r->phone, 8); break;
	case 5: hash_str(&hs, r->postcode); hash_str(&hs, r->street); break;
	case 6: {
		int lt = strcmp(r->given, r->family) < 0;
		hash_str(&hs, lt ? r->given : r->family);
		hash_str(&hs, lt ? r->family : r->given);
		hash_num(&hs, r->year);
		break;
	}
	case 7: hash_str(&hs, r->district); hash_str(&hs, r->family); hash_initial(&hs, r->given); break;
	case 8: hash_str(&hs, r->family); hash_initial(&hs, r->given); hash_daymonth(&hs, r); break;
	case 9: hash_str(&hs, r->given); hash_num(&hs, r->year); hash_daymonth(&hs, r); break;
	case 10: hash_str(&hs, r->patronymic); hash_num(&hs, r->year); hash_daymonth(&hs, r); break;
	case 11: case 12: { /* either name, in either field, + the other's
			     * initial + day and month */
		int lt = strcmp(r->given, r->family) < 0;
		hash_str(&hs, (k == 11) == lt ? r->given : r->family);
		hash_initial(&hs, (k == 11) == lt ? r->family : r->given);
		hash_daymonth(&hs, r);
		break;
	}
	case 13: hash_str(&hs, r->district); hash_str(&hs, r->address); hash_str(&hs, r->street); break;
	case 14: hash_str(&hs, r->given); hash_str(&hs, r->patronymic); hash_initial(&hs, r->family); break;
	case 15: hash_str(&hs, r->given); hash_str(&hs, r->patronymic); hash_str(&hs, r->street); break;
	default: return 0;
	}
	if (!hs.any)
		return 0;
	return hs.h ? hs.h : 1;
}

/* Block keys are kept as 32-bit hashes, LINK_KEYS per record, computed
 * once: two different keys meeting on one hash only add a few pairs to a
 * block, and 0 stays "no key". */
static uint32_t key32(uint64_t h)
{
	uint32_t v = (uint32_t)(h ^ (h >> 32));
	return h ? (v ? v : 1) : 0;
}

struct entry {
	uint32_t h;
	uint32_t idx; /* record index, side in the top bit */
};

#define SIDE_B 0x80000000u

/* Sort e[0..n) by hash, keeping the order of equal hashes (side a, then
 * side b, each by index, as they were put in): LSD radix sort, four
 * passes of 8 bits through tmp. */
static void entries_sort(struct entry *e, struct entry *tmp, size_t n)
{
	unsigned shift;

	if (!n)
		return; /* e and tmp may be NULL */
	for (shift = 0; shift < 32; shift += 8) {
		size_t count[257] = {0}, i;
		for (i = 0; i < n; i++)
			count[((e[i].h >> shift) & 0xff) + 1]++;
		for (i = 1; i < 257; i++)
			count[i] += count[i - 1];
		for (i = 0; i < n; i++)
			tmp[count[(e[i].h >> shift) & 0xff]++] = e[i];
		memcpy(e, tmp, n * sizeof *e);
	}
}

/* Hashes of the blocks skipped for one key, ascending. */
struct skipped {
	uint32_t *h;
	size_t n, cap;
};

static int skipped_has(const struct skipped *s, uint32_t h)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->h[mid] == h)
			return 1;
		if (s->h[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int skipped_push(struct skipped *s, uint32_t h)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint32_t *p = realloc(s->h, cap * sizeof *p);
		if (!p)
			return -1;
		s->h = p;
		s->cap = cap;
	}
	s->h[s->n++] = h;
	return 0;
}

struct block_walk {
	uint32_t *keys_a, *keys_b; /* LINK_KEYS per record */
	int dedup;
	uint64_t max_pairs;
	link_pair_fn fn;
	void *ctx;
	struct link_stats *st;
	struct skipped skip[LINK_KEYS];
};

/* 1 when an earlier key already brought the pair together. */
static int seen_before(const struct block_walk *w, const uint32_t *x, const uint32_t *y, int k)
{
	int e;
	for (e = 0; e < k; e++)
		if (x[e] && x[e] == y[e] && !skipped_has(&w->skip[e], x[e]))
			return 1;
	return 0;
}

/* The pairs of one block e[0..n) (sorted: side a first). */
static int walk_block(struct block_walk *w, int k, const struct entry *e, size_t n)
{
	size_t na = 0, i, j;
	uint64_t pairs;

	while (na < n && !(e[na].idx & SIDE_B))
		na++;
	pairs = w->dedup ? (uint64_t)n * (n - 1) / 2 : (uint64_t)na * (n - na);
	if (!pairs)
		return 0;
	if (pairs > w->max_pairs) {
		w->st->skipped_blocks++;
		return skipped_push(&w->skip[k], e[0].h);
	}
	for (i = 0; i < na; i++)
		for (j = w->dedup ? i + 1 : na; j < n; j++) {
			uint32_t x = e[i].idx, y = e[j].idx & ~SIDE_B;
			const uint32_t *ky = w->dedup ? w->keys_a + (size_t)y * LINK_KEYS
						      : w->keys_b + (size_t)y * LINK_KEYS;
			int rc;
			if (seen_before(w, w->keys_a + (size_t)x * LINK_KEYS, ky, k))
				continue;
			w->st->candidates++;
			rc = w->fn(w->ctx, x, y);
			if (rc)
				return rc;
		}
	return 0;
}

static uint32_t *keys_of(const struct link_record *r, size_t n)
{
	uint32_t *keys = malloc((n ? n : 1) * LINK_KEYS * sizeof *keys);
	size_t i;
	int k;
	if (!keys)
		return NULL;
	for (i = 0; i < n; i++)
		for (k = 0; k < LINK_KEYS; k++)
			keys[i * LINK_KEYS + k] = key32(block_key(&r[i], k));
	return keys;
}

int link_block_pairs(const struct link_record *a, size_t na, const struct link_record *b,
		     size_t nb, uint64_t max_block_pairs, link_pair_fn fn, void *ctx,
		     struct link_stats *st)
{
	struct block_walk w;
	struct link_stats dummy;
	struct entry *e = NULL, *tmp = NULL;
	size_t n, i, start;
	int k, rc = -1;

	if (na >= SIDE_B || nb >= SIDE_B)
		return -1;
	memset(&w, 0, sizeof w);
	memset(&dummy, 0, sizeof dummy);
	w.dedup = b == NULL;
	w.max_pairs = max_block_pairs ? max_block_pairs : 10000;
	w.fn = fn;
	w.ctx = ctx;
	w.st = st ? st : &dummy;
	w.keys_a = keys_of(a, na);
	w.keys_b = b ? keys_of(b, nb) : NULL;
	e = malloc((na + (b ? nb : 0) + 1) * sizeof *e);
	tmp = malloc((na + (b ? nb : 0) + 1) * sizeof *tmp);
	if (!w.keys_a || (b && !w.keys_b) || !e || !tmp)
		goto out;
	rc = 0;
	for (k = 0; k < LINK_KEYS && !rc; k++) {
		n = 0;
		for (i = 0; i < na; i++)
			if (w.keys_a[i * LINK_KEYS + k])
				e[n++] = (struct entry){w.keys_a[i * LINK_KEYS + k], (uint32_t)i};
		for (i = 0; b && i < nb; i++)
			if (w.keys_b[i * LINK_KEYS + k])
				e[n++] = (struct entry){w.keys_b[i * LINK_KEYS + k],
							(uint32_t)i | SIDE_B};
		entries_sort(e, tmp, n);
		for (start = 0; start < n && !rc; start = i) {
			for (i = start + 1; i < n && e[i].h == e[start].h; i++)
				;
			rc = walk_block(&w, k, e + start, i - start);
		}
	}
out:
	free(e);
	free(tmp);
	free(w.keys_a);
	free(w.keys_b);
	for (k = 0; k < LINK_KEYS; k++)
		free(w.skip[k].h);
	return rc;
}

/* ==== the whole run ====================================================== */

#define LINK_EM_PAIRS 2000000 /* candidate pairs EM learns from, at most about */

struct run {
	const struct link_record *a, *b;
	uint64_t sample_every; /* pass 1 compares one candidate pair in this many */
	struct link_patterns pt;
	double weight[LINK_FIELDS][LINK_LEVELS];
	double threshold;
	link_match_fn match;
	void *ctx;
	struct link_stats *st;
};

static int count_nothing(void *ctx, uint32_t i, uint32_t j)
{
	(void)ctx;
	(void)i;
	(void)j;
	return 0;
}

/* A fixed pseudo-random choice of pairs (by their indexes), so that the
 * sample does not depend on the order of blocking. */
static int sampled(uint64_t every, uint32_t i, uint32_t j)
{
	uint64_t z = ((uint64_t)i << 32 | j) * 0x9e3779b97f4a7c15ull;
	z ^= z >> 29;
	z *= 0xbf58476d1ce4e5b9ull;
	z ^= z >> 32;
	return every <= 1 || z % every == 0;
}

static int count_pattern(void *ctx, uint32_t i, uint32_t j)
{
	struct run *r = ctx;
	uint8_t lv[LINK_FIELDS];
	if (!sampled(r->sample_every, i, j))
		return 0;
	link_compare(&r->a[i], r->b ? &r->b[j] : &r->a[j], lv);
	link_patterns_add(&r->pt, lv, 1);
	return r->pt.failed ? -1 : 0;
}

static int score_pair(void *ctx, uint32_t i, uint32_t j)
{
	struct run *r = ctx;
	uint8_t lv[LINK_FIELDS];
	double w = 0;
	int f;

	link_compare(&r->a[i], r->b ? &r->b[j] : &r->a[j], lv);
	for (f = 0; f < LINK_FIELDS; f++)
		if (lv[f] != LINK_MISSING)
			w += r->weight[f][lv[f]];
	if (w < r->threshold)
		return 0;
	r->st->matches++;
	return r->match(r->ctx, i, j, w);
}

static uint64_t next_random(uint64_t *s)
{
	/* splitmix64 */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Patterns of random pairs: nearly all non-matches, so they start u. */
static void random_patterns(const struct link_record *a, size_t na, const struct link_record *b,
			    size_t nb, uint64_t seed, struct link_patterns *out)
{
	const struct link_record *other = b ? b : a;
	size_t no = b ? nb : na, t, tries = 200000;
	uint64_t s = seed ? seed : 0x48696d6f7961ull;

	for (t = 0; t < tries && na && no; t++) {
		size_t i = (size_t)(next_random(&s) % na), j = (size_t)(next_random(&s) % no);
		uint8_t lv[LINK_FIELDS];
		if (!b && i == j)
			continue;
		link_compare(&a[i], &other[j], lv);
		link_patterns_add(out, lv, 1);
	}
}

int link_run(const struct link_record *a, size_t na, const struct link_record *b, size_t nb,
	     const struct link_options *opt, struct link_model *model, link_match_fn match,
	     void *ctx, struct link_stats *st)
{
	struct run r;
	struct link_patterns rnd;
	struct link_stats dummy;
	uint64_t candidates;
	double p0;
	int rc, f;
	unsigned l;

	memset(&r, 0, sizeof r);
	memset(&dummy, 0, sizeof dummy);
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof *st);
	r.a = a;
	r.b = b;
	r.match = match;
	r.ctx = ctx;
	r.st = st;
	link_patterns_init(&r.pt);
	link_patterns_init(&rnd);

	/* EM needs the patterns' proportions, not every pair: past
	 * LINK_EM_PAIRS candidates it learns from an even sample of them. */
	rc = link_block_pairs(a, na, b, nb, opt->max_block_pairs, count_nothing, &r, st);
	if (rc)
		goto out;
	r.sample_every = st->candidates / LINK_EM_PAIRS + 1;
	candidates = st->candidates;
	st->candidates = 0;
	st->skipped_blocks = 0;
	rc = link_block_pairs(a, na, b, nb, opt->max_block_pairs, count_pattern, &r, st);
	if (rc)
		goto out;
	st->candidates = candidates;
	random_patterns(a, na, b, nb, opt->seed, &rnd);
	/* Start p at "every record has one match among the candidates". */
	p0 = st->candidates ? (double)(b ? (na < nb ? na : nb) : na / 2 + 1) /
				      (double)st->candidates
			    : 0.1;
	p0 = fmin(fmax(p0, 1e-4), 0.5);
	rc = link_em(model, &r.pt, &rnd, p0);
	if (rc)
		goto out;
	for (f = 0; f < LINK_FIELDS; f++)
		for (l = 0; l < LINK_LEVELS; l++)
			r.weight[f][l] = l < fields[f].levels
					     ? log2(model->m[f][l] / model->u[f][l]) : 0;
	r.threshold = opt->use_threshold ? opt->threshold : model->threshold;
	st->candidates = 0;
	st->skipped_blocks = 0;
	rc = link_block_pairs(a, na, b, nb, opt->max_block_pairs, score_pair, &r, st);
out:
	link_patterns_free(&r.pt);
	link_patterns_free(&rnd);
	return rc;
}
