/*
 * person.c - the fields of a person (HTCDS 2.0 person, plus what a case
 * worker in Tajikistan records).  Adding a field here is enough for it to
 * be validated, sealed or kept in clear by its class, served, described in
 * /api/v1/schema and shown in the forms.
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the standards' spellings ------------------------------------ */

/* HTCDS 2.0 writes Bachelors and Masters (1.x and our list: Bachelor, Master). */
static const struct std_value htcds_education[] = {
	{"BachelorOrEquivalentLevel", "BachelorsOrEquivalentLevel"},
	{"MasterOrEquivalentLevel", "MastersOrEquivalentLevel"},
	{NULL, NULL},
};

/* CTDC's gender (an unspecified gender is missing). */
static const struct std_value ctdc_gender[] = {
	{"Feminine", "Female"},
	{"Masculine", "Male"},
	{"TransgenderFeminine", "Transgender/NonConforming"},
	{"TransgenderMasculine", "Transgender/NonConforming"},
	{"NonConforming", "Transgender/NonConforming"},
	{"NonSpecifiedUnknown", NULL},
	{NULL, NULL},
};

static const struct field document_fields[] = {
	{ .name = "type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_identity_document_type,
	  .required = 1,
	  .label_tg = "Навъи ҳуҷҷат", .label_ru = "Вид документа", .label_en = "Document type" },
	{ .name = "number", .type = FT_TEXT, .cls = FC_PII, .maxlen = 40, .required = 1,
	  .label_tg = "Рақам", .label_ru = "Номер", .label_en = "Number" },
	{ .name = "issuing_country", .type = FT_COUNTRY, .cls = FC_CODED,
	  .label_tg = "Кишвари додашуда", .label_ru = "Страна выдачи",
	  .label_en = "Issuing country" },
	{ .name = "held_by_other", .type = FT_BOOL, .cls = FC_SENSITIVE,
	  .label_tg = "Дар дасти шахси дигар", .label_ru = "Удерживается другим лицом",
	  .label_en = "Held by someone else" },
};

static const struct resource_schema document_schema = {
	"identity_document", document_fields, COUNT(document_fields)
};

static const struct field person_fields[] = {
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
	{ .name = "birth_date", .type = FT_DATE, .cls = FC_PII,
	  .label_tg = "Санаи таваллуд", .label_ru = "Дата рождения", .label_en = "Date of birth" },
	{ .name = "estimated_age", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 120,
	  .label_tg = "Синни тахминӣ", .label_ru = "Примерный возраст",
	  .label_en = "Estimated age" },
	{ .name = "gender", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_gender,
	  .label_tg = "Ҷинс", .label_ru = "Пол", .label_en = "Gender",
	  .htcds = "prs_Gender", .ctdc = "gender", .ctdc_values = ctdc_gender },
	{ .name = "citizenship", .type = FT_COUNTRY, .cls = FC_CODED,
	  .label_tg = "Шаҳрвандӣ", .label_ru = "Гражданство", .label_en = "Citizenship",
	  .htcds = "prs_Citizenship", .ctdc = "citizenship" },
	{ .name = "region_of_origin", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_tj_regions_iso3166_2,
	  .label_tg = "Вилояти зодгоҳ", .label_ru = "Регион происхождения",
	  .label_en = "Region of origin",
	  .htcds = "hmy_RegionOfOrigin" },
	{ .name = "district_of_origin", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 100,
	  .label_tg = "Ноҳияи зодгоҳ", .label_ru = "Район происхождения",
	  .label_en = "District of origin" },
	{ .name = "phones", .type = FT_PHONE_LIST, .cls = FC_PII, .maxlen = 32, .maxitems = 10,
	  .index = NX_PHONE,
	  .label_tg = "Телефонҳо", .label_ru = "Телефоны", .label_en = "Phones" },
	{ .name = "identity_documents", .type = FT_OBJECT_LIST, .cls = FC_PII, .maxitems = 10,
	  .sub = &document_schema,
	  .label_tg = "Ҳуҷҷатҳои шахсият", .label_ru = "Документы, удостоверяющие личность",
	  .label_en = "Identity documents" },
	{ .name = "languages", .type = FT_CODE_LIST, .cls = FC_CODED, .codes = &cl_languages,
	  .maxitems = 10,
	  .label_tg = "Забонҳо", .label_ru = "Языки", .label_en = "Languages" },
	{ .name = "education", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_education_isced,
	  .label_tg = "Маълумот", .label_ru = "Образование", .label_en = "Education",
	  .htcds = "prs_HighestLevelOfEducation", .htcds_values = htcds_education },
	{ .name = "marital_status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_marital_status,
	  .label_tg = "Вазъи оилавӣ", .label_ru = "Семейное положение",
	  .label_en = "Marital status",
	  .htcds = "prs_MaritalStatus" },
	{ .name = "children", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 30,
	  .label_tg = "Шумораи фарзандон", .label_ru = "Число детей",
	  .label_en = "Number of children",
	  .htcds = "prs_NumberOfChildren" },
	{ .name = "address", .type = FT_TEXT, .cls = FC_PII, .maxlen = 300,
	  .label_tg = "Суроға", .label_ru = "Адрес", .label_en = "Address" },
	/* A prevention beneficiary, who has no trafficking case (issue #18). */
	{ .name = "beneficiary_group", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_beneficiary_group,
	  .label_tg = "Гурӯҳи пешгирӣ", .label_ru = "Группа профилактики",
	  .label_en = "Prevention group" },
};

const struct resource_schema person_schema = {"person", person_fields, COUNT(person_fields)};
