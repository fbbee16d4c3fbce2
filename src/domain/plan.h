/*
 * plan.h - the status of an activity of the national Action Plan on
 * counter-trafficking, from its deadline, its target and its newest
 * progress report.  Pure: no HTTP, no SQL.
 */
#ifndef HIMOYA_PLAN_H
#define HIMOYA_PLAN_H

/* "done": reported with a value at or above the target; "late": not done
 * and the deadline (YYYY-MM-DD) is before today; "on_track": not done,
 * not late, reported at least once; "not_started": none of these.
 * reported: 0 when there is no report (value is then ignored). */
const char *plan_status(const char *deadline, long long target, int reported, long long value,
			const char *today);

#endif
