/*
 * fields.h - fields declared once, as data.
 *
 * Each field of a resource has a name, a type, a code list, a sensitivity
 * class and labels in Tajik, Russian and English.  Validation
 * (domain/record.c), sealing (pii and sensitive fields are sealed, coded
 * ones stay queryable), API output, the audit's list of PII fields read,
 * and GET /api/v1/schema all derive from these tables.
 */
#ifndef HIMOYA_FIELDS_H
#define HIMOYA_FIELDS_H

#include <stddef.h>

enum field_type {
	FT_TEXT,       /* a string of at most maxlen characters */
	FT_TEXT_LIST,  /* a list of such strings, at most maxitems */
	FT_DATE,       /* YYYY-MM-DD, a real date, not in the future */
	FT_CODE,       /* one value of the code list */
	FT_CODE_LIST,  /* several values of the code list */
	FT_COUNTRY,    /* ISO 3166 alpha-2 */
	FT_INT,        /* an integer in [min, max] */
	FT_PHONE_LIST, /* phone numbers: digits, spaces, + ( ) - */
};

enum field_class {
	FC_PII,        /* identifies a person: sealed, audited on read */
	FC_SENSITIVE,  /* sensitive but not identifying alone: sealed */
	FC_CODED,      /* a code: stored in clear for statistics */
};

enum name_index {
	NX_NONE,
	NX_NAME,       /* words go into the cross-script name index */
	NX_PHONE,      /* digits go into the phone index */
};

struct codelist {
	const char *name;
	const char *const *codes;
	size_t n;
};

struct field {
	const char *name;
	enum field_type type;
	enum field_class cls;
	const struct codelist *codes; /* for FT_CODE and FT_CODE_LIST */
	int required;
	size_t maxlen;                /* characters, for text */
	size_t maxitems;              /* for lists */
	long min, max;                /* for FT_INT */
	enum name_index index;
	const char *label_tg, *label_ru, *label_en;
};

struct resource_schema {
	const char *name;             /* "person" */
	const struct field *fields;
	size_t n;
};

extern const struct resource_schema person_schema;
extern const struct codelist cl_gender, cl_org_type, cl_role;
extern const struct codelist *const all_codelists[];
extern const size_t all_codelists_count;

const struct field *schema_field(const struct resource_schema *rs, const char *name);
int codelist_has(const struct codelist *cl, const char *code);

#endif
