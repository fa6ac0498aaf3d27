/* Online booking rules: the office's switches and, per service, slots, seats, shares, opening, no-shows and the
 * check-in window. Data: GET/PUT /api/admin/booking (validated and audited on the server: booking.config_changed).
 */
import * as i18n from "loket/i18n.js";
import { clear, h, serverData } from "loket/dom.js";
import { api } from "loket/request.js";
import { $, handle, say } from "loket/shell.js";
import { clearProblems, showProblems } from "./problems.js";
import { start } from "./shell.js";
import { markFields } from "./hub_rules.js";

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

/** One field's box: its label, its input, one line of help ("help_<name>"). */
function field(path, name, input) {
  return h(
    "div",
    { class: "a-field", "data-field": path },
    h("label", { for: input.id }, i18n.t(name)),
    input,
    h("p", { class: "a-hint", "data-help": name }, i18n.t("help_" + name))
  );
}

function serviceBlock(sop) {
  var rule = state.config.services[sop.code] || null;
  var values = rule || state.defaults;
  var on = !!(rule && rule.enabled);
  var id = function (name) {
    return "s-" + sop.code + "-" + name;
  };
  var path = function (name) {
    return "services." + sop.code + "." + name;
  };
  var fields = NUMBERS.map(function (name) {
    return field(path(name), name, h("input", { type: "number", id: id(name), value: String(values[name]) }));
  });
  fields.push(
    field(path("opens_at"), "opens_at", h("input", { type: "time", id: id("opens_at"), value: String(values.opens_at).slice(0, 5) }))
  );
  fields.push(
    h(
      "div",
      { class: "a-field", "data-field": path("walk_in_when_outside_window") },
      h(
        "label",
        null,
        h("input", { type: "checkbox", id: id("walk_in_when_outside_window"), checked: values.walk_in_when_outside_window !== false }),
        " ",
        i18n.t("walk_in_when_outside_window")
      ),
      h("p", { class: "a-hint", "data-help": "walk_in_when_outside_window" }, i18n.t("help_walk_in_when_outside_window"))
    )
  );
  WEEKDAYS.forEach(function (day) {
    fields.push(
      h(
        "div",
        { class: "a-field", "data-field": path("hours." + day) },
        h("label", { for: id("hours-" + day) }, i18n.t("day_" + day)),
        // A closed day's box is empty: its placeholder says so (a greyed time would look like real hours).
        h("input", { type: "text", id: id("hours-" + day), placeholder: i18n.t("hours_closed"), value: hoursText(values.hours[day]) })
      )
    );
  });
  fields.push(h("p", { class: "a-hint", "data-help": "hours" }, i18n.t("help_hours")));
  var body = h("div", { class: "a-service-rules", "data-rules": "", hidden: !on }, fields, rule ? seatsTable(state.seats[sop.code] || {}) : null);
  var listed = h("input", { type: "checkbox", id: id("listed"), checked: on });
  // A service that is off is one line, its switch: its rules open when it is switched on.
  listed.addEventListener("change", function () {
    body.hidden = !listed.checked;
  });
  return h(
    "fieldset",
    { class: "a-fieldset", "data-service": sop.code },
    h("legend", null, h("label", null, listed, " ", i18n.t(sop.name))),
    body
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
    var rule = {
      enabled: listed,
      opens_at: get("opens_at").value,
      walk_in_when_outside_window: get("walk_in_when_outside_window").checked,
      hours: {},
    };
    NUMBERS.forEach(function (name) {
      rule[name] = Number(get(name).value);
    });
    WEEKDAYS.forEach(function (day) {
      // As typed: the server reads "08.00-12.00", "8-12" and the like, and refuses (marked) what is not hours;
      // only an empty box is closed.
      var text = get("hours-" + day).value.trim();
      rule.hours[day] = text ? text : null;
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
    markFields($("booking-form"), answers[1].sites, "booking");
  });
}

/** "services.penerbitan-kia.hours.sat" -> "Penerbitan KIA: Sabtu", for the list of problems. */
function fieldLabel(path) {
  var parts = path.split(".");
  if (parts[0] !== "services") return i18n.t(parts[0]);
  var sop = state.services.find(function (x) {
    return x.code === parts[1];
  });
  var name = parts[2] === "hours" && parts[3] ? "day_" + parts[3] : parts[2];
  return (sop ? i18n.t(sop.name) : parts[1]) + (name ? ": " + i18n.t(name) : "");
}

/** The server's problems beside their fields (a closed service opened to show them), the first in view. */
function markProblems(problems) {
  problems.forEach(function (p) {
    var parts = String(p.field || "").split(".");
    var block = parts[0] === "services" ? document.querySelector('fieldset[data-service="' + parts[1] + '"] [data-rules]') : null;
    if (block) block.hidden = false;
  });
  var first = showProblems($("booking-form"), $("problems"), problems, fieldLabel);
  if (first) {
    first.scrollIntoView({ block: "center" });
    if (first.focus) first.focus({ preventScroll: true });
  }
}

function save(event) {
  event.preventDefault();
  clearProblems($("booking-form"), $("problems"));
  api("PUT", "/api/admin/booking", collect())
    .then(function (data) {
      state.config = data.config;
      state.seats = data.seats || {};
      render();
      say(i18n.t("saved"), "ok");
    })
    .catch(function (err) {
      if (err && err.status === 400 && err.data && err.data.problems && err.data.problems.length) {
        markProblems(err.data.problems);
      }
      handle(err);
    });
}

$("booking-form").addEventListener("submit", save);

start({
  open: load,
  onLangChange: function () {
    if (state.config) render();
  },
});
