"""SEPA text rules shared by the pain.001 writer and reader."""

from __future__ import annotations

import re
import unicodedata

# EPC "Latin character set" for SEPA (SEPA Credit Transfer rulebook, implementation
# guidelines section 1.4): a-z A-Z 0-9 / - ? : ( ) . , ' + and space.
SEPA_CHARS_RE = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
IDENTIFIER_RE = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]{1,35}")


def sepa_text(value: str, *, max_length: int) -> str:
    """Transliterate to the SEPA character set (é -> e, & -> +) and cut to length."""
    text = unicodedata.normalize("NFKD", value.replace("&", "+"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = SEPA_CHARS_RE.sub(" ", text)
    text = " ".join(text.split())
    return text[:max_length].strip()


def valid_identifier(value: str) -> bool:
    """MsgId, PmtInfId, EndToEndId: 1-35 SEPA characters, no leading/trailing '/' or '//'."""
    return (
        IDENTIFIER_RE.fullmatch(value) is not None
        and not value.startswith("/")
        and not value.endswith("/")
        and "//" not in value
        and value.strip() == value
    )
