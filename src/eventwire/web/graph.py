"""The actor graph: who acts on whom, drawn from the stored events.

A node is an actor as a reader names it: a person by the canonical name the actors stage gave (one node
whatever CAMEO codes the articles gave them), an organisation, body or group by its name and country, a
bare country by its country; or, aggregated, every actor of a country as that country. An edge is
(source, target, side) with its event count, the side being the PLOVER type's (cooperation or conflict),
never the CAMEO quad class, which can disagree with the type (an investigation is ACCUSE, quad class 2).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, case, func, literal_column, or_, select, true

from ..data import rows as data_rows
from ..ontology import COOPERATIVE
from ..store import schema as s
from ..store.queries import EventFilter, ordered
from .queries import rows, with_links
from .settled import SETTLED, sql_order

EVENTS, ACTORS = s.events.c, s.actors.c
BY = ("actor", "country")
DEFAULT_TOP = 40            # the strongest links drawn by default: enough to see the story, few enough to read
DEFAULT_NODES = 60          # and never more actors than this unless asked
MAX_TOP = 500
# An actor named twice in one article with two kinds: the person wins, then the country, then a body.
KIND_RANK = {"person": 1, "country": 2, "organization": 3, "group": 4, "place": 5}
RANKED_KINDS = {rank: kind for kind, rank in KIND_RANK.items()}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    return {r["iso3"]: r["name"] for r in data_rows("countries.tsv")}


def side_of(event_type: str | None) -> str:
    return "cooperation" if event_type in COOPERATIVE else "conflict"


def side_expression():
    """The PLOVER side in SQL; constants inline (our own, never input) so PostgreSQL sees one GROUP BY expression."""
    cooperative = [literal_column(f"'{t}'") for t in sorted(COOPERATIVE)]
    return case((EVENTS.type.in_(cooperative), literal_column("'cooperation'")), else_=literal_column("'conflict'"))


def kind_rank(side: str):
    """The kind the actors table gives this event's actor in its article (events do not keep it)."""
    rank = case(*((ACTORS.kind == literal_column(f"'{kind}'"), literal_column(str(n))) for kind, n in KIND_RANK.items()),
                else_=literal_column("9"))
    # One seek in the (article, name, kind) index: scanning the article's actors per event was quadratic in a
    # long article (2,000 events and 2,500 actors: 13 s for the graph).
    return (select(func.min(rank)).where(ACTORS.article_id == EVENTS.article_id,
                                         ACTORS.name == getattr(EVENTS, f"{side}_name"))
            .correlate(s.events).scalar_subquery())


@dataclass(frozen=True)
class Node:
    key: str
    name: str
    kind: str
    country: str | None = None


def node_of(name: str, country: str | None, kind: str | None, by: str, aliases: dict[str, str]) -> Node | None:
    """The node an event's actor belongs to: one rule, for the graph and for the events behind a click.

    None for a person or group of no known country in the countries' view: they belong to none of them.
    """
    if country and (by == "country" or kind == "country"):
        return Node(f"country:{country}", country_names().get(country, country), "country", country)
    if by == "country" and kind in ("person", "group"):
        return None
    if kind == "person":
        name = aliases.get(name, name)
        return Node(f"person:{name}", name, "person")           # its country: the one most of its events give
    return Node(f"actor:{name}|{country or ''}", name, kind or "actor", country)


def person_aliases(pairs: list[dict]) -> dict[str, str]:
    """A surname standing alone ("Obama") for the one full name that ends with it ("Barack Obama").

    Articles that never give the full name leave the bare surname as the canonical name; when two full names
    share the surname ("Tony Blair", "Ian Blair") the surname stays a node of its own rather than be guessed.
    """
    person = KIND_RANK["person"]
    names = {r[f"{side}n"] for r in pairs for side in "st" if r[f"{side}k"] == person}
    full: dict[str, set[str]] = defaultdict(set)
    for name in names:
        words = name.split()
        if len(words) > 1:
            full[words[-1].lower()].add(name)
    return {name: min(full[name.lower()]) for name in names
            if " " not in name.strip() and len(full.get(name.lower(), ())) == 1}


