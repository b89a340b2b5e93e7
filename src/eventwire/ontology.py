"""PLOVER types and the CAMEO code list: names, quad classes, and Goldstein scores."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .data import rows

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
# PLOVER's own split: the first eight cooperate, the rest are conflict.
COOPERATIVE = set(PLOVER_TYPES[:8])


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    quad_class: int | None
    goldstein: float | None


@lru_cache(maxsize=1)
def cameo() -> dict[str, Code]:
    scores = {r["cameo"]: float(r["goldstein"]) for r in rows("goldstein.tsv") if r.get("goldstein")}
    out = {}
    for r in rows("cameo_codes.tsv"):
        quad = int(r["quad_class"]) if r.get("quad_class", "").isdigit() else None
        out[r["code"]] = Code(r["code"], r["name"], quad, scores.get(r["code"]))
    return out


def describe(code: str | None) -> Code | None:
    """The CAMEO entry of a code, or of its nearest parent code."""
    table = cameo()
    while code:
        if code in table:
            return table[code]
        code = code[:-1]
    return None


def is_cooperative(plover_type: str) -> bool:
    return plover_type in COOPERATIVE
