/*
 * indicators.c - the indicator sets as data: the ILO/EC "Delphi"
 * operational indicators for adults trafficked for labour exploitation
 * (2009), one entry per row of reference/indicators-delphi-adult-labour.csv
 * in the CSV's order, the names of their six dimensions, and the ILO 11
 * indicators of forced labour (2012) for the hotline's checklist, with
 * the codes of reference/codes.json (ilo_forced_labour_indicators).
 *
 * English labels are the CSV's, verbatim.  Tajik and Russian labels are
 * written as the items of a screening form read by a case worker: short
 * statements of what was found, in the register of IOM's forms in
 * Tajikistan (ҷалб "recruitment", истисмор "exploitation", ҷабрдида
 * "victim", ҷойи таъинот "destination", асорати қарзӣ "debt bondage";
 * вербовка, эксплуатация, пострадавший/жертва, место назначения,
 * долговая кабала).  Items repeated across dimensions (documents, debt
 * bondage, threats) carry the same wording in every dimension.  To be
 * checked by native speakers before the first field use.
 */
#include <string.h>

#include "indicators.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Delphi: adults trafficked for labour exploitation ------------------ */

static const struct indicator delphi_adult_labour_items[] = {
	/* D1 deceptive recruitment */
	{ "D1-S1", 1, STRENGTH_STRONG,
	  "Фиреб дар бораи хусусияти кор, ҷойи кор ё корфармо",
	  "Обман относительно характера работы, места работы или работодателя",
	  "Deceived about the nature of the job, its location or the employer" },
	{ "D1-M1", 1, STRENGTH_MEDIUM,
	  "Фиреб дар бораи шароити кор",
	  "Обман относительно условий труда",
	  "Deceived about conditions of work" },
	{ "D1-M2", 1, STRENGTH_MEDIUM,
	  "Фиреб дар бораи мундариҷа ё қонунӣ будани шартномаи меҳнатӣ",
	  "Обман относительно содержания или законности трудового договора",
	  "Deceived about the content or legality of the work contract" },
	{ "D1-M3", 1, STRENGTH_MEDIUM,
	  "Фиреб дар бораи имконияти ба оила ҳамроҳ шудан",
	  "Обман относительно воссоединения с семьей",
	  "Deceived about family reunification" },
	{ "D1-M4", 1, STRENGTH_MEDIUM,
	  "Фиреб дар бораи манзил ва шароити зиндагӣ",
	  "Обман относительно жилья и условий проживания",
	  "Deceived about housing and living conditions" },
	{ "D1-M5", 1, STRENGTH_MEDIUM,
	  "Фиреб дар бораи ҳуҷҷатгузорӣ ё гирифтани мақоми қонунии муҳоҷир",
	  "Обман относительно оформления документов или получения легального статуса мигранта",
	  "Deceived about legal documentation or obtaining legal migrant status" },
	{ "D1-M6", 1, STRENGTH_MEDIUM,
	  "Фиреб дар бораи шароити сафар ва ба кор ҷалб кардан",
	  "Обман относительно условий поездки и вербовки",
	  "Deceived about travel and recruitment conditions" },
	{ "D1-M7", 1, STRENGTH_MEDIUM,
	  "Фиреб дар бораи музди меҳнат ё даромад",
	  "Обман относительно заработной платы или доходов",
	  "Deceived about wages or earnings" },
	{ "D1-M8", 1, STRENGTH_MEDIUM,
	  "Фиреб бо ваъдаи издивоҷ ё фарзандхонӣ",
	  "Обман посредством обещания брака или усыновления",
	  "Deceived through promises of marriage or adoption" },
	{ "D1-W1", 1, STRENGTH_WEAK,
	  "Фиреб дар бораи имконияти таҳсил",
	  "Обман относительно возможности получить образование",
	  "Deceived about access to education opportunities" },

	/* D2 coercive recruitment */
	{ "D2-S1", 2, STRENGTH_STRONG,
	  "Зӯроварӣ нисбат ба ҷабрдида ҳангоми ҷалб",
	  "Насилие в отношении пострадавшего при вербовке",
	  "Violence on victims during recruitment" },
	{ "D2-M1", 2, STRENGTH_MEDIUM,
	  "Одамрабоӣ, издивоҷи маҷбурӣ, фарзандхонии маҷбурӣ ё фурӯхтани ҷабрдида",
	  "Похищение, принудительный брак, принудительное усыновление или продажа пострадавшего",
	  "Abduction, forced marriage, forced adoption or selling of the victim" },
	{ "D2-M2", 2, STRENGTH_MEDIUM,
	  "Гирифтани ҳуҷҷатҳо",
	  "Изъятие документов",
	  "Confiscation of documents" },
	{ "D2-M3", 2, STRENGTH_MEDIUM,
	  "Асорати қарзӣ",
	  "Долговая кабала",
	  "Debt bondage" },
	{ "D2-M4", 2, STRENGTH_MEDIUM,
	  "Ҷудо кардан аз дигарон, дар ҷойи маҳкам нигоҳ доштан ё назорати доимӣ",
	  "Изоляция, удержание взаперти или постоянная слежка",
	  "Isolation, confinement or surveillance" },
	{ "D2-M5", 2, STRENGTH_MEDIUM,
	  "Таҳдиди ба мақомот хабар додан",
	  "Угроза донести властям",
	  "Threat of denunciation to authorities" },
	{ "D2-M6", 2, STRENGTH_MEDIUM,
	  "Таҳдиди ба оила ё маҳалла хабар додан ё ба ҳама ошкор кардан",
	  "Угроза сообщить семье, окружению или предать огласке",
	  "Threat to inform family, community or public" },
	{ "D2-M7", 2, STRENGTH_MEDIUM,
	  "Зӯроварӣ нисбат ба аъзои оила (таҳдид ё воқеӣ)",
	  "Насилие в отношении семьи (угрозы или фактическое)",
	  "Violence on family (threats or effective)" },
	{ "D2-M8", 2, STRENGTH_MEDIUM,
	  "Нигоҳ доштан ё надодани пул",
	  "Удержание денег",
	  "Withholding of money" },
	{ "D2-M9", 2, STRENGTH_MEDIUM,
	  "Таҳдиди зӯроварӣ нисбат ба ҷабрдида",
	  "Угрозы насилием в отношении пострадавшего",
	  "Threats of violence against the victim" },

	/* D3 recruitment by abuse of vulnerability */
	{ "D3-M1", 3, STRENGTH_MEDIUM,
	  "Сӯиистифода аз вазъи душвори оила",
	  "Злоупотребление тяжелым положением семьи",
	  "Abuse of a difficult family situation" },
	{ "D3-M2", 3, STRENGTH_MEDIUM,
	  "Сӯиистифода аз мақоми ғайриқонунӣ",
	  "Злоупотребление нелегальным статусом",
	  "Abuse of illegal status" },
	{ "D3-M3", 3, STRENGTH_MEDIUM,
	  "Сӯиистифода аз сатҳи пасти таҳсилот (надонистани забон)",
	  "Злоупотребление недостатком образования (незнанием языка)",
	  "Abuse of lack of education (language)" },
	{ "D3-M4", 3, STRENGTH_MEDIUM,
	  "Сӯиистифода аз норасоии иттилоот",
	  "Злоупотребление недостатком информации",
	  "Abuse of lack of information" },
	{ "D3-M5", 3, STRENGTH_MEDIUM,
	  "Назорат аз ҷониби истисморгарон",
	  "Контроль со стороны эксплуататоров",
	  "Control of exploiters" },
	{ "D3-M6", 3, STRENGTH_MEDIUM,
	  "Сабабҳои иқтисодӣ",
	  "Экономические причины",
	  "Economic reasons" },
	{ "D3-M7", 3, STRENGTH_MEDIUM,
	  "Маълумоти дурӯғ дар бораи қонунҳо ва муносибати мақомот",
	  "Ложная информация о законах и отношении властей",
	  "False information about law, attitude of authorities" },
	{ "D3-M8", 3, STRENGTH_MEDIUM,
	  "Маълумоти дурӯғ дар бораи муҳоҷирати бомуваффақият",
	  "Ложная информация об успешной миграции",
	  "False information about successful migration" },
	{ "D3-M9", 3, STRENGTH_MEDIUM,
	  "Шароити оилавӣ",
	  "Семейные обстоятельства",
	  "Family situation" },
	{ "D3-M10", 3, STRENGTH_MEDIUM,
	  "Шароити шахсӣ",
	  "Личные обстоятельства",
	  "Personal situation" },
	{ "D3-M11", 3, STRENGTH_MEDIUM,
	  "Вобастагии равонӣ ва эҳсосӣ",
	  "Психологическая и эмоциональная зависимость",
	  "Psychological and emotional dependency" },
	{ "D3-M12", 3, STRENGTH_MEDIUM,
	  "Муносибат бо мақомот ё вазъи ҳуқуқӣ",
	  "Отношения с властями или правовой статус",
	  "Relationship with authorities or legal status" },
	{ "D3-M13", 3, STRENGTH_MEDIUM,
	  "Мушкилиҳо дар гузашта",
	  "Трудности в прошлом",
	  "Difficulties in the past" },
	{ "D3-M14", 3, STRENGTH_MEDIUM,
	  "Душворӣ дар ташкили сафар",
	  "Трудности с организацией поездки",
	  "Difficulty to organise the travel" },
	{ "D3-W1", 3, STRENGTH_WEAK,
	  "Сӯиистифода аз эътиқодҳои фарҳангӣ ё динӣ",
	  "Злоупотребление культурными или религиозными убеждениями",
	  "Abuse of cultural or religious beliefs" },
	{ "D3-W2", 3, STRENGTH_WEAK,
	  "Вазъи умумӣ",
	  "Общая обстановка",
	  "General context" },

	/* D4 exploitation */
	{ "D4-S1", 4, STRENGTH_STRONG,
	  "Шумораи аз ҳад зиёди рӯзҳо ё соатҳои корӣ",
	  "Чрезмерное количество рабочих дней или часов",
	  "Excessive working days or hours" },
	{ "D4-M1", 4, STRENGTH_MEDIUM,
	  "Шароити бади зиндагӣ",
	  "Плохие условия проживания",
	  "Bad living conditions" },
	{ "D4-M2", 4, STRENGTH_MEDIUM,
	  "Кори хатарнок",
	  "Опасная работа",
	  "Hazardous work" },
	{ "D4-M3", 4, STRENGTH_MEDIUM,
	  "Музди меҳнати паст ё набудани он",
	  "Низкая заработная плата или ее отсутствие",
	  "Low or no salary" },
	{ "D4-M4", 4, STRENGTH_MEDIUM,
	  "Риоя накардани қонунгузории меҳнат ё шартномаи имзошуда",
	  "Несоблюдение трудового законодательства или подписанного договора",
	  "No respect of labour laws or of the contract signed" },
	{ "D4-M5", 4, STRENGTH_MEDIUM,
	  "Набудани ҳифзи иҷтимоӣ (шартнома, суғуртаи иҷтимоӣ)",
	  "Отсутствие социальной защиты (договора, социального страхования)",
	  "No social protection (contract, social insurance)" },
	{ "D4-M6", 4, STRENGTH_MEDIUM,
	  "Шароити хеле бади кор",
	  "Очень плохие условия труда",
	  "Very bad working conditions" },
	{ "D4-M7", 4, STRENGTH_MEDIUM,
	  "Фиребкорӣ бо музди меҳнат",
	  "Манипуляции с заработной платой",
	  "Wage manipulation" },
	{ "D4-W1", 4, STRENGTH_WEAK,
	  "Набудани дастрасӣ ба таҳсил",
	  "Отсутствие доступа к образованию",
	  "No access to education" },

	/* D5 coercion at destination */
	{ "D5-S1", 5, STRENGTH_STRONG,
	  "Гирифтани ҳуҷҷатҳо",
	  "Изъятие документов",
	  "Confiscation of documents" },
	{ "D5-S2", 5, STRENGTH_STRONG,
	  "Асорати қарзӣ",
	  "Долговая кабала",
	  "Debt bondage" },
	{ "D5-S3", 5, STRENGTH_STRONG,
	  "Ҷудо кардан аз дигарон, дар ҷойи маҳкам нигоҳ доштан ё назорати доимӣ",
	  "Изоляция, удержание взаперти или постоянная слежка",
	  "Isolation, confinement or surveillance" },
	{ "D5-S4", 5, STRENGTH_STRONG,
	  "Зӯроварӣ нисбат ба ҷабрдида",
	  "Насилие в отношении пострадавшего",
	  "Violence on victims" },
	{ "D5-M1", 5, STRENGTH_MEDIUM,
	  "Маҷбур кардан ба фаъолияти ғайриқонунӣ ё ҷиноятӣ",
	  "Принуждение к незаконной или преступной деятельности",
	  "Forced into illicit or criminal activities" },
	{ "D5-M2", 5, STRENGTH_MEDIUM,
	  "Маҷбур кардан ба иҷрои вазифаҳо ё хизмат ба мизоҷон",
	  "Принуждение к выполнению заданий или обслуживанию клиентов",
	  "Forced tasks or clients" },
	{ "D5-M3", 5, STRENGTH_MEDIUM,
	  "Маҷбур кардан ба амал бар зидди ҳамроҳони худ",
	  "Принуждение к действиям против товарищей",
	  "Forced to act against peers" },
	{ "D5-M4", 5, STRENGTH_MEDIUM,
	  "Маҷбур кардан, ки ба мақомот ё оила дурӯғ гӯяд",
	  "Принуждение лгать властям или семье",
	  "Forced to lie to authorities or family" },
	{ "D5-M5", 5, STRENGTH_MEDIUM,
	  "Таҳдиди ба мақомот хабар додан",
	  "Угроза донести властям",
	  "Threat of denunciation to authorities" },
	{ "D5-M6", 5, STRENGTH_MEDIUM,
	  "Таҳдиди боз ҳам бадтар кардани шароити кор",
	  "Угроза еще более ухудшить условия труда",
	  "Threat to impose even worse working conditions" },
	{ "D5-M7", 5, STRENGTH_MEDIUM,
	  "Таҳдиди зӯроварӣ нисбат ба ҷабрдида",
	  "Угрозы насилием в отношении пострадавшего",
	  "Threats of violence against the victim" },
	{ "D5-M8", 5, STRENGTH_MEDIUM,
	  "Зери таъсири шадид қарор доштан",
	  "Нахождение под сильным влиянием",
	  "Under strong influence" },
	{ "D5-M9", 5, STRENGTH_MEDIUM,
	  "Зӯроварӣ нисбат ба аъзои оила (таҳдид ё воқеӣ)",
	  "Насилие в отношении семьи (угрозы или фактическое)",
	  "Violence on family (threats or effective)" },
	{ "D5-M10", 5, STRENGTH_MEDIUM,
	  "Нигоҳ доштан ё надодани музди меҳнат",
	  "Удержание заработной платы",
	  "Withholding of wages" },
	{ "D5-W1", 5, STRENGTH_WEAK,
	  "Таҳдиди ба оила ё маҳалла хабар додан ё ба ҳама ошкор кардан",
	  "Угрозы сообщить семье, окружению или предать огласке",
	  "Threats to inform family, community or public" },

	/* D6 abuse of vulnerability at destination */
	{ "D6-M1", 6, STRENGTH_MEDIUM,
	  "Вобастагӣ аз истисморгарон",
	  "Зависимость от эксплуататоров",
	  "Dependency on exploiters" },
	{ "D6-M2", 6, STRENGTH_MEDIUM,
	  "Душвории зиндагӣ дар ҷойи ношинос",
	  "Трудности жизни в незнакомой местности",
	  "Difficulty to live in an unknown area" },
	{ "D6-M3", 6, STRENGTH_MEDIUM,
	  "Сабабҳои иқтисодӣ",
	  "Экономические причины",
	  "Economic reasons" },
	{ "D6-M4", 6, STRENGTH_MEDIUM,
	  "Шароити оилавӣ",
	  "Семейные обстоятельства",
	  "Family situation" },
	{ "D6-M5", 6, STRENGTH_MEDIUM,
	  "Муносибат бо мақомот ё вазъи ҳуқуқӣ",
	  "Отношения с властями или правовой статус",
	  "Relationship with authorities or legal status" },
	{ "D6-W1", 6, STRENGTH_WEAK,
	  "Мушкилиҳо дар гузашта",
	  "Трудности в прошлом",
	  "Difficulties in the past" },
	{ "D6-W2", 6, STRENGTH_WEAK,
	  "Хусусиятҳои шахсӣ",
	  "Личные особенности",
	  "Personal characteristics" },
};

