/* The online booking page: service -> day -> slot -> NIK -> a booking with its QR and code; cancel.
   No framework: small DOM code, the shared i18n.js, and the QR library loaded only when a booking shows. */
import { t, fmt, lang, addStrings, pageStrings, initLangSwitch, onLangChange } from "loket/i18n.js";

addStrings(pageStrings("booking/page"));

const $ = (id) => document.getElementById(id);
const CODE_KEY = "loket.booking.code";
const DEVICE_KEY = "loket.booking.device";
const state = { services: [], priorities: [], challenge: false, service: null, day: null, slot: null, booking: null };

function remember(key, value) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    /* storage off: the page still works, it just forgets */
  }
}

function recall(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The page's own random id: the server limits bookings per device with it (never anything personal). */
function deviceId() {
  let id = recall(DEVICE_KEY);
  if (!id) {
    const bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    remember(DEVICE_KEY, id);
  }
  return id;
}

class Refused extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, url, body) {
  const headers = { Accept: "application/json", "X-Loket-Lang": lang, "X-Loket-Device": deviceId() };
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new Refused(t("offline"), 0, "offline");
  }
  const data = await response.json().catch(() => ({}));
  const problems = (data.problems || []).map((p) => p.message).join(" "); // e.g. the phone's own words
  if (!response.ok) throw new Refused(problems || data.message || t("offline"), response.status, data.error || "error");
  return data;
}

function say(message, ok = false) {
  const box = $("status");
  box.textContent = message || "";
  box.classList.toggle("ok", ok);
  box.hidden = !message;
  if (message) box.scrollIntoView({ block: "nearest" });
}

function show(step, visible) {
  $(step).hidden = !visible;
}

function choice(label, note, pressed, onClick, disabled = false) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "b-choice";
  button.textContent = label;
  if (note) {
    const small = document.createElement("small");
    small.textContent = note;
    button.append(small);
  }
  button.setAttribute("aria-pressed", pressed ? "true" : "false");
  button.disabled = disabled;
  button.addEventListener("click", onClick);
  return button;
}

