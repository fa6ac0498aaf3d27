/* Staff users: username, full name, roles, active; password reset; deactivation.
 * Data: GET /api/admin/meta, GET/POST /api/admin/users, PUT /api/admin/users/<id>,
 * POST /api/admin/users/<id>/password.
 */
import * as i18n from "loket/i18n.js";
import { h } from "loket/dom.js";
import { api } from "loket/request.js";
import { longDate } from "loket/time.js";
import { handle, say, state as shell } from "loket/shell.js";
import { activePill, checkboxes, checkedValues, field, roleLabel } from "./widgets.js";
import { confirmAction, editDialog } from "./dialogs.js";
import { normaliseProblem, problemText } from "./problems.js";
import { listPage } from "./list_page.js";
import { checkDemoPasswords } from "./shell.js";
import { hubOwns } from "./hub_rules.js";


i18n.addStrings(i18n.pageStrings("admin/users"));

var state = { meta: null, users: [] };

function load() {
  return Promise.all([api("GET", "/api/admin/meta"), api("GET", "/api/admin/users")]).then(function (res) {
    state.meta = res[0];
    state.users = res[1].users || [];
    hubOwns(state.meta.sites, "accounts", document.getElementById("table"));
  });
}

function me() {
  var m = shell.me;
  return m && m.user ? m.user.id : null;
}

function userRow(u) {
  var self = u.id === me();
  return h(
    "tr",
    { "data-id": u.id, "data-username": u.username, "data-active": u.active ? "true" : "false" },
    h("td", { class: "a-strong a-mono" }, u.username, self ? h("span", { class: "pill pill-ok a-you" }, i18n.t("you")) : null),
    h("td", null, u.full_name),
    h(
      "td",
      null,
      h(
        "div",
        { class: "a-tags" },
        u.roles.map(function (r) {
          return h("span", { class: "pill" }, roleLabel(state.meta, r));
        })
      )
    ),
    h("td", { class: "a-muted" }, u.created_at ? longDate(u.created_at) : ""),
    h("td", null, activePill(u.active)),
    h(
      "td",
      { class: "a-actions" },
      h("button", { type: "button", class: "btn btn-brand a-edit", onclick: function () { edit(u); } }, i18n.t("edit")),
      h("button", { type: "button", class: "btn a-reset", onclick: function () { resetPassword(u); } }, i18n.t("reset_password")),
      self
        ? null
        : h(
            "button",
            { type: "button", class: "btn " + (u.active ? "btn-danger a-deactivate" : "a-activate"), onclick: function () { toggle(u); } },
            i18n.t(u.active ? "deactivate" : "activate")
          )
    )
  );
}

function roleChecks(checked) {
  return h(
    "div",
    { class: "a-field", "data-field": "roles" },
    h("span", { class: "a-label" }, i18n.t("roles")),
    checkboxes(
      "roles",
      (state.meta.roles || []).map(function (r) {
        return { value: r.code, label: i18n.t(r.label) };
      }),
      checked
    )
  );
}

function label(f) {
  return i18n.t({ username: "username", full_name: "full_name", roles: "roles", password: "password", active: "col_status" }[f] || f);
}

function edit(u) {
  var isNew = !u;
  u = u || { username: "", full_name: "", roles: ["pelayanan"], active: true };
  var fields = [
    h(
      "div",
      { class: "a-row" },
      field(
        "username",
        i18n.t("username"),
        h("input", { type: "text", name: "username", value: u.username, readonly: !isNew, autocapitalize: "none", spellcheck: "false", maxlength: "60" }),
        isNew ? i18n.t("username_hint") : null
      ),
      field("full_name", i18n.t("full_name"), h("input", { type: "text", name: "full_name", value: u.full_name, maxlength: "120" }))
    ),
    roleChecks(u.roles),
  ];
  if (isNew) {
    fields.push(
      field("password", i18n.t("password"), h("input", { type: "password", name: "password", autocomplete: "new-password" }), i18n.t("password_hint"))
    );
  }
  editDialog({
    id: "user",
    title: isNew ? i18n.t("new_user") : i18n.fmt("edit_user", { name: u.username }),
    fields: fields,
    read: function (form) {
      var data = {
        full_name: form.querySelector('[name="full_name"]').value.trim(),
        roles: checkedValues(form, "roles"),
      };
      if (isNew) {
        data.username = form.querySelector('[name="username"]').value.trim();
        data.password = form.querySelector('[name="password"]').value;
      }
      return data;
    },
    send: function (data) {
      return isNew ? api("POST", "/api/admin/users", data) : api("PUT", "/api/admin/users/" + u.id, data);
    },
    done: function (res) {
      var saved = res.user || res;
      say(i18n.fmt(isNew ? "created" : "saved", { name: saved.username }), "ok");
      page.reload().catch(handle);
    },
    label: label,
  });
}

function resetPassword(u) {
  editDialog({
    id: "password",
    title: i18n.fmt("reset_title", { name: u.username }),
    saveLabel: i18n.t("reset_password"),
    fields: [
      field(
        "password",
        i18n.t("new_password"),
        h("input", { type: "password", name: "password", autocomplete: "new-password", id: "f-new-password" }),
        i18n.t("password_hint")
      ),
      h("p", { class: "a-hint" }, i18n.t("reset_hint")),
    ],
    read: function (form) {
      return { password: form.querySelector('[name="password"]').value };
    },
    send: function (data) {
      return api("POST", "/api/admin/users/" + u.id + "/password", data);
    },
    done: function () {
      say(i18n.fmt("reset_done", { name: u.username }), "ok");
      checkDemoPasswords();
    },
    label: label,
  });
}

function toggle(u) {
  var deactivate = u.active;
  (deactivate
    ? confirmAction({
        title: i18n.fmt("deactivate_title", { name: u.username }),
        text: i18n.fmt("deactivate_text", { name: u.full_name }),
        confirm: i18n.t("deactivate"),
        danger: true,
      })
    : Promise.resolve(true)
  ).then(function (yes) {
    if (!yes) return;
    api("PUT", "/api/admin/users/" + u.id, { active: !deactivate })
      .then(function () {
        say(i18n.fmt(deactivate ? "deactivated" : "activated", { name: u.username }), "ok");
        checkDemoPasswords();
        return page.reload();
      })
      .catch(function (err) {
        if (err.status === 400 && err.data && err.data.problems) {
          say(problemText(normaliseProblem(err.data.problems[0]).message), "error");
          return;
        }
        handle(err);
      });
  });
}

const page = listPage({
  columns: ["col_username", "col_full_name", "col_roles", "col_created", "col_status", ""],
  load: load,
  items: function () {
    return state.users;
  },
  row: userRow,
  add: function () {
    edit(null);
  },
});
