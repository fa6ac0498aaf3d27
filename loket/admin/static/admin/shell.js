/* The admin pages' shell on top of the staff shell (static/js/shell.js): the nav bar's strings; the admin
 * role that opens the pages is rendered by their route (admin/routes.py). Each page calls
 * start({open, close, onLangChange, leaving}) once; `open` loads its data from /api/admin/*. Dialogs, problems, widgets and the live channel are modules of their own beside this one.
 */
import * as i18n from "loket/i18n.js";
import * as S from "loket/shell.js";
import { closeSocket } from "./live.js";

i18n.addStrings(i18n.pageStrings("admin/shell"));

/** Open the page as admin: the staff shell logs in and takes the role; leaving the page closes the live channel. */
export function start(page) {
  S.start({
    cls: "a",
    open: page.open,
    close: function () {
      closeSocket();
      if (page.close) page.close();
    },
    onLangChange: page.onLangChange,
    leaving: page.leaving,
  });
}
