"""Claims across articles: every article's claims join propositions, so one claim gathers every stance on it.

A proposition is keyed by event type and both sides' identities (claims.proposition_key) and spans the
days of its claims: a claim joins the proposition of its key whose days lie within the window of its own,
else starts one. A denial that named no claim of its article ("Iran rejected the accusations") joins the
nearest event proposition with the denier on one side, stated in the same or an earlier article within the
window; with none it stays an unattached denial, and a claim stored later may still take it. A reported
clause's proposition (type CLAIM, keyed by its predicate and participants) is matched by its key alone.
Grouping runs inside the article's write transaction and reads only the propositions of its keys.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, or_, select

from .. import settings
from . import schema as s

DENIAL = "denial"
PROPOSITION = "CLAIM"      # a reported clause's proposition (claims.PropositionClaim), not an event
NO_ACTOR = "-"


@lru_cache(maxsize=1)
def window() -> int:
    """Read once per process: the config file is not read again for every claim."""
    return settings.claim_window_days()


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def shift(day: date, days: int) -> str:
    return (day + timedelta(days=days)).isoformat()


def take_lock(c) -> None:
    """Serialize groupings in PostgreSQL with a row lock (SQLite's write transaction holds its lock already)."""
    if c.dialect.name == "postgresql":
        c.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value=s.meta.c.value))


def group_claims(c, claim_ids: list[int], now: str) -> set[int]:
    """Give the new claims and denials their propositions; returns the propositions touched (recounted)."""
    if not claim_ids:
        return set()
    take_lock(c)
    rows = [dict(r._mapping) for r in c.execute(select(s.claims).where(s.claims.c.id.in_(claim_ids))
                                                  .order_by(s.claims.c.id))]
    touched: set[int] = set()
    joined = [{"claim": row["id"], "proposition_id": join_or_start(c, row, now)} for row in rows if row["type"]]
    if joined:
        c.execute(s.claims.update().where(s.claims.c.id == bindparam("claim")), joined)
        touched.update(j["proposition_id"] for j in joined)
    denials = [row for row in rows if not row["type"]]
    counted = False
    if denials:       # a denial may deny a claim of its own article that names the denier as target
        refresh(c, touched, now)
        counted = True
    for row in denials:
        found = proposition_for_denial(c, row)
        if found is not None:
            set_proposition(c, [row["id"]], found)
            touched.add(found)
    for proposition_id in sorted(touched):
        earlier = earlier_denials(c, proposition_id)
        if earlier and not counted:      # which proposition a denial takes reads the counts: bring them up to date
            refresh(c, touched, now)
            counted = True
        adopt_earlier_denials(c, proposition_id, earlier)
    refresh(c, touched, now)
    return touched


def set_proposition(c, claim_ids: list[int], proposition_id: int | None) -> None:
    c.execute(s.claims.update().where(s.claims.c.id.in_(claim_ids)).values(proposition_id=proposition_id))


def join_or_start(c, row: dict, now: str) -> int:
    """The nearest proposition of the claim's key that takes its day within the window, else a new one (its id;
    the caller records it on the claim)."""
    day, days, p = parse_day(row["day"]), window(), s.propositions.c
    fitting = []
    if day is not None:
        query = select(p.id, p.first_date, p.last_date).where(
            p.match_key == row["match_key"], p.last_date >= shift(day, -days), p.first_date <= shift(day, days))
        for cand in c.execute(query):
            first, last = min(parse_day(cand.first_date), day), max(parse_day(cand.last_date), day)
            if (last - first).days <= 2 * days:       # a running feud is not one endless claim
                distance = max((parse_day(cand.first_date) - day).days, (day - parse_day(cand.last_date)).days, 0)
                fitting.append((distance, -cand.id, cand.id, first, last))
    if not fitting:
        return start(c, row, now)
    _, _, chosen, first, last = min(fitting)
    # the range stays current, so the next claim of this transaction sees it
    c.execute(s.propositions.update().where(p.id == chosen)
              .values(first_date=first.isoformat(), last_date=last.isoformat()))
    return chosen


