/* The kiosk: choose a service, read what to bring, take a numbered ticket.
 *
 * Left alone in a hall: no text selection, no context menu, no zoom, no dragging,
 * no way out to other pages; staff settings only behind a held gesture and a PIN.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";

var TICKET_SECONDS = 20; // the ticket screen returns to the start by itself
var TICKET_FAILED_SECONDS = 45; // longer when the ticket was not printed: time to photograph it
var IDLE_SECONDS = 90; // an abandoned screen returns to the start (and to the default language)
var REFRESH_SECONDS = 30; // fallback refresh of queues and availability, besides the live push
var LIVE_DEBOUNCE_MS = 1500; // queue events arrive in bursts: refresh once after them
var STAFF_IDLE_SECONDS = 60; // the staff panel closes itself
var HOLD_MS = 3000; // press and hold the office name this long to open the staff panel
var PIN_MAX = 12;
var DEFAULT_LANG_KEY = "loket.kiosk.lang";

i18n.addStrings(i18n.pageStrings("kiosk/kiosk"));

var GROUPS = {
  "ktp-el": { id: "KTP-el", en: "Electronic ID card (KTP-el)" },
  kk: { id: "Kartu Keluarga (KK)", en: "Family card (KK)" },
  kia: { id: "Kartu Identitas Anak (KIA)", en: "Child identity card (KIA)" },
  akta: { id: "Akta Pencatatan Sipil", en: "Civil registration certificates" },
  pindah: { id: "Pindah Penduduk", en: "Moving residence" },
  lainnya: { id: "Layanan Lainnya", en: "Other services" },
};
var GROUP_ORDER = ["ktp-el", "kk", "kia", "akta", "pindah", "lainnya"];

var state = {
  services: [],
  priorities: [],
  office: null,
  current: null, // the service shown in the detail screen
  priority: null, // chosen priority code, null for the regular queue
  ticket: null, // the last issued ticket (for re-rendering on a language switch)
  busy: false,
  loadSeq: 0,
};
var timers = { countdown: null, idle: null, refresh: null, live: null, hold: null, staffIdle: null };
var surveyGroup = document.getElementById("survey-group");

var $ = function (id) {
  return document.getElementById(id);
};

function storage(key, value) {
  try {
    if (value === undefined) return window.localStorage.getItem(key);
    window.localStorage.setItem(key, value);
  } catch {
    /* localStorage disabled: nothing remembered */
  }
  return null;
}

// Which kiosk this is (for its own printer): /kiosk/?kiosk=lobby1 once, remembered after.
var kioskId = (function () {
  var key = "loket.kiosk";
  try {
    var fromUrl = new URLSearchParams(window.location.search).get("kiosk");
    if (fromUrl) storage(key, fromUrl);
    return fromUrl || storage(key) || null;
  } catch {
    return null;
  }
})();

function defaultLang() {
  return storage(DEFAULT_LANG_KEY) === "en" ? "en" : "id";
}

// ---- a kiosk nobody can leave ---------------------------------------------

function lockDown() {
  var prevent = function (e) {
    e.preventDefault();
  };
  // Long-press menus, text selection and dragging pictures out.
  ["contextmenu", "selectstart", "dragstart", "drop", "gesturestart", "gesturechange"].forEach(function (type) {
    document.addEventListener(type, prevent);
  });
  // Pinch zoom (CSS touch-action covers Chrome; this covers the rest) and ctrl+wheel zoom.
  document.addEventListener(
    "touchmove",
    function (e) {
      if (e.touches && e.touches.length > 1) e.preventDefault();
    },
    { passive: false }
  );
  document.addEventListener(
    "wheel",
    function (e) {
      if (e.ctrlKey) e.preventDefault();
    },
    { passive: false }
  );
  document.addEventListener("dblclick", prevent);
  // A keyboard left attached: no zoom, print, save, open, find or view-source.
  document.addEventListener("keydown", function (e) {
    var key = (e.key || "").toLowerCase();
    if ((e.ctrlKey || e.metaKey) && ["+", "-", "=", "0", "p", "s", "o", "u", "f", "g", "h", "j", "l", "n", "t"].indexOf(key) !== -1) {
      e.preventDefault();
    }
    if (key === "f1" || key === "f3" || key === "f7" || (e.altKey && (key === "arrowleft" || key === "arrowright"))) e.preventDefault();
  });
  // No link may lead out of the kiosk, whatever ends up on the page.
  document.addEventListener(
    "click",
    function (e) {
      var link = e.target && e.target.closest ? e.target.closest("a[href]") : null;
      if (link) e.preventDefault();
    },
    true
  );
  document.addEventListener(
    "auxclick",
    function (e) {
      e.preventDefault();
    },
    true
  );
  window.open = function () {
    return null;
  };
  // A back swipe or the Back key stays on the kiosk.
  try {
    window.history.pushState({ kiosk: true }, "", window.location.href);
    window.addEventListener("popstate", function () {
      window.history.pushState({ kiosk: true }, "", window.location.href);
    });
  } catch {
    /* no history API: nothing to trap */
  }
}

