"""Survei Kepuasan Masyarakat: the survey screen (tablet), its JSON API and the IKM report."""

from flask import Blueprint

bp = Blueprint(
    "survey", __name__, template_folder="templates", static_folder="static", static_url_path="/survey/static"
)
