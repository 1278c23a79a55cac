"""GEXF 1.3 (Gephi's own format), written by hand as a stream. Attributes are
declared typed (``long``, ``double``, ``boolean``, ``string``) so Gephi can
size and colour by them; the node label is its name; an edge ``weight``
attribute becomes GEXF's native edge weight."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import quoteattr

from graphmap.io.export_graphml import _xml, attr
from graphmap.io.export_model import Declared, Edge, Node, Schema, markup, text

_NS = "http://gexf.net/1.3"


class GEXFWriter:
    media_type = "application/gexf+xml"
    extension = "gexf"

    def __init__(self) -> None:
        self.node_attrs: list[Declared] = []
        self.edge_attrs: list[Declared] = []
        self.edge_count = 0

    def begin(self, schema: Schema) -> bytes:
        today = datetime.now(UTC).date().isoformat()
        description = "; ".join(f"{k}={v}" for k, v in schema.graph_attrs.items())
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<gexf xmlns="{_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{_NS} {_NS}/gexf.xsd" version="1.3">\n',
            f'  <meta lastmodifieddate="{today}"><creator>graphmap</creator>'
            f"<description>{_xml(description)}</description></meta>\n",
        ]
        kind = "directed" if schema.directed else "undirected"
        out.append(f'  <graph mode="static" defaultedgetype="{kind}">\n')
        out.append('    <attributes class="node" mode="static">\n')
        for i, a in enumerate(schema.node_attrs):
            self.node_attrs.append((f'<attvalue for="{i}" value=', a.name, a.type))
            out.append(f'      <attribute id="{i}" title={quoteattr(a.name)} type="{a.type}"/>\n')
        out.append("    </attributes>\n")
        out.append('    <attributes class="edge" mode="static">\n')
        for i, a in enumerate(a for a in schema.edge_attrs if a.name != "weight"):
            self.edge_attrs.append((f'<attvalue for="{i}" value=', a.name, a.type))
            out.append(f'      <attribute id="{i}" title={quoteattr(a.name)} type="{a.type}"/>\n')
        out.append("    </attributes>\n    <nodes>\n")
        return "".join(out).encode()

    def node(self, node: Node) -> bytes:
        label = node.attrs.get("name") or node.id
        parts = [f"      <node id={attr(node.id)} label={attr(text(label))}><attvalues>"]
        parts.append(markup(node.attrs, self.node_attrs, attr, "/>"))
        parts.append("</attvalues></node>\n")
        return "".join(parts).encode()

    def edges_begin(self) -> bytes:
        return b"    </nodes>\n    <edges>\n"

    def edge(self, edge: Edge) -> bytes:
        attrs = edge.attrs
        weight = attrs.get("weight")
        extra = "" if weight is None else f' weight="{text(weight)}"'
        parts = [
            f'      <edge id="{self.edge_count}" source={attr(edge.source)} '
            f"target={attr(edge.target)}{extra}><attvalues>"
        ]
        self.edge_count += 1
        parts.append(markup(attrs, self.edge_attrs, attr, "/>"))
        parts.append("</attvalues></edge>\n")
        return "".join(parts).encode()

    def end(self) -> bytes:
        return b"    </edges>\n  </graph>\n</gexf>\n"
