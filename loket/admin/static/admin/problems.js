/* Problems next to their fields: the API's 400 answer ({field, message} or "field: message") shown beside the
 * [data-field] box it concerns and listed above the form, in plain words. */
import * as i18n from "loket/i18n.js";
import { bilingual } from "loket/i18n.js";
import { clear, h } from "loket/dom.js";

i18n.addStrings(i18n.pageStrings("admin/problems"));

// The API's problems may be pydantic's English messages: say the common ones plainly (the catalog's
// "problem.<name>" texts; {1} is the pattern's first group).
const PROBLEM_TEXT = [
  [/close must be after open/i, "problem.close_after_open"],
  [/greater than or equal to 0\b/i, "problem.not_negative"],
  [/greater than or equal to (\d+)/i, "problem.at_least"],
  [/less than or equal to (\d+)/i, "problem.at_most"],
  [/valid integer/i, "problem.integer"],
  [/valid time format|valid time/i, "problem.time"],
  [/valid string/i, "problem.text"],
  [/valid boolean/i, "problem.boolean"],
  [/unknown weekday/i, "problem.weekday"],
  [/^field required|^missing$/i, "problem.required"],
  [/at least 1 (item|character)/i, "problem.required_one"],
  [/should match pattern '\^\[A-Z\]\$'/i, "problem.capital_letter"],
  [/should match pattern/i, "problem.pattern"],
  [/extra inputs are not permitted/i, "problem.unknown_field"],
];

/** A problem's message in plain words, in the page's language. */
export function problemText(raw) {
  var text = bilingual(String(raw));
  for (var i = 0; i < PROBLEM_TEXT.length; i++) {
    var m = PROBLEM_TEXT[i][0].exec(text);
    if (m) {
      return i18n.t(PROBLEM_TEXT[i][1]).replace(/\{(\d)\}/g, function (_, n) {
        return m[Number(n)] || "";
      });
    }
  }
  return text.replace(/^Value error, /, "");
}

function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"');
}

/** "steps[1].target_minutes" -> "steps[1]" -> "steps" -> "". */
export function parentField(field) {
  return field.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
}

/** A problem as {field, message}: the structured format, or the older "field: message" string. */
export function normaliseProblem(p) {
  if (p && typeof p === "object") {
    // {id, en} from the server's catalogs, as "id (en)" so the bilingual display follows a language switch.
    const message = p.label ? `${p.label.id} (${p.label.en})` : String(p.message || p.msg || "");
    return { field: String(p.field || ""), message };
  }
  var text = String(p);
  var at = text.indexOf(": ");
  if (at === -1) return { field: "", message: text };
  return { field: text.slice(0, at), message: text.slice(at + 2) };
}

/** The closest [data-field] box in `root` for a field path, walking up to its parents. */
function fieldBox(root, field) {
  var f = field;
  while (f) {
    var box = root.querySelector('[data-field="' + cssEscape(f) + '"]');
    if (box) return box;
    var up = parentField(f);
    if (up === f) break;
    f = up;
  }
  return null;
}

export function clearProblems(root, listBox) {
  root.querySelectorAll(".a-problem[data-problem-auto]").forEach(function (p) {
    p.parentNode.removeChild(p);
  });
  root.querySelectorAll('[data-invalid="true"]').forEach(function (n) {
    n.removeAttribute("data-invalid");
  });
  root.querySelectorAll('[aria-invalid="true"]').forEach(function (n) {
    n.removeAttribute("aria-invalid");
  });
  if (listBox) {
    listBox.hidden = true;
    clear(listBox);
  }
}

/**
 * Show each problem next to its field (the closest [data-field] box in `root`) and listed in `listBox`.
 * `label(field)` names a field for the list. Returns the first input to focus.
 */
export function showProblems(root, listBox, problems, label) {
  clearProblems(root, listBox);
  var first = null;
  var list = h("ul");
  problems.map(normaliseProblem).forEach(function (p) {
    var text = problemText(p.message);
    var box = p.field ? fieldBox(root, p.field) : null;
    var input = null;
    if (box) {
      box.setAttribute("data-invalid", "true");
      var own = box.querySelector(':scope > .a-problem[data-problem-auto]');
      if (!own) {
        own = h("p", { class: "a-problem", "data-problem-auto": "true", "data-problem-for": box.getAttribute("data-field") });
        box.appendChild(own);
      }
      own.textContent = (own.textContent ? own.textContent + " " : "") + text;
      input = box.matches("input, select, textarea") ? box : box.querySelector("input:not([type=checkbox]), select, textarea");
      if (input) input.setAttribute("aria-invalid", "true");
    }
    if (!first) first = input || box;
    var name = p.field ? (label ? label(p.field) : p.field) : "";
    list.appendChild(
      h(
        "li",
        { "data-problem-field": p.field },
        name
          ? h(
              "button",
              {
                type: "button",
                class: "a-problem-link",
                onclick: function () {
                  if (box) box.scrollIntoView({ block: "center" });
                  if (input) input.focus({ preventScroll: true });
                },
              },
              name
            )
          : null,
        name ? ": " + text : text
      )
    );
  });
  if (listBox) {
    listBox.appendChild(h("p", { class: "a-problems-title" }, i18n.t("problems_title")));
    listBox.appendChild(list);
    listBox.hidden = !problems.length;
  }
  return first;
}
