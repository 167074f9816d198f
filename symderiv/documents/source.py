"""Bytes to text, the way an editor opens a file: a BOM decides the encoding (UTF-8, UTF-16 LE/BE,
UTF-32), otherwise strict UTF-8; CRLF and lone CR become LF, so that every finding (line, column,
verdict) is the one the LF file gets. Invalid UTF-8 is not guessed at: the first bad byte is named
(line and column) in one `unchecked` finding, the byte read as U+FFFD, and the rest is judged."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass
class Source:
    text: str
    encoding: str
    bad: tuple[int, int, int] | None = None  # (line, column, byte) of the first byte that is not valid UTF-8

    def problem(self) -> str | None:
        if self.bad is None:
            return None
        line, column, byte = self.bad
        return (f"the file is not valid {self.encoding.upper()}: byte 0x{byte:02X} at line {line}, column {column} "
                f"cannot be read (it is read as U+FFFD; save the file as UTF-8)")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode(raw: bytes) -> Source:
    """`raw` as text (see the module docstring)."""
    encoding, body = "utf-8", raw
    for bom, name in BOMS:
        if raw.startswith(bom):
            encoding, body = name, raw[len(bom):]
            break
    try:
        return Source(normalise_newlines(body.decode(encoding)), encoding)
    except UnicodeDecodeError as exc:
        good = normalise_newlines(body[:exc.start].decode(encoding, "replace"))
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        text = normalise_newlines(body.decode(encoding, "replace"))
        return Source(text, encoding, (line, column, body[exc.start]))


def read(path: str, limit: int | None = None) -> Source:
    """The file at `path` decoded; `limit` bytes at most (a larger file is an OSError naming the limit)."""
    with open(path, "rb") as fh:
        raw = fh.read(-1 if limit is None else limit + 1)
    if limit is not None and len(raw) > limit:
        raise OSError(f"the file is larger than {limit // (1 << 20):,} MiB, the most symderiv reads")
    return decode(raw)
