/* The report pages' shell on top of the staff shell (static/js/staff.js): the kepala or admin role, number formats.
 * Each page calls Reports.start({open, close, onLangChange}); `open(me)` loads its figures from /api/reports/*.
 */
import * as i18n from "loket/i18n.js";
import * as S from "loket/shell.js";

i18n.addStrings({
  title_report: { id: "Laporan Pelayanan dan Kepatuhan SOP", en: "Service and SOP Compliance Report" },
  title_live: { id: "Aula Pelayanan Saat Ini", en: "The Service Hall Now" },
  nav_report: { id: "Laporan", en: "Report" },
  nav_live: { id: "Aula sekarang", en: "Hall now" },
  nav_admin: { id: "Admin", en: "Admin" },
  login_title: { id: "Masuk untuk membaca laporan", en: "Log in to read the reports" },
  login_hint: { id: "Untuk Kepala Dinas dan Admin.", en: "For the head of office and admins." },
  refused_title: { id: "Laporan khusus Kepala Dinas dan Admin", en: "Reports are for the head of office and admins" },
  refused_no_role: {
    id: "Akun ini tidak memiliki peran Kepala Dinas atau Admin.",
    en: "This account holds neither the head of office nor the admin role.",
  },
  refused_working_as: {
    id: "Anda sedang bekerja sebagai {role}{where}. Beralih ke peran {report} untuk membaca laporan.",
    en: "You are working as {role}{where}. Switch to the {report} role to read the reports.",
  },
  switch_role: { id: "Beralih ke peran laporan", en: "Switch to the report role" },
  minutes_short: { id: "mnt", en: "min" },
});

// ---- number formats: Indonesian uses a decimal comma -----------------------

function num(value, digits) {
  if (value === null || value === undefined || isNaN(value)) return "–";
  var text = Number(value).toFixed(digits === undefined ? 0 : digits);
  return i18n.lang === "en" ? text : text.replace(".", ",");
}

/** Seconds as minutes with one decimal: "3,2". */
function minutes(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  return num(seconds / 60, 1);
}

function percent(share) {
  if (!share || share.ratio === null || share.ratio === undefined) return "–";
  return num(share.ratio * 100, 0) + "%";
}

export { say, fail, bilingual } from "loket/shell.js";

/** Start the page: {open(me), close(), onLangChange()}; the page shows before `open` so charts can draw. */
export function start(page) {
  S.start({
    roles: ["kepala", "admin"],
    noRole: "refused_no_role",
    showFirst: true,
    cls: "r",
    open: page.open,
    close: page.close,
    onLangChange: page.onLangChange,
  });
}

export { num, minutes, percent };
