/* The ticket request: one Idempotency-Key per tap, retried with the same key when the answer is lost
 * (the network dropped, the server restarted mid-answer), so a retry returns the same ticket, never a second. */
import * as i18n from "loket/i18n.js";
import { ApiError } from "loket/request.js";
import { kioskHeaders } from "./state.js";

var RETRY_DELAYS_MS = [1000, 2000, 4000]; // then the resident is sent to the information desk

/** A random key for one tap (crypto.randomUUID needs https; getRandomValues works on the office's plain http). */
export function tapKey() {
  var bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return "tap-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
}

function once(url, body, key) {
  var headers = Object.assign(
    { Accept: "application/json", "Content-Type": "application/json", "X-Loket-Lang": i18n.lang, "Idempotency-Key": key },
    kioskHeaders()
  );
  return fetch(url, { method: "POST", headers: headers, credentials: "same-origin", cache: "no-store", body: JSON.stringify(body) });
}

function wait(ms) {
  return new Promise(function (resolve) {
    setTimeout(resolve, ms);
  });
}

/** POST /api/tickets (or /api/checkin) for one tap; resolves with the ticket, rejects with ApiError (code "server"
 * when no answer came). */
export async function requestTicket(body, key, url) {
  for (var attempt = 0; ; attempt++) {
    var response = null;
    try {
      response = await once(url || "/api/tickets", body, key);
    } catch {
      response = null; // no answer: the ticket may exist; the same key finds it
    }
    var isJson = !!response && (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
    if (isJson) {
      var data = await response.json();
      if (response.ok) return data;
      throw new ApiError(data.message || data.error || String(response.status), response.status, data.error, data);
    }
    var lost = !response || response.status >= 500; // a proxy's 502/504, a restart: try again with the same key
    if (!lost || attempt >= RETRY_DELAYS_MS.length) {
      throw new ApiError(i18n.t("server_problem"), response ? response.status : 0, "server");
    }
    await wait(RETRY_DELAYS_MS[attempt]);
  }
}
