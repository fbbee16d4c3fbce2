// app.js - the UI shell: who is signed in, the login form (with its TOTP
// step), the frame with header and menu, hash routing, the language switch.
//
// Markup lives in index.html; this file only shows, hides and fills it.
// Every visible text goes through i18n.js: dynamic texts are set with a
// data-i18n key, so a change of language re-translates the whole page with
// one applyI18n(document).

import { t, getLang, setLang, applyI18n } from './i18n.js';
import { totpView } from './totp.js';
import { api, setCsrfToken, problemType } from './api.js';
import { refreshLive, live } from './dom.js';
import { forgetSchema, loadSchema, codeText } from './forms.js';
import { caseListView } from './cases.js';
import { casePageView } from './casepage.js';
import { registerView } from './register.js';
import { screeningView } from './screening.js';
import { followupsView } from './followups.js';
import { referView } from './refer.js';
import { inboxView, referralPageView } from './referrals.js';
import { directoryView } from './directory.js';
import { focalView } from './focal.js';
import { hotlineView } from './hotline.js';
import { callbacksView } from './callbacks.js';
import { hotlineStatsView } from './hotlinestats.js';
import { dashboardView } from './dashboard.js';
import { trainingsView, trainingPageView } from './trainings.js';
import { kbRoute } from './kb.js';
import { adminView, passwordView } from './admin.js';
import { homeView } from './home.js';
import { personsView } from './persons.js';
import { mayRegister } from './page.js';
import { duplicatesView } from './duplicates.js';
import { preventionView } from './prevention.js';
import { planView } from './plan.js';
import { libraryView, libraryPageView } from './library.js';
import { orientationsView } from './orientations.js';

