"""Helpers of the API tests."""

from loket.realtime.board import BoardPusher


class NoDisplayPush(BoardPusher):
    """No display.delta pushes from a background task that would outlive the test's database (no board listens)."""

    def poke(self) -> None:
        pass
