/* The station: the role to work in and the counter (or the back office), chosen after log-in. */
import { $, h, clear } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { state as shell } from "loket/shell.js";
import { state, config, say, fail } from "./context.js";

let pickRole = null; // the role highlighted on the station screen

/** The counters and the labels the station and the desk show. */
export async function loadStationData() {
  const [counters, labels] = await Promise.all([api("GET", "/api/counters"), state.labels || api("GET", "/api/labels")]);
  state.counters = counters.counters || [];
  state.labels = labels;
}

function roleButton(r) {
  const pick = () => {
    pickRole = r.code;
    renderStation();
  };
  return h(
    "button",
    { type: "button", class: "c-option", "data-role": r.code, "aria-pressed": r.code === pickRole ? "true" : "false", onclick: pick },
    t(r.label)
  );
}

function counterButton(c, role) {
  const me = state.me;
  const current = me.counter && me.counter.id === c.id && me.role === role;
  return h(
    "button",
    {
      type: "button",
      class: "c-option c-option-counter",
      "data-counter-id": c.id,
      "data-counter-name": c.name,
      "aria-pressed": current ? "true" : "false",
      onclick: () => chooseStation(role, c.id),
    },
    h("span", { class: "c-option-name" }, c.name),
    c.services.length ? h("span", { class: "c-option-sub" }, c.services.join(", ")) : null
  );
}

/** Draw the role and counter choices. */
export function renderStation() {
  const me = state.me;
  if (!me || !me.user) return;
  $("station-hello").textContent = fmt("hello", { name: me.user.full_name });
  const roles = me.roles || [];
  if (!pickRole || !roles.some((r) => r.code === pickRole)) pickRole = me.role || (roles[0] && roles[0].code) || null;
  const roleBox = clear($("role-options"));
  roles.forEach((r) => roleBox.appendChild(roleButton(r)));
  const counterBox = clear($("counter-options"));
  const role = pickRole;
  const fitting = state.counters.filter((c) => c.roles.indexOf(role) !== -1);
  fitting.forEach((c) => counterBox.appendChild(counterButton(c, role)));
  const backOffice = config.hall_roles.indexOf(role) === -1;
  if (role && backOffice) {
    counterBox.appendChild(
      h(
        "button",
        { type: "button", class: "c-option c-option-counter", "data-counter-id": "", onclick: () => chooseStation(role, null) },
        t("no_counter")
      )
    );
  }
  $("counter-none").hidden = !!fitting.length || backOffice;
}

let chosen = () => {}; // the desk's: show the view the new session calls for

/** Call `fn(me)` when the officer has chosen a station. */
export function onStationChosen(fn) {
  chosen = fn;
}

async function chooseStation(role, counterId) {
  try {
    const me = await api("POST", "/api/session", { role, counter_id: counterId });
    state.me = shell.me = me;
    say("");
    chosen(me);
  } catch (err) {
    fail(err);
  }
}

/** Back to the station screen from the desk: the officer's current role highlighted. */
export async function changeStation() {
  await loadStationData();
  pickRole = state.me.role;
  renderStation();
}
