/* Printing from the desk: reprint a ticket, print the pickup slip, and say how it went. */
import { h } from "loket/dom.js";
import { t, fmt, lang } from "loket/i18n.js";
import { api } from "loket/request.js";
import { state, say, fail, renderBerkas } from "./context.js";
import { PRINT_REASONS } from "./strings.js";

/** The print buttons for the panel. */
export function printBox(ticket) {
  const button = (id, cls, action, key) =>
    h("button", { type: "button", id, class: cls, disabled: state.printing, onclick: () => printFromPanel(action) }, t(key));
  return h(
    "div",
    { class: "c-prints", id: "berkas-prints", role: "group", "aria-label": t("prints") },
    h("span", { class: "c-prints-label" }, t("prints")),
    button("print-ticket", "btn c-print", "reprint", "act_reprint"),
    ticket.gives_pickup_slip ? button("print-slip", "btn c-print c-print-slip", "pickup-slip", "act_slip") : null,
    ticket.state === "returned" ? button("print-return", "btn c-print", "return-slip", "act_return_slip") : null,
    state.printing ? h("span", { class: "c-muted c-prints-busy", role: "status" }, t("printing")) : null
  );
}

/**
 * POST a print request. Resolves with the `print` result ({ok, printer, reason, message}),
 * also when the printer failed (502: the API still answers the result); rejects on other errors.
 */
async function postPrint(url, payload) {
  try {
    return (await api("POST", url, payload || {})).print;
  } catch (err) {
    if (err.status === 502 && err.data && err.data.print) return err.data.print;
    throw err;
  }
}

/** Reprint the ticket ("reprint") or print the pickup slip ("pickup-slip"), at a kiosk or the desk's printer. */
export function printTicket(ticketId, action, kiosk) {
  return postPrint("/api/staff/tickets/" + ticketId + "/" + action, kiosk ? { kiosk } : {});
}

/** What to tell the officer about a print result. */
export function printedText(number, action, result, kiosk) {
  if (result.ok) {
    if (action === "return-slip") return fmt("printed_return", { number, printer: shortPrinter(result.printer) });
    const key = (action === "pickup-slip" ? "printed_slip" : "printed_ticket") + (kiosk ? "_kiosk" : "");
    return fmt(key, { number, kiosk, printer: shortPrinter(result.printer) });
  }
  return fmt("print_failed", { number, message: printMessage(result) });
}

/** "file:/var/lib/loket/tickets" -> "file:…/tickets": enough to know which printer. */
export function shortPrinter(p) {
  p = String(p || "");
  if (p.length <= 36 || p.indexOf("/") === -1) return p;
  const colon = p.indexOf(":");
  return p.slice(0, colon + 1) + "…/" + p.replace(/\/+$/, "").split("/").pop();
}

/** The printer's own message in the page's language ("Indonesia (English)" from the API). */
export function printMessage(result) {
  const msg = result.message || "";
  const known = PRINT_REASONS[result.reason];
  if (lang === "en") {
    const m = /\(([^()]*)\)/.exec(msg);
    if (m) return m[1] + msg.slice(m.index + m[0].length);
  }
  if (msg) return msg.replace(/\s*\([^()]*\)/, "");
  return known ? t(known) : "";
}

async function printFromPanel(action) {
  const ticket = state.ticket;
  if (!ticket || state.printing) return;
  state.printing = true;
  renderBerkas();
  try {
    const result = await printTicket(ticket.id, action, null);
    say(printedText(ticket.number, action, result), result.ok ? "ok" : "error");
  } catch (err) {
    fail(err);
  }
  state.printing = false;
  renderBerkas();
}
