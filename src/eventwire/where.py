"""The where stage: a place on every event whose sentence names where it happened, and its quantities.

Places are the actor stage's locative mentions ("in London") and the recognizer's place names, each
resolved offline against the gazetteer (eventwire.gazetteer, GeoNames) the way a geoparser does: a
qualifier written beside the name ("Cano Colorada, Arauca Department"), then the story's own country,
then countries the sentence and the story name, then a clear lead in rank and size. A capital that acts
is an actor, never a location. Countries, regions and cities stay distinct places with points of their
own; a name the gazetteer cannot place with confidence is kept, without a point, in the story's country,
or not at all.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .actors.home import DATELINE, dateline, era_country
from .actors.kb import kb
from .actors.resolve import HOLIDAYS, phrase_head
from .gazetteer import Record, fold, gazetteer
from .model import Event, Extraction, Mention, Place
from .nlp import ents_of, text_of, tokens_starting
from .quantities import quantities_in
from .gazetteer import qualifier_after
from .when import happening_sentences



# Events that happen at a place (a bombing, an arrest, a march, a deployment); a statement, an
# accusation or a demand has no place unless its sentence names one.
PHYSICAL_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE"})
# How far back a physical event without a place of its own looks for the place the story is at.
CARRY_CHARS = 600
# "66 km west of San Salvador", "north of Tingo Maria", "10 miles from Aventura": a reference point,
# not where the event happened.
REFERENCE = re.compile(r"(?:\b(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of"
                       r"|\b(?:km|kilometers|kilometres|miles?|meters|metres)\s+(?:\w+\s+)?(?:from|of)"
                       r"|\b(?:outside|near)\s+of)\s+(?:the\s+)?(?:(?:\w+\s+)?(?:city|town|capital|village|port)\s+of\s+)?$", re.I)
# "IRNA, monitored by the BBC in London", "received in London": where a report was picked up, not where it happened.
RELAYED = re.compile(r"\b(?:monitored|received|intercepted)\b[^.,;:]{0,30}\b(?:in|at)\s+$", re.I)
# Landmarks named after the place they are at: "Guantanamo Bay", "Bagram Air Base", "Heathrow Airport".
LANDMARK_NOUNS = frozenset({"bay", "airport", "base", "camp", "prison", "harbour", "harbor", "port", "island"})
ADMIN_WORD = re.compile(r"\s+(?:Department|Province|Canton|Intendance|District|Municipality)$")
# "in this city", "in the capital", "this small suburb of St. Louis": the dateline's city speaking of itself
# ("the capital of Atlantico" is another city).
THIS_CITY = re.compile(r"\b(?:(?:in|at|near|outside|around) the (?:city|capital)\b(?! of\b)"
                       r"|this (?:\w+ )?(?:city|capital|town|suburb|village)\b)")
# Nouns whose "of" names a place: "residents of Quetzaltepeque", "the outskirts of Lima".
PLACE_OF_NOUNS = frozenset({"outskirts", "district", "department", "province", "town", "city", "village",
                            "resident", "inhabitant", "municipality", "region", "suburb", "centre", "center",
                            "north", "south", "east", "west", "jurisdiction", "area", "street", "water",
                            "territory", "border", "coast", "jungle", "slope", "soil", "airspace", "capital",
                            "neighborhood", "neighbourhood", "locality", "outskirt", "republic", "state",
                            "province", "island", "kingdom", "county", "parish", "valley", "port"})
# Facilities named after their place: "the Athens international airport" is in Athens.
FACILITY_NOUNS = frozenset({"airport", "prison", "jail", "port", "harbour", "harbor", "station", "hospital",
                            "stadium", "embassy", "consulate", "base", "barracks", "refinery", "mine", "plant"})
# Nouns for a part of a place that a name before them names: "the Rioja district", "a Managua industrial zone".
AREA_NOUNS = frozenset({"district", "neighborhood", "neighbourhood", "zone", "suburb", "sector", "region",
                        "province", "department", "municipality"})
# Nouns for happenings that a name before them places: "a Capitol Hill rally", "the Orlando shooting".
EVENT_NOUNS = frozenset({"rally", "protest", "march", "demonstration", "riot", "shooting", "attack", "bombing",
                         "blast", "explosion", "massacre", "summit", "conference", "meeting", "talks"})
MOTION_WORDS = frozenset({"trip", "visit", "travel", "fly", "go", "come", "arrive", "return", "head", "deploy", "relocate",
                          "move", "journey", "tour", "flee", "march", "sail", "drive", "mission", "send",
                          "dispatch", "advance", "push", "infiltrate", "cross", "extend", "spread", "expand"})
# Nouns for people whose "of" or modifier names where they come from or whom they represent.
ORIGIN_NOUNS = frozenset({"democrat", "republican", "senator", "representative", "legislator", "lawmaker",
                          "governor", "congressman", "congresswoman", "member", "native", "delegate", "delegation",
                          "independent", "conservative", "liberal", "mp", "sen.", "rep.", "resident", "voter",
                          "man", "woman", "lawyer", "businessman", "student", "immigrant", "family", "officer",
                          "official", "staffer", "aide", "lobbyist", "madam", "mayor", "gov.", "gov", "lt.", "atty."})
# Nouns for firms whose "of" names their seat: "Victoria Exploration N.L. of Perth", "(CAP Appliance
# Purchasers Inc), of Woodstock, Ontario".
FIRM_WORDS = frozenset({"inc", "inc.", "corp", "corp.", "co", "co.", "ltd", "ltd.", "plc", "llc", "n.l.", "company",
                        "group", "bank", "firm", "corporation", "ag", "sa", "s.a.", "nv", "n.v."})
# "(CAP Appliance Purchasers Inc), of Woodstock", "<Victoria Exploration N.L.> of Perth": a firm's seat.
FIRM_SEAT = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Plc|PLC|plc|LLC|N\.L|S\.A|AG|NV|N\.V|Bhd|Pty)\.?\s*[)>\]]?\s*,?\s+of\s+$")
# "Kitchener, Ontario-based Electrohome": where a firm is based, not where anything happened.
BASED = re.compile(r"\s*-\s*based\b", re.I)
# A town abroad found by name alone must be this big to be trusted.
BIG_ABROAD = 100_000
# Verbs whose object is where the subject went: "visited Washington", "toured the region".
VISIT_VERBS = frozenset({"visit", "tour", "enter", "reach", "invade", "occupy"})
# "Rebels raided San Jose Villanueva", "attacked Minca": a place assaulted is where it happened (a name the
# recognizer calls a place: "attacked Clinton" is a person).
ASSAULT_VERBS = frozenset({"raid", "attack", "storm", "overrun", "shell", "bomb", "besiege", "bombard"})
# Prepositions of location; "from", "to" and "between" give origins, destinations and parties
# ("relations between Belize and Guatemala"), not where something happened.
LOCATIVE_PREPS = frozenset({"in", "off", "at", "near", "outside", "around", "across", "inside", "within",
                            "throughout"})


def run(x: Extraction) -> None:
    places = located_mentions(x)
    home = x.meta.get("home_country")
    origin = dateline_place(x, home)
    if origin:
        # The dateline says where the story was filed, not where its events happened; "in this city" does.
        filed = Place(**{**vars(origin), "reference": True})
        places += [((m.field, m.start), filed) for m in [origin_mention(x, origin)] if m]
        places += [(("text", start), origin) for start in this_city(x)]
    places += grammatical_places(x, places, home)
    places.sort(key=lambda fp: fp[0])
    in_dateline(x, places)
    qualifiers_only(x, places)
    mark_origins(x, places)
    for _, place in places:
        place.country = era_country(place.country, x.article.published)
    # Where the story is when nothing nearer says: its country. The dateline is where it was filed, which
    # is not where its events happened unless the text says so ("in this city").
    fallback = home_place(home) or (origin if origin and origin.kind == "country" else None)
    for event in x.events:
        event.place = next((p for m in event.mentions for p in [place_of(m, attached_places(x, m, event, places))]
                            if p), None) or carried_place(event, places, fallback)
        event.quantities = quantities_in(x, event)
    x.settings = happening_settings(x, places, fallback)
    x.places = unique_places([p for _, p in places])
    x.located = sorted(((start, start + len(p.text or ""), p) for (field, start), p in places if field == "text"),
                       key=lambda t: t[0])


def span_place(x: Extraction, start: int, end: int) -> Place | None:
    """Where what a span (a sentence) tells happened: its events' place, else the first place named in it,
    else, for a sentence telling a physical happening, where the story is at it."""
    named_places = [(("text", s), p) for s, e, p in x.located]
    named = next((p for s, e, p in x.located if start <= s < end and not p.reference), None)
    for event in x.events:
        for m in event.mentions:
            if m.field == "text" and m.start < end and start < m.end and event.place:
                # an event told again here happened where this telling says, if it says ("near Tame"); a
                # country inferred from the story yields to a place the sentence names
                return place_of(m, named_places) or (named if inferred(event.place) else None) or event.place
    return named or next((p for s, e, p in x.settings if s < end and start < e), None)


def inferred(place: Place) -> bool:
    """The story's country standing in for a place nobody named (no point on the map)."""
    return place.kind == "country" and place.latitude is None and not place.text


