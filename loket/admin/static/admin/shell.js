/* The admin pages' shell on top of the staff shell (static/js/shell.js): the nav bar's strings; the admin
 * role that opens the pages is rendered by their route (admin/routes.py). Each page calls
 * start({open, close, onLangChange, leaving}) once; `open` loads its data from /api/admin/*. Dialogs, problems, widgets and the live channel are modules of their own beside this one.
 */
import * as i18n from "loket/i18n.js";
import * as S from "loket/shell.js";
import { api } from "loket/request.js";
import { closeSocket } from "./live.js";

i18n.addStrings(i18n.pageStrings("admin/shell"));

/** Accounts that still open with the demo password (GET /api/admin/warnings); none until asked. */
var demoAccounts = [];

function showDemoWarning() {
  var box = document.getElementById("demo-warning");
  box.hidden = demoAccounts.length === 0;
  box.textContent = demoAccounts.length ? i18n.fmt("demo_passwords", { accounts: demoAccounts.join(", ") }) : "";
}

/** Ask the server again (after a password reset or a deactivation on the users page). */
export function checkDemoPasswords() {
  return api("GET", "/api/admin/warnings")
    .then(function (res) {
      demoAccounts = res.demo_password_accounts || [];
      showDemoWarning();
    })
    .catch(function () {
      /* the page itself says what went wrong */
    });
}

/** Open the page as admin: the staff shell logs in and takes the role; leaving the page closes the live channel.
 * Every admin page warns while an account still opens with the demo password. */
export function start(page) {
  S.start({
    cls: "a",
    open: function (me) {
      checkDemoPasswords();
      return page.open(me);
    },
    close: function () {
      closeSocket();
      demoAccounts = [];
      showDemoWarning();
      if (page.close) page.close();
    },
    onLangChange: function () {
      showDemoWarning();
      if (page.onLangChange) page.onLangChange();
    },
    leaving: page.leaving,
  });
}
