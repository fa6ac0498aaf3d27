/* The staff desk: log in, choose role and counter, call, scan, and move the berkas on. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api, refreshCsrf } from "loket/request.js";
import { hhmm, minutesBetween } from "loket/time.js";

var HALL_ROLES = ["pelayanan", "pendukung"]; // roles that always work at a hall counter
var REGISTER_ROLES = ["pelayanan", "pendukung", "register", "bidang", "admin", "kepala"];
var INFO_SECONDS = 6;

var MISSING = { id: "Dokumen kurang:", en: "Missing:" };

i18n.addStrings({
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
  missing: MISSING,
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
  act_return: { id: "Kembalikan (berkas kurang)", en: "Return (documents missing)" },
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
  no_show_after: { id: "setelah {n}× panggilan", en: "after {n} calls" },
  no_show_wait: {
    id: "Tandai tidak hadir setelah dipanggil {n}× (baru {c}×).",
    en: "A no-show can be marked after {n} calls (called {c}× so far).",
  },
  // printing
  prints: { id: "Cetak", en: "Print" },
  act_reprint: { id: "Cetak ulang tiket", en: "Reprint ticket" },
  act_slip: { id: "Cetak slip pengambilan", en: "Print pickup slip" },
  printing: { id: "Mencetak…", en: "Printing…" },
  printed_ticket: { id: "Tiket {number} dicetak ulang ({printer}).", en: "Ticket {number} reprinted ({printer})." },
  printed_ticket_kiosk: { id: "Tiket {number} dicetak ulang di kiosk {kiosk}.", en: "Ticket {number} reprinted at kiosk {kiosk}." },
  printed_slip_kiosk: {
    id: "Slip pengambilan {number} dicetak di kiosk {kiosk}.",
    en: "Pickup slip {number} printed at kiosk {kiosk}.",
  },
  printed_slip: { id: "Slip pengambilan {number} dicetak ({printer}).", en: "Pickup slip {number} printed ({printer})." },
  print_failed: { id: "{number} gagal dicetak: {message}", en: "{number} was not printed: {message}" },
  alerts_title: { id: "Printer bermasalah", en: "Printer problems" },
  alert_ticket: { id: "Tiket {number} gagal dicetak ({reason}) {where}", en: "Ticket {number} was not printed ({reason}) {where}" },
  alert_slip: {
    id: "Slip pengambilan {number} gagal dicetak ({reason}) {where}",
    en: "Pickup slip {number} was not printed ({reason}) {where}",
  },
  alert_at_kiosk: { id: "di kiosk {kiosk}", en: "at kiosk {kiosk}" },
  alert_at_printer: { id: "di printer {printer}", en: "on printer {printer}" },
  alert_when: { id: "pukul {time}", en: "at {time}" },
  alert_times: { id: "gagal {n}×", en: "failed {n}×" },
  alert_help: {
    id: "Bantu penduduk di meja depan: tiketnya sudah terbit dan berlaku.",
    en: "Help the resident at the front desk: the ticket was issued and is valid.",
  },
  alert_reprint: { id: "Cetak ulang", en: "Reprint" },
  alert_retry_failed: { id: "Cetak ulang gagal: {message}", en: "Reprint failed: {message}" },
  alert_dismiss: { id: "Abaikan", en: "Dismiss" },
  alert_more: { id: "+{n} lainnya", en: "+{n} more" },
  // applicant (staff only)
  applicant: { id: "Pemohon", en: "Applicant" },
  applicant_name: { id: "Nama pemohon", en: "Applicant's name" },
  applicant_nik: { id: "NIK (16 digit)", en: "NIK (16 digits)" },
  applicant_save: { id: "Simpan pemohon", en: "Save applicant" },
  applicant_saved: { id: "Data pemohon {number} disimpan.", en: "Applicant of {number} saved." },
  applicant_none: { id: "Belum dicatat.", en: "Not recorded yet." },
  applicant_staff_only: { id: "hanya untuk petugas", en: "staff only" },
  nik_format: { id: "NIK harus 16 angka.", en: "The NIK must be 16 digits." },
  name_needed: { id: "Isi nama pemohon.", en: "Enter the applicant's name." },
  // requirements checklist
  checklist: { id: "Persyaratan dibawa", en: "Documents brought" },
  checklist_hint: { id: "Centang dokumen yang dibawa penduduk.", en: "Tick the documents the resident brought." },
  checklist_count: { id: "{n} dari {m} wajib", en: "{n} of {m} required" },
  checklist_ticked: { id: "{n} dari {m} dicentang", en: "{n} of {m} ticked" },
  all_ticked: {
    id: "Semua persyaratan wajib sudah dicentang. Pilih sendiri dokumen yang kurang.",
    en: "Every required document is ticked. Choose the missing ones yourself.",
  },
  // timer
  timer_label: { id: "Waktu tahap ini", en: "Time on this step" },
  timer_waiting: { id: "Menunggu di tahap ini", en: "Waiting at this step" },
  timer_of: { id: "dari {n} mnt", en: "of {n} min" },
  timer_over: { id: "melewati target", en: "over target" },
  overdue: { id: "Lewat target", en: "Overdue" },
  // transfer and walk-in
  act_transfer: { id: "Alihkan", en: "Transfer" },
  transfer_title: { id: "Alihkan berkas {number}", en: "Transfer berkas {number}" },
  transfer_counter: { id: "Ke loket lain", en: "To another counter" },
  transfer_service: { id: "Ke layanan lain", en: "To another service" },
  transfer_no_counter: { id: "Tidak ada loket lain untuk peran ini.", en: "No other counter serves this role." },
  transfer_service_hint: {
    id: "Hanya dari tahap penerimaan; nomor antrean tetap.",
    en: "Only from reception; the number stays.",
  },
  transfer_pick: { id: "Pilih loket atau layanan tujuan.", en: "Choose a counter or a service." },
  transfer_confirm: { id: "Alihkan", en: "Transfer" },
  transferred: { id: "{number} dialihkan.", en: "{number} transferred." },
  choose_service: { id: "— pilih layanan —", en: "— choose a service —" },
  walk_in: { id: "Layani tanpa tiket", en: "Serve without a ticket" },
  walk_in_title: { id: "Layani penduduk tanpa tiket", en: "Serve a resident without a ticket" },
  walk_in_service: { id: "Layanan", en: "Service" },
  walk_in_priority: { id: "Prioritas (boleh kosong)", en: "Priority (optional)" },
  no_priority: { id: "Bukan prioritas", en: "No priority" },
  walk_in_confirm: { id: "Terbitkan & layani", en: "Issue & serve" },
  walk_in_done: { id: "Tiket {number} diterbitkan dan sedang dilayani.", en: "Ticket {number} issued and being served." },
  walk_in_pick: { id: "Pilih layanannya.", en: "Choose the service." },
  // webcam
  camera: { id: "Kamera", en: "Camera" },
  camera_stop: { id: "Matikan kamera", en: "Stop camera" },
  camera_looking: { id: "Arahkan QR tiket ke kamera…", en: "Hold the ticket's QR up to the camera…" },
  camera_starting: { id: "Menyalakan kamera…", en: "Starting the camera…" },
  camera_denied: {
    id: "Izin kamera ditolak. Izinkan kamera untuk halaman ini di pengaturan peramban.",
    en: "Camera permission denied. Allow the camera for this page in the browser settings.",
  },
  camera_none: { id: "Tidak ada kamera yang terhubung ke komputer ini.", en: "No camera is connected to this computer." },
  camera_busy: { id: "Kamera sedang dipakai aplikasi lain.", en: "The camera is in use by another application." },
  camera_unsupported: {
    id: "Kamera tidak tersedia di halaman ini (perlu HTTPS atau localhost).",
    en: "The camera is not available on this page (needs HTTPS or localhost).",
  },
  camera_failed: { id: "Kamera tidak bisa dinyalakan: {message}", en: "The camera could not start: {message}" },
  scanner_loaded: { id: "Berkas {number} dibuka dari pemindai.", en: "Berkas {number} opened from the scanner." },
  // buku harian
  register: { id: "Buku harian", en: "Daily register" },
  register_today: { id: "Buku harian hari ini", en: "Today's register" },
  register_print: { id: "Buka & cetak", en: "Open & print" },
});

var PRINT_REASONS = {
  not_connected: { id: "printer tidak terhubung", en: "printer not connected" },
  offline: { id: "printer tidak merespons", en: "printer offline" },
  paper_out: { id: "kertas habis", en: "out of paper" },
  cover_open: { id: "tutup printer terbuka", en: "printer cover open" },
  interrupted: { id: "pencetakan terputus", en: "printing interrupted" },
};

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
  requirements: {}, // service code -> requirements, for the checklist and the return dialog
  ticked: {}, // ticket id -> {requirement key: true}: what staff ticked on the checklist
  loadedAt: 0, // Date.now() when state.ticket arrived (the step timer ticks from here)
  services: null, // GET /api/services: for transfer and walk-in
  busy: false,
  printing: false, // a reprint or slip request is on its way
  alerts: [], // GET /api/staff/alerts: today's printer failures, newest first
  alertBusy: {}, // alert group key -> true while its reprint runs
  alertErrors: {}, // alert group key -> message of the last failed reprint
};
var socket = null;
var refreshTimer = null;
var infoTimer = null;

var $ = function (id) {
  return document.getElementById(id);
};

// ---- messages -------------------------------------------------------------

function say(text, kind) {
  var box = clear($("messages"));
  clearTimeout(infoTimer);
  if (!text) return;
  var isError = kind === "error";
  box.appendChild(
    h(
      "div",
      { class: "alert c-message " + (isError ? "" : kind === "ok" ? "alert-ok" : "alert-info"), role: isError ? "alert" : "status", "data-kind": kind || "info" },
      h("span", null, text),
      h("button", { type: "button", class: "btn btn-quiet c-message-close", "aria-label": i18n.t("close"), onclick: function () { say(""); } }, "×")
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
  renderAlerts();
}

function roleLabel(code) {
  if (state.labels && state.labels.roles[code]) return i18n.t(state.labels.roles[code]);
  var mine = (state.me && state.me.roles) || [];
  for (var i = 0; i < mine.length; i++) if (mine[i].code === code) return i18n.t(mine[i].label);
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
    loadAlerts();
    $("scan-input").focus();
  }
}

function loadMe() {
  return api("GET", "/api/me").then(function (me) {
    state.me = me;
    return me;
  });
}

// ---- log in / out -----------------------------------------------------------

$("login-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  var button = $("login-submit");
  button.disabled = true;
  api("POST", "/api/login", { username: $("login-username").value.trim(), password: $("login-password").value })
    .then(function (me) {
      state.me = me;
      $("login-password").value = "";
      say("");
      // the session was renewed at log-in: so is the CSRF token
      return refreshCsrf().then(loadStationData);
    })
    .then(route)
    .catch(fail)
    .then(function () {
      button.disabled = false;
    });
});

$("logout").addEventListener("click", function () {
  api("POST", "/api/logout")
    .catch(function () {})
    .then(function () {
      return refreshCsrf().catch(function () {});
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
  return Promise.all([api("GET", "/api/counters"), state.labels ? state.labels : api("GET", "/api/labels")]).then(function (res) {
    state.counters = res[0].counters || [];
    state.labels = res[1];
  });
}

function renderStation() {
  var me = state.me;
  if (!me || !me.user) return;
  $("station-hello").textContent = i18n.fmt("hello", { name: me.user.full_name });
  var roles = me.roles || [];
  if (!state.pickRole || !roles.some(function (r) { return r.code === state.pickRole; })) {
    state.pickRole = me.role || (roles[0] && roles[0].code) || null;
  }
  var roleBox = clear($("role-options"));
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
        i18n.t(r.label)
      )
    );
  });
  var counterBox = clear($("counter-options"));
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
        i18n.t("no_counter")
      )
    );
  }
  $("counter-none").hidden = !!fitting.length || backOffice;
}

function chooseStation(role, counterId) {
  api("POST", "/api/session", { role: role, counter_id: counterId })
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
  $("station-counter").textContent = me.counter ? me.counter.name : i18n.t("no_counter_short");
  $("call-next").disabled = !me.counter;
  $("call-next-hint").hidden = !!me.counter;
  $("walk-in").hidden = !me.counter || HALL_ROLES.indexOf(me.role) === -1;
  // The buku harian holds names and NIKs: only the roles that keep or sign it (core.roles.REGISTER_ROLES).
  document.querySelector(".c-register").hidden = REGISTER_ROLES.indexOf(me.role) === -1;
  $("work-title").textContent = i18n.fmt("work_title", { role: roleLabel(me.role) });
}

$("call-next").addEventListener("click", function () {
  var button = $("call-next");
  button.disabled = true;
  api("POST", "/api/counter/call-next")
    .then(function (data) {
      if (!data.ticket) {
        say(data.message, "info");
        return;
      }
      openTicket(data.ticket);
      say(i18n.fmt("called_to", { number: data.ticket.number, counter: data.ticket.counter }), "ok");
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
  api("POST", "/api/scan", { code: code })
    .then(function (data) {
      input.value = "";
      openTicket(data.ticket);
      say(i18n.fmt("loaded", { number: data.ticket.number }), "info");
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
  return api("GET", "/api/staff/tickets/" + id).then(function (data) {
    openTicket(data.ticket);
    return data.ticket;
  });
}

function openTicket(ticket) {
  state.ticket = ticket;
  state.loadedAt = Date.now();
  renderBerkas();
  markSelected();
  if (ticket && !state.requirements[ticket.service]) {
    loadRequirements(ticket.service)
      .then(function () {
        if (state.ticket === ticket) renderBerkas();
      })
      .catch(function () {});
  }
}

// ---- lists: at this counter, and the role's work list -------------------------------

function listItem(t) {
  var waited = t.state === "called" || t.state === "serving" ? "" : i18n.fmt("waited", { n: minutesBetween(t.queued_at) });
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
        "data-overdue": t.overdue ? "true" : "false",
        onclick: function () {
          loadTicket(t.id).catch(fail);
        },
      },
      h("span", { class: "c-item-number num" }, t.number),
      h(
        "span",
        { class: "c-item-body" },
        h("span", { class: "c-item-service" }, i18n.t(t.service_name)),
        h(
          "span",
          { class: "c-item-meta" },
          h("span", { class: "c-state c-state-" + t.state }, i18n.t(t.state_label)),
          t.priority ? h("span", { class: "pill pill-prio" }, i18n.t("priority")) : null,
          t.overdue ? h("span", { class: "pill c-pill-overdue" }, i18n.t("overdue")) : null,
          waited ? h("span", { class: "c-muted" }, waited) : null
        )
      )
    )
  );
}

function renderList(listId, emptyId, tickets) {
  var list = clear($(listId));
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
  return Promise.all([api("GET", "/api/counter/current"), api("GET", "/api/worklist")])
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

/**
 * The officer's own words in the state note: a return's note starts with the missing documents
 * (written by this page for the history), which the "why" box already lists by name.
 */
