/*
 * import.c - a legacy HTCDS 2.0 toolkit row as Himoya records; see
 * import.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "codelists.h"
#include "domain/import.h"
#include "domain/record.h"

/* Every column of the toolkit sheet (schema/codes.c htcds_toolkit_columns,
 * checked by tests/unit/test_import.c), then the spellings of the same
 * columns in the HTCDS fields list, then the fields list's columns that
 * Himoya keeps and the toolkit sheet lacks. */
const struct import_column import_columns[] = {
	{"cas_CaseOwner", IT_OWNER, NULL},
	{"prs_Salutation", IT_NOT_KEPT, NULL},
	{"prs_FirstName", IT_PERSON, "given_name"},
	{"prs_SecondName", IT_PERSON, "family_name"},
	{"con_Consent", IT_CONSENT, NULL},
	{"prs_Birthdate", IT_PERSON, "birth_date"},
	{"prs_Gender", IT_PERSON, "gender"},
	{"prs_Citizenship", IT_PERSON, "citizenship"},
	{"prs_Title", IT_NOT_KEPT, NULL},
	{"prs_Email", IT_NOT_KEPT, NULL},
	{"prs_HomePhone", IT_PHONE, NULL},
	{"prs_MobilePhone", IT_PHONE, NULL},
	{"prs_MailingCity", IT_ADDRESS, NULL},
	{"prs_MailingCountry", IT_ADDRESS, NULL},
	{"prs_MailingState", IT_ADDRESS, NULL},
	{"prs_MailingStreet", IT_ADDRESS, NULL},
	{"prs_MailingPostalCode", IT_ADDRESS, NULL},
	{"vic_TraffickingStatus", IT_STATUS, NULL},
	{"vic_TraffickinStatusDecisionMakingOrg", IT_DECIDER, NULL},
	{"vic_MethodOfRecruitment", IT_CASE, "recruitment_method"},
	{"vic_LocationOfRecruitment", IT_CASE, "recruitment_place"},
	{"vic_MethodsOfControl", IT_CASE, "means_of_control"},
	{"vic_TypeOfExploitation", IT_CASE, "exploitation_types"},
	{"vic_ForcedLabourIndustry", IT_CASE, "labour_sector"},
	{"vic_TypeOfSexExploitation", IT_CASE, "sex_exploitation_types"},
	{"vic_LocationOfExploitation", IT_CASE, "countries_of_exploitation"},
	{"cas_Status", IT_CASE, "status"},
	{"cas_ReferringOrganisation", IT_NOT_KEPT, NULL},
	{"cas_IncomingReferralDate", IT_NOT_KEPT, NULL},
	{"cas_ReferringPrimaryCaseWorker", IT_NOT_KEPT, NULL},
	{"cas_ReasonForIncomingReferral", IT_NOT_KEPT, NULL},
	{"cas_IncomingReferralDetails", IT_NOT_KEPT, NULL},
	{"cas_ReferredOrganisation", IT_NOT_KEPT, NULL},
	{"cas_ReferredPrimaryCaseWorker", IT_NOT_KEPT, NULL},
	{"cas_OutgoingReferralDate", IT_NOT_KEPT, NULL},
	{"cas_OutgoingReferralDetails", IT_NOT_KEPT, NULL},
	{"cas_ReasonForCaseClosure", IT_CASE, "closure_reason"},
	/* the fields list's spelling (and the HTCDS export's) */
	{"vic_TraffickingStatusDecisionMakingOrg", IT_DECIDER, NULL},
	{"prs_MiddleName", IT_PERSON, "patronymic"},
	{"prs_MaritalStatus", IT_PERSON, "marital_status"},
	{"prs_NumberOfChildren", IT_PERSON, "children"},
	{"prs_HighestLevelOfEducation", IT_PERSON, "education"},
	{"vic_RelationshipToTrafficker", IT_CASE, "recruiter_relation"},
	{"vic_RecruitmentWebsitesAndApps", IT_CASE, "recruitment_apps"},
	{"per_RoleInProcess", IT_CASE, "perpetrator_roles"},
	{NULL, IT_NOT_KEPT, NULL},
};

const struct import_column *import_column_find(const char *name)
{
	const struct import_column *c;
	for (c = import_columns; c->name; c++)
		if (!strcasecmp(c->name, name))
			return c;
	return NULL;
}

