/* The requirements checklist: the documents the resident brought, ticked by staff (kept in this page only). */
import { h } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { state, canWork } from "./context.js";

const ticked = {}; // ticket id -> {requirement key: true}

/** What staff ticked for this berkas. */
export function tickedFor(ticket) {
  if (!ticked[ticket.id]) ticked[ticket.id] = {};
  return ticked[ticket.id];
}

/** The checklist box for the panel; null when the service has no documents or the berkas is closed. */
export function checklistBox(ticket) {
  const reqs = state.requirements[ticket.service];
  if (!reqs || !reqs.length || ticket.state === "done" || ticket.state === "cancelled") return null;
  const have = tickedFor(ticket);
  const editable = canWork(ticket);
  let required = reqs.filter((r) => !r.optional);
  const countKey = required.length ? "checklist_count" : "checklist_ticked";
  if (!required.length) required = reqs; // every document is conditional: count them all
  const countText = () => fmt(countKey, { n: required.filter((r) => have[r.key]).length, m: required.length });
  const count = h("span", { class: "c-checklist-count", id: "checklist-count" }, countText());
  const item = (r) => {
    const box = h("input", {
      type: "checkbox",
      name: "req-have",
      value: r.key,
      "data-key": r.key,
      checked: !!have[r.key],
      disabled: !editable,
      onchange: () => {
        if (box.checked) have[r.key] = true;
        else delete have[r.key];
        count.textContent = countText();
      },
    });
    return h(
      "li",
      null,
      h(
        "label",
        { class: "c-check" },
        box,
        h(
          "span",
          null,
          t(r.text),
          r.optional ? h("span", { class: "pill pill-warn c-ifany" }, t("if_any")) : null,
          r.note && t(r.note) ? h("span", { class: "c-check-note" }, t(r.note)) : null
        )
      )
    );
  };
  return h(
    "section",
    { class: "c-checklist", id: "berkas-checklist" },
    h("h3", null, t("checklist"), " ", count),
    editable ? h("p", { class: "c-muted" }, t("checklist_hint")) : null,
    h("ul", { class: "c-checklist-items" }, reqs.map(item))
  );
}
