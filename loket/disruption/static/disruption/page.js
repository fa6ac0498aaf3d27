/* The disruptions page (admin, head of office): the disruptions in force with a button to end each, a form to
 * switch the office or one service into disruption, and the history. Data: /api/disruptions/history; changes:
 * POST /api/disruptions, POST /api/disruptions/<id>/end (core/disruptions.py). */
import * as i18n from "loket/i18n.js";
import { clear, h, serverData } from "loket/dom.js";
import { api } from "loket/request.js";
import { hhmm, longDate } from "loket/time.js";
import * as R from "/reports/static/reports/shell.js";

i18n.addStrings(i18n.pageStrings("disruption/page"));

var $ = function (id) {
  return document.getElementById(id);
};
var config = serverData("disruption-config", { services: [], reasons: {} });
var rows = [];

function what(d) {
  return d.scope === "office" ? i18n.t("office_all") : i18n.t(d.service);
}

function when(value) {
  return value ? longDate(value) + " " + hhmm(value) : "–";
}

/** What the kiosk offers during this disruption ("ticket", "book", "titip"), in that order. */
function offered(d) {
  return ["ticket", "book", "titip"].filter((k) => d.offers && d.offers[k]);
}

function fillForm() {
  var scope = clear($("d-scope"));
  scope.appendChild(h("option", { value: "office" }, i18n.t("office_all")));
  config.services.forEach(function (s) {
    scope.appendChild(h("option", { value: "service:" + s.code }, i18n.t(s.name)));
  });
  var reason = clear($("d-reason"));
  Object.keys(config.reasons).forEach(function (key) {
    reason.appendChild(h("option", { value: key }, i18n.t(config.reasons[key])));
  });
}

function header(keys) {
  return h(
    "tr",
    null,
    keys.map(function (k) {
      return h("th", null, i18n.t(k));
    })
  );
}

function render() {
  var now = rows.filter(function (d) {
    return !d.ended_at;
  });
  $("now-none").hidden = now.length > 0;
  var table = clear($("now-table"));
  table.hidden = !now.length;
  if (now.length) {
    table.appendChild(header(["col_what", "col_reason", "col_note", "col_offers", "col_started", "col_back", "col_by", ""]));
    now.forEach(function (d) {
      table.appendChild(
        h(
          "tr",
          { "data-disruption": d.id },
          h("td", null, what(d)),
          h("td", null, i18n.t(d.reason_label)),
          h("td", null, d.note || ""),
          h("td", { "data-offers": offered(d).join(" ") }, offered(d).map((k) => i18n.t("offer_" + k)).join("; ") || "–"),
          h("td", null, when(d.started_at)),
          h("td", null, d.expected_back ? hhmm(d.expected_back) : "–"),
          h("td", null, d.started_by || ""),
          h("td", null, h("button", { type: "button", class: "btn", "data-end": d.id, onclick: () => end(d) }, i18n.t("end")))
        )
      );
    });
  }
  var history = clear($("history-table"));
  history.appendChild(header(["col_what", "col_reason", "col_started", "col_ended", "col_minutes", "col_by", "col_ended_by"]));
  rows.forEach(function (d) {
    history.appendChild(
      h(
        "tr",
        null,
        h("td", null, what(d)),
        h("td", null, i18n.t(d.reason_label)),
        h("td", null, when(d.started_at)),
        h("td", null, d.ended_at ? when(d.ended_at) : i18n.t("still_on")),
        h("td", null, R.num(d.minutes, 1)),
        h("td", null, d.started_by || ""),
        h("td", null, d.ended_by || "")
      )
    );
  });
}

function load() {
  return api("GET", "/api/disruptions/history")
    .then(function (data) {
      rows = data.disruptions;
      render();
    })
    .catch(R.fail);
}

function start(event) {
  event.preventDefault();
  var scope = $("d-scope").value;
  var body = {
    scope: scope === "office" ? "office" : "service",
    service_code: scope === "office" ? null : scope.slice("service:".length),
    reason: $("d-reason").value,
    note: $("d-note").value.trim() || null,
    expected_back_time: $("d-back").value || null, // HH:MM on the office's clock: the server makes it an instant
    offers: { ticket: $("d-offer-ticket").checked, book: $("d-offer-book").checked, titip: $("d-offer-titip").checked },
  };
  $("d-start").disabled = true;
  api("POST", "/api/disruptions", body)
    .then(function () {
      R.say(i18n.t("started_ok"), "ok");
      $("d-note").value = "";
      $("d-back").value = "";
      return load();
    })
    .catch(R.fail)
    .finally(function () {
      $("d-start").disabled = false;
    });
}

function end(d) {
  if (!window.confirm(i18n.fmt("confirm_end", { what: what(d) }))) return;
  api("POST", "/api/disruptions/" + d.id + "/end", {})
    .then(function () {
      R.say(i18n.t("ended_ok"), "ok");
      return load();
    })
    .catch(R.fail);
}

$("start-form").addEventListener("submit", start);

R.start({
  open: function () {
    fillForm();
    return load();
  },
  close: function () {},
  onLangChange: function () {
    fillForm();
    render();
  },
});
