/*
 * exports.c - the data exports:
 *
 *   GET /api/v1/exports/htcds.csv?from=&to=   HTCDS 2.0 rows, pseudonymous
 *   GET /api/v1/exports/ctdc.csv?from=&to=    CTDC columns, k-anonymised
 *   GET /api/v1/exports/cases.xlsx?from=&to=[&pii=1]   the organisation's
 *                                             case rows (PII on request)
 *
 * Who may take which is the policy's (export.anonymous, export.rows,
 * export.pii).  The analyst reaches the anonymised CTDC export of every
 * organisation and no row export; a supervisor takes the exports of the
 * own organisation, and the personal columns of cases.xlsx only with a
 * second factor.  The period filters the opening day of the cases.  The
 * CSV exports leave a person's data out unless the person has a current
 * consent to `statistics`.
 *
 * Pseudonymous ids: a keyed BLAKE2b of the case (or person) id under an
 * export sub-key derived from the blind-index key: stable across the
 * exports of one installation, not reversible without the key file, and
 * never the internal id.
 *
 * Every export is audited (action "export", record "exports/NAME", the
 * period, the rows written and, for CTDC, k and what was suppressed) in
 * its own transaction before the file is answered; a cases.xlsx with PII
 * also queues a read of each person exported.  Every cell goes through
 * util/sheet, which neutralises formulas.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "domain/consent.h"
#include "domain/kanon.h"
#include "domain/record.h"
#include "fields.h"
#include "store/exports.h"
#include "util/sheet.h"

#define EXPORT_ARENA_CAP ((size_t)256 << 20)
#define PSEUDO_HEX (16 * 2 + 1)
#define CTDC_SUPPRESS_SHARE 0.05   /* rows suppressed before generalising further */

/* ---- common ------------------------------------------------------------- */

/* The period of ?from=&to=: both optional, real dates, from <= to.
 * 0, or the 422 problem set. */
static int export_period(struct req *r, const char **from, const char **to)
{
	*from = req_query(r, "from");
	*to = req_query(r, "to");
	if (*from && !**from)
		*from = NULL;
	if (*to && !**to)
		*to = NULL;
	if (*from && !date_valid(*from))
		return reply_problem(r, 422, "invalid-value", "from: a date YYYY-MM-DD");
	if (*to && !date_valid(*to))
		return reply_problem(r, 422, "invalid-value", "to: a date YYYY-MM-DD");
	if (*from && *to && strcmp(*from, *to) > 0)
		return reply_problem(r, 422, "invalid-value", "from: after to");
	return 0;
}

/* The organisation whose cases the caller may export under act: *org_id
 * NULL for every organisation.  0, or the 403 problem set. */
static int export_scope(struct req *r, enum policy_action act, const char **org_id)
{
	unsigned scopes[POLICY_RULES_MAX];
	size_t n = policy_scopes(act, r->who.user.role, scopes), i;

	for (i = 0; i < n; i++)
		if ((scopes[i] & ~(unsigned)PC_SECOND_FACTOR) == 0) {
			*org_id = NULL;
			return 0;
		}
	for (i = 0; i < n; i++)
		if (scopes[i] == PC_OWN_ORG) {
			*org_id = r->who.user.org.id;
			return 0;
		}
	return reply_problem(r, 403, "forbidden", "your role cannot take this export");
}

/* The export sub-key, derived from the blind-index key. */
static void export_key(const keyring *kr, unsigned char key[crypto_generichash_KEYBYTES])
{
	static const char ctx[] = "himoya/export-pseudonym/v1";
	crypto_generichash(key, crypto_generichash_KEYBYTES, (const unsigned char *)ctx,
			   sizeof ctx - 1, kr->blind, sizeof kr->blind);
}

static void pseudonym(const unsigned char *key, const char *kind, const char *id,
		      char out[PSEUDO_HEX])
{
	crypto_generichash_state st;
	unsigned char h[16];

	crypto_generichash_init(&st, key, crypto_generichash_KEYBYTES, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, PSEUDO_HEX, h, sizeof h);
}

/* Persons with a current consent to a purpose: sorted ids, bsearch. */
struct consent_set {
	char (*ids)[ID_LEN];
	size_t n, cap;
	const char *today;
	const char *purpose;
};

static int consent_collect(void *arg, const char *person_id, const char *coded)
{
	struct consent_set *cs = arg;
	json_t *c;
	int ok;

	if (strlen(person_id) >= ID_LEN)
		return 0;
	c = json_loads(coded, 0, NULL);
	ok = c && consent_covers(c, cs->purpose, NULL, NULL, cs->today);
	json_decref(c);
	if (!ok)
		return 0;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 1024;
		char (*ids)[ID_LEN] = realloc(cs->ids, cap * sizeof *ids);
		if (!ids)
			return -1;
		cs->ids = ids;
		cs->cap = cap;
	}
	memcpy(cs->ids[cs->n++], person_id, strlen(person_id) + 1);
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int consent_set_load(struct req *r, struct consent_set *cs, const char *today)
{
	memset(cs, 0, sizeof *cs);
	cs->today = today;
	cs->purpose = "statistics";
	if (store_export_consents(r->app->st, today, consent_collect, cs) != STORE_OK)
		return -1;
	if (cs->n)
		qsort(cs->ids, cs->n, sizeof *cs->ids, cmp_id);
	return 0;
}

static int consent_set_has(const struct consent_set *cs, const char *person_id)
{
	return cs->n && bsearch(person_id, cs->ids, cs->n, sizeof *cs->ids, cmp_id) != NULL;
}

/* Whole years from the day `from` to the day `to` (YYYY-MM-DD), or -1. */
static int years_between(const char *from, const char *to)
{
	int y1, m1, d1, y2, m2, d2, n;

	if (!from || !to || !date_valid(from) || !date_valid(to))
		return -1;
	y1 = (int)strtol(from, NULL, 10);
	m1 = (int)strtol(from + 5, NULL, 10);
	d1 = (int)strtol(from + 8, NULL, 10);
	y2 = (int)strtol(to, NULL, 10);
	m2 = (int)strtol(to + 5, NULL, 10);
	d2 = (int)strtol(to + 8, NULL, 10);
	n = y2 - y1 - (m2 < m1 || (m2 == m1 && d2 < d1));
	return n >= 0 && n <= 130 ? n : -1;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

/* One case with its person opened: what every export reads of it. */
struct facts {
	json_t *c;          /* the case's coded fields */
	json_t *p;          /* the person, pii and sensitive fields opened */
	int age;            /* at the opening of the case, -1 unknown */
	int age_exploit;    /* when the exploitation began, -1 unknown */
};

/* The top-level "birth_date" of a person's opened secret fields (compact
 * JSON from record_seal) into out, or "" when there is none.  A key can
 * only follow '{' or ',': inside a string a quote is escaped, so no name
 * or address can fake one. */
static void secret_birth_date(const char *pt, size_t n, char out[11])
{
	static const char key[] = "\"birth_date\"";
	const char *p = pt, *end = pt + n, *q;

	out[0] = '\0';
	while ((q = memmem(p, (size_t)(end - p), key, sizeof key - 1))) {
		const char *b = q;
		while (b > pt && (b[-1] == ' ' || b[-1] == '\n'))
			b--;
		p = q + sizeof key - 1;
		if (b == pt || (b[-1] != '{' && b[-1] != ','))
			continue;
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p++ != ':')
			return;
		while (p < end && *p == ' ')
			p++;
		if (end - p < 12 || p[0] != '"' || p[11] != '"')
			return;
		memcpy(out, p + 1, 10);
		out[10] = '\0';
		if (!date_valid(out))
			out[0] = '\0';
		return;
	}
}

