"""Schema versions: a new store is created at the current version; an older one is migrated forward."""
from __future__ import annotations

from sqlalchemy import select

from . import schema as s
from .transactions import write_transaction

CLAIMS_STALE = "claims_stale"   # meta key: claims stored by an older eventwire, to be rebuilt

# version -> list of SQL statements that bring a store from version-1 to version (valid in both dialects);
# tables new in a version need no statement: create_all adds them after the steps have run.
MIGRATIONS: dict[int, list[str]] = {
    2: ["CREATE INDEX IF NOT EXISTS events_story ON events (story_id)"],   # stories, feeds, signatures: new tables
    3: ["ALTER TABLE claims ADD COLUMN match_key TEXT",                    # propositions: a new table
        "ALTER TABLE claims ADD COLUMN day VARCHAR(10)",
        "ALTER TABLE claims ADD COLUMN proposition_id INTEGER",
        "CREATE INDEX IF NOT EXISTS claims_proposition ON claims (proposition_id)",
        "CREATE INDEX IF NOT EXISTS claims_match ON claims (match_key)",
        # Older claims were grouped per article and dropped unattached denials: `reprocess` rebuilds them.
        f"INSERT INTO meta (key, value) SELECT '{CLAIMS_STALE}', '1' WHERE EXISTS (SELECT 1 FROM articles)"],
    4: ["CREATE INDEX IF NOT EXISTS actors_article_name ON actors (article_id, name, kind)",
        "CREATE INDEX IF NOT EXISTS actors_identity ON actors (name, kind, country, code, article_id)",
        "DROP INDEX IF EXISTS actors_name"],
}
MIGRATION_LOCK = 80_211_308    # any constant: PostgreSQL's advisory lock that serializes concurrent openers


class SchemaError(RuntimeError):
    pass


def current_version(c) -> int | None:
    """The store's schema version; None for an empty database."""
    if not c.dialect.has_table(c, "meta"):
        return None
    row = c.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version")).first()
    return int(row[0]) if row else None


def migrate(engine) -> int:
    """Create missing tables, then apply the migrations between the store's version and ours."""
    with engine.connect() as c:
        if current_version(c) == s.SCHEMA_VERSION:
            return s.SCHEMA_VERSION             # the usual case: nothing to do, and no lock taken
    with write_transaction(engine) as c:
        if c.dialect.name == "postgresql":
            c.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        version = current_version(c)
        if version is None:
            s.metadata.create_all(c)
            c.execute(s.meta.insert().values(key="schema_version", value=str(s.SCHEMA_VERSION)))
            return s.SCHEMA_VERSION
        if version > s.SCHEMA_VERSION:
            raise SchemaError(f"store schema version {version} is newer than this eventwire ({s.SCHEMA_VERSION})")
        for step in range(version + 1, s.SCHEMA_VERSION + 1):
            for statement in MIGRATIONS.get(step, []):
                c.exec_driver_sql(statement)
        s.metadata.create_all(c)
        if version != s.SCHEMA_VERSION:
            c.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value=str(s.SCHEMA_VERSION)))
    return s.SCHEMA_VERSION
