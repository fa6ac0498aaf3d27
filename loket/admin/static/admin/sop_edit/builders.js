/* Small builders for the SOP form's fields and list items. */
import * as i18n from "loket/i18n.js";
import { h } from "loket/dom.js";

export function textInput(attrs) {
  return h("input", Object.assign({ type: "text" }, attrs));
}

/** A field box whose data-field is set from its item's path + `sub` by renumber(). */
export function sub(subPath, labelKey, input, hintKey) {
  var id = "i" + Math.random().toString(36).slice(2, 9);
  input.id = id;
  return h(
    "div",
    { class: "a-field", "data-sub": subPath },
    h("label", { for: id, "data-i18n": labelKey }, i18n.t(labelKey)),
    input,
    hintKey ? h("p", { class: "a-hint", "data-i18n": hintKey }, i18n.t(hintKey)) : null
  );
}

export function subCheck(subPath, labelKey, checked, cls) {
  return h(
    "div",
    { class: "a-field a-field-check", "data-sub": subPath },
    h(
      "label",
      { class: "a-check a-check-box" },
      h("input", { type: "checkbox", class: cls, checked: !!checked }),
      h("span", { "data-i18n": labelKey }, i18n.t(labelKey))
    )
  );
}

export function itemTools(labelKey) {
  return h(
    "div",
    { class: "a-item-head" },
    h("span", { class: "a-item-title", "data-title-key": labelKey }),
    h(
      "div",
      { class: "a-item-tools" },
      h("button", { type: "button", class: "btn a-tool a-up", "data-act": "up", "aria-label": i18n.t("move_up"), title: i18n.t("move_up") }, "↑"),
      h("button", { type: "button", class: "btn a-tool a-down", "data-act": "down", "aria-label": i18n.t("move_down"), title: i18n.t("move_down") }, "↓"),
      h(
        "button",
        { type: "button", class: "btn btn-danger a-tool a-remove", "data-act": "remove", "aria-label": i18n.t("remove"), title: i18n.t("remove") },
        "✕"
      )
    )
  );
}

export function text(obj) {
  return obj || { id: "", en: "" };
}

/** Enough rows to show a text whole (about 34 characters a line in the two-column layout). */
export function rows(a, b) {
  var longest = Math.max(String(a || "").length, String(b || "").length);
  return String(Math.max(2, Math.ceil(longest / 34)));
}
