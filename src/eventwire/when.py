"""The when stage: a date (or range) on every event whose sentence names a time.

Relative expressions are resolved against the publication date by our own rules ("on Tuesday",
"later this week", "in the coming weeks"); explicit dates go to dateparser. An event whose sentence
gives no time has no date, with one exception: a physical happening (an attack, an arrest, a march)
told right after a day the story has named ("A bomb exploded in Lima today. The attack destroyed...")
happened that day, the story's running time (source "story"). Read by hand, the time told earlier was
the event's in only 6 of 20 events of every kind, and the publication date in 0 of 4, so statements and
plans take none; the article's own date stays on the article.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date, datetime, timedelta

from .model import Event, Extraction, When
from .nlp import ents_of, text_of

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
DAY_BEFORE = re.compile(r"\b(\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)$")
# A preposition a time expression may begin with ("in June 2004"): not part of the date.
LEADING_PREPOSITION = r"(?:on|in|since|by|from|until|at|of)\s+"
MONTH_YEAR = re.compile(rf"(?:{LEADING_PREPOSITION})?([A-Za-z]+\.?),?\s+(?:of\s+)?(1[89]\d\d|20\d\d)$", re.I)
MONTH_WORDS = frozenset(MONTHS) | {m[:3] for m in MONTHS} | {"sept"}
PRECISION_ORDER = {"day": 0, "week": 1, "range": 2, "month": 3, "year": 4}
# Deictic time words are a closed class: today, yesterday, last night, this morning...
DEICTIC = re.compile(r"\b(?:today|yesterday|tonight|overnight|last\s+night|(?:this|yesterday)\s+(?:morning|afternoon|evening)"
                     r"|(?:the\s+)?(?:past|last)\s+(?:few\s+|several\s+|24\s+)hours|(?:a\s+few|several)\s+days\s+ago)\b",
                     re.I)
DEICTIC_WORDS = ("today", "yesterday", "tonight", "night", "morning", "afternoon", "evening", "hours", "ago")
TIME_LABELS = ("DATE", "TIME")      # "last night", "this morning" are TIME to the recognizer
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}


# Events that happen at a time and place (a bombing, an arrest, a march, a deployment): the story's running
# time is theirs when their sentence tells none. Statements, accusations and plans take no such time.
PHYSICAL_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE"})
# How far back a physical happening whose sentence tells no time looks for the day the story is at.
CARRY_CHARS = 600
# "Meanwhile, in Ciudad Bolivar...", "In other military actions", "Terrorists also attacked": the sentence
# opens another incident, whose time the story has not told.
# Verbs whose object is a happening done: "perpetrated this murder", "staged an attack".
DOING_VERBS = frozenset({"perpetrate", "commit", "carry", "stage", "launch", "mount", "conduct", "make"})
NEW_INCIDENT = re.compile(r"\b(?:also|meanwhile|moreover|elsewhere|in (?:other|another|a separate))\b", re.I)


def run(x: Extraction) -> None:
    published = x.article.published
    x.times = list(time_expressions(x, published))
    spans = sorted(time_spans(x))
    x.running = running_times(x)
    for event in x.events:
        # An event told twice (the headline, then the lead) takes the time the first telling with one gives.
        when = next((w for m in event.mentions for w in [sentence_when(spans, m, event, published)] if w), None)
        if when is None and event.type in PHYSICAL_TYPES:
            when = next((w for m in event.mentions for s, e, w in x.running if s <= m.start < e), None)
        event.when = when or When(None)


def running_times(x: Extraction) -> list[tuple[int, int, When]]:
    """(start, end, When) of each body sentence that tells a physical happening and names no time of its
    own, with the day the story is at there: the latest day told in the sentences just before it (never
    the dateline's date, which is when the story was filed)."""
    filed = dateline_end(x)
    days = [(s, w) for s, e, w in x.times if w.precision == "day" and s >= filed]
    out = []
    for sentence in happening_sentences(x):
        if any(sentence.start <= s < sentence.end for s, _, _ in x.times) \
                or NEW_INCIDENT.search(sentence.text[:80]):
            continue
        before = [w for s, w in days if sentence.start - CARRY_CHARS <= s < sentence.start]
        if before:
            w = before[-1]
            out.append((sentence.start, sentence.end, When(w.date, w.end, w.precision, w.text, "story")))
    return out


def happening_sentences(x: Extraction):
    """Body sentences that narrate a physical happening in the past: a trigger word of a physical event type
    ("exploded", "ambush", "arrested") in a clause told in the simple past."""
    happening = happening_indexes(x)
    return [sentence for sentence in x.sentences if sentence.index in happening]


def happening_indexes(x: Extraction) -> frozenset:
    """The indexes of the sentences `happening_sentences` gives, found once per article (the where stage
    asks too)."""
    if "happening" not in x.scratch:
        x.scratch["happening"] = frozenset(sentence.index for sentence, span in sentences_with_docs(x)
                                           if sentence.field == "text" and tells_happening(span))
    return x.scratch["happening"]


def tells_happening(span) -> bool:
    """A trigger word of a physical event type in a clause told in the simple past."""
    from .events.lexicon import lexicon
    triggers = lexicon().triggers_of(PHYSICAL_TYPES)
    return any(told_in_past(t) for t in span if (t.lemma_.lower(), t.pos_) in triggers)


def sentences_with_docs(x: Extraction):
    """(Sentence, spaCy span) pairs, in order."""
    index = 0
    for p, doc in enumerate(x.docs):
        for sent in doc.sents:
            if index < len(x.sentences) and x.sentences[index].paragraph == x.paragraphs[p].index:
                yield x.sentences[index], sent
            index += 1


def told_in_past(token) -> bool:
    """The clause of a word is in the simple past ("was killed", "attacked", "were heard"): news narrates the
    story's happenings so; the present perfect opens a new report ("Police have arrested"), and the present
    and the future speak of what is not yet over ("will be the final stop", "is taking over")."""
    if token.pos_ == "NOUN" and not happening_noun(token):
        return False
    verb = token
    for _ in range(4):
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return True
        if auxes or verb.tag_ not in ("VBN", "VBG") or verb.dep_ != "acl":
            return False
        verb = verb.head        # a participle modifying a noun ("a bomb planted at"): its clause's tense
    return False


def happening_noun(token) -> bool:
    """A noun for a happening tells it when it is what happened ("The attack killed", "explosions were heard")
    or the occasion of what happened ("killed in an ambush", "during the attack"); as the object of a
    statement ("claimed responsibility for the destruction", "discuss the attack") it is only spoken of."""
    if token.dep_ in ("nsubj", "nsubjpass"):
        return True
    if token.dep_ == "dobj":         # "perpetrated this murder", "staged an attack"
        return token.head.lemma_.lower() in DOING_VERBS
    if token.dep_ == "pobj" and token.head.lower_ == "of":      # "the site of a similar explosion"
        return token.head.head.lemma_.lower() in ("site", "scene")
    return token.dep_ == "pobj" and token.head.lower_ in ("in", "during", "after", "following", "by")


def dateline_end(x: Extraction) -> int:
    """Where the dateline ("Lima, 22 Dec 88 (EFE) --") ends in the original text, or -1."""
    from .actors.home import dateline_match
    m = dateline_match(x)
    if not m:
        return -1
    title = (x.article.title or "").strip() if x.article.title_in_text else None
    body = next(p for p in x.paragraphs if p.field == "text" and p.text.strip() != title)
    return body.original_span(m.start(), m.end())[1]


def time_expressions(x: Extraction, published):
    """(start, end, When) of every time expression the article resolves to a date."""
    for p, doc in enumerate(x.docs):
        paragraph = x.paragraphs[p]
        if paragraph.field != "text":
            continue
        for start, end, text in paragraph_expressions(x, p):
            when = resolve(text, published)
            if when and when.date:
                yield start, end, when


def paragraph_expressions(x: Extraction, p: int) -> list[tuple[int, int, str]]:
    """The time expressions of the article's paragraph p, found once per article."""
    found = x.scratch.setdefault("time_expressions", {})
    if p not in found:
        found[p] = list(expressions(x.paragraphs[p], x.docs[p]))
    return found[p]


def expressions(paragraph, doc):
    """(original start, end, text) of the recognizer's dates and times, and of the deictic time words it
    missed ("Early this morning, two bombs..."): a closed class, read directly."""
    taken, text = [], text_of(doc)
    for ent in ents_of(doc):
        if ent.label_ in TIME_LABELS:
            start, end = widened(text, ent.start_char, ent.end_char)
            taken.append((start, end))
            yield (*paragraph.original_span(start, end), text[start:end])
    low = text.lower()
    if not any(word in low for word in DEICTIC_WORDS):
        return      # (the regular expression is slow; every deictic expression holds one of these words)
    for m in DEICTIC.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            yield (*paragraph.original_span(m.start(), m.end()), m.group(0))


def widened(text: str, start: int, end: int) -> tuple[int, int]:
    """A month the recognizer cut from its day ("the night of 16 | December", "21 | December"): the day
    written right before it belongs to it."""
    if month_number(text[start:end].split()[0] if text[start:end].split() else "") is None:
        return start, end
    m = DAY_BEFORE.search(text, max(0, start - 12), start)
    return (m.start(1), end) if m else (start, end)


def span_when(x: Extraction, start: int, end: int) -> When | None:
    """The date of what a span of the article (a sentence) tells: its events' dates from the sentence,
    else the first time expression inside it."""
    for event in x.events:
        m = event.mentions[0]
        if m.start < end and start < m.end and event.when and event.when.source == "sentence":
            return event.when
    inside = [w for s, e, w in x.times if start <= s < end]
    # Of several times in a sentence the day is the event's; a year beside it ("since 2016") is context.
    precise = min(inside, key=lambda w: PRECISION_ORDER.get(w.precision, 9)) if inside else None
    return precise or next((w for s, e, w in x.running if start <= s < end), None)


def time_spans(x: Extraction):
    """(field, original start, text) of every time expression, once per article."""
    for p, doc in enumerate(x.docs):
        paragraph = x.paragraphs[p]
        for start, _, text in paragraph_expressions(x, p):
            yield paragraph.field, start, text


def sentence_when(spans: list, m, event: Event, published) -> When | None:
    """The time of the sentence of a mention of the event: the most precise one (a day before a year beside
    it: "on Friday ... since 2016"), the nearest the trigger among equals."""
    trigger = m.trigger_start if m.trigger_start is not None else m.start
    lo = bisect_left(spans, (m.field, m.start, ""))
    best = None
    for field, start, text in spans[lo:]:
        if field != m.field or start >= m.end:
            break
        when = resolve(text, published, future=event.modality == "planned")
        if when is None or when.date is None:
            continue
        rank = (PRECISION_ORDER.get(when.precision, 9), abs(start - trigger))
        if best is None or rank < best[0]:
            best = (rank, when)
    return best[1] if best else None


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def resolve(text: str, published: date | None, future: bool = False) -> When | None:
    """A time expression as a day or a range, relative ones against the publication date."""
    low = " ".join(text.lower().split())
    if published:
        found = relative(low, published, future)
        if found:
            start, end, precision = found
            return When(start, end if end != start else None, precision, text, "sentence")
    return explicit(text, published, future)


def relative(low: str, pub: date, future: bool):
    """(start, end, precision) for expressions that only make sense against a date."""
    day = timedelta(days=1)
    week_start = monday(pub)
    simple = {"today": (pub, pub, "day"), "tonight": (pub, pub, "day"), "overnight": (pub, pub, "day"),
              "last night": (pub - day, pub - day, "day"), "yesterday": (pub - day, pub - day, "day"),
              "tomorrow": (pub + day, pub + day, "day")}
    for word, value in simple.items():
        if re.search(rf"\b{word}\b", low):
            return value
    if re.search(r"\bthis (morning|afternoon|evening)\b", low):
        return pub, pub, "day"
    if re.search(r"\b(?:past|last) (?:few |several |24 )hours\b", low):
        return pub, pub, "day"      # "in the past few hours": the day of the report
    if re.search(r"\bsince the (?:start|beginning) of (?:the|this) year\b", low):
        return date(pub.year, 1, 1), pub, "range"
    ahead = re.search(r"\b(?:(?:over|in|within|during) )?the (?:next|coming) (\d+|two|three|four|five|six|seven|eight|nine|ten)"
                      r" (day|week|month|year)s\b", low)
    if ahead:
        # "over the next 48 months": a span that starts now
        n = int(ahead.group(1)) if ahead.group(1).isdigit() else NUMBER_WORDS[ahead.group(1)]
        days = n * {"day": 1, "week": 7, "month": 30, "year": 365}[ahead.group(2)]
        return pub, pub + timedelta(days=min(days, 36500)), "range"
    ago = re.search(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten) (day|week|month|year)s? ago\b", low)
    if ago:
        n = int(ago.group(1)) if ago.group(1).isdigit() else NUMBER_WORDS[ago.group(1)]
        unit = {"day": 1, "week": 7, "month": 30, "year": 365}[ago.group(2)]
        d = pub - timedelta(days=n * unit)
        return d, d, "day" if ago.group(2) == "day" else ago.group(2)
    if re.search(r"\b(a few|several|few) days ago\b", low):
        return monday(pub - 4 * day), monday(pub - 4 * day) + 6 * day, "week"
    if "weekend" in low:
        saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
        if future or "next" in low or "coming" in low:
            saturday = pub + timedelta(days=(5 - pub.weekday()) % 7)
        return monday(saturday), saturday + day, "week"
    if "coming days" in low or "next few days" in low:
        return pub, pub + 7 * day, "range"
    if "coming weeks" in low or "next few weeks" in low:
        return pub, pub + 28 * day, "range"
    if "coming months" in low or "next few months" in low:
        return pub, pub + 120 * day, "range"
    weeks = week_phrase(low, pub, week_start)
    if weeks:
        return weeks
    months = month_phrase(low, pub)
    if months:
        return months
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", low) and not any(m in low for m in MONTHS):
            if future or "next" in low:
                d = pub + timedelta(days=(i - pub.weekday()) % 7)
            else:
                d = pub - timedelta(days=(pub.weekday() - i) % 7)
            if "last" in low and d == pub:
                d -= 7 * day
            return d, d, "day"
    return None


def week_phrase(low: str, pub: date, week_start: date):
    """'this week', 'later this week', 'at the end of the week', 'last week', 'next week'."""
    day = timedelta(days=1)
    if "week" not in low or re.search(r"\d+ weeks?", low):
        return None
    start = week_start
    if "last week" in low or "previous week" in low:
        start = week_start - 7 * day
    elif "next week" in low:
        start = week_start + 7 * day
    end = start + 6 * day
    if "end of" in low:
        return start + 4 * day, end, "range"
    if "beginning of" in low or "start of" in low or "early" in low and "earlier" not in low:
        return start, start + 2 * day, "range"
    if "later this week" in low or "later in the week" in low:
        return pub, end, "range"
    if "earlier this week" in low or "earlier in the week" in low:
        return start, pub, "range"
    if "this week" in low or "the week" in low or "last week" in low or "next week" in low:
        return start, end, "week"
    return None


def month_phrase(low: str, pub: date):
    """'this month', 'earlier this month', 'last month', 'this year', 'last year'."""
    first = pub.replace(day=1)
    last_month_end = first - timedelta(days=1)
    if "earlier this month" in low:
        return first, pub, "range"
    if "this month" in low:
        return first, next_month(first) - timedelta(days=1), "month"
    if "last month" in low:
        return last_month_end.replace(day=1), last_month_end, "month"
    if "next month" in low:
        start = next_month(first)
        return start, next_month(start) - timedelta(days=1), "month"
    if "this year" in low or "earlier this year" in low:
        return date(pub.year, 1, 1), date(pub.year, 12, 31), "year"
    if "last year" in low:
        return date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31), "year"
    if "next year" in low:
        return date(pub.year + 1, 1, 1), date(pub.year + 1, 12, 31), "year"
    return None


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?\b")
MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?")
# "at 2220", "at approximately 0600 hours": a 24-hour clock time, which must not be read as a year.
MILITARY_TIME = re.compile(r"\bat\s+(?:approximately\s+|about\s+|around\s+)?[0-2]\d[0-5]\d(?:\s*hours?)?\b")


