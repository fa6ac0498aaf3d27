"""Printing off the request path: one queue and one worker thread per printer.

A resident's ticket answer never waits for paper. The kiosk route renders the job and puts it in its
printer's queue; the printer's worker sends the jobs one after another, in the order they came (the
printer's own timeout, LOKET_PRINTER_TIMEOUT, bounds each wait for it), records each outcome as
before (print records, printer alerts for staff) and pushes it to the kiosk's page
(`print.outcome`, Socket.IO room "kiosk:<name>").
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from flask import Flask, current_app

from loket.hardware.printer import Printer

Job = Callable[[], None]


class PrintQueues:
    """A worker thread per printer, started on its first job; jobs run in order inside an app context."""

    def __init__(self, app: Flask):
        self.app = app
        self._queues: dict[str, queue.Queue[Job]] = {}
        self._lock = threading.Lock()

    def submit(self, printer: Printer, job: Job) -> None:
        """Queue `job` for `printer` (one queue per printer, known by its description) and return at once."""
        key = printer.describe()
        with self._lock:
            jobs = self._queues.get(key)
            if jobs is None:
                jobs = self._queues[key] = queue.Queue()
                threading.Thread(target=self._work, args=(jobs,), name=f"printer {key}", daemon=True).start()
        jobs.put(job)

    def _work(self, jobs: queue.Queue[Job]) -> None:
        while True:
            job = jobs.get()
            try:
                with self.app.app_context():
                    job()
            except Exception:
                self.app.logger.exception("print job failed")
            finally:
                jobs.task_done()

    def wait_idle(self) -> None:
        """Block until every queued job has run (tests, and a graceful stop)."""
        with self._lock:
            all_jobs = list(self._queues.values())
        for jobs in all_jobs:
            jobs.join()


def print_queues() -> PrintQueues:
    """The current app's print queues."""
    return current_app.extensions["print_queues"]
