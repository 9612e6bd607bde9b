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
- Exception dates (``Rule.exdates``): local dates whose window (the one *starting* that day)
  is skipped; one date removes one occurrence, also of a window crossing midnight.
- Dayparts (``dayparts``): named days + time window, expanded into a rule by ``apply_daypart``.
- Explain (``explain``): the segment at ``t`` comes from ``timeline``, so it always agrees;
  every rule gets a status (playing, shadowed, inactive) and a reason code.
- Speed: a rule's windows (all fields but items, priority and kind) are cached by value across
  calls; ``timelines_for`` computes boards with equal inputs once. Whole timelines are not
  cached across calls, so segments always carry the caller's own item payloads.
- Errors and reasons are codes with parameters, never sentences (``signage.problems``):
  ``validate_rule`` and ``validate_daypart`` return ``(field, Problem)`` pairs; ``timeline``
  raises ``RuleError`` (a ``ValueError`` with ``field``, ``code`` and ``params``) for an unusable
  rule, an unknown zone, a naive or empty ``[start, end)`` or a fallback without a playable item
  (a rule with a dead recurrence or a zero-duration item is tolerated); ``explain`` gives each
  rule a reason code and a ``Problem`` to word it.
"""

from .batch import timelines_for
from .clock import item_at
from .dayparts import STANDARD_DAYPARTS, Daypart, apply_daypart, daypart_named, validate_daypart
from .explain import Explanation, RuleStatus, explain
from .model import EPOCH, OPEN_END, Item, Rule, RuleError, RuleProblem, Segment
from .timeline import timeline
from .validation import PRIORITY_RANGE, validate_rule

__all__ = [
    "EPOCH",
    "OPEN_END",
    "PRIORITY_RANGE",
    "STANDARD_DAYPARTS",
    "Daypart",
    "Explanation",
    "Item",
    "Rule",
    "RuleError",
    "RuleProblem",
    "RuleStatus",
    "Segment",
    "apply_daypart",
    "daypart_named",
    "explain",
    "item_at",
    "timeline",
    "timelines_for",
    "validate_daypart",
    "validate_rule",
]
