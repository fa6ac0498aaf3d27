/* The server does not answer (issue 15): the page is loaded but every request fails. The kiosk says so in
 * plain words and sends the resident to the front desk, instead of a spinner or "gangguan pada sistem";
 * it hides the notice by itself once the services load again. The live socket's drop is the first sign:
 * the services are asked for at once, and their failure (no answer at all) shows the notice. */
import { $ } from "./state.js";

/** An error that means no answer came from the server at all (not a refusal). */
export function noAnswer(err) {
  return !!err && (err.code === "network" || (err.code === "server" && !err.status));
}

export function showOffline() {
  document.body.setAttribute("data-server", "down");
  $("kiosk-offline").hidden = false;
}

export function hideOffline() {
  document.body.setAttribute("data-server", "up");
  $("kiosk-offline").hidden = true;
}
