"""The waiting-room display board: its page, its state, the call audio and the office's media.

Public: displays have no session; they get the same state again over Socket.IO (loket.realtime).
"""

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from loket.core.admin import get_device
from loket.core.catalog import SERVICE_GROUPS
from loket.core.messages import _
from loket.core.speech import Reading, audio_query_signed, call_sentence
from loket.http import BadRequest, NoSuchAddress
from loket.office import call_repeat, office_name, voice_reading
from loket.openapi import BINARY, api
from loket.services import loket

from .state import display_state

bp = Blueprint(
    "display", __name__, template_folder="templates", static_folder="static", static_url_path="/display/static"
)


@bp.get("/display/")
def board():
    """The board; ?device=NAME applies that display's zone, counters and pickup mode set by the admin."""
    name = request.args.get("device")
    if name and not any(k in request.args for k in ("zone", "counters", "view")):
        device = get_device(loket(), name, "display")
        if device is not None:
            query = {"device": name, **{k: v for k, v in request.args.items() if k != "device"}}
            if device["zone"]:
                query["zone"] = device["zone"]
            if device["options"].get("counters"):
                query["counters"] = ",".join(device["options"]["counters"])
            if device["options"].get("pickup"):
                query["view"] = "pickup"
            if len(query) > 1:
                return redirect(url_for("display.board", **query))
    return render_template("display/board.html", office_name=office_name(), display={"groups": SERVICE_GROUPS})


@bp.get("/display/media/<path:name>")
def media(name: str):
    """The office's own images and videos for the display's media area (LOKET_MEDIA_DIR)."""
    return send_from_directory(Path(current_app.config["MEDIA_DIR"]), name, max_age=3600)


@bp.get("/api/display/state")
@api(answers={200: {"type": "object", "required": ["day", "calls", "counters", "waiting"]}})
def state():
    """What a display shows; the same object as the display.state push."""
    return jsonify(display_state())


@bp.get("/api/voice/call.wav")
@api(
    query={
        "number": {"type": "string", "required": True, "maxLength": 12, "description": "The ticket number, e.g. A-012"},
        "counter": {"type": "integer", "required": True, "minimum": 1, "maximum": 999},
        "recall": {"type": "string", "enum": ["0", "1"]},
        "sig": {"type": "string", "required": True, "description": "The signature the call event's address carries"},
    },
    answers={200: ("audio/wav", BINARY)},
    errors=(404,),
)
def call_wav():
    """The chime and the spoken call for a number and a counter, made offline and cached; only at the
    signed address a call event carried (loket.core.speech.audio_query), so no request makes audio for a
    number that was not called."""
    config = current_app.config
    if not audio_query_signed(config["SECRET_KEY"], config["VOICE_URL_MAX_AGE"], request.args):
        raise NoSuchAddress(_("Alamat tidak ada."))
    number = request.args.get("number", "")
    try:
        counter = int(request.args.get("counter", ""))
        recall = request.args.get("recall") == "1"
        sentence = call_sentence(number, counter, Reading(voice_reading()), recall=recall, times=call_repeat())
    except ValueError:
        raise BadRequest(_("Nomor atau loket tidak sah.")) from None
    if not 0 < counter < 1000 or len(number) > 12:
        raise BadRequest(_("Nomor atau loket tidak sah."))
    data = current_app.extensions["call_audio"].get(sentence)
    return Response(data, mimetype="audio/wav", headers={"Cache-Control": "public, max-age=86400"})
