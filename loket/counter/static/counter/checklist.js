/* The requirements checklist: the documents the resident brought, ticked by the officer serving the berkas.
 * Kept with the berkas (POST /api/staff/tickets/<id>/documents {have}); later stations see it, with who
 * ticked it and when (ticket.checked). */
import { h } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { hhmm } from "loket/time.js";
import { state, canWork, fail } from "./context.js";

const ticked = {}; // ticket id -> {requirement key: true}
let saving = Promise.resolve(); // the saves, one after the other, so the last tick is the one kept
let unsaved = 0;

/** What was ticked for this berkas: the server's record, unless this page has ticks still being saved. */
export function tickedFor(ticket) {
  if (ticket.checked && !unsaved) {
    ticked[ticket.id] = Object.fromEntries(ticket.checked.have.map((key) => [key, true]));
  }
  if (!ticked[ticket.id]) ticked[ticket.id] = {};
  return ticked[ticket.id];
}

/** Resolves once every tick of this page is saved (an action waits for it before moving the berkas on). */
export function checklistSaved() {
  return saving;
}

function save(ticket, have) {
  unsaved += 1;
  const keys = Object.keys(have);
  saving = saving
    .then(() => api("POST", "/api/staff/tickets/" + ticket.id + "/documents", { have: keys }))
    .then((data) => {
      if (data.ticket && state.ticket && state.ticket.id === ticket.id) state.ticket.checked = data.ticket.checked;
    })
    .catch(fail)
    .finally(() => {
      unsaved -= 1;
    });
}

/** The checklist box for the panel; null when the service has no documents or the berkas is closed. */
export function checklistBox(ticket) {
  const reqs = state.requirements[ticket.service];
  if (!reqs || !reqs.length || ticket.state === "done" || ticket.state === "cancelled") return null;
  const have = tickedFor(ticket);
  const editable = canWork(ticket) && ticket.state === "serving";
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
        save(ticket, have);
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
  // every document there (the common case): one press instead of one per document
  const all = editable
    ? h(
        "button",
        {
          type: "button",
          class: "btn c-check-all",
          id: "checklist-all",
          onclick: () => {
            reqs.forEach((r) => {
              have[r.key] = true;
            });
            document.querySelectorAll('#berkas-checklist input[name="req-have"]').forEach((b) => {
              b.checked = true;
            });
            count.textContent = countText();
            save(ticket, have);
          },
        },
        t("checklist_all")
      )
    : null;
  return h(
    "section",
    { class: "c-checklist", id: "berkas-checklist" },
    h("h3", null, t("checklist"), " ", count, all),
    editable ? h("p", { class: "c-muted" }, t("checklist_hint")) : null,
    ticket.checked
      ? h(
          "p",
          { class: "c-muted", id: "checklist-by" },
          fmt("checklist_by", { who: ticket.checked.by || "-", time: hhmm(ticket.checked.at) })
        )
      : null,
    h("ul", { class: "c-checklist-items" }, reqs.map(item))
  );
}