def start(c, row: dict, now: str) -> int:
    _, source_key, target_key = (row["match_key"] or "||").split("|", 2)
    return c.execute(s.propositions.insert().values(
        match_key=row["match_key"], type=row["type"], source_key=source_key, target_key=target_key,
        source_name=row["source_name"], source_country=row["source_country"], target_name=row["target_name"],
        target_country=row["target_country"], first_date=row["day"], last_date=row["day"], updated_at=now,
    )).inserted_primary_key[0]


def proposition_for_denial(c, row: dict) -> int | None:
    """The proposition a denial of 'the accusations' denies: the accused (its source) stated on or before
    the denial's day and no more than the window before it; its receiving side only in the denial's article.
    With no claim of its own article and several against the denier in others, it denies none of them."""
    day, who = parse_day(row["day"]), denier(row)
    if day is None or who in (None, NO_ACTOR):
        return None
    p = s.propositions.c
    query = select(p.id, p.source_key, p.last_date).where(
        or_(p.source_key == who, p.target_key == who), p.type != PROPOSITION, p.first_date <= day.isoformat(),
        p.last_date >= shift(day, -window()), p.asserted_articles > 0)
    ranked = [((cand.source_key != who), max(0, (day - parse_day(cand.last_date)).days), -cand.id, cand.id)
              for cand in c.execute(query)
              if cand.source_key == who or stated_in(c, cand.id, row["article_id"])]
    accused_elsewhere = [r for r in ranked if not r[0] and not stated_in(c, r[3], row["article_id"])]
    if not any(stated_in(c, r[3], row["article_id"]) for r in ranked) and len(accused_elsewhere) > 1:
        return None      # several open accusations against the denier in other articles: which one is unknown
    return min(ranked)[3] if ranked else None


def stated_in(c, proposition_id: int, article_id: int) -> bool:
    """Whether the article states the proposition: a denial by a claim's receiving side ("Russia rejected the
    accusations" of shipments to Russia) is read as that claim's only in the article that states it."""
    cl = s.claims.c
    return c.execute(select(cl.id).where(cl.proposition_id == proposition_id, cl.article_id == article_id,
                                         cl.type.is_not(None)).limit(1)).first() is not None


def denier(row: dict) -> str | None:
    key = row["match_key"] or ""
    return key.split("|", 1)[1] if key.startswith(DENIAL + "|") else None


def earlier_denials(c, proposition_id: int) -> list[dict]:
    """Unattached denials stored before this proposition's claim (articles out of order) that may deny it:
    by its accused, within its days and the window after them."""
    p, cl = s.propositions.c, s.claims.c
    prop = c.execute(select(p.type, p.source_key, p.target_key, p.first_date, p.last_date)
                     .where(p.id == proposition_id)).first()
    if prop is None:
        return []
    first, last = parse_day(prop.first_date), parse_day(prop.last_date)
    if first is None or prop.type == PROPOSITION:     # a denial of 'the claims' names no proposition
        return []
    keys = [f"{DENIAL}|{k}" for k in (prop.source_key,) if k and k != NO_ACTOR]     # the accused
    if not keys:
        return []
    query = select(cl.id, cl.match_key, cl.day, cl.article_id).where(
        cl.type.is_(None), cl.proposition_id.is_(None), cl.match_key.in_(keys), cl.day >= first.isoformat(),
        cl.day <= shift(last, window()))
    return [dict(r._mapping) for r in c.execute(query)]


def adopt_earlier_denials(c, proposition_id: int, earlier: list[dict]) -> None:
    """Of the earlier denials, those this proposition would take if stored now: not one that several
    accusations could take."""
    ids = [row["id"] for row in earlier if proposition_for_denial(c, row) == proposition_id]
    if ids:
        set_proposition(c, ids, proposition_id)


def propositions_of_article(c, article_id: int) -> set[int]:
    query = select(s.claims.c.proposition_id).where(s.claims.c.article_id == article_id,
                                                    s.claims.c.proposition_id.is_not(None))
    return {r[0] for r in c.execute(query.distinct())}


