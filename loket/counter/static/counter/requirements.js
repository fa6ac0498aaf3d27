/* A service's required documents (GET /api/services/<code>), loaded once per service. */
import { api } from "loket/request.js";
import { t } from "loket/i18n.js";
import { state } from "./context.js";

export async function loadRequirements(code) {
  if (!state.requirements[code]) {
    const svc = await api("GET", "/api/services/" + encodeURIComponent(code));
    state.requirements[code] = svc.requirements || [];
  }
  return state.requirements[code];
}

/** A requirement's text by key; the key when the service's documents are not loaded. */
export function requirementName(service, key) {
  const found = (state.requirements[service] || []).find((r) => r.key === key);
  return found ? t(found.text) : key;
}
