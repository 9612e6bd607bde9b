"""RRULE support: which local dates a schedule's window starts on.

The rule body is one RFC 5545 RRULE (an optional ``RRULE:`` prefix is accepted). DTSTART is the
schedule's ``starts_at`` as naive local time in the board's zone; occurrences follow dateutil
(DTSTART itself counts only when it matches the rule). Only the *dates* of occurrences matter.
A UTC ``UNTIL=...Z`` is converted to board-local time, since DTSTART is local. Frequencies finer
than DAILY are refused: the rule names days, not instants.

dateutil searches up to year 9999 for a rule that matches nothing (30 February), which takes
seconds. The Gregorian calendar repeats every 400 years (a whole number of weeks), so a rule with
INTERVAL n repeats every 400·n years: ``first_date`` probes one such cycle only, placed just
before year 9999, and so answers "never" in well under a second.

Errors are ``RuleError("rrule", code, ...)`` (a ``ValueError``), with the codes
``rrule_not_single``, ``rrule_malformed_part``, ``rrule_freq_required``,
``rrule_freq_unsupported``, ``rrule_byeaster`` and ``rrule_unparseable`` (with dateutil's own
explanation as ``error``).
"""

from __future__ import annotations

from datetime import MAXYEAR, UTC, date, datetime, time, timedelta
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from .localtime import zone
from .model import RuleError

DATE_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_CYCLE_YEARS = 400
_UNTIL_UTC = "%Y%m%dT%H%M%SZ"
_UNTIL_LOCAL = "%Y%m%dT%H%M%S"


def _parts(body: str) -> list[tuple[str, str]]:
    text = body.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or any(c in text for c in "\r\n:"):
        raise RuleError("rrule", "rrule_not_single")
    parts = []
    for chunk in text.split(";"):
        name, sep, value = chunk.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise RuleError("rrule", "rrule_malformed_part", part=chunk)
        parts.append((name.strip().upper(), value.strip()))
    return parts


def _local_until(value: str, tz: str) -> str:
    if not value.upper().endswith("Z"):
        return value
    try:
        instant = datetime.strptime(value.upper(), _UNTIL_UTC).replace(tzinfo=UTC)
    except ValueError as exc:
        raise RuleError("rrule", "rrule_unparseable", error=str(exc)) from exc
    return instant.astimezone(zone(tz)).strftime(_UNTIL_LOCAL)


def normalize(body: str, tz: str) -> list[tuple[str, str]]:
    """Check the shape of an RRULE body; its parts with a board-local UNTIL."""
    parts = _parts(body)
    freqs = [value.upper() for name, value in parts if name == "FREQ"]
    if len(freqs) != 1:
        raise RuleError("rrule", "rrule_freq_required")
    if freqs[0] not in DATE_FREQS:
        raise RuleError("rrule", "rrule_freq_unsupported", freq=freqs[0], allowed=list(DATE_FREQS))
    if any(name == "BYEASTER" for name, _ in parts):
        raise RuleError("rrule", "rrule_byeaster")
    return [(n, _local_until(v, tz) if n == "UNTIL" else v) for n, v in parts]


def _build(parts: list[tuple[str, str]], dtstart: datetime) -> rrule:
    text = ";".join(f"{n}={v}" for n, v in parts)
    try:
        parsed = rrulestr(text, dtstart=dtstart, cache=True)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise RuleError("rrule", "rrule_unparseable", error=str(exc)) from exc
    if not isinstance(parsed, rrule):
        raise RuleError("rrule", "rrule_not_single")
    return parsed


@lru_cache(maxsize=4096)
def parse(body: str, dtstart: datetime, tz: str) -> rrule:
    """The dateutil rule (cached, with its own occurrence cache). Raises ``RuleError``."""
    return _build(normalize(body, tz), dtstart)


def _never_matches(body: str, dtstart: datetime, tz: str) -> bool:
    """True when the rule's pattern (ignoring COUNT and UNTIL) matches no date at all."""
    pattern = [(n, v) for n, v in normalize(body, tz) if n not in ("COUNT", "UNTIL")]
    cycle = _CYCLE_YEARS * parse(body, dtstart, tz)._interval  # dateutil: no public accessor
    shifts = (MAXYEAR - cycle - dtstart.year) // cycle
    probe_start = dtstart.replace(year=dtstart.year + max(shifts, 0) * cycle)
    return _build(pattern, probe_start).after(probe_start, inc=True) is None


@lru_cache(maxsize=4096)
def first_date(body: str, dtstart: datetime, tz: str) -> date | None:
    """The first date the rule yields, or None when it yields none (e.g. 30 February)."""
    if _never_matches(body, dtstart, tz):
        return None
    first = parse(body, dtstart, tz).after(dtstart, inc=True)
    return None if first is None else first.date()


@lru_cache(maxsize=4096)
def last_date(body: str, dtstart: datetime, tz: str) -> date | None:
    """The last date of a finite rule (COUNT or UNTIL) that yields some date, else None."""
    parsed = parse(body, dtstart, tz)
    if parsed._count is None and parsed._until is None:  # dateutil: no public accessor
        return None
    if first_date(body, dtstart, tz) is None:
        return None
    return parsed[-1].date()


def dates_between(body: str, dtstart: datetime, tz: str, first: date, last: date) -> list[date]:
    """The distinct dates, from ``first`` to ``last`` inclusive, on which the rule occurs."""
    if first_date(body, dtstart, tz) is None:
        return []
    lo = datetime.combine(first, time.min)
    hi = datetime.combine(last + timedelta(days=1), time.min) - timedelta(microseconds=1)
    hits = parse(body, dtstart, tz).between(lo, hi, inc=True)
    return sorted({hit.date() for hit in hits})
