/* Opening hours: always open, or hours per weekday (a day left out takes no tickets). */
import * as i18n from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { WEEKDAYS, dayName, DEFAULT_HOURS, DEFAULT_DAYS, timeValue } from "./state.js";

export function buildHours(hours) {
  var always = hours === null || hours === undefined;
  $("f-always-open").checked = always;
  var body = clear($("hours-rows"));
  WEEKDAYS.forEach(function (day) {
    var value = always ? (DEFAULT_DAYS.indexOf(day) !== -1 ? DEFAULT_HOURS : null) : hours[day] || null;
    var open = !!value;
    var shown = value || DEFAULT_HOURS;
    body.appendChild(
      h(
        "tr",
        { class: "a-day", "data-day": day, "data-field": "hours." + day, "data-open": open ? "true" : "false" },
        h(
          "th",
          { scope: "row" },
          h(
            "label",
            { class: "a-check" },
            h("input", { type: "checkbox", class: "a-day-open", name: "day-" + day, checked: open }),
            h("span", { class: "a-day-name", "data-day-name": day }, i18n.t(dayName(day)))
          ),
          h("span", { class: "a-day-closed", "data-i18n": "day_closed" }, i18n.t("day_closed")),
          h("p", { class: "a-problem", "data-problem-for": "hours." + day, hidden: true })
        ),
        h("td", { "data-field": "hours." + day + ".open" }, timeInput(day, "open", shown.open)),
        h("td", { "data-field": "hours." + day + ".close" }, timeInput(day, "close", shown.close))
      )
    );
  });
  renderHoursState();
}

function timeInput(day, which, value) {
  return h("input", {
    type: "text",
    class: "a-time",
    name: "hours-" + day + "-" + which,
    id: "f-" + day + "-" + which,
    value: timeValue(value),
    inputmode: "numeric",
    maxlength: "5",
    placeholder: "08:00",
    pattern: "[0-2][0-9]:[0-5][0-9]",
    "aria-label": i18n.t(dayName(day)) + " · " + i18n.t(which === "open" ? "col_open" : "col_close"),
  });
}

export function renderHoursState() {
  var always = $("f-always-open").checked;
  $("hours-table").setAttribute("data-always", always ? "true" : "false");
  var note = $("hours-always-note");
  if (!note) {
    note = h("p", { id: "hours-always-note", class: "a-always-note" });
    $("hours-table").parentNode.insertBefore(note, $("hours-table"));
  }
  note.textContent = i18n.t("hours_always_note");
  note.hidden = !always;
  document.querySelectorAll("#hours-rows .a-day").forEach(function (row) {
    var open = row.querySelector(".a-day-open").checked;
    row.setAttribute("data-open", open ? "true" : "false");
    row.querySelector(".a-day-open").disabled = always;
    row.querySelectorAll(".a-time").forEach(function (input) {
      input.disabled = always || !open;
    });
  });
}

/** The hours on the form: null when always open, else {day: {open, close}} for the open days. */
export function readHours() {
  if ($("f-always-open").checked) return null;
  const hours = {};
  document.querySelectorAll("#hours-rows .a-day").forEach(function (row) {
    if (!row.querySelector(".a-day-open").checked) return; // a day left out takes no tickets
    var day = row.getAttribute("data-day");
    hours[day] = {
      open: row.querySelector('[name="hours-' + day + '-open"]').value.trim(),
      close: row.querySelector('[name="hours-' + day + '-close"]').value.trim(),
    };
  });
  return hours;
}
