"""Boards and groups: register, see health, rotate tokens, pair by code."""

from __future__ import annotations

import math
import time

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from signage.services import board_health, boards, pairing, reach

from ..auth import PERMISSIONS, actor, can, requires
from ..context import db_session
from ..limits import counting_wrong_codes, limit_wrong_codes
from ..presenters import offline_after_s
from ..urls import player_url
from . import bp
from .common import attempt, id_values, optional_int, or_404, render_problems

COMMON_SIZES = (
    (1920, 1080),
    (1080, 1920),
    (3840, 2160),
    (384, 192),
    (512, 256),
    (640, 320),
    (960, 480),
    (1536, 256),
)


def _groups() -> list:
    return boards.list_groups(db_session())


@bp.get("/boards", endpoint="boards")  # the function name must not shadow the service
@requires("view")
def boards_list():
    rows = boards.list_boards(db_session())
    return render_template(
        "admin/boards.html",
        boards=rows,
        offline_minutes=f"{offline_after_s() / 60:g}",
        showing=board_health.on_screen(db_session(), rows),
    )


def _board_form(values: dict, problems=None, board=None):
    return render_problems(
        "admin/board_form.html",
        problems,
        values=values,
        board=board,
        groups=_groups(),
        sizes=COMMON_SIZES,
        transitions=boards.TRANSITIONS,
    )


BOARD_FIELDS = ("name", "width", "height", "timezone", "transition")


def _submitted_board() -> dict:
    form = request.form
    values = {key: form.get(key, "") for key in BOARD_FIELDS}
    values["groups"] = form.getlist("groups")
    return values


def _board_values(board) -> dict:
    values = {key: str(getattr(board, key)) for key in BOARD_FIELDS}
    values["groups"] = [str(g.id) for g in board.groups]
    return values


def _form_settings() -> dict:
    """The board form's fields as the services take them; numbers are checked here."""
    form = request.form
    return {
        "name": form.get("name", ""),
        "width": optional_int(form.get("width"), "width"),
        "height": optional_int(form.get("height"), "height"),
        "timezone": form.get("timezone", "").strip() or None,
        "groups": id_values(form.getlist("groups"), "groups"),
        "transition": form.get("transition", "").strip() or None,
    }


def _create_board():
    data = _form_settings()
    return boards.create_board(
        db_session(),
        data["name"],
        data["width"],
        data["height"],
        data["timezone"],
        data["groups"],
        actor(),
        data["transition"],
    )


