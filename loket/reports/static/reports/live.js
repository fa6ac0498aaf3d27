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

function refresh() {
  return api("GET", "/api/reports/live")
    .then(function (data) {
      state.data = data;
      render();
    })
    .catch(function (err) {
      if (err.status === 401 || err.status === 403) {
        window.location.reload();
        return;
      }
      R.fail(err);
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
  state.timer = setInterval(refresh, TICK_SECONDS * 1000);
  return refresh();
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

R.start({ open: open, close: close, onLangChange: render });
