/*
 * routes.c - the one routing table.  Read it top to bottom to find where
 * any request goes.  Paths outside /api/ that match nothing here are the
 * browser UI's files (api/static.c).
 */
#include "api/api.h"
#include "api/metrics.h"

#define V1 "/api/v1"

const struct route api_routes[] = {
	{M_GET, "/health", api_health, ROUTE_PUBLIC},
	/* Prometheus: this machine, or the metrics token (api/metrics.c). */
	{M_GET, "/metrics", api_metrics, ROUTE_PUBLIC},
	{M_GET, V1 "/health", api_health, ROUTE_PUBLIC},

	{M_POST, V1 "/session", api_session_create, ROUTE_PUBLIC | ROUTE_NO_CSRF},
	{M_DELETE, V1 "/session", api_session_delete, ROUTE_PENDING},
	{M_GET, V1 "/me", api_me, ROUTE_PENDING},
	{M_POST, V1 "/me/totp", api_me_totp_begin, ROUTE_PENDING},
	{M_POST, V1 "/me/totp/confirm", api_me_totp_confirm, ROUTE_PENDING},

	{M_POST, V1 "/persons", api_persons_create, 0},
	{M_GET, V1 "/persons", api_persons_search, 0},
	{M_GET, V1 "/persons/{}", api_person_get, 0},
	{M_PATCH, V1 "/persons/{}", api_person_patch, 0},
	{M_POST, V1 "/persons/{}/consents", api_consents_create, 0},
	{M_GET, V1 "/persons/{}/consents", api_consents_list, 0},
	{M_POST, V1 "/consents/{}/withdraw", api_consent_withdraw, 0},

	{M_POST, V1 "/cases", api_cases_create, 0},
	{M_GET, V1 "/cases", api_cases_list, 0},
	{M_GET, V1 "/cases/{}", api_case_get, 0},
	{M_PATCH, V1 "/cases/{}", api_case_patch, 0},
	{M_POST, V1 "/cases/{}/close", api_case_close, 0},
	{M_POST, V1 "/cases/{}/reopen", api_case_reopen, 0},
	{M_GET, V1 "/cases/{}/timeline", api_case_timeline, 0},
	{M_POST, V1 "/cases/{}/screenings", api_screenings_create, 0},
	{M_GET, V1 "/cases/{}/screenings", api_screenings_list, 0},
	{M_POST, V1 "/cases/{}/status-decisions", api_decisions_create, 0},
	{M_GET, V1 "/cases/{}/status-decisions", api_decisions_list, 0},
	{M_POST, V1 "/cases/{}/notes", api_notes_create, 0},
	{M_GET, V1 "/cases/{}/notes", api_notes_list, 0},
	{M_PATCH, V1 "/notes/{}", api_note_patch, 0},
	{M_POST, V1 "/cases/{}/services", api_services_create, 0},
	{M_GET, V1 "/cases/{}/services", api_services_list, 0},
	{M_PATCH, V1 "/services/{}", api_service_patch, 0},
	{M_POST, V1 "/cases/{}/plans", api_plans_create, 0},
	{M_GET, V1 "/cases/{}/plans", api_plans_list, 0},
	{M_PATCH, V1 "/plans/{}", api_plan_patch, 0},
	{M_POST, V1 "/cases/{}/followups", api_followups_create, 0},
	{M_GET, V1 "/cases/{}/followups", api_followups_list, 0},
	{M_PATCH, V1 "/followups/{}", api_followup_patch, 0},
	{M_GET, V1 "/followups", api_followups_due, 0},
	{M_POST, V1 "/cases/{}/transfer", api_case_transfer, 0},
	{M_GET, V1 "/cases/{}/access-log", api_case_access_log, 0},

	{M_POST, V1 "/referrals", api_referrals_create, 0},
	{M_GET, V1 "/referrals", api_referrals_list, 0},
	{M_GET, V1 "/referrals/stats", api_referrals_stats, 0},
	{M_GET, V1 "/referrals/decisions-due", api_referrals_decisions_due, 0},
	{M_GET, V1 "/referrals/{}", api_referral_get, 0},
	{M_POST, V1 "/referrals/{}/accept", api_referral_accept, 0},
	{M_POST, V1 "/referrals/{}/decline", api_referral_decline, 0},
	{M_POST, V1 "/referrals/{}/complete", api_referral_complete, 0},
	{M_POST, V1 "/referrals/{}/withdraw", api_referral_withdraw, 0},

	{M_GET, V1 "/directory/services", api_dir_services_list, 0},
	{M_POST, V1 "/directory/services", api_dir_services_create, 0},
	{M_GET, V1 "/directory/services/{}", api_dir_service_get, 0},
	{M_PATCH, V1 "/directory/services/{}", api_dir_service_patch, 0},
	{M_POST, V1 "/directory/services/{}/locations", api_dir_locations_create, 0},
	{M_POST, V1 "/directory/services/{}/transfer", api_dir_service_transfer, 0},
	{M_POST, V1 "/directory/services/{}/transfer/accept", api_dir_service_transfer_accept, 0},
	{M_POST, V1 "/directory/services/{}/transfer/cancel", api_dir_service_transfer_cancel, 0},
	{M_GET, V1 "/directory/export", api_dir_export, 0},
	{M_POST, V1 "/directory/import", api_dir_import, 0},

	{M_POST, V1 "/contacts", api_contacts_create, 0},
	{M_GET, V1 "/contacts", api_contacts_list, 0},
	{M_GET, V1 "/contacts/stats", api_contacts_stats, 0},
	{M_GET, V1 "/contacts/{}", api_contact_get, 0},
	{M_PATCH, V1 "/contacts/{}", api_contact_patch, 0},
	{M_POST, V1 "/contacts/{}/attach", api_contact_attach, 0},
	{M_POST, V1 "/caller-flags", api_caller_flags_create, 0},
	{M_GET, V1 "/caller-flags", api_caller_flags_list, 0},
	{M_POST, V1 "/callbacks", api_callbacks_create, 0},
	{M_GET, V1 "/callbacks", api_callbacks_list, 0},
	{M_GET, V1 "/callbacks/{}", api_callback_get, 0},
	{M_PATCH, V1 "/callbacks/{}", api_callback_patch, 0},
	/* The public callback form: no login, no session, so no CSRF token. */
	{M_POST, V1 "/public/callback-requests", api_public_callback_request,
	 ROUTE_PUBLIC | ROUTE_NO_CSRF},
	{M_GET, V1 "/public/form-token", api_public_form_token_get, ROUTE_PUBLIC},

	{M_GET, V1 "/kb", api_kb_list, 0},
	{M_POST, V1 "/kb", api_kb_create, 0},
	{M_GET, V1 "/kb/gaps", api_kb_gaps, 0},
	{M_GET, V1 "/kb/{}", api_kb_get, 0},
	{M_PATCH, V1 "/kb/{}", api_kb_patch, 0},
	{M_GET, V1 "/kb/{}/history", api_kb_history, 0},

	/* Public pages, no login (public.c); /public/style.css is a web file. */
	{M_GET, "/public", api_public_home, ROUTE_PUBLIC},
	{M_GET, "/public/", api_public_home, ROUTE_PUBLIC},
	{M_GET, "/public/kb", api_public_kb, ROUTE_PUBLIC},
	{M_GET, "/public/kb/{}", api_public_kb_article, ROUTE_PUBLIC},
	{M_GET, "/public/callback", api_public_callback, ROUTE_PUBLIC},

	{M_GET, V1 "/orgs", api_orgs_list, 0},
	{M_GET, V1 "/roles", api_roles_list, 0},
	{M_PUT, V1 "/roles/{}", api_role_set, 0},
	{M_GET, V1 "/tokens", api_tokens_list, 0},
	{M_POST, V1 "/tokens", api_tokens_create, 0},
	{M_POST, V1 "/tokens/{}/revoke", api_token_revoke, 0},
	{M_GET, V1 "/audit", api_audit_list, 0},
	{M_GET, V1 "/exports/htcds.csv", api_export_htcds, 0},
	{M_GET, V1 "/exports/htcds.xlsx", api_export_htcds_xlsx, 0},
	{M_GET, V1 "/exports/ctdc.csv", api_export_ctdc, 0},
	{M_GET, V1 "/exports/cases.xlsx", api_export_cases_xlsx, 0},
	{M_GET, V1 "/schema", api_schema, 0},

	{M_GET, V1 "/reports/summary", api_reports_summary, 0},
	{M_GET, V1 "/reports/indicators", api_reports_indicators, 0},
	{M_POST, V1 "/trainings", api_trainings_create, 0},
	{M_GET, V1 "/trainings", api_trainings_list, 0},
	{M_GET, V1 "/trainings/{}", api_training_get, 0},
	{M_PATCH, V1 "/trainings/{}", api_training_patch, 0},
	{M_POST, V1 "/trainings/{}/participants", api_participants_create, 0},
	{M_GET, V1 "/trainings/{}/participants", api_participants_list, 0},
	{M_GET, V1 "/openapi.json", api_openapi, 0},
};

const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
