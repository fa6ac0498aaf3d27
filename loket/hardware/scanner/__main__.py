"""python -m loket.hardware.scanner: read QR codes from a camera, a video or an image folder for one counter."""

from __future__ import annotations

import argparse
import os
import sys

from .agent import http_poster, run_agent
from .camera import CameraError, open_camera


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loket.hardware.scanner",
        description="Send the QR codes a camera sees to the Loket server, for one counter (loket).",
    )
    parser.add_argument("--server", required=True, help="the Loket server, e.g. http://10.0.0.5:5000")
    parser.add_argument("--counter", type=int, required=True, help="the counter's id")
    parser.add_argument(
        "--token", default=os.environ.get("LOKET_SCANNER_TOKEN", ""), help="the scanner token (LOKET_SCANNER_TOKEN)"
    )
    parser.add_argument("--camera", default="0", help="a device index (0, 1), a video file or a folder of images")
    parser.add_argument(
        "--once", action="store_true", help="stop after the first code the server answers (exit 0 if accepted)"
    )
    parser.add_argument(
        "--cooldown", type=float, default=3.0, help="seconds a code must be out of view before it counts again"
    )
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token (or LOKET_SCANNER_TOKEN) is required")
    if not args.server.startswith(("http://", "https://")):
        parser.error("--server must start with http:// or https://")
    try:
        camera = open_camera(args.camera)
    except CameraError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Pemindai loket {args.counter} -> {args.server}, {camera.describe()}. Ctrl-C: berhenti.", flush=True)
    post = http_poster(args.server, args.counter, args.token)
    try:
        results = run_agent(
            camera,
            post,
            args.cooldown,
            stop_after=1 if args.once else None,
            report=lambda result: print(result.line(), flush=True),
        )
    except KeyboardInterrupt:
        print("Berhenti. (Stopped.)", flush=True)
        return 0
    except CameraError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.once and not any(result.answer and "ticket" in result.answer for result in results):
        if not results:
            print("Tidak ada kode yang terbaca. (No code was read.)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