/* The person's date of birth from the sealed fields into born ("" when
 * none); 0, or -1 when the seal does not open. */
static int person_birth_date(const keyring *kr, arena *scratch, const struct export_row *row,
			     char born[11])
{
	size_t n;
	char *pt;

	born[0] = '\0';
	if (!row->person_sealed_len)
		return 0;
	if (row->person_sealed_len <= SEAL_OVERHEAD)
		return -1;
	n = row->person_sealed_len - SEAL_OVERHEAD;
	pt = arena_alloc(scratch, n + 1);
	if (!pt || seal_decrypt(kr, row->person_sealed, row->person_sealed_len, row->person_id,
				(unsigned char *)pt))
		return -1;
	secret_birth_date(pt, n, born);
	sodium_memzero(pt, n);
	return 0;
}

/* The age when the case opened and when the exploitation began (-1:
 * unknown), from a date of birth, else from an age estimated at
 * registration (est, -1 when none). */
static void ages_of(const char *birth, long est, const char *start, const char *opened,
		    int *age, int *age_exploit)
{
	if (birth) {
		*age = years_between(birth, opened);
		*age_exploit = start ? years_between(birth, start) : -1;
	} else if (est >= 0 && est <= 130) {
		/* The age at the start of the exploitation only in whole years
		 * back from the registration. */
		int back = start ? years_between(start, opened) : -1;
		*age = (int)est;
		*age_exploit = back >= 0 && back <= *age ? *age - back : -1;
	} else {
		*age = *age_exploit = -1;
	}
}

/* Open the row; 0, or -1 when the person's seal does not open.  With
 * whole_person the person's secret fields are all opened into f->p;
 * otherwise only the date of birth is read from them (the pseudonymous
 * export needs nothing else). */
static int facts_open(const keyring *kr, arena *scratch, const struct export_row *row,
		      int whole_person, struct facts *f)
{
	char born[11] = "";
	json_t *est;

	f->c = json_loads(row->case_coded, 0, NULL);
	if (whole_person) {
		f->p = record_open(kr, scratch, row->person_coded, row->person_sealed,
				   row->person_sealed_len, row->person_id);
	} else {
		f->p = json_loads(row->person_coded, 0, NULL);
		if (f->p && person_birth_date(kr, scratch, row, born)) {
			json_decref(f->p);
			f->p = NULL;
		}
	}
	if (!f->c || !f->p || !json_is_object(f->c) || !json_is_object(f->p)) {
		json_decref(f->c);
		json_decref(f->p);
		f->c = f->p = NULL;
		return -1;
	}
	est = json_object_get(f->p, "estimated_age");
	ages_of(whole_person ? jstr(f->p, "birth_date") : born[0] ? born : NULL,
		json_is_integer(est) ? (long)json_integer_value(est) : -1,
		jstr(f->c, "exploitation_start"), row->opened_on, &f->age, &f->age_exploit);
	return 0;
}

static void facts_close(struct facts *f)
{
	json_decref(f->c);
	json_decref(f->p);
	f->c = f->p = NULL;
}

/* A code list value joined with ';' into out (empty when absent). */
static void join_list(json_t *arr, char *out, size_t outlen)
{
	size_t i, o = 0;
	json_t *v;

	out[0] = '\0';
	if (!json_is_array(arr))
		return;
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		int n;
		if (!s)
			continue;
		n = snprintf(out + o, outlen - o, "%s%s", o ? ";" : "", s);
		if (n < 0 || (size_t)n >= outlen - o) {
			out[o] = '\0';
			return;
		}
		o += (size_t)n;
	}
}

/* Audit the export in its own transaction; 0, or the problem set. */
static int export_audit(struct req *r, const char *what, const char *from, const char *to,
			const char *detail)
{
	char fields[512], record[64];
	store_tx *tx;
	int rc;

	snprintf(record, sizeof record, "exports/%s", what);
	snprintf(fields, sizeof fields, "from=%s,to=%s,%s", from ? from : "", to ? to : "", detail);
	tx = store_begin(r->app->st);
	rc = tx ? api_audit_write(r, tx, "export", record, fields) : STORE_ERROR;
	return api_tx_end(r, tx, rc);
}

/* Finish the sheet into the body, audit the export, then answer it;
 * 0, or the problem set (and nothing audited when the file could not be
 * made). */
static int export_deliver(struct req *r, struct sheet *sh, const char *type, const char *name,
			  const char *what, const char *from, const char *to, const char *detail)
{
	char *disp;

	buf_reset(&r->out);
	if (sheet_finish(sh, &r->out))
		return reply_problem(r, 413, "export-too-large",
				     "the export is too large: choose a shorter period");
	if (export_audit(r, what, from, to, detail))
		return r->status;
	r->status = 200;
	r->content_type = type;
	r->static_data = NULL;
	disp = arena_alloc(&r->mem, strlen(name) + 32);
	if (disp) {
		snprintf(disp, strlen(name) + 32, "attachment; filename=\"%s\"", name);
		reply_header(r, "Content-Disposition", disp);
	}
	return 0;
}

static void header_count(struct req *r, const char *name, size_t n)
{
	char *v = arena_alloc(&r->mem, 24);
	if (v) {
		snprintf(v, 24, "%zu", n);
		reply_header(r, name, v);
	}
}

/* ---- HTCDS 2.0 ---------------------------------------------------------- */

/* The standard's field names (prefix_Name: org_, prs_, vic_, per_, cas_);
 * the few Himoya fields the standard lacks carry hmy_. */
static const char *const htcds_cols[] = {
	"cas_Id", "prs_Id", "hmy_PreviousCaseId", "org_Type", "cas_Status",
	"cas_ReasonForCaseClosure", "hmy_OpenedOn", "hmy_ClosedOn", "hmy_NRMStage",
	"vic_TraffickingStatus", "prs_Gender", "prs_Nationality", "hmy_AgeAtRegistration",
	"hmy_RegionOfOrigin", "vic_TypeOfExploitation", "vic_TypeOfSexExploitation",
	"vic_LabourIndustry", "vic_MethodsOfControl", "vic_MethodOfRecruitment",
	"vic_RecruitmentWebsitesAndApps", "vic_RelationshipToTrafficker",
	"vic_CountriesOfExploitation", "hmy_ExploitationStart", "hmy_ExploitationEnd",
	"per_RoleInProcess",
};

struct htcds_ctx {
	struct req *r;
	struct sheet *sh;
	struct consent_set cs;
	unsigned char key[crypto_generichash_KEYBYTES];
	arena scratch;
	size_t rows, seen;
	int failed;
};

static void text_or_empty(struct sheet *sh, const char *s)
{
	sheet_text(sh, s && *s ? s : NULL);
}

