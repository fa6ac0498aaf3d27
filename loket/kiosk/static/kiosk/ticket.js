/* Taking a ticket: the button, the request, the ticket screen (printed or not) and its countdown; errors. */
import qrcode from "qrcode";
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { $, kioskId, kioskToken, state, timers } from "./state.js";
import { requestTicket, tapKey } from "./request.js";
import { isClosed } from "./availability.js";
import { onTitip, titipOffered, ticketStopped } from "./disruption.js";
import { requirementItems } from "./detail.js";
import { loadServices } from "./services.js";
import { resetToStart, show } from "./screens.js";
import { askNumber, padOffered, refuse } from "./contact.js";
import { noAnswer, showOffline } from "./offline.js";

var TICKET_SECONDS = 20; // the ticket screen returns to the start by itself
var TICKET_FAILED_SECONDS = 45; // longer when the ticket was not printed: time to photograph it

/** Enabled with "Ambil Nomor Antrean", or disabled and saying why not. */
export function updateTakeButton() {
  if (state.busy) return;
  var button = $("take-ticket");
  var closed = !!(state.current && isClosed(state.current));
  var stopped = !closed && ticketStopped(); // a disruption, and the office gives no ticket meanwhile
  // no ticket meanwhile, but the office takes the berkas: the main button leaves it (in view without scrolling)
  var titip = stopped && titipOffered();
  button.disabled = closed || (stopped && !titip);
  button.setAttribute("data-mode", titip ? "titip" : "ticket");
  button.textContent = i18n.t(closed ? "closed" : titip ? "titip_take" : stopped ? "disruption_take_stopped" : "take");
}

export function takeTicket() {
  if (state.busy || !state.current || isClosed(state.current)) return;
  if (ticketStopped()) return takeTitip();
  issue({});
}

/** Leave the berkas (titip, disruption mode): a receipt ticket; the documents go to the front desk. */
export function takeTitip() {
  if (state.busy || !state.current || isClosed(state.current) || !titipOffered()) return;
  issue({ source: "titip" });
}
onTitip(takeTitip);

function issue(extra) {
  state.busy = true;
  var button = $("take-ticket");
  button.disabled = true;
  button.textContent = i18n.t("taking");
  var titip = $("take-titip");
  if (titip) titip.disabled = true;
  resetEarly();
  var body = Object.assign({ service: state.current.code, priority: state.priority, kiosk: kioskId }, extra);
  var key = tapKey();
  var asked = padOffered() ? askNumber() : Promise.resolve("");
  asked
    .then(function (phone) {
      return issueWith(body, key, phone);
    })
    .then(presentTicket)
    .catch(function (err) {
      if (err) {
        // no answer at all: "Petugas sudah diberi tahu" would not be true
        if (noAnswer(err)) showOffline();
        else showError(err.message, err.code);
        loadServices(); // the refusal may be news: closed, quota full
      }
    })
    .then(function () {
      state.busy = false;
      updateTakeButton();
      var again = $("take-titip");
      if (again) again.disabled = false;
    });
}

/** The ticket, with the number when one was typed; a refused number goes back to the pad (no ticket yet). */
function issueWith(body, key, phone) {
  return requestTicket(Object.assign({}, body, { phone: phone || null }), key).catch(function (err) {
    var problem = ((err.data && err.data.problems) || []).find(function (p) {
      return p.field === "phone";
    });
    if (!problem) throw err;
    return refuse((problem.label && i18n.t(problem.label)) || problem.message).then(function (again) {
      return issueWith(body, key, again);
    });
  });
}

/** Show a ticket just issued (a tap, a check-in, a walk-in after a refused check-in) and start its countdown. */
export function presentTicket(ticket) {
  if (early[ticket.number]) ticket.print = early[ticket.number]; // a fast printer answered before the server did
  state.ticket = ticket;
  renderTicket();
  show("ticket");
  startCountdown(printState(ticket) === "failed" ? TICKET_FAILED_SECONDS : TICKET_SECONDS);
  loadServices(); // the queue and the quota changed
}

/** "printing" (queued, no outcome yet), "printed" or "failed" (a retry's answer: the paper is not sure either). */
function printState(tk) {
  var p = tk.print || {};
  if (p.ok === true) return "printed";
  if (p.ok === false || p.state === "replayed") return "failed"; // a retry's first print unknown: the screen is the ticket
  // Only a paired kiosk hears how its ticket printed; an unpaired one just points at the printer.
  return kioskToken() ? "printing" : "printed";
}

