"""WSGI entry point for gunicorn's gevent worker, as `make run` serves it:

    gunicorn --worker-class gevent --worker-connections 4000 --workers 1 loket.wsgi:app

The worker patches the standard library (sockets, threads, locks, queues, time) before it imports
this module, so everything that waits (a board's WebSocket, the print queues' workers, the staff
connection check, the Redis listener, SQLAlchemy's pool) waits in a greenlet. Started any other
way (gthread, `flask run`), the app runs on threads as before (loket.extensions.async_mode).

Once loaded, the served process takes its requests in turn (gevent only) and freezes its heap
(loket.serving: both measured under load).
"""

from loket.app import create_app
from loket.extensions import async_mode
from loket.serving import freeze_heap, taking_turns

app = create_app()
if async_mode() == "gevent":
    app.wsgi_app = taking_turns(app.wsgi_app)  # type: ignore[method-assign]
freeze_heap()  # last: everything the app keeps from now on is already made
