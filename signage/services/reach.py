"""Which schedules reach which boards: the one answer behind timelines, calendars, "what plays
here and why", the batch rebuild of manifests, the board page and the boards a change affects.

A schedule reaches every board it names, and every board in a group it names or in any group
nested below that group, at any depth. Read the other way round, a board is reached by the
schedules that name it, one of its groups, or an ancestor of one of its groups.

A board-like object that is not stored (the calendar's stand-in for a group) names its groups as
``group_ids``; stored boards have their memberships read in one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session, selectinload

from signage.models import Group, Schedule, ScheduleTarget, board_groups

# Past this many ids a query reads the whole (small) table instead of a long IN list.
MAX_IN_LIST = 500


class GroupTree:
    """The groups' nesting, from one read of the (small) groups table."""

    def __init__(self, parents: Mapping[int, int | None]) -> None:
        self.parents = dict(parents)
        self.children: dict[int, list[int]] = defaultdict(list)
        for group_id, parent_id in self.parents.items():
            if parent_id is not None:
                self.children[parent_id].append(group_id)

    @classmethod
    def read(cls, session: Session) -> GroupTree:
        return cls(dict(session.execute(select(Group.id, Group.parent_id)).all()))

    def with_ancestors(self, group_ids: Iterable[int]) -> set[int]:
        """The groups and every group above them: a schedule on any of these reaches here."""
        found: set[int] = set()
        for group_id in group_ids:
            node = group_id
            while node is not None and node not in found:
                found.add(node)
                node = self.parents.get(node)
        return found

    def with_descendants(self, group_ids: Iterable[int]) -> set[int]:
        """The groups and every group nested below them: a schedule on these reaches them all."""
        found: set[int] = set()
        pending = list(group_ids)
        while pending:
            group_id = pending.pop()
            if group_id not in found:
                found.add(group_id)
                pending.extend(self.children.get(group_id, ()))
        return found


def _matching(column, ids: Collection[int]):
    """``column IN ids``, or no filter at all when the list would be long (filter in Python)."""
    return column.in_(list(ids)) if len(ids) <= MAX_IN_LIST else true()


def memberships(session: Session, boards: Iterable[Any]) -> dict[int, set[int]]:
    """Each board's own groups (not their ancestors)."""
    found: dict[int, set[int]] = {}
    stored = []
    for board in boards:
        own = getattr(board, "group_ids", None)
        if own is None:
            stored.append(board.id)
        found[board.id] = set(own or ())
    if stored:
        query = select(board_groups.c.board_id, board_groups.c.group_id).where(
            _matching(board_groups.c.board_id, stored)
        )
        wanted = set(stored)
        for board_id, group_id in session.execute(query):
            if board_id in wanted:
                found[board_id].add(group_id)
    return found


class Reach:
    """The schedules that reach each of some boards."""

    def __init__(
        self,
        tree: GroupTree,
        members: Mapping[int, set[int]],
        targets: Iterable[tuple[int, int | None, int | None]],
    ) -> None:
        self.tree = tree
        self.members = members
        self._by_board: dict[int, set[int]] = defaultdict(set)
        self._by_group: dict[int, set[int]] = defaultdict(set)
        for schedule_id, board_id, group_id in targets:
            if board_id is not None:
                self._by_board[board_id].add(schedule_id)
            if group_id is not None:
                self._by_group[group_id].add(schedule_id)
        self._through_groups: dict[frozenset[int], frozenset[int]] = {}

    def _via(self, groups: frozenset[int]) -> frozenset[int]:
        # Boards of one group share this answer: computed once per set of groups.
        if groups not in self._through_groups:
            above = self.tree.with_ancestors(groups)
            found = set().union(*(self._by_group.get(g, ()) for g in above))
            self._through_groups[groups] = frozenset(found)
        return self._through_groups[groups]

    def schedule_ids(self, board_id: int) -> tuple[int, ...]:
        """The schedules reaching the board, by ascending id."""
        groups = frozenset(self.members.get(board_id, ()))
        return tuple(sorted(self._by_board.get(board_id, set()) | self._via(groups)))

    def all_schedule_ids(self) -> set[int]:
        found: set[int] = set()
        for board_id in self.members:
            found.update(self.schedule_ids(board_id))
        return found


def reach(session: Session, boards: Iterable[Any]) -> Reach:
    """The schedules that reach each of these boards, from four small reads at most."""
    members = memberships(session, boards)
    tree = GroupTree.read(session)
    groups = tree.with_ancestors(set().union(*members.values()))
    stored = [board_id for board_id in members if board_id]
    query = select(ScheduleTarget.schedule_id, ScheduleTarget.board_id, ScheduleTarget.group_id)
    if len(stored) + len(groups) <= MAX_IN_LIST:
        query = query.where(
            or_(ScheduleTarget.board_id.in_(stored), ScheduleTarget.group_id.in_(groups))
        )
    return Reach(tree, members, session.execute(query).all())


def schedules_reaching(session: Session, board: Any) -> list[Schedule]:
    """The schedules reaching the board, the strongest first (emergencies, then by priority),
    with their targets and playlist loaded: what the board page lists."""
    ids = reach(session, [board]).schedule_ids(board.id)
    if not ids:
        return []
    query = (
        select(Schedule)
        .where(Schedule.id.in_(ids))
        .options(selectinload(Schedule.targets), selectinload(Schedule.playlist))
        .order_by(Schedule.kind.desc(), Schedule.priority.desc(), Schedule.starts_at, Schedule.id)
    )
    return list(session.scalars(query))


def boards_in_groups(session: Session, group_ids: Iterable[int]) -> set[int]:
    """The boards in these groups or any group nested below them."""
    groups = GroupTree.read(session).with_descendants(group_ids)
    if not groups:
        return set()
    query = select(board_groups.c.board_id).where(board_groups.c.group_id.in_(groups))
    return set(session.scalars(query))


def boards_reached(session: Session, targets: Iterable[ScheduleTarget]) -> set[int]:
    """The boards that schedules with these targets reach."""
    targets = list(targets)
    direct = {t.board_id for t in targets if t.board_id}
    return direct | boards_in_groups(session, {t.group_id for t in targets if t.group_id})
