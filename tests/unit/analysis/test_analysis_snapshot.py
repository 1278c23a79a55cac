from __future__ import annotations

from datetime import date

from graphmap.analysis.snapshot import (
    ActorRec,
    GroupRec,
    MembershipRec,
    Snapshot,
    descendants,
    in_scope,
    reference_date,
)

PARENTS = {"69123": ("200046977",), "69266": ("200046977",), "200046977": ("69",), "01001": ("01",)}


def snap() -> Snapshot:
    actors = (
        ActorRec("lyon", "Lyon asso", "ASSOCIATION", "CIVIL_SOCIETY", ("69123",)),
        ActorRec("villeu", "Villeurbanne co", "COMPANY", "ECONOMIC", ("69266",)),
        ActorRec("ain", "Ain mairie", "LOCAL_AUTHORITY", "PUBLIC", ("01001",)),
    )
    groups = (
        GroupRec(
            "old",
            "alliance",
            "ended",
            type="PHILANTHROPY",
            since=date(2010, 1, 1),
            until=date(2015, 1, 1),
        ),
        GroupRec("live", "alliance", "live", type="SOCIETAL_INNOVATION", since=date(2018, 1, 1)),
        GroupRec("future", "initiative", "not yet", started_on=date(2030, 1, 1)),
        GroupRec(
            "ini", "initiative", "ini", started_on=date(2019, 1, 1), carried_by=("live", "old")
        ),
    )
    ms = tuple(
        MembershipRec(a, g, since=date(2018, 6, 1) if g != "old" else None)
        for a in ("lyon", "villeu", "ain")
        for g in ("old", "live", "future", "ini")
    )
    return Snapshot(actors, groups, ms, PARENTS, "r1")


def test_descendants() -> None:
    assert descendants(PARENTS, "69") == {"69", "200046977", "69123", "69266"}


def test_territory_scope_includes_sub_territories() -> None:
    s = in_scope(snap(), territory="69")
    assert {a.id for a in s.actors} == {"lyon", "villeu"}
    assert {m.actor for m in s.memberships} == {"lyon", "villeu"}
    assert s.revision == "r1"


def test_as_of_keeps_active_only() -> None:
    s = in_scope(snap(), as_of=date(2020, 1, 1))
    assert {g.id for g in s.groups} == {"live", "ini"}
    assert {m.group for m in s.memberships} == {"live", "ini"}
    ini = next(g for g in s.groups if g.id == "ini")
    assert ini.carried_by == ("live",)  # the ended carrier is out of scope
    # before the memberships started, nothing is active
    assert in_scope(snap(), as_of=date(2018, 2, 1)).memberships == ()


def test_alliance_types_filter_alliances_only() -> None:
    s = in_scope(snap(), alliance_types=frozenset({"PHILANTHROPY"}))
    assert {g.id for g in s.groups} == {"old", "future", "ini"}


def test_reference_date_is_latest_start_when_not_given() -> None:
    assert reference_date(snap()) == date(2030, 1, 1)
    assert reference_date(snap(), date(2021, 1, 1)) == date(2021, 1, 1)


def test_an_actor_not_joined_yet_is_out_of_a_dated_scope() -> None:
    """As on the map and in the exports: at a date, an actor whose
    memberships all start later had not joined; an undated one always was."""
    s = snap()
    later = MembershipRec("new", "live", since=date(2020, 1, 1))
    undated = MembershipRec("old_timer", "live")
    s = Snapshot(
        s.actors
        + (
            ActorRec("new", "Newcomer", "COMPANY", "ECONOMIC", ("69123",)),
            ActorRec("old_timer", "Old timer", "COMPANY", "ECONOMIC", ("69123",)),
            ActorRec("alone", "No ties", "COMPANY", "ECONOMIC", ("69123",)),
        ),
        s.groups,
        s.memberships + (later, MembershipRec("old_timer", "ini", since=date(2025, 1, 1)), undated),
        PARENTS,
        "r1",
    )
    ids = {a.id for a in in_scope(s, as_of=date(2019, 6, 1)).actors}
    assert "new" not in ids and {"old_timer", "alone", "lyon"} <= ids
    assert "new" in {a.id for a in in_scope(s, as_of=date(2020, 1, 1)).actors}
    assert "new" in {a.id for a in in_scope(s).actors}
