"""A webhook subscription whose deliveries keep failing alerts the admin (issue 14), against a real receiver on
127.0.0.1 that answers 503 for a while, then takes the deliveries again: after N failed tries in a row (or its
oldest delivery waiting longer than X minutes) one alert is raised, shown where the other outbox alerts show (the
admin's outbox state, the desks' alert list) and published; the next delivery that gets through clears it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from loket.core.outbox import webhooks, worker
from loket.core.outbox.channels import Route, Routes
from loket.core.outbox.webhooks import WebhookSender
from loket.core.store import EventRecord, WebhookSubscription
from loket.core.tickets import issuing, prints
from tests.core.test_outbox import KTP, staff  # noqa: F401  (the fixture)
from tests.core.test_webhooks import subscribe
from tests.outbox.receiver import start_receiver

#: Alert after 3 failed tries in a row, or a delivery 30 minutes old; retries every 10 s (at most), never given up.
POLICY = worker.OutboxPolicy(
    retry_base_seconds=10,
    retry_cap_seconds=10,
    max_attempts=1000,
    lease_seconds=30,
    webhook_alert_failures=3,
    webhook_alert_minutes=30,
)


@pytest.fixture
def receiver():
    r = start_receiver()
    yield r
    r.close()


def one_round(loket, clock) -> worker.Round:
    """One round of the worker with the webhook channel, then the clock past the backoff."""
    done = worker.deliver_due(
        loket, Routes({"webhook": Route("webhook", WebhookSender(loket, timeout=5))}), "w1", POLICY
    )
    clock.advance(seconds=POLICY.retry_cap_seconds + 1)
    return done


def standing(loket) -> list[dict]:
    return [w for w in webhooks.health(loket, POLICY.webhook_alert_minutes) if w["alerted_at"]]


def desk_alerts(loket) -> list[dict]:
    return [a for a in prints.kiosk_alerts(loket) if a["reason"] == webhooks.FAILING]


def test_failing_deliveries_alert_once_after_n_failures_and_a_success_clears_it(loket, staff, clock, receiver):  # noqa: F811
    sub = subscribe(loket, receiver, events=["ticket.issued"], name="Mal Pelayanan Publik")
    issuing.issue(loket, KTP)
    receiver.down = True

    published = []
    for _ in range(2):  # two failures: no alert yet
        done = one_round(loket, clock)
        assert done.retried == 1 and done.events == []
        assert standing(loket) == [] and desk_alerts(loket) == []
    (health,) = webhooks.health(loket, POLICY.webhook_alert_minutes)
    assert health["failures"] == 2 and health["failing_since"] and "503" in health["last_error"]

    done = one_round(loket, clock)  # the third in a row: the alert
    published += done.events
    (alert,) = [e for e in published if e.kind == "kiosk.alert"]
    assert alert.payload["reason"] == "webhook_failing" and alert.payload["subscription"] == "Mal Pelayanan Publik"
    assert (
        alert.payload["count"] == 3 and "secret" not in str(alert.payload) and receiver.secret not in str(alert.payload)
    )
    (shown,) = standing(loket)
    assert shown["id"] == sub["id"] and shown["failures"] == 3
    (on_desk,) = desk_alerts(loket)
    assert on_desk["subscription_id"] == sub["id"]

    for _ in range(3):  # still failing: no second alert for the same outage
        assert [e for e in one_round(loket, clock).events if e.kind == "kiosk.alert"] == []
    assert len(desk_alerts(loket)) == 1

    receiver.down = False
    done = one_round(loket, clock)  # it gets through: the alert clears, and says so
    assert done.sent == 1 and [e.kind for e in done.events] == ["webhook.recovered"]
    assert standing(loket) == [] and desk_alerts(loket) == []
    with loket.store.read() as s:
        row = s.get(WebhookSubscription, sub["id"])
        assert (row.failures, row.failing_since, row.alerted_at) == (0, None, None) and row.last_success_at
    assert len(receiver.taken) == 1 and not receiver.duplicates

    # A new outage alerts again.
    issuing.issue(loket, KTP)
    receiver.down = True
    events = [e for _ in range(3) for e in one_round(loket, clock).events]
    assert [e.payload["reason"] for e in events if e.kind == "kiosk.alert"] == ["webhook_failing"]


def test_a_delivery_waiting_too_long_alerts_before_n_failures(loket, staff, clock, receiver):  # noqa: F811
    subscribe(loket, receiver, events=["ticket.issued"])
    issuing.issue(loket, KTP)
    receiver.down = True
    assert one_round(loket, clock).events == []  # one failure, the delivery just made
    clock.advance(minutes=POLICY.webhook_alert_minutes)
    done = one_round(loket, clock)  # the second failure, but the delivery is 30 minutes old
    (alert,) = done.events
    assert alert.payload["count"] == 2 and alert.payload["since"]
    (shown,) = standing(loket)
    assert shown["late"] is True and shown["oldest_waiting_at"]
    with loket.store.read() as s:
        kinds = list(s.scalars(select(EventRecord.kind).where(EventRecord.kind == "kiosk.alert")))
    assert kinds == ["kiosk.alert"]
