"""The resident's status page on the phone: /s/<signed code> (the QR on every ticket and pickup slip).

Public: no session; the signed code is the credential (loket.core.status resolves it by its scheme).
"""

from flask import Flask

from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
