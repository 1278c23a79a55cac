"""The territories' PART_OF hierarchy: what a write may link.

A territory is part of territories of its own level or above: a commune of
an EPCI or a département (or an arrondissement municipal, stored as a
commune, of its commune), a département of a région, never the other way
round; and no chain of PART_OF comes back to where it started (an ``AREA``,
which has no rank, can sit anywhere but cannot close a loop either). Analyses walk this
hierarchy upward (a territory's scope is its sub-territories), so a loop or
an inversion would make a territory contain itself.

Pure: the writer gives the rows of the workbook and what the database holds
around them (``refs.territory_hierarchy``), and gets the problems back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from graphmap.domain import TerritoryLevel
from graphmap.errors import FieldError
from graphmap.services.workbook import Row

#: The administrative levels, smallest first. ``AREA`` (a pays, a bassin de
#: vie, a district) has no rank: it may contain or be part of any level.
RANK: dict[str, int] = {
    TerritoryLevel.COMMUNE.value: 0,
    TerritoryLevel.EPCI.value: 1,
    TerritoryLevel.DEPARTEMENT.value: 2,
    TerritoryLevel.REGION.value: 3,
    TerritoryLevel.COUNTRY.value: 4,
}


def errors(
    rows: Sequence[Row],
    stored: Iterable[tuple[str, str | None, Sequence[str]]],
    file: str = "territories.csv",
) -> list[FieldError]:
    """The problems of the territory ``rows`` in the hierarchy they make with
    ``stored``: ``(code, level, parent codes)`` of the territories in the
    database around them (their ancestors and their children).

    A row's ``level`` and ``parents`` replace the stored ones; a row of a
    partial update that leaves them out keeps the stored ones.
    """
    level: dict[str, str | None] = {}
    parents: dict[str, Sequence[str]] = {}
    for code, lvl, ups in stored:
        level[code] = lvl
        parents[code] = ups
    relinked: set[str] = set()
    for r in rows:
        if "level" in r.props:
            level[r.key] = r.props["level"]
        if r.links.get("parents") is not None:
            parents[r.key] = r.links["parents"] or []
            relinked.add(r.key)
    children: dict[str, list[str]] = {}
    for code, ups in parents.items():
        for up in ups:
            children.setdefault(up, []).append(code)

    found: list[FieldError] = []
    wrong: dict[str, dict[str, str]] = {}  # the links refused for their levels
    for r in rows:
        if r.key in relinked:
            for up in dict.fromkeys(parents[r.key]):
                problem = _level_problem(r.key, level.get(r.key), up, level.get(up))
                if problem:
                    wrong.setdefault(r.key, {})[up] = problem
    # a loop is looked for without those links: they are reported already
    upward = {
        code: [up for up in ups if up not in wrong[code]] if code in wrong else ups
        for code, ups in parents.items()
    }
    for r in rows:
        mine = level.get(r.key)
        if r.key in relinked:
            for up in dict.fromkeys(parents[r.key]):
                problem = wrong.get(r.key, {}).get(up)
                loop = None if problem else _path(up, r.key, upward)
                if loop:
                    problem = "closes a loop: " + " → ".join([r.key, *loop])
                if problem:
                    found.append(FieldError("parent", problem, up, file, r.line))
        if "level" not in r.props or mine not in RANK:
            continue
        # a new level must still sit between the parents kept and the children
        kept = [] if r.key in relinked else parents.get(r.key, [])
        for up in kept:
            if RANK.get(level.get(up) or "", RANK[mine]) < RANK[mine]:
                found.append(
                    FieldError(
                        "level",
                        f"is above {up} ({level[up]}), which it is part of",
                        mine,
                        file,
                        r.line,
                    )
                )
        for down in children.get(r.key, []):
            if down in relinked:  # checked as that row's parent link
                continue
            if RANK.get(level.get(down) or "", -1) > RANK[mine]:
                found.append(
                    FieldError(
                        "level",
                        f"is below {down} ({level[down]}), which is part of it",
                        mine,
                        file,
                        r.line,
                    )
                )
    return found


def _level_problem(code: str, mine: str | None, up: str, theirs: str | None) -> str | None:
    """Why ``code`` (at level ``mine``) cannot be part of ``up`` for their
    levels, or None if it can."""
    if up == code:
        return "is the territory itself"
    if mine in RANK and theirs in RANK and RANK[theirs] < RANK[mine]:
        return f"is a {theirs}, below a {mine}: a territory is part of its level or above"
    return None


def _path(start: str, goal: str, parents: Mapping[str, Sequence[str]]) -> list[str] | None:
    """The PART_OF chain from ``start`` up to ``goal``, if there is one."""
    came_from: dict[str, str | None] = {start: None}
    todo = [start]
    while todo:
        code = todo.pop()
        if code == goal:
            chain = [code]
            back = came_from[code]
            while back is not None:
                chain.append(back)
                back = came_from[back]
            return chain[::-1]
        for up in parents.get(code, ()):
            if up not in came_from:
                came_from[up] = code
                todo.append(up)
    return None
