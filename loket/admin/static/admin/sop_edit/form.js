/* The SOP onto the form, the form back into an SOP, and every field's path ("steps[1].target_minutes") so the
 * server's problems find their place. */
import * as i18n from "loket/i18n.js";
import { $, clear } from "loket/dom.js";
import { state } from "./state.js";
import { buildIdentity } from "./identity.js";
import { requirementItem, conditionItem, stepItem } from "./items.js";

export function fillForm(sop) {
  buildIdentity(sop);
  var reqs = clear($("requirements"));
  (sop.requirements || []).forEach(function (r) {
    reqs.appendChild(requirementItem(r));
  });
  var conds = clear($("conditions"));
  (sop.conditions || []).forEach(function (c) {
    conds.appendChild(conditionItem(c));
  });
  var seed = sop.seed_total_minutes;
  $("f-seed-total").value = seed === null || seed === undefined ? "" : String(seed);
  var steps = clear($("steps"));
  (sop.steps || []).forEach(function (st) {
    steps.appendChild(stepItem(st));
  });
  renumber();
}

/** Give every list item and field its path ("steps[1].target_minutes"), so problems find their place. */
export function renumber() {
  ["requirements", "conditions", "steps"].forEach(function (name) {
    number($(name), name);
  });
  var total = 0;
  var any = false;
  document.querySelectorAll("#steps .a-step-target").forEach(function (i) {
    var n = Number(i.value);
    if (i.value.trim() !== "" && n > 0) {
      total += n;
      any = true;
    }
  });
  var raw = $("f-seed-total").value.trim();
  var seed = raw !== "" && Number(raw) >= 1 ? Number(raw) : null;
  var line = any ? i18n.fmt("steps_total", { n: total }) : i18n.t("steps_total_none");
  if (seed && seed !== total) line += " " + i18n.fmt("seed_total", { n: seed });
  $("steps-total").textContent = line;
}

function number(list, base) {
  var items = Array.prototype.filter.call(list.children, function (c) {
    return c.classList.contains("a-item");
  });
  items.forEach(function (item, i) {
    var path = base + "[" + i + "]";
    item.setAttribute("data-field", path);
    item.setAttribute("data-index", String(i));
    var title = item.querySelector(":scope > .a-item-head .a-item-title");
    title.textContent = i18n.fmt(title.getAttribute("data-title-key"), { n: i + 1 });
    item.querySelector(":scope > .a-item-head .a-up").disabled = i === 0;
    item.querySelector(":scope > .a-item-head .a-down").disabled = i === items.length - 1;
    item.querySelectorAll("[data-sub]").forEach(function (box) {
      if (box.closest(".a-item") !== item) return;
      box.setAttribute("data-field", path + box.getAttribute("data-sub"));
    });
    item.querySelectorAll("[data-list]").forEach(function (nested) {
      if (nested.closest(".a-item") !== item) return;
      number(nested, path + "." + nested.getAttribute("data-list"));
      var count = item.querySelector(".a-duty-count");
      if (count) count.textContent = "(" + nested.children.length + ")";
    });
  });
}

// ---- the form: inputs -> SOP ----

function val(root, selector) {
  var node = root.querySelector(selector);
  return node ? node.value.trim() : "";
}

function pair(root, idSel, enSel) {
  return { id: val(root, idSel), en: val(root, enSel) };
}

export function itemsOf(list) {
  return Array.prototype.filter.call(list.children, function (c) {
    return c.classList.contains("a-item");
  });
}

function intOrNull(raw) {
  if (raw === "") return null;
  var n = Number(raw);
  return Number.isFinite(n) ? n : raw; // let the server name what is wrong
}

/** The whole SOP as the form shows it, over the saved one (fields the form does not edit stay). */
export function readForm() {
  var base = state.doc && state.doc.sop ? state.doc.sop : {};
  var sop = {};
  if (base.seed_title !== undefined && base.seed_title !== null) sop.seed_title = base.seed_title;
  if (Array.isArray(base.life_events)) sop.life_events = base.life_events; // the kiosk's life events (no field yet)
  var total = intOrNull($("f-seed-total").value.trim());
  if (total !== null) sop.seed_total_minutes = total; // empty: the kiosk adds up the steps
  sop.code = val(document, "#f-code");
  sop.order = intOrNull(val(document, "#f-order"));
  if (sop.order === null) sop.order = 100;
  sop.name = pair(document, "#f-name-id", "#f-name-en");
  sop.summary = pair(document, "#f-summary-id", "#f-summary-en");
  sop.prefix = $("f-prefix").value.trim();
  sop.group = $("f-group").value;
  sop.draft = $("f-draft").checked;
  sop.uses_blanko = $("f-uses-blanko").checked;
  sop.requirements = itemsOf($("requirements")).map(function (item) {
    var r = {
      key: val(item, ".a-req-key"),
      text: pair(item, ".a-req-text-id", ".a-req-text-en"),
      optional: item.querySelector(".a-req-optional").checked,
    };
    var note = pair(item, ".a-req-note-id", ".a-req-note-en");
    if (note.id || note.en) r.note = note;
    return r;
  });
  sop.conditions = itemsOf($("conditions")).map(function (item) {
    return pair(item, ".a-cond-id", ".a-cond-en");
  });
  sop.steps = itemsOf($("steps")).map(function (item) {
    var st = {
      role: item.querySelector(".a-step-role").value,
      action: pair(item, ".a-step-action-id", ".a-step-action-en"),
      duties: itemsOf(item.querySelector(".a-duties")).map(function (d) {
        return pair(d, ".a-duty-id", ".a-duty-en");
      }),
      target_minutes: intOrNull(val(item, ".a-step-target")),
      resident_present: item.querySelector(".a-step-present").checked,
      gives_pickup_slip: item.querySelector(".a-step-slip").checked,
    };
    return st;
  });
  return sop;
}
