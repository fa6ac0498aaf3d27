"""LOKET_INSTANCE_PATH: a second office (or a copy for trying things) on one machine keeps its own database,
secret key and media, through the same commands the README gives (`flask --app loket.app ...`)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_commands_keep_everything_in_the_instance_folder_the_environment_names(tmp_path):
    folder = tmp_path / "kantor-2"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env["LOKET_INSTANCE_PATH"] = str(folder)
    flask = [sys.executable, "-m", "flask", "--app", "loket.app"]
    subprocess.run([*flask, "init-db"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    assert (folder / "loket.db").is_file() and (folder / "secret_key").is_file()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    key = (folder / "secret_key").read_text()
    # The same folder again: the same key (printed tickets keep verifying), the database kept.
    subprocess.run([*flask, "init-db"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    assert (folder / "secret_key").read_text() == key
    assert not (ROOT / "instance" / "kantor-2").exists()