const struct indicator_set delphi_adult_labour = {
	"delphi-adult-labour", delphi_adult_labour_items, COUNT(delphi_adult_labour_items)
};

const struct indicator_dimension indicator_dimensions[INDICATOR_DIMENSIONS] = {
	{ 1, "D1", "Ҷалб бо роҳи фиреб",
	  "Вербовка путем обмана",
	  "Deceptive recruitment" },
	{ 2, "D2", "Ҷалб бо роҳи маҷбуркунӣ",
	  "Вербовка путем принуждения",
	  "Coercive recruitment" },
	{ 3, "D3", "Ҷалб бо сӯиистифода аз ҳолати осебпазир",
	  "Вербовка путем злоупотребления уязвимым положением",
	  "Recruitment by abuse of vulnerability" },
	{ 4, "D4", "Истисмор",
	  "Эксплуатация",
	  "Exploitation" },
	{ 5, "D5", "Маҷбуркунӣ дар ҷойи таъинот",
	  "Принуждение в месте назначения",
	  "Coercion at destination" },
	{ 6, "D6", "Сӯиистифода аз ҳолати осебпазир дар ҷойи таъинот",
	  "Злоупотребление уязвимым положением в месте назначения",
	  "Abuse of vulnerability at destination" },
};

/* ---- ILO 11 indicators of forced labour (hotline checklist) ------------- */

