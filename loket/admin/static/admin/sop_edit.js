/* One service's SOP as a form (or its YAML): names, requirements, conditions, steps with roles and targets.
 * Data: GET /api/admin/meta, GET/PUT /api/admin/sops/<code>, POST /api/admin/sops (new). The server validates
 * the whole SOP and saves all of it or nothing; its problems name fields like "steps[1].target_minutes".
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { hhmm } from "loket/time.js";
import * as Admin from "./shell.js";

var $ = Admin.$;

i18n.addStrings({
  title: { id: "Layanan (SOP)", en: "Services (SOP)" },
  back_to_list: { id: "← Daftar layanan", en: "← Services" },
  tab_form: { id: "Formulir", en: "Form" },
  new_service: { id: "Layanan baru", en: "New service" },
  sec_identity: { id: "Identitas layanan", en: "The service" },
  sec_requirements: { id: "Persyaratan (yang dibawa penduduk)", en: "Requirements (what residents bring)" },
  sec_conditions: { id: "Ketentuan", en: "Conditions" },
  sec_steps: { id: "Langkah SOP", en: "SOP steps" },
  add_requirement: { id: "+ Tambah persyaratan", en: "+ Add a requirement" },
  add_condition: { id: "+ Tambah ketentuan", en: "+ Add a condition" },
  add_step: { id: "+ Tambah langkah", en: "+ Add a step" },
  add_duty: { id: "+ Tambah tugas", en: "+ Add a duty" },
  yaml_label: { id: "Berkas YAML SOP", en: "The SOP's YAML file" },
  yaml_hint: {
    id: "Ubah langsung berkas YAML; Simpan memeriksa seluruh isinya seperti formulir.",
    en: "Edit the YAML file directly; Save checks all of it, as the form does.",
  },
  yaml_stale: {
    id: "Formulir punya perubahan yang belum disimpan; YAML ini versi tersimpan terakhir. Simpan dari tab Formulir, atau ubah di sini dan Simpan (perubahan formulir dibuang).",
    en: "The form has unsaved changes; this YAML is the last saved version. Save from the Form tab, or edit here and Save (the form's changes are dropped).",
  },
  code: { id: "Kode layanan", en: "Service code" },
  code_hint: {
    id: "Huruf kecil, angka dan tanda minus, mis. aktivasi-ikd. Tidak dapat diubah setelah disimpan.",
    en: "Lowercase letters, digits and dashes, e.g. aktivasi-ikd. Cannot change once saved.",
  },
  name_id: { id: "Nama (Bahasa Indonesia)", en: "Name (Indonesian)" },
  name_en: { id: "Nama (English)", en: "Name (English)" },
  summary_id: { id: "Ringkasan (Bahasa Indonesia)", en: "Summary (Indonesian)" },
  summary_en: { id: "Ringkasan (English)", en: "Summary (English)" },
  prefix: { id: "Huruf antrean", en: "Queue letter" },
  prefix_hint: { id: "Satu huruf kapital, dipakai di nomor tiket (mis. N001).", en: "One capital letter, used in ticket numbers (e.g. N001)." },
  group: { id: "Kelompok", en: "Group" },
  order: { id: "Urutan di kiosk", en: "Order on the kiosk" },
  draft: { id: "Draf (kantor belum memastikan SOP ini)", en: "Draft (the office has not confirmed this SOP)" },
  uses_blanko: { id: "Memakai blanko KTP-el (Suket bila habis)", en: "Uses a KTP-el blank card (Suket when out)" },
  seed_title: { id: "Judul di dokumen SOP asli: {t}", en: "Title in the original SOP document: {t}" },
  req_key: { id: "Kunci", en: "Key" },
  req_key_hint: { id: "huruf kecil dan minus, unik", en: "lowercase and dashes, unique" },
  text_id: { id: "Teks (Bahasa Indonesia)", en: "Text (Indonesian)" },
  text_en: { id: "Teks (English)", en: "Text (English)" },
  note_id: { id: "Catatan (Bahasa Indonesia, boleh kosong)", en: "Note (Indonesian, optional)" },
  note_en: { id: "Catatan (English, boleh kosong)", en: "Note (English, optional)" },
  optional: { id: "Hanya bila ada (tidak wajib)", en: "Only if any (not required)" },
  requirement_n: { id: "Persyaratan {n}", en: "Requirement {n}" },
  condition_n: { id: "Ketentuan {n}", en: "Condition {n}" },
  step_n: { id: "Langkah {n}", en: "Step {n}" },
  duty_n: { id: "Tugas {n}", en: "Duty {n}" },
  role: { id: "Peran petugas", en: "Staff role" },
  action_id: { id: "Tindakan (Bahasa Indonesia)", en: "Action (Indonesian)" },
  action_en: { id: "Tindakan (English)", en: "Action (English)" },
  target_minutes: { id: "Target (menit)", en: "Target (minutes)" },
  target_hint: { id: "kosong = tanpa target", en: "empty = no target" },
  resident_present: { id: "Penduduk hadir di loket (dipanggil di layar)", en: "Resident at the counter (called on the display)" },
  gives_pickup_slip: { id: "Memberi slip pengambilan", en: "Gives the pickup slip" },
  duties: { id: "Tugas", en: "Duties" },
  move_up: { id: "Naikkan", en: "Move up" },
  move_down: { id: "Turunkan", en: "Move down" },
  remove: { id: "Hapus", en: "Remove" },
  steps_total: { id: "Jumlah target langkah: {n} menit.", en: "Step targets add up to {n} minutes." },
  steps_total_none: { id: "Belum ada langkah dengan target.", en: "No step has a target yet." },
  seed_total: {
    id: "Kiosk menampilkan total resmi {n} menit (berbeda dari jumlah langkah).",
    en: "Kiosks show the official total of {n} minutes (differs from the steps).",
  },
  seed_total_label: { id: "Total waktu resmi SOP (menit)", en: "Official SOP total (minutes)" },
  seed_total_hint: { id: "Kosong = jumlah target langkah.", en: "Empty = the sum of the step targets." },
  status_clean: { id: "Tersimpan.", en: "Saved." },
  status_new: { id: "Layanan baru, belum disimpan.", en: "New service, not saved yet." },
  status_saved_at: { id: "Tersimpan pukul {time}. Kiosk sudah diperbarui.", en: "Saved at {time}. Kiosks are updated." },
  status_dirty: { id: "Ada perubahan yang belum disimpan.", en: "There are unsaved changes." },
  status_problems: { id: "Belum disimpan: {n} isian perlu diperbaiki.", en: "Not saved: {n} field(s) need fixing." },
  saved: { id: "Layanan disimpan. Kiosk menampilkan perubahan sekarang.", en: "Service saved. Kiosks show the change now." },
  created: { id: "Layanan baru disimpan dan tampil di kiosk.", en: "New service saved and offered on the kiosks." },
  source_shipped: { id: "bawaan", en: "shipped" },
  source_edited: { id: "diubah kantor", en: "edited by the office" },
  source_office: { id: "ditambahkan kantor", en: "added by the office" },
  changed_elsewhere: {
    id: "SOP ini baru saja diubah di tempat lain. Simpan untuk menimpanya, atau muat ulang halaman.",
    en: "This SOP was just changed elsewhere. Save to overwrite it, or reload the page.",
  },
});

var FIELD_NAMES = {
  code: "code",
  name: "name_id",
  summary: "summary_id",
  prefix: "prefix",
  group: "group",
  order: "order",
  draft: "draft",
  uses_blanko: "uses_blanko",
  key: "req_key",
  role: "role",
  target_minutes: "target_minutes",
  resident_present: "resident_present",
  gives_pickup_slip: "gives_pickup_slip",
  optional: "optional",
  seed_total_minutes: "seed_total_label",
  yaml: "yaml_label",
};

var initialCode = document.getElementById("sop-form").getAttribute("data-code") || null;

var state = {
  code: initialCode, // null: a new service not saved yet
  meta: null,
  doc: null, // {code, source, sop, yaml} as last saved
  dirty: false,
  saving: false,
  savedAt: null,
  problems: [],
  tab: "form",
  codeTouched: false,
  changedElsewhere: false,
};
var socket = null;

// ---- small builders ------------------------------------------------------------

function textInput(attrs) {
  return h("input", Object.assign({ type: "text" }, attrs));
}

/** A field box whose data-field is set from its item's path + `sub` by renumber(). */
function sub(subPath, labelKey, input, hintKey) {
  var id = "i" + Math.random().toString(36).slice(2, 9);
  input.id = id;
  return h(
    "div",
    { class: "a-field", "data-sub": subPath },
    h("label", { for: id, "data-i18n": labelKey }, i18n.t(labelKey)),
    input,
    hintKey ? h("p", { class: "a-hint", "data-i18n": hintKey }, i18n.t(hintKey)) : null
  );
}

