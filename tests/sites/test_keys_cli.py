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
        assert f"Di hub: flask site key set kec-a {public}" in shown.stderr
        english = site.test_cli_runner().invoke(args=["site", "key", "show", "--lang", "en"])
        assert f"At the hub: flask site key set kec-a {public}" in english.stderr
        again = make_app(tmp_path / "site", site.config["DATABASE_URL"], SITE="kec-a", kiosk=None)
        assert again.extensions["loket"].signer.keys.public_key == public  # made once, read back at each start
        again.extensions["loket"].store.dispose()

        cli = hub.test_cli_runner()
        missing = cli.invoke(args=["site", "key", "set", "kec-a", public])  # not in the register yet
        assert missing.exit_code != 0 and "Situs kec-a tidak ada di daftar situs" in missing.output
        added = cli.invoke(args=["site", "key", "set", "kec-a", public, "--number", "1", "--name", "Kecamatan Mlati"])
        assert added.exit_code == 0 and f"situs kec-a: ditambahkan dengan kunci {public}" in added.output
        again_en = cli.invoke(args=["site", "key", "set", "kec-a", public, "--lang", "en"])
        assert again_en.exit_code == 0 and f"site kec-a: public key {public}" in again_en.output
        bad = cli.invoke(args=["site", "key", "set", "kec-a", "not-a-key"])
        assert bad.exit_code != 0 and "32 bita dalam base64url" in bad.output
        bad_en = cli.invoke(args=["site", "key", "set", "kec-a", "not-a-key", "--lang", "en"])
        assert "32 bytes in base64url" in bad_en.output
        listed = cli.invoke(args=["site", "key", "list"]).output
        assert listed == f"kec-a\t{public}\tKecamatan Mlati\n"
        removed = cli.invoke(args=["site", "key", "remove", "kec-a"])
        assert removed.exit_code == 0 and "situs kec-a: tanpa kunci, kodenya ditolak" in removed.output
        assert cli.invoke(args=["site", "key", "list"]).output == ""
        # a site adds no row to the hub's register
        refused = site.test_cli_runner().invoke(
            args=["site", "key", "set", "kec-b", public, "--number", "2", "--name", "B"]
        )
        assert refused.exit_code != 0 and "Situs ditambahkan di hub" in refused.output
        # a single office has no site key to show
        assert hub.test_cli_runner().invoke(args=["site", "key", "show"]).exit_code != 0
    finally:
        for app in (site, hub):
            app.extensions["loket"].store.dispose()
