/* Office settings for the admin: texts, blanko KTP-el stock, opening hours, service closures and quotas,
 * calls before no-show, personal-data retention (and its purge), how the voice reads numbers.
 * Data: GET/PUT /api/admin/settings (partial updates; 400 lists every problem as {field, message}),
 * GET /api/services, POST /api/admin/purge-personal-data. Log-in and the admin role: shell.js.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { ApiError, api } from "loket/request.js";
import * as time from "loket/time.js";
import * as Admin from "./shell.js";

var WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
var DAY_NAMES = {
  mon: { id: "Senin", en: "Monday" },
  tue: { id: "Selasa", en: "Tuesday" },
  wed: { id: "Rabu", en: "Wednesday" },
  thu: { id: "Kamis", en: "Thursday" },
  fri: { id: "Jumat", en: "Friday" },
  sat: { id: "Sabtu", en: "Saturday" },
  sun: { id: "Minggu", en: "Sunday" },
};
// What the form offers when the office switches from "always open" to hours.
var DEFAULT_HOURS = { open: "08:00", close: "15:00" };
var DEFAULT_DAYS = ["mon", "tue", "wed", "thu", "fri"];

i18n.addStrings({
  title: { id: "Pengaturan Kantor", en: "Office Settings" },
  login_hint: {
    id: "Hanya petugas dengan peran Admin yang dapat mengubah pengaturan kantor.",
    en: "Only staff with the Admin role can change the office settings.",
  },
  refused_working_as: {
    id: "Anda sedang bekerja sebagai {role}{where}. Beralih ke peran Admin untuk mengubah pengaturan.",
    en: "You are working as {role}{where}. Switch to the Admin role to change the settings.",
  },
  // save bar
  save: { id: "Simpan", en: "Save" },
  saving: { id: "Menyimpan…", en: "Saving…" },
  reset: { id: "Batalkan perubahan", en: "Discard changes" },
  save_note: { id: "Perubahan berlaku segera di semua kiosk dan layar.", en: "Changes take effect at once on every kiosk and display." },
  status_clean: { id: "Semua pengaturan tersimpan.", en: "All settings are saved." },
  status_saved_at: { id: "Tersimpan pukul {time}.", en: "Saved at {time}." },
  status_dirty: { id: "Ada perubahan yang belum disimpan.", en: "There are unsaved changes." },
  status_problems: { id: "Belum disimpan: {n} isian perlu diperbaiki.", en: "Not saved: {n} field(s) need fixing." },
  saved: { id: "Pengaturan disimpan. Berlaku segera di semua kiosk.", en: "Settings saved. They apply at once on every kiosk." },
  problems_title: {
    id: "Pengaturan tidak disimpan. Perbaiki isian bertanda merah:",
    en: "The settings were not saved. Fix the fields marked in red:",
  },
  changed_elsewhere: {
    id: "Pengaturan baru saja diubah di tempat lain. Simpan untuk menimpanya, atau Batalkan perubahan untuk memuat yang terbaru.",
    en: "The settings were just changed elsewhere. Save to overwrite them, or Discard changes to load the latest.",
  },
  leave_unsaved: { id: "Ada perubahan yang belum disimpan.", en: "There are unsaved changes." },
  // sections
  sec_office: { id: "Kantor dan tiket", en: "Office and ticket" },
  office_name: { id: "Nama kantor", en: "Office name" },
  office_name_hint: {
    id: "Tampil di kiosk, layar dan tiket. Kosongkan untuk memakai nama dari konfigurasi server.",
    en: "Shown on kiosks, displays and tickets. Leave empty to use the name from the server configuration.",
  },
  ticket_footer: { id: "Catatan kaki tiket", en: "Ticket footer" },
  ticket_footer_hint: { id: "Dicetak di bawah setiap tiket.", en: "Printed at the bottom of every ticket." },
  running_text: { id: "Teks berjalan", en: "Running text" },
  running_text_hint: {
    id: "Pengumuman yang berjalan di layar antrean. Boleh kosong.",
    en: "The announcement scrolling on the queue display. May be empty.",
  },
  sec_blanko: { id: "Stok blanko KTP-el", en: "KTP-el blank card stock" },
  blanko_stock: { id: "Jumlah blanko hari ini", en: "Blank cards today" },
  blanko_hint: {
    id: "Kosongkan bila stok tidak dicatat. Bila 0, kiosk memberi tahu bahwa Surat Keterangan (Suket) diterbitkan sebagai pengganti KTP-el.",
    en: "Leave empty when the stock is not tracked. At 0 the kiosk tells residents that a Surat Keterangan (Suket) is issued instead of the KTP-el.",
  },
  blanko_out: { id: "Blanko habis (0)", en: "Out of blanks (0)" },
  blanko_out_hint: {
    id: "Langsung disimpan; perubahan lain tetap menunggu tombol Simpan.",
    en: "Saved at once; other changes still wait for the Save button.",
  },
  blanko_state_untracked: { id: "Stok tidak dicatat", en: "Stock not tracked" },
  blanko_state_out: { id: "Habis: Suket diterbitkan", en: "Out: a Suket is issued" },
  blanko_state_stock: { id: "Tersedia: {n} blanko", en: "Available: {n} cards" },
  blanko_saved: {
    id: "Stok blanko disimpan: habis (0). Kiosk kini memberi tahu penduduk bahwa Suket diterbitkan.",
    en: "Blank stock saved: out (0). Kiosks now tell residents that a Suket is issued.",
  },
  sec_hours: { id: "Jam pengambilan tiket", en: "Ticket hours" },
  always_open: { id: "Selalu buka (tanpa jam)", en: "Always open (no hours)" },
  col_day: { id: "Hari", en: "Day" },
  col_open: { id: "Buka", en: "Opens" },
  col_close: { id: "Tutup", en: "Closes" },
  day_closed: { id: "tidak menerima tiket", en: "no tickets" },
  hours_hint: {
    id: "Format 24 jam, mis. 08:00. Hari yang tidak dicentang: tidak menerima tiket. Kiosk menolak tiket di luar jam ini.",
    en: "24-hour clock, e.g. 08:00. Unticked days take no tickets. Kiosks refuse tickets outside these hours.",
  },
  hours_always_note: {
    id: "Kiosk menerima tiket kapan saja. Jam di bawah disimpan untuk nanti, tetapi tidak berlaku.",
    en: "Kiosks take tickets at any time. The hours below are kept for later but do not apply.",
  },
  sec_queue: { id: "Panggilan, suara dan data pribadi", en: "Calls, voice and personal data" },
  calls_before_no_show: { id: "Jumlah panggilan sebelum dianggap tidak hadir", en: "Calls before a resident counts as absent" },
  calls_hint: { id: "Kosongkan untuk memakai bawaan server.", en: "Leave empty to use the server default." },
  calls_hint_default: { id: "Kosongkan untuk memakai bawaan server ({n} kali).", en: "Leave empty to use the server default ({n} calls)." },
  voice_reading: { id: "Cara suara membaca nomor", en: "How the voice reads numbers" },
  voice_default: { id: "Bawaan server", en: "Server default" },
  voice_cardinal: { id: "Bilangan", en: "As a number" },
  voice_digits: { id: "Angka per angka", en: "Digit by digit" },
  retention_days: { id: "Masa simpan data pribadi (hari)", en: "Keep personal data for (days)" },
  retention_hint: {
    id: "Nama dan NIK penduduk yang dicatat petugas dihapus setelah masa ini (UU 27/2022).",
    en: "Residents' names and NIK recorded by staff are deleted after this period (UU 27/2022).",
  },
  purge_now: { id: "Hapus data pribadi sekarang", en: "Purge personal data now" },
  purge_hint: {
    id: "Menghapus sekarang data pribadi yang sudah melewati masa simpan yang tersimpan.",
    en: "Deletes now the personal data older than the saved retention period.",
  },
  purge_title: { id: "Hapus data pribadi?", en: "Purge personal data?" },
  purge_confirm_text: {
    id: "Data pribadi (nama, NIK) yang lebih lama dari {n} hari dihapus sekarang. Tindakan ini tidak dapat dibatalkan.",
    en: "Personal data (names, NIK) older than {n} days is deleted now. This cannot be undone.",
  },
  purge_confirm_default: {
    id: "Data pribadi (nama, NIK) yang melewati masa simpan dihapus sekarang. Tindakan ini tidak dapat dibatalkan.",
    en: "Personal data (names, NIK) past the retention period is deleted now. This cannot be undone.",
  },
  purge_unsaved: {
    id: "Masa simpan yang berlaku adalah yang tersimpan, bukan yang belum disimpan di formulir.",
    en: "The saved retention period applies, not the unsaved one on the form.",
  },
  purge_yes: { id: "Ya, hapus sekarang", en: "Yes, purge now" },
  purged: { id: "{n} data pribadi dihapus (masa simpan {days} hari).", en: "{n} personal record(s) purged (kept {days} days)." },
  sec_services: { id: "Layanan: penutupan dan kuota harian", en: "Services: closures and daily quotas" },
  services_hint: {
    id: "Penutupan berlaku sampai dibuka lagi di sini. Kuota kosong = tanpa batas; kuota dihitung per hari.",
    en: "A closure lasts until it is reopened here. Empty quota = no limit; quotas count per day.",
  },
  col_service: { id: "Layanan", en: "Service" },
  col_closed: { id: "Tutup hari ini", en: "Closed today" },
  col_reason: { id: "Alasan (tampil di kiosk)", en: "Reason (shown on the kiosk)" },
  col_quota: { id: "Kuota per hari", en: "Daily quota" },
  col_today: { id: "Hari ini", en: "Today" },
  col_status: { id: "Status kiosk", en: "Kiosk status" },
  closed: { id: "Tutup", en: "Closed" },
  reason_placeholder: { id: "mis. gangguan SIAK", en: "e.g. SIAK is down" },
  quota_placeholder: { id: "tanpa batas", en: "no limit" },
  issued_today: { id: "{n} tiket terbit", en: "{n} issued" },
  remaining: { id: "sisa {n}", en: "{n} left" },
  no_quota: { id: "tanpa kuota", en: "no quota" },
  status_ok: { id: "Menerima tiket", en: "Taking tickets" },
  status_closed: { id: "Ditutup", en: "Closed" },
  status_outside_hours: { id: "Di luar jam", en: "Outside hours" },
  status_quota_full: { id: "Kuota habis", en: "Quota used up" },
  status_unsaved: { id: "belum disimpan", en: "not saved yet" },
  draft: { id: "draf SOP", en: "SOP draft" },
  prefix: { id: "Awalan {p}", en: "Prefix {p}" },
});


var state = {
  settings: null, // as last saved on the server
  services: [], // GET /api/services
  dirty: false,
  saving: false,
  savedAt: null,
  problems: [], // [{field, message}]: message as the API gave it (often pydantic's English)
  changedElsewhere: false,
};
var socket = null;
var servicesTimer = null;

var $ = Admin.$;
var say = Admin.say;

// ---- loading ----------------------------------------------------------------

/** The settings as saved, onto the form; rejects with the API's error (the shell handles 401/403). */
function openSettings() {
  return Promise.all([
    api("GET", "/api/admin/settings"),
    api("GET", "/api/services"),
    api("GET", "/api/admin/meta"),
  ]).then(function (res) {
    showDefaults(res[2].defaults || {});
    state.settings = res[0];
    state.services = res[1].services || [];
    updateOfficeTitle(res[1].office);
    fillForm(state.settings);
    clearProblems();
    setDirty(false);
    connect();
  });
}

