/*
 * assets.h - the browser UI's files, compiled into the binary by
 * tools/embed.c from web/.  The table is sorted by path.
 */
#ifndef HIMOYA_ASSETS_H
#define HIMOYA_ASSETS_H

#include <stddef.h>

struct web_asset {
	const char *path;          /* "/index.html", "/app.js", ... */
	const char *type;          /* Content-Type with charset where textual */
	const unsigned char *data;
	size_t len;
	const char *etag;          /* quoted hash of the content */
};

extern const struct web_asset web_assets[];
extern const size_t web_assets_count;

#endif
