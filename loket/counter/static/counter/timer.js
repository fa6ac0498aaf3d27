/* The step timer: waiting and service counted apart. The service clock starts when the officer starts
 * serving ("Mulai Layani"), and only it is held against the SOP's target; before that the box shows how
 * long the resident (or the berkas) has waited at this step. Counted by the server at `as_of`, ticking on here. */
import { $, h } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { state } from "./context.js";

function since(value) {
  if (value === null || value === undefined) return null;
  return Math.max(0, value + (Date.now() - state.loadedAt) / 1000);
}

/** Service seconds now (null before the start), and waiting seconds (still running until the start). */
function clocks(ticket) {
  const service = since(ticket.step_service_seconds);
  const wait = service === null ? since(ticket.step_wait_seconds) : ticket.step_wait_seconds;
  return { service, wait };
}

function clockText(secs) {
  secs = Math.floor(secs);
  const hrs = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  const mm = (hrs && m < 10 ? "0" : "") + m;
  return (hrs ? hrs + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
}

function timerLevel(secs, targetMinutes) {
  if (secs === null) return "waiting"; // not served yet: no verdict against the target
  if (!targetMinutes) return "none";
  const ratio = secs / (targetMinutes * 60);
  return ratio >= 1 ? "over" : ratio >= 0.8 ? "warn" : "ok";
}

/** The timer box for the panel; null when the berkas is closed or the server gave no count. */
export function timerBox(ticket) {
  const { service, wait } = clocks(ticket);
  if (ticket.state === "done" || ticket.state === "cancelled" || (service === null && wait === null)) return null;
  const box = h(
    "div",
    { class: "c-timer", id: "step-timer", role: "timer", "aria-label": t("timer_label") },
    h("span", { class: "c-timer-label", id: "step-timer-label" }),
    h("span", { class: "c-timer-clock num", id: "step-timer-clock" }),
    ticket.step_target_minutes ? h("span", { class: "c-timer-target" }, fmt("timer_of", { n: ticket.step_target_minutes })) : null,
    h("span", { class: "c-timer-over", id: "step-timer-over" }, t("timer_over")),
    h("span", { class: "c-timer-wait num", id: "step-timer-wait" }),
    h("span", { class: "c-timer-bar", "aria-hidden": "true" }, h("span", { class: "c-timer-fill", id: "step-timer-fill" }))
  );
  updateTimer(box);
  return box;
}

function updateTimer(box = $("step-timer")) {
  const ticket = state.ticket;
  if (!box || !ticket) return;
  const { service, wait } = clocks(ticket);
  const target = ticket.step_target_minutes;
  box.setAttribute("data-level", timerLevel(service, target));
  box.querySelector(".c-timer-label").textContent = t(service === null ? "timer_waiting" : "timer_label");
  box.querySelector(".c-timer-clock").textContent = clockText(service === null ? wait || 0 : service);
  // once served, the waiting before the start stays beside the service clock
  box.querySelector(".c-timer-wait").textContent =
    service !== null && wait !== null && wait !== undefined ? fmt("timer_waited", { time: clockText(wait) }) : "";
  const ratio = target && service !== null ? Math.min(1, service / (target * 60)) : 0;
  box.querySelector(".c-timer-fill").style.width = Math.round(ratio * 100) + "%";
}

setInterval(() => updateTimer(), 1000);