function subCheck(subPath, labelKey, checked, cls) {
  return h(
    "div",
    { class: "a-field a-field-check", "data-sub": subPath },
    h(
      "label",
      { class: "a-check a-check-box" },
      h("input", { type: "checkbox", class: cls, checked: !!checked }),
      h("span", { "data-i18n": labelKey }, i18n.t(labelKey))
    )
  );
}

function itemTools(labelKey) {
  return h(
    "div",
    { class: "a-item-head" },
    h("span", { class: "a-item-title", "data-title-key": labelKey }),
    h(
      "div",
      { class: "a-item-tools" },
      h("button", { type: "button", class: "btn a-tool a-up", "data-act": "up", "aria-label": i18n.t("move_up"), title: i18n.t("move_up") }, "↑"),
      h("button", { type: "button", class: "btn a-tool a-down", "data-act": "down", "aria-label": i18n.t("move_down"), title: i18n.t("move_down") }, "↓"),
      h(
        "button",
        { type: "button", class: "btn btn-danger a-tool a-remove", "data-act": "remove", "aria-label": i18n.t("remove"), title: i18n.t("remove") },
        "✕"
      )
    )
  );
}

function text(obj) {
  return obj || { id: "", en: "" };
}

/** Enough rows to show a text whole (about 34 characters a line in the two-column layout). */
function rows(a, b) {
  var longest = Math.max(String(a || "").length, String(b || "").length);
  return String(Math.max(2, Math.ceil(longest / 34)));
}