// ---- screens ----------------------------------------------------------

function screen() {
  return document.body.getAttribute("data-screen");
}

function show(name) {
  ["services", "detail", "ticket"].forEach(function (s) {
    $("screen-" + s).hidden = s !== name;
  });
  document.body.setAttribute("data-screen", name);
  window.scrollTo(0, 0);
  document.querySelector("#screen-detail .k-detail").scrollTop = 0; // its own scroll area in landscape
  clearInterval(timers.countdown);
  armIdle();
}

/** Back to the list of services (the resident's own "back"). */
function home() {
  state.current = null;
  state.priority = null;
  state.ticket = null;
  show("services");
  loadServices();
}

/** Back to the start for the next resident: the list, the default language, no dialog. */
function resetToStart() {
  $("kiosk-error").hidden = true;
  if (i18n.lang !== defaultLang()) i18n.setLang(defaultLang());
  home();
}

function armIdle() {
  clearTimeout(timers.idle);
  timers.idle = setTimeout(onIdle, IDLE_SECONDS * 1000);
}

function onIdle() {
  if (!$("staff").hidden || screen() === "ticket") return armIdle(); // those have their own timers
  var dirty = screen() !== "services" || i18n.lang !== defaultLang() || window.scrollY > 0 || !$("kiosk-error").hidden;
  if (dirty) resetToStart();
  armIdle();
}

// ---- start screen: services grouped -------------------------------------

function targetText(svc) {
  if (svc.target_minutes === null || svc.target_minutes === undefined) return "";
  if (svc.total_mismatch) {
    return i18n.fmt("target_mismatch", { n: svc.seed_total_minutes, m: svc.steps_total_minutes });
  }
  return i18n.fmt("target", { n: svc.target_minutes });
}

/** The office closed this service, is outside its hours, or its quota is full. */
function isClosed(svc) {
  return !!(svc.availability && svc.availability.ok === false);
}

/** Tickets left today when a quota is set and few remain; null otherwise. */
function quotaLow(svc) {
  var a = svc.availability;
  if (!a || !a.ok || a.quota === null || a.quota === undefined || a.remaining === null || a.remaining === undefined) return null;
  return a.remaining <= Math.max(5, Math.ceil(a.quota * 0.2)) ? a.remaining : null;
}

function hasEstimate(svc) {
  return !isClosed(svc) && typeof svc.estimate_minutes === "number" && svc.estimate_minutes > 0;
}

/** People a new ticket would have ahead of it at the service's first desk (shared by several services). */
function queueCount(svc) {
  return typeof svc.ahead === "number" ? svc.ahead : svc.waiting || 0;
}

function waitingText(n) {
  return n ? i18n.fmt("waiting_n", { n: n }) : i18n.t("waiting_0");
}

/** Outside the office's hours nothing is issued: say it once, at the top. */
function officeClosedMessage() {
  if (!state.services.length || !state.services.every(isClosed)) return null;
  var outside = state.services.filter(function (svc) {
    return svc.availability.reason === "outside_hours";
  })[0];
  return outside ? outside.availability.message : null;
}

