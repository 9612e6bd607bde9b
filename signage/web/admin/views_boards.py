"""Boards and groups: register, see health, rotate tokens, pair by code."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from signage.models import Board, Group, Schedule, Slide
from signage.services import boards, pairing

from ..auth import requires
from ..context import db_session
from ..urls import player_url
from . import bp
from .common import actor, attempt, id_values, optional_int, or_404, render_problems

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


def _groups() -> list[Group]:
    query = select(Group).options(selectinload(Group.boards)).order_by(Group.name)
    return list(db_session().scalars(query))


def _current_titles(rows: list[Board]) -> dict[int, str]:
    """The title of the slide each board reported it is showing."""
    ids = {b.current_slide_id for b in rows if b.current_slide_id}
    if not ids:
        return {}
    found = db_session().scalars(select(Slide).where(Slide.id.in_(ids)))
    return {s.id: (s.playable or s.latest).title for s in found}


@bp.get("/boards", endpoint="boards")  # the function name must not shadow the service
@requires("view")
def boards_list():
    query = select(Board).options(selectinload(Board.groups)).order_by(Board.name)
    rows = list(db_session().scalars(query))
    return render_template("admin/boards.html", boards=rows, titles=_current_titles(rows))


def _board_form(values: dict, problems=None):
    return render_problems(
        "admin/board_form.html", problems, values=values, groups=_groups(), sizes=COMMON_SIZES
    )


def _submitted_board() -> dict:
    form = request.form
    values = {key: form.get(key, "") for key in ("name", "width", "height", "timezone")}
    values["groups"] = form.getlist("groups")
    return values


def _create_board():
    form = request.form
    return boards.create_board(
        db_session(),
        form.get("name", ""),
        optional_int(form.get("width"), "width"),
        optional_int(form.get("height"), "height"),
        form.get("timezone", "").strip() or None,
        id_values(form.getlist("groups"), "groups"),
        actor(),
    )


def _token_page(board: Board, token: str, heading: str):
    """The player URL, shown this once: the server keeps only a digest of the token."""
    response = make_response(
        render_template(
            "admin/board_token.html", board=board, url=player_url(token), heading=heading
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/boards/new", methods=["GET", "POST"])
@requires("manage")
def board_new():
    if request.method == "GET":
        values = {"width": "1920", "height": "1080", "timezone": "Asia/Ho_Chi_Minh", "groups": []}
        return _board_form(values)
    created, problems = attempt(_create_board)
    if problems:
        return _board_form(_submitted_board(), problems)
    board, token = created
    return _token_page(board, token, gettext("Board registered"))


def _schedules_reaching(board: Board) -> list[Schedule]:
    """The schedules that name this board, or one of its groups or their ancestors."""
    groups = boards.group_closure(board.groups)
    query = (
        select(Schedule)
        .options(selectinload(Schedule.targets))
        .order_by(Schedule.kind.desc(), Schedule.priority.desc(), Schedule.starts_at)
    )
    return [
        schedule
        for schedule in db_session().scalars(query)
        if any(t.board_id == board.id or t.group_id in groups for t in schedule.targets)
    ]


def _detail_page(board: Board, problems=None, code: str = ""):
    return render_problems(
        "admin/board_detail.html",
        problems,
        board=board,
        code=code,
        titles=_current_titles([board]),
        schedules=_schedules_reaching(board),
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


@bp.post("/boards/<int:board_id>/pair")
@requires("manage")
def board_pair(board_id: int):
    board = or_404(boards.get_board, db_session(), board_id)
    code = request.form.get("code", "")
    _, problems = attempt(lambda: pairing.claim(db_session(), code, board, actor()))
    if problems:
        return _detail_page(board, problems, code)
    flash(
        gettext(
            "Paired. The board receives its new token at its next check, "
            "and its old address stops working."
        ),
        "success",
    )
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
