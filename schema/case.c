/*
 * case.c - the fields of a case (HTCDS 2.0 case and trafficking details)
 * and of the records that hang off a case or a person: notes, status
 * decisions, services, support plans, follow-ups and consents.
 */
#include "fields.h"
#include "codelists.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, name, arr) const struct resource_schema var = {name, arr, COUNT(arr)}

/* ---- the standards' spellings ----------------------------------------- */

/* HTCDS 2.0 names an ISIC section by letter and words. */
static const struct std_value htcds_isic[] = {
	{"A", "A_AgricultureForestryAndFishing"}, {"B", "B_MiningAndQuarrying"},
	{"C", "C_Manufacturing"}, {"D", "D_ElectricityGasSteamAndAirConditioningSupply"},
	{"E", "E_WaterSupplySewerageWasteManagement"}, {"F", "F_Construction"},
	{"G", "G_WholesaleAndRetailTradeRepairOfMotorVehicles"},
	{"H", "H_TransportationAndStorage"}, {"I", "I_AccommodationAndFoodServiceActivities"},
	{"J", "J_InformationAndCommunication"}, {"K", "K_FinancialAndInsuranceActivities"},
	{"L", "L_RealEstateActivities"}, {"M", "M_ProfessionalScientificAndTechnicalActivities"},
	{"N", "N_AdministrativeAndSupportServiceActivities"},
	{"O", "O_PublicAdministrationAndDefence"}, {"P", "P_Education"},
	{"Q", "Q_HumanHealthAndSocialWorkActivities"}, {"R", "R_ArtsEntertainmentAndRecreation"},
	{"S", "S_OtherServiceActivities"}, {"T", "T_ActivitiesOfHouseholdsAsEmployers"},
	{"U", "U_ActivitiesOfExtraterritorialOrganizations"},
	{NULL, NULL},
};

/* CTDC flag columns set by a code (the column name follows the field's
 * .ctdc prefix; the concatenated column lists the suffixes). */
static const struct std_value ctdc_exploitation[] = {
	{"ForcedLabour", "isForcedLabour"}, {"ChildLabour", "isForcedLabour"},
	{"ForcedBegging", "isForcedLabour"}, {"SexualExploitation", "isSexualExploit"},
	{"ForcedMarriage", "isForcedMarriage"}, {"ForcedMilitaryByNonStateActors", "isForcedMilitary"},
	{"OrganRemoval", "isOrganRemoval"}, {"Servitude", "isSlaveryAndPractices"},
	{"ForcedAdoption", "isOtherExploit"}, {"Surrogacy", "isOtherExploit"},
	{"Other", "isOtherExploit"},
	{NULL, NULL},
};

static const struct std_value ctdc_sex[] = {
	{"Prostitution", "typeOfSexProstitution"}, {"Pornography", "typeOfSexPornography"},
	{"RemoteInteractiveServices", "typeOfSexRemoteInteractiveServices"},
	{"PrivateSexualServices", "typeOfSexPrivateSexualServices"},
	{NULL, NULL},
};

static const struct std_value ctdc_labour[] = {
	{"A", "typeOfLabourAgriculture"}, {"B", "typeOfLabourMiningOrDrilling"},
	{"C", "typeOfLabourManufacturing"}, {"F", "typeOfLabourConstruction"},
	{"H", "typeOfLabourTransportation"}, {"I", "typeOfLabourHospitality"},
	{"T", "typeOfLabourDomesticWork"},
	{"D", "typeOfLabourOther"}, {"E", "typeOfLabourOther"}, {"G", "typeOfLabourOther"},
	{"J", "typeOfLabourOther"}, {"K", "typeOfLabourOther"}, {"L", "typeOfLabourOther"},
	{"M", "typeOfLabourOther"}, {"N", "typeOfLabourOther"}, {"O", "typeOfLabourOther"},
	{"P", "typeOfLabourOther"}, {"Q", "typeOfLabourOther"}, {"R", "typeOfLabourOther"},
	{"S", "typeOfLabourOther"}, {"U", "typeOfLabourOther"},
	{NULL, NULL},
};