static int htcds_row(void *arg, const struct export_row *row)
{
	struct htcds_ctx *x = arg;
	struct sheet *sh = x->sh;
	struct facts f;
	char id[PSEUDO_HEX], list[1024];

	if (++x->seen % 1024 == 0)
		arena_free(&x->scratch);
	if (!consent_set_has(&x->cs, row->person_id))
		return 0;
	if (facts_open(&x->r->app->kr, &x->scratch, row, 0, &f)) {
		x->failed = 1;
		return -1;
	}
	pseudonym(x->key, "case", row->case_id, id);
	sheet_text(sh, id);
	pseudonym(x->key, "person", row->person_id, id);
	sheet_text(sh, id);
	if (*row->previous_case_id) {
		pseudonym(x->key, "case", row->previous_case_id, id);
		sheet_text(sh, id);
	} else {
		sheet_text(sh, NULL);
	}
	text_or_empty(sh, x->r->who.user.org.type);   /* the rows are all of the caller's */
	text_or_empty(sh, row->status);
	text_or_empty(sh, jstr(f.c, "closure_reason"));
	text_or_empty(sh, row->opened_on);
	text_or_empty(sh, row->closed_on);
	text_or_empty(sh, row->stage);
	text_or_empty(sh, row->trafficking_status);
	text_or_empty(sh, jstr(f.p, "gender"));
	text_or_empty(sh, jstr(f.p, "citizenship"));
	if (f.age >= 0)
		sheet_int(sh, f.age);
	else
		sheet_text(sh, NULL);
	text_or_empty(sh, jstr(f.p, "region_of_origin"));
	join_list(json_object_get(f.c, "exploitation_types"), list, sizeof list);
	text_or_empty(sh, list);
	join_list(json_object_get(f.c, "sex_exploitation_types"), list, sizeof list);
	text_or_empty(sh, list);
	text_or_empty(sh, jstr(f.c, "labour_sector"));
	join_list(json_object_get(f.c, "means_of_control"), list, sizeof list);
	text_or_empty(sh, list);
	text_or_empty(sh, jstr(f.c, "recruitment_method"));
	join_list(json_object_get(f.c, "recruitment_apps"), list, sizeof list);
	text_or_empty(sh, list);
	text_or_empty(sh, jstr(f.c, "recruiter_relation"));
	join_list(json_object_get(f.c, "countries_of_exploitation"), list, sizeof list);
	text_or_empty(sh, list);
	text_or_empty(sh, jstr(f.c, "exploitation_start"));
	text_or_empty(sh, jstr(f.c, "exploitation_end"));
	join_list(json_object_get(f.c, "perpetrator_roles"), list, sizeof list);
	text_or_empty(sh, list);
	sheet_row_end(sh);
	facts_close(&f);
	x->rows++;
	return 0;
}

