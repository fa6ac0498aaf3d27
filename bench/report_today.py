"""Today's report (or the last N days) timed in one process, to compare two trees side by side.

Uses a database filled by bench/reports.py (--reuse). Prints the median and minimum wall and CPU time
of `build_report` ("fast") or `build_report_full` ("full") over n runs; --prof adds a cProfile.

    .venv/bin/python bench/report_today.py . sqlite:////work/benchrun/year.db fast 0 30
    .venv/bin/python bench/report_today.py /path/to/other/tree sqlite:////work/benchrun/year.db fast 0 30

Arguments: a tree (its loket/ and bench/ are imported), a database URL, fast or full, days back from
the bench's last day (0: today alone), runs, and --prof.
"""

from __future__ import annotations

import cProfile
import importlib
import pstats
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path


def main() -> None:
    tree = Path(sys.argv[1]).resolve()
    url, which = sys.argv[2], sys.argv[3]
    back = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    n = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    sys.path[:0] = [str(tree), str(tree / "bench")]
    bench = importlib.import_module("reports")
    catalog = importlib.import_module("loket.core.catalog").load_catalog(tree / "loket" / "sops")
    reports = importlib.import_module("loket.core.reports")
    signer = importlib.import_module("loket.core.qr").CodeSigner("bench", "bench")
    store = importlib.import_module("loket.core.store").Store(url)
    loket = importlib.import_module("loket.core.service").Loket(store, catalog, signer, bench.CLOCK)
    fn = {"full": reports.build_report_full, "fast": reports.build_report}[which]
    start, end = bench.LAST_DAY - timedelta(days=back), bench.LAST_DAY
    fn(loket, bench.LAST_DAY - timedelta(days=400))  # imports and connections warm
    fn(loket, start, end)  # statements compiled, summaries made
    walls, cpus = [], []
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        fn(loket, start, end)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    print(
        f"{which} {back}d: wall median {statistics.median(walls) * 1000:.1f} ms min {min(walls) * 1000:.1f};"
        f" cpu median {statistics.median(cpus) * 1000:.1f} ms min {min(cpus) * 1000:.1f}"
    )
    if "--prof" in sys.argv:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(n):
            fn(loket, start, end)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    store.dispose()


if __name__ == "__main__":
    main()
