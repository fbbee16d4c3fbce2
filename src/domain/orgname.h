/*
 * orgname.h - an organisation's name and code as users tell organisations
 * apart: what a name may hold, and the forms in which two names or codes
 * are one for a reader (a look-alike would let a consent, a referral or a
 * reader take one organisation for another: an outside review made a
 * second "police" beside the real one).
 */
#ifndef HIMOYA_ORGNAME_H
#define HIMOYA_ORGNAME_H

#include <stddef.h>

#define ORGNAME_MAX_CHARS 200

/* NULL when name may be an organisation's name, else why not: 1 to 200
 * characters of UTF-8; no control, format, private, unassigned, invisible
 * or line-breaking characters (a right-to-left override shows a reversed
 * name as another); no word mixing Latin, Cyrillic and Greek letters
 * (НGO with a Cyrillic Н looks like NGO). */
const char *orgname_problem(const char *name);

/* The name as a reader sees it: NFKC, case folded, accents stripped, its
 * letters and digits only, each as the Latin letter it is drawn like
 * (Cyrillic о, Greek ο and 0 are o; і, ι, 1 and i are l); NULL for
 * invalid UTF-8 or no memory (free() it). */
char *orgname_fold(const char *name);

/* The code as a reader sees it: lower case, without . _ - @, 0 as o, i
 * and 1 as l (ngo_ozod, ngo-ozod. and ng0-ozod are ngoozod). */
void orgcode_fold(const char *code, char out[65]);

#endif
