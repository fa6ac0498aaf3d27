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
  if (!response.ok) throw new Refused(data.message || t("offline"), response.status, data.error || "error");
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

function localTime(iso) {
  const tz = document.body.getAttribute("data-timezone") || undefined;
  return new Date(iso).toLocaleString(lang === "en" ? "en-GB" : "id-ID", {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: tz,
  });
}

function requirementsInto(list, requirements) {
  list.replaceChildren(
    ...requirements.map((r) => {
      const li = document.createElement("li");
      li.textContent = t(r.text) + (r.optional ? " " + t("optional") : "");
      return li;
    })
  );
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
      const note = d.state === "open" ? fmt("free_seats", { n: d.free }) : fmt("opens_at", { at: localTime(d.opens_at) });
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
  renderSlots(slots);
  if (!keepMessage) $("step-slot").scrollIntoView({ block: "start" });
}

function renderSlots(slots) {
  $("slots").replaceChildren(
    ...slots.map((s) =>
      choice(s.start, s.free ? fmt("free_seats", { n: s.free }) : t("full"), state.slot === s, () => {
        state.slot = s;
        renderSlots(slots);
        showForm();
      }, !s.bookable || s.free === 0)
    )
  );
}

function showForm() {
  requirementsInto($("requirements"), state.service.requirements);
  $("chosen").textContent = `${t(state.service.name)} · ${dayLabel(state.day)} · ${state.slot.start}–${state.slot.end}`;
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

async function submit(event) {
  event.preventDefault();
  say("");
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
      priority: $("priority").value || null,
    };
    if (state.challenge) body.challenge = await solveChallenge();
    showBooking(await call("POST", "/api/booking", body));
  } catch (error) {
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
  $("when").textContent = `${t(booking.service_name)} · ${dayLabel(booking.day)} · ${booking.start}–${booking.end}`;
  $("window").textContent = fmt("window", { opens: booking.check_in.opens, closes: booking.check_in.closes });
  requirementsInto($("done-requirements"), booking.requirements);
  $("cancel").hidden = booking.status !== "booked";
  $("cancel").textContent = t("cancel");
  delete $("cancel").dataset.confirm;
  $("qr").hidden = booking.status !== "booked";
  // the QR's address is the booking's status page; the link keeps this page's own host (the one that answers here)
  $("status-link").hidden = !booking.status_url;
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
  state.booking = state.service = state.day = state.slot = null;
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

async function init() {
  initLangSwitch();
  $("form").addEventListener("submit", submit);
  $("cancel").addEventListener("click", cancelBooking);
  $("again").addEventListener("click", startAgain);
  $("find").addEventListener("submit", (event) => {
    event.preventDefault();
    openCode($("find-code").value);
  });
  onLangChange(() => {
    if (state.booking) showBooking(state.booking);
    else renderServices();
  });
  try {
    const data = await call("GET", "/api/booking/services");
    state.services = data.services;
    state.challenge = data.challenge;
    $("priority").append(
      ...data.priorities.map((p) => {
        const option = document.createElement("option");
        option.value = p.code;
        option.textContent = t(p.label);
        return option;
      })
    );
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