def happening_settings(x: Extraction, places, fallback: Place | None) -> list[tuple[int, int, Place]]:
    """Sentences that tell a physical happening (a trigger word of a physical event type, in the past) with no event
    coded in them, and the place the story is at there: the latest place named just before, else the
    dateline's place or the story's country."""
    coded = {e.mentions[0].sentence for e in x.events}
    out = []
    for sentence in happening_sentences(x):
        if sentence.index in coded:
            continue      # (a happening told, not one discussed, planned or feared: "met to discuss the attack")
        before = [p for (field, start), p in places
                  if field == "text" and sentence.start - CARRY_CHARS <= start < sentence.start and not p.reference]
        place = before[-1] if before else fallback
        if place:
            out.append((sentence.start, sentence.end, place))
    return out


def located_mentions(x: Extraction) -> list[tuple[tuple[str, int], Place]]:
    """((field, original start), Place) for every place an actor stage saw named as a location."""
    home = x.meta.get("home_country")
    # Countries the story names; a town's country guessed from its name alone (geonames:) is no evidence.
    named = frozenset(a.country for a in [*x.actors, *x.scratch.get("place_actors", [])]
                      if a.country and not (a.rule or "").startswith("geonames:"))
    out = []
    for actor in x.scratch.get("place_actors", []):
        for m in actor.mentions:
            text = x.article.title if m.field == "title" else x.article.text
            place = locate(actor.name, actor.country, actor.rule, m.text, qualifier_after(text or "", m.end),
                           home, named)
            place = whole_place(text or "", m.start, m.text, place)
            if place:
                place.reference = is_reference(text or "", m.start)
                out.append(((m.field, m.start), place))
    qualifiers = {(f, s + len(p.text or "")) for (f, s), p in out}
    for (field, start), place in out:
        # "Tingo Maria, Huanuco Department": the region only says which Tingo Maria.
        text = x.article.title if field == "title" else x.article.text
        before = (text or "")[max(0, start - 3):start]
        if "," in before and any(f == field and start - 3 <= end <= start for f, end in qualifiers):
            place.reference = True
    return out


