/* Staff log-in and log-out: the session changes, and so does the CSRF token. */
import { api, refreshCsrf } from "./request.js";

/** Log in; resolves with the session (as GET /api/me) once the CSRF token is renewed with the session. */
export async function login(username, password) {
  const me = await api("POST", "/api/login", {
    username: String(username || "").trim(),
    password: String(password || ""),
  });
  await refreshCsrf();
  return me;
}

/** Log out; never fails (a lost session is logged out already). */
export async function logout() {
  try {
    await api("POST", "/api/logout");
  } catch {
    /* logged out anyway */
  }
  try {
    await refreshCsrf();
  } catch {
    /* the next request renews it */
  }
}
