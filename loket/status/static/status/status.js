/* The resident's status page: the ticket's state from the server (rendered into the page, then
 * GET /api/status/<code>), read again when the server says it changed (Socket.IO room of this code only). */
import * as i18n from "loket/i18n.js";
import { $, clear, h, serverData } from "loket/dom.js";
import { affecting, bannerOnTop, watchDisruptions } from "loket/disruption.js";

i18n.addStrings(i18n.pageStrings("status/status"));

var code = decodeURIComponent(window.location.pathname.split("/").pop());
var data = serverData("status-data");
var loading = false;
var again = false;
var lastQueueRefresh = 0;

function headline(d) {
  if (d.headline) return i18n.t(d.headline); // a resolver may say it itself ({id, en}): e.g. a booking's
  if (d.state === "called") return i18n.fmt("go_to_counter", { counter: d.counter || "" });
  if (d.state === "waiting" && !d.today) return i18n.t("other_day");
  if (d.titip === "hand_in") return i18n.t("say_titip_hand_in"); // a left berkas: the documents to the front desk
  // "no need to wait in the hall" only when a pickup slip was given (collected on a later visit)
  if (d.state === "in_process" && d.wait) return i18n.t("say_in_process_" + d.wait);
  return i18n.t("say_" + d.state);
}

/** "2026-11-24" -> "Selasa, 24 November 2026" ("24 November 2026" without the weekday) in the page's
 * language (the ISO day if the browser cannot). */
function dayText(iso, withWeekday = true) {
  try {
    return new Date(iso + "T12:00:00").toLocaleDateString(i18n.lang === "en" ? "en-GB" : "id-ID", {
      weekday: withWeekday ? "long" : undefined,
      day: "numeric",
      month: "long",
      year: "numeric",
    });
  } catch {
    return iso;
  }
}

var qrDrawn = false;

/** The booking's QR (this page's own address), to show the kiosk's scanner at check-in; the library only then. */
async function drawBookingQr() {
  if (qrDrawn) return;
  qrDrawn = true;
  var { default: qrcode } = await import("qrcode");
  var qr = qrcode(0, "M");
  qr.addData(window.location.origin + window.location.pathname);
  qr.make();
  $("booking-qr").src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(qr.createSvgTag(4, 8));
}

function renderBooking(b, booked) {
  $("booking").hidden = !b;
  if (!b) return;
  $("booking-qr").hidden = !booked;
  if (booked) {
    drawBookingQr().catch(function () {
      $("booking-qr").hidden = true; // the code above is typed instead
    });
  }
  $("booking-day").textContent = dayText(b.day);
  $("booking-slot").textContent = b.start + "–" + b.end;
  $("booking-priority").hidden = !b.priority_label;
  $("booking-priority").textContent = b.priority_label ? i18n.t(b.priority_label) : "";
  clear($("booking-bring"));
  (b.requirements || []).forEach(function (r) {
    $("booking-bring").appendChild(
      h(
        "li",
        { dataset: { key: r.key } },
        i18n.t(r.text) + (r.optional ? " " + i18n.t("optional") : ""),
        r.note ? h("small", { class: "st-req-note" }, i18n.t(r.note)) : null
      )
    );
  });
}

