/* The settings form: the saved settings onto the inputs, the inputs back as one partial update, and the two
 * compared (is anything unsaved?). */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { state, WEEKDAYS, timeValue } from "./state.js";
import { buildHours, readHours } from "./hours.js";
import { buildServices, ruleOf, readNumber, readServices } from "./services.js";

export function fillForm(s) {
  $("f-office-name").value = s.office_name || "";
  $("f-footer").value = s.ticket_footer || "";
  $("f-running").value = s.running_text || "";
  $("f-waiting").value = s.waiting_area || "";
  $("f-blanko").value = s.blanko_stock === null || s.blanko_stock === undefined ? "" : String(s.blanko_stock);
  $("f-calls").value = numberText(s.calls_before_no_show);
  $("f-no-show-minutes").value = numberText(s.no_show_min_minutes);
  var resume = document.querySelector('input[name="resume_to"][value="' + (s.resume_to || "front") + '"]');
  if (resume) resume.checked = true;
  $("f-retention").value = numberText(s.personal_data_retention_days);
  var voice = document.querySelector('input[name="voice_reading"][value="' + (s.voice_reading || "") + '"]');
  if (voice) voice.checked = true;
  var repeat = document.querySelector('input[name="call_repeat"][value="' + (s.call_repeat || 1) + '"]');
  if (repeat) repeat.checked = true;
  buildHours(s.hours);
  buildHours(s.pickup_hours, "pickup_hours", s.hours);
  buildServices(s.services || {});
  renderBlankoState();
}

function numberText(n) {
  return n === null || n === undefined ? "" : String(n);
}

export function renderBlankoState() {
  var raw = $("f-blanko").value.trim();
  var node = $("blanko-state");
  if (raw === "" && !$("f-blanko").validity.badInput) {
    node.setAttribute("data-state", "untracked");
    node.textContent = i18n.t("blanko_state_untracked");
  } else if (raw === "0") {
    node.setAttribute("data-state", "out");
    node.textContent = i18n.t("blanko_state_out");
  } else {
    node.setAttribute("data-state", "stock");
    node.textContent = i18n.fmt("blanko_state_stock", { n: raw || "?" });
  }
}

/** Everything on the form as one partial update; client-side problems go in `problems`. */
export function readForm(problems) {
  var changes = {
    office_name: $("f-office-name").value.trim() || null,
    ticket_footer: $("f-footer").value.trim(),
    running_text: $("f-running").value.trim(),
    waiting_area: $("f-waiting").value.trim() || null,
    blanko_stock: readNumber($("f-blanko"), "blanko_stock", problems),
  };
  // Only what this server's settings know (an older server refuses unknown fields).
  var known = state.settings || {};
  if ("calls_before_no_show" in known) {
    changes.calls_before_no_show = readNumber($("f-calls"), "calls_before_no_show", problems);
  }
  if ("no_show_min_minutes" in known) {
    changes.no_show_min_minutes = readNumber($("f-no-show-minutes"), "no_show_min_minutes", problems);
  }
  var resumeTo = document.querySelector('input[name="resume_to"]:checked');
  if ("resume_to" in known && resumeTo) changes.resume_to = resumeTo.value === "front" ? null : resumeTo.value;
  if ("personal_data_retention_days" in known) {
    changes.personal_data_retention_days = readNumber($("f-retention"), "personal_data_retention_days", problems);
  }
  var voice = document.querySelector('input[name="voice_reading"]:checked');
  if ("voice_reading" in known && voice) changes.voice_reading = voice.value || null;
  var repeat = document.querySelector('input[name="call_repeat"]:checked');
  if ("call_repeat" in known && repeat) changes.call_repeat = Number(repeat.value);
  changes.hours = readHours();
  if ("pickup_hours" in known) changes.pickup_hours = readHours("pickup_hours");
  changes.services = readServices(problems);
  return changes;
}

/** The fields the form edits, in a comparable shape. */
function hoursShape(given) {
  if (!given) return null;
  var hours = {};
  WEEKDAYS.forEach(function (d) {
    if (given[d]) hours[d] = { open: timeValue(given[d].open), close: timeValue(given[d].close) };
  });
  return hours;
}

export function normalise(s) {
  var hours = hoursShape(s.hours);
  var services = {};
  Object.keys(s.services || {})
    .sort()
    .forEach(function (code) {
      var r = ruleOf(s.services, code);
      if (r.closed || r.closed_reason || r.quota !== null || r.ready_in_days !== null) {
        services[code] = [r.closed, r.closed_reason || null, r.quota, r.ready_in_days];
      }
    });
  return [
    s.office_name || null,
    (s.ticket_footer || "").trim(),
    (s.running_text || "").trim(),
    s.blanko_stock,
    hours,
    services,
    s.calls_before_no_show === undefined ? null : s.calls_before_no_show,
    s.personal_data_retention_days === undefined ? null : s.personal_data_retention_days,
    s.voice_reading || null,
    hoursShape(s.pickup_hours),
    s.no_show_min_minutes === undefined ? null : s.no_show_min_minutes,
    s.resume_to || "front",
    s.waiting_area || null,
    s.call_repeat || 1,
  ];
}
