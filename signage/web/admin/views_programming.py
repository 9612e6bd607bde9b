"""Playlists (ordered slides) and schedules (a playlist on boards and groups, and when)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from signage.services import boards, dayparts, programming, slides

from ..auth import actor, requires
from ..context import db_session
from . import bp
from .common import attempt, id_values, local_instant, optional_int, or_404, render_problems

BLANK_ROWS = 3


@bp.get("/playlists")
@requires("view")
def playlists():
    listed = programming.list_playlists(db_session())
    return render_template("admin/playlists.html", playlists=listed)


def _rows_from_form() -> list[dict]:
    ids, durations = request.form.getlist("slide_id"), request.form.getlist("duration_s")
    durations += [""] * (len(ids) - len(durations))
    return [
        {"slide_id": sid.strip(), "duration_s": dur.strip()}
        for sid, dur in zip(ids, durations, strict=False)
        if sid.strip()
    ]


def _items(rows: list[dict]) -> list[dict]:
    items = []
    for index, row in enumerate(rows):
        item = {"slide_id": optional_int(row["slide_id"], f"items[{index}].slide_id")}
        duration = optional_int(row["duration_s"], f"items[{index}].duration_s")
        if duration is not None:
            item["duration_s"] = duration
        items.append(item)
    return items


def _playlist_data(rows: list[dict]) -> dict:
    return {"name": request.form.get("name", ""), "items": _items(rows)}


def _playlist_form(name: str, rows: list[dict], problems=None, playlist=None):
    blank = {"slide_id": "", "duration_s": ""}
    return render_problems(
        "admin/playlist_form.html",
        problems,
        name=name,
        playlist=playlist,
        rows=rows + [blank] * BLANK_ROWS,
        slides=slides.list_slides(db_session()),
    )


@bp.route("/playlists/new", methods=["GET", "POST"])
@requires("edit")
def playlist_new():
    if request.method == "GET":
        return _playlist_form("", [])
    rows = _rows_from_form()
    playlist, problems = attempt(
        lambda: programming.create_playlist(db_session(), _playlist_data(rows), actor())
    )
    if problems:
        return _playlist_form(request.form.get("name", ""), rows, problems)
    flash(gettext("Playlist saved."), "success")
    return redirect(url_for("admin.playlists"))


@bp.route("/playlists/<int:playlist_id>/edit", methods=["GET", "POST"])
@requires("edit")
def playlist_edit(playlist_id: int):
    playlist = or_404(programming.get_playlist, db_session(), playlist_id)
    if request.method == "GET":
        rows = [
            {
                "slide_id": str(i.slide_id),
                "duration_s": "" if i.duration_s is None else str(i.duration_s),
            }
            for i in playlist.items
        ]
        return _playlist_form(playlist.name, rows, playlist=playlist)
    rows = _rows_from_form()
    _, problems = attempt(
        lambda: programming.update_playlist(db_session(), playlist, _playlist_data(rows), actor())
    )
    if problems:
        return _playlist_form(request.form.get("name", ""), rows, problems, playlist)
    flash(gettext("Playlist saved."), "success")
    return redirect(url_for("admin.playlists"))


def _targets_lookup() -> tuple[list, list]:
    """The boards and the groups a schedule may name, by name."""
    session = db_session()
    return boards.list_boards(session), boards.list_groups(session)


@bp.get("/schedules")
@requires("view")
def schedules():
    every_board, every_group = _targets_lookup()
    return render_template(
        "admin/schedules.html",
        schedules=programming.list_schedules(db_session()),
        board_names={b.id: b.name for b in every_board},
        group_names={g.id: g.name for g in every_group},
    )


def _schedule_data() -> dict:
    form = request.form
    days = id_values(form.getlist("days"), "days")
    return {
        "name": form.get("name", ""),
        "playlist_id": optional_int(form.get("playlist_id"), "playlist_id"),
        "targets": {
            "boards": id_values(form.getlist("boards"), "targets.boards"),
            "groups": id_values(form.getlist("groups"), "targets.groups"),
        },
        "starts_at": local_instant(form.get("starts_at"), "starts_at"),
        "ends_at": local_instant(form.get("ends_at"), "ends_at"),
        "days": days or None,
        "time_from": form.get("time_from") or None,
        "time_to": form.get("time_to") or None,
        "rrule": form.get("rrule", "").strip() or None,
        "daypart_id": optional_int(form.get("daypart_id"), "daypart_id"),
        "exdates": _exdates_typed(form.get("exdates", "")),
        "priority": form.get("priority", "").strip() or 10,
        "kind": form.get("kind") or "normal",
    }


def _exdates_typed(text: str) -> list[str] | None:
    """Dates typed one per line (or separated by commas or spaces); the service checks each."""
    return text.replace(",", " ").split() or None


def _schedule_form(values: dict, problems=None):
    every_board, every_group = _targets_lookup()
    session = db_session()
    named_dayparts = dayparts.list_dayparts(session)
    session.commit()  # the standard catalogue is seeded on first use; its ids must last
    return render_problems(
        "admin/schedule_form.html",
        problems,
        values=values,
        boards=every_board,
        groups=every_group,
        playlists=programming.list_playlists(session),
        dayparts=named_dayparts,
    )


def _submitted_schedule() -> dict:
    form = request.form
    values = {
        key: form.get(key, "")
        for key in (
            "name",
            "playlist_id",
            "starts_at",
            "ends_at",
            "time_from",
            "time_to",
            "rrule",
            "daypart_id",
            "exdates",
            "priority",
            "kind",
        )
    }
    for key in ("boards", "groups", "days"):
        values[key] = form.getlist(key)
    return values


@bp.route("/schedules/new", methods=["GET", "POST"])
@requires("edit")
def schedule_new():
    if request.method == "GET":
        values = {
            "priority": "10",
            "kind": "normal",
            "boards": [],
            "groups": [],
            "days": [],
            "playlist_id": request.args.get("playlist_id", ""),
        }
        return _schedule_form(values)
    _, problems = attempt(
        lambda: programming.create_schedule(db_session(), _schedule_data(), actor())
    )
    if problems:
        return _schedule_form(_submitted_schedule(), problems)
    flash(gettext("Schedule saved. The boards pick it up at their next poll."), "success")
    return redirect(url_for("admin.schedules"))


@bp.post("/schedules/<int:schedule_id>/delete")
@requires("edit")
def schedule_delete(schedule_id: int):
    or_404(programming.delete_schedule, db_session(), schedule_id, actor())
    db_session().commit()
    flash(gettext("Schedule deleted."), "success")
    return redirect(url_for("admin.schedules"))