function renderServices() {
  var root = clear($("service-groups"));
  var officeClosed = officeClosedMessage();
  $("office-closed").hidden = !officeClosed;
  $("office-closed").textContent = officeClosed ? i18n.t(officeClosed) : "";

  var byGroup = {};
  state.services.forEach(function (svc) {
    (byGroup[svc.group] = byGroup[svc.group] || []).push(svc);
  });
  var groups = GROUP_ORDER.filter(function (g) {
    return byGroup[g];
  }).concat(
    Object.keys(byGroup).filter(function (g) {
      return GROUP_ORDER.indexOf(g) === -1;
    })
  );
  var sopEstimates = false;
  groups.forEach(function (g) {
    var list = byGroup[g];
    // One-tile groups share a row; big groups get three tiles a row so all fits one screen.
    var cls = "k-group" + (list.length > 1 ? " k-group-wide" : "") + (list.length > 4 ? " k-group-many" : "");
    root.appendChild(
      h(
        "section",
        { class: cls, "data-group": g },
        h("h3", { class: "k-group-title" }, i18n.t(GROUPS[g] || g)),
        h(
          "div",
          { class: "k-tiles" },
          list.map(function (svc) {
            if (hasEstimate(svc) && svc.estimate_basis !== "history") sopEstimates = true;
            return tile(svc, !!officeClosed);
          })
        )
      )
    );
  });
  $("estimate-footnote").hidden = !sopEstimates;
  root.appendChild(surveyGroup); // last; the dense grid puts it in a free cell when there is one
}

function tile(svc, officeClosed) {
  var closed = isClosed(svc);
  var target = targetText(svc);
  var low = quotaLow(svc);
  var reason = closed ? svc.availability.reason || "closed" : "";
  var closedText = "";
  if (closed) {
    closedText =
      officeClosed && reason === "outside_hours" ? i18n.t("closed_outside_hours") : i18n.t(svc.availability.message) || i18n.t("closed");
  }
  var queue = queueCount(svc);
  var estimate = null;
  if (hasEstimate(svc)) {
    estimate = i18n.fmt("tile_estimate", { n: svc.estimate_minutes }) + (svc.estimate_basis === "history" ? "" : " *");
  }
  return h(
    "button",
    {
      type: "button",
      class: "k-tile" + (closed ? " k-tile-closed" : ""),
      "data-service": svc.code,
      "data-available": closed ? "false" : "true",
      onclick: function () {
        openDetail(svc.code);
      },
    },
    h("span", { class: "k-tile-name" }, i18n.t(svc.name)),
    closed
      ? h("span", { class: "k-tile-closed-text", "data-closed": reason }, closedText)
      : h("span", { class: "k-tile-summary" }, i18n.t(svc.summary)),
    h(
      "span",
      { class: "k-tile-foot" },
      h(
        "span",
        { class: "pill k-queue" + (queue ? "" : " pill-ok") },
        h("span", { "data-waiting": queue }, waitingText(queue)),
        estimate ? " · " : null,
        estimate ? h("span", { "data-estimate": svc.estimate_basis }, estimate) : null
      ),
      target && !closed ? h("span", { class: "pill" + (svc.total_mismatch ? " pill-warn" : ""), "data-target": "" }, target) : null,
      low !== null ? h("span", { class: "pill pill-warn", "data-quota-left": low }, i18n.fmt("quota_left", { n: low })) : null,
      svc.blanko
        ? h(
            "span",
            { class: "pill " + (svc.blanko.out ? "pill-warn" : "pill-ok"), "data-blanko": svc.blanko.out ? "out" : "ok" },
            i18n.t(svc.blanko.out ? "blanko_out" : "blanko_ok")
          )
        : null
    )
  );
}

function renderOffice() {
  var office = state.office || {};
  if (office.name) {
    $("office-name").textContent = office.name;
    document.title = i18n.t("title") + " · " + office.name;
  }
  var running = (office.running_text || "").trim();
  $("running-text").hidden = !running;
  $("running-text").textContent = running;
}

