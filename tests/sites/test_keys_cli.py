"""`flask site key show|set|remove|list`: a site prints its public key, the hub records it, the sites verify."""

from __future__ import annotations

from tests.fixtures.database import copy_sqlite
from tests.fixtures.web import make_app


def test_show_at_a_site_set_at_the_hub_then_list_and_remove(tmp_path, demo_template):
    site = make_app(tmp_path / "site", copy_sqlite(demo_template, tmp_path / "site.db"), SITE="kec-a", kiosk=None)
    hub = make_app(tmp_path / "hub", copy_sqlite(demo_template, tmp_path / "hub.db"), HUB=True, kiosk=None)
    try:
        shown = site.test_cli_runner().invoke(args=["site", "key", "show"])
        assert shown.exit_code == 0, shown.output
        public = shown.stdout.strip()
        assert public == site.extensions["loket"].signer.keys.public_key and len(public) == 43
        assert f"flask site key set kec-a {public}" in shown.stderr
        again = make_app(tmp_path / "site", site.config["DATABASE_URL"], SITE="kec-a", kiosk=None)
        assert again.extensions["loket"].signer.keys.public_key == public  # made once, read back at each start
        again.extensions["loket"].store.dispose()

        cli = hub.test_cli_runner()
        assert cli.invoke(args=["site", "key", "set", "kec-a", public]).exit_code != 0  # not in the register yet
        added = cli.invoke(args=["site", "key", "set", "kec-a", public, "--number", "1", "--name", "Kecamatan Mlati"])
        assert added.exit_code == 0 and f"added with key {public}" in added.output
        assert cli.invoke(args=["site", "key", "set", "kec-a", "not-a-key"]).exit_code != 0
        listed = cli.invoke(args=["site", "key", "list"]).output
        assert listed == f"kec-a\t{public}\tKecamatan Mlati\n"
        assert cli.invoke(args=["site", "key", "remove", "kec-a"]).exit_code == 0
        assert cli.invoke(args=["site", "key", "list"]).output == ""
        # a site adds no row to the hub's register
        refused = site.test_cli_runner().invoke(
            args=["site", "key", "set", "kec-b", public, "--number", "2", "--name", "B"]
        )
        assert refused.exit_code != 0 and "at the hub" in refused.output
        # a single office has no site key to show
        assert hub.test_cli_runner().invoke(args=["site", "key", "show"]).exit_code != 0
    finally:
        for app in (site, hub):
            app.extensions["loket"].store.dispose()
