/* What the settings page's modules share: the settings as saved, the services, and the form's state. */
import { serverData } from "loket/dom.js";

/** The weekdays' codes in order, as the office settings know them (rendered by the page's route). */
export const WEEKDAYS = serverData("settings-config", { weekdays: [] }).weekdays;

/** A weekday's name: the string "day.<code>" of the page's catalog. */
export function dayName(code) {
  return "day." + code;
}
// What the form offers when the office switches from "always open" to hours.
export const DEFAULT_HOURS = { open: "08:00", close: "15:00" };
export const DEFAULT_DAYS = ["mon", "tue", "wed", "thu", "fri"];

export const state = {
  settings: null, // as last saved on the server
  services: [], // GET /api/services
  dirty: false,
  saving: false,
  savedAt: null,
  problems: [], // [{field, message}]: message as the API gave it (often pydantic's English)
  changedElsewhere: false,
};

/** "08:00:00" -> "08:00": a time as the form's boxes show it. */
export function timeValue(value) {
  return value ? String(value).slice(0, 5) : "";
}
