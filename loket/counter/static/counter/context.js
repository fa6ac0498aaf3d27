/* What the desk's modules share: the session, the open berkas, the server's constants, messages, and the
 * few signals one behaviour gives another (open a berkas, draw it again, reload the lists). */
import { serverData } from "loket/dom.js";
import { t } from "loket/i18n.js";
import { say as shellSay } from "loket/shell.js";

/** Rendered by the page route (counter/routes.py): {hall_roles, register_roles, cancel_any_step_roles}. */
export const config = serverData("desk-config", { hall_roles: [], register_roles: [], cancel_any_step_roles: [], void_roles: [] });

export const state = {
  me: null, // GET /api/me: user, roles, role, counter
  labels: null, // GET /api/labels
  counters: [], // GET /api/counters
  ticket: null, // the berkas open in the panel
  requirements: {}, // service code -> requirements, for the checklist and the return dialog
  loadedAt: 0, // Date.now() when state.ticket arrived (the step timer ticks from here)
  busy: false, // an action on the berkas is on its way
  printing: false, // a reprint or slip request is on its way
};

/** A message at the bottom of the desk. */
export const say = shellSay;

/** An error as a message, the API's words as they came. */
export function fail(err) {
  say(err && err.message ? err.message : String(err), "error");
}

/** A role's name: from /api/labels, else from the session's roles, else its code. */
export function roleLabel(code) {
  if (state.labels && state.labels.roles[code]) return t(state.labels.roles[code]);
  const mine = (state.me && state.me.roles) || [];
  const found = mine.find((r) => r.code === code);
  return found ? t(found.label) : code;
}

/** The officer may work this berkas now: its step is theirs and it is still open. */
export function canWork(ticket) {
  return ticket.current_role === state.me.role && ticket.state !== "done" && ticket.state !== "cancelled";
}

// ---- signals between behaviours (the panel, the lists and the desk listen) ----

const listeners = {};

/** Listen to a signal: "open" (ticket), "render" (), "lists" (), "session" (). */
export function on(signal, fn) {
  (listeners[signal] = listeners[signal] || []).push(fn);
}

function emit(signal, value) {
  return Promise.all((listeners[signal] || []).map((fn) => fn(value)));
}

/** Show this berkas in the panel. */
export const openTicket = (ticket) => emit("open", ticket);
/** Draw the open berkas again (its state, a print running, the language). */
export const renderBerkas = () => emit("render");
/** Reload the lists of this counter and of the role. */
export const refreshLists = () => emit("lists");
/** The session changed under the desk (lost role): ask the server again and show the right view. */
export const sessionChanged = () => emit("session");
