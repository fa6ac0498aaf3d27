/* The waiting-room board: recent calls, each counter's number, a clock.
 * Shows ticket numbers and counters only (UU 27/2022: no names, no NIK).
 */
(function () {
  "use strict";

  var L = window.Loket;
  var h = L.h;

  var FLASH_SECONDS = 6; // how long a new call fills the screen
  var RECENT = 7; // previous calls listed beside the latest
  var SYNC_DELAY_MS = 250; // several events in a burst cause one state refresh

  L.addStrings({
    subtitle: { id: "Layar Antrean", en: "Queue Display" },
    connecting: { id: "Menghubungkan…", en: "Connecting…" },
    online: { id: "Terhubung", en: "Connected" },
    reconnecting: { id: "Menghubungkan ulang…", en: "Reconnecting…" },
    offline: { id: "Koneksi terputus. Menghubungkan ulang…", en: "Connection lost. Reconnecting…" },
    offline_since: { id: "Data terakhir pukul {t}", en: "Last update at {t}" },
    now_calling: { id: "Nomor Antrean", en: "Queue Number" },
    go_to: { id: "silakan menuju", en: "please go to" },
    recall: { id: "Panggilan ulang", en: "Called again" },
    recent: { id: "Panggilan sebelumnya", en: "Previous calls" },
    col_number: { id: "Nomor", en: "Number" },
    col_counter: { id: "Loket", en: "Counter" },
    no_calls: { id: "Belum ada panggilan hari ini.", en: "No calls yet today." },
    counters: { id: "Loket", en: "Counters" },
    waiting: { id: "Menunggu:", en: "Waiting:" },
    waiting_total: { id: "{n} orang", en: "{n} people" },
    waiting_none: { id: "tidak ada antrean", en: "nobody" },
    idle: { id: "—", en: "—" },
  });

  var state = { day: null, calls: [], counters: [], waiting: {} };
  var serviceNames = {}; // code -> {id, en}, for the waiting line
  var flashQueue = [];
  var flashTimer = null;
  var syncTimer = null;
  var lastUpdate = null;

  var $ = function (id) {
    return document.getElementById(id);
  };

  // ---- rendering ----------------------------------------------------------

  function callAttrs(call) {
    return { "data-call-number": call.number, "data-call-counter": call.counter || "" };
  }

  function renderLatest() {
    var call = state.calls[0];
    var box = $("latest-call");
    $("latest-number").textContent = call ? call.number : "—";
    $("latest-counter").textContent = call ? call.counter || "" : "—";
    $("latest-recall").hidden = !(call && call.recall);
    if (call) {
      box.setAttribute("data-call-number", call.number);
      box.setAttribute("data-call-counter", call.counter || "");
    } else {
      box.removeAttribute("data-call-number");
      box.removeAttribute("data-call-counter");
    }
  }

  function renderRecent() {
    var list = L.clear($("recent-calls"));
    var previous = state.calls.slice(1, 1 + RECENT);
    previous.forEach(function (call) {
      var attrs = callAttrs(call);
      attrs["class"] = "d-recent-item";
      list.appendChild(
        h(
          "li",
          attrs,
          h("span", { class: "d-recent-number num" }, call.number),
          h("span", { class: "d-recent-counter" }, call.counter || ""),
          h("span", { class: "d-recent-time num" }, L.hhmm(call.at))
        )
      );
    });
    $("recent-empty").hidden = state.calls.length > 0;
  }

  function renderCounters() {
    var grid = L.clear($("counters"));
    state.counters.forEach(function (c) {
      grid.appendChild(
        h(
          "li",
          {
            class: "d-counter" + (c.number ? " d-counter-busy" : ""),
            "data-counter": c.counter,
            "data-number": c.number || "",
          },
          h("span", { class: "d-counter-name" }, c.counter),
          h("span", { class: "d-counter-number num" }, c.number || L.t("idle"))
        )
      );
    });
  }

  function renderWaiting() {
    var root = L.clear($("waiting"));
    var codes = Object.keys(state.waiting || {}).filter(function (code) {
      return state.waiting[code] > 0;
    });
    var total = codes.reduce(function (sum, code) {
      return sum + state.waiting[code];
    }, 0);
    root.appendChild(h("span", { class: "d-waiting-total", id: "waiting-total" }, total ? L.fmt("waiting_total", { n: total }) : L.t("waiting_none")));
    codes.forEach(function (code) {
      root.appendChild(
        h(
          "span",
          { class: "d-waiting-item", "data-service": code },
          h("span", null, serviceNames[code] ? L.t(serviceNames[code]) : code),
          " ",
          h("b", { class: "num" }, state.waiting[code])
        )
      );
    });
  }

  function renderAll() {
    renderLatest();
    renderRecent();
    renderCounters();
    renderWaiting();
  }

  // ---- the called number, very large for a few seconds --------------------

  /**
   * Hook for the voice call (a later issue): called once for every call as it is
   * shown, with {number, counter, counter_number, recall, call_count, service}.
   * Replace it with `LoketDisplay.announce = function (call) { ... }`.
   * Say only the number and the counter, never anything personal.
   */
  function announce(call) {
    /* no audio yet */
  }

  function showNextFlash() {
    var call = flashQueue.shift();
    if (!call) {
      $("call-flash").hidden = true;
      flashTimer = null;
      return;
    }
    $("flash-number").textContent = call.number;
    $("flash-counter").textContent = call.counter || "";
    $("flash-recall").hidden = !call.recall;
    var box = $("call-flash");
    box.setAttribute("data-call-number", call.number);
    box.setAttribute("data-call-counter", call.counter || "");
    box.hidden = false;
    // restart the entrance animation for back-to-back calls
    box.classList.remove("d-flash-in");
    void box.offsetWidth;
    box.classList.add("d-flash-in");
    try {
      window.LoketDisplay.announce(call);
    } catch (e) {
      /* a broken voice must never stop the board */
    }
    flashTimer = setTimeout(showNextFlash, FLASH_SECONDS * 1000);
  }

  function flash(call) {
    flashQueue.push(call);
    if (!flashTimer) showNextFlash();
  }

  function markCounter(name) {
    var node = document.querySelector('.d-counter[data-counter="' + (window.CSS && CSS.escape ? CSS.escape(name) : name) + '"]');
    if (node) {
      node.classList.remove("d-counter-called");
      void node.offsetWidth;
      node.classList.add("d-counter-called");
    }
  }

  // ---- server events --------------------------------------------------------

  function touched() {
    lastUpdate = new Date();
  }

  function onState(data) {
    state.day = data.day;
    state.calls = data.calls || [];
    state.counters = data.counters || [];
    state.waiting = data.waiting || {};
    touched();
    renderAll();
  }

  function onCalled(call) {
    call = Object.assign({ at: new Date().toISOString() }, call);
    state.calls.unshift(call);
    state.calls = state.calls.slice(0, 1 + RECENT + 4);
    var known = false;
    state.counters.forEach(function (c) {
      if (c.counter === call.counter) {
        c.number = call.number;
        known = true;
      }
    });
    if (!known && call.counter) {
      state.counters.push({ counter: call.counter, counter_number: call.counter_number, zone: call.zone || null, number: call.number });
    }
    touched();
    renderAll();
    markCounter(call.counter);
    flash(call);
  }

  function requestSync(socket) {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(function () {
      if (socket.connected) socket.emit("display.sync");
    }, SYNC_DELAY_MS);
  }

  function setConnection(status) {
    document.body.setAttribute("data-connection", status);
    $("conn-text").setAttribute("data-i18n", status === "online" ? "online" : status === "offline" ? "reconnecting" : "connecting");
    $("conn-text").textContent = L.t($("conn-text").getAttribute("data-i18n"));
    var banner = $("offline-banner");
    banner.hidden = status !== "offline";
    if (status === "offline") {
      $("offline-since").textContent = lastUpdate ? "· " + L.fmt("offline_since", { t: L.hhmm(lastUpdate) }) : "";
    }
  }

  function connect() {
    if (typeof window.io !== "function") {
      setConnection("offline");
      return null;
    }
    var socket = window.io({ auth: { channel: "display" }, transports: ["websocket", "polling"] });
    socket.on("connect", function () {
      setConnection("online");
    });
    socket.on("disconnect", function () {
      setConnection("offline");
    });
    socket.on("connect_error", function () {
      setConnection("offline");
    });
    socket.on("display.state", onState);
    socket.on("ticket.called", onCalled);
    // The office changed its settings (name, texts): start again with the new page.
    socket.on("settings.changed", function () {
      window.location.reload();
    });
    // Anything else that changes a counter or the queue: ask for the whole state again.
    socket.onAny(function (event) {
      if (event !== "ticket.called" && event.indexOf("ticket.") === 0) requestSync(socket);
    });
    return socket;
  }

  // ---- clock ------------------------------------------------------------------

  var shownDate = "";

  function tick(socket) {
    var now = new Date();
    $("clock").textContent = L.hhmmss(now);
    var date = L.longDate(now);
    if (date !== shownDate) {
      // a new day (or language): the server's state starts afresh at midnight
      if (shownDate && socket) requestSync(socket);
      shownDate = date;
      $("date").textContent = date;
    }
  }

  // ---- start --------------------------------------------------------------------

  window.LoketDisplay = { announce: announce, state: state };

  L.onLangChange(function () {
    shownDate = "";
    $("date").textContent = L.longDate(new Date());
    shownDate = $("date").textContent;
    setConnection(document.body.getAttribute("data-connection"));
    renderAll();
  });
  L.initLangSwitch();

  // Service names for the waiting line (public data); the board works without them.
  L.api("GET", "/api/services")
    .then(function (data) {
      (data.services || []).forEach(function (s) {
        serviceNames[s.code] = s.name;
      });
      renderWaiting();
    })
    .catch(function () {});

  renderAll();
  var socket = connect();
  tick(socket);
  setInterval(function () {
    tick(socket);
  }, 1000);
})();
