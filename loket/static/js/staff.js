/* The staff pages' shell (templates/staff_base.html): log in, take a role for the session, refuse politely,
 * the language switch, the nav bar and messages. Used by the admin pages, the report pages and the IKM report.
 *
 * Staff.start({roles, noRole, showFirst, cls, open(me), close(), onLangChange(), leaving()}):
 *   roles      the session roles that open the page, in order of preference;
 *   noRole     a string key: refuse with it when the account holds none of `roles` (else the API's refusal is shown);
 *   showFirst  show the page before `open` has loaded (charts need to be visible to be drawn);
 *   cls        the CSS class prefix of the area ("a", "r");
 *   leaving()  true while there are unsaved changes: log-out and leaving the page ask first.
 */
(function () {
  "use strict";

  var L = window.Loket;
  var h = L.h;
  var INFO_SECONDS = 8;

  L.addStrings({
    logout: { id: "Keluar", en: "Log out" },
    loading: { id: "Memuat…", en: "Loading…" },
    username: { id: "Nama pengguna", en: "Username" },
    password: { id: "Kata sandi", en: "Password" },
    login: { id: "Masuk", en: "Log in" },
    login_other: { id: "Keluar dan masuk dengan akun lain", en: "Log out and use another account" },
    close: { id: "Tutup", en: "Close" },
    who: { id: "{name} · {role}", en: "{name} · {role}" },
    switch_to: { id: "Beralih ke peran {role}", en: "Switch to the {role} role" },
  });

  var $ = function (id) {
    return document.getElementById(id);
  };
  var state = { me: null, page: null, view: "loading" };
  var cfg = { roles: [], cls: "a" };
  var infoTimer = null;
  var refusal = null; // {text(), role}: what the refusal view says, again on a language change
  var opened = false;

  /** The API's "Indonesia (English)" message (or a {id, en} string) in the page's language. */
  function bilingual(msg) {
    if (!msg) return "";
    if (typeof msg === "object") return L.t(msg);
    var m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(msg);
    if (!m) return msg;
    return L.lang === "en" ? m[2] : m[1];
  }

  // ---- messages -------------------------------------------------------------

  function say(text, kind) {
    var box = L.clear($("messages"));
    clearTimeout(infoTimer);
    if (!text) return;
    var isError = kind === "error";
    box.appendChild(
      h(
        "div",
        {
          class: "alert " + cfg.cls + "-message " + (isError ? "" : kind === "ok" ? "alert-ok" : "alert-info"),
          role: isError ? "alert" : "status",
          "data-kind": kind || "info",
        },
        h("span", null, text),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-quiet " + cfg.cls + "-message-close",
            "aria-label": L.t("close"),
            onclick: function () {
              say("");
            },
          },
          "×"
        )
      )
    );
    if (!isError) {
      infoTimer = setTimeout(function () {
        say("");
      }, INFO_SECONDS * 1000);
    }
  }

  function fail(err) {
    say(bilingual(err && err.message ? err.message : String(err)), "error");
  }

  /** An API error while the page works: a lost session goes back to log-in, a refusal to the refusal view. */
  function handle(err) {
    if (err && err.status === 401) {
      state.me = null;
      route();
      return;
    }
    if (err && err.status === 403 && err.code !== "conflict") {
      refuseWith((err.data && err.data.label) || err.message);
      return;
    }
    fail(err);
  }

  // ---- views ----------------------------------------------------------------

  function roleOf(me, code) {
    return ((me && me.roles) || []).filter(function (r) {
      return r.code === code;
    })[0];
  }

  function roleLabel(me, code) {
    var role = roleOf(me, code);
    return role ? L.t(role.label) : code;
  }

  function showWho() {
    var me = state.me;
    $("who").textContent = L.fmt("who", { name: me.user.full_name, role: roleLabel(me, me.role) });
  }

  function showView(name) {
    state.view = name;
    ["loading", "login", "refused"].forEach(function (v) {
      $("view-" + v).hidden = name !== v;
    });
    $("page").hidden = name !== "page";
    document.querySelectorAll("[data-page-only]").forEach(function (node) {
      node.hidden = name !== "page";
    });
    document.querySelectorAll("[data-role-only]").forEach(function (node) {
      node.hidden = !(state.me && state.me.role === node.getAttribute("data-role-only"));
    });
    document.body.setAttribute("data-view", name === "page" ? document.body.getAttribute("data-page") || name : name);
    $("logout").hidden = !(state.me && state.me.user);
    $("who").hidden = name !== "page";
    if (name === "page") showWho();
  }

  // ---- who may open the page ------------------------------------------------------

  function heldRole(me) {
    return cfg.roles.filter(function (code) {
      return roleOf(me, code);
    })[0];
  }

  /** Where the session stands: log in, refuse, switch roles, or open the page. */
  function route(justLoggedIn) {
    var me = state.me;
    if (!me || !me.user) {
      closePage();
      showView("login");
      $("login-username").focus();
      return Promise.resolve();
    }
    if (cfg.roles.indexOf(me.role) !== -1) return openPage();
    var held = heldRole(me);
    if (!held && cfg.noRole) {
      refuse(function () {
        return L.t(cfg.noRole);
      }, null);
      return Promise.resolve();
    }
    if (held && me.role && !justLoggedIn) {
      // Working at a desk in another role: do not take the desk away without asking.
      refuse(function () {
        return L.fmt("refused_working_as", {
          role: roleLabel(me, me.role),
          where: me.counter ? " (" + me.counter.name + ")" : "",
          report: roleLabel(me, held),
        });
      }, held);
      return Promise.resolve();
    }
    return takeRole(held || cfg.roles[0]);
  }

  /** Take a role for this session (no counter); the API refuses anyone without it. */
  function takeRole(role) {
    return L.api("POST", "/api/session", { role: role, counter_id: null })
      .then(function (me) {
        state.me = me;
        return openPage();
      })
      .catch(function (err) {
        if (err.status === 401) {
          state.me = null;
          return route();
        }
        refuseWith((err.data && err.data.label) || err.message);
      });
  }

  function openPage() {
    if (cfg.showFirst) showView("page");
    say("");
    opened = true;
    return Promise.resolve()
      .then(function () {
        return state.page.open(state.me);
      })
      .then(function () {
        if (!cfg.showFirst) showView("page");
      })
      .catch(handle);
  }

  function closePage() {
    if (opened && state.page && state.page.close) state.page.close();
    opened = false;
  }

  function showRefusal() {
    $("refused-message").textContent = refusal.text();
    var button = $("switch-role");
    button.hidden = !refusal.role;
    if (refusal.role && !button.hasAttribute("data-i18n")) {
      button.textContent = L.fmt("switch_to", { role: roleLabel(state.me, refusal.role) });
    }
    var hint = $("refused-hint");
    if (hint) hint.hidden = !!refusal.role;
  }

  /** The refusal view: `text()` says why; `role`, when given, is offered to switch to. */
  function refuse(text, role) {
    closePage();
    refusal = { text: text, role: role };
    showRefusal();
    showView("refused");
  }

  /** The API's own refusal ("Indonesia (English)"), in the page's language. */
  function refuseWith(apiMessage) {
    refuse(function () {
      return bilingual(apiMessage);
    }, null);
  }

  $("switch-role").addEventListener("click", function () {
    if (refusal && refusal.role) takeRole(refusal.role);
  });

  // ---- log in / out -----------------------------------------------------------

  /** A failed log-in: next to the form when the page has a place for it, else as a message. */
  function loginFailed(err) {
    var box = $("login-error");
    if (!box) return fail(err);
    box.textContent = bilingual(err && err.message ? err.message : String(err));
    box.hidden = false;
  }

  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var button = $("login-submit");
    button.disabled = true;
    if ($("login-error")) $("login-error").hidden = true;
    L.login($("login-username").value, $("login-password").value)
      .then(function (me) {
        state.me = me;
        $("login-password").value = "";
        say("");
        return route(true);
      })
      .catch(loginFailed)
      .then(function () {
        button.disabled = false;
      });
  });

  function leaving() {
    return !!(state.page && state.page.leaving && state.page.leaving());
  }

  function logout() {
    if (leaving() && !window.confirm(L.t("leave_unsaved"))) return;
    L.api("POST", "/api/logout")
      .catch(function () {})
      .then(function () {
        return L.refreshCsrf().catch(function () {});
      })
      .then(function () {
        state.me = null;
        say("");
        route();
      });
  }

  $("logout").addEventListener("click", logout);
  $("refused-logout").addEventListener("click", logout);

  window.addEventListener("beforeunload", function (ev) {
    if (state.view === "page" && leaving()) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });

  // ---- start ---------------------------------------------------------------------

  function start(options) {
    Object.keys(options).forEach(function (k) {
      cfg[k] = options[k];
    });
    state.page = options;
    L.onLangChange(function () {
      if (refusal && state.view === "refused") showRefusal();
      if (state.view === "page") {
        showWho();
        if (options.onLangChange) options.onLangChange();
      }
    });
    L.initLangSwitch();
    L.api("GET", "/api/me")
      .then(function (me) {
        state.me = me;
        return route();
      })
      .catch(function (err) {
        fail(err);
        showView("login");
      });
  }

  window.Staff = {
    start: start,
    state: state,
    $: $,
    say: say,
    fail: fail,
    handle: handle,
    bilingual: bilingual,
    route: route,
    roleLabel: roleLabel,
  };
})();
