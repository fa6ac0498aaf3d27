"""The admin pages: an SOP edited or added reaches the kiosk at once; bad SOPs are explained and not saved;
counters and users are managed, a reset password works and a deactivated user is refused; the audit log shows it.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

DESK = {"width": 1920, "height": 1080}
KIOSK = {"width": 1080, "height": 1920}
KIA = "penerbitan-kia"
KTP = "pencetakan-ktp-el"


def services(base: str) -> dict[str, dict[str, Any]]:
    with urllib.request.urlopen(f"{base}/api/services", timeout=10) as response:
        return {s["code"]: s for s in json.load(response)["services"]}


@pytest.fixture
def pages(contexts) -> Iterator[Callable[..., Page]]:
    """pages(base, path, viewport): a page in its own browser context (own cookies); page errors fail the test."""
    errors: list[str] = []

    def _open(base: str, path: str, viewport: dict[str, int] = DESK) -> Page:
        page = contexts(base, viewport=viewport).new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path)
        return page

    yield _open
    assert errors == [], "a page threw"


def log_in(page: Page, username: str = "admin", password: str = "loket123") -> None:
    expect(page.locator("#view-login")).to_be_visible()
    page.fill("#login-username", username)
    page.fill("#login-password", password)
    page.click("#login-submit")


def admin(pages, base: str, path: str) -> Page:
    page = pages(base, path)
    log_in(page)
    expect(page.locator("#page")).to_be_visible()
    expect(page.locator("#admin-nav")).to_be_visible()
    return page


def kiosk_detail(pages, base: str, code: str) -> Page:
    kiosk = pages(base, "/kiosk/", KIOSK)
    expect(kiosk.locator("body")).to_have_attribute("data-connection", "online")
    kiosk.locator(f'[data-service="{code}"]').click()
    expect(kiosk.locator("#screen-detail")).to_be_visible()
    return kiosk


def test_an_edited_requirement_and_step_target_reach_the_open_kiosk_without_a_reload(server_factory, pages, artifacts):
    server = server_factory()
    base = server.base
    old_text = services(base)[KIA]["requirements"][1]["text"]["id"]
    new_text = "Kartu Keluarga (KK) asli orang tua/wali anak"
    kiosk = kiosk_detail(pages, base, KIA)
    expect(kiosk.locator('#detail-reqs [data-req="kk-orang-tua"]')).to_contain_text(old_text)

    page = admin(pages, base, "/admin/sops")
    row = page.locator(f'#sop-rows tr[data-code="{KIA}"]')
    expect(row.locator("[data-source]")).to_have_text("bawaan")
    expect(page.locator("#sop-rows tr")).to_have_count(13)
    page.screenshot(path=artifacts / "admin-sops.png")
    row.locator(".a-edit").click()

    expect(page).to_have_url(re.compile(f"/admin/sops/{KIA}$"))
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    expect(page.locator("#f-name-id")).to_have_value(services(base)[KIA]["name"]["id"])
    expect(page.locator("#f-code")).to_have_attribute("readonly", "")
    requirement = page.locator('#requirements [data-field="requirements[1]"]')
    expect(requirement.locator(".a-req-key")).to_have_value("kk-orang-tua")
    requirement.locator(".a-req-text-id").fill(new_text)
    step = page.locator('#steps [data-field="steps[1]"]')
    expect(step.locator(".a-step-role")).to_have_value("pendukung")
    step.locator(".a-step-target").fill("4")
    expect(page.locator("#steps-total")).to_contain_text("6 menit")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "dirty")
    page.click("#save")

    expect(page.locator('#messages [data-kind="ok"]')).to_contain_text("Layanan disimpan")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    expect(page.locator("#sop-title [data-source]")).to_have_text("diubah kantor")
    page.screenshot(path=artifacts / "admin-sop-edit.png")

    # The kiosk, still on the KIA screen, shows the new wording: pushed, not reloaded.
    expect(kiosk.locator('#detail-reqs [data-req="kk-orang-tua"]')).to_contain_text(new_text)
    # The SOP's targets are for staff (issue 15): the kiosk says whether the document is done today.
    expect(kiosk.locator("#detail-meta [data-target]")).to_have_count(0)
    kiosk.screenshot(path=artifacts / "admin-sop-kiosk-after-edit.png")
    kia = services(base)[KIA]
    assert kia["requirements"][1]["text"]["id"] == new_text
    assert kia["requirements"][1]["text"]["en"] == "Family card (KK) of the child's parents or guardian"
    assert [s["target_minutes"] for s in kia["steps"]] == [None, 4, 2, None]
    assert kia["seed_total_minutes"] == 5  # the seed's own total stays as it was

    # The official total has its own field beside the running sum; a new one reaches the kiosk.
    expect(page.locator("#f-seed-total")).to_have_value("5")
    expect(page.locator('[data-field="seed_total_minutes"] .a-hint')).to_have_text("Kosong = jumlah target langkah.")
    expect(page.locator("#steps-total")).to_contain_text("total resmi 5 menit")
    page.fill("#f-seed-total", "7")
    expect(page.locator("#steps-total")).to_contain_text("total resmi 7 menit")
    page.click("#save")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    assert services(base)[KIA]["seed_total_minutes"] == 7
    assert (services(base)[KIA]["target_minutes"], services(base)[KIA]["steps_total_minutes"]) == (7, 6)
    page.screenshot(path=artifacts / "admin-sop-official-total.png")
    # Emptied: the kiosk adds up the steps.
    page.fill("#f-seed-total", "")
    expect(page.locator("#steps-total")).not_to_contain_text("total resmi")
    page.click("#save")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    assert services(base)[KIA].get("seed_total_minutes") is None
    assert services(base)[KIA]["target_minutes"] == 6

    # The list now marks it as edited by the office, with a way back to the shipped file.
    page.click('#admin-nav [data-nav="sops"]')
    expect(row.locator("[data-source]")).to_have_text("diubah")
    expect(row.locator(".a-revert")).to_be_visible()


def test_a_bad_prefix_a_bad_target_and_no_steps_are_shown_at_their_fields_and_nothing_is_saved(
    live_server, pages, artifacts
):
    base = live_server  # shared: the test saves nothing, and checks that at the end
    before = services(base)[KTP]
    page = admin(pages, base, f"/admin/sops/{KTP}")
    expect(page.locator("#f-prefix")).to_have_value("B")

    page.fill("#f-prefix", "ab")
    page.locator('#steps [data-field="steps[1]"] .a-step-target').fill("0")
    page.click("#save")

    expect(page.locator("#savebar")).to_have_attribute("data-state", "problems")
    expect(page.locator("#save-status")).to_have_text("Belum disimpan: 2 isian perlu diperbaiki.")
    expect(page.locator('[data-field="prefix"]')).to_have_attribute("data-invalid", "true")
    expect(page.locator('[data-problem-for="prefix"]')).to_have_text("Satu huruf kapital, mis. N.")
    target = page.locator('[data-field="steps[1].target_minutes"]')
    expect(target).to_have_attribute("data-invalid", "true")
    expect(target.locator(".a-problem")).to_have_text("Paling kecil 1.")
    expect(page.locator("#problems li")).to_have_count(2)
    expect(page.locator("#problems")).to_contain_text("Huruf antrean")
    expect(page.locator("#problems")).to_contain_text("Langkah 2 · Target (menit)")
    expect(page.locator("#f-prefix")).to_be_focused()
    page.screenshot(path=artifacts / "admin-sop-problems.png")

    # The problems speak English too.
    page.click('.lang-switch [data-lang="en"]')
    expect(page.locator('[data-problem-for="prefix"]')).to_have_text("One capital letter, e.g. N.")
    expect(page.locator("#problems")).to_contain_text("Step 2 · Target (minutes)")
    page.click('.lang-switch [data-lang="id"]')

    # Every step removed: the steps section says so.
    page.fill("#f-prefix", "B")
    page.locator('#steps [data-field="steps[1]"] .a-step-target').fill("3")
    while page.locator("#steps > .a-item").count():
        page.locator("#steps > .a-item").first.locator(":scope > .a-item-head .a-remove").click()
    page.click("#save")
    steps = page.locator('section[data-field="steps"]')
    expect(steps).to_have_attribute("data-invalid", "true")
    expect(steps.locator(':scope > [data-problem-for="steps"]')).to_contain_text("Wajib diisi")
    expect(page.locator("#problems li")).to_have_count(1)
    page.screenshot(path=artifacts / "admin-sop-no-steps.png")

    # A step added but left blank: its own fields say what is missing, not the steps section.
    page.click("#add-step")
    page.fill("#f-name-id", "")
    page.fill("#f-seed-total", "0")
    page.click("#save")
    expect(page.locator('[data-problem-for="name.id"]')).to_have_text("Wajib diisi.")
    expect(page.locator('[data-problem-for="steps[0].role"]')).to_have_text("Pilih peran petugas.")
    expect(page.locator('[data-problem-for="steps[0].role"]')).to_be_visible()
    expect(page.locator('[data-problem-for="steps[0].action.id"]')).to_have_text("Wajib diisi.")
    expect(page.locator('[data-problem-for="seed_total_minutes"]')).to_have_text("Paling kecil 1.")
    expect(page.locator('section[data-field="steps"] > [data-problem-for="steps"]')).to_have_count(0)
    expect(page.locator("#problems")).not_to_contain_text("paling sedikit")
    expect(page.locator('#problems [data-problem-field="steps"]')).to_have_count(0)
    page.screenshot(path=artifacts / "admin-sop-blank-step.png", full_page=True)

    after = services(base)[KTP]
    assert after["prefix"] == "B"
    assert after["steps"] == before["steps"]


def test_a_new_service_added_in_the_editor_appears_on_the_kiosk(server_factory, pages, artifacts):
    server = server_factory()
    base = server.base
    kiosk = pages(base, "/kiosk/", KIOSK)
    expect(kiosk.locator("body")).to_have_attribute("data-connection", "online")
    expect(kiosk.locator(f'[data-service="{KIA}"]')).to_be_visible()
    expect(kiosk.locator('[data-service="aktivasi-ikd"]')).to_have_count(0)

    page = admin(pages, base, "/admin/sops")
    page.click("#sop-add")
    expect(page).to_have_url(re.compile("/admin/sops/new$"))
    expect(page.locator("#sop-title")).to_have_text("Layanan baru")
    page.fill("#f-name-id", "Aktivasi IKD")
    expect(page.locator("#f-code")).to_have_value("aktivasi-ikd")
    page.fill("#f-name-en", "Digital ID (IKD) activation")
    page.fill("#f-summary-id", "Mengaktifkan Identitas Kependudukan Digital di ponsel penduduk.")
    page.fill("#f-summary-en", "Activates the Digital Population Identity on the resident's phone.")
    page.fill("#f-prefix", "N")
    page.select_option("#f-group", "ktp-el")
    page.fill("#f-order", "14")
    first = page.locator('#requirements [data-field="requirements[0]"]')
    first.locator(".a-req-key").fill("ktp-el")
    first.locator(".a-req-text-id").fill("KTP-el asli")
    first.locator(".a-req-text-en").fill("The original KTP-el")
    page.click("#add-requirement")
    second = page.locator('#requirements [data-field="requirements[1]"]')
    second.locator(".a-req-key").fill("ponsel")
    second.locator(".a-req-text-id").fill("Ponsel dengan aplikasi IKD terpasang")
    second.locator(".a-req-text-en").fill("A phone with the IKD app installed")
    step = page.locator('#steps [data-field="steps[0]"]')
    expect(step.locator(".a-step-role")).to_have_value("pelayanan")
    expect(step.locator(".a-step-present")).to_be_checked()
    step.locator(".a-step-action-id").fill("Memverifikasi penduduk dan memindai QR aplikasi IKD")
    step.locator(".a-step-action-en").fill("Verifies the resident and scans the IKD app's QR")
    step.locator(".a-step-target").fill("10")
    page.screenshot(path=artifacts / "admin-sop-new.png")
    page.click("#save")

    expect(page.locator('#messages [data-kind="ok"]')).to_contain_text("Layanan baru disimpan")
    expect(page).to_have_url(re.compile("/admin/sops/aktivasi-ikd$"))
    expect(page.locator("#sop-title [data-source]")).to_have_text("ditambahkan kantor")
    expect(page.locator("#f-code")).to_have_attribute("readonly", "")

    tile = kiosk.locator('[data-service="aktivasi-ikd"]')
    expect(tile).to_contain_text("Aktivasi IKD")
    tile.click()
    expect(kiosk.locator("#detail-reqs")).to_contain_text("Ponsel dengan aplikasi IKD terpasang")
    kiosk.screenshot(path=artifacts / "admin-sop-new-on-kiosk.png")
    ikd = services(base)["aktivasi-ikd"]
    assert ikd["prefix"] == "N"
    assert [r["key"] for r in ikd["requirements"]] == ["ktp-el", "ponsel"]
    assert ikd["steps"][0]["target_minutes"] == 10

    page.click('#admin-nav [data-nav="sops"]')
    row = page.locator('#sop-rows tr[data-code="aktivasi-ikd"]')
    expect(row.locator("[data-source]")).to_have_text("baru")
    expect(row.locator(".a-delete")).to_be_visible()


def test_counters_users_password_reset_deactivation_and_the_audit_log(server_factory, pages, artifacts):
    server = server_factory()
    base = server.base
    page = admin(pages, base, "/admin/counters")

    # A counter: the number is required, and the dialog says so next to it.
    page.click("#add")
    dialog = page.locator("dialog#counter")
    expect(dialog).to_be_visible()
    dialog.locator('[name="name"]').fill("Loket IKD")
    dialog.locator('[name="number"]').fill("")
    dialog.locator('input[name="services"][value="penerbitan-kia"]').check()
    dialog.locator("#counter-save").click()
    expect(dialog.locator('[data-field="number"]')).to_have_attribute("data-invalid", "true")
    expect(dialog.locator('[data-field="number"] .a-problem')).to_have_text("Nomor loket 1 sampai 999.")
    page.screenshot(path=artifacts / "admin-counter-problem.png")
    dialog.locator('[name="number"]').fill("9")
    dialog.locator("#counter-save").click()
    expect(dialog).to_have_count(0)

    # A name with a number: the number read out follows it, and a mismatch is said before saving.
    page.click("#add")
    dialog = page.locator("dialog#counter")
    expect(dialog.locator('[name="number"]')).to_have_value("10")  # the next free number
    dialog.locator('[name="name"]').fill("Loket 4 IKD")
    expect(dialog.locator('[name="number"]')).to_have_value("4")
    expect(dialog.locator(".a-number-warn")).to_be_hidden()
    dialog.locator('[name="number"]').fill("8")
    warning = dialog.locator(".a-number-warn")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Nama menyebut 4, suara akan membacakan 8")
    page.screenshot(path=artifacts / "admin-counter-number-warning.png")
    warning.locator(".a-use-named").click()
    expect(dialog.locator('[name="number"]')).to_have_value("4")
    expect(warning).to_be_hidden()
    dialog.locator("#counter-save").click()
    expect(dialog).to_have_count(0)
    expect(page.locator('#rows tr[data-name="Loket 4 IKD"] td').first).to_have_text("4")
    # An existing counter whose name and number disagree says so when opened.
    page.locator('#rows tr[data-name="Loket IKD"] .a-edit').click()
    dialog = page.locator("dialog#counter")
    dialog.locator('[name="name"]').fill("Loket 12 IKD")
    expect(dialog.locator('[name="number"]')).to_have_value("9")
    expect(dialog.locator(".a-number-warn")).to_contain_text("Nama menyebut 12, suara akan membacakan 9")
    dialog.locator('[name="name"]').fill("Loket IKD")
    expect(dialog.locator(".a-number-warn")).to_be_hidden()
    dialog.get_by_role("button", name="Batal").click()
    expect(dialog).to_have_count(0)

    row = page.locator('#rows tr[data-name="Loket IKD"]')
    expect(row).to_contain_text("Petugas Pelayanan")
    expect(row).to_contain_text("Penerbitan Kartu Identitas Anak")
    expect(row.locator("td").first).to_have_text("9")
    page.screenshot(path=artifacts / "admin-counters.png")

    # A user, then a new password, which works.
    page.click('#admin-nav [data-nav="users"]')
    expect(page).to_have_url(re.compile("/admin/users$"))
    page.click("#add")
    dialog = page.locator("dialog#user")
    dialog.locator('[name="username"]').fill("siti")
    dialog.locator('[name="full_name"]').fill("Siti Rahmawati")
    dialog.locator('input[name="roles"][value="operator"]').check()
    dialog.locator('[name="password"]').fill("pertama-123")
    dialog.locator("#user-save").click()
    expect(dialog).to_have_count(0)
    user = page.locator('#rows tr[data-username="siti"]')
    expect(user).to_contain_text("Siti Rahmawati")
    expect(user).to_contain_text("Operator")

    user.locator(".a-reset").click()
    dialog = page.locator("dialog#password")
    dialog.locator('[name="password"]').fill("pendek")
    dialog.locator("#password-save").click()
    expect(dialog.locator('[data-field="password"] .a-problem')).to_have_text("Kata sandi minimal 8 karakter.")
    dialog.locator('[name="password"]').fill("baru-sekali-9")
    dialog.locator("#password-save").click()
    expect(dialog).to_have_count(0)
    expect(page.locator('#messages [data-kind="ok"]')).to_contain_text("Kata sandi siti diatur ulang")

    siti = pages(base, "/counter/")
    siti.fill("#login-username", "siti")
    siti.fill("#login-password", "baru-sekali-9")
    siti.click("#login-submit")
    expect(siti.locator("#view-login")).to_be_hidden()
    me = siti.evaluate("fetch('/api/me').then(r => r.json())")
    assert me["user"]["username"] == "siti"

    # Deactivated: the same password is refused.
    user.locator(".a-deactivate").click()
    page.locator("#confirm-yes").click()
    expect(user).to_have_attribute("data-active", "false")
    expect(user.locator("[data-active]")).to_have_text("Nonaktif")
    page.screenshot(path=artifacts / "admin-users.png")
    refused = pages(base, "/admin/")
    log_in(refused, "siti", "baru-sekali-9")
    expect(refused.locator('#messages [data-kind="error"]')).to_contain_text("Nama pengguna atau kata sandi salah")
    expect(refused.locator("#view-login")).to_be_visible()

    # The audit log: who did what, with before and after.
    page.click('#admin-nav [data-nav="audit"]')
    entries = page.locator("#entries .a-entry")
    expect(entries.first).to_be_visible()
    kinds = [e.get_attribute("data-kind") for e in entries.all()]
    assert kinds[:4] == ["user.updated", "user.password_reset", "user.created", "counter.created"]
    deactivation = entries.first
    expect(deactivation).to_contain_text("oleh Admin (demo) (admin)")
    expect(deactivation).to_contain_text("siti")
    changed = deactivation.locator(".a-diff tr.a-changed")
    expect(changed).to_have_count(1)
    expect(changed.locator(".a-key")).to_have_text("active")
    expect(changed.locator(".a-before")).to_have_text("Ya")
    expect(changed.locator(".a-after")).to_have_text("Tidak")
    counter = page.locator('#entries .a-entry[data-kind="counter.created"]').last  # Loket IKD came first
    expect(counter).to_contain_text("Loket IKD")
    expect(counter.locator('tr.a-changed[data-key="number"] .a-after')).to_have_text("9")
    page.screenshot(path=artifacts / "admin-audit.png")

    # Filtered by kind.
    page.select_option("#f-kind", "user.created")
    page.click("#filter")
    expect(entries).to_have_count(1)
    expect(entries.first).to_have_attribute("data-kind", "user.created")


def test_kiosks_and_displays_with_their_printer_counters_and_address(server_factory, pages, artifacts):
    server = server_factory()
    base = server.base
    page = admin(pages, base, "/admin/devices")

    page.click("#add")
    dialog = page.locator("dialog#device")
    dialog.locator('[name="name"]').fill("kiosk-lobi")
    dialog.locator('[name="zone"]').fill("Lantai 1")
    dialog.locator('[name="printer"]').fill("lpt1")
    dialog.locator("#device-save").click()
    expect(dialog.locator('[data-field="printer"]')).to_have_attribute("data-invalid", "true")
    expect(dialog.locator('[data-field="printer"] .a-problem')).to_contain_text("network:10.0.0.21:9100")
    dialog.locator('[name="printer"]').fill("network:10.0.0.21:9100")
    dialog.locator("#device-save").click()
    expect(dialog).to_have_count(0)
    kiosk = page.locator('#rows tr[data-name="kiosk-lobi"]')
    expect(kiosk).to_contain_text("network:10.0.0.21:9100")
    expect(kiosk.locator(".a-device-url")).to_have_text(f"{base}/kiosk/?kiosk=kiosk-lobi")

    page.click("#add")
    dialog = page.locator("dialog#device")
    dialog.locator('[name="kind"]').select_option("display")
    expect(dialog.locator('[data-field="printer"]')).to_be_hidden()
    dialog.locator('[name="name"]').fill("tv-pengambilan")
    dialog.locator('input[name="counters"][value="Loket 1"]').check()
    dialog.locator('input[name="counters"][value="Loket 2"]').check()
    dialog.locator('[name="pickup"]').check()
    dialog.locator("#device-save").click()
    expect(dialog).to_have_count(0)
    display = page.locator('#rows tr[data-name="tv-pengambilan"]')
    expect(display).to_contain_text("Loket 1, Loket 2")
    expect(display.locator(".a-pickup")).to_have_text("pengambilan")
    expect(display.locator(".a-device-url")).to_have_text(f"{base}/display/?device=tv-pengambilan")
    page.screenshot(path=artifacts / "admin-devices.png")

    display.locator(".a-delete").click()
    page.locator("#confirm-yes").click()
    expect(display).to_have_count(0)
    expect(kiosk).to_be_visible()

    # Pairing: the code is shown once (typed on the kiosk, or its address opened there as a QR code).
    expect(kiosk.locator("[data-paired]")).to_have_attribute("data-paired", "false")
    kiosk.locator(".a-pair").click()
    pairing = page.locator("dialog#pairing")
    expect(pairing.locator("#pair-code")).to_have_text(re.compile(r"^(\d{4} ){4}\d{4}$"))
    code = pairing.locator("#pair-code").inner_text().replace(" ", "")
    expect(pairing.locator("#pair-url")).to_have_text(f"{base}/kiosk/?kiosk=kiosk-lobi#pair={code}")
    expect(pairing.locator("img.a-pair-qr")).to_be_visible()
    page.screenshot(path=artifacts / "admin-device-pairing.png")
    pairing.locator(".a-dialog-x").click()
    expect(kiosk.locator("[data-paired]")).to_have_attribute("data-paired", "true")
    # Pairing again asks first: the kiosk's code stops working.
    kiosk.locator(".a-pair").click()
    expect(page.locator("#confirm-yes")).to_have_text("Pasangkan ulang")
    page.locator("#confirm-yes").click()
    expect(page.locator("dialog#pairing #pair-code")).not_to_have_text(code)


def test_the_settings_page_sets_calls_retention_and_voice_and_purges_personal_data(server_factory, pages, artifacts):
    server = server_factory()
    page = admin(pages, server.base, "/admin/")
    expect(page.locator("#settings-form")).to_be_visible()
    expect(page.locator("#f-voice-default")).to_be_checked()

    page.fill("#f-calls", "0")
    page.click("#save")
    expect(page.locator('[data-problem-for="calls_before_no_show"]')).to_have_text("Paling kecil 1.")
    expect(page.locator("#problems")).to_contain_text("Jumlah panggilan sebelum dianggap tidak hadir")

    expect(page.locator("#f-no-show-minutes")).to_have_attribute("placeholder", "3")  # the server's default
    expect(page.locator("#f-resume-front")).to_be_checked()
    page.fill("#f-no-show-minutes", "61")
    page.click("#save")
    expect(page.locator('[data-problem-for="no_show_min_minutes"]')).to_be_visible()

    page.fill("#f-calls", "4")
    page.fill("#f-no-show-minutes", "5")
    page.locator("#f-resume-same").check()
    page.fill("#f-retention", "30")
    page.locator("#f-voice-digits").check()
    page.click("#save")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    page.locator(".a-queue-section").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "admin-settings-queue.png")

    page.click("#purge-now")
    expect(page.locator("dialog#confirm")).to_contain_text("lebih lama dari 30 hari")
    page.click("#confirm-yes")
    expect(page.locator('#messages [data-kind="ok"]')).to_contain_text("0 data pribadi dihapus (masa simpan 30 hari)")

    page.click('#admin-nav [data-nav="audit"]')
    settings = page.locator('#entries .a-entry[data-kind="settings.changed"]').first
    expect(settings.locator('tr.a-changed[data-key="calls_before_no_show"] .a-after')).to_have_text("4")
    expect(settings.locator('tr.a-changed[data-key="voice_reading"] .a-after')).to_have_text("digits")
    expect(settings.locator('tr.a-changed[data-key="no_show_min_minutes"] .a-after')).to_have_text("5")
    expect(settings.locator('tr.a-changed[data-key="resume_to"] .a-after')).to_have_text("same_counter")
    expect(page.locator('#entries .a-entry[data-kind="personal_data.purged"]')).to_have_count(1)


def test_every_admin_page_warns_while_a_demo_password_is_active(server_factory, pages, artifacts):
    server = server_factory()
    page = admin(pages, server.base, "/admin/users")
    warning = page.locator("#demo-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Kata sandi demo (loket123) masih aktif untuk akun: admin, bidang")
    page.screenshot(path=artifacts / "admin-demo-password-warning.png")
    page.click('.lang-switch [data-lang="en"]')
    expect(warning).to_contain_text("The demo password (loket123) is still active for: admin, bidang")
    page.click('.lang-switch [data-lang="id"]')
    # every demo password changed on the users page: the warning goes
    for username in ("pelayanan", "pendukung", "operator", "scan", "bidang", "register", "kepala", "admin"):
        page.locator(f'#rows tr[data-username="{username}"] .a-reset').click()
        dialog = page.locator("dialog#password")
        dialog.locator("#f-new-password").fill("kata-sandi-baru-1")
        dialog.locator("#password-save").click()
        expect(dialog).to_have_count(0)
        if username != "admin":
            expect(warning).not_to_contain_text(username + ",")
    # the admin's own reset ended this session too: log in again with the new password
    page.goto(server.base + "/admin/")
    log_in(page, "admin", "kata-sandi-baru-1")
    expect(page.locator("#admin-nav")).to_be_visible()
    expect(warning).to_be_hidden()
