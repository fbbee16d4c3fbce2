/*
 * static.c - the browser UI's files, compiled into the binary, with ETags
 * so that a phone on a weak link revalidates instead of downloading.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/assets.h"

static int asset_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct web_asset *)elem)->path);
}

int api_static(struct req *r)
{
	const char *path = strcmp(r->path, "/") ? r->path : "/index.html";
	const struct web_asset *a = bsearch(path, web_assets, web_assets_count, sizeof *a, asset_cmp);
	const char *inm;

	if (!a)
		return reply_problem(r, 404, "not-found", "no such page");
	reply_header(r, "ETag", a->etag);
	reply_header(r, "Cache-Control", "no-cache");
	inm = req_header(r, "If-None-Match");
	r->content_type = a->type;
	r->static_data = (const unsigned char *)"";
	r->static_len = 0;
	if (inm && !strcmp(inm, a->etag)) {
		r->status = 304;
		return 304;
	}
	r->static_data = a->data;
	r->static_len = a->len;
	r->status = 200;
	return 200;
}
