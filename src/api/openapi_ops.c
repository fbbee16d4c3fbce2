/*
 * openapi_ops.c - what the OpenAPI document (api/openapi.c) says of each
 * route: one entry per method and pattern of api_routes[] under /api/
 * (operationId, summary, tag, body and answer schemas, query parameters,
 * what may go wrong), the declared records it describes, and the shapes
 * that no field table declares.
 *
 * JSON in these tables is written with ' for " (openapi.c swaps them
 * back), so an apostrophe cannot appear in a description here.
 */
#include "api/api.h"
#include "api/openapi.h"
#include "fields.h"

#define V1 "/api/v1"
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define REF(name) "{'$ref':'#/components/schemas/" name "'}"
#define STR "{'type':'string'}"
#define STR_NULL "{'type':['string','null']}"
#define INT "{'type':'integer'}"
#define BOOL "{'type':'boolean'}"
#define TEXT(n) "{'type':'string','minLength':1,'maxLength':" #n "}"
#define DATE "{'type':'string','format':'date'}"
#define RO_ID "{'allOf':[" REF("Id") "],'readOnly':true}"

/* ---- declared records ------------------------------------------------------ */

#define ENV_TIMES "'created_at':" REF("Timestamp") ",'updated_at':" REF("Timestamp")
#define ENV_SHARED \
	"'shared_view':{'const':true,'readOnly':true,'description':'reached through an " \
	"accepted referral: only the fields it shares'}," \
	"'referral_id':{'type':'string','readOnly':true}"
#define ENV_ORG \
	"'org':{'type':'string','readOnly':true,'description':'the code of the organisation " \
	"that recorded it (a recipient of the case, on the owner\\'s page)'}," \
	"'read_only':{'const':true,'readOnly':true,'description':'another organisation\\'s " \
	"record: only it changes it'}"
#define ENV_ITEM(kind) \
	"{'properties':{'id':" RO_ID ",'version':" REF("Version") \
	",'kind':{'const':'" kind "','readOnly':true},'case_id':" REF("Id") \
	",'person_id':" REF("Id") ",'at':" REF("Timestamp") ",'created_by':" REF("Id") \
	"," ENV_ORG "," ENV_TIMES "},'required':['id','version','kind']}"

const struct openapi_record openapi_records[] = {
	{.rs = &person_schema, .name = "Person",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version") "," ENV_TIMES ","
		     ENV_SHARED ",'merged_into':{'allOf':[" REF("Id") "],'readOnly':true,"
		     "'description':'merged into this person (duplicates): read that one'}},"
		     "'required':['id','version']}",
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &person_schema, .name = "PersonShared",
	 .envelope = "{'properties':{'id':" RO_ID "},'required':['id']}"},
	{.rs = &case_schema, .name = "Case",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version") "," ENV_TIMES ","
		     ENV_SHARED ",'person':" REF("PersonShared") "},'required':['id','version']}",
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &note_schema, .name = "Note", .envelope = ENV_ITEM("note"),
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &decision_schema, .name = "StatusDecision", .envelope = ENV_ITEM("status_decision"),
	 .bodies = REC_CREATE},
	{.rs = &service_schema, .name = "Service", .envelope = ENV_ITEM("service"),
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &plan_schema, .name = "Plan", .envelope = ENV_ITEM("plan"),
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &followup_schema, .name = "Followup", .envelope = ENV_ITEM("followup"),
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &best_interests_schema, .name = "BestInterests", .envelope = ENV_ITEM("best_interests"),
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &consent_schema, .name = "Consent",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version") ",'person_id':"
		     REF("Id") ",'state':{'enum':['active','future','expired','withdrawn'],"
		     "'readOnly':true},'created_by':" REF("Id") "," ENV_ORG "," ENV_TIMES "},"
		     "'required':['id','version','person_id','state']}",
	 .bodies = REC_CREATE},
	/* The directory answers in HSDS shape (DirectoryService below); these
	 * are its bodies. */
	{.rs = &directory_service_schema, .name = "DirectoryService",
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &directory_location_schema, .name = "DirectoryLocation", .bodies = REC_CREATE},
	/* The hotline (schema/contact.c). */
	{.rs = &contact_schema, .name = "Contact",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version") "," ENV_TIMES
		     ",'callback':" REF("Callback") "},'required':['id','version','channel',"
		     "'call_type']}",
	 .bodies = REC_CREATE | REC_PATCH,
	 .extra = "{'properties':{'callback':" REF("CallbackBookingCreate") "}}"},
	{.rs = &callback_schema, .name = "CallbackBooking", .bodies = REC_CREATE,
	 .only = "due,safe_note,language,assigned_to"},
	{.rs = &callback_schema, .name = "Callback", .bodies = REC_CREATE,
	 .only = "phone,contact_id,due,safe_note,language,assigned_to"},
	{.rs = &callback_schema, .name = "Callback", .bodies = REC_PATCH,
	 .only = "assigned_to,outcome,done,due"},
	{.rs = &caller_flag_schema, .name = "CallerFlag", .bodies = REC_CREATE},
	/* Capacity building (schema/training.c). */
	{.rs = &training_schema, .name = "Training",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version") ",'organiser':"
		     REF("Org") ",'participants':{'type':'integer','minimum':0,'readOnly':true},"
		     "'kind':" REF("Code.training_kind") ",'country':{'type':'string','pattern':'^[A-Z]{2}$'},"
		     "'host':" STR ",'purpose':" STR_NULL ","
		     ENV_TIMES "},'required':['id','version','topic','start','end','place',"
		     "'organiser_org','kind']}",
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &participant_schema, .name = "Participant", .bodies = REC_CREATE},
	/* A study visit: a training of its own kind (schema/training.c). */
	{.rs = &study_visit_schema, .name = "StudyVisit", .bodies = REC_CREATE},
	/* The knowledge library (schema/library.c): a product, its versions. */
	{.rs = &library_schema, .name = "LibraryProduct",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':{'type':'integer','minimum':0,"
		     "'readOnly':true,'description':'the current version (0: no file yet)'},"
		     "'org':{'type':'string','readOnly':true},'withdrawn':{'type':'boolean'},"
		     "'withdrawn_at':{'type':['string','null']},'current':{'anyOf':["
		     REF("LibraryVersion") ",{'type':'null'}]},'versions':{'type':'array',"
		     "'items':" REF("LibraryVersion") "}," ENV_TIMES "},"
		     "'required':['id','version','kind','audience','languages','current']}",
	 .bodies = REC_CREATE},
	/* The criminal-justice track and protection (schema/justice.c).  Who
	 * may not read a perpetrator or proceeding gets {id, kind, case_id,
	 * restricted} only. */
	{.rs = &perpetrator_schema, .name = "Perpetrator",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version")
		     ",'kind':{'const':'perpetrator','readOnly':true},'case_id':" REF("Id")
		     ",'cases':{'type':'array','items':" REF("Id") ",'readOnly':true},"
		     "'restricted':{'const':true,'readOnly':true},'created_by':" REF("Id") ","
		     ENV_TIMES "},'required':['id','kind']}",
	 .bodies = REC_CREATE | REC_PATCH,
	 .extra = "{'properties':{'perpetrator_id':{'allOf':[" REF("Id") "],'description':"
		  "'alone: link a perpetrator of the organisation to this case instead'}}}"},
	{.rs = &proceeding_schema, .name = "Proceeding",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version")
		     ",'kind':{'const':'proceeding','readOnly':true},'case_id':" REF("Id")
		     ",'stage':{'enum':['reported','investigation','court','conviction',"
		     "'acquittal'],'readOnly':true},'restricted':{'const':true,'readOnly':true},"
		     "'created_by':" REF("Id") "," ENV_ORG "," ENV_TIMES "},'required':['id','kind']}",
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &risk_schema, .name = "RiskAssessment", .envelope = ENV_ITEM("risk"),
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &safety_schema, .name = "SafetyPlan", .envelope = ENV_ITEM("safety"),
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &stay_schema, .name = "Stay",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version")
		     ",'kind':{'const':'stay','readOnly':true},'service_id':{'type':'string'},"
		     "'person_id':" REF("Id") ",'status':{'enum':['open','discharged'],"
		     "'readOnly':true},'created_by':" REF("Id") "," ENV_TIMES "},"
		     "'required':['id','version','kind','service_id','status']}",
	 .bodies = REC_CREATE},
	{.rs = &discharge_schema, .name = "Discharge", .bodies = REC_CREATE},
	/* Prevention, items of a person (schema/prevention.c). */
	{.rs = &prevention_service_schema, .name = "PreventionService",
	 .envelope = ENV_ITEM("prevention_service"), .bodies = REC_CREATE | REC_PATCH},
	{.rs = &household_schema, .name = "Household", .envelope = ENV_ITEM("household"),
	 .bodies = REC_CREATE | REC_PATCH},
	{.rs = &orientation_schema, .name = "Orientation",
	 .envelope = "{'properties':{'id':" RO_ID ",'version':" REF("Version") ",'created_by':"
		     REF("Id") ",'created_at':" REF("Timestamp") "},'required':['id','version',"
		     "'date','place','women','men']}",
	 .bodies = REC_CREATE},
	/* The national Action Plan (schema/plan.c). */
	{.rs = &plan_activity_schema, .name = "PlanActivity",
	 .envelope = "{'properties':{'id':" RO_ID ",'own':{'type':'boolean','readOnly':true,"
		     "'description':'the caller\\'s organisation is responsible'},'reports':{'type':"
		     "'integer','minimum':0,'readOnly':true},'status':{'enum':['done','on_track',"
		     "'late','not_started'],'readOnly':true},'last_report':" REF("PlanReport") "},"
		     "'required':['id','number','status']}",
	 .bodies = REC_CREATE},
	{.rs = &plan_report_schema, .name = "PlanReport",
	 .envelope = "{'properties':{'id':" RO_ID ",'activity_id':" REF("Id") ",'created_at':"
		     REF("Timestamp") "}}",
	 .bodies = REC_CREATE},
	{.rs = &assessment_schema, .name = "VulnerabilityAssessment",
	 .envelope = ENV_ITEM("domv_assessment"), .bodies = REC_CREATE | REC_PATCH},
	{.rs = &callback_request_schema, .name = "CallbackRequest", .bodies = REC_CREATE,
	 .extra = "{'properties':{'token':{'type':'string','description':'from GET "
		  "/api/v1/public/form-token'},'website':{'type':'string','maxLength':0,"
		  "'description':'left empty (a field people do not see)'}}}"},
};
const size_t openapi_records_count = COUNT(openapi_records);

/* ---- shapes no field table declares ---------------------------------------- */

#define ORG "{'type':'object','required':['name','type'],'additionalProperties':false," \
	"'properties':{'id':" STR ",'code':" STR ",'name':" STR ",'type':" REF("Code.org_type") \
	",'sector':{'anyOf':[" REF("Code.sector") ",{'type':'null'}]},'managed':{'type':'boolean'," \
	"'description':'this administrator may edit its contact: the own organisation, or any for " \
	"an administrator of the installation\\'s own organisation'},'settles':{'type':'boolean'," \
	"'description':'this administrator may set its name, type and sector, and add " \
	"organisations: an administrator of the installation\\'s own organisation (the first)'}," \
	"'contact_phone':" STR_NULL ",'contact_email':" STR_NULL "," \
	"'authority':{'type':'boolean','description':'the organisation of the signed-in user is an " \
	"authority (src/domain/policy.h): its focal points are entry points of the NRM and " \
	"record official identification decisions'}}}"
#define ACCOUNT_PROPS \
	"'id':" STR ",'login':" STR ",'role':" REF("Code.roles") ",'disabled':" BOOL \
	",'totp_enabled':" BOOL ",'locked':{'type':'boolean','description':'locked now by failed " \
	"sign-ins'},'must_change_password':" BOOL ",'created':" REF("Timestamp")
#define ACCOUNT_REQUIRED \
	"'id','login','role','disabled','totp_enabled','locked','must_change_password','created'"
#define LOGIN_RULE "{'type':'string','pattern':'^[A-Za-z0-9._@-]{2,64}$'}"
#define TOKEN_REQUIRED "'id','login','label','created','expires','last_used','revoked','expired'"
#define TOKEN_PROPS \
	"'id':{'type':'string','pattern':'^[a-z0-9]{26}$'},'login':" STR ",'label':" STR \
	",'created':" REF("Timestamp") ",'expires':" REF("Timestamp") ",'last_used':{'type':" \
	"['string','null'],'format':'date-time','description':'noted once a minute at most'}," \
	"'revoked':" BOOL ",'expired':" BOOL
#define URGENCY "{'enum':['low','normal','high','emergency']}"
#define LOG_ENTRY(extra) \
	"{'type':'object','additionalProperties':false,'properties':{" extra "'at':" STR_NULL \
	",'user':" STR_NULL ",'org':" STR_NULL ",'action':" STR_NULL ",'record':" STR_NULL \
	",'fields':" STR_NULL "}}"

