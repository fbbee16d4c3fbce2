/*
 * public.c - the public pages, without login, for migrants and their
 * families on cheap phones and weak links (after cgit's ui-*.c: one
 * function per page, all HTML through escaping helpers):
 *
 *   /public/            the hotline number, short safety advice, links
 *   /public/kb          the knowledge base: search and list
 *   /public/kb/{id}     one published article with its sources
 *   /public/callback    the request-a-call-back form (posted to
 *                       /api/v1/public/callback-requests, hotline.c)
 *
 * Tajik, Russian and English (?lang=tg|ru|en, Tajik by default), plain
 * server-rendered HTML: no script, no inline style, no external resource
 * (one small stylesheet, /public/style.css, from web/public/).  Pages are
 * cacheable (Cache-Control public) and carry an ETag of their bytes, so a
 * phone revalidates with If-None-Match and gets a 304 without a body.
 * The form page is never cached: it carries a fresh anti-bot token.
 *
 * The hotline number comes from the configuration (hotline_number); when
 * it is not set the pages say it is to be confirmed by the programme.
 * Nothing here reads or shows anything about callers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/kb.h"
#include "domain/kbtext.h"
#include "codelists.h"

#define PUBLIC_MAX_AGE "public, max-age=300"
#define PUBLIC_LIST_MAX 100

/* ---- the words of the pages ----------------------------------------------------- */

enum msg {
	M_SITE, M_TAGLINE, M_HOTLINE, M_HOTLINE_FREE, M_TBC, M_ADVICE_TITLE, M_ADVICE1, M_ADVICE2,
	M_ADVICE3, M_ADVICE4, M_ADVICE5, M_KB, M_KB_INTRO, M_SEARCH, M_SEARCH_BTN, M_COUNTRY,
	M_TOPIC, M_ANY, M_GENERAL, M_NONE_FOUND, M_SOURCES, M_REVIEWED, M_BACK, M_CALLBACK,
	M_CALLBACK_INTRO, M_PHONE, M_TIME, M_LANGUAGE, M_MESSAGE, M_SEND, M_PRIVACY, M_NOT_FOUND,
	M_HOME, M_PUBLISHED, M_ACCESSED, M_WEBSITE, M_BY_COUNTRY, M_THANKS, M_THANKS_TEXT,
	M_PHONE_HINT, M_UNAVAILABLE, M_UNAVAILABLE_TEXT, M_NOT_RECEIVED, M_MSG_COUNT
};

