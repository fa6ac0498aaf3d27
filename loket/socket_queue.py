"""Socket.IO's Redis message queue for several server processes, with the emits of one change sent as one message.

With `SOCKETIO_MESSAGE_QUEUE` (README, "Larger offices") every emit is handled in its own process at once and
published to Redis for the others; each process's listener reads every message on the channel. A ticket's
events went out as four emits (its status page, the displays, the staff pages, the status pages' "queue moved"),
so four round trips to Redis in the request and eight messages read by two processes' listeners. Inside
`together()` the emits are still handled in this process at once, one by one, as before; what goes to Redis
waits until the block ends and goes as one message ("batch") holding them in order, which every other process's
listener unpacks and handles one by one, as if they had come apart. A single emit goes as before.

Every process of one office must run this code: a process without it ignores a "batch" message.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import socketio

BATCH = "batch"


class BatchingRedisManager(socketio.RedisManager):
    """Flask-SocketIO's Redis manager, plus `together()` (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held = threading.local()  # a greenlet's own under gevent (threading is patched)

    @contextmanager
    def together(self) -> Iterator[None]:
        """Publish the emits made inside the block (in this thread or greenlet) as one message when it ends."""
        if getattr(self._held, "messages", None) is not None:  # nested: the outer block sends them
            yield
            return
        self._held.messages = []
        try:
            yield
        finally:
            messages, self._held.messages = self._held.messages, None
            self._send(messages)

    def _send(self, messages: list[dict]) -> None:
        if len(messages) == 1:
            super()._publish(messages[0])
        elif messages:
            super()._publish({"method": BATCH, "messages": messages, "host_id": self.host_id})

    def _publish(self, data: Any) -> None:
        held = getattr(self._held, "messages", None)
        if held is None:
            super()._publish(data)
        elif isinstance(data, dict) and data.get("method") == "emit" and data.get("callback") is None:
            held.append(data)
        else:  # anything else (a disconnect, a room change, an answer) goes alone, after the emits held before it
            self._held.messages = []
            self._send(held)
            super()._publish(data)

    def _listen(self) -> Iterator[Any]:
        for message in super()._listen():
            data = message
            if not isinstance(message, dict):
                try:
                    data = self.json.loads(message)
                except Exception:
                    yield message
                    continue
            if isinstance(data, dict) and data.get("method") == BATCH:
                if data.get("host_id") != self.host_id:  # this process handled its own emits when made
                    yield from data.get("messages") or ()
            else:
                yield data


def redis_manager(url: str, channel: str) -> BatchingRedisManager:
    return BatchingRedisManager(url, channel=channel)


@contextmanager
def together(server: Any) -> Iterator[None]:
    """`BatchingRedisManager.together()` of this Socket.IO server's manager; nothing to do without one."""
    manager = getattr(server, "manager", None)
    if isinstance(manager, BatchingRedisManager):
        with manager.together():
            yield
    else:
        yield
