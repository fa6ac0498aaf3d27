/* Problems on the settings form: next to each field (its [data-problem-for] slot), marked invalid, and listed
 * at the top with links that jump to the field. */
import * as i18n from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { problemText } from "../problems.js";
import { state, dayName, WEEKDAYS } from "./state.js";
import { renderSaveBar } from "./savebar.js";

/** The closest field on the form: "hours.mon.open" -> the Monday row's open box, else the row, … */
function problemSlot(field) {
  var parts = field.split(".");
  // hours.<day>.<anything>: the whole day's row shows it
  if ((parts[0] === "hours" || parts[0] === "pickup_hours") && parts.length > 2) parts = parts.slice(0, 2);
  while (parts.length) {
    var key = parts.join(".");
    var slot = document.querySelector('[data-problem-for="' + cssEscape(key) + '"]');
    if (slot) return slot;
    var box = document.querySelector('[data-field="' + cssEscape(key) + '"]');
    if (box) {
      slot = box.querySelector(".a-problem[data-problem-auto]");
      if (!slot) {
        slot = h("p", { class: "a-problem", "data-problem-for": key, "data-problem-auto": "true" });
        box.appendChild(slot);
      }
      return slot;
    }
    parts.pop();
  }
  return null;
}

function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"');
}

function markField(field) {
  var parts = field.split(".");
  while (parts.length) {
    var box = document.querySelector('[data-field="' + cssEscape(parts.join(".")) + '"]');
    if (box) {
      box.setAttribute("data-invalid", "true");
      box.querySelectorAll("input, textarea").forEach(function (input) {
        input.setAttribute("aria-invalid", "true");
      });
      return box;
    }
    parts.pop();
  }
  return null;
}

export function clearProblems() {
  state.problems = [];
  document.querySelectorAll(".a-problem").forEach(function (p) {
    p.hidden = true;
    p.textContent = "";
  });
  document.querySelectorAll('[data-invalid="true"]').forEach(function (n) {
    n.removeAttribute("data-invalid");
  });
  document.querySelectorAll('[aria-invalid="true"]').forEach(function (n) {
    n.removeAttribute("aria-invalid");
  });
  $("problems").hidden = true;
  clear($("problems-list"));
  renderSaveBar();
}

export function clearProblemAt(input) {
  var box = input.closest && input.closest('[data-invalid="true"]');
  if (!box) return;
  box.removeAttribute("data-invalid");
  box.querySelectorAll('[aria-invalid="true"]').forEach(function (n) {
    n.removeAttribute("aria-invalid");
  });
}

/** Show each problem next to its field and in the list at the top (links that jump to it). */
export function showProblems(problems, quiet) {
  clearProblems();
  state.problems = problems;
  var list = $("problems-list");
  var first = null;
  problems.forEach(function (p) {
    var text = problemText(p.message);
    var slot = problemSlot(p.field);
    if (slot) {
      slot.hidden = false;
      slot.textContent = (slot.textContent ? slot.textContent + " " : "") + text;
    }
    var box = markField(p.field);
    var input = box && box.querySelector("input:not([type=checkbox]):not(:disabled), textarea");
    if (!first) first = input || box;
    list.appendChild(
      h(
        "li",
        { "data-problem-field": p.field },
        h(
          "button",
          {
            type: "button",
            class: "a-problem-link",
            onclick: function () {
              if (box) box.scrollIntoView({ block: "center" });
              if (input) input.focus();
            },
          },
          fieldLabel(p.field)
        ),
        ": " + text
      )
    );
  });
  $("problems-title").textContent = i18n.t("problems_title");
  $("problems").hidden = !problems.length;
  renderSaveBar();
  if (quiet) return;
  if (first && first.focus) first.focus({ preventScroll: true });
  $("problems").scrollIntoView({ block: "nearest" });
}

/** "services.penerbitan-kia.quota" -> "Penerbitan KIA · Kuota per hari". */
function fieldLabel(field) {
  var parts = field.split(".");
  var top = {
    office_name: "office_name",
    ticket_footer: "ticket_footer",
    running_text: "running_text",
    blanko_stock: "blanko_stock",
    calls_before_no_show: "calls_before_no_show",
    no_show_min_minutes: "no_show_min_minutes",
    resume_to: "resume_to",
    personal_data_retention_days: "retention_days",
    voice_reading: "voice_reading",
    hours: "sec_hours",
    pickup_hours: "sec_pickup",
    services: "sec_services",
  }[parts[0]];
  var out = [top ? i18n.t(top) : parts[0]];
  var hoursTable = parts[0] === "hours" || parts[0] === "pickup_hours";
  if (hoursTable && WEEKDAYS.indexOf(parts[1]) !== -1) {
    out = [i18n.t(dayName(parts[1]))];
    if (parts[0] === "pickup_hours") out.unshift(i18n.t(top)); // "Jam pengambilan dokumen · Senin · Buka"
  }
  if (parts[0] === "services" && parts[1]) {
    var svc = state.services.filter(function (s) {
      return s.code === parts[1];
    })[0];
    out = [svc ? i18n.t(svc.name) : parts[1]];
    var col = { quota: "col_quota", closed: "col_closed", closed_reason: "col_reason" }[parts[2]];
    if (col) out.push(i18n.t(col));
  }
  if (hoursTable && parts[2]) out.push(i18n.t(parts[2] === "open" ? "col_open" : "col_close"));
  return out.join(" · ");
}