static const char *const msgs[M_MSG_COUNT][KB_LANGS] = {
	[M_SITE] = {"Ҳимоя", "Химоя", "Himoya"},
	[M_TAGLINE] = {"Муҳоҷирати бехатар: маълумот ва ёрӣ",
		       "Безопасная миграция: информация и помощь",
		       "Safe migration: information and help"},
	[M_HOTLINE] = {"Хати боварӣ", "Горячая линия", "Hotline"},
	[M_HOTLINE_FREE] = {"Аз Тоҷикистон занг ройгон аст; аз хориҷа нархи занг аз рӯи тарифи алоқаи шумост: хоҳиш кунед, ки худамон ба шумо занг занем. Номатонро гуфтан шарт нест.",
			    "Из Таджикистана звонок бесплатный; из-за границы звонок оплачивается по тарифу вашей связи: закажите обратный звонок. Называть своё имя не обязательно.",
			    "From Tajikistan the call is free; from abroad your operator charges for it: ask us to call you back. You do not have to give your name."},
	[M_TBC] = {"аз ҷониби барнома тасдиқ карда мешавад",
		   "будет подтверждено программой",
		   "to be confirmed by the programme"},
	[M_ADVICE_TITLE] = {"Пеш аз сафар ва дар роҳ", "Перед поездкой и в пути",
			    "Before you go and on the way"},
	[M_ADVICE1] = {"Пешниҳоди корро пеш аз сафар санҷед: номи корфармо, суроға, шартнома ба забоне, ки мефаҳмед.",
		       "Проверьте предложение работы до отъезда: название работодателя, адрес, договор на понятном вам языке.",
		       "Check a job offer before you leave: the employer's name, address, and a contract in a language you understand."},
	[M_ADVICE2] = {"Барои ёфтани кор ба миёнарав пул надиҳед ва қарз нагиред: ин аломати хатар аст.",
		       "Не платите посреднику за трудоустройство и не берите долг за работу: это тревожный признак.",
		       "Do not pay a recruiter for a job or take a debt for it: that is a warning sign."},
	[M_ADVICE3] = {"Шиноснома ва ҳуҷҷатҳоятонро ба касе надиҳед; нусхаашонро дар хона ва дар телефон нигоҳ доред.",
		       "Не отдавайте никому паспорт и документы; храните копии дома и в телефоне.",
		       "Do not hand your passport or documents to anyone; keep copies at home and on your phone."},
	[M_ADVICE4] = {"Дар кишвари таъинот сари вақт ба қайди муҳоҷиратӣ гиред ва ҳуҷҷати ҳуқуқи корро (дар Русия — патент) гиред.",
		       "В стране назначения вовремя встаньте на миграционный учёт и оформите право на работу (в России — патент).",
		       "In the country you go to, get registered and get the right to work (in Russia, a patent) on time."},
	[M_ADVICE5] = {"Рақами сафорат ва ин хати бовариро нигоҳ доред. Агар дар душворӣ бошед, аввал ба сафорат ё ба хати боварӣ занг занед: мо ёрӣ медиҳем, ки чӣ кор кунед. Ба милитсияи маҳаллӣ муроҷиат кардан ё накарданро худатон интихоб мекунед; агар ҳуҷҷатҳоятон тартиб надошта бошанд, аввал бо мо маслиҳат кунед.",
		       "Сохраните номер посольства и этой горячей линии. Если вы в беде, сначала позвоните в посольство или на горячую линию: мы поможем решить, что делать. Обращаться ли в местную полицию, решаете вы сами; если ваши документы не в порядке, сначала посоветуйтесь с нами.",
		       "Keep the numbers of your embassy and of this hotline. If you are in trouble, call the embassy or the hotline first: we help you decide what to do. Whether to go to the local police is your choice; if your papers are not in order, talk to us first."},
	[M_KB] = {"Маълумот барои муҳоҷирон", "Справочник для мигрантов", "Information for migrants"},
	[M_KB_INTRO] = {"Маълумот аз рӯи кишвар ва мавзӯъ, бо манбаъҳо.",
			"Сведения по странам и темам, со ссылками на источники.",
			"Information by country and topic, with its sources."},
	[M_SEARCH] = {"Ҷустуҷӯ", "Поиск", "Search"},
	[M_SEARCH_BTN] = {"Ёфтан", "Найти", "Find"},
	[M_COUNTRY] = {"Кишвар", "Страна", "Country"},
	[M_TOPIC] = {"Мавзӯъ", "Тема", "Topic"},
	[M_ANY] = {"Ҳама", "Все", "All"},
	[M_GENERAL] = {"Умумӣ", "Общее", "General"},
	[M_NONE_FOUND] = {"Чизе ёфт нашуд.", "Ничего не найдено.", "Nothing found."},
	[M_SOURCES] = {"Манбаъҳо", "Источники", "Sources"},
	[M_REVIEWED] = {"Санҷида шуд", "Проверено", "Reviewed"},
	[M_BACK] = {"Ба рӯйхат", "К списку", "Back to the list"},
	[M_CALLBACK] = {"Хоҳиши занги баргашт", "Заказать обратный звонок", "Request a call back"},
	[M_CALLBACK_INTRO] = {"Рақами худро гузоред, мо ба шумо занг мезанем. Вақтеро нависед, ки гап задан бехатар аст.",
			      "Оставьте номер, и мы вам перезвоним. Укажите время, когда вам безопасно говорить.",
			      "Leave your number and we will call you back. Say when it is safe for you to talk."},
	[M_PHONE] = {"Рақами телефон", "Номер телефона", "Phone number"},
	[M_TIME] = {"Вақти қулай барои занг", "Удобное время для звонка", "A good time to call"},
	[M_LANGUAGE] = {"Забон", "Язык", "Language"},
	[M_MESSAGE] = {"Паём (ихтиёрӣ)", "Сообщение (необязательно)", "Message (optional)"},
	[M_SEND] = {"Фиристодан", "Отправить", "Send"},
	[M_PRIVACY] = {"Мо рақами шуморо танҳо барои занги баргашт истифода мебарем.",
		       "Мы используем ваш номер только для обратного звонка.",
		       "We use your number only to call you back."},
	[M_NOT_FOUND] = {"Саҳифа ёфт нашуд.", "Страница не найдена.", "Page not found."},
	[M_UNAVAILABLE] = {"Ҳоло дастрас нест", "Временно недоступно", "Not available for a moment"},
	[M_UNAVAILABLE_TEXT] = {"Лутфан пас аз чанд дақиқа бори дигар кӯшиш кунед ё ба хати боварӣ"
				" занг занед.",
				"Пожалуйста, попробуйте ещё раз через несколько минут или позвоните на"
				" горячую линию.",
				"Please try again in a few minutes, or call the hotline."},
	[M_NOT_RECEIVED] = {"Дархости шумо қабул нашуд", "Ваш запрос не получен",
			    "Your request was not received"},
	[M_HOME] = {"Асосӣ", "Главная", "Home"},
	[M_PUBLISHED] = {"нашр", "опубликовано", "published"},
	[M_ACCESSED] = {"санаи муроҷиат", "дата обращения", "accessed"},
	[M_WEBSITE] = {"Сомона (холӣ гузоред)", "Сайт (оставьте пустым)", "Website (leave empty)"},
	[M_BY_COUNTRY] = {"Аз рӯи кишвар", "По странам", "By country"},
	[M_THANKS] = {"Ташаккур", "Спасибо", "Thank you"},
	[M_THANKS_TEXT] = {"Хоҳиши шумо қабул шуд. Корманди хати боварӣ ба шумо занг мезанад.",
			   "Ваш запрос получен. Сотрудник горячей линии вам перезвонит.",
			   "Your request has been received. A hotline worker will call you back."},
	[M_PHONE_HINT] = {"Бо рамзи кишвар, масалан +992 ...", "С кодом страны, например +992 ...",
			  "With the country code, e.g. +992 ..."},
};

