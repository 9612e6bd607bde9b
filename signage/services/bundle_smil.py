"""The bundle's SMIL 3.0 playlist: the manifest's rotation for commercial SMIL players.

Every segment becomes a ``<seq>`` that repeats from its wallclock start. A SMIL player computes
the position inside a repeating ``<seq>`` from that start, which is the contract's clock rule, so
a SMIL player and the bundle's web page show the same slide at the same moment."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

SMIL_NS = "http://www.w3.org/ns/SMIL"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
REGION = "main"
CROSSFADE = "crossfade"
FADE = "0.6s"  # as long as the web player's crossfade


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def wallclock(instant: datetime, zone: ZoneInfo) -> str:
    """The board's local time with its offset: operators read these files. SMIL offsets have
    no seconds, so historic offsets that do (local mean time) are written in UTC instead."""
    local = instant.astimezone(zone)
    if local.utcoffset() % timedelta(minutes=1):
        local = instant.astimezone(UTC)
    return f"wallclock({local.isoformat(timespec='seconds')})"


def _head(manifest: dict) -> ET.Element:
    board = manifest["board"]
    size = {"width": str(board["width"]), "height": str(board["height"])}
    head = ET.Element("head")
    for name, content in (
        ("title", board["name"]),
        ("generated_at", manifest["generated_at"]),
        ("valid_until", manifest["valid_until"]),
        ("version", manifest["version"]),
    ):
        ET.SubElement(head, "meta", {"name": name, "content": content})
    layout = ET.SubElement(head, "layout")
    ET.SubElement(layout, "root-layout", {**size, "backgroundColor": "black"})
    region = {XML_ID: REGION, "regionName": REGION, "left": "0", "top": "0", "fit": "meet"}
    ET.SubElement(layout, "region", {**region, **size, "backgroundColor": "black"})
    if _crossfades(manifest):
        fade = {XML_ID: CROSSFADE, "type": "fade", "subtype": "crossfade", "dur": FADE}
        ET.SubElement(head, "transition", fade)
    return head


def _crossfades(manifest: dict) -> bool:
    return manifest["board"].get("transition") == CROSSFADE


def _segment(segment: dict, number: int, zone: ZoneInfo, last: bool, fade: bool) -> ET.Element:
    timing = {"begin": wallclock(parse_instant(segment["start"]), zone)}
    # The last segment has no end: like the web player, it keeps rotating past the bundle's
    # horizon, because a screen that goes black is worse than content a little out of date.
    if not last:
        timing["end"] = wallclock(parse_instant(segment["end"]), zone)
    seq = ET.Element("seq", {XML_ID: f"segment-{number}", **timing, "repeatCount": "indefinite"})
    for item in segment["items"]:
        attributes = {"src": item["url"], "region": REGION, "dur": f"{item['duration_s']}s"}
        if fade:
            attributes["transIn"] = CROSSFADE
        ET.SubElement(seq, "img", attributes)
    return seq


def smil_document(manifest: dict) -> bytes:
    """playlist.smil for a bundle manifest (media URLs already relative to the bundle)."""
    zone = ZoneInfo(manifest["board"]["timezone"])
    # The namespace is written as a plain attribute: registering a default namespace with
    # ElementTree would change how every other caller in the process serialises XML.
    root = ET.Element("smil", {"xmlns": SMIL_NS, "version": "3.0", "baseProfile": "Language"})
    root.append(_head(manifest))
    body = ET.SubElement(root, "body")
    par = ET.SubElement(body, "par")
    segments, fade = manifest["segments"], _crossfades(manifest)
    for number, segment in enumerate(segments, 1):
        par.append(_segment(segment, number, zone, number == len(segments), fade))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