def _token_page(board, token: str, heading: str):
    """The player URL, shown this once: the server keeps only a digest of the token."""
    response = make_response(
        render_template(
            "admin/board_token.html", board=board, url=player_url(token), heading=heading
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


NEW_BOARD = {
    "name": "",
    "width": "1920",
    "height": "1080",
    "timezone": "Asia/Ho_Chi_Minh",
    "transition": "cut",
    "groups": [],
}


@bp.route("/boards/new", methods=["GET", "POST"])
@requires("manage")
def board_new():
    if request.method == "GET":
        return _board_form(dict(NEW_BOARD))
    created, problems = attempt(_create_board)
    if problems:
        return _board_form(_submitted_board(), problems)
    board, token = created
    return _token_page(board, token, gettext("Board registered"))


@bp.route("/boards/<int:board_id>/edit", methods=["GET", "POST"])
@requires("manage")
def board_edit(board_id: int):
    board = or_404(boards.get_board, db_session(), board_id)
    if request.method == "GET":
        return _board_form(_board_values(board), board=board)
    _, problems = attempt(
        lambda: boards.update_board(db_session(), board, _form_settings(), actor())
    )
    if problems:
        return _board_form(_submitted_board(), problems, board)
    flash(gettext("Board saved. Its player receives the change at its next check."), "success")
    return redirect(url_for("admin.board_detail", board_id=board.id))


def _bundle_url(board) -> str | None:
    """The USB bundle export, once its view is installed (the page works without it), and
    only for those whose role may use it."""
    view = current_app.view_functions.get("admin.board_bundle")
    if view is None:
        return None
    permission = getattr(view, "permission", None)
    if permission in PERMISSIONS and not can(current_user, permission):
        return None
    return url_for("admin.board_bundle", board_id=board.id)


def _detail_page(board, problems=None, code: str = ""):
    session = db_session()
    return render_problems(
        "admin/board_detail.html",
        problems,
        board=board,
        code=code,
        schedules=reach.schedules_reaching(session, board),
        bundle_url=_bundle_url(board),
        shown=board_health.on_screen(session, [board]).get(board.id),
    )


@bp.get("/boards/<int:board_id>")
@requires("view")
def board_detail(board_id: int):
    return _detail_page(or_404(boards.get_board, db_session(), board_id))


@bp.post("/boards/<int:board_id>/rotate-token")
@requires("manage")
def board_rotate(board_id: int):
    board = or_404(boards.get_board, db_session(), board_id)
    token, _ = attempt(lambda: boards.rotate_token(db_session(), board, actor()))
    return _token_page(board, token, gettext("New player address"))


def _too_many_codes(limit) -> list[dict]:
    # The storage rounds its reset instant up, so it can lie a little past the window's end.
    window = math.ceil(limit.limit.get_expiry() / 60)
    minutes = min(window, max(1, math.ceil((limit.reset_at - time.time()) / 60)))
    message = gettext(
        "Too many wrong codes. Wait %(minutes)s minutes, then type the code shown on the "
        "board's screen again.",
        minutes=minutes,
    )
    return [{"field": "code", "label": gettext("Pairing code"), "message": message}]


def _codes_refused(limit):
    """The form again, saying why it is refused, instead of a bare "429 Too Many Requests"."""
    if not can(current_user, "manage"):
        return None  # the default 429 page; this person had no form to show
    code = request.form.get("code", "")
    board_id = (request.view_args or {}).get("board_id")
    if board_id is None:
        page, _ = _pairing_page(_submitted_pairing(), _too_many_codes(limit))
    else:
        board = or_404(boards.get_board, db_session(), board_id)
        page, _ = _detail_page(board, _too_many_codes(limit), code)
    return make_response(page, 429)


def _claiming(action):
    """Run ``action`` under ``attempt``, counting a refused code against the limit."""

    def run():
        with counting_wrong_codes():
            return action()

    return attempt(run)


def _paired_message() -> str:
    return gettext(
        "Paired. The board receives its new token at its next check, "
        "and its old address stops working."
    )


@bp.post("/boards/<int:board_id>/pair")
@requires("manage")
@limit_wrong_codes(on_breach=_codes_refused)
def board_pair(board_id: int):
    board = or_404(boards.get_board, db_session(), board_id)
    code = request.form.get("code", "")
    _, problems = _claiming(lambda: pairing.claim(db_session(), code, board, actor()))
    if problems:
        return _detail_page(board, problems, code)
    flash(_paired_message(), "success")
    return redirect(url_for("admin.board_detail", board_id=board.id))


def _submitted_pairing() -> dict:
    values = _submitted_board()
    values["code"] = request.form.get("code", "")
    values["target"] = request.form.get("target", "new")
    values["board_id"] = request.form.get("board_id", "")
    return values


def _pairing_page(values: dict, problems=None):
    return render_problems(
        "admin/board_pairing.html",
        problems,
        values=values,
        boards=boards.list_boards(db_session()),
        groups=_groups(),
        sizes=COMMON_SIZES,
        transitions=boards.TRANSITIONS,
    )


def _pair_submitted():
    """Bind the typed code to the chosen board, or to a board registered from the form."""
    form = request.form
    session = db_session()
    if form.get("target") == "existing":
        board_id = optional_int(form.get("board_id"), "board_id")
        return pairing.claim_for_board_id(session, form.get("code", ""), board_id, actor())
    data = _form_settings()
    board, _ = pairing.claim_new_board(
        session,
        form.get("code", ""),
        data["name"],
        data["width"],
        data["height"],
        data["timezone"],
        data["groups"],
        data["transition"],
        actor(),
    )
    return board


@bp.route("/boards/pair", methods=["GET", "POST"])
@requires("manage")
@limit_wrong_codes(on_breach=_codes_refused)
def board_pairing():
    """One form for a screen that shows a code: register it as a new board, or give it the
    content of an existing one."""
    if request.method == "GET":
        return _pairing_page({**NEW_BOARD, "code": "", "target": "new", "board_id": ""})
    board, problems = _claiming(_pair_submitted)
    if problems:
        return _pairing_page(_submitted_pairing(), problems)
    flash(_paired_message(), "success")
    return redirect(url_for("admin.board_detail", board_id=board.id))


def _groups_page(values: dict, problems=None):
    return render_problems("admin/groups.html", problems, groups=_groups(), values=values)


@bp.get("/groups")
@requires("view")
def groups():
    return _groups_page({"name": "", "parent_id": ""})


@bp.post("/groups")
@requires("manage")
def group_create():
    form = request.form
    _, problems = attempt(
        lambda: boards.create_group(
            db_session(),
            form.get("name", ""),
            optional_int(form.get("parent_id"), "parent_id"),
            actor(),
        )
    )
    if problems:
        return _groups_page(
            {"name": form.get("name", ""), "parent_id": form.get("parent_id", "")}, problems
        )
    flash(gettext("Group created."), "success")
    return redirect(url_for("admin.groups"))
