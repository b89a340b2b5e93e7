"""The store: one interface over SQLite (the default) and PostgreSQL, through SQLAlchemy Core.

Each article is written in one transaction with everything found in it,
so a crash leaves either the whole article or nothing; its content hash makes a second copy a no-op.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import String, case, cast, create_engine, func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from ..model import Extraction
from . import schema as s
from ..claims import HERE, identity, proposition_key
from .migrations import migrate
from .propositions import DENIAL, group_claims, propositions_of_article
from .propositions import refresh as refresh_propositions
from .queries import Queries, use_unicode_lower
from .transactions import use_sqlite_pragmas, write_transaction

NEAR_DUPLICATE_LOCK = 0x65766477      # PostgreSQL advisory lock key of near-duplicate checks ("evdw")
FAILURE_LOCK = 0x65766661             # and of recording a failure ("evfa")


def engine_url(db: str) -> str:
    """A path is a SQLite file; postgresql://... is PostgreSQL (driven by psycopg 3)."""
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return f"sqlite:///{db}"


class Store(Queries):
    def __init__(self, db: str):
        self.url = engine_url(db)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs = {"connect_args": {"timeout": 30}} if self.is_sqlite else {"pool_pre_ping": True}
        self.engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            use_sqlite_pragmas(self.engine)
        use_unicode_lower(self.engine)
        migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def transaction(self):
        """A write transaction (in SQLite it takes the write lock first, waiting for it rather than failing)."""
        return write_transaction(self.engine)

    def has(self, content_hash: str) -> bool:
        with self.engine.connect() as c:
            return c.execute(select(s.articles.c.id).where(s.articles.c.hash == content_hash)).first() is not None

    def known_hashes(self, hashes: list[str]) -> set[str]:
        with self.engine.connect() as c:
            rows = c.execute(select(s.articles.c.hash).where(s.articles.c.hash.in_(hashes))).all()
        return {r[0] for r in rows}

    def lock_near_duplicates(self, c) -> None:
        """Serialise near-duplicate check and insert across writers, until the transaction ends. SQLite's
        write transaction already holds the one write lock (BEGIN IMMEDIATE); PostgreSQL takes an advisory lock."""
        if not self.is_sqlite:
            c.execute(select(func.pg_advisory_xact_lock(NEAR_DUPLICATE_LOCK)))

    def has_hash(self, c, content_hash: str) -> bool:
        return c.execute(select(s.articles.c.id).where(s.articles.c.hash == content_hash)).first() is not None

    def add(self, x: Extraction, duplicate_of: int | None = None) -> int | None:
        """Store one extraction; None when an article with the same cleaned text is already stored."""
        try:
            with self.transaction() as c:
                return write_extraction(c, x, duplicate_of)
        except IntegrityError:
            return None

    def replace(self, article_id: int, x: Extraction) -> None:
        """Swap an article's extraction for a new one (reprocess), in one transaction; its stories are recounted."""
        with self.transaction() as c:
            touched = stories_of_article(c, article_id)
            claimed = propositions_of_article(c, article_id)
            for table in (s.stances, s.claims, s.event_mentions, s.events, s.mentions, s.actors, s.quotes, s.sentences):
                delete_for_article(c, table, article_id)
            refresh_propositions(c, claimed, now())    # before the new claims group, so they never join a gone one
            c.execute(s.articles.update().where(s.articles.c.id == article_id)
                      .values(hash=x.content_hash, **article_values(x)))
            write_children(c, article_id, x)
            refresh_stories(c, touched)
            mark_rewritten(c)

    def article_id_of_origin(self, origin: str) -> int | None:
        """The latest article read from this file (or URL), if any."""
        with self.engine.connect() as c:
            return c.execute(select(func.max(s.articles.c.id)).where(s.articles.c.origin == origin)).scalar()

    def add_failure(self, origin: str, reason: str) -> None:
        """Recorded once: a re-run that meets the same failure only updates when it was last seen. Writers
        meeting it at once take turns (SQLite's write lock; in PostgreSQL an advisory lock, without which each
        would find no row to update and insert its own)."""
        f = s.failures.c
        with self.transaction() as c:
            if not self.is_sqlite:
                c.execute(select(func.pg_advisory_xact_lock(FAILURE_LOCK)))
            again = s.failures.update().where(f.origin == origin, f.reason == reason).values(at=now())
            if c.execute(again).rowcount == 0:
                c.execute(insert(s.failures).values(origin=origin, reason=reason, at=now()))

    def feed_state(self, url: str) -> dict | None:
        """What the watcher knows of a feed: its validators (etag, last_modified), failures and retry time."""
        found = self.rows(select(s.feeds).where(s.feeds.c.url == url))
        return found[0] if found else None

    def save_feed_state(self, url: str, **values) -> None:
        with self.transaction() as c:
            values["checked_at"] = now()
            if c.execute(s.feeds.update().where(s.feeds.c.url == url).values(**values)).rowcount == 0:
                c.execute(insert(s.feeds).values(url=url, **values))

    def seen_items(self, source: str, items) -> set[str]:
        """Which of these entry ids, links or file stamps of a feed or folder were taken before."""
        items, seen = sorted(set(items)), set()
        f = s.feed_items.c
        for start in range(0, len(items), 500):
            query = select(f.item).where(f.source == source, f.item.in_(items[start:start + 500]))
            seen.update(r["item"] for r in self.rows(query))
        return seen

    def mark_seen(self, source: str, items) -> None:
        """Remember items as taken, so a restart does not take them again (a second mark is a no-op)."""
        fresh = sorted(set(items) - self.seen_items(source, items))
        if fresh:
            with self.transaction() as c:
                c.execute(insert(s.feed_items), [{"source": source, "item": i, "seen_at": now()} for i in fresh])

    def count(self, table_name: str) -> int:
        table = s.metadata.tables[table_name]
        with self.engine.connect() as c:
            return c.execute(select(func.count()).select_from(table)).scalar_one()


