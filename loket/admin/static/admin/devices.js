/* Kiosks and display boards: kind, name (in the device's URL), zone, a kiosk's printer, a display's counters
 * and pickup mode, active. Data: GET /api/admin/counters, GET/POST /api/admin/devices,
 * PUT/DELETE /api/admin/devices/<id>.
 */
import * as i18n from "loket/i18n.js";
import { h } from "loket/dom.js";
import { api } from "loket/request.js";
import { handle, say } from "loket/shell.js";
import { activePill, checkboxes, checkedValues, field } from "./widgets.js";
import { confirmAction, dialog, editDialog } from "./dialogs.js";
import { listPage } from "./list_page.js";


i18n.addStrings(i18n.pageStrings("admin/devices"));

var state = { counters: [], devices: [] };

function load() {
  return Promise.all([api("GET", "/api/admin/counters"), api("GET", "/api/admin/devices")]).then(function (res) {
    state.counters = res[0].counters || [];
    state.devices = res[1].devices || [];
  });
}

function absolute(url) {
  return url ? new URL(url, window.location.origin).href : "";
}

function setup(d) {
  if (d.kind === "kiosk") {
    return d.printer ? h("code", { class: "a-url" }, d.printer) : h("span", { class: "a-muted" }, i18n.t("default_printer"));
  }
  var opts = d.options || {};
  var counters = opts.counters && opts.counters.length ? opts.counters.join(", ") : i18n.t("all_counters");
  return h("span", null, counters, opts.pickup ? h("span", { class: "pill pill-warn a-pickup" }, i18n.t("pickup_short")) : null);
}

function deviceRow(d) {
  var url = absolute(d.url);
  return h(
    "tr",
    { "data-id": d.id, "data-name": d.name, "data-active": d.active ? "true" : "false" },
    h("td", null, h("span", { class: "pill" }, i18n.t("kind_" + d.kind))),
    h("td", { class: "a-strong a-mono" }, d.name),
    h("td", null, d.zone || "—"),
    h("td", null, setup(d)),
    h("td", null, h("a", { class: "a-url a-device-url", href: url, target: "_blank", rel: "noopener" }, url)),
    h("td", null, activePill(d.active)),
    h(
      "td",
      { class: "a-pairing" },
      d.kind === "kiosk"
        ? h("span", { class: "pill " + (d.paired ? "pill-ok" : "pill-warn"), "data-paired": d.paired ? "true" : "false" }, i18n.t(d.paired ? "paired" : "not_paired"))
        : "—"
    ),
    h(
      "td",
      { class: "a-actions" },
      d.kind === "kiosk"
        ? h("button", { type: "button", class: "btn a-pair", onclick: function () { pair(d); } }, i18n.t(d.paired ? "repair" : "pair"))
        : null,
      h("button", { type: "button", class: "btn btn-brand a-edit", onclick: function () { edit(d); } }, i18n.t("edit")),
      h("button", { type: "button", class: "btn btn-danger a-delete", onclick: function () { remove(d); } }, i18n.t("delete"))
    )
  );
}

