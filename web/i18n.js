// i18n.js - every string of the UI, in Tajik (the default), Russian and
// English, and the helpers that put them on the page.
//
// A key maps to its three texts side by side, so a missing translation is
// seen at a glance (tests/browser/i18n.test.mjs checks that none is missing).
// Markup asks for a text with data-i18n="key" (textContent),
// data-i18n-placeholder, data-i18n-aria-label or data-i18n-title;
// applyI18n() fills them, and again after every change of language.

export const LANGS = ['tg', 'ru', 'en'];
export const DEFAULT_LANG = 'tg';
const STORAGE_KEY = 'himoya.lang';

export const catalogue = {
  'app.name': { tg: 'Ҳимоя', ru: 'Химоя', en: 'Himoya' },
  'app.tagline': {
    tg: 'Низоми иттилоотии ҳифзи муҳоҷирон ва муқовимат ба савдои одамон',
    ru: 'Информационная система защиты мигрантов и противодействия торговле людьми',
    en: 'Migrant protection and counter-trafficking information system',
  },
  'app.loading': { tg: 'Боркунӣ…', ru: 'Загрузка…', en: 'Loading…' },
  'app.skip': { tg: 'Гузаштан ба мундариҷа', ru: 'Перейти к содержимому', en: 'Skip to content' },
  'app.noscript': {
    tg: 'Барои кор бо Ҳимоя JavaScript-ро дар браузер фаъол созед.',
    ru: 'Для работы с Химоя включите JavaScript в браузере.',
    en: 'Please enable JavaScript in your browser to use Himoya.',
  },

  'lang.label': { tg: 'Забон', ru: 'Язык', en: 'Language' },

  'login.title': { tg: 'Ворид шудан ба низом', ru: 'Вход в систему', en: 'Sign in' },
  'login.login': { tg: 'Номи корбар', ru: 'Логин', en: 'Login' },
  'login.password': { tg: 'Парол', ru: 'Пароль', en: 'Password' },
  'login.submit': { tg: 'Ворид шудан', ru: 'Войти', en: 'Sign in' },
  'login.totp_intro': {
    tg: 'Рамзи 6-рақамаро аз барномаи тасдиқкунанда дар телефонатон ворид кунед.',
    ru: 'Введите 6-значный код из приложения-аутентификатора на телефоне.',
    en: 'Enter the 6-digit code from the authenticator app on your phone.',
  },
  'login.totp': { tg: 'Рамзи тасдиқ', ru: 'Код подтверждения', en: 'Verification code' },
  'login.verify': { tg: 'Тасдиқ кардан', ru: 'Подтвердить', en: 'Verify' },
  'login.back': { tg: 'Бозгашт', ru: 'Назад', en: 'Back' },
  'login.notice': {
    tg: 'Дар ин низом маълумоти махфӣ нигоҳ дошта мешавад. Ворид шудан танҳо ба корбарони ваколатдор иҷозат аст.',
    ru: 'Система содержит конфиденциальные данные. Вход разрешён только уполномоченным пользователям.',
    en: 'This system holds confidential data. Only authorised users may sign in.',
  },

  'error.required': {
    tg: 'Номи корбар ва паролро ворид кунед.',
    ru: 'Введите логин и пароль.',
    en: 'Enter your login and password.',
  },
  'error.credentials': {
    tg: 'Номи корбар ё парол нодуруст аст.',
    ru: 'Неверный логин или пароль.',
    en: 'Wrong login or password.',
  },
  'error.totp_format': {
    tg: 'Рамз бояд аз 6 рақам иборат бошад.',
    ru: 'Код должен состоять из 6 цифр.',
    en: 'The code must be 6 digits.',
  },
  'error.totp': {
    tg: 'Рамз нодуруст аст. Бори дигар кӯшиш кунед.',
    ru: 'Неверный код. Попробуйте ещё раз.',
    en: 'Wrong code. Please try again.',
  },
  'error.rate': {
    tg: 'Кӯшишҳо аз ҳад зиёд шуданд. Баъдтар боз кӯшиш кунед.',
    ru: 'Слишком много попыток. Попробуйте позже.',
    en: 'Too many attempts. Please try again later.',
  },
  'error.network': {
    tg: 'Бо сервер пайваст шудан муяссар нашуд. Пайвастро санҷед ва боз кӯшиш кунед.',
    ru: 'Не удалось связаться с сервером. Проверьте подключение и попробуйте снова.',
    en: 'Could not reach the server. Check your connection and try again.',
  },
  'error.server': {
    tg: 'Хатои ғайричашмдошт рух дод. Баъдтар боз кӯшиш кунед.',
    ru: 'Произошла непредвиденная ошибка. Попробуйте позже.',
    en: 'Something went wrong. Please try again later.',
  },
  'error.session': {
    tg: 'Ҷаласаи корӣ ба охир расид. Лутфан, аз нав ворид шавед.',
    ru: 'Сеанс завершён. Пожалуйста, войдите снова.',
    en: 'Your session has ended. Please sign in again.',
  },

  'frame.menu': { tg: 'Меню', ru: 'Меню', en: 'Menu' },
  'frame.nav': { tg: 'Менюи асосӣ', ru: 'Главное меню', en: 'Main menu' },
  'frame.user': { tg: 'Корбар', ru: 'Пользователь', en: 'User' },
  'frame.logout': { tg: 'Баромадан', ru: 'Выйти', en: 'Sign out' },
  'frame.welcome': { tg: 'Хуш омадед!', ru: 'Добро пожаловать!', en: 'Welcome!' },
  'frame.welcome_lead': {
    tg: 'Бахши лозимиро аз меню интихоб кунед.',
    ru: 'Выберите нужный раздел в меню.',
    en: 'Choose a section from the menu.',
  },
  'frame.preparing': {
    tg: 'Ин бахш ҳоло омода карда мешавад.',
    ru: 'Этот раздел пока готовится.',
    en: 'This section is being prepared.',
  },
  'frame.not_found': {
    tg: 'Саҳифа ёфт нашуд.',
    ru: 'Страница не найдена.',
    en: 'Page not found.',
  },

  'nav.home': { tg: 'Саҳифаи асосӣ', ru: 'Главная', en: 'Home' },
  'nav.cases': { tg: 'Парвандаҳо', ru: 'Случаи', en: 'Cases' },
  'nav.persons': { tg: 'Шахсон', ru: 'Лица', en: 'Persons' },
  'nav.hotline': { tg: 'Хати боварӣ', ru: 'Горячая линия', en: 'Hotline' },
  'nav.referrals': { tg: 'Равонасозӣ', ru: 'Перенаправления', en: 'Referrals' },
  'nav.directory': { tg: 'Феҳристи хизматҳо', ru: 'Справочник услуг', en: 'Directory' },
  'nav.reports': { tg: 'Ҳисоботҳо', ru: 'Отчёты', en: 'Reports' },
  'nav.trainings': { tg: 'Омӯзишҳо', ru: 'Тренинги', en: 'Trainings' },
  'nav.admin': { tg: 'Идоракунӣ', ru: 'Администрирование', en: 'Administration' },

  'role.admin': { tg: 'Маъмур', ru: 'Администратор', en: 'Administrator' },
  'role.supervisor': { tg: 'Нозир', ru: 'Супервайзер', en: 'Supervisor' },
  'role.caseworker': { tg: 'Мутахассиси кор бо парвандаҳо', ru: 'Специалист по ведению случаев', en: 'Case worker' },
  'role.hotline': { tg: 'Оператори хати боварӣ', ru: 'Оператор горячей линии', en: 'Hotline operator' },
  'role.focal_point': { tg: 'Шахси масъули мақомот', ru: 'Контактное лицо ведомства', en: 'NRM focal point' },
  'role.analyst': { tg: 'Таҳлилгар', ru: 'Аналитик', en: 'Analyst' },
  'role.trainer': { tg: 'Мураббӣ', ru: 'Тренер', en: 'Trainer' },
};