# Spanish and Portuguese place names join their words with "de", "del", "de la", "do", "da": "Alto de San Pablo",
# "San Jose de Sisa". Words that start a body's name instead ("Banco de Bogota") do not make a place, nor does
# a capitalised body noun alone ("the Japanese Government bond market").
JOINED = re.compile(r"((?:[A-Z][\w'\-]+\s+){0,3}[A-Z][\w'\-]+)\s+(?:de|del|de la|de los|de las|do|da|dos|das)\s+$")
BODY_WORDS = frozenset({"banco", "bank", "universidad", "university", "club", "partido", "party", "frente", "front",
                        "ejercito", "army", "departamento", "department", "ministerio", "ministry", "instituto",
                        "institute", "colegio", "escuela", "hospital", "hotel", "plaza", "avenida", "calle", "museo",
                        "movimiento", "movement", "comando", "union", "sindicato", "federacion", "republica",
                        "estado", "state", "estadio", "aeropuerto"})
BODY_HEADS = frozenset({"government", "administration", "police", "parliament", "congress", "senate", "council",
                        "assembly", "court", "cabinet", "exchange", "market", "company", "corporation", "agency",
                        "committee", "commission", "office", "party", "bank", "university", "club"})


def whole_place(text: str, start: int, name: str, place: Place | None) -> Place | None:
    """"San Jose de Sisa" is not Sisa: the whole name joined by "de", in the same country, at the table's point
    when it has the place, else without one."""
    m = JOINED.search(text[max(0, start - 60):start])
    if place is None or not m or any(w.lower() in BODY_WORDS for w in m.group(1).split()):
        return place
    whole = " ".join((m.group(0) + name).split())
    record = gazetteer().resolve(whole, None, (place.country,))
    if record and record.country == place.country:
        return at(record, whole, place.country, whole, record.kind)
    return Place(whole, place.country, None, None, whole)


