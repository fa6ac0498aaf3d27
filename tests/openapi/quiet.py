"""Helpers of the API tests."""


class NoDisplayPush:
    """No display.state pushes from a background task that would outlive the test's database (no display listens)."""

    def poke(self) -> None:
        pass
