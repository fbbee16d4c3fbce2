/*
 * token.c - the rules of API tokens: a life of TOKEN_DAYS_DEFAULT days
 * unless said otherwise and never more than TOKEN_DAYS_MAX, an expiry
 * given as a date or a UTC time, labels of plain text.
 */
#include <string.h>
#include <time.h>

#include "domain/record.h"
#include "domain/token.h"
#include "util/utf8.h"

#define DAY_SECS 86400

int64_t token_expiry_days(int64_t now, long days)
{
	if (days < 1 || days > TOKEN_DAYS_MAX)
		return -1;
	return now + (int64_t)days * DAY_SECS;
}

int token_expiry_parse(const char *s, int64_t now, int64_t *out)
{
	int y, m, d, hh = 0, mm = 0, ss = 0;
	struct tm tm;
	int64_t t;

	if (!s)
		return -1;
	if (strlen(s) == 20) {
		char date[11];
		if (!datetime_valid(s, 1))
			return -1;
		memcpy(date, s, 10);
		date[10] = '\0';
		if (!date_parse(date, &y, &m, &d))
			return -1;
		hh = (s[11] - '0') * 10 + (s[12] - '0');
		mm = (s[14] - '0') * 10 + (s[15] - '0');
		ss = (s[17] - '0') * 10 + (s[18] - '0');
	} else if (!date_parse(s, &y, &m, &d)) {
		return -1;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = (int64_t)timegm(&tm);
	if (t <= now || t > now + (int64_t)TOKEN_DAYS_MAX * DAY_SECS)
		return -2;
	*out = t;
	return 0;
}

void token_time_format(int64_t t, char out[TOKEN_TIME_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(out, TOKEN_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

int token_label_ok(const char *s)
{
	size_t n, i;

	if (!s)
		return 0;
	n = strlen(s);
	if (n == 0 || !utf8_valid(s, n) || utf8_count(s, n) > TOKEN_LABEL_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}
