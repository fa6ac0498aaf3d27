/* Printer alerts: today's tickets and slips the resident did not get on paper, with a reprint button.
 * Dismissed alerts are remembered in this browser for the day. */
import { $, h, clear } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { hhmm } from "loket/time.js";
import { state as desk, config, say, fail } from "./context.js";
import { printTicket, printedText, printMessage, shortPrinter } from "./printing.js";
import { PRINT_REASONS } from "./strings.js";

const DISMISSED_KEY = "loket.counter.dismissedAlerts";
const MAX_ALERTS = 6;

const state = {
  alerts: [], // GET /api/staff/alerts: today's printer failures, newest first
  kiosk: [], // GET /api/staff/alerts: today's kiosk alerts (bursts of tickets, PIN lockouts), newest first
  system: null, // system.alert over Socket.IO: the database cannot be written (not stored: it cannot be)
  busy: {}, // alert group key -> true while its reprint runs
  errors: {}, // alert group key -> message of the last failed reprint
};

function today() {
  const d = new Date();
  return d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate();
}

function readDismissed() {
  try {
    const saved = JSON.parse(window.localStorage.getItem(DISMISSED_KEY) || "null");
    if (saved && saved.day === today() && Array.isArray(saved.keys)) return saved.keys;
  } catch {
    /* nothing remembered */
  }
  return [];
}

function dismiss(keys) {
  const all = readDismissed();
  keys.forEach((k) => {
    if (all.indexOf(k) === -1) all.push(k);
  });
  try {
    window.localStorage.setItem(DISMISSED_KEY, JSON.stringify({ day: today(), keys: all.slice(-500) }));
  } catch {
    /* dismissed for this page only */
  }
}

const alertKey = (a) => [a.number, a.kind, a.at].join("|");

/** Failures not dismissed, one entry per ticket and kind (the newest), with how often it failed. */
function alertGroups() {
  const dismissed = readDismissed();
  const groups = [];
  const byKey = {};
  state.alerts.forEach((a) => {
    if (dismissed.indexOf(alertKey(a)) !== -1) return;
    const key = a.number + "|" + a.kind;
    if (!byKey[key]) {
      byKey[key] = { key, latest: a, keys: [] };
      groups.push(byKey[key]);
    }
    byKey[key].keys.push(alertKey(a));
  });
  return groups;
}

/** Ask the server for today's failures (quietly: alerts are a help, not a blocker). */
export async function loadAlerts() {
  if (!desk.me || !desk.me.role) return;
  try {
    const data = await api("GET", "/api/staff/alerts");
    state.alerts = data.printer_failures || [];
    state.kiosk = data.kiosk_alerts || [];
    renderAlerts();
  } catch {
    /* the next event tries again */
  }
}

function alertItem(g) {
  const a = g.latest;
  const where = a.kiosk
    ? fmt("alert_at_kiosk", { kiosk: a.kiosk })
    : a.printer
      ? fmt("alert_at_printer", { printer: shortPrinter(a.printer) })
      : "";
  const reason = PRINT_REASONS[a.reason] ? t(PRINT_REASONS[a.reason]) : a.reason || "?";
  const text = fmt(a.kind === "slip" ? "alert_slip" : "alert_ticket", { number: a.number, reason, where }).trim();
  const busy = !!state.busy[g.key];
  const error = state.errors[g.key];
  return h(
    "li",
    { class: "c-alert", "data-number": a.number, "data-kind": a.kind, "data-reason": a.reason || "" },
    h("span", { class: "c-alert-icon", "aria-hidden": "true" }, "!"),
    h(
      "div",
      { class: "c-alert-body" },
      h("p", { class: "c-alert-text" }, text),
      h(
        "p",
        { class: "c-alert-meta" },
        a.at ? fmt("alert_when", { time: hhmm(a.at) }) : null,
        g.keys.length > 1 ? " · " + fmt("alert_times", { n: g.keys.length }) : null,
        " · " + t("alert_help")
      ),
      error ? h("p", { class: "c-alert-error", role: "alert" }, fmt("alert_retry_failed", { message: error })) : null
    ),
    h(
      "button",
      { type: "button", class: "btn btn-brand c-alert-reprint", disabled: busy, onclick: () => reprintFromAlert(g) },
      busy ? t("printing") : t("alert_reprint")
    ),
    h(
      "button",
      {
        type: "button",
        class: "btn c-alert-dismiss",
        "aria-label": t("alert_dismiss") + " " + a.number,
        onclick: () => {
          dismiss(g.keys);
          delete state.errors[g.key];
          renderAlerts();
        },
      },
      t("alert_dismiss")
    )
  );
}

