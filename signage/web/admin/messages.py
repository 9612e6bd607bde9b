"""Words for what the services report in English: field labels and common problems.

Services name fields and problems in English (the API's language). The admin shows them in the
user's language: exact messages go through the catalog, messages with numbers in them are
matched by pattern, and anything else is shown as the service wrote it.
"""

from __future__ import annotations

import re

from flask_babel import gettext, lazy_gettext


def N_(text: str) -> str:
    """Marks a message for extraction; it is translated when shown."""
    return text


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
}

# Exact messages the services raise, marked so the catalog carries them.
EXACT = (
    N_("is required"),
    N_("must be an integer"),
    N_("must be a string"),
    N_("must be a date and time"),
    N_("must be after valid_from"),
    N_("must be later than starts_at"),
    N_("must be a web address starting with http:// or https://"),
    N_("no waiting board shows this code, or it expired"),
    N_("name at least one board or group"),
    N_("must be a non-empty list of slides"),
    N_("must be a time of day as HH:MM"),
    N_("time_from and time_to must be given together"),
    N_("give either days or rrule, not both"),
    N_("give either a daypart_id or days/time_from/time_to, not both"),
    N_("must be cut or crossfade"),
    N_("must be a date as YYYY-MM-DD"),
    N_("must not be before the first day"),
    N_("choose the board to pair"),
    N_("the rule yields no dates at all"),
    N_("must name at least one day (1 = Monday .. 7 = Sunday)"),
    N_("must be an integer from 0 to 100"),
    N_("must be normal or emergency"),
    N_("looks like a decompression bomb"),
    N_("file: the content is not a PNG, JPEG or WebP image"),
    N_("is not a field of this layout"),
    N_("the text does not fit on some boards"),
    N_("must carry a UTC offset, e.g. 2026-12-01T08:00:00+07:00"),
    N_("a layout must be a JSON object"),
)

PATTERNS = (
    (
        re.compile(r"must be between (?P<low>-?\d+) and (?P<high>-?\d+)$"),
        N_("must be between %(low)s and %(high)s"),
    ),
    (
        re.compile(r"is too long: (?P<count>\d+) characters, the limit is (?P<limit>\d+)$"),
        N_("is too long: %(count)s characters, the limit is %(limit)s"),
    ),
    (re.compile(r"unknown time zone (?P<name>.+)$"), N_("unknown time zone %(name)s")),
    (re.compile(r"a group named (?P<name>.+) exists$"), N_("a group named %(name)s exists")),
    (
        re.compile(r"unknown (?P<what>slide|asset|layout|playlist|daypart) (?P<value>.+)$"),
        N_("unknown %(what)s %(value)s"),
    ),
    (
        re.compile(r"revision (?P<number>\d+) is (?P<status>\w+); only a draft can be submitted$"),
        N_("revision %(number)s is %(status)s; only a draft can be submitted"),
    ),
    (
        re.compile(r"revision (?P<number>\d+) is (?P<status>\w+), not pending$"),
        N_("revision %(number)s is %(status)s, not pending"),
    ),
    (re.compile(r"is not valid JSON: (?P<error>.+)$"), N_("is not valid JSON: %(error)s")),
    (
        re.compile(r"must be a date from (?P<first>\d+) to (?P<last>\d+)$"),
        N_("must be a date from %(first)s to %(last)s"),
    ),
    (
        re.compile(r"the media store has no intact copy of (?P<name>.+)$"),
        N_("the stored copy of %(name)s is damaged or missing; ask an administrator"),
    ),
    (
        re.compile(r"(?P<value>.+) is not a date as YYYY-MM-DD$"),
        N_("%(value)s is not a date as YYYY-MM-DD"),
    ),
    (
        re.compile(r"too many exception dates: (?P<count>\d+), the limit is (?P<limit>\d+)$"),
        N_("too many skipped dates: %(count)s, the limit is %(limit)s"),
    ),
)


def translate_message(message: str) -> str:
    if message in EXACT:
        return gettext(message)
    for pattern, template in PATTERNS:
        match = pattern.match(message)
        if match:
            return gettext(template, **match.groupdict())
    return message


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
