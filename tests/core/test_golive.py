"""Siap digunakan? Each check of the go-live list flips with the real data it reads."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.core import admin as ops
from loket.core import golive
from loket.core.accounts import create_user
from loket.core.demo import ensure_demo
from loket.core.golive import Setup, State
from loket.core.roles import Actor, Role
from loket.core.store import EventRecord, User

GOOD = Setup(
    kiosk_pin="4829",
    secret_key="k" * 16 + "Zq8-x1Lm" * 4,
    secret_from_environment=True,
    public_url="http://192.168.1.10:5000",
    backup_dir="",
)


@pytest.fixture
def admin(loket):
    user = create_user(loket.store, loket.clock, "siti", "Siti", "rahasia-siti-1", [Role.ADMIN])
    return Actor(user.id, Role.ADMIN)


def states(loket, setup=GOOD):
    return {c.key: c.state for c in golive.checklist(loket, setup)}


def test_every_item_is_listed_with_a_place_to_fix_it(loket):
    checks = golive.checklist(loket, GOOD)
    assert [c.key for c in checks] == [
        "hours",
        "kiosk_pin",
        "demo_passwords",
        "draft_sops",
        "printer",
        "backup",
        "secret_key",
        "public_url",
    ]
    assert all(c.link or c.setting for c in checks)
    assert all(str(c.title) and str(c.detail) for c in checks)
    assert sum(golive.summary(checks).values()) == len(checks)


def test_hours(loket, admin):
    assert golive.hours_check(loket).state is State.TODO
    ops.update_settings(loket, admin, {"hours": {"mon": {"open": "08:00", "close": "15:00"}}})
    check = golive.hours_check(loket)
    assert check.state is State.DONE and check.link == "/admin/"
    ops.update_settings(loket, admin, {"hours": {"mon": None}})
    assert golive.hours_check(loket).state is State.WARNING


@pytest.mark.parametrize(
    ("pin", "state"), [("", State.TODO), ("1234", State.WARNING), ("7777", State.WARNING), ("4829", State.DONE)]
)
def test_kiosk_pin(pin, state):
    assert golive.kiosk_pin_check(Setup(kiosk_pin=pin)).state is state


def test_demo_passwords_are_verified_against_the_hashes(loket, admin):
    assert golive.demo_password_check(loket).state is State.DONE  # an office with its own accounts
    with loket.store.transaction() as s:
        s.query(User).delete()
    list(ensure_demo(loket))
    check = golive.demo_password_check(loket)
    assert check.state is State.TODO and "admin" in check.facts["accounts"]
    assert "loket123" not in str(check.detail)
    with loket.store.read() as s:
        demo_admin = Actor(s.scalar(select(User.id).where(User.username == "admin")), Role.ADMIN)
        ids = list(s.scalars(select(User.id)))
    for user_id in ids:
        ops.reset_password(loket, demo_admin, user_id, "kata-sandi-baru-99")
    assert golive.demo_password_check(loket).state is State.DONE
    create_user(loket.store, loket.clock, "budi", "Budi", "loket123", [Role.PELAYANAN])  # not a demo account
    assert golive.demo_password_check(loket).facts["accounts"] == ["budi"]


def test_draft_sops(loket, admin):
    drafts = [sop.code for sop in loket.catalog if sop.draft]
    assert drafts  # the shipped title-only SOPs are drafts
    check = golive.draft_sop_check(loket)
    assert check.state is State.TODO and check.facts["codes"] == drafts
    for code in drafts:
        data = ops.get_sop(loket, code)["sop"]
        data["draft"] = False
        ops.save_sop(loket, admin, data, code=code)
    assert golive.draft_sop_check(loket).state is State.DONE


def test_printer(loket):
    assert golive.printer_check(loket).state is State.TODO
    golive.record_test_print(loket, False, "file:/tmp/x", "lobby1", "paper")
    assert golive.printer_check(loket).state is State.WARNING
    golive.record_test_print(loket, True, "file:/tmp/x", "lobby1")
    check = golive.printer_check(loket)
    assert check.state is State.DONE and "file:/tmp/x" in str(check.detail)
    with loket.store.transaction() as s:  # a real print failed after the test
        s.add(EventRecord(at=loket.clock.now() + timedelta(minutes=5), kind="printer.failed", payload={}))
    assert golive.printer_check(loket).state is State.WARNING


def test_backup(loket, tmp_path):
    tmp_path = tmp_path / "backup"  # the test database lives in tmp_path itself
    tmp_path.mkdir()
    assert golive.backup_check(loket, Setup()).state is State.TODO
    folder = Setup(backup_dir=str(tmp_path))
    assert golive.backup_check(loket, folder).state is State.WARNING  # empty
    dump = tmp_path / "loket-2026-11-23.db"
    dump.write_bytes(b"x")
    now = loket.clock.now()
    old = (now - timedelta(days=5)).timestamp()
    os.utime(dump, (old, old))
    assert golive.backup_check(loket, folder).state is State.WARNING  # stale
    fresh = (now - timedelta(hours=3)).timestamp()
    os.utime(dump, (fresh, fresh))
    assert golive.backup_check(loket, folder).state is State.DONE


@pytest.mark.parametrize(
    ("key", "from_env", "state"),
    [
        ("dev", True, State.TODO),
        ("short-key", True, State.TODO),
        ("x" * 48, False, State.DONE),
        ("y" * 40, True, State.DONE),
    ],
)
def test_secret_key(key, from_env, state):
    assert golive.secret_key_check(Setup(secret_key=key, secret_from_environment=from_env)).state is state


@pytest.mark.parametrize(
    ("url", "state"),
    [("", State.WARNING), ("http://127.0.0.1:5000", State.WARNING), ("http://192.168.1.10:5000", State.DONE)],
)
def test_public_url(url, state):
    assert golive.public_url_check(Setup(public_url=url)).state is state
