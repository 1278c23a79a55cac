"""The streamed writers produce files networkx, igraph and spreadsheets read
back with the same nodes, edges and typed attributes."""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from pathlib import Path

import igraph as ig
import networkx as nx
import pytest

from graphmap.io.csv_workbook import neutralise
from graphmap.io.export_csv import CSVZipWriter, ZipCSV
from graphmap.io.export_gexf import GEXFWriter
from graphmap.io.export_graphml import GraphMLWriter, attr
from graphmap.io.export_json import JSONWriter
from graphmap.io.export_model import Attribute, Edge, Node, Schema, attr_type

SCHEMA = Schema(
    directed=True,
    node_attrs=[
        Attribute("entity", "string"),
        Attribute("name", "string"),
        Attribute("population", "long"),
        Attribute("pagerank", "double"),
        Attribute("evaluated", "boolean"),
        Attribute("themes", "string"),
    ],
    edge_attrs=[Attribute("type", "string"), Attribute("role", "string")],
    graph_attrs={"territory": "*"},
)
NODES = [
    Node("a1", {"entity": "Actor", "name": '=HYPERLINK("x")', "pagerank": 0.25}),
    Node("t<1>", {"entity": "Territory", "name": "Lyon & co", "population": 522250}),
    Node(
        "al1",
        {"entity": "Alliance", "name": "Pacte", "evaluated": True, "themes": ["HEALTH", "CULTURE"]},
    ),
]
EDGES = [
    Edge("a1", "al1", {"type": "MEMBER_OF", "role": "LEAD"}),
    Edge("a1", "t<1>", {"type": "LOCATED_IN"}),
]


def _write(writer: object) -> bytes:
    w = writer
    parts = [w.begin(SCHEMA)]  # type: ignore[attr-defined]
    parts += [w.node(n) for n in NODES]  # type: ignore[attr-defined]
    parts.append(w.edges_begin())  # type: ignore[attr-defined]
    parts += [w.edge(e) for e in EDGES]  # type: ignore[attr-defined]
    parts.append(w.end())  # type: ignore[attr-defined]
    return b"".join(parts)


def _check(g: nx.Graph) -> None:
    assert set(g.nodes) == {"a1", "t<1>", "al1"}
    assert set(g.edges) == {("a1", "al1"), ("a1", "t<1>")}
    assert g.nodes["t<1>"]["population"] == 522250
    assert g.nodes["a1"]["pagerank"] == pytest.approx(0.25)
    assert g.nodes["al1"]["evaluated"] is True
    assert g.nodes["al1"]["themes"] == "HEALTH;CULTURE"
    assert g.nodes["a1"]["name"] == '=HYPERLINK("x")'  # XML keeps values as they are
    assert g.edges["a1", "al1"]["role"] == "LEAD"