// ---- the form: SOP -> inputs ---------------------------------------------------

function buildIdentity(sop) {
  var box = clear($("identity"));
  var isNew = !state.code;
  var groups = (state.meta.groups || []).map(function (g) {
    return h("option", { value: g, selected: g === sop.group }, Admin.groupLabel(g));
  });
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2" },
      fieldBox("name.id", "name_id", textInput({ id: "f-name-id", value: text(sop.name).id, maxlength: "120" })),
      fieldBox("name.en", "name_en", textInput({ id: "f-name-en", value: text(sop.name).en, maxlength: "120" }))
    )
  );
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2" },
      fieldBox("summary.id", "summary_id", h("textarea", { id: "f-summary-id", rows: rows(text(sop.summary).id, text(sop.summary).en) }, text(sop.summary).id)),
      fieldBox("summary.en", "summary_en", h("textarea", { id: "f-summary-en", rows: rows(text(sop.summary).id, text(sop.summary).en) }, text(sop.summary).en))
    )
  );
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2" },
      fieldBox(
        "code",
        "code",
        textInput({ id: "f-code", value: sop.code || "", readonly: !isNew, autocapitalize: "none", spellcheck: "false" }),
        isNew ? "code_hint" : null
      ),
      fieldBox("group", "group", h("select", { id: "f-group" }, groups))
    )
  );
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2" },
      fieldBox("prefix", "prefix", textInput({ id: "f-prefix", value: sop.prefix || "", class: "a-prefix-input", autocapitalize: "characters" }), "prefix_hint"),
      fieldBox("order", "order", h("input", { type: "number", id: "f-order", value: sop.order === undefined ? 100 : sop.order, step: "1" }))
    )
  );
  box.appendChild(
    h(
      "div",
      { class: "a-row a-row-2 a-flags" },
      h(
        "div",
        { class: "a-field", "data-field": "draft" },
        h("label", { class: "a-check a-check-box" }, h("input", { type: "checkbox", id: "f-draft", checked: !!sop.draft }), h("span", { "data-i18n": "draft" }, i18n.t("draft")))
      ),
      h(
        "div",
        { class: "a-field", "data-field": "uses_blanko" },
        h(
          "label",
          { class: "a-check a-check-box" },
          h("input", { type: "checkbox", id: "f-uses-blanko", checked: !!sop.uses_blanko }),
          h("span", { "data-i18n": "uses_blanko" }, i18n.t("uses_blanko"))
        )
      )
    )
  );
  if (sop.seed_title) box.appendChild(h("p", { class: "a-hint a-seed-title", "data-seed": sop.seed_title }, i18n.fmt("seed_title", { t: sop.seed_title })));
}