def month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    for i, name in enumerate(MONTHS, 1):
        if len(word) >= 3 and name.startswith(word):
            return i
    return None


def nearest_year(month: int, day: int, published: date | None, year: int | None) -> date | None:
    """A day and month without a year fall in the year that puts them nearest the publication date."""
    if year:
        candidates = [year]
    elif published:
        candidates = [published.year - 1, published.year, published.year + 1]
    else:
        return None
    dates = []
    for y in candidates:
        try:
            dates.append(date(y, month, day))
        except ValueError:
            continue
    if not dates:
        return None
    return min(dates, key=lambda d: abs((d - published).days)) if published and not year else dates[0]


def day_and_month(text: str, published: date | None) -> date | None | bool:
    """'13 December', 'December 13, 1988', 'on 29 July at 2220' read directly; False for a day and month
    that name no day of the calendar ("31 February", "0 June"), which date nothing."""
    cleaned = MILITARY_TIME.sub(" ", text)
    impossible = False
    for pattern, order in ((DAY_MONTH, "dm"), (MONTH_DAY, "md")):
        for m in pattern.finditer(cleaned):
            day_s, month_s = (m.group(1), m.group(2)) if order == "dm" else (m.group(2), m.group(1))
            month = month_number(month_s)
            if not month or not day_s.isdigit() or month_s.lower().rstrip(".") not in MONTH_WORDS:
                continue
            if not 1 <= int(day_s) <= 31:
                impossible = True
                continue
            found = nearest_year(month, int(day_s), published, int(m.group(3)) if m.group(3) else None)
            if found:
                return found
            impossible = True
    return False if impossible else None


