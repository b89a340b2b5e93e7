"""Quantities stated with an event: value, unit, what it measures, approximate or exact."""
from __future__ import annotations

import re

from .model import Event, Extraction, Quantity

# "around 120 kilometres", "at least 12 people", "$2bn", "3,000 troops", "five civilians"
APPROXIMATORS = r"(?:about|around|roughly|nearly|almost|some|approximately|up to|more than|over|at least|at most|fewer than|less than|as many as|an estimated)"
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozens": 24, "hundreds": 200, "thousands": 2000}
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "trillion": 1e12}
CURRENCIES = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
MEASURES = {"kilometre": "distance", "kilometer": "distance", "km": "distance", "mile": "distance", "metre": "distance",
            "meter": "distance", "people": "people", "person": "people", "civilian": "people", "soldier": "people",
            "troop": "people", "protester": "people", "child": "people", "refugee": "people", "dead": "people",
            "tonne": "weight", "ton": "weight", "barrel": "volume", "percent": "share", "%": "share",
            "missile": "weapons", "drone": "weapons", "rocket": "weapons", "tank": "weapons", "day": "duration",
            "year": "duration", "month": "duration", "hour": "duration"}
PATTERN = re.compile(
    rf"(?P<approx>{APPROXIMATORS}\s+)?(?P<cur>[$£€¥])?(?P<num>{NUMBER}|{'|'.join(WORD_NUMBERS)})"
    rf"\s?(?P<scale>bn|mn|m|k|thousand|million|billion|trillion)?\b\s*(?P<unit>%|[A-Za-z]+)?", re.I)


def quantities_in(x: Extraction, event: Event) -> list[Quantity]:
    m = event.mentions[0]
    source = x.article.title if m.field == "title" else x.article.text
    text = source[m.start:m.end]
    out = []
    for match in PATTERN.finditer(text):
        q = quantity(match, m.start)
        if q:
            out.append(q)
    return out


def quantity(match, offset: int) -> Quantity | None:
    raw = match.group("num").lower()
    value = float(raw.replace(",", "")) if raw[0].isdigit() else float(WORD_NUMBERS[raw])
    scale = (match.group("scale") or "").lower()
    value *= SCALES.get(scale, 1)
    unit = (match.group("unit") or "").lower()
    singular = unit[:-1] if unit.endswith("s") and unit[:-1] in MEASURES else unit
    currency = CURRENCIES.get(match.group("cur") or "")
    if currency:
        unit_name, measures = currency, "money"
    elif singular in MEASURES:
        unit_name, measures = singular, MEASURES[singular]
    else:
        return None
    if measures == "duration" and not match.group("approx"):
        return None   # "two days" is a time, which the when stage reads
    return Quantity(value=value, unit=unit_name, measures=measures, approximate=bool(match.group("approx")),
                    text=match.group(0).strip(), start=offset + match.start(), end=offset + match.end())