function loadServices() {
  clearTimeout(timers.refresh);
  var seq = ++state.loadSeq;
  return api("GET", "/api/services")
    .then(function (data) {
      if (seq !== state.loadSeq) return; // a newer answer is on its way
      state.services = data.services || [];
      state.priorities = data.priorities || [];
      state.office = data.office || null;
      $("services-loading").hidden = true;
      renderOffice();
      renderServices();
      if (state.current) {
        state.current = byCode(state.current.code) || state.current;
        renderDetail();
      }
    })
    .catch(function (err) {
      if (!state.services.length) {
        $("services-loading").textContent = i18n.t("load_failed") + " (" + err.message + ")";
      }
    })
    .then(function () {
      if (seq !== state.loadSeq) return;
      timers.refresh = setTimeout(loadServices, REFRESH_SECONDS * 1000);
    });
}

/** Queue events come in bursts: refresh once, shortly after. */
function refreshSoon() {
  if (timers.live) return;
  timers.live = setTimeout(function () {
    timers.live = null;
    loadServices();
  }, LIVE_DEBOUNCE_MS);
}

// ---- live updates: the admin's changes take effect at once -----------------

function connectLive() {
  if (typeof window.io !== "function") {
    document.body.setAttribute("data-connection", "offline");
    return;
  }
  // The display channel is public: it carries only numbers, counters and settings changes.
  var socket = window.io({ auth: { channel: "display" }, transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    document.body.setAttribute("data-connection", "online");
    loadServices(); // a reconnect may have missed changes
  });
  socket.on("disconnect", function () {
    document.body.setAttribute("data-connection", "offline");
  });
  socket.on("connect_error", function () {
    document.body.setAttribute("data-connection", "offline");
  });
  socket.on("settings.changed", function () {
    loadServices();
  });
  socket.onAny(function (event) {
    if (typeof event === "string" && event.indexOf("ticket.") === 0) refreshSoon();
  });
}

// ---- detail screen -----------------------------------------------------

function requirementItems(reqs, compact) {
  return (reqs || []).map(function (r) {
    return h(
      "li",
      { class: "k-req" + (r.optional ? " k-req-optional" : ""), "data-req": r.key },
      h("span", { class: "k-check", "aria-hidden": "true" }),
      h(
        "span",
        { class: "k-req-body" },
        h("span", { class: "k-req-text" }, i18n.t(r.text), r.optional ? h("span", { class: "pill pill-warn k-ifany" }, i18n.t("if_any")) : null),
        r.note && !compact ? h("span", { class: "k-req-note" }, i18n.t(r.note)) : null
      )
    );
  });
}

