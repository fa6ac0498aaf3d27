/* The flow of a berkas: the buttons its state allows (call again, start, pass on, hold, return, no-show,
 * cancel), and the hold, return and cancel dialogs. */
import { $, h, clear } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { config, state, say, fail, roleLabel, openTicket, renderBerkas, refreshLists } from "./context.js";
import { closeDialog } from "./dialogs.js";
import { loadRequirements, requirementName } from "./requirements.js";
import { tickedFor, checklistSaved } from "./checklist.js";
import { openTransfer } from "./transfer.js";
import { printedText } from "./printing.js";
import { hhmm } from "loket/time.js";
import { callNext } from "./calling.js";

/** Each action's label and look; `kbd`: its keyboard shortcut (shortcuts.js), shown on the button. */
const ACTION_LOOK = {
  call: { key: "act_call", cls: "btn btn-primary", kbd: "F4" },
  recall: { key: "act_recall", cls: "btn", kbd: "F3" },
  start: { key: "act_start", cls: "btn btn-primary", kbd: "F4" },
  advance: { key: "act_advance", cls: "btn btn-primary", kbd: "F8" },
  "hand-over": { key: "act_hand_over", cls: "btn btn-primary", kbd: "F8" },
  "done-next": { key: "act_done_next", cls: "btn btn-primary c-action-next", kbd: "F9" },
  pend: { key: "act_pend", cls: "btn" },
  resume: { key: "act_resume", cls: "btn btn-primary" },
  return: { key: "act_return", cls: "btn" },
  "no-show": { key: "act_no_show", cls: "btn" },
  transfer: { key: "act_transfer", cls: "btn" },
  cancel: { key: "act_cancel", cls: "btn btn-danger" },
};

/** Buttons that make sense for this state, for an officer of the step's role. */
function actionsFor(ticket) {
  const me = state.me;
  if (ticket.state === "done" || ticket.state === "cancelled") return [];
  if (ticket.current_role !== me.role) return config.cancel_any_step_roles.indexOf(me.role) !== -1 ? ["cancel"] : [];
  // at a hall counter, finishing can call the next resident in the same press
  const next = me.counter && config.hall_roles.indexOf(me.role) !== -1 ? ["done-next"] : [];
  switch (ticket.state) {
    case "waiting":
    case "ready":
      // a resident in the queue is called (announced, logged with a reason), never started unseen
      return me.counter ? ["call", "transfer", "cancel"] : ["transfer", "cancel"];
    case "called":
      return ["start", "recall", "no-show", "transfer", "cancel"];
    case "serving":
      return [...next, ticket.step === ticket.steps ? "hand-over" : "advance", "pend", "return", "transfer", "cancel"];
    case "in_process":
      return ["start", "pend", "cancel"];
    case "pending":
    case "returned":
      return ["resume", "cancel"];
    case "no_show":
      return ["resume"];
    default:
      return [];
  }
}

function noShowTooEarly(ticket) {
  return (Number(ticket.call_count) || 0) < (Number(ticket.calls_before_no_show) || 0);
}

/** A left berkas (titip, disruption mode) not yet received: the front desk opens it and receives the documents. */
function titipAtDesk(ticket) {
  return ticket.source === "titip" && ticket.step === 1 && (ticket.state === "in_process" || ticket.state === "serving");
}

function actionLabel(ticket, action) {
  if (titipAtDesk(ticket) && action === "start") return "act_titip_open";
  if (titipAtDesk(ticket) && action === "advance") return "act_titip_receive";
  return action === "start" && ticket.state === "in_process" ? "act_start_process" : ACTION_LOOK[action].key;
}

