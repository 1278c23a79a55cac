"""Synthetic ecosystems with planted structure, to test and benchmark analysis.

``generate_ecosystem`` writes workbook-like rows (the columns of
``shared/formats.md``) for a territory of ``n_actors`` actors:

* territories: communes (INSEE codes, populations), EPCI (SIREN with a valid
  Luhn key), départements, régions, FR; actors placed on communes in
  proportion to population, worlds mixed in every commune;
* background groups (alliances and initiatives) of heavy-tailed size
  (2–40 members, Pareto tail), mostly inside one world of one EPCI
  ("world-clusters"), some mixing two or three worlds (small groups), some
  spanning a département; dates over 2005–2026;
* **planted bridges**: new actors that alone tie world-clusters of two or
  three EPCIs, through small strategic alliances with 2–3 members of each
  cluster (half of them declare a FACILITATOR role, half do not);
* **planted emerging initiatives**: started 6–18 months before
  :data:`GENERATION_DATE`, 4–6 members from at least three worlds, a planted
  bridge or one of its partners among them, newcomers in the last six months;
* **decoys** that a naive ranking would put on top: a high-degree hub whose
  partners all share its world, a declared facilitator tied to its own world
  only, young single-world projects, old multi-world projects, one-partner
  projects.

Deterministic for a given ``seed`` (numpy ``default_rng``). The planted ids
are returned so tests can measure recall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from graphmap.analysis.snapshot import ActorRec, GroupRec, MembershipRec, Snapshot
from graphmap.domain import WORLD_OF_KIND, ActorKind, luhn_ok

GENERATION_DATE = date(2026, 6, 30)
START = date(2005, 1, 1)
KIND_SHARES: dict[str, float] = {
    "ASSOCIATION": 0.33,
    "CITIZEN_GROUP": 0.05,
    "COMPANY": 0.25,
    "SOCIAL_ENTERPRISE": 0.08,
    "LOCAL_AUTHORITY": 0.10,
    "STATE_BODY": 0.03,
    "ACADEMIC": 0.05,
    "FOUNDATION": 0.03,
    "FUNDER": 0.02,
    "NETWORK": 0.06,
}
WORLD_KINDS: dict[str, list[str]] = defaultdict(list)
for _k, _w in WORLD_OF_KIND.items():
    WORLD_KINDS[_w.value].append(_k.value)
REGIONS = ["84", "27", "53", "24", "94", "44", "32", "11", "28", "75", "76", "52", "93"]
ALLIANCE_TYPES = [
    "PHILANTHROPY",
    "RESPONSIBLE_PRACTICES",
    "ECONOMIC_COOPERATION",
    "SOCIETAL_INNOVATION",
]
FORMS = ["TERRITORIAL_ANIMATION", "COLLECTIVE_EXPERIMENT", "PARTNERSHIP_SUPPORT"]
THEMES = [
    "EMPLOYMENT",
    "ECONOMIC_DEVELOPMENT",
    "AGEING",
    "SOCIAL_COHESION",
    "YOUTH_EDUCATION",
    "HEALTH",
    "MOBILITY",
    "HOUSING",
    "ENVIRONMENT_ENERGY",
    "AGRICULTURE_FOOD",
    "DIGITAL_INCLUSION",
    "CULTURE",
]
GROUPS_PER_ACTOR = 0.25
MIXED_SHARE = 0.08
DEPARTEMENT_SHARE = 0.05

Row = dict[str, str]
Commune = tuple[str, int, str, str]


@dataclass
class GeneratedEcosystem:
    territories: list[Row]
    actors: list[Row]
    initiatives: list[Row]
    alliances: list[Row]
    memberships: list[Row]
    planted_bridges: list[str]
    planted_emerging: list[str]
    decoys: dict[str, list[str]] = field(default_factory=dict)
    as_of: date = GENERATION_DATE

    def rows(self) -> dict[str, list[Row]]:
        return {
            "territories": self.territories,
            "actors": self.actors,
            "initiatives": self.initiatives,
            "alliances": self.alliances,
            "memberships": self.memberships,
        }


def _siren(n: int) -> str:
    base = f"2000{n:04d}"
    for d in range(10):
        if luhn_ok(base + str(d)):
            return base + str(d)
    raise AssertionError  # pragma: no cover


def _synthetic_communes(n_actors: int, rng: np.random.Generator) -> list[Commune]:
    n_communes = max(12, n_actors // 25)
    all_deps = [f"{d:02d}" for d in range(1, 96) if d != 20]
    n_dep = max(2, min(len(all_deps), n_communes // 40))
    n_reg = max(1, min(len(REGIONS), n_dep // 5))
    deps = all_deps[:n_dep]
    pops = np.maximum(50, rng.lognormal(7.0, 1.3, size=n_communes)).astype(int)
    out: list[Commune] = []
    for i in range(n_communes):
        dep = deps[i % n_dep]
        out.append(
            (f"{dep}{i // n_dep + 1:03d}", int(pops[i]), dep, REGIONS[deps.index(dep) % n_reg])
        )
    return out


class _Builder:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.actors: list[Row] = []
        self.initiatives: list[Row] = []
        self.alliances: list[Row] = []
        self.memberships: list[Row] = []
        self.world: list[str] = []
        self.epci_of: list[str] = []
        self.commune_of: list[str] = []
        self.n_groups = 0

    def add_actor(self, kind: str, commune: str, epci: str, declared: bool = False) -> int:
        i = len(self.actors)
        self.actors.append(
            {
                "id": f"A{i:06d}",
                "name": f"{kind.title().replace('_', ' ')} {i}",
                "kind": kind,
                "territory": commune,
                "declared_roles": "FACILITATOR" if declared else "",
            }
        )
        self.world.append(WORLD_OF_KIND[ActorKind(kind)].value)
        self.epci_of.append(epci)
        self.commune_of.append(commune)
        return i

    def rand_date(self, lo: date, hi: date) -> date:
        span = max(1, (hi - lo).days)
        return lo + timedelta(days=int(self.rng.integers(0, span)))

    def add_group(
        self,
        members: Sequence[int],
        territory: str,
        *,
        initiative: bool,
        start: date,
        until: date | None = None,
        horizon: str | None = None,
        stage: str | None = None,
        joins: Sequence[date] | None = None,
        lead_role: str = "LEAD",
    ) -> str:
        self.n_groups += 1
        gid = f"{'I' if initiative else 'L'}{self.n_groups:06d}"
        rng = self.rng
        if initiative:
            age = (GENERATION_DATE - start).days / 365.25
            if stage is None:
                stage = (
                    ["EMERGENCE", "EXPERIMENTATION"][int(rng.integers(2))]
                    if age < 2
                    else ["EXPERIMENTATION", "CONSOLIDATION"][int(rng.integers(2))]
                    if age < 6
                    else ["CONSOLIDATION", "SCALING"][int(rng.integers(2))]
                )
            self.initiatives.append(
                {
                    "id": gid,
                    "name": f"Initiative {self.n_groups}",
                    "form": FORMS[int(rng.integers(len(FORMS)))],
                    "stage": stage,
                    "themes": ";".join(sorted(set(rng.choice(THEMES, size=2).tolist()))),
                    "territory": territory,
                    "started_on": start.isoformat(),
                }
            )
        else:
            self.alliances.append(
                {
                    "id": gid,
                    "name": f"Alliance {self.n_groups}",
                    "type": ALLIANCE_TYPES[int(rng.integers(len(ALLIANCE_TYPES)))],
                    "horizon": horizon or ("STRATEGIC" if rng.random() < 0.3 else "OPERATIONAL"),
                    "territory": territory,
                    "since": start.isoformat(),
                    "until": until.isoformat() if until else "",
                    "carries": "",
                }
            )
        for j, a in enumerate(members):
            if joins is not None:
                since = joins[j]
            elif j < 2 or rng.random() < 0.5:
                since = start
            else:
                since = self.rand_date(start, until or GENERATION_DATE)
            role = lead_role if j == 0 else ("FUNDER" if self.world[a] == "FUNDING" else "PARTNER")
            self.memberships.append(
                {
                    "actor": self.actors[a]["id"],
                    "target": gid,
                    "role": role,
                    "since": since.isoformat(),
                    "until": until.isoformat() if until else "",
                }
            )
        return gid


def _size(rng: np.random.Generator, cap: int = 40) -> int:
    return int(min(cap, 2 + np.floor(rng.pareto(1.6) * 2.5)))


def generate_ecosystem(
    n_actors: int, seed: int = 0, communes: Sequence[Commune] | None = None
) -> GeneratedEcosystem:
    """A synthetic ecosystem of about ``n_actors`` actors (module docstring).

    ``communes``: (INSEE code, population, département code, région code);
    synthetic ones when None.
    """
    rng = np.random.default_rng(seed)
    cs = list(communes) if communes else _synthetic_communes(n_actors, rng)
    b = _Builder(rng)

    # --- territories: communes → EPCI (≈8 communes each) → département → région → FR
    territories: list[Row] = [
        {"code": "FR", "name": "France", "level": "COUNTRY", "parent": "", "population": ""}
    ]
    deps: dict[str, str] = {}
    by_dep: dict[str, list[Commune]] = defaultdict(list)
    for c in cs:
        by_dep[c[2]].append(c)
        # régions are "R" + INSEE code (domain.is_territory_code): R84, not 84
        deps[c[2]] = c[3] if c[3].startswith("R") else f"R{c[3]}"
    for r in sorted(set(deps.values())):
        territories.append(
            {"code": r, "name": f"Région {r}", "level": "REGION", "parent": "FR", "population": ""}
        )
    epci_of_commune: dict[str, str] = {}
    n_epci = 0
    for d in sorted(by_dep):
        territories.append(
            {
                "code": d,
                "name": f"Département {d}",
                "level": "DEPARTEMENT",
                "parent": deps[d],
                "population": "",
            }
        )
        for k in range(0, len(by_dep[d]), 8):
            n_epci += 1
            e = _siren(n_epci)
            territories.append(
                {
                    "code": e,
                    "name": f"Communauté {n_epci}",
                    "level": "EPCI",
                    "parent": d,
                    "population": "",
                }
            )
            for c in by_dep[d][k : k + 8]:
                epci_of_commune[c[0]] = e
    for c in cs:
        territories.append(
            {
                "code": c[0],
                "name": f"Commune {c[0]}",
                "level": "COMMUNE",
                "parent": epci_of_commune[c[0]],
                "population": str(c[1]),
            }
        )
    dep_of_epci = {epci_of_commune[c[0]]: c[2] for c in cs}

    # --- actors, spread by population
    pop = np.asarray([c[1] for c in cs], dtype=np.float64)
    where = rng.choice(len(cs), size=n_actors, p=pop / pop.sum())
    kinds = rng.choice(list(KIND_SHARES), size=n_actors, p=np.asarray(list(KIND_SHARES.values())))
    declared_noise = rng.random(n_actors) < 0.01
    for i in range(n_actors):
        code = cs[int(where[i])][0]
        b.add_actor(str(kinds[i]), code, epci_of_commune[code], bool(declared_noise[i]))
    activity = rng.lognormal(0.0, 0.6, size=n_actors)
    clusters: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_epci: dict[str, list[int]] = defaultdict(list)
    for i in range(n_actors):
        clusters[(b.epci_of[i], b.world[i])].append(i)
        by_epci[b.epci_of[i]].append(i)
    epcis = sorted(by_epci)
    epci_w = np.asarray([len(by_epci[e]) for e in epcis], dtype=np.float64)
    epcis_of_dep: dict[str, list[str]] = defaultdict(list)
    for e in epcis:
        epcis_of_dep[dep_of_epci[e]].append(e)

    def pick(pool: Sequence[int], k: int, uniform: bool = False) -> list[int]:
        k = min(k, len(pool))
        if k <= 0:
            return []
        if uniform:
            return [int(x) for x in rng.choice(pool, size=k, replace=False)]
        p = activity[list(pool)]
        return [int(x) for x in rng.choice(pool, size=k, replace=False, p=p / p.sum())]

    # --- background groups
    for _ in range(int(GROUPS_PER_ACTOR * n_actors)):
        e = epcis[int(rng.choice(len(epcis), p=epci_w / epci_w.sum()))]
        draw = rng.random()
        if draw < MIXED_SHARE:
            ws = sorted({b.world[i] for i in by_epci[e]})
            chosen = rng.choice(ws, size=min(len(ws), int(rng.integers(2, 4))), replace=False)
            size = _size(rng, cap=8)
            members: list[int] = []
            for k, w in enumerate(chosen):
                members += pick(
                    clusters[(e, str(w))], max(1, size // len(chosen) + (k == 0)), uniform=True
                )
            territory = e
        else:
            w = b.world[int(rng.choice(by_epci[e]))]
            if draw < MIXED_SHARE + DEPARTEMENT_SHARE:
                pool = [i for e2 in epcis_of_dep[dep_of_epci[e]] for i in clusters[(e2, w)]]
                territory = dep_of_epci[e]
            else:
                pool = clusters[(e, w)]
                territory = e
            members = pick(pool, _size(rng))
        if len(members) < 2:
            continue
        start = b.rand_date(START, GENERATION_DATE - timedelta(days=30))
        if rng.random() < 0.6:
            b.add_group(members, territory, initiative=True, start=start)
        else:
            until = None
            if rng.random() < 0.25:
                until = b.rand_date(start + timedelta(days=180), GENERATION_DATE)
                until = min(until, GENERATION_DATE - timedelta(days=1))
            b.add_group(members, territory, initiative=False, start=start, until=until)

    # --- planted bridges: new actors tying world-clusters of 2–3 EPCIs
    n_bridges = max(4, n_actors // 200)
    bridges: list[int] = []
    partners_of: dict[int, list[int]] = {}
    bridge_kinds = [
        "NETWORK",
        "ASSOCIATION",
        "LOCAL_AUTHORITY",
        "SOCIAL_ENTERPRISE",
        "COMPANY",
        "ACADEMIC",
    ]
    for k in range(n_bridges):
        # spread bridges over EPCI triples (rotating), so that two bridges
        # rarely tie the same clusters and each is the one link it is meant to be
        chosen_e = [epcis[(3 * k + j * (1 + k // len(epcis))) % len(epcis)] for j in range(3)]
        chosen_e = list(dict.fromkeys(chosen_e))
        home = chosen_e[0]
        home_commune = b.commune_of[by_epci[home][0]]
        kind = bridge_kinds[k % len(bridge_kinds)]
        declared = k % 4 in (0, 3)
        v = b.add_actor(kind, home_commune, home, declared=declared)
        bridges.append(v)
        own = b.world[v]
        cl = [
            (e, w)
            for e in chosen_e
            for w in sorted(WORLD_KINDS)
            if w != own and len(clusters[(e, w)]) >= 3
        ]
        idx = rng.choice(len(cl), size=min(len(cl), 7), replace=False)
        partners_of[v] = []
        for j in sorted(idx.tolist()):
            e, w = cl[j]
            mem = pick(clusters[(e, w)], int(rng.integers(2, 4)))
            partners_of[v] += mem
            b.add_group(
                [v] + mem,
                e,
                initiative=False,
                horizon="STRATEGIC",
                start=b.rand_date(date(2015, 1, 1), date(2024, 1, 1)),
                lead_role="FACILITATOR" if declared else "LEAD",
            )

    asof = GENERATION_DATE

    def young_start() -> date:
        return asof - timedelta(days=int(rng.integers(180, 540)))

    def multi_world(e: str, near: list[int], n: int) -> list[int]:
        """``near`` first, then members of other worlds of EPCI ``e``."""
        out = list(near)
        ws = [
            w
            for w in sorted(WORLD_KINDS)
            if clusters[(e, w)] and w not in {b.world[x] for x in out}
        ]
        rng.shuffle(ws)
        for w in ws:
            if len(out) >= n:
                break
            out += [x for x in pick(clusters[(e, w)], 1) if x not in out]
        return out

    def growing_joins(start: date, n: int, founders: int) -> list[date]:
        return [start] * founders + [
            asof - timedelta(days=int(rng.integers(10, 170))) for _ in range(n - founders)
        ]

    # --- planted emerging initiatives: young, multi-world, small, growing, near a bridge
    n_emerging = max(4, n_actors // 200)
    emerging: list[str] = []
    for k in range(n_emerging):
        v = bridges[k % len(bridges)]
        partners = partners_of.get(v) or []
        near = [v] if k % 2 == 0 or not partners else [partners[int(rng.integers(len(partners)))]]
        e = b.epci_of[near[0]]
        mem = multi_world(e, near, int(rng.integers(4, 7)))
        start = young_start()
        founders = max(2, len(mem) // 2)
        emerging.append(
            b.add_group(
                mem,
                e,
                initiative=True,
                start=start,
                stage=["EMERGENCE", "EXPERIMENTATION"][k % 2],
                joins=growing_joins(start, len(mem), founders),
            )
        )

    # --- decoys
    n_decoys = max(2, n_actors // 1000)
    decoys: dict[str, list[str]] = defaultdict(list)
    for k in range(n_decoys):
        e = epcis[int(np.argmax(epci_w))] if k == 0 else epcis[int(rng.integers(len(epcis)))]
        dep = dep_of_epci[e]
        pool = [i for e2 in epcis_of_dep[dep] for i in clusters[(e2, "ECONOMIC")]]
        hub = b.add_actor("COMPANY", b.commune_of[by_epci[e][0]], e)
        for _ in range(10):
            b.add_group(
                [hub] + pick(pool, int(rng.integers(8, 16))),
                dep,
                initiative=bool(rng.random() < 0.5),
                start=b.rand_date(START, date(2024, 1, 1)),
            )
        decoys["hub"].append(b.actors[hub]["id"])
        civ = clusters[(e, "CIVIL_SOCIETY")]
        idle = b.add_actor("ASSOCIATION", b.commune_of[by_epci[e][0]], e, declared=True)
        for _ in range(4):
            b.add_group(
                [idle] + pick(civ, int(rng.integers(3, 6))),
                e,
                initiative=False,
                start=b.rand_date(date(2012, 1, 1), date(2024, 1, 1)),
                lead_role="FACILITATOR",
            )
        decoys["idle_facilitator"].append(b.actors[idle]["id"])
    for k in range(n_emerging):
        v = bridges[k % len(bridges)]
        p = partners_of[v][0]
        e, w = b.epci_of[p], b.world[p]
        # young single-world project around a bridge's partner, growing
        mem = [p] + [x for x in pick(clusters[(e, w)], 5) if x != p][:4]
        start = young_start()
        decoys["young_single_world"].append(
            b.add_group(
                mem,
                e,
                initiative=True,
                start=start,
                stage="EMERGENCE",
                joins=growing_joins(start, len(mem), 2),
            )
        )
        # old multi-world project with a bridge in it
        mem = multi_world(b.epci_of[v], [v], 5)
        start = b.rand_date(date(2005, 1, 1), date(2010, 1, 1))
        decoys["old"].append(
            b.add_group(mem, e, initiative=True, start=start, stage="CONSOLIDATION")
        )
        # one-partner project of a bridge
        start = young_start()
        decoys["one_partner"].append(
            b.add_group([v], e, initiative=True, start=start, stage="EMERGENCE")
        )

    return GeneratedEcosystem(
        territories=territories,
        actors=b.actors,
        initiatives=b.initiatives,
        alliances=b.alliances,
        memberships=b.memberships,
        planted_bridges=[b.actors[v]["id"] for v in bridges],
        planted_emerging=emerging,
        decoys=dict(decoys),
        as_of=asof,
    )


# --- rows → Snapshot -----------------------------------------------------------


def parse_date(text: str | None) -> date | None:
    """ISO ``2024-03-01``, ``2024-03`` or ``2024`` (first day); empty → None."""
    if not text:
        return None
    parts = [int(p) for p in str(text).split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _split(text: Any) -> tuple[str, ...]:
    return tuple(x.strip() for x in str(text or "").split(";") if x.strip())


def snapshot_from_rows(
    rows: Mapping[str, Sequence[Mapping[str, Any]]] | GeneratedEcosystem,
    revision: str = "generated",
) -> Snapshot:
    """A :class:`Snapshot` from workbook rows (column names of ``formats.md``),
    as the store would read it after an import. For tests and benchmarks."""
    if isinstance(rows, GeneratedEcosystem):
        rows = rows.rows()
    parents = {r["code"]: _split(r.get("parent")) for r in rows.get("territories", ())}
    actors = tuple(
        ActorRec(
            id=r["id"],
            name=r.get("name", r["id"]),
            kind=r["kind"],
            world=WORLD_OF_KIND[ActorKind(r["kind"])].value,
            territories=_split(r.get("territory")),
            declared_roles=_split(r.get("declared_roles")),
        )
        for r in rows.get("actors", ())
    )
    carried: dict[str, list[str]] = defaultdict(list)
    groups: list[GroupRec] = []
    for r in rows.get("alliances", ()):
        for i in _split(r.get("carries")):
            carried[i].append(r["id"])
        groups.append(
            GroupRec(
                id=r["id"],
                group="alliance",
                name=r.get("name", r["id"]),
                type=r.get("type") or None,
                horizon=r.get("horizon") or None,
                since=parse_date(r.get("since")),
                until=parse_date(r.get("until")),
                territories=_split(r.get("territory")),
            )
        )
    for r in rows.get("initiatives", ()):
        groups.append(
            GroupRec(
                id=r["id"],
                group="initiative",
                name=r.get("name", r["id"]),
                started_on=parse_date(r.get("started_on")),
                stage=r.get("stage") or None,
                territories=_split(r.get("territory")),
                carried_by=tuple(carried.get(r["id"], ())),
            )
        )
    memberships = tuple(
        MembershipRec(
            actor=r["actor"],
            group=r["target"],
            role=r.get("role") or "PARTNER",
            since=parse_date(r.get("since")),
            until=parse_date(r.get("until")),
        )
        for r in rows.get("memberships", ())
    )
    return Snapshot(actors, tuple(groups), memberships, parents, revision)
