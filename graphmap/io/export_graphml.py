"""GraphML, written by hand as a stream (networkx, igraph, Gephi and yEd read
it). Attributes are declared with their types in ``<key>`` elements before
the graph; lists are ``;``-joined text, dates ISO text."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from graphmap.io.export_model import Declared, Edge, Node, Schema, markup

_NS = "http://graphml.graphdrawing.org/xmlns"
_TYPES = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}


# what XML 1.0 cannot hold, even escaped: most control characters, lone
# surrogates and the noncharacters U+FFFE, U+FFFF
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_CONTROL = re.compile(f"[{_NOT_XML}]")
_SPECIAL = re.compile(f"[&<>\r{_NOT_XML}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\t\n\r{_NOT_XML}]')


def clean(value: str) -> str:
    """Drop what XML 1.0 cannot hold (``_NOT_XML``)."""
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def _xml(value: str) -> str:
    """Element text: escaped; a carriage return as a character reference,
    which an XML parser would otherwise turn into a line feed."""
    # most values hold nothing to escape or drop: one scan says so
    if _SPECIAL.search(value) is None:
        return value
    return escape(clean(value), {"\r": "&#13;"})


def attr(value: str) -> str:
    """``value`` as a quoted XML attribute value, control characters dropped
    (``quoteattr``, which takes about 1 µs, only when something needs it)."""
    return quoteattr(clean(value)) if _ATTR_SPECIAL.search(value) else f'"{value}"'


class GraphMLWriter:
    media_type = "application/graphml+xml"
    extension = "graphml"

    def __init__(self) -> None:
        self.node_keys: list[Declared] = []
        self.edge_keys: list[Declared] = []
        self.edge_count = 0

    def begin(self, schema: Schema) -> bytes:
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<graphml xmlns="{_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{_NS} {_NS}/1.0/graphml.xsd">\n',
        ]
        for i, name in enumerate(schema.graph_attrs):
            out.append(
                f'  <key id="g{i}" for="graph" attr.name={quoteattr(name)} attr.type="string"/>\n'
            )
        for prefix, attrs, target, keys in (
            ("n", schema.node_attrs, "node", self.node_keys),
            ("e", schema.edge_attrs, "edge", self.edge_keys),
        ):
            for i, a in enumerate(attrs):
                key = f"{prefix}{i}"
                keys.append((f'<data key="{key}">', a.name, a.type))
                out.append(
                    f'  <key id="{key}" for="{target}" attr.name={quoteattr(a.name)} '
                    f'attr.type="{_TYPES[a.type]}"/>\n'
                )
        edgedefault = "directed" if schema.directed else "undirected"
        out.append(f'  <graph id="G" edgedefault="{edgedefault}">\n')
        for i, value in enumerate(schema.graph_attrs.values()):
            out.append(f'    <data key="g{i}">{_xml(value)}</data>\n')
        return "".join(out).encode()

    def node(self, node: Node) -> bytes:
        data = markup(node.attrs, self.node_keys, _xml, "</data>")
        return f"    <node id={attr(node.id)}>{data}</node>\n".encode()

    def edges_begin(self) -> bytes:
        return b""

    def edge(self, edge: Edge) -> bytes:
        head = (
            f'    <edge id="e{self.edge_count}" source={attr(edge.source)} '
            f"target={attr(edge.target)}>"
        )
        self.edge_count += 1
        return f"{head}{markup(edge.attrs, self.edge_keys, _xml, '</data>')}</edge>\n".encode()

    def end(self) -> bytes:
        return b"  </graph>\n</graphml>\n"
