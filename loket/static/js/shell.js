/* The staff pages' shell (templates/staff_base.html): log in, take a role for the session, refuse politely,
 * the language switch, the nav bar and messages. Used by the counter, the admin pages, the report pages and
 * the IKM report.
 *
 * start({roles, noRole, showFirst, cls, who, messageSeconds, open(me), close(), onLangChange(), leaving()}):
 *   roles      the session roles that open the page, in order of preference; by default the ones the page's
 *              route rendered (`page_roles` in staff_base.html, from loket.core.roles); null: any logged-in
 *              session opens it (the counter, which lets the officer choose a role and a counter itself);
 *   noRole     a string key: refuse with it when the account holds none of `roles` (else the API's refusal is shown);
 *   showFirst  show the page before `open` has loaded (charts need to be visible to be drawn);
 *   cls        the CSS class prefix of the area ("a", "r", "c");
 *   who        false: the page shows who works itself (the counter's station), not the shell's "name · role";
 *   leaving()  true while there are unsaved changes: log-out and leaving the page ask first.
 */
import { $, serverData } from "./dom.js";
import { t, fmt, addStrings, pageStrings, bilingual, onLangChange, initLangSwitch } from "./i18n.js";
import { api } from "./request.js";
import { login, logout as endSession } from "./login.js";
import { messageBox } from "./messages.js";

addStrings(pageStrings("js/shell"));

/** The session (GET /api/me), the page's options, and which view shows. */
export const state = { me: null, page: null, view: "loading" };
const cfg = { roles: [], cls: "a", who: true, messageSeconds: 8 };
let refusal = null; // {text(), role}: what the refusal view says, again on a language change
let opened = false;
let sayInBox = null;

export { $ } from "./dom.js";
export { bilingual } from "./i18n.js";

// ---- messages -------------------------------------------------------------

/** A message at the top of the page: kind "info" (fades), "ok" (fades) or "error" (stays). */
export function say(text, kind) {
  if (!sayInBox) sayInBox = messageBox($("messages"), { cls: cfg.cls, seconds: cfg.messageSeconds });
  sayInBox(text, kind);
}

/** An error as a message, the API's "Indonesia (English)" in the page's language. */
export function fail(err) {
  say(bilingual(err && err.message ? err.message : String(err)), "error");
}

/** An API error while the page works: a lost session goes back to log-in, a refusal to the refusal view. */
export function handle(err) {
  if (err && err.status === 401) {
    state.me = null;
    route();
    return;
  }
  if (err && err.status === 403 && err.code !== "conflict") {
    refuseWith((err.data && err.data.label) || err.message);
    return;
  }
  fail(err);
}

// ---- views ----------------------------------------------------------------

function roleOf(me, code) {
  return ((me && me.roles) || []).find((r) => r.code === code);
}

/** The label of one of the session's roles, in the page's language. */
export function roleLabel(me, code) {
  const role = roleOf(me, code);
  return role ? t(role.label) : code;
}

function showWho() {
  const me = state.me;
  $("who").textContent = fmt("who", { name: me.user.full_name, role: roleLabel(me, me.role) });
}

function showView(name) {
  state.view = name;
  ["loading", "login", "refused"].forEach((v) => {
    $("view-" + v).hidden = name !== v;
  });
  $("page").hidden = name !== "page";
  document.querySelectorAll("[data-page-only]").forEach((node) => {
    node.hidden = name !== "page";
  });
  document.querySelectorAll("[data-role-only]").forEach((node) => {
    node.hidden = !(state.me && state.me.role === node.getAttribute("data-role-only"));
  });
  document.body.setAttribute("data-view", name === "page" ? document.body.getAttribute("data-page") || name : name);
  $("logout").hidden = !(state.me && state.me.user);
  $("who").hidden = name !== "page" || !cfg.who;
  if (name === "page" && cfg.who) showWho();
}

// ---- who may open the page ------------------------------------------------------

function heldRole(me) {
  return cfg.roles.find((code) => roleOf(me, code));
}