function renderDetail() {
  var svc = state.current;
  if (!svc) return;
  var closed = isClosed(svc);
  $("detail-name").textContent = i18n.t(svc.name);
  $("detail-summary").textContent = i18n.t(svc.summary);

  var meta = clear($("detail-meta"));
  var pills = h("p", { class: "k-meta-pills" });
  var queue = queueCount(svc);
  pills.appendChild(h("span", { class: "pill" + (queue ? "" : " pill-ok"), "data-waiting": queue }, waitingText(queue)));
  var target = targetText(svc);
  if (target) pills.appendChild(h("span", { class: "pill" + (svc.total_mismatch ? " pill-warn" : ""), "data-target": "" }, target));
  var a = svc.availability || {};
  if (!closed && a.quota !== null && a.quota !== undefined && a.remaining !== null && a.remaining !== undefined) {
    pills.appendChild(
      h("span", { class: "pill" + (quotaLow(svc) !== null ? " pill-warn" : ""), "data-quota-left": a.remaining }, i18n.fmt("quota_info", { n: a.remaining, q: a.quota }))
    );
  }
  meta.appendChild(pills);
  if (!closed && typeof svc.estimate_minutes === "number") {
    var estimate =
      svc.estimate_minutes > 0 && svc.ahead
        ? i18n.fmt("estimate_ahead", { n: svc.estimate_minutes, a: svc.ahead })
        : i18n.t("estimate_none");
    meta.appendChild(
      h(
        "div",
        { class: "k-estimate", "data-estimate": svc.estimate_basis },
        h("p", { class: "k-estimate-main" }, estimate),
        svc.estimate_minutes > 0
          ? h("p", { class: "k-estimate-note" }, i18n.t(svc.estimate_basis === "history" ? "estimate_history" : "estimate_sop"))
          : null
      )
    );
  }

  var notices = clear($("detail-notices"));
  if (svc.blanko && svc.blanko.message) {
    notices.appendChild(
      h("p", { class: "k-notice" + (svc.blanko.out ? "" : " k-notice-ok"), "data-notice": "blanko", "data-blanko": svc.blanko.out ? "out" : "ok" }, i18n.t(svc.blanko.message))
    );
  }
  notices.hidden = !notices.firstChild;

  // Refused before printing: the reason next to the (disabled) button, no priority choice to make.
  $("detail-refusal").hidden = !closed;
  $("detail-refusal").textContent = closed ? i18n.t(svc.availability.message) || i18n.t("closed") : "";
  $("priority-block").hidden = closed;
  updateTakeButton();

  var reqs = clear($("detail-reqs"));
  requirementItems(svc.requirements).forEach(function (li) {
    reqs.appendChild(li);
  });

  var conds = clear($("detail-conds"));
  (svc.conditions || []).forEach(function (c) {
    conds.appendChild(h("li", null, i18n.t(c)));
  });
  $("detail-conds-block").hidden = !(svc.conditions || []).length;

  var opts = clear($("priority-options"));
  [{ code: null, label: i18n.t("prio_none") }]
    .concat(
      state.priorities.map(function (p) {
        return { code: p.code, label: i18n.t(p.label) };
      })
    )
    .forEach(function (p) {
      opts.appendChild(
        h(
          "button",
          {
            type: "button",
            class: "k-prio" + (p.code ? "" : " k-prio-none"),
            "data-priority": p.code || "",
            "aria-pressed": state.priority === p.code ? "true" : "false",
            onclick: function () {
              state.priority = p.code;
              renderDetail();
            },
          },
          p.label
        )
      );
    });
}

function byCode(code) {
  return state.services.filter(function (s) {
    return s.code === code;
  })[0];
}

function openDetail(code) {
  var svc = byCode(code);
  if (!svc) return;
  state.current = svc;
  state.priority = null;
  renderDetail();
  show("detail");
}

// ---- taking a ticket ---------------------------------------------------

/** Enabled with "Ambil Nomor Antrean", or disabled and saying why not. */
function updateTakeButton() {
  if (state.busy) return;
  var button = $("take-ticket");
  var closed = !!(state.current && isClosed(state.current));
  button.disabled = closed;
  button.textContent = i18n.t(closed ? "closed" : "take");
}

function takeTicket() {
  if (state.busy || !state.current || isClosed(state.current)) return;
  state.busy = true;
  var button = $("take-ticket");
  button.disabled = true;
  button.textContent = i18n.t("taking");
  api("POST", "/api/tickets", { service: state.current.code, priority: state.priority, kiosk: kioskId })
    .then(function (ticket) {
      state.ticket = ticket;
      renderTicket();
      show("ticket");
      startCountdown(ticket.print && ticket.print.ok === false ? TICKET_FAILED_SECONDS : TICKET_SECONDS);
      loadServices(); // the queue and the quota changed
    })
    .catch(function (err) {
      showError(err.message);
      loadServices(); // the refusal may be news: closed, quota full
    })
    .then(function () {
      state.busy = false;
      updateTakeButton();
    });
}

