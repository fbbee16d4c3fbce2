/*
 * person.c - the fields of a person.  The case-register work adds the
 * rest of HTCDS's person fields here; nothing else needs to change for a
 * new field to be validated, sealed, served and described.
 */
#include "fields.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

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
	{ .name = "gender", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_gender,
	  .label_tg = "Ҷинс", .label_ru = "Пол", .label_en = "Gender" },
	{ .name = "citizenship", .type = FT_COUNTRY, .cls = FC_CODED,
	  .label_tg = "Шаҳрвандӣ", .label_ru = "Гражданство", .label_en = "Citizenship" },
	{ .name = "phones", .type = FT_PHONE_LIST, .cls = FC_PII, .maxlen = 32, .maxitems = 10,
	  .index = NX_PHONE,
	  .label_tg = "Телефонҳо", .label_ru = "Телефоны", .label_en = "Phones" },
};

const struct resource_schema person_schema = {"person", person_fields, COUNT(person_fields)};
