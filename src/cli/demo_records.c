/*
 * demo_records.c - the synthetic persons of `himoya demo` and everything
 * that hangs off them, built as sealed store rows (demo_records.h).
 *
 * Each person is drawn from a generator seeded with (seed, number): an
 * exploitation profile (mostly forced labour in construction or
 * agriculture in Russia, Kazakhstan, the Gulf; some sexual exploitation
 * in the UAE, Türkiye, Russia; forced marriage to Afghanistan; domestic
 * servitude; forced begging), then names, age, origin, phones and
 * documents, consents, and zero, one or (re-trafficked) two cases.  A
 * case gets a status and an NRM stage, and the records a case at that
 * stage would have: screenings whose suggestion is computed by
 * screening_evaluate from plausible answers, identification decisions by
 * the authorities, a support plan with goals, services with providers
 * and costs, follow-ups (done, missed, overdue, ahead), notes, and the
 * timeline events the API writes (opened, stage_changed, closure).
 *
 * Persons, cases and consents become rows through api/rows.h, the
 * functions the API's handlers call (one road: no shape copied here);
 * other items carry the shapes of api/items.c, sealed by record_seal; screenings keep their
 * answers sealed apart and the result in clear, as api/items.c does.
 * Dates lie in the past except what is due ahead (follow-ups, planned
 * services, expiries); timestamps fall in office hours of Dushanbe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include <sodium.h>

#include "api/api.h"
#include "api/pprlnet.h"
#include "api/rows.h"
#include "cli/demo.h"
#include "cli/demo_records.h"
#include "domain/casework.h"
#include "domain/consent.h"
#include "domain/screening.h"
#include "fields.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define BATCH_ARENA_CAP ((size_t)1 << 31)
#define PERSON_KEYS_MAX 512 /* as api/persons.c */
#define SCREENING_ITEMS_MAX 128

/* ---- dates ----------------------------------------------------------------- */

/* Days since 1970-01-01 into a civil date (H. Hinnant's algorithm). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static void put_digits(char *out, unsigned v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* YYYY-MM-DD */
static void day_str(int64_t day, char out[11])
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
}

/* YYYY-MM-DDTHH:MM:SSZ */
static void ts_str(int64_t day, unsigned secs, char out[TS_LEN])
{
	day_str(day, out);
	out[10] = 'T';
	put_digits(out + 11, secs / 3600 % 24, 2);
	out[13] = ':';
	put_digits(out + 14, secs / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, secs % 60, 2);
	out[19] = 'Z';
	out[20] = '\0';
}

static int year_of(int64_t day)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	return y;
}

void demo_gen_init(struct demo_gen *g, const keyring *kr, const struct demo_network *net,
		   const struct pprl_key *pk, uint64_t seed, size_t persons)
{
	time_t now = time(NULL);

	g->kr = kr;
	g->net = net;
	g->seed = seed;
	g->today = (int64_t)now / 86400;
	g->now_secs = (int64_t)now % 86400;
	g->delphi = indicator_set_find("delphi-adult-labour");
	g->pk = pk;
	g->persons = persons;
	consent_today(g->consent_today);
}

/* ---- batches ----------------------------------------------------------------- */

void demo_batch_init(struct demo_batch *b)
{
	memset(b, 0, sizeof *b);
	arena_init(&b->mem, BATCH_ARENA_CAP);
}

void demo_batch_reset(struct demo_batch *b)
{
	arena_free(&b->mem);
	if (b->ne)
		sodium_memzero(b->enc, b->ne * sizeof *b->enc);
	b->np = b->nk = b->nc = b->ni = b->ne = 0;
}

void demo_batch_free(struct demo_batch *b)
{
	arena_free(&b->mem);
	free(b->persons);
	free(b->key_first);
	free(b->key_count);
	free(b->keys);
	free(b->cases);
	free(b->items);
	if (b->ne)
		sodium_memzero(b->enc, b->ne * sizeof *b->enc);
	free(b->enc);
	memset(b, 0, sizeof *b);
}

void demo_totals_add(struct demo_totals *t, const struct demo_batch *b)
{
	size_t i;

	t->persons += b->np;
	t->cases += b->nc;
	t->items += b->ni;

	for (i = 0; i < b->ne; i++)
		t->encodings += (size_t)b->enc[i].consenting;
}

/* arr with room for element n (of size `size`, capacity *cap): arr
 * itself, or a larger copy of it; NULL when out of memory (arr is then
 * still valid). */
static void *grow(void *arr, size_t n, size_t *cap, size_t size)
{
	void *p;
	size_t want;

	if (n < *cap)
		return arr;
	want = *cap ? *cap * 2 : 1024;
	p = realloc(arr, want * size);
	if (p)
		*cap = want;
	return p;
}

/* ---- one person's context --------------------------------------------------- */

enum profile { PROF_LABOUR, PROF_SEX, PROF_MARRIAGE, PROF_SERVITUDE, PROF_BEGGING, PROFILES };

struct person_ctx {
	const struct demo_gen *g;
	struct demo_batch *b;
	struct demo_rng r;
	int failed;                     /* out of memory somewhere */
	const struct demo_org_ref *org;
	const char *worker;             /* the case worker who registered the person */
	char id[ID_LEN];
	enum profile prof;
	int female, age;
	const char *region, *district;
	const char *country, *country2; /* of exploitation; country2 may be NULL */
	const char *sector;             /* ISIC section, NULL when none */
	int64_t registered;             /* day */
	int64_t born;                   /* day of birth; 0 when only estimated */
	int estimated_age;              /* today, -1 when born is known */
	struct pprl_encoding enc;       /* the consents counted for the matching */
	size_t number;                  /* of the person in the load */
};

/* A case being built: what the timeline has moved so far. */
struct case_ctx {
	char id[ID_LEN];
	const char *assignee;      /* "" when nobody */
	const char *stage;
	const char *trafficking_status;
	int64_t opened, end;       /* end: closure day, or today */
	int64_t recruited;         /* day of the recruitment event */
	int closed;
	int64_t version;
	char created[TS_LEN];      /* of the "opened" event */
	char updated[TS_LEN];      /* of the newest change */
	const char *suggestion;    /* of the last screening */
	const char *reason;        /* closure reason or NULL */
	int64_t plan_start;
	char plan_id[ID_LEN];
};

static const char *pick(struct demo_rng *r, const char *const *v, const unsigned *w, size_t n)
{
	return v[demo_rng_weighted(r, w, n)];
}

/* A day drawn uniformly from [lo, hi]; hi when hi <= lo (hi is the
 * limit that must hold: today, or the day a case closed). */
static int64_t between(struct demo_rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return hi;
	return lo + (int64_t)demo_rng_below(r, (unsigned)(hi - lo + 1));
}

/* Seconds of a day in office hours of Dushanbe (08:00-18:00, UTC+5);
 * today, no later than now. */
static unsigned office_secs(struct person_ctx *p, int64_t day)
{
	unsigned s = 3 * 3600 + demo_rng_below(&p->r, 10 * 3600);
	if (day >= p->g->today)
		s = p->g->now_secs > 0 ? demo_rng_below(&p->r, (unsigned)p->g->now_secs) : 0;
	return s;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* Compact JSON with sorted keys, copied into the batch's arena. */
static const char *arena_dump(struct person_ctx *p, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS), *copy;
	if (!s) {
		p->failed = 1;
		return "{}";
	}
	copy = arena_strdup(&p->b->mem, s);
	free(s);
	if (!copy) {
		p->failed = 1;
		return "{}";
	}
	return copy;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, json_string(v));
}

static void set_day(json_t *o, const char *key, int64_t day)
{
	char d[11];
	day_str(day, d);
	json_object_set_new(o, key, json_string(d));
}

/* A list of the codes of `opts` each drawn with its percentage; at least
 * the first when none is drawn. */
struct code_pct {
	const char *code;
	unsigned pct;
};

static json_t *draw_codes(struct demo_rng *r, const struct code_pct *opts, size_t n, size_t max)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < n && json_array_size(a) < max; i++)
		if (demo_rng_pct(r, opts[i].pct))
			json_array_append_new(a, json_string(opts[i].code));
	if (!json_array_size(a))
		json_array_append_new(a, json_string(opts[0].code));
	return a;
}

/* ---- items ------------------------------------------------------------------ */

/* A new id for a record of the person: the persons' places among the ids
 * follow their numbers, so that the load appends to the id indexes; their
 * records share the place. */
static void demo_id(const struct person_ctx *p, char out[ID_LEN])
{
	uint64_t place = p->g->persons ? (uint64_t)p->number * (1u << STORE_ID_PLACE_BITS) /
					 p->g->persons : 0;

	store_new_id_placed(out, (uint32_t)place);
}

/* A new item of the person (case_id NULL for a consent) at a moment of a
 * day; the caller fills its columns and seals it before the next one. */
static struct item_row *item_push(struct person_ctx *p, const char *kind, const char *case_id,
				  const char *by, int64_t day)
{
	struct demo_batch *b = p->b;
	struct item_row *it;

	it = grow(b->items, b->ni, &b->cap_i, sizeof *b->items);
	if (!it) {
		p->failed = 1;
		return NULL;
	}
	b->items = it;
	it = &b->items[b->ni++];
	memset(it, 0, sizeof *it);
	demo_id(p, it->id);
	snprintf(it->kind, sizeof it->kind, "%s", kind);
	snprintf(it->case_id, sizeof it->case_id, "%s", case_id ? case_id : "");
	snprintf(it->person_id, sizeof it->person_id, "%s", p->id);
	snprintf(it->org_id, sizeof it->org_id, "%s", p->org->id);
	it->version = 1;
	ts_str(day, office_secs(p, day), it->created_at);
	memcpy(it->updated_at, it->created_at, TS_LEN);
	memcpy(it->at, it->created_at, TS_LEN);
	snprintf(it->created_by, sizeof it->created_by, "%s", by);
	it->coded = "{}";
	return it;
}

