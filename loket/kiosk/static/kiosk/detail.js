/* The detail screen: what a service needs, its queue and estimate, its notices, the priority choice. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { $, state } from "./state.js";
import { finishText, isClosed, queueCount, quotaLow, waitingText, walkInLimited } from "./availability.js";
import { byCode } from "./services.js";
import { renderPriorities } from "./priority.js";
import { show } from "./screens.js";
import { updateTakeButton } from "./ticket.js";
import { renderDetailDisruption } from "./disruption.js";
import { serviceShown } from "./access.js";
import { updateScrollHint } from "./scroll_hint.js";

export function requirementItems(reqs, compact) {
  return (reqs || []).map(function (r) {
    return h(
      "li",
      { class: "k-req" + (r.optional ? " k-req-optional" : ""), "data-req": r.key },
      h("span", { class: "k-check", "aria-hidden": "true" }),
      h(
        "span",
        { class: "k-req-body" },
        h("span", { class: "k-req-text" }, i18n.t(r.text), r.optional ? h("span", { class: "pill pill-warn k-ifany" }, i18n.t("if_any")) : null),
        r.note && !compact ? h("span", { class: "k-req-note" }, i18n.t(r.note)) : null
      )
    );
  });
}

export function renderDetail() {
  var svc = state.current;
  if (!svc) return;
  var closed = isClosed(svc);
  $("detail-name").textContent = i18n.t(svc.name);
  $("detail-summary").textContent = i18n.t(svc.summary);

  var meta = clear($("detail-meta"));
  var pills = h("p", { class: "k-meta-pills" });
  var queue = queueCount(svc);
  pills.appendChild(h("span", { class: "pill" + (queue ? "" : " pill-ok"), "data-waiting": queue }, waitingText(queue)));
  // The SOP's target is for staff (issue 15): the resident reads whether the document is done today.
  pills.appendChild(h("span", { class: "pill k-finish", "data-finish": svc.collected_later ? "later" : "today" }, finishText(svc)));
  var a = svc.availability || {};
  if (!closed && a.remaining !== null && a.remaining !== undefined) {
    var walkIn = walkInLimited(svc);
    pills.appendChild(
      h(
        "span",
        { class: "pill" + (quotaLow(svc) !== null ? " pill-warn" : ""), "data-quota-left": a.remaining, "data-walk-in": walkIn },
        walkIn ? i18n.fmt("walk_in_info", { n: a.remaining }) : i18n.fmt("quota_info", { n: a.remaining, q: a.quota })
      )
    );
  }
  meta.appendChild(pills);
  if (!closed && typeof svc.estimate_minutes === "number") {
    var estimate =
      svc.estimate_minutes > 0 && svc.ahead
        ? i18n.fmt("estimate_ahead", { n: svc.estimate_minutes, a: svc.ahead })
        : i18n.t("estimate_none");
    meta.appendChild(
      h(
        "div",
        { class: "k-estimate", "data-estimate": svc.estimate_basis },
        h("p", { class: "k-estimate-main" }, estimate),
        svc.estimate_minutes > 0
          ? h("p", { class: "k-estimate-note" }, i18n.t(svc.estimate_basis === "history" ? "estimate_history" : "estimate_sop"))
          : null
      )
    );
  }

  var notices = clear($("detail-notices"));
  if (svc.blanko && svc.blanko.message) {
    notices.appendChild(
      h("p", { class: "k-notice" + (svc.blanko.out ? "" : " k-notice-ok"), "data-notice": "blanko", "data-blanko": svc.blanko.out ? "out" : "ok" }, i18n.t(svc.blanko.message))
    );
  }
  notices.hidden = !notices.firstChild;
  renderDetailDisruption(); // before a ticket is taken: what is down, what the office offers

  // Refused before printing: the reason next to the (disabled) button, no priority choice to make.
  $("detail-refusal").hidden = !closed;
  $("detail-refusal").textContent = closed ? i18n.t(svc.availability.message) || i18n.t("closed") : "";
  $("priority-block").hidden = closed;
  updateTakeButton();

  var reqs = clear($("detail-reqs"));
  requirementItems(svc.requirements).forEach(function (li) {
    reqs.appendChild(li);
  });

  var conds = clear($("detail-conds"));
  (svc.conditions || []).forEach(function (c) {
    conds.appendChild(h("li", null, i18n.t(c)));
  });
  $("detail-conds-block").hidden = !(svc.conditions || []).length;

  renderPriorities();
  updateScrollHint();
}

export function openDetail(code) {
  var svc = byCode(code);
  if (!svc) return;
  state.current = svc;
  state.priority = null;
  renderDetail();
  show("detail");
  serviceShown();
}
