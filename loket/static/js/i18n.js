/* The page's language and its strings: {id, en} texts, string keys, [data-i18n] elements, the ID/EN switch. */

const LANG_KEY = "loket.lang";
const listeners = [];
const strings = {};

function storedLang() {
  try {
    const fromUrl = new URLSearchParams(window.location.search).get("lang");
    if (fromUrl === "id" || fromUrl === "en") {
      window.localStorage.setItem(LANG_KEY, fromUrl);
      return fromUrl;
    }
    return window.localStorage.getItem(LANG_KEY) === "en" ? "en" : "id";
  } catch {
    return "id"; // localStorage may be disabled: Bahasa Indonesia is the default
  }
}

/** The current language, "id" or "en" (a live binding: importers see changes). */
export let lang = storedLang();

/** A text in the current language: {id, en} objects, page string keys, or plain strings. */
export function t(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return value[lang] || value.id || "";
  if (Object.prototype.hasOwnProperty.call(strings, value)) return t(strings[value]);
  return String(value);
}

/** `t` with {name} placeholders filled in. */
export function fmt(key, params) {
  return t(key).replace(/\{(\w+)\}/g, (_, name) =>
    params && params[name] !== undefined && params[name] !== null ? String(params[name]) : ""
  );
}

/** Add page strings: {key: {id, en}}. */
/** The strings of one page scope, from the gettext catalogs: the server renders them beside the page's script. */
export function pageStrings(scope) {
  const node = document.querySelector(`script[data-strings-scope="${scope}"]`);
  if (!node) throw new Error(`page strings missing for ${scope}`);
  return JSON.parse(node.textContent);
}

export function addStrings(more) {
  Object.assign(strings, more);
}

/** The texts of a scope whose keys start with `prefix`, by the rest of the key: {rest: {id, en}}. */
export function stringFamily(scopeStrings, prefix) {
  const out = {};
  Object.keys(scopeStrings).forEach((key) => {
    if (key.indexOf(prefix) === 0) out[key.slice(prefix.length)] = scopeStrings[key];
  });
  return out;
}

/** The API's "Indonesia (English)" message (or an {id, en} text) in the page's language. */
export function bilingual(msg) {
  if (!msg) return "";
  if (typeof msg === "object") return t(msg);
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(msg);
  if (!m) return msg;
  return lang === "en" ? m[2] : m[1];
}

/** Fill every [data-i18n] element (and -placeholder, -label, -title variants) from the page strings. */
export function applyStrings(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((node) => {
    node.textContent = t(node.getAttribute("data-i18n"));
  });
  const attrs = { "data-i18n-placeholder": "placeholder", "data-i18n-label": "aria-label", "data-i18n-title": "title" };
  Object.entries(attrs).forEach(([from, to]) => {
    root.querySelectorAll("[" + from + "]").forEach((node) => {
      node.setAttribute(to, t(node.getAttribute(from)));
    });
  });
  document.documentElement.lang = lang;
  document.querySelectorAll(".lang-switch [data-lang]").forEach((btn) => {
    btn.setAttribute("aria-pressed", btn.getAttribute("data-lang") === lang ? "true" : "false");
  });
}

export function setLang(next) {
  lang = next === "en" ? "en" : "id";
  try {
    window.localStorage.setItem(LANG_KEY, lang);
  } catch {
    /* not remembered, still switched */
  }
  applyStrings();
  listeners.forEach((fn) => fn(lang));
}

export function onLangChange(fn) {
  listeners.push(fn);
}

/** Wire every `.lang-switch button[data-lang]` on the page. */
export function initLangSwitch() {
  document.querySelectorAll(".lang-switch [data-lang]").forEach((btn) => {
    btn.addEventListener("click", () => setLang(btn.getAttribute("data-lang")));
  });
  applyStrings();
}
