/* The two lists at the side: residents called to this counter, and the role's work list. Listens to "lists". */
import { $, h, clear } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { minutesBetween } from "loket/time.js";
import { state, fail, on, sessionChanged } from "./context.js";
import { loadTicket, markSelected, refreshTicket } from "./panel.js";

const lists = { here: [], work: [] };
let refreshTimer = null;

function listItem(ticket) {
  const called = ticket.state === "called" || ticket.state === "serving";
  const waited = called ? "" : fmt("waited", { n: minutesBetween(ticket.queued_at) });
  return h(
    "li",
    null,
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

function renderList(listId, emptyId, tickets) {
  const list = clear($(listId));
  tickets.forEach((ticket) => list.appendChild(listItem(ticket)));
  $(emptyId).hidden = tickets.length > 0;
  markSelected();
}

/** Draw both lists again (e.g. in the other language). */
export function renderLists() {
  renderList("here-list", "here-empty", lists.here);
  renderList("work-list", "work-empty", lists.work);
}

/** Reload both lists from the server. */
export async function refreshLists() {
  clearTimeout(refreshTimer);
  if (!state.me || !state.me.role) return;
  try {
    const [here, work] = await Promise.all([api("GET", "/api/counter/current"), api("GET", "/api/worklist")]);
    lists.here = here.tickets || [];
    lists.work = work.tickets || [];
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