def where(f: EventFilter | None, *extra):
    return and_(*(f or EventFilter()).clauses(), *extra)


PAIR_KEY = ("sn", "sc", "sk", "tn", "tc", "tk", "side")


def pair_counts(store, f: EventFilter | None) -> list[dict]:
    """Events counted per (source, target) as stored, with each side's kind and the PLOVER side."""
    if store.is_sqlite and not (f and f.clauses()):
        counts = SETTLED.sums(store, "graph pairs", pair_query, PAIR_KEY, EVENTS.article_id)
        return [{**dict(zip(PAIR_KEY, key)), "n": n} for key, n in sorted(counts.items(), key=sql_order)]
    return rows(store, pair_query(where(f, true())))


def pair_query(clause):
    inner = (select(EVENTS.source_name.label("sn"), EVENTS.source_country.label("sc"), kind_rank("source").label("sk"),
                    EVENTS.target_name.label("tn"), EVENTS.target_country.label("tc"), kind_rank("target").label("tk"),
                    side_expression().label("side"))
             .where(and_(clause, EVENTS.source_name.is_not(None), EVENTS.target_name.is_not(None))).subquery())
    c = inner.c
    return select(c.sn, c.sc, c.sk, c.tn, c.tc, c.tk, c.side, func.count().label("n")).group_by(
        c.sn, c.sc, c.sk, c.tn, c.tc, c.tk, c.side)


class Tally:
    """Nodes and edges folded from the stored pairs."""

    def __init__(self, by: str, aliases: dict[str, str]):
        self.by, self.aliases = by, aliases
        self.nodes: dict[str, Node] = {}
        self.events: Counter = Counter()
        self.countries: dict[str, Counter] = defaultdict(Counter)
        self.edges: Counter = Counter()
        self.seen: dict[tuple, Node | None] = {}      # node_of of each (name, country, rank), made once

    def node(self, name: str, country: str | None, rank: int | None, n: int) -> str | None:
        said = (name, country, rank)
        if said not in self.seen:
            self.seen[said] = node_of(name, country, RANKED_KINDS.get(rank), self.by, self.aliases)
        node = self.seen[said]
        if node is None:
            return None
        self.nodes.setdefault(node.key, node)
        if country:
            self.countries[node.key][country] += n
        return node.key

    def add(self, row: dict) -> None:
        n = row["n"]
        source = self.node(row["sn"], row["sc"], row["sk"], n)
        target = self.node(row["tn"], row["tc"], row["tk"], n)
        if source is None or target is None:
            return
        self.events[source] += n
        if target != source:
            self.events[target] += n
            self.edges[(source, target, row["side"])] += n

    def country(self, key: str) -> str | None:
        """A node's country: its own, else the one most of its events give (ties: alphabetical)."""
        node = self.nodes[key]
        if node.country or not self.countries[key]:
            return node.country
        return min(self.countries[key].items(), key=lambda item: (-item[1], item[0]))[0]

    def node_json(self, key: str) -> dict:
        node, country = self.nodes[key], self.country(key)
        label = node.name if node.kind == "country" or not country else f"{node.name} ({country})"
        return {"id": key, "name": node.name, "kind": node.kind, "country": country, "label": label,
                "events": self.events[key]}


def strongest(edges: Counter, nodes: dict[str, Node], top: int, max_nodes: int) -> list[tuple]:
    """The `top` edges with the most events, skipping any that would bring in more than `max_nodes` actors."""
    ranked = sorted(edges.items(), key=lambda item: (-item[1], nodes[item[0][0]].name, nodes[item[0][1]].name,
                                                     item[0]))
    chosen, seen = [], set()
    for (source, target, side), n in ranked:
        if len(chosen) == top:
            break
        if len(seen | {source, target}) > max_nodes:
            continue
        seen |= {source, target}
        chosen.append((source, target, side, n))
    return chosen


