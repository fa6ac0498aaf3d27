/* The audit log: every admin change with who, when, and what before and after (changed keys highlighted).
 * Data: GET /api/admin/audit?from=YYYY-MM-DD&to=YYYY-MM-DD&kind=&limit=.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { $, handle } from "loket/shell.js";
import { dateTime } from "./widgets.js";
import { start } from "./shell.js";

var LIMIT = 300;

var STRINGS = i18n.pageStrings("admin/audit");
i18n.addStrings(STRINGS);

// What each kind of change is called: the catalog's "kind.<kind>" texts, {id, en} each.
var KINDS = i18n.stringFamily(STRINGS, "kind.");

var state = { entries: [], kinds: Object.keys(KINDS) };

function fillKinds() {
  var select = $("f-kind");
  var current = select.value;
  clear(select);
  select.appendChild(h("option", { value: "" }, i18n.t("all_kinds")));
  state.kinds.forEach(function (k) {
    select.appendChild(h("option", { value: k, selected: k === current }, KINDS[k] ? i18n.t(KINDS[k]) : k));
  });
}

function load() {
  var q = new URLSearchParams();
  if ($("f-from").value) q.set("from", $("f-from").value);
  if ($("f-to").value) q.set("to", $("f-to").value);
  if ($("f-kind").value) q.set("kind", $("f-kind").value);
  q.set("limit", String(LIMIT));
  return api("GET", "/api/admin/audit?" + q.toString()).then(function (data) {
    state.entries = data.entries || [];
    if (data.kinds && data.kinds.length) {
      state.kinds = data.kinds;
      fillKinds();
    }
    render();
  });
}

// ---- the diff -------------------------------------------------------------------

function isScalar(v) {
  return v === null || typeof v !== "object";
}

/** {a: {b: 1}, c: [x]} -> {"a.b": 1, "c[0]": x}: leaves only, so a change names its exact place. */
function flatten(value, prefix, out) {
  out = out || {};
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    var keys = Object.keys(value);
    if (!keys.length && prefix) out[prefix] = {};
    keys.forEach(function (k) {
      flatten(value[k], prefix ? prefix + "." + k : k, out);
    });
  } else if (Array.isArray(value) && value.every(isScalar)) {
    out[prefix || "(nilai)"] = value.join(", "); // roles, services: one line, compared whole
  } else if (Array.isArray(value)) {
    if (!value.length && prefix) out[prefix] = [];
    value.forEach(function (v, i) {
      flatten(v, prefix + "[" + i + "]", out);
    });
  } else {
    out[prefix || "(nilai)"] = value;
  }
  return out;
}

function show(value) {
  if (value === undefined) return h("span", { class: "a-muted" }, "—");
  if (value === null || value === "") return h("span", { class: "a-muted" }, i18n.t("empty"));
  if (Array.isArray(value)) return value.length ? JSON.stringify(value) : "[]";
  if (typeof value === "object") return JSON.stringify(value);
  if (value === true) return i18n.t("yes");
  if (value === false) return i18n.t("no");
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return dateTime(value);
  return String(value);
}

function diffTable(before, after) {
  var a = before === null || before === undefined ? {} : flatten(before, "");
  var b = after === null || after === undefined ? {} : flatten(after, "");
  var keys = Object.keys(a);
  Object.keys(b).forEach(function (k) {
    if (keys.indexOf(k) === -1) keys.push(k);
  });
  var changed = [];
  var same = [];
  keys.forEach(function (k) {
    (JSON.stringify(a[k]) === JSON.stringify(b[k]) ? same : changed).push(k);
  });
  if (!keys.length) return h("p", { class: "a-muted" }, i18n.t("no_details"));
  function row(k, isChanged) {
    return h(
      "tr",
      { class: isChanged ? "a-changed" : "a-same", "data-key": k },
      h("th", { scope: "row", class: "a-key" }, k),
      h("td", { class: "a-before" + (k in a ? "" : " a-none") }, show(k in a ? a[k] : undefined)),
      h("td", { class: "a-after" + (k in b ? "" : " a-none") }, show(k in b ? b[k] : undefined))
    );
  }
  var head = h(
    "thead",
    null,
    h("tr", null, h("th", { scope: "col" }, i18n.t("col_field")), h("th", { scope: "col" }, i18n.t("col_before")), h("th", { scope: "col" }, i18n.t("col_after")))
  );
  var table = h(
    "table",
    { class: "a-diff" },
    head,
    h(
      "tbody",
      null,
      changed.map(function (k) {
        return row(k, true);
      })
    )
  );
  var wrap = h("div", { class: "a-diff-wrap" }, table);
  if (same.length) {
    wrap.appendChild(
      h(
        "details",
        { class: "a-unchanged" },
        h("summary", null, i18n.fmt("unchanged_n", { n: same.length })),
        h(
          "table",
          { class: "a-diff a-diff-same" },
          h(
            "tbody",
            null,
            same.map(function (k) {
              return row(k, false);
            })
          )
        )
      )
    );
  }
  return wrap;
}

function render() {
  var list = clear($("entries"));
  var n = state.entries.length;
  $("audit-count").textContent = n >= LIMIT ? i18n.fmt("count_limited", { n: n }) : n ? i18n.fmt("count", { n: n }) : i18n.t("none");
  state.entries.forEach(function (e) {
    var who = e.officer ? e.officer.full_name + " (" + e.officer.username + ")" : i18n.t("system");
    var badge = null;
    if (e.before === null && e.after !== null) badge = h("span", { class: "pill pill-ok" }, i18n.t("created_badge"));
    if (e.after === null && e.before !== null) badge = h("span", { class: "pill pill-bad" }, i18n.t("removed_badge"));
    list.appendChild(
      h(
        "li",
        { class: "a-entry", "data-kind": e.kind, "data-id": e.id },
        h(
          "div",
          { class: "a-entry-head" },
          h("span", { class: "a-entry-kind pill", "data-kind": e.kind }, KINDS[e.kind] ? i18n.t(KINDS[e.kind]) : e.kind),
          h("span", { class: "a-entry-summary" }, e.summary || ""),
          badge,
          h("span", { class: "a-entry-who" }, i18n.fmt("by", { name: who })),
          h("time", { class: "a-entry-at", datetime: e.at }, dateTime(e.at))
        ),
        diffTable(e.before, e.after)
      )
    );
  });
}

$("audit-filter").addEventListener("submit", function (ev) {
  ev.preventDefault();
  load().catch(handle);
});

function open() {
  // No dates: the latest changes first, whatever day the browser's clock thinks it is.
  fillKinds();
  return load();
}

start({
  open: open,
  onLangChange: function () {
    fillKinds();
    render();
  },
});