/* Two columns that mean one thing (the two spellings of the decider). */
static int same_meaning(const struct import_column *a, const struct import_column *b)
{
	return a == b || (a->target == IT_DECIDER && b->target == IT_DECIDER);
}

int import_header_read(struct import_header *h, const char *const *cells, size_t n, char *err,
		       size_t errlen)
{
	size_t i, j;
	int named = 0;

	memset(h, 0, sizeof *h);
	if (n > IMPORT_COLUMNS_MAX) {
		snprintf(err, errlen, "header: more than %d columns", IMPORT_COLUMNS_MAX);
		return -1;
	}
	h->n = n;
	for (i = 0; i < n; i++) {
		h->col[i] = cells[i][0] ? import_column_find(cells[i]) : NULL;
		if (!h->col[i])
			continue;
		h->known++;
		for (j = 0; j < i; j++)
			if (h->col[j] && same_meaning(h->col[j], h->col[i])) {
				snprintf(err, errlen, "header: column %s given twice", h->col[i]->name);
				return -1;
			}
		if (h->col[i]->target == IT_PERSON &&
		    (!strcmp(h->col[i]->field, "given_name") || !strcmp(h->col[i]->field, "family_name")))
			named = 1;
	}
	if (!named) {
		snprintf(err, errlen, "header: neither prs_FirstName nor prs_SecondName: "
			 "is this an HTCDS 2.0 toolkit sheet?");
		return -1;
	}
	return 0;
}

void import_row_problem(struct import_row *r, const char *column, const char *reason)
{
	struct import_problem *p;

	r->refusals++;
	if (r->nproblems >= IMPORT_PROBLEMS_MAX)
		return;
	if (!r->problems && !(r->problems = calloc(IMPORT_PROBLEMS_MAX, sizeof *r->problems)))
		return;   /* still refused (refusals), only without its words */
	p = &r->problems[r->nproblems++];
	snprintf(p->column, sizeof p->column, "%s", column);
	snprintf(p->reason, sizeof p->reason, "%s", reason);
}

/* ---- values ------------------------------------------------------------- */

/* 1 when a and b are the same text but for case (any script). */
static int same_folded(const char *a, const char *b)
{
	utf8proc_uint8_t *fa = NULL, *fb = NULL;
	int same = 0;

	if (!strcasecmp(a, b))
		return 1;
	if (utf8proc_map((const utf8proc_uint8_t *)a, 0, &fa,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) >= 0 &&
	    utf8proc_map((const utf8proc_uint8_t *)b, 0, &fb,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) >= 0)
		same = !strcmp((const char *)fa, (const char *)fb);
	free(fa);
	free(fb);
	return same;
}

const char *import_code(const struct codelist *cl, const struct std_value *std, const char *v)
{
	const struct std_value *s;
	size_t i;
	int li;

	if (!cl || !v || !*v)
		return NULL;
	for (i = 0; i < cl->n; i++)
		if (!strcasecmp(cl->codes[i], v))
			return cl->codes[i];
	for (s = std; s && s->code; s++)
		if (s->value && !strcasecmp(s->value, v) && codelist_has(cl, s->code))
			return s->code;
	for (i = 0; i < cl->n; i++)
		for (li = 0; li < 3; li++) {
			const char *l = codelist_label(cl, cl->codes[i], li);
			if (l && same_folded(l, v))
				return cl->codes[i];
		}
	return NULL;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

int import_date(const char *in, char out[11], const char **why)
{
	char s[32];
	const char *p[3];
	size_t len[3], k = 0, n;
	char sep = 0;
	int d, m, y;
	char *sp;

	*why = "not a date: write YYYY-MM-DD, dd.mm.yyyy or d/m/yyyy";
	snprintf(s, sizeof s, "%s", in);
	if ((sp = strchr(s, ' ')) != NULL) {   /* Excel's "12.03.1990 0:00" */
		const char *t = sp + 1;
		while (*t == ' ')
			t++;
		if (*t && strspn(t, "0123456789:") != strlen(t))
			return -1;
		*sp = '\0';
	}
	n = strlen(s);
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		memcpy(out, s, 11);
		if (!date_valid(out)) {
			*why = "not a real date";
			return -1;
		}
		return 0;
	}
	if (strchr(s, '.'))
		sep = '.';
	else if (strchr(s, '/'))
		sep = '/';
	else
		return -1;
	p[0] = s;
	for (sp = s; *sp && k < 3; sp++)
		if (*sp == sep) {
			len[k] = (size_t)(sp - p[k]);
			if (++k < 3)
				p[k] = sp + 1;
		}
	if (k != 2)
		return -1;
	len[2] = strlen(p[2]);
	if (!all_digits(p[0], len[0]) || !all_digits(p[1], len[1]) || !all_digits(p[2], len[2]) ||
	    len[0] > 2 || len[1] > 2 || len[2] != 4)
		return -1;
	d = (int)strtol(p[0], NULL, 10);   /* at most 2, 2 and 4 digits: checked above */
	m = (int)strtol(p[1], NULL, 10);
	y = (int)strtol(p[2], NULL, 10);
	if (m > 12) {
		*why = sep == '/' ? "not a date: d/m/yyyy is read day first, and the month is over 12"
				  : "not a date: the month is over 12";
		return -1;
	}
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	if (!date_valid(out)) {
		*why = "not a real date";
		return -1;
	}
	return 0;
}