/** An empty field means the server's default: show it as the field's placeholder. */
function showDefaults(d) {
  if (d.calls_before_no_show) $("f-calls").placeholder = String(d.calls_before_no_show);
  if (d.personal_data_retention_days) $("f-retention").placeholder = String(d.personal_data_retention_days);
}

function loadServices() {
  return api("GET", "/api/services")
    .then(function (data) {
      state.services = data.services || [];
      updateOfficeTitle(data.office);
      renderServiceStatus();
    })
    .catch(function () {
      /* the table keeps its last numbers */
    });
}

function updateOfficeTitle(office) {
  if (office && office.name) $("office-title").textContent = office.name;
}

// ---- the form: settings -> inputs ---------------------------------------------

function hhmm(value) {
  return value ? String(value).slice(0, 5) : "";
}

function fillForm(s) {
  $("f-office-name").value = s.office_name || "";
  $("f-footer").value = s.ticket_footer || "";
  $("f-running").value = s.running_text || "";
  $("f-blanko").value = s.blanko_stock === null || s.blanko_stock === undefined ? "" : String(s.blanko_stock);
  $("f-calls").value = numberText(s.calls_before_no_show);
  $("f-retention").value = numberText(s.personal_data_retention_days);
  var voice = document.querySelector('input[name="voice_reading"][value="' + (s.voice_reading || "") + '"]');
  if (voice) voice.checked = true;
  buildHours(s.hours);
  buildServices(s.services || {});
  renderBlankoState();
}