var early = {}; // print outcomes that came before the ticket's own answer, by number

/** A new request: print outcomes heard before it belong to no ticket shown. */
export function resetEarly() {
  early = {};
}

/** The print outcome pushed to this (paired) kiosk: the ticket on screen stays valid either way. */
export function printOutcome(outcome) {
  var tk = state.ticket;
  if (!outcome) return;
  if (!tk || outcome.number !== tk.number) {
    early[outcome.number] = outcome;
    return;
  }
  tk.print = outcome;
  renderTicket();
  if (outcome.ok === false && !$("screen-ticket").hidden) startCountdown(TICKET_FAILED_SECONDS); // time to photograph it
}

export function renderTicket() {
  var tk = state.ticket;
  if (!tk) return;
  var printing = printState(tk);
  var failed = printing === "failed";
  $("screen-ticket").setAttribute("data-printed", printing === "printing" ? "" : failed ? "false" : "true");
  $("screen-ticket").setAttribute("data-print", printing);
  $("print-failed").hidden = !failed;
  $("ticket-printing").hidden = printing !== "printing";
  $("ticket-take-paper").hidden = printing !== "printed";
  $("ticket-number").textContent = tk.number;
  $("ticket-service").textContent = i18n.t(tk.service_name);
  $("ticket-priority").hidden = !tk.priority;
  var ahead = tk.ahead || 0;
  $("ticket-ahead").textContent = tk.titip
    ? i18n.t("titip_no_queue")
    : ahead === 0
      ? i18n.t("ahead_0")
      : ahead === 1
        ? i18n.t("ahead_1")
        : i18n.fmt("ahead_n", { n: ahead });
  $("screen-ticket").setAttribute("data-titip", tk.titip ? "true" : "false");
  var notes = clear($("ticket-notices"));
  if (tk.titip) {
    // the receipt of a left berkas: what to do now, and how the resident hears back
    notes.appendChild(
      h(
        "div",
        { class: "k-notice k-notice-ok k-titip", "data-notice": "titip" },
        h("p", null, h("strong", null, i18n.t("titip_receipt_title"))),
        h("p", null, i18n.t("titip_receipt_hand_in")),
        h("p", null, i18n.t(tk.titip.messages ? "titip_receipt_message" : "titip_receipt_status"))
      )
    );
  }
  if (tk.booking) {
    var slot = tk.booking.start + "–" + tk.booking.end;
    notes.appendChild(h("p", { class: "k-notice k-notice-ok", "data-notice": "booking" }, i18n.fmt("checkin_done", { slot: slot })));
  }
  if (tk.notice) notes.appendChild(h("p", { class: "k-notice", "data-notice": "blanko" }, i18n.t(tk.notice)));
  notes.hidden = !notes.firstChild;
  $("ticket-qr").src = qrImage(tk.qr);
  $("ticket-qr").alt = i18n.t("qr_caption");
  var reqs = clear($("ticket-reqs"));
  requirementItems(tk.requirements, true).forEach(function (li) {
    reqs.appendChild(li);
  });
}

function startCountdown(seconds) {
  var left = seconds;
  var label = $("ticket-countdown");
  label.textContent = String(left);
  clearInterval(timers.countdown);
  timers.countdown = setInterval(function () {
    left -= 1;
    label.textContent = String(Math.max(0, left));
    if (left <= 0) resetToStart();
  }, 1000);
}

// The ticket's QR, drawn here from its signed code (the server sends the code, not a picture of it):
// error correction M survives a crumpled ticket; 6 px modules with a 2-module quiet zone.
export function qrImage(code) {
  var qr = qrcode(0, "M");
  qr.addData(code);
  qr.make();
  return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(qr.createSvgTag(6, 12));
}

// Refusals the resident cannot solve here: the system cannot store tickets, or no answer came at all.
var TO_THE_DESK = ["storage_unavailable", "server", "kiosk_not_paired", "kiosk_not_paired_limit"];

export function showError(message, code) {
  var desk = TO_THE_DESK.indexOf(code) !== -1;
  $("kiosk-error").setAttribute("data-error", code || "");
  $("kiosk-error-title").hidden = !desk;
  var title = i18n.t("desk_title");
  if (desk && message.indexOf(title) === 0) message = message.slice(title.length).replace(/^[.\s]+/, ""); // said above
  $("kiosk-error-text").textContent = message;
  $("kiosk-error").hidden = false;
  $("kiosk-error-close").focus();
}
