/* The hub's list of sites (issue 16): each site's name, kind, link state (connected, cut since HH:MM, never synced,
 * or failing: its first copy, with the stuck tables, or its apply, and the usual causes in one line),
 * lag in seconds and bytes, and the last row received. Data: GET /api/hub/sites, reloaded every 15 seconds.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { hhmmss } from "loket/time.js";
import * as R from "./shell.js";

var $ = function (id) {
  return document.getElementById(id);
};
var TICK_SECONDS = 15;

i18n.addStrings(i18n.pageStrings("reports/sites"));

var state = { data: null, timer: null };

function refresh() {
  return R.reload("/api/hub/sites", function (data) {
    state.data = data;
    render();
  });
}

function open() {
  clearInterval(state.timer);
  state.timer = setInterval(refresh, TICK_SECONDS * 1000);
  return refresh();
}

function close() {
  clearInterval(state.timer);
}

function bytes(n) {
  if (n === null || n === undefined) return "–";
  if (n < 1024) return R.num(n) + " B";
  if (n < 1024 * 1024) return R.num(n / 1024, 1) + " KiB";
  return R.num(n / (1024 * 1024), 1) + " MiB";
}

function seconds(n) {
  if (n === null || n === undefined) return "–";
  return R.num(n, n < 10 ? 1 : 0) + " " + i18n.t("seconds_short");
}

function link(s) {
  if (s.state === "connected") return i18n.t("state_connected");
  if (s.state === "error") return i18n.t(s.error === "copy" ? "state_error_copy" : "state_error_apply");
  if (s.state === "cut") {
    if (!s.cut_since_local) return i18n.t("state_cut");
    var today = state.data.today;
    var when = s.cut_since_day && s.cut_since_day !== today ? s.cut_since_day + " " + s.cut_since_local : s.cut_since_local;
    return i18n.fmt("state_cut_since", { time: when });
  }
  return i18n.t("state_never");
}

// Under a failing link: which tables' first copy is stuck, and the usual causes (the error's text is in the hub's
// PostgreSQL log only).
function problem(s) {
  if (s.state !== "error") return null;
  var copy = s.error === "copy";
  return h(
    "div",
    { class: "s-error" },
    copy && s.error_tables.length ? h("div", null, i18n.fmt("error_tables", { tables: s.error_tables.join(", ") })) : null,
    h("small", null, i18n.t(copy ? "hint_copy" : "hint_apply"))
  );
}

function render() {
  var d = state.data;
  if (!d) return;
  $("sites-no-replication").hidden = d.replication;
  $("sites-updated").textContent = i18n.fmt("updated", { time: hhmmss(d.as_of) });
  var table = clear($("sites-table"));
  var cols = ["col_site", "col_kind", "col_state", "col_lag_seconds", "col_lag_bytes", "col_last_row", "col_today"];
  var head = cols.map(function (k) {
    return h("th", { scope: "col" }, i18n.t(k));
  });
  table.appendChild(h("thead", null, h("tr", null, ...head)));
  var body = h("tbody");
  d.sites.forEach(function (s) {
    body.appendChild(
      h(
        "tr",
        { "data-site": s.code, "data-state": s.state },
        h("th", { scope: "row" }, s.name, " ", h("small", null, s.code)),
        h("td", null, i18n.t("kind_" + s.kind)),
        h("td", null, h("span", { class: "s-state s-state-" + s.state }, link(s)), problem(s)),
        h("td", { class: "num" }, seconds(s.lag_seconds)),
        h("td", { class: "num" }, bytes(s.lag_bytes)),
        h("td", { class: "num" }, s.last_row_local || "–"),
        h("td", { class: "num" }, R.num(s.tickets_today))
      )
    );
  });
  if (!d.sites.length) body.appendChild(h("tr", null, h("td", { colspan: String(cols.length) }, i18n.t("no_sites"))));
  table.appendChild(body);
}

R.start({ open: open, close: close, onLangChange: render });
