/* The service's identity on the form: code, names, summary, prefix, group, order, draft, blanko. */
import * as i18n from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { groupLabel } from "../widgets.js";
import { state } from "./state.js";
import { textInput, text, rows } from "./builders.js";

export function buildIdentity(sop) {
  var box = clear($("identity"));
  var isNew = !state.code;
  var groups = (state.meta.groups || []).map(function (g) {
    return h("option", { value: g, selected: g === sop.group }, groupLabel(g));
  });
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2" },
      fieldBox("name.id", "name_id", textInput({ id: "f-name-id", value: text(sop.name).id, maxlength: "120" })),
      fieldBox("name.en", "name_en", textInput({ id: "f-name-en", value: text(sop.name).en, maxlength: "120" }))
    )
  );
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2" },
      fieldBox("summary.id", "summary_id", h("textarea", { id: "f-summary-id", rows: rows(text(sop.summary).id, text(sop.summary).en) }, text(sop.summary).id)),
      fieldBox("summary.en", "summary_en", h("textarea", { id: "f-summary-en", rows: rows(text(sop.summary).id, text(sop.summary).en) }, text(sop.summary).en))
    )
  );
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2" },
      fieldBox(
        "code",
        "code",
        textInput({ id: "f-code", value: sop.code || "", readonly: !isNew, autocapitalize: "none", spellcheck: "false" }),
        isNew ? "code_hint" : null
      ),
      fieldBox("group", "group", h("select", { id: "f-group" }, groups))
    )
  );
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2" },
      fieldBox("prefix", "prefix", textInput({ id: "f-prefix", value: sop.prefix || "", class: "a-prefix-input", autocapitalize: "characters" }), "prefix_hint"),
      fieldBox("order", "order", h("input", { type: "number", id: "f-order", value: sop.order === undefined ? 100 : sop.order, step: "1" }))
    )
  );
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2 a-flags" },
      h(
        "div",
        { class: "a-field", "data-field": "draft" },
        h("label", { class: "a-check a-check-box" }, h("input", { type: "checkbox", id: "f-draft", checked: !!sop.draft }), h("span", { "data-i18n": "draft" }, i18n.t("draft")))
      ),
      h(
        "div",
        { class: "a-field", "data-field": "uses_blanko" },
        h(
          "label",
          { class: "a-check a-check-box" },
          h("input", { type: "checkbox", id: "f-uses-blanko", checked: !!sop.uses_blanko }),
          h("span", { "data-i18n": "uses_blanko" }, i18n.t("uses_blanko"))
        )
      )
    )
  );
  if (sop.seed_title) box.appendChild(h("p", { class: "a-hint a-seed-title", "data-seed": sop.seed_title }, i18n.fmt("seed_title", { t: sop.seed_title })));
}

function fieldBox(path, labelKey, input, hintKey) {
  return h(
    "div",
    { class: "a-field", "data-field": path },
    h("label", { for: input.id, "data-i18n": labelKey }, i18n.t(labelKey)),
    input,
    hintKey ? h("p", { class: "a-hint", "data-i18n": hintKey }, i18n.t(hintKey)) : null
  );
}
