/* The counter tablet: it offers the ticket just handed over at its counter (ticket.done on the display channel). */
import { $, body, counterName, state, timers } from "./state.js";
import { screen } from "./screens.js";

var OFFER_SECONDS = 180; // the tablet offers the ticket just handed over at its counter this long

export function renderOffer() {
  var offer = state.offer;
  $("offer").hidden = !offer || screen() !== "start";
  if (offer) $("offer-number").textContent = offer.number;
}

export function clearOffer() {
  clearTimeout(timers.offer);
  state.offer = null;
  renderOffer();
}

export function connectLive() {
  if (!counterName || typeof window.io !== "function") return;
  // The display channel is public: numbers, counters and states only.
  var socket = window.io({ auth: { channel: "display" }, transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    body.setAttribute("data-connection", "online");
  });
  socket.on("disconnect", function () {
    body.setAttribute("data-connection", "offline");
  });
  socket.on("ticket.done", function (payload) {
    if (!payload || !payload.counter || payload.counter.toLowerCase() !== counterName.toLowerCase()) return;
    state.offer = { number: payload.number };
    clearTimeout(timers.offer);
    timers.offer = setTimeout(clearOffer, OFFER_SECONDS * 1000);
    renderOffer();
  });
}