def mark_origins(x: Extraction, places) -> None:
    """A person's home state or origin is not where an event happened: "Boehner of Ohio", "a Michigan
    Democrat", "a legislator from Arizona", "Democrat of New Jersey"."""
    for (field, start), place in places:
        t = token_at(x, field, start)
        if t is not None and is_origin(t):
            place.reference = True


def token_at(x: Extraction, field: str, start: int):
    """The token that begins at an original character offset of the article's text or title, or None."""
    for paragraph, doc in zip(x.paragraphs, x.docs):
        offsets = paragraph.offsets
        if paragraph.field != field or not offsets or not offsets[0] <= start <= offsets[-1]:
            continue
        lo, hi = bisect_left(offsets, start), bisect_right(offsets, start)
        found = tokens_starting(doc, lo, hi)      # the tokens whose first character was at `start`
        if len(found):
            return found[-1]
    return None


def is_origin(token) -> bool:
    if described_person(token):
        return True       # "a Michigan Democrat", "the Florida Republican", "Texas Rep. Roger Williams"
    if BASED.match(text_of(token.doc), token.idx + len(token)):
        return True       # "Ontario-based Electrohome"
    first = min(t.idx for t in phrase_head(token).subtree)
    if FIRM_SEAT.search(text_of(token.doc)[max(0, first - 40):first]):
        return True       # "(CAP Appliance Purchasers Inc), of Woodstock, Ontario": the firm's seat
    head = phrase_head(token)
    if head.dep_ in ("compound", "amod", "nmod") and head.head.lemma_.lower() in ORIGIN_NOUNS:
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "from":
        return True       # "protesters from Ohio": where they came from
    if head.dep_ == "pobj" and head.head.lower_ == "in" and head.head.head.lemma_.lower() in ("bear", "raise"):
        return True       # "whose parents were born in Mexico": a birthplace is an origin
    if head.dep_ == "pobj" and head.head.lower_ == "of":
        owner = head.head.head
        if owner.lemma_.lower() in ("resident", "inhabitant") and owner.tag_ == "NNS":
            return False  # "Residents of Quetzaltepeque reported": the community where it happened, not an origin
        if any(c.lower_ == "home" for c in owner.lefts):
            return True   # "his home state of Texas": where a person comes from
        return owner.lemma_.lower() in ORIGIN_NOUNS or owner.ent_type_ in ("PERSON", "ORG") \
            or owner.lower_ in FIRM_WORDS        # "Victoria Exploration N.L. of Perth": the firm's seat
    return False


def described_person(token) -> bool:
    """A place name modifying a noun for a person, through the names between ("a Michigan Democrat", "Tulsa,
    Okla., police officer"): where the person comes from or whom they represent."""
    t = token
    for _ in range(5):
        if t.dep_ not in ("compound", "amod", "nmod", "npadvmod", "appos") or t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_.lower() in ORIGIN_NOUNS or t.lower_ in ORIGIN_NOUNS:
            return True
    return False


def is_reference(text: str, start: int) -> bool:
    before = text[max(0, start - 40):start]
    return bool(REFERENCE.search(before) or RELAYED.search(before))


def dateline_place(x: Extraction, home: str | None) -> Place | None:
    """The place a dateline names ("Lima, 23 Aug 88 (EFE) --"): where the story was filed."""
    found = dateline(x)
    if not found:
        return None
    name, qualifier = found
    entry = kb().lookup(name)
    gaz = gazetteer()
    if entry and entry.kind == "capital":
        return at(gaz.capital(entry.country, name), name, entry.country, name, "city")
    if entry and entry.kind == "country":
        return at(gaz.country(entry.country), entry.name, entry.country, name, "country")
    record = gaz.resolve(name, qualifier, tuple(c for c in (home,) if c))
    return at(record, name, record.country, name, record.kind) if record else None


def qualifiers_only(x: Extraction, places) -> None:
    """"Situcancha, Junin Department": the region written after a place and a comma only says which place."""
    ends = {(field, start + len(p.text or "")) for (field, start), p in places}
    for (field, start), place in places:
        text = (x.article.title if field == "title" else x.article.text) or ""
        if any((field, start - n) in ends and re.fullmatch(r"\s*,\s*", text[start - n:start]) for n in range(1, 5)):
            place.reference = True


