"""The reports' JSON API and exports (/api/reports/*), for the admin and the head of office."""

from flask import Blueprint

bp = Blueprint("reports_api", __name__, url_prefix="/api/reports")
