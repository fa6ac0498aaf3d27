/* Talking to the JSON API: CSRF token, JSON, binary or multipart (upload) bodies, one error type. */
import { t, lang, addStrings, pageStrings } from "./i18n.js";

/** An API refusal: the message to show, the HTTP status, the error code, and the JSON body if any. */
export class ApiError extends Error {
  constructor(message, status, code, data) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.data = data || null;
  }
}

addStrings(pageStrings("js/request"));

function csrfMeta() {
  return document.querySelector('meta[name="csrf-token"]');
}

function csrfToken() {
  const meta = csrfMeta();
  return meta ? meta.getAttribute("content") : null;
}

/** Fetch a fresh CSRF token (the session changes at log-in and log-out). */
export async function refreshCsrf() {
  const meta = csrfMeta();
  if (!meta) return null;
  const response = await fetch("/api/csrf", { credentials: "same-origin", cache: "no-store" });
  const data = await response.json();
  meta.setAttribute("content", data.csrf_token);
  return data.csrf_token;
}

function send(method, url, body) {
  // The API answers in the language the page shows, whatever the browser's own Accept-Language.
  const headers = { Accept: "application/json", "X-Loket-Lang": lang };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (method !== "GET") {
    const token = csrfToken();
    if (token) headers["X-CSRFToken"] = token;
    if (body instanceof FormData) {
      init.body = body; // a file upload: the browser writes the multipart Content-Type
    } else if (body instanceof Blob) {
      headers["Content-Type"] = body.type || "application/octet-stream"; // e.g. a webcam JPEG
      init.body = body;
    } else {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body || {});
    }
  }
  return fetch(url, init);
}

/** Call the JSON API; resolves with the data, rejects with ApiError (its .data holds the JSON body). */
export async function api(method, url, body, retried = false) {
  let response;
  try {
    response = await send(method, url, body);
  } catch {
    throw new ApiError(t("request.network"), 0, "network");
  }
  const type = response.headers.get("Content-Type") || "";
  const isJson = type.indexOf("application/json") !== -1;
  if (response.status === 429 && !isJson) throw new ApiError(t("request.too_many"), 429, "rate_limited");
  if (!isJson) {
    // Flask-WTF answers a stale CSRF token with HTML 400: renew it once and retry.
    if (response.status === 400 && method !== "GET" && !retried && csrfToken() !== null) {
      await refreshCsrf();
      return api(method, url, body, true);
    }
    throw new ApiError(t("request.http_error") + response.status, response.status, "http");
  }
  const data = await response.json();
  if (!response.ok) {
    throw new ApiError(data.message || data.error || String(response.status), response.status, data.error, data);
  }
  return data;
}
