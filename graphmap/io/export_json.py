"""JSON node-link (networkx's ``node_link_graph(data, edges="edges")`` reads
it back; d3 and graphology too). Values keep their JSON types: lists stay
lists, dates are ISO text."""

from __future__ import annotations

import json

import orjson

from graphmap.io.export_model import Edge, Node, Schema, plain


class JSONWriter:
    media_type = "application/json"
    extension = "json"

    def __init__(self) -> None:
        self.first = True

    def begin(self, schema: Schema) -> bytes:
        head = {"directed": schema.directed, "multigraph": False, "graph": schema.graph_attrs}
        return (json.dumps(head, ensure_ascii=False)[:-1] + ', "nodes": [\n').encode()

    def _item(self, data: dict[str, object]) -> bytes:
        # orjson: 5x json.dumps; what it cannot write (Neo4j temporal
        # values, should one come) goes through ``plain``
        out = orjson.dumps(data, default=plain)
        if self.first:
            self.first = False
            return out
        return b",\n" + out

    def node(self, node: Node) -> bytes:
        data: dict[str, object] = {"id": node.id}
        data.update({k: v for k, v in node.attrs.items() if v is not None})
        return self._item(data)

    def edges_begin(self) -> bytes:
        self.first = True
        return b'\n], "edges": [\n'

    def edge(self, edge: Edge) -> bytes:
        data: dict[str, object] = {"source": edge.source, "target": edge.target}
        data.update({k: v for k, v in edge.attrs.items() if v is not None})
        return self._item(data)

    def end(self) -> bytes:
        return b"\n]}\n"