let current = DEFAULT_LANG;

function stored() {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled: the choice lasts for this page only
  }
}

{
  const s = stored();
  if (LANGS.includes(s)) current = s;
}

export function getLang() {
  return current;
}

// Text for key in the current language; the key itself if it is unknown,
// so a missing entry shows up on screen instead of an empty space.
export function t(key) {
  const entry = catalogue[key];
  if (!entry) return key;
  return entry[current] ?? entry[DEFAULT_LANG] ?? key;
}

// Choose the language (one of LANGS) and remember it. Returns the
// language in force afterwards. The caller re-renders (applyI18n).
export function setLang(lang) {
  if (!LANGS.includes(lang)) return current;
  current = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered; still applied */
  }
  if (globalThis.document) document.documentElement.lang = lang;
  return current;
}

const ATTRS = [
  ['data-i18n-placeholder', 'placeholder'],
  ['data-i18n-aria-label', 'aria-label'],
  ['data-i18n-title', 'title'],
];

// Fill every element under root (itself included) that asks for a text.
export function applyI18n(root = document) {
  const all = (sel) => {
    const list = [...root.querySelectorAll(sel)];
    if (root.matches?.(sel)) list.unshift(root);
    return list;
  };
  for (const el of all('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const [data, attr] of ATTRS) {
    for (const el of all(`[${data}]`)) el.setAttribute(attr, t(el.getAttribute(data)));
  }
}