static const struct std_value ctdc_control[] = {
	{"DebtBondage", "meansOfControlDebtBondage"},
	{"TakesEarnings", "meansOfControlTakesEarnings"},
	{"RestrictsFinancialAccess", "meansOfControlRestrictsFinancialAccess"},
	{"PhysicalThreats", "meansOfControlThreats"},
	{"PsychologicalAbuse", "meansOfControlPsychologicalAbuse"},
	{"PhysicalAbuse", "meansOfControlPhysicalAbuse"},
	{"SexualAbuse", "meansOfControlSexualAbuse"},
	{"FalsePromises", "meansOfControlFalsePromises"},
	{"PsychoactiveSubstance", "meansOfControlPsychoactiveSubstances"},
	{"RestrictsMedicalCare", "meansOfControlRestrictsMedicalCare"},
	{"ExcessiveWorkingHours", "meansOfControlExcessiveWorkingHours"},
	{"ThreatensChildrenFamily", "meansOfControlUsesChildren"},
	{"ThreatsLawEnforcement", "meansOfControlThreatOfLawEnforcement"},
	{"WithholdsNecessities", "meansOfControlWithholdsNecessities"},
	{"WithholdsDocuments", "meansOfControlWithholdsDocuments"},
	{"Other", "meansOfControlOther"},
	{NULL, NULL},
};

/* RecruiterRelationship is the suffix of the flag column. */
static const struct std_value ctdc_recruiter[] = {
	{"Familial", "recruiterRelationFamily"},
	{"Acquainted", "recruiterRelationFriend"},
	{"Unaquainted", "recruiterRelationOther"},
	{NULL, NULL},
};

/* A kidnapper among the perpetrators: the person was abducted. */
static const struct std_value ctdc_roles[] = {
	{"Kidnapper", "isAbduction"},
	{NULL, NULL},
};

/* ---- case ---------------------------------------------------------- */

static const struct field event_fields[] = {
	{ .name = "type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_trafficking_event_type,
	  .required = 1,
	  .label_tg = "Навъ", .label_ru = "Тип", .label_en = "Type",
	  .htcds = "hte_Type" },
	{ .name = "country", .type = FT_COUNTRY, .cls = FC_CODED,
	  .label_tg = "Кишвар", .label_ru = "Страна", .label_en = "Country",
	  .htcds = "hte_Country" },
	{ .name = "place", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 200,
	  .label_tg = "Ҷой", .label_ru = "Место", .label_en = "Place" },
	{ .name = "date", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Сана", .label_ru = "Дата", .label_en = "Date",
	  .htcds = "hte_Date" },
};
static SCHEMA(trafficking_event_schema, "trafficking_event", event_fields);