/* Columns, place on the timeline and sealing, as the API makes them. */
static void item_seal(struct person_ctx *p, struct item_row *it, json_t *rec)
{
	if (rows_item_seal(p->g->kr, &p->b->mem, rec, it))
		p->failed = 1;
}

/* The case moved on at this item: newer updated_at, new version. */
static void case_touch(struct case_ctx *c, const struct item_row *it)
{
	c->version++;
	if (strcmp(it->created_at, c->updated) > 0)
		memcpy(c->updated, it->created_at, TS_LEN);
}

/* A timeline event (api_case_event): coded {"type":...} plus extra. */
static void case_event(struct person_ctx *p, struct case_ctx *c, const char *type, json_t *extra,
		       int64_t day, const char *by)
{
	struct item_row *it = item_push(p, "event", c->id, by, day);
	json_t *coded = extra ? extra : json_object();
	if (!it) {
		json_decref(coded);
		return;
	}
	set_str(coded, "type", type);
	it->coded = arena_dump(p, coded);
	json_decref(coded);
	if (strcmp(it->created_at, c->updated) > 0)
		memcpy(c->updated, it->created_at, TS_LEN);
}

/* ---- texts ------------------------------------------------------------------- */

struct sector_words {
	const char *code, *ru, *tg, *en;
};

static const struct sector_words sectors[] = {
	{"F", "на стройке", "дар сохтмон", "on a construction site"},
	{"A", "в теплицах", "дар гармхонаҳо", "in greenhouses"},
	{"C", "на производстве", "дар корхона", "in a factory"},
	{"I", "в кафе", "дар қаҳвахона", "in a café"},
	{"H", "на складе", "дар анбор", "in a warehouse"},
	{"G", "на рынке", "дар бозор", "at a market"},
};

static const struct sector_words *sector_of(const char *code)
{
	size_t i;
	for (i = 0; code && i < COUNT(sectors); i++)
		if (!strcmp(sectors[i].code, code))
			return &sectors[i];
	return &sectors[0];
}

static void summary_text(struct person_ctx *p, unsigned months, const char *city, char *out,
			 size_t outlen)
{
	const struct sector_words *s = sector_of(p->sector);
	unsigned lang = demo_rng_below(&p->r, 100); /* ru 60, tg 25, en 15 */

	switch (p->prof) {
	case PROF_LABOUR:
		if (lang < 60)
			snprintf(out, outlen, "Со слов клиента: %u мес. работы %s (%s) без оплаты; "
				 "паспорт удерживал бригадир, угрожали депортацией. Возвращение в РТ "
				 "при содействии МОМ.", months, s->ru, city);
		else if (lang < 85)
			snprintf(out, outlen, "Аз рӯи гуфтаҳои муроҷиаткунанда: %u моҳ %s (%s) бе "
				 "музд кор кардааст; шиносномаашро корфармо гирифта буд.",
				 months, s->tg, city);
		else
			snprintf(out, outlen, "Client reports %u months of unpaid work %s (%s); "
				 "passport held by the employer, a debt for travel and housing.",
				 months, s->en, city);
		break;
	case PROF_SEX:
		if (lang < 70)
			snprintf(out, outlen, "Со слов клиентки: вербовка через знакомую под "
				 "предлогом работы официанткой (%s); паспорт отобран, принуждение к "
				 "оказанию сексуальных услуг в течение %u мес., «долг» за дорогу.",
				 city, months);
		else
			snprintf(out, outlen, "Recruited by an acquaintance for a waitress job (%s); "
				 "passport taken on arrival, forced into prostitution for %u months to "
				 "repay a travel 'debt'.", city, months);
		break;
	case PROF_MARRIAGE:
		snprintf(out, outlen, "Выдана замуж (%s) по договорённости родственников; %u мес. "
			 "изоляции и насилия. Обратилась в посольство через родственников.",
			 city, months);
		break;
	case PROF_SERVITUDE:
		snprintf(out, outlen, "Работа домработницей в семье (%s) без выходных, %u мес.; "
			 "удержание документов и заработной платы.", city, months);
		break;
	default:
		snprintf(out, outlen, "Принуждение к попрошайничеству (%s), %u мес.; дневную "
			 "выручку отбирал «бригадир».", city, months);
		break;
	}
}

static const char *const note_texts[] = {
	"Телефонный звонок: клиент на связи, самочувствие удовлетворительное.",
	"Беседа с матерью клиента: семья готова принять.",
	"Клиент не вышел на связь, повторный звонок через неделю.",
	"Бо муштарӣ тавассути телефон суҳбат шуд; аҳволаш беҳтар аст.",
	"Client called the hotline asking about the court date.",
};
static const char *const assessment_texts[] = {
	("Первичная оценка потребностей: медицинская помощь, восстановление документов, "
	 "трудоустройство."), /* parenthesised: one string (clang -Wstring-concatenation) */
	"Арзёбии ниёзҳо: ёрии тиббӣ, барқарор кардани ҳуҷҷатҳо, кор.",
	"Needs assessment: psychological support, legal aid for unpaid wages, vocational training.",
};
static const char *const shelter_texts[] = {
	"Размещение в приюте «Паноҳ».",
	"Placed in the Panoh shelter; room shared with one other resident.",
};
static const char *const legal_texts[] = {
	"Подано заявление в прокуратуру; клиент допрошен в качестве потерпевшего.",
	"Даъвои ундируни музди меҳнат ба суд пешниҳод шуд.",
	"Statement given to the police anti-trafficking unit.",
};
static const char *const return_texts[] = {
	"Встреча в аэропорту Душанбе, сопровождение до дома.",
	"Met at Dushanbe airport by IOM staff and taken home by car.",
};
static const char *const goal_texts[] = {
	"Восстановить паспорт", "Пройти курс швейного дела", "Открыть малый бизнес (теплица)",
	"Пройти лечение у невролога", "Найти работу в Таджикистане", "Вернуть детей в школу",
	"Взыскать невыплаченную зарплату", "Барқарор кардани шиноснома",
	"Омӯзиши касби дарздӯзӣ", "Start a small poultry business",
	"Regular sessions with a psychologist",
};
static const char *const outcome_texts[] = {
	"Клиент работает в семейном бизнесе, доход стабильный.",
	"Сложности с трудоустройством; направление в центр занятости.",
	"Ҳолати саломатӣ хуб, ба кор баромадааст.",
	"Теплица приносит доход; планирует расширение.",
	"Family relations improved; sees the psychologist monthly.",
	"Не удалось связаться по телефону; сосед сообщил, что клиент уехал на заработки.",
};
static const char *const service_notes[] = {
	"Оплачено по счёту клиники.", "Курс из 8 сессий.",
	"Грант выдан оборудованием (швейные машины).", "Paid directly to the provider.",
	"Хизмат пурра расонида шуд.",
};

#define PICK_TEXT(r, arr) ((arr)[demo_rng_below((r), COUNT(arr))])

/* ---- screenings and decisions -------------------------------------------------- */

/* How often each dimension D1..D6 is answered "yes", by what the case is. */
static const double yes_rate[3][INDICATOR_DIMENSIONS] = {
	{0.45, 0.12, 0.30, 0.55, 0.40, 0.30}, /* trafficking */
	{0.15, 0.03, 0.15, 0.50, 0.08, 0.10}, /* exploitation */
	{0.04, 0.02, 0.04, 0.04, 0.03, 0.04}, /* neither */
};

static void screening(struct person_ctx *p, struct case_ctx *c, int64_t day, int target,
		      int child)
{
	const struct indicator_set *set = p->g->delphi;
	const char *codes[SCREENING_ITEMS_MAX];
	enum answer answers[SCREENING_ITEMS_MAX];
	struct screening_result res;
	struct item_row *it;
	struct screening_age age;
	json_t *reason;
	char birth[11], opened[11], recruited[11], today[11];
	size_t i, n = 0;

	if (!set || set->n > SCREENING_ITEMS_MAX)
		return;
	/* The child flag as the API reckons it, from the person's age at
	 * recruitment. */
	if (p->born)
		day_str(p->born, birth);
	day_str(c->opened, opened);
	day_str(c->recruited, recruited);
	day_str(day, today);
	screening_child_age(p->born ? birth : NULL,
			    p->born ? -1 : p->estimated_age - (int)((p->g->today - c->opened) / 365),
			    opened, recruited, NULL, today, &age);
	if (age.known)
		child = age.child;
	for (i = 0; i < set->n; i++) {
		const struct indicator *ind = &set->items[i];
		unsigned roll;
		if (!demo_rng_pct(&p->r, 80))
			continue; /* not asked */
		codes[n] = ind->code;
		roll = demo_rng_below(&p->r, 1000);
		if (roll < (unsigned)(yes_rate[target][ind->dimension - 1] * 1000))
			answers[n] = ANS_YES;
		else
			answers[n] = (enum answer)demo_rng_weighted(&p->r, (const unsigned[]){0, 80, 15, 5},
								    4);
		n++;
	}
	if (screening_evaluate(set, codes, answers, n, child, &res, NULL, 0) != 0) {
		p->failed = 1;
		return;
	}
	it = item_push(p, "screening", c->id, c->assignee[0] ? c->assignee : p->worker, day);
	if (!it)
		return;
	reason = rows_child_reason_json(&age, 0);
	if (!reason || rows_screening_seal(p->g->kr, &p->b->mem, set, codes, answers, n, &res,
					   reason, it))
		p->failed = 1;
	json_decref(reason);
	c->suggestion = screening_suggestion_name(res.suggestion);
	c->stage = casework_stage_after(c->stage, EV_SCREENING);
	case_touch(c, it);
}

