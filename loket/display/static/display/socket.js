/* The server's events: the whole state (display.state) on connect and on request, then what changed (display.delta). */
import * as i18n from "loket/i18n.js";
import { hhmm } from "loket/time.js";
import { $, state } from "./state.js";
import { showsCall, view } from "./hall.js";
import { renderAll } from "./render.js";
import { present } from "./flash.js";
import { setMedia } from "./media.js";
import { bannerOnTop, watchDisruptions } from "loket/disruption.js";

// The board's place in the server's stream of deltas (loket/realtime/board.py): `v` numbers the
// messages one by one, `seq` says how new the figures are. A skipped `v` means a message was lost:
// the board asks for the whole state once and keeps the deltas that arrive meanwhile.
export var board = { v: null, seq: 0, syncing: false, gap: false, pending: [], states: 0, heals: 0 };

var lastUpdate = null;
var socket = null;

function touched() {
  lastUpdate = new Date();
}

function callKey(call) {
  return call.event ? "event:" + call.event : call.number + "@" + call.at; // its entry in the server's event log
}

function onState(data) {
  var healing = board.gap; // not on (re)connect: a board back after an outage does not replay old calls
  board.gap = false;
  var known = {};
  state.calls.forEach(function (c) {
    known[callKey(c)] = true;
  });
  state.day = data.day;
  state.calls = data.calls || [];
  state.counters = data.counters || [];
  state.waiting_groups = data.waiting_groups || {};
  state.ready = data.ready || [];
  state.office = data.office || { name: "", running_text: "" };
  state.voice = data.voice || { engine: "server" };
  board.v = typeof data.v === "number" ? data.v : null;
  board.seq = data.seq || 0;
  board.syncing = false;
  board.states += 1;
  touched();
  renderAll();
  if (view === "board") setMedia(data.media);
  if (healing) {
    // calls this board missed while a message was lost: announce them now, oldest first
    state.calls
      .filter(function (c) {
        return !known[callKey(c)];
      })
      .reverse()
      .forEach(function (call) {
        if (showsCall(call)) present(call);
      });
  }
  var pending = board.pending;
  board.pending = [];
  pending
    .sort(function (a, b) {
      return a.v - b.v;
    })
    .forEach(onDelta);
}

function applyFigures(delta) {
  if ((delta.seq || 0) < board.seq) return; // older than what the board shows (another process was quicker)
  board.seq = delta.seq || 0;
  state.counters = delta.counters || state.counters;
  state.waiting_groups = delta.waiting_groups || state.waiting_groups;
  state.ready = delta.ready || state.ready;
}

function addCall(call) {
  var key = callKey(call);
  if (
    state.calls.some(function (c) {
      return callKey(c) === key;
    })
  )
    return false; // already in the state this board was sent
  state.calls.unshift(call);
  state.calls = state.calls.slice(0, 40);
  return true;
}

function onDelta(delta) {
  if (board.syncing || board.v === null) {
    board.pending.push(delta);
    return;
  }
  if (delta.v <= board.v) return; // already in the state this board has
  if (delta.v !== board.v + 1) {
    board.heals += 1;
    board.gap = true;
    board.pending.push(delta);
    requestSync();
    return;
  }
  board.v = delta.v;
  applyFigures(delta);
  var fresh = delta.call ? addCall(delta.call) : false;
  touched();
  renderAll();
  if (fresh && showsCall(delta.call)) present(delta.call);
}

/** Ask the server for the whole state (on a gap, or when the office changed its settings). */
export function requestSync() {
  if (board.syncing || !socket || !socket.connected) return;
  board.syncing = true;
  socket.emit("display.sync");
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
  socket = window.io({ auth: { channel: "board" }, transports: ["websocket", "polling"] });
  // every disruption in force, read from across the hall, below the header (the office's name and the clock stay)
  bannerOnTop(null, "1.9vw", document.querySelector(".d-header"));
  watchDisruptions(socket);
  socket.on("connect", function () {
    setConnection("online"); // the server sends the full state by itself (it may come before this event)
  });
  socket.on("disconnect", function () {
    // deltas wait for the full state the server sends on reconnect
    board.v = null;
    board.syncing = false;
    board.gap = false;
    board.pending = [];
    setConnection("offline");
  });
  socket.on("connect_error", function () {
    setConnection("offline");
  });
  socket.on("display.state", onState);
  socket.on("display.delta", onDelta);
  // The office changed its settings (name, running text, voice, media): fetch the state again.
  // No reload: a reload would lose the sound the first tap switched on.
  socket.on("settings.changed", requestSync);
  return socket;
}
