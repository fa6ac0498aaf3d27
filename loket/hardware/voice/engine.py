"""Speech synthesis behind a small interface: espeak-ng's Indonesian voice, cached as WAV files."""

from __future__ import annotations

import array
import hashlib
import io
import math
import os
import shutil
import subprocess
import threading
import wave
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

RATE = 22050  # espeak-ng's own rate: the chime is made at it so the two join into one file


class VoiceError(Exception):
    pass


class Voice(ABC):
    """Turns Indonesian text into 16-bit mono WAV bytes at RATE."""

    @abstractmethod
    def speak(self, text: str) -> bytes: ...


class EspeakVoice(Voice):
    """espeak-ng (Debian package espeak-ng) with its Indonesian voice; works offline."""

    def __init__(self, voice: str = "id", words_per_minute: int = 140, pitch: int = 45):
        self.binary = shutil.which("espeak-ng")
        self.voice = voice
        self.words_per_minute = words_per_minute
        self.pitch = pitch

    def speak(self, text: str) -> bytes:
        if not self.binary:
            raise VoiceError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
        result = subprocess.run(
            [self.binary, "-v", self.voice, "-s", str(self.words_per_minute), "-p", str(self.pitch), "--stdout", text],
            capture_output=True,
            timeout=30,
            check=False,
        )
        if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
            raise VoiceError(f"espeak-ng failed: {result.stderr.decode(errors='replace').strip()}")
        return _normalize_header(result.stdout)


class FakeVoice(Voice):
    """A tone whose length follows the text; for tests that must not depend on espeak-ng."""

    def speak(self, text: str) -> bytes:
        return _wav(_tone(440, 0.05 * len(text), 0.3))


def _normalize_header(data: bytes) -> bytes:
    """espeak-ng --stdout writes a streaming header with unknown sizes; rewrite it properly."""
    pcm = data[44:]
    return _wav(array.array("h", pcm[: len(pcm) // 2 * 2]))


def _tone(freq: float, seconds: float, volume: float, decay: float = 0.0) -> array.array:
    samples = array.array("h")
    total = int(RATE * seconds)
    for i in range(total):
        t = i / RATE
        envelope = math.exp(-decay * t) if decay else 1.0
        fade = min(1.0, i / (RATE * 0.01), (total - i) / (RATE * 0.02))  # no clicks
        samples.append(int(32767 * volume * envelope * fade * math.sin(2 * math.pi * freq * t)))
    return samples


def _wav(samples: array.array) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def _pcm(wav_bytes: bytes) -> array.array:
    with wave.open(io.BytesIO(wav_bytes)) as src:
        if src.getframerate() != RATE or src.getsampwidth() != 2 or src.getnchannels() != 1:
            raise VoiceError("speech must be 16-bit mono at 22050 Hz")
        return array.array("h", src.readframes(src.getnframes()))


_CHIME: bytes | None = None


def chime_wav() -> bytes:
    """The two-note airport-style chime (ding-dong) that opens every call."""
    global _CHIME
    if _CHIME is None:
        ding = _tone(880, 0.55, 0.45, decay=3.0)
        dong = _tone(659.25, 0.9, 0.45, decay=2.5)
        _CHIME = _wav(ding + dong)
    return _CHIME


#: Below this share of full scale a sample counts as silence (sox's `silence 1 0.05 1%` uses the same).
SILENCE = 0.01


def voiced(samples: array.array) -> array.array:
    """The samples from the first to the last that is not silence (the speech without its lead-in and tail)."""
    limit = 32768 * SILENCE
    start = next((i for i, s in enumerate(samples) if abs(s) > limit), len(samples))
    end = next((i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > limit), -1)
    return samples[start : end + 1] if end >= start else array.array("h")


def rms(samples: array.array) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768 if samples else 0.0


def balanced_chime(speech: array.array) -> array.array:
    """The chime at the voice's loudness (the same RMS as the spoken sentence, issue 15: it was 5-6 dB
    louder, so a hall set loud enough for the chime got a voice too soft, or the chime too loud)."""
    chime = _pcm(chime_wav())
    target, own = rms(voiced(speech)), rms(chime)
    if not target or not own:
        return chime
    gain = target / own
    peak = max(abs(s) for s in chime) or 1
    gain = min(gain, 32767 / peak)  # never clip
    return array.array("h", (int(s * gain) for s in chime))


@dataclass(frozen=True)
class WavStats:
    seconds: float
    rms: float  # 0..1
    peak: float  # 0..1


def wav_stats(wav_bytes: bytes) -> WavStats:
    samples = _pcm(wav_bytes)
    if not samples:
        return WavStats(0.0, 0.0, 0.0)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    peak = max(abs(s) for s in samples) / 32768
    return WavStats(len(samples) / RATE, rms, peak)


class CallAudio:
    """Chime + spoken sentence as one WAV, cached on disk by sentence, so a call plays at once.

    The cache is bounded: at most `max_files` files and `max_bytes` bytes; when a new file passes a
    bound, the files used longest ago go first (a file's time is moved on each time it is served)."""

    def __init__(self, voice: Voice, folder: str | Path, *, max_files: int = 400, max_bytes: int = 100 * 1024 * 1024):
        self.voice = voice
        self.folder = Path(folder)
        self.max_files = max(1, max_files)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def get(self, sentence: str) -> bytes:
        key = hashlib.sha256(f"{type(self.voice).__name__}|{sentence}".encode()).hexdigest()[:24]
        path = self.folder / f"{key}.wav"
        data = self._cached(path)
        if data is not None:
            return data
        with self._lock:
            data = self._cached(path)
            if data is not None:
                return data
            speech = _pcm(self.voice.speak(sentence))
            pause = array.array("h", bytes(int(RATE * 0.25) * 2))
            data = _wav(balanced_chime(speech) + pause + speech)
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
            self._evict(keep=path)
            return data

    @staticmethod
    def _cached(path: Path) -> bytes | None:
        try:
            data = path.read_bytes()
            os.utime(path)  # recently used: evicted last
        except FileNotFoundError:
            return None
        return data

    def _evict(self, keep: Path) -> None:
        """Remove the files used longest ago until the cache is within both bounds (`keep` stays)."""
        files = []
        for p in self.folder.glob("*.wav"):
            try:
                st = p.stat()
            except FileNotFoundError:
                continue
            files.append((st.st_mtime, p, st.st_size))
        files.sort(key=lambda f: (f[1] == keep, f[0]))
        count, total = len(files), sum(size for _t, _p, size in files)
        for _mtime, p, size in files:
            if count <= self.max_files and total <= self.max_bytes:
                break
            if p == keep:
                continue
            p.unlink(missing_ok=True)
            count, total = count - 1, total - size


def call_audio(voice: Voice, folder: str | Path, **bounds: int) -> CallAudio:
    return CallAudio(voice, folder, **bounds)
