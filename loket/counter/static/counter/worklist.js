/* The lists at the side: who waits for this counter (hall roles), residents called to this counter, and the
 * role's work list (with a tick box per berkas in the back office, for batch.js). Listens to "lists". */
import { $, h, clear } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { minutesBetween } from "loket/time.js";
import { state, config, fail, on, sessionChanged } from "./context.js";
import { loadTicket, markSelected, refreshTicket } from "./panel.js";

const lists = { here: [], work: [], queue: [], queueCount: 0 };

/** The back office (a role that never calls residents to a hall counter) gets its own view. */
export function backOffice() {
  return !!state.me && config.hall_roles.indexOf(state.me.role) === -1;
}

/** Ticket ids ticked for a batch action (batch.js reads and changes it; the work list draws it). */
export const picked = new Set();
let onPick = () => {};

/** batch.js: be told when a tick changes. */
export function onPicked(fn) {
  onPick = fn;
}
let refreshTimer = null;

function pickBox(ticket) {
  const box = h("input", {
    type: "checkbox",
    class: "c-pick",
    "data-ticket-id": ticket.id,
    "aria-label": fmt("pick", { number: ticket.number }),
    checked: picked.has(ticket.id),
    onchange: () => {
      if (box.checked) picked.add(ticket.id);
      else picked.delete(ticket.id);
      onPick();
    },
  });
  return box;
}

function listItem(ticket, pickable) {
  const called = ticket.state === "called" || ticket.state === "serving";
  const waited = called ? "" : fmt("waited", { n: minutesBetween(ticket.queued_at) });
  return h(
    "li",
    { class: pickable ? "c-pickable" : null },
    pickable ? pickBox(ticket) : null,
    h(
      "button",
      {
        type: "button",
        class: "c-item",
        "data-ticket-id": ticket.id,
        "data-number": ticket.number,
        "data-state": ticket.state,
        "data-overdue": ticket.overdue ? "true" : "false",
        onclick: () => loadTicket(ticket.id).catch(fail),
      },
      h("span", { class: "c-item-number num" }, ticket.number),
      h(
        "span",
        { class: "c-item-body" },
        h("span", { class: "c-item-service" }, t(ticket.service_name)),
        h(
          "span",
          { class: "c-item-meta" },
          h("span", { class: "c-state c-state-" + ticket.state }, t(ticket.state_label)),
          ticket.priority ? h("span", { class: "pill pill-prio" }, t("priority")) : null,
          ticket.overdue ? h("span", { class: "pill c-pill-overdue" }, t("overdue")) : null,
          waited ? h("span", { class: "c-muted" }, waited) : null
        )
      )
    )
  );
}

function renderList(listId, emptyId, tickets, pickable = false) {
  const list = clear($(listId));
  tickets.forEach((ticket) => list.appendChild(listItem(ticket, pickable)));
  $(emptyId).hidden = tickets.length > 0;
  markSelected();
}

/** One resident waiting for this counter: number, service, waiting time, priority; no name. */
function queueItem(ticket) {
  return h(
    "li",
    { class: "c-queue-item", "data-number": ticket.number, "data-ticket-id": ticket.id },
    h("span", { class: "c-item-number num" }, ticket.number),
    h(
      "span",
      { class: "c-item-body" },
      h("span", { class: "c-item-service" }, t(ticket.service_name)),
      h(
        "span",
        { class: "c-item-meta" },
        ticket.priority ? h("span", { class: "pill pill-prio", title: ticket.priority_label ? t(ticket.priority_label) : null }, t("priority")) : null,
        ticket.for_this_counter ? h("span", { class: "pill" }, t("sent_here")) : null,
        h("span", { class: "c-muted c-queue-wait" }, fmt("waited", { n: minutesBetween(ticket.queued_at) }))
      )
    )
  );
}

function renderQueue() {
  const list = clear($("queue-list"));
  lists.queue.forEach((ticket) => list.appendChild(queueItem(ticket)));
  $("queue-count").textContent = String(lists.queueCount);
  $("queue-empty").hidden = lists.queueCount > 0;
  const more = lists.queueCount - lists.queue.length;
  $("queue-more").hidden = more <= 0;
  $("queue-more").textContent = more > 0 ? fmt("queue_more", { n: more }) : "";
}

/** Draw the lists again (e.g. in the other language). */
export function renderLists() {
  renderQueue();
  renderList("here-list", "here-empty", lists.here);
  const back = backOffice();
  // a berkas no longer in the work list cannot stay ticked
  if (back) Array.from(picked).forEach((id) => lists.work.some((w) => w.id === id) || picked.delete(id));
  renderList("work-list", "work-empty", lists.work, back);
  onPick();
}

/** Reload both lists from the server. */
export async function refreshLists() {
  clearTimeout(refreshTimer);
  if (!state.me || !state.me.role) return;
  try {
    const hall = !backOffice() && state.me.counter;
    const [here, work, queue] = await Promise.all([
      api("GET", "/api/counter/current"),
      api("GET", "/api/worklist"),
      hall ? api("GET", "/api/counter/queue") : Promise.resolve({ count: 0, tickets: [] }),
    ]);
    lists.here = here.tickets || [];
    lists.work = work.tickets || [];
    lists.queue = queue.tickets || [];
    lists.queueCount = queue.count || 0;
    renderLists();
  } catch (err) {
    if (err.status === 401 || err.code === "no_role") return sessionChanged();
    fail(err);
  }
}

/** A ticket event: reload the lists soon (events come in bursts), and the open berkas if it is the one. */
export function scheduleRefresh(payload) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshLists();
    if (state.ticket && payload && payload.number === state.ticket.number && !state.busy) {
      refreshTicket(state.ticket.id).catch(() => {});
    }
  }, 200);
}

on("lists", refreshLists);
