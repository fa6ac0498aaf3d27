"""The Flask extensions, created once and bound to the app in create_app()."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


def init_app(app) -> None:
    """Bind every extension to `app` (Socket.IO with the optional Redis message queue)."""
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    socketio.init_app(
        app,
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        channel=app.config.get("SOCKETIO_CHANNEL", "loket"),
        async_mode="threading",
        cors_allowed_origins=None,
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],  # clients send only tiny messages
    )
