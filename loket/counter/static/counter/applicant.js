/* The applicant of the berkas (name, NIK): shown to staff only, entered while serving. */
import { $, h } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { state, say, canWork, openTicket } from "./context.js";
import { bookingNik } from "./booking.js";

const drafts = {}; // ticket id -> {name, nik} being typed (survives a re-render)

function shown(a, hidden) {
  if (hidden) return h("p", { class: "c-muted", id: "applicant-hidden" }, t("applicant_hidden"));
  if (!a) return h("p", { class: "c-muted", id: "applicant-none" }, t("applicant_none"));
  return h(
    "dl",
    { class: "c-applicant-shown", id: "applicant-shown" },
    h("dt", null, t("applicant_name")),
    h("dd", { id: "applicant-shown-name" }, a.name),
    h("dt", null, "NIK"),
    h("dd", { id: "applicant-shown-nik", class: "num" }, a.nik)
  );
}

/** The applicant box for the panel, with the form when the officer serves this berkas. */
export function applicantBox(ticket) {
  const a = ticket.applicant;
  const box = h(
    "section",
    { class: "c-applicant", id: "berkas-applicant" },
    h("h3", null, t("applicant"), " ", h("span", { class: "pill c-staff-only" }, t("applicant_staff_only"))),
    shown(a, ticket.applicant_hidden)
  );
  if (ticket.state === "serving" && canWork(ticket)) box.appendChild(applicantForm(ticket));
  return box;
}

function applicantForm(ticket) {
  const a = ticket.applicant;
  const draft = drafts[ticket.id] || { name: a ? a.name : "", nik: a ? a.nik : "" };
  drafts[ticket.id] = draft;
  // the server's last refusal stays on a redrawn berkas (a live update may redraw it while the officer reads)
  const error = h("p", { class: "alert c-form-error", id: "applicant-error", role: "alert", hidden: !draft.error });
  error.textContent = draft.error || "";
  const nameInput = h("input", {
    id: "applicant-name",
    name: "name",
    autocomplete: "off",
    maxlength: 120,
    required: true,
    value: draft.name,
    oninput: () => {
      draft.name = nameInput.value;
    },
  });
  const nikInput = h("input", {
    id: "applicant-nik",
    name: "nik",
    inputmode: "numeric",
    pattern: "[0-9]{16}",
    // no maxlength: a pasted "3273-0112-…" must not be cut before the separators are dropped
    autocomplete: "off",
    required: true,
    class: "num",
    value: draft.nik,
    oninput: () => {
      const digits = nikInput.value.replace(/\D+/g, "").slice(0, 16);
      if (digits !== nikInput.value) nikInput.value = digits;
      draft.nik = digits;
    },
  });
  const submit = (ev) => {
    ev.preventDefault();
    const name = nameInput.value.trim();
    const nik = nikInput.value.trim();
    const problem = !name ? t("name_needed") : !/^\d{16}$/.test(nik) ? t("nik_format") : null;
    if (problem) {
      error.textContent = problem;
      error.hidden = false;
      return;
    }
    saveApplicant(ticket, name, nik, error);
  };
  return h(
    "form",
    { class: "c-applicant-form", id: "applicant-form", autocomplete: "off", novalidate: true, onsubmit: submit },
    h("label", { for: "applicant-name" }, t("applicant_name")),
    nameInput,
    h("label", { for: "applicant-nik" }, t("applicant_nik")),
    nikInput,
    bookingNik(ticket, nikInput),
    error,
    h("button", { type: "submit", id: "applicant-save", class: "btn btn-brand" }, t("applicant_save"))
  );
}

async function saveApplicant(ticket, name, nik, errorNode) {
  if (state.busy) return;
  state.busy = true;
  try {
    const data = await api("POST", "/api/staff/tickets/" + ticket.id + "/applicant", { name, nik });
    delete drafts[ticket.id];
    openTicket(data.ticket);
    say(fmt("applicant_saved", { number: data.ticket.number }), "ok");
  } catch (err) {
    if (drafts[ticket.id]) drafts[ticket.id].error = err.message;
    const node = $("applicant-error") || errorNode;
    node.textContent = err.message;
    node.hidden = false;
  }
  state.busy = false;
}
