/* Calling and opening a berkas: call the next resident, type or scan a ticket's code (a USB scanner types
 * into the page), and the scanner agent's reads for this counter. */
import { $ } from "loket/dom.js";
import { fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { state, say, fail, openTicket, refreshLists } from "./context.js";
import { refreshTicket } from "./panel.js";
import { pickScanned } from "./batch.js";

/** Call the next resident for this counter and role (the button, F2, and "Selesai & Panggil Berikutnya"). */
export async function callNext() {
  const button = $("call-next");
  if (button.disabled) return;
  button.disabled = true;
  try {
    const data = await api("POST", "/api/counter/call-next");
    if (data.ticket) {
      openTicket(data.ticket);
      say(fmt("called_to", { number: data.ticket.number, counter: data.ticket.counter }), "ok");
      refreshLists();
    } else {
      say(data.message, "info");
    }
  } catch (err) {
    fail(err);
  }
  button.disabled = !state.me.counter;
}

$("call-next").addEventListener("click", callNext);

$("scan-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("scan-input");
  const code = input.value.trim();
  if (!code) return;
  try {
    const data = await api("POST", "/api/scan", { code });
    input.value = "";
    openTicket(data.ticket);
    pickScanned(data.ticket);
    say(fmt("loaded", { number: data.ticket.number }), "info");
  } catch (err) {
    input.select();
    fail(err);
  }
});

// A USB scanner types into whatever has focus: send stray typing to the scan field.
document.addEventListener("keydown", (ev) => {
  if (document.body.getAttribute("data-view") !== "desk") return;
  const target = ev.target;
  const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  if (typing || document.querySelector("dialog[open]")) return;
  if (ev.key.length === 1 && !ev.ctrlKey && !ev.altKey && !ev.metaKey) $("scan-input").focus();
});

/** The scanner agent read a code for this counter: open that berkas. */
export function onScannerScan(payload) {
  if (!payload || !payload.ticket) return;
  openTicket(payload.ticket); // the push carries no applicant: ask again as this desk's role
  say(fmt("scanner_loaded", { number: payload.ticket.number }), "ok");
  refreshTicket(payload.ticket.id)
    .then(() => pickScanned(state.ticket))
    .catch(() => {});
}