function numberText(n) {
  return n === null || n === undefined ? "" : String(n);
}

function buildHours(hours) {
  var always = hours === null || hours === undefined;
  $("f-always-open").checked = always;
  var body = clear($("hours-rows"));
  WEEKDAYS.forEach(function (day) {
    var value = always ? (DEFAULT_DAYS.indexOf(day) !== -1 ? DEFAULT_HOURS : null) : hours[day] || null;
    var open = !!value;
    var shown = value || DEFAULT_HOURS;
    body.appendChild(
      h(
        "tr",
        { class: "a-day", "data-day": day, "data-field": "hours." + day, "data-open": open ? "true" : "false" },
        h(
          "th",
          { scope: "row" },
          h(
            "label",
            { class: "a-check" },
            h("input", { type: "checkbox", class: "a-day-open", name: "day-" + day, checked: open }),
            h("span", { class: "a-day-name", "data-day-name": day }, i18n.t(DAY_NAMES[day]))
          ),
          h("span", { class: "a-day-closed", "data-i18n": "day_closed" }, i18n.t("day_closed")),
          h("p", { class: "a-problem", "data-problem-for": "hours." + day, hidden: true })
        ),
        h("td", { "data-field": "hours." + day + ".open" }, timeInput(day, "open", shown.open)),
        h("td", { "data-field": "hours." + day + ".close" }, timeInput(day, "close", shown.close))
      )
    );
  });
  renderHoursState();
}

