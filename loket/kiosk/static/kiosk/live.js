/* Live updates: the admin's changes and the queues' movements reach the kiosk at once. */
import { loadServices, refreshSoon } from "./services.js";
import { kioskToken } from "./state.js";
import { printOutcome, updateTakeButton } from "./ticket.js";
import { watchKioskDisruptions } from "./disruption.js";

export function connectLive() {
  if (typeof window.io !== "function") {
    document.body.setAttribute("data-connection", "offline");
    watchKioskDisruptions(null, updateTakeButton);
    return;
  }
  // The display channel is public: it carries only numbers, counters and settings changes. A paired kiosk
  // (its pairing code) also hears how its own tickets printed (print.outcome).
  var socket = window.io({ auth: { channel: "display", kiosk_token: kioskToken() }, transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    document.body.setAttribute("data-connection", "online");
    loadServices(); // a reconnect may have missed changes
  });
  socket.on("disconnect", function () {
    document.body.setAttribute("data-connection", "offline");
    refreshSoon(); // is the server gone? the services' answer says (offline.js)
  });
  socket.on("connect_error", function () {
    document.body.setAttribute("data-connection", "offline");
    refreshSoon();
  });
  socket.on("print.outcome", printOutcome);
  watchKioskDisruptions(socket, updateTakeButton); // the office's or a service's disruption, live
  socket.on("settings.changed", function () {
    loadServices();
  });
  socket.onAny(function (event) {
    if (typeof event === "string" && event.indexOf("ticket.") === 0) refreshSoon();
  });
}
