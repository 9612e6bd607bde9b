"""Log in, log out, and choose the interface language."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from signage.services import accounts

from ..auth import public, requires
from ..context import db_session
from ..limits import limiter
from ..setup import LOCALES
from . import bp
from .common import safe_next


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("Username"), validators=[InputRequired(), Length(max=80)])
    password = PasswordField(
        lazy_gettext("Password"), validators=[InputRequired(), Length(max=256)]
    )


def _bad_login(form: LoginForm):
    # One message for an unknown user and a wrong password: never hint which was wrong.
    message = gettext("Incorrect username or password")
    return render_template("admin/login.html", form=form, login_error=message), 401


def _fresh_session() -> None:
    """Start a clean session (no fixation), keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang in LOCALES:
        session["lang"] = lang


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def login():
    form = LoginForm()
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("admin.dashboard"))
    if request.method == "GET":
        return render_template("admin/login.html", form=form, login_error=None)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            return render_template("admin/login.html", form=form, login_error=None), 400
        return _bad_login(form)
    user = accounts.authenticate(db_session(), form.username.data.strip(), form.password.data)
    if user is None:
        return _bad_login(form)
    _fresh_session()
    login_user(user)
    return redirect(safe_next(request.args.get("next")) or url_for("admin.dashboard"))


@bp.post("/logout")
@requires("view")
def logout():
    logout_user()
    _fresh_session()
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("admin.login"))


@bp.get("/lang/<code>")
@public
def set_language(code: str):
    if code in LOCALES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("admin.dashboard"))
