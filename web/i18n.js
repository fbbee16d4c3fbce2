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
  // ---- referrals, the directory, the focal point (refer.js, referrals.js,
  // directory.js, focal.js) --------------------------------------------------
  'nav.focal': { tg: 'Қарорҳои ММР', ru: 'Решения НМП', en: 'NRM decisions' },
  'case.refer': { tg: 'Равона кардан', ru: 'Перенаправить', en: 'Refer' },
  'case.tab_referrals': { tg: 'Равонасозӣ', ru: 'Перенаправления', en: 'Referrals' },
  'case.tab_access': { tg: 'Кӣ парвандаро дид', ru: 'Кто видел случай', en: 'Who saw this case' },
  'case.referrals_empty': {
    tg: 'Ин парванда ҳанӯз ба ягон ташкилот равона нашудааст.',
    ru: 'Этот случай ещё никуда не перенаправлялся.',
    en: 'This case has not been referred anywhere yet.',
  },
  'acc.lead': {
    tg: 'Ҳар дафъае, ки корбари ташкилоти дигар ин парванда ё маълумоти шахсро кушодааст ё тағйир додааст.',
    ru: 'Каждый раз, когда пользователь другой организации открывал или изменял этот случай или сведения о лице.',
    en: 'Every time a user of another organisation opened or changed this case or the person’s details.',
  },
  'acc.empty': {
    tg: 'Ҳеҷ кас аз берун ин парвандаро накушодааст.',
    ru: 'Никто извне этот случай не открывал.',
    en: 'Nobody outside your organisation has opened this case.',
  },
  'acc.action_read': { tg: 'Кушод', ru: 'Просмотр', en: 'Read' },
  'acc.action_create': { tg: 'Илова кард', ru: 'Добавление', en: 'Added' },
  'acc.action_update': { tg: 'Тағйир дод', ru: 'Изменение', en: 'Changed' },
  'acc.record_cases': { tg: 'парванда', ru: 'случай', en: 'the case' },
  'acc.record_persons': { tg: 'маълумот дар бораи шахс', ru: 'сведения о лице', en: 'the person' },
  'acc.record_referrals': { tg: 'равонасозӣ', ru: 'перенаправление', en: 'a referral' },
  'acc.record_services': { tg: 'хизмат', ru: 'услуга', en: 'a service' },
  'acc.record_notes': { tg: 'қайд', ru: 'заметка', en: 'a note' },
  'acc.record_status_decisions': { tg: 'қарор дар бораи мақом', ru: 'решение о статусе', en: 'a status decision' },
  'acc.record_plans': { tg: 'нақшаи дастгирӣ', ru: 'план поддержки', en: 'a support plan' },
  'acc.record_followups': { tg: 'пайгирӣ', ru: 'контакт', en: 'a follow-up' },
  'acc.record_screenings': { tg: 'санҷиш', ru: 'скрининг', en: 'a screening' },

  'dir.lead': {
    tg: 'Хизматҳои ташкилотҳои шабакаи равонасозӣ: чӣ пешниҳод мекунанд, дар куҷо, бо кадом забонҳо ва чанд ҷойи холӣ доранд.',
    ru: 'Услуги организаций сети перенаправления: что они предлагают, где, на каких языках и сколько у них свободных мест.',
    en: 'The services of the referral network’s organisations: what they offer, where, in which languages, and how many places are free.',
  },
  'dir.search': { tg: 'Ҷустуҷӯи хизмат ё ташкилот', ru: 'Поиск услуги или организации', en: 'Search for a service or organisation' },
  'dir.search_hint': {
    tg: 'Бо ҳар хат навиштан мумкин: Паноҳгоҳ, Панохгох ё Panohgoh.',
    ru: 'Можно писать любым алфавитом: Паноҳгоҳ, Панохгох или Panohgoh.',
    en: 'Type in any script: Паноҳгоҳ, Панохгох or Panohgoh.',
  },
  'dir.type': { tg: 'Навъи хизмат', ru: 'Вид услуги', en: 'Type of service' },
  'dir.region': { tg: 'Минтақа', ru: 'Регион', en: 'Region' },
  'dir.language': { tg: 'Забон', ru: 'Язык', en: 'Language' },
  'dir.found': { tg: 'Ёфт шуд', ru: 'Найдено', en: 'Found' },
  'dir.empty': { tg: 'Феҳрист ҳоло холӣ аст.', ru: 'Справочник пока пуст.', en: 'The directory is empty.' },
  'dir.none_found': {
    tg: 'Бо ин шартҳо хизмат ёфт нашуд.',
    ru: 'Услуг с такими условиями не найдено.',
    en: 'No service matches.',
  },
  'dir.beds': { tg: 'Ҷойҳои хоби холӣ:', ru: 'Свободных коек:', en: 'Beds free:' },
  'dir.places': { tg: 'Ҷойҳои холӣ:', ru: 'Свободных мест:', en: 'Places free:' },
  'dir.of': { tg: 'аз', ru: 'из', en: 'of' },
  'dir.full': { tg: 'Ҷой нест', ru: 'Мест нет', en: 'Full' },
  'dir.languages': { tg: 'Забонҳо', ru: 'Языки', en: 'Languages' },
  'dir.areas': { tg: 'Минтақаҳо', ru: 'Регионы', en: 'Areas served' },
  'dir.address_withheld': { tg: 'Суроға пинҳон аст', ru: 'Адрес скрыт', en: 'Address withheld' },
  'dir.choose': { tg: 'Интихоб кардан', ru: 'Выбрать', en: 'Choose' },

  'ref.wizard_title': { tg: 'Равона кардани парванда', ru: 'Перенаправление случая', en: 'Refer the case' },
  'ref.back_to_case': { tg: '← Ба парванда', ru: '← К случаю', en: '← Back to the case' },
  'ref.step_to': { tg: 'Гиранда', ru: 'Получатель', en: 'Recipient' },
  'ref.step_share': { tg: 'Чӣ дастрас мешавад', ru: 'Что передаётся', en: 'What to share' },
  'ref.step_check': { tg: 'Розигӣ ва фиристодан', ru: 'Согласие и отправка', en: 'Consent and send' },
  'ref.to_title': { tg: 'Ба кӣ равона мекунед?', ru: 'Куда перенаправить?', en: 'Where to refer?' },
  'ref.to_hint': {
    tg: 'Хизматро аз феҳрист интихоб кунед ё бевосита ташкилотро.',
    ru: 'Выберите услугу из справочника или сразу организацию.',
    en: 'Choose a service from the directory, or an organisation directly.',
  },
  'ref.by_service': { tg: 'Хизмат', ru: 'Услуга', en: 'A service' },
  'ref.by_org': { tg: 'Ташкилот', ru: 'Организация', en: 'An organisation' },
  'ref.no_orgs': { tg: 'Ташкилоти дигаре ёфт нашуд.', ru: 'Других организаций не найдено.', en: 'No other organisation found.' },
  'ref.authority': { tg: 'Мақомоти давлатӣ', ru: 'Госорган', en: 'Authority' },
  'ref.own_org': {
    tg: 'Ин хизмати ташкилоти худи шумост. Ташкилоти дигарро интихоб кунед.',
    ru: 'Это услуга вашей собственной организации. Выберите другую организацию.',
    en: 'This service is your own organisation’s. Choose another organisation.',
  },
  'ref.no_code': {
    tg: 'Ташкилоти ин хизмат дар шабака сабт нашудааст; ба он равона кардан мумкин нест.',
    ru: 'Организация этой услуги не зарегистрирована в сети; перенаправить туда нельзя.',
    en: 'This service’s organisation is not part of the network; it cannot receive referrals.',
  },
  'ref.recipient': { tg: 'Гиранда:', ru: 'Получатель:', en: 'Recipient:' },
  'ref.service': { tg: 'Хизмат:', ru: 'Услуга:', en: 'Service:' },
  'ref.change_recipient': { tg: 'Гирандаи дигарро интихоб кардан', ru: 'Выбрать другого получателя', en: 'Choose another recipient' },
  'ref.share_title': { tg: 'Чӣ дастраси гиранда мешавад', ru: 'Что увидит получатель', en: 'What the recipient will see' },
  'ref.share_explain': {
    tg: 'Ташкилоти гиранда маҳз ҳамон маълумотеро мебинад, ки шумо дар ин ҷо қайд мекунед, ва дигар ҳеҷ чизи парванда ё шахсро намебинад. Дар аввал ҳеҷ чиз қайд нашудааст: танҳо он чиро интихоб кунед, ки барои кӯмак лозим аст.\nГиранда ин маълумотро пас аз қабули равонасозӣ ва танҳо то даме мебинад, ки розигии шахс эътибор дорад. Ҳар дафъае, ки онро мекушояд, дар бахши «Кӣ парвандаро дид» сабт мешавад.',
    ru: 'Организация-получатель увидит ровно те поля, которые вы отметите здесь, и больше ничего из случая и сведений о лице. Сначала ничего не отмечено: выберите только то, что нужно для помощи.\nПолучатель видит эти сведения после того, как примет перенаправление, и только пока действует согласие лица. Каждый просмотр записывается в разделе «Кто видел случай».',
    en: 'The receiving organisation sees exactly the fields you tick here, and nothing else of the case or the person. Nothing is ticked at first: choose only what it needs in order to help.\nIt sees them once it accepts the referral, and only while the person’s consent stands. Every time it opens them, this is recorded under “Who saw this case”.',
  },
  'ref.share_person': { tg: 'Дар бораи шахс', ru: 'Сведения о лице', en: 'The person' },
  'ref.share_case': { tg: 'Дар бораи парванда', ru: 'Сведения о случае', en: 'The case' },
  'ref.share_count': { tg: 'Қайд шудааст', ru: 'Отмечено полей', en: 'Fields ticked' },
  'ref.share_none': { tg: 'Ҳеҷ чиз қайд нашудааст.', ru: 'Ничего не отмечено.', en: 'Nothing ticked.' },
  'ref.share_needed': {
    tg: 'Ақаллан як маълумотро қайд кунед, ки гиранда бояд бинад.',
    ru: 'Отметьте хотя бы одно поле, которое должен увидеть получатель.',
    en: 'Tick at least one field for the recipient to see.',
  },
  'ref.reason': { tg: 'Сабаби равонасозӣ', ru: 'Причина перенаправления', en: 'Reason for the referral' },
  'ref.reason_needed': {
    tg: 'Нависед, ки чаро равона мекунед ва чӣ кӯмак лозим аст.',
    ru: 'Напишите, зачем вы перенаправляете и какая помощь нужна.',
    en: 'Say why you refer and what help is needed.',
  },
  'ref.urgency': { tg: 'Фаврият', ru: 'Срочность', en: 'Urgency' },
  'ref.urgency_low': { tg: 'Паст', ru: 'Низкая', en: 'Low' },
  'ref.urgency_normal': { tg: 'Муқаррарӣ', ru: 'Обычная', en: 'Normal' },
  'ref.urgency_high': { tg: 'Баланд', ru: 'Высокая', en: 'High' },
  'ref.urgency_emergency': { tg: 'Фавқулодда', ru: 'Экстренная', en: 'Emergency' },
  'ref.due': { tg: 'Ҷавоб то', ru: 'Ответ до', en: 'Answer by' },
  'ref.due_hint': {
    tg: 'Ихтиёрӣ. Пас аз ин сана равонасозии ҷавобнагирифта мӯҳлатгузашта ҳисоб мешавад.',
    ru: 'Необязательно. После этой даты перенаправление без ответа считается просроченным.',
    en: 'Optional. After this date an unanswered referral shows as overdue.',
  },
  'ref.due_past': { tg: 'Мӯҳлат наметавонад дар гузашта бошад.', ru: 'Срок не может быть в прошлом.', en: 'The date cannot be in the past.' },
  'ref.to_check': { tg: 'Ба санҷиши розигӣ', ru: 'К проверке согласия', en: 'Check consent' },
  'ref.check_title': { tg: 'Пеш аз фиристодан', ru: 'Перед отправкой', en: 'Before sending' },
  'ref.shared_fields': { tg: 'Маълумоти дастрасшаванда:', ru: 'Передаваемые поля:', en: 'Fields shared:' },
  'ref.consent_title': { tg: 'Розигии шахс', ru: 'Согласие лица', en: 'The person’s consent' },
  'ref.consent_ok': {
    tg: 'Розигии амалкунандаи шахс ин равонасозиро фаро мегирад.',
    ru: 'Действующее согласие лица покрывает это перенаправление.',
    en: 'A current consent of the person covers this referral.',
  },
  'ref.consent_missing': {
    tg: 'Ягон розигии амалкунандаи шахс барои равона кардан ба ин ташкилот нест. Пеш аз фиристодан розигии шахсро барои равонасозӣ сабт кунед.',
    ru: 'Нет действующего согласия лица на перенаправление в эту организацию. Перед отправкой зарегистрируйте согласие лица на перенаправление.',
    en: 'No current consent of the person covers a referral to this organisation. Record the person’s consent to the referral before sending.',
  },
  'ref.consent_missing_authority': {
    tg: 'Ягон розигии амалкунандаи шахс барои додани маълумот ба ин мақомот нест. Пеш аз фиристодан розигии шахсро барои додан ба мақомоти ҳифзи ҳуқуқ ё барои равонасозӣ сабт кунед.',
    ru: 'Нет действующего согласия лица на передачу сведений этому органу. Перед отправкой зарегистрируйте согласие лица на передачу в правоохранительные органы или на перенаправление.',
    en: 'No current consent of the person covers passing their details to this authority. Record the person’s consent to law enforcement, or to the referral, before sending.',
  },
  'ref.any_recipient': { tg: 'ба ҳар гиранда', ru: 'любому получателю', en: 'any recipient' },
  'ref.given_on': { tg: 'дода шуд', ru: 'дано', en: 'given' },
  'ref.expires': { tg: 'то', ru: 'до', en: 'until' },
  'ref.consent_record': { tg: 'Сабти розигии нав', ru: 'Зарегистрировать согласие', en: 'Record the consent' },
  'ref.consent_lead': {
    tg: 'Ба шахс бо забони фаҳмо фаҳмонед, ки чӣ фиристода мешавад ва ба кӣ. Розигиро танҳо пас аз он сабт кунед, ки шахс розӣ шуд.',
    ru: 'Объясните человеку понятным ему языком, что и кому будет передано. Регистрируйте согласие, только когда человек согласился.',
    en: 'Explain to the person, in a language they understand, what will be sent and to whom. Record the consent only once they agree.',
  },
  'ref.consent_explain': {
    tg: 'Мо мехоҳем қисме аз маълумоти шуморо ба ташкилоти дигар фиристем, то ба шумо кӯмак расонад ё, агар он мақомоти давлатӣ бошад, шуморо ҳамчун ҷабрдида эътироф карда, ҳифз кунад.\nТанҳо маълумоте, ки дар рӯйхат аст, фиристода мешавад. Ташкилот чизи дигарро намебинад. Ҳар дафъае, ки касе дар он ҷо маълумоти шуморо мекушояд, сабт мешавад ва мо инро мебинем.\nШумо метавонед рад кунед: кӯмаки мо ба шумо қатъ намегардад. Ин розигиро дар ҳар вақт бозпас гирифтан мумкин аст; пас аз он ташкилот маълумоти шуморо дигар намебинад.',
    ru: 'Мы хотим передать часть ваших сведений другой организации, чтобы она помогла вам или, если это государственный орган, признала вас пострадавшим и защитила.\nПередаются только сведения из списка. Ничего другого организация не увидит. Каждый раз, когда там открывают ваши сведения, это записывается, и мы это видим.\nВы можете отказаться: наша помощь вам не прекратится. Согласие можно отозвать в любое время; после этого организация больше не увидит ваших сведений.',
    en: 'We would like to send some of your information to another organisation, so that it can help you or, if it is an authority, recognise you as a victim and protect you.\nOnly the details on the list are sent. The organisation sees nothing else. Every time someone there opens your information, this is recorded and we can see it.\nYou may say no: our help to you does not stop. You may withdraw this consent at any time; from then on the organisation can no longer see your information.',
  },
  'ref.consent_scope': { tg: 'Розигӣ барои', ru: 'Согласие распространяется на', en: 'The consent covers' },
  'ref.scope_org': { tg: 'Танҳо ин ташкилот', ru: 'Только эту организацию', en: 'Only this organisation' },
  'ref.scope_type': { tg: 'Ҳамаи ташкилотҳои ин навъ', ru: 'Все организации этого типа', en: 'Every organisation of this type' },
  'ref.scope_any': { tg: 'Ҳар гиранда', ru: 'Любого получателя', en: 'Any recipient' },
  'ref.consent_agree': {
    tg: 'Шахс матнро фаҳмид ва ба додани маълумот розигӣ дод.',
    ru: 'Человек понял текст и согласен на передачу сведений.',
    en: 'The person understood and agrees to their details being shared.',
  },
  'ref.consent_needed': {
    tg: 'Қуттиро танҳо пас аз он қайд кунед, ки шахс розӣ шуд.',
    ru: 'Отметьте поле, только когда человек согласился.',
    en: 'Tick the box once the person agrees.',
  },
  'ref.consent_save': { tg: 'Сабти розигӣ', ru: 'Зарегистрировать', en: 'Record consent' },
  'ref.consent_saved': {
    tg: 'Розигӣ сабт шуд. Акнун равонасозиро фиристодан мумкин аст.',
    ru: 'Согласие зарегистрировано. Теперь перенаправление можно отправить.',
    en: 'Consent recorded. The referral can be sent now.',
  },
  'ref.send': { tg: 'Фиристодан', ru: 'Отправить', en: 'Send the referral' },
  'ref.sent_done': { tg: 'Равонасозӣ фиристода шуд.', ru: 'Перенаправление отправлено.', en: 'Referral sent.' },
  'ref.refused_consent': {
    tg: 'Сервер равонасозиро нафиристод: ягон розигии амалкунандаи шахс равона карданро ба ин ташкилот фаро намегирад. Розигии шахсро барои равонасозӣ ба ин ташкилот (ё ба ташкилотҳои ин навъ) сабт кунед ва боз фиристед.',
    ru: 'Сервер не принял перенаправление: ни одно действующее согласие лица не покрывает перенаправление в эту организацию. Зарегистрируйте согласие лица на перенаправление в эту организацию (или организации этого типа) и отправьте снова.',
    en: 'The server did not accept the referral: no current consent of the person covers a referral to this organisation. Record the person’s consent to a referral to this organisation (or to organisations of its type), then send again.',
  },
  'ref.refused_consent_authority': {
    tg: 'Сервер равонасозиро нафиристод: ягон розигии амалкунандаи шахс додани маълумотро ба ин мақомот фаро намегирад. Розигии шахсро барои додан ба мақомоти ҳифзи ҳуқуқ ё барои равонасозӣ сабт кунед ва боз фиристед.',
    ru: 'Сервер не принял перенаправление: ни одно действующее согласие лица не покрывает передачу сведений этому органу. Зарегистрируйте согласие лица на передачу в правоохранительные органы или на перенаправление и отправьте снова.',
    en: 'The server did not accept the referral: no current consent of the person covers passing their details to this authority. Record the person’s consent to law enforcement, or to the referral, then send again.',
  },

  'ref.inbox_title': { tg: 'Равонасозӣ', ru: 'Перенаправления', en: 'Referrals' },
  'ref.box_in': { tg: 'Воридшуда', ru: 'Входящие', en: 'Incoming' },
  'ref.box_out': { tg: 'Фиристодашуда', ru: 'Исходящие', en: 'Outgoing' },
  'ref.only_overdue': { tg: 'Танҳо мӯҳлатгузашта', ru: 'Только просроченные', en: 'Only overdue' },
  'ref.empty_in': { tg: 'Равонасозии воридшуда нест.', ru: 'Входящих перенаправлений нет.', en: 'No incoming referrals.' },
  'ref.empty_out': { tg: 'Шумо ҳоло чизе равона накардаед.', ru: 'Вы ещё ничего не перенаправляли.', en: 'You have not referred anything yet.' },
  'ref.none_found': { tg: 'Бо ин шартҳо чизе нест.', ru: 'По этим условиям ничего нет.', en: 'Nothing matches.' },
  'ref.from': { tg: 'Аз:', ru: 'От:', en: 'From:' },
  'ref.to': { tg: 'Ба:', ru: 'Кому:', en: 'To:' },
  'ref.person': { tg: 'Шахс', ru: 'Лицо', en: 'Person' },
  'ref.status': { tg: 'Ҳолат', ru: 'Статус', en: 'Status' },
  'ref.overdue': { tg: 'Мӯҳлат гузашт', ru: 'Просрочено', en: 'Overdue' },
  'ref.sent_on': { tg: 'Фиристода шуд', ru: 'Отправлено', en: 'Sent' },
  'ref.answered_on': { tg: 'Ҷавоб дода шуд', ru: 'Дан ответ', en: 'Answered' },
  'ref.open': { tg: 'Кушодан', ru: 'Открыть', en: 'Open' },
  'ref.open_case': { tg: 'Ба парванда', ru: 'К случаю', en: 'Go to the case' },
  'ref.accept': { tg: 'Қабул кардан', ru: 'Принять', en: 'Accept' },
  'ref.decline': { tg: 'Рад кардан', ru: 'Отклонить', en: 'Decline' },
  'ref.complete': { tg: 'Анҷом ёфт', ru: 'Выполнено', en: 'Mark completed' },
  'ref.withdraw': { tg: 'Бозхонд кардан', ru: 'Отозвать', en: 'Withdraw' },
  'ref.decline_reason': { tg: 'Сабаби радкунӣ', ru: 'Причина отказа', en: 'Reason for declining' },
  'ref.decline_reason_needed': {
    tg: 'Нависед, ки чаро рад мекунед: фиристанда бояд донад.',
    ru: 'Напишите причину отказа: отправителю нужно её знать.',
    en: 'Say why you decline: the sender needs to know.',
  },
  'ref.feedback': { tg: 'Натиҷа барои фиристанда', ru: 'Отзыв для отправителя', en: 'Feedback for the sender' },
  'ref.withdraw_reason': { tg: 'Сабаби бозхонд', ru: 'Причина отзыва', en: 'Reason for withdrawing' },
  'ref.done_accept': { tg: 'Равонасозӣ қабул шуд.', ru: 'Перенаправление принято.', en: 'Referral accepted.' },
  'ref.done_decline': { tg: 'Равонасозӣ рад карда шуд.', ru: 'Перенаправление отклонено.', en: 'Referral declined.' },
  'ref.done_complete': { tg: 'Равонасозӣ анҷом ёфт.', ru: 'Перенаправление выполнено.', en: 'Referral completed.' },
  'ref.done_withdraw': { tg: 'Равонасозӣ бозхонд шуд.', ru: 'Перенаправление отозвано.', en: 'Referral withdrawn.' },
  'ref.stats_title': { tg: 'Рақамҳо', ru: 'Показатели', en: 'Figures' },
  'ref.stats_in': { tg: 'Равонасозии воридшуда: рақамҳо', ru: 'Входящие: показатели', en: 'Incoming: figures' },
  'ref.stats_out': { tg: 'Равонасозии фиристодашуда: рақамҳо', ru: 'Исходящие: показатели', en: 'Outgoing: figures' },
  'ref.stat_sent': { tg: 'Фиристода шуд', ru: 'Отправлено', en: 'Sent' },
  'ref.stat_received': { tg: 'Ворид шуд', ru: 'Получено', en: 'Received' },
  'ref.stat_accepted': { tg: 'Қабул шуд', ru: 'Принято', en: 'Accepted' },
  'ref.stat_completed': { tg: 'Анҷом ёфт', ru: 'Выполнено', en: 'Completed' },
  'ref.stat_median': { tg: 'Рӯзҳо то ҷавоб (миёна)', ru: 'Дней до ответа (медиана)', en: 'Days to answer (median)' },
  'ref.page_title': { tg: 'Равонасозӣ', ru: 'Перенаправление', en: 'Referral' },
  'ref.page_in': { tg: 'Равонасозӣ аз', ru: 'Перенаправление от', en: 'Referral from' },
  'ref.page_out': { tg: 'Равонасозӣ ба', ru: 'Перенаправление в', en: 'Referral to' },
  'ref.shared_after_accept': {
    tg: 'Маълумоти дастрасшударо пас аз қабули равонасозӣ мебинед.',
    ru: 'Переданные сведения станут видны после того, как вы примете перенаправление.',
    en: 'You see the shared details once you accept the referral.',
  },
  'ref.shared_by': {
    tg: 'Ба ташкилоти шумо дастрас шуд. Фиристанда:',
    ru: 'Передано вашей организации. Отправитель:',
    en: 'Shared with your organisation by',
  },
  'ref.shared_hint': {
    tg: 'Шумо танҳо ҳамон маълумотеро мебинед, ки фиристанда бо розигии шахс дастрас кардааст. Ҳар кушодан сабт мешавад ва фиристанда онро мебинад.',
    ru: 'Вы видите только те сведения, которые отправитель передал с согласия лица. Каждый просмотр записывается, и отправитель его видит.',
    en: 'You see only what the sender shared, with the person’s consent. Every time you open it, this is recorded and the sender can see it.',
  },
  'ref.not_filled': { tg: 'Пур карда нашудааст', ru: 'Не заполнено', en: 'Not filled in' },
  'ref.own_title': { tg: 'Кори ташкилоти шумо', ru: 'Работа вашей организации', en: 'Your organisation’s work' },
  'ref.own_hint': {
    tg: 'Хизматҳо ва қайдҳое, ки ташкилоти шумо дар ин парванда сабт мекунад. Фиристанда онҳоро дар ҷадвали вақти парванда мебинад.',
    ru: 'Услуги и заметки, которые ваша организация вносит в этот случай. Отправитель видит их в хронологии случая.',
    en: 'The services and notes your organisation records on this case. The sender sees them on the case’s timeline.',
  },
  'ref.decision_title': { tg: 'Қарор дар бораи мақоми шахс', ru: 'Решение о статусе лица', en: 'Identification decision' },
  'ref.decision_hint': {
    tg: 'Қарори расмии мақомоти шумо дар бораи он, ки шахс қурбонии савдои одамон аст ё не.',
    ru: 'Официальное решение вашего ведомства о том, является ли лицо пострадавшим от торговли людьми.',
    en: 'Your authority’s official decision on whether the person is a victim of trafficking.',
  },

  'focal.title': { tg: 'Қарорҳо ва равонасозӣ', ru: 'Решения и перенаправления', en: 'Decisions and referrals' },
  'focal.due_title': { tg: 'Қарорҳое, ки интизоранд', ru: 'Ожидают решения', en: 'Decisions due' },
  'focal.due_hint': {
    tg: 'Парвандаҳое, ки ба мақомоти шумо равона ва қабул шудаанд, вале қарори шумо дар бораи мақоми шахс ҳанӯз сабт нашудааст.',
    ru: 'Случаи, перенаправленные вашему ведомству и принятые, по которым вы ещё не внесли решение о статусе лица.',
    en: 'Cases referred to your authority and accepted, on which you have not yet recorded the identification decision.',
  },
  'focal.none_due': { tg: 'Ҳеҷ қарор интизор нест.', ru: 'Решений не ожидается.', en: 'No decision is due.' },
  'focal.open_shared': { tg: 'Маълумоти дастрасшуда', ru: 'Переданные сведения', en: 'Shared details' },

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