function renderTicket() {
  var tk = state.ticket;
  if (!tk) return;
  var failed = !!(tk.print && tk.print.ok === false);
  $("screen-ticket").setAttribute("data-printed", failed ? "false" : "true");
  $("print-failed").hidden = !failed;
  $("ticket-take-paper").hidden = failed;
  $("ticket-number").textContent = tk.number;
  $("ticket-service").textContent = i18n.t(tk.service_name);
  $("ticket-priority").hidden = !tk.priority;
  var ahead = tk.ahead || 0;
  $("ticket-ahead").textContent = ahead === 0 ? i18n.t("ahead_0") : ahead === 1 ? i18n.t("ahead_1") : i18n.fmt("ahead_n", { n: ahead });
  var notes = clear($("ticket-notices"));
  if (tk.notice) notes.appendChild(h("p", { class: "k-notice", "data-notice": "blanko" }, i18n.t(tk.notice)));
  notes.hidden = !notes.firstChild;
  $("ticket-qr").src = tk.qr_svg;
  $("ticket-qr").alt = i18n.t("qr_caption");
  var reqs = clear($("ticket-reqs"));
  requirementItems(tk.requirements, true).forEach(function (li) {
    reqs.appendChild(li);
  });
}

function startCountdown(seconds) {
  var left = seconds;
  var label = $("ticket-countdown");
  label.textContent = String(left);
  clearInterval(timers.countdown);
  timers.countdown = setInterval(function () {
    left -= 1;
    label.textContent = String(Math.max(0, left));
    if (left <= 0) resetToStart();
  }, 1000);
}

// ---- errors ------------------------------------------------------------

function showError(message) {
  $("kiosk-error-text").textContent = message;
  $("kiosk-error").hidden = false;
  $("kiosk-error-close").focus();
}

// ---- staff: a held gesture, a PIN pad, this kiosk's settings ---------------

var staff = { pin: "", unlockedPin: null, busy: false };

function armStaffGesture() {
  var target = $("staff-gesture");
  var cancel = function () {
    clearTimeout(timers.hold);
    timers.hold = null;
  };
  target.addEventListener("pointerdown", function () {
    cancel();
    timers.hold = setTimeout(openStaff, HOLD_MS);
  });
  ["pointerup", "pointerleave", "pointercancel"].forEach(function (type) {
    target.addEventListener(type, cancel);
  });
}

function openStaff() {
  timers.hold = null;
  staff.pin = "";
  staff.unlockedPin = null;
  $("staff-pin").hidden = false;
  $("staff-panel").hidden = true;
  $("pin-error").hidden = true;
  renderPin();
  $("staff").hidden = false;
  armStaffIdle();
}

function closeStaff() {
  clearTimeout(timers.staffIdle);
  staff.pin = "";
  staff.unlockedPin = null;
  $("staff").hidden = true;
  $("panel-test-result").hidden = true;
  renderPin();
}

function armStaffIdle() {
  clearTimeout(timers.staffIdle);
  timers.staffIdle = setTimeout(closeStaff, STAFF_IDLE_SECONDS * 1000);
}

function renderPin() {
  var dots = "";
  for (var i = 0; i < staff.pin.length; i++) dots += "●";
  $("pin-display").textContent = dots || "–";
  $("pin-display").setAttribute("data-length", String(staff.pin.length));
}

function pressKey(key) {
  if (staff.busy) return;
  if (key === "clear") staff.pin = "";
  else if (key === "back") staff.pin = staff.pin.slice(0, -1);
  else if (staff.pin.length < PIN_MAX) staff.pin += key;
  renderPin();
}

/** POST that keeps the JSON body of a refusal (a failed test print answers 502 with details). */
function post(url, body) {
  return fetch(url, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-Loket-Lang": i18n.lang },
    credentials: "same-origin",
    cache: "no-store",
    body: JSON.stringify(body),
  }).then(
    function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          return { status: response.status, ok: response.ok, data: data };
        });
    },
    function () {
      return { status: 0, ok: false, data: { message: i18n.t({ id: "Tidak dapat terhubung ke server.", en: "Cannot reach the server." }) } };
    }
  );
}

function submitPin() {
  if (staff.busy || !staff.pin) return;
  staff.busy = true;
  var pin = staff.pin;
  var button = $("pin-submit");
  button.disabled = true;
  button.textContent = i18n.t("pin_checking");
  post("/api/kiosk/unlock", { pin: pin, kiosk: kioskId }).then(function (res) {
    staff.busy = false;
    button.disabled = false;
    button.textContent = i18n.t("pin_open");
    staff.pin = "";
    renderPin();
    var error = $("pin-error");
    error.setAttribute("data-tries", String(Number(error.getAttribute("data-tries") || 0) + 1));
    if (!res.ok) {
      error.textContent = res.data.message || res.data.error || String(res.status);
      error.hidden = false;
      return;
    }
    error.hidden = true;
    staff.unlockedPin = pin;
    showPanel(res.data);
  });
}

