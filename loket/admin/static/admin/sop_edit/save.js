/* Saving the SOP (from the form or the YAML): the server validates all of it and saves all or nothing. */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { api } from "loket/request.js";
import { say, handle } from "loket/shell.js";
import { state } from "./state.js";
import { fillForm, readForm } from "./form.js";
import { setDirty, renderSaveBar } from "./savebar.js";
import { showProblems, clearProblems } from "./problems.js";
import { showWarnings } from "./prefix_sound.js";

$("sop-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  if (state.saving) return;
  var payload = state.tab === "yaml" ? { yaml: $("sop-yaml").value } : { sop: readForm() };
  var isNew = !state.code;
  var url = isNew ? "/api/admin/sops" : "/api/admin/sops/" + encodeURIComponent(state.code);
  state.saving = true;
  renderSaveBar();
  api(isNew ? "POST" : "PUT", url, payload)
    .then(function (doc) {
      state.saving = false;
      clearProblems();
      accept(doc);
      state.savedAt = new Date();
      setDirty(false);
      say(i18n.t(isNew ? "created" : "saved"), "ok");
      if (isNew) window.history.replaceState(null, "", "/admin/sops/" + encodeURIComponent(doc.code));
    })
    .catch(function (err) {
      state.saving = false;
      if (err.status === 400 && err.data && err.data.problems) {
        showProblems(err.data.problems);
        say("");
        return;
      }
      renderSaveBar();
      handle(err);
    });
});

/** A saved SOP from the server, onto the page. */
export function accept(doc) {
  state.doc = doc;
  state.code = doc.code;
  fillForm(doc.sop);
  showWarnings(doc.warnings || []); // the prefix sounds like another service's: said, never refused
  $("sop-yaml").value = doc.yaml || "";
  document.title = i18n.t(doc.sop.name) + " · " + document.title.split(" · ").slice(-1)[0];
}
