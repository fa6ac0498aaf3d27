/* Online booking rules: the office's switches and, per service, slots, seats, shares, opening, no-shows and the
 * check-in window. Data: GET/PUT /api/admin/booking (validated and audited on the server: booking.config_changed).
 */
import * as i18n from "loket/i18n.js";
import { clear, h, serverData } from "loket/dom.js";
import { api } from "loket/request.js";
import { $, handle, say } from "loket/shell.js";
import { start } from "./shell.js";

i18n.addStrings(i18n.pageStrings("admin/booking"));

var WEEKDAYS = serverData("booking-config", { weekdays: [] }).weekdays;
var OFFICE = ["challenge_max_number", "no_show_limit", "no_show_window_days", "no_show_block_days"];
var NUMBERS = [
  "slot_minutes",
  "seats_per_slot",
  "walk_in_percent",
  "priority_percent",
  "days_ahead",
  "opens_days_before",
  "release_after_minutes",
  "check_in_early_minutes",
  "check_in_late_minutes",
];
var state = { config: null, defaults: null, seats: {}, services: [] };

function hoursText(hours) {
  return hours ? hours.open.slice(0, 5) + "-" + hours.close.slice(0, 5) : "";
}

function serviceBlock(sop) {
  var rule = state.config.services[sop.code] || null;
  var values = rule || state.defaults;
  var id = function (name) {
    return "s-" + sop.code + "-" + name;
  };
  var fields = NUMBERS.map(function (name) {
    return h(
      "div",
      { class: "a-field", "data-field": "services." + sop.code + "." + name },
      h("label", { for: id(name) }, i18n.t(name)),
      h("input", { type: "number", id: id(name), value: String(values[name]) })
    );
  });
  fields.push(
    h(
      "div",
      { class: "a-field" },
      h("label", { for: id("opens_at") }, i18n.t("opens_at")),
      h("input", { type: "time", id: id("opens_at"), value: String(values.opens_at).slice(0, 5) })
    )
  );
  WEEKDAYS.forEach(function (day) {
    fields.push(
      h(
        "div",
        { class: "a-field", "data-field": "services." + sop.code + ".hours." + day },
        h("label", { for: id("hours-" + day) }, i18n.t("day_" + day)),
        h("input", { type: "text", id: id("hours-" + day), placeholder: "08:00-14:00", value: hoursText(values.hours[day]) })
      )
    );
  });
  return h(
    "fieldset",
    { class: "a-fieldset", "data-service": sop.code },
    h("legend", null, h("label", null, h("input", { type: "checkbox", id: id("listed"), checked: !!(rule && rule.enabled) }), " ", i18n.t(sop.name))),
    fields,
    rule ? seatsTable(state.seats[sop.code] || {}) : null
  );
}

/** What the saved rules come to per weekday: slots, seats, online (priority) and the seats kept for walk-ins. */
function seatsTable(perDay) {
  var cols = ["seats_slots", "seats_all", "seats_online", "seats_priority", "seats_walk_in"];
  var keys = ["slots", "seats", "online", "priority", "walk_in"];
  return h(
    "details",
    { class: "a-seats", "data-seats": "", open: true },
    h("summary", null, i18n.t("seats_heading")),
    h(
      "table",
      { class: "a-table" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", { scope: "col" }, i18n.t("seats_day")),
          cols.map(function (c) {
            return h("th", { scope: "col" }, i18n.t(c));
          })
        )
      ),
      h(
        "tbody",
        null,
        WEEKDAYS.map(function (day) {
          var n = perDay[day];
          return h(
            "tr",
            { "data-day": day },
            h("th", { scope: "row" }, i18n.t("day_" + day)),
            n
              ? keys.map(function (k) {
                  return h("td", { "data-key": k }, String(n[k]));
                })
              : h("td", { colspan: String(keys.length) }, i18n.t("seats_none"))
          );
        })
      )
    ),
    h("p", { class: "a-note" }, i18n.t("seats_note"))
  );
}

function render() {
  $("b-enabled").checked = state.config.enabled;
  $("b-challenge").checked = state.config.challenge;
  OFFICE.forEach(function (name) {
    $("b-" + name).value = String(state.config[name]);
  });
  var box = clear($("services"));
  state.services.forEach(function (sop) {
    box.appendChild(serviceBlock(sop));
  });
}

function collect() {
  var out = { enabled: $("b-enabled").checked, challenge: $("b-challenge").checked, services: {} };
  OFFICE.forEach(function (name) {
    out[name] = Number($("b-" + name).value);
  });
  state.services.forEach(function (sop) {
    var get = function (name) {
      return document.getElementById("s-" + sop.code + "-" + name);
    };
    var listed = get("listed").checked;
    if (!listed && !state.config.services[sop.code]) return; // never listed: stays off
    var rule = { enabled: listed, opens_at: get("opens_at").value, hours: {} };
    NUMBERS.forEach(function (name) {
      rule[name] = Number(get(name).value);
    });
    WEEKDAYS.forEach(function (day) {
      var text = get("hours-" + day).value.trim();
      var m = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(text);
      rule.hours[day] = m ? { open: m[1], close: m[2] } : null;
    });
    out.services[sop.code] = rule;
  });
  return out;
}

function load() {
  return Promise.all([api("GET", "/api/admin/booking"), api("GET", "/api/admin/meta")]).then(function (answers) {
    state.config = answers[0].config;
    state.defaults = answers[0].service_defaults;
    state.seats = answers[0].seats || {};
    state.services = answers[1].services || [];
    render();
  });
}

function save(event) {
  event.preventDefault();
  api("PUT", "/api/admin/booking", collect())
    .then(function (data) {
      state.config = data.config;
      state.seats = data.seats || {};
      render();
      say(i18n.t("saved"), "ok");
    })
    .catch(handle);
}

$("booking-form").addEventListener("submit", save);

start({
  open: load,
  onLangChange: function () {
    if (state.config) render();
  },
});