function showPanel(info) {
  $("staff-pin").hidden = true;
  $("staff-panel").hidden = false;
  $("panel-kiosk").textContent = kioskId || i18n.t("none");
  $("panel-printer").textContent = info.printer || "";
  var known = info.kiosks || [];
  var note = !kioskId ? i18n.t("panel_no_id") : known.indexOf(kioskId) === -1 ? i18n.t("panel_unknown_id") : "";
  $("panel-kiosk-note").textContent = note;
  $("panel-kiosk-note").hidden = !note;
  $("panel-test-result").hidden = true;
  renderDefaultLang();
}

function testPrint() {
  if (staff.busy || !staff.unlockedPin) return;
  staff.busy = true;
  var button = $("panel-test-print");
  var result = $("panel-test-result");
  button.disabled = true;
  button.textContent = i18n.t("test_printing");
  result.hidden = true;
  post("/api/kiosk/test-print", { pin: staff.unlockedPin, kiosk: kioskId }).then(function (res) {
    staff.busy = false;
    button.disabled = false;
    button.textContent = i18n.t("test_print");
    var printed = res.data && res.data.print;
    var ok = res.ok && printed && printed.ok;
    var why = printed ? printed.message || printed.reason : res.data.message || res.data.error || String(res.status);
    result.className = "k-notice " + (ok ? "k-notice-ok" : "k-notice-bad");
    result.setAttribute("data-ok", ok ? "true" : "false");
    result.textContent = ok ? i18n.t("test_ok") : i18n.fmt("test_failed", { m: why || "" });
    result.hidden = false;
  });
}

function renderDefaultLang() {
  var current = defaultLang();
  document.querySelectorAll("#panel-lang [data-default-lang]").forEach(function (btn) {
    btn.setAttribute("aria-pressed", btn.getAttribute("data-default-lang") === current ? "true" : "false");
  });
}

function wireStaff() {
  armStaffGesture();
  $("pin-pad").addEventListener("click", function (e) {
    var key = e.target.closest("[data-key]");
    if (key) pressKey(key.getAttribute("data-key"));
  });
  $("pin-submit").addEventListener("click", submitPin);
  $("pin-cancel").addEventListener("click", closeStaff);
  $("panel-close").addEventListener("click", closeStaff);
  $("panel-test-print").addEventListener("click", testPrint);
  $("panel-reload").addEventListener("click", function () {
    window.location.reload();
  });
  document.querySelectorAll("#panel-lang [data-default-lang]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var lang = btn.getAttribute("data-default-lang");
      storage(DEFAULT_LANG_KEY, lang);
      i18n.setLang(lang);
      renderDefaultLang();
    });
  });
  $("staff").addEventListener("pointerdown", armStaffIdle);
}

// ---- start -------------------------------------------------------------

lockDown();
$("back").addEventListener("click", home);
$("take-ticket").addEventListener("click", takeTicket);
$("ticket-done").addEventListener("click", resetToStart);
// The survey is its own page; it returns to the kiosk when done, skipped or left alone.
$("open-survey").addEventListener("click", function () {
  window.location.assign("/survey?from=kiosk");
});
$("kiosk-error-close").addEventListener("click", function () {
  $("kiosk-error").hidden = true;
});
document.addEventListener("pointerdown", armIdle, true);
document.addEventListener("scroll", armIdle, { capture: true, passive: true }); // the page or a scrolling panel
wireStaff();

i18n.onLangChange(function () {
  renderOffice();
  renderServices();
  renderDetail();
  renderTicket();
  renderPin();
  updateTakeButton();
});
i18n.initLangSwitch();
armIdle();
loadServices();
connectLive();
