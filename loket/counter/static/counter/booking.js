/* A ticket issued by a booking's check-in (source "booking", issue 13): the "Booking online" badge with its slot,
 * and for the front desk the NIK given at booking, one tap into the applicant's NIK field (the officer still checks
 * it against the KTP/KK). The server decides who sees the NIK (GET /api/desk/ticket/<id>/booking). */
import { h } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { state, renderBerkas } from "./context.js";

const known = {}; // role + ticket id -> the booking's answer, or null while it is on its way

function key(ticket) {
  return (state.me ? state.me.role : "") + ":" + ticket.id;
}

/** The booking of this berkas, once fetched (asked for the first time it is drawn); undefined if none. */
function bookingOf(ticket) {
  if (ticket.source !== "booking") return undefined;
  const k = key(ticket);
  if (!(k in known)) {
    known[k] = null;
    api("GET", "/api/desk/ticket/" + ticket.id + "/booking")
      .then((data) => {
        known[k] = data.booking || false;
        if (state.ticket && state.ticket.id === ticket.id) renderBerkas();
      })
      .catch(() => {
        delete known[k]; // asked again at the next draw
      });
  }
  return known[k];
}

/** The badge for the panel's head: "Booking online 08:30–08:45" (no slot until it arrived). */
export function bookingBadge(ticket) {
  const booking = bookingOf(ticket);
  if (booking === undefined || booking === false) return null;
  const text = booking ? fmt("booking_badge_slot", { start: booking.start, end: booking.end }) : t("booking_badge");
  return h("span", { class: "pill pill-booking", id: "berkas-booking" }, text);
}

/** For the front desk's applicant form: the NIK given at booking and "Pakai NIK ini", which fills `nikInput`. */
export function bookingNik(ticket, nikInput) {
  const booking = bookingOf(ticket);
  if (!booking || !booking.nik) return null;
  const use = () => {
    nikInput.value = booking.nik;
    nikInput.dispatchEvent(new Event("input", { bubbles: true })); // the draft keeps it across a re-draw
    nikInput.focus();
  };
  return h(
    "p",
    { class: "c-booking-nik", id: "booking-nik" },
    h("span", null, t("booking_nik"), " "),
    h("strong", { class: "num", id: "booking-nik-value" }, booking.nik),
    " ",
    h("button", { type: "button", class: "btn btn-quiet", id: "booking-nik-use", onclick: use }, t("booking_nik_use")),
    h("span", { class: "c-booking-nik-check" }, t("booking_nik_check"))
  );
}