function fieldBox(path, labelKey, input, hintKey) {
  return h(
    "div",
    { class: "a-field", "data-field": path },
    h("label", { for: input.id, "data-i18n": labelKey }, i18n.t(labelKey)),
    input,
    hintKey ? h("p", { class: "a-hint", "data-i18n": hintKey }, i18n.t(hintKey)) : null
  );
}

function requirementItem(r) {
  r = r || { key: "", text: null, note: null, optional: false };
  return h(
    "li",
    { class: "a-item a-req" },
    itemTools("requirement_n"),
    h(
      "div",
      { class: "a-row a-row-req" },
      sub(".key", "req_key", textInput({ class: "a-req-key", value: r.key || "", autocapitalize: "none", spellcheck: "false" }), "req_key_hint"),
      subCheck(".optional", "optional", r.optional, "a-req-optional")
    ),
    h(
      "div",
      { class: "a-row a-row-2" },
      sub(".text.id", "text_id", textInput({ class: "a-req-text-id", value: text(r.text).id })),
      sub(".text.en", "text_en", textInput({ class: "a-req-text-en", value: text(r.text).en }))
    ),
    h(
      "div",
      { class: "a-row a-row-2", "data-sub": ".note" },
      sub(".note.id", "note_id", textInput({ class: "a-req-note-id", value: text(r.note).id })),
      sub(".note.en", "note_en", textInput({ class: "a-req-note-en", value: text(r.note).en }))
    )
  );
}

function conditionItem(c) {
  c = text(c);
  return h(
    "li",
    { class: "a-item a-cond" },
    itemTools("condition_n"),
    h(
      "div",
      { class: "a-row a-row-2" },
      sub(".id", "text_id", h("textarea", { class: "a-cond-id", rows: rows(c.id, c.en) }, c.id)),
      sub(".en", "text_en", h("textarea", { class: "a-cond-en", rows: rows(c.id, c.en) }, c.en))
    )
  );
}

function dutyItem(d) {
  d = text(d);
  return h(
    "li",
    { class: "a-item a-duty" },
    itemTools("duty_n"),
    h(
      "div",
      { class: "a-row a-row-2" },
      sub(".id", "text_id", textInput({ class: "a-duty-id", value: d.id })),
      sub(".en", "text_en", textInput({ class: "a-duty-en", value: d.en }))
    )
  );
}

function stepItem(st) {
  st = st || { role: "", action: null, duties: [], target_minutes: null, resident_present: false, gives_pickup_slip: false };
  var roles = (state.meta.roles || []).filter(function (r) {
    return r.step;
  });
  var select = h(
    "select",
    { class: "a-step-role" },
    h("option", { value: "", disabled: true, selected: !st.role }, "—"),
    roles.map(function (r) {
      return h("option", { value: r.code, selected: r.code === st.role }, i18n.t(r.label));
    })
  );
  var duties = h("ol", { class: "a-list a-duties", "data-list": "duties" }, (st.duties || []).map(dutyItem));
  return h(
    "li",
    { class: "a-item a-step" },
    itemTools("step_n"),
    h(
      "div",
      { class: "a-row a-row-step" },
      sub(".role", "role", select),
      sub(
        ".target_minutes",
        "target_minutes",
        h("input", { type: "number", class: "a-step-target", min: "1", step: "1", inputmode: "numeric", value: st.target_minutes === null || st.target_minutes === undefined ? "" : st.target_minutes }),
        "target_hint"
      )
    ),
    h(
      "div",
      { class: "a-row a-row-2" },
      sub(".action.id", "action_id", h("textarea", { class: "a-step-action-id", rows: rows(text(st.action).id, text(st.action).en) }, text(st.action).id)),
      sub(".action.en", "action_en", h("textarea", { class: "a-step-action-en", rows: rows(text(st.action).id, text(st.action).en) }, text(st.action).en))
    ),
    h(
      "div",
      { class: "a-row a-row-2 a-flags" },
      subCheck(".resident_present", "resident_present", st.resident_present, "a-step-present"),
      subCheck(".gives_pickup_slip", "gives_pickup_slip", st.gives_pickup_slip, "a-step-slip")
    ),
    h(
      "details",
      { class: "a-duties-box", "data-sub": ".duties", open: (st.duties || []).length <= 3 ? true : null },
      h("summary", null, h("span", { "data-i18n": "duties" }, i18n.t("duties")), " ", h("span", { class: "a-duty-count num" })),
      duties,
      h("button", { type: "button", class: "btn a-add a-add-duty", "data-i18n": "add_duty" }, i18n.t("add_duty"))
    )
  );
}

