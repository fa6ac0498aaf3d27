/* The admin pages' shell on top of the staff shell (static/js/staff.js): the admin role, the nav bar's strings,
 * dialogs and problems next to fields. Each page calls Admin.start({open, close, onLangChange, leaving}) once;
 * `open` loads its data from /api/admin/*.
 */
(function () {
  "use strict";

  var L = window.Loket;
  var S = window.Staff;
  var h = L.h;

  L.addStrings({
    to_counter: { id: "Meja Petugas", en: "Officer Desk" },
    login_title: { id: "Masuk sebagai admin", en: "Admin log in" },
    login_hint: {
      id: "Hanya petugas dengan peran Admin yang dapat membuka halaman ini.",
      en: "Only staff with the Admin role can open this page.",
    },
    refused_title: { id: "Halaman ini khusus admin", en: "This page is for admins" },
    refused_hint: { id: "Masuk dengan akun yang memiliki peran Admin.", en: "Log in with an account that holds the Admin role." },
    refused_working_as: {
      id: "Anda sedang bekerja sebagai {role}{where}. Beralih ke peran Admin untuk membuka halaman ini.",
      en: "You are working as {role}{where}. Switch to the Admin role to open this page.",
    },
    switch_admin: { id: "Beralih ke peran Admin", en: "Switch to the Admin role" },
    who: { id: "{name} · Admin", en: "{name} · Admin" },
    cancel: { id: "Batal", en: "Cancel" },
    leave_unsaved: { id: "Ada perubahan yang belum disimpan.", en: "There are unsaved changes." },
    problems_title: {
      id: "Belum disimpan. Perbaiki isian bertanda merah:",
      en: "Not saved. Fix the fields marked in red:",
    },
    // the nav bar
    nav_settings: { id: "Pengaturan", en: "Settings" },
    nav_sops: { id: "Layanan (SOP)", en: "Services (SOP)" },
    nav_counters: { id: "Loket", en: "Counters" },
    nav_users: { id: "Pengguna", en: "Users" },
    nav_devices: { id: "Kiosk & Layar", en: "Kiosks & Displays" },
    nav_audit: { id: "Log Audit", en: "Audit Log" },
    nav_reports: { id: "Laporan", en: "Reports" },
    nav_survey: { id: "IKM", en: "Satisfaction (IKM)" },
    yes: { id: "Ya", en: "Yes" },
    no: { id: "Tidak", en: "No" },
    active: { id: "Aktif", en: "Active" },
    inactive: { id: "Nonaktif", en: "Inactive" },
    edit: { id: "Ubah", en: "Edit" },
    save: { id: "Simpan", en: "Save" },
    saving: { id: "Menyimpan…", en: "Saving…" },
  });

  // The API's problems may be pydantic's English messages: say the common ones plainly.
  var PROBLEM_TEXT = [
    [/close must be after open/i, { id: "Jam tutup harus setelah jam buka.", en: "Closing time must be after opening time." }],
    [/greater than or equal to 0\b/i, { id: "Tidak boleh negatif.", en: "Must not be negative." }],
    [/greater than or equal to (\d+)/i, { id: "Paling kecil {1}.", en: "At least {1}." }],
    [/less than or equal to (\d+)/i, { id: "Paling besar {1}.", en: "At most {1}." }],
    [/valid integer/i, { id: "Harus angka bulat.", en: "Must be a whole number." }],
    [/valid time format|valid time/i, { id: "Jam tidak sah; tulis seperti 08:00.", en: "Not a valid time; write it like 08:00." }],
    [/valid string/i, { id: "Harus berupa teks.", en: "Must be text." }],
    [/valid boolean/i, { id: "Harus ya atau tidak.", en: "Must be yes or no." }],
    [/unknown weekday/i, { id: "Hari tidak dikenal.", en: "Unknown weekday." }],
    [/^field required|^missing$/i, { id: "Wajib diisi.", en: "Required." }],
    [/at least 1 (item|character)/i, { id: "Wajib diisi (paling sedikit satu).", en: "Required (at least one)." }],
    [/should match pattern '\^\[A-Z\]\$'/i, { id: "Satu huruf kapital, mis. N.", en: "One capital letter, e.g. N." }],
    [/should match pattern/i, { id: "Format tidak sah.", en: "Not a valid format." }],
    [/extra inputs are not permitted/i, { id: "Isian ini tidak dikenal.", en: "Unknown field." }],
  ];

  var socket = null;
  var bilingual = S.bilingual;

  function problemText(raw) {
    var text = bilingual(String(raw));
    for (var i = 0; i < PROBLEM_TEXT.length; i++) {
      var m = PROBLEM_TEXT[i][0].exec(text);
      if (m) {
        return L.t(PROBLEM_TEXT[i][1]).replace(/\{(\d)\}/g, function (_, n) {
          return m[Number(n)] || "";
        });
      }
    }
    return text.replace(/^Value error, /, "");
  }

  // ---- live events: the staff channel ------------------------------------------

  /** The staff Socket.IO channel while the page is open (closed again on log-out or refusal). */
  function live() {
    if (!socket && typeof window.io === "function") {
      socket = window.io({ auth: { channel: "staff" }, transports: ["websocket", "polling"] });
    }
    return socket;
  }

  function closeSocket() {
    if (socket) {
      socket.off();
      socket.offAny();
      socket.disconnect();
      socket = null;
    }
  }

  // ---- requests the JSON helper does not cover ---------------------------------

  /** POST a multipart form (file uploads) with the CSRF token; resolves with JSON, rejects with L.ApiError. */
  function upload(url, formData) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var headers = { Accept: "application/json", "X-Loket-Lang": L.lang };
    if (meta) headers["X-CSRFToken"] = meta.getAttribute("content");
    return fetch(url, { method: "POST", body: formData, headers: headers, credentials: "same-origin", cache: "no-store" })
      .catch(function () {
        throw new L.ApiError(L.t({ id: "Tidak dapat terhubung ke server.", en: "Cannot reach the server." }), 0, "network");
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          throw new L.ApiError(
            L.t({ id: "Server menjawab dengan galat ", en: "The server answered with error " }) + response.status,
            response.status,
            "http"
          );
        }
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new L.ApiError(data.message || data.error || String(response.status), response.status, data.error, data);
          }
          return data;
        });
      });
  }

  // ---- problems next to their fields -------------------------------------------

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"');
  }

  /** "steps[1].target_minutes" -> "steps[1]" -> "steps" -> "". */
  function parentField(field) {
    return field.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
  }

  /** A problem as {field, message}: the structured format, or the older "field: message" string. */
  function normaliseProblem(p) {
    if (p && typeof p === "object") return { field: String(p.field || ""), message: p.label ? p.label.id + " (" + p.label.en + ")" : String(p.message || p.msg || "") };
    var text = String(p);
    var at = text.indexOf(": ");
    if (at === -1) return { field: "", message: text };
    return { field: text.slice(0, at), message: text.slice(at + 2) };
  }

  /** The closest [data-field] box in `root` for a field path, walking up to its parents. */
  function fieldBox(root, field) {
    var f = field;
    while (f) {
      var box = root.querySelector('[data-field="' + cssEscape(f) + '"]');
      if (box) return box;
      var up = parentField(f);
      if (up === f) break;
      f = up;
    }
    return null;
  }

  function clearProblems(root, listBox) {
    root.querySelectorAll(".a-problem[data-problem-auto]").forEach(function (p) {
      p.parentNode.removeChild(p);
    });
    root.querySelectorAll('[data-invalid="true"]').forEach(function (n) {
      n.removeAttribute("data-invalid");
    });
    root.querySelectorAll('[aria-invalid="true"]').forEach(function (n) {
      n.removeAttribute("aria-invalid");
    });
    if (listBox) {
      listBox.hidden = true;
      L.clear(listBox);
    }
  }

  /**
   * Show each problem next to its field (the closest [data-field] box in `root`) and listed in `listBox`.
   * `label(field)` names a field for the list. Returns the first input to focus.
   */
  function showProblems(root, listBox, problems, label) {
    clearProblems(root, listBox);
    var first = null;
    var list = h("ul");
    problems.map(normaliseProblem).forEach(function (p) {
      var text = problemText(p.message);
      var box = p.field ? fieldBox(root, p.field) : null;
      var input = null;
      if (box) {
        box.setAttribute("data-invalid", "true");
        var own = box.querySelector(':scope > .a-problem[data-problem-auto]');
        if (!own) {
          own = h("p", { class: "a-problem", "data-problem-auto": "true", "data-problem-for": box.getAttribute("data-field") });
          box.appendChild(own);
        }
        own.textContent = (own.textContent ? own.textContent + " " : "") + text;
        input = box.matches("input, select, textarea") ? box : box.querySelector("input:not([type=checkbox]), select, textarea");
        if (input) input.setAttribute("aria-invalid", "true");
      }
      if (!first) first = input || box;
      var name = p.field ? (label ? label(p.field) : p.field) : "";
      list.appendChild(
        h(
          "li",
          { "data-problem-field": p.field },
          name
            ? h(
                "button",
                {
                  type: "button",
                  class: "a-problem-link",
                  onclick: function () {
                    if (box) box.scrollIntoView({ block: "center" });
                    if (input) input.focus({ preventScroll: true });
                  },
                },
                name
              )
            : null,
          name ? ": " + text : text
        )
      );
    });
    if (listBox) {
      listBox.appendChild(h("p", { class: "a-problems-title" }, L.t("problems_title")));
      listBox.appendChild(list);
      listBox.hidden = !problems.length;
    }
    return first;
  }

  // ---- dialogs ------------------------------------------------------------------

  /** A modal dialog around `content` (a form): resolves when closed. */
  function dialog(opts) {
    var box = h(
      "dialog",
      { class: "a-dialog", id: opts.id || null, "aria-labelledby": (opts.id || "dlg") + "-title" },
      h(
        "div",
        { class: "a-dialog-head" },
        h("h2", { id: (opts.id || "dlg") + "-title" }, opts.title),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-quiet a-dialog-x",
            "aria-label": L.t("close"),
            onclick: function () {
              box.close();
            },
          },
          "×"
        )
      ),
      opts.content
    );
    document.body.appendChild(box);
    box.addEventListener("close", function () {
      if (box.parentNode) box.parentNode.removeChild(box);
      if (opts.onClose) opts.onClose();
    });
    box.showModal();
    var focus = box.querySelector("[autofocus]") || box.querySelector("input:not([type=checkbox]):not([readonly]), select, textarea");
    if (focus) focus.focus();
    return box;
  }

  /** A dialog's "Cancel": closes it (`close` is called when clicked, once the dialog exists). */
  function cancelButton(close) {
    return h("button", { type: "button", class: "btn", onclick: close }, L.t("cancel"));
  }

  /** Ask before something that cannot be undone; resolves true when confirmed. */
  function confirmAction(opts) {
    return new Promise(function (resolve) {
      var answered = false;
      var box;
      var form = h(
        "form",
        {
          class: "a-dialog-body",
          method: "dialog",
          onsubmit: function (ev) {
            ev.preventDefault();
            answered = true;
            box.close();
            resolve(true);
          },
        },
        h("p", { class: "a-confirm-text" }, opts.text),
        opts.detail ? h("p", { class: "a-muted" }, opts.detail) : null,
        h(
          "div",
          { class: "a-dialog-actions" },
          cancelButton(function () {
            box.close();
          }),
          h("button", { type: "submit", class: "btn " + (opts.danger ? "btn-danger" : "btn-primary"), id: "confirm-yes", autofocus: true }, opts.confirm)
        )
      );
      box = dialog({
        id: "confirm",
        title: opts.title,
        content: form,
        onClose: function () {
          if (!answered) resolve(false);
        },
      });
    });
  }

  /**
   * A form in a dialog that saves through the API: problems (400) appear next to the dialog's fields,
   * anything else as a message. opts: {id, title, fields: [nodes], read() -> body, send(body) -> Promise,
   * done(result), saveLabel, label(field)}.
   */
  function editDialog(opts) {
    var problems = h("div", { class: "alert a-problems", role: "alert", hidden: true });
    var saveBtn = h("button", { type: "submit", class: "btn btn-primary", id: (opts.id || "edit") + "-save" }, opts.saveLabel || L.t("save"));
    var box;
    var form = h(
      "form",
      {
        class: "a-dialog-body a-form",
        novalidate: true,
        autocomplete: "off",
        onsubmit: function (ev) {
          ev.preventDefault();
          saveBtn.disabled = true;
          Promise.resolve()
            .then(function () {
              return opts.send(opts.read(form));
            })
            .then(function (result) {
              box.close();
              if (opts.done) opts.done(result);
            })
            .catch(function (err) {
              if (err && err.status === 400 && err.data && err.data.problems) {
                var first = showProblems(form, problems, err.data.problems, opts.label);
                if (first && first.focus) first.focus();
                return;
              }
              box.close();
              S.handle(err);
            })
            .then(function () {
              saveBtn.disabled = false;
            });
        },
      },
      problems,
      opts.fields,
      h(
        "div",
        { class: "a-dialog-actions" },
        cancelButton(function () {
          box.close();
        }),
        saveBtn
      )
    );
    form.addEventListener("input", function (ev) {
      var invalid = ev.target.closest('[data-invalid="true"]');
      if (invalid) invalid.removeAttribute("data-invalid");
    });
    box = dialog({ id: opts.id, title: opts.title, content: form });
    return box;
  }

  /** A row of table head cells from string keys. */
  function tableHead(row, keys) {
    L.clear(row);
    keys.forEach(function (k) {
      row.appendChild(h("th", { scope: "col", class: k === "" ? "a-actions" : null }, k ? L.t(k) : ""));
    });
  }

  function activePill(active) {
    return h("span", { class: "pill " + (active ? "pill-ok" : "pill-bad"), "data-active": active ? "true" : "false" }, L.t(active ? "active" : "inactive"));
  }

  // ---- small widgets --------------------------------------------------------------

  var GROUP_LABELS = {
    "ktp-el": { id: "KTP-el", en: "KTP-el" },
    kk: { id: "Kartu Keluarga", en: "Family card" },
    kia: { id: "KIA", en: "KIA" },
    akta: { id: "Akta", en: "Certificates" },
    pindah: { id: "Pindah", en: "Moving" },
    lainnya: { id: "Lainnya", en: "Other" },
  };

  function groupLabel(code) {
    return GROUP_LABELS[code] ? L.t(GROUP_LABELS[code]) : code;
  }

  function roleLabel(meta, code) {
    var r = (meta.roles || []).filter(function (x) {
      return x.code === code;
    })[0];
    return r ? L.t(r.label) : code;
  }

  /** Checkboxes for a list of {value, label}; `name` groups them. */
  function checkboxes(name, options, checked) {
    return h(
      "div",
      { class: "a-checks", role: "group" },
      options.map(function (o) {
        return h(
          "label",
          { class: "a-check a-check-box" },
          h("input", { type: "checkbox", name: name, value: o.value, checked: checked.indexOf(o.value) !== -1 }),
          h("span", null, o.label)
        );
      })
    );
  }

  function checkedValues(root, name) {
    return Array.prototype.map.call(root.querySelectorAll('input[name="' + name + '"]:checked'), function (i) {
      return i.value;
    });
  }

  /** A labelled field box: data-field for problems, the label tied to the input. */
  function field(name, labelText, input, hint) {
    if (input && input.tagName && !input.id) input.id = "f-" + name.replace(/[^a-z0-9]+/gi, "-");
    return h(
      "div",
      { class: "a-field", "data-field": name },
      h("label", { for: input && input.id ? input.id : null }, labelText),
      input,
      hint ? h("p", { class: "a-hint" }, hint) : null
    );
  }

  function dateTime(value) {
    if (!value) return "";
    var d = new Date(value);
    if (isNaN(d.getTime())) return String(value);
    return L.longDate(d) + " " + L.hhmm(d);
  }

  // ---- start ---------------------------------------------------------------------

  /** Open the page as admin: the staff shell logs in and takes the role; leaving the page closes the live channel. */
  function start(page) {
    S.start({
      roles: ["admin"],
      cls: "a",
      open: page.open,
      close: function () {
        closeSocket();
        if (page.close) page.close();
      },
      onLangChange: page.onLangChange,
      leaving: page.leaving,
    });
  }

  window.Admin = {
    start: start,
    state: S.state,
    $: S.$,
    say: S.say,
    fail: S.fail,
    handle: S.handle,
    bilingual: bilingual,
    problemText: problemText,
    route: S.route,
    live: live,
    upload: upload,
    showProblems: showProblems,
    clearProblems: clearProblems,
    normaliseProblem: normaliseProblem,
    parentField: parentField,
    dialog: dialog,
    confirm: confirmAction,
    editDialog: editDialog,
    tableHead: tableHead,
    activePill: activePill,
    roleLabel: roleLabel,
    groupLabel: groupLabel,
    checkboxes: checkboxes,
    checkedValues: checkedValues,
    field: field,
    dateTime: dateTime,
  };
})();
