/* The server's events: the whole state (display.state), each call (ticket.called), and the connection's state. */
import * as i18n from "loket/i18n.js";
import { hhmm } from "loket/time.js";
import { $, state } from "./state.js";
import { showsCall, view } from "./hall.js";
import { renderAll } from "./render.js";
import { present } from "./flash.js";
import { setMedia } from "./media.js";

var SYNC_DELAY_MS = 250; // several events in a burst cause one state refresh

var syncTimer = null;
var lastUpdate = null;

function touched() {
  lastUpdate = new Date();
}

function onState(data) {
  state.day = data.day;
  state.calls = data.calls || [];
  state.counters = data.counters || [];
  state.waiting_groups = data.waiting_groups || {};
  state.ready = data.ready || [];
  state.office = data.office || { name: "", running_text: "" };
  state.voice = data.voice || { engine: "server" };
  touched();
  renderAll();
  if (view === "board") setMedia(data.media);
}

function onCalled(call) {
  call = Object.assign({ at: new Date().toISOString() }, call);
  state.calls.unshift(call);
  state.calls = state.calls.slice(0, 40);
  state.ready = (state.ready || []).filter(function (n) {
    return n !== call.number; // called to collect it
  });
  var known = false;
  state.counters.forEach(function (c) {
    if (c.counter === call.counter) {
      c.number = call.number;
      known = true;
    }
  });
  if (!known && call.counter) {
    state.counters.push({ counter: call.counter, counter_number: call.counter_number, zone: call.zone || null, number: call.number });
  }
  touched();
  renderAll();
  if (showsCall(call)) present(call);
}

export function requestSync(socket) {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(function () {
    if (socket.connected) socket.emit("display.sync");
  }, SYNC_DELAY_MS);
}

export function setConnection(status) {
  document.body.setAttribute("data-connection", status);
  $("conn-text").setAttribute("data-i18n", status === "online" ? "online" : status === "offline" ? "reconnecting" : "connecting");
  $("conn-text").textContent = i18n.t($("conn-text").getAttribute("data-i18n"));
  var banner = $("offline-banner");
  banner.hidden = status !== "offline";
  if (status === "offline") {
    $("offline-since").textContent = lastUpdate ? "· " + i18n.fmt("offline_since", { t: hhmm(lastUpdate) }) : "";
  }
}

export function connect() {
  if (typeof window.io !== "function") {
    setConnection("offline");
    return null;
  }
  var socket = window.io({ auth: { channel: "display" }, transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    setConnection("online"); // the server sends the full state by itself
  });
  socket.on("disconnect", function () {
    setConnection("offline");
  });
  socket.on("connect_error", function () {
    setConnection("offline");
  });
  socket.on("display.state", onState);
  socket.on("ticket.called", onCalled);
  // The office changed its settings (name, running text, voice, media): fetch the state again.
  // No reload: a reload would lose the sound the first tap switched on.
  socket.on("settings.changed", function () {
    requestSync(socket);
  });
  // Anything that changes a counter, the queue or the ready list: ask for the whole state again.
  socket.onAny(function (event) {
    if (event.indexOf("ticket.") === 0) requestSync(socket);
  });
  return socket;
}
