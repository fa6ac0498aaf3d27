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