const noticeKey = (a) => ["kiosk", a.reason, a.id || a.at].join("|");

/** A kiosk alert or the system alert: what happened and where, with a dismiss button (nothing to reprint). */
function noticeItem(a, key, text) {
  return h(
    "li",
    { class: "c-alert c-alert-kiosk", "data-reason": a.reason || "" },
    h("span", { class: "c-alert-icon", "aria-hidden": "true" }, "!"),
    h(
      "div",
      { class: "c-alert-body" },
      h("p", { class: "c-alert-text" }, text),
      a.at ? h("p", { class: "c-alert-meta" }, fmt("alert_when", { time: hhmm(a.at) })) : null
    ),
    h(
      "button",
      {
        type: "button",
        class: "btn c-alert-dismiss",
        onclick: () => {
          if (key === "system") state.system = null;
          else dismiss([key]);
          renderAlerts();
        },
      },
      t("alert_dismiss")
    )
  );
}

function notices() {
  const dismissed = readDismissed();
  const out = [];
  if (state.system) out.push(noticeItem(state.system, "system", t(state.system.label) || state.system.reason));
  state.kiosk.forEach((a) => {
    const key = noticeKey(a);
    if (dismissed.indexOf(key) !== -1) return;
    const text = fmt("kiosk_alert." + a.reason, {
      kiosk: a.kiosk || "?",
      address: a.address || "?",
      number: a.number || "?",
      channel: a.channel ? t("outbox_channel." + a.channel) || a.channel : "?",
      count: a.count === undefined ? "?" : String(a.count),
      subscription: a.subscription || "?",
    });
    out.push(noticeItem(a, key, text));
  });
  return out;
}

/** The database cannot be written: every desk sees it at once (it cannot be stored for later). */
export function systemAlert(payload) {
  state.system = Object.assign({ at: new Date().toISOString() }, payload || {});
  renderAlerts();
}

/** Draw the alerts (only on the desk view). */
export function renderAlerts() {
  const list = clear($("alerts-list"));
  const onDesk = document.body.getAttribute("data-view") === "desk";
  // printers and kiosks are the hall's business: the back office sees only what stops everyone (the database)
  const hall = !!desk.me && config.hall_roles.indexOf(desk.me.role) !== -1;
  const groups = onDesk && hall ? alertGroups() : [];
  const other = onDesk ? notices().filter((li, i) => hall || (i === 0 && state.system)) : [];
  $("alerts").hidden = !groups.length && !other.length;
  other.slice(0, MAX_ALERTS).forEach((li) => list.appendChild(li));
  groups.slice(0, MAX_ALERTS).forEach((g) => list.appendChild(alertItem(g)));
  if (groups.length > MAX_ALERTS) {
    list.appendChild(h("li", { class: "c-alert-more c-muted" }, fmt("alert_more", { n: groups.length - MAX_ALERTS })));
  }
}

async function reprintFromAlert(g) {
  const a = g.latest;
  const action = a.kind === "slip" ? "pickup-slip" : "reprint";
  if (state.busy[g.key]) return;
  state.busy[g.key] = true;
  delete state.errors[g.key];
  renderAlerts();
  try {
    const data = await api("POST", "/api/scan", { code: a.number });
    const result = await printTicket(data.ticket.id, action, a.kiosk);
    say(printedText(a.number, action, result, a.kiosk), result.ok ? "ok" : "error");
    if (result.ok) dismiss(g.keys);
    else state.errors[g.key] = printMessage(result);
  } catch (err) {
    state.errors[g.key] = err.message;
    fail(err);
  }
  delete state.busy[g.key];
  renderAlerts();
  return loadAlerts();
}

/** A ticket printed fine after it failed (here or at another desk): its alerts are solved. */
export function resolveAlerts(payload) {
  if (!payload || !payload.number) return;
  const kind = payload.kind || "ticket";
  const keys = state.alerts.filter((a) => a.number === payload.number && a.kind === kind).map(alertKey);
  if (keys.length) {
    dismiss(keys);
    renderAlerts();
  }
}
