/* The server's problems on the SOP form, in the editor's words, next to their fields and listed above. */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { clearProblems as clearFieldProblems, normaliseProblem, showProblems as showFieldProblems } from "../problems.js";
import { state } from "./state.js";
import { itemsOf } from "./form.js";
import { renderSaveBar } from "./savebar.js";

const FIELD_NAMES = {
  code: "code",
  name: "name_id",
  summary: "summary_id",
  prefix: "prefix",
  group: "group",
  order: "order",
  draft: "draft",
  uses_blanko: "uses_blanko",
  key: "req_key",
  role: "role",
  target_minutes: "target_minutes",
  resident_present: "resident_present",
  gives_pickup_slip: "gives_pickup_slip",
  optional: "optional",
  seed_total_minutes: "seed_total_label",
  yaml: "yaml_label",
};

function fieldLabel(field) {
  var out = [];
  var re = /([a-z_]+)(?:\[(\d+)\])?/g;
  var m;
  var items = { requirements: "requirement_n", conditions: "condition_n", steps: "step_n", duties: "duty_n" };
  var last = null;
  while ((m = re.exec(field))) {
    var name = m[1];
    if (m[2] !== undefined && items[name]) {
      out.push(i18n.fmt(items[name], { n: Number(m[2]) + 1 }));
    } else if (m[2] === undefined && items[name]) {
      out.push(i18n.t("sec_" + name));
    } else if (name === "id" || name === "en") {
      if (last && /^(text|note|action|name|summary)$/.test(last)) {
        var key = (last === "text" ? "text" : last) + "_" + name;
        out[out.length - 1] = i18n.t(key);
      } else {
        out.push(name === "id" ? "Bahasa Indonesia" : "English");
      }
    } else if (name === "text" || name === "note" || name === "action" || name === "name" || name === "summary") {
      out.push(i18n.t(name + "_id"));
    } else {
      out.push(FIELD_NAMES[name] ? i18n.t(FIELD_NAMES[name]) : name);
    }
    last = name;
  }
  return out.join(" · ") || field;
}

/**
 * The server's problems in the editor's words: an empty text is "required" (not "at least one"),
 * a step without a role asks for one, and "steps" is only required when no step is left.
 */
function tidyProblems(problems) {
  var haveSteps = itemsOf($("steps")).length > 0;
  return problems.map(normaliseProblem).filter(function (p) {
    if (p.field === "steps" && haveSteps && /at least 1 item/i.test(p.message)) return false;
    return true;
  }).map(function (p) {
    var message = p.message;
    if (/at least 1 character|valid dictionary or instance of Text/i.test(message)) message = "Field required";
    if (/(^|\.)role$/.test(p.field) && /^Input should be '|^Field required/i.test(message)) message = "Pilih peran petugas. (Choose a staff role.)";
    return { field: p.field, message: message };
  });
}

export function showProblems(problems) {
  state.problems = tidyProblems(problems);
  var first = showFieldProblems($("sop-form"), $("problems"), state.problems, fieldLabel);
  renderSaveBar();
  $("problems").scrollIntoView({ block: "nearest" });
  if (first && first.focus && state.tab === "form") first.focus({ preventScroll: true });
}

/** The problems again (in the new language), without moving the focus. */
export function reshowProblems() {
  if (state.problems.length) showFieldProblems($("sop-form"), $("problems"), state.problems, fieldLabel);
}

export function clearProblems() {
  state.problems = [];
  clearFieldProblems($("sop-form"), $("problems"));
}

export function clearProblemAt(input) {
  var box = input.closest && input.closest('[data-invalid="true"]');
  if (!box) return;
  box.removeAttribute("data-invalid");
  box.querySelectorAll('[aria-invalid="true"]').forEach(function (n) {
    n.removeAttribute("aria-invalid");
  });
}