static const struct field case_fields[] = {
	{ .name = "person_id", .type = FT_ID, .cls = FC_CODED, .required = 1,
	  .label_tg = "Шахс", .label_ru = "Лицо", .label_en = "Person",
	  .htcds = "hmy_PersonId" },
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_case_status,
	  .label_tg = "Ҳолати парванда", .label_ru = "Статус случая", .label_en = "Case status",
	  .htcds = "cas_Status" },
	{ .name = "stage", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_nrm_stage,
	  .label_tg = "Марҳилаи ММР", .label_ru = "Этап НМП", .label_en = "NRM stage",
	  .htcds = "hmy_NRMStage" },
	{ .name = "trafficking_status", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_trafficking_status, .readonly = 1,
	  .label_tg = "Мақоми ҷабрдида", .label_ru = "Статус пострадавшего",
	  .label_en = "Trafficking status",
	  .htcds = "vic_TraffickingStatus" },
	{ .name = "assigned_to", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Корманди масъул", .label_ru = "Ответственный сотрудник",
	  .label_en = "Assigned to",
	  .htcds = "cas_CaseOwner" },
	{ .name = "opened_on", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Санаи кушодан", .label_ru = "Дата открытия", .label_en = "Opened on",
	  .htcds = "hmy_OpenedOn" },
	{ .name = "closed_on", .type = FT_DATE, .cls = FC_CODED, .readonly = 1,
	  .label_tg = "Санаи бастан", .label_ru = "Дата закрытия", .label_en = "Closed on",
	  .htcds = "hmy_ClosedOn" },
	{ .name = "closure_reason", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_case_closure_reason, .readonly = 1,
	  .label_tg = "Сабаби бастан", .label_ru = "Причина закрытия",
	  .label_en = "Closure reason",
	  .htcds = "cas_ReasonForCaseClosure" },
	{ .name = "previous_case_id", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Парвандаи қаблӣ (такроран ба савдои одамон ҷалб шудан)",
	  .label_ru = "Предыдущий случай (повторное вовлечение в торговлю людьми)",
	  .label_en = "Earlier case (re-trafficked)",
	  .htcds = "hmy_PreviousCaseId" },
	{ .name = "exploitation_types", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_type_of_exploitation, .maxitems = 11,
	  .label_tg = "Шаклҳои истисмор", .label_ru = "Виды эксплуатации",
	  .label_en = "Types of exploitation",
	  .htcds = "vic_TypeOfExploitation", .ctdc = "typeOfExploit",
	  .ctdc_values = ctdc_exploitation },
	{ .name = "sex_exploitation_types", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_type_of_sex_exploitation, .maxitems = 4,
	  .label_tg = "Шаклҳои истисмори ҷинсӣ", .label_ru = "Формы сексуальной эксплуатации",
	  .label_en = "Forms of sexual exploitation",
	  .htcds = "vic_TypeOfSexExploitation", .ctdc = "typeOfSex",
	  .ctdc_values = ctdc_sex },
	{ .name = "labour_sector", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_forced_labour_industry_isic4,
	  .label_tg = "Соҳаи кор (ISIC)", .label_ru = "Отрасль труда (ISIC)",
	  .label_en = "Labour sector (ISIC)",
	  .htcds = "vic_ForcedLabourIndustry", .htcds_values = htcds_isic,
	  .ctdc = "typeOfLabour", .ctdc_values = ctdc_labour },
	{ .name = "means_of_control", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_methods_of_control, .maxitems = 40,
	  .label_tg = "Воситаҳои назорат", .label_ru = "Средства контроля",
	  .label_en = "Means of control",
	  .htcds = "vic_MethodsOfControl", .ctdc = "meansOfControl",
	  .ctdc_values = ctdc_control },
	{ .name = "recruitment_method", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_method_of_recruitment,
	  .label_tg = "Усули ҷалб", .label_ru = "Способ вербовки",
	  .label_en = "Recruitment method",
	  .htcds = "vic_MethodOfRecruitment" },
	{ .name = "recruitment_apps", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_recruitment_apps, .maxitems = 15,
	  .label_tg = "Барномаҳои ҷалб", .label_ru = "Приложения вербовки",
	  .label_en = "Recruitment apps",
	  .htcds = "vic_RecruitmentWebsitesAndApps" },
	{ .name = "recruiter_relation", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_relationship_to_trafficker,
	  .label_tg = "Муносибат бо ҷалбкунанда", .label_ru = "Кем приходится вербовщик",
	  .label_en = "Relation to the recruiter",
	  .htcds = "vic_RelationshipToTrafficker", .ctdc = "recruiterRelation",
	  .ctdc_values = ctdc_recruiter },
	{ .name = "recruitment_place", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 200,
	  .label_tg = "Ҷойи ҷалб", .label_ru = "Место вербовки", .label_en = "Place of recruitment" },
	{ .name = "countries_of_exploitation", .type = FT_COUNTRY_LIST, .cls = FC_CODED,
	  .maxitems = 10,
	  .label_tg = "Кишварҳои истисмор", .label_ru = "Страны эксплуатации",
	  .label_en = "Countries of exploitation",
	  .htcds = "vic_LocationOfExploitation", .ctdc = "CountryOfExploitation" },
	{ .name = "exploitation_start", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Оғози истисмор", .label_ru = "Начало эксплуатации",
	  .label_en = "Exploitation began",
	  .htcds = "hmy_ExploitationStart" },
	{ .name = "exploitation_end", .type = FT_DATE, .cls = FC_CODED,
	  .not_before = "exploitation_start",
	  .label_tg = "Анҷоми истисмор", .label_ru = "Конец эксплуатации",
	  .label_en = "Exploitation ended",
	  .htcds = "hmy_ExploitationEnd" },
	{ .name = "perpetrator_roles", .type = FT_CODE_LIST, .cls = FC_CODED,
	  .codes = &cl_perpetrator_role, .maxitems = 20,
	  .label_tg = "Нақши ҷинояткорон", .label_ru = "Роли преступников",
	  .label_en = "Perpetrator roles",
	  .htcds = "per_RoleInProcess", .ctdc = "isAbduction", .ctdc_values = ctdc_roles },
	{ .name = "trafficking_events", .type = FT_OBJECT_LIST, .cls = FC_SENSITIVE,
	  .maxitems = 30, .sub = &trafficking_event_schema,
	  .label_tg = "Рӯйдодҳои савдои одамон", .label_ru = "События торговли людьми",
	  .label_en = "Trafficking events",
	  .htcds = "hte_" },
	{ .name = "summary", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 20000,
	  .label_tg = "Хулосаи парванда", .label_ru = "Краткое описание случая",
	  .label_en = "Case summary" },
};
SCHEMA(case_schema, "case", case_fields);

