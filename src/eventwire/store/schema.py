"""The store's tables, indexes and schema version: one definition for SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table

from .types import SafeText as Text

SCHEMA_VERSION = 4             # 2: stories, feed state, near-duplicate signatures; 3: claims across articles;
                               # 4: indexes on actors for the graph and the actors list

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hash", String(64), nullable=False, unique=True),
    Column("ext_id", Text), Column("title", Text), Column("published", String(10)),
    Column("url", Text), Column("source", Text), Column("origin", Text),
    Column("text", Text, nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),   # a near-duplicate's original
    Column("eventwire_version", String(32)), Column("model", String(128)), Column("model_version", String(32)),
    Column("ingested_at", String(32)),
    Column("document", Text),                                      # the contract JSON of its extraction
)

sentences = Table(
    "sentences", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False), Column("paragraph", Integer), Column("field", String(8)),
    Column("start", Integer), Column("end", Integer), Column("text", Text),
)

actors = Table(
    "actors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False), Column("kind", String(16)), Column("country", String(3)),
    Column("sector", String(8)), Column("role", Text), Column("code", String(32)), Column("rule", Text),
)

mentions = Table(
    "mentions", metadata,
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, nullable=False),
    Column("sentence", Integer), Column("start", Integer), Column("end", Integer), Column("text", Text),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(16), nullable=False), Column("mode", String(32)), Column("cameo", String(8)),
    Column("quad_class", Integer), Column("goldstein", Float),
    Column("source_name", Text), Column("source_country", String(3)), Column("source_code", String(32)),
    Column("target_name", Text), Column("target_country", String(3)), Column("target_code", String(32)),
    Column("modality", String(16)), Column("attributed_name", Text), Column("attributed_country", String(3)),
    Column("date", String(10)), Column("date_end", String(10)), Column("date_precision", String(8)),
    Column("date_source", String(8)),
    Column("place_name", Text), Column("place_country", String(3)), Column("latitude", Float),
    Column("longitude", Float),
    Column("trigger", Text), Column("rule", Text), Column("confidence", Float),
    Column("sentence", Text), Column("story_id", Integer),
)

event_mentions = Table(
    "event_mentions", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, nullable=False),
    Column("sentence", Integer), Column("start", Integer), Column("end", Integer), Column("text", Text),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("speaker_name", Text), Column("speaker_country", String(3)), Column("speaker_code", String(32)),
    Column("text", Text), Column("type", String(8)), Column("cue", Text),
    Column("start", Integer), Column("end", Integer), Column("sentence", Integer), Column("rule", Text),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE")),
    Column("type", String(16)), Column("source_country", String(3)), Column("target_country", String(3)),
    Column("source_name", Text), Column("target_name", Text), Column("contested", Integer),
    # Version 3. A row without a type is a denial that named no claim of its article ("rejected the accusations").
    Column("match_key", Text),                                       # type|source|target identities (claims.py)
    Column("day", String(10)),                                       # the event's date, else the article's
    Column("proposition_id", Integer),                               # the cross-article claim it belongs to
)

# Version 3. A proposition: one claim across articles and sources, with every stance taken on it.
propositions = Table(
    "propositions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("match_key", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("source_key", Text), Column("target_key", Text),          # identities: a country code or name:...
    Column("source_name", Text), Column("source_country", String(3)),
    Column("target_name", Text), Column("target_country", String(3)),
    Column("first_date", String(10)), Column("last_date", String(10)),
    Column("contested", Integer, nullable=False, default=0),
    Column("asserted_articles", Integer, nullable=False, default=0),
    Column("asserted_sources", Integer, nullable=False, default=0),
    Column("denied_articles", Integer, nullable=False, default=0),
    Column("denied_sources", Integer, nullable=False, default=0),
    Column("articles", Integer, nullable=False, default=0),
    Column("updated_at", String(32)),
)

stances = Table(
    "stances", metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("actor_name", Text), Column("actor_country", String(3)), Column("stance", String(16)),
    Column("evidence", Text), Column("start", Integer), Column("end", Integer), Column("rule", Text),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False), Column("reason", Text, nullable=False), Column("at", String(32)),
)

# Version 2. A story event: events of one type between the same actors, days apart, in different articles.
stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("match_key", Text, nullable=False),                      # type|source|target, as clustering compares them
    Column("type", String(16), nullable=False), Column("cameo", String(8)), Column("quad_class", Integer),
    Column("goldstein", Float),
    Column("source_name", Text), Column("source_country", String(3)), Column("source_code", String(32)),
    Column("target_name", Text), Column("target_country", String(3)), Column("target_code", String(32)),
    Column("first_date", String(10)), Column("last_date", String(10)),
    Column("sentence", Text),                                       # the first event's sentence, for listings
    Column("events", Integer, nullable=False, default=0),
    Column("mentions", Integer, nullable=False, default=0),          # like GDELT's NumMentions
    Column("articles", Integer, nullable=False, default=0),          # NumArticles (near-duplicates not counted)
    Column("sources", Integer, nullable=False, default=0),           # NumSources: distinct publishers
    Column("copies", Integer, nullable=False, default=0),            # near-duplicate articles that repeat it
    Column("updated_at", String(32)),
)

# Version 2. What `watch` has polled: per feed its validators and backoff, per source the items already taken.
feeds = Table(
    "feeds", metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text), Column("last_modified", Text), Column("status", Integer),
    Column("failures", Integer, nullable=False, default=0),
    Column("retry_at", Float),                                       # seconds since the epoch; None: due now
    Column("checked_at", String(32)),
)

feed_items = Table(
    "feed_items", metadata,
    Column("source", Text, primary_key=True),                         # a feed URL or a watched directory
    Column("item", Text, primary_key=True),                           # an entry id or link, or a file's path+stamp
    Column("seen_at", String(32)),
)

# Version 2. MinHash signatures of stored originals, so the near-duplicate index loads without rehashing.
signatures = Table(
    "signatures", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
)

Index("events_type", events.c.type)
Index("events_source", events.c.source_country)
Index("events_target", events.c.target_country)
Index("events_date", events.c.date)
Index("events_article", events.c.article_id)
Index("events_modality", events.c.modality)
Index("actors_article", actors.c.article_id)
# Version 4: the graph finds an actor's kind in its article by one seek; the actors list groups by identity
# straight from an index (it replaces the index on the name alone, a prefix of it).
Index("actors_identity", actors.c.name, actors.c.kind, actors.c.country, actors.c.code, actors.c.article_id)
Index("actors_article_name", actors.c.article_id, actors.c.name, actors.c.kind)
Index("mentions_actor", mentions.c.actor_id)
Index("event_mentions_event", event_mentions.c.event_id)
Index("quotes_article", quotes.c.article_id)
Index("quotes_speaker", quotes.c.speaker_name)
Index("claims_article", claims.c.article_id)
Index("stances_claim", stances.c.claim_id)
Index("claims_proposition", claims.c.proposition_id)
Index("claims_match", claims.c.match_key)
Index("propositions_key", propositions.c.match_key, propositions.c.last_date)
Index("propositions_sides", propositions.c.source_key, propositions.c.target_key)
Index("sentences_article", sentences.c.article_id)
Index("articles_published", articles.c.published)
Index("events_story", events.c.story_id)
Index("stories_key", stories.c.match_key, stories.c.last_date)
Index("stories_last_date", stories.c.last_date)