/* An authority whose decisions are of body `by` (casework_decider): the
 * first of them (the police's anti-trafficking unit for Police) most
 * often, another sometimes; NULL when the network has none. */
static const struct demo_authority *authority_of(struct person_ctx *p, const char *by)
{
	const struct demo_network *net = p->g->net;
	const struct demo_authority *first = NULL, *other = NULL;
	size_t i, n = 0;

	for (i = 0; i < net->nauthorities; i++) {
		const struct demo_authority *a = &net->authorities[i];
		if (strcmp(casework_decider(a->type, a->sector), by))
			continue;
		if (!first)
			first = a;
		else if (demo_rng_below(&p->r, (unsigned)++n) == 0)
			other = a;
	}
	return other && demo_rng_pct(&p->r, 25) ? other : first;
}

/* A decision of the body `by`: an authority's, recorded by its focal
 * point with its reference, or (NULL) the owning organisation's own
 * assessment, recorded by its supervisor.  As the API does, the body is
 * the deciding organisation's (issue 15), never chosen. */
static void decision(struct person_ctx *p, struct case_ctx *c, int64_t day, const char *status,
		     const char *by)
{
	const struct demo_authority *a = by ? authority_of(p, by) : NULL;
	struct item_row *it = item_push(p, "status_decision", c->id,
					a ? a->focal : p->org->supervisor, day);
	char ref[64];
	json_t *rec;

	if (!it)
		return;
	if (a)
		snprintf(it->org_id, sizeof it->org_id, "%s", a->id);
	if (a && !strcmp(a->sector, "prosecution"))
		snprintf(ref, sizeof ref, "№ 1-%u/%d", 100 + demo_rng_below(&p->r, 900), year_of(day));
	else
		snprintf(ref, sizeof ref, "№ %u/%d", 1 + demo_rng_below(&p->r, 2000), year_of(day));
	rec = json_object();
	set_str(rec, "status", status);
	set_str(rec, "decided_by", a ? casework_decider(a->type, a->sector)
				     : casework_decider(p->org->type, p->org->sector));
	set_str(rec, "decided_by_org", a ? a->code : p->org->code);
	set_day(rec, "date", day);
	if (a || demo_rng_pct(&p->r, 60))
		set_str(rec, "reference", ref);
	item_seal(p, it, rec);
	json_decref(rec);
	c->trafficking_status = status;
	c->stage = casework_stage_after(c->stage, EV_DECISION);
	case_touch(c, it);
}

static void decisions(struct person_ctx *p, struct case_ctx *c, int64_t day)
{
	static const char *const status_of[] = {"ActualVictimOfTrafficking",
						"PossibleVictimOfTrafficking",
						"NotAVictimOfTrafficking"};
	/* NULL: the owning organisation's own assessment */
	static const char *const bodies[] = {"Police", "CourtOrProsecution",
					     "NonPoliceGovernmentalOrganization", NULL};
	static const unsigned body_w[] = {50, 30, 12, 8};
	const char *s = c->suggestion ? c->suggestion : "none";
	const char *status;

	if (c->reason && !strcmp(c->reason, "not_a_victim"))
		status = status_of[2];
	else if (!strcmp(s, "trafficking"))
		status = status_of[demo_rng_pct(&p->r, 55) ? 0 : 1];
	else if (!strcmp(s, "exploitation"))
		status = status_of[demo_rng_pct(&p->r, 75) ? 1 : 2];
	else
		status = status_of[demo_rng_pct(&p->r, 70) ? 2 : 1];
	if (status == status_of[0] && demo_rng_pct(&p->r, 30) && day + 30 <= c->end) {
		/* first the police's "possible", later the prosecutor's "actual" */
		decision(p, c, day, status_of[1], "Police");
		day = between(&p->r, day + 30, min64(day + 200, c->end));
		decision(p, c, day, status, "CourtOrProsecution");
		return;
	}
	decision(p, c, day, status,
		 status == status_of[0] ? (demo_rng_pct(&p->r, 60) ? "CourtOrProsecution" : "Police")
					: pick(&p->r, bodies, body_w, COUNT(bodies)));
}

/* ---- assistance: plan, services, notes, follow-ups ------------------------------- */

static void note(struct person_ctx *p, struct case_ctx *c, const char *type, const char *text,
		 int64_t day)
{
	struct item_row *it = item_push(p, "note", c->id, c->assignee[0] ? c->assignee : p->worker,
					day);
	json_t *rec;
	if (!it)
		return;
	rec = json_object();
	set_str(rec, "type", type);
	set_day(rec, "date", day);
	set_str(rec, "text", text);
	item_seal(p, it, rec);
	json_decref(rec);
}

static void plan(struct person_ctx *p, struct case_ctx *c, int64_t start)
{
	static const char *const rehab[] = {
		[PROF_LABOUR] = "LabourExploitationRehabilitation",
		[PROF_SEX] = "SexualExploitationRehabilitation",
		[PROF_MARRIAGE] = "SocialCare",
		[PROF_SERVITUDE] = "LabourExploitationRehabilitation",
		[PROF_BEGGING] = "SocialCare",
	};
	struct item_row *it = item_push(p, "plan", c->id, c->assignee[0] ? c->assignee : p->worker,
					start);
	json_t *rec, *goals;
	unsigned i, n = 2 + demo_rng_below(&p->r, 3);
	int64_t review = start + 90 + demo_rng_below(&p->r, 90);

	if (!it)
		return;
	goals = json_array();
	for (i = 0; i < n; i++) {
		int64_t due = start + 30 + demo_rng_below(&p->r, 300);
		const char *st = "open";
		if (c->closed)
			st = demo_rng_pct(&p->r, 70) ? "achieved" : "dropped";
		else if (due < p->g->today && demo_rng_pct(&p->r, 60))
			st = "achieved";
		{
			json_t *goal = json_object();
			set_str(goal, "goal", PICK_TEXT(&p->r, goal_texts));
			set_day(goal, "due", due);
			set_str(goal, "status", st);
			json_array_append_new(goals, goal);
		}
	}
	rec = json_object();
	set_str(rec, "type", demo_rng_pct(&p->r, 80) ? rehab[p->prof] : "Livelihood");
	json_object_set_new(rec, "goals", goals);
	set_day(rec, "start", start);
	set_day(rec, "review_on", review);
	if (demo_rng_pct(&p->r, 30))
		set_str(rec, "notes", "План согласован с клиентом и семьёй.");
	item_seal(p, it, rec);
	json_decref(rec);
	snprintf(c->plan_id, sizeof c->plan_id, "%s", it->id);
	c->plan_start = start;
}

struct service_kind {
	const char *type;
	unsigned pct[PROFILES];      /* how often each profile gets it */
	unsigned min_days, max_days; /* how long it runs */
	unsigned min_cost, max_cost;
	const char *currency;
};

static const struct service_kind service_kinds[] = {
	{"shelter", {8, 80, 60, 40, 20}, 14, 90, 0, 0, "TJS"}, /* cost: 60 TJS a day */
	{"medical", {60, 70, 60, 55, 50}, 1, 30, 150, 4000, "TJS"},
	{"psychological", {40, 70, 70, 45, 30}, 60, 120, 600, 1600, "TJS"},
	{"psychosocial", {35, 50, 50, 40, 40}, 30, 90, 100, 500, "TJS"},
	{"legal", {40, 35, 45, 40, 15}, 60, 300, 500, 3000, "TJS"},
	{"documents", {30, 40, 50, 45, 25}, 14, 90, 100, 800, "TJS"},
	{"vocational_training", {30, 35, 25, 25, 20}, 60, 180, 1500, 6000, "TJS"},
	{"business_startup_grant", {20, 15, 10, 10, 5}, 1, 30, 800, 2500, "USD"},
	{"family_tracing_reintegration", {12, 25, 40, 20, 30}, 14, 60, 200, 800, "TJS"},
	{"return_travel", {12, 20, 30, 25, 10}, 1, 3, 250, 700, "USD"},
	{"financial", {20, 20, 25, 20, 25}, 1, 7, 500, 2000, "TJS"},
	{"education", {4, 8, 10, 5, 10}, 120, 270, 300, 1500, "TJS"},
	{"other", {5, 5, 5, 5, 5}, 1, 30, 100, 500, "TJS"},
};

/* A service's provider: an organisation of the directory, by its code,
 * as the API takes it (api/items.c provider_ok). */
static const char *provider_of(struct person_ctx *p, const char *type)
{
	if (!strcmp(type, "shelter"))
		return "shelter-panoh";
	if (!strcmp(type, "medical"))
		return "med-shifo";
	if (!strcmp(type, "vocational_training") || !strcmp(type, "education"))
		return "tvet-hunar";
	if (!strcmp(type, "legal") && demo_rng_pct(&p->r, 50))
		return "ngo-ozod";
	return p->org->code;
}

/* ---- livelihood: courses and start-up grants, followed up ---------------- */

