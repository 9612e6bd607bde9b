"""Readable names for the fields and JSON paths that service errors point at.

What went wrong is worded by ``signage.wording`` from its code; this module only says *where*,
in the words of the form the user filled in.
"""

from __future__ import annotations

import re

from flask_babel import gettext, lazy_gettext

FIELD_LABELS = {
    "username": lazy_gettext("Username"),
    "password": lazy_gettext("Password"),
    "name": lazy_gettext("Name"),
    "layout_id": lazy_gettext("Layout"),
    "fields": lazy_gettext("Content"),
    "fields.title": lazy_gettext("Title"),
    "fields.body": lazy_gettext("Body text"),
    "fields.caption": lazy_gettext("Caption"),
    "fields.image": lazy_gettext("Image"),
    "fields.link": lazy_gettext("Link (QR code)"),
    "duration_s": lazy_gettext("Duration (seconds)"),
    "valid_from": lazy_gettext("Valid from"),
    "valid_until": lazy_gettext("Valid until"),
    "reason": lazy_gettext("Reason"),
    "items": lazy_gettext("Slides"),
    "playlist_id": lazy_gettext("Playlist"),
    "targets": lazy_gettext("Targets"),
    "targets.boards": lazy_gettext("Boards"),
    "targets.groups": lazy_gettext("Groups"),
    "starts_at": lazy_gettext("Starts at"),
    "ends_at": lazy_gettext("Ends at"),
    "days": lazy_gettext("Days"),
    "time_from": lazy_gettext("From (time)"),
    "time_to": lazy_gettext("To (time)"),
    "rrule": lazy_gettext("Recurrence rule"),
    "daypart_id": lazy_gettext("Daypart"),
    "transition": lazy_gettext("Transition"),
    "from": lazy_gettext("From (day)"),
    "to": lazy_gettext("To (day, included)"),
    "board_id": lazy_gettext("Existing board"),
    "exdates": lazy_gettext("Skipped dates"),
    "priority": lazy_gettext("Priority"),
    "kind": lazy_gettext("Kind"),
    "width": lazy_gettext("Width"),
    "height": lazy_gettext("Height"),
    "timezone": lazy_gettext("Time zone"),
    "groups": lazy_gettext("Groups"),
    "parent_id": lazy_gettext("Parent group"),
    "code": lazy_gettext("Pairing code"),
    "file": lazy_gettext("File"),
    "size": lazy_gettext("Size"),
    "dpi": lazy_gettext("Resolution (DPI)"),
    "bleed_mm": lazy_gettext("Bleed (mm per side)"),
    "format": lazy_gettext("Format"),
    "at": lazy_gettext("Date and time"),
}

_ITEM = re.compile(r"items\[(\d+)\](?:\.(\w+))?$")
_EXDATE = re.compile(r"exdates\[(\d+)\]$")


def field_label(field: str | None) -> str:
    """A readable name for a service's field or JSON path; JSON paths are shown as they are."""
    if not field:
        return ""
    if field in FIELD_LABELS:
        return str(FIELD_LABELS[field])
    item = _ITEM.match(field)
    if item:
        return gettext("Row %(number)s", number=int(item.group(1)) + 1)
    exdate = _EXDATE.match(field)
    if exdate:
        return gettext("Skipped date %(number)s", number=int(exdate.group(1)) + 1)
    return field
