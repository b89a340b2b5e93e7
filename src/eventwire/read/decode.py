"""Bytes to text: UTF-8 first, then detection; binary input is refused, no byte ever raises."""
from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib

from .. import settings
from . import GZIP_MAGIC

CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
# Byte order marks: a UTF-16 or UTF-32 text is full of NUL bytes and must be recognized before the binary test.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Between equally good guesses, the likeliest legacy encodings of news text (Windows-1252 and Latin-1 first).
COMMON_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "gb18030", "gb2312", "big5", "shift_jis",
                    "euc_jp", "euc_kr", "cp1256", "cp1253", "cp1254", "cp1255", "cp1250", "iso8859_2")
WESTERN_SHARE = 0.3             # at most this share of a Western text's letters is accented
WESTERN_MARKS = set("\u00a0«»“”‘’„‚–—…€£¥°§©®·•×÷¢¿¡ªº²")
INFLATE_RATIO = 200               # text compresses 3-20 fold; far more than this is a gzip bomb
INFLATE_FREE_BYTES = 64 << 20     # below this much inflated, any ratio is fine


class DecodeError(ValueError):
    pass


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Gzip content, refusing anything that inflates past `limit` (a gzip bomb) or is corrupt."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            while chunk := f.read(1 << 20):
                out += chunk
                if len(out) > limit:
                    raise DecodeError(f"gzip content inflates past {limit // (1 << 20)} MB")
    except (OSError, EOFError, zlib.error) as e:
        raise DecodeError(f"corrupt gzip data ({str(e)[:80]})") from None
    return bytes(out)


class BoundedInflate(io.RawIOBase):
    """A gzip stream read in pieces that stops a bomb: past 64 MB it may inflate at most 200-fold."""

    def __init__(self, compressed):
        self.counted = Counted(compressed)
        self.gzip = gzip.GzipFile(fileobj=self.counted)
        self.inflated = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            chunk = self.gzip.read(len(buffer))
        except (OSError, EOFError, zlib.error) as e:
            raise DecodeError(f"corrupt gzip data ({str(e)[:80]})") from None
        self.inflated += len(chunk)
        if self.inflated > INFLATE_FREE_BYTES and self.inflated > INFLATE_RATIO * max(1, self.counted.count):
            raise DecodeError(f"gzip content inflates more than {INFLATE_RATIO}-fold (a gzip bomb)")
        buffer[:len(chunk)] = chunk
        return len(chunk)


class Counted(io.RawIOBase):
    """A binary stream that counts the bytes read from it."""

    def __init__(self, stream):
        self.stream, self.count = stream, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.stream.read(len(buffer))
        self.count += len(chunk)
        buffer[:len(chunk)] = chunk
        return len(chunk)


def gunzip_stream(stream) -> io.BufferedReader:
    """A gzip stream as a buffered binary stream (readline works), bounded against bombs."""
    return io.BufferedReader(BoundedInflate(stream), 1 << 16)


def looks_binary(data: bytes) -> bool:
    """Text has almost no control bytes; a NUL or many controls mean binary."""
    sample = data[:65536]
    if not sample:
        return False
    controls = sum(sample.count(b) for b in CONTROL_BYTES)
    return controls / len(sample) > settings.BINARY_SHARE


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it is valid, else UTF-16/32 by BOM, else mostly-UTF-8, else detection."""
    if data.startswith(GZIP_MAGIC):
        data = gunzip_bounded(data, settings.MAX_ARTICLE_BYTES)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return without_surrogates(data.decode(encoding, errors="replace"))
    if looks_binary(data):
        if encoding := utf16_without_bom(data):
            return without_surrogates(data.decode(encoding, errors="replace"))
        raise DecodeError("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if mostly_utf8(data):
        return data.decode("utf-8", errors="eventwire-cp1252")
    if (text := western(data)) is not None:
        return text
    return detected(data)


def western(data: bytes) -> str | None:
    """Windows-1252 (a superset of Latin-1's letters) when it reads as Western text: a few accented letters
    among ASCII ones ('déjà', 'Genève'). Detection alone guesses wrong on short texts ('déją' in cp1257);
    Cyrillic, Greek or Chinese bytes read as cp1252 are nearly all accented letters, and Central European
    ones give symbols ('Wa³êsa'), so they go on to detection."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [c for c in text if ord(c) > 0x7f]
    letters = sum(c.isalpha() for c in text)
    if len(high) > WESTERN_SHARE * letters or not all(c.isalpha() or c in WESTERN_MARKS for c in high):
        return None
    return text


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly Latin text has a NUL in every other byte: high bytes first (BE) or second (LE)."""
    sample = data[:65536]
    sample = sample[:len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if nul_share(odd) > 0.9 and nul_share(even) < 0.05:
        return "utf-16-le"
    if nul_share(even) > 0.9 and nul_share(odd) < 0.05:
        return "utf-16-be"
    return None


def nul_share(data: bytes) -> float:
    return data.count(0) / len(data)


def detected(data: bytes) -> str:
    """A legacy single- or multi-byte encoding, as charset-normalizer finds it."""
    from charset_normalizer import from_bytes
    matches = list(from_bytes(data[:1_000_000]))
    if not matches:
        raise DecodeError("unknown text encoding")
    best = min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3), encoding_rank(m.encoding)))
    try:
        return without_surrogates(data.decode(best.encoding, errors="replace"))
    except LookupError:
        raise DecodeError(f"unknown text encoding ({best.encoding})") from None


def encoding_rank(encoding: str) -> int:
    return COMMON_ENCODINGS.index(encoding) if encoding in COMMON_ENCODINGS else len(COMMON_ENCODINGS)


def mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few stray legacy bytes (a Windows-1252 line pasted in) rather than a legacy encoding."""
    valid = len(UTF8_MULTIBYTE.findall(data[:1_000_000]))
    invalid = count_invalid_utf8(data[:1_000_000])
    return valid > 0 and valid >= invalid     # a legacy encoding of any script has far more invalid bytes


def count_invalid_utf8(data: bytes) -> int:
    """Invalid UTF-8 sequences: the replacement characters decoding adds beyond those already there."""
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())


def cp1252_fallback(error: UnicodeDecodeError):
    """A byte that is not UTF-8 is read as Windows-1252 (Latin-1 where 1252 has a hole)."""
    raw = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in raw), error.end


codecs.register_error("eventwire-cp1252", cp1252_fallback)


def without_surrogates(text: str) -> str:
    """Lone surrogates (from UTF-16 input or JSON escapes) become U+FFFD, one character for one."""
    return LONE_SURROGATE.sub("\ufffd", text) if LONE_SURROGATE.search(text) else text