def graph(store, f: EventFilter | None, by: str = "actor", top: int = DEFAULT_TOP,
          max_nodes: int = DEFAULT_NODES) -> dict:
    """The strongest edges among actors (or countries), their nodes, and how much was left out."""
    pairs = pair_counts(store, f)
    tally = Tally(by, person_aliases(pairs))
    for row in pairs:
        tally.add(row)
    chosen = strongest(tally.edges, tally.nodes, top, max_nodes)
    keys = sorted({k for e in chosen for k in e[:2]}, key=lambda k: (-tally.events[k], k))
    return {"by": by, "top": top, "edges_total": len(tally.edges), "nodes_total": len(tally.events),
            "nodes": [tally.node_json(k) for k in keys],
            "edges": [{"source": a, "target": b, "tone": side, "n": n} for a, b, side, n in chosen]}


# The events behind a click -------------------------------------------------------------------------

def parse_key(key: str) -> tuple[str, str, str | None]:
    """(kind of key, name or country, country) of a node id; ValueError when it is none of ours."""
    prefix, _, rest = key.partition(":")
    if prefix == "country" and rest:
        return prefix, rest, rest
    if prefix == "person" and rest:
        return prefix, rest, None
    if prefix == "actor" and "|" in rest:
        name, _, country = rest.rpartition("|")
        return prefix, name, country or None
    raise ValueError(f"{key!r} is not a node of the graph (country:ISO3, person:NAME or actor:NAME|ISO3)")


def side_clause(key: str, side: str, aliases: dict[str, str]):
    """A first cut in SQL (by country, or by the name and the surnames that stand for it); node_of decides."""
    prefix, value, _ = parse_key(key)
    if prefix == "country":
        return getattr(EVENTS, f"{side}_country") == value
    names = [value] + sorted(alias for alias, full in aliases.items() if full == value)
    return getattr(EVENTS, f"{side}_name").in_(names)


def keys_of(event: dict, by: str, aliases: dict[str, str]) -> tuple[str, str] | None:
    """The (source, target) nodes of a stored event, or None when the graph leaves it out."""
    nodes = [node_of(event[f"{side}_name"], event[f"{side}_country"], RANKED_KINDS.get(event[f"{side}_rank"]), by,
                     aliases) for side in ("source", "target")]
    return (nodes[0].key, nodes[1].key) if all(nodes) else None


def events_where(store, f: EventFilter | None, clause, keep, limit: int) -> dict:
    """Events matching the filter and the SQL cut that `keep` accepts, newest first, at most `limit`."""
    query = (select(s.events, kind_rank("source").label("source_rank"), kind_rank("target").label("target_rank"))
             .where(where(f, clause, EVENTS.source_name.is_not(None), EVENTS.target_name.is_not(None)))
             .order_by(ordered(EVENTS.date, True), EVENTS.id))
    found = [e for e in rows(store, query) if keep(e)]
    for e in found:
        del e["source_rank"], e["target_rank"]
    return {"total": len(found), "items": with_sides(with_links(store, found[:limit]))}


def with_sides(events: list[dict]) -> list[dict]:
    """The event's side as the graph draws it (by type), for its badge in the list beside the graph."""
    for e in events:
        e["cooperative"] = e["type"] in COOPERATIVE
    return events


def edge_events(store, f: EventFilter | None, source: str, target: str, tone: str = "any", by: str = "actor",
                limit: int = 100) -> dict:
    aliases = person_aliases(pair_counts(store, f))
    clause = and_(side_clause(source, "source", aliases), side_clause(target, "target", aliases))
    if tone in ("cooperation", "conflict"):
        clause = and_(clause, side_expression() == literal_column(f"'{tone}'"))
    return events_where(store, f, clause, lambda e: keys_of(e, by, aliases) == (source, target), limit)


def node_events(store, f: EventFilter | None, key: str, by: str = "actor", limit: int = 100) -> dict:
    """The events with this node on either side (an event within the node, a country's own, counts too)."""
    aliases = person_aliases(pair_counts(store, f))
    clause = or_(side_clause(key, "source", aliases), side_clause(key, "target", aliases))
    return events_where(store, f, clause, lambda e: key in (keys_of(e, by, aliases) or ()), limit)