static const char *const course_trades[] = {
	"Швейное дело", "Парикмахерское дело", "Сварка", "Кулинария и выпечка",
	"Компьютерная грамотность", "Электромонтаж", "Тепличное хозяйство",
};
static const char *const grant_trades[] = {
	"Швейная мастерская", "Пекарня", "Мелкая торговля", "Откорм скота",
	"Теплица", "Парикмахерская", "Пчеловодство",
};

/* The course or grant's own fields: trade, completion, a grant's amount. */
static void livelihood_fields(struct person_ctx *p, const struct service_kind *k,
			      const char *status, json_t *rec)
{
	int grant = !strcmp(k->type, "business_startup_grant");

	set_str(rec, "trade", grant ? PICK_TEXT(&p->r, grant_trades) : PICK_TEXT(&p->r, course_trades));
	if (!strcmp(status, "completed"))
		set_str(rec, "completion", grant || demo_rng_pct(&p->r, 88) ? "completed" : "dropped_out");
	else if (!strcmp(status, "in_progress"))
		set_str(rec, "completion", "in_training");
	if (grant && strcmp(status, "cancelled")) {
		json_object_set_new(rec, "grant_amount",
				    json_integer(k->min_cost + demo_rng_below(&p->r, k->max_cost - k->min_cost + 1)));
		set_str(rec, "currency", k->currency);
	}
}

/* What a person lives on at a follow-up months after a course or grant:
 * a business opened with a grant closes more often as time goes by. */
static void livelihood_outcome(struct person_ctx *p, int grant, int months, json_t *rec)
{
	static const char *const work[] = {"employed", "self_employed", "unemployed", "studying",
					   "abroad"};
	static const char *const bands[] = {"none", "below_1000_tjs", "1000_2499_tjs",
					    "2500_4999_tjs", "5000_tjs_or_more"};
	static const char *const remit[] = {"none", "partial", "main_income"};
	int running = grant && demo_rng_pct(&p->r, 85 - (unsigned)months * 2);
	const char *job;

	if (running)
		job = "self_employed";
	else
		job = work[demo_rng_weighted(&p->r, grant ? (const unsigned[]){15, 10, 50, 5, 20}
							  : (const unsigned[]){40, 20, 25, 5, 10}, 5)];
	set_str(rec, "employment", job);
	set_str(rec, "income_band",
		!strcmp(job, "unemployed") || !strcmp(job, "studying")
			? (demo_rng_pct(&p->r, 70) ? "none" : "below_1000_tjs")
			: bands[1 + demo_rng_weighted(&p->r, (const unsigned[]){30, 45, 20, 5}, 4)]);
	if (grant)
		json_object_set_new(rec, "business_running", json_boolean(running));
	set_str(rec, "remittance_dependence",
		remit[demo_rng_weighted(&p->r, (const unsigned[]){40, 40, 20}, 3)]);
}

/* The follow-ups the service schedules (rows_livelihood_followup, as
 * the API does when the course or grant gets its end date), the past
 * ones mostly done. */
static void livelihood_followups(struct person_ctx *p, struct case_ctx *c, const char *service_id,
				 json_t *srec, int64_t end)
{
	const char *who = c->assignee[0] ? c->assignee : p->worker;
	int grant = !strcmp(json_string_value(json_object_get(srec, "type")), "business_startup_grant");
	size_t i;

	for (i = 0; i < CASEWORK_LIVELIHOOD_CHECKS; i++) {
		json_t *rec = rows_livelihood_followup(srec, service_id, i, who);
		int months = casework_livelihood_months[i];
		int64_t due = end + months * 30 + months / 2, done = due + demo_rng_below(&p->r, 12);
		struct item_row *it;

		if (!rec)
			return;
		it = item_push(p, "followup", c->id, who, min64(end, p->g->today));
		if (!it) {
			json_decref(rec);
			return;
		}
		if (done < p->g->today) {
			if (demo_rng_pct(&p->r, 80)) {
				set_str(rec, "status", "done");
				set_day(rec, "done_on", done);
				livelihood_outcome(p, grant, months, rec);
			} else if (demo_rng_pct(&p->r, 50)) {
				set_str(rec, "status", "missed");
			}
		}
		item_seal(p, it, rec);
		json_decref(rec);
	}
}

static void service(struct person_ctx *p, struct case_ctx *c, const struct service_kind *k,
		    int64_t start)
{
	struct item_row *it = item_push(p, "service", c->id, c->assignee[0] ? c->assignee : p->worker,
					min64(start, p->g->today));
	int64_t end = start + k->min_days + demo_rng_below(&p->r, k->max_days - k->min_days + 1);
	const char *status;
	char id[ID_LEN];
	json_t *rec;

	if (!it)
		return;
	if (c->closed) {
		status = demo_rng_pct(&p->r, 88) ? "completed" : "cancelled";
		end = min64(end, c->end);
	} else if (start > p->g->today) {
		status = "planned";
	} else if (end < p->g->today) {
		status = demo_rng_pct(&p->r, 92) ? "completed" : "cancelled";
	} else {
		status = "in_progress";
	}
	rec = json_object();
	set_str(rec, "type", k->type);
	set_str(rec, "status", status);
	set_str(rec, "provider_org", provider_of(p, k->type));
	set_day(rec, "start", start);
	if (strcmp(status, "cancelled") && (strcmp(status, "in_progress") || demo_rng_pct(&p->r, 60)))
		set_day(rec, "end", end);
	if (strcmp(status, "cancelled") && demo_rng_pct(&p->r, 85)) {
		unsigned cost = k->max_cost ? k->min_cost + demo_rng_below(&p->r, k->max_cost - k->min_cost + 1)
					    : (unsigned)(end - start + 1) * 60;
		json_object_set_new(rec, "cost", json_integer(cost));
		set_str(rec, "currency", k->currency);
	}
	if (demo_rng_pct(&p->r, 25))
		set_str(rec, "notes", PICK_TEXT(&p->r, service_notes));
	if (casework_is_livelihood(k->type))
		livelihood_fields(p, k, status, rec);
	item_seal(p, it, rec);
	c->stage = casework_stage_after(c->stage, EV_SERVICE);
	case_touch(c, it);
	snprintf(id, sizeof id, "%s", it->id); /* the next item_push may move it */
	if (casework_is_livelihood(k->type) && json_object_get(rec, "end"))
		livelihood_followups(p, c, id, rec, end);
	json_decref(rec);
}

/* ---- prevention without a case: services, a household, its DoMV ----------- */

static const char *const household_names[] = {
	"Фарҳод Назаров", "Зарина Каримова", "Умед Раҳимов", "Мадина Саидова", "Ҷамшед Шарипов",
	"Нигина Ҳасанова", "Бахтиёр Юсупов", "Сабрина Алиева",
};
static const char *const domv_factors[][2] = { /* level, factor */
	{"Individual", "Без собственного дохода"}, {"Individual", "Профессиональные навыки"},
	{"Household", "Единственный кормилец за рубежом"}, {"Household", "Долг за поездку"},
	{"Community", "Поддержка махалли"}, {"Community", "Вербовщики в районе"},
	{"Structural", "Мало рабочих мест в районе"}, {"Structural", "Доступ к юридической помощи"},
};

/* A person's item of a prevention kind, sealed as the API seals it. */
static struct item_row *person_item(struct person_ctx *p, const char *kind, int64_t day, json_t *rec)
{
	struct item_row *it = item_push(p, kind, NULL, p->worker, min64(day, p->g->today));
	if (it)
		item_seal(p, it, rec);
	return it;
}

static void prevention(struct person_ctx *p)
{
	static const char *const types[] = {"tvet", "counselling", "information_session"};
	static const char *const relations[] = {"spouse", "child", "parent", "sibling"};
	int64_t day = min64(p->registered + 1 + demo_rng_below(&p->r, 30), p->g->today);
	char hh_id[ID_LEN];
	struct item_row *it;
	json_t *rec, *members, *factors;
	unsigned i, n;

	rec = json_object();
	set_str(rec, "type", types[demo_rng_weighted(&p->r, (const unsigned[]){40, 35, 25}, 3)]);
	set_str(rec, "status", day + 60 < p->g->today ? "completed" : "in_progress");
	set_day(rec, "start", day);
	if (!strcmp(json_string_value(json_object_get(rec, "type")), "tvet"))
		set_str(rec, "trade", PICK_TEXT(&p->r, course_trades));
	person_item(p, "prevention_service", day, rec);
	json_decref(rec);
	if (!demo_rng_pct(&p->r, 60))
		return;
	/* The family left behind: someone abroad sends money home. */
	members = json_array();
	n = 2 + demo_rng_below(&p->r, 4);
	for (i = 0; i < n; i++) {
		json_t *m = json_object();
		set_str(m, "name", PICK_TEXT(&p->r, household_names));
		set_str(m, "relation", i == 0 ? "head" : relations[demo_rng_below(&p->r, 4)]);
		json_object_set_new(m, "birth_year", json_integer(1950 + demo_rng_below(&p->r, 70)));
		if (i == 1) {
			json_object_set_new(m, "abroad", json_true());
			set_str(m, "country", demo_rng_pct(&p->r, 75) ? "RU" : "KZ");
			json_object_set_new(m, "sends_remittances", json_boolean(demo_rng_pct(&p->r, 80)));
		}
		json_array_append_new(members, m);
	}
	rec = json_object();
	set_str(rec, "region", p->region);
	json_object_set_new(rec, "members", members);
	set_str(rec, "remittance_dependence",
		(const char *[]){"none", "partial", "main_income"}[demo_rng_weighted(
			&p->r, (const unsigned[]){15, 45, 40}, 3)]);
	json_object_set_new(rec, "remittance_monthly", json_integer(500 + demo_rng_below(&p->r, 4000)));
	set_str(rec, "currency", "TJS");
	it = person_item(p, "household", day, rec);
	json_decref(rec);
	if (!it || !demo_rng_pct(&p->r, 70))
		return;
	snprintf(hh_id, sizeof hh_id, "%s", it->id);
	factors = json_array();
	for (i = 0; i < COUNT(domv_factors); i++)
		if (demo_rng_pct(&p->r, 45))
			json_array_append_new(factors, json_pack("{s:s,s:s,s:s}", "level", domv_factors[i][0],
								 "kind", i % 2 && i != 5 ? "protective" : "risk",
								 "factor", domv_factors[i][1]));
	rec = json_object();
	set_str(rec, "household_id", hh_id);
	set_day(rec, "date", day);
	json_object_set_new(rec, "factors", factors);
	set_str(rec, "rating", (const char *[]){"low", "medium", "high"}[demo_rng_weighted(
				       &p->r, (const unsigned[]){30, 45, 25}, 3)]);
	person_item(p, "domv_assessment", day, rec);
	json_decref(rec);
}

