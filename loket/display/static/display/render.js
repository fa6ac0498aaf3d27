/* Drawing the whole board, and fitting it again when the room left for the lists changes. */
import { state } from "./state.js";
import { fitOffice } from "./fit.js";
import { renderOffice } from "./office.js";
import { renderLatest, renderRecent } from "./calls.js";
import { renderCounters } from "./counters.js";
import { renderWaiting } from "./waiting.js";
import { renderReady } from "./ready.js";

export function renderAll() {
  renderOffice();
  renderLatest();
  renderRecent();
  renderCounters();
  renderWaiting();
  renderReady();
  fitOffice(); // after the lists: the recent calls set the welcome panel's height
}

export function refit() {
  if (state.day) {
    renderLatest();
    renderRecent();
    renderWaiting();
    renderReady();
  }
  fitOffice();
}
