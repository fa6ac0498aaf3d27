"""What a process that serves the boards holds: not the libraries of rarely used routes.

Issue 12: a thousand boards on one process under 300 MiB. OpenCV with the QR readers (a webcam frame from
a counter or a kiosk), openpyxl (an XLSX export) and Alembic (a migration) cost ~100 MiB of RSS together;
they load with the first request that needs them, not with the app (docs/performance.md, Boards).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures.database import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]
#: Loaded by the first webcam frame, XLSX export or migration; never by serving the boards.
DEFERRED = ("alembic", "cv2", "openpyxl", "pyzbar", "zxingcpp")

SERVE_BOARDS = f"""
import sys
from gevent import monkey

monkey.patch_all()  # as gunicorn's gevent worker does before it loads loket.wsgi
from loket.wsgi import app
from loket.extensions import socketio

board = socketio.test_client(app, auth={{"channel": "board"}})
assert [m["name"] for m in board.get_received()] == ["display.state"]
page = app.test_client()
assert page.get("/display/").status_code == 200
assert page.get("/api/services").status_code == 200
print(",".join(m for m in {DEFERRED!r} if m in sys.modules))
"""

EXPORT = """
import sys
from loket.core.spreadsheet import bold, workbook

book = workbook()
book.active["A1"].font = bold(14)
print("openpyxl" in sys.modules, book.active["A1"].font.b, book.active["A1"].font.sz)
"""


def run(script: str, tmp_path: Path, demo_template: Path) -> str:
    env = dict(os.environ, DATABASE_URL=copy_sqlite(demo_template, tmp_path / "loket.db"), SECRET_KEY="boards")
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_serving_boards_loads_no_scanner_spreadsheet_or_migration_library(tmp_path, demo_template):
    assert run(SERVE_BOARDS, tmp_path, demo_template) == ""


def test_an_export_loads_openpyxl_when_it_makes_its_workbook(tmp_path, demo_template):
    assert run(EXPORT, tmp_path, demo_template) == "True True 14.0"