int api_export_htcds(struct req *r)
{
	struct htcds_ctx x;
	const char *from, *to, *org_id;
	char today[11], detail[64];
	size_t i;
	int rc;

	if (export_scope(r, ACT_EXPORT_ROWS, &org_id))
		return r->status;
	org_id = r->who.user.org.id;   /* rows are of the caller's organisation only */
	if (export_period(r, &from, &to))
		return r->status;
	memset(&x, 0, sizeof x);
	x.r = r;
	consent_today(today);
	if (consent_set_load(r, &x.cs, today)) {
		free(x.cs.ids);
		return api_store_error(r, STORE_ERROR);
	}
	x.sh = sheet_new(SHEET_CSV, NULL);
	if (!x.sh) {
		free(x.cs.ids);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	export_key(&r->app->kr, x.key);
	arena_init(&x.scratch, EXPORT_ARENA_CAP);
	for (i = 0; i < sizeof htcds_cols / sizeof htcds_cols[0]; i++)
		sheet_text(x.sh, htcds_cols[i]);
	sheet_row_end(x.sh);
	rc = store_export_cases(r->app->st, org_id, from, to, 1, htcds_row, &x);
	arena_free(&x.scratch);
	free(x.cs.ids);
	sodium_memzero(x.key, sizeof x.key);
	if (rc != STORE_OK) {
		sheet_free(x.sh);
		return x.failed ? reply_problem(r, 500, "internal", "a record does not open")
				: api_store_error(r, STORE_ERROR);
	}
	snprintf(detail, sizeof detail, "rows=%zu", x.rows);
	rc = export_deliver(r, x.sh, "text/csv; charset=utf-8", "htcds.csv", "htcds", from, to,
			    detail);
	sheet_free(x.sh);
	if (rc == 0)
		header_count(r, "X-Export-Rows", x.rows);
	return r->status;
}

/* ---- CTDC ---------------------------------------------------------------- */

/* The quasi-identifiers, in the order of struct ctdc_row's qi[]. */
enum { QI_YEAR, QI_GENDER, QI_AGE, QI_MAJORITY, QI_MAJORITY_EXPLOIT, QI_CITIZENSHIP,
       QI_COUNTRY, QI_COUNT };

/* Means of control: the CTDC column and the HTCDS 2.0 code that sets it
 * (NULL: HTCDS 2.0 records no such means, so the column is missing). */
static const struct { const char *col, *code; } moc_map[] = {
	{"meansOfControlDebtBondage", "DebtBondage"},
	{"meansOfControlTakesEarnings", "TakesEarnings"},
	{"meansOfControlRestrictsFinancialAccess", "RestrictsFinancialAccess"},
	{"meansOfControlThreats", "PhysicalThreats"},
	{"meansOfControlPsychologicalAbuse", "PsychologicalAbuse"},
	{"meansOfControlPhysicalAbuse", "PhysicalAbuse"},
	{"meansOfControlSexualAbuse", "SexualAbuse"},
	{"meansOfControlFalsePromises", "FalsePromises"},
	{"meansOfControlPsychoactiveSubstances", "PsychoactiveSubstance"},
	{"meansOfControlRestrictsMovement", NULL},
	{"meansOfControlRestrictsMedicalCare", "RestrictsMedicalCare"},
	{"meansOfControlExcessiveWorkingHours", "ExcessiveWorkingHours"},
	{"meansOfControlUsesChildren", "ThreatensChildrenFamily"},
	{"meansOfControlThreatOfLawEnforcement", "ThreatsLawEnforcement"},
	{"meansOfControlWithholdsNecessities", "WithholdsNecessities"},
	{"meansOfControlWithholdsDocuments", "WithholdsDocuments"},
	{"meansOfControlOther", "Other"},
};
#define N_MOC (sizeof moc_map / sizeof moc_map[0])

/* Types of exploitation: the CTDC flag and the HTCDS codes that set it. */
enum { EX_LABOUR, EX_SEX, EX_OTHER, EX_MARRIAGE, EX_MILITARY, EX_ORGAN, EX_SLAVERY, N_EX };
static const struct { const char *code; int flag; } ex_map[] = {
	{"ForcedLabour", EX_LABOUR}, {"ChildLabour", EX_LABOUR}, {"ForcedBegging", EX_LABOUR},
	{"SexualExploitation", EX_SEX}, {"ForcedMarriage", EX_MARRIAGE},
	{"ForcedMilitaryByNonStateActors", EX_MILITARY}, {"OrganRemoval", EX_ORGAN},
	{"Servitude", EX_SLAVERY}, {"ForcedAdoption", EX_OTHER}, {"Surrogacy", EX_OTHER},
	{"Other", EX_OTHER},
};

/* Types of labour: the CTDC column and the ISIC section that sets it. */
enum { LB_AGRI, LB_AQUA, LB_BEGGING, LB_CONSTRUCTION, LB_DOMESTIC, LB_HOSPITALITY,
       LB_ILLICIT, LB_MANUFACTURING, LB_MINING, LB_PEDDLING, LB_TRANSPORT, LB_OTHER, N_LB };
static const char *const lb_cols[N_LB] = {
	"typeOfLabourAgriculture", "typeOfLabourAquafarming", "typeOfLabourBegging",
	"typeOfLabourConstruction", "typeOfLabourDomesticWork", "typeOfLabourHospitality",
	"typeOfLabourIllicitActivities", "typeOfLabourManufacturing",
	"typeOfLabourMiningOrDrilling", "typeOfLabourPeddling", "typeOfLabourTransportation",
	"typeOfLabourOther",
};

static int labour_of_isic(const char *s)
{
	switch (s ? s[0] : 0) {
	case 'A': return LB_AGRI;
	case 'B': return LB_MINING;
	case 'C': return LB_MANUFACTURING;
	case 'F': return LB_CONSTRUCTION;
	case 'H': return LB_TRANSPORT;
	case 'I': return LB_HOSPITALITY;
	case 'T': return LB_DOMESTIC;
	case 0: return -1;
	default: return LB_OTHER;
	}
}

enum { SX_PROSTITUTION, SX_PORNOGRAPHY, SX_REMOTE, SX_PRIVATE, N_SX };
static const char *const sx_codes[N_SX] = {
	"Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices",
};

/* Recruiter relation: the CTDC RecruiterRelationship text and flag. */
enum { RR_UNKNOWN, RR_FAMILY, RR_FRIEND, RR_OTHER };

struct ctdc_row {
	const char *qi[QI_COUNT];
	uint32_t moc;               /* bit i: moc_map[i] */
	uint8_t ex, sx, rr;         /* bits of EX_*, SX_*; RR_* */
	uint16_t lb;                /* bits of LB_* */
	unsigned moc_known : 1, ex_known : 1, sx_known : 1, lb_known : 1;
};

/* ---- CTDC: the hierarchies of the quasi-identifiers ----------------------- */

static const char *const age_bands[] = {"0--8", "9--17", "18--20", "21--23", "24--26",
					"27--29", "30--38", "39--47", "48+"};
static const char *const age_broader[] = {"0--17", "0--17", "18--29", "18--29", "18--29",
					  "18--29", "30--47", "30--47", "48+"};

static int age_band(int age)
{
	static const int upper[] = {8, 17, 20, 23, 26, 29, 38, 47};
	int i;

	if (age < 0)
		return -1;
	for (i = 0; i < 8; i++)
		if (age <= upper[i])
			return i;
	return 8;
}

static const char *gen_age(const char *v, unsigned level, void *ctx)
{
	size_t i;

	(void)ctx;
	(void)level;
	for (i = 0; i < sizeof age_bands / sizeof age_bands[0]; i++)
		if (!strcmp(v, age_bands[i]))
			return age_broader[i];
	return NULL;
}

/* Years: level 1 the five-year period holding it ("2020--2024"). */
static const char *gen_year(const char *v, unsigned level, void *ctx)
{
	static const char *const periods[] = {
		"1990--1994", "1995--1999", "2000--2004", "2005--2009", "2010--2014", "2015--2019",
		"2020--2024", "2025--2029", "2030--2034", "2035--2039", "2040--2044", "2045--2049",
	};
	long y = strtol(v, NULL, 10);

	(void)ctx;
	(void)level;
	if (y < 1990 || y > 2049)
		return NULL;
	return periods[(y - 1990) / 5];
}

/* Countries: level 1 their world region (UN M49 sub-regions where the
 * programme's people go; "Other" for the rest). */
static const char *const regions[] = {"Central Asia", "Eastern Europe", "Western Asia",
				      "Southern Asia", "Eastern Asia", "Other"};
#define N_REGIONS (sizeof regions / sizeof regions[0])

static unsigned region_of(const char *cc)
{
	static const char *const members[N_REGIONS - 1] = {
		"TJ KZ KG UZ TM",
		"RU BY UA MD PL CZ SK HU RO BG",
		"AE SA TR QA KW OM BH IQ IL JO LB SY YE AM AZ GE CY PS",
		"AF PK IN IR BD LK NP BT MV",
		"KR CN JP KP MN TW HK MO",
	};
	unsigned i;
	const char *p;

	if (strlen(cc) != 2)
		return N_REGIONS - 1;
	for (i = 0; i < N_REGIONS - 1; i++)
		for (p = members[i]; (p = strstr(p, cc)); p += 2)
			if ((p == members[i] || p[-1] == ' ') && (p[2] == ' ' || p[2] == '\0'))
				return i;
	return N_REGIONS - 1;
}

/* The regions of a ';'-joined list of countries, as one string per set
 * of regions (made once, kept in ctx's table). */
struct region_names {
	arena *a;
	const char *by_mask[1u << N_REGIONS];
};

static const char *gen_country(const char *v, unsigned level, void *ctx)
{
	struct region_names *rn = ctx;
	unsigned mask = 0, i;
	char cc[3];
	const char *p = v;

	(void)level;
	while (*p) {
		if (strlen(p) < 2)
			break;
		cc[0] = p[0];
		cc[1] = p[1];
		cc[2] = '\0';
		mask |= 1u << region_of(cc);
		p += 2;
		if (*p == ';')
			p++;
	}
	if (!mask)
		return NULL;
	if (!rn->by_mask[mask]) {
		char s[128] = "";
		size_t o = 0;
		for (i = 0; i < N_REGIONS; i++)
			if (mask & (1u << i))
				o += (size_t)snprintf(s + o, sizeof s - o, "%s%s", o ? ";" : "",
						      regions[i]);
		rn->by_mask[mask] = arena_strdup(rn->a, s);
	}
	return rn->by_mask[mask];
}

/* ---- CTDC: reading coded fields in place --------------------------------- */

/* The coded fields of a record are a compact JSON object of scalars and
 * lists of scalars (record_seal writes them; objects are never coded).
 * The CTDC export reads 100 000 of them: in place, without a DOM.  A
 * string with an escape is not a code and reads as missing. */
#define FLAT_MAX 64

struct flat {
	const char *k[FLAT_MAX], *v[FLAT_MAX];
	size_t kn[FLAT_MAX], vn[FLAT_MAX];
	size_t n;
};

/* Past the string at p (at its '"'), or NULL. */
static const char *flat_skip_string(const char *p)
{
	for (p++; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				return NULL;
		} else if (*p == '"') {
			return p + 1;
		}
	}
	return NULL;
}

/* Past the value at p (a string, a list, with nested lists and strings
 * skipped whole, or a scalar) at the ',' or '}' after it; NULL when the
 * text ends first. */