function fillForm(sop) {
  buildIdentity(sop);
  var reqs = clear($("requirements"));
  (sop.requirements || []).forEach(function (r) {
    reqs.appendChild(requirementItem(r));
  });
  var conds = clear($("conditions"));
  (sop.conditions || []).forEach(function (c) {
    conds.appendChild(conditionItem(c));
  });
  var seed = sop.seed_total_minutes;
  $("f-seed-total").value = seed === null || seed === undefined ? "" : String(seed);
  var steps = clear($("steps"));
  (sop.steps || []).forEach(function (st) {
    steps.appendChild(stepItem(st));
  });
  renumber();
}

/** Give every list item and field its path ("steps[1].target_minutes"), so problems find their place. */
function renumber() {
  ["requirements", "conditions", "steps"].forEach(function (name) {
    number($(name), name);
  });
  var total = 0;
  var any = false;
  document.querySelectorAll("#steps .a-step-target").forEach(function (i) {
    var n = Number(i.value);
    if (i.value.trim() !== "" && n > 0) {
      total += n;
      any = true;
    }
  });
  var raw = $("f-seed-total").value.trim();
  var seed = raw !== "" && Number(raw) >= 1 ? Number(raw) : null;
  var line = any ? i18n.fmt("steps_total", { n: total }) : i18n.t("steps_total_none");
  if (seed && seed !== total) line += " " + i18n.fmt("seed_total", { n: seed });
  $("steps-total").textContent = line;
}

function number(list, base) {
  var items = Array.prototype.filter.call(list.children, function (c) {
    return c.classList.contains("a-item");
  });
  items.forEach(function (item, i) {
    var path = base + "[" + i + "]";
    item.setAttribute("data-field", path);
    item.setAttribute("data-index", String(i));
    var title = item.querySelector(":scope > .a-item-head .a-item-title");
    title.textContent = i18n.fmt(title.getAttribute("data-title-key"), { n: i + 1 });
    item.querySelector(":scope > .a-item-head .a-up").disabled = i === 0;
    item.querySelector(":scope > .a-item-head .a-down").disabled = i === items.length - 1;
    item.querySelectorAll("[data-sub]").forEach(function (box) {
      if (box.closest(".a-item") !== item) return;
      box.setAttribute("data-field", path + box.getAttribute("data-sub"));
    });
    item.querySelectorAll("[data-list]").forEach(function (nested) {
      if (nested.closest(".a-item") !== item) return;
      number(nested, path + "." + nested.getAttribute("data-list"));
      var count = item.querySelector(".a-duty-count");
      if (count) count.textContent = "(" + nested.children.length + ")";
    });
  });
}

// ---- the form: inputs -> SOP -----------------------------------------------------

function val(root, selector) {
  var node = root.querySelector(selector);
  return node ? node.value.trim() : "";
}

function pair(root, idSel, enSel) {
  return { id: val(root, idSel), en: val(root, enSel) };
}

function itemsOf(list) {
  return Array.prototype.filter.call(list.children, function (c) {
    return c.classList.contains("a-item");
  });
}

function intOrNull(raw) {
  if (raw === "") return null;
  var n = Number(raw);
  return Number.isFinite(n) ? n : raw; // let the server name what is wrong
}

