/*
 * justice.c - the criminal-justice track and the protection of a case:
 * perpetrators (HTCDS 2.0 per_), criminal proceedings with their stages,
 * shelter stays, risk assessments and safety plans.  Names, identifiers,
 * case numbers and the content of assessments and plans are sealed; the
 * dates and codes that the indicator report counts stay coded.
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, name, arr) const struct resource_schema var = {name, arr, COUNT(arr)}

/* ---- perpetrators --------------------------------------------------- */

static const struct field perpetrator_fields[] = {
	{ .name = "given_name", .type = FT_TEXT, .cls = FC_PII, .maxlen = 100,
	  .index = NX_NAME,
	  .label_tg = "Ном", .label_ru = "Имя", .label_en = "Given name" },
	{ .name = "family_name", .type = FT_TEXT, .cls = FC_PII, .maxlen = 100,
	  .index = NX_NAME,
	  .label_tg = "Насаб", .label_ru = "Фамилия", .label_en = "Family name" },
	{ .name = "patronymic", .type = FT_TEXT, .cls = FC_PII, .maxlen = 100,
	  .index = NX_NAME,
	  .label_tg = "Номи падар", .label_ru = "Отчество", .label_en = "Patronymic" },
	{ .name = "aliases", .type = FT_TEXT_LIST, .cls = FC_PII, .maxlen = 200, .maxitems = 20,
	  .index = NX_NAME,
	  .label_tg = "Номҳои дигар", .label_ru = "Другие имена", .label_en = "Aliases" },
	{ .name = "identifiers", .type = FT_TEXT_LIST, .cls = FC_PII, .maxlen = 200, .maxitems = 10,
	  .label_tg = "Ҳуҷҷатҳо ва рақамҳо", .label_ru = "Документы и номера",
	  .label_en = "Identifiers" },
	{ .name = "gender", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_gender,
	  .label_tg = "Ҷинс", .label_ru = "Пол", .label_en = "Gender" },
	{ .name = "citizenship", .type = FT_COUNTRY, .cls = FC_CODED,
	  .label_tg = "Шаҳрвандӣ", .label_ru = "Гражданство", .label_en = "Citizenship" },
	{ .name = "role_in_process", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_perpetrator_role, .maxitems = 15, .required = 1,
	  .label_tg = "Нақш дар раванд", .label_ru = "Роль в процессе",
	  .label_en = "Role in the process",
	  .htcds = "per_RoleInProcess" },
	{ .name = "role_details", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Тафсилоти нақш", .label_ru = "Подробности роли", .label_en = "Role details",
	  .htcds = "per_RoleDetails" },
};
SCHEMA(perpetrator_schema, "perpetrator", perpetrator_fields);

/* ---- criminal proceedings ------------------------------------------- */

/* The stages are dates, in order (domain/justice.h checks it): reported,
 * investigation opened, sent to court, verdict. */