function actionButton(ticket, action) {
  const look = ACTION_LOOK[action];
  const label = t(actionLabel(ticket, action));
  let sub = null;
  if ((action === "advance" || action === "done-next") && ticket.step_list[ticket.step]) {
    sub = fmt("next_to", { role: roleLabel(ticket.step_list[ticket.step].role) });
  }
  if (action === "recall") sub = fmt("calls", { n: ticket.call_count });
  // The server refuses a no-show before the office's number of calls: say so before it does.
  const tooEarly = action === "no-show" && noShowTooEarly(ticket);
  if (tooEarly) sub = fmt("no_show_after", { n: ticket.calls_before_no_show });
  // ... and before the office's minutes since the first call: the server says so too, with the same time
  const notYet = action === "no-show" && !tooEarly && ticket.no_show_from && Date.parse(ticket.as_of) < Date.parse(ticket.no_show_from);
  if (notYet) sub = fmt("no_show_from", { time: hhmm(ticket.no_show_from) });
  return h(
    "button",
    {
      type: "button",
      id: "act-" + action,
      class: look.cls + " c-action c-action-" + action,
      "data-action": action,
      "aria-keyshortcuts": look.kbd || null,
      disabled: tooEarly,
      title: tooEarly ? fmt("no_show_wait", { n: ticket.calls_before_no_show, c: ticket.call_count }) : null,
      onclick: () => onAction(action),
    },
    h("span", null, label, look.kbd ? h("kbd", { class: "c-kbd" }, look.kbd) : null),
    sub ? h("span", { class: "c-action-sub" }, sub) : null
  );
}

/** The action buttons for the panel, and why there are none when the step is not the officer's. */
export function actionBox(ticket) {
  const box = h("div", { class: "c-actions", id: "berkas-actions" });
  if (titipAtDesk(ticket) && ticket.current_role === state.me.role) {
    box.appendChild(h("p", { class: "alert alert-info c-titip", "data-titip": ticket.state }, t(ticket.state === "serving" ? "titip_check" : "titip_open")));
  }
  actionsFor(ticket).forEach((a) => box.appendChild(actionButton(ticket, a)));
  if (ticket.state === "done" || ticket.state === "cancelled") {
    box.appendChild(h("p", { class: "c-muted" }, t("closed")));
  } else if (ticket.current_role !== state.me.role) {
    const text = fmt("not_your_step", { role: t(ticket.current_role_label), mine: roleLabel(state.me.role) });
    box.appendChild(h("p", { class: "alert alert-info c-not-yours" }, text));
  }
  return box;
}

/** Change the open berkas's state: POST /api/staff/tickets/<id>/<action>. */
export async function post(action, payload) {
  const ticket = state.ticket;
  if (!ticket || state.busy) return;
  state.busy = true;
  document.querySelectorAll(".c-action").forEach((b) => {
    b.disabled = true;
  });
  try {
    await checklistSaved(); // the ticks reach the server before the berkas moves on
    const data = await api("POST", "/api/staff/tickets/" + ticket.id + "/" + action, payload || {});
    if (data.ticket) {
      openTicket(data.ticket);
      say(fmt("done_action", { number: data.ticket.number, state: t(data.ticket.state_label) }), "ok");
    }
    if (data.ticket && data.print) {
      // "Kembalikan" printed the slip of missing documents at this desk: say how it went
      say(printedText(data.ticket.number, "return-slip", data.print), data.print.ok ? "ok" : "error");
    }
    refreshLists();
  } catch (err) {
    fail(err);
    renderBerkas();
  }
  state.busy = false;
}

/** Finish the step (pass the berkas on, or hand the document over) and call the next resident. */
async function doneAndNext() {
  const ticket = state.ticket;
  await post(ticket.step === ticket.steps ? "hand-over" : "advance");
  if (state.ticket && state.ticket.id === ticket.id && state.ticket.state === "serving") return; // it failed
  callNext();
}

function onAction(action) {
  if (action === "done-next") return doneAndNext();
  if (action === "call") return openCall();
  if (action === "pend") return openPend();
  if (action === "return") return openReturn();
  if (action === "cancel") return openCancel();
  if (action === "transfer") return openTransfer(post);
  post(action);
}

// ---- call this number out of turn: a reason from a short list, a note ----

