"""Benchmark: QR decode time per 1280x720 frame, hardware.scanner.decode against plain pyzbar.

Frames are synthetic (hardware/scanner/synthetic.py): the hard cases of the tests (small,
rotated, blurred, dark, two codes) and cluttered frames with no code, which is what a counter's
camera sees most of the time. The baseline is plain `pyzbar.decode(gray)` over the whole frame;
"pyzbar QR-only" is the same restricted to symbols=[QRCODE]. Each frame is timed `--repeat` times,
the methods interleaved so a busy machine slows them alike; wall clock and process CPU time are
both shown (CPU time is steadier when other processes share the machine). `--sweep` adds a wider
set of conditions and counts what each method reads.

    .venv/bin/python bench/decode.py [--repeat 20] [--sweep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
from pyzbar.pyzbar import ZBarSymbol  # noqa: E402
from pyzbar.pyzbar import decode as zbar_decode  # noqa: E402

from loket.hardware.scanner.decode import decode  # noqa: E402
from loket.hardware.scanner.synthetic import PAYLOAD, empty_frames, hard_cases, robustness_cases  # noqa: E402


def plain_pyzbar(frame) -> list[str]:
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return [s.data.decode("utf-8", errors="replace") for s in zbar_decode(gray)]


def pyzbar_qr_only(frame) -> list[str]:
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return [s.data.decode("utf-8", errors="replace") for s in zbar_decode(gray, symbols=[ZBarSymbol.QRCODE])]


METHODS = {"ours": decode, "pyzbar QR-only": pyzbar_qr_only, "plain pyzbar": plain_pyzbar}


def timed(method, frame) -> tuple[float, float, list[str]]:
    """(wall ms, CPU ms, payloads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    found = method(frame)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def run(frames: dict, repeat: int) -> tuple[dict, dict]:
    """Per method: all wall and CPU samples; per (method, frame): whether it read exactly the expected codes."""
    samples = {name: ([], []) for name in METHODS}
    found = {}
    for _ in range(repeat):
        for frame_name, (frame, expected) in frames.items():
            for name, method in METHODS.items():
                wall, cpu, payloads = timed(method, frame)
                samples[name][0].append(wall)
                samples[name][1].append(cpu)
                found[name, frame_name] = sorted(payloads) == sorted(expected)
    return samples, found


def print_table(title: str, frames: dict, repeat: int) -> None:
    samples, found = run(frames, repeat)
    print(f"\n{title}: {len(frames)} frames x {repeat} runs, ms per 1280x720 frame")
    print(f"  {'method':<16}{'wall median':>12}{'wall p95':>10}{'CPU median':>12}{'CPU p95':>10}   read")
    for name in METHODS:
        wall, cpu = samples[name]
        read = sum(found[name, f] for f in frames)
        print(
            f"  {name:<16}{statistics.median(wall):>12.1f}{p95(wall):>10.1f}"
            f"{statistics.median(cpu):>12.1f}{p95(cpu):>10.1f}   {read}/{len(frames)}"
        )
    if any(expected for _, expected in frames.values()):
        print(f"  {'case':<16}" + "".join(f"{name:>16}" for name in METHODS))
        for frame_name in frames:
            marks = "".join(f"{'found' if found[name, frame_name] else 'MISSED':>16}" for name in METHODS)
            print(f"  {frame_name:<16}{marks}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sweep", action="store_true", help="also read a wider set of conditions once each")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.1f}; OpenCV {cv2.__version__}, {cv2.getNumThreads()} threads")
    print_table("Hard cases", hard_cases(), args.repeat)
    print_table("Frames without a code", {f"empty{i}": (f, []) for i, f in enumerate(empty_frames(8))}, args.repeat)
    if args.sweep:
        sweep = {name: (frame, [PAYLOAD]) for name, frame in robustness_cases().items()}
        _, found = run(sweep, 1)
        print(f"\nSweep: {len(sweep)} frames, read once each")
        for name in METHODS:
            missed = [f for f in sweep if not found[name, f]]
            print(f"  {name:<16} read {len(sweep) - len(missed)}/{len(sweep)}; missed: {', '.join(missed) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
