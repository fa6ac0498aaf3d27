/* The hall right now: waiting per service, counters open and idle, overdue berkas.
 * Data: GET /api/reports/live. Live: the staff Socket.IO channel carries every ticket.* and counter.*
 * event; each one (debounced) reloads the figures at once. A slow timer reloads too, because waiting
 * minutes and overdue steps change with time alone, with no event to announce them.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { hhmm, hhmmss } from "loket/time.js";
import * as R from "./shell.js";

var $ = function (id) {
  return document.getElementById(id);
};
var DEBOUNCE_MS = 400;
var TICK_SECONDS = 20;

i18n.addStrings(i18n.pageStrings("reports/live"));

var state = { data: null, socket: null, timer: null, debounce: null };

// At the hub (issue 16): one site's hall, or every site's together (no site), and a line per site.
function siteQuery() {
  var el = $("site");
  return el && el.value ? "?site=" + encodeURIComponent(el.value) : "";
}

function refreshHalls() {
  if (!$("live-sites")) return Promise.resolve();
  return api("GET", "/api/hub/halls")
    .then(function (data) {
      state.halls = data;
      renderHalls();
    })
    .catch(R.fail);
}

function refresh() {
  return R.reload("/api/reports/live" + siteQuery(), function (data) {
    state.data = data;
    render();
  });
}

function soon() {
  clearTimeout(state.debounce);
  state.debounce = setTimeout(refresh, DEBOUNCE_MS);
}

function setLive(on) {
  $("live-dot").setAttribute("data-on", on ? "true" : "false");
  $("live-state").textContent = on ? i18n.t("live_on") : i18n.fmt("live_off", { n: TICK_SECONDS });
}

function connect() {
  if (state.socket || typeof window.io !== "function") return;
  var socket = window.io({ auth: { channel: "staff" }, transports: ["websocket", "polling"] });
  state.socket = socket;
  socket.on("connect", function () {
    setLive(true);
    soon();
  });
  socket.on("disconnect", function () {
    setLive(false);
  });
  socket.on("connect_error", function () {
    setLive(false);
  });
  socket.onAny(function (event) {
    if (event.indexOf("ticket.") === 0 || event.indexOf("counter.") === 0 || event === "settings.changed") soon();
  });
}

function open() {
  setLive(false);
  connect();
  clearInterval(state.timer);
  state.timer = setInterval(function () {
    refresh();
    refreshHalls(); // a report per site: on the slow timer only, not at every event
  }, TICK_SECONDS * 1000);
  if ($("site")) {
    var asked = new URLSearchParams(window.location.search).get("site");
    if (asked) $("site").value = asked;
  }
  refreshHalls();
  return refresh();
}

if ($("site")) {
  $("site").addEventListener("change", function () {
    var q = siteQuery();
    history.replaceState(null, "", q || window.location.pathname);
    refresh();
  });
}

function hallRow(s, all) {
  var services = s.waiting_per_service
    .map(function (x) {
      return i18n.t(x.name) + " " + x.waiting;
    })
    .join(" · ");
  var ikm = s.ikm.ikm === null || s.ikm.ikm === undefined ? "–" : R.num(s.ikm.ikm_regulation, 2) + " (" + s.ikm.grade + ")";
  return h(
    "tr",
    { "data-site": all ? "" : s.code, class: all ? "r-total" : null },
    h("th", { scope: "row" }, all ? i18n.t("all_sites") : s.name),
    h("td", { class: "num" }, R.num(s.waiting)),
    h("td", null, services || "–"),
    h("td", { class: "num" }, R.num(s.issued)),
    h("td", { class: "num" }, R.percent(s.steps)),
    h("td", { class: "num" }, R.percent(s.berkas)),
    h("td", { class: "num" }, ikm),
    h("td", { class: "num" }, i18n.fmt("booking_use", { checked: R.num(s.booking.checked_in), made: R.num(s.booking.made) }))
  );
}

function renderHalls() {
  var d = state.halls;
  if (!d || !$("live-sites")) return;
  var table = clear($("live-sites"));
  var cols = ["col_site", "col_waiting", "col_per_service", "col_issued", "col_steps", "col_berkas", "col_ikm", "col_booking"];
  var head = cols.map(function (k) {
    return h("th", { scope: "col" }, i18n.t(k));
  });
  table.appendChild(h("thead", null, h("tr", null, ...head)));
  var body = h("tbody");
  d.sites.forEach(function (s) {
    body.appendChild(hallRow(s, false));
  });
  body.appendChild(hallRow(d.all, true));
  table.appendChild(body);
}

function close() {
  clearInterval(state.timer);
  clearTimeout(state.debounce);
  if (state.socket) {
    state.socket.offAny();
    state.socket.off();
    state.socket.disconnect();
    state.socket = null;
  }
}

// ---- rendering ---------------------------------------------------------------

function tile(key, value, kind) {
  return h(
    "div",
    { class: "r-kpi" + (kind ? " r-kpi-" + kind : ""), "data-kpi": key },
    h("p", { class: "r-kpi-label" }, i18n.t("kpi_" + key)),
    h("p", { class: "r-kpi-value num" }, value)
  );
}

function render() {
  var d = state.data;
  if (!d) return;
  $("live-updated").textContent = i18n.fmt("updated", { time: hhmmss(d.as_of) });
  var kpis = clear($("live-kpis"));
  kpis.appendChild(tile("waiting", R.num(d.waiting_total)));
  kpis.appendChild(tile("open", R.num(d.counters_open), d.counters_open ? "ok" : "bad"));
  kpis.appendChild(tile("idle", R.num(d.counters_idle), d.counters_idle && d.waiting_total ? "warn" : null));
  kpis.appendChild(tile("overdue", R.num(d.overdue.length), d.overdue.length ? "bad" : "ok"));
  kpis.appendChild(tile("today_issued", R.num(d.today.issued)));
  kpis.appendChild(tile("today_wait", R.minutes(d.today.wait.mean) + " " + i18n.t("minutes_short")));

  var services = clear($("live-services"));
  d.services.forEach(function (s) {
    services.appendChild(
      h(
        "div",
        { class: "l-service", "data-service": s.code },
        h("span", null, h("span", { class: "l-service-name" }, i18n.t(s.name)), h("small", null, i18n.fmt("longest", { m: R.minutes(s.longest_seconds) }))),
        h("span", { class: "l-service-count num" }, String(s.waiting))
      )
    );
  });
  if (!d.services.length) services.appendChild(h("p", { class: "l-empty" }, i18n.t("nobody_waiting")));

  var waiting = clear($("live-waiting"));
  d.waiting.forEach(function (w) {
    waiting.appendChild(
      h(
        "span",
        { class: "l-chip num", "data-number": w.number, title: i18n.t(w.service_name) + " · " + i18n.t(w.state_label) },
        w.number + " ",
        h("small", null, i18n.fmt("waited", { m: R.minutes(w.waiting_seconds) }))
      )
    );
  });

  var counters = clear($("live-counters"));
  d.counters.forEach(function (c) {
    var status = c.open ? (c.idle ? "idle" : "busy") : c.tickets.length ? "busy_closed" : "closed";
    counters.appendChild(
      h(
        "div",
        { class: "l-counter", "data-counter": c.name, "data-status": status === "busy_closed" ? "closed" : status },
        h("h3", null, c.name),
        h("p", { class: "l-counter-status" }, i18n.t("status_" + status)),
        c.officers.map(function (o) {
          return h("p", { class: "l-officer" }, o.name + " · " + hhmm(o.since));
        }),
        c.tickets.map(function (t) {
          return h("p", { class: "l-ticket num" }, t.number);
        })
      )
    );
  });

  var table = clear($("live-overdue"));
  if (!d.overdue.length) {
    table.appendChild(h("tbody", null, h("tr", null, h("td", { class: "l-empty" }, i18n.t("no_overdue")))));
    return;
  }
  table.appendChild(
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        ["col_number", "col_service", "col_step", "col_where", "col_elapsed", "col_target"].map(function (k) {
          return h("th", { scope: "col" }, i18n.t(k));
        })
      )
    )
  );
  var body = h("tbody");
  d.overdue.forEach(function (o) {
    body.appendChild(
      h(
        "tr",
        { "data-number": o.number },
        h("td", { class: "num r-name" }, o.number),
        h("td", null, i18n.t(o.service_name)),
        h("td", null, o.step + " · " + i18n.t(o.role_label) + (o.counter ? " · " + o.counter : "")),
        h("td", null, i18n.t(o.state_label)),
        h("td", { class: "num r-bad" }, R.minutes(o.elapsed_seconds)),
        h("td", { class: "num" }, String(o.target_minutes))
      )
    );
  });
  table.appendChild(body);
}

R.start({
  open: open,
  close: close,
  onLangChange: function () {
    render();
    renderHalls();
  },
});