function openCall() {
  const box = clear($("call-reasons"));
  (config.call_reasons || []).forEach((reason, i) => {
    box.appendChild(
      h(
        "label",
        { class: "c-choice" },
        h("input", { type: "radio", name: "call-reason", value: reason.code, checked: i === 0 }),
        h("span", null, t(reason.label))
      )
    );
  });
  $("call-title").textContent = fmt("call_title", { number: state.ticket.number });
  $("call-note").value = "";
  $("call-error").hidden = true;
  $("call-dialog").showModal();
}

$("call-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const picked = document.querySelector('input[name="call-reason"]:checked');
  if (!picked) return;
  const note = $("call-note").value.trim();
  $("call-error").hidden = picked.value !== "other" || !!note;
  if (picked.value === "other" && !note) return;
  closeDialog($("call-dialog"));
  await post("call", { reason: picked.value, note: note || null });
  if (state.ticket && state.ticket.state === "called") {
    say(fmt("called_to", { number: state.ticket.number, counter: state.ticket.counter }), "ok");
  }
});

// ---- hold: one of the SOP's reasons ----

function openPend() {
  const box = clear($("pend-reasons"));
  const reasons = (state.labels && state.labels.pending_reasons) || {};
  Object.keys(reasons).forEach((code, i) => {
    box.appendChild(
      h(
        "label",
        { class: "c-choice" },
        h("input", { type: "radio", name: "pend-reason", value: code, checked: i === 0 }),
        h("span", null, t(reasons[code]))
      )
    );
  });
  $("pend-note").value = "";
  $("pend-dialog").showModal();
}

$("pend-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const picked = document.querySelector('input[name="pend-reason"]:checked');
  if (!picked) return;
  closeDialog($("pend-dialog"));
  post("pend", { reason: picked.value, note: $("pend-note").value.trim() || null });
});

// ---- return: documents missing ----

async function openReturn() {
  const ticket = state.ticket;
  let reqs;
  try {
    reqs = await loadRequirements(ticket.service);
  } catch (err) {
    fail(err);
    return;
  }
  const box = clear($("return-reqs"));
  const ticked = tickedFor(ticket);
  // the unticked required documents; a service whose documents are all conditional ("bila ...")
  // proposes every unticked one, and the officer unticks what does not apply
  let unticked = reqs.filter((r) => !r.optional && !ticked[r.key]);
  if (!unticked.length && !reqs.some((r) => !r.optional)) unticked = reqs.filter((r) => !ticked[r.key]);
  const propose = new Set(unticked.map((r) => r.key));
  reqs.forEach((r) => {
    box.appendChild(
      h(
        "label",
        { class: "c-choice" },
        h("input", { type: "checkbox", name: "missing", value: r.key, checked: propose.has(r.key) }),
        h("span", null, t(r.text), r.optional ? h("span", { class: "pill pill-warn c-ifany" }, t("if_any")) : null)
      )
    );
  });
  $("return-note").value = "";
  $("return-error").hidden = true;
  $("return-all-ticked").hidden = unticked.length > 0;
  $("return-dialog").showModal();
}

$("return-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const missing = Array.from(document.querySelectorAll('input[name="missing"]:checked'), (i) => i.value);
  $("return-error").hidden = missing.length > 0;
  if (!missing.length) return;
  closeDialog($("return-dialog"));
  // the history keeps the reason: the missing documents by name, then the officer's note
  const service = state.ticket.service;
  const note = t("missing") + " " + missing.map((key) => requirementName(service, key)).join("; ");
  const extra = $("return-note").value.trim();
  post("return", { missing, note: extra ? note + ". " + extra : note });
});

// ---- cancel the ticket ----

function openCancel() {
  $("cancel-note").value = "";
  $("cancel-dialog").showModal();
}

$("cancel-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  closeDialog($("cancel-dialog"));
  post("cancel", { note: $("cancel-note").value.trim() || null });
});
