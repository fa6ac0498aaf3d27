/* Purge personal data now (names and NIKs older than the retention period), after asking. */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { api } from "loket/request.js";
import { say, handle } from "loket/shell.js";
import { confirmAction } from "../dialogs.js";
import { state } from "./state.js";

$("purge-now").addEventListener("click", function () {
  var days = state.settings ? state.settings.personal_data_retention_days : null;
  confirmAction({
    title: i18n.t("purge_title"),
    text: days ? i18n.fmt("purge_confirm_text", { n: days }) : i18n.t("purge_confirm_default"),
    detail: state.dirty ? i18n.t("purge_unsaved") : null,
    confirm: i18n.t("purge_yes"),
    danger: true,
  }).then(function (yes) {
    if (!yes) return;
    $("purge-now").disabled = true;
    api("POST", "/api/admin/purge-personal-data", {})
      .then(function (res) {
        say(i18n.fmt("purged", { n: res.purged, days: res.retention_days }), "ok");
      })
      .catch(handle)
      .then(function () {
        $("purge-now").disabled = false;
      });
  });
});
