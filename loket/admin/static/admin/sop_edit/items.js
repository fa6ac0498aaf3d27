/* The SOP's list items on the form: a requirement, a condition, a step with its duties. */
import * as i18n from "loket/i18n.js";
import { h } from "loket/dom.js";
import { state } from "./state.js";
import { textInput, sub, subCheck, itemTools, text, rows } from "./builders.js";

export function requirementItem(r) {
  r = r || { key: "", text: null, note: null, optional: false };
  return h(
    "li",
    { class: "a-item a-req" },
    itemTools("requirement_n"),
    h(
      "div",
      { class: "a-row a-row-req" },
      sub(".key", "req_key", textInput({ class: "a-req-key", value: r.key || "", autocapitalize: "none", spellcheck: "false" }), "req_key_hint"),
      subCheck(".optional", "optional", r.optional, "a-req-optional")
    ),
    h(
      "div",
      { class: "a-row a-row-2" },
      sub(".text.id", "text_id", textInput({ class: "a-req-text-id", value: text(r.text).id })),
      sub(".text.en", "text_en", textInput({ class: "a-req-text-en", value: text(r.text).en }))
    ),
    h(
      "div",
      { class: "a-row a-row-2", "data-sub": ".note" },
      sub(".note.id", "note_id", textInput({ class: "a-req-note-id", value: text(r.note).id })),
      sub(".note.en", "note_en", textInput({ class: "a-req-note-en", value: text(r.note).en }))
    )
  );
}

export function conditionItem(c) {
  c = text(c);
  return h(
    "li",
    { class: "a-item a-cond" },
    itemTools("condition_n"),
    h(
      "div",
      { class: "a-row a-row-2" },
      sub(".id", "text_id", h("textarea", { class: "a-cond-id", rows: rows(c.id, c.en) }, c.id)),
      sub(".en", "text_en", h("textarea", { class: "a-cond-en", rows: rows(c.id, c.en) }, c.en))
    )
  );
}

export function dutyItem(d) {
  d = text(d);
  return h(
    "li",
    { class: "a-item a-duty" },
    itemTools("duty_n"),
    h(
      "div",
      { class: "a-row a-row-2" },
      sub(".id", "text_id", textInput({ class: "a-duty-id", value: d.id })),
      sub(".en", "text_en", textInput({ class: "a-duty-en", value: d.en }))
    )
  );
}

export function stepItem(st) {
  st = st || { role: "", action: null, duties: [], target_minutes: null, resident_present: false, gives_pickup_slip: false };
  var roles = (state.meta.roles || []).filter(function (r) {
    return r.step;
  });
  var select = h(
    "select",
    { class: "a-step-role" },
    h("option", { value: "", disabled: true, selected: !st.role }, "—"),
    roles.map(function (r) {
      return h("option", { value: r.code, selected: r.code === st.role }, i18n.t(r.label));
    })
  );
  var duties = h("ol", { class: "a-list a-duties", "data-list": "duties" }, (st.duties || []).map(dutyItem));
  return h(
    "li",
    { class: "a-item a-step" },
    itemTools("step_n"),
    h(
      "div",
      { class: "a-row a-row-step" },
      sub(".role", "role", select),
      sub(
        ".target_minutes",
        "target_minutes",
        h("input", { type: "number", class: "a-step-target", min: "1", step: "1", inputmode: "numeric", value: st.target_minutes === null || st.target_minutes === undefined ? "" : st.target_minutes }),
        "target_hint"
      )
    ),
    h(
      "div",
      { class: "a-row a-row-2" },
      sub(".action.id", "action_id", h("textarea", { class: "a-step-action-id", rows: rows(text(st.action).id, text(st.action).en) }, text(st.action).id)),
      sub(".action.en", "action_en", h("textarea", { class: "a-step-action-en", rows: rows(text(st.action).id, text(st.action).en) }, text(st.action).en))
    ),
    h(
      "div",
      { class: "a-row a-row-2 a-flags" },
      subCheck(".resident_present", "resident_present", st.resident_present, "a-step-present"),
      subCheck(".gives_pickup_slip", "gives_pickup_slip", st.gives_pickup_slip, "a-step-slip")
    ),
    h(
      "details",
      { class: "a-duties-box", "data-sub": ".duties", open: (st.duties || []).length <= 3 ? true : null },
      h("summary", null, h("span", { "data-i18n": "duties" }, i18n.t("duties")), " ", h("span", { class: "a-duty-count num" })),
      duties,
      h("button", { type: "button", class: "btn a-add a-add-duty", "data-i18n": "add_duty" }, i18n.t("add_duty"))
    )
  );
}
