/*
 * contact.c - the fields of the hotline: a contact (one call, message or
 * visit), a time-limited flag on a caller's number, a callback and a
 * public callback request.
 *
 * Only codes, times and counts are stored in clear (the reports count
 * them).  The caller's number and the notes are pii: sealed, and the
 * number is found again only through its keyed blind index.  A non-data
 * contact (silent, hang-up, wrong number, test, abusive) keeps nothing
 * but channel, call type, time, duration, language and operator; the API
 * drops every other field (api/contacts.c, contact_keeps()).
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, name, arr) const struct resource_schema var = {name, arr, COUNT(arr)}

#define PHONE_MAXLEN 32

/* The ILO indicators a hotline operator flags that are CTDC means of
 * control: a flagged one sets the column of the case it is linked to. */
static const struct std_value ctdc_ilo[] = {
	{"restriction_of_movement", "meansOfControlRestrictsMovement"},
	{"retention_of_identity_documents", "meansOfControlWithholdsDocuments"},
	{"debt_bondage", "meansOfControlDebtBondage"},
	{"withholding_of_wages", "meansOfControlTakesEarnings"},
	{"excessive_overtime", "meansOfControlExcessiveWorkingHours"},
	{"intimidation_and_threats", "meansOfControlThreats"},
	{"physical_and_sexual_violence", "meansOfControlPhysicalAbuse"},
	{NULL, NULL},
};

