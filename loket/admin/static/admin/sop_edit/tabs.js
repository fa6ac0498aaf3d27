/* The form and the YAML tabs (the YAML tab only for a saved service). */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { state } from "./state.js";

export function showTab(tab) {
  state.tab = tab;
  $("tab-form").setAttribute("aria-selected", tab === "form" ? "true" : "false");
  $("tab-yaml").setAttribute("aria-selected", tab === "yaml" ? "true" : "false");
  $("panel-form").hidden = tab !== "form";
  $("panel-yaml").hidden = tab !== "yaml";
  if (tab === "yaml") {
    $("yaml-note").textContent = state.dirty && !state.yamlDirty ? i18n.t("yaml_stale") : i18n.t("yaml_hint");
  }
}

$("tab-form").addEventListener("click", function () {
  showTab("form");
});
$("tab-yaml").addEventListener("click", function () {
  showTab("yaml");
});
$("sop-yaml").addEventListener("input", function () {
  state.yamlDirty = true;
});
