"""The read side of the API on the demo ecosystem, on the real Neo4j.

The demo is loaded once for the module (the queries only read), so these tests
share one graph: ``demo`` below, not the per-test ``demo_client``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from graphmap.services import loading
from tests.conftest import _wipe, gql

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo(neo4j_uri: str, settings: Any, _migrated: None) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from graphmap.web import create_app

    with TestClient(create_app(settings, neo4j_uri)) as client:

        async def prepare() -> None:
            db = client.app.state.db
            await _wipe(db)
            await loading.load_demo(db)

        client.portal.call(prepare)
        yield client


@pytest.fixture(scope="module")
def sheets() -> dict[str, list[dict[str, Any]]]:
    """The demo as rows: the expected answers are computed from the file."""
    return loading.demo_sheets()


def ok(client: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = gql(client, query, variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def error_message(client: Any, query: str, variables: dict[str, Any] | None = None) -> str:
    body = gql(client, query, variables)
    assert body.get("errors"), body
    return " ".join(e["message"] for e in body["errors"])


def all_ids(client: Any, field: str, filter_: dict[str, Any] | None, key: str = "id") -> set[str]:
    """Every id a list query returns for ``filter_`` (one page of 500)."""
    typename = {
        "actors": "Actor",
        "initiatives": "Initiative",
        "alliances": "Alliance",
        "territories": "Territory",
    }[field]
    query = (
        f"query($f: {typename}Filter) {{ {field}(filter: $f, first: 500) "
        f"{{ totalCount pageInfo {{ hasNextPage }} edges {{ node {{ {key} }} }} }} }}"
    )
    conn = ok(client, query, {"f": filter_})[field]
    ids = [e["node"][key] for e in conn["edges"]]
    assert conn["totalCount"] == len(ids) == len(set(ids))
    assert conn["pageInfo"]["hasNextPage"] is False
    return set(ids)


# --- territories below a code, computed from the demo file ---------------------


def below(sheets: dict[str, list[dict[str, Any]]], code: str) -> set[str]:
    """``code`` and every territory under it (PART_OF, any depth)."""
    g = nx.DiGraph()
    for t in sheets["territories"]:
        for p in t.get("parent") or []:
            g.add_edge(t["code"], p)
    if code not in g:
        return {code}
    return {code} | set(nx.ancestors(g, code))


def located_in(rows: list[dict[str, Any]], codes: set[str]) -> set[str]:
    return {r["id"] for r in rows if set(r.get("territory") or []) & codes}


# --- one object ------------------------------------------------------------------


def test_actor_by_id(demo: Any, sheets: Any) -> None:
    data = ok(
        demo,
        """{ actor(id: "actor:fondation-caisse-epargne") {
        id name kind world territories { code }
        alliances { id } initiatives { id }
        memberships { role alliance { id } initiative { id } }
        provenance { createdBy createdAt updatedAt source } } }""",
    )
    actor = data["actor"]
    assert actor["kind"] == "FOUNDATION" and actor["world"] == "FUNDING"
    assert [t["code"] for t in actor["territories"]] == ["69123"]
    expected = {
        m["target"] for m in sheets["memberships"] if m["actor"] == "actor:fondation-caisse-epargne"
    }
    got = {a["id"] for a in actor["alliances"]} | {i["id"] for i in actor["initiatives"]}
    assert got == expected and got
    assert len(actor["memberships"]) == len(expected)
    assert actor["provenance"]["createdBy"] == "graphmap demo"
    assert actor["provenance"]["createdAt"] and actor["provenance"]["updatedAt"]
    assert ok(demo, '{ actor(id: "actor:nobody") { id } }')["actor"] is None


def test_initiative_by_id(demo: Any, sheets: Any) -> None:
    data = ok(
        demo,
        """{ initiative(id: "init:labo-des-partenariats") {
        id name form stage themes territories { code }
        contributors { role actor { id } } alliances { id } } }""",
    )
    ini = data["initiative"]
    assert ini["name"] == "Labo des partenariats"
    assert ini["form"] == "PARTNERSHIP_SUPPORT" and ini["stage"] == "SCALING"
    assert set(ini["themes"]) == {"ECONOMIC_DEVELOPMENT", "SOCIAL_COHESION"}
    assert {t["code"] for t in ini["territories"]} == {"area:alsace", "area:poitou-charentes"}
    carriers = {
        a["id"]
        for a in sheets["alliances"]
        if "init:labo-des-partenariats" in (a.get("carries") or [])
    }
    assert {a["id"] for a in ini["alliances"]} == carriers
    contributors = {
        m["actor"] for m in sheets["memberships"] if m["target"] == "init:labo-des-partenariats"
    }
    assert {c["actor"]["id"] for c in ini["contributors"]} == contributors


def test_territory_parent_parents_children(demo: Any, sheets: Any) -> None:
    data = ok(
        demo,
        """{
      dep: territory(code: "69") { code name level parent { code } parents { code }
                                   childrenCount children(first: 10) { totalCount edges { node { code } } } }
      reg: territory(code: "R84") { level parent { code } childrenCount
                                    children(first: 2) { totalCount pageInfo { hasNextPage endCursor }
                                                         edges { node { code } } } }
      area: territory(code: "area:alsace") { parents { code } parent { code } }
      fr: territory(code: "FR") { parent { code } parents { code } }
      none: territory(code: "99999") { code }
    }""",
    )
    dep = data["dep"]
    assert dep["level"] == "DEPARTEMENT" and dep["name"] == "Rhône"
    assert dep["parent"] == {"code": "R84"} and dep["parents"] == [{"code": "R84"}]
    assert dep["childrenCount"] == 1 == dep["children"]["totalCount"]
    assert dep["children"]["edges"] == [{"node": {"code": "69123"}}]
    reg = data["reg"]
    assert reg["level"] == "REGION" and reg["parent"] == {"code": "FR"}
    children = {t["code"] for t in sheets["territories"] if "R84" in (t.get("parent") or [])}
    assert reg["childrenCount"] == len(children) == reg["children"]["totalCount"]
    assert reg["children"]["pageInfo"]["hasNextPage"] is (len(children) > 2)
    assert {e["node"]["code"] for e in reg["children"]["edges"]} <= children
    assert {p["code"] for p in data["area"]["parents"]} == {"67", "68"}
    assert data["area"]["parent"]["code"] in {"67", "68"}
    assert data["fr"] == {"parent": None, "parents": []}
    assert data["none"] is None


def test_alliance_by_id(demo: Any, sheets: Any) -> None:
    data = ok(
        demo,
        """{ alliance(id: "alliance:fnce-rameau") {
        id name type horizon since until territories { code }
        members { role since actor { id name } alliance { id } } initiatives { id name } } }""",
    )
    al = data["alliance"]
    assert al["type"] == "SOCIETAL_INNOVATION" and al["horizon"] == "STRATEGIC"
    assert al["since"] == "2013-01-01" and al["until"] is None
    row = next(a for a in sheets["alliances"] if a["id"] == "alliance:fnce-rameau")
    assert {i["id"] for i in al["initiatives"]} == set(row["carries"])
    members = {
        m["actor"]: m["role"]
        for m in sheets["memberships"]
        if m["target"] == "alliance:fnce-rameau"
    }
    assert {m["actor"]["id"]: m["role"] for m in al["members"]} == members
    assert all(m["alliance"]["id"] == "alliance:fnce-rameau" for m in al["members"])
    assert ok(demo, '{ alliance(id: "alliance:none") { id } }')["alliance"] is None


# --- lists and their filters ------------------------------------------------------------


def test_actor_filters(demo: Any, sheets: Any) -> None:
    actors = sheets["actors"]
    assert all_ids(demo, "actors", None) == {a["id"] for a in actors}
    assert all_ids(demo, "actors", {"kinds": ["FUNDER", "FOUNDATION"]}) == {
        a["id"] for a in actors if a["kind"] in ("FUNDER", "FOUNDATION")
    }
    assert all_ids(demo, "actors", {"worlds": ["PUBLIC"]}) == {
        a["id"] for a in actors if a["kind"] in ("LOCAL_AUTHORITY", "STATE_BODY")
    }
    # sub-territories included: R84 holds 69 which holds Lyon (69123)
    in_r84 = all_ids(demo, "actors", {"territory": "R84"})
    assert "actor:ville-de-lyon" in in_r84  # located in 69123
    assert "actor:prefecture-du-rhone" in in_r84  # located in 69
    assert "actor:caisse-epargne-rhone-alpes" in in_r84  # in an area PART_OF R84
    assert in_r84 == located_in(actors, below(sheets, "R84"))
    assert "actor:le-rameau" not in in_r84  # France is above, not below
    assert all_ids(demo, "actors", {"territory": "69123"}) == located_in(actors, {"69123"})
    assert all_ids(demo, "actors", {"text": "caisse"}) == {
        a["id"] for a in actors if "caisse" in a["name"].lower()
    }
    both = all_ids(demo, "actors", {"territory": "R84", "kinds": ["LOCAL_AUTHORITY"]})
    assert both == {"actor:ville-de-lyon"}
    declared = {a["id"] for a in actors if "FACILITATOR" in (a.get("declared_roles") or [])}
    assert all_ids(demo, "actors", {"declaredRole": "FACILITATOR"}) == declared
    assert all_ids(demo, "actors", {"territory": "nowhere"}) == set()


def test_initiative_filters(demo: Any, sheets: Any) -> None:
    rows = sheets["initiatives"]
    assert all_ids(demo, "initiatives", None) == {r["id"] for r in rows}
    assert all_ids(demo, "initiatives", {"forms": ["COLLECTIVE_EXPERIMENT"]}) == {
        r["id"] for r in rows if r.get("form") == "COLLECTIVE_EXPERIMENT"
    }
    assert all_ids(demo, "initiatives", {"stages": ["EMERGENCE", "SCALING"]}) == {
        r["id"] for r in rows if r.get("stage") in ("EMERGENCE", "SCALING")
    }
    assert all_ids(demo, "initiatives", {"themes": ["HEALTH", "AGEING"]}) == {
        "init:telemedecine-haute-montagne",
        "init:silver-geek",
    }
    in_r84 = all_ids(demo, "initiatives", {"territory": "R84"})
    assert "init:rehabilitation-ancienne-prison-lyon" in in_r84
    assert in_r84 == located_in(rows, below(sheets, "R84"))
    assert all_ids(demo, "initiatives", {"text": "PARTENARIATS"}) == {
        r["id"] for r in rows if "partenariats" in r["name"].lower()
    }
    assert all_ids(
        demo, "initiatives", {"territory": "R84", "stages": ["EMERGENCE"], "themes": ["EMPLOYMENT"]}
    ) == {"init:pole-accompagnement-pme-lyon", "init:start-up-de-territoire"}  # Lyon, Dieulefit


def test_alliance_filters(demo: Any, sheets: Any) -> None:
    rows = sheets["alliances"]
    assert all_ids(demo, "alliances", None) == {r["id"] for r in rows}
    assert all_ids(demo, "alliances", {"types": ["PHILANTHROPY", "RESPONSIBLE_PRACTICES"]}) == {
        r["id"] for r in rows if r.get("type") in ("PHILANTHROPY", "RESPONSIBLE_PRACTICES")
    }
    assert all_ids(demo, "alliances", {"horizons": ["OPERATIONAL"]}) == {
        r["id"] for r in rows if r.get("horizon") == "OPERATIONAL"
    }
    assert all_ids(demo, "alliances", {"territory": "R84"}) == located_in(
        rows, below(sheets, "R84")
    )
    assert "alliance:ancienne-prison-lyon" in all_ids(demo, "alliances", {"territory": "69"})
    assert all_ids(demo, "alliances", {"text": "rameau"}) == {
        r["id"] for r in rows if "rameau" in r["name"].lower()
    }

    def active(day: str) -> set[str]:
        out = set()
        for r in rows:
            since = (r.get("since") or "0000").ljust(10, "-")[:4]
            until = (r.get("until") or "9999")[:4]
            if since <= day[:4] <= until:
                out.add(r["id"])
        return out

    # 2014-06-01: fnce-rameau (2013) and caisse-des-depots-rameau (2006) run; the
    # 2015-2016 diagnostics and the 2016 alliances do not; undated ones do.
    at_2014 = all_ids(demo, "alliances", {"activeAt": "2014-06-01"})
    assert "alliance:fnce-rameau" in at_2014
    assert "alliance:caisses-epargne-rameau-diagnostics" not in at_2014
    assert "alliance:cget-catalyseurs" not in at_2014
    assert at_2014 == active("2014-06-01")
    at_2017 = all_ids(demo, "alliances", {"activeAt": "2017"})
    assert "alliance:caisses-epargne-rameau-diagnostics" not in at_2017  # until 2016
    assert "alliance:cget-catalyseurs" in at_2017
    assert "alliance:caisses-epargne-rameau-diagnostics" in all_ids(
        demo, "alliances", {"activeAt": "15/06/2015"}
    )
    message = error_message(demo, '{ alliances(filter: {activeAt: "next year"}) { totalCount } }')
    assert "activeAt" in message and "next year" in message


def test_territory_filters(demo: Any, sheets: Any) -> None:
    rows = sheets["territories"]
    assert all_ids(demo, "territories", None, "code") == {t["code"] for t in rows}
    assert all_ids(demo, "territories", {"levels": ["REGION"]}, "code") == {
        t["code"] for t in rows if t["level"] == "REGION"
    }
    assert all_ids(demo, "territories", {"parent": "R84"}, "code") == {
        t["code"] for t in rows if "R84" in (t.get("parent") or [])
    }
    within = all_ids(demo, "territories", {"within": "R84"}, "code")
    assert "69123" in within and "R84" not in within
    assert within == below(sheets, "R84") - {"R84"}
    assert all_ids(demo, "territories", {"text": "lyon"}, "code") == {"69123"}
    assert all_ids(demo, "territories", {"within": "R84", "levels": ["COMMUNE"]}, "code") == {
        "69123",
        "26281",
    }


# --- pagination ----------------------------------------------------------------


@pytest.mark.parametrize("field", ["actors", "initiatives", "alliances", "territories"])
def test_relay_pagination_walks_every_page(demo: Any, field: str) -> None:
    key = "code" if field == "territories" else "id"
    query = (
        f"query($after: String) {{ {field}(first: 7, after: $after) {{ totalCount "
        f"pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {key} }} }} }} }}"
    )
    seen: list[str] = []
    totals: set[int] = set()
    after = None
    for _ in range(100):
        conn = ok(demo, query, {"after": after})[field]
        totals.add(conn["totalCount"])
        page = [e["node"][key] for e in conn["edges"]]
        seen.extend(page)
        assert conn["edges"] == [] or conn["pageInfo"]["endCursor"] == conn["edges"][-1]["cursor"]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        assert len(page) == 7
        after = conn["pageInfo"]["endCursor"]
    else:
        pytest.fail("pagination never ended")
    assert len(totals) == 1
    assert len(seen) == len(set(seen)) == totals.pop()
    assert seen == sorted(seen)


def test_pagination_errors(demo: Any) -> None:
    message = error_message(demo, '{ actors(first: 5, after: "%%%not-a-cursor") { totalCount } }')
    assert "after" in message
    message = error_message(demo, "{ actors(first: 501) { totalCount } }")
    assert "first" in message and "501" in message
    message = error_message(demo, "{ actors(first: -1) { totalCount } }")
    assert "first" in message
    # a cursor past the end: an empty last page, not an error
    import base64

    past = base64.urlsafe_b64encode(b"zzzz").decode()
    conn = ok(
        demo,
        "query($a: String) { actors(first: 5, after: $a) { totalCount "
        "pageInfo { hasNextPage endCursor } edges { node { id } } } }",
        {"a": past},
    )
    assert conn["actors"]["edges"] == [] and conn["actors"]["pageInfo"]["hasNextPage"] is False
    first_zero = ok(demo, "{ actors(first: 0) { totalCount edges { node { id } } } }")["actors"]
    assert first_zero["edges"] == [] and first_zero["totalCount"] > 0


# --- search ----------------------------------------------------------------------


SEARCH = """query($t: String!) { search(text: $t) {
  __typename ... on Actor { id name } ... on Initiative { id name }
  ... on Alliance { id name } ... on Territory { code name } } }"""


def found(client: Any, text: str) -> list[str]:
    return [h.get("id") or h.get("code") for h in ok(client, SEARCH, {"t": text})["search"]]


def test_search_french_full_text(demo: Any) -> None:
    hits = ok(demo, SEARCH, {"t": "partenariat"})["search"]
    names = {h["name"] for h in hits}
    assert "Labo des partenariats" in names  # singular finds plural (French stemming)
    assert {h["__typename"] for h in hits} >= {"Initiative", "Actor"}
    # accents: "depots" finds "Dépôts", "telemedecine" finds "Télémédecine"
    assert "actor:caisse-des-depots" in found(demo, "depots")
    assert "init:telemedecine-haute-montagne" in found(demo, "télémédecine")
    assert "init:telemedecine-haute-montagne" in found(demo, "telemedecine")
    # several words must all match
    assert found(demo, "caisse dépôts")[0] == "actor:caisse-des-depots" or (
        "actor:caisse-des-depots" in found(demo, "caisse dépôts")
    )
    # prefix of the last word (search as you type)
    assert "init:labo-des-partenariats" in found(demo, "labo parten")
    assert "69123" in found(demo, "Lyon")
    assert found(demo, "xylophoneabsent") == []
    assert found(demo, "   ") == []


@pytest.mark.parametrize(
    "text",
    [
        "(",
        '"',
        "labo (",
        "AND",
        "OR NOT",
        "*",
        "~",
        "\\",
        "a:b",
        '"unclosed',
        "labo && ||",
        "[1 TO 2]",
        "+-!",
        "l'ess",
        "/",
    ],
)
def test_search_special_characters_do_not_crash(demo: Any, text: str) -> None:
    ok(demo, SEARCH, {"t": text})


def test_search_too_long_is_an_error(demo: Any) -> None:
    assert "text" in error_message(demo, SEARCH, {"t": "a" * 201})


# --- neighbourhood and path -------------------------------------------------------------


def participation_graph(sheets: dict[str, list[dict[str, Any]]]) -> nx.Graph:
    g = nx.Graph()
    for m in sheets["memberships"]:
        g.add_edge(m["actor"], m["target"])
    for a in sheets["alliances"]:
        for i in a.get("carries") or []:
            g.add_edge(a["id"], i)
    return g


NODE_IDS = """nodes { __typename ... on Actor { id } ... on Initiative { id } ... on Alliance { id } }
              edges { source target type role }"""


def test_neighbourhood(demo: Any, sheets: Any) -> None:
    g = participation_graph(sheets)
    start = "alliance:fnce-rameau"
    for depth in (1, 2):
        data = ok(
            demo, f'{{ neighbourhood(id: "{start}", depth: {depth}) {{ truncated {NODE_IDS} }} }}'
        )
        hood = data["neighbourhood"]
        ids = {n["id"] for n in hood["nodes"]}
        expected = set(nx.single_source_shortest_path_length(g, start, cutoff=depth))
        assert ids == expected
        assert hood["truncated"] is False
        for e in hood["edges"]:
            assert e["source"] in ids and e["target"] in ids
            assert e["type"] in ("MEMBER_OF", "CONTRIBUTES_TO", "CARRIES")
        pairs = {frozenset((e["source"], e["target"])) for e in hood["edges"]}
        assert pairs <= {frozenset(e) for e in g.subgraph(ids).edges}
        if depth == 1:
            assert pairs == {frozenset((start, n)) for n in g[start]}
    assert "depth" in error_message(
        demo, '{ neighbourhood(id: "actor:fnce", depth: 9) { truncated } }'
    )
    message = error_message(demo, '{ neighbourhood(id: "actor:nobody", depth: 1) { truncated } }')
    assert "actor:nobody" in message


PATH = """query($a: ID!, $b: ID!) { path(from: $a, to: $b) { length
  actors { id } edges { source target type }
  nodes { __typename ... on Actor { id } ... on Initiative { id } ... on Alliance { id } } } }"""


def test_path_between_actors_without_a_shared_alliance(demo: Any, sheets: Any) -> None:
    g = participation_graph(sheets)
    source, target = "actor:le-rameau", "actor:france-active"
    shared = set(g[source]) & set(g[target])
    assert not shared  # they share no alliance or initiative directly
    path = ok(demo, PATH, {"a": source, "b": target})["path"]
    chain = [n["id"] for n in path["nodes"]]
    assert chain[0] == source and chain[-1] == target
    assert path["length"] == len(path["edges"]) == len(chain) - 1
    assert path["length"] == nx.shortest_path_length(g, source, target) == 4
    for a, b in itertools.pairwise(chain):
        assert g.has_edge(a, b)
    for (a, b), e in zip(itertools.pairwise(chain), path["edges"], strict=True):
        assert {e["source"], e["target"]} == {a, b}
    assert [a["id"] for a in path["actors"]][0] == source
    assert len(path["actors"]) == 3  # the introducer in the middle


def test_path_unconnected_same_and_unknown(demo: Any, sheets: Any) -> None:
    g = participation_graph(sheets)
    a, b = "actor:le-rameau", "actor:habitat-et-humanisme"
    assert not nx.has_path(g, a, b)
    assert ok(demo, PATH, {"a": a, "b": b})["path"] is None
    same = ok(demo, PATH, {"a": a, "b": a})["path"]
    assert same["length"] == 0 and [n["id"] for n in same["nodes"]] == [a]
    message = error_message(demo, PATH, {"a": a, "b": "actor:nobody"})
    assert "actor:nobody" in message and "not found" in message.lower()
    message = error_message(demo, PATH, {"a": "alliance:fnce-rameau", "b": a})
    assert "alliance:fnce-rameau" in message