static const char *flat_skip_value(const char *p)
{
	int depth = 0;

	for (;;) {
		switch (*p) {
		case '\0':
			return NULL;
		case '"':
			p = flat_skip_string(p);
			if (!p)
				return NULL;
			break;
		case '[':
		case '{':
			depth++;
			p++;
			break;
		case ']':
		case '}':
			if (depth == 0)
				return *p == '}' ? p : NULL;
			depth--;
			p++;
			break;
		default:
			p++;
		}
		if (depth == 0 && (*p == ',' || *p == '}'))
			return p;
	}
}

static int flat_parse(struct flat *f, const char *s)
{
	const char *p = s, *q;

	f->n = 0;
	if (*p++ != '{')
		return -1;
	if (*p == '}')
		return 0;
	for (;;) {
		if (*p != '"' || f->n == FLAT_MAX)
			return -1;
		q = flat_skip_string(p);
		if (!q || *q != ':')
			return -1;
		f->k[f->n] = p + 1;
		f->kn[f->n] = (size_t)(q - p - 2);
		p = q + 1;
		q = flat_skip_value(p);
		if (!q)
			return -1;
		f->v[f->n] = p;
		f->vn[f->n] = (size_t)(q - p);
		f->n++;
		if (*q == '}')
			return 0;
		p = q + 1;
	}
}

static const char *flat_raw(const struct flat *f, const char *key, size_t *n)
{
	size_t i, kl = strlen(key);

	for (i = 0; i < f->n; i++)
		if (f->kn[i] == kl && !memcmp(f->k[i], key, kl)) {
			*n = f->vn[i];
			return f->v[i];
		}
	return NULL;
}

/* A string value of at most outlen - 1 bytes, without escapes, into out;
 * NULL when absent or not such a string.  v[0..n) is the JSON text. */
static const char *flat_string_at(const char *v, size_t n, char *out, size_t outlen)
{
	if (n < 2 || v[0] != '"' || v[n - 1] != '"' || n - 2 >= outlen ||
	    memchr(v + 1, '\\', n - 2))
		return NULL;
	memcpy(out, v + 1, n - 2);
	out[n - 2] = '\0';
	return out[0] ? out : NULL;
}

static const char *flat_str(const struct flat *f, const char *key, char *out, size_t outlen)
{
	size_t n;
	const char *v = flat_raw(f, key, &n);
	return v ? flat_string_at(v, n, out, outlen) : NULL;
}

static long flat_int(const struct flat *f, const char *key)
{
	size_t n;
	const char *v = flat_raw(f, key, &n);
	char *end;
	long x;

	if (!v || n == 0 || n > 6)
		return -1;
	x = strtol(v, &end, 10);
	return end == v + n ? x : -1;
}

/* The strings of a list value: calls fn(code, arg) for each; returns how
 * many there were (0 when absent or not a list). */
static size_t flat_list(const struct flat *f, const char *key,
			void (*fn)(const char *code, void *arg), void *arg)
{
	char code[64];
	size_t n, count = 0;
	const char *v = flat_raw(f, key, &n), *end, *p, *q;

	if (!v || n < 2 || v[0] != '[')
		return 0;
	end = v + n - 1;   /* the ']' */
	for (p = v + 1; p < end; p = q + 1) {
		if (*p != '"')
			return count;
		q = flat_skip_string(p);
		if (!q || q > end)
			return count;
		if (flat_string_at(p, (size_t)(q - p), code, sizeof code)) {
			fn(code, arg);
			count++;
		}
		if (*q != ',')
			break;
	}
	return count;
}

/* ---- CTDC: collecting the rows ------------------------------------------- */

struct ctdc_ctx {
	struct req *r;
	struct consent_set cs;
	arena scratch;              /* per batch of rows: opened records */
	arena keep;                 /* for the export: strings of the rows */
	struct ctdc_row *rows;
	size_t n, cap, seen;
	const char *years[300];     /* "1900".."2199", made once */
	int failed;
};

static const char *keep_year(struct ctdc_ctx *x, const char *date)
{
	long y = date && *date ? strtol(date, NULL, 10) : 0;
	char s[8];

	if (y < 1900 || y > 2199)
		return KANON_MISSING;
	if (!x->years[y - 1900]) {
		snprintf(s, sizeof s, "%ld", y);
		x->years[y - 1900] = arena_strdup(&x->keep, s);
	}
	return x->years[y - 1900] ? x->years[y - 1900] : KANON_MISSING;
}

static const char *ctdc_gender(const char *g)
{
	if (!g)
		return KANON_MISSING;
	if (!strcmp(g, "Feminine"))
		return "Female";
	if (!strcmp(g, "Masculine"))
		return "Male";
	if (!strcmp(g, "TransgenderFeminine") || !strcmp(g, "TransgenderMasculine") ||
	    !strcmp(g, "NonConforming"))
		return "Transgender/NonConforming";
	return KANON_MISSING;
}

/* The countries of exploitation, sorted and ';'-joined, in keep. */
struct countries {
	char cc[16][3];
	size_t n;
};

static void country_add(const char *code, void *arg)
{
	struct countries *c = arg;
	if (strlen(code) == 2 && c->n < 16)
		memcpy(c->cc[c->n++], code, 3);
}

static int cmp_cc(const void *a, const void *b)
{
	return strcmp(a, b);
}

static const char *ctdc_countries(struct ctdc_ctx *x, const struct flat *cc)
{
	struct countries c;
	char s[64];
	size_t i, o = 0;

	c.n = 0;
	flat_list(cc, "countries_of_exploitation", country_add, &c);
	if (!c.n)
		return KANON_MISSING;
	qsort(c.cc, c.n, sizeof c.cc[0], cmp_cc);
	s[0] = '\0';
	for (i = 0; i < c.n && o + 4 < sizeof s; i++)
		if (i == 0 || strcmp(c.cc[i], c.cc[i - 1]))
			o += (size_t)snprintf(s + o, sizeof s - o, "%s%s", o ? ";" : "", c.cc[i]);
	return arena_strdup(&x->keep, s);
}

static void moc_add(const char *code, void *arg)
{
	struct ctdc_row *cr = arg;
	size_t i;

	for (i = 0; i < N_MOC; i++)
		if (moc_map[i].code && !strcmp(moc_map[i].code, code))
			cr->moc |= 1u << i;
}

static void ex_add(const char *code, void *arg)
{
	struct ctdc_row *cr = arg;
	size_t i;

	for (i = 0; i < sizeof ex_map / sizeof ex_map[0]; i++)
		if (!strcmp(ex_map[i].code, code))
			cr->ex |= (uint8_t)(1u << ex_map[i].flag);
	if (!strcmp(code, "ForcedBegging"))
		cr->lb |= 1u << LB_BEGGING;
}

static void sx_add(const char *code, void *arg)
{
	struct ctdc_row *cr = arg;
	size_t i;

	for (i = 0; i < N_SX; i++)
		if (!strcmp(sx_codes[i], code))
			cr->sx |= (uint8_t)(1u << i);
}

