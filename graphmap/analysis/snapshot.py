"""The analysis input: an immutable snapshot of the graph, and its scoping.

The store fills these records from Neo4j; analysis never talks to the database.
Records are frozen and slotted so a 100k-actor snapshot stays small and cannot
be mutated by one metric behind another's back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

GroupKind = Literal["alliance", "initiative"]


@dataclass(frozen=True, slots=True)
class ActorRec:
    """An actor: ``world`` is derived from ``kind`` (``domain.WORLD_OF_KIND``)."""

    id: str
    name: str
    kind: str
    world: str
    territories: tuple[str, ...] = ()
    declared_roles: tuple[str, ...] = ()

    @property
    def declared_facilitator(self) -> bool:
        return "FACILITATOR" in self.declared_roles


@dataclass(frozen=True, slots=True)
class GroupRec:
    """An alliance or an initiative: anything several actors take part in.

    ``type``, ``horizon``, ``since`` and ``until`` describe alliances;
    ``started_on`` and ``stage`` describe initiatives; ``carried_by`` lists the
    alliances carrying an initiative.
    """

    id: str
    group: GroupKind
    name: str
    type: str | None = None
    horizon: str | None = None
    since: date | None = None
    until: date | None = None
    started_on: date | None = None
    stage: str | None = None
    territories: tuple[str, ...] = ()
    carried_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MembershipRec:
    """``actor`` takes part in ``group`` (alliance or initiative) with ``role``."""

    actor: str
    group: str
    role: str = "PARTNER"
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything analysis reads. ``territory_parents`` maps a territory code
    to the codes it is ``PART_OF``; ``revision`` identifies the graph state
    the snapshot was read at (written back with the results)."""

    actors: tuple[ActorRec, ...]
    groups: tuple[GroupRec, ...]
    memberships: tuple[MembershipRec, ...]
    territory_parents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    revision: str = ""


def active_on(since: date | None, until: date | None, as_of: date) -> bool:
    """Whether the interval ``[since, until]`` (inclusive, open ends unknown)
    contains ``as_of``. An unknown start counts as "always was", an unknown
    end as "still is": mappers often leave dates empty."""
    return (since is None or since <= as_of) and (until is None or until >= as_of)


def joined_after(memberships: Iterable[MembershipRec], as_of: date) -> set[str]:
    """The actors all of whose memberships start after ``as_of`` (an undated
    one counts as "always was")."""
    first: dict[str, date | None] = {}
    for m in memberships:
        known = first.get(m.actor, m.since)
        first[m.actor] = None if known is None or m.since is None else min(known, m.since)
    return {a for a, day in first.items() if day is not None and day > as_of}


def descendants(territory_parents: Mapping[str, tuple[str, ...]], root: str) -> set[str]:
    """``root`` and every territory that is (transitively) part of it."""
    children: dict[str, list[str]] = {}
    for child, parents in territory_parents.items():
        for p in parents:
            children.setdefault(p, []).append(child)
    seen = {root}
    stack = [root]
    while stack:
        for c in children.get(stack.pop(), ()):
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return seen


def ancestors(territory_parents: Mapping[str, tuple[str, ...]], code: str) -> set[str]:
    """``code`` and every territory it is (transitively) part of."""
    seen = {code}
    stack = [code]
    while stack:
        for p in territory_parents.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def reference_date(snapshot: Snapshot, as_of: date | None = None) -> date:
    """The date "now" means for recency and youth: ``as_of`` when given,
    otherwise the latest start date found in the snapshot (deterministic,
    unlike ``date.today()``, so a re-run on the same revision gives the same
    scores). Falls back to 2000-01-01 for an empty snapshot."""
    if as_of is not None:
        return as_of
    latest: date | None = None
    for g in snapshot.groups:
        for d in (g.since, g.started_on):
            if d is not None and (latest is None or d > latest):
                latest = d
    for m in snapshot.memberships:
        if m.since is not None and (latest is None or m.since > latest):
            latest = m.since
    return latest or date(2000, 1, 1)


def in_scope(
    snapshot: Snapshot,
    territory: str | None = None,
    as_of: date | None = None,
    alliance_types: frozenset[str] | None = None,
) -> Snapshot:
    """The part of ``snapshot`` an analysis is about.

    Parameters
    ----------
    territory
        Keep actors located in this territory or any of its sub-territories
        (through ``territory_parents``). Groups are kept when they have at
        least one kept member or are located in the territory; members outside
        the territory are dropped, so ties are only between in-scope actors.
    as_of
        Keep memberships and alliances active on that date (``since <= as_of
        <= until``, unknown bounds open) and initiatives started by then
        (unknown start kept); drop the actors whose memberships all start
        later (they had not joined yet: the map and the exports leave them
        out too).
    alliance_types
        Keep only alliances of these types (alliances without a type are
        dropped when a filter is given); initiatives are not filtered.
    """
    actors: Iterable[ActorRec] = snapshot.actors
    if as_of is not None:
        later = joined_after(snapshot.memberships, as_of)
        actors = [a for a in actors if a.id not in later]
    if territory is not None:
        area = descendants(snapshot.territory_parents, territory)
        actors = [a for a in actors if area.intersection(a.territories)]
    else:
        area = set()
    actor_ids = {a.id for a in actors}

    groups: list[GroupRec] = []
    for g in snapshot.groups:
        if g.group == "alliance":
            if alliance_types is not None and g.type not in alliance_types:
                continue
            if as_of is not None and not active_on(g.since, g.until, as_of):
                continue
        elif as_of is not None and g.started_on is not None and g.started_on > as_of:
            continue
        groups.append(g)
    group_ids = {g.id for g in groups}

    memberships = [
        m
        for m in snapshot.memberships
        if m.actor in actor_ids
        and m.group in group_ids
        and (as_of is None or active_on(m.since, m.until, as_of))
    ]
    if territory is not None:
        used = {m.group for m in memberships}
        groups = [g for g in groups if g.id in used or area.intersection(g.territories)]
        group_ids = {g.id for g in groups}
    groups = [
        replace(g, carried_by=tuple(c for c in g.carried_by if c in group_ids))
        if g.carried_by
        else g
        for g in groups
    ]
    return Snapshot(
        actors=tuple(actors),
        groups=tuple(groups),
        memberships=tuple(memberships),
        territory_parents=snapshot.territory_parents,
        revision=snapshot.revision,
    )
