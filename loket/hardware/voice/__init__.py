"""The hall's voice: a chime, then the call spoken by a local speech engine (no internet)."""

from .engine import EspeakVoice, FakeVoice, Voice, VoiceError, call_audio, chime_wav, wav_stats

__all__ = ["EspeakVoice", "FakeVoice", "Voice", "VoiceError", "call_audio", "chime_wav", "wav_stats"]
