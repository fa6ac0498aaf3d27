/* The step timer: time on the current step, counted by the server at `as_of` and ticking on here. */
import { $, h } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { state } from "./context.js";

function stepSeconds(ticket) {
  if (ticket.step_elapsed_seconds === null || ticket.step_elapsed_seconds === undefined) return null;
  return Math.max(0, ticket.step_elapsed_seconds + (Date.now() - state.loadedAt) / 1000);
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
  if (!targetMinutes) return "none";
  const ratio = secs / (targetMinutes * 60);
  return ratio >= 1 ? "over" : ratio >= 0.8 ? "warn" : "ok";
}

/** The timer box for the panel; null when the berkas is closed or the server gave no count. */
export function timerBox(ticket) {
  if (ticket.state === "done" || ticket.state === "cancelled" || stepSeconds(ticket) === null) return null;
  const working = ticket.state === "serving" || ticket.state === "in_process";
  const box = h(
    "div",
    { class: "c-timer", id: "step-timer", role: "timer", "aria-label": t("timer_label") },
    h("span", { class: "c-timer-label" }, t(working ? "timer_label" : "timer_waiting")),
    h("span", { class: "c-timer-clock num", id: "step-timer-clock" }),
    ticket.step_target_minutes ? h("span", { class: "c-timer-target" }, fmt("timer_of", { n: ticket.step_target_minutes })) : null,
    h("span", { class: "c-timer-over", id: "step-timer-over" }, t("timer_over")),
    h("span", { class: "c-timer-bar", "aria-hidden": "true" }, h("span", { class: "c-timer-fill", id: "step-timer-fill" }))
  );
  updateTimer(box);
  return box;
}

function updateTimer(box = $("step-timer")) {
  const ticket = state.ticket;
  if (!box || !ticket) return;
  const secs = stepSeconds(ticket);
  if (secs === null) return;
  const target = ticket.step_target_minutes;
  box.setAttribute("data-level", timerLevel(secs, target));
  box.querySelector(".c-timer-clock").textContent = clockText(secs);
  const ratio = target ? Math.min(1, secs / (target * 60)) : 0;
  box.querySelector(".c-timer-fill").style.width = Math.round(ratio * 100) + "%";
}

setInterval(() => updateTimer(), 1000);