def refresh(c, proposition_ids, now: str) -> None:
    """Recount propositions from their claims' stances; drop those no claim states any more."""
    ids = sorted(set(proposition_ids))
    for begin in range(0, len(ids), 500):
        chunk = ids[begin:begin + 500]
        stances = defaultdict(list)
        for r in c.execute(stance_query(chunk)):
            stances[r.proposition_id].append(r)
        updates = []
        for proposition_id in chunk:
            values = counts(stances.get(proposition_id, []))
            if values is None:
                set_proposition(c, select_ids_of(c, proposition_id), None)
                c.execute(s.propositions.delete().where(s.propositions.c.id == proposition_id))
            else:
                updates.append({"proposition": proposition_id, "updated_at": now, **values})
        if updates:          # one statement, many rows: the SET columns are the rows' keys
            c.execute(s.propositions.update().where(s.propositions.c.id == bindparam("proposition")), updates)


def select_ids_of(c, proposition_id: int) -> list[int]:
    return [r[0] for r in c.execute(select(s.claims.c.id).where(s.claims.c.proposition_id == proposition_id))]


def stance_query(proposition_ids: list[int]):
    cl, st, a = s.claims.c, s.stances.c, s.articles.c
    return (select(cl.proposition_id, cl.id.label("claim_id"), cl.type, cl.day, cl.source_name, cl.source_country,
                   cl.target_name, cl.target_country, a.id.label("article_id"), a.source.label("publisher"),
                   st.stance, st.actor_name, st.actor_country)
            .select_from(s.claims.join(s.articles, a.id == cl.article_id)
                         .outerjoin(s.stances, st.claim_id == cl.id))
            .where(cl.proposition_id.in_(proposition_ids)).order_by(cl.id))


def side_of(r, claim_type: str) -> str:
    """Who takes a stance: on an event, a state and its organs are one side (the country); on a reported
    proposition (type CLAIM) each actor is its own, so a minister and the shadow minister are two."""
    if claim_type == PROPOSITION and r.actor_name:
        return r.actor_name.lower()
    return r.actor_country or r.actor_name.lower()


def same_side(a: str, d: str) -> bool:
    """One actor named in full and by surname ("michael howard", "howard") is one side."""
    return a == d or a.endswith(" " + d) or d.endswith(" " + a)


def counts(rows: list) -> dict | None:
    """Per side (asserting: asserted or reported; denying) the articles and distinct publishers, the date range,
    and whether one actor asserts what another denies."""
    typed = [r for r in rows if r.type]
    if not typed:
        return None
    days = sorted(r.day for r in typed if r.day)
    sides = {"asserted": (set(), set()), "denied": (set(), set())}
    asserters, deniers = set(), set()
    for r in rows:
        if r.stance is None:
            continue
        side = "denied" if r.stance == "denied" else "asserted"
        sides[side][0].add(r.article_id)
        sides[side][1].add((r.publisher or "").strip().lower() or f"article {r.article_id}")
        if r.stance != "reported" and (r.actor_name or r.actor_country):
            (deniers if side == "denied" else asserters).add(side_of(r, typed[0].type))
    first = typed[0]
    return {"first_date": days[0] if days else None, "last_date": days[-1] if days else None,
            "source_name": first.source_name, "source_country": first.source_country,
            "target_name": first.target_name, "target_country": first.target_country,
            "contested": int(any(not same_side(a, d) for a in asserters for d in deniers)),
            "asserted_articles": len(sides["asserted"][0]), "asserted_sources": len(sides["asserted"][1]),
            "denied_articles": len(sides["denied"][0]), "denied_sources": len(sides["denied"][1]),
            "articles": len({r.article_id for r in rows})}


def stale(c) -> bool:
    """Whether the store's claims were written by an older eventwire and need `eventwire reprocess`."""
    from .migrations import CLAIMS_STALE
    return c.execute(select(s.meta.c.value).where(s.meta.c.key == CLAIMS_STALE)).first() is not None


def mark_fresh(c) -> None:
    from .migrations import CLAIMS_STALE
    c.execute(s.meta.delete().where(s.meta.c.key == CLAIMS_STALE))

