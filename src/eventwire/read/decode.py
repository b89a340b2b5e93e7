"""Bytes to text: UTF-8 first, then detection; binary input is refused, no byte ever raises."""
from __future__ import annotations

import gzip

from .. import settings

CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


class DecodeError(ValueError):
    pass


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Gzip content, refusing anything that inflates past `limit` (a gzip bomb)."""
    out = bytearray()
    with gzip.GzipFile(fileobj=__import__("io").BytesIO(data)) as f:
        while chunk := f.read(1 << 20):
            out += chunk
            if len(out) > limit:
                raise DecodeError(f"gzip content inflates past {limit // (1 << 20)} MB")
    return bytes(out)


def looks_binary(data: bytes) -> bool:
    """Text has almost no control bytes; a NUL or many controls mean binary."""
    sample = data[:65536]
    if not sample:
        return False
    controls = sum(sample.count(b) for b in CONTROL_BYTES)
    return controls / len(sample) > settings.BINARY_SHARE


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it is valid, else the encoding charset-normalizer finds."""
    if data.startswith(b"\x1f\x8b"):
        data = gunzip_bounded(data, settings.MAX_ARTICLE_BYTES)
    if looks_binary(data):
        raise DecodeError("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    matches = list(from_bytes(data[:1_000_000]))
    if not matches:
        raise DecodeError("unknown text encoding")
    best = min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3), WESTERN_FIRST.get(m.encoding, 9)))
    return data.decode(best.encoding, errors="replace")


# When detection ties, Windows-1252 and Latin-1 are by far the likeliest legacy encodings of news text.
WESTERN_FIRST = {"cp1252": 0, "latin_1": 1, "iso8859_15": 2}
