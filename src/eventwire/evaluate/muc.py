"""MUC-4: eventwire's events scored against the MUC-3/MUC-4 terrorism templates (Sundheim, MUC-4 1992).

A corpus folder (dev, tst1 ... tst4) holds message files, many messages each, every message opening with its id on
a line of its own ("TST3-MUC4-0001", "DEV-MUC3-0001 (NOSC)"), and key files beside them (key-*). A key gives each
message its templates, numbered slots one a line ("0.  MESSAGE: ID", "1.  MESSAGE: TEMPLATE", "4.  INCIDENT: TYPE",
"5.  INCIDENT: STAGE OF EXECUTION", "10. PERP: ORGANIZATION ID" ...): a slot's further values (another target,
another perpetrator) go on indented lines, one value's alternatives are separated by " / ", strings are quoted,
"-" is an empty slot, and a template whose slots are all "*" says the message reports no relevant incident.
"(OPTIONAL)" after the template number marks one a system need not find. The keys place nothing in the text:
everything is scored per message.

Definitions (the README's evaluate section states them for users):
- A template's PLOVER types: data/muc_plover.tsv applied to each alternative of its incident type and stage
  (a threatened attack is THREATEN, a kidnapping ASSAULT ...); a template with none is unscored.
- Recall: over the scored templates that are not optional, those whose message has an extracted event of one
  of the template's types. Per type, a template counts under the type of its first alternatives.
- Precision: over the extracted events of the types the mapping yields, those whose message has a template
  (optional ones too) of the event's type. MUC templates only terrorist incidents: combat between an army and
  guerrillas, or a threat of sanctions, is a PLOVER event that no template answers.
- Perpetrator agreement: on found templates that name a perpetrator organization, the share where the source of
  some extracted event of the template's type in the message is that organization (see `same_organization`).
  Found templates none of whose events has a source are counted apart (`perpetrator_without_source`).
- Texts: a folder holding the original mixed-case copy of a message file (tst4's `tst4-muc4.mixed-case`) is read
  from that copy; the other folders are upper case only, where the parser tells names from words poorly.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..data import rows
from .score import two_sided

MAPPING_FILE = "muc_plover.tsv"
MIXED_CASE = ".mixed-case"
MESSAGE_ID = re.compile(r"^([A-Z0-9]+-MUC\d-\d{4})\b[^\n]*$", re.M)
SLOT = re.compile(r"^(\d+)\.\s+(.+?)(?:\s{2,}(.*?))?\s*$")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
DATELINE = re.compile(r"\b(\d{1,2}) (JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]* (\d{2})\b", re.I)
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
NOT_A_FOLDER = "not a MUC-4 folder (expected message files and key-* files beside them)"


@dataclass
class Template:
    message: str
    optional: bool
    incidents: list[str]
    stages: list[str]
    plover: list[str]                       # PLOVER types, the first alternatives' type first
    perpetrators: list[list[str]] = field(default_factory=list)    # organizations, each with its alternative names


@dataclass
class Message:
    id: str
    text: str
    published: date | None = None
    templates: list[Template] = field(default_factory=list)        # relevant templates only
    unscored: int = 0                       # relevant templates of types the mapping leaves out


# ---- the mapping ---------------------------------------------------------------------------------

def load_mapping(table=None) -> list[tuple[str, str, str | None]]:
    """(incident, stage, PLOVER type or None) rows of data/muc_plover.tsv, in file order."""
    return [(r["incident"], r["stage"] or "*", None if r.get("plover", "-") in ("", "-") else r["plover"])
            for r in (rows(MAPPING_FILE) if table is None else table)]


def plover_of(incident: str, stage: str, mapping) -> str | None:
    """The first row matching the incident and the stage (* any stage) decides."""
    return next((plover for i, s, plover in mapping if i == incident and s in ("*", stage)), None)


def scored_types(mapping) -> frozenset:
    return frozenset(plover for _, _, plover in mapping if plover)


# ---- reading the keys ----------------------------------------------------------------------------

def slot_blocks(text: str) -> list[dict[str, list[str]]]:
    """Each template as {slot name: its value lines}; ";" comment lines are passed over."""
    templates, current, name = [], None, None
    for line in text.splitlines():
        if line.startswith(";") or not line.strip():
            continue
        m = SLOT.match(line)
        if m:
            name = m.group(2).strip()
            if name == "MESSAGE: ID":
                current = {}
                templates.append(current)
            if current is not None:
                current.setdefault(name, []).append((m.group(3) or "").strip())
        elif line[:1].isspace() and current is not None and name:
            current[name].append(line.strip())
    return templates


def alternatives(value: str) -> list[str]:
    """'ATTACK / BOMBING' -> ['ATTACK', 'BOMBING']; an uncertain '?' mark is dropped."""
    return [v.strip().lstrip("?").strip() for v in value.split(" / ") if v.strip().lstrip("?").strip()]


def organizations(lines: list[str]) -> list[list[str]]:
    """PERP: ORGANIZATION ID: one organization a line, each its quoted alternative names."""
    out = []
    for line in lines:
        names = [n.replace('\\"', '"').strip('" ') for n in QUOTED.findall(line)]
        names = [n for n in names if n]
        if names:
            out.append(names)
    return out


def template_of(block: dict[str, list[str]], mapping) -> Template | None:
    """A relevant template, or None for the "*" template of a message that reports no incident."""
    number = (block.get("MESSAGE: TEMPLATE") or ["*"])[0]
    if number.startswith("*"):
        return None
    message = ((block.get("MESSAGE: ID") or [""])[0].split() or [""])[0]
    incidents = alternatives((block.get("INCIDENT: TYPE") or [""])[0])
    stages = alternatives((block.get("INCIDENT: STAGE OF EXECUTION") or [""])[0]) or ["*"]
    plover = []
    for incident in incidents:
        for stage in stages:
            p = plover_of(incident, stage, mapping)
            if p and p not in plover:
                plover.append(p)
    return Template(message, "OPTIONAL" in number.upper(), incidents, stages, plover,
                    organizations(block.get("PERP: ORGANIZATION ID", [])))


def read_keys(texts: list[str], mapping) -> dict[str, list[Template | None]]:
    """Every message's templates (None for a "*" template), by message id."""
    out: dict[str, list[Template | None]] = {}
    for text in texts:
        for block in slot_blocks(text):
            message = ((block.get("MESSAGE: ID") or [""])[0].split() or [""])[0]
            if message:
                out.setdefault(message, []).append(template_of(block, mapping))
    return out


