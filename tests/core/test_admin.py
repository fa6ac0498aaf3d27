"""Administration: SOP edits over the shipped files, counters, staff, devices, the audit log."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml

from loket.core import admin as ops
from loket.core.accounts import authenticate, create_user
from loket.core.context import Policy
from loket.core.errors import Conflict, NotAllowed
from loket.core.qr import CodeSigner
from loket.core.roles import Actor, Role
from loket.core.service import Loket
from loket.core.store import SopDocument, Ticket
from loket.core.tickets import issuing, views
from loket.core.tickets.records import calls_needed

KIA = "penerbitan-kia"
SOPS = Path(__file__).resolve().parents[2] / "loket" / "sops"


@pytest.fixture
def admin(loket):
    user = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    return Actor(user.id, Role.ADMIN)


@pytest.fixture
def officer(loket):
    user = create_user(loket.store, loket.clock, "desk", "Desk", "password123", [Role.PELAYANAN])
    return Actor(user.id, Role.PELAYANAN)


def sop_data(loket, code=KIA):
    return ops.get_sop(loket, code)["sop"]


def ikd(prefix="N"):
    return {
        "code": "aktivasi-ikd",
        "order": 95,
        "name": {"id": "Aktivasi IKD", "en": "Digital ID activation"},
        "summary": {"id": "Aktivasi Identitas Kependudukan Digital.", "en": "Activate the digital ID."},
        "prefix": prefix,
        "group": "ktp-el",
        "requirements": [{"key": "ktp-el", "text": {"id": "KTP-el asli", "en": "Original KTP-el"}}],
        "steps": [
            {
                "role": "pelayanan",
                "action": {"id": "Aktivasi IKD", "en": "Activate the IKD"},
                "target_minutes": 10,
                "resident_present": True,
            }
        ],
    }


def test_an_edit_changes_the_catalog_at_once_and_is_audited(loket, admin):
    data = sop_data(loket)
    old_text = data["requirements"][0]["text"]["id"]
    data["requirements"][0]["text"]["id"] = "Kutipan akta kelahiran ASLI"
    data["steps"][0]["target_minutes"] = 7
    view, events = ops.save_sop(loket, admin, data, code=KIA)
    assert view["source"] == "edited"
    assert loket.catalog.get(KIA).requirements[0].text.id == "Kutipan akta kelahiran ASLI"
    assert loket.catalog.get(KIA).steps[0].target_minutes == 7
    assert {e.kind for e in events} == {"sop.updated", "catalog.changed"}
    [entry] = ops.audit_log(loket, kind="sop.updated")
    assert entry["officer"]["username"] == "admin"
    assert entry["before"]["requirements"][0]["text"]["id"] == old_text
    assert entry["after"]["requirements"][0]["text"]["id"] == "Kutipan akta kelahiran ASLI"


def test_tickets_already_issued_keep_the_steps_they_were_issued_with(loket, admin, store, catalog, clock):
    before = issuing.issue(loket, KIA).ticket
    data = sop_data(loket)
    shipped = [s.get("target_minutes") for s in data["steps"]]
    assert shipped[1] != 42 and len(shipped) == 4
    data["steps"][1]["target_minutes"] = 42
    del data["steps"][2]  # and one step fewer
    ops.save_sop(loket, admin, data, code=KIA)
    after = issuing.issue(loket, KIA).ticket
    assert [s["target_minutes"] for s in after.steps][1:] == [42, None]
    # Read back from the database, by this process and by another one that reads the edit at start.
    elsewhere = Loket(store, catalog, CodeSigner("test-secret", "test-office"), clock, Policy())
    assert elsewhere.catalog.get(KIA).steps[1].target_minutes == 42
    for process in (loket, elsewhere):
        again = views.get(process, before.id).staff()
        assert [s["target_minutes"] for s in again["step_list"]] == shipped, process
        assert again["steps"] == 4
        assert views.get(process, after.id).staff()["steps"] == 3


def test_another_process_sees_the_edit_on_its_next_check(loket, admin, store, catalog, clock):
    other = Loket(store, catalog, CodeSigner("test-secret", "test-office"), clock, Policy())
    assert other.catalog.get(KIA).steps[0].target_minutes != 42
    data = sop_data(loket)
    data["steps"][0]["target_minutes"] = 42
    ops.save_sop(loket, admin, data, code=KIA)
    other._catalog_checked = float("-inf")  # its next check is due (every catalog_check_seconds)
    assert other.catalog.get(KIA).steps[0].target_minutes == 42


def test_invalid_sops_name_their_fields_and_save_nothing(loket, admin, store):
    data = sop_data(loket)
    data["prefix"] = "ab"
    data["steps"][0]["target_minutes"] = 0
    with pytest.raises(ops.InvalidInput) as err:
        ops.save_sop(loket, admin, data, code=KIA)
    fields = {p["field"] for p in err.value.problems}
    assert fields == {"prefix", "steps[0].target_minutes"}
    data = sop_data(loket)
    data["steps"] = []
    with pytest.raises(ops.InvalidInput) as err:
        ops.save_sop(loket, admin, data, code=KIA)
    assert [p["field"] for p in err.value.problems] == ["steps"]
    with store.read() as s:
        assert s.query(SopDocument).count() == 0
    assert ops.audit_log(loket) == []


def test_prefix_must_stay_unique_and_code_cannot_change(loket, admin):
    taken = loket.catalog.get("pencetakan-ktp-el").prefix
    with pytest.raises(ops.InvalidInput) as err:
        ops.save_sop(loket, admin, ikd(prefix=taken))
    assert err.value.problems[0]["field"] == "prefix"
    data = sop_data(loket)
    data["code"] = "kia-baru"
    with pytest.raises(ops.InvalidInput) as err:
        ops.save_sop(loket, admin, data, code=KIA)
    assert err.value.problems[0]["field"] == "code"


def test_a_new_service_can_be_added_issued_and_only_removed_while_unused(loket, admin):
    view, _ = ops.save_sop(loket, admin, ikd())
    assert view["source"] == "office"
    assert any(s["code"] == "aktivasi-ikd" for s in issuing.services_overview(loket))
    ops.delete_sop(loket, admin, "aktivasi-ikd")
    assert loket.catalog.get("aktivasi-ikd") is None
    ops.save_sop(loket, admin, ikd())
    assert issuing.issue(loket, "aktivasi-ikd").ticket.number == "N-001"
    with pytest.raises(Conflict):
        ops.delete_sop(loket, admin, "aktivasi-ikd")


def test_reverting_an_edit_brings_back_the_shipped_file(loket, admin, catalog):
    data = sop_data(loket)
    data["name"]["id"] = "KIA (diubah)"
    ops.save_sop(loket, admin, data, code=KIA)
    result, _ = ops.delete_sop(loket, admin, KIA)
    assert result["source_after"] == "shipped"
    assert loket.catalog.get(KIA) == catalog.get(KIA)
    assert [e["kind"] for e in ops.audit_log(loket)] == ["sop.reverted", "sop.updated"]


def test_yaml_round_trip_keeps_the_shipped_files_comments(loket, admin):
    text = ops.export_yaml(loket, "permohonan-akta-kelahiran")
    assert text == (SOPS / "09-permohonan-akta-kelahiran.yaml").read_text(encoding="utf-8")  # comments and all
    edited = text.replace("target_minutes: 5", "target_minutes: 6", 1)
    assert edited != text
    view, _ = ops.save_sop(loket, admin, text=edited, code="permohonan-akta-kelahiran")
    assert view["yaml"] == edited
    assert ops.export_yaml(loket, "permohonan-akta-kelahiran") == edited


def test_import_is_all_or_nothing(loket, admin, store):
    good = ops.sop_yaml(loket.catalog.get(KIA))
    new = yaml.safe_dump(ikd(), allow_unicode=True, sort_keys=False)
    bad = yaml.safe_dump({**ikd(), "code": "rusak", "prefix": "Z", "steps": []}, sort_keys=False)
    with pytest.raises(ops.InvalidInput) as err:
        ops.import_files(
            loket, admin, [("kia.yaml", good.encode()), ("ikd.yaml", new.encode()), ("x.yaml", bad.encode())]
        )
    [only] = err.value.problems
    assert only == {"field": "x.yaml: steps", "message": "Wajib diisi (paling sedikit satu)."}  # too_short (min 1)
    with store.read() as s:
        assert s.query(SopDocument).count() == 0
    assert loket.catalog.get("aktivasi-ikd") is None

    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("sop/kia.yaml", good)
        zf.writestr("sop/ikd.yml", new)
    result, _ = ops.import_files(loket, admin, [("sop.zip", bundle.getvalue())])
    assert result == {"created": ["aktivasi-ikd"], "updated": [KIA]}
    assert loket.catalog.get("aktivasi-ikd").prefix == "N"


def test_export_zip_holds_every_sop(loket):
    with zipfile.ZipFile(io.BytesIO(ops.export_zip(loket))) as zf:
        names = zf.namelist()
        assert len(names) == len(loket.catalog)
        codes = {yaml.safe_load(zf.read(n))["code"] for n in names}
    assert codes == {s.code for s in loket.catalog}


def test_only_an_admin_changes_anything(loket, officer):
    with pytest.raises(NotAllowed):
        ops.save_sop(loket, officer, sop_data(loket), code=KIA)
    with pytest.raises(NotAllowed):
        ops.save_counter(loket, officer, {"name": "Loket 9", "number": 9, "roles": ["pelayanan"]})
    with pytest.raises(NotAllowed):
        ops.create_staff(
            loket, officer, {"username": "x1", "full_name": "X", "password": "password1", "roles": ["scan"]}
        )


def test_counters_are_validated_and_audited(loket, admin):
    with pytest.raises(ops.InvalidInput) as err:
        ops.save_counter(loket, admin, {"name": "", "number": 0, "roles": ["admin"], "services": ["nope"]})
    assert {p["field"] for p in err.value.problems} == {"name", "number", "roles", "services"}
    counter, _ = ops.save_counter(loket, admin, {"name": "Loket 9", "number": 9, "roles": ["pelayanan"], "zone": "A"})
    updated, _ = ops.save_counter(loket, admin, {"services": [KIA], "active": False}, counter["id"])
    assert updated == {**counter, "services": [KIA], "active": False}
    with pytest.raises(ops.InvalidInput):
        ops.save_counter(loket, admin, {"name": "Loket 9", "number": 10, "roles": ["scan"]})
    entries = ops.audit_log(loket)
    assert [e["kind"] for e in entries] == ["counter.updated", "counter.created"]
    assert entries[0]["before"]["active"] is True and entries[0]["after"]["active"] is False


def test_staff_accounts_reset_and_deactivate(loket, admin):
    user, _ = ops.create_staff(
        loket, admin, {"username": "Siti", "full_name": "Siti Aminah", "password": "rahasia123", "roles": ["scan"]}
    )
    assert user["username"] == "siti"
    assert authenticate(loket.store, "siti", "rahasia123") is not None
    ops.reset_password(loket, admin, user["id"], "baru-12345")
    assert authenticate(loket.store, "siti", "rahasia123") is None
    assert authenticate(loket.store, "siti", "baru-12345") is not None
    ops.update_staff(loket, admin, user["id"], {"active": False})
    assert authenticate(loket.store, "siti", "baru-12345") is None
    with pytest.raises(ops.InvalidInput):
        ops.update_staff(loket, admin, admin.user_id, {"active": False})
    with pytest.raises(ops.InvalidInput):
        ops.update_staff(loket, admin, admin.user_id, {"roles": ["scan"]})
    kinds = [e["kind"] for e in ops.audit_log(loket)]
    assert kinds == ["user.updated", "user.password_reset", "user.created"]
    assert "baru-12345" not in repr(ops.audit_log(loket))


def test_a_staff_form_left_empty_names_every_field_in_the_admin_s_words(loket, admin):
    with pytest.raises(ops.InvalidInput) as err:
        ops.create_staff(loket, admin, {"username": "admin", "full_name": " ", "roles": ["tukang"]})
    problems = err.value.problems
    assert [p["field"] for p in problems] == ["full_name", "password", "roles", "username"]
    assert problems[1]["message"] == "Kata sandi minimal 8 karakter."  # not "Wajib diisi." (Field required)
    assert problems[3]["message"] == "'admin' sudah dipakai."
    with pytest.raises(ops.InvalidInput) as err:
        ops.update_staff(loket, admin, admin.user_id, {"full_name": "A", "roles": []})
    assert [p["field"] for p in err.value.problems] == ["full_name", "roles"]


def test_devices_carry_printers_and_display_options(loket, admin):
    ops.save_counter(loket, admin, {"name": "Loket 9", "number": 9, "roles": ["pelayanan"]})
    kiosk, _ = ops.save_device(loket, admin, {"kind": "kiosk", "name": "lobby1", "printer": "network:10.0.0.21:9100"})
    assert kiosk["url"] == "/kiosk/?kiosk=lobby1"
    assert ops.get_device(loket, "lobby1", "kiosk")["printer"] == "network:10.0.0.21:9100"
    board, _ = ops.save_device(
        loket, admin, {"kind": "display", "name": "tv-a", "zone": "A", "options": {"counters": ["Loket 9"]}}
    )
    assert board["options"] == {"counters": ["Loket 9"], "pickup": False}
    with pytest.raises(ops.InvalidInput) as err:
        ops.save_device(
            loket, admin, {"kind": "display", "name": "tv b", "printer": "lpt1", "options": {"counters": ["X"]}}
        )
    assert {p["field"] for p in err.value.problems} == {"name", "printer", "options.counters"}
    ops.delete_device(loket, admin, kiosk["id"])
    assert ops.get_device(loket, "lobby1") is None


def test_office_settings_drive_no_show_and_the_purge(loket, admin, officer, clock):
    ops.update_settings(loket, admin, {"calls_before_no_show": 1, "personal_data_retention_days": 30})
    assert calls_needed(loket) == 1
    purged, days = ops.purge_personal_data(loket, admin, default_days=365)
    assert (purged, days) == (0, 30)
    [entry] = ops.audit_log(loket, kind="personal_data.purged")
    assert entry["after"] == {"purged": 0, "days": 30}


def test_audit_log_filters_by_local_day(loket, admin, clock):
    ops.save_counter(loket, admin, {"name": "Loket 9", "number": 9, "roles": ["pelayanan"]})
    clock.advance(days=1)
    ops.save_counter(loket, admin, {"name": "Loket 10", "number": 10, "roles": ["pelayanan"]})
    today = clock.today()
    assert [e["summary"] for e in ops.audit_log(loket, start=today, end=today)] == ["Loket 10"]
    assert len(ops.audit_log(loket)) == 2


def test_a_stored_document_that_no_longer_validates_is_skipped_not_fatal(loket, admin, store, clock):
    ops.save_sop(loket, admin, ikd())
    with store.transaction() as s:
        s.get(SopDocument, "aktivasi-ikd").yaml = "code: aktivasi-ikd\nprefix: 1\n"
    loket.refresh_catalog(force=True)
    assert loket.catalog.get("aktivasi-ikd") is None
    assert loket.catalog_problems and "aktivasi-ikd" in loket.catalog_problems[0]
    with store.read() as s:
        assert s.query(Ticket).count() == 0


def test_an_import_names_the_file_whose_prefix_clashes(loket, admin):
    taken = loket.catalog.get("pencetakan-ktp-el").prefix
    clash = yaml.safe_dump(ikd(prefix=taken), allow_unicode=True, sort_keys=False)
    with pytest.raises(ops.InvalidInput) as err:
        ops.import_files(loket, admin, [("ikd.yaml", clash.encode())])
    assert [p["field"] for p in err.value.problems] == ["ikd.yaml: prefix"]
