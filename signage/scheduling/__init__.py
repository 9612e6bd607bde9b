"""Pure scheduling core: schedules (rules) + board time zone + window -> segments.

No Flask, no database: plain values in, plain values out. Decisions beyond the contract:

- Windows (``windows``): ``time_from == time_to`` is a full 24-hour-wall-clock window starting at
  ``time_from``; no time window is the local day 00:00 to 00:00. Local times become instants with
  fold=0: a time in the spring gap moves forward by the gap, an ambiguous time is its first
  occurrence; a window the gap makes empty is skipped.
- RRULE (``recurrence``): one RRULE body, FREQ DAILY or coarser, no BYEASTER; UNTIL in UTC is
  accepted; DTSTART counts only when it matches (dateutil). A rule that yields no date at all is
  a validation error, but ``timeline`` tolerates it as never active.
- Merging (``content``): filter items by validity, then drop an item whose key an earlier rule
  (lower id) of the winning layer already contributed; repeats inside one playlist are kept.
- Segments (``timeline``): the first starts where its content began (``EPOCH`` if it never
  changed); the last ends where its content ends, or at ``OPEN_END`` when it never changes again
  (or not within ``LOOKAHEAD``). Datetimes out are UTC.
- Errors: ``timeline`` raises ``RuleError`` for an unusable rule or an unknown zone (a rule with
  a dead recurrence or a zero-duration item is tolerated), ``ValueError`` for naive or empty
  ``[start, end)`` and a fallback without a playable item.
"""

from .clock import item_at
from .model import EPOCH, OPEN_END, Item, Rule, RuleError, Segment
from .timeline import timeline
from .validation import validate_rule

__all__ = [
    "EPOCH",
    "OPEN_END",
    "Item",
    "Rule",
    "RuleError",
    "Segment",
    "item_at",
    "timeline",
    "validate_rule",
]
