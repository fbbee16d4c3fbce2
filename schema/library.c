/*
 * library.c - the fields of a knowledge product: one of the programme's
 * guides, brochures, SOPs or training manuals for the agencies, kept in
 * the internal library with its versions (api/library.c).  A product is
 * about no person: every field is coded.  Its files are versions, not
 * fields: each upload is a body of its own.
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, name, arr) const struct resource_schema var = {name, arr, COUNT(arr)}

static const struct field library_fields[] = {
	{ .name = "kind", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_knowledge_kind,
	  .required = 1,
	  .label_tg = "Навъ", .label_ru = "Вид", .label_en = "Kind" },
	/* At least one title (api/library.c checks it). */
	{ .name = "title_tg", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 300,
	  .label_tg = "Унвон (тоҷикӣ)", .label_ru = "Название (таджикский)",
	  .label_en = "Title (Tajik)" },
	{ .name = "title_ru", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 300,
	  .label_tg = "Унвон (русӣ)", .label_ru = "Название (русский)",
	  .label_en = "Title (Russian)" },
	{ .name = "title_en", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 300,
	  .label_tg = "Унвон (англисӣ)", .label_ru = "Название (английский)",
	  .label_en = "Title (English)" },
	{ .name = "audience", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_knowledge_audience, .required = 1, .maxitems = 13,
	  .label_tg = "Барои кӣ", .label_ru = "Для кого", .label_en = "Audience" },
	{ .name = "languages", .type = FT_CODE_LIST, .cls = FC_CODED, .codes = &cl_languages,
	  .required = 1, .maxitems = 4,
	  .label_tg = "Забони ҳуҷҷат", .label_ru = "Язык документа",
	  .label_en = "Language of the document" },
};
SCHEMA(library_schema, "library_product", library_fields);
