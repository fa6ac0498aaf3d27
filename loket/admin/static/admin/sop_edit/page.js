/* One service's SOP as a form (or its YAML): names, requirements, conditions, steps with roles and targets.
 * Data: GET /api/admin/meta, GET/PUT /api/admin/sops/<code>, POST /api/admin/sops (new). The server validates
 * the whole SOP and saves all of it or nothing; its problems name fields like "steps[1].target_minutes".
 *
 * This module loads the page and follows typing and live events; beside it: the form (form.js, identity.js,
 * items.js, builders.js), list editing (lists.js), tabs (tabs.js), the save bar (savebar.js), problems
 * (problems.js) and saving (save.js).
 */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { api } from "loket/request.js";
import { start } from "../shell.js";
import { live } from "../live.js";
import { groupLabel } from "../widgets.js";
import "./strings.js";
import { state } from "./state.js";
import { fillForm, renumber } from "./form.js";
import { setDirty, renderSaveBar } from "./savebar.js";
import { clearProblems, clearProblemAt, reshowProblems } from "./problems.js";
import { showTab } from "./tabs.js";
import { accept } from "./save.js";
import "./lists.js";
import { checkPrefix, renderPrefixSound } from "./prefix_sound.js";

let socket = null;

function slug(s) {
  return s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 41);
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

// ---- loading ----

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
    if (!state.code) checkPrefix();
    showTab(state.code ? state.tab : "form");
    $("tab-yaml").hidden = !state.code;
    socket = live();
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
      o.textContent = groupLabel(o.value);
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
  reshowProblems();
  renderPrefixSound();
  renderSaveBar();
}

start({
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
