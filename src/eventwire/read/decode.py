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
    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        raise DecodeError("unknown text encoding")
    return data.decode(best.encoding, errors="replace")
