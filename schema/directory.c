/*
 * directory.c - the fields of the service directory, after Open Referral
 * HSDS 3.x: a service (what an organisation of the referral network
 * offers, where, in which languages, with how many free places) and its
 * locations.
 *
 * A service is public information among the partners: every field of it
 * is coded (kept in clear, searchable).  A location's address is FC_PII:
 * it is sealed, and the address of a shelter (a service of type
 * "shelter", or a location stored as "redacted") is shown only to users
 * of the organisation that runs it; to everyone else the location reads
 * as an HSDS "redacted" location (api/directory.c).
 *
 * The resources are called directory_service and directory_location:
 * "service" already names the assistance delivered in a case
 * (schema/case.c), and GET /schema keys its resources by name.
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, name, arr) const struct resource_schema var = {name, arr, COUNT(arr)}

static const struct field dir_service_fields[] = {
	{ .name = "name", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 300, .required = 1,
	  .index = NX_NAME,
	  .label_tg = "Номи хизмат", .label_ru = "Название услуги", .label_en = "Service name" },
	{ .name = "description", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 5000,
	  .label_tg = "Тавсиф", .label_ru = "Описание", .label_en = "Description" },
	{ .name = "type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_assistance_service_types,
	  .required = 1,
	  .label_tg = "Навъи хизмат", .label_ru = "Вид услуги", .label_en = "Service type" },
	{ .name = "org", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 64,
	  .label_tg = "Ташкилот", .label_ru = "Организация", .label_en = "Organisation" },
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_hsds_service_status,
	  .label_tg = "Ҳолат", .label_ru = "Статус", .label_en = "Status" },
	{ .name = "eligibility", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 2000,
	  .label_tg = "Кӣ метавонад истифода барад", .label_ru = "Кто может обратиться",
	  .label_en = "Eligibility" },
	/* Who the service takes, as data (HSDS 3 minimum_age/maximum_age;
	 * genders_served is Himoya's): a shelter's admission checks them. */
	{ .name = "genders_served", .type = FT_CODE_LIST, .cls = FC_CODED, .codes = &cl_gender,
	  .maxitems = 8,
	  .label_tg = "Барои кӣ (ҷинс)", .label_ru = "Для кого (пол)", .label_en = "Genders served" },
	{ .name = "minimum_age", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 120,
	  .label_tg = "Синни ҳадди ақал", .label_ru = "Минимальный возраст", .label_en = "Minimum age" },
	{ .name = "maximum_age", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 120,
	  .label_tg = "Синни ҳадди аксар", .label_ru = "Максимальный возраст", .label_en = "Maximum age" },
	{ .name = "languages", .type = FT_CODE_LIST, .cls = FC_CODED, .codes = &cl_languages,
	  .maxitems = 4,
	  .label_tg = "Забонҳо", .label_ru = "Языки", .label_en = "Languages" },
	{ .name = "hours", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 500,
	  .label_tg = "Вақти корӣ", .label_ru = "Часы работы", .label_en = "Opening hours" },
	{ .name = "regions_served", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_tj_regions_iso3166_2, .maxitems = 5,
	  .label_tg = "Минтақаҳои хизматрасонӣ", .label_ru = "Обслуживаемые регионы",
	  .label_en = "Regions served" },
	{ .name = "capacity_available", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 100000,
	  .label_tg = "Ҷойҳои холӣ", .label_ru = "Свободные места", .label_en = "Places free" },
	{ .name = "capacity_max", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 100000,
	  .label_tg = "Шумораи умумии ҷойҳо", .label_ru = "Всего мест", .label_en = "Places in all" },
	{ .name = "phone", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 40,
	  .label_tg = "Телефон", .label_ru = "Телефон", .label_en = "Phone" },
	{ .name = "email", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 254,
	  .label_tg = "Почтаи электронӣ", .label_ru = "Электронная почта", .label_en = "Email" },
	{ .name = "url", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 500,
	  .label_tg = "Сомона", .label_ru = "Веб-сайт", .label_en = "Website" },
};
SCHEMA(directory_service_schema, "directory_service", dir_service_fields);

static const struct field dir_location_fields[] = {
	{ .name = "kind", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_hsds_location_type,
	  .required = 1,
	  .label_tg = "Навъи макон", .label_ru = "Тип места", .label_en = "Kind of location" },
	{ .name = "name", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 300,
	  .label_tg = "Ном", .label_ru = "Название", .label_en = "Name" },
	{ .name = "address", .type = FT_TEXT, .cls = FC_PII, .maxlen = 500,
	  .label_tg = "Суроға", .label_ru = "Адрес", .label_en = "Address" },
	{ .name = "region", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_tj_regions_iso3166_2,
	  .label_tg = "Минтақа", .label_ru = "Регион", .label_en = "Region" },
	{ .name = "city", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 100,
	  .label_tg = "Шаҳр ё ноҳия", .label_ru = "Город или район", .label_en = "City or district" },
};
SCHEMA(directory_location_schema, "directory_location", dir_location_fields);