static const struct indicator ilo_forced_labour_items[] = {
	{ "abuse_of_vulnerability", 0, STRENGTH_UNWEIGHTED,
	  "Сӯиистифода аз ҳолати осебпазир",
	  "Злоупотребление уязвимым положением",
	  "Abuse of vulnerability" },
	{ "deception", 0, STRENGTH_UNWEIGHTED,
	  "Фиреб",
	  "Обман",
	  "Deception" },
	{ "restriction_of_movement", 0, STRENGTH_UNWEIGHTED,
	  "Маҳдуд кардани озодии ҳаракат",
	  "Ограничение свободы передвижения",
	  "Restriction of movement" },
	{ "isolation", 0, STRENGTH_UNWEIGHTED,
	  "Ҷудо кардан аз дигарон",
	  "Изоляция",
	  "Isolation" },
	{ "physical_and_sexual_violence", 0, STRENGTH_UNWEIGHTED,
	  "Зӯроварии ҷисмонӣ ва ҷинсӣ",
	  "Физическое и сексуальное насилие",
	  "Physical and sexual violence" },
	{ "intimidation_and_threats", 0, STRENGTH_UNWEIGHTED,
	  "Тарсонидан ва таҳдид",
	  "Запугивание и угрозы",
	  "Intimidation and threats" },
	{ "retention_of_identity_documents", 0, STRENGTH_UNWEIGHTED,
	  "Нигоҳ доштани ҳуҷҷатҳои тасдиқкунандаи шахсият",
	  "Удержание документов, удостоверяющих личность",
	  "Retention of identity documents" },
	{ "withholding_of_wages", 0, STRENGTH_UNWEIGHTED,
	  "Нигоҳ доштан ё надодани музди меҳнат",
	  "Удержание заработной платы",
	  "Withholding of wages" },
	{ "debt_bondage", 0, STRENGTH_UNWEIGHTED,
	  "Асорати қарзӣ",
	  "Долговая кабала",
	  "Debt bondage" },
	{ "abusive_working_and_living_conditions", 0, STRENGTH_UNWEIGHTED,
	  "Шароити тоқатфарсои кор ва зиндагӣ",
	  "Недопустимые условия труда и проживания",
	  "Abusive working and living conditions" },
	{ "excessive_overtime", 0, STRENGTH_UNWEIGHTED,
	  "Изофакории аз ҳад зиёд",
	  "Чрезмерная сверхурочная работа",
	  "Excessive overtime" },
};