def in_dateline(x: Extraction, places) -> None:
    """"Rio de Janeiro (Brazil), 22 Dec 88 (Rede Globo Television) --": every name in the dateline says where the
    story was filed, none where its events happened."""
    title = (x.article.title or "").strip() if x.article.title_in_text else None
    body = next((p for p in x.paragraphs if p.field == "text" and p.text.strip() != title), None)
    m = DATELINE.match(body.text) if body is not None else None
    if not m:
        return
    start, end = body.original_span(m.start(), m.end())
    for (field, at_), place in places:
        if field == "text" and start <= at_ < end:
            place.reference = True


def home_place(home: str | None) -> Place | None:
    """The story's country as a place, for a physical event the story sets nowhere more precise."""
    if not home:
        return None
    name = kb().country_name.get(home, home)
    return Place(name, home, None, None, None, "country")    # inferred, not named: no point on the map


def origin_mention(x: Extraction, place: Place) -> Mention | None:
    start = (x.article.text or "").find(place.text or place.name)
    return Mention(0, place.text, start, start + len(place.text)) if start >= 0 and place.text else None


def this_city(x: Extraction) -> list[int]:
    return [m.start() for m in THIS_CITY.finditer(x.article.text or "")]


def grammatical_places(x: Extraction, places, home: str | None) -> list[tuple[tuple[str, int], Place]]:
    """Proper names where the grammar says place ("a curfew in Tingo Maria", "residents of
    Quetzaltepeque", "visited Washington", "the Athens airport") that the actor stage did not place.
    A name the recognizer took for a person or a group counts only when the story's own country has a
    place of that name (the story's country is the evidence that makes it a place); one it calls a
    place counts when the gazetteer resolves it."""
    taken = {start for (_, start), _ in places}
    named = frozenset(a.country for a in x.actors if a.country)
    gaz, base, out = gazetteer(), kb(), []
    for paragraph, doc in zip(x.paragraphs, x.docs):
        for first, last in proper_name_chains(doc):
            if not (locative(doc[last]) or on_place(doc[last]) or on_seat(doc, first, last)):
                continue
            start, end = paragraph.original_span(doc[first].idx, doc[last].idx + len(doc[last]))
            name = doc[first:last + 1].text.strip(" ,")
            if start in taken or not name[:1].isupper() or doc[first].ent_type_ in ("DATE", "TIME", "EVENT") \
                    or name.lower().removeprefix("the ") in HOLIDAYS or inside_body_name(doc, first, last) \
                    or doc[last].lower_ in BODY_HEADS:
                continue
            text = x.article.title if paragraph.field == "title" else x.article.text
            qualifier = qualifier_after(text or "", end)
            entry = base.lookup(name)
            if entry and entry.kind in ("country", "capital"):
                place = locate(entry.name, entry.country, f"countries.tsv:{entry.kind}", name, None, home, named)
            elif entry and entry.kind in ("seat", "organization"):
                # "at the White House" is in Washington, not White House, Tennessee; a body is no place
                place = locate(entry.name, entry.country, f"{entry.source}:{entry.kind}", name, None, home, named)
            else:
                record = gaz.resolve(name, qualifier, (home,) if home else (), named,
                                     kinds=frozenset({"region", "county", "city"}))
                said_place = doc[last].ent_type_ in ("GPE", "LOC", "FAC", "NORP") or doc[last].ent_type_ == "" \
                    or bool(qualifier and any(r.kind in ("region", "county") for r in gaz.places(qualifier)))
                if record and (contradicted(record, qualifier)
                               or (record.country != home and record.population < BIG_ABROAD)):
                    record = None     # a small town abroad is no evidence from the grammar alone
                if record and (record.country == home or said_place):
                    place = at(record, name, record.country, name, record.kind)
                elif home and not record and said_place and strongly_locative(doc[last]) \
                        and not abroad_by_head(name, home):
                    # "near Quetzaltepeque": a place we lack
                    place = Place(ADMIN_WORD.sub("", name).strip() or name, home, None, None, name)
                else:
                    place = None
            place = whole_place(text or "", start, name, place)
            if place:
                place.reference = is_reference(text or "", start)
                out.append(((paragraph.field, start), place))
                taken.add(start)
    return out


def on_seat(doc, first: int, last: int) -> bool:
    """"told reporters on Capitol Hill", "at Downing Street": a seat of power after "on" or "at" is where."""
    head = phrase_head(doc[last])
    if head.dep_ != "pobj" or head.head.lower_ not in ("on", "at"):
        return False
    entry = kb().lookup(doc[first:last + 1].text)
    return bool(entry and entry.kind == "seat")