static void services(struct person_ctx *p, struct case_ctx *c, int64_t from)
{
	size_t i, n = 0;
	int64_t start, last = c->closed ? c->end : p->g->today + 30;

	for (i = 0; i < COUNT(service_kinds) && n < 4; i++) {
		const struct service_kind *k = &service_kinds[i];
		if (!demo_rng_pct(&p->r, k->pct[p->prof]))
			continue;
		start = between(&p->r, from, min64(from + 120, last));
		service(p, c, k, start);
		/* what the service brought about, once it has begun */
		if (start < c->end && !strcmp(k->type, "shelter") && demo_rng_pct(&p->r, 60))
			note(p, c, "shelter_stay", PICK_TEXT(&p->r, shelter_texts), start + 1);
		if (start < c->end && !strcmp(k->type, "legal") && demo_rng_pct(&p->r, 50))
			note(p, c, "legal_step", PICK_TEXT(&p->r, legal_texts),
			     between(&p->r, start + 1, min64(start + 60, c->end)));
		n++;
	}
	if (!n)
		service(p, c, &service_kinds[1], between(&p->r, from, min64(from + 30, last)));
}

static void followups(struct person_ctx *p, struct case_ctx *c, int reintegration)
{
	int64_t due = c->plan_start + 30 + demo_rng_below(&p->r, 60);
	int64_t horizon = c->closed ? c->end : p->g->today + 100;
	const char *who = c->assignee[0] ? c->assignee : p->worker;
	unsigned made = 0;

	while (due <= horizon && made < 8) {
		int64_t planned = max64(c->plan_start, due - 60 - demo_rng_below(&p->r, 30));
		struct item_row *it;
		const char *status;
		json_t *rec;
		int64_t done = 0;

		if (planned > p->g->today)
			break;
		it = item_push(p, "followup", c->id, who, planned);
		if (!it)
			return;
		if (due >= p->g->today)
			status = "due";
		else if (c->closed)
			status = demo_rng_pct(&p->r, 85) ? "done" : "missed";
		else
			status = (const char *[]){"done", "missed", "due"}[demo_rng_weighted(
				&p->r, (const unsigned[]){72, 10, 18}, 3)];
		if (!strcmp(status, "done"))
			done = min64(due + demo_rng_below(&p->r, 8), min64(c->end, p->g->today));
		rec = json_object();
		set_day(rec, "due", due);
		set_str(rec, "assigned_to", who);
		set_str(rec, "status", status);
		if (c->plan_id[0])
			set_str(rec, "plan_id", c->plan_id);
		json_object_set_new(rec, "reintegration", json_boolean(reintegration));
		if (done) {
			set_day(rec, "done_on", done);
			set_str(rec, "outcome", PICK_TEXT(&p->r, outcome_texts));
		}
		item_seal(p, it, rec);
		json_decref(rec);
		if (reintegration) {
			c->stage = casework_stage_after(c->stage, EV_RETURN);
			case_touch(c, it);
		}
		made++;
		due += 75 + demo_rng_below(&p->r, 45);
	}
}

/* ---- the case record ------------------------------------------------------------- */

static const struct code_pct control_labour[] = {
	{"WithholdsDocuments", 60}, {"TakesEarnings", 55}, {"DebtBondage", 35},
	{"ThreatsLawEnforcement", 45}, {"ExcessiveWorkingHours", 50}, {"FalsePromises", 50},
	{"PhysicalThreats", 20}, {"PhysicalAbuse", 10}, {"RestrictsFinancialAccess", 15},
	{"WithholdsNecessities", 15}, {"PsychologicalAbuse", 15},
};
static const struct code_pct control_sex[] = {
	{"WithholdsDocuments", 70}, {"DebtBondage", 60}, {"PhysicalThreats", 40},
	{"PhysicalAbuse", 35}, {"SexualAbuse", 50}, {"PsychologicalAbuse", 40},
	{"PsychoactiveSubstance", 15}, {"FalsePromises", 60}, {"ThreatensChildrenFamily", 25},
	{"TakesEarnings", 50},
};
static const struct code_pct control_marriage[] = {
	{"PsychologicalAbuse", 60}, {"PhysicalAbuse", 45}, {"SexualAbuse", 30},
	{"ThreatensChildrenFamily", 40}, {"WithholdsDocuments", 50}, {"RestrictsMedicalCare", 15},
};
static const struct code_pct control_servitude[] = {
	{"WithholdsDocuments", 80}, {"TakesEarnings", 60}, {"ExcessiveWorkingHours", 70},
	{"WithholdsNecessities", 30}, {"PsychologicalAbuse", 40}, {"PhysicalAbuse", 20},
};
static const struct code_pct control_begging[] = {
	{"TakesEarnings", 80}, {"PhysicalThreats", 50}, {"PhysicalAbuse", 30},
	{"WithholdsDocuments", 40}, {"PsychoactiveSubstance", 10},
};

struct control_list {
	const struct code_pct *v;
	size_t n;
};

static const struct control_list controls[PROFILES] = {
	{control_labour, COUNT(control_labour)},   {control_sex, COUNT(control_sex)},
	{control_marriage, COUNT(control_marriage)}, {control_servitude, COUNT(control_servitude)},
	{control_begging, COUNT(control_begging)},
};

static const struct code_pct perpetrators[] = {
	{"RecruiterOrIntermediary", 90}, {"Exploiter", 85}, {"Transporter", 25},
	{"BrokerTravelAgent", 20},
};

static void recruitment(struct person_ctx *p, json_t *rec)
{
	static const char *const methods[] = {
		"ThroughFriendsOrSocialEvents", "ThroughOnlineSocialNetworks",
		"ThroughFamilyOrFamilyEvents", "ThroughAnOnlineAdvertisement", "AtAPlaceOfBusiness",
		"AtWork", "Other",
	};
	static const unsigned method_w[] = {35, 25, 15, 12, 5, 5, 3};
	static const struct code_pct apps[] = {
		{"Telegram", 55}, {"WhatsApp", 30}, {"Instagram", 15}, {"TikTok", 8}, {"Other", 5},
	};
	static const char *const relations[] = {"Acquainted", "Familial", "Unaquainted"};
	static const unsigned relation_w[] = {50, 20, 30};
	const char *method = p->prof == PROF_MARRIAGE && demo_rng_pct(&p->r, 80)
				     ? "ThroughFamilyOrFamilyEvents"
				     : pick(&p->r, methods, method_w, COUNT(methods));
	char place[200];

	set_str(rec, "recruitment_method", method);
	if (!strcmp(method, "ThroughOnlineSocialNetworks") ||
	    !strcmp(method, "ThroughAnOnlineAdvertisement"))
		json_object_set_new(rec, "recruitment_apps", draw_codes(&p->r, apps, COUNT(apps), 2));
	set_str(rec, "recruiter_relation",
		p->prof == PROF_MARRIAGE ? "Familial" : pick(&p->r, relations, relation_w, 3));
	switch (demo_rng_below(&p->r, 4)) {
	case 0:
		snprintf(place, sizeof place, "бозори %s", p->district);
		break;
	case 1:
		snprintf(place, sizeof place, "%s, дар тӯйи ҳамсоя", p->district);
		break;
	case 2:
		snprintf(place, sizeof place, "%s, through a neighbour", p->district);
		break;
	default:
		snprintf(place, sizeof place, "Telegram, гурӯҳи «Работа в %s»",
			 strcmp(p->country, "RU") ? "Дубае" : "Москве");
		break;
	}
	set_str(rec, "recruitment_place", place);
}

/* The exploitation part of a case: types, sector, means, countries,
 * period, events and the summary; *child when the person was under 18
 * when recruited. */
