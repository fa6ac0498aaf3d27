/* Send a berkas to another counter of the same role or to another service; serve a resident without a ticket. */
import { $, h, clear } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { state, say, fail, openTicket, refreshLists } from "./context.js";
import { closeDialog } from "./dialogs.js";

let services = null; // GET /api/services

async function loadServices() {
  if (!services) services = await api("GET", "/api/services");
  return services;
}

function serviceOptions(select, exclude) {
  clear(select);
  select.appendChild(h("option", { value: "" }, t("choose_service")));
  (services.services || []).forEach((svc) => {
    if (svc.code !== exclude) select.appendChild(h("option", { value: svc.code }, t(svc.name)));
  });
}

// ---- transfer ----

let postAction = null; // actions.post: the transfer is one of the berkas's state changes

/** Open the transfer dialog for the open berkas; `post(action, payload)` sends the choice. */
export async function openTransfer(post) {
  postAction = post;
  const ticket = state.ticket;
  try {
    const [, counters] = await Promise.all([loadServices(), api("GET", "/api/counters")]);
    state.counters = counters.counters || state.counters;
  } catch (err) {
    fail(err);
    return;
  }
  $("transfer-title").textContent = fmt("transfer_title", { number: ticket.number });
  const mine = state.me.counter ? state.me.counter.id : null;
  const fitting = state.counters.filter((c) => c.roles.indexOf(ticket.current_role) !== -1 && c.id !== mine);
  const box = clear($("transfer-counters"));
  fitting.forEach((c) => {
    box.appendChild(
      h(
        "label",
        { class: "c-choice" },
        h("input", { type: "radio", name: "transfer-counter", value: c.id, "data-counter-name": c.name }),
        h("span", null, c.name)
      )
    );
  });
  $("transfer-no-counter").hidden = fitting.length > 0;
  serviceOptions($("transfer-service"), ticket.service);
  $("transfer-error").hidden = true;
  $("transfer-dialog").showModal();
}

$("transfer-service").addEventListener("change", (ev) => {
  if (!ev.target.value) return;
  const picked = document.querySelector('input[name="transfer-counter"]:checked');
  if (picked) picked.checked = false;
});
$("transfer-counters").addEventListener("change", () => {
  $("transfer-service").value = "";
});

$("transfer-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const picked = document.querySelector('input[name="transfer-counter"]:checked');
  const service = $("transfer-service").value;
  const payload = picked ? { counter_id: Number(picked.value) } : service ? { service } : null;
  $("transfer-error").hidden = !!payload;
  if (!payload) return;
  closeDialog($("transfer-dialog"));
  const number = state.ticket.number;
  await postAction("transfer", payload);
  if (state.ticket && state.ticket.number === number) say(fmt("transferred", { number }), "ok");
});

// ---- walk-in: issue a ticket at the desk and serve it ----

$("walk-in").addEventListener("click", async () => {
  let data;
  try {
    data = await loadServices();
  } catch (err) {
    fail(err);
    return;
  }
  serviceOptions($("walk-in-service"), null);
  const prio = clear($("walk-in-priority"));
  prio.appendChild(h("option", { value: "" }, t("no_priority")));
  (data.priorities || []).forEach((p) => prio.appendChild(h("option", { value: p.code }, t(p.label))));
  $("walk-in-error").hidden = true;
  $("walk-in-dialog").showModal();
});

$("walk-in-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const service = $("walk-in-service").value;
  $("walk-in-error").hidden = !!service;
  if (!service) return;
  const button = $("walk-in-submit");
  button.disabled = true;
  try {
    const data = await api("POST", "/api/counter/walk-in", { service, priority: $("walk-in-priority").value || null });
    closeDialog($("walk-in-dialog"));
    openTicket(data.ticket);
    say(fmt("walk_in_done", { number: data.ticket.number }), "ok");
    refreshLists();
  } catch (err) {
    $("walk-in-error").textContent = err.message;
    $("walk-in-error").hidden = false;
  }
  button.disabled = false;
});