function ownNote(t) {
  var note = t.state_note || "";
  if (!note || !(t.missing && t.missing.length)) return note || null;
  var prefixes = [MISSING.id, MISSING.en];
  for (var i = 0; i < prefixes.length; i++) {
    if (note.indexOf(prefixes[i]) === 0) {
      var cut = note.indexOf(". ");
      return cut === -1 ? null : note.slice(cut + 2) || null;
    }
  }
  return note;
}

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
      return ["start", "transfer", "cancel"];
    case "called":
      return ["recall", "start", "no-show", "transfer", "cancel"];
    case "serving":
      return [isLastStep(t) ? "hand-over" : "advance", "pend", "return", "transfer", "cancel"];
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
  transfer: { key: "act_transfer", cls: "btn" },
  cancel: { key: "act_cancel", cls: "btn btn-danger" },
};

function actionButton(t, action) {
  var look = ACTION_LOOK[action];
  var label = i18n.t(look.key);
  if (action === "start" && t.state === "in_process") label = i18n.t("act_start_process");
  var sub = null;
  if (action === "advance" && t.step_list[t.step]) {
    sub = i18n.fmt("next_to", { role: roleLabel(t.step_list[t.step].role) });
  }
  if (action === "recall") sub = i18n.fmt("calls", { n: t.call_count });
  // The server refuses a no-show before the office's number of calls: say so before it does.
  var tooEarly = action === "no-show" && noShowTooEarly(t);
  if (tooEarly) sub = i18n.fmt("no_show_after", { n: t.calls_before_no_show });
  return h(
    "button",
    {
      type: "button",
      id: "act-" + action,
      class: look.cls + " c-action c-action-" + action,
      "data-action": action,
      disabled: tooEarly,
      title: tooEarly ? i18n.fmt("no_show_wait", { n: t.calls_before_no_show, c: t.call_count }) : null,
      onclick: function () {
        onAction(action);
      },
    },
    h("span", null, label),
    sub ? h("span", { class: "c-action-sub" }, sub) : null
  );
}