int import_consent_value(const char *v, const char **method)
{
	static const char *const yes[] = {"yes", "y", "true", "1", "x", "да", "ҳа", "ha", "ho",
					  "bale", "бале"};
	static const char *const no[] = {"no", "n", "false", "0", "нет", "не", "yo'q"};
	size_t i;

	/* A sheet's "yes" says a consent was given, not how: recorded as
	 * given before Himoya, never as written. */
	*method = "recorded_before";
	if (!v || !*v)
		return 0;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (same_folded(yes[i], v))
			return 1;
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		if (same_folded(no[i], v))
			return 0;
	if ((*method = import_code(&cl_consent_method, NULL, v)) != NULL &&
	    strcmp(*method, "guardian"))
		return 1;
	*method = "recorded_before";
	return -1;
}

/* ---- a row -------------------------------------------------------------- */

/* Split a multi-select cell on ';' or '|' into trimmed items (in buf). */
static size_t split_items(const char *v, char *buf, size_t buflen, char **items, size_t max)
{
	size_t n = 0;
	char *s, *e;

	snprintf(buf, buflen, "%s", v);
	s = buf;
	while (n < max) {
		char *end = s + strcspn(s, ";|");
		int last = *end == '\0';
		*end = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*s)
			items[n++] = s;
		if (last)
			break;
		s = end + 1;
	}
	return n;
}

static int country_ok(const char *s)
{
	return strlen(s) == 2 && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) &&
	       ((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= 'a' && s[1] <= 'z'));
}

static json_t *country_json(const char *s)
{
	char up[3] = {(char)(s[0] & ~0x20), (char)(s[1] & ~0x20), 0};
	return json_string(up);
}

/* One item of a coded field: its code as JSON, or NULL and a problem. */
static json_t *item_value(struct import_row *r, const char *column, const struct field *f,
			  const char *v)
{
	char why[200];
	const char *code;

	if (f->type == FT_COUNTRY || f->type == FT_COUNTRY_LIST) {
		if (country_ok(v))
			return country_json(v);
		snprintf(why, sizeof why, "'%.60s' is not an ISO 3166 two-letter country code", v);
		import_row_problem(r, column, why);
		return NULL;
	}
	code = import_code(f->codes, f->htcds_values, v);
	if (code)
		return json_string(code);
	snprintf(why, sizeof why, "'%.60s' is not one of the values of %s", v,
		 f->codes ? f->codes->name : f->name);
	import_row_problem(r, column, why);
	return NULL;
}

/* The cell v of a declared field f as its JSON value, or NULL (and a
 * problem when the value was refused). */
static json_t *field_value(struct import_row *r, const char *column, const struct field *f,
			   const char *v)
{
	char buf[4096], *items[64], out[11];
	const char *why;
	json_t *list, *one;
	size_t n, i;

	switch (f->type) {
	case FT_DATE:
		if (import_date(v, out, &why)) {
			import_row_problem(r, column, why);
			return NULL;
		}
		return json_string(out);
	case FT_INT: {
		char *end;
		long x = strtol(v, &end, 10);
		if (end == v || *end) {
			import_row_problem(r, column, "not a whole number");
			return NULL;
		}
		return json_integer(x);
	}
	case FT_CODE:
	case FT_COUNTRY:
		return item_value(r, column, f, v);
	case FT_CODE_LIST:
	case FT_COUNTRY_LIST:
		n = split_items(v, buf, sizeof buf, items, 64);
		list = json_array();
		for (i = 0; i < n && list; i++) {
			size_t k;
			int dup = 0;
			if (!(one = item_value(r, column, f, items[i]))) {
				json_decref(list);
				return NULL;
			}
			for (k = 0; k < json_array_size(list); k++)
				dup |= json_equal(json_array_get(list, k), one);
			if (dup)
				json_decref(one);
			else
				json_array_append_new(list, one);
		}
		return list;
	default:
		return json_string(v);
	}
}

