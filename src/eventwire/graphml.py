"""Stored events as a GraphML network (for networkx, Gephi, igraph): actors as nodes, source -> target edges.

An actor is who the store groups events by (Store.pairs, the web's graph): its CAMEO-style code where it
has one (IRNMIL), else its name. An edge carries the number of events from its source to its target, in all
and per PLOVER type. Events without both a source and a target have no edge and are left out.
"""
from __future__ import annotations

import re
from collections import Counter
from xml.sax.saxutils import escape, quoteattr

from .ontology import PLOVER_TYPES

# Characters XML 1.0 forbids (control characters other than tab and line breaks, lone surrogates,
# U+FFFE/U+FFFF); article text is untrusted and may carry any of them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NODE_KEYS = (("label", "string"), ("country", "string"), ("code", "string"), ("events", "int"))


class Network:
    def __init__(self):
        self.names: dict[str, Counter] = {}
        self.country: dict[str, str] = {}
        self.code: dict[str, str] = {}
        self.events: Counter = Counter()
        self.edges: dict[tuple[str, str], Counter] = {}

    def add(self, event: dict) -> bool:
        """Count one event; False when it lacks a source or a target."""
        if not event.get("source_name") or not event.get("target_name"):
            return False
        ends = [self.actor(event, side) for side in ("source", "target")]
        self.edges.setdefault((ends[0], ends[1]), Counter())[event["type"]] += 1
        return True

    def actor(self, event: dict, side: str) -> str:
        key = event.get(f"{side}_code") or event[f"{side}_name"]
        self.names.setdefault(key, Counter())[event[f"{side}_name"]] += 1
        if event.get(f"{side}_country"):
            self.country.setdefault(key, event[f"{side}_country"])
        if event.get(f"{side}_code"):
            self.code.setdefault(key, event[f"{side}_code"])
        self.events[key] += 1
        return key

    def label(self, key: str) -> str:
        """The name the actor goes by most often (the first in alphabetical order on a tie)."""
        return min(self.names[key].items(), key=lambda item: (-item[1], item[0]))[0]

    def write(self, stream) -> None:
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                     'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                     'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for name, kind in NODE_KEYS:
            stream.write(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
        stream.write('  <key id="events_edge" for="edge" attr.name="events" attr.type="int"/>\n')
        for t in PLOVER_TYPES:
            stream.write(f'  <key id="{t}" for="edge" attr.name="{t}" attr.type="int"/>\n')
        stream.write('  <graph id="eventwire" edgedefault="directed">\n')
        for key in sorted(self.events):
            values = {"label": self.label(key), "country": self.country.get(key), "code": self.code.get(key),
                      "events": self.events[key]}
            stream.write(f"    <node id={attr(key)}>{data(values)}</node>\n")
        for (source, target), types in sorted(self.edges.items()):
            values = {"events_edge": sum(types.values()), **{t: types.get(t, 0) for t in PLOVER_TYPES}}
            stream.write(f"    <edge source={attr(source)} target={attr(target)}>{data(values)}</edge>\n")
        stream.write("  </graph>\n</graphml>\n")


def xml_text(value) -> str:
    return NOT_XML.sub("", str(value))


def attr(value) -> str:
    return quoteattr(xml_text(value))


def data(values: dict) -> str:
    return "".join(f'<data key="{k}">{escape(xml_text(v))}</data>' for k, v in values.items() if v is not None)