def inside_body_name(doc, first: int, last: int) -> bool:
    """A name that is part of a longer name of an organisation or a work ("the Council on Foreign Relations",
    "Sao Paulo Federal Police"): a place inside a body's name is not where anything happened."""
    ent = next((e for e in ents_of(doc) if e.start <= last < e.end), None)
    return ent is not None and ent.label_ in ("ORG", "WORK_OF_ART", "LAW", "PRODUCT") \
        and (ent.start < first or ent.end > last + 1) and not PLACE_AND_REGION.match(ent.text)


# "Situcancha, Junin Department", "Santa Fe, Antioquia Department": a name, a comma and a division is a place
# and the division it lies in, whatever the recognizer calls the span.
PLACE_AND_REGION = re.compile(r"^[A-Z][\w'\- ]+,\s+[A-Z][\w'\- ]+\s+(?:Department|Province|Region|State|District)$")


def on_place(token) -> bool:
    """"on Capitol Hill", "on the West Bank": "on" locates only what the recognizer calls a place ("talks
    on Iran" are about Iran)."""
    return token.ent_type_ in ("LOC", "FAC") and token.dep_ == "pobj" and token.head.lower_ == "on"


def strongly_locative(token) -> bool:
    """The object of "in", "near", "at", "outside" or "around", or of a place noun's "of" ("residents of
    Quetzaltepeque"): a place whatever the name."""
    head = phrase_head(token)
    if head.dep_ != "pobj":
        return False
    prep = head.head
    return prep.lower_ in ("in", "near", "at", "outside", "around") or (
        prep.lower_ == "of" and prep.head.lemma_.lower() in PLACE_OF_NOUNS)


def proper_name_chains(doc):
    """(first, last) token indexes of each run of proper nouns joined as compounds ("Tingo Maria"), also one
    modifying a common noun ("a Capitol Hill rally")."""
    for t in doc:
        if t.pos_ == "PROPN" and (t.dep_ != "compound" or t.head.pos_ != "PROPN"):
            first = t.i
            while first > 0 and doc[first - 1].dep_ == "compound" and doc[first - 1].pos_ == "PROPN":
                first -= 1
            yield first, t.i


def locative(token) -> bool:
    """The object of a place preposition or of a verb of going somewhere, a place noun's "of" or
    possessor ("the outskirts of Lima", "San Salvador's metropolitan area")."""
    head = phrase_head(token)
    if head.dep_ == "poss":
        return head.head.lemma_.lower() in PLACE_OF_NOUNS
    if any(t.dep_ in ("nmod", "compound") and t.head.lemma_.lower() in FACILITY_NOUNS | AREA_NOUNS | EVENT_NOUNS
           for t in (head, token)):
        return True       # "the Athens airport", "the Rioja district", "a Capitol Hill rally", "the Orlando shooting"
    if head.dep_ == "dobj":
        verb = head.head.lemma_.lower()
        return verb in VISIT_VERBS or (verb in ASSAULT_VERBS and token.ent_type_ in ("GPE", "LOC", "FAC"))
    if head.dep_ != "pobj":
        return False
    prep = head.head
    if prep.lower_ in LOCATIVE_PREPS:
        return True
    if prep.lower_ in ("to", "into") and prep.head.lemma_.lower() in MOTION_WORDS:
        # "a trip to Switzerland", "troops moved into Kurdistan": where it happens; "sent an e-mail to your
        # daughter Chelsea": a person is whom something went to, not where
        return token.ent_type_ != "PERSON"
    return prep.lower_ == "of" and prep.head.lemma_.lower() in PLACE_OF_NOUNS


