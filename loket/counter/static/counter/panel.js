/* The berkas panel: number, state, why it stopped, the current step, the actions, prints, applicant,
 * checklist, the SOP's steps and the visit history. Listens to "open" and "render". */
import { $, h, clear } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { hhmm } from "loket/time.js";
import { state, roleLabel, on, openTicket } from "./context.js";
import { MISSING, OUTCOMES } from "./strings.js";
import { loadRequirements, requirementName } from "./requirements.js";
import { timerBox } from "./timer.js";
import { actionBox } from "./actions.js";
import { printBox } from "./printing.js";
import { applicantBox } from "./applicant.js";
import { contactBox } from "./contact.js";
import { checklistBox } from "./checklist.js";
import { bookingBadge } from "./booking.js";

/** Open a berkas by id (from a list). */
export async function loadTicket(id) {
  const data = await api("GET", "/api/staff/tickets/" + id);
  openTicket(data.ticket);
  return data.ticket;
}

/** How many times a berkas was shown: a reload that started before the last show is out of date. */
let shown = 0;

/** Reload the open berkas after a live event, unless an action's own answer was shown meanwhile. */
export async function refreshTicket(id) {
  const asked = shown;
  const data = await api("GET", "/api/staff/tickets/" + id);
  if (asked !== shown || state.busy) return; // e.g. call-next answered while this was in flight: it is newer
  openTicket(data.ticket);
}

function show(ticket) {
  shown += 1;
  state.ticket = ticket;
  state.loadedAt = Date.now();
  renderBerkas();
  if (ticket && !state.requirements[ticket.service]) {
    loadRequirements(ticket.service)
      .then(() => {
        if (state.ticket === ticket) renderBerkas();
      })
      .catch(() => {});
  }
}

/** Mark the open berkas in the lists. */
export function markSelected() {
  document.querySelectorAll(".c-item").forEach((node) => {
    const open = state.ticket && Number(node.getAttribute("data-ticket-id")) === state.ticket.id;
    node.setAttribute("aria-current", open ? "true" : "false");
  });
}

/**
 * The officer's own words in the state note: a return's note starts with the missing documents
 * (written by this page for the history), which the "why" box already lists by name.
 */
function ownNote(ticket) {
  const note = ticket.state_note || "";
  if (!note || !(ticket.missing && ticket.missing.length)) return note || null;
  if ([MISSING.id, MISSING.en].some((prefix) => note.indexOf(prefix) === 0)) {
    const cut = note.indexOf(". ");
    return cut === -1 ? null : note.slice(cut + 2) || null;
  }
  return note;
}

function minutesText(n) {
  return n === null || n === undefined ? t("no_target") : fmt("target_min", { n });
}

function duration(secs) {
  if (secs === null || secs === undefined) return "";
  const m = Math.floor(secs / 60);
  const s = Math.round(secs % 60);
  return m + ":" + (s < 10 ? "0" : "") + s;
}

function head(ticket) {
  const close = () => {
    state.ticket = null;
    renderBerkas();
    $("scan-input").focus();
  };
  return h(
    "header",
    { class: "c-panel-head" },
    // a booked ticket's badge under the number, where the head has room: no extra line above the actions
    h("div", { class: "c-panel-id" }, h("p", { id: "berkas-number", class: "c-number num" }, ticket.number), bookingBadge(ticket)),
    h(
      "div",
      { class: "c-panel-title" },
      h("h2", { id: "berkas-service" }, t(ticket.service_name)),
      h(
        "p",
        { class: "c-panel-pills" },
        h("span", { id: "berkas-state", class: "c-state c-state-" + ticket.state, "data-state": ticket.state }, t(ticket.state_label)),
        ticket.priority_label ? h("span", { class: "pill pill-prio" }, t("priority") + ": " + t(ticket.priority_label)) : null,
        ticket.counter ? h("span", { class: "pill" }, ticket.counter) : null,
        ticket.call_count ? h("span", { class: "pill" }, fmt("calls", { n: ticket.call_count })) : null
      )
    ),
    h("button", { type: "button", class: "btn btn-quiet c-close", id: "berkas-close", onclick: close }, t("close"))
  );
}

/** Why it stopped: the hold's reason, the missing documents, the officer's note. */
function why(ticket) {
  const officerNote = ownNote(ticket);
  const missing = ticket.missing || [];
  if (!ticket.pending_label && !missing.length && !officerNote) return null;
  if (missing.length && !state.requirements[ticket.service]) {
    loadRequirements(ticket.service).then(() => {
      if (state.ticket === ticket) renderBerkas();
    });
  }
  const missingNames = missing.map((key) => requirementName(ticket.service, key));
  return h(
    "div",
    { class: "alert alert-info c-why" },
    ticket.pending_label ? h("p", null, h("strong", null, t(ticket.state_label) + ": " + t(ticket.pending_label))) : null,
    missingNames.length ? h("p", null, h("strong", null, t("missing")), " " + missingNames.join("; ")) : null,
    officerNote ? h("p", null, h("strong", null, t("note")), " " + officerNote) : null
  );
}

