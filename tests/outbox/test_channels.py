"""The SMS (gammu-smsd files) and e-mail (SMTP) channels against real local servers, chosen by configuration.

- SMTP: a real SMTP server on 127.0.0.1 (aiosmtpd).
- SMS: the real gammu-smsd daemon (Debian package gammu-smsd) with its FILES backend in a temp folder and its
  "dummy" phone (no modem): it reads the files Loket writes, "transmits" them and moves them to its sent folder.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from loket.core.outbox import limits
from loket.core.outbox.channels import GammuFiles, OutgoingMessage, SmtpChannel, key_tag
from loket.core.outbox.worker import OutboxPolicy, deliver_due
from loket.core.store import EventRecord, OutboxMessage
from loket.core.tickets.prints import kiosk_alerts
from loket.outbox import channels, route_names
from tests.fixtures.web import make_app
from tests.outbox.gateway import start_gateway
from tests.outbox.mailserver import free_port, start_mailserver

POLICY = OutboxPolicy(retry_base_seconds=1, retry_cap_seconds=2, max_attempts=3)


def add(loket, n: int, kind: str = "phone", resident: int = 1, address: str = "081234567890") -> OutboxMessage:
    now = loket.clock.now()
    row = OutboxMessage(
        idempotency_key=f"test-office:ev{resident}-{n}:{kind}",
        ordering_key=f"ticket:{resident}",
        moment="called",
        channel=kind,
        address=address,
        text_id=f"Pesan {n}: nomor antrean A-00{n} dipanggil.",
        text_en=f"Message {n}: queue number A-00{n} called.",
        state="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    with loket.store.transaction() as s:
        s.add(row)
    return row


def states(loket) -> list[str]:
    with loket.store.read() as s:
        return list(s.scalars(select(OutboxMessage.state).order_by(OutboxMessage.id)))


def alerts(loket) -> list[dict]:
    with loket.store.read() as s:
        return [e.payload for e in s.scalars(select(EventRecord).where(EventRecord.kind == "kiosk.alert"))]


@pytest.fixture
def mail():
    controller, box = start_mailserver()
    yield controller, box
    controller.stop()


def smtp_config(controller, **more) -> dict:
    return {
        "OUTBOX_SMTP_HOST": "127.0.0.1",
        "OUTBOX_SMTP_PORT": controller.port,
        "OUTBOX_SMTP_SECURITY": "none",
        "OUTBOX_SMTP_FROM": "Disdukcapil <antrean@disdukcapil.example.go.id>",
        **more,
    }


def test_email_rows_go_out_by_smtp_with_the_key_as_message_id_and_phone_rows_wait(loket, mail):
    controller, box = mail
    routes = channels(smtp_config(controller))
    assert routes is not None and routes.kinds == ["email"]
    add(loket, 1, "email", 1, "warga@example.id")
    add(loket, 2, "phone", 2)  # no phone channel configured: it waits, it is not given up
    done = deliver_due(loket, routes, "w1", POLICY)
    assert done.sent == 1 and states(loket) == ["sent", "pending"]
    (mail_in,) = box.received
    assert mail_in["To"] == "warga@example.id"
    assert mail_in["Message-ID"] == f"<{key_tag('test-office:ev1-1:email')}@disdukcapil.example.go.id>"
    assert mail_in["X-Loket-Idempotency-Key"] == "test-office:ev1-1:email"
    body = mail_in.get_content()
    assert "Pesan 1: nomor antrean A-001 dipanggil." in body and "Message 1: queue number A-001 called." in body
    for _ in range(3):
        assert deliver_due(loket, routes, "w1", POLICY).handled == 0
    assert states(loket) == ["sent", "pending"]
    health = limits.health(loket, route_names(smtp_config(controller)))
    assert health["waiting_without_channel"] == {"phone": 1}
    smtp = next(c for c in health["channels"] if c["name"] == "smtp")
    assert smtp["configured"] and smtp["last_success_at"] and smtp["today_count"] == 1 and smtp["queue"] == 0


def test_a_refused_address_is_given_up_a_server_down_is_tried_again_and_staff_hear_once(loket, mail):
    controller, box = mail
    box.refuse.add("salah@example.id")
    refused = SmtpChannel("127.0.0.1", controller.port, "antrean@example.go.id", security="none")
    answer = refused.send(OutgoingMessage(1, "k1", "salah@example.id", "teks", "text", "called", kind="email"))
    assert not answer.ok and not answer.retry and "550" in answer.detail

    down = smtp_config(controller, OUTBOX_SMTP_PORT=free_port())  # nobody listens there
    routes = channels(down)
    add(loket, 1, "email", 1, "warga@example.id")
    add(loket, 1, "email", 2, "warga2@example.id")
    first = deliver_due(loket, routes, "w1", POLICY)
    assert first.retried == 2 and states(loket) == ["pending", "pending"]
    (alert,) = [a for a in alerts(loket) if a["reason"] == "channel_down"]  # one outage, one alert
    assert alert["channel"] == "smtp" and "warga" not in str(alert)
    smtp = next(c for c in limits.health(loket, route_names(down))["channels"] if c["name"] == "smtp")
    assert smtp["failing_since"] and smtp["last_failure_at"] and smtp["queue"] == 2 and not smtp["last_success_at"]
    assert smtp["today_count"] == 0  # a try that did not send is not counted against the cap

    loket.clock.advance(seconds=5)
    assert deliver_due(loket, channels(smtp_config(controller)), "w1", POLICY).sent == 2
    smtp = next(c for c in limits.health(loket, route_names(down))["channels"] if c["name"] == "smtp")
    assert smtp["failing_since"] is None and smtp["last_success_at"]
    assert len(box.received) == 2


def test_the_smtp_log_in_is_used_and_a_wrong_password_is_the_channels_fault_not_the_messages(loket):
    controller, box = start_mailserver(login=("antrean", "rahasia"))
    try:
        wrong = smtp_config(controller, OUTBOX_SMTP_USER="antrean", OUTBOX_SMTP_PASSWORD="salah")
        add(loket, 1, "email", 1, "warga@example.id")
        assert deliver_due(loket, channels(wrong), "w1", POLICY).retried == 1  # waits: not given up
        (alert,) = alerts(loket)
        assert alert["reason"] == "channel_down" and "535" in alert["detail"]
        right = smtp_config(controller, OUTBOX_SMTP_USER="antrean", OUTBOX_SMTP_PASSWORD="rahasia")
        loket.clock.advance(seconds=5)
        assert deliver_due(loket, channels(right), "w1", POLICY).sent == 1
        assert [m["To"] for m in box.received] == ["warga@example.id"]
    finally:
        controller.stop()


def test_the_phone_channel_is_chosen_by_configuration(tmp_path):
    assert route_names({"OUTBOX_GATEWAY_URL": "http://gw"}) == {"phone": "http"}
    assert route_names({"OUTBOX_GAMMU_OUTBOX": str(tmp_path)}) == {"phone": "sms"}
    both = {"OUTBOX_GATEWAY_URL": "http://gw", "OUTBOX_GAMMU_OUTBOX": str(tmp_path), "OUTBOX_PHONE_CHANNEL": "sms"}
    routes = channels(both)
    assert routes is not None and isinstance(routes.by_kind["phone"].channel, GammuFiles)
    assert channels({}) is None
    with pytest.raises(ValueError):
        channels({"OUTBOX_PHONE_CHANNEL": "sms"})  # named but not set up: start-up stops
    with pytest.raises(ValueError, match="LOKET_OUTBOX_SMTP_FROM"):
        make_app(tmp_path, "sqlite://", OUTBOX_SMTP_HOST="127.0.0.1")  # no sender: the app does not start


def gammu_config(tmp_path: Path) -> tuple[Path, dict]:
    for folder in ("outbox", "sent", "error", "inbox", "phone"):
        (tmp_path / folder).mkdir()
    rc = tmp_path / "smsdrc"
    rc.write_text(
        "[gammu]\n"
        f"device = {tmp_path / 'phone'}\nmodel = dummy\nconnection = none\n\n"
        "[smsd]\nService = files\n"
        f"OutboxPath = {tmp_path / 'outbox'}/\nSentSMSPath = {tmp_path / 'sent'}/\n"
        f"ErrorSMSPath = {tmp_path / 'error'}/\nInboxPath = {tmp_path / 'inbox'}/\n"
        f"LogFile = {tmp_path / 'smsd.log'}\nLoopSleep = 1\nCommTimeout = 1\nStatusFrequency = 0\n"
    )
    config = {
        "OUTBOX_PHONE_CHANNEL": "sms",
        "OUTBOX_GAMMU_OUTBOX": str(tmp_path / "outbox"),
        "OUTBOX_GAMMU_SENT": str(tmp_path / "sent"),
        "OUTBOX_GAMMU_ERROR": str(tmp_path / "error"),
    }
    return rc, config


def test_sms_files_are_written_as_gammu_smsd_reads_them_and_once_per_key(loket, tmp_path):
    _rc, config = gammu_config(tmp_path)
    routes = channels(config)
    add(loket, 1, "phone", 1, "0812-3456-7890")
    assert deliver_due(loket, routes, "w1", POLICY).sent == 1
    (written,) = (tmp_path / "outbox").iterdir()
    tag = key_tag("test-office:ev1-1:phone")
    assert written.name.startswith("OUTC") and written.name.endswith(f"_0000000001_081234567890_{tag}.txt")
    data = written.read_bytes()
    assert data[:2] == b"\xff\xfe"  # the BOM: gammu-smsd reads it as Unicode, whatever its locale
    assert data[2:].decode("utf-16-le") == "Pesan 1: nomor antrean A-001 dipanggil."  # Indonesian only: SMS is paid
    # A retry of the same message (its worker died before the database heard): no second file, wherever it is.
    message = OutgoingMessage(1, "test-office:ev1-1:phone", "081234567890", "x", "y", "called")
    sms = routes.by_kind["phone"].channel
    written.rename(tmp_path / "sent" / written.name)
    assert sms.send(message).ok
    assert not list((tmp_path / "outbox").iterdir())
    assert not sms.send(OutgoingMessage(2, "k2", "bukan nomor", "x", "y", "called")).retry


@pytest.mark.skipif(shutil.which("gammu-smsd") is None, reason="gammu-smsd is not installed (apt install gammu-smsd)")
def test_the_real_gammu_smsd_sends_them_in_order_per_resident(loket, tmp_path):
    rc, config = gammu_config(tmp_path)
    routes = channels(config)
    for n in (1, 2, 3):
        add(loket, n, "phone", 1, "+6281234567890")
    for _ in range(3):  # one per round: the next waits for the one before
        assert deliver_due(loket, routes, "w1", POLICY).sent == 1
    daemon = subprocess.Popen(["gammu-smsd", "-c", str(rc)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):  # at most 30 s
            if len(list((tmp_path / "sent").iterdir())) == 3:
                break
            time.sleep(0.1)
    finally:
        daemon.terminate()
        daemon.wait(10)
    assert not list((tmp_path / "outbox").iterdir()) and not list((tmp_path / "error").iterdir())
    log = (tmp_path / "smsd.log").read_text()
    sent = [line for line in log.splitlines() if "Transmitted" in line]
    tags = [key_tag(f"test-office:ev1-{n}:phone") for n in (1, 2, 3)]
    assert [next(t for t in tags if t in line) for line in sent] == tags  # in the resident's order
    assert all("to +6281234567890" in line for line in sent)


def test_at_a_daily_cap_messages_wait_for_tomorrow_or_a_higher_cap_and_staff_hear_once(loket, tmp_path):
    _rc, config = gammu_config(tmp_path)
    routes = channels(config)
    with loket.store.transaction() as s:
        limits.write_cap(s, "sms", limits.ChannelCap(max_per_day=2), datetime.now(UTC), None)
    for r in range(5):
        add(loket, 1, "phone", r)
    for _ in range(4):
        deliver_due(loket, routes, "w1", POLICY)
    assert states(loket) == ["sent", "sent", "pending", "pending", "pending"]
    assert [a["reason"] for a in alerts(loket)] == ["channel_capped"]  # once, not every round
    sms = next(c for c in limits.health(loket, route_names(config))["channels"] if c["name"] == "sms")
    assert sms["today_count"] == 2 and sms["capped"] and sms["queue"] == 3

    with loket.store.transaction() as s:  # the admin raises it: they go on at once, up to the new cap
        limits.write_cap(s, "sms", limits.ChannelCap(price_rupiah=350, cap_rupiah=1050), datetime.now(UTC), None)
    deliver_due(loket, routes, "w1", POLICY)
    assert states(loket) == ["sent", "sent", "sent", "pending", "pending"]

    loket.clock.advance(days=1)  # the next day: counted afresh
    deliver_due(loket, routes, "w1", POLICY)
    assert states(loket) == ["sent"] * 5
    assert len(list((tmp_path / "outbox").iterdir())) == 5


def test_a_gateway_down_shows_on_the_staff_alert_list_once_and_its_health_until_it_is_back(loket):
    gateway = start_gateway()
    try:
        routes = channels({"OUTBOX_GATEWAY_URL": gateway.url})
        for r in range(3):
            add(loket, 1, "phone", r)
        gateway.down = True
        assert deliver_due(loket, routes, "w1", POLICY).retried == 3
        loket.clock.advance(seconds=5)
        assert deliver_due(loket, routes, "w1", POLICY).retried == 3
        shown = kiosk_alerts(loket)  # what GET /api/staff/alerts gives the counter desks
        assert [a["reason"] for a in shown] == ["channel_down"] and shown[0]["channel"] == "http"
        http = next(c for c in limits.health(loket, {"phone": "http"})["channels"] if c["name"] == "http")
        assert http["failing_since"] and "503" in http["last_error"] and http["queue"] == 3

        gateway.down = False
        loket.clock.advance(seconds=5)
        assert deliver_due(loket, routes, "w1", POLICY).sent == 3
        http = next(c for c in limits.health(loket, {"phone": "http"})["channels"] if c["name"] == "http")
        assert http["failing_since"] is None and http["last_success_at"] and http["queue"] == 0
        assert len(gateway.accepted) == 3 and len(kiosk_alerts(loket)) == 1
    finally:
        gateway.close()