# ---- reading the messages ------------------------------------------------------------------------

def published(text: str) -> date | None:
    """The dateline's date ("SAN SALVADOR, 3 JAN 90 --"), in the 20th century as the corpus is."""
    m = DATELINE.search(text[:300])
    if not m:
        return None
    try:
        return date(1900 + int(m.group(3)), MONTHS.index(m.group(2).upper()) + 1, int(m.group(1)))
    except ValueError:
        return None


def split_messages(raw: str) -> list[tuple[str, str]]:
    """(id, body) of each message of a message file."""
    heads = list(MESSAGE_ID.finditer(raw))
    return [(head.group(1), raw[head.end():after.start() if after else len(raw)].strip("\n").rstrip())
            for head, after in zip(heads, heads[1:] + [None])]


def message_files(root: Path) -> list[Path]:
    """The folder's message files; a mixed-case copy stands for its upper-case original."""
    files = sorted(p for p in root.iterdir() if p.is_file() and not p.name.startswith(("key-", ".")))
    names = {p.name for p in files}
    return [p for p in files if p.name + MIXED_CASE not in names]


def load_folder(folder: str, mapping=None) -> list[Message]:
    """Every message of the folder that its keys cover, in file order, with its relevant templates."""
    mapping = load_mapping() if mapping is None else mapping
    root = Path(folder)
    if not root.is_dir():
        raise ValueError(f"{folder}: {NOT_A_FOLDER}")
    keys = read_keys([p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.glob("key-*"))], mapping)
    messages = []
    for path in message_files(root):
        for message_id, body in split_messages(path.read_text(encoding="utf-8", errors="replace")):
            if message_id not in keys:
                continue
            templates = [t for t in keys[message_id] if t is not None]
            messages.append(Message(message_id, body, published(body), [t for t in templates if t.plover],
                                    sum(1 for t in templates if not t.plover)))
    if not messages:
        raise ValueError(f"{folder}: {NOT_A_FOLDER}")
    return messages


# ---- perpetrators --------------------------------------------------------------------------------