function timeInput(day, which, value) {
  return h("input", {
    type: "text",
    class: "a-time",
    name: "hours-" + day + "-" + which,
    id: "f-" + day + "-" + which,
    value: hhmm(value),
    inputmode: "numeric",
    maxlength: "5",
    placeholder: "08:00",
    pattern: "[0-2][0-9]:[0-5][0-9]",
    "aria-label": i18n.t(DAY_NAMES[day]) + " · " + i18n.t(which === "open" ? "col_open" : "col_close"),
  });
}

function renderHoursState() {
  var always = $("f-always-open").checked;
  $("hours-table").setAttribute("data-always", always ? "true" : "false");
  var note = $("hours-always-note");
  if (!note) {
    note = h("p", { id: "hours-always-note", class: "a-always-note" });
    $("hours-table").parentNode.insertBefore(note, $("hours-table"));
  }
  note.textContent = i18n.t("hours_always_note");
  note.hidden = !always;
  document.querySelectorAll("#hours-rows .a-day").forEach(function (row) {
    var open = row.querySelector(".a-day-open").checked;
    row.setAttribute("data-open", open ? "true" : "false");
    row.querySelector(".a-day-open").disabled = always;
    row.querySelectorAll(".a-time").forEach(function (input) {
      input.disabled = always || !open;
    });
  });
}

function ruleOf(rules, code) {
  var r = rules[code] || {};
  return { closed: !!r.closed, closed_reason: r.closed_reason || "", quota: r.quota === null || r.quota === undefined ? null : r.quota };
}

function buildServices(rules) {
  var body = clear($("service-rows"));
  state.services.forEach(function (svc) {
    var rule = ruleOf(rules, svc.code);
    var base = "services." + svc.code;
    body.appendChild(
      h(
        "tr",
        { class: "a-service", "data-service": svc.code, "data-field": base, "data-closed": rule.closed ? "true" : "false" },
        h(
          "th",
          { scope: "row", class: "a-service-name" },
          h(
            "div",
            { class: "a-service-id" },
            h("span", { class: "a-prefix num", title: i18n.fmt("prefix", { p: svc.prefix }) }, svc.prefix),
            h(
              "span",
              { class: "a-service-text" },
              h("span", { class: "a-service-title", "data-name": svc.code }, i18n.t(svc.name)),
              svc.draft ? h("span", { class: "pill pill-warn a-draft" }, i18n.t("draft")) : null
            )
          ),
          h("p", { class: "a-problem", "data-problem-for": base, hidden: true })
        ),
        h(
          "td",
          { class: "a-closed-cell", "data-field": base + ".closed" },
          h(
            "label",
            { class: "a-check a-check-closed" },
            h("input", { type: "checkbox", class: "a-closed", name: "closed-" + svc.code, checked: rule.closed }),
            h("span", null, i18n.t("closed"))
          ),
          h("p", { class: "a-problem", "data-problem-for": base + ".closed", hidden: true })
        ),
        h(
          "td",
          { "data-field": base + ".closed_reason" },
          h("input", {
            type: "text",
            class: "a-reason",
            name: "reason-" + svc.code,
            value: rule.closed_reason,
            maxlength: "200",
            placeholder: i18n.t("reason_placeholder"),
            "aria-label": i18n.t("col_reason") + ": " + i18n.t(svc.name),
            disabled: !rule.closed,
          }),
          h("p", { class: "a-problem", "data-problem-for": base + ".closed_reason", hidden: true })
        ),
        h(
          "td",
          { "data-field": base + ".quota" },
          h("input", {
            type: "number",
            class: "a-quota a-number",
            name: "quota-" + svc.code,
            min: "0",
            step: "1",
            inputmode: "numeric",
            value: rule.quota === null ? "" : String(rule.quota),
            placeholder: i18n.t("quota_placeholder"),
            "aria-label": i18n.t("col_quota") + ": " + i18n.t(svc.name),
          }),
          h("p", { class: "a-problem", "data-problem-for": base + ".quota", hidden: true })
        ),
        h("td", { class: "a-today num" }),
        h("td", { class: "a-status" })
      )
    );
  });
  renderServiceStatus();
}

