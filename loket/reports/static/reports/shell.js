/* The report pages' shell on top of the staff shell (static/js/shell.js): number formats; the roles that open
 * the pages (the kepala or the admin) are rendered by their route (reports/routes.py).
 * Each page calls Reports.start({open, close, onLangChange}); `open(me)` loads its figures from /api/reports/*.
 */
import * as i18n from "loket/i18n.js";
import { api } from "loket/request.js";
import * as S from "loket/shell.js";

i18n.addStrings(i18n.pageStrings("reports/shell"));

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

/** Read `path` again (a page refreshing its figures) and hand the answer to `done`; an officer whose session ended
 * sees the log-in again (the page reloads), any other failure is said in the page. */
export function reload(path, done) {
  return api("GET", path)
    .then(done)
    .catch(function (err) {
      if (err.status === 401 || err.status === 403) {
        window.location.reload();
        return;
      }
      S.fail(err);
    });
}

/** Start the page: {open(me), close(), onLangChange()}; the page shows before `open` so charts can draw. */
export function start(page) {
  S.start({
    noRole: "refused_no_role",
    showFirst: true,
    cls: "r",
    open: page.open,
    close: page.close,
    onLangChange: page.onLangChange,
  });
}

export { num, minutes, percent };
