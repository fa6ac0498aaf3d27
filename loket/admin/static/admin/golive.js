/* Siap digunakan? The go-live checklist: each item's state (done / to do / warning), why, and where to fix it.
 * Data: GET /api/admin/golive (computed from the office's real data on every load).
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { $, handle } from "loket/shell.js";
import { start } from "./shell.js";

i18n.addStrings(i18n.pageStrings("admin/golive"));

var state = { checks: [], summary: null };

function render() {
  var list = clear($("checks"));
  if (state.summary) {
    $("summary").textContent = i18n.fmt("summary", {
      done: state.summary.done,
      todo: state.summary.todo,
      warning: state.summary.warning,
    });
  }
  state.checks.forEach(function (c) {
    var fix = c.link
      ? h("a", { class: "golive-fix", href: c.link }, i18n.t("fix_link"))
      : h("span", { class: "golive-fix" }, i18n.fmt("fix_setting", { setting: c.setting }));
    list.appendChild(
      h(
        "li",
        { class: "golive-item golive-" + c.state, "data-key": c.key, "data-state": c.state },
        h("span", { class: "golive-state pill" }, i18n.t("state_" + c.state)),
        h("div", { class: "golive-text" }, h("strong", {}, i18n.t(c.title)), h("span", {}, i18n.t(c.detail))),
        fix
      )
    );
  });
}

function load() {
  return api("GET", "/api/admin/golive").then(function (res) {
    state.checks = res.checks;
    state.summary = res.summary;
    render();
  });
}

$("refresh").addEventListener("click", function () {
  load().catch(handle);
});

start({ open: load, onLangChange: render });
