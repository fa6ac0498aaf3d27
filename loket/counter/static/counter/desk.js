/* The staff desk (counter/desk.html): the staff shell logs in; then the officer chooses a role and a counter
 * (station.js) and works the desk: calling (calling.js), the lists (worklist.js), the berkas (panel.js and
 * its parts), the webcam (camera.js), printer and kiosk alerts (alerts.js), tickets nobody holds (unclaimed.js)
 * and live updates (live.js). */
import { $ } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { start, route, state as shell } from "loket/shell.js";
import "./strings.js";
import { state, config, fail, roleLabel, on, renderBerkas } from "./context.js";
import { loadStationData, renderStation, onStationChosen, changeStation } from "./station.js";
import "./panel.js";
import { refreshLists, renderLists } from "./worklist.js";
import { loadAlerts, renderAlerts } from "./alerts.js";
import "./unclaimed.js";
import { stopCamera } from "./camera.js";
import { connect, disconnect, showConnection } from "./live.js";
import "./shortcuts.js";
import "./batch.js";

const messages = $("messages");
const messagesHome = messages && messages.parentNode;

/** Show the station screen or the desk; body[data-view] says which (the CSS and the scan keys follow it). */
function showView(name) {
  $("view-station").hidden = name !== "station";
  $("view-desk").hidden = name !== "desk";
  document.body.setAttribute("data-view", name);
  $("station").hidden = name !== "desk";
  $("conn").hidden = name !== "desk";
  // on the desk, messages show in the action bar: a toast would cover the berkas or its buttons
  if (messages) (name === "desk" ? $("bar-status") : messagesHome).appendChild(messages);
  renderAlerts();
}

/** The header's station and what this role may do at this counter. */
function renderDesk() {
  const me = state.me;
  $("station-user").textContent = me.user.full_name;
  $("station-role").textContent = roleLabel(me.role);
  $("station-counter").textContent = me.counter ? me.counter.name : t("no_counter_short");
  // the back office (operator, scan, bidang, register) calls nobody: its own view, a work list and batches
  const hall = config.hall_roles.indexOf(me.role) !== -1;
  document.body.setAttribute("data-desk", hall ? "hall" : "back");
  $("call-next").hidden = !hall;
  $("queue-block").hidden = !hall || !me.counter;
  $("call-next").disabled = !me.counter;
  $("call-next-hint").hidden = !!me.counter || !hall;
  $("walk-in").hidden = !me.counter || config.hall_roles.indexOf(me.role) === -1;
  $("unclaimed-open").hidden = config.void_roles.indexOf(me.role) === -1;
  // The buku harian holds names and NIKs: only the roles that keep or sign it.
  document.querySelector(".c-register").hidden = config.register_roles.indexOf(me.role) === -1;
  $("work-title").textContent = fmt("work_title", { role: roleLabel(me.role) });
}

function leaveDesk() {
  stopCamera();
  disconnect();
}

/** The station screen without a role, the desk with one. */
function enter(me) {
  state.me = me;
  if (!me.role) {
    leaveDesk();
    renderStation();
    showView("station");
    return;
  }
  renderDesk();
  showView("desk");
  connect();
  refreshLists();
  loadAlerts();
  $("scan-input").focus();
}

onStationChosen(enter);

// The session lost its role under the desk (another tab, an admin): ask the server where it stands.
on("session", async () => {
  try {
    shell.me = await api("GET", "/api/me");
  } catch (err) {
    fail(err);
    return;
  }
  await route();
});

$("change-station").addEventListener("click", async () => {
  leaveDesk();
  try {
    await changeStation();
  } catch (err) {
    fail(err);
    return;
  }
  showView("station");
});

start({
  roles: null, // any officer: the station screen offers the roles the account holds
  cls: "c",
  who: false, // the header's station says who works where
  showFirst: true, // the shell shows #page, then the desk chooses its own view
  messageSeconds: 6,
  async open(me) {
    state.me = me;
    await loadStationData();
    enter(me);
  },
  close() {
    leaveDesk();
    state.me = null;
    state.ticket = null;
    renderBerkas();
    $("station").hidden = true;
    $("conn").hidden = true;
  },
  onLangChange() {
    if (state.me && state.me.user) {
      renderStation();
      if (state.me.role) renderDesk();
    }
    renderBerkas();
    renderLists();
    renderAlerts();
    showConnection();
  },
});
