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

  'totp.title': { tg: 'Омили дуюми воридшавӣ', ru: 'Второй фактор входа', en: 'Second sign-in factor' },
  'totp.lead': {
    tg: 'Барои ҳифзи маълумоти одамон ҳангоми воридшавӣ ба ғайр аз парол рамзи барномаи тасдиқкунанда лозим аст.',
    ru: 'Чтобы защитить данные людей, при входе кроме пароля нужен код из приложения-аутентификатора.',
    en: 'To protect the people in this system, signing in needs a code from an authenticator app besides the password.',
  },
  'totp.already': { tg: 'Омили дуюм аллакай фаъол аст.', ru: 'Второй фактор уже включён.', en: 'The second factor is already on.' },
  'totp.step1': {
    tg: '1. Ин калидро ба барномаи тасдиқкунанда (масалан, FreeOTP ё Google Authenticator) ворид кунед:',
    ru: '1. Введите этот ключ в приложение-аутентификатор (например, FreeOTP или Google Authenticator):',
    en: '1. Enter this key in an authenticator app (for example FreeOTP or Google Authenticator):',
  },
  'totp.uri': { tg: 'Ё ин суроғаро истифода баред:', ru: 'Или используйте этот адрес:', en: 'Or use this address:' },
  'totp.step2': { tg: '2. Рамзи шашрақамаи барномаро ворид кунед', ru: '2. Введите шестизначный код из приложения', en: '2. Enter the six-digit code the app shows' },
  'totp.confirm': { tg: 'Тасдиқ кардан', ru: 'Подтвердить', en: 'Confirm' },
  'totp.bad_code': { tg: 'Рамз нодуруст аст. Рамзи навро ворид кунед.', ru: 'Неверный код. Введите новый код.', en: 'The code is wrong. Enter the new code.' },
  'totp.done': { tg: 'Омили дуюм фаъол шуд.', ru: 'Второй фактор включён.', en: 'The second factor is on.' },
  'nav.security': { tg: 'Амният', ru: 'Безопасность', en: 'Security' },
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

  'common.yes': { tg: 'Ҳа', ru: 'Да', en: 'Yes' },
  'common.no': { tg: 'Не', ru: 'Нет', en: 'No' },
  'common.no_name': { tg: '(бе ном)', ru: '(без имени)', en: '(no name)' },
  'common.reload': { tg: 'Аз нав бор кардан', ru: 'Обновить', en: 'Reload' },
  'common.retry': { tg: 'Бори дигар кӯшиш кардан', ru: 'Повторить', en: 'Try again' },
  'common.save': { tg: 'Нигоҳ доштан', ru: 'Сохранить', en: 'Save' },
  'common.cancel': { tg: 'Бекор кардан', ru: 'Отмена', en: 'Cancel' },

  'error.forbidden': {
    tg: 'Нақши шумо ба ин амал иҷозат намедиҳад.',
    ru: 'Ваша роль не позволяет выполнить это действие.',
    en: 'Your role does not allow this.',
  },
  'error.not_found': {
    tg: 'Сабт ёфт нашуд ё ба шумо дастрас нест.',
    ru: 'Запись не найдена или недоступна вам.',
    en: 'Not found, or not available to you.',
  },
  'error.consent_required': {
    tg: 'Аввал розигии шахсро барои гирифтани кӯмак сабт кунед.',
    ru: 'Сначала зарегистрируйте согласие лица на получение помощи.',
    en: 'Record the person’s consent to assistance first.',
  },
  'error.conflict_state': {
    tg: 'Дар ҳолати ҳозираи парванда ин амал имконнопазир аст. Саҳифаро аз нав бор кунед.',
    ru: 'Это действие невозможно при текущем состоянии случая. Обновите страницу.',
    en: 'This cannot be done in the case’s current state. Reload the page.',
  },
  'error.stale': {
    tg: 'Вақте ки шумо таҳрир мекардед, каси дигар ин парвандаро тағйир дод. Саҳифаро аз нав бор кунед, тағйиротро бинед ва баъд дубора таҳрир кунед.',
    ru: 'Пока вы редактировали, кто-то другой изменил этот случай. Обновите страницу, посмотрите изменения и внесите свои снова.',
    en: 'Someone else changed this case while you were editing. Reload to see their changes, then edit again.',
  },
  'error.stale_item': {
    tg: 'Каси дигар ин сабтро тағйир дод. Саҳифаро аз нав бор кунед.',
    ru: 'Кто-то другой изменил эту запись. Обновите страницу.',
    en: 'Someone else changed this record. Reload the page.',
  },
  'error.too_large': {
    tg: 'Ҳаҷми маълумот аз ҳад зиёд аст.',
    ru: 'Слишком большой объём данных.',
    en: 'Too much data at once.',
  },
  'error.decision_forbidden': {
    tg: 'Қарори расмиро дар бораи мақоми шахс танҳо нозир ё шахси масъули мақомоти ваколатдор сабт мекунад.',
    ru: 'Официальное решение о статусе может внести только супервайзер или контактное лицо уполномоченного ведомства.',
    en: 'Only a supervisor, or the focal point of an authority, may record the official status decision.',
  },

  'form.required_note': {
    tg: 'Майдонҳои бо * ишорашуда ҳатмӣ мебошанд.',
    ru: 'Поля, отмеченные *, обязательны.',
    en: 'Fields marked * are required.',
  },
  'form.more': { tg: 'Маълумоти иловагӣ', ru: 'Дополнительные сведения', en: 'More details' },
  'form.choose': { tg: '— интихоб кунед —', ru: '— выберите —', en: '— choose —' },
  'form.add': { tg: 'Илова кардан', ru: 'Добавить', en: 'Add' },
  'form.add_another': { tg: 'Боз илова кардан', ru: 'Добавить ещё', en: 'Add another' },
  'form.remove': { tg: 'Хориҷ кардан', ru: 'Удалить', en: 'Remove' },
  'form.check': { tg: 'Лутфан, ин майдонҳоро пур кунед:', ru: 'Пожалуйста, заполните поля:', en: 'Please fill in:' },
  'form.err_required': { tg: 'Ин майдон ҳатмӣ аст.', ru: 'Это поле обязательно.', en: 'This field is required.' },
  'form.err_past_date': {
    tg: 'Санаи оянда қабул намешавад.',
    ru: 'Будущая дата не допускается.',
    en: 'The date cannot be in the future.',
  },
  'form.err_date': { tg: 'Санаи дурустро ворид кунед.', ru: 'Укажите правильную дату.', en: 'Enter a valid date.' },
  'form.err_phone': {
    tg: 'Рақами телефон бояд аз 7 то 15 рақам дошта бошад.',
    ru: 'Номер телефона должен содержать от 7 до 15 цифр.',
    en: 'A phone number has 7 to 15 digits.',
  },
  'form.err_too_long': { tg: 'Аз ҳад дароз аст.', ru: 'Слишком длинно.', en: 'Too long.' },
  'form.err_range': {
    tg: 'Адади бутуни дурустро ворид кунед.',
    ru: 'Введите целое число в допустимых пределах.',
    en: 'Enter a whole number in range.',
  },
  'form.err_choice': {
    tg: 'Қиматро аз рӯйхат интихоб кунед.',
    ru: 'Выберите значение из списка.',
    en: 'Choose a value from the list.',
  },
  'form.err_characters': {
    tg: 'Аломатҳои ғайримуҷоз дорад.',
    ru: 'Содержит недопустимые символы.',
    en: 'Contains characters that are not allowed.',
  },
  'form.err_invalid': {
    tg: 'Қимат қабул нашуд. Маълумотро санҷед.',
    ru: 'Значение не принято. Проверьте данные.',
    en: 'The value was not accepted. Please check it.',
  },

  'nav.followups': { tg: 'Пайгириҳои мӯҳлатгузашта', ru: 'Просроченные контакты', en: 'Overdue follow-ups' },

  'list.register': {
    tg: 'Сабти шахс ва кушодани парванда',
    ru: 'Зарегистрировать лицо и открыть случай',
    en: 'Register a person, open a case',
  },
  'list.any': { tg: 'Ҳама', ru: 'Все', en: 'All' },
  'list.search': { tg: 'Ҷустуҷӯ', ru: 'Найти', en: 'Search' },
  'list.q': { tg: 'Ҷустуҷӯ аз рӯи ном', ru: 'Поиск по имени', en: 'Search by name' },
  'list.q_hint': {
    tg: 'Номро бо ҳар хат навиштан мумкин: Ҷумъаев, Джумаев ё Jumaev.',
    ru: 'Имя можно писать любым алфавитом: Ҷумъаев, Джумаев или Jumaev.',
    en: 'Any spelling or script works: Ҷумъаев, Джумаев or Jumaev.',
  },
  'list.status': { tg: 'Ҳолати парванда', ru: 'Статус случая', en: 'Case status' },
  'list.stage': { tg: 'Марҳила', ru: 'Этап', en: 'Stage' },
  'list.mine': { tg: 'Танҳо парвандаҳои ман', ru: 'Только мои случаи', en: 'Only my cases' },
  'list.empty': { tg: 'Парванда нест.', ru: 'Случаев нет.', en: 'No cases.' },
  'list.none_found': {
    tg: 'Бо ин ном парванда ёфт нашуд.',
    ru: 'Случаев с таким именем не найдено.',
    en: 'No case found for this name.',
  },
  'list.prev': { tg: 'Саҳифаи қаблӣ', ru: 'Предыдущая страница', en: 'Previous page' },
  'list.next': { tg: 'Саҳифаи навбатӣ', ru: 'Следующая страница', en: 'Next page' },
  'list.page': { tg: 'Саҳифаи', ru: 'Страница', en: 'Page' },
  'list.pages': { tg: 'Саҳифаҳо', ru: 'Страницы', en: 'Pages' },
  'list.opened': { tg: 'Кушода шуд:', ru: 'Открыт:', en: 'Opened' },
  'list.is_mine': { tg: 'Парвандаи ман', ru: 'Мой случай', en: 'Mine' },

  'reg.title': {
    tg: 'Сабти шахс ва кушодани парванда',
    ru: 'Регистрация и открытие случая',
    en: 'Register and open a case',
  },
  'reg.step_consent': { tg: 'Розигӣ', ru: 'Согласие', en: 'Consent' },
  'reg.step_person': { tg: 'Шахс', ru: 'Лицо', en: 'The person' },
  'reg.step_case': { tg: 'Парванда', ru: 'Случай', en: 'The case' },
  'reg.find_title': {
    tg: 'Аввал санҷед, ки шахс пештар сабт нашудааст',
    ru: 'Сначала проверьте, не зарегистрирован ли человек',
    en: 'First check that the person is not registered already',
  },
  'reg.find_hint': {
    tg: 'Ин аз сабти такрорӣ пешгирӣ мекунад. Номро бо ҳар хат ворид кунед.',
    ru: 'Это помогает избежать повторной регистрации. Имя можно ввести любым алфавитом.',
    en: 'This avoids registering anyone twice. Type the name in any script.',
  },
  'reg.find_label': { tg: 'Ном ё насаб', ru: 'Имя или фамилия', en: 'Given or family name' },
  'reg.find_empty': {
    tg: 'Барои ҷустуҷӯ ном ворид кунед.',
    ru: 'Введите имя для поиска.',
    en: 'Type a name to search.',
  },
  'reg.found': { tg: 'Ёфт шуд', ru: 'Найдено', en: 'Found' },
  'reg.found_none': {
    tg: 'Шахс бо ин ном ёфт нашуд.',
    ru: 'Человек с таким именем не найден.',
    en: 'Nobody found with this name.',
  },
  'reg.born': { tg: 'Таваллуд:', ru: 'Дата рождения:', en: 'Born' },
  'reg.use_person': {
    tg: 'Барои ин шахс парвандаи нав кушодан',
    ru: 'Открыть новый случай для этого лица',
    en: 'Open a new case for this person',
  },
  'reg.not_found_hint': {
    tg: 'Агар шахс дар рӯйхат набошад, ӯро нав сабт кунед.',
    ru: 'Если человека нет в списке, зарегистрируйте его.',
    en: 'If the person is not in the list, register them.',
  },
  'reg.new_person': { tg: 'Сабти шахси нав', ru: 'Зарегистрировать новое лицо', en: 'Register a new person' },
  'reg.for_person': { tg: 'Шахс', ru: 'Лицо', en: 'Person' },
  'reg.consent_title': {
    tg: 'Розигии шахс барои гирифтани кӯмак',
    ru: 'Согласие лица на получение помощи',
    en: 'The person’s consent to assistance',
  },
  'reg.consent_lead': {
    tg: 'Пеш аз сабти ягон маълумот матни зеринро бо забоне, ки шахс мефаҳмад, хонда диҳед ва ба саволҳояш ҷавоб диҳед.',
    ru: 'Прежде чем записывать какие-либо сведения, прочитайте человеку текст ниже на понятном ему языке и ответьте на его вопросы.',
    en: 'Before recording anything, read the text below to the person in a language they understand, and answer their questions.',
  },
  'reg.purpose': { tg: 'Мақсад:', ru: 'Цель:', en: 'Purpose:' },
  'reg.consent_agree': {
    tg: 'Шахс матнро фаҳмид ва барои гирифтани кӯмак розигӣ дод.',
    ru: 'Человек понял текст и дал согласие на получение помощи.',
    en: 'The person understood and consents to assistance.',
  },
  'reg.consent_needed': {
    tg: 'Бе розигии шахс сабт кардан мумкин нест. Қайд кунед, ки шахс розӣ шуд.',
    ru: 'Без согласия человека регистрация невозможна. Отметьте, что согласие получено.',
    en: 'Registration needs the person’s consent. Tick the box once they agree.',
  },
  'reg.continue': { tg: 'Давом додан', ru: 'Продолжить', en: 'Continue' },
  'reg.back': { tg: 'Бозгашт', ru: 'Назад', en: 'Back' },
  'reg.person_title': { tg: 'Маълумот дар бораи шахс', ru: 'Сведения о лице', en: 'About the person' },
  'reg.save_person': { tg: 'Сабт кардан ва давом додан', ru: 'Сохранить и продолжить', en: 'Save and continue' },
  'reg.case_title': { tg: 'Маълумоти парванда', ru: 'Сведения о случае', en: 'About the case' },
  'reg.consent_on_file': {
    tg: 'Розигии амалкунандаи ин шахс барои гирифтани кӯмак аллакай сабт шудааст.',
    ru: 'Действующее согласие этого лица на получение помощи уже зарегистрировано.',
    en: 'An active consent to assistance is already on file for this person.',
  },
  'reg.open_case': { tg: 'Кушодани парванда', ru: 'Открыть случай', en: 'Open the case' },

  'case.title': { tg: 'Парванда', ru: 'Случай', en: 'Case' },
  'case.summary': { tg: 'Хулосаи парванда', ru: 'Сводка по случаю', en: 'Case summary' },
  'case.sections': { tg: 'Бахшҳои парванда', ru: 'Разделы случая', en: 'Case sections' },
  'case.status': { tg: 'Ҳолат', ru: 'Статус', en: 'Status' },
  'case.stage': { tg: 'Марҳила', ru: 'Этап', en: 'Stage' },
  'case.trafficking_status': { tg: 'Мақоми шахс', ru: 'Статус лица', en: 'Trafficking status' },
  'case.not_decided': { tg: 'Ҳанӯз қарор нест', ru: 'Решения пока нет', en: 'Not decided yet' },
  'case.opened': { tg: 'Кушода шуд', ru: 'Открыт', en: 'Opened' },
  'case.closed': { tg: 'Баста шуд', ru: 'Закрыт', en: 'Closed' },
  'case.screen': { tg: 'Санҷиши аломатҳо', ru: 'Провести скрининг', en: 'Screen for indicators' },
  'case.close': { tg: 'Бастани парванда', ru: 'Закрыть случай', en: 'Close the case' },
  'case.close_title': { tg: 'Бастани парванда', ru: 'Закрытие случая', en: 'Closing the case' },
  'case.close_hint': {
    tg: 'Сабаби бастанро интихоб кунед. Баъдтар парвандаро аз нав кушодан мумкин аст.',
    ru: 'Выберите причину закрытия. Позже случай можно открыть снова.',
    en: 'Choose why the case is closed. It can be reopened later.',
  },
  'case.close_reason': { tg: 'Сабаби бастан', ru: 'Причина закрытия', en: 'Reason for closing' },
  'case.close_reason_needed': {
    tg: 'Сабаби бастанро интихоб кунед.',
    ru: 'Выберите причину закрытия.',
    en: 'Choose a reason.',
  },
  'case.close_confirm': { tg: 'Бастан', ru: 'Закрыть', en: 'Close' },
  'case.closed_done': { tg: 'Парванда баста шуд.', ru: 'Случай закрыт.', en: 'The case is closed.' },
  'case.reopen': { tg: 'Аз нав кушодан', ru: 'Открыть снова', en: 'Reopen' },
  'case.reopened_done': {
    tg: 'Парванда аз нав кушода шуд.',
    ru: 'Случай снова открыт.',
    en: 'The case is open again.',
  },
  'case.tab_timeline': { tg: 'Ҷараён', ru: 'Хронология', en: 'Timeline' },
  'case.tab_details': { tg: 'Тафсилот', ru: 'Сведения', en: 'Details' },
  'case.tab_screenings': { tg: 'Санҷишҳо', ru: 'Скрининг', en: 'Screenings' },
  'case.tab_services': { tg: 'Хизматҳо', ru: 'Услуги', en: 'Services' },
  'case.tab_plans': { tg: 'Нақшаҳо', ru: 'Планы', en: 'Plans' },
  'case.tab_followups': { tg: 'Пайгирӣ', ru: 'Сопровождение', en: 'Follow-ups' },
  'case.tab_notes': { tg: 'Қайдҳо', ru: 'Заметки', en: 'Notes' },
  'case.tab_decisions': { tg: 'Қарорҳо', ru: 'Решения', en: 'Decisions' },
  'case.timeline_empty': {
    tg: 'Ҳоло ҳеҷ чиз сабт нашудааст.',
    ru: 'Пока ничего не записано.',
    en: 'Nothing recorded yet.',
  },
  'case.edit': { tg: 'Таҳрири маълумот', ru: 'Изменить сведения', en: 'Edit details' },
  'case.no_changes': { tg: 'Шумо ҳеҷ чизро тағйир надодед.', ru: 'Вы ничего не изменили.', en: 'Nothing was changed.' },
  'case.saved_details': {
    tg: 'Маълумоти парванда нигоҳ дошта шуд.',
    ru: 'Сведения о случае сохранены.',
    en: 'Case details saved.',
  },
  'case.screenings_empty': {
    tg: 'Санҷиши аломатҳо ҳанӯз гузаронида нашудааст.',
    ru: 'Скрининг ещё не проводился.',
    en: 'No screening yet.',
  },
  'case.services_empty': {
    tg: 'Хизматрасонӣ ҳанӯз сабт нашудааст.',
    ru: 'Услуги ещё не записаны.',
    en: 'No services yet.',
  },
  'case.plans_empty': {
    tg: 'Нақшаи дастгирӣ ҳанӯз нест.',
    ru: 'Планов поддержки пока нет.',
    en: 'No support plan yet.',
  },
  'case.followups_empty': {
    tg: 'Пайгирӣ ҳанӯз ба нақша гирифта нашудааст.',
    ru: 'Последующие контакты не запланированы.',
    en: 'No follow-ups planned.',
  },
  'case.notes_empty': { tg: 'Қайд ҳанӯз нест.', ru: 'Заметок пока нет.', en: 'No notes yet.' },
  'case.decisions_empty': {
    tg: 'Қарори расмӣ ҳанӯз қабул нашудааст.',
    ru: 'Официального решения пока нет.',
    en: 'No official decision yet.',
  },
  'case.add_service': { tg: 'Илова кардани хизмат', ru: 'Добавить услугу', en: 'Add a service' },
  'case.add_plan': { tg: 'Илова кардани нақша', ru: 'Добавить план', en: 'Add a support plan' },
  'case.add_followup': { tg: 'Ба нақша гирифтани пайгирӣ', ru: 'Запланировать контакт', en: 'Plan a follow-up' },
  'case.add_note': { tg: 'Илова кардани қайд', ru: 'Добавить заметку', en: 'Add a note' },
  'case.add_decision': {
    tg: 'Сабти қарори расмӣ',
    ru: 'Внести официальное решение',
    en: 'Record the official decision',
  },
  'case.saved_service': { tg: 'Хизмат сабт шуд.', ru: 'Услуга записана.', en: 'Service saved.' },
  'case.saved_plan': { tg: 'Нақша сабт шуд.', ru: 'План сохранён.', en: 'Plan saved.' },
  'case.saved_followup': { tg: 'Пайгирӣ ба нақша гирифта шуд.', ru: 'Контакт запланирован.', en: 'Follow-up planned.' },
  'case.saved_note': { tg: 'Қайд сабт шуд.', ru: 'Заметка сохранена.', en: 'Note saved.' },
  'case.saved_decision': { tg: 'Қарор сабт шуд.', ru: 'Решение внесено.', en: 'Decision recorded.' },
  'case.decision_who': {
    tg: 'Қарори расмиро нозир ё шахси масъули мақомот сабт мекунад.',
    ru: 'Официальное решение вносит супервайзер или контактное лицо ведомства.',
    en: 'A supervisor or an NRM focal point records the official decision.',
  },
  'case.due': { tg: 'Мӯҳлат:', ru: 'Срок:', en: 'Due' },
  'case.from': { tg: 'Аз', ru: 'С', en: 'From' },
  'case.until': { tg: 'то', ru: 'по', en: 'until' },
  'case.on': { tg: 'Сана:', ru: 'Дата:', en: 'On' },
  'case.review_on': { tg: 'Баррасӣ:', ru: 'Пересмотр:', en: 'Review' },
  'case.reference': { tg: 'Рақами ҳуҷҷат:', ru: 'Номер документа:', en: 'Ref.' },
  'case.assigned_me': { tg: 'Ба ман супорида шуд', ru: 'Назначен мне', en: 'Assigned to me' },
  'case.assigned_other': { tg: 'Ба ҳамкор супорида шуд', ru: 'Назначен коллеге', en: 'Assigned to a colleague' },

  'scr.title': { tg: 'Санҷиши аломатҳо', ru: 'Скрининг', en: 'Screening' },
  'scr.lead': {
    tg: 'Барои ҳар як аломат ҷавобро қайд кунед: «ҳа», агар аломат ошкор шуда бошад; «не», агар ошкор нашуда бошад; «номаълум», агар маълумот набошад; «ҷавоб надод», агар шахс ҷавоб додан нахоҳад.',
    ru: 'Для каждого признака отметьте ответ: «да» — признак выявлен; «нет» — не выявлен; «неизвестно» — сведений нет; «отказ» — человек не захотел отвечать.',
    en: 'For each indicator mark “yes” if it was found, “no” if not, “unknown” if you do not know, and “declined” if the person chose not to answer.',
  },
  'scr.unanswered_hint': {
    tg: 'Аломатҳои бе ҷавоб ҳамчун ошкорнашуда ҳисоб карда мешаванд.',
    ru: 'Признаки без ответа считаются невыявленными.',
    en: 'Indicators left blank count as not found.',
  },
  'scr.child': {
    tg: 'Ҳангоми ҷалб шахс кӯдак (то 18-сола) буд',
    ru: 'На момент вербовки человеку не было 18 лет',
    en: 'Child (under 18 at recruitment)',
  },
  'scr.child_short': { tg: 'кӯдак', ru: 'ребёнок', en: 'child' },
  'scr.ans_yes': { tg: 'Ҳа', ru: 'Да', en: 'Yes' },
  'scr.ans_no': { tg: 'Не', ru: 'Нет', en: 'No' },
  'scr.ans_unknown': { tg: 'Номаълум', ru: 'Неизвестно', en: 'Unknown' },
  'scr.ans_declined': { tg: 'Ҷавоб надод', ru: 'Отказ', en: 'Declined' },
  'scr.strength_strong': { tg: 'қавӣ', ru: 'сильный', en: 'strong' },
  'scr.strength_medium': { tg: 'миёна', ru: 'средний', en: 'medium' },
  'scr.strength_weak': { tg: 'заиф', ru: 'слабый', en: 'weak' },
  'scr.submit': { tg: 'Ҳисоб кардани натиҷа', ru: 'Получить результат', en: 'See the result' },
  'scr.back': { tg: 'Бозгашт ба парванда', ru: 'Вернуться к случаю', en: 'Back to the case' },
  'scr.answered': { tg: 'Ҷавоб дода шуд', ru: 'Отвечено', en: 'Answered' },
  'scr.none_answered': {
    tg: 'Ақаллан ба як аломат ҷавоб диҳед.',
    ru: 'Ответьте хотя бы на один признак.',
    en: 'Answer at least one indicator.',
  },
  'scr.result_title': { tg: 'Натиҷаи санҷиш', ru: 'Результат скрининга', en: 'Screening result' },
  'scr.suggestion_label': {
    tg: 'Тавсия (на қарори расмӣ)',
    ru: 'Рекомендация (не официальное решение)',
    en: 'Suggestion (not the official status)',
  },
  'scr.suggestion': { tg: 'Тавсия', ru: 'Рекомендация', en: 'Suggestion' },
  'scr.sugg_trafficking': {
    tg: 'Аломатҳои хариду фурӯши одамон ҳастанд',
    ru: 'Есть признаки торговли людьми',
    en: 'Indicators of trafficking in human beings',
  },
  'scr.sugg_exploitation': {
    tg: 'Аломатҳои истисмор ҳастанд, вале на аломатҳои хариду фурӯши одамон',
    ru: 'Есть признаки эксплуатации, но не торговли людьми',
    en: 'Indicators of exploitation, not of trafficking',
  },
  'scr.sugg_none': {
    tg: 'Аломатҳои кофӣ ошкор нашуданд',
    ru: 'Достаточных признаков не выявлено',
    en: 'Not enough indicators found',
  },
  'scr.not_official': {
    tg: 'Ин танҳо тавсияи қоидаи аломатҳост. Он мақоми расмии шахсро тағйир намедиҳад: қарори расмиро мақомоти ваколатдор ё нозир алоҳида қабул мекунад.',
    ru: 'Это лишь рекомендация по правилу индикаторов. Она не меняет официальный статус лица: официальное решение отдельно принимает уполномоченный орган или супервайзер.',
    en: 'This is only what the indicator rule suggests. It does not change the person’s official status: that decision is taken separately by the competent authority or a supervisor.',
  },
  'scr.by_dimension': { tg: 'Аз рӯи самтҳо', ru: 'По измерениям', en: 'By dimension' },
  'scr.dim_on': { tg: 'ошкор шуд', ru: 'выявлено', en: 'indicated' },
  'scr.dim_off': { tg: 'ошкор нашуд', ru: 'не выявлено', en: 'not indicated' },
  'scr.dims_found': { tg: 'Самтҳои ошкоршуда', ru: 'Выявлено', en: 'Found in' },
  'scr.dims_none': { tg: 'Ягон самт ошкор нашуд', ru: 'Ни одно измерение не выявлено', en: 'No dimension indicated' },

  'fu.lead': {
    tg: 'Пайгириҳое, ки ба шумо супорида шудаанд ва мӯҳлаташон гузаштааст.',
    ru: 'Последующие контакты, назначенные вам, срок которых прошёл.',
    en: 'Follow-ups assigned to you whose due date has passed.',
  },
  'fu.none': { tg: 'Пайгирии мӯҳлатгузашта нест.', ru: 'Просроченных контактов нет.', en: 'No overdue follow-ups.' },
  'fu.case': { tg: 'Парванда', ru: 'Случай', en: 'Case' },
  'fu.days_late': { tg: 'Рӯзҳои таъхир', ru: 'Дней просрочки', en: 'Days late' },
  'fu.overdue': { tg: 'Мӯҳлат гузашт', ru: 'Просрочено', en: 'Overdue' },
  'fu.reintegration': { tg: 'Ҳамгироии дубора', ru: 'Реинтеграция', en: 'Reintegration' },
  'fu.mark_done': { tg: 'Иҷро шуд', ru: 'Отметить выполненным', en: 'Mark as done' },
  'fu.outcome': { tg: 'Натиҷа', ru: 'Результат', en: 'Outcome' },
  'fu.save_done': { tg: 'Нигоҳ доштан', ru: 'Сохранить', en: 'Save' },
  'fu.done_saved': {
    tg: 'Пайгирӣ ҳамчун иҷрошуда қайд шуд.',
    ru: 'Контакт отмечен как выполненный.',
    en: 'Follow-up marked as done.',
  },
  'fu.done_on': { tg: 'Иҷро шуд:', ru: 'Выполнено:', en: 'Done on' },

  // Read aloud to the person, in each of the three languages at once.
  'reg.consent_explain': {
    tg: 'Мо ному насаб, маълумоти тамос ва он чиро, ки бо шумо рух додааст, қайд мекунем, то ба шумо кӯмак расонем: паноҳгоҳ, кӯмаки тиббӣ, ҳуқуқӣ ва психологӣ, инчунин дастгирӣ ҳангоми бозгашт ба хона.\nМаълумоти шумо рамзгузорӣ шуда, бехатар нигоҳ дошта мешавад. Онро танҳо кормандоне мебинанд, ки ба шумо кӯмак мерасонанд. Мо онро бе розигии алоҳидаи шумо ба милитсия ё ягон ташкилоти дигар намедиҳем.\nШумо метавонед рад кунед. Инчунин метавонед розигии худро дар ҳар вақт бозпас гиред: кифоя аст ба корманди худ гӯед.',
    ru: 'Мы запишем ваше имя, контактные данные и то, что с вами произошло, чтобы оказать вам помощь: приют, медицинскую, юридическую и психологическую помощь, поддержку при возвращении домой.\nВаши сведения хранятся в зашифрованном виде. Их видят только сотрудники, которые вам помогают. Мы не передаём их в милицию или другие организации без вашего отдельного согласия.\nВы можете отказаться. Вы также можете в любое время отозвать согласие: достаточно сказать об этом вашему специалисту.',
    en: 'We will write down your name, how to reach you and what happened to you, so that we can help you: shelter, medical, legal and psychological help, and support when you return home.\nYour information is kept encrypted and safe. Only the staff who help you can see it. We do not give it to the police or to any other organisation unless you agree to that separately.\nYou may say no. You may also withdraw your consent at any time: just tell your case worker.',
  },
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
