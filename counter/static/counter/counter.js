/* The staff desk: log in, choose role and counter, call, scan, and move the berkas on. */
(function () {
  "use strict";

  var L = window.Loket;
  var h = L.h;

  var HALL_ROLES = ["pelayanan", "pendukung"]; // roles that always work at a hall counter
  var INFO_SECONDS = 6;

  L.addStrings({
    title: { id: "Meja Petugas", en: "Officer Desk" },
    change_station: { id: "Ganti peran/loket", en: "Change role/counter" },
    logout: { id: "Keluar", en: "Log out" },
    login_title: { id: "Masuk sebagai petugas", en: "Officer log in" },
    username: { id: "Nama pengguna", en: "Username" },
    password: { id: "Kata sandi", en: "Password" },
    login: { id: "Masuk", en: "Log in" },
    station_title: { id: "Pilih peran dan loket", en: "Choose your role and counter" },
    hello: { id: "Selamat bertugas, {name}.", en: "Welcome, {name}." },
    role: { id: "Peran", en: "Role" },
    counter: { id: "Loket / ruang", en: "Counter / room" },
    no_counter: { id: "Tanpa loket (di belakang)", en: "No counter (back office)" },
    no_counter_for_role: {
      id: "Tidak ada loket untuk peran ini. Minta admin menambahkannya.",
      en: "No counter serves this role. Ask the admin to add one.",
    },
    no_counter_short: { id: "Tanpa loket", en: "No counter" },
    call_next: { id: "Panggil Berikutnya", en: "Call Next" },
    call_needs_counter: { id: "Pilih loket untuk memanggil antrean.", en: "Choose a counter to call the queue." },
    scan_label: { id: "Pindai QR atau ketik nomor tiket", en: "Scan the QR or type the ticket number" },
    scan_placeholder: { id: "mis. B-001", en: "e.g. B-001" },
    open: { id: "Buka", en: "Open" },
    here: { id: "Di loket ini", en: "At this counter" },
    here_empty: { id: "Belum ada yang dipanggil ke sini.", en: "Nobody called here yet." },
    work_title: { id: "Daftar kerja: {role}", en: "Work list: {role}" },
    work_empty: { id: "Tidak ada berkas untuk peran ini.", en: "No berkas for this role." },
    berkas_empty: { id: "Belum ada berkas dibuka.", en: "No berkas open." },
    berkas_empty_hint: {
      id: "Panggil antrean berikutnya, pindai QR tiket, atau pilih dari daftar di kiri.",
      en: "Call the next resident, scan a ticket's QR, or pick one from the lists on the left.",
    },
    online: { id: "Langsung", en: "Live" },
    offline: { id: "Terputus", en: "Offline" },
    close: { id: "Tutup", en: "Close" },
    step_of: { id: "Tahap {n} dari {m}", en: "Step {n} of {m}" },
    target_min: { id: "target {n} menit", en: "target {n} min" },
    no_target: { id: "tanpa target", en: "no target" },
    resident_here: { id: "penduduk hadir", en: "resident present" },
    behind: { id: "di belakang", en: "back office" },
    pickup_slip: { id: "beri slip pengambilan", en: "gives pickup slip" },
    not_your_step: {
      id: "Tahap ini dikerjakan oleh {role}. Anda bekerja sebagai {mine}.",
      en: "This step belongs to the {role}. You work as {mine}.",
    },
    closed: { id: "Berkas ini sudah ditutup.", en: "This berkas is closed." },
    steps: { id: "Alur SOP", en: "SOP steps" },
    history: { id: "Riwayat", en: "History" },
    col_step: { id: "Tahap", en: "Step" },
    col_role: { id: "Peran", en: "Role" },
    col_where: { id: "Loket / petugas", en: "Counter / officer" },
    col_called: { id: "Dipanggil", en: "Called" },
    col_started: { id: "Mulai", en: "Started" },
    col_ended: { id: "Selesai", en: "Ended" },
    col_duration: { id: "Lama", en: "Duration" },
    col_outcome: { id: "Hasil", en: "Outcome" },
    within: { id: "sesuai target", en: "within target" },
    over: { id: "melewati target", en: "over target" },
    priority: { id: "Prioritas", en: "Priority" },
    calls: { id: "dipanggil {n}×", en: "called {n}×" },
    missing: { id: "Dokumen kurang:", en: "Missing:" },
    note: { id: "Catatan:", en: "Note:" },
    waited: { id: "{n} mnt", en: "{n} min" },
    // actions
    act_recall: { id: "Panggil Ulang", en: "Call Again" },
    act_start: { id: "Mulai Layani", en: "Start" },
    act_start_process: { id: "Mulai Proses", en: "Start Processing" },
    act_advance: { id: "Selesai & Teruskan", en: "Done & Pass On" },
    act_hand_over: { id: "Serahkan", en: "Hand Over" },
    act_pend: { id: "Tunda", en: "Put on Hold" },
    act_resume: { id: "Lanjutkan", en: "Resume" },
    act_return: { id: "Kembalikan (dokumen kurang)", en: "Return (documents missing)" },
    act_no_show: { id: "Tidak Hadir", en: "Did Not Come" },
    act_cancel: { id: "Batalkan", en: "Cancel" },
    next_to: { id: "berikutnya: {role}", en: "next: {role}" },
    // results
    called_to: { id: "{number} dipanggil ke {counter}.", en: "{number} called to {counter}." },
    loaded: { id: "Berkas {number} dibuka.", en: "Berkas {number} opened." },
    done_action: { id: "{number}: {state}.", en: "{number}: {state}." },
    pend_title: { id: "Tunda berkas", en: "Put the berkas on hold" },
    pend_reason: { id: "Alasan", en: "Reason" },
    pend_confirm: { id: "Tunda", en: "Put on hold" },
    return_title: { id: "Kembalikan berkas: dokumen kurang", en: "Return the berkas: documents missing" },
    return_missing: { id: "Dokumen yang kurang", en: "Missing documents" },
    return_confirm: { id: "Kembalikan", en: "Return" },
    return_pick: { id: "Pilih minimal satu dokumen yang kurang.", en: "Choose at least one missing document." },
    cancel_title: { id: "Batalkan tiket?", en: "Cancel this ticket?" },
    cancel_text: { id: "Tiket yang dibatalkan tidak bisa dilanjutkan lagi.", en: "A cancelled ticket cannot be resumed." },
    cancel_confirm: { id: "Batalkan tiket", en: "Cancel ticket" },
    keep_ticket: { id: "Jangan batalkan", en: "Keep it" },
    cancel_dialog: { id: "Batal", en: "Back" },
    note_optional: { id: "Catatan (boleh kosong)", en: "Note (optional)" },
    if_any: { id: "bila ada", en: "if any" },
  });

  var OUTCOMES = {
    advanced: { id: "Diteruskan", en: "Passed on" },
    pended: { id: "Ditunda", en: "Put on hold" },
    returned: { id: "Dikembalikan", en: "Returned" },
    no_show: { id: "Tidak hadir", en: "Did not come" },
    cancelled: { id: "Dibatalkan", en: "Cancelled" },
    open: { id: "Berjalan", en: "In progress" },
    queued: { id: "Menunggu", en: "Waiting" },
    handed_over: { id: "Diserahkan", en: "Handed over" },
  };

  var state = {
    me: null,
    labels: null, // GET /api/labels
    counters: [], // GET /api/counters
    pickRole: null, // role highlighted on the station screen
    ticket: null, // the berkas open in the panel
    requirements: {}, // service code -> requirements, for the return dialog
    busy: false,
  };
  var socket = null;
  var refreshTimer = null;
  var infoTimer = null;

  var $ = function (id) {
    return document.getElementById(id);
  };

  // ---- messages -------------------------------------------------------------

  function say(text, kind) {
    var box = L.clear($("messages"));
    clearTimeout(infoTimer);
    if (!text) return;
    var isError = kind === "error";
    box.appendChild(
      h(
        "div",
        { class: "alert c-message " + (isError ? "" : kind === "ok" ? "alert-ok" : "alert-info"), role: isError ? "alert" : "status", "data-kind": kind || "info" },
        h("span", null, text),
        h("button", { type: "button", class: "btn btn-quiet c-message-close", "aria-label": L.t("close"), onclick: function () { say(""); } }, "×")
      )
    );
    if (!isError) infoTimer = setTimeout(function () { say(""); }, INFO_SECONDS * 1000);
  }

  function fail(err) {
    say(err && err.message ? err.message : String(err), "error");
  }

  // ---- views ----------------------------------------------------------------

  function showView(name) {
    ["login", "station", "desk"].forEach(function (v) {
      $("view-" + v).hidden = v !== name;
    });
    document.body.setAttribute("data-view", name);
    var loggedIn = !!(state.me && state.me.user);
    $("logout").hidden = !loggedIn;
    $("station").hidden = name !== "desk";
    $("conn").hidden = name !== "desk";
  }

  function roleLabel(code) {
    if (state.labels && state.labels.roles[code]) return L.t(state.labels.roles[code]);
    var mine = (state.me && state.me.roles) || [];
    for (var i = 0; i < mine.length; i++) if (mine[i].code === code) return L.t(mine[i].label);
    return code;
  }

  function route() {
    var me = state.me;
    if (!me || !me.user) {
      disconnect();
      showView("login");
      $("login-username").focus();
    } else if (!me.role) {
      disconnect();
      renderStation();
      showView("station");
    } else {
      renderDesk();
      showView("desk");
      connect();
      refreshLists();
      $("scan-input").focus();
    }
  }

  function loadMe() {
    return L.api("GET", "/api/me").then(function (me) {
      state.me = me;
      return me;
    });
  }

  // ---- log in / out -----------------------------------------------------------

  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var button = $("login-submit");
    button.disabled = true;
    L.api("POST", "/api/login", { username: $("login-username").value.trim(), password: $("login-password").value })
      .then(function (me) {
        state.me = me;
        $("login-password").value = "";
        say("");
        // the session was renewed at log-in: so is the CSRF token
        return L.refreshCsrf().then(loadStationData);
      })
      .then(route)
      .catch(fail)
      .then(function () {
        button.disabled = false;
      });
  });

  $("logout").addEventListener("click", function () {
    L.api("POST", "/api/logout")
      .catch(function () {})
      .then(function () {
        return L.refreshCsrf().catch(function () {});
      })
      .then(function () {
        state.me = null;
        state.ticket = null;
        renderBerkas();
        say("");
        route();
      });
  });

  // ---- station: role and counter ------------------------------------------------

  function loadStationData() {
    return Promise.all([L.api("GET", "/api/counters"), state.labels ? state.labels : L.api("GET", "/api/labels")]).then(function (res) {
      state.counters = res[0].counters || [];
      state.labels = res[1];
    });
  }

  function renderStation() {
    var me = state.me;
    if (!me || !me.user) return;
    $("station-hello").textContent = L.fmt("hello", { name: me.user.full_name });
    var roles = me.roles || [];
    if (!state.pickRole || !roles.some(function (r) { return r.code === state.pickRole; })) {
      state.pickRole = me.role || (roles[0] && roles[0].code) || null;
    }
    var roleBox = L.clear($("role-options"));
    roles.forEach(function (r) {
      roleBox.appendChild(
        h(
          "button",
          {
            type: "button",
            class: "c-option",
            "data-role": r.code,
            "aria-pressed": r.code === state.pickRole ? "true" : "false",
            onclick: function () {
              state.pickRole = r.code;
              renderStation();
            },
          },
          L.t(r.label)
        )
      );
    });
    var counterBox = L.clear($("counter-options"));
    var role = state.pickRole;
    var fitting = state.counters.filter(function (c) {
      return c.roles.indexOf(role) !== -1;
    });
    fitting.forEach(function (c) {
      counterBox.appendChild(
        h(
          "button",
          {
            type: "button",
            class: "c-option c-option-counter",
            "data-counter-id": c.id,
            "data-counter-name": c.name,
            "aria-pressed": me.counter && me.counter.id === c.id && me.role === role ? "true" : "false",
            onclick: function () {
              chooseStation(role, c.id);
            },
          },
          h("span", { class: "c-option-name" }, c.name),
          c.services.length ? h("span", { class: "c-option-sub" }, c.services.join(", ")) : null
        )
      );
    });
    var backOffice = HALL_ROLES.indexOf(role) === -1;
    if (role && backOffice) {
      counterBox.appendChild(
        h(
          "button",
          {
            type: "button",
            class: "c-option c-option-counter",
            "data-counter-id": "",
            onclick: function () {
              chooseStation(role, null);
            },
          },
          L.t("no_counter")
        )
      );
    }
    $("counter-none").hidden = !!fitting.length || backOffice;
  }

  function chooseStation(role, counterId) {
    L.api("POST", "/api/session", { role: role, counter_id: counterId })
      .then(function (me) {
        state.me = me;
        say("");
        route();
      })
      .catch(fail);
  }

  $("change-station").addEventListener("click", function () {
    disconnect();
    loadStationData()
      .then(function () {
        state.pickRole = state.me.role;
        renderStation();
        showView("station");
      })
      .catch(fail);
  });

  // ---- the desk ---------------------------------------------------------------------

  function renderDesk() {
    var me = state.me;
    $("station-user").textContent = me.user.full_name;
    $("station-role").textContent = roleLabel(me.role);
    $("station-counter").textContent = me.counter ? me.counter.name : L.t("no_counter_short");
    $("call-next").disabled = !me.counter;
    $("call-next-hint").hidden = !!me.counter;
    $("work-title").textContent = L.fmt("work_title", { role: roleLabel(me.role) });
  }

  $("call-next").addEventListener("click", function () {
    var button = $("call-next");
    button.disabled = true;
    L.api("POST", "/api/counter/call-next")
      .then(function (data) {
        if (!data.ticket) {
          say(data.message, "info");
          return;
        }
        openTicket(data.ticket);
        say(L.fmt("called_to", { number: data.ticket.number, counter: data.ticket.counter }), "ok");
        refreshLists();
      })
      .catch(fail)
      .then(function () {
        button.disabled = !state.me.counter;
      });
  });

  $("scan-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = $("scan-input");
    var code = input.value.trim();
    if (!code) return;
    L.api("POST", "/api/scan", { code: code })
      .then(function (data) {
        input.value = "";
        openTicket(data.ticket);
        say(L.fmt("loaded", { number: data.ticket.number }), "info");
      })
      .catch(function (err) {
        input.select();
        fail(err);
      });
  });

  // A USB scanner types into whatever has focus: send stray typing to the scan field.
  document.addEventListener("keydown", function (ev) {
    if (document.body.getAttribute("data-view") !== "desk") return;
    var target = ev.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
    if (typing || document.querySelector("dialog[open]")) return;
    if (ev.key.length === 1 && !ev.ctrlKey && !ev.altKey && !ev.metaKey) $("scan-input").focus();
  });

  function loadTicket(id) {
    return L.api("GET", "/api/staff/tickets/" + id).then(function (data) {
      openTicket(data.ticket);
      return data.ticket;
    });
  }

  function openTicket(ticket) {
    state.ticket = ticket;
    renderBerkas();
    markSelected();
  }

  // ---- lists: at this counter, and the role's work list -------------------------------

  function listItem(t) {
    var waited = t.state === "called" || t.state === "serving" ? "" : L.fmt("waited", { n: L.minutesBetween(t.queued_at) });
    return h(
      "li",
      null,
      h(
        "button",
        {
          type: "button",
          class: "c-item",
          "data-ticket-id": t.id,
          "data-number": t.number,
          "data-state": t.state,
          onclick: function () {
            loadTicket(t.id).catch(fail);
          },
        },
        h("span", { class: "c-item-number num" }, t.number),
        h(
          "span",
          { class: "c-item-body" },
          h("span", { class: "c-item-service" }, L.t(t.service_name)),
          h(
            "span",
            { class: "c-item-meta" },
            h("span", { class: "c-state c-state-" + t.state }, L.t(t.state_label)),
            t.priority ? h("span", { class: "pill pill-prio" }, L.t("priority")) : null,
            waited ? h("span", { class: "c-muted" }, waited) : null
          )
        )
      )
    );
  }

  function renderList(listId, emptyId, tickets) {
    var list = L.clear($(listId));
    tickets.forEach(function (t) {
      list.appendChild(listItem(t));
    });
    $(emptyId).hidden = tickets.length > 0;
    markSelected();
  }

  function markSelected() {
    document.querySelectorAll(".c-item").forEach(function (node) {
      node.setAttribute("aria-current", state.ticket && Number(node.getAttribute("data-ticket-id")) === state.ticket.id ? "true" : "false");
    });
  }

  var lists = { here: [], work: [] };

  function refreshLists() {
    clearTimeout(refreshTimer);
    if (!state.me || !state.me.role) return Promise.resolve();
    return Promise.all([L.api("GET", "/api/counter/current"), L.api("GET", "/api/worklist")])
      .then(function (res) {
        lists.here = res[0].tickets || [];
        lists.work = res[1].tickets || [];
        renderList("here-list", "here-empty", lists.here);
        renderList("work-list", "work-empty", lists.work);
      })
      .catch(function (err) {
        if (err.status === 401 || err.code === "no_role") {
          return loadMe().then(route);
        }
        fail(err);
      });
  }

  function scheduleRefresh(payload) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      refreshLists();
      if (state.ticket && payload && payload.number === state.ticket.number && !state.busy) {
        loadTicket(state.ticket.id).catch(function () {});
      }
    }, 200);
  }

  // ---- the berkas panel ------------------------------------------------------------

  function isLastStep(t) {
    return t.step === t.steps;
  }

  /** Buttons that make sense for this state, for an officer of the step's role. */
  function actionsFor(t) {
    var me = state.me;
    var admin = me.role === "admin";
    if (t.state === "done" || t.state === "cancelled") return [];
    if (t.current_role !== me.role) return admin ? ["cancel"] : [];
    switch (t.state) {
      case "waiting":
      case "ready":
        return ["start", "cancel"];
      case "called":
        return ["recall", "start", "no-show", "cancel"];
      case "serving":
        return [isLastStep(t) ? "hand-over" : "advance", "pend", "return", "cancel"];
      case "in_process":
        return ["start", "pend", "cancel"];
      case "pending":
      case "returned":
        return ["resume", "cancel"];
      case "no_show":
        return ["resume"];
      default:
        return [];
    }
  }

  var ACTION_LOOK = {
    recall: { key: "act_recall", cls: "btn" },
    start: { key: "act_start", cls: "btn btn-primary" },
    advance: { key: "act_advance", cls: "btn btn-primary" },
    "hand-over": { key: "act_hand_over", cls: "btn btn-primary" },
    pend: { key: "act_pend", cls: "btn" },
    resume: { key: "act_resume", cls: "btn btn-primary" },
    return: { key: "act_return", cls: "btn" },
    "no-show": { key: "act_no_show", cls: "btn" },
    cancel: { key: "act_cancel", cls: "btn btn-danger" },
  };

  function actionButton(t, action) {
    var look = ACTION_LOOK[action];
    var label = L.t(look.key);
    if (action === "start" && t.state === "in_process") label = L.t("act_start_process");
    var sub = null;
    if (action === "advance" && t.step_list[t.step]) {
      sub = L.fmt("next_to", { role: roleLabel(t.step_list[t.step].role) });
    }
    if (action === "recall") sub = L.fmt("calls", { n: t.call_count });
    return h(
      "button",
      {
        type: "button",
        id: "act-" + action,
        class: look.cls + " c-action c-action-" + action,
        "data-action": action,
        onclick: function () {
          onAction(action);
        },
      },
      h("span", null, label),
      sub ? h("span", { class: "c-action-sub" }, sub) : null
    );
  }

  function minutesText(n) {
    return n === null || n === undefined ? L.t("no_target") : L.fmt("target_min", { n: n });
  }

  function duration(secs) {
    if (secs === null || secs === undefined) return "";
    var m = Math.floor(secs / 60);
    var s = Math.round(secs % 60);
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function renderBerkas() {
    var t = state.ticket;
    var panel = L.clear($("berkas-panel"));
    $("berkas-empty").hidden = !!t;
    panel.hidden = !t;
    if (!t) return;
    var me = state.me;
    panel.setAttribute("data-ticket-id", t.id);
    panel.setAttribute("data-state", t.state);

    // header: number, service, state
    panel.appendChild(
      h(
        "header",
        { class: "c-panel-head" },
        h("p", { id: "berkas-number", class: "c-number num" }, t.number),
        h(
          "div",
          { class: "c-panel-title" },
          h("h2", { id: "berkas-service" }, L.t(t.service_name)),
          h(
            "p",
            { class: "c-panel-pills" },
            h("span", { id: "berkas-state", class: "c-state c-state-" + t.state, "data-state": t.state }, L.t(t.state_label)),
            t.priority_label ? h("span", { class: "pill pill-prio" }, L.t("priority") + ": " + L.t(t.priority_label)) : null,
            t.counter ? h("span", { class: "pill" }, t.counter) : null,
            t.call_count ? h("span", { class: "pill" }, L.fmt("calls", { n: t.call_count })) : null
          )
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-quiet c-close",
            id: "berkas-close",
            onclick: function () {
              state.ticket = null;
              renderBerkas();
              markSelected();
              $("scan-input").focus();
            },
          },
          L.t("close")
        )
      )
    );

    // why it stopped
    if (t.pending_label || (t.missing && t.missing.length) || t.state_note) {
      var missingNames = (t.missing || []).map(function (key) {
        var reqs = state.requirements[t.service] || [];
        var found = reqs.filter(function (r) {
          return r.key === key;
        })[0];
        return found ? L.t(found.text) : key;
      });
      panel.appendChild(
        h(
          "div",
          { class: "alert alert-info c-why" },
          t.pending_label ? h("p", null, h("strong", null, L.t(t.state_label) + ": " + L.t(t.pending_label))) : null,
          missingNames.length ? h("p", null, h("strong", null, L.t("missing")), " " + missingNames.join("; ")) : null,
          t.state_note ? h("p", null, h("strong", null, L.t("note")), " " + t.state_note) : null
        )
      );
      if (t.missing && t.missing.length && !state.requirements[t.service]) {
        loadRequirements(t.service).then(function () {
          if (state.ticket === t) renderBerkas();
        });
      }
    }

    // the current step
    var step = t.step_detail || {};
    var stepBox = h(
      "section",
      { class: "c-step", id: "berkas-step" },
      h(
        "p",
        { class: "c-step-head" },
        h("span", { class: "c-step-n" }, L.fmt("step_of", { n: t.step, m: t.steps })),
        h("span", { class: "c-step-role" }, L.t(t.current_role_label)),
        h("span", { class: "pill" }, minutesText(step.target_minutes)),
        h("span", { class: "pill" }, step.resident_present ? L.t("resident_here") : L.t("behind")),
        step.gives_pickup_slip ? h("span", { class: "pill pill-warn" }, L.t("pickup_slip")) : null
      ),
      h("p", { class: "c-step-action" }, L.t(step.action)),
      step.duties && step.duties.length
        ? h(
            "ul",
            { class: "c-duties" },
            step.duties.map(function (d) {
              return h("li", null, L.t(d));
            })
          )
        : null
    );
    panel.appendChild(stepBox);

    // actions
    var actions = actionsFor(t);
    var actionBox = h("div", { class: "c-actions", id: "berkas-actions" });
    actions.forEach(function (a) {
      actionBox.appendChild(actionButton(t, a));
    });
    if (t.state === "done" || t.state === "cancelled") {
      actionBox.appendChild(h("p", { class: "c-muted" }, L.t("closed")));
    } else if (t.current_role !== me.role) {
      actionBox.appendChild(
        h("p", { class: "alert alert-info c-not-yours" }, L.fmt("not_your_step", { role: L.t(t.current_role_label), mine: roleLabel(me.role) }))
      );
    }
    panel.appendChild(actionBox);

    // the SOP's steps, current one highlighted
    var cols = h("div", { class: "c-panel-cols" });
    cols.appendChild(
      h(
        "section",
        { class: "c-steps" },
        h("h3", null, L.t("steps")),
        h(
          "ol",
          { id: "berkas-steps" },
          (t.step_list || []).map(function (s, i) {
            var n = i + 1;
            var cls = n < t.step || t.state === "done" ? "c-step-done" : n === t.step ? "c-step-current" : "c-step-todo";
            return h(
              "li",
              { class: cls, "aria-current": n === t.step && t.state !== "done" ? "step" : null },
              h("span", { class: "c-steps-role" }, roleLabel(s.role)),
              h("span", { class: "c-steps-action" }, L.t(s.action)),
              h("span", { class: "c-steps-target" }, minutesText(s.target_minutes))
            );
          })
        )
      )
    );

    // the visit history
    var visits = t.visits || [];
    cols.appendChild(
      h(
        "section",
        { class: "c-history" },
        h("h3", null, L.t("history")),
        h(
          "table",
          { id: "berkas-visits", class: "c-table" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              ["col_step", "col_role", "col_where", "col_called", "col_started", "col_ended", "col_duration", "col_outcome"].map(function (k) {
                return h("th", { scope: "col" }, L.t(k));
              })
            )
          ),
          h(
            "tbody",
            null,
            visits.map(function (v) {
              var outcome = v.outcome ? OUTCOMES[v.outcome] || v.outcome : v.started_at ? OUTCOMES.open : OUTCOMES.queued;
              if (v.outcome === "advanced" && v.step === t.steps) outcome = OUTCOMES.handed_over;
              var verdict = v.within_target === true ? L.t("within") : v.within_target === false ? L.t("over") : "";
              return h(
                "tr",
                { class: v.within_target === false ? "c-over" : null },
                h("td", { class: "num" }, v.step),
                h("td", null, L.t(v.role_label)),
                h("td", null, [v.counter, v.officer].filter(Boolean).join(" · ")),
                h("td", { class: "num" }, L.hhmm(v.called_at)),
                h("td", { class: "num" }, L.hhmm(v.started_at)),
                h("td", { class: "num" }, L.hhmm(v.ended_at)),
                h("td", { class: "num" }, duration(v.service_seconds), verdict ? h("span", { class: "c-verdict" }, verdict) : null),
                h("td", null, L.t(outcome), v.note ? h("span", { class: "c-visit-note" }, v.note) : null)
              );
            })
          )
        )
      )
    );
    panel.appendChild(cols);
  }

  // ---- actions -----------------------------------------------------------------------

  function post(action, payload) {
    var t = state.ticket;
    if (!t || state.busy) return Promise.resolve();
    state.busy = true;
    document.querySelectorAll(".c-action").forEach(function (b) {
      b.disabled = true;
    });
    return L.api("POST", "/api/staff/tickets/" + t.id + "/" + action, payload || {})
      .then(function (data) {
        if (data.ticket) {
          openTicket(data.ticket);
          say(L.fmt("done_action", { number: data.ticket.number, state: L.t(data.ticket.state_label) }), "ok");
        }
        refreshLists();
      })
      .catch(function (err) {
        fail(err);
        renderBerkas();
      })
      .then(function () {
        state.busy = false;
      });
  }

  function onAction(action) {
    if (action === "pend") return openPend();
    if (action === "return") return openReturn();
    if (action === "cancel") return openCancel();
    post(action);
  }

  function closeDialog(dialog) {
    if (dialog.open) dialog.close();
  }

  document.querySelectorAll("dialog [data-close]").forEach(function (b) {
    b.addEventListener("click", function () {
      closeDialog(b.closest("dialog"));
    });
  });

  function openPend() {
    var box = L.clear($("pend-reasons"));
    var reasons = (state.labels && state.labels.pending_reasons) || {};
    Object.keys(reasons).forEach(function (code, i) {
      box.appendChild(
        h(
          "label",
          { class: "c-choice" },
          h("input", { type: "radio", name: "pend-reason", value: code, checked: i === 0 }),
          h("span", null, L.t(reasons[code]))
        )
      );
    });
    $("pend-note").value = "";
    $("pend-dialog").showModal();
  }

  $("pend-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var picked = document.querySelector('input[name="pend-reason"]:checked');
    if (!picked) return;
    closeDialog($("pend-dialog"));
    post("pend", { reason: picked.value, note: $("pend-note").value.trim() || null });
  });

  function loadRequirements(code) {
    if (state.requirements[code]) return Promise.resolve(state.requirements[code]);
    return L.api("GET", "/api/services/" + encodeURIComponent(code)).then(function (svc) {
      state.requirements[code] = svc.requirements || [];
      return state.requirements[code];
    });
  }

  function openReturn() {
    var t = state.ticket;
    loadRequirements(t.service)
      .then(function (reqs) {
        var box = L.clear($("return-reqs"));
        reqs.forEach(function (r) {
          box.appendChild(
            h(
              "label",
              { class: "c-choice" },
              h("input", { type: "checkbox", name: "missing", value: r.key }),
              h("span", null, L.t(r.text), r.optional ? h("span", { class: "pill pill-warn c-ifany" }, L.t("if_any")) : null)
            )
          );
        });
        $("return-note").value = "";
        $("return-error").hidden = true;
        $("return-dialog").showModal();
      })
      .catch(fail);
  }

  $("return-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var missing = Array.prototype.map.call(document.querySelectorAll('input[name="missing"]:checked'), function (i) {
      return i.value;
    });
    $("return-error").hidden = missing.length > 0;
    if (!missing.length) return;
    closeDialog($("return-dialog"));
    post("return", { missing: missing, note: $("return-note").value.trim() || null });
  });

  function openCancel() {
    $("cancel-note").value = "";
    $("cancel-dialog").showModal();
  }

  $("cancel-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    closeDialog($("cancel-dialog"));
    post("cancel", { note: $("cancel-note").value.trim() || null });
  });

  // ---- live updates ------------------------------------------------------------------

  function setConn(online) {
    $("conn").setAttribute("data-state", online ? "on" : "off");
    $("conn-text").textContent = L.t(online ? "online" : "offline");
  }

  function connect() {
    if (socket || typeof window.io !== "function") return;
    socket = window.io({ auth: { channel: "staff" }, transports: ["websocket", "polling"] });
    socket.on("connect", function () {
      setConn(true);
      refreshLists();
    });
    socket.on("disconnect", function () {
      setConn(false);
    });
    socket.on("connect_error", function () {
      setConn(false);
    });
    socket.onAny(function (event, payload) {
      if (event.indexOf("ticket.") === 0) scheduleRefresh(payload);
    });
    setConn(false);
  }

  function disconnect() {
    if (socket) {
      socket.off();
      socket.offAny();
      socket.disconnect();
      socket = null;
    }
  }

  // ---- start -------------------------------------------------------------------------

  L.onLangChange(function () {
    if (state.me && state.me.user) {
      renderStation();
      if (state.me.role) renderDesk();
    }
    renderBerkas();
    renderList("here-list", "here-empty", lists.here);
    renderList("work-list", "work-empty", lists.work);
    if (socket) setConn(socket.connected);
  });
  L.initLangSwitch();

  loadMe()
    .then(function (me) {
      if (me.user) return loadStationData();
    })
    .then(route)
    .catch(function (err) {
      fail(err);
      showView("login");
    });
})();
