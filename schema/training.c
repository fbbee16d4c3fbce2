/*
 * training.c - the fields of capacity building: a training event and its
 * participants.  Participants are never named: agency type, sex, role and
 * test scores only, so every field is coded (nothing to seal).
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, name, arr) const struct resource_schema var = {name, arr, COUNT(arr)}

static const struct field training_fields[] = {
	{ .name = "topic", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 200, .required = 1,
	  .label_tg = "Мавзӯъ", .label_ru = "Тема", .label_en = "Topic" },
	{ .name = "start", .type = FT_DATE, .cls = FC_CODED, .required = 1, .future_ok = 1,
	  .label_tg = "Оғоз", .label_ru = "Начало", .label_en = "Start" },
	{ .name = "end", .type = FT_DATE, .cls = FC_CODED, .required = 1, .future_ok = 1,
	  .not_before = "start",
	  .label_tg = "Анҷом", .label_ru = "Окончание", .label_en = "End" },
	{ .name = "place", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 200, .required = 1,
	  .label_tg = "Ҷой", .label_ru = "Место", .label_en = "Place" },
	{ .name = "organiser_org", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 64, .required = 1,
	  .label_tg = "Ташкилотчӣ", .label_ru = "Организатор", .label_en = "Organiser" },
};
SCHEMA(training_schema, "training", training_fields);

static const struct field participant_fields[] = {
	{ .name = "agency_type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_org_type,
	  .required = 1,
	  .label_tg = "Навъи идора", .label_ru = "Тип ведомства", .label_en = "Agency type" },
	{ .name = "sex", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_gender, .required = 1,
	  .label_tg = "Ҷинс", .label_ru = "Пол", .label_en = "Sex" },
	{ .name = "role", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_training_role,
	  .required = 1,
	  .label_tg = "Вазифа", .label_ru = "Должность", .label_en = "Role" },
	/* The agency by its sector too: police, border and customs are all
	 * LawEnforcement (issue 18: study visits by agency). */
	{ .name = "sector", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_sector,
	  .label_tg = "Соҳаи идора", .label_ru = "Сектор ведомства", .label_en = "Agency sector" },
	{ .name = "pre_score", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 100,
	  .label_tg = "Санҷиши пешакӣ", .label_ru = "Тест до обучения", .label_en = "Pre-test score" },
	{ .name = "post_score", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 100,
	  .label_tg = "Санҷиши ниҳоӣ", .label_ru = "Тест после обучения",
	  .label_en = "Post-test score" },
};
SCHEMA(participant_schema, "participant", participant_fields);

/* A study visit: a training of its own kind (trainings.kind = "study_visit"),
 * to see how another country's agencies work: where (country and city),
 * who hosts it, why.  Its participants are counted as a training's are. */
static const struct field study_visit_fields[] = {
	{ .name = "topic", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 200, .required = 1,
	  .label_tg = "Номи сафар", .label_ru = "Название визита", .label_en = "Visit title" },
	{ .name = "start", .type = FT_DATE, .cls = FC_CODED, .required = 1, .future_ok = 1,
	  .label_tg = "Оғоз", .label_ru = "Начало", .label_en = "Start" },
	{ .name = "end", .type = FT_DATE, .cls = FC_CODED, .required = 1, .future_ok = 1,
	  .not_before = "start",
	  .label_tg = "Анҷом", .label_ru = "Окончание", .label_en = "End" },
	{ .name = "country", .type = FT_COUNTRY, .cls = FC_CODED, .required = 1,
	  .label_tg = "Кишвари сафар", .label_ru = "Страна визита", .label_en = "Destination country" },
	{ .name = "place", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 200, .required = 1,
	  .label_tg = "Шаҳр", .label_ru = "Город", .label_en = "City" },
	{ .name = "host", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 200, .required = 1,
	  .label_tg = "Ташкилоти қабулкунанда", .label_ru = "Принимающая организация",
	  .label_en = "Host organisation" },
	{ .name = "purpose", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 1000,
	  .label_tg = "Мақсад", .label_ru = "Цель", .label_en = "Purpose" },
	{ .name = "organiser_org", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 64, .required = 1,
	  .label_tg = "Ташкилотчӣ", .label_ru = "Организатор", .label_en = "Organiser" },
};
SCHEMA(study_visit_schema, "study_visit", study_visit_fields);
