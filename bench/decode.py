"""Benchmark: QR reading on issue 12's 96 hard 1280x720 frames, four readers side by side in one run.

Readers:
  new        loket.hardware.scanner.decode: zxing-cpp first, a bending grid for codes it saw but could
             not decode (crumpled), then region crops re-binarised for zxing and, last, zbar
  new-nozbar the same with zbar switched off: what the pyzbar fallback adds
  baseline   the decoder before issue 12 (bench/decode_baseline.py: OpenCV region search + pyzbar)
  zxing-cpp  plain zxingcpp.read_barcodes(gray, formats=QRCode), its defaults
  pyzbar     plain pyzbar.decode(gray, symbols=[QRCODE])

Frames are synthetic (loket/hardware/scanner/synthetic.py, benchmark_frame): 12 categories x 8
(plain, small, close, rotated, skewed, blurred, dark, shadow, glare, two codes, phone screen,
crumpled), conditions drawn at random from fixed ranges. `--set holdout` draws 8 other frames per
category (40 crumpled) from the same ranges, frames never looked at while the decoder was tuned.
A frame counts as read when a reader returns exactly the payloads in it; a payload that is not in
the frame is counted as WRONG. Every frame is timed `--repeat` times, the readers interleaved so a
busy machine slows them alike; wall and process CPU time are both shown, with the ratio to the
baseline beside each (CPU time is steadier on a shared machine). Frames without a code, what a
counter's camera sees most of the time, are timed separately.

    .venv/bin/python bench/decode.py [--repeat 5] [--set main|holdout] [--sweep]
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import zxingcpp  # noqa: E402
from pyzbar.pyzbar import ZBarSymbol  # noqa: E402
from pyzbar.pyzbar import decode as zbar_decode  # noqa: E402

from bench import decode_baseline  # noqa: E402
from loket.hardware.scanner.synthetic import (  # noqa: E402
    CATEGORIES,
    PAYLOAD,
    PER_CATEGORY,
    benchmark_frame,
    empty_frames,
    robustness_cases,
)

# The module, not the function that loket.hardware.scanner exports under the same name.
decode_module = importlib.import_module("loket.hardware.scanner.decode")


def _gray(frame):
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def plain_zxing(frame) -> list[str]:
    codes = zxingcpp.read_barcodes(_gray(frame), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.bytes.decode("utf-8", errors="replace") for code in codes if code.valid]


def plain_pyzbar(frame) -> list[str]:
    return [s.data.decode("utf-8", errors="replace") for s in zbar_decode(_gray(frame), symbols=[ZBarSymbol.QRCODE])]


def new_without_zbar(frame) -> list[str]:
    zbar = decode_module._zbar
    decode_module._zbar = lambda gray: []
    try:
        return decode_module.decode(frame)
    finally:
        decode_module._zbar = zbar


READERS = {
    "new": decode_module.decode,
    "new-nozbar": new_without_zbar,
    "baseline": decode_baseline.decode,
    "zxing-cpp": plain_zxing,
    "pyzbar": plain_pyzbar,
}


def frames_of(which: str) -> dict[str, tuple]:
    if which == "main":
        indices = {category: range(PER_CATEGORY) for category in CATEGORIES}
    else:
        indices = {c: range(PER_CATEGORY, PER_CATEGORY * (6 if c == "crumpled" else 2)) for c in CATEGORIES}
    return {f"{c}/{i}": benchmark_frame(c, i) for c, numbers in indices.items() for i in numbers}


def timed(reader, frame) -> tuple[float, float, list[str]]:
    """(wall ms, CPU ms, payloads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    found = reader(frame)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, found


def run(frames: dict, repeat: int) -> tuple[dict, dict, dict]:
    """Per reader: wall and CPU samples; per (reader, frame): read exactly, and any wrong payload."""
    samples = {name: ([], []) for name in READERS}
    read, wrong = {}, {}
    for round_ in range(repeat):
        for frame_name, (frame, expected) in frames.items():
            for name, reader in READERS.items():
                wall, cpu, payloads = timed(reader, frame)
                samples[name][0].append(wall)
                samples[name][1].append(cpu)
                if round_ == 0:
                    read[name, frame_name] = sorted(payloads) == sorted(expected)
                    wrong[name, frame_name] = bool(set(payloads) - set(expected))
    return samples, read, wrong


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def print_times(samples: dict) -> None:
    base_wall = statistics.median(samples["baseline"][0])
    base_cpu = statistics.median(samples["baseline"][1])
    print(
        f"  {'reader':<12}{'wall median':>12}{'x base':>8}{'wall p95':>10}{'CPU median':>12}{'x base':>8}{'CPU p95':>9}"
    )
    for name in READERS:
        wall, cpu = samples[name]
        print(
            f"  {name:<12}{statistics.median(wall):>10.1f}ms{statistics.median(wall) / base_wall:>8.2f}"
            f"{p95(wall):>8.1f}ms{statistics.median(cpu):>10.1f}ms{statistics.median(cpu) / base_cpu:>8.2f}"
            f"{p95(cpu):>7.1f}ms"
        )


def print_reads(frames: dict, read: dict, wrong: dict) -> None:
    totals = Counter(name.split("/")[0] for name in frames)
    print(f"  {'category':<14}" + "".join(f"{name:>12}" for name in READERS))
    for category in CATEGORIES:
        cells = [sum(read[name, f] for f in frames if f.startswith(category + "/")) for name in READERS]
        print(f"  {category:<14}" + "".join(f"{f'{c}/{totals[category]}':>12}" for c in cells))
    cells = [f"{sum(read[name, f] for f in frames)}/{len(frames)}" for name in READERS]
    print(f"  {'all':<14}" + "".join(f"{c:>12}" for c in cells))
    cells = [str(sum(wrong[name, f] for f in frames)) for name in READERS]
    print(f"  {'WRONG payload':<14}" + "".join(f"{c:>12}" for c in cells))
    for name in READERS:
        missed = [f for f in frames if not read[name, f]]
        print(f"  {name} missed: {', '.join(missed) or '-'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--set", choices=("main", "holdout"), default="main")
    parser.add_argument("--sweep", action="store_true", help="also read the wider sweep of the tests once each")
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; OpenCV {cv2.__version__} "
        f"({cv2.getNumThreads()} threads), zxing-cpp {zxingcpp_version()}"
    )
    frames = frames_of(args.set)
    samples, read, wrong = run(frames, args.repeat)
    print(f"\nHard frames ({args.set} set): {len(frames)} frames x {args.repeat} runs, per 1280x720 frame")
    print_times(samples)
    print("\nRead, per category")
    print_reads(frames, read, wrong)
    empty = {f"empty{i}": (frame, []) for i, frame in enumerate(empty_frames(8))}
    samples, read, wrong = run(empty, args.repeat)
    print(f"\nFrames without a code: {len(empty)} frames x {args.repeat} runs")
    print_times(samples)
    print("  false reads: " + ", ".join(f"{n} {sum(wrong[n, f] for f in empty)}" for n in READERS))
    if args.sweep:
        sweep = {name: (frame, [PAYLOAD]) for name, frame in robustness_cases().items()}
        _, read, _ = run(sweep, 1)
        print(f"\nSweep: {len(sweep)} frames, read once each")
        for name in READERS:
            missed = [f for f in sweep if not read[name, f]]
            print(f"  {name:<12} read {len(sweep) - len(missed)}/{len(sweep)}; missed: {', '.join(missed) or '-'}")
    return 0


def zxingcpp_version() -> str:
    from importlib.metadata import version

    return version("zxing-cpp")


if __name__ == "__main__":
    raise SystemExit(main())
