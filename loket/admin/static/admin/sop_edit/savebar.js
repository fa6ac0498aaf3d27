/* The save bar and the page title: saved, unsaved, problems, saving, new; where the SOP comes from. */
import * as i18n from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { hhmm } from "loket/time.js";
import { state } from "./state.js";

export function setDirty(dirty) {
  state.dirty = dirty;
  if (!dirty) {
    state.yamlDirty = false;
    state.changedElsewhere = false;
  }
  renderSaveBar();
}

export function renderSaveBar() {
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