function noShowTooEarly(t) {
  var needed = Number(t.calls_before_no_show) || 0;
  return (Number(t.call_count) || 0) < needed;
}

function minutesText(n) {
  return n === null || n === undefined ? i18n.t("no_target") : i18n.fmt("target_min", { n: n });
}

function duration(secs) {
  if (secs === null || secs === undefined) return "";
  var m = Math.floor(secs / 60);
  var s = Math.round(secs % 60);
  return m + ":" + (s < 10 ? "0" : "") + s;
}

function renderBerkas() {
  var t = state.ticket;
  var panel = clear($("berkas-panel"));
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
        h("h2", { id: "berkas-service" }, i18n.t(t.service_name)),
        h(
          "p",
          { class: "c-panel-pills" },
          h("span", { id: "berkas-state", class: "c-state c-state-" + t.state, "data-state": t.state }, i18n.t(t.state_label)),
          t.priority_label ? h("span", { class: "pill pill-prio" }, i18n.t("priority") + ": " + i18n.t(t.priority_label)) : null,
          t.counter ? h("span", { class: "pill" }, t.counter) : null,
          t.call_count ? h("span", { class: "pill" }, i18n.fmt("calls", { n: t.call_count })) : null
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
        i18n.t("close")
      )
    )
  );

  // why it stopped
  var officerNote = ownNote(t);
  if (t.pending_label || (t.missing && t.missing.length) || officerNote) {
    var missingNames = (t.missing || []).map(function (key) {
      var reqs = state.requirements[t.service] || [];
      var found = reqs.filter(function (r) {
        return r.key === key;
      })[0];
      return found ? i18n.t(found.text) : key;
    });
    panel.appendChild(
      h(
        "div",
        { class: "alert alert-info c-why" },
        t.pending_label ? h("p", null, h("strong", null, i18n.t(t.state_label) + ": " + i18n.t(t.pending_label))) : null,
        missingNames.length ? h("p", null, h("strong", null, i18n.t("missing")), " " + missingNames.join("; ")) : null,
        officerNote ? h("p", null, h("strong", null, i18n.t("note")), " " + officerNote) : null
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
      h("span", { class: "c-step-n" }, i18n.fmt("step_of", { n: t.step, m: t.steps })),
      h("span", { class: "c-step-role" }, i18n.t(t.current_role_label)),
      h("span", { class: "pill" }, minutesText(step.target_minutes)),
      h("span", { class: "pill" }, step.resident_present ? i18n.t("resident_here") : i18n.t("behind")),
      step.gives_pickup_slip ? h("span", { class: "pill pill-warn" }, i18n.t("pickup_slip")) : null
    ),
    timerBox(t),
    h("p", { class: "c-step-action" }, i18n.t(step.action)),
    step.duties && step.duties.length
      ? h(
          "ul",
          { class: "c-duties" },
          step.duties.map(function (d) {
            return h("li", null, i18n.t(d));
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
    actionBox.appendChild(h("p", { class: "c-muted" }, i18n.t("closed")));
  } else if (t.current_role !== me.role) {
    actionBox.appendChild(
      h("p", { class: "alert alert-info c-not-yours" }, i18n.fmt("not_your_step", { role: i18n.t(t.current_role_label), mine: roleLabel(me.role) }))
    );
  }
  panel.appendChild(actionBox);
  panel.appendChild(printBox(t));

  var work = h("div", { class: "c-panel-cols c-work" });
  work.appendChild(applicantBox(t));
  var checklist = checklistBox(t);
  if (checklist) work.appendChild(checklist);
  panel.appendChild(work);

  // the SOP's steps, current one highlighted
  var cols = h("div", { class: "c-panel-cols" });
  cols.appendChild(
    h(
      "section",
      { class: "c-steps" },
      h("h3", null, i18n.t("steps")),
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
            h("span", { class: "c-steps-action" }, i18n.t(s.action)),
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
      h("h3", null, i18n.t("history")),
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
              return h("th", { scope: "col" }, i18n.t(k));
            })
          )
        ),
        h(
          "tbody",
          null,
          visits.map(function (v) {
            var outcome = v.outcome ? OUTCOMES[v.outcome] || v.outcome : v.started_at ? OUTCOMES.open : OUTCOMES.queued;
            if (v.outcome === "advanced" && v.step === t.steps) outcome = OUTCOMES.handed_over;
            var verdict = v.within_target === true ? i18n.t("within") : v.within_target === false ? i18n.t("over") : "";
            return h(
              "tr",
              { class: v.within_target === false ? "c-over" : null },
              h("td", { class: "num" }, v.step),
              h("td", null, i18n.t(v.role_label)),
              h("td", null, [v.counter, v.officer].filter(Boolean).join(" · ")),
              h("td", { class: "num" }, hhmm(v.called_at)),
              h("td", { class: "num" }, hhmm(v.started_at)),
              h("td", { class: "num" }, hhmm(v.ended_at)),
              h("td", { class: "num" }, duration(v.service_seconds), verdict ? h("span", { class: "c-verdict" }, verdict) : null),
              h("td", null, i18n.t(outcome), v.note ? h("span", { class: "c-visit-note" }, v.note) : null)
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
  return api("POST", "/api/staff/tickets/" + t.id + "/" + action, payload || {})
    .then(function (data) {
      if (data.ticket) {
        openTicket(data.ticket);
        say(i18n.fmt("done_action", { number: data.ticket.number, state: i18n.t(data.ticket.state_label) }), "ok");
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
  if (action === "transfer") return openTransfer();
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
  var box = clear($("pend-reasons"));
  var reasons = (state.labels && state.labels.pending_reasons) || {};
  Object.keys(reasons).forEach(function (code, i) {
    box.appendChild(
      h(
        "label",
        { class: "c-choice" },
        h("input", { type: "radio", name: "pend-reason", value: code, checked: i === 0 }),
        h("span", null, i18n.t(reasons[code]))
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
  return api("GET", "/api/services/" + encodeURIComponent(code)).then(function (svc) {
    state.requirements[code] = svc.requirements || [];
    return state.requirements[code];
  });
}

function openReturn() {
  var t = state.ticket;
  loadRequirements(t.service)
    .then(function (reqs) {
      var box = clear($("return-reqs"));
      var ticked = tickedFor(t);
      // the unticked required documents; a service whose documents are all conditional ("bila ...")
      // proposes every unticked one, and the officer unticks what does not apply
      var unticked = reqs.filter(function (r) {
        return !r.optional && !ticked[r.key];
      });
      if (!unticked.length && !reqs.some(function (r) { return !r.optional; })) {
        unticked = reqs.filter(function (r) {
          return !ticked[r.key];
        });
      }
      var propose = {};
      unticked.forEach(function (r) {
        propose[r.key] = true;
      });
      reqs.forEach(function (r) {
        box.appendChild(
          h(
            "label",
            { class: "c-choice" },
            h("input", { type: "checkbox", name: "missing", value: r.key, checked: !!propose[r.key] }),
            h("span", null, i18n.t(r.text), r.optional ? h("span", { class: "pill pill-warn c-ifany" }, i18n.t("if_any")) : null)
          )
        );
      });
      $("return-note").value = "";
      $("return-error").hidden = true;
      $("return-all-ticked").hidden = unticked.length > 0;
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
  // the history keeps the reason: the missing documents by name, then the officer's note
  var service = state.ticket.service;
  var names = missing.map(function (key) {
    return requirementName(service, key);
  });
  var note = i18n.t("missing") + " " + names.join("; ");
  var extra = $("return-note").value.trim();
  post("return", { missing: missing, note: extra ? note + ". " + extra : note });
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

// ---- the step timer ----------------------------------------------------------------

/** Seconds on the current step now: the server's count at `as_of`, ticking on here. */
function stepSeconds(t) {
  if (t.step_elapsed_seconds === null || t.step_elapsed_seconds === undefined) return null;
  return Math.max(0, t.step_elapsed_seconds + (Date.now() - state.loadedAt) / 1000);
}

function clockText(secs) {
  secs = Math.floor(secs);
  var hrs = Math.floor(secs / 3600);
  var m = Math.floor((secs % 3600) / 60);
  var s = secs % 60;
  var mm = (hrs && m < 10 ? "0" : "") + m;
  return (hrs ? hrs + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
}

function timerLevel(secs, targetMinutes) {
  if (!targetMinutes) return "none";
  var ratio = secs / (targetMinutes * 60);
  return ratio >= 1 ? "over" : ratio >= 0.8 ? "warn" : "ok";
}

function timerBox(t) {
  if (t.state === "done" || t.state === "cancelled" || stepSeconds(t) === null) return null;
  var box = h(
    "div",
    { class: "c-timer", id: "step-timer", role: "timer", "aria-label": i18n.t("timer_label") },
    h("span", { class: "c-timer-label" }, i18n.t(t.state === "serving" || t.state === "in_process" ? "timer_label" : "timer_waiting")),
    h("span", { class: "c-timer-clock num", id: "step-timer-clock" }),
    t.step_target_minutes ? h("span", { class: "c-timer-target" }, i18n.fmt("timer_of", { n: t.step_target_minutes })) : null,
    h("span", { class: "c-timer-over", id: "step-timer-over" }, i18n.t("timer_over")),
    h("span", { class: "c-timer-bar", "aria-hidden": "true" }, h("span", { class: "c-timer-fill", id: "step-timer-fill" }))
  );
  updateTimer(box);
  return box;
}

function updateTimer(box) {
  box = box || $("step-timer");
  var t = state.ticket;
  if (!box || !t) return;
  var secs = stepSeconds(t);
  if (secs === null) return;
  var level = timerLevel(secs, t.step_target_minutes);
  box.setAttribute("data-level", level);
  box.querySelector(".c-timer-clock").textContent = clockText(secs);
  var fill = box.querySelector(".c-timer-fill");
  var ratio = t.step_target_minutes ? Math.min(1, secs / (t.step_target_minutes * 60)) : 0;
  fill.style.width = Math.round(ratio * 100) + "%";
}

setInterval(function () {
  updateTimer();
}, 1000);

// ---- the applicant (name, NIK): staff only ---------------------------------------------

var applicantDraft = {}; // ticket id -> {name, nik} being typed (survives a re-render)

function canWork(t) {
  return t.current_role === state.me.role && t.state !== "done" && t.state !== "cancelled";
}

function applicantBox(t) {
  var a = t.applicant;
  var editable = t.state === "serving" && canWork(t);
  var box = h(
    "section",
    { class: "c-applicant", id: "berkas-applicant" },
    h("h3", null, i18n.t("applicant"), " ", h("span", { class: "pill c-staff-only" }, i18n.t("applicant_staff_only"))),
    a
      ? h(
          "dl",
          { class: "c-applicant-shown", id: "applicant-shown" },
          h("dt", null, i18n.t("applicant_name")),
          h("dd", { id: "applicant-shown-name" }, a.name),
          h("dt", null, "NIK"),
          h("dd", { id: "applicant-shown-nik", class: "num" }, a.nik)
        )
      : h("p", { class: "c-muted", id: "applicant-none" }, i18n.t("applicant_none"))
  );
  if (!editable) return box;
  var draft = applicantDraft[t.id] || { name: a ? a.name : "", nik: a ? a.nik : "" };
  applicantDraft[t.id] = draft;
  var error = h("p", { class: "alert c-form-error", id: "applicant-error", role: "alert", hidden: true });
  var nameInput = h("input", {
    id: "applicant-name",
    name: "name",
    autocomplete: "off",
    maxlength: 120,
    required: true,
    value: draft.name,
    oninput: function () {
      draft.name = nameInput.value;
    },
  });
  var nikInput = h("input", {
    id: "applicant-nik",
    name: "nik",
    inputmode: "numeric",
    pattern: "[0-9]{16}",
    // no maxlength: a pasted "3273-0112-…" must not be cut before the separators are dropped
    autocomplete: "off",
    required: true,
    class: "num",
    value: draft.nik,
    oninput: function () {
      var digits = nikInput.value.replace(/\D+/g, "").slice(0, 16);
      if (digits !== nikInput.value) nikInput.value = digits;
      draft.nik = digits;
    },
  });
  var form = h(
    "form",
    {
      class: "c-applicant-form",
      id: "applicant-form",
      autocomplete: "off",
      novalidate: true,
      onsubmit: function (ev) {
        ev.preventDefault();
        var name = nameInput.value.trim();
        var nik = nikInput.value.trim();
        var problem = !name ? i18n.t("name_needed") : !/^\d{16}$/.test(nik) ? i18n.t("nik_format") : null;
        if (problem) {
          error.textContent = problem;
          error.hidden = false;
          return;
        }
        saveApplicant(t, name, nik, error);
      },
    },
    h("label", { for: "applicant-name" }, i18n.t("applicant_name")),
    nameInput,
    h("label", { for: "applicant-nik" }, i18n.t("applicant_nik")),
    nikInput,
    error,
    h("button", { type: "submit", id: "applicant-save", class: "btn btn-brand" }, i18n.t("applicant_save"))
  );
  box.appendChild(form);
  return box;
}

function saveApplicant(t, name, nik, errorNode) {
  if (state.busy) return;
  state.busy = true;
  api("POST", "/api/staff/tickets/" + t.id + "/applicant", { name: name, nik: nik })
    .then(function (data) {
      delete applicantDraft[t.id];
      openTicket(data.ticket);
      say(i18n.fmt("applicant_saved", { number: data.ticket.number }), "ok");
    })
    .catch(function (err) {
      var node = $("applicant-error") || errorNode;
      node.textContent = err.message;
      node.hidden = false;
    })
    .then(function () {
      state.busy = false;
    });
}

// ---- the requirements checklist ---------------------------------------------------------

function tickedFor(t) {
  if (!state.ticked[t.id]) state.ticked[t.id] = {};
  return state.ticked[t.id];
}

function checklistBox(t) {
  var reqs = state.requirements[t.service];
  if (!reqs || !reqs.length || t.state === "done" || t.state === "cancelled") return null;
  var ticked = tickedFor(t);
  var editable = canWork(t);
  var required = reqs.filter(function (r) {
    return !r.optional;
  });
  var countKey = required.length ? "checklist_count" : "checklist_ticked";
  if (!required.length) required = reqs; // every document is conditional: count them all
  var have = required.filter(function (r) {
    return ticked[r.key];
  }).length;
  var count = h("span", { class: "c-checklist-count", id: "checklist-count" }, i18n.fmt(countKey, { n: have, m: required.length }));
  return h(
    "section",
    { class: "c-checklist", id: "berkas-checklist" },
    h("h3", null, i18n.t("checklist"), " ", count),
    editable ? h("p", { class: "c-muted" }, i18n.t("checklist_hint")) : null,
    h(
      "ul",
      { class: "c-checklist-items" },
      reqs.map(function (r) {
        var box = h("input", {
          type: "checkbox",
          name: "req-have",
          value: r.key,
          "data-key": r.key,
          checked: !!ticked[r.key],
          disabled: !editable,
          onchange: function () {
            if (box.checked) ticked[r.key] = true;
            else delete ticked[r.key];
            var n = required.filter(function (q) {
              return ticked[q.key];
            }).length;
            count.textContent = i18n.fmt(countKey, { n: n, m: required.length });
          },
        });
        return h(
          "li",
          null,
          h(
            "label",
            { class: "c-check" },
            box,
            h(
              "span",
              null,
              i18n.t(r.text),
              r.optional ? h("span", { class: "pill pill-warn c-ifany" }, i18n.t("if_any")) : null,
              r.note && i18n.t(r.note) ? h("span", { class: "c-check-note" }, i18n.t(r.note)) : null
            )
          )
        );
      })
    )
  );
}

function requirementName(service, key) {
  var found = (state.requirements[service] || []).filter(function (r) {
    return r.key === key;
  })[0];
  return found ? i18n.t(found.text) : key;
}

// ---- transfer to another counter or service; serve a walk-in -------------------------------

function loadServices() {
  if (state.services) return Promise.resolve(state.services);
  return api("GET", "/api/services").then(function (data) {
    state.services = data;
    return data;
  });
}

function serviceOptions(select, exclude) {
  clear(select);
  select.appendChild(h("option", { value: "" }, i18n.t("choose_service")));
  (state.services.services || []).forEach(function (svc) {
    if (svc.code === exclude) return;
    select.appendChild(h("option", { value: svc.code }, i18n.t(svc.name)));
  });
}

function openTransfer() {
  var t = state.ticket;
  Promise.all([loadServices(), api("GET", "/api/counters")])
    .then(function (res) {
      state.counters = res[1].counters || state.counters;
      $("transfer-title").textContent = i18n.fmt("transfer_title", { number: t.number });
      var mine = state.me.counter ? state.me.counter.id : null;
      var fitting = state.counters.filter(function (c) {
        return c.roles.indexOf(t.current_role) !== -1 && c.id !== mine;
      });
      var box = clear($("transfer-counters"));
      fitting.forEach(function (c) {
        box.appendChild(
          h(
            "label",
            { class: "c-choice" },
            h("input", { type: "radio", name: "transfer-counter", value: c.id, "data-counter-name": c.name }),
            h("span", null, c.name)
          )
        );
      });
      $("transfer-no-counter").hidden = fitting.length > 0;
      serviceOptions($("transfer-service"), t.service);
      $("transfer-error").hidden = true;
      $("transfer-dialog").showModal();
    })
    .catch(fail);
}

$("transfer-service").addEventListener("change", function () {
  if (this.value) {
    var picked = document.querySelector('input[name="transfer-counter"]:checked');
    if (picked) picked.checked = false;
  }
});
$("transfer-counters").addEventListener("change", function () {
  $("transfer-service").value = "";
});

$("transfer-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  var picked = document.querySelector('input[name="transfer-counter"]:checked');
  var service = $("transfer-service").value;
  var payload = picked ? { counter_id: Number(picked.value) } : service ? { service: service } : null;
  $("transfer-error").hidden = !!payload;
  if (!payload) return;
  closeDialog($("transfer-dialog"));
  var number = state.ticket.number;
  post("transfer", payload).then(function () {
    if (state.ticket && state.ticket.number === number) say(i18n.fmt("transferred", { number: number }), "ok");
  });
});

$("walk-in").addEventListener("click", function () {
  loadServices()
    .then(function (data) {
      serviceOptions($("walk-in-service"), null);
      var prio = clear($("walk-in-priority"));
      prio.appendChild(h("option", { value: "" }, i18n.t("no_priority")));
      (data.priorities || []).forEach(function (p) {
        prio.appendChild(h("option", { value: p.code }, i18n.t(p.label)));
      });
      $("walk-in-error").hidden = true;
      $("walk-in-dialog").showModal();
    })
    .catch(fail);
});

$("walk-in-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  var service = $("walk-in-service").value;
  $("walk-in-error").hidden = !!service;
  if (!service) return;
  var button = $("walk-in-submit");
  button.disabled = true;
  api("POST", "/api/counter/walk-in", { service: service, priority: $("walk-in-priority").value || null })
    .then(function (data) {
      closeDialog($("walk-in-dialog"));
      openTicket(data.ticket);
      say(i18n.fmt("walk_in_done", { number: data.ticket.number }), "ok");
      refreshLists();
    })
    .catch(function (err) {
      $("walk-in-error").textContent = err.message;
      $("walk-in-error").hidden = false;
    })
    .then(function () {
      button.disabled = false;
    });
});

// ---- the webcam: frames to the server, which finds the QR ------------------------------

var FRAME_MS = 400;
var cam = { stream: null, timer: null, canvas: null, sending: false };

function cameraStatus(text, kind) {
  var node = $("camera-status");
  node.textContent = text;
  node.setAttribute("data-kind", kind || "info");
}

function cameraError(err) {
  var name = err && err.name;
  var key =
    name === "NotAllowedError" || name === "SecurityError"
      ? "camera_denied"
      : name === "NotFoundError" || name === "OverconstrainedError"
      ? "camera_none"
      : name === "NotReadableError"
      ? "camera_busy"
      : null;
  return key ? i18n.t(key) : i18n.fmt("camera_failed", { message: (err && err.message) || String(err) });
}

function startCamera() {
  if (cam.stream) return;
  $("camera-box").hidden = false;
  $("camera-video").hidden = false;
  $("camera-start").setAttribute("aria-pressed", "true");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    $("camera-video").hidden = true;
    cameraStatus(i18n.t("camera_unsupported"), "error");
    say(i18n.t("camera_unsupported"), "error");
    return;
  }
  cameraStatus(i18n.t("camera_starting"));
  navigator.mediaDevices
    .getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
    .then(function (stream) {
      if ($("camera-box").hidden) {
        stream.getTracks().forEach(function (tr) {
          tr.stop();
        });
        return;
      }
      cam.stream = stream;
      var video = $("camera-video");
      video.srcObject = stream;
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () {});
      cameraStatus(i18n.t("camera_looking"));
      cam.timer = setTimeout(grabFrame, FRAME_MS);
    })
    .catch(function (err) {
      var text = cameraError(err);
      $("camera-video").hidden = true; // no picture to show: just the reason
      cameraStatus(text, "error");
      say(text, "error");
    });
}

function stopCamera() {
  clearTimeout(cam.timer);
  cam.timer = null;
  if (cam.stream) {
    cam.stream.getTracks().forEach(function (tr) {
      tr.stop();
    });
  }
  cam.stream = null;
  var video = $("camera-video");
  video.srcObject = null;
  $("camera-box").hidden = true;
  $("camera-start").setAttribute("aria-pressed", "false");
}

function nextFrame() {
  if (cam.stream) cam.timer = setTimeout(grabFrame, FRAME_MS);
}

function grabFrame() {
  var video = $("camera-video");
  if (!cam.stream) return;
  if (video.readyState < 2 || !video.videoWidth) return nextFrame();
  var canvas = cam.canvas || (cam.canvas = document.createElement("canvas"));
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  canvas.toBlob(
    function (blob) {
      if (!blob || !cam.stream) return nextFrame();
      sendFrame(blob)
        .then(function (data) {
          if (!cam.stream) return;
          if (data && data.found && data.ticket) {
            stopCamera();
            openTicket(data.ticket);
            say(i18n.fmt("loaded", { number: data.ticket.number }), "ok");
            return;
          }
          cameraStatus(i18n.t("camera_looking"));
          nextFrame();
        })
        .catch(function (err) {
          // a forged or other-office code, or a network hiccup: say so and keep looking
          cameraStatus(err.message, "error");
          nextFrame();
        });
    },
    "image/jpeg",
    0.8
  );
}

function sendFrame(blob) {
  return api("POST", "/api/scan/frame", blob);
}

$("camera-start").addEventListener("click", function () {
  if (cam.stream || !$("camera-box").hidden) stopCamera();
  else startCamera();
});
$("camera-stop").addEventListener("click", stopCamera);

/** The scanner agent read a code for this counter: open that berkas. */
function onScannerScan(payload) {
  if (!payload || !payload.ticket) return;
  openTicket(payload.ticket);
  say(i18n.fmt("scanner_loaded", { number: payload.ticket.number }), "ok");
}

// ---- printing: reprint a ticket, print the pickup slip ---------------------------------

function printBox(t) {
  var box = h(
    "div",
    { class: "c-prints", id: "berkas-prints", role: "group", "aria-label": i18n.t("prints") },
    h("span", { class: "c-prints-label" }, i18n.t("prints")),
    h(
      "button",
      {
        type: "button",
        id: "print-ticket",
        class: "btn c-print",
        disabled: state.printing,
        onclick: function () {
          printFromPanel("reprint");
        },
      },
      i18n.t("act_reprint")
    ),
    t.gives_pickup_slip
      ? h(
          "button",
          {
            type: "button",
            id: "print-slip",
            class: "btn c-print c-print-slip",
            disabled: state.printing,
            onclick: function () {
              printFromPanel("pickup-slip");
            },
          },
          i18n.t("act_slip")
        )
      : null,
    state.printing ? h("span", { class: "c-muted c-prints-busy", role: "status" }, i18n.t("printing")) : null
  );
  return box;
}

/**
 * POST a print request. Resolves with the `print` result ({ok, printer, reason, message}),
 * also when the printer failed (502: the API still answers the result); rejects on other errors.
 */
function postPrint(url, payload) {
  return api("POST", url, payload || {})
    .then(function (data) {
      return data.print;
    })
    .catch(function (err) {
      if (err.status === 502 && err.data && err.data.print) return err.data.print;
      throw err;
    });
}

function printTicket(ticketId, action, kiosk) {
  return postPrint("/api/staff/tickets/" + ticketId + "/" + action, kiosk ? { kiosk: kiosk } : {});
}

function printedText(number, action, result, kiosk) {
  if (result.ok) {
    var key = (action === "pickup-slip" ? "printed_slip" : "printed_ticket") + (kiosk ? "_kiosk" : "");
    return i18n.fmt(key, { number: number, kiosk: kiosk, printer: shortPrinter(result.printer) });
  }
  return i18n.fmt("print_failed", { number: number, message: printMessage(result) });
}

/** "file:/var/lib/loket/tickets" -> "file:…/tickets": enough to know which printer. */
function shortPrinter(p) {
  p = String(p || "");
  if (p.length <= 36 || p.indexOf("/") === -1) return p;
  var colon = p.indexOf(":");
  return p.slice(0, colon + 1) + "…/" + p.replace(/\/+$/, "").split("/").pop();
}

/** The printer's own message in the page's language ("Indonesia (English)" from the API). */
function printMessage(result) {
  var msg = result.message || "";
  var known = PRINT_REASONS[result.reason];
  if (i18n.lang === "en") {
    var m = /\(([^()]*)\)/.exec(msg);
    if (m) return m[1] + msg.slice(m.index + m[0].length);
  }
  if (msg) return msg.replace(/\s*\([^()]*\)/, "");
  return known ? i18n.t(known) : "";
}

function printFromPanel(action) {
  var t = state.ticket;
  if (!t || state.printing) return;
  state.printing = true;
  renderBerkas();
  printTicket(t.id, action, null)
    .then(function (result) {
      say(printedText(t.number, action, result), result.ok ? "ok" : "error");
    })
    .catch(fail)
    .then(function () {
      state.printing = false;
      renderBerkas();
    });
}

// ---- printer alerts: tickets the resident did not get on paper -------------------------

var DISMISSED_KEY = "loket.counter.dismissedAlerts";

function today() {
  var d = new Date();
  return d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate();
}

function readDismissed() {
  try {
    var saved = JSON.parse(window.localStorage.getItem(DISMISSED_KEY) || "null");
    if (saved && saved.day === today() && Array.isArray(saved.keys)) return saved.keys;
  } catch {
    /* nothing remembered */
  }
  return [];
}

function dismiss(keys) {
  var all = readDismissed();
  keys.forEach(function (k) {
    if (all.indexOf(k) === -1) all.push(k);
  });
  try {
    window.localStorage.setItem(DISMISSED_KEY, JSON.stringify({ day: today(), keys: all.slice(-500) }));
  } catch {
    /* dismissed for this page only */
  }
}

function alertKey(a) {
  return [a.number, a.kind, a.at].join("|");
}

/** Failures not dismissed, one entry per ticket and kind (the newest), with how often it failed. */
function alertGroups() {
  var dismissed = readDismissed();
  var groups = [];
  var byKey = {};
  state.alerts.forEach(function (a) {
    if (dismissed.indexOf(alertKey(a)) !== -1) return;
    var key = a.number + "|" + a.kind;
    if (!byKey[key]) {
      byKey[key] = { key: key, latest: a, keys: [] };
      groups.push(byKey[key]);
    }
    byKey[key].keys.push(alertKey(a));
  });
  return groups;
}

function loadAlerts() {
  if (!state.me || !state.me.role) return Promise.resolve();
  return api("GET", "/api/staff/alerts")
    .then(function (data) {
      state.alerts = data.printer_failures || [];
      renderAlerts();
    })
    .catch(function () {
      /* alerts are a help, not a blocker: the next event tries again */
    });
}

var MAX_ALERTS = 6;

function renderAlerts() {
  var section = $("alerts");
  var list = clear($("alerts-list"));
  var onDesk = document.body.getAttribute("data-view") === "desk";
  var groups = onDesk ? alertGroups() : [];
  section.hidden = !groups.length;
  groups.slice(0, MAX_ALERTS).forEach(function (g) {
    var a = g.latest;
    var where = a.kiosk ? i18n.fmt("alert_at_kiosk", { kiosk: a.kiosk }) : a.printer ? i18n.fmt("alert_at_printer", { printer: shortPrinter(a.printer) }) : "";
    var reason = PRINT_REASONS[a.reason] ? i18n.t(PRINT_REASONS[a.reason]) : a.reason || "?";
    var text = i18n.fmt(a.kind === "slip" ? "alert_slip" : "alert_ticket", { number: a.number, reason: reason, where: where }).trim();
    var busy = !!state.alertBusy[g.key];
    var error = state.alertErrors[g.key];
    list.appendChild(
      h(
        "li",
        { class: "c-alert", "data-number": a.number, "data-kind": a.kind, "data-reason": a.reason || "" },
        h("span", { class: "c-alert-icon", "aria-hidden": "true" }, "!"),
        h(
          "div",
          { class: "c-alert-body" },
          h("p", { class: "c-alert-text" }, text),
          h(
            "p",
            { class: "c-alert-meta" },
            a.at ? i18n.fmt("alert_when", { time: hhmm(a.at) }) : null,
            g.keys.length > 1 ? " · " + i18n.fmt("alert_times", { n: g.keys.length }) : null,
            " · " + i18n.t("alert_help")
          ),
          error ? h("p", { class: "c-alert-error", role: "alert" }, i18n.fmt("alert_retry_failed", { message: error })) : null
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-brand c-alert-reprint",
            disabled: busy,
            onclick: function () {
              reprintFromAlert(g);
            },
          },
          busy ? i18n.t("printing") : i18n.t("alert_reprint")
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn c-alert-dismiss",
            "aria-label": i18n.t("alert_dismiss") + " " + a.number,
            onclick: function () {
              dismiss(g.keys);
              delete state.alertErrors[g.key];
              renderAlerts();
            },
          },
          i18n.t("alert_dismiss")
        )
      )
    );
  });
  if (groups.length > MAX_ALERTS) {
    list.appendChild(h("li", { class: "c-alert-more c-muted" }, i18n.fmt("alert_more", { n: groups.length - MAX_ALERTS })));
  }
}

function reprintFromAlert(g) {
  var a = g.latest;
  var action = a.kind === "slip" ? "pickup-slip" : "reprint";
  if (state.alertBusy[g.key]) return;
  state.alertBusy[g.key] = true;
  delete state.alertErrors[g.key];
  renderAlerts();
  api("POST", "/api/scan", { code: a.number })
    .then(function (data) {
      return printTicket(data.ticket.id, action, a.kiosk).then(function (result) {
        say(printedText(a.number, action, result, a.kiosk), result.ok ? "ok" : "error");
        if (result.ok) {
          dismiss(g.keys);
        } else {
          state.alertErrors[g.key] = printMessage(result);
        }
      });
    })
    .catch(function (err) {
      state.alertErrors[g.key] = err.message;
      fail(err);
    })
    .then(function () {
      delete state.alertBusy[g.key];
      renderAlerts();
      return loadAlerts();
    });
}

/** A ticket printed fine after it failed (here or at another desk): its alerts are solved. */
function resolveAlerts(payload) {
  if (!payload || !payload.number) return;
  var kind = payload.kind || "ticket";
  var keys = state.alerts
    .filter(function (a) {
      return a.number === payload.number && a.kind === kind;
    })
    .map(alertKey);
  if (keys.length) {
    dismiss(keys);
    renderAlerts();
  }
}

// ---- live updates ------------------------------------------------------------------

function setConn(online) {
  $("conn").setAttribute("data-state", online ? "on" : "off");
  $("conn-text").textContent = i18n.t(online ? "online" : "offline");
}

function connect() {
  if (socket || typeof window.io !== "function") return;
  socket = window.io({ auth: { channel: "staff" }, transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    setConn(true);
    refreshLists();
    loadAlerts(); // failures while this page was offline
  });
  socket.on("printer.failed", function () {
    loadAlerts(); // the list from the server carries the time of the failure
  });
  socket.on("ticket.printed", resolveAlerts);
  socket.on("scanner.scan", onScannerScan);
  socket.on("settings.changed", onSettingsChanged);
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

/** The admin changed office settings: only the office name shows here. */
function onSettingsChanged(payload) {
  var changed = (payload && payload.changed) || [];
  if (changed.indexOf("office_name") === -1) return;
  api("GET", "/api/services")
    .then(function (data) {
      var name = data.office && data.office.name;
      if (!name) return;
      document.querySelectorAll(".c-office").forEach(function (node) {
        node.textContent = name;
      });
      document.title = i18n.t("title") + " · " + name;
    })
    .catch(function () {});
}

function disconnect() {
  stopCamera();
  if (socket) {
    socket.off();
    socket.offAny();
    socket.disconnect();
    socket = null;
  }
}

// ---- start -------------------------------------------------------------------------

i18n.onLangChange(function () {
  if (state.me && state.me.user) {
    renderStation();
    if (state.me.role) renderDesk();
  }
  renderBerkas();
  renderList("here-list", "here-empty", lists.here);
  renderList("work-list", "work-empty", lists.work);
  renderAlerts();
  if (socket) setConn(socket.connected);
});
i18n.initLangSwitch();

loadMe()
  .then(function (me) {
    if (me.user) return loadStationData();
  })
  .then(route)
  .catch(function (err) {
    fail(err);
    showView("login");
  });