REWRITTEN = "rewritten"       # meta key: a new token each time a stored article's extraction is replaced


def mark_rewritten(c) -> None:
    """Say that a stored article changed (every other write only adds articles): readers that keep sums over
    the articles stored so far (the web's graph) count them again."""
    from uuid import uuid4
    insert_of = sqlite_insert if c.dialect.name == "sqlite" else postgresql_insert
    token = uuid4().hex
    c.execute(insert_of(s.meta).values(key=REWRITTEN, value=token)
              .on_conflict_do_update(index_elements=[s.meta.c.key], set_={"value": token}))


def rewritten_mark(c) -> str | None:
    """The token of the last replaced extraction (None: none was ever replaced)."""
    return c.execute(select(s.meta.c.value).where(s.meta.c.key == REWRITTEN)).scalar()


def stories_of_article(c, article_id: int) -> set[int]:
    query = select(s.events.c.story_id).where(s.events.c.article_id == article_id, s.events.c.story_id.is_not(None))
    return {r[0] for r in c.execute(query.distinct())}


def refresh_stories(c, story_ids) -> None:
    """Recount stories from their events (near-duplicate articles count as copies, not evidence); drop empty ones."""
    ids = sorted(set(story_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        counted = {row.story_id: row for row in c.execute(story_count_query(chunk))}
        for story_id in chunk:
            row = counted.get(story_id)
            if row is None:
                c.execute(s.stories.delete().where(s.stories.c.id == story_id))
                continue
            c.execute(s.stories.update().where(s.stories.c.id == story_id).values(
                events=row.events, mentions=row.mentions or 0, articles=row.articles, sources=row.sources,
                copies=row.copies, first_date=row.first_date, last_date=row.last_date,
                sentence=first_sentence(story_id), updated_at=now()))


def story_count_query(story_ids: list[int]):
    """Per story: events, mentions, articles, distinct publishers, near-duplicate copies, and its date range."""
    e, a, m = s.events.c, s.articles.c, s.event_mentions.c
    original = a.duplicate_of.is_(None)
    publisher = func.coalesce(func.nullif(func.lower(a.source), ""), literal("article ") + cast(a.id, String))
    day = func.coalesce(e.date, a.published)
    return (select(e.story_id, func.count(e.id.distinct()).label("events"),
                   func.count(case((original, m.event_id))).label("mentions"),
                   func.count(case((original, a.id)).distinct()).label("articles"),
                   func.count(case((original, publisher)).distinct()).label("sources"),
                   func.count(case((~original, a.id)).distinct()).label("copies"),
                   func.min(day).label("first_date"), func.max(day).label("last_date"))
            .select_from(s.events.join(s.articles, a.id == e.article_id)
                         .outerjoin(s.event_mentions, m.event_id == e.id))
            .where(e.story_id.in_(story_ids)).group_by(e.story_id))


def first_sentence(story_id: int):
    """The sentence of a story's first event, as a scalar subquery."""
    return (select(s.events.c.sentence).where(s.events.c.story_id == story_id)
            .order_by(s.events.c.id).limit(1).scalar_subquery())


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def delete_for_article(c, table, article_id: int) -> None:
    if table is s.stances:
        ids = select(s.claims.c.id).where(s.claims.c.article_id == article_id)
        c.execute(table.delete().where(table.c.claim_id.in_(ids)))
    elif table is s.event_mentions or table is s.mentions:
        c.execute(table.delete().where(table.c.article_id == article_id))
    else:
        c.execute(table.delete().where(table.c.article_id == article_id))


def article_values(x: Extraction) -> dict:
    a = x.article
    return {"ext_id": a.id, "title": a.title, "published": a.published.isoformat() if a.published else None,
            "url": a.url, "source": a.source, "origin": a.origin, "text": a.text,
            "eventwire_version": x.meta.get("eventwire_version"), "model": x.meta.get("model"),
            "model_version": x.meta.get("model_version"), "ingested_at": now(),
            "document": json.dumps(x.to_dict(), ensure_ascii=False)}


def write_extraction(c, x: Extraction, duplicate_of: int | None) -> int:
    article_id = c.execute(insert(s.articles).values(hash=x.content_hash, duplicate_of=duplicate_of,
                                                     **article_values(x))).inserted_primary_key[0]
    write_children(c, article_id, x)
    return article_id


def write_children(c, article_id: int, x: Extraction) -> None:
    """Everything found in an article, a few multi-row statements per table (ids come back in order)."""
    if x.sentences:
        c.execute(insert(s.sentences), [{"article_id": article_id, "idx": t.index, "paragraph": t.paragraph,
                                         "field": t.field, "start": t.start, "end": t.end, "text": t.text}
                                        for t in x.sentences])
    actor_ids = insert_returning_ids(c, s.actors, [actor_row(article_id, a) for a in x.actors])
    insert_rows(c, s.mentions, [{"actor_id": actor_id, **span_row(article_id, m)}
                                for actor, actor_id in zip(x.actors, actor_ids) for m in actor.mentions])
    event_ids = insert_returning_ids(c, s.events, [event_row(article_id, e) for e in x.events])
    insert_rows(c, s.event_mentions, [{"event_id": event_id, **span_row(article_id, m)}
                                      for e, event_id in zip(x.events, event_ids) for m in e.mentions])
    insert_rows(c, s.quotes, [quote_row(article_id, q) for q in x.quotes])
    by_event = {e.id: event_id for e, event_id in zip(x.events, event_ids)}
    published = x.article.published.isoformat() if x.article.published else None
    claim_ids = insert_returning_ids(c, s.claims, [claim_row(article_id, cl, by_event.get(cl.event.id), published)
                                                   for cl in x.claims])
    insert_rows(c, s.stances, [stance_row(claim_id, st) for cl, claim_id in zip(x.claims, claim_ids)
                               for st in cl.stances])
    denial_ids = insert_returning_ids(c, s.claims, [denial_row(article_id, d, published) for d in x.denials])
    insert_rows(c, s.stances, [stance_row(claim_id, d) for d, claim_id in zip(x.denials, denial_ids)])
    group_claims(c, claim_ids + denial_ids, now())


def insert_rows(c, table, rows: list[dict]) -> None:
    if rows:
        c.execute(insert(table), rows)


def insert_returning_ids(c, table, rows: list[dict]) -> list[int]:
    """The new rows' ids in the order of `rows`."""
    if not rows:
        return []
    query = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(c.execute(query, rows).scalars())


def span_row(article_id: int, m) -> dict:
    return {"article_id": article_id, "sentence": m.sentence, "start": m.start, "end": m.end, "text": m.text}


def actor_row(article_id: int, a) -> dict:
    return {"article_id": article_id, "name": a.name, "kind": a.kind, "country": a.country, "sector": a.sector,
            "role": a.role, "code": a.code, "rule": a.rule}


def event_row(article_id: int, e) -> dict:
    w, by, place = e.when, e.attributed_to, e.place
    values = {
        "article_id": article_id, "type": e.type, "mode": e.mode, "cameo": e.cameo, "quad_class": e.quad_class,
        "goldstein": e.goldstein, "modality": e.modality, "trigger": e.trigger, "rule": e.rule,
        "confidence": e.confidence, "sentence": e.mentions[0].text if e.mentions else None,
        "date": w.date.isoformat() if w and w.date else None, "date_end": w.end.isoformat() if w and w.end else None,
        "date_precision": w.precision if w else None, "date_source": w.source if w else None,
        "attributed_name": by.name if by else None, "attributed_country": by.country if by else None,
        "place_name": place.name if place else None, "place_country": place.country if place else None,
        "latitude": place.latitude if place else None, "longitude": place.longitude if place else None}
    for side, actor in (("source", e.source), ("target", e.target)):
        values[f"{side}_name"] = actor.name if actor else None
        values[f"{side}_country"] = actor.country if actor else None
        values[f"{side}_code"] = actor.code if actor else None
    return values


def quote_row(article_id: int, q) -> dict:
    sp = q.speaker
    return {"article_id": article_id, "speaker_name": sp.name if sp else None,
            "speaker_country": sp.country if sp else None, "speaker_code": sp.code if sp else None, "text": q.text,
            "type": q.type, "cue": q.cue, "start": q.start, "end": q.end, "sentence": q.sentence, "rule": q.rule}


def claim_row(article_id: int, claim, event_id: int | None, published: str | None) -> dict:
    e = claim.event
    return {"article_id": article_id, "event_id": event_id, "type": e.type,
            "source_country": e.source.country if e.source else None,
            "target_country": e.target.country if e.target else None,
            "source_name": e.source.name if e.source else None, "target_name": e.target.name if e.target else None,
            "contested": int(claim.contested), "match_key": proposition_key(e),
            "day": e.when.date.isoformat() if e.when and e.when.date else published}


def denial_row(article_id: int, denial, published: str | None) -> dict:
    """A denial that named no claim of its article: no type; its side is the denier. One of what was said just
    before ('denied it', claims.HERE) is kept under a key no other article's claim takes."""
    a = denial.actor
    kind = f"{DENIAL}-{HERE}" if denial.rule.endswith(HERE) else DENIAL
    return {"article_id": article_id, "event_id": None, "type": None, "source_country": a.country,
            "source_name": a.name, "target_country": None, "target_name": None, "contested": 0,
            "match_key": f"{kind}|{identity(a)}", "day": published}


def stance_row(claim_id: int, st) -> dict:
    return {"claim_id": claim_id, "actor_name": st.actor.name if st.actor else None,
            "actor_country": st.actor.country if st.actor else None, "stance": st.stance,
            "evidence": st.evidence.text, "start": st.evidence.start, "end": st.evidence.end, "rule": st.rule}