static void exploitation(struct person_ctx *p, json_t *rec, int64_t opened, int *child,
			 int64_t *recruited_day)
{
	static const struct code_pct sex_kinds[] = {
		{"Prostitution", 85}, {"PrivateSexualServices", 20}, {"Pornography", 5},
	};
	json_t *types = json_array(), *countries = json_array(), *events = json_array(), *ev;
	int64_t end = opened - 3 - demo_rng_below(&p->r, 90);
	int64_t start = end - 30 - demo_rng_below(&p->r, p->prof == PROF_MARRIAGE ? 1500 : 700);
	int64_t recruited = start - 5 - demo_rng_below(&p->r, 60);
	const char *city = demo_city(&p->r, p->country);
	char summary[600];
	unsigned months = (unsigned)((end - start) / 30 + 1);

	*child = p->age - (int)((p->g->today - recruited) / 365) < 18;
	*recruited_day = recruited;
	switch (p->prof) {
	case PROF_LABOUR:
		json_array_append_new(types, json_string("ForcedLabour"));
		if (*child)
			json_array_append_new(types, json_string("ChildLabour"));
		else if (demo_rng_pct(&p->r, 5))
			json_array_append_new(types, json_string("Servitude"));
		break;
	case PROF_SEX:
		json_array_append_new(types, json_string("SexualExploitation"));
		if (demo_rng_pct(&p->r, 10))
			json_array_append_new(types, json_string("ForcedLabour"));
		json_object_set_new(rec, "sex_exploitation_types",
				    draw_codes(&p->r, sex_kinds, COUNT(sex_kinds), 4));
		break;
	case PROF_MARRIAGE:
		json_array_append_new(types, json_string("ForcedMarriage"));
		if (demo_rng_pct(&p->r, 30))
			json_array_append_new(types, json_string("Servitude"));
		break;
	case PROF_SERVITUDE:
		json_array_append_new(types, json_string("Servitude"));
		break;
	default:
		json_array_append_new(types, json_string("ForcedBegging"));
		break;
	}
	json_object_set_new(rec, "exploitation_types", types);
	if (p->sector)
		set_str(rec, "labour_sector", p->sector);
	json_object_set_new(rec, "means_of_control",
			    draw_codes(&p->r, controls[p->prof].v, controls[p->prof].n, 6));
	recruitment(p, rec);
	json_array_append_new(countries, json_string(p->country));
	if (p->country2)
		json_array_append_new(countries, json_string(p->country2));
	json_object_set_new(rec, "countries_of_exploitation", countries);
	set_day(rec, "exploitation_start", start);
	set_day(rec, "exploitation_end", end);
	json_object_set_new(rec, "perpetrator_roles",
			    draw_codes(&p->r, perpetrators, COUNT(perpetrators), 4));
	ev = json_object();
	set_str(ev, "type", "Recruitment");
	set_str(ev, "country", "TJ");
	set_str(ev, "place", p->district);
	set_day(ev, "date", recruited);
	json_array_append_new(events, ev);
	if (p->country2) {
		ev = json_object();
		set_str(ev, "type", "Transit");
		set_str(ev, "country", p->country2);
		set_day(ev, "date", recruited + 2);
		json_array_append_new(events, ev);
	}
	ev = json_object();
	set_str(ev, "type", "Exploitation");
	set_str(ev, "country", p->country);
	if (city[0])
		set_str(ev, "place", city);
	set_day(ev, "date", start);
	json_array_append_new(events, ev);
	json_object_set_new(rec, "trafficking_events", events);
	summary_text(p, months, city[0] ? city : p->country, summary, sizeof summary);
	set_str(rec, "summary", summary);
}

/* What a closed case was closed for, and how far it got first. */
static const char *closure_reason(struct person_ctx *p, int referred, int *progress)
{
	static const char *const reasons[] = {
		"assistance_completed", "lost_contact", "declined_assistance", "moved_abroad",
		"not_a_victim", "duplicate", "other", "deceased",
	};
	static const unsigned reason_w[] = {55, 12, 8, 8, 8, 3, 5, 1};
	const char *r;

	if (referred) {
		*progress = 1 + (int)demo_rng_below(&p->r, 4);
		return "referred_elsewhere";
	}
	r = pick(&p->r, reasons, reason_w, COUNT(reasons));
	if (!strcmp(r, "assistance_completed"))
		*progress = demo_rng_pct(&p->r, 60) ? 5 : 4;
	else if (!strcmp(r, "lost_contact"))
		*progress = 1 + (int)demo_rng_below(&p->r, 5);
	else if (!strcmp(r, "declined_assistance"))
		*progress = (int)demo_rng_below(&p->r, 3);
	else if (!strcmp(r, "moved_abroad") || !strcmp(r, "other"))
		*progress = 1 + (int)demo_rng_below(&p->r, 4);
	else if (!strcmp(r, "not_a_victim"))
		*progress = 2;
	else if (!strcmp(r, "duplicate"))
		*progress = 0;
	else
		*progress = 4;
	return r;
}

enum { ST_ACTIVE, ST_FOLLOWUP, ST_CLOSED, ST_CLOSED_REFERRED };
static const char *const status_names[] = {"Active", "FollowUp", "Closed", "ClosedReferred"};

/* One case from opened to its end; previous names an earlier case of the
 * person or is NULL.  Writes the case's id into id_out. */
static void build_case(struct person_ctx *p, int status, int progress, const char *reason,
		       int64_t opened, int64_t closed, const char *previous, char id_out[ID_LEN])
{
	struct demo_batch *b = p->b;
	struct case_ctx c;
	struct case_row *row;
	json_t *rec;
	int child = 0, target;
	int64_t day;
	const char *by;

	memset(&c, 0, sizeof c);
	demo_id(p, c.id);
	memcpy(id_out, c.id, ID_LEN);
	c.assignee = demo_rng_pct(&p->r, 95) ? p->org->workers[demo_rng_below(&p->r,
								    (unsigned)p->org->nworkers)]
					     : "";
	by = c.assignee[0] ? c.assignee : p->worker;
	c.stage = "contact";
	c.opened = opened;
	c.closed = status >= ST_CLOSED;
	c.end = c.closed ? closed : p->g->today;
	c.version = 1;
	c.reason = reason;

	rec = json_object();
	exploitation(p, rec, opened, &child, &c.recruited);

	/* The timeline, in order; the case was created with its "opened" event. */
	case_event(p, &c, "opened", NULL, opened, by);
	memcpy(c.created, c.updated, TS_LEN);
	if (progress >= 1 && demo_rng_pct(&p->r, 60))
		note(p, &c, "assessment", PICK_TEXT(&p->r, assessment_texts),
		     between(&p->r, opened, min64(opened + 3, c.end)));
	day = between(&p->r, opened, min64(opened + 7, c.end));
	target = reason && !strcmp(reason, "not_a_victim")
			 ? 2
			 : (int)demo_rng_weighted(&p->r, (const unsigned[]){60, 30, 10}, 3);
	if (progress >= 1) {
		screening(p, &c, day, target, child);
		if (demo_rng_pct(&p->r, 15) && day + 20 <= c.end) {
			day = between(&p->r, day + 20, min64(day + 90, c.end));
			screening(p, &c, day, target, child);
		}
	}
	if (progress >= 2) {
		day = between(&p->r, day + 2, min64(day + 40, c.end));
		decisions(p, &c, min64(day, c.end));
	}
	if (progress == 3) { /* set by hand: referred to another agency */
		json_t *extra = json_pack("{s:s,s:s}", "from", c.stage, "to", "referral");
		day = between(&p->r, day, min64(day + 10, c.end));
		case_event(p, &c, "stage_changed", extra, day, by);
		c.stage = "referral";
		c.version++;
	}
	if (progress >= 4) {
		int64_t start = between(&p->r, min64(day + 2, c.end), min64(day + 20, c.end));
		plan(p, &c, start);
		services(p, &c, start);
		if (demo_rng_pct(&p->r, 40))
			note(p, &c, "note", PICK_TEXT(&p->r, note_texts),
			     between(&p->r, start, c.end));
		if (progress >= 5 || status == ST_FOLLOWUP)
			followups(p, &c, progress >= 5);
		else if (!c.closed && demo_rng_pct(&p->r, 40))
			followups(p, &c, 0);
		if (progress >= 5 && demo_rng_pct(&p->r, 30))
			note(p, &c, "return", PICK_TEXT(&p->r, return_texts),
			     between(&p->r, start, min64(start + 10, c.end)));
	}
	if (c.closed) {
		json_t *extra = json_pack("{s:s}", "reason", reason);
		case_event(p, &c, "closure", extra, closed, by);
		c.stage = casework_stage_after(c.stage, EV_CLOSURE);
		c.version++;
		set_str(rec, "closure_reason", reason);
		set_day(rec, "closed_on", closed);
	}

	/* The case row, its columns written back into the record as
	 * api/cases.c keeps them. */
	row = grow(b->cases, b->nc, &b->cap_c, sizeof *b->cases);
	if (!row) {
		p->failed = 1;
		json_decref(rec);
		return;
	}
	b->cases = row;
	row = &b->cases[b->nc++];
	memset(row, 0, sizeof *row);
	memcpy(row->id, c.id, ID_LEN);
	snprintf(row->org_id, sizeof row->org_id, "%s", p->org->id);
	snprintf(row->person_id, sizeof row->person_id, "%s", p->id);
	row->version = c.version;
	snprintf(row->status, sizeof row->status, "%s", status_names[status]);
	snprintf(row->stage, sizeof row->stage, "%s", c.stage);
	snprintf(row->trafficking_status, sizeof row->trafficking_status, "%s",
		 c.trafficking_status ? c.trafficking_status : "");
	snprintf(row->assigned_to, sizeof row->assigned_to, "%s", c.assignee);
	snprintf(row->previous_case_id, sizeof row->previous_case_id, "%s",
		 previous ? previous : "");
	day_str(opened, row->opened_on);
	if (c.closed)
		day_str(closed, row->closed_on);
	rows_case_columns_to_json(row, rec);
	memcpy(row->created_at, c.created, TS_LEN);
	memcpy(row->updated_at, c.updated, TS_LEN);
	if (rows_case_seal(p->g->kr, &b->mem, rec, row))
		p->failed = 1;
	json_decref(rec);
}

