/*
 * plan.c - the national Action Plan on counter-trafficking as data: its
 * activities (number, text in three languages, responsible and partner
 * agencies, deadline, indicator with baseline and target) and the
 * agencies' progress reports (period, value reached, note).  Nothing here
 * is about a person: every field is coded, none sealed.  A plan is loaded
 * from a file (`himoya plan load`, POST /plan), so the next plan needs no
 * code.
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, name, arr) const struct resource_schema var = {name, arr, COUNT(arr)}

static const struct field activity_fields[] = {
	{ .name = "number", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 16, .required = 1,
	  .label_tg = "Рақам", .label_ru = "Номер", .label_en = "Number" },
	{ .name = "text_tg", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 2000,
	  .label_tg = "Чорабинӣ (тоҷикӣ)", .label_ru = "Мероприятие (тадж.)",
	  .label_en = "Activity (Tajik)" },
	{ .name = "text_ru", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 2000,
	  .label_tg = "Чорабинӣ (русӣ)", .label_ru = "Мероприятие (рус.)",
	  .label_en = "Activity (Russian)" },
	{ .name = "text_en", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 2000, .required = 1,
	  .label_tg = "Чорабинӣ (англисӣ)", .label_ru = "Мероприятие (англ.)",
	  .label_en = "Activity (English)" },
	{ .name = "responsible", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 64, .required = 1,
	  .label_tg = "Иҷрокунанда", .label_ru = "Ответственный", .label_en = "Responsible" },
	{ .name = "partners", .type = FT_TEXT_LIST, .cls = FC_CODED, .maxlen = 64, .maxitems = 20,
	  .label_tg = "Шарикон", .label_ru = "Партнёры", .label_en = "Partners" },
	{ .name = "deadline", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1, .required = 1,
	  .label_tg = "Мӯҳлат", .label_ru = "Срок", .label_en = "Deadline" },
	{ .name = "indicator", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 500,
	  .label_tg = "Нишондиҳанда", .label_ru = "Индикатор", .label_en = "Indicator" },
	{ .name = "baseline", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 1000000000,
	  .label_tg = "Сатҳи ибтидоӣ", .label_ru = "Исходный уровень", .label_en = "Baseline" },
	{ .name = "target", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 1000000000,
	  .required = 1,
	  .label_tg = "Ҳадаф", .label_ru = "Цель", .label_en = "Target" },
	{ .name = "sample", .type = FT_BOOL, .cls = FC_CODED,
	  .label_tg = "Намуна (на матни расмӣ)", .label_ru = "Образец (не официальный текст)",
	  .label_en = "Sample (not official text)" },
};
SCHEMA(plan_activity_schema, "plan_activity", activity_fields);

static const struct field report_fields[] = {
	{ .name = "period", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 20, .required = 1,
	  .label_tg = "Давра", .label_ru = "Период", .label_en = "Period" },
	{ .name = "value", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 1000000000,
	  .required = 1,
	  .label_tg = "Қимати расида", .label_ru = "Достигнутое значение", .label_en = "Value reached" },
	{ .name = "note", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 2000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечание", .label_en = "Note" },
};
SCHEMA(plan_report_schema, "plan_report", report_fields);