// The menu: route id, catalogue key, and the roles that use the section.
// Hiding a section is a convenience only: the server decides what a role
// may read or change.
const ALL_ROLES = ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point', 'analyst', 'trainer'];
const SECTIONS = [
  { id: 'cases', roles: ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point'] },
  { id: 'persons', roles: ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point'] },
  { id: 'hotline', roles: ['supervisor', 'hotline'] },
  { id: 'callbacks', roles: ['supervisor', 'hotline'] },
  { id: 'hotstats', roles: ['supervisor'] },
  { id: 'followups', roles: ['supervisor', 'caseworker'] },
  { id: 'referrals', roles: ['supervisor', 'caseworker', 'hotline', 'focal_point'] },
  { id: 'directory', roles: ALL_ROLES },
  { id: 'kb', roles: ALL_ROLES },
  { id: 'focal', roles: ['focal_point'] },
  { id: 'reports', roles: ['supervisor', 'analyst'] },
  { id: 'trainings', roles: ['supervisor', 'trainer'] },
  { id: 'orientations', roles: ['supervisor', 'caseworker'] },
  { id: 'plan', roles: ['supervisor', 'caseworker', 'focal_point', 'analyst', 'trainer', 'admin'] },
  { id: 'library', roles: ALL_ROLES },
  { id: 'admin', roles: ['admin'] },
  { id: 'security', roles: ALL_ROLES },
];

// Pages that work, by the first part of the hash; `nav` is the menu
// entry they belong to.  Sections without a view are "being prepared".
const VIEWS = {
  cases: (ctx) => {
    if (ctx.params.length === 1) return caseListView(ctx);
    if (ctx.params.length === 2) return casePageView(ctx, ctx.params[1]);
    if (ctx.params.length === 3 && ctx.params[2] === 'screening') return screeningView(ctx, ctx.params[1]);
    if (ctx.params.length === 3 && ctx.params[2] === 'refer') return referView(ctx, ctx.params[1]);
    return null;
  },
  referrals: (ctx) => {
    if (ctx.params.length === 1) return inboxView(ctx);
    if (ctx.params.length === 2) return referralPageView(ctx, ctx.params[1]);
    return null;
  },
  persons: (ctx) => {
    if (ctx.params.length === 1) return personsView(ctx);
    if (ctx.params.length === 3 && ctx.params[2] === 'prevention') return preventionView(ctx, ctx.params[1]);
    return null;
  },
  directory: (ctx) => (ctx.params.length === 1 ? directoryView(ctx) : null),
  kb: (ctx) => kbRoute(ctx),
  focal: (ctx) => (ctx.params.length === 1 ? focalView(ctx) : null),
  register: { nav: 'cases', allow: mayRegister, view: (ctx) => (ctx.params.length === 1 ? registerView(ctx) : null) },
  followups: (ctx) => (ctx.params.length === 1 ? followupsView(ctx) : null),
  hotline: (ctx) => (ctx.params.length === 1 ? hotlineView(ctx) : null),
  callbacks: (ctx) => (ctx.params.length === 1 ? callbacksView(ctx) : null),
  hotstats: (ctx) => (ctx.params.length === 1 ? hotlineStatsView(ctx) : null),
  reports: (ctx) => (ctx.params.length === 1 ? dashboardView(ctx) : null),
  trainings: (ctx) => {
    if (ctx.params.length === 1) return trainingsView(ctx);
    if (ctx.params.length === 2) return trainingPageView(ctx, ctx.params[1]);
    return null;
  },
  admin: (ctx) => adminView(ctx),
  plan: (ctx) => (ctx.params.length === 1 ? planView(ctx) : null),
  orientations: (ctx) => (ctx.params.length === 1 ? orientationsView(ctx) : null),
  library: (ctx) => {
    if (ctx.params.length === 1) return libraryView(ctx);
    if (ctx.params.length === 2) return libraryPageView(ctx, ctx.params[1]);
    return null;
  },
  security: { nav: 'security', roles: ALL_ROLES, view: (ctx) => (ctx.params.length === 1 ? totpView(ctx) : null) },
  duplicates: { nav: 'persons', roles: ['supervisor', 'caseworker'], view: (ctx) => (ctx.params.length === 1 ? duplicatesView(ctx) : null) },
};

const $ = (id) => document.getElementById(id);
const el = {
  boot: $('boot'),
  skip: document.querySelector('.skip-link'),
  langBox: $('lang-box'),
  lang: $('lang'),
  loginView: $('login-view'),
  langSlotLogin: $('lang-slot-login'),
  form: $('login-form'),
  stepPassword: $('step-password'),
  stepTotp: $('step-totp'),
  login: $('login'),
  password: $('password'),
  totp: $('totp'),
  error: $('login-error'),
  submit: $('login-submit'),
  back: $('login-back'),
  frame: $('app-frame'),
  langSlotFrame: $('lang-slot-frame'),
  navToggle: $('nav-toggle'),
  nav: $('nav'),
  navList: $('nav-list'),
  userName: $('user-name'),
  userRole: $('user-role'),
  userOrg: $('user-org'),
  logout: $('logout'),
  main: $('main'),
  pageTitle: $('page-title'),
  pageText: $('page-text'),
  view: $('view'),
};

let user = null;      // the signed-in user, as GET /api/v1/me gives it
let mustEnrol = false; // a role that requires a second factor, not yet set up
let mustChange = false; // signed in with a one-time password, not yet changed
let totpStep = false; // the login form asks for the second factor
let busy = false;     // a login request is on its way
let routeSeq = 0;     // which routing is current: a slow answer for an earlier page is dropped
let leaveGuard = null; // the current view's "what would be lost if you left" (a text), or null
let shownHash = '';   // the hash of the page on screen, to put back when leaving is refused

// ---- language -------------------------------------------------------------

function refreshTexts() {
  document.documentElement.lang = getLang();
  el.lang.value = getLang();
  applyI18n(document);
  refreshLive(document);
  document.title = pageTitle();
}

function pageTitle() {
  if (user === null) return `${t('login.title')} — ${t('app.name')}`;
  const text = el.pageTitle.textContent.trim();
  return text && el.pageTitle.dataset.i18n !== 'frame.welcome' ? `${text} — ${t('app.name')}` : t('app.name');
}

function onLangChange() {
  setLang(el.lang.value);
  refreshTexts();
}

// ---- login view -------------------------------------------------------------

function setText(node, key) {
  node.removeAttribute('data-live'); // a view's live title no longer applies
  if (key) {
    node.dataset.i18n = key;
    node.textContent = t(key);
  } else {
    delete node.dataset.i18n;
    node.textContent = '';
  }
}

function showError(key) {
  setText(el.error, key);
}

function markInvalid(...inputs) {
  for (const input of [el.login, el.password, el.totp]) {
    if (inputs.includes(input)) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

function setTotpStep(on) {
  totpStep = on;
  el.stepPassword.hidden = on;
  el.stepTotp.hidden = !on;
  el.back.hidden = !on;
  el.totp.value = '';
  setText(el.submit, on ? 'login.verify' : 'login.submit');
  if (on) el.totp.focus();
}

function resetLoginForm() {
  el.form.reset();
  setTotpStep(false);
  markInvalid();
  showError(null);
}

function showLogin(errorKey) {
  user = null;
  routeSeq += 1;
  el.view.replaceChildren();
  forgetSchema();
  setCsrfToken(null);
  closeNav();
  el.boot.hidden = true;
  el.frame.hidden = true;
  el.loginView.hidden = false;
  el.langSlotLogin.append(el.langBox);
  el.skip.href = '#main-login';
  resetLoginForm();
  if (errorKey) showError(errorKey);
  refreshTexts();
  el.login.focus();
}

async function onLoginSubmit(event) {
  event.preventDefault();
  if (busy) return;
  showError(null);
  const login = el.login.value.trim();
  const password = el.password.value;
  const body = { login, password };
  if (!totpStep && (login === '' || password === '')) {
    markInvalid(...(login === '' ? [el.login] : []), ...(password === '' ? [el.password] : []));
    showError('error.required');
    (login === '' ? el.login : el.password).focus();
    return;
  }
  if (totpStep) {
    const code = el.totp.value.replace(/\s+/g, '');
    if (!/^[0-9]{6}$/.test(code)) {
      markInvalid(el.totp);
      showError('error.totp_format');
      el.totp.focus();
      return;
    }
    body.totp = code;
  }
  markInvalid();

  busy = true;
  el.form.setAttribute('aria-busy', 'true');
  el.submit.setAttribute('aria-disabled', 'true');
  let res;
  try {
    res = await api('POST', '/session', body);
  } catch {
    res = null;
  } finally {
    busy = false;
    el.form.removeAttribute('aria-busy');
    el.submit.removeAttribute('aria-disabled');
  }
  handleLoginAnswer(res);
}

function handleLoginAnswer(res) {
  if (res === null) {
    showError('error.network');
    return;
  }
  if (res.status === 200 && res.body && res.body.user) {
    setCsrfToken(res.body.csrf_token);
    el.form.reset();
    mustEnrol = !!res.body.totp_enrolment_required;
    mustChange = !!res.body.password_change_required;
    showFrame(res.body.user);
    return;
  }
  if (res.status === 429) {
    showError('error.rate');
    return;
  }
  if (res.status !== 401) {
    showError('error.server');
    return;
  }
  switch (problemType(res.body)) {
  case 'totp-required':
    setTotpStep(true);
    break;
  case 'totp-invalid':
    if (!totpStep) setTotpStep(true);
    el.totp.value = '';
    markInvalid(el.totp);
    showError('error.totp');
    el.totp.focus();
    break;
  default: // invalid-credentials, or anything else that refuses the pair
    if (totpStep) setTotpStep(false);
    el.password.value = '';
    markInvalid(el.login, el.password);
    showError('error.credentials');
    el.password.focus();
  }
}

function onLoginBack() {
  setTotpStep(false);
  markInvalid();
  showError(null);
  el.password.focus();
}

// ---- frame --------------------------------------------------------------------

function sectionsFor(role) {
  return SECTIONS.filter((s) => s.roles.includes(role));
}

function buildNav() {
  el.navList.replaceChildren();
  const items = [{ id: '', key: 'nav.home' }, ...sectionsFor(user.role).map((s) => ({ id: s.id, key: `nav.${s.id}` }))];
  for (const item of items) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#/${item.id}`;
    a.id = `nav-${item.id || 'home'}`;
    a.dataset.i18n = item.key;
    a.textContent = t(item.key);
    li.append(a);
    el.navList.append(li);
  }
}

function showFrame(who) {
  user = who;
  el.userName.textContent = user.login || '';
  // The role's name is its label in the code list (GET /schema, from
  // schema/labels.json), shown once the schema is in: never the code.
  delete el.userRole.dataset.i18n;
  el.userRole.textContent = '';
  loadSchema().then(() => {
    if (user === who) live(el.userRole, codeText('roles', who.role));
  }, () => { /* the view that needs the schema says what went wrong */ });
  el.userOrg.textContent = (user.org && user.org.name) || '';
  buildNav();
  el.boot.hidden = true;
  el.loginView.hidden = true;
  el.frame.hidden = false;
  el.langSlotFrame.append(el.langBox);
  el.skip.href = '#main';
  route(false);
}

// What a view gets: the hash's parts, where to draw, and ways to set the
// title, move to another page, and end a session the server has ended.
function viewContext(params, seq) {
  return {
    user,
    params,
    root: el.view,
    alive: () => seq === routeSeq && user !== null,
    title(text) {
      delete el.pageTitle.dataset.i18n;
      live(el.pageTitle, text);
      document.title = pageTitle();
    },
    go(hash) {
      if (location.hash === hash) route(true);
      else location.hash = hash;
    },
    // fn() says what leaving the page now would lose (a sentence), or null.
    guard(fn) {
      if (seq === routeSeq) leaveGuard = fn;
    },
    signedOut() {
      showLogin('error.session');
    },
  };
}

function viewOf(id) {
  const v = VIEWS[id];
  if (!v) return null;
  return typeof v === 'function' ? { view: v } : v;
}

// #/ is home, #/cases (or #/cases/anything) a section.
function route(moveFocus) {
  if (user === null) return;
  routeSeq += 1;
  if (mustChange) {
    // A one-time password: nothing else works until it is changed.
    el.view.replaceChildren();
    el.pageText.hidden = true;
    passwordView(viewContext(['password'], routeSeq), (me) => {
      mustChange = false;
      if (me && me.user) user = me.user;
      mustEnrol = !!(me && me.totp_enrolment_required);
      route(true);
    });
    return;
  }
  if (mustEnrol) {
    // Nothing else works until the second factor is set up.
    el.view.replaceChildren();
    el.pageText.hidden = true;
    totpView(viewContext(['security'], routeSeq), (me) => {
      mustEnrol = false;
      if (me && me.user) user = me.user;
      route(true);
    });
    return;
  }
  shownHash = location.hash;
  leaveGuard = null;
  const params = location.hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map(decodeURIComponent);
  const id = params[0] || '';
  const v = viewOf(id);
  const navId = (v && v.nav) || id;
  const allowed = v && v.allow ? v.allow(user)
    : v && v.roles ? v.roles.includes(user.role) : sectionsFor(user.role).some((s) => s.id === id);
  el.view.replaceChildren();
  let shown = false;
  if (id === '') {
    // A role with work of its own lands on it (the view may retitle the
    // page); the others are welcomed.
    setText(el.pageTitle, 'nav.home');
    setText(el.pageText, null);
    shown = true;
    if (homeView(viewContext(params, routeSeq)) === null) {
      setText(el.pageTitle, 'frame.welcome');
      setText(el.pageText, 'frame.welcome_lead');
    }
  } else if (allowed && v) {
    setText(el.pageText, null);
    el.pageText.hidden = true;
    setText(el.pageTitle, `nav.${navId}`);
    shown = v.view(viewContext(params, routeSeq)) !== null;
    if (!shown) setText(el.pageTitle, 'frame.not_found');
  } else if (allowed) {
    setText(el.pageTitle, `nav.${id}`);
    setText(el.pageText, 'frame.preparing');
    shown = true;
  } else {
    setText(el.pageTitle, 'frame.not_found');
    setText(el.pageText, null);
  }
  el.pageText.hidden = el.pageText.textContent === '';
  const current = shown ? `#/${navId}` : null;
  for (const a of el.navList.querySelectorAll('a')) {
    if (a.getAttribute('href') === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = pageTitle();
  closeNav();
  if (moveFocus) el.main.focus();
}

// Another page: asked first when the page on screen would lose what was
// typed into it; a refusal puts the address back.
function onHashChange() {
  if (location.hash === shownHash) return;
  const loss = user !== null && leaveGuard ? leaveGuard() : null;
  if (loss && !window.confirm(loss)) {
    history.replaceState(null, '', shownHash || `${location.pathname}${location.search}`);
    closeNav();
    return;
  }
  route(true);
}

function closeNav() {
  el.frame.classList.remove('nav-open');
  el.navToggle.setAttribute('aria-expanded', 'false');
}

function onNavToggle() {
  const open = !el.frame.classList.contains('nav-open');
  el.frame.classList.toggle('nav-open', open);
  el.navToggle.setAttribute('aria-expanded', String(open));
  if (open) el.navList.querySelector('a')?.focus();
}

function onKeydown(event) {
  if (event.key === 'Escape' && el.frame.classList.contains('nav-open')) {
    closeNav();
    el.navToggle.focus();
  }
}

async function onLogout() {
  try {
    await api('DELETE', '/session');
  } catch {
    // Offline: the server's session ends on its own with the idle timeout.
  }
  history.replaceState(null, '', location.pathname + location.search);
  showLogin();
}

// ---- start ----------------------------------------------------------------------

async function start() {
  refreshTexts();
  el.lang.addEventListener('change', onLangChange);
  el.form.addEventListener('submit', onLoginSubmit);
  el.back.addEventListener('click', onLoginBack);
  el.navToggle.addEventListener('click', onNavToggle);
  el.logout.addEventListener('click', onLogout);
  window.addEventListener('hashchange', onHashChange);
  window.addEventListener('beforeunload', (e) => {
    if (user !== null && leaveGuard && leaveGuard()) e.preventDefault();
  });
  document.addEventListener('keydown', onKeydown);

  let res;
  try {
    res = await api('GET', '/me');
  } catch {
    showLogin('error.network');
    return;
  }
  if (res.status === 200 && res.body && res.body.user) {
    setCsrfToken(res.body.csrf_token);
    mustEnrol = !!res.body.totp_enrolment_required;
    mustChange = !!res.body.password_change_required;
    showFrame(res.body.user);
  } else if (res.status === 401) {
    showLogin();
  } else {
    showLogin('error.server');
  }
}

start();
