"""What the sites' commands refuse before touching any server: bad codes, passwords in a conninfo, SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from loket.core.sites import replication


@pytest.mark.parametrize("code", ["", "Kec_A", "kec-a", "1kec", "k" * 21, "kec a"])
def test_a_site_code_that_cannot_name_a_replication_slot_is_refused(code):
    with pytest.raises(replication.ReplicationError, match="tidak sah"):
        replication.check_code(code)


def test_a_site_code_names_its_subscriptions_and_slots():
    assert replication.subscription_name("kec_cibinong") == "loket_site_kec_cibinong"
    assert replication.rules_subscription_name("mpp") == "loket_rules_mpp"


def test_a_conninfo_with_a_password_is_refused_since_it_is_stored_and_replicated():
    with pytest.raises(replication.ReplicationError, match=r"\.pgpass") as refused:
        replication.check_conninfo("host=10.0.0.1 dbname=loket user=repl password=rahasia")
    assert "rahasia" not in str(refused.value)
    assert replication.check_conninfo("host=10.0.0.1 dbname=loket user=repl")


def test_the_embedded_default_is_told_that_sites_need_postgresql(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'loket.db'}")
    with pytest.raises(replication.ReplicationError, match="PostgreSQL"):
        replication.init_site(engine, "kec_a", 1, None)
    engine.dispose()


def test_the_commands_say_what_the_database_refused_and_check_the_site_s_own_code(tmp_path, monkeypatch):
    """A site out of reach, a pg_hba.conf refusal or a role that is not a superuser: the command says PostgreSQL's first
    line, not a traceback; `flask site init` for a code other than this server's LOKET_SITE is refused."""
    import psycopg

    from tests.fixtures.web import make_app

    app = make_app(tmp_path / "site", f"sqlite:///{tmp_path / 'site.db'}", kiosk=None, SITE="kec_s")
    runner = app.test_cli_runner()
    wrong = runner.invoke(args=["site", "init", "kec_t", "--number", "1"])
    assert wrong.exit_code != 0 and "LOKET_SITE server ini 'kec_s', bukan 'kec_t'" in wrong.output

    def unreachable(*_args, **_kwargs):
        raise psycopg.OperationalError('connection to server at "10.9.9.9", port 5432 failed: timeout expired\nmore')

    monkeypatch.setattr(replication, "init_site", unreachable)
    said = runner.invoke(args=["site", "init", "kec_s", "--number", "1"])
    assert said.exit_code == 1 and "Traceback" not in said.output
    assert 'PostgreSQL menolak langkah ini: connection to server at "10.9.9.9"' in said.output
    assert "more" not in said.output


def test_a_link_s_errors_are_judged_from_its_counts_over_time():
    """replication.ErrorWatch: errors that keep coming are an error now; counts that stopped growing are history."""
    now = [0.0]
    watch = replication.ErrorWatch(window=60, clock=lambda: now[0])
    retry = 5.0  # wal_retrieve_retry_interval 5 s: readings compared at least 16 s apart
    assert watch.min_gap(retry) == 16

    def judge(apply, sync, stuck=False, reset=None, key=("hub", 1)):
        return watch.judge(key, apply, sync, reset, stuck, retry)

    def at(t):
        now[0] = t

    # The first reading: a table not copied with copy errors counted is an error, to be confirmed by a later reading
    # (the grant may have been given: then it is copying fine); apply errors counted cannot be judged yet.
    assert judge(0, 3, stuck=True) == ("copy", False)
    assert judge(4, 0, key=("hub", 2)) == (None, False)
    at(10.0)  # too soon to compare
    assert judge(0, 5, stuck=True) == ("copy", False)
    at(20.0)  # the copy errors grew since 0 s: an error, settled
    assert judge(0, 6, stuck=True) == ("copy", True)
    at(40.0)  # none since 20 s (the grant was given; the copy runs): no error, the table still syncing
    assert judge(0, 6, stuck=True) == (None, True)
    at(60.0)  # copied: no table stuck
    assert judge(0, 6) == (None, True)
    at(80.0)  # one apply error (a cut line drops the open stream once): not an error
    assert judge(1, 6) == (None, True)
    for t, count in ((95.0, 4), (110.0, 7), (125.0, 10)):  # the apply fails at every retry: an error
        at(t)
        assert judge(count, 6) == ("apply", True)
    at(135.0)  # compared with 110 s: still growing
    assert judge(10, 6) == ("apply", True)
    at(145.0)  # compared with 125 s: no error since: recovered
    assert judge(10, 6) == (None, True)
    at(400.0)  # long after (no reading within the window): the counts alone say nothing of now
    assert judge(10, 6) == (None, False)
    # Counts reset (flask site enable): the readings start afresh.
    at(500.0)
    assert judge(0, 0) == (None, True)
    # Another subscription's counts are its own.
    assert judge(4, 0, key=("hub", 2)) == (None, False)