def locate(name: str, country: str | None, rule: str, text: str, qualifier: str | None,
           home: str | None, named: frozenset) -> Place | None:
    """The place a located mention names, as precisely as the text and the gazetteer allow."""
    gaz = gazetteer()
    entry = kb().lookup(text) if not rule.startswith("countries.tsv:") else None
    if entry and entry.kind in ("country", "capital"):      # "China" is the country before any town of its name
        rule, country, name = f"countries.tsv:{entry.kind}", entry.country, entry.name
    elif entry and entry.kind == "seat" and entry.country:
        # "at the White House": a seat of power stands in its country's capital, not in White House, Tennessee.
        capital = kb().capital_of(entry.country)
        record = gazetteer().capital(entry.country, capital) if capital else None
        return at(record, text, entry.country, text, "city") if record else None
    elif entry and entry.kind == "organization":
        return None          # "Congress" is a body, not Congress, Arizona
    gaz = gazetteer()
    if rule.startswith("countries.tsv:") and home and country != home and gaz.region(home, text):
        # "Georgia" in an American story is the state: a region of the story's own country before a
        # foreign country of its name.
        record = gaz.region(home, text)
        return at(record, text, home, text, "region")
    if rule.startswith("countries.tsv:") and "capital" not in rule and country:
        part = gaz.region(country, text)
        if part and not same_name_as_country(part, country):
            # "in Scotland": a country's constituent part is a place of its own, within it
            return at(part, text, country, text, "region")
        return at(gaz.country(country), name, country, text, "country")
    if "capital" in rule and country:
        return at(gaz.capital(country, name), name, country, text, "city")
    focus = tuple(c for c in (home,) if c)
    record = gaz.resolve(text, qualifier, focus, named) or gaz.resolve(name, qualifier, focus, named)
    if record and contradicted(record, qualifier):
        record = None
    if record and record.kind == "city" and record.population < BIG_ABROAD and record.country not in (home, *named) \
            and not (qualifier and gaz.resolve(text, qualifier) == record):
        record = None     # a small town found by its name alone, in a country the story is not about
    if record:
        return at(record, name, record.country, text, record.kind)
    if qualifier:
        # An unknown village in a known region ("Cano Colorada, Arauca"): the region is where it is.
        record = gaz.resolve(qualifier, None, focus, named, kinds=frozenset({"region", "county", "country"}))
        if record:
            return Place(name, record.country, record.latitude, record.longitude, text, record.kind, record.admin1)
    if home and (rule.startswith("locative-name") or country in (home, None)) and not abroad_by_head(text, home):
        # named in a story set in one country, not in our tables; "Galera Quemada Canton" is Galera Quemada
        return Place(ADMIN_WORD.sub("", name).strip() or name, home, None, None, text)
    return None


def same_name_as_country(region: Record, country: str) -> bool:
    """"Mexico" is the country before the State of Mexico inside it: a region bearing its country's own name
    is meant only when written as a region."""
    record = gazetteer().country(country)
    return record is not None and fold(record.name) == fold(region.name)


def contradicted(record: Record, qualifier: str | None) -> bool:
    """"El Pital, Cifuentes": a qualifier the gazetteer knows only in other countries than a namesake's says the
    name is another place (one the table lacks), not that namesake."""
    if not qualifier:
        return False
    gaz = gazetteer()
    countries = {r.country for r in gaz.places(qualifier)} | {
        iso3 for iso3 in (record.country,) if fold(qualifier) in gaz.country_names(iso3)}
    return bool(countries) and record.country not in countries


def abroad_by_head(name: str, home: str) -> bool:
    """"Guantanamo Bay" in a British story: a landmark the table lacks ("<place> Bay", "<place> Airport") named
    after a known place of another country (a country, a region, a city of 100,000 or more) is that place's
    landmark, not the story's country's."""
    words = name.removeprefix("the ").split()
    if len(words) < 2 or words[-1].lower() not in LANDMARK_NOUNS:
        return False
    return any(r.country != home and (r.kind in ("country", "region") or r.population >= BIG_ABROAD)
               for r in gazetteer().places(" ".join(words[:-1])))


def at(record: Record | None, name: str, country: str, text: str, kind: str) -> Place:
    name = ADMIN_WORD.sub("", name).strip() or name     # "San Vicente Department" is San Vicente
    if record is None:
        return Place(name, country, None, None, text, kind)
    if record.kind == "county" and fold(record.name).startswith(fold(name) + " "):
        name = record.name      # "Broward" in "Broward and St. Lucie counties" is Broward County
    return Place(name, country, record.latitude, record.longitude, text, record.kind, record.admin1 or None)


# Dependencies that open a clause of its own: reported speech ("said that..."), a sentence run on after a
# colon or dash; for an event that is no physical happening, also a relative clause ("a senator who was in
# Iowa on Sunday").
OWN_CLAUSE = frozenset({"ccomp", "parataxis", "csubj"})
RELATIVE = frozenset({"relcl", "acl"})
# Prepositions whose object is what something is about or aimed at, not where it is: "a policy on the civil
# war in Libya", "concerns about the airstrikes around Aleppo".
TOPIC_PREPS = frozenset({"on", "about", "over", "regarding", "concerning", "against"})
# Events whose participants are together where it happens: "visited slums in Nairobi", "met the chairman in
# Arundel" (the object's place is the event's, as for a physical happening's target).
TOGETHER_TYPES = frozenset({"CONSULT"})