/** The whole SOP as the form shows it, over the saved one (fields the form does not edit stay). */
function readForm() {
  var base = state.doc && state.doc.sop ? state.doc.sop : {};
  var sop = {};
  if (base.seed_title !== undefined && base.seed_title !== null) sop.seed_title = base.seed_title;
  var total = intOrNull($("f-seed-total").value.trim());
  if (total !== null) sop.seed_total_minutes = total; // empty: the kiosk adds up the steps
  sop.code = val(document, "#f-code");
  sop.order = intOrNull(val(document, "#f-order"));
  if (sop.order === null) sop.order = 100;
  sop.name = pair(document, "#f-name-id", "#f-name-en");
  sop.summary = pair(document, "#f-summary-id", "#f-summary-en");
  sop.prefix = $("f-prefix").value.trim();
  sop.group = $("f-group").value;
  sop.draft = $("f-draft").checked;
  sop.uses_blanko = $("f-uses-blanko").checked;
  sop.requirements = itemsOf($("requirements")).map(function (item) {
    var r = {
      key: val(item, ".a-req-key"),
      text: pair(item, ".a-req-text-id", ".a-req-text-en"),
      optional: item.querySelector(".a-req-optional").checked,
    };
    var note = pair(item, ".a-req-note-id", ".a-req-note-en");
    if (note.id || note.en) r.note = note;
    return r;
  });
  sop.conditions = itemsOf($("conditions")).map(function (item) {
    return pair(item, ".a-cond-id", ".a-cond-en");
  });
  sop.steps = itemsOf($("steps")).map(function (item) {
    var st = {
      role: item.querySelector(".a-step-role").value,
      action: pair(item, ".a-step-action-id", ".a-step-action-en"),
      duties: itemsOf(item.querySelector(".a-duties")).map(function (d) {
        return pair(d, ".a-duty-id", ".a-duty-en");
      }),
      target_minutes: intOrNull(val(item, ".a-step-target")),
      resident_present: item.querySelector(".a-step-present").checked,
      gives_pickup_slip: item.querySelector(".a-step-slip").checked,
    };
    return st;
  });
  return sop;
}

// ---- editing the lists -----------------------------------------------------------

$("sop-form").addEventListener("click", function (ev) {
  var btn = ev.target.closest("button");
  if (!btn) return;
  var act = btn.getAttribute("data-act");
  if (act) {
    var item = btn.closest(".a-item");
    var list = item.parentNode;
    if (act === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    if (act === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    if (act === "remove") {
      var next = item.nextElementSibling || item.previousElementSibling;
      list.removeChild(item);
      if (next) (next.querySelector("input, textarea, select") || next).focus();
    } else {
      btn.focus();
    }
    changed();
    return;
  }
  if (btn.classList.contains("a-add-duty")) {
    var duties = btn.parentNode.querySelector(".a-duties");
    var d = dutyItem();
    duties.appendChild(d);
    changed();
    d.querySelector("input").focus();
  }
});

function addTo(listId, item) {
  $(listId).appendChild(item);
  changed();
  item.scrollIntoView({ block: "nearest" });
  var first = item.querySelector("input:not([type=checkbox]), textarea, select");
  if (first) first.focus();
}

$("add-requirement").addEventListener("click", function () {
  addTo("requirements", requirementItem());
});
$("add-condition").addEventListener("click", function () {
  addTo("conditions", conditionItem());
});
$("add-step").addEventListener("click", function () {
  addTo("steps", stepItem());
});

function slug(s) {
  return s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 41);
}

function changed() {
  renumber();
  setDirty(true);
}

$("sop-form").addEventListener("input", function (ev) {
  var t = ev.target;
  if (t.id === "f-code") state.codeTouched = true;
  if (t.id === "f-name-id" && !state.code && !state.codeTouched) $("f-code").value = slug(t.value);
  clearProblemAt(t);
  if (t.classList.contains("a-step-target") || t.id === "f-seed-total") renumber();
  setDirty(true);
});
$("sop-form").addEventListener("change", function (ev) {
  clearProblemAt(ev.target);
  setDirty(true);
});

function clearProblemAt(input) {
  var box = input.closest && input.closest('[data-invalid="true"]');
  if (!box) return;
  box.removeAttribute("data-invalid");
  box.querySelectorAll('[aria-invalid="true"]').forEach(function (n) {
    n.removeAttribute("aria-invalid");
  });
}

// ---- tabs -----------------------------------------------------------------------

function showTab(tab) {
  state.tab = tab;
  $("tab-form").setAttribute("aria-selected", tab === "form" ? "true" : "false");
  $("tab-yaml").setAttribute("aria-selected", tab === "yaml" ? "true" : "false");
  $("panel-form").hidden = tab !== "form";
  $("panel-yaml").hidden = tab !== "yaml";
  if (tab === "yaml") {
    $("yaml-note").textContent = state.dirty && !state.yamlDirty ? i18n.t("yaml_stale") : i18n.t("yaml_hint");
  }
}

$("tab-form").addEventListener("click", function () {
  showTab("form");
});
$("tab-yaml").addEventListener("click", function () {
  showTab("yaml");
});
$("sop-yaml").addEventListener("input", function () {
  state.yamlDirty = true;
});

// ---- the save bar -----------------------------------------------------------------

function setDirty(dirty) {
  state.dirty = dirty;
  if (!dirty) {
    state.yamlDirty = false;
    state.changedElsewhere = false;
  }
  renderSaveBar();
}

function renderSaveBar() {
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
  } else if (!state.code) {
    text = i18n.t("status_new");
    kind = "dirty";
  } else {
    text = state.savedAt ? i18n.fmt("status_saved_at", { time: hhmm(state.savedAt) }) : i18n.t("status_clean");
    kind = "clean";
  }
  if (state.changedElsewhere) text += " " + i18n.t("changed_elsewhere");
  $("savebar").setAttribute("data-state", kind);
  $("save-status").textContent = text;
  $("save").disabled = state.saving;
  $("save").textContent = state.saving ? i18n.t("saving") : i18n.t("save");
  renderTitle();
}

