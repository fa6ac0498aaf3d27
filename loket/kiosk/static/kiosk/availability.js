/* What a service's tile and detail say about it: open or closed, quota left, estimate, people waiting, done today or later. */
import * as i18n from "loket/i18n.js";

/** Whether the document is finished while the resident waits, or collected another day with a pickup slip. */
export function finishText(svc) {
  return i18n.t(svc.collected_later ? "finish_later" : "finish_today");
}

/** The office closed this service, is outside its hours, or its quota is full. */
export function isClosed(svc) {
  return !!(svc.availability && svc.availability.ok === false);
}

/** Tickets left today when a quota or a walk-in share (a bookable service) limits them and few remain; null otherwise. */
export function quotaLow(svc) {
  var a = svc.availability;
  var limit = a ? (a.limit !== undefined ? a.limit : a.quota) : null;
  if (!a || !a.ok || limit === null || limit === undefined || a.remaining === null || a.remaining === undefined) return null;
  return a.remaining <= Math.max(5, Math.ceil(limit * 0.2)) ? a.remaining : null;
}

/** Whether the walk-in share, not the office's quota, is what limits today's tickets (a bookable service). */
export function walkInLimited(svc) {
  var a = svc.availability;
  return !!(a && a.walk_in && (a.quota === null || a.quota === undefined || a.walk_in.seats < a.quota));
}

export function hasEstimate(svc) {
  return !isClosed(svc) && typeof svc.estimate_minutes === "number" && svc.estimate_minutes > 0;
}

/** People a new ticket would have ahead of it at the service's first desk (shared by several services). */
export function queueCount(svc) {
  return typeof svc.ahead === "number" ? svc.ahead : svc.waiting || 0;
}

export function waitingText(n) {
  return n ? i18n.fmt("waiting_n", { n: n }) : i18n.t("waiting_0");
}
