/* Webhooks for other systems (a Mal Pelayanan Publik hub, a city app, a dashboard): subscriptions (name, URL,
 * events, active), the secret shown once when made or rotated, a test event, and the recent deliveries with
 * their state, tries and last answer, each failed one tried again on request.
 * Data: GET/POST /api/admin/webhooks, PUT/DELETE /api/admin/webhooks/<id>, POST .../<id>/rotate, .../<id>/test,
 * POST /api/admin/webhooks/deliveries/<id>/retry.
 */
import * as i18n from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { api } from "loket/request.js";
import { handle, say } from "loket/shell.js";
import { activePill, checkboxes, checkedValues, dateTime, field, tableHead } from "./widgets.js";
import { confirmAction, dialog, editDialog } from "./dialogs.js";
import { listPage } from "./list_page.js";

i18n.addStrings(i18n.pageStrings("admin/webhooks"));

var state = { subscriptions: [], deliveries: [], events: [] };

function load() {
  return api("GET", "/api/admin/webhooks").then(function (res) {
    state.subscriptions = res.subscriptions || [];
    state.deliveries = res.deliveries || [];
    state.events = res.events || [];
  });
}

function eventLabel(e) {
  return i18n.t("event_" + e.replace(".", "_"));
}

function subscriptionRow(s) {
  return h(
    "tr",
    { "data-id": s.id, "data-name": s.name, "data-active": s.active ? "true" : "false", "data-failing": s.alerted_at ? "true" : "false" },
    h(
      "td",
      { class: "a-strong" },
      s.name,
      // its deliveries keep failing: the admin's alert, until one gets through again
      s.alerted_at ? h("div", { class: "alert a-webhook-failing" }, i18n.fmt("failing_pill", { count: String(s.failures) })) : null
    ),
    h("td", null, h("code", { class: "a-url" }, s.url)),
    h("td", null, s.events.map(eventLabel).join(", ")),
    h("td", null, activePill(s.active)),
    h(
      "td",
      { class: "a-actions" },
      h("button", { type: "button", class: "btn a-test", onclick: function () { sendTest(s); } }, i18n.t("send_test")),
      h("button", { type: "button", class: "btn a-rotate", onclick: function () { rotate(s); } }, i18n.t("rotate")),
      h("button", { type: "button", class: "btn btn-brand a-edit", onclick: function () { edit(s); } }, i18n.t("edit")),
      h("button", { type: "button", class: "btn btn-danger a-delete", onclick: function () { remove(s); } }, i18n.t("delete"))
    )
  );
}

function showSecret(s) {
  var box = dialog({
    id: "secret",
    title: i18n.fmt("secret_title", { name: s.name }),
    content: h(
      "div",
      { class: "a-dialog-body" },
      h("p", null, i18n.t("secret_text")),
      h("p", null, h("code", { class: "a-mono a-secret", id: "webhook-secret" }, s.secret))
    ),
  });
  box.addEventListener("close", function () {
    page.reload().catch(handle);
  });
}

function edit(s) {
  var isNew = !s;
  s = s || { name: "", url: "", events: state.events.slice(), active: true };
  editDialog({
    id: "webhook",
    title: isNew ? i18n.t("new_webhook") : i18n.fmt("edit_webhook", { name: s.name }),
    fields: [
      field("name", i18n.t("name"), h("input", { type: "text", name: "name", value: s.name, maxlength: "80" })),
      field("url", i18n.t("url"), h("input", { type: "url", name: "url", value: s.url, spellcheck: "false", placeholder: "https://mpp.example.go.id/loket" }), i18n.t("url_hint")),
      h(
        "div",
        { class: "a-field", "data-field": "events" },
        h("span", { class: "a-label" }, i18n.t("events")),
        checkboxes("events", state.events.map(function (e) { return { value: e, label: eventLabel(e) }; }), s.events)
      ),
      h(
        "div",
        { class: "a-field", "data-field": "active" },
        h("label", { class: "a-check a-check-box" }, h("input", { type: "checkbox", name: "active", checked: s.active }), h("span", null, i18n.t("active")))
      ),
    ],
    read: function (form) {
      return {
        name: form.querySelector('[name="name"]').value.trim(),
        url: form.querySelector('[name="url"]').value.trim(),
        events: checkedValues(form, "events"),
        active: form.querySelector('[name="active"]').checked,
      };
    },
    send: function (data) {
      return isNew ? api("POST", "/api/admin/webhooks", data) : api("PUT", "/api/admin/webhooks/" + s.id, data);
    },
    done: function (res) {
      var saved = res.subscription;
      say(i18n.fmt(isNew ? "created" : "saved", { name: saved.name }), "ok");
      if (saved.secret) showSecret(saved);
      else page.reload().catch(handle);
    },
    label: function (f) {
      return i18n.t({ name: "name", url: "url", events: "events", active: "active" }[f] || f);
    },
  });
}