function renderTitle() {
  var sop = state.doc && state.doc.sop;
  var title = $("sop-title");
  clear(title);
  if (!sop) {
    title.textContent = i18n.t("new_service");
    return;
  }
  title.appendChild(h("span", { class: "a-prefix num" }, sop.prefix));
  title.appendChild(h("span", { class: "a-sop-name" }, i18n.t(sop.name)));
  var source = state.doc.source;
  if (source) title.appendChild(h("span", { class: "pill pill-source-" + source, "data-source": source }, i18n.t("source_" + source)));
}

// ---- problems ----------------------------------------------------------------------

function fieldLabel(field) {
  var out = [];
  var re = /([a-z_]+)(?:\[(\d+)\])?/g;
  var m;
  var items = { requirements: "requirement_n", conditions: "condition_n", steps: "step_n", duties: "duty_n" };
  var last = null;
  while ((m = re.exec(field))) {
    var name = m[1];
    if (m[2] !== undefined && items[name]) {
      out.push(i18n.fmt(items[name], { n: Number(m[2]) + 1 }));
    } else if (m[2] === undefined && items[name]) {
      out.push(i18n.t("sec_" + name));
    } else if (name === "id" || name === "en") {
      if (last && /^(text|note|action|name|summary)$/.test(last)) {
        var key = (last === "text" ? "text" : last) + "_" + name;
        out[out.length - 1] = i18n.t(key);
      } else {
        out.push(name === "id" ? "Bahasa Indonesia" : "English");
      }
    } else if (name === "text" || name === "note" || name === "action" || name === "name" || name === "summary") {
      out.push(i18n.t(name + "_id"));
    } else {
      out.push(FIELD_NAMES[name] ? i18n.t(FIELD_NAMES[name]) : name);
    }
    last = name;
  }
  return out.join(" · ") || field;
}

/**
 * The server's problems in the editor's words: an empty text is "required" (not "at least one"),
 * a step without a role asks for one, and "steps" is only required when no step is left.
 */
