/* Office settings for the admin: texts, blanko KTP-el stock, opening hours, service closures and quotas,
 * calls before no-show, personal-data retention (and its purge), how the voice reads numbers.
 * Data: GET/PUT /api/admin/settings (partial updates; 400 lists every problem as {field, message}),
 * GET /api/services, POST /api/admin/purge-personal-data. Log-in and the admin role: ../shell.js.
 *
 * This module loads the page, follows edits and live events; beside it: the form (form.js, hours.js,
 * services.js), its problems (problems.js), the save bar (savebar.js), saving (save.js), the purge (purge.js).
 */
import * as i18n from "loket/i18n.js";
import { $ } from "loket/dom.js";
import { api } from "loket/request.js";
import { handle } from "loket/shell.js";
import { start } from "../shell.js";
import { live } from "../live.js";
import "./strings.js";
import { state, dayName } from "./state.js";
import { setDirty, renderSaveBar } from "./savebar.js";
import { renderHoursState, isHoursToggle } from "./hours.js";
import { loadServices, updateOfficeTitle, renderServiceStatus } from "./services.js";
import { fillForm, renderBlankoState } from "./form.js";
import { showProblems, clearProblems, clearProblemAt } from "./problems.js";
import "./save.js";
import "./purge.js";
import { loadOutbox } from "./outbox.js";
import { openMessages } from "./messages.js";
import { markFields } from "../hub_rules.js";

let socket = null;
let servicesTimer = null;

/** The settings as saved, onto the form; rejects with the API's error (the shell handles 401/403). */
function openSettings() {
  return Promise.all([
    api("GET", "/api/admin/settings"),
    api("GET", "/api/services"),
    api("GET", "/api/admin/meta"),
  ]).then(function (res) {
    showDefaults(res[2].defaults || {});
    state.settings = res[0];
    state.services = res[1].services || [];
    updateOfficeTitle(res[1].office);
    fillForm(state.settings);
    markFields(document.querySelector("#settings-form .a-grid"), res[2].sites, "office");
    clearProblems();
    setDirty(false);
    connect();
    loadOutbox().catch(handle);
    return openMessages(state.settings);
  });
}

/** An empty field means the server's default: show it as the field's placeholder. */
function showDefaults(d) {
  if (d.calls_before_no_show) $("f-calls").placeholder = String(d.calls_before_no_show);
  if (d.no_show_min_minutes !== undefined) $("f-no-show-minutes").placeholder = String(d.no_show_min_minutes);
  if (d.personal_data_retention_days) $("f-retention").placeholder = String(d.personal_data_retention_days);
}

$("settings-form").addEventListener("input", onEdit);
$("settings-form").addEventListener("change", onEdit);

function onEdit(ev) {
  var target = ev.target;
  if (isHoursToggle(target)) renderHoursState();
  if (target.classList && target.classList.contains("a-closed")) {
    var row = target.closest(".a-service");
    var reason = row.querySelector(".a-reason");
    reason.disabled = !target.checked;
    row.setAttribute("data-closed", target.checked ? "true" : "false");
    if (target.checked && ev.type === "change") reason.focus();
  }
  if (target === $("f-blanko")) renderBlankoState();
  clearProblemAt(target);
  if (state.settings) {
    renderServiceStatus();
    if (!state.dirty) setDirty(true);
    else renderSaveBar();
  }
}

$("reset").addEventListener("click", function () {
  if (!state.settings) return;
  clearProblems();
  // the latest from the server: someone else may have saved meanwhile
  openSettings().catch(handle);
});

// ---- live: other admins, tickets issued ----

function connect() {
  if (socket) return;
  socket = live();
  if (!socket) return;
  socket.on("settings.changed", function () {
    if (state.saving) return; // our own save: its answer updates the form
    if (state.dirty) {
      state.changedElsewhere = true;
      renderSaveBar();
      loadServices();
      return;
    }
    api("GET", "/api/admin/settings")
      .then(function (s) {
        if (state.dirty || state.saving) return;
        state.settings = s;
        fillForm(s);
        renderSaveBar();
      })
      .catch(function () {});
    loadServices();
  });
  socket.onAny(function (event) {
    // issued today / remaining change with every ticket
    if (event === "ticket.issued" || event === "ticket.cancelled" || event === "ticket.voided") {
      clearTimeout(servicesTimer);
      servicesTimer = setTimeout(loadServices, 300);
    }
  });
  socket.on("connect", function () {
    loadServices();
  });
}

// ---- start ----

function onLangChange() {
  document.querySelectorAll("[data-day-name]").forEach(function (n) {
    n.textContent = i18n.t(dayName(n.getAttribute("data-day-name")));
  });
  document.querySelectorAll("[data-name]").forEach(function (n) {
    var svc = state.services.filter(function (s) {
      return s.code === n.getAttribute("data-name");
    })[0];
    if (svc) n.textContent = i18n.t(svc.name);
  });
  document.querySelectorAll(".a-reason").forEach(function (n) {
    n.setAttribute("placeholder", i18n.t("reason_placeholder"));
  });
  document.querySelectorAll(".a-quota").forEach(function (n) {
    n.setAttribute("placeholder", i18n.t("quota_placeholder"));
  });
  document.querySelectorAll(".a-check-closed span").forEach(function (n) {
    n.textContent = i18n.t("closed");
  });
  document.querySelectorAll(".a-draft").forEach(function (n) {
    n.textContent = i18n.t("draft");
  });
  if (state.settings) {
    renderHoursState();
    renderServiceStatus();
    renderBlankoState();
    if (state.problems.length) {
      showProblems(state.problems.slice(), true); // in the new language
    }
  }
  renderSaveBar();
}

start({
  open: openSettings,
  close: function () {
    socket = null; // the shell closed it
    state.settings = null;
    setDirty(false);
  },
  leaving: function () {
    return state.dirty;
  },
  onLangChange: onLangChange,
});