/* Append part to the address text "a, b". */
static void address_add(json_t *person, const char *part)
{
	const char *was = json_string_value(json_object_get(person, "address"));
	char buf[1024];

	if (!was) {
		json_object_set_new(person, "address", json_string(part));
		return;
	}
	snprintf(buf, sizeof buf, "%s, %s", was, part);
	json_object_set_new(person, "address", json_string(buf));
}

static void map_cell(const struct import_column *c, const char *v, const char *today,
		     struct import_row *r)
{
	const struct field *f;
	const char *method, *code;
	json_t *val;
	int yes;

	switch (c->target) {
	case IT_NOT_KEPT:
		return;
	case IT_PERSON:
	case IT_CASE:
		f = schema_field(c->target == IT_PERSON ? &person_schema : &case_schema, c->field);
		if (!f || !(val = field_value(r, c->name, f, v)))
			return;
		json_object_set_new(c->target == IT_PERSON ? r->person : r->kase, c->field, val);
		return;
	case IT_PHONE: {
		json_t *phones = json_object_get(r->person, "phones");
		if (!phones) {
			phones = json_array();
			json_object_set_new(r->person, "phones", phones);
		}
		json_array_append_new(phones, json_string(v));
		return;
	}
	case IT_ADDRESS:
		address_add(r->person, v);
		return;
	case IT_CONSENT:
		yes = import_consent_value(v, &method);
		if (yes < 0) {
			import_row_problem(r, c->name, "neither yes nor no");
			return;
		}
		if (yes) {
			r->consent = json_pack("{s:s, s:s, s:s}", "purpose", "assistance", "method",
					       method, "given_on", today);
		}
		return;
	case IT_STATUS:
	case IT_DECIDER:
		code = import_code(c->target == IT_STATUS ? &cl_trafficking_status
							  : &cl_trafficking_status_decider, NULL, v);
		if (!code) {
			char why[200];
			snprintf(why, sizeof why, "'%.60s' is not one of the values of %s", v,
				 c->target == IT_STATUS ? cl_trafficking_status.name
							: cl_trafficking_status_decider.name);
			import_row_problem(r, c->name, why);
			return;
		}
		if (!r->decision)
			r->decision = json_object();
		json_object_set_new(r->decision, c->target == IT_STATUS ? "status" : "decided_by",
				    json_string(code));
		return;
	case IT_OWNER:
		snprintf(r->owner, sizeof r->owner, "%s", v);
		return;
	}
}

int import_row_map(const struct import_header *h, const char *const *cells, size_t n,
		   const char *today, struct import_row *r)
{
	size_t i;

	memset(r, 0, sizeof *r);
	r->person = json_object();
	r->kase = json_object();
	if (!r->person || !r->kase) {
		import_row_problem(r, "-", "out of memory");
		return -1;
	}
	if (n != h->n) {
		char why[120];
		snprintf(why, sizeof why, "%zu cells, the header has %zu (a separator too many or "
			 "too few shifts every later column)", n, h->n);
		import_row_problem(r, "-", why);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (h->col[i] && cells[i][0])
			map_cell(h->col[i], cells[i], today, r);
	if (r->decision && !json_object_get(r->decision, "status")) {
		import_row_problem(r, "vic_TraffickingStatusDecisionMakingOrg",
				   "a deciding body without vic_TraffickingStatus");
	}
	return r->refusals ? -1 : 0;
}

void import_row_free(struct import_row *r)
{
	json_decref(r->person);
	json_decref(r->kase);
	json_decref(r->consent);
	json_decref(r->decision);
	free(r->problems);
	r->person = r->kase = r->consent = r->decision = NULL;
	r->problems = NULL;
	r->nproblems = r->refusals = 0;
}