/** Issued today, remaining, and whether the kiosk takes tickets now (from GET /api/services). */
function renderServiceStatus() {
  var byCode = {};
  state.services.forEach(function (svc) {
    byCode[svc.code] = svc;
  });
  document.querySelectorAll("#service-rows .a-service").forEach(function (row) {
    var svc = byCode[row.getAttribute("data-service")];
    if (!svc) return;
    var av = svc.availability || { ok: true, issued_today: 0, remaining: null, quota: null };
    var today = clear(row.querySelector(".a-today"));
    today.appendChild(h("span", { class: "a-issued" }, i18n.fmt("issued_today", { n: av.issued_today || 0 })));
    today.appendChild(
      h(
        "span",
        { class: "a-remaining" + (av.remaining === 0 ? " a-remaining-none" : "") },
        av.remaining === null || av.remaining === undefined ? i18n.t("no_quota") : i18n.fmt("remaining", { n: av.remaining })
      )
    );
    var status = clear(row.querySelector(".a-status"));
    var key = av.ok ? "status_ok" : "status_" + (av.reason || "closed");
    status.appendChild(
      h(
        "span",
        {
          class: "pill " + (av.ok ? "pill-ok" : "pill-bad"),
          "data-status": av.ok ? "ok" : av.reason,
          title: av.message ? i18n.t(av.message) : null,
        },
        i18n.t(key)
      )
    );
    if (rowDiffers(row, svc.code)) status.appendChild(h("span", { class: "a-unsaved" }, i18n.t("status_unsaved")));
  });
}

function rowDiffers(row, code) {
  if (!state.settings) return false;
  var saved = ruleOf(state.settings.services || {}, code);
  var now = readRule(row);
  return saved.closed !== now.closed || (saved.quota === null ? "" : String(saved.quota)) !== row.querySelector(".a-quota").value || (saved.closed_reason || "") !== (now.closed_reason || "");
}

function renderBlankoState() {
  var raw = $("f-blanko").value.trim();
  var node = $("blanko-state");
  if (raw === "" && !$("f-blanko").validity.badInput) {
    node.setAttribute("data-state", "untracked");
    node.textContent = i18n.t("blanko_state_untracked");
  } else if (raw === "0") {
    node.setAttribute("data-state", "out");
    node.textContent = i18n.t("blanko_state_out");
  } else {
    node.setAttribute("data-state", "stock");
    node.textContent = i18n.fmt("blanko_state_stock", { n: raw || "?" });
  }
}

// ---- the form: inputs -> changes -------------------------------------------------

/** A whole-number input: null when empty; a client problem when the browser cannot read it. */
function readNumber(input, field, problems) {
  if (input.validity.badInput) {
    problems.push({ field: field, message: "Input should be a valid integer" });
    return undefined;
  }
  var raw = input.value.trim();
  return raw === "" ? null : Number(raw);
}

function readRule(row) {
  var closed = row.querySelector(".a-closed").checked;
  var reason = row.querySelector(".a-reason").value.trim();
  return { closed: closed, closed_reason: closed && reason ? reason : null };
}

/** Everything on the form as one partial update; client-side problems go in `problems`. */
function readForm(problems) {
  var changes = {
    office_name: $("f-office-name").value.trim() || null,
    ticket_footer: $("f-footer").value.trim(),
    running_text: $("f-running").value.trim(),
    blanko_stock: readNumber($("f-blanko"), "blanko_stock", problems),
  };
  // Only what this server's settings know (an older server refuses unknown fields).
  var known = state.settings || {};
  if ("calls_before_no_show" in known) {
    changes.calls_before_no_show = readNumber($("f-calls"), "calls_before_no_show", problems);
  }
  if ("personal_data_retention_days" in known) {
    changes.personal_data_retention_days = readNumber($("f-retention"), "personal_data_retention_days", problems);
  }
  var voice = document.querySelector('input[name="voice_reading"]:checked');
  if ("voice_reading" in known && voice) changes.voice_reading = voice.value || null;
  if ($("f-always-open").checked) {
    changes.hours = null;
  } else {
    changes.hours = {};
    document.querySelectorAll("#hours-rows .a-day").forEach(function (row) {
      if (!row.querySelector(".a-day-open").checked) return; // a day left out takes no tickets
      var day = row.getAttribute("data-day");
      changes.hours[day] = {
        open: row.querySelector('[name="hours-' + day + '-open"]').value.trim(),
        close: row.querySelector('[name="hours-' + day + '-close"]').value.trim(),
      };
    });
  }
  changes.services = {};
  document.querySelectorAll("#service-rows .a-service").forEach(function (row) {
    var code = row.getAttribute("data-service");
    var rule = readRule(row);
    rule.quota = readNumber(row.querySelector(".a-quota"), "services." + code + ".quota", problems);
    // only what differs from "open, no quota" is stored
    if (rule.closed || rule.closed_reason || rule.quota !== null) changes.services[code] = rule;
  });
  return changes;
}

