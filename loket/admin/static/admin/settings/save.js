/* Saving the settings: the whole form ("Simpan"), or only "no blanko today" in one press. */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { ApiError, api } from "loket/request.js";
import { say, handle } from "loket/shell.js";
import { normaliseProblem } from "../problems.js";
import { state } from "./state.js";
import { setDirty, renderSaveBar } from "./savebar.js";
import { fillForm, readForm, renderBlankoState, normalise } from "./form.js";
import { loadServices } from "./services.js";
import { showProblems, clearProblems, clearProblemAt } from "./problems.js";

/** PUT the settings; resolves {status, data} for 200 and for a 400 with problems, rejects otherwise. */
function putSettings(changes) {
  return api("PUT", "/api/admin/settings", changes)
    .then(function (data) {
      return { status: 200, data: data };
    })
    .catch(function (err) {
      if (err.data && (err.status === 400 || err.status === 401 || err.status === 403)) {
        return { status: err.status, data: err.data };
      }
      throw err;
    });
}

/** Save a partial update; resolves with the saved settings, or false (problems shown, or an error handled). */
export function save(changes, okText) {
  state.saving = true;
  renderSaveBar();
  return putSettings(changes)
    .then(function (res) {
      if (res.status === 200) {
        return res.data;
      }
      if (res.status === 400 && res.data.problems) {
        showProblems(res.data.problems.map(normaliseProblem));
        say(""); // the problems are on the form, and the save bar says so
        return null;
      }
      throw new ApiError(res.data.message || res.data.error || String(res.status), res.status, res.data.error);
    })
    .then(function (saved) {
      if (!saved) return false;
      state.savedAt = new Date();
      say(okText, "ok");
      return saved;
    })
    .catch(function (err) {
      handle(err);
      return false;
    })
    .then(function (saved) {
      state.saving = false;
      renderSaveBar();
      return saved;
    });
}

$("settings-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  if (state.saving) return;
  var problems = [];
  var changes = readForm(problems);
  if (problems.length) {
    showProblems(problems);
    return;
  }
  clearProblems();
  save(changes, i18n.t("saved")).then(function (saved) {
    if (!saved) return;
    state.settings = saved;
    fillForm(saved);
    setDirty(false);
    loadServices();
  });
});

/** The morning announcement in one press: no blanks today. Saves only the stock. */
$("blanko-out").addEventListener("click", function () {
  if (state.saving) return;
  $("f-blanko").value = "0";
  renderBlankoState();
  clearProblemAt($("f-blanko"));
  var slot = document.querySelector('[data-problem-for="blanko_stock"]');
  if (slot) slot.hidden = true;
  save({ blanko_stock: 0 }, i18n.t("blanko_saved")).then(function (saved) {
    if (!saved) return;
    state.settings = saved;
    // other edits on the form stay as typed, still waiting for "Simpan"
    var problems = [];
    var rest = readForm(problems);
    var same = !problems.length && JSON.stringify(normalise(rest)) === JSON.stringify(normalise(saved));
    setDirty(!same);
    loadServices();
  });
});
