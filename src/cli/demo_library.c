/*
 * demo_library.c - the knowledge library of `himoya demo`: a few sample
 * products kept by IOM, each file a one-page PDF made here that says it
 * is a sample and no official document; one product has two versions.
 * Written through what the API writes with (api/library.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api/library.h"
#include "cli/demo_library.h"
#include "util/buf.h"

static const struct {
	const char *body;       /* the product, as POST /library takes it */
	const char *text[2];    /* the line of its versions' page (NULL: none) */
	const char *note[2];
} samples[] = {
	{"{\"kind\":\"sop\",\"title_tg\":\"Намуна: Тартиби равонасозии қурбониёни савдои одамон\","
	 "\"title_ru\":\"Образец: порядок перенаправления жертв торговли людьми\","
	 "\"title_en\":\"Sample: SOP for the referral of victims of trafficking\","
	 "\"audience\":[\"law_enforcement\",\"caseworkers\",\"social_protection\"],"
	 "\"languages\":[\"tg\",\"ru\"]}",
	 {"SAMPLE - referral SOP, first draft. Not an official document.",
	  "SAMPLE - referral SOP, second draft with consent steps. Not an official document."},
	 {"first draft (sample)", "consent steps added (sample)"}},
	{"{\"kind\":\"brochure\",\"title_tg\":\"Намуна: Муҳоҷирати бехатар\","
	 "\"title_ru\":\"Образец: безопасная миграция\",\"title_en\":\"Sample: Safe migration\","
	 "\"audience\":[\"migrants\",\"public\"],\"languages\":[\"tg\",\"ru\",\"uz\"]}",
	 {"SAMPLE - safe migration leaflet. Not an official document.", NULL},
	 {"sample", NULL}},
	{"{\"kind\":\"training_manual\",\"title_en\":\"Sample: Identification of victims, a "
	 "trainer's manual\",\"title_ru\":\"Образец: выявление жертв, пособие для тренера\","
	 "\"audience\":[\"trainers\",\"border_customs\",\"law_enforcement\"],"
	 "\"languages\":[\"ru\",\"en\"]}",
	 {"SAMPLE - trainer's manual on identification. Not an official document.", NULL},
	 {"sample", NULL}},
};

#define NSAMPLES (sizeof samples / sizeof samples[0])

/* A one-page PDF showing line (ASCII, no parentheses or backslashes), with
 * its cross-reference table, into b. */
static void sample_pdf(buf *b, const char *line)
{
	size_t off[6];
	char content[256];
	int n = snprintf(content, sizeof content, "BT /F1 14 Tf 56 780 Td (%s) Tj ET", line);

	buf_reset(b);
	buf_puts(b, "%PDF-1.4\n");
	off[1] = b->len;
	buf_puts(b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	off[2] = b->len;
	buf_puts(b, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
	off[3] = b->len;
	buf_puts(b, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
		    " /Resources << /Font << /F1 5 0 R >> >> >> endobj\n");
	off[4] = b->len;
	buf_printf(b, "4 0 obj << /Length %d >> stream\n%s\nendstream endobj\n", n, content);
	off[5] = b->len;
	buf_puts(b, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
	{
		size_t xref = b->len, i;
		buf_puts(b, "xref\n0 6\n0000000000 65535 f \n");
		for (i = 1; i < 6; i++)
			buf_printf(b, "%010zu 00000 n \n", off[i]);
		buf_printf(b, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	}
}

/* One product and its versions in tx. */
static int add_sample(store_tx *tx, const keyring *kr, const struct org *iom, size_t i,
		      time_t now, size_t *nversions, arena *a)
{
	struct library_product p;
	struct record_error e;
	json_t *body = json_loads(samples[i].body, JSON_REJECT_DUPLICATES, NULL);
	buf file;
	int rc = STORE_ERROR, k;

	memset(&p, 0, sizeof p);
	if (!body || library_product_from(body, &p, a, &e)) {
		json_decref(body);
		return STORE_ERROR;
	}
	json_decref(body);
	store_new_id(p.id);
	snprintf(p.org_id, sizeof p.org_id, "%s", iom->id);
	store_now(p.created_at);
	memcpy(p.updated_at, p.created_at, sizeof p.updated_at);
	if (store_library_insert(tx, &p) != STORE_OK)
		return STORE_ERROR;
	buf_init(&file, 1u << 16);
	rc = STORE_OK;
	for (k = 0; k < 2 && samples[i].text[k] && rc == STORE_OK; k++) {
		struct library_version v;
		struct tm tm;
		time_t at = now - (time_t)(2 - k) * 20 * 86400 - (time_t)i * 86400;

		memset(&v, 0, sizeof v);
		memcpy(v.product_id, p.id, sizeof v.product_id);
		v.n = k + 1;
		v.file_name = k ? "sample-v2.pdf" : "sample.pdf";
		v.note = samples[i].note[k];
		gmtime_r(&at, &tm);
		strftime(v.uploaded_at, sizeof v.uploaded_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
		sample_pdf(&file, samples[i].text[k]);
		rc = buf_ok(&file) ? library_version_put(tx, kr, &v, (const unsigned char *)file.data,
							 file.len)
				   : STORE_ERROR;
		if (rc == STORE_OK)
			(*nversions)++;
	}
	buf_free(&file);
	return rc;
}

int demo_library_load(store *st, const keyring *kr, size_t *nproducts, size_t *nversions)
{
	struct library_filter f;
	struct library_product *have;
	struct org iom;
	struct audit_entry e = {NULL, NULL, "create", "library/demo", NULL, "cli"};
	char fields[64];
	size_t n = 0, i;
	store_tx *tx;
	arena a;
	int rc = STORE_OK;

	*nproducts = *nversions = 0;
	if (store_org_by_code(st, "iom", &iom) != STORE_OK) {
		fprintf(stderr, "himoya: the demo organisation iom is missing\n");
		return -1;
	}
	arena_init(&a, 1u << 20);
	memset(&f, 0, sizeof f);
	if (store_library_list(st, &f, 1, &have, &n, &a) != STORE_OK || n) {
		arena_free(&a);
		return n ? 0 : -1;
	}
	tx = store_begin(st);
	if (!tx) {
		arena_free(&a);
		return -1;
	}
	for (i = 0; i < NSAMPLES && rc == STORE_OK; i++) {
		rc = add_sample(tx, kr, &iom, i, time(NULL), nversions, &a);
		if (rc == STORE_OK)
			(*nproducts)++;
	}
	snprintf(fields, sizeof fields, "products=%zu,versions=%zu", *nproducts, *nversions);
	e.fields = fields;
	if (rc == STORE_OK)
		rc = store_audit_append(tx, &e);
	arena_free(&a);
	if (rc != STORE_OK) {
		store_rollback(tx);
		fprintf(stderr, "himoya: cannot add the demo library\n");
		*nproducts = *nversions = 0;
		return -1;
	}
	return store_commit(tx) == STORE_OK ? 0 : -1;
}
