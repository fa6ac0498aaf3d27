/* The kiosk: choose a service, read what to bring, take a numbered ticket.
 *
 * Left alone in a hall: no text selection, no context menu, no zoom, no dragging,
 * no way out to other pages; staff settings only behind a held gesture and a PIN.
 *
 * The entry module: it wires the page; each behaviour lives in its own module beside it
 * (tiles, detail and priority, ticket, check-in of a booking, screens and idle reset, staff PIN and panel, live updates).
 * Every module's strings are the catalogs' scope "kiosk/kiosk", added here before anything renders.
 */
import * as i18n from "loket/i18n.js";
import { $ } from "./state.js";
import { lockDown } from "./lockdown.js";
import { armIdle, home, resetToStart, touched } from "./screens.js";
import { loadServices } from "./services.js";
import { renderOffice, renderServices } from "./tiles.js";
import { renderDetail } from "./detail.js";
import { renderTicket, takeTicket, updateTakeButton } from "./ticket.js";
import { renderPin } from "./staff_pin.js";
import { wireStaff } from "./staff_panel.js";
import { connectLive } from "./live.js";
import { renderCheckin, wireCheckin } from "./checkin.js";
import { render as renderContact, wireContact } from "./contact.js";
import { wireAccess } from "./access.js";
import { wireScrollHint } from "./scroll_hint.js";

i18n.addStrings(i18n.pageStrings("kiosk/kiosk"));

lockDown();
$("back").addEventListener("click", home);
$("take-ticket").addEventListener("click", takeTicket);
$("ticket-done").addEventListener("click", resetToStart);
// The survey is its own page; it returns to the kiosk when done, skipped or left alone.
$("open-survey").addEventListener("click", function () {
  window.location.assign("/survey?from=kiosk");
});
$("kiosk-error-close").addEventListener("click", function () {
  $("kiosk-error").hidden = true;
});
document.addEventListener("pointerdown", touched, true);
document.addEventListener("scroll", touched, { capture: true, passive: true }); // the page or a scrolling panel
$("still-here-yes").addEventListener("click", touched);
wireStaff();
wireCheckin();
wireContact();
wireAccess();
wireScrollHint();

// A resident switches language at any moment: every screen is drawn again in it.
i18n.onLangChange(function () {
  renderOffice();
  renderServices();
  renderDetail();
  renderTicket();
  renderPin();
  renderCheckin();
  renderContact();
  updateTakeButton();
});
i18n.initLangSwitch();
armIdle();
loadServices();
connectLive();