static int ctdc_collect(void *arg, const struct export_row *row)
{
	struct ctdc_ctx *x = arg;
	struct ctdc_row *cr;
	struct flat pc, cc;
	char born[11], v[64], start[11];
	const char *s;
	size_t i;
	int band, age, age_exploit;

	if (++x->seen % 1024 == 0)
		arena_free(&x->scratch);
	if (!consent_set_has(&x->cs, row->person_id))
		return 0;
	if (flat_parse(&pc, row->person_coded) || flat_parse(&cc, row->case_coded) ||
	    person_birth_date(&x->r->app->kr, &x->scratch, row, born)) {
		x->failed = 1;
		return -1;
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 4096;
		struct ctdc_row *rows = realloc(x->rows, cap * sizeof *rows);
		if (!rows)
			return -1;
		x->rows = rows;
		x->cap = cap;
	}
	cr = &x->rows[x->n++];
	memset(cr, 0, sizeof *cr);

	ages_of(born[0] ? born : NULL, flat_int(&pc, "estimated_age"),
		flat_str(&cc, "exploitation_start", start, sizeof start), row->opened_on, &age,
		&age_exploit);
	cr->qi[QI_YEAR] = keep_year(x, row->opened_on);
	cr->qi[QI_GENDER] = ctdc_gender(flat_str(&pc, "gender", v, sizeof v));
	band = age_band(age);
	cr->qi[QI_AGE] = band >= 0 ? age_bands[band] : KANON_MISSING;
	cr->qi[QI_MAJORITY] = age < 0 ? KANON_MISSING : age < 18 ? "Minor" : "Adult";
	cr->qi[QI_MAJORITY_EXPLOIT] = age_exploit < 0 ? KANON_MISSING
				      : age_exploit < 18 ? "Minor" : "Adult";
	s = flat_str(&pc, "citizenship", v, sizeof v);
	cr->qi[QI_CITIZENSHIP] = s && strlen(s) == 2 ? arena_strdup(&x->keep, s) : KANON_MISSING;
	cr->qi[QI_COUNTRY] = ctdc_countries(x, &cc);
	for (i = 0; i < QI_COUNT; i++)
		if (!cr->qi[i])
			return -1;   /* the export arena is full */

	cr->moc_known = flat_list(&cc, "means_of_control", moc_add, cr) > 0;
	cr->ex_known = flat_list(&cc, "exploitation_types", ex_add, cr) > 0;
	if (cr->ex & (1u << EX_LABOUR)) {
		int lb = labour_of_isic(flat_str(&cc, "labour_sector", v, sizeof v));
		if (lb >= 0)
			cr->lb |= (uint16_t)(1u << lb);
		cr->lb_known = cr->lb != 0;
	}
	if (cr->ex & (1u << EX_SEX))
		cr->sx_known = flat_list(&cc, "sex_exploitation_types", sx_add, cr) > 0;
	s = flat_str(&cc, "recruiter_relation", v, sizeof v);
	cr->rr = !s ? RR_UNKNOWN : !strcmp(s, "Familial") ? RR_FAMILY
	       : !strcmp(s, "Acquainted") ? RR_FRIEND : RR_OTHER;
	return 0;
}

/* ---- CTDC: writing ------------------------------------------------------- */

/* A published value: -99 and whole numbers as numbers, the rest as text. */
static void ctdc_value(struct sheet *sh, const char *v)
{
	const char *p;

	if (!v || !*v || !strcmp(v, KANON_MISSING)) {
		sheet_int(sh, -99);
		return;
	}
	for (p = v; *p >= '0' && *p <= '9'; p++)
		;
	if (!*p && p - v <= 9)
		sheet_int(sh, strtol(v, NULL, 10));
	else
		sheet_text(sh, v);
}

static void ctdc_flag(struct sheet *sh, int known, int set)
{
	sheet_int(sh, known ? (set ? 1 : 0) : -99);
}

/* The names of the set bits, ';'-joined; -99 when none is known. */
static void ctdc_concat(struct sheet *sh, int known, unsigned bits, const char *const *names,
			size_t n, size_t skip_prefix)
{
	char s[1024];
	size_t i, o = 0;

	if (!known || !bits) {
		sheet_int(sh, -99);
		return;
	}
	s[0] = '\0';
	for (i = 0; i < n; i++)
		if (bits & (1u << i))
			o += (size_t)snprintf(s + o, sizeof s - o, "%s%s", o ? ";" : "",
					      names[i] + skip_prefix);
	ctdc_value(sh, s);
}

/* The legacy columns of reference/codes.json, in its order. */
static const char *const ctdc_cols[] = {
	"yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus",
	"majorityStatusAtExploit", "majorityEntry", "citizenship", "CountryOfExploitation",
	"meansOfControlDebtBondage", "meansOfControlTakesEarnings",
	"meansOfControlRestrictsFinancialAccess", "meansOfControlThreats",
	"meansOfControlPsychologicalAbuse", "meansOfControlPhysicalAbuse",
	"meansOfControlSexualAbuse", "meansOfControlFalsePromises",
	"meansOfControlPsychoactiveSubstances", "meansOfControlRestrictsMovement",
	"meansOfControlRestrictsMedicalCare", "meansOfControlExcessiveWorkingHours",
	"meansOfControlUsesChildren", "meansOfControlThreatOfLawEnforcement",
	"meansOfControlWithholdsNecessities", "meansOfControlWithholdsDocuments",
	"meansOfControlOther", "meansOfControlNotSpecified", "meansOfControlConcatenated",
	"isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour",
	"isForcedMarriage", "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices",
	"typeOfExploitConcatenated", "typeOfLabourAgriculture", "typeOfLabourAquafarming",
	"typeOfLabourBegging", "typeOfLabourConstruction", "typeOfLabourDomesticWork",
	"typeOfLabourHospitality", "typeOfLabourIllicitActivities", "typeOfLabourManufacturing",
	"typeOfLabourMiningOrDrilling", "typeOfLabourPeddling", "typeOfLabourTransportation",
	"typeOfLabourOther", "typeOfLabourNotSpecified", "typeOfLabourConcatenated",
	"typeOfSexProstitution", "typeOfSexPornography", "typeOfSexRemoteInteractiveServices",
	"typeOfSexPrivateSexualServices", "typeOfSexConcatenated", "isAbduction",
	"RecruiterRelationship", "recruiterRelationIntimatePartner", "recruiterRelationFriend",
	"recruiterRelationFamily", "recruiterRelationOther", "recruiterRelationUnknown",
};