function rotate(s) {
  confirmAction({ title: i18n.fmt("rotate_title", { name: s.name }), text: i18n.t("rotate_text"), confirm: i18n.t("rotate") })
    .then(function (yes) {
      if (!yes) return null;
      return api("POST", "/api/admin/webhooks/" + s.id + "/rotate").then(function (res) {
        showSecret(res.subscription);
      });
    })
    .catch(handle);
}

function sendTest(s) {
  api("POST", "/api/admin/webhooks/" + s.id + "/test")
    .then(function () {
      say(i18n.fmt("test_queued", { name: s.name }), "ok");
      return page.reload();
    })
    .catch(handle);
}

function remove(s) {
  confirmAction({ title: i18n.fmt("delete_title", { name: s.name }), text: i18n.t("delete_text"), confirm: i18n.t("delete"), danger: true })
    .then(function (yes) {
      if (!yes) return null;
      return api("DELETE", "/api/admin/webhooks/" + s.id).then(function () {
        say(i18n.fmt("deleted", { name: s.name }), "ok");
        return page.reload();
      });
    })
    .catch(handle);
}

function retry(d) {
  api("POST", "/api/admin/webhooks/deliveries/" + d.id + "/retry")
    .then(function () {
      say(i18n.t("retry_queued"), "ok");
      return page.reload();
    })
    .catch(handle);
}

function deliveriesTable() {
  var table = $("deliveries");
  if (!table) {
    table = h("table", { class: "a-table", id: "deliveries" }, h("thead", null, h("tr", { id: "deliveries-head" })), h("tbody", { id: "delivery-rows" }));
    $("table").after(h("h2", { id: "deliveries-heading", class: "a-deliveries-heading" }, i18n.t("deliveries")), table);
  }
  $("deliveries-heading").textContent = i18n.t("deliveries");
  tableHead($("deliveries-head"), ["col_time", "col_subscription", "col_event", "col_state", "col_attempts", "col_answer", ""]);
  var names = {};
  state.subscriptions.forEach(function (s) { names[s.id] = s.name; });
  var body = clear($("delivery-rows"));
  if (!state.deliveries.length) {
    body.appendChild(h("tr", null, h("td", { colspan: "7", class: "a-empty" }, i18n.t("no_deliveries"))));
  }
  state.deliveries.forEach(function (d) {
    var pill = { sent: "pill-ok", failed: "pill-bad", pending: "pill-warn", sending: "pill-warn" }[d.state] || "";
    body.appendChild(
      h(
        "tr",
        { "data-id": d.id, "data-state": d.state, "data-webhook-id": d.webhook_id },
        h("td", null, dateTime(d.created_at)),
        h("td", null, names[d.subscription_id] || "—"),
        h("td", null, d.event === "webhook.test" ? i18n.t("event_test") : eventLabel(d.event)),
        h("td", null, h("span", { class: "pill " + pill }, i18n.t("state_" + d.state))),
        h("td", null, String(d.attempts)),
        h("td", { class: "a-answer" }, d.last_status ? "HTTP " + d.last_status : "", d.last_error ? h("div", { class: "a-muted" }, d.last_error) : null),
        h(
          "td",
          { class: "a-actions" },
          d.state === "failed" || d.state === "pending"
            ? h("button", { type: "button", class: "btn a-retry", onclick: function () { retry(d); } }, i18n.t("retry"))
            : null
        )
      )
    );
  });
}

const page = listPage({
  columns: ["col_name", "col_url", "col_events", "col_status", ""],
  load: load,
  items: function () {
    deliveriesTable();
    return state.subscriptions;
  },
  row: subscriptionRow,
  empty: "none",
  add: function () {
    edit(null);
  },
});
