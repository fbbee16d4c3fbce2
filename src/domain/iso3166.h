/*
 * iso3166.h - is a code an ISO 3166-1 alpha-2 country code in use?
 */
#ifndef HIMOYA_ISO3166_H
#define HIMOYA_ISO3166_H

/* 1 when code is an assigned ISO 3166-1 alpha-2 code ("TJ"), else 0. */
int iso3166_has(const char *code);

#endif
