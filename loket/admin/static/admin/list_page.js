/* The list pages (admin/table_page.html: counters, users, devices): one table of items, an "add" button,
 * an edit dialog per item. This draws the table's head, its rows and the empty row, wires the button and
 * starts the admin shell; the page says what to load and how one row looks.
 */
import { t } from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { start } from "./shell.js";
import { tableHead } from "./widgets.js";

/**
 * opts: {columns: [string keys, "" for the actions column], load() -> Promise that fills the page's state,
 * items() -> the items to show, row(item) -> <tr>, empty: string key for an empty list (or none), add()}.
 * Returns {render(), reload()}: reload() loads again and draws (after a save); it rejects like load().
 */
export function listPage({ columns, load, items, row, empty, add }) {
  function render() {
    tableHead($("table-head"), columns);
    const body = clear($("rows"));
    const list = items();
    if (!list.length && empty) {
      body.appendChild(h("tr", null, h("td", { colspan: String(columns.length), class: "a-empty" }, t(empty))));
    }
    list.forEach((item) => body.appendChild(row(item)));
  }
  async function reload() {
    await load();
    render();
  }
  $("add").addEventListener("click", () => add());
  start({ open: reload, onLangChange: render });
  return { render, reload };
}
