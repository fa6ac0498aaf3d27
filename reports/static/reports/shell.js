/* The report pages' shell: log in, take the kepala or admin role, messages, number formats.
 * Each page calls Reports.start({open, close}); `open(me)` loads its figures from /api/reports/*.
 */
(function () {
  "use strict";

  var L = window.Loket;
  var h = L.h;
  var REPORT_ROLES = ["kepala", "admin"];

  L.addStrings({
    title_report: { id: "Laporan Pelayanan dan Kepatuhan SOP", en: "Service and SOP Compliance Report" },
    title_live: { id: "Aula Pelayanan Saat Ini", en: "The Service Hall Now" },
    nav_report: { id: "Laporan", en: "Report" },
    nav_live: { id: "Aula sekarang", en: "Hall now" },
    nav_admin: { id: "Admin", en: "Admin" },
    logout: { id: "Keluar", en: "Log out" },
    loading: { id: "Memuat…", en: "Loading…" },
    login_title: { id: "Masuk untuk membaca laporan", en: "Log in to read the reports" },
    login_hint: { id: "Untuk Kepala Dinas dan Admin.", en: "For the head of office and admins." },
    username: { id: "Nama pengguna", en: "Username" },
    password: { id: "Kata sandi", en: "Password" },
    login: { id: "Masuk", en: "Log in" },
    refused_title: { id: "Laporan khusus Kepala Dinas dan Admin", en: "Reports are for the head of office and admins" },
    refused_no_role: {
      id: "Akun ini tidak memiliki peran Kepala Dinas atau Admin.",
      en: "This account holds neither the head of office nor the admin role.",
    },
    refused_working_as: {
      id: "Anda sedang bekerja sebagai {role}{where}. Beralih ke peran {report} untuk membaca laporan.",
      en: "You are working as {role}{where}. Switch to the {report} role to read the reports.",
    },
    switch_role: { id: "Beralih ke peran laporan", en: "Switch to the report role" },
    login_other: { id: "Keluar dan masuk dengan akun lain", en: "Log out and use another account" },
    close: { id: "Tutup", en: "Close" },
    minutes_short: { id: "mnt", en: "min" },
  });

  var $ = function (id) {
    return document.getElementById(id);
  };
  var state = { me: null, page: null };

  // ---- number formats: Indonesian uses a decimal comma -----------------------

  function num(value, digits) {
    if (value === null || value === undefined || isNaN(value)) return "–";
    var text = Number(value).toFixed(digits === undefined ? 0 : digits);
    return L.lang === "en" ? text : text.replace(".", ",");
  }

  /** Seconds as minutes with one decimal: "3,2". */
  function minutes(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    return num(seconds / 60, 1);
  }

  function percent(share) {
    if (!share || share.ratio === null || share.ratio === undefined) return "–";
    return num(share.ratio * 100, 0) + "%";
  }

  // ---- messages -----------------------------------------------------------------

  function say(text, kind) {
    var box = L.clear($("messages"));
    if (!text) return;
    box.appendChild(
      h(
        "div",
        { class: "alert r-message " + (kind === "error" ? "" : "alert-info"), role: kind === "error" ? "alert" : "status" },
        h("span", null, text),
        h("button", { type: "button", class: "btn btn-quiet", "aria-label": L.t("close"), onclick: function () { say(""); } }, "×")
      )
    );
  }

  /** The API's "Indonesia (English)" message in the page's language. */
  function bilingual(msg) {
    var m = /^(.*)\s\((.+)\)\s*$/.exec(msg || "");
    if (!m) return msg;
    return L.lang === "en" ? m[2] : m[1];
  }

  function fail(err) {
    say(bilingual(err && err.message ? err.message : String(err)), "error");
  }

  // ---- views --------------------------------------------------------------------

  function showView(name) {
    ["loading", "login", "refused"].forEach(function (v) {
      $("view-" + v).hidden = name !== v;
    });
    $("page").hidden = name !== "page";
    document.body.setAttribute("data-view", name);
    var loggedIn = !!(state.me && state.me.user);
    $("logout").hidden = !loggedIn;
    $("who").hidden = name !== "page";
    $("nav-admin").hidden = !(state.me && state.me.role === "admin");
    if (name === "page") {
      var role = roleOf(state.me, state.me.role);
      $("who").textContent = state.me.user.full_name + (role ? " · " + L.t(role.label) : "");
    }
  }

  function roleOf(me, code) {
    return (me.roles || []).filter(function (r) {
      return r.code === code;
    })[0];
  }

  function reportRoleHeld(me) {
    for (var i = 0; i < REPORT_ROLES.length; i++) if (roleOf(me, REPORT_ROLES[i])) return REPORT_ROLES[i];
    return null;
  }

  function route() {
    var me = state.me;
    if (!me || !me.user) {
      close();
      showView("login");
      $("login-username").focus();
      return Promise.resolve();
    }
    if (REPORT_ROLES.indexOf(me.role) !== -1) return open();
    var held = reportRoleHeld(me);
    if (!held) {
      refuse(function () {
        return L.t("refused_no_role");
      }, null);
      return Promise.resolve();
    }
    if (me.role) {
      // Working at a desk in another role: do not take the desk away without asking.
      refuse(function () {
        var role = roleOf(me, me.role);
        return L.fmt("refused_working_as", {
          role: role ? L.t(role.label) : me.role,
          where: me.counter ? " (" + me.counter.name + ")" : "",
          report: L.t(roleOf(me, held).label),
        });
      }, held);
      return Promise.resolve();
    }
    return takeRole(held);
  }

  function takeRole(role) {
    return L.api("POST", "/api/session", { role: role, counter_id: null })
      .then(function (me) {
        state.me = me;
        return open();
      })
      .catch(function (err) {
        if (err.status === 401) {
          state.me = null;
          return route();
        }
        refuse(function () {
          return bilingual(err.message);
        }, null);
      });
  }

  var refusalText = null;
  var switchTo = null;

  function refuse(text, role) {
    close();
    refusalText = text;
    switchTo = role;
    $("refused-message").textContent = text();
    $("switch-role").hidden = !role;
    showView("refused");
  }

  $("switch-role").addEventListener("click", function () {
    if (switchTo) takeRole(switchTo);
  });

  var opened = false;

  function open() {
    showView("page");
    say("");
    opened = true;
    return Promise.resolve(state.page.open(state.me)).catch(fail);
  }

  function close() {
    if (opened && state.page && state.page.close) state.page.close();
    opened = false;
  }

  // ---- log in / out ----------------------------------------------------------------

  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var button = $("login-submit");
    button.disabled = true;
    L.login($("login-username").value, $("login-password").value)
      .then(function (me) {
        state.me = me;
        $("login-password").value = "";
        say("");
        return route();
      })
      .catch(fail)
      .then(function () {
        button.disabled = false;
      });
  });

  function logout() {
    L.api("POST", "/api/logout")
      .catch(function () {})
      .then(function () {
        return L.refreshCsrf().catch(function () {});
      })
      .then(function () {
        state.me = null;
        route();
      });
  }

  $("logout").addEventListener("click", logout);
  $("refused-logout").addEventListener("click", logout);

  // ---- start ---------------------------------------------------------------------------

  window.Reports = {
    num: num,
    minutes: minutes,
    percent: percent,
    say: say,
    fail: fail,
    bilingual: bilingual,
    /** Start the page: {open(me), close(), onLangChange()}. */
    start: function (page) {
      state.page = page;
      L.initLangSwitch();
      L.onLangChange(function () {
        if (document.body.getAttribute("data-view") === "refused" && refusalText) {
          $("refused-message").textContent = refusalText();
        }
        if (document.body.getAttribute("data-view") === "page") {
          showView("page");
          if (page.onLangChange) page.onLangChange();
        }
      });
      L.api("GET", "/api/me")
        .then(function (me) {
          state.me = me;
          return route();
        })
        .catch(function (err) {
          showView("login");
          fail(err);
        });
    },
  };
})();