function render(d) {
  document.body.setAttribute("data-state", d.state);
  document.body.setAttribute("data-kind", d.kind);
  $("number-label").textContent = i18n.t(d.kind === "booking" ? "code_label" : "number_label");
  $("number").textContent = d.number;
  renderBooking(d.kind === "booking" ? d.booking : null, d.state === "booked");
  // a cancelled or released booking: only that, and where to book again; nothing to bring
  var over = d.kind === "booking" && (d.state === "cancelled" || d.state === "no_show");
  $("booking-bring-block").hidden = over;
  $("booking-again").hidden = !over;
  $("steps-card").hidden = !(d.steps || []).length;
  $("service").textContent = i18n.t(d.service_name);
  $("state").textContent = i18n.t(d.state_label);
  $("headline").textContent = headline(d);
  var queued = d.state === "waiting" && d.ahead !== null && d.ahead !== undefined;
  $("queue").hidden = !queued;
  if (queued) {
    $("ahead").textContent = i18n.fmt("people", { n: d.ahead });
    $("estimate-row").hidden = d.estimate_at === null;
    $("estimate").textContent = d.estimate_minutes
      ? i18n.fmt("estimate_value", { at: d.estimate_at, minutes: d.estimate_minutes })
      : i18n.t("estimate_soon");
  }
  $("pending").hidden = !d.pending;
  if (d.pending) {
    $("pending-reason").textContent = i18n.t(d.pending.label);
    $("pending-bring").textContent = i18n.t(d.pending.bring);
  }
  $("returned").hidden = d.state !== "returned";
  clear($("missing"));
  (d.missing || []).forEach(function (m) {
    $("missing").appendChild(h("li", { dataset: { key: m.key } }, i18n.t(m.text)));
  });
  $("pickup").hidden = !d.pickup;
  clear($("hours"));
  var hours = d.pickup ? d.pickup.hours : null;
  $("hours-none").hidden = !d.pickup || !!hours;
  (hours || []).forEach(function (row) {
    $("hours").appendChild(h("li", null, i18n.t(row.day) + " " + row.open + "–" + row.close));
  });
  clear($("steps"));
  (d.steps || []).forEach(function (step, index) {
    // "Selesai 1 Desember 2026 · Petugas Pelayanan": the word once, the day as residents write it
    var mark = step.done_on ? i18n.fmt("done_on", { day: dayText(step.done_on, false) }) : i18n.t("status_" + step.status);
    $("steps").appendChild(
      h(
        "li",
        { class: "st-step st-" + step.status, dataset: { status: step.status, step: String(index + 1) } },
        h("span", { class: "st-mark", "aria-hidden": "true" }),
        h(
          "span",
          { class: "st-step-text" },
          h("strong", null, i18n.t(step.label)),
          h("small", null, mark + " · " + i18n.t(step.role_label))
        )
      )
    );
  });
  $("notice").hidden = !d.notice;
  $("notice-text").textContent = d.notice || "";
  $("disruption").hidden = !d.disruption;
  $("disruption").textContent = d.disruption ? i18n.t(d.disruption) : "";
}

async function refresh() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    var response = await fetch("/api/status/" + encodeURIComponent(code), {
      headers: { Accept: "application/json", "X-Loket-Lang": i18n.lang },
      cache: "no-store",
    });
    if (response.ok) {
      var kind = data && data.kind;
      data = await response.json();
      render(data);
      if (kind && kind !== data.kind) reconnect(); // a booking checked in: follow its ticket's room now
    } else if (response.status === 404) {
      window.location.reload(); // the server refuses the code now: show its plain refusal
    }
  } catch {
    /* offline for a moment: the next change or the periodic check reads it again */
  } finally {
    loading = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

/** The queue moved somewhere: only a page still waiting (or a booking of today) reads again, spread over a few seconds, at most every 15 s. */
function queueMoved() {
  if (!data) return;
  // a booking of today is read again too: its check-in at the kiosk issues a ticket, which moves the queue
  var booked = data.kind === "booking" && data.state === "booked" && data.today;
  if (!booked && data.state !== "waiting" && data.state !== "ready") return;
  var now = Date.now();
  if (now - lastQueueRefresh < 15000) return;
  lastQueueRefresh = now;
  window.setTimeout(refresh, Math.random() * 3000);
}

var socket = null;

function reconnect() {
  if (!socket) return;
  socket.disconnect(); // the server joins the connection to the room of what the code opens now
  socket.connect();
}

function connect() {
  if (typeof io !== "function") return watchDisruptions(null);
  socket = io({ auth: { channel: "status", code: code }, transports: ["websocket", "polling"] });
  watchDisruptions(socket); // the office's and this service's disruptions, live
  socket.on("connect", function () {
    document.body.setAttribute("data-connection", "live");
    $("connection").textContent = i18n.t("live_on");
    refresh(); // anything missed while away
  });
  socket.on("disconnect", function () {
    document.body.setAttribute("data-connection", "lost");
    $("connection").textContent = i18n.t("live_lost");
  });
  socket.on("status.changed", refresh);
  socket.on("status.queue", queueMoved);
  socket.on("settings.changed", refresh);
}

i18n.initLangSwitch();
i18n.onLangChange(function () {
  render(data);
  $("connection").textContent = i18n.t(document.body.getAttribute("data-connection") === "live" ? "live_on" : "live_lost");
});
render(data);
bannerOnTop(function (d) {
  return affecting(data.service).indexOf(d) >= 0;
});
connect();
window.setInterval(refresh, 120000); // a page left open without its live connection still catches up