const struct openapi_shape openapi_shapes[] = {
	{"Id", "{'type':'string','pattern':'^[a-z2-7]{26}$','description':'an opaque record id'}"},
	{"Version", "{'type':'integer','minimum':1,'readOnly':true,"
		    "'description':'the record version; If-Match takes it back'}"},
	{"Timestamp", "{'type':'string','format':'date-time','readOnly':true}"},
	{"Country", "{'type':'string','pattern':'^[A-Z]{2}$','description':'ISO 3166-1 alpha-2'}"},
	{"Problem",
	 "{'type':'object','description':'RFC 9457 problem details','required':['type','title','status'],"
	 "'properties':{'type':{'type':'string','description':'a short slug: invalid-json, "
	 "unknown-field, not-found, version-conflict, ...'},'title':" STR ",'status':{'type':"
	 "'integer','minimum':400,'maximum':599},'detail':" STR ",'field':{'type':'string',"
	 "'description':'the field at fault (422): given_name, or nested callback.due'},'collection':" STR
	 ",'index':{'type':'integer','minimum':0},'candidates':{'type':'array','description':"
	 "'409 likely-duplicate: the registered persons this one may be, best first','items':{"
	 "'type':'object','required':['id','score'],'properties':{'id':" REF("Id") ",'score':{"
	 "'type':'number','minimum':0,'maximum':1}}}}}}"},
	{"List",
	 "{'type':'object','description':'every list: the items and the cursor of the next page',"
	 "'required':['items','next'],'properties':{'items':{'type':'array'},'next':" STR_NULL "}}"},
	{"Empty", "{'type':'object','maxProperties':0,'description':'no fields'}"},
	{"Health", "{'type':'object','required':['status'],'additionalProperties':false,"
		   "'properties':{'status':{'const':'ok'}}}"},
	{"Org", ORG},
	{"User",
	 "{'type':'object','required':['id','login','role','totp_enabled','org'],"
	 "'additionalProperties':false,'properties':{'id':" REF("Id") ",'login':" STR
	 ",'role':" REF("Code.roles") ",'totp_enabled':" BOOL ",'org':" REF("Org") "}}"},
	{"Session",
	 "{'type':'object','required':['user','csrf_token','totp_enrolment_required'],"
	 "'additionalProperties':false,'properties':{'user':" REF("User") ",'csrf_token':" STR
	 ",'totp_enrolment_required':" BOOL ",'password_change_required':" BOOL "}}"},
	{"Me",
	 "{'type':'object','required':['user'],'additionalProperties':false,'properties':{'user':"
	 REF("User") ",'csrf_token':{'type':'string','description':'with a cookie session'},"
	 "'totp_enrolment_required':" BOOL ",'password_change_required':{'type':'boolean',"
	 "'description':'a one-time password: only POST /me/password, GET /me and sign-out work'}}}"},
	{"LoginRequest",
	 "{'type':'object','required':['login','password'],'additionalProperties':false,"
	 "'properties':{'login':{'type':'string','minLength':1},'password':{'type':'string',"
	 "'minLength':1},'totp':{'type':'string','description':'the second factor, when the role "
	 "requires one'}}}"},
	{"TotpBegin", "{'type':'object','required':['secret','otpauth_uri'],"
		      "'additionalProperties':false,'properties':{'secret':" STR ",'otpauth_uri':"
		      STR "}}"},
	{"TotpConfirm", "{'type':'object','required':['code'],'additionalProperties':false,"
			"'properties':{'code':{'type':'string','minLength':1}}}"},
	{"CaseClose",
	 "{'type':'object','required':['reason'],'additionalProperties':false,'properties':{"
	 "'reason':" REF("Code.case_closure_reason") ",'status':{'enum':['Closed',"
	 "'ClosedReferred']}}}"},
	{"ScreeningCreate",
	 "{'type':'object','required':['instrument','answers'],'additionalProperties':false,"
	 "'properties':{'instrument':{'const':'delphi-adult-labour'},'child':" BOOL ",'answers':{"
	 "'type':'object','description':'indicator code: answer (GET /api/v1/schema, indicators)',"
	 "'additionalProperties':{'enum':['yes','no','unknown','declined']}}}}"},
	{"Screening",
	 "{'type':'object','required':['id','version','kind','case_id'],'additionalProperties':"
	 "false,'properties':{'id':" REF("Id") ",'version':" REF("Version") ",'kind':{'const':"
	 "'screening'},'case_id':" REF("Id") ",'instrument':" STR ",'child':" BOOL ",'answers':{"
	 "'type':'object','additionalProperties':{'enum':['yes','no','unknown','declined']}},"
	 "'child_reason':{'type':'object','required':['basis'],'additionalProperties':false,"
	 "'description':'why child is what it is: the age at recruitment (else at the start of "
	 "the exploitation, else at the screening) from the birth date or the estimated age; "
	 "stated by the screener, or unknown, when no age is known','properties':{'basis':{"
	 "'enum':['birth_date','estimated_age','stated','unknown']},'age':{'type':'integer'},"
	 "'at':{'enum':['recruitment','exploitation_start','screening']},'on':" DATE "}},"
	 "'because':{'type':'object','description':'per positive dimension, the items answered "
	 "yes','additionalProperties':{'type':'array','items':" STR "}},"
	 "'dimensions':{'type':'object','additionalProperties':" BOOL "},'suggestion':{'enum':"
	 "['trafficking','exploitation','none'],'description':'a suggestion: it never sets the "
	 "official status'},'at':" REF("Timestamp") ",'created_by':" REF("Id") "," ENV_ORG
	 ",'created_at':" REF("Timestamp") "}}"},
	{"TimelineEvent",
	 "{'type':'object','required':['id','kind','type','at','data'],'additionalProperties':"
	 "false,'properties':{'id':" REF("Id") ",'kind':" STR ",'type':" STR ",'at':"
	 REF("Timestamp") ",'created_by':" STR_NULL ",'org':" STR_NULL ",'data':{'type':"
	 "'object'}}}"},
	{"AccessLogEntry", LOG_ENTRY("")},
	{"AuditEntry", LOG_ENTRY("'seq':" INT ",'addr':" STR_NULL ",")},
	{"ReferralCreate",
	 "{'type':'object','required':['case_id','to_org','share'],'additionalProperties':false,"
	 "'properties':{'case_id':" REF("Id") ",'to_org':{'type':'string','description':'an "
	 "organisation code (GET /api/v1/orgs)'},'service_type':" REF("Code.assistance_service_types")
	 ",'service_id':{'type':'string','description':'a directory service of to_org'},"
	 "'reason':" TEXT(5000) ",'urgency':" URGENCY ",'due':" DATE ",'share':{'type':'array',"
	 "'minItems':1,'maxItems':64,'items':" REF("ShareableField") "}}}"},
	{"TransferCreate",
	 "{'type':'object','required':['to_org'],'description':'every case and person field is "
	 "shared with the organisation that takes the case over','properties':{'to_org':{'type':"
	 "'string','description':'an organisation code'},'reason':" TEXT(5000) ",'urgency':"
	 URGENCY ",'due':" DATE "}}"},
	{"Referral",
	 "{'type':'object','required':['id','version','kind','case_id','status','urgency',"
	 "'from_org','to_org','share','created_at','updated_at'],'additionalProperties':false,"
	 "'properties':{'id':" REF("Id") ",'version':" REF("Version") ",'kind':{'enum':["
	 "'referral','transfer']},'case_id':" REF("Id") ",'status':" REF("Code.referral_status")
	 ",'urgency':" URGENCY ",'due':" DATE ",'from_org':" REF("Org") ",'to_org':" REF("Org")
	 ",'share':{'type':['array','null'],'items':" REF("ShareableField") "},'person':{'type':"
	 "'object','description':'who it is about, as far as the caller may read it: the names "
	 "for the sender; for the recipient the shared names once accepted, else the initials if "
	 "shared','additionalProperties':false,'properties':{'given_name':" STR ",'family_name':"
	 STR ",'initials':" STR "}},'sender':{'type':'object','description':'whom to ask at the "
	 "sender (login: the user who sent it, while its organisation is the sender)',"
	 "'additionalProperties':false,'properties':{'login':" STR ",'phone':" STR
	 ",'email':" STR "}},'handed_over':{'const':true,'description':'to its sender only: "
	 "sent by the case\\'s former owner and handed over with the case by a transfer; it "
	 "still discloses to its recipient what is recorded now: review it, withdraw it if it "
	 "should not go on'},'service_type':"
	 REF("Code.assistance_service_types") ",'service_id':" STR ",'reason':" STR
	 ",'feedback':" STR ",'decline_reason':" STR ",'withdraw_reason':" STR ",'created_at':"
	 REF("Timestamp") ",'updated_at':" REF("Timestamp") ",'responded_at':" REF("Timestamp")
	 ",'warnings':{'type':'array','description':'in the answer to a new referral only: "
	 "what the sender should know, not a refusal (the receiving organisation decides), e.g. "
	 "eligibility-mismatch: the service does not take the person by its genders_served, "
	 "minimum_age or maximum_age (field)','items':{'type':'object','required':['type','field',"
	 "'detail'],'additionalProperties':false,'properties':{'type':{'enum':["
	 "'eligibility-mismatch']},'field':{'enum':['genders_served','minimum_age','maximum_age']},"
	 "'detail':" STR "}}}}}"},
	{"ConsentCheck",
	 "{'type':'object','description':'whether a current consent of the person of the case covers a "
	 "referral to to_org','required':['to_org','covered','consent','purposes','person_id'],"
	 "'additionalProperties':false,'properties':{'to_org':" REF("Org") ",'covered':" BOOL
	 ",'consent':{'type':['object','null'],'additionalProperties':false,'properties':{'id':"
	 REF("Id") ",'purpose':" REF("Code.consent_purpose") ",'recipient_org':" STR
	 ",'recipient_type':" REF("Code.org_type") ",'method':" STR ",'given_on':" DATE
	 ",'expires':" DATE "}},'purposes':{'type':'array','items':" REF("Code.consent_purpose")
	 "},'person_id':" REF("Id") "}}"},
	{"SharePreset",
	 "{'type':'object','required':['purpose','service_types','fields'],"
	 "'additionalProperties':false,'properties':{'purpose':{'enum':['shelter','legal_aid',"
	 "'police_investigation','medical']},'service_types':{'type':'array','items':"
	 REF("Code.assistance_service_types") "},'fields':{'type':'array','items':"
	 REF("ShareableField") "}}}"},
	{"ReferralDecline", "{'type':'object','required':['reason'],'additionalProperties':false,"
			    "'properties':{'reason':" TEXT(5000) "}}"},
	{"DirectoryTransfer", "{'type':'object','required':['to_org'],'additionalProperties':false,"
			      "'properties':{'to_org':" TEXT(64) "}}"},
	{"ReferralComplete", "{'type':'object','additionalProperties':false,'properties':{"
			     "'feedback':" TEXT(5000) "}}"},
	{"ReferralWithdraw", "{'type':'object','additionalProperties':false,'properties':{"
			     "'reason':" TEXT(5000) "}}"},
	{"ReferralStats",
	 "{'type':'object','required':['box','total','by_status','accepted','completed',"
	 "'median_days_to_response'],'additionalProperties':false,'properties':{'box':{'enum':["
	 "'in','out']},'total':" INT ",'by_status':{'type':'object','additionalProperties':" INT
	 "},'accepted':" INT ",'completed':" INT ",'median_days_to_response':{'type':['number',"
	 "'null']}}}"},
	{"DirectoryLocation",
	 "{'type':'object','description':'an HSDS location; a confidential one reads as redacted "
	 "outside the organisation that runs it','required':['id','version','organization_id',"
	 "'location_type'],'additionalProperties':false,'properties':{'id':" STR ",'version':"
	 REF("Version") ",'service_id':" STR ",'organization_id':" STR ",'location_type':"
	 REF("Code.hsds_location_type") ",'name':" STR ",'region':" REF("Code.tj_regions_iso3166_2")
	 ",'city':" STR ",'confidential':" BOOL ",'address':" STR ",'addresses':{'type':'array',"
	 "'items':{'type':'object','additionalProperties':false,'properties':{'address_1':" STR
	 ",'city':" STR ",'state_province':" STR ",'country':" STR ",'address_type':{'enum':["
	 "'physical','postal']}}}}}}"},
	{"DirectoryService",
	 "{'type':'object','description':'an Open Referral HSDS 3 service','required':['id',"
	 "'version','status','service_type','organization_id','organization','languages',"
	 "'regions_served','service_areas','capacity','schedules','phones'],"
	 "'additionalProperties':false,'properties':{'id':" STR ",'version':" REF("Version")
	 ",'name':" STR ",'description':" STR ",'status':" REF("Code.hsds_service_status")
	 ",'service_type':" REF("Code.assistance_service_types") ",'organization_id':" STR
	 ",'transfer_to':{'type':'string','description':'the organisation a transfer of the "
	 "service is offered to, until its organisation accepts (shown to that organisation "
	 "and to administrators)'}"
	 ",'organization':" REF("Org") ",'eligibility_description':" STR ",'url':" STR ",'email':"
	 STR ",'languages':{'type':'array','items':{'type':'object','properties':{'code':"
	 REF("Code.languages") ",'name':" STR_NULL "}}},'regions_served':{'type':'array','items':"
	 REF("Code.tj_regions_iso3166_2") "},'service_areas':{'type':'array','items':{'type':"
	 "'object','properties':{'name':" STR_NULL ",'extent':" STR ",'extent_type':" STR "}}},"
	 "'capacity':{'type':['object','null'],'properties':{'available':{'type':['integer',"
	 "'null']},'maximum':{'type':['integer','null']},'occupied':{'type':'integer','minimum':0,"
	 "'description':'a shelter: its open stays; available is maximum less them'},"
	 "'unit':{'enum':['beds','places']}}},"
	 "'hours':" STR ",'schedules':{'type':'array','items':{'type':'object','properties':{"
	 "'description':" STR "}}},'phones':{'type':'array','items':{'type':'object',"
	 "'properties':{'number':" STR "}}},'locations':{'type':'array','items':"
	 REF("DirectoryLocation") "},'created_at':" REF("Timestamp") ",'updated_at':"
	 REF("Timestamp") ",'last_modified':" REF("Timestamp") "}}"},
	{"DirectoryServiceList",
	 "{'allOf':[" REF("List") ",{'type':'object','description':'the list envelope and HSDS "
	 "paging at once; next is the number of the next page','properties':{'items':{'type':"
	 "'array','items':" REF("DirectoryService") "},'contents':{'type':'array','items':"
	 REF("DirectoryService") "},'total_items':" INT ",'total_pages':" INT ",'page_number':"
	 INT ",'size':" INT ",'per_page':" INT ",'first_page':" BOOL ",'last_page':" BOOL
	 ",'empty':" BOOL "}}]}"},
	{"DirectoryDocument",
	 "{'type':'object','description':'an HSDS-JSON document','additionalProperties':false,"
	 "'properties':{'organizations':{'type':'array','maxItems':5000,'items':{'type':'object'}},"
	 "'services':{'type':'array','maxItems':5000,'items':{'type':'object'}},'locations':{"
	 "'type':'array','maxItems':5000,'items':{'type':'object'}},'service_at_locations':{"
	 "'type':'array','maxItems':5000,'items':{'type':'object'}}}}"},
	{"DirectoryExport",
	 "{'type':'object','required':['organizations','services','locations',"
	 "'service_at_locations'],'additionalProperties':false,'properties':{'organizations':{"
	 "'type':'array','items':" ORG "},'services':{'type':'array','items':"
	 REF("DirectoryService") "},'locations':{'type':'array','items':" REF("DirectoryLocation")
	 "},'service_at_locations':{'type':'array','items':{'type':'object','properties':{'id':"
	 STR ",'service_id':" STR ",'location_id':" STR "}}}}}"},
	{"DirectoryImportResult",
	 "{'type':'object','additionalProperties':false,'properties':{'organizations_created':" INT
	 ",'services_created':" INT ",'services_updated':" INT ",'locations_created':" INT
	 ",'locations_updated':" INT ",'locations_kept':" INT "}}"},
	{"Account",
	 "{'type':'object','description':'a user of the own organisation','required':["
	 ACCOUNT_REQUIRED "],'additionalProperties':false,'properties':{" ACCOUNT_PROPS "}}"},
	{"AccountWithPassword",
	 "{'type':'object','description':'a user with a new one-time password','required':["
	 ACCOUNT_REQUIRED ",'password'],'additionalProperties':false,'properties':{" ACCOUNT_PROPS
	 ",'password':{'type':'string','description':'the one-time password, shown only in this "
	 "answer; the user must change it at the first sign-in'}}}"},
	{"AccountCreate",
	 "{'type':'object','required':['login','role'],'additionalProperties':false,'properties':{"
	 "'login':" LOGIN_RULE ",'role':" REF("Code.roles") "}}"},
	{"AccountRole",
	 "{'type':'object','required':['role'],'additionalProperties':false,'properties':{"
	 "'role':" REF("Code.roles") "}}"},
	{"PasswordChange",
	 "{'type':'object','required':['current','new'],'additionalProperties':false,'properties':{"
	 "'current':{'type':'string','minLength':1},'new':{'type':'string','minLength':12,"
	 "'description':'at least 12 characters, not a common password, not the current one'}}}"},
	{"OrgCreate",
	 "{'type':'object','required':['code','name','type','sector'],'additionalProperties':false,"
	 "'properties':{'code':" LOGIN_RULE ",'name':" TEXT(200) ",'type':" REF("Code.org_type")
	 ",'sector':" REF("Code.sector") ",'admin_login':{'type':'string','pattern':"
	 "'^[A-Za-z0-9._@-]{2,64}$','description':'the login of its first administrator, made "
	 "with a one-time password'}}}"},
	{"OrgCreated",
	 "{'type':'object','required':['id','code','name','type','sector','managed'],"
	 "'properties':{'id':" STR ",'code':" STR ",'name':" STR ",'type':" REF("Code.org_type")
	 ",'sector':" REF("Code.sector") ",'managed':" BOOL ",'settles':" BOOL ",'admin':{'type':'object','required':"
	 "['id','login','password'],'additionalProperties':false,'properties':{'id':" STR
	 ",'login':" STR ",'password':{'type':'string','description':'the one-time password, "
	 "shown only in this answer'}}}}}"},
	{"OrgPatch",
	 "{'type':'object','minProperties':1,'additionalProperties':false,'properties':{'name':"
	 TEXT(200) ",'type':" REF("Code.org_type") ",'sector':" REF("Code.sector")
	 ",'contact_phone':{'type':'string','maxLength':40,'description':'the phone its referral "
	 "partners call; empty clears it'},'contact_email':{'type':'string','maxLength':200}}}"},
	{"RolePolicy", "{'type':'object','required':['role','require_totp'],"
		       "'additionalProperties':false,'properties':{'role':" REF("Code.roles")
		       ",'require_totp':" BOOL ",'settles':{'type':'boolean','description':"
		       "'the caller may change it (an administrator of the installation\\'s own "
		       "organisation: a role\\'s rule holds in every organisation)'}}}"},
	{"RoleSet", "{'type':'object','required':['require_totp'],'additionalProperties':false,"
		    "'properties':{'require_totp':" BOOL "}}"},
	{"Token",
	 "{'type':'object','description':'an API token, never its secret','required':["
	 TOKEN_REQUIRED "],'additionalProperties':false,'properties':{" TOKEN_PROPS "}}"},
	{"TokenCreated",
	 "{'type':'object','description':'a new API token with its secret','required':["
	 TOKEN_REQUIRED ",'token'],'additionalProperties':false,'properties':{" TOKEN_PROPS
	 ",'token':{'type':'string','description':'the secret, for Authorization: Bearer; shown "
	 "only in this answer'}}}"},
	{"TokenCreate",
	 "{'type':'object','required':['login'],'additionalProperties':false,'properties':{"
	 "'login':{'type':'string','minLength':1,'maxLength':128,'description':'a user of your "
	 "organisation whose role does not require a second factor'},'label':" TEXT(100)
	 ",'expires':{'type':'string','description':'YYYY-MM-DD (the start of that day, UTC) or "
	 "YYYY-MM-DDTHH:MM:SSZ; after now and within 366 days; 90 days when absent'}}}"},
	{"FieldSchemaDocument",
	 "{'type':'object','description':'every declared record, code list and screening "
	 "indicator set','required':['resources','codes','indicators'],'properties':{"
	 "'resources':{'type':'object','additionalProperties':{'type':'array','items':{'type':"
	 "'object','required':['name','type','class','required','label']}}},'codes':{'type':"
	 "'object','additionalProperties':{'type':'array'}},'indicators':{'type':'object'}}}"},
	/* The hotline. */
	{"Callback",
	 "{'type':'object','required':['id','version','due','state','source','done'],"
	 "'additionalProperties':false,'properties':{'id':" RO_ID ",'version':" REF("Version")
	 ",'due':" REF("Timestamp") ",'state':{'enum':['open','due','overdue','done']},'source':{"
	 "'enum':['operator','public']},'language':{'anyOf':[" REF("Code.languages") ",{'type':"
	 "'null'}]},'safe_note':" STR_NULL ",'preferred_time':" STR ",'message':" STR
	 ",'phone_masked':" STR_NULL ",'phone':{'type':['string','null'],'description':'only when "
	 "one callback is read'},'assigned_to':" STR_NULL ",'outcome':{'anyOf':["
	 REF("Code.callback_outcome") ",{'type':'null'}]},'contact_id':" STR_NULL ",'done':" BOOL
	 ",'done_at':{'type':['string','null'],'format':'date-time'},'created_at':"
	 REF("Timestamp") ",'updated_at':" REF("Timestamp") "}}"},
	{"CallerFlag",
	 "{'type':'object','required':['id','flag','until'],'additionalProperties':false,"
	 "'properties':{'id':" RO_ID ",'flag':" REF("Code.caller_flag") ",'until':" DATE
	 ",'note':" STR ",'created_by':" STR ",'created_at':" REF("Timestamp") "}}"},
	{"ContactList",
	 "{'allOf':[" REF("List") ",{'type':'object','description':'with ?phone=: the earlier "
	 "contacts of that number, a summary and its active flags','properties':{'items':{'type':"
	 "'array','items':" REF("Contact") "},'summary':{'type':'object','additionalProperties':"
	 "false,'properties':{'count':" INT ",'first':" STR_NULL ",'last':" STR_NULL ",'topics':{"
	 "'type':'array','items':" REF("Code.contact_topic") "},'last_action':" STR_NULL "}},"
	 "'flags':{'type':'array','items':" REF("CallerFlag") "}}}]}"},
	{"ContactStats",
	 "{'type':'object','required':['from','to','total','by_day'],'additionalProperties':false,"
	 "'properties':{'from':" DATE ",'to':" DATE ",'total':" INT ",'by_day':{'type':'array',"
	 "'items':{'type':'object','properties':{'day':" DATE ",'count':" INT "}}},'by_channel':{"
	 "'type':'object','additionalProperties':" INT "},'by_topic':{'type':'object',"
	 "'additionalProperties':" INT "},'by_call_type':{'type':'object','additionalProperties':"
	 INT "},'by_action':{'type':'object','additionalProperties':" INT "},'callbacks':{'type':"
	 "'object','properties':{'due':" INT ",'overdue':" INT ",'open':" INT "}}}}"},
	{"ContactAttach", "{'type':'object','required':['case_id'],'additionalProperties':false,"
			  "'properties':{'case_id':" REF("Id") "}}"},
	{"FormToken",
	 "{'type':'object','required':['token'],'additionalProperties':false,'properties':{"
	 "'token':" STR ",'valid_after_seconds':" INT ",'valid_for_seconds':" INT "}}"},
	{"Received", "{'type':'object','required':['status'],'additionalProperties':false,"
		     "'properties':{'status':{'const':'received'}}}"},
	/* The knowledge base. */
	{"KbTexts",
	 "{'type':'object','description':'one text per language','required':['tg','ru','en'],"
	 "'additionalProperties':false,'properties':{'tg':" STR ",'ru':" STR ",'en':" STR "}}"},
	{"KbSource",
	 "{'type':'object','required':['title'],'additionalProperties':false,'properties':{"
	 "'title':" TEXT(500) ",'url':{'type':'string','pattern':'^https?://','maxLength':500},"
	 "'publisher':" TEXT(500) ",'published':" DATE ",'accessed':" DATE "}}"},
	{"KbArticle",
	 "{'type':'object','required':['id','version','country','topic','status','title','gaps'],"
	 "'additionalProperties':false,'properties':{'id':" RO_ID ",'version':" REF("Version")
	 ",'country':{'type':'string','description':'ISO 3166 alpha-2, empty for general'},"
	 "'topic':" REF("Code.kb_topic") ",'status':" REF("Code.kb_status") ",'reviewed_on':{"
	 "'type':['string','null'],'format':'date'},'title':" REF("KbTexts") ",'body':"
	 REF("KbTexts") ",'sources':{'type':'array','items':" REF("KbSource") "},'gaps':{'type':"
	 "'integer','minimum':0,'description':'[[to-be-confirmed]] markers in the bodies'},"
	 "'created_at':" REF("Timestamp") ",'updated_at':" REF("Timestamp") ",'lang':{'enum':["
	 "'tg','ru','en']},'excerpt':" STR "}}"},
	{"KbArticleCreate",
	 "{'type':'object','required':['topic','title','body'],'additionalProperties':false,"
	 "'properties':{'country':{'anyOf':[" REF("Code.countries") ",{'const':''}]},'topic':"
	 REF("Code.kb_topic") ",'status':" REF("Code.kb_status") ",'reviewed_on':" DATE
	 ",'title':" REF("KbTexts") ",'body':" REF("KbTexts") ",'sources':{'type':'array',"
	 "'maxItems':30,'items':" REF("KbSource") "}}}"},
	{"KbArticlePatch",
	 "{'type':'object','minProperties':1,'additionalProperties':false,'properties':{"
	 "'country':{'anyOf':[" REF("Code.countries") ",{'const':''}]},'topic':"
	 REF("Code.kb_topic") ",'status':" REF("Code.kb_status") ",'reviewed_on':{'type':["
	 "'string','null'],'format':'date'},'title':{'type':'object','additionalProperties':false,"
	 "'properties':{'tg':" STR ",'ru':" STR ",'en':" STR "}},'body':{'type':'object',"
	 "'additionalProperties':false,'properties':{'tg':" STR ",'ru':" STR ",'en':" STR "}},"
	 "'sources':{'type':'array','maxItems':30,'items':" REF("KbSource") "}}}"},
	{"KbVersion",
	 "{'type':'object','required':['version','at','action','fields','article'],"
	 "'additionalProperties':false,'properties':{'version':" INT ",'at':" REF("Timestamp")
	 ",'by':" STR_NULL ",'by_login':" STR_NULL ",'action':" STR ",'fields':{'type':'array',"
	 "'items':" STR "},'article':" REF("KbArticle") "}}"},
	{"LibraryVersion",
	 "{'type':'object','required':['n','file_name','content_type','size','sha256','uploaded_at'],"
	 "'additionalProperties':false,'properties':{'n':{'type':'integer','minimum':1},"
	 "'file_name':" STR ",'content_type':" STR ",'size':{'type':'integer','minimum':1},"
	 "'sha256':{'type':'string','pattern':'^[0-9a-f]{64}$'},'note':" STR_NULL ",'uploaded_by':"
	 STR_NULL ",'uploaded_at':" REF("Timestamp") "}}"},
	{"KbGap",
	 "{'type':'object','required':['article_id','lang','missing'],'additionalProperties':false,"
	 "'properties':{'article_id':" STR ",'version':" INT ",'country':" STR ",'topic':"
	 REF("Code.kb_topic") ",'status':" REF("Code.kb_status") ",'title':" STR ",'lang':{'enum':"
	 "['tg','ru','en']},'missing':" STR "}}"},
	/* Capacity building: participants are never named. */
	{"Participant",
	 "{'type':'object','required':['id','training_id','agency_type','sex','role'],"
	 "'additionalProperties':false,'properties':{'id':" RO_ID ",'training_id':" REF("Id")
	 ",'agency_type':" REF("Code.org_type") ",'sex':" REF("Code.gender") ",'role':"
	 REF("Code.training_role") ",'sector':{'anyOf':[" REF("Code.sector") ",{'type':'null'}]},"
	 "'pre_score':{'type':['integer','null'],'minimum':0,"
	 "'maximum':100},'post_score':{'type':['integer','null'],'minimum':0,'maximum':100},"
	 "'gain':{'type':['integer','null'],'readOnly':true},'created_at':" REF("Timestamp")
	 "}}"},
	/* Reports: never a count under k: across organisations perturbed to 0
	 * or a multiple of k (cell key), in the own organisation small cells
	 * null (suppressed). */
	{"ReportTable",
	 "{'type':'object','required':['by','rows','total','suppressed'],'additionalProperties':"
	 "false,'properties':{'by':{'type':'array','items':" STR "},'rows':{'type':'array',"
	 "'items':" REF("ReportCell") "},'margins':{'type':'object','description':'per dimension "
	 "(with two or more)','additionalProperties':{'type':'array','items':" REF("ReportCell")
	 "}},'total':{'type':['integer','null']},'suppressed':{'type':'integer','minimum':0}}}"},
	{"ReportCell",
	 "{'type':'object','required':['count'],'description':'the values of the dimensions and "
	 "the count, null where suppressed','properties':{'count':{'type':['integer','null'],"
	 "'minimum':0}},'additionalProperties':{'type':['string','null'],'description':'a value "
	 "of the dimension; null where it is not recorded'}}"},
	{"SummaryReport",
	 "{'type':'object','required':['k','from','to','scope','by','rows','total','suppressed'],"
	 "'additionalProperties':false,'properties':{'k':{'type':'integer','minimum':2},'from':"
	 DATE ",'to':" DATE ",'scope':{'enum':['all','own']},'protection':{'enum':['cell-key',"
	 "'suppression'],'description':'cell-key: every count across organisations perturbed to 0 or "
	 "a multiple of k (README: reports); suppression: the own organisation, exact, small cells "
	 "null'},'by':{'type':'array','items':" STR
	 "},'rows':{'type':'array','items':" REF("ReportCell") "},'margins':{'type':'object',"
	 "'additionalProperties':{'type':'array','items':" REF("ReportCell") "}},'total':{'type':"
	 "['integer','null']},'suppressed':{'type':'integer','minimum':0},'persons':{'type':["
	 "'integer','null'],'description':'the persons of the cases opened in the period, each "
	 "once (a merged duplicate once); guarded as a figure alone'}}}"},
	{"Plan",
	 "{'type':'object','required':['plan','coordinator','today','activities'],'properties':{"
	 "'plan':" STR ",'coordinator':{'type':'string','description':'the coordinating "
	 "organisation\\'s code'},'title_tg':" STR ",'title_ru':" STR ",'title_en':" STR
	 ",'sample':{'type':'boolean','description':'placeholder activities, not official text'},"
	 "'today':" DATE ",'activities':{'type':'array','items':" REF("PlanActivity") "}}}"},
	{"PlanFile",
	 "{'type':'object','required':['plan','coordinator','activities'],'additionalProperties':"
	 "false,'properties':{'plan':{'type':'string','pattern':'^[a-z0-9._-]{1,64}$'},"
	 "'coordinator':{'type':'string','description':'an organisation\\'s code'},'title_tg':"
	 STR ",'title_ru':" STR ",'title_en':" STR ",'sample':{'type':'boolean'},'activities':"
	 "{'type':'array','minItems':1,'maxItems':500,'items':" REF("PlanActivityCreate") "}}}"},
	{"PlanLoaded",
	 "{'type':'object','required':['plan','activities'],'properties':{'plan':" STR
	 ",'activities':{'type':'integer','minimum':1}}}"},
	{"LivelihoodReport",
	 "{'type':'object','required':['k','from','to','scope','protection','completion',"
	 "'employment','business'],'additionalProperties':false,'properties':{'k':{'type':"
	 "'integer','minimum':2},'from':" DATE ",'to':" DATE ",'scope':{'enum':['all','own']},"
	 "'protection':{'enum':['cell-key','suppression']},'completion':" REF("ReportTable")
	 ",'employment':" REF("ReportTable") ",'business':" REF("ReportTable") "}}"},
	{"IndicatorReport",
	 "{'type':'object','required':['k','from','to','scope','identified','assisted',"
	 "'referrals','hotline','reintegration','trainings'],'properties':{'k':{'type':'integer',"
	 "'minimum':2},'from':" DATE ",'to':" DATE ",'scope':{'enum':['all','own']},'protection':"
	 "{'enum':['cell-key','suppression']},'identified':"
	 REF("ReportTable") ",'identified_by_status':" REF("ReportTable")
	 ",'identified_exploitation':" REF("ReportTable") ",'assisted':"
	 REF("ReportTable") ",'referrals':" REF("ReportTable") ",'hotline':" REF("ReportTable")
	 ",'criminal_justice':" REF("ReportTable")
	 ",'reintegration':{'type':'object','properties':{'closed':{'type':['integer','null']},"
	 "'with_followup':{'type':['integer','null']},'share':{'type':['number','null']}}},"
	 "'followups_overdue':{'type':['integer','null']},'trainings':{'type':'object',"
	 "'properties':{'events':" INT ",'study_visits':{'type':['integer','null']},"
	 "'study_visit_participants':{'type':['integer','null']},'participants':" REF("ReportTable") ",'scored':{'type':["
	 "'integer','null']},'mean_gain':{'type':['number','null']}}}}}"},
	{"DuplicatePerson",
	 "{'type':'object','additionalProperties':false,'required':['id'],'description':'one person "
	 "of a pair, to compare: names and birth date (each read audited) and coded fields',"
	 "'properties':{'id':" REF("Id") ",'given_name':" STR ",'family_name':" STR ",'patronymic':"
	 STR ",'birth_date':" DATE ",'gender':" STR ",'estimated_age':" INT ",'citizenship':" STR
	 ",'region_of_origin':" STR ",'created_at':" REF("Timestamp") ",'merged_into':" REF("Id")
	 ",'transferred':{'const':true,'description':'since transferred to another organisation: "
	 "its id alone'}}}"},
	{"DuplicatePair",
	 "{'type':'object','additionalProperties':false,'required':['id','status','score',"
	 "'weight','reasons','found_at','persons'],'properties':{'id':" REF("Id") ",'status':{"
	 "'enum':['open','distinct','merged']},'score':{'type':'number','minimum':0,'maximum':1,"
	 "'description':'probability that both are one person (Fellegi-Sunter)'},'weight':{'type':"
	 "'number','description':'the match weight in bits'},'reasons':{'type':'array','items':{"
	 "'type':'object','additionalProperties':false,'required':['field','level','weight'],"
	 "'properties':{'field':" STR ",'level':{'enum':['equal','close','similar','typo','year',"
	 "'partial','different']},'weight':{'type':'number'}}},'description':'the comparisons, "
	 "strongest first'},'found_at':" REF("Timestamp") ",'decided_by':" REF("Id")
	 ",'decided_at':" REF("Timestamp") ",'merge_id':" REF("Id") ",'persons':{'type':'array',"
	 "'minItems':2,'maxItems':2,'items':" REF("DuplicatePerson") "}}}"},
	{"MergeRequest",
	 "{'type':'object','additionalProperties':false,'required':['survivor'],'properties':{"
	 "'survivor':" REF("Id") "}}"},
	{"Merge",
	 "{'type':'object','additionalProperties':false,'required':['id','pair_id','survivor',"
	 "'merged','at'],'properties':{'id':" REF("Id") ",'pair_id':" REF("Id") ",'survivor':"
	 REF("Id") ",'merged':" REF("Id") ",'at':" REF("Timestamp") ",'undone_at':"
	 REF("Timestamp") "}}"},
	{"DuplicateScan",
	 "{'type':'object','additionalProperties':false,'required':['found'],'properties':{"
	 "'found':{'type':'integer','minimum':0}}}"},
	{"KnownElsewhere",
	 "{'type':'object','additionalProperties':false,'required':['known','asked_at'],"
	 "'properties':{'known':{'type':'array','items':{'type':'object',"
	 "'additionalProperties':false,'required':['org','name','contact'],'properties':{"
	 "'org':{'type':'string','description':'organisation code'},'name':" STR ","
	 "'contact':{'type':['object','null'],'additionalProperties':false,'properties':{"
	 "'phone':" STR_NULL ",'email':" STR_NULL "}}}}},'asked_at':" REF("Timestamp") "}}"},
	{"OpenApiDocument", "{'type':'object','required':['openapi','info','paths'],"
			    "'properties':{'openapi':{'type':'string'}}}"},
};
const size_t openapi_shapes_count = COUNT(openapi_shapes);

