"""Only what changed is re-rendered: renditions with the same inputs reuse earlier bytes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from signage import rendering
from signage.models import Layout, Rendition
from signage.services import renditions, slides


@pytest.fixture
def render_calls(monkeypatch):
    calls = []
    real = rendering.render

    def spy(*args, **kwargs):
        calls.append(args[2:4])
        return real(*args, **kwargs)

    monkeypatch.setattr(rendering, "render", spy)
    return calls


def _layout(session, key="title-body-qr") -> Layout:
    return session.query(Layout).filter_by(key=key).order_by(Layout.version.desc()).first()


def _approved(session, title="Chuyển đổi số", fields_body=None, **extra):
    fields = {"title": title, **({"body": fields_body} if fields_body else {})}
    data = {"layout_id": _layout(session).id, "fields": fields, **extra}
    slide = slides.create_slide(session, data, None)
    slides.submit(session, slide, None)
    slides.approve(session, slide, None)
    return slide


def test_a_new_revision_that_changes_only_dates_or_duration_renders_nothing(
    runtime, session, render_calls
):
    store = runtime.store
    slide = _approved(session)
    first = renditions.ensure_rendition(session, store, slide.latest, 384, 192)
    assert len(render_calls) == 1 and first.render_key
    assert renditions.ensure_rendition(session, store, slide.latest, 384, 192) is first
    assert len(render_calls) == 1

    until = datetime(2030, 1, 1, tzinfo=UTC)
    revision = slides.edit_slide(session, slide, {"valid_until": until, "duration_s": 40}, None)
    assert revision.number == 2
    second = renditions.ensure_rendition(session, store, revision, 384, 192)
    assert len(render_calls) == 1, "same pixels: reused, not rendered"
    assert second.id != first.id and second.revision_id == revision.id
    assert (second.sha256, second.render_key) == (first.sha256, first.render_key)


def test_changed_text_or_size_renders_again(runtime, session, render_calls):
    store = runtime.store
    slide = _approved(session)
    renditions.ensure_rendition(session, store, slide.latest, 384, 192)
    renditions.ensure_rendition(session, store, slide.latest, 1920, 1080)
    assert render_calls == [(384, 192), (1920, 1080)]
    revision = slides.edit_slide(session, slide, {"fields": {"title": "Tiêu đề mới"}}, None)
    renditions.ensure_rendition(session, store, revision, 384, 192)
    assert len(render_calls) == 3


def test_the_key_covers_every_input(runtime, session, monkeypatch):
    slide = _approved(session)
    revision = slide.latest
    key = renditions.render_key(session, revision, 384, 192)
    assert key == renditions.render_key(session, revision, 384, 192)
    assert key != renditions.render_key(session, revision, 192, 384)
    monkeypatch.setattr(rendering, "renderer_version", "something-newer", raising=False)
    assert key != renditions.render_key(session, revision, 384, 192)


def test_missing_media_is_rendered_again(runtime, session, render_calls):
    store = runtime.store
    slide = _approved(session)
    first = renditions.ensure_rendition(session, store, slide.latest, 384, 192)
    store.path_for(first.sha256, first.ext).unlink()
    revision = slides.edit_slide(session, slide, {"duration_s": 30}, None)
    renditions.ensure_rendition(session, store, revision, 384, 192)
    assert len(render_calls) == 2
    assert store.path_for(first.sha256, first.ext).is_file()
    assert session.query(Rendition).count() == 2


def test_warnings_are_stored_as_codes(runtime, session):
    slide = _approved(session, fields_body="Nội dung chỉ hiện trên màn hình lớn")
    rendition = renditions.ensure_rendition(session, runtime.store, slide.latest, 384, 192)
    assert rendition.warnings == [
        {
            "code": "render_not_shown",
            "field": "body",
            "width": 384,
            "height": 192,
            "variant": "small",
        }
    ]


def test_a_rendition_with_sentences_from_before_codes_is_not_reused(runtime, session, render_calls):
    store = runtime.store
    slide = _approved(session, fields_body="Nội dung chỉ hiện trên màn hình lớn")
    old = renditions.ensure_rendition(session, store, slide.latest, 384, 192)
    old.warnings = ["body: not shown at 384x192; the 'small' variant leaves it out"]
    session.flush()
    revision = slides.edit_slide(session, slide, {"duration_s": 30}, None)
    new = renditions.ensure_rendition(session, store, revision, 384, 192)
    assert len(render_calls) == 2, "rendered again rather than copying English sentences"
    assert new.sha256 == old.sha256, "the same bytes"
    assert [w["code"] for w in new.warnings] == ["render_not_shown"]