def month_only(low: str, published: date | None, future: bool = False) -> When | None:
    """'last December', 'in early October', 'July': news tells what has happened, so the latest such
    month up to the publication's (the next one for a planned event or after 'next')."""
    words = re.findall(r"[a-z]+", low)
    month = next((month_number(w) for w in words if len(w) >= 3 and month_number(w) and w in MONTHS), None)
    if month is None or not published or re.search(r"\b(1[89]\d\d|20\d\d)\b", low):
        return None
    this_month = published.replace(day=1)
    options = [date(published.year + k, month, 1) for k in (-1, 0, 1)]
    if "last" in words:
        # "last December" points back whatever the tense around it ("pledged to reach ... last December")
        start = max(o for o in options if o < this_month)
    elif future or "next" in words:
        start = min(o for o in options if o >= this_month)
    else:
        start = max(o for o in options if o <= this_month)
    return When(start, next_month(start) - timedelta(days=1), "month", None, "sentence")


def explicit(text: str, published: date | None, future: bool = False) -> When | None:
    """'10 September', 'March 3, 2023', 'in March 2023', 'in 2019'; dateparser for the rest."""
    found = day_and_month(text, published)
    if found is False:
        return None
    if found:
        return When(found, None, "day", text, "sentence")
    by_month = month_only(text.lower(), published, future)
    if by_month:
        by_month.text = text
        return by_month
    low = text.lower()
    has_month = any(m in low or m[:3] + " " in low + " " or m[:3] + "." in low for m in MONTHS)
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
    has_day = bool(re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", re.sub(r"\b(1[89]\d\d|20\d\d)\b", "", text)))
    if not has_month and year and not has_day:
        y = int(year.group(1))
        return When(date(y, 1, 1), date(y, 12, 31), "year", text, "sentence")
    if not has_month or (not year and not published):
        return None
    if not has_day and year:    # dateparser reads no more of these than "June 2004" (not "late May 2016")
        parsed = month_and_year(text)
    else:
        parsed = parse_with_dateparser(text, published)
    if parsed is None:
        return None
    if not has_day:
        start = parsed.replace(day=1)
        return When(start, next_month(start) - timedelta(days=1), "month", text, "sentence")
    return When(parsed, None, "day", text, "sentence")


def month_and_year(text: str) -> date | None:
    """'June 2004', 'in August, 1996', 'November of 1996': a month and a year, the commonest written date with
    no day, read directly (dateparser, which reads them the same, takes a second to load its locales)."""
    m = MONTH_YEAR.match(text.strip())
    if not m or m.group(1).lower().rstrip(".") not in MONTH_WORDS:
        return None
    return date(int(m.group(2)), month_number(m.group(1)), 1)


def parse_with_dateparser(text: str, published: date | None) -> date | None:
    import dateparser
    settings = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False}
    if published:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    cleaned = re.sub(f"^{LEADING_PREPOSITION}", "", text.strip(), flags=re.I)
    try:
        result = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return result.date() if result else None
