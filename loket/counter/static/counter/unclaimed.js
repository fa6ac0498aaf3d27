/* Tickets nobody holds (issued today, never called): the front desk and the admin void them with a reason.
 * Data: GET /api/staff/unclaimed, POST /api/staff/tickets/<id>/void {reason}. */
import { $, h, clear } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { hhmm } from "loket/time.js";
import { say, refreshLists } from "./context.js";

let tickets = [];

function item(tk) {
  const from = tk.issuer && tk.issuer.indexOf("kiosk:") === 0 ? fmt("unclaimed_from_kiosk", { kiosk: tk.issuer.slice(6) }) : t("unclaimed_from_other");
  return h(
    "li",
    { "data-number": tk.number },
    h("span", { class: "c-unclaimed-number num" }, tk.number),
    h(
      "span",
      { class: "c-unclaimed-info" },
      h("span", null, t(tk.service_name)),
      h("br"),
      h("span", { class: "c-muted" }, hhmm(tk.issued_at) + " · " + from + " · " + t(tk.printed ? "unclaimed_printed" : "unclaimed_not_printed"))
    ),
    h("button", { type: "button", class: "btn btn-danger c-unclaimed-void", onclick: () => voidTicket(tk) }, t("unclaimed_void"))
  );
}

function render() {
  const list = clear($("unclaimed-list"));
  tickets.forEach((tk) => list.appendChild(item(tk)));
  $("unclaimed-none").hidden = tickets.length > 0;
}

function showError(message) {
  $("unclaimed-error").textContent = message || "";
  $("unclaimed-error").hidden = !message;
}

async function load() {
  tickets = (await api("GET", "/api/staff/unclaimed")).tickets || [];
  render();
}

async function voidTicket(tk) {
  const reason = $("unclaimed-reason").value.trim();
  if (!reason) {
    showError(t("unclaimed_reason_needed"));
    $("unclaimed-reason").focus();
    return;
  }
  showError("");
  try {
    await api("POST", "/api/staff/tickets/" + tk.id + "/void", { reason });
    say(fmt("unclaimed_voided", { number: tk.number }), "ok");
    refreshLists();
    await load();
  } catch (err) {
    showError(err.message);
    await load();
  }
}

$("unclaimed-open").addEventListener("click", async () => {
  showError("");
  try {
    await load();
  } catch (err) {
    showError(err.message);
  }
  $("unclaimed-dialog").showModal();
});
