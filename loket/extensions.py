"""The Flask extensions, created once and bound to the app in create_app()."""

import time

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect
from gevent import monkey
from limits.storage import MemoryStorage

from loket.socket_queue import redis_manager

socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


class SweptMemoryStorage(MemoryStorage):
    """limits' `memory://` storage (LOKET_RATELIMIT_STORAGE_URI's default), with its expired counts swept at most
    once a second by the request that counts, instead of by a new `threading.Timer` (10 ms) started from each
    count once the previous one has ended.

    Under gevent each of those timers was a greenlet spawned, and each count asked whether the last one was
    still alive, which is a switch to the hub: 1.3 threads started and two yields in the middle of every
    ticket (a paired kiosk's burst count and its alert's count), and half of the process's young garbage
    collections. The counts are the same: an expired count is dropped when it is next read, as before, and an
    entry of a moving window is compared with its time whenever it is counted; the sweep only frees memory.
    """

    STORAGE_SCHEME = ["loket-memory"]
    #: Seconds between two sweeps of the expired counts.
    SWEEP_EVERY = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._swept_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # the parent's private hook, called by each count
        now = time.monotonic()
        if now - self._swept_at >= self.SWEEP_EVERY:
            self._swept_at = now
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


def async_mode() -> str:
    """gevent under gunicorn's gevent worker (it patches the standard library before the app loads); else threads.

    A greenlet per open board or staff page instead of a thread (Flask-SocketIO's production setup):
    a thousand idle boards cost little memory and no thread limit. Tests, the CLI and `flask run`
    are unpatched and keep threads.
    """
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def init_app(app) -> None:
    """Bind every extension to `app` (Socket.IO with the optional Redis message queue)."""
    csrf.init_app(app)
    login_manager.init_app(app)
    if app.config.get("RATELIMIT_STORAGE_URI") == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = "loket-memory://"  # the same counts, without a thread per count
    limiter.init_app(app)
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    channel = app.config.get("SOCKETIO_CHANNEL", "loket")
    # Redis: a manager that sends the emits of one change as one message (loket/socket_queue.py); another
    # queue as Flask-SocketIO makes it. It keeps the options of an earlier init_app (tests make many apps):
    # an earlier app's manager is dropped first.
    socketio.server_options.pop("client_manager", None)
    if queue and queue.startswith(("redis://", "rediss://")):
        queued = {"client_manager": redis_manager(queue, channel)}
    else:
        queued = {"channel": channel}
    socketio.init_app(
        app,
        message_queue=queue,
        **queued,
        async_mode=async_mode(),
        cors_allowed_origins=None,
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],  # clients send only tiny messages
    )