/* ---- consents ------------------------------------------------------------------ */

static void consent(struct person_ctx *p, const char *purpose, const char *recipient_org,
		    const char *recipient_type, int64_t given, int64_t expires, int64_t withdrawn)
{
	static const char *const methods[] = {"written", "verbal_witnessed", "electronic",
					      "guardian"};
	static const unsigned method_w[] = {70, 20, 5, 0};
	static const unsigned minor_w[] = {30, 10, 0, 60};
	struct item_row *it = item_push(p, "consent", NULL, p->worker, given);
	json_t *rec;

	if (!it)
		return;
	rec = json_object();
	set_str(rec, "purpose", purpose);
	if (recipient_org)
		set_str(rec, "recipient_org", recipient_org);
	if (recipient_type)
		set_str(rec, "recipient_type", recipient_type);
	set_str(rec, "method", pick(&p->r, methods, p->age < 18 ? minor_w : method_w, 4));
	set_day(rec, "given_on", given);
	if (expires)
		set_day(rec, "expires", expires);
	if (withdrawn)
		set_day(rec, "withdrawn_on", withdrawn);
	if (demo_rng_pct(&p->r, 10))
		set_str(rec, "notes", "Согласие подписано в присутствии социального работника.");
	if (rows_consent_seal(p->g->kr, &p->b->mem, rec, it))
		p->failed = 1;
	api_pprl_consent_seen(&p->enc, it->id, it->version, it->status);
	api_pprl_consent_add(&p->enc, rec, p->g->consent_today);
	json_decref(rec);
}

/* ---- the person ---------------------------------------------------------------- */

static const char *const regions[] = {"TJ-SU", "TJ-KT", "TJ-DU", "TJ-RA", "TJ-GB"};
static const unsigned region_w[] = {30, 32, 10, 22, 6};

static void draw_profile(struct person_ctx *p)
{
	static const unsigned profile_w[] = {76, 12, 5, 4, 3};
	static const unsigned female_pct[] = {12, 95, 100, 75, 40};
	static const int age_lo[] = {18, 16, 16, 18, 16}, age_hi[] = {55, 35, 25, 50, 60};
	static const char *const c_labour[] = {"RU", "KZ", "SA", "AE", "TR", "KR"};
	static const unsigned w_labour[] = {62, 14, 10, 7, 3, 4};
	static const char *const c_sex[] = {"AE", "TR", "RU", "KZ"};
	static const unsigned w_sex[] = {45, 25, 25, 5};
	static const char *const c_marriage[] = {"AF", "RU"};
	static const unsigned w_marriage[] = {90, 10};
	static const char *const c_servitude[] = {"AE", "SA", "RU", "TR"};
	static const unsigned w_servitude[] = {40, 30, 20, 10};
	static const char *const c_begging[] = {"RU", "KZ"};
	static const unsigned w_begging[] = {70, 30};
	static const char *const isic[] = {"F", "A", "C", "I", "H", "G"};
	static const unsigned isic_w[] = {55, 20, 8, 7, 5, 5};
	int span;

	p->prof = (enum profile)demo_rng_weighted(&p->r, profile_w, PROFILES);
	p->female = demo_rng_pct(&p->r, female_pct[p->prof]);
	span = age_hi[p->prof] - age_lo[p->prof] + 1;
	/* two draws averaged: most people in the middle of the range */
	p->age = age_lo[p->prof] + (int)(demo_rng_below(&p->r, (unsigned)span) +
					 demo_rng_below(&p->r, (unsigned)span)) / 2;
	p->sector = NULL;
	p->country2 = NULL;
	switch (p->prof) {
	case PROF_LABOUR:
		p->country = pick(&p->r, c_labour, w_labour, COUNT(c_labour));
		p->sector = pick(&p->r, isic, isic_w, COUNT(isic));
		if (!strcmp(p->country, "RU") && demo_rng_pct(&p->r, 8))
			p->country2 = "KZ";
		break;
	case PROF_SEX:
		p->country = pick(&p->r, c_sex, w_sex, COUNT(c_sex));
		if (!strcmp(p->country, "AE") && demo_rng_pct(&p->r, 10))
			p->country2 = "TR";
		break;
	case PROF_MARRIAGE:
		p->country = pick(&p->r, c_marriage, w_marriage, COUNT(c_marriage));
		break;
	case PROF_SERVITUDE:
		p->country = pick(&p->r, c_servitude, w_servitude, COUNT(c_servitude));
		p->sector = "T";
		break;
	default:
		p->country = pick(&p->r, c_begging, w_begging, COUNT(c_begging));
		break;
	}
}

/* The organisation that registers the person: NGOs of a region take most
 * of its people, the shelter takes survivors of sexual exploitation. */
static const struct demo_org_ref *draw_org(struct person_ctx *p)
{
	const struct demo_network *net = p->g->net;
	unsigned w[DEMO_ORGS_MAX];
	size_t i;

	for (i = 0; i < net->norgs; i++) {
		const struct demo_org_ref *o = &net->orgs[i];
		w[i] = o->share * 10;
		if (o->region)
			w[i] = strcmp(o->region, p->region) ? w[i] / 8 : w[i] * 3;
		if (o->shelter)
			w[i] = p->prof == PROF_SEX || p->prof == PROF_SERVITUDE ||
					       p->prof == PROF_MARRIAGE
				       ? w[i] * 3
				       : w[i] / 10;
	}
	return &net->orgs[demo_rng_weighted(&p->r, w, net->norgs)];
}

static json_t *person_record(struct person_ctx *p)
{
	static const char *const educations[] = {
		"PrimaryEducation", "LowerSecondaryEducation", "UpperSecondaryEducation",
		"PostSecondaryNonTertiaryEducation", "BachelorOrEquivalentLevel",
	};
	static const unsigned education_w[] = {8, 30, 42, 12, 8};
	static const char *const doc_types[] = {
		"national_passport", "foreign_passport", "national_id", "migration_card",
		"work_patent", "birth_certificate",
	};
	static const unsigned doc_w[] = {30, 35, 10, 12, 10, 3};
	struct demo_names nm;
	json_t *rec = json_object(), *a;
	char text[300];
	unsigned i, n;

	demo_names_make(&p->r, p->female, &nm);
	set_str(rec, "given_name", nm.given);
	set_str(rec, "family_name", nm.family);
	if (nm.patronymic[0])
		set_str(rec, "patronymic", nm.patronymic);
	if (nm.alias[0])
		json_object_set_new(rec, "aliases", json_pack("[s]", nm.alias));
	if (demo_rng_pct(&p->r, 85)) {
		int64_t born = p->g->today - (int64_t)p->age * 365 - p->age / 4 -
			       demo_rng_below(&p->r, 365);
		set_day(rec, "birth_date", born);
		p->born = born;
		p->estimated_age = -1;
	} else {
		p->born = 0;
		p->estimated_age = p->age - 2 + (int)demo_rng_below(&p->r, 5);
		json_object_set_new(rec, "estimated_age", json_integer(p->estimated_age));
	}
	set_str(rec, "gender", p->female ? "Feminine" : "Masculine");
	set_str(rec, "citizenship", "TJ");
	set_str(rec, "region_of_origin", p->region);
	if (demo_rng_pct(&p->r, 75))
		set_str(rec, "district_of_origin", p->district);
	n = demo_rng_pct(&p->r, 10) ? 0 : demo_rng_pct(&p->r, 78) ? 1 : 2;
	if (n) {
		a = json_array();
		for (i = 0; i < n; i++) {
			demo_phone_make(&p->r, text, sizeof text);
			json_array_append_new(a, json_string(text));
		}
		json_object_set_new(rec, "phones", a);
	}
	if (demo_rng_pct(&p->r, 45)) {
		json_t *doc = json_object();
		const char *type = pick(&p->r, doc_types, doc_w, COUNT(doc_types));
		demo_document_number(&p->r, type, text, sizeof text);
		set_str(doc, "type", type);
		set_str(doc, "number", text);
		set_str(doc, "issuing_country",
			!strcmp(type, "migration_card") || !strcmp(type, "work_patent") ? "RU" : "TJ");
		if (demo_rng_pct(&p->r, 20))
			json_object_set_new(doc, "held_by_other", json_true());
		json_object_set_new(rec, "identity_documents", json_pack("[o]", doc));
	}
	a = json_array();
	json_array_append_new(a, json_string("tg"));
	if (!strcmp(p->region, "TJ-SU") && demo_rng_pct(&p->r, 35))
		json_array_append_new(a, json_string("uz"));
	if (demo_rng_pct(&p->r, 70))
		json_array_append_new(a, json_string("ru"));
	if (demo_rng_pct(&p->r, 4))
		json_array_append_new(a, json_string("en"));
	json_object_set_new(rec, "languages", a);
	if (demo_rng_pct(&p->r, 85))
		set_str(rec, "education", p->age < 18 ? "LowerSecondaryEducation"
						      : pick(&p->r, educations, education_w,
							     COUNT(educations)));
	if (p->age >= 18) {
		static const char *const marital[] = {"Single", "Married", "Divorced", "Widowed",
						      "Separated"};
		static const unsigned marital_w[] = {30, 55, 9, 3, 3};
		const char *m = p->age < 22 && demo_rng_pct(&p->r, 60)
					? "Single"
					: pick(&p->r, marital, marital_w, COUNT(marital));
		set_str(rec, "marital_status", m);
		json_object_set_new(rec, "children",
				    json_integer(strcmp(m, "Single") ? (int)demo_rng_below(&p->r, 5) : 0));
	} else {
		set_str(rec, "marital_status", p->prof == PROF_MARRIAGE ? "Married" : "Single");
		json_object_set_new(rec, "children", json_integer(0));
	}
	if (demo_rng_pct(&p->r, 60)) {
		demo_address(&p->r, p->district, text, sizeof text);
		set_str(rec, "address", text);
	}
	return rec;
}

