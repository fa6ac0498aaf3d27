/* Clocks in the office's time zone (body[data-timezone], e.g. Asia/Jakarta), whatever the kiosk's or
 * TV's own clock is set to; the browser's zone otherwise. */
import { lang } from "./i18n.js";

let zoneFormat = null;
const WEEKDAYS = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function setTimeZone(tz) {
  zoneFormat = null;
  if (!tz) return;
  try {
    zoneFormat = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    zoneFormat = null; // unknown zone: fall back to the browser's clock
  }
}

/** Calendar and clock fields of an instant, in the office's time zone. */
function parts(d) {
  if (!zoneFormat) {
    return {
      year: d.getFullYear(),
      month: d.getMonth(),
      day: d.getDate(),
      weekday: d.getDay(),
      hour: d.getHours(),
      minute: d.getMinutes(),
      second: d.getSeconds(),
    };
  }
  const out = {};
  zoneFormat.formatToParts(d).forEach((p) => {
    out[p.type] = p.value;
  });
  return {
    year: Number(out.year),
    month: Number(out.month) - 1,
    day: Number(out.day),
    weekday: WEEKDAYS[out.weekday],
    hour: Number(out.hour) % 24,
    minute: Number(out.minute),
    second: Number(out.second),
  };
}

const pad = (n) => (n < 10 ? "0" + n : String(n));

function toDate(value) {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(value);
  return isNaN(d.getTime()) ? null : d;
}

export function hhmm(value) {
  const d = toDate(value);
  if (!d) return "";
  const p = parts(d);
  return pad(p.hour) + ":" + pad(p.minute);
}

export function hhmmss(value) {
  const d = toDate(value);
  if (!d) return "";
  const p = parts(d);
  return pad(p.hour) + ":" + pad(p.minute) + ":" + pad(p.second);
}

const DAYS = {
  id: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};
const MONTHS = {
  id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
};

/** "Senin, 24 November 2026" without depending on the browser's locale data. */
export function longDate(value) {
  const p = parts(toDate(value) || new Date());
  const l = lang === "en" ? "en" : "id";
  return DAYS[l][p.weekday] + ", " + p.day + " " + MONTHS[l][p.month] + " " + p.year;
}

/** Minutes between two instants, rounded down; "" when unknown. */
export function minutesBetween(from, to) {
  if (!from) return "";
  const a = new Date(from).getTime();
  const b = to ? new Date(to).getTime() : Date.now();
  if (isNaN(a) || isNaN(b)) return "";
  return Math.max(0, Math.floor((b - a) / 60000));
}

if (document.body && document.body.getAttribute("data-timezone")) {
  setTimeZone(document.body.getAttribute("data-timezone"));
}
