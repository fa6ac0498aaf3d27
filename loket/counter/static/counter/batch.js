/* The back office's batch: scan (or tick) several berkas, then finish their step and pass them all on.
 * Each berkas moves with its own requests (start, then advance), so each step is logged on its own, by
 * this officer, as if done one by one. */
import { $ } from "loket/dom.js";
import { fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { state, say, refreshLists } from "./context.js";
import { backOffice, picked, onPicked } from "./worklist.js";

/** States a berkas can be passed on from in one go (a pending one must be resumed first, by hand). */
const MOVABLE = ["in_process", "serving"];

function renderBatch() {
  const back = backOffice();
  $("batch-bar").hidden = !back;
  $("batch-count").textContent = fmt("batch_count", { n: picked.size });
  $("batch-advance").disabled = !picked.size || running;
  $("batch-clear").disabled = !picked.size || running;
}

let running = false;

/** A berkas scanned in the back office joins the batch, when its step is this officer's to finish. */
export function pickScanned(ticket) {
  if (!backOffice() || !ticket || ticket.current_role !== state.me.role || MOVABLE.indexOf(ticket.state) === -1) return;
  picked.add(ticket.id);
  refreshLists();
}

async function advanceAll() {
  if (running || !picked.size) return;
  running = true;
  renderBatch();
  const ids = Array.from(picked);
  const failed = [];
  let moved = 0;
  for (const id of ids) {
    try {
      const { ticket } = await api("GET", "/api/staff/tickets/" + id);
      if (ticket.state !== "serving") await api("POST", "/api/staff/tickets/" + id + "/start", {});
      await api("POST", "/api/staff/tickets/" + id + "/advance", { note: null });
      picked.delete(id);
      moved += 1;
    } catch (err) {
      failed.push(err.message);
    }
  }
  running = false;
  say(
    failed.length ? fmt("batch_failed", { n: moved, m: failed.length, message: failed[0] }) : fmt("batch_done", { n: moved }),
    failed.length ? "error" : "ok"
  );
  await refreshLists();
  renderBatch();
}

$("batch-advance").addEventListener("click", advanceAll);
$("batch-clear").addEventListener("click", () => {
  picked.clear();
  refreshLists();
});
onPicked(renderBatch);