/** Where the session stands: log in, refuse, switch roles, or open the page. */
export function route(justLoggedIn) {
  const me = state.me;
  if (!me || !me.user) {
    closePage();
    showView("login");
    $("login-username").focus();
    return Promise.resolve();
  }
  if (!cfg.roles || cfg.roles.indexOf(me.role) !== -1) return openPage();
  const held = heldRole(me);
  if (!held && cfg.noRole) {
    refuse(() => t(cfg.noRole), null);
    return Promise.resolve();
  }
  if (held && me.role && !justLoggedIn) {
    // Working at a desk in another role: do not take the desk away without asking.
    refuse(
      () =>
        fmt("refused_working_as", {
          role: roleLabel(me, me.role),
          where: me.counter ? " (" + me.counter.name + ")" : "",
          report: roleLabel(me, held),
        }),
      held
    );
    return Promise.resolve();
  }
  return takeRole(held || cfg.roles[0]);
}

/** Take a role for this session (no counter); the API refuses anyone without it. */
async function takeRole(role) {
  try {
    state.me = await api("POST", "/api/session", { role, counter_id: null });
  } catch (err) {
    if (err.status === 401) {
      state.me = null;
      return route();
    }
    refuseWith((err.data && err.data.label) || err.message);
    return;
  }
  return openPage();
}

async function openPage() {
  if (cfg.showFirst) showView("page");
  say("");
  opened = true;
  try {
    await state.page.open(state.me);
    if (!cfg.showFirst) showView("page");
  } catch (err) {
    handle(err);
  }
}

function closePage() {
  if (opened && state.page && state.page.close) state.page.close();
  opened = false;
}

function showRefusal() {
  $("refused-message").textContent = refusal.text();
  const button = $("switch-role");
  button.hidden = !refusal.role;
  if (refusal.role && !button.hasAttribute("data-i18n")) {
    button.textContent = fmt("switch_to", { role: roleLabel(state.me, refusal.role) });
  }
  const hint = $("refused-hint");
  if (hint) hint.hidden = !!refusal.role;
}

/** The refusal view: `text()` says why; `role`, when given, is offered to switch to. */
function refuse(text, role) {
  closePage();
  refusal = { text, role };
  showRefusal();
  showView("refused");
}

/** The API's own refusal ("Indonesia (English)"), in the page's language. */
function refuseWith(apiMessage) {
  refuse(() => bilingual(apiMessage), null);
}

// ---- log in / out -----------------------------------------------------------

/** A failed log-in: next to the form when the page has a place for it, else as a message. */
function loginFailed(err) {
  const box = $("login-error");
  if (!box) return fail(err);
  box.textContent = bilingual(err && err.message ? err.message : String(err));
  box.hidden = false;
}

async function submitLogin(ev) {
  ev.preventDefault();
  const button = $("login-submit");
  button.disabled = true;
  if ($("login-error")) $("login-error").hidden = true;
  try {
    state.me = await login($("login-username").value, $("login-password").value);
    $("login-password").value = "";
    say("");
    await route(true);
  } catch (err) {
    loginFailed(err);
  }
  button.disabled = false;
}

function leaving() {
  return !!(state.page && state.page.leaving && state.page.leaving());
}

/** Log out (asking first when there are unsaved changes) and show the log-in. */
export async function logout() {
  if (leaving() && !window.confirm(t("leave_unsaved"))) return;
  await endSession();
  state.me = null;
  say("");
  route();
}

// ---- start ---------------------------------------------------------------------

/** Start the page (see the options above); call once. */
export async function start(options) {
  Object.assign(cfg, { roles: serverData("page-roles", []) }, options);
  state.page = options;
  $("switch-role").addEventListener("click", () => {
    if (refusal && refusal.role) takeRole(refusal.role);
  });
  $("login-form").addEventListener("submit", submitLogin);
  $("logout").addEventListener("click", logout);
  $("refused-logout").addEventListener("click", logout);
  window.addEventListener("beforeunload", (ev) => {
    if (state.view === "page" && leaving()) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });
  onLangChange(() => {
    if (refusal && state.view === "refused") showRefusal();
    if (state.view === "page") {
      if (cfg.who) showWho();
      if (options.onLangChange) options.onLangChange();
    }
  });
  initLangSwitch();
  try {
    state.me = await api("GET", "/api/me");
  } catch (err) {
    fail(err);
    showView("login");
    return;
  }
  await route();
}