const struct indicator_set ilo_forced_labour = {
	"ilo-forced-labour", ilo_forced_labour_items, COUNT(ilo_forced_labour_items)
};

const struct indicator_set *const all_indicator_sets[] = {
	&delphi_adult_labour, &ilo_forced_labour,
};
const size_t all_indicator_sets_count = COUNT(all_indicator_sets);

/* ---- lookups ------------------------------------------------------------ */

const struct indicator_set *indicator_set_find(const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < all_indicator_sets_count; i++)
		if (strcmp(all_indicator_sets[i]->id, id) == 0)
			return all_indicator_sets[i];
	return NULL;
}

const struct indicator *indicator_find(const struct indicator_set *set, const char *code)
{
	size_t i;

	if (!set || !code)
		return NULL;
	for (i = 0; i < set->n; i++)
		if (strcmp(set->items[i].code, code) == 0)
			return &set->items[i];
	return NULL;
}

const struct indicator *indicator_lookup(const char *set_id, const char *code)
{
	return indicator_find(indicator_set_find(set_id), code);
}

int indicator_set_weighted(const struct indicator_set *set)
{
	size_t i;

	if (!set || set->n == 0)
		return 0;
	for (i = 0; i < set->n; i++) {
		const struct indicator *it = &set->items[i];
		if (it->dimension < 1 || it->dimension > INDICATOR_DIMENSIONS)
			return 0;
		if (it->strength != STRENGTH_STRONG && it->strength != STRENGTH_MEDIUM &&
		    it->strength != STRENGTH_WEAK)
			return 0;
	}
	return 1;
}

const char *indicator_strength_name(enum indicator_strength s)
{
	switch (s) {
	case STRENGTH_UNWEIGHTED: return "unweighted";
	case STRENGTH_STRONG: return "strong";
	case STRENGTH_MEDIUM: return "medium";
	case STRENGTH_WEAK: return "weak";
	}
	return "?";
}

/* The Delphi indicators whose "yes" answers a CTDC column: isolation,
 * confinement or surveillance (at recruitment, D2-M4, and at destination,
 * D5-S3) restrict the victim's movement. */
const struct std_value indicator_ctdc[] = {
	{"D2-M4", "meansOfControlRestrictsMovement"},
	{"D5-S3", "meansOfControlRestrictsMovement"},
	{NULL, NULL},
};