function dayLabel(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.toLocaleDateString(lang === "en" ? "en-GB" : "id-ID", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

/** "07:00" as the page writes a time: 07.00 in Indonesian (KBBI/PUEBI), 07:00 in English. */
function clock(hhmm) {
  return lang === "en" ? hhmm : hhmm.replace(":", ".");
}

/** When a day's booking opens, in the office's time zone: "dibuka Sen, 7 Des pukul 07.00". */
function opensText(iso) {
  const o = { timeZone: document.body.getAttribute("data-timezone") || undefined };
  const at = new Date(iso);
  const locale = lang === "en" ? "en-GB" : "id-ID"; // id-ID writes 07.00 itself
  const day = at.toLocaleDateString(locale, { ...o, weekday: "short", day: "numeric", month: "short" });
  return fmt("opens_at", { day, time: at.toLocaleTimeString(locale, { ...o, hour: "2-digit", minute: "2-digit" }) });
}

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

/** What to bring as the kiosk shows it: each document, "(jika ada)", its note; then the service's conditions. */
function requirementsInto(list, requirements, conditions) {
  const items = requirements.map((r) => {
    const li = document.createElement("li");
    li.dataset.key = r.key;
    li.append(span("b-req-text", t(r.text) + (r.optional ? " " + t("optional") : "")));
    if (r.note) li.append(span("b-req-note", t(r.note)));
    return li;
  });
  list.replaceChildren(...items);
  const block = list.nextElementSibling;
  if (!block || !block.classList.contains("b-conds")) return;
  block.hidden = !(conditions || []).length;
  block.querySelector("ul").replaceChildren(
    ...(conditions || []).map((c) => {
      const li = document.createElement("li");
      li.textContent = t(c);
      return li;
    })
  );
}

function serviceOf(code) {
  return state.services.find((s) => s.code === code) || null;
}

// ---- the steps ----------------------------------------------------------------------------------

function renderServices() {
  $("loading").hidden = true;
  $("services").replaceChildren(
    ...state.services.map((s) =>
      choice(t(s.name), null, state.service === s, () => {
        state.service = s;
        state.day = state.slot = null;
        renderServices();
        loadDays();
      })
    )
  );
}

async function loadDays() {
  say("");
  show("step-slot", false);
  show("step-form", false);
  const { days } = await call("GET", `/api/booking/services/${encodeURIComponent(state.service.code)}/days`);
  show("step-day", true);
  renderDays(days);
  $("step-day").scrollIntoView({ block: "start" });
}

function renderDays(days) {
  state.days = days;
  if (!days.length) {
    $("days").replaceChildren(document.createTextNode(t("no_days")));
    return;
  }
  $("days").replaceChildren(
    ...days.map((d) => {
      const note = d.state === "open" ? (d.free ? fmt("free_seats", { n: d.free }) : t("full")) : opensText(d.opens_at);
      return choice(dayLabel(d.day), note, state.day === d.day, () => {
        state.day = d.day;
        state.slot = null;
        renderDays(days);
        loadSlots();
      }, d.state !== "open" || d.free === 0);
    })
  );
}

async function loadSlots(keepMessage = false) {
  if (!keepMessage) say("");
  show("step-form", false);
  const url = `/api/booking/services/${encodeURIComponent(state.service.code)}/days/${state.day}`;
  const { slots } = await call("GET", url);
  show("step-slot", true);
  state.slots = slots;
  renderSlots(slots);
  if (!keepMessage) $("step-slot").scrollIntoView({ block: "start" });
}

/** The seats of a slot this resident can take: a priority resident any free one, others only the regular ones. */
function seatsFor(s) {
  return $("priority").value ? s.free : s.free_regular;
}

function slotNote(s) {
  const seats = seatsFor(s);
  if (seats) return fmt("free_seats", { n: seats });
  if (s.free) return fmt("priority_only", { n: s.free }); // the seats left are kept for priority residents
  return t("full");
}

function renderSlots(slots) {
  if (state.slot && !seatsFor(state.slot)) {
    state.slot = null; // a priority choice undone: the chosen slot has no seat for this resident any more
    show("step-form", false);
  }
  $("slots").replaceChildren(
    ...slots.map((s) =>
      choice(clock(s.start), slotNote(s), state.slot === s, () => {
        state.slot = s;
        renderSlots(slots);
        showForm();
      }, !s.bookable || !seatsFor(s))
    )
  );
}

function showForm() {
  requirementsInto($("requirements"), state.service.requirements, state.service.conditions);
  nikLabel();
  $("chosen").textContent = `${t(state.service.name)} · ${dayLabel(state.day)} · ${clock(state.slot.start)}–${clock(state.slot.end)}`;
  show("step-form", true);
  $("step-form").scrollIntoView({ block: "start" });
}

// ---- the proof-of-work (ALTCHA protocol), when the office switched it on ----------------------------

async function sha256hex(text) {
  const digest = await window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function solveChallenge() {
  const { challenge } = await call("GET", "/api/booking/challenge");
  if (!challenge) return null;
  for (let n = 0; n <= challenge.maxnumber; n += 1) {
    if ((await sha256hex(challenge.salt + n)) === challenge.challenge) {
      const { algorithm, salt, signature } = challenge;
      return btoa(JSON.stringify({ algorithm, challenge: challenge.challenge, number: n, salt, signature }));
    }
  }
  return null;
}

/** Who the NIK is of: the applicant (the one who deals with the office); for a child's KIA, a parent's or guardian's. */
function nikLabel() {
  const code = state.service ? state.service.code : "";
  $("nik-hint").hidden = !code.includes("kia");
  $("nik-hint").textContent = t("nik_hint_kia");
}

function nikError(message) {
  const input = $("nik");
  $("nik-error").textContent = message || "";
  $("nik-error").hidden = !message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

async function submit(event) {
  event.preventDefault();
  say("");
  nikError("");
  const button = $("submit");
  button.disabled = true;
  button.textContent = t("booking_now");
  try {
    const body = {
      service: state.service.code,
      day: state.day,
      start: state.slot.start,
      nik: $("nik").value,
      phone: $("phone").value || null,
      email: $("email").value || null,
      priority: $("priority").value || null,
    };
    if (state.challenge) body.challenge = await solveChallenge();
    showBooking(await call("POST", "/api/booking", body));
  } catch (error) {
    if (error.code === "invalid_nik") {
      nikError(error.message); // at the field, not at the top of the page
      $("nik").focus({ preventScroll: true });
      $("nik").scrollIntoView({ block: "center" });
      return;
    }
    say(error.message);
    if (error.code === "full") loadSlots(true).catch(() => {}); // the slots as they are now
  } finally {
    button.disabled = false;
    button.textContent = t("book");
  }
}

// ---- a booking --------------------------------------------------------------------------------

async function drawQr(payload) {
  const { default: qrcode } = await import("qrcode");
  const qr = qrcode(0, "M");
  qr.addData(payload);
  qr.make();
  $("qr").src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(qr.createSvgTag(4, 8));
}

function showBooking(booking) {
  state.booking = booking;
  remember(CODE_KEY, booking.status === "booked" ? booking.code : null);
  ["step-service", "step-day", "step-slot", "step-form", "step-find"].forEach((s) => show(s, false));
  show("step-done", true);
  $("code").textContent = booking.code;
  $("state").textContent = t(booking.status_label);
  $("when").textContent = `${t(booking.service_name)} · ${dayLabel(booking.day)} · ${clock(booking.start)}–${clock(booking.end)}`;
  const booked = booking.status === "booked";
  const over = booking.status === "cancelled" || booking.status === "no_show";
  // a cancelled or released booking says only that, and how to book again: no check-in, QR or what to bring
  $("done-active").hidden = !booked;
  $("over").hidden = !over;
  $("over").textContent = over ? t(booking.status === "no_show" ? "over_no_show" : "over_cancelled") : "";
  $("again").textContent = t(over ? "book_again" : "again");
  $("again").className = over ? "b-primary" : "b-link";
  $("window").textContent = fmt("window", { opens: clock(booking.check_in.opens), closes: clock(booking.check_in.closes) });
  const service = serviceOf(booking.service);
  requirementsInto($("done-requirements"), booking.requirements, service ? service.conditions : []);
  $("cancel").hidden = booking.status !== "booked";
  $("cancel").textContent = t("cancel");
  delete $("cancel").dataset.confirm;
  $("qr").hidden = booking.status !== "booked";
  // the QR's address is the booking's status page; the link keeps this page's own host (the one that answers here)
  $("status-link").hidden = !booking.status_url || !booked;
  if (booking.status_url) $("status-link").href = new URL(booking.status_url).pathname;
  if (booking.status === "booked") drawQr(booking.qr).catch(() => say(t("qr_failed")));
  window.scrollTo(0, 0);
}

async function cancelBooking() {
  const button = $("cancel");
  if (!button.dataset.confirm) {
    button.dataset.confirm = "1";
    button.textContent = t("cancel_confirm");
    return;
  }
  try {
    const booking = await call("POST", `/api/booking/${encodeURIComponent(state.booking.code)}/cancel`);
    showBooking(booking);
    say(t("cancelled"), true);
  } catch (error) {
    say(error.message);
  }
}

function startAgain() {
  say("");
  state.booking = state.service = state.day = state.slot = state.slots = state.days = null;
  show("step-done", false);
  ["step-service", "step-find"].forEach((s) => show(s, true));
  ["step-day", "step-slot", "step-form"].forEach((s) => show(s, false));
  $("nik").value = "";
  renderServices();
}

async function openCode(code) {
  try {
    showBooking(await call("GET", `/api/booking/${encodeURIComponent(code.trim())}`));
  } catch (error) {
    say(error.message);
  }
}

/** The priority choices in the page's language ({id, en} labels, as the kiosk's). */
function labelPriorities() {
  state.priorities.forEach((p) => {
    const option = $("priority").querySelector(`option[value="${p.code}"]`);
    if (option) option.textContent = t(p.label);
  });
}

async function init() {
  initLangSwitch();
  $("form").addEventListener("submit", submit);
  $("cancel").addEventListener("click", cancelBooking);
  $("again").addEventListener("click", startAgain);
  $("find").addEventListener("submit", (event) => {
    event.preventDefault();
    openCode($("find-code").value);
  });
  $("priority").addEventListener("change", () => {
    if (state.slots) renderSlots(state.slots);
  });
  $("nik").addEventListener("input", () => nikError(""));
  onLangChange(() => {
    labelPriorities();
    if (state.booking) showBooking(state.booking);
    else {
      renderServices();
      if (state.days && state.service) renderDays(state.days);
      if (state.slots && state.day) renderSlots(state.slots);
      if (state.slot) showForm();
    }
  });
  try {
    const data = await call("GET", "/api/booking/services");
    state.services = data.services;
    state.challenge = data.challenge;
    state.priorities = data.priorities;
    $("priority").append(
      ...data.priorities.map((p) => {
        const option = document.createElement("option");
        option.value = p.code;
        return option;
      })
    );
    labelPriorities();
    renderServices();
    if (!data.enabled || !data.services.length) say(t("not_open"));
  } catch (error) {
    $("loading").hidden = true;
    say(error.message);
  }
  const kept = new URLSearchParams(window.location.search).get("kode") || recall(CODE_KEY);
  if (kept) openCode(kept);
}

init();
