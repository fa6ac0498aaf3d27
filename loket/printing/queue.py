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
from typing import Any

from flask import Flask, current_app

from loket.hardware.printer import Printer

#: A job prints; it may hand back something to note afterwards (a print's record), which the worker passes
#: to `later` together with the notes of the jobs run just after it (see `_work`).
Job = Callable[[], Any]

#: At most this many jobs' notes wait for one `later` call.
BATCH = 64


class PrintQueues:
    """A worker thread per printer, started on its first job; jobs run in order inside an app context.

    `later(notes)`: what the worker does with the jobs' notes (the print records): after a job whose queue
    is then empty, or after BATCH jobs, for all those jobs at once (a burst of tickets is recorded in one
    transaction instead of one each). A queue's jobs count as done (`wait_idle`) once their notes are.
    """

    def __init__(self, app: Flask, later: Callable[[list[Any]], None] | None = None):
        self.app = app
        self._later = later
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
        notes: list[Any] = []
        ran = 0
        while True:
            job = jobs.get()
            ran += 1
            try:
                with self.app.app_context():
                    note = job()
                if note is not None:
                    notes.append(note)
            except Exception:
                self.app.logger.exception("print job failed")
            if jobs.empty() or ran >= BATCH:
                try:
                    if notes and self._later is not None:
                        with self.app.app_context():
                            self._later(notes)
                except Exception:
                    self.app.logger.exception("recording print jobs failed")
                finally:
                    for _ in range(ran):
                        jobs.task_done()
                    notes, ran = [], 0

    def wait_idle(self) -> None:
        """Block until every queued job has run (tests, and a graceful stop)."""
        with self._lock:
            all_jobs = list(self._queues.values())
        for jobs in all_jobs:
            jobs.join()


def print_queues() -> PrintQueues:
    """The current app's print queues."""
    return current_app.extensions["print_queues"]
