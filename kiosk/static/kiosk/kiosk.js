/* The kiosk: choose a service, read what to bring, take a numbered ticket. */
(function () {
  "use strict";

  var L = window.Loket;
  var h = L.h;

  var TICKET_SECONDS = 20; // the ticket screen returns to the start by itself
  var IDLE_SECONDS = 90; // an abandoned detail screen returns to the start
  var REFRESH_SECONDS = 30; // waiting counts on the start screen

  L.addStrings({
    title: { id: "Ambil Nomor Antrean", en: "Take a Queue Number" },
    choose: { id: "Silakan pilih layanan", en: "Please choose a service" },
    free: { id: "Semua layanan Dukcapil gratis.", en: "All Dukcapil services are free of charge." },
    loading: { id: "Memuat layanan…", en: "Loading services…" },
    bring: { id: "Yang perlu dibawa", en: "What to bring" },
    bring_ready: { id: "Siapkan dokumen ini", en: "Have these documents ready" },
    conditions: { id: "Ketentuan", en: "Conditions" },
    prio_title: { id: "Layanan prioritas", en: "Priority service" },
    prio_text: {
      id: "Lansia, penyandang disabilitas, ibu hamil, anak-anak dan korban bencana berhak didahulukan. Pilih bila sesuai:",
      en: "The elderly, people with disabilities, pregnant women, children and disaster victims are served first. Choose if it applies:",
    },
    prio_none: { id: "Tidak, antrean umum", en: "No, regular queue" },
    prio_badge: { id: "Layanan prioritas", en: "Priority service" },
    back: { id: "‹ Kembali", en: "‹ Back" },
    take: { id: "Ambil Nomor Antrean", en: "Take a Queue Number" },
    taking: { id: "Mencetak nomor…", en: "Getting your number…" },
    your_number: { id: "Nomor antrean Anda", en: "Your queue number" },
    qr_caption: { id: "Kode tiket Anda. Tunjukkan kepada petugas.", en: "Your ticket code. Show it to the officer." },
    watch: {
      id: "Perhatikan layar panggilan. Nomor Anda akan dipanggil ke loket.",
      en: "Watch the display. Your number will be called to a counter.",
    },
    done: { id: "Selesai", en: "Done" },
    ok: { id: "Baik", en: "OK" },
    if_any: { id: "bila ada", en: "if any" },
    waiting_n: { id: "{n} menunggu", en: "{n} waiting" },
    waiting_0: { id: "0 menunggu", en: "0 waiting" },
    target: { id: "Target {n} menit", en: "Target {n} min" },
    target_mismatch: { id: "Target {n} menit (langkah: {m} menit)", en: "Target {n} min (steps: {m} min)" },
    ahead_0: { id: "Tidak ada antrean di depan Anda.", en: "Nobody is ahead of you." },
    ahead_1: { id: "Ada 1 orang di depan Anda.", en: "1 person is ahead of you." },
    ahead_n: { id: "Ada {n} orang di depan Anda.", en: "{n} people are ahead of you." },
    estimate: { id: "Perkiraan tunggu ± {n} menit", en: "Estimated wait ± {n} min" },
    estimate_ahead: {
      id: "Perkiraan tunggu ± {n} menit ({a} orang di depan Anda)",
      en: "Estimated wait ± {n} min ({a} ahead of you)",
    },
    closed: { id: "Tidak menerima antrean", en: "Not taking tickets" },
    blanko_out: { id: "Blanko habis: diganti Suket", en: "No blank cards: Suket instead" },
    not_printed: {
      id: "Tiket belum tercetak. Silakan catat atau foto nomor ini, lalu hubungi petugas.",
      en: "The ticket was not printed. Please note or photograph this number and tell an officer.",
    },
    load_failed: {
      id: "Daftar layanan belum dapat dimuat. Silakan hubungi petugas.",
      en: "The list of services could not be loaded. Please ask an officer.",
    },
  });

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
    current: null, // the service shown in the detail screen
    priority: null, // chosen priority code, null for the regular queue
    ticket: null, // the last issued ticket (for re-rendering on a language switch)
    busy: false,
  };
  var timers = { countdown: null, idle: null, refresh: null };

  // Which kiosk this is (for its own printer): /kiosk/?kiosk=lobby1 once, remembered after.
  var kioskId = (function () {
    var key = "loket.kiosk";
    try {
      var fromUrl = new URLSearchParams(window.location.search).get("kiosk");
      if (fromUrl) window.localStorage.setItem(key, fromUrl);
      return fromUrl || window.localStorage.getItem(key) || null;
    } catch (e) {
      return null;
    }
  })();

  var $ = function (id) {
    return document.getElementById(id);
  };

  // ---- screens ----------------------------------------------------------

  function show(name) {
    ["services", "detail", "ticket"].forEach(function (s) {
      $("screen-" + s).hidden = s !== name;
    });
    document.body.setAttribute("data-screen", name);
    window.scrollTo(0, 0);
    clearInterval(timers.countdown);
    clearTimeout(timers.idle);
    if (name === "detail") armIdle();
  }

  function home() {
    state.current = null;
    state.priority = null;
    state.ticket = null;
    show("services");
    loadServices();
  }

  function armIdle() {
    clearTimeout(timers.idle);
    timers.idle = setTimeout(home, IDLE_SECONDS * 1000);
  }

  // ---- start screen: services grouped -------------------------------------

  function targetText(svc) {
    if (svc.target_minutes === null || svc.target_minutes === undefined) return "";
    if (svc.total_mismatch) {
      return L.fmt("target_mismatch", { n: svc.seed_total_minutes, m: svc.steps_total_minutes });
    }
    return L.fmt("target", { n: svc.target_minutes });
  }

  /** The office closed this service, is outside its hours, or its quota is full. */
  function isClosed(svc) {
    return !!(svc.availability && svc.availability.ok === false);
  }

  function waitingText(n) {
    return n ? L.fmt("waiting_n", { n: n }) : L.t("waiting_0");
  }

  function renderServices() {
    var root = L.clear($("service-groups"));
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
    groups.forEach(function (g) {
      var list = byGroup[g];
      // One-tile groups share a row; big groups get three tiles a row so all fits one screen.
      var cls = "k-group" + (list.length > 1 ? " k-group-wide" : "") + (list.length > 4 ? " k-group-many" : "");
      root.appendChild(
        h(
          "section",
          { class: cls, "data-group": g },
          h("h3", { class: "k-group-title" }, L.t(GROUPS[g] || g)),
          h(
            "div",
            { class: "k-tiles" },
            list.map(function (svc) {
              var target = targetText(svc);
              return h(
                "button",
                {
                  type: "button",
                  class: "k-tile" + (isClosed(svc) ? " k-tile-closed" : ""),
                  "data-service": svc.code,
                  onclick: function () {
                    openDetail(svc.code);
                  },
                },
                h("span", { class: "k-tile-name" }, L.t(svc.name)),
                h("span", { class: "k-tile-summary" }, L.t(svc.summary)),
                h(
                  "span",
                  { class: "k-tile-foot" },
                  isClosed(svc) ? h("span", { class: "pill pill-bad", "data-closed": "" }, L.t("closed")) : null,
                  h("span", { class: "pill" + (svc.waiting ? "" : " pill-ok"), "data-waiting": svc.waiting }, waitingText(svc.waiting)),
                  target ? h("span", { class: "pill" + (svc.total_mismatch ? " pill-warn" : ""), "data-target": "" }, target) : null,
                  svc.blanko && svc.blanko.out ? h("span", { class: "pill pill-warn" }, L.t("blanko_out")) : null
                )
              );
            })
          )
        )
      );
    });
  }

  function loadServices() {
    clearTimeout(timers.refresh);
    return L.api("GET", "/api/services")
      .then(function (data) {
        state.services = data.services || [];
        state.priorities = data.priorities || [];
        $("services-loading").hidden = true;
        renderServices();
        if (state.current) {
          state.current = byCode(state.current.code) || state.current;
          renderDetail();
        }
      })
      .catch(function (err) {
        if (!state.services.length) {
          $("services-loading").textContent = L.t("load_failed") + " (" + err.message + ")";
        }
      })
      .then(function () {
        timers.refresh = setTimeout(function () {
          if (document.body.getAttribute("data-screen") === "services") loadServices();
        }, REFRESH_SECONDS * 1000);
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
          h("span", { class: "k-req-text" }, L.t(r.text), r.optional ? h("span", { class: "pill pill-warn k-ifany" }, L.t("if_any")) : null),
          r.note && !compact ? h("span", { class: "k-req-note" }, L.t(r.note)) : null
        )
      );
    });
  }

  function renderDetail() {
    var svc = state.current;
    if (!svc) return;
    $("detail-name").textContent = L.t(svc.name);
    $("detail-summary").textContent = L.t(svc.summary);
    var meta = L.clear($("detail-meta"));
    meta.appendChild(h("span", { class: "pill" + (svc.waiting ? "" : " pill-ok") }, waitingText(svc.waiting)));
    var target = targetText(svc);
    if (target) meta.appendChild(h("span", { class: "pill" + (svc.total_mismatch ? " pill-warn" : "") }, target));
    if (typeof svc.estimate_minutes === "number" && !isClosed(svc)) {
      var estimate = typeof svc.ahead === "number" ? L.fmt("estimate_ahead", { n: svc.estimate_minutes, a: svc.ahead }) : L.fmt("estimate", { n: svc.estimate_minutes });
      meta.appendChild(h("span", { class: "pill", "data-estimate": "" }, estimate));
    }

    var notices = L.clear($("detail-notices"));
    if (isClosed(svc) && svc.availability.message) {
      notices.appendChild(h("p", { class: "k-notice k-notice-bad", "data-notice": "closed" }, L.t(svc.availability.message)));
    }
    if (svc.blanko && svc.blanko.message) {
      notices.appendChild(h("p", { class: "k-notice" + (svc.blanko.out ? "" : " k-notice-ok"), "data-notice": "blanko" }, L.t(svc.blanko.message)));
    }
    notices.hidden = !notices.firstChild;
    if (!state.busy) $("take-ticket").disabled = isClosed(svc);

    var reqs = L.clear($("detail-reqs"));
    requirementItems(svc.requirements).forEach(function (li) {
      reqs.appendChild(li);
    });

    var conds = L.clear($("detail-conds"));
    (svc.conditions || []).forEach(function (c) {
      conds.appendChild(h("li", null, L.t(c)));
    });
    $("detail-conds-block").hidden = !(svc.conditions || []).length;

    var opts = L.clear($("priority-options"));
    [{ code: null, label: L.t("prio_none") }]
      .concat(
        state.priorities.map(function (p) {
          return { code: p.code, label: L.t(p.label) };
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
                armIdle();
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

  function takeTicket() {
    if (state.busy || !state.current) return;
    state.busy = true;
    var button = $("take-ticket");
    button.disabled = true;
    button.textContent = L.t("taking");
    L.api("POST", "/api/tickets", { service: state.current.code, priority: state.priority, kiosk: kioskId })
      .then(function (ticket) {
        state.ticket = ticket;
        renderTicket();
        show("ticket");
        startCountdown();
      })
      .catch(function (err) {
        showError(err.message);
        loadServices(); // the refusal may be news: closed, quota full
      })
      .then(function () {
        state.busy = false;
        button.disabled = !!(state.current && isClosed(state.current));
        button.textContent = L.t("take");
      });
  }

  function renderTicket() {
    var tk = state.ticket;
    if (!tk) return;
    $("ticket-number").textContent = tk.number;
    $("ticket-service").textContent = L.t(tk.service_name);
    $("ticket-priority").hidden = !tk.priority;
    var ahead = tk.ahead || 0;
    $("ticket-ahead").textContent = ahead === 0 ? L.t("ahead_0") : ahead === 1 ? L.t("ahead_1") : L.fmt("ahead_n", { n: ahead });
    var notes = L.clear($("ticket-notices"));
    if (tk.print && tk.print.ok === false) {
      notes.appendChild(h("p", { class: "k-notice k-notice-bad", "data-notice": "print" }, L.t("not_printed")));
    }
    if (tk.notice) notes.appendChild(h("p", { class: "k-notice", "data-notice": "blanko" }, L.t(tk.notice)));
    notes.hidden = !notes.firstChild;
    $("ticket-qr").src = tk.qr_svg;
    $("ticket-qr").alt = L.t("qr_caption");
    var reqs = L.clear($("ticket-reqs"));
    requirementItems(tk.requirements, true).forEach(function (li) {
      reqs.appendChild(li);
    });
  }

  function startCountdown() {
    var left = TICKET_SECONDS;
    var label = $("ticket-countdown");
    label.textContent = "(" + left + ")";
    clearInterval(timers.countdown);
    timers.countdown = setInterval(function () {
      left -= 1;
      label.textContent = "(" + left + ")";
      if (left <= 0) home();
    }, 1000);
  }

  // ---- errors ------------------------------------------------------------

  function showError(message) {
    $("kiosk-error-text").textContent = message;
    $("kiosk-error").hidden = false;
    $("kiosk-error-close").focus();
  }

  // ---- start -------------------------------------------------------------

  $("back").addEventListener("click", home);
  $("take-ticket").addEventListener("click", takeTicket);
  $("ticket-done").addEventListener("click", home);
  $("kiosk-error-close").addEventListener("click", function () {
    $("kiosk-error").hidden = true;
  });
  document.addEventListener("pointerdown", function () {
    if (document.body.getAttribute("data-screen") === "detail") armIdle();
  });
  $("screen-detail").addEventListener("scroll", armIdle, { passive: true });

  L.onLangChange(function () {
    renderServices();
    renderDetail();
    renderTicket();
    if (!state.busy) $("take-ticket").textContent = L.t("take");
  });
  L.initLangSwitch();
  loadServices();
})();
