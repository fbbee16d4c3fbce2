/*
 * prevention.c - the records of prevention, kept on a person who needs no
 * trafficking case (a woman migrant, a returnee, a family member left
 * behind): services (TVET, counselling, information sessions), the
 * household of a family left behind with its members and remittances, and
 * the household's vulnerability assessment on IOM's Determinants of
 * Migrant Vulnerability model (factors at the individual, household,
 * community and structural levels, each a risk or a protective one).
 * Names of members, amounts and free text are sealed; codes stay
 * countable.
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, name, arr) const struct resource_schema var = {name, arr, COUNT(arr)}

static const struct field prevention_service_fields[] = {
	{ .name = "type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_prevention_service_type,
	  .required = 1,
	  .label_tg = "Навъи хизмат", .label_ru = "Вид услуги", .label_en = "Service type" },
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_service_status,
	  .required = 1,
	  .label_tg = "Ҳолат", .label_ru = "Статус", .label_en = "Status" },
	{ .name = "provider_org", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 64,
	  .label_tg = "Хизматрасон", .label_ru = "Поставщик услуги", .label_en = "Provider" },
	{ .name = "start", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1,
	  .label_tg = "Оғоз", .label_ru = "Начало", .label_en = "Start" },
	{ .name = "end", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1, .not_before = "start",
	  .label_tg = "Анҷом", .label_ru = "Окончание", .label_en = "End" },
	{ .name = "trade", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 200,
	  .label_tg = "Касб", .label_ru = "Профессия", .label_en = "Trade" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(prevention_service_schema, "prevention_service", prevention_service_fields);

static const struct field member_fields[] = {
	{ .name = "name", .type = FT_TEXT, .cls = FC_PII, .maxlen = 200, .required = 1,
	  .label_tg = "Ном", .label_ru = "Имя", .label_en = "Name" },
	{ .name = "relation", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_household_relation,
	  .required = 1,
	  .label_tg = "Хешӣ", .label_ru = "Родство", .label_en = "Relation" },
	{ .name = "sex", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_gender,
	  .label_tg = "Ҷинс", .label_ru = "Пол", .label_en = "Sex" },
	{ .name = "birth_year", .type = FT_INT, .cls = FC_CODED, .min = 1900, .max = 2100,
	  .label_tg = "Соли таваллуд", .label_ru = "Год рождения", .label_en = "Year of birth" },
	{ .name = "abroad", .type = FT_BOOL, .cls = FC_CODED,
	  .label_tg = "Дар хориҷ", .label_ru = "За рубежом", .label_en = "Abroad" },
	{ .name = "country", .type = FT_COUNTRY, .cls = FC_CODED,
	  .label_tg = "Кишвари будубош", .label_ru = "Страна пребывания", .label_en = "Country where" },
	{ .name = "sends_remittances", .type = FT_BOOL, .cls = FC_CODED,
	  .label_tg = "Пул мефиристад", .label_ru = "Присылает деньги", .label_en = "Sends remittances" },
};
static SCHEMA(member_schema, "household_member", member_fields);

static const struct field household_fields[] = {
	{ .name = "region", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_tj_regions_iso3166_2,
	  .label_tg = "Минтақа", .label_ru = "Регион", .label_en = "Region" },
	{ .name = "district", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 100,
	  .label_tg = "Ноҳия", .label_ru = "Район", .label_en = "District" },
	{ .name = "members", .type = FT_OBJECT_LIST, .cls = FC_PII, .maxitems = 30,
	  .sub = &member_schema,
	  .label_tg = "Аъзои хонавода", .label_ru = "Члены домохозяйства",
	  .label_en = "Household members" },
	{ .name = "remittance_dependence", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_remittance_dependence,
	  .label_tg = "Вобастагӣ аз интиқоли пул", .label_ru = "Зависимость от денежных переводов",
	  .label_en = "Dependence on remittances" },
	{ .name = "remittance_monthly", .type = FT_INT, .cls = FC_SENSITIVE, .min = 0, .max = 10000000,
	  .label_tg = "Интиқоли пул дар як моҳ", .label_ru = "Переводы в месяц",
	  .label_en = "Remittances a month" },
	{ .name = "currency", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_currency,
	  .label_tg = "Асъор", .label_ru = "Валюта", .label_en = "Currency" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(household_schema, "household", household_fields);

static const struct field factor_fields[] = {
	{ .name = "level", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_vulnerability_level_domv,
	  .required = 1,
	  .label_tg = "Сатҳ", .label_ru = "Уровень", .label_en = "Level" },
	{ .name = "kind", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_vulnerability_factor_kind,
	  .required = 1,
	  .label_tg = "Навъ", .label_ru = "Вид", .label_en = "Kind" },
	{ .name = "factor", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 500, .required = 1,
	  .label_tg = "Омил", .label_ru = "Фактор", .label_en = "Factor" },
};
static SCHEMA(factor_schema, "vulnerability_factor", factor_fields);

static const struct field assessment_fields[] = {
	{ .name = "household_id", .type = FT_ID, .cls = FC_CODED, .required = 1,
	  .label_tg = "Хонавода", .label_ru = "Домохозяйство", .label_en = "Household" },
	{ .name = "date", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Сана", .label_ru = "Дата", .label_en = "Date" },
	{ .name = "factors", .type = FT_OBJECT_LIST, .cls = FC_SENSITIVE, .maxitems = 60,
	  .sub = &factor_schema,
	  .label_tg = "Омилҳо (DoMV)", .label_ru = "Факторы (DoMV)", .label_en = "Factors (DoMV)" },
	{ .name = "rating", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_vulnerability_rating,
	  .required = 1,
	  .label_tg = "Дараҷаи осебпазирӣ", .label_ru = "Уровень уязвимости",
	  .label_en = "Vulnerability" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(assessment_schema, "vulnerability_assessment", assessment_fields);

/* A pre-departure orientation session: where and for whom, and how many
 * came, never who (like the trainings' participants). */
static const struct field orientation_fields[] = {
	{ .name = "date", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Сана", .label_ru = "Дата", .label_en = "Date" },
	{ .name = "place", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 200, .required = 1,
	  .label_tg = "Ҷой", .label_ru = "Место", .label_en = "Place" },
	{ .name = "region", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_tj_regions_iso3166_2,
	  .label_tg = "Минтақа", .label_ru = "Регион", .label_en = "Region" },
	{ .name = "destination", .type = FT_COUNTRY, .cls = FC_CODED,
	  .label_tg = "Кишвари таъинот", .label_ru = "Страна назначения",
	  .label_en = "Country of destination" },
	{ .name = "women", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 10000, .required = 1,
	  .label_tg = "Занон", .label_ru = "Женщины", .label_en = "Women" },
	{ .name = "men", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 10000, .required = 1,
	  .label_tg = "Мардон", .label_ru = "Мужчины", .label_en = "Men" },
};
SCHEMA(orientation_schema, "orientation", orientation_fields);