/* ---- records of a case -------------------------------------------- */

static const struct field note_fields[] = {
	{ .name = "type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_note_type, .required = 1,
	  .label_tg = "Навъ", .label_ru = "Тип", .label_en = "Type" },
	{ .name = "date", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Сана", .label_ru = "Дата", .label_en = "Date" },
	{ .name = "text", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 20000, .required = 1,
	  .label_tg = "Матн", .label_ru = "Текст", .label_en = "Text" },
};
SCHEMA(note_schema, "note", note_fields);

static const struct field decision_fields[] = {
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_trafficking_status,
	  .required = 1,
	  .label_tg = "Мақом", .label_ru = "Статус", .label_en = "Status" },
	/* Derived from the deciding user's organisation (domain/casework.h:
	 * casework_decider), never sent. */
	{ .name = "decided_by", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_trafficking_status_decider, .readonly = 1,
	  .label_tg = "Мақоми қабулкунанда", .label_ru = "Орган, принявший решение",
	  .label_en = "Decided by",
	  .htcds = "vic_TraffickingStatusDecisionMakingOrg" },
	{ .name = "decided_by_org", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 64, .readonly = 1,
	  .label_tg = "Ташкилоти қабулкунанда", .label_ru = "Организация, принявшая решение",
	  .label_en = "Deciding organisation" },
	/* Recorded before decided_by was derived (migration 16): its value
	 * was chosen by the user who recorded it. */
	{ .name = "before_rule", .type = FT_BOOL, .cls = FC_CODED, .readonly = 1,
	  .label_tg = "Пеш аз қоида сабт шудааст", .label_ru = "Записано до правила",
	  .label_en = "Recorded before the rule" },
	/* An organisation's assessment made after an authority's decision:
	 * kept with the decisions, the case's status stays the authority's. */
	{ .name = "case_status_kept", .type = FT_BOOL, .cls = FC_CODED, .readonly = 1,
	  .label_tg = "Ҳолати парванда аз они мақомот монд",
	  .label_ru = "Статус случая остался за решением органа",
	  .label_en = "The case kept the authority's status" },
	{ .name = "date", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Санаи қарор", .label_ru = "Дата решения", .label_en = "Date of decision",
	  .htcds = "hmy_TraffickingStatusDate" },
	{ .name = "reference", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 200,
	  .label_tg = "Рақами қарор", .label_ru = "Номер решения", .label_en = "Reference" },
};
SCHEMA(decision_schema, "status_decision", decision_fields);

static const struct field service_fields[] = {
	{ .name = "type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_assistance_service_types,
	  .required = 1,
	  .label_tg = "Навъи хизмат", .label_ru = "Вид услуги", .label_en = "Service type" },
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_service_status,
	  .required = 1,
	  .label_tg = "Ҳолат", .label_ru = "Статус", .label_en = "Status" },
	{ .name = "provider_org", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 64,
	  .label_tg = "Хизматрасон", .label_ru = "Поставщик услуги", .label_en = "Provider" },
	{ .name = "start", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1,
	  .label_tg = "Оғоз", .label_ru = "Начало", .label_en = "Start" },
	{ .name = "end", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1, .not_before = "start",
	  .label_tg = "Анҷом", .label_ru = "Окончание", .label_en = "End" },
	{ .name = "cost", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 100000000,
	  .label_tg = "Арзиш", .label_ru = "Стоимость", .label_en = "Cost" },
	{ .name = "currency", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_currency,
	  .label_tg = "Асъор", .label_ru = "Валюта", .label_en = "Currency" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
	/* A vocational course or a business start-up grant (livelihood):
	 * the trade and the grant's amount are the person's and sealed; the
	 * completion is counted by the livelihood report. */
	{ .name = "trade", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 200,
	  .label_tg = "Касб ё навъи тиҷорат", .label_ru = "Профессия или вид бизнеса",
	  .label_en = "Trade or business" },
	{ .name = "completion", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_livelihood_completion,
	  .label_tg = "Анҷоми курс", .label_ru = "Завершение курса", .label_en = "Completion" },
	{ .name = "grant_amount", .type = FT_INT, .cls = FC_SENSITIVE, .min = 0, .max = 100000000,
	  .label_tg = "Маблағи грант", .label_ru = "Сумма гранта", .label_en = "Grant amount" },
};
SCHEMA(service_schema, "service", service_fields);