def attached_places(x: Extraction, m: Mention, event: Event, places):
    """The places of the mention's sentence that the grammar lets be where the event happened."""
    trigger = token_at(x, m.field, m.trigger_start) if m.trigger_start is not None else None
    if trigger is None:
        return places
    out = []
    for (field, start), place in places:
        token = token_at(x, field, start) if field == m.field and m.start <= start < m.end else None
        if token is None or token.sent != trigger.sent or hangs_on(token, trigger, event.type):
            out.append(((field, start), place))
    return out


def hangs_on(place, trigger, kind: str) -> bool:
    """A place is where an event happened only when it stands in the event's own clause: not in reported speech
    or a relative clause the trigger is not in ("In London, the minister told parliament that the ferry
    capsized", "employees who had been in Peque"), and, for an event that is no physical happening (an
    accusation, a demand, a statement), not inside what the event is about ("accused Obama of a policy on the
    civil war in Libya", "to justify airstrikes around Aleppo")."""
    physical = kind in PHYSICAL_TYPES
    top = clause_path(place, trigger, OWN_CLAUSE if physical else OWN_CLAUSE | RELATIVE)
    if top is None:
        return False
    path, lowest = top
    if physical:
        return True
    objects = ("attr", "oprd") if kind in TOGETHER_TYPES else ("dobj", "attr", "oprd", "dative")
    for t in path[1:]:      # the words between the place's own phrase and the clause it shares with the trigger
        if t.pos_ in ("NOUN", "PROPN") and t.i != trigger.i and t.lemma_.lower() not in PLACE_OF_NOUNS | AREA_NOUNS \
                | FACILITY_NOUNS and (t.dep_ in objects or (t.dep_ == "pobj" and t.head.lower_ in TOPIC_PREPS)):
            return False
    return True


def clause_path(place, trigger, boundaries: frozenset):
    """The words from a place up to the lowest word it shares with the trigger, and that word; None when either
    side crosses into a clause of its own on the way."""
    above = {t.i: t for t in [trigger, *trigger.ancestors]}
    path, t = [], phrase_head(place)
    while t.i not in above:
        if t.dep_ in boundaries or t.head.i == t.i:
            return None
        path.append(t)
        t = t.head
    lowest = t
    u = trigger
    while u.i != lowest.i:
        if u.dep_ in boundaries and not where_clause(u):
            return None
        u = u.head
    return path, lowest


def where_clause(verb) -> bool:
    """"moved to China, where Kerry met Lavrov": a relative clause opened by "where" happens at what it modifies."""
    return verb.dep_ == "relcl" and any(c.lower_ == "where" for c in verb.children)


def place_of(m: Mention, places) -> Place | None:
    """The place named in a sentence telling the event, nearest its trigger, the most specific first:
    "killed in Colombia during an ambush in Caqueta" happened in Caqueta."""
    anchor = m.trigger_start if m.trigger_start is not None else m.start
    inside = [(abs(start - anchor), place) for (field, start), place in places
              if field == m.field and m.start <= start < m.end]
    inside = [(d, p) for d, p in inside if not p.reference]     # a bearing, an origin, a dateline: never where
    below = {p.country for _, p in inside if p.kind != "country"}
    inside = [(d, p) for d, p in inside if not (p.kind == "country" and p.country in below)]
    return min(inside, key=lambda pair: pair[0])[1] if inside else None


def carried_place(event: Event, places, fallback: Place | None = None) -> Place | None:
    """A physical event whose sentence names no place happened where the story last was: the latest
    place named in the sentences just before it ("The attack came at 2230 last night" after "a bomb
    exploded in Lima")."""
    if event.type not in PHYSICAL_TYPES:
        return None
    m = event.mentions[0]
    if any(field == m.field and m.start <= start < m.end and not place.reference for (field, start), place in places):
        return None       # its sentence names places, none of them the event's: where it happened is not said
    before = [(start, place) for (field, start), place in places
              if field == m.field and m.start - CARRY_CHARS <= start < m.start and not place.reference]
    return before[-1][1] if before else fallback


def unique_places(places: list[Place]) -> list[Place]:
    seen, out = set(), []
    for p in places:
        if (p.name, p.country, p.kind) not in seen:
            seen.add((p.name, p.country, p.kind))
            out.append(p)
    return out