static const struct field proceeding_fields[] = {
	{ .name = "case_number", .type = FT_TEXT, .cls = FC_PII, .maxlen = 100,
	  .label_tg = "Рақами парвандаи ҷиноятӣ", .label_ru = "Номер уголовного дела",
	  .label_en = "Criminal case number" },
	{ .name = "article", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_criminal_code_article,
	  .required = 1,
	  .label_tg = "Моддаи Кодекси ҷиноятӣ", .label_ru = "Статья Уголовного кодекса",
	  .label_en = "Article of the Criminal Code" },
	{ .name = "reported_on", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Санаи хабардиҳӣ", .label_ru = "Дата сообщения", .label_en = "Reported on" },
	{ .name = "investigation_on", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Санаи оғози тафтиш", .label_ru = "Дата возбуждения расследования",
	  .label_en = "Investigation opened on" },
	{ .name = "court_on", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Санаи ба суд фиристодан", .label_ru = "Дата направления в суд",
	  .label_en = "Sent to court on" },
	{ .name = "verdict", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_proceeding_verdict,
	  .label_tg = "Ҳукм", .label_ru = "Приговор", .label_en = "Verdict" },
	{ .name = "verdict_on", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Санаи ҳукм", .label_ru = "Дата приговора", .label_en = "Verdict on" },
	{ .name = "sentence", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 500,
	  .label_tg = "Ҷазо", .label_ru = "Наказание", .label_en = "Sentence" },
	{ .name = "victim_role", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_procedural_role,
	  .label_tg = "Нақши мурофиавии ҷабрдида", .label_ru = "Процессуальный статус жертвы",
	  .label_en = "Victim's procedural role" },
	{ .name = "protection_measures", .type = FT_CODE_LIST, .cls = FC_SENSITIVE,
	  .codes = &cl_protection_measure, .maxitems = 6,
	  .label_tg = "Чораҳои ҳифз", .label_ru = "Меры защиты", .label_en = "Protection measures" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(proceeding_schema, "proceeding", proceeding_fields);

/* ---- shelter stays -------------------------------------------------- */

static const struct field stay_fields[] = {
	{ .name = "case_id", .type = FT_ID, .cls = FC_CODED, .required = 1,
	  .label_tg = "Парванда", .label_ru = "Случай", .label_en = "Case" },
	{ .name = "admitted_on", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Санаи қабул", .label_ru = "Дата поступления", .label_en = "Admitted on" },
	{ .name = "admission_reason", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_stay_admission_reason, .required = 1,
	  .label_tg = "Сабаби қабул", .label_ru = "Причина поступления",
	  .label_en = "Reason for admission" },
	/* Sent after the answer "eligibility-mismatch": the shelter does not
	 * take the person's gender or age, and the worker admits anyway (kept
	 * with the stay, so that the exception can be found). */
	{ .name = "eligibility_override", .type = FT_BOOL, .cls = FC_CODED,
	  .label_tg = "Бо вуҷуди номувофиқ будан қабул шуд", .label_ru = "Принят(а), несмотря на несоответствие",
	  .label_en = "Admitted although outside who the shelter takes" },
	{ .name = "eligibility_reason", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 1000,
	  .label_tg = "Чаро бо вуҷуди ин қабул шуд", .label_ru = "Почему принят(а), несмотря на это",
	  .label_en = "Why admitted all the same" },
	{ .name = "discharged_on", .type = FT_DATE, .cls = FC_CODED, .readonly = 1,
	  .label_tg = "Санаи рафтан", .label_ru = "Дата выбытия", .label_en = "Discharged on" },
	{ .name = "discharge_reason", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_stay_discharge_reason, .readonly = 1,
	  .label_tg = "Сабаби рафтан", .label_ru = "Причина выбытия",
	  .label_en = "Reason for discharge" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(stay_schema, "stay", stay_fields);

/* What a discharge takes. */
static const struct field discharge_fields[] = {
	{ .name = "discharged_on", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Санаи рафтан", .label_ru = "Дата выбытия", .label_en = "Discharged on" },
	{ .name = "discharge_reason", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_stay_discharge_reason, .required = 1,
	  .label_tg = "Сабаби рафтан", .label_ru = "Причина выбытия",
	  .label_en = "Reason for discharge" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(discharge_schema, "discharge", discharge_fields);

/* ---- risk assessments and safety plans ------------------------------ */

static const struct field risk_fields[] = {
	{ .name = "level", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_risk_level, .required = 1,
	  .label_tg = "Сатҳи хатар", .label_ru = "Уровень риска", .label_en = "Risk level" },
	{ .name = "assessed_on", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Санаи арзёбӣ", .label_ru = "Дата оценки", .label_en = "Assessed on" },
	{ .name = "review_on", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1, .required = 1,
	  .not_before = "assessed_on",
	  .label_tg = "Санаи баррасӣ", .label_ru = "Дата пересмотра", .label_en = "Review on" },
	{ .name = "assigned_to", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Масъул", .label_ru = "Ответственный", .label_en = "Assigned to" },
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_followup_status,
	  .label_tg = "Ҳолат", .label_ru = "Статус", .label_en = "Status" },
	{ .name = "threats", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000, .required = 1,
	  .label_tg = "Таҳдидҳо", .label_ru = "Угрозы", .label_en = "Threats" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(risk_schema, "risk_assessment", risk_fields);

static const struct field safety_fields[] = {
	{ .name = "agreed_on", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Санаи мувофиқа", .label_ru = "Дата согласования", .label_en = "Agreed on" },
	{ .name = "review_on", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1, .required = 1,
	  .not_before = "agreed_on",
	  .label_tg = "Санаи баррасӣ", .label_ru = "Дата пересмотра", .label_en = "Review on" },
	{ .name = "assigned_to", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Масъул", .label_ru = "Ответственный", .label_en = "Assigned to" },
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_followup_status,
	  .label_tg = "Ҳолат", .label_ru = "Статус", .label_en = "Status" },
	{ .name = "measures", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000, .required = 1,
	  .label_tg = "Чораҳои бехатарӣ", .label_ru = "Меры безопасности",
	  .label_en = "Safety measures" },
	{ .name = "emergency_contacts", .type = FT_TEXT, .cls = FC_PII, .maxlen = 1000,
	  .label_tg = "Тамосҳои фаврӣ", .label_ru = "Экстренные контакты",
	  .label_en = "Emergency contacts" },
};
SCHEMA(safety_schema, "safety_plan", safety_fields);