function edit(d) {
  var isNew = !d;
  d = d || { kind: "kiosk", name: "", zone: "", printer: "", options: {}, active: true };
  var opts = d.options || {};
  var kindSelect = h(
    "select",
    { name: "kind", disabled: !isNew },
    ["kiosk", "display"].map(function (k) {
      return h("option", { value: k, selected: d.kind === k }, i18n.t("kind_" + k));
    })
  );
  var printerBox = field("printer", i18n.t("printer"), h("input", { type: "text", name: "printer", value: d.printer || "", spellcheck: "false", placeholder: "network:10.0.0.21:9100" }), i18n.t("printer_hint"));
  var displayBox = h(
    "div",
    { class: "a-display-options" },
    h(
      "div",
      { class: "a-field", "data-field": "options.counters" },
      h("span", { class: "a-label" }, i18n.t("counters")),
      checkboxes(
        "counters",
        state.counters.map(function (c) {
          return { value: c.name, label: c.name };
        }),
        opts.counters || []
      )
    ),
    h(
      "div",
      { class: "a-field", "data-field": "options.pickup" },
      h("label", { class: "a-check a-check-box" }, h("input", { type: "checkbox", name: "pickup", checked: !!opts.pickup }), h("span", null, i18n.t("pickup")))
    )
  );
  function showKind() {
    var kiosk = kindSelect.value === "kiosk";
    printerBox.hidden = !kiosk;
    displayBox.hidden = kiosk;
  }
  kindSelect.addEventListener("change", showKind);
  showKind();
  editDialog({
    id: "device",
    title: isNew ? i18n.t("new_device") : i18n.fmt("edit_device", { name: d.name }),
    fields: [
      h(
        "div",
        { class: "a-row" },
        field("kind", i18n.t("kind"), kindSelect),
        field("name", i18n.t("name"), h("input", { type: "text", name: "name", value: d.name, spellcheck: "false", autocapitalize: "none" }), i18n.t("name_hint")),
        field("zone", i18n.t("zone"), h("input", { type: "text", name: "zone", value: d.zone || "", maxlength: "40" }))
      ),
      printerBox,
      displayBox,
      h(
        "div",
        { class: "a-field", "data-field": "active" },
        h("label", { class: "a-check a-check-box" }, h("input", { type: "checkbox", name: "active", checked: d.active }), h("span", null, i18n.t("active")))
      ),
    ],
    read: function (form) {
      var kind = kindSelect.value;
      var data = {
        kind: kind,
        name: form.querySelector('[name="name"]').value.trim(),
        zone: form.querySelector('[name="zone"]').value.trim() || null,
        active: form.querySelector('[name="active"]').checked,
      };
      if (kind === "kiosk") {
        data.printer = form.querySelector('[name="printer"]').value.trim() || null;
        data.options = {};
      } else {
        data.printer = null;
        data.options = { counters: checkedValues(form, "counters"), pickup: form.querySelector('[name="pickup"]').checked };
      }
      return data;
    },
    send: function (data) {
      return isNew ? api("POST", "/api/admin/devices", data) : api("PUT", "/api/admin/devices/" + d.id, data);
    },
    done: function (res) {
      var saved = res.device || res;
      say(i18n.fmt(isNew ? "created" : "saved", { name: saved.name }), "ok");
      page.reload().catch(handle);
    },
    label: function (f) {
      return i18n.t({ kind: "kind", name: "name", zone: "zone", printer: "printer", "options.counters": "counters", "options.pickup": "pickup" }[f] || f);
    },
  });
}

/** A new pairing code for a kiosk, shown once: the code to type on the kiosk, and its address as a QR code. */
function pair(d) {
  var ask = d.paired
    ? confirmAction({ title: i18n.fmt("pair_title", { name: d.name }), text: i18n.fmt("repair_confirm", { name: d.name }), confirm: i18n.t("repair") })
    : Promise.resolve(true);
  ask
    .then(function (yes) {
      if (!yes) return null;
      return api("POST", "/api/admin/devices/" + d.id + "/pair").then(function (res) {
        var box = dialog({
          id: "pairing",
          title: i18n.fmt("pair_title", { name: d.name }),
          content: h(
            "div",
            { class: "a-dialog-body a-pairing-body" },
            h("p", null, i18n.t("pair_text")),
            h("p", { class: "a-pair-code a-mono", id: "pair-code" }, res.code),
            h("img", { class: "a-pair-qr", src: res.qr_svg, alt: res.url, width: 240, height: 240 }),
            h("p", null, h("code", { class: "a-url", id: "pair-url" }, res.url))
          ),
        });
        box.addEventListener("close", function () {
          page.reload().catch(handle);
        });
      });
    })
    .catch(handle);
}

function remove(d) {
  confirmAction({
    title: i18n.fmt("delete_title", { name: d.name }),
    text: i18n.t("delete_text"),
    confirm: i18n.t("delete"),
    danger: true,
  }).then(function (yes) {
    if (!yes) return;
    api("DELETE", "/api/admin/devices/" + d.id)
      .then(function () {
        say(i18n.fmt("deleted", { name: d.name }), "ok");
        return page.reload();
      })
      .catch(handle);
  });
}

const page = listPage({
  columns: ["col_kind", "col_name", "col_zone", "col_setup", "col_url", "col_status", "col_pairing", ""],
  load: load,
  items: function () {
    return state.devices;
  },
  row: deviceRow,
  empty: "none",
  add: function () {
    edit(null);
  },
});