/* ---- query parameters --------------------------------------------------------- */

#define P_END {NULL, NULL, NULL, 0}

static const struct openapi_param q_persons[] = {
	{"q", "{'type':'string','minLength':1,'maxLength':300}",
	 "a name or its beginning, in any script or spelling", 1},
	{"birth_date", "{'type':'string','pattern':'^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$'}",
	 "YYYY, YYYY-MM or YYYY-MM-DD: those born then first", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':50}", "at most this many (20)", 0},
	P_END,
};

static const struct openapi_param q_person_create[] = {
	{"duplicates", "{'enum':['check','register']}",
	 "check: answer 409 likely-duplicate, and register nothing, when the person may be one "
	 "already registered; register (the default): register, and list the pair for review", 0},
	P_END,
};

static const struct openapi_param q_duplicates[] = {
	{"status", "{'enum':['open','distinct','merged']}", "the pairs of this status (open)", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':200}", "a page of at most this many (50)",
	 0},
	{"cursor", STR, "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_cases[] = {
	{"status", REF("Code.case_status"), "only cases of this status", 0},
	{"stage", REF("Code.nrm_stage"), "only cases at this NRM stage", 0},
	{"assigned", "{'type':'string'}", "me, or a user id", 0},
	{"person_id", REF("Id"), "only the cases of this person", 0},
	{"q", "{'type':'string','maxLength':300}", "the person name, in any script", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':200}", "a page of at most this many (50)",
	 0},
	{"cursor", "{'type':'string'}", "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_followups[] = {
	{"assigned", "{'enum':['me','all']}", "mine (the default) or all of the organisation", 0},
	{"before", DATE, "overdue before this date (today)", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':200}", "a page of at most this many (50)",
	 0},
	{"cursor", STR, "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_perpetrators[] = {
	{"q", "{'type':'string','minLength':1,'maxLength':200}", "a name, in any script", 1},
	P_END,
};

static const struct openapi_param q_stays[] = {
	{"all", "{'enum':['1']}", "1: discharged stays too", 0},
	P_END,
};

static const struct openapi_param q_referrals[] = {
	{"box", "{'enum':['in','out']}", "received (in, the default) or sent (out)", 0},
	{"status", REF("Code.referral_status"), "only referrals of this status", 0},
	{"overdue", "{'enum':['1']}", "1: only those past their due date", 0},
	P_END,
};

static const struct openapi_param q_consent_check[] = {
	{"to_org", "{'type':'string'}", "the code of the organisation to refer to", 1},
	P_END,
};

static const struct openapi_param q_referral_stats[] = {
	{"box", "{'enum':['in','out']}", "received or sent", 0},
	P_END,
};

static const struct openapi_param q_directory[] = {
	{"search", "{'type':'string','maxLength':300}", "words of a service or organisation name",
	 0},
	{"q", "{'type':'string','maxLength':300}", "the same as search", 0},
	{"type", REF("Code.assistance_service_types"), "only services of this type", 0},
	{"region", REF("Code.tj_regions_iso3166_2"), "only services serving this region", 0},
	{"language", REF("Code.languages"), "only services in this language", 0},
	{"status", REF("Code.hsds_service_status"), "only services of this status", 0},
	{"org", "{'type':'string'}", "only services of this organisation code", 0},
	{"organization_id", "{'type':'string'}", "the same as org", 0},
	{"page", "{'type':'integer','minimum':1,'maximum':100000}", "the page number (1)", 0},
	{"per_page", "{'type':'integer','minimum':1,'maximum':100}", "services per page (20)", 0},
	{"cursor", "{'type':'string'}", "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_tokens[] = {
	{"login", "{'type':'string','minLength':1,'maxLength':128}", "only the tokens of this user",
	 0},
	P_END,
};

static const struct openapi_param q_audit[] = {
	{"record", "{'type':'string','pattern':'^(persons|cases|contacts|callbacks|caller_flags)/',"
	 "'maxLength':80}", "persons/ID, cases/ID, contacts/ID, callbacks/ID or caller_flags/ID", 0},
	{"phone", "{'type':'string','maxLength':32}",
	 "a phone number: who of the organisation looked it up (instead of record)", 0},
	P_END,
};

static const struct openapi_param q_contacts[] = {
	{"phone", "{'type':'string','maxLength':32}",
	 "the earlier contacts of this number (any format), its summary and flags", 0},
	{"from", STR, "a date YYYY-MM-DD or a time: contacts since", 0},
	{"to", STR, "a date YYYY-MM-DD (inclusive) or a time: contacts before", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':200}", "a page of at most this many (50)",
	 0},
	{"cursor", STR, "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_contact_stats[] = {
	{"from", DATE, "the first day (29 days before to)", 0},
	{"to", DATE, "the last day (today); at most 366 days in all", 0},
	P_END,
};

#define Q_PERIOD \
	{"from", DATE, "the first day (all before to)", 0}, \
	{"to", DATE, "the last day (today)", 0}, \
	{"region", REF("Code.tj_regions_iso3166_2"), "only cases of this region", 0}, \
	{"org", "{'anyOf':[{'const':'own'}," REF("Code.org_type") "]}", \
	 "own, or an organisation type (never a name)", 0}

static const struct openapi_param q_summary[] = {
	Q_PERIOD,
	{"by", "{'type':'string','pattern':'^(sex|age_band|exploitation|country|status|stage|month|"
	       "region|org|service_type|nationality|trafficking_status|identification|sector)(,(sex|"
	       "age_band|exploitation|country|status|stage|month|region|org|service_type|"
	       "nationality|trafficking_status|identification|sector)){0,3}$'}",
	 "up to 4 dimensions, comma-separated", 0},
	{"victims", "{'enum':['0','1']}", "1: identified victims only", 0},
	P_END,
};

static const struct openapi_param q_indicators[] = {
	Q_PERIOD,
	{"format", "{'enum':['json','csv','xlsx']}", "json (the default), csv or xlsx", 0},
	{"lang", "{'enum':['tg','ru','en']}",
	 "the language of a file's sheet names, headers and labels (en); the codes stay beside them", 0},
	P_END,
};

static const struct openapi_param q_livelihood[] = {
	{"from", DATE, "the first day (all before to)", 0},
	{"to", DATE, "the last day (today)", 0},
	{"org", "{'anyOf':[{'const':'own'}," REF("Code.org_type") "]}",
	 "own, or an organisation type (never a name)", 0},
	{"by", "{'enum':['sex','region']}", "the person's sex (the default) or region of origin", 0},
	P_END,
};

static const struct openapi_param q_plan[] = {
	{"plan", STR, "a plan's code (the last loaded when absent)", 0},
	P_END,
};

static const struct openapi_param q_plan_xlsx[] = {
	{"plan", STR, "a plan's code (the last loaded when absent)", 0},
	{"lang", "{'enum':['tg','ru','en']}", "the language of the texts and statuses (en)", 0},
	P_END,
};

static const struct openapi_param q_export[] = {
	{"from", DATE, "the first opening day of the cases exported (none: no bound)", 0},
	{"to", DATE, "the last opening day (none: no bound)", 0},
	P_END,
};

static const struct openapi_param q_export_xlsx[] = {
	{"from", DATE, "the first opening day of the cases exported (none: no bound)", 0},
	{"to", DATE, "the last opening day (none: no bound)", 0},
	{"pii", "{'enum':['0','1']}", "1: add names, birth date and phones (export.pii)", 0},
	P_END,
};

static const struct openapi_param q_flags[] = {
	{"phone", "{'type':'string','maxLength':32}", "the number, in any format", 1},
	P_END,
};

static const struct openapi_param q_callbacks[] = {
	{"state", "{'enum':['open','due','overdue','done','all']}", "which callbacks (open)", 0},
	{"assigned", STR, "me, or a user id", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':200}", "a page of at most this many (50)",
	 0},
	{"cursor", STR, "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_kb[] = {
	{"q", "{'type':'string','maxLength':400}", "words of the title or body, in any script", 0},
	{"country", STR, "ISO 3166 alpha-2 of the destination", 0},
	{"topic", REF("Code.kb_topic"), "only articles of this topic", 0},
	{"status", REF("Code.kb_status"), "draft and archived for editors only", 0},
	{"lang", "{'enum':['tg','ru','en']}", "the language of the excerpts (tg)", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':200}", "a page of at most this many (50)",
	 0},
	{"cursor", STR, "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_trainings[] = {
	{"kind", REF("Code.training_kind"), "only events of this kind (training, study_visit)", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':200}", "a page of at most this many", 0},
	{"cursor", STR, "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_library[] = {
	{"kind", REF("Code.knowledge_kind"), "only products of this kind", 0},
	{"audience", REF("Code.knowledge_audience"), "only products for this audience", 0},
	{"language", REF("Code.languages"), "only documents in this language", 0},
	{"limit", "{'type':'integer','minimum':1,'maximum':200}", "a page of at most this many", 0},
	{"cursor", STR, "the `next` of the page before", 0},
	P_END,
};

static const struct openapi_param q_library_upload[] = {
	{"after", "{'type':'integer','minimum':0}",
	 "the current version this upload follows (0 for the first): another is 409", 1},
	{"file_name", "{'type':'string','maxLength':255}",
	 "the file's name (kept cleaned: no folders, the extension of its type)", 0},
	{"note", "{'type':'string','maxLength':1000}", "what changed", 0},
	P_END,
};

/* ---- the routes ---------------------------------------------------------------- */

#define GET M_GET
#define POST M_POST
#define PATCH M_PATCH

const struct openapi_op openapi_ops[] = {
	{GET, V1 "/health", "health", "system", "Is the server up", NULL, 200, "Health", 0, NULL,
	 NULL, "no authentication, no detail"},

	{POST, V1 "/session", "sessionCreate", "session", "Sign in", "LoginRequest", 200, "Session",
	 DOC_RATE, NULL, NULL,
	 "sets the session cookie; 401 invalid-credentials, totp-required or totp-invalid; 429 "
	 "locked after repeated failures"},
	{M_DELETE, V1 "/session", "sessionDelete", "session", "Sign out", NULL, 204, NULL, 0, NULL,
	 NULL, NULL},
	{GET, V1 "/me", "meGet", "session", "The signed-in user", NULL, 200, "Me", 0, NULL, NULL,
	 NULL},
	{POST, V1 "/me/totp", "totpBegin", "session", "Start setting up a second factor", NULL, 200,
	 "TotpBegin", DOC_CONFLICT, NULL, NULL, NULL},
	{POST, V1 "/me/password", "mePassword", "session", "Change the own password",
	 "PasswordChange", 200, "Me", DOC_RATE, NULL, NULL,
	 "the current password is checked like a sign-in (failures count toward the lockout, "
	 "403 wrong-password); 422 weak-password for fewer than 12 characters or a common "
	 "password; the other sessions of the user end; the only change a session with a "
	 "one-time password may make"},
	{POST, V1 "/me/totp/confirm", "totpConfirm", "session", "Confirm the second factor",
	 "TotpConfirm", 200, "Me", DOC_CONFLICT, NULL, NULL, NULL},

	{POST, V1 "/persons", "personCreate", "persons", "Register a person", "PersonCreate", 201,
	 "Person", DOC_ETAG | DOC_LOCATION | DOC_CONFLICT, q_person_create, NULL,
	 "with duplicates=check, 409 likely-duplicate names the candidates (id, score) and "
	 "registers nothing"},
	{GET, V1 "/persons", "personSearch", "persons", "Find persons by name", NULL, 200, "Person",
	 DOC_LIST, q_persons, NULL, "best match first; every person read is audited"},
	{GET, V1 "/persons/{}", "personGet", "persons", "One person", NULL, 200, "Person", DOC_ETAG,
	 NULL, NULL, "audited"},
	{PATCH, V1 "/persons/{}", "personPatch", "persons", "Change a person", "PersonPatch", 200,
	 "Person", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, "null removes a field"},
	{POST, V1 "/persons/{}/consents", "consentCreate", "consents", "Record a consent",
	 "ConsentCreate", 201, "Consent", DOC_LOCATION, NULL, NULL, NULL},
	{GET, V1 "/persons/{}/consents", "consentList", "consents", "The consents of a person",
	 NULL, 200, "Consent", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/consents/{}", "consentGet", "consents", "One consent", NULL, 200, "Consent",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL, "as its list shows it"},
	{POST, V1 "/persons/{}/prevention-services", "preventionServiceCreate", "prevention",
	 "Give a prevention service (TVET, counselling, information)", "PreventionServiceCreate",
	 201, "PreventionService", DOC_LOCATION | DOC_CONFLICT, NULL, NULL,
	 "no case needed; 409 consent-required without an active consent to assistance; "
	 "prevention.record; audited"},
	{GET, V1 "/persons/{}/prevention-services", "preventionServiceList", "prevention",
	 "The prevention services of a person", NULL, 200, "PreventionService", DOC_LIST, NULL,
	 NULL, "sealed fields read are audited"},
	{POST, V1 "/persons/{}/households", "householdCreate", "prevention",
	 "Record the household of a family left behind", "HouseholdCreate", 201, "Household",
	 DOC_LOCATION | DOC_CONFLICT, NULL, NULL,
	 "members' names and the amounts are sealed; 409 consent-required; prevention.record"},
	{GET, V1 "/persons/{}/households", "householdList", "prevention", "The households of a person",
	 NULL, 200, "Household", DOC_LIST, NULL, NULL, "every read of the members is audited"},
	{POST, V1 "/households/{}/assessments", "assessmentCreate", "prevention",
	 "Assess a household's vulnerability (IOM DoMV)", "VulnerabilityAssessmentCreate", 201,
	 "VulnerabilityAssessment", DOC_LOCATION | DOC_CONFLICT | DOC_NOT_FOUND, NULL, NULL,
	 "factors at the Individual, Household, Community and Structural levels, each risk or "
	 "protective; household_id is the path's"},
	{GET, V1 "/households/{}/assessments", "assessmentList", "prevention",
	 "The assessments of a household", NULL, 200, "VulnerabilityAssessment",
	 DOC_LIST | DOC_NOT_FOUND, NULL, NULL, NULL},
	{GET, V1 "/prevention-services/{}", "preventionServiceGet", "prevention",
	 "One prevention service", NULL, 200, "PreventionService",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/prevention-services/{}", "preventionServicePatch", "prevention",
	 "Change a prevention service (started, completed, ...)", "PreventionServicePatch", 200,
	 "PreventionService", DOC_ETAG | DOC_IF_MATCH | DOC_CONFLICT, NULL, NULL,
	 "the create's rules: prevention.record, the person's active consent; audited"},
	{GET, V1 "/households/{}", "householdGet", "prevention",
	 "One household", NULL, 200, "Household",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/households/{}", "householdPatch", "prevention", "Change a household",
	 "HouseholdPatch", 200, "Household", DOC_ETAG | DOC_IF_MATCH | DOC_CONFLICT, NULL, NULL,
	 "members who left or came back; the create's rules; audited"},
	{GET, V1 "/domv-assessments/{}", "assessmentGet", "prevention",
	 "One vulnerability assessment", NULL, 200, "VulnerabilityAssessment",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/domv-assessments/{}", "assessmentPatch", "prevention",
	 "Correct a vulnerability assessment", "VulnerabilityAssessmentPatch", 200,
	 "VulnerabilityAssessment", DOC_ETAG | DOC_IF_MATCH | DOC_CONFLICT, NULL, NULL,
	 "it stays with its household (422 for another household_id)"},
	{POST, V1 "/orientations", "orientationCreate", "prevention",
	 "Record a pre-departure orientation session", "OrientationCreate", 201, "Orientation",
	 DOC_LOCATION | DOC_NOT_FOUND, NULL, NULL,
	 "attendance as counts of women and men, never names; prevention.record (404 otherwise)"},
	{GET, V1 "/orientations", "orientationList", "prevention",
	 "The organisation's orientation sessions, newest first", NULL, 200, "Orientation",
	 DOC_LIST | DOC_NOT_FOUND, NULL, NULL, "the newest 500"},
	{GET, V1 "/orientations/{}", "orientationGet", "prevention",
	 "One orientation session", NULL, 200, "Orientation", DOC_ETAG, NULL, NULL,
	 "as its list shows it; another organisation's, or for a role without "
	 "prevention.record, 404"},
	{GET, V1 "/plan", "planGet", "plan", "The national Action Plan with each activity's status",
	 NULL, 200, "Plan", DOC_NOT_FOUND, q_plan, NULL,
	 "plan.read; the last loaded plan unless ?plan=; status: done (reported at or above the "
	 "target), late (past the deadline), on_track (reported), not_started"},
	{POST, V1 "/plan", "planLoad", "plan", "Load the plan (or the next one) from its file",
	 "PlanFile", 200, "PlanLoaded", DOC_NOT_FOUND, NULL, NULL,
	 "plan.edit: a supervisor of the coordinating organisation named in the file (of the "
	 "plan's coordinator when it is loaded again; a new plan, of the coordinator of the plan in "
	 "force or of the installation's own organisation, else 403); activities updated by "
	 "number, reports kept; as `himoya plan load`; audited"},
	{GET, V1 "/plan/report.xlsx", "planXlsx", "plan",
	 "The status of every activity as XLSX, for the interagency meeting", NULL, 200, NULL,
	 DOC_XLSX | DOC_NOT_FOUND, q_plan_xlsx, NULL, NULL},
	{POST, V1 "/plan/activities/{}/reports", "planReportCreate", "plan",
	 "Report progress on an activity", "PlanReportCreate", 201, "PlanReport",
	 DOC_LOCATION | DOC_NOT_FOUND, NULL, NULL,
	 "plan.report: the activity's responsible agency (or the coordinator's supervisor); "
	 "403 for another agency; audited"},
	{GET, V1 "/plan/reports/{}", "planReportGet", "plan", "One progress report", NULL, 200,
	 "PlanReport", 0, NULL, NULL,
	 "plan.read, as the plan (whose activities show their newest report to every agency); "
	 "404 otherwise"},
	{POST, V1 "/consents/{}/withdraw", "consentWithdraw", "consents", "Withdraw a consent",
	 "Empty", 200, "Consent", DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL,
	 "cuts at once the access of referrals that rest on it"},
	{GET, V1 "/duplicates", "duplicateList", "duplicates", "Likely duplicates to review", NULL,
	 200, "DuplicatePair", DOC_LIST, q_duplicates, NULL,
	 "pairs of persons of the own organisation, best score first; every name shown is an "
	 "audited read"},
	{POST, V1 "/duplicates/scan", "duplicateScan", "duplicates",
	 "Look for duplicates now", "Empty", 200, "DuplicateScan", DOC_BODY_OPTIONAL | DOC_QUIET_BODY,
	 NULL, NULL, "the pass the server also runs every ten minutes"},
	{POST, V1 "/duplicates/{}/merge", "duplicateMerge", "duplicates",
	 "Merge the pair into one person", "MergeRequest", 200, "Merge", DOC_CONFLICT, NULL, NULL,
	 "cases, consents and records, contacts and referrals of the other person follow the "
	 "survivor; the other is kept, merged into it"},
	{POST, V1 "/duplicates/{}/distinct", "duplicateDistinct", "duplicates",
	 "Not the same person", "Empty", 200, "DuplicatePair",
	 DOC_CONFLICT | DOC_BODY_OPTIONAL | DOC_QUIET_BODY, NULL, NULL,
	 "remembered: the pair is not proposed again"},
	{POST, V1 "/merges/{}/undo", "mergeUndo", "duplicates", "Undo a merge", "Empty", 200,
	 "Merge", DOC_CONFLICT | DOC_BODY_OPTIONAL | DOC_QUIET_BODY, NULL, NULL,
	 "everything the merge moved goes back; the pair is open again"},

	{POST, V1 "/cases", "caseCreate", "cases", "Open a case", "CaseCreate", 201, "Case",
	 DOC_LOCATION | DOC_ETAG | DOC_CONFLICT, NULL, NULL,
	 "409 consent-required without a current consent to assistance"},
	{GET, V1 "/cases", "caseList", "cases", "The case list", NULL, 200, "Case",
	 DOC_LIST | DOC_PAGED, q_cases, NULL, "newest change first"},
	{GET, V1 "/cases/{}", "caseGet", "cases", "One case", NULL, 200, "Case", DOC_ETAG, NULL,
	 NULL, NULL},
	{PATCH, V1 "/cases/{}", "casePatch", "cases", "Change a case", "CasePatch", 200, "Case",
	 DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/close", "caseClose", "cases", "Close a case", "CaseClose", 200, "Case",
	 DOC_ETAG | DOC_CONFLICT, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/reopen", "caseReopen", "cases", "Reopen a case", "Empty", 200, "Case",
	 DOC_ETAG | DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/timeline", "caseTimeline", "cases", "Every event of a case in order",
	 NULL, 200, "TimelineEvent", DOC_LIST, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/screenings", "screeningCreate", "screenings",
	 "Screen with the Delphi indicators", "ScreeningCreate", 201, "Screening", DOC_LOCATION,
	 NULL, NULL,
	 NULL},
	{GET, V1 "/cases/{}/screenings", "screeningList", "screenings", "The screenings of a case",
	 NULL, 200, "Screening", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/screenings/{}", "screeningGet", "screenings", "One screening", NULL, 200,
	 "Screening", DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed answers read are audited"},
	{POST, V1 "/cases/{}/status-decisions", "decisionCreate", "status-decisions",
	 "Record an identification decision", "StatusDecisionCreate", 201, "StatusDecision",
	 DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/status-decisions", "decisionList", "status-decisions",
	 "The identification decisions of a case", NULL, 200, "StatusDecision", DOC_LIST, NULL,
	 NULL, NULL},
	{GET, V1 "/status-decisions/{}", "decisionGet", "status-decisions",
	 "One identification decision", NULL, 200, "StatusDecision", DOC_ETAG | DOC_NOT_FOUND,
	 NULL, NULL, "as its list shows it"},
	{POST, V1 "/cases/{}/best-interests", "bestInterestsCreate", "best-interests",
	 "Record a best-interests assessment of a child's case", "BestInterestsCreate", 201,
	 "BestInterests", DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/best-interests", "bestInterestsList", "best-interests",
	 "The best-interests assessments of a case", NULL, 200, "BestInterests", DOC_LIST, NULL,
	 NULL, NULL},
	{GET, V1 "/best-interests/{}", "bestInterestsGet", "best-interests",
	 "One best-interests assessment", NULL, 200, "BestInterests",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/best-interests/{}", "bestInterestsPatch", "best-interests",
	 "Change a best-interests assessment", "BestInterestsPatch", 200, "BestInterests",
	 DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/notes", "noteCreate", "notes", "Add a note", "NoteCreate", 201, "Note",
	 DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/notes", "noteList", "notes", "The notes of a case", NULL, 200, "Note",
	 DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/notes/{}", "noteGet", "notes", "One note", NULL, 200, "Note",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/notes/{}", "notePatch", "notes", "Change a note", "NotePatch", 200, "Note",
	 DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/services", "serviceCreate", "services", "Record assistance",
	 "ServiceCreate", 201, "Service", DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/services", "serviceList", "services", "The assistance of a case", NULL,
	 200, "Service", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/services/{}", "serviceGet", "services",
	 "One service given", NULL, 200, "Service",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/services/{}", "servicePatch", "services", "Change assistance",
	 "ServicePatch", 200, "Service", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/plans", "planCreate", "plans", "Add a support plan", "PlanCreate", 201,
	 "Plan", DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/plans", "planList", "plans", "The support plans of a case", NULL, 200,
	 "Plan", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/plans/{}", "supportPlanGet", "plans", "One support plan", NULL, 200, "Plan",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/plans/{}", "planPatch", "plans", "Change a support plan", "PlanPatch", 200,
	 "Plan", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/followups", "followupCreate", "followups", "Add a follow-up",
	 "FollowupCreate", 201, "Followup", DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/followups", "followupList", "followups", "The follow-ups of a case",
	 NULL, 200, "Followup", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/followups/{}", "followupGet", "followups",
	 "One follow-up", NULL, 200, "Followup",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/followups/{}", "followupPatch", "followups", "Change a follow-up",
	 "FollowupPatch", 200, "Followup", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{GET, V1 "/followups", "followupDue", "followups", "Overdue follow-ups", NULL, 200,
	 "Followup", DOC_LIST | DOC_PAGED, q_followups, NULL,
	 "follow-ups and the reviews of risk assessments and safety plans, oldest due first "
	 "(due date, then id)"},
	{POST, V1 "/cases/{}/perpetrators", "perpetratorCreate", "justice",
	 "Record a perpetrator of a case, or link one recorded before", "PerpetratorCreate", 201,
	 "Perpetrator", DOC_LOCATION | DOC_ETAG | DOC_CONFLICT, NULL, NULL,
	 "justice.record; 409 when the perpetrator is linked to the case already"},
	{GET, V1 "/cases/{}/perpetrators", "perpetratorList", "justice",
	 "The perpetrators of a case (restricted to their existence without justice.read)", NULL,
	 200, "Perpetrator", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/perpetrators", "perpetratorSearch", "justice",
	 "Perpetrators of the organisation by name, across scripts", NULL, 200, "Perpetrator",
	 DOC_LIST, q_perpetrators, NULL, NULL},
	{GET, V1 "/perpetrators/{}", "perpetratorGet", "justice", "One perpetrator", NULL, 200,
	 "Perpetrator", DOC_ETAG, NULL, NULL, NULL},
	{PATCH, V1 "/perpetrators/{}", "perpetratorPatch", "justice", "Change a perpetrator",
	 "PerpetratorPatch", 200, "Perpetrator", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/proceedings", "proceedingCreate", "justice",
	 "Record a criminal proceeding", "ProceedingCreate", 201, "Proceeding",
	 DOC_LOCATION | DOC_ETAG, NULL,
	 NULL, "422 stage-order when a stage comes before the one it follows or without it"},
	{GET, V1 "/cases/{}/proceedings", "proceedingList", "justice",
	 "The criminal proceedings of a case (restricted to their existence without "
	 "justice.read)", NULL, 200, "Proceeding", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/proceedings/{}", "proceedingGet", "justice",
	 "One criminal proceeding (its existence alone without justice.read)", NULL, 200,
	 "Proceeding", DOC_ETAG | DOC_NOT_FOUND, NULL, NULL, NULL},
	{PATCH, V1 "/proceedings/{}", "proceedingPatch", "justice",
	 "Move a proceeding to its next stage, record the verdict", "ProceedingPatch", 200,
	 "Proceeding", DOC_ETAG | DOC_IF_MATCH, NULL, NULL,
	 "422 stage-order when a stage comes before the one it follows or without it"},
	{POST, V1 "/cases/{}/risk-assessments", "riskCreate", "justice", "Assess the risks",
	 "RiskAssessmentCreate", 201, "RiskAssessment", DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/risk-assessments", "riskList", "justice",
	 "The risk assessments of a case", NULL, 200, "RiskAssessment", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/risk-assessments/{}", "riskGet", "justice",
	 "One risk assessment", NULL, 200, "RiskAssessment",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/risk-assessments/{}", "riskPatch", "justice", "Change a risk assessment",
	 "RiskAssessmentPatch", 200, "RiskAssessment", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/cases/{}/safety-plans", "safetyPlanCreate", "justice", "Agree a safety plan",
	 "SafetyPlanCreate", 201, "SafetyPlan", DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/safety-plans", "safetyPlanList", "justice",
	 "The safety plans of a case", NULL, 200, "SafetyPlan", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/safety-plans/{}", "safetyPlanGet", "justice",
	 "One safety plan", NULL, 200, "SafetyPlan",
	 DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "as its list shows it; sealed fields read are audited"},
	{PATCH, V1 "/safety-plans/{}", "safetyPlanPatch", "justice", "Change a safety plan",
	 "SafetyPlanPatch", 200, "SafetyPlan", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/directory/services/{}/stays", "stayCreate", "shelters",
	 "Admit a person to the shelter", "StayCreate", 201, "Stay",
	 DOC_LOCATION | DOC_ETAG | DOC_CONFLICT, NULL, NULL,
	 "409 beds-full when no bed is free, already-admitted when the person stays there"},
	{GET, V1 "/directory/services/{}/stays", "stayList", "shelters",
	 "The open stays of the shelter (all with all=1), with occupied and free beds", NULL, 200,
	 "Stay", DOC_LIST, q_stays, NULL, NULL},
	{GET, V1 "/stays/{}", "stayGet", "shelters", "One stay", NULL, 200, "Stay", DOC_ETAG, NULL,
	 NULL,
	 "as the shelter's list shows it (no sealed notes, no name); another organisation's "
	 "404, a role without shelter.stay 403"},
	{POST, V1 "/stays/{}/discharge", "stayDischarge", "shelters", "Discharge from the shelter",
	 "DischargeCreate", 200, "Stay", DOC_CONFLICT, NULL, NULL,
	 "422 when the discharge is before the admission; 409 already-discharged"},
	{POST, V1 "/cases/{}/transfer", "caseTransfer", "referrals",
	 "Ask another organisation to take a case over", "TransferCreate", 201, "Referral",
	 DOC_ETAG | DOC_CONFLICT, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/access-log", "caseAccessLog", "cases",
	 "Reads and changes of a case by other organisations", NULL, 200, "AccessLogEntry",
	 DOC_LIST, NULL, NULL, NULL},

	{POST, V1 "/referrals", "referralCreate", "referrals", "Refer a case", "ReferralCreate", 201,
	 "Referral", DOC_LOCATION | DOC_ETAG | DOC_CONFLICT, NULL, NULL,
	 "409 consent-required without a current consent that covers the receiving organisation; "
	 "a directory service that does not take the person is sent with warnings"},
	{GET, V1 "/referrals", "referralList", "referrals", "The inbox or the outbox", NULL, 200,
	 "Referral", DOC_LIST, q_referrals, NULL, NULL},
	{GET, V1 "/referrals/share-presets", "referralSharePresets", "referrals",
	 "What to share for a purpose (shelter, legal aid, police investigation, medical)", NULL,
	 200, "SharePreset", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/cases/{}/consent-check", "referralConsentCheck", "referrals",
	 "Does a current consent cover a referral to an organisation?", NULL, 200, "ConsentCheck",
	 0, q_consent_check, NULL,
	 "asked when the recipient is chosen; 422 for an unknown organisation or the own"},
	{GET, V1 "/referrals/stats", "referralStats", "referrals", "Referral figures", NULL, 200,
	 "ReferralStats", 0, q_referral_stats, NULL, NULL},
	{GET, V1 "/referrals/decisions-due", "referralDecisionsDue", "referrals",
	 "Accepted referrals without an identification decision", NULL, 200, "Referral", DOC_LIST,
	 NULL, NULL, NULL},
	{GET, V1 "/referrals/{}", "referralGet", "referrals", "One referral", NULL, 200, "Referral",
	 DOC_ETAG, NULL, NULL, NULL},
	{POST, V1 "/referrals/{}/accept", "referralAccept", "referrals", "Accept a referral",
	 "Empty", 200, "Referral", DOC_ETAG | DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL, NULL},
	{POST, V1 "/referrals/{}/decline", "referralDecline", "referrals", "Decline a referral",
	 "ReferralDecline", 200, "Referral", DOC_ETAG | DOC_CONFLICT, NULL, NULL, NULL},
	{POST, V1 "/referrals/{}/complete", "referralComplete", "referrals",
	 "Report a referral done", "ReferralComplete", 200, "Referral",
	 DOC_ETAG | DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL, NULL},
	{POST, V1 "/referrals/{}/withdraw", "referralWithdraw", "referrals",
	 "Take a referral back", "ReferralWithdraw", 200, "Referral",
	 DOC_ETAG | DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL, NULL},

	{GET, V1 "/directory/services", "directoryServiceList", "directory",
	 "Search the service directory", NULL, 200, "DirectoryServiceList", DOC_PAGED, q_directory,
	 NULL, "Open Referral HSDS 3, for every role"},
	{POST, V1 "/directory/services", "directoryServiceCreate", "directory",
	 "Add a directory service", "DirectoryServiceCreate", 201, "DirectoryService",
	 DOC_LOCATION | DOC_ETAG,
	 NULL, NULL, NULL},
	{GET, V1 "/directory/services/{}", "directoryServiceGet", "directory",
	 "One directory service", NULL, 200, "DirectoryService", DOC_ETAG, NULL, NULL,
	 "a shelter address only for users of its organisation"},
	{PATCH, V1 "/directory/services/{}", "directoryServicePatch", "directory",
	 "Change a directory service", "DirectoryServicePatch", 200, "DirectoryService",
	 DOC_ETAG | DOC_IF_MATCH | DOC_CONFLICT, NULL, NULL, NULL},
	{POST, V1 "/directory/services/{}/locations", "directoryLocationCreate", "directory",
	 "Add a location to a service", "DirectoryLocationCreate", 201, "DirectoryLocation",
	 DOC_LOCATION | DOC_ETAG, NULL, NULL, NULL},
	{GET, V1 "/directory/locations/{}", "directoryLocationGet", "directory",
	 "One location of a directory service", NULL, 200, "DirectoryLocation", DOC_ETAG, NULL,
	 NULL,
	 "as its service lists it, with its service_id, for every role; a confidential address "
	 "only for users of the organisation that runs it (redacted otherwise)"},
	{POST, V1 "/directory/services/{}/transfer", "directoryServiceTransfer", "directory",
	 "Offer a service to another organisation", "DirectoryTransfer", 200, "DirectoryService",
	 DOC_IF_MATCH | DOC_CONFLICT, NULL, NULL,
	 "the service (and who reads a shelter's address) moves only when its organisation "
	 "accepts"},
	{POST, V1 "/directory/services/{}/transfer/accept", "directoryServiceTransferAccept",
	 "directory", "Give a service to the organisation it was offered to", "Empty", 200,
	 "DirectoryService", DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL,
	 "a supervisor or administrator of the owning organisation"},
	{POST, V1 "/directory/services/{}/transfer/cancel", "directoryServiceTransferCancel",
	 "directory", "Withdraw the offer of a service", "Empty", 200, "DirectoryService",
	 DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL, NULL},
	{GET, V1 "/directory/export", "directoryExport", "directory",
	 "The directory as one HSDS-JSON document", NULL, 200, "DirectoryExport", 0, NULL, NULL,
	 NULL},
	{POST, V1 "/directory/import", "directoryImport", "directory",
	 "Import an HSDS-JSON document", "DirectoryDocument", 200, "DirectoryImportResult", 0, NULL,
	 NULL, "all or nothing: 422 names the collection and index of the first bad item"},

	{POST, V1 "/contacts", "contactCreate", "hotline", "Log a hotline contact", "ContactCreate",
	 201, "Contact", DOC_ETAG | DOC_LOCATION | DOC_NOT_FOUND, NULL, NULL,
	 "a non-data contact keeps only channel, call type, time, duration, language and "
	 "operator; with callback, books a call back"},
	{GET, V1 "/contacts", "contactList", "hotline", "Contacts, or the earlier contacts of a number",
	 NULL, 200, "ContactList", DOC_PAGED | DOC_NOT_FOUND, q_contacts, NULL, NULL},
	{GET, V1 "/contacts/stats", "contactStats", "hotline", "The hotline figures of a period",
	 NULL, 200, "ContactStats", DOC_NOT_FOUND, q_contact_stats, NULL, NULL},
	{GET, V1 "/contacts/{}", "contactGet", "hotline", "One contact", NULL, 200, "Contact",
	 DOC_ETAG, NULL, NULL, "audited"},
	{PATCH, V1 "/contacts/{}", "contactPatch", "hotline", "Change a contact", "ContactPatch",
	 200, "Contact", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/contacts/{}/attach", "contactAttach", "hotline", "Attach a contact to a case",
	 "ContactAttach", 200, "Contact", DOC_ETAG | DOC_CONFLICT, NULL, NULL, NULL},
	{POST, V1 "/caller-flags", "callerFlagCreate", "hotline", "Flag a caller number for a time",
	 "CallerFlagCreate", 201, "CallerFlag", DOC_LOCATION | DOC_NOT_FOUND, NULL, NULL, NULL},
	{GET, V1 "/caller-flags", "callerFlagList", "hotline", "The active flags of a number", NULL,
	 200, "CallerFlag", DOC_LIST | DOC_NOT_FOUND, q_flags, NULL, NULL},
	{GET, V1 "/caller-flags/{}", "callerFlagGet", "hotline", "One flag", NULL, 200,
	 "CallerFlag", 0, NULL, NULL,
	 "as the list of its number shows it, while it is active; another organisation's 404; "
	 "its note read is audited"},
	{POST, V1 "/callbacks", "callbackCreate", "hotline", "Book a call back", "CallbackCreate",
	 201, "Callback", DOC_LOCATION | DOC_ETAG | DOC_NOT_FOUND, NULL, NULL,
	 "a phone, or the contact_id of a contact with a number"},
	{GET, V1 "/callbacks", "callbackList", "hotline",
	 "Callbacks to make", NULL, 200, "Callback",
	 DOC_LIST | DOC_PAGED | DOC_NOT_FOUND, q_callbacks, NULL, NULL},
	{GET, V1 "/callbacks/{}", "callbackGet", "hotline", "One callback, with its number", NULL,
	 200, "Callback", DOC_ETAG, NULL, NULL, "audited"},
	{PATCH, V1 "/callbacks/{}", "callbackPatch", "hotline", "Assign, reschedule or close a callback",
	 "CallbackPatch", 200, "Callback", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/public/callback-requests", "publicCallbackRequest", "public",
	 "Ask for a call back, without signing in", "CallbackRequestCreate", 202, "Received",
	 DOC_QUIET_BODY | DOC_FORM | DOC_RATE, NULL, NULL,
	 "always 202 with the same body, kept or not (a bot, a stale token, a bad number); "
	 "429 past the rate of an address"},
	{GET, V1 "/public/form-token", "publicFormToken", "public",
	 "A token for the public callback form", NULL, 200, "FormToken", 0, NULL, NULL, NULL},

	{GET, V1 "/kb", "kbList", "kb", "Search the safe-migration knowledge base", NULL, 200,
	 "KbArticle", DOC_LIST | DOC_PAGED, q_kb, NULL, "published articles for everyone"},
	{POST, V1 "/kb", "kbCreate", "kb", "Write an article", "KbArticleCreate", 201, "KbArticle",
	 DOC_ETAG | DOC_LOCATION, NULL, NULL, NULL},
	{GET, V1 "/kb/gaps", "kbGaps", "kb", "Facts still to be confirmed", NULL, 200, "KbGap",
	 DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/kb/{}", "kbGet", "kb",
	 "One article", NULL, 200, "KbArticle", DOC_ETAG, NULL, NULL,
	 NULL},
	{PATCH, V1 "/kb/{}", "kbPatch", "kb", "Change an article", "KbArticlePatch", 200,
	 "KbArticle", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, "every version is kept"},
	{GET, V1 "/kb/{}/history", "kbHistory", "kb", "Every version of an article", NULL, 200,
	 "KbVersion", DOC_LIST, NULL, NULL, NULL},

	{POST, V1 "/trainings", "trainingCreate", "trainings", "Record a training event",
	 "TrainingCreate", 201, "Training", DOC_ETAG | DOC_LOCATION, NULL, NULL, NULL},
	{GET, V1 "/trainings", "trainingList", "trainings", "The training events, newest first",
	 NULL, 200, "Training", DOC_LIST | DOC_PAGED | DOC_NOT_FOUND, q_trainings, NULL, NULL},
	{GET, V1 "/trainings/{}", "trainingGet", "trainings", "One training event", NULL, 200,
	 "Training", DOC_ETAG, NULL, NULL, NULL},
	{PATCH, V1 "/trainings/{}", "trainingPatch", "trainings", "Change a training event",
	 "TrainingPatch", 200, "Training", DOC_ETAG | DOC_IF_MATCH, NULL, NULL, NULL},
	{POST, V1 "/trainings/{}/participants", "participantCreate", "trainings",
	 "Add a participant (never named)", "ParticipantCreate", 201, "Participant", DOC_LOCATION,
	 NULL, NULL, NULL},
	{GET, V1 "/trainings/{}/participants", "participantList", "trainings",
	 "The participants of a training", NULL, 200, "Participant", DOC_LIST, NULL, NULL, NULL},
	{GET, V1 "/participants/{}", "participantGet", "trainings", "One participant", NULL, 200,
	 "Participant", 0, NULL, NULL,
	 "as the list of its training shows it, to whoever reads the training (404 otherwise)"},
	{POST, V1 "/study-visits", "studyVisitCreate", "trainings",
	 "Record a study visit (a training of its own kind)", "StudyVisitCreate", 201, "Training",
	 DOC_ETAG | DOC_LOCATION, NULL, NULL,
	 "training.edit; destination country and city (place), host organisation, purpose; its "
	 "participants as a training's (by agency and sex, never named); kind study_visit"},

	{GET, V1 "/library", "libraryList", "library",
	 "The knowledge library: products not withdrawn, each with its current version", NULL, 200,
	 "LibraryProduct", DOC_LIST | DOC_PAGED | DOC_NOT_FOUND, q_library, NULL,
	 "library.read: every signed-in user of the network; most recently changed first"},
	{POST, V1 "/library", "libraryCreate", "library", "Add a knowledge product",
	 "LibraryProductCreate", 201, "LibraryProduct", DOC_LOCATION | DOC_ETAG, NULL, NULL,
	 "library.edit (trainer, supervisor); a title in at least one language; its files are "
	 "uploaded as versions; audited"},
	{GET, V1 "/library/{}", "libraryGet", "library",
	 "A knowledge product with every version, newest first", NULL, 200, "LibraryProduct",
	 DOC_ETAG, NULL, NULL, "a withdrawn product too (withdrawn: true)"},
	{POST, V1 "/library/{}/versions", "libraryUpload", "library",
	 "Upload the next version of a product's file", NULL, 201, "LibraryProduct",
	 DOC_UPLOAD | DOC_CONFLICT, q_library_upload, NULL,
	 "library.edit of the keeping organisation (403 otherwise); the body is the file; an "
	 "empty file 422 empty-file, another type 415 unsupported-type, over 20 MiB 413 before "
	 "it is read, after= not the current version 409 version-conflict, withdrawn 409; "
	 "sealed at rest; audited"},
	{GET, V1 "/library/{}/versions/{}", "libraryFile", "library",
	 "Download a version's file, byte for byte", NULL, 200, NULL, DOC_FILE, NULL, "id,n",
	 "any version, the current or an older one; audited as a read"},
	{POST, V1 "/library/{}/withdraw", "libraryWithdraw", "library",
	 "Withdraw a product: hidden from the list, kept with its versions", "Empty", 200,
	 "LibraryProduct", DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL,
	 "library.edit of the keeping organisation; 409 when already withdrawn; audited"},

	{GET, V1 "/orgs", "orgList", "admin", "The organisations", NULL, 200, "Org", DOC_LIST, NULL,
	 NULL, NULL},
	{POST, V1 "/orgs", "orgCreate", "admin", "Add an organisation", "OrgCreate", 201,
	 "OrgCreated", DOC_CONFLICT | DOC_RATE, NULL, NULL,
	 "admin, signed in; with admin_login also its first administrator, whose one-time "
	 "password is answered once; 409 for a code or login taken; audited"},
	{PATCH, V1 "/orgs/{}", "orgPatch", "admin", "Change an organisation", "OrgPatch", 200, "Org",
	 0, NULL, "code",
	 "admin of that organisation or of the one that made it (else 404); audited"},
	{GET, V1 "/users", "userList", "admin", "The users of the own organisation", NULL, 200,
	 "Account", DOC_LIST, NULL, NULL, "admin; by login; audited"},
	{POST, V1 "/users", "userCreate", "admin", "Add a user with a one-time password",
	 "AccountCreate", 201, "AccountWithPassword", DOC_CONFLICT | DOC_RATE, NULL, NULL,
	 "admin, signed in; the password is answered once and must be changed at the first "
	 "sign-in; 409 login-taken; audited"},
	{POST, V1 "/users/{}/role", "userRole", "admin", "Change the role of a user", "AccountRole",
	 200, "Account", DOC_CONFLICT, NULL, NULL, "not the own account (409); audited"},
	{POST, V1 "/users/{}/disable", "userDisable", "admin", "Disable a user", "Empty", 200,
	 "Account", DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL,
	 "offboarding: every session and token of the user ends at once; not the own account "
	 "(409); audited"},
	{POST, V1 "/users/{}/enable", "userEnable", "admin", "Enable a user again", "Empty", 200,
	 "Account", DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL, "audited"},
	{POST, V1 "/users/{}/unlock", "userUnlock", "admin", "End the lockout of a login", "Empty",
	 200, "Account", DOC_BODY_OPTIONAL, NULL, NULL, "audited"},
	{POST, V1 "/users/{}/reset-totp", "userResetTotp", "admin",
	 "Remove the second factor of a user", "Empty", 200, "Account",
	 DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL,
	 "the sessions of the user end too; audited"},
	{POST, V1 "/users/{}/reset-password", "userResetPassword", "admin",
	 "Give a user a new one-time password", "Empty", 200, "AccountWithPassword",
	 DOC_CONFLICT | DOC_BODY_OPTIONAL | DOC_RATE, NULL, NULL,
	 "answered once; the sessions of the user end; audited"},
	{GET, V1 "/roles", "roleList", "admin", "Role policies", NULL, 200, "RolePolicy", DOC_LIST,
	 NULL, NULL, NULL},
	{M_PUT, V1 "/roles/{}", "roleSet", "admin", "Require a second factor for a role", "RoleSet",
	 200, "RolePolicy", 0, NULL, "role",
	 "an administrator of the installation's own organisation only (403 to another's)"},
	{GET, V1 "/tokens", "tokenList", "admin", "The API tokens of the organisation", NULL, 200,
	 "Token", DOC_LIST, q_tokens, NULL,
	 "admin; newest first, never a secret; audited"},
	{POST, V1 "/tokens", "tokenCreate", "admin", "Make an API token", "TokenCreate", 201,
	 "TokenCreated", 0, NULL, NULL,
	 "admin, signed in (403 with a bearer token); the secret is answered once and never "
	 "stored; 422 second-factor-required for a role that requires one, whose tokens are "
	 "refused; audited"},
	{POST, V1 "/tokens/{}/revoke", "tokenRevoke", "admin", "Revoke an API token", "Empty", 200,
	 "Token", DOC_CONFLICT | DOC_BODY_OPTIONAL, NULL, NULL,
	 "at once and for good; 409 already-revoked; audited"},
	{GET, V1 "/audit", "auditList", "admin", "Who read or changed a record", NULL, 200,
	 "AuditEntry", DOC_LIST | DOC_NOT_FOUND, q_audit, NULL, NULL},
	{GET, V1 "/reports/summary", "reportSummary", "reports",
	 "Counts over any dimensions, never a count under k", NULL, 200, "SummaryReport",
	 DOC_NOT_FOUND, q_summary, NULL,
	 "the analyst counts every organisation: every count perturbed by the cell-key method to 0 "
	 "or a multiple of k (11 unless configured), so that no two answers give a count under k "
	 "by difference or sum; a supervisor's own organisation: exact, cells under k null, with "
	 "complementary suppression so that none can be worked back from the totals"},
	{GET, V1 "/reports/indicators", "reportIndicators", "reports",
	 "The indicator report of a period", NULL, 200, "IndicatorReport",
	 DOC_NOT_FOUND | DOC_CSV | DOC_XLSX, q_indicators, NULL,
	 "format=csv or xlsx answers the same tables as a file, named indicators_FROM_TO, its words "
	 "in lang (a second header row of column codes, and a last sheet of the codes of every "
	 "value shown)"},
	{GET, V1 "/reports/livelihood", "reportLivelihood", "reports",
	 "Vocational courses, start-up grants and their follow-ups", NULL, 200, "LivelihoodReport",
	 DOC_NOT_FOUND, q_livelihood, NULL,
	 "completion of the courses and grants delivered in the period; employment and business "
	 "survival at the follow-ups 3, 6 and 12 months after, done in the period; by sex or "
	 "region; every table guarded as the summary's (cell keys across organisations, suppression "
	 "in the own); region is a dimension, not a filter (422)"},
	{GET, V1 "/exports/htcds.csv", "exportHtcds", "exports",
	 "HTCDS 2.0 rows, pseudonymous", NULL, 200, NULL,
	 DOC_CSV | DOC_TOO_LARGE, q_export, NULL,
	 "export.rows (own cases), or export.anonymous over every organisation (the analyst); one "
	 "row per case whose person consents to statistics; 2.0 field names (hmy_ for Himoya's), "
	 "2.0 values, multi-selects ';'-joined; keyed pseudonyms, organisations by type, no name, "
	 "phone, document or note; audited"},
	{GET, V1 "/exports/htcds.xlsx", "exportHtcdsXlsx", "exports",
	 "HTCDS 2.0 rows in the column order of the 2.0 toolkit spreadsheet", NULL, 200, NULL,
	 DOC_XLSX | DOC_TOO_LARGE, q_export, NULL,
	 "the rows of htcds.csv; the toolkit's columns first (its personal columns blank), then "
	 "the other 2.0 and hmy_ columns; audited"},
	{GET, V1 "/exports/ctdc.csv", "exportCtdc", "exports",
	 "The CTDC columns, one row per presumed or official victim, k-anonymous", NULL, 200,
	 NULL, DOC_CSV | DOC_TOO_LARGE, q_export, NULL,
	 "export.anonymous (the analyst: every organisation); the person's newest victim case; "
	 "-99 for missing; every combination of the quasi-identifiers occurs at least report_k "
	 "times, reached by suppressing single cells; X-Export-Dropped-No-Consent counts the "
	 "victims left out without a statistics consent; audited"},
	{GET, V1 "/exports/cases.xlsx", "exportCasesXlsx", "exports",
	 "The case rows of the own organisation as a workbook", NULL, 200, NULL,
	 DOC_XLSX | DOC_TOO_LARGE, q_export_xlsx, NULL,
	 "export.rows; personal columns with pii=1 and export.pii (a second factor); audited"},
	{GET, V1 "/schema", "fieldSchema", "system", "Every declared record and code list", NULL,
	 200, "FieldSchemaDocument", 0, NULL, NULL, NULL},
	{GET, V1 "/openapi.json", "openapi", "system", "This document", NULL, 200,
	 "OpenApiDocument", 0, NULL, NULL, NULL},
	{POST, V1 "/persons/{}/known-elsewhere", "personKnownElsewhere", "persons",
	 "Is this person known to another organisation of the network?", "Empty", 200,
	 "KnownElsewhere", DOC_CONFLICT | DOC_RATE | DOC_BODY_OPTIONAL, NULL, NULL,
	 "person.known_elsewhere (case workers and supervisors of the person own organisation); "
	 "409 consent-required without a current referral or law enforcement consent; compares "
	 "the person keyed Bloom-filter encoding with the other organisations encodings at the "
	 "Dice threshold of pprl link, among the persons whose consents name the asking "
	 "organisation (by code or type, or no recipient) and whose organisation the asked "
	 "person consents names; names organisations only, never a score, a person or a count; "
	 "the question and the answer are audited, and each organisation named sees on its "
	 "person that the asking organisation matched it; 20 questions an hour per user and 100 "
	 "per organisation (429)"},
};
const size_t openapi_ops_count = COUNT(openapi_ops);
