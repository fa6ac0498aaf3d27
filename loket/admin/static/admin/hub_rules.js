/* The hub's rules on the admin pages (issue 16, docs/sites.md "Rules from the hub").
 * At a site whose first sync came: the fields the hub sets are read-only, marked "Diatur oleh kantor pusat (hub)";
 * the site's own fields stay editable and say whether they follow the hub. Accounts and SOPs: the hub's only.
 * At the hub: the page edits the rules for every site, and each field has a box "Lokasi boleh mengubah" (the
 * override policy, saved at once).
 * Data: GET /api/admin/meta ("sites"), PUT /api/admin/sites/policy.
 */
import * as i18n from "loket/i18n.js";
import { h } from "loket/dom.js";
import { api } from "loket/request.js";
import { handle, say } from "loket/shell.js";

i18n.addStrings(i18n.pageStrings("admin/hub_rules"));

/** At a site, the page's records are the hub's (key: "accounts" or "sops"): a note, and the page marked so its
 * buttons that change them are hidden (admin.css, [data-hub-owns]). Does nothing elsewhere. */
export function hubOwns(sites, key, before) {
  document.querySelectorAll(".a-hub-note").forEach(function (n) {
    n.remove();
  });
  if (!sites || sites.scope !== "site") return;
  document.body.setAttribute("data-hub-owns", key);
  var note = h("p", { class: "alert a-hub-note", role: "note" }, i18n.t(key + "_note"));
  if (before && before.parentNode) before.parentNode.insertBefore(note, before);
}

/** Mark the fields ([data-field] boxes under `root`) of the ruled setting `key` ("office", "booking"). */
export function markFields(root, sites, key) {
  (root.parentNode || root).querySelectorAll(".a-hub-mark").forEach(function (n) {
    n.remove();
  });
  root.querySelectorAll("[inert]").forEach(function (n) {
    n.removeAttribute("inert");
  });
  if (!sites || !sites.rules || !sites.rules[key]) return;
  var described = sites.rules[key];
  if (sites.scope === "site" && described.ruled_by_hub) {
    markSite(root, described);
  } else if (sites.scope === "hub") {
    markHub(root, sites, key);
  }
}

function banner(root, key) {
  var note = h("p", { class: "alert a-hub-mark a-hub-banner", role: "note" }, i18n.t(key));
  if (root.parentNode) root.parentNode.insertBefore(note, root);
}

function boxes(root, field) {
  return Array.prototype.slice.call(root.querySelectorAll('[data-field="' + field + '"]'));
}

function markSite(root, described) {
  var own = described.overridable;
  banner(root, "site_banner");
  described.hub_owned.forEach(function (field) {
    boxes(root, field).forEach(function (box) {
      // a section holding no field of the site's is the hub's as a whole (its switches too)
      var section = box.closest("section");
      var whole =
        section &&
        !own.some(function (f) {
          return section.querySelector('[data-field="' + f + '"]');
        });
      var target = whole ? section : box;
      target.setAttribute("inert", "");
      target.setAttribute("data-hub-owned", "true");
      target.parentNode.insertBefore(h("p", { class: "a-hint a-hub-mark a-hub-owned" }, i18n.t("set_by_hub")), target);
    });
  });
  own.forEach(function (field) {
    boxes(root, field).forEach(function (box) {
      var text = described.overridden.indexOf(field) >= 0 ? "own_value" : "follows_hub";
      box.appendChild(h("p", { class: "a-hint a-hub-mark a-hub-own" }, i18n.t(text)));
    });
  });
}

function markHub(root, sites, key) {
  banner(root, "hub_banner");
  var allowed = sites.policy[key] || [];
  var always = (sites.always_local && sites.always_local[key]) || [];
  (sites.fields[key] || []).forEach(function (field) {
    boxes(root, field).forEach(function (box) {
      var input = h("input", {
        type: "checkbox",
        class: "a-hub-allow",
        "data-allow": field,
        checked: allowed.indexOf(field) >= 0,
        disabled: always.indexOf(field) >= 0,
      });
      // the policy saves at once: the settings form does not count it as an edit
      ["input", "change"].forEach(function (type) {
        input.addEventListener(type, function (ev) {
          ev.stopPropagation();
          if (type === "change") savePolicy(root, sites, key);
        });
      });
      box.appendChild(h("label", { class: "a-check a-hub-mark a-hub-policy" }, input, h("span", null, i18n.t("sites_may_change"))));
    });
  });
}

function savePolicy(root, sites, key) {
  var chosen = Array.prototype.map.call(root.querySelectorAll(".a-hub-allow:checked"), function (n) {
    return n.getAttribute("data-allow");
  });
  var body = {};
  body[key] = chosen.filter(function (f, i) {
    return chosen.indexOf(f) === i;
  });
  api("PUT", "/api/admin/sites/policy", body)
    .then(function (meta) {
      sites.policy = meta.policy;
      say(i18n.t("policy_saved"), "ok");
    })
    .catch(handle);
}
