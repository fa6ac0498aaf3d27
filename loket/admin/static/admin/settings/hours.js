/* Hours per weekday, in two tables: ticket issuing ("hours": always open, or hours per weekday, a day left out
 * takes no tickets) and document pickup ("pickup_hours": the same as the ticket hours, or its own). */
import * as i18n from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { WEEKDAYS, dayName, DEFAULT_HOURS, DEFAULT_DAYS, timeValue } from "./state.js";

/** Each table: its setting, its "no hours of its own" box, its element ids and the names of its inputs. */
const TABLES = {
  hours: { toggle: "f-always-open", rows: "hours-rows", table: "hours-table", note: "hours-always-note", prefix: "" },
  pickup_hours: {
    toggle: "f-pickup-same",
    rows: "pickup-rows",
    table: "pickup-table",
    note: "pickup-same-note",
    prefix: "pickup-",
  },
};

/** The names of a table's inputs: "hours-mon-open"/"day-mon" for the ticket hours (as before), "pickup-…" else. */
function timeName(kind, day, which) {
  return (kind === "hours" ? "hours-" : "pickup-") + day + "-" + which;
}

/** Fill a table; `fallback` is what the rows show while the table has no hours of its own (pickup: the ticket hours). */
export function buildHours(hours, kind = "hours", fallback = null) {
  var t = TABLES[kind];
  if (!$(t.rows)) return;
  var none = hours === null || hours === undefined;
  $(t.toggle).checked = none;
  var body = clear($(t.rows));
  var closedKey = kind === "hours" ? "day_closed" : "pickup_day_closed";
  WEEKDAYS.forEach(function (day) {
    var value;
    if (!none) value = hours[day] || null;
    else if (fallback) value = fallback[day] || null;
    else value = DEFAULT_DAYS.indexOf(day) !== -1 ? DEFAULT_HOURS : null;
    var open = !!value;
    var shown = value || DEFAULT_HOURS;
    body.appendChild(
      h(
        "tr",
        { class: "a-day", "data-day": day, "data-field": kind + "." + day, "data-open": open ? "true" : "false" },
        h(
          "th",
          { scope: "row" },
          h(
            "label",
            { class: "a-check" },
            h("input", { type: "checkbox", class: "a-day-open", name: t.prefix + "day-" + day, checked: open }),
            h("span", { class: "a-day-name", "data-day-name": day }, i18n.t(dayName(day)))
          ),
          h("span", { class: "a-day-closed", "data-i18n": closedKey }, i18n.t(closedKey)),
          h("p", { class: "a-problem", "data-problem-for": kind + "." + day, hidden: true })
        ),
        h("td", { "data-field": kind + "." + day + ".open" }, timeInput(kind, day, "open", shown.open)),
        h("td", { "data-field": kind + "." + day + ".close" }, timeInput(kind, day, "close", shown.close))
      )
    );
  });
  renderHoursState();
}

function timeInput(kind, day, which, value) {
  return h("input", {
    type: "text",
    class: "a-time",
    name: timeName(kind, day, which),
    id: "f-" + TABLES[kind].prefix + day + "-" + which,
    value: timeValue(value),
    inputmode: "numeric",
    maxlength: "5",
    placeholder: "08:00",
    pattern: "[0-2][0-9]:[0-5][0-9]",
    "aria-label": i18n.t(dayName(day)) + " · " + i18n.t(which === "open" ? "col_open" : "col_close"),
  });
}

export function renderHoursState() {
  Object.keys(TABLES).forEach(renderTable);
}

function renderTable(kind) {
  var t = TABLES[kind];
  if (!$(t.table)) return;
  var none = $(t.toggle).checked;
  $(t.table).setAttribute("data-always", none ? "true" : "false");
  var note = $(t.note);
  if (!note) {
    note = h("p", { id: t.note, class: "a-always-note" });
    $(t.table).parentNode.insertBefore(note, $(t.table));
  }
  note.textContent = i18n.t(kind === "hours" ? "hours_always_note" : "pickup_same_note");
  note.hidden = !none;
  document.querySelectorAll("#" + t.rows + " .a-day").forEach(function (row) {
    var open = row.querySelector(".a-day-open").checked;
    row.setAttribute("data-open", open ? "true" : "false");
    row.querySelector(".a-day-open").disabled = none;
    row.querySelectorAll(".a-time").forEach(function (input) {
      input.disabled = none || !open;
    });
  });
}

/** Whether an edit is one of the tables' boxes (the page then redraws their state). */
export function isHoursToggle(target) {
  return (
    target === $(TABLES.hours.toggle) ||
    target === $(TABLES.pickup_hours.toggle) ||
    !!(target.classList && target.classList.contains("a-day-open"))
  );
}

/** A table's hours on the form: null when it has none of its own, else {day: {open, close}} for the open days. */
export function readHours(kind = "hours") {
  var t = TABLES[kind];
  if ($(t.toggle).checked) return null;
  const hours = {};
  document.querySelectorAll("#" + t.rows + " .a-day").forEach(function (row) {
    if (!row.querySelector(".a-day-open").checked) return; // a day left out: no tickets (no pickup)
    var day = row.getAttribute("data-day");
    hours[day] = {
      open: row.querySelector('[name="' + timeName(kind, day, "open") + '"]').value.trim(),
      close: row.querySelector('[name="' + timeName(kind, day, "close") + '"]').value.trim(),
    };
  });
  return hours;
}
