/* Counters (loket): name, number read out in calls, roles, services (none = all), zone, active.
 * Data: GET /api/admin/meta, GET/POST /api/admin/counters, PUT /api/admin/counters/<id>.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { handle, say } from "loket/shell.js";
import { activePill, checkboxes, checkedValues, field, roleLabel } from "./widgets.js";
import { editDialog } from "./dialogs.js";
import { listPage } from "./list_page.js";


i18n.addStrings(i18n.pageStrings("admin/counters"));

var state = { meta: null, counters: [] };

function load() {
  return Promise.all([api("GET", "/api/admin/meta"), api("GET", "/api/admin/counters")]).then(function (res) {
    state.meta = res[0];
    state.counters = res[1].counters || [];
  });
}

function serviceName(code) {
  var svc = (state.meta.services || []).filter(function (s) {
    return s.code === code;
  })[0];
  return svc ? svc.prefix + " · " + i18n.t(svc.name) : code;
}

function counterRow(c) {
  return h(
    "tr",
    { "data-id": c.id, "data-name": c.name, "data-active": c.active ? "true" : "false" },
    h("td", { class: "num a-big" }, String(c.number)),
    h("td", { class: "a-strong" }, c.name),
    h(
      "td",
      null,
      h(
        "div",
        { class: "a-tags" },
        c.roles.map(function (r) {
          return h("span", { class: "pill" }, roleLabel(state.meta, r));
        })
      )
    ),
    h(
      "td",
      null,
      c.services.length
        ? h(
            "div",
            { class: "a-tags" },
            c.services.map(function (code) {
                  return h("span", { class: "pill" }, serviceName(code));
            })
          )
        : h("span", { class: "a-muted" }, i18n.t("all_services"))
    ),
    h("td", null, c.zone || "—"),
    h("td", null, activePill(c.active)),
    h(
      "td",
      { class: "a-actions" },
      h(
        "button",
        {
          type: "button",
          class: "btn btn-brand a-edit",
          onclick: function () {
            edit(c);
          },
        },
        i18n.t("edit")
      )
    )
  );
}

function edit(c) {
  var isNew = !c;
  c = c || { name: "", number: nextNumber(), roles: ["pelayanan"], services: [], zone: "", active: true };
  var stepRoles = (state.meta.roles || []).filter(function (r) {
    return r.step;
  });
  var nameInput = h("input", { type: "text", name: "name", value: c.name, maxlength: "60" });
  var numberInput = h("input", { type: "number", name: "number", value: c.number, min: "1", max: "999", step: "1" });
  var warning = h("div", { class: "a-warn a-number-warn", role: "status", hidden: true });
  // A new counter's number follows its name ("Loket 4 IKD" -> 4) until the number is typed by hand.
  var numberTyped = !isNew;
  function check() {
    var named = namedNumber(nameInput.value);
    if (named !== null && !numberTyped && String(named) !== numberInput.value.trim()) numberInput.value = String(named);
    var number = numberInput.value.trim();
    clear(warning);
    warning.hidden = named === null || number === "" || String(named) === number;
    if (warning.hidden) return;
    warning.setAttribute("data-named", String(named));
    warning.appendChild(h("span", { class: "a-warn-text" }, "\u26a0 " + i18n.fmt("number_mismatch", { named: named, number: number })));
    warning.appendChild(
      h(
        "button",
        {
          type: "button",
          class: "btn a-use-named",
          onclick: function () {
            numberInput.value = String(named);
            numberTyped = true;
            check();
          },
        },
        i18n.fmt("use_named", { named: named })
      )
    );
  }
  nameInput.addEventListener("input", check);
  numberInput.addEventListener("input", function () {
    numberTyped = true;
    check();
  });
  check(); // an existing counter whose name and number disagree says so at once
  editDialog({
    id: "counter",
    title: isNew ? i18n.t("new_counter") : i18n.fmt("edit_counter", { name: c.name }),
    fields: [
      h(
        "div",
        { class: "a-row" },
        field("name", i18n.t("name"), nameInput),
        field("number", i18n.t("number"), numberInput),
        field("zone", i18n.t("zone"), h("input", { type: "text", name: "zone", value: c.zone || "", maxlength: "40" }))
      ),
      warning,
      h(
        "div",
        { class: "a-field", "data-field": "roles" },
        h("span", { class: "a-label" }, i18n.t("roles")),
        checkboxes(
          "roles",
          stepRoles.map(function (r) {
            return { value: r.code, label: i18n.t(r.label) };
          }),
          c.roles
        )
      ),
      h(
        "div",
        { class: "a-field", "data-field": "services" },
        h("span", { class: "a-label" }, i18n.t("services")),
        checkboxes(
          "services",
          (state.meta.services || []).map(function (s) {
            return { value: s.code, label: s.prefix + " · " + i18n.t(s.name) };
          }),
          c.services
        )
      ),
      h(
        "div",
        { class: "a-field", "data-field": "active" },
        h("label", { class: "a-check a-check-box" }, h("input", { type: "checkbox", name: "active", checked: c.active }), h("span", null, i18n.t("active")))
      ),
    ],
    read: function (form) {
      var number = form.querySelector('[name="number"]').value.trim();
      return {
        name: form.querySelector('[name="name"]').value.trim(),
        number: number === "" ? null : Number(number),
        roles: checkedValues(form, "roles"),
        services: checkedValues(form, "services"),
        zone: form.querySelector('[name="zone"]').value.trim() || null,
        active: form.querySelector('[name="active"]').checked,
      };
    },
    send: function (data) {
      return isNew ? api("POST", "/api/admin/counters", data) : api("PUT", "/api/admin/counters/" + c.id, data);
    },
    done: function (res) {
      var saved = res.counter || res;
      say(i18n.fmt(isNew ? "created" : "saved", { name: saved.name }), "ok");
      page.reload().catch(handle);
    },
    label: function (f) {
      return i18n.t({ name: "name", number: "number", roles: "roles", services: "services", zone: "zone" }[f] || f);
    },
  });
}

/** The number a counter's name says ("Loket 4 IKD" -> 4): its first run of digits, or null. */
function namedNumber(name) {
  var m = /\d+/.exec(name || "");
  return m ? Number(m[0]) : null;
}

function nextNumber() {
  return state.counters.reduce(function (m, c) {
    return Math.max(m, c.number);
  }, 0) + 1;
}

const page = listPage({
  columns: ["col_number", "col_name", "col_roles", "col_services", "col_zone", "col_status", ""],
  load: load,
  items: function () {
    return state.counters;
  },
  row: counterRow,
  empty: "none",
  add: function () {
    edit(null);
  },
});