def test_graphml_networkx_and_igraph(tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    path.write_bytes(_write(GraphMLWriter()))
    _check(nx.read_graphml(path))
    g = ig.Graph.Read_GraphML(str(path))
    assert g.is_directed() and g.vcount() == 3 and g.ecount() == 2
    v = g.vs.find(id="t<1>")
    assert v["population"] == 522250 and v["entity"] == "Territory"


def test_gexf_networkx(tmp_path: Path) -> None:
    path = tmp_path / "g.gexf"
    data = _write(GEXFWriter())
    assert b'xmlns="http://gexf.net/1.3"' in data and b'version="1.3"' in data
    assert b'type="long"' in data and b'type="double"' in data
    path.write_bytes(data)
    _check(nx.read_gexf(path))


def test_json_node_link() -> None:
    data = json.loads(_write(JSONWriter()))
    g = nx.node_link_graph(data, edges="edges")
    assert g.nodes["al1"]["themes"] == ["HEALTH", "CULTURE"]  # lists stay lists
    assert g.graph == {"territory": "*"} and g.is_directed()


def test_csv_zip_is_neutralised() -> None:
    z = zipfile.ZipFile(io.BytesIO(_write(CSVZipWriter())))
    assert z.namelist() == ["nodes.csv", "edges.csv"]
    nodes = list(csv.DictReader(io.StringIO(z.read("nodes.csv").decode("utf-8-sig"))))
    assert [n["id"] for n in nodes] == ["a1", "t<1>", "al1"]
    assert nodes[0]["name"] == '\'=HYPERLINK("x")'
    assert nodes[2]["evaluated"] == "true" and nodes[2]["themes"] == "HEALTH;CULTURE"
    edges = list(csv.DictReader(io.StringIO(z.read("edges.csv").decode("utf-8-sig"))))
    assert edges[0] == {"source": "a1", "target": "al1", "type": "MEMBER_OF", "role": "LEAD"}


def test_attr_types_from_cypher_value_types() -> None:
    assert attr_type(["INTEGER NOT NULL"]) == "long"
    assert attr_type(["INTEGER NOT NULL", "FLOAT NOT NULL"]) == "double"
    assert attr_type(["BOOLEAN NOT NULL"]) == "boolean"
    assert attr_type(["DATE NOT NULL"]) == "string"
    assert attr_type(["LIST<STRING NOT NULL> NOT NULL"]) == "string"
    assert attr_type(["INTEGER NOT NULL", "STRING NOT NULL"]) == "string"


def test_attr_types_from_the_property_schema() -> None:
    """The names db.schema.nodeTypeProperties() gives (exports.node_keys)."""
    assert attr_type(["Long"]) == "long"
    assert attr_type(["Long", "Double"]) == "double"
    assert attr_type(["Boolean"]) == "boolean"
    assert attr_type(["String"]) == "string"
    assert attr_type(["Date"]) == "string"
    assert attr_type(["DateTime"]) == "string"
    assert attr_type(["StringArray"]) == "string"
    assert attr_type(["Long", "String"]) == "string"


def test_csv_rows_match_csv_writer_on_awkward_cells() -> None:
    """Ordinary rows are joined directly (fast); the result is still exactly
    csv.writer's, neutralised, whatever the cells hold."""
    rng = random.Random(7)
    pieces = ["a", "é", ",", '"', "\r", "\n", " ", "'", "=", "+", "-", "@", "\t", "1", ""]
    rows = [
        [
            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
            for _ in range(rng.randint(2, 6))
        ]
        for _ in range(5000)
    ]
    out = ZipCSV()
    parts = [out.open("t.csv", ["h1", "h2"])]
    parts += [out.row(r) for r in rows]
    parts.append(out.close())
    written = zipfile.ZipFile(io.BytesIO(b"".join(parts))).read("t.csv").decode("utf-8-sig")
    expected = io.StringIO(newline="")
    w = csv.writer(expected, lineterminator="\r\n")
    w.writerow(["h1", "h2"])
    w.writerows([[neutralise(c) for c in r] for r in rows])
    assert written == expected.getvalue()
    assert any(r[0].startswith("=") for r in rows)  # the sample holds formula cells


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("a1", '"a1"'),
        ('say "hi"', "'say \"hi\"'"),
        ("a&b<c>", '"a&amp;b&lt;c&gt;"'),
        ("tab\there\x01", '"tab&#9;here"'),
    ],
)
def test_xml_attribute_values_are_escaped(value: str, quoted: str) -> None:
    assert attr(value) == quoted


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_stay_readable_whatever_the_text_holds(fmt: str, tmp_path: Path) -> None:
    """Noncharacters and lone surrogates, which XML cannot hold, are dropped
    (one such cell made the whole file unreadable); carriage returns come
    back as they went (an XML parser turns a raw one into a line feed);
    NaN metrics are written as XML Schema's NaN, not Python's nan."""
    schema = Schema(
        directed=True,
        node_attrs=[Attribute("description", "string"), Attribute("constraint", "double")],
        edge_attrs=[],
    )
    writer = GraphMLWriter() if fmt == "graphml" else GEXFWriter()
    node = Node(
        "a1", {"description": "l1\r\nl2\rl3 \ufffe\uffff\ud800ok", "constraint": float("nan")}
    )
    data = writer.begin(schema) + writer.node(node) + writer.edges_begin() + writer.end()
    assert b"nan" not in data.replace(b"NaN", b"")
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(data)
    g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert g.nodes["a1"]["description"] == "l1\r\nl2\rl3 ok"
    assert g.nodes["a1"]["constraint"] != g.nodes["a1"]["constraint"]  # NaN
    if fmt == "graphml":
        assert ig.Graph.Read_GraphML(str(path)).vs[0]["description"] == "l1\r\nl2\rl3 ok"
