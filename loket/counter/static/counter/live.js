/* Live updates on the staff channel (Socket.IO, the vendored global `io`): ticket events reload the lists,
 * printer events the alerts, the scanner agent opens a berkas, the office name follows the settings. */
import { $ } from "loket/dom.js";
import { t } from "loket/i18n.js";
import { api } from "loket/request.js";
import { refreshLists, scheduleRefresh } from "./worklist.js";
import { loadAlerts, resolveAlerts, systemAlert } from "./alerts.js";
import { onScannerScan } from "./calling.js";

let socket = null;

function setConn(online) {
  $("conn").setAttribute("data-state", online ? "on" : "off");
  $("conn-text").textContent = t(online ? "online" : "offline");
}

/** Say again, in the page's language, whether the desk is live. */
export function showConnection() {
  if (socket) setConn(socket.connected);
}

/** The admin changed office settings: only the office name shows here. */
async function onSettingsChanged(payload) {
  const changed = (payload && payload.changed) || [];
  if (changed.indexOf("office_name") === -1) return;
  try {
    const data = await api("GET", "/api/services");
    const name = data.office && data.office.name;
    if (!name) return;
    document.querySelectorAll(".c-office").forEach((node) => {
      node.textContent = name;
    });
    document.title = t("title") + " · " + name;
  } catch {
    /* the next page load shows it */
  }
}

export function connect() {
  if (socket || typeof io !== "function") return;
  socket = io({ auth: { channel: "staff" }, transports: ["websocket", "polling"] });
  socket.on("connect", () => {
    setConn(true);
    refreshLists();
    loadAlerts(); // failures while this page was offline
  });
  socket.on("printer.failed", () => loadAlerts()); // the list from the server carries the time of the failure
  socket.on("kiosk.alert", () => loadAlerts());
  socket.on("webhook.recovered", () => loadAlerts()); // a webhook's failing alert clears itself
  socket.on("system.alert", systemAlert);
  socket.on("ticket.printed", resolveAlerts);
  socket.on("scanner.scan", onScannerScan);
  socket.on("settings.changed", onSettingsChanged);
  socket.on("disconnect", () => setConn(false));
  socket.on("connect_error", () => setConn(false));
  socket.onAny((event, payload) => {
    if (event.indexOf("ticket.") === 0) scheduleRefresh(payload);
  });
  setConn(false);
}

export function disconnect() {
  if (!socket) return;
  socket.off();
  socket.offAny();
  socket.disconnect();
  socket = null;
}