// ---- dirty state and the save bar --------------------------------------------------

function setDirty(dirty) {
  state.dirty = dirty;
  if (!dirty) state.changedElsewhere = false;
  renderSaveBar();
}

function renderSaveBar() {
  var bar = $("savebar");
  var status = $("save-status");
  var text;
  var kind;
  if (state.saving) {
    text = i18n.t("saving");
    kind = "saving";
  } else if (state.problems.length) {
    text = i18n.fmt("status_problems", { n: state.problems.length });
    kind = "problems";
  } else if (state.dirty) {
    text = i18n.t("status_dirty");
    kind = "dirty";
  } else {
    text = state.savedAt ? i18n.fmt("status_saved_at", { time: time.hhmm(state.savedAt) }) : i18n.t("status_clean");
    kind = "clean";
  }
  if (state.changedElsewhere && state.dirty) text += " " + i18n.t("changed_elsewhere");
  bar.setAttribute("data-state", kind);
  status.textContent = text;
  $("save").disabled = state.saving;
  $("save").textContent = state.saving ? i18n.t("saving") : i18n.t("save");
  $("reset").disabled = state.saving || !state.dirty;
  $("blanko-out").disabled = state.saving;
}

var form = $("settings-form");

form.addEventListener("input", onEdit);
form.addEventListener("change", onEdit);

function onEdit(ev) {
  var target = ev.target;
  if (target === $("f-always-open") || (target.classList && target.classList.contains("a-day-open"))) renderHoursState();
  if (target.classList && target.classList.contains("a-closed")) {
    var row = target.closest(".a-service");
    var reason = row.querySelector(".a-reason");
    reason.disabled = !target.checked;
    row.setAttribute("data-closed", target.checked ? "true" : "false");
    if (target.checked && ev.type === "change") reason.focus();
  }
  if (target === $("f-blanko")) renderBlankoState();
  clearProblemAt(target);
  if (state.settings) {
    renderServiceStatus();
    if (!state.dirty) setDirty(true);
    else renderSaveBar();
  }
}

$("reset").addEventListener("click", function () {
  if (!state.settings) return;
  clearProblems();
  // the latest from the server: someone else may have saved meanwhile
  openSettings().catch(Admin.handle);
});

// ---- problems next to their fields -----------------------------------------------

/** The closest field on the form: "hours.mon.open" -> the Monday row's open box, else the row, … */
function problemSlot(field) {
  var parts = field.split(".");
  // hours.<day>.<anything>: the whole day's row shows it
  if (parts[0] === "hours" && parts.length > 2) parts = parts.slice(0, 2);
  while (parts.length) {
    var key = parts.join(".");
    var slot = document.querySelector('[data-problem-for="' + cssEscape(key) + '"]');
    if (slot) return slot;
    var box = document.querySelector('[data-field="' + cssEscape(key) + '"]');
    if (box) {
      slot = box.querySelector(".a-problem[data-problem-auto]");
      if (!slot) {
        slot = h("p", { class: "a-problem", "data-problem-for": key, "data-problem-auto": "true" });
        box.appendChild(slot);
      }
      return slot;
    }
    parts.pop();
  }
  return null;
}

function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"');
}

function markField(field) {
  var parts = field.split(".");
  while (parts.length) {
    var box = document.querySelector('[data-field="' + cssEscape(parts.join(".")) + '"]');
    if (box) {
      box.setAttribute("data-invalid", "true");
      box.querySelectorAll("input, textarea").forEach(function (input) {
        input.setAttribute("aria-invalid", "true");
      });
      return box;
    }
    parts.pop();
  }
  return null;
}

function clearProblems() {
  state.problems = [];
  document.querySelectorAll(".a-problem").forEach(function (p) {
    p.hidden = true;
    p.textContent = "";
  });
  document.querySelectorAll('[data-invalid="true"]').forEach(function (n) {
    n.removeAttribute("data-invalid");
  });
  document.querySelectorAll('[aria-invalid="true"]').forEach(function (n) {
    n.removeAttribute("aria-invalid");
  });
  $("problems").hidden = true;
  clear($("problems-list"));
  renderSaveBar();
}

function clearProblemAt(input) {
  var box = input.closest && input.closest('[data-invalid="true"]');
  if (!box) return;
  box.removeAttribute("data-invalid");
  box.querySelectorAll('[aria-invalid="true"]').forEach(function (n) {
    n.removeAttribute("aria-invalid");
  });
}