static const char *const lang_names[KB_LANGS] = {"Тоҷикӣ", "Русский", "English"};
static const char *const kb_countries[] = {"RU", "AE", "KZ", "TR", "SA", "AF", "TJ"};
#define N_COUNTRIES (sizeof kb_countries / sizeof kb_countries[0])

/* ---- output helpers ------------------------------------------------------------- */

static void esc(buf *b, const char *s, size_t n)
{
	size_t i, from = 0;
	for (i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, s + from, i - from);
		buf_puts(b, rep);
		from = i + 1;
	}
	buf_add(b, s + from, n - from);
}

static void escs(buf *b, const char *s)
{
	esc(b, s, strlen(s));
}

/* A query value, percent-encoded (then safe inside an attribute). */
static void urlenc(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

static int page_lang(struct req *r)
{
	int li = kb_lang_index(req_query(r, "lang"));
	return li < 0 ? KB_TG : li;
}

/* The start of every page.  self is the page's path and query without
 * the language (already safe: built from escaped or encoded parts). */
static void page_begin(struct req *r, int li, const char *title, const char *self)
{
	buf *b = &r->out;
	int i;

	buf_reset(b);
	buf_printf(b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		      "<meta name=\"referrer\" content=\"no-referrer\"><title>",
		   kb_langs[li]);
	escs(b, title);
	buf_puts(b, " · ");
	escs(b, msgs[M_SITE][li]);
	buf_puts(b, "</title><link rel=\"stylesheet\" href=\"/public/style.css\">"
		    "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head><body>\n"
		    "<header><a class=\"site\" href=\"/public/?lang=");
	buf_puts(b, kb_langs[li]);
	buf_puts(b, "\">");
	escs(b, msgs[M_SITE][li]);
	buf_puts(b, "</a><nav class=\"langs\">");
	for (i = 0; i < KB_LANGS; i++) {
		if (i == li) {
			buf_puts(b, "<strong>");
			escs(b, lang_names[i]);
			buf_puts(b, "</strong> ");
			continue;
		}
		buf_printf(b, "<a hreflang=\"%s\" href=\"%s%slang=%s\">", kb_langs[i], self,
			   strchr(self, '?') ? "&amp;" : "?", kb_langs[i]);
		escs(b, lang_names[i]);
		buf_puts(b, "</a> ");
	}
	buf_puts(b, "</nav></header>\n");
	/* The hotline on every page: the one thing a reader must find. */
	buf_puts(b, "<p class=\"hotline\">");
	escs(b, msgs[M_HOTLINE][li]);
	buf_puts(b, ": ");
	if (r->app->cfg.hotline_number[0]) {
		const char *p;
		buf_puts(b, "<a href=\"tel:");
		for (p = r->app->cfg.hotline_number; *p; p++)
			if ((*p >= '0' && *p <= '9') || *p == '+')
				buf_putc(b, *p);
		buf_puts(b, "\"><strong>");
		escs(b, r->app->cfg.hotline_number);
		buf_puts(b, "</strong></a>");
	} else {
		buf_puts(b, "<span class=\"tbc\">");
		escs(b, msgs[M_TBC][li]);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</p>\n<main>\n");
}

static void page_end(struct req *r, int li)
{
	buf *b = &r->out;
	const char *l = kb_langs[li];

	buf_printf(b, "</main>\n<footer><a href=\"/public/?lang=%s\">", l);
	escs(b, msgs[M_HOME][li]);
	buf_printf(b, "</a> · <a href=\"/public/kb?lang=%s\">", l);
	escs(b, msgs[M_KB][li]);
	buf_printf(b, "</a> · <a href=\"/public/callback?lang=%s\">", l);
	escs(b, msgs[M_CALLBACK][li]);
	buf_puts(b, "</a></footer>\n</body></html>\n");
}

static uint64_t fnv1a64(const char *p, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* Send the page built in r->out: cacheable with an ETag of its bytes
 * (304 without a body when the client has them), or not cached. */
static int page_send(struct req *r, int status, int cacheable)
{
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	r->static_data = NULL;
	if (!buf_ok(&r->out))
		return reply_problem(r, 500, "internal", "the page is too large");
	if (cacheable && status == 200) {
		const char *inm = req_header(r, "If-None-Match");
		char *etag = arena_alloc(&r->mem, 24);
		if (etag) {
			snprintf(etag, 24, "\"%016llx\"",
				 (unsigned long long)fnv1a64(r->out.data, r->out.len));
			reply_header(r, "ETag", etag);
			reply_header(r, "Cache-Control", PUBLIC_MAX_AGE);
			reply_header(r, "Vary", "Accept-Encoding");
			if (inm && !strcmp(inm, etag)) {
				buf_reset(&r->out);
				r->status = 304;
				return 304;
			}
		}
	} else if (cacheable) {
		reply_header(r, "Cache-Control", "public, max-age=60");
	}
	return status;
}

/*
 * Rendered pages that every visitor gets alike (the home page, an
 * article) are kept, so that a burst of phones costs a copy, not a query
 * and a rendering each.  An entry is good while the knowledge base has
 * not changed in this process (kb_generation(), bumped by every write of
 * api/kb.c; the hotline number is read once at start), and for
 * PAGE_CACHE_SECS at most, so that an article changed through another
 * server on the same database shows here within that (it is public
 * text: the browsers keep it 60 s anyway).  Fixed slots of fixed size:
 * nothing to free, a page too large is simply not kept.
 */
#define PAGE_CACHE_SECS 5
#define PAGE_CACHE_SLOTS 64
#define PAGE_CACHE_BYTES (24u << 10)
#define PAGE_CACHE_KEY 96

struct page_cached {
	unsigned long generation;   /* 0: empty */
	int64_t until;              /* good while the clock is before */
	char key[PAGE_CACHE_KEY];
	char etag[24];
	size_t len;
	char body[PAGE_CACHE_BYTES];
};

static struct page_cached page_cache[PAGE_CACHE_SLOTS];
static pthread_rwlock_t page_cache_lock = PTHREAD_RWLOCK_INITIALIZER;

static struct page_cached *cache_slot(const char *key)
{
	return &page_cache[fnv1a64(key, strlen(key)) % PAGE_CACHE_SLOTS];
}

/* Answer from the cache: the status sent, or 0 on a miss. */
static int cache_send(struct req *r, const char *key)
{
	struct page_cached *c = cache_slot(key);
	const char *inm = req_header(r, "If-None-Match");
	char *etag = arena_alloc(&r->mem, sizeof c->etag);
	int status = 0;

	if (!etag)
		return 0;
	pthread_rwlock_rdlock(&page_cache_lock);
	if (c->generation == kb_generation() && store_unix_now() < c->until &&
	    !strcmp(c->key, key)) {
		memcpy(etag, c->etag, sizeof c->etag);
		buf_reset(&r->out);
		if (inm && !strcmp(inm, etag)) {
			status = 304;
		} else {
			buf_add(&r->out, c->body, c->len);
			status = 200;
		}
	}
	pthread_rwlock_unlock(&page_cache_lock);
	if (!status || !buf_ok(&r->out))
		return 0;
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	r->static_data = NULL;
	reply_header(r, "ETag", etag);
	reply_header(r, "Cache-Control", PUBLIC_MAX_AGE);
	reply_header(r, "Vary", "Accept-Encoding");
	return status;
}

/* Keep the page just rendered (r->out, before page_send) under key. */
static void cache_put(struct req *r, const char *key, unsigned long generation)
{
	struct page_cached *c = cache_slot(key);

	if (!buf_ok(&r->out) || r->out.len > PAGE_CACHE_BYTES || strlen(key) >= PAGE_CACHE_KEY)
		return;
	pthread_rwlock_wrlock(&page_cache_lock);
	c->generation = generation;
	c->until = store_unix_now() + PAGE_CACHE_SECS;
	snprintf(c->key, sizeof c->key, "%s", key);
	snprintf(c->etag, sizeof c->etag, "\"%016llx\"",
		 (unsigned long long)fnv1a64(r->out.data, r->out.len));
	memcpy(c->body, r->out.data, r->out.len);
	c->len = r->out.len;
	pthread_rwlock_unlock(&page_cache_lock);
}

/* ---- articles as HTML ----------------------------------------------------------- */

static void render_inline(struct req *r, const char *s, size_t n, int li)
{
	buf *b = &r->out;
	char *line = arena_strndup(&r->mem, s, n);
	const char *p = line;
	struct kbtext_seg seg;

	if (!line)
		return;
	while (kbtext_next(&p, &seg)) {
		switch (seg.kind) {
		case KBT_SOURCE:
			buf_printf(b, "<sup><a href=\"#s%d\">[%d]</a></sup>", seg.source, seg.source);
			break;
		case KBT_TBC:
			buf_puts(b, "<span class=\"tbc\">");
			escs(b, msgs[M_TBC][li]);
			buf_puts(b, "</span> <small>(");
			esc(b, seg.s, seg.n);
			buf_puts(b, ")</small>");
			break;
		case KBT_TEXT:
		case KBT_BAD:
			esc(b, seg.s, seg.n);
			break;
		}
	}
}

/* Paragraphs are separated by blank lines; "- " starts a list item. */
static void render_body(struct req *r, const char *text, int li)
{
	buf *b = &r->out;
	const char *p = text;
	int in_p = 0, in_ul = 0;

	while (*p) {
		size_t n = strcspn(p, "\n");
		const char *line = p;
		size_t len = n;

		p += n;
		if (*p == '\n')
			p++;
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		if (len == 0) {
			if (in_p)
				buf_puts(b, "</p>\n");
			if (in_ul)
				buf_puts(b, "</ul>\n");
			in_p = in_ul = 0;
			continue;
		}
		if (len >= 2 && line[0] == '-' && line[1] == ' ') {
			if (in_p)
				buf_puts(b, "</p>\n");
			in_p = 0;
			if (!in_ul)
				buf_puts(b, "<ul>\n");
			in_ul = 1;
			buf_puts(b, "<li>");
			render_inline(r, line + 2, len - 2, li);
			buf_puts(b, "</li>\n");
			continue;
		}
		if (in_ul)
			buf_puts(b, "</ul>\n");
		in_ul = 0;
		if (!in_p)
			buf_puts(b, "<p>");
		else
			buf_puts(b, "<br>");
		in_p = 1;
		render_inline(r, line, len, li);
	}
	if (in_p)
		buf_puts(b, "</p>\n");
	if (in_ul)
		buf_puts(b, "</ul>\n");
}

static void render_sources(struct req *r, const char *sources, int li)
{
	buf *b = &r->out;
	json_t *list = json_loads(sources, 0, NULL), *s;
	size_t i;

	if (json_array_size(list) == 0) {
		json_decref(list);
		return;
	}
	buf_puts(b, "<h2>");
	escs(b, msgs[M_SOURCES][li]);
	buf_puts(b, "</h2>\n<ol class=\"sources\">\n");
	json_array_foreach(list, i, s) {
		const char *title = json_string_value(json_object_get(s, "title"));
		const char *url = json_string_value(json_object_get(s, "url"));
		const char *pub = json_string_value(json_object_get(s, "publisher"));
		const char *published = json_string_value(json_object_get(s, "published"));
		const char *accessed = json_string_value(json_object_get(s, "accessed"));

		buf_printf(b, "<li id=\"s%zu\">", i + 1);
		escs(b, title ? title : "");
		if (pub) {
			buf_puts(b, ". ");
			escs(b, pub);
		}
		if (published) {
			buf_puts(b, "; ");
			escs(b, msgs[M_PUBLISHED][li]);
			buf_putc(b, ' ');
			escs(b, published);
		}
		if (accessed) {
			buf_puts(b, "; ");
			escs(b, msgs[M_ACCESSED][li]);
			buf_putc(b, ' ');
			escs(b, accessed);
		}
		if (url) {
			/* Shown as text to copy, and as a link that sends nothing. */
			buf_puts(b, ". <a rel=\"noreferrer noopener\" href=\"");
			escs(b, url);
			buf_puts(b, "\">");
			escs(b, url);
			buf_puts(b, "</a>");
		}
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ol>\n");
	json_decref(list);
}

/* ---- pages ---------------------------------------------------------------------- */

static int page_not_found(struct req *r, int li)
{
	page_begin(r, li, msgs[M_NOT_FOUND][li], "/public/");
	buf_puts(&r->out, "<h1>");
	escs(&r->out, msgs[M_NOT_FOUND][li]);
	buf_puts(&r->out, "</h1>\n");
	page_end(r, li);
	return page_send(r, 404, 0);
}

/* The database does not answer (or the form cannot be made): a page a
 * reader can use, with the hotline at its top, not a JSON problem.
 * title is M_UNAVAILABLE, or M_NOT_RECEIVED for a form sent. */
static int page_unavailable(struct req *r, int li, enum msg title)
{
	int l;

	buf_reset(&r->out);
	page_begin(r, li, msgs[title][li], "/public/");
	/* A form carries no language: its answer speaks all three. */
	for (l = title == M_NOT_RECEIVED ? 0 : li; l < KB_LANGS; l++) {
		buf_printf(&r->out, "<section lang=\"%s\"><h1>", kb_langs[l]);
		escs(&r->out, msgs[title][l]);
		buf_puts(&r->out, "</h1>\n<p>");
		escs(&r->out, msgs[M_UNAVAILABLE_TEXT][l]);
		buf_puts(&r->out, "</p></section>\n");
		if (title != M_NOT_RECEIVED)
			break;
	}
	page_end(r, li);
	reply_header(r, "Retry-After", "60");
	reply_header(r, "Cache-Control", "no-store");
	return page_send(r, 503, 0);
}

int api_public_unavailable(struct req *r)
{
	return page_unavailable(r, page_lang(r), M_NOT_RECEIVED);
}

int api_public_home(struct req *r)
{
	int li = page_lang(r);
	buf *b = &r->out;
	size_t i;
	const char *l = kb_langs[li];

	unsigned long gen = kb_generation();
	char key[16];

	snprintf(key, sizeof key, "home|%s", l);
	if (cache_send(r, key))
		return r->status;
	page_begin(r, li, msgs[M_TAGLINE][li], "/public/");
	buf_puts(b, "<h1>");
	escs(b, msgs[M_TAGLINE][li]);
	buf_puts(b, "</h1>\n<p>");
	escs(b, msgs[M_HOTLINE_FREE][li]);
	buf_printf(b, " <a class=\"button\" href=\"/public/callback?lang=%s\">", l);
	escs(b, msgs[M_CALLBACK][li]);
	buf_puts(b, "</a></p>\n<h2>");
	escs(b, msgs[M_ADVICE_TITLE][li]);
	buf_puts(b, "</h2>\n<ul>\n");
	for (i = M_ADVICE1; i <= M_ADVICE5; i++) {
		buf_puts(b, "<li>");
		escs(b, msgs[i][li]);
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n<h2>");
	escs(b, msgs[M_KB][li]);
	buf_puts(b, "</h2>\n<ul class=\"countries\">\n");
	for (i = 0; i < N_COUNTRIES; i++) {
		buf_printf(b, "<li><a href=\"/public/kb?country=%s&amp;lang=%s\">", kb_countries[i], l);
		escs(b, kb_country_label(kb_countries[i], li));
		buf_puts(b, "</a></li>\n");
	}
	buf_printf(b, "<li><a href=\"/public/kb?lang=%s\">", l);
	escs(b, msgs[M_ANY][li]);
	buf_puts(b, "</a></li>\n</ul>\n");
	page_end(r, li);
	cache_put(r, key, gen);
	return page_send(r, 200, 1);
}

static void option(buf *b, const char *value, const char *label, const char *selected)
{
	buf_puts(b, "<option value=\"");
	escs(b, value);
	buf_putc(b, '"');
	if (selected && !strcmp(selected, value))
		buf_puts(b, " selected");
	buf_putc(b, '>');
	escs(b, label);
	buf_puts(b, "</option>");
}

int api_public_kb(struct req *r)
{
	const char *q = req_query(r, "q"), *country = req_query(r, "country");
	const char *topic = req_query(r, "topic");
	int li = page_lang(r);
	struct kb_filter f;
	struct kb_row *rows = NULL;
	size_t n = 0, i;
	buf self, *b = &r->out;
	char *selfs;

	if (q && strlen(q) > 200)
		q = NULL;
	if (country && *country && strcmp(country, "-") && !codelist_has(&cl_countries, country))
		country = NULL;
	if (topic && !codelist_has(&cl_kb_topic, topic))
		topic = NULL;
	memset(&f, 0, sizeof f);
	f.status = "published";
	f.country = country && !strcmp(country, "-") ? "" : country && *country ? country : NULL;
	f.topic = topic;
	f.limit = PUBLIC_LIST_MAX;
	if (q && *q) {
		f.nkeys = kb_query_keys(&r->mem, q, f.keys, KB_QUERY_KEYS);
		if (!f.nkeys)
			f.limit = 0;
	}
	if (store_kb_list(r->app->st, &f, &rows, &n, &r->mem) != STORE_OK)
		return page_unavailable(r, li, M_UNAVAILABLE);

	/* This page's address without the language, for the switch. */
	buf_init(&self, 2048);
	buf_puts(&self, "/public/kb?");
	if (q && *q) {
		buf_puts(&self, "q=");
		urlenc(&self, q);
		buf_puts(&self, "&amp;");
	}
	if (country && *country) {
		buf_puts(&self, "country=");
		urlenc(&self, country);
		buf_puts(&self, "&amp;");
	}
	if (topic) {
		buf_printf(&self, "topic=%s&amp;", topic);
	}
	self.len -= self.data[self.len - 1] == '?' ? 1 : 5;
	selfs = buf_ok(&self) ? arena_strndup(&r->mem, self.data, self.len) : NULL;
	buf_free(&self);
	page_begin(r, li, msgs[M_KB][li], selfs ? selfs : "/public/kb");

	buf_puts(b, "<h1>");
	escs(b, msgs[M_KB][li]);
	buf_puts(b, "</h1>\n<p>");
	escs(b, msgs[M_KB_INTRO][li]);
	buf_puts(b, "</p>\n<form method=\"get\" action=\"/public/kb\" class=\"search\">"
		    "<input type=\"hidden\" name=\"lang\" value=\"");
	buf_puts(b, kb_langs[li]);
	buf_puts(b, "\"><label>");
	escs(b, msgs[M_SEARCH][li]);
	buf_puts(b, " <input type=\"search\" name=\"q\" maxlength=\"200\" value=\"");
	escs(b, q ? q : "");
	buf_puts(b, "\"></label> <label>");
	escs(b, msgs[M_COUNTRY][li]);
	buf_puts(b, " <select name=\"country\">");
	option(b, "", msgs[M_ANY][li], country);
	for (i = 0; i < N_COUNTRIES; i++)
		option(b, kb_countries[i], kb_country_label(kb_countries[i], li), country);
	option(b, "-", msgs[M_GENERAL][li], country);
	buf_puts(b, "</select></label> <label>");
	escs(b, msgs[M_TOPIC][li]);
	buf_puts(b, " <select name=\"topic\">");
	option(b, "", msgs[M_ANY][li], topic);
	for (i = 0; i < cl_kb_topic.n; i++)
		option(b, cl_kb_topic.codes[i], kb_topic_label(cl_kb_topic.codes[i], li), topic);
	buf_puts(b, "</select></label> <button type=\"submit\">");
	escs(b, msgs[M_SEARCH_BTN][li]);
	buf_puts(b, "</button></form>\n");

	if (n == 0) {
		buf_puts(b, "<p>");
		escs(b, msgs[M_NONE_FOUND][li]);
		buf_puts(b, "</p>\n");
	} else {
		buf_puts(b, "<ul class=\"articles\">\n");
		for (i = 0; i < n; i++) {
			buf_printf(b, "<li><a href=\"/public/kb/%s?lang=%s\">", rows[i].id, kb_langs[li]);
			escs(b, rows[i].title[li]);
			buf_puts(b, "</a> <small>");
			escs(b, kb_country_label(rows[i].country, li));
			buf_puts(b, " · ");
			escs(b, kb_topic_label(rows[i].topic, li));
			buf_puts(b, "</small></li>\n");
		}
		buf_puts(b, "</ul>\n");
	}
	page_end(r, li);
	return page_send(r, 200, 1);
}

int api_public_kb_article(struct req *r)
{
	int li = page_lang(r);
	struct kb_row k;
	buf *b = &r->out;
	unsigned long gen = kb_generation();
	char self[64], key[PAGE_CACHE_KEY];

	snprintf(key, sizeof key, "kb|%s|%s", r->params[0], kb_langs[li]);
	if (cache_send(r, key))
		return r->status;
	int rc = store_kb_get(r->app->st, r->params[0], &k, &r->mem);

	if (rc != STORE_OK && rc != STORE_NOT_FOUND)
		return page_unavailable(r, li, M_UNAVAILABLE);
	if (rc != STORE_OK || strcmp(k.status, "published"))
		return page_not_found(r, li);
	snprintf(self, sizeof self, "/public/kb/%s", k.id);
	page_begin(r, li, k.title[li], self);
	buf_puts(b, "<article>\n<h1>");
	escs(b, k.title[li]);
	buf_puts(b, "</h1>\n<p class=\"meta\">");
	escs(b, kb_country_label(k.country, li));
	buf_puts(b, " · ");
	escs(b, kb_topic_label(k.topic, li));
	if (k.reviewed_on[0]) {
		buf_puts(b, " · ");
		escs(b, msgs[M_REVIEWED][li]);
		buf_putc(b, ' ');
		escs(b, k.reviewed_on);
	}
	buf_puts(b, "</p>\n");
	render_body(r, k.body[li], li);
	render_sources(r, k.sources, li);
	buf_printf(b, "</article>\n<p><a href=\"/public/kb?lang=%s\">", kb_langs[li]);
	escs(b, msgs[M_BACK][li]);
	buf_puts(b, "</a></p>\n");
	page_end(r, li);
	cache_put(r, key, gen);
	return page_send(r, 200, 1);
}

/* The request-a-call-back form.  It is never cached: every page carries a
 * fresh anti-bot token (callbacks.c), valid from 3 seconds to 2 hours
 * after it was made.  The limits match what the handler accepts. */
int api_public_callback(struct req *r)
{
	int li = page_lang(r), i;
	buf *b = &r->out;
	char token[64];

	if (api_public_form_token(token, sizeof token) == 0)
		return page_unavailable(r, li, M_UNAVAILABLE);
	page_begin(r, li, msgs[M_CALLBACK][li], "/public/callback");
	buf_puts(b, "<h1>");
	escs(b, msgs[M_CALLBACK][li]);
	buf_puts(b, "</h1>\n<p>");
	escs(b, msgs[M_CALLBACK_INTRO][li]);
	buf_puts(b, "</p>\n<form class=\"callback\" method=\"post\" action=\"/api/v1/public/callback-requests\""
		    " enctype=\"application/x-www-form-urlencoded\" accept-charset=\"utf-8\">\n"
		    "<input type=\"hidden\" name=\"token\" value=\"");
	escs(b, token);
	buf_puts(b, "\">\n<p><label for=\"phone\">");
	escs(b, msgs[M_PHONE][li]);
	buf_puts(b, "</label><br><input id=\"phone\" name=\"phone\" type=\"tel\" required maxlength=\"32\""
		    " autocomplete=\"tel\" inputmode=\"tel\" placeholder=\"+992\"><br><small>");
	escs(b, msgs[M_PHONE_HINT][li]);
	buf_puts(b, "</small></p>\n<p><label for=\"preferred_time\">");
	escs(b, msgs[M_TIME][li]);
	buf_puts(b, "</label><br><input id=\"preferred_time\" name=\"preferred_time\" maxlength=\"64\""
		    " autocomplete=\"off\"></p>\n<p><label for=\"language\">");
	escs(b, msgs[M_LANGUAGE][li]);
	buf_puts(b, "</label><br><select id=\"language\" name=\"language\">");
	for (i = 0; i < KB_LANGS; i++)
		option(b, kb_langs[i], lang_names[i], kb_langs[li]);
	buf_puts(b, "</select></p>\n<p><label for=\"message\">");
	escs(b, msgs[M_MESSAGE][li]);
	buf_puts(b, "</label><br><textarea id=\"message\" name=\"message\" rows=\"3\" maxlength=\"500\""
		    " autocomplete=\"off\"></textarea></p>\n<p class=\"hp\" aria-hidden=\"true\"><label>");
	escs(b, msgs[M_WEBSITE][li]);
	buf_puts(b, " <input name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></label></p>\n"
		    "<p><button type=\"submit\">");
	escs(b, msgs[M_SEND][li]);
	buf_puts(b, "</button></p>\n</form>\n<p><small>");
	escs(b, msgs[M_PRIVACY][li]);
	buf_puts(b, "</small></p>\n");
	page_end(r, li);
	reply_header(r, "Cache-Control", "no-store");
	return page_send(r, 200, 0);
}

/* The answer to a form submission (the handler in callbacks.c calls it
 * for an application/x-www-form-urlencoded body): one fixed page in the
 * three languages, the same whatever was sent, echoing nothing. */
int api_public_thanks(struct req *r)
{
	buf *b = &r->out;
	int li;

	buf_reset(b);
	buf_puts(b, "<!doctype html>\n<html lang=\"tg\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		    "<meta name=\"referrer\" content=\"no-referrer\"><title>");
	escs(b, msgs[M_THANKS][KB_TG]);
	buf_puts(b, "</title><link rel=\"stylesheet\" href=\"/public/style.css\">"
		    "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head><body>\n<main>\n");
	for (li = 0; li < KB_LANGS; li++) {
		buf_printf(b, "<section lang=\"%s\" class=\"thanks\"><h1>", kb_langs[li]);
		escs(b, msgs[M_THANKS][li]);
		buf_puts(b, "</h1><p>");
		escs(b, msgs[M_THANKS_TEXT][li]);
		buf_printf(b, "</p><p><a href=\"/public/?lang=%s\">", kb_langs[li]);
		escs(b, msgs[M_HOME][li]);
		buf_puts(b, "</a></p></section>\n");
	}
	buf_puts(b, "</main>\n</body></html>\n");
	reply_header(r, "Cache-Control", "no-store");
	return page_send(r, 202, 0);
}