/* Room in the batch for one more person and their keys; -1 when out of
 * memory. */
static int person_room(struct demo_batch *b)
{
	struct person_row *persons = grow(b->persons, b->np, &b->cap_p, sizeof *b->persons);
	struct blind_key *keys;

	if (!persons)
		return -1;
	b->persons = persons;
	if (b->cap_kf < b->cap_p) {
		size_t *f = realloc(b->key_first, b->cap_p * sizeof *f), *c;
		if (!f)
			return -1;
		b->key_first = f;
		c = realloc(b->key_count, b->cap_p * sizeof *c);
		if (!c)
			return -1;
		b->key_count = c;
		b->cap_kf = b->cap_p;
	}
	while (b->nk + PERSON_KEYS_MAX > b->cap_k) {
		keys = grow(b->keys, b->cap_k, &b->cap_k, sizeof *b->keys);
		if (!keys)
			return -1;
		b->keys = keys;
	}
	return 0;
}

/* The person's row of the matching table, when their consents put them in
 * the network, and its stamp, when they have a consent not withdrawn (as
 * the server's refresh would write them, so that its pass at start finds
 * nothing to do); -1 when out of memory. */
static int encoding_push(struct person_ctx *p, json_t *rec)
{
	struct demo_batch *b = p->b;
	const struct person_row *row = &b->persons[b->np - 1];
	struct pprl_encoding *enc;

	api_pprl_encode(p->g->kr, p->g->pk, p->id, p->org->id, rec, &p->enc);
	if (p->enc.stamped)
		api_pprl_stamp(p->g->pk, row->id, row->org_id, row->version, row->updated_at, &p->enc);
	if (!p->enc.consenting && !p->enc.stamped)
		return 0;
	if (b->ne == b->cap_e) {
		/* Not realloc: the old block's encodings are wiped before it
		 * is freed. */
		size_t cap = b->cap_e ? b->cap_e * 2 : 1024;
		enc = malloc(cap * sizeof *enc);
		if (!enc)
			return -1;
		if (b->ne) {
			memcpy(enc, b->enc, b->ne * sizeof *enc);
			sodium_memzero(b->enc, b->ne * sizeof *enc);
		}
		free(b->enc);
		b->enc = enc;
		b->cap_e = cap;
	}
	b->enc[b->ne++] = p->enc;
	return 0;
}

/* A person, their consents and cases into the batch; 0, or -1 when out of
 * memory. */
static int build_person(const struct demo_gen *g, struct demo_batch *b, size_t number)
{
	struct person_ctx p;
	struct person_row *row;
	json_t *rec;
	int has_consent, ncases = 0, status[2] = {0, 0}, progress[2] = {0, 0};
	const char *reason[2] = {NULL, NULL};
	int64_t opened[2] = {0, 0}, closed[2] = {0, 0}, withdrawn = 0;
	char case_ids[2][ID_LEN];
	int i;

	memset(&p, 0, sizeof p);
	p.g = g;
	p.b = b;
	demo_rng_init(&p.r, g->seed, number);
	draw_profile(&p);
	p.region = pick(&p.r, regions, region_w, COUNT(regions));
	p.district = demo_district(&p.r, p.region);
	p.org = draw_org(&p);
	p.worker = p.org->workers[demo_rng_below(&p.r, (unsigned)p.org->nworkers)];
	p.number = number;
	demo_id(&p, p.id);

	/* What happens to the person: consent, then none, one or two cases. */
	has_consent = demo_rng_pct(&p.r, 93);
	if (has_consent && demo_rng_pct(&p.r, 96))
		ncases = demo_rng_pct(&p.r, 5) ? 2 : 1;
	for (i = 0; i < ncases; i++) {
		static const unsigned status_w[] = {38, 20, 32, 10};
		int s = (int)demo_rng_weighted(&p.r, status_w, 4);
		if (ncases == 2 && i == 0) { /* the earlier episode, closed long ago */
			status[i] = ST_CLOSED;
			reason[i] = "assistance_completed";
			progress[i] = 5;
			opened[i] = g->today - 1000 - demo_rng_below(&p.r, 700);
			closed[i] = opened[i] + 120 + demo_rng_below(&p.r, 240);
			continue;
		}
		status[i] = s;
		if (s == ST_ACTIVE) {
			static const unsigned stage_w[] = {10, 18, 17, 10, 40, 5};
			progress[i] = (int)demo_rng_weighted(&p.r, stage_w, 6);
			opened[i] = g->today - min64(demo_rng_below(&p.r, 240), demo_rng_below(&p.r, 240));
		} else if (s == ST_FOLLOWUP) {
			progress[i] = demo_rng_pct(&p.r, 30) ? 4 : 5;
			opened[i] = g->today - 120 - demo_rng_below(&p.r, 600);
		} else {
			reason[i] = closure_reason(&p, s == ST_CLOSED_REFERRED, &progress[i]);
			opened[i] = g->today - 60 - demo_rng_below(&p.r, 1040);
		}
		if (i == 1)
			opened[i] = max64(opened[i], closed[0] + 60);
		opened[i] = min64(opened[i], g->today);
		if (s >= ST_CLOSED) {
			int64_t length = progress[i] >= 4 ? 40 + demo_rng_below(&p.r, 400)
							  : 3 + demo_rng_below(&p.r, 60);
			closed[i] = min64(opened[i] + length, g->today);
		}
	}
	p.registered = ncases ? opened[0] - demo_rng_below(&p.r, 4)
			      : g->today - demo_rng_below(&p.r, 700);

	/* The person row and its name and phone keys. */
	if (person_room(b))
		return -1;
	rec = person_record(&p);
	if (!ncases)
		set_str(rec, "beneficiary_group", p.female ? "woman_migrant" : "returnee");
	row = &b->persons[b->np];
	memset(row, 0, sizeof *row);
	memcpy(row->id, p.id, ID_LEN);
	snprintf(row->org_id, sizeof row->org_id, "%s", p.org->id);
	row->version = 1;
	ts_str(p.registered, office_secs(&p, p.registered), row->created_at);
	memcpy(row->updated_at, row->created_at, TS_LEN);
	b->key_first[b->np] = b->nk;
	if (rows_person_seal(g->kr, &b->mem, rec, row, b->keys + b->nk, PERSON_KEYS_MAX,
			     &b->key_count[b->np]) || !row->sealed)
		p.failed = 1;
	b->nk += b->key_count[b->np];
	b->np++;

	/* Cases, oldest first. */
	for (i = 0; i < ncases; i++)
		build_case(&p, status[i], progress[i], reason[i], opened[i], closed[i],
			   i ? case_ids[0] : NULL, case_ids[i]);
	for (i = 0; i < ncases; i++)
		if (reason[i] && !strcmp(reason[i], "declined_assistance") && demo_rng_pct(&p.r, 70))
			withdrawn = closed[i];

	/* Consents: to assistance (a new one for a second episode when the
	 * first has run out), sometimes to referral, law enforcement and
	 * anonymous statistics; some expired, some withdrawn. */
	if (has_consent) {
		int64_t expires = demo_rng_pct(&p.r, 40) ? p.registered + 730 : 0;
		int renewed = ncases == 2 && expires && expires < opened[1];
		consent(&p, "assistance", NULL, NULL, p.registered, expires, renewed ? 0 : withdrawn);
		if (renewed)
			consent(&p, "assistance", NULL, NULL, opened[1] - demo_rng_below(&p.r, 3), 0,
				withdrawn);
		if (demo_rng_pct(&p.r, 35))
			consent(&p, "referral",
				p.prof == PROF_SEX || p.prof == PROF_MARRIAGE ? "shelter-panoh"
									      : "police-du",
				NULL, p.registered, p.registered + 365, 0);
		if (demo_rng_pct(&p.r, 20)) {
			/* the prosecutor's office, or any law enforcement body
			 * (both would name nobody: the prosecutor is not one) */
			int64_t ended = demo_rng_pct(&p.r, 5) ? min64(p.registered + 30, g->today) : 0;
			int prosecutor = demo_rng_pct(&p.r, 50);
			consent(&p, "law_enforcement", prosecutor ? "prosecutor" : NULL,
				prosecutor ? NULL : "LawEnforcement", p.registered, 0, ended);
		}
		if (demo_rng_pct(&p.r, 45))
			consent(&p, "statistics", NULL, NULL, p.registered, 0, 0);
		if (demo_rng_pct(&p.r, 5))
			consent(&p, "research", NULL, NULL, p.registered, p.registered + 365, 0);
		/* Without a case: a prevention beneficiary. */
		if (!ncases)
			prevention(&p);
	}
	if (g->pk && encoding_push(&p, rec))
		p.failed = 1;
	json_decref(rec);
	sodium_memzero(&p.enc, sizeof p.enc);
	return p.failed ? -1 : 0;
}

int demo_batch_build(const struct demo_gen *g, struct demo_batch *b, size_t first, size_t count)
{
	size_t i;

	demo_batch_reset(b);
	for (i = 0; i < count; i++)
		if (build_person(g, b, first + i) != 0)
			return -1;
	return 0;
}
