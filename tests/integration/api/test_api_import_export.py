"""Import and export through HTTP: the multipart ``importWorkbook`` mutation,
``GET /export/{format}`` for each format and scope, and round trips through
networkx, igraph and the import workbook itself."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pytest

from graphmap.services import exports, writer
from tests.archives import zipped
from tests.conftest import gql

pytestmark = pytest.mark.integration

IMPORT = """mutation($file: Upload!, $dryRun: Boolean) {
  importWorkbook(file: $file, dryRun: $dryRun) {
    __typename
    ... on ImportSummary { rows created updated unchanged dryRun notes
                           sheets { sheet created updated unchanged } }
    ... on InvalidInput { message errors { file row field value message } }
  }
}"""


def upload(client: Any, name: str, data: bytes, dry_run: bool = False) -> dict[str, Any]:
    operations = json.dumps({"query": IMPORT, "variables": {"file": None, "dryRun": dry_run}})
    response = client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, data, "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["importWorkbook"]
    return result


BOOK = {
    "territories.csv": "code;name;level;parent\nR84;ARA;REGION;\n69;Rhône;DEPARTEMENT;R84\n"
    "69123;Lyon;COMMUNE;69\nR11;IDF;REGION;\n75056;Paris;COMMUNE;R11\n",
    "actors.csv": "id;name;kind;territory\na1;=cmd|' /C calc'!A0;ASSOCIATION;69123\n"
    "a2;Beta;COMPANY;69123\na3;Gamma;NETWORK;75056\n",
    "alliances.csv": "id;name;since;until\nold;Old pact;2010;2015-12-31\nnew;New pact;2020;\n",
    "initiatives.csv": "id;name;started_on\ni1;Lab;2024-03-01\n",
    "memberships.csv": "actor;target;role;since\na1;old;LEAD;2010\na2;old;;2010\n"
    "a1;new;;2020\na2;new;;2021\na3;new;;2020\na1;i1;;\na2;i1;;\n",
}


def test_multipart_import_then_reimport(client: Any) -> None:
    data = zipped(BOOK)
    dry = upload(client, "book.zip", data, dry_run=True)
    assert dry["__typename"] == "ImportSummary" and dry["dryRun"] and dry["created"] == 18
    first = upload(client, "book.zip", data)
    assert first["created"] == 18 and first["unchanged"] == 0
    again = upload(client, "book.zip", data)
    assert again["created"] == again["updated"] == 0 and again["unchanged"] == 18


def test_an_upload_from_another_site_is_refused(client: Any) -> None:
    """A page of another site could make the browser post a workbook here
    (a multipart form is sent cross-site without asking): refused, nothing
    written. The map's own requests, and clients that are not browsers, pass."""
    operations = json.dumps({"query": IMPORT, "variables": {"file": None, "dryRun": False}})
    form = {"operations": operations, "map": json.dumps({"0": ["variables.file"]})}
    files = {"0": ("book.zip", zipped(BOOK), "application/octet-stream")}
    for origin in ("http://evil.example", "null"):
        response = client.post("/graphql", data=form, files=files, headers={"origin": origin})
        assert response.status_code == 403, response.text
        assert "another site" in response.json()["errors"][0]["message"]
    assert client.get("/healthz").json()["counts"]["actors"] == 0
    same = client.post("/graphql", data=form, files=files, headers={"origin": "http://testserver"})
    assert same.status_code == 200 and same.json()["data"]["importWorkbook"]["created"] == 18
    # a body a page may also send without asking first
    plain = {"origin": "http://evil.example", "content-type": "text/plain"}
    sent = client.post("/graphql", content=json.dumps({"query": "{ __typename }"}), headers=plain)
    assert sent.status_code == 403
    # JSON is preflighted by browsers (and nothing here allows it): it passes,
    # so the map works behind a proxy that rewrites Host
    behind = client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://map.example"}
    )
    assert behind.status_code == 200 and behind.json()["data"] == {"__typename": "Query"}
    # a query over GET from another site's <img> or script (it can start an
    # analysis run): refused; from the map itself, or a visit, answered
    url = "/graphql?query=%7B__typename%7D"
    foreign = {"sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors"}
    assert client.get(url, headers=foreign).status_code == 403
    own = {"sec-fetch-site": "same-origin", "sec-fetch-mode": "cors"}
    assert client.get(url, headers=own).json()["data"] == {"__typename": "Query"}
    visit = {"sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "accept": "text/html"}
    assert client.get("/graphql", headers=visit).status_code == 200


def test_allowed_origins_may_upload(neo4j_uri: str, settings: Any, db: Any) -> None:
    """Behind a proxy that rewrites Host, the map's own address is named in
    GRAPHMAP_ALLOWED_ORIGINS; the 403 says so."""
    from starlette.testclient import TestClient

    from graphmap.web import create_app

    operations = json.dumps({"query": IMPORT, "variables": {"file": None, "dryRun": True}})
    form = {"operations": operations, "map": json.dumps({"0": ["variables.file"]})}
    files = {"0": ("book.zip", zipped(BOOK), "application/octet-stream")}
    allowed = dataclasses.replace(settings, allowed_origins="https://map.example/, http://other")
    with TestClient(create_app(allowed, neo4j_uri)) as client:
        for origin in ("https://map.example", "HTTP://OTHER"):
            sent = client.post("/graphql", data=form, files=files, headers={"origin": origin})
            assert sent.json()["data"]["importWorkbook"]["created"] == 18, origin
        refused = client.post(
            "/graphql", data=form, files=files, headers={"origin": "https://map.example.org"}
        )
        assert refused.status_code == 403
        assert "GRAPHMAP_ALLOWED_ORIGINS" in refused.json()["errors"][0]["message"]


@pytest.mark.parametrize("files_map", ['["x"]', '{"0": ["variables.file.x.y"]}'])
def test_a_malformed_upload_map_is_a_bad_request(client: Any, files_map: str) -> None:
    operations = json.dumps({"query": IMPORT, "variables": {"file": None, "dryRun": True}})
    response = client.post(
        "/graphql",
        data={"operations": operations, "map": files_map},
        files={"0": ("book.zip", zipped(BOOK), "application/octet-stream")},
    )
    assert response.status_code == 400, response.text


def test_an_upload_over_the_limit_is_refused(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from graphmap.api import io as api_io

    monkeypatch.setattr(api_io, "MAX_UPLOAD", 1000)
    result = upload(client, "big.csv", b"id;name;kind\n" + b"a;b;COMPANY\n" * 200)
    assert result["__typename"] == "InvalidInput"
    assert result["errors"][0]["message"] == "is larger than 0 MiB"


def test_multipart_import_reports_every_bad_row(client: Any) -> None:
    bad = dict(BOOK)
    bad["actors.csv"] += "a4;Delta;PIRATE;69123\na5;;COMPANY;nowhere\n"
    result = upload(client, "book.zip", zipped(bad))
    assert result["__typename"] == "InvalidInput"
    found = {(e["file"], e["row"], e["field"], e["value"]) for e in result["errors"]}
    assert found == {
        ("book.zip:actors.csv", 5, "kind", "PIRATE"),
        ("book.zip:actors.csv", 6, "name", None),
    }
    assert client.get("/healthz").json()["counts"]["actors"] == 0


def test_xlsx_upload(client: Any) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "territories"
    ws.append(["code", "name", "level"])
    ws.append([69123.0, "Lyon", "COMMUNE"])
    buf = io.BytesIO()
    wb.save(buf)
    result = upload(client, "book.xlsx", buf.getvalue())
    assert result["created"] == 1, result


@pytest.fixture
def loaded(client: Any) -> Any:
    assert upload(client, "book.zip", zipped(BOOK))["created"] == 18
    return client


def _get(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return bytes(response.content)


def test_export_url_field(loaded: Any) -> None:
    body = gql(
        loaded,
        '{ exportUrl(format: GEXF, territory: "69", asOf: "2012-01-01", projection: ACTORS) }',
    )
    url = body["data"]["exportUrl"]
    assert url == "/export/gexf?projection=actors&territory=69&asOf=2012-01-01"
    assert loaded.get(url).status_code == 200
    # an unknown territory is refused when the link is made, not when it is followed
    body = loaded.post("/graphql", json={"query": '{ exportUrl(format: CSV, territory: "R99") }'})
    assert body.json()["errors"][0]["message"] == "Territory 'R99' not found"


def test_graphml_round_trip_networkx_and_igraph(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    path.write_bytes(_get(loaded, "/export/graphml"))
    g = nx.read_graphml(path)
    assert g.number_of_nodes() == 5 + 3 + 2 + 1
    # 4 PART_OF, 3 + 2 + 1 LOCATED_IN... (alliances/initiatives have none), 5 MEMBER_OF, 2 CONTRIBUTES_TO
    types = sorted(d["type"] for _, _, d in g.edges(data=True))
    assert types.count("MEMBER_OF") == 5 and types.count("CONTRIBUTES_TO") == 2
    assert types.count("PART_OF") == 3 and types.count("LOCATED_IN") == 3
    assert g.nodes["a1"]["name"] == "=cmd|' /C calc'!A0" and g.nodes["a1"]["entity"] == "Actor"
    assert g.nodes["a1"]["territories"] == "69123"
    assert g.edges["a1", "old"]["role"] == "LEAD" and g.edges["a1", "old"]["since"] == "2010-01-01"
    i = ig.Graph.Read_GraphML(str(path))
    assert i.vcount() == g.number_of_nodes() and i.ecount() == g.number_of_edges()
    assert {v["id"] for v in i.vs} == set(g.nodes)
    assert {(i.vs[e.source]["id"], i.vs[e.target]["id"]) for e in i.es} == set(g.edges)


def test_gexf_and_json_round_trip(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "g.gexf"
    path.write_bytes(_get(loaded, "/export/gexf"))
    g = nx.read_gexf(path)
    j = nx.node_link_graph(json.loads(_get(loaded, "/export/json")), edges="edges")
    h = nx.read_graphml(io.BytesIO(_get(loaded, "/export/graphml")))
    assert set(g.nodes) == set(j.nodes) == set(h.nodes)
    assert set(g.edges) == set(j.edges) == set(h.edges)
    for n in h.nodes:
        for k, v in h.nodes[n].items():
            assert g.nodes[n][k] == v, (n, k)
            assert j.nodes[n][k] == v or j.nodes[n][k] == [v], (n, k)


def test_csv_export_is_neutralised(loaded: Any) -> None:
    z = zipfile.ZipFile(io.BytesIO(_get(loaded, "/export/csv")))
    nodes = {
        r["id"]: r for r in csv.DictReader(io.StringIO(z.read("nodes.csv").decode("utf-8-sig")))
    }
    assert nodes["a1"]["name"] == "'=cmd|' /C calc'!A0"
    edges = list(csv.DictReader(io.StringIO(z.read("edges.csv").decode("utf-8-sig"))))
    assert len(edges) == 13 and list(edges[0])[:3] == ["source", "target", "type"]


def test_exports_leave_out_the_staged_import_tag(
    client: Any, db: Any, runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staged import tags the nodes it creates with its id (to undo them);
    that bookkeeping is not an attribute analysts get."""
    monkeypatch.setattr(writer, "STAGE_ABOVE", 0)
    assert upload(client, "book.zip", zipped(BOOK))["created"] == 18
    assert runner.run(_tagged(db)) == 11  # every node the import created carries it
    z = zipfile.ZipFile(io.BytesIO(_get(client, "/export/csv")))
    exported = [z.read(name) for name in z.namelist()]
    exported += [_get(client, f"/export/{fmt}") for fmt in ("graphml", "gexf", "json")]
    for data in exported:
        assert b"a1" in data and b"importId" not in data


async def _tagged(db: Any) -> int:
    async def work(tx: Any) -> int:
        result = await tx.run("MATCH (n) WHERE n.importId IS NOT NULL RETURN count(n) AS n")
        return int((await result.single())["n"])

    return int(await db.read(work))


@pytest.mark.parametrize("projection", ["full", "actors"])
def test_exports_read_in_small_pages_are_the_same(
    loaded: Any, monkeypatch: pytest.MonkeyPatch, projection: str
) -> None:
    """Pages of 2 source nodes (every statement over several pages) give the
    same export as one page each."""
    url = f"/export/json?projection={projection}"
    whole = json.loads(_get(loaded, url))
    monkeypatch.setattr(exports, "PAGE", 2)
    monkeypatch.setattr(exports, "PAGES", {"exports.actor_ties": 2})
    paged = json.loads(_get(loaded, url))
    for data in (whole, paged):
        data["graph"].pop("exportedAt")
    assert paged == whole
    assert len(whole["nodes"]) == (11 if projection == "full" else 3) and whole["edges"]


def test_territory_and_as_of_scopes(loaded: Any) -> None:
    g = nx.node_link_graph(json.loads(_get(loaded, "/export/json?territory=R84")), edges="edges")
    assert {n for n, d in g.nodes(data=True) if d["entity"] == "Actor"} == {"a1", "a2"}
    assert {n for n, d in g.nodes(data=True) if d["entity"] == "Territory"} == {
        "R84",
        "69",
        "69123",
    }
    assert {"old", "new", "i1"} <= set(g.nodes)  # groups with an in-scope member
    assert ("a3", "new") not in g.edges
    p = nx.node_link_graph(
        json.loads(_get(loaded, "/export/json?projection=actors&asOf=2012-06-01")), edges="edges"
    )
    assert not p.is_directed()
    # in 2012 only the old pact ran and the lab had not started: a1-a2 share one thing
    assert set(map(frozenset, p.edges)) == {frozenset({"a1", "a2"})}
    assert p.edges["a1", "a2"]["weight"] == 1
    now = nx.node_link_graph(
        json.loads(_get(loaded, "/export/json?projection=actors")), edges="edges"
    )
    assert now.edges["a1", "a2"]["weight"] == 3 and now.edges["a1", "a3"]["weight"] == 1


def test_a_territory_scope_reaches_every_depth(client: Any) -> None:
    """Named areas may nest deeper than the administrative levels: the
    export's scope, as the map's and the analysis', follows PART_OF down to
    the bottom (it stopped 8 levels down)."""
    chain = "".join(f"z{i};Zone {i};AREA;{f'z{i - 1}' if i else ''}\n" for i in range(12))
    book = {
        "territories.csv": "code;name;level;parent\n" + chain,
        "actors.csv": "id;name;kind;territory\ndeep;Deep;ASSOCIATION;z11\n",
    }
    assert upload(client, "deep.zip", zipped(book))["created"] == 13
    g = nx.node_link_graph(json.loads(_get(client, "/export/json?territory=z0")), edges="edges")
    assert "deep" in g.nodes and "z11" in g.nodes and ("deep", "z11") in g.edges


def test_export_errors(client: Any) -> None:
    assert client.get("/export/pdf").status_code == 400
    assert client.get("/export/json?territory=NOPE").status_code == 404
    assert client.get("/export/json?asOf=yesterday").status_code == 400
    # a misspelt or repeated parameter would export another scope without a word
    misspelt = client.get("/export/json?as_of=2023-01-01")
    assert misspelt.status_code == 400
    assert misspelt.json()["error"].startswith("unknown parameter 'as_of': expected asOf,")
    twice = client.get("/export/json?territory=NOPE&territory=R84")
    assert twice.status_code == 400 and twice.json()["error"].startswith("territory given twice")
    assert client.get("/export/json?territory=&asOf=&projection=full").status_code == 200
    actors = client.get("/export/workbook?projection=actors")  # was the full workbook
    assert actors.status_code == 400 and "the workbook holds the full graph" in actors.text
    url = client.post(
        "/graphql", json={"query": "{ exportUrl(format: WORKBOOK, projection: ACTORS) }"}
    )
    assert "the workbook holds the full graph" in url.json()["errors"][0]["message"]


def test_metrics_of_the_latest_run_are_attributes(loaded: Any) -> None:
    async def measure() -> None:
        async def work(tx: Any) -> None:
            await tx.run(
                "CREATE (r:AnalysisRun {id: 'run1', scopeKey: '*|*', status: 'done', "
                "createdAt: datetime()}) WITH r MATCH (a:Actor {id: 'a1'}) "
                "CREATE (r)-[:MEASURED {degree: 2, betweenness: 0.5, community: 1}]->(a)"
            )

        await loaded.app.state.db.write(work)

    loaded.portal.call(measure)
    g = nx.read_graphml(io.BytesIO(_get(loaded, "/export/graphml")))
    assert g.nodes["a1"]["betweenness"] == 0.5 and g.nodes["a1"]["degree"] == 2
    assert "betweenness" not in g.nodes["a2"]
    assert g.graph["analysisRun"] == "run1"


def test_workbook_export_imports_back_identically(loaded: Any) -> None:
    data = _get(loaded, "/export/workbook")
    before = nx.read_graphml(io.BytesIO(_get(loaded, "/export/graphml")))
    again = upload(loaded, "export.zip", data)
    assert again["created"] == again["updated"] == 0 and again["unchanged"] == 18

    # into an empty database: the same graph
    async def wipe() -> None:
        async def work(tx: Any) -> None:
            await tx.run("MATCH (n) DETACH DELETE n")

        await loaded.app.state.db.write(work)

    loaded.portal.call(wipe)
    fresh = upload(loaded, "export.zip", data)
    assert fresh["created"] == 18, fresh
    after = nx.read_graphml(io.BytesIO(_get(loaded, "/export/graphml")))
    assert set(after.nodes) == set(before.nodes) and set(after.edges) == set(before.edges)
    skip = {"createdAt", "updatedAt", "createdBy"}
    for n in before.nodes:
        assert {k: v for k, v in after.nodes[n].items() if k not in skip} == {
            k: v for k, v in before.nodes[n].items() if k not in skip
        }


def test_links_to_deleted_nodes_survive_a_workbook_round_trip(client: Any) -> None:
    """The exports leave out what was deleted, links to it included; the
    import of such a workbook leaves those links alone (it changes nothing),
    and restoring the deleted node brings them back."""
    book = {  # lists in one cell, quoted
        "territories.csv": "code;name;level;parent\nR84;ARA;REGION;\n69;Rhône;DEPARTEMENT;R84\n"
        'area:m69;Métropole;AREA;R84\n69123;Lyon;COMMUNE;"69;area:m69"\n',
        "actors.csv": 'id;name;kind;territory\na1;Alpha;ASSOCIATION;"69123;area:m69"\n',
        "initiatives.csv": "id;name\ni1;Lab\ni2;Fab\n",
        "alliances.csv": 'id;name;territory;carries\nal;Pact;"69123;area:m69";"i1;i2"\n',
    }
    assert upload(client, "book.zip", zipped(book))["created"] == 8
    for mutation in ('deleteTerritory(code: "area:m69")', 'deleteInitiative(id: "i2")'):
        gql(client, f"mutation {{ {mutation} {{ __typename }} }}")
    exported = _get(client, "/export/workbook")
    again = upload(client, "export.zip", exported)
    assert again["created"] == again["updated"] == 0, again

    def links() -> set[tuple[str, str, str]]:
        g = nx.read_graphml(io.BytesIO(_get(client, "/export/graphml")))
        return {(a, b, d["type"]) for a, b, d in g.edges(data=True)}

    assert ("a1", "area:m69", "LOCATED_IN") not in links()  # deleted: not exported
    restore = {
        "territories.csv": "code;name;level;parent\narea:m69;Métropole;AREA;R84\n",
        "initiatives.csv": "id;name\ni2;Fab\n",
    }
    assert upload(client, "restore.zip", zipped(restore))["updated"] == 2
    assert {
        ("a1", "area:m69", "LOCATED_IN"),
        ("al", "area:m69", "LOCATED_IN"),
        ("al", "i2", "CARRIES"),
        ("69123", "area:m69", "PART_OF"),
    } <= links()


def test_link_lists_are_exported_sorted(client: Any) -> None:
    """The same graph exports the same files, whatever order Neo4j keeps
    the links in."""
    book = {
        "territories.csv": "code;name;level\nR84;ARA;REGION\nR11;IDF;REGION\nR93;PACA;REGION\n",
        "actors.csv": 'id;name;kind;territory\na1;A;ASSOCIATION;"R93;R11;R84"\n',
        "initiatives.csv": "id;name\ni3;C\ni1;A\ni2;B\n",
        "alliances.csv": 'id;name;territory;carries\nal;P;"R84;R11";"i3;i1;i2"\n',
    }
    upload(client, "book.zip", zipped(book))
    g = nx.read_graphml(io.BytesIO(_get(client, "/export/graphml")))
    assert g.nodes["a1"]["territories"] == "R11;R84;R93"
    assert g.nodes["al"]["territories"] == "R11;R84"
    with zipfile.ZipFile(io.BytesIO(_get(client, "/export/workbook"))) as z:
        alliances = list(csv.DictReader(io.StringIO(z.read("alliances.csv").decode("utf-8-sig"))))
    assert (alliances[0]["territory"], alliances[0]["carries"]) == ("R11;R84", "i1;i2;i3")


def test_a_dated_export_holds_what_the_map_shows(client: Any) -> None:
    """At a date, an actor whose ties all start later is on neither (it had
    not joined yet), and a group is in a territory's scope through ties
    active on that day only."""
    book = {
        "territories.csv": "code;name;level;parent\nR84;ARA;REGION;\n69;Rhône;DEPARTEMENT;R84\n"
        "69123;Lyon;COMMUNE;69\nR11;IDF;REGION;\n75056;Paris;COMMUNE;R11\n",
        "actors.csv": "id;name;kind;territory\na1;A;ASSOCIATION;69123\n"
        "a2;B;COMPANY;75056\na3;C;NETWORK;75056\n",
        "alliances.csv": "id;name;since\nal;Pact;2010\n",
        "memberships.csv": "actor;target;since;until\na1;al;2010;\na2;al;2010;2012\na3;al;2018;\n",
    }
    upload(client, "book.zip", zipped(book))
    for territory, shown in (("", {"a1", "a2", "al"}), ("R11", {"a2"})):
        q = '{ mapGraph(territory: %s, asOf: "2015-06-01") { nodes { id } } }'
        on_map = gql(client, q % (f'"{territory}"' if territory else "null"))
        assert {n["id"] for n in on_map["data"]["mapGraph"]["nodes"]} == shown, territory
        url = f"/export/graphml?territory={territory}&asOf=2015-06-01"
        g = nx.read_graphml(io.BytesIO(_get(client, url)))
        exported = {n for n, d in g.nodes(data=True) if d["entity"] != "Territory"}
        assert exported == shown, territory


def test_template_download_is_the_empty_workbook(client: Any) -> None:
    import openpyxl

    response = client.get("/template.xlsx")
    assert response.status_code == 200
    assert "graphmap-template.xlsx" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == [
        "README",
        "territories",
        "actors",
        "initiatives",
        "alliances",
        "memberships",
    ]
    header = next(book["actors"].iter_rows(values_only=True))
    assert header[:3] == ("id", "name", "kind")
    # it imports as an empty workbook: nothing to do, nothing wrong
    result = upload(client, "graphmap-template.xlsx", response.content, dry_run=True)
    assert result["__typename"] == "ImportSummary" and result["rows"] == 0
