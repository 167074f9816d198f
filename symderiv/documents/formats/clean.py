"""Text every format can hold: XML 1.0 cannot carry most control characters (NUL, form feed, …),
U+FFFE/U+FFFF or lone surrogates, and UTF-8 cannot encode a lone surrogate (a file name that was not
valid UTF-8 arrives with them). Each is written as a visible escape (`\\x0c`, `\\udcff`), never dropped
silently and never allowed to break the report."""

from __future__ import annotations

import re
from typing import Any

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def xml_text(s: str) -> str:
    """`s` with every character XML 1.0 cannot hold written as an escape (tab, newline, CR stay)."""
    return _NOT_XML.sub(_escape, s)


def utf8_text(s: str) -> str:
    """`s` with lone surrogates written as escapes, so that it encodes as UTF-8."""
    return _SURROGATE.sub(_escape, s)


def utf8_safe(value: Any) -> Any:
    """A JSON-able value with every string (keys too) made UTF-8 safe."""
    if isinstance(value, str):
        return utf8_text(value)
    if isinstance(value, dict):
        return {utf8_safe(k): utf8_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [utf8_safe(v) for v in value]
    return value
