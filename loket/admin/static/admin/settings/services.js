/* Services on the settings page: closed (with a reason) and a daily quota per service, beside what the kiosk
 * does now (issued today, remaining, taking tickets or not; from GET /api/services). */
import * as i18n from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { api } from "loket/request.js";
import { state } from "./state.js";

export function loadServices() {
  return api("GET", "/api/services")
    .then(function (data) {
      state.services = data.services || [];
      updateOfficeTitle(data.office);
      renderServiceStatus();
    })
    .catch(function () {
      /* the table keeps its last numbers */
    });
}

export function updateOfficeTitle(office) {
  if (office && office.name) $("office-title").textContent = office.name;
}

export function ruleOf(rules, code) {
  var r = rules[code] || {};
  return {
    closed: !!r.closed,
    closed_reason: r.closed_reason || "",
    quota: r.quota === null || r.quota === undefined ? null : r.quota,
    ready_in_days: r.ready_in_days === null || r.ready_in_days === undefined ? null : r.ready_in_days,
  };
}

export function buildServices(rules) {
  var body = clear($("service-rows"));
  state.services.forEach(function (svc) {
    var rule = ruleOf(rules, svc.code);
    var base = "services." + svc.code;
    body.appendChild(
      h(
        "tr",
        { class: "a-service", "data-service": svc.code, "data-field": base, "data-closed": rule.closed ? "true" : "false" },
        h(
          "th",
          { scope: "row", class: "a-service-name" },
          h(
            "div",
            { class: "a-service-id" },
            h("span", { class: "a-prefix num", title: i18n.fmt("prefix", { p: svc.prefix }) }, svc.prefix),
            h(
              "span",
              { class: "a-service-text" },
              h("span", { class: "a-service-title", "data-name": svc.code }, i18n.t(svc.name)),
              svc.draft ? h("span", { class: "pill pill-warn a-draft" }, i18n.t("draft")) : null
            )
          ),
          h("p", { class: "a-problem", "data-problem-for": base, hidden: true })
        ),
        h(
          "td",
          { class: "a-closed-cell", "data-field": base + ".closed" },
          h(
            "label",
            { class: "a-check a-check-closed" },
            h("input", { type: "checkbox", class: "a-closed", name: "closed-" + svc.code, checked: rule.closed }),
            h("span", null, i18n.t("closed"))
          ),
          h("p", { class: "a-problem", "data-problem-for": base + ".closed", hidden: true })
        ),
        h(
          "td",
          { "data-field": base + ".closed_reason" },
          h("input", {
            type: "text",
            class: "a-reason",
            name: "reason-" + svc.code,
            value: rule.closed_reason,
            maxlength: "200",
            placeholder: i18n.t("reason_placeholder"),
            "aria-label": i18n.t("col_reason") + ": " + i18n.t(svc.name),
            disabled: !rule.closed,
          }),
          h("p", { class: "a-problem", "data-problem-for": base + ".closed_reason", hidden: true })
        ),
        h(
          "td",
          { "data-field": base + ".quota" },
          h("input", {
            type: "number",
            class: "a-quota a-number",
            name: "quota-" + svc.code,
            min: "0",
            step: "1",
            inputmode: "numeric",
            value: rule.quota === null ? "" : String(rule.quota),
            placeholder: i18n.t("quota_placeholder"),
            "aria-label": i18n.t("col_quota") + ": " + i18n.t(svc.name),
          }),
          h("p", { class: "a-problem", "data-problem-for": base + ".quota", hidden: true })
        ),
        h(
          "td",
          { "data-field": base + ".ready_in_days" },
          h("input", {
            type: "number",
            class: "a-ready a-number",
            name: "ready-" + svc.code,
            min: "0",
            max: "60",
            step: "1",
            inputmode: "numeric",
            value: rule.ready_in_days === null ? "" : String(rule.ready_in_days),
            placeholder: i18n.t("ready_placeholder"),
            "aria-label": i18n.t("col_ready") + ": " + i18n.t(svc.name),
          }),
          h("p", { class: "a-problem", "data-problem-for": base + ".ready_in_days", hidden: true })
        ),
        h("td", { class: "a-today num" }),
        h("td", { class: "a-status" })
      )
    );
  });
  renderServiceStatus();
}

/** Issued today, remaining, and whether the kiosk takes tickets now (from GET /api/services). */
export function renderServiceStatus() {
  var byCode = {};
  state.services.forEach(function (svc) {
    byCode[svc.code] = svc;
  });
  document.querySelectorAll("#service-rows .a-service").forEach(function (row) {
    var svc = byCode[row.getAttribute("data-service")];
    if (!svc) return;
    var av = svc.availability || { ok: true, issued_today: 0, remaining: null, quota: null };
    var today = clear(row.querySelector(".a-today"));
    today.appendChild(h("span", { class: "a-issued" }, i18n.fmt("issued_today", { n: av.issued_today || 0 })));
    today.appendChild(
      h(
        "span",
        { class: "a-remaining" + (av.remaining === 0 ? " a-remaining-none" : "") },
        av.remaining === null || av.remaining === undefined ? i18n.t("no_quota") : i18n.fmt("remaining", { n: av.remaining })
      )
    );
    var status = clear(row.querySelector(".a-status"));
    var key = av.ok ? "status_ok" : "status_" + (av.reason || "closed");
    status.appendChild(
      h(
        "span",
        {
          class: "pill " + (av.ok ? "pill-ok" : "pill-bad"),
          "data-status": av.ok ? "ok" : av.reason,
          title: av.message ? i18n.t(av.message) : null,
        },
        i18n.t(key)
      )
    );
    if (rowDiffers(row, svc.code)) status.appendChild(h("span", { class: "a-unsaved" }, i18n.t("status_unsaved")));
  });
}

function rowDiffers(row, code) {
  if (!state.settings) return false;
  var saved = ruleOf(state.settings.services || {}, code);
  var now = readRule(row);
  return (
    saved.closed !== now.closed ||
    (saved.quota === null ? "" : String(saved.quota)) !== row.querySelector(".a-quota").value ||
    (saved.ready_in_days === null ? "" : String(saved.ready_in_days)) !== row.querySelector(".a-ready").value ||
    (saved.closed_reason || "") !== (now.closed_reason || "")
  );
}

/** A whole-number input: null when empty; a client problem when the browser cannot read it. */
export function readNumber(input, field, problems) {
  if (input.validity.badInput) {
    problems.push({ field: field, message: "Input should be a valid integer" });
    return undefined;
  }
  var raw = input.value.trim();
  return raw === "" ? null : Number(raw);
}

function readRule(row) {
  var closed = row.querySelector(".a-closed").checked;
  var reason = row.querySelector(".a-reason").value.trim();
  return { closed: closed, closed_reason: closed && reason ? reason : null };
}

/** The service rules on the form: only what differs from "open, no quota"; unreadable numbers go in `problems`. */
export function readServices(problems) {
  const services = {};
  document.querySelectorAll("#service-rows .a-service").forEach(function (row) {
    var code = row.getAttribute("data-service");
    var rule = readRule(row);
    rule.quota = readNumber(row.querySelector(".a-quota"), "services." + code + ".quota", problems);
    rule.ready_in_days = readNumber(row.querySelector(".a-ready"), "services." + code + ".ready_in_days", problems);
    if (rule.closed || rule.closed_reason || rule.quota !== null || rule.ready_in_days !== null) services[code] = rule;
  });
  return services;
}