/** Show each problem next to its field and in the list at the top (links that jump to it). */
function showProblems(problems, quiet) {
  clearProblems();
  state.problems = problems;
  var list = $("problems-list");
  var first = null;
  problems.forEach(function (p) {
    var text = Admin.problemText(p.message);
    var slot = problemSlot(p.field);
    if (slot) {
      slot.hidden = false;
      slot.textContent = (slot.textContent ? slot.textContent + " " : "") + text;
    }
    var box = markField(p.field);
    var input = box && box.querySelector("input:not([type=checkbox]):not(:disabled), textarea");
    if (!first) first = input || box;
    list.appendChild(
      h(
        "li",
        { "data-problem-field": p.field },
        h(
          "button",
          {
            type: "button",
            class: "a-problem-link",
            onclick: function () {
              if (box) box.scrollIntoView({ block: "center" });
              if (input) input.focus();
            },
          },
          fieldLabel(p.field)
        ),
        ": " + text
      )
    );
  });
  $("problems-title").textContent = i18n.t("problems_title");
  $("problems").hidden = !problems.length;
  renderSaveBar();
  if (quiet) return;
  if (first && first.focus) first.focus({ preventScroll: true });
  $("problems").scrollIntoView({ block: "nearest" });
}

/** "services.penerbitan-kia.quota" -> "Penerbitan KIA · Kuota per hari". */
function fieldLabel(field) {
  var parts = field.split(".");
  var top = {
    office_name: "office_name",
    ticket_footer: "ticket_footer",
    running_text: "running_text",
    blanko_stock: "blanko_stock",
    calls_before_no_show: "calls_before_no_show",
    personal_data_retention_days: "retention_days",
    voice_reading: "voice_reading",
    hours: "sec_hours",
    services: "sec_services",
  }[parts[0]];
  var out = [top ? i18n.t(top) : parts[0]];
  if (parts[0] === "hours" && DAY_NAMES[parts[1]]) out = [i18n.t(DAY_NAMES[parts[1]])];
  if (parts[0] === "services" && parts[1]) {
    var svc = state.services.filter(function (s) {
      return s.code === parts[1];
    })[0];
    out = [svc ? i18n.t(svc.name) : parts[1]];
    var col = { quota: "col_quota", closed: "col_closed", closed_reason: "col_reason" }[parts[2]];
    if (col) out.push(i18n.t(col));
  }
  if (parts[0] === "hours" && parts[2]) out.push(i18n.t(parts[2] === "open" ? "col_open" : "col_close"));
  return out.join(" · ");
}

// ---- saving -----------------------------------------------------------------

/** PUT the settings; resolves {status, data} so a 400's `problems` reach the form (api drops them). */
/** PUT the settings; resolves {status, data} for 200 and for a 400 with problems, rejects otherwise. */
function putSettings(changes) {
  return api("PUT", "/api/admin/settings", changes)
    .then(function (data) {
      return { status: 200, data: data };
    })
    .catch(function (err) {
      if (err.data && (err.status === 400 || err.status === 401 || err.status === 403)) {
        return { status: err.status, data: err.data };
      }
      throw err;
    });
}

function save(changes, okText) {
  state.saving = true;
  renderSaveBar();
  return putSettings(changes)
    .then(function (res) {
      if (res.status === 200) {
        return res.data;
      }
      if (res.status === 400 && res.data.problems) {
        showProblems(res.data.problems.map(Admin.normaliseProblem));
        say(""); // the problems are on the form, and the save bar says so
        return null;
      }
      throw new ApiError(res.data.message || res.data.error || String(res.status), res.status, res.data.error);
    })
    .then(function (saved) {
      if (!saved) return false;
      state.savedAt = new Date();
      say(okText, "ok");
      return saved;
    })
    .catch(function (err) {
      Admin.handle(err);
      return false;
    })
    .then(function (saved) {
      state.saving = false;
      renderSaveBar();
      return saved;
    });
}

form.addEventListener("submit", function (ev) {
  ev.preventDefault();
  if (state.saving) return;
  var problems = [];
  var changes = readForm(problems);
  if (problems.length) {
    showProblems(problems);
    return;
  }
  clearProblems();
  save(changes, i18n.t("saved")).then(function (saved) {
    if (!saved) return;
    state.settings = saved;
    fillForm(saved);
    setDirty(false);
    loadServices();
  });
});

