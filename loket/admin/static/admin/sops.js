/* Services (SOP) list: source badges, add, export (one or all), import YAML or zip, revert or delete.
 * Data: GET /api/admin/sops, DELETE /api/admin/sops/<code>, POST /api/admin/sops/import (multipart "files").
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { $, handle, say } from "loket/shell.js";
import { bilingual } from "loket/i18n.js";
import { confirmAction } from "./dialogs.js";
import { dateTime, groupLabel } from "./widgets.js";
import { live } from "./live.js";
import { normaliseProblem, problemText } from "./problems.js";
import { start } from "./shell.js";
import { hubOwns } from "./hub_rules.js";


i18n.addStrings(i18n.pageStrings("admin/sops"));

var state = { sops: [], catalogProblems: [] };
var socket = null;

function load() {
  return api("GET", "/api/admin/sops").then(function (data) {
    state.sops = data.sops || [];
    state.catalogProblems = data.problems || [];
    render();
  });
}

function open() {
  api("GET", "/api/admin/meta")
    .then(function (meta) {
      hubOwns(meta.sites, "sops", document.getElementById("sop-table"));
    })
    .catch(function () {});
  return load().then(function () {
    socket = live();
    if (socket) {
      socket.on("catalog.changed", function () {
        load().catch(function () {});
      });
    }
  });
}

function sourceBadge(source) {
  return h("span", { class: "pill pill-source-" + source, "data-source": source }, i18n.t("source_" + source));
}

function render() {
  var body = clear($("sop-rows"));
  if (!state.sops.length) {
    body.appendChild(h("tr", null, h("td", { colspan: "6", class: "a-empty" }, i18n.t("none_yet"))));
  }
  state.sops.forEach(function (sop) {
    var editUrl = "/admin/sops/" + encodeURIComponent(sop.code);
    body.appendChild(
      h(
        "tr",
        { "data-code": sop.code, "data-source": sop.source },
        h("td", null, h("span", { class: "a-prefix num" }, sop.prefix)),
        h(
          "td",
          null,
          h(
            "div",
            { class: "a-service-text" },
            h("a", { class: "a-service-title a-sop-name", href: editUrl }, i18n.t(sop.name)),
            sop.draft ? h("span", { class: "pill pill-warn a-draft" }, i18n.t("draft")) : null
          ),
          h("div", { class: "a-muted a-code" }, sop.code)
        ),
        h("td", null, groupLabel(sop.group)),
        h(
          "td",
          { class: "num" },
          i18n.fmt("steps_n", { n: sop.steps }) +
            " · " +
            (sop.target_minutes ? i18n.fmt("minutes", { n: sop.target_minutes }) : i18n.t("no_target"))
        ),
        h(
          "td",
          null,
          sourceBadge(sop.source),
          sop.updated_at
            ? h(
                "div",
                { class: "a-muted" },
                i18n.fmt("updated_by", { when: dateTime(sop.updated_at), who: sop.updated_by || "?" })
              )
            : null
        ),
        h(
          "td",
          { class: "a-actions" },
          h(
            "a",
            {
              class: "btn a-export",
              href: "/api/admin/sops/" + encodeURIComponent(sop.code) + "/yaml",
              download: sop.code + ".yaml",
            },
            i18n.t("export_yaml")
          ),
          h("a", { class: "btn btn-brand a-edit", href: editUrl }, i18n.t("edit")),
          sop.source === "edited"
            ? h("button", { type: "button", class: "btn btn-danger a-revert", onclick: function () { revert(sop); } }, i18n.t("revert"))
            : null,
          sop.source === "office"
            ? h("button", { type: "button", class: "btn btn-danger a-delete", onclick: function () { remove(sop); } }, i18n.t("delete"))
            : null
        )
      )
    );
  });
  var box = $("sop-problems");
  clear(box);
  box.hidden = !state.catalogProblems.length;
  if (state.catalogProblems.length) {
    box.appendChild(h("p", null, i18n.t("catalog_problems")));
    box.appendChild(
      h(
        "ul",
        null,
        state.catalogProblems.map(function (p) {
          return h("li", null, typeof p === "string" ? p : (p.field ? p.field + ": " : "") + problemText(p.message));
        })
      )
    );
  }
}

function revert(sop) {
  confirmAction({
    title: i18n.t("revert_title"),
    text: i18n.fmt("revert_text", { name: i18n.t(sop.name) }),
    confirm: i18n.t("revert"),
    danger: true,
  }).then(function (yes) {
    if (yes) del(sop, "reverted");
  });
}

function remove(sop) {
  confirmAction({
    title: i18n.t("delete_title"),
    text: i18n.fmt("delete_text", { name: i18n.t(sop.name) }),
    confirm: i18n.t("delete"),
    danger: true,
  }).then(function (yes) {
    if (yes) del(sop, "deleted");
  });
}

function del(sop, okKey) {
  api("DELETE", "/api/admin/sops/" + encodeURIComponent(sop.code))
    .then(function () {
      say(i18n.t(okKey), "ok");
      return load();
    })
    .catch(function (err) {
      if (err.status === 409 && sop.source === "office") {
        // used by tickets: it cannot go, but it can stop being offered as final
        return confirmAction({
          title: i18n.t("delete_title"),
          text: bilingual(err.message),
          confirm: i18n.t("mark_draft"),
        }).then(function (yes) {
          if (yes) return markDraft(sop);
        });
      }
      handle(err);
    });
}

function markDraft(sop) {
  var url = "/api/admin/sops/" + encodeURIComponent(sop.code);
  return api("GET", url)
    .then(function (doc) {
      var data = Object.assign({}, doc.sop, { draft: true });
      return api("PUT", url, { sop: data });
    })
    .then(function () {
      say(i18n.t("marked_draft"), "ok");
      return load();
    })
    .catch(handle);
}

$("sop-import").addEventListener("change", function (ev) {
  var input = ev.target;
  if (!input.files || !input.files.length) return;
  var form = new FormData();
  Array.prototype.forEach.call(input.files, function (f) {
    form.append("files", f, f.name);
  });
  input.value = "";
  var box = $("sop-problems");
  api("POST", "/api/admin/sops/import", form)
    .then(function (res) {
      box.hidden = true;
      say(i18n.fmt("imported", { created: (res.created || []).length, updated: (res.updated || []).length }), "ok");
      return load();
    })
    .catch(function (err) {
      if (err.status === 400 && err.data && err.data.problems) {
        clear(box);
        box.appendChild(h("p", null, i18n.t("import_failed")));
        box.appendChild(
          h(
            "ul",
            null,
            err.data.problems.map(function (p) {
              p = normaliseProblem(p);
              return h("li", { "data-problem-field": p.field }, (p.field ? p.field + ": " : "") + problemText(p.message));
            })
          )
        );
        box.hidden = false;
        box.scrollIntoView({ block: "nearest" });
        return;
      }
      handle(err);
    });
});

start({
  open: open,
  close: function () {
    socket = null;
  },
  onLangChange: render,
});
