/* Disruption mode at the kiosk: a banner on every screen, and before a ticket is taken the detail screen says
 * what is down and what the office offers meanwhile: take the ticket anyway (the berkas waits until the service
 * is back), leave the berkas ("titip berkas": a receipt ticket, the documents handed to the front desk, processed
 * without the resident once the service is back; ticket.js takes it), or book another day (the booking page's
 * address and its QR), as the office set each disruption. */
import qrcode from "qrcode";
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { affecting, bannerOnTop, describe, disruptions, onDisruptions, watchDisruptions } from "loket/disruption.js";
import { $, state } from "./state.js";

/** Whether the disruptions of the chosen service stop the kiosk giving a ticket for it (the office's choice). */
export function ticketStopped() {
  return !!state.current && affecting(state.current.code).some((d) => d.offers && !d.offers.ticket);
}

/** Whether a disruption of the chosen service offers leaving the berkas, and the service's steps allow it. */
export function titipOffered() {
  return !!state.current && !!state.current.titip_fits && affecting(state.current.code).some((d) => d.offers && d.offers.titip);
}

var titipAction = function () {};

/** ticket.js: what the "Titip berkas" button does. */
export function onTitip(fn) {
  titipAction = fn;
}

function bookingQr(url) {
  var qr = qrcode(0, "M");
  qr.addData(url);
  qr.make();
  return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(qr.createSvgTag(5, 10));
}

/** The notice on the detail screen (above the other notices), for the service being read. */
export function renderDetailDisruption() {
  var host = document.getElementById("detail-disruption");
  var notices = $("detail-notices");
  if (!host && notices) {
    host = h("div", { id: "detail-disruption", class: "k-notice k-notice-bad k-disruption", role: "alert" });
    notices.parentNode.insertBefore(host, notices);
  }
  if (!host) return;
  clear(host);
  var list = state.current ? affecting(state.current.code) : [];
  host.hidden = !list.length;
  host.setAttribute("data-disruptions", String(list.length));
  if (!list.length) return;
  list.forEach(function (d) {
    host.appendChild(h("p", { class: "k-disruption-line", "data-disruption": d.id }, describe(d), d.note ? " " + d.note : ""));
  });
  var stopped = ticketStopped();
  host.appendChild(h("p", { class: "k-disruption-offer", "data-offer": stopped ? "no-ticket" : "ticket" }, i18n.t(stopped ? "disruption_no_ticket" : "disruption_offer_ticket")));
  if (titipOffered()) {
    host.appendChild(
      h(
        "div",
        { class: "k-disruption-titip", "data-offer": "titip" },
        h("p", null, i18n.t("disruption_offer_titip")),
        h("button", { type: "button", id: "take-titip", class: "btn k-take-titip", onclick: () => titipAction() }, i18n.t("titip_take"))
      )
    );
  }
  var book = disruptions.bookingUrl && list.some((d) => d.offers && d.offers.book);
  if (book) {
    host.appendChild(
      h(
        "div",
        { class: "k-disruption-book", "data-offer": "book" },
        h("img", { src: bookingQr(disruptions.bookingUrl), alt: "", width: "120", height: "120" }),
        h("p", null, i18n.t("disruption_offer_book"), h("br"), h("strong", null, disruptions.bookingUrl))
      )
    );
  }
}

/** Follow the disruptions on the kiosk's connection; `redraw` is called when they change (the take button). */
export function watchKioskDisruptions(socket, redraw) {
  bannerOnTop(null, "1.5rem");
  onDisruptions(function () {
    renderDetailDisruption();
    redraw();
  });
  watchDisruptions(socket);
}