/** The morning announcement in one press: no blanks today. Saves only the stock. */
$("blanko-out").addEventListener("click", function () {
  if (state.saving) return;
  $("f-blanko").value = "0";
  renderBlankoState();
  clearProblemAt($("f-blanko"));
  var slot = document.querySelector('[data-problem-for="blanko_stock"]');
  if (slot) slot.hidden = true;
  save({ blanko_stock: 0 }, i18n.t("blanko_saved")).then(function (saved) {
    if (!saved) return;
    state.settings = saved;
    // other edits on the form stay as typed, still waiting for "Simpan"
    var problems = [];
    var rest = readForm(problems);
    var same = !problems.length && JSON.stringify(normalise(rest)) === JSON.stringify(normalise(saved));
    setDirty(!same);
    loadServices();
  });
});

/** The fields the form edits, in a comparable shape. */
function normalise(s) {
  var hours = null;
  if (s.hours) {
    hours = {};
    WEEKDAYS.forEach(function (d) {
      if (s.hours[d]) hours[d] = { open: hhmm(s.hours[d].open), close: hhmm(s.hours[d].close) };
    });
  }
  var services = {};
  Object.keys(s.services || {})
    .sort()
    .forEach(function (code) {
      var r = ruleOf(s.services, code);
      if (r.closed || r.closed_reason || r.quota !== null) services[code] = [r.closed, r.closed_reason || null, r.quota];
    });
  return [
    s.office_name || null,
    (s.ticket_footer || "").trim(),
    (s.running_text || "").trim(),
    s.blanko_stock,
    hours,
    services,
    s.calls_before_no_show === undefined ? null : s.calls_before_no_show,
    s.personal_data_retention_days === undefined ? null : s.personal_data_retention_days,
    s.voice_reading || null,
  ];
}

// ---- the purge of personal data ---------------------------------------------------

$("purge-now").addEventListener("click", function () {
  var days = state.settings ? state.settings.personal_data_retention_days : null;
  Admin.confirm({
    title: i18n.t("purge_title"),
    text: days ? i18n.fmt("purge_confirm_text", { n: days }) : i18n.t("purge_confirm_default"),
    detail: state.dirty ? i18n.t("purge_unsaved") : null,
    confirm: i18n.t("purge_yes"),
    danger: true,
  }).then(function (yes) {
    if (!yes) return;
    $("purge-now").disabled = true;
    api("POST", "/api/admin/purge-personal-data", {})
      .then(function (res) {
        say(i18n.fmt("purged", { n: res.purged, days: res.retention_days }), "ok");
      })
      .catch(Admin.handle)
      .then(function () {
        $("purge-now").disabled = false;
      });
  });
});

// ---- live: other admins, tickets issued -------------------------------------------

function connect() {
  if (socket) return;
  socket = Admin.live();
  if (!socket) return;
  socket.on("settings.changed", function () {
    if (state.saving) return; // our own save: its answer updates the form
    if (state.dirty) {
      state.changedElsewhere = true;
      renderSaveBar();
      loadServices();
      return;
    }
    api("GET", "/api/admin/settings")
      .then(function (s) {
        if (state.dirty || state.saving) return;
        state.settings = s;
        fillForm(s);
        renderSaveBar();
      })
      .catch(function () {});
    loadServices();
  });
  socket.onAny(function (event) {
    // issued today / remaining change with every ticket
    if (event === "ticket.issued" || event === "ticket.cancelled") {
      clearTimeout(servicesTimer);
      servicesTimer = setTimeout(loadServices, 300);
    }
  });
  socket.on("connect", function () {
    loadServices();
  });
}

// ---- start -------------------------------------------------------------------

function onLangChange() {
  document.querySelectorAll("[data-day-name]").forEach(function (n) {
    n.textContent = i18n.t(DAY_NAMES[n.getAttribute("data-day-name")]);
  });
  document.querySelectorAll("[data-name]").forEach(function (n) {
    var svc = state.services.filter(function (s) {
      return s.code === n.getAttribute("data-name");
    })[0];
    if (svc) n.textContent = i18n.t(svc.name);
  });
  document.querySelectorAll(".a-reason").forEach(function (n) {
    n.setAttribute("placeholder", i18n.t("reason_placeholder"));
  });
  document.querySelectorAll(".a-quota").forEach(function (n) {
    n.setAttribute("placeholder", i18n.t("quota_placeholder"));
  });
  document.querySelectorAll(".a-check-closed span").forEach(function (n) {
    n.textContent = i18n.t("closed");
  });
  document.querySelectorAll(".a-draft").forEach(function (n) {
    n.textContent = i18n.t("draft");
  });
  if (state.settings) {
    renderHoursState();
    renderServiceStatus();
    renderBlankoState();
    if (state.problems.length) {
      showProblems(state.problems.slice(), true); // in the new language
    }
  }
  renderSaveBar();
}

Admin.start({
  open: openSettings,
  close: function () {
    socket = null; // the shell closed it
    state.settings = null;
    setDirty(false);
  },
  leaving: function () {
    return state.dirty;
  },
  onLangChange: onLangChange,
});
