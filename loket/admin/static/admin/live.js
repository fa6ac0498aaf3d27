/* The staff Socket.IO channel (the vendored global `io`) while an admin page is open. */

let socket = null;

/** The staff Socket.IO channel while the page is open (closed again on log-out or refusal). */
export function live() {
  if (!socket && typeof io === "function") {
    socket = io({ auth: { channel: "staff" }, transports: ["websocket", "polling"] });
  }
  return socket;
}

/** Close the channel (log-out, refusal). */
export function closeSocket() {
  if (socket) {
    socket.off();
    socket.offAny();
    socket.disconnect();
    socket = null;
  }
}