static void ctdc_write_row(struct sheet *sh, const struct ctdc_row *cr, const char *const *qi)
{
	static const char *const ex_names[N_EX] = {
		"ForcedLabour", "SexualExploit", "OtherExploit", "ForcedMarriage", "ForcedMilitary",
		"OrganRemoval", "SlaveryAndPractices",
	};
	static const char *const moc_names[N_MOC] = {
		"DebtBondage", "TakesEarnings", "RestrictsFinancialAccess", "Threats",
		"PsychologicalAbuse", "PhysicalAbuse", "SexualAbuse", "FalsePromises",
		"PsychoactiveSubstances", "RestrictsMovement", "RestrictsMedicalCare",
		"ExcessiveWorkingHours", "UsesChildren", "ThreatOfLawEnforcement",
		"WithholdsNecessities", "WithholdsDocuments", "Other",
	};
	static const char *const rr_text[] = {NULL, "Family", "Friend/Acquaintance", "Other"};
	int labour = cr->ex_known && (cr->ex & (1u << EX_LABOUR));
	int sex = cr->ex_known && (cr->ex & (1u << EX_SEX));
	size_t i;

	ctdc_value(sh, qi[QI_YEAR]);
	sheet_text(sh, "Case Management");
	ctdc_value(sh, qi[QI_GENDER]);
	ctdc_value(sh, qi[QI_AGE]);
	ctdc_value(sh, qi[QI_MAJORITY]);
	ctdc_value(sh, qi[QI_MAJORITY_EXPLOIT]);
	sheet_int(sh, -99);                               /* majorityEntry: not recorded */
	ctdc_value(sh, qi[QI_CITIZENSHIP]);
	ctdc_value(sh, qi[QI_COUNTRY]);
	for (i = 0; i < N_MOC; i++)
		ctdc_flag(sh, cr->moc_known && moc_map[i].code, cr->moc & (1u << i));
	sheet_int(sh, cr->moc_known ? 0 : 1);             /* meansOfControlNotSpecified */
	ctdc_concat(sh, cr->moc_known, cr->moc, moc_names, N_MOC, 0);
	for (i = 0; i < N_EX; i++) {
		ctdc_flag(sh, cr->ex_known, cr->ex & (1u << i));
		if (i == EX_OTHER)                        /* isSexAndLabour comes next */
			ctdc_flag(sh, cr->ex_known, labour && sex);
	}
	ctdc_concat(sh, cr->ex_known, cr->ex, ex_names, N_EX, 0);
	for (i = 0; i < N_LB; i++)
		ctdc_flag(sh, labour && cr->lb_known && i != LB_AQUA && i != LB_ILLICIT &&
				      i != LB_PEDDLING,
			  cr->lb & (1u << i));
	ctdc_flag(sh, labour, labour && !cr->lb_known);     /* typeOfLabourNotSpecified */
	ctdc_concat(sh, labour && cr->lb_known, cr->lb, lb_cols, N_LB, strlen("typeOfLabour"));
	for (i = 0; i < N_SX; i++)
		ctdc_flag(sh, sex && cr->sx_known, cr->sx & (1u << i));
	ctdc_concat(sh, sex && cr->sx_known, cr->sx, sx_codes, N_SX, 0);
	sheet_int(sh, -99);                               /* isAbduction: not recorded */
	if (cr->rr == RR_UNKNOWN)
		sheet_int(sh, -99);
	else
		sheet_text(sh, rr_text[cr->rr]);
	ctdc_flag(sh, cr->rr != RR_UNKNOWN, 0);            /* intimate partner: not recorded apart */
	ctdc_flag(sh, cr->rr != RR_UNKNOWN, cr->rr == RR_FRIEND);
	ctdc_flag(sh, cr->rr != RR_UNKNOWN, cr->rr == RR_FAMILY);
	ctdc_flag(sh, cr->rr != RR_UNKNOWN, cr->rr == RR_OTHER);
	sheet_int(sh, cr->rr == RR_UNKNOWN ? 1 : 0);
	sheet_row_end(sh);
}

