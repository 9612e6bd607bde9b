"""Chromium opens an unpacked bundle from file:// and plays what the clock rule names, on time."""

from __future__ import annotations

import json
import time
import zipfile
from datetime import UTC, datetime

import pytest
from bundle_helpers import board_with_rotation
from switch_timing import switch_tolerance, watch_timers
from waiting import wait_for

from signage.services import bundles

pytestmark = pytest.mark.browser

# Both the page and the test read this machine's clock, so only the page's timers firing late
# separate a switch from its predicted instant: the allowance follows how late they were
# (switch_timing.py).
SAMPLE_S = 0.05
# A crossfade is over by its 600 ms animation, or at the latest by the stage's fallback timer
# 100 ms later (player/stage.js).
FADE_END_S = 0.7


def parse(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def expected_slide(manifest: dict, now: float) -> tuple[int, float]:
    """The clock rule: the slide due at `now` and the seconds since its turn began. Past the
    last segment's end, that segment keeps rotating."""
    segments = manifest["segments"]
    segment = next((s for s in segments if parse(s["start"]) <= now < parse(s["end"])), None)
    segment = segment or segments[-1]
    offset = (now - parse(segment["start"])) % sum(i["duration_s"] for i in segment["items"])
    for item in segment["items"]:
        if offset < item["duration_s"]:
            return item["slide_id"], offset
        offset -= item["duration_s"]
    raise AssertionError("offset outside the rotation")


@pytest.fixture
def unpacked(runtime, tmp_path):
    """A bundle of a 384x192 board rotating a 2 s and a 3 s slide, unpacked as from a USB stick."""
    with runtime.db.transaction() as session:
        board, _ = board_with_rotation(session, [("Chuyển đổi số", 2), ("Dịch vụ công", 3)])
        bundle = bundles.build(session, runtime.store, board, 1)
    path = bundles.save(bundle, tmp_path / "bundle.zip")
    folder = tmp_path / "usb"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    return folder, json.loads((folder / "manifest.json").read_text("utf-8"))


def screen(page) -> dict:
    """What is on screen, and the page's clock, read in one go."""
    return page.evaluate(
        """() => {
            const fronts = [...document.querySelectorAll('img.layer.is-front')];
            const img = fronts[0];
            const box = img ? img.getBoundingClientRect() : null;
            return {
                now: Date.now() / 1000,
                slide: Number(document.body.dataset.slideId || 0),
                fronts: fronts.length,
                leaving: document.querySelectorAll('img.layer.is-leaving').length,
                drawn: !!img && img.complete && img.naturalWidth === 384
                    && getComputedStyle(img).visibility === 'visible',
                box: box && [box.width, box.height],
            };
        }"""
    )


def watch(page, seconds: float) -> list[dict]:
    """Sample the screen for a while; never blank between items."""
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = screen(page)
        assert shown["fronts"] == 1 and shown["drawn"], shown
        samples.append(shown)
        time.sleep(SAMPLE_S)
    return samples


def tolerance_over(page, samples: list[dict]) -> float:
    return switch_tolerance(page, samples[0]["now"], samples[-1]["now"])


def assert_follows_the_rule(manifest: dict, samples: list[dict], tolerance: float) -> list[float]:
    """Every sample shows the rule's slide, except just after a switch is due. Returns the
    instants at which the picture was seen to change."""
    switches = []
    for before, shown in zip([None, *samples], samples, strict=False):
        want, since = expected_slide(manifest, shown["now"])
        if shown["slide"] != want:
            assert since <= tolerance, f"showed {shown['slide']} {since:.3f} s after {want} was due"
        if before is not None and shown["slide"] != before["slide"]:
            switches.append(shown["now"])
    return switches


def open_bundle(page, folder) -> None:
    watch_timers(page)
    page.goto((folder / "index.html").as_uri())
    wait_for(page, "document.body.dataset.state === 'playing'", timeout=10_000)


def test_the_page_plays_the_rule_and_switches_on_time(page, unpacked):
    folder, manifest = unpacked
    open_bundle(page, folder)
    samples = watch(page, 6.5)  # more than one 5-second rotation
    tolerance = tolerance_over(page, samples)
    switches = assert_follows_the_rule(manifest, samples, tolerance)
    assert len(switches) >= 2, "the slides did not change"
    for instant in switches:
        _, since = expected_slide(manifest, instant)
        assert since <= tolerance + SAMPLE_S, f"switch seen {since:.3f} s after its turn"
    assert screen(page)["box"] == [960, 540]  # the whole viewport


def test_the_last_segment_keeps_rotating_past_the_end(page, unpacked):
    folder, manifest = unpacked
    # As if the bundle had run out a minute ago.
    ended = datetime.fromtimestamp(time.time() - 60, UTC).isoformat().replace("+00:00", "Z")
    manifest["segments"][-1]["end"] = ended
    rewrite_manifest(folder, manifest)
    open_bundle(page, folder)
    samples = watch(page, 3.5)
    assert len(assert_follows_the_rule(manifest, samples, tolerance_over(page, samples))) >= 1


def rewrite_manifest(folder, manifest: dict) -> None:
    script = f"window.SIGNAGE_BUNDLE = {json.dumps(manifest)};\n"
    (folder / "manifest.js").write_text(script, "utf-8")


def test_a_crossfade_keeps_the_old_slide_under_the_new_one(page, unpacked):
    folder, manifest = unpacked
    manifest["board"]["transition"] = "crossfade"  # the board setting, as a manifest carries it
    rewrite_manifest(folder, manifest)
    open_bundle(page, folder)
    samples = watch(page, 5.5)
    tolerance = tolerance_over(page, samples)
    assert len(assert_follows_the_rule(manifest, samples, tolerance)) >= 1
    fading = [expected_slide(manifest, s["now"])[1] for s in samples if s["leaving"]]
    assert fading, "no crossfade seen"
    assert max(fading) <= FADE_END_S + tolerance  # and then the old slide is gone


def test_a_bundle_opened_without_its_manifest_says_so(page, unpacked):
    folder, _ = unpacked
    (folder / "manifest.js").unlink()
    page.goto((folder / "index.html").as_uri())
    wait_for(page, "document.body.dataset.state === 'error'", timeout=10_000)
    assert page.locator("#message").is_visible()