function tidyProblems(problems) {
  var haveSteps = itemsOf($("steps")).length > 0;
  return problems.map(Admin.normaliseProblem).filter(function (p) {
    if (p.field === "steps" && haveSteps && /at least 1 item/i.test(p.message)) return false;
    return true;
  }).map(function (p) {
    var message = p.message;
    if (/at least 1 character|valid dictionary or instance of Text/i.test(message)) message = "Field required";
    if (/(^|\.)role$/.test(p.field) && /^Input should be '|^Field required/i.test(message)) message = "Pilih peran petugas. (Choose a staff role.)";
    return { field: p.field, message: message };
  });
}

function showProblems(problems) {
  state.problems = tidyProblems(problems);
  var first = Admin.showProblems($("sop-form"), $("problems"), state.problems, fieldLabel);
  renderSaveBar();
  $("problems").scrollIntoView({ block: "nearest" });
  if (first && first.focus && state.tab === "form") first.focus({ preventScroll: true });
}

function clearProblems() {
  state.problems = [];
  Admin.clearProblems($("sop-form"), $("problems"));
}

// ---- saving ---------------------------------------------------------------------------

$("sop-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  if (state.saving) return;
  var payload = state.tab === "yaml" ? { yaml: $("sop-yaml").value } : { sop: readForm() };
  var isNew = !state.code;
  var url = isNew ? "/api/admin/sops" : "/api/admin/sops/" + encodeURIComponent(state.code);
  state.saving = true;
  renderSaveBar();
  api(isNew ? "POST" : "PUT", url, payload)
    .then(function (doc) {
      state.saving = false;
      clearProblems();
      accept(doc);
      state.savedAt = new Date();
      setDirty(false);
      Admin.say(i18n.t(isNew ? "created" : "saved"), "ok");
      if (isNew) window.history.replaceState(null, "", "/admin/sops/" + encodeURIComponent(doc.code));
    })
    .catch(function (err) {
      state.saving = false;
      if (err.status === 400 && err.data && err.data.problems) {
        showProblems(err.data.problems);
        Admin.say("");
        return;
      }
      renderSaveBar();
      Admin.handle(err);
    });
});

/** A saved SOP from the server, onto the page. */
function accept(doc) {
  state.doc = doc;
  state.code = doc.code;
  fillForm(doc.sop);
  $("sop-yaml").value = doc.yaml || "";
  document.title = i18n.t(doc.sop.name) + " · " + document.title.split(" · ").slice(-1)[0];
}

// ---- loading ----------------------------------------------------------------------------

function blank() {
  return {
    code: "",
    order: 100,
    name: { id: "", en: "" },
    summary: { id: "", en: "" },
    prefix: "",
    group: "lainnya",
    draft: false,
    uses_blanko: false,
    requirements: [{ key: "", text: null, optional: false }],
    conditions: [],
    steps: [
      { role: "pelayanan", action: null, duties: [], target_minutes: null, resident_present: true, gives_pickup_slip: false },
    ],
  };
}

function open() {
  var requests = [api("GET", "/api/admin/meta")];
  if (state.code) requests.push(api("GET", "/api/admin/sops/" + encodeURIComponent(state.code)));
  return Promise.all(requests).then(function (res) {
    state.meta = res[0];
    if (state.code) {
      accept(res[1]);
    } else {
      state.doc = null;
      fillForm(blank());
      $("sop-yaml").value = "";
    }
    clearProblems();
    setDirty(false);
    showTab(state.code ? state.tab : "form");
    $("tab-yaml").hidden = !state.code;
    socket = Admin.live();
    if (socket) {
      socket.on("catalog.changed", function (payload) {
        var codes = (payload && payload.codes) || [];
        if (state.saving || !state.code || codes.indexOf(state.code) === -1) return;
        if (state.dirty) {
          state.changedElsewhere = true;
          renderSaveBar();
        }
      });
    }
  });
}

function onLangChange() {
  document.querySelectorAll("#sop-form [data-i18n]").forEach(function (n) {
    n.textContent = i18n.t(n.getAttribute("data-i18n"));
  });
  if (state.meta) {
    document.querySelectorAll(".a-step-role option[value]").forEach(function (o) {
      var r = state.meta.roles.filter(function (x) {
        return x.code === o.value;
      })[0];
      if (r) o.textContent = i18n.t(r.label);
    });
    document.querySelectorAll("#f-group option").forEach(function (o) {
      o.textContent = Admin.groupLabel(o.value);
    });
  }
  document.querySelectorAll(".a-tool").forEach(function (b) {
    var key = { up: "move_up", down: "move_down", remove: "remove" }[b.getAttribute("data-act")];
    b.setAttribute("aria-label", i18n.t(key));
    b.setAttribute("title", i18n.t(key));
  });
  var seed = document.querySelector(".a-seed-title");
  if (seed) seed.textContent = i18n.fmt("seed_title", { t: seed.getAttribute("data-seed") });
  renumber();
  if (state.problems.length) Admin.showProblems($("sop-form"), $("problems"), state.problems, fieldLabel);
  renderSaveBar();
}

Admin.start({
  open: open,
  close: function () {
    socket = null;
    setDirty(false);
  },
  leaving: function () {
    return state.dirty;
  },
  onLangChange: onLangChange,
});
