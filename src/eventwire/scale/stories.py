"""Story events: the same type between the same actors, days apart, in different articles, is one story.

Like GDELT's NumMentions, NumArticles and NumSources, a story counts its mentions, articles and
distinct publishers; every event keeps its own evidence and points to its story (events.story_id).
Clustering is incremental: `cluster_stories(store)` gives each event that has no story yet an
existing story or a new one, so it can run after every ingest, poll or reprocess.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func, select

from .. import settings
from ..store import schema as s
from ..store.sql import now, refresh_stories

WINDOW_DAYS = settings.EVENT_DATE_WINDOW_DAYS
MAX_SPAN_DAYS = 2 * WINDOW_DAYS      # a story never stretches further, so a running feud is not one endless story
CHUNK = 2000                         # events assigned per transaction
KEYS_PER_QUERY = 500
NO_ACTOR = "-"


@dataclass
class Span:
    """A story as clustering sees it: its id and the days it covers (None when its events carry no date)."""
    id: int
    first: date | None
    last: date | None

    def distance(self, day: date) -> int:
        """Days between `day` and the story's range (0 inside it)."""
        if day < self.first:
            return (self.first - day).days
        return max(0, (day - self.last).days)

    def takes(self, day: date | None) -> bool:
        """An event joins when it falls within the window and the story stays within its span."""
        if day is None or self.first is None:
            return False
        span = (max(self.last, day) - min(self.first, day)).days
        return self.distance(day) <= WINDOW_DAYS and span <= MAX_SPAN_DAYS

    def extend(self, day: date | None) -> None:
        if day is not None and self.first is not None:
            self.first, self.last = min(self.first, day), max(self.last, day)


def cluster_stories(store, chunk: int = CHUNK) -> int:
    """Give every event without a story an existing or a new story; returns how many events were assigned."""
    assigned = 0
    while True:
        with store.transaction() as c:
            take_write_lock(c)
            batch = unassigned_events(c, chunk)
            if not batch:
                return assigned
            touched = assign(c, batch)
            refresh_stories(c, touched)
        assigned += len(batch)


def take_write_lock(c) -> None:
    """Serialize clusterings in PostgreSQL with a row lock (SQLite's write transaction holds its lock already)."""
    c.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value=s.meta.c.value))


def actor_kind(side: str):
    """The kind (person, country, ...) of an event's source or target, from its article's actors."""
    a, e = s.actors.c, s.events.c
    return (select(a.kind).where(a.article_id == e.article_id, a.name == getattr(e, f"{side}_name"))
            .order_by(a.id).limit(1).scalar_subquery())


def unassigned_events(c, limit: int) -> list[dict]:
    """The next events without a story, with what matching needs; the article's date stands in for theirs."""
    e, a = s.events.c, s.articles.c
    query = (select(e.id, e.type, e.cameo, e.quad_class, e.goldstein, e.sentence, e.article_id,
                    e.source_name, e.source_country, e.source_code, actor_kind("source").label("source_kind"),
                    e.target_name, e.target_country, e.target_code, actor_kind("target").label("target_kind"),
                    func.coalesce(e.date, a.published).label("day"))
             .select_from(s.events.join(s.articles, a.id == e.article_id))
             .where(e.story_id.is_(None)).order_by(e.id).limit(limit))
    rows = [dict(r._mapping) for r in c.execute(query)]
    for row in rows:
        row["day"] = parse_day(row["day"])
        row["key"] = match_key(row)
    return rows


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def actor_key(name: str | None, kind: str | None, country: str | None, code: str | None) -> str:
    """Who an actor is across articles: a country by its code, a person by surname, else by name.

    Outlets name people differently ("Obama", "Barack Obama", "President Obama"): the surname is what
    they share (not the country, which one outlet's article resolves and another's leaves out; on BASIL
    the surname alone joins 2 more of the 100 events). Countries are compared by ISO code, whatever word
    named them ("Russia", "Moscow").
    """
    if not name:
        return NO_ACTOR
    if kind == "country" and country:
        return f"country:{country}"
    words = name.lower().replace(".", " ").split()
    if kind == "person" and words:
        return f"person:{words[-1]}"
    return f"name:{' '.join(words)}"


def match_key(row: dict) -> str:
    source = actor_key(row["source_name"], row["source_kind"], row["source_country"], row["source_code"])
    target = actor_key(row["target_name"], row["target_kind"], row["target_country"], row["target_code"])
    return f"{row['type']}|{source}|{target}"


def assign(c, batch: list[dict]) -> set[int]:
    """Each event to the nearest story of its key within the window, or to a new one; returns the stories touched."""
    spans = candidate_stories(c, batch)
    chosen = []
    for row in sorted(batch, key=lambda r: (r["day"] is None, r["day"] or date.min, r["id"])):
        known = spans.setdefault(row["key"], [])
        span = best_story(known, row["day"]) if joinable(row) else None
        if span is None:
            span = Span(new_story(c, row), row["day"], row["day"])
            known.append(span)
        span.extend(row["day"])
        chosen.append({"event": row["id"], "story": span.id})
    c.execute(s.events.update().where(s.events.c.id == bindparam("event")).values(story_id=bindparam("story")),
              chosen)
    return {pick["story"] for pick in chosen}


def joinable(row: dict) -> bool:
    """An event with a date and at least one actor can be matched; the rest stand alone."""
    return row["day"] is not None and not row["key"].endswith(f"|{NO_ACTOR}|{NO_ACTOR}")


def best_story(spans: list[Span], day: date | None) -> Span | None:
    fitting = [span for span in spans if span.takes(day)]
    return min(fitting, key=lambda span: (span.distance(day), -span.id)) if fitting else None


def candidate_stories(c, batch: list[dict]) -> dict[str, list[Span]]:
    """Stored stories that share a key with the batch and end near enough to its days to take its events."""
    keys = sorted({row["key"] for row in batch if joinable(row)})
    days = [row["day"] for row in batch if row["day"] is not None]
    if not keys:
        return {}
    earliest = (min(days) - timedelta(days=MAX_SPAN_DAYS)).isoformat()
    st = s.stories.c
    out: dict[str, list[Span]] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        query = select(st.id, st.match_key, st.first_date, st.last_date).where(
            st.match_key.in_(keys[start:start + KEYS_PER_QUERY]), st.last_date >= earliest)
        for row in c.execute(query):
            out.setdefault(row.match_key, []).append(Span(row.id, parse_day(row.first_date), parse_day(row.last_date)))
    return out


def new_story(c, row: dict) -> int:
    """A story for an event that matched none; its first event names it."""
    day = row["day"].isoformat() if row["day"] else None
    values = {name: row[name] for name in ("type", "cameo", "quad_class", "goldstein", "sentence", "source_name",
                                           "source_country", "source_code", "target_name", "target_country",
                                           "target_code")}
    result = c.execute(s.stories.insert().values(match_key=row["key"], first_date=day, last_date=day,
                                                 updated_at=now(), **values))
    return result.inserted_primary_key[0]
