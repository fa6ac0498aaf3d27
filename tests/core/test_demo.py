"""Demo data: seeded once, never re-created once the office changed it; the demo password is warned of."""

from __future__ import annotations

from sqlalchemy import delete, select

from loket.core import admin as ops
from loket.core.accounts import create_user
from loket.core.demo import DEMO_USERS, demo_password_accounts, ensure_demo
from loket.core.roles import Actor, Role
from loket.core.store import Counter, User


def names(loket, model, column):
    with loket.store.read() as s:
        return set(s.scalars(select(column)))


def user_id(loket, username: str) -> int:
    with loket.store.read() as s:
        return s.scalar(select(User.id).where(User.username == username))


def test_demo_data_is_seeded_once_and_never_recreated(loket):
    made = list(ensure_demo(loket))
    assert len(made) == 7 + 8
    assert "Loket 1" in names(loket, Counter, Counter.name) and "operator" in names(loket, User, User.username)
    [entry] = ops.audit_log(loket, kind="demo.created")
    assert entry["after"]["users"] and entry["after"]["counters"]

    admin = Actor(user_id(loket, "admin"), Role.ADMIN)
    loket1 = next(c for c in ops.list_counter_rows(loket) if c["name"] == "Loket 1")
    ops.save_counter(loket, admin, {"name": "Loket Depan"}, loket1["id"])  # renamed
    ops.update_staff(loket, admin, user_id(loket, "operator"), {"full_name": "Budi Santoso"})
    with loket.store.transaction() as s:
        s.execute(delete(User).where(User.username == "scan"))  # deleted
        s.execute(delete(Counter).where(Counter.name == "Ruang Scan"))

    assert list(ensure_demo(loket)) == ["demo data: not seeded (done before, or the office has its own accounts)"]
    assert "Loket 1" not in names(loket, Counter, Counter.name)
    assert "Ruang Scan" not in names(loket, Counter, Counter.name)
    assert "scan" not in names(loket, User, User.username)


def test_an_office_with_its_own_accounts_gets_no_demo(loket):
    create_user(loket.store, loket.clock, "siti", "Siti", "rahasia-123", ["admin"])
    list(ensure_demo(loket))
    assert names(loket, User, User.username) == {"siti"}
    assert names(loket, Counter, Counter.name) == set()


def test_accounts_still_on_the_demo_password_are_named(loket):
    list(ensure_demo(loket))
    assert demo_password_accounts(loket) == sorted(u for u, _, _ in DEMO_USERS)
    admin = Actor(user_id(loket, "admin"), Role.ADMIN)
    ops.reset_password(loket, admin, user_id(loket, "operator"), "kata-sandi-baru")
    ops.update_staff(loket, admin, user_id(loket, "scan"), {"active": False})
    with loket.store.transaction() as s:  # a renamed demo account still counts
        s.get(User, user_id(loket, "register")).username = "rina"
    left = demo_password_accounts(loket)
    assert "operator" not in left and "scan" not in left and "rina" in left and "admin" in left
    for username in left:
        ops.reset_password(loket, admin, user_id(loket, username), "kata-sandi-baru")
    assert demo_password_accounts(loket) == []


def test_the_demo_kiosk_is_paired_on_the_first_run_only(tmp_path):
    """`flask demo-setup` pairs its kiosk once: a later start neither re-creates a deleted demo kiosk nor
    prints a new working code (the office's kiosk keeps its pairing)."""
    from loket.core.store import Device
    from tests.fixtures.web import make_app

    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'office.db'}", kiosk=None)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    first = runner.invoke(args=["demo-setup", "--base", "http://127.0.0.1:5000"]).output
    [link] = [line for line in first.splitlines() if line.startswith("link ")]
    assert link.startswith("link http://127.0.0.1:5000/kiosk/?kiosk=kiosk-demo#pair=")
    code = link.split("#pair=")[1]
    assert (
        app.test_client()
        .post("/api/tickets", json={"service": "pencetakan-ktp-el"}, headers={"X-Loket-Kiosk-Token": code})
        .status_code
        == 201
    )
    store = app.extensions["loket"].store
    with store.transaction() as s:
        s.execute(delete(Device).where(Device.name == "kiosk-demo"))  # the office deleted it
    again = runner.invoke(args=["demo-setup", "--base", "http://127.0.0.1:5000"]).output
    assert "link " not in again and "code " not in again
    with store.read() as s:
        assert s.scalar(select(Device.id).where(Device.name == "kiosk-demo")) is None
    store.dispose()