static const struct field goal_fields[] = {
	{ .name = "goal", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 500, .required = 1,
	  .label_tg = "Мақсад", .label_ru = "Цель", .label_en = "Goal" },
	{ .name = "due", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1,
	  .label_tg = "Мӯҳлат", .label_ru = "Срок", .label_en = "Due" },
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_goal_status,
	  .label_tg = "Ҳолат", .label_ru = "Статус", .label_en = "Status" },
};
static SCHEMA(goal_schema, "goal", goal_fields);

static const struct field plan_fields[] = {
	{ .name = "type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_support_plan_type,
	  .required = 1,
	  .label_tg = "Навъи нақша", .label_ru = "Тип плана", .label_en = "Plan type" },
	{ .name = "goals", .type = FT_OBJECT_LIST, .cls = FC_SENSITIVE, .maxitems = 30,
	  .sub = &goal_schema,
	  .label_tg = "Мақсадҳо", .label_ru = "Цели", .label_en = "Goals" },
	{ .name = "start", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1,
	  .label_tg = "Оғоз", .label_ru = "Начало", .label_en = "Start" },
	{ .name = "review_on", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1,
	  .not_before = "start",
	  .label_tg = "Санаи баррасӣ", .label_ru = "Дата пересмотра", .label_en = "Review on" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(plan_schema, "plan", plan_fields);

static const struct field followup_fields[] = {
	{ .name = "due", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1, .required = 1,
	  .label_tg = "Мӯҳлат", .label_ru = "Срок", .label_en = "Due" },
	{ .name = "assigned_to", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Масъул", .label_ru = "Ответственный", .label_en = "Assigned to" },
	{ .name = "status", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_followup_status,
	  .label_tg = "Ҳолат", .label_ru = "Статус", .label_en = "Status" },
	{ .name = "plan_id", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Нақша", .label_ru = "План", .label_en = "Plan" },
	{ .name = "reintegration", .type = FT_BOOL, .cls = FC_CODED,
	  .label_tg = "Мониторинги ҳамгироӣ", .label_ru = "Мониторинг реинтеграции",
	  .label_en = "Reintegration monitoring" },
	{ .name = "done_on", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Санаи иҷро", .label_ru = "Дата выполнения", .label_en = "Done on" },
	{ .name = "outcome", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 5000,
	  .label_tg = "Натиҷа", .label_ru = "Результат", .label_en = "Outcome" },
	/* A livelihood follow-up: months after the course or grant ended
	 * (3, 6, 12; scheduled with the service, see casework.h), and what
	 * the person lives on then, counted by the livelihood report. */
	{ .name = "service_id", .type = FT_ID, .cls = FC_CODED,
	  .label_tg = "Хизмат", .label_ru = "Услуга", .label_en = "Service" },
	{ .name = "months_after", .type = FT_INT, .cls = FC_CODED, .min = 1, .max = 60,
	  .label_tg = "Моҳ пас аз анҷом", .label_ru = "Месяцев после окончания",
	  .label_en = "Months after the end" },
	{ .name = "employment", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_employment_status,
	  .label_tg = "Шуғл", .label_ru = "Занятость", .label_en = "Employment" },
	{ .name = "income_band", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_income_band,
	  .label_tg = "Даромади моҳона", .label_ru = "Месячный доход", .label_en = "Monthly income" },
	{ .name = "business_running", .type = FT_BOOL, .cls = FC_CODED,
	  .label_tg = "Тиҷорат фаъол аст", .label_ru = "Бизнес работает",
	  .label_en = "Business still running" },
	{ .name = "remittance_dependence", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_remittance_dependence,
	  .label_tg = "Вобастагӣ аз интиқоли пул", .label_ru = "Зависимость от денежных переводов",
	  .label_en = "Dependence on remittances" },
};
SCHEMA(followup_schema, "followup", followup_fields);

/* A best-interests assessment of a child's case (issue 15): when, by
 * whom, whether the child was heard, what was found and recommended. */
static const struct field best_interests_fields[] = {
	{ .name = "date", .type = FT_DATE, .cls = FC_CODED, .required = 1,
	  .label_tg = "Санаи арзёбӣ", .label_ru = "Дата оценки", .label_en = "Date of assessment" },
	{ .name = "child_heard", .type = FT_BOOL, .cls = FC_CODED, .required = 1,
	  .label_tg = "Фикри кӯдак шунида шуд", .label_ru = "Мнение ребёнка заслушано",
	  .label_en = "The child was heard" },
	{ .name = "guardian_present", .type = FT_BOOL, .cls = FC_CODED,
	  .label_tg = "Васӣ ҳузур дошт", .label_ru = "Присутствовал опекун",
	  .label_en = "A guardian was present" },
	{ .name = "outcome", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_best_interests_outcome,
	  .required = 1,
	  .label_tg = "Тавсия", .label_ru = "Рекомендация", .label_en = "Recommendation" },
	{ .name = "findings", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 20000,
	  .label_tg = "Хулосаҳо", .label_ru = "Выводы", .label_en = "Findings" },
	{ .name = "review_on", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1,
	  .not_before = "date",
	  .label_tg = "Санаи баррасӣ", .label_ru = "Дата пересмотра", .label_en = "Review on" },
};
SCHEMA(best_interests_schema, "best_interests", best_interests_fields);

/* ---- consent, per person ------------------------------------------ */

static const struct field consent_fields[] = {
	{ .name = "purpose", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_consent_purpose,
	  .required = 1,
	  .label_tg = "Мақсад", .label_ru = "Цель", .label_en = "Purpose" },
	{ .name = "recipient_org", .type = FT_TEXT, .cls = FC_CODED, .maxlen = 64,
	  .label_tg = "Ташкилоти гиранда", .label_ru = "Организация-получатель",
	  .label_en = "Recipient organisation" },
	{ .name = "recipient_type", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_org_type,
	  .label_tg = "Навъи гиранда", .label_ru = "Тип получателя", .label_en = "Recipient type" },
	{ .name = "method", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_consent_method,
	  .required = 1,
	  .label_tg = "Тарзи розигӣ", .label_ru = "Способ согласия", .label_en = "Method" },
	{ .name = "given_on", .type = FT_DATE, .cls = FC_CODED,
	  .label_tg = "Санаи розигӣ", .label_ru = "Дата согласия", .label_en = "Given on" },
	{ .name = "expires", .type = FT_DATE, .cls = FC_CODED, .future_ok = 1,
	  .not_before = "given_on",
	  .label_tg = "То", .label_ru = "Действует до", .label_en = "Expires" },
	/* A minor's consent is given by a guardian or legal representative
	 * (issue 15): who, and in what relation (api/items.c checks it). */
	{ .name = "given_by", .type = FT_CODE, .cls = FC_CODED, .codes = &cl_consent_giver,
	  .label_tg = "Розигӣ дода шуд аз ҷониби", .label_ru = "Согласие дал",
	  .label_en = "Given by" },
	{ .name = "guardian_name", .type = FT_TEXT, .cls = FC_PII, .maxlen = 200,
	  .label_tg = "Ному насаби васӣ ё намояндаи қонунӣ",
	  .label_ru = "ФИО опекуна или законного представителя",
	  .label_en = "Guardian's or representative's name" },
	{ .name = "guardian_relation", .type = FT_CODE, .cls = FC_CODED,
	  .codes = &cl_guardian_relation,
	  .label_tg = "Муносибат бо кӯдак", .label_ru = "Кем приходится ребёнку",
	  .label_en = "Relation to the child" },
	{ .name = "withdrawn_on", .type = FT_DATE, .cls = FC_CODED, .readonly = 1,
	  .label_tg = "Санаи бозхонд", .label_ru = "Дата отзыва", .label_en = "Withdrawn on" },
	{ .name = "notes", .type = FT_TEXT, .cls = FC_SENSITIVE, .maxlen = 2000,
	  .label_tg = "Эзоҳ", .label_ru = "Примечания", .label_en = "Notes" },
};
SCHEMA(consent_schema, "consent", consent_fields);