function currentStep(ticket) {
  const step = ticket.step_detail || {};
  return h(
    "section",
    { class: "c-step", id: "berkas-step" },
    h(
      "p",
      { class: "c-step-head" },
      h("span", { class: "c-step-n" }, fmt("step_of", { n: ticket.step, m: ticket.steps })),
      h("span", { class: "c-step-role" }, t(ticket.current_role_label)),
      h("span", { class: "pill" }, minutesText(step.target_minutes)),
      h("span", { class: "pill" }, step.resident_present ? t("resident_here") : t("behind")),
      step.gives_pickup_slip ? h("span", { class: "pill pill-warn" }, t("pickup_slip")) : null
    ),
    timerBox(ticket),
    // the duties fold away: the officer knows them, and the work below must fit one screen
    step.duties && step.duties.length
      ? h(
          "details",
          { class: "c-step-more" },
          h("summary", { class: "c-step-action" }, t(step.action)),
          h("ul", { class: "c-duties" }, step.duties.map((d) => h("li", null, t(d))))
        )
      : h("p", { class: "c-step-action" }, t(step.action))
  );
}

/** The SOP's steps, the current one highlighted. */
function stepList(ticket) {
  const item = (s, i) => {
    const n = i + 1;
    const done = n < ticket.step || ticket.state === "done";
    const cls = done ? "c-step-done" : n === ticket.step ? "c-step-current" : "c-step-todo";
    return h(
      "li",
      { class: cls, "aria-current": n === ticket.step && ticket.state !== "done" ? "step" : null },
      h("span", { class: "c-steps-role" }, roleLabel(s.role)),
      h("span", { class: "c-steps-action" }, t(s.action)),
      h("span", { class: "c-steps-target" }, minutesText(s.target_minutes))
    );
  };
  return h("section", { class: "c-steps" }, h("h3", null, t("steps")), h("ol", { id: "berkas-steps" }, (ticket.step_list || []).map(item)));
}

const HISTORY_COLUMNS = ["col_step", "col_role", "col_where", "col_called", "col_started", "col_ended", "col_duration", "col_outcome"];

/** The visit history: who had the berkas, when, for how long, and how it ended. */
function history(ticket) {
  const row = (v) => {
    let outcome = v.outcome ? OUTCOMES[v.outcome] || v.outcome : v.started_at ? OUTCOMES.open : OUTCOMES.queued;
    if (v.outcome === "advanced" && v.step === ticket.steps) outcome = OUTCOMES.handed_over;
    const verdict = v.within_target === true ? t("within") : v.within_target === false ? t("over") : "";
    return h(
      "tr",
      { class: v.within_target === false ? "c-over" : null },
      h("td", { class: "num" }, v.step),
      h("td", null, t(v.role_label)),
      h("td", null, [v.counter, v.officer].filter(Boolean).join(" · ")),
      h("td", { class: "num" }, hhmm(v.called_at)),
      h("td", { class: "num" }, hhmm(v.started_at)),
      h("td", { class: "num" }, hhmm(v.ended_at)),
      h("td", { class: "num" }, duration(v.service_seconds), verdict ? h("span", { class: "c-verdict" }, verdict) : null),
      h("td", null, t(outcome), v.note ? h("span", { class: "c-visit-note" }, v.note) : null)
    );
  };
  return h(
    "section",
    { class: "c-history" },
    h("h3", null, t("history")),
    h(
      "table",
      { id: "berkas-visits", class: "c-table" },
      h("thead", null, h("tr", null, HISTORY_COLUMNS.map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", null, (ticket.visits || []).map(row))
    )
  );
}

/** Draw the open berkas (or the empty hint): the work in the order it is done (documents, applicant),
 * its actions in the action bar below, always on screen; prints, the steps and the history after. */
export function renderBerkas() {
  const ticket = state.ticket;
  const panel = clear($("berkas-panel"));
  const bar = clear($("bar-actions"));
  $("berkas-empty").hidden = !!ticket;
  panel.hidden = !ticket;
  markSelected();
  if (!ticket) return;
  panel.setAttribute("data-ticket-id", ticket.id);
  panel.setAttribute("data-state", ticket.state);
  panel.appendChild(head(ticket));
  const reason = why(ticket);
  if (reason) panel.appendChild(reason);
  panel.appendChild(currentStep(ticket));
  panel.appendChild(h("div", { class: "c-panel-cols c-work" }, checklistBox(ticket), applicantBox(ticket)));
  bar.appendChild(actionBox(ticket));
  panel.appendChild(printBox(ticket));
  panel.appendChild(contactBox(ticket));
  panel.appendChild(h("div", { class: "c-panel-cols" }, stepList(ticket), history(ticket)));
}

on("open", show);
on("render", renderBerkas);
