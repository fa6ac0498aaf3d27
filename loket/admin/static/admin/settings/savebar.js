/* The save bar: saved, unsaved changes, problems, saving; and the buttons it enables. */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { hhmm } from "loket/time.js";
import { state } from "./state.js";

export function setDirty(dirty) {
  state.dirty = dirty;
  if (!dirty) state.changedElsewhere = false;
  renderSaveBar();
}

export function renderSaveBar() {
  var bar = $("savebar");
  var status = $("save-status");
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
  } else {
    text = state.savedAt ? i18n.fmt("status_saved_at", { time: hhmm(state.savedAt) }) : i18n.t("status_clean");
    kind = "clean";
  }
  if (state.changedElsewhere && state.dirty) text += " " + i18n.t("changed_elsewhere");
  bar.setAttribute("data-state", kind);
  status.textContent = text;
  $("save").disabled = state.saving;
  $("save").textContent = state.saving ? i18n.t("saving") : i18n.t("save");
  $("reset").disabled = state.saving || !state.dirty;
  $("blanko-out").disabled = state.saving;
}