def folded_words(text: str) -> list[str]:
    """Lower-case words without accents or "the": "the Farabundo Martí Front" -> farabundo marti front."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in re.findall(r"\w+", plain) if w != "the"]


def same_organization(gold: str, source: dict | None) -> bool:
    """A template's perpetrator is the event's source: every word of the template's name is in the source's name
    ("ARMED FORCES" ~ "Salvadoran Armed Forces", "FMLN" ~ "FMLN"), or the knowledge base takes both names for one
    organization ("FMLN" ~ "Farabundo Marti National Liberation Front")."""
    name = (source or {}).get("name") or ""
    words = set(folded_words(gold))
    if not name or not words:
        return False
    if words <= set(folded_words(name)):
        return True
    from ..actors.kb import kb
    a = kb().lookup(gold)
    if a is None:
        return False
    b = kb().lookup(name)
    return folded_words(a.name) == folded_words(name) or (b is not None and (a.name, a.code) == (b.name, b.code))


# ---- scoring -------------------------------------------------------------------------------------

class Tally:
    """Per PLOVER type: templates (gold) and those found (hit), events (found) and those answering one (correct);
    per incident type: templates and those found; perpetrator checks."""

    def __init__(self):
        self.per: dict[str, Counter] = defaultdict(Counter)
        self.incident: dict[str, Counter] = defaultdict(Counter)
        self.c = Counter()
        self.diffs: list[str] = []


def show(event: dict) -> str:
    return (f"{event['type']} {event['trigger']!r} {(event.get('source') or {}).get('name')!r}"
            f"->{(event.get('target') or {}).get('name')!r}")


def score_message(msg: Message, extracted: dict, types: frozenset, t: Tally) -> None:
    """One message: each scored template found or missed (and its perpetrator), each extracted event of a scored
    type answering a template or extra."""
    events = [e for e in extracted["events"] if e["type"] in types]
    t.c["relevant_messages"] += bool(msg.templates or msg.unscored)
    t.c["unscored_templates"] += msg.unscored
    for template in msg.templates:
        if template.optional:
            t.c["optional_templates"] += 1
            continue
        hits = [e for e in events if e["type"] in template.plover]
        for counter in (t.per[template.plover[0]], t.incident[template.incidents[0]]):
            counter["gold"] += 1
            counter["hit"] += bool(hits)
        if not hits:
            t.diffs.append(f"{msg.id}: missed {'/'.join(template.incidents)} ({'/'.join(template.plover)})"
                           f"{' by ' + template.perpetrators[0][0] if template.perpetrators else ''}")
        elif template.perpetrators:
            count_perpetrator(msg, template, hits, t)
    for e in events:
        row = t.per[e["type"]]
        row["found"] += 1
        if any(e["type"] in template.plover for template in msg.templates):
            row["correct"] += 1
        else:
            t.diffs.append(f"{msg.id}: extra {show(e)}")


def count_perpetrator(msg: Message, template: Template, hits: list[dict], t: Tally) -> None:
    sources = [e["source"] for e in hits if e.get("source")]
    if not sources:
        t.c["perpetrator_without_source"] += 1
        return
    ok = any(same_organization(name, source) for names in template.perpetrators for name in names
             for source in sources)
    t.c["perpetrator_checked"] += 1
    t.c["perpetrator_agree"] += ok
    if not ok:
        t.diffs.append(f"{msg.id}: perpetrator gold {' / '.join(template.perpetrators[0])} got "
                       f"{sorted({s.get('name') or '' for s in sources})}")


def scores_of(t: Tally, messages: int) -> tuple[dict, dict]:
    totals = Counter()
    for row in t.per.values():
        totals.update(row)
    both = two_sided(totals["gold"], totals["hit"], totals["found"], totals["correct"])
    scores = {"precision": both["precision"], "recall": both["recall"], "f1": both["f1"],
              "tp": both["tp"], "fp": both["fp"], "fn": both["fn"],
              "perpetrator_agreement": (t.c["perpetrator_agree"] / t.c["perpetrator_checked"]
                                        if t.c["perpetrator_checked"] else 0.0),
              "perpetrator_checked": t.c["perpetrator_checked"],
              "perpetrator_without_source": t.c["perpetrator_without_source"],
              "messages": messages, "relevant_messages": t.c["relevant_messages"],
              "templates": totals["gold"], "optional_templates": t.c["optional_templates"],
              "unscored_templates": t.c["unscored_templates"], "found_events": totals["found"]}
    for incident, c in sorted(t.incident.items()):
        scores[f"recall_{incident.lower().replace(' ', '_')}"] = c["hit"] / c["gold"] if c["gold"] else 0.0
    per_type = {name: two_sided(c["gold"], c["hit"], c["found"], c["correct"]) for name, c in t.per.items()}
    return scores, per_type


def evaluate_muc(folder: str, model: str | None = None, limit: int | None = None):
    """Extract the messages of a MUC folder (the first `limit` of them) and score them against their templates."""
    from . import Report, extract_all
    from .corpus import Located
    from ..model import Article
    mapping = load_mapping()
    messages = load_folder(folder, mapping)[:limit]
    located = [Located((m.id,), Article(text=m.text, published=m.published, origin=m.id, id=m.id), 0, len(m.text))
               for m in messages]
    extractions = extract_all(located, model)
    tally, types, skipped = Tally(), scored_types(mapping), 0
    for m in messages:
        x = extractions.get((m.id,))
        skipped += x is None
        score_message(m, x.to_dict() if x else {"events": []}, types, tally)
    scores, per_type = scores_of(tally, len(messages))
    return Report("muc", len(messages), skipped, scores, per_type, tally.diffs,
                  skip_reason="extraction failed; their templates count as missed")
