"""The Flask extensions, created once and bound to the app in create_app()."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect
from gevent import monkey

from loket.socket_queue import redis_manager

socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


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
