/* The resident's number on the berkas (issue 14) and the delivery state of each message sent to it.
 * The front desk sees the number in full and adds, changes or removes it; every other role sees it masked.
 * Loaded apart from the berkas (GET /api/staff/tickets/<id>/contact): the berkas view carries no number. */
import { $, clear, h } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { state, say } from "./context.js";

let seq = 0;
// What the officer typed and the server's last refusal, per berkas: a live update redraws the berkas (and this
// box) while they type or read the refusal, which must not lose either.
const drafts = {};

/** The box, filled when the contact arrives. */
export function contactBox(ticket) {
  const box = h(
    "section",
    { class: "c-contact", id: "berkas-contact", "data-ticket-id": ticket.id },
    h("h3", null, t("contact"), " ", h("span", { class: "pill c-staff-only" }, t("applicant_staff_only"))),
    h("p", { class: "c-muted" }, t("contact_loading"))
  );
  load(ticket.id, box);
  return box;
}

async function load(ticketId, box) {
  const mine = ++seq;
  try {
    const data = await api("GET", "/api/staff/tickets/" + ticketId + "/contact");
    if (mine !== seq) return;
    fill(box, ticketId, data);
  } catch (err) {
    if (mine !== seq) return;
    box.lastChild.textContent = err.message;
  }
}

function fill(box, ticketId, data) {
  const title = box.firstChild;
  clear(box).appendChild(title);
  if (data.can_edit) box.appendChild(form(ticketId, data.phone));
  else box.appendChild(h("p", { id: "contact-phone", class: "num" }, data.phone || t("contact_none")));
  if (data.email) box.appendChild(h("p", { id: "contact-email" }, t("contact_email") + ": " + data.email));
  box.appendChild(deliveries(data.messages));
}

function form(ticketId, phone) {
  const input = h("input", {
    id: "contact-phone-input",
    name: "phone",
    type: "tel",
    inputmode: "tel",
    autocomplete: "off",
    maxlength: 30,
    class: "num",
    placeholder: "0812 3456 7890",
    value: drafts[ticketId] ? drafts[ticketId].value : phone || "",
    oninput: () => {
      drafts[ticketId] = { value: input.value, error: null };
    },
  });
  const kept = drafts[ticketId] && drafts[ticketId].error;
  const error = h("p", { class: "alert c-form-error", id: "contact-error", role: "alert", hidden: !kept });
  error.textContent = kept || "";
  const save = (value) => async (ev) => {
    if (ev) ev.preventDefault();
    if (state.busy) return;
    state.busy = true;
    error.hidden = true;
    try {
      const data = await api("POST", "/api/staff/tickets/" + ticketId + "/phone", { phone: value() || null });
      delete drafts[ticketId];
      say(fmt(value() ? "contact_saved" : "contact_removed", { number: data.ticket.number }), "ok");
      const box = $("berkas-contact");
      if (box) load(ticketId, box);
    } catch (err) {
      const problem = ((err.data && err.data.problems) || []).find((p) => p.field === "phone");
      const message = problem ? t(problem.label) || problem.message : err.message;
      drafts[ticketId] = { value: value(), error: message };
      const shown = $("contact-error") || error; // the box may have been redrawn meanwhile
      shown.textContent = message;
      shown.hidden = false;
    }
    state.busy = false;
  };
  return h(
    "form",
    { class: "c-contact-form", id: "contact-form", novalidate: true, onsubmit: save(() => input.value.trim()) },
    h("label", { for: "contact-phone-input" }, t("contact_phone")),
    h(
      "div",
      { class: "c-contact-row" },
      input,
      h("button", { type: "submit", id: "contact-save", class: "btn btn-brand" }, t("contact_save")),
      phone ? h("button", { type: "button", id: "contact-remove", class: "btn", onclick: save(() => "") }, t("contact_remove")) : null
    ),
    error
  );
}

function when(iso) {
  return iso ? new Date(iso).toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" }) : "";
}

function deliveries(messages) {
  if (!messages.length) return h("p", { class: "c-muted", id: "contact-no-messages" }, t("contact_no_messages"));
  return h(
    "table",
    { class: "c-deliveries", id: "contact-messages" },
    h(
      "thead",
      null,
      h("tr", null, ["delivery_moment", "delivery_time", "delivery_state", "delivery_attempts", "delivery_error"].map((k) => h("th", { scope: "col" }, t(k))))
    ),
    h(
      "tbody",
      null,
      messages.map((m) =>
        h(
          "tr",
          { "data-message": m.moment, "data-state": m.state },
          h("td", null, t(m.label), m.channel === "email" ? " (e-mail)" : ""),
          h("td", { class: "num" }, when(m.sent_at || m.at)),
          h("td", null, h("span", { class: "pill c-delivery-" + m.state }, t("delivery." + m.state))),
          h("td", { class: "num" }, String(m.attempts)),
          h("td", { class: "c-delivery-error" }, m.last_error || "")
        )
      )
    )
  );
}
