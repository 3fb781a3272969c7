"""Safe XML reading: no DTDs, no entities, no network; the root is identified first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

from .errors import BankbestandGeweigerd, Weigercode

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# Options for every lxml parser in this package. A DTD is never loaded, entities are
# never expanded, nothing is fetched; files with a DOCTYPE are refused before this.
SAFE_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "remove_blank_text": True,
    "collect_ids": False,
}

_DOCTYPE_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DOCTYPE_RE_16 = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def looks_like_xml(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return stripped.startswith(b"<")


def refuse_doctype(head: bytes) -> None:
    """Refuse any DOCTYPE or ENTITY declaration (XXE, billion laughs) before parsing."""
    found = _DOCTYPE_RE.search(head) is not None
    if not found and head.startswith((b"\xff\xfe", b"\xfe\xff")):
        found = _DOCTYPE_RE_16.search(head.decode("utf-16", errors="ignore")) is not None
    if found:
        raise BankbestandGeweigerd(
            Weigercode.ONVEILIGE_XML,
            "Het bestand bevat een DOCTYPE- of ENTITY-verklaring. Zulke XML lezen wij niet, "
            "omdat die gebruikt kan worden om gegevens van de server te stelen.",
            plaats="regel 1 tot het begin van het document",
        )


@dataclass(frozen=True, slots=True)
class Root:
    namespace: str | None
    localname: str
    first_child: str | None  # local name of the message element, when seen in the head


def read_root(head: bytes) -> Root:
    """Find the root element and its first child in the first bytes of an XML file."""
    refuse_doctype(head)
    parser = etree.XMLPullParser(events=("start",), **SAFE_OPTIONS)
    root: etree._Element | None = None
    child: str | None = None
    try:
        parser.feed(head)
        for _event, element in parser.read_events():
            if root is None:
                root = element
                _refuse_dtd_in(element)
                continue
            if element.getparent() is root:
                child = etree.QName(element).localname
                break
    except etree.XMLSyntaxError as error:
        if root is None:
            raise syntax_refusal(error) from None
    if root is None:
        raise BankbestandGeweigerd(
            Weigercode.KAPOT_BESTAND,
            "Het bestand is geen leesbare XML: het begin van het document ontbreekt.",
            plaats="regel 1",
        )
    qname = etree.QName(root)
    return Root(namespace=qname.namespace, localname=qname.localname, first_child=child)


def _refuse_dtd_in(element: etree._Element) -> None:
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise BankbestandGeweigerd(
            Weigercode.ONVEILIGE_XML,
            "Het bestand bevat een DOCTYPE-verklaring. Zulke XML lezen wij niet.",
            plaats="begin van het document",
        )


def refuse_dtd_in(element: etree._Element) -> None:
    _refuse_dtd_in(element)


def syntax_refusal(error: etree.XMLSyntaxError) -> BankbestandGeweigerd:
    line = getattr(error, "lineno", None) or (error.position[0] if error.position else None)
    message = str(error.msg or "")
    if "Entity" in message or "entity" in message:
        return BankbestandGeweigerd(
            Weigercode.ONVEILIGE_XML,
            "Het bestand verwijst naar een entity. Zulke XML lezen wij niet.",
            plaats=f"regel {line}" if line else None,
        )
    return BankbestandGeweigerd(
        Weigercode.KAPOT_BESTAND,
        "Het bestand is geen geldige XML. Misschien is het afgebroken of beschadigd.",
        plaats=f"regel {line}" if line else None,
    )


def parse_datetime(text: str | None) -> datetime | None:
    """An ISO date-time; without a time zone it is taken as Dutch local time."""
    if not text:
        return None
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=AMSTERDAM)
    return moment


def local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
