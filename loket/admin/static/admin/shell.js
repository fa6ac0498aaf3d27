/* The admin pages' shell on top of the staff shell (static/js/shell.js): the admin role and the nav bar's
 * strings. Each page calls start({open, close, onLangChange, leaving}) once; `open` loads its data from
 * /api/admin/*. Dialogs, problems, widgets and the live channel are modules of their own beside this one.
 */
import * as i18n from "loket/i18n.js";
import * as S from "loket/shell.js";
import { closeSocket } from "./live.js";

i18n.addStrings({
  to_counter: { id: "Meja Petugas", en: "Officer Desk" },
  login_title: { id: "Masuk sebagai admin", en: "Admin log in" },
  login_hint: {
    id: "Hanya petugas dengan peran Admin yang dapat membuka halaman ini.",
    en: "Only staff with the Admin role can open this page.",
  },
  refused_title: { id: "Halaman ini khusus admin", en: "This page is for admins" },
  refused_hint: { id: "Masuk dengan akun yang memiliki peran Admin.", en: "Log in with an account that holds the Admin role." },
  refused_working_as: {
    id: "Anda sedang bekerja sebagai {role}{where}. Beralih ke peran Admin untuk membuka halaman ini.",
    en: "You are working as {role}{where}. Switch to the Admin role to open this page.",
  },
  switch_admin: { id: "Beralih ke peran Admin", en: "Switch to the Admin role" },
  who: { id: "{name} · Admin", en: "{name} · Admin" },
  cancel: { id: "Batal", en: "Cancel" },
  leave_unsaved: { id: "Ada perubahan yang belum disimpan.", en: "There are unsaved changes." },
  problems_title: {
    id: "Belum disimpan. Perbaiki isian bertanda merah:",
    en: "Not saved. Fix the fields marked in red:",
  },
  // the nav bar
  nav_settings: { id: "Pengaturan", en: "Settings" },
  nav_sops: { id: "Layanan (SOP)", en: "Services (SOP)" },
  nav_counters: { id: "Loket", en: "Counters" },
  nav_users: { id: "Pengguna", en: "Users" },
  nav_devices: { id: "Kiosk & Layar", en: "Kiosks & Displays" },
  nav_audit: { id: "Log Audit", en: "Audit Log" },
  nav_reports: { id: "Laporan", en: "Reports" },
  nav_survey: { id: "IKM", en: "Satisfaction (IKM)" },
  yes: { id: "Ya", en: "Yes" },
  no: { id: "Tidak", en: "No" },
  active: { id: "Aktif", en: "Active" },
  inactive: { id: "Nonaktif", en: "Inactive" },
  edit: { id: "Ubah", en: "Edit" },
  save: { id: "Simpan", en: "Save" },
  saving: { id: "Menyimpan…", en: "Saving…" },
});

/** Open the page as admin: the staff shell logs in and takes the role; leaving the page closes the live channel. */
export function start(page) {
  S.start({
    roles: ["admin"],
    cls: "a",
    open: page.open,
    close: function () {
      closeSocket();
      if (page.close) page.close();
    },
    onLangChange: page.onLangChange,
    leaving: page.leaving,
  });
}