static const struct field contact_fields[] = {
	{ .name = "channel", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_hotline_channel,
	  .required = 1,
	  .label_tg = "Шабака", .label_ru = "Канал", .label_en = "Channel" },
	{ .name = "call_type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_hotline_call_type,
	  .required = 1,
	  .label_tg = "Навъи занг", .label_ru = "Тип звонка", .label_en = "Call type" },
	{ .name = "started_at", .type = FT_DATETIME, .cls = FC_CODED,
	  .label_tg = "Оғоз", .label_ru = "Начало", .label_en = "Started at" },
	{ .name = "duration_s", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 86400,
	  .label_tg = "Давомнокӣ (сония)", .label_ru = "Длительность (с)",
	  .label_en = "Duration (s)" },
	{ .name = "language", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_languages,
	  .label_tg = "Забон", .label_ru = "Язык", .label_en = "Language" },
	{ .name = "caller_kind", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_hotline_caller_kind,
	  .label_tg = "Зангзананда", .label_ru = "Кто звонит", .label_en = "Caller" },
	{ .name = "caller_country", .type = FT_COUNTRY, .cls = FC_CODED,
	  .label_tg = "Кишвари зангзананда", .label_ru = "Страна звонящего",
	  .label_en = "Caller's country" },
	{ .name = "caller_region", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 100,
	  .label_tg = "Минтақаи зангзананда", .label_ru = "Регион звонящего",
	  .label_en = "Caller's region" },
	{ .name = "topics", .type = FT_CODE_LIST, .cls = FC_CODED, .codes = &cl_contact_topic,
	  .maxitems = 7,
	  .label_tg = "Мавзӯъҳо", .label_ru = "Темы", .label_en = "Topics" },
	{ .name = "indicators", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_ilo_forced_labour_indicators, .maxitems = 11,
	  .label_tg = "Нишондиҳандаҳои меҳнати маҷбурӣ (СБМ)",
	  .label_ru = "Индикаторы принудительного труда (МОТ)",
	  .label_en = "Forced-labour indicators (ILO)",
	  .ctdc = "meansOfControl", .ctdc_values = ctdc_ilo },
	{ .name = "action", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_contact_action,
	  .label_tg = "Чораи андешидашуда", .label_ru = "Принятые меры", .label_en = "Action taken" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_PII, .maxlen = 4000,
	  .label_tg = "Қайдҳо", .label_ru = "Заметки", .label_en = "Notes" },
	{ .name = "caller_phone", .type = FT_TEXT, .cls = FC_PII, .maxlen = PHONE_MAXLEN,
	  .index = NX_PHONE,
	  .label_tg = "Телефони зангзананда", .label_ru = "Телефон звонящего",
	  .label_en = "Caller's phone" },
	{ .name = "case_id", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Парванда", .label_ru = "Случай", .label_en = "Case" },
	{ .name = "person_id", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Шахс", .label_ru = "Лицо", .label_en = "Person" },
	{ .name = "kb_articles", .type = FT_TEXT_LIST, .cls = FC_CODED, .maxitems = 20,
	  .maxlen = 64,
	  .label_tg = "Мақолаҳои гуфташуда", .label_ru = "Сообщённые статьи",
	  .label_en = "Articles told" },
	{ .name = "operator", .type = FT_ID, .cls = FC_CODED, .readonly = 1,
	  .label_tg = "Оператор", .label_ru = "Оператор", .label_en = "Operator" },
};
SCHEMA(contact_schema, "contact", contact_fields);

static const struct field caller_flag_fields[] = {
	{ .name = "phone", .type = FT_TEXT, .cls = FC_PII, .maxlen = PHONE_MAXLEN, .required = 1,
	  .index = NX_PHONE,
	  .label_tg = "Телефон", .label_ru = "Телефон", .label_en = "Phone" },
	{ .name = "flag", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_caller_flag,
	  .required = 1,
	  .label_tg = "Нишона", .label_ru = "Отметка", .label_en = "Flag" },
	{ .name = "until", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1, .required = 1,
	  .label_tg = "То сана", .label_ru = "До даты", .label_en = "Until" },
	{ .name = "note", .type = FT_TEXT, .cls = FC_PII, .maxlen = 500,
	  .label_tg = "Эзоҳ", .label_ru = "Примечание", .label_en = "Note" },
};
SCHEMA(caller_flag_schema, "caller_flag", caller_flag_fields);

static const struct field callback_fields[] = {
	{ .name = "phone", .type = FT_TEXT, .cls = FC_PII, .maxlen = PHONE_MAXLEN,
	  .index = NX_PHONE,
	  .label_tg = "Телефон", .label_ru = "Телефон", .label_en = "Phone" },
	{ .name = "contact_id", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Муроҷиат", .label_ru = "Обращение", .label_en = "Contact" },
	{ .name = "due", .type = FT_DATETIME, .cls = FC_CODED, .future_ok = 1, .required = 1,
	  .label_tg = "Вақти занг", .label_ru = "Время звонка", .label_en = "Due" },
	{ .name = "safe_note", .type = FT_TEXT, .cls = FC_PII, .maxlen = 500,
	  .label_tg = "Кай занг задан бехатар аст", .label_ru = "Когда звонить безопасно",
	  .label_en = "Safe-to-call note" },
	{ .name = "language", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_languages,
	  .label_tg = "Забон", .label_ru = "Язык", .label_en = "Language" },
	{ .name = "assigned_to", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Масъул", .label_ru = "Ответственный", .label_en = "Assigned to" },
	{ .name = "outcome", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_callback_outcome,
	  .label_tg = "Натиҷа", .label_ru = "Результат", .label_en = "Outcome" },
	{ .name = "done", .type = FT_BOOL, .cls = FC_CODED,
	  .label_tg = "Иҷро шуд", .label_ru = "Выполнено", .label_en = "Done" },
	{ .name = "preferred_time", .type = FT_TEXT, .cls = FC_PII, .maxlen = 64, .readonly = 1,
	  .label_tg = "Вақти қулай", .label_ru = "Удобное время", .label_en = "Preferred time" },
	{ .name = "message", .type = FT_TEXT, .cls = FC_PII, .maxlen = 500, .readonly = 1,
	  .label_tg = "Паём", .label_ru = "Сообщение", .label_en = "Message" },
};
SCHEMA(callback_schema, "callback", callback_fields);

/* What the public form sends (besides its anti-bot token and honeypot):
 * checked with these limits, never echoed. */
static const struct field callback_request_fields[] = {
	{ .name = "phone", .type = FT_TEXT, .cls = FC_PII, .maxlen = PHONE_MAXLEN, .required = 1,
	  .index = NX_PHONE,
	  .label_tg = "Телефон", .label_ru = "Телефон", .label_en = "Phone" },
	{ .name = "preferred_time", .type = FT_TEXT, .cls = FC_PII, .maxlen = 64,
	  .label_tg = "Вақти қулай", .label_ru = "Удобное время", .label_en = "Preferred time" },
	{ .name = "language", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_languages,
	  .label_tg = "Забон", .label_ru = "Язык", .label_en = "Language" },
	{ .name = "message", .type = FT_TEXT, .cls = FC_PII, .maxlen = 500,
	  .label_tg = "Паём", .label_ru = "Сообщение", .label_en = "Message" },
};
SCHEMA(callback_request_schema, "callback_request", callback_request_fields);
