/*
 * library.h - the rules of the knowledge library's files, with no HTTP
 * and no SQL: which files it takes (by their first bytes, never by the
 * name or the declared type) and what name a file keeps.
 */
#ifndef HIMOYA_DOMAIN_LIBRARY_H
#define HIMOYA_DOMAIN_LIBRARY_H

#include <stddef.h>

/* The largest file the library takes (20 MiB). */
#define LIBRARY_FILE_MAX ((size_t)20 << 20)
/* The longest file name kept, in bytes (cut on a character's edge). */
#define LIBRARY_NAME_MAX 120

struct library_type {
	const char *content_type;  /* "application/pdf" */
	const char *ext;           /* "pdf" */
};

/* The type of data[0..n) by its magic bytes: PDF, DOCX, XLSX, ODT, PNG or
 * JPEG; NULL for anything else (a plain ZIP, an executable, text, an
 * empty file).  A ZIP is DOCX when it holds word/document.xml, XLSX with
 * xl/workbook.xml, ODT when its first entry is the ODF text mimetype. */
const struct library_type *library_sniff(const unsigned char *data, size_t n);

/* The name a file keeps, from what the uploader sent (NULL or "" allowed),
 * into out (outlen > LIBRARY_NAME_MAX): no folder part, ASCII letters,
 * two-byte letters from U+00C0 (Cyrillic, accented Latin), digits, space, . _ - ( ) only (others become _), no leading dot
 * or space, at most LIBRARY_NAME_MAX bytes, ending in the sniffed type's
 * extension (added when it is missing). */
void library_name_clean(const char *name, const struct library_type *t, char *out,
			size_t outlen);

#endif