int api_export_ctdc(struct req *r)
{
	struct ctdc_ctx *x;
	struct region_names *rn;
	struct kanon_attr attrs[QI_COUNT];
	struct kanon_table t;
	struct kanon_result res;
	unsigned level[QI_COUNT];
	unsigned char *dropped = NULL;
	const char **cells = NULL;
	size_t *order = NULL;
	const char *from, *to, *org_id;
	char today[11], detail[160];
	struct sheet *sh = NULL;
	unsigned k = r->app->cfg.report_k;
	size_t i, kept = 0;
	int rc;

	if (export_scope(r, ACT_EXPORT_ANONYMOUS, &org_id))
		return r->status;
	if (export_period(r, &from, &to))
		return r->status;
	x = calloc(1, sizeof *x);
	rn = calloc(1, sizeof *rn);
	if (!x || !rn) {
		free(x);
		free(rn);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	x->r = r;
	arena_init(&x->scratch, EXPORT_ARENA_CAP);
	arena_init(&x->keep, EXPORT_ARENA_CAP);
	rn->a = &x->keep;
	consent_today(today);
	if (consent_set_load(r, &x->cs, today)) {
		rc = api_store_error(r, STORE_ERROR);
		goto out;
	}
	rc = store_export_cases(r->app->st, org_id, from, to, 0, ctdc_collect, x);
	if (rc != STORE_OK) {
		rc = x->failed ? reply_problem(r, 500, "internal", "a record does not open")
			       : api_store_error(r, STORE_ERROR);
		goto out;
	}

	/* k-anonymity over the quasi-identifiers. */
	memset(attrs, 0, sizeof attrs);
	attrs[QI_YEAR] = (struct kanon_attr){"yearOfRegistration", 1, gen_year, NULL};
	attrs[QI_GENDER] = (struct kanon_attr){"gender", 0, NULL, NULL};
	attrs[QI_AGE] = (struct kanon_attr){"ageBroad", 1, gen_age, NULL};
	attrs[QI_MAJORITY] = (struct kanon_attr){"majorityStatus", 0, NULL, NULL};
	attrs[QI_MAJORITY_EXPLOIT] = (struct kanon_attr){"majorityStatusAtExploit", 0, NULL, NULL};
	attrs[QI_CITIZENSHIP] = (struct kanon_attr){"citizenship", 1, gen_country, rn};
	attrs[QI_COUNTRY] = (struct kanon_attr){"CountryOfExploitation", 1, gen_country, rn};
	cells = malloc((x->n ? x->n : 1) * QI_COUNT * sizeof *cells);
	dropped = malloc(x->n ? x->n : 1);
	if (!cells || !dropped) {
		rc = reply_problem(r, 500, "internal", "out of memory");
		goto out;
	}
	for (i = 0; i < x->n; i++)
		memcpy(cells + i * QI_COUNT, x->rows[i].qi, sizeof x->rows[i].qi);
	t = (struct kanon_table){x->n, QI_COUNT, cells};
	res = (struct kanon_result){level, dropped, 0, 0, 0};
	if (kanon_run(attrs, &t, k, CTDC_SUPPRESS_SHARE, &res) || !kanon_check(&t, dropped, k)) {
		rc = reply_problem(r, 500, "internal", "the export could not be anonymised");
		goto out;
	}

	sh = sheet_new(SHEET_CSV, NULL);
	if (!sh) {
		rc = reply_problem(r, 500, "internal", "out of memory");
		goto out;
	}
	for (i = 0; i < sizeof ctdc_cols / sizeof ctdc_cols[0]; i++)
		sheet_text(sh, ctdc_cols[i]);
	sheet_row_end(sh);
	/* Rows in a random order: the order of registration is not
	 * published (it could link a row to a known case). */
	order = malloc((x->n ? x->n : 1) * sizeof *order);
	if (!order) {
		rc = reply_problem(r, 500, "internal", "out of memory");
		goto out;
	}
	for (i = 0; i < x->n; i++)
		order[i] = i;
	for (i = x->n; i > 1; i--) {
		size_t j = randombytes_uniform((uint32_t)i), tmp = order[i - 1];
		order[i - 1] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < x->n; i++) {
		size_t row = order[i];
		if (dropped[row])
			continue;
		ctdc_write_row(sh, &x->rows[row], cells + row * QI_COUNT);
		kept++;
	}
	snprintf(detail, sizeof detail,
		 "rows=%zu,k=%u,suppressed=%zu,dropped=%zu,levels=%u%u%u%u%u%u%u", kept, k,
		 res.suppressed, res.dropped_rows, level[0], level[1], level[2], level[3],
		 level[4], level[5], level[6]);
	rc = export_deliver(r, sh, "text/csv; charset=utf-8", "ctdc.csv", "ctdc", from, to,
			    detail);
	if (rc == 0) {
		header_count(r, "X-Export-Rows", kept);
		header_count(r, "X-Export-K", k);
		header_count(r, "X-Export-Suppressed", res.suppressed);
		header_count(r, "X-Export-Dropped", res.dropped_rows);
	}
	rc = r->status;
out:
	sheet_free(sh);
	free(order);
	free(cells);
	free(dropped);
	free(x->rows);
	free(x->cs.ids);
	arena_free(&x->scratch);
	arena_free(&x->keep);
	free(x);
	free(rn);
	return rc;
}

/* ---- cases.xlsx ---------------------------------------------------------- */

static const char *const xlsx_cols[] = {
	"case_id", "person_id", "status", "stage", "trafficking_status", "opened_on",
	"closed_on", "closure_reason", "assigned_to", "previous_case_id", "exploitation_types",
	"sex_exploitation_types", "labour_sector", "means_of_control", "recruitment_method",
	"recruiter_relation", "countries_of_exploitation", "gender", "citizenship",
	"region_of_origin", "age_at_registration",
};
static const char *const xlsx_pii_cols[] = {
	"given_name", "family_name", "patronymic", "birth_date", "phones",
};

struct xlsx_ctx {
	struct req *r;
	struct sheet *sh;
	arena scratch;
	size_t rows;
	int pii, failed;
};

static int xlsx_row(void *arg, const struct export_row *row)
{
	struct xlsx_ctx *x = arg;
	struct sheet *sh = x->sh;
	struct facts f;
	char list[1024], record[64];

	if (++x->rows % 1024 == 0)
		arena_free(&x->scratch);
	if (facts_open(&x->r->app->kr, &x->scratch, row, x->pii, &f)) {
		x->failed = 1;
		return -1;
	}
	text_or_empty(sh, row->case_id);
	text_or_empty(sh, row->person_id);
	text_or_empty(sh, row->status);
	text_or_empty(sh, row->stage);
	text_or_empty(sh, row->trafficking_status);
	text_or_empty(sh, row->opened_on);
	text_or_empty(sh, row->closed_on);
	text_or_empty(sh, jstr(f.c, "closure_reason"));
	text_or_empty(sh, row->assigned_to);
	text_or_empty(sh, row->previous_case_id);
	join_list(json_object_get(f.c, "exploitation_types"), list, sizeof list);
	text_or_empty(sh, list);
	join_list(json_object_get(f.c, "sex_exploitation_types"), list, sizeof list);
	text_or_empty(sh, list);
	text_or_empty(sh, jstr(f.c, "labour_sector"));
	join_list(json_object_get(f.c, "means_of_control"), list, sizeof list);
	text_or_empty(sh, list);
	text_or_empty(sh, jstr(f.c, "recruitment_method"));
	text_or_empty(sh, jstr(f.c, "recruiter_relation"));
	join_list(json_object_get(f.c, "countries_of_exploitation"), list, sizeof list);
	text_or_empty(sh, list);
	text_or_empty(sh, jstr(f.p, "gender"));
	text_or_empty(sh, jstr(f.p, "citizenship"));
	text_or_empty(sh, jstr(f.p, "region_of_origin"));
	if (f.age >= 0)
		sheet_int(sh, f.age);
	else
		sheet_text(sh, NULL);
	if (x->pii) {
		text_or_empty(sh, jstr(f.p, "given_name"));
		text_or_empty(sh, jstr(f.p, "family_name"));
		text_or_empty(sh, jstr(f.p, "patronymic"));
		text_or_empty(sh, jstr(f.p, "birth_date"));
		join_list(json_object_get(f.p, "phones"), list, sizeof list);
		text_or_empty(sh, list);
		snprintf(record, sizeof record, "persons/%s", row->person_id);
		api_audit_read(x->r, record, "given_name,family_name,patronymic,birth_date,phones");
	}
	sheet_row_end(sh);
	facts_close(&f);
	return 0;
}

int api_export_cases_xlsx(struct req *r)
{
	struct xlsx_ctx x;
	const char *from, *to, *org_id, *pii = req_query(r, "pii");
	const char *tmp = getenv("TMPDIR");
	char detail[64];
	policy_relation rel = PC_OWN_ORG;
	size_t i;
	int rc;

	if (export_scope(r, ACT_EXPORT_ROWS, &org_id))
		return r->status;
	org_id = r->who.user.org.id;   /* rows are of the caller's organisation only */
	if (export_period(r, &from, &to))
		return r->status;
	if (pii && strcmp(pii, "0") && strcmp(pii, "1"))
		return reply_problem(r, 422, "invalid-value", "pii: 0 or 1");
	memset(&x, 0, sizeof x);
	x.r = r;
	x.pii = pii && !strcmp(pii, "1");
	if (r->who.kind == AUTH_COOKIE && r->who.user.totp_enabled)
		rel |= PC_SECOND_FACTOR;
	if (x.pii && policy_allows(ACT_EXPORT_PII, r->who.user.role, rel) < 0)
		return reply_problem(r, 403, "forbidden",
				     "personal data in an export needs the export.pii permission "
				     "(a supervisor signed in with a second factor)");
	x.sh = sheet_new(SHEET_XLSX, tmp && *tmp ? tmp : "/tmp");
	if (!x.sh)
		return reply_problem(r, 500, "internal", "no room for the workbook");
	arena_init(&x.scratch, EXPORT_ARENA_CAP);
	sheet_tab(x.sh, "cases");
	for (i = 0; i < sizeof xlsx_cols / sizeof xlsx_cols[0]; i++)
		sheet_text(x.sh, xlsx_cols[i]);
	if (x.pii)
		for (i = 0; i < sizeof xlsx_pii_cols / sizeof xlsx_pii_cols[0]; i++)
			sheet_text(x.sh, xlsx_pii_cols[i]);
	sheet_row_end(x.sh);
	rc = store_export_cases(r->app->st, org_id, from, to, 1, xlsx_row, &x);
	arena_free(&x.scratch);
	if (rc != STORE_OK) {
		sheet_free(x.sh);
		return x.failed ? reply_problem(r, 500, "internal", "a record does not open")
				: api_store_error(r, STORE_ERROR);
	}
	snprintf(detail, sizeof detail, "rows=%zu,pii=%d", x.rows, x.pii);
	rc = export_deliver(r, x.sh,
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			    "cases.xlsx", "cases", from, to, detail);
	sheet_free(x.sh);
	if (rc == 0)
		header_count(r, "X-Export-Rows", x.rows);
	return r->status;
}
